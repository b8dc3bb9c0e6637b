//! Replay protection: remembers every nonce for longer than an envelope can stay valid.
//!
//! With `NC_REDIS_URL` the nonces are kept in Redis (`SET NX` with an expiry of four
//! windows), so that an envelope one origin accepted is refused by every other. Without
//! it, in this process: two generations rotate every two windows, so a nonce is kept
//! between two and four windows, while an envelope is valid for at most two (±window
//! around issued-at).

use shared::envelope::WINDOW_MS;
use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Duration;

/// How long one origin waits for Redis before it answers 503.
const SHARED_TIMEOUT: Duration = Duration::from_secs(2);

/// Where the nonces are remembered.
pub enum Nonces {
    Local(LocalNonces),
    Shared(redis::aio::ConnectionManager),
}

/// The shared store could not say whether a nonce is new.
#[derive(Debug, thiserror::Error)]
#[error("the nonce store (Redis) did not answer: {0}")]
pub struct StoreDown(String);

impl Nonces {
    /// Shared through the Redis at `url` when given (connected lazily, reconnecting by
    /// itself), else kept here.
    pub fn new(redis_url: Option<&str>, now_ms: i64) -> anyhow::Result<Nonces> {
        let Some(url) = redis_url else { return Ok(Nonces::Local(LocalNonces::new(now_ms))) };
        let client = redis::Client::open(url)?;
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Some(SHARED_TIMEOUT))
            .set_response_timeout(Some(SHARED_TIMEOUT))
            .set_number_of_retries(2);
        Ok(Nonces::Shared(redis::aio::ConnectionManager::new_lazy_with_config(client, config)?))
    }

    /// Records `nonce`; `Ok(false)` if it was seen before.
    pub async fn first_use(&self, nonce: &str, now_ms: i64) -> Result<bool, StoreDown> {
        match self {
            Nonces::Local(local) => Ok(local.first_use(nonce, now_ms)),
            Nonces::Shared(redis) => {
                let mut redis = redis.clone();
                let set: Option<String> = redis::cmd("SET")
                    .arg(format!("nc:nonce:{nonce}"))
                    .arg(1)
                    .arg("NX")
                    .arg("PX")
                    .arg(4 * WINDOW_MS)
                    .query_async(&mut redis)
                    .await
                    .map_err(|error| StoreDown(error.to_string()))?;
                Ok(set.is_some())
            }
        }
    }

    /// `Some(reachable)` when the nonces are in Redis, for `/healthz`.
    pub async fn shared_reachable(&self) -> Option<bool> {
        let Nonces::Shared(redis) = self else { return None };
        let mut redis = redis.clone();
        let pong: Result<String, _> = redis::cmd("PING").query_async(&mut redis).await;
        Some(pong.is_ok())
    }
}

pub struct LocalNonces {
    inner: Mutex<Generations>,
}

struct Generations {
    current: HashSet<String>,
    previous: HashSet<String>,
    rotated_at_ms: i64,
}

impl LocalNonces {
    pub fn new(now_ms: i64) -> Self {
        LocalNonces {
            inner: Mutex::new(Generations { current: HashSet::new(), previous: HashSet::new(), rotated_at_ms: now_ms }),
        }
    }

    /// Records `nonce`; returns false if it was seen before.
    pub fn first_use(&self, nonce: &str, now_ms: i64) -> bool {
        let mut generations = self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if now_ms - generations.rotated_at_ms >= 2 * WINDOW_MS {
            generations.previous = std::mem::take(&mut generations.current);
            generations.rotated_at_ms = now_ms;
        }
        if generations.previous.contains(nonce) {
            return false;
        }
        generations.current.insert(nonce.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replay_is_caught_across_a_rotation() {
        let nonces = LocalNonces::new(0);
        assert!(nonces.first_use("a", 0));
        assert!(!nonces.first_use("a", 1));
        assert!(nonces.first_use("b", 2 * WINDOW_MS));
        assert!(!nonces.first_use("a", 2 * WINDOW_MS + 1), "kept in the previous generation");
        assert!(nonces.first_use("a", 6 * WINDOW_MS), "forgotten after two rotations");
    }
}
