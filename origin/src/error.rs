//! How the origin's own failures reach the error model.

use shared::error::{ApiError, ErrorCode};

pub fn unavailable() -> ApiError {
    ApiError::new(ErrorCode::ServiceUnavailable, "The database is unavailable; retry shortly.")
}

/// A control-plane query failed: logged, and answered 503 so that the client retries.
pub fn control_error(error: sqlx::Error) -> ApiError {
    tracing::error!(error = %error, "control plane query failed");
    unavailable()
}
