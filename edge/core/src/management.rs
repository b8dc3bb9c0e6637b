//! `/api/v1/...`: the management API. Routes and bodies are validated here into a
//! [`Command`]; access tokens (JWTs) are verified here without a lookup; roles are
//! checked by the origin, which holds the memberships.

use crate::gate::Gate;
use crate::{Config, Host, origin};
use http::{Method, Request};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use shared::envelope::Op;
use shared::error::{ApiError, ErrorCode};
use shared::ids::{BaseId, TokenId, UserId, WorkspaceId};
use shared::manage::{self, Command, Role};
use shared::schema::{self, Change, FieldPatch, NewField};
use shared::token::Scope;

pub const PREFIX: &str = "/api/v1/";

/// Answers one management request: status, body and `Retry-After` (seconds) of a
/// throttled sign-in.
pub async fn handle<H: Host>(
    host: &H,
    config: &Config,
    gate: &Gate<'_, H>,
    request: &Request<Vec<u8>>,
    request_id: &str,
) -> Result<(u16, Vec<u8>, Option<u64>), ApiError> {
    let command = parse(request.method(), request.uri().path(), request.uri().query().unwrap_or(""), request.body())?;
    let user = match command.is_public() {
        // Sign-up and sign-in are limited per client address (a brake on password guessing).
        true => {
            gate.anonymous().await?;
            None
        }
        false => {
            let user = authenticate(config, request, host.now_ms())?;
            gate.user(user).await?;
            Some(user)
        }
    };
    let changed_base = command.changes_catalog_of();
    let changes_view = command.changes_view();
    // The address the host saw (Workers: `CF-Connecting-IP`; edge-host: the peer), never
    // a header the client chose.
    let client = host.client_address();
    let reply = origin::call(host, config, request_id, Op::Manage { user, command, client }).await?;
    // This edge sees its own changes at once; the others when the origin's push arrives
    // (and for a schema, when a request names a new name).
    if let Some(base) = changed_base {
        crate::catalog::forget(host, base).await;
    }
    if changes_view && (200..300).contains(&reply.status) {
        let answer: serde_json::Value = serde_json::from_slice(&reply.body).unwrap_or_default();
        let base = answer["base_id"].as_str().and_then(BaseId::parse);
        if let (Some(base), Some(slug)) = (base, answer["slug"].as_str()) {
            host.bump_epochs(base, &[shared::invalidation::view_epoch(slug)]).await;
        }
    }
    let retry_after = match reply.status {
        429 => serde_json::from_slice::<serde_json::Value>(&reply.body).ok().and_then(|answer| {
            answer["error"]["details"]["retry_after_seconds"].as_u64().map(|seconds| seconds.max(1))
        }),
        _ => None,
    };
    Ok((reply.status, reply.body, retry_after))
}

fn authenticate(config: &Config, request: &Request<Vec<u8>>, now_ms: i64) -> Result<UserId, ApiError> {
    let bearer = crate::auth::bearer(request.headers())?;
    if !shared::jwt::looks_like_jwt(bearer) {
        return Err(ApiError::new(
            ErrorCode::InvalidToken,
            "The management API takes the access token from /api/v1/auth/login, not an API token.",
        ));
    }
    shared::jwt::verify(&config.jwt_key, bearer, now_ms / 1000)
        .map(|claims| claims.sub)
        .map_err(|error| ApiError::new(ErrorCode::InvalidToken, format!("{error}.")))
}

fn parse(method: &Method, path: &str, query: &str, body: &[u8]) -> Result<Command, ApiError> {
    let rest = path.strip_prefix(PREFIX).unwrap_or("").trim_end_matches('/');
    let segments: Vec<&str> = rest.split('/').collect();
    let decoded = |segment: &str| shared::query::percent_decode_path(segment);
    let pairs = shared::query::pairs(query)?;
    let schema = |base: BaseId, change: Change| -> Result<Command, ApiError> {
        Ok(Command::ChangeSchema { base, change, dry_run: dry_run(&pairs)? })
    };
    let uuid_of = |text: &str, what: &str| {
        uuid::Uuid::try_parse(text)
            .map_err(|_| ApiError::new(ErrorCode::NotFound, format!("No {what} '{text}'.")).with(what, text))
    };
    let workspace = |text: &str| uuid_of(text, "workspace").map(WorkspaceId);
    let base = |text: &str| uuid_of(text, "base").map(BaseId);
    let command = match (method.clone(), segments.as_slice()) {
        (Method::POST, ["auth", "register"]) => {
            let body: Register = json(body)?;
            manage::check_password(&body.password)?;
            Command::Register {
                email: manage::normalize_email(&body.email)?,
                password: body.password,
                name: manage::check_label("name", &body.name)?,
            }
        }
        (Method::POST, ["auth", "login"]) => {
            let body: Login = json(body)?;
            // A malformed email cannot have an account: same answer as a wrong password.
            let email = manage::normalize_email(&body.email).unwrap_or_default();
            Command::Login { email, password: body.password }
        }
        (Method::POST, ["auth", "refresh"]) => Command::Refresh { refresh_token: json::<Refresh>(body)?.refresh_token },
        (Method::POST, ["auth", "logout"]) => Command::Logout { refresh_token: json::<Refresh>(body)?.refresh_token },
        (Method::GET, ["auth", "me"]) => Command::Me,
        (Method::GET, ["workspaces"]) => Command::ListWorkspaces,
        (Method::GET, ["workspaces", id, "members"]) => Command::ListMembers { workspace: workspace(id)? },
        (Method::PUT, ["workspaces", id, "members"]) => {
            let body: Member = json(body)?;
            let role = Role::parse(&body.role).ok_or_else(|| {
                ApiError::new(ErrorCode::ValidationError, "'role' must be owner, admin, editor or viewer.")
                    .with("field", "role")
            })?;
            Command::SetMember { workspace: workspace(id)?, email: manage::normalize_email(&body.email)?, role }
        }
        (Method::GET, ["workspaces", id, "invitations"]) => Command::ListInvitations { workspace: workspace(id)? },
        (Method::DELETE, ["workspaces", id, "invitations", invitation]) => {
            Command::RevokeInvitation { workspace: workspace(id)?, invitation: uuid_of(invitation, "invitation")? }
        }
        (Method::GET, ["invitations"]) => Command::MyInvitations,
        (Method::POST, ["invitations", invitation, answer @ ("accept" | "decline")]) => {
            Command::AnswerInvitation { invitation: uuid_of(invitation, "invitation")?, accept: *answer == "accept" }
        }
        (Method::DELETE, ["workspaces", id, "members", user]) => {
            Command::RemoveMember { workspace: workspace(id)?, user: UserId(uuid_of(user, "user")?) }
        }
        (Method::GET, ["workspaces", id, "bases"]) => Command::ListBases { workspace: workspace(id)? },
        (Method::POST, ["workspaces", id, "bases"]) => {
            let body: Named = json(body)?;
            Command::CreateBase { workspace: workspace(id)?, name: manage::check_label("name", &body.name)? }
        }
        (Method::GET, ["bases", id, "tokens"]) => Command::ListTokens { base: base(id)? },
        (Method::POST, ["bases", id, "tokens"]) => {
            let body: NewToken = json(body)?;
            let mut scopes = Vec::new();
            for scope in &body.scopes {
                let scope = Scope::parse(scope).ok_or_else(|| {
                    ApiError::new(ErrorCode::ValidationError, "'scopes' lists read, write and delete only.")
                        .with("field", "scopes")
                })?;
                if !scopes.contains(&scope) {
                    scopes.push(scope);
                }
            }
            if scopes.is_empty() {
                return Err(ApiError::new(
                    ErrorCode::ValidationError,
                    "'scopes' needs at least one of read, write, delete.",
                )
                .with("field", "scopes"));
            }
            if body.expires_at.as_deref().is_some_and(|at| !shared::value::is_datetime(at)) {
                return Err(ApiError::new(ErrorCode::ValidationError, "'expires_at' must be an RFC 3339 date-time.")
                    .with("field", "expires_at"));
            }
            if body.rate_limit.is_some_and(|limit| !limit.is_valid()) {
                return Err(ApiError::new(
                    ErrorCode::ValidationError,
                    "'rate_limit' needs requests ≥ 1 and window_seconds from 1 to 3600.",
                )
                .with("field", "rate_limit"));
            }
            Command::CreateToken {
                base: base(id)?,
                name: manage::check_label("name", &body.name)?,
                scopes,
                expires_at: body.expires_at,
                rate_limit: body.rate_limit,
            }
        }
        (Method::DELETE, ["bases", id, "tokens", token]) => {
            Command::RevokeToken { base: base(id)?, token: TokenId(uuid_of(token, "token")?) }
        }
        (Method::GET, ["bases", id]) => Command::GetBase { base: base(id)? },
        (Method::DELETE, ["bases", id]) => Command::DeleteBase { base: base(id)? },
        (Method::GET, ["bases", id, "schema-ops"]) => Command::ListSchemaOps { base: base(id)? },
        (Method::GET, ["bases", id, "usage"]) => Command::GetUsage { base: base(id)? },
        (Method::GET, ["bases", id, "views"]) => Command::ListViews { base: base(id)? },
        (Method::POST, ["bases", id, "views"]) => Command::CreateView { base: base(id)?, spec: json(body)? },
        (Method::GET, ["bases", id, "views", view]) => Command::GetView { base: base(id)?, view: decoded(view)? },
        (Method::PUT, ["bases", id, "views", view]) => {
            Command::UpdateView { base: base(id)?, view: decoded(view)?, spec: json(body)? }
        }
        (Method::DELETE, ["bases", id, "views", view]) => Command::DeleteView { base: base(id)?, view: decoded(view)? },
        (Method::POST, ["bases", id, "views", view, "rollback"]) => {
            let body: Rollback = json(body)?;
            Command::RollbackView { base: base(id)?, view: decoded(view)?, version: body.version }
        }
        (Method::PUT, ["bases", id, "views", view, "publish"]) => {
            Command::PublishView { base: base(id)?, view: decoded(view)?, publish: json(body)? }
        }
        (Method::POST, ["bases", id, "views", view, "keys"]) => {
            let body: Named = json(body)?;
            Command::CreateViewKey {
                base: base(id)?,
                view: decoded(view)?,
                name: manage::check_label("name", &body.name)?,
            }
        }
        (Method::DELETE, ["bases", id, "views", view, "keys", key]) => {
            Command::RevokeViewKey { base: base(id)?, view: decoded(view)?, key: uuid_of(key, "key")? }
        }
        (Method::GET, ["bases", id, "changes"]) => {
            let mut after = None;
            let mut limit = 100;
            for (key, value) in &pairs {
                match key.as_str() {
                    "after" => after = Some(value.clone()),
                    "limit" => {
                        limit = value.parse().ok().filter(|limit| (1..=1000).contains(limit)).ok_or_else(|| {
                            ApiError::new(ErrorCode::InvalidQuery, "'limit' is 1 to 1000.").with("parameter", "limit")
                        })?
                    }
                    _ => {
                        return Err(ApiError::new(
                            ErrorCode::InvalidQuery,
                            format!("Unknown query parameter '{key}'."),
                        )
                        .with("parameter", key.as_str()));
                    }
                }
            }
            Command::ListChanges { base: base(id)?, after, limit }
        }
        (Method::PUT, ["bases", id, "quota"]) => {
            let body: Quota = json(body)?;
            Command::SetQuota { base: base(id)?, monthly_request_quota: body.monthly_request_quota }
        }
        (Method::POST, ["bases", id, "tables"]) => {
            let body: NewTable = json(body)?;
            for field in &body.fields {
                schema::check_new_field(field)?;
            }
            schema(base(id)?, Change::CreateTable { name: body.name, fields: body.fields })?
        }
        (Method::PATCH, ["bases", id, "tables", table]) => {
            let body: Named = json(body)?;
            schema(base(id)?, Change::RenameTable { table: decoded(table)?, name: body.name })?
        }
        (Method::DELETE, ["bases", id, "tables", table]) => {
            schema(base(id)?, Change::DropTable { table: decoded(table)? })?
        }
        (Method::POST, ["bases", id, "tables", table, "fields"]) => {
            let field: NewField = json(body)?;
            schema::check_new_field(&field)?;
            schema(base(id)?, Change::AddField { table: decoded(table)?, field })?
        }
        (Method::PATCH, ["bases", id, "tables", table, "fields", field]) => {
            let patch: FieldPatch = json(body)?;
            schema(base(id)?, Change::UpdateField { table: decoded(table)?, field: decoded(field)?, patch })?
        }
        (Method::DELETE, ["bases", id, "tables", table, "fields", field]) => {
            schema(base(id)?, Change::DropField { table: decoded(table)?, field: decoded(field)? })?
        }
        _ => {
            return Err(ApiError::new(
                ErrorCode::RouteNotFound,
                format!("No route for {method} '{path}'. See /v1/openapi.json."),
            )
            .with("path", path));
        }
    };
    if !pairs.is_empty() && !matches!(command, Command::ChangeSchema { .. } | Command::ListChanges { .. }) {
        return Err(ApiError::new(ErrorCode::InvalidQuery, "This route takes no query parameters."));
    }
    Ok(command)
}

/// `?dry_run=true` previews a schema change: the DDL it would run, nothing applied.
fn dry_run(pairs: &[(String, String)]) -> Result<bool, ApiError> {
    let mut dry_run = false;
    for (key, value) in pairs {
        dry_run = match (key.as_str(), value.as_str()) {
            ("dry_run", "true") => true,
            ("dry_run", "false") => false,
            ("dry_run", _) => {
                return Err(
                    ApiError::new(ErrorCode::InvalidQuery, "'dry_run' is true or false.").with("parameter", "dry_run")
                );
            }
            _ => {
                return Err(ApiError::new(ErrorCode::InvalidQuery, format!("Unknown query parameter '{key}'."))
                    .with("parameter", key.as_str()));
            }
        };
    }
    Ok(dry_run)
}

fn json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|error| {
        ApiError::new(ErrorCode::InvalidRequest, format!("The body does not fit this route: {error}."))
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Register {
    email: String,
    password: String,
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Login {
    email: String,
    password: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Refresh {
    refresh_token: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Member {
    email: String,
    role: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Named {
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewTable {
    name: String,
    #[serde(default)]
    fields: Vec<NewField>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewToken {
    name: String,
    scopes: Vec<String>,
    #[serde(default)]
    expires_at: Option<String>,
    #[serde(default)]
    rate_limit: Option<shared::usage::RateLimit>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Rollback {
    version: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Quota {
    /// `null` falls back to the plan's quota.
    monthly_request_quota: Option<u64>,
}
