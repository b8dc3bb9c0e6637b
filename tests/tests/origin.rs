//! The origin directly: it answers nothing but `/healthz` without a valid edge
//! signature, and refuses forged, tampered, expired, replayed and cross-base plans.

use e2e::{Reply, env, envelope, now_ms, origin_post, send};
use shared::envelope::{Op, Principal};
use shared::ids::{BaseId, RecordId, TableId};
use shared::plan::{Column, Plan, SortKey};
use shared::token::Scope;

fn post(body: &[u8], signature: Option<&str>) -> Reply {
    origin_post(&env().origin_url, body, signature)
}

fn signed(body: &[u8]) -> Reply {
    post(body, Some(&shared::sign::sign(&env().signing_key, body)))
}

fn uuid(key: &str) -> uuid::Uuid {
    uuid::Uuid::parse_str(env().fixture_str(key)).expect("uuid in fixture")
}

fn base(key: &str) -> BaseId {
    BaseId(uuid(key))
}

fn table(key: &str) -> TableId {
    TableId(uuid(key))
}

fn principal(token_key: &str) -> Principal {
    let parsed = shared::token::parse(env().fixture_str(token_key)).expect("fixture token parses");
    Principal::Token { token_id: parsed.token_id, scopes: vec![Scope::Read, Scope::Write, Scope::Delete] }
}

fn catalog_version(base_id: BaseId) -> i64 {
    let reply = signed(&envelope(Op::LoadCatalog { base_id }, now_ms()));
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()["version"].as_i64().expect("version")
}

fn list_plan(base_key: &str, table_key: &str, token_key: &str) -> Op {
    let base_id = base(base_key);
    Op::Records {
        base_id,
        catalog_version: catalog_version(base_id),
        principal: principal(token_key),
        plan: Plan::ListRecords {
            table: table(table_key),
            filter: None,
            sort: vec![SortKey { column: Column::Id, descending: false }],
            fields: None,
            limit: 1,
            after: None,
            include: Vec::new(),
        },
        idempotency_key: None,
    }
}

#[test]
fn healthz_reports_each_plane_without_a_signature() {
    let reply = send("GET", &format!("{}/healthz", env().origin_url), &[], None);
    assert_eq!(reply.status, 200, "{}", reply.text);
    let body = reply.json();
    for plane in ["control", "data", "logs"] {
        assert_eq!(body["planes"][plane], "ok", "{}", reply.text);
    }
}

#[test]
fn a_valid_plan_runs() {
    let reply = signed(&envelope(list_plan("base_id", "table_id", "token_rw"), now_ms()));
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json()["data"].as_array().map(Vec::len), Some(1));
    assert!(reply.header("x-catalog-version").is_some());
}

#[test]
fn unsigned_and_forged_plans_are_refused() {
    let body = envelope(list_plan("base_id", "table_id", "token_rw"), now_ms());
    post(&body, None).assert_error(401, "INVALID_SIGNATURE");
    let forged = shared::sign::sign(b"not the edge key, but 32 bytes long!", &body);
    post(&body, Some(&forged)).assert_error(401, "INVALID_SIGNATURE");
    post(&body, Some("v1=00")).assert_error(401, "INVALID_SIGNATURE");
}

#[test]
fn a_tampered_plan_is_refused() {
    let body = envelope(list_plan("base_id", "table_id", "token_rw"), now_ms());
    let signature = shared::sign::sign(&env().signing_key, &body);
    let tampered = String::from_utf8(body).expect("utf-8").replace("\"limit\":1", "\"limit\":1000");
    post(tampered.as_bytes(), Some(&signature)).assert_error(401, "INVALID_SIGNATURE");
}

#[test]
fn expired_and_future_plans_are_refused() {
    signed(&envelope(list_plan("base_id", "table_id", "token_rw"), now_ms() - 60_000))
        .assert_error(401, "PLAN_EXPIRED");
    signed(&envelope(list_plan("base_id", "table_id", "token_rw"), now_ms() + 60_000))
        .assert_error(401, "PLAN_EXPIRED");
}

#[test]
fn a_replayed_plan_is_refused() {
    let body = envelope(list_plan("base_id", "table_id", "token_rw"), now_ms());
    assert_eq!(signed(&body).status, 200);
    signed(&body).assert_error(401, "PLAN_REPLAYED");
}

#[test]
fn a_plan_for_an_old_catalog_is_stale() {
    let Op::Records { base_id, catalog_version, principal, plan, .. } = list_plan("base_id", "table_id", "token_rw")
    else {
        unreachable!("list_plan builds a records op")
    };
    let stale = Op::Records { base_id, catalog_version: catalog_version - 1, principal, plan, idempotency_key: None };
    let body = signed(&envelope(stale, now_ms())).assert_error(409, "CATALOG_STALE");
    assert_eq!(body["error"]["details"]["current_version"], catalog_version);
}

#[test]
fn a_signed_plan_cannot_reach_another_base() {
    // Our token and base, but the other base's table id: that table is not in our catalog.
    signed(&envelope(list_plan("base_id", "other_table_id", "token_rw"), now_ms()))
        .assert_error(404, "TABLE_NOT_FOUND");
    // The other base, with our token: the origin re-checks the token's base.
    signed(&envelope(list_plan("other_base_id", "other_table_id", "token_rw"), now_ms()))
        .assert_error(401, "INVALID_TOKEN");
    // A read-only token cannot have a write plan executed, whatever scopes the envelope claims.
    let base_id = base("base_id");
    let write = Op::Records {
        base_id,
        catalog_version: catalog_version(base_id),
        principal: principal("token_ro"),
        plan: Plan::CreateRecord { table: table("table_id"), id: Some(RecordId(uuid::Uuid::new_v4())), values: vec![] },
        idempotency_key: None,
    };
    signed(&envelope(write, now_ms())).assert_error(403, "INSUFFICIENT_SCOPE");
}

#[test]
fn nothing_else_answers() {
    let reply = send("GET", &format!("{}/v1/tables/customers/records", env().origin_url), &[], None);
    reply.assert_error(404, "ROUTE_NOT_FOUND");
}

#[test]
fn metrics_are_prometheus_text_without_a_signature() {
    signed(&envelope(list_plan("base_id", "table_id", "token_rw"), now_ms()));
    let reply = send("GET", &format!("{}/metrics", env().origin_url), &[], None);
    assert_eq!(reply.status, 200);
    assert!(reply.header("content-type").is_some_and(|value| value.starts_with("text/plain")));
    assert!(reply.text.contains("# TYPE nc_origin_requests_total counter"), "{}", reply.text);
    assert!(reply.text.contains("nc_origin_requests_total{op=\"listRecords\",status=\"200\"}"), "{}", reply.text);
}
