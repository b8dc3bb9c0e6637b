//! Startup: builds the shared state, loads the component and runs the server.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;

use crate::cli::Args;
use crate::keyvalue::Buckets;
use crate::kv::KvStore;
use crate::outbound::Outbound;
use crate::runtime::{Runtime, RuntimeOptions, Shared};
use crate::server::{self, Files, Mounted, ServerOptions};
use crate::variables::Variables;

/// Instances of the files component alive at once: it answers from files, fast.
const FILES_MAX_INSTANCES: u32 = 32;

/// Runs the host until it is told to stop.
pub async fn run(args: Args) -> anyhow::Result<()> {
    let request_timeout = Duration::from_secs(args.request_timeout_secs.max(1));
    let outbound = Arc::new(Outbound::new(args.allow_outbound));
    let variables = Arc::new(Variables::from_env());
    let mut allowed: Vec<String> = outbound.allowed().map(ToString::to_string).collect();
    allowed.sort();

    let started = std::time::Instant::now();
    let options = RuntimeOptions {
        component: &args.component,
        max_instances: args.max_instances,
        fuel: args.fuel,
        perfmap: args.perfmap,
        request_timeout,
        max_memory_bytes: args.max_memory_bytes,
        root: None,
    };
    let redis = match &args.kv_redis {
        Some(url) => Some(Buckets::redis(url).await.with_context(|| format!("connecting to Redis at {url}"))?),
        None => None,
    };
    let ttl = Duration::from_secs(args.kv_entry_ttl_secs);
    let buckets = Buckets::new(args.kv_max_bytes, ttl, redis, args.kv_shared_buckets.clone());
    let shared = Shared {
        kv: Arc::new(KvStore::new(args.kv_max_bytes, None)),
        view_cache: Arc::new(KvStore::new(args.cache_max_bytes, None)),
        buckets: Arc::new(buckets),
        variables: Arc::clone(&variables),
        outbound,
    };
    // Compilation is CPU-bound and takes seconds; keep it off the async workers.
    let files = match (&args.files_component, &args.files_dir) {
        (Some(component), Some(dir)) => {
            let options = RuntimeOptions { component, max_instances: FILES_MAX_INSTANCES, root: Some(dir), ..options };
            let runtime = tokio::task::block_in_place(|| Runtime::load(&options, shared.clone()))?;
            tracing::info!(component = %component.display(), dir = %dir.display(), routes = ?args.files_routes, "files component loaded");
            Some(Files { component: Mounted::new(runtime, FILES_MAX_INSTANCES), routes: args.files_routes.clone() })
        }
        _ => None,
    };
    let runtime = tokio::task::block_in_place(|| Runtime::load(&options, shared))?;
    tracing::info!(
        component = %args.component.display(),
        compile_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        variables = variables.count(),
        allow_outbound = ?allowed,
        max_instances = args.max_instances,
        max_memory_bytes = args.max_memory_bytes,
        kv_max_bytes = args.kv_max_bytes,
        kv_redis = args.kv_redis.is_some(),
        fuel = runtime.fuel_enabled(),
        "component loaded"
    );

    server::serve(
        Mounted::new(runtime, args.max_instances),
        files,
        ServerOptions {
            listen: args.listen,
            metrics_listen: args.metrics_listen,
            trusted_proxies: args.trusted_proxies.clone(),
            log_requests: args.log_requests,
            request_timeout,
            max_reuse: args.max_reuse,
            tick: args.tick.clone(),
        },
    )
    .await
}
