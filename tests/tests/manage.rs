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

/// What one role's cases act on: fresh targets, made by the owner, so that one role's
/// deletions leave the next role something to delete.
struct Targets {
    ws: String,
    base: String,
    spare_base: String,
    token: String,
    member: String,
    invitation: String,
    records: [String; 4],
    view: String,
    key: String,
    job: String,
    /// A succeeded export of `base`, to restore from.
    archive: String,
    /// A webhook endpoint to change, and one to delete.
    webhooks: [String; 2],
    /// The change that created a record, to revert.
    creation: i64,
    suffix: String,
}

impl Targets {
    fn new(owner: &Account, base: &str, role: &str) -> Targets {
        let access = Some(owner.access.as_str());
        let suffix = format!("{role}_{}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
        let created = |path: &str, body: Value| {
            let reply = post(path, access, &body);
            assert!((200..300).contains(&reply.status), "{path}: {}", reply.text);
            reply.json()
        };
        let token = created(&format!("/bases/{base}/tokens"), json!({"name": "t", "scopes": ["read"]}));
        let spare = register("spare");
        e2e::add_member(owner, &spare, "viewer");
        let invited = request(
            "PUT",
            &format!("/workspaces/{}/members", owner.workspace),
            access,
            Some(&json!({"email": format!("invitee-{suffix}@example.org"), "role": "viewer"})),
        );
        assert_eq!(invited.status, 202, "{}", invited.text);
        let table = format!("/bases/{base}/tables");
        for name in ["renamed", "dropped"] {
            created(&table, json!({"name": format!("{name}_{suffix}")}));
        }
        for name in ["updated", "dropped", "indexed"] {
            created(&format!("{table}/things/fields"), json!({"name": format!("{name}_{suffix}"), "type": "text"}));
        }
        let index = json!({"name": format!("unindexed_{suffix}"), "fields": [format!("indexed_{suffix}:desc")]});
        created(&format!("{table}/things/indexes"), index);
        let views = format!("/bases/{base}/views");
        for name in ["view", "rolled", "deleted"] {
            created(&views, json!({"name": format!("{name}_{suffix}"), "table": "things", "fields": ["label"]}));
        }
        let update =
            json!({"name": format!("rolled_{suffix}"), "table": "things", "fields": ["label"], "default_limit": 10});
        assert_eq!(request("PUT", &format!("{views}/rolled_{suffix}"), access, Some(&update)).status, 200);
        let publish =
            json!({"enabled": true, "slug": format!("rbac-{}", suffix.replace('_', "-")), "auth": "view_key"});
        assert_eq!(request("PUT", &format!("{views}/view_{suffix}/publish"), access, Some(&publish)).status, 200);
        let key = created(&format!("{views}/view_{suffix}/keys"), json!({"name": "k"}));
        let webhook = || {
            let hook = created(&format!("/bases/{base}/webhooks"), json!({"name": "w", "url": "http://127.0.0.1:9/w"}));
            hook["id"].as_str().expect("webhook id").to_owned()
        };
        let record = || {
            let reply = records("POST", base, access, Some(&json!({"values": {"label": "target"}})), "");
            assert_eq!(reply.status, 201, "{}", reply.text);
            reply.json()["id"].as_str().expect("record id").to_owned()
        };
        let authorization = format!("Bearer {}", owner.access);
        let export = e2e::send(
            "GET",
            &format!("{}/v1/tables/things/export:csv", env().edge_url),
            &[("authorization", &authorization), ("x-base-id", base)],
            None,
        );
        assert_eq!(export.status, 202, "{}", export.text);
        let archive = request("POST", &format!("/bases/{base}/export"), access, Some(&json!({})));
        assert_eq!(archive.status, 202, "{}", archive.text);
        let archive = e2e::finished_job(owner, base, archive.json()["id"].as_str().expect("job id"));
        assert_eq!(archive["state"], "succeeded", "{archive}");
        Targets {
            archive: archive["id"].as_str().expect("job id").to_owned(),
            job: export.json()["id"].as_str().expect("job id").to_owned(),
            ws: owner.workspace.clone(),
            base: base.to_owned(),
            spare_base: spare_base(owner),
            token: token["id"].as_str().expect("token id").to_owned(),
            member: spare.id.clone(),
            invitation: invited.json()["invitation"]["id"].as_str().expect("invitation id").to_owned(),
            records: [record(), record(), record(), record()],
            view: format!("view_{suffix}"),
            key: key["id"].as_str().expect("key id").to_owned(),
            webhooks: [webhook(), webhook()],
            creation: {
                let id = record();
                let history = request("GET", &format!("/bases/{base}/tables/things/history?record={id}"), access, None);
                history.json()["data"][0]["seq"].as_i64().expect("the creation's change")
            },
            suffix,
        }
    }

    /// The request that exercises `operation` on these targets: path (under `/api/v1` for the
    /// management API) and body. `None` for an operation without a case yet.
    fn case(&self, operation: shared::api::OperationId) -> Option<(String, Option<Value>)> {
        use shared::api::OperationId as Id;
        let Targets {
            ws,
            base,
            spare_base,
            token,
            member,
            invitation,
            records,
            view,
            key,
            job,
            archive,
            webhooks,
            creation,
            suffix,
        } = self;
        let [webhook, deleted_webhook] = webhooks;
        let [kept, deleted, listed, batched] = records;
        let things = "/v1/tables/things/records";
        let case = match operation {
            Id::ListRecords => (things.to_owned(), None),
            Id::CreateRecord => (things.to_owned(), Some(json!({"values": {"label": "made"}}))),
            Id::DeleteRecords => (format!("{things}?ids[]={listed}"), None),
            Id::GetRecord => (format!("{things}/{kept}"), None),
            Id::UpdateRecord => (format!("{things}/{kept}"), Some(json!({"values": {"label": "changed"}}))),
            Id::DeleteRecord => (format!("{things}/{deleted}"), None),
            Id::BatchUpsertRecords => {
                (format!("{things}:batchUpsert"), Some(json!({"items": [{"values": {"label": "batched"}}]})))
            }
            Id::BatchDeleteRecords => (format!("{things}:batchDelete"), Some(json!({"ids": [batched]}))),
            Id::ValidateRecord => (format!("{things}:validate"), Some(json!({"values": {"label": "checked"}}))),
            Id::SignUpload => (
                "/v1/files:signUpload".to_owned(),
                Some(json!({"name": "a.csv", "content_type": "text/csv", "size": 10})),
            ),
            Id::ImportCsv => ("/v1/tables/things/import:csv".to_owned(), Some(json!({"csv": "label\nimported\n"}))),
            Id::ExportCsv => ("/v1/tables/things/export:csv".to_owned(), None),
            Id::GetJob => (format!("/v1/jobs/{job}"), None),
            Id::CancelJob => (format!("/v1/jobs/{job}/cancel"), None),
            Id::WatchJob => (format!("/v1/jobs/{job}/events"), None),
            Id::WatchRecords => ("/v1/tables/things/events".to_owned(), None),
            Id::PollRecords => ("/v1/tables/things/events:poll?wait=0".to_owned(), None),
            Id::GetBaseOpenApi => ("/v1/meta/openapi.json".to_owned(), None),
            Id::ListTables => ("/v1/meta/tables".to_owned(), None),
            Id::GetTable => ("/v1/meta/tables/things".to_owned(), None),
            Id::ListMembers => (format!("/workspaces/{ws}/members"), None),
            Id::SetMember => (
                format!("/workspaces/{ws}/members"),
                Some(json!({"email": format!("set-{suffix}@example.org"), "role": "viewer"})),
            ),
            Id::RemoveMember => (format!("/workspaces/{ws}/members/{member}"), None),
            Id::ListInvitations => (format!("/workspaces/{ws}/invitations"), None),
            Id::RevokeInvitation => (format!("/workspaces/{ws}/invitations/{invitation}"), None),
            Id::ListBases => (format!("/workspaces/{ws}/bases"), None),
            Id::CreateBase => (format!("/workspaces/{ws}/bases"), Some(json!({"name": "b"}))),
            Id::GetBase => (format!("/bases/{base}"), None),
            Id::GetBaseReference => (format!("/bases/{base}/openapi.json"), None),
            Id::DeleteBase => (format!("/bases/{spare_base}"), None),
            Id::ExportBase => (format!("/bases/{base}/export"), Some(json!({"include_files": false}))),
            Id::RestoreBase => (
                format!("/workspaces/{ws}/bases:restore"),
                Some(json!({"name": "restored", "from": {"base": base, "job": archive}})),
            ),
            Id::CloneBase => (format!("/bases/{base}/clone"), Some(json!({"name": "cloned", "include_files": false}))),
            Id::GetUsage => (format!("/bases/{base}/usage"), None),
            Id::SetQuota => (format!("/bases/{base}/quota"), Some(json!({"monthly_request_quota": null}))),
            Id::SetFileSettings => (format!("/bases/{base}/files/settings"), Some(json!({}))),
            Id::ListChanges => (format!("/bases/{base}/changes"), None),
            Id::ListTableHistory => (format!("/bases/{base}/tables/things/history"), None),
            Id::ListTokens => (format!("/bases/{base}/tokens"), None),
            Id::CreateToken => (format!("/bases/{base}/tokens"), Some(json!({"name": "t", "scopes": ["read"]}))),
            Id::RevokeToken => (format!("/bases/{base}/tokens/{token}"), None),
            Id::ListSchemaOps => (format!("/bases/{base}/schema-ops"), None),
            Id::CreateTable => (format!("/bases/{base}/tables"), Some(json!({"name": format!("made_{suffix}")}))),
            Id::RenameTable => (
                format!("/bases/{base}/tables/renamed_{suffix}"),
                Some(json!({"name": format!("renamed_again_{suffix}")})),
            ),
            Id::DropTable => (format!("/bases/{base}/tables/dropped_{suffix}"), None),
            Id::AddField => (
                format!("/bases/{base}/tables/things/fields"),
                Some(json!({"name": format!("added_{suffix}"), "type": "number"})),
            ),
            Id::UpdateField => (
                format!("/bases/{base}/tables/things/fields/updated_{suffix}"),
                Some(json!({"name": format!("updated_again_{suffix}")})),
            ),
            Id::DropField => (format!("/bases/{base}/tables/things/fields/dropped_{suffix}"), None),
            Id::ConvertField => (
                format!("/bases/{base}/tables/things/fields/label/convert"),
                Some(json!({"type": "number", "into": format!("converted_{suffix}")})),
            ),
            // Empty lists: each allowed call leaves the table as the other cases expect it.
            Id::SetTableRules => {
                (format!("/bases/{base}/tables/things/rules"), Some(json!({"rules": [], "unique": []})))
            }
            Id::ListDropped => (format!("/bases/{base}/dropped"), None),
            Id::ListIndexes => (format!("/bases/{base}/tables/things/indexes"), None),
            Id::AddIndex => {
                (format!("/bases/{base}/tables/things/indexes"), Some(json!({"fields": [format!("indexed_{suffix}")]})))
            }
            Id::DropIndex => (format!("/bases/{base}/tables/things/indexes/unindexed_{suffix}"), None),
            Id::PurgeDropped => (format!("/bases/{base}/dropped/{spare_base}/purge"), Some(json!({"confirm": "x"}))),
            Id::RevertSchemaOp => (format!("/bases/{base}/schema-ops/{spare_base}/revert"), None),
            Id::SetTablePolicies => (format!("/bases/{base}/tables/things/policies"), Some(json!({"policies": []}))),
            Id::ListViews => (format!("/bases/{base}/views"), None),
            Id::CreateView => (
                format!("/bases/{base}/views"),
                Some(json!({"name": format!("made_{suffix}"), "table": "things", "fields": ["label"]})),
            ),
            Id::GetView => (format!("/bases/{base}/views/{view}"), None),
            Id::UpdateView => (
                format!("/bases/{base}/views/{view}"),
                Some(json!({"name": view, "table": "things", "fields": ["label"], "default_limit": 10})),
            ),
            Id::DeleteView => (format!("/bases/{base}/views/deleted_{suffix}"), None),
            Id::RollbackView => (format!("/bases/{base}/views/rolled_{suffix}/rollback"), Some(json!({"version": 1}))),
            Id::PublishView => {
                (format!("/bases/{base}/views/{view}/publish"), Some(json!({"enabled": true, "auth": "view_key"})))
            }
            Id::ListViewKeys => (format!("/bases/{base}/views/{view}/keys"), None),
            Id::CreateViewKey => (format!("/bases/{base}/views/{view}/keys"), Some(json!({"name": "k2"}))),
            Id::RevokeViewKey => (format!("/bases/{base}/views/{view}/keys/{key}"), None),
            Id::RevertChange => (format!("/bases/{base}/tables/things/history/{creation}/revert"), None),
            Id::UndoChanges => {
                (format!("/bases/{base}/changes:undo"), Some(json!({"after": "2999-01-01T00:00:00Z", "dry_run": true})))
            }
            Id::ListAuditEvents => (format!("/workspaces/{ws}/audit"), None),
            Id::ListWebhooks => (format!("/bases/{base}/webhooks"), None),
            Id::CreateWebhook => (
                format!("/bases/{base}/webhooks"),
                Some(json!({"name": format!("made_{suffix}"), "url": "http://127.0.0.1:9/made"})),
            ),
            Id::UpdateWebhook => (format!("/bases/{base}/webhooks/{webhook}"), Some(json!({"name": "renamed"}))),
            Id::DeleteWebhook => (format!("/bases/{base}/webhooks/{deleted_webhook}"), None),
            Id::RotateWebhookSecret => (format!("/bases/{base}/webhooks/{webhook}/secret"), None),
            Id::ListWebhookDeliveries => (format!("/bases/{base}/webhooks/{webhook}/deliveries"), None),
            Id::RedeliverWebhook => (format!("/bases/{base}/webhooks/{webhook}/deliveries/1/redeliver"), None),
            _ => return None,
        };
        Some(case)
    }
}

/// Every operation a role or a scope decides, derived from the API's declaration, for every
/// role: allowed answers 2xx, denied answers 403 (`FORBIDDEN` by role, `INSUFFICIENT_SCOPE`
/// by the scopes a role grants). A declared operation without a case fails the test.
#[test]
fn rbac_matrix() {
    use shared::api::{Caller, OPERATIONS};
    use shared::manage::Role;
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
    let mut cases = 0;
    let roles: Vec<(&str, &Account)> =
        std::iter::once(("owner", &owner)).chain(members.iter().map(|(role, account)| (*role, account))).collect();
    for (name, account) in &roles {
        let role = Role::parse(name).expect("role");
        let token = Some(account.access.as_str());
        let targets = Targets::new(&owner, &base, name);
        for operation in OPERATIONS {
            let allowed = match operation.caller {
                Caller::Member(action) => role.can(action),
                Caller::Token(scope) => role.scopes().contains(&scope),
                _ => continue,
            };
            let Some((path, body)) = targets.case(operation.id) else {
                failures.push(format!("{}: no case in this matrix", operation.name));
                continue;
            };
            let method = operation.method.as_str();
            let reply = match path.strip_prefix("/v1/tables/things/records") {
                Some(rest) => records(method, &base, token, body.as_ref(), rest),
                None if path.starts_with("/v1/") => {
                    let mut headers =
                        vec![("authorization", format!("Bearer {}", account.access)), ("x-base-id", base.clone())];
                    if body.is_some() {
                        headers.push(("content-type", "application/json".to_owned()));
                    }
                    let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    let url = format!("{}{path}", env().edge_url);
                    if operation.events {
                        // The head says whether the stream opened; it is closed at once.
                        match e2e::open_events(&url, &headers) {
                            Ok(stream) => e2e::Reply { status: 200, headers: stream.headers, text: String::new() },
                            Err(reply) => reply,
                        }
                    } else {
                        let bytes = body.map(|body| serde_json::to_vec(&body).expect("json"));
                        e2e::send(method, &url, &headers, bytes.as_deref())
                    }
                }
                None => request(method, &path, token, body.as_ref()),
            };
            cases += 1;
            use shared::api::OperationId as Op;
            // A purge needs an item past its retention, a revert an operation, and a redelivery
            // a delivery: here none exists, so a role that may is answered 404 (after its role
            // was checked), one that may not 403.
            let ok = (200..300).contains(&reply.status)
                || [Op::PurgeDropped, Op::RevertSchemaOp, Op::RedeliverWebhook].contains(&operation.id)
                    && reply.status == 404;
            let denied = reply.status == 403
                && ["FORBIDDEN", "INSUFFICIENT_SCOPE"].contains(&reply.json()["error"]["code"].as_str().unwrap_or(""));
            if (allowed && !ok) || (!allowed && !denied) {
                failures.push(format!("{name} {}: {} {}", operation.name, reply.status, reply.text));
            }
        }
        // Where the target asks more of the role than the declaration: granting the admin role.
        let admin = json!({"email": format!("admin-{}@example.org", targets.suffix), "role": "admin"});
        let reply = request("PUT", &format!("/workspaces/{}/members", targets.ws), token, Some(&admin));
        let expected = if *name == "owner" { 202 } else { 403 };
        if reply.status != expected {
            failures.push(format!("{name} invites an admin: {} {}", reply.status, reply.text));
        }
    }
    assert!(cases >= 4 * 40, "{cases} cases");
    // Someone outside the workspace learns nothing about it.
    let ws = &owner.workspace;
    request("GET", &format!("/workspaces/{ws}/bases"), Some(&outsider.access), None).assert_error(404, "NOT_FOUND");
    request("GET", &format!("/bases/{base}/tokens"), Some(&outsider.access), None).assert_error(404, "NOT_FOUND");
    request("GET", &format!("/bases/{base}"), Some(&outsider.access), None).assert_error(404, "NOT_FOUND");
    records("GET", &base, Some(&outsider.access), None, "").assert_error(404, "NOT_FOUND");
    assert!(failures.is_empty(), "via {}:\n{}", env().edge_name, failures.join("\n"));
    // The last owner cannot leave the workspace ownerless.
    let me = request("GET", "/auth/me", Some(&owner.access), None).json();
    let owner_id = me["id"].as_str().expect("id");
    request("DELETE", &format!("/workspaces/{ws}/members/{owner_id}"), Some(&owner.access), None)
        .assert_error(422, "VALIDATION_ERROR");
}

/// A records request to the `things` table of `base` as a signed-in user; `rest` follows
/// `/records` (`/{id}`, `:batchUpsert`, `?ids[]=…`).
fn records(method: &str, base: &str, access: Option<&str>, body: Option<&Value>, rest: &str) -> Reply {
    let authorization = access.map(|token| format!("Bearer {token}")).unwrap_or_default();
    let mut headers = vec![("authorization", authorization.as_str()), ("x-base-id", base)];
    if body.is_some() {
        headers.push(("content-type", "application/json"));
    }
    let bytes = body.map(|body| serde_json::to_vec(body).expect("json"));
    e2e::send(method, &format!("{}/v1/tables/things/records{rest}", env().edge_url), &headers, bytes.as_deref())
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
