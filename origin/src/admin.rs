//! Operator commands: create tenants, bases, tables and tokens, and seed the demo.
//!
//! DDL runs as the admin role and is produced by [`shared::ddl`] from catalog ids; the
//! catalog rows are written after the DDL succeeds.

use crate::config::{AdminUrls, SeedArgs};
use anyhow::Context;
use serde::Serialize;
use shared::catalog::{Field, FieldType, Table};
use shared::ids::{BaseId, FieldId, TableId, TenantId, TokenId};
use shared::lower::{qualified_table, quote_ident};
use shared::token::Scope;
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use uuid::Uuid;

/// Admin connections to the three planes.
pub struct AdminPlanes {
    pub control: PgPool,
    pub data: PgPool,
    pub logs: PgPool,
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
        Ok(AdminPlanes {
            control: pool(urls.admin_control_url.clone(), "control").await?,
            data: pool(urls.admin_data_url.clone(), "data").await?,
            logs: pool(urls.admin_logs_url.clone(), "logs").await?,
        })
    }

    async fn audit(
        &self,
        tenant_id: TenantId,
        base_id: Option<BaseId>,
        action: &str,
        resource_id: String,
        after: serde_json::Value,
    ) -> anyhow::Result<()> {
        sqlx::query("INSERT INTO audit_events (tenant_id, base_id, actor, action, resource_id, after) VALUES ($1, $2, 'operator', $3, $4, $5)")
            .bind(tenant_id.0)
            .bind(base_id.map(|id| id.0))
            .bind(action)
            .bind(resource_id)
            .bind(after)
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

    /// Creates a base: its schema in the data plane, then its catalog row.
    pub async fn create_base(&self, tenant_id: TenantId, name: &str) -> anyhow::Result<BaseId> {
        let base_id = BaseId(Uuid::new_v4());
        let mut transaction = self.data.begin().await?;
        for statement in shared::ddl::create_base(base_id) {
            sqlx::raw_sql(&statement).execute(&mut *transaction).await.context("create the base schema")?;
        }
        transaction.commit().await?;
        sqlx::query("INSERT INTO bases (id, tenant_id, name) VALUES ($1, $2, $3)")
            .bind(base_id.0)
            .bind(tenant_id.0)
            .bind(name)
            .execute(&self.control)
            .await
            .context("record the base")?;
        self.audit(tenant_id, Some(base_id), "base.create", base_id.to_string(), serde_json::json!({ "name": name }))
            .await?;
        Ok(base_id)
    }

    /// Creates a table with its fields: the physical table, then the catalog rows and a new catalog version.
    pub async fn create_table(
        &self,
        tenant_id: TenantId,
        base_id: BaseId,
        name: &str,
        fields: &[(&str, FieldType, bool)],
    ) -> anyhow::Result<Table> {
        anyhow::ensure!(shared::catalog::is_valid_name(name), "'{name}' is not a valid table name");
        let table = Table {
            id: TableId(Uuid::new_v4()),
            name: name.to_owned(),
            fields: fields
                .iter()
                .map(|(name, field_type, required)| Field {
                    id: FieldId(Uuid::new_v4()),
                    name: (*name).to_owned(),
                    field_type: *field_type,
                    required: *required,
                })
                .collect(),
        };
        for field in &table.fields {
            anyhow::ensure!(shared::catalog::is_valid_name(&field.name), "'{}' is not a valid field name", field.name);
        }
        let mut transaction = self.data.begin().await?;
        for statement in shared::ddl::create_table(base_id, &table) {
            sqlx::raw_sql(&statement).execute(&mut *transaction).await.context("create the physical table")?;
        }
        transaction.commit().await?;
        let mut transaction = self.control.begin().await?;
        sqlx::query("INSERT INTO tables (id, base_id, name) VALUES ($1, $2, $3)")
            .bind(table.id.0)
            .bind(base_id.0)
            .bind(name)
            .execute(&mut *transaction)
            .await
            .context("record the table")?;
        for (position, field) in table.fields.iter().enumerate() {
            sqlx::query(
                "INSERT INTO fields (id, table_id, name, type, required, position) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(field.id.0)
            .bind(table.id.0)
            .bind(&field.name)
            .bind(field.field_type.as_str())
            .bind(field.required)
            .bind(i32::try_from(position)?)
            .execute(&mut *transaction)
            .await
            .context("record a field")?;
        }
        sqlx::query("UPDATE bases SET catalog_version = catalog_version + 1 WHERE id = $1")
            .bind(base_id.0)
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await?;
        self.audit(tenant_id, Some(base_id), "table.create", table.id.to_string(), serde_json::json!({ "name": name }))
            .await?;
        Ok(table)
    }

    /// Creates an API token and returns it; only the SHA-256 of its secret is stored.
    pub async fn create_token(
        &self,
        tenant_id: TenantId,
        base_id: BaseId,
        name: &str,
        scopes: &[Scope],
    ) -> anyhow::Result<String> {
        let token_id = TokenId(Uuid::new_v4());
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).map_err(|error| anyhow::anyhow!("no secure random source: {error}"))?;
        let secret = hex::encode(secret);
        let scopes: Vec<&str> = scopes.iter().map(|scope| scope.as_str()).collect();
        sqlx::query("INSERT INTO api_tokens (id, base_id, name, secret_sha256, scopes) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_id.0)
            .bind(base_id.0)
            .bind(name)
            .bind(shared::token::sha256(secret.as_bytes()).to_vec())
            .bind(&scopes)
            .execute(&self.control)
            .await
            .context("record the token")?;
        self.audit(
            tenant_id,
            Some(base_id),
            "token.create",
            token_id.to_string(),
            serde_json::json!({ "name": name, "scopes": scopes }),
        )
        .await?;
        Ok(shared::token::format(token_id, &secret))
    }

    /// Fills a `customers`-shaped table with deterministic rows, one second apart.
    async fn seed_customers(&self, base_id: BaseId, table: &Table, rows: u32) -> anyhow::Result<()> {
        let column = |name: &str| -> anyhow::Result<String> {
            let field = table.field(name).with_context(|| format!("field {name}"))?;
            Ok(quote_ident(&field.id.column_name()))
        };
        let sql = format!(
            "INSERT INTO {} (created_at, updated_at, {}, {}, {}, {}, {}, {}) \
             SELECT ts, ts, 'Customer ' || i, 'customer' || i || '@example.com', round(((i * 7919) % 100000) / 100.0, 2), \
             i % 3 <> 0, timestamptz '2024-01-01 00:00:00+00' + i * interval '17 minutes', \
             (ARRAY['active', 'churned', 'trial', 'paused'])[1 + i % 4] \
             FROM generate_series(1, $1) AS i, LATERAL (SELECT timestamptz '2025-01-01 00:00:00+00' + i * interval '1 second') AS t(ts)",
            qualified_table(base_id, table.id),
            column("name")?,
            column("email")?,
            column("amount")?,
            column("active")?,
            column("signed_up_at")?,
            column("status")?,
        );
        sqlx::query(&sql).bind(i32::try_from(rows)?).execute(&self.data).await.context("seed rows")?;
        sqlx::query(&format!("ANALYZE {}", qualified_table(base_id, table.id))).execute(&self.data).await?;
        Ok(())
    }
}

pub const CUSTOMER_FIELDS: [(&str, FieldType, bool); 6] = [
    ("name", FieldType::Text, true),
    ("email", FieldType::Text, false),
    ("amount", FieldType::Number, false),
    ("active", FieldType::Boolean, false),
    ("signed_up_at", FieldType::Datetime, false),
    ("status", FieldType::Text, false),
];

/// What `seed-demo` created, for scripts and the end-to-end suites.
#[derive(Serialize)]
pub struct Fixture {
    pub base_id: BaseId,
    pub table_id: TableId,
    pub other_base_id: BaseId,
    pub other_table_id: TableId,
    pub rows: u32,
    /// Read, write and delete on the demo base.
    pub token_rw: String,
    /// Read only on the demo base.
    pub token_ro: String,
    /// Read, write and delete on the other base.
    pub token_other: String,
}

pub async fn seed_demo(args: SeedArgs) -> anyhow::Result<()> {
    let planes = AdminPlanes::connect(&args.admin).await?;
    let tenant_id = planes.create_tenant("demo").await?;
    let base_id = planes.create_base(tenant_id, "demo").await?;
    let table = planes.create_table(tenant_id, base_id, "customers", &CUSTOMER_FIELDS).await?;
    planes.seed_customers(base_id, &table, args.rows).await?;
    let token_rw =
        planes.create_token(tenant_id, base_id, "demo read-write", &[Scope::Read, Scope::Write, Scope::Delete]).await?;
    let token_ro = planes.create_token(tenant_id, base_id, "demo read-only", &[Scope::Read]).await?;
    // A second tenant's base, so isolation can be shown and tested.
    let other_tenant = planes.create_tenant("other").await?;
    let other_base_id = planes.create_base(other_tenant, "other").await?;
    let other_table = planes.create_table(other_tenant, other_base_id, "customers", &CUSTOMER_FIELDS).await?;
    planes.seed_customers(other_base_id, &other_table, 10).await?;
    let token_other = planes
        .create_token(other_tenant, other_base_id, "other read-write", &[Scope::Read, Scope::Write, Scope::Delete])
        .await?;
    let fixture = Fixture {
        base_id,
        table_id: table.id,
        other_base_id,
        other_table_id: other_table.id,
        rows: args.rows,
        token_rw,
        token_ro,
        token_other,
    };
    if let Some(path) = &args.fixture_out {
        std::fs::write(path, serde_json::to_vec_pretty(&fixture)?)
            .with_context(|| format!("write {}", path.display()))?;
    }
    println!("Demo base {base_id} with table 'customers' ({} rows).", args.rows);
    println!("Read-write token (shown once): {}", fixture.token_rw);
    println!();
    println!("curl -s '{}/v1/tables/customers/records?limit=2' \\", args.edge_url);
    println!("  -H 'Authorization: Bearer {}' -H 'X-Base-Id: {base_id}'", fixture.token_rw);
    Ok(())
}
