//! Uploads and jobs: presigned upload forms, CSV imports and exports.
//!
//! A job is a row of `nc.jobs` in the data plane. Workers (`NC_JOB_WORKERS` per origin)
//! claim the oldest open job with `FOR UPDATE SKIP LOCKED` and hold it by a lease
//! (`NC_JOB_LEASE`) that every batch renews. A batch's rows, its rejected rows and the
//! job's progress commit in one transaction, and only while the claim is still this
//! worker's (`attempts` is the fencing token), so a worker that lost its lease writes
//! nothing more. A job whose worker died is claimed again when its lease ends: an import
//! reads its CSV again from the start, skips the rows already committed and goes on; an
//! export starts over.

use crate::error::{Error, bug};
use crate::execute::{Answer, Executor, Request, lower_all, lower_one};
use crate::storage::{Storage, storage_error};
use futures_util::{Stream, StreamExt};
use hyper::body::Bytes;
use shared::bulk::{self, BulkRequest, Columns, Encoding, ImportSpec, Job, JobProgress, JobResult};
use shared::catalog::{Catalog, Table};
use shared::envelope::Principal;
use shared::error::{ApiError, ErrorCode};
use shared::ids::BaseId;
use shared::plan::{Item, Plan};
use shared::policy::Caller;
use shared::token::Scope;
use std::collections::HashSet;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

/// How often an idle worker looks for jobs queued by other origins or left by dead workers.
const POLL: Duration = Duration::from_secs(5);
/// Rows an import checks and loads per transaction.
const BATCH_ROWS: usize = 5_000;
/// Bytes an export uploads per part (S3 parts are at least 5 MiB, but the last).
const PART_BYTES: usize = 8 * 1024 * 1024;
/// Rows an export fetches from its cursor at a time.
const EXPORT_FETCH: i32 = 2_000;

#[derive(clap::Args, Clone)]
pub struct JobArgs {
    /// Jobs this origin runs at once.
    #[arg(long, env = "NC_JOB_WORKERS", default_value_t = 2)]
    pub job_workers: usize,
    /// How long a claimed job stays a worker's without a sign of life; then another takes it.
    #[arg(long, env = "NC_JOB_LEASE", default_value = "30s", value_parser = humantime::parse_duration)]
    pub job_lease: Duration,
    /// How long uploads, exports, error reports and finished jobs are kept.
    #[arg(long, env = "NC_FILE_RETENTION", default_value = "7days", value_parser = humantime::parse_duration)]
    pub file_retention: Duration,
}

/// What a job's row keeps of its request.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct Stored {
    pub(crate) principal: Principal,
    #[serde(flatten)]
    pub(crate) request: BulkRequest,
}

/// A job's row as queued; the parameters are `id, base_id, table_id, kind, request,
/// catalog_version, actor, request_id`, as text where they are ids.
pub(crate) const INSERT_JOB: &str = "INSERT INTO nc.jobs (id, base_id, table_id, kind, request, catalog_version, actor, \
                                     request_id) VALUES ($1::text::uuid, $2::text::uuid, $3::text::uuid, $4, \
                                     $5::text::jsonb, $6, $7, $8)";

/// What a job's row keeps of its request, as text.
pub(crate) fn stored(principal: &Principal, request: &BulkRequest) -> Result<String, Error> {
    serde_json::to_string(&Stored { principal: principal.clone(), request: request.clone() }).map_err(bug)
}

const JOB_COLUMNS: &str = concat!(
    "id::text, kind, state, table_id::text, request::text, rows_read, rows_written, bytes_read, bytes_total, \
     error_count, result::text, error::text, ",
    sql_time!("created_at"),
    ", ",
    sql_time!("started_at"),
    ", ",
    sql_time!("finished_at"),
    ", actor, revision, rows_total"
);

impl Executor {
    pub(crate) fn storage(&self) -> Result<&Storage, Error> {
        self.storage.as_deref().ok_or_else(|| {
            ApiError::new(
                ErrorCode::ServiceUnavailable,
                "This deployment has no object storage configured (NC_S3_ENDPOINT and keys); uploads, imports and \
                 exports need it.",
            )
            .into()
        })
    }

    /// Answers `Op::Bulk`; `version` is the catalog the edge compiled against, and
    /// `reported` gets the current one where it is read.
    pub(crate) async fn bulk(
        &self,
        base_id: BaseId,
        version: i64,
        reported: &mut Option<i64>,
        principal: &Principal,
        request: &BulkRequest,
        request_id: &str,
    ) -> Result<Answer, Error> {
        let caller = self.check_principal(base_id, principal, request.scope()).await?;
        let client = self.client(base_id).await?;
        match request {
            BulkRequest::SignUpload { upload } => {
                let storage = self.storage()?;
                let policy = crate::usage::upload_policy(&self.planes.control, base_id, storage.max_upload).await?;
                let upload = bulk::compile_upload(upload, &policy.limits)?;
                policy.check_stored(crate::usage::stored(&client, base_id).await?.0, upload.size)?;
                let id = uuid::Uuid::new_v4();
                let key = bulk::upload_key(base_id, id);
                let size = i64::try_from(upload.size).map_err(bug)?;
                client
                    .execute(
                        "INSERT INTO nc.files (id, base_id, object_key, name, size, content_type, sha256, purpose, \
                         created_by) VALUES ($1::text::uuid, $2::text::uuid, $3, $4, $5, $6, $7, 'upload', $8)",
                        &[
                            &id.to_string(),
                            &base_id.0.to_string(),
                            &key,
                            &upload.name,
                            &size,
                            &upload.content_type,
                            &upload.sha256,
                            &principal.actor(),
                        ],
                    )
                    .await?;
                let now = crate::clock::now_ms();
                let form = storage.upload_form(&key, &upload.content_type, upload.size, now);
                let expires_at = shared::s3::iso_time(now + i64::from(bulk::URL_SECONDS) * 1000);
                Answer::json(
                    201,
                    &bulk::UploadForm {
                        file_id: id,
                        url: form.url,
                        fields: form.fields.into_iter().collect(),
                        key,
                        expires_at,
                    },
                )
            }
            BulkRequest::Import { import } => {
                self.storage()?;
                let catalog = self.catalog_at(base_id, version, reported).await?;
                let table = job_table(&catalog, import.table)?;
                if let Some(file) = import.file {
                    let found = client
                        .query_opt(
                            "SELECT 1 FROM nc.files WHERE id = $1::text::uuid AND base_id = $2::text::uuid \
                             AND purpose = 'upload'",
                            &[&file.to_string(), &base_id.0.to_string()],
                        )
                        .await?;
                    if found.is_none() {
                        return Err(ApiError::new(ErrorCode::NotFound, "'file' is not an upload of this base.")
                            .with("file", file.to_string())
                            .into());
                    }
                }
                self.create_job(
                    &client,
                    base_id,
                    Some(table.id),
                    "import_csv",
                    principal,
                    request,
                    catalog.version,
                    request_id,
                )
                .await
            }
            BulkRequest::Export { plan } => {
                self.storage()?;
                let catalog = self.catalog_at(base_id, version, reported).await?;
                let Plan::ListRecords { table, .. } = plan else {
                    return Err(bug("an export's plan is not a list"));
                };
                let table = job_table(&catalog, *table)?;
                shared::policy::check(plan, &catalog, &caller)?;
                self.create_job(
                    &client,
                    base_id,
                    Some(table.id),
                    "export_csv",
                    principal,
                    request,
                    catalog.version,
                    request_id,
                )
                .await
            }
            BulkRequest::GetJob { job } => Answer::json(200, &self.job(&client, base_id, *job).await?),
            BulkRequest::ExportBase { .. } | BulkRequest::RestoreBase { .. } => {
                Err(bug("a base job asked of the records path"))
            }
            BulkRequest::WatchJob { job, after, seconds } => {
                let Some((revision, state)) = job_revision(&client, base_id, *job).await? else {
                    return Err(ApiError::new(ErrorCode::NotFound, "No job of this base has this id.")
                        .with("job", job.to_string())
                        .into());
                };
                // A client that saw the last state of a finished job is told there is no
                // more, which stops an `EventSource` from reconnecting.
                if finished(&state) && *after == Some(revision) {
                    return Ok(Answer::new(204, Vec::new()));
                }
                Ok(Answer::events(crate::events::Events {
                    base_id,
                    seconds: *seconds,
                    permit: self.stream_permit(base_id)?,
                    follow: crate::events::Follow::Job { job: *job, after: *after },
                    presence: None,
                    reset: None,
                }))
            }
            BulkRequest::CancelJob { job } => {
                client
                    .execute(
                        "UPDATE nc.jobs SET state = CASE WHEN state = 'queued' THEN 'cancelled' ELSE state END, \
                         finished_at = CASE WHEN state = 'queued' THEN now() ELSE finished_at END, \
                         cancel_requested = state IN ('queued', 'running'), updated_at = now() \
                         WHERE id = $1::text::uuid AND base_id = $2::text::uuid",
                        &[&job.to_string(), &base_id.0.to_string()],
                    )
                    .await?;
                Answer::json(200, &self.job(&client, base_id, *job).await?)
            }
        }
    }

    #[expect(clippy::too_many_arguments, reason = "a job's row, column by column")]
    pub(crate) async fn create_job(
        &self,
        client: &crate::pools::DataClient,
        base_id: BaseId,
        table: Option<shared::ids::TableId>,
        kind: &str,
        principal: &Principal,
        request: &BulkRequest,
        catalog_version: i64,
        request_id: &str,
    ) -> Result<Answer, Error> {
        let id = uuid::Uuid::new_v4();
        let stored = stored(principal, request)?;
        client
            .execute(
                INSERT_JOB,
                &[
                    &id.to_string(),
                    &base_id.0.to_string(),
                    &table.map(|table| table.0.to_string()),
                    &kind,
                    &stored,
                    &catalog_version,
                    &principal.actor(),
                    &request_id,
                ],
            )
            .await?;
        // This origin's workers take it at once; the others see it when they next look.
        self.job_wake.notify_one();
        Answer::json(202, &self.job(client, base_id, id).await?)
    }

    /// A job of the base as the API shows it, with download addresses signed now.
    pub(crate) async fn job(
        &self,
        client: &crate::pools::DataClient,
        base_id: BaseId,
        id: uuid::Uuid,
    ) -> Result<Job, Error> {
        Ok(self.job_at(client, base_id, id).await?.0)
    }

    /// A job of the base as the API shows it, and its revision.
    pub(crate) async fn job_at(
        &self,
        client: &crate::pools::DataClient,
        base_id: BaseId,
        id: uuid::Uuid,
    ) -> Result<(Job, i64), Error> {
        let row = client
            .query_opt(
                &format!("SELECT {JOB_COLUMNS} FROM nc.jobs WHERE id = $1::text::uuid AND base_id = $2::text::uuid"),
                &[&id.to_string(), &base_id.0.to_string()],
            )
            .await?
            .ok_or_else(|| {
                ApiError::new(ErrorCode::NotFound, "No job of this base has this id.").with("job", id.to_string())
            })?;
        let stored: Stored = serde_json::from_str(row.try_get(4)?).map_err(bug)?;
        let dry_run = matches!(&stored.request, BulkRequest::Import { import } if import.dry_run);
        let result: Option<String> = row.try_get(10)?;
        let result = match result {
            None => None,
            Some(text) => {
                let saved: SavedResult = serde_json::from_str(&text).map_err(bug)?;
                let now = crate::clock::now_ms();
                let storage = self.storage.as_deref();
                let sign = |key: &Option<String>, name: &str| {
                    key.as_ref()
                        .zip(storage)
                        .map(|(key, storage)| storage.download_url(key, name, now, bulk::URL_SECONDS))
                };
                // A CSV is named after the table, as it is called now.
                let name = match (&saved.file_name, row.try_get::<_, Option<&str>>(3)?) {
                    (Some(name), _) => name.clone(),
                    (None, Some(table_id)) => {
                        let table_id: uuid::Uuid = table_id.parse().map_err(bug)?;
                        let catalog = self.catalog(base_id).await?;
                        let table = catalog.table_by_id(shared::ids::TableId(table_id)).map(|table| table.name.clone());
                        format!("{}.csv", table.unwrap_or_else(|| table_id.to_string()))
                    }
                    (None, None) => "export".to_owned(),
                };
                Some(JobResult {
                    download_url: sign(&saved.export_key, &name),
                    errors_url: sign(&saved.errors_key, "errors.csv"),
                    expires_at: Some(shared::s3::iso_time(now + i64::from(bulk::URL_SECONDS) * 1000)),
                    ignored_columns: saved.ignored_columns,
                    restored: saved.restored,
                })
            }
        };
        let error: Option<String> = row.try_get(11)?;
        let errors: i64 = row.try_get(9)?;
        let mut errors_preview = Vec::new();
        if errors > 0 {
            let rows = client
                .query(
                    "SELECT line, field, code, message FROM nc.job_errors WHERE job_id = $1::text::uuid \
                     ORDER BY line, field LIMIT $2",
                    &[&id.to_string(), &bulk::ERRORS_PREVIEW],
                )
                .await?;
            for row in rows {
                errors_preview.push(bulk::RowError {
                    line: row.try_get(0)?,
                    field: row.try_get(1)?,
                    code: row.try_get(2)?,
                    message: row.try_get(3)?,
                });
            }
        }
        let job = Job {
            errors_preview,
            id,
            kind: row.try_get(1)?,
            state: row.try_get(2)?,
            table_id: row.try_get::<_, Option<&str>>(3)?.map(str::parse).transpose().map_err(bug)?,
            dry_run,
            created_by: row.try_get(15)?,
            progress: JobProgress {
                rows_read: row.try_get(5)?,
                rows_written: row.try_get(6)?,
                bytes_read: row.try_get(7)?,
                bytes_total: row.try_get(8)?,
                rows_total: row.try_get(17)?,
                errors,
            },
            result,
            error: error.map(|text| serde_json::from_str(&text)).transpose().map_err(bug)?,
            created_at: row.try_get(12)?,
            started_at: row.try_get(13)?,
            finished_at: row.try_get(14)?,
        };
        Ok((job, row.try_get(16)?))
    }
}

/// A job's revision and state; `None` when the base has no such job.
pub(crate) async fn job_revision(
    client: &crate::pools::DataClient,
    base_id: BaseId,
    id: uuid::Uuid,
) -> Result<Option<(i64, String)>, Error> {
    let row = client
        .query_opt(
            "SELECT revision, state FROM nc.jobs WHERE id = $1::text::uuid AND base_id = $2::text::uuid",
            &[&id.to_string(), &base_id.0.to_string()],
        )
        .await?;
    Ok(match row {
        Some(row) => Some((row.try_get(0)?, row.try_get(1)?)),
        None => None,
    })
}

/// Whether a job in `state` has ended (it changes no more).
pub(crate) fn finished(state: &str) -> bool {
    matches!(state, "succeeded" | "failed" | "cancelled")
}

fn job_table(catalog: &Catalog, table: shared::ids::TableId) -> Result<&Table, Error> {
    catalog
        .table_by_id(table)
        .ok_or_else(|| ApiError::new(ErrorCode::TableNotFound, "No such table in this base.").into())
}

/// What a finished job keeps: object keys, signed anew whenever the job is read.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct SavedResult {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) export_key: Option<String>,
    /// What a download names the file, when not after the job's table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) file_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) errors_key: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) ignored_columns: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) restored: Option<shared::archive::Restored>,
}

/// A job a worker holds: its row as claimed.
pub(crate) struct Claimed {
    pub(crate) id: uuid::Uuid,
    pub(crate) base_id: BaseId,
    pub(crate) attempt: i32,
    pub(crate) request_id: String,
    pub(crate) stored: Stored,
    rows_read: i64,
}

/// How a job ended, when it did not fail.
pub(crate) enum Ended {
    Done(SavedResult),
    Cancelled,
    /// Another worker holds it now.
    Lost,
}

/// Deletes, of one base or of all, the files (objects and rows) past `retention`:
/// uploads never attached, jobs' files, and attachments no record has held for that long
/// (marked here first, [`crate::files::detach_unreferenced`]); and the jobs that ended
/// before it. Answers how many files went. Sweepers may run at once on several origins:
/// each takes its files with `SKIP LOCKED`, and deleting an object twice is harmless.
pub async fn sweep(
    data: &tokio_postgres::Client,
    storage: &Storage,
    retention: Duration,
    base: Option<BaseId>,
) -> Result<u64, Error> {
    let fields = data
        .query(
            "SELECT DISTINCT base_id::text, table_id::text, field_id::text FROM nc.files WHERE field_id IS NOT NULL \
             AND detached_at IS NULL AND state = 'committed' AND ($1::text IS NULL OR base_id = $1::text::uuid)",
            &[&base.map(|base| base.0.to_string())],
        )
        .await?;
    for row in &fields {
        let id =
            |column: usize| -> Result<uuid::Uuid, Error> { uuid::Uuid::parse_str(row.try_get(column)?).map_err(bug) };
        let (base, table, field) = (BaseId(id(0)?), shared::ids::TableId(id(1)?), shared::ids::FieldId(id(2)?));
        crate::files::detach_unreferenced(data, base, table, field).await?;
    }
    let (age, base) = (interval(retention), base.map(|base| base.0.to_string()));
    let mut swept = 0;
    loop {
        // Marked `deleting` first: a write can no longer attach them, and a sweep that
        // fails halfway leaves them for the next.
        let rows = data
            .query(
                "UPDATE nc.files SET state = 'deleting' WHERE object_key IN (SELECT object_key FROM nc.files \
                 WHERE ($2::text IS NULL OR base_id = $2::text::uuid) AND (state = 'deleting' \
                 OR field_id IS NULL AND created_at <= now() - $1::text::interval \
                 OR detached_at <= now() - $1::text::interval) \
                 ORDER BY created_at LIMIT 500 FOR UPDATE SKIP LOCKED) RETURNING id::text, object_key",
                &[&age, &base],
            )
            .await?;
        for row in &rows {
            storage.delete(row.try_get(1)?).await?;
        }
        let keys: Vec<&str> = rows.iter().map(|row| row.try_get(1)).collect::<Result<_, _>>()?;
        data.execute("DELETE FROM nc.files WHERE object_key = ANY($1::text[])", &[&keys]).await?;
        swept += rows.len() as u64;
        if rows.len() < 500 {
            break;
        }
    }
    data.execute(
        "DELETE FROM nc.jobs WHERE finished_at < now() - $1::text::interval \
         AND ($2::text IS NULL OR base_id = $2::text::uuid)",
        &[&age, &base],
    )
    .await?;
    Ok(swept)
}

/// Starts the job workers and the sweeper; they stop with the process.
pub fn start(executor: Arc<Executor>, args: &JobArgs) {
    if executor.storage.is_none() || args.job_workers == 0 {
        return;
    }
    let (sweeper, retention) = (executor.clone(), args.file_retention);
    tokio::spawn(async move {
        loop {
            // Each sweep scans the tables with file fields once: at most hourly.
            tokio::time::sleep((retention / 4).clamp(Duration::from_secs(1), Duration::from_secs(3600))).await;
            let swept = async {
                let storage = sweeper.storage()?;
                let mut files = 0;
                for cluster in sweeper.planes.data.iter() {
                    let client = crate::pools::connection(&cluster.pool).await?;
                    files += sweep(&client, storage, retention, None).await?;
                }
                Ok::<_, Error>(files)
            };
            match swept.await {
                Ok(0) => {}
                Ok(files) => tracing::info!(files, "swept files past their retention"),
                Err(error) => tracing::warn!(?error, "sweeping old files failed"),
            }
        }
    });
    for _ in 0..args.job_workers {
        let (executor, lease) = (executor.clone(), args.job_lease);
        tokio::spawn(async move {
            loop {
                match executor.claim(lease).await {
                    Ok(Some(job)) => executor.run(job, lease).await,
                    Ok(None) => {
                        // Jobs queued here wake a worker; those of other origins, and leases
                        // that end, are seen when it looks again.
                        let _ = tokio::time::timeout(lease.min(POLL), executor.job_wake.notified()).await;
                    }
                    Err(error) => {
                        tracing::warn!(?error, "claiming a job failed");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                }
            }
        });
    }
}

fn interval(lease: Duration) -> String {
    format!("{} milliseconds", lease.as_millis())
}

impl Executor {
    /// The next job of any cluster, starting each look at the next cluster, so that one
    /// busy cluster does not keep the others' jobs waiting.
    async fn claim(&self, lease: Duration) -> Result<Option<Claimed>, Error> {
        let clusters: Vec<_> = self.planes.data.iter().cloned().collect();
        let start = self.job_turn.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        for at in 0..clusters.len() {
            let cluster = &clusters[(start + at) % clusters.len()];
            if let Some(job) = self.claim_on(cluster, lease).await? {
                return Ok(Some(job));
            }
        }
        Ok(None)
    }

    async fn claim_on(&self, cluster: &crate::pools::Cluster, lease: Duration) -> Result<Option<Claimed>, Error> {
        let client = crate::pools::connection(&cluster.pool).await?;
        let row = client
            .query_opt(
                "UPDATE nc.jobs SET state = 'running', attempts = attempts + 1, lease_until = now() + $1::text::interval, \
                 started_at = COALESCE(started_at, now()), updated_at = now() \
                 WHERE id = (SELECT id FROM nc.jobs WHERE state = 'queued' OR (state = 'running' AND lease_until < now()) \
                 ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT 1) \
                 RETURNING id::text, base_id::text, attempts, request_id, request::text, rows_read",
                &[&interval(lease)],
            )
            .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(Claimed {
            id: row.try_get::<_, &str>(0)?.parse().map_err(bug)?,
            base_id: BaseId(row.try_get::<_, &str>(1)?.parse().map_err(bug)?),
            attempt: row.try_get(2)?,
            request_id: row.try_get(3)?,
            stored: serde_json::from_str(row.try_get(4)?).map_err(bug)?,
            rows_read: row.try_get(5)?,
        }))
    }

    async fn run(&self, job: Claimed, lease: Duration) {
        tracing::info!(job = %job.id, request_id = job.request_id, attempt = job.attempt, "job started");
        let outcome = match &job.stored.request {
            BulkRequest::Import { import } => self.import(&job, import, lease).await,
            BulkRequest::Export { plan } => self.export(&job, plan, lease).await,
            BulkRequest::ExportBase { include_files } => self.export_base(&job, *include_files, lease).await,
            BulkRequest::RestoreBase { source } => self.restore_base(&job, source, lease).await,
            _ => Err(bug("a job of another kind")),
        };
        let (state, result, error) = match outcome {
            Ok(Ended::Lost) => {
                tracing::warn!(job = %job.id, "job lost its lease; another worker goes on");
                return;
            }
            Ok(Ended::Done(result)) => ("succeeded", serde_json::to_string(&result).ok(), None),
            Ok(Ended::Cancelled) => ("cancelled", None, None),
            Err(error) => {
                let answer = error.answer(&job.request_id, "job");
                let body: serde_json::Value =
                    serde_json::from_slice(&answer.to_body(&job.request_id)).unwrap_or_default();
                ("failed", None, Some(body["error"].to_string()))
            }
        };
        let finished = async {
            let client = self.client(job.base_id).await?;
            client
                .execute(
                    "UPDATE nc.jobs SET state = $3, result = $4::text::jsonb, error = $5::text::jsonb, finished_at = now(), \
                     updated_at = now(), lease_until = NULL WHERE id = $1::text::uuid AND attempts = $2",
                    &[&job.id.to_string(), &job.attempt, &state, &result, &error],
                )
                .await?;
            Ok::<_, Error>(())
        };
        match finished.await {
            Ok(()) => tracing::info!(job = %job.id, request_id = job.request_id, state, "job finished"),
            Err(error) => tracing::warn!(job = %job.id, %error, "recording the end of a job failed; it runs again"),
        }
    }

    /// Renews the lease and records progress, in `transaction`; whether the job is still
    /// this worker's, and whether it was asked to stop.
    pub(crate) async fn heartbeat(
        &self,
        transaction: &deadpool_postgres::Transaction<'_>,
        job: &Claimed,
        lease: Duration,
        progress: &Progress,
    ) -> Result<Option<bool>, Error> {
        let row = transaction
            .query_opt(
                "UPDATE nc.jobs SET lease_until = now() + $3::text::interval, rows_read = $4, \
                 rows_written = rows_written + $5, bytes_read = $6, bytes_total = $7, \
                 error_count = error_count + $8, updated_at = now() \
                 WHERE id = $1::text::uuid AND attempts = $2 AND state = 'running' RETURNING cancel_requested",
                &[
                    &job.id.to_string(),
                    &job.attempt,
                    &interval(lease),
                    &progress.rows_read,
                    &progress.written,
                    &progress.bytes_read,
                    &progress.bytes_total,
                    &progress.errors,
                ],
            )
            .await?;
        Ok(row.map(|row| row.try_get(0)).transpose()?)
    }

    /// The caller the job acts as, checked now: a revoked token or a removed member stops it.
    async fn job_caller(&self, job: &Claimed, scope: Scope) -> Result<(Caller, Arc<Catalog>), Error> {
        let caller = self.check_principal(job.base_id, &job.stored.principal, scope).await?;
        Ok((caller, self.catalog(job.base_id).await?))
    }

    async fn import(&self, job: &Claimed, spec: &ImportSpec, lease: Duration) -> Result<Ended, Error> {
        let (caller, catalog) = self.job_caller(job, Scope::Write).await?;
        let table = job_table(&catalog, spec.table)?;
        let (source, total) = self.import_source(job, spec).await?;
        let mut records = CsvRecords::new(source, spec.encoding, spec.delimiter);
        let header = records
            .next()
            .await?
            .ok_or_else(|| ApiError::new(ErrorCode::ValidationError, "The CSV is empty: it has no header row."))?;
        let header = header.cells().map_err(|error| error.with("line", 1))?;
        let columns = Columns::resolve(table, spec, &header)?;
        let mut progress = Progress { bytes_total: total, ..Progress::default() };
        // A resumed job skips what its earlier attempts committed.
        let mut skipped = 0;
        while skipped < job.rows_read {
            if records.next().await?.is_none() {
                break;
            }
            skipped += 1;
        }
        progress.rows_read = skipped;
        let mut batch = Batch::default();
        let mut committed = 0;
        loop {
            let record = records.next().await?;
            let end = record.is_none();
            if let Some(record) = record {
                progress.rows_read += 1;
                let line = record.line;
                match record.cells() {
                    Err(error) => batch.reject(line, vec![error]),
                    Ok(cells) => match columns.row(table, &cells) {
                        Err(errors) => batch.reject(line, errors),
                        Ok(item) => {
                            // Two rows of one batch on the same record cannot share a statement.
                            let key = batch_key(&item, spec.key);
                            if key.as_ref().is_some_and(|key| batch.keys.contains(key)) {
                                progress.bytes_read = records.bytes_read();
                                // This row is not in the batch: the batch commits without it.
                                progress.rows_read -= 1;
                                let committed = self
                                    .commit_batch(job, spec, table, &catalog, &caller, &mut batch, &mut progress, lease)
                                    .await?;
                                if let Some(ended) = committed {
                                    return Ok(ended);
                                }
                                progress.rows_read += 1;
                            }
                            batch.keys.extend(key);
                            batch.items.push((line, item));
                        }
                    },
                }
            }
            if end || batch.len() >= BATCH_ROWS {
                progress.bytes_read = records.bytes_read();
                if let Some(ended) =
                    self.commit_batch(job, spec, table, &catalog, &caller, &mut batch, &mut progress, lease).await?
                {
                    return Ok(ended);
                }
                committed += 1;
                if committed == 2 {
                    crate::schema::failpoint("import-after-second-batch");
                }
            }
            if end {
                break;
            }
        }
        let errors_key = self.error_report(job).await?;
        Ok(Ended::Done(SavedResult { errors_key, ignored_columns: columns.ignored, ..SavedResult::default() }))
    }

    /// The CSV's bytes and their count: the request's own, or the uploaded file's, checked
    /// against what its upload announced the first time it is used.
    async fn import_source(&self, job: &Claimed, spec: &ImportSpec) -> Result<(ByteStream, Option<i64>), Error> {
        if let Some(csv) = &spec.csv {
            let bytes = Bytes::from(csv.clone().into_bytes());
            let total = i64::try_from(bytes.len()).ok();
            return Ok((Box::pin(futures_util::stream::once(async move { Ok(bytes) })), total));
        }
        let file = spec.file.ok_or_else(|| bug("an import without a source"))?;
        let storage = self.storage()?;
        let client = self.client(job.base_id).await?;
        let row = client
            .query_opt(
                "SELECT object_key, size, sha256, state FROM nc.files WHERE id = $1::text::uuid \
                 AND base_id = $2::text::uuid AND state <> 'deleting'",
                &[&file.to_string(), &job.base_id.0.to_string()],
            )
            .await?
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "The uploaded file is gone."))?;
        let (key, size, sha256, state): (String, i64, Option<String>, String) =
            (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?, row.try_get(3)?);
        if state == "pending" {
            if let Err(problem) = crate::files::verify_upload(storage, &key, size, sha256.as_deref()).await? {
                return Err(ApiError::new(ErrorCode::ValidationError, format!("The uploaded file {problem}."))
                    .with("field", "file")
                    .into());
            }
            client
                .execute(
                    "UPDATE nc.files SET state = 'committed', committed_at = now() WHERE id = $1::text::uuid \
                     AND base_id = $2::text::uuid",
                    &[&file.to_string(), &job.base_id.0.to_string()],
                )
                .await?;
        }
        Ok((Box::pin(storage.read(&key).await?), Some(size)))
    }

    /// Loads a batch's valid rows, records its rejected ones and the job's progress, all
    /// in one transaction; `Some` when the job ends here (lost or cancelled).
    #[expect(clippy::too_many_arguments, reason = "the job's whole state")]
    async fn commit_batch(
        &self,
        job: &Claimed,
        spec: &ImportSpec,
        table: &Table,
        catalog: &Catalog,
        caller: &Caller,
        batch: &mut Batch,
        progress: &mut Progress,
        lease: Duration,
    ) -> Result<Option<Ended>, Error> {
        let mut client = self.client(job.base_id).await?;
        let bound = client.statements();
        let mut transaction = client.transaction().await?;
        let items = std::mem::take(&mut batch.items);
        let mut written = 0;
        if !items.is_empty() {
            let (lines, items): (Vec<u64>, Vec<Item>) = items.into_iter().unzip();
            let plan = Plan::UpsertRecords { table: table.id, key: spec.key, items };
            shared::policy::check(&plan, catalog, caller)?;
            let all = self.load(&mut transaction, &bound, job, catalog, caller, &plan, spec.dry_run).await?;
            match all {
                Ok(count) => written = count,
                // One row spoils the batch: load row by row to learn which.
                Err(_) => {
                    let Plan::UpsertRecords { items, .. } = plan else {
                        return Err(bug("a batch is not an upsert"));
                    };
                    for (line, item) in lines.into_iter().zip(items) {
                        let single = Plan::UpsertRecords { table: table.id, key: spec.key, items: vec![item] };
                        match self.load(&mut transaction, &bound, job, catalog, caller, &single, spec.dry_run).await? {
                            Ok(count) => written += count,
                            Err(error) => batch.reject(line, vec![error]),
                        }
                    }
                }
            }
        }
        progress.written = i64::try_from(written).map_err(bug)?;
        let rejected = std::mem::take(&mut batch.errors);
        progress.errors = i64::try_from(rejected.len()).map_err(bug)?;
        if !rejected.is_empty() {
            let rows: Vec<serde_json::Value> = rejected
                .into_iter()
                .map(|(line, error)| {
                    serde_json::json!({
                        "line": line,
                        "field": error.details.get("field").and_then(|field| field.as_str()).unwrap_or(""),
                        "code": error.code.as_str(),
                        "message": error.message,
                    })
                })
                .collect();
            transaction
                .execute(
                    "INSERT INTO nc.job_errors (job_id, line, field, code, message) \
                     SELECT $1::text::uuid, line, field, code, message FROM jsonb_to_recordset($2::text::jsonb) \
                     AS e(line bigint, field text, code text, message text) \
                     WHERE (SELECT count(*) FROM nc.job_errors WHERE job_id = $1::text::uuid) < $3 \
                     ON CONFLICT DO NOTHING",
                    &[&job.id.to_string(), &serde_json::Value::from(rows).to_string(), &bulk::MAX_REPORTED_ERRORS],
                )
                .await?;
        }
        batch.keys.clear();
        match self.heartbeat(&transaction, job, lease, progress).await? {
            None => return Ok(Some(Ended::Lost)),
            Some(cancel) => {
                transaction.commit().await?;
                if cancel {
                    return Ok(Some(Ended::Cancelled));
                }
            }
        }
        Ok(None)
    }

    /// Runs an upsert plan inside a savepoint of `transaction`: the rows it wrote, or the
    /// client's error that undid it. A dry run undoes it either way.
    #[expect(clippy::too_many_arguments, reason = "the batch's transaction and whose rows it writes")]
    async fn load(
        &self,
        transaction: &mut deadpool_postgres::Transaction<'_>,
        bound: &crate::pools::Statements,
        job: &Claimed,
        catalog: &Catalog,
        caller: &Caller,
        plan: &Plan,
        dry_run: bool,
    ) -> Result<Result<usize, ApiError>, Error> {
        let database = AtomicU64::new(0);
        let principal = &job.stored.principal;
        let request = Request { catalog, plan, principal, caller, request_id: &job.request_id, database: &database };
        let statements = lower_all(&request)?;
        let savepoint = transaction.savepoint("batch").await?;
        match self.apply(&savepoint, bound, &request, &statements).await {
            Ok(_) => {
                if dry_run {
                    savepoint.rollback().await?;
                } else {
                    savepoint.commit().await?;
                }
                let Plan::UpsertRecords { items, .. } = plan else { return Ok(Ok(0)) };
                Ok(Ok(items.len()))
            }
            Err(Error::Api(error)) => {
                savepoint.rollback().await?;
                Ok(Err(error))
            }
            Err(error) => Err(error),
        }
    }

    /// The rejected rows as CSV in the store, when there are any.
    async fn error_report(&self, job: &Claimed) -> Result<Option<String>, Error> {
        let client = self.client(job.base_id).await?;
        let rows = client
            .query(
                "SELECT line, field, code, message FROM nc.job_errors WHERE job_id = $1::text::uuid ORDER BY line, field",
                &[&job.id.to_string()],
            )
            .await?;
        if rows.is_empty() {
            return Ok(None);
        }
        let mut csv = Vec::new();
        write_row(&mut csv, ["line", "field", "code", "message"].iter().map(|cell| cell.to_string()));
        for row in &rows {
            let line: i64 = row.try_get(0)?;
            let cells = [line.to_string(), row.try_get(1)?, row.try_get(2)?, row.try_get(3)?];
            write_row(&mut csv, cells.into_iter());
        }
        let key = format!("b/{}/jobs/{}/errors.csv", job.base_id.0.simple(), job.id.simple());
        let size = i64::try_from(csv.len()).map_err(bug)?;
        self.storage()?.put(&key, csv, "text/csv").await?;
        self.record_file(job, &key, "errors.csv", size, "error_report").await?;
        Ok(Some(key))
    }

    /// Records an object a job wrote, so that the sweeper deletes it with its retention.
    pub(crate) async fn record_file(
        &self,
        job: &Claimed,
        key: &str,
        name: &str,
        size: i64,
        purpose: &str,
    ) -> Result<(), Error> {
        self.client(job.base_id)
            .await?
            .execute(
                "INSERT INTO nc.files (id, base_id, object_key, name, size, content_type, purpose, state, created_by, \
                 committed_at) VALUES ($1::text::uuid, $2::text::uuid, $3, $4, $5, 'text/csv', $6, 'committed', $7, now()) \
                 ON CONFLICT (object_key) DO NOTHING",
                &[
                    &uuid::Uuid::new_v4().to_string(),
                    &job.base_id.0.to_string(),
                    &key,
                    &name,
                    &size,
                    &purpose,
                    &job.stored.principal.actor(),
                ],
            )
            .await?;
        Ok(())
    }

    async fn export(&self, job: &Claimed, plan: &Plan, lease: Duration) -> Result<Ended, Error> {
        let (caller, catalog) = self.job_caller(job, Scope::Read).await?;
        let Plan::ListRecords { table, fields, .. } = plan else {
            return Err(bug("an export's plan is not a list"));
        };
        let table = job_table(&catalog, *table)?;
        shared::policy::check(plan, &catalog, &caller)?;
        // The columns: the asked fields, or every field the caller may read, in the table's order.
        let readable = caller.applied(table);
        let names: Vec<&str> = table
            .fields
            .iter()
            .filter(|field| match fields {
                Some(fields) => fields.contains(&field.id),
                None => readable.as_ref().is_none_or(|applied| applied.can_read(field.id)),
            })
            .map(|field| field.name.as_str())
            .collect();
        let database = AtomicU64::new(0);
        let principal = &job.stored.principal;
        let request = Request {
            catalog: &catalog,
            plan,
            principal,
            caller: &caller,
            request_id: &job.request_id,
            database: &database,
        };
        let sql = lower_one(&request)?;
        let storage = self.storage()?;
        let key = format!("b/{}/jobs/{}/export.csv", job.base_id.0.simple(), job.id.simple());
        let upload = storage.start_multipart(&key, "text/csv").await?;
        let outcome = self.export_rows(job, &sql, &names, storage, &key, &upload, lease).await;
        match outcome {
            Ok(Some((etags, size))) => {
                storage.complete_multipart(&key, &upload, &etags).await?;
                self.record_file(job, &key, "export.csv", size, "export").await?;
                Ok(Ended::Done(SavedResult { export_key: Some(key), ..SavedResult::default() }))
            }
            Ok(None) | Err(_) => {
                if let Err(error) = storage.abort_multipart(&key, &upload).await {
                    tracing::warn!(job = %job.id, %error, "aborting an export's upload failed");
                }
                outcome.map(|_| Ended::Cancelled)
            }
        }
    }

    /// Streams the records of one snapshot into the upload's parts; their ETags, or none
    /// when the job was cancelled.
    #[expect(clippy::too_many_arguments, reason = "the export's whole state")]
    async fn export_rows(
        &self,
        job: &Claimed,
        sql: &shared::lower::Sql,
        names: &[&str],
        storage: &Storage,
        key: &str,
        upload: &str,
        lease: Duration,
    ) -> Result<Option<(Vec<String>, i64)>, Error> {
        let mut client = self.client(job.base_id).await?;
        let transaction = client
            .build_transaction()
            .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .await?;
        let statement = transaction.prepare(&sql.text).await?;
        let portal = transaction.bind(&statement, &crate::pools::params(sql)).await?;
        let mut part = Vec::with_capacity(PART_BYTES + 64 * 1024);
        let mut header = vec!["id".to_owned()];
        header.extend(names.iter().map(|name| name.to_string()));
        header.extend(["created_at".to_owned(), "updated_at".to_owned()]);
        write_row(&mut part, header.into_iter());
        let mut etags = Vec::new();
        let mut progress = Progress::default();
        let mut uploaded = 0_i64;
        loop {
            let rows = transaction.query_portal(&portal, EXPORT_FETCH).await?;
            let end = rows.len() < usize::try_from(EXPORT_FETCH).map_err(bug)?;
            for row in &rows {
                let record: serde_json::Value = serde_json::from_str(row.try_get(0)?).map_err(bug)?;
                let text = |value: &serde_json::Value| match value {
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                let cells = std::iter::once(text(&record["id"]))
                    .chain(names.iter().map(|name| text(&record["values"][*name])))
                    .chain([text(&record["created_at"]), text(&record["updated_at"])]);
                write_row(&mut part, cells);
            }
            progress.rows_read += i64::try_from(rows.len()).map_err(bug)?;
            if part.len() >= PART_BYTES || end {
                if !part.is_empty() || etags.is_empty() {
                    let number = u32::try_from(etags.len() + 1).map_err(bug)?;
                    uploaded += i64::try_from(part.len()).map_err(bug)?;
                    etags.push(storage.upload_part(key, upload, number, std::mem::take(&mut part)).await?);
                }
                progress.bytes_read = uploaded;
                let mut beat = self.client(job.base_id).await?;
                let beat = beat.transaction().await?;
                match self.heartbeat(&beat, job, lease, &progress).await? {
                    None => return Err(storage_error(anyhow::anyhow!("the export lost its lease"))),
                    Some(cancel) => {
                        beat.commit().await?;
                        if cancel {
                            return Ok(None);
                        }
                    }
                }
            }
            if end {
                return Ok(Some((etags, uploaded)));
            }
        }
    }
}

/// Counts a batch adds to its job's row.
#[derive(Default)]
pub(crate) struct Progress {
    pub(crate) rows_read: i64,
    pub(crate) written: i64,
    pub(crate) bytes_read: i64,
    pub(crate) bytes_total: Option<i64>,
    pub(crate) errors: i64,
}

#[derive(Default)]
struct Batch {
    items: Vec<(u64, Item)>,
    keys: HashSet<String>,
    errors: Vec<(u64, ApiError)>,
}

impl Batch {
    fn len(&self) -> usize {
        self.items.len() + self.errors.len()
    }

    fn reject(&mut self, line: u64, errors: Vec<ApiError>) {
        self.errors.extend(errors.into_iter().map(|error| (line, error)));
    }
}

/// What makes two rows the same record: the key field's value, or the id.
fn batch_key(item: &Item, key: Option<shared::ids::FieldId>) -> Option<String> {
    match key {
        Some(key) => item.values.iter().find(|a| a.field == key).and_then(|a| a.value.clone()),
        None => item.id.map(|id| id.to_string()),
    }
}

/// Appends one CSV row (RFC 4180: a cell with a comma, quote or line break is quoted).
fn write_row(out: &mut Vec<u8>, cells: impl Iterator<Item = String>) {
    for (index, cell) in cells.enumerate() {
        if index > 0 {
            out.push(b',');
        }
        if cell.bytes().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
            || cell.starts_with(' ')
            || cell.ends_with(' ')
        {
            out.push(b'"');
            out.extend_from_slice(cell.replace('"', "\"\"").as_bytes());
            out.push(b'"');
        } else {
            out.extend_from_slice(cell.as_bytes());
        }
    }
    out.extend_from_slice(b"\r\n");
}

type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>;

/// One CSV record: its fields' bytes and where each ends, and the line it starts on.
struct Record {
    bytes: Vec<u8>,
    ends: Vec<usize>,
    line: u64,
    too_long: bool,
}

impl Record {
    fn cells(&self) -> Result<Vec<&str>, ApiError> {
        if self.too_long {
            return Err(ApiError::new(
                ErrorCode::PayloadTooLarge,
                format!("The row is longer than {} bytes.", bulk::MAX_RECORD_BYTES),
            )
            .with("field", "")
            .with("reason", "row_too_long"));
        }
        let mut start = 0;
        let mut cells = Vec::with_capacity(self.ends.len());
        for &end in &self.ends {
            let cell = std::str::from_utf8(&self.bytes[start..end]).map_err(|_| {
                ApiError::new(
                    ErrorCode::ValidationError,
                    "The row is not valid UTF-8; give the file's 'encoding' (utf-16, windows-1252, iso-8859-1).",
                )
                .with("field", "")
                .with("reason", "encoding")
            })?;
            cells.push(cell);
            start = end;
        }
        Ok(cells)
    }
}

/// CSV records from a byte stream, decoded to UTF-8, in bounded memory: a record longer
/// than `MAX_RECORD_BYTES` is read through and reported, not kept.
struct CsvRecords {
    source: ByteStream,
    decoder: Option<encoding_rs::Decoder>,
    reader: csv_core::Reader,
    input: Vec<u8>,
    position: usize,
    finished: bool,
    first: bool,
    bytes_read: u64,
}

impl CsvRecords {
    fn new(source: ByteStream, encoding: Encoding, delimiter: u8) -> CsvRecords {
        let decoder = match encoding {
            Encoding::Utf8 => None,
            Encoding::Utf16 => Some(encoding_rs::UTF_16LE.new_decoder()),
            Encoding::Windows1252 => Some(encoding_rs::WINDOWS_1252.new_decoder()),
        };
        let reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        CsvRecords {
            source,
            decoder,
            reader,
            input: Vec::new(),
            position: 0,
            finished: false,
            first: true,
            bytes_read: 0,
        }
    }

    fn bytes_read(&self) -> i64 {
        i64::try_from(self.bytes_read).unwrap_or(i64::MAX)
    }

    /// Reads the next chunk into `input`; false at the end of the stream.
    async fn fill(&mut self) -> Result<bool, Error> {
        let Some(chunk) = self.source.next().await.transpose()? else {
            self.input.clear();
            self.position = 0;
            if let Some(decoder) = &mut self.decoder {
                let mut tail = vec![0; 16];
                let (_, _, written, _) = decoder.decode_to_utf8(&[], &mut tail, true);
                tail.truncate(written);
                self.input = tail;
                return Ok(!self.input.is_empty());
            }
            return Ok(false);
        };
        self.bytes_read += chunk.len() as u64;
        self.input.clear();
        self.position = 0;
        match &mut self.decoder {
            None => self.input.extend_from_slice(&chunk),
            Some(decoder) => {
                let capacity = decoder.max_utf8_buffer_length(chunk.len()).unwrap_or(chunk.len() * 3 + 16);
                self.input.resize(capacity, 0);
                let (_, _, written, _) = decoder.decode_to_utf8(&chunk, &mut self.input, false);
                self.input.truncate(written);
            }
        }
        if self.first && self.decoder.is_none() && self.input.starts_with(b"\xEF\xBB\xBF") {
            self.position = 3;
        }
        self.first = self.first && self.input.is_empty();
        Ok(true)
    }

    async fn next(&mut self) -> Result<Option<Record>, Error> {
        loop {
            let line = self.reader.line();
            let mut record = Record { bytes: vec![0; 1024], ends: vec![0; 16], line, too_long: false };
            let (mut written, mut ended) = (0, 0);
            loop {
                if self.position >= self.input.len() && !self.finished && !self.fill().await? {
                    self.finished = true;
                }
                let input = &self.input[self.position.min(self.input.len())..];
                let (result, read, out, ends) =
                    self.reader.read_record(input, &mut record.bytes[written..], &mut record.ends[ended..]);
                self.position += read;
                written += out;
                ended += ends;
                match result {
                    csv_core::ReadRecordResult::InputEmpty => {}
                    csv_core::ReadRecordResult::OutputFull => {
                        if record.bytes.len() >= bulk::MAX_RECORD_BYTES {
                            // Read on to the record's end, keeping nothing.
                            record.too_long = true;
                            written = 0;
                            ended = 0;
                        } else {
                            let grown = (record.bytes.len() * 2).min(bulk::MAX_RECORD_BYTES);
                            record.bytes.resize(grown, 0);
                        }
                    }
                    csv_core::ReadRecordResult::OutputEndsFull => {
                        if record.ends.len() > bulk::MAX_COLUMNS {
                            record.too_long = true;
                            ended = 0;
                        } else {
                            let grown = record.ends.len() * 2;
                            record.ends.resize(grown, 0);
                        }
                    }
                    csv_core::ReadRecordResult::Record => {
                        record.bytes.truncate(written);
                        record.ends.truncate(ended);
                        // A blank line is no record.
                        if !record.too_long && written == 0 && ended <= 1 {
                            break;
                        }
                        return Ok(Some(record));
                    }
                    csv_core::ReadRecordResult::End => return Ok(None),
                }
            }
        }
    }
}
