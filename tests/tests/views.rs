//! Views as public APIs through an edge host: definitions with versions and rollback,
//! publishing with auth modes, the data and meta endpoints (whose examples run), and the
//! edge cache: hits, misses, 304s, invalidation after every kind of write within a
//! second, view changes at once, coalesced misses and stale answers while the origin is
//! down. And the change log as a feed that never skips a change, and a table's history.

use e2e::{Account, Reply, base_with_token, call, env, manage, register, send};
use serde_json::{Value, json};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// View tests run one at a time: the coalescing test counts the origin's view queries.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// An owner with a base, a token of it and an `orders` table of eight records.
struct Shop {
    owner: Account,
    base: String,
    token: String,
}

fn shop(label: &str) -> Shop {
    let owner = register(label);
    let (base, token) = base_with_token(&owner, label);
    let table = manage(
        "POST",
        &format!("/bases/{base}/tables"),
        Some(&owner.access),
        Some(&json!({"name": "orders", "fields": [
            {"name": "customer", "type": "text", "required": true},
            {"name": "total", "type": "number"},
            {"name": "status", "type": "single_select", "options": ["open", "closed"], "default": "open"},
            {"name": "note", "type": "text"},
        ]})),
    );
    assert_eq!(table.status, 201, "{}", table.text);
    let items: Vec<Value> = [("acme", 10, "open"), ("acme", 20, "open"), ("acme", 30, "closed"), ("acme", 40, "open"),
        ("globex", 15, "open"), ("globex", 25, "open"), ("initech", 35, "open"), ("initech", 5, "closed")]
        .iter()
        .map(|(customer, total, status)| json!({"values": {"customer": customer, "total": total, "status": status, "note": "internal"}}))
        .collect();
    let seeded = call("POST", "/v1/tables/orders/records:batchUpsert", &token, &[], Some(&json!({"items": items})));
    assert_eq!(seeded.status, 200, "{}", seeded.text);
    Shop { owner, base, token }
}

/// The open orders of one customer, biggest first: `customer` is a required parameter.
fn spec(name: &str) -> Value {
    json!({
        "name": name, "description": "Open orders of a customer", "table": "orders",
        "fields": ["customer", "total", "status"],
        "filters": [
            {"field": "status", "op": "eq", "value": "open"},
            {"field": "customer", "op": "eq", "value": {"param": "customer"}}
        ],
        "sort": ["total:desc"], "default_limit": 2, "max_limit": 5,
        "params": [{"name": "customer", "type": "text", "required": true, "example": "acme"}],
        "allowed_filters": [{"field": "total", "ops": ["gt", "lt"]}],
        "allowed_sorts": ["total", "created_at"]
    })
}

fn views(shop: &Shop, method: &str, path: &str, body: Option<Value>) -> Reply {
    manage(method, &format!("/bases/{}/views{path}", shop.base), Some(&shop.owner.access), body.as_ref())
}

fn unique_slug(label: &str) -> String {
    format!("{label}-{}", &uuid::Uuid::new_v4().simple().to_string()[..12])
}

/// Creates the view and publishes it; returns its slug.
fn published(shop: &Shop, name: &str, publish: Value) -> String {
    let created = views(shop, "POST", "", Some(spec(name)));
    assert_eq!(created.status, 201, "{}", created.text);
    let slug = unique_slug(name);
    let mut publish = publish;
    publish["slug"] = json!(slug);
    publish["enabled"] = json!(true);
    let reply = views(shop, "PUT", &format!("/{name}/publish"), Some(publish));
    assert_eq!(reply.status, 200, "{}", reply.text);
    slug
}

fn public(slug: &str, query: &str, headers: &[(&str, &str)]) -> Reply {
    send("GET", &format!("{}/public/views/{slug}/data?{query}", env().edge_url), headers, None)
}

fn totals(reply: &Reply) -> Vec<i64> {
    reply.json()["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|row| row["values"]["total"].as_i64().expect("total"))
        .collect()
}

#[test]
fn views_are_versioned_and_rolled_back_by_the_right_roles() {
    let _serial = serial();
    let shop = shop("viewcrud");
    let created = views(&shop, "POST", "", Some(spec("open-orders")));
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.json()["active_version"], 1);
    let mut changed = spec("open-orders");
    changed["default_limit"] = json!(3);
    let updated = views(&shop, "PUT", "/open-orders", Some(changed));
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_eq!(updated.json()["active_version"], 2);
    assert_eq!(updated.json()["versions"].as_array().map(Vec::len), Some(2));
    let rolled = views(&shop, "POST", "/open-orders/rollback", Some(json!({"version": 1})));
    assert_eq!(rolled.json()["active_version"], 1, "{}", rolled.text);
    assert_eq!(rolled.json()["definition"]["default_limit"], 2);
    // The answer names the edited version as PUT takes it: sent back, it is the same definition.
    let spec_back = rolled.json()["spec"].clone();
    assert_eq!(spec_back["sort"], json!(["total:desc"]), "{spec_back}");
    let again = views(&shop, "PUT", "/open-orders", Some(spec_back));
    assert_eq!((again.status, again.json()["active_version"].clone()), (200, json!(3)), "{}", again.text);
    assert_eq!(again.json()["definition"], rolled.json()["definition"]);
    views(&shop, "POST", "/open-orders/rollback", Some(json!({"version": 9}))).assert_error(404, "NOT_FOUND");
    views(&shop, "POST", "", Some(spec("open-orders"))).assert_error(409, "NAME_TAKEN");
    let mut bad = spec("bad");
    bad["fields"] = json!(["nope"]);
    views(&shop, "POST", "", Some(bad)).assert_error(422, "VALIDATION_ERROR");
    // Editors create views; only admins publish them; viewers only read.
    let (editor, viewer) = (register("view-editor"), register("view-viewer"));
    for (account, role) in [(&editor, "editor"), (&viewer, "viewer")] {
        e2e::add_member(&shop.owner, account, role);
    }
    let as_member = |account: &Account, method: &str, path: &str, body: Option<Value>| {
        manage(method, &format!("/bases/{}/views{path}", shop.base), Some(&account.access), body.as_ref())
    };
    assert_eq!(as_member(&editor, "POST", "", Some(spec("by-editor"))).status, 201);
    as_member(&editor, "PUT", "/by-editor/publish", Some(json!({"enabled": true, "slug": unique_slug("e")})))
        .assert_error(403, "FORBIDDEN");
    as_member(&viewer, "POST", "", Some(spec("by-viewer"))).assert_error(403, "FORBIDDEN");
    assert_eq!(as_member(&viewer, "GET", "", None).json()["data"].as_array().map(Vec::len), Some(2));
}

#[test]
fn the_data_endpoint_follows_the_view_contract() {
    let _serial = serial();
    let shop = shop("viewdata");
    let slug = published(&shop, "open-orders", json!({}));
    // The view's own filters always apply: open orders of the customer, biggest first.
    let first = public(&slug, "customer=acme", &[]);
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(totals(&first), [40, 20], "default limit 2, sorted by total desc");
    let body = first.json();
    assert_eq!(body["page"]["limit"], 2);
    let values = body["data"][0]["values"].as_object().expect("values");
    assert!(values.contains_key("customer") && !values.contains_key("note"), "only the view's fields: {values:?}");
    let cursor = body["page"]["next_cursor"].as_str().expect("a cursor").to_owned();
    let second = public(&slug, &format!("customer=acme&cursor={cursor}"), &[]);
    assert_eq!(totals(&second), [10]);
    assert!(second.json()["page"]["next_cursor"].is_null());
    // Request-time filters and sorts: only those the view allows.
    assert_eq!(totals(&public(&slug, "customer=acme&filter[total][gt]=15&sort=total:asc", &[])), [20, 40]);
    public(&slug, "customer=acme&filter[status][eq]=closed", &[]).assert_error(400, "INVALID_QUERY");
    public(&slug, "customer=acme&filter[total][eq]=10", &[]).assert_error(400, "INVALID_QUERY");
    public(&slug, "customer=acme&sort=customer:asc", &[]).assert_error(400, "INVALID_QUERY");
    public(&slug, "customer=acme&limit=6", &[]).assert_error(413, "PAYLOAD_TOO_LARGE");
    public(&slug, "", &[]).assert_error(422, "VALIDATION_ERROR");
    public(&slug, "customer=acme&nope=1", &[]).assert_error(400, "INVALID_QUERY");
    assert_eq!(totals(&public(&slug, "customer=globex&limit=5", &[])), [25, 15]);
    // Unpublished and unknown views are not reachable.
    assert_eq!(views(&shop, "PUT", "/open-orders/publish", Some(json!({"enabled": false}))).status, 200);
    public(&slug, "customer=acme", &[]).assert_error(404, "NOT_FOUND");
    public(&unique_slug("never"), "customer=acme", &[]).assert_error(404, "NOT_FOUND");
}

#[test]
fn the_meta_endpoint_documents_the_view_and_its_examples_work() {
    let _serial = serial();
    let shop = shop("viewmeta");
    let slug = published(&shop, "open-orders", json!({}));
    let meta = send("GET", &format!("{}/public/views/{slug}/meta", env().edge_url), &[], None);
    assert_eq!(meta.status, 200, "{}", meta.text);
    let meta = meta.json();
    assert_eq!(meta["params"][0]["name"], "customer");
    assert_eq!(meta["params"][0]["required"], true);
    assert_eq!(meta["filters"][0]["field"], "total");
    assert_eq!(meta["filters"][0]["operators"], json!(["gt", "lt"]));
    assert_eq!(meta["sort"]["default"], json!(["total:desc"]));
    assert_eq!(meta["pagination"]["max_limit"], 5);
    assert!(meta["response"]["properties"]["data"]["items"]["properties"]["values"]["properties"]["total"].is_object());
    assert!(meta["endpoint"]["url_template"].as_str().is_some_and(|t| t.contains("{?limit,cursor,sort,customer}")));
    // The examples run as they are and return data.
    let curl = std::process::Command::new("bash")
        .arg("-c")
        .arg(meta["examples"]["curl"].as_str().expect("curl"))
        .output()
        .expect("curl");
    let page: Value = serde_json::from_slice(&curl.stdout).expect("curl prints the page");
    assert_eq!(page["data"].as_array().map(Vec::len), Some(2), "{page}");
    let script = std::env::temp_dir().join(format!("view-{slug}.mjs"));
    std::fs::write(&script, meta["examples"]["fetch"].as_str().expect("fetch")).expect("write the script");
    let node = std::process::Command::new("node").arg(&script).output().expect("node");
    let printed = String::from_utf8_lossy(&node.stdout);
    assert!(node.status.success() && printed.starts_with("2 "), "{printed} {}", String::from_utf8_lossy(&node.stderr));
    let postman = send("GET", meta["examples"]["postman_url"].as_str().expect("url"), &[], None);
    assert_eq!(totals(&postman), [40, 20]);
}

/// Waits until the shop's own setup writes, which reach the edges as invalidations a few
/// milliseconds after they commit, have landed: until an answer of the view for `params`
/// stays cached.
fn settle(slug: &str, params: &str) {
    let settling = Instant::now();
    while public(slug, params, &[]).header("x-cache") != Some("HIT") {
        assert!(settling.elapsed() < Duration::from_secs(3), "the view's answer is never cached");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn answers_are_cached_with_etags_and_parameters_never_mix() {
    let _serial = serial();
    let shop = shop("viewcache");
    let slug = published(&shop, "open-orders", json!({"cache": {"max_age": 300}}));
    // Another parameter value: its entry is not the one this test follows.
    settle(&slug, "customer=initech");
    let miss = public(&slug, "customer=acme", &[]);
    assert_eq!(miss.header("x-cache"), Some("MISS"));
    assert_eq!(miss.header("cache-control"), Some("public, max-age=300"));
    let hit = public(&slug, "customer=acme", &[]);
    assert_eq!(hit.header("x-cache"), Some("HIT"));
    assert_eq!(hit.text, miss.text);
    assert!(hit.header("age").and_then(|age| age.parse::<u32>().ok()).is_some());
    let etag = hit.header("etag").expect("etag").to_owned();
    let not_modified = public(&slug, "customer=acme", &[("if-none-match", &etag)]);
    assert_eq!(not_modified.status, 304);
    assert!(not_modified.text.is_empty());
    // Another parameter value, another entry; the same parameters in another order, the same.
    let other = public(&slug, "customer=globex", &[]);
    assert_eq!(other.header("x-cache"), Some("MISS"));
    assert_eq!(totals(&other), [25, 15]);
    assert_eq!(public(&slug, "customer=acme&limit=3", &[]).header("x-cache"), Some("MISS"));
    assert_eq!(public(&slug, "limit=3&customer=acme", &[]).header("x-cache"), Some("HIT"));
    // Anonymous view traffic is limited per client address, like any.
    assert!(hit.header("ratelimit-limit").is_some());
}

/// Polls until the view's first page differs from `before`; how long it took.
fn until_changed(slug: &str, params: &str, before: &str) -> Duration {
    let started = Instant::now();
    loop {
        let reply = public(slug, params, &[]);
        assert_eq!(reply.status, 200, "{}", reply.text);
        if reply.text != before {
            return started.elapsed();
        }
        assert!(started.elapsed() < Duration::from_secs(3), "the view still serves the old answer");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn every_kind_of_write_invalidates_within_a_second() {
    let _serial = serial();
    let shop = shop("viewwrites");
    let slug = published(&shop, "open-orders", json!({"cache": {"max_age": 600}}));
    let token = shop.token.clone();
    let write = |method: &str, path: &str, headers: &[(&str, &str)], body: Option<Value>| {
        let reply = call(method, &format!("/v1/tables/orders/records{path}"), &token, headers, body.as_ref());
        assert!((200..300).contains(&reply.status), "{method} {path}: {}", reply.text);
        reply
    };
    settle(&slug, "customer=acme&limit=5");
    let mut seen = Vec::new();
    // Each write happens while the answer is cached; then the answer must change within a second.
    let mut step = |kind: &str, write: &dyn Fn() -> Reply| {
        let cached = public(&slug, "customer=acme&limit=5", &[]);
        let again = public(&slug, "customer=acme&limit=5", &[]);
        assert_eq!((again.header("x-cache"), &again.text), (Some("HIT"), &cached.text), "{kind}: cached before");
        let written = write();
        let took = until_changed(&slug, "customer=acme&limit=5", &cached.text);
        assert!(took < Duration::from_secs(1), "{kind}: {took:?}");
        seen.push(format!("{kind} {took:?}"));
        written
    };
    let created =
        step("create", &|| write("POST", "", &[], Some(json!({"values": {"customer": "acme", "total": 99}}))));
    let id = created.json()["id"].as_str().expect("id").to_owned();
    step("update", &|| write("PATCH", &format!("/{id}"), &[], Some(json!({"values": {"total": 98}}))));
    step("delete", &|| write("DELETE", &format!("/{id}"), &[], None));
    step("create again", &|| write("POST", "", &[], Some(json!({"values": {"customer": "acme", "total": 77}}))));
    let batch = step("batch upsert", &|| {
        let items = json!({"items": [{"values": {"customer": "acme", "total": 66}}, {"values": {"customer": "acme", "total": 55}}]});
        write("POST", ":batchUpsert", &[], Some(items))
    });
    let ids: Vec<Value> = batch.json()["ids"].as_array().expect("ids").clone();
    step("batch delete", &|| write("POST", ":batchDelete", &[], Some(json!({"ids": ids}))));
    step("delete by filter", &|| {
        write("DELETE", "?filter[total][gt]=70", &[("x-allow-filtered-delete", "true")], None)
    });
    println!("via {}: {}", env().edge_name, seen.join(", "));
}

/// `GET …/views/{name}`: the version being edited, the one served, and whether a change waits.
fn versions(shop: &Shop, name: &str) -> (Value, Value, Value) {
    let view = views(shop, "GET", &format!("/{name}"), None).json();
    (view["active_version"].clone(), view["published_version"].clone(), view["pending"].clone())
}

#[test]
fn a_published_view_serves_its_pinned_version_until_an_admin_publishes_another() {
    let _serial = serial();
    let shop = shop("viewupdate");
    let slug = published(&shop, "open-orders", json!({"cache": {"max_age": 600}}));
    assert_eq!(totals(&public(&slug, "customer=acme", &[])), [40, 20]);
    // An editor changes what the view would expose: a new field, its own filter gone.
    let editor = register("view-pin-editor");
    e2e::add_member(&shop.owner, &editor, "editor");
    let as_editor = |method: &str, path: &str, body: Option<Value>| {
        manage(method, &format!("/bases/{}/views/open-orders{path}", shop.base), Some(&editor.access), body.as_ref())
    };
    let mut widened = spec("open-orders");
    widened["fields"] = json!(["customer", "total", "status", "note"]);
    widened["filters"] = json!([{"field": "customer", "op": "eq", "value": {"param": "customer"}}]);
    widened["sort"] = json!(["total:asc"]);
    let edited = as_editor("PUT", "", Some(widened));
    assert_eq!(edited.status, 200, "{}", edited.text);
    assert_eq!(versions(&shop, "open-orders"), (json!(2), json!(1), json!(true)), "version 2 waits");
    // The public URL still serves version 1: nothing of the edit shows, now or later.
    std::thread::sleep(Duration::from_millis(300));
    let served = public(&slug, "customer=acme&limit=5", &[]);
    assert_eq!(totals(&served), [40, 20, 10], "only open orders, biggest first: {}", served.text);
    assert!(!served.text.contains("internal"), "the note stays unpublished: {}", served.text);
    // Publishing is the admins' call, and so is taking a published view down.
    as_editor("PUT", "/publish", Some(json!({"enabled": true}))).assert_error(403, "FORBIDDEN");
    as_editor("DELETE", "", None).assert_error(403, "FORBIDDEN");
    assert_eq!(as_editor("POST", "/rollback", Some(json!({"version": 1}))).status, 200);
    assert_eq!(versions(&shop, "open-orders"), (json!(1), json!(1), json!(false)));
    // The admin publishes version 2: it is served at once; then version 1 again.
    let publish = views(&shop, "PUT", "/open-orders/publish", Some(json!({"enabled": true, "version": 2})));
    assert_eq!(publish.status, 200, "{}", publish.text);
    assert_eq!(versions(&shop, "open-orders"), (json!(1), json!(2), json!(true)));
    let widened = public(&slug, "customer=acme&limit=5", &[]);
    assert_eq!(totals(&widened), [10, 20, 30, 40], "version 2 at once: {}", widened.text);
    assert!(widened.text.contains("internal"));
    assert_eq!(views(&shop, "PUT", "/open-orders/publish", Some(json!({"enabled": true}))).status, 200);
    assert_eq!(totals(&public(&slug, "customer=acme", &[])), [40, 20], "the active version, published");
    views(&shop, "PUT", "/open-orders/publish", Some(json!({"enabled": true, "version": 9})))
        .assert_error(404, "NOT_FOUND");
}

#[test]
fn a_view_reveals_nothing_outside_its_fields() {
    let _serial = serial();
    let shop = shop("viewleak");
    // Sorting on, or letting callers sort or filter on, a field the view does not return is refused.
    for (key, value) in [
        ("sort", json!(["note:asc"])),
        ("allowed_sorts", json!(["note"])),
        ("allowed_filters", json!([{"field": "note", "ops": ["eq"]}])),
    ] {
        let mut leaky = spec("leaky");
        leaky[key] = value;
        let refused = views(&shop, "POST", "", Some(leaky));
        let body = refused.assert_error(422, "VALIDATION_ERROR");
        assert_eq!(body["error"]["details"]["field"], key, "{}", refused.text);
    }
    // A cursor carries nothing readable: not the last row's sort key, not its id.
    let slug = published(&shop, "open-orders", json!({}));
    let page = public(&slug, "customer=acme&sort=created_at:asc", &[]).json();
    let cursor = page["page"]["next_cursor"].as_str().expect("a cursor");
    let last_id = page["data"][1]["id"].as_str().expect("id");
    let last_created = page["data"][1]["created_at"].as_str().expect("created_at");
    let bytes = base64_url_decode(cursor);
    let text = String::from_utf8_lossy(&bytes);
    for clear in [last_id, &last_created[..19], &last_created[..10]] {
        assert!(!text.contains(clear), "the cursor shows {clear}: {text}");
    }
    assert!(!text.contains("{\"k\":["), "no sort key in clear: {text}");
}

fn base64_url_decode(text: &str) -> Vec<u8> {
    let value = |byte: u8| match byte {
        b'A'..=b'Z' => byte - b'A',
        b'a'..=b'z' => byte - b'a' + 26,
        b'0'..=b'9' => byte - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        other => panic!("not base64url: {}", other as char),
    };
    let bits: Vec<u8> = text.bytes().map(value).collect();
    bits.chunks(4)
        .flat_map(|chunk| {
            let n = chunk.iter().fold(0u32, |acc, six| (acc << 6) | u32::from(*six)) << (6 * (4 - chunk.len()));
            let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            bytes[..chunk.len().saturating_sub(1)].to_vec()
        })
        .collect()
}

#[test]
fn an_absent_parameter_means_what_the_view_says() {
    let _serial = serial();
    let shop = shop("viewabsent");
    let with_param = |name: &str, param: Value| {
        let mut view = spec(name);
        view["params"] = json!([param]);
        views(&shop, "POST", "", Some(view))
    };
    // "Optional" without saying what absence means is refused.
    with_param("vague", json!({"name": "customer", "type": "text", "required": false}))
        .assert_error(422, "VALIDATION_ERROR");
    let mut slugs = Vec::new();
    for when_absent in ["no_rows", "no_filter"] {
        let name = format!("absent-{}", when_absent.replace('_', "-"));
        let created = with_param(&name, json!({"name": "customer", "type": "text", "when_absent": when_absent}));
        assert_eq!(created.status, 201, "{}", created.text);
        let slug = unique_slug(&name);
        let publish = json!({"enabled": true, "slug": slug});
        assert_eq!(views(&shop, "PUT", &format!("/{name}/publish"), Some(publish)).status, 200);
        slugs.push(slug);
    }
    let no_rows = public(&slugs[0], "limit=5", &[]);
    assert_eq!((no_rows.status, totals(&no_rows)), (200, vec![]), "{}", no_rows.text);
    assert_eq!(totals(&public(&slugs[0], "customer=acme&limit=5", &[])), [40, 20, 10]);
    assert_eq!(totals(&public(&slugs[1], "limit=5", &[])), [40, 35, 25, 20, 15], "every customer's open orders");
    let meta = send("GET", &format!("{}/public/views/{}/meta", env().edge_url, slugs[0]), &[], None).json();
    assert_eq!(meta["params"][0]["when_absent"], "no_rows");
    assert_eq!(meta["params"][0]["required"], false);
    // The default, as before: a required parameter.
    let slug = published(&shop, "open-orders", json!({}));
    public(&slug, "", &[]).assert_error(422, "VALIDATION_ERROR");
}

#[test]
fn public_views_have_the_records_apis_caps_and_canonical_cache_keys() {
    let _serial = serial();
    let shop = shop("viewcaps");
    let slug = published(&shop, "open-orders", json!({"cache": {"max_age": 300}}));
    let sorts = vec!["total:asc"; 1700].join(",");
    public(&slug, &format!("customer=acme&sort={sorts}"), &[]).assert_error(400, "INVALID_QUERY");
    public(&slug, "customer=acme&sort=total:asc,total:desc", &[]).assert_error(400, "INVALID_QUERY");
    let conditions = vec!["filter[total][gt]=1"; 64].join("&");
    public(&slug, &format!("customer=acme&{conditions}"), &[]).assert_error(400, "INVALID_QUERY");
    // A value that decodes to text looking like two parameters is one value, with an answer of its own.
    let page = public(&slug, "customer=acme&limit=3", &[]);
    assert_eq!(totals(&page), [40, 20, 10]);
    let literal = public(&slug, "customer=acme%26limit%3D3", &[]);
    assert_eq!((literal.status, totals(&literal)), (200, vec![]), "{}", literal.text);
    // A name no view can have is answered at the edge: the origin is not asked.
    let lookups = origin_count("loadView");
    public("Not_A-Slug", "", &[]).assert_error(404, "NOT_FOUND");
    public(&"a".repeat(65), "", &[]).assert_error(404, "NOT_FOUND");
    assert_eq!(origin_count("loadView"), lookups);
}

#[test]
fn auth_modes_guard_their_views() {
    let _serial = serial();
    let shop = shop("viewauth");
    let keyed = published(&shop, "keyed", json!({"auth": "view_key"}));
    public(&keyed, "customer=acme", &[]).assert_error(401, "AUTH_REQUIRED");
    // A revoked key is refused by the very next request, every time.
    for round in 0..5 {
        let key = views(&shop, "POST", "/keyed/keys", Some(json!({"name": format!("site {round}")})));
        assert_eq!(key.status, 201, "{}", key.text);
        let secret = key.json()["key"].as_str().expect("key").to_owned();
        let bearer = format!("Bearer {secret}");
        assert_eq!(public(&keyed, "customer=acme", &[("authorization", &bearer)]).status, 200, "round {round}");
        let (kept, last) = secret.split_at(secret.len() - 1);
        let wrong = format!("Bearer {kept}{}", if last == "0" { "1" } else { "0" });
        public(&keyed, "customer=acme", &[("authorization", &wrong)]).assert_error(401, "INVALID_TOKEN");
        let key_id = key.json()["id"].as_str().expect("id").to_owned();
        assert_eq!(views(&shop, "DELETE", &format!("/keyed/keys/{key_id}"), None).status, 200);
        public(&keyed, "customer=acme", &[("authorization", &bearer)]).assert_error(401, "INVALID_TOKEN");
    }
    // The list names every key, oldest first, each revoked, and never a secret.
    let listed = views(&shop, "GET", "/keyed/keys", None);
    assert_eq!(listed.status, 200, "{}", listed.text);
    let keys = listed.json()["data"].as_array().expect("data").clone();
    let names: Vec<&str> = keys.iter().filter_map(|key| key["name"].as_str()).collect();
    assert_eq!(names, ["site 0", "site 1", "site 2", "site 3", "site 4"]);
    assert!(keys.iter().all(|key| key["revoked_at"].is_string() && key.get("key").is_none()), "{keys:?}");
    assert!(!listed.text.contains("nv_"), "{}", listed.text);
    let tokened = published(&shop, "tokened", json!({"auth": "base_token"}));
    let own = format!("Bearer {}", shop.token);
    assert_eq!(public(&tokened, "customer=acme", &[("authorization", &own)]).status, 200);
    let private = public(&tokened, "customer=acme", &[("authorization", &own)]);
    assert!(private.header("cache-control").is_some_and(|value| value.starts_with("private")));
    let foreign = format!("Bearer {}", env().fixture_str("token_rw"));
    public(&tokened, "customer=acme", &[("authorization", &foreign)]).assert_error(404, "NOT_FOUND");
    public(&tokened, "customer=acme", &[]).assert_error(401, "AUTH_REQUIRED");
}

/// Requests the origin answered for one operation, from its metrics.
fn origin_count(op: &str) -> u64 {
    let metrics = send("GET", &format!("{}/metrics", env().origin_url), &[], None).text;
    let prefix = format!("nc_origin_requests_total{{op=\"{op}\"");
    metrics
        .lines()
        .filter(|line| line.starts_with(&prefix))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

fn view_queries() -> u64 {
    origin_count("getViewData")
}

#[test]
fn a_hundred_concurrent_misses_make_one_origin_query() {
    let _serial = serial();
    let shop = shop("viewherd");
    let slug = published(&shop, "open-orders", json!({"cache": {"max_age": 600}}));
    // Warm the descriptor and catalog, not this key.
    assert_eq!(public(&slug, "customer=globex", &[]).status, 200);
    let before = view_queries();
    let replies: Vec<Reply> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..100).map(|_| scope.spawn(|| public(&slug, "customer=acme", &[]))).collect();
        handles.into_iter().map(|handle| handle.join().expect("client")).collect()
    });
    assert!(replies.iter().all(|reply| reply.status == 200 && totals(reply) == [40, 20]));
    let queries = view_queries() - before;
    assert_eq!(queries, 1, "100 concurrent misses, {queries} origin queries");
}

#[test]
fn a_tables_history_reads_newest_first_by_page_and_by_record_for_every_member() {
    let _serial = serial();
    let shop = shop("history");
    let history = |access: &str, query: &str| {
        manage("GET", &format!("/bases/{}/tables/orders/history{query}", shop.base), Some(access), None)
    };
    let listed = call("GET", "/v1/tables/orders/records?sort=total&limit=1", &shop.token, &[], None);
    let id = listed.json()["data"][0]["id"].as_str().expect("id").to_owned();
    for total in [6, 7] {
        let body = json!({"values": {"total": total}});
        let updated = call("PATCH", &format!("/v1/tables/orders/records/{id}"), &shop.token, &[], Some(&body));
        assert_eq!(updated.status, 200, "{}", updated.text);
    }
    // Newest first, in pages that follow on.
    let first = history(&shop.owner.access, "?limit=3");
    assert_eq!(first.status, 200, "{}", first.text);
    let page = first.json();
    let ops: Vec<&str> =
        page["data"].as_array().expect("data").iter().filter_map(|entry| entry["op"].as_str()).collect();
    assert_eq!(ops, ["update", "update", "insert"]);
    assert_eq!(page["data"][0]["after"]["values"]["total"], 7);
    assert_eq!(page["data"][0]["before"]["values"]["total"], 6);
    let before = page["next_before"].as_i64().expect("older changes");
    let rest = history(&shop.owner.access, &format!("?limit=100&before={before}")).json();
    assert_eq!(rest["data"].as_array().map(Vec::len), Some(7), "{rest}");
    assert_eq!(rest["next_before"], Value::Null);
    let mut seqs: Vec<i64> = [&page, &rest]
        .iter()
        .flat_map(|page| page["data"].as_array().cloned().unwrap_or_default())
        .filter_map(|entry| entry["seq"].as_i64())
        .collect();
    assert!(seqs.windows(2).all(|pair| pair[0] > pair[1]), "{seqs:?}");
    seqs.dedup();
    assert_eq!(seqs.len(), 10);
    // One record's history; a viewer of the workspace reads it too.
    let viewer = register("history-viewer");
    e2e::add_member(&shop.owner, &viewer, "viewer");
    let own = history(&viewer.access, &format!("?record={id}"));
    assert_eq!(own.status, 200, "{}", own.text);
    let totals: Vec<Value> = own.json()["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|entry| entry["after"]["values"]["total"].clone())
        .collect();
    assert_eq!(totals, [json!(7), json!(6), json!(5)]);
    history(&viewer.access, "?record=nope").assert_error(400, "INVALID_QUERY");
    history(&viewer.access, "?limit=0").assert_error(400, "INVALID_QUERY");
    history(&viewer.access, "?sort=seq").assert_error(400, "INVALID_QUERY");
    manage("GET", &format!("/bases/{}/tables/nope/history", shop.base), Some(&viewer.access), None)
        .assert_error(404, "TABLE_NOT_FOUND");
    // Outside the workspace, the base is not there.
    let stranger = register("history-stranger");
    history(&stranger.access, "").assert_error(404, "NOT_FOUND");
}

#[test]
fn the_change_log_feed_never_skips_a_change_committed_out_of_order() {
    let _serial = serial();
    let shop = shop("feed");
    let feed = |after: Option<&str>| {
        let query = after.map(|after| format!("?after={after}")).unwrap_or_default();
        let reply = manage("GET", &format!("/bases/{}/changes{query}", shop.base), Some(&shop.owner.access), None);
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.json()
    };
    let start = feed(None);
    let seeded = start["data"].as_array().map(Vec::len).unwrap_or(0);
    assert_eq!(seeded, 8, "the eight seeded records");
    let mut position = start["position"].as_str().expect("position").to_owned();
    // A transaction takes a sequence number and stays open while a later one commits.
    let mut data = e2e::data_plane();
    let schema = format!("\"b_{}\"", shop.base.replace('-', ""));
    let mut early = data.transaction().expect("begin");
    let table_id = early
        .query_one(&format!("SELECT table_id::text FROM {schema}.\"_changes\" LIMIT 1"), &[])
        .expect("a change")
        .get::<_, String>(0);
    let early_seq: i64 = early
        .query_one(
            &format!(
                "INSERT INTO {schema}.\"_changes\" (op, table_id, record_id, actor, request_id) \
                 VALUES ('update', $1::text::uuid, gen_random_uuid(), 'test', 'early') RETURNING seq"
            ),
            &[&table_id],
        )
        .expect("insert")
        .get(0);
    let later =
        call("POST", "/v1/tables/orders/records", &shop.token, &[], Some(&json!({"values": {"customer": "later"}})));
    assert_eq!(later.status, 201, "{}", later.text);
    let first = feed(Some(&position));
    let seqs: Vec<i64> =
        first["data"].as_array().expect("data").iter().map(|change| change["seq"].as_i64().expect("seq")).collect();
    assert_eq!(seqs.len(), 1, "only the committed change: {seqs:?}");
    assert!(seqs[0] > early_seq, "the later transaction has the higher sequence number");
    position = first["position"].as_str().expect("position").to_owned();
    early.commit().expect("commit");
    let second = feed(Some(&position));
    let seqs: Vec<i64> =
        second["data"].as_array().expect("data").iter().map(|change| change["seq"].as_i64().expect("seq")).collect();
    assert_eq!(seqs, [early_seq], "the change that committed last is not skipped");
    let third = feed(second["position"].as_str());
    assert!(third["data"].as_array().is_some_and(Vec::is_empty), "and nothing comes twice");
}

/// A TCP proxy to the origin that can be switched off, as if the origin stopped.
struct Switch {
    url: String,
    on: std::sync::Arc<std::sync::atomic::AtomicBool>,
    open: std::sync::Arc<Mutex<Vec<std::net::TcpStream>>>,
}

impl Switch {
    fn to(target: &str) -> Switch {
        let target: std::net::SocketAddr = target.trim_start_matches("http://").parse().expect("origin address");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("listener");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let on = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let open = std::sync::Arc::new(Mutex::new(Vec::new()));
        let (accepting, tracked) = (on.clone(), open.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                if !accepting.load(std::sync::atomic::Ordering::SeqCst) {
                    continue;
                }
                let Ok(upstream) = std::net::TcpStream::connect(target) else { continue };
                let pairs = [(client.try_clone(), upstream.try_clone()), (upstream.try_clone(), client.try_clone())];
                tracked.lock().unwrap_or_else(|p| p.into_inner()).extend([client, upstream]);
                for (from, to) in pairs {
                    if let (Ok(mut from), Ok(mut to)) = (from, to) {
                        std::thread::spawn(move || {
                            let _ = std::io::copy(&mut from, &mut to);
                            let _ = to.shutdown(std::net::Shutdown::Both);
                        });
                    }
                }
            }
        });
        Switch { url, on, open }
    }

    /// Refuses new connections and cuts the open ones.
    fn off(&self) {
        self.on.store(false, std::sync::atomic::Ordering::SeqCst);
        for stream in self.open.lock().unwrap_or_else(|p| p.into_inner()).drain(..) {
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
    }
}

#[test]
fn with_the_origin_down_cached_answers_are_served_stale() {
    let _serial = serial();
    // An edge of its own, whose origin this test can stop: on the native host only.
    if !e2e::native() {
        return;
    }
    let shop = shop("viewstale");
    let slug = published(&shop, "open-orders", json!({"cache": {"max_age": 1, "stale_if_error": 60}}));
    let switch = Switch::to(&env().origin_url);
    // Catalogs and view descriptors expire during the outage too.
    let edge = e2e::edge_towards(&switch.url, &[("origin_timeout_ms", "2000"), ("catalog_cache_ttl_seconds", "1")]);
    let get = || send("GET", &format!("{}/public/views/{slug}/data?customer=acme", edge.url), &[], None);
    let fresh = get();
    assert_eq!((fresh.status, fresh.header("x-cache")), (200, Some("MISS")), "{}", fresh.text);
    switch.off();
    let hit = get();
    assert_eq!((hit.status, hit.header("x-cache")), (200, Some("HIT")), "within max-age the origin is not needed");
    std::thread::sleep(Duration::from_millis(1_100));
    let stale = get();
    assert_eq!((stale.status, stale.header("x-cache")), (200, Some("STALE")), "{}", stale.text);
    assert_eq!(stale.text, fresh.text);
    assert_eq!(totals(&stale), [40, 20]);
    // Another key was never cached: no answer to fall back on.
    let missing = send("GET", &format!("{}/public/views/{slug}/data?customer=globex", edge.url), &[], None);
    assert_eq!(missing.status, 503, "{}", missing.text);
}

fn schema(shop: &Shop, path: &str, body: Value) -> Reply {
    manage("POST", &format!("/bases/{}{path}", shop.base), Some(&shop.owner.access), Some(&body))
}

/// `accounts` (a `name`), a link to it from `orders` (`account`), and the account "Acme
/// Inc", whose id it returns.
fn with_accounts(shop: &Shop) -> String {
    let accounts = schema(shop, "/tables", json!({"name": "accounts", "fields": [{"name": "name", "type": "text"}]}));
    assert_eq!(accounts.status, 201, "{}", accounts.text);
    let link = schema(
        shop,
        "/tables/orders/fields",
        json!({"name": "account", "type": "link", "link": {"table": "accounts"}}),
    );
    assert_eq!(link.status, 201, "{}", link.text);
    let acme =
        call("POST", "/v1/tables/accounts/records", &shop.token, &[], Some(&json!({"values": {"name": "Acme Inc"}})));
    acme.json()["id"].as_str().expect("id").to_owned()
}

#[test]
fn a_view_joins_one_relation_and_a_change_to_either_table_refreshes_it() {
    let _serial = serial();
    let shop = shop("viewjoin");
    let acme = with_accounts(&shop);
    let orders = call("GET", "/v1/tables/orders/records?filter[customer][eq]=acme&limit=10", &shop.token, &[], None);
    for order in orders.json()["data"].as_array().expect("data") {
        let path = format!("/v1/tables/orders/records/{}", order["id"].as_str().expect("id"));
        let linked = call("PATCH", &path, &shop.token, &[], Some(&json!({"values": {"account": acme}})));
        assert_eq!(linked.status, 200, "{}", linked.text);
    }
    // The records API projects a linked field among the record's values.
    let listed =
        call("GET", "/v1/tables/orders/records?fields=total,account.name&sort=total&limit=1", &shop.token, &[], None);
    assert_eq!(listed.json()["data"][0]["values"], json!({"total": 5, "account.name": null}), "{}", listed.text);
    // A view returns its own fields, then the joined relation's.
    let mut joined = spec("open-with-accounts");
    joined["fields"] = json!(["customer", "total", "account.name"]);
    let created = views(&shop, "POST", "", Some(joined));
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.json()["spec"]["fields"], json!(["customer", "total", "account.name"]), "{}", created.text);
    let slug = unique_slug("joined");
    let publish = json!({"enabled": true, "slug": slug, "cache": {"max_age": 300}});
    let reply = views(&shop, "PUT", "/open-with-accounts/publish", Some(publish));
    assert_eq!(reply.status, 200, "{}", reply.text);
    let first = public(&slug, "customer=acme&limit=5", &[]);
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.json()["data"][0]["values"], json!({"customer": "acme", "total": 40, "account.name": "Acme Inc"}));
    settle(&slug, "customer=acme&limit=5");
    let before = public(&slug, "customer=acme&limit=5", &[]).text;
    // Renaming the account, a write to the other table, refreshes the cached answer.
    let renamed = call(
        "PATCH",
        &format!("/v1/tables/accounts/records/{acme}"),
        &shop.token,
        &[],
        Some(&json!({"values": {"name": "Acme Corporation"}})),
    );
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    let took = until_changed(&slug, "customer=acme&limit=5", &before);
    assert!(took < Duration::from_secs(1), "took {took:?}");
    let fresh = public(&slug, "customer=acme&limit=5", &[]);
    assert_eq!(fresh.json()["data"][0]["values"]["account.name"], "Acme Corporation");
    // The view's documentation types the joined field.
    let meta = send("GET", &format!("{}/public/views/{slug}/meta", env().edge_url), &[], None);
    let values = &meta.json()["response"]["properties"]["data"]["items"]["properties"]["values"]["properties"];
    assert_eq!(values["account.name"]["type"], json!(["string", "null"]), "{}", meta.text);
}

#[test]
fn a_view_of_a_rollup_is_refreshed_when_a_record_it_aggregates_changes() {
    let _serial = serial();
    let shop = shop("viewrollup");
    let acme = with_accounts(&shop);
    let rollup = schema(
        &shop,
        "/tables/accounts/fields",
        json!({"name": "open_total", "type": "rollup", "rollup": {
            "link": "orders.account", "function": "sum", "field": "total", "where": {"field": "status", "op": "eq", "value": "open"}}}),
    );
    assert_eq!(rollup.status, 201, "{}", rollup.text);
    let view = json!({"name": "account-totals", "table": "accounts", "fields": ["name", "open_total"],
                      "sort": ["open_total:desc"], "default_limit": 5, "max_limit": 5});
    let created = views(&shop, "POST", "", Some(view));
    assert_eq!(created.status, 201, "{}", created.text);
    let slug = unique_slug("rollup");
    let publish = json!({"enabled": true, "slug": slug, "cache": {"max_age": 300}});
    assert_eq!(views(&shop, "PUT", "/account-totals/publish", Some(publish)).status, 200);
    let first = public(&slug, "limit=5", &[]);
    assert_eq!(first.json()["data"][0]["values"], json!({"name": "Acme Inc", "open_total": 0}), "{}", first.text);
    settle(&slug, "limit=5");
    // A new open order of the account, a write to the other table, refreshes the answer.
    let order = json!({"values": {"customer": "acme", "total": 7, "status": "open", "account": acme}});
    let written = call("POST", "/v1/tables/orders/records", &shop.token, &[], Some(&order));
    assert_eq!(written.status, 201, "{}", written.text);
    let took = until_changed(&slug, "limit=5", &first.text);
    assert!(took < Duration::from_secs(1), "took {took:?}");
    let fresh = public(&slug, "limit=5", &[]);
    assert_eq!(fresh.json()["data"][0]["values"]["open_total"], 7, "{}", fresh.text);
}
