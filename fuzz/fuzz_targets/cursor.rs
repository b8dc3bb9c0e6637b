//! Cursors: arbitrary text never decodes (nor reaches a plan), and what the origin
//! encodes decodes to itself for its own query shape only.
#![no_main]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use libfuzzer_sys::fuzz_target;
use nc_fuzz::{SIGNING_KEY, check_compiled, check_refusal, table};
use shared::cursor::{NONCE_LEN, decode, derive_key, encode};
use shared::plan::compile_list;
use shared::query::parse_records_query;

fuzz_target!(|data: &[u8]| {
    let key = derive_key(SIGNING_KEY);
    let text = String::from_utf8_lossy(data);
    assert_eq!(decode(&key, "shape", &text), None, "an arbitrary cursor never decodes");
    match parse_records_query(&format!("cursor={text}")) {
        Ok(query) => {
            let refused = compile_list(table(), &query, &shared::keys::Keyring::single(SIGNING_KEY));
            assert!(refused.is_err(), "an arbitrary cursor is refused");
            check_compiled(refused);
        }
        Err(error) => check_refusal(&error),
    }
    // Round trip: the bytes are a nonce and sort key values split at 0xFF (0xFE is NULL).
    if data.len() < NONCE_LEN {
        return;
    }
    let (nonce, rest) = data.split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce.try_into().expect("split at the nonce length");
    let values: Vec<Option<String>> = rest
        .split(|byte| *byte == 0xFF)
        .map(|part| (part != [0xFE]).then(|| String::from_utf8_lossy(part).into_owned()))
        .collect();
    let cursor = encode(&key, "shape", &values, nonce);
    if cursor.len() <= shared::cursor::MAX_CURSOR_BYTES {
        assert_eq!(decode(&key, "shape", &cursor), Some(values.clone()), "a cursor decodes to its sort key");
    }
    assert_eq!(decode(&key, "another shape", &cursor), None, "a cursor is bound to its query shape");
    assert_eq!(decode(&derive_key(b"another key"), "shape", &cursor), None, "and to its key");
    // After the nonce (which is not secret, and here comes from the input too).
    let sealed = URL_SAFE_NO_PAD.decode(&cursor).expect("a cursor is base64").split_off(NONCE_LEN);
    for value in values.iter().flatten().filter(|value| value.len() >= 8) {
        let shown = sealed.windows(value.len()).any(|window| window == value.as_bytes());
        assert!(!shown, "a cursor does not show its values");
    }
    let mut altered = cursor.into_bytes();
    let at = usize::from(rest.first().copied().unwrap_or(0)) % altered.len();
    altered[at] = if altered[at] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(altered).expect("base64 is ASCII");
    assert_eq!(decode(&key, "shape", &altered), None, "an altered cursor does not decode");
});
