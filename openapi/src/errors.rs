//! The errors of each operation: those its declaration lists, with their causes, and those
//! its caller and body imply; rendered per status, and kept once under
//! `components.responses` where operations share them.

use crate::prose::{DEFAULT_MAX_BODY_BYTES, meaning};
use crate::{Header, response, schema_ref};
use serde_json::{Map, Value, json};
use shared::api::{Caller, Operation};
use shared::error::ErrorCode;
use shared::token::Scope;

/// The reference every operation's `default` response is.
pub fn default_reference() -> Value {
    response_ref(DEFAULT_RESPONSE)
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
pub struct Responses {
    uniform: Vec<(u16, &'static str, Value)>,
    named: Map<String, Value>,
}

impl Responses {
    pub fn new() -> Responses {
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
    pub fn reference(&mut self, kind: &str, status: u16, value: Value) -> Value {
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

    pub fn components(&self) -> Map<String, Value> {
        let mut all: Map<String, Value> =
            self.uniform.iter().map(|(_, name, value)| ((*name).to_owned(), value.clone())).collect();
        all.extend(self.named.iter().map(|(name, value)| (name.clone(), value.clone())));
        all.insert(DEFAULT_RESPONSE.to_owned(), default_response());
        all
    }
}

/// Error responses keyed by status; each lists its codes and why they occur here.
pub fn error_responses(errors: &[(ErrorCode, String)]) -> Vec<(u16, Value)> {
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
        (TenantSuspended, meaning(TenantSuspended)),
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

/// The errors a signed-in operation can answer with.
fn session_errors() -> Vec<(ErrorCode, String)> {
    use ErrorCode::*;
    let mut list = errors(&[
        (AuthRequired, "No `Authorization: Bearer <access token>` header, or the account is gone."),
        (InvalidToken, "The access token is malformed, forged or expired (refresh it), or is an API token."),
        (Forbidden, meaning(Forbidden)),
        (NotFound, meaning(NotFound)),
        (PayloadTooLarge, "The body is over the deployment's cap (`details.max_bytes`)."),
        (InvalidQuery, "A query parameter this route does not take."),
    ]);
    list.extend(guard_errors());
    list
}

/// The errors of a published view's endpoints.
fn view_errors() -> Vec<(ErrorCode, String)> {
    use ErrorCode::*;
    let mut list = guard_errors();
    list.extend(errors(&[
        (NotFound, "No view is published at this slug."),
        (AuthRequired, "The view needs a key or an API token."),
        (InvalidToken, "The key or token is not one the view accepts."),
        (InsufficientScope, "The API token lacks `read`."),
        (QuotaExceeded, meaning(QuotaExceeded)),
        (TenantSuspended, meaning(TenantSuspended)),
    ]));
    list
}

/// Every error the operation can answer with: what its caller, body and writes imply, then
/// its own (an empty cause standing for the code's general meaning).
pub fn of(operation: &Operation) -> Vec<(ErrorCode, String)> {
    use ErrorCode::*;
    let mut list = match operation.caller {
        Caller::Anyone => errors(&[(Internal, meaning(Internal))]),
        Caller::Anonymous => guard_errors(),
        Caller::View => view_errors(),
        Caller::SignedIn => session_errors(),
        Caller::Member(_) => {
            let mut list = session_errors();
            list.extend(errors(&[(TenantSuspended, meaning(TenantSuspended))]));
            list
        }
        Caller::Operator => {
            let mut list = session_errors();
            list.retain(|(code, _)| *code != Forbidden);
            list.extend(errors(&[(Forbidden, "The signed-in user is not a platform operator.")]));
            list
        }
        Caller::Token(scope) => {
            let mut list = authenticated_errors();
            if operation.path.contains("/records") {
                list.extend(errors(&[(TableNotFound, meaning(TableNotFound)), (CatalogStale, meaning(CatalogStale))]));
            }
            if scope != Scope::Read {
                list.extend(errors(&[
                    (InvalidRequest, "`X-Idempotency-Key` is not 1 to 255 visible ASCII characters."),
                    (IdempotencyReplayed, meaning(IdempotencyReplayed)),
                ]));
            }
            list
        }
    };
    if operation.request.is_some() {
        list.extend(errors(&[
            (
                InvalidRequest,
                "The body is not JSON of the documented shape: malformed, or a member unknown or given twice.",
            ),
            (UnsupportedMediaType, meaning(UnsupportedMediaType)),
        ]));
    }
    list.extend(operation.errors.iter().map(|(code, cause)| {
        let cause = if cause.is_empty() { meaning(*code) } else { cause };
        (*code, cause.to_owned())
    }));
    list
}
