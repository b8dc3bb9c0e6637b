//! Envelope verification: only the signature of the exact bytes verifies, and whatever
//! parses as an envelope serializes back to the same envelope.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nc_fuzz::SIGNING_KEY;
use shared::envelope::Envelope;
use shared::sign::{sign, verify};

fuzz_target!(|data: &[u8]| {
    // A signature line, then the body.
    if let Some(at) = data.iter().position(|byte| *byte == b'\n') {
        let (signature, body) = (String::from_utf8_lossy(&data[..at]), &data[at + 1..]);
        if verify(SIGNING_KEY, body, &signature) {
            assert_eq!(signature.to_ascii_lowercase(), sign(SIGNING_KEY, body), "only the true signature verifies");
        }
    }
    let signature = sign(SIGNING_KEY, data);
    assert!(verify(SIGNING_KEY, data, &signature));
    assert!(!verify(b"another key", data, &signature), "a signature is bound to its key");
    if let Some(first) = data.first() {
        let mut altered = data.to_vec();
        let at = usize::from(*first) % altered.len();
        altered[at] ^= 0x01;
        assert!(!verify(SIGNING_KEY, &altered, &signature), "a signature is bound to every byte");
    }
    if let Ok(envelope) = serde_json::from_slice::<Envelope>(data) {
        let again = serde_json::to_vec(&envelope).expect("an envelope serializes");
        let back: Envelope = serde_json::from_slice(&again).expect("and parses back");
        assert_eq!(back, envelope, "an envelope round-trips");
    }
});
