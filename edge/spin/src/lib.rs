//! Spin adapter: the edge core as a `wasi:http/handler@0.3.0` component.
//!
//! Spin creates an instance per request (our edge-host may reuse one), so the token and
//! catalog caches live in the host's key-value store (`default`), shared by all
//! instances; configuration comes from Spin variables (see spin.toml).

use bytes::Bytes;
use spin_sdk::http::body::IncomingBodyExt;
use spin_sdk::http::{FullBody, IntoResponse, Request};
use spin_sdk::{http_service, key_value, variables};
use std::collections::HashMap;
use std::sync::OnceLock;

struct SpinHost<'a> {
    config: &'a edge::Config,
    store: Option<key_value::Store>,
}

impl edge::Host for SpinHost<'_> {
    async fn call_origin(&self, request: edge::OriginRequest) -> Result<edge::OriginResponse, String> {
        let outbound = http::Request::post(format!("{}{}", self.config.origin_url, edge::EXECUTE_PATH))
            .header(http::header::CONTENT_TYPE, "application/json")
            .header(edge::SIGNATURE_HEADER, request.signature)
            .header(edge::REQUEST_ID_HEADER, request.request_id)
            .body(FullBody::new(Bytes::from(request.body)))
            .map_err(|error| error.to_string())?;
        let response = spin_sdk::http::send(outbound).await.map_err(|error| format!("{error:?}"))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok()).map(str::to_owned);
        let body = response.into_body().bytes().await.map_err(|error| format!("{error:?}"))?;
        Ok(edge::OriginResponse::new(status, header, body.to_vec()))
    }

    fn now_ms(&self) -> i64 {
        let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX)
    }

    fn fill_random(&self, buf: &mut [u8]) {
        getrandom::fill(buf).expect("WASI always provides secure random bytes");
    }

    async fn cache_get(&self, key: &str) -> Option<Vec<u8>> {
        self.store.as_ref()?.get(key).await.ok().flatten()
    }

    async fn cache_put(&self, key: &str, value: Vec<u8>) {
        if let Some(store) = &self.store {
            // A failed write only costs a later origin lookup.
            let _ = store.set(key, value).await;
        }
    }
}

/// Spin variables are fixed for the life of the application, so an instance that serves
/// several requests (edge-host reuses instances) reads them only once.
static CONFIG: OnceLock<edge::Config> = OnceLock::new();

async fn config() -> Result<&'static edge::Config, String> {
    if let Some(config) = CONFIG.get() {
        return Ok(config);
    }
    let config = load_config().await?;
    Ok(CONFIG.get_or_init(|| config))
}

async fn load_config() -> Result<edge::Config, String> {
    let mut values = HashMap::new();
    for name in edge::VARIABLES {
        if let Ok(value) = variables::get(name).await {
            values.insert(name, value);
        }
    }
    edge::Config::from_variables(|name| values.get(name).cloned())
}

#[http_service]
async fn handle(request: Request) -> impl IntoResponse {
    let (parts, body) = request.into_parts();
    let config = match config().await {
        Ok(config) => config,
        Err(message) => {
            eprintln!("edge configuration error: {message}");
            return respond(http::Response::builder().status(500).body(edge::MISCONFIGURED_BODY.to_vec()));
        }
    };
    let host = SpinHost { config, store: key_value::Store::open_default().await.ok() };
    let response = match body.bytes().await {
        Ok(body) => edge::handle(&host, config, http::Request::from_parts(parts, body.to_vec())).await,
        Err(_) => edge::unreadable_body(&host),
    };
    respond(Ok(response))
}

fn respond(response: http::Result<http::Response<Vec<u8>>>) -> http::Response<FullBody<Bytes>> {
    match response {
        Ok(response) => response.map(|body| FullBody::new(Bytes::from(body))),
        Err(_) => {
            let mut response = http::Response::new(FullBody::new(Bytes::from_static(edge::MISCONFIGURED_BODY)));
            *response.status_mut() = http::StatusCode::INTERNAL_SERVER_ERROR;
            response
        }
    }
}
