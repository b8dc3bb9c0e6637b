//! The OpenAPI 3.1 description of the public API, built from the same constants and
//! error codes the code uses, and served by the edge at `GET /v1/openapi.json`.

use crate::error::ErrorCode;
use crate::query::{DEFAULT_LIMIT, MAX_FILTERS, MAX_LIMIT};
use serde_json::{Value, json};

/// Every error code a client of the records API can receive.
const CLIENT_ERRORS: [ErrorCode; 17] = [
    ErrorCode::InvalidRequest,
    ErrorCode::InvalidQuery,
    ErrorCode::PayloadTooLarge,
    ErrorCode::UnsupportedMediaType,
    ErrorCode::ValidationError,
    ErrorCode::AuthRequired,
    ErrorCode::InvalidToken,
    ErrorCode::InsufficientScope,
    ErrorCode::BaseMismatch,
    ErrorCode::RouteNotFound,
    ErrorCode::MethodNotAllowed,
    ErrorCode::TableNotFound,
    ErrorCode::RecordNotFound,
    ErrorCode::DuplicateRecord,
    ErrorCode::Internal,
    ErrorCode::OriginUnavailable,
    ErrorCode::ServiceUnavailable,
];

fn error_response(codes: &[ErrorCode]) -> Value {
    let names: Vec<&str> = codes.iter().map(|code| code.as_str()).collect();
    json!({
        "description": format!("Error: {}", names.join(", ")),
        "headers": { "X-Request-Id": { "$ref": "#/components/headers/RequestId" } },
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } }
    })
}

/// Responses keyed by status, each listing the codes that come with it.
fn errors(codes: &[ErrorCode]) -> serde_json::Map<String, Value> {
    let mut by_status: Vec<(u16, Vec<ErrorCode>)> = Vec::new();
    for code in codes {
        match by_status.iter_mut().find(|(status, _)| *status == code.status()) {
            Some((_, list)) => list.push(*code),
            None => by_status.push((code.status(), vec![*code])),
        }
    }
    by_status.into_iter().map(|(status, list)| (status.to_string(), error_response(&list))).collect()
}

fn ok(status: u16, description: &str, schema: &str) -> (String, Value) {
    (
        status.to_string(),
        json!({
            "description": description,
            "headers": { "X-Request-Id": { "$ref": "#/components/headers/RequestId" } },
            "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } }
        }),
    )
}

fn operation(
    summary: &str,
    scope: &str,
    parameters: Value,
    success: (String, Value),
    codes: &[ErrorCode],
    body: Option<Value>,
) -> Value {
    let mut responses = errors(codes);
    responses.insert(success.0, success.1);
    let mut operation = json!({
        "summary": summary,
        "description": format!("Requires a token with the `{scope}` scope."),
        "parameters": parameters,
        "responses": responses,
        "security": [{ "bearer": [] }]
    });
    if let Some(body) = body {
        operation["requestBody"] = body;
    }
    operation
}

/// The document; `server_url` is where the API is served (e.g. `https://api.example.com`).
pub fn document(server_url: &str) -> Value {
    use ErrorCode::*;
    let common = [
        RouteNotFound,
        MethodNotAllowed,
        AuthRequired,
        InvalidToken,
        InsufficientScope,
        BaseMismatch,
        TableNotFound,
        Internal,
        OriginUnavailable,
        ServiceUnavailable,
    ];
    let with = |extra: &[ErrorCode]| -> Vec<ErrorCode> { common.iter().chain(extra).copied().collect() };
    let table = json!({ "$ref": "#/components/parameters/TableId" });
    let base = json!({ "$ref": "#/components/parameters/BaseId" });
    let list_params = json!([
        table, base,
        { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT },
          "description": format!("Page size. Over {MAX_LIMIT} is a 413 PAYLOAD_TOO_LARGE.") },
        { "name": "cursor", "in": "query", "schema": { "type": "string" },
          "description": "The `next_cursor` of the previous page. Bound to the query: reusing it with other filters is a 400." },
        { "name": "filter", "in": "query", "style": "deepObject", "explode": true,
          "schema": { "type": "object", "additionalProperties": { "type": "object", "additionalProperties": { "type": "string" } } },
          "description": format!("`filter[field][op]=value` with op in eq, ne, gt, gte, lt, lte; at most {MAX_FILTERS}. The value must parse for the field's type (422 naming field and operator).") }
    ]);
    let create_body = json!({
        "required": true,
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/RecordInput" } } }
    });
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "NC LCDBaaS records API",
            "version": "1",
            "description": "CRUD on the records of one base. Every response carries X-Request-Id; every error is {error:{code,message,details},request_id}."
        },
        "servers": [{ "url": server_url }],
        "paths": {
            "/v1/tables/{tableId}/records": {
                "get": operation("List records", "read", list_params, ok(200, "A page of records", "RecordList"),
                                 &with(&[InvalidQuery, ValidationError, PayloadTooLarge]), None),
                "post": operation("Create a record", "write", json!([table, base]), ok(201, "The created record", "Record"),
                                  &with(&[InvalidRequest, UnsupportedMediaType, ValidationError, DuplicateRecord, PayloadTooLarge]), Some(create_body))
            },
            "/v1/tables/{tableId}/records/{id}": {
                "get": operation("Get a record", "read",
                                 json!([table, base, { "name": "id", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } }]),
                                 ok(200, "The record", "Record"), &with(&[RecordNotFound]), None)
            },
            "/v1/openapi.json": {
                "get": { "summary": "This document", "security": [], "responses": { "200": { "description": "OpenAPI 3.1" } } }
            }
        },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer", "description": "An API token `nc_<id>_<secret>`, valid for one base." } },
            "headers": { "RequestId": { "schema": { "type": "string" }, "description": "Identifies the request in logs; equals `request_id` in error bodies." } },
            "parameters": {
                "TableId": { "name": "tableId", "in": "path", "required": true, "schema": { "type": "string" }, "description": "The table's UUID or system name." },
                "BaseId": { "name": "X-Base-Id", "in": "header", "required": false, "schema": { "type": "string", "format": "uuid" },
                            "description": "Optional; when sent it must be the token's base (403 BASE_MISMATCH otherwise)." }
            },
            "schemas": {
                "Values": { "type": "object", "description": "Field name → value: text → string, number → number, boolean → boolean, datetime → RFC 3339 string with offset.",
                            "additionalProperties": { "type": ["string", "number", "boolean", "null"] } },
                "Record": { "type": "object", "required": ["id", "values", "created_at", "updated_at"], "properties": {
                    "id": { "type": "string", "format": "uuid" }, "values": { "$ref": "#/components/schemas/Values" },
                    "created_at": { "type": "string", "format": "date-time" }, "updated_at": { "type": "string", "format": "date-time" } } },
                "RecordInput": { "type": "object", "required": ["values"], "additionalProperties": false, "properties": {
                    "id": { "type": "string", "format": "uuid", "description": "Optional client-chosen id; 409 DUPLICATE_RECORD if taken." },
                    "values": { "$ref": "#/components/schemas/Values" } } },
                "RecordList": { "type": "object", "required": ["data", "next_cursor", "has_more"], "properties": {
                    "data": { "type": "array", "items": { "$ref": "#/components/schemas/Record" } },
                    "next_cursor": { "type": ["string", "null"] }, "has_more": { "type": "boolean" } } },
                "Error": { "type": "object", "required": ["error", "request_id"], "properties": {
                    "error": { "type": "object", "required": ["code", "message", "details"], "properties": {
                        "code": { "type": "string", "enum": CLIENT_ERRORS.iter().map(|code| code.as_str()).collect::<Vec<_>>() },
                        "message": { "type": "string" }, "details": { "type": "object" } } },
                    "request_id": { "type": ["string", "null"] } } }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_response_code_is_documented_in_the_error_schema() {
        let document = document("http://127.0.0.1:8787");
        let documented =
            document["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]["enum"].clone();
        let text = document.to_string();
        for code in CLIENT_ERRORS {
            assert!(documented.as_array().is_some_and(|codes| codes.contains(&Value::from(code.as_str()))));
            assert!(
                text.contains(&format!("Error: {}", code.as_str())) || text.contains(&format!(", {}", code.as_str())),
                "{code:?} is in some response"
            );
        }
        assert_eq!(
            document["paths"]["/v1/tables/{tableId}/records"]["post"]["responses"]["201"]["description"],
            "The created record"
        );
    }
}
