//! Schema changes as the origin runs them, so that the catalog (control plane) and the
//! physical schema (data plane) always agree, whatever fails and whenever.
//!
//! One change, under the base's advisory lock (held by a control-plane connection of its
//! own, never returned to the pool, so the lock ends with the operation however it ends):
//!
//! 1. plan it against the catalog as it is now ([`shared::schema::plan`]);
//! 2. record a `pending` `schema_ops` row holding the change, its DDL and its catalog change;
//! 3. run the DDL in one data-plane transaction that also writes the operation's marker
//!    row (`nc_schema_applied`): the marker exists exactly when the DDL committed;
//! 4. apply the catalog change, bump the catalog version and mark the row `applied`, in
//!    one control-plane transaction;
//! 5. write the audit event.
//!
//! A DDL error rolls back step 3 and marks the row `failed`: no other trace. A crash
//! between 3 and 4 leaves a `pending` row; [`recover`] (on start, before every change of
//! the base, and every few seconds) finishes it from its stored catalog change when the
//! marker exists and marks it `failed` when it does not.

use crate::error::{Error, bug};
use crate::store::AdminPlanes;
use serde_json::{Value, json};
use shared::catalog::Catalog;
use shared::error::{ApiError, ErrorCode};
use shared::ids::{BaseId, TableId, TenantId};
use shared::lower::Sql;
use shared::resource::{Applied, AppliedOp, DdlStep, NotConverting, Preflight, SchemaChangeResult, True};
use shared::schema::{CatalogChange, Change, Dropped, DroppedKind, SchemaPlan};
use sqlx::{Connection, PgConnection, PgPool, Postgres, Row, Transaction};
use std::time::Duration;
use uuid::Uuid;

/// How long a change waits for another change of the same base before giving up.
const SCHEMA_LOCK_TIMEOUT: &str = "30s";
/// How long DDL waits for a table lock held by running queries: short, because every
/// query of the table queues behind a waiting `ALTER TABLE`.
const TABLE_LOCK_TIMEOUT: &str = "5s";
/// DDL that rewrites or indexes a large table may run long.
const DDL_STATEMENT_TIMEOUT: &str = "10min";
/// Pending operations younger than this belong to a live origin (which holds the lock).
const RECOVERY_MIN_AGE: &str = "2 seconds";

/// A test hook: `NC_FAILPOINT` makes the process abort at one of these points of a schema
/// change or an import, as a crash would, so the end-to-end suites can check recovery.
pub(crate) fn failpoint(name: &str) {
    if std::env::var("NC_FAILPOINT").is_ok_and(|point| point == name) {
        tracing::warn!(failpoint = name, "aborting at failpoint");
        std::process::abort();
    }
}

/// The advisory-lock key of a base's schema: both halves of its id folded together.
pub fn lock_key(base: BaseId) -> i64 {
    let bytes = base.0.as_u128();
    ((bytes >> 64) as i64) ^ (bytes as i64)
}

/// Who asked, for the `schema_ops` row and the audit event.
pub struct Requester<'a> {
    pub tenant: TenantId,
    pub actor: &'a str,
    pub request_id: Option<&'a str>,
}

/// Runs (or with `dry_run` only plans) one change of `base`'s schema.
pub async fn change(
    planes: &AdminPlanes,
    base: BaseId,
    who: &Requester<'_>,
    change: &Change,
    dry_run: bool,
) -> Result<(u16, SchemaChangeResult), Error> {
    let _slot = planes.schema_slots.acquire().await.map_err(bug)?;
    let mut lock = locked(planes, base).await?;
    let result = change_locked(planes, &mut lock, base, who, change, dry_run).await;
    // Closing the connection releases the lock, on every path.
    let _ = lock.close().await;
    result
}

/// A control-plane connection of its own holding the base's schema lock.
async fn locked(planes: &AdminPlanes, base: BaseId) -> Result<PgConnection, Error> {
    let mut connection = planes.control.acquire().await?.detach();
    sqlx::query(&format!("SET lock_timeout = '{SCHEMA_LOCK_TIMEOUT}'")).execute(&mut connection).await?;
    sqlx::query("SELECT pg_advisory_lock($1)").bind(lock_key(base)).execute(&mut connection).await.map_err(
        |error| match is_lock_timeout(&error) {
            true => ApiError::new(
                ErrorCode::ServiceUnavailable,
                "Another schema change of this base is still running; retry when it is done.",
            )
            .into(),
            false => Error::Control(error),
        },
    )?;
    Ok(connection)
}

async fn change_locked(
    planes: &AdminPlanes,
    control: &mut PgConnection,
    base: BaseId,
    who: &Requester<'_>,
    change: &Change,
    dry_run: bool,
) -> Result<(u16, SchemaChangeResult), Error> {
    recover_base(planes, control, base).await.map_err(|error| {
        tracing::error!(%base, error = %format!("{error:#}"), "schema recovery failed");
        ApiError::new(ErrorCode::ServiceUnavailable, "An earlier schema change is being recovered; retry shortly.")
    })?;
    let catalog = crate::catalog::load_catalog(control, base)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "No such base.").with("base", base.to_string()))?;
    let plan = match change {
        Change::Purge { item, confirm } => {
            let dropped = dropped(planes, &mut *control, base).await?;
            let item = dropped.iter().find(|dropped| dropped.id == *item).ok_or_else(|| {
                ApiError::new(ErrorCode::NotFound, "Nothing dropped and not yet purged has this id in the base.")
                    .with("dropped", item.to_string())
            })?;
            shared::schema::plan_purge(base, item, confirm)?
        }
        Change::Revert { op } => {
            let (recorded, before) = recorded(&mut *control, base, *op).await?;
            shared::schema::plan_revert(&catalog, &recorded, before.as_ref(), &mut Uuid::new_v4)?
        }
        _ => shared::schema::plan(&catalog, change, &mut Uuid::new_v4)?,
    };
    // Under the base's lock, so concurrent changes cannot pass a limit together.
    within_plan(control, who.tenant, &catalog, &plan.change).await?;
    if dry_run {
        let preflight = preflight(planes, control, &catalog, &plan).await?;
        let not_converting = match change {
            Change::ConvertField { table, field, convert } => {
                let table = shared::schema::find_table(&catalog, table)?;
                let field = shared::schema::find_field(table, field)?;
                let probe = shared::schema::conversion_failures(base, table.id, field, convert.to);
                let (count, examples) = crate::store::count_and_examples(planes.data(base).await?, &probe).await?;
                Some(NotConverting { count, examples })
            }
            _ => None,
        };
        let computed = match shared::schema::computed_preview(&catalog, &plan.change) {
            Some(sql) => Some(computed_values(planes.data(base).await?, &sql, &plan.change).await?),
            None => None,
        };
        let preview = SchemaChangeResult {
            dry_run: Some(True),
            steps: Some(ddl_steps(&plan.steps)),
            change: Some(plan.change),
            preflight: Some(preflight),
            not_converting,
            computed,
            ..SchemaChangeResult::default()
        };
        return Ok((200, preview));
    }
    let op_id = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO schema_ops (id, base_id, actor, kind, payload, status, request_id, reverts) \
         VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7)",
    )
    .bind(op_id)
    .bind(base.0)
    .bind(who.actor)
    .bind(change.name())
    .bind(json!({
        "request": change,
        "steps": ddl_steps(&plan.steps),
        "change": plan.change,
        // What a revert brings back.
        "before": plan.change.table().and_then(|table| catalog.table_by_id(table)),
    }))
    .bind(who.request_id)
    .bind(match change {
        Change::Revert { op } => Some(*op),
        _ => None,
    })
    .execute(&mut *control)
    .await?;
    if let Err(error) = run_ddl(planes.data(base).await?, base, op_id, &plan.steps).await {
        let mut refusal = ddl_error(&error);
        let broken = error.as_database_error().filter(|db| db.is_check_violation());
        let probe = broken.and_then(|db| match shared::schema::rule_breakers(base, &plan.change) {
            Some(probe) => Some(probe),
            // A record rule: the constraint names which.
            None => shared::schema::record_rule_breakers(&catalog, &plan.change, db.constraint()?),
        });
        if let Some(probe) = probe {
            // How many records break the rules, and which: what to fix before trying again.
            match crate::store::count_and_examples(planes.data(base).await?, &probe).await {
                Ok((count, examples)) => {
                    let who = if count == 1 { "1 record".to_owned() } else { format!("{count} records") };
                    refusal.message = rules_broken(&who);
                    refusal = refusal.with("count", count).with("examples", examples);
                }
                Err(error) => tracing::warn!(%base, error = %error, "could not count the records that break the rules"),
            }
        }
        sqlx::query("UPDATE schema_ops SET status = 'failed', error = $2, finished_at = now() WHERE id = $1")
            .bind(op_id)
            .bind(&refusal.message)
            .execute(&mut *control)
            .await?;
        audit(planes, who, base, "schema.failed", op_id, json!({ "kind": change.name(), "error": refusal.message }))
            .await;
        return Err(refusal.with("schema_op", op_id.to_string()).into());
    }
    failpoint("schema-after-data-commit");
    let version = apply(control, planes.rename_grace, base, op_id, &plan.change).await.map_err(|error| {
        tracing::error!(%base, %op_id, error = %error, "catalog change not recorded; recovery will finish it");
        ApiError::new(
            ErrorCode::ServiceUnavailable,
            "The schema change was made but not yet recorded; it completes automatically within seconds.",
        )
        .with("schema_op", op_id.to_string())
    })?;
    audit(planes, who, base, &format!("schema.{}", change.name()), op_id, json!({ "change": plan.change })).await;
    Ok((status_of(change), answer(&catalog, &plan, op_id, version)))
}

/// The table a recorded operation is about (`alias.payload`'s change).
fn subject(alias: &str) -> String {
    format!("coalesce({alias}.payload #>> '{{change,table,id}}', {alias}.payload #>> '{{change,table}}')")
}

/// The field a recorded operation is about; null for a change of a whole table.
fn field_of(alias: &str) -> String {
    format!("coalesce({alias}.payload #>> '{{change,field,id}}', {alias}.payload #>> '{{change,field}}')")
}

/// `l` is an applied operation after `o` that makes the state recorded before `o` stale:
/// one of the same table, unless both change one field each and not the same one, or one
/// of them is a rename (which stands in no other change's way); and not cancelled: a
/// revert of an operation after `o`, or an operation a revert undid (that was not undone
/// in turn), leaves the table as if neither had happened.
fn stales(l: &str, o: &str) -> String {
    let (l_field, o_field) = (field_of(l), field_of(o));
    let rename = |alias: &str| format!("({alias}.payload #>> '{{change,kind}}' = 'rename_table')");
    format!(
        "{l}.base_id = {o}.base_id AND {l}.status = 'applied' AND {l}.created_at > {o}.created_at \
         AND {} = {} AND NOT ({l_field} IS NOT NULL AND {o_field} IS NOT NULL AND {l_field} <> {o_field}) \
         AND {} = {} \
         AND NOT coalesce((SELECT m.created_at > {o}.created_at FROM schema_ops m WHERE m.id = {l}.reverts), false) \
         AND NOT EXISTS (SELECT 1 FROM schema_ops r WHERE r.reverts = {l}.id AND r.status = 'applied' \
           AND NOT EXISTS (SELECT 1 FROM schema_ops r2 WHERE r2.reverts = r.id AND r2.status = 'applied'))",
        subject(l),
        subject(o),
        rename(l),
        rename(o)
    )
}

/// Whether a listed operation can be reverted (see [`recorded`]): applied, with the state
/// before it where its revert needs one, and nothing later making that state stale.
pub fn revertible(alias: &str) -> String {
    format!(
        "({alias}.status = 'applied' AND {alias}.kind <> 'purge' AND ({alias}.payload ? 'before' OR \
         {alias}.payload #>> '{{change,kind}}' IN ('create_table', 'add_field', 'rename_table', 'restore_table', \
         'restore_field')) AND NOT EXISTS (SELECT 1 FROM schema_ops l WHERE {}))",
        stales("l", alias)
    )
}

/// What operation `op` of `base` changed and the table before it, when it can be
/// reverted: it was applied, and nothing later made the state before it stale.
async fn recorded(
    control: &mut PgConnection,
    base: BaseId,
    op: Uuid,
) -> Result<(CatalogChange, Option<shared::catalog::Table>), Error> {
    let row = sqlx::query(&format!(
        "SELECT o.status, o.payload -> 'change', o.payload -> 'before', l.id, l.kind FROM schema_ops o \
         LEFT JOIN LATERAL (SELECT id, kind FROM schema_ops l WHERE {} ORDER BY l.created_at DESC LIMIT 1) l ON true \
         WHERE o.id = $1 AND o.base_id = $2",
        stales("l", "o")
    ))
    .bind(op)
    .bind(base.0)
    .fetch_optional(&mut *control)
    .await?
    .ok_or_else(|| {
        ApiError::new(ErrorCode::NotFound, "No operation of this base has this id.").with("schema_op", op.to_string())
    })?;
    let status: &str = row.get(0);
    if status != "applied" {
        return Err(ApiError::new(
            ErrorCode::SchemaConflict,
            format!("Only an applied change can be reverted; this one is {status}."),
        )
        .with("reason", "not_revertible")
        .into());
    }
    if let Some(later) = row.get::<Option<Uuid>, _>(3) {
        let kind: String = row.get(4);
        return Err(ApiError::new(
            ErrorCode::PreconditionFailed,
            format!(
                "A later change of the same table or field ({} by schema operation {later}) came after it; revert \
                 the later changes first, newest first.",
                kind.replace('_', " ")
            ),
        )
        .with("later_op", later.to_string())
        .with("later_kind", kind)
        .into());
    }
    let change = serde_json::from_value(row.get(1)).map_err(bug)?;
    let before = row.get::<Option<Value>, _>(2).map(serde_json::from_value).transpose().map_err(bug)?;
    Ok((change, before))
}

/// The values a computed field would show on the records `sql` lists (a list's first page).
async fn computed_values(
    data: &PgPool,
    sql: &Sql,
    change: &CatalogChange,
) -> Result<Vec<shared::resource::ComputedValue>, Error> {
    let (CatalogChange::AddField { field, .. } | CatalogChange::UpdateField { field, .. }) = change else {
        return Ok(Vec::new());
    };
    let rows = crate::store::bound(sql).fetch_all(data).await?;
    let mut values = Vec::with_capacity(rows.len());
    for row in rows.iter().take(shared::schema::PREVIEW_ROWS as usize) {
        let record: Value = serde_json::from_str(row.get::<&str, _>(0)).map_err(bug)?;
        let id =
            record["id"].as_str().and_then(|id| Uuid::parse_str(id).ok()).ok_or_else(|| bug("a record without id"))?;
        values.push(shared::resource::ComputedValue { id, value: record["values"][&field.name].clone() });
    }
    Ok(values)
}

/// A table's indexes, and the index builds running on it (from the data plane's
/// `pg_stat_progress_create_index`, which shows the schema-change role's own builds).
pub async fn indexes(
    planes: &AdminPlanes,
    control: &mut PgConnection,
    slow_lists: &crate::hints::SlowLists,
    base: BaseId,
    table: &str,
) -> Result<shared::resource::IndexList, Error> {
    let catalog = crate::catalog::load_catalog(control, base)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "No such base.").with("base", base.to_string()))?;
    let table = shared::schema::find_table(&catalog, table)?;
    let rows = sqlx::query(
        "SELECT phase, blocks_done, blocks_total, tuples_done, tuples_total, lockers_done, lockers_total \
         FROM pg_stat_progress_create_index WHERE relid = ($1::text)::regclass ORDER BY pid",
    )
    .bind(shared::lower::qualified_table(base, table.id))
    .fetch_all(planes.data(base).await?)
    .await?;
    let building = rows
        .iter()
        .map(|row| shared::resource::IndexBuild {
            phase: row.get(0),
            blocks_done: row.get(1),
            blocks_total: row.get(2),
            tuples_done: row.get(3),
            tuples_total: row.get(4),
            lockers_done: row.get(5),
            lockers_total: row.get(6),
        })
        .collect();
    let data = table.indexes.iter().map(|index| shared::resource::IndexInfo::of(table, index)).collect();
    // What an index, a unique field or a link already serves is not suggested.
    let served = |field: &shared::catalog::Field| {
        field.unique
            || field.link.is_some()
            || !field.is_indexable()
            || table.indexes.iter().any(|index| index.keys[0].field == field.id)
    };
    let suggested = slow_lists
        .of(base, table.id)
        .into_iter()
        .filter_map(|(field, descending, tally)| {
            let field = table.field_by_id(field).filter(|field| !served(field))?;
            let name = if descending { format!("{}:desc", field.name) } else { field.name.clone() };
            Some(shared::resource::IndexSuggestion {
                fields: vec![name],
                lists: tally.lists,
                slowest_ms: tally.slowest_ms,
            })
        })
        .collect();
    Ok(shared::resource::IndexList { data, building, suggested })
}

/// The base's soft-dropped tables, and the dropped fields of its live tables, not yet
/// purged, newest first; each purgeable once `drop_retention` has passed, unless live
/// views still read a dropped table.
pub async fn dropped(planes: &AdminPlanes, control: &mut PgConnection, base: BaseId) -> Result<Vec<Dropped>, Error> {
    let retention = planes.drop_retention.as_secs_f64();
    // The drop whose revert restores it, where one can be reverted now.
    let restore = |kind: &str, member: &str, id: &str| {
        format!(
            "(SELECT o.id FROM schema_ops o WHERE o.base_id = $1 AND o.payload #>> '{{change,kind}}' = '{kind}' \
             AND o.payload #>> '{{change,{member}}}' = {id}::text AND {} ORDER BY o.created_at DESC LIMIT 1)",
            revertible("o")
        )
    };
    let rows = sqlx::query(&format!(
        "SELECT id, kind, table_id, table_name, name, dropped_at::text, (dropped_at + make_interval(secs => $2))::text, \
         dropped_at + make_interval(secs => $2) <= now(), dependents, restore_op FROM ( \
           SELECT t.id, 'table' AS kind, t.id AS table_id, t.name AS table_name, t.name, t.deleted_at AS dropped_at, \
             ARRAY(SELECT 'view ' || v.name FROM views v WHERE v.table_id = t.id AND v.deleted_at IS NULL \
                   ORDER BY v.name) AS dependents, {} AS restore_op \
           FROM tables t WHERE t.base_id = $1 AND t.deleted_at IS NOT NULL AND t.purged_at IS NULL \
           UNION ALL \
           SELECT f.id, 'field', t.id, t.name, f.name, f.deleted_at, ARRAY[]::text[], {} \
           FROM fields f JOIN tables t ON t.id = f.table_id \
           WHERE t.base_id = $1 AND t.deleted_at IS NULL AND f.deleted_at IS NOT NULL AND f.purged_at IS NULL \
         ) d ORDER BY dropped_at DESC, id",
        restore("drop_table", "table", "t.id"),
        restore("drop_field", "field", "f.id"),
    ))
    .bind(base.0)
    .bind(retention)
    .fetch_all(&mut *control)
    .await?;
    Ok(rows
        .iter()
        .map(|row| Dropped {
            id: row.get(0),
            kind: if row.get::<&str, _>(1) == "table" { DroppedKind::Table } else { DroppedKind::Field },
            table_id: TableId(row.get(2)),
            table: row.get(3),
            name: row.get(4),
            dropped_at: row.get(5),
            purgeable_at: row.get(6),
            purgeable: row.get(7),
            dependents: row.get(8),
            restore_op: row.get(9),
        })
        .collect())
}

/// What a change would lock and for how long, from Postgres's estimate of the table's
/// records, and what depends on what it alters (the catalog's links, rules and policies,
/// and the live views of the table).
async fn preflight(
    planes: &AdminPlanes,
    control: &mut PgConnection,
    catalog: &Catalog,
    plan: &SchemaPlan,
) -> Result<Preflight, Error> {
    let mut dependents = shared::schema::dependents(catalog, &plan.change);
    let Some(table) = plan.change.table().and_then(|id| catalog.table_by_id(id)) else {
        let name = match &plan.change {
            CatalogChange::CreateTable { table } => table.name.as_str(),
            _ => "",
        };
        return Ok(Preflight::of(name, 0, &plan.steps, dependents));
    };
    let views: Vec<String> =
        sqlx::query_scalar("SELECT name FROM views WHERE table_id = $1 AND deleted_at IS NULL ORDER BY name")
            .bind(table.id.0)
            .fetch_all(&mut *control)
            .await?;
    dependents.extend(views.into_iter().map(|name| format!("view {name}")));
    // reltuples is -1 until the table is first analyzed; the statistics collector counts too.
    let rows: i64 = sqlx::query_scalar(
        "SELECT GREATEST(c.reltuples::bigint, COALESCE(s.n_live_tup, 0), 0) FROM pg_class c \
         LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.oid = to_regclass($1)",
    )
    .bind(shared::lower::qualified_table(catalog.base_id, table.id))
    .fetch_optional(planes.data(catalog.base_id).await?)
    .await?
    .unwrap_or(0);
    Ok(Preflight::of(&table.name, rows, &plan.steps, dependents))
}

/// Refuses a change that would take the base past its plan: tables per base and fields
/// per table (soft-dropped ones count: their storage and columns remain until purged),
/// and the size of the catalog edges load.
async fn within_plan(
    control: &mut PgConnection,
    tenant: TenantId,
    catalog: &Catalog,
    change: &CatalogChange,
) -> Result<(), Error> {
    let (new_fields, table, grows) = match change {
        CatalogChange::CreateTable { table } => (table.fields.len(), None, json_bytes(table)),
        CatalogChange::AddField { table, field } => (1, Some(*table), json_bytes(field)),
        CatalogChange::UpdateField { table, field, .. } => {
            let before = catalog.table_by_id(*table).and_then(|table| table.field_by_id(field.id));
            (0, None, json_bytes(field) - before.map_or(0, json_bytes))
        }
        CatalogChange::SetRules { table, rules, unique } => {
            let before = catalog.table_by_id(*table).map_or(0, |table| json_bytes(&(&table.rules, &table.unique)));
            (0, None, json_bytes(&(rules, unique)) - before)
        }
        CatalogChange::SetPolicies { table, policies } => {
            let before = catalog.table_by_id(*table).map_or(0, |table| json_bytes(&table.policies));
            (0, None, json_bytes(policies) - before)
        }
        _ => return Ok(()),
    };
    let plan = crate::usage::plan(&mut *control, tenant).await?;
    let next = "Delete what is no longer needed (dropped tables and fields count until they are purged), or move \
                to a larger plan.";
    if let CatalogChange::CreateTable { .. } = change {
        let tables: i64 = sqlx::query_scalar("SELECT count(*) FROM tables WHERE base_id = $1 AND purged_at IS NULL")
            .bind(catalog.base_id.0)
            .fetch_one(&mut *control)
            .await?;
        plan.check("tables_per_base", plan.tables_per_base, tables, 1, "tables per base", next)?;
    }
    let fields: i64 = match table {
        Some(table) => {
            sqlx::query_scalar("SELECT count(*) FROM fields WHERE table_id = $1 AND purged_at IS NULL")
                .bind(table.0)
                .fetch_one(&mut *control)
                .await?
        }
        None => 0,
    };
    let new_fields = i64::try_from(new_fields).unwrap_or(i64::MAX);
    plan.check("fields_per_table", plan.fields_per_table, fields, new_fields, "fields per table", next)?;
    plan.check("catalog_bytes", plan.catalog_bytes, json_bytes(catalog), grows, "bytes of catalog per base", next)?;
    Ok(())
}

/// The size of a catalog part as JSON, as edges receive it.
fn json_bytes<T: serde::Serialize>(value: &T) -> i64 {
    serde_json::to_vec(value).map_or(0, |bytes| i64::try_from(bytes.len()).unwrap_or(i64::MAX))
}

fn status_of(change: &Change) -> u16 {
    match change {
        Change::CreateTable { .. }
        | Change::AddField { .. }
        | Change::ConvertField { .. }
        | Change::AddIndex { .. } => 201,
        _ => 200,
    }
}

/// The table or field as it is after the change, with the operation's id.
fn answer(catalog: &Catalog, plan: &SchemaPlan, op_id: Uuid, version: i64) -> SchemaChangeResult {
    let (table_id, table, field) = match &plan.change {
        CatalogChange::CreateTable { table } => (None, Some(json!(table)), None),
        CatalogChange::RenameTable { table, name, alias } => {
            (None, Some(json!({ "id": table, "name": name, "former_names": [alias] })), None)
        }
        CatalogChange::DropTable { table } => (None, Some(json!({ "id": table, "dropped": true })), None),
        CatalogChange::RestoreTable { table } => (None, Some(json!({ "id": table, "restored": true })), None),
        CatalogChange::AddField { table, field }
        | CatalogChange::UpdateField { table, field, .. }
        | CatalogChange::RestoreField { table, field } => (Some(*table), None, Some(json!(field))),
        CatalogChange::DropField { table, field } => {
            (Some(*table), None, Some(json!({ "id": field, "dropped": true })))
        }
        CatalogChange::SetRules { table, rules, unique } => {
            (None, Some(json!({ "id": table, "rules": rules.len(), "unique": unique.len() })), None)
        }
        CatalogChange::SetPolicies { table, policies } => {
            (None, Some(json!({ "id": table, "policies": policies.len() })), None)
        }
        CatalogChange::SetIndexes { table, indexes } => {
            (None, Some(json!({ "id": table, "indexes": indexes.len() })), None)
        }
        CatalogChange::PurgeTable { table } => (None, Some(json!({ "id": table, "purged": true })), None),
        CatalogChange::PurgeField { table, field } => {
            (Some(*table), None, Some(json!({ "id": field, "purged": true })))
        }
    };
    SchemaChangeResult {
        base_id: Some(catalog.base_id),
        table_id,
        table,
        field,
        catalog_version: Some(version),
        schema_op: Some(AppliedOp { id: op_id, status: Applied }),
        ..SchemaChangeResult::default()
    }
}

fn ddl_steps(steps: &[Sql]) -> Vec<DdlStep> {
    steps.iter().map(|step| DdlStep { sql: step.text.clone(), params: step.params.clone() }).collect()
}

/// How long an index build may wait for older transactions and run: reads and writes go
/// on meanwhile, and the base's other schema changes wait for it.
const INDEX_BUILD_TIMEOUT: &str = "60min";

/// The DDL and the operation's marker, in one data-plane transaction; steps that cannot
/// run in a transaction (`CREATE INDEX CONCURRENTLY`) run first, each on its own, and a
/// failed one leaves nothing behind.
async fn run_ddl(data: &PgPool, base: BaseId, op_id: Uuid, steps: &[Sql]) -> Result<(), sqlx::Error> {
    let (concurrent, transactional): (Vec<Sql>, Vec<Sql>) = steps.iter().cloned().partition(shared::ddl::is_concurrent);
    if !concurrent.is_empty() {
        // A connection of its own, closed afterwards: its session settings stay with it.
        let mut connection = data.acquire().await?.detach();
        let timeouts =
            format!("SET lock_timeout = '{INDEX_BUILD_TIMEOUT}'; SET statement_timeout = '{INDEX_BUILD_TIMEOUT}'");
        simple(&mut connection, timeouts).await?;
        for step in concurrent {
            let undo = shared::ddl::undo_concurrent(base, &step);
            if let Err(error) = simple(&mut connection, step.text).await {
                // A failed concurrent build leaves an invalid index: it goes too.
                if let Some(undo) = undo {
                    let _ = simple(&mut connection, undo.text).await;
                }
                return Err(error);
            }
        }
        let _ = connection.close().await;
    }
    let mut transaction = data.begin().await?;
    sqlx::query(&format!("SET LOCAL lock_timeout = '{TABLE_LOCK_TIMEOUT}'")).execute(&mut *transaction).await?;
    sqlx::query(&format!("SET LOCAL statement_timeout = '{DDL_STATEMENT_TIMEOUT}'")).execute(&mut *transaction).await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(lock_key(base)).execute(&mut *transaction).await?;
    crate::store::run_steps(&mut transaction, &transactional).await?;
    sqlx::query("INSERT INTO nc_schema_applied (op_id) VALUES ($1)").bind(op_id).execute(&mut *transaction).await?;
    failpoint("schema-before-data-commit");
    transaction.commit().await
}

/// One statement in the simple query protocol (outside any transaction block).
async fn simple(connection: &mut PgConnection, text: String) -> Result<(), sqlx::Error> {
    sqlx::Executor::execute(connection, sqlx::raw_sql(&text)).await.map(drop)
}

/// What the client hears when Postgres refused the DDL.
fn ddl_error(error: &sqlx::Error) -> ApiError {
    let code = error.as_database_error().and_then(|db| db.code().map(|code| code.into_owned()));
    match code.as_deref() {
        Some("23505") => ApiError::new(
            ErrorCode::SchemaConflict,
            "Two or more records share these values, so they cannot be unique; make the values distinct first.",
        )
        .with("reason", "duplicate_values"),
        Some("23514") => {
            ApiError::new(ErrorCode::SchemaConflict, rules_broken("Some records")).with("reason", "rule_violated")
        }
        Some("23502") => ApiError::new(
            ErrorCode::SchemaConflict,
            "Some records have no value for this field, so it cannot be required; fill them in, or give a default.",
        )
        .with("reason", "empty_values"),
        Some("55P03") => ApiError::new(
            ErrorCode::ServiceUnavailable,
            "The table is busy with long-running queries; retry the schema change shortly.",
        ),
        Some("57014") => {
            ApiError::new(ErrorCode::ServiceUnavailable, "The schema change took too long and was cancelled.")
        }
        _ => {
            tracing::error!(error = %error, "schema change failed in the data plane");
            ApiError::internal()
        }
    }
}

/// The refusal of rules that existing records break (`details.examples` names some).
fn rules_broken(who: &str) -> String {
    format!(
        "{who} already break the new rules; fix them first, or apply the rules to new writes only \
         (\"check_existing\": false)."
    )
}

fn is_lock_timeout(error: &sqlx::Error) -> bool {
    error.as_database_error().and_then(|db| db.code()).is_some_and(|code| code == "55P03")
}

/// Records a committed change in the catalog, bumps the base's catalog version and
/// returns it; an operation another recovery already finished is left as it is.
async fn apply(
    control: &mut PgConnection,
    grace: Duration,
    base: BaseId,
    op_id: Uuid,
    change: &CatalogChange,
) -> Result<i64, sqlx::Error> {
    let mut transaction = control.begin().await?;
    let claimed = sqlx::query(
        "UPDATE schema_ops SET status = 'applied', finished_at = now() WHERE id = $1 AND status = 'pending'",
    )
    .bind(op_id)
    .execute(&mut *transaction)
    .await?;
    if claimed.rows_affected() == 1 {
        apply_change(&mut transaction, grace, base, change).await?;
    }
    let version: i64 = sqlx::query_scalar(
        "UPDATE bases SET catalog_version = catalog_version + $2 WHERE id = $1 RETURNING catalog_version",
    )
    .bind(base.0)
    .bind(i64::from(claimed.rows_affected() == 1))
    .fetch_one(&mut *transaction)
    .await?;
    transaction.commit().await?;
    Ok(version)
}

/// The control-plane rows of a catalog change.
async fn apply_change(
    transaction: &mut Transaction<'_, Postgres>,
    grace: Duration,
    base: BaseId,
    change: &CatalogChange,
) -> Result<(), sqlx::Error> {
    let grace_seconds = i64::try_from(grace.as_secs()).unwrap_or(i64::MAX);
    match change {
        CatalogChange::CreateTable { table } => {
            sqlx::query("INSERT INTO tables (id, base_id, name) VALUES ($1, $2, $3)")
                .bind(table.id.0)
                .bind(base.0)
                .bind(&table.name)
                .execute(&mut **transaction)
                .await?;
            for field in &table.fields {
                insert_field(transaction, table.id.0, field).await?;
            }
        }
        CatalogChange::RenameTable { table, name, alias } => {
            sqlx::query("UPDATE tables SET name = $2 WHERE id = $1")
                .bind(table.0)
                .bind(name)
                .execute(&mut **transaction)
                .await?;
            sqlx::query("DELETE FROM table_aliases WHERE table_id = $1 AND name = $2")
                .bind(table.0)
                .bind(name)
                .execute(&mut **transaction)
                .await?;
            sqlx::query(
                "INSERT INTO table_aliases (table_id, base_id, name, expires_at) \
                 VALUES ($1, $2, $3, now() + make_interval(secs => $4)) \
                 ON CONFLICT (table_id, name) DO UPDATE SET expires_at = EXCLUDED.expires_at",
            )
            .bind(table.0)
            .bind(base.0)
            .bind(alias)
            .bind(grace_seconds as f64)
            .execute(&mut **transaction)
            .await?;
        }
        CatalogChange::DropTable { table } => {
            sqlx::query("UPDATE tables SET deleted_at = now() WHERE id = $1")
                .bind(table.0)
                .execute(&mut **transaction)
                .await?;
            sqlx::query("DELETE FROM table_aliases WHERE table_id = $1")
                .bind(table.0)
                .execute(&mut **transaction)
                .await?;
        }
        CatalogChange::AddField { table, field } => insert_field(transaction, table.0, field).await?,
        CatalogChange::RestoreTable { table } => {
            sqlx::query("UPDATE tables SET deleted_at = NULL WHERE id = $1")
                .bind(table.0)
                .execute(&mut **transaction)
                .await?;
        }
        CatalogChange::UpdateField { table, field, alias } => {
            update_field(transaction, field).await?;
            sqlx::query("DELETE FROM field_aliases WHERE field_id = $1 AND name = $2")
                .bind(field.id.0)
                .bind(&field.name)
                .execute(&mut **transaction)
                .await?;
            if let Some(alias) = alias {
                sqlx::query(
                    "INSERT INTO field_aliases (field_id, table_id, name, expires_at) \
                     VALUES ($1, $2, $3, now() + make_interval(secs => $4)) \
                     ON CONFLICT (field_id, name) DO UPDATE SET expires_at = EXCLUDED.expires_at",
                )
                .bind(field.id.0)
                .bind(table.0)
                .bind(alias)
                .bind(grace_seconds as f64)
                .execute(&mut **transaction)
                .await?;
            }
        }
        CatalogChange::RestoreField { field, .. } => update_field(transaction, field).await?,
        CatalogChange::SetRules { table, rules, unique } => {
            sqlx::query("UPDATE tables SET rules = $2, uniques = $3 WHERE id = $1")
                .bind(table.0)
                .bind(json!(rules))
                .bind(json!(unique))
                .execute(&mut **transaction)
                .await?;
        }
        CatalogChange::PurgeTable { table } => {
            sqlx::query("UPDATE tables SET purged_at = now() WHERE id = $1")
                .bind(table.0)
                .execute(&mut **transaction)
                .await?;
        }
        CatalogChange::PurgeField { field, .. } => {
            sqlx::query("UPDATE fields SET purged_at = now() WHERE id = $1")
                .bind(field.0)
                .execute(&mut **transaction)
                .await?;
        }
        CatalogChange::SetPolicies { table, policies } => {
            sqlx::query("UPDATE tables SET policies = $2 WHERE id = $1")
                .bind(table.0)
                .bind(json!(policies))
                .execute(&mut **transaction)
                .await?;
        }
        CatalogChange::SetIndexes { table, indexes } => {
            sqlx::query("UPDATE tables SET indexes = $2 WHERE id = $1")
                .bind(table.0)
                .bind(json!(indexes))
                .execute(&mut **transaction)
                .await?;
        }
        CatalogChange::DropField { field, .. } => {
            sqlx::query("UPDATE fields SET deleted_at = now() WHERE id = $1")
                .bind(field.0)
                .execute(&mut **transaction)
                .await?;
            sqlx::query("DELETE FROM field_aliases WHERE field_id = $1")
                .bind(field.0)
                .execute(&mut **transaction)
                .await?;
        }
    }
    Ok(())
}

/// A field's row as `field` says; a dropped field is back.
async fn update_field(
    transaction: &mut Transaction<'_, Postgres>,
    field: &shared::catalog::Field,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE fields SET name = $2, type = $3, required = $4, is_unique = $5, options = $6, default_value = $7, \
         link = $8, rules = $9, computed = $10, deleted_at = NULL WHERE id = $1",
    )
    .bind(field.id.0)
    .bind(&field.name)
    .bind(field.field_type.as_str())
    .bind(field.required)
    .bind(field.unique)
    .bind(json!(field.options))
    .bind(&field.default)
    .bind(field.link.as_ref().map(|link| json!(link)))
    .bind(json!(field.rules))
    .bind(field.computed.as_ref().map(|computed| json!(computed)))
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

async fn insert_field(
    transaction: &mut Transaction<'_, Postgres>,
    table: Uuid,
    field: &shared::catalog::Field,
) -> Result<(), sqlx::Error> {
    // Positions count dropped fields too, so a new field always sorts last.
    sqlx::query(
        "INSERT INTO fields (id, table_id, name, type, required, is_unique, options, default_value, link, rules, computed, \
         position) SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, coalesce(max(position) + 1, 0) FROM fields \
         WHERE table_id = $2",
    )
    .bind(field.id.0)
    .bind(table)
    .bind(&field.name)
    .bind(field.field_type.as_str())
    .bind(field.required)
    .bind(field.unique)
    .bind(json!(field.options))
    .bind(&field.default)
    .bind(field.link.as_ref().map(|link| json!(link)))
    .bind(json!(field.rules))
    .bind(field.computed.as_ref().map(|computed| json!(computed)))
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

/// Writes the audit event of an operation. The operation already happened (or failed)
/// and its `schema_ops` row says so; an unavailable logs plane is logged, not reported.
async fn audit(planes: &AdminPlanes, who: &Requester<'_>, base: BaseId, action: &str, op_id: Uuid, after: Value) {
    let written =
        planes.audit_event(who.tenant, Some(base), who.actor, action, op_id.to_string(), after, who.request_id).await;
    if let Err(error) = written {
        tracing::error!(%op_id, action, error = %format!("{error:#}"), "audit event not written");
    }
}

/// Finishes or fails the base's operations left `pending` by a crash. The caller holds
/// the base's schema lock on `control`, so no live operation is among them.
async fn recover_base(planes: &AdminPlanes, control: &mut PgConnection, base: BaseId) -> anyhow::Result<()> {
    let pending = sqlx::query(
        "SELECT o.id, o.payload -> 'change', o.actor, o.kind, o.request_id, b.tenant_id FROM schema_ops o \
         JOIN bases b ON b.id = o.base_id WHERE o.base_id = $1 AND o.status = 'pending' ORDER BY o.created_at",
    )
    .bind(base.0)
    .fetch_all(&mut *control)
    .await?;
    for row in pending {
        let op_id: Uuid = row.get(0);
        let change: CatalogChange = serde_json::from_value(row.get(1))?;
        let (actor, kind, request_id): (String, String, Option<String>) = (row.get(2), row.get(3), row.get(4));
        let who = Requester { tenant: TenantId(row.get(5)), actor: &actor, request_id: request_id.as_deref() };
        let committed: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM nc_schema_applied WHERE op_id = $1)")
            .bind(op_id)
            .fetch_one(planes.data(base).await?)
            .await?;
        if committed {
            apply(control, planes.rename_grace, base, op_id, &change).await?;
            audit(planes, &who, base, &format!("schema.{kind}"), op_id, json!({ "change": change, "recovered": true }))
                .await;
            tracing::info!(%base, %op_id, "recovered a schema change whose DDL had committed");
        } else {
            let message = "Interrupted before its schema change committed; nothing was changed.";
            sqlx::query(
                "UPDATE schema_ops SET status = 'failed', error = $2, finished_at = now() \
                 WHERE id = $1 AND status = 'pending'",
            )
            .bind(op_id)
            .bind(message)
            .execute(&mut *control)
            .await?;
            audit(planes, &who, base, "schema.failed", op_id, json!({ "kind": kind, "error": message })).await;
            tracing::info!(%base, %op_id, "marked an interrupted schema change as failed");
        }
    }
    Ok(())
}

/// Recovers every base with old pending operations whose lock is free (a live origin
/// still working on one holds its lock and is skipped).
pub async fn recover(planes: &AdminPlanes) -> anyhow::Result<()> {
    let bases: Vec<Uuid> = sqlx::query_scalar(&format!(
        "SELECT DISTINCT base_id FROM schema_ops WHERE status = 'pending' AND created_at < now() - interval '{RECOVERY_MIN_AGE}'"
    ))
    .fetch_all(&planes.control)
    .await?;
    for base in bases.into_iter().map(BaseId) {
        let mut connection = planes.control.acquire().await?.detach();
        let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(lock_key(base))
            .fetch_one(&mut connection)
            .await?;
        let recovered = if locked { recover_base(planes, &mut connection, base).await } else { Ok(()) };
        let _ = connection.close().await;
        recovered?;
    }
    Ok(())
}

/// Runs [`recover`] now and every few seconds, for the life of the process.
pub async fn recover_forever(planes: std::sync::Arc<AdminPlanes>) {
    loop {
        if let Err(error) = recover(&planes).await {
            tracing::warn!(error = %format!("{error:#}"), "schema recovery sweep failed; retrying");
        }
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
}
