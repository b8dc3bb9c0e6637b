//! Compilation of a parsed request against the catalog into a [`Plan`]: every name is
//! resolved to a catalog id and every value is type-checked here, so a plan that
//! compiles is valid by construction and the origin never sees a client string as an
//! identifier.
//!
//! API Boundary: `Plan` is part of the signed envelope sent to the origin.

use crate::catalog::{Field, Table};
use crate::cursor;
use crate::error::{ApiError, ErrorCode};
use crate::ids::{FieldId, RecordId, TableId};
use crate::query::{Op, RecordsQuery};
use crate::value;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Plan {
    GetRecord {
        table: TableId,
        id: RecordId,
    },
    ListRecords {
        table: TableId,
        conditions: Vec<Condition>,
        limit: u32,
        /// Keyset position: the `(created_at, id)` of the last row already returned.
        after: Option<Vec<String>>,
    },
    CreateRecord {
        table: TableId,
        /// Client-chosen id; the server generates one when absent.
        id: Option<RecordId>,
        values: Vec<Assignment>,
    },
}

/// `field op value`, with the value already validated for the field's type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    pub field: FieldId,
    pub op: Op,
    pub value: String,
}

/// `field = value`; `None` is NULL.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    pub field: FieldId,
    pub value: Option<String>,
}

impl Plan {
    pub fn table(&self) -> TableId {
        match self {
            Plan::GetRecord { table, .. } | Plan::ListRecords { table, .. } | Plan::CreateRecord { table, .. } => {
                *table
            }
        }
    }
}

/// `GET /records/{id}`. An id that is not a UUID cannot exist, so it is a 404 too.
pub fn compile_get(table: &Table, id: &str) -> Result<Plan, ApiError> {
    let id = RecordId::parse(id).ok_or_else(|| record_not_found(id))?;
    Ok(Plan::GetRecord { table: table.id, id })
}

pub fn record_not_found(id: &str) -> ApiError {
    ApiError::new(ErrorCode::RecordNotFound, format!("No record with id '{id}' in this table.")).with("id", id)
}

/// `GET /records?...`: resolves filter fields, checks values, and opens the cursor.
///
/// The cursor key is derived from `signing_key` only when a cursor is present: the
/// derivation is two HMAC computations, a third of a fresh edge instance's fixed cost.
pub fn compile_list(table: &Table, query: &RecordsQuery, signing_key: &[u8]) -> Result<Plan, ApiError> {
    let conditions = query
        .filters
        .iter()
        .map(|filter| {
            let field = table.field(&filter.field).ok_or_else(|| {
                ApiError::new(ErrorCode::InvalidQuery, format!("Unknown field '{}' in filter.", filter.field))
                    .with("field", filter.field.as_str())
            })?;
            let value = value::from_text(field, &filter.value).map_err(|error| {
                ApiError { message: format!("{} (operator '{}')", error.message, filter.op.as_str()), ..error }
                    .with("operator", filter.op.as_str())
            })?;
            Ok(Condition { field: field.id, op: filter.op, value })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let after = match &query.cursor {
        None => None,
        Some(text) => {
            let key = cursor::decode(&cursor::derive_key(signing_key), &list_shape(table.id, &conditions), text)
                .filter(|key| key.len() == 2)
                .ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::InvalidQuery,
                        "The cursor is invalid, was altered, or belongs to another query; restart from the first page.",
                    )
                    .with("parameter", "cursor")
                })?;
            Some(key)
        }
    };
    Ok(Plan::ListRecords { table: table.id, conditions, limit: query.limit, after })
}

/// Binds a cursor to its query: the table and the filters (later: the sort).
pub fn list_shape(table: TableId, conditions: &[Condition]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(table.0.as_bytes());
    hasher.update(serde_json::to_vec(conditions).expect("conditions always serialize"));
    hex::encode(&hasher.finalize()[..16])
}

/// `POST /records` with `{"id"?: uuid, "values": {field: value}}`.
///
/// All field problems are collected: `details.errors` lists every one, and
/// `details.field` names the first.
pub fn compile_create(table: &Table, body: &[u8]) -> Result<Plan, ApiError> {
    let body: CreateBody<'_> = serde_json::from_slice(body).map_err(|error| {
        ApiError::new(
            ErrorCode::InvalidRequest,
            format!("The body must be a JSON object {{\"values\": {{...}}}}: {error}."),
        )
    })?;
    let id = match body.id {
        None => None,
        Some(text) => Some(
            RecordId::parse(text)
                .ok_or_else(|| ApiError::new(ErrorCode::ValidationError, "'id' must be a UUID.").with("field", "id"))?,
        ),
    };
    let mut errors = Vec::new();
    let mut values = Vec::with_capacity(body.values.0.len());
    for (name, raw) in &body.values.0 {
        match table.field(name) {
            None => errors.push(
                ApiError::new(ErrorCode::ValidationError, format!("Unknown field '{name}'."))
                    .with("field", name.as_str()),
            ),
            Some(field) => match value::from_json(field, raw) {
                Ok(value) => values.push(Assignment { field: field.id, value }),
                Err(error) => errors.push(error),
            },
        }
    }
    let missing = table.fields.iter().filter(|field| field.required && !body.values.contains(&field.name));
    errors.extend(missing.map(|field: &Field| {
        ApiError::new(ErrorCode::ValidationError, format!("Field '{}' is required.", field.name))
            .with("field", field.name.as_str())
    }));
    match collect(errors) {
        Some(error) => Err(error),
        None => Ok(Plan::CreateRecord { table: table.id, id, values }),
    }
}

/// Folds field errors into one 422 that still lists each of them.
fn collect(errors: Vec<ApiError>) -> Option<ApiError> {
    let first = errors.first()?.clone();
    if errors.len() == 1 {
        return Some(first);
    }
    let list: Vec<serde_json::Value> = errors
        .iter()
        .map(|error| serde_json::json!({"field": error.details.get("field"), "message": error.message}))
        .collect();
    Some(
        ApiError { message: format!("{} ({} problems in all)", first.message, errors.len()), ..first }
            .with("errors", list),
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateBody<'a> {
    #[serde(default, borrow)]
    id: Option<&'a str>,
    #[serde(borrow)]
    values: Values<'a>,
}

/// A JSON object kept in order with raw values; a key given twice is an error, not a silent overwrite.
struct Values<'a>(Vec<(String, &'a RawValue)>);

impl Values<'_> {
    fn contains(&self, name: &str) -> bool {
        self.0.iter().any(|(key, _)| key == name)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Values<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValuesVisitor;
        impl<'de> Visitor<'de> for ValuesVisitor {
            type Value = Values<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of field values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Values<'de>, A::Error> {
                let mut entries: Vec<(String, &'de RawValue)> = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, &'de RawValue>()? {
                    if entries.iter().any(|(seen, _)| *seen == key) {
                        return Err(serde::de::Error::custom(format!("field '{key}' is given twice")));
                    }
                    entries.push((key, value));
                }
                Ok(Values(entries))
            }
        }
        deserializer.deserialize_map(ValuesVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::FieldType;
    use crate::query::parse_records_query;
    use expect_test::{Expect, expect};
    use uuid::Uuid;

    fn table() -> Table {
        let field = |n: u128, name: &str, field_type, required| Field {
            id: FieldId(Uuid::from_u128(n)),
            name: name.into(),
            field_type,
            required,
        };
        Table {
            id: TableId(Uuid::from_u128(1)),
            name: "customers".into(),
            fields: vec![
                field(10, "name", FieldType::Text, true),
                field(11, "amount", FieldType::Number, false),
                field(12, "active", FieldType::Boolean, false),
                field(13, "signed_up_at", FieldType::Datetime, false),
            ],
        }
    }

    fn check(result: Result<Plan, ApiError>, expected: Expect) {
        let actual = match result {
            Ok(plan) => serde_json::to_string(&plan).expect("json"),
            Err(error) => format!("{} {} {}", error.status(), error, serde_json::Value::Object(error.details.clone())),
        };
        expected.assert_eq(&actual);
    }

    fn list(raw: &str) -> Result<Plan, ApiError> {
        compile_list(&table(), &parse_records_query(raw)?, b"k")
    }

    #[test]
    fn create() {
        check(
            compile_create(&table(), br#"{"values":{"name":"Initech","amount":12.50,"active":null}}"#),
            expect![[
                r#"{"op":"create_record","table":"00000000-0000-0000-0000-000000000001","id":null,"values":[{"field":"00000000-0000-0000-0000-00000000000a","value":"Initech"},{"field":"00000000-0000-0000-0000-00000000000b","value":"12.50"},{"field":"00000000-0000-0000-0000-00000000000c","value":null}]}"#
            ]],
        );
    }

    #[test]
    fn create_collects_field_errors() {
        check(
            compile_create(&table(), br#"{"values":{"amount":"ten","nope":1}}"#),
            expect![[
                r#"422 VALIDATION_ERROR: Field 'amount' must be a number. (3 problems in all) {"errors":[{"field":"amount","message":"Field 'amount' must be a number."},{"field":"nope","message":"Unknown field 'nope'."},{"field":"name","message":"Field 'name' is required."}],"field":"amount","type":"number"}"#
            ]],
        );
    }

    #[test]
    fn create_rejects_bad_shapes() {
        check(
            compile_create(&table(), b"[]"),
            expect![[
                r#"400 INVALID_REQUEST: The body must be a JSON object {"values": {...}}: invalid length 1, expected struct CreateBody with 2 elements at line 1 column 2. {}"#
            ]],
        );
        check(
            compile_create(&table(), br#"{"values":{"name":"a","name":"b"}}"#),
            expect![[
                r#"400 INVALID_REQUEST: The body must be a JSON object {"values": {...}}: field 'name' is given twice at line 1 column 33. {}"#
            ]],
        );
        check(
            compile_create(&table(), br#"{"values":{},"extra":1}"#),
            expect![[
                r#"400 INVALID_REQUEST: The body must be a JSON object {"values": {...}}: unknown field `extra`, expected `id` or `values` at line 1 column 20. {}"#
            ]],
        );
        check(
            compile_create(&table(), br#"{"id":"x","values":{"name":"a"}}"#),
            expect![[r#"422 VALIDATION_ERROR: 'id' must be a UUID. {"field":"id"}"#]],
        );
    }

    #[test]
    fn list_filters() {
        check(
            list("limit=5&filter[amount][gt]=100"),
            expect![[
                r#"{"op":"list_records","table":"00000000-0000-0000-0000-000000000001","conditions":[{"field":"00000000-0000-0000-0000-00000000000b","op":"gt","value":"100"}],"limit":5,"after":null}"#
            ]],
        );
        check(
            list("filter[amount][eq]=abc"),
            expect![[
                r#"422 VALIDATION_ERROR: Field 'amount' must be a number. (operator 'eq') {"field":"amount","operator":"eq","type":"number"}"#
            ]],
        );
        check(
            list("filter[nope][eq]=1"),
            expect![[r#"400 INVALID_QUERY: Unknown field 'nope' in filter. {"field":"nope"}"#]],
        );
    }

    #[test]
    fn list_cursor_is_bound_to_the_query() {
        let table = table();
        let Ok(Plan::ListRecords { conditions, .. }) = list("filter[active][eq]=true") else { panic!("compiles") };
        let shape = list_shape(table.id, &conditions);
        let cursor = cursor::encode(
            &cursor::derive_key(b"k"),
            &shape,
            vec!["2025-01-01 00:00:00+00".into(), Uuid::nil().to_string()],
        );
        let same = list(&format!("filter[active][eq]=true&cursor={cursor}")).expect("same query");
        assert!(matches!(same, Plan::ListRecords { after: Some(_), .. }));
        check(
            list(&format!("filter[active][eq]=false&cursor={cursor}")),
            expect![[
                r#"400 INVALID_QUERY: The cursor is invalid, was altered, or belongs to another query; restart from the first page. {"parameter":"cursor"}"#
            ]],
        );
    }

    #[test]
    fn get() {
        check(
            compile_get(&table(), "nope"),
            expect![[r#"404 RECORD_NOT_FOUND: No record with id 'nope' in this table. {"id":"nope"}"#]],
        );
    }
}
