//! Lowering of a [`Plan`] to SQL text with bound parameters.
//!
//! Architecture Invariant: this module and [`crate::ddl`] are the only producers of SQL
//! text. Identifiers come only from the catalog and are quoted by [`quote_ident`];
//! every value is a bound parameter, sent as text and cast to the column type. No
//! client string is ever spliced into SQL.
//!
//! Records are turned into JSON by Postgres itself (`json_build_object`), so the origin
//! passes the bytes through without re-encoding them.

use crate::catalog::{Catalog, Table};
use crate::ids::{BaseId, FieldId, TableId};
use crate::plan::{Condition, Plan};
use crate::query::Op;
use std::fmt::Write;

/// SQL text and its parameters, all sent as text (`None` is NULL).
#[derive(Clone, Debug, PartialEq)]
pub struct Sql {
    pub text: String,
    pub params: Vec<Option<String>>,
}

/// Values the origin adds to writes (change-log attribution).
pub struct WriteContext<'a> {
    pub actor: &'a str,
    pub request_id: &'a str,
}

#[derive(Debug, PartialEq, thiserror::Error)]
pub enum Error {
    #[error("table {0} is not in the catalog")]
    UnknownTable(TableId),
    #[error("field {0} is not in the catalog")]
    UnknownField(FieldId),
}

/// Quotes an identifier for Postgres: wraps it in double quotes and doubles inner ones.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `"b_…"."t_…"` for a table of a base.
pub fn qualified_table(base_id: BaseId, table_id: TableId) -> String {
    format!("{}.{}", quote_ident(&base_id.schema_name()), quote_ident(&table_id.table_name()))
}

/// Lowers a plan against the origin's own catalog.
pub fn lower(plan: &Plan, catalog: &Catalog, context: &WriteContext<'_>) -> Result<Sql, Error> {
    let table_id = plan.table();
    let table = catalog.table_by_id(table_id).ok_or(Error::UnknownTable(table_id))?;
    let target = qualified_table(catalog.base_id, table.id);
    let mut sql = Builder::default();
    match plan {
        Plan::GetRecord { id, .. } => {
            let id = sql.param(Some(id.to_string()));
            write!(
                sql.text,
                "SELECT {}::text FROM {target} r WHERE r.id = ({id}::text)::uuid",
                record_json(table, "r")
            )
            .expect("writing to a String cannot fail");
        }
        Plan::ListRecords { conditions, limit, after, .. } => {
            write!(
                sql.text,
                "SELECT {}::text, r.created_at::text, r.id::text FROM {target} r",
                record_json(table, "r")
            )
            .expect("writing to a String cannot fail");
            let mut predicates =
                conditions.iter().map(|condition| sql.condition(table, condition)).collect::<Result<Vec<_>, _>>()?;
            if let Some(after) = after {
                let created_at = sql.param(after.first().cloned());
                let id = sql.param(after.get(1).cloned());
                predicates
                    .push(format!("(r.created_at, r.id) > (({created_at}::text)::timestamptz, ({id}::text)::uuid)"));
            }
            if !predicates.is_empty() {
                write!(sql.text, " WHERE {}", predicates.join(" AND ")).expect("writing to a String cannot fail");
            }
            // One row more than asked tells whether there is a next page, without count(*).
            let limit = sql.param(Some((u64::from(*limit) + 1).to_string()));
            write!(sql.text, " ORDER BY r.created_at, r.id LIMIT ({limit}::text)::bigint")
                .expect("writing to a String cannot fail");
        }
        Plan::CreateRecord { id, values, .. } => {
            let mut columns = vec!["id".to_owned()];
            let id = sql.param(id.map(|id| id.to_string()));
            let mut row = vec![format!("COALESCE(({id}::text)::uuid, gen_random_uuid())")];
            for assignment in values {
                let field = table.field_by_id(assignment.field).ok_or(Error::UnknownField(assignment.field))?;
                columns.push(quote_ident(&field.id.column_name()));
                let value = sql.param(assignment.value.clone());
                row.push(format!("({value}::text)::{}", field.field_type.sql_type()));
            }
            let changes = format!("{}.\"_changes\"", quote_ident(&catalog.base_id.schema_name()));
            let table_param = sql.param(Some(table.id.to_string()));
            let actor = sql.param(Some(context.actor.to_owned()));
            let request_id = sql.param(Some(context.request_id.to_owned()));
            write!(
                sql.text,
                "WITH r AS (INSERT INTO {target} ({}) VALUES ({}) RETURNING *), \
                 j AS (SELECT r.id, {} AS body FROM r), \
                 c AS (INSERT INTO {changes} (op, table_id, record_id, after, actor, request_id) \
                 SELECT 'insert', ({table_param}::text)::uuid, j.id, j.body::jsonb, {actor}::text, {request_id}::text FROM j) \
                 SELECT j.body::text FROM j",
                columns.join(", "),
                row.join(", "),
                record_json(table, "r"),
            )
            .expect("writing to a String cannot fail");
        }
    }
    Ok(sql.finish())
}

/// The JSON of one record: `{"id", "values": {name: value}, "created_at", "updated_at"}`.
/// Field names become JSON keys through quoted column aliases, never through literals.
fn record_json(table: &Table, alias: &str) -> String {
    let columns: Vec<String> = table
        .fields
        .iter()
        .map(|field| format!("{alias}.{} AS {}", quote_ident(&field.id.column_name()), quote_ident(&field.name)))
        .collect();
    format!(
        "(SELECT row_to_json(x) FROM (SELECT {alias}.id, (SELECT row_to_json(v) FROM (SELECT {}) v) AS \"values\", \
         {alias}.created_at, {alias}.updated_at) x)",
        columns.join(", ")
    )
}

#[derive(Default)]
struct Builder {
    text: String,
    params: Vec<Option<String>>,
}

impl Builder {
    /// Adds a parameter and returns its placeholder (`$n`).
    fn param(&mut self, value: Option<String>) -> String {
        self.params.push(value);
        format!("${}", self.params.len())
    }

    fn condition(&mut self, table: &Table, condition: &Condition) -> Result<String, Error> {
        let field = table.field_by_id(condition.field).ok_or(Error::UnknownField(condition.field))?;
        let operator = match condition.op {
            Op::Eq => "=",
            Op::Ne => "IS DISTINCT FROM",
            Op::Gt => ">",
            Op::Gte => ">=",
            Op::Lt => "<",
            Op::Lte => "<=",
        };
        let value = self.param(Some(condition.value.clone()));
        Ok(format!(
            "r.{} {operator} ({value}::text)::{}",
            quote_ident(&field.id.column_name()),
            field.field_type.sql_type()
        ))
    }

    fn finish(self) -> Sql {
        Sql { text: self.text, params: self.params }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Field, FieldType};
    use crate::ids::RecordId;
    use crate::plan::Assignment;
    use expect_test::{Expect, expect};
    use uuid::Uuid;

    fn catalog() -> Catalog {
        Catalog {
            base_id: BaseId(Uuid::from_u128(0xb)),
            version: 1,
            tables: vec![Table {
                id: TableId(Uuid::from_u128(0x7)),
                name: "customers".into(),
                fields: vec![
                    Field {
                        id: FieldId(Uuid::from_u128(0xa)),
                        name: "na\"me".into(),
                        field_type: FieldType::Text,
                        required: false,
                    },
                    Field {
                        id: FieldId(Uuid::from_u128(0xc)),
                        name: "amount".into(),
                        field_type: FieldType::Number,
                        required: false,
                    },
                ],
            }],
        }
    }

    fn check(plan: Plan, expected: Expect) {
        let context = WriteContext { actor: "token:1", request_id: "req_1" };
        let sql = lower(&plan, &catalog(), &context).expect("lowers");
        expected.assert_eq(&format!("{}\n{:?}", sql.text, sql.params));
    }

    #[test]
    fn get_record() {
        check(
            Plan::GetRecord { table: TableId(Uuid::from_u128(0x7)), id: RecordId(Uuid::from_u128(0x99)) },
            expect![[r#"
                SELECT (SELECT row_to_json(x) FROM (SELECT r.id, (SELECT row_to_json(v) FROM (SELECT r."f_0000000000000000000000000000000a" AS "na""me", r."f_0000000000000000000000000000000c" AS "amount") v) AS "values", r.created_at, r.updated_at) x)::text FROM "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" r WHERE r.id = ($1::text)::uuid
                [Some("00000000-0000-0000-0000-000000000099")]"#]],
        );
    }

    #[test]
    fn list_with_filter_and_cursor() {
        check(
            Plan::ListRecords {
                table: TableId(Uuid::from_u128(0x7)),
                conditions: vec![Condition { field: FieldId(Uuid::from_u128(0xc)), op: Op::Gte, value: "10".into() }],
                limit: 2,
                after: Some(vec!["2025-01-01 00:00:00+00".into(), "00000000-0000-0000-0000-000000000001".into()]),
            },
            expect![[r#"
                SELECT (SELECT row_to_json(x) FROM (SELECT r.id, (SELECT row_to_json(v) FROM (SELECT r."f_0000000000000000000000000000000a" AS "na""me", r."f_0000000000000000000000000000000c" AS "amount") v) AS "values", r.created_at, r.updated_at) x)::text, r.created_at::text, r.id::text FROM "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" r WHERE r."f_0000000000000000000000000000000c" >= ($1::text)::numeric AND (r.created_at, r.id) > (($2::text)::timestamptz, ($3::text)::uuid) ORDER BY r.created_at, r.id LIMIT ($4::text)::bigint
                [Some("10"), Some("2025-01-01 00:00:00+00"), Some("00000000-0000-0000-0000-000000000001"), Some("3")]"#]],
        );
    }

    #[test]
    fn create_record() {
        check(
            Plan::CreateRecord {
                table: TableId(Uuid::from_u128(0x7)),
                id: None,
                values: vec![Assignment { field: FieldId(Uuid::from_u128(0xc)), value: Some("1.50".into()) }],
            },
            expect![[r#"
                WITH r AS (INSERT INTO "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" (id, "f_0000000000000000000000000000000c") VALUES (COALESCE(($1::text)::uuid, gen_random_uuid()), ($2::text)::numeric) RETURNING *), j AS (SELECT r.id, (SELECT row_to_json(x) FROM (SELECT r.id, (SELECT row_to_json(v) FROM (SELECT r."f_0000000000000000000000000000000a" AS "na""me", r."f_0000000000000000000000000000000c" AS "amount") v) AS "values", r.created_at, r.updated_at) x) AS body FROM r), c AS (INSERT INTO "b_0000000000000000000000000000000b"."_changes" (op, table_id, record_id, after, actor, request_id) SELECT 'insert', ($3::text)::uuid, j.id, j.body::jsonb, $4::text, $5::text FROM j) SELECT j.body::text FROM j
                [None, Some("1.50"), Some("00000000-0000-0000-0000-000000000007"), Some("token:1"), Some("req_1")]"#]],
        );
    }

    #[test]
    fn refuses_ids_outside_the_catalog() {
        let plan = Plan::GetRecord { table: TableId(Uuid::from_u128(0x8)), id: RecordId(Uuid::nil()) };
        let context = WriteContext { actor: "a", request_id: "r" };
        assert_eq!(lower(&plan, &catalog(), &context), Err(Error::UnknownTable(TableId(Uuid::from_u128(0x8)))));
    }
}
