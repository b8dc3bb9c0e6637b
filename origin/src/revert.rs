//! Undoing one change of a table's history (`POST …/tables/{t}/history/{seq}/revert`):
//! the record is written back to what the change log says it was before the change (an
//! update for an updated record, a creation with the same id for a deleted one, a delete
//! for a created one), as an ordinary write of the member: the records API's own checks,
//! policies, rules and change log, with the member as its actor.
//!
//! Only the record's latest change can be reverted: a later change means someone wrote the
//! record since, and writing an older state over theirs would lose it (412, naming the
//! later change; reverting newest first gets there).
//!
//! Undoing a whole base after a time (`POST …/changes:undo`) puts each record written since
//! back to its state then: the `before` of its first change after the time (absent for a
//! record created since). It writes each record once, in one transaction: first the
//! deleted records again (each after the records it links to), then the updated ones, then
//! the deletion of new records (each before the records it links to, so a restricting link
//! never stops it; one a cascade took already is done).

use crate::error::Error;
use crate::execute::{Answer, Executor, Request};
use serde_json::{Map, Value, json};
use shared::catalog::Table;
use shared::envelope::Principal;
use shared::error::{ApiError, ErrorCode};
use shared::ids::TableId;
use shared::ids::{BaseId, UserId};
use shared::manage::UndoRequest;
use shared::resource::{Reverted, UndoItem, UndoReport};
use std::sync::atomic::AtomicU64;

/// The most records one undo writes: beyond it, a base is better copied back from a backup
/// (the runbook's "Copy a base back").
const UNDO_LIMIT: i64 = 10_000;

/// The records an undo report lists.
const UNDO_SHOWN: usize = 100;

impl Executor {
    pub(crate) async fn revert(
        &self,
        user: UserId,
        base: BaseId,
        table: &str,
        change: i64,
        request_id: &str,
        database: &AtomicU64,
    ) -> Result<Answer, Error> {
        let role = self.manager.may_revert(user, base, table).await?;
        let catalog = crate::catalog::live_catalog(&self.manager.control, base).await?;
        let table = shared::schema::find_table(&catalog, table)?;
        let log = format!("{}.\"_changes\"", shared::lower::quote_ident(&base.schema_name()));
        let client = self.client(base).await?;
        let row = client
            .query_opt(
                &format!(
                    "SELECT op, record_id::text, before::text FROM {log} WHERE seq = $1 AND table_id = $2::text::uuid"
                ),
                &[&change, &table.id.to_string()],
            )
            .await?
            .ok_or_else(|| {
                ApiError::new(ErrorCode::NotFound, format!("No change {change} in the history of '{}'.", table.name))
                    .with("seq", change)
            })?;
        let (op, record): (String, String) = (row.try_get(0)?, row.try_get(1)?);
        let before: Option<Value> =
            row.try_get::<_, Option<String>>(2)?.and_then(|text| serde_json::from_str(&text).ok());
        let later: Option<i64> = client
            .query_one(
                &format!(
                    "SELECT max(seq) FROM {log} WHERE table_id = $1::text::uuid AND record_id = $2::text::uuid \
                     AND seq > $3"
                ),
                &[&table.id.to_string(), &record, &change],
            )
            .await?
            .try_get(0)?;
        drop(client);
        if let Some(later) = later {
            return Err(ApiError::new(
                ErrorCode::PreconditionFailed,
                format!(
                    "The record changed after change {change} (change {later}); revert that one first, newest first."
                ),
            )
            .with("later_change", later)
            .into());
        }
        let (values, skipped_fields) = restorable(table, before.as_ref());
        let (plan, action) = match op.as_str() {
            "insert" => (shared::plan::compile_delete(table, &record, None)?, "delete"),
            "update" if values.is_empty() => {
                return Err(ApiError::new(
                    ErrorCode::ValidationError,
                    "None of the fields this change set are in the table any more: there is nothing to restore.",
                )
                .with("skipped_fields", skipped_fields)
                .into());
            }
            "update" => {
                let body = serde_json::to_vec(&json!({ "values": values })).map_err(crate::error::bug)?;
                (shared::plan::compile_update(table, &record, &body, None)?, "update")
            }
            _ => {
                let body = serde_json::to_vec(&json!({ "id": record, "values": values })).map_err(crate::error::bug)?;
                (shared::plan::compile_create(table, &body)?, "create")
            }
        };
        let principal = Principal::User { user_id: user, scopes: role.scopes(), see_as: None };
        let caller = self.check_principal(base, &principal, crate::execute::required_scope(&plan)).await?;
        shared::policy::check(&plan, &catalog, &caller)?;
        let request =
            Request { catalog: &catalog, plan: &plan, principal: &principal, caller: &caller, request_id, database };
        let written = self.write(request, None).await?;
        if !(200..300).contains(&written.status) {
            return Ok(written);
        }
        let record = match action {
            "delete" => None,
            _ => Some(serde_json::from_slice(&written.body).map_err(crate::error::bug)?),
        };
        let reverted = Reverted { change, action: action.to_owned(), record, skipped_fields };
        Ok(Answer::new(200, serde_json::to_vec(&reverted).map_err(crate::error::bug)?))
    }

    pub(crate) async fn undo(
        &self,
        user: UserId,
        base: BaseId,
        undo: &UndoRequest,
        request_id: &str,
        database: &AtomicU64,
    ) -> Result<Answer, Error> {
        let role = self.manager.may_undo(user, base).await?;
        let catalog = crate::catalog::live_catalog(&self.manager.control, base).await?;
        let log = format!("{}.\"_changes\"", shared::lower::quote_ident(&base.schema_name()));
        let mut client = self.client(base).await?;
        let bound = client.statements();
        let transaction = client.transaction().await?;
        let latest: i64 =
            transaction.query_one(&format!("SELECT coalesce(max(seq), 0) FROM {log}"), &[]).await?.try_get(0)?;
        let through = undo.through.unwrap_or(latest);
        let after = undo.after.as_str();
        let counted = transaction
            .query_one(
                &format!(
                    "SELECT count(*), count(DISTINCT (table_id, record_id)) FROM {log} \
                     WHERE at > $1::text::timestamptz AND seq <= $2"
                ),
                &[&after, &through],
            )
            .await?;
        let (changes, records): (i64, i64) = (counted.try_get(0)?, counted.try_get(1)?);
        if records > UNDO_LIMIT {
            return Err(ApiError::new(
                ErrorCode::ValidationError,
                format!(
                    "{records} records changed after {after}, more than one undo writes ({UNDO_LIMIT}): pick a later \
                     time, or restore a backup to a scratch cluster and copy the base back (see the runbook)."
                ),
            )
            .with("records", records)
            .with("limit", UNDO_LIMIT)
            .into());
        }
        // Each record's first change after the time (its state then) and last one (its state now).
        let rows = transaction
            .query(
                &format!(
                    "WITH span AS (SELECT table_id, record_id, min(seq) AS first, max(seq) AS last FROM {log} \
                     WHERE at > $1::text::timestamptz AND seq <= $2 GROUP BY 1, 2) \
                     SELECT s.table_id::text, s.record_id::text, f.op = 'insert', f.before::text, l.op = 'delete', \
                     l.after::text FROM span s JOIN {log} f ON f.seq = s.first JOIN {log} l ON l.seq = s.last \
                     ORDER BY s.first DESC"
                ),
                &[&after, &through],
            )
            .await?;
        let image = |text: Option<String>| text.and_then(|text| serde_json::from_str::<Value>(&text).ok());
        let mut report = UndoReport {
            after: after.to_owned(),
            through,
            dry_run: undo.dry_run,
            changes: u64::try_from(changes).unwrap_or_default(),
            updated: 0,
            recreated: 0,
            deleted: 0,
            unchanged: 0,
            records: Vec::new(),
            skipped_tables: Vec::new(),
        };
        let mut writes = Vec::new();
        let mut covered = Vec::new();
        for row in rows {
            let (table_id, record): (String, String) = (row.try_get(0)?, row.try_get(1)?);
            covered.push(format!("{table_id}:{record}"));
            let table = uuid::Uuid::parse_str(&table_id).ok().and_then(|id| catalog.table_by_id(TableId(id)));
            let Some(table) = table else {
                if !report.skipped_tables.contains(&table_id) {
                    report.skipped_tables.push(table_id);
                }
                continue;
            };
            let then = if row.try_get(2)? { None } else { image(row.try_get(3)?) };
            let now = if row.try_get(4)? { None } else { image(row.try_get(5)?) };
            let (values, skipped_fields) = restorable(table, then.as_ref());
            let now_values = now.as_ref().map(|now| now["values"].clone());
            let (action, plan, links) = match (&then, &now_values) {
                (None, None) => {
                    report.unchanged += 1;
                    continue;
                }
                (Some(_), Some(Value::Object(current)))
                    if values.iter().all(|(name, value)| current.get(name) == Some(value)) =>
                {
                    report.unchanged += 1;
                    continue;
                }
                (None, Some(current)) => {
                    report.deleted += 1;
                    (Undo::Delete, shared::plan::compile_delete(table, &record, None)?, links_of(table, current))
                }
                (Some(_), None) => {
                    report.recreated += 1;
                    let body =
                        serde_json::to_vec(&json!({ "id": record, "values": values })).map_err(crate::error::bug)?;
                    let links = links_of(table, &Value::Object(values.clone()));
                    (Undo::Create, shared::plan::compile_create(table, &body)?, links)
                }
                (Some(_), Some(_)) => {
                    report.updated += 1;
                    let body = serde_json::to_vec(&json!({ "values": values })).map_err(crate::error::bug)?;
                    (Undo::Update, shared::plan::compile_update(table, &record, &body, None)?, Vec::new())
                }
            };
            let item = UndoItem {
                table: table.name.clone(),
                record_id: record,
                action: action.as_str().to_owned(),
                now: now_values,
                then: then.map(|_| Value::Object(values)),
                skipped_fields,
            };
            writes.push(Pending { action, plan, links, item });
        }
        let writes = write_order(writes);
        report.records = writes.iter().take(UNDO_SHOWN).map(|pending| pending.item.clone()).collect();
        if undo.dry_run || writes.is_empty() {
            return Answer::json(200, &report);
        }
        let principal = Principal::User { user_id: user, scopes: role.scopes(), see_as: None };
        let caller = self.check_principal(base, &principal, shared::token::Scope::Delete).await?;
        for Pending { action, plan, .. } in &writes {
            shared::policy::check(plan, &catalog, &caller)?;
            let request =
                Request { catalog: &catalog, plan, principal: &principal, caller: &caller, request_id, database };
            let files = self.resolve_files(&catalog, plan).await?;
            let request = match &files {
                Some((plan, _)) => Request { plan, ..request },
                None => request,
            };
            if let Some((_, files)) = &files {
                files.commit(&transaction, &catalog).await?;
            }
            let statements = crate::execute::lower_all(&request)?;
            match self.apply(&transaction, &bound, &request, &statements).await {
                // A new record that a cascade of an earlier deletion took already.
                Err(Error::Api(error)) if *action == Undo::Delete && error.code == ErrorCode::RecordNotFound => {}
                written => {
                    written?;
                }
            }
        }
        // Every change after the time belongs to a covered record, so more of them now than
        // were read means one was written meanwhile (or after a preview's `through`), and
        // writing over it would lose it: refuse, and write nothing.
        let since = transaction
            .query_one(
                &format!(
                    "SELECT count(*), max(seq) FROM {log} WHERE at > $1::text::timestamptz AND \
                     txid <> pg_current_xact_id() AND (table_id::text || ':' || record_id::text) = ANY($2)"
                ),
                &[&after, &covered],
            )
            .await?;
        if since.try_get::<_, i64>(0)? > changes {
            let latest: Option<i64> = since.try_get(1)?;
            return Err(ApiError::new(
                ErrorCode::PreconditionFailed,
                "A record this undo covers was written after the changes it read: preview the undo again.",
            )
            .with("latest_change", latest.unwrap_or(through))
            .into());
        }
        transaction.commit().await?;
        Answer::json(200, &report)
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Undo {
    /// A record deleted since, created again.
    Create,
    /// A record changed since, given its values back.
    Update,
    /// A record created since, deleted.
    Delete,
}

impl Undo {
    fn as_str(self) -> &'static str {
        match self {
            Undo::Create => "create",
            Undo::Update => "update",
            Undo::Delete => "delete",
        }
    }
}

/// One record an undo writes: its plan, the records its values link to, and its line in
/// the report.
struct Pending {
    action: Undo,
    plan: shared::plan::Plan,
    links: Vec<String>,
    item: UndoItem,
}

/// The ids a record's link fields hold.
fn links_of(table: &Table, values: &Value) -> Vec<String> {
    table
        .fields
        .iter()
        .filter(|field| field.field_type == shared::catalog::FieldType::Link)
        .filter_map(|field| values.get(&field.name)?.as_str().map(str::to_owned))
        .collect()
}

/// The order an undo writes in: records created again (each after the ones of them it
/// links to), the updates, then the deletions (each before the ones it links to). Within
/// each, the order read (latest first).
fn write_order(writes: Vec<Pending>) -> Vec<Pending> {
    let (creates, rest): (Vec<_>, Vec<_>) = writes.into_iter().partition(|pending| pending.action == Undo::Create);
    let (updates, deletes): (Vec<_>, Vec<_>) = rest.into_iter().partition(|pending| pending.action == Undo::Update);
    let id = |pending: &Pending| pending.item.record_id.clone();
    let links = |pending: &Pending| pending.links.clone();
    let mut ordered = targets_first(creates, id, links);
    ordered.extend(updates);
    let mut deletes = targets_first(deletes.into_iter().rev().collect(), id, links);
    deletes.reverse();
    ordered.extend(deletes);
    ordered
}

/// `records` with each after the records of the set its links point to, otherwise in the
/// order given (a depth-first walk; an edge back into the walk, a cycle, is ignored).
fn targets_first<T>(records: Vec<T>, id: impl Fn(&T) -> String, links: impl Fn(&T) -> Vec<String>) -> Vec<T> {
    let index: std::collections::HashMap<String, usize> =
        records.iter().enumerate().map(|(at, record)| (id(record), at)).collect();
    let links: Vec<Vec<String>> = records.iter().map(links).collect();
    let mut state = vec![0u8; records.len()]; // 0 unseen, 1 in the walk, 2 placed
    let mut order = Vec::with_capacity(records.len());
    for start in 0..records.len() {
        let mut stack = vec![(start, 0usize)];
        while let Some((at, next)) = stack.pop() {
            if next == 0 {
                if state[at] != 0 {
                    continue;
                }
                state[at] = 1;
            }
            let target = links[at].get(next).and_then(|id| index.get(id).copied());
            match (next < links[at].len(), target) {
                (true, Some(target)) if state[target] == 0 => {
                    stack.push((at, next + 1));
                    stack.push((target, 0));
                }
                (true, _) => stack.push((at, next + 1)),
                (false, _) => {
                    state[at] = 2;
                    order.push(at);
                }
            }
        }
    }
    let mut slots: Vec<Option<T>> = records.into_iter().map(Some).collect();
    order.into_iter().filter_map(|at| slots[at].take()).collect()
}

/// The values of the record image that the table can take back (its stored fields of the
/// same name), and the names it cannot (gone, or computed now).
fn restorable(table: &Table, image: Option<&Value>) -> (Map<String, Value>, Vec<String>) {
    let mut values = Map::new();
    let mut skipped = Vec::new();
    let Some(Value::Object(stored)) = image.map(|image| &image["values"]) else { return (values, skipped) };
    for (name, value) in stored {
        match table.field(name) {
            Some(field) if field.computed.is_none() => {
                values.insert(name.clone(), value.clone());
            }
            _ => skipped.push(name.clone()),
        }
    }
    (values, skipped)
}

#[cfg(test)]
mod tests {
    use super::targets_first;

    fn order(records: &[(&str, &[&str])]) -> Vec<String> {
        let records: Vec<(String, Vec<String>)> = records
            .iter()
            .map(|(id, links)| (id.to_string(), links.iter().map(|link| link.to_string()).collect()))
            .collect();
        targets_first(records, |record| record.0.clone(), |record| record.1.clone())
            .into_iter()
            .map(|record| record.0)
            .collect()
    }

    #[test]
    fn records_come_after_the_ones_they_link_to() {
        // Latest first as read: an order, then its customer, then an unrelated record.
        assert_eq!(
            order(&[("order", &["customer"]), ("customer", &[]), ("other", &[])]),
            ["customer", "order", "other"]
        );
        // A chain, and links outside the set (records that exist), which do not order anything.
        assert_eq!(order(&[("a", &["b", "elsewhere"]), ("b", &["c"]), ("c", &[])]), ["c", "b", "a"]);
        // A cycle is cut where the walk comes back to it; the walk ends.
        assert_eq!(order(&[("x", &["y"]), ("y", &["x"]), ("z", &["z"])]), ["y", "x", "z"]);
    }
}
