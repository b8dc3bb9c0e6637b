//! Attachments: what `file` fields hold.
//!
//! A write names uploads by id; before it runs, each is looked up among the base's
//! uploads, checked against its field (accepted media types) and, the first time, in the
//! store (the announced size and checksum). The value is stored as the uploads'
//! descriptors ([`bulk::Attachment`]), and the uploads are committed to the field in the
//! write's own transaction, so a file is attached exactly when the record holding it is
//! written. Reads add a signed download address to each attachment they show; the
//! sweeper ([`crate::jobs::sweep`]) marks a file no record of its field holds any more,
//! and deletes it a retention period later.

use crate::error::{Error, bug};
use crate::execute::{Executor, Request};
use crate::storage::Storage;
use futures_util::StreamExt;
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde_json::value::RawValue;
use shared::bulk::{self, Attachment};
use shared::catalog::{Catalog, Field, FieldType, Table};
use shared::envelope::Principal;
use shared::ids::{BaseId, FieldId, TableId};
use shared::plan::{Assignment, Include, Plan};
use std::collections::HashMap;

/// Uploads one write may attach for the first time (each is checked in the store).
const MAX_NEW_FILES: usize = 100;
/// How long addresses in a public view's answers stay valid: an edge may serve a cached
/// answer for its max age, then while revalidating, then while the origin fails.
const VIEW_URL_SECONDS: u32 = bulk::URL_SECONDS + 3 * shared::view::MAX_CACHE_SECONDS;

/// Whether the upload at `key` is in the store with `size` bytes and, when one was
/// announced, the SHA-256 `sha256`; `Ok(Err(what to do))` when it is not.
pub(crate) async fn verify_upload(
    storage: &Storage,
    key: &str,
    size: i64,
    sha256: Option<&str>,
) -> Result<Result<(), String>, Error> {
    let stored = storage.size(key).await?;
    if stored != u64::try_from(size).ok() {
        return Ok(Err(match stored {
            None => "was never uploaded: post it with the form files:signUpload answered, then try again".to_owned(),
            Some(stored) => format!("has {stored} bytes in the store; its upload announced {size}"),
        }));
    }
    if let Some(expected) = sha256 {
        use sha2::Digest;
        let mut hasher = sha2::Sha256::new();
        let mut stream = std::pin::pin!(storage.read(key).await?);
        while let Some(chunk) = stream.next().await {
            hasher.update(&chunk?);
        }
        if hex::encode(hasher.finalize()) != expected {
            return Ok(Err("does not have the SHA-256 its upload announced: upload it again".to_owned()));
        }
    }
    Ok(Ok(()))
}

/// The uploads a write attaches, per field, committed in its transaction.
pub(crate) struct Attaching {
    table: TableId,
    fields: Vec<(FieldId, Vec<String>)>,
}

/// One attachment as the edge checked it ([`shared::value::from_json`]).
#[derive(serde::Deserialize)]
struct Named {
    id: uuid::Uuid,
    name: Option<String>,
}

fn file_error(field: &Field, reason: &str, message: String) -> Error {
    shared::value::invalid(field, reason, message).into()
}

impl Executor {
    /// Resolves the uploads a write plan puts in file fields: the plan with each value
    /// replaced by the uploads' descriptors, and what to commit. `None` when the plan
    /// assigns no file field.
    pub(crate) async fn resolve_files(
        &self,
        catalog: &Catalog,
        plan: &Plan,
    ) -> Result<Option<(Plan, Attaching)>, Error> {
        let Some(table) = catalog.table_by_id(plan.table()) else { return Ok(None) };
        let file_field = |id: FieldId| table.field_by_id(id).filter(|field| field.field_type == FieldType::File);
        if !table.fields.iter().any(|field| field.field_type == FieldType::File) {
            return Ok(None);
        }
        let mut plan = plan.clone();
        let mut assignments: Vec<&mut Assignment> = match &mut plan {
            Plan::CreateRecord { values, .. } | Plan::UpdateRecord { values, .. } => values.iter_mut().collect(),
            Plan::UpsertRecords { items, .. } => items.iter_mut().flat_map(|item| item.values.iter_mut()).collect(),
            _ => return Ok(None),
        };
        assignments.retain(|assignment| file_field(assignment.field).is_some() && assignment.value.is_some());
        if assignments.is_empty() {
            return Ok(None);
        }
        let mut wanted: HashMap<uuid::Uuid, FieldId> = HashMap::new();
        let mut parsed = Vec::with_capacity(assignments.len());
        for assignment in &assignments {
            let field = file_field(assignment.field).ok_or_else(|| bug("a file field went away"))?;
            let named: Vec<Named> = serde_json::from_str(assignment.value.as_deref().unwrap_or("[]")).map_err(bug)?;
            for file in &named {
                if wanted.insert(file.id, field.id).is_some_and(|other| other != field.id) {
                    return Err(file_error(
                        field,
                        "attached_elsewhere",
                        format!("File {} is given to two fields; a file belongs to one field.", file.id),
                    ));
                }
            }
            parsed.push(named);
        }
        let base_id = catalog.base_id;
        let ids: Vec<String> = wanted.keys().map(ToString::to_string).collect();
        let client = self.client(base_id).await?;
        let rows = client
            .query(
                "SELECT id::text, name, size, content_type, sha256, state, field_id::text, object_key FROM nc.files \
                 WHERE base_id = $1::text::uuid AND id = ANY($2::text[]::uuid[]) AND purpose = 'upload' \
                 AND state <> 'deleting'",
                &[&base_id.0.to_string(), &ids],
            )
            .await?;
        drop(client);
        let mut found: HashMap<uuid::Uuid, &tokio_postgres::Row> = HashMap::with_capacity(rows.len());
        for row in &rows {
            found.insert(uuid::Uuid::parse_str(row.try_get(0)?).map_err(bug)?, row);
        }
        let mut new_files = 0;
        let mut descriptors: HashMap<uuid::Uuid, Attachment> = HashMap::with_capacity(found.len());
        for (id, field_id) in &wanted {
            let field = file_field(*field_id).ok_or_else(|| bug("a file field went away"))?;
            let Some(row) = found.get(id) else {
                return Err(file_error(
                    field,
                    "unknown_file",
                    format!(
                        "File {id} is not an upload of this base (or it expired): upload it with files:signUpload \
                         and name the file_id it answers."
                    ),
                ));
            };
            let content_type: String = row.try_get(3)?;
            if !bulk::accepts(&field.options, &content_type) {
                let message = format!(
                    "Field '{}' takes files of {} only; file {id} is {content_type}.",
                    field.name,
                    field.options.join(", ")
                );
                let error = shared::value::invalid(field, "content_type", message);
                return Err(error.with("accepted", field.options.clone()).into());
            }
            if let Some(other) = row.try_get::<_, Option<&str>>(6)?
                && other != field.id.to_string()
            {
                return Err(file_error(
                    field,
                    "attached_elsewhere",
                    format!("File {id} is attached to another field; upload it again to attach it here."),
                ));
            }
            let size: i64 = row.try_get(2)?;
            if row.try_get::<_, &str>(5)? == "pending" {
                new_files += 1;
                if new_files > MAX_NEW_FILES {
                    return Err(file_error(
                        field,
                        "too_many_files",
                        format!("A write attaches at most {MAX_NEW_FILES} new uploads; split it."),
                    ));
                }
                let storage = self.storage()?;
                if let Err(problem) = verify_upload(storage, row.try_get(7)?, size, row.try_get(4)?).await? {
                    return Err(file_error(field, "not_uploaded", format!("File {id} {problem}.")));
                }
            }
            let descriptor = Attachment {
                id: *id,
                name: row.try_get(1)?,
                size: u64::try_from(size).map_err(bug)?,
                content_type,
                url: None,
            };
            descriptors.insert(*id, descriptor);
        }
        for (assignment, named) in assignments.into_iter().zip(parsed) {
            let value: Vec<Attachment> = named
                .into_iter()
                .map(|file| {
                    let stored = descriptors.get(&file.id).ok_or_else(|| bug("a resolved file is missing"))?;
                    Ok(Attachment { name: file.name.unwrap_or_else(|| stored.name.clone()), ..stored.clone() })
                })
                .collect::<Result<_, Error>>()?;
            assignment.value = Some(serde_json::to_string(&value).map_err(bug)?);
        }
        let mut fields: Vec<(FieldId, Vec<String>)> = Vec::new();
        for (id, field) in wanted {
            match fields.iter_mut().find(|(known, _)| *known == field) {
                Some((_, ids)) => ids.push(id.to_string()),
                None => fields.push((field, vec![id.to_string()])),
            }
        }
        Ok(Some((plan, Attaching { table: table.id, fields })))
    }
}

impl Attaching {
    /// Commits the uploads to their fields inside the write's transaction; an upload the
    /// sweeper took or another field attached meanwhile fails the write.
    pub(crate) async fn commit(
        &self,
        transaction: &deadpool_postgres::Transaction<'_>,
        catalog: &Catalog,
    ) -> Result<(), Error> {
        for (field, ids) in &self.fields {
            let committed = transaction
                .execute(
                    "UPDATE nc.files SET state = 'committed', committed_at = coalesce(committed_at, now()), \
                     table_id = $3::text::uuid, field_id = $4::text::uuid, detached_at = NULL \
                     WHERE base_id = $1::text::uuid AND id = ANY($2::text[]::uuid[]) AND purpose = 'upload' \
                     AND state <> 'deleting' AND (field_id IS NULL OR field_id = $4::text::uuid)",
                    &[&catalog.base_id.0.to_string(), ids, &self.table.0.to_string(), &field.0.to_string()],
                )
                .await?;
            if committed != ids.len() as u64 {
                let field = catalog
                    .table_by_id(self.table)
                    .and_then(|table| table.field_by_id(*field))
                    .ok_or_else(|| bug("a file field went away"))?;
                return Err(file_error(
                    field,
                    "unknown_file",
                    "An upload was removed or attached elsewhere while this write ran; upload it again.".to_owned(),
                ));
            }
        }
        Ok(())
    }
}

/// Adds a signed download `url` to each attachment a records answer shows (a record or a
/// page of them, with what `include` adds), as the caller may see it. Answers of tables
/// without file fields pass through untouched.
pub(crate) fn sign_answer(storage: Option<&Storage>, request: &Request<'_>, body: Vec<u8>) -> Result<Vec<u8>, Error> {
    let catalog = request.catalog;
    let Some(table) = catalog.table_by_id(request.plan.table()) else { return Ok(body) };
    let include: &[Include] = match request.plan {
        Plan::GetRecord { include, .. } | Plan::ListRecords { include, .. } => include,
        _ => &[],
    };
    // Checked first: most answers show no file, and deriving a signing key is not free.
    if !shows_files(catalog, table, include) {
        return Ok(body);
    }
    let signer = Signer {
        downloads: storage.map(|storage| storage.downloads(crate::clock::now_ms())),
        catalog,
        seconds: match request.principal {
            Principal::View { .. } => VIEW_URL_SECONDS,
            _ => bulk::URL_SECONDS,
        },
    };
    let answer: &RawValue = serde_json::from_str(std::str::from_utf8(&body).map_err(bug)?).map_err(bug)?;
    let signed = match request.plan {
        Plan::ListRecords { .. } => signer.page(answer, table, include)?,
        _ => signer.record(answer, table, include)?,
    };
    Ok(signed.get().as_bytes().to_vec())
}

/// Whether an answer about `table` with `include` can show an attachment.
fn shows_files(catalog: &Catalog, table: &Table, include: &[Include]) -> bool {
    let has_files = |table: &Table| table.fields.iter().any(|field| field.field_type == FieldType::File);
    has_files(table)
        || include.iter().any(|include| match *include {
            Include::Link(link) | Include::Field(link, _) => linked(catalog, table, link).is_some_and(has_files),
            Include::Reverse(linking, _) => catalog.table_by_id(linking).is_some_and(has_files),
        })
}

/// The table a link field of `table` points at.
fn linked<'a>(catalog: &'a Catalog, table: &Table, link: FieldId) -> Option<&'a Table> {
    let target = table.field_by_id(link)?.link.as_ref()?.table;
    catalog.table_by_id(target)
}

struct Signer<'a> {
    downloads: Option<crate::storage::Downloads<'a>>,
    catalog: &'a Catalog,
    seconds: u32,
}

impl Signer<'_> {
    /// A page of records of `table` (`{"data": [...], …}`: a list's answer, or a reverse
    /// relation under `included`), each signed.
    fn page(&self, raw: &RawValue, table: &Table, include: &[Include]) -> Result<Box<RawValue>, Error> {
        let mut page: RawObject = serde_json::from_str(raw.get()).map_err(bug)?;
        if let Some(data) = page.get_mut("data") {
            let records: Vec<Box<RawValue>> = serde_json::from_str(data.get()).map_err(bug)?;
            let records =
                records.iter().map(|record| self.record(record, table, include)).collect::<Result<Vec<_>, _>>()?;
            *data = serde_json::value::to_raw_value(&records).map_err(bug)?;
        }
        serde_json::value::to_raw_value(&page).map_err(bug)
    }

    /// A record of `table` with its attachments signed, and those of what `include` adds.
    fn record(&self, raw: &RawValue, table: &Table, include: &[Include]) -> Result<Box<RawValue>, Error> {
        if raw.get() == "null" {
            return Ok(raw.to_owned());
        }
        let mut record: RawObject = serde_json::from_str(raw.get()).map_err(bug)?;
        if let Some(values) = record.get_mut("values") {
            let mut named: RawObject = serde_json::from_str(values.get()).map_err(bug)?;
            for field in table.fields.iter().filter(|field| field.field_type == FieldType::File) {
                if let Some(value) = named.get_mut(&field.name) {
                    *value = self.attachments(value)?;
                }
            }
            for include in include {
                let Include::Field(link, id) = *include else { continue };
                let (Some(link), Some(target)) = (table.field_by_id(link), linked(self.catalog, table, link)) else {
                    continue;
                };
                let Some(field) = target.field_by_id(id).filter(|field| field.field_type == FieldType::File) else {
                    continue;
                };
                if let Some(value) = named.get_mut(&format!("{}.{}", link.name, field.name)) {
                    *value = self.attachments(value)?;
                }
            }
            *values = serde_json::value::to_raw_value(&named).map_err(bug)?;
        }
        if let Some(included) = record.get_mut("included") {
            let mut relations: RawObject = serde_json::from_str(included.get()).map_err(bug)?;
            for include in include {
                match *include {
                    Include::Link(link) => {
                        let (Some(field), Some(target)) = (table.field_by_id(link), linked(self.catalog, table, link))
                        else {
                            continue;
                        };
                        if let Some(linked) = relations.get_mut(&field.name) {
                            *linked = self.record(linked, target, &[])?;
                        }
                    }
                    Include::Reverse(linking, link) => {
                        let Some(linking) = self.catalog.table_by_id(linking) else { continue };
                        let Some(field) = linking.field_by_id(link) else { continue };
                        if let Some(page) = relations.get_mut(&format!("{}.{}", linking.name, field.name)) {
                            *page = self.page(page, linking, &[])?;
                        }
                    }
                    Include::Field(..) => {}
                }
            }
            *included = serde_json::value::to_raw_value(&relations).map_err(bug)?;
        }
        serde_json::value::to_raw_value(&record).map_err(bug)
    }

    /// A file field's value with a `url` on each attachment (none without a store).
    fn attachments(&self, value: &RawValue) -> Result<Box<RawValue>, Error> {
        let mut files: Option<Vec<Attachment>> = serde_json::from_str(value.get()).map_err(bug)?;
        for file in files.iter_mut().flatten() {
            file.url = self.downloads.as_ref().map(|downloads| {
                downloads.url(&bulk::upload_key(self.catalog.base_id, file.id), &file.name, self.seconds)
            });
        }
        serde_json::value::to_raw_value(&files).map_err(bug)
    }
}

/// A JSON object with its members in their order and their values as they were written
/// (numbers keep every digit).
struct RawObject(Vec<(String, Box<RawValue>)>);

impl RawObject {
    fn get_mut(&mut self, key: &str) -> Option<&mut Box<RawValue>> {
        self.0.iter_mut().find(|(name, _)| name == key).map(|(_, value)| value)
    }
}

impl<'de> serde::Deserialize<'de> for RawObject {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = RawObject;
            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawObject, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry::<String, Box<RawValue>>()? {
                    members.push(member);
                }
                Ok(RawObject(members))
            }
        }
        deserializer.deserialize_map(Members)
    }
}

impl serde::Serialize for RawObject {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

/// The files of `table`'s field no record holds any more are marked detached (their
/// column gone: all of them); see [`shared::lower::unreferenced_files`].
pub(crate) async fn detach_unreferenced(
    data: &tokio_postgres::Client,
    base: BaseId,
    table: TableId,
    field: FieldId,
) -> Result<u64, Error> {
    let exists = data
        .query_opt(
            "SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = $2 AND NOT attisdropped",
            &[&shared::lower::qualified_table(base, table), &field.column_name()],
        )
        .await?
        .is_some();
    let sql = shared::lower::unreferenced_files(base, table, field, exists);
    Ok(data.execute(&sql.text, &crate::pools::params(&sql)).await?)
}

#[cfg(test)]
mod tests {
    use super::RawObject;

    #[test]
    fn raw_objects_keep_order_and_digits() {
        let text = r#"{"z":1.50,"a":{"b":[1e400,"x"]},"m":null}"#;
        let object: RawObject = serde_json::from_str(text).expect("an object");
        assert_eq!(serde_json::to_string(&object).expect("serializes"), text);
    }
}
