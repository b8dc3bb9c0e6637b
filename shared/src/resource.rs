//! What the management API answers with: one type per response body, serialized by the
//! origin and described in the OpenAPI document from the type itself (`openapi` crate), so
//! the document cannot drift from the answers.
//!
//! The meta answers (`/v1/meta/tables`) are here too: the edge builds them from its
//! cached catalog, and the management API's `Base` carries the same tables.
//!
//! The schemas are meant for the serialize contract (`SchemaSettings::for_serialize`):
//! a member is required unless it is left out when empty (`skip_serializing_if`), and an
//! `Option` that is always sent is nullable.
//!
//! Timestamps are Postgres' text form (`2025-01-31 12:00:00.123456+00`), not RFC 3339, so
//! they are plain strings.

use crate::catalog::{self, FieldType};
use crate::ids::{BaseId, FieldId, TableId, TenantId, TokenId, UserId, WorkspaceId};
use crate::manage::Role;
use crate::schema::CatalogChange;
use crate::token::Scope;
use crate::usage::{QuotaStatus, RateLimit};
use crate::view::{AuthMode, CachePolicy};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Serialize, Serializer};
use serde_json::Value;
use std::borrow::Cow;
use uuid::Uuid;

/// A member whose value never changes: it serializes as that value, and its schema is
/// `{"const": value}`, inline.
macro_rules! constant {
    ($(#[$doc:meta])* $name:ident = $value:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $name;

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                $value.serialize(serializer)
            }
        }

        impl JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }

            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({ "const": $value })
            }
        }
    };
}

constant!(
    /// `true`, always: the answer of a command that deletes, revokes or removes something.
    True = true
);
constant!(
    /// `"Bearer"`: how a session's access token is sent.
    Bearer = "Bearer"
);
constant!(
    /// `"applied"`: the status of a schema change that answers.
    Applied = "applied"
);
constant!(
    /// `"id"`: every table's primary key.
    PrimaryKey = "id"
);

// Accounts and sessions.

/// A signed-in session.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Session {
    /// A JWT; send it as `Authorization: Bearer <token>`.
    pub access_token: String,
    pub token_type: Bearer,
    /// Seconds the access token is valid.
    pub expires_in: i64,
    /// Works once, for `/api/v1/auth/refresh`.
    pub refresh_token: String,
}

/// The new account, its first workspace and a session.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Registered {
    pub user: UserSummary,
    /// The workspace the new user owns.
    pub workspace_id: WorkspaceId,
    pub session: Session,
}

/// A user.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct UserSummary {
    pub id: UserId,
    pub email: String,
    pub name: String,
}

/// Signed out: the session's refresh tokens are revoked.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct LoggedOut {
    pub logged_out: True,
}

// Workspaces, members and invitations.

/// A workspace the user belongs to, with their role in it.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Workspace {
    pub id: WorkspaceId,
    pub name: String,
    pub role: Role,
    /// The platform's operators suspended its tenant: its bases, tokens and views answer
    /// `TENANT_SUSPENDED` until they resume it.
    pub suspended: bool,
}

/// The signed-in user and the workspaces they belong to.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Me {
    pub id: UserId,
    pub email: String,
    pub name: String,
    /// Oldest first.
    pub workspaces: Vec<Workspace>,
    /// A platform operator (the admin section, `/api/v1/operator/...`).
    pub operator: bool,
}

/// The workspaces the user belongs to, oldest first.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct WorkspaceList {
    pub data: Vec<Workspace>,
}

/// A member of a workspace and their role.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Member {
    pub user_id: UserId,
    pub email: String,
    /// The member's name; in the list of members only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub name: Option<String>,
    pub role: Role,
    /// The workspace; in the answer to a role change only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "WorkspaceId")]
    pub workspace_id: Option<WorkspaceId>,
}

/// A workspace's members, in the order they joined.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct MemberList {
    pub data: Vec<Member>,
}

/// Where an invitation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(inline)]
pub enum InvitationStatus {
    Pending,
    Accepted,
    Declined,
    Revoked,
}

/// An invitation to join a workspace with a role; pending until the invitee accepts or
/// declines it, or it expires (14 days after it was last sent).
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Invitation {
    pub id: Uuid,
    pub workspace_id: WorkspaceId,
    /// Whom it invites: whoever signs in with this email.
    pub email: String,
    /// The role the invitee gets on accepting.
    pub role: Role,
    pub status: InvitationStatus,
    /// The user who sent it; in the list of invitations only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "UserId")]
    pub invited_by: Option<UserId>,
    pub created_at: String,
    pub expires_at: String,
}

/// A workspace's pending, unexpired invitations, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct InvitationList {
    pub data: Vec<Invitation>,
}

/// Invited: the email is not a member until they accept.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct InvitationCreated {
    pub invitation: Invitation,
}

/// An invitation waiting for the signed-in user, with who sent it.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct MyInvitation {
    pub id: Uuid,
    pub workspace_id: WorkspaceId,
    pub workspace_name: String,
    /// The role the user gets on accepting.
    pub role: Role,
    pub status: InvitationStatus,
    pub invited_by: Inviter,
    pub created_at: String,
    pub expires_at: String,
}

/// Who sent an invitation.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Inviter {
    pub name: String,
    pub email: String,
}

/// The invitations waiting for the signed-in user, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct MyInvitationList {
    pub data: Vec<MyInvitation>,
}

/// An invitation accepted, declined or revoked.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct InvitationAnswered {
    pub id: Uuid,
    /// The invitation's workspace; when accepted or declined.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "WorkspaceId")]
    pub workspace_id: Option<WorkspaceId>,
    pub status: InvitationStatus,
    /// The user's role in the workspace now; when accepted (a member already keeps their
    /// role).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Role")]
    pub role: Option<Role>,
}

/// The user is no longer a member of the workspace.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct MemberRemoved {
    pub removed: True,
    pub user_id: UserId,
}

// Bases, usage and API tokens.

/// A base.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct BaseSummary {
    pub id: BaseId,
    pub name: String,
    /// The base's workspace; in the answer to its creation only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "WorkspaceId")]
    pub workspace_id: Option<WorkspaceId>,
    /// When it was created; in the list of bases only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub created_at: Option<String>,
    /// A restore or clone job is filling it: it takes no schema change until that ends.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub restoring: bool,
}

/// A workspace's bases, oldest first.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct BaseList {
    pub data: Vec<BaseSummary>,
}

/// A base, its catalog version, and every table with its fields.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Base {
    pub id: BaseId,
    pub name: String,
    /// The base's workspace; null for a base an operator created outside any workspace.
    pub workspace_id: Option<WorkspaceId>,
    pub created_at: String,
    /// Changes with every schema change of the base.
    pub catalog_version: i64,
    pub tables: Vec<Table>,
}

/// The base is deleted: its tables and API tokens stop working at once.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct BaseDeleted {
    pub id: BaseId,
    pub deleted: True,
}

/// A base's usage: this month against its quota, and the last 31 days per principal.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct UsageReport {
    pub base_id: BaseId,
    pub quota: QuotaStatus,
    /// What the base stores, and the uploads it takes.
    pub storage: crate::bulk::StorageUsage,
    /// Newest day first.
    pub days: Vec<UsageDay>,
}

/// The requests of one principal on one day (UTC).
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct UsageDay {
    #[schemars(extend("format" = "date"))]
    pub day: String,
    /// `token:<id>`, `user:<id>` or `public` (anonymous requests, e.g. to public views).
    pub principal: String,
    pub api_calls: i64,
}

/// The base's monthly request quota, and this month's usage against it.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct QuotaSet {
    pub base_id: BaseId,
    /// Requests per calendar month (UTC); null is unlimited.
    pub monthly_request_quota: Option<i64>,
    pub quota: QuotaStatus,
}

/// An API token of a base, without its secret.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct TokenInfo {
    pub id: TokenId,
    pub name: String,
    pub scopes: Vec<Scope>,
    pub created_at: String,
    /// When it stops working; null if never.
    pub expires_at: Option<String>,
    /// When it was revoked; null if it was not.
    pub revoked_at: Option<String>,
}

/// A base's API tokens, oldest first, revoked and expired ones included.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct TokenList {
    pub data: Vec<TokenInfo>,
}

/// A new API token, with its secret.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct CreatedToken {
    pub id: TokenId,
    pub name: String,
    pub base_id: BaseId,
    pub scopes: Vec<Scope>,
    /// When it stops working, as given; null if never.
    #[schemars(extend("format" = "date-time"))]
    pub expires_at: Option<String>,
    /// The token's own limit, as given; null takes its plan's.
    pub rate_limit: Option<RateLimit>,
    /// `nc_<id>_<secret>`: shown in this answer only.
    pub token: String,
}

/// The token stops working at once.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct TokenRevoked {
    pub id: TokenId,
    pub revoked: True,
}

// Schema changes.

/// The table or field after a schema change, with the operation that recorded it; with
/// `dry_run=true`, the planned DDL instead (`dry_run`, `steps` and `change` only).
#[derive(Clone, Debug, Default, PartialEq, Serialize, JsonSchema)]
pub struct SchemaChangeResult {
    /// The base; after a change that was applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "BaseId")]
    pub base_id: Option<BaseId>,
    /// The changed field's table; after a field change.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "TableId")]
    pub table_id: Option<TableId>,
    /// The table as created, its new name and former names, or its id and `dropped`;
    /// after a table change.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "serde_json::Map<String, Value>")]
    pub table: Option<Value>,
    /// The field as it is now, or its id and `dropped`; after a field change.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "serde_json::Map<String, Value>")]
    pub field: Option<Value>,
    /// The base's catalog version after the change.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "i64")]
    pub catalog_version: Option<i64>,
    /// The operation that recorded the change (`GET /api/v1/bases/{baseId}/schema-ops`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "AppliedOp")]
    pub schema_op: Option<AppliedOp>,
    /// `true` on a preview; absent when the change was applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "bool")]
    pub dry_run: Option<True>,
    /// The DDL the change would run, in order; on a preview.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<DdlStep>")]
    pub steps: Option<Vec<DdlStep>>,
    /// The catalog change the DDL commits with; on a preview.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "serde_json::Map<String, Value>")]
    pub change: Option<CatalogChange>,
    /// The locks the DDL takes, what depends on the table or field, and how long it may
    /// take for the table's size; on a preview.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Preflight")]
    pub preflight: Option<Preflight>,
    /// The values a conversion would leave empty because they do not convert; on the
    /// preview of a conversion.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "NotConverting")]
    pub not_converting: Option<NotConverting>,
    /// What a computed field being added or changed gives on the table's first records
    /// (oldest first); on the preview of a computed field.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<ComputedValue>")]
    pub computed: Option<Vec<ComputedValue>>,
}

/// A computed field's value on one record, in a preview.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ComputedValue {
    pub id: Uuid,
    pub value: Value,
}

/// The values of a field that do not convert into the new type: how many, and the ids
/// of the first three records holding one.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct NotConverting {
    pub count: i64,
    #[schemars(with = "Vec<uuid::Uuid>")]
    pub examples: Value,
}

/// The base's soft-dropped tables and fields, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct DroppedList {
    pub data: Vec<crate::schema::Dropped>,
}

/// What a schema change will do to the running base, before it runs.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Preflight {
    /// The table the change alters (its records are what the estimates scale with).
    pub table: String,
    /// Postgres's estimate of its records.
    pub rows: i64,
    /// One per DDL step, in order.
    pub steps: Vec<StepPreflight>,
    /// What names the table or the field: links, views, rules, unique sets, policies.
    pub dependents: Vec<String>,
    /// The sum of the steps' estimates, in milliseconds.
    pub estimate_ms: u64,
}

/// The lock one DDL step takes and the work it does under it.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct StepPreflight {
    /// The Postgres lock mode on the table (`none` for a new table).
    pub lock: String,
    /// What other requests that lock makes wait.
    pub blocks: String,
    pub work: crate::ddl::Work,
    pub estimate_ms: u64,
}

impl Preflight {
    /// The preflight of `steps` on a table named `table` of `rows` records.
    pub fn of(table: &str, rows: i64, steps: &[crate::lower::Sql], dependents: Vec<String>) -> Preflight {
        let per_row = u64::try_from(rows.max(0)).unwrap_or(0);
        let steps: Vec<StepPreflight> = steps
            .iter()
            .map(|step| {
                let (lock, blocks, work) = crate::ddl::effect(step);
                let estimate_ms = (per_row.saturating_mul(work.nanos_per_row()) / 1_000_000).max(1);
                StepPreflight { lock: lock.to_owned(), blocks: blocks.to_owned(), work, estimate_ms }
            })
            .collect();
        let estimate_ms = steps.iter().map(|step| step.estimate_ms).sum();
        Preflight { table: table.to_owned(), rows, steps, dependents, estimate_ms }
    }
}

/// A schema operation that was applied.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(inline)]
pub struct AppliedOp {
    pub id: Uuid,
    pub status: Applied,
}

/// One DDL statement and its parameters (all text; null is SQL `NULL`).
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(inline)]
pub struct DdlStep {
    pub sql: String,
    pub params: Vec<Option<String>>,
}

/// Where a schema operation stands: `pending` while it runs (or, interrupted, until it is
/// finished or failed within seconds), then `applied` or `failed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(inline)]
pub enum SchemaOpStatus {
    Pending,
    Applied,
    Failed,
}

impl SchemaOpStatus {
    pub const ALL: [SchemaOpStatus; 3] = [SchemaOpStatus::Pending, SchemaOpStatus::Applied, SchemaOpStatus::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            SchemaOpStatus::Pending => "pending",
            SchemaOpStatus::Applied => "applied",
            SchemaOpStatus::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<SchemaOpStatus> {
        SchemaOpStatus::ALL.into_iter().find(|status| status.as_str() == text)
    }
}

/// A schema change of a base as recorded: what was asked, the DDL, and how it ended.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct SchemaOp {
    pub id: Uuid,
    /// The change as requested: `create_table`, `rename_table`, `drop_table`, `add_field`,
    /// `update_field`, `drop_field`, `convert_field`, `set_rules`, `set_policies`, `add_index`,
    /// `drop_index`, `purge` or `revert`.
    pub kind: String,
    pub status: SchemaOpStatus,
    /// `user:<id>` or `operator`.
    pub actor: String,
    /// Why it failed; null otherwise.
    pub error: Option<String>,
    /// The change as requested.
    #[schemars(with = "Option<serde_json::Map<String, Value>>")]
    pub request: Option<Value>,
    /// The DDL it ran (or was to run), in order.
    #[schemars(with = "Option<Vec<DdlStep>>")]
    pub steps: Option<Value>,
    pub created_at: String,
    /// When it was applied or failed; null while pending.
    pub finished_at: Option<String>,
    /// Whether `POST …/schema-ops/{opId}/revert` can undo it now: it was applied, is not a
    /// purge, and no later change of its table stands in its way (changes of two different
    /// fields, or a rename and another change, do not).
    pub revertible: bool,
}

/// A base's latest 200 schema operations, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct SchemaOpList {
    pub data: Vec<SchemaOp>,
}

// Views.

/// A saved view: the version being edited (`active_version`) and, when published, the
/// version its public URL serves (`published_version`), which differ while a change waits
/// for an admin to publish it (`pending`).
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct View {
    pub id: Uuid,
    pub base_id: BaseId,
    pub name: String,
    /// The version being edited.
    pub active_version: i32,
    pub published: bool,
    /// The version the slug serves; null when not published.
    pub published_version: Option<i32>,
    /// Published, and the edited version is not the one served.
    pub pending: bool,
    /// The slug it is (or was last) published under; null if it never was.
    pub slug: Option<String>,
    /// The path of its public endpoint, `/public/views/<slug>/data`; null without a slug.
    pub url: Option<String>,
    /// Who may call its public endpoint.
    pub auth: AuthMode,
    /// How the edge caches its public answers, in seconds; a member left out has its
    /// default (a view never published has only `max_age`).
    #[schemars(schema_with = "stored_cache_policy")]
    pub cache: Value,
    /// The edited version's definition, tables and fields by id.
    #[schemars(with = "serde_json::Map<String, Value>")]
    pub definition: Value,
    /// The edited version as `PUT` takes it, tables and fields by name: edit it and send it back.
    pub spec: crate::view::ViewSpec,
    /// The served version's definition; null when not published.
    #[schemars(with = "Option<serde_json::Map<String, Value>>")]
    pub published_definition: Option<Value>,
    /// The served version as `PUT` takes it; null when not published.
    pub published_spec: Option<crate::view::ViewSpec>,
    pub created_at: String,
    /// Every version, oldest first.
    pub versions: Vec<ViewVersion>,
}

/// The schema of a `CachePolicy` with every member optional, as views store it.
fn stored_cache_policy(generator: &mut SchemaGenerator) -> Schema {
    let mut schema = CachePolicy::json_schema(generator);
    schema.remove("required");
    schema
}

/// One version of a view's definition.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(inline)]
pub struct ViewVersion {
    pub version: i32,
    /// `user:<id>` of who made it.
    pub actor: String,
    pub created_at: String,
}

/// A view, without its definition and versions.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct ViewSummary {
    pub id: Uuid,
    pub name: String,
    /// The version being edited.
    pub active_version: i32,
    pub published: bool,
    /// The version the slug serves; null when not published.
    pub published_version: Option<i32>,
    /// Published, and the edited version is not the one served.
    pub pending: bool,
    /// The slug it is (or was last) published under; null if it never was.
    pub slug: Option<String>,
}

/// A base's views, oldest first.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct ViewList {
    pub data: Vec<ViewSummary>,
}

/// The view is unpublished and deleted.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct ViewDeleted {
    pub id: Uuid,
    pub base_id: BaseId,
    /// The slug it was published under, which no longer answers; null if it had none.
    pub slug: Option<String>,
    pub deleted: True,
}

/// A new key of a view published with `view_key` auth, with its secret.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct CreatedViewKey {
    pub id: Uuid,
    pub view_id: Uuid,
    pub base_id: BaseId,
    /// The view's slug; null if it was never published.
    pub slug: Option<String>,
    pub name: String,
    /// `nv_<id>_<secret>`: shown in this answer only; send it as `Authorization: Bearer <key>`.
    pub key: String,
}

/// A key of a view, without its secret.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct ViewKeyInfo {
    pub id: Uuid,
    pub name: String,
    pub created_at: String,
    /// When it was revoked; null if it was not.
    pub revoked_at: Option<String>,
}

/// A view's keys, oldest first, revoked ones included.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct ViewKeyList {
    pub data: Vec<ViewKeyInfo>,
}

/// The view key stops working at once.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct ViewKeyRevoked {
    pub id: Uuid,
    pub base_id: BaseId,
    /// The view's slug; null if it was never published.
    pub slug: Option<String>,
    pub revoked: True,
}

// The change feed.

/// Committed changes of a base's records from a position, and the position after them.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct ChangeFeed {
    /// In sequence order.
    pub data: Vec<ChangeEntry>,
    /// Pass it as `after` to read on from here.
    pub position: String,
    /// More changes are ready: read on at once.
    pub has_more: bool,
    /// `after` was older than the change log the base keeps (its plan's
    /// `change_log_retention_days`; the audit log keeps changes longer): `position` is now,
    /// and the changes in between are in the audit log only.
    pub reset: bool,
}

/// A table's changes, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct TableHistory {
    /// Newest first (by sequence number: a change still being committed may appear later).
    pub data: Vec<ChangeEntry>,
    /// Pass it as `before` for the older ones; null when there are none.
    pub next_before: Option<i64>,
}

/// What a revert wrote.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Reverted {
    /// The change reverted.
    pub change: i64,
    /// `update` (the record's values restored), `create` (a deleted record back, with its
    /// id) or `delete` (a created record removed).
    pub action: String,
    /// The record as the write answered it; null after a delete.
    pub record: Option<Value>,
    /// Fields of the record before the change that the table no longer has, or that are
    /// computed: not restored.
    pub skipped_fields: Vec<String>,
}

/// What undoing a base's changes after a time writes (or, for a dry run, would write).
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct UndoReport {
    /// The time given: records go back to what they were then.
    pub after: String,
    /// The last change covered; pass it back as `through` to undo exactly what a preview
    /// showed.
    pub through: i64,
    /// True when nothing was written.
    pub dry_run: bool,
    /// Changes logged after `after`, up to `through`.
    pub changes: u64,
    /// Records written back to their values at `after`.
    pub updated: u64,
    /// Records deleted since, created again with their ids.
    pub recreated: u64,
    /// Records created since, deleted.
    pub deleted: u64,
    /// Records changed since but the same again (or created and deleted since): left alone.
    pub unchanged: u64,
    /// The first records written (up to 100), latest first: the order the undo writes them.
    pub records: Vec<UndoItem>,
    /// Tables changed since that the base no longer has: their records are left alone.
    pub skipped_tables: Vec<String>,
}

/// One record an undo writes.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct UndoItem {
    pub table: String,
    pub record_id: String,
    /// `update`, `create` or `delete`.
    pub action: String,
    /// The record's values now; null for a record deleted since.
    pub now: Option<Value>,
    /// Its values at `after`; null for a record created since.
    pub then: Option<Value>,
    /// Fields the record had then that the table no longer has, or that are computed now:
    /// not restored.
    pub skipped_fields: Vec<String>,
}

/// One event of the audit log.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct AuditEvent {
    pub id: i64,
    pub at: String,
    /// `user:<id>`, `token:<id>`, `system` or `operator`.
    pub actor: String,
    /// What happened: `record.update`, `schema.add_field`, `token.create`, `view.publish`,
    /// `member.set`, `auth.login`, `webhook.disabled`…
    pub action: String,
    /// What it happened to: a token's or view's id, `<table>/<record>` for a record,
    /// `<workspace>/<user>` for a member.
    pub resource_id: Option<String>,
    pub base_id: Option<BaseId>,
    /// The resource before, where the action changed one (a record's values).
    pub before: Option<Value>,
    /// The resource after, or what the action was given (never a secret).
    pub after: Option<Value>,
    pub request_id: Option<String>,
}

/// A page of the audit log, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct AuditPage {
    pub data: Vec<AuditEvent>,
    /// Pass as `cursor` for the older events; null on the last page.
    pub next_cursor: Option<String>,
}

/// One committed write of one record.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct ChangeEntry {
    /// The change's sequence number in the base (taken when written, so transactions may
    /// commit out of this order).
    pub seq: i64,
    pub at: String,
    /// `insert`, `update` or `delete`.
    pub op: String,
    #[schemars(extend("format" = "uuid"))]
    pub table_id: String,
    #[schemars(extend("format" = "uuid"))]
    pub record_id: String,
    /// The record before the change; null for an insert.
    pub before: Option<Value>,
    /// The record after the change; null for a delete.
    pub after: Option<Value>,
    /// Who wrote it: `token:<id>` (an API token) or `user:<id>` (a member).
    pub actor: String,
    /// The request that made the change.
    pub request_id: String,
}

impl ChangeEntry {
    /// The fields of `table` whose value the change set to another one, in the table's order.
    pub fn changed_fields(&self, table: &crate::catalog::Table) -> Vec<String> {
        let value =
            |image: &Option<Value>, name: &str| image.as_ref().and_then(|image| image["values"].get(name)).cloned();
        table
            .fields
            .iter()
            .filter(|field| value(&self.before, &field.name) != value(&self.after, &field.name))
            .map(|field| field.name.clone())
            .collect()
    }
}

// Tables, as `/v1/meta/tables` and the management API describe them.

/// A field of a table: its type, requiredness, uniqueness, options, default and former
/// names.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct FieldInfo {
    pub id: FieldId,
    pub name: String,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    pub required: bool,
    pub unique: bool,
    /// The choices of a single or multi select, in display order; null for other types.
    pub options: Option<Vec<String>>,
    /// The value a new record gets when it leaves the field out (the field's JSON form), or
    /// null.
    pub default: Option<Value>,
    /// Names the field had before a rename, which still work in requests during the grace
    /// period.
    pub former_names: Vec<String>,
    /// What a link field points at; null for other types.
    pub link: Option<LinkInfo>,
    /// What every value written must satisfy beyond its type (`{}` when nothing).
    pub rules: catalog::FieldRules,
    /// How a computed field's values are computed (it cannot be written; `type` is the
    /// type of its values); absent for a stored field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub computed: Option<ComputedInfo>,
}

/// A computed field's definition, fields named by their current names.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ComputedInfo {
    #[schemars(extend("enum" = ["formula", "lookup", "rollup"]))]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub formula: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lookup: Option<crate::schema::NewLookup>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rollup: Option<crate::schema::NewRollup>,
}

impl ComputedInfo {
    pub fn of(catalog: &catalog::Catalog, table: &catalog::Table, computed: &catalog::Computed) -> ComputedInfo {
        let name = |table: Option<&catalog::Table>, id: FieldId| {
            table.and_then(|table| table.field_by_id(id)).map_or_else(|| id.to_string(), |field| field.name.clone())
        };
        let mut info = ComputedInfo { kind: computed.kind().to_owned(), formula: None, lookup: None, rollup: None };
        match computed {
            catalog::Computed::Formula { formula } => info.formula = Some(crate::formula::render(table, formula)),
            catalog::Computed::Lookup { link, field } => {
                let target = table.field_by_id(*link).and_then(|link| catalog.table_by_id(link.link.as_ref()?.table));
                info.lookup =
                    Some(crate::schema::NewLookup { link: name(Some(table), *link), field: name(target, *field) });
            }
            catalog::Computed::Rollup { table: source, link, function, field, filter } => {
                let source = catalog.table_by_id(*source);
                info.rollup = Some(crate::schema::NewRollup {
                    link: format!("{}.{}", source.map_or("?", |source| source.name.as_str()), name(source, *link)),
                    function: *function,
                    field: field.map(|field| name(source, field)),
                    filter: filter.as_ref().zip(source).map(|(filter, source)| crate::policy::render(source, filter)),
                });
            }
        }
        info
    }
}

/// The relation of a link field (many-to-one).
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct LinkInfo {
    pub table_id: TableId,
    /// The target table's current name.
    pub table: String,
    pub on_delete: catalog::OnDelete,
    /// The target field that names a linked record (its id stays valid across renames).
    pub display_field_id: Option<FieldId>,
}

/// The reverse side of another table's link to this one (one-to-many): derived, not stored.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Backlink {
    /// The linking table.
    pub table: String,
    /// Its link field.
    pub field: String,
    /// How a read names it: `include=<table>.<field>`, `filter[<field>][eq]=<id>` on that table.
    pub include: String,
}

/// A column every table has besides its fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(inline)]
pub enum SystemField {
    Id,
    CreatedAt,
    UpdatedAt,
}

impl SystemField {
    pub const ALL: [SystemField; 3] = [SystemField::Id, SystemField::CreatedAt, SystemField::UpdatedAt];
}

/// A table: its fields and what every table has.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Table {
    pub id: TableId,
    pub name: String,
    pub primary_key: PrimaryKey,
    /// The columns every table has, besides its fields.
    pub system_fields: [SystemField; 3],
    /// In display order.
    pub fields: Vec<FieldInfo>,
    /// The unique fields' names.
    pub uniques: Vec<String>,
    /// Names the table had before a rename, which still work in paths during the grace
    /// period.
    pub former_names: Vec<String>,
    /// The links of other tables (or of this one) that point here.
    pub linked_from: Vec<Backlink>,
    /// Conditions every record satisfies (`PUT …/tables/{table}/rules`).
    pub rules: Vec<RuleInfo>,
    /// Field combinations no two records share.
    pub unique_together: Vec<UniqueInfo>,
    /// What viewers, editors and API tokens may see and change.
    pub policies: Vec<PolicyInfo>,
    /// The indexes an admin added for the table's sorts and filters.
    pub indexes: Vec<IndexInfo>,
}

/// A record rule, its conditions in the `where` form.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RuleInfo {
    pub name: String,
    #[serde(rename = "if", skip_serializing_if = "Option::is_none")]
    pub when: Option<serde_json::Value>,
    pub then: serde_json::Value,
    pub message: String,
}

/// A compound unique constraint.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct UniqueInfo {
    pub name: String,
    pub fields: Vec<String>,
}

/// A table's policy for one subject; absent lists mean every field.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct PolicyInfo {
    pub subject: catalog::Subject,
    /// The rows the subject sees and may write, in the `where` form; absent: every row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub write: Option<Vec<String>>,
}

/// An index an admin added: its fields in order, `name` or `name:desc` (each index
/// ends with `id`, as every list's order does).
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct IndexInfo {
    pub name: String,
    pub fields: Vec<String>,
}

impl IndexInfo {
    pub fn of(table: &catalog::Table, index: &catalog::Index) -> IndexInfo {
        let fields = index
            .keys
            .iter()
            .map(|key| {
                let name =
                    table.field_by_id(key.field).map_or_else(|| key.field.to_string(), |field| field.name.clone());
                if key.descending { format!("{name}:desc") } else { name }
            })
            .collect();
        IndexInfo { name: index.name.clone(), fields }
    }
}

/// A table's indexes, and the index builds running on it now.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct IndexList {
    pub data: Vec<IndexInfo>,
    pub building: Vec<IndexBuild>,
    /// Indexes the table's slow lists would have used (since the origin started): lists
    /// that sorted, or else filtered, on a field no index leads with.
    pub suggested: Vec<IndexSuggestion>,
}

/// An index a slow list would have used.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct IndexSuggestion {
    /// The index's fields, as `POST …/indexes` takes them.
    pub fields: Vec<String>,
    /// Slow lists it would have served.
    pub lists: u64,
    /// The slowest of them, in milliseconds.
    pub slowest_ms: u64,
}

/// An index build in progress, as Postgres reports it (`pg_stat_progress_create_index`).
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct IndexBuild {
    /// What Postgres is doing, e.g. `building index: scanning table`.
    pub phase: String,
    pub blocks_done: i64,
    pub blocks_total: i64,
    pub tuples_done: i64,
    pub tuples_total: i64,
    /// Transactions the build waits for (it waits for older transactions to end).
    pub lockers_done: i64,
    pub lockers_total: i64,
}

/// The base's tables.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct TableList {
    pub data: Vec<Table>,
}

impl FieldInfo {
    /// A field of a table of `catalog`, its link's target named from the catalog.
    pub fn of(catalog: &catalog::Catalog, table: &catalog::Table, field: &catalog::Field) -> FieldInfo {
        let link = field.link.as_ref().map(|link| LinkInfo {
            table_id: link.table,
            table: catalog.table_by_id(link.table).map(|table| table.name.clone()).unwrap_or_default(),
            on_delete: link.on_delete,
            display_field_id: link.display,
        });
        FieldInfo {
            id: field.id,
            name: field.name.clone(),
            field_type: field.field_type,
            required: field.required,
            unique: field.unique,
            options: (field.field_type.has_options() || field.field_type == FieldType::File)
                .then(|| field.options.clone()),
            default: field.default.clone(),
            former_names: field.aliases.clone(),
            link,
            rules: field.rules.clone(),
            computed: field.computed.as_ref().map(|computed| ComputedInfo::of(catalog, table, computed)),
        }
    }
}

impl Table {
    /// A table of `catalog`, with its links and the links to it.
    pub fn of(catalog: &catalog::Catalog, table: &catalog::Table) -> Table {
        Table::with(catalog, table, catalog.links_to(table.id))
    }

    /// Every table of `catalog`, its link fields read once for all of them.
    pub fn all(catalog: &catalog::Catalog) -> Vec<Table> {
        let links: Vec<_> = catalog.links().collect();
        let to = |target| links.iter().copied().filter(move |(_, _, link)| link.table == target);
        catalog.tables.iter().map(|table| Table::with(catalog, table, to(table.id))).collect()
    }

    /// `table`, with the links (of any table, with their tables) that point at it.
    fn with<'a>(
        catalog: &catalog::Catalog,
        table: &catalog::Table,
        linked_from: impl Iterator<Item = (&'a catalog::Table, &'a catalog::Field, &'a catalog::Link)>,
    ) -> Table {
        Table {
            id: table.id,
            name: table.name.clone(),
            primary_key: PrimaryKey,
            system_fields: SystemField::ALL,
            fields: table.fields.iter().map(|field| FieldInfo::of(catalog, table, field)).collect(),
            uniques: table.fields.iter().filter(|field| field.unique).map(|field| field.name.clone()).collect(),
            former_names: table.aliases.clone(),
            linked_from: linked_from
                .map(|(linking, field, _)| Backlink {
                    table: linking.name.clone(),
                    field: field.name.clone(),
                    include: format!("{}.{}", linking.name, field.name),
                })
                .collect(),
            rules: table
                .rules
                .iter()
                .map(|rule| RuleInfo {
                    name: rule.name.clone(),
                    when: rule.when.as_ref().map(|when| crate::policy::render(table, when)),
                    then: crate::policy::render(table, &rule.then),
                    message: rule.message.clone(),
                })
                .collect(),
            unique_together: table
                .unique
                .iter()
                .map(|set| UniqueInfo { name: set.name.clone(), fields: names(table, &set.fields) })
                .collect(),
            policies: table
                .policies
                .iter()
                .map(|policy| PolicyInfo {
                    subject: policy.subject,
                    rows: policy.rows.as_ref().map(|rows| crate::policy::render(table, rows)),
                    read: policy.read.as_ref().map(|ids| names(table, ids)),
                    write: policy.write.as_ref().map(|ids| names(table, ids)),
                })
                .collect(),
            indexes: table.indexes.iter().map(|index| IndexInfo::of(table, index)).collect(),
        }
    }
}

/// The current names of fields of `table`.
fn names(table: &catalog::Table, ids: &[crate::ids::FieldId]) -> Vec<String> {
    ids.iter().filter_map(|id| table.field_by_id(*id)).map(|field| field.name.clone()).collect()
}

impl From<&catalog::Catalog> for TableList {
    fn from(catalog: &catalog::Catalog) -> TableList {
        TableList { data: Table::all(catalog) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Every answer is a component of its own name; the helper types (statuses, constants,
    /// steps, versions) are inline and add none.
    #[test]
    fn components() {
        let mut generator = schemars::generate::SchemaSettings::draft2020_12().for_serialize().into_generator();
        macro_rules! add {
            ($($type:ty),* $(,)?) => { $( generator.subschema_for::<$type>(); )* };
        }
        add! {
            Session, Registered, LoggedOut, Me, WorkspaceList, Member, MemberList, InvitationList, InvitationCreated,
            MyInvitationList, InvitationAnswered, MemberRemoved, BaseSummary, BaseList, Base, BaseDeleted, UsageReport,
            QuotaSet, TokenList, CreatedToken, TokenRevoked, SchemaChangeResult, SchemaOpList, View, ViewList,
            ViewDeleted, ViewKeyList, CreatedViewKey, ViewKeyRevoked, ChangeFeed, TableHistory, TableList,
        }
        let names: Vec<String> = generator.take_definitions(true).keys().cloned().collect();
        let expected = "Aggregate AllowedFilter AuthMode Backlink Base BaseDeleted BaseList BaseSummary ChangeEntry ChangeFeed \
            ComputedInfo ComputedValue CreatedToken CreatedViewKey FieldInfo FieldRules FieldType FilterArg IndexInfo Invitation InvitationAnswered InvitationCreated \
            InvitationList Inviter LinkInfo LoggedOut Me Member MemberList MemberRemoved MyInvitation MyInvitationList NewLookup NewRollup NotConverting OnDelete Operator \
            ParamSpec PolicyInfo Preflight QuotaSet QuotaStatus RateLimit Registered Role RuleInfo SchemaChangeResult \
            SchemaOp SchemaOpList Scope Session StepPreflight StorageUsage Subject Table TableHistory TableList TokenInfo TokenList \
            TokenRevoked UniqueInfo UsageDay UsageReport UserSummary View ViewDeleted \
            ViewFilter ViewKeyInfo ViewKeyList ViewKeyRevoked ViewList ViewSpec ViewSummary WhenAbsent Work Workspace \
            WorkspaceList";
        assert_eq!(names, expected.split_whitespace().collect::<Vec<_>>());
    }

    #[test]
    fn a_table_as_clients_see_it() {
        let id = |n: u128| Uuid::from_u128(n);
        let mut status = catalog::Field::new(FieldId(id(2)), "status", FieldType::SingleSelect);
        status.options = vec!["open".to_owned(), "done".to_owned()];
        status.unique = true;
        status.aliases = vec!["state".to_owned()];
        let mut title = catalog::Field::new(FieldId(id(3)), "title", FieldType::Text);
        title.required = true;
        title.default = Some(json!("untitled"));
        let table = catalog::Table {
            id: TableId(id(1)),
            name: "tasks".to_owned(),
            fields: vec![status, title],
            aliases: Vec::new(),
            rules: Vec::new(),
            unique: Vec::new(),
            policies: Vec::new(),
            indexes: Vec::new(),
        };
        let expected = json!({
            "id": id(1), "name": "tasks", "primary_key": "id", "system_fields": ["id", "created_at", "updated_at"],
            "fields": [
                { "id": id(2), "name": "status", "type": "single_select", "required": false, "unique": true,
                  "options": ["open", "done"], "default": null, "former_names": ["state"], "link": null, "rules": {} },
                { "id": id(3), "name": "title", "type": "text", "required": true, "unique": false,
                  "options": null, "default": "untitled", "former_names": [], "link": null, "rules": {} },
            ],
            "uniques": ["status"], "former_names": [], "linked_from": [], "rules": [], "unique_together": [],
            "policies": [], "indexes": [],
        });
        let catalog = catalog::Catalog { base_id: crate::ids::BaseId(id(0)), version: 1, tables: vec![table.clone()] };
        assert_eq!(serde_json::to_value(Table::of(&catalog, &table)).ok(), Some(expected));
    }

    /// Constants serialize as their values; members absent when empty are left out.
    #[test]
    fn constants_and_absent_members() {
        let id = Uuid::from_u128(9);
        let deleted = BaseDeleted { id: BaseId(id), deleted: True };
        assert_eq!(serde_json::to_value(deleted).ok(), Some(json!({ "id": id, "deleted": true })));
        let session = Session {
            access_token: "a".to_owned(),
            token_type: Bearer,
            expires_in: 900,
            refresh_token: "r".to_owned(),
        };
        let session = serde_json::to_value(session).ok();
        assert_eq!(
            session,
            Some(json!({ "access_token": "a", "token_type": "Bearer", "expires_in": 900, "refresh_token": "r" }))
        );
        let preview = SchemaChangeResult {
            dry_run: Some(True),
            steps: Some(vec![DdlStep { sql: "SELECT $1".to_owned(), params: vec![None] }]),
            ..SchemaChangeResult::default()
        };
        let preview = serde_json::to_value(preview).ok();
        assert_eq!(preview, Some(json!({ "dry_run": true, "steps": [{ "sql": "SELECT $1", "params": [null] }] })));
        let applied = SchemaChangeResult {
            base_id: Some(BaseId(id)),
            catalog_version: Some(4),
            schema_op: Some(AppliedOp { id, status: Applied }),
            ..SchemaChangeResult::default()
        };
        let applied = serde_json::to_value(applied).ok();
        let expected = json!({ "base_id": id, "catalog_version": 4, "schema_op": { "id": id, "status": "applied" } });
        assert_eq!(applied, Some(expected));
    }
}

// The platform's operators.

/// A tenant as the platform's operators see it.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct TenantSummary {
    pub id: TenantId,
    pub name: String,
    pub plan: String,
    pub created_at: String,
    /// When the operators suspended it; null while it is active.
    pub suspended_at: Option<String>,
    /// What the operator who suspended it wrote.
    pub suspended_reason: Option<String>,
    /// Live workspaces and bases, and distinct members across its workspaces.
    pub workspaces: i64,
    pub bases: i64,
    pub members: i64,
    /// Requests recorded this calendar month (UTC) across its bases.
    pub requests_this_month: i64,
}

/// Tenants, by name.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct TenantList {
    pub data: Vec<TenantSummary>,
    /// Tenants in all, and how many of them are suspended (whatever `q` matched).
    pub total: i64,
    pub suspended: i64,
}

/// A tenant with its plan, workspaces, members and bases.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct TenantDetail {
    pub tenant: TenantSummary,
    pub plan: Plan,
    /// Oldest first.
    pub workspaces: Vec<TenantWorkspace>,
}

/// A workspace of a tenant.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct TenantWorkspace {
    pub id: WorkspaceId,
    pub name: String,
    pub created_at: String,
    pub members: Vec<TenantMember>,
    pub bases: Vec<TenantBase>,
}

/// A member of a tenant's workspace.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct TenantMember {
    pub user_id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
}

/// A base of a tenant with its usage this month.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct TenantBase {
    pub id: BaseId,
    pub name: String,
    pub created_at: String,
    pub tables: i64,
    pub quota: QuotaStatus,
}

/// A plan: the default rate limit and quota of its tenants' bases, and what it lets them create.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Plan {
    pub name: String,
    pub rate_limit: RateLimit,
    /// Requests per base per calendar month; null is unlimited.
    pub monthly_requests: Option<i64>,
    pub max_bases_per_workspace: i32,
    pub max_tables_per_base: i32,
    pub max_fields_per_table: i32,
    pub max_views_per_base: i32,
    pub max_upload_bytes: i64,
    /// Bytes of files a base may store; null is unlimited.
    pub max_stored_bytes: Option<i64>,
    pub audit_retention_days: i32,
    pub change_log_retention_days: i32,
    /// Tenants on the plan.
    pub tenants: i64,
}

/// Every plan, by name.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct PlanList {
    pub data: Vec<Plan>,
}

/// The platform as the origin that answers sees it.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct PlatformHealth {
    /// `ok`, or `degraded` when a plane or Redis does not answer.
    pub status: String,
    /// The origin's version.
    pub version: String,
    pub planes: Vec<PlaneHealth>,
    /// `ok`, `unavailable`, or `not_configured` (replay nonces kept in each origin).
    pub redis: String,
    pub jobs_queued: i64,
    pub jobs_running: i64,
    pub webhook_deliveries_pending: i64,
    /// How long the oldest pending webhook delivery has waited.
    pub oldest_delivery_seconds: f64,
    /// Event streams open on the answering origin.
    pub event_streams: i64,
    pub tenants: i64,
    pub suspended_tenants: i64,
}

/// One Postgres plane: whether it answers, and the answering origin's pool.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct PlaneHealth {
    /// `control`, `data` or `logs`.
    pub name: String,
    /// `ok` or `unavailable`.
    pub state: String,
    /// Time to answer `SELECT 1`, when it did.
    pub latency_ms: Option<f64>,
    pub connections_open: i64,
    pub connections_idle: i64,
    pub connections_max: i64,
}
