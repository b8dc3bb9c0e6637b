//! The management API through an edge host: accounts and sessions, roles, bases and API
//! tokens, with secrets kept out of every answer and log.

use e2e::{Account, Reply, env, get, manage, register};
use serde_json::{Value, json};

fn post(path: &str, token: Option<&str>, body: &Value) -> Reply {
    manage("POST", path, token, Some(body))
}

fn request(method: &str, path: &str, token: Option<&str>, body: Option<&Value>) -> Reply {
    manage(method, path, token, body)
}

#[test]
fn register_login_me() {
    let account = register("ada");
    let me = request("GET", "/auth/me", Some(&account.access), None);
    assert_eq!(me.status, 200, "{}", me.text);
    let body = me.json();
    assert_eq!(body["email"], account.email);
    assert_eq!(body["workspaces"][0]["role"], "owner");
    assert_eq!(body["workspaces"][0]["id"], account.workspace.as_str());
    let login =
        post("/auth/login", None, &json!({"email": account.email.to_uppercase(), "password": account.password}));
    assert_eq!(login.status, 200, "{}", login.text);
    assert!(login.json()["access_token"].as_str().is_some_and(|token| token.starts_with("eyJ")));
    post("/auth/login", None, &json!({"email": account.email, "password": "wrong password!"}))
        .assert_error(401, "INVALID_CREDENTIALS");
    post("/auth/login", None, &json!({"email": "nobody@example.org", "password": "whatever it is"}))
        .assert_error(401, "INVALID_CREDENTIALS");
    post("/auth/register", None, &json!({"email": account.email, "password": "another password", "name": "x"}))
        .assert_error(409, "EMAIL_TAKEN");
    post("/auth/register", None, &json!({"email": "x@example.org", "password": "short", "name": "x"}))
        .assert_error(422, "VALIDATION_ERROR");
    request("GET", "/auth/me", None, None).assert_error(401, "AUTH_REQUIRED");
    request("GET", "/auth/me", Some(env().fixture_str("token_rw")), None).assert_error(401, "INVALID_TOKEN");
    let forged = format!("{}x", &account.access[..account.access.len() - 1]);
    request("GET", "/auth/me", Some(&forged), None).assert_error(401, "INVALID_TOKEN");
}

#[test]
fn refresh_rotates_and_reuse_revokes_the_session() {
    let account = register("rotate");
    let first = post("/auth/refresh", None, &json!({"refresh_token": account.refresh}));
    assert_eq!(first.status, 200, "{}", first.text);
    let next = first.json()["refresh_token"].as_str().expect("refresh").to_owned();
    assert_ne!(next, account.refresh);
    // The old token again: someone copied it. The whole session is revoked, the new token too.
    post("/auth/refresh", None, &json!({"refresh_token": account.refresh})).assert_error(401, "INVALID_TOKEN");
    post("/auth/refresh", None, &json!({"refresh_token": next})).assert_error(401, "INVALID_TOKEN");
    // Logout revokes a session.
    let login = post("/auth/login", None, &json!({"email": account.email, "password": account.password})).json();
    let refresh = login["refresh_token"].as_str().expect("refresh");
    assert_eq!(post("/auth/logout", None, &json!({"refresh_token": refresh})).status, 200);
    post("/auth/refresh", None, &json!({"refresh_token": refresh})).assert_error(401, "INVALID_TOKEN");
    post("/auth/refresh", None, &json!({"refresh_token": "nr_nope"})).assert_error(401, "INVALID_TOKEN");
}

/// Every role against every command: allowed answers 2xx, denied answers 403 FORBIDDEN.
#[test]
fn rbac_matrix() {
    let owner = register("owner");
    let members: Vec<(&str, Account)> =
        ["admin", "editor", "viewer"].into_iter().map(|role| (role, register(role))).collect();
    for (role, account) in &members {
        e2e::add_member(&owner, account, role);
    }
    let base = post(&format!("/workspaces/{}/bases", owner.workspace), Some(&owner.access), &json!({"name": "shared"}));
    assert_eq!(base.status, 201, "{}", base.text);
    let base = base.json()["id"].as_str().expect("base").to_owned();
    let table = post(
        &format!("/bases/{base}/tables"),
        Some(&owner.access),
        &json!({"name": "things", "fields": [{"name": "label", "type": "text"}]}),
    );
    assert_eq!(table.status, 201, "{}", table.text);
    let outsider = register("outsider");
    let mut failures = Vec::new();
    let roles: Vec<(&str, &Account)> =
        std::iter::once(("owner", &owner)).chain(members.iter().map(|(role, account)| (*role, account))).collect();
    for (role, account) in &roles {
        let token = Some(account.access.as_str());
        let ws = &owner.workspace;
        let all = ["owner", "admin", "editor", "viewer"];
        let writers = ["owner", "admin", "editor"];
        let spare = register("spare");
        let created_token =
            post(&format!("/bases/{base}/tokens"), Some(&owner.access), &json!({"name": "t", "scopes": ["read"]}));
        let token_id = created_token.json()["id"].as_str().expect("token id").to_owned();
        let cases: Vec<(&str, Reply, &[&str])> = vec![
            (
                "list members",
                request("GET", &format!("/workspaces/{ws}/members"), token, None),
                &["owner", "admin", "editor", "viewer"],
            ),
            (
                "list bases",
                request("GET", &format!("/workspaces/{ws}/bases"), token, None),
                &["owner", "admin", "editor", "viewer"],
            ),
            (
                "add a viewer",
                request(
                    "PUT",
                    &format!("/workspaces/{ws}/members"),
                    token,
                    Some(&json!({"email": spare.email, "role": "viewer"})),
                ),
                &["owner", "admin"],
            ),
            (
                "make an admin",
                request(
                    "PUT",
                    &format!("/workspaces/{ws}/members"),
                    token,
                    Some(&json!({"email": spare.email, "role": "admin"})),
                ),
                &["owner"],
            ),
            (
                "create a base",
                post(&format!("/workspaces/{ws}/bases"), token, &json!({"name": "b"})),
                &["owner", "admin"],
            ),
            (
                "create a token",
                post(&format!("/bases/{base}/tokens"), token, &json!({"name": "t", "scopes": ["read"]})),
                &["owner", "admin"],
            ),
            ("list tokens", request("GET", &format!("/bases/{base}/tokens"), token, None), &["owner", "admin"]),
            (
                "revoke a token",
                request("DELETE", &format!("/bases/{base}/tokens/{token_id}"), token, None),
                &["owner", "admin"],
            ),
            ("read the schema", request("GET", &format!("/bases/{base}"), token, None), &all),
            (
                "create a table",
                post(&format!("/bases/{base}/tables"), token, &json!({"name": format!("made_by_{role}")})),
                &["owner", "admin"],
            ),
            (
                "add a field",
                post(
                    &format!("/bases/{base}/tables/things/fields"),
                    token,
                    &json!({"name": format!("added_by_{role}"), "type": "number"}),
                ),
                &["owner", "admin"],
            ),
            (
                "preview a change",
                post(
                    &format!("/bases/{base}/tables/things/fields?dry_run=true"),
                    token,
                    &json!({"name": "preview", "type": "text"}),
                ),
                &["owner", "admin"],
            ),
            (
                "list schema operations",
                request("GET", &format!("/bases/{base}/schema-ops"), token, None),
                &["owner", "admin"],
            ),
            (
                "delete a base",
                request("DELETE", &format!("/bases/{}", spare_base(&owner)), token, None),
                &["owner", "admin"],
            ),
            ("read records", records("GET", &base, token, None), &all),
            ("create a record", records("POST", &base, token, Some(&json!({"values": {"label": role}}))), &writers),
        ];
        for (operation, reply, allowed) in cases {
            let expected_ok = allowed.contains(role);
            let ok = (200..300).contains(&reply.status);
            // The management API refuses by role; the records API by the scopes the role grants.
            let denied = reply.status == 403
                && ["FORBIDDEN", "INSUFFICIENT_SCOPE"].contains(&reply.json()["error"]["code"].as_str().unwrap_or(""));
            if (expected_ok && !ok) || (!expected_ok && !denied) {
                failures.push(format!("{role} {operation}: {} {}", reply.status, reply.text));
            }
        }
    }
    // Someone outside the workspace learns nothing about it.
    let ws = &owner.workspace;
    request("GET", &format!("/workspaces/{ws}/bases"), Some(&outsider.access), None).assert_error(404, "NOT_FOUND");
    request("GET", &format!("/bases/{base}/tokens"), Some(&outsider.access), None).assert_error(404, "NOT_FOUND");
    request("GET", &format!("/bases/{base}"), Some(&outsider.access), None).assert_error(404, "NOT_FOUND");
    records("GET", &base, Some(&outsider.access), None).assert_error(404, "NOT_FOUND");
    assert!(failures.is_empty(), "via {}:\n{}", env().edge_name, failures.join("\n"));
    // The last owner cannot leave the workspace ownerless.
    let me = request("GET", "/auth/me", Some(&owner.access), None).json();
    let owner_id = me["id"].as_str().expect("id");
    request("DELETE", &format!("/workspaces/{ws}/members/{owner_id}"), Some(&owner.access), None)
        .assert_error(422, "VALIDATION_ERROR");
}

/// A records request to the `things` table of `base` as a signed-in user.
fn records(method: &str, base: &str, access: Option<&str>, body: Option<&Value>) -> Reply {
    let authorization = access.map(|token| format!("Bearer {token}")).unwrap_or_default();
    let mut headers = vec![("authorization", authorization.as_str()), ("x-base-id", base)];
    if body.is_some() {
        headers.push(("content-type", "application/json"));
    }
    let bytes = body.map(|body| serde_json::to_vec(body).expect("json"));
    e2e::send(method, &format!("{}/v1/tables/things/records", env().edge_url), &headers, bytes.as_deref())
}

/// A base of the owner's workspace, to be deleted.
fn spare_base(owner: &Account) -> String {
    let reply = post(&format!("/workspaces/{}/bases", owner.workspace), Some(&owner.access), &json!({"name": "spare"}));
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.json()["id"].as_str().expect("base").to_owned()
}

#[test]
fn api_tokens_show_their_secret_once_and_revoke_at_once() {
    let email = env().fixture_str("user_email");
    let password = env().fixture_str("user_password");
    let login = post("/auth/login", None, &json!({"email": email, "password": password}));
    assert_eq!(login.status, 200, "{}", login.text);
    let access = login.json()["access_token"].as_str().expect("access").to_owned();
    let base = env().fixture_str("base_id");
    let created =
        post(&format!("/bases/{base}/tokens"), Some(&access), &json!({"name": "ci", "scopes": ["read", "write"]}));
    assert_eq!(created.status, 201, "{}", created.text);
    let body = created.json();
    let secret = body["token"].as_str().expect("token").to_owned();
    let token_id = body["id"].as_str().expect("id").to_owned();
    assert_eq!(get("/v1/tables/customers/records?limit=1", Some(&secret)).status, 200);
    let listed = request("GET", &format!("/bases/{base}/tokens"), Some(&access), None);
    assert!(listed.text.contains(&token_id) && !listed.text.contains(&secret[3 + 33..]), "list never shows secrets");
    let started = std::time::Instant::now();
    let revoked = request("DELETE", &format!("/bases/{base}/tokens/{token_id}"), Some(&access), None);
    assert_eq!(revoked.status, 200, "{}", revoked.text);
    // Records requests reach the origin, which checks the token's state on every plan.
    get("/v1/tables/customers/records?limit=1", Some(&secret)).assert_error(401, "INVALID_TOKEN");
    println!("revocation effective for records after {:?} via {}", started.elapsed(), env().edge_name);
    // Answers the edge gives on its own (meta) stop within the token-cache TTL.
    let ttl = std::env::var("E2E_TOKEN_TTL_SECONDS").ok().and_then(|ttl| ttl.parse::<u64>().ok()).unwrap_or(60);
    loop {
        let reply = get("/v1/meta/tables", Some(&secret));
        if reply.status == 401 {
            break;
        }
        assert!(started.elapsed().as_secs() <= ttl + 2, "still accepted at the edge after {:?}", started.elapsed());
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
    println!("revocation effective at the edge after {:?} (TTL {ttl} s)", started.elapsed());
    let expired = post(
        &format!("/bases/{base}/tokens"),
        Some(&access),
        &json!({"name": "old", "scopes": ["read"], "expires_at": "2020-01-01T00:00:00Z"}),
    );
    expired.assert_error(422, "VALIDATION_ERROR");
}

#[test]
fn secrets_never_reach_the_logs() {
    let account = register("quiet");
    let token = post(&format!("/workspaces/{}/bases", account.workspace), Some(&account.access), &json!({"name": "q"}));
    let base = token.json()["id"].as_str().expect("base").to_owned();
    let created =
        post(&format!("/bases/{base}/tokens"), Some(&account.access), &json!({"name": "t", "scopes": ["read"]}));
    let secret = created.json()["token"].as_str().expect("token").to_owned();
    let secrets = [account.password.as_str(), account.refresh.as_str(), secret.as_str()];
    // The audit log, as the admin role reads it.
    let logs_url = std::env::var("E2E_DATA_URL").expect("E2E_DATA_URL").replace("/nc_data", "/nc_logs");
    let mut audit = postgres::Client::connect(&logs_url, postgres::NoTls).expect("connect to the logs plane");
    let events: String = audit
        .query_one("SELECT coalesce(string_agg(t::text, E'\\n'), '') FROM audit_events t", &[])
        .expect("audit events")
        .get(0);
    assert!(events.contains(&account.email), "the audit log records the registration");
    for secret in secrets {
        assert!(!events.contains(secret), "an audit event contains a secret");
    }
    let logs = std::env::var("E2E_LOG_DIR").expect("E2E_LOG_DIR");
    for entry in std::fs::read_dir(&logs).expect("log dir") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for secret in secrets {
            assert!(!text.contains(secret), "{} contains a secret", path.display());
        }
    }
}
