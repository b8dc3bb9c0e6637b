//! HTTP surface of the origin: `/healthz` (unsigned) and `/internal/v1/execute` (signed),
//! with one JSON log line per request and graceful shutdown.

use crate::catalog::ControlState;
use crate::clock::now_ms;
use crate::config::ServeArgs;
use crate::execute::{Executor, origin_request_id};
use crate::nonce::Nonces;
use crate::pools::Planes;
use anyhow::Context;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use shared::envelope::{CATALOG_VERSION_HEADER, EXECUTE_PATH, REPLAYED_HEADER};
use shared::error::{ApiError, ErrorCode};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Envelopes carry compiled plans of at most the edge's body cap (5 MiB by default), whose
/// values JSON escaping can grow several times.
const MAX_ENVELOPE_BYTES: usize = 64 * 1024 * 1024;

pub fn router(executor: Arc<Executor>) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route(EXECUTE_PATH, post(execute))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_ENVELOPE_BYTES))
        .with_state(executor)
}

pub async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let keys = args.keys()?;
    let planes = Planes::connect(&args)?;
    let control = ControlState::new(planes.control.clone());
    tokio::spawn(control.clone().listen(args.planes.control_url.clone()));
    let admin_clusters = crate::config::data_clusters(&args.admin_data_url, &args.admin_data_clusters)?
        .into_iter()
        .map(|(name, url)| {
            let pool = sqlx::postgres::PgPoolOptions::new()
                .max_connections(4)
                .connect_lazy(&url)
                .with_context(|| format!("configure the schema-change pool of the data cluster '{name}'"))?;
            Ok((name, pool))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let planes_for_changes = Arc::new(crate::store::AdminPlanes::new(
        planes.control.clone(),
        admin_clusters,
        planes.logs.clone(),
        args.rename_grace,
        args.drop_retention,
    ));
    crate::invalidate::Invalidator::new(args.edge_push_urls.clone(), keys.clone()).start(
        planes.data.iter().map(|cluster| cluster.url.clone()).collect(),
        args.planes.control_url.clone(),
        control.clone(),
    );
    // Schema changes a crash interrupted are finished (or failed) now and every few seconds.
    tokio::spawn(crate::schema::recover_forever(planes_for_changes.clone()));
    let slow_lists = Arc::new(crate::hints::SlowLists::new(args.slow_list));
    let manager = crate::manage::Manager {
        slow_lists: slow_lists.clone(),
        webhook_reach: args.webhooks.webhook_private_targets,
        control: planes.control.clone(),
        data: planes.data.clone(),
        max_upload: args.storage.max_upload,
        sign_in: crate::throttle::Throttle::new(
            args.sign_in_free_failures_per_account,
            args.sign_in_free_failures_per_address,
        ),
        jwt_key: *keys.jwt_key(),
        planes: planes_for_changes,
        dummy_hash: crate::password::hash(&hex::encode(keys.stand_in_secret()))
            .await
            .map_err(|error| anyhow::anyhow!("hash: {error}"))?,
    };
    let storage = crate::storage::Storage::new(&args.storage)?.map(Arc::new);
    match &storage {
        None => tracing::warn!("no object storage configured (NC_S3_ENDPOINT and keys): uploads and jobs answer 503"),
        Some(storage) => {
            if let Err(error) = storage.ensure_bucket().await {
                tracing::warn!(error = format!("{error:#}"), "the object store's bucket could not be created");
            }
        }
    }
    let executor = Arc::new(Executor {
        manager,
        slow_lists,
        storage,
        job_wake: tokio::sync::Notify::new(),
        job_turn: std::sync::atomic::AtomicUsize::new(0),
        streams: crate::events::Streams::new(&args.streams),
        metrics: crate::metrics::Metrics::default(),
        cursor_key: keys.cursor_key(),
        keys,
        nonces: Nonces::new(args.redis_url.as_deref(), now_ms()).context("configure the Redis of NC_REDIS_URL")?,
        control,
        planes,
    });
    crate::jobs::start(executor.clone(), &args.jobs);
    tokio::spawn(crate::metrics::sample_queues_forever(executor.clone()));
    // Each cluster's change logs are copied, its deliveries sent and its commits heard by
    // loops of its own; presence is shared state, on the main cluster.
    for cluster in executor.planes.data.iter() {
        let planes = executor.manager.planes.clone();
        crate::audit::start(&cluster.name, cluster.pool.clone(), cluster.url.clone(), planes.clone());
        crate::webhooks::deliver::start(cluster.pool.clone(), cluster.url.clone(), planes, &args.webhooks)?;
        executor.streams.hubs.listen(cluster.url.clone());
    }
    let main = executor.planes.data.main();
    executor.streams.board.listen(main.pool.clone(), main.url.clone());
    let listener =
        tokio::net::TcpListener::bind(args.listen).await.with_context(|| format!("listen on {}", args.listen))?;
    // Edges keep connections open and send small requests: Nagle's delay would add ~40 ms to each.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    tracing::info!(address = %args.listen, "listening");
    let (stop_sender, stop_receiver) = tokio::sync::watch::channel(false);
    let streams = executor.streams.clone();
    let server = axum::serve(listener, router(executor)).with_graceful_shutdown(async move {
        shutdown_signal().await;
        tracing::info!("shutting down: draining in-flight requests");
        // Open event streams end now; their clients resume on another origin.
        streams.stop();
        stop_sender.send_replace(true);
    });
    let grace = args.shutdown_grace;
    let deadline = async move {
        let mut stop = stop_receiver;
        let _ = stop.wait_for(|stopped| *stopped).await;
        tokio::time::sleep(grace).await;
    };
    tokio::select! {
        result = server => result.context("serve HTTP")?,
        () = deadline => tracing::warn!("shutdown grace period over; exiting with requests in flight"),
    }
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
}

async fn execute(State(executor): State<Arc<Executor>>, headers: HeaderMap, body: Bytes) -> Response {
    let started = Instant::now();
    let signature = headers.get(shared::sign::HEADER).and_then(|value| value.to_str().ok());
    let mut reply = executor.execute(signature, &body).await;
    let micros = started.elapsed().as_micros() as u64;
    executor.metrics.observe(reply.op, reply.status, micros);
    tracing::info!(request_id = %reply.request_id, op = reply.op, status = reply.status, micros, "execute");
    let mut response = match reply.events.take() {
        Some(events) => match crate::events::output(executor.clone(), events).await {
            crate::events::Output::Json(status, body) => json_with_id(status, body, &reply.request_id),
            crate::events::Output::Stream(body) => {
                let head = [
                    (header::CONTENT_TYPE, HeaderValue::from_static(shared::events::CONTENT_TYPE)),
                    (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
                ];
                with_id((StatusCode::OK, head, body).into_response(), &reply.request_id)
            }
        },
        None if reply.status == 204 => with_id(StatusCode::NO_CONTENT.into_response(), &reply.request_id),
        None => json_with_id(reply.status, reply.body, &reply.request_id),
    };
    let headers = response.headers_mut();
    if let Some(version) = reply.catalog_version {
        headers.insert(CATALOG_VERSION_HEADER, HeaderValue::from(version));
    }
    if let Some(etag) = reply.etag.and_then(|etag| HeaderValue::from_str(&etag).ok()) {
        headers.insert(header::ETAG, etag);
    }
    if reply.replayed {
        headers.insert(REPLAYED_HEADER, HeaderValue::from_static("true"));
    }
    if let Ok(timing) = HeaderValue::from_str(&reply.timing) {
        headers.insert("server-timing", timing);
    }
    response
}

async fn metrics(State(executor): State<Arc<Executor>>) -> Response {
    let now = crate::metrics::Now {
        streams: executor.streams.count(),
        subscriptions: executor.streams.hubs.subscriptions(),
        pools: crate::metrics::PoolUsage::of(&executor.planes),
    };
    let mut response = executor.metrics.render(&now).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4"));
    response
}

/// Reports each plane; 503 when any of them does not answer `SELECT 1` within two seconds.
async fn healthz(State(executor): State<Arc<Executor>>) -> Response {
    let probe = probe(&executor).await;
    let body = serde_json::json!({
        "status": if probe.healthy() { "ok" } else { "degraded" },
        "planes": { "control": probe.planes[0].1, "data": probe.planes[1].1, "logs": probe.planes[2].1 },
        "redis": probe.redis,
    });
    json(if probe.healthy() { 200 } else { 503 }, body.to_string().into_bytes())
}

/// What [`probe`] found: each plane's state (`ok`, `unavailable`) with the time it took
/// to answer, and Redis's (`ok`, `unavailable`, `not_configured`).
pub(crate) struct Probe {
    pub planes: [(&'static str, &'static str, Option<f64>); 3],
    pub redis: &'static str,
}

impl Probe {
    pub fn healthy(&self) -> bool {
        self.planes.iter().all(|(_, state, _)| *state == "ok") && self.redis != "unavailable"
    }
}

/// Asks each plane for `SELECT 1`, and Redis (when this origin keeps its nonces there)
/// whether it answers, each within two seconds.
pub(crate) async fn probe(executor: &Executor) -> Probe {
    let timeout = Duration::from_secs(2);
    let planes = &executor.planes;
    let sqlx_ping = |pool: &sqlx::PgPool| {
        let pool = pool.clone();
        async move { sqlx::query("SELECT 1").execute(&pool).await.is_ok() }
    };
    // The data plane is up when every cluster answers.
    let data_ping = async {
        let mut up = true;
        for cluster in planes.data.iter() {
            up &= match cluster.pool.get().await {
                Ok(client) => client.simple_query("SELECT 1").await.is_ok(),
                Err(_) => false,
            };
        }
        up
    };
    let (control, data, logs, redis) = tokio::join!(
        timed(timeout, sqlx_ping(&planes.control)),
        timed(timeout, data_ping),
        timed(timeout, sqlx_ping(&planes.logs)),
        tokio::time::timeout(timeout, executor.nonces.shared_reachable()),
    );
    let redis = match redis {
        Ok(None) => "not_configured",
        Ok(Some(true)) => "ok",
        Ok(Some(false)) | Err(_) => "unavailable",
    };
    Probe { planes: [("control", control.0, control.1), ("data", data.0, data.1), ("logs", logs.0, logs.1)], redis }
}

/// `ok` and the milliseconds a ping took to succeed, or `unavailable`.
async fn timed(timeout: Duration, ping: impl Future<Output = bool>) -> (&'static str, Option<f64>) {
    let started = Instant::now();
    match tokio::time::timeout(timeout, ping).await {
        Ok(true) => ("ok", Some(started.elapsed().as_secs_f64() * 1000.0)),
        _ => ("unavailable", None),
    }
}

async fn not_found() -> Response {
    let request_id = origin_request_id();
    let error = ApiError::new(ErrorCode::RouteNotFound, "Not an origin route.");
    json_with_id(404, error.to_body(&request_id), &request_id)
}

/// A JSON response carrying `X-Request-Id`, as every answer to an API request does.
fn json_with_id(status: u16, body: Vec<u8>, request_id: &str) -> Response {
    with_id(json(status, body), request_id)
}

fn with_id(mut response: Response, request_id: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(request_id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

fn json(status: u16, body: Vec<u8>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response()
}
