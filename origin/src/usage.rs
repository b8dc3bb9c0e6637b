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
