//! API tokens: the `nc_<token id>_<secret>` format, scopes, and the record the origin
//! hands the edge so it can verify a secret without storing it.
//!
//! Only the SHA-256 of a secret is ever stored or sent; comparison is constant-time.

use crate::ids::{BaseId, TokenId};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

pub const PREFIX: &str = "nc_";

/// What a token may do. Each is independent: `write` does not imply `read`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Read,
    Write,
    Delete,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::Read, Scope::Write, Scope::Delete];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
            Scope::Delete => "delete",
        }
    }

    pub fn parse(text: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|scope| scope.as_str() == text)
    }
}

crate::json_schema::string_enum!(Scope, Scope::ALL);

/// A bearer token split into its parts; the secret is only hashed, never kept.
#[derive(Debug, PartialEq)]
pub struct ParsedToken {
    pub token_id: TokenId,
    pub secret_sha256: [u8; 32],
}

/// Parses `nc_<32 hex token id>_<secret>`; `None` for anything else.
pub fn parse(bearer: &str) -> Option<ParsedToken> {
    let rest = bearer.strip_prefix(PREFIX)?;
    let (id, secret) = rest.split_once('_')?;
    if id.len() != 32 || secret.len() < 32 || secret.len() > 128 {
        return None;
    }
    Some(ParsedToken { token_id: TokenId::parse(id)?, secret_sha256: sha256(secret.as_bytes()) })
}

/// Formats a token from its id and secret; the inverse of [`parse`].
pub fn format(token_id: TokenId, secret: &str) -> String {
    format!("{PREFIX}{}_{secret}", token_id.0.simple())
}

pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// The origin's answer to a token lookup: everything the edge needs to authenticate.
///
/// API Boundary: sent origin → edge and cached at the edge for the token-cache TTL.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TokenRecord {
    pub token_id: TokenId,
    pub base_id: BaseId,
    pub scopes: Vec<Scope>,
    /// Hex SHA-256 of the secret.
    pub secret_sha256: String,
    /// Unix milliseconds after which the token is refused.
    pub expires_at: Option<i64>,
    /// The token's own limit, or its tenant's plan's.
    #[serde(default)]
    pub rate_limit: crate::usage::RateLimit,
    /// The name its creator gave it (`token.name` in policies).
    #[serde(default)]
    pub name: String,
}

impl TokenRecord {
    /// Whether `parsed` carries this token's secret and the token is still valid at `now_ms`.
    pub fn accepts(&self, parsed: &ParsedToken, now_ms: i64) -> bool {
        let Ok(stored) = hex::decode(&self.secret_sha256) else { return false };
        let secret_matches: bool = stored.ct_eq(&parsed.secret_sha256).into();
        secret_matches && parsed.token_id == self.token_id && self.expires_at.is_none_or(|at| now_ms < at)
    }

    pub fn has(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn round_trip_and_accept() {
        let token_id = TokenId(Uuid::from_u128(42));
        let secret = "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t-xyz";
        let bearer = format(token_id, secret);
        let parsed = parse(&bearer).expect("parses");
        assert_eq!(parsed.token_id, token_id);
        let record = TokenRecord {
            token_id,
            base_id: BaseId(Uuid::from_u128(1)),
            scopes: vec![Scope::Read],
            secret_sha256: hex::encode(sha256(secret.as_bytes())),
            expires_at: Some(1_000),
            rate_limit: crate::usage::RateLimit::DEFAULT,
            name: String::new(),
        };
        assert!(record.accepts(&parsed, 999));
        assert!(!record.accepts(&parsed, 1_000), "expired");
        let wrong = parse(&format(token_id, "another-secret-another-secret-another")).expect("parses");
        assert!(!record.accepts(&wrong, 0));
        assert!(record.has(Scope::Read) && !record.has(Scope::Write));
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "nc_",
            "xx_0000000000000000000000000000002a_secretsecretsecretsecretsecretsecret",
            "nc_2a_secretsecretsecretsecretsecretsecret",
            "nc_0000000000000000000000000000002a_short",
        ] {
            assert!(parse(bad).is_none(), "{bad}");
        }
    }
}
