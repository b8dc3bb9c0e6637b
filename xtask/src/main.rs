//! Project automation, run as `cargo xtask <command>`.
//!
//! - `dev`: install what is missing, build, start Postgres + origin + native edge host
//!   with a seeded demo, print a working curl, and run until Ctrl-C.
//! - `test`: unit tests, then the end-to-end suites through the native edge host and
//!   through `wrangler dev`.
//! - `bench [scenario…]`: the load and cost harness (see bench.rs and BENCHMARKS.md).
//! - `fuzz [--seconds N] [target…]`: the fuzz campaign (see fuzz.rs and SECURITY.md).
//! - `sdk [--check]`: regenerate the SDKs from the API (see sdk.rs), or check they are.
//! - `build-worker`, `build-spin`: the Wasm builds (also run by `wrangler dev` / `spin build`).
//! - `dist`: what VM-Web runs, in build/dist (see deploy/README.md).

mod bench;
mod build;
mod cluster;
mod fuzz;
mod pocketbase;
mod process;
mod sdk;
mod stack;
mod tools;

use anyhow::{Context, bail};
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    std::env::set_current_dir(&root).context("enter the project root")?;
    tools::set_build_env(&root);
    match args.first().map(String::as_str) {
        Some("dev") => stack::dev(&root),
        Some("test") => stack::test(&root, &args[1..]),
        Some("bench") => bench::bench(&root, &args[1..]),
        Some("fuzz") => fuzz::fuzz(&root, &args[1..]),
        Some("sdk") => sdk::sdk(&root, &args[1..]),
        Some("build-worker") => {
            tools::ensure_worker_tools(&root)?;
            build::worker(&root)
        }
        Some("build-spin") => build::spin(&root).map(drop),
        Some("dist") => build::dist(&root).map(drop),
        _ => bail!(
            "usage: cargo xtask <dev | test [suite...] | bench [scenario...] | fuzz [--seconds N] [target...] | sdk [--check] | build-worker | build-spin | dist>"
        ),
    }
}

/// The workspace root: the parent of this crate's directory. `cargo run` says where that
/// is at run time; the path compiled in is only a fallback, since a build shared through
/// `CARGO_TARGET_DIR` may have been compiled in another checkout.
fn project_root() -> PathBuf {
    let manifest_dir =
        std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest_dir.parent().expect("xtask lives inside the workspace").to_path_buf()
}
