//! Access tokens for signed-in users: compact JWTs (HS256) that the edge verifies by
//! itself, so a management request needs no lookup to be authenticated.
//!
//! The key is derived from the edge signing key (edge and origin already share it), for
//! this purpose only. Tokens are short-lived; revocation is by refresh-token family at
//! the origin, and access tokens simply expire.

use crate::ids::UserId;
use crate::sign;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

/// How long an access token is valid.
pub const ACCESS_TTL_SECONDS: i64 = 15 * 60;
/// `{"alg":"HS256","typ":"JWT"}`, base64url.
const HEADER: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    pub sub: UserId,
    /// Issued at, Unix seconds.
    pub iat: i64,
    /// Expires at, Unix seconds.
    pub exp: i64,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("the access token is malformed")]
    Malformed,
    #[error("the access token's signature does not verify")]
    BadSignature,
    #[error("the access token has expired; refresh it")]
    Expired,
}

/// The JWT key, derived from the shared edge signing key.
pub fn derive_key(signing_key: &[u8]) -> [u8; 32] {
    sign::mac(signing_key, b"nc-jwt-v1")
}

/// Issues an access token for `user` at `now_seconds`.
pub fn issue(key: &[u8], user: UserId, now_seconds: i64) -> String {
    let claims = Claims { sub: user, iat: now_seconds, exp: now_seconds + ACCESS_TTL_SECONDS };
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).expect("claims always serialize"));
    let signing_input = format!("{HEADER}.{payload}");
    let signature = URL_SAFE_NO_PAD.encode(sign::mac(key, signing_input.as_bytes()));
    format!("{signing_input}.{signature}")
}

/// Whether a bearer value has the shape of a JWT (API tokens start with `nc_`).
pub fn looks_like_jwt(bearer: &str) -> bool {
    bearer.starts_with("eyJ") && bearer.matches('.').count() == 2
}

/// Verifies signature and expiry; only tokens with exactly our header are accepted, so
/// `alg: none` and algorithm confusion cannot arise.
pub fn verify(key: &[u8], token: &str, now_seconds: i64) -> Result<Claims, Error> {
    let (signing_input, signature) = token.rsplit_once('.').ok_or(Error::Malformed)?;
    let (header, payload) = signing_input.split_once('.').ok_or(Error::Malformed)?;
    if header != HEADER {
        return Err(Error::Malformed);
    }
    let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| Error::Malformed)?;
    let expected = sign::mac(key, signing_input.as_bytes());
    if !bool::from(expected.as_slice().ct_eq(&signature)) {
        return Err(Error::BadSignature);
    }
    let payload = URL_SAFE_NO_PAD.decode(payload).map_err(|_| Error::Malformed)?;
    let claims: Claims = serde_json::from_slice(&payload).map_err(|_| Error::Malformed)?;
    if now_seconds >= claims.exp {
        return Err(Error::Expired);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn issue_verify_expire_tamper() {
        let key = derive_key(b"edge key");
        let user = UserId(Uuid::from_u128(7));
        let token = issue(&key, user, 1_000);
        assert!(looks_like_jwt(&token));
        assert_eq!(verify(&key, &token, 1_000).map(|c| c.sub), Ok(user));
        assert_eq!(verify(&key, &token, 1_000 + ACCESS_TTL_SECONDS), Err(Error::Expired));
        assert_eq!(verify(&derive_key(b"other"), &token, 1_000), Err(Error::BadSignature));
        let (head, _) = token.rsplit_once('.').expect("three parts");
        let forged_payload =
            URL_SAFE_NO_PAD.encode(br#"{"sub":"00000000-0000-0000-0000-000000000008","iat":0,"exp":9999999999}"#);
        let (header, _) = head.split_once('.').expect("header");
        let forged = format!("{header}.{forged_payload}.{}", token.rsplit_once('.').expect("sig").1);
        assert_eq!(verify(&key, &forged, 1_000), Err(Error::BadSignature));
        let none = format!("eyJhbGciOiJub25lIn0.{forged_payload}.");
        assert_eq!(verify(&key, &none, 1_000), Err(Error::Malformed));
        assert_eq!(verify(&key, "a.b", 1_000), Err(Error::Malformed));
    }
}
