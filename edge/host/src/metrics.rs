//! Prometheus counters of what this host served, on a listener of their own
//! (`--metrics-listen`, on loopback or the private network): answers by status class,
//! and published views' answers by how the edge's cache served them (the component's
//! `X-Cache`: `HIT`, `STALE` or `MISS`), which give the view cache's hit ratio.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

const CACHE_STATES: [&str; 3] = ["HIT", "STALE", "MISS"];

#[derive(Default)]
pub struct Metrics {
    /// Answers by status class, 1xx to 5xx.
    responses: [AtomicU64; 5],
    /// View answers by [`CACHE_STATES`].
    cache: [AtomicU64; 3],
}

impl Metrics {
    pub fn observe(&self, status: http::StatusCode, cache: Option<&http::HeaderValue>) {
        let class = usize::from(status.as_u16() / 100).clamp(1, 5) - 1;
        self.responses[class].fetch_add(1, Ordering::Relaxed);
        if let Some(at) =
            cache.and_then(|value| CACHE_STATES.iter().position(|state| value.as_bytes() == state.as_bytes()))
        {
            self.cache[at].fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The Prometheus text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# HELP nc_edge_responses_total Answers of this edge host by status class.");
        let _ = writeln!(out, "# TYPE nc_edge_responses_total counter");
        for (class, count) in self.responses.iter().enumerate() {
            let _ =
                writeln!(out, "nc_edge_responses_total{{class=\"{}xx\"}} {}", class + 1, count.load(Ordering::Relaxed));
        }
        let _ = writeln!(
            out,
            "# HELP nc_edge_view_cache_total Published views' answers by how the edge's cache served them."
        );
        let _ = writeln!(out, "# TYPE nc_edge_view_cache_total counter");
        for (state, count) in CACHE_STATES.iter().zip(&self.cache) {
            let result = state.to_ascii_lowercase();
            let _ = writeln!(out, "nc_edge_view_cache_total{{result=\"{result}\"}} {}", count.load(Ordering::Relaxed));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_answers_and_view_cache_states() {
        let metrics = Metrics::default();
        let hit = http::HeaderValue::from_static("HIT");
        metrics.observe(http::StatusCode::OK, Some(&hit));
        metrics.observe(http::StatusCode::OK, Some(&hit));
        metrics.observe(http::StatusCode::OK, Some(&http::HeaderValue::from_static("MISS")));
        metrics.observe(http::StatusCode::NOT_FOUND, None);
        metrics.observe(http::StatusCode::SERVICE_UNAVAILABLE, Some(&http::HeaderValue::from_static("other")));
        let text = metrics.render();
        for line in [
            "nc_edge_responses_total{class=\"2xx\"} 3",
            "nc_edge_responses_total{class=\"4xx\"} 1",
            "nc_edge_responses_total{class=\"5xx\"} 1",
            "nc_edge_view_cache_total{result=\"hit\"} 2",
            "nc_edge_view_cache_total{result=\"stale\"} 0",
            "nc_edge_view_cache_total{result=\"miss\"} 1",
        ] {
            assert!(text.lines().any(|got| got == line), "{line} in\n{text}");
        }
    }
}
