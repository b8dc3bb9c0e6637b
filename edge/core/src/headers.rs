//! Request headers with meaning for records routes: `If-Match`, `If-None-Match`,
//! `X-Idempotency-Key` and `X-Allow-Filtered-Delete`.

use http::HeaderMap;
use shared::error::{ApiError, ErrorCode};

pub const IDEMPOTENCY_KEY: &str = "x-idempotency-key";
pub const ALLOW_FILTERED_DELETE: &str = "x-allow-filtered-delete";
const MAX_IDEMPOTENCY_KEY: usize = 255;

/// `If-Match: "<version>"` as returned in `ETag`; `*` (any current record) is no condition.
pub fn if_match(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    let Some(value) = headers.get(http::header::IF_MATCH) else { return Ok(None) };
    let text = value.to_str().unwrap_or("").trim();
    if text == "*" {
        return Ok(None);
    }
    text.strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .and_then(|digits| digits.parse::<i64>().ok())
        .map(Some)
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidRequest,
                "If-Match must be one ETag of this record as returned by the API (e.g. \"3\"), or *.",
            )
            .with("header", "If-Match")
        })
}

/// Whether `If-None-Match` lists `etag` (weak comparison, as RFC 9110 prescribes for it).
pub fn none_match(headers: &HeaderMap, etag: &[u8]) -> bool {
    let Some(value) = headers.get(http::header::IF_NONE_MATCH) else { return false };
    let text = value.to_str().unwrap_or("");
    text.split(',').map(str::trim).any(|tag| tag == "*" || tag.trim_start_matches("W/").as_bytes() == etag)
}

/// `X-Idempotency-Key`: 1 to 255 visible ASCII characters (a UUID is a good choice).
pub fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get(IDEMPOTENCY_KEY) else { return Ok(None) };
    let key = value.to_str().unwrap_or("").trim();
    if key.is_empty() || key.len() > MAX_IDEMPOTENCY_KEY || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::new(
            ErrorCode::InvalidRequest,
            format!("X-Idempotency-Key must be 1 to {MAX_IDEMPOTENCY_KEY} visible ASCII characters, e.g. a UUID."),
        )
        .with("header", "X-Idempotency-Key"));
    }
    Ok(Some(key.to_owned()))
}

pub fn allow_filtered_delete(headers: &HeaderMap) -> bool {
    headers
        .get(ALLOW_FILTERED_DELETE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(name: &'static str, value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, http::HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn if_match_values() {
        assert_eq!(if_match(&HeaderMap::new()).ok(), Some(None));
        assert_eq!(if_match(&headers("if-match", "\"7\"")).ok(), Some(Some(7)));
        assert_eq!(if_match(&headers("if-match", "*")).ok(), Some(None));
        for bad in ["7", "W/\"7\"", "\"x\"", "\"1\", \"2\""] {
            assert!(if_match(&headers("if-match", bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn if_none_match_values() {
        assert!(none_match(&headers("if-none-match", "\"3\""), b"\"3\""));
        assert!(none_match(&headers("if-none-match", "\"1\", W/\"3\""), b"\"3\""));
        assert!(none_match(&headers("if-none-match", "*"), b"\"3\""));
        assert!(!none_match(&headers("if-none-match", "\"2\""), b"\"3\""));
        assert!(!none_match(&HeaderMap::new(), b"\"3\""));
    }

    #[test]
    fn idempotency_keys() {
        assert_eq!(idempotency_key(&headers("x-idempotency-key", "k-1")).ok(), Some(Some("k-1".into())));
        assert!(idempotency_key(&headers("x-idempotency-key", "a b")).is_err());
        assert!(idempotency_key(&headers("x-idempotency-key", "")).is_err());
    }
}
