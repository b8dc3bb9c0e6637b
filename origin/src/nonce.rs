//! Replay protection: remembers every nonce for longer than an envelope can stay valid.
//!
//! Two generations rotate every two windows, so a nonce is kept between two and four
//! windows, while an envelope is valid for at most two (±window around issued-at).

use shared::envelope::WINDOW_MS;
use std::collections::HashSet;
use std::sync::Mutex;

pub struct Nonces {
    inner: Mutex<Generations>,
}

struct Generations {
    current: HashSet<String>,
    previous: HashSet<String>,
    rotated_at_ms: i64,
}

impl Nonces {
    pub fn new(now_ms: i64) -> Self {
        Nonces {
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
        let nonces = Nonces::new(0);
        assert!(nonces.first_use("a", 0));
        assert!(!nonces.first_use("a", 1));
        assert!(nonces.first_use("b", 2 * WINDOW_MS));
        assert!(!nonces.first_use("a", 2 * WINDOW_MS + 1), "kept in the previous generation");
        assert!(nonces.first_use("a", 6 * WINDOW_MS), "forgotten after two rotations");
    }
}
