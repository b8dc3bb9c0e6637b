//! Cloudflare Workers adapter: converts a Workers request for the edge core and back.
//!
//! Configuration comes from `[vars]` and secrets (see wrangler.toml). The token and
//! catalog caches live in isolate memory: an isolate serves many requests, and the
//! caches are bounded so a busy isolate cannot grow without limit. Guardrails are kept
//! by a Durable Object ([`coordinator`]) that every isolate shares.

mod coordinator;

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use worker::{Context, Env, Fetch, Headers, Method, Request, RequestInit, Response, Result, event};

/// Beyond this many entries the isolate cache starts over (each entry is a few KiB at most).
const MAX_CACHE_ENTRIES: usize = 10_000;

/// How long leased requests' usage waits in the isolate before it is sent.
const USAGE_BATCH_MS: u64 = 1_000;

thread_local! {
    static CONFIG: OnceCell<edge::Config> = const { OnceCell::new() };
    /// Usage of leased requests not yet sent to the coordinators.
    static PENDING_USAGE: RefCell<Vec<coordinator::Usage>> = const { RefCell::new(Vec::new()) };
    static FLUSH_SCHEDULED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static CACHE: RefCell<HashMap<String, Vec<u8>>> = RefCell::new(HashMap::new());
    /// What this isolate parsed of `CACHE`.
    static MEMO: &'static edge::Memo = Box::leak(Box::default());
    /// View cache keys an isolate's request is filling (requests of one isolate coalesce).
    static FILLING: RefCell<std::collections::HashSet<String>> = RefCell::new(std::collections::HashSet::new());
}

/// The Cache API key of a view cache key: a synthetic URL.
fn cache_url(key: &str) -> String {
    use std::fmt::Write;
    edge::sha256(key.as_bytes()).iter().fold(String::from("https://view-cache.nclcdbaas.invalid/"), |mut url, byte| {
        let _ = write!(url, "{byte:02x}");
        url
    })
}

struct WorkersHost<'a> {
    config: &'a edge::Config,
    env: &'a Env,
    /// The request's context, to meter leased requests after it is answered; `None` in an alarm.
    ctx: Option<&'a Context>,
    /// `CF-Connecting-IP` of the request.
    client: Option<String>,
}

impl edge::Host for WorkersHost<'_> {
    /// The origin's response body, passed to the client as the runtime reads it.
    type Stream = worker::ResponseBody;

    async fn call_origin(&self, request: edge::OriginRequest) -> std::result::Result<edge::OriginResponse, String> {
        read_whole(self.post_origin(request).await?).await
    }

    async fn open_origin_stream(
        &self,
        request: edge::OriginRequest,
    ) -> std::result::Result<edge::Opened<worker::ResponseBody>, String> {
        let response = self.post_origin(request).await?;
        let content_type = response.headers().get("content-type").ok().flatten();
        if edge::is_event_stream(response.status_code(), content_type.as_deref()) {
            return Ok(edge::Opened::Stream(response.body().clone()));
        }
        read_whole(response).await.map(edge::Opened::Answer)
    }

    fn memo(&self) -> &edge::Memo {
        MEMO.with(|memo| *memo)
    }

    fn now_ms(&self) -> i64 {
        worker::Date::now().as_millis() as i64
    }

    fn monotonic_us(&self) -> u64 {
        // Workers give no finer clock, and it moves only while the isolate waits for I/O.
        worker::Date::now().as_millis() * 1000
    }

    fn fill_random(&self, buf: &mut [u8]) {
        getrandom::fill(buf).expect("Workers always provide crypto.getRandomValues");
    }

    async fn cache_get(&self, key: &str) -> Option<Vec<u8>> {
        CACHE.with(|cache| cache.borrow().get(key).cloned())
    }

    async fn cache_put(&self, key: &str, value: Vec<u8>) {
        CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.len() >= MAX_CACHE_ENTRIES {
                cache.clear();
            }
            cache.insert(key.to_owned(), value);
        });
    }

    async fn admit(&self, admission: &edge::guard::Admission) -> std::result::Result<edge::guard::Verdict, String> {
        // A base's callers share its coordinator (and its quota); others have their own.
        let name = match &admission.meter {
            Some(meter) => format!("base:{}", meter.base_id),
            None => admission.key.clone(),
        };
        let mut response = self.coordinator(&name, "https://coordinator/admit", admission).await?;
        response.json().await.map_err(|error| error.to_string())
    }

    async fn count_usage(&self, meter: &edge::guard::Meter, now_ms: i64) -> std::result::Result<(), String> {
        let usage = coordinator::Usage { meter: meter.clone(), now_ms, count: 1 };
        let Some(ctx) = self.ctx else { return self.send_usage(meter.base_id, &[usage]).await };
        // Counted in the isolate and sent to the coordinators a second later, in one batch
        // per base: one subrequest for many leased requests instead of one each.
        let first = PENDING_USAGE.with(|pending| {
            let mut pending = pending.borrow_mut();
            let day = shared::usage::day_number;
            match pending.iter_mut().find(|held| {
                held.meter.base_id == meter.base_id
                    && held.meter.principal == meter.principal
                    && day(held.now_ms) == day(now_ms)
            }) {
                Some(held) => held.count += 1,
                None => pending.push(usage),
            }
            !FLUSH_SCHEDULED.with(|scheduled| scheduled.replace(true))
        });
        if first {
            let (config, env) = (self.config.clone(), self.env.clone());
            ctx.wait_until(async move {
                worker::Delay::from(std::time::Duration::from_millis(USAGE_BATCH_MS)).await;
                FLUSH_SCHEDULED.with(|scheduled| scheduled.set(false));
                let batch = PENDING_USAGE.with(|pending| std::mem::take(&mut *pending.borrow_mut()));
                let host = WorkersHost { config: &config, env: &env, ctx: None, client: None };
                let mut by_base: HashMap<edge::BaseId, Vec<coordinator::Usage>> = HashMap::new();
                for usage in batch {
                    by_base.entry(usage.meter.base_id).or_default().push(usage);
                }
                for (base, usage) in by_base {
                    if let Err(error) = host.send_usage(base, &usage).await {
                        worker::console_error!(
                            "usage of {} requests lost: {error}",
                            usage.iter().map(|u| u.count).sum::<u64>()
                        );
                    }
                }
            });
        }
        Ok(())
    }

    async fn take_usage(&self, _now_ms: i64) -> std::result::Result<Vec<edge::UsageEntry>, String> {
        // The coordinators flush their own usage.
        Ok(Vec::new())
    }

    async fn restore_usage(&self, _entries: Vec<edge::UsageEntry>) {}

    async fn sleep(&self, ms: u64) {
        worker::Delay::from(std::time::Duration::from_millis(ms)).await;
    }

    fn client_address(&self) -> Option<String> {
        self.client.clone()
    }

    async fn view_cache_get(&self, key: &str) -> Option<Vec<u8>> {
        let mut response = worker::Cache::default().get(cache_url(key), false).await.ok()??;
        response.bytes().await.ok()
    }

    async fn view_cache_put(&self, key: &str, value: Vec<u8>, ttl_seconds: u32) {
        let headers = Headers::new();
        let _ = headers.set("cache-control", &format!("max-age={}", ttl_seconds.max(1)));
        if let Ok(response) = Response::from_bytes(value) {
            let _ = worker::Cache::default().put(cache_url(key), response.with_headers(headers)).await;
        }
    }

    async fn claim(&self, key: &str) -> bool {
        FILLING.with(|filling| filling.borrow_mut().insert(key.to_owned()))
    }

    async fn release(&self, key: &str) {
        FILLING.with(|filling| filling.borrow_mut().remove(key));
    }

    async fn epochs(&self, base: edge::BaseId, keys: &[String]) -> Vec<u64> {
        match self.coordinator(&format!("base:{base}"), "https://coordinator/epochs", &keys).await {
            Ok(mut response) => response.json().await.unwrap_or_else(|_| vec![0; keys.len()]),
            Err(_) => vec![0; keys.len()],
        }
    }

    async fn bump_epochs(&self, base: edge::BaseId, keys: &[String]) {
        let _ = self.coordinator(&format!("base:{base}"), "https://coordinator/bump", &keys).await;
    }
}

/// An origin answer, read whole.
async fn read_whole(mut response: Response) -> std::result::Result<edge::OriginResponse, String> {
    let headers = response.headers().clone();
    let header = |name: &str| headers.get(name).ok().flatten();
    let (status, body) = (response.status_code(), response.bytes().await.map_err(|error| error.to_string())?);
    Ok(edge::OriginResponse::new(status, header, body))
}

impl WorkersHost<'_> {
    /// POSTs a signed envelope to the origin; its answer as soon as the head arrived.
    async fn post_origin(&self, request: edge::OriginRequest) -> std::result::Result<Response, String> {
        let headers = Headers::new();
        let set = |name: &str, value: &str| headers.set(name, value).map_err(|error| error.to_string());
        set("content-type", "application/json")?;
        set(edge::SIGNATURE_HEADER, &request.signature)?;
        set(edge::REQUEST_ID_HEADER, &request.request_id)?;
        let mut init = RequestInit::new();
        init.with_method(Method::Post).with_headers(headers).with_body(Some(request.body.into()));
        let url = format!("{}{}", self.config.origin_url, edge::EXECUTE_PATH);
        let outbound = Request::new_with_init(&url, &init).map_err(|error| error.to_string())?;
        Fetch::Request(outbound).send().await.map_err(|error| error.to_string())
    }

    /// POSTs `body` as JSON to the coordinator named `name`.
    /// Meters requests a lease served, at the base's coordinator.
    async fn send_usage(&self, base: edge::BaseId, usage: &[coordinator::Usage]) -> std::result::Result<(), String> {
        self.coordinator(&format!("base:{base}"), "https://coordinator/usage", &usage).await.map(drop)
    }

    async fn coordinator(
        &self,
        name: &str,
        url: &str,
        body: &impl serde::Serialize,
    ) -> std::result::Result<Response, String> {
        let failed = |error: worker::Error| {
            worker::console_error!("coordinator unavailable: {error}");
            error.to_string()
        };
        let stub = self.env.durable_object(coordinator::BINDING).and_then(|ns| ns.get_by_name(name)).map_err(failed)?;
        let mut init = RequestInit::new();
        let body = serde_json::to_string(body).map_err(|error| error.to_string())?;
        init.with_method(Method::Post).with_body(Some(body.into()));
        let request = Request::new_with_init(url, &init).map_err(failed)?;
        stub.fetch_with_request(request).await.map_err(failed)
    }
}

fn config(env: &Env) -> std::result::Result<edge::Config, String> {
    match CONFIG.with(|cell| cell.get().cloned()) {
        Some(config) => Ok(config),
        None => load_config(env).map(|config| CONFIG.with(|cell| cell.get_or_init(|| config).clone())),
    }
}

fn load_config(env: &Env) -> std::result::Result<edge::Config, String> {
    edge::Config::from_variables(|name| {
        env.secret(name).map(|secret| secret.to_string()).or_else(|_| env.var(name).map(|var| var.to_string())).ok()
    })
}

#[event(fetch)]
async fn fetch(mut req: Request, env: Env, ctx: Context) -> Result<Response> {
    let config = match config(&env) {
        Ok(config) => config,
        Err(message) => return edge_misconfigured(&message),
    };
    // The method as the client sent it: `worker::Method` reads an extension method as GET.
    let method = req.inner().method();
    let mut builder = http::Request::builder().method(method.as_str()).uri(req.url()?.as_str());
    for (name, value) in req.headers().entries() {
        builder = builder.header(name, value);
    }
    let client = req.headers().get("cf-connecting-ip").ok().flatten();
    let host = WorkersHost { config: &config, env: &env, ctx: Some(&ctx), client };
    let response = match req.bytes().await.map(|body| builder.body(body)) {
        Ok(Ok(request)) => edge::handle(&host, &config, request).await,
        _ => edge::unreadable_body(&host).map(edge::Body::Full),
    };
    let headers = Headers::new();
    for (name, value) in response.headers() {
        if let Ok(value) = value.to_str() {
            headers.set(name.as_str(), value)?;
        }
    }
    let status = response.status().as_u16();
    // A 204 or 304 has no body at all (an empty one makes workerd warn, and its dev proxy
    // may drop the kept-alive connection after it).
    let answer = match (status, response.into_body()) {
        (204 | 304, _) => Response::empty()?,
        (_, edge::Body::Full(bytes)) => Response::from_bytes(bytes)?,
        (_, edge::Body::Stream(body)) => Response::from_body(body)?,
    };
    Ok(answer.with_status(status).with_headers(headers))
}

fn edge_misconfigured(message: &str) -> Result<Response> {
    worker::console_error!("edge configuration error: {message}");
    Ok(Response::from_bytes(edge::MISCONFIGURED_BODY.to_vec())?.with_status(500))
}
