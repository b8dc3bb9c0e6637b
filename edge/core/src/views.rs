//! Published views: `GET /public/views/{slug}/data` and `/meta`, answered from the edge
//! cache whenever it can be, and never with data older than the last write; and
//! `/events`, the view's changes as a stream the origin answers ([`events`]).
//!
//! **The cache key** is the slug, the view's active version, the base's catalog version
//! and the request's parameters, normalized. Each entry remembers the epochs it was
//! computed under: the view's table (`t:<id>`), the view (`v:<slug>`) and the catalog
//! (`c`), counters that the origin's pushes bump after every committed write, view change
//! and schema change ([`crate::invalidate`]). An entry answers only while its epochs are
//! current and it is younger than the view's `max-age` (then `X-Cache: HIT`); epochs are
//! read before the origin is, so an entry is never older than the epochs it names.
//!
//! **Coalescing.** A miss claims the key: one request asks the origin, the others wait
//! for its entry (up to three seconds). Past `max-age`, within `stale-while-revalidate`,
//! one request refreshes and the others get the old entry (`X-Cache: STALE`); when the
//! origin fails, an entry within `stale-if-error` is served (`STALE`) instead of the error.

use crate::auth::Caller;
use crate::gate::Gate;
use crate::memo::{self, Validity};
use crate::{Config, Host, Reply, catalog, origin};
use http::{HeaderName, HeaderValue, Request, header};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Value, json};
use shared::envelope::{Op, Principal};
use shared::error::{ApiError, ErrorCode};
use shared::invalidation::{CATALOG_EPOCH, table_epoch, view_epoch};
use shared::token::Scope;
use shared::view::{
    AuthMode, MetaAuth, MetaEndpoint, MetaExamples, MetaFilter, MetaPagination, MetaParam, MetaSort, MetaView,
    PublishedView, ViewMeta, WhenAbsent,
};
use std::rc::Rc;

/// How long a request waits for another one filling the same key.
const COALESCE_WAIT_MS: i64 = 3_000;
const COALESCE_POLL_MS: u64 = 10;

#[derive(Serialize, Deserialize)]
pub(crate) struct CachedView {
    view: PublishedView,
    /// The view's epoch when it was loaded.
    epoch: u64,
    until_ms: i64,
}

/// The epochs an answer of a view depends on: its table's, its own, the catalog's, and
/// the joined table's when it joins one.
fn epoch_keys(view: &PublishedView) -> Vec<String> {
    let mut keys = vec![table_epoch(view.definition.table), view_epoch(&view.slug), CATALOG_EPOCH.to_owned()];
    keys.extend(view.definition.joined_table.map(table_epoch));
    keys
}

/// The published view of a slug, from the cache unless its epoch moved, with the current
/// values of its [`epoch_keys`] (read once, before any origin call). A slug that must be
/// looked up at the origin is admitted first under the client address's budget, as an
/// unknown token is; while the origin is unreachable, the last descriptor stands.
async fn descriptor<H: Host>(
    host: &H,
    config: &Config,
    gate: &Gate<'_, H>,
    slug: &str,
    request_id: &crate::RequestId,
    reload: bool,
) -> Result<(Rc<CachedView>, Vec<u64>), ApiError> {
    if !shared::view::is_valid_slug(slug) {
        // Not a name a view can have: no cache entry and no origin lookup for it.
        return Err(not_published(slug));
    }
    let key = format!("view:{slug}");
    let now_ms = host.now_ms();
    let mut last = None;
    // Its epoch decides whether it is current, so any entry is worth reading.
    if let Some(cached) = memo::read(host, &key, Validity::Content, |_: &CachedView| true).await.filter(|_| !reload) {
        let epochs = host.epochs(cached.view.base_id, &epoch_keys(&cached.view)).await;
        if epochs.get(1) == Some(&cached.epoch) {
            if cached.until_ms > now_ms {
                return Ok((cached, epochs));
            }
            last = Some((cached, epochs));
        }
    }
    gate.anonymous().await?;
    let fetched = origin::fetch(host, config, request_id, Op::LoadView { slug: slug.to_owned() }).await;
    let view: PublishedView = match (fetched, last) {
        (Ok(view), _) => view.ok_or_else(|| not_published(slug))?,
        (Err(error), Some(last)) if error.status() >= 500 => return Ok(last),
        (Err(error), _) => return Err(error),
    };
    let epochs = host.epochs(view.base_id, &epoch_keys(&view)).await;
    // Trusted as long as a catalog, pushes aside.
    let entry =
        CachedView { view, epoch: epochs.get(1).copied().unwrap_or(0), until_ms: now_ms + config.catalog_ttl_ms };
    Ok((memo::write(host, &key, Validity::Content, entry).await, epochs))
}

fn not_published(slug: &str) -> ApiError {
    ApiError::new(ErrorCode::NotFound, format!("No view is published at '{slug}'.")).with("slug", slug)
}

/// Checks the caller against the view's auth mode and admits them.
async fn admit<H: Host>(
    host: &H,
    config: &Config,
    gate: &Gate<'_, H>,
    request: &Request<Vec<u8>>,
    request_id: &crate::RequestId,
    view: &PublishedView,
) -> Result<(), ApiError> {
    match view.auth {
        AuthMode::Public => gate.visitor(view.base_id, "public".to_owned(), request_id).await,
        AuthMode::ViewKey => {
            let bearer = crate::auth::bearer(request.headers())?;
            let key = view_key(bearer, view).ok_or_else(|| {
                ApiError::new(ErrorCode::InvalidToken, "This view needs one of its keys: 'Authorization: Bearer nv_…'.")
            })?;
            gate.visitor(view.base_id, format!("view_key:{key}"), request_id).await
        }
        AuthMode::BaseToken => {
            let caller: Caller = crate::auth::authenticate(host, config, gate, request.headers(), request_id).await?;
            if caller.base_id != view.base_id {
                return Err(not_published(&view.slug));
            }
            if !caller.principal.has(Scope::Read) {
                return Err(ApiError::new(ErrorCode::InsufficientScope, "Reading a view needs the 'read' scope.")
                    .with("required", "read"));
            }
            gate.caller(&caller, request_id).await
        }
    }
}

/// The id of the view key a bearer carries, if it is one of the view's live keys.
fn view_key(bearer: &str, view: &PublishedView) -> Option<uuid::Uuid> {
    let (id, secret) = bearer.strip_prefix("nv_")?.split_once('_')?;
    let id = uuid::Uuid::try_parse(id).ok().filter(|_| id.len() == 32)?;
    let presented = shared::token::sha256(secret.as_bytes());
    view.keys.iter().find_map(|(key, stored)| {
        let stored = hex::decode(stored).ok()?;
        let matches: bool = subtle::ConstantTimeEq::ct_eq(stored.as_slice(), presented.as_slice()).into();
        (*key == id && matches).then_some(*key)
    })
}

/// A view request compiled: its plan, page size and cache key.
struct Compiled {
    plan: shared::plan::Plan,
    limit: u32,
    key: String,
}

/// A cache entry: the epochs it was computed under, when, its ETag and the page (kept as
/// the JSON it is, neither escaped nor parsed).
#[derive(Serialize, Deserialize)]
struct Entry {
    epochs: Vec<u64>,
    stored_ms: i64,
    etag: String,
    body: Box<RawValue>,
}

/// The entry stored under a key, if any (one that no longer parses is none): computed
/// under `epochs` when they are given.
async fn stored_entry<H: Host>(host: &H, key: &str, epochs: Option<&[u64]>) -> Option<Rc<Entry>> {
    memo::read_answer(host, key, |entry: &Entry| epochs.is_none_or(|epochs| entry.epochs == epochs)).await
}

/// `GET /public/views/{slug}/data`.
pub async fn data<H: Host>(
    host: &H,
    config: &Config,
    gate: &Gate<'_, H>,
    request: &Request<Vec<u8>>,
    request_id: &crate::RequestId,
    slug: &str,
) -> Result<Reply, ApiError> {
    let mut reload = false;
    loop {
        let (cached, epochs) = descriptor(host, config, gate, slug, request_id, reload).await?;
        let view = &cached.view;
        admit(host, config, gate, request, request_id, view).await?;
        match serve(host, config, request, request_id, view, epochs).await {
            // The view changed since its descriptor was cached: once more with the new one.
            Err(error) if error.code == ErrorCode::CatalogStale && !reload => reload = true,
            answer => return answer,
        }
    }
}

/// `GET /public/views/{slug}/events`: the changes of the records the view (with the
/// request's parameters and filters) selects, each as the view shows it, admitted as the
/// view's data is; the origin follows them from `Last-Event-ID` (or from now).
pub async fn events<H: Host>(
    host: &H,
    config: &Config,
    gate: &Gate<'_, H>,
    request: &Request<Vec<u8>>,
    request_id: &crate::RequestId,
    slug: &str,
    stream: &mut Option<H::Stream>,
) -> Result<Reply, ApiError> {
    let (query, presence) = shared::events::split_presence(request.uri().query().unwrap_or(""))?;
    let query = query.as_str();
    for (key, _) in shared::query::pairs(query)? {
        if matches!(key.as_str(), "limit" | "cursor" | "sort") {
            return Err(ApiError::new(
                ErrorCode::InvalidQuery,
                format!("An event stream sends each change the view selects as it happens; '{key}' does not apply."),
            )
            .with("parameter", key));
        }
    }
    let last = request.headers().get(shared::events::LAST_EVENT_ID).map(HeaderValue::as_bytes);
    let after = shared::events::last_position(last)?;
    let (mut reload, mut fetched_after_ms) = (false, i64::MIN);
    loop {
        let (cached, _) = descriptor(host, config, gate, slug, request_id, reload).await?;
        let view = &cached.view;
        admit(host, config, gate, request, request_id, view).await?;
        let compile = |catalog: &shared::catalog::Catalog| {
            let table = view_table(catalog, &view.definition)?;
            shared::view::compile_request(&view.definition, catalog, table, query, &config.keys)
        };
        let (catalog, plan) =
            catalog::with_catalog(host, config, view.base_id, request_id, fetched_after_ms, compile).await?;
        let op = Op::Watch {
            base_id: view.base_id,
            catalog_version: catalog.catalog.version,
            principal: Principal::View { view_id: view.view_id, slug: view.slug.clone(), version: view.version },
            plan,
            after: after.clone(),
            seconds: config.stream_seconds,
            poll: false,
            presence,
        };
        let envelope = origin::envelope(host, config, request_id, op);
        let Some(reply) = crate::open_stream(host, config, envelope, stream).await? else {
            return Ok(Reply::event_stream());
        };
        if crate::stale_plan(host, view.base_id, catalog.catalog.version, &reply, &mut fetched_after_ms).await {
            continue;
        }
        // The view changed since its descriptor was cached: once more with the new one.
        if origin_error(reply.status, &reply.body).code == ErrorCode::CatalogStale && !reload {
            reload = true;
            continue;
        }
        return Ok(Reply::new(reply.status, reply.body));
    }
}

async fn serve<H: Host>(
    host: &H,
    config: &Config,
    request: &Request<Vec<u8>>,
    request_id: &crate::RequestId,
    view: &PublishedView,
    epochs: Vec<u64>,
) -> Result<Reply, ApiError> {
    let definition = &view.definition;
    let query = request.uri().query().unwrap_or("");
    // A query string compiles to the same plan for one version of the view and of the
    // catalog, so an instance compiles each one once.
    let compile = |catalog: &shared::catalog::Catalog| {
        let compiled = format!("vq|{}|{}|{}|{query}", view.slug, view.version, catalog.version);
        host.memo().derived(&compiled, compiled.len() + 512, || {
            let table = view_table(catalog, definition)?;
            let plan = shared::view::compile_request(definition, catalog, table, query, &config.keys)?;
            let limit = match &plan {
                shared::plan::Plan::ListRecords { limit, .. } => *limit,
                _ => definition.default_limit,
            };
            // The compiled plan decides the answer, so it is the key: requests that mean the
            // same (parameters in any order or spelling, a cursor re-encrypted) share one
            // entry, and no two requests that mean different things can meet under one.
            let plan_json = serde_json::to_vec(&plan).expect("plans always serialize");
            let plan_hash = hex::encode(&shared::token::sha256(&plan_json)[..16]);
            let key = format!("vc|{}|{}|{}|{plan_hash}", view.slug, view.version, catalog.version);
            Ok::<_, ApiError>(Compiled { plan, limit, key })
        })
    };
    let (catalog, compiled) = catalog::with_catalog(host, config, view.base_id, request_id, i64::MIN, compile).await?;
    let (limit, key) = (compiled.limit, &compiled.key);
    let cache = view.cache;
    let now_ms = host.now_ms();
    let current = stored_entry(host, key, Some(&epochs)).await;
    let age_of = |entry: &Entry| u32::try_from((now_ms - entry.stored_ms).max(0) / 1000).unwrap_or(u32::MAX);
    if let Some(entry) = &current {
        let age = age_of(entry);
        if age < cache.max_age {
            return Ok(answer(request, view, entry, age, "HIT"));
        }
        if age < cache.max_age.saturating_add(cache.stale_while_revalidate) && !host.claim(key).await {
            // Another request is refreshing it.
            return Ok(answer(request, view, entry, age, "STALE"));
        }
    }
    let claimed = current.is_some() || host.claim(key).await;
    if claimed && current.is_none() {
        // A request that filled the key between our read and our claim has released it:
        // its entry is stored by now, and answers this request too.
        if let Some(entry) = stored_entry(host, key, Some(&epochs)).await {
            host.release(key).await;
            return Ok(answer(request, view, &entry, age_of(&entry), "HIT"));
        }
    }
    if !claimed {
        // Another request is filling this key: wait for its entry.
        let deadline = now_ms + COALESCE_WAIT_MS;
        while host.now_ms() < deadline {
            host.sleep(COALESCE_POLL_MS).await;
            if let Some(entry) = stored_entry(host, key, Some(&epochs)).await {
                return Ok(answer(request, view, &entry, 0, "HIT"));
            }
        }
    }
    let principal = Principal::View { view_id: view.view_id, slug: view.slug.clone(), version: view.version };
    let op = Op::Records {
        base_id: view.base_id,
        catalog_version: catalog.catalog.version,
        principal,
        plan: compiled.plan.clone(),
        idempotency_key: None,
    };
    // The claim is held until the entry is stored, so no request in between misses both.
    let filled = async {
        let fetched = origin::call(host, config, request_id, op).await;
        let reply = match fetched {
            Ok(reply) if reply.status == 200 => reply,
            failed => {
                // The origin is down or failing: a recent enough entry beats an error.
                let error = match failed {
                    Ok(reply) => origin_error(reply.status, &reply.body),
                    Err(error) => error,
                };
                let stale_ok = error.status() >= 500 || error.code == ErrorCode::CatalogStale;
                let fallback = stored_entry(host, key, None).await;
                if let Some(entry) = fallback
                    .filter(|entry| stale_ok && age_of(entry) < cache.max_age.saturating_add(cache.stale_if_error))
                    && error.code != ErrorCode::CatalogStale
                {
                    return Ok(answer(request, view, &entry, age_of(&entry), "STALE"));
                }
                return Err(error);
            }
        };
        let body = page(&reply.body, limit)?;
        let etag = format!("\"{}\"", hex::encode(&shared::token::sha256(body.get().as_bytes())[..12]));
        let entry = Entry { epochs, stored_ms: now_ms, etag, body };
        let ttl = cache.max_age.saturating_add(cache.stale_while_revalidate.max(cache.stale_if_error));
        let entry = memo::write_answer(host, key, entry, ttl).await;
        Ok(answer(request, view, &entry, 0, "MISS"))
    }
    .await;
    if claimed {
        host.release(key).await;
    }
    filled
}

/// The table a view reads, which its owner must mend if it was dropped.
fn view_table<'a>(
    catalog: &'a shared::catalog::Catalog,
    definition: &shared::view::Definition,
) -> Result<&'a shared::catalog::Table, ApiError> {
    catalog.table_by_id(definition.table).ok_or_else(|| {
        ApiError::new(ErrorCode::ServiceUnavailable, "The view's table was dropped; its owner must update the view.")
    })
}

/// An origin answer that was not a page, as the error it carries.
fn origin_error(status: u16, body: &[u8]) -> ApiError {
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let code = parsed.as_ref().and_then(|body| body["error"]["code"].as_str().map(str::to_owned));
    match code.as_deref() {
        Some("CATALOG_STALE") => ApiError::new(ErrorCode::CatalogStale, "The view changed."),
        _ if status >= 500 => ApiError::new(ErrorCode::OriginUnavailable, "The origin failed; retry shortly."),
        _ => {
            let message = parsed.as_ref().and_then(|body| body["error"]["message"].as_str()).unwrap_or("Refused.");
            let code = match status {
                401 => ErrorCode::InvalidToken,
                403 => ErrorCode::InsufficientScope,
                404 => ErrorCode::NotFound,
                422 => ErrorCode::ValidationError,
                _ => ErrorCode::InvalidQuery,
            };
            ApiError::new(code, message)
        }
    }
}

/// The records list as a view page: `{data, page: {limit, next_cursor}}`, records kept
/// as the origin wrote them.
fn page(body: &[u8], limit: u32) -> Result<Box<RawValue>, ApiError> {
    #[derive(Deserialize)]
    struct List<'a> {
        #[serde(borrow)]
        data: &'a RawValue,
        next_cursor: Option<String>,
    }
    let list: List<'_> = serde_json::from_slice(body).map_err(|_| {
        ApiError::new(ErrorCode::OriginUnavailable, "The origin answered out of protocol; retry shortly.")
    })?;
    let next = serde_json::to_string(&list.next_cursor).expect("a cursor always serializes");
    let page = format!("{{\"data\":{},\"page\":{{\"limit\":{limit},\"next_cursor\":{next}}}}}", list.data.get());
    Ok(RawValue::from_string(page).expect("a page built from JSON parts is JSON"))
}

fn answer(request: &Request<Vec<u8>>, view: &PublishedView, entry: &Entry, age: u32, cache_state: &str) -> Reply {
    let cache = view.cache;
    let scope = if view.auth == AuthMode::Public { "public" } else { "private" };
    let mut control = format!("{scope}, max-age={}", cache.max_age);
    if cache.stale_while_revalidate > 0 {
        control.push_str(&format!(", stale-while-revalidate={}", cache.stale_while_revalidate));
    }
    if cache.stale_if_error > 0 {
        control.push_str(&format!(", stale-if-error={}", cache.stale_if_error));
    }
    let not_modified = crate::headers::none_match(request.headers(), entry.etag.as_bytes());
    let mut reply =
        if not_modified { Reply::new(304, Vec::new()) } else { Reply::new(200, entry.body.get().as_bytes().to_vec()) };
    let headers = [
        (header::CACHE_CONTROL, control),
        (header::ETAG, entry.etag.clone()),
        (header::AGE, age.to_string()),
        (HeaderName::from_static("x-cache"), cache_state.to_owned()),
    ];
    for (name, value) in headers {
        if let Ok(value) = HeaderValue::from_str(&value) {
            reply.headers.push((Some(name), value));
        }
    }
    reply
}

/// `GET /public/views/{slug}/meta`: how to call the view, with examples that work.
pub async fn meta<H: Host>(
    host: &H,
    config: &Config,
    gate: &Gate<'_, H>,
    request: &Request<Vec<u8>>,
    request_id: &crate::RequestId,
    slug: &str,
) -> Result<Reply, ApiError> {
    let (cached, _) = descriptor(host, config, gate, slug, request_id, false).await?;
    let view = &cached.view;
    admit(host, config, gate, request, request_id, view).await?;
    let cached = catalog::load(host, config, view.base_id, request_id, i64::MIN).await?;
    let catalog = &cached.catalog;
    let definition = &view.definition;
    let table = view_table(catalog, definition)?;
    let joined = shared::view::joined_fields(definition, catalog, table);
    let fields: Vec<&shared::catalog::Field> =
        definition.fields.iter().filter_map(|id| table.field_by_id(*id)).chain(&joined).collect();
    let name_of = |column| shared::plan::column_info(table, column).map(|info| info.name.to_owned());
    let server = crate::server_url(request);
    let url = format!("{server}/public/views/{slug}/data");
    let params: Vec<MetaParam> = definition
        .params
        .iter()
        .map(|param| MetaParam {
            name: param.name.clone(),
            field_type: param.field_type,
            required: param.when_absent == WhenAbsent::Error,
            when_absent: param.when_absent,
            absent_means: absent_means(param.when_absent),
            example: param.example.clone(),
            description: param.description.clone(),
            location: "query",
        })
        .collect();
    // A column that no longer resolves (its field was dropped) cannot be filtered or sorted on.
    let filters: Vec<MetaFilter> = definition
        .allowed_filters
        .iter()
        .filter_map(|(column, ops)| {
            let info = shared::plan::column_info(table, *column)?;
            Some(MetaFilter {
                field: info.name.to_owned(),
                field_type: info.field_type,
                operators: ops.clone(),
                syntax: format!("filter[{}][<operator>]=<value>", info.name),
            })
        })
        .collect();
    let sorts: Vec<String> = definition.allowed_sorts.iter().filter_map(|column| name_of(*column)).collect();
    let default_sort: Vec<String> = definition
        .sort
        .iter()
        .filter_map(|(column, descending)| {
            Some(format!("{}:{}", name_of(*column)?, if *descending { "desc" } else { "asc" }))
        })
        .collect();
    // The examples call the view as it is: required parameters with their examples.
    let mut example_query = vec![format!("limit={}", definition.default_limit)];
    for param in &definition.params {
        if let (WhenAbsent::Error, Some(example)) = (param.when_absent, &param.example) {
            example_query.push(format!("{}={}", param.name, shared::view::encode(example)));
        }
    }
    let example_url = format!("{url}?{}", example_query.join("&"));
    let (auth_header, auth_text) = match view.auth {
        AuthMode::Public => (None, "None: anyone may call it (limited per client address).".to_owned()),
        AuthMode::ViewKey => {
            (Some("Bearer <VIEW_KEY>"), "A key of this view: `Authorization: Bearer nv_…`.".to_owned())
        }
        AuthMode::BaseToken => {
            (Some("Bearer <API_TOKEN>"), "An API token of the view's base with the `read` scope.".to_owned())
        }
    };
    let curl = match auth_header {
        None => format!("curl -s '{example_url}'"),
        Some(value) => format!("curl -s '{example_url}' -H 'Authorization: {value}'"),
    };
    let headers = match auth_header {
        None => String::new(),
        Some(value) => format!(", {{ headers: {{ Authorization: \"{value}\" }} }}"),
    };
    // Plain JavaScript that is also TypeScript: the page's type is a JSDoc annotation.
    let fetch = [
        format!("const response = await fetch({}{headers});", json!(example_url)),
        "/** @type {{ data: Array<{ id: string, values: Record<string, unknown> }>, page: { limit: number, next_cursor: string | null } }} */".to_owned(),
        "const page = await response.json();".to_owned(),
        "console.log(page.data.length, page.page.next_cursor);".to_owned(),
    ]
    .join("\n");
    let template_params: Vec<String> = ["limit", "cursor", "sort"]
        .into_iter()
        .map(str::to_owned)
        .chain(definition.params.iter().map(|param| param.name.clone()))
        .collect();
    let body = ViewMeta {
        view: MetaView {
            name: definition.name.clone(),
            description: definition.description.clone(),
            slug: slug.to_owned(),
            version: view.version,
        },
        endpoint: MetaEndpoint { method: "GET", url_template: format!("{url}{{?{}}}", template_params.join(",")), url },
        auth: MetaAuth {
            mode: view.auth,
            header: auth_header.map(|value| format!("Authorization: {value}")),
            description: auth_text,
        },
        params,
        filters,
        sort: MetaSort { fields: sorts, default: default_sort, syntax: "sort=<field>:asc|desc (comma-separated)" },
        pagination: MetaPagination {
            mode: "cursor",
            default_limit: definition.default_limit,
            max_limit: definition.max_limit,
            request: "limit=<n>&cursor=<page.next_cursor>",
            next: "page.next_cursor (null on the last page)",
        },
        cache: view.cache,
        response: openapi::view_page_schema(&fields),
        examples: MetaExamples { curl, fetch, postman_url: example_url },
    };
    Ok(Reply::new(200, serde_json::to_vec(&body).expect("a view's description always serializes")))
}

/// What leaving a parameter out does, in words for the view's documentation.
fn absent_means(when_absent: WhenAbsent) -> &'static str {
    match when_absent {
        WhenAbsent::Error => "The parameter is required: a request without it is refused with 422.",
        WhenAbsent::NoFilter => "Without it, the conditions that use it are dropped.",
        WhenAbsent::NoRows => "Without it, nothing matches: the page is empty.",
    }
}
