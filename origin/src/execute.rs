//! `POST /internal/v1/execute`: verify an envelope, then answer its operation.
//!
//! Verification order is fixed and cheap-first: signature over the exact bytes, format
//! version, issued-at window, nonce, then the token state and catalog version. Only then
//! is a plan lowered to SQL and run.

use crate::catalog::ControlState;
use crate::nonce::Nonces;
use crate::pools::Planes;
use shared::catalog::Catalog;
use shared::envelope::{self, Envelope, Op, Principal};
use shared::error::{ApiError, ErrorCode};
use shared::ids::BaseId;
use shared::lower::{self, WriteContext};
use shared::plan::{self, Plan};
use shared::token::Scope;
use std::sync::Arc;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;

pub struct Executor {
    pub metrics: crate::metrics::Metrics,
    pub signing_key: Vec<u8>,
    pub cursor_key: [u8; 32],
    pub nonces: Nonces,
    pub control: Arc<ControlState>,
    pub planes: Planes,
}

/// What the HTTP layer sends back.
pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
    pub request_id: String,
    pub catalog_version: Option<i64>,
    /// For the log line: which operation ran.
    pub op: &'static str,
}

/// A request id minted by the origin, for answers to requests it cannot trust.
pub fn origin_request_id() -> String {
    format!("origin_{}", uuid::Uuid::new_v4().simple())
}

pub fn now_ms() -> i64 {
    let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX)
}

impl Executor {
    pub async fn execute(&self, signature: Option<&str>, body: &[u8]) -> Reply {
        let envelope = match self.verify(signature, body) {
            Ok(envelope) => envelope,
            Err(error) => {
                // The body is not trusted, so neither is its request id.
                let request_id = origin_request_id();
                return Reply {
                    status: error.status(),
                    body: error.to_body(&request_id),
                    request_id,
                    catalog_version: None,
                    op: "refused",
                };
            }
        };
        let op = match &envelope.op {
            Op::LookupToken { .. } => "lookup_token",
            Op::LoadCatalog { .. } => "load_catalog",
            Op::Records { plan, .. } => match plan {
                Plan::GetRecord { .. } => "get_record",
                Plan::ListRecords { .. } => "list_records",
                Plan::CreateRecord { .. } => "create_record",
            },
        };
        let mut catalog_version = None;
        let result = self.dispatch(&envelope, &mut catalog_version).await;
        let (status, body) = match result {
            Ok(reply) => reply,
            Err(error) => (error.status(), error.to_body(&envelope.request_id)),
        };
        Reply { status, body, request_id: envelope.request_id, catalog_version, op }
    }

    fn verify(&self, signature: Option<&str>, body: &[u8]) -> Result<Envelope, ApiError> {
        let signed = signature.is_some_and(|signature| shared::sign::verify(&self.signing_key, body, signature));
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
        if !self.nonces.first_use(&envelope.nonce, now) {
            return Err(ApiError::new(ErrorCode::PlanReplayed, "The plan's nonce was already used."));
        }
        Ok(envelope)
    }

    async fn dispatch(
        &self,
        envelope: &Envelope,
        catalog_version: &mut Option<i64>,
    ) -> Result<(u16, Vec<u8>), ApiError> {
        match &envelope.op {
            Op::LookupToken { token_id } => {
                let record = self.control.token(*token_id).await.map_err(control_error)?;
                match record {
                    Some(record) => Ok((200, serde_json::to_vec(&*record).map_err(|_| ApiError::internal())?)),
                    None => Err(ApiError::new(ErrorCode::InvalidToken, "Unknown or revoked token.")),
                }
            }
            Op::LoadCatalog { base_id } => {
                let catalog = self.catalog(*base_id).await?;
                *catalog_version = Some(catalog.version);
                Ok((200, serde_json::to_vec(&*catalog).map_err(|_| ApiError::internal())?))
            }
            Op::Records { base_id, catalog_version: plan_version, principal, plan } => {
                self.check_principal(*base_id, principal, required_scope(plan)).await?;
                let catalog = self.catalog(*base_id).await?;
                *catalog_version = Some(catalog.version);
                if catalog.version != *plan_version {
                    return Err(ApiError::new(
                        ErrorCode::CatalogStale,
                        "The plan was compiled against an older catalog.",
                    )
                    .with("current_version", catalog.version));
                }
                self.run(&catalog, plan, principal, &envelope.request_id).await
            }
        }
    }

    async fn catalog(&self, base_id: BaseId) -> Result<Arc<Catalog>, ApiError> {
        self.control
            .catalog(base_id)
            .await
            .map_err(control_error)?
            .ok_or_else(|| ApiError::new(ErrorCode::InvalidToken, "The token's base no longer exists."))
    }

    /// The edge authenticated the token up to a TTL ago; here it is checked as of now.
    async fn check_principal(&self, base_id: BaseId, principal: &Principal, scope: Scope) -> Result<(), ApiError> {
        let record = self.control.token(principal.token_id).await.map_err(control_error)?;
        let active =
            record.filter(|record| record.base_id == base_id && record.expires_at.is_none_or(|at| now_ms() < at));
        let record =
            active.ok_or_else(|| ApiError::new(ErrorCode::InvalidToken, "The API token is revoked or expired."))?;
        if !record.has(scope) {
            return Err(ApiError::new(
                ErrorCode::InsufficientScope,
                format!("This token lacks the '{}' scope.", scope.as_str()),
            )
            .with("required", scope.as_str()));
        }
        Ok(())
    }

    async fn run(
        &self,
        catalog: &Catalog,
        plan: &Plan,
        principal: &Principal,
        request_id: &str,
    ) -> Result<(u16, Vec<u8>), ApiError> {
        let actor = format!("token:{}", principal.token_id);
        let sql =
            lower::lower(plan, catalog, &WriteContext { actor: &actor, request_id }).map_err(|error| match error {
                // Plans name tables by id; one outside this base's catalog is simply not found here.
                lower::Error::UnknownTable(table) => {
                    tracing::warn!(request_id, %table, "plan names a table outside the base");
                    ApiError::new(ErrorCode::TableNotFound, "No such table in this base.")
                        .with("table", table.to_string())
                }
                lower::Error::UnknownField(_) => {
                    tracing::error!(request_id, error = %error, "a verified plan did not lower");
                    ApiError::internal()
                }
            })?;
        let client = self.planes.data.get().await.map_err(|error| {
            tracing::error!(request_id, error = %error, "no data-plane connection");
            unavailable()
        })?;
        let statement = client.prepare_cached(&sql.text).await.map_err(|error| data_error(error, request_id))?;
        let params: Vec<&(dyn ToSql + Sync)> = sql.params.iter().map(|param| param as &(dyn ToSql + Sync)).collect();
        match plan {
            Plan::GetRecord { id, .. } => {
                let row = client.query_opt(&statement, &params).await.map_err(|error| data_error(error, request_id))?;
                match row {
                    Some(row) => Ok((
                        200,
                        row.try_get::<_, String>(0).map_err(|error| data_error(error, request_id))?.into_bytes(),
                    )),
                    None => Err(plan::record_not_found(&id.to_string())),
                }
            }
            Plan::ListRecords { table, conditions, limit, .. } => {
                let rows = client.query(&statement, &params).await.map_err(|error| data_error(error, request_id))?;
                let limit = *limit as usize;
                let has_more = rows.len() > limit;
                let mut body = Vec::with_capacity(256 * rows.len().min(limit) + 64);
                body.extend_from_slice(b"{\"data\":[");
                let mut last_key = None;
                for (row_idx, row) in rows.iter().take(limit).enumerate() {
                    if row_idx > 0 {
                        body.push(b',');
                    }
                    let record: &str = row.try_get(0).map_err(|error| data_error(error, request_id))?;
                    body.extend_from_slice(record.as_bytes());
                    last_key = Some((row.try_get::<_, String>(1), row.try_get::<_, String>(2)));
                }
                body.extend_from_slice(b"],\"next_cursor\":");
                match last_key.filter(|_| has_more) {
                    Some((Ok(created_at), Ok(id))) => {
                        let shape = plan::list_shape(*table, conditions);
                        let cursor = shared::cursor::encode(&self.cursor_key, &shape, vec![created_at, id]);
                        body.extend_from_slice(
                            serde_json::to_string(&cursor).map_err(|_| ApiError::internal())?.as_bytes(),
                        );
                    }
                    Some(_) => return Err(ApiError::internal()),
                    None => body.extend_from_slice(b"null"),
                }
                body.extend_from_slice(if has_more { b",\"has_more\":true}" } else { b",\"has_more\":false}" });
                Ok((200, body))
            }
            Plan::CreateRecord { id, .. } => {
                let row = client.query_one(&statement, &params).await.map_err(|error| match error.code() {
                    Some(code) if *code == SqlState::UNIQUE_VIOLATION => {
                        ApiError::new(ErrorCode::DuplicateRecord, "A record with this id already exists.")
                            .with("id", id.map(|id| id.to_string()).unwrap_or_default())
                    }
                    _ => data_error(error, request_id),
                })?;
                Ok((201, row.try_get::<_, String>(0).map_err(|error| data_error(error, request_id))?.into_bytes()))
            }
        }
    }
}

fn required_scope(plan: &Plan) -> Scope {
    match plan {
        Plan::GetRecord { .. } | Plan::ListRecords { .. } => Scope::Read,
        Plan::CreateRecord { .. } => Scope::Write,
    }
}

fn unavailable() -> ApiError {
    ApiError::new(ErrorCode::ServiceUnavailable, "The database is unavailable; retry shortly.")
}

fn control_error(error: sqlx::Error) -> ApiError {
    tracing::error!(error = %error, "control plane query failed");
    unavailable()
}

/// Maps data-plane errors: value problems Postgres found are the client's; the rest is ours.
fn data_error(error: tokio_postgres::Error, request_id: &str) -> ApiError {
    let client_side = [
        (SqlState::NUMERIC_VALUE_OUT_OF_RANGE, "A number is out of range."),
        (SqlState::DATETIME_FIELD_OVERFLOW, "A date-time is out of range."),
        (SqlState::INVALID_DATETIME_FORMAT, "A date-time is malformed."),
        (SqlState::NOT_NULL_VIOLATION, "A required field is missing."),
        (SqlState::CHARACTER_NOT_IN_REPERTOIRE, "Text contains a character Postgres cannot store (NUL)."),
        (SqlState::UNTRANSLATABLE_CHARACTER, "Text contains a character Postgres cannot store (NUL)."),
    ];
    if let Some(code) = error.code() {
        if let Some((_, message)) = client_side.iter().find(|(state, _)| state == code) {
            return ApiError::new(ErrorCode::ValidationError, *message);
        }
        if *code == SqlState::QUERY_CANCELED {
            tracing::warn!(request_id, "statement timeout");
            return ApiError::new(ErrorCode::ServiceUnavailable, "The query took too long and was cancelled.");
        }
    }
    if error.is_closed() || error.as_db_error().is_none() {
        tracing::error!(request_id, error = %error, "data plane connection failed");
        return unavailable();
    }
    tracing::error!(request_id, error = %error, "data plane query failed");
    ApiError::internal()
}
