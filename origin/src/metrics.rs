//! Prometheus metrics of the origin, served unsigned at `/metrics`.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// (operation, status) → (request count, total handling time in µs).
type Counters = BTreeMap<(&'static str, u16), (u64, u64)>;

/// Webhook attempts this process made that were delivered and that failed.
static WEBHOOK_ATTEMPTS: [AtomicU64; 2] = [AtomicU64::new(0), AtomicU64::new(0)];

/// Counts a webhook attempt.
pub fn webhook_attempt(delivered: bool) {
    WEBHOOK_ATTEMPTS[usize::from(!delivered)].fetch_add(1, Ordering::Relaxed);
}

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<Counters>,
}

impl Metrics {
    pub fn observe(&self, op: &'static str, status: u16, micros: u64) {
        let mut requests = self.requests.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = requests.entry((op, status)).or_default();
        entry.0 += 1;
        entry.1 += micros;
    }

    /// The Prometheus text exposition format; `streams`: the event streams open now, and
    /// `subscriptions`: the distinct subscriptions their hubs evaluate.
    pub fn render(&self, streams: usize, subscriptions: usize) -> String {
        let requests = self.requests.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut out = String::new();
        out.push_str("# HELP nc_origin_requests_total Execute requests by operation and status.\n");
        out.push_str("# TYPE nc_origin_requests_total counter\n");
        for ((op, status), (count, _)) in requests.iter() {
            let _ = writeln!(out, "nc_origin_requests_total{{op=\"{op}\",status=\"{status}\"}} {count}");
        }
        out.push_str("# HELP nc_origin_request_seconds_total Time spent handling execute requests.\n");
        out.push_str("# TYPE nc_origin_request_seconds_total counter\n");
        for ((op, status), (_, micros)) in requests.iter() {
            let _ = writeln!(
                out,
                "nc_origin_request_seconds_total{{op=\"{op}\",status=\"{status}\"}} {}",
                *micros as f64 / 1e6
            );
        }
        out.push_str(
            "# HELP nc_origin_data_statements_max The most statements one data-plane connection has held prepared.\n",
        );
        out.push_str("# TYPE nc_origin_data_statements_max gauge\n");
        let _ = writeln!(out, "nc_origin_data_statements_max {}", crate::pools::most_statements());
        out.push_str("# HELP nc_origin_event_streams Event streams open on this origin.\n");
        out.push_str("# TYPE nc_origin_event_streams gauge\n");
        let _ = writeln!(out, "nc_origin_event_streams {streams}");
        out.push_str(
            "# HELP nc_origin_event_subscriptions Distinct subscriptions (caller, filters, schema) the change \
             hubs evaluate each batch of changes for.\n",
        );
        out.push_str("# TYPE nc_origin_event_subscriptions gauge\n");
        let _ = writeln!(out, "nc_origin_event_subscriptions {subscriptions}");
        out.push_str("# HELP nc_origin_webhook_attempts_total Webhook deliveries attempted, by outcome.\n");
        out.push_str("# TYPE nc_origin_webhook_attempts_total counter\n");
        for (outcome, count) in ["delivered", "failed"].iter().zip(&WEBHOOK_ATTEMPTS) {
            let _ = writeln!(
                out,
                "nc_origin_webhook_attempts_total{{outcome=\"{outcome}\"}} {}",
                count.load(Ordering::Relaxed)
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters() {
        let metrics = Metrics::default();
        metrics.observe("getRecord", 200, 150);
        metrics.observe("getRecord", 200, 50);
        metrics.observe("refused", 401, 10);
        let text = metrics.render(3, 1);
        assert!(text.contains("nc_origin_event_streams 3\n"), "{text}");
        assert!(text.contains("nc_origin_event_subscriptions 1\n"), "{text}");
        assert!(text.contains("nc_origin_requests_total{op=\"getRecord\",status=\"200\"} 2\n"), "{text}");
        assert!(text.contains("nc_origin_request_seconds_total{op=\"getRecord\",status=\"200\"} 0.0002\n"), "{text}");
        assert!(text.contains("nc_origin_requests_total{op=\"refused\",status=\"401\"} 1\n"), "{text}");
    }
}
