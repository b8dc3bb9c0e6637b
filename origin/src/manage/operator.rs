//! The platform operators' commands (`/api/v1/operator/...`): tenants with their plan,
//! members and usage; moving a tenant to another plan; suspending and resuming it; every
//! tenant's audit log. A user is an operator when the operator CLI made them one
//! (`users.platform_role`); `Manager::run` checks it before any of these runs.
//!
//! Suspending or resuming a tenant is one `UPDATE tenants`: its trigger notifies every
//! origin (`nc_tenants`, which forget what they cached) and pushes each of the tenant's
//! bases and published views to the edges as changed, so nothing cached answers for it
//! afterwards. Every origin then refuses the tenant's tokens, members and views with
//! `TENANT_SUSPENDED` ([`crate::catalog::ControlState::ensure_active`] and
//! `Manager::require`).

use super::{Answer, Manager, answer, stored};
use crate::error::Error;
use serde_json::json;
use shared::error::{ApiError, ErrorCode};
use shared::ids::{BaseId, TenantId, UserId, WorkspaceId};
use shared::manage::{OperatorCommand, Role};
use shared::resource::{
    Plan, PlanList, TenantBase, TenantDetail, TenantList, TenantMember, TenantSummary, TenantWorkspace,
};
use sqlx::Row;
use uuid::Uuid;

/// A tenant's summary columns: the tenant, its counts, and this month's requests.
const SUMMARY: &str = "SELECT n.id, n.name, n.plan, n.created_at::text, n.suspended_at::text, n.suspended_reason, \
     (SELECT count(*) FROM workspaces w WHERE w.tenant_id = n.id AND w.deleted_at IS NULL), \
     (SELECT count(*) FROM bases b WHERE b.tenant_id = n.id AND b.deleted_at IS NULL), \
     (SELECT count(DISTINCT m.user_id) FROM memberships m JOIN workspaces w ON w.id = m.workspace_id \
      WHERE w.tenant_id = n.id AND w.deleted_at IS NULL), \
     coalesce((SELECT sum(u.api_calls) FROM usage_daily u JOIN bases b ON b.id = u.base_id \
      WHERE b.tenant_id = n.id AND u.day >= date_trunc('month', now() AT TIME ZONE 'UTC')::date), 0)::bigint \
     FROM tenants n";

/// The plan columns [`plan`] reads.
const PLAN: &str = "SELECT p.name, p.rate_limit_requests, p.rate_limit_window_seconds, p.monthly_requests, \
     p.max_bases_per_workspace, p.max_tables_per_base, p.max_fields_per_table, p.max_views_per_base, \
     p.max_upload_bytes, p.max_stored_bytes, p.audit_retention_days, p.change_log_retention_days, \
     (SELECT count(*) FROM tenants n WHERE n.plan = p.name) FROM plans p";

impl Manager {
    pub(super) async fn operate(&self, command: &OperatorCommand, actor: &str) -> Result<Answer, Error> {
        match command {
            OperatorCommand::ListTenants { query, limit } => self.list_tenants(query.as_deref(), *limit).await,
            OperatorCommand::GetTenant { tenant } => self.tenant_detail(*tenant).await,
            OperatorCommand::SetPlan { tenant, plan } => self.set_tenant_plan(*tenant, plan, actor).await,
            OperatorCommand::Suspend { tenant, reason } => self.suspend(*tenant, Some(reason), actor).await,
            OperatorCommand::Resume { tenant } => self.suspend(*tenant, None, actor).await,
            OperatorCommand::ListPlans => {
                let rows = sqlx::query(&format!("{PLAN} ORDER BY p.name")).fetch_all(&self.control).await?;
                answer(200, PlanList { data: rows.iter().map(plan).collect::<Result<_, _>>()? })
            }
            OperatorCommand::Audit { tenant, query } => self.platform_audit(*tenant, query).await,
            // Answered by the executor, which holds the pools and queues it reports.
            OperatorCommand::Health => Err(crate::error::bug("platform health outside the executor")),
        }
    }

    /// Tenants by name; `query` matches part of a name, a tenant, workspace or base id, or a
    /// member's email.
    async fn list_tenants(&self, query: Option<&str>, limit: u32) -> Result<Answer, Error> {
        let rows = sqlx::query(&format!(
            "{SUMMARY} WHERE $1::text IS NULL OR strpos(lower(n.name), lower($1)) > 0 OR n.id::text = lower($1) \
             OR n.id IN (SELECT tenant_id FROM workspaces WHERE id::text = lower($1)) \
             OR n.id IN (SELECT tenant_id FROM bases WHERE id::text = lower($1)) \
             OR n.id IN (SELECT w.tenant_id FROM workspaces w JOIN memberships m ON m.workspace_id = w.id \
                         JOIN users u ON u.id = m.user_id WHERE u.email = lower($1)) \
             ORDER BY lower(n.name), n.id LIMIT $2"
        ))
        .bind(query)
        .bind(i64::from(limit))
        .fetch_all(&self.control)
        .await?;
        let (total, suspended) = tenant_counts(&self.control).await?;
        let data = rows.iter().map(summary).collect::<Result<_, _>>()?;
        answer(200, TenantList { data, total, suspended })
    }

    async fn summary(&self, tenant: TenantId) -> Result<TenantSummary, Error> {
        let row = sqlx::query(&format!("{SUMMARY} WHERE n.id = $1"))
            .bind(tenant.0)
            .fetch_optional(&self.control)
            .await?
            .ok_or_else(|| no_tenant(tenant))?;
        Ok(summary(&row)?)
    }

    async fn tenant_detail(&self, tenant: TenantId) -> Result<Answer, Error> {
        let summary = self.summary(tenant).await?;
        let plan_row =
            sqlx::query(&format!("{PLAN} WHERE p.name = $1")).bind(&summary.plan).fetch_one(&self.control).await?;
        let workspace_rows = sqlx::query(
            "SELECT id, name, created_at::text FROM workspaces WHERE tenant_id = $1 AND deleted_at IS NULL \
             ORDER BY created_at, id",
        )
        .bind(tenant.0)
        .fetch_all(&self.control)
        .await?;
        let member_rows = sqlx::query(
            "SELECT m.workspace_id, u.id, u.email, u.name, m.role FROM memberships m JOIN users u ON u.id = m.user_id \
             JOIN workspaces w ON w.id = m.workspace_id WHERE w.tenant_id = $1 ORDER BY m.created_at, u.email",
        )
        .bind(tenant.0)
        .fetch_all(&self.control)
        .await?;
        let base_rows = sqlx::query(
            "SELECT b.workspace_id, b.id, b.name, b.created_at::text, \
             (SELECT count(*) FROM tables t WHERE t.base_id = b.id AND t.deleted_at IS NULL) \
             FROM bases b WHERE b.tenant_id = $1 AND b.deleted_at IS NULL ORDER BY b.created_at, b.id",
        )
        .bind(tenant.0)
        .fetch_all(&self.control)
        .await?;
        let now_ms = crate::clock::now_ms();
        let mut workspaces = Vec::new();
        for row in &workspace_rows {
            let id: Uuid = row.try_get(0)?;
            let mut members = Vec::new();
            for member in member_rows.iter().filter(|member| member.get::<Uuid, _>(0) == id) {
                members.push(TenantMember {
                    user_id: UserId(member.try_get(1)?),
                    email: member.try_get(2)?,
                    name: member.try_get(3)?,
                    role: stored(member.try_get(4)?, Role::parse)?,
                });
            }
            let mut bases = Vec::new();
            for base in base_rows.iter().filter(|base| base.get::<Option<Uuid>, _>(0) == Some(id)) {
                let base_id = BaseId(base.try_get(1)?);
                bases.push(TenantBase {
                    id: base_id,
                    name: base.try_get(2)?,
                    created_at: base.try_get(3)?,
                    tables: base.try_get(4)?,
                    quota: crate::usage::quota(&self.control, base_id, now_ms).await?,
                });
            }
            workspaces.push(TenantWorkspace {
                id: WorkspaceId(id),
                name: row.try_get(1)?,
                created_at: row.try_get(2)?,
                members,
                bases,
            });
        }
        answer(200, TenantDetail { tenant: summary, plan: plan(&plan_row)?, workspaces })
    }

    async fn set_tenant_plan(&self, tenant: TenantId, plan: &str, actor: &str) -> Result<Answer, Error> {
        let plans: Vec<String> =
            sqlx::query_scalar("SELECT name FROM plans ORDER BY name").fetch_all(&self.control).await?;
        if !plans.iter().any(|name| name == plan) {
            return Err(ApiError::new(ErrorCode::ValidationError, format!("No plan is named '{plan}'."))
                .with("field", "plan")
                .with("plans", plans)
                .into());
        }
        let before: Option<String> = sqlx::query_scalar(
            "UPDATE tenants n SET plan = $2 FROM tenants o WHERE n.id = $1 AND o.id = n.id RETURNING o.plan",
        )
        .bind(tenant.0)
        .bind(plan)
        .fetch_optional(&self.control)
        .await?;
        let before = before.ok_or_else(|| no_tenant(tenant))?;
        let change = json!({ "before": before, "plan": plan });
        self.audit(tenant, None, actor, "tenant.plan", tenant.to_string(), change).await?;
        answer(200, self.summary(tenant).await?)
    }

    /// Suspends the tenant with `reason` (a suspended one keeps its first suspension's
    /// time, with the new reason), or resumes it.
    async fn suspend(&self, tenant: TenantId, reason: Option<&str>, actor: &str) -> Result<Answer, Error> {
        let updated = sqlx::query(
            "UPDATE tenants SET suspended_at = CASE WHEN $2::text IS NULL THEN NULL ELSE coalesce(suspended_at, now()) END, \
             suspended_reason = $2 WHERE id = $1",
        )
        .bind(tenant.0)
        .bind(reason)
        .execute(&self.control)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(no_tenant(tenant).into());
        }
        let (action, after) = match reason {
            Some(reason) => ("tenant.suspend", json!({ "reason": reason })),
            None => ("tenant.resume", json!({})),
        };
        self.audit(tenant, None, actor, action, tenant.to_string(), after).await?;
        answer(200, self.summary(tenant).await?)
    }
}

/// Tenants in all, and how many of them are suspended.
pub(crate) async fn tenant_counts(control: &sqlx::PgPool) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as("SELECT count(*), count(*) FILTER (WHERE suspended_at IS NOT NULL) FROM tenants")
        .fetch_one(control)
        .await
}

fn no_tenant(tenant: TenantId) -> ApiError {
    ApiError::new(ErrorCode::NotFound, "No tenant has this id.").with("tenant", tenant.to_string())
}

fn summary(row: &sqlx::postgres::PgRow) -> Result<TenantSummary, sqlx::Error> {
    Ok(TenantSummary {
        id: TenantId(row.try_get(0)?),
        name: row.try_get(1)?,
        plan: row.try_get(2)?,
        created_at: row.try_get(3)?,
        suspended_at: row.try_get(4)?,
        suspended_reason: row.try_get(5)?,
        workspaces: row.try_get(6)?,
        bases: row.try_get(7)?,
        members: row.try_get(8)?,
        requests_this_month: row.try_get(9)?,
    })
}

fn plan(row: &sqlx::postgres::PgRow) -> Result<Plan, sqlx::Error> {
    Ok(Plan {
        name: row.try_get(0)?,
        rate_limit: crate::catalog::rate_limit(row.try_get(1)?, row.try_get(2)?),
        monthly_requests: row.try_get(3)?,
        max_bases_per_workspace: row.try_get(4)?,
        max_tables_per_base: row.try_get(5)?,
        max_fields_per_table: row.try_get(6)?,
        max_views_per_base: row.try_get(7)?,
        max_upload_bytes: row.try_get(8)?,
        max_stored_bytes: row.try_get(9)?,
        audit_retention_days: row.try_get(10)?,
        change_log_retention_days: row.try_get(11)?,
        tenants: row.try_get(12)?,
    })
}
