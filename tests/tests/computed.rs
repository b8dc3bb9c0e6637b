//! Computed fields through an edge host: formulas over a record's own fields (every
//! function and type checked value by value, with empty values, division by zero and UTC
//! dates), lookups through a link and rollups over the records linking here, all computed
//! in the statement that reads, usable in filters, sorts and projections, read-only,
//! kept working through renames and protected from drops.

use e2e::{OwnBase as Base, Reply, call, get};
use serde_json::{Value, json};

fn add_field(base: &Base, table: &str, field: Value) -> Reply {
    base.schema("POST", &format!("/tables/{table}/fields"), field)
}

fn formula(base: &Base, name: &str, text: &str) {
    let reply = add_field(base, "items", json!({"name": name, "type": "formula", "formula": text}));
    assert_eq!(reply.status, 201, "{name} = {text}: {}", reply.text);
}

/// `items`: a number, text, a date, a datetime and a boolean.
fn items(label: &str) -> Base {
    let base = Base::new(label);
    let reply = base.schema(
        "POST",
        "/tables",
        json!({"name": "items", "fields": [
            {"name": "price", "type": "number"},
            {"name": "quantity", "type": "number"},
            {"name": "label", "type": "text"},
            {"name": "due", "type": "date"},
            {"name": "at", "type": "datetime"},
            {"name": "paid", "type": "boolean"},
        ]}),
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
    base
}

#[test]
fn formulas_compute_every_function_on_real_values() {
    let base = items("formula-values");
    // (name, formula, value for `full`, value for `empty`).
    let cases: Vec<(&str, &str, Value, Value)> = vec![
        ("total", "price * quantity + 10", json!(17.5), Value::Null),
        ("ratio", "price / quantity", json!(0.8333333333333334), Value::Null),
        ("by_zero", "price / (quantity - 3)", Value::Null, Value::Null),
        ("negated", "-price + 1", json!(-1.5), Value::Null),
        ("rounded", "round(price / 3, 2)", json!(0.83), Value::Null),
        ("whole", "round(7.5) + floor(-1.5) + ceil(1.2) + abs(-3)", json!(11), json!(11)),
        ("smallest", "min(price, quantity, 4)", json!(2.5), json!(4)),
        ("largest", "max(price, quantity)", json!(3), Value::Null),
        ("both", "price > 2 and not paid", json!(true), Value::Null),
        ("either", "paid or price = 2.5", json!(true), Value::Null),
        ("chosen", "if(paid, 'yes', 'no')", json!("no"), json!("no")),
        ("no_else", "if(price > 100, 'big')", Value::Null, Value::Null),
        ("joined", "label & ' x' & quantity", json!("Widget x3"), json!(" x")),
        ("joined_fn", "concat(upper(label), '-', lower('AB'), '-', paid)", json!("WIDGET-ab-false"), json!("-ab-")),
        ("trimmed", "length(trim('  ' & label & '  '))", json!(6), json!(0)),
        ("first", "left(label, 3) & right(label, 2)", json!("Widet"), json!("")),
        ("huge_count", "left(label, 1000000000000000 * 1000000000000000)", json!("Widget"), Value::Null),
        ("fallback", "coalesce(label, 'none')", json!("Widget"), json!("none")),
        ("blank", "is_empty(label)", json!(false), json!(true)),
        ("as_text", "text(due) & ' ' & text(at)", json!("2026-01-31 2026-03-02T04:30:00Z"), json!(" ")),
        ("year_of", "year(due) * 10000 + month(due) * 100 + day(due)", json!(20260131), Value::Null),
        // 23:30 at UTC-5 is 04:30 the next day in UTC: dates of datetimes are UTC dates.
        ("utc_day", "day(at) * 100 + hour(at)", json!(204), Value::Null),
        ("next_month", "date_add(due, 1, 'months')", json!("2026-02-28"), Value::Null),
        ("later", "text(date_add(at, 90, 'minutes'))", json!("2026-03-02T06:00:00Z"), Value::Null),
        ("far", "date_add(due, 1000000000000, 'years')", json!("6026-01-31"), Value::Null),
        ("days", "date_diff(due, date_add(due, 45, 'days'), 'days')", json!(45), Value::Null),
        ("months", "date_diff(due, '2026-01-01' = '' or true, 'months')", Value::Null, Value::Null),
        ("span", "date_diff(at, date_add(at, -3, 'hours'), 'hours')", json!(-3), Value::Null),
        ("recent", "date_diff(created_at, now(), 'days') = 0 and today() >= due", json!(true), Value::Null),
        ("record", "length(id)", json!(36), json!(36)),
    ];
    // `months` does not type-check: it is checked among the refusals, not added.
    for (name, text, _, _) in cases.iter().filter(|(name, ..)| *name != "months") {
        formula(&base, name, text);
    }
    let full = base.created(
        "items",
        json!({"price": 2.5, "quantity": 3, "label": "Widget", "due": "2026-01-31",
               "at": "2026-03-01T23:30:00-05:00", "paid": false}),
    );
    let empty = base.created("items", json!({}));
    for (id, column) in [(&full, 2), (&empty, 3)] {
        let record = base.read(&format!("/v1/tables/items/records/{id}"));
        for case in cases.iter().filter(|case| case.0 != "months") {
            let expected = if column == 2 { &case.2 } else { &case.3 };
            let got = &record["values"][case.0];
            let same = match (got.as_f64(), expected.as_f64()) {
                (Some(got), Some(expected)) => (got - expected).abs() < 1e-9,
                _ => got == expected,
            };
            assert!(same, "{} = {} on {}: got {got}, expected {expected}", case.0, case.1, record["values"]);
        }
    }
    // A formula that does not type-check is refused, saying where.
    let months = cases.iter().find(|case| case.0 == "months").expect("months").1;
    let refused = add_field(&base, "items", json!({"name": "months", "type": "formula", "formula": months}));
    let error = refused.assert_error(422, "VALIDATION_ERROR");
    assert!(error["error"]["message"].as_str().expect("message").contains("date_diff"), "{}", refused.text);
    assert_eq!(error["error"]["details"]["start"], 15, "{}", refused.text);
}

#[test]
fn formulas_filter_sort_project_and_stay_read_only() {
    let base = items("formula-query");
    formula(&base, "total", "price * quantity");
    formula(&base, "tag", "upper(label)");
    for (price, quantity, label) in [(1, 5, "b"), (4, 4, "a"), (10, 1, "c"), (3, 3, "d")] {
        base.created("items", json!({"price": price, "quantity": quantity, "label": label}));
    }
    // A preview computes a formula on the first records, and adds nothing.
    let twice = json!({"name": "twice", "type": "formula", "formula": "price * 2"});
    let preview = base.schema("POST", "/tables/items/fields?dry_run=true", twice);
    assert_eq!(preview.status, 200, "{}", preview.text);
    let values: Vec<Value> =
        preview.json()["computed"].as_array().expect("computed").iter().map(|row| row["value"].clone()).collect();
    assert_eq!(values, [json!(2), json!(8), json!(20), json!(6)], "{}", preview.text);
    assert!(
        base.read("/v1/meta/tables/items")["fields"].as_array().expect("fields").iter().all(|f| f["name"] != "twice")
    );
    let page = base.read("/v1/tables/items/records?filter[total][gte]=9&sort=total:desc&fields=label,total");
    let rows: Vec<Value> = page["data"].as_array().expect("data").iter().map(|row| row["values"].clone()).collect();
    assert_eq!(
        rows,
        [json!({"label": "a", "total": 16}), json!({"label": "c", "total": 10}), json!({"label": "d", "total": 9})]
    );
    // Keyset cursors walk a formula's order too.
    let first = base.read("/v1/tables/items/records?sort=tag&limit=2&fields=tag");
    let cursor = first["next_cursor"].as_str().expect("cursor");
    let second = base.read(&format!("/v1/tables/items/records?sort=tag&limit=2&fields=tag&cursor={cursor}"));
    let tags: Vec<&str> = first["data"]
        .as_array()
        .into_iter()
        .chain(second["data"].as_array())
        .flatten()
        .map(|row| row["values"]["tag"].as_str().expect("tag"))
        .collect();
    assert_eq!(tags, ["A", "B", "C", "D"]);
    // The result type decides the operators: text operators on a number are refused.
    let refused = get("/v1/tables/items/records?filter[total][contains]=1", Some(&base.token));
    refused.assert_error(400, "INVALID_QUERY");
    let matched = base.read("/v1/tables/items/records?filter[tag][starts_with]=C");
    assert_eq!(matched["data"].as_array().map(Vec::len), Some(1));
    // A computed field is never written, and a write's answer shows it computed.
    let written = base.create("items", json!({"price": 2, "total": 99}));
    let error = written.assert_error(422, "VALIDATION_ERROR");
    assert!(written.text.contains("read_only"), "{}", error);
    let answer = base.create("items", json!({"price": 2, "quantity": 21}));
    assert_eq!(answer.json()["values"]["total"], 42, "{}", answer.text);
    // The change log holds what was stored, not what is computed.
    let history = base.schema("GET", "/tables/items/history?limit=1", Value::Null);
    assert_eq!(history.status, 200, "{}", history.text);
    let after = &history.json()["data"][0]["after"]["values"];
    assert!(after.get("price").is_some() && after.get("total").is_none(), "{}", history.text);
}

#[test]
fn renames_keep_formulas_working_and_drops_are_refused() {
    let base = items("formula-schema");
    formula(&base, "total", "price * quantity");
    let id = base.created("items", json!({"price": 2, "quantity": 4}));
    let renamed = base.schema("PATCH", "/tables/items/fields/price", json!({"name": "unit_price"}));
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    assert_eq!(base.read(&format!("/v1/tables/items/records/{id}"))["values"]["total"], 8);
    let meta = base.read("/v1/meta/tables/items");
    let total = meta["fields"].as_array().expect("fields").iter().find(|field| field["name"] == "total").cloned();
    let total = total.expect("total");
    assert_eq!(total["type"], "number", "{total}");
    assert_eq!(total["computed"], json!({"kind": "formula", "formula": "unit_price * quantity"}));
    // What a formula reads cannot be dropped or change type.
    let dropped = base.schema("DELETE", "/tables/items/fields/quantity", Value::Null);
    let error = dropped.assert_error(409, "SCHEMA_CONFLICT");
    assert_eq!(error["error"]["details"]["dependents"], json!(["formula items.total"]), "{}", dropped.text);
    let retyped = base.schema("PATCH", "/tables/items/fields/label", json!({"type": "long_text"}));
    assert_eq!(retyped.status, 200, "no formula reads label: {}", retyped.text);
    // The formula itself can change, and its type follows.
    let changed =
        base.schema("PATCH", "/tables/items/fields/total", json!({"formula": "'=' & (unit_price * quantity)"}));
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(base.read(&format!("/v1/tables/items/records/{id}"))["values"]["total"], "=8");
    // A formula cannot read itself, directly or not.
    formula(&base, "twice", "total & total");
    let cycle = base.schema("PATCH", "/tables/items/fields/total", json!({"formula": "twice"}));
    cycle.assert_error(422, "VALIDATION_ERROR");
    // Nor take stored-field settings.
    let stored = base.schema("PATCH", "/tables/items/fields/total", json!({"required": true}));
    stored.assert_error(422, "VALIDATION_ERROR");
    // A dropped formula leaves nothing behind; its name is free again after the grace period.
    let dropped = base.schema("DELETE", "/tables/items/fields/twice", Value::Null);
    assert_eq!(dropped.status, 200, "{}", dropped.text);
    let record = base.read(&format!("/v1/tables/items/records/{id}"));
    assert!(record["values"].get("twice").is_none(), "{record}");
}

/// `customers` with rollups over `orders` (linking by `customer`), and `orders` looking
/// up its customer's email.
fn shop(label: &str) -> Base {
    let base = Base::new(label);
    let tables = [
        json!({"name": "customers", "fields": [
            {"name": "name", "type": "text", "required": true},
            {"name": "email", "type": "email"},
            {"name": "tier", "type": "single_select", "options": ["gold", "basic"]},
        ]}),
        json!({"name": "orders", "fields": [
            {"name": "customer", "type": "link", "link": {"table": "customers", "display": "name"}},
            {"name": "amount", "type": "number"},
            {"name": "paid", "type": "boolean"},
            {"name": "placed", "type": "date"},
        ]}),
    ];
    for table in tables {
        let reply = base.schema("POST", "/tables", table);
        assert_eq!(reply.status, 201, "{}", reply.text);
    }
    let fields = [
        (
            "customers",
            json!({"name": "orders_count", "type": "rollup", "rollup": {"link": "orders.customer", "function": "count"}}),
        ),
        (
            "customers",
            json!({"name": "spent", "type": "rollup", "rollup": {"link": "orders.customer", "function": "sum", "field": "amount"}}),
        ),
        (
            "customers",
            json!({"name": "unpaid", "type": "rollup", "rollup": {"link": "orders.customer", "function": "sum", "field": "amount", "where": {"field": "paid", "op": "eq", "value": false}}}),
        ),
        (
            "customers",
            json!({"name": "average", "type": "rollup", "rollup": {"link": "orders.customer", "function": "average", "field": "amount"}}),
        ),
        (
            "customers",
            json!({"name": "last_order", "type": "rollup", "rollup": {"link": "orders.customer", "function": "max", "field": "placed"}}),
        ),
        (
            "customers",
            json!({"name": "any_big", "type": "rollup", "rollup": {"link": "orders.customer", "function": "any", "where": {"field": "amount", "op": "gte", "value": 100}}}),
        ),
        (
            "customers",
            json!({"name": "all_paid", "type": "rollup", "rollup": {"link": "orders.customer", "function": "all", "where": {"field": "paid", "op": "eq", "value": true}}}),
        ),
        ("orders", json!({"name": "email", "type": "lookup", "lookup": {"link": "customer", "field": "email"}})),
        ("orders", json!({"name": "tier", "type": "lookup", "lookup": {"link": "customer", "field": "tier"}})),
        ("orders", json!({"name": "share", "type": "formula", "formula": "if(tier = 'gold', amount * 0.9, amount)"})),
    ];
    for (table, field) in fields {
        let reply = add_field(&base, table, field);
        assert_eq!(reply.status, 201, "{}", reply.text);
    }
    base
}

#[test]
fn lookups_and_rollups_compute_in_the_read_and_filter_and_sort() {
    let base = shop("rollups");
    let acme = base.created("customers", json!({"name": "acme", "email": "ops@acme.test", "tier": "gold"}));
    let globex = base.created("customers", json!({"name": "globex", "email": "it@globex.test", "tier": "basic"}));
    let initech = base.created("customers", json!({"name": "initech"}));
    for (customer, amount, paid, placed) in
        [(&acme, 100, true, "2026-01-02"), (&acme, 50, false, "2026-02-03"), (&globex, 20, true, "2025-12-31")]
    {
        base.created("orders", json!({"customer": customer, "amount": amount, "paid": paid, "placed": placed}));
    }
    let page = base.read("/v1/tables/customers/records?sort=name");
    let values: Vec<Value> = page["data"].as_array().expect("data").iter().map(|row| row["values"].clone()).collect();
    let pick = |row: &Value| {
        json!([row["orders_count"], row["spent"], row["unpaid"], row["last_order"], row["any_big"], row["all_paid"]])
    };
    assert_eq!(pick(&values[0]), json!([2, 150, 50, "2026-02-03", true, false]), "{}", values[0]);
    assert_eq!(pick(&values[1]), json!([1, 20, 0, "2025-12-31", false, true]), "{}", values[1]);
    assert_eq!(pick(&values[2]), json!([0, 0, 0, null, false, true]), "{}", values[2]);
    assert_eq!(values[0]["average"].as_f64(), Some(75.0), "{}", values[0]);
    assert_eq!(values[2]["average"], Value::Null);
    // Filters and sorts on rollups, in one statement.
    let busy = base.read("/v1/tables/customers/records?filter[orders_count][gte]=1&sort=spent:desc&fields=name,spent");
    let names: Vec<&str> = busy["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|row| row["values"]["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["acme", "globex"]);
    let owing = base.read("/v1/tables/customers/records?filter[unpaid][gt]=0&filter[all_paid][eq]=false");
    assert_eq!(owing["data"].as_array().map(Vec::len), Some(1), "{owing}");
    // Lookups show the linked record's field, as text for a select; formulas build on them.
    let orders = base.read("/v1/tables/orders/records?sort=amount:desc&fields=amount,email,tier,share");
    let first = &orders["data"][0]["values"];
    assert_eq!(*first, json!({"amount": 100, "email": "ops@acme.test", "tier": "gold", "share": 90.0}));
    let filtered = base.read("/v1/tables/orders/records?filter[email][contains]=GLOBEX&fields=amount");
    assert_eq!(filtered["data"].as_array().map(Vec::len), Some(1), "{filtered}");
    // A change to an order shows in its customer's rollups at the next read.
    let late = base.created("orders", json!({"customer": initech, "amount": 7, "paid": false}));
    let initech_now = base.read(&format!("/v1/tables/customers/records/{initech}"));
    assert_eq!(initech_now["values"]["unpaid"], 7, "{initech_now}");
    let moved = call(
        "PATCH",
        &format!("/v1/tables/orders/records/{late}"),
        &base.token,
        &[],
        Some(&json!({"values": {"customer": globex}})),
    );
    assert_eq!(moved.status, 200, "{}", moved.text);
    assert_eq!(base.read(&format!("/v1/tables/customers/records/{globex}"))["values"]["orders_count"], 2);
    // What a rollup or a lookup reads cannot be dropped, nor the table it reads.
    let dropped = base.schema("DELETE", "/tables/orders/fields/amount", Value::Null);
    let error = dropped.assert_error(409, "SCHEMA_CONFLICT");
    let dependents = error["error"]["details"]["dependents"].as_array().expect("dependents").len();
    assert_eq!(dependents, 5, "{}", dropped.text);
    let table = base.schema("DELETE", "/tables/orders", Value::Null);
    table.assert_error(409, "SCHEMA_CONFLICT");
    // A rollup must come through a link to its table, with a field its function takes.
    let wrong = add_field(
        &base,
        "orders",
        json!({"name": "n", "type": "rollup", "rollup": {"link": "orders.customer", "function": "count"}}),
    );
    wrong.assert_error(422, "VALIDATION_ERROR");
    let wrong = add_field(
        &base,
        "customers",
        json!({"name": "n", "type": "rollup", "rollup": {"link": "orders.customer", "function": "sum", "field": "paid"}}),
    );
    wrong.assert_error(422, "VALIDATION_ERROR");
}

#[test]
fn computed_fields_reveal_nothing_a_policy_hides() {
    let base = shop("computed-policies");
    let acme = base.created("customers", json!({"name": "acme", "email": "ops@acme.test"}));
    base.created("orders", json!({"customer": acme, "amount": 30, "paid": true}));
    base.created("orders", json!({"customer": acme, "amount": 12, "paid": false}));
    // Tokens see only paid orders, and not the customers' emails.
    let policies = base.schema(
        "PUT",
        "/tables/orders/policies",
        json!({"policies": [{"subject": "token", "rows": {"field": "paid", "op": "eq", "value": true}}]}),
    );
    assert_eq!(policies.status, 200, "{}", policies.text);
    let policies = base.schema(
        "PUT",
        "/tables/customers/policies",
        json!({"policies": [{"subject": "token", "read": ["name", "orders_count", "spent"]}]}),
    );
    assert_eq!(policies.status, 200, "{}", policies.text);
    let customer = base.read(&format!("/v1/tables/customers/records/{acme}"));
    assert_eq!(customer["values"], json!({"name": "acme", "orders_count": 1, "spent": 30}), "{customer}");
    let orders = base.read("/v1/tables/orders/records?fields=amount,email");
    assert_eq!(orders["data"][0]["values"], json!({"amount": 30, "email": null}), "{orders}");
}
