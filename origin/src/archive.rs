//! Base archives ([`shared::archive`]): exporting a base, restoring an archive into a
//! new base, and cloning a base (an export the restore reads at once), all as jobs.
//!
//! An export reads one snapshot: a `REPEATABLE READ` transaction that first locks every
//! table of the catalog it read (`ACCESS SHARE`, so no DDL changes them while it runs)
//! and then checks that the catalog did not change meanwhile. Records leave as `COPY`
//! text and return by `COPY FROM`, the cheapest way through Postgres both ways.
//!
//! A restore fills a base created for it (flagged `restoring`, so that nothing else
//! changes it): the tables without their constraints, the records, the files, then the
//! constraints (which check every restored record), and last the catalog rows in one
//! control-plane transaction, which is when the base appears whole. A restore that runs
//! again (its worker died) starts over from an empty schema; one that fails deletes its
//! base (soft, like any deleted base).

pub mod operator;

use crate::error::{Error, bug};
use crate::execute::Executor;
use crate::jobs::{Claimed, Ended, Progress, SavedResult};
use crate::storage::{Storage, storage_error};
use futures_util::{Stream, StreamExt};
use hyper::body::Bytes;
use serde_json::{Value, json};
use shared::archive::{self, Contents, Header, IdMap, RestoreSource, Restored, Section};
use shared::bulk::BulkRequest;
use shared::catalog::{Catalog, FieldType};
use shared::envelope::Principal;
use shared::error::{ApiError, ErrorCode};
use shared::ids::{BaseId, UserId, WorkspaceId};
use shared::lower::{qualified_table, quote_ident};
use shared::manage::{Action, Command, Target};
use std::collections::BTreeMap;
use std::io::Write;
use std::pin::Pin;
use std::time::Duration;

/// Compressed bytes an archive uploads per part (S3 parts are at least 5 MiB, but the last).
const PART_BYTES: usize = 8 * 1024 * 1024;
/// Records a restore loads between two signs of life.
const RESTORE_BEAT: i64 = 50_000;
/// Times an export reads the catalog again when a schema change slipped in before its locks.
const SNAPSHOT_TRIES: usize = 3;

type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>;

/// The control-plane rows an archive keeps, each query given the base's id. The columns
/// are whatever the table has (`to_jsonb`); a restore inserts those its own table has.
const CONTROL_ROWS: [(&str, &str); 6] = [
    (
        "tables",
        "SELECT to_jsonb(t) FROM tables t WHERE t.base_id = $1 AND t.deleted_at IS NULL ORDER BY t.created_at, t.id",
    ),
    (
        "fields",
        "SELECT to_jsonb(f) FROM fields f JOIN tables t ON t.id = f.table_id \
         WHERE t.base_id = $1 AND t.deleted_at IS NULL AND f.deleted_at IS NULL ORDER BY f.position, f.id",
    ),
    (
        "table_aliases",
        "SELECT to_jsonb(a) FROM table_aliases a JOIN tables t ON t.id = a.table_id \
         WHERE a.base_id = $1 AND t.deleted_at IS NULL AND a.expires_at > now() ORDER BY a.created_at, a.name",
    ),
    (
        "field_aliases",
        "SELECT to_jsonb(a) FROM field_aliases a JOIN fields f ON f.id = a.field_id JOIN tables t ON t.id = f.table_id \
         WHERE t.base_id = $1 AND t.deleted_at IS NULL AND f.deleted_at IS NULL AND a.expires_at > now() \
         ORDER BY a.created_at, a.name",
    ),
    (
        "views",
        "SELECT to_jsonb(v) FROM views v JOIN tables t ON t.id = v.table_id \
         WHERE v.base_id = $1 AND v.deleted_at IS NULL AND t.deleted_at IS NULL ORDER BY v.created_at, v.id",
    ),
    (
        "view_versions",
        "SELECT to_jsonb(d) FROM view_versions d JOIN views v ON v.id = d.view_id JOIN tables t ON t.id = v.table_id \
         WHERE v.base_id = $1 AND v.deleted_at IS NULL AND t.deleted_at IS NULL ORDER BY d.view_id, d.version",
    ),
];

impl Executor {
    /// Answers `ExportBase`, `RestoreBase` and `CloneBase` for `user`.
    pub(crate) async fn archive_command(
        &self,
        user: UserId,
        command: &Command,
        request_id: &str,
    ) -> Result<crate::execute::Answer, Error> {
        let manager = &self.manager;
        manager.active_user(user).await?;
        let actor = format!("user:{user}");
        let principal = Principal::User { user_id: user, scopes: Vec::new(), see_as: None };
        match command {
            Command::ExportBase { base, include_files } => {
                manager.authorize(user, Target::Base(*base), Action::AlterSchema).await?;
                self.storage()?;
                manager.refuse_restoring(*base).await?;
                let request = BulkRequest::ExportBase { include_files: *include_files };
                let client = self.client(*base).await?;
                let version = self.catalog(*base).await?.version;
                let answer =
                    self.create_job(&client, *base, None, "export_base", &principal, &request, version, request_id);
                let answer = answer.await?;
                let after = json!({ "include_files": include_files });
                self.audit_base(*base, &actor, "base.export", after, request_id).await?;
                Ok(answer)
            }
            Command::RestoreBase { workspace, name, from } => {
                manager.authorize(user, Target::Workspace(*workspace), Action::AlterSchema).await?;
                manager.authorize(user, Target::Base(from.base), Action::AlterSchema).await?;
                let key = self.archive_key(from).await?;
                // A file that is not an archive, or one too new, is refused now, not by the job.
                self.archive_header(&key).await?;
                let source = RestoreSource::Archive { key };
                let after = json!({ "from": from });
                self.start_restore(*workspace, name, source, &principal, &actor, after, request_id).await
            }
            Command::CloneBase { base, name, workspace, include_files } => {
                let home = manager.authorize(user, Target::Base(*base), Action::AlterSchema).await?;
                let workspace = workspace.unwrap_or(home);
                manager.authorize(user, Target::Workspace(workspace), Action::AlterSchema).await?;
                self.storage()?;
                manager.refuse_restoring(*base).await?;
                let source = RestoreSource::Base { base: *base, include_files: *include_files };
                let after = json!({ "from": { "base": base }, "include_files": include_files });
                self.start_restore(workspace, name, source, &principal, &actor, after, request_id).await
            }
            _ => Err(bug("not an archive command")),
        }
    }

    /// Creates the base a restore fills, and its job.
    #[expect(clippy::too_many_arguments, reason = "the restore's request, who asked and how it is audited")]
    async fn start_restore(
        &self,
        workspace: WorkspaceId,
        name: &str,
        source: RestoreSource,
        principal: &Principal,
        actor: &str,
        after: Value,
        request_id: &str,
    ) -> Result<crate::execute::Answer, Error> {
        let manager = &self.manager;
        let tenant = manager.tenant_of(workspace).await?;
        let plan = crate::usage::plan(&manager.control, tenant).await?;
        let created = manager.planes.create_base(tenant, Some(workspace), name, actor, Some(&plan), true).await;
        let base = created.map_err(|error| match error.downcast::<ApiError>() {
            Ok(refusal) => Error::Api(refusal),
            Err(error) => Error::Unavailable("The base could not be created; retry shortly.", error),
        })?;
        let client = self.client(base).await?;
        let request = BulkRequest::RestoreBase { source };
        let answer = self.create_job(&client, base, None, "restore_base", principal, &request, 1, request_id).await?;
        self.audit_base(base, actor, "base.restore", after, request_id).await?;
        let job: shared::bulk::Job = serde_json::from_slice(&answer.body).map_err(bug)?;
        let base = shared::resource::BaseSummary {
            id: base,
            name: name.to_owned(),
            workspace_id: Some(workspace),
            created_at: None,
            restoring: true,
        };
        crate::execute::Answer::json(202, &archive::Restoring { base, job })
    }

    async fn audit_base(
        &self,
        base: BaseId,
        actor: &str,
        action: &str,
        after: Value,
        request_id: &str,
    ) -> Result<(), Error> {
        let planes = &self.manager.planes;
        let tenant: uuid::Uuid = sqlx::query_scalar("SELECT tenant_id FROM bases WHERE id = $1")
            .bind(base.0)
            .fetch_one(&planes.control)
            .await?;
        let event = planes.audit_event(
            shared::ids::TenantId(tenant),
            Some(base),
            actor,
            action,
            base.to_string(),
            after,
            Some(request_id),
        );
        event.await.map_err(|error| Error::Unavailable("The audit log could not be written; retry.", error))
    }

    /// Where the archive a restore names is stored: an export job's result or an upload
    /// of the base.
    async fn archive_key(&self, from: &archive::ArchiveSource) -> Result<String, Error> {
        self.storage()?;
        let client = self.client(from.base).await?;
        let base = from.base.0.to_string();
        if let Some(job) = from.job {
            let row = client
                .query_opt(
                    "SELECT result::text FROM nc.jobs WHERE id = $1::text::uuid AND base_id = $2::text::uuid \
                     AND kind = 'export_base' AND state = 'succeeded'",
                    &[&job.to_string(), &base],
                )
                .await?;
            let saved: Option<SavedResult> = match row {
                Some(row) => serde_json::from_str(row.try_get::<_, Option<&str>>(0)?.unwrap_or("{}")).ok(),
                None => None,
            };
            return saved.and_then(|saved| saved.export_key).ok_or_else(|| {
                ApiError::new(ErrorCode::NotFound, "No export of that base that succeeded has this id (or it expired).")
                    .with("job", job.to_string())
                    .into()
            });
        }
        let file = from.file.ok_or_else(|| bug("a restore without a source"))?;
        let row = client
            .query_opt(
                "SELECT object_key, size, sha256 FROM nc.files WHERE id = $1::text::uuid AND base_id = $2::text::uuid \
                 AND purpose = 'upload' AND state <> 'deleting'",
                &[&file.to_string(), &base],
            )
            .await?
            .ok_or_else(|| {
                ApiError::new(ErrorCode::NotFound, "No upload of that base has this id.").with("file", file.to_string())
            })?;
        let (key, size, sha256): (String, i64, Option<String>) = (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
        if let Err(problem) = crate::files::verify_upload(self.storage()?, &key, size, sha256.as_deref()).await? {
            return Err(archive::archive_error(format!("The uploaded archive {problem}.")).into());
        }
        Ok(key)
    }

    /// The header of the archive at `key`, read from its first bytes.
    async fn archive_header(&self, key: &str) -> Result<Header, Error> {
        Lines::new(Box::pin(self.storage()?.read(key).await?)).header().await
    }

    /// Runs an `export_base` job.
    pub(crate) async fn export_base(
        &self,
        job: &Claimed,
        include_files: bool,
        lease: Duration,
    ) -> Result<Ended, Error> {
        self.job_admin(job, job.base_id).await?;
        let storage = self.storage()?;
        let key = format!("b/{}/jobs/{}/base{}", job.base_id.0.simple(), job.id.simple(), archive::SUFFIX);
        let mut beat = Beat { job, lease, progress: Progress::default() };
        let mut out = Parts::archive(storage, &key);
        let written = self.write_archive(job.base_id, include_files, &mut out, &mut beat).await;
        let name = match written {
            Ok(Some(name)) => name,
            Ok(None) | Err(_) => {
                out.abort().await;
                return written.map(|_| Ended::Cancelled);
            }
        };
        let size = out.finish().await?;
        self.record_file(job, &key, &format!("{name}{}", archive::SUFFIX), size, "export").await?;
        Ok(Ended::Done(SavedResult {
            export_key: Some(key),
            file_name: Some(format!("{name}{}", archive::SUFFIX)),
            ..SavedResult::default()
        }))
    }

    /// Writes `base` as an archive to `out`; its name, or none when the job was cancelled.
    async fn write_archive(
        &self,
        base: BaseId,
        include_files: bool,
        out: &mut Parts<'_>,
        beat: &mut Beat<'_>,
    ) -> Result<Option<String>, Error> {
        let control = &self.manager.control;
        let mut client = self.client(base).await?;
        let transaction = client
            .build_transaction()
            .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .await?;
        let mut catalog = None;
        for _ in 0..SNAPSHOT_TRIES {
            let read = crate::catalog::live_catalog(control, base).await?;
            for table in &read.tables {
                let target = qualified_table(base, table.id);
                transaction.batch_execute(&format!("LOCK TABLE {target} IN ACCESS SHARE MODE")).await?;
            }
            if crate::catalog::live_catalog(control, base).await?.version == read.version {
                catalog = Some(read);
                break;
            }
        }
        let catalog = catalog.ok_or_else(|| {
            ApiError::new(ErrorCode::ServiceUnavailable, "The base's schema kept changing; export it again.")
        })?;
        let row = sqlx::query_as::<_, (String, Option<i64>, Option<i64>, Vec<String>)>(
            "SELECT name, monthly_request_quota, upload_max_bytes, upload_content_types FROM bases WHERE id = $1",
        )
        .bind(base.0)
        .fetch_one(control)
        .await?;
        let (name, monthly_request_quota, upload_max_bytes, upload_content_types) = row;
        let mut counts = Vec::with_capacity(catalog.tables.len());
        for table in &catalog.tables {
            let sql = format!("SELECT count(*) FROM {}", qualified_table(base, table.id));
            counts.push(transaction.query_one(&sql, &[]).await?.try_get::<_, i64>(0)?);
        }
        let records: i64 = counts.iter().sum();
        beat.progress.bytes_total = None;
        beat.total(self, records).await?;
        let mut control_rows = BTreeMap::new();
        for (table, query) in CONTROL_ROWS {
            let rows: Vec<Value> = sqlx::query_scalar(query).bind(base.0).fetch_all(control).await?;
            control_rows.insert(table.to_owned(), rows);
        }
        let tokens: Vec<Value> = sqlx::query_scalar(
            "SELECT to_jsonb(t) - 'secret_sha256' FROM api_tokens t WHERE base_id = $1 ORDER BY created_at, id",
        )
        .bind(base.0)
        .fetch_all(control)
        .await?;
        let view_keys: Vec<Value> = sqlx::query_scalar(
            "SELECT to_jsonb(k) - 'secret_sha256' FROM view_keys k JOIN views v ON v.id = k.view_id \
             WHERE v.base_id = $1 AND v.deleted_at IS NULL ORDER BY k.created_at, k.id",
        )
        .bind(base.0)
        .fetch_all(control)
        .await?;
        let base_text = base.0.to_string();
        let json_rows = |rows: Vec<tokio_postgres::Row>| -> Result<Vec<Value>, Error> {
            rows.iter().map(|row| serde_json::from_str(row.try_get(0)?).map_err(bug)).collect()
        };
        let webhooks = json_rows(
            transaction
                .query(
                    "SELECT (to_jsonb(w) - 'secret' - 'position')::text FROM nc.webhooks w \
                     WHERE base_id = $1::text::uuid ORDER BY created_at, id",
                    &[&base_text],
                )
                .await?,
        )?;
        let files = json_rows(
            transaction
                .query(
                    "SELECT to_jsonb(f)::text FROM nc.files f WHERE base_id = $1::text::uuid AND field_id IS NOT NULL \
                     AND state = 'committed' AND detached_at IS NULL ORDER BY created_at, id",
                    &[&base_text],
                )
                .await?,
        )?;
        let exported_at = shared::s3::iso_time(crate::clock::now_ms());
        let header = Header::new(base, &name, exported_at, records, include_files);
        out.line(&serde_json::to_vec(&header).map_err(bug)?).await?;
        let settings = archive::Settings { monthly_request_quota, upload_max_bytes, upload_content_types };
        let file_list = files.clone();
        let contents = Contents { catalog, settings, control: control_rows, tokens, view_keys, webhooks, files };
        out.line(&serde_json::to_vec(&contents).map_err(bug)?).await?;
        for (table, count) in contents.catalog.tables.iter().zip(counts) {
            let columns = physical_columns(table);
            let section = Section::Records { table: table.id, columns: columns.clone(), count };
            out.line(&serde_json::to_vec(&section).map_err(bug)?).await?;
            let list: Vec<String> = columns.iter().map(|column| quote_ident(column)).collect();
            let copy = format!("COPY {} ({}) TO STDOUT", qualified_table(base, table.id), list.join(", "));
            let mut rows = std::pin::pin!(transaction.copy_out(copy.as_str()).await?);
            while let Some(chunk) = rows.next().await {
                let chunk = chunk?;
                beat.progress.rows_read += chunk.iter().filter(|byte| **byte == b'\n').count() as i64;
                out.write(&chunk).await?;
                if out.flushed() && !beat.beat(self, out.size).await? {
                    return Ok(None);
                }
            }
            out.line(archive::END_OF_DATA.as_bytes()).await?;
        }
        let mut objects = 0;
        if include_files {
            let storage = self.storage()?;
            for file in &file_list {
                let (Some(id), Some(key), Some(size)) =
                    (file["id"].as_str(), file["object_key"].as_str(), file["size"].as_i64())
                else {
                    return Err(bug("a file row without its id, key or size"));
                };
                let section = Section::Object { file: id.parse().map_err(bug)?, size };
                out.line(&serde_json::to_vec(&section).map_err(bug)?).await?;
                let mut bytes = std::pin::pin!(storage.read(key).await?);
                let mut pending = Vec::with_capacity(archive::OBJECT_CHUNK);
                while let Some(chunk) = bytes.next().await {
                    pending.extend_from_slice(&chunk?);
                    while pending.len() >= archive::OBJECT_CHUNK {
                        let rest = pending.split_off(archive::OBJECT_CHUNK);
                        out.line(base64_line(&pending).as_bytes()).await?;
                        pending = rest;
                    }
                    if out.flushed() && !beat.beat(self, out.size).await? {
                        return Ok(None);
                    }
                }
                if !pending.is_empty() {
                    out.line(base64_line(&pending).as_bytes()).await?;
                }
                out.line(archive::END_OF_DATA.as_bytes()).await?;
                objects += 1;
            }
        }
        let end = Section::End { records: beat.progress.rows_read, objects };
        out.line(&serde_json::to_vec(&end).map_err(bug)?).await?;
        transaction.commit().await?;
        if !beat.beat(self, out.size).await? {
            return Ok(None);
        }
        Ok(Some(name))
    }

    /// Runs a `restore_base` job: fills the job's base, or deletes it when that fails.
    pub(crate) async fn restore_base(
        &self,
        job: &Claimed,
        source: &RestoreSource,
        lease: Duration,
    ) -> Result<Ended, Error> {
        let outcome = self.restore_into(job, source, lease).await;
        if matches!(outcome, Err(_) | Ok(Ended::Cancelled)) {
            let deleted = sqlx::query("UPDATE bases SET deleted_at = now(), restoring = false WHERE id = $1")
                .bind(job.base_id.0)
                .execute(&self.manager.planes.control)
                .await;
            if let Err(error) = deleted {
                tracing::warn!(job = %job.id, %error, "deleting the base of a failed restore failed");
            }
        }
        outcome
    }

    async fn restore_into(&self, job: &Claimed, source: &RestoreSource, lease: Duration) -> Result<Ended, Error> {
        self.job_admin(job, job.base_id).await?;
        let storage = self.storage()?;
        let mut beat = Beat { job, lease, progress: Progress::default() };
        let key = match source {
            RestoreSource::Archive { key } => key.clone(),
            RestoreSource::Base { base, include_files } => {
                // A clone: the source's archive first, kept with the job like an export's.
                self.job_admin(job, *base).await?;
                let key = format!("b/{}/jobs/{}/clone{}", job.base_id.0.simple(), job.id.simple(), archive::SUFFIX);
                let mut out = Parts::archive(storage, &key);
                let written = self.write_archive(*base, *include_files, &mut out, &mut beat).await;
                match written {
                    Ok(Some(name)) => {
                        let size = out.finish().await?;
                        self.record_file(job, &key, &format!("{name}{}", archive::SUFFIX), size, "export").await?;
                    }
                    Ok(None) | Err(_) => {
                        out.abort().await;
                        return written.map(|_| Ended::Cancelled);
                    }
                }
                key
            }
        };
        beat.progress =
            Progress { bytes_total: storage.size(&key).await?.map(|size| size as i64), ..Progress::default() };
        let mut lines = Lines::new(Box::pin(storage.read(&key).await?));
        let header = lines.header().await?;
        beat.total(self, header.records).await?;
        let contents = lines.next(archive::MAX_LINE).await?.ok_or_else(truncated)?;
        let contents: Contents = serde_json::from_slice(contents)
            .map_err(|error| archive::archive_error(format!("The archive's catalog does not read: {error}.")))?;
        let (catalog, map) = remap(&contents, job.base_id)?;
        let mut summary = Restored {
            source: header.base,
            tables: catalog.tables.len() as i64,
            tokens_not_restored: contents.tokens.len() as i64,
            view_keys_not_restored: contents.view_keys.len() as i64,
            ..Restored::default()
        };

        // The tables, without what would check each record as it arrives.
        let admin = self.manager.planes.data(job.base_id).await?;
        let schema = quote_ident(&job.base_id.schema_name());
        let mut transaction = admin.begin().await?;
        sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE")).execute(&mut *transaction).await?;
        crate::store::run_steps(&mut transaction, &shared::ddl::restore_tables(&catalog)).await?;
        transaction.commit().await?;

        // The records, then the objects, as the archive holds them.
        let mut restored_files = std::collections::HashSet::new();
        let mut objects = 0_i64;
        loop {
            let line = lines.next(archive::MAX_LINE).await?.ok_or_else(truncated)?;
            let section: Section = serde_json::from_slice(line)
                .map_err(|error| archive::archive_error(format!("An archive section does not read: {error}.")))?;
            match section {
                Section::Records { table, columns, .. } => {
                    let new_table = map.get(table.0).map(shared::ids::TableId).ok_or_else(inconsistent)?;
                    let target = catalog.table_by_id(new_table).ok_or_else(inconsistent)?;
                    let stored = physical_columns(target);
                    let columns: Vec<String> = columns.iter().map(|column| map.text(column)).collect();
                    if columns.iter().any(|column| !stored.contains(column)) {
                        return Err(inconsistent().into());
                    }
                    let list: Vec<String> = columns.iter().map(|column| quote_ident(column)).collect();
                    let copy =
                        format!("COPY {} ({}) FROM STDIN", qualified_table(job.base_id, new_table), list.join(", "));
                    let mut connection = admin.acquire().await?;
                    let mut sink = connection.copy_in_raw(&copy).await?;
                    let mut batch = Vec::with_capacity(1024 * 1024);
                    let mut since_beat = 0;
                    loop {
                        let row = lines.next(archive::MAX_LINE).await?.ok_or_else(truncated)?;
                        if row == archive::END_OF_DATA.as_bytes() {
                            break;
                        }
                        batch.extend_from_slice(row);
                        batch.push(b'\n');
                        since_beat += 1;
                        if batch.len() >= 1024 * 1024 {
                            sink.send(std::mem::take(&mut batch)).await?;
                        }
                        if since_beat == RESTORE_BEAT {
                            beat.progress.written = since_beat;
                            beat.progress.bytes_read = lines.read;
                            summary.records += since_beat;
                            since_beat = 0;
                            if !beat.beat(self, 0).await? {
                                sink.abort("cancelled").await?;
                                return Ok(Ended::Cancelled);
                            }
                        }
                    }
                    if !batch.is_empty() {
                        sink.send(batch).await?;
                    }
                    sink.finish().await?;
                    summary.records += since_beat;
                    beat.progress.written = since_beat;
                }
                Section::Object { file, .. } => {
                    let content_type = contents
                        .files
                        .iter()
                        .find(|row| row["id"].as_str() == Some(file.to_string().as_str()))
                        .and_then(|row| row["content_type"].as_str())
                        .ok_or_else(inconsistent)?;
                    let key = shared::bulk::upload_key(job.base_id, file);
                    let mut object = Parts::new(storage, &key, content_type, false);
                    loop {
                        let line = lines.next(archive::MAX_LINE).await?.ok_or_else(truncated)?;
                        if line == archive::END_OF_DATA.as_bytes() {
                            break;
                        }
                        use base64::Engine;
                        let bytes = base64::engine::general_purpose::STANDARD.decode(line).map_err(|_| {
                            archive::archive_error("A file's bytes in the archive are not base64.".into())
                        })?;
                        object.write(&bytes).await?;
                    }
                    object.finish().await?;
                    restored_files.insert(file);
                    objects += 1;
                }
                Section::End { objects: expected, .. } => {
                    if expected != objects {
                        return Err(truncated().into());
                    }
                    break;
                }
            }
            beat.progress.bytes_read = lines.read;
            if !beat.beat(self, 0).await? {
                return Ok(Ended::Cancelled);
            }
        }

        // Attachments: the files whose bytes came along; the others' fields are emptied.
        let client = self.client(job.base_id).await?;
        let new_base = job.base_id.0.to_string();
        for file in &contents.files {
            let id: Option<uuid::Uuid> = file["id"].as_str().and_then(|id| id.parse().ok());
            let Some(id) = id.filter(|id| restored_files.contains(id)) else {
                summary.files_omitted += 1;
                continue;
            };
            let row = map.value(file);
            client
                .execute(
                    "INSERT INTO nc.files (id, base_id, object_key, name, size, content_type, sha256, purpose, state, \
                     created_by, created_at, committed_at, table_id, field_id) \
                     SELECT id, $2::text::uuid, $3, name, size, content_type, sha256, 'upload', 'committed', created_by, \
                     created_at, committed_at, table_id, field_id FROM jsonb_populate_record(NULL::nc.files, $1::text::jsonb)",
                    &[&row.to_string(), &new_base, &shared::bulk::upload_key(job.base_id, id)],
                )
                .await?;
            summary.files += 1;
        }
        if summary.files_omitted > 0 {
            for table in &catalog.tables {
                for field in
                    table.fields.iter().filter(|field| field.field_type == FieldType::File && field.is_stored())
                {
                    let empty = if field.required { "'[]'::jsonb" } else { "NULL" };
                    let sql = format!(
                        "UPDATE {} SET {} = {empty}",
                        qualified_table(job.base_id, table.id),
                        quote_ident(&field.id.column_name())
                    );
                    sqlx::query(&sql).execute(admin).await?;
                }
            }
        }

        // The constraints, each checking every restored record.
        let constraints = shared::ddl::restore_constraints(&catalog).map_err(|error| bug(error.to_string()))?;
        for step in &constraints {
            crate::store::bound(step).execute(admin).await?;
        }

        // Webhooks, disabled until an admin takes their new secret.
        let position = crate::changes::encode(&crate::changes::now(&client).await?)?;
        for hook in &contents.webhooks {
            let row = map.value(hook);
            let secret = crate::webhooks::new_secret()?;
            client
                .execute(
                    "INSERT INTO nc.webhooks (id, base_id, name, url, events, tables, filter, secret, position, enabled, \
                     disabled_reason, created_by, created_at) \
                     SELECT id, $2::text::uuid, name, url, events, tables, filter, $3, $4, false, \
                     'Restored from an archive: rotate its secret, then enable it.', created_by, created_at \
                     FROM jsonb_populate_record(NULL::nc.webhooks, $1::text::jsonb)",
                    &[&row.to_string(), &new_base, &secret, &position],
                )
                .await?;
            summary.webhooks_disabled += 1;
        }

        // The catalog, at once: the base appears whole.
        let control = &self.manager.planes.control;
        let mut transaction = control.begin().await?;
        if contents.control.keys().any(|table| !CONTROL_ROWS.iter().any(|(name, _)| name == table)) {
            return Err(inconsistent().into());
        }
        // In the order of their references.
        for (table, _) in CONTROL_ROWS {
            let rows = contents.control.get(table).map(Vec::as_slice).unwrap_or_default();
            let columns: Vec<String> = sqlx::query_scalar(
                "SELECT column_name::text FROM information_schema.columns WHERE table_schema = current_schema() \
                 AND table_name = $1 ORDER BY ordinal_position",
            )
            .bind(table)
            .fetch_all(&mut *transaction)
            .await?;
            for row in rows {
                let mut row = map.value(row);
                if let Some(members) = row.as_object_mut() {
                    if members.contains_key("base_id") {
                        members.insert("base_id".into(), json!(new_base));
                    }
                    if table == "views" {
                        if members.get("published") == Some(&json!(true)) {
                            let name = members.get("name").and_then(Value::as_str).unwrap_or_default();
                            summary.views_to_publish.push(name.to_owned());
                        }
                        members.insert("published".into(), json!(false));
                        members.insert("slug".into(), Value::Null);
                        members.insert("published_version".into(), Value::Null);
                    }
                }
                let present: Vec<String> = columns
                    .iter()
                    .filter(|column| row.get(column.as_str()).is_some())
                    .map(|column| quote_ident(column))
                    .collect();
                let target = quote_ident(table);
                let list = present.join(", ");
                let sql = format!(
                    "INSERT INTO {target} ({list}) SELECT {list} FROM jsonb_populate_record(NULL::{target}, $1::jsonb)"
                );
                sqlx::query(&sql).bind(&row).execute(&mut *transaction).await?;
            }
        }
        let settings = &contents.settings;
        sqlx::query(
            "UPDATE bases SET restoring = false, catalog_version = catalog_version + 1, monthly_request_quota = $2, \
             upload_max_bytes = $3, upload_content_types = $4 WHERE id = $1",
        )
        .bind(job.base_id.0)
        .bind(settings.monthly_request_quota)
        .bind(settings.upload_max_bytes)
        .bind(&settings.upload_content_types)
        .execute(&mut *transaction)
        .await?;
        // What the catalog rows say is what the tables were made from.
        let loaded = crate::catalog::load_catalog(&mut transaction, job.base_id).await?.ok_or_else(inconsistent)?;
        if loaded.tables != catalog.tables {
            return Err(inconsistent().into());
        }
        transaction.commit().await?;
        beat.progress.bytes_read = lines.read;
        beat.beat(self, 0).await?;
        Ok(Ended::Done(SavedResult { restored: Some(summary), ..SavedResult::default() }))
    }

    /// Checks, when a base job runs, that whoever started it still administers `base`, or
    /// is still an operator of the platform (`origin admin export-base` and the like).
    async fn job_admin(&self, job: &Claimed, base: BaseId) -> Result<(), Error> {
        let Principal::User { user_id, .. } = &job.stored.principal else {
            return Err(bug("a base job started by a token"));
        };
        self.control.ensure_active(base, false).await?;
        match self.manager.authorize(*user_id, Target::Base(base), Action::AlterSchema).await {
            Err(refused) if !self.manager.is_operator(*user_id).await? => Err(refused),
            _ => Ok(()),
        }
    }
}

/// The archive's catalog with new ids: `base` for the base, new ones for its tables,
/// fields, views and webhooks. Record and file ids stay.
fn remap(contents: &Contents, base: BaseId) -> Result<(Catalog, IdMap), Error> {
    let mut map = IdMap::default();
    map.insert(contents.catalog.base_id.0, || base.0);
    for table in &contents.catalog.tables {
        map.insert(table.id.0, uuid::Uuid::new_v4);
        for field in &table.fields {
            map.insert(field.id.0, uuid::Uuid::new_v4);
        }
    }
    let ids = |rows: &[Value]| -> Vec<uuid::Uuid> {
        rows.iter().filter_map(|row| row["id"].as_str().and_then(|id| id.parse().ok())).collect()
    };
    for id in ids(contents.control.get("views").map(Vec::as_slice).unwrap_or_default()) {
        map.insert(id, uuid::Uuid::new_v4);
    }
    for id in ids(&contents.webhooks) {
        map.insert(id, uuid::Uuid::new_v4);
    }
    let catalog = serde_json::to_value(&contents.catalog).map_err(bug)?;
    let mut catalog: Catalog = serde_json::from_value(map.value(&catalog)).map_err(bug)?;
    catalog.version = 2;
    Ok((catalog, map))
}

/// A table's physical columns, as an archive's records carry them: the system columns,
/// then each stored field's.
fn physical_columns(table: &shared::catalog::Table) -> Vec<String> {
    let mut columns = vec!["id".to_owned(), "created_at".into(), "updated_at".into(), "version".into()];
    columns.extend(table.fields.iter().filter(|field| field.is_stored()).map(|field| field.id.column_name()));
    columns
}

fn truncated() -> ApiError {
    archive::archive_error("The archive ends too early: it is truncated; export it again.".into())
}

fn inconsistent() -> ApiError {
    archive::archive_error("The archive's records do not fit its catalog: it was altered; export it again.".into())
}

fn base64_line(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A job's signs of life and progress while it exports or restores.
struct Beat<'a> {
    job: &'a Claimed,
    lease: Duration,
    progress: Progress,
}

impl Beat<'_> {
    /// Records the progress and renews the lease; false when the job was cancelled.
    async fn beat(&mut self, executor: &Executor, bytes: i64) -> Result<bool, Error> {
        if bytes > 0 {
            self.progress.bytes_read = bytes;
        }
        let mut client = executor.client(self.job.base_id).await?;
        let transaction = client.transaction().await?;
        let outcome = executor.heartbeat(&transaction, self.job, self.lease, &self.progress).await?;
        // `written` counts what was added since the last beat.
        self.progress.written = 0;
        match outcome {
            None => Err(storage_error(anyhow::anyhow!("the job lost its lease"))),
            Some(cancel) => {
                transaction.commit().await?;
                Ok(!cancel)
            }
        }
    }

    async fn total(&mut self, executor: &Executor, records: i64) -> Result<(), Error> {
        let client = executor.client(self.job.base_id).await?;
        client
            .execute(
                "UPDATE nc.jobs SET rows_total = $2, updated_at = now() WHERE id = $1::text::uuid",
                &[&self.job.id.to_string(), &records],
            )
            .await?;
        Ok(())
    }
}

/// Lines of a gzip stream, each at most a given length.
struct Lines {
    source: ByteStream,
    decoder: flate2::write::GzDecoder<Vec<u8>>,
    /// Decompressed bytes not yet returned, from `start`.
    start: usize,
    ended: bool,
    /// Compressed bytes read.
    read: i64,
}

impl Lines {
    fn new(source: ByteStream) -> Lines {
        Lines { source, decoder: flate2::write::GzDecoder::new(Vec::new()), start: 0, ended: false, read: 0 }
    }

    /// The first line, as an archive's header.
    async fn header(&mut self) -> Result<Header, Error> {
        let line = self.next(64 * 1024).await?.ok_or_else(|| archive::archive_error("The archive is empty.".into()))?;
        Ok(archive::read_header(line)?)
    }

    /// The next line without its newline; none at the end.
    async fn next(&mut self, max: usize) -> Result<Option<&[u8]>, Error> {
        // What the previous call returned goes now.
        let buffer = self.decoder.get_mut();
        buffer.drain(..self.start);
        self.start = 0;
        loop {
            let buffer = self.decoder.get_ref();
            if let Some(end) = buffer.iter().position(|byte| *byte == b'\n') {
                if end > max {
                    return Err(
                        archive::archive_error("An archive line is longer than any archive writes.".into()).into()
                    );
                }
                self.start = end + 1;
                return Ok(Some(&self.decoder.get_ref()[..end]));
            }
            if buffer.len() > max {
                return Err(archive::archive_error("An archive line is longer than any archive writes.".into()).into());
            }
            if self.ended {
                return match buffer.is_empty() {
                    true => Ok(None),
                    false => Err(truncated().into()),
                };
            }
            match self.source.next().await {
                Some(chunk) => {
                    let chunk = chunk?;
                    self.read += chunk.len() as i64;
                    self.decoder.write_all(&chunk).map_err(not_gzip)?;
                }
                None => {
                    self.decoder.try_finish().map_err(not_gzip)?;
                    self.ended = true;
                }
            }
        }
    }
}

fn not_gzip(_: std::io::Error) -> Error {
    archive::archive_error("The file is not a base archive (not gzip, or damaged).".into()).into()
}

/// An object written in parts: one `PUT` while it fits a part, a multipart upload once
/// it grows past one. An archive is compressed on the way.
struct Parts<'a> {
    storage: &'a Storage,
    key: String,
    content_type: String,
    upload: Option<String>,
    etags: Vec<String>,
    /// Bytes not uploaded yet.
    pending: Vec<u8>,
    /// Bytes uploaded, and whether the last write uploaded a part.
    size: i64,
    uploaded: bool,
    gzip: Option<flate2::write::GzEncoder<Vec<u8>>>,
}

impl<'a> Parts<'a> {
    /// An archive: what is written is compressed.
    fn archive(storage: &'a Storage, key: &str) -> Parts<'a> {
        Parts::new(storage, key, archive::CONTENT_TYPE, true)
    }

    fn new(storage: &'a Storage, key: &str, content_type: &str, gzip: bool) -> Parts<'a> {
        Parts {
            storage,
            key: key.to_owned(),
            content_type: content_type.to_owned(),
            upload: None,
            etags: Vec::new(),
            pending: Vec::new(),
            size: 0,
            uploaded: false,
            gzip: gzip.then(|| flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast())),
        }
    }

    async fn line(&mut self, line: &[u8]) -> Result<(), Error> {
        self.write(line).await?;
        self.write(b"\n").await
    }

    async fn write(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.uploaded = false;
        match &mut self.gzip {
            Some(gzip) => {
                gzip.write_all(bytes).map_err(|error| bug(error.to_string()))?;
                let compressed = std::mem::take(gzip.get_mut());
                self.pending.extend_from_slice(&compressed);
            }
            None => self.pending.extend_from_slice(bytes),
        }
        if self.pending.len() >= PART_BYTES {
            self.part().await?;
        }
        Ok(())
    }

    /// Whether the last write uploaded a part: a moment to record progress.
    fn flushed(&self) -> bool {
        self.uploaded
    }

    async fn part(&mut self) -> Result<(), Error> {
        let upload = match &self.upload {
            Some(upload) => upload.clone(),
            None => {
                let upload = self.storage.start_multipart(&self.key, &self.content_type).await?;
                self.upload = Some(upload.clone());
                upload
            }
        };
        let number = u32::try_from(self.etags.len() + 1).map_err(bug)?;
        let body = std::mem::take(&mut self.pending);
        self.size += body.len() as i64;
        self.etags.push(self.storage.upload_part(&self.key, &upload, number, body).await?);
        self.uploaded = true;
        Ok(())
    }

    /// Completes the object; its size.
    async fn finish(mut self) -> Result<i64, Error> {
        if let Some(gzip) = self.gzip.take() {
            let rest = gzip.finish().map_err(|error| bug(error.to_string()))?;
            self.pending.extend_from_slice(&rest);
        }
        match self.upload.clone() {
            None => {
                self.size = self.pending.len() as i64;
                self.storage.put(&self.key, std::mem::take(&mut self.pending), &self.content_type).await?;
            }
            Some(upload) => {
                if !self.pending.is_empty() {
                    self.part().await?;
                }
                self.storage.complete_multipart(&self.key, &upload, &self.etags).await?;
            }
        }
        Ok(self.size)
    }

    async fn abort(self) {
        if let Some(upload) = &self.upload
            && let Err(error) = self.storage.abort_multipart(&self.key, upload).await
        {
            tracing::warn!(key = self.key, %error, "aborting an archive's upload failed");
        }
    }
}
