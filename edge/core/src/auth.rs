//! Authentication: bearer token → cached token record → secret check, plus the optional
//! `X-Base-Id` cross-check.
//!
//! Token records are cached for `token_ttl_ms` (unknown ids for `negative_ttl_ms`), which
//! bounds how long a revoked token keeps working at an edge; the origin re-checks at once.

use crate::{Config, Host, origin};
use http::HeaderMap;
use serde::{Deserialize, Serialize};
use shared::envelope::Op;
use shared::error::{ApiError, ErrorCode};
use shared::ids::BaseId;
use shared::token::{self, TokenRecord};

pub const BASE_ID_HEADER: &str = "x-base-id";

#[derive(Serialize, Deserialize)]
struct CachedToken {
    record: Option<TokenRecord>,
    until_ms: i64,
}

pub async fn authenticate<H: Host>(
    host: &H,
    config: &Config,
    headers: &HeaderMap,
    request_id: &str,
) -> Result<TokenRecord, ApiError> {
    let parsed = token::parse(bearer(headers)?).ok_or_else(invalid_token)?;
    let now_ms = host.now_ms();
    let key = format!("tok:{}", parsed.token_id);
    let cached = host.cache_get(&key).await.and_then(|bytes| serde_json::from_slice::<CachedToken>(&bytes).ok());
    let record = match cached {
        Some(cached) if cached.until_ms > now_ms => cached.record,
        _ => {
            let record: Option<TokenRecord> =
                origin::fetch(host, config, request_id, Op::LookupToken { token_id: parsed.token_id }).await?;
            let ttl = if record.is_some() { config.token_ttl_ms } else { config.negative_ttl_ms };
            let entry = CachedToken { record: record.clone(), until_ms: now_ms + ttl };
            host.cache_put(&key, serde_json::to_vec(&entry).expect("a token entry always serializes")).await;
            record
        }
    };
    let record = record.filter(|record| record.accepts(&parsed, now_ms)).ok_or_else(invalid_token)?;
    if let Some(base_header) = headers.get(BASE_ID_HEADER) {
        let base_id = base_header.to_str().ok().and_then(BaseId::parse).ok_or_else(|| {
            ApiError::new(ErrorCode::InvalidRequest, "'X-Base-Id' must be a base UUID.").with("header", "X-Base-Id")
        })?;
        if base_id != record.base_id {
            return Err(ApiError::new(
                ErrorCode::BaseMismatch,
                "This token belongs to another base than 'X-Base-Id' names.",
            )
            .with("header", "X-Base-Id"));
        }
    }
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
