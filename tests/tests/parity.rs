//! Two edge hosts, one API: the same requests return the same bodies through the edge
//! under test and through the reference edge (`E2E_REFERENCE_URL`).

use e2e::{env, send};

fn reference_url() -> String {
    std::env::var("E2E_REFERENCE_URL").expect("E2E_REFERENCE_URL is not set: run the suites with `cargo xtask test`")
}

fn both(path: &str, token: Option<&str>) -> (e2e::Reply, e2e::Reply) {
    let authorization = token.map(|token| format!("Bearer {token}"));
    let headers: Vec<(&str, &str)> = authorization.iter().map(|value| ("authorization", value.as_str())).collect();
    (
        send("GET", &format!("{}{path}", env().edge_url), &headers, None),
        send("GET", &format!("{}{path}", reference_url()), &headers, None),
    )
}

#[test]
fn same_bodies_as_the_reference_edge() {
    let token = env().fixture_str("token_rw");
    let page = "/v1/tables/customers/records?limit=3&filter[active][eq]=true";
    let (list, reference_list) = both(page, Some(token));
    assert_eq!((list.status, reference_list.status), (200, 200));
    // Cursors are encrypted under a fresh nonce, so they differ byte for byte, and a list's
    // `position` is the change log's at the moment it was read, which any write anywhere
    // moves between the two requests; everything else must not differ.
    let (mut body, mut reference_body) = (list.json(), reference_list.json());
    let cursor = body["next_cursor"].take();
    let reference_cursor = reference_body["next_cursor"].take();
    assert!(body["position"].take().is_string() && reference_body["position"].take().is_string());
    assert_eq!(body, reference_body);
    // A cursor minted by either edge opens the same next page on the other.
    let (cursor, reference_cursor) =
        (cursor.as_str().expect("a next cursor"), reference_cursor.as_str().expect("a next cursor"));
    let (next, _) = both(&format!("{page}&cursor={reference_cursor}"), Some(token));
    let (_, reference_next) = both(&format!("{page}&cursor={cursor}"), Some(token));
    assert_eq!(next.status, 200, "{}", next.text);
    let (mut next, mut reference_next) = (next.json(), reference_next.json());
    for page in [&mut next, &mut reference_next] {
        page["next_cursor"].take();
        page["position"].take();
    }
    assert_eq!(next, reference_next);
    assert_ne!(next["data"][0]["id"], body["data"][0]["id"], "the cursor moved on");
    let id = list.json()["data"][0]["id"].as_str().expect("an id").to_owned();
    let (record, reference_record) = both(&format!("/v1/tables/customers/records/{id}"), Some(token));
    assert_eq!(record.status, 200);
    assert_eq!(record.text, reference_record.text, "byte-identical record bodies");
    // Errors match too, apart from the request id.
    let (error, reference_error) = both("/v1/tables/customers/records?filter[amount][eq]=x", Some(token));
    let (mut error, mut reference_error) = (error.json(), reference_error.json());
    error["request_id"] = serde_json::Value::Null;
    reference_error["request_id"] = serde_json::Value::Null;
    assert_eq!(error, reference_error);
}
