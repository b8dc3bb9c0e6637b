//! A base's change log as a feed with resumable positions (`GET /api/v1/bases/{id}/changes`).
//!
//! Change rows get their sequence number when they are written but become visible when
//! their transaction commits, so concurrent transactions commit out of sequence order:
//! reading "after the last sequence number seen" would skip a change whose transaction
//! committed after a later one. Positions are Postgres snapshots instead: a read returns
//! the changes visible in the current snapshot but not in the previous position's
//! ([`shared::lower::change_feed`]), so every committed change is returned exactly once,
//! in whichever order transactions commit.
//!
//! A table's history (`GET /api/v1/bases/{id}/tables/{table}/history`) is the other reading:
//! newest first by sequence number, for people, where a change still committing may show
//! up on a later read.
//!
//! The feed reads with the runtime role, on the records path's pool: the admin role is
//! for migrations and DDL only.

use crate::error::{Error, bug};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use shared::error::{ApiError, ErrorCode};
use shared::ids::{BaseId, TableId};
use shared::resource::{ChangeEntry, ChangeFeed, TableHistory};
use tokio_postgres::error::SqlState;

/// Where a reader is: changes visible in `prev` are read; `now`, when set, is the snapshot
/// being read up to (a page of it was returned, up to `seq`).
#[derive(Clone, Serialize, Deserialize)]
pub struct Position {
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

pub async fn list(
    data: &crate::pools::DataPool,
    base: BaseId,
    after: Option<&str>,
    limit: u32,
) -> Result<ChangeFeed, Error> {
    let position = match after {
        None => Position { prev: START.to_owned(), now: None, seq: 0 },
        Some(text) => decode(text)?,
    };
    let client = crate::pools::connection(data).await?;
    if after.is_some() && behind_horizon(&client, base, &position).await? {
        let now = encode(&now(&client).await?)?;
        return Ok(ChangeFeed { position: now, data: Vec::new(), has_more: false, reset: true });
    }
    let read = read(&client, base, None, position, limit).await?;
    let has_more = read.next.is_inside();
    Ok(ChangeFeed { position: encode(&read.next)?, data: read.changes, has_more, reset: false })
}

/// What one read of the log returned: the changes, and the position after them all.
pub struct Read {
    pub changes: Vec<ChangeEntry>,
    pub next: Position,
    /// The snapshots the read went from and to: the position just after each change.
    prev: String,
    now: String,
}

impl Read {
    /// The position just after one of the changes read (where a reader resumes after it).
    pub fn after(&self, change: &ChangeEntry) -> Result<String, Error> {
        encode(&Position { prev: self.prev.clone(), now: Some(self.now.clone()), seq: change.seq })
    }
}

/// Reads at most `limit` changes after `position` (only `table`'s, when given), up to the
/// snapshot the position is inside, or else up to now.
pub async fn read(
    client: &crate::pools::DataClient,
    base: BaseId,
    table: Option<TableId>,
    position: Position,
    limit: u32,
) -> Result<Read, Error> {
    let now = match position.now {
        Some(now) => now,
        None => current(client).await?,
    };
    let sql = shared::lower::change_feed(base, table, &position.prev, &now, position.seq, limit);
    client.use_statement(&sql.text);
    let statement = client.prepare_cached(&sql.text).await.map_err(db)?;
    let rows = client.query(&statement, &crate::pools::params(&sql)).await.map_err(db)?;
    let more = rows.len() > limit as usize;
    let changes = entries(&rows, limit).map_err(db)?;
    let next = match (more, changes.last()) {
        (true, Some(last)) => Position { prev: position.prev.clone(), now: Some(now.clone()), seq: last.seq },
        _ => Position { prev: now.clone(), now: None, seq: 0 },
    };
    Ok(Read { changes, next, prev: position.prev, now })
}

impl Position {
    /// Whether the position is inside a snapshot a read stopped in (more changes were
    /// there than it returned).
    pub fn is_inside(&self) -> bool {
        self.now.is_some()
    }

    /// The position after every change visible in `snapshot`.
    pub fn at(snapshot: String) -> Position {
        Position { prev: snapshot, now: None, seq: 0 }
    }

    /// Whether two positions outside a snapshot have read the same changes.
    pub fn same_as(&self, other: &Position) -> bool {
        !self.is_inside() && !other.is_inside() && self.prev == other.prev
    }

    /// The position that reads from this one (outside a snapshot) up to `other`'s, when
    /// every change this one has read `other` has read too; `None` when `other` is behind.
    pub fn toward(&self, other: &Position) -> Option<Position> {
        let (from, to) = (Snapshot::parse(&self.prev)?, Snapshot::parse(&other.prev)?);
        (!self.is_inside() && !other.is_inside() && from.within(&to)).then(|| Position {
            prev: self.prev.clone(),
            now: Some(other.prev.clone()),
            seq: 0,
        })
    }
}

/// A Postgres snapshot (`xmin:xmax:xip,…`, as `pg_snapshot` prints it).
struct Snapshot {
    xmin: u64,
    xmax: u64,
    /// Transactions in progress when it was taken.
    running: Vec<u64>,
}

impl Snapshot {
    fn parse(text: &str) -> Option<Snapshot> {
        let mut parts = text.splitn(3, ':');
        let (xmin, xmax, running) = (parts.next()?, parts.next()?, parts.next()?);
        let running = running.split(',').filter(|id| !id.is_empty()).map(str::parse).collect::<Result<_, _>>();
        Some(Snapshot { xmin: xmin.parse().ok()?, xmax: xmax.parse().ok()?, running: running.ok()? })
    }

    /// Whether every transaction visible in this snapshot is visible in `other`: a
    /// transaction visible here is below `xmax` and not running, so `other` must reach as
    /// far and hold no transaction below it running that this one saw finished.
    fn within(&self, other: &Snapshot) -> bool {
        self.xmax <= other.xmax && other.running.iter().all(|id| *id >= self.xmax || self.running.contains(id))
    }
}

/// Whether a reader at `position` may have missed pruned changes: the newest pruned
/// transaction is not below its snapshot's `xmin` (so the snapshot may not see it).
pub async fn behind_horizon(
    client: &crate::pools::DataClient,
    base: BaseId,
    position: &Position,
) -> Result<bool, Error> {
    let horizon: Option<String> = client
        .query_opt("SELECT horizon::text FROM nc.change_horizons WHERE base_id = $1::text::uuid", &[&base.to_string()])
        .await?
        .map(|row| row.try_get(0))
        .transpose()?;
    let Some(horizon) = horizon.and_then(|text| text.parse::<u64>().ok()) else { return Ok(false) };
    Ok(Snapshot::parse(&position.prev).is_none_or(|snapshot| horizon >= snapshot.xmin))
}

/// Prunes a base's change log of the changes older than `keep` that every reader that must
/// see them has read (the audit log's copier, each webhook endpoint, on or off), as the
/// admin role (the runtime role may not delete from it), and moves the base's horizon past
/// them; the changes pruned.
pub async fn prune(admin: &sqlx::PgPool, base: BaseId, keep: std::time::Duration) -> Result<u64, Error> {
    // Nothing is pruned before the audit log's copier has started on the base.
    let audited: Option<String> = sqlx::query_scalar("SELECT position FROM nc.audit_positions WHERE base_id = $1")
        .bind(base.0)
        .fetch_optional(admin)
        .await?;
    let Some(audited) = audited else { return Ok(0) };
    let endpoints: Vec<String> =
        sqlx::query_scalar("SELECT position FROM nc.webhooks WHERE base_id = $1").bind(base.0).fetch_all(admin).await?;
    let snapshots: Vec<String> = std::iter::once(&audited)
        .chain(&endpoints)
        .map(|text| decode(text).map(|position| position.prev))
        .collect::<Result<_, _>>()?;
    let log = format!("{}.\"_changes\"", shared::lower::quote_ident(&base.schema_name()));
    let pruned: i64 = sqlx::query_scalar(&format!(
        "WITH gone AS (DELETE FROM {log} WHERE at < now() - make_interval(secs => $2) \
         AND NOT EXISTS (SELECT 1 FROM unnest($3::text[]) s WHERE NOT pg_visible_in_snapshot(txid, s::pg_snapshot)) \
         RETURNING txid), \
         moved AS (INSERT INTO nc.change_horizons (base_id, horizon) SELECT $1, max(txid) FROM gone HAVING count(*) > 0 \
         ON CONFLICT (base_id) DO UPDATE SET horizon = greatest(nc.change_horizons.horizon, EXCLUDED.horizon)) \
         SELECT count(*) FROM gone"
    ))
    .bind(base.0)
    .bind(keep.as_secs_f64())
    .bind(&snapshots)
    .fetch_one(admin)
    .await?;
    Ok(u64::try_from(pruned).unwrap_or(0))
}

/// The position of "from now on": every change that commits later comes after it.
pub async fn now(client: &crate::pools::DataClient) -> Result<Position, Error> {
    Ok(Position::at(current(client).await?))
}

/// The current snapshot, as text.
pub async fn current(client: &crate::pools::DataClient) -> Result<String, Error> {
    client.query_one("SELECT pg_current_snapshot()::text", &[]).await.map_err(db)?.try_get(0).map_err(db)
}

/// A position as the API shows it: URL-safe base64 of its JSON.
pub fn encode(position: &Position) -> Result<String, Error> {
    Ok(URL_SAFE_NO_PAD.encode(serde_json::to_vec(position).map_err(bug)?))
}

/// A position the API showed; anything else is the caller's mistake.
pub fn decode(text: &str) -> Result<Position, Error> {
    URL_SAFE_NO_PAD
        .decode(text)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| bad_position().into())
}

/// A position Postgres cannot read as a snapshot is the caller's.
fn db(error: tokio_postgres::Error) -> Error {
    match error.code() == Some(&SqlState::INVALID_TEXT_REPRESENTATION) {
        true => Error::from(bad_position()),
        false => Error::from(error),
    }
}

/// A table's changes (or one record's), newest first, older than `before`.
pub async fn history(
    data: &crate::pools::DataPool,
    base: BaseId,
    table: TableId,
    record: Option<uuid::Uuid>,
    before: Option<i64>,
    limit: u32,
) -> Result<TableHistory, Error> {
    let client = crate::pools::connection(data).await?;
    let sql = shared::lower::table_history(base, table, record, before.unwrap_or(i64::MAX), limit);
    client.use_statement(&sql.text);
    let statement = client.prepare_cached(&sql.text).await?;
    let rows = client.query(&statement, &crate::pools::params(&sql)).await?;
    let data = entries(&rows, limit)?;
    let next_before = (rows.len() > limit as usize).then(|| data.last().map(|last| last.seq)).flatten();
    Ok(TableHistory { data, next_before })
}

/// The first `limit` rows of a change query as entries; every column but `before` and
/// `after` is NOT NULL.
fn entries(rows: &[tokio_postgres::Row], limit: u32) -> Result<Vec<ChangeEntry>, tokio_postgres::Error> {
    rows.iter()
        .take(limit as usize)
        .map(|row| {
            let json = |index: usize| {
                let text = row.try_get::<_, Option<String>>(index)?;
                Ok::<_, tokio_postgres::Error>(text.and_then(|text| serde_json::from_str::<Value>(&text).ok()))
            };
            Ok(ChangeEntry {
                seq: row.try_get(0)?,
                at: row.try_get(1)?,
                op: row.try_get(2)?,
                table_id: row.try_get(3)?,
                record_id: row.try_get(4)?,
                before: json(5)?,
                after: json(6)?,
                actor: row.try_get(7)?,
                request_id: row.try_get(8)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(prev: &str) -> Position {
        Position { prev: prev.to_owned(), now: None, seq: 0 }
    }

    #[test]
    fn a_later_snapshot_has_read_everything_an_earlier_one_had() {
        // 10 and 12 were running; then 10 finished, 13 and 14 began and 14 finished.
        let (earlier, later) = (at("10:13:10,12"), at("12:15:12,13"));
        let toward = earlier.toward(&later).expect("the earlier reads up to the later");
        assert!(toward.is_inside() && toward.now.as_deref() == Some("12:15:12,13"));
        assert!(later.toward(&earlier).is_none(), "the later saw 10 and 14 finished");
        assert!(earlier.toward(&earlier).is_some() && earlier.same_as(&at("10:13:10,12")));
        // 11 finished in the first, and is running in the second: not a later one.
        assert!(at("10:13:10").toward(&at("10:14:11")).is_none());
        assert!(at("1:1:").toward(&at("5:9:")).is_some(), "the start is within everything");
        assert!(at("garbage").toward(&later).is_none());
        assert!(toward.toward(&later).is_none() && !toward.same_as(&later), "inside a snapshot");
    }
}
