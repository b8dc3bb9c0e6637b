//! The HTTP/1.1 front door: one fresh component instance per request, graceful shutdown.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use bytes::Bytes;
use http::{HeaderValue, StatusCode};
use http_body::{Body, Frame, SizeHint};
use http_body_util::combinators::UnsyncBoxBody;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, oneshot};
use wasmtime_wasi_http::p3::Request as WasiRequest;

use crate::runtime::{HostState, Runtime};
use wasmtime::Store;
use wasmtime_wasi_http::p3::bindings::Service;

/// At most this many idle instances are kept for reuse; their pool slots are reserved on top
/// of `--max-instances`.
pub const MAX_IDLE_INSTANCES: u32 = 64;

/// How long in-flight requests may take to finish after a shutdown signal.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// The body of every 500 this host produces itself; the shape matches the API's error envelope.
const INTERNAL_ERROR_BODY: &str =
    r#"{"error":{"code":"INTERNAL","message":"edge component failed","details":{}},"request_id":null}"#;

/// Settings for [`serve`].
pub struct ServerOptions {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Where to serve `GET /metrics`, if anywhere.
    pub metrics_listen: Option<SocketAddr>,
    /// Peers whose `X-Real-IP` names the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Log every request at info instead of debug.
    pub log_requests: bool,
    /// Upper bound on one request's total time inside the component.
    pub request_timeout: Duration,
    /// Requests one instance may serve before it is dropped; 1 gives a fresh instance per request.
    pub max_reuse: u32,
    /// A scheduled request: every `.0`, `POST .1` with `x-edge-host-trigger: tick`.
    pub tick: Option<(Duration, String)>,
}

/// Set on the host's own scheduled requests and removed from every client request, so
/// the component can tell them apart.
pub const TRIGGER_HEADER: &str = "x-edge-host-trigger";
/// The client's socket address, as Spin's HTTP trigger reports it.
const CLIENT_ADDR_HEADER: &str = "spin-client-addr";
/// What a trusted reverse proxy says the client's address is.
const REAL_IP_HEADER: &str = "x-real-ip";

/// An instance that served a request successfully and waits for the next one.
struct Warm {
    store: Store<HostState>,
    service: Service,
    served: u32,
}

/// One served component: its runtime, the cap on its live instances and its warm ones.
pub struct Mounted {
    runtime: Runtime,
    /// Caps live instances at the pool size, so a burst queues instead of
    /// failing instantiation with a pool-exhausted error.
    permits: Arc<Semaphore>,
    /// Instances ready for another request. Reuse skips instantiation and the pool's slot
    /// reset (page faults on fresh memory, madvise), the largest per-request costs.
    idle: std::sync::Mutex<Vec<Warm>>,
}

impl Mounted {
    pub fn new(runtime: Runtime, max_instances: u32) -> Mounted {
        let permits = Arc::new(Semaphore::new(usize::try_from(max_instances.max(1)).unwrap_or(1)));
        Mounted { runtime, permits, idle: std::sync::Mutex::new(Vec::new()) }
    }

    fn take_idle(&self) -> Option<Warm> {
        self.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).pop()
    }

    fn keep_idle(&self, warm: Warm) {
        let mut idle = self.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if idle.len() < MAX_IDLE_INSTANCES as usize {
            idle.push(warm);
        }
    }
}

/// The static-files component and the path prefixes it answers.
pub struct Files {
    pub component: Mounted,
    pub routes: Vec<String>,
}

struct App {
    api: Mounted,
    files: Option<Files>,
    local_addr: SocketAddr,
    log_requests: bool,
    request_timeout: Duration,
    max_reuse: u32,
    metrics: crate::metrics::Metrics,
}

impl App {
    /// The component a path goes to: the files component for its routes (a route takes
    /// itself and every path below it), the API component for everything else.
    fn component(&self, path: &str) -> &Mounted {
        let below = |route: &String| {
            path.strip_prefix(route.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        match &self.files {
            Some(files) if files.routes.iter().any(below) => &files.component,
            _ => &self.api,
        }
    }
}

/// The client of a request from `peer`: the peer itself, or, behind a trusted proxy, the
/// address its `X-Real-IP` names (the proxy's own port stands in for the client's).
fn client_address(peer: SocketAddr, behind_proxy: bool, headers: &hyper::HeaderMap) -> SocketAddr {
    let named = || headers.get(REAL_IP_HEADER)?.to_str().ok()?.trim().parse::<std::net::IpAddr>().ok();
    match behind_proxy.then(named).flatten() {
        Some(ip) => SocketAddr::new(ip, peer.port()),
        None => peer,
    }
}

/// Serves the component until SIGINT or SIGTERM, then drains in-flight requests.
pub async fn serve(api: Mounted, files: Option<Files>, options: ServerOptions) -> anyhow::Result<()> {
    let listener = TcpListener::bind(options.listen).await.with_context(|| format!("binding {}", options.listen))?;
    let local_addr = listener.local_addr().context("reading the bound address")?;
    let app = Arc::new(App {
        api,
        files,
        local_addr,
        log_requests: options.log_requests,
        request_timeout: options.request_timeout,
        max_reuse: options.max_reuse.max(1),
        metrics: crate::metrics::Metrics::default(),
    });
    tracing::info!(address = %local_addr, "listening");
    if let Some(address) = options.metrics_listen {
        let metrics = TcpListener::bind(address).await.with_context(|| format!("binding {address} for metrics"))?;
        tracing::info!(%address, "serving metrics");
        tokio::spawn(serve_metrics(metrics, Arc::clone(&app)));
    }
    if let Some((every, path)) = options.tick.clone() {
        tokio::spawn(tick(Arc::clone(&app), every, path));
    }

    let mut http = http1::Builder::new();
    http.keep_alive(true).timer(TokioTimer::new());
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown_signal());

    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(pair) => pair,
                    Err(err) => {
                        // Usually file-descriptor exhaustion; back off instead of spinning.
                        tracing::warn!(error = %err, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                if let Err(err) = stream.set_nodelay(true) {
                    tracing::debug!(error = %err, "could not disable Nagle's algorithm");
                }
                let app = Arc::clone(&app);
                let behind_proxy = options.trusted_proxies.contains(&peer.ip());
                let service = service_fn(move |mut req: hyper::Request<Incoming>| {
                    let headers = req.headers_mut();
                    headers.remove(TRIGGER_HEADER);
                    let client = client_address(peer, behind_proxy, headers);
                    if let Ok(value) = HeaderValue::from_str(&client.to_string()) {
                        headers.insert(CLIENT_ADDR_HEADER, value);
                    }
                    handle(Arc::clone(&app), req)
                });
                let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
                tokio::spawn(async move {
                    if let Err(err) = connection.await {
                        tracing::debug!(%peer, error = %err, "connection ended with an error");
                    }
                });
            }
            signal = &mut shutdown => {
                tracing::info!(signal, "shutting down; draining in-flight requests");
                break;
            }
        }
    }

    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => tracing::info!("all connections closed"),
        () = tokio::time::sleep(DRAIN_TIMEOUT) => {
            tracing::warn!(timeout_secs = DRAIN_TIMEOUT.as_secs(), "drain timed out; exiting anyway");
        }
    }
    Ok(())
}

/// Answers `GET /metrics` on its own listener for the life of the process.
async fn serve_metrics(listener: TcpListener, app: Arc<App>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let app = Arc::clone(&app);
        let service = service_fn(move |req: hyper::Request<Incoming>| {
            let response = if req.uri().path() == "/metrics" {
                hyper::Response::builder()
                    .header(http::header::CONTENT_TYPE, "text/plain; version=0.0.4")
                    .body(http_body_util::Full::new(Bytes::from(app.metrics.render())))
            } else {
                hyper::Response::builder().status(StatusCode::NOT_FOUND).body(http_body_util::Full::new(Bytes::new()))
            };
            std::future::ready(response)
        });
        tokio::spawn(http1::Builder::new().serve_connection(TokioIo::new(stream), service));
    }
}

/// Resolves with the name of the first termination signal received.
async fn shutdown_signal() -> &'static str {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::warn!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        result = tokio::signal::ctrl_c() => {
            if let Err(err) = result {
                tracing::warn!(error = %err, "cannot listen for SIGINT");
                std::future::pending::<()>().await;
            }
            "SIGINT"
        }
        () = terminate => "SIGTERM",
    }
}

/// Sends the scheduled request to the component every `every`, for the life of the process.
async fn tick(app: Arc<App>, every: Duration, path: String) {
    let mut interval = tokio::time::interval(every);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        let body = http_body_util::BodyExt::map_err(
            http_body_util::Full::new(Bytes::new()),
            |never: Infallible| -> wasmtime_wasi_http::Error { match never {} },
        );
        let Ok(request) = hyper::Request::post(path.as_str()).header(TRIGGER_HEADER, "tick").body(body) else {
            return;
        };
        // Runs like a client request, but is not one: no client address, and the
        // trigger header a client can never send.
        let Ok(response) = handle(Arc::clone(&app), request).await;
        let status = response.status();
        let _ = http_body_util::BodyExt::collect(response.into_body()).await;
        if !status.is_success() {
            tracing::warn!(%status, path, "scheduled request failed");
        }
    }
}

async fn handle<B>(app: Arc<App>, req: hyper::Request<B>) -> Result<hyper::Response<ResponseBody>, Infallible>
where
    B: Body<Data = Bytes> + Send + 'static,
    B::Error: Into<wasmtime_wasi_http::Error>,
{
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    match dispatch(&app, req, &method, &path, started).await {
        Ok(response) => Ok(response),
        Err(err) => {
            tracing::error!(%method, %path, error = format!("{err:#}"), "edge component failed");
            log_request(&app, &method, &path, StatusCode::INTERNAL_SERVER_ERROR, started, None);
            app.metrics.observe(StatusCode::INTERNAL_SERVER_ERROR, None);
            Ok(internal_error())
        }
    }
}

/// Runs the component for one request and returns as soon as the response head is ready.
///
/// The store moves into its own task because the guest keeps producing the
/// response body after `handle` has returned the head, and only the store's
/// event loop can drive it.
async fn dispatch<B>(
    app: &Arc<App>,
    req: hyper::Request<B>,
    method: &http::Method,
    path: &str,
    started: Instant,
) -> anyhow::Result<hyper::Response<ResponseBody>>
where
    B: Body<Data = Bytes> + Send + 'static,
    B::Error: Into<wasmtime_wasi_http::Error>,
{
    let (method, path) = (method.clone(), path.to_owned());
    let req = with_absolute_uri(req, app.local_addr)?;

    let component = app.component(&path);
    let permit = Arc::clone(&component.permits).acquire_owned().await.context("the instance semaphore was closed")?;
    let (mut store, service, served) = match component.take_idle() {
        Some(warm) => (warm.store, warm.service, warm.served),
        None => {
            let mut store = component.runtime.new_store()?;
            let service = component
                .runtime
                .pre()
                .instantiate_async(&mut store)
                .await
                .map_err(anyhow::Error::from)
                .context("instantiating the component")?;
            (store, service, 0)
        }
    };
    component.runtime.reset_for_request(&mut store)?;
    let (req, request_io) = WasiRequest::from_http(store.data_mut().hooks(), req);

    let (head_tx, head_rx) = oneshot::channel::<anyhow::Result<hyper::Response<ResponseBody>>>();
    let app = Arc::clone(app);
    tokio::spawn(async move {
        let mut head_tx = Some(head_tx);
        let run = store.run_concurrent(async |accessor| -> wasmtime::Result<StatusCode> {
            let response = match service.handle(accessor, req).await? {
                Ok(response) => response,
                Err(code) => wasmtime::bail!("the component returned error code {code:?}"),
            };
            let response = accessor.with(|mut access| response.into_http(&mut access, request_io))?;
            let status = response.status();
            app.metrics.observe(status, response.headers().get("x-cache"));
            let (done_tx, done_rx) = oneshot::channel::<()>();
            let response = response.map(|body| ResponseBody::Guest { body, done: Some(done_tx) });
            let sent = head_tx.take().is_some_and(|tx| tx.send(Ok(response)).is_ok());
            if sent {
                // Keep the event loop running until the client has the whole
                // body or went away; the sender is dropped at either point.
                let _ = done_rx.await;
            }
            Ok(status)
        });
        let outcome = match tokio::time::timeout(app.request_timeout, run).await {
            Ok(Ok(Ok(status))) => Ok(status),
            Ok(Ok(Err(err)) | Err(err)) => Err(anyhow::Error::from(err)),
            Err(_elapsed) => Err(anyhow::anyhow!("the request exceeded its {} s limit", app.request_timeout.as_secs())),
        };
        let component = app.component(&path);
        let fuel = component.runtime.fuel_used(&store);
        // Only an instance that completed cleanly is reused; one that trapped or timed out is dropped.
        if outcome.is_ok() && served + 1 < app.max_reuse {
            component.keep_idle(Warm { store, service, served: served + 1 });
        } else {
            drop(store);
        }
        drop(permit);
        match (outcome, head_tx) {
            (Ok(status), _) => log_request(&app, &method, &path, status, started, fuel),
            // No head yet: `handle` logs the error and answers 500, unless
            // the client is already gone, in which case the failure is logged here.
            (Err(err), Some(tx)) => {
                if let Err(Err(err)) = tx.send(Err(err)) {
                    tracing::error!(
                        %method,
                        %path,
                        error = format!("{err:#}"),
                        "edge component failed after the client disconnected"
                    );
                }
            }
            (Err(err), None) => {
                tracing::error!(
                    %method,
                    %path,
                    error = format!("{err:#}"),
                    "edge component failed while streaming the response body"
                );
            }
        }
    });

    head_rx.await.context("the request task ended without a response")?
}

/// Rewrites the origin-form request target into the absolute URI the component expects.
fn with_absolute_uri<B>(mut req: hyper::Request<B>, local_addr: SocketAddr) -> anyhow::Result<hyper::Request<B>> {
    if req.uri().authority().is_some() {
        return Ok(req);
    }
    let authority = req
        .headers()
        .get(http::header::HOST)
        .and_then(|host| host.to_str().ok())
        .and_then(|host| host.parse::<http::uri::Authority>().ok())
        .unwrap_or_else(|| {
            http::uri::Authority::try_from(local_addr.to_string().as_str())
                .expect("a socket address is a valid authority")
        });
    let path_and_query =
        req.uri().path_and_query().cloned().unwrap_or_else(|| http::uri::PathAndQuery::from_static("/"));
    *req.uri_mut() = http::Uri::builder()
        .scheme(http::uri::Scheme::HTTP)
        .authority(authority)
        .path_and_query(path_and_query)
        .build()
        .context("building the absolute request URI")?;
    Ok(req)
}

fn log_request(app: &App, method: &http::Method, path: &str, status: StatusCode, started: Instant, fuel: Option<u64>) {
    let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    let status = status.as_u16();
    if app.log_requests {
        tracing::info!(%method, path, status, micros, fuel, "request");
    } else {
        tracing::debug!(%method, path, status, micros, fuel, "request");
    }
}

fn internal_error() -> hyper::Response<ResponseBody> {
    let mut response =
        hyper::Response::new(ResponseBody::Full(Some(Bytes::from_static(INTERNAL_ERROR_BODY.as_bytes()))));
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    response.headers_mut().insert(http::header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// The response body handed to hyper: either the component's stream or a fixed buffer.
enum ResponseBody {
    Guest {
        body: UnsyncBoxBody<Bytes, wasmtime_wasi_http::Error>,
        /// Dropped when the body ends, which lets the store task finish.
        done: Option<oneshot::Sender<()>>,
    },
    Full(Option<Bytes>),
}

impl Body for ResponseBody {
    type Data = Bytes;
    type Error = wasmtime_wasi_http::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match self.get_mut() {
            ResponseBody::Guest { body, done } => {
                let polled = Pin::new(body).poll_frame(cx);
                if matches!(polled, Poll::Ready(None | Some(Err(_)))) {
                    done.take();
                }
                polled
            }
            ResponseBody::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            ResponseBody::Guest { body, .. } => body.is_end_stream(),
            ResponseBody::Full(bytes) => bytes.is_none(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            ResponseBody::Guest { body, .. } => body.size_hint(),
            ResponseBody::Full(Some(bytes)) => SizeHint::with_exact(bytes.len() as u64),
            ResponseBody::Full(None) => SizeHint::with_exact(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_is_named_by_a_trusted_proxy_only() {
        let peer: SocketAddr = "127.0.0.1:40000".parse().expect("socket address");
        let mut headers = hyper::HeaderMap::new();
        headers.insert(REAL_IP_HEADER, HeaderValue::from_static("203.0.113.9"));
        assert_eq!(client_address(peer, true, &headers), "203.0.113.9:40000".parse().expect("address"));
        assert_eq!(client_address(peer, false, &headers), peer, "a client cannot name itself");
        headers.insert(REAL_IP_HEADER, HeaderValue::from_static("not an address"));
        assert_eq!(client_address(peer, true, &headers), peer);
        assert_eq!(client_address(peer, true, &hyper::HeaderMap::new()), peer);
    }

    #[test]
    fn origin_form_targets_become_absolute() {
        let local: SocketAddr = "127.0.0.1:8787".parse().expect("socket address");
        let req = hyper::Request::builder()
            .uri("/v1/rows?limit=2")
            .header(http::header::HOST, "api.example.test")
            .body(())
            .expect("request");
        let req = with_absolute_uri(req, local).expect("absolute uri");
        assert_eq!(req.uri(), "http://api.example.test/v1/rows?limit=2");

        let req = hyper::Request::builder().uri("/").body(()).expect("request");
        let req = with_absolute_uri(req, local).expect("absolute uri");
        assert_eq!(req.uri(), "http://127.0.0.1:8787/");
    }

    #[test]
    fn internal_error_uses_the_api_error_envelope() {
        let response = internal_error();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let value: serde_json::Value = serde_json::from_str(INTERNAL_ERROR_BODY).expect("valid JSON");
        assert_eq!(value["error"]["code"], "INTERNAL");
        assert_eq!(value["error"]["message"], "edge component failed");
        assert!(value["request_id"].is_null());
    }
}
