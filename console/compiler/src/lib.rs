//! The request compiler's checks, for the web console: the operators a field type allows,
//! a field value and a view definition checked exactly as the API checks them. Built to
//! WebAssembly with wasm-bindgen; each function takes and gives JSON text, so the console
//! reads the API's own answers (`FieldInfo`, `Base`, `ViewSpec`) without a second model.

use serde::Deserialize;
use serde_json::value::RawValue;
use shared::catalog::{Catalog, Field, FieldRules, FieldType, Link, OnDelete, Table};
use shared::error::ApiError;
use shared::ids::{BaseId, FieldId, TableId};
use shared::query::Op;
use wasm_bindgen::prelude::*;

/// A field as the API's `FieldInfo` describes it.
#[derive(Deserialize)]
struct FieldInfo {
    id: uuid::Uuid,
    name: String,
    #[serde(rename = "type")]
    field_type: FieldType,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    unique: bool,
    #[serde(default)]
    options: Option<Vec<String>>,
    #[serde(default)]
    default: Option<serde_json::Value>,
    #[serde(default)]
    former_names: Vec<String>,
    #[serde(default)]
    link: Option<LinkInfo>,
    #[serde(default)]
    rules: FieldRules,
}

/// A link field's relation as the API's `LinkInfo` describes it.
#[derive(Deserialize)]
struct LinkInfo {
    table_id: uuid::Uuid,
    #[serde(default)]
    on_delete: OnDelete,
    #[serde(default)]
    display_field_id: Option<uuid::Uuid>,
}

impl From<FieldInfo> for Field {
    fn from(info: FieldInfo) -> Field {
        Field {
            required: info.required,
            unique: info.unique,
            options: info.options.unwrap_or_default(),
            default: info.default,
            aliases: info.former_names,
            link: info.link.map(|link| Link {
                table: TableId(link.table_id),
                on_delete: link.on_delete,
                display: link.display_field_id.map(FieldId),
            }),
            rules: info.rules,
            ..Field::new(FieldId(info.id), &info.name, info.field_type)
        }
    }
}

/// A table as the API's `Table` describes it.
#[derive(Deserialize)]
struct TableInfo {
    id: uuid::Uuid,
    name: String,
    fields: Vec<FieldInfo>,
    #[serde(default)]
    former_names: Vec<String>,
}

/// A base as the API's `Base` (`GET /api/v1/bases/{baseId}`) describes it.
#[derive(Deserialize)]
struct BaseInfo {
    id: uuid::Uuid,
    catalog_version: i64,
    tables: Vec<TableInfo>,
}

impl From<BaseInfo> for Catalog {
    fn from(base: BaseInfo) -> Catalog {
        Catalog {
            base_id: BaseId(base.id),
            version: base.catalog_version,
            tables: base
                .tables
                .into_iter()
                .map(|table| Table {
                    id: TableId(table.id),
                    name: table.name,
                    fields: table.fields.into_iter().map(Field::from).collect(),
                    aliases: table.former_names,
                    rules: Vec::new(),
                    unique: Vec::new(),
                    policies: Vec::new(),
                    indexes: Vec::new(),
                })
                .collect(),
        }
    }
}

fn read<'a, T: Deserialize<'a>>(what: &str, json: &'a str) -> Result<T, JsError> {
    serde_json::from_str(json).map_err(|error| JsError::new(&format!("{what} does not read: {error}")))
}

/// An error as the console shows it: the API's message, with the detail naming the field.
fn message(error: &ApiError) -> String {
    error.to_string()
}

/// The operators a filter on a field of `field_type` may use, in the API's order.
#[wasm_bindgen]
pub fn operators(field_type: &str) -> Result<Vec<String>, JsError> {
    let field_type = FieldType::ALL
        .into_iter()
        .find(|candidate| candidate.as_str() == field_type)
        .ok_or_else(|| JsError::new(&format!("'{field_type}' is not a field type")))?;
    Ok(Op::ALL.into_iter().filter(|op| shared::plan::applies(*op, field_type)).map(|op| op.as_str().into()).collect())
}

/// Why the API would refuse `value` (JSON) for `field` (a `FieldInfo`), or nothing.
#[wasm_bindgen]
pub fn check_value(field: &str, value: &str) -> Result<Option<String>, JsError> {
    let field = Field::from(read::<FieldInfo>("the field", field)?);
    let value = read::<&RawValue>("the value", value)?;
    let checked = shared::value::from_json(&field, value)
        .and_then(|text| text.as_deref().map(|text| shared::rules::check_value(&field, text)).transpose());
    Ok(checked.err().map(|error| message(&error)))
}

/// Why the API would refuse `rules` (a `FieldRules`) on a field of `field_type`, or nothing.
#[wasm_bindgen]
pub fn check_rules(field_type: &str, rules: &str) -> Result<Option<String>, JsError> {
    let field_type =
        FieldType::parse(field_type).ok_or_else(|| JsError::new(&format!("'{field_type}' is not a field type")))?;
    let rules = read::<FieldRules>("the rules", rules)?;
    Ok(shared::rules::check_rules("this field", field_type, &rules).err().map(|error| message(&error)))
}

/// Why saving `spec` (a `ViewSpec`) in `base` (a `Base`) would be refused, or nothing.
#[wasm_bindgen]
pub fn check_view(base: &str, spec: &str) -> Result<Option<String>, JsError> {
    let catalog = Catalog::from(read::<BaseInfo>("the base", base)?);
    let spec = match serde_json::from_str::<shared::view::ViewSpec>(spec) {
        Ok(spec) => spec,
        Err(error) => return Ok(Some(format!("The view is not well formed: {error}"))),
    };
    Ok(shared::view::define(&catalog, &spec).err().map(|error| message(&error)))
}

/// What `formula` gives on `table` of `base` (a `Base`): `{"type": …}` with the type of
/// its value, or `{"error": {message, start, end}}` saying what is wrong and where.
#[wasm_bindgen]
pub fn check_formula(base: &str, table: &str, formula: &str) -> Result<String, JsError> {
    let catalog = Catalog::from(read::<BaseInfo>("the base", base)?);
    let table = catalog.table(table).ok_or_else(|| JsError::new(&format!("no table '{table}' in the base")))?;
    let answer = match shared::formula::compile(table, formula) {
        Ok(checked) => serde_json::json!({ "type": checked.kind.as_str() }),
        Err(error) => serde_json::json!({ "error": error }),
    };
    Ok(answer.to_string())
}

/// The functions a formula can call, as `[{name, doc}]`.
#[wasm_bindgen]
pub fn formula_functions() -> String {
    let functions: Vec<serde_json::Value> = shared::formula::Func::callable()
        .map(|func| serde_json::json!({ "name": func.as_str(), "doc": func.doc() }))
        .collect();
    serde_json::Value::from(functions).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const FIELD_ID: &str = "00000000-0000-0000-0000-00000000000a";

    fn base() -> String {
        json!({
            "id": "00000000-0000-0000-0000-000000000001", "catalog_version": 4,
            "tables": [{ "id": "00000000-0000-0000-0000-000000000002", "name": "orders", "former_names": [],
                         "fields": [{ "id": FIELD_ID, "name": "total", "type": "number", "required": false,
                                      "unique": false, "options": null, "default": null, "former_names": [] },
                                    { "id": "00000000-0000-0000-0000-00000000000b", "name": "status",
                                      "type": "single_select", "options": ["open", "paid"], "former_names": ["state"] }] }]
        })
        .to_string()
    }

    #[test]
    fn operators_are_the_compilers() {
        assert_eq!(operators("boolean").expect("type"), ["eq", "ne", "in", "is_null"]);
        assert!(operators("text").expect("type").contains(&"starts_with".to_owned()));
        assert!(operators("number").expect("type").contains(&"between".to_owned()));
    }

    #[test]
    fn values_are_checked_as_the_api_checks_them() {
        let status =
            json!({ "id": FIELD_ID, "name": "status", "type": "single_select", "options": ["open"] }).to_string();
        assert_eq!(check_value(&status, "\"open\"").expect("reads"), None);
        let refused = check_value(&status, "\"shipped\"").expect("reads").expect("refused");
        assert!(refused.contains("shipped"), "{refused}");
        let total = json!({ "id": FIELD_ID, "name": "total", "type": "number" }).to_string();
        assert!(check_value(&total, "\"ten\"").expect("reads").is_some());
        assert_eq!(check_value(&total, "12.50").expect("reads"), None);
    }

    #[test]
    fn views_are_checked_as_saving_them_would_be() {
        let spec =
            |sort: &str| json!({ "name": "Open", "table": "orders", "fields": ["total"], "sort": [sort] }).to_string();
        assert_eq!(check_view(&base(), &spec("total:desc")).expect("reads"), None);
        let hidden = check_view(&base(), &spec("status:asc")).expect("reads").expect("refused");
        assert!(hidden.contains("not among the view's fields"), "{hidden}");
        // A former name still in its grace period resolves, as it does on the server.
        let by_alias = json!({ "name": "Old", "table": "orders", "fields": ["state"] }).to_string();
        assert_eq!(check_view(&base(), &by_alias).expect("reads"), None);
        assert!(check_view(&base(), "{\"name\": 1}").expect("reads").is_some());
    }

    #[test]
    fn formulas_are_typed_as_the_api_types_them() {
        let typed: serde_json::Value =
            serde_json::from_str(&check_formula(&base(), "orders", "total * 2 > 10").expect("reads")).expect("json");
        assert_eq!(typed, json!({ "type": "boolean" }));
        let wrong: serde_json::Value =
            serde_json::from_str(&check_formula(&base(), "orders", "total & status + 1").expect("reads"))
                .expect("json");
        assert_eq!(wrong["error"]["start"], 8, "{wrong}");
        let functions: serde_json::Value = serde_json::from_str(&formula_functions()).expect("json");
        assert!(functions.as_array().expect("list").iter().any(|func| func["name"] == "date_diff"));
    }
}
