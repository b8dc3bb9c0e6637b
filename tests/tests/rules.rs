//! Field validation rules through an edge host: lengths, bounds, a pattern and allowed
//! values, set with the field and changed later; every failing value of a write listed at
//! once, refused by the edge before the origin, and held by Postgres too; a rule existing
//! records break is refused with how many and which, unless it is for new writes only.

use e2e::{OwnBase as Base, Reply, call, get};
use serde_json::{Value, json};

fn create(base: &Base, values: Value) -> Reply {
    call("POST", "/v1/tables/tickets/records", &base.token, &[], Some(&json!({ "values": values })))
}

/// `tickets`: `code` (3 to 8 characters, `^[A-Z]+-[0-9]+$`), `score` (0 to 100), `tier`
/// (gold or silver), `opens` (from 2025), `note` (no rules).
fn tickets(label: &str) -> Base {
    let base = Base::new(label);
    let created = base.schema(
        "POST",
        "/tables",
        json!({"name": "tickets", "fields": [
            {"name": "code", "type": "text", "rules": {"min_length": 3, "max_length": 8, "pattern": "^[A-Z]+-[0-9]+$"}},
            {"name": "score", "type": "number", "rules": {"min": 0, "max": 100}},
            {"name": "tier", "type": "text", "rules": {"allowed": ["gold", "silver"]}},
            {"name": "opens", "type": "date", "rules": {"min": "2025-01-01"}},
            {"name": "note", "type": "text"},
        ]}),
    );
    assert_eq!(created.status, 201, "{}", created.text);
    base
}

/// `(field, code)` of each problem a 422 lists (a broken rule's code is its name).
fn problems(reply: &Reply) -> Vec<(String, String)> {
    let body = reply.assert_error(422, "VALIDATION_ERROR");
    body["error"]["details"]["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|error| {
            (error["field"].as_str().unwrap_or("").to_owned(), error["code"].as_str().unwrap_or("").to_owned())
        })
        .collect()
}

fn count(base: &Base) -> usize {
    let reply = get("/v1/tables/tickets/records", Some(&base.token));
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()["data"].as_array().map_or(0, Vec::len)
}

#[test]
fn every_broken_rule_of_a_write_is_listed_and_nothing_is_written() {
    let base = tickets("rules-writes");
    let good = create(&base, json!({"code": "AB-12", "score": 100, "tier": "gold", "opens": "2025-01-01"}));
    assert_eq!(good.status, 201, "{}", good.text);

    let all_bad = create(&base, json!({"code": "ab", "score": 100.5, "tier": "bronze", "opens": "2024-12-31"}));
    assert_eq!(
        problems(&all_bad),
        [("code", "min_length"), ("opens", "min"), ("score", "max"), ("tier", "allowed")]
            .map(|(field, rule)| (field.to_owned(), rule.to_owned()))
    );
    for (values, field, rule) in [
        (json!({"code": "ABCDE-123"}), "code", "max_length"),
        (json!({"code": "ab-12"}), "code", "pattern"),
        (json!({"score": -1}), "score", "min"),
    ] {
        assert_eq!(problems(&create(&base, values)), [(field.to_owned(), rule.to_owned())]);
    }
    // Updates and batch upserts are checked the same way; NULL passes every rule.
    let id = good.json()["id"].as_str().expect("id").to_owned();
    let path = format!("/v1/tables/tickets/records/{id}");
    let update = call("PATCH", &path, &base.token, &[], Some(&json!({"values": {"tier": "copper"}})));
    assert_eq!(problems(&update), [("tier".to_owned(), "allowed".to_owned())]);
    let cleared = call("PATCH", &path, &base.token, &[], Some(&json!({"values": {"tier": null, "code": null}})));
    assert_eq!(cleared.status, 200, "{}", cleared.text);
    let batch = call(
        "POST",
        "/v1/tables/tickets/records:batchUpsert",
        &base.token,
        &[],
        Some(&json!({"items": [{"values": {"code": "OK-1"}}, {"values": {"code": "X"}}]})),
    );
    let errors = batch.assert_error(422, "VALIDATION_ERROR")["error"]["details"]["errors"].clone();
    assert_eq!(errors[0]["index"], 1, "{errors}");
    assert_eq!(count(&base), 1, "nothing of a refused write was stored");

    // records:validate answers what a create would, and writes nothing.
    let validate = |values: Value| {
        call("POST", "/v1/tables/tickets/records:validate", &base.token, &[], Some(&json!({ "values": values })))
    };
    assert_eq!(
        problems(&validate(json!({"code": "ab", "tier": "x"}))),
        [("code".to_owned(), "min_length".to_owned()), ("tier".to_owned(), "allowed".to_owned())]
    );
    let fine = validate(json!({"code": "OK-7", "score": 7}));
    assert_eq!((fine.status, fine.json()), (200, json!({"valid": true})), "{}", fine.text);
    assert_eq!(count(&base), 1, "validating writes nothing");

    // Postgres holds the rules as well (all but the pattern): a write that reached the
    // table another way would be refused there too.
    let mut data = e2e::data_plane();
    let schema_name = format!("b_{}", base.base.replace('-', ""));
    let checks: i64 = data
        .query_one(
            "SELECT count(*) FROM pg_constraint WHERE contype = 'c' AND connamespace = $1::text::regnamespace \
             AND conname LIKE 'c\\_%'",
            &[&schema_name],
        )
        .expect("checks")
        .get(0);
    assert_eq!(checks, 4, "code, score, tier and opens each have a CHECK");
}

#[test]
fn rules_show_in_meta_and_the_tables_openapi() {
    let base = tickets("rules-meta");
    let meta = get("/v1/meta/tables/tickets", Some(&base.token)).json();
    assert_eq!(meta["fields"][0]["rules"], json!({"min_length": 3, "max_length": 8, "pattern": "^[A-Z]+-[0-9]+$"}));
    assert_eq!(meta["fields"][4]["rules"], json!({}));
    let document = get("/v1/meta/openapi.json", Some(&base.token)).json();
    let values = &document["components"]["schemas"]["tickets_Values"]["properties"];
    assert_eq!(values["code"]["maxLength"], 8, "{values}");
    assert_eq!(values["code"]["pattern"], "^[A-Z]+-[0-9]+$");
    assert_eq!(values["score"]["maximum"], 100);
    assert_eq!(values["tier"]["enum"], json!(["gold", "silver", null]));
}

#[test]
fn a_rule_existing_records_break_is_refused_with_them_or_kept_for_new_writes() {
    let base = tickets("rules-existing");
    let mut ids = Vec::new();
    for note in ["a", "bb", "ccc", "dddd"] {
        let reply = create(&base, json!({"note": note}));
        assert_eq!(reply.status, 201, "{}", reply.text);
        ids.push(reply.json()["id"].as_str().expect("id").to_owned());
    }
    let refused = base.schema("PATCH", "/tables/tickets/fields/note", json!({"rules": {"min_length": 3}}));
    let body = refused.assert_error(409, "SCHEMA_CONFLICT");
    let details = &body["error"]["details"];
    assert_eq!(details["reason"], "rule_violated", "{}", refused.text);
    assert_eq!(details["count"], 2);
    assert_eq!(details["examples"], json!([ids[0], ids[1]]));
    assert_eq!(get("/v1/meta/tables/tickets", Some(&base.token)).json()["fields"][4]["rules"], json!({}));

    // For new writes only: the old records stay until they are written again.
    let kept = base.schema(
        "PATCH",
        "/tables/tickets/fields/note",
        json!({"rules": {"min_length": 3}, "check_existing": false}),
    );
    assert_eq!(kept.status, 200, "{}", kept.text);
    assert_eq!(problems(&create(&base, json!({"note": "no"}))), [("note".to_owned(), "min_length".to_owned())]);
    let old = format!("/v1/tables/tickets/records/{}", ids[0]);
    let touched = call("PATCH", &old, &base.token, &[], Some(&json!({"values": {"score": 5}})));
    let body = touched.assert_error(422, "VALIDATION_ERROR");
    assert_eq!(body["error"]["details"]["field"], "note", "{}", touched.text);
    let fixed = call("PATCH", &old, &base.token, &[], Some(&json!({"values": {"score": 5, "note": "fixed"}})));
    assert_eq!(fixed.status, 200, "{}", fixed.text);

    // Rules must fit the field.
    let wrong = base.schema("PATCH", "/tables/tickets/fields/score", json!({"rules": {"pattern": "x"}}));
    assert_eq!(wrong.assert_error(422, "VALIDATION_ERROR")["error"]["details"]["rule"], "pattern");
    let removed = base.schema("PATCH", "/tables/tickets/fields/code", json!({"rules": {}}));
    assert_eq!(removed.status, 200, "{}", removed.text);
    assert_eq!(create(&base, json!({"code": "x"})).status, 201, "no rule is left on code");
}
