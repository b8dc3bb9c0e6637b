//! Saved views: one table's records through a fixed projection, filters and sort, with
//! typed parameters bound into its filters and the request-time filters and sorts it
//! allows; published as a read-only JSON endpoint, `GET /public/views/{slug}/data`.
//!
//! A view is stored as structured JSON ([`Definition`]), never as SQL, with fields named
//! by id so that renames do not break it. A public request is compiled into a records
//! [`Plan`] by [`compile_request`], through [`crate::plan::compile_list`]: the same
//! typing, limits and keyset cursors as the records API, with the view's own filters
//! always applied and nothing outside its projection ever returned.
//!
//! **A view exposes exactly its definition.** Its projection is an explicit list of
//! fields (fixed when the view is defined, so a field added to the table later is not
//! published by accident); its sort, the sorts a caller may choose and the filters a
//! caller may add name only fields it returns (or the system columns), so neither the
//! order of rows nor a filter can reveal a field the view does not return; cursors are
//! encrypted ([`crate::cursor`]). Conditions the view itself applies may use any field
//! of the table: they are the author's, and a parameter in one is a deliberate input.
//!
//! **Parameters are required** unless the definition says what a request without one
//! gets ([`WhenAbsent`]): the parameter's conditions are dropped, or nothing matches.
//!
//! Every list in a definition is bounded ([`check_size`]), and checking one takes time
//! linear in its size.
//!
//! API Boundary: `ViewSpec` travels in management commands, `Definition` is stored in
//! `view_versions`, `PublishedView` goes origin → edge.

use crate::catalog::{Catalog, Field, FieldIndex, FieldType, Table};
use crate::error::{ApiError, ErrorCode};
use crate::ids::{BaseId, FieldId, TableId};
use crate::plan::{self, Column, Expr, Plan};
use crate::query::{self, Filter, FilterValue, Op, RecordsQuery, SortSpec};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Rows per page when a view does not say.
pub const DEFAULT_PAGE: u32 = 25;
/// Conditions a view applies itself; a caller's filters add to them, within
/// [`plan::MAX_CONDITIONS`] in all.
pub const MAX_VIEW_FILTERS: usize = 32;
pub const MAX_VIEW_PARAMS: usize = 32;
/// Fields a caller may filter on, and fields a caller may sort on.
pub const MAX_VIEW_ALLOWED: usize = 64;
/// Bytes of a parameter's example, and characters of a description.
pub const MAX_TEXT: usize = 1000;

/// A view as a management request describes it: tables and fields by name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ViewSpec {
    #[schemars(length(min = 1, max = crate::manage::MAX_LABEL))]
    pub name: String,
    #[serde(default)]
    #[schemars(length(max = MAX_TEXT))]
    pub description: String,
    /// The base table, by name or id.
    pub table: String,
    /// The fields returned, in order; empty returns every field the table has now (fields
    /// added later are not returned).
    #[serde(default)]
    #[schemars(length(max = crate::plan::MAX_PROJECTION))]
    pub fields: Vec<String>,
    /// Conditions always applied, on any field of the table; a value may be a parameter
    /// (`{"param": "customer_id"}`).
    #[serde(default)]
    #[schemars(length(max = MAX_VIEW_FILTERS))]
    pub filters: Vec<ViewFilter>,
    /// The default order: `field:asc`, `field:desc` (or `field.asc`), on returned fields or
    /// system columns.
    #[serde(default)]
    #[schemars(length(max = crate::plan::MAX_SORT_KEYS))]
    pub sort: Vec<String>,
    #[serde(default = "default_page")]
    #[schemars(range(min = 1))]
    pub default_limit: u32,
    #[serde(default = "max_page")]
    #[schemars(range(min = 1, max = crate::query::MAX_LIMIT))]
    pub max_limit: u32,
    #[serde(default)]
    #[schemars(length(max = MAX_VIEW_PARAMS))]
    pub params: Vec<ParamSpec>,
    /// Filters a caller may add, by returned field (or system column) and operators.
    #[serde(default)]
    #[schemars(length(max = MAX_VIEW_ALLOWED))]
    pub allowed_filters: Vec<AllowedFilter>,
    /// Returned fields or system columns a caller may sort on (`sort=field:asc`).
    #[serde(default)]
    #[schemars(length(max = MAX_VIEW_ALLOWED))]
    pub allowed_sorts: Vec<String>,
}

fn default_page() -> u32 {
    DEFAULT_PAGE
}

fn max_page() -> u32 {
    100
}

/// A condition of a view.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ViewFilter {
    pub field: String,
    pub op: Op,
    pub value: FilterArg,
}

/// A filter's operand: a value in the field's JSON form (a list for `in` and `between`),
/// or a parameter of the view.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum FilterArg {
    Param { param: String },
    Value(serde_json::Value),
}

/// What a request that leaves a parameter out gets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WhenAbsent {
    /// `422 VALIDATION_ERROR`: the parameter is required.
    #[default]
    Error,
    /// The conditions that use the parameter are dropped.
    NoFilter,
    /// Nothing matches: an empty page.
    NoRows,
}

impl WhenAbsent {
    pub const ALL: [WhenAbsent; 3] = [WhenAbsent::Error, WhenAbsent::NoFilter, WhenAbsent::NoRows];

    pub fn as_str(self) -> &'static str {
        match self {
            WhenAbsent::Error => "error",
            WhenAbsent::NoFilter => "no_filter",
            WhenAbsent::NoRows => "no_rows",
        }
    }
}

/// A typed request parameter as a management request describes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParamSpec {
    pub name: String,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    /// What a request without it gets; required (`error`) unless said otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when_absent: Option<WhenAbsent>,
    /// The earlier form: `true` is `when_absent: error`; `false` must say what instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("deprecated" = true))]
    pub required: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = MAX_TEXT))]
    pub example: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[schemars(length(max = MAX_TEXT))]
    pub description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

/// A typed request parameter of a stored view, e.g. `customer_id`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ViewParam {
    pub name: String,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    /// Definitions stored before this existed were read with `required`; any of them
    /// is now required, the safe reading.
    #[serde(default)]
    pub when_absent: WhenAbsent,
    /// Shown in the view's usage documentation and used in its examples.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The choices, for select-typed parameters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

/// A filter callers may add: a returned field or system column, and its operators.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AllowedFilter {
    pub field: String,
    pub ops: Vec<Op>,
}

/// A view as stored: everything resolved to catalog ids and checked against the table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Definition {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub table: TableId,
    /// The fields returned, in order (never empty for a definition made by [`define`]).
    pub fields: Vec<FieldId>,
    pub filters: Vec<StoredFilter>,
    pub sort: Vec<(Column, bool)>,
    pub default_limit: u32,
    pub max_limit: u32,
    pub params: Vec<ViewParam>,
    pub allowed_filters: Vec<(Column, Vec<Op>)>,
    pub allowed_sorts: Vec<Column>,
    /// Fields of the one relation the view joins, returned after its own as
    /// `link.field`: (link field, field of the linked table).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub joined: Vec<(FieldId, FieldId)>,
    /// The table the joined link points at (a link's target never changes): its changes
    /// invalidate the view's cached answers too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joined_table: Option<TableId>,
}

impl Definition {
    /// Whether the view returns this column (system columns always are).
    pub fn returns(&self, column: Column) -> bool {
        match column {
            Column::Field(id) | Column::Linked(id, _) => self.fields.contains(&id),
            Column::Id | Column::CreatedAt | Column::UpdatedAt => true,
        }
    }

    /// The columns that decide which rows a caller gets and in which order: the view's
    /// sort, and the sorts and filters a caller may choose.
    fn caller_columns(&self) -> impl Iterator<Item = Column> + '_ {
        let sorts = self.sort.iter().map(|(column, _)| *column).chain(self.allowed_sorts.iter().copied());
        sorts.chain(self.allowed_filters.iter().map(|(column, _)| *column))
    }

    /// Whether the order of the rows and every filter a caller may add depend only on
    /// columns the view returns ([`define`] makes no other; a definition stored before
    /// this rule must be updated before it is served).
    pub fn exposes_only_its_fields(&self) -> bool {
        self.caller_columns().all(|column| self.returns(column))
    }
}

/// Checks a stored definition against the catalog as it is now, before it is published:
/// its table and every column it names exist, and it exposes only its fields.
pub fn check_current(definition: &Definition, catalog: &Catalog) -> Result<(), ApiError> {
    let table = catalog
        .table_by_id(definition.table)
        .ok_or_else(|| invalid("table", "The view's table was dropped; update the view before publishing it."))?;
    let mut columns = definition
        .fields
        .iter()
        .map(|id| Column::Field(*id))
        .chain(definition.filters.iter().map(|filter| filter.column))
        .chain(definition.caller_columns());
    let joined_gone = definition.joined.iter().any(|joined| joined_name(catalog, table, *joined).is_none());
    if joined_gone || columns.any(|column| plan::column_info(table, column).is_none()) {
        return Err(invalid(
            "fields",
            format!("The view uses a field that was dropped from table '{}'; update it before publishing.", table.name),
        ));
    }
    if !definition.exposes_only_its_fields() {
        return Err(invalid("sort", "The view sorts or filters on fields it does not return; update it first."));
    }
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredFilter {
    pub column: Column,
    pub op: Op,
    /// The operand as query text (`in`/`between` items comma-joined), or a parameter.
    pub arg: StoredArg,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoredArg {
    Text(Vec<String>),
    Param(String),
}

/// Who may call a published view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthMode {
    /// Anyone; limited per client address.
    Public,
    /// `Authorization: Bearer nv_<key id>_<secret>`, a key of this view.
    ViewKey,
    /// An API token of the view's base with the `read` scope.
    BaseToken,
}

impl AuthMode {
    pub const ALL: [AuthMode; 3] = [AuthMode::Public, AuthMode::ViewKey, AuthMode::BaseToken];

    pub fn as_str(self) -> &'static str {
        match self {
            AuthMode::Public => "public",
            AuthMode::ViewKey => "view_key",
            AuthMode::BaseToken => "base_token",
        }
    }

    /// The mode a stored name stands for; an unknown name is none (never `public`).
    pub fn parse(name: &str) -> Option<AuthMode> {
        AuthMode::ALL.into_iter().find(|mode| mode.as_str() == name)
    }
}

/// How the edge caches a view's answers (seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CachePolicy {
    /// How long an answer is fresh.
    #[serde(default = "default_max_age")]
    #[schemars(range(max = MAX_CACHE_SECONDS))]
    pub max_age: u32,
    /// How long after that a stale answer is served while the edge fetches a new one.
    #[serde(default)]
    #[schemars(range(max = MAX_CACHE_SECONDS))]
    pub stale_while_revalidate: u32,
    /// How long after that a stale answer is served when the origin fails.
    #[serde(default)]
    #[schemars(range(max = MAX_CACHE_SECONDS))]
    pub stale_if_error: u32,
}

fn default_max_age() -> u32 {
    60
}

impl Default for CachePolicy {
    fn default() -> CachePolicy {
        CachePolicy { max_age: default_max_age(), stale_while_revalidate: 0, stale_if_error: 0 }
    }
}

/// The longest any cache setting may be: a day.
pub const MAX_CACHE_SECONDS: u32 = 86_400;

/// What the edge needs to serve a published view, from the origin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublishedView {
    pub view_id: uuid::Uuid,
    pub base_id: BaseId,
    pub slug: String,
    /// The published version: what the slug serves until an admin publishes another.
    pub version: i64,
    pub definition: Definition,
    pub auth: AuthMode,
    pub cache: CachePolicy,
    /// Live view keys: id and hex SHA-256 of the secret.
    #[serde(default)]
    pub keys: Vec<(uuid::Uuid, String)>,
}

/// Slugs are URL-safe: 1 to 64 lowercase letters, digits and dashes, not at either end.
/// [`is_valid_slug`] as a regular expression, for the document.
pub const SLUG_PATTERN: &str = "^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$";

pub fn is_valid_slug(slug: &str) -> bool {
    (1..=64).contains(&slug.len())
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}

fn invalid(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::ValidationError, message).with("field", field)
}

fn too_many(field: &str, max: usize, got: usize) -> ApiError {
    invalid(field, format!("'{field}' lists at most {max} entries; got {got}.")).with("max", max)
}

/// Resolves a name of a definition through the table's index: a definition may name
/// many fields, and each lookup stays logarithmic.
fn column(table: &Table, index: &FieldIndex<'_>, name: &str, what: &str) -> Result<Column, ApiError> {
    plan::resolve_in(index, name).map(|info| info.column).ok_or_else(|| {
        invalid(what, format!("'{name}' in '{what}' is not a field of table '{}'.", table.name)).with("name", name)
    })
}

/// A parameter as a field, to type its values with [`crate::value::from_text`].
fn param_field(param: &ViewParam) -> Field {
    Field { options: param.options.clone(), ..Field::new(FieldId(uuid::Uuid::nil()), &param.name, param.field_type) }
}

fn parse_sort(table: &Table, index: &FieldIndex<'_>, text: &str, what: &str) -> Result<(Column, bool), ApiError> {
    let (name, direction) = text.rsplit_once(':').or_else(|| text.rsplit_once('.')).unwrap_or((text, "asc"));
    let descending = match direction {
        "asc" => false,
        "desc" => true,
        _ => return Err(invalid(what, format!("'{text}': sort as field:asc or field:desc."))),
    };
    Ok((column(table, index, name, what)?, descending))
}

/// Refuses a spec whose lists are over their bounds, before any of its entries is looked
/// at: the edge checks this on the request, the origin again in [`define`].
pub fn check_size(spec: &ViewSpec) -> Result<(), ApiError> {
    let counts = [
        ("fields", plan::MAX_PROJECTION, spec.fields.len()),
        ("filters", MAX_VIEW_FILTERS, spec.filters.len()),
        ("sort", plan::MAX_SORT_KEYS, spec.sort.len()),
        ("params", MAX_VIEW_PARAMS, spec.params.len()),
        ("allowed_filters", MAX_VIEW_ALLOWED, spec.allowed_filters.len()),
        ("allowed_sorts", MAX_VIEW_ALLOWED, spec.allowed_sorts.len()),
    ];
    if let Some((field, max, got)) = counts.into_iter().find(|(_, max, got)| got > max) {
        return Err(too_many(field, max, got));
    }
    if spec.description.chars().count() > MAX_TEXT {
        return Err(invalid("description", format!("'description' is at most {MAX_TEXT} characters.")));
    }
    for param in &spec.params {
        if param.description.chars().count() > MAX_TEXT || param.example.as_ref().is_some_and(|e| e.len() > MAX_TEXT) {
            return Err(invalid(
                "params",
                format!("A parameter's description and example are at most {MAX_TEXT} characters."),
            ));
        }
        if param.options.len() > crate::schema::MAX_OPTIONS {
            return Err(too_many("params", crate::schema::MAX_OPTIONS, param.options.len()));
        }
    }
    for filter in &spec.filters {
        if let FilterArg::Value(serde_json::Value::Array(items)) = &filter.value
            && items.len() > plan::MAX_IN_VALUES
        {
            return Err(too_many("filters", plan::MAX_IN_VALUES, items.len()));
        }
    }
    if let Some(allowed) = spec.allowed_filters.iter().find(|allowed| allowed.ops.len() > Op::ALL.len()) {
        return Err(too_many("allowed_filters", Op::ALL.len(), allowed.ops.len()));
    }
    Ok(())
}

/// What a parameter's spec says a request without it gets.
fn when_absent(param: &ParamSpec) -> Result<WhenAbsent, ApiError> {
    match (param.when_absent, param.required) {
        (Some(WhenAbsent::Error), Some(false)) | (Some(WhenAbsent::NoFilter | WhenAbsent::NoRows), Some(true)) => {
            Err(invalid("params", format!("Parameter '{}': 'required' and 'when_absent' disagree.", param.name)))
        }
        (Some(when_absent), _) => Ok(when_absent),
        (None, Some(false)) => Err(invalid(
            "params",
            format!(
                "Parameter '{}' is optional: say what a request without it gets, with \"when_absent\": \
                 \"no_filter\" (its conditions are dropped) or \"no_rows\" (nothing matches).",
                param.name
            ),
        )),
        (None, _) => Ok(WhenAbsent::Error),
    }
}

/// Whether a parameter of type `param` can stand in a condition `op` on a field of type `field`.
fn param_fits(op: Op, field: FieldType, param: FieldType) -> bool {
    let textual = |field_type: FieldType| field_type.is_textual() || field_type == FieldType::SingleSelect;
    match op {
        Op::IsNull => param == FieldType::Boolean,
        Op::Contains if field == FieldType::MultiSelect => param == FieldType::SingleSelect || param == FieldType::Text,
        Op::Contains | Op::StartsWith => textual(param),
        _ => param == field || (textual(field) && textual(param)),
    }
}

/// Checks a view against the catalog and resolves it to ids.
pub fn define(catalog: &Catalog, spec: &ViewSpec) -> Result<Definition, ApiError> {
    check_size(spec)?;
    crate::manage::check_label("name", &spec.name)?;
    let table = crate::schema::find_table(catalog, &spec.table)?;
    let index = table.index();
    // Lists and sets side by side keep each check of a definition linear in its size.
    let mut fields = Vec::new();
    let mut listed = BTreeSet::new();
    let mut joined: Vec<(FieldId, FieldId)> = Vec::new();
    for name in &spec.fields {
        if let Some((link, field)) = name.contains('.').then(|| plan::linked_field(catalog, table, name)).flatten() {
            if joined.first().is_some_and(|(first, _)| *first != link) {
                return Err(invalid("fields", "A view joins one relation: its linked fields all go through one link."));
            }
            if !joined.contains(&(link, field)) {
                joined.push((link, field));
            }
            continue;
        }
        match column(table, &index, name, "fields")? {
            Column::Field(id) if listed.insert(id) => fields.push(id),
            Column::Field(_) => {}
            _ => return Err(invalid("fields", format!("'{name}' is always returned; list fields only."))),
        }
    }
    if spec.fields.is_empty() {
        fields = table.fields.iter().map(|field| field.id).collect();
        listed = fields.iter().copied().collect();
    }
    if fields.is_empty() && joined.is_empty() {
        return Err(invalid(
            "fields",
            format!("Table '{}' has no fields yet; a view returns at least one.", table.name),
        ));
    }
    if !(1..=query::MAX_LIMIT).contains(&spec.max_limit) || !(1..=spec.max_limit).contains(&spec.default_limit) {
        return Err(invalid("max_limit", format!("Use 1 ≤ default_limit ≤ max_limit ≤ {}.", query::MAX_LIMIT)));
    }
    let mut params: Vec<ViewParam> = Vec::new();
    let mut names = std::collections::BTreeMap::new();
    for param in &spec.params {
        if !crate::catalog::is_valid_name(&param.name) || RESERVED_PARAMS.contains(&param.name.as_str()) {
            return Err(invalid(
                "params",
                format!(
                    "'{}' cannot name a parameter: use a field-like name other than {}.",
                    param.name,
                    RESERVED_PARAMS.join(", ")
                ),
            ));
        }
        if names.insert(param.name.as_str(), param.field_type).is_some() {
            return Err(invalid("params", format!("Parameter '{}' is listed twice.", param.name)));
        }
        if param.field_type.is_document() {
            return Err(invalid("params", format!("Parameter '{}' needs a scalar type.", param.name)));
        }
        let param = ViewParam {
            name: param.name.clone(),
            field_type: param.field_type,
            when_absent: when_absent(param)?,
            example: param.example.clone(),
            description: param.description.clone(),
            options: param.options.clone(),
        };
        if let Some(example) = &param.example {
            crate::value::from_text(&param_field(&param), example).map_err(|error| error.with("field", "params"))?;
        }
        params.push(param);
    }
    let mut filters = Vec::new();
    for filter in &spec.filters {
        let info = plan::resolve_in(&index, &filter.field).ok_or_else(|| {
            invalid("filters", format!("'{}' in 'filters' is not a field of table '{}'.", filter.field, table.name))
                .with("name", filter.field.as_str())
        })?;
        let op = filter.op;
        let arg = match &filter.value {
            FilterArg::Param { param } => {
                let Some(&known_type) = names.get(param.as_str()) else {
                    return Err(invalid("filters", format!("Parameter '{param}' is not among 'params'.")));
                };
                if op == Op::Between {
                    return Err(invalid("filters", "'between' takes two values, not a parameter; use gte and lte."));
                }
                if !plan::applies(op, info.field_type) || !param_fits(op, info.field_type, known_type) {
                    return Err(invalid(
                        "filters",
                        format!(
                            "Parameter '{param}' of type {} cannot stand in '{}' on field '{}' of type {}.",
                            known_type.as_str(),
                            op.as_str(),
                            info.name,
                            info.field_type.as_str()
                        ),
                    ));
                }
                StoredArg::Param(param.clone())
            }
            FilterArg::Value(value) => {
                let texts = filter_texts(value)?;
                let value = if op == Op::In || op == Op::Between {
                    FilterValue::List(texts.clone())
                } else {
                    match texts.as_slice() {
                        [one] => FilterValue::One(one.clone()),
                        _ => {
                            return Err(invalid(
                                "filters",
                                format!("'{}' on '{}' takes one value.", op.as_str(), info.name),
                            ));
                        }
                    }
                };
                plan::check_filter(table, &Filter { field: filter.field.clone(), op, value })
                    .map_err(|error| ApiError { code: ErrorCode::ValidationError, ..error.with("field", "filters") })?;
                StoredArg::Text(texts)
            }
        };
        filters.push(StoredFilter { column: info.column, op, arg });
    }
    let exposed = |column: Column| match column {
        Column::Field(id) | Column::Linked(id, _) => listed.contains(&id),
        Column::Id | Column::CreatedAt | Column::UpdatedAt => true,
    };
    let hidden = |what: &str, name: &str, why: &str| {
        invalid(
            what,
            format!(
                "'{name}' in '{what}' is not among the view's fields: {why} would reveal it. \
                 Add it to 'fields', or use a field the view returns."
            ),
        )
        .with("name", name)
    };
    let mut sort: Vec<(Column, bool)> = Vec::new();
    let mut seen = BTreeSet::new();
    for text in &spec.sort {
        let (column, descending) = parse_sort(table, &index, text, "sort")?;
        if !exposed(column) {
            return Err(hidden("sort", text, "the order of the rows"));
        }
        if !seen.insert(column) {
            return Err(invalid("sort", format!("'{text}' sorts on a field twice.")));
        }
        sort.push((column, descending));
    }
    let mut allowed_filters: Vec<(Column, Vec<Op>)> = Vec::new();
    let mut seen = BTreeSet::new();
    for allowed in &spec.allowed_filters {
        let column = column(table, &index, &allowed.field, "allowed_filters")?;
        if !exposed(column) {
            return Err(hidden("allowed_filters", &allowed.field, "which rows match a filter on it"));
        }
        if !seen.insert(column) {
            return Err(invalid("allowed_filters", format!("'{}' is listed twice.", allowed.field)));
        }
        let field_type = plan::column_info(table, column).map(|info| info.field_type).ok_or_else(ApiError::internal)?;
        let mut ops = Vec::new();
        for op in &allowed.ops {
            if !plan::applies(*op, field_type) {
                return Err(invalid(
                    "allowed_filters",
                    format!(
                        "Operator '{}' does not apply to '{}' of type {}.",
                        op.as_str(),
                        allowed.field,
                        field_type.as_str()
                    ),
                ));
            }
            if !ops.contains(op) {
                ops.push(*op);
            }
        }
        allowed_filters.push((column, ops));
    }
    let mut allowed_sorts: Vec<Column> = Vec::new();
    let mut seen = BTreeSet::new();
    for name in &spec.allowed_sorts {
        let column = column(table, &index, name, "allowed_sorts")?;
        if !exposed(column) {
            return Err(hidden("allowed_sorts", name, "the order of the rows"));
        }
        if seen.insert(column) {
            allowed_sorts.push(column);
        }
    }
    let definition = Definition {
        name: spec.name.trim().to_owned(),
        description: spec.description.clone(),
        table: table.id,
        fields,
        filters,
        sort,
        default_limit: spec.default_limit,
        max_limit: spec.max_limit,
        params,
        allowed_filters,
        allowed_sorts,
        joined_table: joined
            .first()
            .and_then(|(link, _)| table.field_by_id(*link)?.link.as_ref().map(|link| link.table)),
        joined,
    };
    // With an example for every required parameter, the view must compile now.
    if definition.params.iter().all(|param| param.example.is_some() || param.when_absent != WhenAbsent::Error) {
        let query: Vec<String> = definition
            .params
            .iter()
            .filter_map(|param| Some(format!("{}={}", param.name, encode(param.example.as_deref()?))))
            .collect();
        compile_request(&definition, catalog, table, &query.join("&"), &crate::keys::Keyring::single(&[]))
            .map_err(|error| ApiError { message: format!("The view does not compile: {}", error.message), ..error })?;
    }
    Ok(definition)
}

/// A stored definition as a request would describe it, by name, so that it can be edited
/// and sent back: `define(catalog, &describe(definition, catalog))` gives the definition
/// again. A table or field the catalog no longer has is named by its id (a request that
/// keeps it is refused, naming it).
pub fn describe(definition: &Definition, catalog: &Catalog) -> ViewSpec {
    let table = catalog.table_by_id(definition.table);
    let field_name = |id: FieldId| {
        table
            .and_then(|table| table.fields.iter().find(|field| field.id == id))
            .map_or(id.to_string(), |field| field.name.clone())
    };
    let name = |column: Column| match column {
        Column::Id => "id".to_owned(),
        Column::CreatedAt => "created_at".to_owned(),
        Column::UpdatedAt => "updated_at".to_owned(),
        Column::Field(id) => field_name(id),
        Column::Linked(link, field) => format!("{}.{field}", field_name(link)),
    };
    let value = |op: Op, arg: &StoredArg| match arg {
        StoredArg::Param(param) => FilterArg::Param { param: param.clone() },
        StoredArg::Text(texts) => FilterArg::Value(match (op, texts.as_slice()) {
            (Op::In | Op::Between, _) | (_, [] | [_, _, ..]) => texts.clone().into(),
            (_, [one]) => one.clone().into(),
        }),
    };
    ViewSpec {
        name: definition.name.clone(),
        description: definition.description.clone(),
        table: table.map_or(definition.table.to_string(), |table| table.name.clone()),
        fields: definition
            .fields
            .iter()
            .map(|id| field_name(*id))
            .chain(definition.joined.iter().map(|joined| {
                table.and_then(|table| joined_name(catalog, table, *joined)).unwrap_or_else(|| joined.1.to_string())
            }))
            .collect(),
        filters: definition
            .filters
            .iter()
            .map(|filter| ViewFilter {
                field: name(filter.column),
                op: filter.op,
                value: value(filter.op, &filter.arg),
            })
            .collect(),
        sort: definition
            .sort
            .iter()
            .map(|(column, descending)| format!("{}:{}", name(*column), if *descending { "desc" } else { "asc" }))
            .collect(),
        default_limit: definition.default_limit,
        max_limit: definition.max_limit,
        params: definition
            .params
            .iter()
            .map(|param| ParamSpec {
                name: param.name.clone(),
                field_type: param.field_type,
                when_absent: Some(param.when_absent),
                required: None,
                example: param.example.clone(),
                description: param.description.clone(),
                options: param.options.clone(),
            })
            .collect(),
        allowed_filters: definition
            .allowed_filters
            .iter()
            .map(|(column, ops)| AllowedFilter { field: name(*column), ops: ops.clone() })
            .collect(),
        allowed_sorts: definition.allowed_sorts.iter().map(|column| name(*column)).collect(),
    }
}

/// Query parameters of the data endpoint; view parameters cannot take these names.
pub const RESERVED_PARAMS: [&str; 4] = ["limit", "cursor", "sort", "filter"];

/// A filter operand from its JSON form to query text: strings as they are, numbers and
/// booleans as written, lists as their items.
fn filter_texts(value: &serde_json::Value) -> Result<Vec<String>, ApiError> {
    let scalar = |value: &serde_json::Value| match value {
        serde_json::Value::String(text) => Ok(text.clone()),
        serde_json::Value::Number(number) => Ok(number.to_string()),
        serde_json::Value::Bool(flag) => Ok(flag.to_string()),
        _ => Err(invalid("filters", "A filter value is a string, number, boolean, or a list of those.")),
    };
    match value {
        serde_json::Value::Array(items) => items.iter().map(scalar).collect(),
        other => Ok(vec![scalar(other)?]),
    }
}

/// Percent-encodes a query value.
pub fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

fn name_of(table: &Table, column: Column) -> Option<String> {
    plan::column_info(table, column).map(|info| info.name.to_owned())
}

fn bad_query(parameter: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::InvalidQuery, message).with("parameter", parameter)
}

/// Compiles `GET /public/views/{slug}/data?…` into a records plan. The query takes
/// `limit`, `cursor`, `sort=field:asc|desc` (allowed fields only), `filter[field][op]=…`
/// (allowed fields and operators only) and the view's parameters by name. The plan's
/// caps are the records API's ([`plan::compile_list`]), counting the view's own
/// conditions with the caller's.
pub fn compile_request(
    definition: &Definition,
    catalog: &Catalog,
    table: &Table,
    raw: &str,
    keys: &crate::keys::Keyring,
) -> Result<Plan, ApiError> {
    if !definition.exposes_only_its_fields() {
        return Err(ApiError::new(
            ErrorCode::ServiceUnavailable,
            "This view sorts or filters on fields it does not return; its owner must update it.",
        ));
    }
    let mut query = RecordsQuery::default();
    let mut values: Vec<(String, String)> = Vec::new();
    // Built at the first sort key, if any.
    let index = std::cell::OnceCell::new();
    for (key, value) in query::pairs(raw)? {
        match key.as_str() {
            "limit" => {
                let limit: u32 = value
                    .parse()
                    .ok()
                    .filter(|limit| *limit >= 1)
                    .ok_or_else(|| bad_query("limit", format!("'limit' is 1 to {}.", definition.max_limit)))?;
                if limit > definition.max_limit {
                    return Err(ApiError::new(
                        ErrorCode::PayloadTooLarge,
                        format!(
                            "This view returns at most {} records a page; follow `next_cursor`.",
                            definition.max_limit
                        ),
                    )
                    .with("max", definition.max_limit));
                }
                query.limit = Some(limit);
            }
            "cursor" => query.cursor = Some(value),
            "sort" => {
                for item in value.split(',').filter(|item| !item.is_empty()) {
                    if query.sort.len() == plan::MAX_SORT_KEYS {
                        return Err(bad_query(
                            "sort",
                            format!("At most {} sort keys are allowed.", plan::MAX_SORT_KEYS),
                        )
                        .with("max", plan::MAX_SORT_KEYS));
                    }
                    let (column, descending) = parse_sort(table, index.get_or_init(|| table.index()), item, "sort")
                        .map_err(|_| bad_query("sort", format!("'{item}': sort as field:asc or field:desc.")))?;
                    if !definition.allowed_sorts.contains(&column) {
                        return Err(bad_query(
                            "sort",
                            format!("This view cannot be sorted on '{item}'; see its meta for the sortable fields."),
                        ));
                    }
                    let field = name_of(table, column).ok_or_else(ApiError::internal)?;
                    query.sort.push(SortSpec { field, descending });
                }
            }
            _ if key.starts_with("filter[") => {
                let filter = query::parse_filter(&key, value)?;
                let column = plan::resolve(table, &filter.field).map(|info| info.column);
                let allowed =
                    column.and_then(|column| definition.allowed_filters.iter().find(|(allowed, _)| *allowed == column));
                match allowed {
                    Some((_, ops)) if ops.contains(&filter.op) => query.filters.push(filter),
                    _ => {
                        return Err(bad_query(
                            "filter",
                            format!(
                                "This view does not allow filter[{}][{}]; see its meta for the allowed filters.",
                                filter.field,
                                filter.op.as_str()
                            ),
                        ));
                    }
                }
            }
            _ => match definition.params.iter().find(|param| param.name == key) {
                Some(param) => {
                    if values.iter().any(|(seen, _)| *seen == key) {
                        return Err(bad_query(&key, format!("'{key}' is given twice.")));
                    }
                    let value = crate::value::from_text(&param_field(param), &value).map_err(|error| {
                        ApiError::new(ErrorCode::ValidationError, error.message.replacen("Field ", "Parameter ", 1))
                            .with("parameter", key.as_str())
                    })?;
                    values.push((key, value));
                }
                None => {
                    let known: Vec<&str> = definition.params.iter().map(|param| param.name.as_str()).collect();
                    return Err(bad_query(
                        &key,
                        format!(
                            "Unknown parameter '{key}'. This view takes limit, cursor, sort, filter[field][op]{}.",
                            if known.is_empty() { String::new() } else { format!(" and {}", known.join(", ")) }
                        ),
                    ));
                }
            },
        }
    }
    let mut matches_nothing = false;
    for param in &definition.params {
        if values.iter().any(|(name, _)| *name == param.name) {
            continue;
        }
        match param.when_absent {
            WhenAbsent::Error => {
                return Err(ApiError::new(
                    ErrorCode::ValidationError,
                    format!("Parameter '{}' is required.", param.name),
                )
                .with("parameter", param.name.as_str()));
            }
            WhenAbsent::NoRows => matches_nothing = true,
            WhenAbsent::NoFilter => {}
        }
    }
    // The view's own conditions come first and always apply.
    let mut own = Vec::new();
    for filter in &definition.filters {
        let field = name_of(table, filter.column).ok_or_else(|| view_broken(table))?;
        let texts = match &filter.arg {
            StoredArg::Text(texts) => texts.clone(),
            StoredArg::Param(name) => match values.iter().find(|(given, _)| given == name) {
                Some((_, value)) => vec![value.clone()],
                // Absent, and its parameter says to drop the condition (or nothing matches).
                None => continue,
            },
        };
        let value = match texts.len() {
            1 if !matches!(filter.op, Op::In | Op::Between) => FilterValue::One(texts[0].clone()),
            _ => FilterValue::List(texts),
        };
        own.push(Filter { field, op: filter.op, value });
    }
    own.append(&mut query.filters);
    query.filters = own;
    if query.sort.is_empty() {
        for (column, descending) in &definition.sort {
            query.sort.push(SortSpec {
                field: name_of(table, *column).ok_or_else(|| view_broken(table))?,
                descending: *descending,
            });
        }
    }
    let mut fields: Vec<String> =
        definition.fields.iter().filter_map(|id| table.field_by_id(*id)).map(|field| field.name.clone()).collect();
    // The joined relation's fields, as long as the link and the field are there.
    fields.extend(definition.joined.iter().filter_map(|joined| joined_name(catalog, table, *joined)));
    query.fields = Some(fields);
    query.limit = Some(query.limit.unwrap_or(definition.default_limit));
    let mut plan = plan::compile_list_in(Some(catalog), table, &query, keys)?;
    if let (true, Plan::ListRecords { filter, after, .. }) = (matches_nothing, &mut plan) {
        // An empty disjunction: false.
        *filter = Some(Expr::Or(Vec::new()));
        *after = None;
    }
    Ok(plan)
}

/// The joined fields as fields of the view (named `link.field`, never required), for
/// its documentation; the ones whose link or field was dropped are left out.
pub fn joined_fields(definition: &Definition, catalog: &Catalog, table: &Table) -> Vec<Field> {
    definition
        .joined
        .iter()
        .filter_map(|joined| {
            let name = joined_name(catalog, table, *joined)?;
            let target = catalog.table_by_id(table.field_by_id(joined.0)?.link.as_ref()?.table)?;
            Some(Field { name, required: false, ..target.field_by_id(joined.1)?.clone() })
        })
        .collect()
}

/// `link.field` of a joined field, while both still exist.
pub fn joined_name(catalog: &Catalog, table: &Table, (link, field): (FieldId, FieldId)) -> Option<String> {
    let link = table.field_by_id(link)?;
    let target = catalog.table_by_id(link.link.as_ref()?.table)?;
    Some(format!("{}.{}", link.name, target.field_by_id(field)?.name))
}

fn view_broken(table: &Table) -> ApiError {
    ApiError::new(
        ErrorCode::ServiceUnavailable,
        format!("A field this view uses was dropped from table '{}'; its owner must update the view.", table.name),
    )
}

crate::json_schema::string_enum!(AuthMode, AuthMode::ALL);
crate::json_schema::string_enum!(WhenAbsent, WhenAbsent::ALL);

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{Expect, expect};
    use uuid::Uuid;

    fn catalog() -> Catalog {
        let field = |n: u128, name: &str, field_type| Field::new(FieldId(Uuid::from_u128(n)), name, field_type);
        Catalog {
            base_id: BaseId(Uuid::from_u128(7)),
            version: 3,
            tables: vec![Table {
                id: TableId(Uuid::from_u128(1)),
                name: "orders".into(),
                fields: vec![
                    field(10, "customer", FieldType::Uuid),
                    field(11, "total", FieldType::Number),
                    field(12, "status", FieldType::Text),
                    field(13, "secret", FieldType::Text),
                ],
                aliases: Vec::new(),
                rules: Vec::new(),
                unique: Vec::new(),
                policies: Vec::new(),
                indexes: Vec::new(),
            }],
        }
    }

    fn spec(json: serde_json::Value) -> ViewSpec {
        serde_json::from_value(json).expect("spec")
    }

    fn by_customer() -> Definition {
        define(
            &catalog(),
            &spec(serde_json::json!({
                "name": "Orders of a customer", "table": "orders", "fields": ["total", "status"],
                "filters": [{ "field": "customer", "op": "eq", "value": { "param": "customer_id" } },
                            { "field": "status", "op": "ne", "value": "void" }],
                "sort": ["total:desc"], "default_limit": 10, "max_limit": 50,
                "params": [{ "name": "customer_id", "type": "uuid", "required": true,
                             "example": "00000000-0000-0000-0000-0000000000aa" }],
                "allowed_filters": [{ "field": "total", "ops": ["gte"] }],
                "allowed_sorts": ["created_at"]
            })),
        )
        .expect("define")
    }

    #[test]
    fn a_definition_described_by_name_defines_itself_again() {
        let catalog = catalog();
        let wide = define(
            &catalog,
            &spec(serde_json::json!({
                "name": "Wide", "description": "every kind of part", "table": "orders",
                "fields": ["status", "total", "customer"],
                "filters": [{ "field": "total", "op": "between", "value": [1, "2.50"] },
                            { "field": "status", "op": "in", "value": ["open"] },
                            { "field": "created_at", "op": "gte", "value": "2025-01-01T00:00:00Z" },
                            { "field": "customer", "op": "eq", "value": { "param": "who" } }],
                "sort": ["total.desc", "id"], "default_limit": 5, "max_limit": 20,
                "params": [{ "name": "who", "type": "uuid", "when_absent": "no_filter", "description": "a customer" }],
                "allowed_filters": [{ "field": "updated_at", "ops": ["lt", "gt"] }],
                "allowed_sorts": ["status", "created_at"]
            })),
        )
        .expect("define");
        for definition in [by_customer(), wide] {
            let described = describe(&definition, &catalog);
            assert_eq!(define(&catalog, &described).expect("defines again"), definition, "{described:?}");
        }
        let described = describe(&by_customer(), &catalog);
        assert_eq!(described.sort, ["total:desc"]);
        assert_eq!(described.filters[1].value, FilterArg::Value("void".into()));
        // A field dropped since is named by its id, which no request can keep.
        let mut shrunk = catalog.clone();
        shrunk.tables[0].fields.retain(|field| field.name != "status");
        let described = describe(&by_customer(), &shrunk);
        assert_eq!(described.fields[1], FieldId(Uuid::from_u128(12)).to_string());
        assert!(define(&shrunk, &described).is_err());
    }

    fn check(raw: &str, expected: Expect) {
        let catalog = catalog();
        let actual = match compile_request(
            &by_customer(),
            &catalog,
            &catalog.tables[0],
            raw,
            &crate::keys::Keyring::single(b"k"),
        ) {
            Ok(plan) => serde_json::to_string(&plan).expect("json"),
            Err(error) => format!("{} {error}", error.status()),
        };
        expected.assert_eq(&actual);
    }

    #[test]
    fn requests_keep_the_views_conditions_and_projection() {
        check(
            "customer_id=00000000-0000-0000-0000-0000000000AA&filter[total][gte]=5",
            expect![[
                r#"{"op":"list_records","table":"00000000-0000-0000-0000-000000000001","filter":{"and":[{"cond":{"column":{"field":"00000000-0000-0000-0000-00000000000a"},"op":"eq","values":["00000000-0000-0000-0000-0000000000aa"]}},{"cond":{"column":{"field":"00000000-0000-0000-0000-00000000000c"},"op":"ne","values":["void"]}},{"cond":{"column":{"field":"00000000-0000-0000-0000-00000000000b"},"op":"gte","values":["5"]}}]},"sort":[{"column":{"field":"00000000-0000-0000-0000-00000000000b"},"descending":true},{"column":"id","descending":false}],"fields":["00000000-0000-0000-0000-00000000000b","00000000-0000-0000-0000-00000000000c"],"limit":10,"after":null}"#
            ]],
        );
        check(
            "customer_id=00000000-0000-0000-0000-0000000000aa&sort=created_at:asc&limit=50",
            expect![[
                r#"{"op":"list_records","table":"00000000-0000-0000-0000-000000000001","filter":{"and":[{"cond":{"column":{"field":"00000000-0000-0000-0000-00000000000a"},"op":"eq","values":["00000000-0000-0000-0000-0000000000aa"]}},{"cond":{"column":{"field":"00000000-0000-0000-0000-00000000000c"},"op":"ne","values":["void"]}}]},"sort":[{"column":"created_at","descending":false},{"column":"id","descending":false}],"fields":["00000000-0000-0000-0000-00000000000b","00000000-0000-0000-0000-00000000000c"],"limit":50,"after":null}"#
            ]],
        );
    }

    #[test]
    fn requests_outside_the_view_are_refused() {
        let id = "customer_id=00000000-0000-0000-0000-0000000000aa";
        check("", expect!["422 VALIDATION_ERROR: Parameter 'customer_id' is required."]);
        check(
            "customer_id=nope",
            expect![
                "422 VALIDATION_ERROR: Parameter 'customer_id' must be a UUID, e.g. 3ca3dfad-2a40-4d1a-a9e1-0dca1d4fcd25."
            ],
        );
        check(&format!("{id}&{id}"), expect!["400 INVALID_QUERY: 'customer_id' is given twice."]);
        check(
            &format!("{id}&filter[secret][eq]=x"),
            expect![
                "400 INVALID_QUERY: This view does not allow filter[secret][eq]; see its meta for the allowed filters."
            ],
        );
        check(
            &format!("{id}&filter[total][lt]=5"),
            expect![
                "400 INVALID_QUERY: This view does not allow filter[total][lt]; see its meta for the allowed filters."
            ],
        );
        check(
            &format!("{id}&sort=secret:asc"),
            expect![
                "400 INVALID_QUERY: This view cannot be sorted on 'secret:asc'; see its meta for the sortable fields."
            ],
        );
        check(
            &format!("{id}&limit=51"),
            expect!["413 PAYLOAD_TOO_LARGE: This view returns at most 50 records a page; follow `next_cursor`."],
        );
        check(&format!("{id}&limit=0"), expect!["400 INVALID_QUERY: 'limit' is 1 to 50."]);
        check(
            &format!("{id}&fields=secret"),
            expect![
                "400 INVALID_QUERY: Unknown parameter 'fields'. This view takes limit, cursor, sort, filter[field][op] and customer_id."
            ],
        );
    }

    #[test]
    fn definitions_are_checked() {
        let refuse = |json: serde_json::Value| match define(&catalog(), &spec(json)) {
            Ok(_) => "accepted".to_owned(),
            Err(error) => format!("{} {error}", error.status()),
        };
        let results: Vec<String> = [
            serde_json::json!({ "name": "v", "table": "nope" }),
            serde_json::json!({ "name": "v", "table": "orders", "fields": ["nope"] }),
            serde_json::json!({ "name": "v", "table": "orders", "fields": ["id"] }),
            serde_json::json!({ "name": "v", "table": "orders", "default_limit": 20, "max_limit": 10 }),
            serde_json::json!({ "name": "v", "table": "orders", "params": [{ "name": "limit", "type": "text" }] }),
            serde_json::json!({ "name": "v", "table": "orders",
                                "filters": [{ "field": "total", "op": "eq", "value": { "param": "p" } }] }),
            serde_json::json!({ "name": "v", "table": "orders",
                                "filters": [{ "field": "total", "op": "gt", "value": "ten" }] }),
            serde_json::json!({ "name": "v", "table": "orders",
                                "filters": [{ "field": "status", "op": "between", "value": ["a"] }] }),
            serde_json::json!({ "name": "v", "table": "orders",
                                "filters": [{ "field": "status", "op": "eq", "value": ["a", "b"] }] }),
            serde_json::json!({ "name": "v", "table": "orders", "sort": ["total:up"] }),
            serde_json::json!({ "name": "v", "table": "orders", "allowed_sorts": ["secret"],
                                "filters": [{ "field": "status", "op": "in", "value": ["open", "paid"] }] }),
        ]
        .into_iter()
        .map(refuse)
        .collect();
        expect![[r#"
            [
                "404 TABLE_NOT_FOUND: No table 'nope' in this base.",
                "422 VALIDATION_ERROR: 'nope' in 'fields' is not a field of table 'orders'.",
                "422 VALIDATION_ERROR: 'id' is always returned; list fields only.",
                "422 VALIDATION_ERROR: Use 1 ≤ default_limit ≤ max_limit ≤ 1000.",
                "422 VALIDATION_ERROR: 'limit' cannot name a parameter: use a field-like name other than limit, cursor, sort, filter.",
                "422 VALIDATION_ERROR: Parameter 'p' is not among 'params'.",
                "422 VALIDATION_ERROR: Field 'total' must be a number (JSON number; at most 200 characters and exponent 1000). (operator 'gt')",
                "422 VALIDATION_ERROR: 'between' on 'status' takes two values, low and high; got 1.",
                "422 VALIDATION_ERROR: 'eq' on 'status' takes one value.",
                "422 VALIDATION_ERROR: 'total:up': sort as field:asc or field:desc.",
                "accepted",
            ]
        "#]].assert_debug_eq(&results);
    }

    #[test]
    fn views_expose_only_their_fields() {
        let refuse = |json: serde_json::Value| match define(&catalog(), &spec(json)) {
            Ok(definition) => format!("accepted {:?}", definition.fields),
            Err(error) => format!("{} {error}", error.status()),
        };
        let results: Vec<String> = [
            serde_json::json!({ "name": "v", "table": "orders", "fields": ["status"], "sort": ["secret:asc"] }),
            serde_json::json!({ "name": "v", "table": "orders", "fields": ["status"], "allowed_sorts": ["secret"] }),
            serde_json::json!({ "name": "v", "table": "orders", "fields": ["status"],
                                "allowed_filters": [{ "field": "secret", "ops": ["eq"] }] }),
            // The view's own conditions may use any field; system columns are always returned.
            serde_json::json!({ "name": "v", "table": "orders", "fields": ["status"], "sort": ["created_at:desc"],
                                "filters": [{ "field": "secret", "op": "ne", "value": "x" }],
                                "allowed_sorts": ["id"], "allowed_filters": [{ "field": "status", "ops": ["eq", "eq"] }] }),
            // Every field the table has now, listed: a field added later is not published.
            serde_json::json!({ "name": "v", "table": "orders" }),
            serde_json::json!({ "name": "v", "table": "orders", "allowed_filters": [{ "field": "total", "ops": ["contains"] }] }),
            serde_json::json!({ "name": "v", "table": "orders", "sort": ["total:asc", "total:desc"] }),
        ]
        .into_iter()
        .map(refuse)
        .collect();
        expect![[r#"
            [
                "422 VALIDATION_ERROR: 'secret:asc' in 'sort' is not among the view's fields: the order of the rows would reveal it. Add it to 'fields', or use a field the view returns.",
                "422 VALIDATION_ERROR: 'secret' in 'allowed_sorts' is not among the view's fields: the order of the rows would reveal it. Add it to 'fields', or use a field the view returns.",
                "422 VALIDATION_ERROR: 'secret' in 'allowed_filters' is not among the view's fields: which rows match a filter on it would reveal it. Add it to 'fields', or use a field the view returns.",
                "accepted [FieldId(00000000-0000-0000-0000-00000000000c)]",
                "accepted [FieldId(00000000-0000-0000-0000-00000000000a), FieldId(00000000-0000-0000-0000-00000000000b), FieldId(00000000-0000-0000-0000-00000000000c), FieldId(00000000-0000-0000-0000-00000000000d)]",
                "422 VALIDATION_ERROR: Operator 'contains' does not apply to 'total' of type number.",
                "422 VALIDATION_ERROR: 'total:desc' sorts on a field twice.",
            ]
        "#]]
        .assert_debug_eq(&results);
    }

    #[test]
    fn absent_parameters_say_what_they_mean() {
        let view = |when_absent: serde_json::Value| {
            let mut param = serde_json::json!({ "name": "status", "type": "text" });
            if let serde_json::Value::Object(extra) = when_absent {
                param.as_object_mut().expect("object").extend(extra);
            }
            define(
                &catalog(),
                &spec(serde_json::json!({ "name": "v", "table": "orders", "fields": ["total"],
                    "filters": [{ "field": "status", "op": "eq", "value": { "param": "status" } }], "params": [param] })),
            )
        };
        let outcome = |definition: Result<Definition, ApiError>, raw: &str| match definition.and_then(|definition| {
            compile_request(&definition, &catalog(), &catalog().tables[0], raw, &crate::keys::Keyring::single(b"k"))
        }) {
            Ok(Plan::ListRecords { filter, .. }) => format!("filter {}", serde_json::to_string(&filter).expect("json")),
            Ok(other) => format!("{other:?}"),
            Err(error) => format!("{} {error}", error.status()),
        };
        let results = vec![
            outcome(view(serde_json::json!({})), ""),
            outcome(view(serde_json::json!({ "required": true })), ""),
            outcome(view(serde_json::json!({ "required": false })), ""),
            outcome(view(serde_json::json!({ "required": true, "when_absent": "no_rows" })), ""),
            outcome(view(serde_json::json!({ "when_absent": "no_filter" })), ""),
            outcome(view(serde_json::json!({ "when_absent": "no_rows" })), ""),
            outcome(view(serde_json::json!({ "when_absent": "no_rows" })), "status=open"),
        ];
        expect![[r#"
            [
                "422 VALIDATION_ERROR: Parameter 'status' is required.",
                "422 VALIDATION_ERROR: Parameter 'status' is required.",
                "422 VALIDATION_ERROR: Parameter 'status' is optional: say what a request without it gets, with \"when_absent\": \"no_filter\" (its conditions are dropped) or \"no_rows\" (nothing matches).",
                "422 VALIDATION_ERROR: Parameter 'status': 'required' and 'when_absent' disagree.",
                "filter null",
                "filter {\"or\":[]}",
                "filter {\"cond\":{\"column\":{\"field\":\"00000000-0000-0000-0000-00000000000c\"},\"op\":\"eq\",\"values\":[\"open\"]}}",
            ]
        "#]]
        .assert_debug_eq(&results);
    }

    #[test]
    fn definitions_and_requests_are_bounded() {
        let many = |n: usize, item: &dyn Fn(usize) -> serde_json::Value| (0..n).map(item).collect::<Vec<_>>();
        let refuse = |json: serde_json::Value| match define(&catalog(), &spec(json)) {
            Ok(_) => "accepted".to_owned(),
            Err(error) => format!("{} {error}", error.status()),
        };
        let results: Vec<String> = [
            serde_json::json!({ "name": "v", "table": "orders",
                "params": many(MAX_VIEW_PARAMS + 1, &|i| serde_json::json!({ "name": format!("p{i}"), "type": "text" })) }),
            serde_json::json!({ "name": "v", "table": "orders",
                "filters": many(MAX_VIEW_FILTERS + 1, &|_| serde_json::json!({ "field": "status", "op": "eq", "value": "a" })) }),
            serde_json::json!({ "name": "v", "table": "orders",
                "filters": [{ "field": "status", "op": "in", "value": many(plan::MAX_IN_VALUES + 1, &|i| i.into()) }] }),
            serde_json::json!({ "name": "v", "table": "orders", "fields": many(plan::MAX_PROJECTION + 1, &|_| "total".into()) }),
        ]
        .into_iter()
        .map(refuse)
        .collect();
        expect![[r#"
            [
                "422 VALIDATION_ERROR: 'params' lists at most 32 entries; got 33.",
                "422 VALIDATION_ERROR: 'filters' lists at most 32 entries; got 33.",
                "422 VALIDATION_ERROR: 'filters' lists at most 100 entries; got 101.",
                "422 VALIDATION_ERROR: 'fields' lists at most 256 entries; got 257.",
            ]
        "#]]
        .assert_debug_eq(&results);
        // A caller's sort keys and conditions are capped like the records API's.
        let definition = define(
            &catalog(),
            &spec(serde_json::json!({ "name": "v", "table": "orders", "fields": ["total", "status"],
                "allowed_sorts": ["total", "status"], "allowed_filters": [{ "field": "total", "ops": ["gte"] }] })),
        )
        .expect("define");
        let table = &catalog().tables[0];
        let sorts = vec!["total:asc"; 1700].join(",");
        let conditions = vec!["filter[total][gte]=1"; plan::MAX_CONDITIONS + 1].join("&");
        let results: Vec<String> = [format!("sort={sorts}"), "sort=total:asc,total:desc".to_owned(), conditions]
            .iter()
            .map(|raw| {
                match compile_request(&definition, &catalog(), table, raw, &crate::keys::Keyring::single(b"k")) {
                    Ok(_) => "accepted".to_owned(),
                    Err(error) => format!("{} {error}", error.status()),
                }
            })
            .collect();
        expect![[r#"
            [
                "400 INVALID_QUERY: At most 8 sort keys are allowed.",
                "400 INVALID_QUERY: Field 'total' appears twice in 'sort'.",
                "400 INVALID_QUERY: At most 64 conditions in filter[...] and where together are allowed; got 65.",
            ]
        "#]]
        .assert_debug_eq(&results);
    }

    #[test]
    fn definitions_survive_renames() {
        let definition = by_customer();
        let mut catalog = catalog();
        catalog.tables[0].fields[1].name = "amount".into();
        let plan = compile_request(
            &definition,
            &catalog,
            &catalog.tables[0],
            "customer_id=00000000-0000-0000-0000-0000000000aa",
            &crate::keys::Keyring::single(b"k"),
        );
        assert!(plan.is_ok(), "{plan:?}");
        catalog.tables[0].fields.remove(0);
        let error = compile_request(
            &definition,
            &catalog,
            &catalog.tables[0],
            "customer_id=00000000-0000-0000-0000-0000000000aa",
            &crate::keys::Keyring::single(b"k"),
        )
        .expect_err("dropped field");
        assert_eq!(error.code, ErrorCode::ServiceUnavailable);
    }

    #[test]
    fn auth_modes_are_read_strictly() {
        for mode in AuthMode::ALL {
            assert_eq!(AuthMode::parse(mode.as_str()), Some(mode));
        }
        assert_eq!(AuthMode::parse("everyone"), None, "never read as public");
        assert_eq!(AuthMode::parse(""), None);
    }

    #[test]
    fn slugs() {
        for good in ["a", "orders-2025", &"a".repeat(64)] {
            assert!(is_valid_slug(good), "{good}");
        }
        for bad in ["", "-a", "a-", "A", "a_b", "a/b", &"a".repeat(65)] {
            assert!(!is_valid_slug(bad), "{bad}");
        }
    }

    #[test]
    fn a_view_joins_one_relation_and_returns_its_fields_after_its_own() {
        let mut catalog = catalog();
        let region = Field::new(FieldId(Uuid::from_u128(31)), "region", FieldType::Text);
        let name = Field::new(FieldId(Uuid::from_u128(30)), "name", FieldType::Text);
        catalog.tables.push(Table::new(TableId(Uuid::from_u128(2)), "accounts", vec![name, region]));
        let link =
            crate::catalog::Link { table: TableId(Uuid::from_u128(2)), on_delete: Default::default(), display: None };
        let mut account = Field::new(FieldId(Uuid::from_u128(14)), "account", FieldType::Link);
        account.link = Some(link);
        catalog.tables[0].fields.push(account);
        let definition = define(
            &catalog,
            &spec(serde_json::json!({ "name": "With accounts", "table": "orders",
                                      "fields": ["total", "account.name", "account.region"] })),
        )
        .expect("define");
        assert_eq!(definition.joined_table, Some(TableId(Uuid::from_u128(2))));
        assert_eq!(describe(&definition, &catalog).fields, ["total", "account.name", "account.region"]);
        let plan = compile_request(&definition, &catalog, &catalog.tables[0], "", &crate::keys::Keyring::single(b"k"))
            .expect("compiles");
        let Plan::ListRecords { fields, include, .. } = plan else { panic!("a list") };
        assert_eq!(fields, Some(vec![FieldId(Uuid::from_u128(11))]));
        let linked = |n| plan::Include::Field(FieldId(Uuid::from_u128(14)), FieldId(Uuid::from_u128(n)));
        assert_eq!(include, [linked(30), linked(31)]);
        // One relation only.
        let mut second = Field::new(FieldId(Uuid::from_u128(15)), "payer", FieldType::Link);
        second.link = Some(crate::catalog::Link {
            table: TableId(Uuid::from_u128(2)),
            on_delete: Default::default(),
            display: None,
        });
        catalog.tables[0].fields.push(second);
        let two = define(
            &catalog,
            &spec(serde_json::json!({ "name": "Two", "table": "orders", "fields": ["account.name", "payer.name"] })),
        );
        assert!(two.is_err_and(|error| error.message.contains("one relation")));
    }
}

/// How to call a published view (`GET /public/views/{slug}/meta`): its endpoint, parameters,
/// filters, sorts, pagination, the JSON Schema of its page, and examples that work as they are.
#[derive(Serialize, schemars::JsonSchema)]
pub struct ViewMeta {
    pub view: MetaView,
    pub endpoint: MetaEndpoint,
    pub auth: MetaAuth,
    pub params: Vec<MetaParam>,
    /// The filters callers may add.
    pub filters: Vec<MetaFilter>,
    pub sort: MetaSort,
    pub pagination: MetaPagination,
    pub cache: CachePolicy,
    /// The JSON Schema of a page of the view.
    pub response: serde_json::Value,
    pub examples: MetaExamples,
}

/// The view as published.
#[derive(Serialize, schemars::JsonSchema)]
pub struct MetaView {
    pub name: String,
    pub description: String,
    pub slug: String,
    /// The version the slug serves.
    pub version: i64,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct MetaEndpoint {
    pub method: &'static str,
    pub url: String,
    /// An RFC 6570 template of the URL with its query.
    pub url_template: String,
}

/// What a caller must send.
#[derive(Serialize, schemars::JsonSchema)]
pub struct MetaAuth {
    pub mode: AuthMode,
    /// The header to send, with a placeholder for the secret; null for a public view.
    pub header: Option<String>,
    pub description: String,
}

/// A parameter of the view.
#[derive(Serialize, schemars::JsonSchema)]
pub struct MetaParam {
    pub name: String,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    pub required: bool,
    pub when_absent: WhenAbsent,
    /// What leaving it out does, in words.
    pub absent_means: &'static str,
    pub example: Option<String>,
    pub description: String,
    /// Always `query`.
    #[serde(rename = "in")]
    pub location: &'static str,
}

/// A filter callers may add.
#[derive(Serialize, schemars::JsonSchema)]
pub struct MetaFilter {
    pub field: String,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    pub operators: Vec<Op>,
    /// How to write it in a query.
    pub syntax: String,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct MetaSort {
    /// The fields callers may sort on.
    pub fields: Vec<String>,
    /// The view's own order, as `field:asc|desc` keys.
    pub default: Vec<String>,
    pub syntax: &'static str,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct MetaPagination {
    /// Always `cursor`.
    pub mode: &'static str,
    pub default_limit: u32,
    pub max_limit: u32,
    pub request: &'static str,
    pub next: &'static str,
}

/// Calls of the view that work as they are (with a key or token where it needs one).
#[derive(Serialize, schemars::JsonSchema)]
pub struct MetaExamples {
    pub curl: String,
    /// JavaScript (and TypeScript) with `fetch`.
    pub fetch: String,
    /// A URL to import into Postman.
    pub postman_url: String,
}
