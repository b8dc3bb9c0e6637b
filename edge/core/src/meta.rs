//! `GET /v1/meta/...`: the token's base schema, answered from the edge's catalog cache.

use crate::route::Meta;
use serde_json::{Value, json};
use shared::catalog::{Catalog, Table};
use shared::error::ApiError;

pub fn answer(meta: &Meta, catalog: &Catalog, openapi: impl FnOnce() -> Vec<u8>) -> Result<Vec<u8>, ApiError> {
    let body = match meta {
        Meta::Tables => json!({ "data": catalog.tables.iter().map(table_json).collect::<Vec<_>>() }),
        Meta::Table { table } => table_json(crate::table(catalog, table)?),
        Meta::OpenApi => return Ok(openapi()),
    };
    Ok(serde_json::to_vec(&body).expect("JSON values always serialize"))
}

/// A table as clients see it: fields with types, requiredness, uniqueness and options.
pub fn table_json(table: &Table) -> Value {
    let fields: Vec<Value> = table
        .fields
        .iter()
        .map(|field| {
            json!({
                "id": field.id,
                "name": field.name,
                "type": field.field_type.as_str(),
                "required": field.required,
                "unique": field.unique,
                "options": field.field_type.has_options().then_some(&field.options),
            })
        })
        .collect();
    let uniques: Vec<&str> =
        table.fields.iter().filter(|field| field.unique).map(|field| field.name.as_str()).collect();
    json!({
        "id": table.id,
        "name": table.name,
        "primary_key": "id",
        "system_fields": ["id", "created_at", "updated_at"],
        "fields": fields,
        "uniques": uniques,
    })
}
