//! The control-plane store: the writes the management API and the operator commands share
//! (tenants, users, bases, tokens, audit events), over the admin role's connections to
//! the three planes.

use crate::config::AdminUrls;
use anyhow::Context;
use shared::ids::{BaseId, TenantId, TokenId, UserId, WorkspaceId};
use shared::lower::Sql;
use shared::token::Scope;
use shared::usage::RateLimit;
use sqlx::postgres::PgPoolOptions;
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

/// Connections for writes beyond the records path: the control and logs planes, and
/// the data plane as the admin role (DDL).
pub struct AdminPlanes {
    pub control: PgPool,
    /// The admin role on each data cluster, `main` first.
    pub clusters: Vec<(String, PgPool)>,
    pub logs: PgPool,
    /// How long a renamed table or field answers to its former name.
    pub rename_grace: std::time::Duration,
    /// How long a dropped table or field is kept before it may be purged.
    pub drop_retention: std::time::Duration,
    /// Schema changes at once in this process; each holds a control connection of its own.
    pub schema_slots: tokio::sync::Semaphore,
}

impl AdminPlanes {
    pub async fn connect(urls: &AdminUrls) -> anyhow::Result<AdminPlanes> {
        let pool = |url: String, plane: &'static str| async move {
            PgPoolOptions::new()
                .max_connections(2)
                .connect(&url)
                .await
                .with_context(|| format!("connect to the {plane} plane as admin"))
        };
        let mut clusters = Vec::new();
        for (name, url) in crate::config::data_clusters(&urls.admin_data_url, &urls.admin_data_clusters)? {
            let pool = pool(url, "data").await.with_context(|| format!("the data cluster '{name}'"))?;
            clusters.push((name, pool));
        }
        Ok(AdminPlanes::new(
            pool(urls.admin_control_url.clone(), "control").await?,
            clusters,
            pool(urls.admin_logs_url.clone(), "logs").await?,
            DEFAULT_RENAME_GRACE,
            DEFAULT_DROP_RETENTION,
        ))
    }

    /// The admin pool of a data cluster, by name.
    pub fn cluster(&self, name: &str) -> anyhow::Result<&PgPool> {
        self.clusters
            .iter()
            .find(|(known, _)| known == name)
            .map(|(_, pool)| pool)
            .with_context(|| format!("the data cluster '{name}' is not configured here (NC_ADMIN_DATA_CLUSTERS)"))
    }

    /// The admin pool of the data cluster a base lives on (deleted bases too: their
    /// schema is there until purged).
    pub async fn data(&self, base: BaseId) -> Result<&PgPool, crate::error::Error> {
        let cluster = crate::catalog::placed(&self.control, base).await?;
        self.cluster(&cluster)
            .map_err(|error| crate::error::Error::Unavailable("The base's data cluster cannot be reached.", error))
    }

    pub fn new(
        control: PgPool,
        clusters: Vec<(String, PgPool)>,
        logs: PgPool,
        rename_grace: std::time::Duration,
        drop_retention: std::time::Duration,
    ) -> AdminPlanes {
        let schema_slots = tokio::sync::Semaphore::new(MAX_SCHEMA_CHANGES);
        AdminPlanes { control, clusters, logs, rename_grace, drop_retention, schema_slots }
    }

    async fn audit(
        &self,
        tenant_id: TenantId,
        base_id: Option<BaseId>,
        action: &str,
        resource_id: String,
        after: serde_json::Value,
    ) -> anyhow::Result<()> {
        self.audit_event(tenant_id, base_id, OPERATOR, action, resource_id, after, None).await
    }

    /// Appends an audit event (of a tenant, or of none: sign-ins). `after` must never hold
    /// a secret.
    #[allow(clippy::too_many_arguments)]
    pub async fn audit_event(
        &self,
        tenant_id: impl Into<Option<TenantId>>,
        base_id: Option<BaseId>,
        actor: &str,
        action: &str,
        resource_id: String,
        after: serde_json::Value,
        request_id: Option<&str>,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO audit_events (tenant_id, base_id, actor, action, resource_id, after, request_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(tenant_id.into().map(|id| id.0))
        .bind(base_id.map(|id| id.0))
        .bind(actor)
        .bind(action)
        .bind(resource_id)
        .bind(after)
        .bind(request_id)
        .execute(&self.logs)
        .await
        .context("write an audit event")?;
        Ok(())
    }

    pub async fn create_tenant(&self, name: &str) -> anyhow::Result<TenantId> {
        let tenant_id = TenantId(Uuid::new_v4());
        sqlx::query("INSERT INTO tenants (id, name) VALUES ($1, $2)")
            .bind(tenant_id.0)
            .bind(name)
            .execute(&self.control)
            .await
            .context("create the tenant")?;
        self.audit(tenant_id, None, "tenant.create", tenant_id.to_string(), serde_json::json!({ "name": name }))
            .await?;
        Ok(tenant_id)
    }

    /// Creates a user who owns a new workspace, in `tenant` or in a new tenant of their
    /// own, all in one transaction. `None` when the email already has an account.
    pub async fn create_owner(
        &self,
        tenant: Option<TenantId>,
        email: &str,
        name: &str,
        password_hash: &str,
    ) -> anyhow::Result<Option<(UserId, WorkspaceId)>> {
        let (user, workspace) = (UserId(Uuid::new_v4()), WorkspaceId(Uuid::new_v4()));
        let mut transaction = self.control.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4) ON CONFLICT (email) DO NOTHING",
        )
        .bind(user.0)
        .bind(email)
        .bind(name)
        .bind(password_hash)
        .execute(&mut *transaction)
        .await
        .context("create the user")?;
        if inserted.rows_affected() == 0 {
            return Ok(None);
        }
        let tenant = match tenant {
            Some(tenant) => tenant,
            None => {
                let tenant = TenantId(Uuid::new_v4());
                sqlx::query("INSERT INTO tenants (id, name) VALUES ($1, $2)")
                    .bind(tenant.0)
                    .bind(name)
                    .execute(&mut *transaction)
                    .await
                    .context("create the tenant")?;
                tenant
            }
        };
        sqlx::query("INSERT INTO workspaces (id, tenant_id, name) VALUES ($1, $2, $3)")
            .bind(workspace.0)
            .bind(tenant.0)
            .bind(format!("{name}'s workspace"))
            .execute(&mut *transaction)
            .await
            .context("create the workspace")?;
        sqlx::query("INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'owner')")
            .bind(workspace.0)
            .bind(user.0)
            .execute(&mut *transaction)
            .await
            .context("make the user owner")?;
        transaction.commit().await?;
        let actor = format!("user:{user}");
        self.audit_event(
            tenant,
            None,
            &actor,
            "user.create",
            user.to_string(),
            serde_json::json!({ "email": email }),
            None,
        )
        .await?;
        Ok(Some((user, workspace)))
    }

    /// Creates a base, in a workspace when given, on behalf of `actor`: its schema in
    /// the data plane, then its catalog row. With a `plan`, the workspace's bases are
    /// counted under its row lock, in the transaction that records the new one, so
    /// concurrent creations cannot pass the plan's limit (the error is an [`ApiError`]).
    ///
    /// [`ApiError`]: shared::error::ApiError
    pub async fn create_base(
        &self,
        tenant_id: TenantId,
        workspace: Option<WorkspaceId>,
        name: &str,
        actor: &str,
        plan: Option<&crate::usage::Plan>,
        restoring: bool,
    ) -> anyhow::Result<BaseId> {
        let base_id = BaseId(Uuid::new_v4());
        let mut control = self.control.begin().await?;
        if let Some(workspace) = workspace {
            sqlx::query("SELECT 1 FROM workspaces WHERE id = $1 FOR UPDATE")
                .bind(workspace.0)
                .execute(&mut *control)
                .await
                .context("lock the workspace")?;
            if let Some(plan) = plan {
                let bases: i64 =
                    sqlx::query_scalar("SELECT count(*) FROM bases WHERE workspace_id = $1 AND deleted_at IS NULL")
                        .bind(workspace.0)
                        .fetch_one(&mut *control)
                        .await
                        .context("count the workspace's bases")?;
                plan.check(
                    "bases_per_workspace",
                    plan.bases_per_workspace,
                    bases,
                    1,
                    "bases per workspace",
                    "Delete a base that is no longer needed, or move to a larger plan.",
                )?;
            }
        }
        let (cluster, data) = self.place(&mut control, tenant_id).await?;
        let mut transaction = data.begin().await?;
        run_steps(&mut transaction, &shared::ddl::create_base(base_id)).await.context("create the base schema")?;
        transaction.commit().await?;
        sqlx::query(
            "INSERT INTO bases (id, tenant_id, name, workspace_id, restoring, cluster) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(base_id.0)
        .bind(tenant_id.0)
        .bind(name)
        .bind(workspace.map(|id| id.0))
        .bind(restoring)
        .bind(&cluster)
        .execute(&mut *control)
        .await
        .context("record the base")?;
        control.commit().await.context("record the base")?;
        let after = serde_json::json!({ "name": name });
        self.audit_event(tenant_id, Some(base_id), actor, "base.create", base_id.to_string(), after, None).await?;
        Ok(base_id)
    }

    /// The placement policy: a new base of the tenant goes to an accepting cluster dedicated
    /// to its plan when there is one, else to the accepting shared cluster (no plan) with
    /// the fewest live bases; among those this process reaches, ties by name.
    /// It reads on the caller's control transaction: a second connection per creation could
    /// exhaust the pool while creations queue on the workspace's lock.
    async fn place(&self, control: &mut sqlx::PgConnection, tenant: TenantId) -> anyhow::Result<(String, &PgPool)> {
        let candidates: Vec<String> = sqlx::query_scalar(
            "SELECT c.name FROM data_clusters c JOIN tenants t ON t.id = $1 \
             LEFT JOIN bases b ON b.cluster = c.name AND b.deleted_at IS NULL \
             WHERE c.accepting AND (c.plan = t.plan OR (c.plan IS NULL AND NOT EXISTS \
             (SELECT 1 FROM data_clusters d WHERE d.accepting AND d.plan = t.plan))) \
             GROUP BY c.name ORDER BY count(b.id), c.name",
        )
        .bind(tenant.0)
        .fetch_all(&mut *control)
        .await
        .context("place the base")?;
        for name in candidates {
            match self.cluster(&name) {
                Ok(pool) => return Ok((name, pool)),
                Err(error) => tracing::warn!(cluster = name, error = %error, "placement skips a cluster"),
            }
        }
        anyhow::bail!("no data cluster takes new bases: add one, or open one (`origin admin cluster`)")
    }

    /// Creates an API token and returns it; only the SHA-256 of its secret is stored.
    pub async fn create_token(
        &self,
        tenant_id: TenantId,
        base_id: BaseId,
        spec: &TokenSpec<'_>,
    ) -> anyhow::Result<String> {
        let (token_id, secret) = self.insert_token(tenant_id, base_id, spec, OPERATOR).await?;
        Ok(shared::token::format(token_id, &secret))
    }

    /// Records a new API token and returns its id and secret; the secret exists only in
    /// the return value.
    pub async fn insert_token(
        &self,
        tenant_id: TenantId,
        base_id: BaseId,
        spec: &TokenSpec<'_>,
        actor: &str,
    ) -> anyhow::Result<(TokenId, String)> {
        let token_id = TokenId(Uuid::new_v4());
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).map_err(|error| anyhow::anyhow!("no secure random source: {error}"))?;
        let secret = hex::encode(secret);
        // Owned strings: a `Vec<&str>` bound across an await makes the future not `Send`.
        let scopes: Vec<String> = spec.scopes.iter().map(|scope| scope.as_str().to_owned()).collect();
        let limit = spec.rate_limit.map(|limit| (limit.requests as i32, limit.window_seconds as i32));
        sqlx::query(
            "INSERT INTO api_tokens (id, base_id, name, secret_sha256, scopes, expires_at, rate_limit_requests, \
             rate_limit_window_seconds) VALUES ($1, $2, $3, $4, $5, ($6::text)::timestamptz, $7, $8)",
        )
        .bind(token_id.0)
        .bind(base_id.0)
        .bind(spec.name)
        .bind(shared::token::sha256(secret.as_bytes()).to_vec())
        .bind(&scopes)
        .bind(spec.expires_at)
        .bind(limit.map(|(requests, _)| requests))
        .bind(limit.map(|(_, window)| window))
        .execute(&self.control)
        .await
        .context("record the token")?;
        let after = serde_json::json!({
            "name": spec.name, "scopes": scopes, "expires_at": spec.expires_at, "rate_limit": spec.rate_limit,
        });
        self.audit_event(tenant_id, Some(base_id), actor, "token.create", token_id.to_string(), after, None).await?;
        Ok((token_id, secret))
    }
}

/// An API token to create.
pub struct TokenSpec<'a> {
    pub name: &'a str,
    pub scopes: &'a [Scope],
    /// RFC 3339.
    pub expires_at: Option<&'a str>,
    /// The token's own limit; `None` takes its plan's.
    pub rate_limit: Option<RateLimit>,
}
/// The actor of operator commands in audit events and `schema_ops`.
pub const OPERATOR: &str = "operator";

/// Schema changes one process runs at once (across bases; one base runs one at a time).
const MAX_SCHEMA_CHANGES: usize = 8;

/// How long a renamed table or field answers to its former name, unless configured.
pub const DEFAULT_RENAME_GRACE: std::time::Duration = std::time::Duration::from_secs(7 * 24 * 3600);
pub const DEFAULT_DROP_RETENTION: std::time::Duration = std::time::Duration::from_secs(7 * 24 * 3600);

/// A statement from `shared` with its parameters bound as text.
pub fn bound(sql: &Sql) -> sqlx::query::Query<'_, Postgres, sqlx::postgres::PgArguments> {
    sql.params.iter().fold(sqlx::query::<Postgres>(&sql.text), |query, param| query.bind(param.clone()))
}

/// Runs DDL steps, binding their parameters as text.
pub async fn run_steps(transaction: &mut Transaction<'_, Postgres>, steps: &[Sql]) -> Result<(), sqlx::Error> {
    for step in steps {
        bound(step).execute(&mut **transaction).await?;
    }
    Ok(())
}

/// The one row of a count query from `shared` (`rule_breakers`): the count and a JSON
/// array of example ids, its parameters bound as text.
pub async fn count_and_examples(pool: &PgPool, sql: &Sql) -> Result<(i64, serde_json::Value), sqlx::Error> {
    let row = bound(sql).fetch_one(pool).await?;
    let (count, examples): (i64, String) = (sqlx::Row::try_get(&row, 0)?, sqlx::Row::try_get(&row, 1)?);
    Ok((count, serde_json::from_str(&examples).unwrap_or_default()))
}
