//! Instance memory: what this instance already parsed from the host's shared store.
//!
//! A Workers isolate or a reused Spin instance serves many requests. The host's store
//! (`cache_get`/`cache_put`) is what instances share, and holds entries as JSON; reading
//! one on every request means parsing it on every request. The [`Memo`] keeps each entry
//! as parsed, next to what makes it valid, so that a hot request parses nothing it parsed
//! before:
//!
//! - entries that only expire (token records, users' access, quota figures) carry their
//!   expiry inside; the memo answers while the caller's `fresh` check holds, and reads the
//!   store only once it fails (another instance may have refreshed the entry meanwhile);
//! - entries that are also dropped on purpose (catalogs, which [`forget`] drops when a
//!   schema change is seen) are written with a short random *stamp* under a key of their
//!   own: a read compares the stamp (a few bytes) and parses the entry only when the
//!   stamp moved.
//!
//! The memo is bounded by the bytes of the JSON it parsed ([`MAX_BYTES`]); past it, the
//! entries parsed first go first. Nothing in it is ever more trusted than the store entry
//! it mirrors: it only saves the parse.

use crate::Host;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::any::Any;
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

/// The JSON bytes an instance keeps parsed at most.
pub const MAX_BYTES: usize = 16 << 20;

/// How an entry of the store is known to be unchanged.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Validity {
    /// By its own content (an expiry the caller checks).
    Content,
    /// By its stamp, which every write and [`forget`] replaces.
    Stamped,
}

struct Parsed {
    value: Rc<dyn Any>,
    stamp: Option<Vec<u8>>,
    bytes: usize,
    /// When it was stored, in [`Inner::stored`] counts.
    stored: u64,
}

/// The parsed entries of one instance, and its admission leases.
#[derive(Default)]
pub struct Memo {
    inner: RefCell<Inner>,
    pub(crate) leases: RefCell<crate::guard::Leases>,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<String, Parsed>,
    /// Keys in the order they were stored, for eviction; a key stored again appears again,
    /// and only the occurrence with its entry's `stored` count stands for it.
    order: VecDeque<(String, u64)>,
    bytes: usize,
    stored: u64,
}

impl Memo {
    fn get<T: 'static>(&self, key: &str, stamp: Option<&[u8]>) -> Option<Rc<T>> {
        let inner = self.inner.borrow();
        let parsed = inner.entries.get(key).filter(|parsed| parsed.stamp.as_deref() == stamp)?;
        Rc::clone(&parsed.value).downcast::<T>().ok()
    }

    fn put<T: 'static>(&self, key: &str, value: Rc<T>, stamp: Option<Vec<u8>>, bytes: usize) {
        let mut inner = self.inner.borrow_mut();
        inner.stored += 1;
        let stored = inner.stored;
        if let Some(old) = inner.entries.insert(key.to_owned(), Parsed { value, stamp, bytes, stored }) {
            inner.bytes -= old.bytes;
        }
        inner.bytes += bytes;
        inner.order.push_back((key.to_owned(), stored));
        while inner.bytes > MAX_BYTES || inner.order.len() > 2 * inner.entries.len() + 64 {
            let Some((oldest, when)) = inner.order.pop_front() else { break };
            if inner.entries.get(&oldest).is_some_and(|parsed| parsed.stored == when) {
                let evicted = inner.entries.remove(&oldest).map_or(0, |parsed| parsed.bytes);
                inner.bytes -= evicted;
            }
        }
    }

    fn remove(&self, key: &str) {
        let mut inner = self.inner.borrow_mut();
        if let Some(old) = inner.entries.remove(key) {
            inner.bytes -= old.bytes;
        }
    }

    /// A value that depends on `key` alone, computed once per instance (and counted as
    /// `bytes` against the bound); an error is returned and not kept.
    pub(crate) fn derived<T: 'static, E>(
        &self,
        key: &str,
        bytes: usize,
        compute: impl FnOnce() -> Result<T, E>,
    ) -> Result<Rc<T>, E> {
        if let Some(value) = self.get::<T>(key, None) {
            return Ok(value);
        }
        let value = Rc::new(compute()?);
        self.put(key, Rc::clone(&value), None, bytes);
        Ok(value)
    }

    /// Entries held, and the JSON bytes they were parsed from.
    pub fn size(&self) -> (usize, usize) {
        let inner = self.inner.borrow();
        (inner.entries.len(), inner.bytes)
    }
}

fn stamp_key(key: &str) -> String {
    format!("{key}#stamp")
}

/// The store's entry `key` as `T`, if there is one that `fresh` accepts: from instance
/// memory while the entry is unchanged, else read and parsed once.
pub(crate) async fn read<H: Host, T: DeserializeOwned + 'static>(
    host: &H,
    key: &str,
    validity: Validity,
    fresh: impl Fn(&T) -> bool,
) -> Option<Rc<T>> {
    let memo = host.memo();
    let stamp = match validity {
        Validity::Content => None,
        Validity::Stamped => Some(host.cache_get(&stamp_key(key)).await.filter(|stamp| !stamp.is_empty())?),
    };
    recall(memo, key, stamp, fresh, host.cache_get(key)).await
}

/// A cached view answer ([`crate::views`]), which the caller checks against the current
/// epochs: from instance memory, else from the host's view cache.
pub(crate) async fn read_answer<H: Host, T: DeserializeOwned + 'static>(
    host: &H,
    key: &str,
    fresh: impl Fn(&T) -> bool,
) -> Option<Rc<T>> {
    recall(host.memo(), key, None, fresh, host.view_cache_get(key)).await
}

/// `key` from instance memory while `fresh` accepts it (under `stamp`), else what `stored`
/// reads, parsed once and kept.
async fn recall<T: DeserializeOwned + 'static>(
    memo: &Memo,
    key: &str,
    stamp: Option<Vec<u8>>,
    fresh: impl Fn(&T) -> bool,
    stored: impl Future<Output = Option<Vec<u8>>>,
) -> Option<Rc<T>> {
    if let Some(value) = memo.get::<T>(key, stamp.as_deref()).filter(|value| fresh(value)) {
        return Some(value);
    }
    let bytes = stored.await?;
    let value: Rc<T> = Rc::new(serde_json::from_slice(&bytes).ok()?);
    memo.put(key, Rc::clone(&value), stamp, bytes.len());
    Some(value).filter(|value| fresh(value))
}

/// Stores a view answer in the host's view cache for `ttl_seconds`, and keeps it parsed.
pub(crate) async fn write_answer<H: Host, T: Serialize + 'static>(
    host: &H,
    key: &str,
    value: T,
    ttl_seconds: u32,
) -> Rc<T> {
    let bytes = serde_json::to_vec(&value).expect("a stored entry always serializes");
    let size = bytes.len();
    host.view_cache_put(key, bytes, ttl_seconds).await;
    let value = Rc::new(value);
    host.memo().put(key, Rc::clone(&value), None, size);
    value
}

/// Writes `value` to the store under `key` (with a new stamp when stamped) and keeps it parsed.
pub(crate) async fn write<H: Host, T: Serialize + 'static>(host: &H, key: &str, validity: Validity, value: T) -> Rc<T> {
    let bytes = serde_json::to_vec(&value).expect("a stored entry always serializes");
    let size = bytes.len();
    host.cache_put(key, bytes).await;
    let stamp = match validity {
        Validity::Content => None,
        Validity::Stamped => {
            let stamp = new_stamp(host);
            // After the entry, so a reader that sees the new stamp reads the new entry.
            host.cache_put(&stamp_key(key), stamp.clone()).await;
            Some(stamp)
        }
    };
    let value = Rc::new(value);
    host.memo().put(key, Rc::clone(&value), stamp, size);
    value
}

/// Drops a stamped entry here and for every instance sharing the store.
pub(crate) async fn forget<H: Host>(host: &H, key: &str) {
    host.memo().remove(key);
    host.cache_put(key, Vec::new()).await;
    host.cache_put(&stamp_key(key), Vec::new()).await;
}

fn new_stamp<H: Host>(host: &H) -> Vec<u8> {
    let mut stamp = [0u8; 8];
    host.fill_random(&mut stamp);
    stamp.to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_by_bytes_oldest_first() {
        let memo = Memo::default();
        let half = MAX_BYTES / 2;
        memo.put("a", Rc::new(1u8), None, half);
        memo.put("b", Rc::new(2u8), None, half);
        memo.put("a", Rc::new(3u8), None, half);
        // Storing "a" again made "b" the oldest.
        memo.put("c", Rc::new(4u8), None, 1);
        assert_eq!(memo.get::<u8>("b", None), None);
        assert_eq!(memo.get::<u8>("a", None).as_deref(), Some(&3));
        assert_eq!(memo.get::<u8>("c", None).as_deref(), Some(&4));
        assert_eq!(memo.size(), (2, half + 1));
    }

    #[test]
    fn stamps_and_types_must_match() {
        let memo = Memo::default();
        memo.put("k", Rc::new(5u32), Some(vec![1]), 10);
        assert_eq!(memo.get::<u32>("k", Some(&[1])).as_deref(), Some(&5));
        assert_eq!(memo.get::<u32>("k", Some(&[2])), None);
        assert_eq!(memo.get::<u32>("k", None), None);
        assert_eq!(memo.get::<u64>("k", Some(&[1])), None);
    }

    #[test]
    fn many_rewrites_of_few_keys_stay_small() {
        let memo = Memo::default();
        for round in 0..10_000u32 {
            memo.put(&format!("k{}", round % 3), Rc::new(round), None, 1);
        }
        assert_eq!(memo.size(), (3, 3));
        assert!(memo.inner.borrow().order.len() <= 2 * 3 + 64);
    }
}
