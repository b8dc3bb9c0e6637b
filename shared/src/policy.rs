//! Row and column policies: per table and subject (viewers, editors, API tokens), the
//! records a caller may see and change and the fields it may read and write.
//!
//! The origin resolves who is calling into a [`Caller`] (its subject and variables, as
//! of now), refuses a plan that names a field the caller may not read or write
//! ([`check`]), and lowers the plan with the policies applied ([`Applied`]): the row
//! condition joins every statement's `WHERE` (reads, updates, deletes, includes and
//! filters across links) and is evaluated on the written rows of inserts and updates in
//! the same statement. Counts, cursors and batch operations therefore never see past it.
//!
//! Admins and owners have no subject: they define the policies and see everything. A
//! link's referential actions (cascade, set null) are the schema's and pass through
//! policies, as foreign keys pass through Postgres's own row security.

use crate::catalog::{Catalog, FieldType, Policy, Subject, Table, Var};
use crate::error::{ApiError, ErrorCode};
use crate::ids::FieldId;
use crate::plan::{Column, Condition, DeleteTarget, Expr, Include, Plan};
use crate::query::Op;
use serde::{Deserialize, Serialize};

/// Who the policies are evaluated for: the caller's subject (none for admins and owners)
/// and the values its conditions may compare with.
#[derive(Clone, Debug, PartialEq)]
pub struct Caller {
    pub subject: Option<Subject>,
    pub user_id: Option<String>,
    pub user_email: Option<String>,
    pub token_id: Option<String>,
    pub token_name: Option<String>,
}

impl Caller {
    /// A caller no policy applies to.
    pub const UNRESTRICTED: Caller =
        Caller { subject: None, user_id: None, user_email: None, token_id: None, token_name: None };

    fn value(&self, var: Var) -> Option<&str> {
        match var {
            Var::UserId => self.user_id.as_deref(),
            Var::UserEmail => self.user_email.as_deref(),
            Var::TokenId => self.token_id.as_deref(),
            Var::TokenName => self.token_name.as_deref(),
        }
    }

    /// The table's policy for this caller, with its variables bound.
    pub fn applied<'a>(&self, table: &'a Table) -> Option<Applied<'a>> {
        let policy = table.policy(self.subject?)?;
        Some(Applied { rows: policy.rows.as_ref().map(|rows| self.bind(rows)), policy })
    }

    /// A condition with each variable replaced by the caller's value. A variable the
    /// caller has no value for makes its condition false, even under `not`.
    fn bind(&self, expr: &Expr) -> Expr {
        match expr {
            Expr::And(children) => Expr::And(children.iter().map(|child| self.bind(child)).collect()),
            Expr::Or(children) => Expr::Or(children.iter().map(|child| self.bind(child)).collect()),
            Expr::Not(child) => Expr::Not(Box::new(self.bind(child))),
            Expr::Cond(condition) => match condition.var {
                None => expr.clone(),
                Some(var) => match self.value(var) {
                    Some(value) => {
                        Expr::Cond(Condition { values: vec![value.to_owned()], var: None, ..condition.clone() })
                    }
                    None => Expr::Or(Vec::new()),
                },
            },
        }
    }
}

/// Whom an admin's read is answered as (`X-See-As`, with `X-See-As-Email` for a member
/// or `X-See-As-Token` for a token's name): a preview of a policy, never a write.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeeAs {
    pub subject: Subject,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_name: Option<String>,
}

pub const SEE_AS_HEADER: &str = "x-see-as";
pub const SEE_AS_EMAIL_HEADER: &str = "x-see-as-email";
pub const SEE_AS_TOKEN_HEADER: &str = "x-see-as-token";

impl SeeAs {
    /// The `X-See-As` headers of a request: none, or a subject with at most one value.
    pub fn from_headers(get: impl Fn(&str) -> Option<String>) -> Result<Option<SeeAs>, ApiError> {
        let Some(subject) = get(SEE_AS_HEADER) else { return Ok(None) };
        let invalid =
            |message: String, header: &str| ApiError::new(ErrorCode::InvalidRequest, message).with("header", header);
        let subject = Subject::ALL
            .into_iter()
            .find(|candidate| candidate.as_str() == subject)
            .ok_or_else(|| invalid("'X-See-As' is viewer, editor or token.".to_owned(), "X-See-As"))?;
        let value = |header: &str| -> Result<Option<String>, ApiError> {
            match get(header) {
                Some(value) if value.is_empty() || value.len() > 320 => {
                    Err(invalid(format!("'{header}' has 1 to 320 characters."), header))
                }
                value => Ok(value),
            }
        };
        let (email, token_name) = (value(SEE_AS_EMAIL_HEADER)?, value(SEE_AS_TOKEN_HEADER)?);
        match (subject, &email, &token_name) {
            (Subject::Token, Some(_), _) => {
                Err(invalid("A token has no email; name it with 'X-See-As-Token'.".into(), "X-See-As-Email"))
            }
            (Subject::Viewer | Subject::Editor, _, Some(_)) => {
                Err(invalid("A member has no token name; name them with 'X-See-As-Email'.".into(), "X-See-As-Token"))
            }
            _ => Ok(Some(SeeAs { subject, email, token_name })),
        }
    }
}

/// A table's policy for one caller.
pub struct Applied<'a> {
    /// The row condition with the caller's values bound.
    pub rows: Option<Expr>,
    policy: &'a Policy,
}

impl Applied<'_> {
    pub fn can_read(&self, field: FieldId) -> bool {
        self.policy.read.as_ref().is_none_or(|read| read.contains(&field))
    }

    pub fn can_write(&self, field: FieldId) -> bool {
        self.policy.write.as_ref().is_none_or(|write| write.contains(&field))
    }

    /// The fields of `table` this caller reads, in table order; `None` when all.
    pub fn readable(&self, table: &Table) -> Option<Vec<FieldId>> {
        self.policy.read.as_ref()?;
        Some(table.fields.iter().map(|field| field.id).filter(|id| self.can_read(*id)).collect())
    }
}

fn denied(message: String, reason: &str) -> ApiError {
    ApiError::new(ErrorCode::PolicyDenied, message).with("reason", reason)
}

fn field_name(table: &Table, id: FieldId) -> &str {
    table.field_by_id(id).map_or("?", |field| field.name.as_str())
}

/// Refuses a plan that reads a field (in its projection, filter, sort or includes) or
/// writes one that the caller's policies do not allow; rows are left to the lowering.
pub fn check(plan: &Plan, catalog: &Catalog, caller: &Caller) -> Result<(), ApiError> {
    if caller.subject.is_none() {
        return Ok(());
    }
    let table =
        catalog.table_by_id(plan.table()).ok_or_else(|| ApiError::new(ErrorCode::TableNotFound, "No such table."))?;
    let read = |table: &Table, id: FieldId| -> Result<(), ApiError> {
        match caller.applied(table) {
            Some(applied) if !applied.can_read(id) => Err(denied(
                format!("Your policy on '{}' does not let you read field '{}'.", table.name, field_name(table, id)),
                "field_not_readable",
            )
            .with("table", table.name.as_str())
            .with("field", field_name(table, id))),
            _ => Ok(()),
        }
    };
    let column = |column: Column| -> Result<(), ApiError> {
        match column {
            Column::Field(id) => read(table, id),
            Column::Linked(link, id) => {
                read(table, link)?;
                let target = table.field_by_id(link).and_then(|field| field.link.as_ref());
                match target.and_then(|link| catalog.table_by_id(link.table)) {
                    Some(target) => read(target, id),
                    None => Ok(()),
                }
            }
            Column::Id | Column::CreatedAt | Column::UpdatedAt => Ok(()),
        }
    };
    let filter = |expr: &Option<Expr>| -> Result<(), ApiError> {
        expr.iter().flat_map(Expr::conditions).try_for_each(|condition| column(condition.column))
    };
    let write = |values: Vec<FieldId>| -> Result<(), ApiError> {
        let Some(applied) = caller.applied(table) else { return Ok(()) };
        match values.into_iter().find(|id| !applied.can_write(*id)) {
            Some(id) => Err(denied(
                format!("Your policy on '{}' does not let you write field '{}'.", table.name, field_name(table, id)),
                "field_not_writable",
            )
            .with("table", table.name.as_str())
            .with("field", field_name(table, id))),
            None => Ok(()),
        }
    };
    let includes = |include: &[Include]| -> Result<(), ApiError> {
        for include in include {
            match *include {
                Include::Link(id) => read(table, id)?,
                Include::Field(link, id) => column(Column::Linked(link, id))?,
                Include::Reverse(linking, id) => {
                    if let Some(linking) = catalog.table_by_id(linking) {
                        read(linking, id)?;
                    }
                }
            }
        }
        Ok(())
    };
    match plan {
        Plan::GetRecord { fields, include, .. } => {
            fields.iter().flatten().try_for_each(|id| read(table, *id))?;
            includes(include)
        }
        Plan::ListRecords { filter: condition, sort, fields, include, .. } => {
            fields.iter().flatten().try_for_each(|id| read(table, *id))?;
            filter(condition)?;
            sort.iter().try_for_each(|key| column(key.column))?;
            includes(include)
        }
        Plan::CreateRecord { values, .. } | Plan::UpdateRecord { values, .. } => {
            write(values.iter().map(|assignment| assignment.field).collect())
        }
        Plan::UpsertRecords { key, items, .. } => {
            key.iter().try_for_each(|id| read(table, *id))?;
            write(items.iter().flat_map(|item| item.values.iter().map(|assignment| assignment.field)).collect())
        }
        Plan::DeleteRecords { target: DeleteTarget::Filter(expr), .. } => filter(&Some(expr.clone())),
        Plan::DeleteRecord { .. } | Plan::DeleteRecords { .. } => Ok(()),
    }
}

/// A table's policy as a client writes it: fields by name, `rows` in the `where` form
/// where a value may be a caller variable (`{"var": "user.email"}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPolicy {
    pub subject: Subject,
    /// The records the subject may see, update and delete, and may create or leave
    /// behind after an update: a condition over the table's own fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<serde_json::Value>,
    /// The fields the subject may read (every field when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<Vec<String>>,
    /// The fields the subject may write (every field when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write: Option<Vec<String>>,
}

/// Policies a table may have: one per subject.
pub const MAX_POLICIES: usize = Subject::ALL.len();

/// Resolves a table's new policies against the catalog: names to ids, conditions typed
/// and their variables fit for the subject.
pub fn compile(table: &Table, policies: &[NewPolicy]) -> Result<Vec<Policy>, ApiError> {
    let invalid = |message: String, path: String| ApiError::new(ErrorCode::ValidationError, message).with("path", path);
    let mut out: Vec<Policy> = Vec::with_capacity(policies.len());
    for (n, new) in policies.iter().enumerate() {
        if out.iter().any(|policy| policy.subject == new.subject) {
            return Err(invalid(
                format!("There are two policies for '{}'; merge them into one.", new.subject.as_str()),
                format!("policies[{n}].subject"),
            ));
        }
        let rows = match &new.rows {
            None => None,
            Some(raw) => {
                let path = format!("policies[{n}].rows");
                let tree = crate::query::parse_condition(raw, &path, true)?;
                let expr = crate::plan::compile_condition(table, &tree).map_err(|error| error.with("path", &*path))?;
                expr.conditions().into_iter().try_for_each(|condition| match condition.var {
                    Some(var) if !new.subject.variables().contains(&var) => Err(invalid(
                        format!(
                            "'{}' has no value for {} callers; use one of {}.",
                            var.as_str(),
                            new.subject.as_str(),
                            new.subject.variables().iter().map(|var| var.as_str()).collect::<Vec<_>>().join(", ")
                        ),
                        path.clone(),
                    )),
                    _ => Ok(()),
                })?;
                Some(expr)
            }
        };
        let fields = |names: &Option<Vec<String>>, what: &str| -> Result<Option<Vec<FieldId>>, ApiError> {
            let Some(names) = names else { return Ok(None) };
            names
                .iter()
                .map(|name| {
                    table.field(name).map(|field| field.id).ok_or_else(|| {
                        invalid(
                            format!("Unknown field '{name}' in the policy's {what} list."),
                            format!("policies[{n}].{what}"),
                        )
                        .with("field", name.as_str())
                    })
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some)
        };
        out.push(Policy {
            subject: new.subject,
            rows,
            read: fields(&new.read, "read")?,
            write: fields(&new.write, "write")?,
        });
    }
    Ok(out)
}

/// A stored condition back in the `where` form, fields by their current names.
pub fn render(table: &Table, expr: &Expr) -> serde_json::Value {
    use serde_json::json;
    match expr {
        Expr::And(children) => json!({ "and": children.iter().map(|child| render(table, child)).collect::<Vec<_>>() }),
        Expr::Or(children) => json!({ "or": children.iter().map(|child| render(table, child)).collect::<Vec<_>>() }),
        Expr::Not(child) => json!({ "not": render(table, child) }),
        Expr::Cond(condition) => {
            let field = match condition.column {
                Column::Id => "id".to_owned(),
                Column::CreatedAt => "created_at".to_owned(),
                Column::UpdatedAt => "updated_at".to_owned(),
                Column::Field(id) | Column::Linked(id, _) => field_name(table, id).to_owned(),
            };
            // Values in their JSON form: numbers and booleans as such, as a client wrote them.
            let field_type = match condition.column {
                Column::Field(id) => table.field_by_id(id).map(|field| field.field_type),
                _ => None,
            };
            let typed = |text: &String| -> serde_json::Value {
                match (condition.op, field_type) {
                    (Op::IsNull, _) | (_, Some(FieldType::Boolean)) => json!(text == "true"),
                    (_, Some(FieldType::Number)) => serde_json::from_str(text).unwrap_or_else(|_| json!(text)),
                    _ => json!(text),
                }
            };
            let value = match (condition.var, condition.op.takes_list()) {
                (Some(var), _) => json!({ "var": var.as_str() }),
                (None, true) => condition.values.iter().map(typed).collect(),
                (None, false) => condition.values.first().map_or(serde_json::Value::Null, typed),
            };
            json!({ "field": field, "op": condition.op.as_str(), "value": value })
        }
    }
}
