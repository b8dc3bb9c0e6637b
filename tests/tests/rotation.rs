//! Rotating the edge signing key without downtime, through edges of the kind the suite
//! runs (native or Workers) and an origin of its own, in the four moves of
//! deploy/README.md. At each move the edges before and after it work with the origin, and
//! what clients hold (access tokens, cursors) keeps working until the old key is dropped.

use e2e::{OwnBase, OwnEdge, OwnOrigin, env, free_port, send, spawn_origin_at};
use serde_json::json;

struct Rotation {
    port: u16,
    origin: Option<OwnOrigin>,
    email: String,
    password: String,
    token: String,
}

impl Rotation {
    /// Restarts the origin (same address) with `keys` as its NC_EDGE_SIGNING_KEY.
    fn origin(&mut self, keys: &str) {
        drop(self.origin.take());
        self.origin = Some(spawn_origin_at(self.port, &[("NC_EDGE_SIGNING_KEY", keys)]));
    }

    fn edge(&self, keys: &str) -> OwnEdge {
        e2e::edge_like_this(&format!("http://127.0.0.1:{}", self.port), &[("edge_signing_key", keys)])
    }

    /// Signs in through `edge`: an access token the origin issued.
    fn sign_in(&self, edge: &OwnEdge) -> String {
        let body = json!({"email": self.email, "password": self.password}).to_string();
        let reply = send(
            "POST",
            &format!("{}/api/v1/auth/login", edge.url),
            &[("content-type", "application/json")],
            Some(body.as_bytes()),
        );
        assert_eq!(reply.status, 200, "{}", reply.text);
        let body = reply.json();
        body["access_token"].as_str().or(body["session"]["access_token"].as_str()).expect("an access token").to_owned()
    }

    /// `GET /api/v1/auth/me` through `edge` with `access`: the status.
    fn me(&self, edge: &OwnEdge, access: &str) -> u16 {
        let authorization = format!("Bearer {access}");
        send("GET", &format!("{}/api/v1/auth/me", edge.url), &[("authorization", &authorization)], None).status
    }

    /// One record a page through `edge` with the API token, after `cursor`: the answer.
    fn page(&self, edge: &OwnEdge, cursor: Option<&str>) -> e2e::Reply {
        let authorization = format!("Bearer {}", self.token);
        let after = cursor.map(|cursor| format!("&cursor={cursor}")).unwrap_or_default();
        send(
            "GET",
            &format!("{}/v1/tables/notes/records?limit=1{after}", edge.url),
            &[("authorization", &authorization)],
            None,
        )
    }

    /// A page through `edge` that must answer: its next cursor.
    fn cursor(&self, edge: &OwnEdge, after: Option<&str>) -> String {
        let reply = self.page(edge, after);
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.json()["next_cursor"].as_str().expect("a next cursor").to_owned()
    }

    /// Everything an edge does with the keys, through `edge`: a sign-in (the origin
    /// issues, the edge verifies), a signed plan, and what clients hold from before.
    fn works(&self, edge: &OwnEdge, held_access: &str, held_cursor: &str) -> (String, String) {
        let access = self.sign_in(edge);
        assert_eq!(self.me(edge, &access), 200, "a fresh access token through {}", edge.url);
        assert_eq!(self.me(edge, held_access), 200, "an access token from before through {}", edge.url);
        let cursor = self.cursor(edge, None);
        self.cursor(edge, Some(held_cursor));
        (access, cursor)
    }
}

#[test]
fn the_signing_key_rotates_in_four_moves_without_a_failed_request() {
    let old = hex::encode(&env().signing_key);
    let new = hex::encode(uuid::Uuid::new_v4().as_bytes().repeat(2));
    let own = OwnBase::new("rotation");
    let table = json!({"name": "notes", "fields": [{"name": "title", "type": "text"}]});
    let created = own.schema("POST", "/tables", table);
    assert_eq!(created.status, 201, "{}", created.text);
    for title in ["a", "b", "c"] {
        own.created("notes", json!({"title": title}));
    }
    let mut rotation = Rotation {
        port: free_port(),
        origin: None,
        email: own.owner.email.clone(),
        password: own.owner.password.clone(),
        token: own.token.clone(),
    };

    // Before: one key everywhere. A client keeps an access token and a cursor.
    rotation.origin(&old);
    let before = rotation.edge(&old);
    let held_access = rotation.sign_in(&before);
    let held_cursor = rotation.cursor(&before, None);

    // 1. Origins accept either key; edges of the old key work with them.
    rotation.origin(&format!("{old},{new}"));
    rotation.works(&before, &held_access, &held_cursor);

    // 2. Edges sign with the new key, beside edges that have not moved yet.
    let moving = rotation.edge(&format!("{new},{old}"));
    rotation.works(&moving, &held_access, &held_cursor);
    rotation.works(&before, &held_access, &held_cursor);
    drop(before);

    // 3. Origins sign with the new key: access tokens and cursors of either key work.
    rotation.origin(&format!("{new},{old}"));
    let (fresh_access, fresh_cursor) = rotation.works(&moving, &held_access, &held_cursor);

    // 4. Once the old access tokens have expired, edges drop the old key, then origins.
    let after = rotation.edge(&new);
    rotation.works(&after, &fresh_access, &fresh_cursor);
    rotation.works(&moving, &fresh_access, &fresh_cursor);
    drop(moving);
    rotation.origin(&new);
    rotation.works(&after, &fresh_access, &fresh_cursor);
    // What the old key made is refused now, each in the error model.
    assert_eq!(rotation.me(&after, &held_access), 401, "an access token of the dropped key");
    rotation.page(&after, Some(&held_cursor)).assert_error(400, "INVALID_QUERY");
    let base_id = shared::ids::BaseId(uuid::Uuid::parse_str(&own.base).expect("a base id"));
    let body = e2e::envelope(shared::envelope::Op::LoadCatalog { base_id }, e2e::now_ms());
    let origin_url = format!("http://127.0.0.1:{}", rotation.port);
    e2e::origin_post(&origin_url, &body, Some(&shared::sign::sign(&env().signing_key, &body)))
        .assert_error(401, "INVALID_SIGNATURE");
}
