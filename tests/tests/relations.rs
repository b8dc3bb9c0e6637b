//! Relations through an edge host: link fields created under the schema lock as foreign
//! keys, set and cleared by id (a missing target is a 422 naming the field), embedded with
//! `include` in both directions, filtered across the link in one statement, and deleted
//! with their referential action (restrict, cascade, set null) with every change logged;
//! the schema keeps working through renames and refuses to drop a table links point at.

use e2e::{OwnBase as Base, Reply, call, get};
use serde_json::{Value, json};

fn delete(base: &Base, table: &str, id: &str) -> Reply {
    call("DELETE", &format!("/v1/tables/{table}/records/{id}"), &base.token, &[], None)
}

/// `customers`; `orders.customer` (restrict) and `notes.customer` (set null) link to it;
/// `lines.order` links to `orders` (cascade).
fn shop(label: &str) -> Base {
    let base = Base::new(label);
    let tables = [
        json!({"name": "customers", "fields": [{"name": "name", "type": "text", "required": true}]}),
        json!({"name": "orders", "fields": [
            {"name": "customer", "type": "link", "link": {"table": "customers", "display": "name"}},
            {"name": "total", "type": "number"},
        ]}),
        json!({"name": "lines", "fields": [
            {"name": "order", "type": "link", "required": true, "link": {"table": "orders", "on_delete": "cascade"}},
            {"name": "sku", "type": "text"},
        ]}),
        json!({"name": "notes", "fields": [
            {"name": "customer", "type": "link", "link": {"table": "customers", "on_delete": "set_null"}},
            {"name": "body", "type": "text"},
        ]}),
    ];
    for table in tables {
        let reply = base.schema("POST", "/tables", table);
        assert_eq!(reply.status, 201, "{}", reply.text);
    }
    base
}

#[test]
fn links_are_foreign_keys_set_by_id_and_described_in_meta() {
    let base = shop("links-meta");
    let ada = base.created("customers", json!({"name": "Ada"}));
    let order = base.created("orders", json!({"customer": ada.to_uppercase(), "total": 10}));
    let record = base.read(&format!("/v1/tables/orders/records/{order}"));
    assert_eq!(record["values"]["customer"], ada.as_str(), "stored in canonical form");
    assert!(record.get("included").is_none(), "nothing embedded unless asked");

    // A link to nothing is the client's error, naming the field; nothing is written.
    let missing = base.create("orders", json!({"customer": "3ca3dfad-2a40-4d1a-a9e1-0dca1d4fcd25"}));
    let error = missing.assert_error(422, "VALIDATION_ERROR");
    assert_eq!(error["error"]["details"]["field"], "customer", "{}", missing.text);
    assert_eq!(error["error"]["details"]["reason"], "link_target_missing");
    let not_an_id = base.create("orders", json!({"customer": "Ada"}));
    assert_eq!(not_an_id.assert_error(422, "VALIDATION_ERROR")["error"]["details"]["errors"][0]["field"], "customer");
    let patched = call(
        "PATCH",
        &format!("/v1/tables/orders/records/{order}"),
        &base.token,
        &[],
        Some(&json!({"values": {"customer": "3ca3dfad-2a40-4d1a-a9e1-0dca1d4fcd25"}})),
    );
    patched.assert_error(422, "VALIDATION_ERROR");
    assert_eq!(base.read("/v1/tables/orders/records")["data"].as_array().map(Vec::len), Some(1));
    // Cleared by null.
    let cleared = call(
        "PATCH",
        &format!("/v1/tables/orders/records/{order}"),
        &base.token,
        &[],
        Some(&json!({"values": {"customer": null}})),
    );
    assert_eq!(cleared.status, 200, "{}", cleared.text);
    assert!(cleared.json()["values"]["customer"].is_null());

    let orders = base.read("/v1/meta/tables/orders");
    let link = &orders["fields"][0]["link"];
    assert_eq!(link["table"], "customers", "{orders}");
    assert_eq!(link["on_delete"], "restrict");
    let customers = base.read("/v1/meta/tables/customers");
    assert_eq!(link["display_field_id"], customers["fields"][0]["id"]);
    let backlinks: Vec<&str> = customers["linked_from"]
        .as_array()
        .expect("linked_from")
        .iter()
        .filter_map(|b| b["include"].as_str())
        .collect();
    assert_eq!(backlinks, ["orders.customer", "notes.customer"]);

    // Each link is a foreign key with an index that leads with it.
    let mut data = e2e::data_plane();
    let schema = format!("b_{}", base.base.replace('-', ""));
    let mut count = |sql: &str| -> i64 { data.query_one(sql, &[&schema]).expect("catalog query").get(0) };
    let foreign_keys =
        count("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = $1::text::regnamespace");
    assert_eq!(foreign_keys, 3, "one foreign key per link");
    let indexes = count("SELECT count(*) FROM pg_indexes WHERE schemaname = $1 AND indexname LIKE 'i\\_%'");
    assert_eq!(indexes, 3, "one index per link");
}

#[test]
fn include_embeds_both_sides_and_filters_cross_the_link() {
    let base = shop("links-include");
    let ada = base.created("customers", json!({"name": "Ada"}));
    let bob = base.created("customers", json!({"name": "Bob"}));
    let mut ada_orders = Vec::new();
    for total in 0..27 {
        ada_orders.push(base.created("orders", json!({"customer": ada, "total": total})));
    }
    let bobs = base.created("orders", json!({"customer": bob, "total": 100}));
    let loose = base.created("orders", json!({"total": 5}));

    let one = base.read(&format!("/v1/tables/orders/records/{bobs}?include=customer"));
    assert_eq!(one["included"]["customer"]["id"], bob.as_str(), "{one}");
    assert_eq!(one["included"]["customer"]["values"]["name"], "Bob");
    // The ETag is the order's own version: with its customer embedded, no 304 can vouch for both.
    let bob_order = format!("/v1/tables/orders/records/{bobs}");
    let etag = get(&bob_order, Some(&base.token)).header("etag").expect("etag").to_owned();
    let if_none_match = |path: &str| call("GET", path, &base.token, &[("if-none-match", etag.as_str())], None).status;
    assert_eq!(if_none_match(&bob_order), 304);
    assert_eq!(if_none_match(&format!("{bob_order}?include=customer")), 200);
    let none = base.read(&format!("/v1/tables/orders/records/{loose}?include=customer&fields=total"));
    assert!(none["included"]["customer"].is_null(), "{none}");
    assert_eq!(none["values"], json!({"total": 5}));

    // The reverse side: the first page of linking records, oldest first, and whether there are more.
    let customer = base.read(&format!("/v1/tables/customers/records/{ada}?include=orders.customer"));
    let page = &customer["included"]["orders.customer"];
    let ids: Vec<&str> = page["data"].as_array().expect("data").iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(ids, ada_orders[..25].iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(page["has_more"], true);
    let list = base.read("/v1/tables/customers/records?include=orders.customer&sort=name");
    let bob_page = &list["data"][1]["included"]["orders.customer"];
    assert_eq!(bob_page["data"].as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(bob_page["has_more"], false);

    // Filters on the link value and on a field of the linked record.
    let by_id = base.read(&format!("/v1/tables/orders/records?filter[customer][eq]={bob}"));
    assert_eq!(by_id["data"].as_array().map(Vec::len), Some(1));
    let by_name = base.read("/v1/tables/orders/records?filter[customer.name][starts_with]=Bo&include=customer");
    let rows = by_name["data"].as_array().expect("data");
    assert_eq!(rows.len(), 1, "{by_name}");
    assert_eq!(rows[0]["included"]["customer"]["values"]["name"], "Bob");
    let where_tree = base.read(
        "/v1/tables/orders/records?limit=100&where=%7B%22or%22%3A%5B%7B%22field%22%3A%22customer.name%22%2C%22op%22%3A%22eq%22%2C%22value%22%3A%22Bob%22%7D%2C%7B%22field%22%3A%22customer%22%2C%22op%22%3A%22is_null%22%2C%22value%22%3Atrue%7D%5D%7D",
    );
    assert_eq!(where_tree["data"].as_array().map(Vec::len), Some(2), "{where_tree}");

    // Refusals name what is wrong.
    for (path, field) in [
        ("/v1/tables/orders/records?include=total", "total"),
        ("/v1/tables/customers/records?include=orders.total", "orders.total"),
        ("/v1/tables/orders/records?filter[customer.nope][eq]=1", "customer.nope"),
    ] {
        let reply = get(path, Some(&base.token));
        assert_eq!(reply.assert_error(400, "INVALID_QUERY")["error"]["details"]["field"], field, "{path}");
    }
}

#[test]
fn deletes_follow_each_links_action_and_log_every_change() {
    let base = shop("links-delete");
    let ada = base.created("customers", json!({"name": "Ada"}));
    let order = base.created("orders", json!({"customer": ada}));
    let lines: Vec<String> =
        (0..3).map(|n| base.created("lines", json!({"order": order, "sku": format!("s{n}")}))).collect();
    let note = base.created("notes", json!({"customer": ada, "body": "call back"}));

    // restrict: the customer stays while an order links to it.
    let refused = delete(&base, "customers", &ada);
    let error = refused.assert_error(409, "RECORD_LINKED");
    assert_eq!(error["error"]["details"], json!({"table": "orders", "field": "customer"}));
    let batch =
        call("POST", "/v1/tables/customers/records:batchDelete", &base.token, &[], Some(&json!({"ids": [ada]})));
    batch.assert_error(409, "RECORD_LINKED");
    assert_eq!(base.read(&format!("/v1/tables/notes/records/{note}"))["values"]["customer"], ada.as_str());

    // cascade: deleting the order deletes its lines in the same statement.
    assert_eq!(delete(&base, "orders", &order).status, 200);
    assert_eq!(base.read("/v1/tables/lines/records")["data"], json!([]));

    // set null: deleting the customer clears the note's link and keeps the note.
    assert_eq!(delete(&base, "customers", &ada).status, 200);
    let kept = base.read(&format!("/v1/tables/notes/records/{note}"));
    assert!(kept["values"]["customer"].is_null(), "{kept}");
    assert_eq!(kept["values"]["body"], "call back");

    // Every change is in the base's change log, with the request's actor.
    let history = |table: &str| -> Vec<Value> {
        let reply = base.schema("GET", &format!("/tables/{table}/history"), Value::Null);
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.json()["data"].as_array().expect("history").clone()
    };
    let line_changes = history("lines");
    let deleted: Vec<&str> = line_changes
        .iter()
        .filter(|change| change["op"] == "delete")
        .filter_map(|change| change["record_id"].as_str())
        .collect();
    assert_eq!(deleted.len(), 3, "{line_changes:?}");
    assert!(lines.iter().all(|line| deleted.contains(&line.as_str())));
    assert!(line_changes.iter().filter(|c| c["op"] == "delete").all(|c| c["before"]["values"]["sku"].is_string()));
    let note_changes = history("notes");
    let cleared = note_changes.iter().find(|change| change["op"] == "update").expect("the cleared link is logged");
    assert_eq!(cleared["before"]["values"]["customer"], ada.as_str());
    assert!(cleared["after"]["values"]["customer"].is_null());
}

#[test]
fn schema_changes_keep_links_working_and_refuse_to_break_them() {
    let base = shop("links-schema");
    let ada = base.created("customers", json!({"name": "Ada"}));
    base.created("orders", json!({"customer": ada, "total": 3}));

    // A table links point at cannot be dropped; the answer lists them.
    let refused = base.schema("DELETE", "/tables/customers", Value::Null);
    let error = refused.assert_error(409, "SCHEMA_CONFLICT");
    assert_eq!(error["error"]["details"]["dependents"], json!(["orders.customer", "notes.customer"]));

    // A cascade that would come back to its start is refused.
    let cycle = base.schema(
        "POST",
        "/tables/orders/fields",
        json!({"name": "first_line", "type": "link", "link": {"table": "lines", "on_delete": "cascade"}}),
    );
    assert_eq!(cycle.assert_error(422, "VALIDATION_ERROR")["error"]["details"]["field"], "link.on_delete");

    // Renames keep the link, and former names keep working for a while.
    assert_eq!(base.schema("PATCH", "/tables/customers", json!({"name": "clients"})).status, 200);
    assert_eq!(base.schema("PATCH", "/tables/orders/fields/customer", json!({"name": "client"})).status, 200);
    let orders = base.read("/v1/tables/orders/records?include=client&filter[client.name][eq]=Ada");
    assert_eq!(orders["data"][0]["included"]["client"]["values"]["name"], "Ada", "{orders}");
    let reverse = base.read(&format!("/v1/tables/clients/records/{ada}?include=orders.client"));
    assert_eq!(reverse["included"]["orders.client"]["data"].as_array().map(Vec::len), Some(1));
    assert_eq!(base.read("/v1/meta/tables/orders")["fields"][0]["link"]["table"], "clients");

    // The action can change; the foreign key follows.
    let cascade = base.schema("PATCH", "/tables/orders/fields/client", json!({"link": {"on_delete": "cascade"}}));
    assert_eq!(cascade.status, 200, "{}", cascade.text);
    assert_eq!(delete(&base, "clients", &ada).status, 200);
    assert_eq!(base.read("/v1/tables/orders/records")["data"], json!([]));

    // Dropping the link fields frees the table; the dropped link no longer constrains it.
    let bob = base.created("clients", json!({"name": "Bob"}));
    base.created("orders", json!({"client": bob}));
    for field in ["/tables/orders/fields/client", "/tables/notes/fields/customer"] {
        let dropped = base.schema("DELETE", field, Value::Null);
        assert_eq!(dropped.status, 200, "{}", dropped.text);
    }
    assert_eq!(delete(&base, "clients", &bob).status, 200, "no foreign key left behind");
    assert_eq!(base.schema("DELETE", "/tables/clients", Value::Null).status, 200);
}
