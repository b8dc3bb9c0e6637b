//! Server-sent events (the `text/event-stream` format of the HTML standard): how the
//! origin frames a stream, and what a client's `Last-Event-ID` may say.
//!
//! A stream runs for a bounded time ([`StreamLimits`]); a client resumes it with the last
//! `id:` it read, as `EventSource` does by itself, and misses nothing. Between events, a
//! comment every [`HEARTBEAT_SECONDS`] keeps proxies from closing an idle connection.

use crate::error::{ApiError, ErrorCode};

/// The media type of an event stream.
pub const CONTENT_TYPE: &str = "text/event-stream";
/// The request header a resuming client sends.
pub const LAST_EVENT_ID: &str = "last-event-id";
/// How often an idle stream sends a comment.
pub const HEARTBEAT_SECONDS: u64 = 15;
/// How long a client waits before it reconnects, as the stream's first frame tells it.
pub const RETRY_MS: u32 = 1_000;

/// The longest `Last-Event-ID` a position may be.
pub const MAX_POSITION_BYTES: usize = 512;

/// One event: `id:`, `event:` and one `data:` line (the data is JSON, which has no raw
/// line breaks).
pub fn frame(id: impl std::fmt::Display, event: &str, data: &[u8]) -> Vec<u8> {
    let mut frame = format!("id: {id}\nevent: {event}\ndata: ").into_bytes();
    frame.extend_from_slice(data);
    frame.extend_from_slice(b"\n\n");
    frame
}

/// A frame without `id:`, so that a client's `Last-Event-ID` stays the last change's:
/// presence (`presence`, `user:join`, `user:leave`).
pub fn unnumbered(event: &str, data: &[u8]) -> Vec<u8> {
    let mut frame = format!("event: {event}\ndata: ").into_bytes();
    frame.extend_from_slice(data);
    frame.extend_from_slice(b"\n\n");
    frame
}

/// Someone following a table or a view (`user:join`, `user:leave`, and each of `presence`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Present {
    /// `user:<id>`, `token:<id>`, or `visitor` (a published view's caller).
    pub actor: String,
    /// The person's name, or the token's; null for visitors.
    pub name: Option<String>,
    /// Since when (the earliest of their open streams).
    pub since: String,
}

/// The `data` of `event: presence`, the first frame of a stream that asked for presence:
/// everyone there, its own caller included. `user:join` and `user:leave` follow.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Presence {
    pub present: Vec<Present>,
}

/// Whether a stream's query asks for presence (`presence=true`), with the rest of it.
pub fn split_presence(raw: &str) -> Result<(String, bool), ApiError> {
    let (rest, [presence]) = crate::query::split_off(raw, ["presence"])?;
    let presence = match presence.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            return Err(ApiError::new(crate::error::ErrorCode::InvalidQuery, "'presence' is true or false.")
                .with("parameter", "presence"));
        }
    };
    Ok((rest, presence))
}

/// The `id:` and `data:` of a frame [`frame`] made.
pub fn parts(frame: &[u8]) -> Option<(&str, &[u8])> {
    let rest = frame.strip_prefix(b"id: ")?;
    let end = rest.iter().position(|byte| *byte == b'\n')?;
    let id = std::str::from_utf8(&rest[..end]).ok()?;
    let data_at = rest.windows(7).position(|window| window == b"\ndata: ")? + 7;
    Some((id, rest[data_at..].strip_suffix(b"\n\n")?))
}

/// The stream's first frame: the reconnection delay.
pub fn opening() -> Vec<u8> {
    format!("retry: {RETRY_MS}\n\n").into_bytes()
}

/// A comment, which clients ignore.
pub const HEARTBEAT: &[u8] = b": keep-alive\n\n";

/// The position a client resumes after: the `id:` of the last event it read, which this
/// API always makes a non-negative integer. Absent or empty: from the start.
pub fn last_event_id(header: Option<&[u8]>) -> Result<Option<i64>, ApiError> {
    let Some(value) = header.map(<[u8]>::trim_ascii).filter(|value| !value.is_empty()) else {
        return Ok(None);
    };
    std::str::from_utf8(value)
        .ok()
        .and_then(|text| text.parse::<i64>().ok())
        .filter(|id| *id >= 0)
        .map(Some)
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidRequest,
                "'Last-Event-ID' must be the id of an event this stream sent (a non-negative integer); send none to \
                 start over.",
            )
            .with("header", "Last-Event-ID")
        })
}

/// The change-log position a client resumes after (opaque text this API gave as an
/// event's `id`, which the origin decodes); absent or empty: from now.
pub fn last_position(header: Option<&[u8]>) -> Result<Option<String>, ApiError> {
    let Some(value) = header.map(<[u8]>::trim_ascii).filter(|value| !value.is_empty()) else {
        return Ok(None);
    };
    let plain = value.len() <= MAX_POSITION_BYTES && value.iter().all(|byte| byte.is_ascii_graphic());
    match std::str::from_utf8(value) {
        Ok(text) if plain => Ok(Some(text.to_owned())),
        _ => Err(ApiError::new(
            ErrorCode::InvalidRequest,
            "'Last-Event-ID' must be the id of an event this stream sent; send none to start from now.",
        )
        .with("header", "Last-Event-ID")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_complete_events() {
        assert_eq!(frame(7, "progress", br#"{"a":1}"#), b"id: 7\nevent: progress\ndata: {\"a\":1}\n\n");
        assert_eq!(opening(), b"retry: 1000\n\n");
        let framed = frame("p_1", "record.created", br#"{"a":1}"#);
        assert_eq!(parts(&framed), Some(("p_1", &br#"{"a":1}"#[..])));
        assert_eq!(parts(HEARTBEAT), None);
    }

    #[test]
    fn only_this_apis_ids_resume() {
        assert_eq!(last_event_id(None).expect("accepted"), None);
        assert_eq!(last_event_id(Some(b"  ")).expect("accepted"), None);
        assert_eq!(last_event_id(Some(b" 42 ")).expect("accepted"), Some(42));
        for bad in [&b"-1"[..], b"abc", b"1.5", b"99999999999999999999", b"\xff"] {
            let error = last_event_id(Some(bad)).expect_err("refused");
            assert_eq!(error.code, ErrorCode::InvalidRequest, "{bad:?}");
        }
        assert_eq!(last_position(Some(b" eyJhIjoxfQ ")).expect("accepted").as_deref(), Some("eyJhIjoxfQ"));
        assert_eq!(last_position(Some(b"")).expect("accepted"), None);
        for bad in [&b"a b"[..], b"\xff", &[b'a'; MAX_POSITION_BYTES + 1]] {
            assert_eq!(last_position(Some(bad)).expect_err("refused").code, ErrorCode::InvalidRequest, "{bad:?}");
        }
    }
}
