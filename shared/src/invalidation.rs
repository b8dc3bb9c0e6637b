//! What the origin pushes to edges when data, a view or a schema changes, so that cached
//! answers are never served after the change (see `origin::invalidate`).
//!
//! API Boundary: signed like envelopes (HMAC over the exact bytes, the same key), sent
//! origin → edge as `POST /internal/v1/invalidate`.

use crate::ids::{BaseId, TableId};
use serde::{Deserialize, Serialize};

pub const INVALIDATE_PATH: &str = "/internal/v1/invalidate";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Invalidation {
    pub base_id: BaseId,
    /// Tables whose records changed.
    #[serde(default)]
    pub tables: Vec<TableId>,
    /// Slugs of views that changed (published, updated, rolled back, keys).
    #[serde(default)]
    pub views: Vec<String>,
    /// The base's schema changed (or anything may have: after a listener reconnected).
    #[serde(default)]
    pub catalog: bool,
    /// Unix milliseconds at the origin; edges refuse pushes outside the envelope window.
    #[serde(default)]
    pub issued_at: i64,
}

/// The epoch keys an invalidation bumps: `t:<table>`, `v:<slug>`, and `c` for the catalog.
pub fn epoch_keys(invalidation: &Invalidation) -> Vec<String> {
    let mut keys: Vec<String> = invalidation.tables.iter().map(|table| table_epoch(*table)).collect();
    keys.extend(invalidation.views.iter().map(|slug| view_epoch(slug)));
    if invalidation.catalog {
        keys.push(CATALOG_EPOCH.to_owned());
    }
    keys
}

pub fn table_epoch(table: TableId) -> String {
    format!("t:{table}")
}

pub fn view_epoch(slug: &str) -> String {
    format!("v:{slug}")
}

pub const CATALOG_EPOCH: &str = "c";
