//! `wasi:keyvalue@0.2.0-draft2` (store, atomics, batch): named buckets of byte values with
//! atomic increments, which the edge keeps its guardrail counters in.
//!
//! Buckets live in this process (one [`KvStore`] each) or, with `--kv-redis`, the shared
//! ones (`--kv-shared-buckets`) in Redis under `edge:<bucket>:<key>`, so that several
//! hosts share them. Counters are stored as decimal text, as Redis's `INCRBY` keeps them.
//! A compare-and-swap reads the value when the guest opens it (`cas.new`) and writes
//! only if the key still holds it: under one shard lock in memory, in one Lua script in
//! Redis. A lost swap hands the guest a new `cas` holding what the key holds now, read
//! in the same step, so a retry costs no extra round trip. This process's instances take
//! turns per key from `cas.new` to the swap ([`Turns`]): they never make each other's
//! swaps fail, so only another host's write can, and a busy key costs no retries here.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use redis::AsyncCommands;
use wasmtime::component::Resource;

use crate::bindings::wasi::keyvalue::{atomics, batch, store};
use crate::kv::KvStore;
use crate::spin::SpinView;

use store::Error;

/// Where the buckets are kept: the shared ones in Redis when configured, the others here.
pub struct Buckets {
    max_bytes: usize,
    /// How long an entry lives after its last write, here and in Redis.
    ttl: std::time::Duration,
    memory: RwLock<HashMap<String, Arc<KvStore>>>,
    redis: Option<redis::aio::ConnectionManager>,
    shared: Vec<String>,
    turns: Arc<Turns>,
}

/// What a `bucket` resource in a component instance points at.
pub struct BucketHandle {
    name: String,
}

/// What a `cas` resource points at: a key and the turn at it, which holds the value read.
pub struct CasHandle {
    bucket: String,
    key: String,
    turn: Turn,
}

impl CasHandle {
    /// The value read (`None`: missing); while a handle holds the turn, it is known.
    fn read(&self) -> Option<&[u8]> {
        self.turn.seen.as_ref().and_then(Option::as_deref)
    }
}

/// How long a compare-and-swap waits for its turn at a key before failing.
const TURN_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// What this process last saw at a key: `None` when unknown.
type Seen = Option<Option<Vec<u8>>>;

/// One lock per key that this process's compare-and-swaps hold from the read to the
/// swap, first come first served; a key is here while someone holds or awaits it. The
/// lock keeps the value the last holder read or wrote, which the next one starts from
/// instead of reading the store again: a busy key costs one round trip per swap. Should
/// another host have written meanwhile, the swap fails and hands back the value there.
/// (A guest that opens a second compare-and-swap of a key before it swaps or drops the
/// first waits [`TURN_WAIT`] for itself, and gets an error.)
#[derive(Default)]
struct Turns(Mutex<HashMap<String, Arc<tokio::sync::Mutex<Seen>>>>);

/// A held turn at a key.
struct Turn {
    key: String,
    turns: Arc<Turns>,
    seen: tokio::sync::OwnedMutexGuard<Seen>,
}

impl Turns {
    async fn take(self: &Arc<Self>, key: String) -> Result<Turn, Error> {
        let lock = Arc::clone(self.0.lock().unwrap_or_else(PoisonError::into_inner).entry(key.clone()).or_default());
        match tokio::time::timeout(TURN_WAIT, lock.lock_owned()).await {
            Ok(seen) => Ok(Turn { key, turns: Arc::clone(self), seen }),
            Err(_) => Err(Error::Other(format!("'{key}' stayed busy for {} s", TURN_WAIT.as_secs()))),
        }
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        let mut turns = self.turns.0.lock().unwrap_or_else(PoisonError::into_inner);
        // Only the map and this turn hold the lock: nobody awaits the key.
        if turns.get(&self.key).is_some_and(|lock| Arc::strong_count(lock) <= 2) {
            turns.remove(&self.key);
        }
    }
}

/// The per-instance resource table is bounded; a guest that opens compare-and-swaps in a
/// loop gets an error instead of a trap.
fn too_many_swaps() -> Error {
    Error::Other("too many open compare-and-swaps".into())
}

/// Sets `KEYS[1]` to `ARGV[3]`, to expire in `ARGV[4]` ms, if it holds `ARGV[2]` (or
/// nothing, when `ARGV[1]` is 0); answers `{"1"}`, or `{"0", current}` (`{"0"}` when missing).
const SWAP_SCRIPT: &str = r"
local current = redis.call('GET', KEYS[1])
local expected = false
if ARGV[1] == '1' then expected = ARGV[2] end
if current == expected then
  redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
  return {'1'}
end
return {'0', current}
";

static SWAP: std::sync::LazyLock<redis::Script> = std::sync::LazyLock::new(|| redis::Script::new(SWAP_SCRIPT));

/// Bucket names are short identifiers.
fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 64 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn redis_key(bucket: &str, key: &str) -> String {
    format!("edge:{bucket}:{key}")
}

fn other(error: impl std::fmt::Display) -> Error {
    Error::Other(error.to_string())
}

impl Buckets {
    /// `shared` names the buckets kept in `redis` (when given). Each bucket in memory holds
    /// at most `max_bytes`, evicting its least recently used entries; entries expire `ttl`
    /// after their last write, in memory and in Redis, so keys nobody writes again go away.
    pub fn new(
        max_bytes: usize,
        ttl: std::time::Duration,
        redis: Option<redis::aio::ConnectionManager>,
        shared: Vec<String>,
    ) -> Buckets {
        Buckets { max_bytes, ttl, memory: RwLock::default(), redis, shared, turns: Arc::default() }
    }

    fn ttl_ms(&self) -> u64 {
        u64::try_from(self.ttl.as_millis()).unwrap_or(u64::MAX)
    }

    /// Connects to Redis (`redis://host:port/db`), reconnecting by itself after failures.
    pub async fn redis(url: &str) -> anyhow::Result<redis::aio::ConnectionManager> {
        let client = redis::Client::open(url)?;
        Ok(redis::aio::ConnectionManager::new(client).await?)
    }

    /// The bucket in this process, unless it is kept in Redis.
    fn memory_bucket(&self, name: &str) -> Option<Arc<KvStore>> {
        if self.redis.is_some() && self.shared.iter().any(|shared| shared == name) {
            return None;
        }
        if let Some(bucket) = self.memory.read().unwrap_or_else(|poisoned| poisoned.into_inner()).get(name) {
            return Some(Arc::clone(bucket));
        }
        let mut buckets = self.memory.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        Some(Arc::clone(
            buckets.entry(name.to_owned()).or_insert_with(|| Arc::new(KvStore::new(self.max_bytes, Some(self.ttl)))),
        ))
    }

    fn connection(&self) -> Option<redis::aio::ConnectionManager> {
        self.redis.clone()
    }

    async fn get(&self, bucket: &str, key: &str) -> Result<Option<Vec<u8>>, Error> {
        match (self.memory_bucket(bucket), self.connection()) {
            (Some(store), _) => Ok(store.get(key)),
            (None, Some(mut redis)) => redis.get(redis_key(bucket, key)).await.map_err(other),
            (None, None) => Err(Error::NoSuchStore),
        }
    }

    async fn set(&self, bucket: &str, key: &str, value: Vec<u8>) -> Result<(), Error> {
        match (self.memory_bucket(bucket), self.connection()) {
            (Some(store), _) => {
                store.set(key, value).map_err(|_| Error::Other("the value is larger than the bucket".into()))
            }
            (None, Some(mut redis)) => {
                let options = redis::SetOptions::default().with_expiration(redis::SetExpiry::PX(self.ttl_ms()));
                redis.set_options(redis_key(bucket, key), value, options).await.map_err(other)
            }
            (None, None) => Err(Error::NoSuchStore),
        }
    }

    async fn delete(&self, bucket: &str, key: &str) -> Result<(), Error> {
        match (self.memory_bucket(bucket), self.connection()) {
            (Some(store), _) => {
                store.delete(key);
                Ok(())
            }
            (None, Some(mut redis)) => redis.del(redis_key(bucket, key)).await.map_err(other),
            (None, None) => Err(Error::NoSuchStore),
        }
    }

    async fn increment(&self, bucket: &str, key: &str, delta: i64) -> Result<i64, Error> {
        match (self.memory_bucket(bucket), self.connection()) {
            (Some(store), _) => store.increment(key, delta).map_err(Error::Other),
            (None, Some(mut redis)) => {
                let key = redis_key(bucket, key);
                let (value,): (i64,) = redis::pipe()
                    .atomic()
                    .incr(&key, delta)
                    .pexpire(&key, i64::try_from(self.ttl_ms()).unwrap_or(i64::MAX))
                    .ignore()
                    .query_async(&mut redis)
                    .await
                    .map_err(other)?;
                Ok(value)
            }
            (None, None) => Err(Error::NoSuchStore),
        }
    }

    async fn get_many(&self, bucket: &str, keys: Vec<String>) -> Result<Vec<(String, Option<Vec<u8>>)>, Error> {
        match (self.memory_bucket(bucket), self.connection()) {
            (Some(store), _) => {
                Ok(keys.into_iter().map(|key| (store.get(&key), key)).map(|(value, key)| (key, value)).collect())
            }
            (None, Some(mut redis)) => {
                if keys.is_empty() {
                    return Ok(Vec::new());
                }
                let full: Vec<String> = keys.iter().map(|key| redis_key(bucket, key)).collect();
                let values: Vec<Option<Vec<u8>>> = redis.mget(full).await.map_err(other)?;
                Ok(keys.into_iter().zip(values).collect())
            }
            (None, None) => Err(Error::NoSuchStore),
        }
    }

    /// Writes `value` if the key holds `expected`; else `Ok(Err(current))`.
    async fn compare_and_swap(
        &self,
        bucket: &str,
        key: &str,
        expected: Option<&[u8]>,
        value: &[u8],
    ) -> Result<Result<(), Option<Vec<u8>>>, Error> {
        match (self.memory_bucket(bucket), self.connection()) {
            (Some(store), _) => store.compare_and_swap(key, expected, value.to_vec()).map_err(Error::Other),
            (None, Some(mut redis)) => {
                let answer: Vec<Option<Vec<u8>>> = SWAP
                    .key(redis_key(bucket, key))
                    .arg(if expected.is_some() { "1" } else { "0" })
                    .arg(expected.unwrap_or_default())
                    .arg(value)
                    .arg(self.ttl_ms())
                    .invoke_async(&mut redis)
                    .await
                    .map_err(other)?;
                let mut answer = answer.into_iter();
                match answer.next().flatten().as_deref() {
                    Some(b"1") => Ok(Ok(())),
                    _ => Ok(Err(answer.next().flatten())),
                }
            }
            (None, None) => Err(Error::NoSuchStore),
        }
    }

    /// Every key of a bucket, in one page (the cursor is never needed).
    async fn keys(&self, bucket: &str) -> Result<Vec<String>, Error> {
        match (self.memory_bucket(bucket), self.connection()) {
            (Some(store), _) => Ok(store.keys()),
            (None, Some(mut redis)) => {
                let prefix = redis_key(bucket, "");
                let mut iter = redis.scan_match::<_, String>(format!("{prefix}*")).await.map_err(other)?;
                let mut keys = Vec::new();
                while let Some(key) = iter.next_item().await {
                    let key = key.map_err(other)?;
                    keys.push(key.strip_prefix(&prefix).unwrap_or(&key).to_owned());
                }
                Ok(keys)
            }
            (None, None) => Err(Error::NoSuchStore),
        }
    }
}

fn bucket_name(view: &SpinView<'_>, bucket: &Resource<BucketHandle>) -> wasmtime::Result<String> {
    Ok(view.table.get(bucket)?.name.clone())
}

impl store::Host for SpinView<'_> {
    async fn open(&mut self, identifier: String) -> wasmtime::Result<Result<Resource<BucketHandle>, Error>> {
        if !valid_name(&identifier) {
            return Ok(Err(Error::NoSuchStore));
        }
        match self.table.push(BucketHandle { name: identifier }) {
            Ok(handle) => Ok(Ok(handle)),
            Err(_) => Ok(Err(Error::Other("too many open buckets".into()))),
        }
    }
}

impl store::HostBucket for SpinView<'_> {
    async fn get(
        &mut self,
        bucket: Resource<BucketHandle>,
        key: String,
    ) -> wasmtime::Result<Result<Option<Vec<u8>>, Error>> {
        let name = bucket_name(self, &bucket)?;
        Ok(self.buckets.get(&name, &key).await)
    }

    async fn set(
        &mut self,
        bucket: Resource<BucketHandle>,
        key: String,
        value: Vec<u8>,
    ) -> wasmtime::Result<Result<(), Error>> {
        let name = bucket_name(self, &bucket)?;
        Ok(self.buckets.set(&name, &key, value).await)
    }

    async fn delete(&mut self, bucket: Resource<BucketHandle>, key: String) -> wasmtime::Result<Result<(), Error>> {
        let name = bucket_name(self, &bucket)?;
        Ok(self.buckets.delete(&name, &key).await)
    }

    async fn exists(&mut self, bucket: Resource<BucketHandle>, key: String) -> wasmtime::Result<Result<bool, Error>> {
        let name = bucket_name(self, &bucket)?;
        Ok(self.buckets.get(&name, &key).await.map(|value| value.is_some()))
    }

    async fn list_keys(
        &mut self,
        bucket: Resource<BucketHandle>,
        _cursor: Option<String>,
    ) -> wasmtime::Result<Result<store::KeyResponse, Error>> {
        let name = bucket_name(self, &bucket)?;
        Ok(self.buckets.keys(&name).await.map(|keys| store::KeyResponse { keys, cursor: None }))
    }

    async fn drop(&mut self, bucket: Resource<BucketHandle>) -> wasmtime::Result<()> {
        self.table.delete(bucket)?;
        Ok(())
    }
}

impl atomics::Host for SpinView<'_> {
    async fn increment(
        &mut self,
        bucket: Resource<BucketHandle>,
        key: String,
        delta: i64,
    ) -> wasmtime::Result<Result<i64, Error>> {
        let name = bucket_name(self, &bucket)?;
        Ok(self.buckets.increment(&name, &key, delta).await)
    }

    async fn swap(
        &mut self,
        cas: Resource<CasHandle>,
        value: Vec<u8>,
    ) -> wasmtime::Result<Result<(), atomics::CasError>> {
        let handle = self.table.delete(cas)?;
        let swapped = self.buckets.compare_and_swap(&handle.bucket, &handle.key, handle.read(), &value).await;
        let CasHandle { bucket, key, mut turn } = handle;
        match swapped {
            Ok(Ok(())) => {
                *turn.seen = Some(Some(value));
                Ok(Ok(()))
            }
            // The new handle keeps the turn, now holding the value found.
            Ok(Err(found)) => {
                *turn.seen = Some(found);
                match self.table.push(CasHandle { bucket, key, turn }) {
                    Ok(handle) => Ok(Err(atomics::CasError::CasFailed(handle))),
                    Err(_) => Ok(Err(atomics::CasError::StoreError(too_many_swaps()))),
                }
            }
            Err(error) => {
                // The swap may or may not have happened.
                *turn.seen = None;
                Ok(Err(atomics::CasError::StoreError(error)))
            }
        }
    }
}

impl atomics::HostCas for SpinView<'_> {
    async fn new(
        &mut self,
        bucket: Resource<BucketHandle>,
        key: String,
    ) -> wasmtime::Result<Result<Resource<CasHandle>, Error>> {
        let name = bucket_name(self, &bucket)?;
        let mut turn = match self.buckets.turns.take(redis_key(&name, &key)).await {
            Ok(turn) => turn,
            Err(error) => return Ok(Err(error)),
        };
        if turn.seen.is_none() {
            match self.buckets.get(&name, &key).await {
                Ok(read) => *turn.seen = Some(read),
                Err(error) => return Ok(Err(error)),
            }
        }
        match self.table.push(CasHandle { bucket: name, key, turn }) {
            Ok(handle) => Ok(Ok(handle)),
            Err(_) => Ok(Err(too_many_swaps())),
        }
    }

    async fn current(&mut self, cas: Resource<CasHandle>) -> wasmtime::Result<Result<Option<Vec<u8>>, Error>> {
        Ok(Ok(self.table.get(&cas)?.read().map(<[u8]>::to_vec)))
    }

    async fn drop(&mut self, cas: Resource<CasHandle>) -> wasmtime::Result<()> {
        self.table.delete(cas)?;
        Ok(())
    }
}

impl batch::Host for SpinView<'_> {
    async fn get_many(
        &mut self,
        bucket: Resource<BucketHandle>,
        keys: Vec<String>,
    ) -> wasmtime::Result<Result<Vec<(String, Option<Vec<u8>>)>, Error>> {
        let name = bucket_name(self, &bucket)?;
        Ok(self.buckets.get_many(&name, keys).await)
    }

    async fn set_many(
        &mut self,
        bucket: Resource<BucketHandle>,
        key_values: Vec<(String, Vec<u8>)>,
    ) -> wasmtime::Result<Result<(), Error>> {
        let name = bucket_name(self, &bucket)?;
        for (key, value) in key_values {
            if let Err(error) = self.buckets.set(&name, &key, value).await {
                return Ok(Err(error));
            }
        }
        Ok(Ok(()))
    }

    async fn delete_many(
        &mut self,
        bucket: Resource<BucketHandle>,
        keys: Vec<String>,
    ) -> wasmtime::Result<Result<(), Error>> {
        let name = bucket_name(self, &bucket)?;
        for key in keys {
            if let Err(error) = self.buckets.delete(&name, &key).await {
                return Ok(Err(error));
            }
        }
        Ok(Ok(()))
    }
}
