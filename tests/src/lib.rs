//! Black-box HTTP helpers for the end-to-end suites.
//!
//! The suites run against a live stack started by `cargo xtask test`, which passes:
//! `E2E_EDGE_URL` (the edge under test), `E2E_EDGE_NAME`, `E2E_ORIGIN_URL`,
//! `E2E_SIGNING_KEY` (hex, for the origin suite) and `E2E_FIXTURE` (the ids and tokens
//! written by `origin admin seed-demo`).

use serde_json::Value;
use std::sync::OnceLock;

pub struct Env {
    pub edge_url: String,
    pub edge_name: String,
    pub origin_url: String,
    pub signing_key: Vec<u8>,
    pub fixture: Value,
}

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: run the suites with `cargo xtask test`"))
}

pub fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| {
        let fixture = std::fs::read(var("E2E_FIXTURE")).expect("read the fixture file");
        Env {
            edge_url: var("E2E_EDGE_URL"),
            edge_name: var("E2E_EDGE_NAME"),
            origin_url: var("E2E_ORIGIN_URL"),
            signing_key: hex::decode(var("E2E_SIGNING_KEY")).expect("E2E_SIGNING_KEY is hex"),
            fixture: serde_json::from_slice(&fixture).expect("fixture is JSON"),
        }
    })
}

impl Env {
    pub fn fixture_str(&self, key: &str) -> &str {
        self.fixture[key].as_str().unwrap_or_else(|| panic!("fixture has no {key}"))
    }
}

/// A response reduced to what the suites assert on.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|error| panic!("body is not JSON ({error}): {}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }

    /// Asserts an error reply: status, code, the uniform body, and `request_id` = `X-Request-Id`.
    pub fn assert_error(&self, status: u16, code: &str) -> Value {
        assert_eq!(self.status, status, "expected {status} {code}, got: {}", self.text);
        let body = self.json();
        assert_eq!(body["error"]["code"], code, "{}", self.text);
        assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{}", self.text);
        assert!(body["error"]["details"].is_object(), "{}", self.text);
        let request_id = body["request_id"].as_str().expect("request_id in the body");
        assert_eq!(self.header("x-request-id"), Some(request_id), "X-Request-Id matches the body");
        body
    }
}

fn agent() -> &'static ureq::Agent {
    static AGENT: OnceLock<ureq::Agent> = OnceLock::new();
    // An edge that never answers fails the request, not the whole run by its time limit.
    AGENT.get_or_init(|| {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_recv_response(Some(std::time::Duration::from_secs(90)))
            .build()
            .new_agent()
    })
}

/// Sends one request; `headers` are added as given.
pub fn send(method: &str, url: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> Reply {
    try_send(method, url, headers, body).unwrap_or_else(|error| panic!("{method} {url}: {error}"))
}

/// Like [`send`], but a connection that fails or closes without an answer is an `Err`.
pub fn try_send(method: &str, url: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> Result<Reply, ureq::Error> {
    let mut request = ureq::http::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(body.map(<[u8]>::to_vec).unwrap_or_default()).expect("valid request");
    let mut response = agent().run(request)?;
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap_or_default().to_owned()))
        .collect();
    let text = response.body_mut().read_to_string()?;
    Ok(Reply { status: response.status().as_u16(), headers, text })
}

/// One server-sent event.
#[derive(Debug)]
pub struct Event {
    pub id: Option<String>,
    pub event: String,
    pub data: String,
}

impl Event {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.data).unwrap_or_else(|error| panic!("data is not JSON ({error}): {}", self.data))
    }
}

/// An event stream as a client reads it.
pub struct EventStream {
    pub headers: Vec<(String, String)>,
    lines: std::io::Lines<std::io::BufReader<ureq::BodyReader<'static>>>,
}

impl EventStream {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }

    /// The next event (comments and `retry:` skipped); `None` when the stream ends.
    pub fn next_event(&mut self) -> Option<Event> {
        let (mut id, mut event, mut data) = (None, None, Vec::new());
        for line in self.lines.by_ref() {
            let line = line.expect("a stream line");
            if line.is_empty() {
                if !data.is_empty() {
                    let event = event.take().unwrap_or_else(|| "message".to_owned());
                    return Some(Event { id, event, data: data.join("\n") });
                }
                continue;
            }
            let (field, value) = line.split_once(':').unwrap_or((&line, ""));
            let value = value.strip_prefix(' ').unwrap_or(value).to_owned();
            match field {
                "id" => id = Some(value),
                "event" => event = Some(value),
                "data" => data.push(value),
                _ => {}
            }
        }
        None
    }
}

/// `GET url` as an event stream: the stream when it answers 200, the whole answer otherwise.
pub fn open_events(url: &str, headers: &[(&str, &str)]) -> Result<EventStream, Reply> {
    use std::io::BufRead;
    let mut request = ureq::http::Request::builder().method("GET").uri(url).header("accept", "text/event-stream");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(Vec::new()).expect("valid request");
    let mut response = agent().run(request).unwrap_or_else(|error| panic!("GET {url}: {error}"));
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap_or_default().to_owned()))
        .collect();
    let status = response.status().as_u16();
    if status != 200 {
        let text = response.body_mut().read_to_string().expect("a body");
        return Err(Reply { status, headers, text });
    }
    let lines = std::io::BufReader::new(response.into_body().into_reader()).lines();
    Ok(EventStream { headers, lines })
}

/// `GET {edge}{path}` with a bearer token.
pub fn get(path: &str, token: Option<&str>) -> Reply {
    let authorization = token.map(|token| format!("Bearer {token}"));
    let headers: Vec<(&str, &str)> = authorization.iter().map(|value| ("authorization", value.as_str())).collect();
    send("GET", &format!("{}{path}", env().edge_url), &headers, None)
}

/// `{method} {edge}{path}` with a bearer token, extra headers and an optional JSON body.
pub fn call(method: &str, path: &str, token: &str, headers: &[(&str, &str)], body: Option<&Value>) -> Reply {
    let authorization = format!("Bearer {token}");
    let mut all = vec![("authorization", authorization.as_str())];
    if body.is_some() {
        all.push(("content-type", "application/json"));
    }
    all.extend_from_slice(headers);
    let bytes = body.map(|body| serde_json::to_vec(body).expect("json"));
    send(method, &format!("{}{path}", env().edge_url), &all, bytes.as_deref())
}

/// A connection to the data plane as the admin role, for reference queries in raw SQL
/// (`E2E_DATA_URL`).
pub fn data_plane() -> postgres::Client {
    postgres::Client::connect(&var("E2E_DATA_URL"), postgres::NoTls).expect("connect to the data plane")
}

/// `"b_<hex>"."t_<hex>"` and the column of each field of a table of the demo base, from the meta endpoint.
pub struct Physical {
    pub table: String,
    pub columns: std::collections::HashMap<String, String>,
}

/// `base` names the fixture entry of the token's base (`base_id` or `other_base_id`).
pub fn physical(base: &str, table: &str, token: &str) -> Physical {
    let meta = get(&format!("/v1/meta/tables/{table}"), Some(token)).json();
    let simple = |id: &Value| id.as_str().expect("id").replace('-', "");
    let base = env().fixture_str(base).replace('-', "");
    let columns = meta["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|field| (field["name"].as_str().expect("name").to_owned(), format!("\"f_{}\"", simple(&field["id"]))))
        .collect();
    Physical { table: format!("\"b_{base}\".\"t_{}\"", simple(&meta["id"])), columns }
}

/// `POST {edge}{path}` with a JSON body and a bearer token.
pub fn post_json(path: &str, token: &str, body: &Value) -> Reply {
    let authorization = format!("Bearer {token}");
    let bytes = serde_json::to_vec(body).expect("json");
    send(
        "POST",
        &format!("{}{path}", env().edge_url),
        &[("authorization", &authorization), ("content-type", "application/json")],
        Some(&bytes),
    )
}

/// Unix milliseconds now.
pub fn now_ms() -> i64 {
    let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock after 1970");
    i64::try_from(since_epoch.as_millis()).expect("a sane clock")
}

/// An envelope for `op`, as an edge would send it, issued at `issued_at`.
pub fn envelope(op: shared::envelope::Op, issued_at: i64) -> Vec<u8> {
    let nonce = uuid::Uuid::new_v4().simple().to_string();
    let envelope = shared::envelope::Envelope {
        v: shared::envelope::VERSION,
        request_id: format!("req_test_{nonce}"),
        issued_at,
        nonce,
        traceparent: None,
        op,
    };
    serde_json::to_vec(&envelope).expect("json")
}

/// POSTs an envelope to the origin at `origin_url`, with `signature` if given.
pub fn origin_post(origin_url: &str, body: &[u8], signature: Option<&str>) -> Reply {
    let mut headers = vec![("content-type", "application/json")];
    if let Some(signature) = signature {
        headers.push((shared::sign::HEADER, signature));
    }
    send("POST", &format!("{origin_url}{}", shared::envelope::EXECUTE_PATH), &headers, Some(body))
}

/// POSTs a signed envelope to an origin that may die before answering.
pub fn origin_post_result(origin_url: &str, body: &[u8], signature: &str) -> Result<Reply, ureq::Error> {
    let headers = [("content-type", "application/json"), (shared::sign::HEADER, signature)];
    try_send("POST", &format!("{origin_url}{}", shared::envelope::EXECUTE_PATH), &headers, Some(body))
}

/// Sends `op` to the origin directly, signed with the edge key: what an edge would do.
pub fn origin_op(op: shared::envelope::Op) -> Reply {
    let body = envelope(op, now_ms());
    origin_post(&env().origin_url, &body, Some(&shared::sign::sign(&env().signing_key, &body)))
}

/// `{method} {edge}/api/v1{path}`, with a user's access token when given.
pub fn manage(method: &str, path: &str, access: Option<&str>, body: Option<&Value>) -> Reply {
    let authorization = access.map(|token| format!("Bearer {token}"));
    let mut headers: Vec<(&str, &str)> = authorization.iter().map(|value| ("authorization", value.as_str())).collect();
    if body.is_some() {
        headers.push(("content-type", "application/json"));
    }
    let bytes = body.map(|body| serde_json::to_vec(body).expect("json"));
    send(method, &format!("{}/api/v1{path}", env().edge_url), &headers, bytes.as_deref())
}

/// A freshly registered user, owner of a new workspace.
pub struct Account {
    pub id: String,
    pub email: String,
    pub password: String,
    pub access: String,
    pub refresh: String,
    pub workspace: String,
}

/// Registers a new user with a unique email (`label-<uuid>@example.org`).
pub fn register(label: &str) -> Account {
    let email = format!("{label}-{}@example.org", uuid::Uuid::new_v4().simple());
    let password = format!("pw-{}", uuid::Uuid::new_v4().simple());
    let body = serde_json::json!({"email": email, "password": password, "name": label});
    let reply = manage("POST", "/auth/register", None, Some(&body));
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert!(!reply.text.contains(&password), "the password never comes back");
    let body = reply.json();
    Account {
        id: body["user"]["id"].as_str().expect("user id").to_owned(),
        email,
        password,
        access: body["session"]["access_token"].as_str().expect("access").to_owned(),
        refresh: body["session"]["refresh_token"].as_str().expect("refresh").to_owned(),
        workspace: body["workspace_id"].as_str().expect("workspace").to_owned(),
    }
}

/// Invites `member` to `owner`'s workspace with `role`, and accepts the invitation as them.
pub fn add_member(owner: &Account, member: &Account, role: &str) {
    let invited = manage(
        "PUT",
        &format!("/workspaces/{}/members", owner.workspace),
        Some(&owner.access),
        Some(&serde_json::json!({"email": member.email, "role": role})),
    );
    assert_eq!(invited.status, 202, "{}", invited.text);
    let invitation = invited.json()["invitation"]["id"].as_str().expect("invitation id").to_owned();
    let accepted = manage("POST", &format!("/invitations/{invitation}/accept"), Some(&member.access), None);
    assert_eq!(accepted.status, 200, "{}", accepted.text);
}

/// Polls a job of `base`, as `owner`, until it is no longer queued or running.
pub fn finished_job(owner: &Account, base: &str, id: &str) -> Value {
    let started = std::time::Instant::now();
    loop {
        let reply = send(
            "GET",
            &format!("{}/v1/jobs/{id}", env().edge_url),
            &[("authorization", &format!("Bearer {}", owner.access)), ("x-base-id", base)],
            None,
        );
        assert_eq!(reply.status, 200, "{}", reply.text);
        let job = reply.json();
        if !["queued", "running"].contains(&job["state"].as_str().unwrap_or_default()) {
            return job;
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(120), "the job did not finish: {job}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// `origin admin <args>` against the test stack's planes; its JSON answer.
pub fn origin_admin(args: &[&str]) -> Value {
    let output = origin_admin_output(args);
    assert!(output.status.success(), "origin admin {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON from origin admin")
}

/// `origin admin <args>` against the test stack's planes, however it ends.
pub fn origin_admin_output(args: &[&str]) -> std::process::Output {
    let data = std::env::var("E2E_DATA_URL").expect("E2E_DATA_URL");
    std::process::Command::new(std::env::var("E2E_ORIGIN_BIN").expect("E2E_ORIGIN_BIN"))
        .arg("admin")
        .args(args)
        .env("NC_ADMIN_DATA_URL", &data)
        .env("NC_ADMIN_CONTROL_URL", data.replace("/nc_data", "/nc_control"))
        .env("NC_ADMIN_LOGS_URL", data.replace("/nc_data", "/nc_logs"))
        .output()
        .expect("run origin admin")
}

/// Puts the account's tenant on a plan of its own with `limits` (flags of
/// `origin admin put-plan`, the rest as the standard plan's); the plan's name.
pub fn put_on_plan(account: &Account, limits: &[&str]) -> String {
    let plan = format!("plan-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let mut args = vec!["put-plan", "--name", &plan];
    args.extend_from_slice(limits);
    origin_admin(&args);
    origin_admin(&["set-plan", "--plan", &plan, "--workspace", &account.workspace]);
    plan
}

/// A new base in the account's workspace, with a read-write-delete API token of it.
pub fn base_with_token(account: &Account, name: &str) -> (String, String) {
    let base = manage(
        "POST",
        &format!("/workspaces/{}/bases", account.workspace),
        Some(&account.access),
        Some(&serde_json::json!({"name": name})),
    );
    assert_eq!(base.status, 201, "{}", base.text);
    let base = base.json()["id"].as_str().expect("base id").to_owned();
    let token = manage(
        "POST",
        &format!("/bases/{base}/tokens"),
        Some(&account.access),
        Some(&serde_json::json!({"name": "all", "scopes": ["read", "write", "delete"]})),
    );
    assert_eq!(token.status, 201, "{}", token.text);
    (base, token.json()["token"].as_str().expect("token").to_owned())
}

/// A new account with a base of its own and an API token of it (read, write, delete), so
/// a suite can change a schema nobody else uses.
pub struct OwnBase {
    pub owner: Account,
    pub base: String,
    pub token: String,
}

impl OwnBase {
    pub fn new(label: &str) -> OwnBase {
        let owner = register(label);
        let (base, token) = base_with_token(&owner, label);
        OwnBase { owner, base, token }
    }

    /// `{method} /api/v1/bases/{base}{path}` as the owner; a `null` body sends none.
    pub fn schema(&self, method: &str, path: &str, body: Value) -> Reply {
        let body = (!body.is_null()).then_some(body);
        manage(method, &format!("/bases/{}{path}", self.base), Some(&self.owner.access), body.as_ref())
    }

    /// Creates a record of `table` with the base's token.
    pub fn create(&self, table: &str, values: Value) -> Reply {
        call(
            "POST",
            &format!("/v1/tables/{table}/records"),
            &self.token,
            &[],
            Some(&serde_json::json!({ "values": values })),
        )
    }

    /// [`OwnBase::create`], which must succeed: the new record's id.
    pub fn created(&self, table: &str, values: Value) -> String {
        let reply = self.create(table, values);
        assert_eq!(reply.status, 201, "{}", reply.text);
        reply.json()["id"].as_str().expect("id").to_owned()
    }

    /// `GET {path}` with the base's token, which must answer 200: its body.
    pub fn read(&self, path: &str) -> Value {
        let reply = get(path, Some(&self.token));
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
        reply.json()
    }
}

/// An edge of its own whose origin is `origin_url`: a native edge host (`E2E_HOST_BIN`
/// serving `E2E_COMPONENT`) or a `wrangler dev` of the Workers build; stopped when dropped.
pub struct OwnEdge {
    child: std::process::Child,
    pub url: String,
    /// What the edge was given to run from, removed with it.
    dir: Option<std::path::PathBuf>,
}

impl Drop for OwnEdge {
    fn drop(&mut self) {
        // The edge leads its own process group (wrangler runs workerd as a child).
        let group = format!("-{}", self.child.id());
        let _ = std::process::Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// A loopback port nothing listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().expect("addr").port()
}

/// Waits up to `limit` for `edge` to answer at `url`; the edge when it does.
fn edge_started(edge: OwnEdge, limit: std::time::Duration) -> OwnEdge {
    let started = std::time::Instant::now();
    while try_send("GET", &format!("{}/v1/openapi.json", edge.url), &[], None).is_err() {
        assert!(started.elapsed() < limit, "the edge did not start");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    edge
}

/// An edge of the kind the suite runs through (see [`native`]): [`edge_towards`], or
/// [`workers_edge`].
pub fn edge_like_this(origin_url: &str, variables: &[(&str, &str)]) -> OwnEdge {
    if native() { edge_towards(origin_url, variables) } else { workers_edge(origin_url, variables) }
}

/// `wrangler dev` of the Workers build already made (wrangler.toml without its build
/// step, so that it starts at once), with `variables` set.
pub fn workers_edge(origin_url: &str, variables: &[(&str, &str)]) -> OwnEdge {
    use std::os::unix::process::CommandExt;
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the repository").to_path_buf();
    let dir = std::env::temp_dir().join(format!("nc-workers-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("a directory for wrangler");
    let manifest = std::fs::read_to_string(repo.join("wrangler.toml")).expect("wrangler.toml");
    let (before, rest) = manifest.split_once("[build]").expect("wrangler.toml has a [build] section");
    let after = &rest[rest.find("\n[").expect("a section after [build]")..];
    let manifest = format!("{before}{after}")
        .replace("\"edge/workers/build/index.js\"", &format!("{:?}", repo.join("edge/workers/build/index.js")))
        .replace("\"build/static\"", &format!("{:?}", repo.join("build/static")));
    std::fs::write(dir.join("wrangler.toml"), manifest).expect("write wrangler.toml");
    let port = free_port();
    let mut command = std::process::Command::new(repo.join("node_modules/.bin/wrangler"));
    command
        .args(["dev", "--ip", "127.0.0.1", "--port", &port.to_string(), "--show-interactive-dev-session=false"])
        .args(["--inspector-port", &free_port().to_string(), "--config"])
        .arg(dir.join("wrangler.toml"))
        .arg("--persist-to")
        .arg(dir.join("state"))
        .args(["--var", &format!("origin_url:{origin_url}")])
        .args(["--var", &format!("edge_signing_key:{}", hex::encode(&env().signing_key))]);
    for (name, value) in variables {
        command.args(["--var", &format!("{name}:{value}")]);
    }
    let child = command
        .env("WRANGLER_SEND_METRICS", "false")
        .current_dir(&dir)
        .process_group(0)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start wrangler dev");
    let edge = OwnEdge { child, url: format!("http://127.0.0.1:{port}"), dir: Some(dir) };
    edge_started(edge, std::time::Duration::from_secs(120))
}

pub fn edge_towards(origin_url: &str, variables: &[(&str, &str)]) -> OwnEdge {
    edge_with(origin_url, variables, &[])
}

/// Like [`edge_towards`], with more of the host's own flags (`host_args`).
pub fn edge_with(origin_url: &str, variables: &[(&str, &str)], host_args: &[&str]) -> OwnEdge {
    use std::os::unix::process::CommandExt;
    let port = free_port();
    let child = std::process::Command::new(var("E2E_HOST_BIN"))
        .arg("--component")
        .arg(var("E2E_COMPONENT"))
        .args(["--listen", &format!("127.0.0.1:{port}"), "--allow-outbound", origin_url])
        .args(host_args)
        .env("SPIN_VARIABLE_ORIGIN_URL", origin_url)
        .env("SPIN_VARIABLE_EDGE_SIGNING_KEY", hex::encode(&env().signing_key))
        .envs(variables.iter().map(|(name, value)| (format!("SPIN_VARIABLE_{}", name.to_uppercase()), value)))
        .process_group(0)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start an edge host");
    edge_started(
        OwnEdge { child, url: format!("http://127.0.0.1:{port}"), dir: None },
        std::time::Duration::from_secs(30),
    )
}

/// Whether the suite runs through the native host (which the own-edge tests need).
pub fn native() -> bool {
    std::env::var("E2E_EDGE2_URL").is_ok()
}

/// A second origin (`E2E_ORIGIN_BIN` with the test stack's `NC_*` environment and
/// `variables`) on a free port; killed when dropped.
pub struct OwnOrigin {
    child: std::process::Child,
    pub url: String,
}

impl OwnOrigin {
    /// Waits for the process to end (a failpoint aborts it).
    pub fn wait(&mut self) -> std::process::ExitStatus {
        self.child.wait().expect("wait for the origin")
    }
}

impl Drop for OwnOrigin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn spawn_origin(variables: &[(&str, &str)]) -> OwnOrigin {
    spawn_origin_at(free_port(), variables)
}

/// [`spawn_origin`] on `port` (a restart keeps its address).
pub fn spawn_origin_at(port: u16, variables: &[(&str, &str)]) -> OwnOrigin {
    let child = std::process::Command::new(var("E2E_ORIGIN_BIN"))
        .arg("serve")
        .env("NC_ORIGIN_LISTEN", format!("127.0.0.1:{port}"))
        .envs(variables.iter().copied())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start a second origin");
    let url = format!("http://127.0.0.1:{port}");
    let started = std::time::Instant::now();
    while try_send("GET", &format!("{url}/healthz"), &[], None).map(|reply| reply.status).ok() != Some(200) {
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "the second origin did not start");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    OwnOrigin { child, url }
}

/// Waits until `done` holds, looking every 100 ms; fails with `what` after `limit`.
pub fn wait_until(what: &str, limit: std::time::Duration, mut done: impl FnMut() -> bool) {
    let started = std::time::Instant::now();
    while !done() {
        assert!(started.elapsed() < limit, "{what}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}
