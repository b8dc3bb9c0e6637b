//! `cargo xtask bench realtime`: commit-to-event latency with 1,000 subscribers on one
//! table. `realtime.mjs` opens the streams (`GET /v1/tables/customers/events` through a
//! native edge) and writes records at a steady rate through the same edge, timing each
//! record's arrival on every stream from the moment its write was sent; then the same
//! against PocketBase's realtime subscriptions on its `customers` collection, the peer in
//! the same run.

use super::bulk::memory_kb;
use super::{LIMITS_OFF_PORT, PORTS};
use crate::pocketbase;
use crate::process::{Service, wait_http};
use crate::stack::{Stack, edge_host_command};
use crate::tools::command;
use anyhow::{Context, bail};
use serde_json::{Value, json};
use std::path::Path;
use std::time::Duration;

const SUBSCRIBERS: u32 = 1_000;
const WRITES: u32 = 200;
const WRITES_PER_SECOND: u32 = 20;

pub fn realtime(root: &Path, stack: &Stack, fixture: &Value, workdir: &Path) -> anyhow::Result<()> {
    // A stream holds a component instance for as long as it is open: room for every
    // stream, those reopening (a stream ends after `stream_seconds`) and the writes.
    let port = LIMITS_OFF_PORT;
    let mut edge = Service::start(
        "edge-host (streams)",
        edge_host_command(
            &stack.host_bin,
            &stack.components,
            port,
            PORTS.origin,
            Some(PORTS.redis),
            &stack.signing_key,
        )
        .env("EDGE_HOST_MAX_INSTANCES", (3 * SUBSCRIBERS).to_string()),
        &workdir.join("edge-realtime.log"),
    )?;
    wait_http(&mut edge, port, "/", None, Duration::from_secs(60))?;
    let token = fixture["token_rw"].as_str().context("fixture token")?;
    println!("xtask: bench realtime ({SUBSCRIBERS} streams, {WRITES} writes at {WRITES_PER_SECOND}/s, native edge)");
    let product = run(root, "product", &format!("http://127.0.0.1:{port}"), token)?;
    let memory = [("edge-host", edge.pid()), ("origin", stack.origin.pid())]
        .map(|(name, pid)| memory_kb(pid, "VmHWM").map(|kb| format!("{name} {} MB", kb / 1024)));
    drop(edge);
    let csv = pocketbase::csv_path(workdir);
    std::fs::write(&csv, "first,first@example.com,trial,1,t,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z\n")?;
    let peer = pocketbase::start(root, workdir, &csv, 1)?;
    println!("xtask: bench realtime (the same against {})", peer.version);
    let pocketbase = run(root, "pocketbase", &format!("http://127.0.0.1:{}", pocketbase::PORT), &peer.token)?;
    println!();
    println!(
        "| server | deliveries | duplicates | streams reopened | p50 ms | p90 ms | p99 ms | max ms | write p50 ms |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (name, result) in [("product via native edge", &product), (peer.version.as_str(), &pocketbase)] {
        println!(
            "| {name} | {} of {} | {} | {} | {} | {} | {} | {} | {} |",
            result["received"],
            result["expected"],
            result["duplicates"],
            result["reopened"],
            result["p50_ms"],
            result["p90_ms"],
            result["p99_ms"],
            result["max_ms"],
            result["write_p50_ms"]
        );
    }
    let ratio = |key: &str| Some(product[key].as_f64()? / pocketbase[key].as_f64()?);
    println!();
    println!(
        "latency ratio to PocketBase (p50, p99): {:.2}, {:.2}; peak memory: {}",
        ratio("p50_ms").unwrap_or(f64::NAN),
        ratio("p99_ms").unwrap_or(f64::NAN),
        memory.into_iter().collect::<anyhow::Result<Vec<_>>>()?.join(", ")
    );
    Ok(())
}

fn run(root: &Path, kind: &str, url: &str, token: &str) -> anyhow::Result<Value> {
    let options = json!({
        "kind": kind, "url": url, "token": token, "table": "customers",
        "subscribers": SUBSCRIBERS, "writes": WRITES, "rate": WRITES_PER_SECOND,
    });
    let output = command("node")
        .arg(root.join("xtask/src/bench/realtime.mjs"))
        .arg(options.to_string())
        .output()
        .context("run xtask/src/bench/realtime.mjs")?;
    if !output.status.success() {
        bail!("the realtime benchmark failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let result: Value = serde_json::from_slice(&output.stdout).context("realtime.mjs's answer")?;
    if result["received"] != result["expected"] {
        println!("xtask: {kind} delivered {} of {} events", result["received"], result["expected"]);
    }
    Ok(result)
}
