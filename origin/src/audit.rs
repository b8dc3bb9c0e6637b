//! The audit log (the logs plane's `audit_events`): read by the query API, fed with every
//! base's data changes, and kept.
//!
//! - **Data changes** are copied from each base's change log: a copier locks the base's
//!   row of `nc.audit_positions` (`SKIP LOCKED`: one origin at a time), reads up to 500
//!   changes after its position, inserts those the audit log lacks (`change_seq`), and
//!   moves the position. The two planes are two databases, so a crash between the insert
//!   and the move copies the batch again, and the `change_seq` check skips what is there:
//!   every change once. It runs when the data plane notifies a commit (`nc_changes`) for
//!   the bases heard, and over every base once a minute.
//! - **Keeping**: every hour, each origin makes sure the partitions of this month and the
//!   next two exist, removes each tenant's events past its plan's `audit_retention_days`,
//!   and drops the monthly partitions no plan keeps any more (functions of the logs plane:
//!   the runtime role cannot update or delete otherwise).

use crate::error::Error;
use crate::manage::{Answer, Manager, answer};
use crate::pools::DataPool;
use serde_json::Value;
use shared::error::{ApiError, ErrorCode};
use shared::ids::{BaseId, TenantId, WorkspaceId};
use shared::manage::AuditQuery;
use shared::resource::{AuditEvent, AuditPage};
use sqlx::{PgPool, Row};
use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

/// Changes copied per transaction.
const BATCH: u32 = 500;
/// How often every base is looked at, besides the bases a commit notification names.
const SWEEP: Duration = Duration::from_secs(60);
/// How often the log is kept (partitions, retention).
const KEEP: Duration = Duration::from_secs(3600);

/// Copies a data cluster's change logs to the audit log and prunes them; the main
/// cluster's loop also keeps the audit log (partitions, retention).
pub fn start(cluster: &str, data: DataPool, data_url: String, planes: std::sync::Arc<crate::store::AdminPlanes>) {
    let cluster = cluster.to_owned();
    tokio::spawn(copy_forever(cluster.clone(), data, data_url, planes.control.clone(), planes.logs.clone()));
    tokio::spawn(async move {
        loop {
            if cluster == "main"
                && let Err(error) = keep(&planes.control, &planes.logs).await
            {
                tracing::warn!(error = %format!("{error:#}"), "audit log: keeping failed; retrying in an hour");
            }
            let pruned = async { prune_change_logs(&planes.control, &cluster, planes.cluster(&cluster)?).await };
            if let Err(error) = pruned.await {
                tracing::warn!(cluster, error = %format!("{error:#}"), "change logs: pruning failed; retrying in an hour");
            }
            tokio::time::sleep(KEEP).await;
        }
    });
}

/// Prunes each base's change log by its plan's `change_log_retention_days`, of what its
/// readers have read ([`crate::changes::prune`]).
async fn prune_change_logs(control: &PgPool, cluster: &str, admin_data: &PgPool) -> anyhow::Result<()> {
    let bases = sqlx::query(
        "SELECT b.id, p.change_log_retention_days FROM bases b JOIN tenants t ON t.id = b.tenant_id \
         JOIN plans p ON p.name = t.plan WHERE b.cluster = $1",
    )
    .bind(cluster)
    .fetch_all(control)
    .await?;
    for base in bases {
        let (id, days): (uuid::Uuid, i32) = (base.try_get(0)?, base.try_get(1)?);
        let keep = Duration::from_secs(u64::try_from(days).unwrap_or(30) * 86_400);
        match crate::changes::prune(admin_data, BaseId(id), keep).await {
            Ok(0) => {}
            Ok(pruned) => tracing::info!(base = %id, pruned, "change log pruned"),
            // A base whose schema is gone has no log to prune.
            Err(error) => tracing::debug!(base = %id, error = %error, "change log not pruned"),
        }
    }
    Ok(())
}

/// Partitions ahead, then each plan's retention.
pub async fn keep(control: &PgPool, logs: &PgPool) -> anyhow::Result<()> {
    sqlx::query("SELECT audit_partitions_ahead(2)").execute(logs).await?;
    let tenants = sqlx::query("SELECT t.id, p.audit_retention_days FROM tenants t JOIN plans p ON p.name = t.plan")
        .fetch_all(control)
        .await?;
    let mut longest = 7;
    for tenant in &tenants {
        let (id, days): (uuid::Uuid, i32) = (tenant.try_get(0)?, tenant.try_get(1)?);
        longest = longest.max(days);
        sqlx::query("SELECT expire_audit_events($1, make_interval(days => $2))")
            .bind(id)
            .bind(days)
            .execute(logs)
            .await?;
    }
    // Events without a tenant (failed sign-ins of unknown emails) follow the longest.
    sqlx::query("SELECT drop_audit_partitions(make_interval(days => $1))").bind(longest).execute(logs).await?;
    Ok(())
}

async fn copy_forever(cluster: String, data: DataPool, data_url: String, control: PgPool, logs: PgPool) {
    // The tenant of each base seen (a base never changes tenant).
    let mut tenants: HashMap<BaseId, uuid::Uuid> = HashMap::new();
    let mut swept = tokio::time::Instant::now() - SWEEP;
    loop {
        let mut listener = crate::notify::listen(&data_url, &["nc_changes"]).await.ok();
        loop {
            let mut bases = BTreeSet::new();
            if swept.elapsed() >= SWEEP {
                match sqlx::query_as::<_, (uuid::Uuid, uuid::Uuid)>(
                    "SELECT id, tenant_id FROM bases WHERE cluster = $1",
                )
                .bind(&cluster)
                .fetch_all(&control)
                .await
                {
                    Ok(all) => {
                        for (base, tenant) in all {
                            tenants.insert(BaseId(base), tenant);
                            bases.insert(BaseId(base));
                        }
                    }
                    Err(error) => tracing::warn!(error = %error, "audit log: cannot list the bases"),
                }
                swept = tokio::time::Instant::now();
            } else {
                // Without a listener, the sweeps go on while it is tried again.
                let Some(heard) = &mut listener else { break };
                match tokio::time::timeout(SWEEP.saturating_sub(swept.elapsed()), heard.notifications.recv()).await {
                    Ok(None) => break,
                    Ok(Some(notification)) => bases.extend(base_of(notification.payload())),
                    Err(_) => continue,
                }
                // Commits that came meanwhile are copied in the same pass.
                while let Ok(notification) = heard.notifications.try_recv() {
                    bases.extend(base_of(notification.payload()));
                }
            }
            for base in bases {
                let tenant = match tenants.get(&base) {
                    Some(tenant) => *tenant,
                    None => match tenant_of(&control, base).await {
                        Ok(Some(tenant)) => *tenants.entry(base).or_insert(tenant),
                        // A base the control plane does not know has nothing to copy.
                        Ok(None) => continue,
                        Err(error) => {
                            tracing::warn!(error = %error, %base, "audit log: a base's tenant could not be read");
                            continue;
                        }
                    },
                };
                if let Err(error) = copy(&data, &logs, base, tenant).await {
                    tracing::warn!(error = %error, %base, "audit log: copying a change log failed; it is retried");
                }
            }
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// The base of an `nc_changes` notification.
fn base_of(payload: &str) -> Option<BaseId> {
    crate::notify::changed_base(payload).map(|(base, _)| base)
}

async fn tenant_of(control: &PgPool, base: BaseId) -> Result<Option<uuid::Uuid>, sqlx::Error> {
    sqlx::query_scalar("SELECT tenant_id FROM bases WHERE id = $1").bind(base.0).fetch_optional(control).await
}

/// Copies a base's changes after its position, a batch at a time.
async fn copy(data: &DataPool, logs: &PgPool, base: BaseId, tenant: uuid::Uuid) -> Result<(), Error> {
    let mut client = crate::pools::connection(data).await?;
    loop {
        client.batch_execute("BEGIN").await?;
        let copied = copy_batch(&client, logs, tenant, base).await;
        let (back, more) = crate::pools::settle(client, copied).await?;
        if !more {
            return Ok(());
        }
        client = back;
    }
}

/// One batch, inside the data plane's transaction; whether more are waiting.
async fn copy_batch(
    client: &crate::pools::DataClient,
    logs: &PgPool,
    tenant: uuid::Uuid,
    base: BaseId,
) -> Result<bool, Error> {
    let start = crate::changes::encode(&crate::changes::Position::at("1:1:".to_owned()))?;
    client
        .execute(
            "INSERT INTO nc.audit_positions (base_id, position) VALUES ($1::text::uuid, $2) ON CONFLICT DO NOTHING",
            &[&base.to_string(), &start],
        )
        .await?;
    let row = client
        .query_opt(
            "SELECT position FROM nc.audit_positions WHERE base_id = $1::text::uuid FOR UPDATE SKIP LOCKED",
            &[&base.to_string()],
        )
        .await?;
    let Some(row) = row else { return Ok(false) };
    let position = crate::changes::decode(row.try_get(0)?)?;
    let read = match crate::changes::read(client, base, None, position, BATCH).await {
        Ok(read) => read,
        // A base whose schema is gone (deleted and purged) has nothing more to copy.
        Err(Error::Data(error)) if error.code() == Some(&tokio_postgres::error::SqlState::UNDEFINED_TABLE) => {
            return Ok(false);
        }
        Err(error) => return Err(error),
    };
    if !read.changes.is_empty() {
        let rows: Vec<Value> = read
            .changes
            .iter()
            .map(|change| {
                let action = match change.op.as_str() {
                    "insert" => "record.create",
                    "update" => "record.update",
                    _ => "record.delete",
                };
                serde_json::json!({
                    "seq": change.seq, "at": change.at, "actor": change.actor, "action": action,
                    "resource": format!("{}/{}", change.table_id, change.record_id),
                    "before": change.before, "after": change.after, "request_id": change.request_id,
                })
            })
            .collect();
        sqlx::query(
            "INSERT INTO audit_events (tenant_id, base_id, actor, action, resource_id, before, after, request_id, at, \
             change_seq) \
             SELECT $1, $2, e->>'actor', e->>'action', e->>'resource', e->'before', e->'after', e->>'request_id', \
             (e->>'at')::timestamptz, (e->>'seq')::bigint FROM jsonb_array_elements($3) e \
             WHERE NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.base_id = $2 \
             AND a.change_seq = (e->>'seq')::bigint)",
        )
        .bind(tenant)
        .bind(base.0)
        .bind(Value::Array(rows))
        .execute(logs)
        .await?;
    }
    client
        .execute(
            "UPDATE nc.audit_positions SET position = $2 WHERE base_id = $1::text::uuid",
            &[&base.to_string(), &crate::changes::encode(&read.next)?],
        )
        .await?;
    Ok(read.next.is_inside())
}

/// The most events a page of the query API holds.
pub const MAX_PAGE: u32 = 200;

impl Manager {
    /// `GET /api/v1/workspaces/{ws}/audit`: the workspace's events (its bases', and its
    /// members' and invitations'), newest first.
    pub(crate) async fn audit_log(&self, workspace: WorkspaceId, query: &AuditQuery) -> Result<Answer, Error> {
        let tenant: TenantId = TenantId(
            sqlx::query_scalar("SELECT tenant_id FROM workspaces WHERE id = $1")
                .bind(workspace.0)
                .fetch_one(&self.control)
                .await?,
        );
        let bases: Vec<uuid::Uuid> = match query.base {
            Some(base) => {
                sqlx::query_scalar("SELECT id FROM bases WHERE id = $1 AND workspace_id = $2")
                    .bind(base.0)
                    .bind(workspace.0)
                    .fetch_all(&self.control)
                    .await?
            }
            None => {
                sqlx::query_scalar("SELECT id FROM bases WHERE workspace_id = $1")
                    .bind(workspace.0)
                    .fetch_all(&self.control)
                    .await?
            }
        };
        let scope = AuditScope { tenant: Some(tenant), bases: Some(bases), workspace: Some(workspace) };
        self.audit_page(&scope, query).await
    }

    /// `GET /api/v1/operator/audit`: every tenant's events, or one's, newest first.
    pub(crate) async fn platform_audit(&self, tenant: Option<TenantId>, query: &AuditQuery) -> Result<Answer, Error> {
        let bases = query.base.map(|base| vec![base.0]);
        self.audit_page(&AuditScope { tenant, bases, workspace: None }, query).await
    }

    async fn audit_page(&self, scope: &AuditScope, query: &AuditQuery) -> Result<Answer, Error> {
        let (before_at, before_id) = match &query.cursor {
            None => (None, None),
            Some(cursor) => {
                let (at, id) = cursor
                    .split_once('_')
                    .and_then(|(at, id)| Some((at.parse::<i64>().ok()?, id.parse::<i64>().ok()?)))
                    .ok_or_else(|| {
                        ApiError::new(ErrorCode::InvalidQuery, "'cursor' is not the `next_cursor` of a page.")
                            .with("parameter", "cursor")
                    })?;
                (Some(at), Some(id))
            }
        };
        let limit = i64::from(query.limit.min(MAX_PAGE));
        let rows = sqlx::query(
            "SELECT id, (extract(epoch FROM at) * 1000000)::bigint, \
             to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), actor, action, resource_id, \
             base_id, before, after, request_id FROM audit_events \
             WHERE ($1::uuid IS NULL OR tenant_id = $1) \
             AND ($2::uuid[] IS NULL OR base_id = ANY($2) OR ($3 AND base_id IS NULL AND resource_id LIKE $4 || '/%')) \
             AND ($5::text IS NULL OR actor = $5) \
             AND ($6::text IS NULL OR action = $6 OR (right($6, 1) = '*' AND starts_with(action, rtrim($6, '*')))) \
             AND ($7::text IS NULL OR resource_id = $7 OR starts_with(resource_id, $7 || '/')) \
             AND ($8::timestamptz IS NULL OR at >= $8) AND ($9::timestamptz IS NULL OR at < $9) \
             AND ($10::bigint IS NULL OR (at, id) < (to_timestamp($10::double precision / 1000000), $11)) \
             ORDER BY at DESC, id DESC LIMIT $12",
        )
        .bind(scope.tenant.map(|tenant| tenant.0))
        .bind(&scope.bases)
        .bind(query.base.is_none() && scope.workspace.is_some())
        .bind(scope.workspace.map(|workspace| workspace.0.to_string()))
        .bind(&query.actor)
        .bind(&query.action)
        .bind(&query.resource)
        .bind(query.since.as_deref().map(parse_time).transpose()?)
        .bind(query.until.as_deref().map(parse_time).transpose()?)
        .bind(before_at)
        .bind(before_id)
        .bind(limit + 1)
        .fetch_all(&self.planes.logs)
        .await?;
        let mut data = Vec::new();
        let mut next_cursor = None;
        for (index, row) in rows.iter().enumerate() {
            if index as i64 == limit {
                let last: &sqlx::postgres::PgRow = &rows[index - 1];
                next_cursor = Some(format!("{}_{}", last.try_get::<i64, _>(1)?, last.try_get::<i64, _>(0)?));
                break;
            }
            data.push(AuditEvent {
                id: row.try_get(0)?,
                at: row.try_get(2)?,
                actor: row.try_get(3)?,
                action: row.try_get(4)?,
                resource_id: row.try_get(5)?,
                base_id: row.try_get::<Option<uuid::Uuid>, _>(6)?.map(BaseId),
                before: row.try_get(7)?,
                after: row.try_get(8)?,
                request_id: row.try_get(9)?,
            });
        }
        answer(200, AuditPage { data, next_cursor })
    }
}

/// Whose events an audit query reads: those of a tenant (or every tenant's), of some
/// bases (or all of them), and with a workspace, also its members' and invitations'
/// events (which name no base).
struct AuditScope {
    tenant: Option<TenantId>,
    bases: Option<Vec<uuid::Uuid>>,
    workspace: Option<WorkspaceId>,
}

/// An RFC 3339 time of the query.
fn parse_time(text: &str) -> Result<chrono::DateTime<chrono::Utc>, Error> {
    chrono::DateTime::parse_from_rfc3339(text).map(|time| time.to_utc()).map_err(|_| {
        Error::from(
            ApiError::new(ErrorCode::InvalidQuery, format!("'{text}' is not an RFC 3339 time (2026-12-01T00:00:00Z)."))
                .with("value", text),
        )
    })
}
