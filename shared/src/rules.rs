//! Field validation rules ([`FieldRules`]): checked when a builder sets them
//! ([`check_rules`]) and on every written value ([`check_value`]), by the edge before a
//! plan is made. Postgres holds the same rules as a `CHECK` constraint
//! ([`crate::ddl::set_field_check`]), all but `pattern`, whose engine here (linear time,
//! `regex-lite`) is not Postgres's; a plan is only accepted against the catalog version it
//! was checked with, so no write skips the edge's check.

use crate::catalog::{Field, FieldRules, FieldType, RecordRule, Table};
use crate::error::{ApiError, ErrorCode};
use crate::ids::FieldId;
use crate::plan::{Column, Expr};
use crate::query::Op;
use crate::value;
use std::cmp::Ordering;

/// Characters in a `pattern`.
pub const MAX_PATTERN: usize = 200;
/// Values in `allowed`.
pub const MAX_ALLOWED: usize = 1000;
/// Bytes a compiled `pattern` may take.
const PATTERN_SIZE_LIMIT: usize = 1 << 16;

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::ValidationError, message).with("field", "rules")
}

/// Whether `rules` fit a field of `field_type`: each rule applies to the type, bounds are
/// values of it, and the pattern compiles.
pub fn check_rules(name: &str, field_type: FieldType, rules: &FieldRules) -> Result<(), ApiError> {
    let textual = field_type.is_textual();
    let ordered = matches!(field_type, FieldType::Number | FieldType::Date);
    let refuse = |rule: &str, applies_to: &str| {
        Err(invalid(format!("'{rule}' applies to {applies_to} fields; '{name}' is {}.", field_type.as_str()))
            .with("rule", rule))
    };
    let text_rules = [
        ("min_length", rules.min_length.is_some()),
        ("max_length", rules.max_length.is_some()),
        ("pattern", rules.pattern.is_some()),
        ("allowed", !rules.allowed.is_empty()),
    ];
    if let Some((rule, _)) = text_rules.iter().find(|(_, set)| *set && !textual) {
        return refuse(rule, "text, long text, email and URL");
    }
    if let Some((rule, _)) =
        [("min", rules.min.is_some()), ("max", rules.max.is_some())].iter().find(|(_, set)| *set && !ordered)
    {
        return refuse(rule, "number and date");
    }
    if let (Some(low), Some(high)) = (rules.min_length, rules.max_length)
        && low > high
    {
        return Err(invalid(format!("min_length {low} is above max_length {high}.")));
    }
    let probe = Field { required: true, ..Field::new(crate::ids::FieldId(uuid::Uuid::nil()), name, field_type) };
    let bound = |rule: &str, value: &Option<serde_json::Value>| -> Result<Option<String>, ApiError> {
        let Some(value) = value else { return Ok(None) };
        let raw = serde_json::value::to_raw_value(value).map_err(|_| invalid("A bound is not JSON."))?;
        value::from_json(&probe, &raw)
            .map_err(|error| invalid(format!("'{rule}': {}", error.message)).with("rule", rule))
    };
    if let (Some(low), Some(high)) = (bound("min", &rules.min)?, bound("max", &rules.max)?)
        && compare(field_type, &low, &high) == Some(Ordering::Greater)
    {
        return Err(invalid(format!("min {low} is above max {high}.")));
    }
    if let Some(pattern) = &rules.pattern {
        compile(pattern)
            .map_err(|why| invalid(format!("'pattern' does not compile: {why}")).with("rule", "pattern"))?;
    }
    if rules.allowed.len() > MAX_ALLOWED {
        return Err(invalid(format!("'allowed' lists at most {MAX_ALLOWED} values.")).with("rule", "allowed"));
    }
    for (index, allowed) in rules.allowed.iter().enumerate() {
        if allowed.contains('\0') || rules.allowed[..index].contains(allowed) {
            return Err(
                invalid(format!("'allowed' lists '{allowed}' twice or with a NUL character.")).with("rule", "allowed")
            );
        }
    }
    Ok(())
}

fn compile(pattern: &str) -> Result<regex_lite::Regex, String> {
    if pattern.chars().count() > MAX_PATTERN {
        return Err(format!("it is longer than {MAX_PATTERN} characters"));
    }
    regex_lite::RegexBuilder::new(pattern).size_limit(PATTERN_SIZE_LIMIT).build().map_err(|error| error.to_string())
}

/// Orders two valid values of a number or date field (dates are `YYYY-MM-DD`, so their
/// text order is their order). Numbers compare as `f64`; Postgres's `numeric` decides
/// at the edge of that precision.
fn compare(field_type: FieldType, a: &str, b: &str) -> Option<Ordering> {
    match field_type {
        FieldType::Number => a.parse::<f64>().ok()?.partial_cmp(&b.parse::<f64>().ok()?),
        FieldType::Date => Some(a.cmp(b)),
        _ => None,
    }
}

/// Checks one value written to `field` (its validated text form) against its rules.
pub fn check_value(field: &Field, text: &str) -> Result<(), ApiError> {
    let rules = &field.rules;
    if rules.is_empty() {
        return Ok(());
    }
    let fail = |reason: &str, message: String| Err(value::invalid(field, reason, message));
    let length = || text.chars().count();
    if let Some(min) = rules.min_length
        && length() < min as usize
    {
        return fail("min_length", format!("Field '{}' needs at least {min} characters.", field.name));
    }
    if let Some(max) = rules.max_length
        && length() > max as usize
    {
        return fail("max_length", format!("Field '{}' takes at most {max} characters.", field.name));
    }
    if let Some(min) = &rules.min
        && compare(field.field_type, text, &value::json_text(min)) == Some(Ordering::Less)
    {
        return fail("min", format!("Field '{}' must be at least {}.", field.name, value::json_text(min)));
    }
    if let Some(max) = &rules.max
        && compare(field.field_type, text, &value::json_text(max)) == Some(Ordering::Greater)
    {
        return fail("max", format!("Field '{}' must be at most {}.", field.name, value::json_text(max)));
    }
    if !rules.allowed.is_empty() && !rules.allowed.iter().any(|allowed| allowed == text) {
        return fail("allowed", format!("Field '{}' takes one of: {}.", field.name, rules.allowed.join(", ")));
    }
    if let Some(pattern) = &rules.pattern {
        // The pattern compiled when the rule was set; one that no longer does matches nothing.
        let matched = compile(pattern).is_ok_and(|regex| regex.is_match(text));
        if !matched {
            return fail("pattern", format!("Field '{}' must match the pattern {pattern}.", field.name));
        }
    }
    Ok(())
}

/// A record's values as the edge knows them: `Some(value)` for each field it knows
/// (`None` inside is NULL); fields it does not know (left out of an update) are absent.
pub type Known<'a> = &'a dyn Fn(FieldId) -> Option<Option<&'a str>>;

/// Whether a record breaks `rule`, as far as the edge can tell: `Some(true)` when it
/// surely does, `None` when a value it needs is unknown or the comparison is one only
/// Postgres decides exactly (text order, timestamps). Postgres holds every rule as a
/// `CHECK`, so an undecided record is still checked.
pub fn breaks(table: &Table, rule: &RecordRule, known: Known<'_>) -> Option<bool> {
    let then = holds(table, &rule.then, known);
    match &rule.when {
        None => then.map(|then| !then),
        Some(when) => match holds(table, when, known)? {
            false => Some(false),
            true => then.map(|then| !then),
        },
    }
}

/// Three-way evaluation of a condition tree with SQL's reading of NULL (a condition on
/// NULL does not hold) and `None` for undecided.
pub(crate) fn holds(table: &Table, expr: &Expr, known: Known<'_>) -> Option<bool> {
    match expr {
        Expr::And(children) => {
            let mut all = Some(true);
            for child in children {
                match holds(table, child, known) {
                    Some(false) => return Some(false),
                    None => all = None,
                    Some(true) => {}
                }
            }
            all
        }
        Expr::Or(children) => {
            let mut any = Some(false);
            for child in children {
                match holds(table, child, known) {
                    Some(true) => return Some(true),
                    None => any = None,
                    Some(false) => {}
                }
            }
            any
        }
        Expr::Not(child) => holds(table, child, known).map(|held| !held),
        Expr::Cond(condition) => {
            let Column::Field(id) = condition.column else { return None };
            let field = table.field_by_id(id)?;
            let value = known(id)?;
            condition_holds(field.field_type, condition.op, &condition.values, value)
        }
    }
}

fn condition_holds(field_type: FieldType, op: Op, values: &[String], value: Option<&str>) -> Option<bool> {
    if op == Op::IsNull {
        return Some(value.is_none() == (values.first().map(String::as_str) != Some("false")));
    }
    let Some(value) = value else { return Some(op == Op::Ne) };
    let ordered = |other: &str| match field_type {
        FieldType::Number | FieldType::Date => compare(field_type, value, other),
        _ => None,
    };
    let equal = |other: &str| match field_type {
        FieldType::Number => ordered(other).map(|order| order == Ordering::Equal),
        FieldType::Text
        | FieldType::LongText
        | FieldType::SingleSelect
        | FieldType::Url
        | FieldType::Boolean
        | FieldType::Date => Some(value == other),
        // Emails, uuids and timestamps have more than one spelling of a value.
        _ => None,
    };
    let first = values.first()?;
    match op {
        Op::Eq => equal(first),
        Op::Ne => equal(first).map(|equal| !equal),
        Op::In => {
            let mut any = Some(false);
            for other in values {
                match equal(other) {
                    Some(true) => return Some(true),
                    None => any = None,
                    Some(false) => {}
                }
            }
            any
        }
        Op::Gt => ordered(first).map(|order| order == Ordering::Greater),
        Op::Gte => ordered(first).map(|order| order != Ordering::Less),
        Op::Lt => ordered(first).map(|order| order == Ordering::Less),
        Op::Lte => ordered(first).map(|order| order != Ordering::Greater),
        Op::Between => {
            let high = values.get(1)?;
            Some(ordered(first)? != Ordering::Less && compare(field_type, value, high)? != Ordering::Greater)
        }
        Op::StartsWith if field_type.is_textual() => Some(value.starts_with(first.as_str())),
        // `contains` is case-insensitive in Postgres's own case mapping; multi-selects hold JSON.
        Op::Contains | Op::StartsWith | Op::IsNull => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::FieldId;
    use serde_json::json;

    fn field(field_type: FieldType, rules: serde_json::Value) -> Field {
        Field {
            rules: serde_json::from_value(rules).expect("rules"),
            ..Field::new(FieldId(uuid::Uuid::nil()), "code", field_type)
        }
    }

    fn verdict(field: &Field, text: &str) -> String {
        match check_value(field, text) {
            Ok(()) => "ok".into(),
            Err(error) => format!("{}: {}", error.details["reason"], error.message),
        }
    }

    #[test]
    fn values_meet_every_rule() {
        let code = field(FieldType::Text, json!({"min_length": 3, "max_length": 6, "pattern": "^[A-Z]+-[0-9]+$"}));
        assert_eq!(verdict(&code, "AB-12"), "ok");
        assert_eq!(verdict(&code, "A1"), r#""min_length": Field 'code' needs at least 3 characters."#);
        assert_eq!(verdict(&code, "ABCD-123"), r#""max_length": Field 'code' takes at most 6 characters."#);
        assert_eq!(verdict(&code, "ab-12"), r#""pattern": Field 'code' must match the pattern ^[A-Z]+-[0-9]+$."#);
        assert_eq!(verdict(&field(FieldType::Text, json!({"max_length": 2})), "éé"), "ok", "characters, not bytes");
        let amount = field(FieldType::Number, json!({"min": 0, "max": "10.5"}));
        assert_eq!(verdict(&amount, "10.5"), "ok");
        assert_eq!(verdict(&amount, "-0.01"), r#""min": Field 'code' must be at least 0."#);
        assert_eq!(verdict(&amount, "1e2"), r#""max": Field 'code' must be at most 10.5."#);
        let day = field(FieldType::Date, json!({"min": "2025-01-01"}));
        assert_eq!(verdict(&day, "2024-12-31"), r#""min": Field 'code' must be at least 2025-01-01."#);
        let tier = field(FieldType::Text, json!({"allowed": ["gold", "silver"]}));
        assert_eq!(verdict(&tier, "silver"), "ok");
        assert_eq!(verdict(&tier, "bronze"), r#""allowed": Field 'code' takes one of: gold, silver."#);
    }

    #[test]
    fn rules_fit_their_field() {
        let check = |field_type, rules: serde_json::Value| match check_rules(
            "f",
            field_type,
            &serde_json::from_value(rules).expect("rules"),
        ) {
            Ok(()) => "ok".to_owned(),
            Err(error) => error.message,
        };
        assert_eq!(check(FieldType::Email, json!({"max_length": 80, "pattern": "@example\\.com$"})), "ok");
        assert_eq!(
            check(FieldType::Number, json!({"min_length": 1})),
            "'min_length' applies to text, long text, email and URL fields; 'f' is number."
        );
        assert_eq!(check(FieldType::Text, json!({"min": 1})), "'min' applies to number and date fields; 'f' is text.");
        assert_eq!(check(FieldType::Number, json!({"min": 5, "max": 1})), "min 5 is above max 1.");
        assert_eq!(
            check(FieldType::Date, json!({"min": "soon"})),
            "'min': Field 'f' must be a date YYYY-MM-DD, e.g. 2025-01-31."
        );
        assert!(check(FieldType::Text, json!({"pattern": "(a"})).starts_with("'pattern' does not compile"));
        assert!(
            check(FieldType::Text, json!({"pattern": "(a)\\1"})).starts_with("'pattern' does not compile"),
            "no backreferences"
        );
        assert_eq!(
            check(FieldType::Text, json!({"allowed": ["a", "a"]})),
            "'allowed' lists 'a' twice or with a NUL character."
        );
        assert_eq!(
            check(FieldType::Text, json!({"min_length": 3, "max_length": 2})),
            "min_length 3 is above max_length 2."
        );
    }

    #[test]
    fn a_record_rule_is_broken_only_when_the_values_decide_it() {
        use crate::ids::TableId;
        use crate::plan::Condition;
        let (status, invoice) = (FieldId(uuid::Uuid::from_u128(1)), FieldId(uuid::Uuid::from_u128(2)));
        let table = Table::new(
            TableId(uuid::Uuid::nil()),
            "orders",
            vec![Field::new(status, "status", FieldType::Text), Field::new(invoice, "invoice", FieldType::Text)],
        );
        let condition = |field, op, value: &str| {
            Expr::Cond(Condition { column: Column::Field(field), op, values: vec![value.to_owned()], var: None })
        };
        let rule = RecordRule {
            name: "paid_needs_invoice".into(),
            when: Some(condition(status, Op::Eq, "paid")),
            then: condition(invoice, Op::IsNull, "false"),
            message: "m".into(),
        };
        let verdict = |values: &[(FieldId, Option<&'static str>)]| {
            let known = |id: FieldId| values.iter().find(|(field, _)| *field == id).map(|(_, value)| *value);
            breaks(&table, &rule, &known)
        };
        assert_eq!(verdict(&[(status, Some("paid")), (invoice, None)]), Some(true));
        assert_eq!(verdict(&[(status, Some("paid")), (invoice, Some("F-1"))]), Some(false));
        assert_eq!(verdict(&[(status, Some("open"))]), Some(false), "the rule does not apply");
        assert_eq!(verdict(&[(status, None)]), Some(false), "a condition on NULL does not hold");
        assert_eq!(verdict(&[(status, Some("paid"))]), None, "the invoice is unknown: Postgres decides");
        assert_eq!(verdict(&[(invoice, None)]), None, "the status is unknown");
    }
}
