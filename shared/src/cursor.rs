//! Opaque, tamper-evident keyset cursors.
//!
//! A cursor holds the sort key of the last row of a page and a hash of the query's
//! shape, authenticated with a key derived from the edge signing key. A cursor that was
//! altered, or is replayed against another table or other filters, is refused.

use crate::sign;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

const TAG_LEN: usize = 16;

#[derive(Serialize, Deserialize)]
struct Payload {
    /// The last row's sort key, in sort order, as Postgres text.
    k: Vec<Option<String>>,
    /// Shape hash of the query the cursor belongs to.
    s: String,
}

/// Derives the cursor key from the shared edge signing key.
pub fn derive_key(signing_key: &[u8]) -> [u8; 32] {
    sign::mac(signing_key, b"nc-cursor-v1")
}

/// Encodes the key of the last row of a page for a query of the given shape.
pub fn encode(cursor_key: &[u8], shape: &str, sort_key: Vec<Option<String>>) -> String {
    let payload =
        serde_json::to_vec(&Payload { k: sort_key, s: shape.to_owned() }).expect("a cursor always serializes");
    let tag = sign::mac(cursor_key, &payload);
    let mut bytes = payload;
    bytes.extend_from_slice(&tag[..TAG_LEN]);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes a cursor for a query of the given shape; `None` if it was altered or belongs elsewhere.
pub fn decode(cursor_key: &[u8], shape: &str, cursor: &str) -> Option<Vec<Option<String>>> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let split = bytes.len().checked_sub(TAG_LEN)?;
    let (payload, tag) = bytes.split_at(split);
    let expected = sign::mac(cursor_key, payload);
    let tag_ok: bool = subtle::ConstantTimeEq::ct_eq(&expected[..TAG_LEN], tag).into();
    if !tag_ok {
        return None;
    }
    let payload: Payload = serde_json::from_slice(payload).ok()?;
    (payload.s == shape).then_some(payload.k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_tamper() {
        let key = derive_key(b"signing key");
        let sort_key = vec![Some("2025-01-01 00:00:00+00".into()), None, Some("id-1".into())];
        let cursor = encode(&key, "shape-a", sort_key.clone());
        assert_eq!(decode(&key, "shape-a", &cursor), Some(sort_key));
        assert_eq!(decode(&key, "shape-b", &cursor), None, "other query");
        assert_eq!(decode(&derive_key(b"other"), "shape-a", &cursor), None, "other key");
        let mut bytes = URL_SAFE_NO_PAD.decode(&cursor).expect("base64");
        bytes[3] ^= 1;
        assert_eq!(decode(&key, "shape-a", &URL_SAFE_NO_PAD.encode(bytes)), None, "flipped bit");
        assert_eq!(decode(&key, "shape-a", "!!"), None);
        assert_eq!(decode(&key, "shape-a", ""), None);
    }
}
