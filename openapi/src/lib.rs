//! The OpenAPI 3.1 documents of the public API: the generic one (`GET /v1/openapi.json`)
//! and, for one base with a typed schema per table, `GET /v1/meta/openapi.json`.
//!
//! Nothing here restates the API. Operations (path, method, caller, body and answer types,
//! errors) come from [`shared::api::OPERATIONS`]; schemas from the Rust types themselves
//! (their `JsonSchema`, so changing a type changes the document); limits from the
//! compiler's constants; and which operators apply to which field type, and which types
//! sort, from asking the compiler ([`records::Rules`]). What is left is prose ([`prose`]),
//! the query parameters of the records API ([`records`]) and the rendering below.

use schemars::generate::{SchemaGenerator, SchemaSettings};
use schemars::transform::ReplaceBoolSchemas;
use serde_json::{Map, Value, json};
use shared::api::{Caller, Method, OPERATIONS, Operation, OperationId, Tag};
use shared::catalog::{Catalog, FieldType};
use shared::envelope::REPLAYED_HEADER;
use shared::error::ErrorCode;
use shared::json_schema::SchemaFn;
use shared::manage::Role;
use shared::plan::{MAX_IN_VALUES, MAX_WHERE_DEPTH};
use shared::query::Op;

mod errors;
mod prose;
mod records;
#[cfg(test)]
mod tests;

use records::{Rules, Target};

pub use records::view_page_schema;

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn parameter_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/parameters/{name}") })
}

/// The component schemas, as the Rust types describe them: request bodies as they are
/// read (a member with a default may be left out), answers as they are written (a member
/// always written is required, even when it may be `null`).
struct Schemas {
    requests: SchemaGenerator,
    answers: SchemaGenerator,
}

impl Schemas {
    fn new() -> Schemas {
        let mut any_value = ReplaceBoolSchemas::default();
        any_value.skip_additional_properties = true;
        let settings = SchemaSettings::draft2020_12()
            .with(|settings| {
                settings.definitions_path = "/components/schemas/".into();
                settings.meta_schema = None;
            })
            // `true` (any value) as `{}`: some generators read only object schemas.
            .with_transform(any_value);
        Schemas {
            requests: settings.clone().for_deserialize().into_generator(),
            answers: settings.for_serialize().into_generator(),
        }
    }

    /// The schema of a request body: a reference to its component.
    fn request(&mut self, schema: SchemaFn) -> Value {
        schema(&mut self.requests).to_value()
    }

    /// The schema of an answer: a reference to its component.
    fn answer(&mut self, schema: SchemaFn) -> Value {
        schema(&mut self.answers).to_value()
    }

    /// The description of the component `schema` refers to.
    fn description(&self, schema: &Value) -> Option<String> {
        let name = schema["$ref"].as_str()?.rsplit('/').next()?;
        let definition = self.answers.definitions().get(name).or_else(|| self.requests.definitions().get(name))?;
        definition["description"].as_str().map(str::to_owned)
    }

    /// Every component, with the descriptions only the compiler's rules can give.
    fn components(mut self, rules: &Rules) -> Map<String, Value> {
        self.request(shared::json_schema::of::<Op>);
        self.answer(shared::json_schema::of::<shared::error::ErrorBody>);
        // A type both read and written is described as it is read: what may be left out.
        let mut all = self.answers.take_definitions(true);
        all.extend(self.requests.take_definitions(true));
        let types: Vec<String> = FieldType::ALL
            .iter()
            .map(|field_type| format!("- `{}`: {}", field_type.as_str(), prose::json_form(*field_type)))
            .collect();
        all["FieldValue"]["description"] = format!(
            "A field's value; its JSON form depends on the field's type:\n{}\n\n`null` empties an optional field.",
            types.join("\n")
        )
        .into();
        all["Operator"]["description"] =
            format!("Which types take which operator:\n\n{}", prose::field_types_table(rules)).into();
        let codes: Vec<String> = ErrorCode::ALL
            .iter()
            .map(|code| format!("- `{}` ({}): {}", code.as_str(), code.status(), prose::meaning(*code)))
            .collect();
        all["ErrorCode"]["description"] = codes.join("\n").into();
        all.insert("Where".to_owned(), where_schema());
        all.insert("Condition".to_owned(), condition_schema());
        all
    }
}

/// `where`: parsed by hand (numbers keep every digit), so described by hand.
fn where_schema() -> Value {
    let list = |key: &str| {
        json!({ "type": "object", "required": [key], "additionalProperties": false,
                "properties": { key: { "type": "array", "minItems": 1, "items": schema_ref("Where") } } })
    };
    json!({
        "description": format!(
            "A condition tree: `and` and `or` of non-empty lists, `not`, and conditions; at most {MAX_WHERE_DEPTH} \
             levels deep."
        ),
        "oneOf": [
            list("and"), list("or"),
            { "type": "object", "required": ["not"], "additionalProperties": false,
              "properties": { "not": schema_ref("Where") } },
            schema_ref("Condition")
        ]
    })
}

fn condition_schema() -> Value {
    let scalar = json!({ "type": ["string", "number", "boolean"] });
    json!({
        "type": "object", "required": ["field", "op", "value"], "additionalProperties": false,
        "properties": {
            "field": { "type": "string", "minLength": 1, "description": "A field name or a system column." },
            "op": schema_ref("Operator"),
            "value": {
                "description": format!("A string, number or boolean in the field's form; a list for `in` (1 to {MAX_IN_VALUES}) and `between` (low, high)."),
                "oneOf": [scalar, { "type": "array", "minItems": 1, "items": scalar }]
            }
        }
    })
}

/// `idempotency-replayed` → `Idempotency-Replayed`, the usual spelling in documentation.
fn header_case(name: &str) -> String {
    let words: Vec<String> = name
        .split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map(|first| first.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect();
    words.join("-")
}

/// Response headers, each documented once under `components.headers`: its name there,
/// the header's own name, its schema and what it means.
#[derive(Clone, Copy, PartialEq)]
enum Header {
    RequestId,
    ETag,
    Replayed,
    RetryAfter,
    RateLimitLimit,
    RateLimitRemaining,
    RateLimitReset,
    RateLimitPolicy,
    QuotaLimit,
    QuotaUsed,
    QuotaReset,
    ServerTiming,
}

/// On every response: the request id, the caller's rate-limit state and where the time went.
const EVERY_RESPONSE: [Header; 6] = [
    Header::RequestId,
    Header::RateLimitLimit,
    Header::RateLimitRemaining,
    Header::RateLimitReset,
    Header::RateLimitPolicy,
    Header::ServerTiming,
];

impl Header {
    const ALL: [Header; 12] = [
        Header::RequestId,
        Header::ETag,
        Header::Replayed,
        Header::RetryAfter,
        Header::RateLimitLimit,
        Header::RateLimitRemaining,
        Header::RateLimitReset,
        Header::RateLimitPolicy,
        Header::QuotaLimit,
        Header::QuotaUsed,
        Header::QuotaReset,
        Header::ServerTiming,
    ];

    fn describe(self) -> (&'static str, String, Value, &'static str) {
        let integer = |minimum: u32| json!({ "type": "integer", "minimum": minimum });
        match self {
            Header::RequestId => (
                "RequestId",
                "X-Request-Id".into(),
                json!({ "type": "string" }),
                "Identifies the request in logs; equals `request_id` in error bodies.",
            ),
            Header::ETag => (
                "ETag",
                "ETag".into(),
                json!({ "type": "string", "pattern": "^\"[0-9]+\"$" }),
                "The record's version, quoted (`\"3\"`); every write increments it. Send it back in `If-Match` or \
                 `If-None-Match`.",
            ),
            Header::Replayed => (
                "IdempotencyReplayed",
                header_case(REPLAYED_HEADER),
                json!({ "type": "string", "enum": ["true"] }),
                "Present when the answer is the stored answer of an earlier request with the same \
                 `X-Idempotency-Key`; nothing was written again.",
            ),
            Header::RetryAfter => ("RetryAfter", "Retry-After".into(), integer(0), "Seconds to wait before retrying."),
            Header::RateLimitLimit => (
                "RateLimitLimit",
                "RateLimit-Limit".into(),
                integer(1),
                "Requests the caller may make per window: the token's limit (or its plan's, 600 per minute by \
                 default), a signed-in user's, or, without credentials, the client address's.",
            ),
            Header::RateLimitRemaining => (
                "RateLimitRemaining",
                "RateLimit-Remaining".into(),
                integer(0),
                "Requests left in the current sliding window.",
            ),
            Header::RateLimitReset => (
                "RateLimitReset",
                "RateLimit-Reset".into(),
                integer(0),
                "Seconds until the oldest request counted in the window leaves it.",
            ),
            Header::RateLimitPolicy => (
                "RateLimitPolicy",
                "RateLimit-Policy".into(),
                json!({ "type": "string" }),
                "The limit as `<requests>;w=<window seconds>`, e.g. `600;w=60`.",
            ),
            Header::QuotaLimit => (
                "QuotaLimit",
                "X-Quota-Limit".into(),
                integer(0),
                "The base's monthly request quota (on answers to quota-limited requests).",
            ),
            Header::QuotaUsed => (
                "QuotaUsed",
                "X-Quota-Used".into(),
                integer(0),
                "Requests the base made this month, as the edge counts them.",
            ),
            Header::QuotaReset => (
                "QuotaReset",
                "X-Quota-Reset".into(),
                integer(0),
                "Seconds until the quota resets (the start of the next month, UTC).",
            ),
            Header::ServerTiming => (
                "ServerTiming",
                "Server-Timing".into(),
                json!({ "type": "string" }),
                "Where the time went, in milliseconds: the edge's stages (`parse`, `auth`, `catalog`, `plan`, \
                 `sign`, `origin`), the origin's (`verify`, `db`, `app`) when it was asked, and `total`.",
            ),
        }
    }

    fn components() -> Map<String, Value> {
        Header::ALL
            .iter()
            .map(|header| {
                let (component, _, schema, description) = header.describe();
                let mut value = json!({ "schema": schema, "description": description });
                if *header == Header::RequestId {
                    value["required"] = true.into();
                }
                (component.to_owned(), value)
            })
            .collect()
    }
}

/// A response; `X-Request-Id` and the rate-limit headers are on every one, so they are
/// always added.
fn response(description: &str, schema: Option<Value>, headers: &[Header]) -> Value {
    let mut all = Map::new();
    for header in EVERY_RESPONSE.iter().chain(headers) {
        let (component, name, _, _) = header.describe();
        all.insert(name, json!({ "$ref": format!("#/components/headers/{component}") }));
    }
    let mut response = json!({ "description": description, "headers": all });
    if let Some(schema) = schema {
        response["content"] = json!({ "application/json": { "schema": schema } });
    }
    response
}

/// `presence`, a stream's request to count its caller in and be told who else is there.
fn presence() -> Value {
    json!({ "name": "presence", "in": "query", "required": false, "schema": { "type": "boolean", "default": false },
        "description": "`true`: the stream also tells who follows the same table (or view) now: first `event: \
                        presence` with `{present: [{actor, name, since}]}` (the caller included), then `user:join` \
                        and `user:leave` with `{actor, name, since}` as people come and go (once per person, \
                        whatever the number of their streams). These frames carry no `id`, so `Last-Event-ID` \
                        stays the last change's. A view's callers are each a `visitor:<id>` without a name." })
}

/// An optional query parameter.
fn query(name: &str, schema: Value, description: &str) -> Value {
    json!({ "name": name, "in": "query", "required": false, "schema": schema, "description": description })
}

/// The filters of an audit log query.
fn audit_filters() -> [Value; 8] {
    [
        query("actor", json!({ "type": "string", "maxLength": 200 }), "`user:<id>`, `token:<id>` or `system`."),
        query(
            "action",
            json!({ "type": "string", "maxLength": 200 }),
            "An action (`token.create`), or a prefix ending in `*` (`record.*`).",
        ),
        query(
            "resource",
            json!({ "type": "string", "maxLength": 200 }),
            "A resource id, or what comes before one of its `/` (a table id: its records' events).",
        ),
        query("base", json!({ "type": "string", "format": "uuid" }), "Only this base's events."),
        query("since", json!({ "type": "string", "format": "date-time" }), "From this time on (RFC 3339)."),
        query("until", json!({ "type": "string", "format": "date-time" }), "Before this time (RFC 3339)."),
        query("cursor", json!({ "type": "string" }), "The previous page's `next_cursor`."),
        query("limit", json!({ "type": "integer", "minimum": 1, "maximum": 200, "default": 50 }), "Events per page."),
    ]
}

/// The path parameters by template name: component, description and schema.
fn path_parameter(name: &str) -> Option<(&'static str, &'static str, Value)> {
    let text = json!({ "type": "string", "minLength": 1 });
    let uuid = json!({ "type": "string", "format": "uuid" });
    Some(match name {
        "tableId" => ("TableId", "The table's UUID or name.", text),
        "id" => ("RecordId", "The record's id. An id that is not a UUID cannot exist: 404 `RECORD_NOT_FOUND`.", uuid),
        "workspaceId" => ("WorkspacePath", "The workspace's id.", text),
        "baseId" => ("BasePath", "The base's id.", text),
        "userId" => ("UserPath", "The member's user id.", text),
        "tokenId" => ("TokenPath", "The API token's id.", text),
        "tenantId" => ("TenantPath", "The tenant's id.", text),
        "invitationId" => ("InvitationPath", "The invitation's id.", text),
        "table" => ("TablePath", "The table's id or current name.", text),
        "field" => ("FieldPath", "The field's id or current name.", text),
        "view" => ("ViewPath", "The view's id or name.", text),
        "slug" => (
            "SlugPath",
            "The slug the view is published under.",
            json!({ "type": "string", "pattern": shared::view::SLUG_PATTERN }),
        ),
        "keyId" => ("KeyPath", "The view key's id.", uuid),
        "index" => ("IndexPath", "The index's name in its table.", text),
        "jobId" => ("JobPath", "The job's id, as starting it answered.", uuid),
        "seq" => (
            "ChangePath",
            "The change's sequence number, as the table's history lists it.",
            json!({ "type": "integer" }),
        ),
        "webhookId" => ("WebhookPath", "The webhook endpoint's id.", text),
        "deliveryId" => {
            ("DeliveryPath", "The delivery's id, as the delivery log lists it.", json!({ "type": "integer" }))
        }
        "opId" => ("SchemaOpPath", "The schema operation's id, as `GET …/schema-ops` lists it.", uuid),
        "droppedId" => ("DroppedPath", "The dropped table's or field's id, as `GET …/dropped` lists it.", uuid),
        _ => return None,
    })
}

/// The template's `{name}` segments.
fn template_parameters(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter_map(|segment| segment.strip_prefix('{').and_then(|rest| rest.strip_suffix('}')))
}

/// One operation as the document renders it: as declared, or a typed copy for one table.
struct Endpoint {
    operation: &'static Operation,
    path: String,
    operation_id: String,
    summary: String,
    tag: String,
    parameters: Vec<Value>,
    request: Option<Value>,
    /// The answers besides errors: status, body schema (none: no body), extra headers.
    answers: Vec<(u16, Option<Value>, Vec<Header>)>,
}

impl Endpoint {
    /// The operation as declared: its path parameters from its template, its body and
    /// answer from its types, `X-Base-Id` where a token or a session names the base.
    fn declared(operation: &'static Operation, schemas: &mut Schemas) -> Endpoint {
        let mut parameters: Vec<Value> = template_parameters(operation.path)
            .filter_map(path_parameter)
            .map(|(component, _, _)| parameter_ref(component))
            .collect();
        if matches!(operation.caller, Caller::Token(_)) {
            parameters.push(parameter_ref("BaseId"));
        }
        if operation.tag == Tag::Schema && operation.method != Method::Get {
            parameters.push(parameter_ref("DryRun"));
        }
        let (status, answer) = operation.response;
        Endpoint {
            operation,
            path: operation.path.to_owned(),
            operation_id: operation.name.to_owned(),
            summary: operation.summary.to_owned(),
            tag: operation.tag.as_str().to_owned(),
            parameters,
            request: operation.request.map(|request| schemas.request(request)),
            answers: vec![(status, Some(schemas.answer(answer)), Vec::new())],
        }
    }

    fn render(self, schemas: &Schemas, registry: &mut Responses) -> Value {
        let mut responses = Map::new();
        for (status, schema, headers) in self.answers {
            let description = match (&schema, status) {
                (_, 304) => "Not modified: the `ETag` matches `If-None-Match`.".to_owned(),
                (None, 204) if self.operation.events => {
                    "Nothing more to stream: `Last-Event-ID` names the last event there will be.".to_owned()
                }
                (Some(_), _) if self.operation.events => {
                    "Server-sent events; each event's `data` is the JSON object of `x-data-schema`.".to_owned()
                }
                (Some(schema), _) => schemas.description(schema).unwrap_or_else(|| "Success.".to_owned()),
                (None, _) => "Success.".to_owned(),
            };
            let mut response = response(&description, schema, &headers);
            if self.operation.events
                && let Some(content) = response.get_mut("content")
            {
                let data = content["application/json"]["schema"].take();
                *content = json!({ shared::events::CONTENT_TYPE: {
                    "schema": { "type": "string" },
                    "x-data-schema": data,
                } });
            }
            responses.insert(status.to_string(), response);
        }
        for (status, value) in errors::error_responses(&errors::of(self.operation)) {
            responses.insert(status.to_string(), registry.reference(self.operation.name, status, value));
        }
        responses.insert("default".to_owned(), errors::default_reference());
        let (security, needs) = match self.operation.caller {
            Caller::Anyone | Caller::Anonymous => (json!([]), "No token needed.".to_owned()),
            Caller::Token(scope) => (
                json!([{ "bearer": [scope.as_str()] }, { "session": [] }]),
                format!(
                    "Needs an API token with the `{0}` scope, or a signed-in user's access token with `X-Base-Id` \
                     and a role that grants `{0}` (viewers read; editors and above also write and delete).",
                    scope.as_str()
                ),
            ),
            Caller::SignedIn => (json!([{ "session": [] }]), "Needs a signed-in user's access token.".to_owned()),
            Caller::Operator => (
                json!([{ "session": [] }]),
                "Needs a signed-in platform operator (granted with `origin admin operator --email <email>`)."
                    .to_owned(),
            ),
            Caller::Member(action) => {
                let least = Role::ALL.into_iter().find(|role| role.can(action)).unwrap_or(Role::Owner);
                (
                    json!([{ "session": [] }]),
                    format!("Needs a signed-in user with the `{}` role (or above) in the workspace.", least.as_str()),
                )
            }
            Caller::View => (
                json!([{}, { "viewKey": [] }, { "bearer": ["read"] }]),
                "As the view is published: `public` needs nothing, `view_key` a key of the view, `base_token` an API \
                 token of its base with `read`."
                    .to_owned(),
            ),
        };
        let description = match prose::describe(self.operation.id) {
            Some(text) => format!("{text}\n\n{needs}"),
            None => needs,
        };
        let mut operation = json!({
            "operationId": self.operation_id,
            "summary": self.summary,
            "description": description,
            "tags": [self.tag],
            "parameters": self.parameters,
            "responses": responses,
            "security": security,
        });
        if let Some(schema) = self.request {
            operation["requestBody"] =
                json!({ "required": true, "content": { "application/json": { "schema": schema } } });
        }
        operation
    }
}

use errors::Responses;

/// The answers an operation gives besides its declared one, and its query parameters
/// outside the records API.
/// The operations on one table's records, which a base's document copies per table, typed.
fn is_per_table(operation: &Operation) -> bool {
    operation.path.starts_with("/v1/tables/{tableId}/")
}

fn complete(endpoint: &mut Endpoint, schemas: &mut Schemas) {
    match endpoint.operation.id {
        OperationId::SetMember => {
            let invited = schemas.answer(shared::json_schema::of::<shared::resource::InvitationCreated>);
            endpoint.answers.push((202, Some(invited), Vec::new()));
        }
        OperationId::WatchJob => {
            endpoint.answers.push((204, None, Vec::new()));
            endpoint.parameters.push(last_event_id(json!({ "type": "string", "pattern": "^[0-9]+$" })));
        }
        OperationId::ListChanges => endpoint.parameters.extend([
            query(
                "after",
                json!({ "type": "string" }),
                "The `position` of the previous read; the log's start when absent.",
            ),
            query(
                "limit",
                json!({ "type": "integer", "minimum": 1, "maximum": 1000, "default": 100 }),
                "Changes per page.",
            ),
        ]),
        OperationId::ListTableHistory => endpoint.parameters.extend([
            query("record", json!({ "type": "string", "format": "uuid" }), "Only this record's changes."),
            query("before", json!({ "type": "integer" }), "The `next_before` of the previous page."),
            query(
                "limit",
                json!({ "type": "integer", "minimum": 1, "maximum": 1000, "default": 100 }),
                "Changes per page.",
            ),
        ]),
        OperationId::ListAuditEvents => endpoint.parameters.extend(audit_filters()),
        OperationId::ListPlatformAudit => {
            endpoint.parameters.push(query(
                "tenant",
                json!({ "type": "string", "format": "uuid" }),
                "Only this tenant's events.",
            ));
            endpoint.parameters.extend(audit_filters());
        }
        OperationId::ListTenants => endpoint.parameters.extend([
            query(
                "q",
                json!({ "type": "string", "minLength": 1, "maxLength": 100 }),
                "Part of a tenant's name (any case), a tenant, workspace or base id, or a member's email.",
            ),
            query(
                "limit",
                json!({ "type": "integer", "minimum": 1, "maximum": 500, "default": 100 }),
                "Tenants per answer, by name.",
            ),
        ]),
        OperationId::ListWebhookDeliveries => endpoint.parameters.extend([
            query(
                "state",
                json!({ "type": "string", "enum": ["pending", "delivered", "failed"] }),
                "Only deliveries in this state.",
            ),
            query("before", json!({ "type": "integer" }), "The `next_before` of the previous page."),
            query(
                "limit",
                json!({ "type": "integer", "minimum": 1, "maximum": 100, "default": 50 }),
                "Deliveries per page.",
            ),
        ]),
        OperationId::WatchView => endpoint.parameters.extend([
            view_params(),
            last_event_id(json!({ "type": "string", "maxLength": 512 })),
            presence(),
        ]),
        OperationId::GetViewData => {
            endpoint.answers[0].2.push(Header::ETag);
            endpoint.answers.push((304, None, vec![Header::ETag]));
            endpoint.parameters.extend([
                query(
                    "limit",
                    json!({ "type": "integer", "minimum": 1 }),
                    "Records per page, up to the view's maximum.",
                ),
                query("cursor", json!({ "type": "string" }), "The previous page's `page.next_cursor`."),
                query(
                    "sort",
                    json!({ "type": "string" }),
                    "`field:asc` or `field:desc`, comma-separated, on the fields the view allows.",
                ),
                view_params(),
            ]);
        }
        _ => {}
    }
}

/// A view's own parameters and the filters it allows, as query parameters.
fn view_params() -> Value {
    json!({ "name": "params", "in": "query", "required": false, "style": "form", "explode": true,
            "schema": { "type": "object", "additionalProperties": { "type": "string" } },
            "description": "The view's parameters and `filter[field][op]` conditions, by name." })
}

/// `Last-Event-ID`, which resumes an event stream after the event it names.
fn last_event_id(schema: Value) -> Value {
    json!({ "name": "Last-Event-ID", "in": "header", "required": false, "schema": schema,
            "description": "The `id` of the last event read, to resume after it." })
}

fn add_path(paths: &mut Map<String, Value>, endpoint: Endpoint, schemas: &Schemas, registry: &mut Responses) {
    let method = endpoint.operation.method.as_str().to_ascii_lowercase();
    let item = paths.entry(endpoint.path.clone()).or_insert_with(|| json!({}));
    item[method] = endpoint.render(schemas, registry);
}

/// The parameters under `components.parameters`: every path parameter, the records API's
/// (`records::parameters`) and `dry_run`.
fn parameters(rules: &Rules) -> Map<String, Value> {
    let mut all = records::parameters(Target::Generic, rules);
    for operation in OPERATIONS {
        for name in template_parameters(operation.path) {
            if let Some((component, description, schema)) = path_parameter(name) {
                all.insert(
                    component.to_owned(),
                    json!({ "name": name, "in": "path", "required": true, "schema": schema, "description": description }),
                );
            }
        }
    }
    all.insert(
        "DryRun".to_owned(),
        json!({
            "name": "dry_run", "in": "query", "required": false, "schema": { "type": "boolean", "default": false },
            "description": "`true` plans the change against the current schema and returns the DDL it would run, \
                            without running or recording anything."
        }),
    );
    all
}

/// The document; `server_url` is where the API is served (e.g. `https://api.example.com`).
pub fn document(server_url: &str) -> Value {
    build(server_url, None)
}

/// The API of one base: the same document, plus each table's records as typed schemas and
/// concrete paths (`/v1/tables/customers/records`) that use them, so that a client
/// generator produces one typed client per table.
pub fn base_document(server_url: &str, catalog: &Catalog) -> Value {
    build(server_url, Some(catalog))
}

fn build(server_url: &str, catalog: Option<&Catalog>) -> Value {
    let rules = Rules::new();
    let mut schemas = Schemas::new();
    let mut registry = Responses::new();
    let mut endpoints = Vec::new();
    for operation in OPERATIONS {
        let mut endpoint = Endpoint::declared(operation, &mut schemas);
        match is_per_table(operation) {
            true => records::complete(&mut endpoint, Target::Generic),
            false => complete(&mut endpoint, &mut schemas),
        }
        endpoints.push(endpoint);
    }
    let mut paths = Map::new();
    for endpoint in endpoints {
        add_path(&mut paths, endpoint, &schemas, &mut registry);
    }
    let mut tags: Vec<Value> =
        Tag::ALL.iter().map(|tag| json!({ "name": tag.as_str(), "description": tag.description() })).collect();
    let mut parameters = parameters(&rules);
    let mut typed = Vec::new();
    for table in catalog.iter().flat_map(|catalog| &catalog.tables) {
        let target = Target::Table(table);
        parameters.extend(records::parameters(target, &rules));
        for operation in OPERATIONS.iter().filter(|operation| is_per_table(operation)) {
            let mut endpoint = Endpoint::declared(operation, &mut schemas);
            records::complete(&mut endpoint, target);
            typed.push(endpoint);
        }
        tags.push(json!({
            "name": target.tag(),
            "description": format!("Records of table `{}` (id `{}`), typed by its fields.", table.name, table.id.0)
        }));
    }
    for endpoint in typed {
        add_path(&mut paths, endpoint, &schemas, &mut registry);
    }
    let mut components = schemas.components(&rules);
    for table in catalog.iter().flat_map(|catalog| &catalog.tables) {
        records::table_schemas(table, &mut components);
    }
    let (title, version) = match catalog {
        None => ("NC LCDBaaS records API".to_owned(), "1".to_owned()),
        Some(catalog) => {
            (format!("NC LCDBaaS records API of base {}", catalog.base_id.0), format!("1+catalog.{}", catalog.version))
        }
    };
    json!({
        "openapi": "3.1.0",
        "info": { "title": title, "version": version, "description": prose::description(&rules) },
        "servers": [{ "url": server_url }],
        "security": [{ "bearer": [] }],
        "tags": tags,
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http", "scheme": "bearer", "bearerFormat": "nc_<id>_<secret>",
                    "description": "An API token of one base. Its scopes (`read`, `write`, `delete`) are listed in \
                                    each operation's security requirement."
                },
                "session": {
                    "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                    "description": "A signed-in user's access token from `/api/v1/auth/login` (15 minutes; refresh \
                                    it with `/api/v1/auth/refresh`). On the records API, name the base with \
                                    `X-Base-Id`; the user's role in its workspace gives the scopes."
                },
                "viewKey": {
                    "type": "http", "scheme": "bearer", "bearerFormat": "nv_<id>_<secret>",
                    "description": "A key of one published view (auth mode `view_key`), from `POST \
                                    /api/v1/bases/{baseId}/views/{view}/keys`."
                }
            },
            "headers": Header::components(),
            "responses": registry.components(),
            "parameters": parameters,
            "schemas": components
        }
    })
}
