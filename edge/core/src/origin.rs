//! The trip to the origin: wrap an operation in an envelope, sign the exact bytes, send.

use crate::host::Opened;
use crate::{Config, Host, OriginRequest, OriginResponse, RequestId};
use serde::de::DeserializeOwned;
use shared::envelope::{Envelope, Op, VERSION};
use shared::error::{ApiError, ErrorCode};

/// Sends one operation; any HTTP answer is returned as is, for the caller to interpret.
pub async fn call<H: Host>(
    host: &H,
    config: &Config,
    request_id: &RequestId,
    op: Op,
) -> Result<OriginResponse, ApiError> {
    send(host, config, envelope(host, config, request_id, op)).await
}

/// The signed envelope of `op`.
pub fn envelope<H: Host>(host: &H, config: &Config, request_id: &RequestId, op: Op) -> OriginRequest {
    let mut nonce = [0u8; 16];
    host.fill_random(&mut nonce);
    let envelope = Envelope {
        v: VERSION,
        request_id: (**request_id).to_owned(),
        issued_at: host.now_ms(),
        nonce: hex::encode(nonce),
        traceparent: Some(request_id.traceparent.to_string()),
        op,
    };
    let body = serde_json::to_vec(&envelope).expect("an envelope always serializes");
    let signature = config.keys.sign(&body);
    OriginRequest { body, signature, request_id: (**request_id).to_owned() }
}

/// Sends a signed envelope; any HTTP answer is returned as is.
pub async fn send<H: Host>(host: &H, config: &Config, request: OriginRequest) -> Result<OriginResponse, ApiError> {
    let reply =
        first(host.call_origin(request), host.sleep(config.origin_timeout_ms)).await.ok_or_else(|| timeout(config))?;
    ours(reply.map_err(|_| unavailable())?)
}

/// Sends a signed envelope that asks for a stream; waits for the stream's head only.
pub async fn open<H: Host>(host: &H, config: &Config, request: OriginRequest) -> Result<Opened<H::Stream>, ApiError> {
    let opened = first(host.open_origin_stream(request), host.sleep(config.origin_timeout_ms))
        .await
        .ok_or_else(|| timeout(config))?;
    match opened.map_err(|_| unavailable())? {
        Opened::Answer(reply) => ours(reply).map(Opened::Answer),
        stream => Ok(stream),
    }
}

/// Every origin answer is a JSON object, or a `204` without a body; anything else (a
/// proxy's error page, say) is not passed through to clients as if it were ours.
fn ours(reply: OriginResponse) -> Result<OriginResponse, ApiError> {
    let empty = reply.status == 204 && reply.body.is_empty();
    if !empty && !reply.body.trim_ascii_start().starts_with(b"{") {
        return Err(unavailable());
    }
    Ok(reply)
}

fn timeout(config: &Config) -> ApiError {
    ApiError::new(ErrorCode::OriginTimeout, "The origin did not answer in time; retry shortly.")
        .with("timeout_ms", config.origin_timeout_ms)
}

/// Sends an edge-internal lookup: the decoded body on 200; `Ok(None)` when the origin
/// says the token, the user's access or the base is gone (401 or 404).
pub async fn fetch<H: Host, T: DeserializeOwned>(
    host: &H,
    config: &Config,
    request_id: &RequestId,
    op: Op,
) -> Result<Option<T>, ApiError> {
    let reply = call(host, config, request_id, op).await?;
    match reply.status {
        200 => serde_json::from_slice(&reply.body).map(Some).map_err(|_| unavailable()),
        401 | 404 => Ok(None),
        403 => Err(suspended(&reply.body).unwrap_or_else(unavailable)),
        503 => Err(ApiError::new(
            ErrorCode::ServiceUnavailable,
            "A database the service depends on is unavailable; retry shortly.",
        )),
        _ => Err(unavailable()),
    }
}

/// The origin's refusal of a lookup for a tenant its operators suspended, as it worded it.
fn suspended(body: &[u8]) -> Option<ApiError> {
    let answer: serde_json::Value = serde_json::from_slice(body).ok()?;
    let error = &answer["error"];
    if error["code"] != ErrorCode::TenantSuspended.as_str() {
        return None;
    }
    let mut refusal = ApiError::new(ErrorCode::TenantSuspended, error["message"].as_str().unwrap_or_default());
    refusal.details = error["details"].as_object().cloned().unwrap_or_default();
    Some(refusal)
}

/// The output of `work`, or `None` when `deadline` resolves first.
async fn first<T>(work: impl Future<Output = T>, deadline: impl Future<Output = ()>) -> Option<T> {
    let mut work = std::pin::pin!(work);
    let mut deadline = std::pin::pin!(deadline);
    std::future::poll_fn(|cx| {
        if let std::task::Poll::Ready(value) = work.as_mut().poll(cx) {
            return std::task::Poll::Ready(Some(value));
        }
        deadline.as_mut().poll(cx).map(|()| None)
    })
    .await
}

fn unavailable() -> ApiError {
    ApiError::new(ErrorCode::OriginUnavailable, "The origin could not be reached; retry shortly.")
}
