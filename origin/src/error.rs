//! The origin's one error type. Handlers return it with `?` from whatever failed; the
//! boundary ([`Error::answer`], in `Executor::execute`) turns it into the error model and
//! logs it there, once, with the request id and the operation. A caller's mistake
//! ([`Error::Api`]) is answered as it is and not logged as a failure.

use shared::error::{ApiError, ErrorCode};
use tokio_postgres::error::SqlState;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The caller's: answered as it is.
    #[error("{0}")]
    Api(#[from] ApiError),
    /// A control-plane query failed: answered 503, so that the client retries.
    #[error("control plane: {0}")]
    Control(#[from] sqlx::Error),
    /// A data-plane statement failed: a value Postgres refuses is the caller's (422), a
    /// cancelled statement or a lost connection a 503, anything else a 500.
    #[error("data plane: {0}")]
    Data(#[from] tokio_postgres::Error),
    /// A write the answer depends on could not be made (an account, an audit event): 503
    /// with what failed.
    #[error("{0} {1:#}")]
    Unavailable(&'static str, anyhow::Error),
    /// No data-plane connection could be had: 503.
    #[error("data plane pool: {0}")]
    Pool(String),
    /// A broken invariant: 500.
    #[error("{0:#}")]
    Internal(#[from] anyhow::Error),
}

/// What a data-plane error means to the caller, when it is the caller's.
const CLIENT_SIDE: [(SqlState, &str); 8] = [
    (SqlState::NUMERIC_VALUE_OUT_OF_RANGE, "A number is out of range."),
    (SqlState::DATETIME_FIELD_OVERFLOW, "A date-time is out of range."),
    (SqlState::INTERVAL_FIELD_OVERFLOW, "A computed date moves out of range."),
    (SqlState::DIVISION_BY_ZERO, "A computed value divides by zero."),
    (SqlState::INVALID_DATETIME_FORMAT, "A date-time is malformed."),
    (SqlState::NOT_NULL_VIOLATION, "A required field is missing."),
    (SqlState::CHARACTER_NOT_IN_REPERTOIRE, "Text contains a character Postgres cannot store (NUL)."),
    (SqlState::UNTRANSLATABLE_CHARACTER, "Text contains a character Postgres cannot store (NUL)."),
];

pub fn unavailable() -> ApiError {
    ApiError::new(ErrorCode::ServiceUnavailable, "The database is unavailable; retry shortly.")
}

impl Error {
    /// The answer to the caller, logging what was not the caller's doing.
    pub fn answer(self, request_id: &str, op: &str) -> ApiError {
        match self {
            Error::Api(error) => error,
            Error::Control(error) => {
                tracing::error!(request_id, op, error = %error, "control plane query failed");
                unavailable()
            }
            Error::Unavailable(message, error) => {
                tracing::error!(request_id, op, error = %format!("{error:#}"), "{message}");
                ApiError::new(ErrorCode::ServiceUnavailable, message)
            }
            Error::Pool(error) => {
                tracing::error!(request_id, op, error, "no data-plane connection");
                unavailable()
            }
            Error::Data(error) => {
                let state = error.code();
                if let Some((_, message)) = CLIENT_SIDE.iter().find(|(known, _)| Some(known) == state) {
                    return ApiError::new(ErrorCode::ValidationError, *message);
                }
                if state == Some(&SqlState::QUERY_CANCELED) {
                    tracing::warn!(request_id, op, "statement timeout");
                    return ApiError::new(ErrorCode::ServiceUnavailable, "The query took too long and was cancelled.");
                }
                if error.is_closed() || error.as_db_error().is_none() {
                    tracing::error!(request_id, op, error = %error, "data plane connection failed");
                    return unavailable();
                }
                let detail = error.as_db_error().map(|db| format!("{}: {}", db.code().code(), db.message()));
                tracing::error!(request_id, op, error = %error, detail, "data plane query failed");
                ApiError::internal()
            }
            Error::Internal(error) => {
                tracing::error!(request_id, op, error = %format!("{error:#}"), "internal error");
                ApiError::internal()
            }
        }
    }
}

/// A broken invariant, with what was being done.
pub fn bug(what: impl std::fmt::Display) -> Error {
    Error::Internal(anyhow::anyhow!("{what}"))
}
