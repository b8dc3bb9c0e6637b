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
//! API Boundary: `ViewSpec` travels in management commands, `Definition` is stored in
//! `view_versions`, `PublishedView` goes origin → edge.

use crate::catalog::{Catalog, Field, FieldType, Table};
use crate::error::{ApiError, ErrorCode};
use crate::ids::{BaseId, FieldId, TableId};
use crate::plan::{self, Column, Plan};
use crate::query::{self, Filter, FilterValue, Op, RecordsQuery, SortSpec};
use serde::{Deserialize, Serialize};

/// Rows per page when a view does not say.
pub const DEFAULT_PAGE: u32 = 25;

/// A view as a management request describes it: tables and fields by name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewSpec {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// The base table, by name or id.
    pub table: String,
    /// The fields returned, in order; empty returns every field.
    #[serde(default)]
    pub fields: Vec<String>,
    /// Conditions always applied; a value may be a parameter (`{"param": "customer_id"}`).
    #[serde(default)]
    pub filters: Vec<ViewFilter>,
    /// The default order: `field:asc`, `field:desc` (or `field.asc`).
    #[serde(default)]
    pub sort: Vec<String>,
    #[serde(default = "default_page")]
    pub default_limit: u32,
    #[serde(default = "max_page")]
    pub max_limit: u32,
    #[serde(default)]
    pub params: Vec<ViewParam>,
    /// Filters a caller may add, by field and operators.
    #[serde(default)]
    pub allowed_filters: Vec<AllowedFilter>,
    /// Fields a caller may sort on (`sort=field:asc`).
    #[serde(default)]
    pub allowed_sorts: Vec<String>,
}

fn default_page() -> u32 {
    DEFAULT_PAGE
}

fn max_page() -> u32 {
    100
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewFilter {
    pub field: String,
    pub op: Op,
    pub value: FilterArg,
}

/// A filter's operand: a value in the field's JSON form (a list for `in` and `between`),
/// or a parameter of the view.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FilterArg {
    Param { param: String },
    Value(serde_json::Value),
}

/// A typed request parameter, e.g. `customer_id`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewParam {
    pub name: String,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    #[serde(default)]
    pub required: bool,
    /// Shown in the view's usage documentation and used in its examples.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The choices, for select-typed parameters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    /// Empty: every field of the table, as it is when a request comes.
    pub fields: Vec<FieldId>,
    pub filters: Vec<StoredFilter>,
    pub sort: Vec<(Column, bool)>,
    pub default_limit: u32,
    pub max_limit: u32,
    pub params: Vec<ViewParam>,
    pub allowed_filters: Vec<(Column, Vec<Op>)>,
    pub allowed_sorts: Vec<Column>,
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

/// How the edge caches a view's answers (seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CachePolicy {
    #[serde(default = "default_max_age")]
    pub max_age: u32,
    #[serde(default)]
    pub stale_while_revalidate: u32,
    #[serde(default)]
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
    /// The active version.
    pub version: i64,
    pub definition: Definition,
    pub auth: AuthMode,
    pub cache: CachePolicy,
    /// Live view keys: id and hex SHA-256 of the secret.
    #[serde(default)]
    pub keys: Vec<(uuid::Uuid, String)>,
}

/// Slugs are URL-safe: 1 to 64 lowercase letters, digits and dashes, not at either end.
pub fn is_valid_slug(slug: &str) -> bool {
    (1..=64).contains(&slug.len())
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}

fn invalid(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::ValidationError, message).with("field", field)
}

fn column(table: &Table, name: &str, what: &str) -> Result<Column, ApiError> {
    plan::resolve(table, name).map(|info| info.column).ok_or_else(|| {
        invalid(what, format!("'{name}' in '{what}' is not a field of table '{}'.", table.name)).with("name", name)
    })
}

/// A parameter as a field, to type its values with [`crate::value::from_text`].
fn param_field(param: &ViewParam) -> Field {
    Field {
        required: param.required,
        options: param.options.clone(),
        ..Field::new(FieldId(uuid::Uuid::nil()), &param.name, param.field_type)
    }
}

fn parse_sort(table: &Table, text: &str, what: &str) -> Result<(Column, bool), ApiError> {
    let (name, direction) = text.rsplit_once(':').or_else(|| text.rsplit_once('.')).unwrap_or((text, "asc"));
    let descending = match direction {
        "asc" => false,
        "desc" => true,
        _ => return Err(invalid(what, format!("'{text}': sort as field:asc or field:desc."))),
    };
    Ok((column(table, name, what)?, descending))
}

/// Checks a view against the catalog and resolves it to ids.
pub fn define(catalog: &Catalog, spec: &ViewSpec) -> Result<Definition, ApiError> {
    crate::manage::check_label("name", &spec.name)?;
    if spec.description.chars().count() > 1000 {
        return Err(invalid("description", "'description' is at most 1,000 characters."));
    }
    let table = crate::schema::find_table(catalog, &spec.table)?;
    let mut fields = Vec::new();
    for name in &spec.fields {
        match column(table, name, "fields")? {
            Column::Field(id) if !fields.contains(&id) => fields.push(id),
            Column::Field(_) => {}
            _ => return Err(invalid("fields", format!("'{name}' is always returned; list fields only."))),
        }
    }
    if !(1..=query::MAX_LIMIT).contains(&spec.max_limit) || !(1..=spec.max_limit).contains(&spec.default_limit) {
        return Err(invalid("max_limit", format!("Use 1 ≤ default_limit ≤ max_limit ≤ {}.", query::MAX_LIMIT)));
    }
    let mut params: Vec<&ViewParam> = Vec::new();
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
        if params.iter().any(|seen| seen.name == param.name) {
            return Err(invalid("params", format!("Parameter '{}' is listed twice.", param.name)));
        }
        if matches!(param.field_type, FieldType::Json | FieldType::MultiSelect) {
            return Err(invalid("params", format!("Parameter '{}' needs a scalar type.", param.name)));
        }
        if let Some(example) = &param.example {
            crate::value::from_text(&param_field(param), example).map_err(|error| error.with("field", "params"))?;
        }
        params.push(param);
    }
    let mut filters = Vec::new();
    for filter in &spec.filters {
        let column = column(table, &filter.field, "filters")?;
        let arg = match &filter.value {
            FilterArg::Param { param } => {
                if !params.iter().any(|known| known.name == *param) {
                    return Err(invalid("filters", format!("Parameter '{param}' is not among 'params'.")));
                }
                if filter.op == Op::Between {
                    return Err(invalid("filters", "'between' takes two values, not a parameter; use gte and lte."));
                }
                StoredArg::Param(param.clone())
            }
            FilterArg::Value(value) => {
                let texts = filter_texts(value)?;
                if !filter.op.takes_list() && texts.len() != 1 {
                    let op = filter.op.as_str();
                    return Err(invalid("filters", format!("'{op}' on '{}' takes one value.", filter.field)));
                }
                let texts = query::check_list("filters", filter.op, texts)
                    .map_err(|error| invalid("filters", error.message))?;
                StoredArg::Text(texts)
            }
        };
        filters.push(StoredFilter { column, op: filter.op, arg });
    }
    let sort = spec.sort.iter().map(|text| parse_sort(table, text, "sort")).collect::<Result<Vec<_>, _>>()?;
    let allowed_filters = spec
        .allowed_filters
        .iter()
        .map(|allowed| Ok((column(table, &allowed.field, "allowed_filters")?, allowed.ops.clone())))
        .collect::<Result<Vec<_>, ApiError>>()?;
    let allowed_sorts =
        spec.allowed_sorts.iter().map(|name| column(table, name, "allowed_sorts")).collect::<Result<Vec<_>, _>>()?;
    let definition = Definition {
        name: spec.name.trim().to_owned(),
        description: spec.description.clone(),
        table: table.id,
        fields,
        filters,
        sort,
        default_limit: spec.default_limit,
        max_limit: spec.max_limit,
        params: spec.params.clone(),
        allowed_filters,
        allowed_sorts,
    };
    // Every stored filter with an example for its parameters must compile now.
    let examples: Vec<(String, String)> =
        definition.params.iter().filter_map(|param| Some((param.name.clone(), param.example.clone()?))).collect();
    if definition.params.iter().all(|param| param.example.is_some() || !param.required) {
        let query = examples.iter().map(|(name, value)| format!("{name}={}", encode(value))).collect::<Vec<_>>();
        compile_request(&definition, table, &query.join("&"), &[])
            .map_err(|error| ApiError { message: format!("The view does not compile: {}", error.message), ..error })?;
    }
    Ok(definition)
}

/// Query parameters of the data endpoint; view parameters cannot take these names.
pub const RESERVED_PARAMS: [&str; 4] = ["limit", "cursor", "sort", "filter"];

/// A filter operand from its JSON form to query text: strings as they are, numbers and
/// booleans as written, lists as comma-joined items.
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
/// (allowed fields and operators only) and the view's parameters by name.
pub fn compile_request(
    definition: &Definition,
    table: &Table,
    raw: &str,
    signing_key: &[u8],
) -> Result<Plan, ApiError> {
    let mut query = RecordsQuery::default();
    let mut values: Vec<(String, String)> = Vec::new();
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
                    let (column, descending) = parse_sort(table, item, "sort")
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
    if let Some(missing) =
        definition.params.iter().find(|param| param.required && !values.iter().any(|(name, _)| *name == param.name))
    {
        return Err(ApiError::new(ErrorCode::ValidationError, format!("Parameter '{}' is required.", missing.name))
            .with("parameter", missing.name.as_str()));
    }
    // The view's own conditions come first and always apply.
    let mut own = Vec::new();
    for filter in &definition.filters {
        let field = name_of(table, filter.column).ok_or_else(|| view_broken(table))?;
        let texts = match &filter.arg {
            StoredArg::Text(texts) => texts.clone(),
            StoredArg::Param(name) => match values.iter().find(|(given, _)| given == name) {
                Some((_, value)) => vec![value.clone()],
                // An optional parameter left out drops its condition.
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
    let fields: Vec<String> = match definition.fields.is_empty() {
        true => table.fields.iter().map(|field| field.name.clone()).collect(),
        false => {
            definition.fields.iter().filter_map(|id| table.field_by_id(*id)).map(|field| field.name.clone()).collect()
        }
    };
    query.fields = Some(fields);
    query.limit = Some(query.limit.unwrap_or(definition.default_limit));
    plan::compile_list(table, &query, signing_key)
}

fn view_broken(table: &Table) -> ApiError {
    ApiError::new(
        ErrorCode::ServiceUnavailable,
        format!("A field this view uses was dropped from table '{}'; its owner must update the view.", table.name),
    )
}

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

    fn check(raw: &str, expected: Expect) {
        let catalog = catalog();
        let actual = match compile_request(&by_customer(), &catalog.tables[0], raw, b"k") {
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
                "422 VALIDATION_ERROR: The view does not compile: Field 'total' must be a number (JSON number; at most 200 characters and exponent 1000). (operator 'gt')",
                "422 VALIDATION_ERROR: 'between' takes exactly two values, low and high; got 1.",
                "422 VALIDATION_ERROR: 'eq' on 'status' takes one value.",
                "422 VALIDATION_ERROR: 'total:up': sort as field:asc or field:desc.",
                "accepted",
            ]
        "#]].assert_debug_eq(&results);
    }

    #[test]
    fn definitions_survive_renames() {
        let definition = by_customer();
        let mut catalog = catalog();
        catalog.tables[0].fields[1].name = "amount".into();
        let plan =
            compile_request(&definition, &catalog.tables[0], "customer_id=00000000-0000-0000-0000-0000000000aa", b"k");
        assert!(plan.is_ok(), "{plan:?}");
        catalog.tables[0].fields.remove(0);
        let error =
            compile_request(&definition, &catalog.tables[0], "customer_id=00000000-0000-0000-0000-0000000000aa", b"k")
                .expect_err("dropped field");
        assert_eq!(error.code, ErrorCode::ServiceUnavailable);
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
}
