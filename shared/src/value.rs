//! Typed field values: validation of JSON values and query-string values against a
//! field's type, producing the text form that is bound as a SQL parameter.
//!
//! Every value reaches Postgres as a text parameter cast to the column type
//! (`($1::text)::numeric`), so what is validated here is exactly what is stored.

use crate::catalog::{Field, FieldType};
use crate::error::{ApiError, ErrorCode};
use serde_json::value::RawValue;

/// Numbers are capped so that no valid value can overflow Postgres `numeric`.
const MAX_NUMBER_LEN: usize = 200;
const MAX_EXPONENT: i64 = 1000;

/// Attachments one file field holds in a record.
pub const MAX_ATTACHMENTS: usize = 100;
/// Characters of an attachment's name.
pub const MAX_FILE_NAME: usize = 255;

/// Validates one JSON value for `field`; `Ok(None)` is SQL NULL.
pub fn from_json(field: &Field, raw: &RawValue) -> Result<Option<String>, ApiError> {
    let mut text = raw.get().trim();
    let attachments;
    if field.field_type == FieldType::File {
        attachments = self::attachments(field, text)?;
        text = attachments.as_deref().unwrap_or("null");
    }
    if text == "null" {
        return if field.required {
            Err(invalid(field, "required", format!("Field '{}' is required and cannot be null.", field.name)))
        } else {
            Ok(None)
        };
    }
    let value = match field.field_type {
        FieldType::Number => is_number(text).then(|| text.to_owned()),
        FieldType::Boolean => matches!(text, "true" | "false").then(|| text.to_owned()),
        FieldType::MultiSelect => return multi_select(field, text).map(Some),
        FieldType::Json | FieldType::File => Some(text.to_owned()),
        _ => match serde_json::from_str::<String>(text) {
            Ok(string) => return from_text(field, &string).map(Some),
            Err(_) => None,
        },
    };
    value.map(Some).ok_or_else(|| type_error(field))
}

/// A JSON value's text form as a SQL parameter: a string unquoted, anything else as JSON
/// (how defaults and rule bounds are bound).
pub fn json_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Validates a query-string value for `field` (filters, cursors are not client text).
/// Types without a text form (multi select, json) accept one option / nothing here.
pub fn from_text(field: &Field, text: &str) -> Result<String, ApiError> {
    let valid = match field.field_type {
        FieldType::Text | FieldType::LongText => !text.contains('\0'),
        FieldType::Number => is_number(text),
        FieldType::Boolean => matches!(text, "true" | "false"),
        FieldType::Date => is_date(text),
        FieldType::Datetime => is_datetime(text),
        FieldType::Email => is_email(text),
        FieldType::Url => is_url(text),
        FieldType::SingleSelect | FieldType::MultiSelect => {
            if !field.options.iter().any(|option| option == text) {
                return Err(not_an_option(field, text));
            }
            true
        }
        FieldType::Json | FieldType::File => false,
        FieldType::Uuid | FieldType::Link => is_uuid(text),
    };
    if !valid {
        return Err(type_error(field));
    }
    // UUIDs are stored in Postgres's canonical form; normalize so they round-trip exactly.
    Ok(match field.field_type {
        FieldType::Uuid | FieldType::Link => text.to_ascii_lowercase(),
        _ => text.to_owned(),
    })
}

/// A multi select is a JSON array of distinct options; stored as that array.
fn multi_select(field: &Field, text: &str) -> Result<String, ApiError> {
    let items: Vec<String> = serde_json::from_str(text).map_err(|_| type_error(field))?;
    for (index, item) in items.iter().enumerate() {
        if !field.options.contains(item) {
            return Err(not_an_option(field, item));
        }
        if items[..index].contains(item) {
            return Err(invalid(field, "duplicate_option", format!("Field '{}' lists '{item}' twice.", field.name)));
        }
    }
    Ok(serde_json::to_string(&items).expect("strings always serialize"))
}

/// One attachment as a write names it; what else a client sends back from a read
/// (`size`, `content_type`, `url`) is the server's to fill in and is ignored.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum AttachmentRef {
    Id(String),
    Object {
        id: String,
        #[serde(default)]
        name: Option<String>,
    },
}

/// A file field's value as stored before the origin resolves it: `[{"id", "name"?}]`
/// with distinct ids; an empty array is NULL (`None`).
fn attachments(field: &Field, text: &str) -> Result<Option<String>, ApiError> {
    if text == "null" {
        return Ok(None);
    }
    let items: Vec<AttachmentRef> = serde_json::from_str(text).map_err(|_| type_error(field))?;
    if items.len() > MAX_ATTACHMENTS {
        return Err(invalid(
            field,
            "too_many_files",
            format!("Field '{}' holds at most {MAX_ATTACHMENTS} files.", field.name),
        ));
    }
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let (id, name) = match item {
            AttachmentRef::Id(id) => (id, None),
            AttachmentRef::Object { id, name } => (id, name),
        };
        let id = uuid::Uuid::try_parse(&id).map_err(|_| type_error(field))?;
        if let Some(name) = &name
            && (name.is_empty() || name.chars().count() > MAX_FILE_NAME || name.chars().any(char::is_control))
        {
            return Err(invalid(
                field,
                "invalid_name",
                format!(
                    "A file name in '{}' is 1 to {MAX_FILE_NAME} characters without control characters.",
                    field.name
                ),
            ));
        }
        if out.iter().any(|seen: &serde_json::Value| seen["id"] == id.to_string()) {
            return Err(invalid(field, "duplicate_file", format!("Field '{}' lists file {id} twice.", field.name)));
        }
        let mut object = serde_json::json!({ "id": id.to_string() });
        if let Some(name) = name {
            object["name"] = name.into();
        }
        out.push(object);
    }
    Ok((!out.is_empty()).then(|| serde_json::Value::from(out).to_string()))
}

fn not_an_option(field: &Field, value: &str) -> ApiError {
    invalid(
        field,
        "invalid_option",
        format!("'{value}' is not an option of field '{}'; options: {}.", field.name, field.options.join(", ")),
    )
    .with("options", field.options.clone())
}

fn type_error(field: &Field) -> ApiError {
    let expected = match field.field_type {
        FieldType::Text | FieldType::LongText => "a string without NUL characters",
        FieldType::Number => "a number (JSON number; at most 200 characters and exponent 1000)",
        FieldType::Boolean => "true or false",
        FieldType::Date => "a date YYYY-MM-DD, e.g. 2025-01-31",
        FieldType::Datetime => "an RFC 3339 date-time with offset, e.g. 2025-01-31T12:00:00Z",
        FieldType::Email => "an email address, e.g. ops@example.com",
        FieldType::Url => "an http(s) URL, e.g. https://example.com/",
        FieldType::SingleSelect => "one of its options, as a string",
        FieldType::MultiSelect => "an array of its options",
        FieldType::Json => "a JSON value",
        FieldType::Uuid => "a UUID, e.g. 3ca3dfad-2a40-4d1a-a9e1-0dca1d4fcd25",
        FieldType::Link => "the id of a record of the linked table (a UUID), or null",
        FieldType::File => "an array of attachments, each an uploaded file's id or {\"id\": …, \"name\": …}",
    };
    invalid(field, "invalid_type", format!("Field '{}' must be {expected}.", field.name))
}

/// A 422 about one field; `details.reason` is a machine-readable reason.
pub fn invalid(field: &Field, reason: &str, message: String) -> ApiError {
    ApiError::new(ErrorCode::ValidationError, message)
        .with("field", field.name.as_str())
        .with("type", field.field_type.as_str())
        .with("reason", reason)
}

pub fn is_uuid(text: &str) -> bool {
    text.len() == 36 && uuid::Uuid::try_parse(text).is_ok()
}

pub fn is_date(text: &str) -> bool {
    text.len() == 10 && is_datetime(&format!("{text}T00:00:00Z"))
}

/// A pragmatic address check: one `@`, a non-empty local part without spaces, and a
/// dotted domain of letters, digits and hyphens. At most 254 characters.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else { return false };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local.chars().all(|c| {
            c.is_ascii_graphic() && !matches!(c, '@' | '"' | '(' | ')' | ',' | ':' | ';' | '<' | '>' | '[' | ']' | '\\')
        })
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
    text.len() <= 254 && local_ok && domain_ok
}

/// An absolute `http` or `https` URL with a host, no whitespace or control characters, at most 2,048 characters.
pub fn is_url(text: &str) -> bool {
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &text[8..]
    } else if lower.starts_with("http://") {
        &text[7..]
    } else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    text.len() <= 2048
        && !host.is_empty()
        && !host.starts_with(':')
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// JSON number grammar, bounded so Postgres `numeric` always accepts it.
pub fn is_number(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.is_empty() || bytes.len() > MAX_NUMBER_LEN {
        return false;
    }
    let mut pos = usize::from(bytes[0] == b'-');
    let digits = |pos: &mut usize| {
        let start = *pos;
        while *pos < bytes.len() && bytes[*pos].is_ascii_digit() {
            *pos += 1;
        }
        *pos - start
    };
    let int_start = pos;
    let n_int = digits(&mut pos);
    if n_int == 0 || (n_int > 1 && bytes[int_start] == b'0') {
        return false;
    }
    if pos < bytes.len() && bytes[pos] == b'.' {
        pos += 1;
        if digits(&mut pos) == 0 {
            return false;
        }
    }
    if pos < bytes.len() && (bytes[pos] == b'e' || bytes[pos] == b'E') {
        pos += 1;
        let exp_start = pos;
        if pos < bytes.len() && (bytes[pos] == b'+' || bytes[pos] == b'-') {
            pos += 1;
        }
        if digits(&mut pos) == 0 {
            return false;
        }
        let exponent: i64 = text[exp_start..pos].parse().unwrap_or(i64::MAX);
        if exponent.abs() > MAX_EXPONENT {
            return false;
        }
    }
    pos == bytes.len()
}

/// RFC 3339 date-time with a mandatory offset: `2025-01-31T12:00:00Z`,
/// `2025-01-31T12:00:00.123456+02:00`. Calendar-checked, years 0001–9999.
pub fn is_datetime(text: &str) -> bool {
    let b = text.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(range)?;
        part.iter().all(u8::is_ascii_digit).then(|| part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) =
        (num(0..4), num(5..7), num(8..10), num(11..13), num(14..16), num(17..19))
    else {
        return false;
    };
    let separators = b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && matches!(b.get(10), Some(b'T' | b't' | b' '))
        && b.get(13) == Some(&b':')
        && b.get(16) == Some(&b':');
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let in_range = year >= 1
        && (1..=12).contains(&month)
        && day >= 1
        && day <= month_days[(month.max(1) - 1) as usize]
        && hour <= 23
        && minute <= 59
        && second <= 59;
    if !(separators && in_range) {
        return false;
    }
    let mut pos = 19;
    if b.get(pos) == Some(&b'.') {
        pos += 1;
        let start = pos;
        while b.get(pos).is_some_and(u8::is_ascii_digit) {
            pos += 1;
        }
        // Postgres keeps microseconds; more digits would be silently rounded.
        if pos == start || pos - start > 6 {
            return false;
        }
    }
    match b.get(pos) {
        Some(b'Z' | b'z') => pos + 1 == b.len(),
        Some(b'+' | b'-') => {
            let offset_ok = num(pos + 1..pos + 3).is_some_and(|h| h <= 23)
                && b.get(pos + 3) == Some(&b':')
                && num(pos + 4..pos + 6).is_some_and(|m| m <= 59);
            offset_ok && pos + 6 == b.len()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::FieldId;
    use uuid::Uuid;

    fn field(field_type: FieldType, required: bool) -> Field {
        let options = if field_type.has_options() { vec!["red".into(), "green".into()] } else { Vec::new() };
        Field { required, options, ..Field::new(FieldId(Uuid::nil()), "f", field_type) }
    }

    fn json(field_type: FieldType, raw: &str) -> Result<Option<String>, ErrorCode> {
        let raw = RawValue::from_string(raw.to_owned()).expect("valid json");
        from_json(&field(field_type, false), &raw).map_err(|e| e.code)
    }

    #[test]
    fn json_values() {
        assert_eq!(json(FieldType::Text, r#""a\"b""#), Ok(Some("a\"b".into())));
        assert_eq!(json(FieldType::Text, "1"), Err(ErrorCode::ValidationError));
        assert_eq!(json(FieldType::Number, "12.50"), Ok(Some("12.50".into())));
        assert_eq!(json(FieldType::Number, "-1e3"), Ok(Some("-1e3".into())));
        assert_eq!(json(FieldType::Number, r#""12""#), Err(ErrorCode::ValidationError));
        assert_eq!(json(FieldType::Number, "1e1001"), Err(ErrorCode::ValidationError));
        assert_eq!(json(FieldType::Boolean, "true"), Ok(Some("true".into())));
        assert_eq!(json(FieldType::Boolean, "1"), Err(ErrorCode::ValidationError));
        assert_eq!(json(FieldType::Datetime, r#""2024-02-29T00:00:00Z""#), Ok(Some("2024-02-29T00:00:00Z".into())));
        assert_eq!(json(FieldType::Datetime, r#""2023-02-29T00:00:00Z""#), Err(ErrorCode::ValidationError));
        assert_eq!(json(FieldType::Text, "null"), Ok(None));
        assert_eq!(json(FieldType::Text, r#""a\u0000b""#), Err(ErrorCode::ValidationError));
    }

    #[test]
    fn every_type() {
        let cases: [(FieldType, &[&str], &[&str]); 10] = [
            (FieldType::LongText, &[r#""line 1\nline 2""#], &["1", "[]"]),
            (FieldType::Date, &[r#""2024-02-29""#], &[r#""2023-02-29""#, r#""2024-02-29T00:00:00Z""#, r#""24-1-1""#]),
            (
                FieldType::Email,
                &[r#""ops@acme.com""#, r#""a.b+c@x-y.co.uk""#],
                &[r#""ops@acme""#, r#""a b@c.d""#, r#""@c.d""#, r#""a@@c.d""#, r#""a@-c.d""#],
            ),
            (
                FieldType::Url,
                &[r#""https://example.com/a?b=c""#, r#""HTTP://x""#],
                &[r#""ftp://x""#, r#""https://""#, r#""https://a b""#, r#""javascript:alert(1)""#],
            ),
            (FieldType::SingleSelect, &[r#""red""#], &[r#""blue""#, r#""Red""#, "1"]),
            (
                FieldType::MultiSelect,
                &[r#"["green","red"]"#, "[]"],
                &[r#""red""#, r#"["red","red"]"#, r#"["blue"]"#, "[1]"],
            ),
            (FieldType::Json, &[r#"{"a":[1,2.50,{"b":null}]}"#, "1", r#""s""#, "true"], &[]),
            (
                FieldType::Uuid,
                &[r#""3ca3dfad-2a40-4d1a-a9e1-0dca1d4fcd25""#],
                &[r#""3ca3dfad2a404d1aa9e10dca1d4fcd25""#, r#""x""#],
            ),
            (FieldType::Number, &["0.1", "123456789012345678901234567890.123456789"], &["1e1001", r#""1""#]),
            (FieldType::Boolean, &["false"], &[r#""true""#, "0"]),
        ];
        for (field_type, good, bad) in cases {
            for raw in good {
                assert!(json(field_type, raw).is_ok(), "{field_type:?} {raw}");
            }
            for raw in bad {
                assert_eq!(json(field_type, raw), Err(ErrorCode::ValidationError), "{field_type:?} {raw}");
            }
        }
        assert_eq!(
            json(FieldType::Uuid, r#""3CA3DFAD-2A40-4D1A-A9E1-0DCA1D4FCD25""#),
            Ok(Some("3ca3dfad-2a40-4d1a-a9e1-0dca1d4fcd25".into()))
        );
        assert_eq!(json(FieldType::MultiSelect, r#"[ "green" , "red" ]"#), Ok(Some(r#"["green","red"]"#.into())));
    }

    #[test]
    fn required_rejects_null() {
        let raw = RawValue::from_string("null".into()).expect("json");
        let error = from_json(&field(FieldType::Text, true), &raw).expect_err("required");
        assert_eq!(error.details.get("field").and_then(|v| v.as_str()), Some("f"));
    }

    #[test]
    fn numbers() {
        for good in ["0", "-0", "10", "3.14", "1E5", "2e-3", "-12.0e+2"] {
            assert!(is_number(good), "{good}");
        }
        for bad in ["", "-", "01", "1.", ".5", "+1", "1e", "NaN", "Infinity", "1_000", "0x10", " 1"] {
            assert!(!is_number(bad), "{bad}");
        }
    }

    #[test]
    fn datetimes() {
        for good in [
            "2025-01-31T12:00:00Z",
            "2025-01-31t12:00:00z",
            "2025-01-31 12:00:00+02:00",
            "2025-12-31T23:59:59.123456-11:30",
        ] {
            assert!(is_datetime(good), "{good}");
        }
        for bad in [
            "2025-01-31",
            "2025-01-31T12:00:00",
            "2025-13-01T00:00:00Z",
            "2025-04-31T00:00:00Z",
            "2025-01-31T24:00:00Z",
            "2025-01-31T12:00:00.Z",
            "2025-01-31T12:00:00.1234567Z",
            "0000-01-01T00:00:00Z",
            "2025-01-31T12:00:00+2:00",
            "2025-01-31T12:00:00Zjunk",
            "２０２５-01-31T12:00:00Z",
        ] {
            assert!(!is_datetime(bad), "{bad}");
        }
    }

    #[test]
    fn filter_text() {
        assert_eq!(from_text(&field(FieldType::Number, false), "100").map_err(|e| e.code), Ok("100".into()));
        assert_eq!(
            from_text(&field(FieldType::Number, false), "abc").map_err(|e| e.code),
            Err(ErrorCode::ValidationError)
        );
        assert_eq!(from_text(&field(FieldType::Text, false), "").map_err(|e| e.code), Ok(String::new()));
    }
}
