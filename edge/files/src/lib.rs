//! Static files beside the API: the API reference at `/docs/` (and whatever else
//! `build/static` holds). A `wasi:http/handler@0.3.0` component that serves its WASI root,
//! which spin.toml mounts read-only from `build/static`; edge-host runs it on the same
//! routes, and Workers serve the same directory as static assets.
//!
//! Both read the per-path response headers from the directory's `_headers` file (the
//! format of Workers static assets), so a page's Content-Security-Policy is written once.
//! Only GET and HEAD are answered; a path is read only when each of its segments is a
//! plain name (no `..`, no hidden files, no percent-escapes), and `_headers` itself is
//! never served.

use http::{HeaderMap, HeaderName, HeaderValue, Method, Response, StatusCode, header};
use shared::error::{ApiError, ErrorCode};

/// The most bytes one file may have: larger ones are not read into memory.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Where the per-path headers are, relative to the root.
pub const HEADERS_FILE: &str = "_headers";

/// What the request asks of the file system.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    /// The file at this path, relative to the root.
    File(String),
    /// Nothing: the answer is already known.
    Answer(Answer),
}

#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
    NotFound,
    MethodNotAllowed,
}

/// Maps a request to the file it names: `/docs/` is `docs/index.html`.
pub fn lookup(method: &Method, path: &str) -> Lookup {
    if method != Method::GET && method != Method::HEAD {
        return Lookup::Answer(Answer::MethodNotAllowed);
    }
    let Some(relative) = path.strip_prefix('/') else { return Lookup::Answer(Answer::NotFound) };
    let mut segments: Vec<&str> = relative.split('/').collect();
    if segments.last() == Some(&"") {
        segments.pop();
        segments.push("index.html");
    }
    let plain = |segment: &&str| {
        !segment.is_empty()
            && !segment.starts_with(['.', '_'])
            && segment.bytes().all(|byte| byte.is_ascii_alphanumeric() || b"._-".contains(&byte))
    };
    if segments.is_empty() || !segments.iter().all(plain) {
        return Lookup::Answer(Answer::NotFound);
    }
    Lookup::File(segments.join("/"))
}

/// The media type of a file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, extension)| extension) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json" | "map") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("wasm") => "application/wasm",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The rules of a `_headers` file: for each URL pattern (`*` matches the rest of the
/// path), the headers its answers carry.
#[derive(Debug, Default)]
pub struct HeaderRules(Vec<(String, Vec<(HeaderName, HeaderValue)>)>);

impl HeaderRules {
    /// Reads the file's text; lines it cannot read are skipped (the build checks the file).
    pub fn parse(text: &str) -> HeaderRules {
        let mut rules: Vec<(String, Vec<(HeaderName, HeaderValue)>)> = Vec::new();
        for line in text.lines() {
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            if !line.starts_with([' ', '\t']) {
                rules.push((line.trim().to_owned(), Vec::new()));
                continue;
            }
            let Some((_, headers)) = rules.last_mut() else { continue };
            let Some((name, value)) = line.trim().split_once(':') else { continue };
            if let (Ok(name), Ok(value)) = (HeaderName::try_from(name.trim()), HeaderValue::try_from(value.trim())) {
                headers.push((name, value));
            }
        }
        HeaderRules(rules)
    }

    /// The headers for `path`, from every rule that matches it, in the file's order.
    pub fn for_path(&self, path: &str) -> impl Iterator<Item = &(HeaderName, HeaderValue)> {
        self.0.iter().filter(|(pattern, _)| matches(pattern, path)).flat_map(|(_, headers)| headers)
    }
}

fn matches(pattern: &str, path: &str) -> bool {
    match pattern.split_once('*') {
        Some((prefix, suffix)) => {
            path.len() >= prefix.len() + suffix.len() && path.starts_with(prefix) && path.ends_with(suffix)
        }
        None => pattern == path,
    }
}

/// A validator that changes whenever the file does: its size and modification time.
pub fn etag(size: u64, modified_secs: u64) -> String {
    format!("\"{size:x}-{modified_secs:x}\"")
}

/// Whether `If-None-Match` names this validator (or is `*`).
pub fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    headers.get_all(header::IF_NONE_MATCH).iter().filter_map(|value| value.to_str().ok()).any(|value| {
        value.split(',').map(|tag| tag.trim().trim_start_matches("W/")).any(|tag| tag == etag || tag == "*")
    })
}

/// An answer in the API's error model.
pub fn error(answer: &Answer, path: &str, request_id: &str) -> Response<Vec<u8>> {
    let error = match answer {
        Answer::NotFound => {
            ApiError::new(ErrorCode::RouteNotFound, format!("No file at '{path}'. See /docs/.")).with("path", path)
        }
        Answer::MethodNotAllowed => {
            ApiError::new(ErrorCode::MethodNotAllowed, "Files answer GET and HEAD only.").with("allowed", "GET, HEAD")
        }
    };
    let mut response = Response::new(error.to_body(request_id));
    *response.status_mut() = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::NOT_FOUND);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if *answer == Answer::MethodNotAllowed {
        headers.insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
    }
    if let Ok(value) = HeaderValue::from_str(request_id) {
        headers.insert(HeaderName::from_static("x-request-id"), value);
    }
    response
}

/// A file's answer: its bytes (none for HEAD or 304), media type, validator, and the
/// `_headers` rules for its path. Unless a rule says otherwise, a client revalidates
/// before each use (the validator makes that a 304).
pub fn file(
    method: &Method,
    request: &HeaderMap,
    path: &str,
    relative: &str,
    bytes: Vec<u8>,
    etag: &str,
    rules: &HeaderRules,
) -> Response<Vec<u8>> {
    let unchanged = not_modified(request, etag);
    let length = bytes.len();
    let body = if unchanged || method == Method::HEAD { Vec::new() } else { bytes };
    let mut response = Response::new(body);
    if unchanged {
        *response.status_mut() = StatusCode::NOT_MODIFIED;
    }
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(relative)));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=0, must-revalidate"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, value);
    }
    if method == Method::HEAD && !unchanged {
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    }
    for (name, value) in rules.for_path(path) {
        headers.insert(name.clone(), value.clone());
    }
    response
}

/// The answer to a directory named without its trailing slash: the same path with it.
pub fn redirect_to_directory(path: &str) -> Response<Vec<u8>> {
    let mut response = Response::new(Vec::new());
    *response.status_mut() = StatusCode::MOVED_PERMANENTLY;
    if let Ok(value) = HeaderValue::from_str(&format!("{path}/")) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

#[cfg(target_arch = "wasm32")]
mod component {
    use super::{Answer, HEADERS_FILE, HeaderRules, Lookup, MAX_FILE_BYTES};
    use bytes::Bytes;
    use spin_sdk::http::{FullBody, IntoResponse, Request};
    use spin_sdk::http_service;
    use std::path::Path;
    use std::sync::OnceLock;

    /// The root the host mounts the files at.
    const ROOT: &str = "/";

    fn rules() -> &'static HeaderRules {
        static RULES: OnceLock<HeaderRules> = OnceLock::new();
        RULES.get_or_init(|| {
            let text = std::fs::read_to_string(Path::new(ROOT).join(HEADERS_FILE)).unwrap_or_default();
            HeaderRules::parse(&text)
        })
    }

    fn request_id() -> String {
        let mut bytes = [0u8; 12];
        let _ = getrandom::fill(&mut bytes);
        format!("req_{}", bytes.iter().map(|byte| format!("{byte:02x}")).collect::<String>())
    }

    fn answer(request: &Request) -> http::Response<Vec<u8>> {
        let path = request.uri().path();
        let relative = match super::lookup(request.method(), path) {
            Lookup::File(relative) => relative,
            Lookup::Answer(answer) => return super::error(&answer, path, &request_id()),
        };
        let full = Path::new(ROOT).join(&relative);
        let Ok(metadata) = std::fs::metadata(&full) else {
            return super::error(&Answer::NotFound, path, &request_id());
        };
        if metadata.is_dir() {
            return super::redirect_to_directory(path);
        }
        let bytes = if metadata.len() <= MAX_FILE_BYTES { std::fs::read(&full).ok() } else { None };
        let Some(bytes) = bytes else { return super::error(&Answer::NotFound, path, &request_id()) };
        let modified = metadata
            .modified()
            .ok()
            .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |since| since.as_secs());
        let etag = super::etag(metadata.len(), modified);
        super::file(request.method(), request.headers(), path, &relative, bytes, &etag, rules())
    }

    #[http_service]
    async fn handle(request: Request) -> impl IntoResponse {
        answer(&request).map(|body| FullBody::new(Bytes::from(body)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_plain_files_only() {
        let get = |path| lookup(&Method::GET, path);
        assert_eq!(get("/docs/"), Lookup::File("docs/index.html".into()));
        assert_eq!(get("/docs/redoc.standalone.js"), Lookup::File("docs/redoc.standalone.js".into()));
        assert_eq!(get("/docs"), Lookup::File("docs".into()));
        for hostile in ["/docs/../secret", "/docs/%2e%2e/x", "/.env", "/_headers", "/docs//x", "/docs/a\\b", "x"] {
            assert_eq!(get(hostile), Lookup::Answer(Answer::NotFound), "{hostile}");
        }
        assert_eq!(lookup(&Method::POST, "/docs/"), Lookup::Answer(Answer::MethodNotAllowed));
        assert_eq!(lookup(&Method::HEAD, "/docs/"), Lookup::File("docs/index.html".into()));
    }

    #[test]
    fn header_rules_apply_by_pattern() {
        let rules = HeaderRules::parse(
            "# comment\n/docs/*\n  Content-Security-Policy: default-src 'self'\n  X-Frame-Options: DENY\n\
             /docs/index.html\n  Cache-Control: no-cache\nbad line without rule\n  not a header\n",
        );
        let names = |path| rules.for_path(path).map(|(name, value)| format!("{name}={value:?}")).collect::<Vec<_>>();
        assert_eq!(
            names("/docs/index.html"),
            [
                "content-security-policy=\"default-src 'self'\"",
                "x-frame-options=\"DENY\"",
                "cache-control=\"no-cache\""
            ]
        );
        assert_eq!(names("/docs/redoc.js").len(), 2);
        assert!(names("/app/").is_empty());
    }

    #[test]
    fn answers_revalidate_and_head_has_no_body() {
        let rules = HeaderRules::parse("/docs/*\n  Cache-Control: no-cache\n");
        let tag = etag(3, 9);
        let fresh = file(&Method::GET, &HeaderMap::new(), "/docs/", "docs/index.html", b"abc".to_vec(), &tag, &rules);
        assert_eq!(fresh.status(), StatusCode::OK);
        assert_eq!(fresh.body(), b"abc");
        assert_eq!(fresh.headers()[header::CONTENT_TYPE], "text/html; charset=utf-8");
        assert_eq!(fresh.headers()[header::CACHE_CONTROL], "no-cache");
        assert_eq!(fresh.headers()[header::ETAG], tag.as_str());
        let mut conditional = HeaderMap::new();
        conditional.insert(header::IF_NONE_MATCH, HeaderValue::from_str(&format!("\"x\", W/{tag}")).expect("header"));
        let unchanged = file(&Method::GET, &conditional, "/docs/", "docs/index.html", b"abc".to_vec(), &tag, &rules);
        assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);
        assert!(unchanged.body().is_empty());
        let head = file(&Method::HEAD, &HeaderMap::new(), "/docs/", "docs/index.html", b"abc".to_vec(), &tag, &rules);
        assert!(head.body().is_empty());
        assert_eq!(head.headers()[header::CONTENT_LENGTH], "3");
    }

    #[test]
    fn refusals_use_the_error_model() {
        let refused = error(&Answer::MethodNotAllowed, "/docs/", "req_1");
        assert_eq!(refused.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(refused.headers()[header::ALLOW], "GET, HEAD");
        let body: serde_json::Value = serde_json::from_slice(refused.body()).expect("json");
        assert_eq!(body["error"]["code"], "METHOD_NOT_ALLOWED");
        assert_eq!(body["request_id"], "req_1");
        assert_eq!(error(&Answer::NotFound, "/x", "req_2").status(), StatusCode::NOT_FOUND);
    }
}
