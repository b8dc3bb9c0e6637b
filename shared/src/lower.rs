//! Lowering of a [`Plan`] to SQL text with bound parameters.
//!
//! Architecture Invariant: this module and [`crate::ddl`] are the only producers of SQL
//! text. Identifiers come only from the catalog and are quoted by [`quote_ident`];
//! every value is a bound parameter, sent as text and cast to the column type. No
//! client string is ever spliced into SQL.
//!
//! Records are turned into JSON by Postgres itself (`json_build_object`), so the origin
//! passes the bytes through without re-encoding them.

use crate::catalog::{Aggregate, Catalog, Computed, Field, OnDelete, RecordRule, Table};
use crate::formula::{Formula, Func, Kind, System};
use crate::ids::{BaseId, FieldId, TableId};
use crate::plan::{Column, Condition, DeleteTarget, Expr, Include, Item, Plan, REVERSE_PAGE, SortKey, column_info};
use crate::policy::Caller;
use crate::query::Op;

/// SQL text and its parameters, all sent as text (`None` is NULL).
#[derive(Clone, Debug, PartialEq)]
pub struct Sql {
    pub text: String,
    pub params: Vec<Option<String>>,
}

/// What the origin adds to a plan: change-log attribution, and the caller whose
/// policies apply ([`crate::policy`]).
pub struct WriteContext<'a> {
    pub actor: &'a str,
    pub request_id: &'a str,
    pub caller: &'a Caller,
}

#[derive(Debug, PartialEq, thiserror::Error)]
pub enum Error {
    #[error("table {0} is not in the catalog")]
    UnknownTable(TableId),
    #[error("field {0} is not in the catalog")]
    UnknownField(FieldId),
    #[error("a delete would cascade through more than {MAX_CASCADES} links")]
    TooManyCascades,
    #[error("computed fields build on more than {} levels", crate::catalog::MAX_COMPUTED_DEPTH)]
    TooDeep,
}

/// Cascading and clearing steps one delete statement may take (each a CTE).
pub const MAX_CASCADES: usize = 64;

/// Quotes an identifier for Postgres: wraps it in double quotes and doubles inner ones.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `"b_…"."t_…"` for a table of a base.
pub fn qualified_table(base_id: BaseId, table_id: TableId) -> String {
    format!("{}.{}", quote_ident(&base_id.schema_name()), quote_ident(&table_id.table_name()))
}

/// The change feed of a base: changes of transactions visible in snapshot `now` but not in
/// `prev` (text forms of `pg_snapshot`), after `after_seq`, in `seq` order, `limit` + 1 of
/// them. Whatever order concurrent transactions commit in, a change is in exactly one
/// such delta of consecutive snapshots, so a reader that moves from snapshot to snapshot
/// never skips one and never sees one twice.
///
/// Columns: seq, at, op, table id, record id, before, after, actor, request id (as text).
/// With `table`, only that table's changes.
pub fn change_feed(base_id: BaseId, table: Option<TableId>, prev: &str, now: &str, after_seq: i64, limit: u32) -> Sql {
    let changes = format!("{}.\"_changes\"", quote_ident(&base_id.schema_name()));
    Sql {
        text: format!(
            "SELECT seq, at::text, op, table_id::text, record_id::text, before::text, after::text, actor, request_id \
             FROM {changes} WHERE txid >= pg_snapshot_xmin(($1::text)::pg_snapshot) \
             AND NOT pg_visible_in_snapshot(txid, ($1::text)::pg_snapshot) \
             AND pg_visible_in_snapshot(txid, ($2::text)::pg_snapshot) AND seq > ($3::text)::bigint \
             AND ($5::text IS NULL OR table_id = ($5::text)::uuid) ORDER BY seq LIMIT ($4::text)::bigint"
        ),
        params: vec![
            Some(prev.to_owned()),
            Some(now.to_owned()),
            Some(after_seq.to_string()),
            Some((u64::from(limit) + 1).to_string()),
            table.map(|table| table.0.to_string()),
        ],
    }
}

/// A table's changes (or one record's), newest first, with a sequence number below `before`;
/// one row more than `limit`, to tell whether there are older ones. The primary key's order
/// serves it, read backwards.
pub fn table_history(base_id: BaseId, table: TableId, record: Option<uuid::Uuid>, before: i64, limit: u32) -> Sql {
    let changes = format!("{}.\"_changes\"", quote_ident(&base_id.schema_name()));
    Sql {
        text: format!(
            "SELECT seq, at::text, op, table_id::text, record_id::text, before::text, after::text, actor, request_id \
             FROM {changes} WHERE table_id = ($1::text)::uuid AND ($2::text IS NULL OR record_id = ($2::text)::uuid) \
             AND seq < ($3::text)::bigint ORDER BY seq DESC LIMIT ($4::text)::bigint"
        ),
        params: vec![
            Some(table.0.to_string()),
            record.map(|record| record.to_string()),
            Some(before.to_string()),
            Some((u64::from(limit) + 1).to_string()),
        ],
    }
}

/// Lowers a plan against the origin's own catalog. Every plan lowers to one statement
/// except a batch upsert, which takes one per distinct set of fields among its items.
///
/// Result columns: a get returns `(record, version)`; a list `(record, sort key texts…,
/// snapshot)`; a create `(record, version)`; an update `(record?, version?, current version)` (no row:
/// not found; a NULL record: `If-Match` failed); a delete `(deleted, current version)`; a
/// bulk delete one row per deleted id; an upsert `(item index, id)` per item.
pub fn lower(plan: &Plan, catalog: &Catalog, context: &WriteContext<'_>) -> Result<Vec<Sql>, Error> {
    let table_id = plan.table();
    let table = catalog.table_by_id(table_id).ok_or(Error::UnknownTable(table_id))?;
    let lowering = Lowering { catalog, table, target: qualified_table(catalog.base_id, table.id), context };
    match plan {
        Plan::UpsertRecords { key, items, .. } => lowering.upsert(*key, items),
        _ => {
            let mut sql = Builder::default();
            lowering.statement(&mut sql, plan)?;
            Ok(vec![sql.finish()])
        }
    }
}

struct Lowering<'a> {
    catalog: &'a Catalog,
    table: &'a Table,
    target: String,
    context: &'a WriteContext<'a>,
}

impl Lowering<'_> {
    fn field(&self, id: FieldId) -> Result<&Field, Error> {
        self.table.field_by_id(id).ok_or(Error::UnknownField(id))
    }

    fn changes(&self) -> String {
        format!("{}.\"_changes\"", quote_ident(&self.catalog.base_id.schema_name()))
    }

    /// `op, table_id, record_id, before, after, actor, request_id` values shared by every change row.
    fn change_params(&self, sql: &mut Builder) -> (String, String, String) {
        let table = sql.param(Some(self.table.id.to_string()));
        let actor = sql.param(Some(self.context.actor.to_owned()));
        let request_id = sql.param(Some(self.context.request_id.to_owned()));
        (format!("({table}::text)::uuid"), format!("{actor}::text"), format!("{request_id}::text"))
    }

    fn json(&self, alias: &str, fields: Option<&[FieldId]>) -> Result<String, Error> {
        record_json(self.table, alias, fields, None)
    }

    /// A record of `table` as the caller may read it: `fields`, or when none are asked
    /// for, every field its policy lets it read (the origin refused unreadable ones).
    fn shown(
        &self,
        sql: &mut Builder,
        table: &Table,
        alias: &str,
        fields: Option<&[FieldId]>,
    ) -> Result<String, Error> {
        self.shown_with(sql, table, alias, fields, Vec::new(), None)
    }

    /// [`Lowering::shown`] with `extra` value columns (`expression AS "name"`) and `included`.
    fn shown_with(
        &self,
        sql: &mut Builder,
        table: &Table,
        alias: &str,
        fields: Option<&[FieldId]>,
        extra: Vec<String>,
        included: Option<&str>,
    ) -> Result<String, Error> {
        let readable = match fields {
            Some(_) => None,
            None => self.context.caller.applied(table).and_then(|applied| applied.readable(table)),
        };
        let mut columns = Vec::new();
        for field in selected(table, fields.or(readable.as_deref()))? {
            let (value, _) = self.column_in(sql, table, alias, Column::Field(field.id))?;
            columns.push(format!("{value} AS {}", quote_ident(&field.name)));
        }
        columns.extend(extra);
        Ok(json_object(alias, &columns, included))
    }

    /// Whether the caller may read a field of `table` (through a computed field too).
    fn readable(&self, table: &Table, field: FieldId) -> bool {
        self.context.caller.applied(table).is_none_or(|applied| applied.can_read(field))
    }

    /// The value of a computed field of `table`'s row `alias`, in the same statement. A
    /// value computed from a field the caller may not read is NULL, so that no computed
    /// field reveals what its inputs hide.
    fn computed(
        &self,
        sql: &mut Builder,
        table: &Table,
        alias: &str,
        field: &Field,
        computed: &Computed,
    ) -> Result<String, Error> {
        if sql.depth > crate::catalog::MAX_COMPUTED_DEPTH {
            return Err(Error::TooDeep);
        }
        sql.depth += 1;
        // What it reads, in this table and the ones it reaches (`Computed::reads`).
        let hidden = computed.reads(table.id, self.catalog).into_iter().any(|(owner, id)| {
            let owner = if owner == table.id { Ok(table) } else { self.table(owner) };
            !owner.is_ok_and(|owner| self.readable(owner, id))
        });
        let value = match computed {
            _ if hidden => format!("NULL::{}", field.field_type.sql_type()),
            Computed::Formula { formula } => self.formula(sql, table, alias, formula)?.0,
            Computed::Lookup { link, field: shown } => {
                let link = table.field_by_id(*link).ok_or(Error::UnknownField(*link))?;
                let target_id = link.link.as_ref().ok_or(Error::UnknownField(link.id))?.table;
                let target = self.table(target_id)?;
                let inner = sql.alias();
                let (value, _) = self.column_in(sql, target, &inner, Column::Field(*shown))?;
                format!(
                    "(SELECT {value} FROM {} {inner} WHERE {inner}.id = {alias}.{}{})",
                    qualified_table(self.catalog.base_id, target.id),
                    quote_ident(&link.id.column_name()),
                    self.and_rows(sql, target, &inner)?
                )
            }
            Computed::Rollup { table: source, link, function, field: aggregated, filter } => {
                let rollup = Rollup {
                    source: self.table(*source)?,
                    link: *link,
                    function: *function,
                    aggregated: *aggregated,
                    filter: filter.as_ref(),
                };
                self.rollup(sql, alias, rollup)?
            }
        };
        sql.depth -= 1;
        Ok(value)
    }

    /// A rollup's aggregate over the records of `source` whose link points at `alias`'s
    /// row, as the caller may see them.
    fn rollup(&self, sql: &mut Builder, alias: &str, rollup: Rollup<'_>) -> Result<String, Error> {
        let Rollup { source, link, function, aggregated, filter } = rollup;
        let link = source.field_by_id(link).ok_or(Error::UnknownField(link))?;
        let inner = sql.alias();
        let mut predicates = vec![format!("{inner}.{} = {alias}.id", quote_ident(&link.id.column_name()))];
        predicates.extend(self.rows(sql, source, &inner)?);
        let matches = filter.map(|filter| self.expr_in(sql, source, &inner, filter)).transpose()?;
        let value = match aggregated {
            Some(id) => self.column_in(sql, source, &inner, Column::Field(id))?.0,
            None => String::new(),
        };
        let from = format!("FROM {} {inner}", qualified_table(self.catalog.base_id, source.id));
        Ok(match function {
            Aggregate::Any => {
                predicates.extend(matches.map(|matches| format!("COALESCE({matches}, false)")));
                format!("EXISTS (SELECT 1 {from} WHERE {})", predicates.join(" AND "))
            }
            Aggregate::All => {
                predicates
                    .push(matches.map_or("false".to_owned(), |matches| format!("NOT COALESCE({matches}, false)")));
                format!("NOT EXISTS (SELECT 1 {from} WHERE {})", predicates.join(" AND "))
            }
            function => {
                predicates.extend(matches);
                let aggregate = match function {
                    Aggregate::Count => "count(*)::numeric".to_owned(),
                    Aggregate::Sum => format!("COALESCE(sum({value}), 0)"),
                    Aggregate::Average => format!("avg({value})"),
                    Aggregate::Min => format!("min({value})"),
                    _ => format!("max({value})"),
                };
                format!("(SELECT {aggregate} {from} WHERE {})", predicates.join(" AND "))
            }
        })
    }

    /// A formula over `table`'s row `alias`, and the type of its value.
    fn formula(
        &self,
        sql: &mut Builder,
        table: &Table,
        alias: &str,
        formula: &Formula,
    ) -> Result<(String, Kind), Error> {
        let of = |name: &str| if alias.is_empty() { name.to_owned() } else { format!("{alias}.{name}") };
        Ok(match formula {
            Formula::Number(digits) => (cast(&sql.param(Some(digits.clone())), "numeric"), Kind::Number),
            Formula::Text(text) => (format!("({}::text)", sql.param(Some(text.clone()))), Kind::Text),
            Formula::Boolean(value) => (value.to_string(), Kind::Boolean),
            Formula::System(System::Id) => (format!("{}::text", of("id")), Kind::Text),
            Formula::System(System::CreatedAt) => (of("created_at"), Kind::Datetime),
            Formula::System(System::UpdatedAt) => (of("updated_at"), Kind::Datetime),
            Formula::Field(id) => {
                let field = table.field_by_id(*id).ok_or(Error::UnknownField(*id))?;
                let kind = Kind::of(field.field_type).ok_or(Error::UnknownField(*id))?;
                let (value, sql_type) = self.column_in(sql, table, alias, Column::Field(*id))?;
                match sql_type {
                    "uuid" => (format!("{value}::text"), kind),
                    _ => (value, kind),
                }
            }
            Formula::Call(func, args) => {
                let mut values = Vec::with_capacity(args.len());
                let mut kinds = Vec::with_capacity(args.len());
                for (n, arg) in args.iter().enumerate() {
                    // A unit is a word of the SQL text (see `call`), not a value.
                    if n == 2 && matches!(func, Func::DateDiff | Func::DateAdd) {
                        values.push(String::new());
                        kinds.push(Kind::Text);
                        continue;
                    }
                    let (value, kind) = self.formula(sql, table, alias, arg)?;
                    values.push(value);
                    kinds.push(kind);
                }
                (call(*func, &values, &kinds, args), func.result(&kinds))
            }
        })
    }

    /// `table`'s row condition for the caller on `alias`, or `None` when it sees every row.
    fn rows(&self, sql: &mut Builder, table: &Table, alias: &str) -> Result<Option<String>, Error> {
        let Some(rows) = self.context.caller.applied(table).and_then(|applied| applied.rows) else { return Ok(None) };
        Ok(Some(format!("COALESCE({}, false)", self.expr_in(sql, table, alias, &rows)?)))
    }

    /// ` AND <rows>` for a WHERE clause (empty when every row is visible).
    fn and_rows(&self, sql: &mut Builder, table: &Table, alias: &str) -> Result<String, Error> {
        Ok(self.rows(sql, table, alias)?.map(|rows| format!(" AND {rows}")).unwrap_or_default())
    }

    /// Whether a written row on `alias` is one the caller may see: `true` without a policy.
    fn allowed(&self, sql: &mut Builder, alias: &str) -> Result<String, Error> {
        Ok(self.rows(sql, self.table, alias)?.unwrap_or_else(|| "true".to_owned()))
    }

    /// A table of the catalog (the target of a link, or a table linking here).
    fn table(&self, id: TableId) -> Result<&Table, Error> {
        self.catalog.table_by_id(id).ok_or(Error::UnknownTable(id))
    }

    /// A link field of this table, with the table it points at.
    fn link(&self, id: FieldId) -> Result<(&Field, &Table), Error> {
        let field = self.field(id)?;
        let target = field.link.as_ref().ok_or(Error::UnknownField(id))?;
        Ok((field, self.table(target.table)?))
    }

    /// A record's JSON with `included` holding each relation of `include`: the linked
    /// record (or null), or the first [`REVERSE_PAGE`] linking records with `has_more`.
    fn json_with(
        &self,
        sql: &mut Builder,
        alias: &str,
        fields: Option<&[FieldId]>,
        include: &[Include],
    ) -> Result<String, Error> {
        // Linked fields are values of the record; the other relations go under `included`.
        let mut extra = Vec::new();
        let mut members = Vec::with_capacity(include.len());
        for (n, include) in include.iter().enumerate() {
            let inner = format!("l{n}");
            members.push(match *include {
                Include::Field(link, id) => {
                    let (value, _) = self.column_in(sql, self.table, alias, Column::Linked(link, id))?;
                    let (link, target) = self.link(link)?;
                    let field = target.field_by_id(id).ok_or(Error::UnknownField(id))?;
                    extra.push(format!("{value} AS {}", quote_ident(&format!("{}.{}", link.name, field.name))));
                    continue;
                }
                Include::Link(id) => {
                    let (field, target) = self.link(id)?;
                    format!(
                        "(SELECT {} FROM {} {inner} WHERE {inner}.id = {alias}.{}{}) AS {}",
                        self.shown(sql, target, &inner, None)?,
                        qualified_table(self.catalog.base_id, target.id),
                        quote_ident(&field.id.column_name()),
                        self.and_rows(sql, target, &inner)?,
                        quote_ident(&field.name)
                    )
                }
                Include::Reverse(table, id) => {
                    let linking = self.table(table)?;
                    let field = linking.field_by_id(id).ok_or(Error::UnknownField(id))?;
                    format!(
                        "(SELECT row_to_json(p) FROM (SELECT COALESCE(json_agg(q.body ORDER BY q.n) \
                         FILTER (WHERE q.n <= {REVERSE_PAGE}), '[]'::json) AS data, count(*) > {REVERSE_PAGE} AS has_more \
                         FROM (SELECT {} AS body, row_number() OVER (ORDER BY {inner}.created_at, {inner}.id) AS n \
                         FROM {} {inner} WHERE {inner}.{} = {alias}.id{} ORDER BY {inner}.created_at, {inner}.id LIMIT {}) q) p) AS {}",
                        self.shown(sql, linking, &inner, None)?,
                        qualified_table(self.catalog.base_id, linking.id),
                        quote_ident(&field.id.column_name()),
                        self.and_rows(sql, linking, &inner)?,
                        REVERSE_PAGE + 1,
                        quote_ident(&format!("{}.{}", linking.name, field.name))
                    )
                }
            });
        }
        let included = format!("(SELECT row_to_json(i) FROM (SELECT {}) i)", members.join(", "));
        self.shown_with(sql, self.table, alias, fields, extra, (!members.is_empty()).then_some(included.as_str()))
    }

    /// The CTEs that apply the `cascade` and `set_null` links of records deleted by the
    /// CTE `deleted` (of `table`, returning `id`), down the links, each change logged as
    /// the delete's own are. Schema changes refuse cascade cycles, so this ends; Postgres's
    /// foreign keys, declared with the same actions, find nothing left to do.
    fn cascades(
        &self,
        sql: &mut Builder,
        deleted: &str,
        table: &Table,
        (actor, request_id): (&str, &str),
        out: &mut Vec<String>,
    ) -> Result<(), Error> {
        for (linking, field, link) in self.catalog.links_to(table.id) {
            if link.on_delete == OnDelete::Restrict {
                continue;
            }
            if out.len() >= MAX_CASCADES {
                return Err(Error::TooManyCascades);
            }
            let name = format!("k{}", out.len());
            let target = qualified_table(self.catalog.base_id, linking.id);
            let column = quote_ident(&field.id.column_name());
            let table_id = sql.param(Some(linking.id.to_string()));
            let changes = self.changes();
            out.push(match link.on_delete {
                OnDelete::Cascade => format!(
                    "{name} AS (DELETE FROM {target} r USING {deleted} p WHERE r.{column} = p.id RETURNING r.*), \
                     {name}_c AS (INSERT INTO {changes} (op, table_id, record_id, before, actor, request_id) \
                     SELECT 'delete', ({table_id}::text)::uuid, {name}.id, {}::jsonb, {actor}, {request_id} FROM {name})",
                    record_json(linking, &name, None, None)?
                ),
                _ => format!(
                    "{name}_o AS (SELECT r.id, {} AS body FROM {target} r JOIN {deleted} p ON r.{column} = p.id FOR UPDATE OF r), \
                     {name} AS (UPDATE {target} r SET {column} = NULL, updated_at = now(), version = r.version + 1 \
                     FROM {name}_o o WHERE r.id = o.id RETURNING r.*), \
                     {name}_c AS (INSERT INTO {changes} (op, table_id, record_id, before, after, actor, request_id) \
                     SELECT 'update', ({table_id}::text)::uuid, {name}.id, o.body::jsonb, {}::jsonb, {actor}, {request_id} \
                     FROM {name} JOIN {name}_o o ON o.id = {name}.id)",
                    record_json(linking, "r", None, None)?,
                    record_json(linking, &name, None, None)?
                ),
            });
            if link.on_delete == OnDelete::Cascade {
                self.cascades(sql, &name, linking, (actor, request_id), out)?;
            }
        }
        Ok(())
    }

    fn statement(&self, sql: &mut Builder, plan: &Plan) -> Result<(), Error> {
        let target = &self.target;
        match plan {
            Plan::GetRecord { id, fields, include, .. } => {
                let json = self.json_with(sql, "r", fields.as_deref(), include)?;
                let id = sql.param(Some(id.to_string()));
                let rows = self.and_rows(sql, self.table, "r")?;
                sql.push(&format!(
                    "SELECT {json}::text, r.version FROM {target} r WHERE r.id = ({id}::text)::uuid{rows}"
                ));
            }
            Plan::ListRecords { filter, sort, fields, limit, after, include, .. } => {
                let keys = sort
                    .iter()
                    .map(|key| Ok(format!("({})::text", self.column(sql, key.column)?.0)))
                    .collect::<Result<Vec<_>, Error>>()?;
                let json = self.json_with(sql, "r", fields.as_deref(), include)?;
                // The snapshot the list is read in (evaluated once), where a stream of the
                // table's changes resumes with no gap and no duplicate.
                sql.push(&format!(
                    "SELECT {json}::text, {}, (SELECT pg_current_snapshot()::text) FROM {target} r",
                    keys.join(", ")
                ));
                let mut predicates = Vec::new();
                predicates.extend(self.rows(sql, self.table, "r")?);
                if let Some(filter) = filter {
                    predicates.push(self.expr(sql, filter)?);
                }
                if let Some(after) = after {
                    predicates.push(self.keyset(sql, sort, after)?);
                }
                if !predicates.is_empty() {
                    sql.push(&format!(" WHERE {}", predicates.join(" AND ")));
                }
                let order = sort
                    .iter()
                    .map(|key| {
                        let direction = if key.descending { "DESC NULLS FIRST" } else { "ASC NULLS LAST" };
                        Ok(format!("{} {direction}", self.column(sql, key.column)?.0))
                    })
                    .collect::<Result<Vec<_>, Error>>()?;
                // One row more than asked tells whether there is a next page, without count(*).
                let limit = sql.param(Some((u64::from(*limit) + 1).to_string()));
                sql.push(&format!(" ORDER BY {} LIMIT ({limit}::text)::bigint", order.join(", ")));
            }
            Plan::CreateRecord { id, values, .. } => {
                let mut columns = vec!["id".to_owned()];
                let id = sql.param(id.map(|id| id.to_string()));
                let mut row = vec![format!("COALESCE(({id}::text)::uuid, gen_random_uuid())")];
                for assignment in values {
                    let field = self.field(assignment.field)?;
                    columns.push(quote_ident(&field.id.column_name()));
                    row.push(cast(&sql.param(assignment.value.clone()), field.field_type.sql_type()));
                }
                let (table, actor, request_id) = self.change_params(sql);
                let allowed = self.allowed(sql, "r")?;
                let shown = self.shown(sql, self.table, "r", None)?;
                sql.push(&format!(
                    "WITH r AS (INSERT INTO {target} ({}) VALUES ({}) RETURNING *), \
                     j AS (SELECT r.id, r.version, {} AS body, {shown} AS shown, {allowed} AS allowed FROM r), \
                     c AS (INSERT INTO {} (op, table_id, record_id, after, actor, request_id) \
                     SELECT 'insert', {table}, j.id, j.body::jsonb, {actor}, {request_id} FROM j) \
                     SELECT j.shown::text, j.version, j.allowed FROM j",
                    columns.join(", "),
                    row.join(", "),
                    self.json("r", None)?,
                    self.changes(),
                ));
            }
            Plan::UpdateRecord { id, values, if_match, .. } => {
                let id = sql.param(Some(id.to_string()));
                let version = sql.param(if_match.map(|version| version.to_string()));
                let mut sets = Vec::with_capacity(values.len() + 2);
                for assignment in values {
                    let field = self.field(assignment.field)?;
                    let value = sql.param(assignment.value.clone());
                    sets.push(format!(
                        "{} = {}",
                        quote_ident(&field.id.column_name()),
                        cast(&value, field.field_type.sql_type())
                    ));
                }
                sets.push("updated_at = now()".into());
                sets.push("version = r.version + 1".into());
                let (table, actor, request_id) = self.change_params(sql);
                let visible = self.and_rows(sql, self.table, "r")?;
                let allowed = self.allowed(sql, "u")?;
                let shown = self.shown(sql, self.table, "u", None)?;
                // The row is locked first, so the version check and the update see the
                // same row: of two updates with the same If-Match, exactly one succeeds.
                sql.push(&format!(
                    "WITH old AS (SELECT r.id, r.version, {} AS body FROM {target} r WHERE r.id = ({id}::text)::uuid{visible} FOR UPDATE), \
                     u AS (UPDATE {target} r SET {} FROM old WHERE r.id = old.id \
                     AND ({version}::text IS NULL OR old.version = ({version}::text)::bigint) RETURNING r.*), \
                     j AS (SELECT u.id, u.version, {} AS body, {shown} AS shown, {allowed} AS allowed FROM u), \
                     c AS (INSERT INTO {} (op, table_id, record_id, before, after, actor, request_id) \
                     SELECT 'update', {table}, j.id, old.body::jsonb, j.body::jsonb, {actor}, {request_id} FROM j, old) \
                     SELECT j.shown::text, j.version, old.version, j.allowed FROM old LEFT JOIN j ON true",
                    self.json("r", None)?,
                    sets.join(", "),
                    self.json("u", None)?,
                    self.changes(),
                ));
            }
            Plan::DeleteRecord { id, if_match, .. } => {
                let id = sql.param(Some(id.to_string()));
                let version = sql.param(if_match.map(|version| version.to_string()));
                let (table, actor, request_id) = self.change_params(sql);
                let visible = self.and_rows(sql, self.table, "r")?;
                let cascades = self.cascade_ctes(sql, "d", (&actor, &request_id))?;
                sql.push(&format!(
                    "WITH old AS (SELECT r.id, r.version, {} AS body FROM {target} r WHERE r.id = ({id}::text)::uuid{visible} FOR UPDATE), \
                     d AS (DELETE FROM {target} r USING old WHERE r.id = old.id \
                     AND ({version}::text IS NULL OR old.version = ({version}::text)::bigint) RETURNING r.id), \
                     c AS (INSERT INTO {} (op, table_id, record_id, before, actor, request_id) \
                     SELECT 'delete', {table}, d.id, old.body::jsonb, {actor}, {request_id} FROM d JOIN old ON old.id = d.id){cascades} \
                     SELECT d.id IS NOT NULL, old.version FROM old LEFT JOIN d ON true",
                    self.json("r", None)?,
                    self.changes(),
                ));
            }
            Plan::DeleteRecords { target: selection, .. } => {
                let predicate = match selection {
                    DeleteTarget::Ids { ids, .. } => {
                        let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
                        let ids = sql.param(Some(serde_json::to_string(&ids).expect("strings serialize")));
                        format!(
                            "r.id = ANY (ARRAY(SELECT x::uuid FROM jsonb_array_elements_text(({ids}::text)::jsonb) x))"
                        )
                    }
                    DeleteTarget::Filter(filter) => self.expr(sql, filter)?,
                };
                let predicate = format!("{predicate}{}", self.and_rows(sql, self.table, "r")?);
                let (table, actor, request_id) = self.change_params(sql);
                let cascades = self.cascade_ctes(sql, "d", (&actor, &request_id))?;
                sql.push(&format!(
                    "WITH d AS (DELETE FROM {target} r WHERE {predicate} RETURNING r.*), \
                     c AS (INSERT INTO {} (op, table_id, record_id, before, actor, request_id) \
                     SELECT 'delete', {table}, d.id, {}::jsonb, {actor}, {request_id} FROM d){cascades} \
                     SELECT d.id::text FROM d",
                    self.changes(),
                    self.json("d", None)?,
                ));
            }
            Plan::UpsertRecords { .. } => unreachable!("lowered by upsert()"),
        }
        Ok(())
    }

    /// One statement per distinct field set: `INSERT … SELECT FROM jsonb_array_elements
    /// ON CONFLICT (key) DO UPDATE` over the items as one JSON parameter
    /// `[[index, id, value…], …]`, so the size of the SQL text does not grow with the batch.
    fn upsert(&self, key: Option<FieldId>, items: &[Item]) -> Result<Vec<Sql>, Error> {
        // Per field set: its rows, and whether one of them names an id.
        let mut groups: Vec<(Vec<FieldId>, Vec<serde_json::Value>, bool)> = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let fields: Vec<FieldId> = item.values.iter().map(|a| a.field).collect();
            let mut row = vec![serde_json::Value::from(index), item.id.map(|id| id.to_string()).into()];
            row.extend(item.values.iter().map(|a| serde_json::Value::from(a.value.clone())));
            match groups.iter_mut().find(|(group, _, _)| *group == fields) {
                Some((_, rows, ids)) => {
                    rows.push(row.into());
                    *ids |= item.id.is_some();
                }
                None => groups.push((fields, vec![row.into()], item.id.is_some())),
            }
        }
        let target = &self.target;
        groups
            .into_iter()
            .map(|(fields, rows, ids)| {
                let mut sql = Builder::default();
                let rows = sql.param(Some(serde_json::Value::from(rows).to_string()));
                let mut source =
                    vec!["(e->>0)::int AS n".to_owned(), "COALESCE((e->>1)::uuid, gen_random_uuid()) AS id".to_owned()];
                let mut columns = vec!["id".to_owned()];
                let mut sets = Vec::new();
                for (position, id) in fields.iter().enumerate() {
                    let field = self.field(*id)?;
                    let column = quote_ident(&field.id.column_name());
                    source.push(format!("(e->>{})::{} AS c{position}", position + 2, field.field_type.sql_type()));
                    columns.push(column.clone());
                    sets.push(format!("{column} = EXCLUDED.{column}"));
                }
                sets.push("updated_at = now()".into());
                sets.push("version = r.version + 1".into());
                let (conflict, matches, matched) = match key {
                    None => ("id".to_owned(), "r.id = src.id".to_owned(), "up.id = src.id".to_owned()),
                    Some(key) => {
                        let field = self.field(key)?;
                        let column = quote_ident(&field.id.column_name());
                        let position = fields.iter().position(|id| *id == key).ok_or(Error::UnknownField(key))?;
                        (
                            column.clone(),
                            format!("r.{column} = src.c{position}"),
                            format!("up.{column} = src.c{position}"),
                        )
                    }
                };
                let values: Vec<String> = (0..fields.len()).map(|position| format!("src.c{position}")).collect();
                let (table, actor, request_id) = self.change_params(&mut sql);
                let allowed = self.allowed(&mut sql, "up")?;
                // Without a key or ids, every item is a new record: a plain insert.
                if key.is_none() && !ids {
                    sql.push(&format!(
                        "WITH src AS MATERIALIZED (SELECT {} FROM jsonb_array_elements(({rows}::text)::jsonb) AS e), \
                         up AS (INSERT INTO {target} AS r ({}) SELECT src.id{} FROM src RETURNING r.*), \
                         c AS (INSERT INTO {} (op, table_id, record_id, after, actor, request_id) \
                         SELECT 'insert', {table}, up.id, {}::jsonb, {actor}, {request_id} FROM up) \
                         SELECT src.n, up.id::text, {allowed} FROM src LEFT JOIN up ON {matched}",
                        source.join(", "),
                        columns.join(", "),
                        values.iter().map(|value| format!(", {value}")).collect::<String>(),
                        self.changes(),
                        self.json("up", None)?,
                    ));
                    return Ok(sql.finish());
                }
                // A record the caller may not see is not updated (and its item answers
                // no id); one the caller writes must stay visible to it.
                let visible =
                    self.rows(&mut sql, self.table, "r")?.map(|rows| format!(" WHERE {rows}")).unwrap_or_default();
                sql.push(&format!(
                    "WITH src AS MATERIALIZED (SELECT {} FROM jsonb_array_elements(({rows}::text)::jsonb) AS e), \
                     old AS (SELECT r.id, {} AS body FROM {target} r JOIN src ON {matches} FOR UPDATE OF r), \
                     up AS (INSERT INTO {target} AS r ({}) SELECT src.id{} FROM src \
                     ON CONFLICT ({conflict}) DO UPDATE SET {}{visible} RETURNING r.*), \
                     c AS (INSERT INTO {} (op, table_id, record_id, before, after, actor, request_id) \
                     SELECT CASE WHEN old.id IS NULL THEN 'insert' ELSE 'update' END, {table}, up.id, old.body::jsonb, \
                     {}::jsonb, {actor}, {request_id} FROM up LEFT JOIN old ON old.id = up.id) \
                     SELECT src.n, up.id::text, {allowed} FROM src LEFT JOIN up ON {matched}",
                    source.join(", "),
                    self.json("r", None)?,
                    columns.join(", "),
                    values.iter().map(|value| format!(", {value}")).collect::<String>(),
                    sets.join(", "),
                    self.changes(),
                    self.json("up", None)?,
                ));
                Ok(sql.finish())
            })
            .collect()
    }

    /// [`Lowering::cascades`] of this table's deleted records, as `, name AS (…)…` to
    /// follow the statement's own CTEs (empty when no link cascades or clears).
    fn cascade_ctes(&self, sql: &mut Builder, deleted: &str, log: (&str, &str)) -> Result<String, Error> {
        let mut ctes = Vec::new();
        self.cascades(sql, deleted, self.table, log, &mut ctes)?;
        Ok(ctes.iter().map(|cte| format!(", {cte}")).collect())
    }

    /// The SQL expression of a column of this table's row `r` and its Postgres type.
    fn column(&self, sql: &mut Builder, column: Column) -> Result<(String, &'static str), Error> {
        self.column_in(sql, self.table, "r", column)
    }

    /// The SQL expression of a column of `table`'s row `alias`.
    fn column_in(
        &self,
        sql: &mut Builder,
        table: &Table,
        alias: &str,
        column: Column,
    ) -> Result<(String, &'static str), Error> {
        // A `CHECK` constraint names its table's columns unqualified.
        let of = |name: &str| if alias.is_empty() { name.to_owned() } else { format!("{alias}.{name}") };
        Ok(match column {
            Column::Id => (of("id"), "uuid"),
            Column::CreatedAt => (of("created_at"), "timestamptz"),
            Column::UpdatedAt => (of("updated_at"), "timestamptz"),
            Column::Field(id) => {
                let field = table.field_by_id(id).ok_or(Error::UnknownField(id))?;
                let value = match &field.computed {
                    None => of(&quote_ident(&field.id.column_name())),
                    Some(computed) => self.computed(sql, table, alias, field, computed)?,
                };
                (value, field.field_type.sql_type())
            }
            // One index lookup per row, inside the same statement; a linked record the
            // caller may not see has no fields.
            Column::Linked(link, id) => {
                let (link, target) = self.link(link)?;
                let field = target.field_by_id(id).ok_or(Error::UnknownField(id))?;
                (
                    format!(
                        "(SELECT l.{} FROM {} l WHERE l.id = {alias}.{}{})",
                        quote_ident(&field.id.column_name()),
                        qualified_table(self.catalog.base_id, target.id),
                        quote_ident(&link.id.column_name()),
                        self.and_rows(sql, target, "l")?
                    ),
                    field.field_type.sql_type(),
                )
            }
        })
    }

    fn nullable(&self, column: Column) -> bool {
        column_info(self.table, column).is_some_and(|info| info.nullable)
    }

    fn expr(&self, sql: &mut Builder, expr: &Expr) -> Result<String, Error> {
        self.expr_in(sql, self.table, "r", expr)
    }

    fn expr_in(&self, sql: &mut Builder, table: &Table, alias: &str, expr: &Expr) -> Result<String, Error> {
        Ok(match expr {
            // An empty conjunction holds; an empty disjunction never does (a view's `no_rows`).
            Expr::And(children) if children.is_empty() => "true".to_owned(),
            Expr::Or(children) if children.is_empty() => "false".to_owned(),
            Expr::And(children) | Expr::Or(children) => {
                let joiner = if matches!(expr, Expr::And(_)) { " AND " } else { " OR " };
                let parts = children
                    .iter()
                    .map(|child| self.expr_in(sql, table, alias, child))
                    .collect::<Result<Vec<_>, _>>()?;
                format!("({})", parts.join(joiner))
            }
            Expr::Not(child) => format!("(NOT COALESCE({}, false))", self.expr_in(sql, table, alias, child)?),
            Expr::Cond(condition) => self.condition(sql, table, alias, condition)?,
        })
    }

    fn condition(&self, sql: &mut Builder, table: &Table, alias: &str, condition: &Condition) -> Result<String, Error> {
        let (column, sql_type) = self.column_in(sql, table, alias, condition.column)?;
        let literal = sql.literal;
        let mut value = |index: usize| sql.param(condition.values.get(index).cloned());
        Ok(match condition.op {
            Op::Eq | Op::Ne | Op::Gt | Op::Gte | Op::Lt | Op::Lte => {
                let operator = match condition.op {
                    Op::Eq => "=",
                    Op::Ne => "IS DISTINCT FROM",
                    Op::Gt => ">",
                    Op::Gte => ">=",
                    Op::Lt => "<",
                    _ => "<=",
                };
                format!("{column} {operator} {}", cast(&value(0), sql_type))
            }
            Op::Between => {
                let (low, high) = (value(0), value(1));
                format!("{column} BETWEEN {} AND {}", cast(&low, sql_type), cast(&high, sql_type))
            }
            // A constraint cannot hold a subquery: there each value is its own literal.
            Op::In if literal => {
                let values: Vec<String> =
                    condition.values.iter().map(|value| cast(&sql.param(Some(value.clone())), sql_type)).collect();
                format!("{column} IN ({})", values.join(", "))
            }
            Op::In => {
                let list = sql.param(Some(serde_json::to_string(&condition.values).expect("strings serialize")));
                format!(
                    "{column} = ANY (ARRAY(SELECT x::{sql_type} FROM jsonb_array_elements_text(({list}::text)::jsonb) x))"
                )
            }
            Op::Contains if sql_type == "jsonb" => format!("{column} @> jsonb_build_array({}::text)", value(0)),
            Op::Contains => format!("strpos(lower({column}), lower({}::text)) > 0", value(0)),
            Op::StartsWith => format!("starts_with({column}, {}::text)", value(0)),
            Op::IsNull if condition.values.first().is_some_and(|flag| flag == "false") => {
                format!("{column} IS NOT NULL")
            }
            Op::IsNull => format!("{column} IS NULL"),
        })
    }

    /// Rows strictly after `after` in `sort` order, with NULLs last ascending and first
    /// descending (Postgres's defaults, made explicit in the ORDER BY).
    ///
    /// When every key is NOT NULL and all go the same way this is one row comparison,
    /// which an index on the keys serves as a range scan; otherwise it is the expanded
    /// lexicographic form `k1 after OR (k1 equal AND (k2 after OR …))`.
    fn keyset(&self, sql: &mut Builder, sort: &[SortKey], after: &[Option<String>]) -> Result<String, Error> {
        let same_direction = sort.iter().all(|key| key.descending == sort[0].descending);
        let no_nulls = sort.iter().all(|key| !self.nullable(key.column)) && after.iter().all(Option::is_some);
        if same_direction && no_nulls {
            let mut columns = Vec::new();
            let mut values = Vec::new();
            for (key, value) in sort.iter().zip(after) {
                let (column, sql_type) = self.column(sql, key.column)?;
                columns.push(column);
                values.push(cast(&sql.param(value.clone()), sql_type));
            }
            let operator = if sort[0].descending { "<" } else { ">" };
            return Ok(format!("({}) {operator} ({})", columns.join(", "), values.join(", ")));
        }
        let mut predicate = String::new();
        for (key, value) in sort.iter().zip(after).rev() {
            let (column, sql_type) = self.column(sql, key.column)?;
            let (beyond, equal) = match (value, key.descending) {
                (None, false) => ("false".to_owned(), format!("{column} IS NULL")),
                (None, true) => (format!("{column} IS NOT NULL"), format!("{column} IS NULL")),
                (Some(value), descending) => {
                    let value = cast(&sql.param(Some(value.clone())), sql_type);
                    let beyond = if descending {
                        format!("{column} < {value}")
                    } else if self.nullable(key.column) {
                        format!("({column} > {value} OR {column} IS NULL)")
                    } else {
                        format!("{column} > {value}")
                    };
                    (beyond, format!("{column} = {value}"))
                }
            };
            predicate = if predicate.is_empty() { beyond } else { format!("({beyond} OR ({equal} AND {predicate}))") };
        }
        Ok(predicate)
    }
}

/// A rollup as it is lowered: the linking table, its link, the aggregate, its field and condition.
struct Rollup<'a> {
    source: &'a Table,
    link: FieldId,
    function: Aggregate,
    aggregated: Option<FieldId>,
    filter: Option<&'a Expr>,
}

/// A lowering of conditions on one table, for constraints and their probes.
fn conditions<'a>(catalog: &'a Catalog, table: &'a Table, context: &'a WriteContext<'a>) -> Lowering<'a> {
    Lowering { catalog, table, target: qualified_table(catalog.base_id, table.id), context }
}

const NO_CALLER: WriteContext<'static> = WriteContext { actor: "", request_id: "", caller: &Caller::UNRESTRICTED };

/// Whether a row holds a record rule: `NOT when OR then`, where a condition that is
/// NULL (on a NULL value) counts as not holding.
fn rule_holds(lowering: &Lowering<'_>, sql: &mut Builder, alias: &str, rule: &RecordRule) -> Result<String, Error> {
    let then = lowering.expr_in(sql, lowering.table, alias, &rule.then)?;
    Ok(match &rule.when {
        None => format!("COALESCE({then}, false)"),
        Some(when) => {
            let when = lowering.expr_in(sql, lowering.table, alias, when)?;
            format!("(NOT COALESCE({when}, false) OR COALESCE({then}, false))")
        }
    })
}

/// A record rule as the expression of a `CHECK` constraint, as a `format()` template
/// whose `%n$L` slots the data plane's `nc_set_check` fills with quoted literals (DDL
/// takes no parameters): values still never enter the text here.
pub fn rule_check(catalog: &Catalog, table: &Table, rule: &RecordRule) -> Result<Sql, Error> {
    let mut sql = Builder { literal: true, ..Builder::default() };
    let holds = rule_holds(&conditions(catalog, table, &NO_CALLER), &mut sql, "", rule)?;
    sql.push(&holds);
    Ok(sql.template())
}

/// The records of a table that break a record rule: their count and the ids of the
/// first three in list order, as [`crate::ddl::rule_breakers`] answers for field rules.
pub fn record_rule_breakers(catalog: &Catalog, table: &Table, rule: &RecordRule) -> Result<Sql, Error> {
    let mut sql = Builder::default();
    let holds = rule_holds(&conditions(catalog, table, &NO_CALLER), &mut sql, "r", rule)?;
    Ok(crate::ddl::records_where(catalog.base_id, table.id, &format!("NOT {holds}"), sql.params))
}

/// Marks detached the committed uploads of a file field that no record of its table holds
/// any more (all of them when the field's column is gone: `column_exists` false). One
/// scan of the table, joined against the field's files.
pub fn unreferenced_files(base_id: BaseId, table_id: TableId, field_id: FieldId, column_exists: bool) -> Sql {
    let column = format!("r.{}", quote_ident(&field_id.column_name()));
    let held = match column_exists {
        true => format!(
            " AND NOT EXISTS (SELECT 1 FROM {} r CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN \
             jsonb_typeof({column}) = 'array' THEN {column} ELSE '[]'::jsonb END) a WHERE a->>'id' = f.id::text)",
            qualified_table(base_id, table_id)
        ),
        false => String::new(),
    };
    Sql {
        text: format!(
            "UPDATE nc.files f SET detached_at = now() WHERE f.base_id = ($1::text)::uuid \
             AND f.field_id = ($2::text)::uuid AND f.detached_at IS NULL AND f.state = 'committed'{held}"
        ),
        params: vec![Some(base_id.0.to_string()), Some(field_id.0.to_string())],
    }
}

/// `($n::text)::type`: every parameter is sent as text and cast to its column's type.
fn cast(param: &str, sql_type: &str) -> String {
    format!("({param}::text)::{sql_type}")
}

/// The JSON of one record as stored (the change log's form): `{"id", "values": {name:
/// value}, "created_at", "updated_at"}`, with only the `fields` given (all when `None`),
/// computed fields left out. Field names become JSON keys through quoted column aliases,
/// never through literals.
fn record_json(
    table: &Table,
    alias: &str,
    fields: Option<&[FieldId]>,
    included: Option<&str>,
) -> Result<String, Error> {
    let columns: Vec<String> = selected(table, fields)?
        .into_iter()
        .filter(|field| field.is_stored())
        .map(|field| format!("{alias}.{} AS {}", quote_ident(&field.id.column_name()), quote_ident(&field.name)))
        .collect();
    Ok(json_object(alias, &columns, included))
}

/// The fields of `table` named by `fields` (all when `None`).
fn selected<'a>(table: &'a Table, fields: Option<&[FieldId]>) -> Result<Vec<&'a Field>, Error> {
    match fields {
        None => Ok(table.fields.iter().collect()),
        Some(ids) => ids.iter().map(|id| table.field_by_id(*id).ok_or(Error::UnknownField(*id))).collect(),
    }
}

/// A record's JSON object around its value `columns` (`expression AS "name"`).
fn json_object(alias: &str, columns: &[String], included: Option<&str>) -> String {
    // `row_to_json` of an empty select list is not valid SQL; an empty projection is `{}`.
    let values = if columns.is_empty() {
        "'{}'::json".to_owned()
    } else {
        format!("(SELECT row_to_json(v) FROM (SELECT {}) v)", columns.join(", "))
    };
    let included = included.map(|json| format!(", {json} AS included")).unwrap_or_default();
    format!(
        "(SELECT row_to_json(x) FROM (SELECT {alias}.id, {values} AS \"values\", {alias}.created_at, {alias}.updated_at{included}) x)"
    )
}

/// A formula call as SQL over its arguments' SQL (`values`) of types `kinds`. Units and
/// formats come from fixed lists here, never from the formula's text.
fn call(func: Func, values: &[String], kinds: &[Kind], args: &[Formula]) -> String {
    let v = |n: usize| values[n].as_str();
    let binary = |operator: &str| format!("({} {operator} {})", v(0), v(1));
    // A count of characters or digits, bounded so that a cast to int cannot fail.
    let int = |n: usize| format!("(LEAST(GREATEST(round({}), -100000), 100000))::int", v(n));
    let text = |n: usize| match kinds[n] {
        Kind::Text => v(n).to_owned(),
        Kind::Date => format!("to_char({}, 'YYYY-MM-DD')", v(n)),
        Kind::Datetime => format!("to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')", v(n)),
        Kind::Number | Kind::Boolean => format!("({})::text", v(n)),
    };
    // A date or datetime as a UTC timestamp without time zone.
    let utc = |n: usize| match kinds[n] {
        Kind::Date => format!("({})::timestamp", v(n)),
        _ => format!("({} AT TIME ZONE 'UTC')", v(n)),
    };
    let unit = |n: usize| match &args[n] {
        Formula::Text(unit) => crate::formula::UNITS.iter().copied().find(|known| known == unit).unwrap_or("days"),
        _ => "days",
    };
    let all = |separator: &str| values.join(separator);
    match func {
        Func::Add => binary("+"),
        Func::Sub => binary("-"),
        Func::Mul => binary("*"),
        Func::Div => format!("({} / NULLIF({}, 0))", v(0), v(1)),
        Func::Neg => format!("(- {})", v(0)),
        Func::Eq => binary("="),
        Func::Ne => binary("<>"),
        Func::Lt => binary("<"),
        Func::Lte => binary("<="),
        Func::Gt => binary(">"),
        Func::Gte => binary(">="),
        Func::And => binary("AND"),
        Func::Or => binary("OR"),
        Func::Not => format!("(NOT {})", v(0)),
        Func::Concat => format!("concat({})", (0..values.len()).map(text).collect::<Vec<_>>().join(", ")),
        Func::If => {
            format!("(CASE WHEN {} THEN {} ELSE {} END)", v(0), v(1), values.get(2).map_or("NULL", String::as_str))
        }
        Func::Upper => format!("upper({})", v(0)),
        Func::Lower => format!("lower({})", v(0)),
        Func::Trim => format!("btrim({})", v(0)),
        Func::Length => format!("(char_length({}))::numeric", v(0)),
        Func::Left => format!("left({}, {})", v(0), int(1)),
        Func::Right => format!("right({}, {})", v(0), int(1)),
        Func::Round if values.len() == 2 => {
            format!("round({}, (LEAST(GREATEST(round({}), -100), 100))::int)", v(0), v(1))
        }
        Func::Round => format!("round({})", v(0)),
        Func::Abs => format!("abs({})", v(0)),
        Func::Floor => format!("floor({})", v(0)),
        Func::Ceil => format!("ceil({})", v(0)),
        Func::Min => format!("LEAST({})", all(", ")),
        Func::Max => format!("GREATEST({})", all(", ")),
        Func::Coalesce => format!("COALESCE({})", all(", ")),
        Func::IsEmpty if kinds[0] == Kind::Text => format!("(COALESCE({}, '') = '')", v(0)),
        Func::IsEmpty => format!("({} IS NULL)", v(0)),
        Func::ToText => text(0),
        Func::Year => format!("extract(year FROM {})", utc(0)),
        Func::Month => format!("extract(month FROM {})", utc(0)),
        Func::Day => format!("extract(day FROM {})", utc(0)),
        Func::Hour => format!("extract(hour FROM {})", utc(0)),
        Func::Now => "now()".to_owned(),
        Func::Today => "((now() AT TIME ZONE 'UTC')::date)".to_owned(),
        Func::DateDiff => {
            let (start, end) = (utc(0), utc(1));
            let seconds = |per: u32| format!("trunc(extract(epoch FROM ({end} - {start})) / {per})");
            let months =
                format!("(extract(year FROM age({end}, {start})) * 12 + extract(month FROM age({end}, {start})))");
            match unit(2) {
                "seconds" => seconds(1),
                "minutes" => seconds(60),
                "hours" => seconds(3_600),
                "weeks" => seconds(604_800),
                "months" => months,
                "years" => format!("trunc({months} / 12)"),
                _ => seconds(86_400),
            }
        }
        Func::DateAdd => {
            // Bounded to 4,000 years either way, so that the result stays a valid date.
            let (per, bound) = match unit(2) {
                "seconds" => ("1 second", 126_230_400_000_u64),
                "minutes" => ("1 minute", 2_103_840_000),
                "hours" => ("1 hour", 35_064_000),
                "weeks" => ("1 week", 208_800),
                "months" => ("1 month", 48_000),
                "years" => ("1 year", 4_000),
                _ => ("1 day", 1_461_000),
            };
            let moved =
                format!("({} + interval '{per}' * (LEAST(GREATEST({}, -{bound}), {bound}))::float8)", utc(0), v(1));
            match kinds[0] {
                Kind::Date => format!("({moved})::date"),
                _ => format!("({moved} AT TIME ZONE 'UTC')"),
            }
        }
    }
}

#[derive(Default)]
struct Builder {
    text: String,
    params: Vec<Option<String>>,
    /// Placeholders are slots of a `format()` template (see [`rule_check`]), not `$n`.
    literal: bool,
    /// Table aliases handed out to computed fields' subqueries.
    aliases: usize,
    /// How many computed fields are being lowered, one inside the other.
    depth: usize,
}

/// Marks a template slot until [`Builder::template`] turns it into `%n$L`.
const SLOT: char = '\u{1}';

impl Builder {
    /// A table alias no other part of the statement uses.
    fn alias(&mut self) -> String {
        self.aliases += 1;
        format!("c{}", self.aliases)
    }

    /// Adds a parameter and returns its placeholder (`$n`).
    fn param(&mut self, value: Option<String>) -> String {
        self.params.push(value);
        match self.literal {
            true => format!("{SLOT}{}{SLOT}", self.params.len()),
            false => format!("${}", self.params.len()),
        }
    }

    /// The text as a `format()` template: `%` doubled, each slot `%n$L`.
    fn template(self) -> Sql {
        let mut text = String::with_capacity(self.text.len() + 8);
        for (n, part) in self.text.replace('%', "%%").split(SLOT).enumerate() {
            match n % 2 {
                0 => text.push_str(part),
                _ => text.push_str(&format!("%{part}$L")),
            }
        }
        Sql { text, params: self.params }
    }

    fn push(&mut self, text: &str) {
        self.text.push_str(text);
    }

    fn finish(self) -> Sql {
        Sql { text: self.text, params: self.params }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::FieldType;
    use crate::ids::RecordId;
    use crate::plan::{Assignment, Condition};
    use expect_test::{Expect, expect};
    use uuid::Uuid;

    const TABLE: TableId = TableId(Uuid::from_u128(0x7));
    const NAME: FieldId = FieldId(Uuid::from_u128(0xa));
    const AMOUNT: FieldId = FieldId(Uuid::from_u128(0xc));

    fn catalog() -> Catalog {
        let field = |id, name: &str, field_type, required, unique| Field {
            required,
            unique,
            ..Field::new(id, name, field_type)
        };
        Catalog {
            base_id: BaseId(Uuid::from_u128(0xb)),
            version: 1,
            tables: vec![Table {
                id: TABLE,
                name: "customers".into(),
                fields: vec![
                    field(NAME, "na\"me", FieldType::Text, true, true),
                    field(AMOUNT, "amount", FieldType::Number, false, false),
                ],
                aliases: Vec::new(),
                rules: Vec::new(),
                unique: Vec::new(),
                policies: Vec::new(),
                indexes: Vec::new(),
            }],
        }
    }

    fn check(plan: Plan, expected: Expect) {
        check_in(&catalog(), plan, expected);
    }

    fn check_in(catalog: &Catalog, plan: Plan, expected: Expect) {
        let context =
            WriteContext { actor: "token:1", request_id: "req_1", caller: &crate::policy::Caller::UNRESTRICTED };
        let statements = lower(&plan, catalog, &context).expect("lowers");
        let text: Vec<String> = statements.iter().map(|sql| format!("{}\n{:?}", sql.text, sql.params)).collect();
        expected.assert_eq(&text.join("\n"));
    }

    fn id(n: u128) -> RecordId {
        RecordId(Uuid::from_u128(n))
    }

    const ORDERS: TableId = TableId(Uuid::from_u128(0x8));
    const CUSTOMER: FieldId = FieldId(Uuid::from_u128(0x20));
    const LINES: TableId = TableId(Uuid::from_u128(0x9));
    const ORDER: FieldId = FieldId(Uuid::from_u128(0x30));

    /// customers ← orders.customer (cascade) ← lines.order (set null).
    fn linked_catalog() -> Catalog {
        let link = |id, name: &str, table, on_delete| Field {
            link: Some(crate::catalog::Link { table, on_delete, display: None }),
            ..Field::new(id, name, FieldType::Link)
        };
        let mut catalog = catalog();
        catalog.tables.push(Table {
            id: ORDERS,
            name: "orders".into(),
            fields: vec![link(CUSTOMER, "customer", TABLE, OnDelete::Cascade)],
            aliases: Vec::new(),
            rules: Vec::new(),
            unique: Vec::new(),
            policies: Vec::new(),
            indexes: Vec::new(),
        });
        catalog.tables.push(Table {
            id: LINES,
            name: "lines".into(),
            fields: vec![link(ORDER, "order", ORDERS, OnDelete::SetNull)],
            aliases: Vec::new(),
            rules: Vec::new(),
            unique: Vec::new(),
            policies: Vec::new(),
            indexes: Vec::new(),
        });
        catalog
    }

    #[test]
    fn relations_are_embedded_and_filtered_in_one_statement() {
        check_in(
            &linked_catalog(),
            Plan::ListRecords {
                table: ORDERS,
                filter: Some(Expr::Cond(Condition {
                    column: Column::Linked(CUSTOMER, AMOUNT),
                    op: Op::Gt,
                    values: vec!["5".into()],
                    var: None,
                })),
                sort: vec![SortKey { column: Column::Id, descending: false }],
                fields: None,
                limit: 10,
                after: None,
                include: vec![Include::Link(CUSTOMER), Include::Reverse(LINES, ORDER)],
            },
            expect![[r#"
                SELECT (SELECT row_to_json(x) FROM (SELECT r.id, (SELECT row_to_json(v) FROM (SELECT r."f_00000000000000000000000000000020" AS "customer") v) AS "values", r.created_at, r.updated_at, (SELECT row_to_json(i) FROM (SELECT (SELECT (SELECT row_to_json(x) FROM (SELECT l0.id, (SELECT row_to_json(v) FROM (SELECT l0."f_0000000000000000000000000000000a" AS "na""me", l0."f_0000000000000000000000000000000c" AS "amount") v) AS "values", l0.created_at, l0.updated_at) x) FROM "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" l0 WHERE l0.id = r."f_00000000000000000000000000000020") AS "customer", (SELECT row_to_json(p) FROM (SELECT COALESCE(json_agg(q.body ORDER BY q.n) FILTER (WHERE q.n <= 25), '[]'::json) AS data, count(*) > 25 AS has_more FROM (SELECT (SELECT row_to_json(x) FROM (SELECT l1.id, (SELECT row_to_json(v) FROM (SELECT l1."f_00000000000000000000000000000030" AS "order") v) AS "values", l1.created_at, l1.updated_at) x) AS body, row_number() OVER (ORDER BY l1.created_at, l1.id) AS n FROM "b_0000000000000000000000000000000b"."t_00000000000000000000000000000009" l1 WHERE l1."f_00000000000000000000000000000030" = r.id ORDER BY l1.created_at, l1.id LIMIT 26) q) p) AS "lines.order") i) AS included) x)::text, (r.id)::text, (SELECT pg_current_snapshot()::text) FROM "b_0000000000000000000000000000000b"."t_00000000000000000000000000000008" r WHERE (SELECT l."f_0000000000000000000000000000000c" FROM "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" l WHERE l.id = r."f_00000000000000000000000000000020") > ($1::text)::numeric ORDER BY r.id ASC NULLS LAST LIMIT ($2::text)::bigint
                [Some("5"), Some("11")]"#]],
        );
    }

    #[test]
    fn computed_fields_are_computed_in_the_statement_that_reads() {
        let mut catalog = linked_catalog();
        let customers = &mut catalog.tables[0];
        let total = crate::formula::compile(customers, "amount * 2 + 1").expect("formula");
        customers.fields.push(Field {
            computed: Some(Computed::Formula { formula: total.formula }),
            ..Field::new(FieldId(Uuid::from_u128(0x40)), "double", FieldType::Number)
        });
        customers.fields.push(Field {
            computed: Some(Computed::Rollup {
                table: ORDERS,
                link: CUSTOMER,
                function: Aggregate::Count,
                field: None,
                filter: None,
            }),
            ..Field::new(FieldId(Uuid::from_u128(0x41)), "orders", FieldType::Number)
        });
        catalog.tables[1].fields.push(Field {
            computed: Some(Computed::Lookup { link: CUSTOMER, field: AMOUNT }),
            ..Field::new(FieldId(Uuid::from_u128(0x42)), "amount", FieldType::Number)
        });
        check_in(
            &catalog,
            Plan::ListRecords {
                table: TABLE,
                filter: None,
                sort: vec![
                    SortKey { column: Column::Field(FieldId(Uuid::from_u128(0x41))), descending: true },
                    SortKey { column: Column::Id, descending: false },
                ],
                fields: Some(vec![FieldId(Uuid::from_u128(0x40)), FieldId(Uuid::from_u128(0x41))]),
                limit: 10,
                after: None,
                include: Vec::new(),
            },
            expect![[r#"
                SELECT (SELECT row_to_json(x) FROM (SELECT r.id, (SELECT row_to_json(v) FROM (SELECT ((r."f_0000000000000000000000000000000c" * ($1::text)::numeric) + ($2::text)::numeric) AS "double", (SELECT count(*)::numeric FROM "b_0000000000000000000000000000000b"."t_00000000000000000000000000000008" c2 WHERE c2."f_00000000000000000000000000000020" = r.id) AS "orders") v) AS "values", r.created_at, r.updated_at) x)::text, ((SELECT count(*)::numeric FROM "b_0000000000000000000000000000000b"."t_00000000000000000000000000000008" c1 WHERE c1."f_00000000000000000000000000000020" = r.id))::text, (r.id)::text, (SELECT pg_current_snapshot()::text) FROM "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" r ORDER BY (SELECT count(*)::numeric FROM "b_0000000000000000000000000000000b"."t_00000000000000000000000000000008" c3 WHERE c3."f_00000000000000000000000000000020" = r.id) DESC NULLS FIRST, r.id ASC NULLS LAST LIMIT ($3::text)::bigint
                [Some("2"), Some("1"), Some("11")]"#]],
        );
        check_in(
            &catalog,
            Plan::GetRecord {
                table: ORDERS,
                id: crate::ids::RecordId(Uuid::from_u128(0x99)),
                fields: None,
                include: Vec::new(),
            },
            expect![[r#"
                SELECT (SELECT row_to_json(x) FROM (SELECT r.id, (SELECT row_to_json(v) FROM (SELECT r."f_00000000000000000000000000000020" AS "customer", (SELECT c1."f_0000000000000000000000000000000c" FROM "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" c1 WHERE c1.id = r."f_00000000000000000000000000000020") AS "amount") v) AS "values", r.created_at, r.updated_at) x)::text, r.version FROM "b_0000000000000000000000000000000b"."t_00000000000000000000000000000008" r WHERE r.id = ($1::text)::uuid
                [Some("00000000-0000-0000-0000-000000000099")]"#]],
        );
    }

    #[test]
    fn a_cascade_longer_than_the_cap_is_refused() {
        // t0 ← t1 ← … ← t65, each linking to the one before with `cascade`.
        let mut catalog = catalog();
        let table = |n: u128| TableId(Uuid::from_u128(0x1000 + n));
        for n in 1..=MAX_CASCADES as u128 + 1 {
            let link = crate::catalog::Link { table: table(n - 1), on_delete: OnDelete::Cascade, display: None };
            let field =
                Field { link: Some(link), ..Field::new(FieldId(Uuid::from_u128(0x2000 + n)), "up", FieldType::Link) };
            catalog.tables.push(Table {
                id: table(n),
                name: format!("t{n}"),
                fields: vec![field],
                aliases: Vec::new(),
                rules: Vec::new(),
                unique: Vec::new(),
                policies: Vec::new(),
                indexes: Vec::new(),
            });
        }
        catalog.tables.push(Table {
            id: table(0),
            name: "t0".into(),
            fields: Vec::new(),
            aliases: Vec::new(),
            rules: Vec::new(),
            unique: Vec::new(),
            policies: Vec::new(),
            indexes: Vec::new(),
        });
        let context =
            WriteContext { actor: "token:1", request_id: "req_1", caller: &crate::policy::Caller::UNRESTRICTED };
        let delete = |root| Plan::DeleteRecord { table: root, id: id(1), if_match: None };
        assert_eq!(lower(&delete(table(0)), &catalog, &context), Err(Error::TooManyCascades));
        assert!(lower(&delete(table(1)), &catalog, &context).is_ok(), "64 steps down are within the cap");
    }

    #[test]
    fn deletes_cascade_down_the_links_and_log_every_change() {
        check_in(
            &linked_catalog(),
            Plan::DeleteRecord { table: TABLE, id: id(0x99), if_match: None },
            expect![[r#"
                WITH old AS (SELECT r.id, r.version, (SELECT row_to_json(x) FROM (SELECT r.id, (SELECT row_to_json(v) FROM (SELECT r."f_0000000000000000000000000000000a" AS "na""me", r."f_0000000000000000000000000000000c" AS "amount") v) AS "values", r.created_at, r.updated_at) x) AS body FROM "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" r WHERE r.id = ($1::text)::uuid FOR UPDATE), d AS (DELETE FROM "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" r USING old WHERE r.id = old.id AND ($2::text IS NULL OR old.version = ($2::text)::bigint) RETURNING r.id), c AS (INSERT INTO "b_0000000000000000000000000000000b"."_changes" (op, table_id, record_id, before, actor, request_id) SELECT 'delete', ($3::text)::uuid, d.id, old.body::jsonb, $4::text, $5::text FROM d JOIN old ON old.id = d.id), k0 AS (DELETE FROM "b_0000000000000000000000000000000b"."t_00000000000000000000000000000008" r USING d p WHERE r."f_00000000000000000000000000000020" = p.id RETURNING r.*), k0_c AS (INSERT INTO "b_0000000000000000000000000000000b"."_changes" (op, table_id, record_id, before, actor, request_id) SELECT 'delete', ($6::text)::uuid, k0.id, (SELECT row_to_json(x) FROM (SELECT k0.id, (SELECT row_to_json(v) FROM (SELECT k0."f_00000000000000000000000000000020" AS "customer") v) AS "values", k0.created_at, k0.updated_at) x)::jsonb, $4::text, $5::text FROM k0), k1_o AS (SELECT r.id, (SELECT row_to_json(x) FROM (SELECT r.id, (SELECT row_to_json(v) FROM (SELECT r."f_00000000000000000000000000000030" AS "order") v) AS "values", r.created_at, r.updated_at) x) AS body FROM "b_0000000000000000000000000000000b"."t_00000000000000000000000000000009" r JOIN k0 p ON r."f_00000000000000000000000000000030" = p.id FOR UPDATE OF r), k1 AS (UPDATE "b_0000000000000000000000000000000b"."t_00000000000000000000000000000009" r SET "f_00000000000000000000000000000030" = NULL, updated_at = now(), version = r.version + 1 FROM k1_o o WHERE r.id = o.id RETURNING r.*), k1_c AS (INSERT INTO "b_0000000000000000000000000000000b"."_changes" (op, table_id, record_id, before, after, actor, request_id) SELECT 'update', ($7::text)::uuid, k1.id, o.body::jsonb, (SELECT row_to_json(x) FROM (SELECT k1.id, (SELECT row_to_json(v) FROM (SELECT k1."f_00000000000000000000000000000030" AS "order") v) AS "values", k1.created_at, k1.updated_at) x)::jsonb, $4::text, $5::text FROM k1 JOIN k1_o o ON o.id = k1.id) SELECT d.id IS NOT NULL, old.version FROM old LEFT JOIN d ON true
                [Some("00000000-0000-0000-0000-000000000099"), None, Some("00000000-0000-0000-0000-000000000007"), Some("token:1"), Some("req_1"), Some("00000000-0000-0000-0000-000000000008"), Some("00000000-0000-0000-0000-000000000009")]"#]],
        );
    }

    #[test]
    fn get_record() {
        check(
            Plan::GetRecord { table: TABLE, id: id(0x99), fields: Some(vec![AMOUNT]), include: Vec::new() },
            expect![[r#"
            SELECT (SELECT row_to_json(x) FROM (SELECT r.id, (SELECT row_to_json(v) FROM (SELECT r."f_0000000000000000000000000000000c" AS "amount") v) AS "values", r.created_at, r.updated_at) x)::text, r.version FROM "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" r WHERE r.id = ($1::text)::uuid
            [Some("00000000-0000-0000-0000-000000000099")]"#]],
        );
        check(
            Plan::GetRecord { table: TABLE, id: id(0x99), fields: Some(vec![]), include: Vec::new() },
            expect![[r#"
            SELECT (SELECT row_to_json(x) FROM (SELECT r.id, '{}'::json AS "values", r.created_at, r.updated_at) x)::text, r.version FROM "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" r WHERE r.id = ($1::text)::uuid
            [Some("00000000-0000-0000-0000-000000000099")]"#]],
        );
    }

    #[test]
    fn list_default_order_uses_a_row_comparison() {
        check(
            Plan::ListRecords {
                table: TABLE,
                filter: Some(Expr::Cond(Condition {
                    column: Column::Field(AMOUNT),
                    op: Op::Gte,
                    values: vec!["10".into()],
                    var: None,
                })),
                sort: vec![
                    SortKey { column: Column::CreatedAt, descending: false },
                    SortKey { column: Column::Id, descending: false },
                ],
                fields: None,
                limit: 2,
                after: Some(vec![
                    Some("2025-01-01 00:00:00+00".into()),
                    Some("00000000-0000-0000-0000-000000000001".into()),
                ]),
                include: Vec::new(),
            },
            expect![[r#"
                SELECT (SELECT row_to_json(x) FROM (SELECT r.id, (SELECT row_to_json(v) FROM (SELECT r."f_0000000000000000000000000000000a" AS "na""me", r."f_0000000000000000000000000000000c" AS "amount") v) AS "values", r.created_at, r.updated_at) x)::text, (r.created_at)::text, (r.id)::text, (SELECT pg_current_snapshot()::text) FROM "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" r WHERE r."f_0000000000000000000000000000000c" >= ($1::text)::numeric AND (r.created_at, r.id) > (($2::text)::timestamptz, ($3::text)::uuid) ORDER BY r.created_at ASC NULLS LAST, r.id ASC NULLS LAST LIMIT ($4::text)::bigint
                [Some("10"), Some("2025-01-01 00:00:00+00"), Some("00000000-0000-0000-0000-000000000001"), Some("3")]"#]],
        );
    }

    #[test]
    fn list_nullable_mixed_sort_expands_the_keyset() {
        check(
            Plan::ListRecords {
                table: TABLE,
                filter: Some(Expr::Or(vec![
                    Expr::Cond(Condition {
                        column: Column::Field(AMOUNT),
                        op: Op::In,
                        values: vec!["1".into(), "2".into()],
                        var: None,
                    }),
                    Expr::Not(Box::new(Expr::Cond(Condition {
                        column: Column::Field(NAME),
                        op: Op::Contains,
                        values: vec!["a%".into()],
                        var: None,
                    }))),
                    Expr::Cond(Condition {
                        column: Column::Field(AMOUNT),
                        op: Op::IsNull,
                        values: vec!["true".into()],
                        var: None,
                    }),
                ])),
                sort: vec![
                    SortKey { column: Column::Field(AMOUNT), descending: true },
                    SortKey { column: Column::Field(NAME), descending: false },
                    SortKey { column: Column::Id, descending: false },
                ],
                fields: Some(vec![NAME]),
                limit: 10,
                after: Some(vec![None, Some("x".into()), Some("00000000-0000-0000-0000-000000000001".into())]),
                include: Vec::new(),
            },
            expect![[r#"
                SELECT (SELECT row_to_json(x) FROM (SELECT r.id, (SELECT row_to_json(v) FROM (SELECT r."f_0000000000000000000000000000000a" AS "na""me") v) AS "values", r.created_at, r.updated_at) x)::text, (r."f_0000000000000000000000000000000c")::text, (r."f_0000000000000000000000000000000a")::text, (r.id)::text, (SELECT pg_current_snapshot()::text) FROM "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" r WHERE (r."f_0000000000000000000000000000000c" = ANY (ARRAY(SELECT x::numeric FROM jsonb_array_elements_text(($1::text)::jsonb) x)) OR (NOT COALESCE(strpos(lower(r."f_0000000000000000000000000000000a"), lower($2::text)) > 0, false)) OR r."f_0000000000000000000000000000000c" IS NULL) AND (r."f_0000000000000000000000000000000c" IS NOT NULL OR (r."f_0000000000000000000000000000000c" IS NULL AND (r."f_0000000000000000000000000000000a" > ($4::text)::text OR (r."f_0000000000000000000000000000000a" = ($4::text)::text AND r.id > ($3::text)::uuid)))) ORDER BY r."f_0000000000000000000000000000000c" DESC NULLS FIRST, r."f_0000000000000000000000000000000a" ASC NULLS LAST, r.id ASC NULLS LAST LIMIT ($5::text)::bigint
                [Some("[\"1\",\"2\"]"), Some("a%"), Some("00000000-0000-0000-0000-000000000001"), Some("x"), Some("11")]"#]],
        );
    }

    #[test]
    fn create_record() {
        check(
            Plan::CreateRecord {
                table: TABLE,
                id: None,
                values: vec![Assignment { field: AMOUNT, value: Some("1.50".into()) }],
            },
            expect![[r#"
                WITH r AS (INSERT INTO "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" (id, "f_0000000000000000000000000000000c") VALUES (COALESCE(($1::text)::uuid, gen_random_uuid()), ($2::text)::numeric) RETURNING *), j AS (SELECT r.id, r.version, (SELECT row_to_json(x) FROM (SELECT r.id, (SELECT row_to_json(v) FROM (SELECT r."f_0000000000000000000000000000000a" AS "na""me", r."f_0000000000000000000000000000000c" AS "amount") v) AS "values", r.created_at, r.updated_at) x) AS body, (SELECT row_to_json(x) FROM (SELECT r.id, (SELECT row_to_json(v) FROM (SELECT r."f_0000000000000000000000000000000a" AS "na""me", r."f_0000000000000000000000000000000c" AS "amount") v) AS "values", r.created_at, r.updated_at) x) AS shown, true AS allowed FROM r), c AS (INSERT INTO "b_0000000000000000000000000000000b"."_changes" (op, table_id, record_id, after, actor, request_id) SELECT 'insert', ($3::text)::uuid, j.id, j.body::jsonb, $4::text, $5::text FROM j) SELECT j.shown::text, j.version, j.allowed FROM j
                [None, Some("1.50"), Some("00000000-0000-0000-0000-000000000007"), Some("token:1"), Some("req_1")]"#]],
        );
    }

    #[test]
    fn update_and_delete_check_the_version_under_a_row_lock() {
        check(
            Plan::UpdateRecord {
                table: TABLE,
                id: id(0x99),
                values: vec![Assignment { field: AMOUNT, value: None }],
                if_match: Some(4),
            },
            expect![[r#"
                WITH old AS (SELECT r.id, r.version, (SELECT row_to_json(x) FROM (SELECT r.id, (SELECT row_to_json(v) FROM (SELECT r."f_0000000000000000000000000000000a" AS "na""me", r."f_0000000000000000000000000000000c" AS "amount") v) AS "values", r.created_at, r.updated_at) x) AS body FROM "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" r WHERE r.id = ($1::text)::uuid FOR UPDATE), u AS (UPDATE "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" r SET "f_0000000000000000000000000000000c" = ($3::text)::numeric, updated_at = now(), version = r.version + 1 FROM old WHERE r.id = old.id AND ($2::text IS NULL OR old.version = ($2::text)::bigint) RETURNING r.*), j AS (SELECT u.id, u.version, (SELECT row_to_json(x) FROM (SELECT u.id, (SELECT row_to_json(v) FROM (SELECT u."f_0000000000000000000000000000000a" AS "na""me", u."f_0000000000000000000000000000000c" AS "amount") v) AS "values", u.created_at, u.updated_at) x) AS body, (SELECT row_to_json(x) FROM (SELECT u.id, (SELECT row_to_json(v) FROM (SELECT u."f_0000000000000000000000000000000a" AS "na""me", u."f_0000000000000000000000000000000c" AS "amount") v) AS "values", u.created_at, u.updated_at) x) AS shown, true AS allowed FROM u), c AS (INSERT INTO "b_0000000000000000000000000000000b"."_changes" (op, table_id, record_id, before, after, actor, request_id) SELECT 'update', ($4::text)::uuid, j.id, old.body::jsonb, j.body::jsonb, $5::text, $6::text FROM j, old) SELECT j.shown::text, j.version, old.version, j.allowed FROM old LEFT JOIN j ON true
                [Some("00000000-0000-0000-0000-000000000099"), Some("4"), None, Some("00000000-0000-0000-0000-000000000007"), Some("token:1"), Some("req_1")]"#]],
        );
        check(
            Plan::DeleteRecord { table: TABLE, id: id(0x99), if_match: None },
            expect![[r#"
            WITH old AS (SELECT r.id, r.version, (SELECT row_to_json(x) FROM (SELECT r.id, (SELECT row_to_json(v) FROM (SELECT r."f_0000000000000000000000000000000a" AS "na""me", r."f_0000000000000000000000000000000c" AS "amount") v) AS "values", r.created_at, r.updated_at) x) AS body FROM "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" r WHERE r.id = ($1::text)::uuid FOR UPDATE), d AS (DELETE FROM "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" r USING old WHERE r.id = old.id AND ($2::text IS NULL OR old.version = ($2::text)::bigint) RETURNING r.id), c AS (INSERT INTO "b_0000000000000000000000000000000b"."_changes" (op, table_id, record_id, before, actor, request_id) SELECT 'delete', ($3::text)::uuid, d.id, old.body::jsonb, $4::text, $5::text FROM d JOIN old ON old.id = d.id) SELECT d.id IS NOT NULL, old.version FROM old LEFT JOIN d ON true
            [Some("00000000-0000-0000-0000-000000000099"), None, Some("00000000-0000-0000-0000-000000000007"), Some("token:1"), Some("req_1")]"#]],
        );
    }

    #[test]
    fn bulk_delete() {
        check(
            Plan::DeleteRecords {
                table: TABLE,
                target: DeleteTarget::Ids { ids: vec![id(1), id(2)], all_or_nothing: true },
            },
            expect![[r#"
                WITH d AS (DELETE FROM "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" r WHERE r.id = ANY (ARRAY(SELECT x::uuid FROM jsonb_array_elements_text(($1::text)::jsonb) x)) RETURNING r.*), c AS (INSERT INTO "b_0000000000000000000000000000000b"."_changes" (op, table_id, record_id, before, actor, request_id) SELECT 'delete', ($2::text)::uuid, d.id, (SELECT row_to_json(x) FROM (SELECT d.id, (SELECT row_to_json(v) FROM (SELECT d."f_0000000000000000000000000000000a" AS "na""me", d."f_0000000000000000000000000000000c" AS "amount") v) AS "values", d.created_at, d.updated_at) x)::jsonb, $3::text, $4::text FROM d) SELECT d.id::text FROM d
                [Some("[\"00000000-0000-0000-0000-000000000001\",\"00000000-0000-0000-0000-000000000002\"]"), Some("00000000-0000-0000-0000-000000000007"), Some("token:1"), Some("req_1")]"#]],
        );
    }

    #[test]
    fn an_upsert_of_new_records_only_is_a_plain_insert() {
        let item = |name: &str| Item { id: None, values: vec![Assignment { field: NAME, value: Some(name.into()) }] };
        check(
            Plan::UpsertRecords { table: TABLE, key: None, items: vec![item("a"), item("b")] },
            expect![[r#"
                WITH src AS MATERIALIZED (SELECT (e->>0)::int AS n, COALESCE((e->>1)::uuid, gen_random_uuid()) AS id, (e->>2)::text AS c0 FROM jsonb_array_elements(($1::text)::jsonb) AS e), up AS (INSERT INTO "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" AS r (id, "f_0000000000000000000000000000000a") SELECT src.id, src.c0 FROM src RETURNING r.*), c AS (INSERT INTO "b_0000000000000000000000000000000b"."_changes" (op, table_id, record_id, after, actor, request_id) SELECT 'insert', ($2::text)::uuid, up.id, (SELECT row_to_json(x) FROM (SELECT up.id, (SELECT row_to_json(v) FROM (SELECT up."f_0000000000000000000000000000000a" AS "na""me", up."f_0000000000000000000000000000000c" AS "amount") v) AS "values", up.created_at, up.updated_at) x)::jsonb, $3::text, $4::text FROM up) SELECT src.n, up.id::text, true FROM src LEFT JOIN up ON up.id = src.id
                [Some("[[0,null,\"a\"],[1,null,\"b\"]]"), Some("00000000-0000-0000-0000-000000000007"), Some("token:1"), Some("req_1")]"#]],
        );
    }

    #[test]
    fn upsert_groups_items_by_field_set() {
        let item = |name: &str, amount: Option<&str>| Item {
            id: None,
            values: [
                Some(Assignment { field: NAME, value: Some(name.into()) }),
                amount.map(|a| Assignment { field: AMOUNT, value: Some(a.into()) }),
            ]
            .into_iter()
            .flatten()
            .collect(),
        };
        check(
            Plan::UpsertRecords {
                table: TABLE,
                key: Some(NAME),
                items: vec![item("a", Some("1")), item("b", None), item("c", Some("3"))],
            },
            expect![[r#"
                WITH src AS MATERIALIZED (SELECT (e->>0)::int AS n, COALESCE((e->>1)::uuid, gen_random_uuid()) AS id, (e->>2)::text AS c0, (e->>3)::numeric AS c1 FROM jsonb_array_elements(($1::text)::jsonb) AS e), old AS (SELECT r.id, (SELECT row_to_json(x) FROM (SELECT r.id, (SELECT row_to_json(v) FROM (SELECT r."f_0000000000000000000000000000000a" AS "na""me", r."f_0000000000000000000000000000000c" AS "amount") v) AS "values", r.created_at, r.updated_at) x) AS body FROM "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" r JOIN src ON r."f_0000000000000000000000000000000a" = src.c0 FOR UPDATE OF r), up AS (INSERT INTO "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" AS r (id, "f_0000000000000000000000000000000a", "f_0000000000000000000000000000000c") SELECT src.id, src.c0, src.c1 FROM src ON CONFLICT ("f_0000000000000000000000000000000a") DO UPDATE SET "f_0000000000000000000000000000000a" = EXCLUDED."f_0000000000000000000000000000000a", "f_0000000000000000000000000000000c" = EXCLUDED."f_0000000000000000000000000000000c", updated_at = now(), version = r.version + 1 RETURNING r.*), c AS (INSERT INTO "b_0000000000000000000000000000000b"."_changes" (op, table_id, record_id, before, after, actor, request_id) SELECT CASE WHEN old.id IS NULL THEN 'insert' ELSE 'update' END, ($2::text)::uuid, up.id, old.body::jsonb, (SELECT row_to_json(x) FROM (SELECT up.id, (SELECT row_to_json(v) FROM (SELECT up."f_0000000000000000000000000000000a" AS "na""me", up."f_0000000000000000000000000000000c" AS "amount") v) AS "values", up.created_at, up.updated_at) x)::jsonb, $3::text, $4::text FROM up LEFT JOIN old ON old.id = up.id) SELECT src.n, up.id::text, true FROM src LEFT JOIN up ON up."f_0000000000000000000000000000000a" = src.c0
                [Some("[[0,null,\"a\",\"1\"],[2,null,\"c\",\"3\"]]"), Some("00000000-0000-0000-0000-000000000007"), Some("token:1"), Some("req_1")]
                WITH src AS MATERIALIZED (SELECT (e->>0)::int AS n, COALESCE((e->>1)::uuid, gen_random_uuid()) AS id, (e->>2)::text AS c0 FROM jsonb_array_elements(($1::text)::jsonb) AS e), old AS (SELECT r.id, (SELECT row_to_json(x) FROM (SELECT r.id, (SELECT row_to_json(v) FROM (SELECT r."f_0000000000000000000000000000000a" AS "na""me", r."f_0000000000000000000000000000000c" AS "amount") v) AS "values", r.created_at, r.updated_at) x) AS body FROM "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" r JOIN src ON r."f_0000000000000000000000000000000a" = src.c0 FOR UPDATE OF r), up AS (INSERT INTO "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" AS r (id, "f_0000000000000000000000000000000a") SELECT src.id, src.c0 FROM src ON CONFLICT ("f_0000000000000000000000000000000a") DO UPDATE SET "f_0000000000000000000000000000000a" = EXCLUDED."f_0000000000000000000000000000000a", updated_at = now(), version = r.version + 1 RETURNING r.*), c AS (INSERT INTO "b_0000000000000000000000000000000b"."_changes" (op, table_id, record_id, before, after, actor, request_id) SELECT CASE WHEN old.id IS NULL THEN 'insert' ELSE 'update' END, ($2::text)::uuid, up.id, old.body::jsonb, (SELECT row_to_json(x) FROM (SELECT up.id, (SELECT row_to_json(v) FROM (SELECT up."f_0000000000000000000000000000000a" AS "na""me", up."f_0000000000000000000000000000000c" AS "amount") v) AS "values", up.created_at, up.updated_at) x)::jsonb, $3::text, $4::text FROM up LEFT JOIN old ON old.id = up.id) SELECT src.n, up.id::text, true FROM src LEFT JOIN up ON up."f_0000000000000000000000000000000a" = src.c0
                [Some("[[1,null,\"b\"]]"), Some("00000000-0000-0000-0000-000000000007"), Some("token:1"), Some("req_1")]"#]],
        );
    }

    #[test]
    fn refuses_ids_outside_the_catalog() {
        let plan = Plan::GetRecord {
            table: TableId(Uuid::from_u128(0x8)),
            id: RecordId(Uuid::nil()),
            fields: None,
            include: Vec::new(),
        };
        let context = WriteContext { actor: "a", request_id: "r", caller: &crate::policy::Caller::UNRESTRICTED };
        assert_eq!(lower(&plan, &catalog(), &context), Err(Error::UnknownTable(TableId(Uuid::from_u128(0x8)))));
    }

    /// A token whose policy shows it the rows whose name is its own, and only the name.
    fn under_policy() -> (Catalog, crate::policy::Caller) {
        use crate::catalog::{Policy, Subject, Var};
        let mut catalog = catalog();
        let own = Condition { column: Column::Field(NAME), op: Op::Eq, values: Vec::new(), var: Some(Var::TokenName) };
        catalog.tables[0].policies =
            vec![Policy { subject: Subject::Token, rows: Some(Expr::Cond(own)), read: Some(vec![NAME]), write: None }];
        let caller = crate::policy::Caller {
            subject: Some(Subject::Token),
            token_name: Some("t1".into()),
            ..crate::policy::Caller::UNRESTRICTED
        };
        (catalog, caller)
    }

    fn lowered_as(catalog: &Catalog, caller: &crate::policy::Caller, plan: &Plan) -> Vec<Sql> {
        lower(plan, catalog, &WriteContext { actor: "a", request_id: "r", caller }).expect("lowers")
    }

    #[test]
    fn a_policy_narrows_reads_and_checks_writes_in_the_same_statement() {
        let (catalog, caller) = under_policy();
        let list = Plan::ListRecords {
            table: TABLE,
            filter: None,
            sort: vec![SortKey { column: Column::Id, descending: false }],
            fields: None,
            limit: 10,
            after: None,
            include: Vec::new(),
        };
        let [list] = &lowered_as(&catalog, &caller, &list)[..] else { panic!("one statement") };
        expect![[r#"SELECT (SELECT row_to_json(x) FROM (SELECT r.id, (SELECT row_to_json(v) FROM (SELECT r."f_0000000000000000000000000000000a" AS "na""me") v) AS "values", r.created_at, r.updated_at) x)::text, (r.id)::text, (SELECT pg_current_snapshot()::text) FROM "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" r WHERE COALESCE(r."f_0000000000000000000000000000000a" = ($1::text)::text, false) ORDER BY r.id ASC NULLS LAST LIMIT ($2::text)::bigint"#]]
            .assert_eq(&list.text);
        assert_eq!(list.params, [Some("t1".to_owned()), Some("11".to_owned())], "the caller's value is bound");
        let update = Plan::UpdateRecord {
            table: TABLE,
            id: id(1),
            values: vec![Assignment { field: AMOUNT, value: Some("5".into()) }],
            if_match: None,
        };
        let [update] = &lowered_as(&catalog, &caller, &update)[..] else { panic!("one statement") };
        assert!(
            update.text.contains("::uuid AND COALESCE(r.\"f_0000000000000000000000000000000a\" = "),
            "{}",
            update.text
        );
        assert!(
            update.text.contains("AS shown, COALESCE(u.\"f_0000000000000000000000000000000a\" = "),
            "{}",
            update.text
        );
        // A caller without the variable's value sees nothing: the condition is false.
        let nameless = crate::policy::Caller { token_name: None, ..caller };
        let plan = Plan::GetRecord { table: TABLE, id: id(1), fields: None, include: Vec::new() };
        let [get] = &lowered_as(&catalog, &nameless, &plan)[..] else { panic!("one statement") };
        assert!(get.text.ends_with("::uuid AND COALESCE(false, false)"), "{}", get.text);
    }

    #[test]
    fn a_record_rule_lowers_to_a_template_with_a_slot_per_value() {
        let catalog = catalog();
        let rule = RecordRule {
            name: "big_ones_are_named".into(),
            when: Some(Expr::Cond(Condition {
                column: Column::Field(AMOUNT),
                op: Op::In,
                values: vec!["100".into(), "200%".into()],
                var: None,
            })),
            then: Expr::Not(Box::new(Expr::Cond(Condition {
                column: Column::Field(NAME),
                op: Op::IsNull,
                values: vec!["true".into()],
                var: None,
            }))),
            message: "m".into(),
        };
        let check = rule_check(&catalog, &catalog.tables[0], &rule).expect("lowers");
        expect![[r#"(NOT COALESCE("f_0000000000000000000000000000000c" IN ((%1$L::text)::numeric, (%2$L::text)::numeric), false) OR COALESCE((NOT COALESCE("f_0000000000000000000000000000000a" IS NULL, false)), false))"#]]
            .assert_eq(&check.text);
        assert_eq!(check.params, [Some("100".to_owned()), Some("200%".to_owned())], "values stay out of the text");
    }
}
