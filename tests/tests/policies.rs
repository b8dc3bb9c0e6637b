//! Row and column policies through an edge host: viewers, editors and API tokens each
//! see and change only what their table's policy allows, on every records route (lists
//! with their pages, gets, includes and filters across a link, updates, creates, batch
//! upserts and deletes by id or filter), while owners see everything; policies are
//! checked when set and keep the fields they name from being dropped.

use e2e::{Account, OwnBase, Reply, add_member, call, manage, register};
use serde_json::{Value, json};

/// A base with `deals` (title, owner_email, amount, secret) and `notes` linking to deals,
/// a viewer and an editor of its workspace, and the deals: three of the viewer's, two of
/// the editor's and one of nobody's.
struct Fixture {
    base: OwnBase,
    viewer: Account,
    editor: Account,
    /// Deal ids by title.
    deals: Vec<(String, String)>,
}

impl Fixture {
    fn new(label: &str) -> Fixture {
        let base = OwnBase::new(label);
        let viewer = register(&format!("{label}-viewer"));
        let editor = register(&format!("{label}-editor"));
        add_member(&base.owner, &viewer, "viewer");
        add_member(&base.owner, &editor, "editor");
        let deals = base.schema(
            "POST",
            "/tables",
            json!({"name": "deals", "fields": [
                {"name": "title", "type": "text"},
                {"name": "owner_email", "type": "email"},
                {"name": "amount", "type": "number"},
                {"name": "secret", "type": "text"},
            ]}),
        );
        assert_eq!(deals.status, 201, "{}", deals.text);
        let notes = base.schema(
            "POST",
            "/tables",
            json!({"name": "notes", "fields": [
                {"name": "body", "type": "text"},
                {"name": "deal", "type": "link", "link": {"table": "deals", "on_delete": "cascade"}},
            ]}),
        );
        assert_eq!(notes.status, 201, "{}", notes.text);
        let mut ids = Vec::new();
        for (title, owner, amount) in [
            ("v1", &viewer.email, 10),
            ("v2", &viewer.email, 2000),
            ("v3", &viewer.email, 30),
            ("e1", &editor.email, 40),
            ("e2", &editor.email, 5000),
            ("x1", &"nobody@example.org".to_owned(), 60),
        ] {
            let values =
                json!({"title": title, "owner_email": owner, "amount": amount, "secret": format!("s-{title}")});
            let created =
                call("POST", "/v1/tables/deals/records", &base.token, &[], Some(&json!({ "values": values })));
            assert_eq!(created.status, 201, "{}", created.text);
            let id = created.json()["id"].as_str().expect("id").to_owned();
            let note = json!({"values": {"body": format!("about {title}"), "deal": id}});
            let note = call("POST", "/v1/tables/notes/records", &base.token, &[], Some(&note));
            assert_eq!(note.status, 201, "{}", note.text);
            ids.push((title.to_owned(), id));
        }
        Fixture { base, viewer, editor, deals: ids }
    }

    fn id(&self, title: &str) -> &str {
        &self.deals.iter().find(|(name, _)| name == title).expect("a deal").1
    }

    fn set_policies(&self, policies: Value) -> Reply {
        self.base.schema("PUT", "/tables/deals/policies", json!({ "policies": policies }))
    }

    /// `method path` on the records API as a member (a user's access token and the base).
    fn as_member(&self, member: &Account, method: &str, path: &str, body: Option<&Value>) -> Reply {
        call(method, path, &member.access, &[("x-base-id", &self.base.base)], body)
    }
}

/// The titles of a list answer, sorted.
fn titles(reply: &Reply) -> Vec<String> {
    assert_eq!(reply.status, 200, "{}", reply.text);
    let mut titles: Vec<String> = reply.json()["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|record| record["values"]["title"].as_str().unwrap_or("").to_owned())
        .collect();
    titles.sort();
    titles
}

fn denied(reply: &Reply, reason: &str) {
    let body = reply.assert_error(403, "POLICY_DENIED");
    assert_eq!(body["error"]["details"]["reason"], reason, "{}", reply.text);
}

/// Each of the owner's checks of the deals: what is stored, whatever the callers did.
fn stored(fixture: &Fixture) -> Vec<(String, String, String)> {
    let reply = call("GET", "/v1/tables/deals/records?sort=title&limit=100", &fixture.base.token, &[], None);
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|record| {
            let values = &record["values"];
            let text =
                |name: &str| values[name].as_str().map(str::to_owned).unwrap_or_else(|| values[name].to_string());
            (text("title"), text("owner_email"), text("amount"))
        })
        .collect()
}

#[test]
fn members_see_and_change_only_what_their_policy_allows() {
    let fixture = Fixture::new("policy-members");
    let mine = json!({"field": "owner_email", "op": "eq", "value": {"var": "user.email"}});
    let set = fixture.set_policies(json!([
        {"subject": "viewer", "rows": mine, "read": ["title", "owner_email", "amount"]},
        {"subject": "editor", "rows": mine, "write": ["title", "amount", "owner_email"]},
    ]));
    assert_eq!(set.status, 200, "{}", set.text);
    let before = stored(&fixture);

    // Reads: the rows of the policy, on every page, with only the readable fields.
    let viewer = &fixture.viewer;
    let all = fixture.as_member(viewer, "GET", "/v1/tables/deals/records", None);
    assert_eq!(titles(&all), ["v1", "v2", "v3"]);
    assert!(all.json()["data"][0]["values"].get("secret").is_none(), "{}", all.text);
    let first = fixture.as_member(viewer, "GET", "/v1/tables/deals/records?limit=2&sort=title", None);
    assert_eq!(titles(&first), ["v1", "v2"]);
    let cursor = first.json()["next_cursor"].as_str().expect("a next page").to_owned();
    let next =
        fixture.as_member(viewer, "GET", &format!("/v1/tables/deals/records?limit=2&sort=title&cursor={cursor}"), None);
    assert_eq!(titles(&next), ["v3"]);
    assert_eq!(next.json()["has_more"], false, "{}", next.text);
    let filtered = fixture.as_member(viewer, "GET", "/v1/tables/deals/records?filter[amount][gte]=30", None);
    assert_eq!(titles(&filtered), ["v2", "v3"], "a filter narrows the policy's rows, never widens them");
    let other = fixture.as_member(viewer, "GET", &format!("/v1/tables/deals/records/{}", fixture.id("x1")), None);
    other.assert_error(404, "RECORD_NOT_FOUND");
    let own = fixture.as_member(viewer, "GET", &format!("/v1/tables/deals/records/{}", fixture.id("v1")), None);
    assert_eq!(own.status, 200, "{}", own.text);
    assert!(own.json()["values"].get("secret").is_none(), "{}", own.text);
    // A hidden field cannot be asked for, filtered or sorted on (that would reveal it).
    for path in [
        "/v1/tables/deals/records?fields=title,secret",
        "/v1/tables/deals/records?filter[secret][eq]=s-x1",
        "/v1/tables/deals/records?sort=secret",
    ] {
        denied(&fixture.as_member(viewer, "GET", path, None), "field_not_readable");
    }
    // Across a link: notes have no policy, but the deals they include and filter on do.
    let notes = fixture.as_member(viewer, "GET", "/v1/tables/notes/records?include=deal&limit=100", None);
    assert_eq!(notes.status, 200, "{}", notes.text);
    let included: Vec<Value> =
        notes.json()["data"].as_array().expect("data").iter().map(|note| note["included"]["deal"].clone()).collect();
    assert_eq!(included.len(), 6);
    assert_eq!(included.iter().filter(|deal| deal.is_null()).count(), 3, "other people's deals are not included");
    assert!(included.iter().all(|deal| deal.is_null() || deal["values"].get("secret").is_none()));
    let across = fixture.as_member(viewer, "GET", "/v1/tables/notes/records?filter[deal.title][eq]=x1", None);
    assert_eq!(across.json()["data"].as_array().map(Vec::len), Some(0), "{}", across.text);
    let reverse = fixture.as_member(viewer, "GET", "/v1/tables/notes/records?filter[deal.secret][eq]=s-v1", None);
    denied(&reverse, "field_not_readable");
    // A restricted member's table history is refused rather than filtered.
    let history =
        manage("GET", &format!("/bases/{}/tables/deals/history", fixture.base.base), Some(&viewer.access), None);
    denied(&history, "restricted_by_policy");

    // Writes: only own rows, only writable fields, never leaving the policy's rows.
    let editor = &fixture.editor;
    let patch = |title: &str, values: Value| {
        fixture.as_member(
            editor,
            "PATCH",
            &format!("/v1/tables/deals/records/{}", fixture.id(title)),
            Some(&json!({ "values": values })),
        )
    };
    let updated = patch("e1", json!({"amount": 41}));
    assert_eq!(updated.status, 200, "{}", updated.text);
    patch("v1", json!({"amount": 1})).assert_error(404, "RECORD_NOT_FOUND");
    denied(&patch("e1", json!({"owner_email": "nobody@example.org"})), "row_outside_policy");
    denied(&patch("e1", json!({"secret": "mine"})), "field_not_writable");
    let create = |owner: &str| {
        let values = json!({"title": "new", "owner_email": owner, "amount": 1});
        fixture.as_member(editor, "POST", "/v1/tables/deals/records", Some(&json!({ "values": values })))
    };
    denied(&create("nobody@example.org"), "row_outside_policy");
    let created = create(&editor.email);
    assert_eq!(created.status, 201, "{}", created.text);
    let created_id = created.json()["id"].as_str().expect("id").to_owned();
    let upsert = fixture.as_member(
        editor,
        "POST",
        "/v1/tables/deals/records:batchUpsert",
        Some(&json!({"items": [
            {"id": fixture.id("e2"), "values": {"amount": 5001}},
            {"id": fixture.id("v2"), "values": {"amount": 1}},
        ]})),
    );
    denied(&upsert, "row_outside_policy");
    let batch = fixture.as_member(
        editor,
        "POST",
        "/v1/tables/deals/records:batchDelete",
        Some(&json!({"ids": [fixture.id("e2"), fixture.id("x1")]})),
    );
    batch.assert_error(404, "RECORD_NOT_FOUND");
    let by_filter = call(
        "DELETE",
        "/v1/tables/deals/records?filter[amount][gte]=0",
        &editor.access,
        &[("x-base-id", &fixture.base.base), ("x-allow-filtered-delete", "true")],
        None,
    );
    assert_eq!((by_filter.status, by_filter.json()["deleted"].clone()), (200, json!(3)), "{}", by_filter.text);

    // What is stored: the editor's own three deals gone (one updated first), the rest untouched.
    let after = stored(&fixture);
    let others: Vec<_> = before.iter().filter(|(_, owner, _)| *owner != editor.email).cloned().collect();
    assert_eq!(after, others, "only the editor's own deals changed");
    assert!(!after.iter().any(|(title, _, _)| title == "new"), "{created_id} was the editor's, deleted with the rest");
    // The owner is not restricted, and /v1/meta shows the policies.
    let meta = call("GET", "/v1/meta/tables/deals", &fixture.base.token, &[], None);
    assert_eq!(meta.status, 200, "{}", meta.text);
    assert_eq!(meta.json()["policies"][0]["rows"]["value"], json!({"var": "user.email"}), "{}", meta.text);
}

#[test]
fn an_api_token_gets_the_token_policy() {
    let fixture = Fixture::new("policy-token");
    let set = fixture.set_policies(json!([
        {"subject": "token", "rows": {"field": "amount", "op": "lt", "value": 1000}, "read": ["title", "amount"]},
    ]));
    assert_eq!(set.status, 200, "{}", set.text);
    let token = &fixture.base.token;
    let listed = call("GET", "/v1/tables/deals/records?limit=100", token, &[], None);
    assert_eq!(titles(&listed), ["e1", "v1", "v3", "x1"]);
    denied(
        &call("GET", "/v1/tables/deals/records?filter[owner_email][eq]=x@example.org", token, &[], None),
        "field_not_readable",
    );
    let raise = call(
        "PATCH",
        &format!("/v1/tables/deals/records/{}", fixture.id("v1")),
        token,
        &[],
        Some(&json!({"values": {"amount": 5000}})),
    );
    denied(&raise, "row_outside_policy");
    // The owner, signed in, sees all six deals with every field.
    let owner = fixture.as_member(&fixture.base.owner, "GET", "/v1/tables/deals/records?limit=100", None);
    assert_eq!(titles(&owner).len(), 6);
    assert!(owner.json()["data"][0]["values"].get("secret").is_some(), "{}", owner.text);
    // Without the policy the token sees everything again.
    let cleared = fixture.set_policies(json!([]));
    assert_eq!(cleared.status, 200, "{}", cleared.text);
    assert_eq!(titles(&call("GET", "/v1/tables/deals/records?limit=100", token, &[], None)).len(), 6);
}

#[test]
fn policies_are_checked_when_set_and_hold_their_fields() {
    let fixture = Fixture::new("policy-checks");
    let refused = |policies: Value| {
        let reply = fixture.set_policies(policies);
        reply.assert_error(422, "VALIDATION_ERROR");
        reply
    };
    // A variable of the wrong kind of caller, an unknown field, a number compared to an email.
    refused(
        json!([{"subject": "token", "rows": {"field": "owner_email", "op": "eq", "value": {"var": "user.email"}}}]),
    );
    refused(json!([{"subject": "viewer", "read": ["title", "nope"]}]));
    refused(json!([{"subject": "viewer", "rows": {"field": "amount", "op": "eq", "value": {"var": "user.email"}}}]));
    refused(json!([{"subject": "viewer"}, {"subject": "viewer"}]));
    refused(json!([{"subject": "viewer", "rows": {"field": "deal.title", "op": "eq", "value": "x"}}]));
    let set = fixture.set_policies(json!([{"subject": "viewer", "read": ["title", "secret"]}]));
    assert_eq!(set.status, 200, "{}", set.text);
    let dropped = fixture.base.schema("DELETE", "/tables/deals/fields/secret", Value::Null);
    let body = dropped.assert_error(409, "SCHEMA_CONFLICT");
    assert_eq!(body["error"]["details"]["reason"], "field_in_use", "{}", dropped.text);
    assert_eq!(body["error"]["details"]["dependents"], json!(["policy viewer"]), "{}", dropped.text);
    // A viewer restricted on a table cannot be handed more of it through a view either:
    // views are defined by editors, so an editor policy keeps editors from defining them.
    let editor_policy = fixture.set_policies(json!([{"subject": "editor", "read": ["title"]}]));
    assert_eq!(editor_policy.status, 200, "{}", editor_policy.text);
    let view = manage(
        "POST",
        &format!("/bases/{}/views", fixture.base.base),
        Some(&fixture.editor.access),
        Some(&json!({"name": "all deals", "table": "deals"})),
    );
    denied(&view, "restricted_by_policy");
}
