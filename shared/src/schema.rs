//! Schema changes without SQL: creating, renaming and dropping tables and fields, and
//! changing a field's type, requirement, uniqueness, default or options.
//!
//! The edge parses a request into a [`Change`] (names and values checked on their own,
//! [`check_new_field`]); the origin, holding the base's schema lock, calls [`plan`] with
//! the current catalog. A [`SchemaPlan`] is the data-plane DDL to run, in one
//! transaction, and the [`CatalogChange`] to record when that transaction commits. Both
//! are pure data: the plan can be shown without being run (`dry_run`), and a catalog
//! change left behind by a crash can be applied later from its stored form.
//!
//! Renames keep the old name as an alias; drops are soft (the column stays, hidden and
//! refusing writes); type changes apply directly only for the safe list below.
//!
//! API Boundary: `Change` travels in the signed envelope; `CatalogChange` is stored in
//! `schema_ops` rows.

use crate::catalog::{
    Aggregate, Catalog, Computed, Field, FieldRules, FieldType, Index, IndexKey, Link, OnDelete, Policy, RecordRule,
    Table, UniqueSet, is_valid_name,
};
use crate::ddl;
use crate::error::{ApiError, ErrorCode};
use crate::ids::{FieldId, TableId};
use crate::lower::Sql;
use serde::{Deserialize, Deserializer, Serialize};
use uuid::Uuid;

mod revert;
pub use revert::plan_revert;

/// Fields a table may have (live ones; Postgres allows 1,600 columns in all).
pub const MAX_FIELDS: usize = 200;
/// Tables a base may have.
pub const MAX_TABLES: usize = 500;
/// Options of a single or multi select.
pub const MAX_OPTIONS: usize = 1000;

/// A table as a client describes it, to create.
#[derive(Clone, Debug, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTable {
    #[schemars(with = "Name")]
    pub name: String,
    #[serde(default)]
    #[schemars(length(max = MAX_FIELDS))]
    pub fields: Vec<NewField>,
}

/// A field as a client describes it, to create.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewField {
    #[schemars(with = "Name")]
    pub name: String,
    #[serde(rename = "type")]
    pub field_type: NewType,
    #[serde(default)]
    pub required: bool,
    /// Backed by a unique index.
    #[serde(default)]
    pub unique: bool,
    /// A valid value of the field, given to records that leave it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Options")]
    pub options: Vec<String>,
    /// For a `link` field (and only for one): the table it points at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<NewLink>,
    /// What every value written must satisfy beyond its type.
    #[serde(default, skip_serializing_if = "FieldRules::is_empty")]
    pub rules: FieldRules,
    /// For a `formula` field: the expression, e.g. `price * quantity` (see the formula
    /// language in the API guide).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::formula::MAX_CHARS))]
    pub formula: Option<String>,
    /// For a `lookup` field: the link and the linked table's field it shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookup: Option<NewLookup>,
    /// For a `rollup` field: what it aggregates over the records linking here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollup: Option<NewRollup>,
}

impl NewField {
    /// An optional stored field without default, options, link or rules.
    pub fn new(name: &str, field_type: FieldType) -> NewField {
        NewField {
            name: name.to_owned(),
            field_type: NewType::Stored(field_type),
            required: false,
            unique: false,
            default: None,
            options: Vec::new(),
            link: None,
            rules: FieldRules::default(),
            formula: None,
            lookup: None,
            rollup: None,
        }
    }
}

/// The type a new field is declared with: a stored type, or how it is computed
/// (`formula`, `lookup`, `rollup`: its values then have the type the definition gives).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewType {
    Stored(FieldType),
    Formula,
    Lookup,
    Rollup,
}

impl NewType {
    pub fn as_str(self) -> &'static str {
        match self {
            NewType::Stored(field_type) => field_type.as_str(),
            NewType::Formula => "formula",
            NewType::Lookup => "lookup",
            NewType::Rollup => "rollup",
        }
    }

    fn all() -> Vec<NewType> {
        let mut all: Vec<NewType> = FieldType::ALL.into_iter().map(NewType::Stored).collect();
        all.extend([NewType::Formula, NewType::Lookup, NewType::Rollup]);
        all
    }

    /// The stored type, `None` for a computed field.
    pub fn stored(self) -> Option<FieldType> {
        match self {
            NewType::Stored(field_type) => Some(field_type),
            _ => None,
        }
    }
}

impl From<FieldType> for NewType {
    fn from(field_type: FieldType) -> NewType {
        NewType::Stored(field_type)
    }
}

impl Serialize for NewType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for NewType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        NewType::all().into_iter().find(|kind| kind.as_str() == text).ok_or_else(|| {
            let names: Vec<&str> = NewType::all().into_iter().map(NewType::as_str).collect();
            serde::de::Error::custom(format!("unknown field type '{text}', expected one of {}", names.join(", ")))
        })
    }
}

crate::json_schema::string_enum!(NewType, NewType::all(), "NewFieldType");

/// A lookup: a field of the record a link of this table points at.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLookup {
    /// The link field of this table, by id or name.
    pub link: String,
    /// The field of the linked table, by id or name.
    pub field: String,
}

/// A rollup: an aggregate over the records of another table whose link points here.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRollup {
    /// The linking side, `<table>.<its link field>` (as `include=` names it).
    pub link: String,
    pub function: Aggregate,
    /// The aggregated field of the linking table: a number for `sum` and `average`; a
    /// number, text, date or datetime for `min` and `max`; none for `count`, `any`, `all`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// A condition in the `where` form over the linking table's fields: only matching
    /// records count; for `any` and `all`, what each record is tested for.
    #[serde(default, rename = "where", skip_serializing_if = "Option::is_none")]
    pub filter: Option<serde_json::Value>,
}

/// The relation of a new `link` field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLink {
    /// The target table, by id or current name (the field's own table for a self-link).
    pub table: String,
    /// What deleting a target record does to the records linking to it (default `restrict`).
    #[serde(default)]
    pub on_delete: OnDelete,
    /// The target field that names a record in the console, by id or name (default: the
    /// target's first text field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}

/// What a `PATCH` changes in a link; absent members stay as they are.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_delete: Option<OnDelete>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}

/// A table or field name: lowercase letters, digits and `_`, starting with a letter; not
/// `id`, `created_at`, `updated_at` or `version`.
#[derive(schemars::JsonSchema)]
#[schemars(transparent, inline)]
#[expect(dead_code, reason = "only its schema is used")]
struct Name(#[schemars(regex(pattern = "^[a-z][a-z0-9_]{0,62}$"))] String);

/// The choices of a single or multi select.
#[derive(schemars::JsonSchema)]
#[schemars(transparent, inline)]
#[expect(dead_code, reason = "only its schema is used")]
struct Options(#[schemars(length(max = MAX_OPTIONS), inner(length(min = 1, max = 100)))] Vec<String>);

/// What a `PATCH` of a field changes; absent members stay as they are.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("minProperties" = 1))]
pub struct FieldPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Name>")]
    pub name: Option<String>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub field_type: Option<FieldType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unique: Option<bool>,
    /// `Some(None)` (JSON `null`) removes the default.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "serde_json::Value", description = "The new default; `null` removes it.")]
    pub default: Option<Option<serde_json::Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Options>")]
    pub options: Option<Vec<String>>,
    /// A link field's referential action or display field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<LinkPatch>,
    /// The field's rules, replacing the current ones (`{}` removes them all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<FieldRules>,
    /// With `rules`: `false` applies them to new writes only, leaving existing records
    /// that break them as they are (Postgres then checks a record when it is next written).
    /// By default a change that existing records break is refused, naming how many.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_existing: Option<bool>,
    /// A formula field's new expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::formula::MAX_CHARS))]
    pub formula: Option<String>,
    /// A lookup field's new definition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookup: Option<NewLookup>,
    /// A rollup field's new definition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollup: Option<NewRollup>,
}

/// A member that is present, even as `null`: tells "remove" from "leave alone".
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

/// A table's record rules and compound unique constraints, replacing the current ones
/// (`PUT …/tables/{table}/rules`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableRules {
    #[serde(default)]
    #[schemars(length(max = MAX_TABLE_RULES))]
    pub rules: Vec<NewRecordRule>,
    #[serde(default)]
    #[schemars(length(max = MAX_TABLE_RULES))]
    pub unique: Vec<NewUnique>,
    /// `false` applies new rules to new writes only, leaving existing records that break
    /// them as they are. By default a rule that existing records break is refused,
    /// naming how many. (Unique constraints always hold for every record.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_existing: Option<bool>,
}

/// Record rules and unique constraints a table may have, each.
pub const MAX_TABLE_RULES: usize = 32;

/// A record rule as a client writes it: conditions in the `where` form over the
/// table's own fields.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRecordRule {
    #[schemars(with = "Name")]
    pub name: String,
    /// When this holds, `then` must hold too (always, when absent).
    #[serde(default, rename = "if", skip_serializing_if = "Option::is_none")]
    pub when: Option<serde_json::Value>,
    pub then: serde_json::Value,
    /// What a write that breaks the rule is told (a default names the rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 300))]
    pub message: Option<String>,
}

/// A compound unique constraint as a client writes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUnique {
    #[schemars(with = "Name")]
    pub name: String,
    /// Two to eight fields, by name.
    #[schemars(length(min = 2, max = 8))]
    pub fields: Vec<String>,
}

/// A table's policies, replacing the current ones (`PUT …/tables/{table}/policies`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TablePolicies {
    #[schemars(length(max = crate::policy::MAX_POLICIES))]
    pub policies: Vec<crate::policy::NewPolicy>,
}

/// A schema change as requested. Tables and fields are named by id or current name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    CreateTable {
        name: String,
        fields: Vec<NewField>,
    },
    RenameTable {
        table: String,
        name: String,
    },
    DropTable {
        table: String,
    },
    AddField {
        table: String,
        field: NewField,
    },
    UpdateField {
        table: String,
        field: String,
        patch: FieldPatch,
    },
    DropField {
        table: String,
        field: String,
    },
    SetRules {
        table: String,
        rules: TableRules,
    },
    SetPolicies {
        table: String,
        policies: TablePolicies,
    },
    /// Removes a soft-dropped table or field for good, once its retention has passed;
    /// `confirm` repeats its name.
    Purge {
        item: Uuid,
        confirm: String,
    },
    /// An index on fields a table's lists sort or filter by, built without blocking writes.
    AddIndex {
        table: String,
        index: NewIndex,
    },
    DropIndex {
        table: String,
        index: String,
    },
    /// Brings a table back to its state before an applied operation of the base.
    Revert {
        op: Uuid,
    },
    /// The guided path of a type change that could lose values: a new field `into` of
    /// type `to`, holding each value of `field` that converts (the others are left empty).
    ConvertField {
        table: String,
        field: String,
        convert: Conversion,
    },
}

/// An index as an admin asks for it (`POST …/tables/{table}/indexes`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewIndex {
    /// Its name in the table (default: the fields joined, e.g. `amount_desc_placed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Name>")]
    pub name: Option<String>,
    /// 1 to 8 stored fields, in order, each `name` or `name:desc` (the order a list's
    /// `sort` names them in).
    #[schemars(length(min = 1, max = 8))]
    pub fields: Vec<String>,
}

/// Indexes a table may have besides the ones the product makes (unique fields, links).
pub const MAX_INDEXES: usize = 16;

/// What a conversion makes (`POST …/fields/{field}/convert`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Conversion {
    /// The new field's type: number, boolean, date, datetime, uuid or a text type.
    #[serde(rename = "type")]
    pub to: FieldType,
    /// The new field's name; the old field stays until it is dropped, after which the
    /// new one can take its name.
    #[schemars(with = "Name")]
    pub into: String,
}

/// Types a conversion can make: those Postgres can cast text into, checked value by value.
pub fn converts_into(to: FieldType) -> bool {
    use FieldType::*;
    matches!(to, Text | LongText | Number | Boolean | Date | Datetime | Uuid)
}

/// The values of `field` that would not convert into `to`: their count and the first
/// three records' ids (the probe a conversion's preview runs).
pub fn conversion_failures(base: crate::ids::BaseId, table: TableId, field: &Field, to: FieldType) -> Sql {
    let column = crate::lower::quote_ident(&field.id.column_name());
    let condition = format!("r.{column} IS NOT NULL AND NOT nc_converts((r.{column})::text, ($1::text)::regtype)");
    ddl::records_where(base, table, &condition, vec![Some(to.sql_type().to_owned())])
}

/// What a purge names: the dropped item, by the id `GET …/dropped` lists.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PurgeRequest {
    /// The dropped table's or field's name, typed again: a purge cannot be undone.
    pub confirm: String,
}

/// A soft-dropped table or field, kept (columns, values, history) until it is purged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Dropped {
    pub id: Uuid,
    pub kind: DroppedKind,
    /// Its table (the table itself for a dropped table).
    #[schemars(with = "Uuid")]
    pub table_id: TableId,
    pub table: String,
    pub name: String,
    pub dropped_at: String,
    /// From when it may be purged: its retention, for second thoughts, ends.
    pub purgeable_at: String,
    pub purgeable: bool,
    /// What still names it (views of a dropped table); a purge waits for them.
    pub dependents: Vec<String>,
    /// The drop, when reverting it (`POST …/schema-ops/{opId}/revert`) can restore the
    /// table or field now; null when a later change must be reverted first.
    pub restore_op: Option<Uuid>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DroppedKind {
    Table,
    Field,
}

/// Plans the purge of a dropped table or field: its storage goes (`DROP TABLE`, `DROP
/// COLUMN`), its catalog rows stay, marked, for the history that names them.
pub fn plan_purge(base: crate::ids::BaseId, item: &Dropped, confirm: &str) -> Result<SchemaPlan, ApiError> {
    if confirm != item.name {
        return Err(invalid(
            "confirm",
            format!("Type the name of what is purged, '{}', in 'confirm': a purge cannot be undone.", item.name),
        ));
    }
    let conflict =
        |message: String, reason: &str| ApiError::new(ErrorCode::SchemaConflict, message).with("reason", reason);
    if !item.purgeable {
        return Err(conflict(
            format!(
                "'{}' was dropped recently; it can be purged from {} (until then, reverting its drop restores it).",
                item.name, item.purgeable_at
            ),
            "retention",
        )
        .with("purgeable_at", item.purgeable_at.as_str()));
    }
    if !item.dependents.is_empty() {
        return Err(conflict(
            format!("'{}' is still named by {}; delete those first.", item.name, item.dependents.join(", ")),
            "in_use",
        )
        .with("dependents", item.dependents.clone()));
    }
    let target = crate::lower::qualified_table(base, item.table_id);
    Ok(match item.kind {
        DroppedKind::Table => SchemaPlan {
            steps: vec![Sql { text: format!("DROP TABLE {target}"), params: Vec::new() }],
            change: CatalogChange::PurgeTable { table: item.table_id },
        },
        DroppedKind::Field => {
            let field = FieldId(item.id);
            SchemaPlan {
                steps: vec![Sql {
                    text: format!(
                        // A computed field has no column.
                        "ALTER TABLE {target} DROP COLUMN IF EXISTS {}",
                        crate::lower::quote_ident(&field.column_name())
                    ),
                    params: Vec::new(),
                }],
                change: CatalogChange::PurgeField { table: item.table_id, field },
            }
        }
    })
}

impl Change {
    pub fn name(&self) -> &'static str {
        match self {
            Change::CreateTable { .. } => "create_table",
            Change::RenameTable { .. } => "rename_table",
            Change::DropTable { .. } => "drop_table",
            Change::AddField { .. } => "add_field",
            Change::UpdateField { .. } => "update_field",
            Change::DropField { .. } => "drop_field",
            Change::SetRules { .. } => "set_rules",
            Change::SetPolicies { .. } => "set_policies",
            Change::Purge { .. } => "purge",
            Change::ConvertField { .. } => "convert_field",
            Change::AddIndex { .. } => "add_index",
            Change::DropIndex { .. } => "drop_index",
            Change::Revert { .. } => "revert",
        }
    }
}

/// What the control plane records once the DDL committed: pure data, applied exactly as
/// stored (also by recovery after a crash).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CatalogChange {
    CreateTable {
        table: Table,
    },
    /// `alias` is the former name, kept for the grace period.
    RenameTable {
        table: TableId,
        name: String,
        alias: String,
    },
    DropTable {
        table: TableId,
    },
    AddField {
        table: TableId,
        field: Field,
    },
    /// The field as it is after the change; `alias` is its former name when renamed.
    UpdateField {
        table: TableId,
        field: Field,
        alias: Option<String>,
    },
    DropField {
        table: TableId,
        field: FieldId,
    },
    SetRules {
        table: TableId,
        rules: Vec<RecordRule>,
        unique: Vec<UniqueSet>,
    },
    SetPolicies {
        table: TableId,
        policies: Vec<Policy>,
    },
    SetIndexes {
        table: TableId,
        indexes: Vec<Index>,
    },
    PurgeTable {
        table: TableId,
    },
    PurgeField {
        table: TableId,
        field: FieldId,
    },
    /// A dropped table back, as it was.
    RestoreTable {
        table: TableId,
    },
    /// A dropped field back, as `field` says.
    RestoreField {
        table: TableId,
        field: Field,
    },
}

/// The DDL of a change and the catalog change that commits with it.
#[derive(Clone, Debug, PartialEq)]
pub struct SchemaPlan {
    /// Data-plane statements, run in order in one transaction (often none).
    pub steps: Vec<Sql>,
    pub change: CatalogChange,
}

fn invalid(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::ValidationError, message).with("field", field)
}

fn check_name(what: &str, name: &str) -> Result<(), ApiError> {
    if is_valid_name(name) {
        return Ok(());
    }
    Err(invalid(
        "name",
        format!(
            "'{name}' is not a valid {what} name: use 1 to 63 lowercase letters, digits and underscores, starting \
             with a letter (not id, created_at, updated_at or version)."
        ),
    )
    .with("name", name))
}

/// Checks a new field on its own: its name, its options and its default.
pub fn check_new_field(field: &NewField) -> Result<(), ApiError> {
    check_name("field", &field.name)?;
    let definitions = [
        ("formula", field.formula.is_some(), NewType::Formula),
        ("lookup", field.lookup.is_some(), NewType::Lookup),
        ("rollup", field.rollup.is_some(), NewType::Rollup),
    ];
    for (member, given, kind) in definitions {
        match (given, field.field_type == kind) {
            (false, true) => {
                return Err(invalid(member, format!("A {member} field needs its \"{member}\" definition.")));
            }
            (true, false) => {
                return Err(invalid(
                    member,
                    format!("Only a {member} field has \"{member}\"; this one is {}.", field.field_type.as_str()),
                ));
            }
            _ => {}
        }
    }
    let Some(field_type) = field.field_type.stored() else {
        let stored_only = field.required
            || field.unique
            || field.default.is_some()
            || !field.options.is_empty()
            || field.link.is_some()
            || !field.rules.is_empty();
        if stored_only {
            return Err(invalid(
                "type",
                format!(
                    "A {} field is computed: it has no default, options, link or rules, and is neither required nor unique.",
                    field.field_type.as_str()
                ),
            ));
        }
        return Ok(());
    };
    check_options(field_type, &field.options)?;
    check_file_field(field_type, field.unique, field.default.is_some())?;
    match (field_type, &field.link) {
        (FieldType::Link, None) => {
            return Err(invalid("link", "A link field names its target: \"link\": {\"table\": \"customers\"}."));
        }
        (FieldType::Link, Some(_)) if field.default.is_some() => {
            return Err(invalid("default", "A link field has no default."));
        }
        (FieldType::Link, Some(link)) => check_clearable(link.on_delete, field.required)?,
        (_, None) => {}
        (other, Some(_)) => {
            return Err(invalid("link", format!("A {} field has no link; only a link field does.", other.as_str())));
        }
    }
    crate::rules::check_rules(&field.name, field_type, &field.rules)?;
    if let Some(default) = &field.default {
        let probe = Field {
            options: field.options.clone(),
            rules: field.rules.clone(),
            ..Field::new(FieldId(Uuid::nil()), &field.name, field_type)
        };
        check_default(&probe, default)?;
    }
    Ok(())
}

/// A link whose target's deletes clear it (`set_null`) cannot be required.
fn check_clearable(on_delete: OnDelete, required: bool) -> Result<(), ApiError> {
    if on_delete == OnDelete::SetNull && required {
        return Err(invalid("link", "A required link cannot be cleared, so its on_delete cannot be set_null."));
    }
    Ok(())
}

/// Resolves a new link against the catalog. `own` is the table the field is added to
/// (it may be the target: a self-link), which may not be in the catalog yet.
fn resolve_link(catalog: &Catalog, own: &Table, field: FieldId, spec: &NewLink) -> Result<Link, ApiError> {
    let target = match own.name == spec.table || TableId::parse(&spec.table) == Some(own.id) {
        true => own,
        false => find_table(catalog, &spec.table).map_err(|error| error.with("field", "link.table"))?,
    };
    let display = spec.display.as_deref().map(|name| display_field(target, name)).transpose()?;
    let link = Link { table: target.id, on_delete: spec.on_delete, display };
    check_cascade(catalog, own.id, field, &link)?;
    Ok(link)
}

fn display_field(target: &Table, reference: &str) -> Result<FieldId, ApiError> {
    find_field(target, reference).map(|field| field.id).map_err(|error| error.with("field", "link.display"))
}

/// Deleting a record may delete records that link to it (`cascade`), and so on down the
/// links; a cascade that comes back to where it started is refused, so every delete's
/// cascade is a finite tree the statement spells out (see [`crate::lower`]).
fn check_cascade(catalog: &Catalog, own: TableId, field: FieldId, link: &Link) -> Result<(), ApiError> {
    if link.on_delete != OnDelete::Cascade {
        return Ok(());
    }
    // Tables whose records a delete in `own` removes, through the cascades other than this one.
    let mut reached = vec![own];
    let mut next = 0;
    while let Some(&table) = reached.get(next) {
        next += 1;
        for (linking, other, other_link) in catalog.links_to(table) {
            if other.id != field && other_link.on_delete == OnDelete::Cascade && !reached.contains(&linking.id) {
                reached.push(linking.id);
            }
        }
    }
    if reached.contains(&link.table) {
        let target = catalog.table_by_id(link.table).map_or("this table", |table| table.name.as_str());
        return Err(invalid(
            "link.on_delete",
            format!(
                "Deleting a record of '{target}' would cascade back to '{target}' through this link; use restrict \
                 or set_null for it."
            ),
        ));
    }
    Ok(())
}

fn check_options(field_type: FieldType, options: &[String]) -> Result<(), ApiError> {
    if field_type == FieldType::File {
        return check_media_types(options);
    }
    if !field_type.has_options() {
        return match options.is_empty() {
            true => Ok(()),
            false => Err(invalid("options", format!("A {} field has no options.", field_type.as_str()))),
        };
    }
    if options.is_empty() || options.len() > MAX_OPTIONS {
        return Err(invalid("options", format!("A select field needs 1 to {MAX_OPTIONS} options.")));
    }
    for (index, option) in options.iter().enumerate() {
        if option.is_empty() || option.chars().count() > 100 || option.chars().any(char::is_control) {
            return Err(invalid("options", "Each option is 1 to 100 characters without control characters."));
        }
        if options[..index].contains(option) {
            return Err(invalid("options", format!("Option '{option}' is listed twice.")));
        }
    }
    Ok(())
}

/// A file field's options are the media types it accepts: `type/subtype` or `type/*`.
fn check_media_types(options: &[String]) -> Result<(), ApiError> {
    if options.len() > MAX_OPTIONS {
        return Err(invalid("options", format!("A file field accepts at most {MAX_OPTIONS} media types.")));
    }
    for (index, option) in options.iter().enumerate() {
        if !crate::bulk::is_media_type(option, true) {
            return Err(invalid(
                "options",
                format!("'{option}' is not a media type: give e.g. image/png, image/* or application/pdf."),
            ));
        }
        if options[..index].contains(option) {
            return Err(invalid("options", format!("Media type '{option}' is listed twice.")));
        }
    }
    Ok(())
}

/// A file field holds uploads only: it has no default and cannot be unique.
fn check_file_field(field_type: FieldType, unique: bool, has_default: bool) -> Result<(), ApiError> {
    if field_type == FieldType::File && has_default {
        return Err(invalid("default", "A file field has no default."));
    }
    if field_type == FieldType::File && unique {
        return Err(invalid("unique", "A file field cannot be unique."));
    }
    Ok(())
}

/// A default must be a valid, non-null value of the field that keeps its rules.
fn check_default(field: &Field, default: &serde_json::Value) -> Result<(), ApiError> {
    let probe = Field { required: true, id: FieldId(Uuid::nil()), ..field.clone() };
    let raw = serde_json::value::to_raw_value(default).map_err(|_| invalid("default", "The default is not JSON."))?;
    crate::value::from_json(&probe, &raw)
        .and_then(|text| text.as_deref().map(|text| crate::rules::check_value(&probe, text)).transpose())
        .map(drop)
        .map_err(|error| ApiError {
            message: format!("'default': {}", error.message),
            ..error.with("field", "default")
        })
}

/// The type changes applied in place: each keeps every value and every value stays
/// valid. Text-like types share one column type; a date becomes midnight UTC.
pub fn is_safe_type_change(from: FieldType, to: FieldType) -> bool {
    use FieldType::*;
    from == to
        || matches!(
            (from, to),
            (Text, LongText) | (Email | Url | SingleSelect, Text | LongText) | (Date, Datetime) | (LongText, Text)
        )
}

/// Checks a change against the current catalog and plans it. `new_id` supplies fresh
/// UUIDs for new tables and fields.
pub fn plan(catalog: &Catalog, change: &Change, new_id: &mut dyn FnMut() -> Uuid) -> Result<SchemaPlan, ApiError> {
    let base = catalog.base_id;
    match change {
        Change::CreateTable { name, fields } => {
            check_name("table", name)?;
            table_name_free(catalog, name, None)?;
            if catalog.tables.len() >= MAX_TABLES {
                return Err(invalid("name", format!("A base holds at most {MAX_TABLES} tables.")));
            }
            if fields.len() > MAX_FIELDS {
                return Err(invalid("fields", format!("A table has at most {MAX_FIELDS} fields.")));
            }
            let mut table = Table::new(TableId(new_id()), name, Vec::new());
            for spec in fields {
                check_new_field(spec)?;
                field_name_free(&table, &spec.name, None)?;
                let field = new_field(catalog, &table, spec, FieldId(new_id()))?;
                table.fields.push(field);
            }
            Ok(SchemaPlan { steps: ddl::create_table(base, &table), change: CatalogChange::CreateTable { table } })
        }
        Change::RenameTable { table, name } => {
            let table = find_table(catalog, table)?;
            check_name("table", name)?;
            if *name == table.name {
                return Err(invalid("name", format!("The table is already named '{name}'.")));
            }
            table_name_free(catalog, name, Some(table.id))?;
            let change = CatalogChange::RenameTable { table: table.id, name: name.clone(), alias: table.name.clone() };
            Ok(SchemaPlan { steps: Vec::new(), change })
        }
        Change::DropTable { table } => {
            let table = find_table(catalog, table)?;
            let mut dependents: Vec<String> = catalog
                .links_to(table.id)
                .filter(|(linking, _, _)| linking.id != table.id)
                .map(|(linking, field, _)| format!("{}.{}", linking.name, field.name))
                .collect();
            for other in catalog.tables.iter().filter(|other| other.id != table.id) {
                for field in &other.fields {
                    if field.computed.as_ref().is_some_and(|computed| {
                        computed.reads(other.id, catalog).iter().any(|(read, _)| *read == table.id)
                    }) {
                        dependents.push(format!("{}.{}", other.name, field.name));
                    }
                }
            }
            if !dependents.is_empty() {
                return Err(ApiError::new(
                    ErrorCode::SchemaConflict,
                    format!(
                        "Links and computed fields use table '{}' from {}; drop those fields (or the tables holding them) first.",
                        table.name,
                        dependents.join(", ")
                    ),
                )
                .with("reason", "linked_from")
                .with("dependents", dependents));
            }
            // Its own links stop constraining their targets.
            let steps = table
                .fields
                .iter()
                .filter(|field| field.link.is_some())
                .map(|field| ddl::drop_link(base, table.id, field.id))
                .collect();
            Ok(SchemaPlan { steps, change: CatalogChange::DropTable { table: table.id } })
        }
        Change::AddField { table, field } => {
            let table = find_table(catalog, table)?;
            check_new_field(field)?;
            field_name_free(table, &field.name, None)?;
            if table.fields.len() >= MAX_FIELDS {
                return Err(invalid("name", format!("A table has at most {MAX_FIELDS} fields.")));
            }
            let field = new_field(catalog, table, field, FieldId(new_id()))?;
            let steps = ddl::add_field(base, table.id, &field);
            Ok(SchemaPlan { steps, change: CatalogChange::AddField { table: table.id, field } })
        }
        Change::UpdateField { table, field, patch } => {
            let table = find_table(catalog, table)?;
            let current = find_field(table, field)?;
            if patch.field_type.is_some_and(|to| to != current.field_type) {
                refuse_if_used(catalog, table, current, "change the type of")?;
            }
            update_field(catalog, table, current, patch)
        }
        Change::SetRules { table, rules } => set_rules(catalog, find_table(catalog, table)?, rules),
        Change::ConvertField { table, field, convert } => {
            let table = find_table(catalog, table)?;
            let from = find_field(table, field)?;
            if !converts_into(convert.to) {
                return Err(invalid(
                    "type",
                    format!(
                        "A conversion makes a number, boolean, date, datetime, uuid or text field, not {}.",
                        convert.to.as_str()
                    ),
                ));
            }
            if from.computed.is_some() || from.field_type.is_document() || from.field_type == FieldType::Link {
                return Err(invalid(
                    "field",
                    format!("'{}' ({}) has no single value to convert.", from.name, from.field_type.as_str()),
                ));
            }
            let spec = NewField::new(&convert.into, convert.to);
            check_new_field(&spec)?;
            field_name_free(table, &spec.name, None)?;
            if table.fields.len() >= MAX_FIELDS {
                return Err(invalid("into", format!("A table has at most {MAX_FIELDS} fields.")));
            }
            let field = new_field(catalog, table, &spec, FieldId(new_id()))?;
            let mut steps = ddl::add_field(base, table.id, &field);
            steps.push(ddl::convert_values(base, table.id, from.id, &field));
            Ok(SchemaPlan { steps, change: CatalogChange::AddField { table: table.id, field } })
        }
        Change::Purge { .. } | Change::Revert { .. } => Err(ApiError::new(
            ErrorCode::Internal,
            "A purge or a revert is planned from what the origin stored (plan_purge, plan_revert).",
        )),
        Change::AddIndex { table, index } => add_index(catalog, find_table(catalog, table)?, index, new_id()),
        Change::DropIndex { table, index } => {
            let table = find_table(catalog, table)?;
            let found = table.indexes.iter().find(|existing| existing.name == *index).ok_or_else(|| {
                ApiError::new(ErrorCode::NotFound, format!("Table '{}' has no index '{index}'.", table.name))
                    .with("index", index.as_str())
            })?;
            let indexes = table.indexes.iter().filter(|existing| existing.id != found.id).cloned().collect();
            Ok(SchemaPlan {
                steps: vec![ddl::drop_index(base, found)],
                change: CatalogChange::SetIndexes { table: table.id, indexes },
            })
        }
        Change::SetPolicies { table, policies } => {
            let table = find_table(catalog, table)?;
            let policies = crate::policy::compile(table, &policies.policies)?;
            Ok(SchemaPlan { steps: Vec::new(), change: CatalogChange::SetPolicies { table: table.id, policies } })
        }
        Change::DropField { table, field } => {
            let table = find_table(catalog, table)?;
            let field = find_field(table, field)?;
            refuse_if_used(catalog, table, field, "drop")?;
            // The column stays; new records leave it empty, so it can no longer be NOT NULL,
            // and a link no longer constrains its target.
            let mut steps = Vec::new();
            if field.required {
                steps.push(ddl::set_required(base, table.id, field.id, false));
            }
            if field.link.is_some() {
                steps.push(ddl::drop_link(base, table.id, field.id));
            }
            Ok(SchemaPlan { steps, change: CatalogChange::DropField { table: table.id, field: field.id } })
        }
    }
}

impl CatalogChange {
    /// The existing table the change alters (none for a new table, a purge or a restore).
    pub fn table(&self) -> Option<TableId> {
        match self {
            CatalogChange::CreateTable { .. }
            | CatalogChange::PurgeTable { .. }
            | CatalogChange::PurgeField { .. }
            | CatalogChange::RestoreTable { .. } => None,
            other => Some(other.subject()),
        }
    }

    /// The table the change is about, in the catalog or not.
    pub fn subject(&self) -> TableId {
        match self {
            CatalogChange::CreateTable { table } => table.id,
            CatalogChange::RenameTable { table, .. }
            | CatalogChange::DropTable { table }
            | CatalogChange::AddField { table, .. }
            | CatalogChange::UpdateField { table, .. }
            | CatalogChange::DropField { table, .. }
            | CatalogChange::SetRules { table, .. }
            | CatalogChange::SetPolicies { table, .. }
            | CatalogChange::SetIndexes { table, .. }
            | CatalogChange::PurgeTable { table }
            | CatalogChange::PurgeField { table, .. }
            | CatalogChange::RestoreTable { table }
            | CatalogChange::RestoreField { table, .. } => *table,
        }
    }
}

/// What in the catalog depends on what a change alters: the links to a table, and the
/// rules, unique sets and policies naming a field (the origin adds the views).
pub fn dependents(catalog: &Catalog, change: &CatalogChange) -> Vec<String> {
    let Some(table) = change.table().and_then(|id| catalog.table_by_id(id)) else { return Vec::new() };
    let field = match change {
        CatalogChange::UpdateField { field, .. } => table.field_by_id(field.id),
        CatalogChange::DropField { field, .. } => table.field_by_id(*field),
        _ => None,
    };
    match field {
        Some(field) => users_of(catalog, table, field),
        None => catalog
            .links_to(table.id)
            .filter(|(linking, _, _)| linking.id != table.id)
            .map(|(linking, field, _)| format!("link {}.{}", linking.name, field.name))
            .collect(),
    }
}

/// What names `field` among the table's rules, unique constraints and policies, and the
/// computed fields of the base that read it.
fn users_of(catalog: &Catalog, table: &Table, field: &Field) -> Vec<String> {
    let mentions = |expr: &crate::plan::Expr| {
        expr.conditions().iter().any(|condition| condition.column == crate::plan::Column::Field(field.id))
    };
    let mut users = Vec::new();
    for rule in &table.rules {
        if mentions(&rule.then) || rule.when.as_ref().is_some_and(mentions) {
            users.push(format!("rule {}", rule.name));
        }
    }
    users.extend(
        table.unique.iter().filter(|set| set.fields.contains(&field.id)).map(|set| format!("unique {}", set.name)),
    );
    for policy in &table.policies {
        let lists = [&policy.read, &policy.write];
        if policy.rows.as_ref().is_some_and(mentions)
            || lists.iter().any(|list| list.as_ref().is_some_and(|ids| ids.contains(&field.id)))
        {
            users.push(format!("policy {}", policy.subject.as_str()));
        }
    }
    users.extend(catalog.computed_users(table.id, field.id));
    users
}

fn refuse_if_used(catalog: &Catalog, table: &Table, field: &Field, what: &str) -> Result<(), ApiError> {
    let users = users_of(catalog, table, field);
    if users.is_empty() {
        return Ok(());
    }
    Err(ApiError::new(
        ErrorCode::SchemaConflict,
        format!("Field '{}' is used by {}; change those first, then {what} the field.", field.name, users.join(", ")),
    )
    .with("reason", "field_in_use")
    .with("dependents", users))
}

/// Compiles a table's record rules and unique sets.
fn set_rules(catalog: &Catalog, table: &Table, spec: &TableRules) -> Result<SchemaPlan, ApiError> {
    if spec.rules.len() > MAX_TABLE_RULES || spec.unique.len() > MAX_TABLE_RULES {
        return Err(invalid(
            "rules",
            format!("A table has at most {MAX_TABLE_RULES} rules and {MAX_TABLE_RULES} unique constraints."),
        ));
    }
    let mut rules: Vec<RecordRule> = Vec::with_capacity(spec.rules.len());
    for (n, new) in spec.rules.iter().enumerate() {
        check_name("rule", &new.name)?;
        if rules.iter().any(|rule| rule.name == new.name) {
            return Err(invalid("rules", format!("Two rules are named '{}'.", new.name)));
        }
        let condition = |raw: &serde_json::Value, part: &str| -> Result<crate::plan::Expr, ApiError> {
            let path = format!("rules[{n}].{part}");
            let tree = crate::query::parse_condition(raw, &path, false)?;
            crate::plan::compile_condition(table, &tree).map_err(|error| error.with("path", path))
        };
        let when = new.when.as_ref().map(|raw| condition(raw, "if")).transpose()?;
        let then = condition(&new.then, "then")?;
        let computed = when.iter().chain([&then]).flat_map(crate::plan::Expr::conditions).find_map(|condition| {
            match condition.column {
                crate::plan::Column::Field(id) => table.field_by_id(id).filter(|field| !field.is_stored()),
                _ => None,
            }
        });
        if let Some(field) = computed {
            return Err(invalid(
                "rules",
                format!("Rule '{}' uses '{}', a computed field; rules hold stored values.", new.name, field.name),
            ));
        }
        let message = match &new.message {
            Some(message) if message.chars().count() > 300 || message.trim().is_empty() => {
                return Err(invalid("message", "A rule's message has 1 to 300 characters."));
            }
            Some(message) => message.clone(),
            None => format!("The record breaks rule '{}'.", new.name),
        };
        rules.push(RecordRule { name: new.name.clone(), when, then, message });
    }
    let mut unique: Vec<UniqueSet> = Vec::with_capacity(spec.unique.len());
    for new in &spec.unique {
        check_name("unique constraint", &new.name)?;
        if unique.iter().any(|set| set.name == new.name) {
            return Err(invalid("unique", format!("Two unique constraints are named '{}'.", new.name)));
        }
        if !(2..=8).contains(&new.fields.len()) {
            return Err(invalid("unique", format!("Unique constraint '{}' names 2 to 8 fields.", new.name)));
        }
        let mut fields = Vec::with_capacity(new.fields.len());
        for name in &new.fields {
            let field =
                find_field(table, name).map_err(|error| ApiError { code: ErrorCode::ValidationError, ..error })?;
            if !field.is_stored() || field.field_type.is_document() || field.field_type == FieldType::LongText {
                return Err(invalid(
                    "unique",
                    format!(
                        "Field '{}' ({}) cannot be part of a unique constraint.",
                        field.name,
                        field.field_type.as_str()
                    ),
                ));
            }
            if fields.contains(&field.id) {
                return Err(invalid(
                    "unique",
                    format!("Unique constraint '{}' names '{}' twice.", new.name, field.name),
                ));
            }
            fields.push(field.id);
        }
        unique.push(UniqueSet { name: new.name.clone(), fields });
    }
    replace_rules(catalog, table, rules, unique, spec.check_existing.unwrap_or(true))
}

/// Plans a table's record rules and unique sets becoming `rules` and `unique`: the DDL
/// replaces the constraints of the ones that changed, keeping the rest.
fn replace_rules(
    catalog: &Catalog,
    table: &Table,
    rules: Vec<RecordRule>,
    unique: Vec<UniqueSet>,
    validate: bool,
) -> Result<SchemaPlan, ApiError> {
    let base = catalog.base_id;
    let mut steps = Vec::new();
    for old in &table.rules {
        if !rules.contains(old) {
            steps.push(ddl::drop_rule_check(base, table.id, &old.name));
        }
    }
    for old in &table.unique {
        if !unique.contains(old) {
            steps.push(ddl::drop_unique_set(base, table.id, &old.name));
        }
    }
    for rule in rules.iter().filter(|rule| !table.rules.contains(rule)) {
        let check = crate::lower::rule_check(catalog, table, rule)
            .map_err(|error| ApiError::new(ErrorCode::Internal, error.to_string()))?;
        steps.push(ddl::add_rule_check(base, table.id, &rule.name, check, validate));
    }
    for set in unique.iter().filter(|set| !table.unique.contains(set)) {
        steps.push(ddl::create_unique_set(base, table.id, set));
    }
    Ok(SchemaPlan { steps, change: CatalogChange::SetRules { table: table.id, rules, unique } })
}

fn update_field(catalog: &Catalog, table: &Table, current: &Field, patch: &FieldPatch) -> Result<SchemaPlan, ApiError> {
    if *patch == FieldPatch::default() {
        return Err(ApiError::new(
            ErrorCode::InvalidRequest,
            "Say what to change: name, type, required, unique, default, options, link or rules.",
        ));
    }
    let base = catalog.base_id;
    let mut field = current.clone();
    let mut alias = None;
    if let Some(name) = &patch.name {
        check_name("field", name)?;
        if *name != current.name {
            field_name_free(table, name, Some(current.id))?;
            field.name = name.clone();
            alias = Some(current.name.clone());
        }
    }
    let definition = patch.formula.is_some() || patch.lookup.is_some() || patch.rollup.is_some();
    if let Some(computed) = &current.computed {
        let stored_only = FieldPatch { name: None, formula: None, lookup: None, rollup: None, ..patch.clone() };
        if stored_only != FieldPatch::default() {
            return Err(invalid(
                "type",
                format!(
                    "'{}' is a {} field: only its name and its {} can change.",
                    current.name,
                    computed.kind(),
                    computed.kind()
                ),
            ));
        }
        if definition {
            let given = [
                (patch.formula.is_some(), "formula"),
                (patch.lookup.is_some(), "lookup"),
                (patch.rollup.is_some(), "rollup"),
            ];
            if given.iter().any(|(is, kind)| *is && *kind != computed.kind()) {
                return Err(invalid(computed.kind(), format!("'{}' is a {} field.", current.name, computed.kind())));
            }
            let (new, field_type) =
                self::computed(catalog, table, patch.formula.as_deref(), &patch.lookup, &patch.rollup)?;
            if field_type != current.field_type {
                refuse_if_used(catalog, table, current, "change the type of")?;
            }
            field.computed = Some(new);
            field.field_type = field_type;
            check_computed(catalog, table, &field)?;
        }
        if field == *current {
            return Err(ApiError::new(
                ErrorCode::InvalidRequest,
                format!("Field '{}' already is as asked.", current.name),
            ));
        }
        return Ok(SchemaPlan {
            steps: Vec::new(),
            change: CatalogChange::UpdateField { table: table.id, field, alias },
        });
    }
    if definition {
        return Err(invalid(
            "type",
            format!("'{}' is a stored field; add a formula, lookup or rollup field instead.", current.name),
        ));
    }
    if let Some(to) = patch.field_type {
        if !is_safe_type_change(current.field_type, to) {
            return Err(ApiError::new(
                ErrorCode::UnsafeTypeChange,
                format!(
                    "Changing '{}' from {} to {} could lose or invalidate values, so it is not applied in place. \
                     Instead: add a new field of type {}, copy the values with a batch update, check them, drop \
                     '{}' and rename the new field to '{}'.",
                    current.name,
                    current.field_type.as_str(),
                    to.as_str(),
                    to.as_str(),
                    current.name,
                    current.name
                ),
            )
            .with("field", current.name.as_str())
            .with("from", current.field_type.as_str())
            .with("to", to.as_str())
            .with(
                "safe_changes",
                "text → long_text, long_text → text, email/url/single_select → text or long_text, date → datetime",
            ));
        }
        field.field_type = to;
        if !to.has_options() {
            field.options.clear();
        }
    }
    if let Some(options) = &patch.options {
        field.options = options.clone();
    }
    check_options(field.field_type, &field.options)?;
    if let Some(link_patch) = &patch.link {
        let Some(link) = field.link.as_mut() else {
            return Err(invalid("link", format!("'{}' is not a link field.", current.name)));
        };
        if let Some(on_delete) = link_patch.on_delete {
            link.on_delete = on_delete;
        }
        if let Some(display) = &link_patch.display {
            let target = catalog.table_by_id(link.table).ok_or_else(|| invalid("link", "The linked table is gone."))?;
            link.display = Some(display_field(target, display)?);
        }
    }
    if let Some(required) = patch.required {
        field.required = required;
    }
    if let Some(rules) = &patch.rules {
        field.rules = rules.clone();
    }
    crate::rules::check_rules(&field.name, field.field_type, &field.rules)?;
    if let Some(link) = &field.link {
        check_clearable(link.on_delete, field.required)?;
        check_cascade(catalog, table.id, field.id, link)?;
    }
    if let Some(unique) = patch.unique {
        field.unique = unique;
    }
    if let Some(default) = &patch.default {
        field.default = default.clone();
    }
    check_file_field(field.field_type, field.unique, field.default.is_some())?;
    if field.field_type != current.field_type {
        // A date default follows its column: the same day at midnight UTC.
        if let (FieldType::Datetime, Some(serde_json::Value::String(day))) = (field.field_type, &field.default)
            && crate::value::is_date(day)
        {
            field.default = Some(format!("{day}T00:00:00Z").into());
        }
    }
    if let Some(default) = &field.default {
        check_default(&field, default)?;
    }
    let mut steps = Vec::new();
    let retyped = ddl::change_type(base, table.id, field.id, current.field_type, field.field_type);
    // A rule's check is rebuilt around a change of its column's type, and when it changes.
    let recheck = (retyped.is_some() && !current.rules.is_empty()) || field.rules != current.rules;
    if recheck && !current.rules.is_empty() {
        steps.push(ddl::set_field_check(
            base,
            table.id,
            &Field { rules: FieldRules::default(), ..current.clone() },
            true,
        ));
    }
    // A default is dropped before its column changes type, and set again in the new type.
    let default_moves = retyped.is_some() && current.default.is_some();
    if default_moves {
        steps.push(ddl::set_default(base, table.id, field.id, None));
    }
    steps.extend(retyped);
    if (field.default != current.default || default_moves) && (field.default.is_some() || !default_moves) {
        steps.push(ddl::set_default(base, table.id, field.id, ddl::default_text(&field)));
    }
    if field.required != current.required {
        steps.push(ddl::set_required(base, table.id, field.id, field.required));
    }
    if recheck && !field.rules.is_empty() {
        steps.push(ddl::set_field_check(base, table.id, &field, patch.check_existing != Some(false)));
    }
    if let (Some(link), Some(before)) = (&field.link, &current.link)
        && link.on_delete != before.on_delete
    {
        steps.push(ddl::drop_link(base, table.id, field.id));
        steps.push(ddl::add_link(base, table.id, field.id, link));
    }
    if field.unique != current.unique {
        steps.push(match field.unique {
            true => ddl::create_unique_index(base, table.id, field.id),
            false => ddl::drop_unique_index(base, field.id),
        });
    }
    if field == *current {
        return Err(ApiError::new(ErrorCode::InvalidRequest, format!("Field '{}' already is as asked.", current.name)));
    }
    Ok(SchemaPlan { steps, change: CatalogChange::UpdateField { table: table.id, field, alias } })
}

/// Checks and plans a new index: stored fields that an index can order, a key set the
/// table has no index for yet.
fn add_index(catalog: &Catalog, table: &Table, spec: &NewIndex, id: Uuid) -> Result<SchemaPlan, ApiError> {
    if spec.fields.is_empty() || spec.fields.len() > 8 {
        return Err(invalid("fields", "An index has 1 to 8 fields."));
    }
    if table.indexes.len() >= MAX_INDEXES {
        return Err(invalid("fields", format!("A table has at most {MAX_INDEXES} indexes; drop one first.")));
    }
    let mut keys: Vec<IndexKey> = Vec::with_capacity(spec.fields.len());
    let mut words = Vec::with_capacity(spec.fields.len());
    for text in &spec.fields {
        let (name, descending) = match text.split_once(':') {
            None => (text.as_str(), false),
            Some((name, "desc")) => (name, true),
            Some((name, "asc")) => (name, false),
            Some(_) => {
                return Err(invalid("fields", format!("'{text}': write a field as name, name:asc or name:desc.")));
            }
        };
        let field = find_field(table, name).map_err(|error| ApiError { code: ErrorCode::ValidationError, ..error })?;
        if !field.is_indexable() {
            let what = field.computed.as_ref().map_or(field.field_type.as_str(), Computed::kind);
            return Err(invalid("fields", format!("'{}' ({what}) cannot be indexed.", field.name)));
        }
        if keys.iter().any(|key| key.field == field.id) {
            return Err(invalid("fields", format!("'{}' is named twice.", field.name)));
        }
        keys.push(IndexKey { field: field.id, descending });
        words.push(if descending { format!("{}_desc", field.name) } else { field.name.clone() });
    }
    let name = spec.name.clone().unwrap_or_else(|| words.join("_").chars().take(63).collect());
    check_name("index", &name)?;
    if let Some(same) = table.indexes.iter().find(|existing| existing.keys == keys || existing.name == name) {
        return Err(ApiError::new(
            ErrorCode::NameTaken,
            format!("Table '{}' already has index '{}' on these fields or with this name.", table.name, same.name),
        )
        .with("index", same.name.as_str()));
    }
    let index = Index { id, name, keys };
    let steps = vec![ddl::create_index(catalog.base_id, table.id, &index)];
    let mut indexes = table.indexes.clone();
    indexes.push(index);
    Ok(SchemaPlan { steps, change: CatalogChange::SetIndexes { table: table.id, indexes } })
}

/// For a change that sets a field's rules: the query counting the records that break them
/// (what the origin reports when Postgres refuses the rules' check).
pub fn rule_breakers(base: crate::ids::BaseId, change: &CatalogChange) -> Option<Sql> {
    match change {
        CatalogChange::AddField { table, field } | CatalogChange::UpdateField { table, field, .. }
            if !field.rules.is_empty() =>
        {
            Some(ddl::rule_breakers(base, *table, field))
        }
        _ => None,
    }
}

/// For a change of record rules that Postgres refused on `constraint`: the query
/// counting the records that break that rule.
pub fn record_rule_breakers(catalog: &Catalog, change: &CatalogChange, constraint: &str) -> Option<Sql> {
    let CatalogChange::SetRules { table, rules, .. } = change else { return None };
    let current = catalog.table_by_id(*table)?;
    let rule = rules.iter().find(|rule| ddl::rule_check_name(*table, &rule.name) == constraint)?;
    crate::lower::record_rule_breakers(catalog, current, rule).ok()
}

/// Records a computed-field preview shows.
pub const PREVIEW_ROWS: u32 = 5;

/// For a change that adds or changes a computed field: the first page of its table
/// (`PREVIEW_ROWS` records, oldest first) with only that field, lowered against the
/// catalog as the change leaves it. Columns as a list's: the record's JSON, then keys.
pub fn computed_preview(catalog: &Catalog, change: &CatalogChange) -> Option<Sql> {
    let (table, field) = match change {
        CatalogChange::AddField { table, field } | CatalogChange::UpdateField { table, field, .. }
            if field.computed.is_some() =>
        {
            (*table, field)
        }
        _ => return None,
    };
    let with = catalog.with_field(catalog.table_by_id(table)?, field);
    use crate::plan::{Column, Plan, SortKey};
    let plan = Plan::ListRecords {
        table,
        filter: None,
        sort: vec![
            SortKey { column: Column::CreatedAt, descending: false },
            SortKey { column: Column::Id, descending: false },
        ],
        fields: Some(vec![field.id]),
        limit: PREVIEW_ROWS,
        after: None,
        include: Vec::new(),
    };
    let unrestricted = crate::policy::Caller::UNRESTRICTED;
    let context = crate::lower::WriteContext { actor: "", request_id: "", caller: &unrestricted };
    crate::lower::lower(&plan, &with, &context).ok()?.pop()
}

/// A checked new field of `table`, its link resolved in the catalog.
fn new_field(catalog: &Catalog, table: &Table, spec: &NewField, id: FieldId) -> Result<Field, ApiError> {
    let Some(field_type) = spec.field_type.stored() else {
        let (computed, field_type) = computed(catalog, table, spec.formula.as_deref(), &spec.lookup, &spec.rollup)?;
        let field = Field { computed: Some(computed), ..Field::new(id, &spec.name, field_type) };
        check_computed(catalog, table, &field)?;
        return Ok(field);
    };
    let link = spec.link.as_ref().map(|link| resolve_link(catalog, table, id, link)).transpose()?;
    Ok(Field {
        required: spec.required,
        unique: spec.unique,
        options: spec.options.clone(),
        default: spec.default.clone(),
        link,
        rules: spec.rules.clone(),
        ..Field::new(id, &spec.name, field_type)
    })
}

/// A computed field's definition, resolved in `table` (which may not be in the catalog
/// yet), and the type of its values.
fn computed(
    catalog: &Catalog,
    table: &Table,
    formula: Option<&str>,
    lookup: &Option<NewLookup>,
    rollup: &Option<NewRollup>,
) -> Result<(Computed, FieldType), ApiError> {
    if let Some(text) = formula {
        let checked = crate::formula::compile(table, text).map_err(|error| {
            invalid("formula", format!("The formula does not work: {}", error.message))
                .with("start", error.start)
                .with("end", error.end)
        })?;
        return Ok((Computed::Formula { formula: checked.formula }, checked.kind.field_type()));
    }
    if let Some(spec) = lookup {
        let link = find_field(table, &spec.link).map_err(|error| error.with("field", "lookup.link"))?;
        let Some(target) = link
            .link
            .as_ref()
            .and_then(|link| catalog.table_by_id(link.table).or(Some(table).filter(|own| own.id == link.table)))
        else {
            return Err(invalid("lookup.link", format!("'{}' is not a link field.", link.name)));
        };
        let field = find_field(target, &spec.field).map_err(|error| error.with("field", "lookup.field"))?;
        let computed = Computed::Lookup { link: link.id, field: field.id };
        return Ok((computed, shown_type(field.field_type)));
    }
    let Some(spec) = rollup else {
        return Err(invalid("type", "A computed field needs its formula, lookup or rollup."));
    };
    let (linking, link_name) = spec.link.split_once('.').ok_or_else(|| {
        invalid("rollup.link", "Name the linking side as <table>.<its link field>, e.g. orders.customer.")
    })?;
    let source = find_table(catalog, linking).map_err(|error| error.with("field", "rollup.link"))?;
    let link = find_field(source, link_name).map_err(|error| error.with("field", "rollup.link"))?;
    if link.link.as_ref().is_none_or(|link| link.table != table.id) {
        return Err(invalid(
            "rollup.link",
            format!("'{}' of '{}' is not a link to '{}'.", link.name, source.name, table.name),
        ));
    }
    let field = spec
        .field
        .as_deref()
        .map(|name| find_field(source, name).map_err(|error| error.with("field", "rollup.field")))
        .transpose()?;
    let function = spec.function;
    let field_type = match (function, field) {
        (Aggregate::Count | Aggregate::Any | Aggregate::All, Some(_)) => {
            return Err(invalid("rollup.field", format!("'{}' takes no field.", function.as_str())));
        }
        (Aggregate::Count, None) => FieldType::Number,
        (Aggregate::Any | Aggregate::All, None) => FieldType::Boolean,
        (_, None) => return Err(invalid("rollup.field", format!("'{}' needs a field.", function.as_str()))),
        (Aggregate::Sum | Aggregate::Average, Some(field)) if field.field_type == FieldType::Number => {
            FieldType::Number
        }
        (Aggregate::Min | Aggregate::Max, Some(field))
            if field.field_type != FieldType::Boolean && !field.field_type.is_document() =>
        {
            shown_type(field.field_type)
        }
        (_, Some(field)) => {
            return Err(invalid(
                "rollup.field",
                format!("'{}' does not apply to '{}' ({}).", function.as_str(), field.name, field.field_type.as_str()),
            ));
        }
    };
    let filter = match &spec.filter {
        None => None,
        Some(raw) => {
            let tree = crate::query::parse_condition(raw, "rollup.where", false)?;
            let expr =
                crate::plan::compile_condition(source, &tree).map_err(|error| error.with("path", "rollup.where"))?;
            if expr.conditions().iter().any(|condition| condition.var.is_some()) {
                return Err(invalid("rollup.where", "A rollup's condition compares with values, not with the caller."));
            }
            Some(expr)
        }
    };
    let computed =
        Computed::Rollup { table: source.id, link: link.id, function, field: field.map(|field| field.id), filter };
    Ok((computed, field_type))
}

/// The type a lookup or a rollup shows a field's values as: selects as text (their
/// options belong to the other field), links as uuids, multi selects as JSON.
fn shown_type(field_type: FieldType) -> FieldType {
    match field_type {
        FieldType::SingleSelect => FieldType::Text,
        FieldType::MultiSelect | FieldType::File => FieldType::Json,
        FieldType::Link => FieldType::Uuid,
        other => other,
    }
}

/// A computed field does not build on itself, nor on more than
/// [`crate::catalog::MAX_COMPUTED_DEPTH`] levels of computed fields.
fn check_computed(catalog: &Catalog, table: &Table, field: &Field) -> Result<(), ApiError> {
    match catalog.with_field(table, field).computed_depth(table.id, field.id) {
        Some(depth) if depth <= crate::catalog::MAX_COMPUTED_DEPTH => Ok(()),
        Some(_) => Err(invalid(
            "type",
            format!(
                "'{}' would build on more than {} levels of computed fields.",
                field.name,
                crate::catalog::MAX_COMPUTED_DEPTH
            ),
        )),
        None => Err(invalid("type", format!("'{}' would compute from itself.", field.name))),
    }
}

/// A table by id or current name (former names are for the records API, not for changes).
pub fn find_table<'a>(catalog: &'a Catalog, reference: &str) -> Result<&'a Table, ApiError> {
    let found = match TableId::parse(reference) {
        Some(id) => catalog.table_by_id(id),
        None => catalog.tables.iter().find(|table| table.name == reference),
    };
    found.ok_or_else(|| {
        ApiError::new(ErrorCode::TableNotFound, format!("No table '{reference}' in this base."))
            .with("table", reference)
    })
}

/// A field by id or current name.
pub fn find_field<'a>(table: &'a Table, reference: &str) -> Result<&'a Field, ApiError> {
    let found = match FieldId::parse(reference) {
        Some(id) => table.field_by_id(id),
        None => table.fields.iter().find(|field| field.name == reference),
    };
    found.ok_or_else(|| {
        ApiError::new(ErrorCode::NotFound, format!("No field '{reference}' in table '{}'.", table.name))
            .with("field", reference)
    })
}

fn taken(what: &str, name: &str, message: String) -> ApiError {
    ApiError::new(ErrorCode::NameTaken, message).with(what, name)
}

/// A table name must differ from every table's name and former name (but `own`'s).
fn table_name_free(catalog: &Catalog, name: &str, own: Option<TableId>) -> Result<(), ApiError> {
    for table in catalog.tables.iter().filter(|table| Some(table.id) != own) {
        if table.name == name {
            return Err(taken("table", name, format!("A table named '{name}' exists in this base.")));
        }
        if table.aliases.iter().any(|alias| alias == name) {
            return Err(taken(
                "table",
                name,
                format!(
                    "'{name}' is the former name of table '{}' and stays reserved while clients may still use it.",
                    table.name
                ),
            ));
        }
    }
    Ok(())
}

fn field_name_free(table: &Table, name: &str, own: Option<FieldId>) -> Result<(), ApiError> {
    for field in table.fields.iter().filter(|field| Some(field.id) != own) {
        if field.name == name {
            return Err(taken("field", name, format!("Table '{}' already has a field '{name}'.", table.name)));
        }
        if field.aliases.iter().any(|alias| alias == name) {
            return Err(taken(
                "field",
                name,
                format!(
                    "'{name}' is the former name of field '{}' and stays reserved while clients may still use it.",
                    field.name
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::BaseId;
    use expect_test::{Expect, expect};

    fn catalog() -> Catalog {
        let field = |n: u128, name: &str, field_type| Field::new(FieldId(Uuid::from_u128(n)), name, field_type);
        Catalog {
            base_id: BaseId(Uuid::from_u128(0xb)),
            version: 3,
            tables: vec![Table {
                id: TableId(Uuid::from_u128(7)),
                name: "customers".into(),
                fields: vec![
                    Field { required: true, ..field(10, "name", FieldType::Text) },
                    Field { default: Some("2025-01-01".into()), ..field(11, "since", FieldType::Date) },
                    Field { unique: true, aliases: vec!["mail".into()], ..field(12, "email", FieldType::Email) },
                ],
                aliases: vec!["clients".into()],
                rules: Vec::new(),
                unique: Vec::new(),
                policies: Vec::new(),
                indexes: Vec::new(),
            }],
        }
    }

    fn ids() -> impl FnMut() -> Uuid {
        let mut next = 0x100;
        move || {
            next += 1;
            Uuid::from_u128(next)
        }
    }

    fn check(change: serde_json::Value, expected: Expect) {
        let change: Change = serde_json::from_value(change).expect("change");
        expected.assert_eq(&render(plan(&catalog(), &change, &mut ids())));
    }

    /// A plan as its DDL lines then its catalog change, or a refusal.
    fn render(planned: Result<SchemaPlan, ApiError>) -> String {
        match planned {
            Ok(plan) => {
                let mut lines: Vec<String> = plan
                    .steps
                    .iter()
                    .map(|sql| match sql.params.is_empty() {
                        true => sql.text.clone(),
                        false => format!("{} {:?}", sql.text, sql.params),
                    })
                    .collect();
                lines.push(serde_json::to_string(&plan.change).expect("json"));
                lines.join("\n")
            }
            Err(error) => format!(
                "{} {}: {} {}",
                error.status(),
                error.code.as_str(),
                error.message,
                serde_json::Value::Object(error.details)
            ),
        }
    }

    #[test]
    fn reverts() {
        let before = catalog();
        let table = &before.tables[0];
        let revert = |now: &Catalog, change: &CatalogChange, before: Option<&Table>| {
            render(plan_revert(now, change, before, &mut ids()))
        };
        // A field made optional is made required again.
        let mut now = catalog();
        now.tables[0].fields[0].required = false;
        let loosened =
            CatalogChange::UpdateField { table: table.id, field: now.tables[0].fields[0].clone(), alias: None };
        expect![[r#"
            ALTER TABLE "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" ALTER COLUMN "f_0000000000000000000000000000000a" SET NOT NULL
            {"kind":"update_field","table":"00000000-0000-0000-0000-000000000007","field":{"id":"00000000-0000-0000-0000-00000000000a","name":"name","type":"text","required":true},"alias":null}"#]]
        .assert_eq(&revert(&now, &loosened, Some(table)));
        // A dropped table comes back under its name; a purge does not.
        let dropped = Catalog { tables: Vec::new(), ..catalog() };
        expect![[r#"{"kind":"restore_table","table":"00000000-0000-0000-0000-000000000007"}"#]].assert_eq(&revert(
            &dropped,
            &CatalogChange::DropTable { table: table.id },
            Some(table),
        ));
        expect![[r#"409 SCHEMA_CONFLICT: A purge cannot be undone: the values are gone. {"reason":"not_revertible"}"#]]
            .assert_eq(&revert(&dropped, &CatalogChange::PurgeTable { table: table.id }, None));
        // A dropped field whose name another field took since is not restored over it.
        let field = FieldId(Uuid::from_u128(12));
        let mut taken = catalog();
        taken.tables[0].fields[2] = Field { id: FieldId(Uuid::from_u128(99)), ..table.fields[2].clone() };
        expect![[r#"409 NAME_TAKEN: Table 'customers' already has a field 'email'. Rename that one first, then restore. {"field":"email"}"#]]
            .assert_eq(&revert(&taken, &CatalogChange::DropField { table: table.id, field }, Some(table)));
        // Without the state before it, a drop cannot be reverted; a rename can.
        expect![[r#"409 SCHEMA_CONFLICT: This change was recorded without the state before it; change the table back by hand. {"reason":"not_revertible"}"#]]
            .assert_eq(&revert(&before, &CatalogChange::DropField { table: table.id, field }, None));
        let renamed = CatalogChange::RenameTable { table: table.id, name: "customers".into(), alias: "people".into() };
        expect![[r#"{"kind":"rename_table","table":"00000000-0000-0000-0000-000000000007","name":"people","alias":"customers"}"#]]
            .assert_eq(&revert(&before, &renamed, None));
    }

    #[test]
    fn tables() {
        check(
            serde_json::json!({"change": "create_table", "name": "orders", "fields": [
                {"name": "total", "type": "number", "required": true, "default": 0}
            ]}),
            expect![[r#"
                CREATE TABLE "b_0000000000000000000000000000000b"."t_00000000000000000000000000000101" (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(), version bigint NOT NULL DEFAULT 1, "f_00000000000000000000000000000102" numeric NOT NULL)
                CREATE INDEX "t_00000000000000000000000000000101_created" ON "b_0000000000000000000000000000000b"."t_00000000000000000000000000000101" (created_at, id)
                GRANT SELECT, INSERT, UPDATE, DELETE ON "b_0000000000000000000000000000000b"."t_00000000000000000000000000000101" TO "data_app_rw"
                SELECT nc_set_column_default(($1::text)::regclass, $2::text, $3::text) [Some("\"b_0000000000000000000000000000000b\".\"t_00000000000000000000000000000101\""), Some("f_00000000000000000000000000000102"), Some("0")]
                {"kind":"create_table","table":{"id":"00000000-0000-0000-0000-000000000101","name":"orders","fields":[{"id":"00000000-0000-0000-0000-000000000102","name":"total","type":"number","required":true,"default":0}]}}"#]],
        );
        check(
            serde_json::json!({"change": "create_table", "name": "clients", "fields": []}),
            expect![[
                r#"409 NAME_TAKEN: 'clients' is the former name of table 'customers' and stays reserved while clients may still use it. {"table":"clients"}"#
            ]],
        );
        check(
            serde_json::json!({"change": "create_table", "name": "Orders", "fields": []}),
            expect![[
                r#"422 VALIDATION_ERROR: 'Orders' is not a valid table name: use 1 to 63 lowercase letters, digits and underscores, starting with a letter (not id, created_at, updated_at or version). {"field":"name","name":"Orders"}"#
            ]],
        );
        check(
            serde_json::json!({"change": "create_table", "name": "t", "fields": [
                {"name": "a", "type": "text"}, {"name": "a", "type": "number"}
            ]}),
            expect![[r#"409 NAME_TAKEN: Table 't' already has a field 'a'. {"field":"a"}"#]],
        );
        check(
            serde_json::json!({"change": "rename_table", "table": "customers", "name": "accounts"}),
            expect![[
                r#"{"kind":"rename_table","table":"00000000-0000-0000-0000-000000000007","name":"accounts","alias":"customers"}"#
            ]],
        );
        check(
            serde_json::json!({"change": "rename_table", "table": "clients", "name": "accounts"}),
            expect![[r#"404 TABLE_NOT_FOUND: No table 'clients' in this base. {"table":"clients"}"#]],
        );
        check(
            serde_json::json!({"change": "drop_table", "table": "00000000-0000-0000-0000-000000000007"}),
            expect![[r#"{"kind":"drop_table","table":"00000000-0000-0000-0000-000000000007"}"#]],
        );
    }

    #[test]
    fn links() {
        check(
            serde_json::json!({"change": "add_field", "table": "customers", "field": {"name": "referrer", "type": "link", "link": {"table": "customers", "on_delete": "set_null", "display": "name"}}}),
            expect![[r#"
                ALTER TABLE "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" ADD COLUMN "f_00000000000000000000000000000101" uuid
                ALTER TABLE "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" ADD CONSTRAINT "l_00000000000000000000000000000101" FOREIGN KEY ("f_00000000000000000000000000000101") REFERENCES "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" (id) ON DELETE SET NULL
                CREATE INDEX "i_00000000000000000000000000000101" ON "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" ("f_00000000000000000000000000000101", created_at, id)
                {"kind":"add_field","table":"00000000-0000-0000-0000-000000000007","field":{"id":"00000000-0000-0000-0000-000000000101","name":"referrer","type":"link","required":false,"link":{"table":"00000000-0000-0000-0000-000000000007","on_delete":"set_null","display":"00000000-0000-0000-0000-00000000000a"}}}"#]],
        );
        check(
            serde_json::json!({"change": "create_table", "name": "orders", "fields": [
                {"name": "customer", "type": "link", "required": true, "link": {"table": "clients"}}
            ]}),
            expect![[
                r#"404 TABLE_NOT_FOUND: No table 'clients' in this base. {"field":"link.table","table":"clients"}"#
            ]],
        );
        check(
            serde_json::json!({"change": "create_table", "name": "orders", "fields": [
                {"name": "customer", "type": "link", "required": true, "link": {"table": "customers", "on_delete": "cascade"}}
            ]}),
            expect![[r#"
                CREATE TABLE "b_0000000000000000000000000000000b"."t_00000000000000000000000000000101" (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(), version bigint NOT NULL DEFAULT 1, "f_00000000000000000000000000000102" uuid NOT NULL)
                CREATE INDEX "t_00000000000000000000000000000101_created" ON "b_0000000000000000000000000000000b"."t_00000000000000000000000000000101" (created_at, id)
                GRANT SELECT, INSERT, UPDATE, DELETE ON "b_0000000000000000000000000000000b"."t_00000000000000000000000000000101" TO "data_app_rw"
                ALTER TABLE "b_0000000000000000000000000000000b"."t_00000000000000000000000000000101" ADD CONSTRAINT "l_00000000000000000000000000000102" FOREIGN KEY ("f_00000000000000000000000000000102") REFERENCES "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" (id) ON DELETE CASCADE
                CREATE INDEX "i_00000000000000000000000000000102" ON "b_0000000000000000000000000000000b"."t_00000000000000000000000000000101" ("f_00000000000000000000000000000102", created_at, id)
                {"kind":"create_table","table":{"id":"00000000-0000-0000-0000-000000000101","name":"orders","fields":[{"id":"00000000-0000-0000-0000-000000000102","name":"customer","type":"link","required":true,"link":{"table":"00000000-0000-0000-0000-000000000007","on_delete":"cascade"}}]}}"#]],
        );
        check(
            serde_json::json!({"change": "add_field", "table": "customers", "field": {"name": "parent", "type": "link", "link": {"table": "customers", "on_delete": "cascade"}}}),
            expect![[
                r#"422 VALIDATION_ERROR: Deleting a record of 'customers' would cascade back to 'customers' through this link; use restrict or set_null for it. {"field":"link.on_delete"}"#
            ]],
        );
        check(
            serde_json::json!({"change": "add_field", "table": "customers", "field": {"name": "parent", "type": "link", "required": true, "link": {"table": "customers", "on_delete": "set_null"}}}),
            expect![[
                r#"422 VALIDATION_ERROR: A required link cannot be cleared, so its on_delete cannot be set_null. {"field":"link"}"#
            ]],
        );
        check(
            serde_json::json!({"change": "add_field", "table": "customers", "field": {"name": "parent", "type": "text", "link": {"table": "customers"}}}),
            expect![[r#"422 VALIDATION_ERROR: A text field has no link; only a link field does. {"field":"link"}"#]],
        );
        check(
            serde_json::json!({"change": "add_field", "table": "customers", "field": {"name": "parent", "type": "link"}}),
            expect![[
                r#"422 VALIDATION_ERROR: A link field names its target: "link": {"table": "customers"}. {"field":"link"}"#
            ]],
        );
    }

    #[test]
    fn rules() {
        check(
            serde_json::json!({"change": "update_field", "table": "customers", "field": "name", "patch": {"rules": {"max_length": 80, "allowed": ["a'b"]}, "check_existing": false}}),
            expect![[r#"
                SELECT nc_set_field_check(($1::text)::regclass, $2::text, $3::text, $4::text, ($5::text)::int, ($6::text)::int, $7::text, $8::text, ($9::text)::jsonb, ($10::text)::boolean) [Some("\"b_0000000000000000000000000000000b\".\"t_00000000000000000000000000000007\""), Some("c_0000000000000000000000000000000a"), Some("f_0000000000000000000000000000000a"), Some("text"), None, Some("80"), None, None, Some("[\"a'b\"]"), Some("false")]
                {"kind":"update_field","table":"00000000-0000-0000-0000-000000000007","field":{"id":"00000000-0000-0000-0000-00000000000a","name":"name","type":"text","required":true,"rules":{"max_length":80,"allowed":["a'b"]}},"alias":null}"#]],
        );
        check(
            serde_json::json!({"change": "update_field", "table": "customers", "field": "since", "patch": {"rules": {"min": "2025-06-01"}}}),
            expect![[
                r#"422 VALIDATION_ERROR: 'default': Field 'since' must be at least 2025-06-01. {"field":"default","reason":"min","type":"date"}"#
            ]],
        );
        check(
            serde_json::json!({"change": "update_field", "table": "customers", "field": "since", "patch": {"rules": {"min": "2020-01-01", "max": "2019-01-01"}}}),
            expect![[r#"422 VALIDATION_ERROR: min 2020-01-01 is above max 2019-01-01. {"field":"rules"}"#]],
        );
    }

    #[test]
    fn linked_tables() {
        let mut catalog = catalog();
        let orders = TableId(Uuid::from_u128(8));
        let link = Link { table: TableId(Uuid::from_u128(7)), on_delete: OnDelete::Cascade, display: None };
        catalog.tables.push(Table {
            id: orders,
            name: "orders".into(),
            fields: vec![Field {
                link: Some(link),
                ..Field::new(FieldId(Uuid::from_u128(20)), "customer", FieldType::Link)
            }],
            aliases: Vec::new(),
            rules: Vec::new(),
            unique: Vec::new(),
            policies: Vec::new(),
            indexes: Vec::new(),
        });
        let run = |change: serde_json::Value| {
            let change: Change = serde_json::from_value(change).expect("change");
            match plan(&catalog, &change, &mut ids()) {
                Ok(plan) => plan.steps.iter().map(|sql| sql.text.clone()).collect::<Vec<_>>().join("\n"),
                Err(error) => {
                    format!("{} {} {}", error.code.as_str(), error.message, serde_json::Value::Object(error.details))
                }
            }
        };
        expect![[r#"SCHEMA_CONFLICT Links and computed fields use table 'customers' from orders.customer; drop those fields (or the tables holding them) first. {"dependents":["orders.customer"],"reason":"linked_from"}"#]].assert_eq(&run(serde_json::json!({"change": "drop_table", "table": "customers"})));
        expect![[r#"ALTER TABLE "b_0000000000000000000000000000000b"."t_00000000000000000000000000000008" DROP CONSTRAINT "l_00000000000000000000000000000014""#]].assert_eq(&run(serde_json::json!({"change": "drop_table", "table": "orders"})));
        // customers → orders cascades, so a cascading link back closes a loop.
        expect![[r#"VALIDATION_ERROR Deleting a record of 'orders' would cascade back to 'orders' through this link; use restrict or set_null for it. {"field":"link.on_delete"}"#]].assert_eq(&run(serde_json::json!({"change": "add_field", "table": "customers", "field":
            {"name": "last_order", "type": "link", "link": {"table": "orders", "on_delete": "cascade"}}})));
        expect![[r#"
            ALTER TABLE "b_0000000000000000000000000000000b"."t_00000000000000000000000000000008" DROP CONSTRAINT "l_00000000000000000000000000000014"
            ALTER TABLE "b_0000000000000000000000000000000b"."t_00000000000000000000000000000008" ADD CONSTRAINT "l_00000000000000000000000000000014" FOREIGN KEY ("f_00000000000000000000000000000014") REFERENCES "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" (id) ON DELETE RESTRICT"#]].assert_eq(&run(serde_json::json!({"change": "update_field", "table": "orders", "field": "customer",
            "patch": {"link": {"on_delete": "restrict", "display": "email"}}})));
        expect![[r#"ALTER TABLE "b_0000000000000000000000000000000b"."t_00000000000000000000000000000008" DROP CONSTRAINT "l_00000000000000000000000000000014""#]].assert_eq(&run(serde_json::json!({"change": "drop_field", "table": "orders", "field": "customer"})));
    }

    #[test]
    fn fields() {
        check(
            serde_json::json!({"change": "add_field", "table": "customers", "field": {"name": "tier", "type": "single_select", "options": ["a", "b"], "default": "c"}}),
            expect![[
                r#"422 VALIDATION_ERROR: 'default': 'c' is not an option of field 'tier'; options: a, b. {"field":"default","options":["a","b"],"reason":"invalid_option","type":"single_select"}"#
            ]],
        );
        check(
            serde_json::json!({"change": "add_field", "table": "customers", "field": {"name": "mail", "type": "text"}}),
            expect![[
                r#"409 NAME_TAKEN: 'mail' is the former name of field 'email' and stays reserved while clients may still use it. {"field":"mail"}"#
            ]],
        );
        check(
            serde_json::json!({"change": "update_field", "table": "customers", "field": "name", "patch": {"name": "full_name", "type": "long_text", "unique": true}}),
            expect![[r#"
                CREATE UNIQUE INDEX "u_0000000000000000000000000000000a" ON "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" ("f_0000000000000000000000000000000a")
                {"kind":"update_field","table":"00000000-0000-0000-0000-000000000007","field":{"id":"00000000-0000-0000-0000-00000000000a","name":"full_name","type":"long_text","required":true,"unique":true},"alias":"name"}"#]],
        );
        check(
            serde_json::json!({"change": "update_field", "table": "customers", "field": "since", "patch": {"type": "datetime"}}),
            expect![[r#"
                SELECT nc_set_column_default(($1::text)::regclass, $2::text, $3::text) [Some("\"b_0000000000000000000000000000000b\".\"t_00000000000000000000000000000007\""), Some("f_0000000000000000000000000000000b"), None]
                ALTER TABLE "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" ALTER COLUMN "f_0000000000000000000000000000000b" TYPE timestamptz USING ("f_0000000000000000000000000000000b"::timestamp AT TIME ZONE 'UTC')
                SELECT nc_set_column_default(($1::text)::regclass, $2::text, $3::text) [Some("\"b_0000000000000000000000000000000b\".\"t_00000000000000000000000000000007\""), Some("f_0000000000000000000000000000000b"), Some("2025-01-01T00:00:00Z")]
                {"kind":"update_field","table":"00000000-0000-0000-0000-000000000007","field":{"id":"00000000-0000-0000-0000-00000000000b","name":"since","type":"datetime","required":false,"default":"2025-01-01T00:00:00Z"},"alias":null}"#]],
        );
        check(
            serde_json::json!({"change": "update_field", "table": "customers", "field": "name", "patch": {"type": "number"}}),
            expect![[
                r#"422 UNSAFE_TYPE_CHANGE: Changing 'name' from text to number could lose or invalidate values, so it is not applied in place. Instead: add a new field of type number, copy the values with a batch update, check them, drop 'name' and rename the new field to 'name'. {"field":"name","from":"text","safe_changes":"text → long_text, long_text → text, email/url/single_select → text or long_text, date → datetime","to":"number"}"#
            ]],
        );
        check(
            serde_json::json!({"change": "update_field", "table": "customers", "field": "email", "patch": {"unique": false, "required": true, "default": null}}),
            expect![[r#"
                ALTER TABLE "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" ALTER COLUMN "f_0000000000000000000000000000000c" SET NOT NULL
                DROP INDEX "b_0000000000000000000000000000000b"."u_0000000000000000000000000000000c"
                {"kind":"update_field","table":"00000000-0000-0000-0000-000000000007","field":{"id":"00000000-0000-0000-0000-00000000000c","name":"email","type":"email","required":true,"aliases":["mail"]},"alias":null}"#]],
        );
        check(
            serde_json::json!({"change": "update_field", "table": "customers", "field": "email", "patch": {"unique": true}}),
            expect![[r#"400 INVALID_REQUEST: Field 'email' already is as asked. {}"#]],
        );
        check(
            serde_json::json!({"change": "drop_field", "table": "customers", "field": "name"}),
            expect![[r#"
                ALTER TABLE "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" ALTER COLUMN "f_0000000000000000000000000000000a" DROP NOT NULL
                {"kind":"drop_field","table":"00000000-0000-0000-0000-000000000007","field":"00000000-0000-0000-0000-00000000000a"}"#]],
        );
        check(
            serde_json::json!({"change": "drop_field", "table": "customers", "field": "nope"}),
            expect![[r#"404 NOT_FOUND: No field 'nope' in table 'customers'. {"field":"nope"}"#]],
        );
    }
}
