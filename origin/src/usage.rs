//! Metering and quotas: the usage batches edges send, added to the daily rows, and a
//! base's monthly quota with what it used.

use shared::ids::BaseId;
use shared::usage::{QuotaStatus, UsageEntry, civil_date};
use sqlx::PgPool;

/// Adds a batch to `usage_daily` in one statement.
pub async fn record(control: &PgPool, entries: &[UsageEntry]) -> Result<(), sqlx::Error> {
    if entries.is_empty() {
        return Ok(());
    }
    let bases: Vec<uuid::Uuid> = entries.iter().map(|entry| entry.base_id.0).collect();
    let days: Vec<&str> = entries.iter().map(|entry| entry.day.as_str()).collect();
    let principals: Vec<&str> = entries.iter().map(|entry| entry.principal.as_str()).collect();
    let calls: Vec<i64> = entries.iter().map(|entry| i64::try_from(entry.api_calls).unwrap_or(i64::MAX)).collect();
    // Batches name only bases that exist (the edge counted requests the origin served or
    // authenticated); unknown ones are skipped rather than failing the batch.
    sqlx::query(
        "INSERT INTO usage_daily (base_id, day, principal, api_calls) \
         SELECT u.base_id, u.day::date, u.principal, sum(u.calls) \
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[]) AS u(base_id, day, principal, calls) \
         WHERE EXISTS (SELECT 1 FROM bases b WHERE b.id = u.base_id) \
         GROUP BY u.base_id, u.day, u.principal \
         ON CONFLICT (base_id, day, principal) DO UPDATE SET api_calls = usage_daily.api_calls + EXCLUDED.api_calls",
    )
    .bind(bases)
    .bind(days)
    .bind(principals)
    .bind(calls)
    .execute(control)
    .await?;
    Ok(())
}

/// The base's monthly quota (its own, else its plan's) and this month's recorded usage.
pub async fn quota(control: &PgPool, base: BaseId, now_ms: i64) -> Result<QuotaStatus, sqlx::Error> {
    let (year, month, _) = civil_date(now_ms);
    let first = format!("{year:04}-{month:02}-01");
    let row: (Option<i64>, i64, i64) = sqlx::query_as(
        "SELECT coalesce(b.monthly_request_quota, p.monthly_requests), \
         coalesce((SELECT sum(api_calls)::bigint FROM usage_daily u WHERE u.base_id = b.id AND u.day >= $2::date \
                   AND u.day < ($2::date + interval '1 month')), 0), \
         (extract(epoch FROM ($2::date + interval '1 month')::timestamp AT TIME ZONE 'UTC') * 1000)::bigint \
         FROM bases b JOIN tenants n ON n.id = b.tenant_id JOIN plans p ON p.name = n.plan WHERE b.id = $1",
    )
    .bind(base.0)
    .bind(first)
    .fetch_one(control)
    .await?;
    let (limit, used, resets_at_ms) = row;
    Ok(QuotaStatus {
        monthly_limit: limit.map(|limit| u64::try_from(limit).unwrap_or(0)),
        used: u64::try_from(used).unwrap_or(0),
        resets_at_ms,
    })
}

/// What a tenant's plan allows: the default rate limit of its tokens and users, and how
/// much it may create.
#[derive(Clone, Debug)]
pub struct Plan {
    pub name: String,
    pub rate_limit: shared::usage::RateLimit,
    pub bases_per_workspace: i64,
    /// Soft-dropped tables count until purged.
    pub tables_per_base: i64,
    /// Soft-dropped fields count until purged.
    pub fields_per_table: i64,
    pub views_per_base: i64,
    /// The base's catalog as JSON, as edges load and cache it.
    pub catalog_bytes: i64,
}

/// The plan of `tenant`.
pub async fn plan<'e>(control: impl sqlx::PgExecutor<'e>, tenant: shared::ids::TenantId) -> Result<Plan, sqlx::Error> {
    let row: (String, i32, i32, i32, i32, i32, i32, i32) = sqlx::query_as(
        "SELECT p.name, p.rate_limit_requests, p.rate_limit_window_seconds, p.max_bases_per_workspace, \
         p.max_tables_per_base, p.max_fields_per_table, p.max_views_per_base, p.max_catalog_bytes \
         FROM tenants n JOIN plans p ON p.name = n.plan WHERE n.id = $1",
    )
    .bind(tenant.0)
    .fetch_one(control)
    .await?;
    let (name, requests, window, bases, tables, fields, views, catalog_bytes) = row;
    let count = |value: i32| u32::try_from(value).unwrap_or(1);
    Ok(Plan {
        name,
        rate_limit: shared::usage::RateLimit { requests: count(requests), window_seconds: count(window) },
        bases_per_workspace: bases.into(),
        tables_per_base: tables.into(),
        fields_per_table: fields.into(),
        views_per_base: views.into(),
        catalog_bytes: catalog_bytes.into(),
    })
}

impl Plan {
    /// `Err(PLAN_LIMIT)` when `current` things plus `adding` would pass `max`: which limit,
    /// how far it is, and what to do next.
    pub fn check(
        &self,
        limit: &'static str,
        max: i64,
        current: i64,
        adding: i64,
        what: &str,
        next: &str,
    ) -> Result<(), shared::error::ApiError> {
        plan_limit(&self.name, limit, max, current, adding, what, next)
    }
}

/// `Err(PLAN_LIMIT)` when `current` things plus `adding` would pass plan `plan`'s `max`.
fn plan_limit(
    plan: &str,
    limit: &'static str,
    max: i64,
    current: i64,
    adding: i64,
    what: &str,
    next: &str,
) -> Result<(), shared::error::ApiError> {
    if current.saturating_add(adding) <= max {
        return Ok(());
    }
    Err(shared::error::ApiError::new(
        shared::error::ErrorCode::PlanLimit,
        format!("The '{plan}' plan allows {max} {what}; this would make {}. {next}", current.saturating_add(adding)),
    )
    .with("limit", limit)
    .with("max", max)
    .with("current", current)
    .with("plan", plan))
}

/// What a base takes as uploads and may store: its own settings within its plan's,
/// within the deployment's largest upload (`NC_MAX_UPLOAD`).
pub struct UploadPolicy {
    pub plan: String,
    pub limits: shared::bulk::UploadLimits,
    pub plan_max_upload: u64,
    pub base_max_upload: Option<u64>,
    pub max_stored: Option<u64>,
}

pub async fn upload_policy(control: &PgPool, base: BaseId, deployment_max: u64) -> Result<UploadPolicy, sqlx::Error> {
    let (plan, plan_max, base_max, content_types, max_stored): (String, i64, Option<i64>, Vec<String>, Option<i64>) =
        sqlx::query_as(
            "SELECT p.name, p.max_upload_bytes, b.upload_max_bytes, b.upload_content_types, p.max_stored_bytes \
             FROM bases b JOIN tenants n ON n.id = b.tenant_id JOIN plans p ON p.name = n.plan WHERE b.id = $1",
        )
        .bind(base.0)
        .fetch_one(control)
        .await?;
    let bytes = |value: i64| u64::try_from(value).unwrap_or(0);
    let plan_max_upload = bytes(plan_max).min(deployment_max);
    let base_max_upload = base_max.map(bytes);
    Ok(UploadPolicy {
        plan,
        limits: shared::bulk::UploadLimits {
            max_size: base_max_upload.map_or(plan_max_upload, |own| own.min(plan_max_upload)),
            content_types,
        },
        plan_max_upload,
        base_max_upload,
        max_stored: max_stored.map(bytes),
    })
}

/// The bytes and the number of files a base keeps in the object store.
pub async fn stored(data: &tokio_postgres::Client, base: BaseId) -> Result<(u64, u64), tokio_postgres::Error> {
    let row = data
        .query_one(
            "SELECT coalesce(sum(size), 0)::bigint, count(*) FROM nc.files WHERE base_id = $1::text::uuid",
            &[&base.0.to_string()],
        )
        .await?;
    let (bytes, files): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
    Ok((u64::try_from(bytes).unwrap_or(0), u64::try_from(files).unwrap_or(0)))
}

impl UploadPolicy {
    pub fn usage(self, (stored_bytes, files): (u64, u64)) -> shared::bulk::StorageUsage {
        shared::bulk::StorageUsage {
            stored_bytes,
            files,
            max_stored_bytes: self.max_stored,
            max_upload_bytes: self.limits.max_size,
            plan_max_upload_bytes: self.plan_max_upload,
            base_max_upload_bytes: self.base_max_upload,
            content_types: self.limits.content_types,
        }
    }

    /// `Err(PLAN_LIMIT)` when keeping `adding` more bytes would pass the plan's cap.
    pub fn check_stored(&self, stored: u64, adding: u64) -> Result<(), shared::error::ApiError> {
        let Some(max) = self.max_stored else { return Ok(()) };
        let signed = |bytes: u64| i64::try_from(bytes).unwrap_or(i64::MAX);
        plan_limit(
            &self.plan,
            "max_stored_bytes",
            signed(max),
            signed(stored),
            signed(adding),
            "bytes of files per base",
            "Delete files you no longer need (records' attachments are removed a retention period after their \
             records), or move to a larger plan.",
        )
    }
}
