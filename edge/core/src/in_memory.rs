//! A host whose every I/O completes at once, in memory: the key-value store and the view
//! cache are one map, the guardrails `guard::Memory`, and the origin a function of the
//! request. The unit tests answer requests on it, and `cargo bench -p edge` measures the
//! edge's own work on it (the `in-memory` feature, which the benchmark turns on).

use crate::guard::{Admission, Memory, Meter, Verdict};
use crate::{BaseId, Config, Host, Memo, Opened, OriginRequest, OriginResponse, UsageEntry};
use std::cell::RefCell;
use std::collections::HashMap;

pub struct InMemory<F> {
    origin: F,
    started: std::time::Instant,
    memo: Memo,
    cache: RefCell<HashMap<String, Vec<u8>>>,
    guard: RefCell<Memory>,
}

impl<F: Fn(OriginRequest) -> Result<OriginResponse, String>> InMemory<F> {
    /// A host whose origin answers each request with `origin`.
    pub fn new(origin: F) -> InMemory<F> {
        InMemory {
            origin,
            started: std::time::Instant::now(),
            memo: Memo::default(),
            cache: RefCell::default(),
            guard: RefCell::default(),
        }
    }
}

/// A configuration for this host: an origin nobody listens on, a key of zeros.
pub fn config() -> Config {
    Config::from_variables(|name| match name {
        "origin_url" => Some("http://127.0.0.1:1".into()),
        "edge_signing_key" => Some("00".repeat(32)),
        _ => None,
    })
    .expect("a valid configuration")
}

impl<F: Fn(OriginRequest) -> Result<OriginResponse, String>> Host for InMemory<F> {
    /// A stream's body, as the origin function gave it at once.
    type Stream = Vec<u8>;
    async fn call_origin(&self, request: OriginRequest) -> Result<OriginResponse, String> {
        (self.origin)(request)
    }
    /// A `200` of the origin function is the stream.
    async fn open_origin_stream(&self, request: OriginRequest) -> Result<Opened<Vec<u8>>, String> {
        let reply = (self.origin)(request)?;
        Ok(if reply.status == 200 { Opened::Stream(reply.body) } else { Opened::Answer(reply) })
    }
    fn memo(&self) -> &Memo {
        &self.memo
    }
    fn monotonic_us(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_micros()).unwrap_or(u64::MAX)
    }
    fn now_ms(&self) -> i64 {
        1_700_000_000_000
    }
    fn fill_random(&self, buf: &mut [u8]) {
        buf.fill(7);
    }
    async fn cache_get(&self, key: &str) -> Option<Vec<u8>> {
        self.cache.borrow().get(key).cloned()
    }
    async fn cache_put(&self, key: &str, value: Vec<u8>) {
        self.cache.borrow_mut().insert(key.to_owned(), value);
    }
    async fn admit(&self, admission: &Admission) -> Result<Verdict, String> {
        Ok(self.guard.borrow_mut().admit(admission))
    }
    async fn count_usage(&self, meter: &Meter, now_ms: i64) -> Result<(), String> {
        self.guard.borrow_mut().count_usage(meter, now_ms, 1);
        Ok(())
    }
    async fn take_usage(&self, _now_ms: i64) -> Result<Vec<UsageEntry>, String> {
        Ok(self.guard.borrow_mut().take_usage())
    }
    async fn restore_usage(&self, entries: Vec<UsageEntry>) {
        self.guard.borrow_mut().restore_usage(entries);
    }
    async fn sleep(&self, _ms: u64) {
        std::future::pending::<()>().await;
    }
    fn client_address(&self) -> Option<String> {
        Some("192.0.2.1".into())
    }
    async fn view_cache_get(&self, key: &str) -> Option<Vec<u8>> {
        self.cache.borrow().get(key).cloned()
    }
    async fn view_cache_put(&self, key: &str, value: Vec<u8>, _ttl_seconds: u32) {
        self.cache.borrow_mut().insert(key.to_owned(), value);
    }
    async fn claim(&self, _key: &str) -> bool {
        true
    }
    async fn release(&self, _key: &str) {}
    async fn epochs(&self, _base: BaseId, keys: &[String]) -> Vec<u64> {
        vec![0; keys.len()]
    }
    async fn bump_epochs(&self, _base: BaseId, _keys: &[String]) {}
}
