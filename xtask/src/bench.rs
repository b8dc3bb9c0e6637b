//! `cargo xtask bench [scenario…]`: the load and cost harness.
//!
//! Starts the release stack on a fresh cluster with a 100,000-row `customers` table,
//! then for each scenario warms up and runs `wrk` through an edge host, and runs
//! `pgbench` on the equivalent prepared SQL (lowered by `shared::lower` from the same
//! plan) at the same concurrency, in the same run. Prints one table with req/s, p50,
//! p99, server CPU per request (edge host + origin + Postgres, from /proc) and the
//! ratio to the baseline; then the edge's own cost per request (wasmtime fuel and CPU)
//! and the Workers bundle size. Everything it starts, it stops.
//!
//! The `hostile_*` scenarios measure what an attacker can make the service spend:
//! `hostile_body` the largest body the edge reads, all distinct keys (refused), and
//! `hostile_view` a public view request at every cap (answered). `preflight` is the host's
//! floor: an OPTIONS the edge answers from its route table alone. `console_grid` opens the
//! console's grid on the 100,000-row table in Chromium (first page, frames while scrolling).

mod attachments;
mod bulk;
mod realtime;
mod scaling;
mod webhooks;

use crate::build;
use crate::pocketbase;
use crate::process::{Service, http_get, http_request, wait_http};
use crate::stack::{Stack, StackSpec, edge_host_command, start_stack, start_wrangler};
use crate::tools::{self, command};
use anyhow::{Context, bail};
use shared::catalog::{Catalog, Field, FieldType, Subject, Table};
use shared::ids::{BaseId, FieldId, TableId};
use shared::lower::{WriteContext, lower};
use shared::plan::Plan;
use shared::policy::Caller;
use shared::query::{parse_records_query, single_parameter};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

pub(crate) const PORTS: StackSpec = StackSpec {
    token_ttl_seconds: 60,
    // Public views are limited per client address, and wrk is one address.
    anonymous_rate_limit: "1000000000/60",
    sign_in_free_failures_per_address: 20,
    drop_retention: "7days",
    slow_list: "100ms",
    job_lease: "30s",
    // A thousand subscribers, and those reopening their streams.
    max_streams_per_base: 3000,
    webhook_workers: 4,
    postgres: 54359,
    redis: 56399,
    s3: 28333,
    origin: 28080,
    edge: 28787,
    edge2: None,
    wrangler: 28788,
};
const FUEL_PORT: u16 = 28797;
/// `wrangler dev` for the console's grid (its static assets).
const GRID_WRANGLER_PORT: u16 = 28796;
/// Native edges for the limiter's cost: counters in this process, and limits off.
const MEMORY_COUNTERS_PORT: u16 = 28798;
const LIMITS_OFF_PORT: u16 = 28799;
const ROWS: u32 = 100_000;
const CONNECTIONS: u32 = 8;
const DEEP_ROW: u32 = 90_000;

/// One measured row of the table.
struct Row {
    scenario: String,
    rps: f64,
    p50_ms: Option<f64>,
    p99_ms: Option<f64>,
    cpu_us: Option<f64>,
    /// The edge process alone.
    edge_cpu_us: Option<f64>,
    baseline_rps: Option<f64>,
    note: String,
}

struct Scenario {
    name: &'static str,
    method: &'static str,
    path: String,
    body: Option<String>,
    /// Equivalent SQL for pgbench, when there is one.
    baseline_sql: Option<String>,
    /// Every answer must be a refusal (4xx): the scenario measures what refusing costs.
    refused: bool,
    /// More of wrk's Lua script (e.g. a `request` function choosing among several paths).
    lua: Option<String>,
}

impl Scenario {
    /// A GET whose baseline is the SQL the API runs for it.
    fn get(
        name: &'static str,
        path: String,
        catalog: &Catalog,
        key: &shared::keys::Keyring,
    ) -> anyhow::Result<Scenario> {
        let baseline_sql = Some(baseline(catalog, "GET", &path, None, key, &Caller::UNRESTRICTED)?);
        Ok(Scenario { name, method: "GET", path, body: None, baseline_sql, refused: false, lua: None })
    }

    /// GETs of the paths a Lua `request` function chooses, without a baseline.
    fn script(name: &'static str, path: String, lua: String) -> Scenario {
        Scenario { name, method: "GET", path, body: None, baseline_sql: None, refused: false, lua: Some(lua) }
    }
}

impl Row {
    fn measured(scenario: String, result: &WrkResult, baseline_rps: Option<f64>) -> Row {
        Row {
            scenario,
            rps: result.rps,
            p50_ms: Some(result.p50_ms),
            p99_ms: Some(result.p99_ms),
            cpu_us: result.cpu_us,
            edge_cpu_us: result.edge_cpu_us,
            baseline_rps,
            note: if result.non_2xx > 0 { format!("{} non-2xx responses", result.non_2xx) } else { String::new() },
        }
    }

    /// A row that only carries a note.
    fn note(scenario: String, note: String) -> Row {
        Row {
            scenario,
            rps: f64::NAN,
            p50_ms: None,
            p99_ms: None,
            cpu_us: None,
            edge_cpu_us: None,
            baseline_rps: None,
            note,
        }
    }
}

pub fn bench(root: &Path, args: &[String]) -> anyhow::Result<()> {
    let load = Load { seconds: 10, connections: CONNECTIONS };
    let only: Vec<&str> = args.iter().map(String::as_str).collect();
    tools::ensure_worker_tools(root)?;
    for tool in ["wrk", "pgbench"] {
        if tools::which(tool).is_none() {
            tools::apt_install(&["wrk", "postgresql-contrib"])?;
        }
    }
    build::worker(root)?;
    let stack = start_stack(root, "bench", &PORTS, ROWS)?;
    let fixture: serde_json::Value = serde_json::from_slice(&std::fs::read(&stack.fixture)?)?;
    let token = fixture["token_rw"].as_str().context("fixture token")?.to_owned();
    let bearer = format!("Bearer {token}");
    rollup_tables(&stack, &fixture)?;
    let mut catalog = load_catalog(&stack, &fixture)?;
    let viewer = viewer_policy(&stack, &fixture, &mut catalog)?;
    let scenarios = scenarios(&stack, &catalog, &viewer)?;
    let workdir = root.join(".local/bench-work");
    std::fs::create_dir_all(&workdir)?;
    if only == ["bulk"] {
        return bulk::bulk(&stack, &fixture, &workdir);
    }
    if only == ["realtime"] {
        return realtime::realtime(root, &stack, &fixture, &workdir);
    }
    if only == ["webhooks"] {
        return webhooks::webhooks(root, &stack, &fixture);
    }
    if only == ["attachments"] {
        print_table(&attachments::attachments(&stack, &fixture, &workdir, &bearer, load)?);
        return Ok(());
    }
    let selected: Vec<&Scenario> =
        scenarios.iter().filter(|scenario| only.is_empty() || only.contains(&scenario.name)).collect();
    let mut rows = Vec::new();

    let edges: Vec<(&str, u16, Option<Service>)> =
        vec![("native", PORTS.edge, None), ("workerd", PORTS.wrangler, Some(start_workerd(root, &stack, &workdir)?))];
    if only == ["scaling"] {
        let workerd = edges[1].2.as_ref().context("workerd runs")?;
        let edges = [
            scaling::Edge { name: "native", port: PORTS.edge, pid: stack.edge.pid() },
            scaling::Edge { name: "workerd", port: PORTS.wrangler, pid: workerd.pid() },
        ];
        let mut rows = Vec::new();
        let done = scaling::scaling(&stack, &fixture, &scenarios, &edges, &workdir, &mut rows);
        print_table(&rows);
        return done;
    }
    let mut baselines = std::collections::HashMap::new();
    for scenario in &selected {
        println!("xtask: bench {} ({} s per run, {CONNECTIONS} connections)", scenario.name, load.seconds);
        let index = (scenario.name == "list_sorted_indexed_100").then(|| sort_index(&fixture, "POST")).transpose()?;
        let baseline = match &scenario.baseline_sql {
            Some(sql) => Some(pgbench(&stack, &workdir, scenario.name, sql, load)?),
            None => None,
        };
        for (edge_name, port, service) in &edges {
            let edge_pid = service.as_ref().map_or(stack.edge.pid(), Service::pid);
            let result = wrk(&workdir, *port, scenario, &bearer, load, &Servers::product(edge_pid, &stack))?;
            let mut note = String::new();
            if scenario.refused {
                note = refusal_note(&result)?;
            }
            if scenario.name == "invalid_request" {
                let [plans, lookups, metering] = result.origin;
                note = format!(
                    "record plans reaching the origin: {plans} (cache refreshes: {lookups} token/catalog lookups; \
                     metering: {metering} usage flushes and quota reads)"
                );
            }
            if result.non_2xx > 0 && !scenario.refused {
                note = format!("{} non-2xx responses", result.non_2xx);
            }
            let label = format!("{} via {edge_name}", scenario.name);
            rows.push(Row { note, ..Row::measured(label, &result, baseline.as_ref().map(|b| b.tps)) });
        }
        if scenario.name == "preflight" {
            for (edge_name, port, _) in &edges {
                rows.push(one_at_a_time(scenario, edge_name, *port, 30_000)?);
            }
        }
        if let Some(baseline) = baseline {
            baselines.insert(scenario.name, baseline.tps);
            rows.push(baseline.row(format!("{} via pgbench", scenario.name), true));
        }
        if index.is_some() {
            sort_index(&fixture, "DELETE")?;
        }
    }
    rows.extend(pocketbase_rows(root, &stack, &catalog, &workdir, load, &baselines)?);
    // The same page as deep_page_cursor, reached with OFFSET in raw SQL.
    if only.is_empty() || only.contains(&"deep_page_cursor") {
        let offset_sql =
            offset_page_sql(&catalog, &shared::keys::Keyring::parse(&stack.signing_key).map_err(anyhow::Error::msg)?)?;
        let baseline = pgbench(&stack, &workdir, "deep_page_offset", &offset_sql, load)?;
        rows.push(baseline.row("deep_page_offset via pgbench (OFFSET 90000)".into(), false));
    }
    // The same 1,000 rows by the fastest plain SQL (unnest, no change log), and the upsert
    // on one connection: at 8, every request waits on the row locks of the others.
    if let Some(upsert) = selected.iter().find(|scenario| scenario.name == "batch_upsert_1000") {
        let unnest = unnest_upsert_sql(&catalog)?;
        let plain = "plain SQL (INSERT … SELECT FROM unnest, no change log)";
        rows.push(
            pgbench(&stack, &workdir, "batch_upsert_unnest", &unnest, load)?
                .row(format!("{} via {plain}", upsert.name), false),
        );
        let one = Load { connections: 1, ..load };
        println!("xtask: bench {} (10 s per run, 1 connection)", upsert.name);
        let lowered = pgbench(
            &stack,
            &workdir,
            upsert.name,
            upsert.baseline_sql.as_deref().context("the upsert's statement")?,
            one,
        )?;
        let result = wrk(&workdir, PORTS.edge, upsert, &bearer, one, &Servers::product(stack.edge.pid(), &stack))?;
        rows.push(Row::measured(format!("{} via native, 1 connection", upsert.name), &result, Some(lowered.tps)));
        rows.push(lowered.row(format!("{} via pgbench, 1 connection", upsert.name), true));
        let plain_one = pgbench(&stack, &workdir, "batch_upsert_unnest", &unnest, one)?;
        rows.push(plain_one.row(format!("{} via {plain}, 1 connection", upsert.name), false));
    }
    drop(edges);
    // The limiter's cost: the same GET through native edges whose counters are in Redis
    // (the stack's, measured above), in the edge process, and switched off.
    if let Some(scenario) = selected.iter().find(|scenario| scenario.name == "get_by_id") {
        for (label, port, redis, limits) in
            [("counters in process", MEMORY_COUNTERS_PORT, None, "on"), ("limits off", LIMITS_OFF_PORT, None, "off")]
        {
            let mut edge = Service::start(
                "edge-host (limiter cost)",
                edge_host_command(&stack.host_bin, &stack.components, port, PORTS.origin, redis, &stack.signing_key)
                    .env("SPIN_VARIABLE_RATE_LIMITING", limits),
                &workdir.join(format!("edge-{port}.log")),
            )?;
            wait_http(&mut edge, port, "/", None, Duration::from_secs(60))?;
            let result = wrk(&workdir, port, scenario, &bearer, load, &Servers::product(edge.pid(), &stack))?;
            rows.push(Row {
                scenario: format!("get_by_id via native, {label}"),
                rps: result.rps,
                p50_ms: Some(result.p50_ms),
                p99_ms: Some(result.p99_ms),
                cpu_us: result.cpu_us,
                edge_cpu_us: result.edge_cpu_us,
                baseline_rps: None,
                note: String::new(),
            });
        }
    }
    let mut grid = Vec::new();
    if only.is_empty() || only.contains(&"console_grid") {
        grid.push(console_grid(root, &fixture, "native edge", PORTS.edge)?);
        // The console's files are Workers static assets, which plain workerd does not serve:
        // the grid's Workers row runs under `wrangler dev`, assets and Worker as deployed.
        let spec = StackSpec { wrangler: GRID_WRANGLER_PORT, ..PORTS };
        let wrangler = start_wrangler(root, &stack, &spec, &workdir.join("wrangler-grid.log"))?;
        grid.push(console_grid(root, &fixture, "wrangler dev", GRID_WRANGLER_PORT)?);
        drop(wrangler);
    }
    let cost = edge_cost(&stack, &token, &middle_id(&stack, &catalog)?)?;
    // Last: it stops the origin.
    if only.is_empty() || only.contains(&"view") || only.contains(&"hostile_view") {
        rows.extend(view_rows(&stack, &fixture, &catalog, &token, &workdir, load)?);
    }
    print_table(&rows);
    println!("{cost}");
    println!("{}", bundle_size(root)?);
    println!("{}", console_size(root)?);
    for grid in grid {
        println!("{grid}");
    }
    Ok(())
}

/// PocketBase on the same rows, for the scenarios measured in this run that it has (its
/// figures read against the same pgbench baselines).
fn pocketbase_rows(
    root: &Path,
    stack: &Stack,
    catalog: &Catalog,
    workdir: &Path,
    load: Load,
    baselines: &std::collections::HashMap<&str, f64>,
) -> anyhow::Result<Vec<Row>> {
    if !pocketbase::SCENARIOS.iter().any(|name| baselines.contains_key(name)) {
        return Ok(Vec::new());
    }
    println!("xtask: bench PocketBase (the same rows in its SQLite)");
    let table = &catalog.tables[0];
    let column = |name: &str| column_of(table, name);
    let utc = |column: String| format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS\"Z\"')");
    let sql = format!(
        // The seeded rows: the scenarios before have created more.
        "COPY (SELECT {}, {}, {}, {}, {}, {}, {} FROM {} ORDER BY created_at, id LIMIT {ROWS}) TO STDOUT WITH CSV",
        column("name")?,
        column("email")?,
        column("status")?,
        column("amount")?,
        column("active")?,
        utc(column("signed_up_at")?),
        utc("created_at".to_owned()),
        shared::lower::qualified_table(catalog.base_id, table.id),
    );
    let csv = pocketbase::csv_path(workdir);
    std::fs::write(&csv, psql(stack, "nc_admin", "nc_data", &sql)?)?;
    let peer = pocketbase::start(root, workdir, &csv, ROWS)?;
    let servers = Servers { edge: peer.service.pid(), origin: None, postmaster: None };
    let mut rows = Vec::new();
    for (name, path) in pocketbase::paths(&peer) {
        let Some(baseline) = baselines.get(name) else { continue };
        let scenario =
            Scenario { name, method: "GET", path, body: None, baseline_sql: None, refused: false, lua: None };
        let result = wrk(workdir, pocketbase::PORT, &scenario, &peer.token, load, &servers)?;
        let label = format!("{name} via PocketBase {}", peer.version.trim_start_matches("pocketbase version "));
        // PocketBase answers alone: all of its CPU is in its one process.
        rows.push(Row { edge_cpu_us: None, ..Row::measured(label, &result, Some(*baseline)) });
    }
    Ok(rows)
}

/// The console's grid on the 100,000-row table in Chromium (tests/browser/grid.bench.mjs),
/// through the edge on `port`: time to the first page against the same page fetched by the
/// browser, and frames dropped while scrolling against the same page idle.
fn console_grid(root: &Path, fixture: &serde_json::Value, edge_name: &str, port: u16) -> anyhow::Result<String> {
    println!("xtask: bench console_grid (Chromium, the grid on {ROWS} rows, {edge_name})");
    let chromium = tools::ensure_program("chromium", "chromium")?;
    let text = |key: &str| fixture[key].as_str().map(str::to_owned).with_context(|| format!("fixture {key}"));
    let output = command("node")
        .arg(root.join("tests/browser/grid.bench.mjs"))
        .env("BENCH_EDGE_URL", format!("http://127.0.0.1:{port}"))
        .env("BENCH_EMAIL", text("user_email")?)
        .env("BENCH_PASSWORD", text("user_password")?)
        .env("BENCH_BASE", text("base_id")?)
        .env("CHROMIUM", chromium)
        .current_dir(root)
        .output()
        .context("run tests/browser/grid.bench.mjs")?;
    if !output.status.success() {
        bail!("the grid benchmark failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let result: serde_json::Value =
        serde_json::from_slice(&output.stdout).context("read the grid benchmark's result")?;
    let number = |path: &[&str]| path.iter().fold(&result, |value, key| &value[*key]).as_f64().unwrap_or(f64::NAN);
    let (first, api) = (number(&["first_page_ms"]), number(&["api_page_ms"]));
    Ok(format!(
        "Console grid ({ROWS} rows, {edge_name}, median of {} loads): first page drawn {first:.0} ms from opening the \
         table, {:.1}× the {api:.1} ms the same page takes the browser to fetch; scrolling {:.0} s: {} of {} frames \
         dropped, reaching row {} (idle for as long: {} of {} dropped)",
        number(&["runs"]),
        first / api,
        number(&["scroll_ms"]) / 1000.0,
        number(&["scroll", "dropped"]),
        number(&["scroll", "frames"]),
        number(&["scroll", "rows"]),
        number(&["idle", "dropped"]),
        number(&["idle", "frames"]),
    ))
}

/// The console's initial JavaScript (what index.html loads), and its compiler's Wasm (loaded
/// by the screens that check).
fn console_size(root: &Path) -> anyhow::Result<String> {
    let app = root.join("build/static/app");
    let index = std::fs::read_to_string(app.join("index.html")).context("read the console's index.html")?;
    let gzip = |path: &Path| -> anyhow::Result<(u64, u64)> {
        let output = Command::new("gzip").args(["-9", "-c"]).arg(path).output().context("run gzip")?;
        Ok((std::fs::metadata(path)?.len(), output.stdout.len() as u64))
    };
    let (mut js_raw, mut js_gzip, mut wasm_raw, mut wasm_gzip) = (0, 0, 0, 0);
    for entry in std::fs::read_dir(app.join("assets"))? {
        let path = entry?.path();
        let name = path.file_name().and_then(|name| name.to_str()).unwrap_or_default().to_owned();
        if name.ends_with(".js") && index.contains(&format!("/app/assets/{name}")) {
            let (raw, gzipped) = gzip(&path)?;
            (js_raw, js_gzip) = (js_raw + raw, js_gzip + gzipped);
        } else if name.ends_with(".wasm") {
            (wasm_raw, wasm_gzip) = gzip(&path)?;
        }
    }
    Ok(format!(
        "Console initial JavaScript: {:.1} KB raw, {:.1} KB gzipped (budget 300 KB); its compiler's Wasm, loaded on \
         first use: {:.1} KB raw, {:.1} KB gzipped",
        js_raw as f64 / 1000.0,
        js_gzip as f64 / 1000.0,
        wasm_raw as f64 / 1000.0,
        wasm_gzip as f64 / 1000.0
    ))
}

fn psql(stack: &Stack, role: &str, database: &str, sql: &str) -> anyhow::Result<String> {
    let output = Command::new("psql")
        .args(["-At", "-v", "ON_ERROR_STOP=1", &stack.cluster.url(role, database), "-c", sql])
        // Keyset values must print as the origin prints them: timestamps in UTC.
        .env("PGTZ", "UTC")
        .output()
        .context("run psql")?;
    if !output.status.success() {
        bail!("psql failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(String::from_utf8(output.stdout)?)
}

/// Adds (`POST`) or drops (`DELETE`) the index `list_sorted_indexed_100` sorts by, as an
/// admin does through the API (built concurrently; the call returns once it is built).
fn sort_index(fixture: &serde_json::Value, method: &str) -> anyhow::Result<()> {
    let access = sign_in(fixture)?;
    let base = fixture["base_id"].as_str().context("fixture base id")?;
    let indexes = format!("/api/v1/bases/{base}/tables/customers/indexes");
    match method {
        "POST" => api_call(
            "POST",
            &indexes,
            Some(&access),
            serde_json::json!({"name": "by_amount", "fields": ["amount:desc", "name"]}),
        ),
        _ => api_call("DELETE", &format!("{indexes}/by_amount"), Some(&access), serde_json::Value::Null),
    }
    .map(drop)
}

/// Clients per table for `list_rollups_100`, and sales per client.
const CLIENTS: u32 = 10_000;
const SALES_PER_CLIENT: u32 = 100;

/// `clients` and `sales` (`SALES_PER_CLIENT` per client, 1,000,000 in all), and two
/// rollups on clients made through the API: how many sales each has and their sum. A page
/// of 100 clients aggregates 20,000 sales, in the statement that reads it.
fn rollup_tables(stack: &Stack, fixture: &serde_json::Value) -> anyhow::Result<()> {
    let access = sign_in(fixture)?;
    let base = fixture["base_id"].as_str().context("fixture base id")?;
    let post = |path: &str, body: serde_json::Value| {
        api_call("POST", &format!("/api/v1/bases/{base}{path}"), Some(&access), body).map(drop)
    };
    post("/tables", serde_json::json!({"name": "clients", "fields": [{"name": "name", "type": "text"}]}))?;
    post(
        "/tables",
        serde_json::json!({"name": "sales", "fields": [
            {"name": "client", "type": "link", "link": {"table": "clients"}}, {"name": "total", "type": "number"}]}),
    )?;
    let catalog = base_catalog(stack, base)?;
    let table = |name: &str| catalog.tables.iter().find(|table| table.name == name).context("a bench table");
    let (clients, sales) = (table("clients")?, table("sales")?);
    let column = |table: &Table, name: &str| -> anyhow::Result<String> {
        Ok(shared::lower::quote_ident(&table.field(name).context("a bench field")?.id.column_name()))
    };
    let (clients_sql, sales_sql) = (
        shared::lower::qualified_table(catalog.base_id, clients.id),
        shared::lower::qualified_table(catalog.base_id, sales.id),
    );
    println!("xtask: seeding {CLIENTS} clients and {} sales", CLIENTS * SALES_PER_CLIENT);
    psql(
        stack,
        "nc_admin",
        "nc_data",
        &format!(
            "INSERT INTO {clients_sql} (created_at, {name}) SELECT now() - make_interval(secs => n), 'Client ' || n              FROM generate_series(1, {CLIENTS}) n;              INSERT INTO {sales_sql} ({client}, {total}) SELECT c.id, (n % 1000) / 10.0 FROM {clients_sql} c,              generate_series(1, {SALES_PER_CLIENT}) n; ANALYZE {clients_sql}; ANALYZE {sales_sql};",
            name = column(clients, "name")?,
            client = column(sales, "client")?,
            total = column(sales, "total")?,
        ),
    )?;
    for (name, function, field) in [("sales_count", "count", None), ("sales_total", "sum", Some("total"))] {
        let mut rollup = serde_json::json!({"link": "sales.client", "function": function});
        if let Some(field) = field {
            rollup["field"] = field.into();
        }
        post("/tables/clients/fields", serde_json::json!({"name": name, "type": "rollup", "rollup": rollup}))?;
    }
    Ok(())
}

/// The catalog of the demo base, read from the control plane.
fn load_catalog(stack: &Stack, fixture: &serde_json::Value) -> anyhow::Result<Catalog> {
    let catalog = base_catalog(stack, fixture["base_id"].as_str().context("base_id")?)?;
    let leads = catalog.tables.first().is_some_and(|table| table.name == "customers");
    anyhow::ensure!(leads, "the demo base leads with customers");
    Ok(catalog)
}

/// The live tables of the base, in the order they were created, with their fields and
/// links, read from the control plane.
fn base_catalog(stack: &Stack, base: &str) -> anyhow::Result<Catalog> {
    let base_id = BaseId(uuid::Uuid::parse_str(base)?);
    let rows = psql(
        stack,
        "nc_admin",
        "nc_control",
        &format!(
            "SELECT t.id, t.name, f.id, f.name, f.type, f.required, f.is_unique, f.options, coalesce(f.link::text, ''), \
             coalesce(f.computed::text, '') FROM tables t JOIN fields f ON f.table_id = t.id \
             WHERE t.base_id = '{base_id}' AND t.deleted_at IS NULL AND f.deleted_at IS NULL \
             ORDER BY t.created_at, t.id, f.position"
        ),
    )?;
    let mut tables: Vec<Table> = Vec::new();
    for line in rows.lines() {
        let parts: Vec<&str> = line.split('|').collect();
        anyhow::ensure!(parts.len() == 10, "unexpected fields row: {line}");
        let table_id = TableId(uuid::Uuid::parse_str(parts[0])?);
        let field = Field {
            required: parts[5] == "t",
            unique: parts[6] == "t",
            options: serde_json::from_str(parts[7])?,
            link: if parts[8].is_empty() { None } else { Some(serde_json::from_str(parts[8])?) },
            computed: if parts[9].is_empty() { None } else { Some(serde_json::from_str(parts[9])?) },
            ..Field::new(
                FieldId(uuid::Uuid::parse_str(parts[2])?),
                parts[3],
                FieldType::parse(parts[4]).context("field type")?,
            )
        };
        match tables.last_mut().filter(|table| table.id == table_id) {
            Some(table) => table.fields.push(field),
            None => tables.push(Table::new(table_id, parts[1], vec![field])),
        }
    }
    Ok(Catalog { base_id, version: 0, tables })
}

/// A catalog of one table of the base, the one with id `table`.
fn table_catalog(stack: &Stack, base: &str, table: &str) -> anyhow::Result<Catalog> {
    let mut catalog = base_catalog(stack, base)?;
    let id = TableId(uuid::Uuid::parse_str(table)?);
    catalog.tables.retain(|candidate| candidate.id == id);
    anyhow::ensure!(catalog.tables.len() == 1, "no table {table} with fields in base {base}");
    Ok(catalog)
}

/// A record in the middle of the table, for reads by id.
fn middle_id(stack: &Stack, catalog: &Catalog) -> anyhow::Result<String> {
    let table = shared::lower::qualified_table(catalog.base_id, catalog.tables[0].id);
    let sql = format!("SELECT id FROM {table} ORDER BY created_at, id OFFSET {} LIMIT 1", ROWS / 2);
    Ok(psql(stack, "nc_admin", "nc_data", &sql)?.trim().to_owned())
}

/// SQL with its parameters inlined as quoted literals, for a pgbench script.
fn inline(sql: &shared::lower::Sql) -> String {
    let mut text = sql.text.clone();
    for (idx, param) in sql.params.iter().enumerate().rev() {
        let literal = match param {
            Some(value) => format!("'{}'", value.replace('\'', "''")),
            None => "NULL".to_owned(),
        };
        text = text.replace(&format!("${}", idx + 1), &literal);
    }
    text + ";"
}

/// Compiles a request exactly as the edge does and lowers it as the origin does: the
/// baseline runs the very SQL the API runs, without the API around it.
fn baseline(
    catalog: &Catalog,
    method: &str,
    path: &str,
    body: Option<&str>,
    key: &shared::keys::Keyring,
    caller: &Caller,
) -> anyhow::Result<String> {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let name = path.strip_prefix("/v1/tables/").and_then(|rest| rest.split('/').next()).context("a records path")?;
    let table = catalog.table(name).with_context(|| format!("table {name}"))?;
    let plan = match (method, path.rsplit('/').next().unwrap_or("")) {
        ("GET", "records") => shared::plan::compile_list_in(Some(catalog), table, &parse_records_query(query)?, key)?,
        ("GET", id) => shared::plan::compile_get(table, id, None)?,
        ("POST", "records") => shared::plan::compile_create(table, body.unwrap_or("").as_bytes())?,
        ("POST", "records:batchUpsert") => shared::plan::compile_upsert(
            table,
            single_parameter(query, "unique")?.as_deref(),
            body.unwrap_or("").as_bytes(),
        )?,
        _ => bail!("no baseline for {method} {path}"),
    };
    let statements = lower(&plan, catalog, &WriteContext { actor: "bench", request_id: "bench", caller })?;
    Ok(statements.iter().map(inline).collect::<Vec<_>>().join("\n"))
}

/// The cursor of the page that starts after row `row` of the table's default order,
/// encrypted with the stack's key.
fn cursor_after(stack: &Stack, catalog: &Catalog, key: &shared::keys::Keyring, row: u32) -> anyhow::Result<String> {
    let table = &catalog.tables[0];
    let relation = shared::lower::qualified_table(catalog.base_id, table.id);
    let sql = format!(
        "SELECT created_at::text || '|' || id FROM {relation} ORDER BY created_at, id OFFSET {} LIMIT 1",
        row - 1
    );
    let row = psql(stack, "nc_admin", "nc_data", &sql)?;
    let (created_at, id) = row.trim().split_once('|').context("deep row")?;
    let Plan::ListRecords { filter, sort, .. } = shared::plan::compile_list(table, &parse_records_query("")?, key)?
    else {
        bail!("a list compiles to a list plan");
    };
    let shape = shared::plan::list_shape(table.id, &filter, &sort);
    let position = [Some(created_at.to_owned()), Some(id.to_owned())];
    let mut nonce = [0; shared::cursor::NONCE_LEN];
    getrandom::fill(&mut nonce).map_err(|error| anyhow::anyhow!("no secure random source: {error}"))?;
    Ok(shared::cursor::encode(&key.cursor_key(), &shape, &position, nonce))
}

/// 1,000 items keyed by the unique `email` of existing rows: each request updates them all.
fn upsert_body() -> String {
    let items: Vec<String> = (1..=1000)
        .map(|i| {
            format!(
                r#"{{"values":{{"email":"customer{i}@example.com","name":"Customer {i}","amount":{}.25,"status":"active"}}}}"#,
                i % 500
            )
        })
        .collect();
    format!(r#"{{"items":[{}]}}"#, items.join(","))
}

/// The quoted physical column of the field `name` of `table`, for SQL the harness writes.
pub(crate) fn column_of(table: &Table, name: &str) -> anyhow::Result<String> {
    let field = table.field(name).with_context(|| format!("field {name}"))?;
    Ok(shared::lower::quote_ident(&field.id.column_name()))
}

/// The rows of `upsert_body` as the fastest plain statement writes them: four arrays
/// unnested into one `INSERT … ON CONFLICT`, without the change log or the answer the
/// product returns, so the difference is what those and the product itself cost.
fn unnest_upsert_sql(catalog: &Catalog) -> anyhow::Result<String> {
    let table = &catalog.tables[0];
    let column = |name: &str| column_of(table, name);
    let array = |values: Vec<String>, kind: &str| format!("ARRAY[{}]::{kind}[]", values.join(","));
    let items = 1..=1000;
    let (name, email, amount, status) = (column("name")?, column("email")?, column("amount")?, column("status")?);
    Ok(format!(
        "INSERT INTO {} AS r (id, {name}, {email}, {amount}, {status}) \
         SELECT gen_random_uuid(), * FROM unnest({}, {}, {}, {}) \
         ON CONFLICT ({email}) DO UPDATE SET {name} = EXCLUDED.{name}, {email} = EXCLUDED.{email}, \
         {amount} = EXCLUDED.{amount}, {status} = EXCLUDED.{status}, updated_at = now(), version = r.version + 1;",
        shared::lower::qualified_table(catalog.base_id, table.id),
        array(items.clone().map(|i| format!("'Customer {i}'")).collect(), "text"),
        array(items.clone().map(|i| format!("'customer{i}@example.com'")).collect(), "text"),
        array(items.clone().map(|i| format!("{}.25", i % 500)).collect(), "numeric"),
        array(items.map(|_| "'active'".to_owned()).collect(), "text"),
    ))
}

/// The signed-in demo owner reading as a viewer (`X-See-As`), and the viewer policy on
/// `customers` it reads under: the rows of two of the three statuses, four of the fields.
struct Viewer {
    headers: String,
    caller: Caller,
}

/// Sets the viewer policy through the API and adds it to `catalog`, so that the baseline
/// lowers the same SQL the origin runs.
fn viewer_policy(stack: &Stack, fixture: &serde_json::Value, catalog: &mut Catalog) -> anyhow::Result<Viewer> {
    // A signed-in member is limited by the tenant's plan, as tokens are by their own
    // limit: the demo tenant's plan gets the bench tokens' budget.
    let admin = |args: &[&str]| {
        crate::process::run(
            "origin admin",
            crate::tools::command(&stack.origin_bin).arg("admin").args(args).envs([
                ("NC_ADMIN_CONTROL_URL", stack.cluster.url("nc_admin", "nc_control")),
                ("NC_ADMIN_DATA_URL", stack.cluster.url("nc_admin", "nc_data")),
                ("NC_ADMIN_LOGS_URL", stack.cluster.url("nc_admin", "nc_logs")),
            ]),
        )
    };
    let workspace = fixture["workspace_id"].as_str().context("fixture workspace id")?;
    admin(&["put-plan", "--name", "bench", "--rate-limit", "1000000000/60", "--monthly", "none"])?;
    admin(&["set-plan", "--plan", "bench", "--workspace", workspace])?;
    let access = sign_in(fixture)?;
    let base = fixture["base_id"].as_str().context("fixture base id")?;
    let policies: shared::schema::TablePolicies = serde_json::from_value(serde_json::json!({ "policies": [{
        "subject": "viewer",
        "rows": { "field": "status", "op": "in", "value": ["active", "trial"] },
        "read": ["name", "email", "amount", "status"],
    }]}))?;
    api_call(
        "PUT",
        &format!("/api/v1/bases/{base}/tables/customers/policies"),
        Some(&access),
        serde_json::to_value(&policies)?,
    )?;
    let table = catalog.tables.first_mut().context("customers")?;
    table.policies =
        shared::policy::compile(table, &policies.policies).map_err(|error| anyhow::anyhow!("{error:?}"))?;
    // The policy names no caller variable, so the caller's own values do not enter the SQL.
    let caller = Caller { subject: Some(Subject::Viewer), ..Caller::UNRESTRICTED };
    let headers = format!(
        "wrk.headers[\"Authorization\"] = \"Bearer {access}\"\nwrk.headers[\"X-Base-Id\"] = \"{base}\"\n\
         wrk.headers[\"X-See-As\"] = \"viewer\"\n"
    );
    Ok(Viewer { headers, caller })
}

fn scenarios(stack: &Stack, catalog: &Catalog, viewer: &Viewer) -> anyhow::Result<Vec<Scenario>> {
    let key = shared::keys::Keyring::parse(&stack.signing_key).map_err(anyhow::Error::msg)?;
    let cursor = cursor_after(stack, catalog, &key, DEEP_ROW)?;
    let request = |name, method, path: String, body: Option<String>| -> anyhow::Result<Scenario> {
        let baseline_sql = Some(baseline(catalog, method, &path, body.as_deref(), &key, &Caller::UNRESTRICTED)?);
        Ok(Scenario { name, method, path, body, baseline_sql, refused: false, lua: None })
    };
    // The first page as a viewer sees it under a row and column policy, as one statement.
    let policy_path = "/v1/tables/customers/records?limit=100".to_owned();
    let list_policy = Scenario {
        name: "list_policy_100",
        method: "GET",
        baseline_sql: Some(baseline(catalog, "GET", &policy_path, None, &key, &viewer.caller)?),
        path: policy_path,
        body: None,
        refused: false,
        lua: Some(viewer.headers.clone()),
    };
    Ok(vec![
        request("get_by_id", "GET", format!("/v1/tables/customers/records/{}", middle_id(stack, catalog)?), None)?,
        request(
            "list_filtered_100",
            "GET",
            "/v1/tables/customers/records?limit=100&filter[status][eq]=trial".into(),
            None,
        )?,
        request("list_page1_100", "GET", "/v1/tables/customers/records?limit=100".into(), None)?,
        // Each of the 100 orders embeds its customer, read in the same statement.
        request("list_include_100", "GET", "/v1/tables/orders/records?limit=100&include=customer".into(), None)?,
        // 100 clients with two rollups over the 1,000,000 sales, in the same statement.
        request("list_rollups_100", "GET", "/v1/tables/clients/records?limit=100".into(), None)?,
        list_policy,
        request(
            "list_sorted_100",
            "GET",
            "/v1/tables/customers/records?limit=100&sort=amount.desc,name.asc&filter[amount][between]=100,900".into(),
            None,
        )?,
        // The same list once an admin added the index it sorts by (see `SORT_INDEX`).
        request(
            "list_sorted_indexed_100",
            "GET",
            "/v1/tables/customers/records?limit=100&sort=amount.desc,name.asc&filter[amount][between]=100,900".into(),
            None,
        )?,
        request("deep_page_cursor", "GET", format!("/v1/tables/customers/records?limit=100&cursor={cursor}"), None)?,
        request(
            "create_one",
            "POST",
            "/v1/tables/customers/records".into(),
            Some(r#"{"values":{"name":"Bench Co","amount":12.5,"active":true,"status":"trial"}}"#.into()),
        )?,
        request(
            "batch_upsert_1000",
            "POST",
            "/v1/tables/customers/records:batchUpsert?unique=email".into(),
            Some(upsert_body()),
        )?,
        Scenario {
            name: "invalid_request",
            method: "GET",
            path: "/v1/tables/customers/records?filter[amount][eq]=lots".into(),
            body: None,
            baseline_sql: None,
            refused: true,
            lua: None,
        },
        // The host's floor: a preflight is answered by the edge from the route table alone
        // (no store, no origin), so what it costs is the host's own work per request.
        Scenario {
            name: "preflight",
            method: "OPTIONS",
            path: "/v1/tables/customers/records".into(),
            body: None,
            baseline_sql: None,
            refused: false,
            lua: None,
        },
        // The largest body the edge reads, all distinct keys: refused in time linear in its size.
        Scenario {
            name: "hostile_body",
            method: "POST",
            path: "/v1/tables/customers/records".into(),
            body: Some(body_of_distinct_keys(HOSTILE_BODY_BYTES)),
            baseline_sql: None,
            refused: true,
            lua: None,
        },
    ])
}

/// Just under the edge's default body cap (`max_body_bytes`, 5 MiB).
const HOSTILE_BODY_BYTES: usize = 5 * 1024 * 1024 - 1024;

/// `{"values":{"k0":1,"k1":1,…}}` of at most `bytes` bytes.
fn body_of_distinct_keys(bytes: usize) -> String {
    let mut body = String::from(r#"{"values":{"k0":1"#);
    let mut n = 1;
    while body.len() + 24 < bytes {
        body.push_str(&format!(r#","k{n}":1"#));
        n += 1;
    }
    body.push_str("}}");
    body
}

/// The note of a scenario whose answers must all be refusals; an error if one was not.
/// `requests` of the scenario sent one at a time on one keep-alive connection, each timed:
/// with no queueing, a request that takes long is a pause of the host itself (the
/// collector of a JavaScript runtime, say), which wrk's percentiles under load blur.
fn one_at_a_time(scenario: &Scenario, edge_name: &str, port: u16, requests: usize) -> anyhow::Result<Row> {
    use std::io::{BufRead, BufReader, Read, Write};
    let stream = std::net::TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    let request = format!("{} {} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n", scenario.method, scenario.path);
    let mut took = Vec::with_capacity(requests);
    let started = std::time::Instant::now();
    for _ in 0..requests {
        let sent = std::time::Instant::now();
        writer.write_all(request.as_bytes())?;
        let mut length = 0;
        let mut line = String::new();
        loop {
            line.clear();
            anyhow::ensure!(reader.read_line(&mut line)? > 0, "{edge_name} closed the connection");
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse()?;
            }
        }
        reader.by_ref().take(length).read_to_end(&mut Vec::new())?;
        took.push(sent.elapsed().as_secs_f64() * 1000.0);
    }
    let rps = requests as f64 / started.elapsed().as_secs_f64();
    let slow = took.iter().filter(|ms| **ms > 10.0).count();
    took.sort_by(f64::total_cmp);
    let at = |share: f64| took[((took.len() as f64 * share) as usize).min(took.len() - 1)];
    Ok(Row {
        scenario: format!("{} one at a time via {edge_name}", scenario.name),
        rps,
        p50_ms: Some(at(0.5)),
        p99_ms: Some(at(0.99)),
        cpu_us: None,
        edge_cpu_us: None,
        baseline_rps: None,
        note: format!("{slow} of {requests} took over 10 ms, the longest {:.0} ms", at(1.0)),
    })
}

fn refusal_note(result: &WrkResult) -> anyhow::Result<String> {
    if result.non_2xx != result.requests {
        bail!("{} of {} answers were not refusals", result.requests - result.non_2xx, result.requests);
    }
    Ok(format!("all {} answers refused (4xx)", result.requests))
}

/// Page 1's SQL with the keyset replaced by OFFSET: what a naive API runs for a deep page.
fn offset_page_sql(catalog: &Catalog, key: &shared::keys::Keyring) -> anyhow::Result<String> {
    let text = baseline(catalog, "GET", "/v1/tables/customers/records?limit=100", None, key, &Caller::UNRESTRICTED)?;
    let (head, _) = text.split_once(" LIMIT ").context("page SQL has a LIMIT")?;
    Ok(format!("{head} OFFSET {} LIMIT 101;", DEEP_ROW))
}

/// CPU ticks (1/100 s) used so far by these processes and by Postgres: the postmaster,
/// its live backends, and (through the postmaster's reaped-children counters) the
/// backends that exited, so a count taken later never goes down.
fn cpu_ticks(pids: &[u32], postmaster: Option<u32>) -> u64 {
    // Fields after the command name: [1] ppid, [11] utime, [12] stime, [13] cutime, [14] cstime.
    let stat = |pid: u32| -> Option<Vec<u64>> {
        let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        let fields = text.rsplit_once(')')?.1.split_whitespace().map(|field| field.parse().unwrap_or(0)).collect();
        Some(fields)
    };
    let own = |fields: &[u64]| fields.get(11).copied().unwrap_or(0) + fields.get(12).copied().unwrap_or(0);
    let mut total: u64 = pids.iter().filter_map(|pid| stat(*pid)).map(|fields| own(&fields)).sum();
    let Some(postmaster) = postmaster else { return total };
    if let Some(fields) = stat(postmaster) {
        total += own(&fields) + fields.get(13).copied().unwrap_or(0) + fields.get(14).copied().unwrap_or(0);
    }
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|name| name.parse::<u32>().ok()) else { continue };
        if let Some(fields) = stat(pid).filter(|fields| fields.get(1) == Some(&u64::from(postmaster))) {
            total += own(&fields);
        }
    }
    total
}

/// Lets backends of finished client connections exit and be reaped, so their CPU time
/// has moved to the postmaster's children counters before it is read.
fn settle() {
    std::thread::sleep(Duration::from_millis(300));
}

/// How long a run lasts and how many connections it keeps busy.
#[derive(Clone, Copy)]
pub(crate) struct Load {
    pub seconds: u32,
    pub connections: u32,
}

/// The server processes a wrk run is charged to: the edge (or a peer that answers alone),
/// the origin, and Postgres, found through its postmaster.
struct Servers {
    edge: u32,
    origin: Option<u32>,
    postmaster: Option<u32>,
}

impl Servers {
    fn product(edge: u32, stack: &Stack) -> Servers {
        Servers { edge, origin: Some(stack.origin.pid()), postmaster: stack.cluster.postmaster_pid() }
    }
}

struct WrkResult {
    /// Requests the origin answered during the measured run, by kind (see [`origin_requests`]).
    origin: [u64; 3],
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    requests: u64,
    non_2xx: u64,
    cpu_us: Option<f64>,
    edge_cpu_us: Option<f64>,
}

fn wrk(
    workdir: &Path,
    port: u16,
    scenario: &Scenario,
    authorization: &str,
    load: Load,
    servers: &Servers,
) -> anyhow::Result<WrkResult> {
    let Load { seconds: duration, connections } = load;
    let server_pids: Vec<u32> = [Some(servers.edge), servers.origin].into_iter().flatten().collect();
    let script = workdir.join(format!("{}.lua", scenario.name));
    let body = scenario.body.as_deref().map(|body| format!("wrk.body = [[{body}]]\n")).unwrap_or_default()
        + scenario.lua.as_deref().unwrap_or("");
    std::fs::write(
        &script,
        format!(
            "wrk.method = \"{}\"\nwrk.headers[\"Authorization\"] = \"{authorization}\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n{body}",
            scenario.method
        ),
    )?;
    let url = format!("http://127.0.0.1:{port}{}", scenario.path);
    let run_wrk = |seconds: u32| {
        Command::new("wrk")
            .args([&format!("-t{}", connections.min(2)), &format!("-c{connections}"), &format!("-d{seconds}s")])
            .args(["--latency", "-s"])
            .arg(&script)
            .arg(&url)
            .output()
    };
    // The warm-up also lets requests of the run before finish: their plans are not this run's.
    run_wrk(2).context("warm up with wrk")?;
    settle();
    let origin_before = origin_requests(PORTS.origin);
    let before = cpu_ticks(&server_pids, servers.postmaster);
    let edge_before = cpu_ticks(&[servers.edge], None);
    let output = run_wrk(duration).context("run wrk")?;
    settle();
    let after = cpu_ticks(&server_pids, servers.postmaster);
    let edge_after = cpu_ticks(&[servers.edge], None);
    let origin_after = origin_requests(PORTS.origin);
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    // "23116 requests in 10.01s, 10.67MB read"
    let requests = text
        .lines()
        .find(|line| line.contains("requests in"))
        .and_then(|line| line.split_whitespace().next()?.parse::<f64>().ok())
        .unwrap_or(0.0);
    let rps = number_after(&text, "Requests/sec:").context("wrk printed no Requests/sec")?;
    Ok(WrkResult {
        origin: [0, 1, 2].map(|kind| origin_after[kind] - origin_before[kind]),
        rps,
        p50_ms: latency_ms(&text, "50%").unwrap_or(f64::NAN),
        p99_ms: latency_ms(&text, "99%").unwrap_or(f64::NAN),
        requests: requests as u64,
        non_2xx: number_after(&text, "Non-2xx or 3xx responses:").unwrap_or(0.0) as u64,
        cpu_us: (requests > 0.0).then(|| after.saturating_sub(before) as f64 * 10_000.0 / requests),
        edge_cpu_us: (requests > 0.0).then(|| edge_after.saturating_sub(edge_before) as f64 * 10_000.0 / requests),
    })
}

fn number_after(text: &str, label: &str) -> Option<f64> {
    let rest = &text[text.find(label)? + label.len()..];
    rest.split_whitespace().next()?.trim_end_matches(',').parse().ok()
}

/// wrk's latency percentiles come with a unit: `870.00us`, `2.87ms`, `1.02s`.
fn latency_ms(text: &str, percentile: &str) -> Option<f64> {
    let line = text.lines().find(|line| line.trim_start().starts_with(percentile))?;
    let value = line.split_whitespace().nth(1)?;
    let (number, scale) = if let Some(us) = value.strip_suffix("us") {
        (us, 0.001)
    } else if let Some(ms) = value.strip_suffix("ms") {
        (ms, 1.0)
    } else {
        (value.strip_suffix('s')?, 1000.0)
    };
    number.parse::<f64>().ok().map(|n| n * scale)
}

struct Baseline {
    tps: f64,
    avg_ms: f64,
    cpu_us: Option<f64>,
}

impl Baseline {
    /// Its own row of the table; `ratio` shows 100% (it is the scenario's baseline).
    fn row(&self, scenario: String, ratio: bool) -> Row {
        Row {
            scenario,
            rps: self.tps,
            p50_ms: None,
            p99_ms: None,
            cpu_us: self.cpu_us,
            edge_cpu_us: None,
            baseline_rps: ratio.then_some(self.tps),
            note: format!("avg latency {:.3} ms", self.avg_ms),
        }
    }
}

fn pgbench(stack: &Stack, workdir: &Path, name: &str, sql: &str, load: Load) -> anyhow::Result<Baseline> {
    let Load { seconds: duration, connections } = load;
    let script = workdir.join(format!("{name}.sql"));
    std::fs::write(&script, sql)?;
    let run_pgbench = |seconds: u32| {
        Command::new("pgbench")
            .args(["-n", "-M", "prepared", "-c", &connections.to_string(), "-j", &connections.min(2).to_string()])
            .args(["-T", &seconds.to_string(), "-f"])
            .arg(&script)
            .args(["-h", "127.0.0.1", "-p", &stack.cluster.port.to_string(), "-U", "data_app_rw", "nc_data"])
            .output()
    };
    run_pgbench(2).context("warm up with pgbench")?;
    settle();
    let before = cpu_ticks(&[], stack.cluster.postmaster_pid());
    let output = run_pgbench(duration).context("run pgbench")?;
    settle();
    let after = cpu_ticks(&[], stack.cluster.postmaster_pid());
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    if !output.status.success() {
        bail!("pgbench {name} failed: {}{}", text, String::from_utf8_lossy(&output.stderr));
    }
    let tps = number_after(&text, "tps =").context("pgbench printed no tps")?;
    let transactions =
        number_after(&text, "number of transactions actually processed:").unwrap_or(tps * f64::from(duration));
    Ok(Baseline {
        tps,
        avg_ms: number_after(&text, "latency average =").unwrap_or(f64::NAN),
        cpu_us: (transactions > 0.0).then(|| after.saturating_sub(before) as f64 * 10_000.0 / transactions),
    })
}

/// From the origin's /metrics: record plans executed or refused, token and catalog
/// lookups, and the guardrails' own calls (usage flushes, quota reads).
fn origin_requests(port: u16) -> [u64; 3] {
    let Some((_, text)) = http_get(port, "/metrics", &[]) else { return [0; 3] };
    let mut counts = [0; 3];
    for line in text.lines().filter(|line| line.starts_with("nc_origin_requests_total{")) {
        let count: u64 = line.rsplit(' ').next().and_then(|n| n.parse().ok()).unwrap_or(0);
        let kind = match () {
            _ if line.contains("op=\"lookupToken\"") || line.contains("op=\"loadCatalog\"") => 1,
            _ if line.contains("op=\"recordUsage\"") || line.contains("op=\"quotaStatus\"") => 2,
            _ => 0,
        };
        counts[kind] += count;
    }
    counts
}

/// Serves the Workers bundle with plain workerd (no dev proxy), on the `wrangler` port.
fn start_workerd(root: &Path, stack: &Stack, workdir: &Path) -> anyhow::Result<Service> {
    // Cap'n Proto resolves embeds relative to the config file (absolute ones against its
    // import path), so the config sits in .local/bench-work and names the bundle relatively.
    let build = Path::new("../../edge/workers/build");
    // Durable Objects on disk: with in-memory storage, workerd aborts under load.
    let storage = workdir.join("coordinators");
    std::fs::create_dir_all(&storage)?;
    let storage = storage.canonicalize()?;
    let config = format!(
        r#"using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "edge", worker = .edgeWorker),
    (name = "origin", network = (allow = ["public", "private", "local"])),
    (name = "coordinators", disk = (path = "{storage}", writable = true)),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:{port}", http = (), service = "edge") ],
);
const edgeWorker :Workerd.Worker = (
  modules = [
    (name = "index.js", esModule = embed "{js}"),
    (name = "index_bg.wasm", wasm = embed "{wasm}"),
  ],
  compatibilityDate = "2026-04-01",
  bindings = [
    (name = "origin_url", text = "http://127.0.0.1:{origin}"),
    (name = "edge_signing_key", text = "{key}"),
    (name = "COORDINATOR", durableObjectNamespace = "EdgeCoordinator"),
  ],
  durableObjectNamespaces = [
    (className = "EdgeCoordinator", uniqueKey = "nc-lcdbaas-edge-EdgeCoordinator", preventEviction = true),
  ],
  durableObjectStorage = (localDisk = "coordinators"),
  globalOutbound = "origin",
);
"#,
        port = PORTS.wrangler,
        js = build.join("index.js").display(),
        wasm = build.join("index_bg.wasm").display(),
        origin = PORTS.origin,
        key = stack.signing_key,
        storage = storage.display(),
    );
    let config_path = workdir.join("workerd.capnp");
    std::fs::write(&config_path, config)?;
    let mut workerd = Service::start(
        "workerd",
        command(root.join("node_modules/.bin/workerd")).arg("serve").arg(&config_path).arg("--experimental"),
        &workdir.join("workerd.log"),
    )?;
    wait_http(&mut workerd, PORTS.wrangler, "/", None, Duration::from_secs(60))?;
    Ok(workerd)
}

/// Edge cost per request inside the native host: wasmtime fuel (≈ Wasm instructions)
/// and host CPU, one request at a time.
fn edge_cost(stack: &Stack, token: &str, record_id: &str) -> anyhow::Result<String> {
    let mut lines = Vec::new();
    for (name, path) in [
        ("record GET", format!("/v1/tables/customers/records/{record_id}")),
        ("list of 100", "/v1/tables/customers/records?limit=100".to_owned()),
    ] {
        let (fuel, host_us) = fuel_per_request(stack, token, &path)?;
        lines.push(format!(
            "edge cost, {name}: {fuel:.0} fuel units (≈ Wasm instructions) per request; {host_us:.0} µs host CPU per \
             sequential request on a new connection each"
        ));
    }
    Ok(lines.join("\n"))
}

/// The Wasm instructions (wasmtime fuel) and host CPU of one GET of `path`, averaged over
/// 500 sequential requests (on new connections) to an edge host of its own that meters fuel.
fn fuel_per_request(stack: &Stack, token: &str, path: &str) -> anyhow::Result<(f64, f64)> {
    let log = stack.fixture.with_file_name("bench-fuel-host.log");
    let mut host = Service::start(
        "edge-host (fuel)",
        edge_host_command(
            &stack.host_bin,
            &stack.components,
            FUEL_PORT,
            PORTS.origin,
            Some(PORTS.redis),
            &stack.signing_key,
        )
        .args(["--fuel", "--log-requests"]),
        &log,
    )?;
    wait_http(&mut host, FUEL_PORT, "/", None, Duration::from_secs(60))?;
    let authorization = format!("Bearer {token}");
    let n = 500;
    for _ in 0..20 {
        http_get(FUEL_PORT, path, &[("Authorization", &authorization)]);
    }
    let log_before = std::fs::read_to_string(&log)?.lines().count();
    let before = cpu_ticks(&[host.pid()], None);
    for _ in 0..n {
        http_get(FUEL_PORT, path, &[("Authorization", &authorization)]);
    }
    let after = cpu_ticks(&[host.pid()], None);
    let text = std::fs::read_to_string(&log)?;
    let fuel: Vec<f64> = text
        .lines()
        .skip(log_before)
        .filter_map(|line| {
            let digits: String = line.split("\"fuel\":").nth(1)?.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect();
    drop(host);
    let mean_fuel = fuel.iter().sum::<f64>() / fuel.len().max(1) as f64;
    Ok((mean_fuel, after.saturating_sub(before) as f64 * 10_000.0 / f64::from(n)))
}

/// A request with a JSON body through the native edge, with a bearer token; the answer's
/// body, which must be a success.
fn api_call(method: &str, path: &str, bearer: Option<&str>, body: serde_json::Value) -> anyhow::Result<String> {
    let authorization = bearer.map(|bearer| format!("Bearer {bearer}"));
    let headers: Vec<(&str, &str)> = authorization.iter().map(|value| ("Authorization", value.as_str())).collect();
    let body = (!body.is_null()).then(|| body.to_string());
    let (status, reply) = http_request(PORTS.edge, method, path, &headers, body.as_deref())
        .with_context(|| format!("{method} {path}: no answer"))?;
    if !(200..300).contains(&status) {
        bail!("{method} {path}: {status} {reply}");
    }
    Ok(reply)
}

/// An access token of the seeded member.
fn sign_in(fixture: &serde_json::Value) -> anyhow::Result<String> {
    let login = serde_json::json!({ "email": fixture["user_email"], "password": fixture["user_password"] });
    let session: serde_json::Value = serde_json::from_str(&api_call("POST", "/api/v1/auth/login", None, login)?)?;
    session["access_token"].as_str().map(str::to_owned).context("login gave no access token")
}

/// A management request through the edge: method, path, access token and body; the answer's body.
type ManagementCall<'a> = dyn Fn(&str, &str, Option<&str>, serde_json::Value) -> anyhow::Result<String> + 'a;

/// A view and a request of it at every cap, computed on every request: 8 sort keys, 64
/// conditions (31 of the view's, 15 of them on parameters, and 33 of the caller's, one an
/// `in` list of 100 emails), up to 100 rows. Returns the request's path, checked to answer 200.
fn hostile_view(call: &ManagementCall<'_>, base: &str, access: &str) -> anyhow::Result<String> {
    use shared::plan::{MAX_CONDITIONS, MAX_IN_VALUES, MAX_SORT_KEYS};
    const OWN: usize = 16;
    const PARAMS: usize = 15;
    let callers = MAX_CONDITIONS - OWN - PARAMS - 1;
    let fields = ["name", "email", "amount", "active", "signed_up_at", "status"];
    let sorts = [&fields[..], &["created_at", "updated_at"]].concat();
    let mut filters: Vec<serde_json::Value> =
        (0..OWN).map(|i| serde_json::json!({ "field": "amount", "op": "gte", "value": -(i as i64) })).collect();
    filters.extend(
        (0..PARAMS)
            .map(|i| serde_json::json!({ "field": "amount", "op": "lte", "value": { "param": format!("p{i}") } })),
    );
    let spec = serde_json::json!({
        "name": "bench-caps", "table": "customers", "fields": fields, "filters": filters,
        "sort": ["amount:desc"], "default_limit": 100, "max_limit": 100,
        "params": (0..PARAMS).map(|i| serde_json::json!({ "name": format!("p{i}"), "type": "number", "when_absent": "no_filter" })).collect::<Vec<_>>(),
        "allowed_filters": [{ "field": "amount", "ops": ["gt"] }, { "field": "email", "ops": ["in"] }],
        "allowed_sorts": sorts,
    });
    call("POST", &format!("/api/v1/bases/{base}/views"), Some(access), spec)?;
    let publish = serde_json::json!({ "enabled": true, "slug": "bench-caps", "auth": "public",
                                      "cache": { "max_age": 0, "stale_if_error": 0 } });
    call("PUT", &format!("/api/v1/bases/{base}/views/bench-caps/publish"), Some(access), publish)?;
    let mut query: Vec<String> = vec!["limit=100".into()];
    let sort: Vec<String> = sorts.iter().take(MAX_SORT_KEYS).map(|field| format!("{field}:asc")).collect();
    query.push(format!("sort={}", sort.join(",")));
    query.extend((0..PARAMS).map(|i| format!("p{i}=1000000")));
    query.extend((0..callers).map(|i| format!("filter[amount][gt]=-{}", i + 1)));
    let emails: Vec<String> = (1..=MAX_IN_VALUES).map(|i| format!("customer{}@example.com", i * 97)).collect();
    query.push(format!("filter[email][in]={}", emails.join(",")));
    let path = format!("/public/views/bench-caps/data?{}", query.join("&"));
    match http_get(PORTS.edge, &path, &[]) {
        Some((200, _)) => Ok(path),
        answer => bail!("the view request at every cap was not answered 200: {answer:?}"),
    }
}

/// A published view through the native edge: answered from its cache, computed on every
/// request (`max_age` 0), the same query through the records API and in pgbench, and
/// from the cache with the origin stopped.
fn view_rows(
    stack: &Stack,
    fixture: &serde_json::Value,
    catalog: &Catalog,
    token: &str,
    workdir: &Path,
    load: Load,
) -> anyhow::Result<Vec<Row>> {
    let call = api_call;
    let access = &sign_in(fixture)?;
    let base = fixture["base_id"].as_str().context("fixture base id")?;
    for (slug, max_age) in [("bench-cached", 3600), ("bench-uncached", 0)] {
        let spec = serde_json::json!({
            "name": slug, "table": "customers", "fields": ["name", "amount", "status"],
            "filters": [{ "field": "status", "op": "eq", "value": { "param": "status" } }],
            "sort": ["amount:desc"], "default_limit": 100, "max_limit": 100,
            "params": [{ "name": "status", "type": "text", "required": true, "example": "trial" }]
        });
        call("POST", &format!("/api/v1/bases/{base}/views"), Some(access), spec)?;
        let publish = serde_json::json!({ "enabled": true, "slug": slug, "auth": "public",
                                          "cache": { "max_age": max_age, "stale_if_error": 3600 } });
        call("PUT", &format!("/api/v1/bases/{base}/views/{slug}/publish"), Some(access), publish)?;
    }
    let records =
        "/v1/tables/customers/records?limit=100&filter[status][eq]=trial&sort=amount.desc&fields=name,amount,status";
    let key = shared::keys::Keyring::parse(&stack.signing_key).map_err(anyhow::Error::msg)?;
    let view = |name, slug: &str| Scenario {
        name,
        method: "GET",
        path: format!("/public/views/{slug}/data?status=trial"),
        body: None,
        baseline_sql: None,
        refused: false,
        lua: None,
    };
    let caps = hostile_view(&call, base, access)?;
    let runs = [
        view("view_cached_100", "bench-cached"),
        view("view_uncached_100", "bench-uncached"),
        Scenario {
            name: "view_query_100_records_api",
            method: "GET",
            path: records.to_owned(),
            body: None,
            baseline_sql: Some(baseline(catalog, "GET", records, None, &key, &Caller::UNRESTRICTED)?),
            refused: false,
            lua: None,
        },
        Scenario {
            name: "hostile_view",
            method: "GET",
            path: caps,
            body: None,
            baseline_sql: None,
            refused: false,
            lua: None,
        },
    ];
    println!("xtask: bench view ({} s per run, {} connections)", load.seconds, load.connections);
    let baseline = pgbench(stack, workdir, "view_query_100", runs[2].baseline_sql.as_deref().unwrap_or(""), load)?;
    let servers = Servers::product(stack.edge.pid(), stack);
    let bearer = format!("Bearer {token}");
    let mut rows = Vec::new();
    let mut measure = |scenario: &Scenario, label: String| -> anyhow::Result<()> {
        let result = wrk(workdir, PORTS.edge, scenario, &bearer, load, &servers)?;
        rows.push(Row::measured(label, &result, Some(baseline.tps)));
        Ok(())
    };
    for scenario in &runs {
        measure(scenario, format!("{} via native", scenario.name))?;
    }
    let origin = stack.origin.pid().to_string();
    crate::process::run("stop the origin", Command::new("kill").args(["-TERM", &origin]))?;
    while crate::process::http_status(PORTS.origin, "/healthz").is_some() {
        std::thread::sleep(Duration::from_millis(100));
    }
    measure(&runs[0], "view_cached_100 via native, origin stopped".to_owned())?;
    rows.push(baseline.row("view_query_100 via pgbench".to_owned(), true));
    Ok(rows)
}

fn bundle_size(root: &Path) -> anyhow::Result<String> {
    let build = root.join("edge/workers/build");
    let files: Vec<PathBuf> = vec![build.join("index.js"), build.join("index_bg.wasm")];
    let mut raw = 0;
    let mut gzipped = 0;
    for file in &files {
        raw += std::fs::metadata(file)?.len();
        let output = Command::new("gzip").args(["-9", "-c"]).arg(file).output().context("run gzip")?;
        gzipped += output.stdout.len() as u64;
    }
    Ok(format!(
        "Workers bundle (index.js + index_bg.wasm): {:.0} KiB raw, {:.0} KiB gzipped",
        raw as f64 / 1024.0,
        gzipped as f64 / 1024.0
    ))
}

fn print_table(rows: &[Row]) {
    let cell = |value: Option<f64>, digits: usize| {
        value.filter(|v| v.is_finite()).map_or("—".to_owned(), |v| format!("{v:.digits$}"))
    };
    println!();
    println!(
        "| scenario | req/s | p50 ms | p99 ms | server CPU µs/req | edge CPU µs/req | ratio to pgbench | note |\n|---|---:|---:|---:|---:|---:|---:|---|"
    );
    for row in rows {
        let ratio = row.baseline_rps.map(|baseline| row.rps / baseline);
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            row.scenario,
            cell(Some(row.rps), 0),
            cell(row.p50_ms, 2),
            cell(row.p99_ms, 2),
            cell(row.cpu_us, 0),
            cell(row.edge_cpu_us, 0),
            ratio.map_or("—".to_owned(), |r| format!("{:.1}%", r * 100.0)),
            row.note
        );
    }
    println!();
}
