//! Members and invitations. Nobody is added to a workspace unasked: adding an email that
//! is not a member's makes an invitation, which the person sees once signed in to an
//! account with that email and accepts or declines. The inviter's answer is the same
//! whether or not the email has an account.
//!
//! Every change of a workspace's memberships runs in one transaction holding the
//! workspace's row lock, and checks the caller's role and the owners left inside it: two
//! removals at once cannot both see a second owner and leave none.

use super::{Answer, Manager, answer, forbidden, not_a_member, stored};
use crate::error::Error;
use serde_json::json;
use shared::error::{ApiError, ErrorCode};
use shared::ids::{UserId, WorkspaceId};
use shared::manage::{Action, Role};
use shared::resource::{
    Invitation, InvitationAnswered, InvitationCreated, InvitationList, InvitationStatus, Inviter, Member, MemberList,
    MemberRemoved, MyInvitation, MyInvitationList, True,
};
use sqlx::{Postgres, Row, Transaction};
use uuid::Uuid;

/// How long an invitation can be accepted.
const INVITATION_TTL: &str = "14 days";

type Locked<'a> = Transaction<'a, Postgres>;

impl Manager {
    /// A transaction holding `workspace`'s row lock, with the caller's role in it, if
    /// that allows `action`.
    async fn lock_workspace(
        &self,
        workspace: WorkspaceId,
        caller: UserId,
        action: Action,
    ) -> Result<(Locked<'static>, Role), Error> {
        let mut transaction = self.control.begin().await?;
        let live: Option<Uuid> =
            sqlx::query_scalar("SELECT id FROM workspaces WHERE id = $1 AND deleted_at IS NULL FOR UPDATE")
                .bind(workspace.0)
                .fetch_optional(&mut *transaction)
                .await?;
        let role = match live {
            Some(_) => role_in(&mut transaction, workspace, caller).await?,
            None => None,
        };
        let role = role.ok_or_else(|| not_a_member(workspace))?;
        if !role.can(action) {
            return Err(forbidden(role, action).into());
        }
        Ok((transaction, role))
    }

    pub(super) async fn members(&self, workspace: WorkspaceId) -> Result<Answer, Error> {
        let rows = sqlx::query(
            "SELECT u.id, u.email, u.name, m.role FROM memberships m JOIN users u ON u.id = m.user_id \
             WHERE m.workspace_id = $1 ORDER BY m.created_at, u.id",
        )
        .bind(workspace.0)
        .fetch_all(&self.control)
        .await?;
        let data = rows
            .iter()
            .map(|row| {
                Ok(Member {
                    user_id: UserId(row.get(0)),
                    email: row.get(1),
                    name: Some(row.get(2)),
                    role: stored(row.get(3), Role::parse)?,
                    workspace_id: None,
                })
            })
            .collect::<Result<_, Error>>()?;
        answer(200, MemberList { data })
    }

    /// Changes a member's role (200), or invites the email with that role (202). Granting
    /// or taking admin or owner is the owner's call.
    pub(super) async fn set_member(
        &self,
        caller: UserId,
        workspace: WorkspaceId,
        email: &str,
        role: Role,
        actor: &str,
    ) -> Result<Answer, Error> {
        let (mut transaction, own) = self.lock_workspace(workspace, caller, Action::ManageMembers).await?;
        let member = sqlx::query(
            "SELECT m.user_id, m.role FROM memberships m JOIN users u ON u.id = m.user_id \
             WHERE m.workspace_id = $1 AND u.email = $2",
        )
        .bind(workspace.0)
        .bind(email)
        .fetch_optional(&mut *transaction)
        .await?;
        let current = member.as_ref().and_then(|row| Role::parse(&row.get::<String, _>(1)));
        if (role >= Role::Admin || current.is_some_and(|current| current >= Role::Admin))
            && !own.can(Action::ManageAdmins)
        {
            return Err(forbidden(own, Action::ManageAdmins).into());
        }
        let Some(member) = member else {
            return self.invite(transaction, caller, workspace, email, role, actor).await;
        };
        let user: Uuid = member.get(0);
        if current == Some(Role::Owner) && role != Role::Owner {
            keep_an_owner(&mut transaction, workspace).await?;
        }
        sqlx::query("UPDATE memberships SET role = $3 WHERE workspace_id = $1 AND user_id = $2")
            .bind(workspace.0)
            .bind(user)
            .bind(role.as_str())
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await?;
        let tenant = self.tenant_of(workspace).await?;
        self.audit(tenant, None, actor, "member.set", format!("{workspace}/{user}"), json!({ "role": role.as_str() }))
            .await?;
        let member =
            Member { user_id: UserId(user), email: email.to_owned(), name: None, role, workspace_id: Some(workspace) };
        answer(200, member)
    }

    /// A pending invitation of `email` (renewed if there is one), whoever has that email.
    async fn invite(
        &self,
        mut transaction: Locked<'static>,
        caller: UserId,
        workspace: WorkspaceId,
        email: &str,
        role: Role,
        actor: &str,
    ) -> Result<Answer, Error> {
        let row = sqlx::query(&format!(
            "INSERT INTO invitations (id, workspace_id, email, role, invited_by, expires_at) \
             VALUES ($1, $2, $3, $4, $5, now() + interval '{INVITATION_TTL}') \
             ON CONFLICT (workspace_id, email) WHERE status = 'pending' DO UPDATE \
             SET role = EXCLUDED.role, invited_by = EXCLUDED.invited_by, expires_at = EXCLUDED.expires_at \
             RETURNING id, created_at::text, expires_at::text"
        ))
        .bind(Uuid::new_v4())
        .bind(workspace.0)
        .bind(email)
        .bind(role.as_str())
        .bind(caller.0)
        .fetch_one(&mut *transaction)
        .await?;
        transaction.commit().await?;
        let id: Uuid = row.get(0);
        let tenant = self.tenant_of(workspace).await?;
        let after = json!({ "email": email, "role": role.as_str() });
        self.audit(tenant, None, actor, "member.invite", format!("{workspace}/{id}"), after).await?;
        let invitation = Invitation {
            id,
            workspace_id: workspace,
            email: email.to_owned(),
            role,
            status: InvitationStatus::Pending,
            invited_by: None,
            created_at: row.get(1),
            expires_at: row.get(2),
        };
        answer(202, InvitationCreated { invitation })
    }

    pub(super) async fn remove_member(
        &self,
        caller: UserId,
        workspace: WorkspaceId,
        user: UserId,
        actor: &str,
    ) -> Result<Answer, Error> {
        let (mut transaction, own) = self.lock_workspace(workspace, caller, Action::ManageMembers).await?;
        let current = role_in(&mut transaction, workspace, user).await?.ok_or_else(|| {
            ApiError::new(ErrorCode::NotFound, "This user is not a member of the workspace.")
                .with("user", user.to_string())
        })?;
        if current >= Role::Admin && !own.can(Action::ManageAdmins) {
            return Err(forbidden(own, Action::ManageAdmins).into());
        }
        if current == Role::Owner {
            keep_an_owner(&mut transaction, workspace).await?;
        }
        sqlx::query("DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2")
            .bind(workspace.0)
            .bind(user.0)
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await?;
        let tenant = self.tenant_of(workspace).await?;
        self.audit(tenant, None, actor, "member.remove", format!("{workspace}/{user}"), json!({})).await?;
        answer(200, MemberRemoved { removed: True, user_id: user })
    }

    /// The workspace's pending invitations, newest first.
    pub(super) async fn invitations(&self, workspace: WorkspaceId) -> Result<Answer, Error> {
        let rows = sqlx::query(
            "SELECT id, email, role, invited_by, created_at::text, expires_at::text FROM invitations \
             WHERE workspace_id = $1 AND status = 'pending' AND expires_at > now() ORDER BY created_at DESC, id",
        )
        .bind(workspace.0)
        .fetch_all(&self.control)
        .await?;
        let data = rows
            .iter()
            .map(|row| {
                Ok(Invitation {
                    id: row.get(0),
                    workspace_id: workspace,
                    email: row.get(1),
                    role: stored(row.get(2), Role::parse)?,
                    status: InvitationStatus::Pending,
                    invited_by: Some(UserId(row.get(3))),
                    created_at: row.get(4),
                    expires_at: row.get(5),
                })
            })
            .collect::<Result<_, Error>>()?;
        answer(200, InvitationList { data })
    }

    pub(super) async fn revoke_invitation(
        &self,
        caller: UserId,
        workspace: WorkspaceId,
        invitation: Uuid,
        actor: &str,
    ) -> Result<Answer, Error> {
        let (mut transaction, own) = self.lock_workspace(workspace, caller, Action::ManageMembers).await?;
        let role: Option<String> = sqlx::query_scalar(
            "SELECT role FROM invitations WHERE id = $1 AND workspace_id = $2 AND status = 'pending' FOR UPDATE",
        )
        .bind(invitation)
        .bind(workspace.0)
        .fetch_optional(&mut *transaction)
        .await?;
        let role = role.and_then(|role| Role::parse(&role)).ok_or_else(|| no_invitation(invitation))?;
        if role >= Role::Admin && !own.can(Action::ManageAdmins) {
            return Err(forbidden(own, Action::ManageAdmins).into());
        }
        sqlx::query("UPDATE invitations SET status = 'revoked', answered_at = now() WHERE id = $1")
            .bind(invitation)
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await?;
        let tenant = self.tenant_of(workspace).await?;
        self.audit(tenant, None, actor, "member.uninvite", format!("{workspace}/{invitation}"), json!({})).await?;
        answer(
            200,
            InvitationAnswered { id: invitation, workspace_id: None, status: InvitationStatus::Revoked, role: None },
        )
    }

    /// The invitations waiting for the signed-in user: those to their account's email.
    pub(super) async fn my_invitations(&self, user: UserId) -> Result<Answer, Error> {
        let rows = sqlx::query(
            "SELECT i.id, i.workspace_id, w.name, i.role, f.name, f.email, i.created_at::text, i.expires_at::text \
             FROM users u JOIN invitations i ON i.email = u.email JOIN workspaces w ON w.id = i.workspace_id \
             JOIN users f ON f.id = i.invited_by \
             WHERE u.id = $1 AND i.status = 'pending' AND i.expires_at > now() AND w.deleted_at IS NULL \
             ORDER BY i.created_at DESC, i.id",
        )
        .bind(user.0)
        .fetch_all(&self.control)
        .await?;
        let data = rows
            .iter()
            .map(|row| {
                Ok(MyInvitation {
                    id: row.get(0),
                    workspace_id: WorkspaceId(row.get(1)),
                    workspace_name: row.get(2),
                    role: stored(row.get(3), Role::parse)?,
                    status: InvitationStatus::Pending,
                    invited_by: Inviter { name: row.get(4), email: row.get(5) },
                    created_at: row.get(6),
                    expires_at: row.get(7),
                })
            })
            .collect::<Result<_, Error>>()?;
        answer(200, MyInvitationList { data })
    }

    /// Accepting makes the user a member with the invited role (a member already keeps
    /// their role); declining only closes the invitation.
    pub(super) async fn answer_invitation(
        &self,
        user: UserId,
        invitation: Uuid,
        accept: bool,
        actor: &str,
    ) -> Result<Answer, Error> {
        // Addressed to this user's email, pending and unexpired: anything else is not found,
        // as an invitation to someone else is none of their business.
        let pending = "SELECT i.workspace_id, i.role FROM invitations i JOIN users u ON u.email = i.email \
                       JOIN workspaces w ON w.id = i.workspace_id WHERE i.id = $1 AND u.id = $2 \
                       AND i.status = 'pending' AND i.expires_at > now() AND w.deleted_at IS NULL";
        let workspace: Option<Uuid> = sqlx::query_scalar(&format!("SELECT workspace_id FROM ({pending}) AS p"))
            .bind(invitation)
            .bind(user.0)
            .fetch_optional(&self.control)
            .await?;
        let workspace = WorkspaceId(workspace.ok_or_else(|| no_invitation(invitation))?);
        let mut transaction = self.control.begin().await?;
        sqlx::query("SELECT 1 FROM workspaces WHERE id = $1 FOR UPDATE")
            .bind(workspace.0)
            .execute(&mut *transaction)
            .await?;
        let row = sqlx::query(&format!("{pending} FOR UPDATE OF i"))
            .bind(invitation)
            .bind(user.0)
            .fetch_optional(&mut *transaction)
            .await?
            .ok_or_else(|| no_invitation(invitation))?;
        let invited = stored(row.get(1), Role::parse)?;
        sqlx::query("UPDATE invitations SET status = $2, answered_at = now() WHERE id = $1")
            .bind(invitation)
            .bind(if accept { "accepted" } else { "declined" })
            .execute(&mut *transaction)
            .await?;
        if !accept {
            transaction.commit().await?;
            let status = InvitationStatus::Declined;
            return answer(
                200,
                InvitationAnswered { id: invitation, workspace_id: Some(workspace), status, role: None },
            );
        }
        sqlx::query(
            "INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, $3) \
             ON CONFLICT (workspace_id, user_id) DO NOTHING",
        )
        .bind(workspace.0)
        .bind(user.0)
        .bind(invited.as_str())
        .execute(&mut *transaction)
        .await?;
        let role = role_in(&mut transaction, workspace, user).await?.unwrap_or(invited);
        transaction.commit().await?;
        let tenant = self.tenant_of(workspace).await?;
        let after = json!({ "role": role.as_str() });
        self.audit(tenant, None, actor, "member.join", format!("{workspace}/{user}"), after).await?;
        let status = InvitationStatus::Accepted;
        answer(200, InvitationAnswered { id: invitation, workspace_id: Some(workspace), status, role: Some(role) })
    }
}

async fn role_in(
    transaction: &mut Locked<'static>,
    workspace: WorkspaceId,
    user: UserId,
) -> Result<Option<Role>, Error> {
    let role: Option<String> =
        sqlx::query_scalar("SELECT role FROM memberships WHERE workspace_id = $1 AND user_id = $2")
            .bind(workspace.0)
            .bind(user.0)
            .fetch_optional(&mut **transaction)
            .await?;
    Ok(role.and_then(|role| Role::parse(&role)))
}

/// Refuses to take the owner role from the last owner; the workspace's row lock makes
/// the count hold until the change commits.
async fn keep_an_owner(transaction: &mut Locked<'static>, workspace: WorkspaceId) -> Result<(), Error> {
    let owners: i64 = sqlx::query_scalar("SELECT count(*) FROM memberships WHERE workspace_id = $1 AND role = 'owner'")
        .bind(workspace.0)
        .fetch_one(&mut **transaction)
        .await?;
    if owners <= 1 {
        return Err(ApiError::new(
            ErrorCode::ValidationError,
            "A workspace keeps at least one owner; make someone else owner first.",
        )
        .with("field", "role")
        .into());
    }
    Ok(())
}

fn no_invitation(invitation: Uuid) -> ApiError {
    ApiError::new(ErrorCode::NotFound, "No pending invitation with this id for you.")
        .with("invitation", invitation.to_string())
}
