//! `POST /internal/v1/execute`: verify an envelope, then answer its operation.
//!
//! Verification order is fixed and cheap-first: signature over the exact bytes, format
//! version, issued-at window, nonce, then the token state and catalog version. Only then
//! is a plan lowered to SQL and run.

use crate::catalog::ControlState;
use crate::clock::now_ms;
use crate::error::{Error, bug};
use crate::nonce::Nonces;
use crate::pools::{Planes, params};
use shared::api::OperationId;
use shared::catalog::{Catalog, Subject, Table};
use shared::envelope::{self, Envelope, Op, Principal};
use shared::error::{ApiError, ErrorCode};
use shared::ids::{BaseId, RecordId};
use shared::lower::{self, WriteContext};
use shared::manage::{Access, Action, Command, OperatorCommand, Role};
use shared::plan::{self, DeleteTarget, Include, Plan};
use shared::policy::{Caller, SeeAs};
use shared::records::{BatchUpsertResult, DeleteManyResult, DeleteResult};
use shared::resource::True;
use shared::token::Scope;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio_postgres::error::SqlState;
use tracing::Instrument;

pub struct Executor {
    pub metrics: crate::metrics::Metrics,
    /// The edges' keys: an envelope signed with any of them is verified.
    pub keys: shared::keys::Keyring,
    pub cursor_key: [u8; 32],
    pub nonces: Nonces,
    pub control: Arc<ControlState>,
    pub planes: Planes,
    pub manager: crate::manage::Manager,
    pub slow_lists: Arc<crate::hints::SlowLists>,
    /// The object store of uploads and jobs' files, when one is configured.
    pub storage: Option<Arc<crate::storage::Storage>>,
    /// Wakes a job worker of this origin when a job is queued here.
    pub job_wake: tokio::sync::Notify,
    /// Which cluster a job worker looks at first next (see `claim`).
    pub job_turn: std::sync::atomic::AtomicUsize,
    /// The event streams open on this origin.
    pub streams: Arc<crate::events::Streams>,
}

/// What the HTTP layer sends back.
pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
    pub request_id: String,
    pub catalog_version: Option<i64>,
    /// The record's `ETag`, for single-record answers.
    pub etag: Option<String>,
    /// The answer is the stored response of an earlier request with the same idempotency key.
    pub replayed: bool,
    /// For the log line: which operation ran.
    pub op: &'static str,
    /// Where the time went, as a `Server-Timing` value.
    pub timing: String,
    /// The answer is this event stream, which the HTTP layer sends as it comes.
    pub events: Option<crate::events::Events>,
}

/// A request id minted by the origin, for answers to requests it cannot trust.
pub fn origin_request_id() -> String {
    format!("origin_{}", uuid::Uuid::new_v4().simple())
}

impl Executor {
    pub async fn execute(&self, signature: Option<&str>, body: &[u8]) -> Reply {
        let started = std::time::Instant::now();
        let envelope = match self.verify(signature, body).await {
            Ok(envelope) => envelope,
            Err(error) => {
                // The body is not trusted, so neither is its request id.
                let request_id = origin_request_id();
                return Reply {
                    status: error.status(),
                    body: error.to_body(&request_id),
                    request_id,
                    catalog_version: None,
                    etag: None,
                    replayed: false,
                    op: "refused",
                    timing: String::new(),
                    events: None,
                };
            }
        };
        // Public operations by their `operationId`; the edge's own calls by what they fetch.
        let op = match &envelope.op {
            Op::LookupToken { .. } => "lookupToken",
            Op::LookupAccess { .. } => "lookupAccess",
            Op::LoadView { .. } => "loadView",
            Op::RecordUsage { .. } => "recordUsage",
            Op::QuotaStatus { .. } => "quotaStatus",
            Op::LoadCatalog { .. } => "loadCatalog",
            Op::Records { principal: Principal::View { .. }, .. } => OperationId::GetViewData.operation().name,
            Op::Records { plan, .. } => plan.operation().operation().name,
            Op::Bulk { request, .. } => request.operation().operation().name,
            Op::Watch { principal: Principal::View { .. }, .. } => OperationId::WatchView.operation().name,
            Op::Watch { poll: true, .. } => OperationId::PollRecords.operation().name,
            Op::Watch { .. } => OperationId::WatchRecords.operation().name,
            Op::Manage { command, .. } => command.operation().name,
        };
        let verified = started.elapsed();
        let mut catalog_version = None;
        let database = AtomicU64::new(0);
        // The request's span, a child of the context the edge signed in ([`crate::trace`]).
        let span = tracing::info_span!(
            "execute",
            otel.name = op,
            request_id = %envelope.request_id,
            traceparent = envelope.traceparent.as_deref().unwrap_or_default(),
            http.response.status_code = tracing::field::Empty,
        );
        let dispatched = self.dispatch(&envelope, &mut catalog_version, &database).instrument(span.clone()).await;
        let answer = match dispatched {
            Ok(answer) => answer,
            Err(error) => {
                let error = error.answer(&envelope.request_id, op);
                Answer::new(error.status(), error.to_body(&envelope.request_id))
            }
        };
        span.record("http.response.status_code", answer.status);
        let ms = |duration: std::time::Duration| duration.as_secs_f64() * 1000.0;
        let timing = format!(
            "verify;dur={:.3}, db;dur={:.3}, app;dur={:.3}",
            ms(verified),
            database.load(Ordering::Relaxed) as f64 / 1000.0,
            ms(started.elapsed())
        );
        Reply {
            status: answer.status,
            body: answer.body,
            request_id: envelope.request_id,
            catalog_version,
            etag: answer.version.map(etag),
            replayed: answer.replayed,
            op,
            timing,
            events: answer.events,
        }
    }

    async fn verify(&self, signature: Option<&str>, body: &[u8]) -> Result<Envelope, ApiError> {
        let signed = signature.is_some_and(|signature| self.keys.verify(body, signature));
        if !signed {
            return Err(ApiError::new(ErrorCode::InvalidSignature, "Missing or invalid edge signature."));
        }
        let envelope: Envelope = serde_json::from_slice(body)
            .map_err(|_| ApiError::new(ErrorCode::InvalidRequest, "The envelope does not parse."))?;
        if envelope.v != envelope::VERSION {
            return Err(
                ApiError::new(ErrorCode::InvalidRequest, "Unsupported envelope version.").with("version", envelope.v)
            );
        }
        let now = now_ms();
        if !envelope::in_window(envelope.issued_at, now) {
            return Err(ApiError::new(ErrorCode::PlanExpired, "The plan was issued outside the accepted time window."));
        }
        let first_use = self.nonces.first_use(&envelope.nonce, now).await.map_err(|error| {
            tracing::error!(error = %error, "replay protection unavailable");
            ApiError::new(ErrorCode::ServiceUnavailable, "Replay protection is unavailable; retry in a few seconds.")
        })?;
        if !first_use {
            return Err(ApiError::new(ErrorCode::PlanReplayed, "The plan's nonce was already used."));
        }
        Ok(envelope)
    }

    /// Answers a verified envelope; `database` adds the time spent waiting for the data plane.
    async fn dispatch(
        &self,
        envelope: &Envelope,
        catalog_version: &mut Option<i64>,
        database: &AtomicU64,
    ) -> Result<Answer, Error> {
        match &envelope.op {
            Op::LookupToken { token_id } => {
                let record = self.control.token(*token_id).await?;
                match record {
                    Some(record) => {
                        self.control.ensure_active(record.base_id, true).await?;
                        Ok(Answer::json(200, &*record)?)
                    }
                    None => Err(ApiError::new(ErrorCode::InvalidToken, "Unknown or revoked token.").into()),
                }
            }
            Op::LookupAccess { user_id, base_id } => match self.control.access(*user_id, *base_id).await? {
                Some(access) => {
                    self.control.ensure_active(*base_id, true).await?;
                    Answer::json(200, &access)
                }
                None => Err(ApiError::new(ErrorCode::NotFound, "No such base, or you are not a member of it.").into()),
            },
            Op::RecordUsage { entries } => {
                crate::usage::record(&self.planes.control, entries).await?;
                Answer::json(200, &serde_json::json!({ "recorded": entries.len() }))
            }
            Op::LoadView { slug } => match self.control.view(slug).await? {
                Some(view) => {
                    self.control.ensure_active(view.base_id, true).await?;
                    Answer::json(200, &*view)
                }
                None => Err(ApiError::new(ErrorCode::NotFound, "No view is published at this address.").into()),
            },
            Op::QuotaStatus { base_id } => {
                let status = crate::usage::quota(&self.planes.control, *base_id, now_ms()).await?;
                Answer::json(200, &status)
            }
            Op::LoadCatalog { base_id } => {
                self.control.ensure_active(*base_id, true).await?;
                let catalog = self.catalog(*base_id).await?;
                *catalog_version = Some(catalog.version);
                Ok(Answer::json(200, &*catalog)?)
            }
            Op::Bulk { base_id, catalog_version: version, principal, request } => {
                *catalog_version = Some(*version);
                self.bulk(*base_id, *version, catalog_version, principal, request, &envelope.request_id).await
            }
            Op::Watch { catalog_version: version, .. } => {
                *catalog_version = Some(*version);
                self.watch(envelope, catalog_version).await
            }
            Op::Manage { user: Some(user), command: Command::Operator(OperatorCommand::Health), .. } => {
                self.manager.require_operator(*user).await?;
                Answer::json(200, &self.platform_health().await?)
            }
            Op::Manage {
                user: Some(user),
                command:
                    command @ (Command::ExportBase { .. } | Command::RestoreBase { .. } | Command::CloneBase { .. }),
                ..
            } => self.archive_command(*user, command, &envelope.request_id).await,
            Op::Manage { user: Some(user), command: Command::RevertChange { base, table, change }, .. } => {
                self.revert(*user, *base, table, *change, &envelope.request_id, database).await
            }
            Op::Manage { user: Some(user), command: Command::UndoChanges { base, undo }, .. } => {
                self.undo(*user, *base, undo, &envelope.request_id, database).await
            }
            Op::Manage { user, command, client } => {
                let (status, body) = self.manager.run(*user, command, client.as_deref(), &envelope.request_id).await?;
                self.control.committed(command);
                Answer::json(status, &body)
            }
            Op::Records { base_id, catalog_version: plan_version, principal, plan, idempotency_key } => {
                let caller = self.check_principal(*base_id, principal, required_scope(plan)).await?;
                if let Principal::View { slug, version, .. } = principal {
                    self.check_view_plan(*base_id, slug, *version, plan).await?;
                }
                let catalog = self.catalog_at(*base_id, *plan_version, catalog_version).await?;
                shared::policy::check(plan, &catalog, &caller)?;
                let request = Request {
                    catalog: &catalog,
                    plan,
                    principal,
                    caller: &caller,
                    request_id: &envelope.request_id,
                    database,
                };
                if plan.is_write() {
                    self.write(request, idempotency_key.as_deref()).await
                } else {
                    self.read(request).await
                }
            }
        }
    }

    /// The platform as this origin sees it: its planes and pools, Redis, the data plane's
    /// queues (read now), its event streams and the tenants.
    async fn platform_health(&self) -> Result<shared::resource::PlatformHealth, Error> {
        let probe = crate::http::probe(self).await;
        let queues = crate::metrics::queues(&self.planes.data).await.unwrap_or_default();
        let (tenants, suspended) = crate::manage::tenant_counts(&self.planes.control).await?;
        let pools = crate::metrics::PoolUsage::of(&self.planes);
        let planes = probe
            .planes
            .iter()
            .zip(&pools)
            .map(|((name, state, latency_ms), pool)| shared::resource::PlaneHealth {
                name: (*name).to_owned(),
                state: (*state).to_owned(),
                latency_ms: *latency_ms,
                connections_open: pool.open as i64,
                connections_idle: pool.idle as i64,
                connections_max: pool.max as i64,
            })
            .collect();
        Ok(shared::resource::PlatformHealth {
            status: if probe.healthy() { "ok" } else { "degraded" }.to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            planes,
            redis: probe.redis.to_owned(),
            jobs_queued: queues.jobs_queued,
            jobs_running: queues.jobs_running,
            webhook_deliveries_pending: queues.deliveries_pending,
            oldest_delivery_seconds: queues.oldest_delivery_seconds,
            event_streams: self.streams.count() as i64,
            tenants,
            suspended_tenants: suspended,
        })
    }

    pub(crate) async fn catalog(&self, base_id: BaseId) -> Result<Arc<Catalog>, Error> {
        self.control
            .catalog(base_id)
            .await?
            .ok_or_else(|| ApiError::new(ErrorCode::InvalidToken, "The token's base no longer exists.").into())
    }

    /// The base's catalog, which must be the one the edge compiled against (`version`);
    /// `reported` gets the current version, which the edge is told either way.
    pub(crate) async fn catalog_at(
        &self,
        base_id: BaseId,
        version: i64,
        reported: &mut Option<i64>,
    ) -> Result<Arc<Catalog>, Error> {
        let catalog = self.catalog(base_id).await?;
        *reported = Some(catalog.version);
        if catalog.version != version {
            return Err(ApiError::new(ErrorCode::CatalogStale, "The plan was compiled against an older catalog.")
                .with("current_version", catalog.version)
                .into());
        }
        Ok(catalog)
    }

    /// The edge authenticated the caller up to a TTL ago; here they are checked as of
    /// now: the token is active, or the user still has a role that allows `scope`. The
    /// answer is who the table policies see: the token, or the user in their role.
    pub(crate) async fn check_principal(
        &self,
        base_id: BaseId,
        principal: &Principal,
        scope: Scope,
    ) -> Result<Caller, Error> {
        self.control.ensure_active(base_id, false).await?;
        let (scopes, caller) = match principal {
            Principal::Token { token_id, .. } => {
                let record = self.control.token(*token_id).await?;
                let active = record
                    .filter(|record| record.base_id == base_id && record.expires_at.is_none_or(|at| now_ms() < at));
                let record = active
                    .ok_or_else(|| ApiError::new(ErrorCode::InvalidToken, "The API token is revoked or expired."))?;
                let caller = Caller {
                    subject: Some(Subject::Token),
                    token_id: Some(token_id.to_string()),
                    token_name: Some(record.name.clone()),
                    ..Caller::UNRESTRICTED
                };
                (record.scopes.clone(), caller)
            }
            // A view reads, and only through itself ([`Self::check_view_plan`]): its
            // definition is what it shows, whoever asks.
            Principal::View { .. } => (vec![Scope::Read], Caller::UNRESTRICTED),
            Principal::User { user_id, see_as, .. } => {
                let access = self.control.access(*user_id, base_id).await?.ok_or_else(|| {
                    ApiError::new(ErrorCode::NotFound, "No such base, or you are not a member of it.")
                })?;
                if let Some(see_as) = see_as {
                    return self.see_as(base_id, access, see_as, scope).await;
                }
                let caller = Caller {
                    subject: access.role.subject(),
                    user_id: Some(user_id.to_string()),
                    user_email: Some(access.email.clone()),
                    ..Caller::UNRESTRICTED
                };
                (access.role.scopes(), caller)
            }
        };
        if !scopes.contains(&scope) {
            return Err(ApiError::new(
                ErrorCode::InsufficientScope,
                format!("This caller lacks the '{}' scope.", scope.as_str()),
            )
            .with("required", scope.as_str())
            .into());
        }
        Ok(caller)
    }

    /// An admin's or owner's read answered as `see_as` would see it: the member with that
    /// email (the admin's own by default), or the base's token with that name.
    async fn see_as(&self, base_id: BaseId, access: Access, see_as: &SeeAs, scope: Scope) -> Result<Caller, Error> {
        if !access.role.can(Action::AlterSchema) || scope != Scope::Read {
            return Err(ApiError::new(
                ErrorCode::Forbidden,
                "Only admins and owners see as another caller, and only to read.",
            )
            .with("required_role", Role::Admin.as_str())
            .into());
        }
        let control = &self.planes.control;
        let mut caller = Caller { subject: Some(see_as.subject), ..Caller::UNRESTRICTED };
        if see_as.subject == Subject::Token {
            let Some(name) = &see_as.token_name else { return Ok(caller) };
            let id: Option<uuid::Uuid> = sqlx::query_scalar(
                "SELECT id FROM api_tokens WHERE base_id = $1 AND name = $2 AND revoked_at IS NULL \
                 ORDER BY created_at DESC LIMIT 1",
            )
            .bind(base_id.0)
            .bind(name)
            .fetch_optional(control)
            .await?;
            let id = id.ok_or_else(|| {
                ApiError::new(ErrorCode::NotFound, "No active token of this base has that name.")
                    .with("header", "X-See-As-Token")
            })?;
            (caller.token_id, caller.token_name) = (Some(id.to_string()), Some(name.clone()));
            return Ok(caller);
        }
        // Without an email the admin previews themselves in the subject's role.
        let Some(email) = see_as.email.clone() else {
            (caller.user_id, caller.user_email) = (Some(access.user_id.to_string()), Some(access.email));
            return Ok(caller);
        };
        let member: Option<uuid::Uuid> = sqlx::query_scalar(
            "SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id JOIN bases b ON b.workspace_id = m.workspace_id \
             WHERE b.id = $1 AND lower(u.email) = lower($2)",
        )
        .bind(base_id.0)
        .bind(&email)
        .fetch_optional(control)
        .await?;
        let member = member.ok_or_else(|| {
            ApiError::new(ErrorCode::NotFound, "No member of this base's workspace has that email.")
                .with("header", "X-See-As-Email")
        })?;
        (caller.user_id, caller.user_email) = (Some(member.to_string()), Some(email));
        Ok(caller)
    }

    /// A view's plan reads its table, through its projection, as its active version says;
    /// the edge compiled it (and signed it), and a view that changed since is stale.
    /// Answers whether the view shows every row of its table (it has no filter of its own).
    pub(crate) async fn check_view_plan(
        &self,
        base_id: BaseId,
        slug: &str,
        version: i64,
        plan: &Plan,
    ) -> Result<bool, Error> {
        let view = self.control.view(slug).await?;
        let view = view
            .filter(|view| view.base_id == base_id)
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "No view is published at this address."))?;
        if view.version != version {
            return Err(ApiError::new(ErrorCode::CatalogStale, "The view changed; its new version applies.")
                .with("current_version", view.version)
                .into());
        }
        let definition = &view.definition;
        let through_view = match plan {
            // The view's fields, or fewer when one of them was dropped since.
            Plan::ListRecords { table, fields, include, .. } => {
                *table == definition.table
                    && include.iter().all(|include| match *include {
                        Include::Field(link, field) => definition.joined.contains(&(link, field)),
                        _ => false,
                    })
                    && fields.as_ref().is_some_and(|fields| fields.iter().all(|id| definition.fields.contains(id)))
            }
            _ => false,
        };
        if !through_view {
            tracing::warn!(slug, "a view plan does not read through the view");
            return Err(ApiError::new(ErrorCode::InsufficientScope, "A view only lists its own records.").into());
        }
        Ok(definition.filters.is_empty())
    }

    /// The data cluster a base lives on; a 404 for a base that never existed.
    pub(crate) async fn cluster(&self, base: BaseId) -> Result<&Arc<crate::pools::Cluster>, Error> {
        let name = self.control.placement(base).await?.ok_or_else(|| crate::catalog::no_such_base(base))?;
        self.planes.data.get(&name)
    }

    /// A connection to the data cluster a base lives on.
    pub(crate) async fn client(&self, base: BaseId) -> Result<crate::pools::DataClient, Error> {
        crate::pools::connection(&self.cluster(base).await?.pool).await
    }

    pub(crate) async fn read(&self, request: Request<'_>) -> Result<Answer, Error> {
        self.read_page(request, true).await
    }

    /// A read; `positioned`: whether a list answers its `position` (an inner read, whose
    /// page no client sees, skips the second look an empty page takes).
    pub(crate) async fn read_page(&self, request: Request<'_>, positioned: bool) -> Result<Answer, Error> {
        let plan = request.plan;
        let sql = lower_one(&request)?;
        let waited = std::time::Instant::now();
        let client = self.client(request.catalog.base_id).await?;
        client.use_statement(&sql.text);
        let query = tracing::info_span!("db.query", db.system = "postgresql", db.query.text = sql.text.as_str());
        let (statement, mut rows) = async {
            let statement = client.prepare_cached(&sql.text).await?;
            let rows = client.query(&statement, &params(&sql)).await?;
            Ok::<_, tokio_postgres::Error>((statement, rows))
        }
        .instrument(query)
        .await?;
        // A list says where a stream of the table's changes picks up after it: the
        // snapshot it was read in. An empty page has no row to carry it: a snapshot is
        // taken, and the list read again after it (a later empty read leaves nothing a
        // change after that snapshot could repeat).
        let mut position = None;
        if let Plan::ListRecords { sort, .. } = plan
            && positioned
        {
            let read_in =
                |rows: &[tokio_postgres::Row]| rows.first().map(|row| row.try_get(sort.len() + 1)).transpose();
            let snapshot = match read_in(&rows)? {
                Some(snapshot) => snapshot,
                None => {
                    let taken = crate::changes::current(&client).await?;
                    rows = client.query(&statement, &params(&sql)).await?;
                    read_in(&rows)?.unwrap_or(taken)
                }
            };
            position = Some(crate::changes::encode(&crate::changes::Position::at(snapshot))?);
        }
        request.waited_on_database(waited);
        if let Some(table) = request.catalog.table_by_id(plan.table()) {
            self.slow_lists.note(request.catalog.base_id, table, plan, waited.elapsed());
        }
        let mut answer = match plan {
            Plan::GetRecord { id, .. } => match rows.first() {
                Some(row) => Answer::record(200, row.try_get(0)?, row.try_get(1)?),
                None => return Err(plan::record_not_found(&id.to_string()).into()),
            },
            Plan::ListRecords { table, filter, sort, limit, .. } => {
                let limit = *limit as usize;
                let has_more = rows.len() > limit;
                let mut body = Vec::with_capacity(256 * rows.len().min(limit) + 64);
                body.extend_from_slice(b"{\"data\":[");
                for (index, row) in rows.iter().take(limit).enumerate() {
                    if index > 0 {
                        body.push(b',');
                    }
                    body.extend_from_slice(row.try_get::<_, &str>(0)?.as_bytes());
                }
                body.extend_from_slice(b"],\"next_cursor\":");
                match rows.get(limit - 1).filter(|_| has_more) {
                    Some(last) => {
                        let key = (1..=sort.len()).map(|column| last.try_get(column)).collect::<Result<Vec<_>, _>>();
                        let shape = plan::list_shape(*table, filter, sort);
                        let mut nonce = [0; shared::cursor::NONCE_LEN];
                        getrandom::fill(&mut nonce).map_err(bug)?;
                        let cursor = shared::cursor::encode(&self.cursor_key, &shape, &key?, nonce);
                        body.extend_from_slice(&serde_json::to_vec(&cursor).map_err(bug)?);
                    }
                    None => body.extend_from_slice(b"null"),
                }
                body.extend_from_slice(if has_more { b",\"has_more\":true" } else { b",\"has_more\":false" });
                body.extend_from_slice(b",\"position\":");
                body.extend_from_slice(&serde_json::to_vec(&position).map_err(bug)?);
                body.push(b'}');
                Answer::new(200, body)
            }
            _ => return Err(bug("a plan reached the wrong executor")),
        };
        answer.body = crate::files::sign_answer(self.storage.as_deref(), &request, answer.body)?;
        Ok(answer)
    }

    /// Runs a write in one transaction, together with its idempotency record: a retry
    /// either replays the stored answer or finds nothing written.
    pub(crate) async fn write(&self, request: Request<'_>, idempotency_key: Option<&str>) -> Result<Answer, Error> {
        let waited = std::time::Instant::now();
        let files = self.resolve_files(request.catalog, request.plan).await?;
        let request = match &files {
            Some((plan, _)) => Request { plan, ..request },
            None => request,
        };
        let statements = lower_all(&request)?;
        let transaction =
            tracing::info_span!("db.transaction", db.system = "postgresql", db.query.text = tracing::field::Empty);
        if !transaction.is_disabled() {
            let texts: Vec<&str> = statements.iter().map(|statement| statement.text.as_str()).collect();
            transaction.record("db.query.text", texts.join(";\n"));
        }
        let answer = self
            .write_lowered(request, idempotency_key, &statements, files.as_ref().map(|(_, files)| files))
            .instrument(transaction)
            .await;
        request.waited_on_database(waited);
        let mut answer = answer?;
        if matches!(request.plan, Plan::CreateRecord { .. } | Plan::UpdateRecord { .. }) && answer.status < 300 {
            answer.body = crate::files::sign_answer(self.storage.as_deref(), &request, answer.body)?;
        }
        Ok(answer)
    }

    async fn write_lowered(
        &self,
        request: Request<'_>,
        idempotency_key: Option<&str>,
        statements: &[shared::lower::Sql],
        files: Option<&crate::files::Attaching>,
    ) -> Result<Answer, Error> {
        let mut client = self.client(request.catalog.base_id).await?;
        let bound = client.statements();
        let transaction = client.transaction().await?;
        let idempotency = match idempotency_key {
            None => None,
            Some(key) => {
                let key = format!("{}:{key}", request.principal.actor());
                let fingerprint = shared::token::sha256(&serde_json::to_vec(request.plan).map_err(bug)?);
                let table =
                    format!("{}.\"_idempotency\"", shared::lower::quote_ident(&request.catalog.base_id.schema_name()));
                // Claims the key, or waits for the transaction holding it and then sees its answer.
                let claimed = transaction
                    .query_opt(
                        &format!(
                            "INSERT INTO {table} AS i (key, request_hash, status, response, expires_at) \
                             VALUES ($1, $2, 0, '', now() + interval '24 hours') ON CONFLICT (key) DO UPDATE \
                             SET request_hash = EXCLUDED.request_hash, status = 0, response = '', version = NULL, \
                             expires_at = EXCLUDED.expires_at WHERE i.expires_at < now() RETURNING 1"
                        ),
                        &[&key, &fingerprint.as_slice()],
                    )
                    .await?;
                if claimed.is_none() {
                    let row = transaction
                        .query_one(
                            &format!("SELECT request_hash, status, response, version FROM {table} WHERE key = $1"),
                            &[&key],
                        )
                        .await?;
                    let stored: &[u8] = row.try_get(0)?;
                    if stored != fingerprint.as_slice() {
                        return Err(ApiError::new(
                            ErrorCode::IdempotencyReplayed,
                            "This X-Idempotency-Key was already used for a different request in the last 24 hours; \
                             use a new key for a new request.",
                        )
                        .into());
                    }
                    let status: i16 = row.try_get(1)?;
                    return Ok(Answer {
                        version: row.try_get(3)?,
                        replayed: true,
                        ..Answer::new(u16::try_from(status).map_err(bug)?, row.try_get(2)?)
                    });
                }
                Some((table, key))
            }
        };
        if let Some(files) = files {
            files.commit(&transaction, request.catalog).await?;
        }
        let answer = self.apply(&transaction, &bound, &request, statements).await?;
        if let Some((table, key)) = idempotency {
            let status = i16::try_from(answer.status).map_err(bug)?;
            transaction
                .execute(
                    &format!("UPDATE {table} SET status = $2, response = $3, version = $4 WHERE key = $1"),
                    &[&key, &status, &answer.body, &answer.version],
                )
                .await?;
        }
        transaction.commit().await?;
        Ok(answer)
    }

    /// The write statements of a plan, inside the caller's transaction. An error rolls it back.
    pub(crate) async fn apply(
        &self,
        transaction: &deadpool_postgres::Transaction<'_>,
        bound: &crate::pools::Statements,
        request: &Request<'_>,
        statements: &[shared::lower::Sql],
    ) -> Result<Answer, Error> {
        let Request { plan, catalog, .. } = *request;
        let table = catalog.table_by_id(plan.table()).ok_or_else(|| bug("a plan's table is not in its catalog"))?;
        let db = |error| write_error(error, catalog, table, plan);
        let mut rows = Vec::new();
        for sql in statements {
            bound.use_statement(&sql.text);
            let statement = transaction.prepare_cached(&sql.text).await.map_err(db)?;
            rows.extend(transaction.query(&statement, &params(sql)).await.map_err(db)?);
        }
        match plan {
            Plan::CreateRecord { .. } => {
                let row = rows.first().ok_or_else(|| bug("an answer row is missing"))?;
                if !row.try_get::<_, bool>(2)? {
                    return Err(outside_policy(table).into());
                }
                Ok(Answer::record(201, row.try_get(0)?, row.try_get(1)?))
            }
            Plan::UpdateRecord { id, .. } => {
                let row = rows.first().ok_or_else(|| plan::record_not_found(&id.to_string()))?;
                match row.try_get::<_, Option<String>>(0)? {
                    Some(_) if row.try_get::<_, Option<bool>>(3)? != Some(true) => Err(outside_policy(table).into()),
                    Some(body) => Ok(Answer::record(200, body, row.try_get(1)?)),
                    None => Err(precondition_failed(row.try_get(2)?).into()),
                }
            }
            Plan::DeleteRecord { id, .. } => {
                let row = rows.first().ok_or_else(|| plan::record_not_found(&id.to_string()))?;
                if row.try_get(0)? {
                    Answer::json(200, &DeleteResult { id: *id, deleted: True })
                } else {
                    Err(precondition_failed(row.try_get(1)?).into())
                }
            }
            Plan::DeleteRecords { target, .. } => {
                if let DeleteTarget::Ids { ids, all_or_nothing: true } = target {
                    let deleted: Vec<&str> = rows.iter().map(|row| row.try_get(0)).collect::<Result<_, _>>()?;
                    let missing: Vec<String> =
                        ids.iter().map(ToString::to_string).filter(|id| !deleted.contains(&id.as_str())).collect();
                    if !missing.is_empty() {
                        return Err(ApiError::new(
                            ErrorCode::RecordNotFound,
                            format!("{} of the ids are not records of this table; nothing was deleted.", missing.len()),
                        )
                        .with("missing", missing)
                        .into());
                    }
                }
                Answer::json(200, &DeleteManyResult { deleted: rows.len() })
            }
            Plan::UpsertRecords { items, .. } => {
                let mut ids = vec![None; items.len()];
                for row in &rows {
                    let index: i32 = row.try_get(0)?;
                    // A record the caller may not see was not updated, or one it wrote left its rows.
                    let (Some(id), true) =
                        (row.try_get::<_, Option<String>>(1)?, row.try_get::<_, Option<bool>>(2)? == Some(true))
                    else {
                        return Err(outside_policy(table).with("index", index).into());
                    };
                    *usize::try_from(index)
                        .ok()
                        .and_then(|index| ids.get_mut(index))
                        .ok_or_else(|| bug("an answer row is missing"))? = RecordId::parse(&id);
                }
                // Every item wrote one row: an item without its id is a bug, not an answer.
                let ids = ids
                    .into_iter()
                    .collect::<Option<Vec<RecordId>>>()
                    .ok_or_else(|| bug("an answer row is missing"))?;
                Answer::json(200, &BatchUpsertResult { upserted: rows.len(), ids, job_id: None })
            }
            Plan::GetRecord { .. } | Plan::ListRecords { .. } => Err(bug("a plan reached the wrong executor")),
        }
    }
}

/// One records request, verified.
#[derive(Clone, Copy)]
pub(crate) struct Request<'a> {
    pub catalog: &'a Catalog,
    pub plan: &'a Plan,
    pub principal: &'a Principal,
    pub caller: &'a Caller,
    pub request_id: &'a str,
    /// Microseconds spent on the data plane (pool, prepare, statements).
    pub database: &'a AtomicU64,
}

impl Request<'_> {
    fn waited_on_database(&self, since: std::time::Instant) {
        let micros = u64::try_from(since.elapsed().as_micros()).unwrap_or(u64::MAX);
        self.database.fetch_add(micros, Ordering::Relaxed);
    }
}

/// What an operation answers: status, body, and for one record its version.
pub(crate) struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
    version: Option<i64>,
    replayed: bool,
    /// The answer is this event stream (`body` is empty).
    events: Option<crate::events::Events>,
}

impl Answer {
    pub(crate) fn new(status: u16, body: Vec<u8>) -> Answer {
        Answer { status, body, version: None, replayed: false, events: None }
    }

    fn record(status: u16, body: String, version: i64) -> Answer {
        Answer { version: Some(version), ..Answer::new(status, body.into_bytes()) }
    }

    pub(crate) fn events(events: crate::events::Events) -> Answer {
        Answer { events: Some(events), ..Answer::new(200, Vec::new()) }
    }

    pub(crate) fn json<T: serde::Serialize + ?Sized>(status: u16, value: &T) -> Result<Answer, Error> {
        Ok(Answer::new(status, serde_json::to_vec(value).map_err(bug)?))
    }
}

/// A record's `ETag`: its version, which every write increments.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

fn precondition_failed(current: i64) -> ApiError {
    ApiError::new(
        ErrorCode::PreconditionFailed,
        "The record changed since the ETag in If-Match was read; fetch it again and retry.",
    )
    .with("current_etag", etag(current))
}

pub(crate) fn lower_all(request: &Request<'_>) -> Result<Vec<shared::lower::Sql>, Error> {
    let actor = request.principal.actor();
    let context = WriteContext { actor: &actor, request_id: request.request_id, caller: request.caller };
    let lowered = lower::lower(request.plan, request.catalog, &context).map_err(|error| match error {
        // Plans name tables by id; one outside this base's catalog is simply not found here.
        lower::Error::UnknownTable(table) => {
            tracing::warn!(request_id = request.request_id, %table, "plan names a table outside the base");
            ApiError::new(ErrorCode::TableNotFound, "No such table in this base.")
                .with("table", table.to_string())
                .into()
        }
        lower::Error::UnknownField(_) => bug(format!("a verified plan did not lower: {error}")),
        lower::Error::TooManyCascades => ApiError::new(
            ErrorCode::SchemaConflict,
            format!(
                "Deleting here would cascade through more than {} links; change some links' on_delete to restrict.",
                lower::MAX_CASCADES
            ),
        )
        .with("reason", "too_many_cascades")
        .into(),
        // Schema changes refuse deeper nesting; a catalog that has it anyway is a bug.
        lower::Error::TooDeep => bug(format!("a verified plan did not lower: {error}")),
    })?;
    Ok(lowered)
}

pub(crate) fn lower_one(request: &Request<'_>) -> Result<shared::lower::Sql, Error> {
    lower_all(request)?.pop().ok_or_else(|| crate::error::bug("a plan lowered to no statement"))
}

/// Write errors that are the client's: a taken id or unique value, two batch items on one
/// record, a link to a record that does not exist, a delete of a record others link to.
fn write_error(error: tokio_postgres::Error, catalog: &Catalog, table: &Table, plan: &Plan) -> Error {
    let Some(db) = error.as_db_error() else { return error.into() };
    if *db.code() == SqlState::FOREIGN_KEY_VIOLATION
        && let Some(id) = db.constraint().and_then(shared::ddl::field_of_link_constraint)
        && let Some((linking, field)) =
            catalog.tables.iter().find_map(|table| table.field_by_id(id).map(|field| (table, field)))
    {
        return match plan {
            Plan::DeleteRecord { .. } | Plan::DeleteRecords { .. } => ApiError::new(
                ErrorCode::RecordLinked,
                format!(
                    "Records of '{}' link here through '{}', which restricts deletes; delete them or change their \
                     '{}' first.",
                    linking.name, field.name, field.name
                ),
            )
            .with("table", linking.name.as_str())
            .with("field", field.name.as_str()),
            _ => ApiError::new(
                ErrorCode::ValidationError,
                format!("Field '{}' links to a record that does not exist.", field.name),
            )
            .with("field", field.name.as_str())
            .with("type", "link")
            .with("reason", "link_target_missing"),
        }
        .into();
    }
    if *db.code() == SqlState::UNIQUE_VIOLATION
        && let Some(set) = table
            .unique
            .iter()
            .find(|set| db.constraint() == Some(&shared::ddl::unique_set_index_name(table.id, &set.name)))
    {
        let fields: Vec<&str> =
            set.fields.iter().filter_map(|id| table.field_by_id(*id)).map(|field| field.name.as_str()).collect();
        return ApiError::new(
            ErrorCode::UniqueViolation,
            format!("Another record already has these values of {}; they are unique together.", fields.join(", ")),
        )
        .with("field", fields.first().copied().unwrap_or_default())
        .with("fields", fields)
        .with("constraint", set.name.as_str())
        .into();
    }
    if *db.code() == SqlState::UNIQUE_VIOLATION {
        let field = db.constraint().and_then(shared::ddl::field_of_unique_index).and_then(|id| table.field_by_id(id));
        return match field {
            Some(field) => ApiError::new(
                ErrorCode::UniqueViolation,
                format!("Another record already has this '{}'; the field is unique.", field.name),
            )
            .with("field", field.name.as_str())
            .into(),
            None => ApiError::new(ErrorCode::DuplicateRecord, "A record with this id already exists.").into(),
        };
    }
    // A field's rules, held by Postgres too: reached when a record written before the rules
    // (which apply to new writes only) is written again without being fixed.
    // A record rule the edge could not decide (or one set for new writes only).
    if *db.code() == SqlState::CHECK_VIOLATION
        && let Some(rule) =
            table.rules.iter().find(|rule| db.constraint() == Some(&shared::ddl::rule_check_name(table.id, &rule.name)))
    {
        return ApiError::new(ErrorCode::ValidationError, rule.message.as_str())
            .with("reason", "rule")
            .with("rule", rule.name.as_str())
            .into();
    }
    if *db.code() == SqlState::CHECK_VIOLATION
        && let Some(field) = db.constraint().and_then(shared::ddl::field_of_check).and_then(|id| table.field_by_id(id))
    {
        return ApiError::new(
            ErrorCode::ValidationError,
            format!("The record breaks the rules of field '{}', set after it was written; fix its value.", field.name),
        )
        .with("field", field.name.as_str())
        .with("reason", "rules")
        .into();
    }
    if *db.code() == SqlState::CARDINALITY_VIOLATION {
        return ApiError::new(ErrorCode::ValidationError, "Two items of the batch match the same record; merge them.")
            .into();
    }
    error.into()
}

/// A write the caller's row policy does not allow (the transaction is rolled back).
fn outside_policy(table: &Table) -> ApiError {
    ApiError::new(
        ErrorCode::PolicyDenied,
        format!("Your policy on '{}' does not let you write this record as it would be.", table.name),
    )
    .with("reason", "row_outside_policy")
    .with("table", table.name.as_str())
}

pub fn required_scope(plan: &Plan) -> Scope {
    match plan {
        Plan::GetRecord { .. } | Plan::ListRecords { .. } => Scope::Read,
        Plan::CreateRecord { .. } | Plan::UpdateRecord { .. } | Plan::UpsertRecords { .. } => Scope::Write,
        Plan::DeleteRecord { .. } | Plan::DeleteRecords { .. } => Scope::Delete,
    }
}
