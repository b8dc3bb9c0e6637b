//! The query language through an edge host: every operator on every type it applies
//! to, `where` trees, sorts and keyset cursors checked against Postgres itself.

use e2e::{call, data_plane, env, get, physical};
use serde_json::{Value, json};
use std::sync::OnceLock;

fn rw() -> &'static str {
    env().fixture_str("token_rw")
}

const U1: &str = "3ca3dfad-2a40-4d1a-a9e1-0dca1d4fcd25";
const U2: &str = "5f6e3f0e-7339-4b67-94b2-0e2e3e5b7c12";
const U3: &str = "2d9f1f7a-9f3d-4f3e-9b2e-7a8a55c7d4a1";

/// Four specimens per test run, told apart from other runs by their `code` prefix.
fn run() -> &'static str {
    static RUN: OnceLock<String> = OnceLock::new();
    RUN.get_or_init(|| {
        let run = format!("q{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
        let rows = [
            json!({"code": format!("{run}-a"), "text": "Alpha", "long_text": "line1\nline2", "number": 1.5, "boolean": true,
                   "date": "2025-01-01", "datetime": "2025-01-01T00:00:00Z", "email": "a@x.io", "url": "https://a.example",
                   "single_select": "red", "multi_select": ["red"], "json": {"k": 1}, "uuid": U1}),
            json!({"code": format!("{run}-b"), "text": "beta", "number": 10, "boolean": false, "date": "2025-06-01",
                   "datetime": "2025-06-01T12:00:00+02:00", "email": "b@y.io", "url": "http://b.example/x",
                   "single_select": "green", "multi_select": ["green", "blue"], "json": [1, 2], "uuid": U2}),
            json!({"code": format!("{run}-c"), "text": "Gamma alpha", "number": -3, "date": "2024-12-31",
                   "datetime": "2024-12-31T23:59:59.5Z", "single_select": "blue", "multi_select": [], "json": "s", "uuid": U3}),
            json!({"code": format!("{run}-d")}),
        ];
        for values in rows {
            let reply = call("POST", "/v1/tables/specimens/records", rw(), &[], Some(&json!({ "values": values })));
            assert_eq!(reply.status, 201, "{}", reply.text);
        }
        run
    })
}

/// The specimens of this run that match `query`, as their letters in code order.
fn matching(query: &str) -> Result<String, (u16, Value)> {
    let run = run();
    let reply = get(
        &format!("/v1/tables/specimens/records?limit=1000&sort=code&filter[code][starts_with]={run}-&{query}"),
        Some(rw()),
    );
    if reply.status != 200 {
        return Err((reply.status, reply.json()));
    }
    Ok(reply.json()["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|record| {
            record["values"]["code"].as_str().expect("code").trim_start_matches(&format!("{run}-")).to_owned()
        })
        .collect())
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn filter(field: &str, op: &str, value: &str) -> String {
    format!("filter[{field}][{op}]={}", encode(value))
}

#[test]
fn every_operator_on_every_type() {
    let cases: &[(&str, &str, &str, &str)] = &[
        ("text", "eq", "Alpha", "a"),
        ("text", "ne", "Alpha", "bcd"),
        ("text", "gt", "Alpha", "bc"),
        ("text", "between", "A,B", "a"),
        ("text", "in", "Alpha,beta", "ab"),
        ("text", "in", r#"["Alpha","x,y"]"#, "a"),
        ("text", "contains", "ALPHA", "ac"),
        ("text", "starts_with", "Gam", "c"),
        ("text", "is_null", "true", "d"),
        ("long_text", "contains", "line2", "a"),
        ("long_text", "is_null", "false", "a"),
        ("number", "eq", "1.5", "a"),
        ("number", "eq", "1.50", "a"),
        ("number", "ne", "10", "acd"),
        ("number", "gt", "1", "ab"),
        ("number", "gte", "10", "b"),
        ("number", "lt", "0", "c"),
        ("number", "lte", "1.5", "ac"),
        ("number", "between", "-5,2", "ac"),
        ("number", "in", "10,-3", "bc"),
        ("number", "is_null", "true", "d"),
        ("boolean", "eq", "true", "a"),
        ("boolean", "ne", "true", "bcd"),
        ("boolean", "in", "true,false", "ab"),
        ("boolean", "is_null", "true", "cd"),
        ("date", "eq", "2025-01-01", "a"),
        ("date", "gt", "2025-01-01", "b"),
        ("date", "lt", "2025-01-01", "c"),
        ("date", "between", "2024-12-01,2025-01-31", "ac"),
        ("datetime", "eq", "2025-06-01T10:00:00Z", "b"),
        ("datetime", "gt", "2025-01-01T00:00:00Z", "b"),
        ("datetime", "lte", "2025-01-01T00:00:00+00:00", "ac"),
        ("datetime", "between", "2024-12-31T23:59:59Z,2025-01-01T00:00:00Z", "ac"),
        ("email", "eq", "a@x.io", "a"),
        ("email", "contains", "@Y.", "b"),
        ("email", "starts_with", "a@", "a"),
        ("url", "starts_with", "https://", "a"),
        ("url", "contains", "example/x", "b"),
        ("single_select", "eq", "red", "a"),
        ("single_select", "ne", "red", "bcd"),
        ("single_select", "in", "red,blue", "ac"),
        ("multi_select", "contains", "green", "b"),
        ("multi_select", "contains", "red", "a"),
        ("multi_select", "is_null", "false", "abc"),
        ("json", "is_null", "true", "d"),
        ("json", "is_null", "false", "abc"),
        ("uuid", "eq", U1, "a"),
        ("uuid", "in", &*format!("{U1},{U3}"), "ac"),
        ("uuid", "ne", U2, "acd"),
    ];
    let mut failures = Vec::new();
    for (field, op, value, expected) in cases {
        let got = matching(&filter(field, op, value));
        if got.as_deref() != Ok(*expected) {
            failures.push(format!("{field} {op} {value}: expected {expected}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "via {}:\n{}", env().edge_name, failures.join("\n"));
}

#[test]
fn system_columns_filter_too() {
    let all = matching("").expect("list");
    assert_eq!(all, "abcd");
    let reply = get(&format!("/v1/tables/specimens/records?filter[code][eq]={}-b", run()), Some(rw()));
    let id = reply.json()["data"][0]["id"].as_str().expect("id").to_owned();
    assert_eq!(matching(&filter("id", "eq", &id)).as_deref(), Ok("b"));
    assert_eq!(matching(&filter("created_at", "gt", "2025-01-01T00:00:00Z")).as_deref(), Ok("abcd"));
}

#[test]
fn values_that_do_not_fit_the_type_are_422_naming_field_and_operator() {
    for (field, op, value) in [
        ("number", "eq", "abc"),
        ("number", "in", "1,x"),
        ("number", "between", "1,1e5000"),
        ("date", "eq", "2025-02-30"),
        ("datetime", "gt", "2025-01-01"),
        ("email", "eq", "nope"),
        ("uuid", "eq", "nope"),
        ("boolean", "eq", "yes"),
        ("single_select", "eq", "purple"),
        ("multi_select", "contains", "purple"),
        ("text", "is_null", "maybe"),
    ] {
        let (status, body) = matching(&filter(field, op, value)).expect_err("refused");
        assert_eq!(status, 422, "{field} {op} {value}: {body}");
        assert_eq!(body["error"]["code"], "VALIDATION_ERROR");
        assert_eq!(body["error"]["details"]["field"], field, "{body}");
        assert_eq!(body["error"]["details"]["operator"], op, "{body}");
    }
}

#[test]
fn operators_that_do_not_apply_to_a_type_are_400() {
    for (field, op, value) in [
        ("boolean", "gt", "true"),
        ("single_select", "lt", "red"),
        ("multi_select", "eq", "red"),
        ("json", "eq", "1"),
        ("number", "contains", "1"),
        ("uuid", "starts_with", "3"),
    ] {
        let (status, body) = matching(&filter(field, op, value)).expect_err("refused");
        assert_eq!((status, body["error"]["code"].as_str()), (400, Some("INVALID_QUERY")), "{field} {op}: {body}");
    }
    let (status, _) = matching("filter[text][like]=x").expect_err("unknown operator");
    assert_eq!(status, 400);
}

#[test]
fn values_round_trip_exactly() {
    let values = json!({
        "code": format!("exact-{}", uuid::Uuid::new_v4().simple()),
        "number": "<number>",
        "datetime": "2025-06-01T12:00:00.123456+02:00",
        "multi_select": ["blue", "red"],
        "json": {"nested": [1, 2.50, {"deep": null}], "s": "é\"\\"},
        "uuid": U1.to_uppercase(),
        "long_text": "line 1\nline 2 — ünïcödé 🎉",
        "date": "2024-02-29",
    });
    // serde_json would round the number through f64: splice it in as raw JSON text.
    let body = serde_json::to_string(&json!({ "values": values }))
        .expect("json")
        .replace("\"<number>\"", "12345678901234567890.123456789");
    let reply = e2e::send(
        "POST",
        &format!("{}/v1/tables/specimens/records", env().edge_url),
        &[("authorization", &format!("Bearer {}", rw())), ("content-type", "application/json")],
        Some(body.as_bytes()),
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert!(reply.text.contains("\"number\":12345678901234567890.123456789"), "{}", reply.text);
    let id = reply.json()["id"].as_str().expect("id").to_owned();
    let read = get(&format!("/v1/tables/specimens/records/{id}"), Some(rw()));
    assert!(read.text.contains("\"number\":12345678901234567890.123456789"), "{}", read.text);
    let record = read.json();
    let stored = &record["values"];
    assert_eq!(stored["datetime"], "2025-06-01T10:00:00.123456+00:00", "UTC out");
    assert_eq!(stored["multi_select"], json!(["blue", "red"]));
    assert_eq!(stored["json"], values["json"]);
    assert_eq!(stored["uuid"], U1, "canonical lowercase");
    assert_eq!(stored["long_text"], values["long_text"]);
    assert_eq!(stored["date"], "2024-02-29");
}

#[test]
fn where_trees() {
    let code = |value: &str| format!(r#"{{"field":"code","op":"starts_with","value":"{}-{value}"}}"#, run());
    let tree = r#"{"or":[{"field":"number","op":"gt","value":5},{"and":[{"field":"text","op":"contains","value":"alpha"},{"not":{"field":"boolean","op":"eq","value":true}}]}]}"#;
    assert_eq!(matching(&format!("where={}", encode(tree))).as_deref(), Ok("bc"));
    let not_in = format!(r#"{{"not":{{"or":[{},{}]}}}}"#, code("a"), code("d"));
    assert_eq!(matching(&format!("where={}", encode(&not_in))).as_deref(), Ok("bc"));
    let list = r#"{"field":"number","op":"in","value":[10,-3]}"#;
    assert_eq!(matching(&format!("where={}", encode(list))).as_deref(), Ok("bc"));
    // where= and filter[] combine with AND.
    let both = format!("where={}&{}", encode(list), filter("number", "lt", "0"));
    assert_eq!(matching(&both).as_deref(), Ok("c"));
}

#[test]
fn where_limits_are_400_with_a_clear_message() {
    let leaf = r#"{"field":"number","op":"gt","value":1}"#;
    let mut deep = leaf.to_owned();
    for _ in 0..9 {
        deep = format!(r#"{{"not":{deep}}}"#);
    }
    let many = format!(r#"{{"and":[{}]}}"#, vec![leaf; 65].join(","));
    let huge = format!(r#"{{"or":[{}]}}"#, vec![r#"{"field":"text","op":"eq","value":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}"#; 120].join(","));
    for (name, tree, needle) in [
        ("depth", deep.as_str(), "deeper than"),
        ("conditions", many.as_str(), "conditions"),
        ("size", huge.as_str(), "bytes"),
        ("shape", r#"{"field":"number"}"#, "must be"),
        ("json", "{", "not valid JSON"),
        ("field", r#"{"field":"nope","op":"eq","value":1}"#, "Unknown field"),
    ] {
        let (status, body) = matching(&format!("where={}", encode(tree))).expect_err(name);
        assert_eq!(status, 400, "{name}: {body}");
        let message = body["error"]["message"].as_str().unwrap_or("");
        assert!(message.contains(needle), "{name}: {message}");
    }
}

#[test]
fn projection_returns_only_the_named_fields() {
    let reply =
        get(&format!("/v1/tables/specimens/records?filter[code][eq]={}-a&fields=text,number", run()), Some(rw()));
    let record = &reply.json()["data"][0];
    assert_eq!(record["values"], json!({"text": "Alpha", "number": 1.5}), "{}", reply.text);
    assert!(record["id"].is_string() && record["created_at"].is_string());
    let one =
        get(&format!("/v1/tables/specimens/records/{}?fields=email", record["id"].as_str().expect("id")), Some(rw()));
    assert_eq!(one.json()["values"], json!({"email": "a@x.io"}), "{}", one.text);
    get("/v1/tables/specimens/records?fields=nope", Some(rw())).assert_error(400, "INVALID_QUERY");
}

/// Rows seeded before the test run began; rows the suites create are newer.
const SEEDED: &str = "filter[created_at][lt]=2026-01-01T00:00:00Z";

/// Walks every page of `sort` over the seeded ledger and returns the ids in order.
fn walk(sort: &str, limit: u32) -> Vec<String> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/v1/tables/ledger/records?limit={limit}&sort={sort}&{SEEDED}&fields=score");
        if let Some(cursor) = &cursor {
            path.push_str(&format!("&cursor={cursor}"));
        }
        let reply = get(&path, Some(rw()));
        assert_eq!(reply.status, 200, "{sort}: {}", reply.text);
        let body = reply.json();
        ids.extend(body["data"].as_array().expect("data").iter().map(|r| r["id"].as_str().expect("id").to_owned()));
        match body["next_cursor"].as_str() {
            Some(next) => {
                assert_eq!(body["has_more"], true);
                cursor = Some(next.to_owned());
            }
            None => {
                assert_eq!(body["has_more"], false);
                return ids;
            }
        }
    }
}

/// The same order in raw SQL, with Postgres's own NULL placement (last ascending, first descending).
fn reference(order_by: &str) -> Vec<String> {
    let ledger = physical("base_id", "ledger", rw());
    let mut order = order_by.to_owned();
    for (name, column) in &ledger.columns {
        order = order.replace(&format!("<{name}>"), column);
    }
    let sql = format!("SELECT id::text FROM {} WHERE created_at < '2026-01-01' ORDER BY {order}", ledger.table);
    data_plane().query(&sql, &[]).expect("reference query").iter().map(|row| row.get(0)).collect()
}

#[test]
fn cursor_walks_match_order_by_in_sql_with_nulls_and_ties() {
    let rows = env().fixture["ledger_rows"].as_u64().expect("ledger_rows") as usize;
    for (sort, order_by) in [
        ("created_at", "created_at, id"),
        ("created_at.desc", "created_at DESC, id"),
        ("score.desc,label.asc", "<score> DESC, <label> ASC, id"),
        ("label:asc,day:desc", "<label>, <day> DESC, id"),
        ("day,score.desc,created_at", "<day>, <score> DESC, created_at, id"),
        ("id.desc", "id DESC"),
    ] {
        let walked = walk(sort, 1000);
        assert_eq!(walked.len(), rows, "{sort}: no skips, no repeats");
        let expected = reference(order_by);
        assert_eq!(walked.len(), expected.len());
        let first_difference = walked.iter().zip(&expected).position(|(a, b)| a != b);
        assert_eq!(first_difference, None, "{sort} via {}: order differs from ORDER BY {order_by}", env().edge_name);
    }
}

#[test]
fn a_cursor_walk_is_stable_under_concurrent_inserts() {
    let before = reference("<score> DESC, <label> ASC, id");
    let writer = std::thread::spawn(|| {
        for i in 0..60 {
            let values = json!({"score": i % 50, "label": format!("L{}", i % 30)});
            let reply = call("POST", "/v1/tables/ledger/records", rw(), &[], Some(&json!({ "values": values })));
            assert_eq!(reply.status, 201, "{}", reply.text);
        }
    });
    // Small pages, so that the inserts land while the walk is under way. Rows created now
    // are filtered out by SEEDED, yet sort among the seeded ones: the keyset must step over them.
    let walked = walk("score.desc,label.asc", 250);
    writer.join().expect("writer");
    assert_eq!(walked, before, "rows that existed before the first page: each once, in order");
}

#[test]
fn sort_errors() {
    for (query, needle) in [
        ("sort=nope", "Unknown field"),
        ("sort=multi_select", "cannot be sorted"),
        ("sort=text.up", "must be"),
        ("sort=text,text", "twice"),
        ("sort=a,b,c,d,e,f,g,h,i", "At most 8"),
    ] {
        let reply = get(&format!("/v1/tables/specimens/records?{query}"), Some(rw()));
        let body = reply.assert_error(400, "INVALID_QUERY");
        assert!(body["error"]["message"].as_str().unwrap_or("").contains(needle), "{query}: {}", reply.text);
    }
}

#[test]
fn distinct_query_shapes_keep_a_bounded_number_of_prepared_statements() {
    // Each request projects a different set of the specimens' fields: a different SQL
    // text each, more than one connection may keep prepared.
    let names = [
        "code",
        "text",
        "long_text",
        "number",
        "boolean",
        "date",
        "datetime",
        "email",
        "url",
        "single_select",
        "multi_select",
        "json",
        "uuid",
    ];
    for set in 1..=600u32 {
        let fields: Vec<&str> =
            names.iter().enumerate().filter(|(bit, _)| set & (1 << bit) != 0).map(|(_, n)| *n).collect();
        let reply = get(&format!("/v1/tables/specimens/records?limit=1&fields={}", fields.join(",")), Some(rw()));
        assert_eq!(reply.status, 200, "{}", reply.text);
    }
    let metrics = e2e::send("GET", &format!("{}/metrics", env().origin_url), &[], None).text;
    let most: usize = metrics
        .lines()
        .find_map(|line| line.strip_prefix("nc_origin_data_statements_max ")?.parse().ok())
        .expect("the gauge of prepared statements");
    assert!((1..=256).contains(&most), "a connection held {most} prepared statements");
}
