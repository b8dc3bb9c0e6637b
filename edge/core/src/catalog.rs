//! The per-base catalog cache. Entries live for `catalog_ttl_ms` (longer while the origin
//! is unreachable), and are dropped as soon as an origin response reports another
//! catalog version than the one used.
//!
//! An edge also learns of a schema change when a request names a table or field its
//! cached catalog does not have: [`with_catalog`] then fetches the catalog again (at
//! most twenty times a second per base), so a field added a moment ago is usable at once.

use crate::memo::{self, Validity};
use crate::{Config, Host, origin};
use serde::{Deserialize, Serialize};
use shared::catalog::Catalog;
use shared::envelope::Op;
use shared::error::{ApiError, ErrorCode};
use shared::ids::BaseId;
use std::rc::Rc;

/// A catalog fetched this recently is not fetched again for an unknown name: bounds what
/// a stream of requests naming nonexistent fields costs the origin.
const UNKNOWN_NAME_REFRESH_MS: i64 = 50;

#[derive(Serialize, Deserialize)]
pub struct CachedCatalog {
    pub catalog: Catalog,
    fetched_ms: i64,
    until_ms: i64,
}

fn key(base_id: BaseId) -> String {
    format!("cat:{base_id}")
}

/// A catalog as the cache holds it (shared, parsed once per instance).
pub type Shared = Rc<CachedCatalog>;

/// Returns the base's catalog from the cache, or from the origin when missing, expired,
/// or fetched before `fetched_after_ms`; with the time it was fetched.
pub async fn load<H: Host>(
    host: &H,
    config: &Config,
    base_id: BaseId,
    request_id: &crate::RequestId,
    fetched_after_ms: i64,
) -> Result<Shared, ApiError> {
    let now_ms = host.now_ms();
    let cached = memo::read(host, &key(base_id), Validity::Stamped, |cached: &CachedCatalog| {
        cached.fetched_ms >= fetched_after_ms
    })
    .await;
    if let Some(cached) = cached.as_ref().filter(|cached| cached.until_ms > now_ms) {
        return Ok(Rc::clone(cached));
    }
    let catalog: Catalog = match origin::fetch(host, config, request_id, Op::LoadCatalog { base_id }).await {
        Ok(catalog) => {
            catalog.ok_or_else(|| ApiError::new(ErrorCode::InvalidToken, "The token's base no longer exists."))?
        }
        // While the origin is unreachable an expired catalog still serves what needs no origin
        // (cached view answers); anything sent to the origin fails as it would anyway.
        Err(error) if error.status() >= 500 => match cached {
            Some(cached) => return Ok(cached),
            None => return Err(error),
        },
        Err(error) => return Err(error),
    };
    let entry = CachedCatalog { catalog, fetched_ms: now_ms, until_ms: now_ms + config.catalog_ttl_ms };
    Ok(memo::write(host, &key(base_id), Validity::Stamped, entry).await)
}

/// Runs `use_catalog` on the base's catalog; when it fails because a name is unknown,
/// fetches a newer catalog (unless the cached one is very recent) and tries once more.
pub async fn with_catalog<H: Host, T>(
    host: &H,
    config: &Config,
    base_id: BaseId,
    request_id: &crate::RequestId,
    fetched_after_ms: i64,
    mut use_catalog: impl FnMut(&Catalog) -> Result<T, ApiError>,
) -> Result<(Shared, T), ApiError> {
    let cached = load(host, config, base_id, request_id, fetched_after_ms).await?;
    match use_catalog(&cached.catalog) {
        Ok(value) => Ok((cached, value)),
        Err(error) if names_unknown(&error) && host.now_ms() - cached.fetched_ms >= UNKNOWN_NAME_REFRESH_MS => {
            let cached = load(host, config, base_id, request_id, host.now_ms()).await?;
            let value = use_catalog(&cached.catalog)?;
            Ok((cached, value))
        }
        Err(error) => Err(error),
    }
}

/// Whether an error says a table or field name is unknown (to this catalog).
fn names_unknown(error: &ApiError) -> bool {
    let unknown_field = |details: &serde_json::Map<String, serde_json::Value>| {
        details.get("reason").is_some_and(|reason| reason == "unknown_field")
    };
    error.code == ErrorCode::TableNotFound
        || unknown_field(&error.details)
        || error.details.get("errors").and_then(|errors| errors.as_array()).is_some_and(|errors| {
            errors.iter().any(|entry| entry.get("code").is_some_and(|code| code == "unknown_field"))
        })
}

/// Drops the cached catalog (the origin reported another version, or this edge just
/// forwarded a schema change).
pub async fn forget<H: Host>(host: &H, base_id: BaseId) {
    memo::forget(host, &key(base_id)).await;
}
