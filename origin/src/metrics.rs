//! Prometheus metrics of the origin, served unsigned at `/metrics`: requests by operation
//! (counts, time, and a latency histogram), the planes' pools, the job and webhook queues
//! (sampled from the data plane every few seconds), and the event streams.

use crate::pools::{DataPool, Planes};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The upper bounds, in seconds, of the request-duration histogram's buckets.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

/// How often the queues are sampled.
const QUEUE_SAMPLE_EVERY: Duration = Duration::from_secs(10);

/// Webhook attempts this process made that were delivered and that failed.
static WEBHOOK_ATTEMPTS: [AtomicU64; 2] = [AtomicU64::new(0), AtomicU64::new(0)];

/// Counts a webhook attempt.
pub fn webhook_attempt(delivered: bool) {
    WEBHOOK_ATTEMPTS[usize::from(!delivered)].fetch_add(1, Ordering::Relaxed);
}

/// One operation's request durations: the count in each bucket (not cumulative), the
/// total count and the total time in µs.
#[derive(Default)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    micros: u64,
}

#[derive(Default)]
struct Requests {
    /// (operation, status) → (request count, total handling time in µs).
    counters: BTreeMap<(&'static str, u16), (u64, u64)>,
    durations: BTreeMap<&'static str, Histogram>,
}

/// The data plane's queues as last sampled.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Queues {
    pub jobs_queued: i64,
    pub jobs_running: i64,
    pub deliveries_pending: i64,
    /// How long the oldest pending webhook delivery has waited (0 when none waits).
    pub oldest_delivery_seconds: f64,
}

/// One plane's pool now.
pub struct PoolUsage {
    pub plane: &'static str,
    pub open: usize,
    pub idle: usize,
    pub max: usize,
}

impl PoolUsage {
    /// The three planes' pools of this process.
    pub fn of(planes: &Planes) -> [PoolUsage; 3] {
        let sqlx = |plane, pool: &sqlx::PgPool| PoolUsage {
            plane,
            open: pool.size() as usize,
            idle: pool.num_idle(),
            max: pool.options().get_max_connections() as usize,
        };
        // The data clusters' pools, added up.
        let data = planes.data.iter().map(|cluster| cluster.pool.status()).fold(
            PoolUsage { plane: "data", open: 0, idle: 0, max: 0 },
            |sum, status| PoolUsage {
                open: sum.open + status.size,
                idle: sum.idle + status.available,
                max: sum.max + status.max_size,
                ..sum
            },
        );
        [sqlx("control", &planes.control), data, sqlx("logs", &planes.logs)]
    }
}

/// What the process measures at the moment of a scrape.
pub struct Now {
    /// The event streams open.
    pub streams: usize,
    /// The distinct subscriptions their hubs evaluate.
    pub subscriptions: usize,
    pub pools: [PoolUsage; 3],
}

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<Requests>,
    queues: Mutex<Option<Queues>>,
}

impl Metrics {
    pub fn observe(&self, op: &'static str, status: u16, micros: u64) {
        let mut requests = self.requests.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = requests.counters.entry((op, status)).or_default();
        entry.0 += 1;
        entry.1 += micros;
        let histogram = requests.durations.entry(op).or_default();
        let seconds = micros as f64 / 1e6;
        if let Some(bucket) = BUCKETS.iter().position(|bound| seconds <= *bound) {
            histogram.buckets[bucket] += 1;
        }
        histogram.count += 1;
        histogram.micros += micros;
    }

    fn set_queues(&self, queues: Queues) {
        *self.queues.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(queues);
    }

    /// The Prometheus text exposition format.
    pub fn render(&self, now: &Now) -> String {
        let mut out = String::new();
        {
            let requests = self.requests.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            family(&mut out, "nc_origin_requests_total", "counter", "Execute requests by operation and status.");
            for ((op, status), (count, _)) in &requests.counters {
                let _ = writeln!(out, "nc_origin_requests_total{{op=\"{op}\",status=\"{status}\"}} {count}");
            }
            family(&mut out, "nc_origin_request_seconds_total", "counter", "Time spent handling execute requests.");
            for ((op, status), (_, micros)) in &requests.counters {
                let seconds = *micros as f64 / 1e6;
                let _ = writeln!(out, "nc_origin_request_seconds_total{{op=\"{op}\",status=\"{status}\"}} {seconds}");
            }
            let name = "nc_origin_request_duration_seconds";
            family(&mut out, name, "histogram", "Execute requests' handling time by operation.");
            for (op, histogram) in &requests.durations {
                let mut cumulative = 0;
                for (bound, count) in BUCKETS.iter().zip(histogram.buckets) {
                    cumulative += count;
                    let _ = writeln!(out, "{name}_bucket{{op=\"{op}\",le=\"{bound}\"}} {cumulative}");
                }
                let _ = writeln!(out, "{name}_bucket{{op=\"{op}\",le=\"+Inf\"}} {}", histogram.count);
                let _ = writeln!(out, "{name}_sum{{op=\"{op}\"}} {}", histogram.micros as f64 / 1e6);
                let _ = writeln!(out, "{name}_count{{op=\"{op}\"}} {}", histogram.count);
            }
        }
        family(&mut out, "nc_origin_pool_connections", "gauge", "Connections of each plane's pool, by state.");
        for pool in &now.pools {
            let plane = pool.plane;
            let _ = writeln!(out, "nc_origin_pool_connections{{plane=\"{plane}\",state=\"idle\"}} {}", pool.idle);
            let used = pool.open.saturating_sub(pool.idle);
            let _ = writeln!(out, "nc_origin_pool_connections{{plane=\"{plane}\",state=\"used\"}} {used}");
        }
        family(&mut out, "nc_origin_pool_max_connections", "gauge", "The most connections each plane's pool opens.");
        for pool in &now.pools {
            let _ = writeln!(out, "nc_origin_pool_max_connections{{plane=\"{}\"}} {}", pool.plane, pool.max);
        }
        let help = "The most statements one data-plane connection has held prepared.";
        family(&mut out, "nc_origin_data_statements_max", "gauge", help);
        let _ = writeln!(out, "nc_origin_data_statements_max {}", crate::pools::most_statements());
        family(&mut out, "nc_origin_event_streams", "gauge", "Event streams open on this origin.");
        let _ = writeln!(out, "nc_origin_event_streams {}", now.streams);
        let help =
            "Distinct subscriptions (caller, filters, schema) the change hubs evaluate each batch of changes for.";
        family(&mut out, "nc_origin_event_subscriptions", "gauge", help);
        let _ = writeln!(out, "nc_origin_event_subscriptions {}", now.subscriptions);
        family(&mut out, "nc_origin_webhook_attempts_total", "counter", "Webhook deliveries attempted, by outcome.");
        for (outcome, count) in ["delivered", "failed"].iter().zip(&WEBHOOK_ATTEMPTS) {
            let count = count.load(Ordering::Relaxed);
            let _ = writeln!(out, "nc_origin_webhook_attempts_total{{outcome=\"{outcome}\"}} {count}");
        }
        // Absent until the first sample, rather than a misleading zero.
        if let Some(queues) = *self.queues.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) {
            family(&mut out, "nc_origin_jobs", "gauge", "Import and export jobs of every base, by state.");
            let _ = writeln!(out, "nc_origin_jobs{{state=\"queued\"}} {}", queues.jobs_queued);
            let _ = writeln!(out, "nc_origin_jobs{{state=\"running\"}} {}", queues.jobs_running);
            let help = "Webhook deliveries waiting to be sent (due or backing off).";
            family(&mut out, "nc_origin_webhook_deliveries_pending", "gauge", help);
            let _ = writeln!(out, "nc_origin_webhook_deliveries_pending {}", queues.deliveries_pending);
            let help = "How long the oldest pending webhook delivery has waited.";
            family(&mut out, "nc_origin_webhook_oldest_pending_seconds", "gauge", help);
            let _ = writeln!(out, "nc_origin_webhook_oldest_pending_seconds {}", queues.oldest_delivery_seconds);
        }
        out
    }
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// Samples the data plane's queues into the executor's metrics every few seconds, for as long as the
/// process runs; a failed sample is logged and the last one kept.
pub async fn sample_queues_forever(executor: std::sync::Arc<crate::execute::Executor>) {
    let mut tick = tokio::time::interval(QUEUE_SAMPLE_EVERY);
    loop {
        tick.tick().await;
        match queues(&executor.planes.data).await {
            Ok(queues) => executor.metrics.set_queues(queues),
            Err(error) => tracing::warn!(error = %error, "could not sample the job and webhook queues"),
        }
    }
}

/// The queues of every data cluster, added up (the oldest delivery is the oldest of all).
pub(crate) async fn queues(clusters: &crate::pools::Clusters) -> Result<Queues, crate::error::Error> {
    let mut all = Queues::default();
    for cluster in clusters.iter() {
        let queues = cluster_queues(&cluster.pool).await?;
        all.jobs_queued += queues.jobs_queued;
        all.jobs_running += queues.jobs_running;
        all.deliveries_pending += queues.deliveries_pending;
        all.oldest_delivery_seconds = all.oldest_delivery_seconds.max(queues.oldest_delivery_seconds);
    }
    Ok(all)
}

async fn cluster_queues(data: &DataPool) -> Result<Queues, crate::error::Error> {
    let client = crate::pools::connection(data).await?;
    let row = client
        .query_one(
            "SELECT (SELECT count(*) FROM nc.jobs WHERE state = 'queued'), \
             (SELECT count(*) FROM nc.jobs WHERE state = 'running'), \
             (SELECT count(*) FROM nc.webhook_deliveries WHERE state = 'pending'), \
             (SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 \
              FROM nc.webhook_deliveries WHERE state = 'pending')",
            &[],
        )
        .await?;
    Ok(Queues {
        jobs_queued: row.get(0),
        jobs_running: row.get(1),
        deliveries_pending: row.get(2),
        oldest_delivery_seconds: row.get(3),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Now {
        let pool = |plane| PoolUsage { plane, open: 5, idle: 2, max: 16 };
        Now { streams: 3, subscriptions: 1, pools: [pool("control"), pool("data"), pool("logs")] }
    }

    #[test]
    fn renders_counters_histograms_pools_and_queues() {
        let metrics = Metrics::default();
        metrics.observe("getRecord", 200, 150);
        metrics.observe("getRecord", 200, 50);
        metrics.observe("getRecord", 200, 3_000);
        metrics.observe("refused", 401, 10);
        let text = metrics.render(&now());
        assert!(text.contains("nc_origin_event_streams 3\n"), "{text}");
        assert!(text.contains("nc_origin_event_subscriptions 1\n"), "{text}");
        assert!(text.contains("nc_origin_requests_total{op=\"getRecord\",status=\"200\"} 3\n"), "{text}");
        assert!(text.contains("nc_origin_request_seconds_total{op=\"getRecord\",status=\"200\"} 0.0032\n"), "{text}");
        assert!(text.contains("nc_origin_requests_total{op=\"refused\",status=\"401\"} 1\n"), "{text}");
        let histogram = "nc_origin_request_duration_seconds";
        assert!(text.contains(&format!("{histogram}_bucket{{op=\"getRecord\",le=\"0.001\"}} 2\n")), "{text}");
        assert!(text.contains(&format!("{histogram}_bucket{{op=\"getRecord\",le=\"0.005\"}} 3\n")), "{text}");
        assert!(text.contains(&format!("{histogram}_bucket{{op=\"getRecord\",le=\"+Inf\"}} 3\n")), "{text}");
        assert!(text.contains(&format!("{histogram}_count{{op=\"getRecord\"}} 3\n")), "{text}");
        assert!(text.contains("nc_origin_pool_connections{plane=\"data\",state=\"used\"} 3\n"), "{text}");
        assert!(text.contains("nc_origin_pool_max_connections{plane=\"logs\"} 16\n"), "{text}");
        assert!(!text.contains("nc_origin_jobs"), "no queue figures before the first sample: {text}");
        metrics.set_queues(Queues {
            jobs_queued: 2,
            jobs_running: 1,
            deliveries_pending: 7,
            oldest_delivery_seconds: 1.5,
        });
        let text = metrics.render(&now());
        assert!(text.contains("nc_origin_jobs{state=\"queued\"} 2\n"), "{text}");
        assert!(text.contains("nc_origin_webhook_oldest_pending_seconds 1.5\n"), "{text}");
    }
}
