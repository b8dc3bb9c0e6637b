//! Release builds of the native binaries and the two Wasm edges.

use crate::process::run;
use crate::tools::{self, command};
use std::path::{Path, PathBuf};

/// The origin and the native edge host, in the shared target directory.
pub fn native() -> anyhow::Result<(PathBuf, PathBuf)> {
    println!("xtask: building origin and edge-host (release)");
    run("cargo build", command("cargo").args(["build", "--release", "-p", "origin", "-p", "edge-host"]))?;
    let release = tools::target_dir().join("release");
    Ok((release.join("origin"), release.join("edge-host")))
}

/// The Spin component, copied to `build/edge_spin.wasm` where spin.toml expects it.
pub fn spin(root: &Path) -> anyhow::Result<PathBuf> {
    println!("xtask: building the Spin edge component (wasm32-wasip2)");
    run("cargo build edge-spin", command("cargo").args(["build", "--profile", "wasm", "-p", "edge-spin", "--target", "wasm32-wasip2"]))?;
    let built = tools::target_dir().join("wasm32-wasip2/wasm/edge_spin.wasm");
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
