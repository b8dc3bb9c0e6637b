//! Audit and history: every critical operation lands in the logs plane, insert-only
//! (record changes copied from each base's change log, each once; schema, view, token and
//! webhook changes; sign-ins and failed ones); the workspace's log is queried by actor,
//! action, resource and time with cursor pages and never shows another workspace's events;
//! a change is reverted as an ordinary logged write that refuses when the record changed
//! since, and a whole base goes back to a point in time the same way, after a preview;
//! old events go by their plan's retention while partitions are made ahead.

use e2e::{OwnBase, call, manage, register};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::time::Duration;

fn audit(own: &OwnBase, query: &str) -> Value {
    let reply =
        manage("GET", &format!("/workspaces/{}/audit?{query}", own.owner.workspace), Some(&own.owner.access), None);
    assert_eq!(reply.status, 200, "{query}: {}", reply.text);
    reply.json()
}

fn actions(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .expect("events")
        .iter()
        .map(|event| event["action"].as_str().expect("action").to_owned())
        .collect()
}

/// Waits until the workspace's log answers `query` with at least `count` events.
fn wait_for(own: &OwnBase, query: &str, count: usize) -> Value {
    let mut page = Value::Null;
    e2e::wait_until(query, Duration::from_secs(90), || {
        page = audit(own, query);
        page["data"].as_array().is_some_and(|events| events.len() >= count)
    });
    page
}

fn logs_plane(user: &str) -> postgres::Client {
    let url = std::env::var("E2E_DATA_URL")
        .expect("E2E_DATA_URL")
        .replace("/nc_data", "/nc_logs")
        .replace("nc_admin@", &format!("{user}@"));
    postgres::Client::connect(&url, postgres::NoTls).expect("the logs plane")
}

fn items(label: &str) -> OwnBase {
    let own = OwnBase::new(label);
    let fields = json!([{"name": "name", "type": "text"}, {"name": "qty", "type": "number"}]);
    let table = own.schema("POST", "/tables", json!({"name": "items", "fields": fields}));
    assert_eq!(table.status, 201, "{}", table.text);
    own
}

#[test]
fn every_critical_operation_is_logged_and_the_log_is_queried_by_page() {
    let own = items("audit");
    let record = own.created("items", json!({"name": "first", "qty": 1}));
    let updated = call(
        "PATCH",
        &format!("/v1/tables/items/records/{record}"),
        &own.token,
        &[],
        Some(&json!({"values": {"qty": 2}})),
    );
    assert_eq!(updated.status, 200, "{}", updated.text);
    let deleted = call("DELETE", &format!("/v1/tables/items/records/{record}"), &own.token, &[], None);
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    let token = own.schema("POST", "/tokens", json!({"name": "temp", "scopes": ["read"]}));
    assert_eq!(token.status, 201, "{}", token.text);
    let token_id = token.json()["id"].as_str().expect("token id").to_owned();
    assert_eq!(own.schema("DELETE", &format!("/tokens/{token_id}"), Value::Null).status, 200);
    assert_eq!(own.schema("POST", "/views", json!({"name": "all", "table": "items", "fields": ["name"]})).status, 201);
    let publish = own.schema(
        "PUT",
        "/views/all/publish",
        json!({"enabled": true, "slug": format!("audit-{}", &own.base[..8]), "auth": "public"}),
    );
    assert_eq!(publish.status, 200, "{}", publish.text);
    let key = own.schema("POST", "/views/all/keys", json!({"name": "k"}));
    assert_eq!(key.status, 201, "{}", key.text);
    let hook = own.schema("POST", "/webhooks", json!({"name": "h", "url": "http://127.0.0.1:9/h"}));
    assert_eq!(hook.status, 201, "{}", hook.text);
    // The record's three changes are copied from the change log, each once.
    let records = wait_for(&own, "action=record.*", 3);
    assert_eq!(actions(&records), ["record.delete", "record.update", "record.create"]);
    let update = &records["data"][1];
    assert_eq!(update["before"]["values"]["qty"], 1);
    assert_eq!(update["after"]["values"]["qty"], 2);
    assert!(update["actor"].as_str().is_some_and(|actor| actor.starts_with("token:")), "{update}");
    assert!(update["request_id"].as_str().is_some_and(|id| id.starts_with("req_")), "{update}");
    assert_eq!(update["base_id"], own.base.as_str());
    let all = audit(&own, "limit=200");
    let seen: HashSet<String> = actions(&all).into_iter().collect();
    for action in [
        "base.create",
        "token.create",
        "token.revoke",
        "view.create",
        "view.publish",
        "view.key_create",
        "webhook.create",
    ] {
        assert!(seen.contains(action), "{action} in {seen:?}");
    }
    assert!(seen.iter().any(|action| action.starts_with("schema.")), "{seen:?}");
    // No secret in the log: neither the token's nor the view key's nor the webhook's.
    for secret in [token.json()["token"].as_str(), key.json()["key"].as_str(), hook.json()["secret"].as_str()]
        .into_iter()
        .flatten()
    {
        assert!(!all.to_string().contains(secret), "a secret in the audit log");
    }
    // Filters: actor, resource (a table's records), time.
    let owner = format!("user:{}", own.owner.id);
    let mine = audit(&own, &format!("actor={owner}&limit=200"));
    assert!(actions(&mine).iter().all(|action| !action.starts_with("record.")), "the owner wrote no record");
    assert!(!mine["data"].as_array().expect("events").is_empty());
    let table_id = own.read("/v1/meta/tables/items")["id"].as_str().expect("table id").to_owned();
    assert_eq!(actions(&audit(&own, &format!("resource={table_id}"))).len(), 3);
    assert_eq!(audit(&own, "since=2999-01-01T00:00:00Z")["data"], json!([]));
    assert_eq!(audit(&own, "until=2000-01-01T00:00:00Z")["data"], json!([]));
    // Cursor pages of two walk the same events as one page, newest first, none twice.
    let mut walked = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = audit(&own, &format!("limit=2{cursor}"));
        walked.extend(page["data"].as_array().expect("events").iter().map(|event| event["id"].clone()));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => break,
        }
    }
    let whole: Vec<Value> = all["data"].as_array().expect("events").iter().map(|event| event["id"].clone()).collect();
    assert_eq!(walked, whole);
    let bad =
        manage("GET", &format!("/workspaces/{}/audit?cursor=nope", own.owner.workspace), Some(&own.owner.access), None);
    bad.assert_error(400, "INVALID_QUERY");
    let bad = manage(
        "GET",
        &format!("/workspaces/{}/audit?since=yesterday", own.owner.workspace),
        Some(&own.owner.access),
        None,
    );
    bad.assert_error(400, "INVALID_QUERY");
    // Another workspace sees none of it, even naming this base.
    let other = OwnBase::new("audit-other");
    let theirs = audit(&other, &format!("base={}", own.base));
    assert_eq!(theirs["data"], json!([]));
    let theirs = audit(&other, "limit=200");
    assert!(!theirs.to_string().contains(&own.base), "another workspace's events");
    // Sign-ins and failed ones, of no tenant, for the operators.
    let wrong =
        manage("POST", "/auth/login", None, Some(&json!({"email": own.owner.email, "password": "not the password"})));
    assert_eq!(wrong.status, 401, "{}", wrong.text);
    let right =
        manage("POST", "/auth/login", None, Some(&json!({"email": own.owner.email, "password": own.owner.password})));
    assert_eq!(right.status, 200, "{}", right.text);
    let mut logs = logs_plane("nc_admin");
    let mut count = |action: &str, resource: &str| -> i64 {
        logs.query_one(
            "SELECT count(*) FROM audit_events WHERE action = $1 AND resource_id = $2",
            &[&action, &resource],
        )
        .expect("count")
        .get(0)
    };
    assert_eq!(count("auth.login_failed", &own.owner.email), 1);
    assert_eq!(count("auth.login", &own.owner.id), 1);
    // Insert-only: the runtime role may not change or delete an event.
    let mut runtime = logs_plane("logs_app_rw");
    for statement in ["UPDATE audit_events SET actor = 'someone else'", "DELETE FROM audit_events"] {
        let refused = runtime.execute(statement, &[]).expect_err(statement);
        assert_eq!(refused.code(), Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE), "{statement}");
    }
}

#[test]
fn a_change_is_reverted_as_a_logged_write_and_never_over_a_later_one() {
    let own = items("revert");
    let record = own.created("items", json!({"name": "draft", "qty": 1}));
    for (name, qty) in [("second", 2), ("third", 3)] {
        let reply = call(
            "PATCH",
            &format!("/v1/tables/items/records/{record}"),
            &own.token,
            &[],
            Some(&json!({"values": {"name": name, "qty": qty}})),
        );
        assert_eq!(reply.status, 200, "{}", reply.text);
    }
    let history =
        || own.schema("GET", &format!("/tables/items/history?record={record}"), Value::Null).json()["data"].clone();
    let seqs: Vec<i64> =
        history().as_array().expect("history").iter().map(|change| change["seq"].as_i64().expect("seq")).collect();
    let [latest, middle, creation] = seqs[..] else { panic!("three changes: {seqs:?}") };
    let revert = |seq: i64| own.schema("POST", &format!("/tables/items/history/{seq}/revert"), Value::Null);
    // An older change is refused: the record changed since, and the answer names the change.
    let refused = revert(middle);
    let body = refused.assert_error(412, "PRECONDITION_FAILED");
    assert_eq!(body["error"]["details"]["later_change"], latest);
    assert_eq!(own.read(&format!("/v1/tables/items/records/{record}"))["values"]["name"], "third", "nothing written");
    revert(creation).assert_error(412, "PRECONDITION_FAILED");
    // The latest one is undone: the record is as before it, by a write of the member's.
    let reverted = revert(latest);
    assert_eq!(reverted.status, 200, "{}", reverted.text);
    assert_eq!(reverted.json()["action"], "update");
    assert_eq!(reverted.json()["record"]["values"], json!({"name": "second", "qty": 2}));
    let now = history();
    assert_eq!(now[0]["actor"], format!("user:{}", own.owner.id));
    assert_eq!(now[0]["after"]["values"]["name"], "second");
    // A deletion is undone with the record's id and values.
    let deleted = call("DELETE", &format!("/v1/tables/items/records/{record}"), &own.token, &[], None);
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    let deletion = history()[0]["seq"].as_i64().expect("seq");
    let undeleted = revert(deletion);
    assert_eq!(undeleted.status, 200, "{}", undeleted.text);
    assert_eq!(undeleted.json()["action"], "create");
    let back = own.read(&format!("/v1/tables/items/records/{record}"));
    assert_eq!((back["id"].as_str(), back["values"]["qty"].as_i64()), (Some(record.as_str()), Some(2)));
    // A creation is undone by deleting the record; unknown changes are 404s.
    let fresh = own.created("items", json!({"name": "mistake"}));
    let created =
        own.schema("GET", &format!("/tables/items/history?record={fresh}"), Value::Null).json()["data"][0]["seq"]
            .clone();
    let undone = revert(created.as_i64().expect("seq"));
    assert_eq!((undone.status, undone.json()["action"].clone()), (200, json!("delete")), "{}", undone.text);
    assert_eq!(e2e::get(&format!("/v1/tables/items/records/{fresh}"), Some(&own.token)).status, 404);
    revert(999_999_999).assert_error(404, "NOT_FOUND");
    own.schema("POST", "/tables/items/history/abc/revert", Value::Null).assert_error(404, "NOT_FOUND");
    // A viewer may not revert.
    let viewer = register("revert-viewer");
    e2e::add_member(&own.owner, &viewer, "viewer");
    let denied = manage(
        "POST",
        &format!("/bases/{}/tables/items/history/{}/revert", own.base, history()[0]["seq"]),
        Some(&viewer.access),
        None,
    );
    denied.assert_error(403, "FORBIDDEN");
}

/// The records of a table as `(id, values)`, in id order: what an undo must give back.
fn contents(own: &OwnBase, table: &str) -> Vec<(String, Value)> {
    let page = own.read(&format!("/v1/tables/{table}/records?sort=id&limit=100"));
    let rows = page["data"].as_array().expect("records").iter();
    rows.map(|record| (record["id"].as_str().expect("id").to_owned(), record["values"].clone())).collect()
}

#[test]
fn a_base_goes_back_to_a_point_in_time_after_a_preview() {
    let own = OwnBase::new("undo");
    let tables = [
        json!({"name": "customers", "fields": [{"name": "name", "type": "text"}]}),
        json!({"name": "orders", "fields": [
            {"name": "customer", "type": "link", "link": {"table": "customers", "display": "name"}},
            {"name": "total", "type": "number"},
        ]}),
    ];
    for table in tables {
        let reply = own.schema("POST", "/tables", table);
        assert_eq!(reply.status, 201, "{}", reply.text);
    }
    let write = |method: &str, path: &str, body: Option<Value>| {
        let reply = call(method, &format!("/v1/tables/{path}"), &own.token, &[], body.as_ref());
        assert!(reply.status < 300, "{method} {path}: {}", reply.text);
    };
    let ada = own.created("customers", json!({"name": "Ada"}));
    let bob = own.created("customers", json!({"name": "Bob"}));
    let first = own.created("orders", json!({"customer": ada, "total": 10}));
    let gone = own.created("customers", json!({"name": "Cid"}));
    write("DELETE", &format!("customers/records/{gone}"), None);
    let at_t = (contents(&own, "customers"), contents(&own, "orders"));
    // The time, by the data plane's clock, which stamps the change log.
    let after: String = e2e::data_plane()
        .query_one("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')", &[])
        .expect("the time")
        .get(0);
    std::thread::sleep(std::time::Duration::from_millis(20));

    // The mistakes: a rename, a deletion, new records (one linked to another), and changes
    // that came back to where they were.
    write("PATCH", &format!("customers/records/{ada}"), Some(json!({"values": {"name": "Ada L."}})));
    write("DELETE", &format!("customers/records/{bob}"), None);
    let dan = own.created("customers", json!({"name": "Dan"}));
    let second = own.created("orders", json!({"customer": dan, "total": 5}));
    for total in [99, 10] {
        write("PATCH", &format!("orders/records/{first}"), Some(json!({"values": {"total": total}})));
    }
    let eve = own.created("customers", json!({"name": "Eve"}));
    write("DELETE", &format!("customers/records/{eve}"), None);
    let mistakes = (contents(&own, "customers"), contents(&own, "orders"));

    // The preview says what would be written, latest first, and writes nothing.
    let undo = |body: Value| own.schema("POST", "/changes:undo", body);
    let preview = undo(json!({"after": after, "dry_run": true}));
    assert_eq!(preview.status, 200, "{}", preview.text);
    let preview = preview.json();
    let counts = ["changes", "updated", "recreated", "deleted", "unchanged"].map(|key| preview[key].as_i64());
    assert_eq!(counts, [Some(8), Some(1), Some(1), Some(2), Some(2)], "{preview}");
    let planned: Vec<(&str, &str)> = preview["records"]
        .as_array()
        .expect("records")
        .iter()
        .map(|item| (item["record_id"].as_str().expect("id"), item["action"].as_str().expect("action")))
        .collect();
    // Deleted records back first, then the updates, then new records, each before what it links to.
    let expected =
        [(bob.as_str(), "create"), (ada.as_str(), "update"), (second.as_str(), "delete"), (dan.as_str(), "delete")];
    assert_eq!(planned, expected, "{preview}");
    let ada_item = &preview["records"][1];
    assert_eq!((ada_item["now"]["name"].as_str(), ada_item["then"]["name"].as_str()), (Some("Ada L."), Some("Ada")));
    assert_eq!((contents(&own, "customers"), contents(&own, "orders")), mistakes, "a preview writes nothing");

    // A record written after the preview: the undo of what it saw is refused, whole.
    write("PATCH", &format!("customers/records/{ada}"), Some(json!({"values": {"name": "Ada Lovelace"}})));
    let refused = undo(json!({"after": after, "through": preview["through"]}));
    let body = refused.assert_error(412, "PRECONDITION_FAILED");
    assert!(body["error"]["details"]["latest_change"].as_i64() > preview["through"].as_i64(), "{body}");
    assert_eq!(e2e::get(&format!("/v1/tables/customers/records/{bob}"), Some(&own.token)).status, 404, "no write");

    // Undone: the base is as it was at the time, with the same ids, by logged writes.
    let done = undo(json!({"after": after}));
    assert_eq!(done.status, 200, "{}", done.text);
    let done = done.json();
    assert_eq!(
        (done["dry_run"].as_bool(), done["updated"].as_i64(), done["deleted"].as_i64()),
        (Some(false), Some(1), Some(2))
    );
    assert_eq!((contents(&own, "customers"), contents(&own, "orders")), at_t);
    let history = own.schema("GET", &format!("/tables/customers/history?record={ada}"), Value::Null).json();
    assert_eq!(history["data"][0]["actor"], format!("user:{}", own.owner.id));
    assert_eq!(history["data"][0]["before"]["values"]["name"], "Ada Lovelace");
    // Nothing left to undo the second time.
    let again = undo(json!({"after": after, "dry_run": true})).json();
    assert_eq!(
        (again["updated"].as_i64(), again["recreated"].as_i64(), again["deleted"].as_i64()),
        (Some(0), Some(0), Some(0)),
        "{again}"
    );

    // Bad input changes nothing; only admins undo.
    undo(json!({"after": "yesterday"})).assert_error(422, "VALIDATION_ERROR");
    undo(json!({"after": after, "through": "x"})).assert_error(400, "INVALID_REQUEST");
    let member = register("undo-editor");
    e2e::add_member(&own.owner, &member, "editor");
    let path = format!("/bases/{}/changes:undo", own.base);
    manage("POST", &path, Some(&member.access), Some(&json!({"after": after}))).assert_error(403, "FORBIDDEN");
}

#[test]
fn old_events_go_by_their_plan_and_partitions_are_made_ahead() {
    let own = items("retention");
    e2e::put_on_plan(&own.owner, &["--audit-retention-days", "7"]);
    let tenant: String = {
        let url = std::env::var("E2E_DATA_URL").expect("E2E_DATA_URL").replace("/nc_data", "/nc_control");
        let mut control = postgres::Client::connect(&url, postgres::NoTls).expect("the control plane");
        control
            .query_one("SELECT tenant_id::text FROM workspaces WHERE id = $1::text::uuid", &[&own.owner.workspace])
            .expect("tenant")
            .get(0)
    };
    let mut logs = logs_plane("nc_admin");
    for (days, action) in [(30, "test.old"), (3, "test.recent")] {
        logs.execute(
            "INSERT INTO audit_events (tenant_id, actor, action, resource_id, at) \
             VALUES ($1::text::uuid, 'system', $2, 'retention', now() - make_interval(days => $3))",
            &[&tenant, &action, &days],
        )
        .expect("an event");
    }
    let kept = e2e::origin_admin(&["keep-audit"]);
    let partitions: Vec<&str> =
        kept["partitions"].as_array().expect("partitions").iter().filter_map(Value::as_str).collect();
    let mut month = |ahead: i32| -> String {
        logs.query_one("SELECT to_char(date_trunc('month', now()) + make_interval(months => $1), 'YYYY_MM')", &[&ahead])
            .expect("month")
            .get(0)
    };
    for ahead in 0..=2 {
        assert!(partitions.contains(&format!("audit_events_{}", month(ahead)).as_str()), "{partitions:?}");
    }
    let left: Vec<String> = logs
        .query(
            "SELECT action FROM audit_events WHERE tenant_id::text = $1 AND resource_id = 'retention' ORDER BY at",
            &[&tenant],
        )
        .expect("events")
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(left, ["test.recent"]);
}
