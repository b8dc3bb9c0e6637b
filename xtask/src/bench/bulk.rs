//! `cargo xtask bench bulk`: a CSV of 1,000,000 rows imported through the API (uploaded
//! to the object store with a presigned form, then an import job) and exported again,
//! each beside Postgres `COPY` of the same file into (and out of) an identical table in
//! the same run, with the origin's memory before and at its peak. Then the whole base
//! (those rows and the demo's) is exported to an archive and restored into a new base,
//! beside `pg_dump` of the base's schema and `pg_restore` of that dump into a scratch
//! database.

use super::{api_call, psql, sign_in};
use crate::stack::Stack;
use crate::tools;
use anyhow::{Context, bail};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const ROWS: usize = 1_000_000;

pub fn bulk(stack: &Stack, fixture: &serde_json::Value, workdir: &Path) -> anyhow::Result<()> {
    if tools::which("curl").is_none() {
        tools::apt_install(&["curl"])?;
    }
    let token = fixture["token_rw"].as_str().context("fixture token")?.to_owned();
    let base = fixture["base_id"].as_str().context("fixture base id")?.to_owned();
    let access = sign_in(fixture)?;
    let fields = serde_json::json!([
        {"name": "email", "type": "email", "required": true, "unique": true},
        {"name": "name", "type": "text"},
        {"name": "amount", "type": "number"},
        {"name": "active", "type": "boolean"},
        {"name": "joined", "type": "date"},
    ]);
    for name in ["imports", "imports_small"] {
        let table = serde_json::json!({"name": name, "fields": fields});
        api_call("POST", &format!("/api/v1/bases/{base}/tables"), Some(&access), table)?;
    }
    let csv = workdir.join("import-1m.csv");
    write_csv(&csv, ROWS)?;
    let small = workdir.join("import-100k.csv");
    write_csv(&small, ROWS / 10)?;
    let size = std::fs::metadata(&csv)?.len();
    println!("xtask: bench bulk: {ROWS} rows, {} MB", size / 1_000_000);

    // Postgres COPY of the same file into a table with the same columns and constraints.
    let catalog = super::base_catalog(stack, &base)?;
    let table = catalog.table("imports").context("the imports table")?;
    let physical = shared::lower::qualified_table(catalog.base_id, table.id);
    let columns: Vec<String> =
        table.fields.iter().map(|field| shared::lower::quote_ident(&field.id.column_name())).collect();
    psql(stack, "nc_admin", "nc_data", &format!("CREATE TABLE public.copy_baseline (LIKE {physical} INCLUDING ALL)"))?;
    let copy_in = timed(|| {
        psql(
            stack,
            "nc_admin",
            "nc_data",
            &format!("\\copy public.copy_baseline ({}) FROM '{}' CSV HEADER", columns.join(", "), csv.display()),
        )
    })?;

    let origin = stack.origin.pid();
    let rss_before = memory_kb(origin, "VmRSS")?;
    // A file a tenth the size first: the peak it leaves is the one the large file must not pass.
    let (file, _) = upload(&token, &small)?;
    let (_, job) = timed_job(&token, "POST", "/v1/tables/imports_small/import:csv", serde_json::json!({"file": file}))?;
    if job["state"] != "succeeded" || job["progress"]["rows_written"] != ROWS / 10 {
        bail!("the small import did not load every row: {job}");
    }
    let rss_small = memory_kb(origin, "VmHWM")?;
    let (file, upload) = upload(&token, &csv)?;
    let (import, job) = timed_job(&token, "POST", "/v1/tables/imports/import:csv", serde_json::json!({"file": file}))?;
    if job["state"] != "succeeded" || job["progress"]["rows_written"] != ROWS {
        bail!("the import did not load every row: {job}");
    }
    let rss_import = memory_kb(origin, "VmHWM")?;
    let (export, job) = timed_job(&token, "GET", "/v1/tables/imports/export:csv", serde_json::Value::Null)?;
    if job["state"] != "succeeded" || job["progress"]["rows_read"] != ROWS {
        bail!("the export did not write every row: {job}");
    }
    let rss_export = memory_kb(origin, "VmHWM")?;
    let copy_out = timed(|| {
        psql(stack, "nc_admin", "nc_data", &format!("\\copy (SELECT * FROM {physical}) TO '/dev/null' CSV HEADER"))
    })?;

    let rss_csv = memory_kb(origin, "VmHWM")?;
    let archive = archive_base(stack, fixture, &access, workdir)?;
    let rss_archive = memory_kb(origin, "VmHWM")?;

    let rate = |seconds: f64| ROWS as f64 / seconds;
    println!();
    println!("| measure | seconds | rows/s | baseline (same run) | rows/s | ratio |");
    println!("|---|---:|---:|---|---:|---:|");
    println!(
        "| import 1M rows (job: check, load with change log) | {import:.1} | {:.0} | `COPY … FROM` the file | {:.0} | {:.1}% |",
        rate(import),
        rate(copy_in),
        100.0 * copy_in / import
    );
    println!(
        "| export 1M rows (job: one snapshot, CSV, multipart upload) | {export:.1} | {:.0} | `COPY … TO` | {:.0} | {:.1}% |",
        rate(export),
        rate(copy_out),
        100.0 * copy_out / export
    );
    println!("| upload {} MB to the store (presigned POST) | {upload:.1} | | | | |", size / 1_000_000);
    let records = archive.records as f64;
    println!(
        "| export the base, {} records (job: one snapshot, gzip, multipart upload) | {:.1} | {:.0} | `pg_dump -Fc` of the base's schema | {:.0} | {:.1}% |",
        archive.records,
        archive.export,
        records / archive.export,
        records / archive.dump,
        100.0 * archive.dump / archive.export
    );
    println!(
        "| restore it into a new base (job: COPY, then constraints, then catalog) | {:.1} | {:.0} | `pg_restore` of the dump into a scratch database | {:.0} | {:.1}% |",
        archive.restore,
        records / archive.restore,
        records / archive.pg_restore,
        100.0 * archive.pg_restore / archive.restore
    );
    println!("pg_dump -Fc of the base's schema: {} MB", archive.dump_bytes / 1_000_000);
    println!();
    println!(
        "origin memory: {} MB before; peak {} MB after importing 100,000 rows, {} MB after 1,000,000, {} MB after \
         the export, {} MB after the base's export and restore (VmRSS, then VmHWM)",
        rss_before / 1024,
        rss_small / 1024,
        rss_import / 1024,
        rss_export.max(rss_csv) / 1024,
        rss_archive / 1024
    );
    Ok(())
}

/// A base's export and restore, and Postgres' own tools on the same schema.
struct Archived {
    records: u64,
    export: f64,
    restore: f64,
    dump: f64,
    dump_bytes: u64,
    pg_restore: f64,
}

/// Exports the fixture's base and restores it into a new base through the API, then
/// dumps the same schema with `pg_dump -Fc` and restores that into a scratch database.
fn archive_base(stack: &Stack, fixture: &serde_json::Value, access: &str, workdir: &Path) -> anyhow::Result<Archived> {
    let base = fixture["base_id"].as_str().context("fixture base id")?;
    let workspace = fixture["workspace_id"].as_str().context("fixture workspace id")?;
    let job = |path: &str, body: serde_json::Value| -> anyhow::Result<(f64, serde_json::Value, String)> {
        let started = Instant::now();
        let answer: serde_json::Value = serde_json::from_str(&api_call("POST", path, Some(access), body)?)?;
        let (id, base) = match answer.get("job") {
            Some(job) => (&job["id"], answer["base"]["id"].as_str().context("restored base")?),
            None => (&answer["id"], base),
        };
        let path = format!("/v1/jobs/{}", id.as_str().context("job id")?);
        loop {
            let authorization = format!("Bearer {access}");
            let headers = [("Authorization", authorization.as_str()), ("X-Base-Id", base)];
            let (status, reply) = crate::process::http_request(super::PORTS.edge, "GET", &path, &headers, None)
                .context("no answer about the job")?;
            let job: serde_json::Value = serde_json::from_str(&reply)?;
            if status != 200 || !["queued", "running"].contains(&job["state"].as_str().unwrap_or_default()) {
                return Ok((started.elapsed().as_secs_f64(), job, base.to_owned()));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    println!("xtask: bench bulk: exporting the base");
    let (export, exported, _) = job(&format!("/api/v1/bases/{base}/export"), serde_json::json!({}))?;
    if exported["state"] != "succeeded" {
        bail!("the base's export failed: {exported}");
    }
    let records = exported["progress"]["rows_total"].as_u64().context("the archive's record count")?;
    println!("xtask: bench bulk: restoring {records} records into a new base");
    let from = serde_json::json!({"name": "restored", "from": {"base": base, "job": exported["id"]}});
    let (restore, restored, _) = job(&format!("/api/v1/workspaces/{workspace}/bases:restore"), from)?;
    if restored["state"] != "succeeded" || restored["result"]["restored"]["records"] != records {
        bail!("the restore did not bring back every record: {restored}");
    }
    println!("xtask: bench bulk: exported in {export:.1} s, restored in {restore:.1} s");
    // Postgres' own tools on the same schema: a custom-format dump, restored (without its
    // triggers, whose function a scratch database lacks) into a scratch database.
    let schema = format!("b_{}", base.replace('-', ""));
    let dump = workdir.join("base.dump");
    let url = stack.cluster.url("nc_admin", "nc_data");
    let dumped = timed(|| {
        let status = Command::new("pg_dump")
            .args(["-Fc", "-n", &schema, "-f"])
            .arg(&dump)
            .arg(&url)
            .status()
            .context("run pg_dump")?;
        anyhow::ensure!(status.success(), "pg_dump failed");
        Ok(())
    })?;
    psql(stack, "postgres", "postgres", "DROP DATABASE IF EXISTS bench_restore")?;
    psql(stack, "postgres", "postgres", "CREATE DATABASE bench_restore")?;
    let list = Command::new("pg_restore").arg("-l").arg(&dump).output().context("run pg_restore -l")?;
    let entries: String = String::from_utf8(list.stdout)?
        .lines()
        .filter(|line| !line.contains(" TRIGGER "))
        .map(|line| format!("{line}\n"))
        .collect();
    let listed = workdir.join("base.dump.list");
    std::fs::write(&listed, entries)?;
    let pg_restore = timed(|| {
        let status = Command::new("pg_restore")
            .args([
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "-d",
                &stack.cluster.url("postgres", "bench_restore"),
                "-L",
            ])
            .arg(&listed)
            .arg(&dump)
            .status()
            .context("run pg_restore")?;
        anyhow::ensure!(status.success(), "pg_restore failed");
        Ok(())
    })?;
    psql(stack, "postgres", "postgres", "DROP DATABASE bench_restore")?;
    Ok(Archived { records, export, restore, dump: dumped, dump_bytes: std::fs::metadata(&dump)?.len(), pg_restore })
}

/// Uploads a file with a presigned form: its id, and the seconds the upload took.
fn upload(token: &str, path: &Path) -> anyhow::Result<(serde_json::Value, f64)> {
    let size = std::fs::metadata(path)?.len();
    let sign = serde_json::json!({"name": "import.csv", "content_type": "text/csv", "size": size});
    let form: serde_json::Value = serde_json::from_str(&api_call("POST", "/v1/files:signUpload", Some(token), sign)?)?;
    let mut curl = Command::new("curl");
    curl.args(["-s", "-o", "/dev/null", "-w", "%{http_code}"]);
    for (name, value) in form["fields"].as_object().context("form fields")? {
        curl.arg("-F").arg(format!("{name}={}", value.as_str().unwrap_or_default()));
    }
    curl.arg("-F").arg(format!("file=@{}", path.display())).arg(form["url"].as_str().context("form url")?);
    let seconds = timed(|| {
        let output = curl.output().context("run curl")?;
        let status = String::from_utf8_lossy(&output.stdout).into_owned();
        if !status.starts_with('2') {
            bail!("the store refused the upload: {status}");
        }
        Ok(status)
    })?;
    Ok((form["file_id"].clone(), seconds))
}

/// `email,name,amount,active,joined` rows, as a spreadsheet would write them.
fn write_csv(path: &Path, rows: usize) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "email,name,amount,active,joined")?;
    for row in 0..rows {
        let day = row % 28 + 1;
        writeln!(
            out,
            "user{row}@example.com,\"Person {row}, imported\",{}.{:02},{},2025-{:02}-{day:02}",
            row % 10_000,
            row % 100,
            row % 3 == 0,
            row % 12 + 1
        )?;
    }
    out.flush()?;
    Ok(())
}

fn timed<T>(run: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<f64> {
    let started = Instant::now();
    run()?;
    Ok(started.elapsed().as_secs_f64())
}

/// Starts a job and waits for it: the seconds from the request to its end, and the job.
fn timed_job(
    token: &str,
    method: &str,
    path: &str,
    body: serde_json::Value,
) -> anyhow::Result<(f64, serde_json::Value)> {
    let started = Instant::now();
    let job: serde_json::Value = serde_json::from_str(&api_call(method, path, Some(token), body)?)?;
    let id = job["id"].as_str().context("job id")?.to_owned();
    loop {
        let job: serde_json::Value =
            serde_json::from_str(&api_call("GET", &format!("/v1/jobs/{id}"), Some(token), serde_json::Value::Null)?)?;
        if !["queued", "running"].contains(&job["state"].as_str().unwrap_or_default()) {
            return Ok((started.elapsed().as_secs_f64(), job));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A line of `/proc/<pid>/status`, in kB.
pub(super) fn memory_kb(pid: u32, key: &str) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(key)?.strip_prefix(':')?.trim().strip_suffix("kB")?.trim().parse().ok())
        .with_context(|| format!("{key} of process {pid}"))
}
