//! Schema without SQL through an edge host: tables and fields created, renamed (with
//! their former names still answering), dropped softly and retyped safely; every change
//! serialized per base, recorded in `schema_ops` and the audit log, and visible to the
//! records API at once.

use e2e::{Account, Reply, base_with_token, call, env, get, manage, register};
use serde_json::{Value, json};
use shared::envelope::Op;
use shared::ids::{BaseId, UserId};
use shared::manage::Command;
use shared::schema::{Change, NewField};

/// An owner with a fresh base, its API token and a `tasks` table (`title` required text,
/// `due` date, `code` text), so that each test changes a schema nobody else uses.
struct Fixture {
    owner: Account,
    base: String,
    token: String,
}

fn fixture(label: &str) -> Fixture {
    let owner = register(label);
    let (base, token) = base_with_token(&owner, label);
    let created = schema(
        "POST",
        &owner,
        &base,
        "/tables",
        json!({"name": "tasks", "fields": [
            {"name": "title", "type": "text", "required": true},
            {"name": "due", "type": "date"},
            {"name": "code", "type": "text"},
        ]}),
    );
    assert_eq!(created.status, 201, "{}", created.text);
    Fixture { owner, base, token }
}

fn schema(method: &str, owner: &Account, base: &str, path: &str, body: Value) -> Reply {
    let body = (!body.is_null()).then_some(body);
    manage(method, &format!("/bases/{base}{path}"), Some(&owner.access), body.as_ref())
}

fn create(fixture: &Fixture, table: &str, values: Value) -> Reply {
    call("POST", &format!("/v1/tables/{table}/records"), &fixture.token, &[], Some(&json!({ "values": values })))
}

fn field_names(fixture: &Fixture, table: &str) -> Vec<String> {
    let meta = get(&format!("/v1/meta/tables/{table}"), Some(&fixture.token));
    assert_eq!(meta.status, 200, "{}", meta.text);
    meta.json()["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["name"].as_str().expect("name").to_owned())
        .collect()
}

/// The physical columns of a table (data plane, as the admin role), by the table's id.
fn columns(base: &str, table_id: &str) -> Vec<String> {
    let rows = e2e::data_plane()
        .query(
            "SELECT column_name::text FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2",
            &[&format!("b_{}", base.replace('-', "")), &format!("t_{}", table_id.replace('-', ""))],
        )
        .expect("columns");
    rows.iter().map(|row| row.get(0)).collect()
}

fn table_id(fixture: &Fixture, table: &str) -> String {
    get(&format!("/v1/meta/tables/{table}"), Some(&fixture.token)).json()["id"].as_str().expect("id").to_owned()
}

fn ops(fixture: &Fixture) -> Vec<Value> {
    let reply = schema("GET", &fixture.owner, &fixture.base, "/schema-ops", Value::Null);
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()["data"].as_array().expect("ops").clone()
}

#[test]
fn a_new_field_is_usable_at_once_even_through_another_path() {
    let fixture = fixture("addfield");
    assert_eq!(create(&fixture, "tasks", json!({"title": "first"})).status, 201);
    // The edge has the catalog cached; the change goes to the origin directly, so this edge
    // only learns of it when a request names the new field.
    let user = UserId(uuid::Uuid::parse_str(&fixture.owner.id).expect("user id"));
    let change = Change::AddField {
        table: "tasks".into(),
        field: NewField { ..NewField::new("points", shared::catalog::FieldType::Number) },
    };
    let base = BaseId::parse(&fixture.base).expect("base id");
    let added = e2e::origin_op(Op::Manage {
        user: Some(user),
        command: Command::ChangeSchema { base, change, dry_run: false },
        client: None,
    });
    assert_eq!(added.status, 201, "{}", added.text);
    // The edge fetches a catalog again for an unknown name when its copy is over 50 ms old.
    std::thread::sleep(std::time::Duration::from_millis(60));
    let created = create(&fixture, "tasks", json!({"title": "second", "points": 3.5}));
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.json()["values"]["points"], 3.5);
    let filtered = get("/v1/tables/tasks/records?filter[points][gte]=3", Some(&fixture.token));
    assert_eq!(filtered.json()["data"].as_array().map(Vec::len), Some(1), "{}", filtered.text);
    // And through the management API, this edge drops its cached catalog itself.
    let added = schema(
        "POST",
        &fixture.owner,
        &fixture.base,
        "/tables/tasks/fields",
        json!({"name": "done", "type": "boolean", "required": true, "default": false}),
    );
    assert_eq!(added.status, 201, "{}", added.text);
    let created = create(&fixture, "tasks", json!({"title": "third"}));
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.json()["values"]["done"], false, "the default applies");
    // Existing records got the default of the required field too.
    let all = get("/v1/tables/tasks/records", Some(&fixture.token)).json();
    assert!(all["data"].as_array().expect("data").iter().all(|record| record["values"]["done"] == false), "{all}");
}

#[test]
fn renames_keep_the_former_names_working() {
    let fixture = fixture("rename");
    let first = create(&fixture, "tasks", json!({"title": "write docs", "code": "A-1"})).json();
    let renamed = schema("PATCH", &fixture.owner, &fixture.base, "/tables/tasks", json!({"name": "chores"}));
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    let renamed =
        schema("PATCH", &fixture.owner, &fixture.base, "/tables/chores/fields/title", json!({"name": "summary"}));
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    for table in ["tasks", "chores"] {
        // Reads, filters and sorts by the former names; the answer speaks the new ones.
        let reply =
            get(&format!("/v1/tables/{table}/records?filter[title][eq]=write%20docs&sort=title"), Some(&fixture.token));
        assert_eq!(reply.status, 200, "{table}: {}", reply.text);
        let data = reply.json()["data"].clone();
        assert_eq!(data[0]["id"], first["id"], "{table}");
        assert_eq!(data[0]["values"]["summary"], "write docs");
        assert!(data[0]["values"].get("title").is_none());
    }
    // Writes by the former field name, through the former table name.
    let written = create(&fixture, "tasks", json!({"title": "by old name"}));
    assert_eq!(written.status, 201, "{}", written.text);
    assert_eq!(written.json()["values"]["summary"], "by old name");
    create(&fixture, "tasks", json!({"title": "x", "summary": "y"})).assert_error(422, "VALIDATION_ERROR");
    // The former names stay reserved while they answer.
    let taken = schema("POST", &fixture.owner, &fixture.base, "/tables", json!({"name": "tasks"}));
    taken.assert_error(409, "NAME_TAKEN");
    let meta = get("/v1/meta/tables/chores", Some(&fixture.token)).json();
    assert_eq!(meta["former_names"], json!(["tasks"]));
    assert_eq!(meta["fields"][0]["former_names"], json!(["title"]));
}

#[test]
fn a_soft_dropped_field_is_hidden_and_refuses_writes_at_once() {
    let fixture = fixture("drop");
    let id =
        create(&fixture, "tasks", json!({"title": "t", "code": "K"})).json()["id"].as_str().expect("id").to_owned();
    let dropped = schema("DELETE", &fixture.owner, &fixture.base, "/tables/tasks/fields/code", Value::Null);
    assert_eq!(dropped.status, 200, "{}", dropped.text);
    let body = create(&fixture, "tasks", json!({"title": "t2", "code": "K2"})).assert_error(422, "VALIDATION_ERROR");
    assert_eq!(body["error"]["details"]["errors"][0]["code"], "unknown_field", "{body}");
    let record = get(&format!("/v1/tables/tasks/records/{id}"), Some(&fixture.token)).json();
    assert!(record["values"].get("code").is_none(), "{record}");
    assert_eq!(field_names(&fixture, "tasks"), ["title", "due"]);
    // The column stays, with its data: the drop is soft.
    let table = table_id(&fixture, "tasks");
    assert_eq!(columns(&fixture.base, &table).len(), 4 + 3, "system columns and three fields");
    // Dropping a required field lets new records leave it out.
    let dropped = schema("DELETE", &fixture.owner, &fixture.base, "/tables/tasks/fields/title", Value::Null);
    assert_eq!(dropped.status, 200, "{}", dropped.text);
    assert_eq!(create(&fixture, "tasks", json!({"due": "2025-01-02"})).status, 201);
    // A dropped table is gone from the records API.
    let dropped = schema("DELETE", &fixture.owner, &fixture.base, "/tables/tasks", Value::Null);
    assert_eq!(dropped.status, 200, "{}", dropped.text);
    get("/v1/tables/tasks/records", Some(&fixture.token)).assert_error(404, "TABLE_NOT_FOUND");
}

#[test]
fn type_changes_apply_only_when_safe() {
    let fixture = fixture("retype");
    let id = create(&fixture, "tasks", json!({"title": "t", "due": "2025-03-01"})).json()["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let changed =
        schema("PATCH", &fixture.owner, &fixture.base, "/tables/tasks/fields/due", json!({"type": "datetime"}));
    assert_eq!(changed.status, 200, "{}", changed.text);
    let record = get(&format!("/v1/tables/tasks/records/{id}"), Some(&fixture.token)).json();
    assert_eq!(record["values"]["due"], "2025-03-01T00:00:00+00:00", "midnight UTC");
    let changed =
        schema("PATCH", &fixture.owner, &fixture.base, "/tables/tasks/fields/title", json!({"type": "long_text"}));
    assert_eq!(changed.status, 200, "{}", changed.text);
    let before = ops(&fixture).len();
    let refused =
        schema("PATCH", &fixture.owner, &fixture.base, "/tables/tasks/fields/code", json!({"type": "number"}));
    let body = refused.assert_error(422, "UNSAFE_TYPE_CHANGE");
    let message = body["error"]["message"].as_str().expect("message");
    assert!(message.contains("add a new field of type number"), "points to create-copy-swap: {message}");
    assert_eq!(ops(&fixture).len(), before, "a refused change runs nothing");
    assert_eq!(get("/v1/meta/tables/tasks", Some(&fixture.token)).json()["fields"][2]["type"], "text");
}

#[test]
fn a_failed_ddl_leaves_only_its_failed_operation() {
    let fixture = fixture("conflict");
    for code in ["same", "same"] {
        assert_eq!(create(&fixture, "tasks", json!({"title": "t", "code": code})).status, 201);
    }
    let table = table_id(&fixture, "tasks");
    let columns_before = columns(&fixture.base, &table);
    let version_before = get("/v1/meta/tables", Some(&fixture.token)).status;
    assert_eq!(version_before, 200);
    // Required without a default, on a table with records: Postgres refuses SET NOT NULL.
    let refused = schema(
        "POST",
        &fixture.owner,
        &fixture.base,
        "/tables/tasks/fields",
        json!({"name": "owner", "type": "email", "required": true}),
    );
    let body = refused.assert_error(409, "SCHEMA_CONFLICT");
    assert_eq!(body["error"]["details"]["reason"], "empty_values");
    // Unique over duplicate values: the unique index cannot be built.
    let refused = schema("PATCH", &fixture.owner, &fixture.base, "/tables/tasks/fields/code", json!({"unique": true}));
    assert_eq!(refused.assert_error(409, "SCHEMA_CONFLICT")["error"]["details"]["reason"], "duplicate_values");
    assert_eq!(columns(&fixture.base, &table), columns_before, "no column was added");
    assert_eq!(field_names(&fixture, "tasks"), ["title", "due", "code"]);
    let meta = get("/v1/meta/tables/tasks", Some(&fixture.token)).json();
    assert_eq!(meta["fields"][2]["unique"], false);
    let ops = ops(&fixture);
    let failed: Vec<&Value> = ops.iter().filter(|op| op["status"] == "failed").collect();
    assert_eq!(failed.len(), 2, "{ops:?}");
    assert!(failed.iter().all(|op| op["error"].as_str().is_some_and(|error| !error.is_empty())));
    assert!(ops.iter().all(|op| op["status"] != "pending"));
}

#[test]
fn a_dry_run_shows_the_ddl_and_changes_nothing() {
    let fixture = fixture("preview");
    let before = ops(&fixture).len();
    let preview = schema(
        "POST",
        &fixture.owner,
        &fixture.base,
        "/tables/tasks/fields?dry_run=true",
        json!({"name": "tag", "type": "text", "unique": true}),
    );
    assert_eq!(preview.status, 200, "{}", preview.text);
    let body = preview.json();
    assert_eq!(body["dry_run"], true);
    let steps: Vec<&str> =
        body["steps"].as_array().expect("steps").iter().map(|s| s["sql"].as_str().expect("sql")).collect();
    assert!(steps[0].starts_with("ALTER TABLE") && steps[0].contains("ADD COLUMN"), "{steps:?}");
    assert!(steps[1].starts_with("CREATE UNIQUE INDEX"), "{steps:?}");
    // The preflight: a brief exclusive lock for the column, then an index build that
    // holds writes, each with an estimate from the table's size.
    let preflight = &body["preflight"];
    assert_eq!(preflight["table"], "tasks", "{preflight}");
    let locks: Vec<(&str, &str)> = preflight["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|step| (step["lock"].as_str().unwrap_or(""), step["work"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(locks, [("ACCESS EXCLUSIVE", "catalog"), ("SHARE", "index_build")], "{preflight}");
    assert!(preflight["estimate_ms"].as_u64().is_some_and(|ms| ms >= 2), "{preflight}");
    assert!(preflight["rows"].as_i64().is_some_and(|rows| rows >= 0), "{preflight}");
    // What depends on a table is named: a view of it.
    let view = schema("POST", &fixture.owner, &fixture.base, "/views", json!({"name": "open tasks", "table": "tasks"}));
    assert_eq!(view.status, 201, "{}", view.text);
    let drop = schema("DELETE", &fixture.owner, &fixture.base, "/tables/tasks?dry_run=true", Value::Null);
    assert_eq!(drop.json()["preflight"]["dependents"], json!(["view open tasks"]), "{}", drop.text);
    assert_eq!(field_names(&fixture, "tasks"), ["title", "due", "code"]);
    assert_eq!(ops(&fixture).len(), before);
    let bad = schema(
        "POST",
        &fixture.owner,
        &fixture.base,
        "/tables/tasks/fields?dry_run=maybe",
        json!({"name": "tag", "type": "text"}),
    );
    bad.assert_error(400, "INVALID_QUERY");
}

#[test]
fn concurrent_changes_of_one_table_serialize() {
    let fixture = fixture("race");
    let replies: Vec<Reply> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|index| {
                let fixture = &fixture;
                scope.spawn(move || {
                    // Six distinct fields, and two threads racing for one name.
                    let name = if index < 6 { format!("f{index}") } else { "contested".to_owned() };
                    schema(
                        "POST",
                        &fixture.owner,
                        &fixture.base,
                        "/tables/tasks/fields",
                        json!({"name": name, "type": "number"}),
                    )
                })
            })
            .collect();
        handles.into_iter().map(|handle| handle.join().expect("thread")).collect()
    });
    let created = replies.iter().filter(|reply| reply.status == 201).count();
    let taken =
        replies.iter().filter(|reply| reply.status == 409 && reply.json()["error"]["code"] == "NAME_TAKEN").count();
    assert_eq!((created, taken), (7, 1), "{:?}", replies.iter().map(|r| &r.text).collect::<Vec<_>>());
    let versions: std::collections::BTreeSet<i64> = replies
        .iter()
        .filter(|r| r.status == 201)
        .map(|r| r.json()["catalog_version"].as_i64().expect("version"))
        .collect();
    assert_eq!(versions.len(), 7, "each change got its own catalog version");
    let names = field_names(&fixture, "tasks");
    assert_eq!(names.len(), 3 + 7, "{names:?}");
    let table = table_id(&fixture, "tasks");
    assert_eq!(columns(&fixture.base, &table).len(), 4 + 10, "catalog and physical schema agree");
    assert!(ops(&fixture).iter().all(|op| op["status"] == "applied"));
}

#[test]
fn schema_changes_are_audited_with_their_actor() {
    let fixture = fixture("audited");
    let renamed = schema("PATCH", &fixture.owner, &fixture.base, "/tables/tasks/fields/code", json!({"name": "ref"}));
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    let op = renamed.json()["schema_op"]["id"].as_str().expect("op id").to_owned();
    let logs_url = std::env::var("E2E_DATA_URL").expect("E2E_DATA_URL").replace("/nc_data", "/nc_logs");
    let mut logs = postgres::Client::connect(&logs_url, postgres::NoTls).expect("connect to the logs plane");
    let row = logs
        .query_one("SELECT actor, action, request_id FROM audit_events WHERE resource_id = $1", &[&op])
        .expect("one audit event for the operation");
    assert_eq!(row.get::<_, String>(0), format!("user:{}", fixture.owner.id));
    assert_eq!(row.get::<_, String>(1), "schema.update_field");
    assert_eq!(row.get::<_, Option<String>>(2).as_deref(), renamed.header("x-request-id"));
}

#[test]
fn users_call_the_records_api_with_their_role() {
    let fixture = fixture("userrecords");
    let viewer = register("viewer");
    e2e::add_member(&fixture.owner, &viewer, "viewer");
    let as_user = |account: &Account, method: &str, body: Option<&Value>, base: Option<&str>| {
        let mut headers = vec![];
        if let Some(base) = base {
            headers.push(("x-base-id", base));
        }
        call(method, "/v1/tables/tasks/records", &account.access, &headers, body)
    };
    let body = json!({"values": {"title": "by the owner"}});
    assert_eq!(as_user(&fixture.owner, "POST", Some(&body), Some(&fixture.base)).status, 201);
    let listed = as_user(&viewer, "GET", None, Some(&fixture.base));
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_eq!(listed.json()["data"][0]["values"]["title"], "by the owner");
    as_user(&viewer, "POST", Some(&body), Some(&fixture.base)).assert_error(403, "INSUFFICIENT_SCOPE");
    as_user(&viewer, "GET", None, None).assert_error(400, "INVALID_REQUEST");
    // Another base the viewer has no role in.
    as_user(&viewer, "GET", None, Some(env().fixture_str("base_id"))).assert_error(404, "NOT_FOUND");
}

/// The base's dropped items, by name.
fn dropped(fixture: &Fixture) -> Vec<Value> {
    let reply = schema("GET", &fixture.owner, &fixture.base, "/dropped", Value::Null);
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()["data"].as_array().expect("dropped").clone()
}

#[test]
fn a_dropped_field_or_table_is_purged_after_its_retention_with_confirmation() {
    let fixture = fixture("purge");
    assert_eq!(create(&fixture, "tasks", json!({"title": "kept", "code": "A-1"})).status, 201);
    let drop = schema("DELETE", &fixture.owner, &fixture.base, "/tables/tasks/fields/code", Value::Null);
    assert_eq!(drop.status, 200, "{}", drop.text);
    let extra = schema(
        "POST",
        &fixture.owner,
        &fixture.base,
        "/tables",
        json!({"name": "scratch", "fields": [{"name": "note", "type": "text"}]}),
    );
    assert_eq!(extra.status, 201, "{}", extra.text);
    let view =
        schema("POST", &fixture.owner, &fixture.base, "/views", json!({"name": "scratch view", "table": "scratch"}));
    assert_eq!(view.status, 201, "{}", view.text);
    let drop = schema("DELETE", &fixture.owner, &fixture.base, "/tables/scratch", Value::Null);
    assert_eq!(drop.status, 200, "{}", drop.text);
    let listed = dropped(&fixture);
    let names: Vec<(&str, &str)> =
        listed.iter().map(|item| (item["kind"].as_str().unwrap_or(""), item["name"].as_str().unwrap_or(""))).collect();
    assert_eq!(names, [("table", "scratch"), ("field", "code")], "{listed:?}");
    let id = |name: &str| {
        listed.iter().find(|item| item["name"] == name).expect("listed")["id"].as_str().expect("id").to_owned()
    };
    let purge = |name: &str, confirm: &str| {
        schema(
            "POST",
            &fixture.owner,
            &fixture.base,
            &format!("/dropped/{}/purge", id(name)),
            json!({"confirm": confirm}),
        )
    };
    // Too early: the retention is for second thoughts.
    let early = purge("code", "code");
    assert_eq!(early.assert_error(409, "SCHEMA_CONFLICT")["error"]["details"]["reason"], "retention", "{}", early.text);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !dropped(&fixture).iter().all(|item| item["purgeable"] == true) {
        assert!(std::time::Instant::now() < deadline, "the test stack's retention is seconds");
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    // The name must be typed again; a view still reading a dropped table holds it.
    purge("code", "cod").assert_error(422, "VALIDATION_ERROR");
    let held = purge("scratch", "scratch");
    let body = held.assert_error(409, "SCHEMA_CONFLICT");
    assert_eq!(body["error"]["details"]["dependents"], json!(["view scratch view"]), "{}", held.text);
    let purged = purge("code", "code");
    assert_eq!(purged.status, 200, "{}", purged.text);
    assert_eq!(purged.json()["field"]["purged"], true, "{}", purged.text);
    let deleted = schema("DELETE", &fixture.owner, &fixture.base, "/views/scratch%20view", Value::Null);
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    assert_eq!(purge("scratch", "scratch").status, 200);
    assert!(dropped(&fixture).is_empty());
    // The storage is gone: no column, no table; the records and the history stay.
    let mut data = e2e::data_plane();
    let schema_name = format!("b_{}", fixture.base.replace('-', ""));
    let columns: i64 = data
        .query_one(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = $1 AND column_name LIKE 'f\\_%'",
            &[&schema_name],
        )
        .expect("columns")
        .get(0);
    assert_eq!(columns, 2, "title and due remain; code's column is gone, and scratch with its note");
    let listed = get("/v1/tables/tasks/records", Some(&fixture.token));
    assert_eq!(listed.json()["data"][0]["values"], json!({"title": "kept", "due": null}), "{}", listed.text);
    assert!(ops(&fixture).iter().any(|op| op["kind"] == "purge" && op["status"] == "applied"));
    // Gone for good: purging again finds nothing.
    purge("code", "code").assert_error(404, "NOT_FOUND");
}

#[test]
fn an_unsafe_type_change_goes_through_a_conversion_into_a_new_field() {
    let fixture = fixture("convert");
    for code in ["12", "7.5", "n/a"] {
        assert_eq!(create(&fixture, "tasks", json!({"title": code, "code": code})).status, 201);
    }
    // In place, text → number is refused; the conversion's preview names what would not convert.
    let in_place =
        schema("PATCH", &fixture.owner, &fixture.base, "/tables/tasks/fields/code", json!({"type": "number"}));
    in_place.assert_error(422, "UNSAFE_TYPE_CHANGE");
    let convert = |dry_run: bool| {
        schema(
            "POST",
            &fixture.owner,
            &fixture.base,
            &format!("/tables/tasks/fields/code/convert?dry_run={dry_run}"),
            json!({"type": "number", "into": "code_number"}),
        )
    };
    let preview = convert(true);
    assert_eq!(preview.status, 200, "{}", preview.text);
    let preview = preview.json();
    assert_eq!(preview["not_converting"]["count"], 1, "{preview}");
    let steps = preview["preflight"]["steps"].as_array().expect("steps").len();
    assert_eq!(preview["preflight"]["steps"][steps - 1]["work"], "update_rows", "{preview}");
    assert_eq!(field_names(&fixture, "tasks"), ["title", "due", "code"], "a preview changes nothing");
    // Applied: a new field with every value that converts; the old one is untouched.
    let applied = convert(false);
    assert_eq!(applied.status, 201, "{}", applied.text);
    let listed =
        get("/v1/tables/tasks/records?fields=title,code,code_number&sort=title&limit=10", Some(&fixture.token));
    let rows: Vec<(Value, Value)> = listed.json()["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|row| (row["values"]["code"].clone(), row["values"]["code_number"].clone()))
        .collect();
    assert_eq!(rows, [(json!("12"), json!(12)), (json!("7.5"), json!(7.5)), (json!("n/a"), Value::Null)]);
    // Then the swap: drop the old field, give the new one its name; the conversion is recorded.
    assert_eq!(schema("DELETE", &fixture.owner, &fixture.base, "/tables/tasks/fields/code", Value::Null).status, 200);
    let renamed =
        schema("PATCH", &fixture.owner, &fixture.base, "/tables/tasks/fields/code_number", json!({"name": "code"}));
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    assert!(ops(&fixture).iter().any(|op| op["kind"] == "convert_field" && op["status"] == "applied"));
    let bad = schema(
        "POST",
        &fixture.owner,
        &fixture.base,
        "/tables/tasks/fields/title/convert",
        json!({"type": "multi_select", "into": "tags"}),
    );
    bad.assert_error(422, "VALIDATION_ERROR");
}

/// An index an admin adds is built concurrently: writes in flight do not fail it, the
/// build waits for them and shows its progress meanwhile; it then serves the sorted list,
/// and dropping it removes it.
#[test]
fn indexes_build_concurrently_with_progress_and_serve_sorted_lists() {
    let base = e2e::OwnBase::new("indexes");
    let table = base.schema(
        "POST",
        "/tables",
        json!({"name": "sales", "fields": [
            {"name": "amount", "type": "number"}, {"name": "region", "type": "text"}, {"name": "note", "type": "long_text"},
        ]}),
    );
    assert_eq!(table.status, 201, "{}", table.text);
    let double = base.schema(
        "POST",
        "/tables/sales/fields",
        json!({"name": "double", "type": "formula", "formula": "amount * 2"}),
    );
    assert_eq!(double.status, 201, "{}", double.text);
    let items: Vec<Value> =
        (0..50).map(|n| json!({"values": {"amount": n, "region": format!("r{}", n % 5)}})).collect();
    let seeded = call("POST", "/v1/tables/sales/records:batchUpsert", &base.token, &[], Some(&json!({"items": items})));
    assert_eq!(seeded.status, 200, "{}", seeded.text);
    for (fields, why) in [(json!(["note"]), "long_text"), (json!(["double"]), "formula"), (json!([]), "1 to 8")] {
        let refused = base.schema("POST", "/tables/sales/indexes", json!({ "fields": fields }));
        let error = refused.assert_error(422, "VALIDATION_ERROR");
        assert!(refused.text.contains(why), "{why}: {error}");
    }
    // A list sorted by a field no index leads with becomes a suggestion (the test stack
    // counts every list as slow).
    let sorted = get("/v1/tables/sales/records?sort=amount:desc&limit=5", Some(&base.token));
    assert_eq!(sorted.status, 200, "{}", sorted.text);
    let listed = base.schema("GET", "/tables/sales/indexes", Value::Null).json();
    let suggestion =
        listed["suggested"].as_array().expect("suggested").iter().find(|s| s["fields"] == json!(["amount:desc"]));
    assert!(suggestion.is_some_and(|s| s["lists"].as_u64() >= Some(1)), "{listed}");
    // The preview names the DDL and what it locks.
    let preview = base.schema("POST", "/tables/sales/indexes?dry_run=true", json!({"fields": ["amount:desc"]}));
    assert_eq!(preview.status, 200, "{}", preview.text);
    let preview = preview.json();
    assert!(preview["steps"][0]["sql"].as_str().expect("sql").starts_with("CREATE INDEX CONCURRENTLY"), "{preview}");
    assert_eq!(preview["preflight"]["steps"][0]["lock"], "SHARE UPDATE EXCLUSIVE", "{preview}");

    // A write in flight: the build waits for it, and says so.
    let meta = get("/v1/meta/tables/sales", Some(&base.token)).json();
    let simple = |id: &Value| id.as_str().expect("id").replace('-', "");
    let physical = format!("\"b_{}\".\"t_{}\"", base.base.replace('-', ""), simple(&meta["id"]));
    let mut data = e2e::data_plane();
    let mut writer = data.transaction().expect("transaction");
    writer
        .execute(
            &format!("UPDATE {physical} SET updated_at = now() WHERE id IN (SELECT id FROM {physical} LIMIT 1)"),
            &[],
        )
        .expect("update");
    let adding = {
        let (owner, base_id) = (base.owner.access.clone(), base.base.clone());
        std::thread::spawn(move || {
            manage(
                "POST",
                &format!("/bases/{base_id}/tables/sales/indexes"),
                Some(&owner),
                Some(&json!({"fields": ["amount:desc"]})),
            )
        })
    };
    let started = std::time::Instant::now();
    let building = loop {
        let listed = base.schema("GET", "/tables/sales/indexes", Value::Null);
        assert_eq!(listed.status, 200, "{}", listed.text);
        let listed = listed.json();
        // A build is `initializing` for a moment before it waits for the open write.
        if let Some(build) = listed["building"].as_array().and_then(|builds| builds.first())
            && build["phase"].as_str().is_some_and(|phase| phase.starts_with("waiting"))
        {
            break build.clone();
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "no build waiting on the write: {listed}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert!(building["lockers_total"].as_i64().expect("lockers") >= 1, "{building}");
    // Reads and writes go on meanwhile.
    let read = get("/v1/tables/sales/records?sort=amount:desc&limit=1", Some(&base.token));
    assert_eq!(read.status, 200, "{}", read.text);
    writer.commit().expect("commit");
    let added = adding.join().expect("thread");
    assert_eq!(added.status, 201, "{}", added.text);
    let listed = base.schema("GET", "/tables/sales/indexes", Value::Null).json();
    assert_eq!(listed["data"], json!([{"name": "amount_desc", "fields": ["amount:desc"]}]), "{listed}");
    assert_eq!(listed["suggested"], json!([]), "an index serves it now: {listed}");
    let meta = get("/v1/meta/tables/sales", Some(&base.token)).json();
    assert_eq!(meta["indexes"], listed["data"]);
    // Postgres has it, valid, in the list's order (the key, then id), and can serve the sort with it.
    let schema_name = format!("b_{}", base.base.replace('-', ""));
    let row = data
        .query_one(
            "SELECT i.indexdef, x.indisvalid FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname \
             JOIN pg_index x ON x.indexrelid = c.oid WHERE i.schemaname = $1 AND i.indexname LIKE 'ix_%'",
            &[&schema_name],
        )
        .expect("the index");
    let (definition, valid): (String, bool) = (row.get(0), row.get(1));
    assert!(valid && definition.ends_with(" DESC, id)"), "{definition}");
    let amount =
        meta["fields"].as_array().expect("fields").iter().find(|field| field["name"] == "amount").expect("amount");
    let mut session = data.transaction().expect("transaction");
    session.batch_execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off").expect("settings");
    let plan: Vec<String> = session
        .query(
            &format!(
                "EXPLAIN SELECT id FROM {physical} ORDER BY \"f_{}\" DESC NULLS FIRST, id LIMIT 10",
                simple(&amount["id"])
            ),
            &[],
        )
        .expect("explain")
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert!(plan.iter().any(|line| line.contains("Scan using ix_")), "{plan:?}");
    session.rollback().expect("rollback");
    // The same fields again are refused; dropping removes it, and an unknown index is a 404.
    let again = base.schema("POST", "/tables/sales/indexes", json!({"fields": ["amount:desc"]}));
    again.assert_error(409, "NAME_TAKEN");
    let dropped = base.schema("DELETE", "/tables/sales/indexes/amount_desc", Value::Null);
    assert_eq!(dropped.status, 200, "{}", dropped.text);
    let left: i64 = data
        .query_one("SELECT count(*) FROM pg_indexes WHERE schemaname = $1 AND indexname LIKE 'ix_%'", &[&schema_name])
        .expect("count")
        .get(0);
    assert_eq!(left, 0);
    base.schema("DELETE", "/tables/sales/indexes/amount_desc", Value::Null).assert_error(404, "NOT_FOUND");
}

/// Reverts operation `op` of the fixture's base (`?dry_run=true` with `dry_run`).
fn revert(fixture: &Fixture, op: &str, dry_run: bool) -> Reply {
    let query = if dry_run { "?dry_run=true" } else { "" };
    schema("POST", &fixture.owner, &fixture.base, &format!("/schema-ops/{op}/revert{query}"), Value::Null)
}

/// The id of the operation a change's answer names.
fn op_of(reply: &Reply) -> String {
    assert!(reply.status < 300, "{}", reply.text);
    reply.json()["schema_op"]["id"].as_str().expect("schema_op").to_owned()
}

fn revertible(fixture: &Fixture, op: &str) -> bool {
    let listed = ops(fixture).into_iter().find(|listed| listed["id"] == op).expect("listed");
    listed["revertible"].as_bool().expect("revertible")
}

#[test]
fn schema_changes_revert_to_the_state_before_them_when_nothing_changed_the_table_since() {
    let fixture = fixture("revert");
    let id =
        create(&fixture, "tasks", json!({"title": "t", "code": "K"})).json()["id"].as_str().expect("id").to_owned();
    let record = || get(&format!("/v1/tables/tasks/records/{id}"), Some(&fixture.token)).json()["values"].clone();

    // A dropped field comes back with its values; a required one comes back optional.
    let dropped = op_of(&schema("DELETE", &fixture.owner, &fixture.base, "/tables/tasks/fields/title", Value::Null));
    assert!(record().get("title").is_none());
    let preview = revert(&fixture, &dropped, true);
    assert_eq!(preview.status, 200, "{}", preview.text);
    assert_eq!(preview.json()["change"]["kind"], "restore_field", "{}", preview.text);
    assert!(record().get("title").is_none(), "a preview changes nothing");
    let restored = revert(&fixture, &dropped, false);
    assert_eq!(restored.status, 200, "{}", restored.text);
    assert_eq!(record()["title"], "t");
    let meta = get("/v1/meta/tables/tasks", Some(&fixture.token)).json();
    assert_eq!(meta["fields"][0]["name"], "title", "{meta}");
    assert_eq!(meta["fields"][0]["required"], false, "{meta}");
    assert!(!revertible(&fixture, &dropped), "its revert came later");
    assert!(revertible(&fixture, &op_of(&restored)), "a revert is reverted like any change");
    revert(&fixture, &dropped, false).assert_error(412, "PRECONDITION_FAILED");

    // A rename stands in no field's way, nor a field's change in a rename's.
    let renamed = op_of(&schema("PATCH", &fixture.owner, &fixture.base, "/tables/tasks", json!({"name": "jobs"})));
    let added = op_of(&schema(
        "POST",
        &fixture.owner,
        &fixture.base,
        "/tables/jobs/fields",
        json!({"name": "extra", "type": "text"}),
    ));
    let back = revert(&fixture, &renamed, false);
    assert_eq!(back.status, 200, "{}", back.text);
    assert_eq!(record()["code"], "K", "the table answers under its name again");
    assert_eq!(revert(&fixture, &added, false).status, 200);
    assert!(!field_names(&fixture, "tasks").contains(&"extra".to_owned()));

    // A field's definition goes back, through the same checks as an admin's patch.
    let strict = op_of(&schema(
        "PATCH",
        &fixture.owner,
        &fixture.base,
        "/tables/tasks/fields/code",
        json!({"required": true, "unique": true}),
    ));
    create(&fixture, "tasks", json!({"title": "no code"})).assert_error(422, "VALIDATION_ERROR");
    // A later change of another field is no obstacle; one of the whole table must be
    // reverted first, newest first.
    let other_field = json!({"name": "note", "type": "text"});
    assert_eq!(schema("POST", &fixture.owner, &fixture.base, "/tables/tasks/fields", other_field).status, 201);
    let unique_pair = json!({"unique": [{"name": "code_due", "fields": ["code", "due"]}]});
    let paired = op_of(&schema("PUT", &fixture.owner, &fixture.base, "/tables/tasks/rules", unique_pair));
    assert!(!revertible(&fixture, &strict));
    let refused = revert(&fixture, &strict, false).assert_error(412, "PRECONDITION_FAILED");
    assert_eq!(refused["error"]["details"]["later_op"], paired.as_str(), "{refused}");
    assert_eq!(revert(&fixture, &paired, false).status, 200);
    assert_eq!(revert(&fixture, &strict, false).status, 200);
    assert_eq!(create(&fixture, "tasks", json!({"title": "no code"})).status, 201);
    let retyped =
        op_of(&schema("PATCH", &fixture.owner, &fixture.base, "/tables/tasks/fields/due", json!({"type": "datetime"})));
    revert(&fixture, &retyped, false).assert_error(422, "UNSAFE_TYPE_CHANGE");

    // Rules go back.
    let other = fixture_table(&fixture, "rules");
    let ruled = op_of(&schema(
        "PUT",
        &fixture.owner,
        &fixture.base,
        &format!("/tables/{other}/rules"),
        json!({"rules": [{"name": "positive", "then": {"field": "n", "op": "gt", "value": 0}}]}),
    ));
    create(&fixture, "rules", json!({"n": -1})).assert_error(422, "VALIDATION_ERROR");
    assert_eq!(revert(&fixture, &ruled, false).status, 200);
    assert_eq!(create(&fixture, "rules", json!({"n": -1})).status, 201);

    // A dropped table comes back with its records.
    let dropped = op_of(&schema("DELETE", &fixture.owner, &fixture.base, "/tables/tasks", Value::Null));
    get("/v1/tables/tasks/records", Some(&fixture.token)).assert_error(404, "TABLE_NOT_FOUND");
    assert_eq!(revert(&fixture, &dropped, false).status, 200);
    assert_eq!(record()["code"], "K");

    // Another base's operation, or none, is not found here.
    let stranger = self::fixture("revert-other");
    let theirs = ops(&stranger)[0]["id"].as_str().expect("id").to_owned();
    revert(&fixture, &theirs, false).assert_error(404, "NOT_FOUND");
    revert(&fixture, &uuid::Uuid::new_v4().to_string(), false).assert_error(404, "NOT_FOUND");
    assert_eq!(field_names(&stranger, "tasks"), ["title", "due", "code"]);
}

/// Creates a table `name` with one number field `n`; its id.
fn fixture_table(fixture: &Fixture, name: &str) -> String {
    let created = schema(
        "POST",
        &fixture.owner,
        &fixture.base,
        "/tables",
        json!({"name": name, "fields": [{"name": "n", "type": "number"}]}),
    );
    assert_eq!(created.status, 201, "{}", created.text);
    created.json()["table"]["id"].as_str().expect("id").to_owned()
}
