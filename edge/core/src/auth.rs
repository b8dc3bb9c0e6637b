//! Authentication of records requests: an API token (`nc_…`) or a signed-in user's
//! access token (a JWT, with `X-Base-Id` naming the base), each checked against a cached
//! record from the origin, plus the optional `X-Base-Id` cross-check for tokens.
//!
//! Token records and user access are cached for `token_ttl_ms` (unknown ones for
//! `negative_ttl_ms`), which bounds how long a revoked token or a removed member keeps
//! working at an edge; the origin re-checks both on every plan.

use crate::gate::Gate;
use crate::memo::{self, Validity};
use crate::{Config, Host, origin};
use http::HeaderMap;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use shared::envelope::{Op, Principal};
use shared::error::{ApiError, ErrorCode};
use shared::ids::BaseId;
use shared::manage::Access;
use shared::token::{self, TokenRecord};
use shared::usage::RateLimit;

pub const BASE_ID_HEADER: &str = "x-base-id";

/// Who is calling, for which base, with what scopes and rate limit.
pub struct Caller {
    pub base_id: BaseId,
    pub principal: Principal,
    pub rate_limit: RateLimit,
}

#[derive(Serialize, Deserialize)]
struct Cached<T> {
    record: Option<T>,
    until_ms: i64,
}

/// Authenticates the caller; an API token the edge does not know yet is looked up only
/// after `gate` admitted the client address.
pub async fn authenticate<H: Host>(
    host: &H,
    config: &Config,
    gate: &Gate<'_, H>,
    headers: &HeaderMap,
    request_id: &crate::RequestId,
) -> Result<Caller, ApiError> {
    let bearer = bearer(headers)?;
    let base_header = match headers.get(BASE_ID_HEADER) {
        None => None,
        Some(value) => Some(value.to_str().ok().and_then(BaseId::parse).ok_or_else(|| {
            ApiError::new(ErrorCode::InvalidRequest, "'X-Base-Id' must be a base UUID.").with("header", "X-Base-Id")
        })?),
    };
    let now_ms = host.now_ms();
    if shared::jwt::looks_like_jwt(bearer) {
        let user_id = config
            .keys
            .verify_jwt(bearer, now_ms / 1000)
            .map_err(|error| ApiError::new(ErrorCode::InvalidToken, format!("{error}.")))?
            .sub;
        let base_id = base_header.ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidRequest,
                "Signed in as a user, name the base with 'X-Base-Id: <base id>' (an API token knows its base).",
            )
            .with("header", "X-Base-Id")
        })?;
        let key = format!("acc:{user_id}:{base_id}");
        let access: Option<Access> = cached(host, config, &key, now_ms, || {
            origin::fetch(host, config, request_id, Op::LookupAccess { user_id, base_id })
        })
        .await?;
        let access = access.ok_or_else(|| {
            ApiError::new(ErrorCode::NotFound, "No such base, or you are not a member of its workspace.")
                .with("base", base_id.to_string())
        })?;
        let see_as = shared::policy::SeeAs::from_headers(|name| {
            headers.get(name).map(|value| value.to_str().map(str::to_owned).unwrap_or_default())
        })?;
        let principal = Principal::User { user_id, scopes: access.role.scopes(), see_as };
        return Ok(Caller { base_id, principal, rate_limit: access.rate_limit });
    }
    let parsed = token::parse(bearer).ok_or_else(invalid_token)?;
    let key = format!("tok:{}", parsed.token_id);
    let token_id = parsed.token_id;
    let record: Option<TokenRecord> = cached(host, config, &key, now_ms, || async {
        gate.anonymous().await?;
        origin::fetch(host, config, request_id, Op::LookupToken { token_id }).await
    })
    .await?;
    let record = record.filter(|record| record.accepts(&parsed, now_ms)).ok_or_else(invalid_token)?;
    if base_header.is_some_and(|base_id| base_id != record.base_id) {
        return Err(ApiError::new(
            ErrorCode::BaseMismatch,
            "This token belongs to another base than 'X-Base-Id' names.",
        )
        .with("header", "X-Base-Id"));
    }
    let principal = Principal::Token { token_id, scopes: record.scopes };
    Ok(Caller { base_id: record.base_id, principal, rate_limit: record.rate_limit })
}

/// A lookup through the shared cache: a found record is kept for the token TTL, a
/// missing one for the negative TTL.
async fn cached<H: Host, T: Serialize + DeserializeOwned + Clone + 'static, F>(
    host: &H,
    config: &Config,
    key: &str,
    now_ms: i64,
    fetch: impl FnOnce() -> F,
) -> Result<Option<T>, ApiError>
where
    F: Future<Output = Result<Option<T>, ApiError>>,
{
    let fresh = |entry: &Cached<T>| entry.until_ms > now_ms;
    if let Some(entry) = memo::read(host, key, Validity::Content, fresh).await {
        return Ok(entry.record.clone());
    }
    let record = fetch().await?;
    let ttl = if record.is_some() { config.token_ttl_ms } else { config.negative_ttl_ms };
    let entry = Cached { record: record.clone(), until_ms: now_ms + ttl };
    memo::write(host, key, Validity::Content, entry).await;
    Ok(record)
}

/// The token of `Authorization: Bearer <token>`.
pub fn bearer(headers: &HeaderMap) -> Result<&str, ApiError> {
    let Some(authorization) = headers.get(http::header::AUTHORIZATION) else {
        return Err(ApiError::new(ErrorCode::AuthRequired, "Send a token as 'Authorization: Bearer <token>'."));
    };
    authorization
        .to_str()
        .ok()
        .and_then(|value| value.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .ok_or_else(|| ApiError::new(ErrorCode::InvalidToken, "The Authorization header must be 'Bearer <token>'."))
}

fn invalid_token() -> ApiError {
    ApiError::new(ErrorCode::InvalidToken, "The API token is malformed, unknown, revoked or expired.")
}
