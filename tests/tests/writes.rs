//! Writes through an edge host: partial updates, deletes, batches, idempotency, optimistic
//! concurrency, limits, CORS, meta, and hostile input that must change nothing.

use e2e::{Reply, call, data_plane, env, get, physical, send};
use serde_json::{Value, json};

fn rw() -> &'static str {
    env().fixture_str("token_rw")
}

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::new_v4().simple())
}

/// Creates a customer and returns it.
fn create(name: &str) -> Value {
    let values =
        json!({ "name": name, "email": format!("{}@example.org", unique("w")), "amount": 1, "status": "trial" });
    let reply = call("POST", "/v1/tables/customers/records", rw(), &[], Some(&json!({ "values": values })));
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.header("etag"), Some("\"1\""));
    reply.json()
}

fn record_path(record: &Value) -> String {
    format!("/v1/tables/customers/records/{}", record["id"].as_str().expect("id"))
}

fn count_named(name: &str) -> usize {
    let reply = get(&format!("/v1/tables/customers/records?filter[name][eq]={name}&limit=1000"), Some(rw()));
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()["data"].as_array().expect("data").len()
}

#[test]
fn patch_is_partial_and_returns_the_merged_record() {
    let record = create(&unique("patch"));
    let reply = call("PATCH", &record_path(&record), rw(), &[], Some(&json!({"values": {"status": "churned"}})));
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.header("etag"), Some("\"2\""));
    let merged = reply.json();
    assert_eq!(merged["values"]["status"], "churned");
    assert_eq!(merged["values"]["name"], record["values"]["name"], "untouched fields keep their values");
    assert_eq!(merged["values"]["email"], record["values"]["email"]);
    assert_ne!(merged["updated_at"], record["updated_at"]);
    assert_eq!(get(&record_path(&record), Some(rw())).json(), merged);
    let body = call("PATCH", &record_path(&record), rw(), &[], Some(&json!({"values": {"name": null, "amount": "x"}})))
        .assert_error(422, "VALIDATION_ERROR");
    let errors = body["error"]["details"]["errors"].as_array().expect("errors").clone();
    assert_eq!(errors.len(), 2, "every failing field is listed: {body}");
    assert!(errors.iter().all(|e| e["field"].is_string() && e["code"].is_string() && e["message"].is_string()));
    call(
        "PATCH",
        "/v1/tables/customers/records/00000000-0000-0000-0000-000000000000",
        rw(),
        &[],
        Some(&json!({"values": {"amount": 1}})),
    )
    .assert_error(404, "RECORD_NOT_FOUND");
}

#[test]
fn etags_make_reads_conditional_and_writes_safe() {
    let record = create(&unique("etag"));
    let path = record_path(&record);
    let not_modified = send(
        "GET",
        &format!("{}{path}", env().edge_url),
        &[("authorization", &format!("Bearer {}", rw())), ("if-none-match", "\"1\"")],
        None,
    );
    assert_eq!(not_modified.status, 304);
    assert!(not_modified.text.is_empty());
    assert_eq!(not_modified.header("etag"), Some("\"1\""));
    let stale = call("PATCH", &path, rw(), &[("if-match", "\"7\"")], Some(&json!({"values": {"amount": 2}})))
        .assert_error(412, "PRECONDITION_FAILED");
    assert_eq!(stale["error"]["details"]["current_etag"], "\"1\"");
    call("DELETE", &path, rw(), &[("if-match", "\"2\"")], None).assert_error(412, "PRECONDITION_FAILED");
    assert_eq!(get(&path, Some(rw())).status, 200, "a failed precondition deletes nothing");
    call("PATCH", &path, rw(), &[("if-match", "1")], Some(&json!({"values": {"amount": 2}})))
        .assert_error(400, "INVALID_REQUEST");
    let deleted = call("DELETE", &path, rw(), &[("if-match", "\"1\"")], None);
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    assert_eq!(deleted.json(), json!({"id": record["id"], "deleted": true}));
    get(&path, Some(rw())).assert_error(404, "RECORD_NOT_FOUND");
    call("DELETE", &path, rw(), &[], None).assert_error(404, "RECORD_NOT_FOUND");
}

#[test]
fn concurrent_patches_with_one_etag_have_exactly_one_winner() {
    let record = create(&unique("race"));
    let path = record_path(&record);
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let path = path.clone();
            std::thread::spawn(move || {
                call("PATCH", &path, rw(), &[("if-match", "\"1\"")], Some(&json!({"values": {"amount": i}}))).status
            })
        })
        .collect();
    let mut statuses: Vec<u16> = threads.into_iter().map(|t| t.join().expect("thread")).collect();
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 412, 412, 412, 412, 412, 412, 412], "via {}", env().edge_name);
    assert_eq!(get(&path, Some(rw())).header("etag"), Some("\"2\""));
}

#[test]
fn twenty_concurrent_posts_with_one_key_write_one_row() {
    let name = unique("idem");
    let key = uuid::Uuid::new_v4().to_string();
    let body = json!({"values": {"name": name, "amount": 5}});
    let threads: Vec<_> = (0..20)
        .map(|_| {
            let (key, body) = (key.clone(), body.clone());
            std::thread::spawn(move || {
                call("POST", "/v1/tables/customers/records", rw(), &[("x-idempotency-key", &key)], Some(&body))
            })
        })
        .collect();
    let replies: Vec<Reply> = threads.into_iter().map(|t| t.join().expect("thread")).collect();
    assert!(replies.iter().all(|r| r.status == 201), "{:?}", replies.iter().map(|r| &r.text).collect::<Vec<_>>());
    let ids: std::collections::BTreeSet<String> =
        replies.iter().map(|r| r.json()["id"].as_str().expect("id").to_owned()).collect();
    assert_eq!(ids.len(), 1, "every answer names the one record");
    let replayed = replies.iter().filter(|r| r.header("idempotency-replayed") == Some("true")).count();
    assert_eq!(replayed, 19);
    assert_eq!(count_named(&name), 1);
    // The same key with another body is refused, and writes nothing.
    let other = json!({"values": {"name": format!("{name}-other")}});
    call("POST", "/v1/tables/customers/records", rw(), &[("x-idempotency-key", &key)], Some(&other))
        .assert_error(409, "IDEMPOTENCY_REPLAYED");
    assert_eq!(count_named(&format!("{name}-other")), 0);
    call("POST", "/v1/tables/customers/records", rw(), &[("x-idempotency-key", "has space")], Some(&other))
        .assert_error(400, "INVALID_REQUEST");
}

#[test]
fn idempotent_patch_replays_instead_of_applying_twice() {
    let record = create(&unique("idem-patch"));
    let path = record_path(&record);
    let key = uuid::Uuid::new_v4().to_string();
    let patch = json!({"values": {"amount": 42}});
    let first = call("PATCH", &path, rw(), &[("x-idempotency-key", &key), ("if-match", "\"1\"")], Some(&patch));
    assert_eq!(first.status, 200, "{}", first.text);
    let again = call("PATCH", &path, rw(), &[("x-idempotency-key", &key), ("if-match", "\"1\"")], Some(&patch));
    assert_eq!((again.status, again.header("idempotency-replayed")), (200, Some("true")), "{}", again.text);
    assert_eq!(again.json(), first.json());
    assert_eq!(again.header("etag"), Some("\"2\""));
}

#[test]
fn filtered_delete_needs_the_guard_header() {
    let name = unique("guarded");
    for _ in 0..3 {
        create(&name);
    }
    let path = format!("/v1/tables/customers/records?filter[name][eq]={name}");
    let refused = call("DELETE", &path, rw(), &[], None).assert_error(400, "INVALID_REQUEST");
    assert!(refused["error"]["message"].as_str().unwrap_or("").contains("X-Allow-Filtered-Delete"));
    assert_eq!(count_named(&name), 3, "nothing deleted");
    let reply = call("DELETE", &path, rw(), &[("x-allow-filtered-delete", "true")], None);
    assert_eq!((reply.status, reply.json()), (200, json!({"deleted": 3})), "{}", reply.text);
    assert_eq!(count_named(&name), 0);
    call("DELETE", "/v1/tables/customers/records", rw(), &[("x-allow-filtered-delete", "true")], None)
        .assert_error(400, "INVALID_QUERY");
}

#[test]
fn bulk_deletes_by_ids() {
    let name = unique("bulk");
    let ids: Vec<String> = (0..3).map(|_| create(&name)["id"].as_str().expect("id").to_owned()).collect();
    let missing = uuid::Uuid::new_v4().to_string();
    let all_or_nothing = call(
        "POST",
        "/v1/tables/customers/records:batchDelete",
        rw(),
        &[],
        Some(&json!({"ids": [ids[0], ids[1], missing]})),
    )
    .assert_error(404, "RECORD_NOT_FOUND");
    assert_eq!(all_or_nothing["error"]["details"]["missing"], json!([missing]));
    assert_eq!(count_named(&name), 3, "batchDelete is atomic");
    let reply =
        call("POST", "/v1/tables/customers/records:batchDelete", rw(), &[], Some(&json!({"ids": [ids[0], ids[1]]})));
    assert_eq!((reply.status, reply.json()), (200, json!({"deleted": 2})), "{}", reply.text);
    let reply =
        call("DELETE", &format!("/v1/tables/customers/records?ids[]={}&ids[]={missing}", ids[2]), rw(), &[], None);
    assert_eq!((reply.status, reply.json()), (200, json!({"deleted": 1})), "{}", reply.text);
    assert_eq!(count_named(&name), 0);
    let reader = env().fixture_str("token_ro");
    call("POST", "/v1/tables/customers/records:batchDelete", reader, &[], Some(&json!({"ids": [missing]})))
        .assert_error(403, "INSUFFICIENT_SCOPE");
}

#[test]
fn batch_upsert_by_unique_field_and_by_id() {
    let existing = create(&unique("upsert"));
    let email = existing["values"]["email"].as_str().expect("email").to_owned();
    let new_email = format!("{}@example.org", unique("n"));
    let items = json!({"items": [
        {"values": {"name": "New one", "email": new_email, "amount": 3}},
        {"values": {"name": "Renamed", "email": email}},
    ]});
    let reply = call("POST", "/v1/tables/customers/records:batchUpsert?unique=email", rw(), &[], Some(&items));
    assert_eq!(reply.status, 200, "{}", reply.text);
    let body = reply.json();
    assert_eq!(body["upserted"], 2);
    assert_eq!(body["job_id"], Value::Null);
    assert_eq!(body["ids"][1], existing["id"], "an update keeps the record's id, in item order");
    let updated = get(&record_path(&existing), Some(rw())).json();
    assert_eq!(updated["values"]["name"], "Renamed");
    assert_eq!(updated["values"]["amount"], existing["values"]["amount"], "fields not in the item are kept");
    let by_id = json!({"items": [{"id": existing["id"], "values": {"name": "By id"}}]});
    let reply = call("POST", "/v1/tables/customers/records:batchUpsert", rw(), &[], Some(&by_id));
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(get(&record_path(&existing), Some(rw())).json()["values"]["name"], "By id");
}

#[test]
fn batch_upsert_with_one_bad_item_writes_nothing_and_names_it() {
    let name = unique("atomic");
    let mut items: Vec<Value> = (0..10)
        .map(|i| json!({"values": {"name": name, "email": format!("{}@example.org", unique(&i.to_string()))}}))
        .collect();
    items[7] = json!({"values": {"name": name, "email": "not-an-email"}});
    let body = call(
        "POST",
        "/v1/tables/customers/records:batchUpsert?unique=email",
        rw(),
        &[],
        Some(&json!({"items": items})),
    )
    .assert_error(422, "VALIDATION_ERROR");
    assert_eq!(body["error"]["details"]["errors"][0]["index"], 7, "{body}");
    assert_eq!(body["error"]["details"]["errors"][0]["field"], "email");
    assert_eq!(count_named(&name), 0);
    // A unique clash found by Postgres rolls back the whole batch too.
    let taken = create(&unique("taken"))["values"]["email"].clone();
    let clash = json!({"items": [
        {"values": {"name": name, "email": format!("{}@example.org", unique("ok"))}},
        {"values": {"name": name, "email": taken}},
    ]});
    let reply = call("POST", "/v1/tables/customers/records:batchUpsert", rw(), &[], Some(&clash));
    let body = reply.assert_error(409, "UNIQUE_VIOLATION");
    assert_eq!(body["error"]["details"]["field"], "email");
    assert_eq!(count_named(&name), 0);
    call("POST", "/v1/tables/customers/records:batchUpsert?unique=name", rw(), &[], Some(&clash))
        .assert_error(400, "INVALID_QUERY");
}

#[test]
fn unique_fields_refuse_a_taken_value() {
    let record = create(&unique("uniq"));
    let again = json!({"values": {"name": "copy", "email": record["values"]["email"]}});
    let body =
        call("POST", "/v1/tables/customers/records", rw(), &[], Some(&again)).assert_error(409, "UNIQUE_VIOLATION");
    assert_eq!(body["error"]["details"]["field"], "email");
}

#[test]
fn limits_are_413_with_a_way_forward() {
    let items: Vec<Value> = (0..1001).map(|i| json!({"values": {"name": format!("n{i}")}})).collect();
    let body = call("POST", "/v1/tables/customers/records:batchUpsert", rw(), &[], Some(&json!({"items": items})))
        .assert_error(413, "PAYLOAD_TOO_LARGE");
    assert!(body["error"]["message"].as_str().unwrap_or("").contains("CSV import"), "{body}");
    get("/v1/tables/customers/records?limit=1001", Some(rw())).assert_error(413, "PAYLOAD_TOO_LARGE");
    let huge = json!({"values": {"name": "x".repeat(6 * 1024 * 1024)}});
    call("POST", "/v1/tables/customers/records", rw(), &[], Some(&huge)).assert_error(413, "PAYLOAD_TOO_LARGE");
}

#[test]
fn a_body_of_distinct_keys_is_refused_in_linear_time() {
    // The largest body the edge accepts, of distinct keys: refused at once for its size,
    // without resolving a key past the cap.
    let max_body = 5 * 1024 * 1024;
    let mut body = String::from(r#"{"values":{"#);
    let mut keys = 0;
    while body.len() < max_body - 32 {
        if keys > 0 {
            body.push(',');
        }
        body.push_str(&format!(r#""k{keys}":1"#));
        keys += 1;
    }
    body.push_str("}}");
    assert!(body.len() <= max_body, "{} bytes", body.len());
    let headers = [("authorization", format!("Bearer {}", rw())), ("content-type", "application/json".to_owned())];
    let headers: Vec<(&str, &str)> = headers.iter().map(|(name, value)| (*name, value.as_str())).collect();
    let reply =
        send("POST", &format!("{}/v1/tables/customers/records", env().edge_url), &headers, Some(body.as_bytes()));
    let error = reply.assert_error(413, "PAYLOAD_TOO_LARGE");
    assert_eq!(error["error"]["details"]["keys"], keys, "{}", reply.text);
    assert_eq!(error["error"]["details"]["max"], 1024);
    // Under the cap, every problem is counted; the first hundred are listed.
    let values: serde_json::Map<String, Value> = (0..1024).map(|i| (format!("k{i}"), json!(1))).collect();
    let reply = call("POST", "/v1/tables/customers/records", rw(), &[], Some(&json!({"values": values})));
    let error = reply.assert_error(422, "VALIDATION_ERROR");
    assert_eq!(error["error"]["details"]["errors"].as_array().map(Vec::len), Some(100));
    assert!(error["error"]["details"]["problems"].as_u64().is_some_and(|n| n >= 1024), "{}", reply.text);
}

#[test]
fn cors_allows_only_the_configured_origin() {
    let edge = &env().edge_url;
    let preflight = |origin: &str| {
        send(
            "OPTIONS",
            &format!("{edge}/v1/tables/customers/records"),
            &[
                ("origin", origin),
                ("access-control-request-method", "POST"),
                ("access-control-request-headers", "authorization, content-type"),
            ],
            None,
        )
    };
    let allowed = preflight("https://app.nclcdbaas.com");
    assert_eq!(allowed.status, 204);
    assert_eq!(allowed.header("access-control-allow-origin"), Some("https://app.nclcdbaas.com"));
    assert!(allowed.header("access-control-allow-headers").unwrap_or("").contains("x-idempotency-key"));
    let other = preflight("https://evil.example");
    assert_eq!(other.header("access-control-allow-origin"), None);
    let reply = send(
        "GET",
        &format!("{edge}/v1/tables/customers/records?limit=1"),
        &[("authorization", &format!("Bearer {}", rw())), ("origin", "https://app.nclcdbaas.com")],
        None,
    );
    assert_eq!(reply.header("access-control-allow-origin"), Some("https://app.nclcdbaas.com"));
    assert!(reply.header("access-control-expose-headers").unwrap_or("").contains("etag"));
}

#[test]
fn meta_describes_the_tokens_base() {
    let tables = get("/v1/meta/tables", Some(rw()));
    assert_eq!(tables.status, 200, "{}", tables.text);
    let names: Vec<Value> = tables.json()["data"].as_array().expect("data").iter().map(|t| t["name"].clone()).collect();
    assert_eq!(names, [json!("customers"), json!("specimens"), json!("ledger"), json!("orders")]);
    let customers = get("/v1/meta/tables/customers", Some(rw())).json();
    assert_eq!(customers["uniques"], json!(["email"]));
    assert_eq!(
        customers["linked_from"],
        json!([{"table": "orders", "field": "customer", "include": "orders.customer"}])
    );
    let status = customers["fields"].as_array().expect("fields").iter().find(|f| f["name"] == "status").cloned();
    assert_eq!(status.expect("status")["options"], json!(["active", "churned", "trial", "paused"]));
    get("/v1/meta/tables/nope", Some(rw())).assert_error(404, "TABLE_NOT_FOUND");
    get("/v1/meta/tables", None).assert_error(401, "AUTH_REQUIRED");
    // Another base's token sees only its own base.
    let other = get("/v1/meta/tables", Some(env().fixture_str("token_other"))).json();
    assert_eq!(other["data"].as_array().expect("data").len(), 1);
}

/// Inputs an attacker or a buggy client might send: quotes, comments, identifiers,
/// unicode, control characters, huge numbers, deep JSON.
const HOSTILE: &[&str] = &[
    "'",
    "\"",
    "'; DROP TABLE customers; --",
    "\" OR 1=1 --",
    "1) OR (1=1",
    "/* comment */",
    "$1",
    "$$",
    "\\",
    "%",
    "_",
    "customers",
    "f_00000000000000000000000000000000",
    "b_0\".\"t_0",
    "pg_catalog.pg_tables",
    "id",
    "created_at",
    "🎉ünï",
    "\u{202e}rtl",
    "\u{7}",
    "99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999",
    "1e999999",
    "-0",
    "NaN",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    "{\"and\":[{\"or\":[]}]}",
    "null",
    "",
];

fn fingerprint(client: &mut postgres::Client, table: &str) -> String {
    let sql = format!(
        "SELECT count(*)::text || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t.id)), '') FROM {table} t"
    );
    client.query_one(&sql, &[]).expect("fingerprint").get(0)
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

#[test]
fn hostile_input_in_every_parameter_is_4xx_and_changes_nothing() {
    // The other base's table: no other suite writes to it, so any change would be ours.
    let token = env().fixture_str("token_other");
    let table = physical("other_base_id", "customers", token).table;
    let mut db = data_plane();
    let before = fingerprint(&mut db, &table);
    let mut failures = Vec::new();
    let mut check = |what: String, reply: Reply, allow_ok: bool| {
        let ok = reply.status < 500 && (allow_ok || reply.status >= 400) && reply.status != 0;
        if !ok || (reply.status >= 400 && reply.json()["error"]["code"].as_str().is_none()) {
            failures.push(format!("{what}: {} {}", reply.status, reply.text.chars().take(200).collect::<String>()));
        }
    };
    for input in HOSTILE {
        let e = encode(input);
        // Reads: some inputs are legal where they land ("id" is a sortable column, text is
        // text); then a 200 is right. What must never happen is a 500 or a change.
        check(
            format!("filter value {input:?}"),
            get(&format!("/v1/tables/customers/records?filter[name][eq]={e}"), Some(token)),
            true,
        );
        check(
            format!("number filter {input:?}"),
            get(&format!("/v1/tables/customers/records?filter[amount][gt]={e}"), Some(token)),
            true,
        );
        check(
            format!("contains {input:?}"),
            get(&format!("/v1/tables/customers/records?filter[name][contains]={e}"), Some(token)),
            true,
        );
        check(
            format!("in list {input:?}"),
            get(&format!("/v1/tables/customers/records?filter[amount][in]={e}"), Some(token)),
            true,
        );
        check(
            format!("filter field {input:?}"),
            get(&format!("/v1/tables/customers/records?filter[{e}][eq]=1"), Some(token)),
            true,
        );
        check(
            format!("filter op {input:?}"),
            get(&format!("/v1/tables/customers/records?filter[name][{e}]=1"), Some(token)),
            true,
        );
        check(format!("sort {input:?}"), get(&format!("/v1/tables/customers/records?sort={e}"), Some(token)), true);
        check(format!("fields {input:?}"), get(&format!("/v1/tables/customers/records?fields={e}"), Some(token)), true);
        check(format!("where {input:?}"), get(&format!("/v1/tables/customers/records?where={e}"), Some(token)), true);
        check(format!("cursor {input:?}"), get(&format!("/v1/tables/customers/records?cursor={e}"), Some(token)), true);
        check(format!("limit {input:?}"), get(&format!("/v1/tables/customers/records?limit={e}"), Some(token)), true);
        check(format!("table {input:?}"), get(&format!("/v1/tables/{e}/records"), Some(token)), true);
        check(format!("record id {input:?}"), get(&format!("/v1/tables/customers/records/{e}"), Some(token)), true);
        let where_value = json!({"field": "name", "op": "eq", "value": input}).to_string();
        check(
            format!("where value {input:?}"),
            get(&format!("/v1/tables/customers/records?where={}", encode(&where_value)), Some(token)),
            true,
        );
        // Writes that must all be refused: unknown fields, wrong types, a required field null.
        let bad_values =
            [json!({ *input: 1 }), json!({"name": null, "amount": input}), json!({"name": 1, "email": input})];
        for values in bad_values {
            check(
                format!("create {values}"),
                call("POST", "/v1/tables/customers/records", token, &[], Some(&json!({ "values": values }))),
                false,
            );
            check(
                format!("upsert {values}"),
                call(
                    "POST",
                    "/v1/tables/customers/records:batchUpsert",
                    token,
                    &[],
                    Some(&json!({"items": [{ "values": values }]})),
                ),
                false,
            );
        }
        let raw = format!("{{\"values\": {input}}}");
        let headers = [("authorization", format!("Bearer {token}")), ("content-type", "application/json".into())];
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        check(
            format!("raw body {input:?}"),
            send("POST", &format!("{}/v1/tables/customers/records", env().edge_url), &headers, Some(raw.as_bytes())),
            false,
        );
        check(
            format!("delete ids {input:?}"),
            call("DELETE", &format!("/v1/tables/customers/records?ids[]={e}"), token, &[], None),
            false,
        );
        check(
            format!("batch delete {input:?}"),
            call("POST", "/v1/tables/customers/records:batchDelete", token, &[], Some(&json!({"ids": [input]}))),
            false,
        );
        if input.is_ascii() && !input.contains(['\u{7}']) && !input.is_empty() {
            check(
                format!("if-match {input:?}"),
                call(
                    "DELETE",
                    "/v1/tables/customers/records/00000000-0000-0000-0000-000000000000",
                    token,
                    &[("if-match", input)],
                    None,
                ),
                false,
            );
        }
    }
    let deep = format!("{{\"values\": {{\"name\": {}1{}}}}}", "[".repeat(5000), "]".repeat(5000));
    let headers = [("authorization", format!("Bearer {token}")), ("content-type", "application/json".into())];
    let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    check(
        "deep JSON body".into(),
        send("POST", &format!("{}/v1/tables/customers/records", env().edge_url), &headers, Some(deep.as_bytes())),
        false,
    );
    assert!(failures.is_empty(), "via {}:\n{}", env().edge_name, failures.join("\n"));
    assert_eq!(fingerprint(&mut db, &table), before, "the data is unchanged");
}
