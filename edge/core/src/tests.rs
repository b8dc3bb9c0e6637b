//! Edge-core behaviour that must hold without any origin: these requests are answered at
//! the edge, so the test host fails the test if the core ever tries to reach the origin.

use crate::in_memory::{InMemory, config};
use crate::{Config, OriginRequest, OriginResponse, handle};
use http::Request;

/// An in-memory host that fails the test if the core ever tries to reach the origin.
fn no_origin() -> InMemory<impl Fn(OriginRequest) -> Result<OriginResponse, String>> {
    InMemory::new(|_| panic!("this request must be answered at the edge"))
}

fn run(request: Request<Vec<u8>>) -> (u16, serde_json::Value, Option<String>) {
    let host = no_origin();
    let response = futures_executor::block_on(handle(&host, &config(), request));
    let request_id = response.headers().get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let body = serde_json::from_slice(response.body().full().expect("a whole body")).expect("json body");
    (response.status().as_u16(), body, request_id)
}

fn get(uri: &str, authorization: Option<&str>) -> Request<Vec<u8>> {
    let mut builder = Request::get(uri);
    if let Some(value) = authorization {
        builder = builder.header("authorization", value);
    }
    builder.body(Vec::new()).expect("request")
}

#[test]
fn missing_token_is_401_auth_required() {
    let (status, body, request_id) = run(get("/v1/tables/customers/records", None));
    assert_eq!(status, 401);
    assert_eq!(body["error"]["code"], "AUTH_REQUIRED");
    assert_eq!(body["request_id"].as_str(), request_id.as_deref());
    assert_eq!(request_id.as_deref(), Some("req_070707070707070707070707"));
}

#[test]
fn malformed_tokens_are_401_invalid_token() {
    for value in ["Bearer nope", "Basic abc", "Bearer nc_00000000000000000000000000000001_short"] {
        let (status, body, _) = run(get("/v1/tables/customers/records", Some(value)));
        assert_eq!((status, body["error"]["code"].as_str()), (401, Some("INVALID_TOKEN")), "{value}");
    }
}

#[test]
fn unknown_routes_and_bad_queries_never_reach_the_origin() {
    let (status, body, _) = run(get("/v2/anything", None));
    assert_eq!((status, body["error"]["code"].as_str()), (404, Some("ROUTE_NOT_FOUND")));
    let (status, body, _) = run(get("/v1/tables/customers/records?limit=5000", None));
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("AUTH_REQUIRED")),
        "authentication comes before the query"
    );
}

#[test]
fn config_requires_a_strong_key() {
    let error = Config::from_variables(|name| match name {
        "origin_url" => Some("http://o".into()),
        "edge_signing_key" => Some("abcd".into()),
        _ => None,
    })
    .expect_err("short key");
    assert!(error.contains("shorter than 32 bytes"), "{error}");
}

#[test]
fn preflights_are_answered_at_the_edge() {
    let host = no_origin();
    let preflight = |origin: &str| {
        let request = Request::options("/v1/tables/customers/records")
            .header("origin", origin)
            .header("access-control-request-method", "PATCH")
            .body(Vec::new())
            .expect("request");
        futures_executor::block_on(handle(&host, &config(), request))
    };
    let allowed = preflight(crate::config::DEFAULT_CORS_ORIGIN);
    assert_eq!(allowed.status().as_u16(), 204);
    assert_eq!(
        allowed.headers().get("access-control-allow-origin").and_then(|v| v.to_str().ok()),
        Some(crate::config::DEFAULT_CORS_ORIGIN)
    );
    // The methods of this path, as declared: a list takes no PATCH.
    assert_eq!(allowed.headers()["access-control-allow-methods"], "GET, POST, DELETE, OPTIONS");
    assert_eq!(allowed.headers()["allow"], "GET, POST, DELETE, OPTIONS");
    let other = preflight("https://elsewhere.example");
    assert_eq!(other.status().as_u16(), 204);
    assert!(other.headers().get("access-control-allow-origin").is_none());
    let nowhere = Request::options("/v2/nothing").body(Vec::new()).expect("request");
    let response = futures_executor::block_on(handle(&host, &config(), nowhere));
    let body: serde_json::Value = serde_json::from_slice(response.body().full().expect("a whole body")).expect("json");
    assert_eq!((response.status().as_u16(), body["error"]["code"].as_str()), (404, Some("ROUTE_NOT_FOUND")));
}

#[test]
fn bodies_are_held_up_to_the_cap_and_drained_up_to_twice_it() {
    let config = Config::from_variables(|name| match name {
        "origin_url" => Some("http://o".into()),
        "edge_signing_key" => Some("ab".repeat(32)),
        "max_body_bytes" => Some("10".into()),
        _ => None,
    })
    .expect("config");
    let declared = |length: &str| {
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::CONTENT_LENGTH, http::HeaderValue::from_str(length).expect("value"));
        crate::BodyReader::new(&config, &headers)
    };
    let mut reader = declared("20");
    assert!(reader.push(b"0123456789") && reader.push(b"0123456789"), "drained up to twice the cap");
    assert_eq!(reader.finish(), None);
    let mut reader = crate::BodyReader::new(&config, &http::HeaderMap::new());
    assert!(reader.push(b"01234") && reader.push(b"56789"));
    assert_eq!(reader.finish(), Some(b"0123456789".to_vec()), "at the cap: kept");
    let mut reader = crate::BodyReader::new(&config, &http::HeaderMap::new());
    assert!(reader.push(&[0; 11]), "past the cap, still draining");
    assert!(!reader.push(&[0; 10]), "past twice the cap: stop reading");
    assert_eq!(reader.finish(), None);
}

#[test]
fn the_generic_document_is_built_once_and_names_each_server() {
    for server in ["http://127.0.0.1:8787", "https://api.example.com", "https://odd\"host"] {
        let served: serde_json::Value = serde_json::from_slice(&crate::generic_document(server)).expect("json");
        assert_eq!(served, openapi::document(server), "{server}");
    }
}
