//! Guardrails shared by every instance of an edge deployment: a sliding-window rate limit
//! per caller, usage metering per base and principal, and a monthly quota per base.
//!
//! **The window.** A limit of `n` requests per `w` seconds splits `w` into [`BUCKETS`]
//! buckets and counts the current bucket and the [`BUCKETS`] before it, which together
//! cover at least the last `w` seconds: in no window of `w` seconds are more than `n`
//! requests admitted, and a caller that keeps asking gets `n × BUCKETS / (BUCKETS + 1)`
//! per window (99%). A caller's window is one value, its non-empty buckets ([`Window`]),
//! which is checked and counted in one step: refusals change nothing, and an admission is
//! written only if nobody wrote the window since it was read (compare-and-swap), else the
//! check runs again on what they wrote. Instances sharing the store therefore never admit
//! more than the limit between them, and never refuse while there is room.
//!
//! **Two implementations of one semantics.** [`admit_with`] runs on any [`Counters`]: a
//! shared key-value store with atomic increments and compare-and-swap (Spin's
//! `wasi:keyvalue`, which the native host backs with Redis or memory). [`Memory`] holds
//! the same windows itself, for a single-threaded coordinator (a Durable Object per base
//! on Workers).
//!
//! **Metering.** Admitted requests of a base are counted per principal and UTC day and
//! sent to the origin in batches ([`take_usage_with`], [`Memory::take_usage`]) off the
//! request path. A base with a quota also has a month's total kept with the counters,
//! which is never flushed: the quota is checked against the larger of it and what the
//! origin recorded, so a flush in between never makes room that was not there.

use serde::{Deserialize, Serialize};
use shared::ids::BaseId;
use shared::usage::{QuotaStatus, RateLimit, UsageEntry};
use std::collections::hash_map::Entry;
use std::collections::{HashMap, VecDeque};
use std::fmt::Write;
use std::future::Future;

/// Buckets per window.
pub const BUCKETS: i64 = 100;
/// Usage is flushed at most once per period, by one instance of those sharing counters.
pub const FLUSH_PERIOD_MS: i64 = 2_000;

/// One request to admit, and the room to set aside for this instance's next ones.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Admission {
    /// Whose budget: `token:<id>`, `user:<id>` or `ip:<address>`.
    pub key: String,
    pub limit: RateLimit,
    /// Where an admitted request is metered, and the quota that applies.
    pub meter: Option<Meter>,
    pub now_ms: i64,
    /// Requests to count in the window at once (at least 1): this one, and a lease of the
    /// rest for this instance ([`Leases`]). As many as there is room for are granted.
    #[serde(default = "one")]
    pub slots: u32,
    /// Slots of this instance's previous lease that went unused, to take out of the
    /// window again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returned: Option<Returned>,
}

/// Unused slots of a lease, and the bucket they were counted in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Returned {
    pub bucket: i64,
    pub count: u32,
}

fn one() -> u32 {
    1
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
    /// Slots counted (this request and a lease); 0 when refused.
    #[serde(default)]
    pub granted: u32,
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

/// The non-empty buckets `(number, count)` of one budget's window, oldest first.
#[derive(Clone, Debug, Default, PartialEq)]
struct Window(VecDeque<(i64, u64)>);

impl Window {
    /// Forgets the buckets that left the window and the slots an admission gives back,
    /// and decides on it (its granted slots counted in the current bucket when admitted):
    /// `month` is the base's month total here.
    fn check(&mut self, admission: &Admission, month: u64) -> Verdict {
        let (_, current) = buckets(admission.limit, admission.now_ms);
        while self.0.front().is_some_and(|(bucket, _)| *bucket < current - BUCKETS) {
            self.0.pop_front();
        }
        if let Some(returned) = admission.returned {
            // Counted in that bucket, or in a later one that was there already.
            if let Some(at) = self.0.iter().position(|(bucket, _)| *bucket >= returned.bucket) {
                let count = &mut self.0[at].1;
                *count = count.saturating_sub(u64::from(returned.count));
                if *count == 0 {
                    self.0.remove(at);
                }
            }
        }
        let mut counts = vec![0u64; BUCKETS as usize + 1];
        for (bucket, count) in &self.0 {
            // A later bucket (written by a request that read the clock after this one did)
            // counts as the current one.
            let index = (bucket - (current - BUCKETS)).min(BUCKETS);
            if let Some(slot) = usize::try_from(index).ok().and_then(|index| counts.get_mut(index)) {
                *slot += *count;
            }
        }
        decide(admission, &counts, month)
    }

    /// Counts the granted slots in the current bucket, or in a later one already there
    /// (buckets stay in order).
    fn count(&mut self, admission: &Admission, granted: u32) {
        let (_, current) = buckets(admission.limit, admission.now_ms);
        match self.0.back_mut() {
            Some((bucket, count)) if *bucket >= current => *count += u64::from(granted),
            _ => self.0.push_back((current, u64::from(granted))),
        }
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `bucket:count` for the oldest bucket, then `gap:count` for each later one, where
    /// the gap is the distance in buckets from the one before (`123456:4,1:2,3:1`).
    fn encode(&self) -> Vec<u8> {
        let mut text = String::with_capacity(self.0.len() * 6);
        let mut previous = None;
        for (bucket, count) in &self.0 {
            if previous.is_some() {
                text.push(',');
            }
            let number = previous.map_or(*bucket, |previous| bucket - previous);
            let _ = write!(text, "{number}:{count}");
            previous = Some(*bucket);
        }
        text.into_bytes()
    }

    /// The window [`Window::encode`] wrote; `None` for anything else.
    fn decode(bytes: &[u8]) -> Option<Window> {
        let text = std::str::from_utf8(bytes).ok()?;
        let mut window = VecDeque::new();
        let mut previous: Option<i64> = None;
        for entry in text.split(',').filter(|entry| !entry.is_empty()) {
            let (number, count) = entry.split_once(':')?;
            let number: i64 = number.parse().ok()?;
            let bucket = match previous {
                None => number,
                Some(previous) if number > 0 => previous.checked_add(number)?,
                Some(_) => return None,
            };
            window.push_back((bucket, count.parse().ok()?));
            previous = Some(bucket);
        }
        Some(Window(window))
    }
}

/// The verdict for counts of the [`BUCKETS`] + 1 counted buckets, oldest first, before
/// this admission; `month` is the base's month total here. It is granted as many of its
/// slots as the window and the quota have room for, and refused when they have none.
fn decide(admission: &Admission, counts: &[u64], month: u64) -> Verdict {
    let (width, current) = buckets(admission.limit, admission.now_ms);
    let total: u64 = counts.iter().sum();
    let quota = admission.meter.as_ref().and_then(|meter| {
        let limit = meter.quota.monthly_limit?;
        let reset = u64::try_from((meter.quota.resets_at_ms - admission.now_ms).max(0) / 1000).unwrap_or(0);
        Some((limit, meter.quota.used.max(month), reset))
    });
    let room = u64::from(admission.limit.requests).saturating_sub(total);
    let quota_room = quota.map_or(u64::MAX, |(limit, used, _)| limit.saturating_sub(used));
    let granted = u64::from(admission.slots.max(1)).min(room).min(quota_room);
    let outcome = match () {
        () if quota_room == 0 => Outcome::QuotaExceeded,
        () if granted == 0 => Outcome::RateLimited,
        () => Outcome::Allowed,
    };
    let admitted = if outcome == Outcome::Allowed { granted } else { 0 };
    let counted = total + admitted;
    let last = counts.len() - 1;
    let oldest =
        counts.iter().enumerate().find(|(index, count)| **count + if *index == last { admitted } else { 0 } > 0);
    let reset_seconds = oldest.map_or(0, |(index, _)| {
        let bucket = current - BUCKETS + index as i64;
        let leaves_at = (bucket + BUCKETS + 1) * width;
        u32::try_from((leaves_at - admission.now_ms + 999) / 1000).unwrap_or(u32::MAX)
    });
    Verdict {
        outcome,
        granted: u32::try_from(admitted).unwrap_or(u32::MAX),
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

/// A shared store of counters with atomic increments, and values with compare-and-swap.
pub trait Counters {
    /// A value as read, to replace only if it has not changed since.
    type Swap;
    /// Adds `delta` to a counter (missing ones start at 0) and returns the new value.
    fn add(&self, space: Space, key: &str, delta: i64) -> impl Future<Output = Result<i64, String>>;
    /// The values of counters; missing ones are 0.
    fn get_many(&self, space: Space, keys: &[String]) -> impl Future<Output = Result<Vec<i64>, String>>;
    fn remove(&self, space: Space, keys: &[String]) -> impl Future<Output = Result<(), String>>;
    /// Every counter of a space.
    fn keys(&self, space: Space) -> impl Future<Output = Result<Vec<String>, String>>;
    /// Reads a value to replace.
    fn watch(&self, space: Space, key: &str) -> impl Future<Output = Result<Self::Swap, String>>;
    /// The value as read (`None`: missing).
    fn current(&self, swap: &Self::Swap) -> Result<Option<Vec<u8>>, String>;
    /// Replaces the value if it is still the one read: `None` when it was, else the value
    /// that was there instead, to try again with.
    fn swap(&self, swap: Self::Swap, value: Vec<u8>) -> impl Future<Output = Result<Option<Self::Swap>, String>>;
}

/// How often one admission reads its window again after others changed it before giving
/// up; each loss is another request's admission, so a window fills (and refuses without
/// writing) long before.
const SWAP_ATTEMPTS: usize = 64;

fn window_key(admission: &Admission) -> String {
    format!("rl|{}|{}", admission.key, admission.limit.window_seconds)
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

/// The meter of an admission whose base has a quota: only those keep a month's total.
fn quota_meter(admission: &Admission) -> Option<&Meter> {
    admission.meter.as_ref().filter(|meter| meter.quota.monthly_limit.is_some())
}

/// Admits one request on shared counters.
pub async fn admit_with<C: Counters>(counters: &C, admission: &Admission) -> Result<Verdict, String> {
    let month = match quota_meter(admission) {
        Some(meter) => {
            let total = counters.get_many(Space::Limits, &[month_key(meter.base_id, admission.now_ms)]).await?;
            total.first().copied().map_or(0, |total| u64::try_from(total).unwrap_or(0))
        }
        None => 0,
    };
    let mut swap = counters.watch(Space::Limits, &window_key(admission)).await?;
    for _ in 0..SWAP_ATTEMPTS {
        // Only windows are stored under window keys; anything else would start afresh.
        let mut window = counters.current(&swap)?.as_deref().and_then(Window::decode).unwrap_or_default();
        let verdict = window.check(admission, month);
        if verdict.outcome != Outcome::Allowed {
            return Ok(verdict);
        }
        window.count(admission, verdict.granted);
        match counters.swap(swap, window.encode()).await? {
            Some(changed) => swap = changed,
            None => {
                // The request is metered now; a lease's slots as they are used.
                if let Some(meter) = &admission.meter {
                    count_usage_with(counters, meter, admission.now_ms).await?;
                }
                if let Some(meter) = quota_meter(admission) {
                    let granted = i64::from(verdict.granted);
                    counters.add(Space::Limits, &month_key(meter.base_id, admission.now_ms), granted).await?;
                }
                return Ok(verdict);
            }
        }
    }
    Err(format!("the window of {} changed under {SWAP_ATTEMPTS} attempts in a row", admission.key))
}

/// Meters one request served under `meter` (admitted, or from a lease).
pub async fn count_usage_with<C: Counters>(counters: &C, meter: &Meter, now_ms: i64) -> Result<(), String> {
    let day = shared::usage::day(now_ms);
    counters.add(Space::Usage, &usage_key(meter.base_id, &meter.principal, &day), 1).await.map(drop)
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
    // The claim lives with the usage: instances that share usage counters flush them once.
    let period = now_ms.div_euclid(FLUSH_PERIOD_MS);
    if counters.add(Space::Usage, &format!("flush|{period}"), 1).await? != 1 {
        return Ok(Vec::new());
    }
    counters.remove(Space::Usage, &[format!("flush|{}", period - 2)]).await?;
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

/// The most slots one lease holds.
pub const MAX_LEASE: u32 = 256;

/// One instance's leases: slots of busy budgets counted in the shared window ahead of use.
///
/// A budget asks for one slot at first (an exact admission). When an instance uses up a
/// lease within the bucket it was counted in, its next one is twice as large, up to
/// [`MAX_LEASE`] and a thousandth of the limit: what the leases of a few instances hold
/// unused stays far within the limiter's own 1% granularity, and budgets of fewer than
/// 2,000 requests per window, whose callers cannot be busy enough for a round trip per
/// request to matter, are admitted exactly, request by request; when a lease runs out of time
/// with slots left, the next one is what was used, and the slots left are given back with
/// the next admission. A lease lasts only until its bucket ends: its slots were counted
/// there, so the window never holds more requests than the limit. Refused admissions
/// leave no lease.
#[derive(Debug, Default)]
pub struct Leases {
    leases: HashMap<(String, u32), Lease>,
}

#[derive(Debug)]
struct Lease {
    bucket: i64,
    until_ms: i64,
    /// Slots granted, and left to use.
    size: u32,
    left: u32,
    /// The verdict of the admission that granted it (what the headers report).
    verdict: Verdict,
}

/// Leases kept at once; past it, expired ones go, then all (they are only a saving).
const MAX_LEASES: usize = 4096;

impl Leases {
    /// A slot of this budget's current lease, with the verdict to report for it.
    pub fn take(&mut self, key: &str, limit: RateLimit, now_ms: i64) -> Option<Verdict> {
        let lease = self.leases.get_mut(&(key.to_owned(), limit.window_seconds))?;
        if lease.left == 0 || now_ms >= lease.until_ms || lease.verdict.limit != limit {
            return None;
        }
        lease.left -= 1;
        let mut verdict = lease.verdict.clone();
        // The slots still leased are this caller's to use.
        verdict.remaining = verdict.remaining.saturating_add(lease.left);
        Some(verdict)
    }

    /// How many slots the next admission of this budget asks for, and what it gives back.
    pub fn ask(&mut self, key: &str, limit: RateLimit, now_ms: i64) -> (u32, Option<Returned>) {
        let Some(lease) = self.leases.remove(&(key.to_owned(), limit.window_seconds)) else { return (1, None) };
        let used = lease.size - lease.left;
        let wanted = if lease.left == 0 && now_ms < lease.until_ms { lease.size.saturating_mul(2) } else { used };
        let cap = (limit.requests / 1000).clamp(1, MAX_LEASE);
        let returned = (lease.left > 0).then_some(Returned { bucket: lease.bucket, count: lease.left });
        (wanted.clamp(1, cap), returned)
    }

    /// Keeps what an admission granted beyond its own request.
    pub fn keep(&mut self, key: &str, admission_ms: i64, verdict: &Verdict) {
        if verdict.outcome != Outcome::Allowed {
            return;
        }
        if self.leases.len() >= MAX_LEASES {
            self.leases.retain(|_, lease| lease.until_ms > admission_ms);
            if self.leases.len() >= MAX_LEASES {
                self.leases.clear();
            }
        }
        let (width, bucket) = buckets(verdict.limit, admission_ms);
        let lease = Lease {
            bucket,
            until_ms: (bucket + 1) * width,
            size: verdict.granted,
            left: verdict.granted.saturating_sub(1),
            verdict: verdict.clone(),
        };
        self.leases.insert((key.to_owned(), verdict.limit.window_seconds), lease);
    }
}

/// How a request was admitted under [`admit_leasing`].
#[derive(Clone, Debug, PartialEq)]
pub enum Admitted {
    /// From this instance's lease: not metered yet.
    Leased(Verdict),
    /// By the shared state (which metered it, when admitted), or refused by it.
    Shared(Verdict),
}

/// Admits `admission` from this instance's lease of its budget when one holds a slot, else
/// through `shared` (asking for a lease's worth of slots, and giving back what the last
/// lease left), keeping what is granted beyond this request for the next ones. The verdict
/// reports the leased slots as the caller's remaining room.
pub async fn admit_leasing<'a, Fut>(
    leases: &std::cell::RefCell<Leases>,
    admission: &'a mut Admission,
    shared: impl FnOnce(&'a Admission) -> Fut,
) -> Result<Admitted, String>
where
    Fut: Future<Output = Result<Verdict, String>>,
{
    let (limit, now_ms) = (admission.limit, admission.now_ms);
    if let Some(verdict) = leases.borrow_mut().take(&admission.key, limit, now_ms) {
        return Ok(Admitted::Leased(verdict));
    }
    (admission.slots, admission.returned) = leases.borrow_mut().ask(&admission.key, limit, now_ms);
    let admission: &'a Admission = admission;
    let mut verdict = shared(admission).await?;
    leases.borrow_mut().keep(&admission.key, now_ms, &verdict);
    verdict.remaining = verdict.remaining.saturating_add(verdict.granted.saturating_sub(1));
    Ok(Admitted::Shared(verdict))
}

/// The same state held in memory by a single-threaded coordinator.
#[derive(Debug, Default)]
pub struct Memory {
    /// Per budget key and window length.
    windows: HashMap<(String, u32), Window>,
    usage: HashMap<(BaseId, String, String), u64>,
    /// Admitted requests per base with a quota and month.
    months: HashMap<(BaseId, String), u64>,
}

impl Memory {
    pub fn admit(&mut self, admission: &Admission) -> Verdict {
        let month_of = |meter: &Meter| (meter.base_id, month(admission.now_ms));
        let total = quota_meter(admission).map_or(0, |meter| self.months.get(&month_of(meter)).copied().unwrap_or(0));
        let mut window = match self.windows.entry((admission.key.clone(), admission.limit.window_seconds)) {
            Entry::Occupied(window) => window,
            Entry::Vacant(slot) => slot.insert_entry(Window::default()),
        };
        let verdict = window.get_mut().check(admission, total);
        if verdict.outcome == Outcome::Allowed {
            window.get_mut().count(admission, verdict.granted);
            if let Some(meter) = &admission.meter {
                self.count_usage(meter, admission.now_ms, 1);
            }
            if let Some(meter) = quota_meter(admission) {
                *self.months.entry(month_of(meter)).or_default() += u64::from(verdict.granted);
            }
        } else if window.get().is_empty() {
            window.remove();
        }
        verdict
    }

    /// Meters `count` requests served under `meter` (admitted, or from a lease).
    pub fn count_usage(&mut self, meter: &Meter, now_ms: i64, count: u64) {
        let day = shared::usage::day(now_ms);
        *self.usage.entry((meter.base_id, meter.principal.clone(), day)).or_default() += count;
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
            window.0.back().is_some_and(|(bucket, _)| *bucket >= current - BUCKETS)
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

    /// Values in a map, as a single-instance store; counters as decimal text.
    #[derive(Default)]
    struct Map {
        values: RefCell<HashMap<(Space, String), Vec<u8>>>,
        /// What another instance writes between a read and the next swap.
        meanwhile: RefCell<Option<(String, Vec<u8>)>>,
    }

    impl Counters for Map {
        type Swap = (Space, String, Option<Vec<u8>>);

        async fn add(&self, space: Space, key: &str, delta: i64) -> Result<i64, String> {
            let mut values = self.values.borrow_mut();
            let value = values.entry((space, key.to_owned())).or_insert_with(|| b"0".to_vec());
            let next =
                std::str::from_utf8(value).ok().and_then(|text| text.parse::<i64>().ok()).ok_or("not a counter")?
                    + delta;
            *value = next.to_string().into_bytes();
            Ok(next)
        }
        async fn get_many(&self, space: Space, keys: &[String]) -> Result<Vec<i64>, String> {
            let values = self.values.borrow();
            let parse = |key: &String| {
                let value = values.get(&(space, key.clone()))?;
                std::str::from_utf8(value).ok()?.parse().ok()
            };
            Ok(keys.iter().map(|key| parse(key).unwrap_or(0)).collect())
        }
        async fn remove(&self, space: Space, keys: &[String]) -> Result<(), String> {
            let mut values = self.values.borrow_mut();
            for key in keys {
                values.remove(&(space, key.clone()));
            }
            Ok(())
        }
        async fn keys(&self, space: Space) -> Result<Vec<String>, String> {
            Ok(self.values.borrow().keys().filter(|(of, _)| *of == space).map(|(_, key)| key.clone()).collect())
        }
        async fn watch(&self, space: Space, key: &str) -> Result<Self::Swap, String> {
            Ok((space, key.to_owned(), self.values.borrow().get(&(space, key.to_owned())).cloned()))
        }
        fn current(&self, swap: &Self::Swap) -> Result<Option<Vec<u8>>, String> {
            Ok(swap.2.clone())
        }
        async fn swap(&self, (space, key, read): Self::Swap, value: Vec<u8>) -> Result<Option<Self::Swap>, String> {
            let mut values = self.values.borrow_mut();
            if let Some((key, value)) = self.meanwhile.borrow_mut().take() {
                values.insert((space, key), value);
            }
            let now = values.get(&(space, key.clone())).cloned();
            if now != read {
                return Ok(Some((space, key, now)));
            }
            values.insert((space, key), value);
            Ok(None)
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
            slots: 1,
            returned: None,
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
        let before = map.values.borrow().clone();
        assert_eq!(admit(1_002).outcome, Outcome::RateLimited);
        assert_eq!(*map.values.borrow(), before);
    }

    #[test]
    fn an_admission_that_lost_a_swap_is_decided_again() {
        // Another instance admits a request between this one's read and its swap.
        let elsewhere = Map::default();
        futures_executor::block_on(admit_with(&elsewhere, &admission(1_000, 2, None))).expect("counters");
        let key = window_key(&admission(1_000, 2, None));
        let written = elsewhere.values.borrow()[&(Space::Limits, key.clone())].clone();
        let map = Map::default();
        futures_executor::block_on(admit_with(&map, &admission(900, 2, None))).expect("counters");
        let mut theirs = Window::decode(&written).expect("a window");
        theirs.0.push_front((9, 1));
        *map.meanwhile.borrow_mut() = Some((key.clone(), theirs.encode()));
        // The window is full now (both requests), so this one is refused, and nothing more is counted.
        let verdict = futures_executor::block_on(admit_with(&map, &admission(1_001, 2, None))).expect("counters");
        assert_eq!(verdict.outcome, Outcome::RateLimited);
        assert_eq!(map.values.borrow()[&(Space::Limits, key.clone())], theirs.encode());
        // With room for it, the retry admits it on top of what the other instance wrote.
        let map = Map::default();
        *map.meanwhile.borrow_mut() = Some((key.clone(), written));
        let verdict = futures_executor::block_on(admit_with(&map, &admission(1_001, 2, None))).expect("counters");
        assert_eq!((verdict.outcome, verdict.remaining), (Outcome::Allowed, 0));
        assert_eq!(map.values.borrow()[&(Space::Limits, key)], b"10:2");
    }

    #[test]
    fn a_later_bucket_counts_as_the_current_one() {
        // A request that read the clock at 1,000 ms finds one that read it at 1,150 ms
        // already counted in bucket 11.
        let mut window = Window(VecDeque::from([(10, 1), (11, 1)]));
        let verdict = window.check(&admission(1_000, 3, None), 0);
        assert_eq!((verdict.outcome, verdict.remaining), (Outcome::Allowed, 0));
        window.count(&admission(1_000, 3, None), 1);
        assert_eq!(window.encode(), b"10:1,1:2");
        assert_eq!(window.check(&admission(1_001, 3, None), 0).outcome, Outcome::RateLimited);
    }

    #[test]
    fn a_window_is_stored_as_its_recent_buckets() {
        let map = Map::default();
        for now_ms in [0, 50, 250, 30_000, 30_100, 30_100, 30_900] {
            futures_executor::block_on(admit_with(&map, &admission(now_ms, 5, None))).expect("counters");
        }
        // 100 ms buckets: 300, 301 and 309 are in the window; 0 and 2 left it.
        let key = window_key(&admission(0, 5, None));
        assert_eq!(map.values.borrow()[&(Space::Limits, key)], b"300:1,1:2,8:1");
        let windows = futures_executor::block_on(map.keys(Space::Limits)).expect("keys");
        assert_eq!(windows, ["rl|token:t|10".to_owned()], "one value per budget, nothing else without a quota");
        let decoded = Window::decode(b"300:1,1:2,8:1").expect("a window");
        assert_eq!(decoded, Window(VecDeque::from([(300, 1), (301, 2), (309, 1)])));
        assert_eq!(Window::decode(b""), Some(Window::default()));
        let garbage: [&[u8]; 5] = [b"300:1,0:2", b"x", b"300", b"300:1,-1:1", b"\xff"];
        for garbage in garbage {
            assert_eq!(Window::decode(garbage), None, "{garbage:?}");
        }
    }

    /// Instances sharing one store, each with its own leases, serve `requests` (instance,
    /// time) as the gate does: the admitted times, and how often the store was asked.
    fn leasing(instances: usize, limit: RateLimit, requests: &[(usize, i64)], map: &Map) -> (Vec<i64>, usize) {
        let leases: Vec<std::cell::RefCell<Leases>> = (0..instances).map(|_| Default::default()).collect();
        let asked = std::cell::Cell::new(0);
        let mut admitted = Vec::new();
        let mut remaining = Vec::new();
        for (instance, now_ms) in requests {
            let mut admission = Admission { limit, meter: None, ..admission(*now_ms, 1, None) };
            let shared = |admission| {
                asked.set(asked.get() + 1);
                admit_with(map, admission)
            };
            let verdict = match futures_executor::block_on(admit_leasing(&leases[*instance], &mut admission, shared)) {
                Ok(Admitted::Leased(verdict) | Admitted::Shared(verdict)) => verdict,
                Err(error) => panic!("{error}"),
            };
            if verdict.outcome == Outcome::Allowed {
                admitted.push(*now_ms);
                remaining.push(verdict.remaining);
            }
        }
        if instances == 1 {
            // One instance sees its room shrink by one with every request, leased or not.
            let expected: Vec<u32> =
                (1..=admitted.len() as u32).map(|used| limit.requests.saturating_sub(used)).collect();
            let window_starts = admitted.first().map_or(0, |first| first / (i64::from(limit.window_seconds) * 1000));
            if admitted.iter().all(|at| at / (i64::from(limit.window_seconds) * 1000) == window_starts) {
                assert_eq!(remaining, expected);
            }
        }
        (admitted, asked.get())
    }

    #[test]
    fn a_busy_instance_asks_the_store_once_per_lease() {
        let limit = RateLimit { requests: 1_000_000, window_seconds: 60 };
        // 10,000 requests in 300 ms (one bucket is 600 ms).
        let requests: Vec<(usize, i64)> = (0..10_000).map(|i| (0, i / 40)).collect();
        let (admitted, asked) = leasing(1, limit, &requests, &Map::default());
        assert_eq!(admitted.len(), 10_000);
        // Leases of 1, 2, 4, … 256, then 256 at a time.
        assert!(asked <= 9 + 10_000 / MAX_LEASE as usize + 1, "asked {asked} times");
    }

    #[test]
    fn leases_never_admit_more_than_the_limit_and_leave_little_unused() {
        // 20,000 per 10 s (leases of up to 20), three instances taking turns, four requests
        // a millisecond for 30 s: saturated.
        let limit = RateLimit { requests: 20_000, window_seconds: 10 };
        let requests: Vec<(usize, i64)> = (0..120_000).map(|i| ((i % 3) as usize, i / 4)).collect();
        let (admitted, _) = leasing(3, limit, &requests, &Map::default());
        // Admissions in time order: the most in any window is a sliding count.
        let mut start = 0;
        for (end, at) in admitted.iter().enumerate() {
            while admitted[start] + 10_000 <= *at {
                start += 1;
            }
            assert!(end + 1 - start <= 20_000, "{} admitted in the window up to {at} ms", end + 1 - start);
        }
        // Every span of a window and a bucket after the first window admits at least 99%.
        for from in (10_000..20_000).step_by(500) {
            let in_span = admitted.iter().filter(|at| (from..from + 10_100).contains(*at)).count();
            assert!(in_span >= 19_800, "{in_span} admitted in the span from {from} ms");
        }
    }

    #[test]
    fn small_budgets_are_admitted_request_by_request() {
        let limit = RateLimit { requests: 1_999, window_seconds: 60 };
        let requests: Vec<(usize, i64)> = (0..2_000).map(|i| (0, i)).collect();
        let (admitted, asked) = leasing(1, limit, &requests, &Map::default());
        assert_eq!((admitted.len(), asked), (1_999, 2_000));
    }

    #[test]
    fn unused_slots_are_given_back() {
        let limit = RateLimit { requests: 100_000, window_seconds: 10 };
        let map = Map::default();
        // Eight requests in bucket 10 (100 ms buckets) grow the leases to 8 (1 + 2 + 4 + 8
        // counted, the last used once), then one in bucket 20 gives back the 7 unused and,
        // as one was used of the last lease, asks for one slot.
        let requests: Vec<(usize, i64)> = (0..8).map(|i| (0, 1_000 + i)).chain([(0, 2_000)]).collect();
        let (admitted, _) = leasing(1, limit, &requests, &map);
        assert_eq!(admitted.len(), 9);
        let key = window_key(&Admission { limit, ..admission(0, 1, None) });
        let window = Window::decode(&map.values.borrow()[&(Space::Limits, key)]).expect("a window");
        let counted: u64 = window.0.iter().map(|(_, count)| count).sum();
        assert_eq!(counted, 9, "the 7 unused slots were taken out of bucket 10, one counted in bucket 20");
        assert_eq!(window.0.front(), Some(&(10, 8)));
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
