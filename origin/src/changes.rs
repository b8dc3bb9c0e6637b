//! A base's change log as a feed with resumable positions (`GET /api/v1/bases/{id}/changes`).
//!
//! Change rows get their sequence number when they are written but become visible when
//! their transaction commits, so concurrent transactions commit out of sequence order:
//! reading "after the last sequence number seen" would skip a change whose transaction
//! committed after a later one. Positions are Postgres snapshots instead: a read returns
//! the changes visible in the current snapshot but not in the previous position's
//! ([`shared::lower::change_feed`]), so every committed change is returned exactly once,
//! in whichever order transactions commit.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use shared::error::{ApiError, ErrorCode};
use shared::ids::BaseId;
use sqlx::{PgPool, Row};

/// Where a reader is: changes visible in `prev` are read; `now`, when set, is the snapshot
/// being read up to (a page of it was returned, up to `seq`).
#[derive(Serialize, Deserialize)]
struct Position {
    prev: String,
    now: Option<String>,
    seq: i64,
}

/// A snapshot in which no transaction is visible: the start of the log.
const START: &str = "1:1:";

fn bad_position() -> ApiError {
    ApiError::new(ErrorCode::InvalidQuery, "'after' is not a position this endpoint returned.")
        .with("parameter", "after")
}

pub async fn list(data: &PgPool, base: BaseId, after: Option<&str>, limit: u32) -> Result<Value, ApiError> {
    let position = match after {
        None => Position { prev: START.to_owned(), now: None, seq: 0 },
        Some(text) => URL_SAFE_NO_PAD
            .decode(text)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or_else(bad_position)?,
    };
    let db = |error: sqlx::Error| {
        tracing::error!(error = %error, "change feed query failed");
        ApiError::new(ErrorCode::ServiceUnavailable, "The database is unavailable; retry shortly.")
    };
    let now = match position.now {
        Some(now) => now,
        None => sqlx::query_scalar("SELECT pg_current_snapshot()::text").fetch_one(data).await.map_err(db)?,
    };
    let sql = shared::lower::change_feed(base, &position.prev, &now, position.seq, limit);
    let mut query = sqlx::query(&sql.text);
    for param in &sql.params {
        query = query.bind(param.clone());
    }
    let rows = query.fetch_all(data).await.map_err(|error| {
        if error.as_database_error().is_some_and(|db| db.code().is_some_and(|code| code == "22P02")) {
            bad_position()
        } else {
            db(error)
        }
    })?;
    let more = rows.len() > limit as usize;
    let changes: Vec<Value> = rows
        .iter()
        .take(limit as usize)
        .map(|row| {
            let json = |index: usize| {
                row.get::<Option<String>, _>(index).and_then(|text| serde_json::from_str::<Value>(&text).ok())
            };
            json!({
                "seq": row.get::<i64, _>(0), "at": row.get::<String, _>(1), "op": row.get::<String, _>(2),
                "table_id": row.get::<String, _>(3), "record_id": row.get::<String, _>(4),
                "before": json(5), "after": json(6), "actor": row.get::<String, _>(7),
                "request_id": row.get::<String, _>(8),
            })
        })
        .collect();
    let next = match (more, changes.last()) {
        (true, Some(last)) => Position { prev: position.prev, now: Some(now), seq: last["seq"].as_i64().unwrap_or(0) },
        _ => Position { prev: now, now: None, seq: 0 },
    };
    let next = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&next).map_err(|_| ApiError::internal())?);
    Ok(json!({ "data": changes, "position": next, "has_more": more }))
}
