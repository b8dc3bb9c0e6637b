//! Opaque keyset cursors: authenticated encryption of a page's last sort key.
//!
//! A cursor holds the sort key of the last row of a page, encrypted and authenticated
//! with XChaCha20-Poly1305 under a key derived from the edge signing key, with the hash
//! of the query's shape as associated data. Nobody without the key can read a cursor
//! (a view sorted on a field it does not return reveals nothing through its cursors),
//! and a cursor that was altered, or is replayed against another table or other
//! filters, is refused.
//!
//! The nonce is an argument (this crate has no random source): the origin, which mints
//! cursors, draws a fresh one for each.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

/// Bytes of a cursor's nonce.
pub const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
/// A decoded cursor longer than this is refused before any work (8 sort keys of a few
/// hundred bytes each fit easily).
pub const MAX_CURSOR_BYTES: usize = 8 * 1024;

/// Derives the cursor key from the shared edge signing key.
pub fn derive_key(signing_key: &[u8]) -> [u8; 32] {
    crate::sign::mac(signing_key, b"nc-cursor-v2")
}

fn cipher(cursor_key: &[u8; 32]) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(cursor_key.into())
}

/// Encodes the key of the last row of a page for a query of the given shape.
pub fn encode(cursor_key: &[u8; 32], shape: &str, sort_key: &[Option<String>], nonce: [u8; NONCE_LEN]) -> String {
    let plaintext = serde_json::to_vec(sort_key).expect("a sort key always serializes");
    let sealed = cipher(cursor_key)
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: &plaintext, aad: shape.as_bytes() })
        .expect("encryption of a short message cannot fail");
    let mut bytes = Vec::with_capacity(NONCE_LEN + sealed.len());
    bytes.extend_from_slice(&nonce);
    bytes.extend_from_slice(&sealed);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes a cursor for a query of the given shape; `None` if it was altered, belongs
/// elsewhere, or is not a cursor at all.
pub fn decode(cursor_key: &[u8; 32], shape: &str, cursor: &str) -> Option<Vec<Option<String>>> {
    if cursor.len() > MAX_CURSOR_BYTES {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    if bytes.len() < NONCE_LEN + TAG_LEN {
        return None;
    }
    let (nonce, sealed) = bytes.split_at(NONCE_LEN);
    let plaintext =
        cipher(cursor_key).decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad: shape.as_bytes() }).ok()?;
    serde_json::from_slice(&plaintext).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_tamper() {
        let key = derive_key(b"signing key");
        let sort_key = vec![Some("2025-01-01 00:00:00+00".into()), None, Some("id-1".into())];
        let cursor = encode(&key, "shape-a", &sort_key, [7; NONCE_LEN]);
        assert_eq!(decode(&key, "shape-a", &cursor), Some(sort_key.clone()));
        assert_eq!(decode(&key, "shape-b", &cursor), None, "other query");
        assert_eq!(decode(&derive_key(b"other"), "shape-a", &cursor), None, "other key");
        let mut bytes = URL_SAFE_NO_PAD.decode(&cursor).expect("base64");
        for index in [0, NONCE_LEN, bytes.len() - 1] {
            bytes[index] ^= 1;
            assert_eq!(decode(&key, "shape-a", &URL_SAFE_NO_PAD.encode(&bytes)), None, "flipped bit at {index}");
            bytes[index] ^= 1;
        }
        assert_eq!(decode(&key, "shape-a", "!!"), None);
        assert_eq!(decode(&key, "shape-a", ""), None);
        assert_eq!(decode(&key, "shape-a", &"A".repeat(MAX_CURSOR_BYTES + 1)), None);
        // Another nonce, another cursor for the same position; both decode.
        let again = encode(&key, "shape-a", &sort_key, [8; NONCE_LEN]);
        assert_ne!(again, cursor);
        assert_eq!(decode(&key, "shape-a", &again), Some(sort_key));
    }

    #[test]
    fn a_cursor_reveals_nothing_of_its_key() {
        let key = derive_key(b"signing key");
        let secret = "the secret value of a field the view does not return";
        let cursor = encode(&key, "shape", &[Some(secret.to_owned()), Some("id".into())], [1; NONCE_LEN]);
        let bytes = URL_SAFE_NO_PAD.decode(&cursor).expect("base64");
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("secret") && !text.contains("id"), "{text}");
    }
}
