//! What every fuzz target shares: a specimen catalog with a field of each type, and the
//! invariants a compiled plan must keep whatever the input was.
//!
//! - Compiling never panics (libFuzzer reports a panic as a crash).
//! - A plan the edge compiled lowers against the same catalog: the edge never names a
//!   table or field the origin does not know.
//! - The SQL of a plan names only the catalog's tables and fields, quoted; its only
//!   string literals are the fixed ones of the lowering; every `$n` is bound, and every
//!   bound value is used; no value that could break out of a token (with a quote, a
//!   separator or a space) appears in the statement's text.
//! - A refused input is an error of the documented model (a 4xx), never a 5xx.

use shared::catalog::{Catalog, Field, FieldType, Table};
use shared::error::ApiError;
use shared::ids::{BaseId, FieldId, TableId};
use shared::lower::{Sql, WriteContext, lower};
use shared::plan::Plan;
use std::collections::BTreeSet;
use std::sync::OnceLock;
use uuid::Uuid;

/// The key the targets sign and encrypt with.
pub const SIGNING_KEY: &[u8] = b"fuzz-signing-key-0123456789abcdef";

/// One table of every field type (a unique `email`, select options, a default, a name
/// with a quote in it), and a second table so that a plan naming the wrong one shows.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let mut fields: Vec<Field> = FieldType::ALL
            .iter()
            .enumerate()
            .map(|(n, field_type)| {
                let mut field = Field::new(
                    FieldId(Uuid::from_u128(100 + n as u128)),
                    &format!("{}_field", field_type.as_str()),
                    *field_type,
                );
                if field_type.has_options() {
                    field.options = vec!["vip".into(), "new".into(), "a,b".into()];
                }
                field
            })
            .collect();
        let named = |n: u128, name: &str, field_type| Field::new(FieldId(Uuid::from_u128(n)), name, field_type);
        fields.push(Field { required: true, ..named(200, "title", FieldType::Text) });
        fields.push(Field { unique: true, ..named(201, "email", FieldType::Email) });
        fields.push(Field { default: Some(serde_json::json!(7)), ..named(202, "score", FieldType::Number) });
        fields.push(named(203, "say\"what", FieldType::Text));
        Catalog {
            base_id: BaseId(Uuid::from_u128(1)),
            version: 3,
            tables: vec![
                Table { aliases: vec!["stuff".into()], ..Table::new(TableId(Uuid::from_u128(2)), "things", fields) },
                Table::new(TableId(Uuid::from_u128(3)), "others", vec![named(300, "secret", FieldType::Text)]),
            ],
        }
    })
}

pub fn table() -> &'static Table {
    &catalog().tables[0]
}

/// Checks a refusal: a client error of the error model.
pub fn check_refusal(error: &ApiError) {
    let status = error.status();
    assert!((400..500).contains(&status), "input was refused with {status}: {error}");
    assert!(!error.to_string().is_empty(), "a refusal says why");
}

/// Checks a compile result: a refusal is a client error, a plan keeps the invariants.
pub fn check_compiled(result: Result<Plan, ApiError>) -> Option<Plan> {
    match result {
        Ok(plan) => {
            check_plan(&plan);
            Some(plan)
        }
        Err(error) => {
            check_refusal(&error);
            None
        }
    }
}

/// Lowers a plan and checks every statement.
pub fn check_plan(plan: &Plan) {
    assert!(catalog().table_by_id(plan.table()).is_some(), "a plan names a table of its catalog");
    let context =
        WriteContext { actor: "token:fuzz", request_id: "req_fuzz", caller: &shared::policy::Caller::UNRESTRICTED };
    let statements = lower(plan, catalog(), &context).expect("a compiled plan lowers against its catalog");
    assert!(!statements.is_empty(), "a plan lowers to at least one statement");
    for sql in &statements {
        check_sql(sql);
    }
}

/// Identifiers a statement may quote: the catalog's, and the lowering's own.
fn identifiers() -> &'static BTreeSet<String> {
    static NAMES: OnceLock<BTreeSet<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let catalog = catalog();
        let mut names: BTreeSet<String> =
            ["values", "_changes", FORMULA_FIELD].iter().map(|name| name.to_string()).collect();
        names.insert(catalog.base_id.schema_name());
        for table in &catalog.tables {
            names.insert(table.id.table_name());
            for field in &table.fields {
                names.insert(field.id.column_name());
                names.insert(field.name.clone());
            }
        }
        names
    })
}

/// The string literals of the lowering.
const LITERALS: &[&str] = &[
    "insert",
    "update",
    "delete",
    "{}",
    // Formulas: the empty text, the time zone, date formats and interval units.
    "",
    "UTC",
    "YYYY-MM-DD",
    "YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"",
    "1 second",
    "1 minute",
    "1 hour",
    "1 day",
    "1 week",
    "1 month",
    "1 year",
];

/// The name of the computed field the `formula` target adds to the specimen table.
pub const FORMULA_FIELD: &str = "formula_field";

/// Words the bare text of a statement may hold: those of the source that builds it.
fn words() -> &'static BTreeSet<String> {
    static WORDS: OnceLock<BTreeSet<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let sources = [include_str!("../../shared/src/lower.rs"), include_str!("../../shared/src/catalog.rs")];
        sources
            .iter()
            .flat_map(|source| source.lines())
            .filter(|line| !line.trim_start().starts_with("//"))
            .flat_map(|line| line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')))
            .filter(|word| !word.is_empty())
            .map(|word| word.to_ascii_lowercase())
            .collect()
    })
}

/// Checks one statement: see the module documentation.
pub fn check_sql(sql: &Sql) {
    let text = &sql.text;
    let mut bare = String::with_capacity(text.len());
    let mut used = vec![false; sql.params.len()];
    let mut chars = text.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        match c {
            '"' | '\'' => {
                let mut quoted = String::new();
                loop {
                    match chars.next() {
                        Some((_, inner)) if inner == c => {
                            if chars.peek().is_some_and(|(_, next)| *next == c) {
                                chars.next();
                                quoted.push(c);
                            } else {
                                break;
                            }
                        }
                        Some((_, inner)) => quoted.push(inner),
                        None => panic!("unterminated quote in {text}"),
                    }
                }
                if c == '"' {
                    assert!(identifiers().contains(&quoted), "identifier {quoted:?} is not the catalog's in {text}");
                } else {
                    assert!(LITERALS.contains(&quoted.as_str()), "literal {quoted:?} in {text}");
                }
                bare.push(' ');
            }
            '$' => {
                let mut digits = String::new();
                while let Some((_, digit)) = chars.peek().filter(|(_, next)| next.is_ascii_digit()) {
                    digits.push(*digit);
                    chars.next();
                }
                let n: usize = digits.parse().unwrap_or_else(|_| panic!("a bare $ in {text}"));
                assert!((1..=sql.params.len()).contains(&n), "${n} of {} parameters", sql.params.len());
                used[n - 1] = true;
                bare.push(' ');
            }
            _ => bare.push(c),
        }
    }
    assert!(used.iter().all(|used| *used), "every parameter is used in {text}");
    assert!(!bare.contains(';') && !bare.contains("--") && !bare.contains("/*"), "one statement: {text}");
    for word in bare.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).filter(|word| !word.is_empty()) {
        // `c<n>`: the alias of a computed field's subquery.
        let alias = word.len() > 1 && word.starts_with('c') && word[1..].bytes().all(|b| b.is_ascii_digit());
        let known = words().contains(&word.to_ascii_lowercase()) || word.bytes().all(|b| b.is_ascii_digit()) || alias;
        assert!(known, "word {word:?} is not the lowering's in {text}");
    }
    // A value spliced into the statement shows in its text. Only values that would break out
    // of a token are looked for (a quote, a separator, a space): one made of the lowering's
    // own punctuation and words, like `::text)::`, can match its text by coincidence.
    for value in sql.params.iter().flatten() {
        let distinctive =
            value.len() >= 8 && value.chars().any(|c| c.is_whitespace() || matches!(c, '\'' | '"' | ';' | '\\'));
        assert!(!(distinctive && bare.contains(value.as_str())), "value {value:?} is in the text of {text}");
    }
}
