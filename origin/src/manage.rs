//! Management commands (`/api/v1/...` at the edge): sign-up and sessions, workspaces
//! and members, bases, API tokens. Roles are checked here, against the membership rows,
//! for every command; the edge only authenticates.
//!
//! Secrets (passwords, refresh tokens, API token secrets) are hashed before they touch
//! the database and never appear in a response other than the one that issues them, in
//! a log line or in an audit event.

use crate::error::{Error, bug};
use crate::store::{AdminPlanes, TokenSpec};
use crate::views;
use anyhow::Context;
use serde::Serialize;
use serde_json::{Value, json};
use shared::api::Caller;
use shared::error::{ApiError, ErrorCode};
use shared::ids::{BaseId, TenantId, TokenId, UserId, WorkspaceId};
use shared::manage::{Action, Command, Role, Target};
use shared::resource::{
    Base, BaseDeleted, BaseList, BaseSummary, Bearer, CreatedToken, DroppedList, LoggedOut, Me, QuotaSet, Registered,
    SchemaOp, SchemaOpList, SchemaOpStatus, Session, TokenInfo, TokenList, TokenRevoked, True, UsageDay, UsageReport,
    UserSummary, Workspace, WorkspaceList,
};
use shared::token::Scope;
use sqlx::{PgPool, Row};
use uuid::Uuid;

mod members;
mod operator;
pub(crate) use operator::tenant_counts;

/// Refresh tokens: `nr_<32 hex id>_<64 hex secret>`, valid 30 days, used once each.
const REFRESH_PREFIX: &str = "nr_";
const REFRESH_TTL: &str = "30 days";

pub struct Manager {
    pub control: PgPool,
    /// The data plane as the runtime role (the change feed, stored files).
    pub data: crate::pools::Clusters,
    /// The deployment's largest upload (`NC_MAX_UPLOAD`).
    pub max_upload: u64,
    /// How many failed sign-ins an email and an address get before they wait.
    pub sign_in: crate::throttle::Throttle,
    pub jwt_key: [u8; 32],
    /// Runtime control and logs pools with the admin data pool, for base DDL.
    pub planes: std::sync::Arc<AdminPlanes>,
    /// An argon2id hash of a random string, verified against when an email has no
    /// account, so that a failed sign-in takes as long either way.
    pub dummy_hash: String,
    /// Slow lists by the index that would serve them, for the index builder's suggestions.
    pub slow_lists: std::sync::Arc<crate::hints::SlowLists>,
    /// Which addresses webhook endpoints may reach.
    pub webhook_reach: shared::webhook::Reach,
}

/// The answer to a command: status and JSON body.
pub type Answer = (u16, Value);

/// The answer with `body`, one of the [`shared::resource`] types.
pub(crate) fn answer(status: u16, body: impl Serialize) -> Result<Answer, Error> {
    Ok((status, serde_json::to_value(body).context("serialize an answer")?))
}

/// A name the database stores for a role, a scope or a status: its checks keep it to the
/// names `parse` knows, so another one is a bug, not the caller's.
pub(crate) fn stored<T>(text: &str, parse: fn(&str) -> Option<T>) -> Result<T, Error> {
    parse(text).ok_or_else(|| crate::error::bug(format!("an unknown name in the control plane: {text}")))
}

impl Manager {
    /// Runs `command` for `user`; `client` is the caller's address as the edge saw it.
    pub async fn run(
        &self,
        user: Option<UserId>,
        command: &Command,
        client: Option<&str>,
        request_id: &str,
    ) -> Result<Answer, Error> {
        let caller = command.operation().caller;
        let user = match (caller, user) {
            (Caller::Anonymous, _) => None,
            (_, Some(user)) => Some(self.active_user(user).await?),
            (_, None) => return Err(ApiError::new(ErrorCode::AuthRequired, "Sign in first.").into()),
        };
        // The declared role, checked once here; handlers check more only where the target
        // asks more of the role (granting admin, taking a published view down).
        let workspace = match (caller, command.target(), user) {
            (Caller::Member(action), Some(target), Some(user)) => Some(self.authorize(user, target, action).await?),
            (Caller::Member(_), ..) => return Err(bug("a member's command without a workspace or base")),
            (Caller::Operator, _, Some(user)) => {
                self.require_operator(user).await?;
                None
            }
            _ => None,
        };
        let in_workspace = || workspace.ok_or_else(|| bug("a workspace command without its workspace"));
        let actor = user.map(|user| format!("user:{user}"));
        match (command, user) {
            (Command::Register { email, password, name }, _) => self.register(email, password, name).await,
            (Command::Login { email, password }, _) => self.login(email, password, client).await,
            (Command::Refresh { refresh_token }, _) => self.refresh(refresh_token).await,
            (Command::Logout { refresh_token }, _) => self.logout(refresh_token).await,
            (Command::Me, Some(user)) => self.me(user).await,
            (Command::ListWorkspaces, Some(user)) => answer(200, WorkspaceList { data: self.workspaces(user).await? }),
            (Command::ListMembers { workspace }, Some(_)) => self.members(*workspace).await,
            (Command::SetMember { workspace, email, role }, Some(user)) => {
                self.set_member(user, *workspace, email, *role, actor.as_deref().unwrap_or("")).await
            }
            (Command::RemoveMember { workspace, user: member }, Some(user)) => {
                self.remove_member(user, *workspace, *member, actor.as_deref().unwrap_or("")).await
            }
            (Command::ListInvitations { workspace }, Some(_)) => self.invitations(*workspace).await,
            (Command::RevokeInvitation { workspace, invitation }, Some(user)) => {
                self.revoke_invitation(user, *workspace, *invitation, actor.as_deref().unwrap_or("")).await
            }
            (Command::MyInvitations, Some(user)) => self.my_invitations(user).await,
            (Command::AnswerInvitation { invitation, accept }, Some(user)) => {
                self.answer_invitation(user, *invitation, *accept, actor.as_deref().unwrap_or("")).await
            }
            (Command::CreateBase { workspace, name }, Some(_)) => {
                self.create_base(*workspace, name, actor.as_deref().unwrap_or("")).await
            }
            (Command::ListBases { workspace }, Some(_)) => self.bases(*workspace).await,
            (Command::CreateToken { base, name, scopes, expires_at, rate_limit }, Some(_)) => {
                let workspace = in_workspace()?;
                let spec = TokenSpec { name, scopes, expires_at: expires_at.as_deref(), rate_limit: *rate_limit };
                self.create_token(workspace, *base, &spec, actor.as_deref().unwrap_or("")).await
            }
            (Command::SetQuota { base, monthly_request_quota }, Some(_)) => {
                let workspace = in_workspace()?;
                self.set_quota(workspace, *base, *monthly_request_quota, actor.as_deref().unwrap_or("")).await
            }
            (Command::GetUsage { base }, Some(_)) => self.usage(*base).await,
            (Command::SetFileSettings { base, settings }, Some(_)) => {
                let workspace = in_workspace()?;
                self.set_file_settings(workspace, *base, settings, actor.as_deref().unwrap_or("")).await
            }
            (Command::ListViews { base }, Some(_)) => answer(200, views::list(&self.control, *base).await?),
            (Command::GetView { base, view }, Some(_)) => {
                answer(200, views::describe(&self.control, *base, view).await?)
            }
            (Command::CreateView { base, spec }, Some(user)) => {
                self.unrestricted(user, in_workspace()?, *base, &spec.table, "define views over").await?;
                let created = views::create(&self.control, *base, spec, actor.as_deref().unwrap_or("")).await?;
                let after = json!({ "name": spec.name, "table": spec.table });
                self.view_event(in_workspace()?, *base, actor.as_deref(), "view.create", &spec.name, after).await?;
                answer(201, created)
            }
            (Command::UpdateView { base, view, spec }, Some(user)) => {
                self.unrestricted(user, in_workspace()?, *base, &spec.table, "define views over").await?;
                let updated = views::update(&self.control, *base, view, spec, actor.as_deref().unwrap_or("")).await?;
                let after = serde_json::to_value(spec).unwrap_or_default();
                self.view_event(in_workspace()?, *base, actor.as_deref(), "view.update", view, after).await?;
                answer(200, updated)
            }
            (Command::RollbackView { base, view, version }, Some(_)) => {
                let rolled = views::rollback(&self.control, *base, view, *version).await?;
                let after = json!({ "version": version });
                self.view_event(in_workspace()?, *base, actor.as_deref(), "view.rollback", view, after).await?;
                answer(200, rolled)
            }
            (Command::DeleteView { base, view }, Some(user)) => {
                // Taking a published view off its URL is the admins' call, like publishing it.
                if views::is_published(&self.control, *base, view).await? {
                    self.require_base(user, *base, Action::ShareApi).await?;
                }
                let deleted = views::delete(&self.control, *base, view).await?;
                self.view_event(in_workspace()?, *base, actor.as_deref(), "view.delete", view, json!({})).await?;
                answer(200, deleted)
            }
            (Command::PublishView { base, view, publish }, Some(_)) => {
                let published = views::publish(&self.control, *base, view, publish).await?;
                let after = serde_json::to_value(publish).unwrap_or_default();
                self.view_event(in_workspace()?, *base, actor.as_deref(), "view.publish", view, after).await?;
                answer(200, published)
            }
            (Command::ListViewKeys { base, view }, Some(_)) => {
                answer(200, views::keys(&self.control, *base, view).await?)
            }
            (Command::CreateViewKey { base, view, name }, Some(_)) => {
                let created = views::create_key(&self.control, *base, view, name).await?;
                let after = json!({ "name": name });
                self.view_event(in_workspace()?, *base, actor.as_deref(), "view.key_create", view, after).await?;
                answer(201, created)
            }
            (Command::RevokeViewKey { base, view, key }, Some(_)) => {
                let revoked = views::revoke_key(&self.control, *base, view, *key).await?;
                let after = json!({ "key": key });
                self.view_event(in_workspace()?, *base, actor.as_deref(), "view.key_revoke", view, after).await?;
                answer(200, revoked)
            }
            (Command::ListChanges { base, after, limit }, Some(_)) => {
                answer(200, crate::changes::list(self.data_of(*base).await?, *base, after.as_deref(), *limit).await?)
            }
            (Command::ListTableHistory { base, table, record, before, limit }, Some(user)) => {
                self.unrestricted(user, in_workspace()?, *base, table, "read the history of").await?;
                let catalog = crate::catalog::live_catalog(&self.control, *base).await?;
                let table = shared::schema::find_table(&catalog, table)?.id;
                answer(
                    200,
                    crate::changes::history(self.data_of(*base).await?, *base, table, *record, *before, *limit).await?,
                )
            }
            (Command::ListTokens { base }, Some(_)) => self.tokens(*base).await,
            (Command::RevokeToken { base, token }, Some(_)) => {
                let workspace = in_workspace()?;
                self.revoke_token(workspace, *base, *token, actor.as_deref().unwrap_or("")).await
            }
            (Command::GetBase { base }, Some(_)) => self.base(*base).await,
            (Command::GetBaseReference { base, server }, Some(_)) => {
                let catalog = crate::catalog::live_catalog(&self.control, *base).await?;
                Ok((200, openapi::base_document(server, &catalog)))
            }
            (Command::DeleteBase { base }, Some(_)) => {
                let workspace = in_workspace()?;
                self.delete_base(workspace, *base, actor.as_deref().unwrap_or(""), request_id).await
            }
            (Command::ChangeSchema { base, change, dry_run }, Some(_)) => {
                self.refuse_restoring(*base).await?;
                let workspace = in_workspace()?;
                let tenant = self.tenant_of(workspace).await?;
                // Spawned, so that a client hanging up cannot cut an operation short.
                let (planes, base, change, dry_run) = (self.planes.clone(), *base, change.clone(), *dry_run);
                let (actor, request_id) = (actor.clone().unwrap_or_default(), request_id.to_owned());
                let (status, body) = tokio::spawn(async move {
                    let requester = crate::schema::Requester { tenant, actor: &actor, request_id: Some(&request_id) };
                    crate::schema::change(&planes, base, &requester, &change, dry_run).await
                })
                .await
                .map_err(bug)??;
                answer(status, body)
            }
            (Command::ListSchemaOps { base }, Some(_)) => self.schema_ops(*base).await,
            (Command::ListDropped { base }, Some(_)) => {
                let mut control = self.control.acquire().await?;
                answer(200, DroppedList { data: crate::schema::dropped(&self.planes, &mut control, *base).await? })
            }
            (Command::ListIndexes { base, table }, Some(_)) => {
                let mut control = self.control.acquire().await?;
                answer(200, crate::schema::indexes(&self.planes, &mut control, &self.slow_lists, *base, table).await?)
            }
            (Command::ListAudit { workspace, query }, Some(_)) => self.audit_log(*workspace, query).await,
            // Written through the records path: `Executor::revert`.
            (Command::RevertChange { .. } | Command::UndoChanges { .. }, _) => {
                Err(bug("a revert outside the executor"))
            }
            // Jobs: `Executor::archive_command`.
            (Command::ExportBase { .. } | Command::RestoreBase { .. } | Command::CloneBase { .. }, _) => {
                Err(bug("an archive command outside the executor"))
            }
            (Command::Webhooks { base, hook }, Some(_)) => {
                let tenant = self.tenant_of(in_workspace()?).await?;
                self.webhooks(tenant, *base, hook, actor.as_deref().unwrap_or("")).await
            }
            (Command::Operator(command), Some(_)) => self.operate(command, actor.as_deref().unwrap_or("")).await,
            (_, None) => Err(ApiError::new(ErrorCode::AuthRequired, "Sign in first.").into()),
        }
    }

    /// Whether `user` may revert changes of `table`: a member who writes data (the
    /// role `authorize` checked), whom no policy of the table restricts; their role.
    pub(crate) async fn may_revert(&self, user: UserId, base: BaseId, table: &str) -> Result<Role, Error> {
        let user = self.active_user(user).await?;
        let workspace = self.authorize(user, Target::Base(base), Action::WriteData).await?;
        self.unrestricted(user, workspace, base, table, "revert changes of").await
    }

    /// The runtime pool of the data cluster a base lives on.
    pub(crate) async fn data_of(&self, base: BaseId) -> Result<&crate::pools::DataPool, Error> {
        Ok(&self.data.get(&crate::catalog::placed(&self.control, base).await?)?.pool)
    }

    /// The admin's role, for undoing a base's changes.
    pub(crate) async fn may_undo(&self, user: UserId, base: BaseId) -> Result<Role, Error> {
        let user = self.active_user(user).await?;
        let workspace = self.authorize(user, Target::Base(base), Action::AlterSchema).await?;
        self.refuse_restoring(base).await?;
        self.require(user, workspace, Action::AlterSchema).await
    }

    pub(crate) async fn active_user(&self, user: UserId) -> Result<UserId, Error> {
        let active: Option<bool> = sqlx::query_scalar("SELECT disabled_at IS NULL FROM users WHERE id = $1")
            .bind(user.0)
            .fetch_optional(&self.control)
            .await?;
        match active {
            Some(true) => Ok(user),
            _ => Err(ApiError::new(ErrorCode::InvalidToken, "This account no longer exists or is disabled.").into()),
        }
    }

    /// The user's role in the workspace, if it allows `action` and the workspace's tenant
    /// is not suspended. A workspace the user is not a member of is reported as not found,
    /// so its existence does not leak.
    async fn require(&self, user: UserId, workspace: WorkspaceId, action: Action) -> Result<Role, Error> {
        let row: Option<(String, Uuid, bool)> = sqlx::query_as(
            "SELECT m.role, n.id, n.suspended_at IS NOT NULL FROM memberships m \
             JOIN workspaces w ON w.id = m.workspace_id JOIN tenants n ON n.id = w.tenant_id \
             WHERE m.workspace_id = $1 AND m.user_id = $2 AND w.deleted_at IS NULL",
        )
        .bind(workspace.0)
        .bind(user.0)
        .fetch_optional(&self.control)
        .await?;
        let (role, tenant, suspended) = row.ok_or_else(|| not_a_member(workspace))?;
        let role = Role::parse(&role).ok_or_else(|| not_a_member(workspace))?;
        if suspended {
            return Err(crate::catalog::tenant_suspended(TenantId(tenant)).into());
        }
        if role.can(action) { Ok(role) } else { Err(forbidden(role, action).into()) }
    }

    /// Refuses a user who is not a platform operator.
    pub(crate) async fn require_operator(&self, user: UserId) -> Result<(), Error> {
        if self.is_operator(user).await? {
            return Ok(());
        }
        Err(ApiError::new(ErrorCode::Forbidden, "Only the platform's operators may do this.")
            .with("required_role", "operator")
            .into())
    }

    pub(crate) async fn is_operator(&self, user: UserId) -> Result<bool, Error> {
        let role: Option<Option<String>> = sqlx::query_scalar("SELECT platform_role FROM users WHERE id = $1")
            .bind(user.0)
            .fetch_optional(&self.control)
            .await?;
        Ok(role.flatten().as_deref() == Some("operator"))
    }

    /// Refuses a member whom a policy of `table` restricts: a view shows what its
    /// definition says to whoever reads it, and the history holds whole records, so
    /// neither is for someone who may see only part of the table. The member's role.
    async fn unrestricted(
        &self,
        user: UserId,
        workspace: WorkspaceId,
        base: BaseId,
        table: &str,
        what: &str,
    ) -> Result<Role, Error> {
        let role = self.require(user, workspace, Action::ReadData).await?;
        let Some(subject) = role.subject() else { return Ok(role) };
        let catalog = crate::catalog::live_catalog(&self.control, base).await?;
        match shared::schema::find_table(&catalog, table) {
            Ok(found) if found.policy(subject).is_some() => Err(ApiError::new(
                ErrorCode::PolicyDenied,
                format!(
                    "A policy restricts what {}s see of '{}', so they cannot {what} it.",
                    role.as_str(),
                    found.name
                ),
            )
            .with("reason", "restricted_by_policy")
            .with("table", found.name.as_str())
            .into()),
            _ => Ok(role),
        }
    }

    /// Checks the user's role in the target's workspace allows `action`; returns the workspace.
    pub(crate) async fn authorize(&self, user: UserId, target: Target, action: Action) -> Result<WorkspaceId, Error> {
        match target {
            Target::Workspace(workspace) => self.require(user, workspace, action).await.map(|_| workspace),
            Target::Base(base) => self.require_base(user, base, action).await,
        }
    }

    /// Like [`Self::require`], for a base: returns the base's workspace.
    async fn require_base(&self, user: UserId, base: BaseId, action: Action) -> Result<WorkspaceId, Error> {
        let workspace: Option<Option<Uuid>> =
            sqlx::query_scalar("SELECT workspace_id FROM bases WHERE id = $1 AND deleted_at IS NULL")
                .bind(base.0)
                .fetch_optional(&self.control)
                .await?;
        let not_found = || {
            ApiError::new(ErrorCode::NotFound, "No such base, or you are not a member of its workspace.")
                .with("base", base.to_string())
        };
        let workspace = WorkspaceId(workspace.flatten().ok_or_else(not_found)?);
        self.require(user, workspace, action).await.map_err(|error| match error {
            Error::Api(error) if error.code == ErrorCode::NotFound => not_found().into(),
            error => error,
        })?;
        Ok(workspace)
    }

    async fn register(&self, email: &str, password: &str, name: &str) -> Result<Answer, Error> {
        let hash = crate::password::hash(password).await?;
        let created = self
            .planes
            .create_owner(None, email, name, &hash)
            .await
            .map_err(|error| Error::Unavailable("The account could not be created; retry shortly.", error))?;
        let (user, workspace) = created.ok_or_else(|| {
            ApiError::new(ErrorCode::EmailTaken, "An account with this email exists; sign in instead.")
                .with("field", "email")
        })?;
        let session = self.new_session(user, Uuid::new_v4()).await?;
        let user = UserSummary { id: user, email: email.to_owned(), name: name.to_owned() };
        answer(201, Registered { user, workspace_id: workspace, session })
    }

    /// Throttled per account and per address ([`crate::throttle`]) before the password
    /// is checked.
    async fn login(&self, email: &str, password: &str, client: Option<&str>) -> Result<Answer, Error> {
        let attempt = self.sign_in.attempt(&self.control, email, client).await?;
        let row = sqlx::query("SELECT id, password_hash FROM users WHERE email = $1 AND disabled_at IS NULL")
            .bind(email)
            .fetch_optional(&self.control)
            .await?;
        // Without a user, verify against a fixed hash anyway: the answer takes as long
        // either way, so timing does not reveal which emails have accounts.
        let (user, hash) = match &row {
            Some(row) => (Some(row.get::<Uuid, _>(0)), row.get::<String, _>(1)),
            None => (None, self.dummy_hash.clone()),
        };
        let verified = crate::password::verify(password, hash).await?;
        match user.filter(|_| verified) {
            Some(user) => {
                self.sign_in.succeeded(&self.control, attempt).await?;
                self.sign_in_event(&format!("user:{user}"), "auth.login", user.to_string(), client).await;
                answer(200, self.new_session(UserId(user), Uuid::new_v4()).await?)
            }
            None => {
                self.sign_in_event("anonymous", "auth.login_failed", email.to_owned(), client).await;
                crate::throttle::prune(&self.control).await;
                Err(ApiError::new(ErrorCode::InvalidCredentials, "Wrong email or password.").into())
            }
        }
    }

    /// A sign-in's audit event, of no tenant (a person signs in to every workspace they are
    /// in). Sign-ins go on while the logs plane is down: the failure is logged instead.
    async fn sign_in_event(&self, actor: &str, action: &str, resource: String, client: Option<&str>) {
        let after = json!({ "client": client });
        let written = self.planes.audit_event(None, None, actor, action, resource, after, None).await;
        if let Err(error) = written {
            tracing::error!(error = %format!("{error:#}"), action, "audit event not written");
        }
    }

    /// An access token and a new refresh token in `family`.
    async fn new_session(&self, user: UserId, family: Uuid) -> Result<Session, Error> {
        let id = Uuid::new_v4();
        let secret = random_hex()?;
        sqlx::query(&format!(
            "INSERT INTO refresh_tokens (id, user_id, family, secret_sha256, expires_at) \
             VALUES ($1, $2, $3, $4, now() + interval '{REFRESH_TTL}')"
        ))
        .bind(id)
        .bind(user.0)
        .bind(family)
        .bind(shared::token::sha256(secret.as_bytes()).to_vec())
        .execute(&self.control)
        .await?;
        let now = crate::clock::now_ms() / 1000;
        Ok(Session {
            access_token: shared::jwt::issue(&self.jwt_key, user, now),
            token_type: Bearer,
            expires_in: shared::jwt::ACCESS_TTL_SECONDS,
            refresh_token: format!("{REFRESH_PREFIX}{}_{secret}", id.simple()),
        })
    }

    /// Rotation with reuse detection: a refresh token works once; presenting it again
    /// means it was copied, so the whole family (every later token too) is revoked.
    async fn refresh(&self, token: &str) -> Result<Answer, Error> {
        let (id, secret_sha256) = parse_refresh(token)?;
        let mut transaction = self.control.begin().await?;
        let row = sqlx::query(
            "SELECT user_id, family, secret_sha256, used_at IS NOT NULL, revoked_at IS NOT NULL OR expires_at <= now() \
             FROM refresh_tokens WHERE id = $1 FOR UPDATE",
        )
        .bind(id)
        .fetch_optional(&mut *transaction)
        .await?;
        let row =
            row.filter(|row| secret_matches(&row.get::<Vec<u8>, _>(2), &secret_sha256)).ok_or_else(bad_refresh)?;
        let (user, family, used, dead): (Uuid, Uuid, bool, bool) = (row.get(0), row.get(1), row.get(3), row.get(4));
        if dead {
            return Err(bad_refresh().into());
        }
        if used {
            sqlx::query("UPDATE refresh_tokens SET revoked_at = now() WHERE family = $1 AND revoked_at IS NULL")
                .bind(family)
                .execute(&mut *transaction)
                .await?;
            transaction.commit().await?;
            tracing::warn!(user = %user, "refresh token reused; its session family is revoked");
            return Err(ApiError::new(
                ErrorCode::InvalidToken,
                "This refresh token was already used, so it may have been copied: the session is revoked. Sign in again.",
            ).into());
        }
        sqlx::query("UPDATE refresh_tokens SET used_at = now() WHERE id = $1")
            .bind(id)
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await?;
        answer(200, self.new_session(self.active_user(UserId(user)).await?, family).await?)
    }

    async fn logout(&self, token: &str) -> Result<Answer, Error> {
        let (id, secret_sha256) = parse_refresh(token)?;
        let row = sqlx::query("SELECT family, secret_sha256 FROM refresh_tokens WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.control)
            .await?;
        let row =
            row.filter(|row| secret_matches(&row.get::<Vec<u8>, _>(1), &secret_sha256)).ok_or_else(bad_refresh)?;
        sqlx::query("UPDATE refresh_tokens SET revoked_at = now() WHERE family = $1 AND revoked_at IS NULL")
            .bind(row.get::<Uuid, _>(0))
            .execute(&self.control)
            .await?;
        answer(200, LoggedOut { logged_out: True })
    }

    async fn me(&self, user: UserId) -> Result<Answer, Error> {
        let row =
            sqlx::query("SELECT email, name FROM users WHERE id = $1").bind(user.0).fetch_one(&self.control).await?;
        let workspaces = self.workspaces(user).await?;
        let operator = self.is_operator(user).await?;
        answer(200, Me { id: user, email: row.get(0), name: row.get(1), workspaces, operator })
    }

    /// The user's workspaces, oldest first.
    async fn workspaces(&self, user: UserId) -> Result<Vec<Workspace>, Error> {
        let rows = sqlx::query(
            "SELECT w.id, w.name, m.role, n.suspended_at IS NOT NULL FROM memberships m \
             JOIN workspaces w ON w.id = m.workspace_id JOIN tenants n ON n.id = w.tenant_id \
             WHERE m.user_id = $1 AND w.deleted_at IS NULL ORDER BY w.created_at, w.id",
        )
        .bind(user.0)
        .fetch_all(&self.control)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Workspace {
                    id: WorkspaceId(row.get(0)),
                    name: row.get(1),
                    role: stored(row.get(2), Role::parse)?,
                    suspended: row.get(3),
                })
            })
            .collect()
    }

    /// A base being restored takes no schema change, export or clone: it is not whole yet.
    pub(crate) async fn refuse_restoring(&self, base: BaseId) -> Result<(), Error> {
        let restoring: Option<bool> = sqlx::query_scalar("SELECT restoring FROM bases WHERE id = $1")
            .bind(base.0)
            .fetch_optional(&self.control)
            .await?;
        match restoring {
            Some(true) => Err(ApiError::new(
                ErrorCode::ServiceUnavailable,
                "The base is being restored; wait for its restore job to finish.",
            )
            .into()),
            _ => Ok(()),
        }
    }

    pub(crate) async fn tenant_of(&self, workspace: WorkspaceId) -> Result<TenantId, Error> {
        let tenant: Uuid = sqlx::query_scalar("SELECT tenant_id FROM workspaces WHERE id = $1")
            .bind(workspace.0)
            .fetch_one(&self.control)
            .await?;
        Ok(TenantId(tenant))
    }

    async fn create_base(&self, workspace: WorkspaceId, name: &str, actor: &str) -> Result<Answer, Error> {
        let tenant = self.tenant_of(workspace).await?;
        let plan = crate::usage::plan(&self.control, tenant).await?;
        let created = self.planes.create_base(tenant, Some(workspace), name, actor, Some(&plan), false).await;
        let base = created.map_err(|error| match error.downcast::<ApiError>() {
            Ok(refusal) => Error::Api(refusal),
            Err(error) => Error::Unavailable("The base could not be created; retry shortly.", error),
        })?;
        answer(
            201,
            BaseSummary {
                id: base,
                name: name.to_owned(),
                workspace_id: Some(workspace),
                created_at: None,
                restoring: false,
            },
        )
    }

    async fn bases(&self, workspace: WorkspaceId) -> Result<Answer, Error> {
        let rows = sqlx::query(
            "SELECT id, name, created_at::text, restoring FROM bases WHERE workspace_id = $1 AND deleted_at IS NULL \
             ORDER BY created_at, id",
        )
        .bind(workspace.0)
        .fetch_all(&self.control)
        .await?;
        let data = rows
            .iter()
            .map(|row| BaseSummary {
                id: BaseId(row.get(0)),
                name: row.get(1),
                workspace_id: None,
                created_at: Some(row.get(2)),
                restoring: row.get(3),
            })
            .collect();
        answer(200, BaseList { data })
    }

    /// The base with its tables and fields, as the records API sees them.
    async fn base(&self, base: BaseId) -> Result<Answer, Error> {
        let row = sqlx::query("SELECT name, workspace_id, created_at::text FROM bases WHERE id = $1")
            .bind(base.0)
            .fetch_one(&self.control)
            .await?;
        let catalog = crate::catalog::live_catalog(&self.control, base).await?;
        answer(
            200,
            Base {
                id: base,
                name: row.get(0),
                workspace_id: row.get::<Option<Uuid>, _>(1).map(WorkspaceId),
                created_at: row.get(2),
                catalog_version: catalog.version,
                tables: shared::resource::Table::all(&catalog),
            },
        )
    }

    /// Soft-deletes a base: its catalog and tokens stop resolving at once; its data stays.
    async fn delete_base(
        &self,
        workspace: WorkspaceId,
        base: BaseId,
        actor: &str,
        request_id: &str,
    ) -> Result<Answer, Error> {
        sqlx::query("UPDATE bases SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL")
            .bind(base.0)
            .execute(&self.control)
            .await?;
        // Its webhooks stop delivering; they are kept with the base's data.
        let client = crate::pools::connection(self.data_of(base).await?).await?;
        client
            .execute(
                "UPDATE nc.webhooks SET enabled = false, disabled_reason = 'The base was deleted.' \
                 WHERE base_id = $1::text::uuid",
                &[&base.to_string()],
            )
            .await?;
        let tenant = self.tenant_of(workspace).await?;
        self.planes
            .audit_event(tenant, Some(base), actor, "base.delete", base.to_string(), json!({}), Some(request_id))
            .await
            .map_err(|error| {
                tracing::error!(error = %format!("{error:#}"), "audit event not written");
                ApiError::new(ErrorCode::ServiceUnavailable, "The audit log is unavailable; retry shortly.")
            })?;
        answer(200, BaseDeleted { id: base, deleted: True })
    }

    async fn schema_ops(&self, base: BaseId) -> Result<Answer, Error> {
        let rows = sqlx::query(&format!(
            "SELECT o.id, o.kind, o.status, o.actor, o.error, o.payload -> 'request', o.payload -> 'steps', \
             o.created_at::text, o.finished_at::text, {} FROM schema_ops o WHERE o.base_id = $1 \
             ORDER BY o.created_at DESC, o.id LIMIT 200",
            crate::schema::revertible("o")
        ))
        .bind(base.0)
        .fetch_all(&self.control)
        .await?;
        let data = rows
            .iter()
            .map(|row| {
                Ok(SchemaOp {
                    id: row.get(0),
                    kind: row.get(1),
                    status: stored(row.get(2), SchemaOpStatus::parse)?,
                    actor: row.get(3),
                    error: row.get(4),
                    request: row.get(5),
                    steps: row.get(6),
                    created_at: row.get(7),
                    finished_at: row.get(8),
                    revertible: row.get(9),
                })
            })
            .collect::<Result<_, Error>>()?;
        answer(200, SchemaOpList { data })
    }

    async fn create_token(
        &self,
        workspace: WorkspaceId,
        base: BaseId,
        spec: &TokenSpec<'_>,
        actor: &str,
    ) -> Result<Answer, Error> {
        if let Some(expires_at) = spec.expires_at {
            let future: bool = sqlx::query_scalar("SELECT ($1::text)::timestamptz > now()")
                .bind(expires_at)
                .fetch_one(&self.control)
                .await?;
            if !future {
                return Err(ApiError::new(ErrorCode::ValidationError, "'expires_at' must be in the future.")
                    .with("field", "expires_at")
                    .into());
            }
        }
        let tenant = self.tenant_of(workspace).await?;
        // A tenant cannot lift its own limit: a token's is at most its plan's.
        if let Some(limit) = spec.rate_limit {
            let plan = crate::usage::plan(&self.control, tenant).await?;
            if !limit.within(plan.rate_limit) {
                return Err(ApiError::new(
                    ErrorCode::ValidationError,
                    format!(
                        "'rate_limit' ({limit}) is above the '{}' plan's rate limit ({}); a token's own limit \
                         may only be lower.",
                        plan.name, plan.rate_limit
                    ),
                )
                .with("field", "rate_limit")
                .with("limit", "plan_rate_limit")
                .with(
                    "max",
                    json!({ "requests": plan.rate_limit.requests, "window_seconds": plan.rate_limit.window_seconds }),
                )
                .with("plan", plan.name)
                .into());
            }
        }
        let (token_id, secret) = self
            .planes
            .insert_token(tenant, base, spec, actor)
            .await
            .map_err(|error| Error::Unavailable("The token could not be created; retry shortly.", error))?;
        answer(
            201,
            CreatedToken {
                id: token_id,
                name: spec.name.to_owned(),
                base_id: base,
                scopes: spec.scopes.to_vec(),
                expires_at: spec.expires_at.map(str::to_owned),
                rate_limit: spec.rate_limit,
                // Shown once: only its hash is stored.
                token: shared::token::format(token_id, &secret),
            },
        )
    }

    async fn set_quota(
        &self,
        workspace: WorkspaceId,
        base: BaseId,
        monthly: Option<u64>,
        actor: &str,
    ) -> Result<Answer, Error> {
        let monthly = monthly.map(|limit| i64::try_from(limit).unwrap_or(i64::MAX));
        sqlx::query("UPDATE bases SET monthly_request_quota = $2 WHERE id = $1")
            .bind(base.0)
            .bind(monthly)
            .execute(&self.control)
            .await?;
        let tenant = self.tenant_of(workspace).await?;
        self.audit(
            tenant,
            Some(base),
            actor,
            "base.quota",
            base.to_string(),
            json!({ "monthly_request_quota": monthly }),
        )
        .await?;
        let status = crate::usage::quota(&self.control, base, crate::clock::now_ms()).await?;
        answer(200, QuotaSet { base_id: base, monthly_request_quota: monthly, quota: status })
    }

    async fn set_file_settings(
        &self,
        workspace: WorkspaceId,
        base: BaseId,
        settings: &shared::bulk::FileSettings,
        actor: &str,
    ) -> Result<Answer, Error> {
        let max = settings.max_upload_bytes.map(|max| i64::try_from(max).unwrap_or(i64::MAX));
        sqlx::query("UPDATE bases SET upload_max_bytes = $2, upload_content_types = $3 WHERE id = $1")
            .bind(base.0)
            .bind(max)
            .bind(&settings.content_types)
            .execute(&self.control)
            .await?;
        let tenant = self.tenant_of(workspace).await?;
        self.audit(tenant, Some(base), actor, "base.file_settings", base.to_string(), json!(settings)).await?;
        answer(200, self.storage(base).await?)
    }

    async fn storage(&self, base: BaseId) -> Result<shared::bulk::StorageUsage, Error> {
        let policy = crate::usage::upload_policy(&self.control, base, self.max_upload).await?;
        let client = crate::pools::connection(self.data_of(base).await?).await?;
        Ok(policy.usage(crate::usage::stored(&client, base).await?))
    }

    /// This month against the quota, and the last 31 days per principal.
    async fn usage(&self, base: BaseId) -> Result<Answer, Error> {
        let status = crate::usage::quota(&self.control, base, crate::clock::now_ms()).await?;
        let rows = sqlx::query(
            "SELECT day::text, principal, api_calls FROM usage_daily WHERE base_id = $1 \
             AND day > current_date - 31 ORDER BY day DESC, principal",
        )
        .bind(base.0)
        .fetch_all(&self.control)
        .await?;
        let days =
            rows.iter().map(|row| UsageDay { day: row.get(0), principal: row.get(1), api_calls: row.get(2) }).collect();
        answer(200, UsageReport { base_id: base, quota: status, storage: self.storage(base).await?, days })
    }

    async fn tokens(&self, base: BaseId) -> Result<Answer, Error> {
        let rows = sqlx::query(
            "SELECT id, name, scopes, created_at::text, expires_at::text, revoked_at::text FROM api_tokens \
             WHERE base_id = $1 ORDER BY created_at, id",
        )
        .bind(base.0)
        .fetch_all(&self.control)
        .await?;
        let data = rows
            .iter()
            .map(|row| {
                let scopes: Vec<String> = row.get(2);
                Ok(TokenInfo {
                    id: TokenId(row.get(0)),
                    name: row.get(1),
                    scopes: scopes.iter().map(|scope| stored(scope, Scope::parse)).collect::<Result<_, _>>()?,
                    created_at: row.get(3),
                    expires_at: row.get(4),
                    revoked_at: row.get(5),
                })
            })
            .collect::<Result<_, Error>>()?;
        answer(200, TokenList { data })
    }

    async fn revoke_token(
        &self,
        workspace: WorkspaceId,
        base: BaseId,
        token: TokenId,
        actor: &str,
    ) -> Result<Answer, Error> {
        // The update fires nc_tokens, so every origin drops its cached state at once.
        let revoked = sqlx::query(
            "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND base_id = $2",
        )
        .bind(token.0)
        .bind(base.0)
        .execute(&self.control)
        .await?;
        if revoked.rows_affected() == 0 {
            return Err(ApiError::new(ErrorCode::NotFound, "No such token in this base.")
                .with("token", token.to_string())
                .into());
        }
        let tenant = self.tenant_of(workspace).await?;
        self.audit(tenant, Some(base), actor, "token.revoke", token.to_string(), json!({})).await?;
        answer(200, TokenRevoked { id: token, revoked: True })
    }

    /// The audit event of a view's change (`resource`: the view as the request named it).
    async fn view_event(
        &self,
        workspace: WorkspaceId,
        base: BaseId,
        actor: Option<&str>,
        action: &str,
        resource: &str,
        after: Value,
    ) -> Result<(), Error> {
        let tenant = self.tenant_of(workspace).await?;
        self.audit(tenant, Some(base), actor.unwrap_or(""), action, resource.to_owned(), after).await
    }

    pub(crate) async fn audit(
        &self,
        tenant: TenantId,
        base: Option<BaseId>,
        actor: &str,
        action: &str,
        resource: String,
        after: Value,
    ) -> Result<(), Error> {
        self.planes
            .audit_event(tenant, base, actor, action, resource, after, None)
            .await
            .map_err(|error| Error::Unavailable("The audit log is unavailable; retry shortly.", error))
    }
}

/// A workspace that does not exist and one the caller is not a member of look the same.
fn not_a_member(workspace: WorkspaceId) -> ApiError {
    ApiError::new(ErrorCode::NotFound, "No such workspace, or you are not a member of it.")
        .with("workspace", workspace.to_string())
}

fn forbidden(role: Role, action: Action) -> ApiError {
    let needed = [Role::Viewer, Role::Editor, Role::Admin, Role::Owner].into_iter().find(|role| role.can(action));
    ApiError::new(ErrorCode::Forbidden, format!("Your role in this workspace ({}) does not allow this.", role.as_str()))
        .with("role", role.as_str())
        .with("required_role", needed.map_or("owner", Role::as_str))
}

fn bad_refresh() -> ApiError {
    ApiError::new(ErrorCode::InvalidToken, "The refresh token is invalid, expired or revoked; sign in again.")
}

fn parse_refresh(token: &str) -> Result<(Uuid, [u8; 32]), Error> {
    let rest = token.strip_prefix(REFRESH_PREFIX).ok_or_else(bad_refresh)?;
    let (id, secret) = rest.split_once('_').ok_or_else(bad_refresh)?;
    let id = Uuid::try_parse(id).ok().filter(|_| id.len() == 32).ok_or_else(bad_refresh)?;
    Ok((id, shared::token::sha256(secret.as_bytes())))
}

fn secret_matches(stored: &[u8], presented: &[u8; 32]) -> bool {
    subtle::ConstantTimeEq::ct_eq(stored, presented.as_slice()).into()
}

fn random_hex() -> Result<String, Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(bug)?;
    Ok(hex::encode(bytes))
}
