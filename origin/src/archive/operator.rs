//! The operator's commands for base archives (`origin admin export-base`, `restore-base`
//! and `clone-base`): each starts the job the API starts, as an operator account, records
//! it in the tenant's audit log, and follows it with a progress bar. The running origins'
//! workers run it, as they run the API's.

use super::{Lines, Parts};
use crate::store::AdminPlanes;
use anyhow::{Context, bail};
use serde_json::{Value, json};
use shared::archive::{self, RestoreSource};
use shared::bulk::BulkRequest;
use shared::envelope::Principal;
use shared::ids::{BaseId, TenantId, UserId, WorkspaceId};
use uuid::Uuid;

/// Who runs the jobs: an account with the platform's operator role.
async fn operator(planes: &AdminPlanes, email: &str) -> anyhow::Result<Principal> {
    let email = shared::manage::normalize_email(email).map_err(|error| anyhow::anyhow!("{error}"))?;
    let user: Option<(Uuid, Option<String>)> =
        sqlx::query_as("SELECT id, platform_role FROM users WHERE email = $1 AND disabled_at IS NULL")
            .bind(&email)
            .fetch_optional(&planes.control)
            .await?;
    match user {
        Some((id, Some(role))) if role == "operator" => {
            Ok(Principal::User { user_id: UserId(id), scopes: Vec::new(), see_as: None })
        }
        Some(_) => bail!("{email} is not an operator: `origin admin operator --email {email}` makes them one"),
        None => bail!("no active account has the email {email}"),
    }
}

/// A live base's tenant and workspace, refused while it is being restored.
async fn live_base(planes: &AdminPlanes, base: Uuid) -> anyhow::Result<(TenantId, Option<Uuid>)> {
    let row: Option<(Uuid, Option<Uuid>, bool)> =
        sqlx::query_as("SELECT tenant_id, workspace_id, restoring FROM bases WHERE id = $1 AND deleted_at IS NULL")
            .bind(base)
            .fetch_optional(&planes.control)
            .await?;
    match row {
        Some((_, _, true)) => bail!("the base {base} is being restored; wait for its restore job"),
        Some((tenant, workspace, false)) => Ok((TenantId(tenant), workspace)),
        None => bail!("no base {base}"),
    }
}

/// Queues a job of `base` as the API does, audited as `action`; its id.
async fn start(
    planes: &AdminPlanes,
    (tenant, base): (TenantId, BaseId),
    principal: &Principal,
    request: &BulkRequest,
    action: &str,
    after: Value,
) -> anyhow::Result<Uuid> {
    let kind = match request {
        BulkRequest::ExportBase { .. } => "export_base",
        _ => "restore_base",
    };
    let version: i64 = sqlx::query_scalar("SELECT catalog_version FROM bases WHERE id = $1")
        .bind(base.0)
        .fetch_one(&planes.control)
        .await?;
    let (id, request_id) = (Uuid::new_v4(), format!("cli-{}", Uuid::new_v4().simple()));
    let stored = crate::jobs::stored(principal, request).map_err(|error| anyhow::anyhow!("{error}"))?;
    sqlx::query(crate::jobs::INSERT_JOB)
        .bind(id.to_string())
        .bind(base.0.to_string())
        .bind(None::<String>)
        .bind(kind)
        .bind(stored)
        .bind(version)
        .bind(principal.actor())
        .bind(&request_id)
        .execute(planes.data(base).await?)
        .await
        .context("queue the job")?;
    planes
        .audit_event(tenant, Some(base), &principal.actor(), action, base.to_string(), after, Some(&request_id))
        .await?;
    Ok(id)
}

pub async fn export(
    admin: &crate::config::AdminUrls,
    storage: &crate::storage::StorageArgs,
    email: &str,
    base: Uuid,
    include_files: bool,
    out: Option<&std::path::Path>,
) -> anyhow::Result<Value> {
    let planes = AdminPlanes::connect(admin).await?;
    let principal = operator(&planes, email).await?;
    let (tenant, _) = live_base(&planes, base).await?;
    let request = BulkRequest::ExportBase { include_files };
    let after = json!({ "include_files": include_files });
    let job = start(&planes, (tenant, BaseId(base)), &principal, &request, "base.export", after).await?;
    let ended = crate::admin::watch_job(admin, job).await?;
    if let (Some(path), "succeeded") = (out, ended["state"].as_str().unwrap_or_default()) {
        let result: Value = sqlx::query_scalar("SELECT result FROM nc.jobs WHERE id = $1")
            .bind(job)
            .fetch_one(planes.data(BaseId(base)).await?)
            .await?;
        let key = result["export_key"].as_str().context("the export's key")?;
        let storage = crate::storage::Storage::new(storage)?.context("no object store configured (NC_S3_*)")?;
        save(&storage, key, path).await?;
        return Ok(json!({ "job": ended, "saved": path }));
    }
    Ok(json!({ "job": ended }))
}

/// Streams an object of the store to a file.
async fn save(storage: &crate::storage::Storage, key: &str, path: &std::path::Path) -> anyhow::Result<()> {
    use futures_util::StreamExt;
    use tokio::io::AsyncWriteExt;
    let mut file = tokio::fs::File::create(path).await.with_context(|| format!("create {}", path.display()))?;
    let mut stream = Box::pin(storage.read(key).await.map_err(|error| anyhow::anyhow!("{error}"))?);
    while let Some(chunk) = stream.next().await {
        file.write_all(&chunk.map_err(|error| anyhow::anyhow!("{error}"))?).await?;
    }
    file.flush().await?;
    Ok(())
}

pub async fn restore(
    admin: &crate::config::AdminUrls,
    storage: &crate::storage::StorageArgs,
    email: &str,
    workspace: Uuid,
    name: &str,
    file: &std::path::Path,
) -> anyhow::Result<Value> {
    use tokio::io::AsyncReadExt;
    let name = shared::manage::check_label("name", name).map_err(|error| anyhow::anyhow!("{error}"))?;
    let planes = AdminPlanes::connect(admin).await?;
    let principal = operator(&planes, email).await?;
    let storage = crate::storage::Storage::new(storage)?.context("no object store configured (NC_S3_*)")?;
    // The file goes to the store as it is, then its header is checked as the API checks an upload's.
    let key = format!("operator/restores/{}{}", Uuid::new_v4().simple(), archive::SUFFIX);
    let mut source = tokio::fs::File::open(file).await.with_context(|| format!("open {}", file.display()))?;
    let mut parts = Parts::new(&storage, &key, archive::CONTENT_TYPE, false);
    let mut chunk = vec![0; 1 << 20];
    loop {
        let read = source.read(&mut chunk).await?;
        if read == 0 {
            break;
        }
        parts.write(&chunk[..read]).await.map_err(|error| anyhow::anyhow!("upload the archive: {error}"))?;
    }
    parts.finish().await.map_err(|error| anyhow::anyhow!("upload the archive: {error}"))?;
    let checked = async { Lines::new(Box::pin(storage.read(&key).await?)).header().await };
    if let Err(error) = checked.await {
        let _ = storage.delete(&key).await;
        bail!("{}: {error}", file.display());
    }
    let source = RestoreSource::Archive { key: key.clone() };
    let restored = fill(admin, &planes, &principal, workspace, &name, source).await;
    if let Err(error) = storage.delete(&key).await {
        tracing::warn!(key, %error, "the uploaded archive could not be deleted");
    }
    restored.map(|(base, job)| json!({ "base_id": base, "job": job }))
}

pub async fn clone(
    admin: &crate::config::AdminUrls,
    email: &str,
    base: Uuid,
    name: &str,
    workspace: Option<Uuid>,
    include_files: bool,
) -> anyhow::Result<Value> {
    let name = shared::manage::check_label("name", name).map_err(|error| anyhow::anyhow!("{error}"))?;
    let planes = AdminPlanes::connect(admin).await?;
    let principal = operator(&planes, email).await?;
    let (_, home) = live_base(&planes, base).await?;
    let source = RestoreSource::Base { base: BaseId(base), include_files };
    let workspace = workspace.or(home).context("the base is in no workspace: give --workspace")?;
    let (copy, job) = fill(admin, &planes, &principal, workspace, &name, source).await?;
    Ok(json!({ "base_id": copy, "job": job }))
}

/// Creates a base in `workspace` marked as being restored, and runs its restore job from
/// `source` to its end: the base's id, and the job's end.
async fn fill(
    admin: &crate::config::AdminUrls,
    planes: &AdminPlanes,
    principal: &Principal,
    workspace: Uuid,
    name: &str,
    source: RestoreSource,
) -> anyhow::Result<(BaseId, Value)> {
    let tenant: Uuid = sqlx::query_scalar("SELECT tenant_id FROM workspaces WHERE id = $1 AND deleted_at IS NULL")
        .bind(workspace)
        .fetch_optional(&planes.control)
        .await?
        .with_context(|| format!("no workspace {workspace}"))?;
    let after = json!({ "from": source });
    let base = planes
        .create_base(TenantId(tenant), Some(WorkspaceId(workspace)), name, &principal.actor(), None, true)
        .await?;
    let request = BulkRequest::RestoreBase { source };
    let job = start(planes, (TenantId(tenant), base), principal, &request, "base.restore", after).await?;
    Ok((base, crate::admin::watch_job(admin, job).await?))
}
