//! The management API (`/api/v1/...`): accounts, workspaces, members, bases and API
//! tokens. The edge parses and validates each request into a [`Command`]; the origin
//! enforces roles ([`Role::can`]) against its own membership records and runs it.
//!
//! API Boundary: `Command` travels in the signed envelope, like a records plan.

use crate::api::{Caller, Operation, OperationId};
use crate::error::{ApiError, ErrorCode};
use crate::ids::{BaseId, TenantId, TokenId, UserId, WorkspaceId};
use crate::schema::Change;
use crate::token::Scope;
use crate::view::ViewSpec;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Roles are per workspace (source 001 §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Viewer,
    Editor,
    Admin,
    Owner,
}

crate::json_schema::string_enum!(Role, Role::ALL);

/// What a command needs permission for; the rows of the permission table of 001 §6.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Read tables, records and views.
    ReadData,
    /// Create, update and delete records.
    WriteData,
    /// Create and alter views.
    EditViews,
    /// Create, alter and drop bases, tables and fields.
    AlterSchema,
    /// Share data outside the workspace: publish views, create and revoke API tokens.
    ShareApi,
    /// Invite and remove editors and viewers.
    ManageMembers,
    /// Grant or take the admin and owner roles, delete the workspace.
    ManageAdmins,
    /// Plans and quotas (billing, in the backend plan's words).
    ManageBilling,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Editor, Role::Admin, Role::Owner];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
            Role::Owner => "owner",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == text)
    }

    /// What the role may do with a base's records through the records API: viewers
    /// read; editors and above also write and delete.
    pub fn scopes(self) -> Vec<Scope> {
        match self.can(Action::WriteData) {
            true => vec![Scope::Read, Scope::Write, Scope::Delete],
            false => vec![Scope::Read],
        }
    }

    /// The subject of table policies a member of this role is (none for admins and
    /// owners, who write the policies).
    pub fn subject(self) -> Option<crate::catalog::Subject> {
        match self {
            Role::Viewer => Some(crate::catalog::Subject::Viewer),
            Role::Editor => Some(crate::catalog::Subject::Editor),
            Role::Admin | Role::Owner => None,
        }
    }

    /// The permission table: each role can do what the one below it can, and more.
    pub fn can(self, action: Action) -> bool {
        let least = match action {
            Action::ReadData => Role::Viewer,
            Action::WriteData | Action::EditViews => Role::Editor,
            Action::AlterSchema | Action::ShareApi | Action::ManageMembers => Role::Admin,
            Action::ManageAdmins | Action::ManageBilling => Role::Owner,
        };
        self >= least
    }
}

/// A management request, validated at the edge.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    /// Creates a user with a tenant and a first workspace they own.
    Register {
        email: String,
        password: String,
        name: String,
    },
    Login {
        email: String,
        password: String,
    },
    /// Trades a refresh token for a new access and refresh token (rotation).
    Refresh {
        refresh_token: String,
    },
    /// Revokes the refresh token's whole family.
    Logout {
        refresh_token: String,
    },
    Me,
    ListWorkspaces,
    ListMembers {
        workspace: WorkspaceId,
    },
    /// Changes the role of the member with this email; anyone else is invited, and
    /// becomes a member only by accepting. The answer does not say whether the email has
    /// an account.
    SetMember {
        workspace: WorkspaceId,
        email: String,
        role: Role,
    },
    /// The workspace's pending invitations.
    ListInvitations {
        workspace: WorkspaceId,
    },
    RevokeInvitation {
        workspace: WorkspaceId,
        invitation: uuid::Uuid,
    },
    /// The signed-in user's pending invitations (to their account's email).
    MyInvitations,
    /// Accepts (making the user a member with the invited role) or declines an invitation.
    AnswerInvitation {
        invitation: uuid::Uuid,
        accept: bool,
    },
    RemoveMember {
        workspace: WorkspaceId,
        user: UserId,
    },
    CreateBase {
        workspace: WorkspaceId,
        name: String,
    },
    ListBases {
        workspace: WorkspaceId,
    },
    /// Writes the base to an archive in the object store, as a job of the base.
    ExportBase {
        base: BaseId,
        include_files: bool,
    },
    /// Creates a base in `workspace` from an archive, as a job of the new base.
    RestoreBase {
        workspace: WorkspaceId,
        name: String,
        from: crate::archive::ArchiveSource,
    },
    /// Copies a base into a new one, as a job of the new base.
    CloneBase {
        base: BaseId,
        name: String,
        workspace: Option<WorkspaceId>,
        include_files: bool,
    },
    /// `expires_at` is an RFC 3339 date-time.
    CreateToken {
        base: BaseId,
        name: String,
        scopes: Vec<Scope>,
        expires_at: Option<String>,
        /// The token's own rate limit instead of its plan's.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rate_limit: Option<crate::usage::RateLimit>,
    },
    ListTokens {
        base: BaseId,
    },
    RevokeToken {
        base: BaseId,
        token: TokenId,
    },
    /// The base with its tables, fields and former names.
    GetBase {
        base: BaseId,
    },
    /// The base's own OpenAPI document, naming `server` (the URL the caller used).
    GetBaseReference {
        base: BaseId,
        server: String,
    },
    /// Soft-deletes a base: its tokens stop working, its data stays.
    DeleteBase {
        base: BaseId,
    },
    /// A table or field change; with `dry_run`, only the DDL it would run is returned.
    ChangeSchema {
        base: BaseId,
        change: Change,
        dry_run: bool,
    },
    /// The base's `schema_ops`, newest first.
    ListSchemaOps {
        base: BaseId,
    },
    /// The base's soft-dropped tables and fields that are not purged yet.
    ListDropped {
        base: BaseId,
    },
    /// A table's indexes, and the index builds running on it.
    ListIndexes {
        base: BaseId,
        table: String,
    },
    /// Sets (`Some(None)`: clears) the base's own monthly request quota.
    SetQuota {
        base: BaseId,
        monthly_request_quota: Option<u64>,
    },
    /// Sets the base's own upload limits.
    SetFileSettings {
        base: BaseId,
        settings: crate::bulk::FileSettings,
    },
    /// The base's metered usage: this month against its quota, and daily rows per principal.
    GetUsage {
        base: BaseId,
    },
    ListViews {
        base: BaseId,
    },
    /// A view with its versions.
    GetView {
        base: BaseId,
        view: String,
    },
    CreateView {
        base: BaseId,
        spec: ViewSpec,
    },
    /// A new version of the view, made active.
    UpdateView {
        base: BaseId,
        view: String,
        spec: ViewSpec,
    },
    /// Makes an earlier version active again.
    RollbackView {
        base: BaseId,
        view: String,
        version: i64,
    },
    DeleteView {
        base: BaseId,
        view: String,
    },
    /// Turns the view's public endpoint on or off, with its slug, auth mode and cache policy.
    PublishView {
        base: BaseId,
        view: String,
        publish: Publish,
    },
    ListViewKeys {
        base: BaseId,
        view: String,
    },
    /// A key for a view published with the `view_key` auth mode; the secret is shown once.
    CreateViewKey {
        base: BaseId,
        view: String,
        name: String,
    },
    RevokeViewKey {
        base: BaseId,
        view: String,
        key: uuid::Uuid,
    },
    /// The base's change log from a position (see `origin::changes`).
    ListChanges {
        base: BaseId,
        after: Option<String>,
        limit: u32,
    },
    /// A table's changes (or one record's), newest first, older than `before`.
    ListTableHistory {
        base: BaseId,
        table: String,
        record: Option<uuid::Uuid>,
        before: Option<i64>,
        limit: u32,
    },
    /// Restores a record to what it was before one change of the table's history (or
    /// deletes it again, for a creation), as a write of the caller's.
    RevertChange {
        base: BaseId,
        table: String,
        change: i64,
    },
    /// Writes every record of the base changed after a time back to what it was then, as
    /// writes of the caller's; or, with `dry_run`, only says what it would write.
    UndoChanges {
        base: BaseId,
        undo: UndoRequest,
    },
    /// A workspace's audit log.
    ListAudit {
        workspace: WorkspaceId,
        query: AuditQuery,
    },
    /// A base's webhook endpoints and their deliveries.
    Webhooks {
        base: BaseId,
        hook: crate::webhook::WebhookCommand,
    },
    /// A platform operator's command.
    Operator(OperatorCommand),
}

/// What the platform's operators do (`/api/v1/operator/...`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum OperatorCommand {
    ListTenants {
        /// Part of a name, or a tenant, workspace or base id.
        query: Option<String>,
        limit: u32,
    },
    GetTenant {
        tenant: TenantId,
    },
    SetPlan {
        tenant: TenantId,
        plan: String,
    },
    Suspend {
        tenant: TenantId,
        reason: String,
    },
    Resume {
        tenant: TenantId,
    },
    ListPlans,
    /// Every tenant's audit log, or one tenant's.
    Audit {
        tenant: Option<TenantId>,
        query: AuditQuery,
    },
    Health,
}

impl OperatorCommand {
    /// The tenant the command changes, if it changes one.
    pub fn changes_tenant(&self) -> Option<TenantId> {
        match self {
            OperatorCommand::SetPlan { tenant, .. }
            | OperatorCommand::Suspend { tenant, .. }
            | OperatorCommand::Resume { tenant } => Some(*tenant),
            _ => None,
        }
    }
}

/// How a view is published.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "PublishRequest")]
pub struct Publish {
    /// Serve the view at its slug, or stop serving it.
    pub enabled: bool,
    /// Required the first time; later it keeps the current one.
    #[serde(default)]
    #[schemars(regex(pattern = crate::view::SLUG_PATTERN))]
    pub slug: Option<String>,
    #[serde(default = "public_mode")]
    pub auth: crate::view::AuthMode,
    #[serde(default)]
    pub cache: crate::view::CachePolicy,
    /// The version the slug serves; the version being edited when absent. Edits make new
    /// versions that the slug serves only once published.
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub version: Option<i64>,
}

fn public_mode() -> crate::view::AuthMode {
    crate::view::AuthMode::Public
}

/// A signed-in user's access to a base, as the origin reports it to the edge.
///
/// API Boundary: sent origin → edge and cached at the edge for the token-cache TTL.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Access {
    pub user_id: UserId,
    pub base_id: BaseId,
    pub role: Role,
    /// The rate limit of the base's tenant's plan.
    #[serde(default)]
    pub rate_limit: crate::usage::RateLimit,
    /// The user's email (`user.email` in policies).
    #[serde(default)]
    pub email: String,
}

/// What a member's role is checked against: the workspace, or the base (in its workspace).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Workspace(WorkspaceId),
    Base(BaseId),
}

impl Command {
    /// The operation of the API the command is (its route, access and documentation).
    pub fn operation(&self) -> &'static Operation {
        use OperationId as Id;
        let id = match self {
            Command::Register { .. } => Id::Register,
            Command::Login { .. } => Id::Login,
            Command::Refresh { .. } => Id::Refresh,
            Command::Logout { .. } => Id::Logout,
            Command::Me => Id::Me,
            Command::ListWorkspaces => Id::ListWorkspaces,
            Command::ListMembers { .. } => Id::ListMembers,
            Command::SetMember { .. } => Id::SetMember,
            Command::ListInvitations { .. } => Id::ListInvitations,
            Command::RevokeInvitation { .. } => Id::RevokeInvitation,
            Command::MyInvitations => Id::ListMyInvitations,
            Command::AnswerInvitation { accept: true, .. } => Id::AcceptInvitation,
            Command::AnswerInvitation { accept: false, .. } => Id::DeclineInvitation,
            Command::RemoveMember { .. } => Id::RemoveMember,
            Command::CreateBase { .. } => Id::CreateBase,
            Command::ListBases { .. } => Id::ListBases,
            Command::ExportBase { .. } => Id::ExportBase,
            Command::RestoreBase { .. } => Id::RestoreBase,
            Command::CloneBase { .. } => Id::CloneBase,
            Command::CreateToken { .. } => Id::CreateToken,
            Command::ListTokens { .. } => Id::ListTokens,
            Command::RevokeToken { .. } => Id::RevokeToken,
            Command::GetBase { .. } => Id::GetBase,
            Command::GetBaseReference { .. } => Id::GetBaseReference,
            Command::DeleteBase { .. } => Id::DeleteBase,
            Command::ChangeSchema { change, .. } => match change {
                Change::CreateTable { .. } => Id::CreateTable,
                Change::RenameTable { .. } => Id::RenameTable,
                Change::DropTable { .. } => Id::DropTable,
                Change::AddField { .. } => Id::AddField,
                Change::UpdateField { .. } => Id::UpdateField,
                Change::DropField { .. } => Id::DropField,
                Change::SetRules { .. } => Id::SetTableRules,
                Change::SetPolicies { .. } => Id::SetTablePolicies,
                Change::Purge { .. } => Id::PurgeDropped,
                Change::Revert { .. } => Id::RevertSchemaOp,
                Change::ConvertField { .. } => Id::ConvertField,
                Change::AddIndex { .. } => Id::AddIndex,
                Change::DropIndex { .. } => Id::DropIndex,
            },
            Command::ListDropped { .. } => Id::ListDropped,
            Command::ListIndexes { .. } => Id::ListIndexes,
            Command::ListSchemaOps { .. } => Id::ListSchemaOps,
            Command::SetQuota { .. } => Id::SetQuota,
            Command::GetUsage { .. } => Id::GetUsage,
            Command::SetFileSettings { .. } => Id::SetFileSettings,
            Command::ListViews { .. } => Id::ListViews,
            Command::GetView { .. } => Id::GetView,
            Command::CreateView { .. } => Id::CreateView,
            Command::UpdateView { .. } => Id::UpdateView,
            Command::RollbackView { .. } => Id::RollbackView,
            Command::DeleteView { .. } => Id::DeleteView,
            Command::PublishView { .. } => Id::PublishView,
            Command::ListViewKeys { .. } => Id::ListViewKeys,
            Command::CreateViewKey { .. } => Id::CreateViewKey,
            Command::RevokeViewKey { .. } => Id::RevokeViewKey,
            Command::ListChanges { .. } => Id::ListChanges,
            Command::ListTableHistory { .. } => Id::ListTableHistory,
            Command::RevertChange { .. } => Id::RevertChange,
            Command::UndoChanges { .. } => Id::UndoChanges,
            Command::ListAudit { .. } => Id::ListAuditEvents,
            Command::Webhooks { hook, .. } => {
                use crate::webhook::WebhookCommand as Hook;
                match hook {
                    Hook::List => Id::ListWebhooks,
                    Hook::Create { .. } => Id::CreateWebhook,
                    Hook::Update { .. } => Id::UpdateWebhook,
                    Hook::Delete { .. } => Id::DeleteWebhook,
                    Hook::RotateSecret { .. } => Id::RotateWebhookSecret,
                    Hook::Deliveries { .. } => Id::ListWebhookDeliveries,
                    Hook::Redeliver { .. } => Id::RedeliverWebhook,
                }
            }
            Command::Operator(command) => match command {
                OperatorCommand::ListTenants { .. } => Id::ListTenants,
                OperatorCommand::GetTenant { .. } => Id::GetTenant,
                OperatorCommand::SetPlan { .. } => Id::SetTenantPlan,
                OperatorCommand::Suspend { .. } => Id::SuspendTenant,
                OperatorCommand::Resume { .. } => Id::ResumeTenant,
                OperatorCommand::ListPlans => Id::ListPlans,
                OperatorCommand::Audit { .. } => Id::ListPlatformAudit,
                OperatorCommand::Health => Id::GetPlatformHealth,
            },
        };
        id.operation()
    }

    /// The workspace or base whose membership the command's access is checked against.
    pub fn target(&self) -> Option<Target> {
        match self {
            Command::ListMembers { workspace }
            | Command::SetMember { workspace, .. }
            | Command::ListInvitations { workspace }
            | Command::RevokeInvitation { workspace, .. }
            | Command::RemoveMember { workspace, .. }
            | Command::CreateBase { workspace, .. }
            | Command::RestoreBase { workspace, .. }
            | Command::ListAudit { workspace, .. }
            | Command::ListBases { workspace } => Some(Target::Workspace(*workspace)),
            Command::CreateToken { base, .. }
            | Command::ListTokens { base }
            | Command::RevokeToken { base, .. }
            | Command::GetBase { base }
            | Command::GetBaseReference { base, .. }
            | Command::DeleteBase { base }
            | Command::ExportBase { base, .. }
            | Command::CloneBase { base, .. }
            | Command::ChangeSchema { base, .. }
            | Command::ListSchemaOps { base }
            | Command::ListDropped { base }
            | Command::ListIndexes { base, .. }
            | Command::SetQuota { base, .. }
            | Command::GetUsage { base }
            | Command::SetFileSettings { base, .. }
            | Command::ListViews { base }
            | Command::GetView { base, .. }
            | Command::CreateView { base, .. }
            | Command::UpdateView { base, .. }
            | Command::RollbackView { base, .. }
            | Command::DeleteView { base, .. }
            | Command::PublishView { base, .. }
            | Command::ListViewKeys { base, .. }
            | Command::CreateViewKey { base, .. }
            | Command::RevokeViewKey { base, .. }
            | Command::ListChanges { base, .. }
            | Command::ListTableHistory { base, .. }
            | Command::RevertChange { base, .. }
            | Command::UndoChanges { base, .. }
            | Command::Webhooks { base, .. } => Some(Target::Base(*base)),
            Command::Register { .. }
            | Command::Login { .. }
            | Command::Refresh { .. }
            | Command::Logout { .. }
            | Command::Me
            | Command::ListWorkspaces
            | Command::MyInvitations
            | Command::AnswerInvitation { .. }
            | Command::Operator(_) => None,
        }
    }

    /// Whether the command runs without a signed-in user.
    pub fn is_public(&self) -> bool {
        self.operation().caller == Caller::Anonymous
    }

    /// Whether the command may change how a published view answers.
    pub fn changes_view(&self) -> bool {
        matches!(
            self,
            Command::UpdateView { .. }
                | Command::RollbackView { .. }
                | Command::DeleteView { .. }
                | Command::PublishView { .. }
                | Command::CreateViewKey { .. }
                | Command::RevokeViewKey { .. }
        )
    }

    /// The base whose catalog the command may change.
    pub fn changes_catalog_of(&self) -> Option<BaseId> {
        match self {
            Command::ChangeSchema { base, dry_run: false, .. } | Command::DeleteBase { base } => Some(*base),
            _ => None,
        }
    }
}

/// What an audit log query selects (`GET /api/v1/workspaces/{ws}/audit`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditQuery {
    /// `user:<id>`, `token:<id>`, `system`.
    pub actor: Option<String>,
    /// An action (`token.create`), or a prefix ending in `*` (`record.*`).
    pub action: Option<String>,
    /// A resource id, or the prefix before one of its `/` (a table's id: its records).
    pub resource: Option<String>,
    pub base: Option<BaseId>,
    /// RFC 3339: from this time on.
    pub since: Option<String>,
    /// RFC 3339: before this time.
    pub until: Option<String>,
    pub cursor: Option<String>,
    pub limit: u32,
}

pub const MIN_PASSWORD: usize = 10;
pub const MAX_PASSWORD: usize = 256;

/// The longest display name of a workspace, base, token or key.
pub const MAX_LABEL: usize = 100;

/// The longest reason an operator gives for suspending a tenant.
pub const MAX_REASON: usize = 500;

// The bodies of the management API's requests, as the edge parses them: unknown members
// are refused, and the document describes each from its type.

/// A new account.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Register {
    #[schemars(email)]
    pub email: String,
    #[schemars(length(min = MIN_PASSWORD, max = MAX_PASSWORD))]
    pub password: String,
    /// The person's display name.
    #[schemars(length(min = 1, max = MAX_LABEL))]
    pub name: String,
}

/// Credentials.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Login {
    pub email: String,
    pub password: String,
}

/// A session's refresh token.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// Who, and their role.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberRequest {
    pub email: String,
    #[schemars(with = "Role")]
    pub role: String,
}

/// The plan to move a tenant to.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    #[schemars(length(min = 1, max = 100))]
    pub plan: String,
}

/// Why a tenant is suspended (kept with it and in the audit log).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SuspendRequest {
    #[schemars(length(min = 1, max = 500))]
    pub reason: String,
}

/// A display name.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NameRequest {
    #[schemars(length(min = 1))]
    pub name: String,
}

/// A new API token.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    #[schemars(length(min = 1, max = MAX_LABEL))]
    pub name: String,
    /// What the token may do; at least one.
    #[schemars(with = "Vec<crate::token::Scope>")]
    pub scopes: Vec<String>,
    /// When the token stops working (RFC 3339, in the future); never when absent.
    #[serde(default)]
    #[schemars(extend("format" = "date-time"))]
    pub expires_at: Option<String>,
    /// The token's own limit: requests per sliding window (default: its plan's, 600 per 60 s);
    /// it may only be lower than the plan's.
    #[serde(default)]
    pub rate_limit: Option<crate::usage::RateLimit>,
}

/// `POST /api/v1/bases/{baseId}/changes:undo`: undo everything written to the base after
/// `after`.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UndoRequest {
    /// RFC 3339: changes logged after this time are undone; records go back to what they
    /// were at this time.
    pub after: String,
    /// Only answer what the undo would write, and write nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// The `through` of a preview: the undo covers the changes the preview saw, and is
    /// refused (412) if a record it covers was written since.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub through: Option<i64>,
}

/// A data cluster's name: a lowercase letter, then up to 39 lowercase letters, digits or
/// dashes (as the control plane's check has it).
pub fn is_cluster_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|first| first.is_ascii_lowercase())
        && name.len() <= 40
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The version to make active again.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RollbackRequest {
    #[schemars(range(min = 1))]
    pub version: i64,
}

/// A base's monthly request quota.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuotaRequest {
    /// Requests per calendar month (UTC); `null` falls back to the plan's quota.
    pub monthly_request_quota: Option<u64>,
}

fn invalid(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::ValidationError, message).with("field", field)
}

/// A sign-in email: trimmed, lowercased, and shaped like an address.
pub fn normalize_email(email: &str) -> Result<String, ApiError> {
    let email = email.trim().to_ascii_lowercase();
    if crate::value::is_email(&email) { Ok(email) } else { Err(invalid("email", "'email' must be an email address.")) }
}

pub fn check_password(password: &str) -> Result<(), ApiError> {
    let length = password.chars().count();
    if (MIN_PASSWORD..=MAX_PASSWORD).contains(&length) {
        Ok(())
    } else {
        Err(invalid("password", format!("'password' must be {MIN_PASSWORD} to {MAX_PASSWORD} characters.")))
    }
}

/// A display name for a workspace, base or token: 1 to 100 characters, no control characters.
pub fn check_label(field: &str, label: &str) -> Result<String, ApiError> {
    check_text(field, label, MAX_LABEL)
}

/// A line of text of 1 to `max` characters, trimmed, without control characters.
pub fn check_text(field: &str, text: &str, max: usize) -> Result<String, ApiError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > max || text.chars().any(char::is_control) {
        return Err(invalid(field, format!("'{field}' must be 1 to {max} characters without control characters.")));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_table() {
        use Action::*;
        let table = [
            (ReadData, [true, true, true, true]),
            (WriteData, [false, true, true, true]),
            (EditViews, [false, true, true, true]),
            (AlterSchema, [false, false, true, true]),
            (ShareApi, [false, false, true, true]),
            (ManageMembers, [false, false, true, true]),
            (ManageAdmins, [false, false, false, true]),
            (ManageBilling, [false, false, false, true]),
        ];
        for (action, allowed) in table {
            for (role, allowed) in [Role::Viewer, Role::Editor, Role::Admin, Role::Owner].into_iter().zip(allowed) {
                assert_eq!(role.can(action), allowed, "{role:?} {action:?}");
            }
        }
    }

    #[test]
    fn inputs() {
        assert_eq!(normalize_email(" Ada@Example.COM ").ok(), Some("ada@example.com".into()));
        assert!(normalize_email("nope").is_err());
        assert!(check_password("short").is_err());
        assert!(check_password("long enough password").is_ok());
        assert!(check_label("name", " ").is_err());
        assert_eq!(check_label("name", " Sales ").ok(), Some("Sales".into()));
    }
}
