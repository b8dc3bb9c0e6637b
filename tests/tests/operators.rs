//! The platform's operators through an edge host: only an account the operator CLI made an
//! operator reaches `/api/v1/operator/...`; tenants are found by name, id or a member's
//! email, with their workspaces, members, bases and usage; a tenant moves to another plan;
//! and a suspended tenant's tokens, members' sessions, management calls, meta answers and
//! published views (cached ones included) answer 403 `TENANT_SUSPENDED` at once, every
//! other tenant unaffected, until it is resumed. Each operator action is in the platform's
//! audit log.

use e2e::{Account, OwnBase, Reply, call, env, manage, origin_admin, register, send};
use serde_json::{Value, json};
use std::time::Duration;

/// The demo operator's access token.
fn operator() -> String {
    let fixture = &env().fixture;
    let login = json!({"email": fixture["operator_email"], "password": fixture["operator_password"]});
    let reply = manage("POST", "/auth/login", None, Some(&login));
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()["access_token"].as_str().expect("access token").to_owned()
}

fn operate(method: &str, path: &str, access: &str, body: Option<Value>) -> Reply {
    manage(method, &format!("/operator{path}"), Some(access), body.as_ref())
}

/// The tenant of the account's workspace, found as an operator by the account's email.
fn tenant_of(access: &str, account: &Account) -> Value {
    let reply = operate("GET", &format!("/tenants?q={}", account.email.replace('+', "%2B")), access, None);
    assert_eq!(reply.status, 200, "{}", reply.text);
    let tenants = reply.json()["data"].as_array().expect("tenants").clone();
    assert_eq!(tenants.len(), 1, "one tenant has this member: {tenants:?}");
    tenants[0].clone()
}

fn public(slug: &str) -> Reply {
    send("GET", &format!("{}/public/views/{slug}/data", env().edge_url), &[], None)
}

/// A base with a record, a cached published view and a session, for suspension.
struct Shop {
    own: OwnBase,
    slug: String,
}

fn shop(label: &str) -> Shop {
    let own = OwnBase::new(label);
    let table = own.schema("POST", "/tables", json!({"name": "items", "fields": [{"name": "name", "type": "text"}]}));
    assert_eq!(table.status, 201, "{}", table.text);
    own.created("items", json!({"name": "first"}));
    assert_eq!(own.schema("POST", "/views", json!({"name": "all", "table": "items", "fields": ["name"]})).status, 201);
    let slug = format!("{label}-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let published =
        own.schema("PUT", "/views/all/publish", json!({"enabled": true, "slug": slug, "cache": {"max_age": 600}}));
    assert_eq!(published.status, 200, "{}", published.text);
    Shop { own, slug }
}

/// What the suspended tenant's callers try: its token, its owner's session on the records
/// API and the management API, the meta answers, and its published view.
fn tenant_requests(shop: &Shop) -> Vec<(&'static str, Reply)> {
    let own = &shop.own;
    let base_header = [("x-base-id", own.base.as_str())];
    vec![
        ("token: list records", call("GET", "/v1/tables/items/records", &own.token, &[], None)),
        ("token: create a record", own.create("items", json!({"name": "more"}))),
        ("token: meta", call("GET", "/v1/meta/tables", &own.token, &[], None)),
        ("session: list records", call("GET", "/v1/tables/items/records", &own.owner.access, &base_header, None)),
        ("session: get the base", manage("GET", &format!("/bases/{}", own.base), Some(&own.owner.access), None)),
        (
            "session: list the bases",
            manage("GET", &format!("/workspaces/{}/bases", own.owner.workspace), Some(&own.owner.access), None),
        ),
        ("anyone: the published view", public(&shop.slug)),
    ]
}

#[test]
fn a_suspended_tenant_is_refused_everywhere_at_once_until_it_is_resumed() {
    let shop = shop("suspended");
    let access = operator();
    // The view's answer is in the edge's cache before the suspension.
    assert_eq!(public(&shop.slug).status, 200);
    let cached = public(&shop.slug);
    assert_eq!(cached.header("x-cache"), Some("HIT"), "{:?}", cached.headers);
    for (what, reply) in tenant_requests(&shop) {
        assert!(reply.status < 300, "{what} before: {}", reply.text);
    }
    let records = || -> i64 {
        let listed = e2e::get("/v1/tables/items/records?limit=100", Some(&shop.own.token));
        assert_eq!(listed.status, 200, "{}", listed.text);
        listed.json()["data"].as_array().expect("records").len() as i64
    };
    let before = records();
    let tenant = tenant_of(&access, &shop.own.owner);
    let tenant_id = tenant["id"].as_str().expect("tenant id").to_owned();
    assert_eq!(tenant["suspended_at"], Value::Null);
    assert_eq!(
        (tenant["workspaces"].as_i64(), tenant["bases"].as_i64(), tenant["members"].as_i64()),
        (Some(1), Some(1), Some(1))
    );

    let reason = "Unpaid invoices since October (ticket 4411)";
    let suspended = operate("POST", &format!("/tenants/{tenant_id}/suspend"), &access, Some(json!({"reason": reason})));
    assert_eq!(suspended.status, 200, "{}", suspended.text);
    assert!(suspended.json()["suspended_at"].is_string(), "{}", suspended.text);
    assert_eq!(suspended.json()["suspended_reason"], reason);

    // Everything of the tenant is refused at once: the origin answers from the control
    // plane, and the edges' caches were pushed as changed (the view's cached answer too).
    e2e::wait_until("the push reaches the edge", Duration::from_secs(5), || public(&shop.slug).status == 403);
    for (what, reply) in tenant_requests(&shop) {
        let body = reply.assert_error(403, "TENANT_SUSPENDED");
        assert_eq!(body["error"]["details"]["tenant"], tenant_id.as_str(), "{what}");
        assert!(!reply.text.contains(reason), "{what}: the operators' reason stays with them");
    }
    // The tenant's members still sign in and see why.
    let me = manage("GET", "/workspaces", Some(&shop.own.owner.access), None);
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(me.json()["data"][0]["suspended"], true);
    // Other tenants are served as before.
    let other = call("GET", "/v1/tables/customers/records?limit=1", env().fixture_str("token_rw"), &[], None);
    assert_eq!(other.status, 200, "{}", other.text);

    // The platform's audit log has the suspension, by the operator, with the reason.
    let audit = operate("GET", &format!("/audit?tenant={tenant_id}&action=tenant.*"), &access, None);
    assert_eq!(audit.status, 200, "{}", audit.text);
    let events = audit.json()["data"].as_array().expect("events").clone();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["action"], "tenant.suspend");
    assert_eq!(events[0]["after"]["reason"], reason);
    assert!(events[0]["actor"].as_str().is_some_and(|actor| actor.starts_with("user:")), "{events:?}");

    let resumed = operate("POST", &format!("/tenants/{tenant_id}/resume"), &access, None);
    assert_eq!(resumed.status, 200, "{}", resumed.text);
    assert_eq!(resumed.json()["suspended_at"], Value::Null);
    e2e::wait_until("the push reaches the edge", Duration::from_secs(5), || public(&shop.slug).status == 200);
    assert_eq!(records(), before, "nothing was written while suspended");
    for (what, reply) in tenant_requests(&shop) {
        assert!(reply.status < 300, "{what} after resuming: {}", reply.text);
    }
    let audit = operate("GET", &format!("/audit?tenant={tenant_id}&action=tenant.*"), &access, None);
    let actions: Vec<Value> =
        audit.json()["data"].as_array().expect("events").iter().map(|event| event["action"].clone()).collect();
    assert_eq!(actions, [json!("tenant.resume"), json!("tenant.suspend")]);
}

#[test]
fn only_operators_reach_the_operator_api() {
    let account = register("not-operator");
    let anonymous = manage("GET", "/operator/tenants", None, None);
    anonymous.assert_error(401, "AUTH_REQUIRED");
    let tenant = uuid::Uuid::new_v4().to_string();
    for operation in shared::api::OPERATIONS.iter().filter(|operation| operation.tag == shared::api::Tag::Platform) {
        let path = operation.path.replace("{tenantId}", &tenant);
        let body = operation.request.map(|_| json!({"plan": "standard", "reason": "x"}));
        let body = match operation.id {
            shared::api::OperationId::SetTenantPlan => Some(json!({"plan": "standard"})),
            shared::api::OperationId::SuspendTenant => Some(json!({"reason": "x"})),
            _ => body,
        };
        let bytes = body.map(|body| serde_json::to_vec(&body).expect("json"));
        let authorization = format!("Bearer {}", account.access);
        let mut headers = vec![("authorization", authorization.as_str())];
        if bytes.is_some() {
            headers.push(("content-type", "application/json"));
        }
        let reply = send(operation.method.as_str(), &format!("{}{path}", env().edge_url), &headers, bytes.as_deref());
        let body = reply.assert_error(403, "FORBIDDEN");
        assert_eq!(body["error"]["details"]["required_role"], "operator", "{}", operation.name);
    }
    // The CLI makes an account an operator, and takes it back.
    origin_admin(&["operator", "--email", &account.email]);
    let me = manage("GET", "/auth/me", Some(&account.access), None);
    assert_eq!(me.json()["operator"], true, "{}", me.text);
    assert_eq!(operate("GET", "/plans", &account.access, None).status, 200);
    origin_admin(&["operator", "--email", &account.email, "--revoke"]);
    operate("GET", "/plans", &account.access, None).assert_error(403, "FORBIDDEN");
    assert_eq!(manage("GET", "/auth/me", Some(&account.access), None).json()["operator"], false);
}

#[test]
fn operators_read_tenants_plans_and_health_and_move_a_tenant_to_another_plan() {
    let access = operator();
    let shop = shop("planned");
    let tenant = tenant_of(&access, &shop.own.owner);
    let tenant_id = tenant["id"].as_str().expect("tenant id").to_owned();
    // Found by its id, its base's id and part of its name too.
    for q in [tenant_id.as_str(), shop.own.base.as_str(), "planne"] {
        let found = operate("GET", &format!("/tenants?q={q}&limit=500"), &access, None);
        assert_eq!(found.status, 200, "{}", found.text);
        let found = found.json();
        let ids: Vec<&str> =
            found["data"].as_array().expect("tenants").iter().filter_map(|t| t["id"].as_str()).collect();
        assert!(ids.contains(&tenant_id.as_str()), "q={q}: {ids:?}");
        assert!(found["total"].as_i64() >= Some(2), "{found}");
    }
    let detail = operate("GET", &format!("/tenants/{tenant_id}"), &access, None);
    assert_eq!(detail.status, 200, "{}", detail.text);
    let detail = detail.json();
    assert_eq!(detail["plan"]["name"], "standard");
    let workspace = &detail["workspaces"][0];
    assert_eq!(workspace["id"], shop.own.owner.workspace.as_str());
    assert_eq!(workspace["members"][0]["email"], shop.own.owner.email.as_str());
    assert_eq!(workspace["members"][0]["role"], "owner");
    assert_eq!(workspace["bases"][0]["id"], shop.own.base.as_str());
    assert_eq!(workspace["bases"][0]["tables"], 1);
    assert!(workspace["bases"][0]["quota"]["used"].is_u64(), "{workspace}");

    // Another plan, made with the CLI, then given by an operator.
    let plan = format!("plan-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    origin_admin(&["put-plan", "--name", &plan, "--rate-limit", "7/60"]);
    let plans = operate("GET", "/plans", &access, None).json();
    let listed = plans["data"].as_array().expect("plans").iter().find(|p| p["name"] == plan.as_str()).cloned();
    assert_eq!(listed.expect("the new plan is listed")["rate_limit"], json!({"requests": 7, "window_seconds": 60}));
    let unknown = operate("PUT", &format!("/tenants/{tenant_id}/plan"), &access, Some(json!({"plan": "no-such-plan"})));
    let body = unknown.assert_error(422, "VALIDATION_ERROR");
    assert!(body["error"]["details"]["plans"].as_array().is_some_and(|plans| plans.contains(&json!(plan))), "{body}");
    let moved = operate("PUT", &format!("/tenants/{tenant_id}/plan"), &access, Some(json!({"plan": plan})));
    assert_eq!(moved.status, 200, "{}", moved.text);
    assert_eq!(moved.json()["plan"], plan.as_str());
    // The tenant's tokens take the plan's rate limit: the origins forgot theirs at once, an
    // edge keeps a token's record for its cache TTL.
    let ttl: u64 = std::env::var("E2E_TOKEN_TTL_SECONDS").ok().and_then(|ttl| ttl.parse().ok()).unwrap_or(60);
    e2e::wait_until("the new limit applies", Duration::from_secs(ttl + 5), || {
        let reply = call("GET", "/v1/tables/items/records", &shop.own.token, &[], None);
        reply.header("ratelimit-limit") == Some("7")
            || reply.header("ratelimit-policy").is_some_and(|p| p.starts_with("7;"))
    });
    let audit = operate("GET", &format!("/audit?tenant={tenant_id}&action=tenant.plan"), &access, None).json();
    assert_eq!(audit["data"][0]["after"], json!({"before": "standard", "plan": plan}));

    // Hostile and malformed input is refused in the error model.
    let missing = uuid::Uuid::new_v4();
    operate("GET", &format!("/tenants/{missing}"), &access, None).assert_error(404, "NOT_FOUND");
    operate("POST", &format!("/tenants/{missing}/resume"), &access, None).assert_error(404, "NOT_FOUND");
    operate("GET", "/tenants/not-a-uuid", &access, None).assert_error(404, "NOT_FOUND");
    let long = "x".repeat(101);
    operate("GET", &format!("/tenants?q={long}"), &access, None).assert_error(400, "INVALID_QUERY");
    operate("GET", "/tenants?limit=501", &access, None).assert_error(400, "INVALID_QUERY");
    operate("GET", "/tenants?sort=name", &access, None).assert_error(400, "INVALID_QUERY");
    operate("GET", "/audit?tenant=nope", &access, None).assert_error(400, "INVALID_QUERY");
    for reason in ["", "   ", "line\nbreak", &"r".repeat(501)] {
        let reply = operate("POST", &format!("/tenants/{tenant_id}/suspend"), &access, Some(json!({"reason": reason})));
        reply.assert_error(422, "VALIDATION_ERROR");
    }
    let extra =
        operate("POST", &format!("/tenants/{tenant_id}/suspend"), &access, Some(json!({"reason": "x", "days": 3})));
    extra.assert_error(400, "INVALID_REQUEST");
    // None of that suspended it.
    let detail = operate("GET", &format!("/tenants/{tenant_id}"), &access, None);
    assert_eq!(detail.json()["tenant"]["suspended_at"], Value::Null, "{}", detail.text);

    let health = operate("GET", "/health", &access, None);
    assert_eq!(health.status, 200, "{}", health.text);
    let health = health.json();
    assert_eq!(health["status"], "ok", "{health}");
    let planes: Vec<(&str, &str)> = health["planes"]
        .as_array()
        .expect("planes")
        .iter()
        .map(|plane| (plane["name"].as_str().unwrap_or(""), plane["state"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(planes, [("control", "ok"), ("data", "ok"), ("logs", "ok")]);
    assert!(health["tenants"].as_i64() >= Some(2), "{health}");
}
