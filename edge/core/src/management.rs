//! `/api/v1/...`: the management API. Routes and bodies are validated here into a
//! [`Command`]; access tokens (JWTs) are verified here without a lookup; roles are
//! checked by the origin, which holds the memberships.

use crate::gate::Gate;
use crate::{Config, Host, origin};
use http::Request;
use serde::de::DeserializeOwned;
use shared::api::{Operation, OperationId, Params};
use shared::envelope::Op;
use shared::error::{ApiError, ErrorCode};
use shared::ids::{BaseId, TenantId, TokenId, UserId, WorkspaceId};
use shared::manage::{self, Command, OperatorCommand as Operator, Role};
use shared::schema::{self, Change, FieldPatch, NewField};
use shared::token::Scope;

/// Answers one management request: status, body and `Retry-After` (seconds) of a
/// throttled sign-in.
pub async fn handle<H: Host>(
    host: &H,
    config: &Config,
    gate: &Gate<'_, H>,
    request: &Request<Vec<u8>>,
    request_id: &crate::RequestId,
    (operation, params): (&Operation, &Params),
) -> Result<(u16, Vec<u8>, Option<u64>), ApiError> {
    let command = parse(operation.id, params, request)?;
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
    config
        .keys
        .verify_jwt(bearer, now_ms / 1000)
        .map(|claims| claims.sub)
        .map_err(|error| ApiError::new(ErrorCode::InvalidToken, format!("{error}.")))
}

fn parse(operation: OperationId, params: &Params, request: &Request<Vec<u8>>) -> Result<Command, ApiError> {
    use OperationId as Id;
    let body = request.body().as_slice();
    let pairs = shared::query::pairs(request.uri().query().unwrap_or(""))?;
    let schema = |base: BaseId, change: Change| -> Result<Command, ApiError> {
        Ok(Command::ChangeSchema { base, change, dry_run: dry_run(&pairs)? })
    };
    let uuid_of = |name: &str, what: &str| {
        let text = params.get(name);
        uuid::Uuid::try_parse(text)
            .map_err(|_| ApiError::new(ErrorCode::NotFound, format!("No {what} '{text}'.")).with(what, text))
    };
    let workspace = || uuid_of("workspaceId", "workspace").map(WorkspaceId);
    let base = || uuid_of("baseId", "base").map(BaseId);
    let tenant = || uuid_of("tenantId", "tenant").map(TenantId);
    let [table, field, view] = ["table", "field", "view"].map(|name| params.get(name).to_owned());
    let command = match operation {
        Id::Register => {
            let body: manage::Register = json(body)?;
            manage::check_password(&body.password)?;
            Command::Register {
                email: manage::normalize_email(&body.email)?,
                password: body.password,
                name: manage::check_label("name", &body.name)?,
            }
        }
        Id::Login => {
            let body: manage::Login = json(body)?;
            // A malformed email cannot have an account: same answer as a wrong password.
            let email = manage::normalize_email(&body.email).unwrap_or_default();
            Command::Login { email, password: body.password }
        }
        Id::Refresh => Command::Refresh { refresh_token: json::<manage::RefreshRequest>(body)?.refresh_token },
        Id::Logout => Command::Logout { refresh_token: json::<manage::RefreshRequest>(body)?.refresh_token },
        Id::Me => Command::Me,
        Id::ListWorkspaces => Command::ListWorkspaces,
        Id::ListMembers => Command::ListMembers { workspace: workspace()? },
        Id::SetMember => {
            let body: manage::MemberRequest = json(body)?;
            let role = Role::parse(&body.role).ok_or_else(|| {
                ApiError::new(ErrorCode::ValidationError, "'role' must be owner, admin, editor or viewer.")
                    .with("field", "role")
            })?;
            Command::SetMember { workspace: workspace()?, email: manage::normalize_email(&body.email)?, role }
        }
        Id::ListInvitations => Command::ListInvitations { workspace: workspace()? },
        Id::RevokeInvitation => {
            Command::RevokeInvitation { workspace: workspace()?, invitation: uuid_of("invitationId", "invitation")? }
        }
        Id::ListMyInvitations => Command::MyInvitations,
        Id::AcceptInvitation | Id::DeclineInvitation => Command::AnswerInvitation {
            invitation: uuid_of("invitationId", "invitation")?,
            accept: operation == Id::AcceptInvitation,
        },
        Id::RemoveMember => Command::RemoveMember { workspace: workspace()?, user: UserId(uuid_of("userId", "user")?) },
        Id::ListBases => Command::ListBases { workspace: workspace()? },
        Id::CreateBase => {
            let body: manage::NameRequest = json(body)?;
            Command::CreateBase { workspace: workspace()?, name: manage::check_label("name", &body.name)? }
        }
        Id::ExportBase => {
            // The body is optional: without one, the archive holds the files' metadata only.
            let body: shared::archive::ExportRequest = if body.is_empty() { Default::default() } else { json(body)? };
            Command::ExportBase { base: base()?, include_files: body.include_files }
        }
        Id::RestoreBase => {
            let body: shared::archive::RestoreRequest = json(body)?;
            if body.from.job.is_some() == body.from.file.is_some() {
                return Err(ApiError::new(
                    ErrorCode::InvalidRequest,
                    "Give one of 'from.job' (an export job) and 'from.file' (an uploaded archive).",
                ));
            }
            Command::RestoreBase {
                workspace: workspace()?,
                name: manage::check_label("name", &body.name)?,
                from: body.from,
            }
        }
        Id::CloneBase => {
            let body: shared::archive::CloneRequest = json(body)?;
            Command::CloneBase {
                base: base()?,
                name: manage::check_label("name", &body.name)?,
                workspace: body.workspace,
                include_files: body.include_files,
            }
        }
        Id::ListTokens => Command::ListTokens { base: base()? },
        Id::CreateToken => {
            let body: manage::TokenRequest = json(body)?;
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
                base: base()?,
                name: manage::check_label("name", &body.name)?,
                scopes,
                expires_at: body.expires_at,
                rate_limit: body.rate_limit,
            }
        }
        Id::RevokeToken => Command::RevokeToken { base: base()?, token: TokenId(uuid_of("tokenId", "token")?) },
        Id::GetBase => Command::GetBase { base: base()? },
        Id::GetBaseReference => Command::GetBaseReference { base: base()?, server: crate::server_url(request) },
        Id::DeleteBase => Command::DeleteBase { base: base()? },
        Id::ListSchemaOps => Command::ListSchemaOps { base: base()? },
        Id::ListDropped => Command::ListDropped { base: base()? },
        Id::ListIndexes => Command::ListIndexes { base: base()?, table: table.clone() },
        Id::AddIndex => schema(base()?, Change::AddIndex { table: table.clone(), index: json(body)? })?,
        Id::DropIndex => {
            schema(base()?, Change::DropIndex { table: table.clone(), index: params.get("index").to_owned() })?
        }
        Id::PurgeDropped => {
            let body: schema::PurgeRequest = json(body)?;
            schema(base()?, Change::Purge { item: uuid_of("droppedId", "dropped item")?, confirm: body.confirm })?
        }
        Id::RevertSchemaOp => schema(base()?, Change::Revert { op: uuid_of("opId", "schema operation")? })?,
        Id::GetUsage => Command::GetUsage { base: base()? },
        Id::ListViews => Command::ListViews { base: base()? },
        Id::CreateView => Command::CreateView { base: base()?, spec: json(body)? },
        Id::GetView => Command::GetView { base: base()?, view: view.clone() },
        Id::UpdateView => Command::UpdateView { base: base()?, view: view.clone(), spec: json(body)? },
        Id::DeleteView => Command::DeleteView { base: base()?, view: view.clone() },
        Id::RollbackView => {
            let body: manage::RollbackRequest = json(body)?;
            Command::RollbackView { base: base()?, view: view.clone(), version: body.version }
        }
        Id::PublishView => Command::PublishView { base: base()?, view: view.clone(), publish: json(body)? },
        Id::ListViewKeys => Command::ListViewKeys { base: base()?, view: view.clone() },
        Id::CreateViewKey => {
            let body: manage::NameRequest = json(body)?;
            Command::CreateViewKey { base: base()?, view: view.clone(), name: manage::check_label("name", &body.name)? }
        }
        Id::RevokeViewKey => {
            Command::RevokeViewKey { base: base()?, view: view.clone(), key: uuid_of("keyId", "key")? }
        }
        Id::ListChanges => {
            let mut after = None;
            let mut limit = 100;
            for (key, value) in &pairs {
                match key.as_str() {
                    "after" => after = Some(value.clone()),
                    "limit" => limit = page_limit(value, 1000)?,
                    _ => return Err(unknown_parameter(key)),
                }
            }
            Command::ListChanges { base: base()?, after, limit }
        }
        Id::ListTableHistory => {
            let (mut record, mut before, mut limit) = (None, None, 100);
            for (key, value) in &pairs {
                match key.as_str() {
                    "record" => {
                        record = Some(uuid::Uuid::parse_str(value).map_err(|_| {
                            ApiError::new(ErrorCode::InvalidQuery, "'record' is a record id (a UUID).")
                                .with("parameter", "record")
                        })?)
                    }
                    "before" => {
                        before = Some(value.parse().map_err(|_| {
                            ApiError::new(ErrorCode::InvalidQuery, "'before' is the `next_before` of a page.")
                                .with("parameter", "before")
                        })?)
                    }
                    "limit" => limit = page_limit(value, 1000)?,
                    _ => return Err(unknown_parameter(key)),
                }
            }
            Command::ListTableHistory { base: base()?, table: table.clone(), record, before, limit }
        }
        Id::RevertChange => {
            let text = params.get("seq");
            let change = text.parse().map_err(|_| {
                ApiError::new(ErrorCode::NotFound, format!("No change '{text}' in the table's history."))
                    .with("seq", text)
            })?;
            Command::RevertChange { base: base()?, table: table.clone(), change }
        }
        Id::UndoChanges => {
            let undo: manage::UndoRequest = json(body)?;
            if !shared::value::is_datetime(&undo.after) {
                return Err(ApiError::new(
                    ErrorCode::ValidationError,
                    "'after' must be an RFC 3339 date-time with an offset, e.g. 2026-01-31T12:00:00Z.",
                )
                .with("field", "after"));
            }
            Command::UndoChanges { base: base()?, undo }
        }
        Id::ListAuditEvents => {
            let (query, _) = audit_query(&pairs, false)?;
            Command::ListAudit { workspace: workspace()?, query }
        }
        Id::ListPlatformAudit => {
            let (query, tenant) = audit_query(&pairs, true)?;
            Command::Operator(Operator::Audit { tenant, query })
        }
        Id::ListTenants => {
            let (mut query, mut limit) = (None, 100);
            for (key, value) in &pairs {
                match key.as_str() {
                    "q" if (1..=100).contains(&value.chars().count()) => query = Some(value.clone()),
                    "q" => {
                        return Err(ApiError::new(ErrorCode::InvalidQuery, "'q' is 1 to 100 characters.")
                            .with("parameter", "q"));
                    }
                    "limit" => limit = page_limit(value, 500)?,
                    _ => return Err(unknown_parameter(key)),
                }
            }
            Command::Operator(Operator::ListTenants { query, limit })
        }
        Id::GetTenant => Command::Operator(Operator::GetTenant { tenant: tenant()? }),
        Id::SetTenantPlan => {
            let body: manage::PlanRequest = json(body)?;
            Command::Operator(Operator::SetPlan { tenant: tenant()?, plan: manage::check_label("plan", &body.plan)? })
        }
        Id::SuspendTenant => {
            let body: manage::SuspendRequest = json(body)?;
            let reason = manage::check_text("reason", &body.reason, manage::MAX_REASON)?;
            Command::Operator(Operator::Suspend { tenant: tenant()?, reason })
        }
        Id::ResumeTenant => Command::Operator(Operator::Resume { tenant: tenant()? }),
        Id::ListPlans => Command::Operator(Operator::ListPlans),
        Id::GetPlatformHealth => Command::Operator(Operator::Health),
        Id::ListWebhooks
        | Id::CreateWebhook
        | Id::UpdateWebhook
        | Id::DeleteWebhook
        | Id::RotateWebhookSecret
        | Id::ListWebhookDeliveries
        | Id::RedeliverWebhook => {
            use shared::webhook::{DeliveryState, WebhookCommand as Hook, WebhookSpec};
            let webhook = || uuid_of("webhookId", "webhook");
            let hook = match operation {
                Id::ListWebhooks => Hook::List,
                Id::CreateWebhook => Hook::Create { spec: WebhookSpec::create(json(body)?)? },
                Id::UpdateWebhook => Hook::Update { webhook: webhook()?, spec: WebhookSpec::update(json(body)?)? },
                Id::DeleteWebhook => Hook::Delete { webhook: webhook()? },
                Id::RotateWebhookSecret => Hook::RotateSecret { webhook: webhook()? },
                Id::RedeliverWebhook => {
                    let text = params.get("deliveryId");
                    let delivery = text.parse().map_err(|_| {
                        ApiError::new(ErrorCode::NotFound, format!("No delivery '{text}'.")).with("delivery", text)
                    })?;
                    Hook::Redeliver { webhook: webhook()?, delivery }
                }
                _ => {
                    let (mut state, mut before, mut limit) = (None, None, 50);
                    let refuse = |parameter: &str, message: &str| {
                        ApiError::new(ErrorCode::InvalidQuery, message).with("parameter", parameter)
                    };
                    for (key, value) in &pairs {
                        match key.as_str() {
                            "state" => {
                                state = Some(
                                    DeliveryState::parse(value)
                                        .ok_or_else(|| refuse("state", "'state' is pending, delivered or failed."))?,
                                )
                            }
                            "before" => {
                                before = Some(
                                    value
                                        .parse()
                                        .map_err(|_| refuse("before", "'before' is the `next_before` of a page."))?,
                                )
                            }
                            "limit" => limit = page_limit(value, 100)?,
                            _ => return Err(unknown_parameter(key)),
                        }
                    }
                    Hook::Deliveries { webhook: webhook()?, state, before, limit }
                }
            };
            Command::Webhooks { base: base()?, hook }
        }
        Id::SetQuota => {
            let body: manage::QuotaRequest = json(body)?;
            Command::SetQuota { base: base()?, monthly_request_quota: body.monthly_request_quota }
        }
        Id::SetFileSettings => {
            let settings = shared::bulk::compile_file_settings(&json(body)?)?;
            Command::SetFileSettings { base: base()?, settings }
        }
        Id::CreateTable => {
            let body: schema::NewTable = json(body)?;
            for field in &body.fields {
                schema::check_new_field(field)?;
            }
            schema(base()?, Change::CreateTable { name: body.name, fields: body.fields })?
        }
        Id::RenameTable => {
            let body: manage::NameRequest = json(body)?;
            schema(base()?, Change::RenameTable { table: table.clone(), name: body.name })?
        }
        Id::DropTable => schema(base()?, Change::DropTable { table: table.clone() })?,
        Id::AddField => {
            let field: NewField = json(body)?;
            schema::check_new_field(&field)?;
            schema(base()?, Change::AddField { table: table.clone(), field })?
        }
        Id::UpdateField => {
            let patch: FieldPatch = json(body)?;
            schema(base()?, Change::UpdateField { table: table.clone(), field: field.clone(), patch })?
        }
        Id::DropField => schema(base()?, Change::DropField { table: table.clone(), field: field.clone() })?,
        Id::ConvertField => {
            schema(base()?, Change::ConvertField { table: table.clone(), field: field.clone(), convert: json(body)? })?
        }
        Id::SetTableRules => schema(base()?, Change::SetRules { table: table.clone(), rules: json(body)? })?,
        Id::SetTablePolicies => schema(base()?, Change::SetPolicies { table: table.clone(), policies: json(body)? })?,
        Id::ListRecords
        | Id::CreateRecord
        | Id::DeleteRecords
        | Id::GetRecord
        | Id::UpdateRecord
        | Id::DeleteRecord
        | Id::BatchUpsertRecords
        | Id::BatchDeleteRecords
        | Id::ValidateRecord
        | Id::GetOpenApi
        | Id::GetBaseOpenApi
        | Id::ListTables
        | Id::GetTable
        | Id::GetViewData
        | Id::GetViewMeta
        | Id::WatchView
        | Id::SignUpload
        | Id::ImportCsv
        | Id::ExportCsv
        | Id::GetJob
        | Id::CancelJob
        | Id::WatchJob
        | Id::WatchRecords
        | Id::PollRecords => return Err(ApiError::internal()),
    };
    if !pairs.is_empty()
        && !matches!(
            command,
            Command::ChangeSchema { .. }
                | Command::ListChanges { .. }
                | Command::ListTableHistory { .. }
                | Command::ListAudit { .. }
                | Command::Operator(Operator::ListTenants { .. } | Operator::Audit { .. })
                | Command::Webhooks { hook: shared::webhook::WebhookCommand::Deliveries { .. }, .. }
        )
    {
        return Err(ApiError::new(ErrorCode::InvalidQuery, "This route takes no query parameters."));
    }
    Ok(command)
}

/// The filters of an audit log query; the platform's (`tenant_filter`) also takes `tenant`.
fn audit_query(
    pairs: &[(String, String)],
    tenant_filter: bool,
) -> Result<(manage::AuditQuery, Option<TenantId>), ApiError> {
    let mut query = manage::AuditQuery { limit: 50, ..manage::AuditQuery::default() };
    let mut tenant = None;
    let refuse =
        |parameter: &str, message: &str| ApiError::new(ErrorCode::InvalidQuery, message).with("parameter", parameter);
    for (key, value) in pairs {
        let slot = match key.as_str() {
            "actor" => &mut query.actor,
            "action" => &mut query.action,
            "resource" => &mut query.resource,
            "since" => &mut query.since,
            "until" => &mut query.until,
            "cursor" => &mut query.cursor,
            "base" => {
                query.base = Some(BaseId::parse(value).ok_or_else(|| refuse("base", "'base' is a base id."))?);
                continue;
            }
            "tenant" if tenant_filter => {
                tenant = Some(TenantId::parse(value).ok_or_else(|| refuse("tenant", "'tenant' is a tenant id."))?);
                continue;
            }
            "limit" => {
                query.limit = page_limit(value, 200)?;
                continue;
            }
            _ => return Err(unknown_parameter(key)),
        };
        if value.is_empty() || value.len() > 200 {
            return Err(refuse(key, &format!("'{key}' is 1 to 200 characters.")));
        }
        *slot = Some(value.clone());
    }
    Ok((query, tenant))
}

/// A page size of a management list (the change log, a table's history, deliveries, the
/// audit log): 1 to `max`.
fn page_limit(value: &str, max: u32) -> Result<u32, ApiError> {
    value.parse().ok().filter(|limit| (1..=max).contains(limit)).ok_or_else(|| {
        ApiError::new(ErrorCode::InvalidQuery, format!("'limit' is 1 to {max}.")).with("parameter", "limit")
    })
}

fn unknown_parameter(key: &str) -> ApiError {
    ApiError::new(ErrorCode::InvalidQuery, format!("Unknown query parameter '{key}'.")).with("parameter", key)
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

#[cfg(test)]
mod tests {
    use crate::route::{Route, parse as route};
    use shared::error::ErrorCode;

    /// Every declared operation is routed: a path made from its template reaches it, and
    /// the management parser knows each management operation.
    #[test]
    fn every_declared_operation_is_routed() {
        for operation in shared::api::OPERATIONS {
            let path: Vec<&str> = operation
                .path
                .split('/')
                .map(|segment| match segment {
                    // Sequence numbers and delivery ids are numbers; every other id a UUID.
                    "{seq}" | "{deliveryId}" => "1",
                    _ if segment.starts_with('{') => "0190a0b0-0000-7000-8000-000000000001",
                    _ => segment,
                })
                .collect();
            let routed = route(operation.method.as_str(), &path.join("/")).expect(operation.name);
            if let Route::Manage(found, params) = routed {
                assert_eq!(found.id, operation.id);
                let request = http::Request::new(b"{}".to_vec());
                if let Err(error) = super::parse(found.id, &params, &request) {
                    assert!(
                        [ErrorCode::InvalidRequest, ErrorCode::ValidationError].contains(&error.code),
                        "{}: {error:?}",
                        operation.name
                    );
                }
            }
        }
    }
}
