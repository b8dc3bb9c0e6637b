//! Rate limits, usage metering and quotas as edge and origin exchange them.
//!
//! API Boundary: `RateLimit` travels in token and access records (origin → edge),
//! `UsageEntry` batches in `Op::RecordUsage` (edge → origin), `QuotaStatus` in answers to
//! `Op::QuotaStatus`.

use crate::ids::BaseId;
use serde::{Deserialize, Serialize};

/// Requests allowed per sliding window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RateLimit {
    #[schemars(range(min = 1))]
    pub requests: u32,
    #[schemars(range(min = 1, max = MAX_WINDOW_SECONDS))]
    pub window_seconds: u32,
}

impl RateLimit {
    /// The contract's default: 600 requests per minute per token.
    pub const DEFAULT: RateLimit = RateLimit { requests: 600, window_seconds: 60 };

    /// Parses `<requests>/<window seconds>`, e.g. `600/60`.
    pub fn parse(text: &str) -> Option<RateLimit> {
        let (requests, window) = text.trim().split_once('/')?;
        let limit = RateLimit { requests: requests.trim().parse().ok()?, window_seconds: window.trim().parse().ok()? };
        limit.is_valid().then_some(limit)
    }

    pub fn is_valid(self) -> bool {
        self.requests > 0 && (1..=MAX_WINDOW_SECONDS).contains(&self.window_seconds)
    }

    /// Whether this limit never allows more than `plan` does, over any span of time: no
    /// more requests in one window, and no higher rate. (A longer window with the same
    /// rate would allow a larger burst; a shorter one with the same count, a higher rate.)
    pub fn within(self, plan: RateLimit) -> bool {
        let rate = u64::from(self.requests) * u64::from(plan.window_seconds);
        self.requests <= plan.requests && rate <= u64::from(plan.requests) * u64::from(self.window_seconds)
    }
}

impl std::fmt::Display for RateLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} requests per {} s", self.requests, self.window_seconds)
    }
}

impl Default for RateLimit {
    fn default() -> RateLimit {
        RateLimit::DEFAULT
    }
}

/// The longest rate-limit window.
pub const MAX_WINDOW_SECONDS: u32 = 3600;

/// Requests of one principal on one base on one UTC day, counted at the edge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageEntry {
    pub base_id: BaseId,
    /// `token:<id>`, `user:<id>` or `public` (anonymous requests, e.g. public views).
    pub principal: String,
    /// `YYYY-MM-DD` (UTC).
    pub day: String,
    pub api_calls: u64,
}

/// A base's monthly request quota and what is used of it, as the origin last recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct QuotaStatus {
    /// Requests per calendar month (UTC); `None` is unlimited.
    pub monthly_limit: Option<u64>,
    /// Requests recorded this month (flushed usage; the edge adds what it has not flushed).
    pub used: u64,
    /// When the month ends, Unix milliseconds.
    pub resets_at_ms: i64,
}

/// The UTC calendar date of a Unix-milliseconds instant, as `(year, month, day)`.
/// Whole UTC days since 1970-01-01: usage is counted per such day.
pub fn day_number(unix_ms: i64) -> i64 {
    unix_ms.div_euclid(86_400_000)
}

pub fn civil_date(unix_ms: i64) -> (i64, u32, u32) {
    // Howard Hinnant's days-to-civil algorithm.
    let days = day_number(unix_ms);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `YYYY-MM-DD` of an instant (UTC).
pub fn day(unix_ms: i64) -> String {
    let (year, month, day) = civil_date(unix_ms);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(day(0), "1970-01-01");
        assert_eq!(day(1_700_000_000_000), "2023-11-14");
        assert_eq!(day(951_782_400_000), "2000-02-29");
        assert_eq!(day(-1), "1969-12-31");
        assert_eq!(day(4_102_444_799_999), "2099-12-31");
    }

    #[test]
    fn limits() {
        assert_eq!(RateLimit::parse("600/60"), Some(RateLimit::DEFAULT));
        assert_eq!(RateLimit::parse(" 5 / 1 "), Some(RateLimit { requests: 5, window_seconds: 1 }));
        for bad in ["0/60", "10/0", "10/3601", "10", "a/b", ""] {
            assert_eq!(RateLimit::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn within_a_plan() {
        let plan = RateLimit::DEFAULT;
        let limit = |text: &str| RateLimit::parse(text).expect("a limit");
        for (text, within) in [
            ("600/60", true),
            ("10/1", true),
            ("1/3600", true),
            ("300/60", true),
            ("601/60", false),
            // The same rate in a longer window is a larger burst.
            ("36000/3600", false),
            // The same count in a shorter window is a higher rate.
            ("600/1", false),
            ("11/1", false),
            (&format!("{}/1", u32::MAX), false),
        ] {
            assert_eq!(limit(text).within(plan), within, "{text}");
        }
        assert!(limit(&format!("{}/3600", u32::MAX)).within(limit(&format!("{}/3600", u32::MAX))));
    }
}
