//! `cargo xtask bench scaling`: how cost grows, each figure beside its baseline in the
//! same run: GET and list at 1, 8 and 64 connections; the edge's cost per GET against
//! tables of 10, 100 and 200 fields (the most a table may have); list pages at the start
//! and the end of tables of 100,000, 1,000,000 and 10,000,000 rows; cached view hits
//! spread over 1, 100 and 10,000 keys. Records scenarios run through the native edge and plain workerd; view hits
//! through the native edge only (plain workerd has no Cache API backend).

use super::{
    CONNECTIONS, Load, PORTS, Row, Scenario, Servers, api_call, column_of, cursor_after, fuel_per_request, pgbench,
    psql, sign_in, table_catalog, wrk,
};
use crate::stack::Stack;
use anyhow::Context;
use shared::catalog::Catalog;
use std::path::Path;

/// One edge a records scenario runs through: its name, port and process.
pub struct Edge<'a> {
    pub name: &'a str,
    pub port: u16,
    pub pid: u32,
}

/// Every scaling measure, as rows of one table, added to `rows` as each is measured (so a
/// failure late in the run keeps what came before).
pub fn scaling(
    stack: &Stack,
    fixture: &serde_json::Value,
    scenarios: &[Scenario],
    edges: &[Edge<'_>],
    workdir: &Path,
    rows: &mut Vec<Row>,
) -> anyhow::Result<()> {
    let token = fixture["token_rw"].as_str().context("fixture token")?.to_owned();
    let bearer = format!("Bearer {token}");
    let access = sign_in(fixture)?;
    let base = fixture["base_id"].as_str().context("fixture base id")?.to_owned();
    let workspace = fixture["workspace_id"].as_str().context("fixture workspace id")?.to_owned();
    let key = shared::keys::Keyring::parse(&stack.signing_key).map_err(anyhow::Error::msg)?;
    let records = |scenario: &Scenario, load: Load, label: &str, rows: &mut Vec<Row>| -> anyhow::Result<()> {
        let sql = scenario.baseline_sql.as_deref().context("a records scenario has a baseline")?;
        let base_line = pgbench(stack, workdir, scenario.name, sql, load)?;
        for edge in edges {
            let result = wrk(workdir, edge.port, scenario, &bearer, load, &Servers::product(edge.pid, stack))?;
            rows.push(Row::measured(format!("{label} via {}", edge.name), &result, Some(base_line.tps)));
        }
        rows.push(base_line.row(format!("{label} via pgbench"), true));
        Ok(())
    };

    // Concurrency.
    for name in ["get_by_id", "list_filtered_100"] {
        let scenario = scenarios.iter().find(|scenario| scenario.name == name).context("a scenario")?;
        for connections in [1, 8, 64] {
            println!("xtask: bench scaling: {name} at {connections} connections");
            let load = Load { seconds: 10, connections };
            records(scenario, load, &format!("{name}, {connections} connections"), rows)?;
        }
    }

    // The catalog's size: a GET of one record of a table of 10, 100 and 200 text fields
    // (`shared::schema::MAX_FIELDS`, the most a table may have).
    let admin_env = [
        ("NC_ADMIN_CONTROL_URL", stack.cluster.url("nc_admin", "nc_control")),
        ("NC_ADMIN_DATA_URL", stack.cluster.url("nc_admin", "nc_data")),
        ("NC_ADMIN_LOGS_URL", stack.cluster.url("nc_admin", "nc_logs")),
    ];
    let origin = |args: &[&str]| {
        crate::process::run("origin admin", crate::tools::command(&stack.origin_bin).args(args).envs(admin_env.clone()))
    };
    origin(&["admin", "put-plan", "--name", "bench-wide", "--fields-per-table", "600", "--catalog-bytes", "8388608"])?;
    origin(&["admin", "set-plan", "--plan", "bench-wide", "--workspace", &workspace])?;
    let load = Load { seconds: 10, connections: CONNECTIONS };
    for width in [10, 100, shared::schema::MAX_FIELDS] {
        println!("xtask: bench scaling: a GET from a table of {width} fields");
        let name = format!("wide_{width}");
        let fields: Vec<serde_json::Value> =
            (1..=width).map(|n| serde_json::json!({ "name": format!("field_{n}"), "type": "text" })).collect();
        let created = api_call(
            "POST",
            &format!("/api/v1/bases/{base}/tables"),
            Some(&access),
            serde_json::json!({ "name": name, "fields": fields }),
        )?;
        let table_id = table_id_of(&created)?;
        let values: serde_json::Map<String, serde_json::Value> =
            (1..=width).map(|n| (format!("field_{n}"), format!("value {n}").into())).collect();
        let record = api_call(
            "POST",
            &format!("/v1/tables/{name}/records"),
            Some(&token),
            serde_json::json!({ "values": values }),
        )?;
        let id = serde_json::from_str::<serde_json::Value>(&record)?["id"].as_str().context("record id")?.to_owned();
        let catalog = table_catalog(stack, &base, &table_id)?;
        let path = format!("/v1/tables/{name}/records/{id}");
        let scenario = Scenario::get(format!("{name}_get").leak(), path.clone(), &catalog, &key)?;
        records(&scenario, load, &format!("get_by_id, {width} fields"), rows)?;
        let (fuel, host_us) = fuel_per_request(stack, &token, &path)?;
        rows.push(Row::note(
            format!("get_by_id, {width} fields: edge cost"),
            format!("{fuel:.0} Wasm instructions, {host_us:.0} µs host CPU per sequential request"),
        ));
    }

    // Table size: the first and the last page of 100 of 100,000, 1,000,000 and 10,000,000 rows.
    for (count, table) in [(100_000, None), (1_000_000, Some("rows_1m")), (10_000_000, Some("rows_10m"))] {
        let (name, catalog) = match table {
            None => (
                "customers".to_owned(),
                table_catalog(stack, &base, fixture["table_id"].as_str().context("table id")?)?,
            ),
            Some(name) => {
                println!("xtask: bench scaling: filling {name} with {count} rows");
                let created = api_call(
                    "POST",
                    &format!("/api/v1/bases/{base}/tables"),
                    Some(&access),
                    serde_json::json!({ "name": name, "fields": [
                        { "name": "name", "type": "text" }, { "name": "amount", "type": "number" }] }),
                )?;
                let catalog = table_catalog(stack, &base, &table_id_of(&created)?)?;
                fill(stack, &catalog, count)?;
                (name.to_owned(), catalog)
            }
        };
        let first = format!("/v1/tables/{name}/records?limit=100");
        let last = format!("{first}&cursor={}", cursor_after(stack, &catalog, &key, count - 100)?);
        for (page, path) in [("first page", first), ("last page", last)] {
            println!("xtask: bench scaling: the {page} of {count} rows");
            let scenario = Scenario::get(format!("{name}_{}", page.replace(' ', "_")).leak(), path, &catalog, &key)?;
            records(&scenario, load, &format!("list of 100, {page} of {count} rows"), rows)?;
        }
    }

    // Cached view hits over 1, 100 and 10,000 distinct keys (answers of 20 rows).
    let spec = serde_json::json!({
        "name": "bench-keys", "table": "customers", "fields": ["name", "amount"],
        "filters": [{ "field": "amount", "op": "gte", "value": { "param": "min" } }],
        "sort": ["created_at:asc"], "default_limit": 20, "max_limit": 20,
        "params": [{ "name": "min", "type": "number", "example": "0" }]
    });
    api_call("POST", &format!("/api/v1/bases/{base}/views"), Some(&access), spec)?;
    let publish = serde_json::json!({ "enabled": true, "slug": "bench-keys", "auth": "public",
                                      "cache": { "max_age": 3600, "stale_if_error": 3600 } });
    api_call("PUT", &format!("/api/v1/bases/{base}/views/bench-keys/publish"), Some(&access), publish)?;
    let view_catalog = table_catalog(stack, &base, fixture["table_id"].as_str().context("table id")?)?;
    let view_query = "/v1/tables/customers/records?limit=20&filter[amount][gte]=500&fields=name,amount";
    let view_baseline = Scenario::get("view_keys_query", view_query.to_owned(), &view_catalog, &key)?;
    let base_line =
        pgbench(stack, workdir, "view_keys_query", view_baseline.baseline_sql.as_deref().unwrap_or(""), load)?;
    for keys in [1usize, 100, 10_000] {
        println!("xtask: bench scaling: cached view hits over {keys} keys");
        let paths: Vec<String> = (0..keys).map(|n| format!("/public/views/bench-keys/data?min={n}")).collect();
        warm(&paths)?;
        let list: Vec<String> = paths.iter().map(|path| format!("\"{path}\"")).collect();
        let lua = format!(
            "local paths = {{{}}}\nrequest = function() return wrk.format(\"GET\", paths[math.random(#paths)]) end\n",
            list.join(",")
        );
        let scenario = Scenario::script(format!("view_keys_{keys}").leak(), paths[0].clone(), lua);
        let result = wrk(workdir, PORTS.edge, &scenario, "", load, &Servers::product(stack.edge.pid(), stack))?;
        rows.push(Row::measured(format!("view hits over {keys} keys via native"), &result, Some(base_line.tps)));
    }
    rows.push(base_line.row("view_keys query via pgbench".to_owned(), true));
    Ok(())
}

fn table_id_of(created: &str) -> anyhow::Result<String> {
    let created: serde_json::Value = serde_json::from_str(created)?;
    created["table"]["id"].as_str().map(str::to_owned).with_context(|| format!("no table id in {created}"))
}

/// Fills a new table of `name` and `amount` with `count` rows, one millisecond apart.
fn fill(stack: &Stack, catalog: &Catalog, count: u32) -> anyhow::Result<()> {
    let table = &catalog.tables[0];
    let column = |name: &str| column_of(table, name);
    let sql = format!(
        "INSERT INTO {} (id, created_at, updated_at, {}, {}) SELECT gen_random_uuid(), \
         timestamptz '2026-01-01' + n * interval '1 millisecond', timestamptz '2026-01-01', 'row ' || n, n % 1000 \
         FROM generate_series(1, {count}) n; ANALYZE {0}",
        shared::lower::qualified_table(catalog.base_id, table.id),
        column("name")?,
        column("amount")?,
    );
    psql(stack, "nc_admin", "nc_data", &sql).map(drop)
}

/// Requests every path once (misses that fill the cache), eight at a time.
fn warm(paths: &[String]) -> anyhow::Result<()> {
    let failures = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for part in paths.chunks(paths.len().div_ceil(8)) {
            let failures = &failures;
            scope.spawn(move || {
                for path in part {
                    if !matches!(crate::process::http_get(PORTS.edge, path, &[]), Some((200, _))) {
                        failures.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            });
        }
    });
    match failures.into_inner() {
        0 => Ok(()),
        failed => anyhow::bail!("{failed} of {} view requests failed while warming the cache", paths.len()),
    }
}
