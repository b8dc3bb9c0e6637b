//! Spin adapter: the edge core as a `wasi:http/handler@0.3.0` component.
//!
//! Spin creates an instance per request (our edge-host may reuse one), so the token and
//! catalog caches live in the host's key-value store (`default`), shared by all
//! instances; configuration comes from Spin variables (see spin.toml). The guardrail
//! state lives in `wasi:keyvalue` buckets (`limits`, `usage`): rate-limit windows
//! replaced by compare-and-swap, usage counters by atomic increments, which every
//! instance sharing the host's store (Redis, for several hosts) sees. Published views'
//! answers live in the `cache` store (the host bounds it in bytes and evicts the least
//! recently used), fill claims and epochs in the `local` bucket of this host.

use bytes::Bytes;
use edge::guard::{Admission, Counters, Space, Verdict};
use edge::{BaseId, UsageEntry};
use http_body_util::Either;
use spin_sdk::experimental::wasi::keyvalue;
use spin_sdk::http::body::IncomingBodyExt;
use spin_sdk::http::{FullBody, IntoResponse, Request};
use spin_sdk::{http_service, key_value, variables};
use std::collections::HashMap;
use std::sync::OnceLock;
use wasip3::http_compat::IncomingResponseBody;

struct SpinHost<'a> {
    config: &'a edge::Config,
    store: Option<key_value::Store>,
    views: Option<key_value::Store>,
    /// The client's address, from the `spin-client-addr` header Spin sets.
    client: Option<String>,
}

/// The guardrail state in `wasi:keyvalue` buckets: counters as decimal text, windows as
/// [`edge::guard`] writes them.
struct Buckets;

fn bucket(space: Space) -> Result<keyvalue::store::Bucket, String> {
    keyvalue::store::open(space.bucket()).map_err(|error| format!("{error:?}"))
}

/// Counters of a bucket, in the order of `keys`; missing ones are 0.
fn read_counters(bucket: &keyvalue::store::Bucket, keys: &[String]) -> Result<Vec<i64>, String> {
    let found = keyvalue::batch::get_many(bucket, keys).map_err(|error| format!("{error:?}"))?;
    let parse = |value: Option<Vec<u8>>| value.and_then(|bytes| std::str::from_utf8(&bytes).ok()?.parse().ok());
    Ok(found.into_iter().map(|(_, value)| parse(value).unwrap_or(0)).collect())
}

impl Counters for Buckets {
    type Swap = keyvalue::atomics::Cas;

    async fn add(&self, space: Space, key: &str, delta: i64) -> Result<i64, String> {
        keyvalue::atomics::increment(&bucket(space)?, key, delta).map_err(|error| format!("{error:?}"))
    }

    async fn get_many(&self, space: Space, keys: &[String]) -> Result<Vec<i64>, String> {
        read_counters(&bucket(space)?, keys)
    }

    async fn remove(&self, space: Space, keys: &[String]) -> Result<(), String> {
        keyvalue::batch::delete_many(&bucket(space)?, keys).map_err(|error| format!("{error:?}"))
    }

    async fn keys(&self, space: Space) -> Result<Vec<String>, String> {
        let bucket = bucket(space)?;
        let mut keys = Vec::new();
        let mut cursor = None;
        loop {
            let page = bucket.list_keys(cursor.as_deref()).map_err(|error| format!("{error:?}"))?;
            keys.extend(page.keys);
            match page.cursor {
                Some(next) => cursor = Some(next),
                None => return Ok(keys),
            }
        }
    }

    async fn watch(&self, space: Space, key: &str) -> Result<Self::Swap, String> {
        keyvalue::atomics::Cas::new(&bucket(space)?, key).map_err(|error| format!("{error:?}"))
    }

    fn current(&self, swap: &Self::Swap) -> Result<Option<Vec<u8>>, String> {
        swap.current().map_err(|error| format!("{error:?}"))
    }

    async fn swap(&self, swap: Self::Swap, value: Vec<u8>) -> Result<Option<Self::Swap>, String> {
        match keyvalue::atomics::swap(swap, &value) {
            Ok(()) => Ok(None),
            Err(keyvalue::atomics::CasError::CasFailed(changed)) => Ok(Some(changed)),
            Err(keyvalue::atomics::CasError::StoreError(error)) => Err(format!("{error:?}")),
        }
    }
}

impl edge::Host for SpinHost<'_> {
    /// The origin's response body, passed to the client as the host reads it.
    type Stream = IncomingResponseBody;

    async fn call_origin(&self, request: edge::OriginRequest) -> Result<edge::OriginResponse, String> {
        read_whole(self.post_origin(request).await?).await
    }

    async fn open_origin_stream(
        &self,
        request: edge::OriginRequest,
    ) -> Result<edge::Opened<IncomingResponseBody>, String> {
        let response = self.post_origin(request).await?;
        let content_type = response.headers().get(http::header::CONTENT_TYPE).and_then(|value| value.to_str().ok());
        if edge::is_event_stream(response.status().as_u16(), content_type) {
            return Ok(edge::Opened::Stream(response.into_body()));
        }
        read_whole(response).await.map(edge::Opened::Answer)
    }

    fn memo(&self) -> &edge::Memo {
        MEMO.with(|memo| *memo)
    }

    fn now_ms(&self) -> i64 {
        let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX)
    }

    fn monotonic_us(&self) -> u64 {
        let started = STARTED.with(|started| *started);
        u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX)
    }

    fn fill_random(&self, buf: &mut [u8]) {
        getrandom::fill(buf).expect("WASI always provides secure random bytes");
    }

    async fn cache_get(&self, key: &str) -> Option<Vec<u8>> {
        self.store.as_ref()?.get(key).await.ok().flatten()
    }

    async fn cache_put(&self, key: &str, value: Vec<u8>) {
        if let Some(store) = &self.store {
            // A failed write only costs a later origin lookup.
            let _ = store.set(key, value).await;
        }
    }

    async fn admit(&self, admission: &Admission) -> Result<Verdict, String> {
        let verdict = edge::guard::admit_with(&Buckets, admission).await;
        if let Err(error) = &verdict {
            eprintln!("guardrail state unavailable: {error}");
        }
        verdict
    }

    async fn count_usage(&self, meter: &edge::guard::Meter, now_ms: i64) -> Result<(), String> {
        edge::guard::count_usage_with(&Buckets, meter, now_ms).await
    }

    async fn take_usage(&self, now_ms: i64) -> Result<Vec<UsageEntry>, String> {
        edge::guard::take_usage_with(&Buckets, now_ms).await
    }

    async fn restore_usage(&self, entries: Vec<UsageEntry>) {
        if let Err(error) = edge::guard::restore_usage_with(&Buckets, &entries).await {
            eprintln!("usage lost: {error}");
        }
    }

    async fn sleep(&self, ms: u64) {
        spin_sdk::time::sleep(std::time::Duration::from_millis(ms)).await;
    }

    fn client_address(&self) -> Option<String> {
        self.client.clone()
    }

    async fn view_cache_get(&self, key: &str) -> Option<Vec<u8>> {
        self.views.as_ref()?.get(key).await.ok().flatten()
    }

    async fn view_cache_put(&self, key: &str, value: Vec<u8>, _ttl_seconds: u32) {
        // Entries carry their age; the store evicts the least recently used.
        if let Some(views) = &self.views {
            let _ = views.set(key, value).await;
        }
    }

    async fn claim(&self, key: &str) -> bool {
        // A claim is counted in a five-second period and holds through the next one, so
        // one never released expires, and one taken just before a period ends still holds.
        let period = self.now_ms() / 5_000;
        let Ok(local) = keyvalue::store::open(LOCAL) else { return true };
        let first = keyvalue::atomics::increment(&local, &format!("claim|{key}|{period}"), 1).map_or(true, |n| n == 1);
        first && local.get(&format!("claim|{key}|{}", period - 1)).map_or(true, |held| held.is_none())
    }

    async fn release(&self, key: &str) {
        let period = self.now_ms() / 5_000;
        if let Ok(local) = keyvalue::store::open(LOCAL) {
            for period in [period, period - 1] {
                let _ = local.delete(&format!("claim|{key}|{period}"));
            }
        }
    }

    async fn epochs(&self, base: BaseId, keys: &[String]) -> Vec<u64> {
        let names: Vec<String> = keys.iter().map(|key| format!("epoch|{base}|{key}")).collect();
        match keyvalue::store::open(LOCAL).ok().and_then(|local| read_counters(&local, &names).ok()) {
            Some(values) => values.into_iter().map(|value| u64::try_from(value).unwrap_or(0)).collect(),
            None => vec![0; keys.len()],
        }
    }

    async fn bump_epochs(&self, base: BaseId, keys: &[String]) {
        if let Ok(local) = keyvalue::store::open(LOCAL) {
            for key in keys {
                let _ = keyvalue::atomics::increment(&local, &format!("epoch|{base}|{key}"), 1);
            }
        }
    }
}

impl SpinHost<'_> {
    /// POSTs a signed envelope to the origin; its answer as soon as the head arrived.
    async fn post_origin(&self, request: edge::OriginRequest) -> Result<spin_sdk::http::Response, String> {
        let outbound = http::Request::post(format!("{}{}", self.config.origin_url, edge::EXECUTE_PATH))
            .header(http::header::CONTENT_TYPE, "application/json")
            .header(edge::SIGNATURE_HEADER, request.signature)
            .header(edge::REQUEST_ID_HEADER, request.request_id)
            .body(FullBody::new(Bytes::from(request.body)))
            .map_err(|error| error.to_string())?;
        spin_sdk::http::send(outbound).await.map_err(|error| format!("{error:?}"))
    }
}

/// An origin answer, read whole.
async fn read_whole(response: spin_sdk::http::Response) -> Result<edge::OriginResponse, String> {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok()).map(str::to_owned);
    let body = response.into_body().bytes().await.map_err(|error| format!("{error:?}"))?;
    Ok(edge::OriginResponse::new(status, header, body.to_vec()))
}

/// The bucket of this host alone (never shared with other hosts): fill claims and epochs,
/// which go with this host's view cache.
const LOCAL: &str = "local";

thread_local! {
    /// What this instance parsed; edge-host reuses an instance for many requests.
    static MEMO: &'static edge::Memo = Box::leak(Box::default());
    /// The origin of the instance's monotonic clock.
    static STARTED: std::time::Instant = std::time::Instant::now();
}

/// Spin variables are fixed for the life of the application, so an instance that serves
/// several requests (edge-host reuses instances) reads them only once.
static CONFIG: OnceLock<edge::Config> = OnceLock::new();

async fn config() -> Result<&'static edge::Config, String> {
    if let Some(config) = CONFIG.get() {
        return Ok(config);
    }
    let config = load_config().await?;
    Ok(CONFIG.get_or_init(|| config))
}

async fn load_config() -> Result<edge::Config, String> {
    let mut values = HashMap::new();
    for name in edge::VARIABLES {
        if let Ok(value) = variables::get(name).await {
            values.insert(name, value);
        }
    }
    edge::Config::from_variables(|name| values.get(name).cloned())
}

#[http_service]
async fn handle(request: Request) -> impl IntoResponse {
    let (parts, body) = request.into_parts();
    let config = match config().await {
        Ok(config) => config,
        Err(message) => {
            eprintln!("edge configuration error: {message}");
            let misconfigured = http::Response::builder().status(500).body(edge::MISCONFIGURED_BODY.to_vec());
            return respond(misconfigured.map(|response| response.map(edge::Body::Full)));
        }
    };
    // `spin-client-addr` is `ip:port`; the port changes with every connection.
    let client = parts
        .headers
        .get("spin-client-addr")
        .and_then(|value| value.to_str().ok())
        .map(|address| address.rsplit_once(':').map_or(address, |(ip, _)| ip).trim_matches(['[', ']']).to_owned());
    let host = SpinHost {
        config,
        store: key_value::Store::open_default().await.ok(),
        views: key_value::Store::open("cache").await.ok(),
        client,
    };
    let response = match read_body(config, &parts.headers, body).await {
        Ok(Some(body)) => edge::handle(&host, config, http::Request::from_parts(parts, body)).await,
        Ok(None) => edge::body_too_large(&host, config).map(edge::Body::Full),
        Err(()) => edge::unreadable_body(&host).map(edge::Body::Full),
    };
    respond(Ok(response))
}

/// The body, frame by frame (see [`edge::BodyReader`]): `Ok(None)` when it passes the cap.
async fn read_body<B>(config: &edge::Config, headers: &http::HeaderMap, mut body: B) -> Result<Option<Vec<u8>>, ()>
where
    B: http_body::Body<Data = Bytes> + Unpin,
{
    use http_body_util::BodyExt;
    let mut reader = edge::BodyReader::new(config, headers);
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.map_err(drop)?.into_data() else { continue };
        if !reader.push(&data) {
            break;
        }
    }
    Ok(reader.finish())
}

/// A whole body, or the origin's stream passed through.
type ResponseBody = Either<FullBody<Bytes>, IncomingResponseBody>;

fn respond(response: http::Result<http::Response<edge::Body<IncomingResponseBody>>>) -> http::Response<ResponseBody> {
    match response {
        Ok(response) => response.map(|body| match body {
            edge::Body::Full(bytes) => Either::Left(FullBody::new(Bytes::from(bytes))),
            edge::Body::Stream(stream) => Either::Right(stream),
        }),
        Err(_) => {
            let body = Either::Left(FullBody::new(Bytes::from_static(edge::MISCONFIGURED_BODY)));
            let mut response = http::Response::new(body);
            *response.status_mut() = http::StatusCode::INTERNAL_SERVER_ERROR;
            response
        }
    }
}
