//! The per-base catalog cache. Entries live for `catalog_ttl_ms`, and are dropped as
//! soon as an origin response reports another catalog version than the one used.

use crate::{Config, Host, origin};
use serde::{Deserialize, Serialize};
use shared::catalog::Catalog;
use shared::envelope::Op;
use shared::error::{ApiError, ErrorCode};
use shared::ids::BaseId;

#[derive(Serialize, Deserialize)]
struct CachedCatalog {
    catalog: Catalog,
    until_ms: i64,
}

fn key(base_id: BaseId) -> String {
    format!("cat:{base_id}")
}

/// Returns the base's catalog from the cache, or from the origin when missing, expired or `refresh`.
pub async fn load<H: Host>(
    host: &H,
    config: &Config,
    base_id: BaseId,
    request_id: &str,
    refresh: bool,
) -> Result<Catalog, ApiError> {
    let now_ms = host.now_ms();
    if !refresh {
        let cached =
            host.cache_get(&key(base_id)).await.and_then(|bytes| serde_json::from_slice::<CachedCatalog>(&bytes).ok());
        if let Some(cached) = cached.filter(|cached| cached.until_ms > now_ms) {
            return Ok(cached.catalog);
        }
    }
    let catalog: Catalog = origin::fetch(host, config, request_id, Op::LoadCatalog { base_id })
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::InvalidToken, "The token's base no longer exists."))?;
    let entry = CachedCatalog { catalog, until_ms: now_ms + config.catalog_ttl_ms };
    host.cache_put(&key(base_id), serde_json::to_vec(&entry).expect("a catalog always serializes")).await;
    Ok(entry.catalog)
}

/// Drops the cached catalog when the origin reports a version other than the one used.
pub async fn observe<H: Host>(host: &H, base_id: BaseId, used: i64, reported: Option<i64>) {
    if reported.is_some_and(|reported| reported != used) {
        host.cache_put(&key(base_id), Vec::new()).await;
    }
}
