//! `GET /v1/meta/...`: the token's base schema, answered from the edge's catalog cache.

use crate::route::Meta;
use serde_json::json;
use shared::catalog::{Catalog, describe};
use shared::error::ApiError;

/// The answer's body; `None` for the base's OpenAPI document, which the caller renders.
pub fn answer(meta: &Meta, catalog: &Catalog) -> Result<Option<Vec<u8>>, ApiError> {
    let body = match meta {
        Meta::Tables => json!({ "data": catalog.tables.iter().map(describe).collect::<Vec<_>>() }),
        Meta::Table { table } => describe(crate::table(catalog, table)?),
        Meta::OpenApi => return Ok(None),
    };
    Ok(Some(serde_json::to_vec(&body).expect("JSON values always serialize")))
}
