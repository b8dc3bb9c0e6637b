//! The OpenAPI 3.1 description of the public API, served by the edge at
//! `GET /v1/openapi.json` and, for the token's base with one typed schema per table, at
//! `GET /v1/meta/openapi.json`.
//!
//! The document is built here rather than kept as a file so that it cannot drift from the
//! code: limits come from [`shared::query`] and [`shared::plan`], error codes and statuses
//! from [`ErrorCode`], field types from [`FieldType::ALL`], and which operators apply to
//! which type (and which types sort) is found by asking [`plan::compile_list`] itself.

use shared::api::{Caller, Operation, OperationId};
use shared::catalog::{Catalog, Field, FieldType, Table};
use shared::envelope::REPLAYED_HEADER;
use shared::error::ErrorCode;
use shared::ids::{FieldId, TableId};
use shared::plan::{self, MAX_BATCH_ITEMS, MAX_CONDITIONS, MAX_IN_VALUES, MAX_SORT_KEYS, MAX_WHERE_DEPTH};
use shared::query::{DEFAULT_LIMIT, Filter, FilterValue, MAX_LIMIT, MAX_WHERE_BYTES, Op, RecordsQuery, SortSpec};
use serde_json::{Map, Value, json};

mod manage;
mod views;

/// Columns every record has besides its fields; filters and sort keys may name them.
const SYSTEM_COLUMNS: [&str; 3] = ["id", "created_at", "updated_at"];

/// The edge's default body cap (`max_body_bytes`), for the prose; a deployment may change it,
/// and `details.max_bytes` of the 413 says which cap applied.
const DEFAULT_MAX_BODY_BYTES: usize = 5 * 1024 * 1024;


/// What a code means to a client. The edge passes origin answers through, so even the
/// protocol codes can reach a client of a misconfigured deployment; they are listed so that
/// generated clients can still decode such an answer.
fn meaning(code: ErrorCode) -> &'static str {
    use ErrorCode::*;
    match code {
        InvalidRequest => "The request is malformed: its body, a header, or the shape of its JSON.",
        InvalidQuery => "A query parameter is unknown, repeated or malformed, or names an unknown field.",
        PayloadTooLarge => "A page, a batch or the body is over its limit; `details` names the limit.",
        UnsupportedMediaType => "The body is not sent with `Content-Type: application/json`.",
        ValidationError => "A value does not fit its field; `details.errors` lists every problem found.",
        AuthRequired => "No `Authorization: Bearer <token>` header.",
        InvalidToken => "The token is malformed, unknown, revoked or expired, or its base no longer exists.",
        InsufficientScope => "The token lacks the scope the operation needs; `details.required` names it.",
        BaseMismatch => "`X-Base-Id` names another base than the token's.",
        InvalidCredentials => "Sign-in failed: wrong email or password (which one is not said).",
        Forbidden => "Your role in the workspace does not allow this; `details.required_role` says which does.",
        NotFound => "No such workspace, base, member or token visible to you.",
        EmailTaken => "An account with this email exists; sign in instead.",
        NameTaken => "The table or field name is taken, or is a former name still in its grace period.",
        SchemaConflict => {
            "The table's records prevent the schema change (duplicates for `unique`, empty values for `required`); \
             nothing was changed."
        }
        UnsafeTypeChange => "The type change could lose values; `message` describes the create-copy-swap path.",
        RouteNotFound => "No route matches the path.",
        MethodNotAllowed => "The path exists, but not with this method; `details.allowed` lists the methods.",
        TableNotFound => "No table with that id or name in the token's base.",
        RecordNotFound => "No record with that id in the table.",
        DuplicateRecord => "A record with that id already exists.",
        UniqueViolation => "A value is already taken in a unique field; `details.field` names it.",
        PreconditionFailed => {
            "`If-Match` names another version than the record's; `details.current_etag` has its ETag."
        }
        IdempotencyReplayed => {
            "The `X-Idempotency-Key` was used for a different request in the last 24 hours. \
             A faithful retry is not an error: it gets the original answer with `Idempotency-Replayed: true`."
        }
        InvalidSignature => "Edge-to-origin protocol; reaches clients only when a deployment is misconfigured.",
        PlanExpired => "Edge-to-origin protocol; reaches clients only when the edge's and origin's clocks disagree.",
        PlanReplayed => "Edge-to-origin protocol; not seen by clients of a healthy deployment.",
        CatalogStale => "The base's schema changed again while the edge retried with the new one; retry.",
        RateLimited => "Too many requests for the token (or user, or client address); wait as `Retry-After` says.",
        QuotaExceeded => {
            "The base used its monthly request quota (`X-Quota-Limit`); it resets at `X-Quota-Reset`. Ask the \
             workspace owner for a higher quota."
        }
        PlanLimit => {
            "Creating this would exceed a limit of the tenant's plan; `details.limit` names it (`bases_per_workspace`, \
             `tables_per_base`, `fields_per_table`, `views_per_base`, `catalog_bytes`), with `details.max`, \
             `details.current` and `details.plan`. Remove what is no longer needed or move to a larger plan; \
             soft-dropped tables and fields count until they are purged."
        }
        UriTooLong => "The URL is longer than the edge accepts (`details.max_bytes`); send filters in `where`.",
        HeadersTooLarge => "The request headers are larger than the edge accepts (`details.max_bytes`).",
        OriginTimeout => "The origin did not answer in time; retry after `Retry-After`.",
        Internal => "An unexpected failure; quote `request_id` when reporting it.",
        OriginUnavailable => "The origin could not be reached or answered out of protocol; retry after `Retry-After`.",
        ServiceUnavailable => "A database is unavailable, or the query took too long; retry shortly.",
    }
}

/// The JSON form of each field type, for the prose and for `FieldValue`. Exhaustive, so a
/// new type cannot be added without being documented.
fn json_form(field_type: FieldType) -> &'static str {
    match field_type {
        FieldType::Text => "string without NUL characters",
        FieldType::LongText => "string without NUL characters (for long, multi-line text)",
        FieldType::Number => {
            "JSON number of arbitrary precision, stored as `numeric`: never rounded, at most 200 characters \
             and exponent ±1000; parse it as a decimal where precision matters"
        }
        FieldType::Boolean => "`true` or `false`",
        FieldType::Date => "string `YYYY-MM-DD`",
        FieldType::Datetime => {
            "RFC 3339 string with an offset, up to microseconds (`2025-01-31T12:00:00Z`); returned in UTC"
        }
        FieldType::Email => "string email address, at most 254 characters",
        FieldType::Url => "string absolute `http` or `https` URL, at most 2,048 characters",
        FieldType::SingleSelect => "string, one of the field's options",
        FieldType::MultiSelect => "array of distinct options of the field; a filter value is one option",
        FieldType::Json => "any JSON value, stored as `jsonb` (object key order and duplicate keys are not kept)",
        FieldType::Uuid => "string UUID; returned in lowercase",
    }
}

/// What `filter`/`where` operators mean; exhaustive like [`json_form`].
fn operator_meaning(op: Op) -> String {
    match op {
        Op::Eq => "equals".to_owned(),
        Op::Ne => "differs from (a NULL differs from every value)".to_owned(),
        Op::Gt => "greater than".to_owned(),
        Op::Gte => "greater than or equal".to_owned(),
        Op::Lt => "less than".to_owned(),
        Op::Lte => "less than or equal".to_owned(),
        Op::In => format!(
            "equals one of 1 to {MAX_IN_VALUES} values: `a,b,c`, or a JSON array of strings for values with commas"
        ),
        Op::Between => "between two values, inclusive: `low,high`".to_owned(),
        Op::Contains => "text contains the value, ignoring case; a multi select holds the option".to_owned(),
        Op::StartsWith => "text starts with the value (case-sensitive)".to_owned(),
        Op::IsNull => "`true`: the value is empty (NULL); `false`: it is not".to_owned(),
    }
}

/// The query rules of one column type, as the compiler applies them.
#[derive(Clone, Debug)]
struct TypeRules {
    field_type: FieldType,
    operators: Vec<Op>,
    sortable: bool,
}

/// The rules of every field type, found by compiling one-condition and one-key queries
/// against a one-field table: the compiler answers `INVALID_QUERY` exactly when an operator
/// does not apply or a type cannot be sorted (a value of the wrong form is a 422 instead).
#[derive(Clone, Debug)]
struct Rules {
    types: Vec<TypeRules>,
    /// The system columns with their types.
    system: Vec<(&'static str, FieldType)>,
}

const PROBE: &str = "probe";

impl Rules {
    fn new() -> Rules {
        let types = FieldType::ALL.into_iter().map(probe).collect();
        let table = probe_table(FieldType::Text);
        let system = SYSTEM_COLUMNS
            .into_iter()
            .filter_map(|name| plan::resolve(&table, name).map(|info| (name, info.field_type)))
            .collect();
        Rules { types, system }
    }

    fn of(&self, field_type: FieldType) -> TypeRules {
        self.types.iter().find(|rules| rules.field_type == field_type).cloned().unwrap_or_else(|| probe(field_type))
    }

    /// Every column a query can name in `table` (system columns first) with its type.
    fn columns<'a>(&self, table: &'a Table) -> Vec<(&'a str, FieldType)> {
        let system = self.system.iter().map(|(name, field_type)| (*name, *field_type));
        system.chain(table.fields.iter().map(|field| (field.name.as_str(), field.field_type))).collect()
    }
}

fn probe_table(field_type: FieldType) -> Table {
    Table {
        id: TableId(uuid::Uuid::nil()),
        name: PROBE.to_owned(),
        fields: vec![Field {
            options: vec!["a".to_owned(), "b".to_owned()],
            ..Field::new(FieldId(uuid::Uuid::nil()), PROBE, field_type)
        }],
        aliases: Vec::new(),
    }
}

fn probe(field_type: FieldType) -> TypeRules {
    let table = probe_table(field_type);
    let refused = |query: RecordsQuery| matches!(plan::compile_list(&table, &query, &[]), Err(error) if error.code == ErrorCode::InvalidQuery);
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

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn parameter_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/parameters/{name}") })
}

fn header_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/headers/{name}") })
}

/// `idempotency-replayed` → `Idempotency-Replayed`, the usual spelling in documentation.
fn header_case(name: &str) -> String {
    name.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map(|first| first.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// Response headers by the name they are documented under in `components.headers`.
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
}

/// On every response: the request id and the caller's rate-limit state.
const EVERY_RESPONSE: [Header; 5] = [
    Header::RequestId,
    Header::RateLimitLimit,
    Header::RateLimitRemaining,
    Header::RateLimitReset,
    Header::RateLimitPolicy,
];

impl Header {
    fn name(self) -> String {
        match self {
            Header::RequestId => "X-Request-Id".to_owned(),
            Header::ETag => "ETag".to_owned(),
            Header::Replayed => header_case(REPLAYED_HEADER),
            Header::RetryAfter => "Retry-After".to_owned(),
            Header::RateLimitLimit => "RateLimit-Limit".to_owned(),
            Header::RateLimitRemaining => "RateLimit-Remaining".to_owned(),
            Header::RateLimitReset => "RateLimit-Reset".to_owned(),
            Header::RateLimitPolicy => "RateLimit-Policy".to_owned(),
            Header::QuotaLimit => "X-Quota-Limit".to_owned(),
            Header::QuotaUsed => "X-Quota-Used".to_owned(),
            Header::QuotaReset => "X-Quota-Reset".to_owned(),
        }
    }

    fn component(self) -> &'static str {
        match self {
            Header::RequestId => "RequestId",
            Header::ETag => "ETag",
            Header::Replayed => "IdempotencyReplayed",
            Header::RetryAfter => "RetryAfter",
            Header::RateLimitLimit => "RateLimitLimit",
            Header::RateLimitRemaining => "RateLimitRemaining",
            Header::RateLimitReset => "RateLimitReset",
            Header::RateLimitPolicy => "RateLimitPolicy",
            Header::QuotaLimit => "QuotaLimit",
            Header::QuotaUsed => "QuotaUsed",
            Header::QuotaReset => "QuotaReset",
        }
    }
}

/// A response; `X-Request-Id` and the rate-limit headers are on every one, so they are
/// always added.
fn response(description: &str, schema: Option<Value>, headers: &[Header]) -> Value {
    let mut all = Map::new();
    for header in EVERY_RESPONSE.iter().chain(headers) {
        all.insert(header.name(), header_ref(header.component()));
    }
    let mut response = json!({ "description": description, "headers": all });
    if let Some(schema) = schema {
        response["content"] = json!({ "application/json": { "schema": schema } });
    }
    response
}

/// An operation's name, path, summary and tag: as [`shared::api`] declares it, or a typed
/// copy's ([`Target::head`]).
struct Head {
    operation: &'static Operation,
    path: String,
    operation_id: String,
    summary: String,
    tag: String,
}

fn head(id: OperationId) -> Head {
    let operation = id.operation();
    Head {
        operation,
        path: operation.path.to_owned(),
        operation_id: operation.name.to_owned(),
        summary: operation.summary.to_owned(),
        tag: operation.tag.as_str().to_owned(),
    }
}

/// One operation, before rendering.
struct Endpoint {
    head: Head,
    description: String,
    parameters: Vec<Value>,
    body: Option<Value>,
    /// Successful (and not-modified) responses by status.
    responses: Vec<(u16, Value)>,
    /// The errors this operation can answer with, each with its cause here.
    errors: Vec<(ErrorCode, String)>,
}

impl Endpoint {
    fn render(self, registry: &mut Responses) -> Value {
        let mut responses = Map::new();
        for (status, value) in self.responses {
            responses.insert(status.to_string(), value);
        }
        for (status, value) in error_responses(&self.errors) {
            responses.insert(status.to_string(), registry.reference(self.head.operation.name, status, value));
        }
        responses.insert("default".to_owned(), response_ref(DEFAULT_RESPONSE));
        let (security, needs) = match self.head.operation.caller {
            Caller::Anyone | Caller::Anonymous => (json!([]), "No token needed.".to_owned()),
            Caller::Token(scope) => (
                json!([{ "bearer": [scope.as_str()] }, { "session": [] }]),
                format!(
                    "Needs an API token with the `{0}` scope, or a signed-in user's access token with `X-Base-Id` \
                     and a role that grants `{0}` (viewers read; editors and above also write and delete).",
                    scope.as_str()
                ),
            ),
            Caller::SignedIn | Caller::Member(_) => {
                (json!([{ "session": [] }]), "Needs a signed-in user's access token.".to_owned())
            }
            Caller::View => (
                json!([{}, { "viewKey": [] }, { "bearer": ["read"] }]),
                "As the view is published: `public` needs nothing, `view_key` a key of the view, `base_token` an API \
                 token of its base with `read`."
                    .to_owned(),
            ),
        };
        let mut operation = json!({
            "operationId": self.head.operation_id,
            "summary": self.head.summary,
            "description": format!("{}\n\n{needs}", self.description),
            "tags": [self.head.tag],
            "parameters": self.parameters,
            "responses": responses,
            "security": security,
        });
        if let Some(body) = self.body {
            operation["requestBody"] = body;
        }
        operation
    }
}

fn response_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/responses/{name}") })
}

const DEFAULT_RESPONSE: &str = "OtherError";

fn default_response() -> Value {
    response(
        "Any other error (`ROUTE_NOT_FOUND`, `METHOD_NOT_ALLOWED`, a protocol code, …), in the uniform error shape.",
        Some(schema_ref("Error")),
        &[],
    )
}

/// Error responses are kept once under `components.responses` and referred to: the ones
/// every authenticated operation shares (`Unauthorized`, …) by their status, the others as
/// `<operationId>.<status>` of the generic operation, which the typed per-table operations
/// reuse. A reference is used only when the operation's own response is identical, so a cause
/// added to one operation is never hidden behind another's response.
struct Responses {
    uniform: Vec<(u16, &'static str, Value)>,
    named: Map<String, Value>,
}

impl Responses {
    fn new() -> Responses {
        let names = |status| match status {
            401 => Some("Unauthorized"),
            403 => Some("Forbidden"),
            429 => Some("TooManyRequests"),
            500 => Some("InternalError"),
            502 => Some("BadGateway"),
            503 => Some("ServiceUnavailable"),
            _ => None,
        };
        let uniform = error_responses(&authenticated_errors())
            .into_iter()
            .filter_map(|(status, value)| names(status).map(|name| (status, name, value)))
            .collect();
        Responses { uniform, named: Map::new() }
    }

    /// A reference to `value`, registering it under `<kind>.<status>` when it is new.
    fn reference(&mut self, kind: &str, status: u16, value: Value) -> Value {
        if let Some((_, name, _)) =
            self.uniform.iter().find(|(shared, _, shared_value)| *shared == status && *shared_value == value)
        {
            return response_ref(name);
        }
        let name = format!("{kind}.{status}");
        match self.named.get(&name) {
            Some(registered) if *registered != value => value,
            Some(_) => response_ref(&name),
            None => {
                self.named.insert(name.clone(), value);
                response_ref(&name)
            }
        }
    }

    fn components(&self) -> Map<String, Value> {
        let mut all: Map<String, Value> =
            self.uniform.iter().map(|(_, name, value)| ((*name).to_owned(), value.clone())).collect();
        all.extend(self.named.iter().map(|(name, value)| (name.clone(), value.clone())));
        all.insert(DEFAULT_RESPONSE.to_owned(), default_response());
        all
    }
}

/// Error responses keyed by status; each lists its codes and why they occur here.
fn error_responses(errors: &[(ErrorCode, String)]) -> Vec<(u16, Value)> {
    let mut statuses: Vec<u16> = errors.iter().map(|(code, _)| code.status()).collect();
    statuses.sort_unstable();
    statuses.dedup();
    statuses
        .into_iter()
        .map(|status| {
            let mut codes: Vec<(ErrorCode, Vec<&str>)> = Vec::new();
            for (code, cause) in errors.iter().filter(|(code, _)| code.status() == status) {
                match codes.iter_mut().find(|(seen, _)| seen == code) {
                    Some((_, causes)) => causes.push(cause),
                    None => codes.push((*code, vec![cause])),
                }
            }
            let lines: Vec<String> =
                codes.iter().map(|(code, causes)| format!("- `{}`: {}", code.as_str(), causes.join(" "))).collect();
            let headers: &[Header] = match status {
                429 => &[Header::RetryAfter, Header::QuotaLimit, Header::QuotaUsed, Header::QuotaReset],
                503 | 504 => &[Header::RetryAfter],
                _ => &[],
            };
            (status, response(&lines.join("\n"), Some(schema_ref("Error")), headers))
        })
        .collect()
}

fn errors(list: &[(ErrorCode, &str)]) -> Vec<(ErrorCode, String)> {
    list.iter().map(|(code, cause)| (*code, (*cause).to_owned())).collect()
}

/// What the edge's guardrails can answer on any route.
fn guard_errors() -> Vec<(ErrorCode, String)> {
    use ErrorCode::*;
    errors(&[
        (RateLimited, meaning(RateLimited)),
        (UriTooLong, meaning(UriTooLong)),
        (HeadersTooLarge, meaning(HeadersTooLarge)),
        (Internal, meaning(Internal)),
        (OriginUnavailable, meaning(OriginUnavailable)),
        (OriginTimeout, meaning(OriginTimeout)),
        (ServiceUnavailable, meaning(ServiceUnavailable)),
    ])
}

/// The errors every authenticated route can answer with. (The scope an operation needs is
/// in its security requirement and description.)
fn authenticated_errors() -> Vec<(ErrorCode, String)> {
    use ErrorCode::*;
    let mut list = errors(&[
        (InvalidRequest, "`X-Base-Id` is not a UUID."),
        (AuthRequired, meaning(AuthRequired)),
        (InvalidToken, meaning(InvalidToken)),
        (BaseMismatch, meaning(BaseMismatch)),
        (InsufficientScope, meaning(InsufficientScope)),
        (QuotaExceeded, meaning(QuotaExceeded)),
    ]);
    list.extend(guard_errors());
    list.push((
        PayloadTooLarge,
        format!(
            "The body is over the deployment's cap (`details.max_bytes`; {} MiB unless configured otherwise).",
            DEFAULT_MAX_BODY_BYTES / (1024 * 1024)
        ),
    ));
    list
}

/// The errors of every records route, on top of the authenticated ones.
fn records_errors(specific: &[(ErrorCode, &str)]) -> Vec<(ErrorCode, String)> {
    use ErrorCode::*;
    let mut list = authenticated_errors();
    list.extend(errors(&[(TableNotFound, meaning(TableNotFound)), (CatalogStale, meaning(CatalogStale))]));
    list.extend(errors(specific));
    list
}

/// The records API an endpoint set describes: every table through `{tableId}`, or one table.
#[derive(Clone, Copy)]
enum Target<'a> {
    Generic,
    Table(&'a Table),
}

impl Target<'_> {
    /// A schema name: the generic one, or the table's typed one (`customers_Record`).
    fn schema(&self, generic: &str, typed: &str) -> String {
        match self {
            Target::Generic => generic.to_owned(),
            Target::Table(table) => format!("{}_{typed}", schema_prefix(table)),
        }
    }

    /// The operation as declared, or its typed copy for the table: the path names the
    /// table, the id and the tag are the table's, the summary says which table.
    fn head(&self, id: OperationId) -> Head {
        let generic = head(id);
        match self {
            Target::Generic => generic,
            Target::Table(table) => Head {
                path: generic.path.replace("{tableId}", &path_segment(table)),
                operation_id: format!("{}_{}", schema_prefix(table), generic.operation_id),
                summary: format!("{} of table `{}`", generic.summary, table.name),
                tag: format!("Table {}", table.name),
                ..generic
            },
        }
    }

    /// The path parameters before `records`, plus the optional `X-Base-Id`.
    fn base_parameters(&self) -> Vec<Value> {
        match self {
            Target::Generic => vec![parameter_ref("TableId"), parameter_ref("BaseId")],
            Target::Table(_) => vec![parameter_ref("BaseId")],
        }
    }

    fn table(&self) -> Option<&Table> {
        match self {
            Target::Generic => None,
            Target::Table(table) => Some(table),
        }
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
                        An unknown name is a 400 `INVALID_QUERY`."
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

/// The query parameters whose schema depends on the table, under their component names
/// (`Filter`, or `customers_Filter` for one table).
fn query_parameters(target: Target<'_>, rules: &Rules) -> Vec<(String, Value)> {
    let table = target.table();
    let mut all = vec![
        (target.schema("Sort", "Sort"), sort_parameter(table, rules)),
        (target.schema("Fields", "Fields"), fields_parameter(table)),
        (target.schema("Filter", "Filter"), filter_parameter(table, rules)),
    ];
    all.extend(unique_parameter(table).map(|parameter| (target.schema("Unique", "Unique"), parameter)));
    all
}

/// A required JSON request body of schema `schema`.
fn json_body(schema: String, description: &str) -> Value {
    json!({
        "required": true,
        "description": description,
        "content": { "application/json": { "schema": schema_ref(&schema) } }
    })
}

/// The operations on records, for every table (`{tableId}`) or for one.
fn records_endpoints(target: Target<'_>) -> Vec<Endpoint> {
    use ErrorCode::*;
    let table = target.table();
    let record = schema_ref(&target.schema("Record", "Record"));
    let with = |mut list: Vec<Value>, extra: &[&str]| {
        list.extend(extra.iter().map(|name| parameter_ref(name)));
        list
    };
    let base = target.base_parameters();
    let one = with(base.clone(), &["RecordId"]);
    let no_query = "The route takes no query parameters (400 `INVALID_QUERY`).";
    let body_shape = "The body is not a JSON object of the documented shape: bad JSON, an unknown or repeated key.";
    let idempotency = "`X-Idempotency-Key` is not 1 to 255 visible ASCII characters.";
    let replayed = meaning(IdempotencyReplayed);
    let field_errors = "A value does not fit its field, a required field is missing, or a field is unknown; \
                        `details.errors` lists every problem as `{field, code, message}`.";
    let written = [Header::Replayed];

    let (sort, fields, filter) =
        (target.schema("Sort", "Sort"), target.schema("Fields", "Fields"), target.schema("Filter", "Filter"));
    let list_parameters = with(base.clone(), &["Limit", "Cursor", &sort, &fields, "Where", &filter]);
    let delete_many_parameters =
        with(base.clone(), &["IdempotencyKey", "AllowFilteredDelete", "Ids", "IdsList", "Where", &filter]);
    let get_parameters = with(one.clone(), &["IfNoneMatch", &fields]);
    let mut upsert_parameters = with(base.clone(), &["IdempotencyKey"]);
    if unique_parameter(table).is_some() {
        upsert_parameters.push(parameter_ref(&target.schema("Unique", "Unique")));
    }

    vec![
        Endpoint {
            head: target.head(OperationId::ListRecords),
            description: format!(
                "A page of records, filtered by `filter` and `where`, ordered by `sort`. `has_more` says whether \
                 another page follows; pass its `next_cursor` as `cursor`, with the same filters and sort, to get \
                 it. Pages are keyset ranges: a record created meanwhile never shifts a page. Up to {MAX_LIMIT} \
                 records per page ({DEFAULT_LIMIT} by default)."
            ),
            parameters: list_parameters,
            body: None,
            responses: vec![(
                200,
                response("A page of records.", Some(schema_ref(&target.schema("RecordList", "RecordList"))), &[]),
            )],
            errors: records_errors(&[
                (
                    InvalidQuery,
                    "A parameter is unknown, repeated or malformed; a field is unknown, not sortable, or does \
                         not take the operator; too many conditions, sort keys or `in` values; `where` too deep or \
                         too long; the cursor is altered or belongs to another query; `ids[]` is given.",
                ),
                (PayloadTooLarge, "`limit` is over 1000; page with `cursor` instead."),
                (ValidationError, "A filter value does not parse for its field (e.g. `filter[amount][gt]=ten`)."),
            ]),
        },
        Endpoint {
            head: target.head(OperationId::CreateRecord),
            description: "Creates one record from `values`; every required field must be given. The id is generated \
                          unless the body names one. The response carries the record's `ETag`."
                .to_owned(),
            parameters: with(base.clone(), &["IdempotencyKey"]),
            body: Some(json_body(target.schema("RecordCreate", "Create"), "The new record's values.")),
            responses: vec![(
                201,
                response("The created record.", Some(record.clone()), &[Header::ETag, Header::Replayed]),
            )],
            errors: records_errors(&[
                (InvalidRequest, body_shape),
                (InvalidRequest, idempotency),
                (InvalidQuery, no_query),
                (UnsupportedMediaType, meaning(UnsupportedMediaType)),
                (ValidationError, field_errors),
                (DuplicateRecord, "The body's `id` is taken."),
                (UniqueViolation, meaning(UniqueViolation)),
                (IdempotencyReplayed, replayed),
            ]),
        },
        Endpoint {
            head: target.head(OperationId::DeleteRecords),
            description: format!(
                "Deletes the records named by `ids[]` (up to {MAX_BATCH_ITEMS}; ids that are not records of the \
                 table are skipped), or every record that matches `filter`/`where`. A filtered delete needs \
                 `X-Allow-Filtered-Delete: true`, so that a mistyped filter cannot empty a table by accident. \
                 `ids[]` and filters cannot be combined; `cursor`, `sort` and `fields` do not apply. For an \
                 all-or-nothing delete by ids, use `records:batchDelete`."
            ),
            parameters: delete_many_parameters,
            body: None,
            responses: vec![(
                200,
                response("How many records were deleted.", Some(schema_ref("DeleteManyResult")), &written),
            )],
            errors: records_errors(&[
                (
                    InvalidQuery,
                    "Neither `ids[]` nor a filter, or both; `cursor`, `sort` or `fields` given; a filter is \
                         malformed or names an unknown field or an operator its type does not take.",
                ),
                (InvalidRequest, "Filters without `X-Allow-Filtered-Delete: true`."),
                (InvalidRequest, idempotency),
                (PayloadTooLarge, "More than 1000 ids."),
                (ValidationError, "An id is not a UUID, or a filter value does not parse for its field."),
                (IdempotencyReplayed, replayed),
            ]),
        },
        Endpoint {
            head: target.head(OperationId::GetRecord),
            description: "One record, with its version as `ETag`. With `If-None-Match` naming the current ETag \
                          (or `*`), the answer is 304 without a body."
                .to_owned(),
            parameters: get_parameters,
            body: None,
            responses: vec![
                (200, response("The record.", Some(record.clone()), &[Header::ETag])),
                (304, response("The record still has the version `If-None-Match` names.", None, &[Header::ETag])),
            ],
            errors: records_errors(&[
                (InvalidQuery, "A parameter other than `fields`, or an unknown field in `fields`."),
                (RecordNotFound, "No record with this id (an id that is not a UUID cannot exist either)."),
            ]),
        },
        Endpoint {
            head: target.head(OperationId::UpdateRecord),
            description: "Changes the fields named in `values`; the others keep their values. With `If-Match`, only \
                          if the record still has that version. The response carries the new `ETag`."
                .to_owned(),
            parameters: with(one.clone(), &["IfMatch", "IdempotencyKey"]),
            body: Some(json_body(target.schema("RecordUpdate", "Update"), "The fields to change.")),
            responses: vec![(
                200,
                response("The updated record.", Some(record.clone()), &[Header::ETag, Header::Replayed]),
            )],
            errors: records_errors(&[
                (InvalidRequest, body_shape),
                (InvalidRequest, "`values` is empty, or the body names an `id` (ids cannot change)."),
                (InvalidRequest, "`If-Match` is not an ETag of this API (`\"3\"`) or `*`."),
                (InvalidRequest, idempotency),
                (InvalidQuery, no_query),
                (RecordNotFound, "No record with this id."),
                (UnsupportedMediaType, meaning(UnsupportedMediaType)),
                (ValidationError, field_errors),
                (UniqueViolation, meaning(UniqueViolation)),
                (IdempotencyReplayed, replayed),
                (PreconditionFailed, meaning(PreconditionFailed)),
            ]),
        },
        Endpoint {
            head: target.head(OperationId::DeleteRecord),
            description: "Deletes one record; with `If-Match`, only if it still has that version.".to_owned(),
            parameters: with(one, &["IfMatch", "IdempotencyKey"]),
            body: None,
            responses: vec![(200, response("The record is deleted.", Some(schema_ref("DeleteResult")), &written))],
            errors: records_errors(&[
                (InvalidRequest, "`If-Match` is not an ETag of this API (`\"3\"`) or `*`."),
                (InvalidRequest, idempotency),
                (InvalidQuery, no_query),
                (RecordNotFound, "No record with this id."),
                (IdempotencyReplayed, replayed),
                (PreconditionFailed, meaning(PreconditionFailed)),
            ]),
        },
        Endpoint {
            head: target.head(OperationId::BatchUpsertRecords),
            description: format!(
                "Inserts or updates each item in one transaction: one bad item fails the whole batch, and \
                 `details.errors` names each problem with its item `index`. Items are keyed by `unique` or by \
                 `id`. Every item must be complete (all required fields), since it may be an insert. \
                 At most {MAX_BATCH_ITEMS} items."
            ),
            parameters: upsert_parameters,
            body: Some(json_body(target.schema("BatchUpsertRequest", "BatchUpsert"), "The items to write.")),
            responses: vec![(200, response("What was written.", Some(schema_ref("BatchUpsertResult")), &written))],
            errors: records_errors(&[
                (InvalidRequest, body_shape),
                (InvalidRequest, "`items` is empty."),
                (InvalidRequest, idempotency),
                (InvalidQuery, "A parameter other than `unique`, or `unique` names an unknown or non-unique field."),
                (PayloadTooLarge, "More than 1000 items."),
                (UnsupportedMediaType, meaning(UnsupportedMediaType)),
                (
                    ValidationError,
                    "An item's value does not fit its field, a required field or the key is missing, two items \
                         have the same key or id, or two items match the same record; `details.errors` lists every \
                         problem as `{index, field, code, message}`.",
                ),
                (DuplicateRecord, "An inserted item's `id` is taken."),
                (UniqueViolation, "A value of another unique field than the key is taken."),
                (IdempotencyReplayed, replayed),
            ]),
        },
        Endpoint {
            head: target.head(OperationId::BatchDeleteRecords),
            description: "Deletes every listed record, or none of them: if any id is not a record of the table, \
                          nothing is deleted and the 404 lists the missing ids in `details.missing`."
                .to_owned(),
            parameters: with(base, &["IdempotencyKey"]),
            body: Some(json_body("BatchDeleteRequest".to_owned(), "The ids to delete.")),
            responses: vec![(
                200,
                response("How many records were deleted.", Some(schema_ref("DeleteManyResult")), &written),
            )],
            errors: records_errors(&[
                (InvalidRequest, body_shape),
                (InvalidRequest, "`ids` is empty."),
                (InvalidRequest, idempotency),
                (InvalidQuery, no_query),
                (PayloadTooLarge, "More than 1000 ids."),
                (UnsupportedMediaType, meaning(UnsupportedMediaType)),
                (ValidationError, "An id is not a UUID."),
                (RecordNotFound, "Some ids are not records of the table (`details.missing`); nothing was deleted."),
                (IdempotencyReplayed, replayed),
            ]),
        },
    ]
}

/// The document itself and the base's schema.
fn meta_endpoints() -> Vec<Endpoint> {
    use ErrorCode::*;
    let read = authenticated_errors();
    let mut table_errors = read.clone();
    table_errors.extend(errors(&[
        (TableNotFound, meaning(TableNotFound)),
        (InvalidQuery, "The `{tableId}` segment has a malformed percent-escape."),
    ]));
    let document = schema_ref("OpenApiDocument");
    vec![
        Endpoint {
            head: head(OperationId::GetOpenApi),
            description: "The API for every base, with `{tableId}` paths and untyped record values. The server URL is \
                          the one the request was sent to."
                .to_owned(),
            parameters: Vec::new(),
            body: None,
            responses: vec![(200, response("The OpenAPI 3.1 document.", Some(document.clone()), &[]))],
            errors: errors(&[(Internal, meaning(Internal))]),
        },
        Endpoint {
            head: head(OperationId::GetBaseOpenApi),
            description: "This document plus, for each table of the token's base, typed schemas \
                          (`<table>_Values`, `<table>_Record`, …) and concrete paths `/v1/tables/<table>/…` that \
                          use them, for generating typed clients."
                .to_owned(),
            parameters: vec![parameter_ref("BaseId")],
            body: None,
            responses: vec![(200, response("The base's OpenAPI 3.1 document.", Some(document), &[]))],
            errors: read.clone(),
        },
        Endpoint {
            head: head(OperationId::ListTables),
            description: "Every table with its typed fields, answered from the edge's copy of the base's schema \
                          (refreshed within a minute of a change)."
                .to_owned(),
            parameters: vec![parameter_ref("BaseId")],
            body: None,
            responses: vec![(200, response("The tables.", Some(schema_ref("TableList")), &[]))],
            errors: read,
        },
        Endpoint {
            head: head(OperationId::GetTable),
            description: "The table's fields with their types, requiredness, uniqueness and options.".to_owned(),
            parameters: vec![parameter_ref("TableId"), parameter_ref("BaseId")],
            body: None,
            responses: vec![(200, response("The table.", Some(schema_ref("Table")), &[]))],
            errors: table_errors,
        },
    ]
}

fn add_paths(paths: &mut Map<String, Value>, endpoints: Vec<Endpoint>, registry: &mut Responses) {
    for endpoint in endpoints {
        let method = endpoint.head.operation.method.as_str().to_ascii_lowercase();
        let item = paths.entry(endpoint.head.path.clone()).or_insert_with(|| json!({}));
        item[method] = endpoint.render(registry);
    }
}

/// A Markdown table of the field types: JSON form, operators, sortability and storage.
fn field_types_table(rules: &Rules) -> String {
    let mut lines = vec![
        "| type | JSON value | filter operators | sortable | stored as |".to_owned(),
        "| --- | --- | --- | --- | --- |".to_owned(),
    ];
    for field_type in FieldType::ALL {
        let type_rules = rules.of(field_type);
        let operators: Vec<String> = type_rules.operators.iter().map(|op| format!("`{}`", op.as_str())).collect();
        lines.push(format!(
            "| `{}` | {} | {} | {} | `{}` |",
            field_type.as_str(),
            json_form(field_type),
            operators.join(", "),
            if type_rules.sortable { "yes" } else { "no" },
            field_type.sql_type()
        ));
    }
    lines.join("\n")
}

fn operators_table() -> String {
    let mut lines = vec!["| op | meaning |".to_owned(), "| --- | --- |".to_owned()];
    lines.extend(Op::ALL.iter().map(|op| format!("| `{}` | {} |", op.as_str(), operator_meaning(*op))));
    lines.join("\n")
}

fn error_codes_table() -> String {
    let mut lines = vec!["| code | status | meaning |".to_owned(), "| --- | --- | --- |".to_owned()];
    lines.extend(
        ErrorCode::ALL.iter().map(|code| format!("| `{}` | {} | {} |", code.as_str(), code.status(), meaning(*code))),
    );
    lines.join("\n")
}

fn system_columns_text(rules: &Rules) -> String {
    let columns: Vec<String> =
        rules.system.iter().map(|(name, field_type)| format!("`{name}` ({})", field_type.as_str())).collect();
    columns.join(", ")
}

fn description(rules: &Rules) -> String {
    format!(
        r#"Create, read, update and delete the records of one base's tables, in JSON.

## Authentication
Every route except `GET /v1/openapi.json` needs an API token: `Authorization: Bearer nc_<id>_<secret>`. A token belongs to one base and holds scopes: `read` (lists, gets, meta), `write` (create, update, batch upsert) and `delete` (every delete); each operation names the scope it needs. `X-Base-Id` is optional; when sent, it must be the token's base (403 `BASE_MISMATCH`).

## Tables and records
`{{tableId}}` is a table's UUID or its name. `GET /v1/meta/tables` describes the tables and their fields; `GET /v1/meta/openapi.json` is this document for the token's base, with a typed schema and typed paths per table.

A record is `{{"id", "values", "created_at", "updated_at"}}` in every request and response: `values` maps field names to values, so field names never collide with the system columns {system}. Every field is in `values` (`null` when empty) unless `fields` narrows it.

### Field types
{types}

## Lists
`limit` ({DEFAULT_LIMIT} by default, at most {MAX_LIMIT}), `cursor` (the previous page's `next_cursor`, valid only with the same filters and sort), `sort`, `fields`, and two ways to filter, which combine with AND:
- `filter[field][op]=value`, e.g. `filter[status][eq]=active&filter[amount][between]=10,20`;
- `where`, a JSON tree of `{{"and": [...]}}`, `{{"or": [...]}}`, `{{"not": {{...}}}}` and `{{"field", "op", "value"}}` conditions, e.g. `where={{"or":[{{"field":"amount","op":"gt","value":100}},{{"not":{{"field":"status","op":"eq","value":"churned"}}}}]}}`, at most {MAX_WHERE_DEPTH} levels deep and {MAX_WHERE_BYTES} bytes once decoded.

At most {MAX_CONDITIONS} conditions in all, {MAX_IN_VALUES} values in one `in`, {MAX_SORT_KEYS} sort keys.

{operators}

## Writes
- **Idempotency.** Writes accept `X-Idempotency-Key` (1 to 255 visible ASCII characters, e.g. a UUID). A retry with the same key and the same request within 24 hours gets the stored answer, marked `Idempotency-Replayed: true`, and writes nothing again; the same key with another request is a 409 `IDEMPOTENCY_REPLAYED`. Only successful answers are stored: a failed write may be retried with its key.
- **Versions.** A single-record GET, create or update returns the record's version as `ETag: "<version>"`; every write increments it. `If-Match` on PATCH and DELETE applies the change only if the record still has that version (412 `PRECONDITION_FAILED` with `details.current_etag` otherwise); `If-None-Match` on GET answers 304 while it still has.
- **Batches.** `records:batchUpsert` and `records:batchDelete` take up to {MAX_BATCH_ITEMS} items and run in one transaction. Bodies are capped at {body_cap} MiB unless the deployment says otherwise (413).

## Errors
Every error is `{{"error": {{"code", "message", "details"}}, "request_id"}}`, with the status its code fixes. `request_id` equals the `X-Request-Id` header, which every response carries; quote it when reporting a problem. A validation error lists every problem in `details.errors` as `{{index?, field?, code, message}}`.

{codes}

## Browsers (CORS)
Browsers may call the API from the origins the deployment allows (its web app's origin unless configured otherwise). The edge answers preflight `OPTIONS` requests itself with 204, allowing the methods GET, POST, PATCH, DELETE and OPTIONS and the request headers `Authorization`, `Content-Type`, `X-Base-Id`, `X-Idempotency-Key`, `If-Match`, `If-None-Match` and `X-Allow-Filtered-Delete`, for 600 seconds. Responses to an allowed origin carry `Access-Control-Allow-Origin` and expose `ETag`, `X-Request-Id` and `Idempotency-Replayed`. Every response has `Vary: Origin` and `Cache-Control: no-store`."#,
        system = system_columns_text(rules),
        types = field_types_table(rules),
        operators = operators_table(),
        codes = error_codes_table(),
        body_cap = DEFAULT_MAX_BODY_BYTES / (1024 * 1024),
    )
}

fn parameters() -> Value {
    json!({
        "TableId": {
            "name": "tableId", "in": "path", "required": true, "schema": { "type": "string", "minLength": 1 },
            "description": "The table's UUID or name."
        },
        "RecordId": {
            "name": "id", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" },
            "description": "The record's id. An id that is not a UUID cannot exist: 404 `RECORD_NOT_FOUND`."
        },
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

fn headers() -> Value {
    json!({
        "RequestId": {
            "required": true, "schema": { "type": "string" },
            "description": "Identifies the request in logs; equals `request_id` in error bodies."
        },
        "ETag": {
            "schema": { "type": "string", "pattern": "^\"[0-9]+\"$" },
            "description": "The record's version, quoted (`\"3\"`); every write increments it. Send it back in \
                            `If-Match` or `If-None-Match`."
        },
        "IdempotencyReplayed": {
            "schema": { "type": "string", "enum": ["true"] },
            "description": "Present when the answer is the stored answer of an earlier request with the same \
                            `X-Idempotency-Key`; nothing was written again."
        },
        "RetryAfter": {
            "schema": { "type": "integer", "minimum": 0 },
            "description": "Seconds to wait before retrying."
        },
        "RateLimitLimit": {
            "schema": { "type": "integer", "minimum": 1 },
            "description": "Requests the caller may make per window: the token's limit (or its plan's, 600 per \
                            minute by default), a signed-in user's, or, without credentials, the client address's."
        },
        "RateLimitRemaining": {
            "schema": { "type": "integer", "minimum": 0 },
            "description": "Requests left in the current sliding window."
        },
        "RateLimitReset": {
            "schema": { "type": "integer", "minimum": 0 },
            "description": "Seconds until the oldest request counted in the window leaves it."
        },
        "RateLimitPolicy": {
            "schema": { "type": "string" },
            "description": "The limit as `<requests>;w=<window seconds>`, e.g. `600;w=60`."
        },
        "QuotaLimit": {
            "schema": { "type": "integer" },
            "description": "The base's monthly request quota (on answers to quota-limited requests)."
        },
        "QuotaUsed": {
            "schema": { "type": "integer" },
            "description": "Requests the base made this month, as the edge counts them."
        },
        "QuotaReset": {
            "schema": { "type": "integer" },
            "description": "Seconds until the quota resets (the start of the next month, UTC)."
        }
    })
}

/// The generic schemas: records with untyped values, bodies, results, meta and errors.
fn schemas(rules: &Rules) -> Map<String, Value> {
    let uuid = json!({ "type": "string", "format": "uuid" });
    let timestamp = json!({ "type": "string", "format": "date-time" });
    let scalar = json!({ "type": ["string", "number", "boolean"] });
    let type_lines: Vec<String> = FieldType::ALL
        .iter()
        .map(|field_type| format!("- `{}`: {}", field_type.as_str(), json_form(*field_type)))
        .collect();
    let codes: Vec<&str> = ErrorCode::ALL.iter().map(|code| code.as_str()).collect();
    let code_lines: Vec<String> = ErrorCode::ALL
        .iter()
        .map(|code| format!("- `{}` ({}): {}", code.as_str(), code.status(), meaning(*code)))
        .collect();
    let mut schemas = Map::new();
    let mut add = |name: &str, schema: Value| {
        schemas.insert(name.to_owned(), schema);
    };
    add(
        "OpenApiDocument",
        json!({ "type": "object", "required": ["openapi", "info", "paths"], "description": "An OpenAPI 3.1 document." }),
    );
    add(
        "FieldValue",
        json!({
            "description": format!("A field's value; its JSON form depends on the field's type:\n{}\n\n`null` empties an optional field.", type_lines.join("\n")),
            "anyOf": [
                { "type": "string" }, { "type": "number" }, { "type": "boolean" },
                { "type": "array", "items": {} }, { "type": "object" }, { "type": "null" }
            ]
        }),
    );
    add(
        "Values",
        json!({
            "type": "object", "additionalProperties": schema_ref("FieldValue"),
            "description": "Field name → value. In a create or an upsert item, every required field must be given; \
                            a name that is not a field of the table is a 422."
        }),
    );
    add(
        "Record",
        json!({
            "type": "object", "required": ["id", "values", "created_at", "updated_at"], "additionalProperties": false,
            "properties": {
                "id": uuid, "values": schema_ref("Values"), "created_at": timestamp, "updated_at": timestamp
            }
        }),
    );
    add("RecordList", record_list("Record"));
    add("RecordCreate", record_create("Values"));
    add("RecordUpdate", record_update("Values"));
    add("BatchUpsertRequest", batch_upsert("RecordCreate"));
    add(
        "BatchUpsertResult",
        json!({
            "type": "object", "required": ["upserted", "ids", "job_id"], "additionalProperties": false,
            "properties": {
                "upserted": { "type": "integer", "minimum": 0, "description": "Records inserted or updated." },
                "ids": { "type": "array", "items": uuid, "description": "Each item's record id, in item order." },
                "job_id": { "type": "null", "description": "Reserved for asynchronous bulk jobs; always null." }
            }
        }),
    );
    add(
        "BatchDeleteRequest",
        json!({
            "type": "object", "required": ["ids"], "additionalProperties": false,
            "properties": {
                "ids": {
                    "type": "array", "items": uuid, "minItems": 1, "maxItems": MAX_BATCH_ITEMS,
                    "description": format!("1 to {MAX_BATCH_ITEMS} record ids (more is a 413; a non-UUID a 422).")
                }
            }
        }),
    );
    add(
        "DeleteResult",
        json!({
            "type": "object", "required": ["id", "deleted"], "additionalProperties": false,
            "properties": { "id": uuid, "deleted": { "const": true } }
        }),
    );
    add(
        "DeleteManyResult",
        json!({
            "type": "object", "required": ["deleted"], "additionalProperties": false,
            "properties": { "deleted": { "type": "integer", "minimum": 0 } }
        }),
    );
    add(
        "Operator",
        json!({
            "type": "string", "enum": Op::ALL.iter().map(|op| op.as_str()).collect::<Vec<_>>(),
            "description": format!("Which types take which operator:\n\n{}", field_types_table(rules))
        }),
    );
    add(
        "Where",
        json!({
            "description": format!(
                "A condition tree: `and` and `or` of non-empty lists, `not`, and conditions; at most \
                 {MAX_WHERE_DEPTH} levels deep."
            ),
            "oneOf": [
                { "type": "object", "required": ["and"], "additionalProperties": false,
                  "properties": { "and": { "type": "array", "minItems": 1, "items": schema_ref("Where") } } },
                { "type": "object", "required": ["or"], "additionalProperties": false,
                  "properties": { "or": { "type": "array", "minItems": 1, "items": schema_ref("Where") } } },
                { "type": "object", "required": ["not"], "additionalProperties": false,
                  "properties": { "not": schema_ref("Where") } },
                schema_ref("Condition")
            ]
        }),
    );
    add(
        "Condition",
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
        }),
    );
    add(
        "FieldType",
        json!({ "type": "string", "enum": FieldType::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>() }),
    );
    add(
        "FieldInfo",
        json!({
            "type": "object", "required": ["id", "name", "type", "required", "unique", "options"],
            "additionalProperties": false,
            "properties": {
                "id": uuid, "name": { "type": "string" }, "type": schema_ref("FieldType"),
                "required": { "type": "boolean" }, "unique": { "type": "boolean" },
                "options": {
                    "type": ["array", "null"], "items": { "type": "string" },
                    "description": "The choices of a single or multi select, in display order; null for other types."
                },
                "default": {
                    "description": "The value a new record gets when it leaves the field out (the field's JSON \
                                    form), or null."
                },
                "former_names": {
                    "type": "array", "items": { "type": "string" },
                    "description": "Names the field had before a rename, which still work in requests during the \
                                    grace period."
                }
            }
        }),
    );
    add(
        "Table",
        json!({
            "type": "object",
            "required": ["id", "name", "primary_key", "system_fields", "fields", "uniques"],
            "additionalProperties": false,
            "properties": {
                "id": uuid, "name": { "type": "string" },
                "primary_key": { "const": "id" },
                "system_fields": { "type": "array", "items": { "type": "string", "enum": SYSTEM_COLUMNS } },
                "fields": { "type": "array", "items": schema_ref("FieldInfo") },
                "uniques": { "type": "array", "items": { "type": "string" }, "description": "The unique fields' names." },
                "former_names": {
                    "type": "array", "items": { "type": "string" },
                    "description": "Names the table had before a rename, which still work in paths during the grace \
                                    period."
                }
            }
        }),
    );
    add(
        "TableList",
        json!({
            "type": "object", "required": ["data"], "additionalProperties": false,
            "properties": { "data": { "type": "array", "items": schema_ref("Table") } }
        }),
    );
    add("ErrorCode", json!({ "type": "string", "enum": codes, "description": code_lines.join("\n") }));
    add(
        "FieldError",
        json!({
            "type": "object", "required": ["code", "message"],
            "properties": {
                "index": { "type": "integer", "minimum": 0, "description": "The batch item, for batch requests." },
                "field": { "type": "string" },
                "code": {
                    "type": "string",
                    "description": "Why: `invalid_type`, `invalid_option`, `duplicate_option`, `required`, \
                                    `unknown_field`, `duplicate_key`, or `invalid`."
                },
                "message": { "type": "string" }
            }
        }),
    );
    add(
        "ErrorDetails",
        json!({
            "type": "object",
            "description": "Structured facts about the error; which keys appear depends on the code.",
            "additionalProperties": true,
            "properties": {
                "errors": { "type": "array", "items": schema_ref("FieldError"),
                            "description": "Every problem of a `VALIDATION_ERROR`." },
                "field": { "type": "string", "description": "The field concerned (the first one, with `errors`)." },
                "type": { "type": "string", "description": "The field's type." },
                "reason": { "type": "string", "description": "As `errors[].code`." },
                "index": { "type": "integer", "description": "The batch item concerned." },
                "parameter": { "type": "string", "description": "The query parameter concerned." },
                "header": { "type": "string", "description": "The header concerned." },
                "operator": { "type": "string" },
                "path": { "type": "string", "description": "The URL path, or where in `where` the problem is." },
                "options": { "type": "array", "items": { "type": "string" } },
                "required": { "type": "string", "description": "The scope the operation needs." },
                "allowed": { "type": "string", "description": "The methods the path allows." },
                "max": { "type": "integer" },
                "max_bytes": { "type": "integer" },
                "max_depth": { "type": "integer" },
                "max_items": { "type": "integer" },
                "id": { "type": "string" },
                "missing": { "type": "array", "items": { "type": "string" },
                             "description": "Ids of a batch delete that are not records of the table." },
                "table": { "type": "string" },
                "current_etag": { "type": "string", "description": "The record's current ETag, on a 412." },
                "current_version": { "type": "integer" }
            }
        }),
    );
    add(
        "Error",
        json!({
            "type": "object", "required": ["error", "request_id"],
            "properties": {
                "error": {
                    "type": "object", "required": ["code", "message", "details"],
                    "properties": {
                        "code": schema_ref("ErrorCode"),
                        "message": { "type": "string", "description": "For people; may change." },
                        "details": schema_ref("ErrorDetails")
                    }
                },
                "request_id": { "type": ["string", "null"], "description": "Equals the `X-Request-Id` header." }
            }
        }),
    );
    schemas
}

fn record_list(record: &str) -> Value {
    json!({
        "type": "object", "required": ["data", "next_cursor", "has_more"], "additionalProperties": false,
        "properties": {
            "data": { "type": "array", "items": schema_ref(record) },
            "next_cursor": { "type": ["string", "null"], "description": "Pass as `cursor` for the next page; null on the last." },
            "has_more": { "type": "boolean" }
        }
    })
}

fn record_create(values: &str) -> Value {
    json!({
        "type": "object", "required": ["values"], "additionalProperties": false,
        "properties": {
            "id": { "type": ["string", "null"], "format": "uuid",
                    "description": "Optional client-chosen id (409 `DUPLICATE_RECORD` if taken); generated when \
                                    left out or `null`. In an upsert without `unique`, the record to update." },
            "values": schema_ref(values)
        }
    })
}

fn record_update(values: &str) -> Value {
    json!({
        "type": "object", "required": ["values"], "additionalProperties": false,
        "properties": {
            "values": {
                "type": "object", "allOf": [schema_ref(values)], "minProperties": 1,
                "description": "The fields to change, at least one; the others keep their values."
            }
        }
    })
}

fn batch_upsert(item: &str) -> Value {
    json!({
        "type": "object", "required": ["items"], "additionalProperties": false,
        "properties": {
            "items": {
                "type": "array", "minItems": 1, "maxItems": MAX_BATCH_ITEMS, "items": schema_ref(item),
                "description": format!("1 to {MAX_BATCH_ITEMS} items (more is a 413).")
            }
        }
    })
}

/// The document; `server_url` is where the API is served (e.g. `https://api.example.com`).
pub fn document(server_url: &str) -> Value {
    build(server_url, &Rules::new(), &mut Responses::new())
}

fn build(server_url: &str, rules: &Rules, registry: &mut Responses) -> Value {
    let mut paths = Map::new();
    add_paths(&mut paths, meta_endpoints(), registry);
    add_paths(&mut paths, records_endpoints(Target::Generic), registry);
    add_paths(&mut paths, manage::endpoints(), registry);
    add_paths(&mut paths, views::endpoints(), registry);
    let mut parameters = parameters();
    let extra =
        query_parameters(Target::Generic, rules).into_iter().chain(manage::parameters()).chain(views::parameters());
    for (name, parameter) in extra {
        parameters[name.as_str()] = parameter;
    }
    let mut schemas = schemas(rules);
    schemas.extend(manage::schemas());
    schemas.extend(views::schemas());
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "NC LCDBaaS records API",
            "version": "1",
            "description": description(rules)
        },
        "servers": [{ "url": server_url }],
        "security": [{ "bearer": [] }],
        "tags": [
            { "name": "Records", "description": "Records of any table of the token's base, named by `{tableId}`." },
            { "name": "Meta", "description": "The API description and the base's schema." },
            { "name": "Accounts", "description": "Sign-up, sessions (access and refresh tokens), the current user." },
            { "name": "Workspaces", "description": "Workspaces and their members' roles (owner, admin, editor, viewer)." },
            { "name": "Bases", "description": "Bases: one Postgres schema each." },
            { "name": "API tokens", "description": "Tokens of one base with scopes; secrets are shown once." },
            { "name": "Schema", "description": "Tables and fields without SQL: every change serialized per base, \
                                               recorded, and visible to the records API at once." },
            { "name": "Views", "description": "Saved queries of one table, versioned, published as read-only \
                                              endpoints the edge caches until the data changes." }
        ],
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
            "headers": headers(),
            "responses": registry.components(),
            "parameters": parameters,
            "schemas": schemas
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
        FieldType::Uuid => (json!({ "format": "uuid" }), Some("string")),
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
    schema["description"] = Value::from(format!("`{}`: {}.", field.field_type.as_str(), json_form(field.field_type)));
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

/// `<prefix>_Values` and its siblings for one table.
fn table_schemas(table: &Table, schemas: &mut Map<String, Value>) {
    let prefix = schema_prefix(table);
    let name = |suffix: &str| format!("{prefix}_{suffix}");
    let properties = |nullable: &dyn Fn(&Field) -> bool| -> Map<String, Value> {
        table.fields.iter().map(|field| (field.name.clone(), field_schema(field, nullable(field)))).collect()
    };
    let required: Vec<&str> =
        table.fields.iter().filter(|field| field.required).map(|field| field.name.as_str()).collect();
    schemas.insert(
        name("Values"),
        json!({
            "type": "object", "properties": properties(&|field| !field.required), "required": required,
            "additionalProperties": false,
            "description": format!("The values of a complete record of `{}`: every required field is given.", table.name)
        }),
    );
    schemas.insert(
        name("RecordValues"),
        json!({
            "type": "object", "properties": properties(&|field| !field.required), "additionalProperties": false,
            "description": format!(
                "The values of a record of `{}` as returned: every field, `null` when empty, unless `fields` \
                 narrowed the projection.", table.name
            )
        }),
    );
    schemas.insert(
        name("Patch"),
        json!({
            "type": "object", "properties": properties(&|field| !field.required), "additionalProperties": false,
            "description": format!("Some fields of `{}`; required fields cannot be set to null.", table.name)
        }),
    );
    let uuid = json!({ "type": "string", "format": "uuid" });
    let timestamp = json!({ "type": "string", "format": "date-time" });
    schemas.insert(
        name("Record"),
        json!({
            "type": "object", "required": ["id", "values", "created_at", "updated_at"], "additionalProperties": false,
            "properties": {
                "id": uuid, "values": schema_ref(&name("RecordValues")), "created_at": timestamp, "updated_at": timestamp
            }
        }),
    );
    schemas.insert(name("RecordList"), record_list(&name("Record")));
    schemas.insert(name("Create"), record_create(&name("Values")));
    schemas.insert(name("Update"), record_update(&name("Patch")));
    schemas.insert(name("BatchUpsert"), batch_upsert(&name("Create")));
}

/// The API of one base: the same document, plus each table's records as typed schemas and
/// concrete paths (`/v1/tables/customers/records`) that use them, so that a client
/// generator produces one typed client per table.
pub fn base_document(server_url: &str, catalog: &Catalog) -> Value {
    let rules = Rules::new();
    let mut registry = Responses::new();
    let mut document = build(server_url, &rules, &mut registry);
    document["info"]["title"] = Value::from(format!("NC LCDBaaS records API of base {}", catalog.base_id.0));
    document["info"]["version"] = Value::from(format!("1+catalog.{}", catalog.version));
    let mut paths = match document["paths"].take() {
        Value::Object(paths) => paths,
        _ => Map::new(),
    };
    let mut schemas = match document["components"]["schemas"].take() {
        Value::Object(schemas) => schemas,
        _ => Map::new(),
    };
    let mut tags = match document["tags"].take() {
        Value::Array(tags) => tags,
        _ => Vec::new(),
    };
    for table in &catalog.tables {
        table_schemas(table, &mut schemas);
        for (name, parameter) in query_parameters(Target::Table(table), &rules) {
            document["components"]["parameters"][name.as_str()] = parameter;
        }
        add_paths(&mut paths, records_endpoints(Target::Table(table)), &mut registry);
        tags.push(json!({
            "name": Target::Table(table).head(OperationId::ListRecords).tag,
            "description": format!("Records of table `{}` (id `{}`), typed by its fields.", table.name, table.id.0)
        }));
    }
    document["paths"] = Value::Object(paths);
    document["components"]["responses"] = Value::Object(registry.components());
    document["components"]["schemas"] = Value::Object(schemas);
    document["tags"] = Value::Array(tags);
    document
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::ids::BaseId;
    use expect_test::expect;
    use uuid::Uuid;

    /// Every declared operation as the document names it: path, method, operationId.
    fn declared() -> impl Iterator<Item = (&'static str, String, &'static str)> {
        shared::api::OPERATIONS
            .iter()
            .map(|operation| (operation.path, operation.method.as_str().to_ascii_lowercase(), operation.name))
    }

    fn field(n: u128, name: &str, field_type: FieldType, required: bool, options: &[&str]) -> Field {
        Field {
            required,
            unique: name == "email",
            options: options.iter().map(|option| (*option).to_owned()).collect(),
            ..Field::new(FieldId(Uuid::from_u128(n)), name, field_type)
        }
    }

    fn catalog() -> Catalog {
        let statuses = ["active", "churned", "trial", "paused"];
        Catalog {
            base_id: BaseId(Uuid::from_u128(1)),
            version: 7,
            tables: vec![
                Table {
                    id: TableId(Uuid::from_u128(2)),
                    name: "customers".to_owned(),
                    fields: vec![
                        field(10, "name", FieldType::Text, true, &[]),
                        field(11, "email", FieldType::Email, false, &[]),
                        field(12, "amount", FieldType::Number, false, &[]),
                        field(13, "status", FieldType::SingleSelect, false, &statuses),
                        field(14, "tier", FieldType::SingleSelect, true, &["gold", "silver"]),
                    ],
                    aliases: Vec::new(),
                },
                Table {
                    id: TableId(Uuid::from_u128(3)),
                    name: "specimens".to_owned(),
                    fields: FieldType::ALL
                        .iter()
                        .enumerate()
                        .map(|(i, field_type)| {
                            field(20 + i as u128, field_type.as_str(), *field_type, false, &["red", "green"])
                        })
                        .collect(),
                    aliases: Vec::new(),
                },
                Table {
                    id: TableId(Uuid::from_u128(4)),
                    name: "notes".to_owned(),
                    fields: vec![field(40, "body", FieldType::LongText, false, &[])],
                    aliases: Vec::new(),
                },
            ],
        }
    }

    /// Follows a local `$ref` (`#/components/...`).
    fn resolve<'a>(document: &'a Value, reference: &str) -> Option<&'a Value> {
        document.pointer(reference.strip_prefix('#')?)
    }

    /// The value itself, or what its `$ref` names.
    fn follow<'a>(document: &'a Value, value: &'a Value) -> &'a Value {
        match value["$ref"].as_str() {
            Some(reference) => resolve(document, reference).expect("ref resolves"),
            None => value,
        }
    }

    fn walk<'a>(value: &'a Value, found: &mut Vec<&'a Value>) {
        found.push(value);
        match value {
            Value::Object(map) => map.values().for_each(|child| walk(child, found)),
            Value::Array(items) => items.iter().for_each(|child| walk(child, found)),
            _ => {}
        }
    }

    fn operations(document: &Value) -> Vec<(String, String, &Value)> {
        let mut all = Vec::new();
        for (path, item) in document["paths"].as_object().expect("paths") {
            for (method, operation) in item.as_object().expect("path item") {
                all.push((path.clone(), method.clone(), operation));
            }
        }
        all
    }

    /// Checks that hold for both documents: refs resolve, path parameters are declared,
    /// operation ids are unique, component names are well-formed.
    fn check_structure(document: &Value) {
        let mut nodes = Vec::new();
        walk(document, &mut nodes);
        for node in nodes {
            if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
                assert!(resolve(document, reference).is_some(), "{reference} resolves");
            }
        }
        let mut ids = Vec::new();
        for (path, method, operation) in operations(document) {
            let id = operation["operationId"].as_str().expect("operationId");
            assert!(!ids.contains(&id), "operationId {id} is unique");
            ids.push(id);
            let parameters: Vec<&Value> = operation["parameters"]
                .as_array()
                .expect("parameters")
                .iter()
                .map(|parameter| match parameter["$ref"].as_str() {
                    Some(reference) => resolve(document, reference).expect("parameter ref"),
                    None => parameter,
                })
                .collect();
            let templated: Vec<&str> =
                path.split('{').skip(1).filter_map(|rest| rest.split_once('}')).map(|(name, _)| name).collect();
            for name in &templated {
                assert!(
                    parameters.iter().any(|p| p["in"] == "path" && p["name"] == *name && p["required"] == true),
                    "{method} {path} declares {name}"
                );
            }
            for parameter in parameters.iter().filter(|p| p["in"] == "path") {
                assert!(templated.iter().any(|name| parameter["name"] == *name), "{method} {path}: {parameter}");
            }
            let mut seen = Vec::new();
            for parameter in &parameters {
                let key = (parameter["in"].to_string(), parameter["name"].to_string());
                assert!(!seen.contains(&key), "{method} {path} repeats {key:?}");
                seen.push(key);
            }
            for (status, response) in operation["responses"].as_object().expect("responses") {
                let response = follow(document, response);
                assert!(response["headers"]["X-Request-Id"].is_object(), "{method} {path} {status} has X-Request-Id");
            }
        }
        for kind in ["schemas", "parameters", "headers", "securitySchemes"] {
            for name in document["components"][kind].as_object().expect("components").keys() {
                assert!(
                    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)),
                    "component name {name}"
                );
            }
        }
    }

    #[test]
    fn every_route_is_documented() {
        let document = document("http://127.0.0.1:8787");
        assert_eq!(document["openapi"], "3.1.0");
        assert_eq!(document["servers"][0]["url"], "http://127.0.0.1:8787");
        for (path, method, id) in declared() {
            assert_eq!(document["paths"][path][method.as_str()]["operationId"], id, "{method} {path}");
        }
        assert_eq!(operations(&document).len(), shared::api::OPERATIONS.len(), "no undocumented extras");
        check_structure(&document);
        assert_eq!(document["paths"]["/v1/openapi.json"]["get"]["security"], json!([]));
        assert_eq!(
            document["paths"]["/v1/tables/{tableId}/records"]["delete"]["security"],
            json!([{ "bearer": ["delete"] }, { "session": [] }])
        );
        assert_eq!(document["paths"]["/api/v1/bases/{baseId}/tables"]["post"]["security"], json!([{ "session": [] }]));
        let add_field = &document["paths"]["/api/v1/bases/{baseId}/tables/{table}/fields"]["post"];
        assert!(add_field["description"].as_str().is_some_and(|d| d.contains("`admin` role")), "the role it needs");
    }

    #[test]
    fn every_error_code_is_in_the_enum_and_in_some_response() {
        let document = document("http://x");
        let documented = document["components"]["schemas"]["ErrorCode"]["enum"].as_array().expect("enum").clone();
        assert_eq!(documented.len(), ErrorCode::ALL.len(), "no code twice");
        let mut responses = String::new();
        for (_, _, operation) in operations(&document) {
            for response in operation["responses"].as_object().expect("responses").values() {
                responses.push_str(follow(&document, response)["description"].as_str().unwrap_or_default());
            }
        }
        let protocol = [
            ErrorCode::RouteNotFound,
            ErrorCode::MethodNotAllowed,
            ErrorCode::InvalidSignature,
            ErrorCode::PlanExpired,
            ErrorCode::PlanReplayed,
        ];
        for code in ErrorCode::ALL {
            assert!(documented.contains(&Value::from(code.as_str())), "{code:?} is in the enum");
            assert!(
                protocol.contains(&code) || responses.contains(&format!("`{}`", code.as_str())),
                "{code:?} is in some operation's responses"
            );
        }
        let error = &document["components"]["schemas"]["Error"]["properties"]["error"];
        assert_eq!(error["required"], json!(["code", "message", "details"]));
        let field_error = &document["components"]["schemas"]["FieldError"]["properties"];
        for key in ["index", "field", "code", "message"] {
            assert!(field_error[key].is_object(), "errors[].{key}");
        }
    }

    #[test]
    fn statuses_headers_and_limits() {
        let document = document("http://x");
        let paths = &document["paths"];
        let get = &paths["/v1/tables/{tableId}/records/{id}"]["get"]["responses"];
        assert!(get["304"].is_object() && get["200"]["headers"]["ETag"].is_object());
        let says = |response: &Value, code: &str| {
            follow(&document, response)["description"].as_str().is_some_and(|text| text.contains(code))
        };
        assert!(says(&get["404"], "RECORD_NOT_FOUND"));
        for method in ["patch", "delete"] {
            let responses = &paths["/v1/tables/{tableId}/records/{id}"][method]["responses"];
            assert!(says(&responses["412"], "PRECONDITION_FAILED"));
        }
        let create = &paths["/v1/tables/{tableId}/records"]["post"]["responses"];
        let conflicts = follow(&document, &create["409"])["description"].as_str().expect("409");
        for code in ["DUPLICATE_RECORD", "UNIQUE_VIOLATION", "IDEMPOTENCY_REPLAYED"] {
            assert!(conflicts.contains(code), "{code}");
        }
        assert!(create["201"]["headers"]["Idempotency-Replayed"].is_object());
        assert!(create["415"].is_object() && create["422"].is_object());
        assert!(follow(&document, &create["429"])["headers"]["Retry-After"].is_object());
        assert_eq!(create["401"]["$ref"], "#/components/responses/Unauthorized", "uniform responses are shared");
        assert_eq!(create["400"]["$ref"], "#/components/responses/createRecord.400");
        let upsert = &paths["/v1/tables/{tableId}/records:batchUpsert"]["post"];
        assert!(says(&upsert["responses"]["413"], "1000 items"));
        assert_eq!(
            upsert["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/BatchUpsertRequest"
        );
        let parameters = &document["components"]["parameters"];
        assert_eq!(parameters["Limit"]["schema"]["maximum"], MAX_LIMIT);
        assert_eq!(parameters["Limit"]["schema"]["default"], DEFAULT_LIMIT);
        assert_eq!(parameters["Filter"]["style"], "deepObject");
        assert_eq!(parameters["Sort"]["schema"]["maxItems"], MAX_SORT_KEYS);
        assert_eq!(
            document["components"]["schemas"]["BatchDeleteRequest"]["properties"]["ids"]["maxItems"],
            MAX_BATCH_ITEMS
        );
        let delete_many: Vec<String> = paths["/v1/tables/{tableId}/records"]["delete"]["parameters"]
            .as_array()
            .expect("parameters")
            .iter()
            .map(|parameter| parameter.to_string())
            .collect();
        for name in ["Ids", "AllowFilteredDelete", "IdempotencyKey", "Where"] {
            assert!(delete_many.iter().any(|p| p.contains(&format!("/{name}\""))), "{name}");
        }
    }

    /// The operator and sort rules are read off the compiler; this pins what it says today.
    #[test]
    fn field_types_follow_the_compiler() {
        expect![[r#"
            | type | JSON value | filter operators | sortable | stored as |
            | --- | --- | --- | --- | --- |
            | `text` | string without NUL characters | `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `in`, `between`, `contains`, `starts_with`, `is_null` | yes | `text` |
            | `long_text` | string without NUL characters (for long, multi-line text) | `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `in`, `between`, `contains`, `starts_with`, `is_null` | yes | `text` |
            | `number` | JSON number of arbitrary precision, stored as `numeric`: never rounded, at most 200 characters and exponent ±1000; parse it as a decimal where precision matters | `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `in`, `between`, `is_null` | yes | `numeric` |
            | `boolean` | `true` or `false` | `eq`, `ne`, `in`, `is_null` | yes | `boolean` |
            | `date` | string `YYYY-MM-DD` | `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `in`, `between`, `is_null` | yes | `date` |
            | `datetime` | RFC 3339 string with an offset, up to microseconds (`2025-01-31T12:00:00Z`); returned in UTC | `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `in`, `between`, `is_null` | yes | `timestamptz` |
            | `email` | string email address, at most 254 characters | `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `in`, `between`, `contains`, `starts_with`, `is_null` | yes | `text` |
            | `url` | string absolute `http` or `https` URL, at most 2,048 characters | `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `in`, `between`, `contains`, `starts_with`, `is_null` | yes | `text` |
            | `single_select` | string, one of the field's options | `eq`, `ne`, `in`, `is_null` | yes | `text` |
            | `multi_select` | array of distinct options of the field; a filter value is one option | `contains`, `is_null` | no | `jsonb` |
            | `json` | any JSON value, stored as `jsonb` (object key order and duplicate keys are not kept) | `is_null` | no | `jsonb` |
            | `uuid` | string UUID; returned in lowercase | `eq`, `ne`, `in`, `is_null` | yes | `uuid` |"#]]
        .assert_eq(&field_types_table(&Rules::new()));
        assert_eq!(system_columns_text(&Rules::new()), "`id` (uuid), `created_at` (datetime), `updated_at` (datetime)");
    }

    #[test]
    fn base_document_types_each_table() {
        let catalog = catalog();
        let document = base_document("https://api.example.com", &catalog);
        check_structure(&document);
        let schemas = &document["components"]["schemas"];
        let values = &schemas["customers_Values"];
        assert_eq!(values["additionalProperties"], false);
        assert_eq!(values["required"], json!(["name", "tier"]));
        let properties = &values["properties"];
        assert_eq!(properties["name"]["type"], "string");
        assert_eq!(properties["email"]["type"], json!(["string", "null"]));
        assert_eq!(properties["email"]["format"], "email");
        assert_eq!(properties["amount"]["type"], json!(["number", "null"]));
        assert_eq!(properties["status"]["enum"], json!(["active", "churned", "trial", "paused", null]));
        assert_eq!(properties["tier"]["enum"], json!(["gold", "silver"]));
        assert_eq!(properties["tier"]["type"], "string");
        assert!(schemas["customers_Patch"]["required"].is_null());
        assert_eq!(
            schemas["customers_Record"]["properties"]["values"]["$ref"],
            "#/components/schemas/customers_RecordValues"
        );

        let specimen = &schemas["specimens_Values"]["properties"];
        let expected = [
            ("text", json!({ "type": ["string", "null"] })),
            ("long_text", json!({ "type": ["string", "null"] })),
            ("number", json!({ "type": ["number", "null"] })),
            ("boolean", json!({ "type": ["boolean", "null"] })),
            ("date", json!({ "type": ["string", "null"], "format": "date" })),
            ("datetime", json!({ "type": ["string", "null"], "format": "date-time" })),
            ("email", json!({ "type": ["string", "null"], "format": "email", "maxLength": 254 })),
            ("url", json!({ "type": ["string", "null"], "format": "uri", "maxLength": 2048 })),
            ("single_select", json!({ "type": ["string", "null"], "enum": ["red", "green", null] })),
            (
                "multi_select",
                json!({ "type": ["array", "null"], "items": { "type": "string", "enum": ["red", "green"] }, "uniqueItems": true }),
            ),
            ("json", json!({ "type": ["object", "array", "string", "number", "boolean", "null"] })),
            ("uuid", json!({ "type": ["string", "null"], "format": "uuid" })),
        ];
        assert_eq!(expected.len(), FieldType::ALL.len());
        for (name, schema) in expected {
            let mut actual = specimen[name].clone();
            actual.as_object_mut().map(|object| object.remove("description"));
            assert_eq!(actual, schema, "{name}");
        }

        let paths = &document["paths"];
        let list = &paths["/v1/tables/customers/records"]["get"];
        assert_eq!(list["operationId"], "customers_listRecords");
        assert_eq!(
            list["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/customers_RecordList"
        );
        assert_eq!(
            list["responses"]["400"]["$ref"], "#/components/responses/listRecords.400",
            "typed copies share errors"
        );
        let parameters = &document["components"]["parameters"];
        let filter_ref = json!({ "$ref": "#/components/parameters/customers_Filter" });
        assert!(list["parameters"].as_array().expect("parameters").contains(&filter_ref));
        let filter = parameters["customers_Filter"]["schema"]["properties"].clone();
        assert!(filter["email"]["properties"]["starts_with"].is_object());
        assert!(filter["status"]["properties"]["gt"].is_null(), "selects have no order");
        assert!(filter["created_at"]["properties"]["between"].is_object());
        let create = &paths["/v1/tables/customers/records"]["post"]["requestBody"]["content"]["application/json"];
        assert_eq!(create["schema"]["$ref"], "#/components/schemas/customers_Create");
        assert_eq!(
            schemas["customers_Create"]["properties"]["values"]["$ref"],
            "#/components/schemas/customers_Values"
        );
        assert_eq!(parameters["customers_Unique"]["schema"]["enum"], json!(["email"]));
        assert!(parameters["notes_Unique"].is_null(), "no unique field, no `unique` parameter");
        let notes_upsert = paths["/v1/tables/notes/records:batchUpsert"]["post"]["parameters"].to_string();
        assert!(!notes_upsert.contains("Unique"), "{notes_upsert}");
        assert_eq!(parameters["customers_Fields"]["schema"]["items"]["enum"][3], "name");
        for (path, method, _) in declared().filter(|(path, ..)| path.starts_with("/v1/tables/")) {
            let concrete = path.replace("{tableId}", "specimens");
            assert!(paths[concrete.as_str()][method.as_str()].is_object(), "{method} {concrete}");
            assert!(paths[path][method.as_str()].is_object(), "the generic {method} {path} stays");
        }
        assert_eq!(document["info"]["version"], "1+catalog.7");
    }

    #[test]
    fn odd_table_names_fall_back_to_ids() {
        let mut catalog = catalog();
        catalog.tables[0].name = "Kunden-Liste".to_owned();
        let document = base_document("/", &catalog);
        check_structure(&document);
        let id = "00000000-0000-0000-0000-000000000002";
        assert!(document["paths"][format!("/v1/tables/{id}/records").as_str()]["get"].is_object());
        assert!(document["components"]["schemas"]["table_00000000000000000000000000000002_Record"].is_object());
    }
}
