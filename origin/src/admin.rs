//! Operator commands (`origin admin …`): create tenants, users, bases and tokens, and
//! seed the demo; and the writes they share with the management API.
//!
//! DDL runs as the admin role and is produced by [`shared::ddl`] from catalog ids;
//! tables are created through [`crate::schema::change`], like every schema change.

use crate::config::{AdminCommand, PlanLimits, SeedArgs};
use crate::store::{AdminPlanes, OPERATOR, TokenSpec};
use anyhow::Context;
use serde::Serialize;
use shared::catalog::{FieldType, OnDelete, Table};
use shared::ids::{BaseId, TableId, TenantId, WorkspaceId};
use shared::lower::{qualified_table, quote_ident};
use shared::schema::{Change, NewField, NewLink};
use shared::token::Scope;
use shared::usage::RateLimit;
use sqlx::PgPool;
use uuid::Uuid;

/// Creates a table with its fields, as the management API does, and returns it.
pub async fn create_table(
    planes: &AdminPlanes,
    tenant_id: TenantId,
    base_id: BaseId,
    name: &str,
    fields: &[FieldSpec],
) -> anyhow::Result<Table> {
    let fields = fields
        .iter()
        .map(|spec| NewField {
            required: spec.required,
            unique: spec.unique,
            options: spec.options.iter().map(|option| (*option).to_owned()).collect(),
            link: spec.link.map(|table| NewLink {
                table: table.to_owned(),
                on_delete: OnDelete::Restrict,
                display: Some("name".to_owned()),
            }),
            ..NewField::new(spec.name, spec.field_type)
        })
        .collect();
    let change = Change::CreateTable { name: name.to_owned(), fields };
    let requester = crate::schema::Requester { tenant: tenant_id, actor: OPERATOR, request_id: None };
    let (_, answer) = crate::schema::change(planes, base_id, &requester, &change, false)
        .await
        .map_err(|error| anyhow::anyhow!("create table '{name}': {error}"))?;
    let table = answer.table.with_context(|| format!("create table '{name}': no table in the answer"))?;
    Ok(serde_json::from_value(table)?)
}

/// Fills a `customers`-shaped table with deterministic rows, one second apart.
async fn seed_customers(planes: &AdminPlanes, base_id: BaseId, table: &Table, rows: u32) -> anyhow::Result<()> {
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
    sqlx::query(&sql).bind(i32::try_from(rows)?).execute(planes.data(base_id).await?).await.context("seed rows")?;
    sqlx::query(&format!("ANALYZE {}", qualified_table(base_id, table.id)))
        .execute(planes.data(base_id).await?)
        .await?;
    Ok(())
}

/// One order per customer, created with it: `customer` links to it, `total` is its amount.
async fn seed_orders(planes: &AdminPlanes, base_id: BaseId, orders: &Table, customers: &Table) -> anyhow::Result<()> {
    let link = orders.field("customer").context("field customer")?;
    let total = orders.field("total").context("field total")?;
    let amount = customers.field("amount").context("field amount")?;
    let sql = format!(
        "INSERT INTO {} (created_at, updated_at, {}, {}) SELECT c.created_at, c.created_at, c.id, c.{} FROM {} c",
        qualified_table(base_id, orders.id),
        quote_ident(&link.id.column_name()),
        quote_ident(&total.id.column_name()),
        quote_ident(&amount.id.column_name()),
        qualified_table(base_id, customers.id),
    );
    sqlx::query(&sql).execute(planes.data(base_id).await?).await.context("seed orders")?;
    sqlx::query(&format!("ANALYZE {}", qualified_table(base_id, orders.id)))
        .execute(planes.data(base_id).await?)
        .await?;
    Ok(())
}

/// Fills the ledger: ten rows per `created_at` second, and NULLs and repeats in every field.
async fn seed_ledger(planes: &AdminPlanes, base_id: BaseId, table: &Table) -> anyhow::Result<()> {
    let column = |name: &str| -> anyhow::Result<String> {
        let field = table.field(name).with_context(|| format!("field {name}"))?;
        Ok(quote_ident(&field.id.column_name()))
    };
    let sql = format!(
        "INSERT INTO {} (created_at, updated_at, {}, {}, {}) \
         SELECT ts, ts, CASE WHEN i % 7 = 0 THEN NULL ELSE (i * 37) % 50 END, \
         CASE WHEN i % 5 = 0 THEN NULL ELSE 'L' || ((i * 13) % 30) END, \
         CASE WHEN i % 11 = 0 THEN NULL ELSE date '2025-01-01' + (i % 90) END \
         FROM generate_series(1, $1) AS i, LATERAL (SELECT timestamptz '2025-01-01 00:00:00+00' + (i / 10) * interval '1 second') AS t(ts)",
        qualified_table(base_id, table.id),
        column("score")?,
        column("label")?,
        column("day")?,
    );
    sqlx::query(&sql).bind(LEDGER_ROWS).execute(planes.data(base_id).await?).await.context("seed the ledger")?;
    sqlx::query(&format!("ANALYZE {}", qualified_table(base_id, table.id)))
        .execute(planes.data(base_id).await?)
        .await?;
    Ok(())
}

/// The demo tokens' limit: generous, so that the end-to-end suites and benchmarks are not
/// limited; the product default (600 per minute) applies to every other token.
const DEMO_RATE_LIMIT: RateLimit = RateLimit { requests: 1_000_000, window_seconds: 60 };
/// A field of a table to create.
pub struct FieldSpec {
    pub name: &'static str,
    pub field_type: FieldType,
    pub required: bool,
    pub unique: bool,
    pub options: &'static [&'static str],
    /// A link's target table (restrict on delete, displayed by its `name`).
    pub link: Option<&'static str>,
}

const fn spec(name: &'static str, field_type: FieldType) -> FieldSpec {
    FieldSpec { name, field_type, required: false, unique: false, options: &[], link: None }
}

const COLORS: &[&str] = &["red", "green", "blue"];

/// The demo table: what the quickstart, the benchmarks and most end-to-end cases use.
pub const CUSTOMER_FIELDS: [FieldSpec; 6] = [
    FieldSpec { required: true, ..spec("name", FieldType::Text) },
    FieldSpec { unique: true, ..spec("email", FieldType::Email) },
    spec("amount", FieldType::Number),
    spec("active", FieldType::Boolean),
    spec("signed_up_at", FieldType::Datetime),
    FieldSpec { options: &["active", "churned", "trial", "paused"], ..spec("status", FieldType::SingleSelect) },
];

/// One field of every type, all optional, for type round-trip and operator tests.
pub const SPECIMEN_FIELDS: [FieldSpec; 13] = [
    spec("text", FieldType::Text),
    spec("long_text", FieldType::LongText),
    spec("number", FieldType::Number),
    spec("boolean", FieldType::Boolean),
    spec("date", FieldType::Date),
    spec("datetime", FieldType::Datetime),
    spec("email", FieldType::Email),
    spec("url", FieldType::Url),
    FieldSpec { options: COLORS, ..spec("single_select", FieldType::SingleSelect) },
    FieldSpec { options: COLORS, ..spec("multi_select", FieldType::MultiSelect) },
    spec("json", FieldType::Json),
    spec("uuid", FieldType::Uuid),
    FieldSpec { unique: true, ..spec("code", FieldType::Text) },
];

/// Orders of the demo customers: a relation to include and filter across.
pub const ORDER_FIELDS: [FieldSpec; 2] =
    [FieldSpec { link: Some("customers"), ..spec("customer", FieldType::Link) }, spec("total", FieldType::Number)];

/// Sort keys with NULLs and ties, for cursor walks.
pub const LEDGER_FIELDS: [FieldSpec; 3] =
    [spec("score", FieldType::Number), spec("label", FieldType::Text), spec("day", FieldType::Date)];

/// Rows of the ledger table: enough that a cursor walk crosses many pages.
pub const LEDGER_ROWS: i32 = 10_000;

/// What `seed-demo` created, for scripts and the end-to-end suites.
#[derive(Serialize)]
pub struct Fixture {
    pub base_id: BaseId,
    pub table_id: TableId,
    pub other_base_id: BaseId,
    pub other_table_id: TableId,
    pub rows: u32,
    /// The demo user (owner of the demo base's workspace) and their password.
    pub workspace_id: WorkspaceId,
    pub user_email: String,
    pub user_password: String,
    /// `specimens` (every field type) and `ledger` (NULLs and ties) in the demo base.
    pub specimens_table_id: TableId,
    pub ledger_table_id: TableId,
    pub ledger_rows: i32,
    /// Read, write and delete on the demo base.
    pub token_rw: String,
    /// Read only on the demo base.
    pub token_ro: String,
    /// Read, write and delete on the other base.
    pub token_other: String,
    /// A platform operator (no workspace of their own) and their password.
    pub operator_email: String,
    pub operator_password: String,
}

pub async fn seed_demo(args: SeedArgs) -> anyhow::Result<()> {
    let planes = AdminPlanes::connect(&args.admin).await?;
    let tenant_id = planes.create_tenant("demo").await?;
    // The demo user owns the workspace of the demo base; the password is random and shown once.
    let password = || -> anyhow::Result<String> {
        let mut bytes = [0u8; 12];
        getrandom::fill(&mut bytes).map_err(|error| anyhow::anyhow!("no secure random source: {error}"))?;
        Ok(hex::encode(bytes))
    };
    let user_password = password()?;
    let user_email = format!("demo-{}@example.com", &Uuid::new_v4().simple().to_string()[..8]);
    let hash = crate::password::hash(&user_password).await.map_err(|error| anyhow::anyhow!("{error}"))?;
    let (_, workspace_id) =
        planes.create_owner(Some(tenant_id), &user_email, "Demo", &hash).await?.context("the demo user exists")?;
    let base_id = planes.create_base(tenant_id, Some(workspace_id), "demo", OPERATOR, None, false).await?;
    let table = create_table(&planes, tenant_id, base_id, "customers", &CUSTOMER_FIELDS).await?;
    seed_customers(&planes, base_id, &table, args.rows).await?;
    let specimens = create_table(&planes, tenant_id, base_id, "specimens", &SPECIMEN_FIELDS).await?;
    let ledger = create_table(&planes, tenant_id, base_id, "ledger", &LEDGER_FIELDS).await?;
    seed_ledger(&planes, base_id, &ledger).await?;
    let orders = create_table(&planes, tenant_id, base_id, "orders", &ORDER_FIELDS).await?;
    seed_orders(&planes, base_id, &orders, &table).await?;
    let demo_token = |name, scopes| TokenSpec { name, scopes, expires_at: None, rate_limit: Some(DEMO_RATE_LIMIT) };
    let all = [Scope::Read, Scope::Write, Scope::Delete];
    let token_rw = planes.create_token(tenant_id, base_id, &demo_token("demo read-write", &all)).await?;
    let token_ro = planes.create_token(tenant_id, base_id, &demo_token("demo read-only", &[Scope::Read])).await?;
    // A second tenant's base, so isolation can be shown and tested.
    let other_tenant = planes.create_tenant("other").await?;
    let other_base_id = planes.create_base(other_tenant, None, "other", OPERATOR, None, false).await?;
    let other_table = create_table(&planes, other_tenant, other_base_id, "customers", &CUSTOMER_FIELDS).await?;
    seed_customers(&planes, other_base_id, &other_table, 10).await?;
    let token_other = planes.create_token(other_tenant, other_base_id, &demo_token("other read-write", &all)).await?;
    // A platform operator, for the console's admin section.
    let operator_password = password()?;
    let operator_email = format!("operator-{}@example.com", &Uuid::new_v4().simple().to_string()[..8]);
    let operator_hash = crate::password::hash(&operator_password).await.map_err(|error| anyhow::anyhow!("{error}"))?;
    sqlx::query(
        "INSERT INTO users (id, email, name, password_hash, platform_role) VALUES ($1, $2, 'Operator', $3, 'operator')",
    )
    .bind(Uuid::new_v4())
    .bind(&operator_email)
    .bind(&operator_hash)
    .execute(&planes.control)
    .await
    .context("create the demo operator")?;
    let fixture = Fixture {
        base_id,
        table_id: table.id,
        other_base_id,
        other_table_id: other_table.id,
        rows: args.rows,
        workspace_id,
        user_email,
        user_password,
        specimens_table_id: specimens.id,
        ledger_table_id: ledger.id,
        ledger_rows: LEDGER_ROWS,
        token_rw,
        token_ro,
        token_other,
        operator_email,
        operator_password,
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

/// The operator commands besides `seed-demo`; each prints what it created as JSON.
pub async fn run(command: AdminCommand) -> anyhow::Result<()> {
    let created = match command {
        AdminCommand::SeedDemo(args) => return seed_demo(args).await,
        AdminCommand::CreateTenant { admin, name } => {
            let planes = AdminPlanes::connect(&admin).await?;
            serde_json::json!({ "tenant_id": planes.create_tenant(&name).await? })
        }
        AdminCommand::CreateUser { admin, email, name, tenant } => {
            let email = shared::manage::normalize_email(&email).map_err(|error| anyhow::anyhow!("{error}"))?;
            let name = shared::manage::check_label("name", &name).map_err(|error| anyhow::anyhow!("{error}"))?;
            let mut password = String::new();
            std::io::stdin().read_line(&mut password).context("read the password from standard input")?;
            let password = password.trim_end_matches(['\r', '\n']);
            shared::manage::check_password(password).map_err(|error| anyhow::anyhow!("{error}"))?;
            let planes = AdminPlanes::connect(&admin).await?;
            let hash = crate::password::hash(password).await.map_err(|error| anyhow::anyhow!("{error}"))?;
            let (user, workspace) = planes
                .create_owner(tenant.map(TenantId), &email, &name, &hash)
                .await?
                .with_context(|| format!("an account with {email} exists"))?;
            serde_json::json!({ "user_id": user, "workspace_id": workspace, "email": email })
        }
        AdminCommand::CreateBase { admin, tenant, name, workspace } => {
            let name = shared::manage::check_label("name", &name).map_err(|error| anyhow::anyhow!("{error}"))?;
            let planes = AdminPlanes::connect(&admin).await?;
            let base =
                planes.create_base(TenantId(tenant), workspace.map(WorkspaceId), &name, OPERATOR, None, false).await?;
            serde_json::json!({ "base_id": base })
        }
        AdminCommand::CreateToken { admin, base, name, scopes, expires_at, rate_limit } => {
            let scopes = scopes
                .split(',')
                .map(|scope| Scope::parse(scope.trim()).with_context(|| format!("unknown scope '{scope}'")))
                .collect::<anyhow::Result<Vec<_>>>()?;
            anyhow::ensure!(
                expires_at.as_deref().is_none_or(shared::value::is_datetime),
                "--expires-at must be an RFC 3339 date-time"
            );
            let planes = AdminPlanes::connect(&admin).await?;
            let tenant: Uuid = sqlx::query_scalar("SELECT tenant_id FROM bases WHERE id = $1 AND deleted_at IS NULL")
                .bind(base)
                .fetch_optional(&planes.control)
                .await?
                .with_context(|| format!("no base {base}"))?;
            let rate_limit = rate_limit
                .map(|text| {
                    RateLimit::parse(&text).with_context(|| format!("--rate-limit '{text}': use <requests>/<seconds>"))
                })
                .transpose()?;
            let spec = TokenSpec { name: &name, scopes: &scopes, expires_at: expires_at.as_deref(), rate_limit };
            let (token_id, secret) = planes.insert_token(TenantId(tenant), BaseId(base), &spec, OPERATOR).await?;
            serde_json::json!({ "token_id": token_id, "token": shared::token::format(token_id, &secret) })
        }
        AdminCommand::SetQuota { admin, base, monthly } => {
            let monthly: Option<i64> = match monthly.as_str() {
                "none" => None,
                text => Some(text.parse().ok().filter(|limit| *limit >= 0).context("--monthly: a count, or none")?),
            };
            let planes = AdminPlanes::connect(&admin).await?;
            let updated = sqlx::query("UPDATE bases SET monthly_request_quota = $2 WHERE id = $1")
                .bind(base)
                .bind(monthly)
                .execute(&planes.control)
                .await?;
            anyhow::ensure!(updated.rows_affected() == 1, "no base {base}");
            serde_json::json!({ "base_id": base, "monthly_request_quota": monthly })
        }
        AdminCommand::PutPlan { admin, name, limits } => {
            let planes = AdminPlanes::connect(&admin).await?;
            put_plan(&planes.control, &name, &limits).await?
        }
        AdminCommand::SetPlan { admin, plan, tenant, workspace } => {
            let planes = AdminPlanes::connect(&admin).await?;
            set_plan(&planes.control, &plan, tenant, workspace).await?
        }
        AdminCommand::Operator { admin, email, revoke } => {
            let email = shared::manage::normalize_email(&email).map_err(|error| anyhow::anyhow!("{error}"))?;
            let planes = AdminPlanes::connect(&admin).await?;
            let user: Option<Uuid> = sqlx::query_scalar(
                "UPDATE users SET platform_role = CASE WHEN $2 THEN NULL ELSE 'operator' END WHERE email = $1 \
                 RETURNING id",
            )
            .bind(&email)
            .bind(revoke)
            .fetch_optional(&planes.control)
            .await?;
            let user = user.with_context(|| format!("no account has the email {email}; create it first"))?;
            serde_json::json!({ "user_id": user, "email": email, "operator": !revoke })
        }
        AdminCommand::WatchJob { admin, job } => watch_job(&admin, job).await?,
        AdminCommand::Cluster { admin, name, plan, close, open } => {
            anyhow::ensure!(
                shared::manage::is_cluster_name(&name),
                "--name: a lowercase letter, then up to 39 lowercase letters, digits or dashes"
            );
            let planes = AdminPlanes::connect(&admin).await?;
            let plan = plan.map(|plan| (plan != "none").then_some(plan));
            let accepting = (close || open).then_some(open);
            sqlx::query(
                "INSERT INTO data_clusters (name, accepting, plan) VALUES ($1, coalesce($2, true), $3) \
                 ON CONFLICT (name) DO UPDATE SET accepting = coalesce($2, data_clusters.accepting), \
                 plan = CASE WHEN $4 THEN EXCLUDED.plan ELSE data_clusters.plan END",
            )
            .bind(&name)
            .bind(accepting)
            .bind(plan.clone().flatten())
            .bind(plan.is_some())
            .execute(&planes.control)
            .await
            .with_context(|| format!("register the data cluster {name} (is the plan's name right?)"))?;
            let clusters: Vec<(String, bool, Option<String>, i64)> = sqlx::query_as(
                "SELECT c.name, c.accepting, c.plan, count(b.id) FROM data_clusters c \
                 LEFT JOIN bases b ON b.cluster = c.name AND b.deleted_at IS NULL GROUP BY c.name ORDER BY c.name",
            )
            .fetch_all(&planes.control)
            .await?;
            let clusters: Vec<serde_json::Value> = clusters
                .into_iter()
                .map(|(name, accepting, plan, bases)| {
                    serde_json::json!({ "name": name, "accepting": accepting, "plan": plan, "bases": bases })
                })
                .collect();
            serde_json::json!({ "clusters": clusters })
        }
        AdminCommand::ExportBase { admin, storage, operator, base, include_files, out } => {
            crate::archive::operator::export(&admin, &storage, &operator, base, include_files, out.as_deref()).await?
        }
        AdminCommand::RestoreBase { admin, storage, operator, workspace, name, file } => {
            crate::archive::operator::restore(&admin, &storage, &operator, workspace, &name, &file).await?
        }
        AdminCommand::CloneBase { admin, operator, base, name, workspace, without_files } => {
            crate::archive::operator::clone(&admin, &operator, base, &name, workspace, !without_files).await?
        }
        AdminCommand::PruneChanges { admin, base, older_than } => {
            let planes = AdminPlanes::connect(&admin).await?;
            let pruned = crate::changes::prune(planes.data(BaseId(base)).await?, BaseId(base), older_than)
                .await
                .map_err(|error| anyhow::anyhow!("{error}"))?;
            serde_json::json!({ "base_id": base, "pruned": pruned })
        }
        AdminCommand::KeepAudit { admin } => {
            let planes = AdminPlanes::connect(&admin).await?;
            crate::audit::keep(&planes.control, &planes.logs).await?;
            let partitions: Vec<String> = sqlx::query_scalar(
                "SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid \
                 WHERE i.inhparent = 'audit_events'::regclass ORDER BY 1",
            )
            .fetch_all(&planes.logs)
            .await?;
            serde_json::json!({ "partitions": partitions })
        }
        AdminCommand::SweepFiles { admin, storage, base, older_than } => {
            let storage = crate::storage::Storage::new(&storage)?.context("no object store configured (NC_S3_*)")?;
            let planes = AdminPlanes::connect(&admin).await?;
            let cluster = crate::catalog::placement(&planes.control, BaseId(base))
                .await?
                .with_context(|| format!("no base {base}"))?;
            let url = crate::config::data_clusters(&admin.admin_data_url, &admin.admin_data_clusters)?
                .into_iter()
                .find_map(|(name, url)| (name == cluster).then_some(url))
                .with_context(|| {
                    format!("the base is on the data cluster '{cluster}': give its NC_ADMIN_DATA_CLUSTERS")
                })?;
            let data = connect(&url).await?;
            let base = shared::ids::BaseId(base);
            let files = crate::jobs::sweep(&data, &storage, older_than, Some(base))
                .await
                .map_err(|error| anyhow::anyhow!("{error}"))?;
            serde_json::json!({ "files": files })
        }
    };
    println!("{created}");
    Ok(())
}

/// A connection to a data cluster as the admin role.
async fn connect(url: &str) -> anyhow::Result<tokio_postgres::Client> {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.context("connect")?;
    tokio::spawn(connection);
    Ok(client)
}

/// Polls a job, drawing its progress (bytes when the source's size is known, else rows)
/// on standard error, until it ends.
pub(crate) async fn watch_job(admin: &crate::config::AdminUrls, job: uuid::Uuid) -> anyhow::Result<serde_json::Value> {
    use std::io::Write;
    // A job lives on its base's cluster: the one that has it.
    let mut found = None;
    for (_, url) in crate::config::data_clusters(&admin.admin_data_url, &admin.admin_data_clusters)? {
        let data = connect(&url).await?;
        let row = data.query_opt("SELECT 1 FROM nc.jobs WHERE id = $1::text::uuid", &[&job.to_string()]).await?;
        if row.is_some() {
            found = Some(data);
            break;
        }
    }
    let data = found.with_context(|| format!("no job {job} on any data cluster"))?;
    loop {
        let row = data
            .query_opt(
                "SELECT kind, state, rows_read, rows_written, bytes_read, bytes_total, error_count, error::text, \
                 rows_total FROM nc.jobs WHERE id = $1::text::uuid",
                &[&job.to_string()],
            )
            .await?
            .with_context(|| format!("no job {job}"))?;
        let (kind, state): (String, String) = (row.try_get(0)?, row.try_get(1)?);
        let (rows, written, bytes, total, errors): (i64, i64, i64, Option<i64>, i64) =
            (row.try_get(2)?, row.try_get(3)?, row.try_get(4)?, row.try_get(5)?, row.try_get(6)?);
        let done = crate::jobs::finished(&state);
        // A base's archive counts records (read by an export, written by a restore); a CSV, bytes.
        let rows_total: Option<i64> = row.try_get(8)?;
        let share = match (done, total, rows_total) {
            (true, _, _) => 1.0,
            (false, _, Some(records)) if records > 0 => rows.max(written) as f64 / records as f64,
            (false, Some(total), _) if total > 0 => bytes as f64 / total as f64,
            _ => 0.0,
        };
        let filled = (share * 30.0).round() as usize;
        eprint!(
            "\r{kind} [{}{}] {:>3.0}% {rows} rows read, {written} written, {errors} problems, {state}   ",
            "#".repeat(filled),
            " ".repeat(30 - filled.min(30)),
            share * 100.0
        );
        std::io::stderr().flush()?;
        if done {
            eprintln!();
            let error: Option<String> = row.try_get(7)?;
            return Ok(serde_json::json!({
                "job": job, "kind": kind, "state": state, "rows_read": rows, "rows_written": written, "errors": errors,
                "error": error.map(|text| serde_json::from_str::<serde_json::Value>(&text)).transpose()?,
            }));
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
}

/// Creates or updates a plan in one statement; what is not given stays (a new plan starts
/// from `standard`).
async fn put_plan(control: &PgPool, name: &str, limits: &PlanLimits) -> anyhow::Result<serde_json::Value> {
    let name = shared::manage::check_label("name", name).map_err(|error| anyhow::anyhow!("{error}"))?;
    let rate_limit = limits
        .rate_limit
        .as_deref()
        .map(|text| RateLimit::parse(text).with_context(|| format!("--rate-limit '{text}': use <requests>/<seconds>")))
        .transpose()?;
    let monthly: Option<Option<i64>> = match limits.monthly.as_deref() {
        None => None,
        Some("none") => Some(None),
        Some(text) => Some(Some(text.parse().ok().filter(|limit| *limit >= 0).context("--monthly: a count, or none")?)),
    };
    let stored: Option<Option<i64>> = match limits.max_stored_bytes.as_deref() {
        None => None,
        Some("none") => Some(None),
        Some(text) => Some(Some(
            text.parse().ok().filter(|limit| *limit >= 0).context("--max-stored-bytes: a byte count, or none")?,
        )),
    };
    let as_i32 = |value: u32| i32::try_from(value).context("--rate-limit is too large");
    let row: (serde_json::Value,) = sqlx::query_as(
        "INSERT INTO plans (name, rate_limit_requests, rate_limit_window_seconds, monthly_requests, \
         max_bases_per_workspace, max_tables_per_base, max_fields_per_table, max_views_per_base, max_catalog_bytes, \
         max_upload_bytes, max_stored_bytes, audit_retention_days, change_log_retention_days) \
         SELECT $1, coalesce($2, s.rate_limit_requests), coalesce($3, s.rate_limit_window_seconds), \
         CASE WHEN $4 THEN $5 ELSE s.monthly_requests END, coalesce($6, s.max_bases_per_workspace), \
         coalesce($7, s.max_tables_per_base), coalesce($8, s.max_fields_per_table), \
         coalesce($9, s.max_views_per_base), coalesce($10, s.max_catalog_bytes), coalesce($11, s.max_upload_bytes), \
         CASE WHEN $12 THEN $13 ELSE s.max_stored_bytes END, coalesce($14, s.audit_retention_days), \
         coalesce($15, s.change_log_retention_days) \
         FROM plans s WHERE s.name = coalesce((SELECT name FROM plans WHERE name = $1), 'standard') \
         ON CONFLICT (name) DO UPDATE SET rate_limit_requests = EXCLUDED.rate_limit_requests, \
         rate_limit_window_seconds = EXCLUDED.rate_limit_window_seconds, monthly_requests = EXCLUDED.monthly_requests, \
         max_bases_per_workspace = EXCLUDED.max_bases_per_workspace, max_tables_per_base = EXCLUDED.max_tables_per_base, \
         max_fields_per_table = EXCLUDED.max_fields_per_table, max_views_per_base = EXCLUDED.max_views_per_base, \
         max_catalog_bytes = EXCLUDED.max_catalog_bytes, max_upload_bytes = EXCLUDED.max_upload_bytes, \
         max_stored_bytes = EXCLUDED.max_stored_bytes, audit_retention_days = EXCLUDED.audit_retention_days, \
         change_log_retention_days = EXCLUDED.change_log_retention_days \
         RETURNING to_jsonb(plans)",
    )
    .bind(&name)
    .bind(rate_limit.map(|limit| as_i32(limit.requests)).transpose()?)
    .bind(rate_limit.map(|limit| as_i32(limit.window_seconds)).transpose()?)
    .bind(monthly.is_some())
    .bind(monthly.flatten())
    .bind(limits.bases_per_workspace)
    .bind(limits.tables_per_base)
    .bind(limits.fields_per_table)
    .bind(limits.views_per_base)
    .bind(limits.catalog_bytes)
    .bind(limits.max_upload_bytes)
    .bind(stored.is_some())
    .bind(stored.flatten())
    .bind(limits.audit_retention_days)
    .bind(limits.change_log_retention_days)
    .fetch_one(control)
    .await
    .context("record the plan")?;
    // Origins cache token and access records with their plan's rate limit.
    forget_limits(control, None, Some(&name)).await?;
    Ok(row.0)
}

/// Puts a tenant on a plan.
async fn set_plan(
    control: &PgPool,
    plan: &str,
    tenant: Option<Uuid>,
    workspace: Option<Uuid>,
) -> anyhow::Result<serde_json::Value> {
    let tenant: Option<Uuid> = sqlx::query_scalar(
        "UPDATE tenants SET plan = $1 WHERE id = coalesce($2, (SELECT tenant_id FROM workspaces WHERE id = $3)) \
         RETURNING id",
    )
    .bind(plan)
    .bind(tenant)
    .bind(workspace)
    .fetch_optional(control)
    .await
    .with_context(|| format!("put the tenant on plan '{plan}' (does it exist?)"))?;
    let tenant = tenant.context("no such tenant or workspace")?;
    forget_limits(control, Some(tenant), None).await?;
    Ok(serde_json::json!({ "tenant_id": tenant, "plan": plan }))
}

/// Tells every origin to drop the cached token and access records of a tenant's (or a
/// plan's tenants') bases, whose rate limits come from the plan.
async fn forget_limits(control: &PgPool, tenant: Option<Uuid>, plan: Option<&str>) -> anyhow::Result<()> {
    sqlx::query(
        "SELECT pg_notify('nc_tokens', t.id::text) FROM api_tokens t JOIN bases b ON b.id = t.base_id \
         JOIN tenants n ON n.id = b.tenant_id WHERE n.id = $1 OR n.plan = $2",
    )
    .bind(tenant)
    .bind(plan)
    .execute(control)
    .await
    .context("notify token changes")?;
    sqlx::query("SELECT pg_notify('nc_access', '')").execute(control).await.context("notify access changes")?;
    Ok(())
}
