//! Edge configuration, read by each adapter from its host's variables into one value.

use shared::usage::RateLimit;

/// Everything the edge core needs to know; built once per instance by the adapter.
#[derive(Clone, Debug)]
pub struct Config {
    /// Base URL of the origin, e.g. `http://127.0.0.1:8080`.
    pub origin_url: String,
    /// The keys shared with the origins (`edge_signing_key`, comma-separated during a
    /// rotation): the first signs envelopes; any verifies pushes, access tokens, cursors.
    pub keys: shared::keys::Keyring,
    /// How long a token lookup is trusted; bounds revocation latency at the edge.
    pub token_ttl_ms: i64,
    /// How long an unknown token id is remembered as unknown.
    pub negative_ttl_ms: i64,
    /// How long a base catalog is trusted when no origin response says otherwise.
    pub catalog_ttl_ms: i64,
    /// Largest accepted request body.
    pub max_body_bytes: usize,
    /// Browser origins allowed by CORS (`*` allows any).
    pub cors_allowed_origins: Vec<String>,
    /// The limit of each client address for requests without valid credentials.
    pub anonymous_rate_limit: RateLimit,
    /// `false` turns rate limits and quotas off (an operator's escape hatch; usage is then not metered).
    pub rate_limiting: bool,
    /// Longest accepted path and query, in bytes.
    pub max_url_bytes: usize,
    /// Largest accepted request headers (names and values), in bytes.
    pub max_header_bytes: usize,
    /// Deepest accepted nesting of a JSON body.
    pub max_json_depth: usize,
    /// How long the edge waits for the origin.
    pub origin_timeout_ms: u64,
    /// How long one event stream runs before the client resumes it (under the host's own
    /// limit on a request's duration).
    pub stream_seconds: u32,
}

/// Requests per window of one client address without valid credentials, unless configured.
pub const DEFAULT_ANONYMOUS_RATE_LIMIT: RateLimit = RateLimit { requests: 600, window_seconds: 60 };

/// Where the product's web app runs; the only CORS origin unless configured otherwise.
pub const DEFAULT_CORS_ORIGIN: &str = "https://app.nclcdbaas.com";

/// Names of the variables adapters read (Spin variables, Workers vars and secrets).
pub const VARIABLES: [&str; 13] = [
    "origin_url",
    "edge_signing_key",
    "token_cache_ttl_seconds",
    "catalog_cache_ttl_seconds",
    "max_body_bytes",
    "cors_allowed_origins",
    "anonymous_rate_limit",
    "rate_limiting",
    "max_url_bytes",
    "max_header_bytes",
    "max_json_depth",
    "origin_timeout_ms",
    "stream_seconds",
];

impl Config {
    /// Builds the configuration from named variables; `lookup` returns a variable's value if set.
    pub fn from_variables(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, String> {
        let origin_url = lookup("origin_url").ok_or("variable 'origin_url' is not set")?;
        let keys = lookup("edge_signing_key").ok_or("variable 'edge_signing_key' is not set")?;
        let keys = shared::keys::Keyring::parse(&keys)
            .map_err(|error| format!("variable 'edge_signing_key' (hex keys, comma-separated): {error}"))?;
        let number = |name: &str, default: i64| -> Result<i64, String> {
            match lookup(name) {
                None => Ok(default),
                Some(text) => text.trim().parse().map_err(|_| format!("variable '{name}' must be an integer")),
            }
        };
        let token_ttl_ms = number("token_cache_ttl_seconds", 60)?.clamp(0, 60) * 1000;
        let size = |name: &str, default: i64| -> Result<usize, String> {
            usize::try_from(number(name, default)?).map_err(|_| format!("variable '{name}' must be positive"))
        };
        let max_body_bytes = size("max_body_bytes", 5 * 1024 * 1024)?;
        let anonymous_rate_limit = match lookup("anonymous_rate_limit") {
            None => DEFAULT_ANONYMOUS_RATE_LIMIT,
            Some(text) => RateLimit::parse(&text)
                .ok_or("variable 'anonymous_rate_limit' must be <requests>/<window seconds>, e.g. 600/60")?,
        };
        let rate_limiting = match lookup("rate_limiting").as_deref().map(str::trim) {
            None | Some("on") => true,
            Some("off") => false,
            Some(_) => return Err("variable 'rate_limiting' must be on or off".into()),
        };
        Ok(Config {
            origin_url: origin_url.trim_end_matches('/').to_owned(),
            keys,
            token_ttl_ms,
            negative_ttl_ms: token_ttl_ms.min(10_000),
            catalog_ttl_ms: number("catalog_cache_ttl_seconds", 60)?.clamp(1, 60) * 1000,
            max_body_bytes,
            anonymous_rate_limit,
            rate_limiting,
            max_url_bytes: size("max_url_bytes", 32 * 1024)?,
            max_header_bytes: size("max_header_bytes", 32 * 1024)?,
            max_json_depth: size("max_json_depth", 32)?,
            origin_timeout_ms: u64::try_from(number("origin_timeout_ms", 25_000)?)
                .map_err(|_| "variable 'origin_timeout_ms' must be positive")?,
            stream_seconds: u32::try_from(number("stream_seconds", 25)?.clamp(1, 3600)).unwrap_or(25),
            cors_allowed_origins: lookup("cors_allowed_origins")
                .unwrap_or_else(|| DEFAULT_CORS_ORIGIN.to_owned())
                .split(',')
                .map(|origin| origin.trim().trim_end_matches('/').to_owned())
                .filter(|origin| !origin.is_empty())
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{Config, VARIABLES};
    use std::cell::RefCell;

    /// Spin passes only the variables in [`VARIABLES`]: every one the configuration reads
    /// must be there, or setting it would silently do nothing.
    #[test]
    fn every_variable_read_is_listed() {
        let asked = RefCell::new(Vec::new());
        let config = Config::from_variables(|name| {
            asked.borrow_mut().push(name.to_owned());
            match name {
                "origin_url" => Some("http://127.0.0.1:8080".to_owned()),
                "edge_signing_key" => Some("ab".repeat(32)),
                "catalog_cache_ttl_seconds" => Some("7".to_owned()),
                _ => None,
            }
        })
        .expect("a configuration");
        assert_eq!(config.catalog_ttl_ms, 7000);
        let asked = asked.into_inner();
        for name in &asked {
            assert!(VARIABLES.contains(&name.as_str()), "'{name}' is read but not in VARIABLES");
        }
        for name in VARIABLES {
            assert!(asked.iter().any(|asked| asked == name), "'{name}' is in VARIABLES but never read");
        }
    }
}
