//! HMAC-SHA256 signatures over exact bytes: the edge signs each serialized envelope and
//! the origin verifies the same bytes before parsing them.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The header carrying the signature of the request body.
pub const HEADER: &str = "x-edge-signature";
const SCHEME: &str = "v1=";

/// Returns `v1=<hex hmac>` for `bytes`.
pub fn sign(key: &[u8], bytes: &[u8]) -> String {
    format!("{SCHEME}{}", hex::encode(mac(key, bytes)))
}

/// Constant-time check of a `v1=<hex>` signature over `bytes`.
pub fn verify(key: &[u8], bytes: &[u8], signature: &str) -> bool {
    let Some(tag) = signature.strip_prefix(SCHEME).and_then(|hex_tag| hex::decode(hex_tag).ok()) else {
        return false;
    };
    let mut hmac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
    hmac.update(bytes);
    hmac.verify_slice(&tag).is_ok()
}

/// Raw HMAC-SHA256, also used to derive purpose-specific keys (e.g. for cursors).
pub fn mac(key: &[u8], bytes: &[u8]) -> [u8; 32] {
    let mut hmac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
    hmac.update(bytes);
    hmac.finalize().into_bytes().into()
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
    }
}
