//! `cargo xtask fuzz [--seconds N] [target…]`: the fuzz campaign (see SECURITY.md).
//!
//! The targets of `fuzz/` link libFuzzer (`libfuzzer-sys`) and are built on stable Rust
//! with the coverage instrumentation cargo-fuzz would ask for, without a sanitizer (the
//! code under test has no `unsafe`). Each target runs for N seconds (default 60) on its
//! corpus: the committed seeds of `fuzz/corpus/<target>` plus what earlier runs found,
//! kept in `~/.cache/nclcdbaas/fuzz/<target>`. Targets run two at a time. A crash stops
//! the campaign with the input that caused it saved under `.local/fuzz/`.

use crate::process::run;
use crate::tools::{cache_dir, command, target_dir};
use anyhow::{Context, bail};
use std::path::Path;
use std::process::Stdio;
use std::time::Instant;

pub const TARGETS: &[&str] =
    &["query_string", "where_json", "cursor", "record_body", "view_definition", "envelope", "formula"];

/// Flags of libFuzzer's coverage-guided mode, as cargo-fuzz passes them (all stable).
const RUSTFLAGS: &str = "-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
    -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
    -Cllvm-args=-sanitizer-coverage-trace-compares -Cllvm-args=-sanitizer-coverage-stack-depth --cfg fuzzing";

/// The host triple: naming it makes RUSTFLAGS skip build scripts and proc macros.
const TRIPLE: &str = "x86_64-unknown-linux-gnu";

pub fn fuzz(root: &Path, args: &[String]) -> anyhow::Result<()> {
    let mut seconds: u64 = 60;
    let mut targets: Vec<&str> = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if arg == "--seconds" {
            seconds = args.next().and_then(|n| n.parse().ok()).context("--seconds takes a whole number")?;
        } else if let Some(target) = TARGETS.iter().find(|target| **target == arg) {
            targets.push(target);
        } else {
            bail!("no fuzz target '{arg}': choose among {TARGETS:?}");
        }
    }
    if targets.is_empty() {
        targets = TARGETS.to_vec();
    }
    let build_dir = target_dir().join("fuzz");
    println!("xtask: build the fuzz targets (instrumented, in {})", build_dir.display());
    run(
        "build the fuzz targets",
        command("cargo")
            .args(["build", "--release", "--bins", "--target", TRIPLE, "--manifest-path"])
            .arg(root.join("fuzz/Cargo.toml"))
            .env("CARGO_TARGET_DIR", &build_dir)
            .env("RUSTFLAGS", RUSTFLAGS),
    )?;
    let bins = build_dir.join(TRIPLE).join("release");
    let artifacts = root.join(".local/fuzz");
    std::fs::create_dir_all(&artifacts).context("create .local/fuzz")?;
    let started = Instant::now();
    let mut results: Vec<(&str, u64)> = Vec::new();
    for pair in targets.chunks(2) {
        let mut running = Vec::new();
        for target in pair {
            let corpus = cache_dir().join("fuzz").join(target);
            std::fs::create_dir_all(&corpus).with_context(|| format!("create {}", corpus.display()))?;
            let log = artifacts.join(format!("{target}.log"));
            let child = std::process::Command::new(bins.join(target))
                .arg(format!("-max_total_time={seconds}"))
                .arg("-max_len=8192")
                .arg("-timeout=10")
                .arg("-rss_limit_mb=2048")
                .arg("-print_final_stats=1")
                .arg(format!("-artifact_prefix={}/{target}-", artifacts.display()))
                .arg(&corpus)
                .arg(root.join("fuzz/corpus").join(target))
                .stdout(Stdio::null())
                .stderr(std::fs::File::create(&log).with_context(|| format!("create {}", log.display()))?)
                .spawn()
                .with_context(|| format!("start fuzz target {target}"))?;
            println!("xtask: fuzz {target} for {seconds} s (log: {})", log.display());
            running.push((*target, child, log));
        }
        for (target, mut child, log) in running {
            let status = child.wait().with_context(|| format!("wait for fuzz target {target}"))?;
            let output = std::fs::read_to_string(&log).unwrap_or_default();
            if !status.success() {
                let crash: Vec<&str> = output
                    .lines()
                    .filter(|line| line.contains("panicked") || line.contains("Test unit written"))
                    .collect();
                bail!("fuzz target {target} failed ({status}):\n{}\nfull log: {}", crash.join("\n"), log.display());
            }
            let runs = output
                .lines()
                .find_map(|line| line.strip_prefix("stat::number_of_executed_units:"))
                .and_then(|n| n.trim().parse().ok())
                .with_context(|| format!("fuzz target {target} printed no execution count; see {}", log.display()))?;
            results.push((target, runs));
        }
    }
    println!("xtask: fuzz campaign of {:.0} s, no crash", started.elapsed().as_secs_f64());
    println!("| target | executions |\n|---|---:|");
    for (target, runs) in &results {
        println!("| {target} | {runs} |");
    }
    println!("| total | {} |", results.iter().map(|(_, runs)| runs).sum::<u64>());
    Ok(())
}
