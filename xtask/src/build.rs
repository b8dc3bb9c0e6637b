//! Release builds of the native binaries and the two Wasm edges.

use crate::process::run;
use crate::tools::{self, command};
use std::path::{Path, PathBuf};

/// Every native package. Builds and test runs all select exactly these, so cargo resolves
/// features once and each dependency (wasmtime above all) is compiled once.
pub const NATIVE_PACKAGES: [&str; 10] = ["-p", "shared", "-p", "edge", "-p", "origin", "-p", "edge-host", "-p", "e2e"];

/// The origin and the native edge host, in the shared target directory.
pub fn native() -> anyhow::Result<(PathBuf, PathBuf)> {
    println!("xtask: building the native binaries (release)");
    run("cargo build", command("cargo").args(["build", "--release"]).args(NATIVE_PACKAGES))?;
    let release = tools::target_dir().join("release");
    Ok((release.join("origin"), release.join("edge-host")))
}

/// The Spin component, copied to `build/edge_spin.wasm` where spin.toml expects it.
pub fn spin(root: &Path) -> anyhow::Result<PathBuf> {
    println!("xtask: building the Spin edge component (wasm32-wasip2)");
    run(
        "cargo build edge-spin",
        command("cargo").args(["build", "--profile", "wasm-speed", "-p", "edge-spin", "--target", "wasm32-wasip2"]),
    )?;
    let built = tools::target_dir().join("wasm32-wasip2/wasm-speed/edge_spin.wasm");
    let out_dir = root.join("build");
    std::fs::create_dir_all(&out_dir)?;
    let component = out_dir.join("edge_spin.wasm");
    std::fs::copy(&built, &component)?;
    Ok(component)
}

/// The Workers bundle in edge/workers/build (index.js + index_bg.wasm), as wrangler.toml expects.
pub fn worker(root: &Path) -> anyhow::Result<()> {
    println!("xtask: building the Workers edge (worker-build)");
    run(
        "worker-build",
        command(tools::worker_build_bin()).args(["--profile", "wasm"]).current_dir(root.join("edge/workers")),
    )
}
