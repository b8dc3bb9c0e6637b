//! Guardrails shared by every instance of an edge deployment: a sliding-window rate limit
//! per caller, usage metering per base and principal, and a monthly quota per base.
//!
//! **The window.** A limit of `n` requests per `w` seconds splits `w` into [`BUCKETS`]
//! buckets and counts the current bucket and the [`BUCKETS`] before it, which together
//! cover at least the last `w` seconds: in no window of `w` seconds are more than `n`
//! requests admitted, and a caller that keeps asking gets `n × BUCKETS / (BUCKETS + 1)`
//! per window (99%). A request is checked against the window before it is counted, so
//! refusals never hold counts that crowd out the admissions there is room for; one the
//! check admits is counted, and uncounted if the count shows that concurrent requests
//! took the room first, so instances sharing the counters never admit more than the
//! limit between them. Bucket counters exist only inside the window of the latest bucket
//! created (a marker counter holds its number): whoever creates a bucket removes those
//! that left the window, however long the caller was quiet.
//!
//! **Two implementations of one semantics.** [`admit_with`] runs on any [`Counters`]: a
//! shared key-value store with atomic increments (Spin's `wasi:keyvalue`, which the
//! native host backs with Redis or memory). [`Memory`] holds the same state itself, for
//! a single-threaded coordinator (a Durable Object per base on Workers).
//!
//! **Metering.** Admitted requests of a base are counted per principal and UTC day and
//! sent to the origin in batches ([`take_usage_with`], [`Memory::take_usage`]) off the
//! request path. Each base also has a month's total kept with the counters, which is
//! never flushed: the quota is checked against the larger of it and what the origin
//! recorded, so a flush in between never makes room that was not there.

use serde::{Deserialize, Serialize};
use shared::ids::BaseId;
use shared::usage::{QuotaStatus, RateLimit, UsageEntry};
use std::collections::{HashMap, VecDeque};
use std::future::Future;

/// Buckets per window.
pub const BUCKETS: i64 = 100;
/// Usage is flushed at most once per period, by one instance of those sharing counters.
pub const FLUSH_PERIOD_MS: i64 = 2_000;

/// One request to admit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Admission {
    /// Whose budget: `token:<id>`, `user:<id>` or `ip:<address>`.
    pub key: String,
    pub limit: RateLimit,
    /// Where an admitted request is metered, and the quota that applies.
    pub meter: Option<Meter>,
    pub now_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Meter {
    pub base_id: BaseId,
    /// As in [`UsageEntry::principal`].
    pub principal: String,
    /// The base's quota as the origin last reported it.
    pub quota: QuotaStatus,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Allowed,
    RateLimited,
    QuotaExceeded,
}

/// The decision, with what the response headers report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub outcome: Outcome,
    pub limit: RateLimit,
    /// Requests left in the window.
    pub remaining: u32,
    /// Seconds until the oldest request counted in the window leaves it.
    pub reset_seconds: u32,
    /// The base's quota: limit, used this month (this request included when admitted),
    /// seconds until it resets. `None` without a quota.
    pub quota: Option<(u64, u64, u64)>,
}

/// Bucket width and the current bucket's number.
fn buckets(limit: RateLimit, now_ms: i64) -> (i64, i64) {
    let width = (i64::from(limit.window_seconds) * 1000 / BUCKETS).max(1);
    (width, now_ms.div_euclid(width))
}

/// The verdict for counts of the [`BUCKETS`] + 1 counted buckets, oldest first, with
/// this request counted in the last one; `month` is the base's month total here.
fn decide(admission: &Admission, counts: &[u64], month: u64) -> Verdict {
    let (width, current) = buckets(admission.limit, admission.now_ms);
    let total: u64 = counts.iter().sum();
    let quota = admission.meter.as_ref().and_then(|meter| {
        let limit = meter.quota.monthly_limit?;
        let reset = u64::try_from((meter.quota.resets_at_ms - admission.now_ms).max(0) / 1000).unwrap_or(0);
        Some((limit, meter.quota.used.max(month), reset))
    });
    let outcome = match quota {
        Some((limit, used, _)) if used >= limit => Outcome::QuotaExceeded,
        _ if total > u64::from(admission.limit.requests) => Outcome::RateLimited,
        _ => Outcome::Allowed,
    };
    let admitted = u64::from(outcome == Outcome::Allowed);
    // A refused request does not stay counted.
    let counted = total - (1 - admitted);
    let oldest = counts.iter().enumerate().find(|(index, count)| {
        // This request's own count is in the last bucket.
        **count > u64::from(*index == counts.len() - 1 && admitted == 0)
    });
    let reset_seconds = oldest.map_or(0, |(index, _)| {
        let bucket = current - BUCKETS + index as i64;
        let leaves_at = (bucket + BUCKETS + 1) * width;
        u32::try_from((leaves_at - admission.now_ms + 999) / 1000).unwrap_or(u32::MAX)
    });
    Verdict {
        outcome,
        limit: admission.limit,
        remaining: u32::try_from(u64::from(admission.limit.requests).saturating_sub(counted)).unwrap_or(0),
        reset_seconds,
        quota: quota.map(|(limit, used, reset)| (limit, used + admitted, reset)),
    }
}

/// Where a counter lives: rate-limit windows, pending usage and flush claims in
/// `Limits`; usage per principal and day, which a flush lists, apart in `Usage`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Space {
    Limits,
    Usage,
}

impl Space {
    /// The name of the key-value bucket holding the space.
    pub fn bucket(self) -> &'static str {
        match self {
            Space::Limits => "limits",
            Space::Usage => "usage",
        }
    }
}

/// A shared store of integer counters with atomic increments.
pub trait Counters {
    /// Adds `delta` to a counter (missing ones start at 0) and returns the new value.
    fn add(&self, space: Space, key: &str, delta: i64) -> impl Future<Output = Result<i64, String>>;
    /// The values of counters; missing ones are 0.
    fn get_many(&self, space: Space, keys: &[String]) -> impl Future<Output = Result<Vec<i64>, String>>;
    fn remove(&self, space: Space, keys: &[String]) -> impl Future<Output = Result<(), String>>;
    /// Every counter of a space.
    fn keys(&self, space: Space) -> impl Future<Output = Result<Vec<String>, String>>;
}

fn bucket_key(admission: &Admission, bucket: i64) -> String {
    format!("rl|{}|{}|{bucket}", admission.key, admission.limit.window_seconds)
}

fn usage_key(base: BaseId, principal: &str, day: &str) -> String {
    format!("{base}|{principal}|{day}")
}

/// The calendar month of an instant, `YYYY-MM` (UTC).
fn month(now_ms: i64) -> String {
    let (year, month, _) = shared::usage::civil_date(now_ms);
    format!("{year:04}-{month:02}")
}

fn month_key(base: BaseId, now_ms: i64) -> String {
    format!("month|{base}|{}", month(now_ms))
}

/// The number of the latest bucket created for a budget.
fn latest_key(admission: &Admission) -> String {
    format!("rl|{}|{}|latest", admission.key, admission.limit.window_seconds)
}

/// Admits one request on shared counters.
pub async fn admit_with<C: Counters>(counters: &C, admission: &Admission) -> Result<Verdict, String> {
    let (_, current) = buckets(admission.limit, admission.now_ms);
    let window = BUCKETS as usize + 1;
    let mut keys: Vec<String> = (current - BUCKETS..=current).map(|bucket| bucket_key(admission, bucket)).collect();
    keys.push(latest_key(admission));
    if let Some(meter) = &admission.meter {
        keys.push(month_key(meter.base_id, admission.now_ms));
    }
    let values = counters.get_many(Space::Limits, &keys).await?;
    let clamp = |value: i64| u64::try_from(value).unwrap_or(0);
    let mut counts: Vec<u64> = values.iter().take(window).copied().map(clamp).collect();
    let latest = values.get(window).copied().unwrap_or(0);
    let month = if admission.meter.is_some() { values.get(window + 1).copied().map_or(0, clamp) } else { 0 };
    // This request, in the current bucket.
    counts[window - 1] += 1;
    let verdict = decide(admission, &counts, month);
    if verdict.outcome != Outcome::Allowed {
        return Ok(verdict);
    }
    let mine = counters.add(Space::Limits, &bucket_key(admission, current), 1).await?;
    if mine == 1 && current > latest {
        // Buckets exist only in [latest - BUCKETS, latest]: remove those now out of the window.
        if latest > 0 {
            let gone: Vec<String> = (latest - BUCKETS..=latest.min(current - BUCKETS - 1))
                .map(|bucket| bucket_key(admission, bucket))
                .collect();
            counters.remove(Space::Limits, &gone).await?;
        }
        counters.add(Space::Limits, &latest_key(admission), current - latest).await?;
    }
    counts[window - 1] = clamp(mine);
    let verdict = decide(admission, &counts, month);
    match (&verdict.outcome, &admission.meter) {
        (Outcome::Allowed, Some(meter)) => {
            let day = shared::usage::day(admission.now_ms);
            counters.add(Space::Usage, &usage_key(meter.base_id, &meter.principal, &day), 1).await?;
            counters.add(Space::Limits, &month_key(meter.base_id, admission.now_ms), 1).await?;
        }
        (Outcome::Allowed, None) => {}
        _ => {
            counters.add(Space::Limits, &bucket_key(admission, current), -1).await?;
        }
    }
    Ok(verdict)
}

fn parse_usage_key(key: &str, api_calls: u64) -> Option<UsageEntry> {
    let mut parts = key.split('|');
    let base_id = BaseId::parse(parts.next()?)?;
    let principal = parts.next()?.to_owned();
    let day = parts.next()?.to_owned();
    Some(UsageEntry { base_id, principal, day, api_calls })
}

/// Takes the usage counted so far off the shared counters, to send to the origin; empty
/// when another instance flushes this period. What is taken is subtracted, so requests
/// counted meanwhile stay for the next flush.
pub async fn take_usage_with<C: Counters>(counters: &C, now_ms: i64) -> Result<Vec<UsageEntry>, String> {
    let period = now_ms.div_euclid(FLUSH_PERIOD_MS);
    if counters.add(Space::Limits, &format!("flush|{period}"), 1).await? != 1 {
        return Ok(Vec::new());
    }
    counters.remove(Space::Limits, &[format!("flush|{}", period - 2)]).await?;
    let keys = counters.keys(Space::Usage).await?;
    let values = counters.get_many(Space::Usage, &keys).await?;
    let today = shared::usage::day(now_ms);
    let mut entries = Vec::new();
    for (key, value) in keys.iter().zip(values) {
        let Some(entry) = parse_usage_key(key, u64::try_from(value).unwrap_or(0)) else { continue };
        if value > 0 {
            counters.add(Space::Usage, key, -value).await?;
            entries.push(entry);
        } else if entry.day != today {
            // Nothing left to flush from a past day.
            counters.remove(Space::Usage, std::slice::from_ref(key)).await?;
        }
    }
    Ok(entries)
}

/// Puts back usage that could not be sent, for the next flush.
pub async fn restore_usage_with<C: Counters>(counters: &C, entries: &[UsageEntry]) -> Result<(), String> {
    for entry in entries {
        let calls = i64::try_from(entry.api_calls).unwrap_or(i64::MAX);
        counters.add(Space::Usage, &usage_key(entry.base_id, &entry.principal, &entry.day), calls).await?;
    }
    Ok(())
}

/// The same state held in memory by a single-threaded coordinator.
#[derive(Debug, Default)]
pub struct Memory {
    /// Per budget key and window: non-empty buckets `(number, count)`, oldest first.
    windows: HashMap<(String, u32), VecDeque<(i64, u64)>>,
    usage: HashMap<(BaseId, String, String), u64>,
    /// Admitted requests per base and month.
    months: HashMap<(BaseId, String), u64>,
}

impl Memory {
    pub fn admit(&mut self, admission: &Admission) -> Verdict {
        let (_, current) = buckets(admission.limit, admission.now_ms);
        let window = self.windows.entry((admission.key.clone(), admission.limit.window_seconds)).or_default();
        while window.front().is_some_and(|(bucket, _)| *bucket < current - BUCKETS) {
            window.pop_front();
        }
        let mut counts = vec![0u64; BUCKETS as usize + 1];
        for (bucket, count) in window.iter() {
            if let Ok(index) = usize::try_from(bucket - (current - BUCKETS)) {
                if let Some(slot) = counts.get_mut(index) {
                    *slot = *count;
                }
            }
        }
        counts[BUCKETS as usize] += 1;
        let month_of = |meter: &Meter| (meter.base_id, month(admission.now_ms));
        let total = admission.meter.as_ref().map_or(0, |meter| self.months.get(&month_of(meter)).copied().unwrap_or(0));
        let verdict = decide(admission, &counts, total);
        if verdict.outcome == Outcome::Allowed {
            match window.back_mut() {
                Some((bucket, count)) if *bucket == current => *count += 1,
                _ => window.push_back((current, 1)),
            }
            if let Some(meter) = &admission.meter {
                let day = shared::usage::day(admission.now_ms);
                *self.usage.entry((meter.base_id, meter.principal.clone(), day)).or_default() += 1;
                *self.months.entry(month_of(meter)).or_default() += 1;
            }
        } else if window.is_empty() {
            self.windows.remove(&(admission.key.clone(), admission.limit.window_seconds));
        }
        verdict
    }

    /// Whether there is usage to flush.
    pub fn has_usage(&self) -> bool {
        !self.usage.is_empty()
    }

    /// Forgets windows whose requests all left them, and past months.
    pub fn prune(&mut self, now_ms: i64) {
        let current = month(now_ms);
        self.months.retain(|(_, of), _| *of == current);
        self.windows.retain(|(_, window_seconds), window| {
            let limit = RateLimit { requests: 1, window_seconds: *window_seconds };
            let (_, current) = buckets(limit, now_ms);
            window.back().is_some_and(|(bucket, _)| *bucket >= current - BUCKETS)
        });
    }

    /// Takes the usage counted so far, to send to the origin.
    pub fn take_usage(&mut self) -> Vec<UsageEntry> {
        self.usage
            .drain()
            .map(|((base_id, principal, day), api_calls)| UsageEntry { base_id, principal, day, api_calls })
            .collect()
    }

    /// Puts back usage that could not be sent.
    pub fn restore_usage(&mut self, entries: Vec<UsageEntry>) {
        for entry in entries {
            *self.usage.entry((entry.base_id, entry.principal, entry.day)).or_default() += entry.api_calls;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    /// Counters in a map, as a single-instance store.
    #[derive(Default)]
    struct Map(RefCell<HashMap<(Space, String), i64>>);

    impl Counters for Map {
        async fn add(&self, space: Space, key: &str, delta: i64) -> Result<i64, String> {
            let mut map = self.0.borrow_mut();
            let value = map.entry((space, key.to_owned())).or_default();
            *value += delta;
            Ok(*value)
        }
        async fn get_many(&self, space: Space, keys: &[String]) -> Result<Vec<i64>, String> {
            let map = self.0.borrow();
            Ok(keys.iter().map(|key| map.get(&(space, key.clone())).copied().unwrap_or(0)).collect())
        }
        async fn remove(&self, space: Space, keys: &[String]) -> Result<(), String> {
            let mut map = self.0.borrow_mut();
            for key in keys {
                map.remove(&(space, key.clone()));
            }
            Ok(())
        }
        async fn keys(&self, space: Space) -> Result<Vec<String>, String> {
            Ok(self.0.borrow().keys().filter(|(of, _)| *of == space).map(|(_, key)| key.clone()).collect())
        }
    }

    fn base() -> BaseId {
        BaseId(uuid::Uuid::from_u128(7))
    }

    fn admission(now_ms: i64, requests: u32, quota: Option<u64>) -> Admission {
        Admission {
            key: "token:t".into(),
            limit: RateLimit { requests, window_seconds: 10 },
            meter: Some(Meter {
                base_id: base(),
                principal: "token:t".into(),
                quota: QuotaStatus { monthly_limit: quota, used: 0, resets_at_ms: 100_000 },
            }),
            now_ms,
        }
    }

    /// Drives both implementations through the same requests; they must agree on each.
    fn both(admissions: &[Admission]) -> Vec<Verdict> {
        let map = Map::default();
        let mut memory = Memory::default();
        admissions
            .iter()
            .map(|admission| {
                let shared = futures_executor::block_on(admit_with(&map, admission)).expect("counters");
                assert_eq!(memory.admit(admission), shared, "at {} ms", admission.now_ms);
                shared
            })
            .collect()
    }

    #[test]
    fn never_more_than_the_limit_in_any_window() {
        // 5 per 10 s; a request every 250 ms for 40 s.
        let admissions: Vec<Admission> = (0..160).map(|i| admission(i * 250, 5, None)).collect();
        let verdicts = both(&admissions);
        let admitted: Vec<i64> = admissions
            .iter()
            .zip(&verdicts)
            .filter(|(_, verdict)| verdict.outcome == Outcome::Allowed)
            .map(|(admission, _)| admission.now_ms)
            .collect();
        for start in admitted.iter() {
            let in_window = admitted.iter().filter(|at| (*start..*start + 10_000).contains(*at)).count();
            assert!(in_window <= 5, "{in_window} admitted in the window from {start} ms");
        }
        // Saturated: 5 per window of 10.1 s, so 4 full windows give at least 19.
        assert!(admitted.len() >= 19, "{} admitted", admitted.len());
        assert_eq!(verdicts[0].remaining, 4);
        assert_eq!(verdicts[5].outcome, Outcome::RateLimited);
        assert_eq!(verdicts[5].remaining, 0);
        // The first request (at 0 ms, bucket 0) leaves after 101 buckets of 100 ms: at
        // 10,100 ms, 8.85 s after the sixth request (at 1,250 ms).
        assert_eq!(verdicts[5].reset_seconds, 9);
    }

    #[test]
    fn quota_counts_this_months_requests_and_refusals_cost_nothing() {
        let admissions: Vec<Admission> = (0..5).map(|i| admission(i, 100, Some(3))).collect();
        let verdicts = both(&admissions);
        let outcomes: Vec<Outcome> = verdicts.iter().map(|verdict| verdict.outcome).collect();
        use Outcome::*;
        assert_eq!(outcomes, [Allowed, Allowed, Allowed, QuotaExceeded, QuotaExceeded]);
        assert_eq!(verdicts[2].quota, Some((3, 3, 99)));
        assert_eq!(verdicts[4].remaining, 97, "refused requests are not counted");
    }

    #[test]
    fn a_flush_does_not_make_room_in_the_quota() {
        let map = Map::default();
        let mut memory = Memory::default();
        let mut outcomes = Vec::new();
        for i in 0..5 {
            if i == 2 {
                // Two requests flushed; the origin has not reported them yet (used stays 0).
                futures_executor::block_on(take_usage_with(&map, i)).expect("take");
                memory.take_usage();
            }
            let shared = futures_executor::block_on(admit_with(&map, &admission(i, 100, Some(3)))).expect("counters");
            assert_eq!(memory.admit(&admission(i, 100, Some(3))), shared);
            outcomes.push(shared.outcome);
        }
        use Outcome::*;
        assert_eq!(outcomes, [Allowed, Allowed, Allowed, QuotaExceeded, QuotaExceeded]);
    }

    #[test]
    fn refused_requests_leave_the_counters_as_they_were() {
        let map = Map::default();
        let admit =
            |now_ms| futures_executor::block_on(admit_with(&map, &admission(now_ms, 2, None))).expect("counters");
        assert_eq!([admit(1_000).outcome, admit(1_001).outcome], [Outcome::Allowed; 2]);
        let before = map.0.borrow().clone();
        assert_eq!(admit(1_002).outcome, Outcome::RateLimited);
        assert_eq!(*map.0.borrow(), before);
    }

    #[test]
    fn a_quiet_callers_old_buckets_are_removed() {
        // A request every 30 s on a window of 10 s: each finds the previous one's bucket
        // out of the window.
        let map = Map::default();
        for i in 1..=20 {
            futures_executor::block_on(admit_with(&map, &admission(i * 30_000, 5, None))).expect("counters");
        }
        let keys = futures_executor::block_on(map.keys(Space::Limits)).expect("keys");
        let windows: Vec<&String> = keys.iter().filter(|key| key.starts_with("rl|")).collect();
        assert_eq!(windows.len(), 2, "one bucket and the latest marker: {windows:?}");
    }

    #[test]
    fn usage_is_taken_once_and_can_be_restored() {
        let map = Map::default();
        let mut memory = Memory::default();
        for i in 0..7 {
            futures_executor::block_on(admit_with(&map, &admission(i, 100, None))).expect("counters");
            memory.admit(&admission(i, 100, None));
        }
        let expected =
            vec![UsageEntry { base_id: base(), principal: "token:t".into(), day: "1970-01-01".into(), api_calls: 7 }];
        let taken = futures_executor::block_on(take_usage_with(&map, 10)).expect("take");
        assert_eq!(taken, expected);
        assert_eq!(memory.take_usage(), expected);
        // Another instance in the same period does not flush again; the next period finds nothing.
        assert!(futures_executor::block_on(take_usage_with(&map, 11)).expect("take").is_empty());
        assert!(futures_executor::block_on(take_usage_with(&map, 2_010)).expect("take").is_empty());
        futures_executor::block_on(restore_usage_with(&map, &taken)).expect("restore");
        memory.restore_usage(taken);
        assert_eq!(futures_executor::block_on(take_usage_with(&map, 4_010)).expect("take"), expected);
        assert_eq!(memory.take_usage(), expected);
        assert!(!memory.has_usage());
    }
}
