//! `deploy/`, run here as an operator would run it on the two VMs: VM-DB's setup script,
//! initdb script, PgBouncer and Redis (password, persistence) with their shipped
//! configuration, and VM-Web's nginx (TLS, the four hosts) rendered by its own script in
//! front of a native edge and two origins. Requests go through all of it. Also: the
//! recovery drill of deploy/RUNBOOK.md (pgBackRest's backups of a plane and its restore
//! to a point in time), the compose file against the Compose specification, the
//! firewall's ports against it, and the systemd units with `systemd-analyze verify`.
//!
//! Clients are `curl` (real TLS with the names resolved to loopback, other source
//! addresses); the daemons are Debian's nginx, pgbouncer, redis-server, PostgreSQL and
//! pgbackrest.

use e2e::{Reply, base_with_token, edge_with, env, envelope, free_port, now_ms, register, spawn_origin, wait_until};
use serde_json::{Value, json};
use shared::envelope::Op;
use shared::ids::BaseId;
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const DOMAIN: &str = "nc.test";

fn program(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: run the suites with `cargo xtask test`"))
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the repository").to_path_buf()
}

/// A scratch directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(label: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("nc-deploy-{label}-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A daemon, killed when dropped.
struct Daemon(Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs `command`, which must succeed: its standard output.
fn run(command: &mut Command) -> String {
    let output = command.output().unwrap_or_else(|error| panic!("{command:?}: {error}"));
    assert!(
        output.status.success(),
        "{command:?} failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// `text` with `from` replaced by `to`; `from` must be there (the shipped file changed
/// otherwise, and this test with it).
fn replaced(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "the shipped configuration no longer has {from:?}");
    text.replace(from, to)
}

fn running_as_root() -> bool {
    run(Command::new("id").arg("-u")).trim() == "0"
}

/// `program` as `postgres` when run by root, which PostgreSQL, PgBouncer and the files
/// they share with pgBackRest need.
fn as_postgres(program: impl AsRef<OsStr>) -> Command {
    if running_as_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

/// `KEY=value` lines of a settings file.
fn settings(path: &Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(path)
        .expect("a settings file")
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .collect()
}

/// deploy/vm-db copied to `scratch` and prepared by its setup script, as on VM-DB.
fn vm_db(scratch: &Path) -> (PathBuf, BTreeMap<String, String>) {
    let dir = scratch.join("vm-db");
    run(Command::new("cp").arg("-r").arg(repo().join("deploy/vm-db")).arg(&dir));
    // Only what is in version control: no secrets of an earlier setup.
    for secret in [".env", "pgbouncer/userlist.txt", "redis/auth.conf"] {
        let _ = std::fs::remove_file(dir.join(secret));
    }
    let said = run(Command::new(dir.join("setup.sh")).arg("127.0.0.1"));
    assert!(said.contains("new passwords"), "{said}");
    let secrets = settings(&dir.join(".env"));
    for name in ["NC_ADMIN_PASSWORD", "NC_DATA_PASSWORD", "REDIS_PASSWORD"] {
        assert!(secrets.get(name).is_some_and(|value| value.len() >= 32), "{name} in .env");
    }
    (dir, secrets)
}

/// The test cluster's port, from `E2E_DATA_URL`.
fn cluster_port() -> u16 {
    let url = program("E2E_DATA_URL");
    let after_host = url.rsplit_once('@').expect("user@host in E2E_DATA_URL").1;
    let port = after_host.split_once(':').expect("host:port").1.split_once('/').expect("port/db").0;
    port.parse().expect("a port")
}

/// redis-server with deploy/vm-db/redis/redis.conf (its password from setup.sh), on loopback.
fn start_redis(vm_db: &Path, scratch: &Path) -> (Daemon, u16) {
    let port = free_port();
    let data = scratch.join("redis-data");
    std::fs::create_dir_all(&data).expect("redis dir");
    let conf = std::fs::read_to_string(vm_db.join("redis/redis.conf")).expect("redis.conf");
    let conf = replaced(&conf, "bind * -::*", "bind 127.0.0.1");
    let conf = replaced(&conf, "port 6379", &format!("port {port}"));
    let conf = replaced(&conf, "dir /data", &format!("dir {}", data.display()));
    let conf = replaced(
        &conf,
        "include /usr/local/etc/redis/auth.conf",
        &format!("include {}", vm_db.join("redis/auth.conf").display()),
    );
    let path = scratch.join("redis.conf");
    std::fs::write(&path, conf).expect("write redis.conf");
    let child = Command::new(program("E2E_REDIS_SERVER"))
        .arg(&path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start redis-server");
    wait_until("redis starts", Duration::from_secs(10), || std::net::TcpStream::connect(("127.0.0.1", port)).is_ok());
    (Daemon(child), port)
}

/// One command to Redis in its protocol: the first line of the answer.
fn redis_says(port: u16, command: &[&str]) -> String {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect to redis");
    let mut request = format!("*{}\r\n", command.len());
    for part in command {
        request.push_str(&format!("${}\r\n{part}\r\n", part.len()));
    }
    stream.write_all(request.as_bytes()).expect("send");
    let mut line = String::new();
    std::io::BufReader::new(stream).read_line(&mut line).expect("an answer");
    line.trim_end().to_owned()
}

/// PgBouncer with deploy/vm-db/pgbouncer/pgbouncer.ini in front of the test cluster's data
/// plane (its users from setup.sh), on loopback; as `postgres` when run by root, which
/// PgBouncer refuses to be.
fn start_pgbouncer(vm_db: &Path, scratch: &Path) -> (Daemon, u16) {
    let port = free_port();
    let dir = scratch.join("pgbouncer");
    std::fs::create_dir_all(&dir).expect("pgbouncer dir");
    let ini = std::fs::read_to_string(vm_db.join("pgbouncer/pgbouncer.ini")).expect("pgbouncer.ini");
    let ini = replaced(
        &ini,
        "nc_data = host=data-db port=5432 dbname=nc_data",
        &format!("nc_data = host=127.0.0.1 port={} dbname=nc_data", cluster_port()),
    );
    let ini = replaced(&ini, "listen_addr = *", "listen_addr = 127.0.0.1");
    let ini = replaced(&ini, "listen_port = 6432", &format!("listen_port = {port}"));
    let users = vm_db.join("pgbouncer/userlist.txt");
    let ini = replaced(&ini, "auth_file = /etc/pgbouncer/userlist.txt", &format!("auth_file = {}", users.display()));
    let ini = format!(
        "{ini}logfile = {dir}/pgbouncer.log\npidfile = {dir}/pgbouncer.pid\nunix_socket_dir = {dir}\n",
        dir = dir.display()
    );
    let path = dir.join("pgbouncer.ini");
    std::fs::write(&path, ini).expect("write pgbouncer.ini");
    if running_as_root() {
        run(Command::new("chown").args(["-R", "postgres"]).arg(scratch));
    }
    let child = as_postgres(program("E2E_PGBOUNCER"))
        .arg(&path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start pgbouncer");
    wait_until("pgbouncer starts", Duration::from_secs(10), || {
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    (Daemon(child), port)
}

/// VM-Web's nginx: deploy/vm-web/render-nginx with loopback addresses, a certificate for
/// the four names made here, and the given edge and origins.
struct Front {
    _daemon: Daemon,
    http: u16,
    https: u16,
    ca: PathBuf,
    acme: PathBuf,
}

fn start_nginx(scratch: &Path, edge: &str, origins: &[&str], origin_proxy: u16) -> Front {
    let dir = scratch.join("nginx");
    for sub in ["conf", "logs", "acme", "tmp"] {
        std::fs::create_dir_all(dir.join(sub)).expect("nginx dirs");
    }
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let names: Vec<String> = ["api", "app", "www", "admin"].iter().map(|host| format!("DNS:{host}.{DOMAIN}")).collect();
    run(Command::new("openssl")
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"])
        .args(["-subj", &format!("/CN={DOMAIN}"), "-addext", &format!("subjectAltName={}", names.join(","))])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert));
    let (http, https) = (free_port(), free_port());
    let settings = format!(
        "NC_DOMAIN={DOMAIN}\nNC_EDGE_ADDR={edge}\nNC_ORIGIN_ADDRS=\"{origins}\"\nNC_ADMIN_NETWORKS=\"127.0.0.2/32\"\n\
         NC_TLS_CERT={cert}\nNC_TLS_KEY={key}\nNC_HTTP_LISTEN=127.0.0.1:{http}\nNC_HTTPS_LISTEN=127.0.0.1:{https}\n\
         NC_ORIGIN_PROXY_LISTEN=127.0.0.1:{origin_proxy}\nNC_ACME_ROOT={acme}\nNC_LOG_DIR={logs}\n",
        origins = origins.join(" "),
        cert = cert.display(),
        key = key.display(),
        acme = dir.join("acme").display(),
        logs = dir.join("logs").display(),
    );
    std::fs::write(dir.join("nginx.env"), settings).expect("write the settings");
    run(Command::new(repo().join("deploy/vm-web/render-nginx")).arg(dir.join("nginx.env")).arg(dir.join("conf")));
    // What Debian's /etc/nginx/nginx.conf provides around the include, in the scratch dir.
    let main = format!(
        "user root;\nworker_processes 1;\npid {dir}/nginx.pid;\nerror_log {dir}/logs/error.log;\nevents {{}}\n\
         http {{\n  include /etc/nginx/mime.types;\n  client_body_temp_path {dir}/tmp/body;\n  \
         proxy_temp_path {dir}/tmp/proxy;\n  fastcgi_temp_path {dir}/tmp/fastcgi;\n  uwsgi_temp_path {dir}/tmp/uwsgi;\n  \
         scgi_temp_path {dir}/tmp/scgi;\n  include {dir}/conf/nc-lcdbaas.conf;\n}}\n",
        dir = dir.display()
    );
    let main_path = dir.join("nginx.conf");
    std::fs::write(&main_path, main).expect("write nginx.conf");
    let nginx = program("E2E_NGINX");
    let error_log = dir.join("logs/error.log");
    let checked =
        Command::new(&nginx).arg("-t").arg("-c").arg(&main_path).arg("-e").arg(&error_log).output().expect("nginx -t");
    assert!(checked.status.success(), "nginx -t: {}", String::from_utf8_lossy(&checked.stderr));
    let child = Command::new(&nginx)
        .arg("-c")
        .arg(&main_path)
        .arg("-e")
        .arg(&error_log)
        .args(["-g", "daemon off;"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start nginx");
    wait_until("nginx starts", Duration::from_secs(10), || std::net::TcpStream::connect(("127.0.0.1", https)).is_ok());
    Front { _daemon: Daemon(child), http, https, ca: cert, acme: dir.join("acme") }
}

impl Front {
    /// `curl` to `https://{host}.nc.test{path}` (or `http://` with `plain`), the names
    /// resolved to loopback and the certificate checked against the one made here.
    fn curl(&self, host: &str, path: &str, args: &[&str]) -> Result<Reply, String> {
        let scheme_port = if args.contains(&"--plain") { ("http", self.http) } else { ("https", self.https) };
        let args: Vec<&str> = args.iter().copied().filter(|arg| *arg != "--plain").collect();
        let name = format!("{host}.{DOMAIN}");
        let headers = std::env::temp_dir().join(format!("nc-deploy-headers-{}", uuid::Uuid::new_v4().simple()));
        let output = Command::new("curl")
            .args(["-sS", "--http1.1", "--max-time", "20", "-o", "-", "-D"])
            .arg(&headers)
            .arg("--cacert")
            .arg(&self.ca)
            .args(["--resolve", &format!("{name}:{}:127.0.0.1", scheme_port.1)])
            .args(&args)
            .arg(format!("{}://{name}:{}{path}", scheme_port.0, scheme_port.1))
            .output()
            .expect("run curl");
        let head = std::fs::read_to_string(&headers).unwrap_or_default();
        let _ = std::fs::remove_file(&headers);
        if !output.status.success() {
            return Err(String::from_utf8_lossy(&output.stderr).into_owned());
        }
        let mut lines = head.lines();
        let status = lines.next().and_then(|line| line.split(' ').nth(1)).and_then(|code| code.parse().ok());
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
            .collect();
        let text = String::from_utf8(output.stdout).expect("a UTF-8 body");
        Ok(Reply { status: status.expect("a status line"), headers, text })
    }

    fn get(&self, host: &str, path: &str, args: &[&str]) -> Reply {
        self.curl(host, path, args).unwrap_or_else(|error| panic!("{host} {path}: {error}"))
    }

    fn send(&self, host: &str, method: &str, path: &str, bearer: &str, body: &Value) -> Reply {
        let authorization = format!("authorization: Bearer {bearer}");
        let body = body.to_string();
        let args = ["-X", method, "-H", &authorization, "-H", "content-type: application/json", "--data-binary", &body];
        self.get(host, path, &args)
    }
}

/// The nginx error-model answer: status, code, and a request id.
fn nginx_error(reply: &Reply, status: u16, code: &str) {
    assert_eq!(reply.status, status, "{}", reply.text);
    let body: Value = serde_json::from_str(&reply.text).unwrap_or_else(|_| panic!("JSON: {}", reply.text));
    assert_eq!(body["error"]["code"], code, "{}", reply.text);
    assert!(body["request_id"].as_str().is_some_and(|id| id.len() == 32), "{}", reply.text);
    assert_eq!(reply.header("content-type"), Some("application/json"), "{:?}", reply.headers);
}

/// An envelope for the demo base, signed as an edge signs it.
fn signed_load_catalog() -> (Vec<u8>, String) {
    let base_id = BaseId(uuid::Uuid::parse_str(env().fixture_str("base_id")).expect("base id"));
    let body = envelope(Op::LoadCatalog { base_id }, now_ms());
    let signature = shared::sign::sign(&env().signing_key, &body);
    (body, signature)
}

fn post_envelope(url: &str, body: &[u8], signature: &str) -> Reply {
    e2e::send(
        "POST",
        &format!("{url}{}", shared::envelope::EXECUTE_PATH),
        &[("content-type", "application/json"), (shared::sign::HEADER, signature)],
        Some(body),
    )
}

#[test]
fn the_two_vm_deployment_serves_the_api_through_nginx_pgbouncer_and_redis() {
    if !e2e::native() {
        return; // One run is enough: it starts its own native edge.
    }
    let scratch = Scratch::new("stack");
    let (vm_db, secrets) = vm_db(&scratch.0);

    // VM-DB: the initdb script on the data plane (roles and passwords), Redis, PgBouncer.
    run(Command::new(vm_db.join("postgres/initdb.d/10-nc-lcdbaas.sh"))
        .env("PGHOST", "127.0.0.1")
        .env("PGPORT", cluster_port().to_string())
        .env("NC_PLANE", "nc_data")
        .env("NC_BOOTSTRAP_SQL", repo().join("deploy/postgres/bootstrap.sql"))
        .envs(&secrets));
    let (_redis, redis_port) = start_redis(&vm_db, &scratch.0);
    let password = &secrets["REDIS_PASSWORD"];
    assert!(redis_says(redis_port, &["PING"]).starts_with("-NOAUTH"), "Redis asks for its password");
    assert_eq!(redis_says(redis_port, &["AUTH", "not-the-password"]).split(' ').next(), Some("-WRONGPASS"));
    let (_pgbouncer, pgbouncer_port) = start_pgbouncer(&vm_db, &scratch.0);

    // VM-Web: two origins (data plane through PgBouncer, nonces in Redis), the edge, nginx.
    let redis_url = format!("redis://:{password}@127.0.0.1:{redis_port}/0");
    let data_url = format!("postgres://data_app_rw:{}@127.0.0.1:{pgbouncer_port}/nc_data", secrets["NC_DATA_PASSWORD"]);
    let origin_env = [("NC_DATA_URL", data_url.as_str()), ("NC_REDIS_URL", redis_url.as_str())];
    let first = spawn_origin(&origin_env);
    let mut second = Some(spawn_origin(&origin_env));
    let health: Value = e2e::send("GET", &format!("{}/healthz", first.url), &[], None).json();
    assert_eq!(health["redis"], "ok", "{health}");
    let origin_proxy = free_port();
    let files = program("E2E_FILES_COMPONENT");
    let static_dir = program("E2E_STATIC_DIR");
    let edge = edge_with(
        &format!("http://127.0.0.1:{origin_proxy}"),
        &[],
        &[
            "--files-component",
            &files,
            "--files-dir",
            &static_dir,
            "--kv-redis",
            &redis_url,
            "--trusted-proxy",
            "127.0.0.1",
        ],
    );
    let origins: Vec<&str> = [&first.url, &second.as_ref().expect("second").url]
        .iter()
        .map(|url| url.trim_start_matches("http://"))
        .collect();
    let front = start_nginx(&scratch.0, edge.url.trim_start_matches("http://"), &origins, origin_proxy);

    // Port 80: ACME challenges are answered, everything else goes to HTTPS.
    let challenge = front.acme.join(".well-known/acme-challenge");
    std::fs::create_dir_all(&challenge).expect("challenge dir");
    std::fs::write(challenge.join("token-1"), "token-1.key").expect("challenge");
    let answered = front.get("api", "/.well-known/acme-challenge/token-1", &["--plain"]);
    assert_eq!((answered.status, answered.text.as_str()), (200, "token-1.key"));
    let moved = front.get("app", "/app/?x=1", &["--plain"]);
    assert_eq!(moved.status, 301);
    assert_eq!(moved.header("location"), Some(&*format!("https://app.{DOMAIN}/app/?x=1")));
    // Another name gets no TLS handshake.
    let unknown = Command::new("curl")
        .args(["-sS", "--resolve", &format!("other.{DOMAIN}:{}:127.0.0.1", front.https), "-k"])
        .arg(format!("https://other.{DOMAIN}:{}/", front.https))
        .output()
        .expect("curl");
    assert!(!unknown.status.success(), "an unknown name is refused");

    // A user and a base, through the api host: the schema change takes the data plane's
    // locks through PgBouncer.
    let owner = register("deploy");
    let (base, token) = base_with_token(&owner, "deploy");
    let table =
        json!({"name": "orders", "fields": [{"name": "item", "type": "text"}, {"name": "qty", "type": "number"}]});
    let created = front.send("api", "POST", &format!("/api/v1/bases/{base}/tables"), &owner.access, &table);
    assert_eq!(created.status, 201, "{}", created.text);
    let hsts = created.header("strict-transport-security").expect("HSTS on answers");
    assert!(hsts.starts_with("max-age="), "{hsts}");

    // An event stream through nginx (unbuffered) sees a write made through nginx.
    let authorization = format!("authorization: Bearer {token}");
    let mut stream = Command::new("curl")
        .args(["-sS", "-N", "--http1.1", "--max-time", "30", "-H", &authorization])
        .arg("--cacert")
        .arg(&front.ca)
        .args(["--resolve", &format!("api.{DOMAIN}:{}:127.0.0.1", front.https)])
        .arg(format!("https://api.{DOMAIN}:{}/v1/tables/orders/events", front.https))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("curl -N");
    let lines = std::io::BufReader::new(stream.stdout.take().expect("stdout")).lines();
    let (sender, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    // The stream is open once its first frame arrived.
    received.recv_timeout(Duration::from_secs(15)).expect("the stream opens");
    let record =
        front.send("api", "POST", "/v1/tables/orders/records", &token, &json!({"values": {"item": "tea", "qty": 2}}));
    assert_eq!(record.status, 201, "{}", record.text);
    let id = record.json()["id"].as_str().expect("id").to_owned();
    let event = loop {
        let line = received.recv_timeout(Duration::from_secs(15)).expect("the event arrives through nginx");
        if let Some(data) = line.strip_prefix("data: ")
            && data.contains(&id)
        {
            break serde_json::from_str::<Value>(data).expect("event JSON");
        }
    };
    let _ = stream.kill();
    let _ = stream.wait();
    assert_eq!(event["type"], "record.created", "{event}");
    assert_eq!(event["record"]["values"]["item"], "tea", "{event}");

    // Compressed where it pays: the API description.
    let described = front.get("api", "/v1/openapi.json", &["--compressed"]);
    assert_eq!(described.status, 200);
    assert_eq!(described.header("content-encoding"), Some("gzip"), "{:?}", described.headers);
    assert!(described.text.contains("\"openapi\""));

    // A body over the cap is refused by nginx in the error model.
    let large = scratch.0.join("large.json");
    std::fs::write(&large, vec![b' '; 9 << 20]).expect("a large body");
    let refused = front.get(
        "api",
        "/v1/tables/orders/records",
        &["-X", "POST", "--data-binary", &format!("@{}", large.display())],
    );
    nginx_error(&refused, 413, "PAYLOAD_TOO_LARGE");

    // The origins: signed plans through the api host; nothing else of theirs is public.
    let (body, signature) = signed_load_catalog();
    let body_arg = String::from_utf8(body.clone()).expect("JSON");
    let signature_header = format!("{}: {signature}", shared::sign::HEADER);
    let executed = front.get(
        "api",
        shared::envelope::EXECUTE_PATH,
        &["-X", "POST", "-H", "content-type: application/json", "-H", &signature_header, "--data-binary", &body_arg],
    );
    assert_eq!(executed.status, 200, "{}", executed.text);
    nginx_error(&front.get("api", "/internal/v1/metrics", &[]), 404, "ROUTE_NOT_FOUND");
    // The same plan again, to either origin: the nonce is shared through Redis.
    for origin in [&first.url, &second.as_ref().expect("second").url] {
        post_envelope(origin, &body, &signature).assert_error(401, "PLAN_REPLAYED");
    }

    // The console, the reference, and the admin host for operators' networks only.
    let console = front.get("app", "/", &[]);
    assert_eq!((console.status, console.header("location")), (302, Some("/app/")));
    let page = front.get("app", "/app/", &[]);
    assert_eq!(page.status, 200);
    assert!(page.header("content-security-policy").is_some(), "{:?}", page.headers);
    let reference = front.get("www", "/docs/", &[]);
    assert_eq!(reference.status, 200, "{}", reference.text);
    nginx_error(&front.get("www", "/v1/tables/orders/records", &[]), 404, "ROUTE_NOT_FOUND");
    nginx_error(&front.get("admin", "/app/", &[]), 403, "FORBIDDEN");
    let credentials = json!({"email": owner.email, "password": owner.password}).to_string();
    let signed_in = front.get(
        "admin",
        "/api/v1/auth/login",
        &["--interface", "127.0.0.2", "-H", "content-type: application/json", "--data-binary", &credentials],
    );
    assert_eq!(signed_in.status, 200, "{}", signed_in.text);
    let admin_home = front.get("admin", "/", &["--interface", "127.0.0.2"]);
    assert_eq!((admin_home.status, admin_home.header("location")), (302, Some("/app/admin")));
    // The operators' API answers on the admin host only: elsewhere nginx refuses it, and on
    // the admin host the origin asks for an operator.
    let access = signed_in.json()["access_token"].as_str().expect("access token").to_owned();
    let bearer = format!("authorization: Bearer {access}");
    for host in ["api", "app"] {
        nginx_error(&front.get(host, "/api/v1/operator/tenants", &["-H", &bearer]), 404, "ROUTE_NOT_FOUND");
    }
    let operators = front.get("admin", "/api/v1/operator/tenants", &["--interface", "127.0.0.2", "-H", &bearer]);
    operators.assert_error(403, "FORBIDDEN");
    // The edge took the client's address from nginx, not its own peer.
    let logs_url = program("E2E_DATA_URL").replace("/nc_data", "/nc_logs");
    let mut logs = postgres::Client::connect(&logs_url, postgres::NoTls).expect("the logs plane");
    let mut client_of_sign_in = || -> Option<String> {
        logs.query_opt(
            "SELECT after->>'client' FROM audit_events WHERE action = 'auth.login' AND resource_id = $1 \
             ORDER BY at DESC LIMIT 1",
            &[&owner.id],
        )
        .expect("query")
        .and_then(|row| row.get(0))
    };
    wait_until("the sign-in is in the log", Duration::from_secs(10), || client_of_sign_in().is_some());
    assert_eq!(client_of_sign_in().as_deref(), Some("127.0.0.2"));

    // One origin stops: nginx sends the edge's calls to the other, and no request fails.
    drop(second.take());
    for n in 0..6 {
        let listed = front.get("api", "/v1/tables/orders/records", &["-H", &authorization]);
        assert_eq!(listed.status, 200, "request {n} with one origin down: {}", listed.text);
    }
    let mut log = String::new();
    std::fs::File::open(scratch.0.join("nginx/logs/access.log"))
        .and_then(|mut file| file.read_to_string(&mut log))
        .expect("the access log");
    let line: Value = serde_json::from_str(log.lines().last().expect("a line")).expect("JSON access log");
    assert!(line["request_id"].as_str().is_some_and(|id| id.len() == 32), "{line}");

    // The data role's password changes as deploy/README.md says: a new one in .env,
    // setup.sh rewrites PgBouncer's list, PgBouncer reloads it on SIGHUP. The running
    // origin keeps its connections; a connection with the old password is refused; the
    // origin restarted with the new one serves.
    let old_password = secrets["NC_DATA_PASSWORD"].clone();
    let new_password = uuid::Uuid::new_v4().simple().to_string().repeat(2);
    let env_file = vm_db.join(".env");
    let text = std::fs::read_to_string(&env_file).expect(".env");
    let text =
        replaced(&text, &format!("NC_DATA_PASSWORD={old_password}"), &format!("NC_DATA_PASSWORD={new_password}"));
    std::fs::write(&env_file, text).expect("write .env");
    let said = run(&mut Command::new(vm_db.join("setup.sh")));
    assert!(!said.contains("new passwords"), "setup.sh keeps the rest of .env: {said}");
    let pid = std::fs::read_to_string(scratch.0.join("pgbouncer/pgbouncer.pid")).expect("PgBouncer's pid");
    run(Command::new("kill").args(["-HUP", pid.trim()]));
    let connect = |password: &str| {
        let url = format!("host=127.0.0.1 port={pgbouncer_port} user=data_app_rw password={password} dbname=nc_data");
        postgres::Client::connect(&url, postgres::NoTls)
    };
    wait_until("PgBouncer refuses the old password", Duration::from_secs(10), || connect(&old_password).is_err());
    connect(&new_password).expect("PgBouncer takes the new password");
    let listed = front.get("api", "/v1/tables/orders/records", &["-H", &authorization]);
    assert_eq!(listed.status, 200, "the running origin keeps its connections: {}", listed.text);
    let port: u16 = first.url.rsplit_once(':').expect("host:port").1.parse().expect("a port");
    drop(first);
    let data_url = format!("postgres://data_app_rw:{new_password}@127.0.0.1:{pgbouncer_port}/nc_data");
    let _restarted =
        e2e::spawn_origin_at(port, &[("NC_DATA_URL", data_url.as_str()), ("NC_REDIS_URL", redis_url.as_str())]);
    for n in 0..3 {
        let listed = front.get("api", "/v1/tables/orders/records", &["-H", &authorization]);
        assert_eq!(listed.status, 200, "request {n} after the restart: {}", listed.text);
    }
}

/// A PostgreSQL cluster of the recovery drill, on a data directory of the scratch
/// directory; stopped when dropped, the test passed or not.
struct Postmaster {
    bin: PathBuf,
    data: PathBuf,
}

impl Postmaster {
    /// Starts the cluster in `data` (on `port` when given, instead of its configuration's)
    /// with compose.yml's environment of the data plane, whose stanza archive_command names.
    fn start(bin: &Path, data: &Path, port: Option<u16>) -> Postmaster {
        let postmaster = Postmaster { bin: bin.to_owned(), data: data.to_owned() };
        let mut pg_ctl = as_postgres(bin.join("pg_ctl"));
        pg_ctl.args(["start", "-w", "-t", "60", "-D"]).arg(data).arg("-l").arg(data.with_extension("log"));
        if let Some(port) = port {
            pg_ctl.args(["-o", &format!("-p {port}")]);
        }
        run(pg_ctl.env("NC_PLANE", "nc_data"));
        postmaster
    }
}

impl Drop for Postmaster {
    fn drop(&mut self) {
        if self.data.join("postmaster.pid").exists() {
            let _ = as_postgres(self.bin.join("pg_ctl"))
                .args(["stop", "-m", "immediate", "-w", "-D"])
                .arg(&self.data)
                .output();
        }
    }
}

/// A superuser's connection to the drill's cluster on `port`, once it takes one.
fn superuser(port: u16) -> postgres::Client {
    let url = format!("host=127.0.0.1 port={port} user=postgres dbname=postgres");
    let mut client = None;
    wait_until("the cluster takes connections", Duration::from_secs(60), || {
        client = postgres::Client::connect(&url, postgres::NoTls).ok();
        client.is_some()
    });
    client.expect("a connection")
}

/// The restore of deploy/RUNBOOK.md, from the files of deploy/vm-db: a scratch cluster with
/// the planes' WAL settings (postgres/conf.d/20-wal.conf) archiving to pgbackrest.conf's
/// data stanza, their paths moved into a scratch directory; backup.sh's first full and
/// hourly incremental backups and its check, with `docker compose exec` standing for
/// running pgbackrest in the plane's container; rows written before a moment T, more after
/// it along with a mistake (rows deleted); and the plane restored to T into a second data
/// directory, started beside the running first, as the runbook restores to a scratch
/// instance. Prints the figures of RUNBOOK.md's "Outcome of the last drill".
#[test]
fn the_data_plane_is_restored_to_a_point_in_time_from_its_pgbackrest_backups() {
    let scratch = Scratch::new("pitr");
    let dir = scratch.0.clone();
    let postgres_bin = PathBuf::from(program("E2E_POSTGRES_BIN"));
    let pgbackrest = program("E2E_PGBACKREST");
    let (source, restored, shims) = (dir.join("source"), dir.join("restored"), dir.join("bin"));
    for sub in ["repo", "log", "lock", "restored", "bin"] {
        std::fs::create_dir_all(dir.join(sub)).expect("the drill's directories");
    }
    let (port, restored_port) = (free_port(), free_port());

    // pgbackrest.conf with its repository, logs and locks in the scratch directory, and the
    // data stanza on this cluster; the other stanzas keep VM-DB's paths, so that a command
    // on the wrong stanza fails here.
    let vm_db = repo().join("deploy/vm-db");
    let shipped = std::fs::read_to_string(vm_db.join("pgbackrest/pgbackrest.conf")).expect("pgbackrest.conf");
    let text =
        replaced(&shipped, "repo1-path=/var/lib/pgbackrest", &format!("repo1-path={}", dir.join("repo").display()));
    let text = replaced(&text, "log-path=/var/log/pgbackrest", &format!("log-path={}", dir.join("log").display()));
    let text = replaced(&text, "lock-path=/tmp/pgbackrest", &format!("lock-path={}", dir.join("lock").display()));
    let text = replaced(
        &text,
        "[nc_data]\npg1-path=/var/lib/postgresql/data\n",
        &format!("[nc_data]\npg1-path={}\npg1-port={port}\npg1-socket-path={}\n", source.display(), dir.display()),
    );
    let config = dir.join("pgbackrest.conf");
    std::fs::write(&config, text).expect("write pgbackrest.conf");
    // The planes' WAL settings, their archive_command given this configuration.
    let wal = std::fs::read_to_string(vm_db.join("postgres/conf.d/20-wal.conf")).expect("20-wal.conf");
    let wal =
        replaced(&wal, "'pgbackrest --stanza=", &format!("'{pgbackrest} --config={} --stanza=", config.display()));
    // backup.sh runs pgbackrest in the plane's container; here, the same command runs
    // pgbackrest with the drill's configuration, and any other use of docker fails.
    let user = if running_as_root() { "runuser -u postgres -- " } else { "" };
    let docker = shims.join("docker");
    std::fs::write(
        &docker,
        format!(
            "#!/bin/sh\n[ \"$1 $2 $3 $4 $5 $6 $7\" = 'compose exec -T -u postgres data-db pgbackrest' ] || \
             {{ echo \"docker: not what backup.sh runs on the data plane: $*\" >&2; exit 1; }}\n\
             shift 7\nexec {user}{pgbackrest} --config={} \"$@\"\n",
            config.display()
        ),
    )
    .expect("write the docker shim");
    let backup_sh = |action: &str| {
        let path = format!("{}:{}", shims.display(), std::env::var("PATH").unwrap_or_default());
        run(Command::new(vm_db.join("backup.sh")).args([action, "nc_data"]).env("PATH", path))
    };
    if running_as_root() {
        run(Command::new("chown").args(["-R", "postgres:postgres"]).arg(&dir));
    }
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&docker, std::fs::Permissions::from_mode(0o755)).expect("chmod the shim");
        std::fs::set_permissions(&restored, std::fs::Permissions::from_mode(0o700)).expect("chmod the data dir");
    }

    // The plane: page checksums, as compose.yml's initdb arguments ask; the settings of
    // 20-wal.conf (10-nc-lcdbaas.conf sizes memory for VM-DB and is left out).
    run(as_postgres(postgres_bin.join("initdb"))
        .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync", "--data-checksums", "-D"])
        .arg(&source));
    let conf = source.join("postgresql.conf");
    let mut text = std::fs::read_to_string(&conf).expect("postgresql.conf");
    text.push_str(&format!(
        "\nport = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\n{wal}",
        dir.display()
    ));
    std::fs::write(&conf, text).expect("write postgresql.conf");
    let _source = Postmaster::start(&postgres_bin, &source, None);
    let mut plane = superuser(port);
    let wal_level: String = plane.query_one("SHOW wal_level", &[]).expect("wal_level").get(0);
    assert_eq!(wal_level, "logical");

    // Backup: the stanza, its check (WAL reaches the repository) and the first full backup.
    let started = Instant::now();
    let said = backup_sh("init");
    let backup_seconds = started.elapsed().as_secs_f64();
    assert!(said.contains("backup: init done for nc_data"), "{said}");

    // A base's table: rows, an incremental backup, more rows (in archived WAL only), T.
    let base = format!("b_{}", uuid::Uuid::new_v4().simple());
    let table = format!("{base}.t_{}", uuid::Uuid::new_v4().simple());
    plane
        .batch_execute(&format!(
            "CREATE SCHEMA {base}; CREATE TABLE {table} (id integer PRIMARY KEY, written text NOT NULL); \
             INSERT INTO {table} SELECT n, 'before the incremental backup' FROM generate_series(1, 300) n"
        ))
        .expect("the rows before the incremental backup");
    let said = backup_sh("incr");
    assert!(said.contains("backup: incr done for nc_data"), "{said}");
    // Committed, then in a closed segment: the restore replays WAL across segments.
    plane
        .batch_execute(&format!(
            "INSERT INTO {table} SELECT n, 'after the incremental backup' FROM generate_series(301, 400) n; \
             SELECT pg_switch_wal()"
        ))
        .expect("the rows after the incremental backup");
    std::thread::sleep(Duration::from_secs(1));
    plane.batch_execute("SET TimeZone = 'UTC'").expect("UTC");
    let target: String = plane.query_one("SELECT clock_timestamp()::text", &[]).expect("T").get(0);
    std::thread::sleep(Duration::from_secs(1));

    // After T: more rows, and the mistake, rows of before T deleted.
    plane
        .batch_execute(&format!(
            "INSERT INTO {table} SELECT n, 'after T' FROM generate_series(401, 600) n; DELETE FROM {table} WHERE id <= 100"
        ))
        .expect("the writes after T");
    let count = |client: &mut postgres::Client, condition: &str| -> i64 {
        client.query_one(&format!("SELECT count(*) FROM {table} WHERE {condition}"), &[]).expect("count").get(0)
    };
    let after = count(&mut plane, "id > 400");
    assert_eq!((after, count(&mut plane, "id <= 100")), (200, 0), "the plane has the writes after T");
    // As the runbook does before a restore: the WAL up to now is in the repository.
    let said = backup_sh("check");
    assert!(said.contains("backup: check done for nc_data"), "{said}");

    // pgbackrest info lists the full backup and the incremental one built on it.
    let pgbackrest_command = || {
        let mut command = as_postgres(&pgbackrest);
        command.arg(format!("--config={}", config.display())).arg("--stanza=nc_data");
        command
    };
    let info: Value =
        serde_json::from_str(&run(pgbackrest_command().args(["--output=json", "info"]))).expect("info as JSON");
    let stanza = &info[0];
    assert_eq!((&stanza["name"], &stanza["status"]["code"]), (&json!("nc_data"), &json!(0)), "{info}");
    let backups = stanza["backup"].as_array().expect("the backups");
    let kinds: Vec<&str> = backups.iter().filter_map(|backup| backup["type"].as_str()).collect();
    assert_eq!(kinds, ["full", "incr"], "{info}");
    assert_eq!(backups[1]["prior"], backups[0]["label"], "{info}");
    let incremental = backups[1]["label"].as_str().expect("a label");

    // Restore to T into a second data directory, without archiving (the copy must not push
    // WAL to the plane's stanza), and start it beside the plane, which keeps running.
    let started = Instant::now();
    let said = run(pgbackrest_command()
        .arg(format!("--pg1-path={}", restored.display()))
        .args(["--type=time", &format!("--target={target}"), "--target-action=promote", "--archive-mode=off"])
        .arg("restore"));
    assert!(said.contains(&format!("restore backup set {incremental}")), "the latest backup before T: {said}");
    let _restored = Postmaster::start(&postgres_bin, &restored, Some(restored_port));
    let mut copy = superuser(restored_port);
    wait_until("the restored plane is promoted", Duration::from_secs(60), || {
        !copy.query_one("SELECT pg_is_in_recovery()", &[]).expect("recovery").get::<_, bool>(0)
    });
    let restore_seconds = started.elapsed().as_secs_f64();

    // Everything written before T is there, the mistake is undone, nothing after T is there.
    let kept = count(&mut copy, "id <= 400");
    assert_eq!(kept, 400, "the rows written before T");
    assert_eq!(count(&mut copy, "id <= 100"), 100, "the rows deleted after T");
    assert_eq!(count(&mut copy, "id > 400"), 0, "the rows written after T");
    let archive_mode: String = copy.query_one("SHOW archive_mode", &[]).expect("archive_mode").get(0);
    assert_eq!(archive_mode, "off");
    assert_eq!(count(&mut plane, "true"), 500, "the plane itself is untouched");

    // Validate integrity as the runbook does: the repository against its checksums, the
    // copy's page checksums on, and its records per base.
    run(pgbackrest_command().arg("verify"));
    let checksums: String = copy.query_one("SHOW data_checksums", &[]).expect("data_checksums").get(0);
    assert_eq!(checksums, "on");
    let counts = run(Command::new(postgres_bin.join("psql"))
        .args(["-X", "-A", "-t", "-F", " ", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-U", "postgres"])
        .args(["-p", &restored_port.to_string(), "-d", "postgres", "-f"])
        .arg(vm_db.join("postgres/base-counts.sql")));
    assert_eq!(counts.trim(), format!("{base} 1 400"));

    // Past the test harness's capture, so that `cargo xtask test deploy` shows the figures.
    let _ = writeln!(
        std::io::stderr(),
        "pitr drill: backup {backup_seconds:.1} s, restore {restore_seconds:.1} s, {kept} rows before T kept, {after} after T gone"
    );
}

#[test]
fn the_compose_file_follows_the_compose_specification_and_the_firewall_opens_its_ports_to_vm_web_only() {
    let scratch = Scratch::new("compose");
    let (vm_db, _) = vm_db(&scratch.0);
    run(Command::new(program("E2E_CHECK_JSONSCHEMA"))
        .args(["--builtin-schema", "vendor.compose-spec"])
        .arg(vm_db.join("compose.yml")));
    let rules = run(Command::new(vm_db.join("firewall.sh")).args(["--print", "10.0.0.2", "10.8.0.0/24"]));
    let opened: Vec<&str> = rules
        .lines()
        .filter(|line| line.contains("-s 10.0.0.2") && line.ends_with("-j RETURN"))
        .filter_map(|line| line.split("--ctorigdstport ").nth(1)?.split(' ').next())
        .collect();
    assert_eq!(opened, ["5432", "5433", "5434", "6379", "6432"], "{rules}");
    assert!(rules.contains("-A DOCKER-USER -i eth0 -j DROP"), "{rules}");
    assert!(rules.contains("-P INPUT DROP"), "{rules}");
    assert!(rules.contains("-s 10.8.0.0/24 --dport 22 -j ACCEPT"), "{rules}");
    // The ports the services listen on are the ones compose publishes.
    let ini = std::fs::read_to_string(vm_db.join("pgbouncer/pgbouncer.ini")).expect("ini");
    assert!(ini.contains("listen_port = 6432"));
    let redis = std::fs::read_to_string(vm_db.join("redis/redis.conf")).expect("conf");
    assert!(redis.contains("port 6379"));
    // The secrets setup.sh wrote are its own: not readable by other users of VM-DB.
    let mode = |path: &Path| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).expect("metadata").permissions().mode() & 0o777
    };
    assert_eq!(mode(&vm_db.join(".env")), 0o600);
    assert_eq!(mode(&vm_db), 0o700);
}

#[test]
fn the_systemd_units_verify() {
    let scratch = Scratch::new("units");
    let deploy = repo().join("deploy");
    let verify = |name: &str, text: &str| {
        let path = scratch.0.join(name);
        std::fs::write(&path, text).expect("write the unit");
        let output = Command::new("systemd-analyze").arg("verify").arg(&path).output().expect("systemd-analyze");
        let said = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success() && said.trim().is_empty(), "{name}: {said}");
    };
    // Each service as installed, with what it runs where this test finds it.
    let services = [
        ("vm-web/nc-origin@.service", "nc-origin@8081.service", "/usr/local/bin/origin", program("E2E_ORIGIN_BIN")),
        ("vm-web/nc-edge.service", "nc-edge.service", "/usr/local/bin/edge-host", program("E2E_HOST_BIN")),
        (
            "vm-db/systemd/nc-pgbackrest@.service",
            "nc-pgbackrest@full.service",
            "/opt/nc-lcdbaas/deploy/vm-db/backup.sh",
            deploy.join("vm-db/backup.sh").display().to_string(),
        ),
    ];
    for (unit, name, installed, here) in services {
        let text = std::fs::read_to_string(deploy.join(unit)).expect("unit");
        verify(name, &replaced(&text, installed, &here));
    }
    // The timers start the backup unit's instance of their kind, which is backup.sh's action.
    for (timer, kind) in [("nc-pgbackrest-full.timer", "full"), ("nc-pgbackrest-incr.timer", "incr")] {
        let text = std::fs::read_to_string(deploy.join("vm-db/systemd").join(timer)).expect("timer");
        let unit = format!("Unit=nc-pgbackrest@{kind}.service");
        assert!(text.lines().any(|line| line == unit), "{timer} starts {unit}");
        verify(timer, &text);
    }
}
