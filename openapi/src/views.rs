//! Views in the OpenAPI document: their management (`/api/v1/bases/{baseId}/views/...`),
//! the public endpoints they publish (`/public/views/{slug}/...`), and the change feed.

use super::manage::{Operation, body_errors, needs, reference, session_errors};
use super::{Endpoint, errors, head, meaning, response, schema_ref};
use shared::api::OperationId;
use shared::error::ErrorCode;
use shared::manage::Action;
use shared::view::{DEFAULT_PAGE, MAX_CACHE_SECONDS, MAX_TEXT, MAX_VIEW_ALLOWED, MAX_VIEW_FILTERS, MAX_VIEW_PARAMS};
use serde_json::{Map, Value, json};

pub(super) fn parameters() -> Map<String, Value> {
    let mut parameters = Map::new();
    parameters.insert(
        "ViewPath".to_owned(),
        json!({ "name": "view", "in": "path", "required": true, "schema": { "type": "string" },
                "description": "The view's id or name." }),
    );
    parameters.insert(
        "SlugPath".to_owned(),
        json!({ "name": "slug", "in": "path", "required": true,
                "schema": { "type": "string", "pattern": "^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$" },
                "description": "The slug the view is published under." }),
    );
    parameters.insert(
        "KeyPath".to_owned(),
        json!({ "name": "keyId", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" },
                "description": "The view key's id." }),
    );
    parameters
}

pub(super) fn endpoints() -> Vec<Endpoint> {
    use ErrorCode::*;
    let view = || vec![reference("BasePath"), reference("ViewPath")];
    let spec_errors = |specific: &[(ErrorCode, &str)]| {
        let mut list = body_errors().to_vec();
        list.extend_from_slice(&[
            (
                ValidationError,
                "The definition does not fit the table: a field, operator, parameter or limit is invalid.",
            ),
            (TableNotFound, "No such table in the base."),
        ]);
        list.extend_from_slice(specific);
        session_errors(&list)
    };
    let mut endpoints: Vec<Endpoint> = [
        Operation {
            id: OperationId::ListViews,
            description: needs(Action::ReadData),
            parameters: vec![reference("BasePath")],
            body: None,
            success: (200, "The views.", "ViewList"),
            errors: session_errors(&[]),
        },
        Operation {
            id: OperationId::CreateView,
            description: format!(
                "A saved query of one table: projection, filters (with typed parameters), sort, limits, and the \
                 filters and sorts callers may add. Stored as structured JSON, fields by id, so renames do not break \
                 it. Version 1. {}",
                needs(Action::EditViews)
            ),
            parameters: vec![reference("BasePath")],
            body: Some(("ViewSpec", "The view.")),
            success: (201, "The view.", "View"),
            errors: spec_errors(&[
                (NameTaken, "A view of this name exists in the base."),
                (PlanLimit, "The base has as many views as its plan allows (`views_per_base`)."),
            ]),
        },
        Operation {
            id: OperationId::GetView,
            description: needs(Action::ReadData),
            parameters: view(),
            body: None,
            success: (200, "The view.", "View"),
            errors: session_errors(&[]),
        },
        Operation {
            id: OperationId::UpdateView,
            description: format!(
                "Stores the definition as a new version and makes it the active (edited) one. A published view goes \
                 on serving its published version: the change is `pending` until an admin publishes it. {}",
                needs(Action::EditViews)
            ),
            parameters: view(),
            body: Some(("ViewSpec", "The new definition.")),
            success: (200, "The view.", "View"),
            errors: spec_errors(&[(NameTaken, "Another view of the base has this name.")]),
        },
        Operation {
            id: OperationId::DeleteView,
            description: format!(
                "Unpublishes and hides the view. {} Deleting a published view, like publishing: {}",
                needs(Action::EditViews),
                needs(Action::ShareApi)
            ),
            parameters: view(),
            body: None,
            success: (200, "Deleted.", "ViewDeleted"),
            errors: session_errors(&[]),
        },
        Operation {
            id: OperationId::RollbackView,
            description: format!(
                "Moves the edited version back; what a published view serves changes only when an admin publishes. {}",
                needs(Action::EditViews)
            ),
            parameters: view(),
            body: Some(("RollbackRequest", "The version.")),
            success: (200, "The view.", "View"),
            errors: session_errors(&body_errors()),
        },
        Operation {
            id: OperationId::PublishView,
            description: format!(
                "Turns `GET /public/views/{{slug}}/data` and `/meta` on or off, with the slug, the auth mode \
                 (`public`, `view_key`, `base_token`), the edge cache policy (seconds, at most {MAX_CACHE_SECONDS}) \
                 and the version it serves (`version`; the active one when absent). The slug serves that version until \
                 the next publish, whatever edits come in between. {}",
                needs(Action::ShareApi)
            ),
            parameters: view(),
            body: Some(("PublishRequest", "How to publish.")),
            success: (200, "The view.", "View"),
            errors: session_errors(&[
                body_errors()[0],
                body_errors()[1],
                (
                    ValidationError,
                    "The slug or a cache setting is invalid, no slug was ever given, or the version no longer fits the \
                     table.",
                ),
                (NotFound, "No such view, or no such version of it."),
                (NameTaken, "Another view uses this slug."),
            ]),
        },
        Operation {
            id: OperationId::CreateViewKey,
            description: format!(
                "A key for a view published with `view_key`: `Authorization: Bearer nv_…`. Shown once. {}",
                needs(Action::ShareApi)
            ),
            parameters: view(),
            body: Some(("NameRequest", "The key's name.")),
            success: (201, "The key, with its secret (shown once).", "CreatedViewKey"),
            errors: session_errors(&body_errors()),
        },
        Operation {
            id: OperationId::RevokeViewKey,
            description: format!("The key stops working at once. {}", needs(Action::ShareApi)),
            parameters: vec![reference("BasePath"), reference("ViewPath"), reference("KeyPath")],
            body: None,
            success: (200, "Revoked.", "ViewKeyRevoked"),
            errors: session_errors(&[]),
        },
        Operation {
            id: OperationId::ListChanges,
            description: format!(
                "Every committed write (operation, table, record, before, after, actor, request id), from a position. \
                 Positions are database snapshots, not sequence numbers: a change whose transaction committed after a \
                 later one is still returned, once. Pass `position` as `after` to go on. {}",
                needs(Action::ShareApi)
            ),
            parameters: vec![
                reference("BasePath"),
                json!({ "name": "after", "in": "query", "required": false, "schema": { "type": "string" },
                        "description": "The `position` of the previous read; the log's start when absent." }),
                json!({ "name": "limit", "in": "query", "required": false,
                        "schema": { "type": "integer", "minimum": 1, "maximum": 1000, "default": 100 } }),
            ],
            body: None,
            success: (200, "Changes and the position after them.", "ChangeFeed"),
            errors: session_errors(&[]),
        },
    ]
    .into_iter()
    .map(Operation::endpoint)
    .collect();
    let public_errors = |specific: &[(ErrorCode, &str)]| {
        let mut list = super::guard_errors();
        list.extend(errors(&[
            (NotFound, "No view is published at this slug."),
            (AuthRequired, "The view needs a key or an API token."),
            (InvalidToken, "The key or token is not one the view accepts."),
            (InsufficientScope, "The API token lacks `read`."),
            (QuotaExceeded, meaning(QuotaExceeded)),
        ]));
        list.extend(errors(specific));
        list
    };
    let view_headers = [super::Header::ETag];
    endpoints.push(Endpoint {
        head: head(OperationId::GetViewData),
        description: format!(
            "A page of the view's records: only its table and fields, its own filters always applied. Query: \
             `limit` (the view's default, {DEFAULT_PAGE} unless set; at most its maximum), `cursor` (`page.next_cursor`), \
             `sort=field:asc|desc` on the fields it allows, `filter[field][op]=value` for the filters it allows, and \
             its parameters by name (`GET …/meta` lists them all). Answers carry `Cache-Control` (the view's \
             policy), `ETag` (304 with `If-None-Match`), `Age` and `X-Cache: HIT|MISS|STALE`; the edge serves cached \
             answers until a write changes the data (within a second) or the view changes."
        ),
        parameters: vec![
            reference("SlugPath"),
            json!({ "name": "limit", "in": "query", "required": false, "schema": { "type": "integer", "minimum": 1 } }),
            json!({ "name": "cursor", "in": "query", "required": false, "schema": { "type": "string" } }),
            json!({ "name": "sort", "in": "query", "required": false, "schema": { "type": "string" },
                    "description": "`field:asc` or `field:desc`, comma-separated, on the fields the view allows." }),
            json!({ "name": "params", "in": "query", "required": false, "style": "form", "explode": true,
                    "schema": { "type": "object", "additionalProperties": { "type": "string" } },
                    "description": "The view's parameters and `filter[field][op]` conditions, by name." }),
        ],
        body: None,
        responses: vec![
            (200, response("A page of the view.", Some(schema_ref("ViewPage")), &view_headers)),
            (304, response("Not modified: the `ETag` matches `If-None-Match`.", None, &view_headers)),
        ],
        errors: public_errors(&[
            (InvalidQuery, "A parameter, filter or sort the view does not allow, or a cursor of another query."),
            (ValidationError, "A parameter's value does not fit its type, or a required one is missing."),
            (PayloadTooLarge, "`limit` is over the view's maximum."),
        ]),
    });
    endpoints.push(Endpoint {
        head: head(OperationId::GetViewMeta),
        description: "The endpoint's URL template, its parameters (types, examples, which are required), the filters \
                      and operators and the sorts it allows, pagination, the response's JSON Schema, and curl, fetch \
                      and Postman-ready examples that work as they are."
            .to_owned(),
        parameters: vec![reference("SlugPath")],
        body: None,
        responses: vec![(200, response("The descriptor.", Some(schema_ref("ViewMeta")), &[]))],
        errors: public_errors(&[]),
    });
    endpoints
}

pub(super) fn schemas() -> Map<String, Value> {
    let uuid = json!({ "type": "string", "format": "uuid" });
    let mut schemas = Map::new();
    let mut add = |name: &str, schema: Value| {
        schemas.insert(name.to_owned(), schema);
    };
    let filter = json!({
        "type": "object", "required": ["field", "op", "value"],
        "properties": {
            "field": { "type": "string" }, "op": schema_ref("Operator"),
            "value": { "description": "A value in the field's form (a list for `in`, `between`), or `{\"param\": \"<name>\"}`." }
        }
    });
    add(
        "ViewSpec",
        json!({
            "type": "object", "required": ["name", "table"], "additionalProperties": false,
            "properties": {
                "name": { "type": "string", "minLength": 1, "maxLength": 100 },
                "description": { "type": "string", "maxLength": 1000 },
                "table": { "type": "string", "description": "The table's name or id." },
                "fields": { "type": "array", "items": { "type": "string" }, "maxItems": shared::plan::MAX_PROJECTION,
                            "description": "Returned fields; empty: every field the table has now (fields added later are not returned)." },
                "filters": { "type": "array", "items": filter, "maxItems": MAX_VIEW_FILTERS,
                             "description": "Always applied; may use any field of the table." },
                "sort": { "type": "array", "items": { "type": "string" }, "maxItems": shared::plan::MAX_SORT_KEYS,
                          "description": "`field:asc` / `field:desc`, on returned fields or system columns." },
                "default_limit": { "type": "integer", "minimum": 1, "default": DEFAULT_PAGE },
                "max_limit": { "type": "integer", "minimum": 1, "maximum": 1000, "default": 100 },
                "params": { "type": "array", "maxItems": MAX_VIEW_PARAMS, "items": {
                    "type": "object", "required": ["name", "type"], "additionalProperties": false,
                    "properties": { "name": { "type": "string" }, "type": schema_ref("FieldType"),
                                    "when_absent": { "type": "string", "enum": ["error", "no_filter", "no_rows"], "default": "error",
                                                     "description": "What a request without the parameter gets: 422 (`error`, the parameter is required), its conditions dropped (`no_filter`), or an empty page (`no_rows`)." },
                                    "required": { "type": "boolean", "deprecated": true,
                                                  "description": "`true` is `when_absent: error`; `false` must come with a `when_absent`." },
                                    "example": { "type": "string", "maxLength": MAX_TEXT },
                                    "description": { "type": "string", "maxLength": MAX_TEXT },
                                    "options": { "type": "array", "items": { "type": "string" } } }
                } },
                "allowed_filters": { "type": "array", "maxItems": MAX_VIEW_ALLOWED, "items": {
                    "type": "object", "required": ["field", "ops"],
                    "properties": { "field": { "type": "string", "description": "A returned field or system column." },
                                    "ops": { "type": "array", "items": schema_ref("Operator") } }
                } },
                "allowed_sorts": { "type": "array", "maxItems": MAX_VIEW_ALLOWED, "items": { "type": "string" },
                                   "description": "Returned fields or system columns." }
            }
        }),
    );
    add(
        "View",
        json!({
            "type": "object", "required": ["id", "name", "active_version", "published", "definition", "versions"],
            "properties": {
                "id": uuid, "base_id": uuid, "name": { "type": "string" },
                "active_version": { "type": "integer", "description": "The version being edited." },
                "published": { "type": "boolean" },
                "published_version": { "type": ["integer", "null"], "description": "The version the slug serves." },
                "pending": { "type": "boolean", "description": "Published, and the edited version is not the one served." },
                "published_definition": { "type": ["object", "null"] },
                "slug": { "type": ["string", "null"] },
                "url": { "type": ["string", "null"] }, "auth": { "type": "string", "enum": ["public", "view_key", "base_token"] },
                "cache": schema_ref("CachePolicy"), "definition": { "type": "object" }, "created_at": { "type": "string" },
                "versions": { "type": "array", "items": { "type": "object", "properties": {
                    "version": { "type": "integer" }, "actor": { "type": "string" }, "created_at": { "type": "string" } } } }
            }
        }),
    );
    add(
        "ViewList",
        json!({ "type": "object", "required": ["data"], "properties": { "data": { "type": "array", "items": {
            "type": "object", "properties": { "id": uuid, "name": { "type": "string" },
            "active_version": { "type": "integer" }, "published": { "type": "boolean" },
            "published_version": { "type": ["integer", "null"] }, "pending": { "type": "boolean" },
            "slug": { "type": ["string", "null"] } } } } } }),
    );
    add(
        "ViewDeleted",
        json!({ "type": "object", "required": ["id", "deleted"], "properties": { "id": uuid, "deleted": { "const": true } } }),
    );
    add(
        "RollbackRequest",
        json!({ "type": "object", "required": ["version"], "properties": { "version": { "type": "integer", "minimum": 1 } } }),
    );
    add(
        "CachePolicy",
        json!({ "type": "object", "properties": {
            "max_age": { "type": "integer", "minimum": 0, "maximum": MAX_CACHE_SECONDS, "default": 60 },
            "stale_while_revalidate": { "type": "integer", "minimum": 0, "maximum": MAX_CACHE_SECONDS, "default": 0 },
            "stale_if_error": { "type": "integer", "minimum": 0, "maximum": MAX_CACHE_SECONDS, "default": 0 } } }),
    );
    add(
        "PublishRequest",
        json!({ "type": "object", "required": ["enabled"], "additionalProperties": false, "properties": {
            "enabled": { "type": "boolean" },
            "slug": { "type": "string", "pattern": "^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$" },
            "auth": { "type": "string", "enum": ["public", "view_key", "base_token"], "default": "public" },
            "cache": schema_ref("CachePolicy"),
            "version": { "type": "integer", "minimum": 1, "description": "The version to serve; the active one when absent." } } }),
    );
    add(
        "CreatedViewKey",
        json!({ "type": "object", "required": ["id", "key"], "properties": {
            "id": uuid, "view_id": uuid, "name": { "type": "string" },
            "key": { "type": "string", "description": "`nv_<id>_<secret>`: shown in this answer only." } } }),
    );
    add(
        "ViewKeyRevoked",
        json!({ "type": "object", "required": ["id", "revoked"], "properties": { "id": uuid, "revoked": { "const": true } } }),
    );
    add(
        "ViewPage",
        json!({ "type": "object", "required": ["data", "page"], "properties": {
            "data": { "type": "array", "items": schema_ref("Record") },
            "page": { "type": "object", "required": ["limit", "next_cursor"], "properties": {
                "limit": { "type": "integer" }, "next_cursor": { "type": ["string", "null"] } } } } }),
    );
    add(
        "ViewMeta",
        json!({ "type": "object", "required": ["endpoint", "params", "filters", "sort", "pagination", "response", "examples"],
                "properties": { "examples": { "type": "object", "properties": {
                    "curl": { "type": "string" }, "fetch": { "type": "string" }, "postman_url": { "type": "string" } } } } }),
    );
    add(
        "ChangeFeed",
        json!({ "type": "object", "required": ["data", "position", "has_more"], "properties": {
            "data": { "type": "array", "items": { "type": "object", "properties": {
                "seq": { "type": "integer" }, "at": { "type": "string" }, "op": { "type": "string" },
                "table_id": uuid, "record_id": uuid, "before": {}, "after": {}, "actor": { "type": "string" },
                "request_id": { "type": "string" } } } },
            "position": { "type": "string" }, "has_more": { "type": "boolean" } } }),
    );
    schemas
}
