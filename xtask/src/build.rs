//! Release builds of the native binaries and the two Wasm edges.

use crate::process::run;
use crate::tools::{self, command};
use anyhow::Context;
use std::path::{Path, PathBuf};

/// Every native package. Builds and test runs all select exactly these, so cargo resolves
/// features once and each dependency (wasmtime above all) is compiled once.
pub const NATIVE_PACKAGES: [&str; 14] = [
    "-p",
    "shared",
    "-p",
    "console-compiler",
    "-p",
    "edge",
    "-p",
    "edge-files",
    "-p",
    "origin",
    "-p",
    "edge-host",
    "-p",
    "e2e",
];

/// The origin and the native edge host, in the shared target directory.
pub fn native() -> anyhow::Result<(PathBuf, PathBuf)> {
    println!("xtask: building the native binaries (release)");
    run("cargo build", command("cargo").args(["build", "--release"]).args(NATIVE_PACKAGES))?;
    let release = tools::target_dir().join("release");
    Ok((release.join("origin"), release.join("edge-host")))
}

/// The Spin components, copied where spin.toml expects them: the edge to
/// `build/edge_spin.wasm`, the static-files component to `build/edge_files.wasm`; and the
/// files it serves assembled in `build/static` (also the Workers' static assets).
pub fn spin(root: &Path) -> anyhow::Result<Components> {
    println!("xtask: building the Spin components (wasm32-wasip2)");
    run(
        "cargo build edge-spin edge-files",
        command("cargo").args([
            "build",
            "--profile",
            "wasm-speed",
            "-p",
            "edge-spin",
            "-p",
            "edge-files",
            "--target",
            "wasm32-wasip2",
        ]),
    )?;
    let built = tools::target_dir().join("wasm32-wasip2/wasm-speed");
    let out_dir = root.join("build");
    std::fs::create_dir_all(&out_dir)?;
    let [edge, files] = ["edge_spin.wasm", "edge_files.wasm"].map(|name| out_dir.join(name));
    std::fs::copy(built.join("edge_spin.wasm"), &edge)?;
    std::fs::copy(built.join("edge_files.wasm"), &files)?;
    Ok(Components { edge, files, static_dir: static_files(root)? })
}

/// `build/dist/nc-lcdbaas`: what VM-Web runs, laid out as deploy/README.md installs it
/// under /opt/nc-lcdbaas (`bin/`, the two components, `static/`, `deploy/`), and the same
/// as a tarball beside it.
pub fn dist(root: &Path) -> anyhow::Result<PathBuf> {
    let (origin, host) = native()?;
    let components = spin(root)?;
    let dist = root.join("build/dist");
    let out = dist.join("nc-lcdbaas");
    if out.exists() {
        std::fs::remove_dir_all(&out).with_context(|| format!("clear {}", out.display()))?;
    }
    std::fs::create_dir_all(out.join("bin"))?;
    std::fs::copy(&origin, out.join("bin/origin"))?;
    std::fs::copy(&host, out.join("bin/edge-host"))?;
    std::fs::copy(&components.edge, out.join("edge.wasm"))?;
    std::fs::copy(&components.files, out.join("files.wasm"))?;
    copy_tree(&components.static_dir, &out.join("static"))?;
    copy_tree(&root.join("deploy"), &out.join("deploy"))?;
    let tarball = dist.join("nc-lcdbaas.tar.gz");
    run("tar", command("tar").arg("-czf").arg(&tarball).arg("-C").arg(&dist).arg("nc-lcdbaas"))?;
    println!("xtask: wrote {} and {}", out.display(), tarball.display());
    Ok(tarball)
}

/// What the native edge host serves.
pub struct Components {
    pub edge: PathBuf,
    pub files: PathBuf,
    pub static_dir: PathBuf,
}

/// `build/static`: the sources of edge/files/static, Swagger UI from npm for the API
/// reference at /docs/, and the console (console/, built by Vite) at /app/.
pub fn static_files(root: &Path) -> anyhow::Result<PathBuf> {
    tools::ensure_node(root)?;
    // Assembled apart, then synced: a file is written only when its content changed, so
    // a rebuild that changes nothing (the one `wrangler dev` runs when it starts watching)
    // makes no file events, and a running `wrangler dev` does not reload mid-request.
    let next = root.join("build/static.next");
    if next.exists() {
        std::fs::remove_dir_all(&next).with_context(|| format!("clear {}", next.display()))?;
    }
    copy_tree(&root.join("edge/files/static"), &next)?;
    let headers = next.join("_headers");
    let text = std::fs::read_to_string(&headers).with_context(|| format!("read {}", headers.display()))?;
    std::fs::write(&headers, text.replace("STORAGE_ORIGINS", &storage_origins()))?;
    let swagger = root.join("node_modules/swagger-ui-dist");
    let vendor = next.join("docs/swagger-ui");
    std::fs::create_dir_all(&vendor)?;
    for name in ["swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png", "LICENSE", "NOTICE"] {
        std::fs::copy(swagger.join(name), vendor.join(name))
            .with_context(|| format!("copy {name} from {}", swagger.display()))?;
    }
    console_compiler(root)?;
    println!("xtask: building the console (console/, Vite, on the TypeScript SDK)");
    for workspace in ["sdk/typescript", "console"] {
        run(
            &format!("npm run build in {workspace}"),
            command("npm").args(["run", "--silent", "--workspace", workspace, "build"]).current_dir(root),
        )?;
    }
    copy_tree(&root.join("console/dist"), &next.join("app"))?;
    // Synced, not replaced: a running edge-host holds the directory itself open.
    let out = root.join("build/static");
    sync_tree(&next, &out)?;
    std::fs::remove_dir_all(&next)?;
    Ok(out)
}

/// The object store's origins the console uploads to and shows images from, for its
/// Content-Security-Policy: `NC_CONSOLE_STORAGE_ORIGINS` (space-separated) when set, else
/// the stores this tool starts on this machine (dev, test, bench).
fn storage_origins() -> String {
    match std::env::var("NC_CONSOLE_STORAGE_ORIGINS") {
        Ok(origins) if !origins.trim().is_empty() => origins.trim().to_owned(),
        _ => [crate::stack::DEV.s3, crate::stack::TEST.s3, crate::bench::PORTS.s3]
            .map(|port| format!("http://127.0.0.1:{port}"))
            .join(" "),
    }
}

/// Makes `to` hold what `from` holds: files written only where their content differs,
/// files and directories `from` lacks removed.
fn sync_tree(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    let mut wanted = std::collections::HashSet::new();
    for entry in std::fs::read_dir(from).with_context(|| format!("read {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        wanted.insert(entry.file_name());
        if entry.file_type()?.is_dir() {
            if target.is_file() {
                std::fs::remove_file(&target)?;
            }
            sync_tree(&entry.path(), &target)?;
        } else if std::fs::read(&target).ok() != Some(std::fs::read(entry.path())?) {
            if target.is_dir() {
                std::fs::remove_dir_all(&target)?;
            }
            std::fs::copy(entry.path(), &target)?;
        }
    }
    for entry in std::fs::read_dir(to)? {
        let entry = entry?;
        if !wanted.contains(&entry.file_name()) {
            let path = entry.path();
            let removed = if path.is_dir() { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) };
            removed.with_context(|| format!("remove {}", path.display()))?;
        }
    }
    Ok(())
}

/// The compiler's checks for the console (console/compiler) as WebAssembly, in
/// console/src/compiler: wasm-bindgen's ES module, which Vite bundles as an asset.
fn console_compiler(root: &Path) -> anyhow::Result<()> {
    tools::ensure_worker_tools(root)?;
    println!("xtask: building the console's compiler (console/compiler, wasm32-unknown-unknown)");
    run(
        "cargo build console-compiler",
        command("cargo").args([
            "build",
            "--profile",
            "wasm",
            "-p",
            "console-compiler",
            "--target",
            "wasm32-unknown-unknown",
        ]),
    )?;
    let built = tools::target_dir().join("wasm32-unknown-unknown/wasm/console_compiler.wasm");
    let out = root.join("console/src/compiler");
    run(
        "wasm-bindgen console-compiler",
        command(tools::tools_bin().join("wasm-bindgen"))
            .args(["--target", "web", "--out-name", "compiler", "--out-dir"])
            .arg(&out)
            .arg(&built),
    )?;
    let wasm = out.join("compiler_bg.wasm");
    run(
        "wasm-opt console-compiler",
        command(root.join("node_modules/.bin/wasm-opt"))
            .args(["-Oz", "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext"])
            .args(["--enable-mutable-globals", "--enable-reference-types", "-o"])
            .arg(&wasm)
            .arg(&wasm),
    )
}

fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("read {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// The Workers bundle in edge/workers/build (index.js + index_bg.wasm) and its static
/// assets in build/static, as wrangler.toml expects.
pub fn worker(root: &Path) -> anyhow::Result<()> {
    println!("xtask: building the Workers edge (worker-build)");
    run(
        "worker-build",
        command(tools::worker_build_bin()).args(["--profile", "wasm"]).current_dir(root.join("edge/workers")),
    )?;
    static_files(root).map(drop)
}
