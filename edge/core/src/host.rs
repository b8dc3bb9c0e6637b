//! The I/O an edge host provides to the core.

use crate::guard::{Admission, Verdict};
use shared::ids::BaseId;
use shared::usage::UsageEntry;
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
    /// `ETag` of a single-record answer.
    pub etag: Option<String>,
    /// `Idempotency-Replayed: true`: the stored answer of an earlier request with the same key.
    pub replayed: bool,
    /// The origin's own `Server-Timing`.
    pub server_timing: Option<String>,
    pub body: Vec<u8>,
}

impl OriginResponse {
    /// Builds the response from the status, a lookup of the origin's response headers, and the body.
    pub fn new(status: u16, header: impl Fn(&str) -> Option<String>, body: Vec<u8>) -> OriginResponse {
        OriginResponse {
            status,
            catalog_version: header(shared::envelope::CATALOG_VERSION_HEADER).and_then(|value| value.parse().ok()),
            etag: header("etag"),
            replayed: header(shared::envelope::REPLAYED_HEADER).is_some_and(|value| value == "true"),
            server_timing: header("server-timing"),
            body,
        }
    }
}

/// The origin's answer to an envelope that asks for a stream.
pub enum Opened<S> {
    /// `200` with an event stream ([`is_event_stream`]): the body, passed on as it comes.
    Stream(S),
    /// Any other answer, read whole: an error, or a `204` when nothing is left to stream.
    Answer(OriginResponse),
}

/// Whether an origin answer is an event stream, by its status and `Content-Type`.
pub fn is_event_stream(status: u16, content_type: Option<&str>) -> bool {
    status == 200 && content_type.is_some_and(|value| value.starts_with(shared::events::CONTENT_TYPE))
}

/// Host capabilities. Futures need not be `Send`: Wasm hosts are single-threaded.
pub trait Host {
    /// The body of an origin's event stream, as the host passes it to the client.
    type Stream;
    /// POSTs an envelope to the origin's execute endpoint. `Err` means no HTTP answer.
    fn call_origin(&self, request: OriginRequest) -> impl Future<Output = Result<OriginResponse, String>>;
    /// POSTs an envelope whose answer may be an event stream: the stream as soon as its
    /// head arrived, or the whole of any other answer.
    fn open_origin_stream(&self, request: OriginRequest) -> impl Future<Output = Result<Opened<Self::Stream>, String>>;
    /// Wall-clock Unix milliseconds.
    fn now_ms(&self) -> i64;
    /// Microseconds on a monotonic clock (for `Server-Timing`).
    fn monotonic_us(&self) -> u64;
    /// Cryptographically secure random bytes.
    fn fill_random(&self, buf: &mut [u8]);
    /// This instance's memory of parsed cache entries ([`crate::memo`]): one per Workers
    /// isolate or Spin instance, living as long as it does.
    fn memo(&self) -> &crate::Memo;
    /// Reads a cache entry shared by the instances of this host (best effort).
    fn cache_get(&self, key: &str) -> impl Future<Output = Option<Vec<u8>>>;
    /// Writes a cache entry (best effort: failures only cost a later origin lookup).
    fn cache_put(&self, key: &str, value: Vec<u8>) -> impl Future<Output = ()>;
    /// Admits a request against the guardrail state all instances share ([`crate::guard`]).
    /// `Err` means the state is unreachable; the core then lets the request through.
    fn admit(&self, admission: &Admission) -> impl Future<Output = Result<Verdict, String>>;
    /// Meters one request served from a lease ([`crate::guard::Leases`]); admitted ones
    /// are metered by [`Host::admit`].
    fn count_usage(&self, meter: &crate::guard::Meter, now_ms: i64) -> impl Future<Output = Result<(), String>>;
    /// Takes the usage counted since the last flush, to send to the origin; empty when
    /// another instance flushes now or the host flushes by itself.
    fn take_usage(&self, now_ms: i64) -> impl Future<Output = Result<Vec<UsageEntry>, String>>;
    /// Puts back usage that could not be sent.
    fn restore_usage(&self, entries: Vec<UsageEntry>) -> impl Future<Output = ()>;
    /// Resolves after `ms` milliseconds.
    fn sleep(&self, ms: u64) -> impl Future<Output = ()>;
    /// The client's address as the host saw the connection (for per-address limits).
    fn client_address(&self) -> Option<String>;
    /// Reads an answer of the view cache (an LRU bounded in bytes, or the Cache API).
    fn view_cache_get(&self, key: &str) -> impl Future<Output = Option<Vec<u8>>>;
    /// Stores an answer for at most `ttl_seconds` (best effort).
    fn view_cache_put(&self, key: &str, value: Vec<u8>, ttl_seconds: u32) -> impl Future<Output = ()>;
    /// Claims the right to fill a cache key: `true` for one caller until it releases the
    /// key (or a few seconds pass, should it never).
    fn claim(&self, key: &str) -> impl Future<Output = bool>;
    fn release(&self, key: &str) -> impl Future<Output = ()>;
    /// The current values of a base's epochs, counters the origin's pushes bump (0 if
    /// never bumped), in the order of `keys`.
    fn epochs(&self, base: BaseId, keys: &[String]) -> impl Future<Output = Vec<u64>>;
    fn bump_epochs(&self, base: BaseId, keys: &[String]) -> impl Future<Output = ()>;
}
