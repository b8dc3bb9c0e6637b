//! The edge signing keys of a deployment, and what is derived from each: the envelope
//! and push signatures, the users' access tokens, the list cursors.
//!
//! A keyring lists them (`NC_EDGE_SIGNING_KEY` on the origins, `edge_signing_key` on the
//! edges: comma-separated hex). The first key signs and seals; every key verifies and
//! opens. So the key changes without downtime in four moves, each of which works beside
//! the configuration before it (deploy/README.md):
//!
//! 1. origins `old,new`: they accept what edges sign with either;
//! 2. edges `new,old`: they sign with the new key, and still accept the origins' old one;
//! 3. origins `new,old`: they sign pushes, access tokens and cursors with the new key;
//! 4. once access tokens of the old key have expired, edges `new`, then origins `new`.

use crate::sign::{self, Key};
use crate::{cursor, jwt};

/// At most this many keys at once (a rotation needs two).
pub const MAX_KEYS: usize = 4;
/// The shortest key accepted, in bytes.
pub const MIN_KEY_BYTES: usize = 32;

/// One signing key and the keys derived from it. The cursor key is derived when a cursor
/// is met (two HMAC computations, a third of a fresh edge instance's fixed cost).
#[derive(Clone)]
struct Entry {
    secret: Vec<u8>,
    envelope: Key,
    jwt: [u8; 32],
}

impl Entry {
    fn new(secret: &[u8]) -> Entry {
        Entry { secret: secret.to_vec(), envelope: Key::new(secret), jwt: jwt::derive_key(secret) }
    }
}

/// The keys in force: the first signs, every one verifies. Never empty.
#[derive(Clone)]
pub struct Keyring {
    entries: Vec<Entry>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "Keyring({} keys)", self.entries.len())
    }
}

impl Keyring {
    /// Parses `hex[,hex…]`: each key at least 32 bytes, at most [`MAX_KEYS`], none twice.
    /// The error says what is wrong, not what the keys are.
    pub fn parse(text: &str) -> Result<Keyring, String> {
        let mut secrets: Vec<Vec<u8>> = Vec::new();
        for (position, part) in text.split(',').enumerate() {
            let secret = hex::decode(part.trim()).map_err(|_| format!("key {} is not hex", position + 1))?;
            if secret.len() < MIN_KEY_BYTES {
                return Err(format!(
                    "key {} is shorter than {MIN_KEY_BYTES} bytes ({} hex digits)",
                    position + 1,
                    2 * MIN_KEY_BYTES
                ));
            }
            if secrets.contains(&secret) {
                return Err(format!("key {} is listed twice", position + 1));
            }
            secrets.push(secret);
        }
        if secrets.len() > MAX_KEYS {
            return Err(format!("{} keys are listed; at most {MAX_KEYS} are", secrets.len()));
        }
        Ok(Keyring { entries: secrets.iter().map(|secret| Entry::new(secret)).collect() })
    }

    /// A keyring of one key, of any length (tests, tools).
    pub fn single(secret: &[u8]) -> Keyring {
        Keyring { entries: vec![Entry::new(secret)] }
    }

    fn first(&self) -> &Entry {
        &self.entries[0]
    }

    /// `v1=<hex hmac>` of `bytes` under the first key.
    pub fn sign(&self, bytes: &[u8]) -> String {
        self.first().envelope.sign(bytes)
    }

    /// Whether `signature` is one of `bytes` under any key.
    pub fn verify(&self, bytes: &[u8], signature: &str) -> bool {
        self.entries.iter().any(|entry| entry.envelope.verify(bytes, signature))
    }

    /// The key access tokens are issued with (the first key's).
    pub fn jwt_key(&self) -> &[u8; 32] {
        &self.first().jwt
    }

    /// An access token issued under any key; an expired one is expired whatever its key.
    pub fn verify_jwt(&self, token: &str, now_seconds: i64) -> Result<jwt::Claims, jwt::Error> {
        let mut outcome = Err(jwt::Error::BadSignature);
        for entry in &self.entries {
            outcome = jwt::verify(&entry.jwt, token, now_seconds);
            if !matches!(outcome, Err(jwt::Error::BadSignature)) {
                break;
            }
        }
        outcome
    }

    /// The key cursors are sealed with (the first key's), derived on each call.
    pub fn cursor_key(&self) -> [u8; 32] {
        cursor::derive_key(&self.first().secret)
    }

    /// A cursor sealed under any key, for a query of `shape`.
    pub fn open_cursor(&self, shape: &str, text: &str) -> Option<Vec<Option<String>>> {
        self.entries.iter().find_map(|entry| cursor::decode(&cursor::derive_key(&entry.secret), shape, text))
    }

    /// A secret of the first key's own, for values that must differ per deployment and
    /// need no rotation (a password hash that stands in for a missing account).
    pub fn stand_in_secret(&self) -> [u8; 32] {
        sign::mac(&self.first().secret, b"nc-stand-in-v1")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::UserId;

    const OLD: &str = "0101010101010101010101010101010101010101010101010101010101010101";
    const NEW: &str = "0202020202020202020202020202020202020202020202020202020202020202";

    #[test]
    fn parse_names_what_is_wrong() {
        assert!(Keyring::parse(OLD).is_ok());
        assert!(Keyring::parse(&format!("{NEW}, {OLD}")).is_ok());
        assert_eq!(Keyring::parse("zz").err().as_deref(), Some("key 1 is not hex"));
        assert_eq!(
            Keyring::parse(&format!("{OLD},abcd")).err().as_deref(),
            Some("key 2 is shorter than 32 bytes (64 hex digits)")
        );
        assert_eq!(Keyring::parse(&format!("{OLD},{OLD}")).err().as_deref(), Some("key 2 is listed twice"));
        let five: Vec<String> = (3..8).map(|byte| format!("{byte:02x}").repeat(32)).collect();
        assert_eq!(Keyring::parse(&five.join(",")).err().as_deref(), Some("5 keys are listed; at most 4 are"));
        assert_eq!(Keyring::parse("").err().as_deref(), Some("key 1 is shorter than 32 bytes (64 hex digits)"));
    }

    #[test]
    fn the_first_key_signs_and_every_key_verifies() {
        let old = Keyring::parse(OLD).expect("keys");
        let both = Keyring::parse(&format!("{NEW},{OLD}")).expect("keys");
        let new = Keyring::parse(NEW).expect("keys");
        // Envelopes and pushes.
        let signed = both.sign(b"body");
        assert!(new.verify(b"body", &signed) && !old.verify(b"body", &signed), "signed with the first key");
        assert!(both.verify(b"body", &old.sign(b"body")), "the second key verifies");
        assert!(!new.verify(b"body", &old.sign(b"body")), "a dropped key does not");
        // Access tokens.
        let user = UserId(uuid::Uuid::from_u128(3));
        let token = jwt::issue(old.jwt_key(), user, 1_000);
        assert_eq!(both.verify_jwt(&token, 1_000).map(|claims| claims.sub), Ok(user));
        assert_eq!(new.verify_jwt(&token, 1_000), Err(jwt::Error::BadSignature));
        assert_eq!(both.verify_jwt(&token, 1_000 + jwt::ACCESS_TTL_SECONDS), Err(jwt::Error::Expired));
        assert_eq!(both.verify_jwt("a.b", 1_000), Err(jwt::Error::Malformed));
        // Cursors.
        let sealed = cursor::encode(&old.cursor_key(), "shape", &[Some("k".into())], [1; cursor::NONCE_LEN]);
        assert_eq!(both.open_cursor("shape", &sealed), Some(vec![Some("k".into())]));
        assert_eq!(new.open_cursor("shape", &sealed), None);
        assert_eq!(both.cursor_key(), new.cursor_key());
    }
}
