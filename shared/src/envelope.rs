//! The signed envelope: what the edge sends the origin for every request.
//!
//! API Boundary: the envelope is serialized once by the edge, signed over those exact
//! bytes ([`crate::sign`]), and verified by the origin before it is parsed. The origin
//! also checks the issued-at window and refuses a nonce it has seen.

use crate::ids::{BaseId, TokenId, UserId};
use crate::plan::Plan;
use crate::token::Scope;
use serde::{Deserialize, Serialize};

/// The envelope format version; the origin refuses others.
pub const VERSION: u32 = 1;
/// The origin's path for envelopes.
pub const EXECUTE_PATH: &str = "/internal/v1/execute";
/// Every origin response names the catalog version it used, so edges notice schema changes.
pub const CATALOG_VERSION_HEADER: &str = "x-catalog-version";
/// Set to `true` on the replay of an idempotent write; passed through to the client.
pub const REPLAYED_HEADER: &str = "idempotency-replayed";
/// A plan is accepted this long either side of its issued-at.
pub const WINDOW_MS: i64 = 30_000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    pub v: u32,
    pub request_id: String,
    /// Unix milliseconds at the edge.
    pub issued_at: i64,
    /// 128 random bits, hex; unique per envelope.
    pub nonce: String,
    /// The request's W3C trace context ([`crate::trace`]): the origin's spans are its children.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traceparent: Option<String>,
    pub op: Op,
}

/// What the origin is asked to do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Op {
    /// Return the [`crate::token::TokenRecord`] of an active token.
    LookupToken { token_id: TokenId },
    /// Return the [`crate::catalog::Catalog`] of a base.
    LoadCatalog { base_id: BaseId },
    /// Return the [`crate::manage::Access`] a signed-in user has to a base (their role in
    /// its workspace); 404 when they have none.
    LookupAccess { user_id: UserId, base_id: BaseId },
    /// Run a records plan for an authenticated principal.
    Records {
        base_id: BaseId,
        catalog_version: i64,
        principal: Principal,
        plan: Plan,
        /// `X-Idempotency-Key` of a write, as the client sent it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        idempotency_key: Option<String>,
    },
    /// Follow a table's changes that `plan` (a list) selects, after change-log position
    /// `after` (from now when `None`), as an event stream of at most `seconds`; or, with
    /// `poll`, answer the changes after it as JSON once there are some, waiting at most
    /// `seconds`.
    Watch {
        base_id: BaseId,
        catalog_version: i64,
        principal: Principal,
        plan: Plan,
        after: Option<String>,
        seconds: u32,
        #[serde(default)]
        poll: bool,
        /// The stream tells who else follows the table (or view), and counts its caller in.
        #[serde(default)]
        presence: bool,
    },
    /// Uploads and jobs of a base; `catalog_version` is the one an import or export was
    /// compiled against.
    Bulk { base_id: BaseId, catalog_version: i64, principal: Principal, request: crate::bulk::BulkRequest },
    /// Run a management command; `user` is the signed-in user the edge verified (none
    /// for sign-up and sessions). The origin checks the user's role. `client` is the
    /// caller's address as the edge's host saw the connection (sign-in throttling).
    Manage {
        user: Option<UserId>,
        command: crate::manage::Command,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client: Option<String>,
    },
    /// Add a batch of usage counted at the edge to the daily usage rows.
    RecordUsage { entries: Vec<crate::usage::UsageEntry> },
    /// Return the [`crate::usage::QuotaStatus`] of a base.
    QuotaStatus { base_id: BaseId },
    /// Return the [`crate::view::PublishedView`] with this slug; 404 when none is published.
    LoadView { slug: String },
}

/// Who the edge authenticated, and the scopes it found; the origin re-checks both as of
/// now (the token is still active, the user still has the role).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Principal {
    /// An API token of the base.
    Token { token_id: TokenId, scopes: Vec<Scope> },
    /// A signed-in user, with the scopes of their role in the base's workspace; an admin
    /// or owner may read as a restricted caller sees (`X-See-As`).
    User {
        user_id: UserId,
        scopes: Vec<Scope>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        see_as: Option<crate::policy::SeeAs>,
    },
    /// A caller of a published view, reading through it (its active version).
    View { view_id: uuid::Uuid, slug: String, version: i64 },
}

impl Principal {
    pub fn scopes(&self) -> &[Scope] {
        match self {
            Principal::Token { scopes, .. } | Principal::User { scopes, .. } => scopes,
            Principal::View { .. } => &[Scope::Read],
        }
    }

    pub fn has(&self, scope: Scope) -> bool {
        self.scopes().contains(&scope)
    }

    /// `token:<id>` or `user:<id>`: the actor of change-log rows and audit events, and
    /// the namespace of idempotency keys and rate limits.
    pub fn actor(&self) -> String {
        match self {
            Principal::Token { token_id, .. } => format!("token:{token_id}"),
            Principal::User { user_id, .. } => format!("user:{user_id}"),
            Principal::View { view_id, .. } => format!("view:{view_id}"),
        }
    }
}

/// Whether `issued_at` is within the accepted window around `now_ms`.
pub fn in_window(issued_at: i64, now_ms: i64) -> bool {
    (now_ms - issued_at).abs() <= WINDOW_MS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{RecordId, TableId};
    use expect_test::expect;
    use uuid::Uuid;

    #[test]
    fn wire_form() {
        let envelope = Envelope {
            v: VERSION,
            request_id: "req_1".into(),
            issued_at: 1_700_000_000_000,
            nonce: "00ff".into(),
            traceparent: None,
            op: Op::Records {
                base_id: BaseId(Uuid::from_u128(1)),
                catalog_version: 4,
                principal: Principal::Token { token_id: TokenId(Uuid::from_u128(2)), scopes: vec![Scope::Read] },
                plan: Plan::GetRecord {
                    table: TableId(Uuid::from_u128(3)),
                    id: RecordId(Uuid::from_u128(4)),
                    fields: None,
                    include: Vec::new(),
                },
                idempotency_key: Some("k-1".into()),
            },
        };
        let json = serde_json::to_string(&envelope).expect("json");
        expect![[r#"{"v":1,"request_id":"req_1","issued_at":1700000000000,"nonce":"00ff","op":{"kind":"records","base_id":"00000000-0000-0000-0000-000000000001","catalog_version":4,"principal":{"kind":"token","token_id":"00000000-0000-0000-0000-000000000002","scopes":["read"]},"plan":{"op":"get_record","table":"00000000-0000-0000-0000-000000000003","id":"00000000-0000-0000-0000-000000000004","fields":null},"idempotency_key":"k-1"}}"#]].assert_eq(&json);
        assert_eq!(serde_json::from_str::<Envelope>(&json).expect("parse"), envelope);
    }

    #[test]
    fn window() {
        assert!(in_window(1_000, 31_000));
        assert!(!in_window(1_000, 31_001));
        assert!(!in_window(40_000, 9_999), "from the future");
    }
}
