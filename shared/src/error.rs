//! The one error model: every error any host returns is an [`ApiError`] rendered as
//! `{"error":{"code","message","details"},"request_id"}`.
//!
//! Codes are grouped by area and never reused; a retired code stays listed as a comment.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value};

/// A stable, documented error code. The string form is part of the public API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    // Request shape.
    /// The request is malformed: bad JSON, bad header, bad parameter syntax.
    InvalidRequest,
    /// A query parameter is unknown or malformed.
    InvalidQuery,
    /// The body is larger than the configured cap.
    PayloadTooLarge,
    /// The body is not `application/json`.
    UnsupportedMediaType,
    /// A value does not fit its field; `details.field` names it.
    ValidationError,
    /// A field type change that could lose or invalidate values; the message describes
    /// the create-copy-swap path instead.
    UnsafeTypeChange,

    // Authentication and authorization.
    /// No `Authorization: Bearer` header.
    AuthRequired,
    /// The token is malformed, unknown, revoked or expired.
    InvalidToken,
    /// The token lacks the scope the operation needs; `details.required` names it.
    InsufficientScope,
    /// `X-Base-Id` names another base than the token's.
    BaseMismatch,
    /// Sign-in failed: wrong email or password (which one is not said).
    InvalidCredentials,
    /// The user's role in the workspace does not allow the command; `details.required_role` says which does.
    Forbidden,
    /// The caller's policy on the table does not allow this: a field it may not read or
    /// write, or a record it would write outside the rows it may see; `details.reason`
    /// says which.
    PolicyDenied,
    /// The platform's operators suspended the tenant the workspace or base belongs to:
    /// its tokens, sessions and published views are refused until they resume it.
    TenantSuspended,

    // Resources.
    /// No route matches the path.
    RouteNotFound,
    /// The method is not allowed on this path.
    MethodNotAllowed,
    /// No table with that id or name in the token's base.
    TableNotFound,
    /// No record with that id in the table.
    RecordNotFound,
    /// No such workspace, base, member or token visible to the caller.
    NotFound,
    /// A record with that id already exists.
    DuplicateRecord,
    /// An account with this email already exists.
    EmailTaken,
    /// A table or field name is in use (or is the former name of one, during its grace period).
    NameTaken,
    /// The records of the table prevent a schema change (duplicates for `unique`, empty
    /// values for `required`); `details.reason` says which. Nothing was changed.
    SchemaConflict,
    /// A value is already taken in a unique field; `details.field` names it.
    UniqueViolation,
    /// The record cannot be deleted while records of another table link to it through a
    /// link that restricts deletes; `details.table` and `details.field` name that link.
    RecordLinked,
    /// `If-Match` names another version than the record's; `details.current_etag` has its ETag.
    PreconditionFailed,
    /// The `X-Idempotency-Key` was already used for a different request (another body,
    /// record or table) in the last 24 hours. A faithful retry is not an error: it gets
    /// the original response with `Idempotency-Replayed: true`.
    IdempotencyReplayed,

    // Edge ↔ origin protocol (never seen by clients of a healthy deployment).
    /// The plan's signature does not verify.
    InvalidSignature,
    /// The plan's issued-at is outside the accepted window.
    PlanExpired,
    /// The plan's nonce was already used.
    PlanReplayed,
    /// The plan was compiled against an older catalog; `details.current_version` says which is current.
    CatalogStale,

    // Limits.
    /// Too many requests; see `Retry-After`.
    RateLimited,
    /// The base used its monthly request quota; `details` and the `X-Quota-*` headers say how much.
    QuotaExceeded,
    /// Creating this would take the workspace, base or table past its plan's limit;
    /// `details.limit` names it, with `details.max` and `details.plan`.
    PlanLimit,
    /// The URL is longer than the edge accepts.
    UriTooLong,
    /// The request headers are larger than the edge accepts.
    HeadersTooLarge,

    // Service.
    /// An unexpected failure; the message is generic and the log has the detail under `request_id`.
    Internal,
    /// The origin could not be reached or answered out of protocol; see `Retry-After`.
    OriginUnavailable,
    /// The origin did not answer in time; see `Retry-After`.
    OriginTimeout,
    /// A dependency (a Postgres plane) is unavailable.
    ServiceUnavailable,
}

impl ErrorCode {
    /// Every error code, in declaration order (the tests of the `openapi` crate check that
    /// none is missing).
    pub const ALL: [ErrorCode; 40] = [
        ErrorCode::InvalidRequest,
        ErrorCode::InvalidQuery,
        ErrorCode::PayloadTooLarge,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::ValidationError,
        ErrorCode::UnsafeTypeChange,
        ErrorCode::AuthRequired,
        ErrorCode::InvalidToken,
        ErrorCode::InsufficientScope,
        ErrorCode::BaseMismatch,
        ErrorCode::InvalidCredentials,
        ErrorCode::Forbidden,
        ErrorCode::PolicyDenied,
        ErrorCode::TenantSuspended,
        ErrorCode::RouteNotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::TableNotFound,
        ErrorCode::RecordNotFound,
        ErrorCode::NotFound,
        ErrorCode::DuplicateRecord,
        ErrorCode::EmailTaken,
        ErrorCode::NameTaken,
        ErrorCode::SchemaConflict,
        ErrorCode::UniqueViolation,
        ErrorCode::RecordLinked,
        ErrorCode::PreconditionFailed,
        ErrorCode::IdempotencyReplayed,
        ErrorCode::InvalidSignature,
        ErrorCode::PlanExpired,
        ErrorCode::PlanReplayed,
        ErrorCode::CatalogStale,
        ErrorCode::RateLimited,
        ErrorCode::QuotaExceeded,
        ErrorCode::PlanLimit,
        ErrorCode::UriTooLong,
        ErrorCode::HeadersTooLarge,
        ErrorCode::Internal,
        ErrorCode::OriginUnavailable,
        ErrorCode::OriginTimeout,
        ErrorCode::ServiceUnavailable,
    ];

    /// The HTTP status this code is always returned with.
    pub fn status(self) -> u16 {
        use ErrorCode::*;
        match self {
            InvalidRequest | InvalidQuery => 400,
            AuthRequired | InvalidToken | InvalidCredentials | InvalidSignature | PlanExpired | PlanReplayed => 401,
            InsufficientScope | BaseMismatch | Forbidden | PolicyDenied | TenantSuspended | PlanLimit => 403,
            RouteNotFound | TableNotFound | RecordNotFound | NotFound => 404,
            MethodNotAllowed => 405,
            DuplicateRecord | EmailTaken | NameTaken | SchemaConflict | UniqueViolation | RecordLinked
            | IdempotencyReplayed | CatalogStale => 409,
            PreconditionFailed => 412,
            PayloadTooLarge => 413,
            UnsupportedMediaType => 415,
            ValidationError | UnsafeTypeChange => 422,
            UriTooLong => 414,
            HeadersTooLarge => 431,
            RateLimited | QuotaExceeded => 429,
            Internal => 500,
            OriginUnavailable | ServiceUnavailable => 503,
            OriginTimeout => 504,
        }
    }

    /// The stable string form, e.g. `TABLE_NOT_FOUND`.
    pub fn as_str(self) -> &'static str {
        use ErrorCode::*;
        match self {
            InvalidRequest => "INVALID_REQUEST",
            InvalidQuery => "INVALID_QUERY",
            PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
            ValidationError => "VALIDATION_ERROR",
            UnsafeTypeChange => "UNSAFE_TYPE_CHANGE",
            AuthRequired => "AUTH_REQUIRED",
            InvalidToken => "INVALID_TOKEN",
            InsufficientScope => "INSUFFICIENT_SCOPE",
            BaseMismatch => "BASE_MISMATCH",
            InvalidCredentials => "INVALID_CREDENTIALS",
            Forbidden => "FORBIDDEN",
            PolicyDenied => "POLICY_DENIED",
            TenantSuspended => "TENANT_SUSPENDED",
            RouteNotFound => "ROUTE_NOT_FOUND",
            MethodNotAllowed => "METHOD_NOT_ALLOWED",
            TableNotFound => "TABLE_NOT_FOUND",
            RecordNotFound => "RECORD_NOT_FOUND",
            NotFound => "NOT_FOUND",
            DuplicateRecord => "DUPLICATE_RECORD",
            EmailTaken => "EMAIL_TAKEN",
            NameTaken => "NAME_TAKEN",
            SchemaConflict => "SCHEMA_CONFLICT",
            UniqueViolation => "UNIQUE_VIOLATION",
            RecordLinked => "RECORD_LINKED",
            PreconditionFailed => "PRECONDITION_FAILED",
            IdempotencyReplayed => "IDEMPOTENCY_REPLAYED",
            InvalidSignature => "INVALID_SIGNATURE",
            PlanExpired => "PLAN_EXPIRED",
            PlanReplayed => "PLAN_REPLAYED",
            CatalogStale => "CATALOG_STALE",
            RateLimited => "RATE_LIMITED",
            QuotaExceeded => "QUOTA_EXCEEDED",
            PlanLimit => "PLAN_LIMIT",
            UriTooLong => "URI_TOO_LONG",
            HeadersTooLarge => "HEADERS_TOO_LARGE",
            OriginTimeout => "ORIGIN_TIMEOUT",
            Internal => "INTERNAL",
            OriginUnavailable => "ORIGIN_UNAVAILABLE",
            ServiceUnavailable => "SERVICE_UNAVAILABLE",
        }
    }
}

/// An error a client may see: code, human message and structured details.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    pub details: Map<String, Value>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError { code, message: message.into(), details: Map::new() }
    }

    /// Adds one entry to `details`.
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.details.insert(key.to_owned(), value.into());
        self
    }

    pub fn status(&self) -> u16 {
        self.code.status()
    }

    /// The generic 500: internal detail goes to the log under the request id, never to the client.
    pub fn internal() -> Self {
        ApiError::new(ErrorCode::Internal, "An unexpected error occurred; quote the request_id when reporting it.")
    }

    /// Renders the uniform error body.
    pub fn to_body(&self, request_id: &str) -> Vec<u8> {
        let body = ErrorBody {
            error: ErrorObject { code: self.code, message: &self.message, details: &self.details },
            request_id: Some(request_id),
        };
        serde_json::to_vec(&body).expect("an error body always serializes")
    }
}

/// Every error answer: `{"error": {"code", "message", "details"}, "request_id"}`.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Error")]
pub struct ErrorBody<'a> {
    pub error: ErrorObject<'a>,
    /// Equals the `X-Request-Id` header.
    pub request_id: Option<&'a str>,
}

/// What went wrong.
#[derive(Serialize, JsonSchema)]
#[schemars(inline)]
pub struct ErrorObject<'a> {
    pub code: ErrorCode,
    /// For people; may change.
    pub message: &'a str,
    #[schemars(with = "ErrorDetails")]
    pub details: &'a Map<String, Value>,
}

/// Structured facts about the error; which keys appear depends on the code.
#[derive(JsonSchema)]
#[schemars(transform = facts)]
#[expect(dead_code, reason = "only its schema is used: details are built key by key")]
struct ErrorDetails {
    /// Every problem of a `VALIDATION_ERROR`.
    errors: Option<Vec<FieldError>>,
    /// The field concerned (the first one, with `errors`).
    field: Option<String>,
    /// The field's type.
    #[serde(rename = "type")]
    field_type: Option<String>,
    /// As `errors[].code`.
    reason: Option<String>,
    /// The batch item concerned.
    index: Option<u64>,
    /// The query parameter concerned.
    parameter: Option<String>,
    /// The header concerned.
    header: Option<String>,
    operator: Option<String>,
    /// The URL path, or where in `where` the problem is.
    path: Option<String>,
    options: Option<Vec<String>>,
    /// The scope the operation needs.
    required: Option<String>,
    /// The methods the path allows.
    allowed: Option<String>,
    max: Option<u64>,
    max_bytes: Option<u64>,
    max_depth: Option<u64>,
    max_items: Option<u64>,
    id: Option<String>,
    /// Ids of a batch delete that are not records of the table.
    missing: Option<Vec<String>>,
    table: Option<String>,
    /// The record's current ETag, on a 412.
    current_etag: Option<String>,
    current_version: Option<i64>,
}

/// The schema of `details`: any member may be left out, and others may appear.
fn facts(schema: &mut schemars::Schema) {
    schema.remove("required");
    schema.insert("additionalProperties".to_owned(), true.into());
    if let Some(Value::Object(members)) = schema.get_mut("properties") {
        for member in members.values_mut() {
            if let Some(Value::Array(types)) = member.get_mut("type") {
                types.retain(|name| name != "null");
            }
        }
    }
}

/// One problem of a validation error.
#[derive(JsonSchema)]
#[expect(dead_code, reason = "only its schema is used")]
struct FieldError {
    /// The batch item, for batch requests.
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<String>,
    /// Why: `invalid_type`, `invalid_option`, `duplicate_option`, `required`, `unknown_field`,
    /// `duplicate_key`, or `invalid`.
    code: String,
    message: String,
}

crate::json_schema::string_enum!(ErrorCode, ErrorCode::ALL);

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    #[test]
    fn body_shape() {
        let error =
            ApiError::new(ErrorCode::ValidationError, "Field 'amount' must be a number.").with("field", "amount");
        let body = String::from_utf8(error.to_body("req_1")).expect("utf-8");
        expect![[r#"{"error":{"code":"VALIDATION_ERROR","message":"Field 'amount' must be a number.","details":{"field":"amount"}},"request_id":"req_1"}"#]].assert_eq(&body);
        assert_eq!(error.status(), 422);
    }

    #[test]
    fn serde_name_matches_as_str() {
        for code in
            [ErrorCode::InvalidRequest, ErrorCode::InsufficientScope, ErrorCode::CatalogStale, ErrorCode::Internal]
        {
            assert_eq!(serde_json::to_value(code).expect("json"), Value::from(code.as_str()));
        }
    }
}
