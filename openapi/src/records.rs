//! The records API in the document: the rules of each field type (asked from the
//! compiler), the query parameters, and the operations on records, for every table
//! (`{tableId}`, untyped values) or for one table (typed by its fields).

use crate::prose::json_form;
use crate::{Endpoint, Header, parameter_ref, schema_ref};
use serde_json::{Map, Value, json};
use shared::api::OperationId;
use shared::catalog::{Field, FieldType, Table};
use shared::error::ErrorCode;
use shared::ids::{FieldId, TableId};
use shared::plan::{self, MAX_BATCH_ITEMS, MAX_CONDITIONS, MAX_INCLUDES, MAX_SORT_KEYS, MAX_WHERE_DEPTH, REVERSE_PAGE};
use shared::query::{DEFAULT_LIMIT, Filter, FilterValue, MAX_LIMIT, MAX_WHERE_BYTES, Op, RecordsQuery, SortSpec};

/// Columns every record has besides its fields; filters and sort keys may name them.
pub const SYSTEM_COLUMNS: [&str; 3] = ["id", "created_at", "updated_at"];

/// The query rules of one column type, as the compiler applies them.
#[derive(Clone, Debug)]
pub struct TypeRules {
    pub field_type: FieldType,
    pub operators: Vec<Op>,
    pub sortable: bool,
}

/// The rules of every field type, found by compiling one-condition and one-key queries
/// against a one-field table: the compiler answers `INVALID_QUERY` exactly when an operator
/// does not apply or a type cannot be sorted (a value of the wrong form is a 422 instead).
#[derive(Clone, Debug)]
pub struct Rules {
    pub types: Vec<TypeRules>,
    /// The system columns with their types.
    pub system: Vec<(&'static str, FieldType)>,
}

const PROBE: &str = "probe";

impl Rules {
    pub fn new() -> Rules {
        let types = FieldType::ALL.into_iter().map(probe).collect();
        let table = probe_table(FieldType::Text);
        let system = SYSTEM_COLUMNS
            .into_iter()
            .filter_map(|name| plan::resolve(&table, name).map(|info| (name, info.field_type)))
            .collect();
        Rules { types, system }
    }

    pub fn of(&self, field_type: FieldType) -> TypeRules {
        self.types.iter().find(|rules| rules.field_type == field_type).cloned().unwrap_or_else(|| probe(field_type))
    }

    /// Every column a query can name in `table` (system columns first) with its type.
    fn columns<'a>(&self, table: &'a Table) -> Vec<(&'a str, FieldType)> {
        let system = self.system.iter().map(|(name, field_type)| (*name, *field_type));
        system.chain(table.fields.iter().map(|field| (field.name.as_str(), field.field_type))).collect()
    }
}

fn probe_table(field_type: FieldType) -> Table {
    let field = Field {
        options: vec!["a".to_owned(), "b".to_owned()],
        ..Field::new(FieldId(uuid::Uuid::nil()), PROBE, field_type)
    };
    Table::new(TableId(uuid::Uuid::nil()), PROBE, vec![field])
}

fn probe(field_type: FieldType) -> TypeRules {
    let table = probe_table(field_type);
    let refused = |query: RecordsQuery| matches!(plan::compile_list(&table, &query, &shared::keys::Keyring::single(&[])), Err(error) if error.code == ErrorCode::InvalidQuery);
    let operators = Op::ALL
        .into_iter()
        .filter(|op| {
            let value = match op {
                Op::In => FilterValue::List(vec!["a".to_owned()]),
                Op::Between => FilterValue::List(vec!["a".to_owned(), "b".to_owned()]),
                _ => FilterValue::One("a".to_owned()),
            };
            let filter = Filter { field: PROBE.to_owned(), op: *op, value };
            !refused(RecordsQuery { filters: vec![filter], ..RecordsQuery::default() })
        })
        .collect();
    let sort = vec![SortSpec { field: PROBE.to_owned(), descending: false }];
    let sortable = !refused(RecordsQuery { sort, ..RecordsQuery::default() });
    TypeRules { field_type, operators, sortable }
}

/// The records API an endpoint set describes: every table through `{tableId}`, or one table.
#[derive(Clone, Copy)]
pub enum Target<'a> {
    Generic,
    Table(&'a Table),
}

impl Target<'_> {
    /// A component name: the generic one, or the table's typed one (`customers_Sort`).
    fn name(&self, generic: &str) -> String {
        match self {
            Target::Generic => generic.to_owned(),
            Target::Table(table) => format!("{}_{generic}", schema_prefix(table)),
        }
    }

    fn table(&self) -> Option<&Table> {
        match self {
            Target::Generic => None,
            Target::Table(table) => Some(table),
        }
    }

    /// The tag of the table's typed operations.
    pub fn tag(&self) -> String {
        match self {
            Target::Generic => "Records".to_owned(),
            Target::Table(table) => format!("Table {}", table.name),
        }
    }
}

/// The generic record schemas and the names of their typed copies: each typed copy refers
/// to the table's own schemas where the generic one refers to untyped ones.
type Renames = &'static [(&'static str, &'static str)];

const TYPED: [(&str, &str, Renames); 5] = [
    ("Record", "Record", &[("Values", "RecordValues")]),
    ("RecordList", "RecordList", &[("Record", "Record")]),
    ("RecordCreate", "Create", &[("Values", "Values")]),
    ("RecordUpdate", "Update", &[("Values", "Patch")]),
    ("BatchUpsertRequest", "BatchUpsert", &[("RecordCreate", "Create")]),
];

/// Points every `$ref` to a component in `renames` at the table's copy instead.
fn retarget(schema: &mut Value, prefix: &str, renames: &[(&str, &str)]) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                let target = value.as_str().and_then(|reference| reference.strip_prefix("#/components/schemas/"));
                match (key.as_str(), target) {
                    ("$ref", Some(name)) => {
                        if let Some((_, typed)) = renames.iter().find(|(generic, _)| *generic == name) {
                            *value = format!("#/components/schemas/{prefix}_{typed}").into();
                        }
                    }
                    _ => retarget(value, prefix, renames),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| retarget(item, prefix, renames)),
        _ => {}
    }
}

/// A name usable in schema names and operation ids (`^[a-zA-Z0-9._-]+$`). Table names are
/// `[a-z][a-z0-9_]*`, so they are used as they are; anything else falls back to the id.
fn schema_prefix(table: &Table) -> String {
    if is_plain_name(&table.name) { table.name.clone() } else { format!("table_{}", table.id.0.simple()) }
}

/// The path segment that names the table: its name, or its UUID when the name would need escaping.
fn path_segment(table: &Table) -> String {
    if is_plain_name(&table.name) { table.name.clone() } else { table.id.0.to_string() }
}

fn is_plain_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn fields_parameter(table: Option<&Table>) -> Value {
    let items = match table {
        None => json!({ "type": "string", "minLength": 1 }),
        Some(table) => {
            let names: Vec<&str> =
                SYSTEM_COLUMNS.into_iter().chain(table.fields.iter().map(|field| field.name.as_str())).collect();
            json!({ "type": "string", "enum": names })
        }
    };
    json!({
        "name": "fields", "in": "query", "style": "form", "explode": false,
        "schema": { "type": "array", "minItems": 1, "items": items },
        "description": "Comma-separated field names, e.g. `fields=name,email`: `values` then holds only these. \
                        The system columns are always returned; naming them is allowed and changes nothing. \
                        A link field's `link.field` (e.g. `customer.name`, at most 16) adds that field of the \
                        linked record to `values` under that name (null without a link), read in the same \
                        statement. An unknown name is a 400 `INVALID_QUERY`."
    })
}

fn sort_parameter(table: Option<&Table>, rules: &Rules) -> Value {
    let items = match table {
        None => json!({ "type": "string", "minLength": 1 }),
        Some(table) => {
            let keys: Vec<String> = rules
                .columns(table)
                .into_iter()
                .filter(|(_, field_type)| rules.of(*field_type).sortable)
                .flat_map(|(name, _)| [name.to_owned(), format!("{name}.asc"), format!("{name}.desc")])
                .collect();
            json!({ "type": "string", "enum": keys })
        }
    };
    let unsortable: Vec<&str> =
        rules.types.iter().filter(|rules| !rules.sortable).map(|rules| rules.field_type.as_str()).collect();
    json!({
        "name": "sort", "in": "query", "style": "form", "explode": false,
        "schema": { "type": "array", "minItems": 1, "maxItems": MAX_SORT_KEYS, "items": items },
        "description": format!(
            "Up to {MAX_SORT_KEYS} comma-separated keys `field`, `field.asc` or `field.desc` (`field:desc` works too), \
             e.g. `sort=amount.desc,name`. Fields of type {} cannot be sorted on. `id` is appended as the last key, \
             so the order is total and cursors exact. Empty values sort last ascending and first descending. \
             The default is `created_at,id`, the order records were created in.",
            unsortable.join(", ")
        )
    })
}

fn filter_parameter(table: Option<&Table>, rules: &Rules) -> Value {
    let operators: Vec<&str> = Op::ALL.iter().map(|op| op.as_str()).collect();
    let schema = match table {
        None => json!({
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "propertyNames": { "enum": operators },
                "additionalProperties": { "type": "string" }
            }
        }),
        Some(table) => {
            let mut columns = Map::new();
            for (name, field_type) in rules.columns(table) {
                let mut ops = Map::new();
                for op in rules.of(field_type).operators {
                    ops.insert(op.as_str().to_owned(), json!({ "type": "string" }));
                }
                columns.insert(
                    name.to_owned(),
                    json!({ "type": "object", "properties": ops, "additionalProperties": false,
                            "description": format!("Conditions on `{name}` ({}).", field_type.as_str()) }),
                );
            }
            json!({ "type": "object", "properties": columns, "additionalProperties": false })
        }
    };
    json!({
        "name": "filter", "in": "query", "style": "deepObject", "explode": true,
        "schema": schema,
        "description": format!(
            "Conditions `filter[field][op]=value`, e.g. `filter[amount][gte]=100&filter[status][in]=active,trial`; \
             all must hold. `field` is a field name or a system column ({}); `op` is one of {}. The value is text \
             in the field's form (see the field types in the API description); a value that does not parse for the \
             field is a 422 naming the field and operator, an operator that does not apply to the field's type a \
             400. At most {MAX_CONDITIONS} conditions in `filter` and `where` together.",
            SYSTEM_COLUMNS.join(", "),
            operators.join(", ")
        )
    })
}

fn unique_parameter(table: Option<&Table>) -> Option<Value> {
    let schema = match table {
        None => json!({ "type": "string" }),
        Some(table) => {
            let unique: Vec<&str> =
                table.fields.iter().filter(|field| field.unique).map(|field| field.name.as_str()).collect();
            if unique.is_empty() {
                return None;
            }
            json!({ "type": "string", "enum": unique })
        }
    };
    Some(json!({
        "name": "unique", "in": "query", "required": false, "schema": schema,
        "description": "A unique field that keys the upsert: an item whose value of it is taken updates that \
                        record, any other is inserted. Without it, items are keyed by `id` (an item without one is \
                        inserted). Every item must give the key, and no two items the same key (422)."
    }))
}

/// The parameters under `components.parameters`: for every table, the ones whose schema
/// depends on the table (`Filter`; `customers_Filter` for one table), and the others.
pub fn parameters(target: Target<'_>, rules: &Rules) -> Map<String, Value> {
    let table = target.table();
    let mut all = match target {
        Target::Generic => match shared_parameters() {
            Value::Object(map) => map,
            _ => Map::new(),
        },
        Target::Table(_) => Map::new(),
    };
    all.insert(target.name("Sort"), sort_parameter(table, rules));
    all.insert(target.name("Fields"), fields_parameter(table));
    all.insert(target.name("Filter"), filter_parameter(table, rules));
    if let Some(unique) = unique_parameter(table) {
        all.insert(target.name("Unique"), unique);
    }
    all
}

/// The parameters of an operation on records, its answers' headers, and for one table its
/// typed path, id, summary, tag and schemas.
pub fn complete(endpoint: &mut Endpoint, target: Target<'_>) {
    use OperationId::*;
    let id = endpoint.operation.id;
    let named = |names: &[&str]| -> Vec<Value> { names.iter().map(|name| parameter_ref(&target.name(name))).collect() };
    let plain = |names: &[&str]| -> Vec<Value> { names.iter().map(|name| parameter_ref(name)).collect() };
    let mut extra = match id {
        ListRecords => {
            [plain(&["Limit", "Cursor"]), named(&["Sort", "Fields"]), plain(&["Include", "Where"]), named(&["Filter"])]
                .concat()
        }
        // An export selects records as a list does, without paging.
        ExportCsv => [named(&["Sort", "Fields"]), plain(&["Where"]), named(&["Filter"])].concat(),
        // A stream selects changes as a list selects records, without order or paging.
        WatchRecords => {
            let resume = super::last_event_id(serde_json::json!({ "type": "string", "maxLength": 512 }));
            [named(&["Fields"]), plain(&["Where"]), named(&["Filter"]), vec![resume, super::presence()]].concat()
        }
        // A long poll selects changes as a stream does, from `after`.
        PollRecords => {
            let after = json!({ "name": "after", "in": "query", "required": false,
                "schema": { "type": "string", "maxLength": 512 },
                "description": "The `position` of the previous answer (or a list's, or an event's `id`); from now \
                                when absent." });
            let wait = json!({ "name": "wait", "in": "query", "required": false,
                "schema": { "type": "integer", "minimum": 0, "maximum": 20, "default": 20 },
                "description": "Seconds to wait for a change when there is none yet." });
            [named(&["Fields"]), plain(&["Where"]), named(&["Filter"]), vec![after, wait]].concat()
        }
        DeleteRecords => {
            [plain(&["IdempotencyKey", "AllowFilteredDelete", "Ids", "IdsList", "Where"]), named(&["Filter"])].concat()
        }
        GetRecord => [plain(&["IfNoneMatch"]), named(&["Fields"]), plain(&["Include"])].concat(),
        UpdateRecord | DeleteRecord => plain(&["IfMatch", "IdempotencyKey"]),
        CreateRecord | BatchDeleteRecords => plain(&["IdempotencyKey"]),
        BatchUpsertRecords => {
            let mut list = plain(&["IdempotencyKey"]);
            if unique_parameter(target.table()).is_some() {
                list.extend(named(&["Unique"]));
            }
            list
        }
        _ => Vec::new(),
    };
    endpoint.parameters.append(&mut extra);
    let headers = match id {
        GetRecord => vec![Header::ETag],
        CreateRecord | UpdateRecord => vec![Header::ETag, Header::Replayed],
        DeleteRecords | DeleteRecord | BatchUpsertRecords | BatchDeleteRecords => vec![Header::Replayed],
        _ => Vec::new(),
    };
    endpoint.answers[0].2 = headers;
    if id == GetRecord {
        endpoint.answers.push((304, None, vec![Header::ETag]));
    }
    if let Target::Table(table) = target {
        let prefix = schema_prefix(table);
        endpoint.path = endpoint.path.replace("{tableId}", &path_segment(table));
        endpoint.parameters.retain(|parameter| parameter["$ref"] != "#/components/parameters/TableId");
        endpoint.operation_id = format!("{prefix}_{}", endpoint.operation_id);
        endpoint.summary = format!("{} of table `{}`", endpoint.summary, table.name);
        endpoint.tag = target.tag();
        let renames: Vec<(&str, &str)> = TYPED.iter().map(|(generic, typed, _)| (*generic, *typed)).collect();
        for schema in
            endpoint.request.iter_mut().chain(endpoint.answers.iter_mut().filter_map(|(_, schema, _)| schema.as_mut()))
        {
            retarget(schema, &prefix, &renames);
        }
    }
}

/// The parameters of the records API that are the same for every table.
fn shared_parameters() -> Value {
    json!({
        "BaseId": {
            "name": "X-Base-Id", "in": "header", "required": false, "schema": { "type": "string", "format": "uuid" },
            "description": "With an API token, optional: when sent, it must be the token's base (403 \
                            `BASE_MISMATCH`, 400 if not a UUID). With a user's access token, required: the base to use."
        },
        "IdempotencyKey": {
            "name": "X-Idempotency-Key", "in": "header", "required": false,
            "schema": { "type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$" },
            "description": "Makes the write safe to retry for 24 hours: a retry of the same request gets the stored \
                            answer with `Idempotency-Replayed: true`; the same key with another request is a 409."
        },
        "IfMatch": {
            "name": "If-Match", "in": "header", "required": false,
            "schema": { "type": "string", "pattern": "^(\\*|\"[0-9]+\")$" },
            "description": "An `ETag` of the record as returned by the API (`\"3\"`): the write applies only if the \
                            record still has that version (412 otherwise). `*` sets no condition."
        },
        "IfNoneMatch": {
            "name": "If-None-Match", "in": "header", "required": false, "schema": { "type": "string" },
            "description": "ETags (comma-separated, weak ones allowed) or `*`: 304 without a body while the record \
                            has one of them."
        },
        "AllowFilteredDelete": {
            "name": "X-Allow-Filtered-Delete", "in": "header", "required": false,
            "schema": { "type": "string", "enum": ["true"] },
            "description": "Must be `true` (any case) to delete by filter; without it a filtered delete is a 400."
        },
        "Include": {
            "name": "include", "in": "query", "required": false, "style": "form", "explode": false,
            "schema": { "type": "array", "minItems": 1, "maxItems": MAX_INCLUDES, "items": { "type": "string", "minLength": 1 } },
            "description": format!(
                "Relations to embed under each record's `included`, comma-separated, at most {MAX_INCLUDES}: a link \
                 field of this table (`include=customer`: the linked record, or null), or another table's link to \
                 this one as `<table>.<link field>` (`include=orders.customer`: its first {REVERSE_PAGE} records, \
                 oldest first, and `has_more`). One hop; the same statement reads them. `/v1/meta/tables/{{table}}` \
                 lists a table's links and `linked_from`. Filters reach a linked record's fields too: \
                 `filter[customer.name][eq]=Ada`."
            )
        },
        "Limit": {
            "name": "limit", "in": "query", "required": false,
            "schema": { "type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT },
            "description": format!("Records per page, 1 to {MAX_LIMIT}. Over {MAX_LIMIT} is a 413 `PAYLOAD_TOO_LARGE`.")
        },
        "Cursor": {
            "name": "cursor", "in": "query", "required": false, "schema": { "type": "string" },
            "description": "The `next_cursor` of the previous page. It is bound to the table, filters and sort: \
                            with others it is a 400 `INVALID_QUERY`."
        },
        "Where": {
            "name": "where", "in": "query", "required": false,
            "content": { "application/json": { "schema": schema_ref("Where") } },
            "description": format!(
                "A JSON condition tree (URL-encoded), at most {MAX_WHERE_DEPTH} levels deep and {MAX_WHERE_BYTES} \
                 bytes once decoded. Numbers keep every digit."
            )
        },
        "Ids": {
            "name": "ids[]", "in": "query", "required": false, "style": "form", "explode": true,
            "schema": { "type": "array", "items": { "type": "string", "format": "uuid" }, "maxItems": MAX_BATCH_ITEMS },
            "description": format!("Ids of the records to delete, repeatable: `ids[]=a&ids[]=b`; at most {MAX_BATCH_ITEMS}.")
        },
        "IdsList": {
            "name": "ids", "in": "query", "required": false, "style": "form", "explode": false,
            "schema": { "type": "array", "items": { "type": "string", "format": "uuid" }, "maxItems": MAX_BATCH_ITEMS },
            "description": "The same as `ids[]`, comma-separated: `ids=a,b`. Both forms may be combined."
        }
    })
}

/// The JSON Schema of one field's value; nullable unless the field is required.
fn field_schema(field: &Field, nullable: bool) -> Value {
    let (mut schema, base_type) = match field.field_type {
        FieldType::Text | FieldType::LongText => (json!({}), Some("string")),
        FieldType::Number => (json!({}), Some("number")),
        FieldType::Boolean => (json!({}), Some("boolean")),
        FieldType::Date => (json!({ "format": "date" }), Some("string")),
        FieldType::Datetime => (json!({ "format": "date-time" }), Some("string")),
        FieldType::Email => (json!({ "format": "email", "maxLength": 254 }), Some("string")),
        FieldType::Url => (json!({ "format": "uri", "maxLength": 2048 }), Some("string")),
        FieldType::Uuid | FieldType::Link => (json!({ "format": "uuid" }), Some("string")),
        FieldType::SingleSelect => {
            let mut options: Vec<Value> = field.options.iter().map(|option| Value::from(option.as_str())).collect();
            if nullable {
                // `enum` is checked on its own: a nullable select must list null too.
                options.push(Value::Null);
            }
            (json!({ "enum": options }), Some("string"))
        }
        FieldType::MultiSelect => {
            (json!({ "items": { "type": "string", "enum": field.options }, "uniqueItems": true }), Some("array"))
        }
        FieldType::File => {
            let uuid = json!({ "type": "string", "format": "uuid" });
            let attachment = json!({
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": uuid,
                    "name": { "type": "string", "minLength": 1, "maxLength": shared::value::MAX_FILE_NAME },
                    "size": { "type": "integer", "minimum": 1 },
                    "content_type": { "type": "string" },
                    "url": { "type": "string", "format": "uri" }
                }
            });
            let items = json!({ "anyOf": [uuid, attachment] });
            (json!({ "items": items, "maxItems": shared::value::MAX_ATTACHMENTS }), Some("array"))
        }
        FieldType::Json => {
            let types = if nullable {
                json!(["object", "array", "string", "number", "boolean", "null"])
            } else {
                json!(["object", "array", "string", "number", "boolean"])
            };
            (json!({ "type": types }), None)
        }
    };
    if let Some(base_type) = base_type {
        schema["type"] = if nullable { json!([base_type, "null"]) } else { json!(base_type) };
    }
    // The field's rules, as JSON Schema says them (bounds of dates stay in the prose).
    let rules = &field.rules;
    let keywords = [
        ("minLength", rules.min_length.map(Value::from)),
        ("maxLength", rules.max_length.map(Value::from)),
        ("pattern", rules.pattern.clone().map(Value::from)),
        ("minimum", rules.min.clone().filter(|_| field.field_type == FieldType::Number)),
        ("maximum", rules.max.clone().filter(|_| field.field_type == FieldType::Number)),
    ];
    for (keyword, value) in keywords {
        if let Some(value) = value {
            schema[keyword] = value;
        }
    }
    if !rules.allowed.is_empty() {
        let mut allowed: Vec<Value> = rules.allowed.iter().map(|value| Value::from(value.as_str())).collect();
        if nullable {
            allowed.push(Value::Null);
        }
        schema["enum"] = Value::from(allowed);
    }
    schema["description"] = Value::from(format!("`{}`: {}.", field.field_type.as_str(), json_form(field.field_type)));
    if let Some(computed) = &field.computed {
        schema["readOnly"] = Value::Bool(true);
        schema["description"] = Value::from(format!(
            "{} Computed ({}) when read; it cannot be written.",
            schema["description"].as_str().unwrap_or_default(),
            computed.kind()
        ));
    }
    schema
}

/// The JSON Schema of a view's page: records with `fields` only, and the page's limit
/// and cursor (`GET /public/views/{slug}/data`).
pub fn view_page_schema(fields: &[&Field]) -> Value {
    let values: Map<String, Value> =
        fields.iter().map(|field| (field.name.clone(), field_schema(field, !field.required))).collect();
    let timestamp = json!({ "type": "string", "format": "date-time" });
    json!({
        "type": "object", "required": ["data", "page"],
        "properties": {
            "data": { "type": "array", "items": {
                "type": "object", "required": ["id", "values", "created_at", "updated_at"],
                "properties": {
                    "id": { "type": "string", "format": "uuid" },
                    "values": { "type": "object", "properties": values, "additionalProperties": false },
                    "created_at": timestamp, "updated_at": timestamp
                }
            } },
            "page": { "type": "object", "required": ["limit", "next_cursor"], "properties": {
                "limit": { "type": "integer" },
                "next_cursor": { "type": ["string", "null"], "description": "Pass as `cursor` for the next page; null on the last." }
            } }
        }
    })
}

/// `<prefix>_Values` and its siblings for one table: the values as written, returned and
/// patched, typed by the table's fields, and typed copies of the generic record schemas.
pub fn table_schemas(table: &Table, schemas: &mut Map<String, Value>) {
    let prefix = schema_prefix(table);
    let returned: Map<String, Value> =
        table.fields.iter().map(|field| (field.name.clone(), field_schema(field, !field.required))).collect();
    // Computed fields are returned, never written.
    let written: Map<String, Value> = table
        .fields
        .iter()
        .filter(|field| field.is_stored())
        .map(|field| (field.name.clone(), field_schema(field, !field.required)))
        .collect();
    let required: Vec<&str> =
        table.fields.iter().filter(|field| field.required).map(|field| field.name.as_str()).collect();
    let name = &table.name;
    let values = [
        (
            "Values",
            json!(required),
            format!("The values of a complete record of `{name}`: every required field is given."),
        ),
        (
            "RecordValues",
            json!([]),
            format!(
                "The values of a record of `{name}` as returned: every field, `null` when empty, unless `fields` narrowed \
             the projection."
            ),
        ),
        ("Patch", json!([]), format!("Some fields of `{name}`; required fields cannot be set to null.")),
    ];
    // What JSON Schema cannot say of one value: the record rules and unique combinations.
    let mut holds: Vec<String> = table.rules.iter().map(|rule| format!("`{}`: {}", rule.name, rule.message)).collect();
    holds.extend(table.unique.iter().map(|set| {
        let names: Vec<&str> =
            set.fields.iter().filter_map(|id| table.field_by_id(*id)).map(|field| field.name.as_str()).collect();
        format!("`{}`: no two records share {}", set.name, names.join(" + "))
    }));
    let rules = match holds.is_empty() {
        true => String::new(),
        false => format!(" Every record also satisfies its table's rules ({}).", holds.join("; ")),
    };
    for (suffix, required, description) in values {
        let (description, properties) = match suffix {
            "RecordValues" => (description, &returned),
            _ => (description + &rules, &written),
        };
        let mut schema = json!({ "type": "object", "properties": properties, "additionalProperties": false,
                                 "description": description });
        if suffix == "Values" {
            schema["required"] = required;
        }
        schemas.insert(format!("{prefix}_{suffix}"), schema);
    }
    for (generic, typed, renames) in TYPED {
        let mut schema = schemas.get(generic).cloned().unwrap_or_default();
        retarget(&mut schema, &prefix, renames);
        schemas.insert(format!("{prefix}_{typed}"), schema);
    }
}
