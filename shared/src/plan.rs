//! Compilation of a parsed request against the catalog into a [`Plan`]: every name is
//! resolved to a catalog id and every value is type-checked here, so a plan that
//! compiles is valid by construction and the origin never sees a client string as an
//! identifier.
//!
//! API Boundary: `Plan` is part of the signed envelope sent to the origin.

use crate::catalog::{Catalog, Field, FieldIndex, FieldType, Table};
use crate::error::{ApiError, ErrorCode};
use crate::ids::{FieldId, RecordId, TableId};
use crate::keys::Keyring;
use crate::query::{Filter, FilterValue, Op, RecordsQuery, SortSpec, Where};
use crate::value;
use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// Items in one batch request.
pub const MAX_BATCH_ITEMS: usize = 1000;
/// Distinct sets of fields among the items of one batch upsert (one statement each).
pub const MAX_BATCH_SHAPES: usize = 32;
/// Conditions in `filter[...]` and `where` together, on every path (lists, deletes by
/// filter, views with the conditions of the view itself).
pub const MAX_CONDITIONS: usize = 64;
/// Nesting of `and`/`or`/`not` in `where`.
pub const MAX_WHERE_DEPTH: usize = 8;
/// Values in one `in` list.
pub const MAX_IN_VALUES: usize = 100;
/// Sort keys, each a different field.
pub const MAX_SORT_KEYS: usize = 8;
/// Names in a projection (`fields=`).
pub const MAX_PROJECTION: usize = 256;
/// Keys in one record's `values`: more names than any table has (fields and former names).
pub const MAX_RECORD_KEYS: usize = 1024;
/// Problems listed in one validation error; more are counted, not listed.
pub const MAX_LISTED_ERRORS: usize = 100;
/// Relations embedded by one `include=`.
pub const MAX_INCLUDES: usize = 4;
/// Records of a reverse relation embedded per record (`has_more` tells there are more).
pub const REVERSE_PAGE: u32 = 25;
/// Fields of linked records (`customer.name`) one request may project.
pub const MAX_LINKED_FIELDS: usize = 16;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Plan {
    GetRecord {
        table: TableId,
        id: RecordId,
        fields: Option<Vec<FieldId>>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        include: Vec<Include>,
    },
    ListRecords {
        table: TableId,
        filter: Option<Expr>,
        /// Always ends with `id`, so the order is total and keyset pagination exact.
        sort: Vec<SortKey>,
        fields: Option<Vec<FieldId>>,
        limit: u32,
        /// Keyset position: the sort key of the last row already returned, as Postgres text.
        after: Option<Vec<Option<String>>>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        include: Vec<Include>,
    },
    CreateRecord {
        table: TableId,
        /// Client-chosen id; the server generates one when absent.
        id: Option<RecordId>,
        values: Vec<Assignment>,
    },
    UpdateRecord {
        table: TableId,
        id: RecordId,
        values: Vec<Assignment>,
        /// `If-Match`: the version the client last saw.
        if_match: Option<i64>,
    },
    DeleteRecord {
        table: TableId,
        id: RecordId,
        if_match: Option<i64>,
    },
    /// Bulk delete: by ids (all-or-nothing for `batchDelete`) or by a filter.
    DeleteRecords {
        table: TableId,
        target: DeleteTarget,
    },
    /// `batchUpsert`: insert or update each item, keyed by `key` (a unique field) or by id.
    UpsertRecords {
        table: TableId,
        key: Option<FieldId>,
        items: Vec<Item>,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeleteTarget {
    Ids { ids: Vec<RecordId>, all_or_nothing: bool },
    Filter(Expr),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: Option<RecordId>,
    pub values: Vec<Assignment>,
}

/// A column a condition or sort key can name: a system column or a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Id,
    CreatedAt,
    UpdatedAt,
    Field(FieldId),
    /// A field of the record a link field points at (`customer.name`): (link, target field).
    Linked(FieldId, FieldId),
}

/// A relation embedded in each record of an answer, under `included`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Include {
    /// The record a link field of this table points at (`include=customer`), or null.
    Link(FieldId),
    /// The first [`REVERSE_PAGE`] records of another table whose link points at this
    /// record (`include=orders.customer`), oldest first.
    Reverse(TableId, FieldId),
    /// A field of the linked record among the record's own values, named `link.field`
    /// (`fields=total,customer.name`, or a view's joined field); null without a link.
    Field(FieldId, FieldId),
}

/// A boolean tree of type-checked conditions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Cond(Condition),
}

/// `column op values`, with every value already validated for the column's type:
/// one value, two for `between`, one or more for `in`, `"true"`/`"false"` for `is_null`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    pub column: Column,
    pub op: Op,
    pub values: Vec<String>,
    /// In a policy: the caller's value to compare with, bound into `values` when the
    /// policy is applied ([`crate::policy::Applied`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub var: Option<crate::catalog::Var>,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SortKey {
    pub column: Column,
    pub descending: bool,
}

/// `field = value`; `None` is NULL.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    pub field: FieldId,
    pub value: Option<String>,
}

impl Expr {
    /// Every condition of the tree.
    pub fn conditions(&self) -> Vec<&Condition> {
        match self {
            Expr::And(children) | Expr::Or(children) => children.iter().flat_map(Expr::conditions).collect(),
            Expr::Not(child) => child.conditions(),
            Expr::Cond(condition) => vec![condition],
        }
    }
}

impl Plan {
    pub fn table(&self) -> TableId {
        match self {
            Plan::GetRecord { table, .. }
            | Plan::ListRecords { table, .. }
            | Plan::CreateRecord { table, .. }
            | Plan::UpdateRecord { table, .. }
            | Plan::DeleteRecord { table, .. }
            | Plan::DeleteRecords { table, .. }
            | Plan::UpsertRecords { table, .. } => *table,
        }
    }

    /// The operation of the API the plan answers (its name labels logs and metrics).
    pub fn operation(&self) -> crate::api::OperationId {
        use crate::api::OperationId as Id;
        match self {
            Plan::GetRecord { .. } => Id::GetRecord,
            Plan::ListRecords { .. } => Id::ListRecords,
            Plan::CreateRecord { .. } => Id::CreateRecord,
            Plan::UpdateRecord { .. } => Id::UpdateRecord,
            Plan::DeleteRecord { .. } => Id::DeleteRecord,
            Plan::DeleteRecords { target: DeleteTarget::Ids { all_or_nothing: true, .. }, .. } => {
                Id::BatchDeleteRecords
            }
            Plan::DeleteRecords { .. } => Id::DeleteRecords,
            Plan::UpsertRecords { .. } => Id::BatchUpsertRecords,
        }
    }

    /// Whether the plan changes data (and so runs in a transaction, with idempotency).
    pub fn is_write(&self) -> bool {
        !matches!(self, Plan::GetRecord { .. } | Plan::ListRecords { .. })
    }
}

/// A column as the query language sees it: its type and whether it can be NULL.
#[derive(Clone, Copy, Debug)]
pub struct ColumnInfo<'a> {
    pub column: Column,
    pub name: &'a str,
    pub field_type: FieldType,
    pub nullable: bool,
    pub field: Option<&'a Field>,
}

/// Resolves a name (a field or `id`, `created_at`, `updated_at`) in a table.
pub fn resolve<'a>(table: &'a Table, name: &'a str) -> Option<ColumnInfo<'a>> {
    system_column(name).or_else(|| table.field(name).map(field_column))
}

/// [`resolve`] through the table's index, for inputs that name many fields.
pub fn resolve_in<'a>(index: &FieldIndex<'a>, name: &'a str) -> Option<ColumnInfo<'a>> {
    system_column(name).or_else(|| index.get(name).map(|(_, field)| field_column(field)))
}

fn system_column(name: &str) -> Option<ColumnInfo<'_>> {
    let system = |column, field_type| Some(ColumnInfo { column, name, field_type, nullable: false, field: None });
    match name {
        "id" => system(Column::Id, FieldType::Uuid),
        "created_at" => system(Column::CreatedAt, FieldType::Datetime),
        "updated_at" => system(Column::UpdatedAt, FieldType::Datetime),
        _ => None,
    }
}

fn field_column(field: &Field) -> ColumnInfo<'_> {
    ColumnInfo {
        column: Column::Field(field.id),
        name: &field.name,
        field_type: field.field_type,
        nullable: !field.required,
        field: Some(field),
    }
}

/// The info of a column of a compiled plan (whose ids come from the same catalog).
pub fn column_info(table: &Table, column: Column) -> Option<ColumnInfo<'_>> {
    match column {
        Column::Id => resolve(table, "id"),
        Column::CreatedAt => resolve(table, "created_at"),
        Column::UpdatedAt => resolve(table, "updated_at"),
        Column::Field(id) => table.field_by_id(id).and_then(|field| resolve(table, &field.name)),
        // Its type is the target table's, which a table alone does not know.
        Column::Linked(..) => None,
    }
}

/// `GET /records/{id}`. An id that is not a UUID cannot exist, so it is a 404 too.
pub fn compile_get(table: &Table, id: &str, fields: Option<&[String]>) -> Result<Plan, ApiError> {
    compile_get_in(None, table, id, &RecordsQuery { fields: fields.map(<[String]>::to_vec), ..RecordsQuery::default() })
}

/// [`compile_get`] with its relations: `fields` and `include` from `query`, links
/// resolved in `catalog`.
pub fn compile_get_in(
    catalog: Option<&Catalog>,
    table: &Table,
    id: &str,
    query: &RecordsQuery,
) -> Result<Plan, ApiError> {
    let (fields, include) = projection_and_includes(catalog, table, query)?;
    Ok(Plan::GetRecord { table: table.id, id: record_id(id)?, fields, include })
}

/// The relations `include=` names: a link field of `table` (`customer`), or the reverse
/// side of another table's link to it (`orders.customer`).
fn includes(catalog: Option<&Catalog>, table: &Table, names: &[String]) -> Result<Vec<Include>, ApiError> {
    if names.len() > MAX_INCLUDES {
        return Err(over_limit("include", "relations in 'include'", MAX_INCLUDES, names.len()));
    }
    let unknown = |name: &str, why: String| {
        ApiError::new(ErrorCode::InvalidQuery, format!("Cannot include '{name}': {why}"))
            .with("parameter", "include")
            .with("field", name)
    };
    let mut found = Vec::new();
    for name in names {
        let include = match name.split_once('.') {
            None => match table.field(name) {
                Some(field) if field.link.is_some() => Include::Link(field.id),
                Some(field) => return Err(unknown(name, format!("'{}' is not a link field.", field.name))),
                None => return Err(unknown(name, format!("table '{}' has no field '{name}'.", table.name))),
            },
            Some((other, field_name)) => {
                let linking = catalog.and_then(|catalog| catalog.table(other)).ok_or_else(|| {
                    unknown(name, format!("no table '{other}' (write <table>.<its link field> for the reverse side)."))
                })?;
                match linking.field(field_name) {
                    Some(field) if field.link.as_ref().is_some_and(|link| link.table == table.id) => {
                        Include::Reverse(linking.id, field.id)
                    }
                    _ => {
                        return Err(unknown(
                            name,
                            format!("'{field_name}' of '{}' is not a link to '{}'.", linking.name, table.name),
                        ));
                    }
                }
            }
        };
        if !found.contains(&include) {
            found.push(include);
        }
    }
    Ok(found)
}

fn record_id(id: &str) -> Result<RecordId, ApiError> {
    RecordId::parse(id).ok_or_else(|| record_not_found(id))
}

pub fn record_not_found(id: &str) -> ApiError {
    ApiError::new(ErrorCode::RecordNotFound, format!("No record with id '{id}' in this table.")).with("id", id)
}

/// `fields=` and `include=`: the record's own fields, and the relations embedded, with
/// the linked fields `fields` names (`customer.name`) among them.
fn projection_and_includes(
    catalog: Option<&Catalog>,
    table: &Table,
    query: &RecordsQuery,
) -> Result<(Option<Vec<FieldId>>, Vec<Include>), ApiError> {
    let mut include = includes(catalog, table, &query.include)?;
    let Some(names) = query.fields.as_deref() else { return Ok((None, include)) };
    let (linked, own): (Vec<&String>, Vec<&String>) =
        names.iter().partition(|name| name.contains('.') && resolve(table, name).is_none());
    if linked.len() > MAX_LINKED_FIELDS {
        return Err(over_limit("fields", "linked fields (link.field) in 'fields'", MAX_LINKED_FIELDS, linked.len()));
    }
    for name in linked {
        match filter_column(catalog, table, name).map(|info| info.column) {
            Some(Column::Linked(link, field)) if !include.contains(&Include::Field(link, field)) => {
                include.push(Include::Field(link, field));
            }
            Some(_) => {}
            None => return Err(unknown_in_fields(name)),
        }
    }
    let own: Vec<String> = own.into_iter().cloned().collect();
    Ok((Some(projection(table, &own)?), include))
}

fn unknown_in_fields(name: &str) -> ApiError {
    ApiError::new(ErrorCode::InvalidQuery, format!("Unknown field '{name}' in 'fields'."))
        .with("parameter", "fields")
        .with("field", name)
        .with("reason", "unknown_field")
}

/// The fields of `names`, each once, in the table's order: requests that name the same
/// fields in another order share one SQL statement.
fn projection(table: &Table, names: &[String]) -> Result<Vec<FieldId>, ApiError> {
    if names.len() > MAX_PROJECTION {
        return Err(over_limit("fields", "names in 'fields'", MAX_PROJECTION, names.len()));
    }
    let mut ids = Vec::new();
    for name in names {
        match resolve(table, name) {
            Some(ColumnInfo { column: Column::Field(id), .. }) => {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            // System columns are always returned.
            Some(_) => {}
            None => return Err(unknown_in_fields(name)),
        }
    }
    ids.sort_by_key(|id| table.fields.iter().position(|field| field.id == *id));
    Ok(ids)
}

/// A count over one of the limits above: `400 INVALID_QUERY` naming it.
fn over_limit(parameter: &str, what: &str, max: usize, got: usize) -> ApiError {
    ApiError::new(ErrorCode::InvalidQuery, format!("At most {max} {what} are allowed; got {got}."))
        .with("parameter", parameter)
        .with("max", max)
}

/// The bounds every query path shares, checked before any name is resolved.
fn check_bounds(query: &RecordsQuery) -> Result<(), ApiError> {
    let conditions = query.filters.len() + query.filter_where.as_ref().map_or(0, Where::leaves);
    if conditions > MAX_CONDITIONS {
        return Err(over_limit("filter", "conditions in filter[...] and where together", MAX_CONDITIONS, conditions));
    }
    if let Some(tree) = &query.filter_where
        && tree.depth() > MAX_WHERE_DEPTH
    {
        return Err(over_limit("where", "levels of nesting in 'where'", MAX_WHERE_DEPTH, tree.depth()));
    }
    if query.sort.len() > MAX_SORT_KEYS {
        return Err(over_limit("sort", "sort keys", MAX_SORT_KEYS, query.sort.len()));
    }
    Ok(())
}

/// `GET /records?...`: resolves filters, sort and projection, and opens the cursor.
///
/// A cursor is opened with any key of `keys` (see [`Keyring::open_cursor`]).
pub fn compile_list(table: &Table, query: &RecordsQuery, keys: &Keyring) -> Result<Plan, ApiError> {
    compile_list_in(None, table, query, keys)
}

/// [`compile_list`] with its relations: filters on linked fields and `include`,
/// resolved in `catalog`.
pub fn compile_list_in(
    catalog: Option<&Catalog>,
    table: &Table,
    query: &RecordsQuery,
    keys: &Keyring,
) -> Result<Plan, ApiError> {
    if !query.ids.is_empty() {
        return Err(ApiError::new(
            ErrorCode::InvalidQuery,
            "'ids[]' applies to DELETE only; filter with filter[id][in]=…",
        )
        .with("parameter", "ids[]"));
    }
    check_bounds(query)?;
    let filter = compile_filter(catalog, table, query)?;
    let sort = compile_sort(table, &query.sort)?;
    let (fields, include) = projection_and_includes(catalog, table, query)?;
    let after = match &query.cursor {
        None => None,
        Some(text) => {
            let key = keys
                .open_cursor(&list_shape(table.id, &filter, &sort), text)
                .filter(|key| key.len() == sort.len())
                .ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::InvalidQuery,
                        "The cursor is invalid, was altered, or belongs to another query; restart from the first page.",
                    )
                    .with("parameter", "cursor")
                })?;
            Some(key)
        }
    };
    let limit = query.limit.unwrap_or(crate::query::DEFAULT_LIMIT);
    Ok(Plan::ListRecords { table: table.id, filter, sort, fields, limit, after, include })
}

/// The field an index could serve a list by: its first sort key when it is a stored
/// field (not the default `created_at` order), else the first condition of its filter
/// on one, with the key's direction.
pub fn index_candidate(table: &Table, plan: &Plan) -> Option<(FieldId, bool)> {
    let Plan::ListRecords { filter, sort, .. } = plan else { return None };
    let stored = |column: Column| match column {
        Column::Field(id) => table.field_by_id(id).filter(|field| field.is_stored()).map(|field| field.id),
        _ => None,
    };
    if let Some(key) = sort.first()
        && let Some(field) = stored(key.column)
    {
        return Some((field, key.descending));
    }
    let conditions = filter.as_ref().map(Expr::conditions).unwrap_or_default();
    conditions.iter().find_map(|condition| stored(condition.column)).map(|field| (field, false))
}

/// Binds a cursor to its query: the table, the filter and the sort.
pub fn list_shape(table: TableId, filter: &Option<Expr>, sort: &[SortKey]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(table.0.as_bytes());
    hasher.update(serde_json::to_vec(&(filter, sort)).expect("plans always serialize"));
    hex::encode(&hasher.finalize()[..16])
}

/// The conditions of `filter[...]` and `where`, all of which must hold.
fn compile_filter(catalog: Option<&Catalog>, table: &Table, query: &RecordsQuery) -> Result<Option<Expr>, ApiError> {
    let mut all =
        query.filters.iter().map(|filter| condition(catalog, table, filter)).collect::<Result<Vec<_>, _>>()?;
    if let Some(tree) = &query.filter_where {
        all.push(compile_where(catalog, table, tree)?);
    }
    Ok(match all.len() {
        0 => None,
        1 => all.pop(),
        _ => Some(Expr::And(all)),
    })
}

/// A condition tree over `table`'s own fields (no `link.field`): record rules and
/// policy rows, where a caller variable may stand for a value.
/// Its errors are the body's (422), not a query's.
pub fn compile_condition(table: &Table, tree: &Where) -> Result<Expr, ApiError> {
    compile_where(None, table, tree).map_err(|error| ApiError { code: ErrorCode::ValidationError, ..error })
}

fn compile_where(catalog: Option<&Catalog>, table: &Table, tree: &Where) -> Result<Expr, ApiError> {
    let all = |children: &[Where]| -> Result<Vec<Expr>, ApiError> {
        children.iter().map(|child| compile_where(catalog, table, child)).collect()
    };
    Ok(match tree {
        Where::And(children) => Expr::And(all(children)?),
        Where::Or(children) => Expr::Or(all(children)?),
        Where::Not(child) => Expr::Not(Box::new(compile_where(catalog, table, child)?)),
        Where::Leaf(filter) => condition(catalog, table, filter)?,
    })
}

/// `link.field`: a link field of `table` and a field of the table it points at.
pub fn linked_field(catalog: &Catalog, table: &Table, name: &str) -> Option<(FieldId, FieldId)> {
    match filter_column(Some(catalog), table, name)?.column {
        Column::Linked(link, field) => Some((link, field)),
        _ => None,
    }
}

/// A filter's column: a column of `table`, or `link.field`, a field of the record a
/// link points at (one hop).
fn filter_column<'a>(catalog: Option<&'a Catalog>, table: &'a Table, name: &'a str) -> Option<ColumnInfo<'a>> {
    if let Some(info) = resolve(table, name) {
        return Some(info);
    }
    let (link_name, target_name) = name.split_once('.')?;
    let link_field = table.field(link_name)?;
    let target = catalog?.table_by_id(link_field.link.as_ref()?.table)?;
    let field = target.field(target_name)?;
    Some(ColumnInfo { column: Column::Linked(link_field.id, field.id), name, nullable: true, ..field_column(field) })
}

fn condition(catalog: Option<&Catalog>, table: &Table, filter: &Filter) -> Result<Expr, ApiError> {
    let op = filter.op;
    let info = filter_column(catalog, table, &filter.field).ok_or_else(|| {
        ApiError::new(ErrorCode::InvalidQuery, format!("Unknown field '{}' in filter.", filter.field))
            .with("field", filter.field.as_str())
            .with("reason", "unknown_field")
    })?;
    let field_type = info.field_type;
    if !applies(op, field_type) {
        return Err(ApiError::new(
            ErrorCode::InvalidQuery,
            format!(
                "Operator '{}' does not apply to field '{}' of type {}.",
                op.as_str(),
                info.name,
                field_type.as_str()
            ),
        )
        .with("field", info.name)
        .with("operator", op.as_str())
        .with("type", field_type.as_str()));
    }
    let texts: Vec<&str> = match &filter.value {
        FilterValue::One(text) => vec![text.as_str()],
        FilterValue::List(items) => items.iter().map(String::as_str).collect(),
        FilterValue::Var(var) => return var_condition(info, op, *var),
    };
    let arity_ok = match op {
        Op::In => (1..=MAX_IN_VALUES).contains(&texts.len()),
        Op::Between => texts.len() == 2,
        _ => texts.len() == 1,
    };
    if !arity_ok {
        let expected = match op {
            Op::In => format!("1 to {MAX_IN_VALUES} values"),
            Op::Between => "two values, low and high".to_owned(),
            _ => "one value".to_owned(),
        };
        return Err(ApiError::new(
            ErrorCode::InvalidQuery,
            format!("'{}' on '{}' takes {expected}; got {}.", op.as_str(), info.name, texts.len()),
        )
        .with("field", info.name)
        .with("operator", op.as_str()));
    }
    let check = |text: &str| -> Result<String, ApiError> {
        let result = match (op, info.field) {
            (Op::IsNull, _) => match text {
                "true" | "false" => Ok(text.to_owned()),
                _ => Err(ApiError::new(ErrorCode::ValidationError, "'is_null' takes true or false.")),
            },
            (Op::Contains | Op::StartsWith, _) if field_type.is_textual() => {
                if text.contains('\0') {
                    Err(ApiError::new(ErrorCode::ValidationError, "Filter text cannot contain NUL characters."))
                } else {
                    Ok(text.to_owned())
                }
            }
            (_, Some(field)) => value::from_text(field, text),
            (_, None) => {
                let system = Field { required: true, ..Field::new(FieldId(uuid::Uuid::nil()), info.name, field_type) };
                value::from_text(&system, text)
            }
        };
        result.map_err(|error| {
            ApiError { message: format!("{} (operator '{}')", error.message, op.as_str()), ..error }
                .with("field", info.name)
                .with("operator", op.as_str())
        })
    };
    let values = texts.into_iter().map(check).collect::<Result<Vec<_>, _>>()?;
    Ok(Expr::Cond(Condition { column: info.column, op, values, var: None }))
}

/// A policy's comparison with a caller variable: `eq` or `ne`, on a field that can hold
/// the variable's text (an id or an email).
fn var_condition(info: ColumnInfo<'_>, op: Op, var: crate::catalog::Var) -> Result<Expr, ApiError> {
    let fits = matches!(info.column, Column::Field(_))
        && (info.field_type.is_textual() || info.field_type == FieldType::Uuid && var.as_str().ends_with(".id"));
    if !matches!(op, Op::Eq | Op::Ne) || !fits {
        return Err(ApiError::new(
            ErrorCode::ValidationError,
            format!(
                "'{}' can only be compared with 'eq' or 'ne' to a text, email or uuid field of this table; '{}' is {}.",
                var.as_str(),
                info.name,
                info.field_type.as_str()
            ),
        )
        .with("field", info.name)
        .with("var", var.as_str()));
    }
    Ok(Expr::Cond(Condition { column: info.column, op, values: Vec::new(), var: Some(var) }))
}

/// Whether an operator applies to a field type.
pub fn applies(op: Op, field_type: FieldType) -> bool {
    match op {
        Op::Eq | Op::Ne | Op::In => !field_type.is_document(),
        Op::Gt | Op::Gte | Op::Lt | Op::Lte | Op::Between => is_ordered(field_type),
        Op::Contains => field_type.is_textual() || field_type == FieldType::MultiSelect,
        Op::StartsWith => field_type.is_textual(),
        Op::IsNull => true,
    }
}

/// Type-checks one condition against the table, as a list or a delete would.
pub fn check_filter(table: &Table, filter: &Filter) -> Result<(), ApiError> {
    condition(None, table, filter).map(drop)
}

/// Types with a meaningful order for `gt`…`between`.
fn is_ordered(field_type: FieldType) -> bool {
    matches!(
        field_type,
        FieldType::Text
            | FieldType::LongText
            | FieldType::Number
            | FieldType::Date
            | FieldType::Datetime
            | FieldType::Email
            | FieldType::Url
    )
}

/// The requested sort, completed with `id` so that the order is total. The default is
/// `created_at, id`, the order records were created in.
fn compile_sort(table: &Table, specs: &[SortSpec]) -> Result<Vec<SortKey>, ApiError> {
    if specs.is_empty() {
        return Ok(vec![
            SortKey { column: Column::CreatedAt, descending: false },
            SortKey { column: Column::Id, descending: false },
        ]);
    }
    let mut keys = Vec::with_capacity(specs.len() + 1);
    for spec in specs {
        let info = resolve(table, &spec.field).ok_or_else(|| {
            ApiError::new(ErrorCode::InvalidQuery, format!("Unknown field '{}' in 'sort'.", spec.field))
                .with("parameter", "sort")
                .with("field", spec.field.as_str())
                .with("reason", "unknown_field")
        })?;
        if info.field_type.is_document() {
            return Err(ApiError::new(
                ErrorCode::InvalidQuery,
                format!("Field '{}' of type {} cannot be sorted on.", info.name, info.field_type.as_str()),
            )
            .with("parameter", "sort")
            .with("field", info.name));
        }
        if keys.iter().any(|key: &SortKey| key.column == info.column) {
            return Err(ApiError::new(
                ErrorCode::InvalidQuery,
                format!("Field '{}' appears twice in 'sort'.", info.name),
            )
            .with("parameter", "sort")
            .with("field", info.name));
        }
        keys.push(SortKey { column: info.column, descending: spec.descending });
        if info.column == Column::Id {
            // Ids are unique: keys after it never decide anything.
            return Ok(keys);
        }
    }
    keys.push(SortKey { column: Column::Id, descending: false });
    Ok(keys)
}

/// `DELETE /records?ids[]=…` or `?filter…` (the caller checks `X-Allow-Filtered-Delete`).
pub fn compile_delete_many(
    catalog: Option<&Catalog>,
    table: &Table,
    query: &RecordsQuery,
    allow_filtered: bool,
) -> Result<Plan, ApiError> {
    let not_here = [
        ("cursor", query.cursor.is_some()),
        ("sort", !query.sort.is_empty()),
        ("fields", query.fields.is_some()),
        ("include", !query.include.is_empty()),
    ];
    if let Some((name, _)) = not_here.iter().find(|(_, given)| *given) {
        return Err(ApiError::new(ErrorCode::InvalidQuery, format!("'{name}' does not apply to a bulk delete."))
            .with("parameter", *name));
    }
    check_bounds(query)?;
    let filter = compile_filter(catalog, table, query)?;
    let target = match (query.ids.is_empty(), filter) {
        (false, None) => DeleteTarget::Ids { ids: parse_ids(&query.ids)?, all_or_nothing: false },
        (true, Some(filter)) if allow_filtered => DeleteTarget::Filter(filter),
        (true, Some(_)) => {
            return Err(ApiError::new(
                ErrorCode::InvalidRequest,
                "Deleting by filter needs the header 'X-Allow-Filtered-Delete: true', so that a mistyped filter cannot \
                 empty a table by accident.",
            )
            .with("header", "X-Allow-Filtered-Delete"));
        }
        (false, Some(_)) => {
            return Err(ApiError::new(ErrorCode::InvalidQuery, "Give either 'ids[]' or filters, not both."));
        }
        (true, None) => {
            return Err(ApiError::new(
                ErrorCode::InvalidQuery,
                "Say what to delete: 'ids[]=<id>' (repeatable), or filters with 'X-Allow-Filtered-Delete: true'.",
            ));
        }
    };
    Ok(Plan::DeleteRecords { table: table.id, target })
}

/// `POST /records:batchDelete` with `{"ids": [...]}`: all of them or none.
pub fn compile_batch_delete(table: &Table, body: &[u8]) -> Result<Plan, ApiError> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Body {
        ids: Vec<String>,
    }
    let body: Body = parse_body(body, "{\"ids\": [\"<uuid>\", ...]}")?;
    if body.ids.is_empty() {
        return Err(ApiError::new(ErrorCode::InvalidRequest, "'ids' must list at least one record id."));
    }
    Ok(Plan::DeleteRecords {
        table: table.id,
        target: DeleteTarget::Ids { ids: parse_ids(&body.ids)?, all_or_nothing: true },
    })
}

fn parse_ids(texts: &[String]) -> Result<Vec<RecordId>, ApiError> {
    if texts.len() > MAX_BATCH_ITEMS {
        return Err(too_many(texts.len()));
    }
    let mut ids: Vec<RecordId> = Vec::with_capacity(texts.len());
    let mut seen = std::collections::BTreeSet::new();
    for text in texts {
        let id = RecordId::parse(text).ok_or_else(|| {
            ApiError::new(ErrorCode::ValidationError, format!("'{text}' is not a record id (a UUID)."))
                .with("id", text.as_str())
        })?;
        if seen.insert(id.0) {
            ids.push(id);
        }
    }
    Ok(ids)
}

fn too_many(count: usize) -> ApiError {
    ApiError::new(
        ErrorCode::PayloadTooLarge,
        format!(
            "At most {MAX_BATCH_ITEMS} items per batch; got {count}. Split the batch, or use CSV import for bulk loads."
        ),
    )
    .with("max_items", MAX_BATCH_ITEMS)
}

fn parse_body<'a, T: Deserialize<'a>>(body: &'a [u8], shape: &str) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|error| {
        ApiError::new(ErrorCode::InvalidRequest, format!("The body must be a JSON object {shape}: {error}."))
    })
}

/// `POST /records` with `{"id"?: uuid, "values": {field: value}}`.
///
/// Every field problem is reported: `details.errors` lists each as `{field, code,
/// message}` (the first [`MAX_LISTED_ERRORS`] of them), and `details.field` names the first.
pub fn compile_create(table: &Table, body: &[u8]) -> Result<Plan, ApiError> {
    let body: RecordBody<'_> = parse_body(body, "{\"values\": {...}}")?;
    body.values.check_size()?;
    let id = optional_id(body.id)?;
    let mut problems = Problems::default();
    let values = assignments(table, &table.index(), &body.values, true, &mut problems, None);
    Ok(Plan::CreateRecord { table: table.id, id, values: values.ok_or_else(|| problems.into_error(None))? })
}

/// `PATCH /records/{id}` with `{"values": {...}}`: only the given fields change.
pub fn compile_update(table: &Table, id: &str, body: &[u8], if_match: Option<i64>) -> Result<Plan, ApiError> {
    let id = record_id(id)?;
    let body: RecordBody<'_> = parse_body(body, "{\"values\": {...}}")?;
    body.values.check_size()?;
    if body.id.is_some() {
        return Err(ApiError::new(
            ErrorCode::InvalidRequest,
            "A record's id cannot be changed; leave 'id' out of the body.",
        ));
    }
    if body.values.entries.is_empty() {
        return Err(ApiError::new(ErrorCode::InvalidRequest, "'values' is empty: name at least one field to change."));
    }
    let mut problems = Problems::default();
    let values = assignments(table, &table.index(), &body.values, false, &mut problems, None);
    Ok(Plan::UpdateRecord { table: table.id, id, values: values.ok_or_else(|| problems.into_error(None))?, if_match })
}

pub fn compile_delete(table: &Table, id: &str, if_match: Option<i64>) -> Result<Plan, ApiError> {
    Ok(Plan::DeleteRecord { table: table.id, id: record_id(id)?, if_match })
}

/// `POST /records:batchUpsert[?unique=<field>]` with `{"items": [{"id"?, "values"}]}`.
///
/// Without `unique`, items are matched by `id` (an item without one is inserted).
/// Every item must be complete (required fields given), since it may be an insert.
/// Problems are reported with the item's index; one bad item fails the batch. Items may
/// use at most [`MAX_BATCH_SHAPES`] different sets of fields (one statement each).
pub fn compile_upsert(table: &Table, unique: Option<&str>, body: &[u8]) -> Result<Plan, ApiError> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Body<'a> {
        #[serde(borrow)]
        items: Vec<RecordBody<'a>>,
    }
    let key = match unique {
        None => None,
        Some(name) => {
            let field = table.field(name).ok_or_else(|| {
                ApiError::new(ErrorCode::InvalidQuery, format!("Unknown field '{name}' in 'unique'."))
                    .with("parameter", "unique")
                    .with("reason", "unknown_field")
            })?;
            if !field.unique {
                return Err(ApiError::new(
                    ErrorCode::InvalidQuery,
                    format!("Field '{name}' is not unique, so it cannot key an upsert; use a unique field or ids."),
                )
                .with("parameter", "unique")
                .with("field", name));
            }
            Some(field)
        }
    };
    let body: Body<'_> = parse_body(body, "{\"items\": [{\"values\": {...}}, ...]}")?;
    if body.items.is_empty() {
        return Err(ApiError::new(ErrorCode::InvalidRequest, "'items' must hold at least one item."));
    }
    if body.items.len() > MAX_BATCH_ITEMS {
        return Err(too_many(body.items.len()));
    }
    for item in &body.items {
        item.values.check_size()?;
    }
    let index = table.index();
    let mut problems = Problems::default();
    let mut items = Vec::with_capacity(body.items.len());
    // The first item with each key value or id, to name both when one repeats.
    let mut keys: BTreeMap<String, usize> = BTreeMap::new();
    let mut ids: BTreeMap<RecordId, usize> = BTreeMap::new();
    let mut shapes: BTreeSet<Vec<FieldId>> = BTreeSet::new();
    for (position, item) in body.items.iter().enumerate() {
        let id = optional_id(item.id).map_err(|error| problems.push(error.with("index", position))).ok();
        let values = assignments(table, &index, &item.values, true, &mut problems, Some(position));
        let (Some(id), Some(values)) = (id, values) else { continue };
        match key {
            Some(field) => match values.iter().find(|a| a.field == field.id).and_then(|a| a.value.clone()) {
                None => problems.push(
                    value::invalid(
                        field,
                        "required",
                        format!("Item {position} has no value for the upsert key '{}'.", field.name),
                    )
                    .with("index", position),
                ),
                Some(text) => {
                    if let Some(first) = keys.get(&text) {
                        problems.push(
                            value::invalid(
                                field,
                                "duplicate_key",
                                format!("Items {first} and {position} have the same '{}'.", field.name),
                            )
                            .with("index", position),
                        );
                    } else {
                        keys.insert(text, position);
                    }
                }
            },
            None => {
                if let Some(id) = id {
                    if let Some(first) = ids.get(&id) {
                        problems.push(
                            ApiError::new(
                                ErrorCode::ValidationError,
                                format!("Items {first} and {position} have the same id {id}."),
                            )
                            .with("field", "id")
                            .with("reason", "duplicate_key")
                            .with("index", position),
                        );
                    } else {
                        ids.insert(id, position);
                    }
                }
            }
        }
        shapes.insert(values.iter().map(|assignment| assignment.field).collect());
        items.push(Item { id, values });
    }
    if !problems.is_empty() {
        return Err(problems.into_error(Some("items")));
    }
    if shapes.len() > MAX_BATCH_SHAPES {
        return Err(ApiError::new(
            ErrorCode::ValidationError,
            format!(
                "The items use {} different sets of fields; at most {MAX_BATCH_SHAPES} are allowed in one batch. \
                 Give every item the same fields (null for none), or split the batch.",
                shapes.len()
            ),
        )
        .with("max", MAX_BATCH_SHAPES));
    }
    Ok(Plan::UpsertRecords { table: table.id, key: key.map(|field| field.id), items })
}

fn optional_id(id: Option<&str>) -> Result<Option<RecordId>, ApiError> {
    id.map(|text| {
        RecordId::parse(text).ok_or_else(|| {
            ApiError::new(ErrorCode::ValidationError, "'id' must be a UUID.")
                .with("field", "id")
                .with("reason", "invalid_type")
        })
    })
    .transpose()
}

/// Validates `values` against the table; `complete` also requires every required field.
/// Problems go to `problems` (tagged with the batch item's index); `None` if there were
/// any. The assignments come in the table's field order, so that bodies naming the same
/// fields in another order make the same SQL statement.
fn assignments(
    table: &Table,
    index: &FieldIndex<'_>,
    values: &Values<'_>,
    complete: bool,
    problems: &mut Problems,
    item: Option<usize>,
) -> Option<Vec<Assignment>> {
    let before = problems.total;
    let mut report =
        |error: ApiError| problems.push(if let Some(item) = item { error.with("index", item) } else { error });
    let mut given = BTreeSet::new();
    let mut assignments = Vec::with_capacity(values.entries.len());
    for (name, raw) in &values.entries {
        match index.get(name) {
            None => report(
                ApiError::new(ErrorCode::ValidationError, format!("Unknown field '{name}'."))
                    .with("field", name.as_str())
                    .with("reason", "unknown_field"),
            ),
            // A field's former name and its name both resolve to it: once is enough.
            Some((_, field)) if !given.insert(field.id) => {
                report(value::invalid(field, "duplicate_field", format!("Field '{}' is given twice.", field.name)))
            }
            Some((_, field)) if !field.is_stored() => report(value::invalid(
                field,
                "read_only",
                format!("Field '{}' is computed and cannot be written.", field.name),
            )),
            Some((position, field)) => {
                let checked = value::from_json(field, raw).and_then(|value| {
                    value.as_deref().map(|text| crate::rules::check_value(field, text)).transpose()?;
                    Ok(value)
                });
                match checked {
                    Ok(value) => assignments.push((position, Assignment { field: field.id, value })),
                    Err(error) => report(error),
                }
            }
        }
    }
    if complete {
        // A required field with a default gets it from Postgres when left out.
        for field in table.fields.iter().filter(|field| field.required && field.default.is_none()) {
            if !given.contains(&field.id) {
                report(value::invalid(field, "required", format!("Field '{}' is required.", field.name)));
            }
        }
    }
    if problems.total > before {
        return None;
    }
    let given: Vec<Assignment> = assignments.iter().map(|(_, assignment)| assignment.clone()).collect();
    for error in record_rule_errors(table, &given, complete) {
        problems.push(if let Some(item) = item { error.with("index", item) } else { error });
    }
    if problems.total > before {
        return None;
    }
    assignments.sort_by_key(|(position, _)| *position);
    Some(assignments.into_iter().map(|(_, assignment)| assignment).collect())
}

/// The record rules that `values` break, where the values decide them (Postgres checks
/// the rest); `complete` values are a whole new record, whose other fields take their defaults.
pub fn record_rule_errors(table: &Table, values: &[Assignment], complete: bool) -> Vec<ApiError> {
    if table.rules.is_empty() {
        return Vec::new();
    }
    let defaults: Vec<(FieldId, Option<String>)> = match complete {
        true => table.fields.iter().map(|field| (field.id, crate::ddl::default_text(field))).collect(),
        false => Vec::new(),
    };
    let known = |id: FieldId| -> Option<Option<&str>> {
        match values.iter().find(|assignment| assignment.field == id) {
            Some(assignment) => Some(assignment.value.as_deref()),
            None if complete => {
                Some(defaults.iter().find(|(field, _)| *field == id).and_then(|(_, text)| text.as_deref()))
            }
            None => None,
        }
    };
    let mut errors = Vec::new();
    for rule in &table.rules {
        if crate::rules::breaks(table, rule, &known) == Some(true) {
            let field = rule.then.conditions().into_iter().find_map(|condition| match condition.column {
                Column::Field(id) => table.field_by_id(id),
                _ => None,
            });
            errors.push(
                ApiError::new(ErrorCode::ValidationError, rule.message.clone())
                    .with("field", field.map_or("", |field| field.name.as_str()))
                    .with("reason", "rule")
                    .with("rule", rule.name.as_str()),
            );
        }
    }
    errors
}

/// The problems of a request body: all are counted, the first [`MAX_LISTED_ERRORS`] kept.
#[derive(Default)]
struct Problems {
    listed: Vec<ApiError>,
    total: usize,
}

impl Problems {
    fn push(&mut self, error: ApiError) {
        self.total += 1;
        if self.listed.len() < MAX_LISTED_ERRORS {
            self.listed.push(error);
        }
    }

    fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// One 422 whose `details.errors` lists the problems; the first one's details stay at
    /// the top level. `scope` names the list the problems are in.
    fn into_error(self, scope: Option<&str>) -> ApiError {
        let first = self.listed.first().cloned().unwrap_or_else(ApiError::internal);
        let list: Vec<serde_json::Value> = self
            .listed
            .iter()
            .map(|error| {
                let mut entry = serde_json::Map::new();
                for key in ["index", "field"] {
                    if let Some(value) = error.details.get(key) {
                        entry.insert(key.to_owned(), value.clone());
                    }
                }
                entry.insert("code".into(), error.details.get("reason").cloned().unwrap_or_else(|| "invalid".into()));
                entry.insert("message".into(), error.message.clone().into());
                serde_json::Value::Object(entry)
            })
            .collect();
        let message = match (self.total, scope) {
            (1, _) => first.message.clone(),
            (n, Some(scope)) => format!("{} ({n} problems in {scope})", first.message),
            (n, None) => format!("{} ({n} problems in all)", first.message),
        };
        let error = ApiError { message, ..first }.with("errors", list);
        if self.total > MAX_LISTED_ERRORS { error.with("problems", self.total) } else { error }
    }
}

/// The body of a create, an update or a batch item.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordBody<'a> {
    #[serde(default, borrow)]
    id: Option<&'a str>,
    #[serde(borrow)]
    values: Values<'a>,
}

/// A JSON object kept in order with raw values; a key given twice is an error, not a
/// silent overwrite. Keys past [`MAX_RECORD_KEYS`] are counted and skipped, never kept.
struct Values<'a> {
    entries: Vec<(String, &'a RawValue)>,
    keys: usize,
}

impl Values<'_> {
    fn check_size(&self) -> Result<(), ApiError> {
        if self.keys <= MAX_RECORD_KEYS {
            return Ok(());
        }
        Err(ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!(
                "'values' has {} keys; a record has at most {MAX_RECORD_KEYS} (a table's fields, each once).",
                self.keys
            ),
        )
        .with("max", MAX_RECORD_KEYS)
        .with("keys", self.keys))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Values<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValuesVisitor;
        impl<'de> Visitor<'de> for ValuesVisitor {
            type Value = Values<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of field values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Values<'de>, A::Error> {
                let mut entries: Vec<(String, &'de RawValue)> = Vec::new();
                let mut seen = BTreeSet::new();
                let mut keys = 0;
                while keys < MAX_RECORD_KEYS {
                    let Some((key, value)) = map.next_entry::<String, &'de RawValue>()? else {
                        return Ok(Values { entries, keys });
                    };
                    if !seen.insert(key.clone()) {
                        return Err(serde::de::Error::custom(format!("field '{key}' is given twice")));
                    }
                    entries.push((key, value));
                    keys += 1;
                }
                // Too many: count the rest without keeping them, for the error.
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {
                    keys += 1;
                }
                Ok(Values { entries, keys })
            }
        }
        deserializer.deserialize_map(ValuesVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cursor;
    use crate::query::parse_records_query;
    use expect_test::{Expect, expect};
    use uuid::Uuid;

    pub fn table() -> Table {
        let field = |n: u128, name: &str, field_type, required| Field {
            required,
            unique: name == "email",
            options: if name == "tags" { vec!["vip".into(), "new".into()] } else { Vec::new() },
            ..Field::new(FieldId(Uuid::from_u128(n)), name, field_type)
        };
        Table {
            id: TableId(Uuid::from_u128(1)),
            name: "customers".into(),
            fields: vec![
                field(10, "name", FieldType::Text, true),
                field(11, "amount", FieldType::Number, false),
                field(12, "active", FieldType::Boolean, false),
                field(13, "signed_up_at", FieldType::Datetime, false),
                field(14, "email", FieldType::Email, false),
                field(15, "tags", FieldType::MultiSelect, false),
                field(16, "doc", FieldType::Json, false),
            ],
            aliases: Vec::new(),
            rules: Vec::new(),
            unique: Vec::new(),
            policies: Vec::new(),
            indexes: Vec::new(),
        }
    }

    fn check(result: Result<Plan, ApiError>, expected: Expect) {
        let actual = match result {
            Ok(plan) => serde_json::to_string(&plan).expect("json"),
            Err(error) => format!("{} {} {}", error.status(), error, serde_json::Value::Object(error.details.clone())),
        };
        expected.assert_eq(&actual);
    }

    fn list(raw: &str) -> Result<Plan, ApiError> {
        compile_list(&table(), &parse_records_query(raw)?, &Keyring::single(b"k"))
    }

    /// `customers` and `orders`, whose `customer` links to it.
    fn linked() -> Catalog {
        let link = crate::catalog::Link { table: table().id, on_delete: Default::default(), display: None };
        let customer =
            Field { link: Some(link), ..Field::new(FieldId(Uuid::from_u128(20)), "customer", FieldType::Link) };
        let orders = Table {
            id: TableId(Uuid::from_u128(2)),
            name: "orders".into(),
            fields: vec![customer, Field::new(FieldId(Uuid::from_u128(21)), "total", FieldType::Number)],
            aliases: Vec::new(),
            rules: Vec::new(),
            unique: Vec::new(),
            policies: Vec::new(),
            indexes: Vec::new(),
        };
        Catalog { base_id: crate::ids::BaseId(Uuid::nil()), version: 1, tables: vec![table(), orders] }
    }

    #[test]
    fn relations() {
        let catalog = linked();
        let on = |table: usize, raw: &str| -> Result<Plan, ApiError> {
            compile_list_in(Some(&catalog), &catalog.tables[table], &parse_records_query(raw)?, &Keyring::single(b"k"))
        };
        check(
            on(
                1,
                "filter[customer.name][starts_with]=Ad&filter[customer][eq]=3CA3DFAD-2A40-4D1A-A9E1-0DCA1D4FCD25&include=customer",
            ),
            expect![[
                r#"{"op":"list_records","table":"00000000-0000-0000-0000-000000000002","filter":{"and":[{"cond":{"column":{"linked":["00000000-0000-0000-0000-000000000014","00000000-0000-0000-0000-00000000000a"]},"op":"starts_with","values":["Ad"]}},{"cond":{"column":{"field":"00000000-0000-0000-0000-000000000014"},"op":"eq","values":["3ca3dfad-2a40-4d1a-a9e1-0dca1d4fcd25"]}}]},"sort":[{"column":"created_at","descending":false},{"column":"id","descending":false}],"fields":null,"limit":100,"after":null,"include":[{"link":"00000000-0000-0000-0000-000000000014"}]}"#
            ]],
        );
        check(
            on(0, "include=orders.customer,orders.customer"),
            expect![[
                r#"{"op":"list_records","table":"00000000-0000-0000-0000-000000000001","filter":null,"sort":[{"column":"created_at","descending":false},{"column":"id","descending":false}],"fields":null,"limit":100,"after":null,"include":[{"reverse":["00000000-0000-0000-0000-000000000002","00000000-0000-0000-0000-000000000014"]}]}"#
            ]],
        );
        check(
            on(1, "filter[customer.amount][eq]=lots"),
            expect![[
                r#"422 VALIDATION_ERROR: Field 'amount' must be a number (JSON number; at most 200 characters and exponent 1000). (operator 'eq') {"field":"customer.amount","operator":"eq","reason":"invalid_type","type":"number"}"#
            ]],
        );
        check(
            on(1, "filter[customer.nope][eq]=1"),
            expect![[
                r#"400 INVALID_QUERY: Unknown field 'customer.nope' in filter. {"field":"customer.nope","reason":"unknown_field"}"#
            ]],
        );
        check(
            on(1, "filter[total.name][eq]=1"),
            expect![[
                r#"400 INVALID_QUERY: Unknown field 'total.name' in filter. {"field":"total.name","reason":"unknown_field"}"#
            ]],
        );
        check(
            on(1, "include=total"),
            expect![[
                r#"400 INVALID_QUERY: Cannot include 'total': 'total' is not a link field. {"field":"total","parameter":"include"}"#
            ]],
        );
        check(
            on(0, "include=orders.total"),
            expect![[
                r#"400 INVALID_QUERY: Cannot include 'orders.total': 'total' of 'orders' is not a link to 'customers'. {"field":"orders.total","parameter":"include"}"#
            ]],
        );
        check(
            on(0, "include=invoices.customer"),
            expect![[
                r#"400 INVALID_QUERY: Cannot include 'invoices.customer': no table 'invoices' (write <table>.<its link field> for the reverse side). {"field":"invoices.customer","parameter":"include"}"#
            ]],
        );
        check(
            on(0, "include=a,b,c,d,e"),
            expect![[
                r#"400 INVALID_QUERY: At most 4 relations in 'include' are allowed; got 5. {"max":4,"parameter":"include"}"#
            ]],
        );
        check(
            on(1, "filter[customer][eq]=not-an-id"),
            expect![[
                r#"422 VALIDATION_ERROR: Field 'customer' must be the id of a record of the linked table (a UUID), or null. (operator 'eq') {"field":"customer","operator":"eq","reason":"invalid_type","type":"link"}"#
            ]],
        );
        check(
            list("filter[customer.name][eq]=x"),
            expect![[
                r#"400 INVALID_QUERY: Unknown field 'customer.name' in filter. {"field":"customer.name","reason":"unknown_field"}"#
            ]],
        );
    }

    #[test]
    fn create() {
        check(
            compile_create(&table(), br#"{"values":{"name":"Initech","amount":12.50,"active":null,"tags":["vip"]}}"#),
            expect![[
                r#"{"op":"create_record","table":"00000000-0000-0000-0000-000000000001","id":null,"values":[{"field":"00000000-0000-0000-0000-00000000000a","value":"Initech"},{"field":"00000000-0000-0000-0000-00000000000b","value":"12.50"},{"field":"00000000-0000-0000-0000-00000000000c","value":null},{"field":"00000000-0000-0000-0000-00000000000f","value":"[\"vip\"]"}]}"#
            ]],
        );
    }

    #[test]
    fn create_collects_field_errors() {
        check(
            compile_create(&table(), br#"{"values":{"amount":"ten","nope":1,"tags":["gold"]}}"#),
            expect![[
                r#"422 VALIDATION_ERROR: Field 'amount' must be a number (JSON number; at most 200 characters and exponent 1000). (4 problems in all) {"errors":[{"code":"invalid_type","field":"amount","message":"Field 'amount' must be a number (JSON number; at most 200 characters and exponent 1000)."},{"code":"unknown_field","field":"nope","message":"Unknown field 'nope'."},{"code":"invalid_option","field":"tags","message":"'gold' is not an option of field 'tags'; options: vip, new."},{"code":"required","field":"name","message":"Field 'name' is required."}],"field":"amount","reason":"invalid_type","type":"number"}"#
            ]],
        );
        check(
            compile_create(&table(), br#"{"values":{"name":"x","email":"nope"}}"#),
            expect![[
                r#"422 VALIDATION_ERROR: Field 'email' must be an email address, e.g. ops@example.com. {"errors":[{"code":"invalid_type","field":"email","message":"Field 'email' must be an email address, e.g. ops@example.com."}],"field":"email","reason":"invalid_type","type":"email"}"#
            ]],
        );
    }

    #[test]
    fn create_rejects_bad_shapes() {
        check(
            compile_create(&table(), b"[]"),
            expect![[
                r#"400 INVALID_REQUEST: The body must be a JSON object {"values": {...}}: invalid length 1, expected struct RecordBody with 2 elements at line 1 column 2. {}"#
            ]],
        );
        check(
            compile_create(&table(), br#"{"values":{"name":"a","name":"b"}}"#),
            expect![[
                r#"400 INVALID_REQUEST: The body must be a JSON object {"values": {...}}: field 'name' is given twice at line 1 column 33. {}"#
            ]],
        );
        check(
            compile_create(&table(), br#"{"values":{},"extra":1}"#),
            expect![[
                r#"400 INVALID_REQUEST: The body must be a JSON object {"values": {...}}: unknown field `extra`, expected `id` or `values` at line 1 column 20. {}"#
            ]],
        );
        check(
            compile_create(&table(), br#"{"id":"x","values":{"name":"a"}}"#),
            expect![[r#"422 VALIDATION_ERROR: 'id' must be a UUID. {"field":"id","reason":"invalid_type"}"#]],
        );
    }

    #[test]
    fn update_and_delete() {
        let id = "00000000-0000-0000-0000-000000000099";
        check(
            compile_update(&table(), id, br#"{"values":{"amount":1}}"#, Some(3)),
            expect![[
                r#"{"op":"update_record","table":"00000000-0000-0000-0000-000000000001","id":"00000000-0000-0000-0000-000000000099","values":[{"field":"00000000-0000-0000-0000-00000000000b","value":"1"}],"if_match":3}"#
            ]],
        );
        check(
            compile_update(&table(), id, br#"{"values":{}}"#, None),
            expect!["400 INVALID_REQUEST: 'values' is empty: name at least one field to change. {}"],
        );
        check(
            compile_update(&table(), id, br#"{"values":{"name":null}}"#, None),
            expect![[
                r#"422 VALIDATION_ERROR: Field 'name' is required and cannot be null. {"errors":[{"code":"required","field":"name","message":"Field 'name' is required and cannot be null."}],"field":"name","reason":"required","type":"text"}"#
            ]],
        );
        check(
            compile_update(&table(), "nope", br#"{"values":{"amount":1}}"#, None),
            expect![[r#"404 RECORD_NOT_FOUND: No record with id 'nope' in this table. {"id":"nope"}"#]],
        );
        check(
            compile_delete(&table(), id, None),
            expect![[
                r#"{"op":"delete_record","table":"00000000-0000-0000-0000-000000000001","id":"00000000-0000-0000-0000-000000000099","if_match":null}"#
            ]],
        );
    }

    #[test]
    fn list_filters() {
        check(
            list("limit=5&filter[amount][gt]=100"),
            expect![[
                r#"{"op":"list_records","table":"00000000-0000-0000-0000-000000000001","filter":{"cond":{"column":{"field":"00000000-0000-0000-0000-00000000000b"},"op":"gt","values":["100"]}},"sort":[{"column":"created_at","descending":false},{"column":"id","descending":false}],"fields":null,"limit":5,"after":null}"#
            ]],
        );
        check(
            list("filter[amount][eq]=abc"),
            expect![[
                r#"422 VALIDATION_ERROR: Field 'amount' must be a number (JSON number; at most 200 characters and exponent 1000). (operator 'eq') {"field":"amount","operator":"eq","reason":"invalid_type","type":"number"}"#
            ]],
        );
        check(
            list("filter[nope][eq]=1"),
            expect![[
                r#"400 INVALID_QUERY: Unknown field 'nope' in filter. {"field":"nope","reason":"unknown_field"}"#
            ]],
        );
        check(
            list("filter[amount][in]=1,2.5&filter[signed_up_at][between]=2025-01-01T00:00:00Z,2025-02-01T00:00:00Z"),
            expect![[
                r#"{"op":"list_records","table":"00000000-0000-0000-0000-000000000001","filter":{"and":[{"cond":{"column":{"field":"00000000-0000-0000-0000-00000000000b"},"op":"in","values":["1","2.5"]}},{"cond":{"column":{"field":"00000000-0000-0000-0000-00000000000d"},"op":"between","values":["2025-01-01T00:00:00Z","2025-02-01T00:00:00Z"]}}]},"sort":[{"column":"created_at","descending":false},{"column":"id","descending":false}],"fields":null,"limit":100,"after":null}"#
            ]],
        );
        check(
            list("filter[tags][contains]=vip&filter[email][starts_with]=a&filter[doc][is_null]=false"),
            expect![[
                r#"{"op":"list_records","table":"00000000-0000-0000-0000-000000000001","filter":{"and":[{"cond":{"column":{"field":"00000000-0000-0000-0000-00000000000f"},"op":"contains","values":["vip"]}},{"cond":{"column":{"field":"00000000-0000-0000-0000-00000000000e"},"op":"starts_with","values":["a"]}},{"cond":{"column":{"field":"00000000-0000-0000-0000-000000000010"},"op":"is_null","values":["false"]}}]},"sort":[{"column":"created_at","descending":false},{"column":"id","descending":false}],"fields":null,"limit":100,"after":null}"#
            ]],
        );
        check(
            list("filter[active][gt]=true"),
            expect![[
                r#"400 INVALID_QUERY: Operator 'gt' does not apply to field 'active' of type boolean. {"field":"active","operator":"gt","type":"boolean"}"#
            ]],
        );
        check(
            list("filter[tags][eq]=vip"),
            expect![[
                r#"400 INVALID_QUERY: Operator 'eq' does not apply to field 'tags' of type multi_select. {"field":"tags","operator":"eq","type":"multi_select"}"#
            ]],
        );
        check(
            list("filter[tags][contains]=gold"),
            expect![[
                r#"422 VALIDATION_ERROR: 'gold' is not an option of field 'tags'; options: vip, new. (operator 'contains') {"field":"tags","operator":"contains","options":["vip","new"],"reason":"invalid_option","type":"multi_select"}"#
            ]],
        );
        check(
            list("filter[doc][is_null]=maybe"),
            expect![[
                r#"422 VALIDATION_ERROR: 'is_null' takes true or false. (operator 'is_null') {"field":"doc","operator":"is_null"}"#
            ]],
        );
        check(
            list("filter[id][eq]=x"),
            expect![[
                r#"422 VALIDATION_ERROR: Field 'id' must be a UUID, e.g. 3ca3dfad-2a40-4d1a-a9e1-0dca1d4fcd25. (operator 'eq') {"field":"id","operator":"eq","reason":"invalid_type","type":"uuid"}"#
            ]],
        );
    }

    #[test]
    fn list_where_sort_fields() {
        let tree = r#"{"or":[{"field":"amount","op":"gt","value":123456789012345678901234567890.5},{"not":{"field":"name","op":"contains","value":"acme"}}]}"#;
        check(
            list(&format!("where={tree}&sort=amount.desc,name:asc&fields=name,id")),
            expect![[
                r#"{"op":"list_records","table":"00000000-0000-0000-0000-000000000001","filter":{"or":[{"cond":{"column":{"field":"00000000-0000-0000-0000-00000000000b"},"op":"gt","values":["123456789012345678901234567890.5"]}},{"not":{"cond":{"column":{"field":"00000000-0000-0000-0000-00000000000a"},"op":"contains","values":["acme"]}}}]},"sort":[{"column":{"field":"00000000-0000-0000-0000-00000000000b"},"descending":true},{"column":{"field":"00000000-0000-0000-0000-00000000000a"},"descending":false},{"column":"id","descending":false}],"fields":["00000000-0000-0000-0000-00000000000a"],"limit":100,"after":null}"#
            ]],
        );
        check(
            list("sort=id.desc,name"),
            expect![[
                r#"{"op":"list_records","table":"00000000-0000-0000-0000-000000000001","filter":null,"sort":[{"column":"id","descending":true}],"fields":null,"limit":100,"after":null}"#
            ]],
        );
        check(
            list("sort=tags"),
            expect![[
                r#"400 INVALID_QUERY: Field 'tags' of type multi_select cannot be sorted on. {"field":"tags","parameter":"sort"}"#
            ]],
        );
        check(
            list("fields=nope"),
            expect![[
                r#"400 INVALID_QUERY: Unknown field 'nope' in 'fields'. {"field":"nope","parameter":"fields","reason":"unknown_field"}"#
            ]],
        );
        check(
            list(r#"where={"field":"amount","op":"gt","value":"x"}"#),
            expect![[
                r#"422 VALIDATION_ERROR: Field 'amount' must be a number (JSON number; at most 200 characters and exponent 1000). (operator 'gt') {"field":"amount","operator":"gt","reason":"invalid_type","type":"number"}"#
            ]],
        );
        check(
            list("ids[]=x"),
            expect![[
                r#"400 INVALID_QUERY: 'ids[]' applies to DELETE only; filter with filter[id][in]=… {"parameter":"ids[]"}"#
            ]],
        );
    }

    #[test]
    fn list_cursor_is_bound_to_the_query() {
        let table = table();
        let Ok(Plan::ListRecords { filter, sort, .. }) = list("filter[active][eq]=true") else { panic!("compiles") };
        let shape = list_shape(table.id, &filter, &sort);
        let cursor = cursor::encode(
            &cursor::derive_key(b"k"),
            &shape,
            &[Some("2025-01-01 00:00:00+00".into()), Some(Uuid::nil().to_string())],
            [0; cursor::NONCE_LEN],
        );
        let same = list(&format!("filter[active][eq]=true&cursor={cursor}")).expect("same query");
        assert!(matches!(same, Plan::ListRecords { after: Some(_), .. }));
        check(
            list(&format!("filter[active][eq]=false&cursor={cursor}")),
            expect![[
                r#"400 INVALID_QUERY: The cursor is invalid, was altered, or belongs to another query; restart from the first page. {"parameter":"cursor"}"#
            ]],
        );
        check(
            list(&format!("filter[active][eq]=true&sort=name&cursor={cursor}")),
            expect![[
                r#"400 INVALID_QUERY: The cursor is invalid, was altered, or belongs to another query; restart from the first page. {"parameter":"cursor"}"#
            ]],
        );
    }

    #[test]
    fn deletes() {
        let many =
            |raw: &str, allow| compile_delete_many(None, &table(), &parse_records_query(raw).expect("parses"), allow);
        check(
            many("ids[]=00000000-0000-0000-0000-000000000001&ids[]=00000000-0000-0000-0000-000000000001", false),
            expect![[
                r#"{"op":"delete_records","table":"00000000-0000-0000-0000-000000000001","target":{"ids":{"ids":["00000000-0000-0000-0000-000000000001"],"all_or_nothing":false}}}"#
            ]],
        );
        check(
            many("filter[amount][lt]=10", false),
            expect![[
                r#"400 INVALID_REQUEST: Deleting by filter needs the header 'X-Allow-Filtered-Delete: true', so that a mistyped filter cannot empty a table by accident. {"header":"X-Allow-Filtered-Delete"}"#
            ]],
        );
        check(
            many("filter[amount][lt]=10", true),
            expect![[
                r#"{"op":"delete_records","table":"00000000-0000-0000-0000-000000000001","target":{"filter":{"cond":{"column":{"field":"00000000-0000-0000-0000-00000000000b"},"op":"lt","values":["10"]}}}}"#
            ]],
        );
        check(
            many("", true),
            expect![
                "400 INVALID_QUERY: Say what to delete: 'ids[]=<id>' (repeatable), or filters with 'X-Allow-Filtered-Delete: true'. {}"
            ],
        );
        check(
            compile_batch_delete(&table(), br#"{"ids":["00000000-0000-0000-0000-000000000001","x"]}"#),
            expect![[r#"422 VALIDATION_ERROR: 'x' is not a record id (a UUID). {"id":"x"}"#]],
        );
    }

    #[test]
    fn upserts() {
        check(
            compile_upsert(&table(), Some("email"), br#"{"items":[{"values":{"name":"A","email":"a@x.io"}},{"values":{"name":"B","email":"b@x.io","amount":2}}]}"#),
            expect![[r#"{"op":"upsert_records","table":"00000000-0000-0000-0000-000000000001","key":"00000000-0000-0000-0000-00000000000e","items":[{"id":null,"values":[{"field":"00000000-0000-0000-0000-00000000000a","value":"A"},{"field":"00000000-0000-0000-0000-00000000000e","value":"a@x.io"}]},{"id":null,"values":[{"field":"00000000-0000-0000-0000-00000000000a","value":"B"},{"field":"00000000-0000-0000-0000-00000000000b","value":"2"},{"field":"00000000-0000-0000-0000-00000000000e","value":"b@x.io"}]}]}"#]],
        );
        check(
            compile_upsert(&table(), Some("email"), br#"{"items":[{"values":{"name":"A","email":"a@x.io"}},{"values":{"email":"a@x.io"}},{"values":{"name":"C","amount":"x"}}]}"#),
            expect![[r#"422 VALIDATION_ERROR: Field 'name' is required. (2 problems in items) {"errors":[{"code":"required","field":"name","index":1,"message":"Field 'name' is required."},{"code":"invalid_type","field":"amount","index":2,"message":"Field 'amount' must be a number (JSON number; at most 200 characters and exponent 1000)."}],"field":"name","index":1,"reason":"required","type":"text"}"#]],
        );
        check(
            compile_upsert(&table(), Some("name"), br#"{"items":[]}"#),
            expect![[
                r#"400 INVALID_QUERY: Field 'name' is not unique, so it cannot key an upsert; use a unique field or ids. {"field":"name","parameter":"unique"}"#
            ]],
        );
        let items: Vec<String> = (0..1001).map(|_| r#"{"values":{"name":"a"}}"#.to_owned()).collect();
        check(
            compile_upsert(&table(), None, format!(r#"{{"items":[{}]}}"#, items.join(",")).as_bytes()),
            expect![[
                r#"413 PAYLOAD_TOO_LARGE: At most 1000 items per batch; got 1001. Split the batch, or use CSV import for bulk loads. {"max_items":1000}"#
            ]],
        );
    }

    #[test]
    fn bodies_are_bounded() {
        // Keys past the cap are counted, never kept or resolved.
        let keys: Vec<String> = (0..MAX_RECORD_KEYS * 4).map(|i| format!(r#""k{i}":1"#)).collect();
        check(
            compile_create(&table(), format!(r#"{{"values":{{{}}}}}"#, keys.join(",")).as_bytes()),
            expect![[
                r#"413 PAYLOAD_TOO_LARGE: 'values' has 4096 keys; a record has at most 1024 (a table's fields, each once). {"keys":4096,"max":1024}"#
            ]],
        );
        // Under the cap, every problem is counted and the first hundred listed.
        let keys: Vec<String> = (0..MAX_RECORD_KEYS).map(|i| format!(r#""k{i}":1"#)).collect();
        let error = compile_create(&table(), format!(r#"{{"values":{{{}}}}}"#, keys.join(",")).as_bytes())
            .expect_err("unknown fields");
        assert_eq!(error.details["problems"], 1025, "1024 unknown fields and the required 'name'");
        assert_eq!(error.details["errors"].as_array().map(Vec::len), Some(MAX_LISTED_ERRORS));
        // The same fields in another order make the same plan, so the same SQL.
        let ordered = compile_create(&table(), br#"{"values":{"name":"a","amount":1,"active":true}}"#);
        let shuffled = compile_create(&table(), br#"{"values":{"active":true,"amount":1,"name":"a"}}"#);
        assert_eq!(ordered.expect("compiles"), shuffled.expect("compiles"));
        // At most MAX_BATCH_SHAPES different field sets in one batch.
        let optional = ["amount", "active", "signed_up_at", "email", "doc", "tags"];
        let items: Vec<String> = (0..64)
            .map(|set: usize| {
                let mut values = vec![r#""name":"a""#.to_owned()];
                for (bit, name) in optional.iter().enumerate() {
                    if set & (1 << bit) != 0 {
                        values.push(format!(r#""{name}":null"#));
                    }
                }
                format!(r#"{{"values":{{{}}}}}"#, values.join(","))
            })
            .collect();
        check(
            compile_upsert(&table(), None, format!(r#"{{"items":[{}]}}"#, items.join(",")).as_bytes()),
            expect![[
                r#"422 VALIDATION_ERROR: The items use 64 different sets of fields; at most 32 are allowed in one batch. Give every item the same fields (null for none), or split the batch. {"max":32}"#
            ]],
        );
    }

    #[test]
    fn queries_are_bounded() {
        let values: Vec<String> = (0..=MAX_IN_VALUES).map(|i| i.to_string()).collect();
        check(
            list(&format!("filter[amount][in]={}", values.join(","))),
            expect![[
                r#"400 INVALID_QUERY: 'in' on 'amount' takes 1 to 100 values; got 101. {"field":"amount","operator":"in"}"#
            ]],
        );
        check(
            list("sort=amount,amount.desc"),
            expect![[
                r#"400 INVALID_QUERY: Field 'amount' appears twice in 'sort'. {"field":"amount","parameter":"sort"}"#
            ]],
        );
        check(
            list(&format!("sort={}", ["name"; MAX_SORT_KEYS + 1].join(","))),
            expect![[r#"400 INVALID_QUERY: At most 8 sort keys are allowed; got 9. {"max":8,"parameter":"sort"}"#]],
        );
        check(
            list(&format!("fields={}", vec!["name"; MAX_PROJECTION + 1].join(","))),
            expect![[
                r#"400 INVALID_QUERY: At most 256 names in 'fields' are allowed; got 257. {"max":256,"parameter":"fields"}"#
            ]],
        );
        let conditions = vec!["filter[amount][gt]=1"; MAX_CONDITIONS + 1].join("&");
        check(
            compile_delete_many(None, &table(), &parse_records_query(&conditions).expect("parses"), true),
            expect![[
                r#"400 INVALID_QUERY: At most 64 conditions in filter[...] and where together are allowed; got 65. {"max":64,"parameter":"filter"}"#
            ]],
        );
        // A projection lists fields in the table's order, whatever the request's.
        check(
            list("fields=email,name"),
            expect![[
                r#"{"op":"list_records","table":"00000000-0000-0000-0000-000000000001","filter":null,"sort":[{"column":"created_at","descending":false},{"column":"id","descending":false}],"fields":["00000000-0000-0000-0000-00000000000a","00000000-0000-0000-0000-00000000000e"],"limit":100,"after":null}"#
            ]],
        );
    }

    #[test]
    fn get() {
        check(
            compile_get(&table(), "nope", None),
            expect![[r#"404 RECORD_NOT_FOUND: No record with id 'nope' in this table. {"id":"nope"}"#]],
        );
        check(
            compile_get(&table(), "00000000-0000-0000-0000-000000000099", Some(&["email".into()])),
            expect![[
                r#"{"op":"get_record","table":"00000000-0000-0000-0000-000000000001","id":"00000000-0000-0000-0000-000000000099","fields":["00000000-0000-0000-0000-00000000000e"]}"#
            ]],
        );
    }
}
