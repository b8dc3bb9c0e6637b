//! The process-wide in-memory key-value stores behind `spin:key-value@3.0.0`.
//!
//! Every component instance lives for one request only, so anything the edge
//! wants to remember between requests (cached tokens and catalogs, view answers)
//! has to live here. Reads are on the hot path of every request, so each map is
//! split into shards guarded by reader-writer locks instead of one mutex.
//!
//! Two labels, `default` (cached tokens and catalogs) and `cache` (view answers), each
//! bounded in bytes. A full store makes room by evicting its least recently used entries
//! (recency is a tick per entry, updated on every read under the shard's read lock), so
//! keys a client picks (random token ids) push out only what nobody used lately and a
//! write never fails for lack of room. A store may also give entries a time to live,
//! counted from their last write: an expired entry reads as missing and is the first to
//! go when room is needed.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use wasmtime::component::{Accessor, FutureReader, Resource, StreamReader};

use crate::bindings::spin::key_value::key_value::{self, Error};
use crate::spin::{Spin, SpinView};

/// Spin's conventional default store.
pub const DEFAULT_LABEL: &str = "default";
/// The store of cached answers, bounded in bytes, least recently used out first.
pub const CACHE_LABEL: &str = "cache";

/// A power of two well above the core count, so that writers rarely contend.
const SHARDS: usize = 32;

/// A value, when it was last used, and when it expires (ms on the store's clock; never
/// when `u64::MAX`).
struct Slot {
    value: Vec<u8>,
    used: AtomicU64,
    expires_ms: u64,
}

/// One shard of the map.
type Map = HashMap<String, Slot>;
type Shard = RwLock<Map>;

/// The shared map and its size accounting.
pub struct KvStore {
    shards: Box<[Shard]>,
    hasher: RandomState,
    /// Bytes currently held, counting both keys and values.
    used: AtomicUsize,
    max_bytes: usize,
    /// How long an entry lives after its last write (none: until evicted).
    ttl_ms: Option<u64>,
    started: Instant,
    clock: AtomicU64,
}

/// What a `store` resource handle in a component instance points at.
pub struct StoreHandle {
    kv: Arc<KvStore>,
}

impl KvStore {
    /// An empty store that holds at most `max_bytes` of keys plus values, evicting its
    /// least recently used entries when full; entries expire `ttl` after their last write.
    pub fn new(max_bytes: usize, ttl: Option<Duration>) -> Self {
        let shards = (0..SHARDS).map(|_| RwLock::new(HashMap::new())).collect();
        Self {
            shards,
            hasher: RandomState::new(),
            used: AtomicUsize::new(0),
            max_bytes,
            ttl_ms: ttl.map(|ttl| u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX)),
            started: Instant::now(),
            clock: AtomicU64::new(0),
        }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// The slot under `key`, unless it expired.
    fn live<'m>(&self, shard: &'m Map, key: &str) -> Option<&'m Slot> {
        shard.get(key).filter(|slot| slot.expires_ms > self.now_ms())
    }

    fn shard(&self, key: &str) -> &Shard {
        // The shard count is a power of two, so masking the hash is uniform.
        let index = (self.hasher.hash_one(key) as usize) & (SHARDS - 1);
        &self.shards[index]
    }

    fn read(&self, key: &str) -> RwLockReadGuard<'_, Map> {
        // A panic while holding the lock cannot leave a half-written map
        // (insert and remove are atomic from the map's point of view), so a
        // poisoned lock is still safe to use.
        self.shard(key).read().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self, key: &str) -> RwLockWriteGuard<'_, Map> {
        self.shard(key).write().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn tick(&self) -> u64 {
        self.clock.fetch_add(1, Ordering::Relaxed)
    }

    /// Returns a copy of the value stored under `key`.
    pub fn get(&self, key: &str) -> Option<Vec<u8>> {
        let shard = self.read(key);
        let slot = self.live(&shard, key)?;
        slot.used.store(self.tick(), Ordering::Relaxed);
        Some(slot.value.clone())
    }

    /// Returns whether `key` holds a value.
    pub fn exists(&self, key: &str) -> bool {
        self.live(&self.read(key), key).is_some()
    }

    /// Reserves `grow` more bytes, evicting from `shard` (an LRU store) to make room.
    fn reserve(&self, shard: &mut Map, keep: &str, grow: usize) -> Result<(), Error> {
        loop {
            let reserved = self.used.fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                used.checked_add(grow).filter(|total| *total <= self.max_bytes)
            });
            if reserved.is_ok() {
                return Ok(());
            }
            // Only a value larger than the whole store finds nothing left to evict.
            if !(self.evict_oldest(shard, keep) || self.evict_elsewhere()) {
                return Err(Error::StoreTableFull);
            }
        }
    }

    /// Evicts an expired entry of `shard` (but `keep`), else its least recently used one;
    /// whether there was one.
    fn evict_oldest(&self, shard: &mut Map, keep: &str) -> bool {
        let now = self.now_ms();
        let oldest = shard
            .iter()
            .filter(|(key, _)| key.as_str() != keep)
            .min_by_key(|(_, slot)| (slot.expires_ms > now, slot.used.load(Ordering::Relaxed)))
            .map(|(key, _)| key.clone());
        let Some(oldest) = oldest else { return false };
        if let Some(slot) = shard.remove(&oldest) {
            self.used.fetch_sub(oldest.len() + slot.value.len(), Ordering::AcqRel);
        }
        true
    }

    /// Evicts the oldest entry among the other shards that are free to lock now (never
    /// waiting for one while holding another, so two writers cannot deadlock).
    fn evict_elsewhere(&self) -> bool {
        let now = self.now_ms();
        let mut oldest: Option<((bool, u64), usize, String)> = None;
        for (index, shard) in self.shards.iter().enumerate() {
            let Ok(shard) = shard.try_read() else { continue };
            for (key, slot) in shard.iter() {
                let used = (slot.expires_ms > now, slot.used.load(Ordering::Relaxed));
                if oldest.as_ref().is_none_or(|(best, _, _)| used < *best) {
                    oldest = Some((used, index, key.clone()));
                }
            }
        }
        let Some((_, index, key)) = oldest else { return false };
        let Ok(mut shard) = self.shards[index].try_write() else { return false };
        if let Some(slot) = shard.remove(&key) {
            self.used.fetch_sub(key.len() + slot.value.len(), Ordering::AcqRel);
        }
        true
    }

    /// Stores `value` under `key`; a full store evicts to make room.
    pub fn set(&self, key: &str, value: Vec<u8>) -> Result<(), Error> {
        let mut shard = self.write(key);
        self.replace(&mut shard, key, value)
    }

    /// Adds `delta` to the decimal counter under `key` (0 when missing) and returns the
    /// new value; the read and the write happen under one shard lock.
    pub fn increment(&self, key: &str, delta: i64) -> Result<i64, String> {
        let mut shard = self.write(key);
        let current = match self.live(&shard, key) {
            None => 0,
            Some(slot) => std::str::from_utf8(&slot.value)
                .ok()
                .and_then(|text| text.parse::<i64>().ok())
                .ok_or_else(|| format!("the value of '{key}' is not an integer"))?,
        };
        let next = current.checked_add(delta).ok_or_else(|| format!("the counter '{key}' would overflow"))?;
        self.replace(&mut shard, key, next.to_string().into_bytes()).map_err(|_| full())?;
        Ok(next)
    }

    /// Stores `value` under `key` if `key` still holds `expected` (`None`: no value);
    /// otherwise `Ok(Err(current))`, what it holds instead. One shard lock covers both.
    pub fn compare_and_swap(
        &self,
        key: &str,
        expected: Option<&[u8]>,
        value: Vec<u8>,
    ) -> Result<Result<(), Option<Vec<u8>>>, String> {
        let mut shard = self.write(key);
        let current = self.live(&shard, key).map(|slot| slot.value.as_slice());
        if current != expected {
            return Ok(Err(current.map(<[u8]>::to_vec)));
        }
        self.replace(&mut shard, key, value).map_err(|_| full())?;
        Ok(Ok(()))
    }

    /// Writes `value` under `key` in its locked shard, keeping the size accounting.
    fn replace(&self, shard: &mut Map, key: &str, value: Vec<u8>) -> Result<(), Error> {
        let old_size = shard.get(key).map_or(0, |old| key.len() + old.value.len());
        let new_size = key.len() + value.len();
        if new_size > old_size {
            // The shard lock keeps `old_size` stable, but other shards change
            // `used` concurrently, so the reservation itself must be atomic.
            self.reserve(shard, key, new_size - old_size)?;
        } else {
            self.used.fetch_sub(old_size - new_size, Ordering::AcqRel);
        }
        let expires_ms = self.ttl_ms.map_or(u64::MAX, |ttl| self.now_ms().saturating_add(ttl));
        shard.insert(key.to_owned(), Slot { value, used: AtomicU64::new(self.tick()), expires_ms });
        Ok(())
    }

    /// Removes `key`; removing a missing key is not an error.
    pub fn delete(&self, key: &str) {
        if let Some(old) = self.write(key).remove(key) {
            self.used.fetch_sub(key.len() + old.value.len(), Ordering::AcqRel);
        }
    }

    /// A point-in-time list of all keys; writes racing with it may or may not appear.
    pub fn keys(&self) -> Vec<String> {
        let mut keys = Vec::new();
        let now = self.now_ms();
        for shard in &self.shards {
            let shard = shard.read().unwrap_or_else(std::sync::PoisonError::into_inner);
            keys.extend(shard.iter().filter(|(_, slot)| slot.expires_ms > now).map(|(key, _)| key.clone()));
        }
        keys
    }

    /// Bytes currently held, counting keys and values.
    #[cfg(test)]
    pub fn used_bytes(&self) -> usize {
        self.used.load(Ordering::Acquire)
    }
}

fn full() -> String {
    "the key-value store is full".to_owned()
}

/// Looks up the store behind a resource handle the guest passed in.
fn handle_store<T>(accessor: &Accessor<T, Spin>, store: &Resource<StoreHandle>) -> wasmtime::Result<Arc<KvStore>> {
    accessor.with(|mut access| {
        let handle = access.get().table.get(store)?;
        Ok(Arc::clone(&handle.kv))
    })
}

impl<T> key_value::HostStoreWithStore<T> for Spin {
    async fn open(
        accessor: &Accessor<T, Self>,
        label: String,
    ) -> wasmtime::Result<Result<Resource<StoreHandle>, Error>> {
        accessor.with(|mut access| {
            let view = access.get();
            let kv = match label.as_str() {
                DEFAULT_LABEL => Arc::clone(view.kv),
                CACHE_LABEL => Arc::clone(view.view_cache),
                _ => return Ok(Err(Error::NoSuchStore)),
            };
            match view.table.push(StoreHandle { kv }) {
                Ok(handle) => Ok(Ok(handle)),
                // The per-instance resource table is bounded; a guest that
                // opens the store in a loop gets an error instead of a trap.
                Err(_) => Ok(Err(Error::StoreTableFull)),
            }
        })
    }

    async fn get(
        accessor: &Accessor<T, Self>,
        store: Resource<StoreHandle>,
        key: String,
    ) -> wasmtime::Result<Result<Option<Vec<u8>>, Error>> {
        Ok(Ok(handle_store(accessor, &store)?.get(&key)))
    }

    async fn set(
        accessor: &Accessor<T, Self>,
        store: Resource<StoreHandle>,
        key: String,
        value: Vec<u8>,
    ) -> wasmtime::Result<Result<(), Error>> {
        Ok(handle_store(accessor, &store)?.set(&key, value))
    }

    async fn delete(
        accessor: &Accessor<T, Self>,
        store: Resource<StoreHandle>,
        key: String,
    ) -> wasmtime::Result<Result<(), Error>> {
        handle_store(accessor, &store)?.delete(&key);
        Ok(Ok(()))
    }

    async fn exists(
        accessor: &Accessor<T, Self>,
        store: Resource<StoreHandle>,
        key: String,
    ) -> wasmtime::Result<Result<bool, Error>> {
        Ok(Ok(handle_store(accessor, &store)?.exists(&key)))
    }

    async fn get_keys(
        accessor: &Accessor<T, Self>,
        store: Resource<StoreHandle>,
    ) -> wasmtime::Result<(StreamReader<String>, FutureReader<Result<(), Error>>)> {
        let keys = handle_store(accessor, &store)?.keys();
        accessor.with(|mut access| {
            let stream = StreamReader::new(&mut access, keys)?;
            let result = FutureReader::new(&mut access, async { wasmtime::error::Ok(Ok::<(), Error>(())) })?;
            Ok((stream, result))
        })
    }
}

impl key_value::HostStore for SpinView<'_> {
    async fn drop(&mut self, store: Resource<StoreHandle>) -> wasmtime::Result<()> {
        self.table.delete(store)?;
        Ok(())
    }
}

impl key_value::Host for SpinView<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_get_delete_track_size() {
        let kv = KvStore::new(100, None);
        assert!(kv.set("a", b"12345".to_vec()).is_ok());
        assert_eq!(kv.get("a"), Some(b"12345".to_vec()));
        assert_eq!(kv.used_bytes(), 6);
        assert!(kv.set("a", b"1".to_vec()).is_ok());
        assert_eq!(kv.used_bytes(), 2);
        kv.delete("a");
        assert_eq!(kv.used_bytes(), 0);
        assert!(!kv.exists("a"));
        kv.delete("a");
        assert_eq!(kv.used_bytes(), 0);
    }

    #[test]
    fn increments_are_decimal_counters() {
        let kv = KvStore::new(100, None);
        assert_eq!(kv.increment("n", 5), Ok(5));
        assert_eq!(kv.increment("n", -7), Ok(-2));
        assert_eq!(kv.get("n"), Some(b"-2".to_vec()));
        assert_eq!(kv.used_bytes(), 3);
        assert!(kv.set("s", b"x".to_vec()).is_ok());
        assert!(kv.increment("s", 1).is_err());
    }

    #[test]
    fn a_swap_happens_only_on_the_value_read() {
        let kv = KvStore::new(100, None);
        assert_eq!(kv.compare_and_swap("w", None, b"1".to_vec()), Ok(Ok(())));
        assert_eq!(kv.compare_and_swap("w", None, b"2".to_vec()), Ok(Err(Some(b"1".to_vec()))));
        assert_eq!(kv.compare_and_swap("w", Some(b"0"), b"2".to_vec()), Ok(Err(Some(b"1".to_vec()))));
        assert_eq!(kv.compare_and_swap("w", Some(b"1"), b"22".to_vec()), Ok(Ok(())));
        assert_eq!(kv.get("w"), Some(b"22".to_vec()));
        assert_eq!(kv.used_bytes(), 3);
        kv.delete("w");
        assert_eq!(kv.compare_and_swap("w", Some(b"22"), b"3".to_vec()), Ok(Err(None)));
        assert!(!kv.exists("w"));
    }

    #[test]
    fn a_cache_evicts_the_least_recently_used() {
        // Eviction is least recently used within a shard first: four keys of one shard,
        // each entry 10 bytes.
        let kv = KvStore::new(30, None);
        let shard = |key: &str| (kv.hasher.hash_one(key) as usize) & (SHARDS - 1);
        let keys: Vec<String> =
            (0..).map(|i| format!("k{i}")).filter(|key| shard(key) == shard("k0")).take(4).collect();
        let entry = |key: &String| vec![0; 10 - key.len()];
        let [a, b, c, d] = [&keys[0], &keys[1], &keys[2], &keys[3]];
        for key in [a, b, c] {
            assert!(kv.set(key, entry(key)).is_ok());
        }
        assert!(kv.get(a).is_some(), "a is used again; b is now the oldest");
        assert!(kv.set(d, entry(d)).is_ok());
        assert!(kv.exists(a) && kv.exists(c) && kv.exists(d));
        assert!(!kv.exists(b), "the least recently used went");
        assert!(kv.used_bytes() <= 30);
        // A key of another shard makes room there too.
        let other = (0..).map(|i| format!("o{i}")).find(|key| shard(key) != shard(a)).expect("another shard");
        assert!(kv.set(&other, entry(&other)).is_ok());
        assert!(kv.exists(&other) && !kv.exists(c), "c was the oldest left");
    }

    #[test]
    fn the_cap_holds_by_evicting() {
        let kv = KvStore::new(10, None);
        assert!(kv.set("k", vec![0; 9]).is_ok());
        assert!(kv.set("j", vec![0; 1]).is_ok(), "a full store makes room");
        assert!(!kv.exists("k") && kv.exists("j"));
        assert!(kv.used_bytes() <= 10);
        // Only a value larger than the whole store is refused.
        assert!(matches!(kv.set("big", vec![0; 10]), Err(Error::StoreTableFull)));
        // Many distinct keys never grow it past its cap.
        for i in 0..10_000 {
            assert_eq!(kv.increment(&format!("{i}"), 1), Ok(1));
            assert!(kv.used_bytes() <= 10);
        }
    }

    #[test]
    fn entries_expire_after_their_last_write() {
        let kv = KvStore::new(1000, Some(Duration::from_millis(50)));
        assert!(kv.set("a", b"1".to_vec()).is_ok());
        assert_eq!(kv.increment("n", 2), Ok(2));
        std::thread::sleep(Duration::from_millis(80));
        assert_eq!(kv.get("a"), None);
        assert!(!kv.exists("a") && kv.keys().is_empty());
        assert_eq!(kv.increment("n", 2), Ok(2), "an expired counter starts again");
        assert_eq!(kv.compare_and_swap("a", None, b"2".to_vec()), Ok(Ok(())), "an expired value is missing");
    }
}
