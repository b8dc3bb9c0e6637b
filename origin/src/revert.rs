//! Undoing one change of a table's history (`POST …/tables/{t}/history/{seq}/revert`):
//! the record is written back to what the change log says it was before the change (an
//! update for an updated record, a creation with the same id for a deleted one, a delete
//! for a created one), as an ordinary write of the member: the records API's own checks,
//! policies, rules and change log, with the member as its actor.
//!
//! Only the record's latest change can be reverted: a later change means someone wrote the
//! record since, and writing an older state over theirs would lose it (412, naming the
//! later change; reverting newest first gets there).

use crate::error::Error;
use crate::execute::{Answer, Executor, Request};
use serde_json::{Map, Value, json};
use shared::catalog::Table;
use shared::envelope::Principal;
use shared::error::{ApiError, ErrorCode};
use shared::ids::{BaseId, UserId};
use shared::resource::Reverted;
use std::sync::atomic::AtomicU64;

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
        let client = self.client().await?;
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
