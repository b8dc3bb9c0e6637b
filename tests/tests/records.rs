//! The records API through an edge host: the same cases run against every host.

use e2e::{env, get, post_json, send};
use serde_json::{Value, json};

fn rw() -> &'static str {
    env().fixture_str("token_rw")
}

fn records(reply: &e2e::Reply) -> Vec<Value> {
    reply.json()["data"].as_array().expect("data is an array").clone()
}

fn assert_record_shape(record: &Value) {
    assert!(uuid::Uuid::parse_str(record["id"].as_str().expect("id")).is_ok(), "{record}");
    assert!(record["values"].is_object(), "{record}");
    assert!(record["created_at"].is_string() && record["updated_at"].is_string(), "{record}");
}

#[test]
fn list_returns_rows_and_a_cursor() {
    let reply = get("/v1/tables/customers/records?limit=2", Some(rw()));
    assert_eq!(reply.status, 200, "{} via {}", reply.text, env().edge_name);
    assert!(reply.header("x-request-id").is_some_and(|id| id.starts_with("req_")));
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let body = reply.json();
    let data = records(&reply);
    assert_eq!(data.len(), 2);
    data.iter().for_each(assert_record_shape);
    assert_eq!(data[0]["values"]["name"], "Customer 1");
    assert_eq!(data[0]["values"]["email"], "customer1@example.com");
    assert_eq!(body["has_more"], true);
    assert!(body["next_cursor"].is_string());
}

#[test]
fn cursor_pages_are_disjoint_and_ordered() {
    let first = get("/v1/tables/customers/records?limit=3", Some(rw()));
    let cursor = first.json()["next_cursor"].as_str().expect("cursor").to_owned();
    let second = get(&format!("/v1/tables/customers/records?limit=3&cursor={cursor}"), Some(rw()));
    assert_eq!(second.status, 200, "{}", second.text);
    let names: Vec<Value> =
        records(&first).iter().chain(records(&second).iter()).map(|r| r["values"]["name"].clone()).collect();
    let expected: Vec<Value> = (1..=6).map(|i| json!(format!("Customer {i}"))).collect();
    assert_eq!(names, expected);
    // A cursor is bound to its query: reusing it with another filter is refused.
    let reused =
        get(&format!("/v1/tables/customers/records?limit=3&filter[status][eq]=trial&cursor={cursor}"), Some(rw()));
    reused.assert_error(400, "INVALID_QUERY");
}

#[test]
fn filter_eq_is_typed() {
    let reply = get("/v1/tables/customers/records?filter[name][eq]=Customer%2042", Some(rw()));
    let data = records(&reply);
    assert_eq!(data.len(), 1, "{}", reply.text);
    assert_eq!(data[0]["values"]["email"], "customer42@example.com");
    let inactive = get("/v1/tables/customers/records?limit=1000&filter[active][eq]=false", Some(rw()));
    let data = records(&inactive);
    assert!(!data.is_empty() && data.iter().all(|r| r["values"]["active"] == false), "{}", inactive.text);
    let bad =
        get("/v1/tables/customers/records?filter[amount][eq]=lots", Some(rw())).assert_error(422, "VALIDATION_ERROR");
    assert_eq!(bad["error"]["details"]["field"], "amount");
    assert_eq!(bad["error"]["details"]["operator"], "eq");
}

#[test]
fn get_one_record_by_id_and_table_uuid() {
    let listed = records(&get("/v1/tables/customers/records?limit=1", Some(rw())))[0].clone();
    let id = listed["id"].as_str().expect("id");
    let reply = get(&format!("/v1/tables/customers/records/{id}"), Some(rw()));
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json(), listed);
    let table_id = env().fixture_str("table_id");
    let by_uuid = get(&format!("/v1/tables/{table_id}/records/{id}"), Some(rw()));
    assert_eq!(by_uuid.json(), listed);
}

#[test]
fn create_then_read_back() {
    // Email is unique: each run (one per edge host) creates its own.
    let email = format!("contact-{}@initech.com", uuid::Uuid::new_v4().simple());
    let values = json!({"name": "Initech", "email": email, "amount": 1234.50, "active": true,
                        "signed_up_at": "2025-10-27T12:01:12Z", "status": "active"});
    let created = post_json("/v1/tables/customers/records", rw(), &json!({ "values": values }));
    assert_eq!(created.status, 201, "{}", created.text);
    let record = created.json();
    assert_record_shape(&record);
    assert_eq!(record["values"]["name"], "Initech");
    assert_eq!(record["values"]["amount"], json!(1234.50));
    assert_eq!(record["values"]["active"], true);
    assert_eq!(record["values"]["signed_up_at"], "2025-10-27T12:01:12+00:00");
    let id = record["id"].as_str().expect("id");
    let read = get(&format!("/v1/tables/customers/records/{id}"), Some(rw()));
    assert_eq!(read.json(), record);
}

#[test]
fn client_chosen_id_and_duplicate() {
    let id = uuid::Uuid::new_v4().to_string();
    let body = json!({"id": id, "values": {"name": "Globex"}});
    let created = post_json("/v1/tables/customers/records", rw(), &body);
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.json()["id"], id.as_str());
    post_json("/v1/tables/customers/records", rw(), &body).assert_error(409, "DUPLICATE_RECORD");
}

#[test]
fn missing_token_is_auth_required() {
    get("/v1/tables/customers/records", None).assert_error(401, "AUTH_REQUIRED");
}

#[test]
fn bad_tokens_are_invalid_token() {
    let token_rw = rw();
    let unknown = format!("nc_{}_{}", uuid::Uuid::new_v4().simple(), "a".repeat(64));
    let (prefix, _) = token_rw.rsplit_once('_').expect("token has a secret");
    let wrong_secret = format!("{prefix}_{}", "b".repeat(64));
    for token in ["garbage", unknown.as_str(), wrong_secret.as_str()] {
        get("/v1/tables/customers/records", Some(token)).assert_error(401, "INVALID_TOKEN");
    }
}

#[test]
fn read_only_token_cannot_write() {
    let body =
        post_json("/v1/tables/customers/records", env().fixture_str("token_ro"), &json!({"values": {"name": "Nope"}}))
            .assert_error(403, "INSUFFICIENT_SCOPE");
    assert_eq!(body["error"]["details"]["required"], "write");
    assert_eq!(get("/v1/tables/customers/records?limit=1", Some(env().fixture_str("token_ro"))).status, 200);
}

#[test]
fn unknown_table_and_record() {
    get("/v1/tables/invoices/records", Some(rw())).assert_error(404, "TABLE_NOT_FOUND");
    let missing = uuid::Uuid::new_v4();
    get(&format!("/v1/tables/customers/records/{missing}"), Some(rw())).assert_error(404, "RECORD_NOT_FOUND");
    get("/v1/tables/customers/records/not-a-uuid", Some(rw())).assert_error(404, "RECORD_NOT_FOUND");
}

#[test]
fn bad_values_name_the_field() {
    let body = post_json("/v1/tables/customers/records", rw(), &json!({"values": {"name": "X", "amount": "ten"}}))
        .assert_error(422, "VALIDATION_ERROR");
    assert_eq!(body["error"]["details"]["field"], "amount");
    let missing = post_json("/v1/tables/customers/records", rw(), &json!({"values": {"email": "a@b.c"}}))
        .assert_error(422, "VALIDATION_ERROR");
    assert_eq!(missing["error"]["details"]["field"], "name");
    let unknown = post_json("/v1/tables/customers/records", rw(), &json!({"values": {"name": "X", "colour": "red"}}))
        .assert_error(422, "VALIDATION_ERROR");
    assert_eq!(unknown["error"]["details"]["field"], "colour");
}

#[test]
fn a_token_of_one_base_never_sees_another() {
    let env = env();
    let other_base = env.fixture_str("other_base_id");
    let other_table = env.fixture_str("other_table_id");
    let authorization = format!("Bearer {}", rw());
    let mismatch = send(
        "GET",
        &format!("{}/v1/tables/customers/records", env.edge_url),
        &[("authorization", &authorization), ("x-base-id", other_base)],
        None,
    );
    mismatch.assert_error(403, "BASE_MISMATCH");
    get(&format!("/v1/tables/{other_table}/records"), Some(rw())).assert_error(404, "TABLE_NOT_FOUND");
    // The other base's token sees its own ten rows under the same table name, and nothing of ours.
    let other_rows = records(&get("/v1/tables/customers/records?limit=1000", Some(env.fixture_str("token_other"))));
    let ours = records(&get("/v1/tables/customers/records?limit=1000", Some(rw())));
    assert!(other_rows.len() >= 10);
    assert!(other_rows.iter().all(|theirs| ours.iter().all(|mine| mine["id"] != theirs["id"])));
    let own_base = env.fixture_str("base_id");
    let matching = send(
        "GET",
        &format!("{}/v1/tables/customers/records?limit=1", env.edge_url),
        &[("authorization", &authorization), ("x-base-id", own_base)],
        None,
    );
    assert_eq!(matching.status, 200, "{}", matching.text);
}

#[test]
fn malformed_requests_are_refused_at_the_edge() {
    get("/v1/nothing/here", Some(rw())).assert_error(404, "ROUTE_NOT_FOUND");
    let authorization = format!("Bearer {}", rw());
    let edge = &env().edge_url;
    send("PUT", &format!("{edge}/v1/tables/customers/records/x"), &[("authorization", &authorization)], None)
        .assert_error(405, "METHOD_NOT_ALLOWED");
    // An extension method is a method too, never read as GET (raw: the client library
    // sends only the methods it knows).
    let answer = raw_request(edge, &format!("QUERY /v1/meta/tables HTTP/1.1\r\nAuthorization: {authorization}\r\n"));
    assert!(answer.starts_with("HTTP/1.1 405"), "{answer}");
    assert!(answer.to_ascii_lowercase().contains("\r\nallow: get\r\n"), "{answer}");
    assert!(answer.contains("\"METHOD_NOT_ALLOWED\""), "{answer}");
    // OPTIONS names what the path takes; a path of nothing is a 404.
    let options = send("OPTIONS", &format!("{edge}/v1/tables/customers/records/x"), &[], None);
    assert_eq!((options.status, options.header("allow")), (204, Some("GET, PATCH, DELETE, OPTIONS")));
    send("OPTIONS", &format!("{edge}/v1/nothing"), &[], None).assert_error(404, "ROUTE_NOT_FOUND");
    // The management API answers a wrong method alike, naming the methods the path takes.
    let wrong = send("PATCH", &format!("{edge}/api/v1/workspaces/x/members"), &[], None);
    wrong.assert_error(405, "METHOD_NOT_ALLOWED");
    assert_eq!(wrong.json()["error"]["details"]["allowed"], "GET, PUT");
    assert_eq!(wrong.header("allow"), Some("GET, PUT"));
    send("GET", &format!("{edge}/api/v1/nothing"), &[], None).assert_error(404, "ROUTE_NOT_FOUND");
    send(
        "POST",
        &format!("{edge}/v1/tables/customers/records"),
        &[("authorization", &authorization), ("content-type", "text/plain")],
        Some(b"{}"),
    )
    .assert_error(415, "UNSUPPORTED_MEDIA_TYPE");
    send(
        "POST",
        &format!("{edge}/v1/tables/customers/records"),
        &[("authorization", &authorization), ("content-type", "application/json")],
        Some(b"{\"values\":"),
    )
    .assert_error(400, "INVALID_REQUEST");
    get("/v1/tables/customers/records?limit=5000", Some(rw())).assert_error(413, "PAYLOAD_TOO_LARGE");
    get("/v1/tables/customers/records?order=name", Some(rw())).assert_error(400, "INVALID_QUERY");
}

#[test]
fn openapi_document_needs_no_token() {
    let reply = get("/v1/openapi.json", None);
    assert_eq!(reply.status, 200, "{}", reply.text);
    let document = reply.json();
    assert_eq!(document["openapi"], "3.1.0");
    assert!(document["paths"]["/v1/tables/{tableId}/records"]["get"].is_object());
    assert!(document["paths"]["/v1/tables/{tableId}/records/{id}"]["get"].is_object());
    assert_eq!(document["servers"][0]["url"], env().edge_url.as_str());
}

/// Sends `head` (a request line and headers, each ending in CRLF) to the edge with its
/// Host and `Connection: close`, and reads the whole answer.
fn raw_request(edge: &str, head: &str) -> String {
    use std::io::{Read, Write};
    let authority = edge.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(authority).expect("connect to the edge");
    let (line, rest) = head.split_once("\r\n").expect("a request line");
    write!(stream, "{line}\r\nHost: {authority}\r\nConnection: close\r\n{rest}\r\n").expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read the answer");
    answer
}
