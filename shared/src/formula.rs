//! The formula language of computed fields: a small expression language over one
//! record's fields, parsed from text, type-checked against the table, and stored as a
//! typed tree whose fields are named by id (so a rename never breaks a formula).
//!
//! There are no loops, no user functions and no access outside the record: a formula is
//! arithmetic, comparison, boolean logic, `if`, and the functions of [`Func`]. It is
//! computed by Postgres in the statement that reads the record ([`crate::lower`]).
//!
//! Semantics, stated once:
//! - An empty value (NULL) makes arithmetic, comparisons and most functions empty too;
//!   `concat` and `&` treat it as empty text; `if` takes its else branch on an empty
//!   condition; `min`, `max` and `coalesce` skip empty values.
//! - Division by zero is empty, never an error.
//! - Time is UTC: `now()` is the instant the statement's transaction started, `today()`
//!   its date in UTC, and `year`, `month`, `day`, `hour`, `date_diff` and `date_add` read
//!   datetimes in UTC.
//!
//! API Boundary: [`Formula`] is stored in the catalog (its JSON form is a wire format).

use crate::catalog::{FieldType, Table};
use crate::ids::FieldId;
use serde::{Deserialize, Serialize};

/// The longest formula text.
pub const MAX_CHARS: usize = 1_000;
/// The most nodes (values, fields, operators, calls) in one formula.
pub const MAX_NODES: usize = 200;
/// The deepest nesting of operators and calls in a formula's tree.
pub const MAX_DEPTH: usize = 24;
/// The deepest the parser recurses: beyond the tree's depth, by what parentheses add. The
/// text a formula renders to parenthesizes at most one child per level, and within this,
/// so a formula that compiles renders to text that compiles to the same tree.
const MAX_PARSE_DEPTH: usize = 3 * MAX_DEPTH;
/// The most arguments of one call.
pub const MAX_ARGS: usize = 20;

/// The type of a formula's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Number,
    Text,
    Boolean,
    Date,
    Datetime,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Number => "number",
            Kind::Text => "text",
            Kind::Boolean => "boolean",
            Kind::Date => "date",
            Kind::Datetime => "datetime",
        }
    }

    /// The field type a value of this kind has.
    pub fn field_type(self) -> FieldType {
        match self {
            Kind::Number => FieldType::Number,
            Kind::Text => FieldType::Text,
            Kind::Boolean => FieldType::Boolean,
            Kind::Date => FieldType::Date,
            Kind::Datetime => FieldType::Datetime,
        }
    }

    /// How a formula sees a field of `field_type` (`None`: it cannot use it).
    pub fn of(field_type: FieldType) -> Option<Kind> {
        Some(match field_type {
            FieldType::Number => Kind::Number,
            FieldType::Boolean => Kind::Boolean,
            FieldType::Date => Kind::Date,
            FieldType::Datetime => Kind::Datetime,
            FieldType::MultiSelect | FieldType::Json | FieldType::File => return None,
            _ => Kind::Text,
        })
    }

    fn a(self) -> &'static str {
        match self {
            Kind::Number => "a number",
            Kind::Text => "text",
            Kind::Boolean => "a boolean",
            Kind::Date => "a date",
            Kind::Datetime => "a datetime",
        }
    }
}

/// A formula as stored: a typed tree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Formula {
    /// A decimal literal, as written (digits, an optional fraction).
    Number(String),
    Text(String),
    Boolean(bool),
    Field(FieldId),
    /// The system columns: `id`, `created_at`, `updated_at`.
    System(System),
    Call(Func, Vec<Formula>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum System {
    Id,
    CreatedAt,
    UpdatedAt,
}

macro_rules! funcs {
    ($($variant:ident => $name:literal: $doc:literal,)*) => {
        /// An operator or a function.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Func { $($variant,)* }

        impl Func {
            pub const ALL: &'static [Func] = &[$(Func::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(Func::$variant => $name,)* }
            }

            /// How it is called and what it does, for the formula editor.
            pub fn doc(self) -> &'static str {
                match self { $(Func::$variant => $doc,)* }
            }
        }
    };
}

funcs! {
    Add => "add": "a + b",
    Sub => "sub": "a - b",
    Mul => "mul": "a * b",
    Div => "div": "a / b (empty when b is 0)",
    Neg => "neg": "-a",
    Eq => "eq": "a = b",
    Ne => "ne": "a != b",
    Lt => "lt": "a < b",
    Lte => "lte": "a <= b",
    Gt => "gt": "a > b",
    Gte => "gte": "a >= b",
    And => "and": "a and b",
    Or => "or": "a or b",
    Not => "not": "not a",
    Concat => "concat": "concat(a, b, …) or a & b: text joined, empty values as empty text",
    If => "if": "if(condition, then, else): else may be left out (empty)",
    Upper => "upper": "upper(text)",
    Lower => "lower": "lower(text)",
    Trim => "trim": "trim(text): without leading and trailing spaces",
    Length => "length": "length(text): characters",
    Left => "left": "left(text, n): the first n characters",
    Right => "right": "right(text, n): the last n characters",
    Round => "round": "round(number, digits): digits 0 when left out",
    Abs => "abs": "abs(number)",
    Floor => "floor": "floor(number)",
    Ceil => "ceil": "ceil(number)",
    Min => "min": "min(a, b, …): the smallest non-empty value",
    Max => "max": "max(a, b, …): the largest non-empty value",
    Coalesce => "coalesce": "coalesce(a, b, …): the first non-empty value",
    IsEmpty => "is_empty": "is_empty(a): true when a is empty (or empty text)",
    ToText => "text": "text(a): a as text (dates as YYYY-MM-DD, datetimes as RFC 3339 UTC)",
    Year => "year": "year(date or datetime)",
    Month => "month": "month(date or datetime): 1 to 12",
    Day => "day": "day(date or datetime): 1 to 31",
    Hour => "hour": "hour(datetime): 0 to 23, UTC",
    Now => "now": "now(): the current instant",
    Today => "today": "today(): the current date in UTC",
    DateDiff => "date_diff": "date_diff(start, end, \"days\"): whole units from start to end (seconds, minutes, hours, days, weeks, months, years)",
    DateAdd => "date_add": "date_add(date, n, \"months\"): date moved by n units",
}

/// The units of `date_diff` and `date_add`.
pub const UNITS: [&str; 7] = ["seconds", "minutes", "hours", "days", "weeks", "months", "years"];

impl Func {
    /// A function callable by name (operators are written as operators).
    fn named(name: &str) -> Option<Func> {
        let operator = matches!(
            Func::ALL.iter().position(|func| func.as_str() == name).map(|n| Func::ALL[n]),
            Some(
                Func::Add
                    | Func::Sub
                    | Func::Mul
                    | Func::Div
                    | Func::Neg
                    | Func::Eq
                    | Func::Ne
                    | Func::Lt
                    | Func::Lte
                    | Func::Gt
                    | Func::Gte
                    | Func::And
                    | Func::Or
                    | Func::Not
            )
        );
        (!operator).then(|| Func::ALL.iter().copied().find(|func| func.as_str() == name)).flatten()
    }

    /// The functions a formula can call by name.
    pub fn callable() -> impl Iterator<Item = Func> {
        Func::ALL.iter().copied().filter(|func| Func::named(func.as_str()).is_some())
    }

    /// The type of a call's value, given its arguments' (already checked).
    pub fn result(self, args: &[Kind]) -> Kind {
        use Func::*;
        match self {
            Add | Sub | Mul | Div | Neg | Length | Round | Abs | Floor | Ceil | Year | Month | Day | Hour
            | DateDiff => Kind::Number,
            Eq | Ne | Lt | Lte | Gt | Gte | And | Or | Not | IsEmpty => Kind::Boolean,
            Concat | Upper | Lower | Trim | Left | Right | ToText => Kind::Text,
            If => args.get(1).copied().unwrap_or(Kind::Text),
            Min | Max | Coalesce | DateAdd => args.first().copied().unwrap_or(Kind::Text),
            Now => Kind::Datetime,
            Today => Kind::Date,
        }
    }

    /// Operator precedence in the text form (calls and values bind tightest).
    fn precedence(self) -> u8 {
        use Func::*;
        match self {
            Or => 1,
            And => 2,
            Not => 3,
            Eq | Ne | Lt | Lte | Gt | Gte => 4,
            Concat => 5,
            Add | Sub => 6,
            Mul | Div => 7,
            Neg => 8,
            _ => 10,
        }
    }

    fn symbol(self) -> Option<&'static str> {
        use Func::*;
        Some(match self {
            Add => "+",
            Sub => "-",
            Mul => "*",
            Div => "/",
            Eq => "=",
            Ne => "!=",
            Lt => "<",
            Lte => "<=",
            Gt => ">",
            Gte => ">=",
            And => "and",
            Or => "or",
            Concat => "&",
            _ => return None,
        })
    }
}

/// A formula that does not parse or type-check: what is wrong, and where (character
/// offsets into the text, end exclusive).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FormulaError {
    pub message: String,
    pub start: usize,
    pub end: usize,
}

impl FormulaError {
    fn at(span: Span, message: impl Into<String>) -> FormulaError {
        FormulaError { message: message.into(), start: span.0, end: span.1 }
    }
}

type Span = (usize, usize);

/// A checked formula and the type of its value.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    pub formula: Formula,
    pub kind: Kind,
}

/// Parses and type-checks `text` against `table`'s fields.
pub fn compile(table: &Table, text: &str) -> Result<Checked, FormulaError> {
    let chars = text.chars().count();
    if chars > MAX_CHARS {
        return Err(FormulaError::at((0, chars), format!("A formula has at most {MAX_CHARS} characters.")));
    }
    let tokens = tokenize(text)?;
    let mut parser = Parser { tokens, next: 0, depth: 0, nodes: 0 };
    let raw = parser.expression(0)?;
    let (token, span) = parser.peek();
    if *token != Token::End {
        return Err(FormulaError::at(span, "Expected an operator or the end of the formula here."));
    }
    let (formula, kind) = check(table, &raw, 1)?;
    Ok(Checked { formula, kind })
}

/// The fields a formula reads, each once.
pub fn fields(formula: &Formula) -> Vec<FieldId> {
    let mut found = Vec::new();
    collect(formula, &mut found);
    found
}

fn collect(formula: &Formula, found: &mut Vec<FieldId>) {
    match formula {
        Formula::Field(id) if !found.contains(id) => found.push(*id),
        Formula::Call(_, args) => args.iter().for_each(|arg| collect(arg, found)),
        _ => {}
    }
}

/// The text form of a stored formula, with the fields' current names.
pub fn render(table: &Table, formula: &Formula) -> String {
    let mut out = String::new();
    write(table, formula, &mut out);
    out
}

fn precedence(formula: &Formula) -> u8 {
    match formula {
        Formula::Call(func, _) => func.precedence(),
        Formula::Number(text) if text.starts_with('-') => Func::Neg.precedence(),
        _ => 10,
    }
}

fn write(table: &Table, formula: &Formula, out: &mut String) {
    let wrapped = |child: &Formula, parens: bool, out: &mut String| {
        if parens {
            out.push('(');
        }
        write(table, child, out);
        if parens {
            out.push(')');
        }
    };
    match formula {
        Formula::Number(text) => out.push_str(text),
        Formula::Text(text) => {
            out.push('"');
            for c in text.chars() {
                if c == '"' || c == '\\' {
                    out.push('\\');
                }
                out.push(c);
            }
            out.push('"');
        }
        Formula::Boolean(value) => out.push_str(if *value { "true" } else { "false" }),
        Formula::System(System::Id) => out.push_str("id"),
        Formula::System(System::CreatedAt) => out.push_str("created_at"),
        Formula::System(System::UpdatedAt) => out.push_str("updated_at"),
        Formula::Field(id) => match table.field_by_id(*id) {
            Some(field) if is_plain(&field.name) => out.push_str(&field.name),
            Some(field) => out.push_str(&format!("{{{}}}", field.name)),
            None => out.push_str(&format!("{{{id}}}")),
        },
        Formula::Call(func, args) => {
            let own = func.precedence();
            match (func.symbol(), args.as_slice()) {
                (Some(symbol), [left, right]) => {
                    let comparison = own == 4;
                    wrapped(left, precedence(left) < own || (comparison && precedence(left) == own), out);
                    out.push_str(&format!(" {symbol} "));
                    wrapped(right, precedence(right) <= own, out);
                }
                (None, [operand]) if matches!(func, Func::Neg | Func::Not) => {
                    out.push_str(if *func == Func::Neg { "-" } else { "not " });
                    wrapped(operand, precedence(operand) < own, out);
                }
                _ => {
                    out.push_str(func.as_str());
                    out.push('(');
                    for (n, arg) in args.iter().enumerate() {
                        if n > 0 {
                            out.push_str(", ");
                        }
                        write(table, arg, out);
                    }
                    out.push(')');
                }
            }
        }
    }
}

const KEYWORDS: [&str; 5] = ["and", "or", "not", "true", "false"];

/// Whether a field's name reads as itself in a formula; others are written `{name}`.
fn is_plain(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&name)
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Number(String),
    Text(String),
    Name(String),
    /// `{name}`: a field whose name is a keyword, or any field.
    Braced(String),
    Op(&'static str),
    Open,
    Close,
    Comma,
    End,
}

fn tokenize(text: &str) -> Result<Vec<(Token, Span)>, FormulaError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        let c = chars[at];
        let start = at;
        if c.is_whitespace() {
            at += 1;
            continue;
        }
        let token = if c.is_ascii_digit() || (c == '.' && chars.get(at + 1).is_some_and(char::is_ascii_digit)) {
            while at < chars.len() && chars[at].is_ascii_digit() {
                at += 1;
            }
            if chars.get(at) == Some(&'.') {
                at += 1;
                while at < chars.len() && chars[at].is_ascii_digit() {
                    at += 1;
                }
            }
            let digits: String = chars[start..at].iter().collect();
            let digits = if digits.starts_with('.') { format!("0{digits}") } else { digits };
            let digits = digits.trim_end_matches('.').to_owned();
            if digits.len() > 40 {
                return Err(FormulaError::at((start, at), "A number has at most 40 digits."));
            }
            Token::Number(digits)
        } else if c == '"' || c == '\'' {
            at += 1;
            let mut value = String::new();
            loop {
                match chars.get(at) {
                    None => return Err(FormulaError::at((start, at), "This text is not closed.")),
                    Some('\\') if at + 1 < chars.len() && chars[at + 1] != '\0' => {
                        value.push(chars[at + 1]);
                        at += 2;
                    }
                    Some(&quote) if quote == c => {
                        at += 1;
                        break;
                    }
                    Some('\0') => return Err(FormulaError::at((at, at + 1), "Text cannot contain NUL.")),
                    Some('\\') if chars.get(at + 1) == Some(&'\0') => {
                        return Err(FormulaError::at((at + 1, at + 2), "Text cannot contain NUL."));
                    }
                    Some(&other) => {
                        value.push(other);
                        at += 1;
                    }
                }
            }
            Token::Text(value)
        } else if c.is_ascii_alphabetic() || c == '_' {
            while at < chars.len() && (chars[at].is_ascii_alphanumeric() || chars[at] == '_') {
                at += 1;
            }
            Token::Name(chars[start..at].iter().collect())
        } else if c == '{' {
            let close = chars[at..].iter().position(|c| *c == '}').map(|n| at + n);
            let Some(close) = close else { return Err(FormulaError::at((start, start + 1), "'{' is not closed.")) };
            at = close + 1;
            Token::Braced(chars[start + 1..close].iter().collect::<String>().trim().to_owned())
        } else {
            let two: String = chars[at..(at + 2).min(chars.len())].iter().collect();
            let operator = ["<=", ">=", "!=", "<>", "=="].into_iter().find(|op| *op == two);
            match operator {
                Some(op) => {
                    at += 2;
                    Token::Op(match op {
                        "<>" => "!=",
                        "==" => "=",
                        other => other,
                    })
                }
                None => {
                    at += 1;
                    match c {
                        '(' => Token::Open,
                        ')' => Token::Close,
                        ',' => Token::Comma,
                        '+' => Token::Op("+"),
                        '-' => Token::Op("-"),
                        '*' => Token::Op("*"),
                        '/' => Token::Op("/"),
                        '&' => Token::Op("&"),
                        '=' => Token::Op("="),
                        '<' => Token::Op("<"),
                        '>' => Token::Op(">"),
                        other => {
                            return Err(FormulaError::at(
                                (start, at),
                                format!("'{other}' has no meaning in a formula."),
                            ));
                        }
                    }
                }
            }
        };
        tokens.push((token, (start, at)));
    }
    tokens.push((Token::End, (chars.len(), chars.len())));
    Ok(tokens)
}

/// A parsed, unchecked formula.
enum Raw {
    Number(String),
    Text(String),
    Boolean(bool),
    Name(String),
    Call(Func, Vec<(Raw, Span)>),
    /// A call of a name that is not a function (reported when checked).
    Unknown(String),
}

struct Parser {
    tokens: Vec<(Token, Span)>,
    next: usize,
    depth: usize,
    nodes: usize,
}

fn binary(token: &Token) -> Option<Func> {
    Some(match token {
        Token::Op("+") => Func::Add,
        Token::Op("-") => Func::Sub,
        Token::Op("*") => Func::Mul,
        Token::Op("/") => Func::Div,
        Token::Op("&") => Func::Concat,
        Token::Op("=") => Func::Eq,
        Token::Op("!=") => Func::Ne,
        Token::Op("<") => Func::Lt,
        Token::Op("<=") => Func::Lte,
        Token::Op(">") => Func::Gt,
        Token::Op(">=") => Func::Gte,
        Token::Name(name) if name == "and" => Func::And,
        Token::Name(name) if name == "or" => Func::Or,
        _ => return None,
    })
}

impl Parser {
    fn peek(&self) -> (&Token, Span) {
        let (token, span) = &self.tokens[self.next.min(self.tokens.len() - 1)];
        (token, *span)
    }

    fn take(&mut self) -> (Token, Span) {
        let taken = self.tokens[self.next.min(self.tokens.len() - 1)].clone();
        self.next += 1;
        taken
    }

    fn node(&mut self, span: Span) -> Result<(), FormulaError> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(FormulaError::at(span, format!("A formula has at most {MAX_NODES} parts.")));
        }
        Ok(())
    }

    /// An expression whose operators bind at least as tightly as `min`.
    fn expression(&mut self, min: u8) -> Result<(Raw, Span), FormulaError> {
        self.depth += 1;
        if self.depth > MAX_PARSE_DEPTH {
            return Err(FormulaError::at(self.peek().1, format!("A formula nests at most {MAX_DEPTH} levels.")));
        }
        let mut left = self.prefix()?;
        loop {
            let (token, _) = self.peek();
            let Some(func) = binary(token) else { break };
            let own = func.precedence();
            if own < min {
                break;
            }
            let (_, operator) = self.take();
            self.node(operator)?;
            let right = self.expression(own + 1)?;
            let span = (left.1.0, right.1.1);
            left = (Raw::Call(func, vec![left, right]), span);
        }
        self.depth -= 1;
        Ok(left)
    }

    fn prefix(&mut self) -> Result<(Raw, Span), FormulaError> {
        let (token, span) = self.take();
        self.node(span)?;
        Ok(match token {
            Token::Number(digits) => (Raw::Number(digits), span),
            Token::Text(text) => (Raw::Text(text), span),
            Token::Op("-") => {
                let operand = self.expression(Func::Neg.precedence())?;
                let whole = (span.0, operand.1.1);
                match operand.0 {
                    Raw::Number(digits) if !digits.starts_with('-') => (Raw::Number(format!("-{digits}")), whole),
                    raw => (Raw::Call(Func::Neg, vec![(raw, operand.1)]), whole),
                }
            }
            Token::Name(name) if name == "not" => {
                let operand = self.expression(Func::Not.precedence())?;
                let whole = (span.0, operand.1.1);
                (Raw::Call(Func::Not, vec![operand]), whole)
            }
            Token::Name(name) if name == "true" || name == "false" => (Raw::Boolean(name == "true"), span),
            Token::Name(name) if self.peek().0 == &Token::Open => {
                self.take();
                let mut args = Vec::new();
                if self.peek().0 == &Token::Close {
                    self.take();
                } else {
                    loop {
                        args.push(self.expression(0)?);
                        if args.len() > MAX_ARGS {
                            return Err(FormulaError::at(span, format!("A call takes at most {MAX_ARGS} arguments.")));
                        }
                        match self.take() {
                            (Token::Comma, _) => {}
                            (Token::Close, _) => break,
                            (_, at) => return Err(FormulaError::at(at, "Expected ',' or ')' here.")),
                        }
                    }
                }
                let end = self.tokens[self.next - 1].1.1;
                match Func::named(&name.to_lowercase()) {
                    Some(func) => (Raw::Call(func, args), (span.0, end)),
                    None => (Raw::Unknown(name), span),
                }
            }
            Token::Name(name) | Token::Braced(name) => (Raw::Name(name), span),
            Token::Open => {
                let inner = self.expression(0)?;
                match self.take() {
                    (Token::Close, close) => (inner.0, (span.0, close.1)),
                    (_, at) => return Err(FormulaError::at(at, "Expected ')' here.")),
                }
            }
            Token::End => return Err(FormulaError::at(span, "The formula ends where a value is expected.")),
            _ => return Err(FormulaError::at(span, "Expected a value, a field or a function here.")),
        })
    }
}

/// Checks a node at `depth` in the tree (the root is at 1).
fn check(table: &Table, (raw, span): &(Raw, Span), depth: usize) -> Result<(Formula, Kind), FormulaError> {
    let span = *span;
    if depth > MAX_DEPTH {
        return Err(FormulaError::at(span, format!("A formula nests at most {MAX_DEPTH} levels.")));
    }
    Ok(match raw {
        Raw::Number(digits) => (Formula::Number(digits.clone()), Kind::Number),
        Raw::Text(text) => (Formula::Text(text.clone()), Kind::Text),
        Raw::Boolean(value) => (Formula::Boolean(*value), Kind::Boolean),
        Raw::Unknown(name) => {
            let names: Vec<&str> = Func::callable().map(Func::as_str).collect();
            return Err(FormulaError::at(
                span,
                format!("There is no function '{name}'. Functions: {}.", names.join(", ")),
            ));
        }
        Raw::Name(name) => match name.as_str() {
            "id" => (Formula::System(System::Id), Kind::Text),
            "created_at" => (Formula::System(System::CreatedAt), Kind::Datetime),
            "updated_at" => (Formula::System(System::UpdatedAt), Kind::Datetime),
            _ => {
                let field = table
                    .field(name)
                    .ok_or_else(|| FormulaError::at(span, format!("Table '{}' has no field '{name}'.", table.name)))?;
                let kind = Kind::of(field.field_type).ok_or_else(|| {
                    FormulaError::at(
                        span,
                        format!("'{}' is {}: a formula cannot use it.", field.name, field.field_type.as_str()),
                    )
                })?;
                (Formula::Field(field.id), kind)
            }
        },
        Raw::Call(func, args) => {
            let mut checked = Vec::with_capacity(args.len());
            for arg in args {
                checked.push((check(table, arg, depth + 1)?, arg.1));
            }
            let kinds: Vec<Kind> = checked.iter().map(|((_, kind), _)| *kind).collect();
            signature(*func, &checked, span)?;
            let kind = func.result(&kinds);
            (Formula::Call(*func, checked.into_iter().map(|((formula, _), _)| formula).collect()), kind)
        }
    })
}

/// Checks a call's arguments: their count and types.
fn signature(func: Func, args: &[((Formula, Kind), Span)], span: Span) -> Result<(), FormulaError> {
    use Func::*;
    let name = func.as_str();
    let count = |min: usize, max: usize| -> Result<(), FormulaError> {
        if (min..=max).contains(&args.len()) {
            return Ok(());
        }
        let takes = match (min, max) {
            (0, 0) => "no arguments".to_owned(),
            (a, b) if a == b => format!("{a} argument{}", if a == 1 { "" } else { "s" }),
            (a, b) if b >= MAX_ARGS => format!("at least {a} argument{}", if a == 1 { "" } else { "s" }),
            (a, b) => format!("{a} to {b} arguments"),
        };
        Err(FormulaError::at(span, format!("'{name}' takes {takes}; got {}. {}", args.len(), func.doc())))
    };
    let want = |n: usize, allowed: &[Kind]| -> Result<(), FormulaError> {
        let ((_, kind), at) = &args[n];
        if allowed.contains(kind) {
            return Ok(());
        }
        let expected: Vec<&str> = allowed.iter().map(|kind| kind.a()).collect();
        Err(FormulaError::at(
            *at,
            format!("'{name}' needs {} here; this is {}. {}", expected.join(" or "), kind.a(), func.doc()),
        ))
    };
    let same = |from: usize| -> Result<(), FormulaError> {
        let first = args[from].0.1;
        for ((_, kind), at) in &args[from + 1..] {
            if *kind != first {
                return Err(FormulaError::at(
                    *at,
                    format!("'{name}' needs values of one type: {} and {}.", first.a(), kind.a()),
                ));
            }
        }
        Ok(())
    };
    let unit = |n: usize| -> Result<&str, FormulaError> {
        match &args[n] {
            ((Formula::Text(unit), _), _) if UNITS.contains(&unit.as_str()) => Ok(unit.as_str()),
            (_, at) => Err(FormulaError::at(*at, format!("The unit is one of \"{}\".", UNITS.join("\", \"")))),
        }
    };
    const ANY: &[Kind] = &[Kind::Number, Kind::Text, Kind::Boolean, Kind::Date, Kind::Datetime];
    const ORDERED: &[Kind] = &[Kind::Number, Kind::Text, Kind::Date, Kind::Datetime];
    const DATES: &[Kind] = &[Kind::Date, Kind::Datetime];
    match func {
        Add | Sub | Mul | Div => {
            count(2, 2)?;
            want(0, &[Kind::Number])?;
            want(1, &[Kind::Number])
        }
        Neg | Abs | Floor | Ceil => {
            count(1, 1)?;
            want(0, &[Kind::Number])
        }
        Eq | Ne => {
            count(2, 2)?;
            same(0)
        }
        Lt | Lte | Gt | Gte => {
            count(2, 2)?;
            want(0, ORDERED)?;
            same(0)
        }
        And | Or => {
            count(2, 2)?;
            want(0, &[Kind::Boolean])?;
            want(1, &[Kind::Boolean])
        }
        Not => {
            count(1, 1)?;
            want(0, &[Kind::Boolean])
        }
        Concat => count(1, MAX_ARGS),
        If => {
            count(2, 3)?;
            want(0, &[Kind::Boolean])?;
            same(1)
        }
        Upper | Lower | Trim | Length => {
            count(1, 1)?;
            want(0, &[Kind::Text])
        }
        Left | Right => {
            count(2, 2)?;
            want(0, &[Kind::Text])?;
            want(1, &[Kind::Number])
        }
        Round => {
            count(1, 2)?;
            want(0, &[Kind::Number])?;
            if args.len() == 2 { want(1, &[Kind::Number]) } else { Ok(()) }
        }
        Min | Max => {
            count(1, MAX_ARGS)?;
            want(0, ORDERED)?;
            same(0)
        }
        Coalesce => {
            count(1, MAX_ARGS)?;
            same(0)
        }
        IsEmpty | ToText => {
            count(1, 1)?;
            want(0, ANY)
        }
        Year | Month | Day => {
            count(1, 1)?;
            want(0, DATES)
        }
        Hour => {
            count(1, 1)?;
            want(0, &[Kind::Datetime])
        }
        Now | Today => count(0, 0),
        DateDiff => {
            count(3, 3)?;
            want(0, DATES)?;
            want(1, DATES)?;
            unit(2).map(drop)
        }
        DateAdd => {
            count(3, 3)?;
            want(0, DATES)?;
            want(1, &[Kind::Number])?;
            let unit = unit(2)?;
            if args[0].0.1 == Kind::Date && matches!(unit, "seconds" | "minutes" | "hours") {
                return Err(FormulaError::at(
                    args[2].1,
                    "A date moves by days, weeks, months or years; use a datetime for smaller units.",
                ));
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Field;
    use uuid::Uuid;

    fn table() -> Table {
        let field = |n: u128, name: &str, field_type| Field::new(FieldId(Uuid::from_u128(n)), name, field_type);
        Table::new(
            crate::ids::TableId(Uuid::from_u128(1)),
            "orders",
            vec![
                field(2, "price", FieldType::Number),
                field(3, "quantity", FieldType::Number),
                field(4, "name", FieldType::Text),
                field(5, "due", FieldType::Date),
                field(6, "paid", FieldType::Boolean),
                field(7, "tags", FieldType::MultiSelect),
                field(8, "and", FieldType::Text),
                field(9, "at", FieldType::Datetime),
            ],
        )
    }

    fn ok(text: &str) -> (String, Kind) {
        let table = table();
        let checked = compile(&table, text).unwrap_or_else(|error| panic!("{text}: {error:?}"));
        (render(&table, &checked.formula), checked.kind)
    }

    fn err(text: &str) -> String {
        let error = compile(&table(), text).expect_err(text);
        format!("{}..{} {}", error.start, error.end, error.message)
    }

    #[test]
    fn parses_types_and_renders() {
        assert_eq!(ok("price * quantity + 10"), ("price * quantity + 10".into(), Kind::Number));
        assert_eq!(ok("(price + 1) * 2"), ("(price + 1) * 2".into(), Kind::Number));
        assert_eq!(ok("price - (quantity - 1)"), ("price - (quantity - 1)".into(), Kind::Number));
        assert_eq!(ok("-price"), ("-price".into(), Kind::Number));
        assert_eq!(ok("-2.50"), ("-2.50".into(), Kind::Number));
        assert_eq!(ok("- -2"), ("--2".into(), Kind::Number), "a negated negative number");
        assert_eq!(ok(".5"), ("0.5".into(), Kind::Number));
        assert_eq!(ok("price > 10 and not paid"), ("price > 10 and not paid".into(), Kind::Boolean));
        assert_eq!(ok("IF(paid, 'yes', \"no\")"), ("if(paid, \"yes\", \"no\")".into(), Kind::Text));
        assert_eq!(ok("name & \" (\" & quantity & \")\""), ("name & \" (\" & quantity & \")\"".into(), Kind::Text));
        assert_eq!(ok("date_add(due, 1, 'months')"), ("date_add(due, 1, \"months\")".into(), Kind::Date));
        assert_eq!(ok("date_diff(due, today(), 'days')").1, Kind::Number);
        assert_eq!(ok("year(at) = 2026").1, Kind::Boolean);
        assert_eq!(ok("{and} = 'x'"), ("{and} = \"x\"".into(), Kind::Boolean));
        assert_eq!(ok("upper(id)").1, Kind::Text);
        assert_eq!(ok("max(due, today())").1, Kind::Date);
        assert_eq!(ok("'a\\\"b'"), ("\"a\\\"b\"".into(), Kind::Text));
        assert_eq!(ok("price <> 1"), ("price != 1".into(), Kind::Boolean));
        assert_eq!(ok("(price = 1) = paid"), ("(price = 1) = paid".into(), Kind::Boolean));
    }

    #[test]
    fn errors_name_the_problem_and_where() {
        assert_eq!(err("price * nme"), "8..11 Table 'orders' has no field 'nme'.");
        assert_eq!(err("price + name"), "8..12 'add' needs a number here; this is text. a + b");
        assert_eq!(err("tags"), "0..4 'tags' is multi_select: a formula cannot use it.");
        assert_eq!(err("price +"), "7..7 The formula ends where a value is expected.");
        assert_eq!(err("price 2"), "6..7 Expected an operator or the end of the formula here.");
        assert!(err("upper()").starts_with("0..7 'upper' takes 1 argument; got 0."), "{}", err("upper()"));
        assert!(err("foo(1)").starts_with("0..3 There is no function 'foo'."));
        assert!(err("add(1, 2)").starts_with("0..3 There is no function 'add'."), "operators are written as such");
        assert_eq!(err("if(paid, 1, 'x')"), "12..15 'if' needs values of one type: a number and text.");
        assert!(err("date_add(due, 1, 'hours')").contains("use a datetime"));
        assert!(err("date_diff(due, due, 'fortnights')").starts_with("20..32 The unit is one of"));
        assert_eq!(err("'abc"), "0..4 This text is not closed.");
        assert_eq!(err("'a\\\0'"), "3..4 Text cannot contain NUL.");
        assert_eq!(err("price # 2"), "6..7 '#' has no meaning in a formula.");
    }

    #[test]
    fn hostile_formulas_are_bounded() {
        assert!(err(&"1+".repeat(600)).contains("at most 1000 characters"));
        assert!(err(&format!("{}1{}", "(".repeat(100), ")".repeat(100))).contains("nests at most"));
        // What a formula renders to compiles again, however its parentheses nest (a chain
        // of `= not` renders each level in parentheses).
        let orders = table();
        let chain = "---32-32<66=not-6<66=not-32<66=not-33<33=not-6=36=not-6<66=not-32<66=not-33<33=not-6=-6";
        let checked = compile(&orders, chain).expect("the chain compiles");
        let again = compile(&orders, &render(&orders, &checked.formula)).expect("its rendering compiles");
        assert_eq!(again.formula, checked.formula);
        // Counted on the tree, not the parentheses: 24 levels compile, 25 do not.
        let nested = |levels: usize| format!("{}1{}", "abs(".repeat(levels - 1), ")".repeat(levels - 1));
        assert!(compile(&table(), &nested(MAX_DEPTH)).is_ok());
        assert!(err(&nested(MAX_DEPTH + 1)).contains("nests at most"));
        let many = vec!["1"; 150].join("+");
        assert!(err(&many).contains("at most 200 parts"), "{}", err(&many));
        assert!(err(&format!("concat({})", vec!["'a'"; 21].join(","))).contains("at most 20 arguments"));
    }

    #[test]
    fn stored_form_round_trips_and_survives_renames() {
        let mut table = table();
        let checked = compile(&table, "price * quantity").expect("formula");
        let json = serde_json::to_string(&checked.formula).expect("json");
        assert_eq!(serde_json::from_str::<Formula>(&json).expect("parse"), checked.formula);
        table.fields[0].name = "unit_price".into();
        assert_eq!(render(&table, &checked.formula), "unit_price * quantity");
        assert_eq!(compile(&table, &render(&table, &checked.formula)).map(|again| again.kind), Ok(Kind::Number));
        assert_eq!(fields(&checked.formula), vec![FieldId(Uuid::from_u128(2)), FieldId(Uuid::from_u128(3))]);
    }
}
