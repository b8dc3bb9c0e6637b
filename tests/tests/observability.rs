//! The operator's observability files (`deploy/observability`) against the origin and an
//! edge host as they run: the alert rules pass promtool's checks and their own unit tests,
//! the dashboard's queries parse, every metric the rules or the dashboard name is one the
//! origin or the edge host serves, both expositions pass promtool's lint, and the edge
//! counts a published view's cache hits and misses. And the origin's traces in a real
//! collector (rotel): one trace from the caller's context through the edge to the SQL.

use e2e::{env, send};
use serde_json::json;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/observability")
}

/// Runs promtool with `args` in the observability directory, `stdin` on its input; its
/// output, after checking that it succeeded.
fn promtool(args: &[&str], stdin: Option<&str>) -> String {
    let program = std::env::var("E2E_PROMTOOL").expect("E2E_PROMTOOL: promtool (Debian's prometheus package)");
    let mut child = Command::new(program)
        .args(args)
        .current_dir(dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run promtool");
    if let Some(input) = stdin {
        std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), input.as_bytes()).expect("write");
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().expect("promtool");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "promtool {args:?}:\n{text}");
    text
}

/// The metric names (`nc_origin_…`, `nc_edge_…`) a text mentions.
fn named(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|word| word.starts_with("nc_origin_") || word.starts_with("nc_edge_"))
        .map(str::to_owned)
        .collect()
}

/// The origin's exposition, once its queue figures are in (they are sampled).
fn scrape() -> String {
    let url = format!("{}/metrics", env().origin_url);
    // One request through the edge, so that the request families have samples.
    assert_eq!(e2e::get("/v1/tables/customers/records?limit=1", Some(env().fixture_str("token_rw"))).status, 200);
    let mut text = String::new();
    e2e::wait_until("the origin's queue figures", std::time::Duration::from_secs(30), || {
        text = send("GET", &url, &[], None).text;
        text.contains("nc_origin_jobs{")
    });
    text
}

#[test]
fn the_alert_rules_pass_their_checks_and_unit_tests() {
    assert!(promtool(&["check", "rules", "alerts.yml"], None).contains("SUCCESS"));
    assert!(promtool(&["test", "rules", "alerts.test.yml"], None).contains("SUCCESS"));
}

#[test]
fn the_dashboards_queries_parse() {
    let dashboard: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir().join("grafana-dashboard.json")).expect("read")).expect("json");
    let mut rules = String::from("groups:\n  - name: dashboard\n    rules:\n");
    let mut count = 0;
    for panel in dashboard["panels"].as_array().expect("panels") {
        for target in panel["targets"].as_array().expect("targets") {
            let expr = target["expr"].as_str().expect("expr").replace("$__rate_interval", "5m");
            count += 1;
            rules.push_str(&format!(
                "      - record: dashboard:query_{count}\n        expr: {}\n",
                serde_json::json!(expr)
            ));
        }
    }
    assert!(count >= 10, "{count} queries");
    let file = std::env::temp_dir().join(format!("nc-dashboard-rules-{}.yml", std::process::id()));
    std::fs::write(&file, rules).expect("write");
    let checked = promtool(&["check", "rules", file.to_str().expect("path")], None);
    let _ = std::fs::remove_file(&file);
    assert!(checked.contains(&format!("SUCCESS: {count} rules found")), "{checked}");
}

/// An edge host of its own serving metrics, after a published view was read through it
/// twice (a miss, then a hit): its exposition.
fn edge_scrape() -> String {
    let own = e2e::OwnBase::new("metrics");
    let table = own.schema("POST", "/tables", json!({"name": "items", "fields": [{"name": "name", "type": "text"}]}));
    assert_eq!(table.status, 201, "{}", table.text);
    assert_eq!(own.schema("POST", "/views", json!({"name": "all", "table": "items", "fields": ["name"]})).status, 201);
    let slug = format!("metrics-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let publish = json!({"enabled": true, "slug": slug, "cache": {"max_age": 600}});
    assert_eq!(own.schema("PUT", "/views/all/publish", publish).status, 200);
    let metrics = format!("127.0.0.1:{}", e2e::free_port());
    let edge = e2e::edge_with(&env().origin_url, &[], &["--metrics-listen", &metrics]);
    let states: Vec<Option<String>> = (0..2)
        .map(|_| {
            let reply = send("GET", &format!("{}/public/views/{slug}/data", edge.url), &[], None);
            assert_eq!(reply.status, 200, "{}", reply.text);
            reply.header("x-cache").map(str::to_owned)
        })
        .collect();
    assert_eq!(states, [Some("MISS".to_owned()), Some("HIT".to_owned())]);
    let text = send("GET", &format!("http://{metrics}/metrics"), &[], None).text;
    for line in ["nc_edge_view_cache_total{result=\"hit\"} 1", "nc_edge_view_cache_total{result=\"miss\"} 1"] {
        assert!(text.lines().any(|got| got == line), "{line} in\n{text}");
    }
    text
}

#[test]
fn every_metric_the_rules_and_the_dashboard_name_is_served_and_linted() {
    let exposition = scrape();
    let edge = edge_scrape();
    promtool(&["check", "metrics"], Some(&edge));
    let mut served = BTreeSet::new();
    for line in exposition.lines().chain(edge.lines()).filter_map(|line| line.strip_prefix("# TYPE ")) {
        let (name, kind) = line.split_once(' ').expect("a TYPE line names a kind");
        served.insert(name.to_owned());
        if kind == "histogram" {
            served.extend(["_bucket", "_sum", "_count"].map(|suffix| format!("{name}{suffix}")));
        }
    }
    for required in
        ["nc_origin_request_duration_seconds", "nc_origin_pool_connections", "nc_origin_webhook_deliveries_pending"]
    {
        assert!(served.contains(required), "{required} in {exposition}");
    }
    for file in ["alerts.yml", "alerts.test.yml", "grafana-dashboard.json"] {
        let text = std::fs::read_to_string(dir().join(file)).expect("read");
        let unknown: Vec<_> = named(&text).difference(&served).cloned().collect();
        assert!(unknown.is_empty(), "{file} names metrics neither the origin nor the edge serves: {unknown:?}");
    }
    promtool(&["check", "metrics"], Some(&exposition));
}

/// A rotel collector on free ports that prints the spans it receives (its debug log) to a
/// file; stopped when dropped.
struct Collector {
    child: std::process::Child,
    log: PathBuf,
    http: u16,
}

impl Drop for Collector {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

/// One span as the collector printed it: its ids, name and attributes.
#[derive(Debug, Default)]
struct Span {
    trace: String,
    parent: String,
    id: String,
    name: String,
    attributes: Vec<(String, String)>,
}

impl Collector {
    fn start() -> Collector {
        let program = std::env::var("E2E_ROTEL").expect("E2E_ROTEL: rotel's collector (PyPI rotel)");
        let (http, grpc) = (e2e::free_port(), e2e::free_port());
        let name = uuid::Uuid::new_v4().simple().to_string();
        let log = std::env::temp_dir().join(format!("nc-rotel-{name}.log"));
        let out = std::fs::File::create(&log).expect("the collector's log");
        let child = Command::new(program)
            .args(["start", "--exporter", "blackhole", "--debug-log", "traces", "--debug-log-verbosity", "detailed"])
            .args(["--otlp-http-endpoint", &format!("127.0.0.1:{http}")])
            .args(["--otlp-grpc-endpoint", &format!("127.0.0.1:{grpc}")])
            .arg("--pid-file")
            .arg(std::env::temp_dir().join(format!("nc-rotel-{name}.pid")))
            .stdout(out.try_clone().expect("log"))
            .stderr(out)
            .spawn()
            .expect("start rotel");
        let collector = Collector { child, log, http };
        e2e::wait_until("the collector listens", std::time::Duration::from_secs(20), || {
            std::net::TcpStream::connect(("127.0.0.1", http)).is_ok()
        });
        collector
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.http)
    }

    /// Every span printed so far.
    fn spans(&self) -> Vec<Span> {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let mut spans: Vec<Span> = Vec::new();
        for line in text.lines() {
            if line.starts_with("Span #") {
                spans.push(Span::default());
                continue;
            }
            let Some(span) = spans.last_mut() else { continue };
            if let Some(attribute) = line.trim_start().strip_prefix("-> ") {
                if let Some((key, value)) = attribute.split_once(": ") {
                    span.attributes.push((key.to_owned(), value.to_owned()));
                }
                continue;
            }
            let Some((key, value)) = line.split_once(" : ") else { continue };
            let value = value.trim().to_owned();
            match key.trim() {
                "Trace ID" => span.trace = value,
                "Parent ID" => span.parent = value,
                "ID" => span.id = value,
                "Name" => span.name = value,
                _ => {}
            }
        }
        spans
    }
}

#[test]
fn a_request_is_one_trace_from_the_callers_context_to_its_sql_in_a_real_collector() {
    let collector = Collector::start();
    let origin = e2e::spawn_origin(&[("NC_OTLP_ENDPOINT", &collector.url())]);
    let edge = e2e::edge_towards(&origin.url, &[]);
    let authorization = format!("Bearer {}", env().fixture_str("token_rw"));
    let ids = uuid::Uuid::new_v4().simple().to_string();
    let (trace, parent) = (ids.clone(), ids[..16].to_owned());
    let traceparent = format!("00-{trace}-{parent}-01");
    let list = format!("{}/v1/tables/customers/records?limit=2", edge.url);
    // A caller that does not sample is followed and not sent (asked first: the spans of
    // the requests after it come after its would have).
    let unsampled = format!("00-{}-{parent}-00", uuid::Uuid::new_v4().simple());
    let headers = [("authorization", authorization.as_str()), ("traceparent", unsampled.as_str())];
    assert_eq!(send("GET", &list, &headers, None).status, 200);
    let headers = [("authorization", authorization.as_str()), ("traceparent", traceparent.as_str())];
    assert_eq!(send("GET", &list, &headers, None).status, 200);
    // Without a context from the caller, the edge starts a trace.
    let started = send("GET", &list, &[("authorization", authorization.as_str())], None);
    assert_eq!(started.status, 200);
    let request_id = started.header("x-request-id").expect("request id").to_owned();

    let mut spans = Vec::new();
    e2e::wait_until("the collector prints both requests' spans", std::time::Duration::from_secs(20), || {
        spans = collector.spans();
        let ours = spans.iter().filter(|span| span.trace == trace).count();
        let other = spans
            .iter()
            .any(|span| span.attributes.iter().any(|(key, value)| key == "request_id" && value.contains(&request_id)));
        ours >= 2 && other
    });
    let root = spans.iter().find(|span| span.trace == trace && span.name == "listRecords").expect("the request's span");
    assert_eq!(root.parent, parent, "the request's span is a child of the caller's");
    assert!(
        root.attributes.iter().any(|(key, value)| key == "http.response.status_code" && value == "Int(200)"),
        "{root:?}"
    );
    let query = spans.iter().find(|span| span.trace == trace && span.name == "db.query").expect("the SQL's span");
    assert_eq!(query.parent, root.id, "the SQL runs within the request's span");
    let text = query.attributes.iter().find(|(key, _)| key == "db.query.text").expect("the statement");
    assert!(text.1.contains("SELECT"), "{text:?}");
    assert!(!text.1.contains("Bearer"), "{text:?}");
    let started_root = spans
        .iter()
        .find(|span| span.attributes.iter().any(|(key, value)| key == "request_id" && value.contains(&request_id)))
        .expect("the edge-started trace");
    assert_ne!(started_root.trace, trace);
    assert_eq!(started_root.parent.len(), 16, "the edge's context is the parent: {started_root:?}");
    let unsampled_trace = &unsampled[3..35];
    assert!(!spans.iter().any(|span| span.trace == unsampled_trace), "an unsampled trace is not sent");
}
