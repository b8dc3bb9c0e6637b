//! The API reference at /docs/: static files served beside the API by every edge host
//! (edge-host: the files component; Workers: static assets), with the same headers, and
//! a base's own typed reference for a signed-in member.

use e2e::{base_with_token, env, manage, register, send};
use serde_json::json;

fn docs(method: &str, path: &str, headers: &[(&str, &str)]) -> e2e::Reply {
    send(method, &format!("{}{path}", env().edge_url), headers, None)
}

#[test]
fn the_reference_page_and_its_assets_are_served() {
    let page = docs("GET", "/docs/", &[]);
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.header("content-type").is_some_and(|value| value.starts_with("text/html")), "{page:?}");
    let policy = page.header("content-security-policy").expect("the page has a content security policy");
    assert!(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'"), "{policy}");
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert!(page.text.contains("swagger-ui/swagger-ui-bundle.js") && page.text.contains("docs.js"), "{}", page.text);

    let bundle = docs("GET", "/docs/swagger-ui/swagger-ui-bundle.js", &[]);
    assert_eq!(bundle.status, 200);
    assert!(bundle.header("content-type").is_some_and(|value| value.contains("javascript")), "{bundle:?}");
    assert!(bundle.text.contains("SwaggerUIBundle"));
    let etag = bundle.header("etag").expect("assets carry a validator").to_owned();
    let unchanged = docs("GET", "/docs/swagger-ui/swagger-ui-bundle.js", &[("if-none-match", &etag)]);
    assert_eq!(unchanged.status, 304, "{unchanged:?}");
    assert!(unchanged.text.is_empty());

    let script = docs("GET", "/docs/docs.js", &[]);
    assert_eq!(script.status, 200);
    assert!(script.text.contains("/api/v1/bases/"), "the page asks for a base's own reference");
}

#[test]
fn paths_outside_the_files_are_refused_in_the_error_model() {
    for path in ["/docs/nothing.js", "/docs/.env", "/docs/%2e%2e/Cargo.toml", "/_headers"] {
        let missing = docs("GET", path, &[]);
        missing.assert_error(404, "ROUTE_NOT_FOUND");
    }
    // A directory named without its slash is redirected to it.
    let bare = e2e::try_send("GET", &format!("{}/docs", env().edge_url), &[], None).expect("answer");
    assert!((300..400).contains(&bare.status) || bare.status == 200, "{bare:?}");
    if bare.status != 200 {
        assert!(bare.header("location").is_some_and(|location| location.ends_with("/docs/")), "{bare:?}");
    }
    // Files are read, never written. (Workers' static assets answer such a request
    // themselves: a 405 with no body.)
    let written = docs("PUT", "/docs/index.html", &[("content-type", "application/json")]);
    assert_eq!(written.status, 405, "{written:?}");
    if e2e::native() {
        written.assert_error(405, "METHOD_NOT_ALLOWED");
        assert_eq!(written.header("allow"), Some("GET, HEAD"));
    }
    assert_eq!(docs("GET", "/docs/", &[]).status, 200, "the page is unchanged");
}

#[test]
fn a_member_reads_the_base_reference_typed_per_table() {
    let owner = register("reference");
    let (base, _token) = base_with_token(&owner, "reference");
    let fields = json!([{"name": "title", "type": "text", "required": true}, {"name": "due", "type": "date"}]);
    let table = manage(
        "POST",
        &format!("/bases/{base}/tables"),
        Some(&owner.access),
        Some(&json!({"name": "chores", "fields": fields})),
    );
    assert_eq!(table.status, 201, "{}", table.text);

    let reference = manage("GET", &format!("/bases/{base}/openapi.json"), Some(&owner.access), None);
    assert_eq!(reference.status, 200, "{}", reference.text);
    let document = reference.json();
    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(document["servers"][0]["url"], env().edge_url.as_str());
    assert!(document["paths"]["/v1/tables/chores/records"]["get"].is_object(), "typed paths for the table");
    assert!(document["components"]["schemas"]["chores_Values"].is_object(), "typed values for the table");

    // Someone who is not a member learns nothing about it.
    let stranger = register("stranger");
    let refused = manage("GET", &format!("/bases/{base}/openapi.json"), Some(&stranger.access), None);
    assert!(refused.status == 403 || refused.status == 404, "{refused:?}");
    assert!(!refused.text.contains("chores"), "{}", refused.text);
}
