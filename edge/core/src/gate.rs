//! The guardrails of one request: protective limits checked before anything else, one
//! admission against the shared rate-limit and quota state ([`crate::guard`]), and the
//! headers that report it.
//!
//! A caller with valid credentials is admitted under its own budget (`token:<id>` or
//! `user:<id>`, with the token's or plan's limit); a request without them (no
//! credentials, credentials that do not verify, a malformed request) under its client
//! address's (`ip:<address>`, `anonymous_rate_limit`). An unknown API token is looked up
//! at the origin only after its client address was admitted, so a stream of made-up
//! tokens costs the origin one lookup per admitted request at most.

use crate::guard::{self, Admission, Admitted, Meter, Outcome, Verdict};
use crate::memo::{self, Validity};
use crate::{Config, Host, origin};
use http::{HeaderName, HeaderValue, Request};
use serde::{Deserialize, Serialize};
use shared::envelope::Op;
use shared::error::{ApiError, ErrorCode};
use shared::ids::BaseId;
use shared::usage::{QuotaStatus, RateLimit};
use std::cell::RefCell;

/// How long the edge trusts the origin's word on a base's quota.
const QUOTA_TTL_MS: i64 = 5_000;

/// Refuses what is too large to look at: the URL, the headers, the body, a JSON body's nesting.
pub fn check_request(config: &Config, request: &Request<Vec<u8>>) -> Result<(), ApiError> {
    let url_bytes = request.uri().path_and_query().map_or(0, |target| target.as_str().len());
    if url_bytes > config.max_url_bytes {
        return Err(ApiError::new(
            ErrorCode::UriTooLong,
            format!(
                "The URL is {url_bytes} bytes; at most {} are accepted. Send long conditions as a `where` tree.",
                config.max_url_bytes
            ),
        )
        .with("max_bytes", config.max_url_bytes)
        .with("bytes", url_bytes));
    }
    let header_bytes: usize =
        request.headers().iter().map(|(name, value)| name.as_str().len() + value.as_bytes().len() + 4).sum();
    if header_bytes > config.max_header_bytes {
        return Err(ApiError::new(
            ErrorCode::HeadersTooLarge,
            format!("The request headers are {header_bytes} bytes; at most {} are accepted.", config.max_header_bytes),
        )
        .with("max_bytes", config.max_header_bytes)
        .with("bytes", header_bytes));
    }
    let body = request.body();
    if body.len() > config.max_body_bytes {
        return Err(body_too_large(config));
    }
    if json_depth(body) > config.max_json_depth {
        return Err(ApiError::new(
            ErrorCode::InvalidRequest,
            format!("The JSON body nests deeper than {} levels.", config.max_json_depth),
        )
        .with("max_depth", config.max_json_depth));
    }
    Ok(())
}

/// The deepest nesting of arrays and objects in `body` (0 for scalars and non-JSON).
fn json_depth(body: &[u8]) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for byte in body {
        match (in_string, escaped, byte) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') => in_string = false,
            (true, false, _) => {}
            (false, _, b'"') => in_string = true,
            (false, _, b'[' | b'{') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (false, _, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// One request's admission: at most one verdict, which the response headers report.
pub struct Gate<'a, H: Host> {
    host: &'a H,
    config: &'a Config,
    verdict: RefCell<Option<Verdict>>,
}

impl<'a, H: Host> Gate<'a, H> {
    pub fn new(host: &'a H, config: &'a Config) -> Self {
        Gate { host, config, verdict: RefCell::new(None) }
    }

    fn admitted(&self) -> bool {
        self.verdict.borrow().is_some()
    }

    async fn admit(&self, key: String, limit: RateLimit, meter: Option<Meter>) -> Result<(), ApiError> {
        if !self.config.rate_limiting {
            return Ok(());
        }
        let now_ms = self.host.now_ms();
        // A base with a quota is counted request by request, so that it ends exactly.
        let leased = meter.as_ref().is_none_or(|meter| meter.quota.monthly_limit.is_none());
        let mut admission = Admission { key, limit, meter, now_ms, slots: 1, returned: None };
        let admitted = if leased {
            let shared = |admission| self.host.admit(admission);
            guard::admit_leasing(&self.host.memo().leases, &mut admission, shared).await
        } else {
            self.host.admit(&admission).await.map(Admitted::Shared)
        };
        // An unreachable shared state lets the request through: the guardrails protect
        // the service, they must not take it down.
        let verdict = match admitted {
            Ok(Admitted::Shared(verdict)) => verdict,
            Ok(Admitted::Leased(verdict)) => {
                if let Some(meter) = &admission.meter {
                    // Failing open too, as an unreachable store does for admissions.
                    let _ = self.host.count_usage(meter, now_ms).await;
                }
                verdict
            }
            Err(_) => return Ok(()),
        };
        let refusal = match verdict.outcome {
            Outcome::Allowed => None,
            Outcome::RateLimited => Some(
                ApiError::new(
                    ErrorCode::RateLimited,
                    format!(
                        "Over {} requests per {} s; retry in {} s.",
                        limit.requests, limit.window_seconds, verdict.reset_seconds
                    ),
                )
                .with("limit", limit.requests)
                .with("window_seconds", limit.window_seconds),
            ),
            Outcome::QuotaExceeded => Some({
                let (quota, used, reset) = verdict.quota.unwrap_or_default();
                ApiError::new(
                    ErrorCode::QuotaExceeded,
                    format!(
                        "The base used its monthly quota of {quota} requests; it resets in {reset} s. Ask the \
                         workspace owner for a higher quota."
                    ),
                )
                .with("quota", quota)
                .with("used", used)
            }),
        };
        *self.verdict.borrow_mut() = Some(verdict);
        refusal.map_or(Ok(()), Err)
    }

    /// Admits a request without valid credentials under its client address's budget (once).
    pub async fn anonymous(&self) -> Result<(), ApiError> {
        if self.admitted() {
            return Ok(());
        }
        let address = self.host.client_address().unwrap_or_else(|| "unknown".to_owned());
        self.admit(format!("ip:{address}"), self.config.anonymous_rate_limit, None).await
    }

    /// Admits a caller of a base under its own budget, metered to the base.
    pub async fn caller(&self, caller: &crate::auth::Caller, request_id: &crate::RequestId) -> Result<(), ApiError> {
        if !self.config.rate_limiting {
            return Ok(());
        }
        let quota = quota(self.host, self.config, caller.base_id, request_id).await?;
        let principal = caller.principal.actor();
        let meter = Meter { base_id: caller.base_id, principal: principal.clone(), quota };
        self.admit(principal, caller.rate_limit, Some(meter)).await
    }

    /// Admits a caller of a published view: an anonymous one (`public`) under its client
    /// address's budget, a view key (`view_key:<id>`) under its own; metered to the view's base.
    pub async fn visitor(
        &self,
        base_id: BaseId,
        principal: String,
        request_id: &crate::RequestId,
    ) -> Result<(), ApiError> {
        if !self.config.rate_limiting {
            return Ok(());
        }
        let quota = quota(self.host, self.config, base_id, request_id).await?;
        let (key, limit) = match principal.as_str() {
            "public" => {
                let address = self.host.client_address().unwrap_or_else(|| "unknown".to_owned());
                (format!("ip:{address}"), self.config.anonymous_rate_limit)
            }
            _ => (principal.clone(), RateLimit::DEFAULT),
        };
        self.admit(key, limit, Some(Meter { base_id, principal, quota })).await
    }

    /// Admits a signed-in user on the management API.
    pub async fn user(&self, user: shared::ids::UserId) -> Result<(), ApiError> {
        self.admit(format!("user:{user}"), RateLimit::DEFAULT, None).await
    }

    /// `RateLimit-*` (and on a refusal `Retry-After`, with the quota's `X-Quota-*`).
    pub fn headers(&self) -> Vec<(HeaderName, HeaderValue)> {
        let Some(verdict) = self.verdict.borrow().clone() else { return Vec::new() };
        let mut headers = vec![
            ("ratelimit-limit", verdict.limit.requests.to_string()),
            ("ratelimit-remaining", verdict.remaining.to_string()),
            ("ratelimit-reset", verdict.reset_seconds.to_string()),
            ("ratelimit-policy", format!("{};w={}", verdict.limit.requests, verdict.limit.window_seconds)),
        ];
        if let Some((limit, used, reset)) = verdict.quota {
            headers.extend([
                ("x-quota-limit", limit.to_string()),
                ("x-quota-used", used.min(limit).to_string()),
                ("x-quota-reset", reset.to_string()),
            ]);
        }
        match verdict.outcome {
            Outcome::Allowed => {}
            Outcome::RateLimited => headers.push(("retry-after", verdict.reset_seconds.max(1).to_string())),
            Outcome::QuotaExceeded => {
                let reset = verdict.quota.map_or(60, |(_, _, reset)| reset.max(1));
                headers.push(("retry-after", reset.to_string()));
            }
        }
        headers
            .into_iter()
            .filter_map(|(name, value)| Some((HeaderName::from_static(name), HeaderValue::from_str(&value).ok()?)))
            .collect()
    }
}

#[derive(Serialize, Deserialize)]
struct CachedQuota {
    status: QuotaStatus,
    until_ms: i64,
}

/// The base's quota as the origin last said, cached for [`QUOTA_TTL_MS`]. While the origin
/// cannot say, the quota is not enforced (cached answers keep being served).
async fn quota<H: Host>(
    host: &H,
    config: &Config,
    base_id: BaseId,
    request_id: &crate::RequestId,
) -> Result<QuotaStatus, ApiError> {
    let key = format!("quota:{base_id}");
    let now_ms = host.now_ms();
    if let Some(cached) =
        memo::read(host, &key, Validity::Content, |cached: &CachedQuota| cached.until_ms > now_ms).await
    {
        return Ok(cached.status);
    }
    let status: QuotaStatus = match origin::fetch(host, config, request_id, Op::QuotaStatus { base_id }).await {
        Ok(Some(status)) => status,
        Ok(None) => return Err(ApiError::new(ErrorCode::InvalidToken, "The token's base no longer exists.")),
        // Unknown while the origin is unreachable: the last figure, or none; asked again
        // after the same interval, so that an outage does not add a failing call per request.
        Err(_) => memo::read(host, &key, Validity::Content, |_: &CachedQuota| true)
            .await
            .map_or(QuotaStatus { monthly_limit: None, used: 0, resets_at_ms: now_ms }, |last| last.status),
    };
    memo::write(host, &key, Validity::Content, CachedQuota { status, until_ms: now_ms + QUOTA_TTL_MS }).await;
    Ok(status)
}

/// The route an edge host's scheduler calls (with `x-edge-host-trigger: tick`, a header
/// the host removes from every client request) to flush metered usage to the origin.
pub const FLUSH_PATH: &str = "/internal/v1/flush";
pub const TRIGGER_HEADER: &str = "x-edge-host-trigger";

/// Sends the usage counted since the last flush to the origin; puts it back on failure.
pub async fn flush<H: Host>(host: &H, config: &Config, request_id: &crate::RequestId) -> Result<usize, ApiError> {
    let entries = host.take_usage(host.now_ms()).await.map_err(|_| {
        ApiError::new(ErrorCode::ServiceUnavailable, "The shared counters are unavailable; the next flush retries.")
    })?;
    let count = entries.len();
    match record_usage(host, config, request_id, entries).await {
        Ok(()) => Ok(count),
        Err(entries) => {
            host.restore_usage(entries).await;
            Err(ApiError::new(ErrorCode::OriginUnavailable, "Usage was not recorded; the next flush retries."))
        }
    }
}

/// Sends a usage batch to the origin; on failure, gives the batch back to be kept.
pub async fn record_usage<H: Host>(
    host: &H,
    config: &Config,
    request_id: &crate::RequestId,
    entries: Vec<shared::usage::UsageEntry>,
) -> Result<(), Vec<shared::usage::UsageEntry>> {
    if entries.is_empty() {
        return Ok(());
    }
    match origin::call(host, config, request_id, Op::RecordUsage { entries: entries.clone() }).await {
        Ok(reply) if reply.status == 200 => Ok(()),
        _ => Err(entries),
    }
}

/// The refusal of a body over `max_body_bytes`, whether it was read whole or stopped early.
pub(crate) fn body_too_large(config: &Config) -> ApiError {
    ApiError::new(
        ErrorCode::PayloadTooLarge,
        format!("The body is over {} bytes; split it, or use CSV import for bulk loads.", config.max_body_bytes),
    )
    .with("max_bytes", config.max_body_bytes)
}

#[cfg(test)]
mod tests {
    use super::json_depth;

    #[test]
    fn depth() {
        assert_eq!(json_depth(b"{}"), 1);
        assert_eq!(json_depth(br#"{"a":[1,{"b":"[[[["}]}"#), 3);
        assert_eq!(json_depth(br#"{"a":"\"[[[[\""}"#), 1);
        assert_eq!(json_depth(b"12"), 0);
        assert_eq!(json_depth(&[b'['; 40]), 40);
    }
}
