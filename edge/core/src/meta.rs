//! `GET /v1/meta/...`: the token's base schema, answered from the edge's catalog cache.

use crate::route::Meta;
use shared::catalog::Catalog;
use shared::error::ApiError;
use shared::resource::{Table, TableList};

/// The answer's body; `None` for the base's OpenAPI document, which the caller renders.
pub fn answer(meta: &Meta, catalog: &Catalog) -> Result<Option<Vec<u8>>, ApiError> {
    let body = match meta {
        Meta::Tables => serde_json::to_vec(&TableList::from(catalog)),
        Meta::Table { table } => serde_json::to_vec(&Table::of(catalog, crate::table(catalog, table)?)),
        Meta::OpenApi => return Ok(None),
    };
    body.map(Some).map_err(|_| ApiError::internal())
}
