//! CORS: browsers may call the API from the origins in `cors_allowed_origins` (the app's
//! origin by default). Preflights are answered here and never reach the origin.

use crate::Config;
use http::{HeaderMap, HeaderValue, Response, header};

/// What a browser may send and read.
const ALLOW_HEADERS: &str = "authorization, content-type, x-base-id, x-idempotency-key, if-match, if-none-match, x-allow-filtered-delete, \
     x-see-as, x-see-as-email, x-see-as-token, last-event-id";
const EXPOSE_HEADERS: &str = "etag, x-request-id, idempotency-replayed";

/// The request's `Origin` if the configuration allows it.
pub fn allowed_origin(config: &Config, headers: &HeaderMap) -> Option<HeaderValue> {
    let origin = headers.get(header::ORIGIN)?;
    let text = origin.to_str().ok()?;
    config
        .cors_allowed_origins
        .iter()
        .any(|allowed| allowed == "*" || allowed.eq_ignore_ascii_case(text))
        .then(|| origin.clone())
}

/// `OPTIONS`: 204 naming the methods the path takes (`allowed`), with the CORS grants when
/// the origin is allowed (none otherwise, which the browser enforces).
pub fn preflight(origin: Option<HeaderValue>, allowed: &str, request_id: &str) -> Response<Vec<u8>> {
    let mut response = Response::new(Vec::new());
    *response.status_mut() = http::StatusCode::NO_CONTENT;
    let headers = response.headers_mut();
    let allowed = HeaderValue::from_str(allowed).unwrap_or_else(|_| HeaderValue::from_static("OPTIONS"));
    headers.insert(header::ALLOW, allowed.clone());
    if let Ok(value) = HeaderValue::from_str(request_id) {
        headers.insert(crate::REQUEST_ID_HEADER, value);
    }
    if origin.is_some() {
        headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, allowed);
        headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static(ALLOW_HEADERS));
        headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
    }
    decorate(&mut response, origin);
    response
}

/// Adds the allow-origin grant to a response for an allowed origin.
pub fn decorate(response: &mut Response<Vec<u8>>, origin: Option<HeaderValue>) {
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    if let Some(origin) = origin {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static(EXPOSE_HEADERS));
    }
}
