//! The records query language, parsed from the URL query string into a [`RecordsQuery`].
//!
//! Parsing is syntax only: field names stay strings here and are resolved against the
//! catalog by [`crate::plan`], which is also where values are type-checked.

use crate::error::{ApiError, ErrorCode};

pub const DEFAULT_LIMIT: u32 = 100;
pub const MAX_LIMIT: u32 = 1000;
/// Bounds the work one query string can ask for.
pub const MAX_FILTERS: usize = 32;

/// A parsed `GET /v1/tables/{tableId}/records` query.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordsQuery {
    pub limit: u32,
    pub filters: Vec<Filter>,
    pub cursor: Option<String>,
}

/// One `filter[field][op]=value`.
#[derive(Clone, Debug, PartialEq)]
pub struct Filter {
    pub field: String,
    pub op: Op,
    pub value: String,
}

/// Comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Gte,
    Lt,
    Lte,
}

impl Op {
    pub fn parse(text: &str) -> Option<Op> {
        Some(match text {
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            "gt" => Op::Gt,
            "gte" => Op::Gte,
            "lt" => Op::Lt,
            "lte" => Op::Lte,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::Ne => "ne",
            Op::Gt => "gt",
            Op::Gte => "gte",
            Op::Lt => "lt",
            Op::Lte => "lte",
        }
    }
}

/// Parses the raw (still percent-encoded) query string of a list request.
pub fn parse_records_query(raw: &str) -> Result<RecordsQuery, ApiError> {
    let mut query = RecordsQuery { limit: DEFAULT_LIMIT, filters: Vec::new(), cursor: None };
    let mut seen_limit = false;
    for (key, value) in pairs(raw)? {
        match key.as_str() {
            "limit" => {
                if std::mem::replace(&mut seen_limit, true) {
                    return Err(duplicate("limit"));
                }
                query.limit = parse_limit(&value)?;
            }
            "cursor" => {
                if query.cursor.replace(value).is_some() {
                    return Err(duplicate("cursor"));
                }
            }
            _ if key.starts_with("filter[") => {
                if query.filters.len() == MAX_FILTERS {
                    return Err(ApiError::new(
                        ErrorCode::InvalidQuery,
                        format!("At most {MAX_FILTERS} filters are allowed."),
                    )
                    .with("max", MAX_FILTERS));
                }
                query.filters.push(parse_filter(&key, value)?);
            }
            _ => {
                return Err(ApiError::new(
                    ErrorCode::InvalidQuery,
                    format!("Unknown query parameter '{key}'. Supported: limit, cursor, filter[field][op]."),
                )
                .with("parameter", key));
            }
        }
    }
    Ok(query)
}

fn duplicate(name: &str) -> ApiError {
    ApiError::new(ErrorCode::InvalidQuery, format!("Query parameter '{name}' is given more than once."))
        .with("parameter", name)
}

fn parse_limit(value: &str) -> Result<u32, ApiError> {
    let bad = || {
        ApiError::new(ErrorCode::InvalidQuery, format!("'limit' must be an integer from 1 to {MAX_LIMIT}."))
            .with("parameter", "limit")
    };
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    match value.parse::<u64>() {
        Ok(0) => Err(bad()),
        Ok(n) if n <= u64::from(MAX_LIMIT) => Ok(n as u32),
        _ => Err(ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!("'limit' is at most {MAX_LIMIT}; page with 'cursor', or use CSV export for bulk reads."),
        )
        .with("parameter", "limit")
        .with("max", MAX_LIMIT)),
    }
}

fn parse_filter(key: &str, value: String) -> Result<Filter, ApiError> {
    let bad = || {
        ApiError::new(ErrorCode::InvalidQuery, format!("Malformed filter '{key}'; write filter[field][op]=value."))
            .with("parameter", key)
    };
    let inner = key.strip_prefix("filter[").and_then(|rest| rest.strip_suffix(']')).ok_or_else(bad)?;
    let (field, op) = inner.split_once("][").ok_or_else(bad)?;
    if field.is_empty() || field.contains(['[', ']']) || op.contains(['[', ']']) {
        return Err(bad());
    }
    let op = Op::parse(op).ok_or_else(|| {
        ApiError::new(
            ErrorCode::InvalidQuery,
            format!("Unknown filter operator '{op}'. Supported: eq, ne, gt, gte, lt, lte."),
        )
        .with("parameter", key)
        .with("operator", op)
    })?;
    Ok(Filter { field: field.to_owned(), op, value })
}

/// Splits and percent-decodes `a=1&b=2`; `+` is a space as in HTML forms.
pub fn pairs(raw: &str) -> Result<Vec<(String, String)>, ApiError> {
    raw.split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            Ok((percent_decode(key)?, percent_decode(value)?))
        })
        .collect()
}

/// Decodes `%XX` escapes and `+`; the result must be UTF-8.
pub fn percent_decode(text: &str) -> Result<String, ApiError> {
    let bad =
        || ApiError::new(ErrorCode::InvalidQuery, "The query string has a malformed percent-escape or is not UTF-8.");
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).ok_or_else(bad)?;
                let high = (hex[0] as char).to_digit(16).ok_or_else(bad)?;
                let low = (hex[1] as char).to_digit(16).ok_or_else(bad)?;
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{Expect, expect};

    fn check(raw: &str, expected: Expect) {
        let actual = match parse_records_query(raw) {
            Ok(query) => format!("{query:?}"),
            Err(error) => format!("{} {}", error.status(), error),
        };
        expected.assert_eq(&actual);
    }

    #[test]
    fn defaults() {
        check("", expect![[r#"RecordsQuery { limit: 100, filters: [], cursor: None }"#]]);
    }

    #[test]
    fn limit_and_filter() {
        check(
            "limit=2&filter%5Bname%5D%5Beq%5D=Acme+Corp&filter[amount][gte]=10",
            expect![[
                r#"RecordsQuery { limit: 2, filters: [Filter { field: "name", op: Eq, value: "Acme Corp" }, Filter { field: "amount", op: Gte, value: "10" }], cursor: None }"#
            ]],
        );
    }

    #[test]
    fn limit_bounds() {
        check("limit=0", expect![[r#"400 INVALID_QUERY: 'limit' must be an integer from 1 to 1000."#]]);
        check("limit=-1", expect![[r#"400 INVALID_QUERY: 'limit' must be an integer from 1 to 1000."#]]);
        check(
            "limit=1001",
            expect![[
                r#"413 PAYLOAD_TOO_LARGE: 'limit' is at most 1000; page with 'cursor', or use CSV export for bulk reads."#
            ]],
        );
        check(
            "limit=99999999999999999999999",
            expect![[
                r#"413 PAYLOAD_TOO_LARGE: 'limit' is at most 1000; page with 'cursor', or use CSV export for bulk reads."#
            ]],
        );
        check("limit=1&limit=2", expect![[r#"400 INVALID_QUERY: Query parameter 'limit' is given more than once."#]]);
    }

    #[test]
    fn malformed() {
        check(
            "filter[name]=x",
            expect![[r#"400 INVALID_QUERY: Malformed filter 'filter[name]'; write filter[field][op]=value."#]],
        );
        check(
            "filter[name][like]=x",
            expect![[r#"400 INVALID_QUERY: Unknown filter operator 'like'. Supported: eq, ne, gt, gte, lt, lte."#]],
        );
        check(
            "order=name",
            expect![[
                r#"400 INVALID_QUERY: Unknown query parameter 'order'. Supported: limit, cursor, filter[field][op]."#
            ]],
        );
        check(
            "limit=%ZZ",
            expect![[r#"400 INVALID_QUERY: The query string has a malformed percent-escape or is not UTF-8."#]],
        );
        check(
            "limit=%FF",
            expect![[r#"400 INVALID_QUERY: The query string has a malformed percent-escape or is not UTF-8."#]],
        );
    }
}
