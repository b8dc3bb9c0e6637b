//! Password hashing (Argon2id, on the blocking pool: each hash takes tens of milliseconds).

use crate::error::{Error, bug};
use anyhow::Context;

/// argon2id with the crate's defaults (19 MiB, 2 passes), off the async threads.
pub async fn hash(password: &str) -> Result<String, Error> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        use argon2::password_hash::{PasswordHasher, SaltString};
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|error| bug(format!("no random salt: {error}")))?;
        let salt = SaltString::encode_b64(&salt).map_err(|error| bug(format!("salt: {error}")))?;
        argon2::Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|error| bug(format!("hash: {error}")))
    })
    .await
    .context("the hashing task")?
}

pub async fn verify(password: &str, hash: String) -> Result<bool, Error> {
    let password = password.to_owned();
    let verified = tokio::task::spawn_blocking(move || {
        use argon2::password_hash::{PasswordHash, PasswordVerifier};
        let Ok(parsed) = PasswordHash::new(&hash) else { return false };
        argon2::Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()
    })
    .await
    .context("the verifying task")?;
    Ok(verified)
}
