//! Installs what the project needs, pinned, and only when missing: Wasm targets,
//! PostgreSQL (Debian packages), the npm tooling of package-lock.json, and the
//! cargo-installed Workers build tools. Caches live outside the clone, under
//! `$HOME/.cache/nclcdbaas`, so fresh clones reuse them; nothing depends on them existing.

use crate::process::run;
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

pub const WORKER_BUILD_VERSION: &str = "0.8.7";
/// Must equal the `wasm-bindgen` pinned in edge/workers/Cargo.toml.
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";

pub fn cache_dir() -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/tmp"));
    home.join(".cache/nclcdbaas")
}

/// The shared cargo target directory: `CARGO_TARGET_DIR` if set, else under the cache.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| cache_dir().join("target"))
}

pub fn tools_bin() -> PathBuf {
    cache_dir().join("tools/bin")
}

static BUILD_ENV: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();

/// Records the environment every tool command gets (target dir, tool paths, no telemetry).
pub fn set_build_env(root: &Path) {
    let node_bin = root.join("node_modules/.bin");
    let env = vec![
        ("CARGO_TARGET_DIR".into(), target_dir().display().to_string()),
        ("WASM_BINDGEN_BIN".into(), tools_bin().join("wasm-bindgen").display().to_string()),
        ("WASM_OPT_BIN".into(), node_bin.join("wasm-opt").display().to_string()),
        ("ESBUILD_BIN".into(), node_bin.join("esbuild").display().to_string()),
        ("WRANGLER_SEND_METRICS".into(), "false".into()),
        ("CLOUDFLARE_CF_FETCH_ENABLED".into(), "false".into()),
        ("NO_COLOR".into(), "1".into()),
    ];
    let _ = BUILD_ENV.set(env);
}

/// A command with the project's build environment.
pub fn command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut command = Command::new(program);
    for (name, value) in BUILD_ENV.get().map(Vec::as_slice).unwrap_or_default() {
        command.env(name, value);
    }
    command
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|out| out.stdout.starts_with(b"0\n"))
}

/// `apt-get install` (through sudo when not root).
pub fn apt_install(packages: &[&str]) -> anyhow::Result<()> {
    println!("xtask: installing Debian packages {packages:?}");
    let sudo = |program: &str| {
        if is_root() {
            Command::new(program)
        } else {
            let mut c = Command::new("sudo");
            c.arg(program);
            c
        }
    };
    run("apt-get update", sudo("apt-get").args(["update", "-q"]))?;
    run(
        "apt-get install",
        sudo("apt-get")
            .args(["install", "-y", "-q", "--no-install-recommends"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// The Wasm targets named in rust-toolchain.toml (a no-op when present).
pub fn ensure_rust_targets() -> anyhow::Result<()> {
    run("rustup target add", Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown", "wasm32-wasip2"]))
}

/// The directory with initdb/pg_ctl of the newest installed PostgreSQL.
pub fn postgres_bin() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

pub fn ensure_postgres() -> anyhow::Result<PathBuf> {
    if postgres_bin().is_none() || which("psql").is_none() || which("pgbench").is_none() {
        apt_install(&["postgresql", "postgresql-contrib", "postgresql-client"])?;
    }
    postgres_bin().context("PostgreSQL server binaries not found under /usr/lib/postgresql after installing")
}

/// `program` on PATH, installing the Debian `package` that has it when it is missing.
pub fn ensure_program(program: &str, package: &str) -> anyhow::Result<PathBuf> {
    if which(program).is_none() {
        apt_install(&[package])?;
    }
    which(program).with_context(|| format!("{program} not found on PATH after installing {package}"))
}

/// A Python venv with the pinned tools of `requirements` (a `pip freeze` file), kept in
/// the cache under the file's hash, so that a change of pins makes a new one.
pub fn python_venv(requirements: &Path) -> anyhow::Result<PathBuf> {
    let pins = std::fs::read(requirements).with_context(|| format!("read {}", requirements.display()))?;
    let venv = cache_dir().join(format!("venv-{:016x}", fnv1a(&pins)));
    let python = venv.join("bin/python");
    if python.is_file() && venv.join(".complete").is_file() {
        return Ok(venv);
    }
    ensure_program("python3", "python3")?;
    // Debian splits venv support (ensurepip) into its own package.
    let probe = Command::new("python3").args(["-c", "import ensurepip, venv"]).output().context("run python3")?;
    if !probe.status.success() {
        apt_install(&["python3-venv"])?;
    }
    let _ = std::fs::remove_dir_all(&venv);
    println!("xtask: creating a Python venv for {} in {}", requirements.display(), venv.display());
    run("python3 -m venv", Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    run(
        "pip install",
        Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--require-virtualenv", "-r"])
            .arg(requirements),
    )?;
    std::fs::write(venv.join(".complete"), "")?;
    Ok(venv)
}

/// Debian's Redis server, for the guardrail counters the native edges share.
pub fn ensure_redis() -> anyhow::Result<PathBuf> {
    ensure_program("redis-server", "redis-server")
}

pub fn which(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?.to_str()?.split(':').map(|dir| Path::new(dir).join(program)).find(|path| path.is_file())
}

/// Node ≥ 20 and the npm packages of package-lock.json (wrangler, workerd, esbuild, binaryen).
pub fn ensure_node(root: &Path) -> anyhow::Result<()> {
    if which("node").is_none() || which("npm").is_none() {
        apt_install(&["nodejs", "npm"])?;
    }
    let version = Command::new("node").arg("--version").output().context("run node")?;
    let major: u32 = String::from_utf8_lossy(&version.stdout)
        .trim()
        .trim_start_matches('v')
        .split('.')
        .next()
        .unwrap_or("0")
        .parse()
        .unwrap_or(0);
    if major < 20 {
        bail!(
            "wrangler 4 needs Node.js 20 or newer; this machine has {}",
            String::from_utf8_lossy(&version.stdout).trim()
        );
    }
    let lock = std::fs::read(root.join("package-lock.json")).context("read package-lock.json")?;
    let stamp_path = root.join("node_modules/.nc-lock-stamp");
    // Reinstall exactly when package-lock.json changes.
    let stamp = format!("{:016x}", fnv1a(&lock));
    if std::fs::read_to_string(&stamp_path).ok().as_deref() != Some(stamp.as_str()) {
        println!("xtask: installing npm packages from package-lock.json");
        run("npm ci", command("npm").args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]).current_dir(root))?;
        std::fs::write(&stamp_path, stamp)?;
    }
    Ok(())
}

/// worker-build and wasm-bindgen-cli at their pinned versions, cargo-installed into the cache.
pub fn ensure_worker_tools(root: &Path) -> anyhow::Result<()> {
    ensure_node(root)?;
    ensure_rust_targets()?;
    let installed = |bin: &str, version: &str| {
        Command::new(tools_bin().join(bin))
            .arg("--version")
            .output()
            .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains(version))
    };
    let root_dir = cache_dir().join("tools");
    let tools_target = cache_dir().join("tools-target");
    if !installed("wasm-bindgen", WASM_BINDGEN_VERSION) {
        println!("xtask: installing wasm-bindgen-cli {WASM_BINDGEN_VERSION} (once; several minutes on 2 cores)");
        run(
            "cargo install wasm-bindgen-cli",
            Command::new("cargo")
                .args(["install", "--force", "wasm-bindgen-cli", "--version", WASM_BINDGEN_VERSION, "--root"])
                .arg(&root_dir)
                .env("CARGO_TARGET_DIR", &tools_target),
        )?;
    }
    if !installed("worker-build", WORKER_BUILD_VERSION) {
        println!("xtask: installing worker-build {WORKER_BUILD_VERSION} (once; several minutes on 2 cores)");
        run(
            "cargo install worker-build",
            Command::new("cargo")
                .args(["install", "--force", "--locked", "worker-build", "--version", WORKER_BUILD_VERSION, "--root"])
                .arg(&root_dir)
                .env("CARGO_TARGET_DIR", &tools_target),
        )?;
    }
    Ok(())
}

/// FNV-1a: a stable, dependency-free fingerprint for cache stamps and directory names.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x100_0000_01b3))
}

pub fn worker_build_bin() -> PathBuf {
    tools_bin().join("worker-build")
}
