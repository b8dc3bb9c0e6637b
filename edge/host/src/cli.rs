//! Command-line flags, each with an `EDGE_HOST_*` environment fallback.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

use crate::outbound::Origin;

fn parse_tick(text: &str) -> Result<(std::time::Duration, String), String> {
    let (seconds, path) = text.split_once(':').ok_or("expected <seconds>:<path>, e.g. 2:/internal/v1/flush")?;
    let seconds: f64 = seconds.parse().map_err(|_| "the interval must be a number of seconds")?;
    if !(0.1..=3600.0).contains(&seconds) || !path.starts_with('/') {
        return Err("expected an interval of 0.1 to 3600 seconds and a path starting with /".into());
    }
    Ok((std::time::Duration::from_secs_f64(seconds), path.to_owned()))
}

fn parse_route(text: &str) -> Result<String, String> {
    let route = text.trim_end_matches('/');
    if !route.starts_with('/') || route.len() < 2 {
        return Err("a route is a path prefix such as /docs".into());
    }
    Ok(route.to_owned())
}

/// Serves a Spin HTTP component (wasi:http/handler@0.3.0) with wasmtime.
#[derive(Debug, Parser)]
#[command(name = "edge-host", version, about)]
pub struct Args {
    /// Path of the component (.wasm) to serve.
    #[arg(long, env = "EDGE_HOST_COMPONENT")]
    pub component: PathBuf,

    /// A component serving static files (edge/files), answering the routes of
    /// `--files-route` from `--files-dir`; every other path goes to `--component`.
    #[arg(long, env = "EDGE_HOST_FILES_COMPONENT", requires = "files_dir")]
    pub files_component: Option<PathBuf>,

    /// The directory the files component reads as its root, read-only (spin.toml mounts
    /// the same directory with `files`).
    #[arg(long, env = "EDGE_HOST_FILES_DIR", requires = "files_component")]
    pub files_dir: Option<PathBuf>,

    /// Path prefixes the files component answers, like spin.toml's `/docs/...` and `/app/...` routes: a
    /// prefix takes itself and every path below it.
    #[arg(long = "files-route", env = "EDGE_HOST_FILES_ROUTES", value_delimiter = ',', default_value = "/docs,/app",
          value_parser = parse_route)]
    pub files_routes: Vec<String>,

    /// Address to listen on.
    #[arg(long, env = "EDGE_HOST_LISTEN", default_value = "127.0.0.1:8787")]
    pub listen: SocketAddr,
    /// Where to serve Prometheus metrics (`GET /metrics`): answers by status class and the
    /// view cache's hits, stale answers and misses. Keep it off the public network.
    #[arg(long, env = "EDGE_HOST_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,

    /// Reverse proxies in front of this host (their addresses, comma-separated): when one
    /// of them is the peer, the client's address is taken from its `X-Real-IP` header
    /// (which it must set, replacing what the client sent); from any other peer that
    /// header is ignored.
    #[arg(long = "trusted-proxy", env = "EDGE_HOST_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,

    /// An origin (http://host:port) the component may call; repeat for more.
    /// Calls to any other origin fail with `HTTP-request-denied`.
    #[arg(
        long = "allow-outbound",
        env = "EDGE_HOST_ALLOW_OUTBOUND",
        value_delimiter = ',',
        value_parser = Origin::parse,
    )]
    pub allow_outbound: Vec<Origin>,

    /// Maximum number of component instances alive at once (the pool size);
    /// requests beyond it wait for a free instance.
    #[arg(long, env = "EDGE_HOST_MAX_INSTANCES", default_value_t = 1000)]
    pub max_instances: u32,

    /// Requests one instance may serve before it is replaced by a fresh one. 1 gives
    /// Spin's semantics of a fresh instance per request; larger values skip
    /// instantiation and the pool's slot reset for most requests (the component must
    /// not rely on per-request global state).
    #[arg(long, env = "EDGE_HOST_MAX_REUSE", default_value_t = 1000)]
    pub max_reuse: u32,

    /// Keep the shared `wasi:keyvalue` buckets in Redis (`redis://host:port`), for every
    /// host using the same server; without it they live in this process.
    #[arg(long, env = "EDGE_HOST_KV_REDIS")]
    pub kv_redis: Option<String>,

    /// The `wasi:keyvalue` buckets kept in Redis with `--kv-redis`; others stay in this
    /// process (the edge keeps its per-host fill claims and epochs in `local`, and its
    /// metered usage in `usage`, which each host flushes itself).
    #[arg(long, env = "EDGE_HOST_KV_SHARED_BUCKETS", value_delimiter = ',', default_value = "limits")]
    pub kv_shared_buckets: Vec<String>,

    /// Bytes the `cache` key-value store may hold before it evicts its least recently used entries.
    #[arg(long, env = "EDGE_HOST_CACHE_MAX_BYTES", default_value_t = 64 * 1024 * 1024)]
    pub cache_max_bytes: usize,

    /// Bytes (keys plus values) the `default` key-value store, and each in-memory
    /// `wasi:keyvalue` bucket, may hold before it evicts its least recently used entries.
    #[arg(long, env = "EDGE_HOST_KV_MAX_BYTES", default_value_t = 64 * 1024 * 1024)]
    pub kv_max_bytes: usize,

    /// Seconds a `wasi:keyvalue` entry (a rate-limit window, a month's count) lives after
    /// its last write, in memory and in Redis (`PEXPIRE`). The default outlives a month's
    /// quota counter.
    #[arg(long, env = "EDGE_HOST_KV_ENTRY_TTL_SECS", default_value_t = 32 * 24 * 3600,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub kv_entry_ttl_secs: u64,

    /// Log one line per request at info level (otherwise at debug).
    #[arg(long, env = "EDGE_HOST_LOG_REQUESTS")]
    pub log_requests: bool,

    /// Meter guest instructions with wasmtime fuel and log the fuel used per
    /// request (at the request log line's level).
    #[arg(long, env = "EDGE_HOST_FUEL")]
    pub fuel: bool,

    /// Write `/tmp/perf-<pid>.map` as guest code is compiled, so that `perf` names the
    /// guest's functions in a profile of this process.
    #[arg(long, env = "EDGE_HOST_PERFMAP")]
    pub perfmap: bool,

    /// A scheduled request, as `<seconds>:<path>`: every so many seconds the host sends
    /// `POST <path>` with `x-edge-host-trigger: tick` to the component (a header it
    /// removes from every client request), as a cron trigger would.
    #[arg(long, env = "EDGE_HOST_TICK", value_parser = parse_tick)]
    pub tick: Option<(std::time::Duration, String)>,

    /// The most bytes one instance's linear memory may grow to (the edge reads bodies of
    /// at most `max_body_bytes`, 5 MiB by default, and answers from them).
    #[arg(long, env = "EDGE_HOST_MAX_MEMORY_BYTES", default_value_t = 256 * 1024 * 1024)]
    pub max_memory_bytes: usize,

    /// Seconds one request may spend in the component, body streaming included.
    #[arg(long, env = "EDGE_HOST_REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    pub request_timeout_secs: u64,
}
