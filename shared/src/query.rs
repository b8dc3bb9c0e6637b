//! The records query language, parsed from the URL query string into a [`RecordsQuery`].
//!
//! Parsing is syntax only: field names stay strings here and are resolved against the
//! catalog by [`crate::plan`], which is also where values are type-checked.

use crate::error::{ApiError, ErrorCode};
use serde_json::value::RawValue;

pub const DEFAULT_LIMIT: u32 = 100;
pub const MAX_LIMIT: u32 = 1000;
/// Bytes of the decoded `where` parameter.
pub const MAX_WHERE_BYTES: usize = 8 * 1024;
// The bounds on what a query may ask for (conditions, nesting, sort keys, list sizes)
// are checked by `crate::plan`, the same for every path; parsing only stops early where
// its own work would otherwise grow (the `where` text and its nesting).
use crate::plan::MAX_WHERE_DEPTH;

/// A parsed records query; names are not yet resolved.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RecordsQuery {
    /// `None` when not given: lists default to [`DEFAULT_LIMIT`], bulk deletes refuse it.
    pub limit: Option<u32>,
    /// `filter[field][op]=value` conditions, all of which must hold.
    pub filters: Vec<Filter>,
    /// The `where` tree, which must hold as well.
    pub filter_where: Option<Where>,
    pub sort: Vec<SortSpec>,
    /// `fields=` projection; `None` returns every field.
    pub fields: Option<Vec<String>>,
    pub cursor: Option<String>,
    /// `ids[]=` (repeatable) or `ids=a,b`: the records a bulk delete names.
    pub ids: Vec<String>,
    /// `include=customer,orders.customer`: relations to embed in each record.
    pub include: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Filter {
    pub field: String,
    pub op: Op,
    pub value: FilterValue,
}

/// A condition's operand before type checking: one value, or a list for `in` and `between`.
#[derive(Clone, Debug, PartialEq)]
pub enum FilterValue {
    One(String),
    List(Vec<String>),
    /// `{"var": "user.email"}`: a caller's value, in policy conditions only.
    Var(crate::catalog::Var),
}

/// A boolean tree of conditions (`where=`).
#[derive(Clone, Debug, PartialEq)]
pub enum Where {
    And(Vec<Where>),
    Or(Vec<Where>),
    Not(Box<Where>),
    Leaf(Filter),
}

#[derive(Clone, Debug, PartialEq)]
pub struct SortSpec {
    pub field: String,
    pub descending: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Gte,
    Lt,
    Lte,
    In,
    Between,
    Contains,
    StartsWith,
    IsNull,
}

impl Op {
    pub const ALL: [Op; 11] = [
        Op::Eq,
        Op::Ne,
        Op::Gt,
        Op::Gte,
        Op::Lt,
        Op::Lte,
        Op::In,
        Op::Between,
        Op::Contains,
        Op::StartsWith,
        Op::IsNull,
    ];

    pub fn parse(text: &str) -> Option<Op> {
        Op::ALL.into_iter().find(|op| op.as_str() == text)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::Ne => "ne",
            Op::Gt => "gt",
            Op::Gte => "gte",
            Op::Lt => "lt",
            Op::Lte => "lte",
            Op::In => "in",
            Op::Between => "between",
            Op::Contains => "contains",
            Op::StartsWith => "starts_with",
            Op::IsNull => "is_null",
        }
    }

    pub(crate) fn takes_list(self) -> bool {
        matches!(self, Op::In | Op::Between)
    }
}

fn supported_ops() -> String {
    Op::ALL.map(Op::as_str).join(", ")
}

pub fn parse_records_query(raw: &str) -> Result<RecordsQuery, ApiError> {
    let mut query = RecordsQuery::default();
    let mut seen = Vec::new();
    for (key, value) in pairs(raw)? {
        if key == "ids[]" {
            query.ids.push(value);
            continue;
        }
        if !key.starts_with("filter[") {
            if seen.contains(&key) {
                return Err(duplicate(&key));
            }
            seen.push(key.clone());
        }
        match key.as_str() {
            "limit" => query.limit = Some(parse_limit(&value)?),
            "cursor" => query.cursor = Some(value),
            "sort" => query.sort = parse_sort(&value)?,
            "fields" => query.fields = Some(parse_fields(&value)?),
            "include" => query.include = parse_include(&value)?,
            "where" => query.filter_where = Some(parse_where(&value)?),
            "ids" => query.ids.extend(value.split(',').map(str::to_owned)),
            _ if key.starts_with("filter[") => query.filters.push(parse_filter(&key, value)?),
            _ => {
                return Err(ApiError::new(
                    ErrorCode::InvalidQuery,
                    format!(
                        "Unknown query parameter '{key}'. Supported: limit, cursor, sort, fields, include, where, filter[field][op] (and ids[] on DELETE)."
                    ),
                )
                .with("parameter", key));
            }
        }
    }
    Ok(query)
}

/// Parses a query string that may hold only `name`, at most once (`fields` on a
/// single-record GET, `unique` on a batch upsert).
pub fn single_parameter(raw: &str, name: &str) -> Result<Option<String>, ApiError> {
    let mut found = None;
    for (key, value) in pairs(raw)? {
        if key != name {
            return Err(invalid(&key, format!("Unknown query parameter '{key}'. Supported here: {name}.")));
        }
        if found.replace(value).is_some() {
            return Err(duplicate(name));
        }
    }
    Ok(found)
}

/// `fields=name,email` and `include=customer` on a single-record GET.
pub fn parse_get_query(raw: &str) -> Result<RecordsQuery, ApiError> {
    let mut query = RecordsQuery::default();
    let mut seen = Vec::new();
    for (key, value) in pairs(raw)? {
        if seen.contains(&key) {
            return Err(duplicate(&key));
        }
        match key.as_str() {
            "fields" => query.fields = Some(parse_fields(&value)?),
            "include" => query.include = parse_include(&value)?,
            _ => {
                return Err(invalid(
                    &key,
                    format!("Unknown query parameter '{key}'. Supported here: fields, include."),
                ));
            }
        }
        seen.push(key);
    }
    Ok(query)
}

fn parse_include(value: &str) -> Result<Vec<String>, ApiError> {
    name_list("include", value, "link fields (customer) or reverse links (orders.customer)")
}

fn duplicate(name: &str) -> ApiError {
    ApiError::new(ErrorCode::InvalidQuery, format!("Query parameter '{name}' is given more than once."))
        .with("parameter", name)
}

fn invalid(parameter: &str, message: String) -> ApiError {
    ApiError::new(ErrorCode::InvalidQuery, message).with("parameter", parameter)
}

fn parse_limit(value: &str) -> Result<u32, ApiError> {
    let bad = || invalid("limit", format!("'limit' must be an integer from 1 to {MAX_LIMIT}."));
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

/// `sort=created_at.desc,name.asc` or `name:desc`; a bare name sorts ascending.
fn parse_sort(value: &str) -> Result<Vec<SortSpec>, ApiError> {
    let mut keys: Vec<SortSpec> = Vec::new();
    for part in value.split(',') {
        let (field, direction) = match part.rsplit_once(['.', ':']) {
            Some((field, direction)) => (field, direction),
            None => (part, "asc"),
        };
        let descending = match direction {
            "asc" => false,
            "desc" => true,
            _ => {
                return Err(invalid(
                    "sort",
                    format!("Sort key '{part}' must be 'field', 'field.asc' or 'field.desc' (':' works too)."),
                ));
            }
        };
        if field.is_empty() {
            return Err(invalid("sort", format!("Sort key '{part}' has no field name.")));
        }
        keys.push(SortSpec { field: field.to_owned(), descending });
    }
    Ok(keys)
}

fn parse_fields(value: &str) -> Result<Vec<String>, ApiError> {
    name_list("fields", value, "field names, e.g. fields=name,email")
}

/// A comma-separated list of names without empty ones; `what` says what it lists.
fn name_list(parameter: &str, value: &str, what: &str) -> Result<Vec<String>, ApiError> {
    let names: Vec<String> = value.split(',').map(str::to_owned).collect();
    if names.iter().any(String::is_empty) {
        return Err(invalid(parameter, format!("'{parameter}' is a comma-separated list of {what}.")));
    }
    Ok(names)
}

/// One `filter[field][op]=value` pair.
pub fn parse_filter(key: &str, value: String) -> Result<Filter, ApiError> {
    let bad = || invalid(key, format!("Malformed filter '{key}'; write filter[field][op]=value."));
    let inner = key.strip_prefix("filter[").and_then(|rest| rest.strip_suffix(']')).ok_or_else(bad)?;
    let (field, op) = inner.split_once("][").ok_or_else(bad)?;
    if field.is_empty() || field.contains(['[', ']']) || op.contains(['[', ']']) {
        return Err(bad());
    }
    let op = parse_op(op, key)?;
    let value = if op.takes_list() { FilterValue::List(split_list(key, op, &value)?) } else { FilterValue::One(value) };
    Ok(Filter { field: field.to_owned(), op, value })
}

fn parse_op(op: &str, parameter: &str) -> Result<Op, ApiError> {
    Op::parse(op).ok_or_else(|| {
        invalid(parameter, format!("Unknown filter operator '{op}'. Supported: {}.", supported_ops()))
            .with("operator", op)
    })
}

/// `in` takes `a,b,c` or, for values with commas, a JSON array of strings; `between` takes `low,high`.
fn split_list(parameter: &str, op: Op, value: &str) -> Result<Vec<String>, ApiError> {
    let items: Vec<String> = if value.starts_with('[') {
        serde_json::from_str(value)
            .map_err(|_| invalid(parameter, format!("The value of '{parameter}' is not a JSON array of strings.")))?
    } else {
        value.split(',').map(str::to_owned).collect()
    };
    check_list(parameter, op, items)
}

fn check_list(parameter: &str, op: Op, items: Vec<String>) -> Result<Vec<String>, ApiError> {
    match op {
        Op::Between if items.len() != 2 => {
            Err(invalid(parameter, format!("'between' takes exactly two values, low and high; got {}.", items.len())))
        }
        Op::In if items.is_empty() => Err(invalid(parameter, "'in' takes at least one value.".to_owned())),
        _ => Ok(items),
    }
}

impl Where {
    /// The number of conditions in the tree.
    pub fn leaves(&self) -> usize {
        match self {
            Where::And(children) | Where::Or(children) => children.iter().map(Where::leaves).sum(),
            Where::Not(child) => child.leaves(),
            Where::Leaf(_) => 1,
        }
    }

    /// Levels of `and`/`or`/`not` above the deepest condition, plus one.
    pub fn depth(&self) -> usize {
        match self {
            Where::And(children) | Where::Or(children) => 1 + children.iter().map(Where::depth).max().unwrap_or(0),
            Where::Not(child) => 1 + child.depth(),
            Where::Leaf(_) => 1,
        }
    }
}

/// `where={"and":[{"field":"amount","op":"gt","value":100},{"not":{"field":"status","op":"eq","value":"churned"}}]}`
fn parse_where(value: &str) -> Result<Where, ApiError> {
    if value.len() > MAX_WHERE_BYTES {
        return Err(ApiError::new(
            ErrorCode::InvalidQuery,
            format!("'where' is over {MAX_WHERE_BYTES} bytes; simplify the condition."),
        )
        .with("parameter", "where")
        .with("max_bytes", MAX_WHERE_BYTES));
    }
    let root: &RawValue = serde_json::from_str(value)
        .map_err(|error| invalid("where", format!("'where' is not valid JSON: {error}.")))?;
    where_node(root, "where", 1, false)
}

/// A condition tree in the `where` form given inside a request body (a record rule's
/// `when`/`then`, a policy's `rows`) at `path`; with `vars`, a value may be a caller
/// variable, `{"var": "user.email"}`.
pub fn parse_condition(node: &serde_json::Value, path: &str, vars: bool) -> Result<Where, ApiError> {
    let node = serde_json::value::to_raw_value(node)
        .map_err(|_| ApiError::new(ErrorCode::ValidationError, format!("{path} is not a condition.")))?;
    if node.get().len() > MAX_WHERE_BYTES {
        return Err(ApiError::new(
            ErrorCode::ValidationError,
            format!("{path} is over {MAX_WHERE_BYTES} bytes; simplify the condition."),
        )
        .with("path", path));
    }
    where_node(&node, path, 1, vars).map_err(|mut error| {
        error.details.remove("parameter");
        ApiError { code: ErrorCode::ValidationError, ..error }
    })
}

/// `{"var": "<name>"}` as a variable.
fn variable(raw: &RawValue) -> Option<crate::catalog::Var> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Named<'a> {
        var: &'a str,
    }
    crate::catalog::Var::parse(serde_json::from_str::<Named<'_>>(raw.get()).ok()?.var)
}

/// Walks the tree on raw JSON so that numbers keep every digit.
fn where_node(node: &RawValue, path: &str, depth: usize, vars: bool) -> Result<Where, ApiError> {
    let bad = |message: String| invalid("where", message).with("path", path);
    if depth > MAX_WHERE_DEPTH {
        return Err(
            bad(format!("'where' nests deeper than {MAX_WHERE_DEPTH} levels.")).with("max_depth", MAX_WHERE_DEPTH)
        );
    }
    let object: Vec<(String, &RawValue)> =
        serde_json::from_str::<std::collections::BTreeMap<String, &RawValue>>(node.get())
            .map_err(|_| bad(format!("{path} must be a JSON object.")))?
            .into_iter()
            .collect();
    let group = |key: &str, raw: &RawValue| -> Result<Vec<Where>, ApiError> {
        let children: Vec<&RawValue> = serde_json::from_str(raw.get()).unwrap_or_default();
        if children.is_empty() {
            return Err(bad(format!("{path}.{key} must be a non-empty array of conditions.")));
        }
        children
            .iter()
            .enumerate()
            .map(|(i, child)| where_node(child, &format!("{path}.{key}[{i}]"), depth + 1, vars))
            .collect()
    };
    match object.as_slice() {
        [(key, raw)] if key == "and" => Ok(Where::And(group("and", raw)?)),
        [(key, raw)] if key == "or" => Ok(Where::Or(group("or", raw)?)),
        [(key, raw)] if key == "not" => {
            Ok(Where::Not(Box::new(where_node(raw, &format!("{path}.not"), depth + 1, vars)?)))
        }
        [(k1, field), (k2, op), (k3, value)] if (k1.as_str(), k2.as_str(), k3.as_str()) == ("field", "op", "value") => {
            let field = serde_json::from_str::<String>(field.get()).ok().filter(|field| !field.is_empty());
            let field = field.ok_or_else(|| bad(format!("{path}.field must be a field name.")))?;
            let op = serde_json::from_str::<String>(op.get())
                .map_err(|_| bad(format!("{path}.op must be an operator name.")))?;
            let op = parse_op(&op, "where").map_err(|error| error.with("path", path))?;
            let value = if op.takes_list() {
                let items: Option<Vec<String>> = serde_json::from_str::<Vec<&RawValue>>(value.get())
                    .ok()
                    .and_then(|items| items.into_iter().map(scalar).collect());
                let items = items
                    .ok_or_else(|| bad(format!("{path}.value must be an array of values for '{}'.", op.as_str())))?;
                FilterValue::List(check_list("where", op, items).map_err(|error| error.with("path", path))?)
            } else if let Some(var) = variable(value).filter(|_| vars) {
                FilterValue::Var(var)
            } else {
                let expected = if vars {
                    format!(
                        "a string, number, boolean or caller variable ({})",
                        crate::catalog::Var::ALL.map(|var| format!("{{\"var\": \"{}\"}}", var.as_str())).join(", ")
                    )
                } else {
                    "a string, number or boolean".to_owned()
                };
                FilterValue::One(scalar(value).ok_or_else(|| bad(format!("{path}.value must be {expected}.")))?)
            };
            Ok(Where::Leaf(Filter { field, op, value }))
        }
        _ => Err(bad(format!(
            "{path} must be {{\"and\": [...]}}, {{\"or\": [...]}}, {{\"not\": {{...}}}} or {{\"field\", \"op\", \"value\"}}."
        ))),
    }
}

/// A JSON scalar as query text: a string's content, or a number or boolean as written.
fn scalar(raw: &RawValue) -> Option<String> {
    let text = raw.get();
    match text.as_bytes().first()? {
        b'"' => serde_json::from_str(text).ok(),
        b't' | b'f' => Some(text.to_owned()),
        b'-' | b'0'..=b'9' => Some(text.to_owned()),
        _ => None,
    }
}

/// Splits the parameters named `names` off a raw query string: the rest of it, as it was,
/// and the value of each named one (the last, when repeated), in the order of `names`.
pub fn split_off<const N: usize>(raw: &str, names: [&str; N]) -> Result<(String, [Option<String>; N]), ApiError> {
    let (mut rest, mut found) = (Vec::new(), [const { None }; N]);
    for segment in raw.split('&').filter(|segment| !segment.is_empty()) {
        let pair = pairs(segment)?.pop();
        match pair.and_then(|(key, value)| Some((names.iter().position(|name| *name == key)?, value))) {
            Some((at, value)) => found[at] = Some(value),
            None => rest.push(segment),
        }
    }
    Ok((rest.join("&"), found))
}

pub fn pairs(raw: &str) -> Result<Vec<(String, String)>, ApiError> {
    raw.split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            Ok((percent_decode(key)?, percent_decode(value)?))
        })
        .collect()
}

/// Decodes a query-string component: `%XX` escapes, and `+` as a space.
pub fn percent_decode(text: &str) -> Result<String, ApiError> {
    decode(text, true)
}

/// Decodes a path segment: `%XX` escapes only (a `+` in a path is a plus).
pub fn percent_decode_path(text: &str) -> Result<String, ApiError> {
    decode(text, false)
}

/// Decodes `%XX` escapes, and `+` when `plus_is_space`; the result must be UTF-8.
fn decode(text: &str, plus_is_space: bool) -> Result<String, ApiError> {
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
            b'+' if plus_is_space => {
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

crate::json_schema::string_enum!(Op, Op::ALL, "Operator");

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
    fn named_parameters_are_split_off_a_query() {
        let (rest, [after, wait]) =
            split_off("filter[a][eq]=1&after=p%3Aq&wait=3&wait=4&fields=a", ["after", "wait"]).expect("a query");
        assert_eq!(rest, "filter[a][eq]=1&fields=a");
        assert_eq!((after.as_deref(), wait.as_deref()), (Some("p:q"), Some("4")));
        let (rest, [presence]) = split_off("", ["presence"]).expect("an empty query");
        assert_eq!((rest.as_str(), presence), ("", None));
        assert!(split_off("after=%zz", ["after"]).is_err(), "a malformed escape");
    }

    #[test]
    fn defaults() {
        check(
            "",
            expect![
                "RecordsQuery { limit: None, filters: [], filter_where: None, sort: [], fields: None, cursor: None, ids: [], include: [] }"
            ],
        );
    }

    #[test]
    fn limit_and_filter() {
        check(
            "limit=2&filter%5Bname%5D%5Beq%5D=Acme+Corp&filter[amount][gte]=10",
            expect![[
                r#"RecordsQuery { limit: Some(2), filters: [Filter { field: "name", op: Eq, value: One("Acme Corp") }, Filter { field: "amount", op: Gte, value: One("10") }], filter_where: None, sort: [], fields: None, cursor: None, ids: [], include: [] }"#
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
            expect![
                "400 INVALID_QUERY: Unknown filter operator 'like'. Supported: eq, ne, gt, gte, lt, lte, in, between, contains, starts_with, is_null."
            ],
        );
        check(
            "order=name",
            expect![
                "400 INVALID_QUERY: Unknown query parameter 'order'. Supported: limit, cursor, sort, fields, include, where, filter[field][op] (and ids[] on DELETE)."
            ],
        );
        check(
            "limit=%ZZ",
            expect![[r#"400 INVALID_QUERY: The query string has a malformed percent-escape or is not UTF-8."#]],
        );
        assert_eq!(percent_decode("a+b%2B").ok().as_deref(), Some("a b+"), "a query value");
        assert_eq!(percent_decode_path("a+b%2B").ok().as_deref(), Some("a+b+"), "a path segment");
        check(
            "limit=%FF",
            expect![[r#"400 INVALID_QUERY: The query string has a malformed percent-escape or is not UTF-8."#]],
        );
    }

    #[test]
    fn sort_fields_where_and_ids() {
        check(
            "sort=created_at.desc,name:asc,amount&fields=name,email",
            expect![[
                r#"RecordsQuery { limit: None, filters: [], filter_where: None, sort: [SortSpec { field: "created_at", descending: true }, SortSpec { field: "name", descending: false }, SortSpec { field: "amount", descending: false }], fields: Some(["name", "email"]), cursor: None, ids: [], include: [] }"#
            ]],
        );
        check(
            r#"where={"or":[{"field":"a","op":"in","value":[1,"x",true]},{"not":{"field":"b","op":"is_null","value":true}}]}"#,
            expect![[
                r#"RecordsQuery { limit: None, filters: [], filter_where: Some(Or([Leaf(Filter { field: "a", op: In, value: List(["1", "x", "true"]) }), Not(Leaf(Filter { field: "b", op: IsNull, value: One("true") }))])), sort: [], fields: None, cursor: None, ids: [], include: [] }"#
            ]],
        );
        check(
            "ids[]=a&ids[]=b&ids=c,d",
            expect![[
                r#"RecordsQuery { limit: None, filters: [], filter_where: None, sort: [], fields: None, cursor: None, ids: ["a", "b", "c", "d"], include: [] }"#
            ]],
        );
        check(
            "filter[n][between]=1",
            expect!["400 INVALID_QUERY: 'between' takes exactly two values, low and high; got 1."],
        );
        check(
            r#"filter[s][in]=["a,b","c"]"#,
            expect![[
                r#"RecordsQuery { limit: None, filters: [Filter { field: "s", op: In, value: List(["a,b", "c"]) }], filter_where: None, sort: [], fields: None, cursor: None, ids: [], include: [] }"#
            ]],
        );
        check(
            r#"where={"field":"a","op":"eq","value":null}"#,
            expect!["400 INVALID_QUERY: where.value must be a string, number or boolean."],
        );
        check(r#"where={"and":[]}"#, expect!["400 INVALID_QUERY: where.and must be a non-empty array of conditions."]);
        check(
            "sort=a.sideways",
            expect![
                "400 INVALID_QUERY: Sort key 'a.sideways' must be 'field', 'field.asc' or 'field.desc' (':' works too)."
            ],
        );
    }
}
