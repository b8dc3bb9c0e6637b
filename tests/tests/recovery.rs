//! Crash consistency of schema changes: an origin that dies in the middle of one leaves
//! a `pending` operation, which the running origin finishes when the DDL had committed
//! and fails when it had not. Either way the catalog and the physical schema agree.
//!
//! Runs a second origin (`E2E_ORIGIN_BIN`, with the test stack's `NC_*` environment)
//! armed with a failpoint that aborts the process, as a crash would.

use e2e::{Account, base_with_token, env, get, manage, register};
use serde_json::{Value, json};
use shared::envelope::Op;
use shared::ids::{BaseId, UserId};
use shared::manage::Command;
use shared::schema::{Change, NewField};
use std::time::{Duration, Instant};

/// A second origin that aborts at `failpoint`.
fn crashing_origin(failpoint: &str) -> e2e::OwnOrigin {
    e2e::spawn_origin(&[("NC_FAILPOINT", failpoint)])
}

fn control_plane() -> postgres::Client {
    let url = std::env::var("E2E_DATA_URL").expect("E2E_DATA_URL").replace("/nc_data", "/nc_control");
    postgres::Client::connect(&url, postgres::NoTls).expect("connect to the control plane")
}

fn columns(base: &str) -> i64 {
    e2e::data_plane()
        .query_one(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = $1 AND column_name LIKE 'f\\_%'",
            &[&format!("b_{}", base.replace('-', ""))],
        )
        .expect("columns")
        .get(0)
}

/// Sends an add-field change to the crashing origin, which dies; returns the operation's
/// final status once the running origin has recovered it.
fn add_field_and_crash(owner: &Account, base: &str, failpoint: &str, name: &str) -> String {
    let origin = crashing_origin(failpoint);
    let change = Change::AddField {
        table: "items".into(),
        field: NewField { unique: true, ..NewField::new(name, shared::catalog::FieldType::Text) },
    };
    let user = UserId(uuid::Uuid::parse_str(&owner.id).expect("user id"));
    let op = Op::Manage {
        user: Some(user),
        command: Command::ChangeSchema { base: BaseId::parse(base).expect("base"), change, dry_run: false },
        client: None,
    };
    let body = e2e::envelope(op, e2e::now_ms());
    let signature = shared::sign::sign(&env().signing_key, &body);
    let answer = e2e::origin_post_result(&origin.url, &body, &signature);
    assert!(answer.is_err(), "the origin died before answering: {answer:?}");
    let mut control = control_plane();
    let started = Instant::now();
    loop {
        let status: Option<String> = control
            .query_opt(
                "SELECT status FROM schema_ops WHERE base_id = $1::text::uuid AND payload -> 'request' -> 'field' ->> 'name' = $2",
                &[&base, &name],
            )
            .expect("schema_ops")
            .map(|row| row.get(0));
        match status.as_deref() {
            Some("pending") | None => {}
            Some(status) => return status.to_owned(),
        }
        assert!(started.elapsed() < Duration::from_secs(30), "the operation was not recovered: {status:?}");
        std::thread::sleep(Duration::from_millis(250));
    }
}

#[test]
fn a_crash_mid_change_leaves_catalog_and_schema_agreeing() {
    let owner = register("crash");
    let (base, token) = base_with_token(&owner, "crash");
    let table = manage("POST", &format!("/bases/{base}/tables"), Some(&owner.access), Some(&json!({"name": "items"})));
    assert_eq!(table.status, 201, "{}", table.text);
    let fields = |token: &str| -> Vec<Value> {
        get("/v1/meta/tables/items", Some(token)).json()["fields"].as_array().expect("fields").clone()
    };

    // Died after the DDL committed: the running origin records the change.
    assert_eq!(add_field_and_crash(&owner, &base, "schema-after-data-commit", "kept"), "applied");
    assert_eq!(columns(&base), 1, "the column exists");
    let started = Instant::now();
    while fields(&token).is_empty() {
        assert!(started.elapsed() < Duration::from_secs(70), "the edge never saw the recovered field");
        std::thread::sleep(Duration::from_millis(500));
        // A request naming the field makes the edge fetch the catalog again.
        let _ = get("/v1/tables/items/records?filter[kept][eq]=x", Some(&token));
    }
    assert_eq!(fields(&token)[0]["name"], "kept");
    assert_eq!(fields(&token)[0]["unique"], true);

    // Died before the DDL committed: nothing happened, and the operation says so.
    assert_eq!(add_field_and_crash(&owner, &base, "schema-before-data-commit", "lost"), "failed");
    assert_eq!(columns(&base), 1, "no column was added");
    assert_eq!(fields(&token).len(), 1);
    // The base's lock is free again: the next change goes through.
    let next = manage(
        "POST",
        &format!("/bases/{base}/tables/items/fields"),
        Some(&owner.access),
        Some(&json!({"name": "after", "type": "number"})),
    );
    assert_eq!(next.status, 201, "{}", next.text);
    assert_eq!(columns(&base), 2);
}
