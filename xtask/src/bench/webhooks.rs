//! `cargo xtask bench webhooks`: webhook deliveries per second and their lag under a write
//! burst. `webhooks.mjs` runs a receiver that verifies every delivery, measures what that
//! receiver takes from a plain client first (the baseline, in the same run), then writes
//! records in batches through the native edge and times each record's delivery from its
//! batch's acknowledgement.

use super::PORTS;
use crate::stack::Stack;
use crate::tools::command;
use anyhow::{Context, bail};
use serde_json::{Value, json};
use std::path::Path;

const WRITES: u32 = 5_000;
const BATCH: u32 = 100;

pub fn webhooks(root: &Path, stack: &Stack, fixture: &Value) -> anyhow::Result<()> {
    let workers = stack.origin_env.iter().find(|(name, _)| *name == "NC_WEBHOOK_WORKERS").map(|(_, value)| value);
    let workers: u32 = workers.context("the origin's NC_WEBHOOK_WORKERS")?.parse()?;
    // Each sender sends up to 8 deliveries at once; the baseline client as many.
    let concurrency = workers * 8;
    println!(
        "xtask: bench webhooks ({WRITES} records in batches of {BATCH}, {concurrency} deliveries at once, native edge)"
    );
    let options = json!({
        "url": format!("http://127.0.0.1:{}", PORTS.edge),
        "email": fixture["user_email"], "password": fixture["user_password"], "base": fixture["base_id"],
        "token": fixture["token_rw"], "writes": WRITES, "batch": BATCH, "workers": concurrency,
    });
    let output = command("node")
        .arg(root.join("xtask/src/bench/webhooks.mjs"))
        .arg(options.to_string())
        .output()
        .context("run xtask/src/bench/webhooks.mjs")?;
    if !output.status.success() {
        bail!("the webhook benchmark failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let result: Value = serde_json::from_slice(&output.stdout).context("webhooks.mjs's answer")?;
    println!();
    println!("| | deliveries | duplicates | per second | lag p50 ms | lag p99 ms | lag max ms | writes took s |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    println!(
        "| product | {} of {} | {} | {} | {} | {} | {} | {} |",
        result["received"],
        result["expected"],
        result["duplicates"],
        result["per_second"],
        result["lag_p50_ms"],
        result["lag_p99_ms"],
        result["lag_max_ms"],
        result["write_seconds"]
    );
    println!(
        "| baseline: the receiver from a plain client, {concurrency} at a time | | | {} | | | | |",
        result["baseline_per_second"]
    );
    let ratio =
        result["per_second"].as_f64().unwrap_or(f64::NAN) / result["baseline_per_second"].as_f64().unwrap_or(f64::NAN);
    println!();
    println!("deliveries per second, ratio to the baseline: {ratio:.2}");
    if result["received"] != result["expected"] || result["rejected"] != 0 {
        bail!("{} of {} deliveries arrived, {} rejected", result["received"], result["expected"], result["rejected"]);
    }
    Ok(())
}
