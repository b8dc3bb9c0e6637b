//! The document's prose: what each error code, field type and operator means, the API's
//! description, and the longer description of each operation. The matches on codes, types
//! and operators are exhaustive, so none can be added without being described.

use crate::records::Rules;
use shared::api::OperationId;
use shared::catalog::FieldType;
use shared::error::ErrorCode;
use shared::plan::{MAX_BATCH_ITEMS, MAX_CONDITIONS, MAX_IN_VALUES, MAX_SORT_KEYS, MAX_WHERE_DEPTH};
use shared::query::{DEFAULT_LIMIT, MAX_LIMIT, MAX_WHERE_BYTES, Op};
use shared::view::{DEFAULT_PAGE, MAX_CACHE_SECONDS};

/// The edge's default body cap (`max_body_bytes`), for the prose; a deployment may change it,
/// and `details.max_bytes` of the 413 says which cap applied.
pub const DEFAULT_MAX_BODY_BYTES: usize = 5 * 1024 * 1024;

/// What a code means to a client. The edge passes origin answers through, so even the
/// protocol codes can reach a client of a misconfigured deployment; they are listed so that
/// generated clients can still decode such an answer.
pub fn meaning(code: ErrorCode) -> &'static str {
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
        PolicyDenied => {
            "The table's policy for your role or token does not allow this: reading or writing a field it hides \
             (`field_not_readable`, `field_not_writable`, with `details.field`), or writing a record outside the rows \
             it lets you see (`row_outside_policy`)."
        }
        TenantSuspended => {
            "The platform's operators suspended the organization this base, workspace or view belongs to; \
             `details.tenant` names it. Its owners should contact support."
        }
        NotFound => "No such workspace, base, member or token visible to you.",
        EmailTaken => "An account with this email exists; sign in instead.",
        NameTaken => "The table or field name is taken, or is a former name still in its grace period.",
        SchemaConflict => {
            "The table's records or its rules and policies prevent the schema change (duplicates for `unique`, \
             empty values for `required`, records breaking a new rule, a field still in use); nothing was changed."
        }
        UnsafeTypeChange => "The type change could lose values; `message` describes the create-copy-swap path.",
        RouteNotFound => "No route matches the path.",
        MethodNotAllowed => "The path exists, but not with this method; `details.allowed` lists the methods.",
        TableNotFound => "No table with that id or name in the token's base.",
        RecordNotFound => "No record with that id in the table.",
        DuplicateRecord => "A record with that id already exists.",
        UniqueViolation => "A value is already taken in a unique field; `details.field` names it.",
        RecordLinked => {
            "Records of another table link to this one through a link whose `on_delete` is `restrict`; \
             `details.table` and `details.field` name it. Delete or relink those records first."
        }
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
pub fn json_form(field_type: FieldType) -> &'static str {
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
        FieldType::Link => {
            "string UUID, the id of a record of the linked table (a missing record is a 422 naming the field); \
             `include=<field>` embeds that record under `included`"
        }
        FieldType::File => {
            "array of attachments (at most 100). Write each as an upload's `file_id` (`POST /v1/files:signUpload`, \
             then post the file with its form) or `{\"id\": …, \"name\": …}` to rename it; an empty array is null. \
             Reads answer `{id, name, size, content_type, url}`, `url` a signed download address valid for 15 \
             minutes. An unknown upload, one of another field, one the field's media types (its `options`) do not \
             accept, or one not in the store with its announced size and checksum is a 422 naming the field"
        }
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

/// A Markdown table of the field types: JSON form, operators, sortability and storage.
pub fn field_types_table(rules: &Rules) -> String {
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

pub fn system_columns_text(rules: &Rules) -> String {
    let columns: Vec<String> =
        rules.system.iter().map(|(name, field_type)| format!("`{name}` ({})", field_type.as_str())).collect();
    columns.join(", ")
}

pub fn description(rules: &Rules) -> String {
    format!(
        r#"Create, read, update and delete the records of one base's tables, in JSON.

## Authentication
Every route except `GET /v1/openapi.json` needs an API token: `Authorization: Bearer nc_<id>_<secret>`. A token belongs to one base and holds scopes: `read` (lists, gets, meta), `write` (create, update, batch upsert) and `delete` (every delete); each operation names the scope it needs. `X-Base-Id` is optional; when sent, it must be the token's base (403 `BASE_MISMATCH`).

## Tables and records
`{{tableId}}` is a table's UUID or its name. `GET /v1/meta/tables` describes the tables and their fields; `GET /v1/meta/openapi.json` is this document for the token's base, with a typed schema and typed paths per table.

A record is `{{"id", "values", "created_at", "updated_at"}}` in every request and response: `values` maps field names to values, so field names never collide with the system columns {system}. Every field is in `values` (`null` when empty) unless `fields` narrows it.

### Field types
{types}

### Computed fields
A field declared with type `formula`, `lookup` or `rollup` is computed by Postgres in the statement that reads the record; it has no stored value and a write that names it is a 422 (`read_only`). Its `type` in `/v1/meta` is the type of its values, so it is filtered, sorted and projected like any field of that type; `computed` says how it is computed.
- **Formulas** (`"formula": "price * quantity"`) read the record's own fields (and `id`, `created_at`, `updated_at`): numbers, text in quotes, `true`/`false`; `+ - * /`, `&` (joins text), `= != < <= > >=`, `and`, `or`, `not`; and the functions {functions}. An empty field makes the result empty, except in `&`/`concat` (empty text), `coalesce`, `is_empty`, `min`, `max` and `if` (an empty condition takes the else branch). Division by zero is empty. Time is UTC: `now()` is the instant the request's transaction started, `today()` its UTC date, and date parts and differences read datetimes in UTC. A formula is stored with field ids: renaming a field it reads changes nothing, and a field it reads cannot be dropped or change type (409 `field_in_use`).
- **Lookups** (`"lookup": {{"link": "customer", "field": "email"}}`) show a field of the linked record (select values as text).
- **Rollups** (`"rollup": {{"link": "orders.customer", "function": "sum", "field": "amount", "where": {{"field": "paid", "op": "eq", "value": true}}}}`) aggregate the records of another table that link here: `count`, `sum` (0 when none), `average`, `min`, `max`, or `any`/`all` of them matching `where`.

A computed value never reveals what the caller's policies hide: a value computed from a field the caller may not read is `null`, and lookups and rollups see only the linked records the caller may see.

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

## Attachments
A `file` field holds uploaded files. Upload each first: `POST /v1/files:signUpload` with its `name`, `content_type`, exact `size` and optionally `sha256` answers `file_id` and a form to post to the object store (its `fields`, then the file as `file`), valid 15 minutes; the store itself refuses another size or type. Then write the field as a list of `file_id`s (or `{{"id", "name"}}` to give one another name): `{{"values": {{"photos": ["<file_id>"]}}}}`. The first write that names an upload checks it in the store (size, and checksum when announced) and attaches it to that field; an upload that is unknown, of another base, attached to another field, of a type the field's `options` do not accept (e.g. `image/*`), or not in the store as announced is a 422 naming the field, and nothing is written. Reads answer each attachment as `{{id, name, size, content_type, url}}`, `url` a download address signed for 15 minutes (longer in public views' answers, which edges may cache); read the record again for fresh ones. A write that sends back what it read keeps the files. A file no record holds any more (removed from its field, or its record deleted) is deleted from the store a retention period later (7 days by default). A base's admins set the largest upload and the accepted media types (`PUT /api/v1/bases/{{baseId}}/files/settings`); the plan caps the bytes a base stores (`GET /api/v1/bases/{{baseId}}/usage`, `storage`).

## CSV imports and exports
Both run as jobs: the request answers 202 with the job, and `GET /v1/jobs/{{id}}` follows it (`state`: `queued`, `running`, `succeeded`, `failed`, `cancelled`; `progress` in rows and bytes; the first rejected rows in `errors_preview`; a failed job's `error` in the shape below). `POST /v1/jobs/{{id}}/cancel` stops one; an import keeps the batches it committed. `GET /v1/jobs/{{id}}/events` follows it as server-sent events instead of polling (see that operation).
- **Import** (`POST /v1/tables/{{tableId}}/import:csv`): the CSV in `csv` (up to 1 MiB), or a file uploaded first: `POST /v1/files:signUpload` with its `name`, `content_type`, exact `size` and optionally `sha256` answers a form to post to the object store (its `fields`, then the file as `file`), valid 15 minutes; then import `{{"file": "<file_id>"}}`. Columns go to the fields their header names (`id` to the record's id) or as `mapping` says; other columns are ignored and listed. Each row is checked as a create would be (an empty cell is no value; booleans may be `true`/`false`, `yes`/`no`, `1`/`0`; a multi select `a, b` or a JSON array); valid rows are written in batches like `records:batchUpsert`, keyed by `unique` (a unique field) or by `id`, and rejected rows go to an error report (`result.errors_url`, CSV: `line,field,code,message`). `dry_run` checks everything and writes nothing. `encoding` reads UTF-8 (the default; a byte-order mark is skipped), UTF-16, windows-1252 or ISO-8859-1; `delimiter` another separator.
- **Export** (`GET /v1/tables/{{tableId}}/export:csv`): the records a list with the same `filter`, `where`, `sort` and `fields` returns, all of them, from one snapshot, as CSV (`id`, the fields, `created_at`, `updated_at`); `result.download_url` once it has succeeded. Addresses are signed for 15 minutes when the job is read: read it again for a fresh one.

## Errors
Every error is `{{"error": {{"code", "message", "details"}}, "request_id"}}`, with the status its code fixes. `request_id` equals the `X-Request-Id` header, which every response carries; quote it when reporting a problem. A validation error lists every problem in `details.errors` as `{{index?, field?, code, message}}`.

{codes}

## Browsers (CORS)
Browsers may call the API from the origins the deployment allows (its web app's origin unless configured otherwise). The edge answers preflight `OPTIONS` requests itself with 204, allowing the methods GET, POST, PATCH, DELETE and OPTIONS and the request headers `Authorization`, `Content-Type`, `X-Base-Id`, `X-Idempotency-Key`, `If-Match`, `If-None-Match`, `X-Allow-Filtered-Delete` and `Last-Event-ID`, for 600 seconds. Responses to an allowed origin carry `Access-Control-Allow-Origin` and expose `ETag`, `X-Request-Id` and `Idempotency-Replayed`. Every response has `Vary: Origin` and `Cache-Control: no-store`."#,
        system = system_columns_text(rules),
        types = field_types_table(rules),
        functions = shared::formula::Func::callable()
            .map(|func| format!("`{}`", func.doc().split(':').next().unwrap_or_default()))
            .collect::<Vec<_>>()
            .join(", "),
        operators = operators_table(),
        codes = error_codes_table(),
        body_cap = DEFAULT_MAX_BODY_BYTES / (1024 * 1024),
    )
}

/// What an operation does, beyond its summary; `None` where the summary says it all.
pub fn describe(id: OperationId) -> Option<String> {
    use OperationId::*;
    let schema_change = |what: &str| {
        format!(
            "{what} Changes of one base run one at a time, each with its DDL in one transaction; the answer names \
             the `schema_op` recording it and the new catalog version, which edges pick up at once. With \
             `dry_run=true` the answer is the planned DDL instead (`dry_run`, `steps` and `change`)."
        )
    };
    let text = match id {
        ListRecords => format!(
            "A page of records, filtered by `filter` and `where`, ordered by `sort`. `has_more` says whether \
             another page follows; pass its `next_cursor` as `cursor`, with the same filters and sort, to get \
             it. Pages are keyset ranges: a record created meanwhile never shifts a page. Up to {MAX_LIMIT} \
             records per page ({DEFAULT_LIMIT} by default)."
        ),
        CreateRecord => "Creates one record from `values`; every required field must be given. The id is generated \
                         unless the body names one. The response carries the record's `ETag`."
            .to_owned(),
        DeleteRecords => format!(
            "Deletes the records named by `ids[]` (up to {MAX_BATCH_ITEMS}; ids that are not records of the \
             table are skipped), or every record that matches `filter`/`where`. A filtered delete needs \
             `X-Allow-Filtered-Delete: true`, so that a mistyped filter cannot empty a table by accident. \
             `ids[]` and filters cannot be combined; `cursor`, `sort` and `fields` do not apply. For an \
             all-or-nothing delete by ids, use `records:batchDelete`."
        ),
        GetRecord => "One record, with its version as `ETag`. With `If-None-Match` naming the current ETag \
                      (or `*`), the answer is 304 without a body, unless `include` embeds other records (the ETag \
                      is the record's own version, not theirs)."
            .to_owned(),
        UpdateRecord => "Changes the fields named in `values`; the others keep their values. With `If-Match`, only \
                         if the record still has that version. The response carries the new `ETag`."
            .to_owned(),
        DeleteRecord => "Deletes one record; with `If-Match`, only if it still has that version.".to_owned(),
        BatchUpsertRecords => format!(
            "Inserts or updates each item in one transaction: one bad item fails the whole batch, and \
             `details.errors` names each problem with its item `index`. Items are keyed by `unique` or by \
             `id`. Every item must be complete (all required fields), since it may be an insert. \
             At most {MAX_BATCH_ITEMS} items."
        ),
        ValidateRecord => "Answers what creating this record would answer, without writing it: 200 when every value \
                           fits its field and its rules and every required field is given, else the same 422 \
                           with every problem in `details.errors` as `{field, code, message}` (a broken rule's \
                           `code` is its name). Only what needs the stored records is left to the write itself: \
                           a taken unique value, a link to a missing record."
            .to_owned(),
        BatchDeleteRecords => "Deletes every listed record, or none of them: if any id is not a record of the \
                               table, nothing is deleted and the 404 lists the missing ids in `details.missing`."
            .to_owned(),
        GetOpenApi => "The API for every base, with `{tableId}` paths and untyped record values. The server URL is \
                       the one the request was sent to."
            .to_owned(),
        GetBaseOpenApi => "This document plus, for each table of the token's base, typed schemas \
                           (`<table>_Values`, `<table>_Record`, …) and concrete paths `/v1/tables/<table>/…` that \
                           use them, for generating typed clients."
            .to_owned(),
        ListTables => "Every table with its typed fields, answered from the edge's copy of the base's schema \
                       (refreshed within a minute of a change)."
            .to_owned(),
        GetTable => "The table's fields with their types, requiredness, uniqueness and options.".to_owned(),
        GetViewData => format!(
            "A page of the view's records: only its table and fields, its own filters always applied. Query: \
             `limit` (the view's default, {DEFAULT_PAGE} unless set; at most its maximum), `cursor` \
             (`page.next_cursor`), `sort=field:asc|desc` on the fields it allows, `filter[field][op]=value` for the \
             filters it allows, and its parameters by name (`GET …/meta` lists them all). Answers carry \
             `Cache-Control` (the view's policy), `ETag` (304 with `If-None-Match`), `Age` and \
             `X-Cache: HIT|MISS|STALE`; the edge serves cached answers until a write changes the data (within a \
             second) or the view changes."
        ),
        WatchView => "The view's changes as server-sent events (`text/event-stream`), admitted as its data is \
                      (its key, a token of its base, or nobody, as it is published): one event per record the \
                      view with the request's parameters and filters selects that is created or updated \
                      (`record.created`, `record.updated`), with the record as the view shows it now. A \
                      deletion (`record.deleted`, the id alone) is sent only by views without filters of their \
                      own, since a deleted record can no longer be checked against them. `limit`, `cursor` and \
                      `sort` do not apply. Each event's `id` is a position in the base's change log: reconnect \
                      with `Last-Event-ID` set to the last `id` read to get every change after it, once. A \
                      stream ends after a while (25 seconds to a few minutes, as the edge is configured), or \
                      when the view is changed or unpublished; idle ones carry a comment every 15 seconds."
            .to_owned(),
        GetViewMeta => "The endpoint's URL template, its parameters (types, examples, which are required), the \
                        filters and operators and the sorts it allows, pagination, the response's JSON Schema, and \
                        curl, fetch and Postman-ready examples that work as they are."
            .to_owned(),
        Register => "Creates a user, a tenant and a first workspace the user owns, and signs them in.".to_owned(),
        Login => "Trades an email and password for an access token and a refresh token.".to_owned(),
        Refresh => "Trades a refresh token for a new access token and a new refresh token. Each refresh token \
                    works once: presenting a used one revokes the whole session, as it means it was copied."
            .to_owned(),
        Logout => "Revokes the refresh token's session; its access tokens expire on their own.".to_owned(),
        Me => "The signed-in user and the workspaces they belong to, with their role in each.".to_owned(),
        ListWorkspaces => "The workspaces the user belongs to, with their role in each.".to_owned(),
        SetMember => "Changes the role of the member with this email (200), or invites the email with the role \
                      (202): nobody becomes a member unasked, and the answer is the same whether or not the email \
                      has an account. The invitee accepts once signed in with that email; inviting again renews a \
                      pending invitation (14 days). Granting or taking the admin or owner role needs the `owner` \
                      role; a workspace keeps at least one owner."
            .to_owned(),
        RemoveMember => "Removing an admin or owner needs the `owner` role.".to_owned(),
        ListInvitations => "The pending, unexpired invitations, newest first.".to_owned(),
        RevokeInvitation => "Revoking an invitation to the admin or owner role needs the `owner` role.".to_owned(),
        ListMyInvitations => {
            "Pending invitations to the signed-in user's email, with who sent them, newest first.".to_owned()
        }
        AcceptInvitation => "Joins the workspace with the invited role (a member already keeps their role). Only \
                             the user whose email was invited can; to anyone else it is not found."
            .to_owned(),
        DeclineInvitation => "Closes the invitation without joining.".to_owned(),
        CreateBase => "Creates a base: its own Postgres schema and an empty catalog.".to_owned(),
        GetBase => "The base, its catalog version, and every table with its fields.".to_owned(),
        GetBaseReference => "This API's OpenAPI document for the base, each table with its own typed schemas, as \
                             `/v1/meta/openapi.json` gives it to the base's API tokens; the docs page \
                             (`/docs/?base=<id>`) renders it."
            .to_owned(),
        DeleteBase => "Hides the base: its API tokens and records stop answering at once; its data is kept.".to_owned(),
        ListTokens => "Every token with its scopes and state; never a secret.".to_owned(),
        CreateToken => "Creates a token of the base with the given scopes and optional expiry. The secret is in this \
                        answer only: it is stored as a hash."
            .to_owned(),
        RevokeToken => "The token stops working at the origin at once and at every edge within the token-cache TTL \
                        (at most 60 seconds)."
            .to_owned(),
        GetUsage => "Requests served to the base this month against its quota, and per principal (`token:<id>`, \
                     `user:<id>`) and day for the last 31 days. Edges send what they meter every two seconds."
            .to_owned(),
        SetQuota => "The base's own quota of requests per calendar month (UTC), or `null` for its plan's. Over it, \
                     the edge answers 429 `QUOTA_EXCEEDED` until the month ends."
            .to_owned(),
        SignUpload => "Announces a file and answers a form to post it straight to the object store, valid 15 \
                       minutes; the store refuses another size or media type. The base's settings bound it (413 \
                       `PAYLOAD_TOO_LARGE` above its largest upload, 422 for a media type it does not accept), and \
                       so does its plan (403 `PLAN_LIMIT` when the base would store more than the plan keeps). \
                       Name the answer's `file_id` in a `file` field, or import it as CSV; one never used is \
                       deleted after the retention period."
            .to_owned(),
        WatchRecords => "The table's changes as server-sent events (`text/event-stream`), from the moment the \
                         stream opens: one event per created, updated or deleted record, named by its `type` \
                         (`record.created`, `record.updated`, `record.deleted`), in the order they committed. Each \
                         event's `data` is `{type, table, id, changed_fields, record}`: `record` as a list with \
                         the same `fields` would show it now (null for a deletion), `changed_fields` the fields \
                         the change set to another value. `filter` and `where` select the records whose \
                         creations and updates are sent, as they select a list's; a deletion is sent with the id \
                         alone (unless a row policy restricts what the caller sees of the table, which sends \
                         none). A record the caller may not see is never sent. A stream that catches up (after a \
                         reconnection) shows each change with the record as it is then, and a record deleted \
                         since by its deletion alone. Each event's `id` is a position in \
                         the base's change log: reconnect with `Last-Event-ID` set to the last `id` read to get \
                         every change after it, once, however long the client was away. A list's `position` \
                         is such a position too: load a page, then open the stream with the page's `position` \
                         as `Last-Event-ID`, and every change after the page comes, none that the page already \
                         shows. A position older than the change log the base keeps (its plan's retention, 30 \
                         days by default) may have missed changes: the stream then starts with `event: reset` \
                         (`data: {position, reason}`, `id:` now's position), and the client loads what it shows \
                         again. A stream ends after a \
                         while (25 seconds to a few minutes, as the edge is configured), or when the table's \
                         schema changes; idle ones carry a comment every 15 seconds. A browser's `EventSource` \
                         cannot send `Authorization`: read the stream with `fetch` (the SDK's `follow`)."
            .to_owned(),
        PollRecords => "The long-poll form of `GET /v1/tables/{tableId}/events`, for clients that cannot read a \
                        stream: the changes after `after` (a previous answer's `position`, a list's `position` or \
                        an event's `id`; from now when absent), as `{data: [{position, type, table, id, \
                        changed_fields, record}], position}`, answered as soon as there is one, or with none once \
                        `wait` seconds (20 by default, at most 20) have passed. Poll again from the answer's \
                        `position`, which is past every change read, those the filters left out too: every change \
                        comes once. An `after` older than the kept change log answers at once with no changes, \
                        `reset: true` and now's `position`: reload, then poll from it. Filters, `where` and \
                        `fields` select and shape the changes as for the stream."
            .to_owned(),
        WatchJob => "The job's progress as server-sent events (`text/event-stream`): an `event: progress` each time \
                     its state or progress changes (at most four a second), and `event: done` with its final \
                     state, after which the stream ends. Each event's `data` is the job, as `GET /v1/jobs/{jobId}` \
                     answers it, and its `id` the job's revision. A stream also ends after a while (25 seconds \
                     to a few minutes, as the edge is configured) and idle ones carry a comment every 15 seconds; \
                     reconnect with `Last-Event-ID` set to the last `id` read to get the states after it, as \
                     `EventSource` does by itself. Once the last state was read, reconnecting answers 204, which \
                     stops `EventSource`. A browser's `EventSource` cannot send `Authorization`: read the stream \
                     with `fetch` instead."
            .to_owned(),
        SetFileSettings => "The base's largest upload in bytes (`null`: its plan's, which also bounds it) and the \
                            media types uploads may have (`image/*` takes every image; empty takes any). Uploads \
                            announced afterwards follow them; files already uploaded stay. Answers what the base \
                            stores and takes now."
            .to_owned(),
        ListChanges => "Every committed write (operation, table, record, before, after, actor, request id), from a \
                        position. Positions are database snapshots, not sequence numbers: a change whose transaction \
                        committed after a later one is still returned, once. Pass `position` as `after` to go on."
            .to_owned(),
        ListTableHistory => "A table's writes as a history, newest first: each change's operation, record, the \
                             record before and after, who made it and in which request. `record` narrows it to one \
                             record; pass `next_before` as `before` for older changes."
            .to_owned(),
        RevertChange => "Undoes one change of a record, as a write of the caller's (checked, logged, and \
                         itself revertible): an update is undone by writing back the values the change replaced, \
                         a deletion by creating the record again with its id and values, a creation by deleting \
                         the record. Only a record's latest change can be undone (412 names the later one: undo \
                         newest first). Fields the table no longer has, and computed ones, are not restored \
                         (`skipped_fields`)."
            .to_owned(),
        UndoChanges => "Puts every record of the base written after `after` back to what it was then, from \
                        the change log, as writes of the caller's in one transaction (checked, logged, and \
                        undoable in turn): an updated record gets its values back, a deleted one is created \
                        again with its id, a created one is deleted. With `dry_run` nothing is written and the \
                        answer says what would be; pass its `through` back to undo exactly that, or to be told \
                        (412) that a record was written since. Fields the table no longer has, and computed \
                        ones, are not restored; records of dropped tables are left alone. One undo writes at \
                        most 10,000 records: for more, restore a backup to a scratch cluster and copy the base \
                        back (the runbook)."
            .to_owned(),
        ListAuditEvents => "The workspace's audit log, newest first: its bases' record changes (before and after), \
                            schema, view, token and webhook changes, and its members' and invitations' changes, \
                            each with who, when, what and the request. Narrow it by actor, action (or a prefix \
                            like `record.*`), resource, base and time; pass `next_cursor` as `cursor` for older \
                            events. Events are kept as long as the tenant's plan says (365 days by default)."
            .to_owned(),
        CreateWebhook => "Creates an endpoint that receives the base's record changes from now on, as POSTs of \
                          `{type, timestamp, data: {base_id, table_id, table, id, changed_fields, record, previous, \
                          actor, request_id}}`. Each delivery carries the Standard Webhooks headers (`webhook-id`, \
                          the same for every attempt of a change, `webhook-timestamp` and `webhook-signature`) and \
                          `X-Signature: sha256=<hex HMAC-SHA256 of the body>`, both under the `secret` this answer \
                          shows once. Deliveries come from the change log: every committed change is delivered at \
                          least once, in order per record; a 2xx answer within the timeout (10 s) counts as \
                          delivered, anything else is retried after 10 s, 20 s, 40 s… (at most 12 h apart, 20 \
                          attempts over about four days). When a delivery fails every attempt, the endpoint is \
                          turned off (`enabled: false` with `disabled_reason`, and an audit event); turning it on \
                          delivers from where it stopped."
            .to_owned(),
        UpdateWebhook => "Changes the endpoint's name, URL, events, tables or filter, for the changes queued from \
                          now on; `enabled: true` turns an endpoint that was turned off on again, and it delivers \
                          what waited meanwhile."
            .to_owned(),
        ListWebhookDeliveries => "The endpoint's deliveries, newest first: the message id, event, record, state \
                                  (`pending`, `delivered`, `failed`), the body sent and every attempt with the \
                                  receiver's status, latency and error. `state` narrows the list; pass \
                                  `next_before` as `before` for older ones."
            .to_owned(),
        RedeliverWebhook => "Queues the delivery to be sent again now, with the same `webhook-id`, and a new series \
                             of attempts."
            .to_owned(),
        ListSchemaOps => "The latest 200 schema changes, newest first: what was asked, the DDL, by whom and how it \
                          ended (`pending`, `applied` or `failed` with its error)."
            .to_owned(),
        CreateTable => schema_change("Creates a table with its initial fields."),
        RenameTable => schema_change(
            "Renames the table; the former name keeps working in the records API for the grace period (7 days \
             unless configured) and stays reserved meanwhile.",
        ),
        DropTable => schema_change("Hides the table from the records API at once; its data is kept."),
        AddField => schema_change(
            "Adds a field. A required field needs a default when the table has records: existing records get it. \
             A `formula`, `lookup` or `rollup` field is computed when records are read (see the records API's guide); \
             its preview (`dry_run=true`) lists what it gives on the table's first records (`computed`).",
        ),
        AddIndex => schema_change(
            "Adds an index on 1 to 8 stored fields, in order (`name` or `name:desc`), then `id`: it serves lists \
             sorted by those fields, and filters on the first. Built `CONCURRENTLY`: reads and writes go on, and the \
             answer comes once it is built; `GET …/indexes` shows its progress meanwhile.",
        ),
        ListIndexes => "The table's indexes, and each index build running on it with Postgres's progress counters \
                        (phase, blocks, tuples, and the transactions it waits for)."
            .to_owned(),
        UpdateField => schema_change(
            "Changes any of name, type, required, unique, default and options. A rename keeps the former name \
             working during the grace period. Only safe type changes apply (text → long_text, long_text → text, \
             email/url/single_select → text or long_text, date → datetime at midnight UTC); any other is refused \
             with the create-copy-swap path to follow instead.",
        ),
        DropField => schema_change("Hides the field and refuses writes to it at once; its column and data are kept."),
        RevertSchemaOp => schema_change(
            "Brings the table back to the state the operation recorded before it ran, checked like an admin's own \
             request: a created table or added field is dropped (softly), a rename goes back, a dropped table or \
             field is restored with its values (a required field comes back optional), a field's definition, \
             the rules, policies and indexes go back. A purge cannot be reverted. Refused with 412 naming \
             `later_op` while a later change of the same table stands in the way (changes of two different \
             fields, or a rename and another change, do not; a change a revert undid does not): revert newest \
             first. A revert is itself an operation (`revert`) and can be reverted.",
        ),
        CreateView => "A saved query of one table: projection, filters (with typed parameters), sort, limits, and \
                       the filters and sorts callers may add. Stored as structured JSON, fields by id, so renames do \
                       not break it. Version 1."
            .to_owned(),
        UpdateView => "Stores the definition as a new version and makes it the active (edited) one. A published \
                       view goes on serving its published version: the change is `pending` until an admin publishes \
                       it."
        .to_owned(),
        DeleteView => "Unpublishes and hides the view. Deleting a published view needs the role publishing needs \
                       (`admin`)."
            .to_owned(),
        RollbackView => "Moves the edited version back; what a published view serves changes only when an admin \
                         publishes."
            .to_owned(),
        PublishView => format!(
            "Turns `GET /public/views/{{slug}}/data` and `/meta` on or off, with the slug, the auth mode \
             (`public`, `view_key`, `base_token`), the edge cache policy (seconds, at most {MAX_CACHE_SECONDS}) \
             and the version it serves (`version`; the active one when absent). The slug serves that version until \
             the next publish, whatever edits come in between."
        ),
        ListViewKeys => "Every key of the view with its name and state; never a secret.".to_owned(),
        CreateViewKey => {
            "A key for a view published with `view_key`: `Authorization: Bearer nv_…`. Shown once.".to_owned()
        }
        RevokeViewKey => "The key stops working at once.".to_owned(),
        _ => return None,
    };
    Some(text)
}
