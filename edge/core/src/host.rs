//! The I/O an edge host provides to the core.

use std::future::Future;

/// A signed envelope on its way to the origin.
pub struct OriginRequest {
    /// The exact bytes that were signed.
    pub body: Vec<u8>,
    /// `X-Edge-Signature` value.
    pub signature: String,
    pub request_id: String,
}

/// The origin's answer, passed through to the client for records operations.
pub struct OriginResponse {
    pub status: u16,
    /// `X-Catalog-Version`, when the origin sent one.
    pub catalog_version: Option<i64>,
    pub body: Vec<u8>,
}

/// Host capabilities. Futures need not be `Send`: Wasm hosts are single-threaded.
pub trait Host {
    /// POSTs an envelope to the origin's execute endpoint. `Err` means no HTTP answer.
    fn call_origin(&self, request: OriginRequest) -> impl Future<Output = Result<OriginResponse, String>>;
    /// Wall-clock Unix milliseconds.
    fn now_ms(&self) -> i64;
    /// Cryptographically secure random bytes.
    fn fill_random(&self, buf: &mut [u8]);
    /// Reads a cache entry shared by the instances of this host (best effort).
    fn cache_get(&self, key: &str) -> impl Future<Output = Option<Vec<u8>>>;
    /// Writes a cache entry (best effort: failures only cost a later origin lookup).
    fn cache_put(&self, key: &str, value: Vec<u8>) -> impl Future<Output = ()>;
}
