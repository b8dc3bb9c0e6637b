//! Data-plane DDL for bases, tables and fields, as statements for the admin role to run.
//!
//! Built only from catalog ids and types and quoted by [`crate::lower::quote_ident`];
//! no user-chosen name ever appears in DDL (physical names come from ids). The one
//! client value DDL carries, a field's default, is a bound parameter handed to the
//! data plane's `nc_set_column_default`, which quotes it inside Postgres.

use crate::catalog::{Catalog, Field, FieldType, Link, Table, UniqueSet};
use crate::ids::{BaseId, FieldId, TableId};
use crate::lower::{Sql, qualified_table, quote_ident};
use crate::value::json_text;

/// The least-privilege runtime role of the data plane: CRUD, no DDL.
pub const DATA_RUNTIME_ROLE: &str = "data_app_rw";

fn statement(text: String) -> Sql {
    Sql { text, params: Vec::new() }
}

/// Creates a base's schema with its change log and idempotency tables.
pub fn create_base(base_id: BaseId) -> Vec<Sql> {
    let schema = quote_ident(&base_id.schema_name());
    let role = quote_ident(DATA_RUNTIME_ROLE);
    [
        format!("CREATE SCHEMA {schema}"),
        format!(
            "CREATE TABLE {schema}.\"_changes\" (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, \
             at timestamptz NOT NULL DEFAULT now(), op text NOT NULL, table_id uuid NOT NULL, record_id uuid NOT NULL, \
             before jsonb, after jsonb, actor text NOT NULL, request_id text NOT NULL, \
             txid xid8 NOT NULL DEFAULT pg_current_xact_id())"
        ),
        // The change feed reads by transaction (see the data plane's 0003_change_feed.sql).
        format!("CREATE INDEX \"_changes_txid\" ON {schema}.\"_changes\" (txid)"),
        format!(
            "CREATE TRIGGER changes_notify AFTER INSERT ON {schema}.\"_changes\" REFERENCING NEW TABLE AS added \
             FOR EACH STATEMENT EXECUTE FUNCTION nc_notify_changes()"
        ),
        format!(
            "CREATE TABLE {schema}.\"_idempotency\" (key text PRIMARY KEY, request_hash bytea NOT NULL, \
             status smallint NOT NULL, response bytea NOT NULL, version bigint, expires_at timestamptz NOT NULL)"
        ),
        format!("GRANT USAGE ON SCHEMA {schema} TO {role}"),
        format!("GRANT SELECT, INSERT ON {schema}.\"_changes\" TO {role}"),
        format!("GRANT SELECT, INSERT, UPDATE, DELETE ON {schema}.\"_idempotency\" TO {role}"),
    ]
    .into_iter()
    .map(statement)
    .collect()
}

/// Creates the physical table of a no-code table, with its system columns, list index,
/// unique indexes and defaults.
pub fn create_table(base_id: BaseId, table: &Table) -> Vec<Sql> {
    let target = qualified_table(base_id, table.id);
    let mut columns = vec![
        "id uuid PRIMARY KEY DEFAULT gen_random_uuid()".to_owned(),
        "created_at timestamptz NOT NULL DEFAULT now()".to_owned(),
        "updated_at timestamptz NOT NULL DEFAULT now()".to_owned(),
        "version bigint NOT NULL DEFAULT 1".to_owned(),
    ];
    columns.extend(table.fields.iter().filter(|field| field.is_stored()).map(|field| {
        let not_null = if field.required { " NOT NULL" } else { "" };
        format!("{} {}{not_null}", column(field.id), field.field_type.sql_type())
    }));
    let index = quote_ident(&format!("{}_created", table.id.table_name()));
    let mut steps = vec![
        statement(format!("CREATE TABLE {target} ({})", columns.join(", "))),
        // The default list order is (created_at, id); this index makes every page a range scan.
        statement(format!("CREATE INDEX {index} ON {target} (created_at, id)")),
        statement(format!("GRANT SELECT, INSERT, UPDATE, DELETE ON {target} TO {}", quote_ident(DATA_RUNTIME_ROLE))),
    ];
    for field in &table.fields {
        if let Some(link) = &field.link {
            steps.extend(link_steps(base_id, table.id, field.id, link));
        }
        if !field.rules.is_empty() {
            steps.push(set_field_check(base_id, table.id, field, true));
        }
        if field.unique {
            steps.push(create_unique_index(base_id, table.id, field.id));
        }
        if let Some(default) = default_text(field) {
            steps.push(set_default(base_id, table.id, field.id, Some(default)));
        }
    }
    steps
}

/// A restored base's tables before their records are loaded: columns, `NOT NULL`,
/// defaults, the list index and grants. [`restore_constraints`] adds the rest once the
/// records are in, which is faster than checking each row as it arrives.
pub fn restore_tables(catalog: &Catalog) -> Vec<Sql> {
    let mut steps = create_base(catalog.base_id);
    for table in &catalog.tables {
        let mut bare = table.clone();
        for field in &mut bare.fields {
            field.link = None;
            field.rules = crate::catalog::FieldRules::default();
            field.unique = false;
        }
        steps.extend(create_table(catalog.base_id, &bare));
    }
    steps
}

/// A restored base's links, field and record rules, unique fields and sets, and indexes,
/// once every table holds its records.
pub fn restore_constraints(catalog: &Catalog) -> Result<Vec<Sql>, crate::lower::Error> {
    let base = catalog.base_id;
    let mut steps = Vec::new();
    for table in &catalog.tables {
        for field in &table.fields {
            if let Some(link) = &field.link {
                steps.extend(link_steps(base, table.id, field.id, link));
            }
            if !field.rules.is_empty() {
                steps.push(set_field_check(base, table.id, field, true));
            }
            if field.unique {
                steps.push(create_unique_index(base, table.id, field.id));
            }
        }
        for rule in &table.rules {
            steps.push(add_rule_check(
                base,
                table.id,
                &rule.name,
                crate::lower::rule_check(catalog, table, rule)?,
                true,
            ));
        }
        for set in &table.unique {
            steps.push(create_unique_set(base, table.id, set));
        }
        for index in &table.indexes {
            steps.push(create_index(base, table.id, index));
        }
    }
    Ok(steps)
}

/// Adds a field's column to a table that may already hold records. A required field
/// gets its default in every existing record; without a default, `SET NOT NULL` fails
/// on a table that has records, and the whole change with it.
pub fn add_field(base_id: BaseId, table_id: TableId, field: &Field) -> Vec<Sql> {
    if !field.is_stored() {
        // Computed when read: nothing to store.
        return Vec::new();
    }
    let target = qualified_table(base_id, table_id);
    let name = column(field.id);
    let mut steps = vec![statement(format!("ALTER TABLE {target} ADD COLUMN {name} {}", field.field_type.sql_type()))];
    let default = default_text(field);
    let has_default = default.is_some();
    if let Some(default) = default {
        steps.push(set_default(base_id, table_id, field.id, Some(default)));
    }
    if field.required {
        if has_default {
            steps.push(statement(format!("UPDATE {target} SET {name} = DEFAULT")));
        }
        steps.push(set_required(base_id, table_id, field.id, true));
    }
    if field.unique {
        steps.push(create_unique_index(base_id, table_id, field.id));
    }
    if let Some(link) = &field.link {
        steps.extend(link_steps(base_id, table_id, field.id, link));
    }
    if !field.rules.is_empty() {
        steps.push(set_field_check(base_id, table_id, field, true));
    }
    steps
}

/// Replaces the `CHECK` constraint of a field's rules (all but `pattern`; none when no
/// other rule is set). The bounds are parameters, which the data plane's
/// `nc_set_field_check` quotes; `validate` false leaves existing records unchecked
/// (`NOT VALID`).
pub fn set_field_check(base_id: BaseId, table_id: TableId, field: &Field, validate: bool) -> Sql {
    let rules = &field.rules;
    Sql {
        text: "SELECT nc_set_field_check(($1::text)::regclass, $2::text, $3::text, $4::text, ($5::text)::int, \
               ($6::text)::int, $7::text, $8::text, ($9::text)::jsonb, ($10::text)::boolean)"
            .to_owned(),
        params: vec![
            Some(qualified_table(base_id, table_id)),
            Some(check_name(field.id)),
            Some(field.id.column_name()),
            Some(field.field_type.sql_type().to_owned()),
            rules.min_length.map(|n| n.to_string()),
            rules.max_length.map(|n| n.to_string()),
            rules.min.as_ref().map(json_text),
            rules.max.as_ref().map(json_text),
            Some(serde_json::Value::from(rules.allowed.clone()).to_string()),
            Some(validate.to_string()),
        ],
    }
}

/// A link's foreign key, and the index that serves the checks its target's deletes make,
/// filters on the link and the reverse side's pages (in the list order, `created_at, id`).
fn link_steps(base_id: BaseId, table_id: TableId, field: FieldId, link: &Link) -> [Sql; 2] {
    [
        add_link(base_id, table_id, field, link),
        statement(format!(
            "CREATE INDEX {} ON {} ({}, created_at, id)",
            quote_ident(&format!("i_{}", field.0.simple())),
            qualified_table(base_id, table_id),
            column(field)
        )),
    ]
}

/// The `CHECK` constraint of a field's rules.
pub fn check_name(field: FieldId) -> String {
    format!("c_{}", field.0.simple())
}

/// The field a rules constraint belongs to.
pub fn field_of_check(name: &str) -> Option<FieldId> {
    name.strip_prefix("c_").and_then(FieldId::parse)
}

/// The records of a table that break a field's rules (all but `pattern`, as
/// [`set_field_check`] writes them): their count and the ids of the first three, in the
/// list order. One row: `(count, ids as a JSON array text)`.
pub fn rule_breakers(base_id: BaseId, table_id: TableId, field: &Field) -> Sql {
    let column = format!("r.{}", column(field.id));
    let rules = &field.rules;
    let sql_type = field.field_type.sql_type();
    let mut params = Vec::new();
    let mut param = |value: String| {
        params.push(Some(value));
        format!("${}", params.len())
    };
    let mut holds = Vec::new();
    if let Some(min) = rules.min_length {
        holds.push(format!("char_length({column}) >= ({}::text)::int", param(min.to_string())));
    }
    if let Some(max) = rules.max_length {
        holds.push(format!("char_length({column}) <= ({}::text)::int", param(max.to_string())));
    }
    if let Some(min) = &rules.min {
        holds.push(format!("{column} >= ({}::text)::{sql_type}", param(json_text(min))));
    }
    if let Some(max) = &rules.max {
        holds.push(format!("{column} <= ({}::text)::{sql_type}", param(json_text(max))));
    }
    if !rules.allowed.is_empty() {
        let allowed = param(serde_json::Value::from(rules.allowed.clone()).to_string());
        holds.push(format!("{column} IN (SELECT jsonb_array_elements_text(({allowed}::text)::jsonb))"));
    }
    let holds = if holds.is_empty() { "true".to_owned() } else { holds.join(" AND ") };
    records_where(base_id, table_id, &format!("{column} IS NOT NULL AND NOT ({holds})"), params)
}

/// The records of a table (as `r`) where `condition` holds, which uses `params`: their
/// count and the ids of the first three in list order. One row: `(count, ids as a JSON
/// array text)`, what the origin reports when records prevent a change.
pub fn records_where(base_id: BaseId, table_id: TableId, condition: &str, params: Vec<Option<String>>) -> Sql {
    Sql {
        text: format!(
            "SELECT count(*), COALESCE(json_agg(b.id ORDER BY b.n) FILTER (WHERE b.n <= 3), '[]')::text FROM \
             (SELECT r.id, row_number() OVER (ORDER BY r.created_at, r.id) AS n FROM {} r WHERE {condition}) b",
            qualified_table(base_id, table_id)
        ),
        params,
    }
}

/// The foreign key of a link field, named after the field so a violation names it.
pub fn add_link(base_id: BaseId, table_id: TableId, field: FieldId, link: &Link) -> Sql {
    statement(format!(
        "ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} (id) ON DELETE {}",
        qualified_table(base_id, table_id),
        quote_ident(&link_constraint_name(field)),
        column(field),
        qualified_table(base_id, link.table),
        link.on_delete.sql()
    ))
}

/// A link's foreign key checked on new writes only: a restored link field's values may
/// name records deleted while it was dropped.
pub fn add_link_unchecked(base_id: BaseId, table_id: TableId, field: FieldId, link: &Link) -> Sql {
    let Sql { text, params } = add_link(base_id, table_id, field, link);
    Sql { text: format!("{text} NOT VALID"), params }
}

/// Removes a link's foreign key (its field dropped or its action changing); the column
/// and its values stay.
pub fn drop_link(base_id: BaseId, table_id: TableId, field: FieldId) -> Sql {
    statement(format!(
        "ALTER TABLE {} DROP CONSTRAINT {}",
        qualified_table(base_id, table_id),
        quote_ident(&link_constraint_name(field))
    ))
}

/// The foreign-key constraint of a link field.
pub fn link_constraint_name(field: FieldId) -> String {
    format!("l_{}", field.0.simple())
}

/// The link field a foreign-key constraint name belongs to.
pub fn field_of_link_constraint(name: &str) -> Option<FieldId> {
    name.strip_prefix("l_").and_then(FieldId::parse)
}

/// `SET NOT NULL` (which fails while a record has no value) or `DROP NOT NULL`.
pub fn set_required(base_id: BaseId, table_id: TableId, field: FieldId, required: bool) -> Sql {
    let action = if required { "SET" } else { "DROP" };
    statement(format!(
        "ALTER TABLE {} ALTER COLUMN {} {action} NOT NULL",
        qualified_table(base_id, table_id),
        column(field)
    ))
}

/// The unique index backing a unique field (fails while two records share a value).
pub fn create_unique_index(base_id: BaseId, table_id: TableId, field: FieldId) -> Sql {
    statement(format!(
        "CREATE UNIQUE INDEX {} ON {} ({})",
        quote_ident(&unique_index_name(field)),
        qualified_table(base_id, table_id),
        column(field)
    ))
}

/// The physical name of an index an admin added.
pub fn index_name(index: &crate::catalog::Index) -> String {
    format!("ix_{}", index.id.simple())
}

/// Builds an index without blocking writes (`CONCURRENTLY`, so outside the operation's
/// transaction: see [`is_concurrent`]): the keys in their directions, then `id`, which
/// is how every list completes its order.
pub fn create_index(base_id: BaseId, table_id: TableId, index: &crate::catalog::Index) -> Sql {
    let mut keys: Vec<String> = index
        .keys
        .iter()
        .map(|key| format!("{}{}", column(key.field), if key.descending { " DESC" } else { "" }))
        .collect();
    keys.push("id".to_owned());
    statement(format!(
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS {} ON {} ({})",
        quote_ident(&index_name(index)),
        qualified_table(base_id, table_id),
        keys.join(", ")
    ))
}

pub fn drop_index(base_id: BaseId, index: &crate::catalog::Index) -> Sql {
    statement(format!(
        "DROP INDEX CONCURRENTLY IF EXISTS {}.{}",
        quote_ident(&base_id.schema_name()),
        quote_ident(&index_name(index))
    ))
}

/// What removes the index a failed `CREATE INDEX CONCURRENTLY` step leaves (invalid).
pub fn undo_concurrent(base_id: BaseId, step: &Sql) -> Option<Sql> {
    let rest = step.text.strip_prefix("CREATE INDEX CONCURRENTLY IF NOT EXISTS ")?;
    let (name, _) = rest.split_once(" ON ")?;
    Some(statement(format!("DROP INDEX CONCURRENTLY IF EXISTS {}.{name}", quote_ident(&base_id.schema_name()))))
}

/// Whether a step cannot run inside a transaction block (it runs on its own, before the
/// operation's transaction).
pub fn is_concurrent(step: &Sql) -> bool {
    step.text.contains(" CONCURRENTLY ")
}

pub fn drop_unique_index(base_id: BaseId, field: FieldId) -> Sql {
    statement(format!("DROP INDEX {}.{}", quote_ident(&base_id.schema_name()), quote_ident(&unique_index_name(field))))
}

/// Sets (or with `None` drops) a column default. The value is a parameter: the data
/// plane's `nc_set_column_default` quotes it as a literal with `format('%L')`.
pub fn set_default(base_id: BaseId, table_id: TableId, field: FieldId, value: Option<String>) -> Sql {
    Sql {
        text: "SELECT nc_set_column_default(($1::text)::regclass, $2::text, $3::text)".to_owned(),
        params: vec![Some(qualified_table(base_id, table_id)), Some(field.column_name()), value],
    }
}

/// Converts a column in place, for the type changes [`crate::schema`] deems safe. Text
/// types share one column type, so only `date → datetime` rewrites the column: each date
/// becomes midnight UTC.
pub fn change_type(base_id: BaseId, table_id: TableId, field: FieldId, from: FieldType, to: FieldType) -> Option<Sql> {
    if from.sql_type() == to.sql_type() {
        return None;
    }
    let name = column(field);
    let using = match (from, to) {
        (FieldType::Date, FieldType::Datetime) => format!("{name}::timestamp AT TIME ZONE 'UTC'"),
        _ => format!("{name}::{}", to.sql_type()),
    };
    Some(statement(format!(
        "ALTER TABLE {} ALTER COLUMN {name} TYPE {} USING ({using})",
        qualified_table(base_id, table_id),
        to.sql_type()
    )))
}

fn column(field: FieldId) -> String {
    quote_ident(&field.column_name())
}

/// A default's text form as a parameter.
pub fn default_text(field: &Field) -> Option<String> {
    field.default.as_ref().map(json_text)
}

/// A physical name for a table's named rule or unique set: `prefix` and a hash of the
/// table id and the name, so no user-chosen name appears in DDL, and one unique index
/// name per base schema.
fn hashed_name(prefix: &str, table_id: TableId, name: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new().chain_update(table_id.0.as_bytes()).chain_update(name.as_bytes()).finalize();
    format!("{prefix}_{}", hex::encode(&digest[..12]))
}

/// The `CHECK` constraint of a record rule; a violation names it, which names the rule.
pub fn rule_check_name(table_id: TableId, rule: &str) -> String {
    hashed_name("r", table_id, rule)
}

/// The unique index of a compound unique constraint.
pub fn unique_set_index_name(table_id: TableId, set: &str) -> String {
    hashed_name("x", table_id, set)
}

/// Adds a record rule's `CHECK` constraint from its template ([`crate::lower::rule_check`]):
/// the data plane's `nc_add_rule_check` quotes each value into its slot with `format()`.
/// `validate` false leaves existing records unchecked (`NOT VALID`).
pub fn add_rule_check(base_id: BaseId, table_id: TableId, rule: &str, check: Sql, validate: bool) -> Sql {
    Sql {
        text: "SELECT nc_add_rule_check(($1::text)::regclass, $2::text, $3::text, \
               ARRAY(SELECT jsonb_array_elements_text(($4::text)::jsonb)), ($5::text)::boolean)"
            .to_owned(),
        params: vec![
            Some(qualified_table(base_id, table_id)),
            Some(rule_check_name(table_id, rule)),
            Some(check.text),
            Some(serde_json::Value::from(check.params).to_string()),
            Some(validate.to_string()),
        ],
    }
}

pub fn drop_rule_check(base_id: BaseId, table_id: TableId, rule: &str) -> Sql {
    statement(format!(
        "ALTER TABLE {} DROP CONSTRAINT IF EXISTS {}",
        qualified_table(base_id, table_id),
        quote_ident(&rule_check_name(table_id, rule))
    ))
}

/// The unique index of a compound unique constraint (fails while two records share the
/// combination).
pub fn create_unique_set(base_id: BaseId, table_id: TableId, set: &UniqueSet) -> Sql {
    statement(format!(
        "CREATE UNIQUE INDEX {} ON {} ({})",
        quote_ident(&unique_set_index_name(table_id, &set.name)),
        qualified_table(base_id, table_id),
        set.fields.iter().map(|field| column(*field)).collect::<Vec<_>>().join(", ")
    ))
}

pub fn drop_unique_set(base_id: BaseId, table_id: TableId, set: &str) -> Sql {
    statement(format!(
        "DROP INDEX IF EXISTS {}.{}",
        quote_ident(&base_id.schema_name()),
        quote_ident(&unique_set_index_name(table_id, set))
    ))
}

/// Fills a new field with the values of `from` that convert into its type (through their
/// text; the data plane's `nc_converts` tells which do), leaving the others empty.
pub fn convert_values(base_id: BaseId, table_id: TableId, from: FieldId, into: &Field) -> Sql {
    let (from, to, sql_type) = (column(from), column(into.id), into.field_type.sql_type());
    Sql {
        text: format!(
            "UPDATE {} SET {to} = CASE WHEN nc_converts(({from})::text, ($1::text)::regtype) \
             THEN (({from})::text)::{sql_type} END WHERE {from} IS NOT NULL",
            qualified_table(base_id, table_id)
        ),
        params: vec![Some(sql_type.to_owned())],
    }
}

/// What a DDL step does to its table while it runs, for a change's preflight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Work {
    /// Only the catalog changes: the lock is held for milliseconds.
    Catalog,
    /// Every row is read once (a constraint validated, `NOT NULL` checked).
    Scan,
    /// An index is built over every row.
    IndexBuild,
    /// The table is rewritten (a column's type changes).
    Rewrite,
    /// Every row is updated (a default filled in).
    UpdateRows,
}

impl Work {
    /// A rough cost per row on a small server, in nanoseconds: the order of magnitude
    /// of the time a step holds its lock, not a promise.
    pub fn nanos_per_row(self) -> u64 {
        match self {
            Work::Catalog => 0,
            Work::Scan => 200,
            Work::IndexBuild => 1_500,
            Work::Rewrite => 2_000,
            Work::UpdateRows => 5_000,
        }
    }
}

/// The lock a DDL step takes on its table (the Postgres lock mode), what that lock
/// blocks, and the work it does under it. Every step is one of this module's, so its
/// text says which.
pub fn effect(step: &Sql) -> (&'static str, &'static str, Work) {
    const EXCLUSIVE: (&str, &str) = ("ACCESS EXCLUSIVE", "reads and writes");
    let text = step.text.as_str();
    let validate = step.params.last().and_then(Option::as_deref) == Some("true");
    let (lock, work) = if text.starts_with("CREATE TABLE") || text.starts_with("GRANT") {
        (("none", "nothing (a new table)"), Work::Catalog)
    } else if text.starts_with("CREATE INDEX CONCURRENTLY") {
        (("SHARE UPDATE EXCLUSIVE", "other schema changes of the table (reads and writes go on)"), Work::IndexBuild)
    } else if text.starts_with("DROP INDEX CONCURRENTLY") {
        (("SHARE UPDATE EXCLUSIVE", "other schema changes of the table (reads and writes go on)"), Work::Catalog)
    } else if text.starts_with("CREATE UNIQUE INDEX") || text.starts_with("CREATE INDEX") {
        (("SHARE", "writes"), Work::IndexBuild)
    } else if text.starts_with("UPDATE") {
        (("ROW EXCLUSIVE", "writes to the same records"), Work::UpdateRows)
    } else if text.contains(" FOREIGN KEY ") {
        (("SHARE ROW EXCLUSIVE", "writes"), Work::Scan)
    } else if text.contains(" TYPE ") && text.contains(" USING ") {
        (EXCLUSIVE, Work::Rewrite)
    } else if text.contains(" SET NOT NULL")
        || (text.contains("nc_set_field_check") || text.contains("nc_add_rule_check")) && validate
    {
        (EXCLUSIVE, Work::Scan)
    } else {
        (EXCLUSIVE, Work::Catalog)
    };
    (lock.0, lock.1, work)
}

/// The unique index of a field; a violation names it, which names the field.
pub fn unique_index_name(field: FieldId) -> String {
    format!("u_{}", field.0.simple())
}

/// The field a unique-index name belongs to.
pub fn field_of_unique_index(name: &str) -> Option<FieldId> {
    name.strip_prefix("u_").and_then(FieldId::parse)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Field, FieldType};
    use crate::ids::{FieldId, TableId};
    use expect_test::{Expect, expect};
    use uuid::Uuid;

    fn check(steps: Vec<Sql>, expected: Expect) {
        let text: Vec<String> = steps
            .iter()
            .map(|sql| if sql.params.is_empty() { sql.text.clone() } else { format!("{} {:?}", sql.text, sql.params) })
            .collect();
        expected.assert_eq(&text.join("\n"));
    }

    fn field(required: bool, unique: bool, default: Option<serde_json::Value>) -> Field {
        Field { required, unique, default, ..Field::new(FieldId(Uuid::from_u128(10)), "name", FieldType::Text) }
    }

    #[test]
    fn table_ddl() {
        let table = Table {
            id: TableId(Uuid::from_u128(7)),
            name: "customers".into(),
            fields: vec![field(true, true, Some("n/a".into()))],
            aliases: Vec::new(),
            rules: Vec::new(),
            unique: Vec::new(),
            policies: Vec::new(),
            indexes: Vec::new(),
        };
        check(
            create_table(BaseId(Uuid::from_u128(0xb)), &table),
            expect![[r#"
                CREATE TABLE "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(), version bigint NOT NULL DEFAULT 1, "f_0000000000000000000000000000000a" text NOT NULL)
                CREATE INDEX "t_00000000000000000000000000000007_created" ON "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" (created_at, id)
                GRANT SELECT, INSERT, UPDATE, DELETE ON "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" TO "data_app_rw"
                CREATE UNIQUE INDEX "u_0000000000000000000000000000000a" ON "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" ("f_0000000000000000000000000000000a")
                SELECT nc_set_column_default(($1::text)::regclass, $2::text, $3::text) [Some("\"b_0000000000000000000000000000000b\".\"t_00000000000000000000000000000007\""), Some("f_0000000000000000000000000000000a"), Some("n/a")]"#]],
        );
    }

    #[test]
    fn field_ddl() {
        let (base, table) = (BaseId(Uuid::from_u128(0xb)), TableId(Uuid::from_u128(7)));
        check(
            add_field(base, table, &field(true, false, Some(serde_json::json!(5)))),
            expect![[r#"
                ALTER TABLE "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" ADD COLUMN "f_0000000000000000000000000000000a" text
                SELECT nc_set_column_default(($1::text)::regclass, $2::text, $3::text) [Some("\"b_0000000000000000000000000000000b\".\"t_00000000000000000000000000000007\""), Some("f_0000000000000000000000000000000a"), Some("5")]
                UPDATE "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" SET "f_0000000000000000000000000000000a" = DEFAULT
                ALTER TABLE "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" ALTER COLUMN "f_0000000000000000000000000000000a" SET NOT NULL"#]],
        );
        check(
            add_field(base, table, &field(false, true, None)),
            expect![[r#"
                ALTER TABLE "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" ADD COLUMN "f_0000000000000000000000000000000a" text
                CREATE UNIQUE INDEX "u_0000000000000000000000000000000a" ON "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" ("f_0000000000000000000000000000000a")"#]],
        );
        let id = FieldId(Uuid::from_u128(10));
        check(
            change_type(base, table, id, FieldType::Date, FieldType::Datetime).into_iter().collect(),
            expect![[
                r#"ALTER TABLE "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" ALTER COLUMN "f_0000000000000000000000000000000a" TYPE timestamptz USING ("f_0000000000000000000000000000000a"::timestamp AT TIME ZONE 'UTC')"#
            ]],
        );
        assert_eq!(change_type(base, table, id, FieldType::Text, FieldType::LongText), None, "same column type");
        check(
            vec![drop_unique_index(base, id)],
            expect![[r#"DROP INDEX "b_0000000000000000000000000000000b"."u_0000000000000000000000000000000a""#]],
        );
    }

    #[test]
    fn each_step_names_its_lock_and_its_work() {
        let (base, table) = (BaseId(Uuid::from_u128(1)), TableId(Uuid::from_u128(2)));
        let field = FieldId(Uuid::from_u128(3));
        let effects: Vec<(&str, Work)> = [
            create_unique_index(base, table, field),
            set_required(base, table, field, true),
            set_required(base, table, field, false),
            change_type(base, table, field, FieldType::Date, FieldType::Datetime).expect("a rewrite"),
            set_default(base, table, field, Some("x".into())),
        ]
        .iter()
        .map(|step| {
            let (lock, _, work) = effect(step);
            (lock, work)
        })
        .collect();
        assert_eq!(
            effects,
            [
                ("SHARE", Work::IndexBuild),
                ("ACCESS EXCLUSIVE", Work::Scan),
                ("ACCESS EXCLUSIVE", Work::Catalog),
                ("ACCESS EXCLUSIVE", Work::Rewrite),
                ("ACCESS EXCLUSIVE", Work::Catalog),
            ]
        );
    }
}
