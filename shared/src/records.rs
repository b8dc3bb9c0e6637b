//! The bodies of the records API (`/v1/tables/{tableId}/records…`) for any table: values
//! untyped. The edge parses requests with its own zero-copy readers ([`crate::plan`]) and
//! the data plane renders records itself; these types are what both agree on, and the
//! OpenAPI document describes them from here (each table's typed copy replaces `Values`).

use crate::ids::RecordId;
use crate::plan::MAX_BATCH_ITEMS;
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::BTreeMap;

/// A field's value. Its JSON form depends on the field's type (see the field types in the
/// API description); `null` empties an optional field.
pub struct FieldValue;

impl JsonSchema for FieldValue {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "FieldValue".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "anyOf": [
                { "type": "string" }, { "type": "number" }, { "type": "boolean" },
                { "type": "array", "items": {} }, { "type": "object" }, { "type": "null" }
            ]
        })
    }
}

/// Field name → value. In a create or an upsert item, every required field must be given;
/// a name that is not a field of the table is a 422.
#[derive(JsonSchema)]
#[schemars(transparent)]
#[expect(dead_code, reason = "only its schema is used")]
pub struct Values(BTreeMap<String, FieldValue>);

/// A record: its id, its fields' values and its system columns.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub id: RecordId,
    pub values: Values,
    #[schemars(extend("format" = "date-time"))]
    pub created_at: String,
    #[schemars(extend("format" = "date-time"))]
    pub updated_at: String,
    /// Only with `include=`: each relation by the name it was asked by. A link field
    /// (`customer`) holds the linked record, or null; a reverse link (`orders.customer`)
    /// holds `{"data": [records], "has_more"}`, the first 25 (`REVERSE_PAGE`) linking records, oldest first
    /// (the rest: `GET /v1/tables/orders/records?filter[customer][eq]=<id>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub included: Option<BTreeMap<String, serde_json::Value>>,
}

/// A page of records.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordList {
    pub data: Vec<Record>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
    pub has_more: bool,
    /// Where the table's changes stand as this page was read: send it as `Last-Event-ID`
    /// to `GET /v1/tables/{tableId}/events` to receive every change after this page, with
    /// no gap and none the page already shows.
    pub position: String,
}

/// A new record (or, in a batch upsert, a record to insert or update).
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordCreate {
    /// Optional client-chosen id (409 `DUPLICATE_RECORD` if taken); generated when left out
    /// or `null`. In an upsert without `unique`, the record to update.
    #[serde(default)]
    pub id: Option<RecordId>,
    pub values: Values,
}

/// A change to a record.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordUpdate {
    /// The fields to change, at least one; the others keep their values.
    #[schemars(extend("minProperties" = 1))]
    pub values: Values,
}

/// Records to insert or update in one transaction.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "BatchUpsertRequest")]
pub struct BatchUpsert {
    /// 1 to 1000 items (more is a 413).
    #[schemars(length(min = 1, max = MAX_BATCH_ITEMS))]
    pub items: Vec<RecordCreate>,
}

/// Records to delete in one transaction, all or none.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "BatchDeleteRequest")]
pub struct BatchDelete {
    /// 1 to 1000 record ids (more is a 413; a non-UUID a 422).
    #[schemars(length(min = 1, max = MAX_BATCH_ITEMS))]
    pub ids: Vec<RecordId>,
}

/// What a batch upsert did.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchUpsertResult {
    /// Records inserted or updated.
    pub upserted: usize,
    /// Each item's record id, in item order.
    pub ids: Vec<RecordId>,
    /// Reserved for asynchronous bulk jobs; always null.
    #[schemars(with = "()")]
    pub job_id: Option<String>,
}

/// A deleted record.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteResult {
    pub id: RecordId,
    pub deleted: crate::resource::True,
}

/// How many records a delete removed.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteManyResult {
    pub deleted: usize,
}

/// A record that would be written: its values fit their fields, their rules and the
/// required fields (what the edge checks; a unique value or a link's target is checked
/// by the write itself).
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Validated {
    pub valid: crate::resource::True,
}

/// One change of a table, as its event stream (`watchRecords`) sends it in `data`.
#[derive(Serialize, JsonSchema)]
pub struct RecordEvent {
    /// `record.created`, `record.updated` or `record.deleted`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The table's name.
    pub table: String,
    #[schemars(extend("format" = "uuid"))]
    pub id: String,
    /// The fields the change set to another value, among those the caller reads.
    pub changed_fields: Vec<String>,
    /// The record as the caller may see it when the event is sent (its `fields`, the table's
    /// policies); null for a deletion.
    #[schemars(with = "Option<Record>")]
    pub record: Option<Box<serde_json::value::RawValue>>,
}

/// A table's changes after a position (`pollRecords`, the long-poll form of
/// `watchRecords`).
#[derive(JsonSchema)]
pub struct RecordChanges {
    /// The changes after the position (none when the wait ran out), each with the position
    /// just after it.
    pub data: Vec<PolledEvent>,
    /// Where to poll from next: after every change read, those the filters left out too.
    pub position: String,
    /// Present and true when `after` was older than the change log the base keeps: no
    /// changes, `position` is now; load what the client shows again, then poll from it.
    pub reset: Option<bool>,
}

/// One change, as a long poll answers it.
#[derive(JsonSchema)]
pub struct PolledEvent {
    /// The position just after this change.
    pub position: String,
    #[serde(flatten)]
    pub event: RecordEvent,
}

/// A page of a published view: its records, with only its fields.
#[derive(JsonSchema)]
pub struct ViewPage {
    pub data: Vec<Record>,
    pub page: Page,
}

/// Where a view's page is.
#[derive(JsonSchema)]
pub struct Page {
    pub limit: u32,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

/// An OpenAPI 3.1 document.
pub struct OpenApiDocument;

impl JsonSchema for OpenApiDocument {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "OpenApiDocument".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object", "required": ["openapi", "info", "paths"], "description": "An OpenAPI 3.1 document."
        })
    }
}
