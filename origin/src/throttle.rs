//! Sign-in throttling: failures are counted per account (the email, whether or not it
//! has one) and per client address, and past a number of free failures each key is
//! blocked for a time that doubles with every further failure, up to a ceiling.
//!
//! An attempt is counted as a failure *before* its password is checked, under the
//! keys' row locks, and given back when it succeeds: a burst of concurrent guesses gets
//! no more evaluations than sequential ones. A success clears the account's count (its
//! owner proved they know the password) but only gives back its own attempt on the
//! address, so one valid account does not reset an address that guesses at others.
//! A blocked attempt is answered without checking anything and is not counted, so the
//! answer and its timing are the same whether or not the email has an account.

use crate::error::Error;
use shared::error::{ApiError, ErrorCode};
use sqlx::{PgPool, Row};
use std::net::IpAddr;

/// The longest wait after the free failures: 1 s, 2 s, 4 s … up to 15 minutes.
const MAX_BLOCK_SECONDS: i32 = 900;

/// How many failures accounts and client addresses get for free (an address tries many
/// accounts, and people share addresses, so it gets more).
#[derive(Clone, Copy, Debug)]
pub struct Throttle {
    account_free_failures: i32,
    address_free_failures: i32,
}

/// Failures older than this are forgotten; the next one starts the count again.
const FORGET: &str = "1 hour";
/// Rows without a failure for this long are deleted.
const KEEP: &str = "1 day";

/// A counted sign-in attempt, to give back if the password was right.
pub struct Attempt {
    account: Vec<u8>,
    address: Vec<u8>,
}

fn key(kind: &str, value: &str) -> Vec<u8> {
    shared::token::sha256(format!("{kind}:{value}").as_bytes()).to_vec()
}

/// The address a throttle counts: an IPv4 address, or the /64 of an IPv6 one (a single
/// host usually holds a whole /64).
fn address_key(address: Option<&str>) -> String {
    match address.map(str::trim).and_then(|text| text.parse::<IpAddr>().ok()) {
        Some(IpAddr::V6(v6)) => {
            let prefix = u128::from(v6) & !((1u128 << 64) - 1);
            format!("{}/64", std::net::Ipv6Addr::from(prefix))
        }
        Some(ip) => ip.to_string(),
        None => address.unwrap_or("unknown").to_owned(),
    }
}

impl Throttle {
    pub fn new(account_free_failures: u16, address_free_failures: u16) -> Self {
        let free = |failures: u16| i32::from(failures.max(1));
        Throttle {
            account_free_failures: free(account_free_failures),
            address_free_failures: free(address_free_failures),
        }
    }

    /// Counts an attempt to sign in as `email` from `address`, or refuses it with 429
    /// `RATE_LIMITED` (`details.retry_after_seconds`) while either key is blocked.
    pub async fn attempt(&self, control: &PgPool, email: &str, address: Option<&str>) -> Result<Attempt, Error> {
        let attempt = Attempt { account: key("account", email), address: key("address", &address_key(address)) };
        let keys = vec![attempt.account.clone(), attempt.address.clone()];
        let mut transaction = control.begin().await?;
        sqlx::query(
            "INSERT INTO sign_in_failures (key_sha256, failures, last_failed_at) \
         SELECT unnest($1::bytea[]), 0, now() ON CONFLICT (key_sha256) DO NOTHING",
        )
        .bind(&keys)
        .execute(&mut *transaction)
        .await?;
        // Locked in key order, so that two attempts on the same keys cannot deadlock.
        let rows = sqlx::query(
            "SELECT ceil(extract(epoch FROM blocked_until - clock_timestamp()))::bigint FROM sign_in_failures \
         WHERE key_sha256 = ANY($1) ORDER BY key_sha256 FOR UPDATE",
        )
        .bind(&keys)
        .fetch_all(&mut *transaction)
        .await?;
        let wait = rows.iter().filter_map(|row| row.get::<Option<i64>, _>(0)).max().unwrap_or(0);
        if wait > 0 {
            transaction.commit().await?;
            return Err(ApiError::new(
                ErrorCode::RateLimited,
                format!("Too many failed sign-ins for this account or from this address; retry in {wait} s."),
            )
            .with("retry_after_seconds", wait)
            .into());
        }
        // The count after this failure; one that follows a long quiet starts over.
        let next = format!("(CASE WHEN s.last_failed_at < now() - interval '{FORGET}' THEN 1 ELSE s.failures + 1 END)");
        sqlx::query(&format!(
            "UPDATE sign_in_failures s SET failures = {next}, last_failed_at = now(), \
             blocked_until = CASE WHEN {next} >= p.free THEN \
                 now() + make_interval(secs => least($3, power(2, least({next} - p.free, 20)))) END \
             FROM unnest($1::bytea[], $2::int[]) AS p(key, free) \
             WHERE s.key_sha256 = p.key"
        ))
        .bind(&keys)
        .bind(vec![self.account_free_failures, self.address_free_failures])
        .bind(MAX_BLOCK_SECONDS)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(attempt)
    }

    /// The password was right: the account starts over, the address gets its attempt back.
    pub async fn succeeded(&self, control: &PgPool, attempt: Attempt) -> Result<(), Error> {
        sqlx::query("DELETE FROM sign_in_failures WHERE key_sha256 = $1")
            .bind(&attempt.account)
            .execute(control)
            .await?;
        sqlx::query(
            "UPDATE sign_in_failures SET failures = greatest(failures - 1, 0), \
         blocked_until = CASE WHEN failures - 1 >= $2 THEN blocked_until END WHERE key_sha256 = $1",
        )
        .bind(&attempt.address)
        .bind(self.address_free_failures)
        .execute(control)
        .await?;
        Ok(())
    }
}

/// After a failure (already counted): forgets a few keys nobody failed for a day.
pub async fn prune(control: &PgPool) {
    let pruned = sqlx::query(&format!(
        "DELETE FROM sign_in_failures WHERE key_sha256 IN (SELECT key_sha256 FROM sign_in_failures \
         WHERE last_failed_at < now() - interval '{KEEP}' AND (blocked_until IS NULL OR blocked_until < now()) \
         LIMIT 100)"
    ))
    .execute(control)
    .await;
    if let Err(error) = pruned {
        tracing::warn!(error = %error, "old sign-in failures not pruned");
    }
}

#[cfg(test)]
mod tests {
    use super::address_key;

    #[test]
    fn addresses() {
        assert_eq!(address_key(Some("203.0.113.7")), "203.0.113.7");
        assert_eq!(address_key(Some("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64");
        assert_eq!(address_key(Some("2001:db8:1:2:bbbb::9")), "2001:db8:1:2::/64");
        assert_eq!(address_key(None), "unknown");
    }
}
