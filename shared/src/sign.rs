//! HMAC-SHA256 signatures over exact bytes: the edge signs each serialized envelope and
//! the origin verifies the same bytes before parsing them.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The header carrying the signature of the request body.
pub const HEADER: &str = "x-edge-signature";
const SCHEME: &str = "v1=";

/// A signing key with its HMAC state computed once: the key's inner and outer blocks are
/// hashed when the key is made, so that a signature hashes only the message.
#[derive(Clone)]
pub struct Key(HmacSha256);

impl Key {
    pub fn new(secret: &[u8]) -> Key {
        Key(HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any length"))
    }

    /// The raw HMAC-SHA256 of `bytes`.
    pub fn tag(&self, bytes: &[u8]) -> [u8; 32] {
        let mut hmac = self.0.clone();
        hmac.update(bytes);
        hmac.finalize().into_bytes().into()
    }

    /// `v1=<hex hmac>` of `bytes`.
    pub fn sign(&self, bytes: &[u8]) -> String {
        let tag = self.tag(bytes);
        let mut signature = String::with_capacity(SCHEME.len() + 64);
        signature.push_str(SCHEME);
        signature.push_str(&hex::encode(tag));
        signature
    }

    /// Constant-time check of a `v1=<hex>` signature over `bytes`.
    pub fn verify(&self, bytes: &[u8], signature: &str) -> bool {
        let mut tag = [0u8; 32];
        let decoded =
            signature.strip_prefix(SCHEME).is_some_and(|hex_tag| hex::decode_to_slice(hex_tag, &mut tag).is_ok());
        if !decoded {
            return false;
        }
        let mut hmac = self.0.clone();
        hmac.update(bytes);
        hmac.verify_slice(&tag).is_ok()
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("Key(..)")
    }
}

/// Returns `v1=<hex hmac>` for `bytes`.
pub fn sign(key: &[u8], bytes: &[u8]) -> String {
    Key::new(key).sign(bytes)
}

/// Constant-time check of a `v1=<hex>` signature over `bytes`.
pub fn verify(key: &[u8], bytes: &[u8], signature: &str) -> bool {
    Key::new(key).verify(bytes, signature)
}

/// Raw HMAC-SHA256, also used to derive purpose-specific keys (e.g. for cursors).
pub fn mac(key: &[u8], bytes: &[u8]) -> [u8; 32] {
    Key::new(key).tag(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_verify() {
        let signature = sign(b"key", b"{\"v\":1}");
        assert!(verify(b"key", b"{\"v\":1}", &signature));
        assert!(!verify(b"key", b"{\"v\":2}", &signature), "tampered body");
        assert!(!verify(b"other", b"{\"v\":1}", &signature), "other key");
        assert!(!verify(b"key", b"{\"v\":1}", &signature[3..]), "no scheme");
        assert!(!verify(b"key", b"{\"v\":1}", "v1=zz"), "not hex");
        assert!(!verify(b"key", b"{\"v\":1}", &signature[..signature.len() - 2]), "truncated");
        let key = Key::new(b"key");
        assert_eq!(key.sign(b"{\"v\":1}"), signature, "a kept key signs as a fresh one");
        assert!(key.verify(b"{\"v\":1}", &signature) && key.verify(b"{\"v\":1}", &signature));
        assert!(!key.verify(b"{\"v\":1}", &format!("{signature}00")), "too long");
    }
}
