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

/// Validates one JSON value for `field`; `Ok(None)` is SQL NULL.
pub fn from_json(field: &Field, raw: &RawValue) -> Result<Option<String>, ApiError> {
    let text = raw.get().trim();
    if text == "null" {
        return if field.required {
            Err(invalid(field, format!("Field '{}' is required and cannot be null.", field.name)))
        } else {
            Ok(None)
        };
    }
    let value = match field.field_type {
        FieldType::Text => serde_json::from_str::<String>(text).ok(),
        FieldType::Number => is_number(text).then(|| text.to_owned()),
        FieldType::Boolean => matches!(text, "true" | "false").then(|| text.to_owned()),
        FieldType::Datetime => serde_json::from_str::<String>(text).ok().filter(|s| is_datetime(s)),
    };
    value.map(Some).ok_or_else(|| type_error(field))
}

/// Validates a query-string value (as in `filter[amount][eq]=100`) for `field`.
pub fn from_text(field: &Field, text: &str) -> Result<String, ApiError> {
    let valid = match field.field_type {
        FieldType::Text => true,
        FieldType::Number => is_number(text),
        FieldType::Boolean => matches!(text, "true" | "false"),
        FieldType::Datetime => is_datetime(text),
    };
    if valid { Ok(text.to_owned()) } else { Err(type_error(field)) }
}

fn type_error(field: &Field) -> ApiError {
    let expected = match field.field_type {
        FieldType::Text => "a string",
        FieldType::Number => "a number",
        FieldType::Boolean => "true or false",
        FieldType::Datetime => "an RFC 3339 date-time with offset, e.g. 2025-01-31T12:00:00Z",
    };
    invalid(field, format!("Field '{}' must be {expected}.", field.name))
}

fn invalid(field: &Field, message: String) -> ApiError {
    ApiError::new(ErrorCode::ValidationError, message)
        .with("field", field.name.as_str())
        .with("type", field.field_type.as_str())
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
        Field { id: FieldId(Uuid::nil()), name: "f".into(), field_type, required }
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
