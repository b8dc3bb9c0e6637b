//! The edge core: everything the edge does, independent of the host it runs on.
//!
//! A request goes through [`route`], [`auth`], the base [`catalog`], compilation with
//! [`shared::plan`], and then to the origin through [`origin`]. Failures at any step are
//! answered here and never reach the origin. Hosts (Workers, Spin, the native host)
//! provide I/O through the [`Host`] trait and call [`handle`].
//!
//! Architecture Invariant: nothing in this crate names a host SDK; adapters convert
//! their request type to `http::Request<Vec<u8>>` and back, and nothing more.

mod auth;
mod catalog;
mod config;
mod cors;
mod gate;
pub mod guard;
mod headers;
mod host;
#[cfg(any(test, feature = "in-memory"))]
pub mod in_memory;
mod management;
mod memo;
mod meta;
mod origin;
mod route;
mod timing;
mod views;

pub use config::{Config, VARIABLES};
pub use gate::record_usage;
pub use host::{Host, Opened, OriginRequest, OriginResponse, is_event_stream};
pub use memo::Memo;
pub use shared::ids::BaseId;
pub use shared::token::sha256;
pub use shared::usage::UsageEntry;

use gate::Gate;
use http::{HeaderName, HeaderValue, Method, Request, Response, header};
use route::{Bulk, Records, Route, ViewPart};
use shared::catalog::{Catalog, Table};
use shared::envelope::{Op, REPLAYED_HEADER};
use shared::error::{ApiError, ErrorCode};
use shared::plan;
use shared::query::{parse_get_query, parse_records_query, single_parameter};
use shared::token::Scope;
use timing::Timing;

/// The request id header, set on every response.
pub const REQUEST_ID_HEADER: &str = "x-request-id";
pub use shared::envelope::{CATALOG_VERSION_HEADER, EXECUTE_PATH};
pub use shared::sign::HEADER as SIGNATURE_HEADER;

/// The body an adapter returns when its configuration is unusable (logged by the adapter).
pub const MISCONFIGURED_BODY: &[u8] =
    br#"{"error":{"code":"INTERNAL","message":"The edge is misconfigured; see the edge log.","details":{}},"request_id":null}"#;

/// A response's body: whole, or an origin's event stream the host passes on as it comes.
pub enum Body<S> {
    Full(Vec<u8>),
    Stream(S),
}

impl<S> Body<S> {
    /// The whole body; `None` for a stream.
    pub fn full(&self) -> Option<&[u8]> {
        match self {
            Body::Full(bytes) => Some(bytes),
            Body::Stream(_) => None,
        }
    }
}

/// Handles one request end to end and always returns a response.
pub async fn handle<H: Host>(host: &H, config: &Config, request: Request<Vec<u8>>) -> Response<Body<H::Stream>> {
    let mut stream = None;
    let response = answer(host, config, request, &mut stream).await;
    match stream {
        Some(stream) if response.status() == http::StatusCode::OK => response.map(|_| Body::Stream(stream)),
        _ => response.map(Body::Full),
    }
}

/// Answers one request; an event stream the origin opened for it goes to `stream`.
async fn answer<H: Host>(
    host: &H,
    config: &Config,
    request: Request<Vec<u8>>,
    stream: &mut Option<H::Stream>,
) -> Response<Vec<u8>> {
    let request_id = RequestId::new(host, request.headers());
    let cors = cors::allowed_origin(config, request.headers());
    if request.method() == Method::OPTIONS {
        // The methods the path takes, from the declaration; a path of no operation is a 404.
        return match shared::api::find(Method::OPTIONS.as_str(), request.uri().path()) {
            Err(error) if error.code == ErrorCode::MethodNotAllowed => {
                cors::preflight(cors, &format!("{}, OPTIONS", allowed_methods(&error).unwrap_or_default()), &request_id)
            }
            Err(error) => {
                let mut response = json_response(error.status(), error.to_body(&request_id), &request_id);
                cors::decorate(&mut response, cors);
                response
            }
            Ok(_) => cors::preflight(cors, "OPTIONS", &request_id),
        };
    }
    if request.uri().path() == gate::FLUSH_PATH
        && request.headers().get(gate::TRIGGER_HEADER).is_some_and(|value| value == "tick")
    {
        let reply = match gate::flush(host, config, &request_id).await {
            Ok(flushed) => Reply::new(200, format!("{{\"flushed\":{flushed}}}").into_bytes()),
            Err(error) => Reply::new(error.status(), error.to_body(&request_id)),
        };
        return json_response(reply.status, reply.body, &request_id);
    }
    if request.method() == Method::POST && request.uri().path() == shared::invalidation::INVALIDATE_PATH {
        let reply = match invalidate(host, config, &request).await {
            Ok(()) => Reply::new(200, b"{\"invalidated\":true}".to_vec()),
            Err(error) => Reply::new(error.status(), error.to_body(&request_id)),
        };
        return json_response(reply.status, reply.body, &request_id);
    }
    let timing = Timing::start(host.monotonic_us());
    let gate = Gate::new(host, config);
    let answered = match gate::check_request(config, &request) {
        Ok(()) => handle_inner(host, config, &gate, &timing, &request, &request_id, stream).await,
        Err(error) => Err(error),
    };
    // A request that was not admitted as a caller is one without valid credentials.
    let answered = match gate.anonymous().await {
        Ok(()) => answered,
        Err(refusal) => Err(refusal),
    };
    let reply = match answered {
        Ok(reply) => reply,
        Err(error) => {
            let mut reply = Reply::new(error.status(), error.to_body(&request_id));
            // A 405 says which methods the path takes (RFC 9110 §15.5.6).
            if let Some(allow) = allowed_methods(&error).filter(|_| error.code == ErrorCode::MethodNotAllowed) {
                reply.headers.extend(HeaderValue::from_str(allow).ok().map(|value| (Some(header::ALLOW), value)));
            }
            reply
        }
    };
    let mut response = json_response(reply.status, reply.body, &request_id);
    let headers = response.headers_mut();
    if matches!(reply.status, 204 | 304) {
        headers.remove(header::CONTENT_TYPE);
    }
    headers.extend(reply.headers);
    for (name, value) in gate.headers() {
        headers.insert(name, value);
    }
    if matches!(reply.status, 503 | 504) && !headers.contains_key(header::RETRY_AFTER) {
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    if let Ok(value) = HeaderValue::from_str(&timing.header(host.monotonic_us())) {
        headers.insert(SERVER_TIMING, value);
    }
    cors::decorate(&mut response, cors);
    response
}

const SERVER_TIMING: HeaderName = HeaderName::from_static("server-timing");

/// The answer to a body over `max_body_bytes`, given before the rest of it is read.
pub fn body_too_large<H: Host>(host: &H, config: &Config) -> Response<Vec<u8>> {
    let request_id = new_request_id(host);
    let error = gate::body_too_large(config);
    json_response(error.status(), error.to_body(&request_id), &request_id)
}

/// A request body gathered chunk by chunk as a host reads it, never holding more than
/// `max_body_bytes`. A body past the cap is refused: the rest is read and dropped up to
/// as much again, so that an ordinary client that sent a little too much reads the 413
/// on a healthy connection, and one that sends more than twice the cap is answered
/// without reading further.
pub struct BodyReader {
    bytes: Vec<u8>,
    max: usize,
    seen: usize,
}

impl BodyReader {
    pub fn new(config: &Config, headers: &http::HeaderMap) -> BodyReader {
        let declared = headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|text| text.trim().parse::<usize>().ok());
        let max = config.max_body_bytes;
        // Never reserve more than the cap, whatever the client declared.
        BodyReader { bytes: Vec::with_capacity(declared.unwrap_or(0).min(max)), max, seen: 0 }
    }

    /// Adds a chunk (keeping it only while the body is within the cap); whether to read on.
    #[must_use]
    pub fn push(&mut self, chunk: &[u8]) -> bool {
        self.seen = self.seen.saturating_add(chunk.len());
        if self.seen <= self.max {
            self.bytes.extend_from_slice(chunk);
        } else {
            self.bytes = Vec::new();
        }
        self.seen <= 2 * self.max
    }

    /// The body, or `None` when it passed the cap.
    pub fn finish(self) -> Option<Vec<u8>> {
        (self.seen <= self.max).then_some(self.bytes)
    }
}

/// The answer when the adapter could not read the request body from its host.
pub fn unreadable_body<H: Host>(host: &H) -> Response<Vec<u8>> {
    let request_id = new_request_id(host);
    let error = ApiError::new(ErrorCode::InvalidRequest, "The request body could not be read.");
    json_response(error.status(), error.to_body(&request_id), &request_id)
}

/// Status, body and the headers a route adds (`ETag`, `Idempotency-Replayed`).
struct Reply {
    status: u16,
    body: Vec<u8>,
    headers: Vec<(Option<HeaderName>, HeaderValue)>,
}

impl Reply {
    fn new(status: u16, body: Vec<u8>) -> Reply {
        Reply { status, body, headers: Vec::new() }
    }

    /// The head of an event stream whose body the host passes on.
    fn event_stream() -> Reply {
        let mut reply = Reply::new(200, Vec::new());
        reply.headers.push((Some(header::CONTENT_TYPE), HeaderValue::from_static(shared::events::CONTENT_TYPE)));
        // Proxies that buffer answers (nginx) pass this one on as it comes.
        reply.headers.push((Some(HeaderName::from_static("x-accel-buffering")), HeaderValue::from_static("no")));
        reply
    }
}

async fn handle_inner<H: Host>(
    host: &H,
    config: &Config,
    gate: &Gate<'_, H>,
    timing: &Timing,
    request: &Request<Vec<u8>>,
    request_id: &RequestId,
    stream: &mut Option<H::Stream>,
) -> Result<Reply, ApiError> {
    let parsed = route::parse(request.method().as_str(), request.uri().path());
    timing.mark("parse", host.monotonic_us());
    let route = match parsed? {
        Route::Manage(operation, params) => {
            // A body is read only by the operations that take one.
            if operation.request.is_some() && !request.body().is_empty() {
                require_json(request)?;
            }
            let (status, body, retry_after) =
                management::handle(host, config, gate, request, request_id, (operation, &params)).await?;
            let mut reply = Reply::new(status, body);
            if let Some(seconds) = retry_after {
                reply.headers.push((Some(header::RETRY_AFTER), HeaderValue::from(seconds)));
            }
            return Ok(reply);
        }
        Route::OpenApi => {
            gate.anonymous().await?;
            return Ok(Reply::new(200, openapi_document(request, None)));
        }
        Route::Meta(meta) => {
            let caller = authenticate(host, config, gate, request, request_id, Scope::Read).await?;
            let (catalog, body) =
                catalog::with_catalog(host, config, caller.base_id, request_id, i64::MIN, |catalog| {
                    meta::answer(&meta, catalog)
                })
                .await?;
            return Ok(Reply::new(200, body.unwrap_or_else(|| openapi_document(request, Some(&catalog.catalog)))));
        }
        Route::Records(route) => route,
        Route::Bulk(route) => return bulk(host, config, gate, request, request_id, route, stream).await,
        Route::View { slug, part } => {
            return match part {
                ViewPart::Data => views::data(host, config, gate, request, request_id, &slug).await,
                ViewPart::Meta => views::meta(host, config, gate, request, request_id, &slug).await,
                ViewPart::Events => views::events(host, config, gate, request, request_id, &slug, stream).await,
            };
        }
    };
    let caller = authenticate(host, config, gate, request, request_id, route.scope()).await?;
    timing.mark("auth", host.monotonic_us());
    if let Records::Watch { table: name, poll } = &route {
        return watch(host, config, &caller, request, request_id, name, *poll, stream).await;
    }
    if route.has_body() {
        require_json(request)?;
    }
    let headers = request.headers();
    let if_match = match route {
        Records::Update { .. } | Records::Delete { .. } => headers::if_match(headers)?,
        _ => None,
    };
    let idempotency_key = if route.is_write() { headers::idempotency_key(headers)? } else { None };
    let compile = |catalog: &Catalog| -> Result<plan::Plan, ApiError> {
        timing.mark("catalog", host.monotonic_us());
        let compiled = compile_records(config, catalog, &route, request, if_match);
        timing.mark("plan", host.monotonic_us());
        compiled
    };
    if let Records::Validate { .. } = route {
        // What a create would answer up to the write itself; nothing is sent to the origin.
        catalog::with_catalog(host, config, caller.base_id, request_id, i64::MIN, &compile).await?;
        let body = serde_json::to_vec(&shared::records::Validated { valid: shared::resource::True })
            .map_err(|_| ApiError::internal())?;
        return Ok(Reply::new(200, body));
    }
    // A plan compiled against a stale catalog is refused by the origin; refresh once and retry.
    let mut fetched_after_ms = i64::MIN;
    loop {
        let (catalog, plan) =
            catalog::with_catalog(host, config, caller.base_id, request_id, fetched_after_ms, &compile).await?;
        // The ETag is the record's version: it says nothing of the records `include` embeds,
        // so only a read without them may be answered 304.
        let conditional = matches!(&plan, plan::Plan::GetRecord { include, .. } if include.is_empty());
        let op = Op::Records {
            base_id: caller.base_id,
            catalog_version: catalog.catalog.version,
            principal: caller.principal.clone(),
            plan,
            idempotency_key: idempotency_key.clone(),
        };
        let envelope = origin::envelope(host, config, request_id, op);
        timing.mark("sign", host.monotonic_us());
        let reply = origin::send(host, config, envelope).await?;
        timing.mark("origin", host.monotonic_us());
        timing.origin(reply.server_timing.clone());
        if stale_plan(host, caller.base_id, catalog.catalog.version, &reply, &mut fetched_after_ms).await {
            continue;
        }
        let mut answer = Reply::new(reply.status, reply.body);
        if reply.replayed {
            answer.headers.push((Some(HeaderName::from_static(REPLAYED_HEADER)), HeaderValue::from_static("true")));
        }
        if let Some(etag) = reply.etag.as_deref().and_then(|etag| HeaderValue::from_str(etag).ok()) {
            if conditional && headers::none_match(headers, etag.as_bytes()) {
                answer.status = 304;
                answer.body = Vec::new();
            }
            answer.headers.push((Some(header::ETAG), etag));
        }
        return Ok(answer);
    }
}

/// The plan of a records request against `catalog`.
fn compile_records(
    config: &Config,
    catalog: &Catalog,
    route: &Records,
    request: &Request<Vec<u8>>,
    if_match: Option<i64>,
) -> Result<plan::Plan, ApiError> {
    let table = table(catalog, route.table())?;
    let (query, body) = (request.uri().query().unwrap_or(""), request.body());
    match route {
        // A watch is answered by `watch`, with the list plan of its filters.
        Records::List { .. } | Records::Watch { .. } => {
            plan::compile_list_in(Some(catalog), table, &parse_records_query(query)?, &config.keys)
        }
        Records::Get { id, .. } => plan::compile_get_in(Some(catalog), table, id, &parse_get_query(query)?),
        Records::Create { .. } | Records::Validate { .. } => {
            no_query(query).and_then(|()| plan::compile_create(table, body))
        }
        Records::Update { id, .. } => no_query(query).and_then(|()| plan::compile_update(table, id, body, if_match)),
        Records::Delete { id, .. } => no_query(query).and_then(|()| plan::compile_delete(table, id, if_match)),
        Records::DeleteMany { .. } => {
            let allowed = headers::allow_filtered_delete(request.headers());
            plan::compile_delete_many(Some(catalog), table, &parse_records_query(query)?, allowed)
        }
        Records::BatchUpsert { .. } => plan::compile_upsert(table, single_parameter(query, "unique")?.as_deref(), body),
        Records::BatchDelete { .. } => no_query(query).and_then(|()| plan::compile_batch_delete(table, body)),
    }
}

/// `GET /v1/tables/{tableId}/events`: the list plan of the request's filters and fields,
/// for the origin to follow from `Last-Event-ID` (or from now) as a stream; or, with
/// `poll` (`events:poll`), to answer the changes after `after` once there are some,
/// waiting at most `wait` seconds.
#[expect(clippy::too_many_arguments, reason = "the request and both forms of its answer")]
async fn watch<H: Host>(
    host: &H,
    config: &Config,
    caller: &auth::Caller,
    request: &Request<Vec<u8>>,
    request_id: &RequestId,
    name: &str,
    poll: bool,
    stream: &mut Option<H::Stream>,
) -> Result<Reply, ApiError> {
    let (raw, presence) = shared::events::split_presence(request.uri().query().unwrap_or(""))?;
    if presence && poll {
        return Err(ApiError::new(ErrorCode::InvalidQuery, "Presence needs a stream; a long poll cannot tell it.")
            .with("parameter", "presence"));
    }
    let (raw, after, wait) = match poll {
        true => {
            let (rest, [after, wait]) = shared::query::split_off(&raw, ["after", "wait"])?;
            (rest, after, wait)
        }
        false => (raw, None, None),
    };
    let query = parse_records_query(&raw)?;
    if let Some(parameter) = given(&query, &["limit", "cursor", "sort", "include"]) {
        return Err(ApiError::new(
            ErrorCode::InvalidQuery,
            format!(
                "An event stream sends each change the filters select as it happens; '{parameter}' does not apply."
            ),
        )
        .with("parameter", parameter));
    }
    let after = match after {
        Some(after) => shared::events::last_position(Some(after.as_bytes())).map_err(|_| {
            ApiError::new(
                ErrorCode::InvalidQuery,
                "'after' must be a position this API gave; send none to start from now.",
            )
            .with("parameter", "after")
        })?,
        None => shared::events::last_position(
            request.headers().get(shared::events::LAST_EVENT_ID).map(HeaderValue::as_bytes),
        )?,
    };
    let seconds = match poll {
        true => poll_wait(wait.as_deref(), config)?,
        false => config.stream_seconds,
    };
    let compile = |catalog: &Catalog| plan::compile_list_in(Some(catalog), table(catalog, name)?, &query, &config.keys);
    let mut fetched_after_ms = i64::MIN;
    loop {
        let (catalog, plan) =
            catalog::with_catalog(host, config, caller.base_id, request_id, fetched_after_ms, &compile).await?;
        let op = Op::Watch {
            base_id: caller.base_id,
            catalog_version: catalog.catalog.version,
            principal: caller.principal.clone(),
            plan,
            after: after.clone(),
            seconds,
            poll,
            presence,
        };
        let reply = match poll {
            true => origin::call(host, config, request_id, op).await?,
            false => {
                let envelope = origin::envelope(host, config, request_id, op);
                match open_stream(host, config, envelope, stream).await? {
                    Some(reply) => reply,
                    None => return Ok(Reply::event_stream()),
                }
            }
        };
        if stale_plan(host, caller.base_id, catalog.catalog.version, &reply, &mut fetched_after_ms).await {
            continue;
        }
        return Ok(Reply::new(reply.status, reply.body));
    }
}

/// The longest a long poll waits: well within the origin's timeout.
const MAX_POLL_WAIT: u32 = 20;

/// How long a long poll waits for a change: `wait` seconds, [`MAX_POLL_WAIT`] when absent,
/// and always well within the origin's timeout.
fn poll_wait(wait: Option<&str>, config: &Config) -> Result<u32, ApiError> {
    let limit = MAX_POLL_WAIT.min(u32::try_from(config.origin_timeout_ms / 1000).unwrap_or(u32::MAX).saturating_sub(5));
    match wait {
        None => Ok(limit),
        Some(text) => {
            text.parse::<u32>().ok().filter(|wait| *wait <= MAX_POLL_WAIT).map(|wait| wait.min(limit)).ok_or_else(
                || {
                    ApiError::new(
                        ErrorCode::InvalidQuery,
                        format!("'wait' is a number of seconds from 0 to {MAX_POLL_WAIT}."),
                    )
                    .with("parameter", "wait")
                },
            )
        }
    }
}

/// Sends an envelope that asks for a stream: `None` once the stream is in `stream`, the
/// origin's answer otherwise.
pub(crate) async fn open_stream<H: Host>(
    host: &H,
    config: &Config,
    envelope: OriginRequest,
    stream: &mut Option<H::Stream>,
) -> Result<Option<OriginResponse>, ApiError> {
    match origin::open(host, config, envelope).await? {
        host::Opened::Stream(body) => {
            *stream = Some(body);
            Ok(None)
        }
        host::Opened::Answer(reply) => Ok(Some(reply)),
    }
}

/// The first of `parameters` (among `limit`, `cursor`, `sort` and `include`) the query gives.
fn given<'a>(query: &shared::query::RecordsQuery, parameters: &[&'a str]) -> Option<&'a str> {
    parameters.iter().copied().find(|parameter| match *parameter {
        "limit" => query.limit.is_some(),
        "cursor" => query.cursor.is_some(),
        "sort" => !query.sort.is_empty(),
        "include" => !query.include.is_empty(),
        _ => false,
    })
}

/// Uploads and jobs: checked here as far as the catalog allows, answered by the origin.
async fn bulk<H: Host>(
    host: &H,
    config: &Config,
    gate: &Gate<'_, H>,
    request: &Request<Vec<u8>>,
    request_id: &RequestId,
    route: Bulk,
    stream: &mut Option<H::Stream>,
) -> Result<Reply, ApiError> {
    use shared::bulk::BulkRequest;
    let caller = authenticate(host, config, gate, request, request_id, route.scope()).await?;
    let (query, body) = (request.uri().query().unwrap_or(""), request.body());
    let job = |text: &str| {
        shared::ids::parse_uuid(text)
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "No job of this base has this id.").with("job", text))
    };
    let compile = |catalog: &Catalog| -> Result<BulkRequest, ApiError> {
        match &route {
            Bulk::SignUpload => {
                no_query(query)?;
                require_json(request)?;
                let upload = serde_json::from_slice(body).map_err(|error| {
                    ApiError::new(ErrorCode::InvalidRequest, format!("The body must be an upload request: {error}."))
                })?;
                Ok(BulkRequest::SignUpload { upload })
            }
            Bulk::Import { table: name } => {
                no_query(query)?;
                require_json(request)?;
                Ok(BulkRequest::Import { import: shared::bulk::compile_import(table(catalog, name)?, body)? })
            }
            Bulk::Export { table: name } => {
                let query = parse_records_query(query)?;
                if let Some(parameter) = given(&query, &["limit", "cursor"]) {
                    return Err(ApiError::new(
                        ErrorCode::InvalidQuery,
                        format!("An export writes every record the query selects; '{parameter}' does not apply."),
                    )
                    .with("parameter", parameter));
                }
                let mut plan = plan::compile_list_in(Some(catalog), table(catalog, name)?, &query, &config.keys)?;
                if let plan::Plan::ListRecords { limit, .. } = &mut plan {
                    *limit = shared::bulk::EXPORT_LIMIT;
                }
                Ok(BulkRequest::Export { plan })
            }
            Bulk::GetJob { job: id } => no_query(query).and_then(|()| Ok(BulkRequest::GetJob { job: job(id)? })),
            Bulk::CancelJob { job: id } => no_query(query).and_then(|()| Ok(BulkRequest::CancelJob { job: job(id)? })),
            Bulk::WatchJob { job: id } => {
                no_query(query)?;
                let last = request.headers().get(shared::events::LAST_EVENT_ID).map(HeaderValue::as_bytes);
                let after = shared::events::last_event_id(last)?;
                Ok(BulkRequest::WatchJob { job: job(id)?, after, seconds: config.stream_seconds })
            }
        }
    };
    let mut fetched_after_ms = i64::MIN;
    loop {
        let (catalog, bulk) =
            catalog::with_catalog(host, config, caller.base_id, request_id, fetched_after_ms, &compile).await?;
        let op = Op::Bulk {
            base_id: caller.base_id,
            catalog_version: catalog.catalog.version,
            principal: caller.principal.clone(),
            request: bulk,
        };
        let envelope = origin::envelope(host, config, request_id, op);
        let reply = match route {
            Bulk::WatchJob { .. } => match open_stream(host, config, envelope, stream).await? {
                None => return Ok(Reply::event_stream()),
                Some(reply) => reply,
            },
            _ => origin::send(host, config, envelope).await?,
        };
        if stale_plan(host, caller.base_id, catalog.catalog.version, &reply, &mut fetched_after_ms).await {
            continue;
        }
        return Ok(Reply::new(reply.status, reply.body));
    }
}

/// `POST /internal/v1/invalidate` from the origin: bumps the epochs of what changed, so
/// that no cached answer computed before the change is served again.
async fn invalidate<H: Host>(host: &H, config: &Config, request: &Request<Vec<u8>>) -> Result<(), ApiError> {
    let signature = request.headers().get(SIGNATURE_HEADER).and_then(|value| value.to_str().ok()).unwrap_or("");
    if !config.keys.verify(request.body(), signature) {
        return Err(ApiError::new(ErrorCode::InvalidSignature, "Missing or invalid origin signature."));
    }
    let invalidation: shared::invalidation::Invalidation = serde_json::from_slice(request.body())
        .map_err(|_| ApiError::new(ErrorCode::InvalidRequest, "The invalidation does not parse."))?;
    if !shared::envelope::in_window(invalidation.issued_at, host.now_ms()) {
        return Err(ApiError::new(ErrorCode::PlanExpired, "The invalidation was issued outside the accepted window."));
    }
    host.bump_epochs(invalidation.base_id, &shared::invalidation::epoch_keys(&invalidation)).await;
    if invalidation.catalog {
        catalog::forget(host, invalidation.base_id).await;
    }
    Ok(())
}

/// Authenticates the caller, admits them under their own rate limit and quota, and checks
/// they have `required`.
async fn authenticate<H: Host>(
    host: &H,
    config: &Config,
    gate: &Gate<'_, H>,
    request: &Request<Vec<u8>>,
    request_id: &RequestId,
    required: Scope,
) -> Result<auth::Caller, ApiError> {
    let caller = auth::authenticate(host, config, gate, request.headers(), request_id).await?;
    gate.caller(&caller, request_id).await?;
    if !caller.principal.has(required) {
        let message = match caller.principal {
            shared::envelope::Principal::Token { .. } => {
                format!("This token lacks the '{}' scope needed here.", required.as_str())
            }
            shared::envelope::Principal::User { .. } => {
                format!("Your role in this base's workspace does not allow '{}'.", required.as_str())
            }
            shared::envelope::Principal::View { .. } => format!("A view does not allow '{}'.", required.as_str()),
        };
        return Err(ApiError::new(ErrorCode::InsufficientScope, message).with("required", required.as_str()));
    }
    Ok(caller)
}

fn table<'a>(catalog: &'a Catalog, reference: &str) -> Result<&'a Table, ApiError> {
    catalog.table(reference).ok_or_else(|| {
        ApiError::new(ErrorCode::TableNotFound, format!("No table '{reference}' in this base."))
            .with("table", reference)
    })
}

fn no_query(query: &str) -> Result<(), ApiError> {
    match shared::query::pairs(query)?.first() {
        None => Ok(()),
        Some((key, _)) => Err(ApiError::new(
            ErrorCode::InvalidQuery,
            format!("Unknown query parameter '{key}'; this route takes none."),
        )
        .with("parameter", key.as_str())),
    }
}

/// This deployment's URL as the request reached it, e.g. `https://api.example.com`.
pub(crate) fn server_url(request: &Request<Vec<u8>>) -> String {
    // Wasm hosts pass the authority in the URI (wasi-http forbids a Host header); others send Host.
    let authority = request.uri().authority().map(|authority| authority.as_str());
    let host = authority.or_else(|| request.headers().get(header::HOST).and_then(|value| value.to_str().ok()));
    let scheme = request.uri().scheme_str().unwrap_or("https");
    host.map(|host| format!("{scheme}://{host}")).unwrap_or_else(|| "/".to_owned())
}

/// The OpenAPI document, with this deployment's URL as its server; with a catalog, the
/// variant for that base.
fn openapi_document(request: &Request<Vec<u8>>, catalog: Option<&Catalog>) -> Vec<u8> {
    let server = server_url(request);
    match catalog {
        None => generic_document(&server),
        Some(catalog) => {
            serde_json::to_vec(&openapi::base_document(&server, catalog)).expect("the document serializes")
        }
    }
}

/// Stands for the server URL in the generic document; JSON escapes it to a string that
/// no other part of the document holds.
const SERVER_PLACEHOLDER: &str = "\u{1}server\u{1}";

/// The generic document differs between requests only in its server URL: it is built and
/// serialized once per process or isolate, and each answer splices its URL in.
fn generic_document(server: &str) -> Vec<u8> {
    static DOCUMENT: std::sync::OnceLock<(Vec<u8>, usize, usize)> = std::sync::OnceLock::new();
    let (bytes, start, end) = DOCUMENT.get_or_init(|| {
        let bytes = serde_json::to_vec(&openapi::document(SERVER_PLACEHOLDER)).expect("the document serializes");
        let needle = serde_json::to_vec(SERVER_PLACEHOLDER).expect("a string serializes");
        let start =
            bytes.windows(needle.len()).position(|window| window == needle).expect("the server is in the document");
        (bytes, start, start + needle.len())
    });
    let server = serde_json::to_vec(server).expect("a string serializes");
    [&bytes[..*start], &server, &bytes[*end..]].concat()
}

/// The methods a 405 names (`details.allowed`, from `shared::api::find`).
fn allowed_methods(error: &ApiError) -> Option<&str> {
    error.details.get("allowed").and_then(|allowed| allowed.as_str())
}

/// After the origin answered a request compiled against catalog `version`: forgets the
/// base's catalog when the origin reports another, and tells whether to compile again,
/// once, because the origin refused the plan as compiled against an older catalog.
pub(crate) async fn stale_plan<H: Host>(
    host: &H,
    base_id: BaseId,
    version: i64,
    reply: &host::OriginResponse,
    fetched_after_ms: &mut i64,
) -> bool {
    if reply.catalog_version.is_some_and(|reported| reported != version) {
        catalog::forget(host, base_id).await;
    }
    let retry = reply.status == ErrorCode::CatalogStale.status()
        && is_catalog_stale(&reply.body)
        && *fetched_after_ms == i64::MIN;
    if retry {
        *fetched_after_ms = host.now_ms();
    }
    retry
}

fn is_catalog_stale(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .is_some_and(|body| body["error"]["code"] == ErrorCode::CatalogStale.as_str())
}

fn require_json(request: &Request<Vec<u8>>) -> Result<(), ApiError> {
    let content_type = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if essence.eq_ignore_ascii_case("application/json") {
        Ok(())
    } else {
        Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "Send the body as JSON with 'Content-Type: application/json'.",
        ))
    }
}

/// A request's id (`req_<24 hex>`, in its answer and every log line about it) and its
/// W3C trace context: the caller's `traceparent`, or a new trace. Every envelope of the
/// request carries the context, so the origin's spans join the caller's trace. It reads
/// as the id (`Deref<Target = str>`).
pub struct RequestId {
    id: String,
    pub traceparent: shared::trace::TraceParent,
}

impl std::ops::Deref for RequestId {
    type Target = str;

    fn deref(&self) -> &str {
        &self.id
    }
}

impl RequestId {
    pub fn new<H: Host>(host: &H, headers: &http::HeaderMap) -> RequestId {
        let mut bytes = [0u8; 12];
        host.fill_random(&mut bytes);
        let given = headers.get(shared::trace::HEADER).and_then(|value| value.to_str().ok());
        let traceparent = given.and_then(shared::trace::TraceParent::parse).unwrap_or_else(|| {
            let mut random = [0u8; 24];
            host.fill_random(&mut random);
            shared::trace::TraceParent::start(random)
        });
        RequestId { id: format!("req_{}", hex::encode(bytes)), traceparent }
    }

    /// The id of the edge's own work (`label`, e.g. a usage flush), in a trace of its own.
    pub fn internal<H: Host>(host: &H, label: &str) -> RequestId {
        let mut random = [0u8; 24];
        host.fill_random(&mut random);
        RequestId { id: label.to_owned(), traceparent: shared::trace::TraceParent::start(random) }
    }
}

fn new_request_id<H: Host>(host: &H) -> RequestId {
    RequestId::new(host, &http::HeaderMap::new())
}

fn json_response(status: u16, body: Vec<u8>, request_id: &str) -> Response<Vec<u8>> {
    let mut response = Response::new(body);
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::BAD_GATEWAY);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(request_id) {
        headers.insert(REQUEST_ID_HEADER, value);
    }
    response
}

#[cfg(test)]
mod tests;
