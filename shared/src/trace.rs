//! W3C trace context (`traceparent`): the edge takes a client's, or starts one, and
//! carries it in the signed envelope, so that the origin's spans join the caller's trace.
//!
//! API Boundary: `Envelope.traceparent` is this module's text form.

/// The request header a caller's trace context comes in.
pub const HEADER: &str = "traceparent";

/// A trace id (16 bytes) and the id of the span the next one is a child of (8 bytes),
/// with the sampled flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TraceParent {
    pub trace_id: [u8; 16],
    pub span_id: [u8; 8],
    pub sampled: bool,
}

impl TraceParent {
    /// Parses `00-<32 hex trace id>-<16 hex span id>-<2 hex flags>` (lowercase, as the
    /// specification asks); all-zero ids and other versions' forms are refused.
    pub fn parse(text: &str) -> Option<TraceParent> {
        let mut parts = text.trim().split('-');
        let (version, trace, span, flags) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || version != "00" {
            return None;
        }
        let lower_hex = |part: &str, len: usize| {
            part.len() == len && part.bytes().all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte))
        };
        if !lower_hex(trace, 32) || !lower_hex(span, 16) || !lower_hex(flags, 2) {
            return None;
        }
        let mut parent = TraceParent { trace_id: [0; 16], span_id: [0; 8], sampled: false };
        hex::decode_to_slice(trace, &mut parent.trace_id).ok()?;
        hex::decode_to_slice(span, &mut parent.span_id).ok()?;
        let flags = u8::from_str_radix(flags, 16).ok()?;
        parent.sampled = flags & 1 == 1;
        let zero = parent.trace_id == [0; 16] || parent.span_id == [0; 8];
        (!zero).then_some(parent)
    }

    /// A new trace, sampled, from 24 random bytes.
    pub fn start(random: [u8; 24]) -> TraceParent {
        let mut parent = TraceParent { trace_id: [0; 16], span_id: [0; 8], sampled: true };
        parent.trace_id.copy_from_slice(&random[..16]);
        parent.span_id.copy_from_slice(&random[16..]);
        // All zeros is invalid; a random draw of them stands for any other id.
        parent.trace_id[15] |= u8::from(parent.trace_id == [0; 16]);
        parent.span_id[7] |= u8::from(parent.span_id == [0; 8]);
        parent
    }

    pub fn trace_hex(&self) -> String {
        hex::encode(self.trace_id)
    }

    pub fn span_hex(&self) -> String {
        hex::encode(self.span_id)
    }
}

impl std::fmt::Display for TraceParent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "00-{}-{}-{:02x}", self.trace_hex(), self.span_hex(), u8::from(self.sampled))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_the_w3c_form() {
        let text = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        let parent = TraceParent::parse(text).expect("valid");
        assert_eq!(parent.trace_hex(), "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(parent.span_hex(), "00f067aa0ba902b7");
        assert!(parent.sampled);
        assert_eq!(parent.to_string(), text);
        let unsampled = TraceParent::parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00").expect("valid");
        assert!(!unsampled.sampled);
    }

    #[test]
    fn refuses_what_is_not_a_version_00_context() {
        for text in [
            "",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
            "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",
        ] {
            assert_eq!(TraceParent::parse(text), None, "{text}");
        }
    }

    #[test]
    fn a_started_trace_is_sampled_and_never_all_zero() {
        let started = TraceParent::start([0; 24]);
        assert!(started.sampled);
        assert_ne!(started.trace_id, [0; 16]);
        assert_ne!(started.span_id, [0; 8]);
        assert_eq!(TraceParent::parse(&started.to_string()), Some(started));
    }
}
