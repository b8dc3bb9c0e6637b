//! Accounts against hostile callers, through an edge host: invitations instead of adding
//! people unasked, sign-in throttling per account and per address, plan limits a tenant
//! cannot lift, and membership changes that keep every workspace owned.

use e2e::{Account, Reply, add_member, env, manage, put_on_plan, register};
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

fn invite(owner: &Account, email: &str, role: &str) -> Reply {
    invite_as(owner, &owner.workspace, email, role)
}

fn invite_as(by: &Account, workspace: &str, email: &str, role: &str) -> Reply {
    let body = json!({"email": email, "role": role});
    manage("PUT", &format!("/workspaces/{workspace}/members"), Some(&by.access), Some(&body))
}

fn member_emails(owner: &Account) -> Vec<String> {
    let members = manage("GET", &format!("/workspaces/{}/members", owner.workspace), Some(&owner.access), None);
    assert_eq!(members.status, 200, "{}", members.text);
    members.json()["data"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| m["email"].as_str().unwrap_or("").into())
        .collect()
}

/// The keys of a JSON object, recursively, with the values left out: what an answer's
/// shape tells the caller.
fn shape(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(map.iter().map(|(key, value)| (key.clone(), shape(value))).collect()),
        _ => Value::Null,
    }
}

#[test]
fn invitations_make_members_only_once_accepted() {
    let owner = register("inviter");
    let invitee = register("invitee");
    let stranger = register("stranger");
    // An email with an account and one without get the same answer.
    let nobody = format!("nobody-{}@example.org", uuid::Uuid::new_v4().simple());
    let (to_account, to_nobody) = (invite(&owner, &invitee.email, "editor"), invite(&owner, &nobody, "editor"));
    assert_eq!((to_account.status, to_nobody.status), (202, 202), "{} / {}", to_account.text, to_nobody.text);
    assert_eq!(shape(&to_account.json()), shape(&to_nobody.json()));
    assert_eq!(to_account.json()["invitation"]["status"], "pending");
    let invitation = to_account.json()["invitation"]["id"].as_str().expect("id").to_owned();
    // Not a member until they accept: no access to the workspace.
    assert!(!member_emails(&owner).contains(&invitee.email));
    manage("GET", &format!("/workspaces/{}/bases", owner.workspace), Some(&invitee.access), None)
        .assert_error(404, "NOT_FOUND");
    // Inviting again renews the one pending invitation, with the new role.
    let again = invite(&owner, &invitee.email, "viewer");
    assert_eq!(again.status, 202, "{}", again.text);
    assert_eq!(again.json()["invitation"]["id"], invitation.as_str());
    // The owner sees both pending invitations; the invitee sees theirs, with who sent it.
    let pending = manage("GET", &format!("/workspaces/{}/invitations", owner.workspace), Some(&owner.access), None);
    assert_eq!(pending.status, 200, "{}", pending.text);
    let emails: Vec<String> = pending.json()["data"]
        .as_array()
        .expect("invitations")
        .iter()
        .map(|invitation| invitation["email"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(emails.len(), 2, "{}", pending.text);
    assert!(emails.contains(&invitee.email) && emails.contains(&nobody), "{}", pending.text);
    let mine = manage("GET", "/invitations", Some(&invitee.access), None);
    assert_eq!(mine.status, 200, "{}", mine.text);
    let mine = mine.json();
    assert_eq!(mine["data"].as_array().map(Vec::len), Some(1), "{mine}");
    assert_eq!(mine["data"][0]["id"], invitation.as_str());
    assert_eq!(mine["data"][0]["role"], "viewer");
    assert_eq!(mine["data"][0]["invited_by"]["email"], owner.email.as_str());
    assert_eq!(manage("GET", "/invitations", Some(&stranger.access), None).json()["data"], json!([]));
    // Nobody else can accept it, nor can a viewer-to-be see the workspace's list.
    let accept = format!("/invitations/{invitation}/accept");
    manage("POST", &accept, Some(&stranger.access), None).assert_error(404, "NOT_FOUND");
    manage("GET", &format!("/workspaces/{}/invitations", owner.workspace), Some(&invitee.access), None)
        .assert_error(404, "NOT_FOUND");
    // Accepting makes them a member with the invited role, once.
    let accepted = manage("POST", &accept, Some(&invitee.access), None);
    assert_eq!(accepted.status, 200, "{}", accepted.text);
    assert_eq!(accepted.json()["role"], "viewer");
    assert!(member_emails(&owner).contains(&invitee.email));
    let bases = manage("GET", &format!("/workspaces/{}/bases", owner.workspace), Some(&invitee.access), None);
    assert_eq!(bases.status, 200, "{}", bases.text);
    manage("POST", &accept, Some(&invitee.access), None).assert_error(404, "NOT_FOUND");
    // A revoked invitation cannot be accepted by whoever registers the email later.
    let revoke = |id: &str| {
        manage("DELETE", &format!("/workspaces/{}/invitations/{id}", owner.workspace), Some(&owner.access), None)
    };
    let nobody_invitation = to_nobody.json()["invitation"]["id"].as_str().expect("id").to_owned();
    assert_eq!(revoke(&nobody_invitation).status, 200);
    revoke(&nobody_invitation).assert_error(404, "NOT_FOUND");
    let pending = manage("GET", &format!("/workspaces/{}/invitations", owner.workspace), Some(&owner.access), None);
    assert_eq!(pending.json()["data"], json!([]), "{}", pending.text);
    // Declining closes an invitation without joining.
    let invited = invite(&owner, &stranger.email, "editor");
    let id = invited.json()["invitation"]["id"].as_str().expect("id").to_owned();
    let declined = manage("POST", &format!("/invitations/{id}/decline"), Some(&stranger.access), None);
    assert_eq!(declined.status, 200, "{}", declined.text);
    assert_eq!(declined.json()["status"], "declined");
    manage("POST", &format!("/invitations/{id}/accept"), Some(&stranger.access), None).assert_error(404, "NOT_FOUND");
    assert!(!member_emails(&owner).contains(&stranger.email));
    // An admin may invite editors but not admins.
    let admin = register("invite-admin");
    add_member(&owner, &admin, "admin");
    assert_eq!(invite_as(&admin, &owner.workspace, &format!("x-{nobody}"), "editor").status, 202);
    invite_as(&admin, &owner.workspace, &format!("y-{nobody}"), "admin").assert_error(403, "FORBIDDEN");
}

fn login(email: &str, password: &str) -> Reply {
    manage("POST", "/auth/login", None, Some(&json!({"email": email, "password": password})))
}

fn retry_after(reply: &Reply) -> u64 {
    let body = reply.assert_error(429, "RATE_LIMITED");
    let header: u64 = reply.header("retry-after").and_then(|value| value.parse().ok()).expect("Retry-After");
    assert!(header >= 1, "{}", reply.text);
    assert_eq!(body["error"]["details"]["retry_after_seconds"].as_u64(), Some(header), "{}", reply.text);
    header
}

/// After five wrong passwords an email waits, even with the right one; an email without
/// an account is treated the same; once the wait is over the right password works.
#[test]
fn failed_sign_ins_back_off_per_email() {
    let account = register("guessed");
    let nobody = format!("nobody-{}@example.org", uuid::Uuid::new_v4().simple());
    for email in [account.email.as_str(), nobody.as_str()] {
        for _ in 0..5 {
            login(email, "not the password").assert_error(401, "INVALID_CREDENTIALS");
        }
        let blocked = login(email, "not the password");
        retry_after(&blocked);
    }
    let blocked = login(&account.email, &account.password);
    let wait = retry_after(&blocked);
    assert!(wait <= 2, "the first wait is a second: {}", blocked.text);
    std::thread::sleep(Duration::from_secs(wait) + Duration::from_millis(200));
    let signed_in = login(&account.email, &account.password);
    assert_eq!(signed_in.status, 200, "{}", signed_in.text);
    // Signing in starts the email's count over.
    login(&account.email, "not the password").assert_error(401, "INVALID_CREDENTIALS");
    assert_eq!(login(&account.email, &account.password).status, 200);
}

/// `POST /api/v1/auth/login` from the loopback address `source`, on a connection of its own.
fn login_from(source: &str, email: &str, password: &str) -> (u16, String) {
    let edge: SocketAddr = env().edge_url.trim_start_matches("http://").parse().expect("edge address");
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).expect("socket");
    socket.bind(&format!("{source}:0").parse::<SocketAddr>().expect("source").into()).expect("bind the source");
    socket.connect(&edge.into()).expect("connect");
    let mut stream: TcpStream = socket.into();
    let body = json!({"email": email, "password": password}).to_string();
    write!(
        stream,
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: {edge}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    let status = answer.split(' ').nth(1).and_then(|code| code.parse().ok()).expect("status");
    (status, answer)
}

/// An address that guesses at many emails waits too, whichever email it tries next; other
/// addresses are not affected. (Behind `wrangler dev` every request comes from the dev
/// proxy's one address, so this runs through the native host.)
#[test]
fn failed_sign_ins_back_off_per_address() {
    if std::env::var("E2E_EDGE2_URL").is_err() {
        return;
    }
    let account = register("address");
    // The test stack gives an address 100 free failures (`NC_SIGN_IN_FREE_FAILURES_PER_ADDRESS`).
    for n in 0..100 {
        let (status, answer) = login_from("127.0.0.41", &format!("guess-{n}-{}@example.org", account.id), "nope");
        assert_eq!(status, 401, "{answer}");
    }
    let (status, answer) = login_from("127.0.0.41", &account.email, &account.password);
    assert_eq!(status, 429, "the right password waits too: {answer}");
    assert!(answer.to_ascii_lowercase().contains("\r\nretry-after: "), "{answer}");
    let (status, answer) = login_from("127.0.0.42", &account.email, &account.password);
    assert_eq!(status, 200, "another address signs in: {answer}");
}

/// A new account on a new plan with `limits` (flags of `origin admin put-plan`).
fn account_on_plan(label: &str, limits: &[&str]) -> Account {
    let account = register(label);
    put_on_plan(&account, limits);
    account
}

fn plan_limit(reply: &Reply, limit: &str) {
    let body = reply.assert_error(403, "PLAN_LIMIT");
    assert_eq!(body["error"]["details"]["limit"], limit, "{}", reply.text);
}

fn post(account: &Account, path: &str, body: Value) -> Reply {
    manage("POST", path, Some(&account.access), Some(&body))
}

/// Bases, tables, fields and views stop at the plan's limits, dropped tables and fields
/// count until purged, and concurrent creations cannot pass a limit together.
#[test]
fn plans_limit_what_a_tenant_creates() {
    let account = account_on_plan(
        "tiny",
        &["--bases-per-workspace", "3", "--tables-per-base", "2", "--fields-per-table", "3", "--views-per-base", "1"],
    );
    let bases = &format!("/workspaces/{}/bases", account.workspace);
    let account = &account;
    // Six creations at once: the plan allows three.
    let created: Vec<Reply> = std::thread::scope(|scope| {
        let handles: Vec<_> =
            (0..6).map(|n| scope.spawn(move || post(account, bases, json!({"name": format!("b{n}")})))).collect();
        handles.into_iter().map(|handle| handle.join().expect("thread")).collect()
    });
    let made: Vec<&Reply> = created.iter().filter(|reply| reply.status == 201).collect();
    assert_eq!(made.len(), 3, "{:?}", created.iter().map(|reply| &reply.text).collect::<Vec<_>>());
    for refused in created.iter().filter(|reply| reply.status != 201) {
        plan_limit(refused, "bases_per_workspace");
    }
    let base = made[0].json()["id"].as_str().expect("base").to_owned();
    let tables = format!("/bases/{base}/tables");
    // Fields per table, counted on creation too.
    let four: Vec<Value> = (0..4).map(|n| json!({"name": format!("f{n}"), "type": "text"})).collect();
    plan_limit(&post(account, &tables, json!({"name": "wide", "fields": four})), "fields_per_table");
    let first = post(account, &tables, json!({"name": "first", "fields": [{"name": "a", "type": "text"}]}));
    assert_eq!(first.status, 201, "{}", first.text);
    let fields = format!("{tables}/first/fields");
    for name in ["b", "c"] {
        let added = post(account, &fields, json!({"name": name, "type": "number"}));
        assert_eq!(added.status, 201, "{}", added.text);
    }
    plan_limit(&post(account, &fields, json!({"name": "d", "type": "text"})), "fields_per_table");
    let dropped = manage("DELETE", &format!("{fields}/c"), Some(&account.access), None);
    assert_eq!(dropped.status, 200, "{}", dropped.text);
    plan_limit(&post(account, &fields, json!({"name": "d", "type": "text"})), "fields_per_table");
    // Tables per base, dropped ones included.
    let second = post(account, &tables, json!({"name": "second"}));
    assert_eq!(second.status, 201, "{}", second.text);
    let dropped = manage("DELETE", &format!("{tables}/second"), Some(&account.access), None);
    assert_eq!(dropped.status, 200, "{}", dropped.text);
    plan_limit(&post(account, &tables, json!({"name": "third"})), "tables_per_base");
    // Views per base.
    let views = format!("/bases/{base}/views");
    let view = |name: &str| json!({"name": name, "table": "first", "fields": ["a"]});
    let made = post(account, &views, view("one"));
    assert_eq!(made.status, 201, "{}", made.text);
    plan_limit(&post(account, &views, view("two")), "views_per_base");
    // Nothing refused was made.
    let schema = manage("GET", &format!("/bases/{base}"), Some(&account.access), None).json();
    assert_eq!(schema["tables"].as_array().map(Vec::len), Some(1), "{schema}");
}

/// The catalog edges load stays within the plan's size.
#[test]
fn plans_limit_the_catalog_size() {
    let account = account_on_plan("small-catalog", &["--catalog-bytes", "4096"]);
    let base = post(&account, &format!("/workspaces/{}/bases", account.workspace), json!({"name": "b"}));
    let base = base.json()["id"].as_str().expect("base").to_owned();
    let table = post(&account, &format!("/bases/{base}/tables"), json!({"name": "t"}));
    assert_eq!(table.status, 201, "{}", table.text);
    let mut refused = None;
    for n in 0..200 {
        let name = format!("a_rather_long_field_name_to_fill_the_catalog_quickly_{n:03}");
        let added = post(&account, &format!("/bases/{base}/tables/t/fields"), json!({"name": name, "type": "text"}));
        if added.status != 201 {
            refused = Some((n, added));
            break;
        }
    }
    let (n, reply) = refused.expect("refused before 200 fields");
    assert!(n > 5, "a few fields fit in 4 KiB");
    plan_limit(&reply, "catalog_bytes");
}

/// A token's own rate limit may only be lower than its plan's.
#[test]
fn a_token_limit_stays_within_the_plan() {
    let account = account_on_plan("token-limit", &["--rate-limit", "100/60"]);
    let base = post(&account, &format!("/workspaces/{}/bases", account.workspace), json!({"name": "b"}));
    let base = base.json()["id"].as_str().expect("base").to_owned();
    let token = |requests: u32, window_seconds: u32| {
        let limit = json!({"requests": requests, "window_seconds": window_seconds});
        post(&account, &format!("/bases/{base}/tokens"), json!({"name": "t", "scopes": ["read"], "rate_limit": limit}))
    };
    for (requests, window) in [(101, 60), (100, 30), (6000, 3600), (2, 1)] {
        let refused = token(requests, window);
        let body = refused.assert_error(422, "VALIDATION_ERROR");
        assert_eq!(body["error"]["details"]["field"], "rate_limit", "{}", refused.text);
    }
    for (requests, window) in [(100, 60), (10, 60), (1, 1)] {
        let made = token(requests, window);
        assert_eq!(made.status, 201, "{requests}/{window}: {}", made.text);
    }
}

/// Two owners remove each other at the same moment: one removal wins, the other is
/// refused, and the workspace keeps an owner.
#[test]
fn concurrent_removals_keep_an_owner() {
    for _ in 0..12 {
        let first = register("owner-a");
        let second = register("owner-b");
        add_member(&first, &second, "owner");
        let workspace = first.workspace.clone();
        let barrier = std::sync::Barrier::new(2);
        let remove = |by: &Account, whom: &Account| {
            barrier.wait();
            manage("DELETE", &format!("/workspaces/{workspace}/members/{}", whom.id), Some(&by.access), None)
        };
        let (a, b) = std::thread::scope(|scope| {
            let a = scope.spawn(|| remove(&first, &second));
            let b = scope.spawn(|| remove(&second, &first));
            (a.join().expect("thread"), b.join().expect("thread"))
        });
        let won: Vec<_> = [&a, &b].into_iter().filter(|reply| reply.status == 200).collect();
        assert_eq!(won.len(), 1, "exactly one removal wins: {} / {}", a.text, b.text);
        let loser = if a.status == 200 { &b } else { &a };
        assert!(matches!(loser.status, 404 | 422), "{}", loser.text);
        let remaining = if a.status == 200 { &first } else { &second };
        let members = manage("GET", &format!("/workspaces/{workspace}/members"), Some(&remaining.access), None);
        assert_eq!(members.status, 200, "{}", members.text);
        let owners = members.json()["data"]
            .as_array()
            .expect("members")
            .iter()
            .filter(|member| member["role"] == "owner")
            .count();
        assert_eq!(owners, 1, "{}", members.text);
    }
}
