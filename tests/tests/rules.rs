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

/// `orders`: `status`, `invoice`, `amount`, `region`, `code`, with two record rules
/// ("a paid order has an invoice", "amounts are not negative") and `region`+`code` unique.
fn orders(label: &str) -> Base {
    let base = Base::new(label);
    let created = base.schema(
        "POST",
        "/tables",
        json!({"name": "orders", "fields": [
            {"name": "status", "type": "text"},
            {"name": "invoice", "type": "text"},
            {"name": "amount", "type": "number"},
            {"name": "region", "type": "text"},
            {"name": "code", "type": "text"},
        ]}),
    );
    assert_eq!(created.status, 201, "{}", created.text);
    let rules = base.schema(
        "PUT",
        "/tables/orders/rules",
        json!({
            "rules": [
                {"name": "paid_needs_invoice", "if": {"field": "status", "op": "in", "value": ["paid", "shipped"]},
                 "then": {"field": "invoice", "op": "is_null", "value": false},
                 "message": "A paid or shipped order needs an invoice."},
                {"name": "no_negative", "then": {"or": [
                    {"field": "amount", "op": "gte", "value": 0},
                    {"field": "amount", "op": "is_null", "value": true}]}},
            ],
            "unique": [{"name": "one_code_per_region", "fields": ["region", "code"]}],
        }),
    );
    assert_eq!(rules.status, 200, "{}", rules.text);
    base
}

fn order(base: &Base, values: Value) -> Reply {
    call("POST", "/v1/tables/orders/records", &base.token, &[], Some(&json!({ "values": values })))
}

/// The rule a refused write names.
fn broken_rule(reply: &Reply) -> String {
    let body = reply.assert_error(422, "VALIDATION_ERROR");
    body["error"]["details"]["rule"].as_str().unwrap_or_default().to_owned()
}

#[test]
fn record_rules_and_unique_combinations_hold_on_every_path() {
    let base = orders("record-rules");
    // The edge decides what the values decide, and names the rule with its message.
    let unpaid = order(&base, json!({"status": "paid", "amount": 5}));
    assert_eq!(broken_rule(&unpaid), "paid_needs_invoice");
    assert_eq!(unpaid.json()["error"]["message"], "A paid or shipped order needs an invoice.");
    assert_eq!(broken_rule(&order(&base, json!({"amount": -1}))), "no_negative");
    let fine = order(&base, json!({"status": "open", "amount": 5, "region": "eu", "code": "A"}));
    assert_eq!(fine.status, 201, "{}", fine.text);
    // An update that leaves the invoice out cannot be decided at the edge: Postgres's
    // CHECK refuses it, with the same answer.
    let id = fine.json()["id"].as_str().expect("id").to_owned();
    let path = format!("/v1/tables/orders/records/{id}");
    let paid = call("PATCH", &path, &base.token, &[], Some(&json!({"values": {"status": "shipped"}})));
    assert_eq!(broken_rule(&paid), "paid_needs_invoice");
    let with_invoice =
        call("PATCH", &path, &base.token, &[], Some(&json!({"values": {"status": "paid", "invoice": "F-1"}})));
    assert_eq!(with_invoice.status, 200, "{}", with_invoice.text);
    // records:validate answers as a create would.
    let validate = call(
        "POST",
        "/v1/tables/orders/records:validate",
        &base.token,
        &[],
        Some(&json!({"values": {"status": "shipped"}})),
    );
    assert_eq!(broken_rule(&validate), "paid_needs_invoice");
    // A region and a code together are unique; either alone is not.
    assert_eq!(order(&base, json!({"region": "eu", "code": "B"})).status, 201);
    assert_eq!(order(&base, json!({"region": "us", "code": "A"})).status, 201);
    let twice = order(&base, json!({"region": "eu", "code": "A"}));
    let body = twice.assert_error(409, "UNIQUE_VIOLATION");
    assert_eq!(body["error"]["details"]["fields"], json!(["region", "code"]), "{}", twice.text);
    // No path around the rules: a write straight to the data plane is refused too.
    let meta = get("/v1/meta/tables/orders", Some(&base.token)).json();
    let simple = |id: &Value| id.as_str().expect("id").replace('-', "");
    let status =
        meta["fields"].as_array().expect("fields").iter().find(|field| field["name"] == "status").expect("status");
    let table = format!("\"b_{}\".\"t_{}\"", base.base.replace('-', ""), simple(&meta["id"]));
    let direct = e2e::data_plane()
        .execute(&format!("INSERT INTO {table} (\"f_{}\") VALUES ('paid')", simple(&status["id"])), &[]);
    let error = direct.expect_err("Postgres holds the rule");
    assert_eq!(error.code(), Some(&postgres::error::SqlState::CHECK_VIOLATION), "{error}");
    // The rules show in /v1/meta with their conditions in the `where` form.
    assert_eq!(meta["rules"][0]["if"]["value"], json!(["paid", "shipped"]), "{meta}");
    assert_eq!(meta["unique_together"], json!([{"name": "one_code_per_region", "fields": ["region", "code"]}]));
    let document = get("/v1/meta/openapi.json", Some(&base.token)).json();
    let described = document["components"]["schemas"]["orders_Values"]["description"].as_str().unwrap_or_default();
    assert!(
        described.contains("`paid_needs_invoice`: A paid or shipped order needs an invoice.")
            && described.contains("`one_code_per_region`: no two records share region + code"),
        "{described}"
    );
    // A field a rule names cannot be dropped or retyped from under it.
    let dropped = base.schema("DELETE", "/tables/orders/fields/invoice", Value::Null);
    let body = dropped.assert_error(409, "SCHEMA_CONFLICT");
    assert_eq!(body["error"]["details"]["dependents"], json!(["rule paid_needs_invoice"]), "{}", dropped.text);
}

#[test]
fn a_record_rule_or_unique_set_existing_records_break_is_refused_with_them() {
    let base = orders("record-rules-existing");
    for code in ["A", "B"] {
        assert_eq!(order(&base, json!({"status": "open", "region": "eu", "code": code})).status, 201);
    }
    let rules = |body: Value| base.schema("PUT", "/tables/orders/rules", body);
    let must_ship = json!({"name": "shipped", "then": {"field": "status", "op": "eq", "value": "shipped"}});
    let refused = rules(json!({"rules": [must_ship]}));
    let body = refused.assert_error(409, "SCHEMA_CONFLICT");
    assert_eq!(body["error"]["details"]["reason"], "rule_violated", "{}", refused.text);
    assert_eq!(body["error"]["details"]["count"], 2, "{}", refused.text);
    assert_eq!(body["error"]["details"]["examples"].as_array().map(Vec::len), Some(2), "{}", refused.text);
    let meta = get("/v1/meta/tables/orders", Some(&base.token)).json();
    assert_eq!(meta["rules"].as_array().map(Vec::len), Some(2), "a refused change changed nothing: {meta}");
    // For new writes only, it applies; existing records stay as they are.
    let new_only = rules(json!({"rules": [must_ship], "check_existing": false}));
    assert_eq!(new_only.status, 200, "{}", new_only.text);
    assert_eq!(broken_rule(&order(&base, json!({"status": "open"}))), "shipped");
    assert_eq!(order(&base, json!({"status": "shipped", "region": "eu", "code": "C"})).status, 201);
    // Two records already share `region` alone: unique on it is refused.
    let shared_region = rules(json!({"unique": [{"name": "region_once", "fields": ["region", "status"]}]}));
    let body = shared_region.assert_error(409, "SCHEMA_CONFLICT");
    assert_eq!(body["error"]["details"]["reason"], "duplicate_values", "{}", shared_region.text);
    // Ill-formed rules are refused before any DDL.
    for bad in [
        json!({"rules": [{"name": "x", "then": {"field": "nope", "op": "eq", "value": 1}}]}),
        json!({"rules": [{"name": "x", "then": {"field": "amount", "op": "eq", "value": "ten"}}]}),
        json!({"unique": [{"name": "x", "fields": ["region"]}]}),
        json!({"rules": [{"name": "x", "then": {"field": "status", "op": "eq", "value": {"var": "user.id"}}}]}),
    ] {
        rules(bad).assert_error(422, "VALIDATION_ERROR");
    }
}
