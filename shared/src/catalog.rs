//! The catalog of one base: its tables and their typed fields, with a version that
//! changes whenever the schema does.
//!
//! API Boundary: `Catalog` is serialized by the origin and cached by the edge, so its
//! JSON form is a wire format. The version travels in every signed plan; the origin
//! refuses a plan compiled against another version.

use crate::ids::{BaseId, FieldId, TableId};
use serde::{Deserialize, Serialize};

/// The schema of one base as the edge and the origin see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    pub base_id: BaseId,
    /// Bumped by every schema change of the base.
    pub version: i64,
    pub tables: Vec<Table>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub id: TableId,
    /// The URL-safe system name, unique within the base.
    pub name: String,
    pub fields: Vec<Field>,
    /// Former names that still resolve to this table during the rename grace period.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Conditions every record must satisfy (see [`crate::rules`]), each a `CHECK`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RecordRule>,
    /// Field combinations no two records may share, each a unique index.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unique: Vec<UniqueSet>,
    /// What each kind of restricted caller may see and change (see [`crate::policy`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<Policy>,
    /// Indexes an admin added for the sorts and filters the table's readers use.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<Index>,
}

/// An index on stored fields, in order (then `id`, so that it also serves keyset pages);
/// built `CONCURRENTLY` (see [`crate::ddl::create_index`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Index {
    pub id: uuid::Uuid,
    pub name: String,
    pub keys: Vec<IndexKey>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexKey {
    pub field: FieldId,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub descending: bool,
}

/// A record rule: when `when` holds (always, when absent), `then` must hold too. Both
/// are condition trees over the record's own fields; a condition on a NULL value does
/// not hold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordRule {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<crate::plan::Expr>,
    pub then: crate::plan::Expr,
    /// What a failing write is told.
    pub message: String,
}

/// Fields whose combined values are unique among the table's records (records with a
/// NULL in any of them are not compared, as Postgres does).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UniqueSet {
    pub name: String,
    pub fields: Vec<FieldId>,
}

/// Who a policy applies to. Admins and owners are never restricted: they write policies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// Members with the viewer role.
    Viewer,
    /// Members with the editor role.
    Editor,
    /// Every API token of the base.
    Token,
}

impl Subject {
    pub const ALL: [Subject; 3] = [Subject::Viewer, Subject::Editor, Subject::Token];

    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Viewer => "viewer",
            Subject::Editor => "editor",
            Subject::Token => "token",
        }
    }

    /// The variables a condition of this subject's policy may use.
    pub fn variables(self) -> &'static [Var] {
        match self {
            Subject::Viewer | Subject::Editor => &[Var::UserId, Var::UserEmail],
            Subject::Token => &[Var::TokenId, Var::TokenName],
        }
    }
}

crate::json_schema::string_enum!(Subject, Subject::ALL);

/// A value of the caller a policy condition compares with (`{"var": "user.email"}`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Var {
    #[serde(rename = "user.id")]
    UserId,
    #[serde(rename = "user.email")]
    UserEmail,
    #[serde(rename = "token.id")]
    TokenId,
    #[serde(rename = "token.name")]
    TokenName,
}

impl Var {
    pub const ALL: [Var; 4] = [Var::UserId, Var::UserEmail, Var::TokenId, Var::TokenName];

    pub fn as_str(self) -> &'static str {
        match self {
            Var::UserId => "user.id",
            Var::UserEmail => "user.email",
            Var::TokenId => "token.id",
            Var::TokenName => "token.name",
        }
    }

    pub fn parse(text: &str) -> Option<Var> {
        Var::ALL.into_iter().find(|var| var.as_str() == text)
    }
}

/// A table's policy for one subject: the rows it may see and change (`rows`), and the
/// fields it may read and write (all when absent).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    pub subject: Subject,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<crate::plan::Expr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<Vec<FieldId>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write: Option<Vec<FieldId>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub id: FieldId,
    pub name: String,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    #[serde(default)]
    pub required: bool,
    /// Backed by a unique index; the key `batchUpsert?unique=` can use.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unique: bool,
    /// The choices of a single or multi select, in display order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// The value a new record gets when it leaves the field out (JSON form). Postgres
    /// applies it (a column default), so a required field with a default may be omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<serde_json::Value>,
    /// Former names that still resolve to this field during the rename grace period.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// What a `link` field points at (present exactly for links).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<Link>,
    /// What every written value must satisfy beyond its type (see [`crate::rules`]).
    #[serde(default, skip_serializing_if = "FieldRules::is_empty")]
    pub rules: FieldRules,
    /// How a computed field's values are computed; such a field has no column, cannot be
    /// written, and its `field_type` is the type of its values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub computed: Option<Computed>,
}

/// A field computed when a record is read, in the same statement (see [`crate::lower`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Computed {
    /// An expression over the record's own fields.
    Formula { formula: crate::formula::Formula },
    /// A field of the record a link of this table points at.
    Lookup { link: FieldId, field: FieldId },
    /// An aggregate over the records of `table` whose `link` points at this record.
    Rollup {
        table: TableId,
        link: FieldId,
        function: Aggregate,
        /// The aggregated field of `table` (none for `count`, `any` and `all`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        field: Option<FieldId>,
        /// Only the linking records that match count; for `any` and `all`, the condition
        /// they are tested with.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        filter: Option<crate::plan::Expr>,
    },
}

impl Computed {
    pub fn kind(&self) -> &'static str {
        match self {
            Computed::Formula { .. } => "formula",
            Computed::Lookup { .. } => "lookup",
            Computed::Rollup { .. } => "rollup",
        }
    }
}

/// The aggregate of a rollup.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    /// How many records link here (0 when none).
    Count,
    /// The sum of a number field (0 when none).
    Sum,
    /// The average of a number field (empty when none).
    Average,
    /// The smallest value of a number, text, date or datetime field.
    Min,
    /// The largest value.
    Max,
    /// Whether any linking record matches the condition.
    Any,
    /// Whether every linking record matches it (true when none links here).
    All,
}

impl Aggregate {
    pub const ALL: [Aggregate; 7] = [
        Aggregate::Count,
        Aggregate::Sum,
        Aggregate::Average,
        Aggregate::Min,
        Aggregate::Max,
        Aggregate::Any,
        Aggregate::All,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Aggregate::Count => "count",
            Aggregate::Sum => "sum",
            Aggregate::Average => "average",
            Aggregate::Min => "min",
            Aggregate::Max => "max",
            Aggregate::Any => "any",
            Aggregate::All => "all",
        }
    }
}

crate::json_schema::string_enum!(Aggregate, Aggregate::ALL);

/// Validation rules of a field, checked on every write: at the edge before a plan is
/// made, and by Postgres (a `CHECK` constraint) for all but `pattern`. NULL passes every
/// rule (`required` is what refuses it).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldRules {
    /// Text: the fewest characters (Unicode code points).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    /// Text: the most characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// Number or date: the smallest value allowed, in the field's JSON form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<serde_json::Value>,
    /// Number or date: the largest value allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<serde_json::Value>,
    /// Text: a regular expression the value must match somewhere (anchor it with `^…$`
    /// to match the whole value). A linear-time engine: no backreferences or look-around.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// Text: the only values allowed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<String>,
}

impl FieldRules {
    pub fn is_empty(&self) -> bool {
        *self == FieldRules::default()
    }
}

/// A many-to-one relation: a link field holds the id of one record of `table` (a
/// foreign key with an index). The reverse side (one-to-many) is derived, never stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub table: TableId,
    #[serde(default)]
    pub on_delete: OnDelete,
    /// The target's field that names a linked record in the console (its first text
    /// field when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<FieldId>,
}

/// What deleting a linked record does to the records that link to it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnDelete {
    /// The delete is refused while records link to it.
    #[default]
    Restrict,
    /// The linking records are deleted too.
    Cascade,
    /// The linking records keep existing with the link cleared.
    SetNull,
}

impl OnDelete {
    pub const ALL: [OnDelete; 3] = [OnDelete::Restrict, OnDelete::Cascade, OnDelete::SetNull];

    pub fn as_str(self) -> &'static str {
        match self {
            OnDelete::Restrict => "restrict",
            OnDelete::Cascade => "cascade",
            OnDelete::SetNull => "set_null",
        }
    }

    /// The foreign key's `ON DELETE` action.
    pub fn sql(self) -> &'static str {
        match self {
            OnDelete::Restrict => "RESTRICT",
            OnDelete::Cascade => "CASCADE",
            OnDelete::SetNull => "SET NULL",
        }
    }
}

impl Field {
    /// An optional field without options, default or aliases.
    pub fn new(id: FieldId, name: &str, field_type: FieldType) -> Field {
        Field {
            id,
            name: name.to_owned(),
            field_type,
            required: false,
            unique: false,
            options: Vec::new(),
            default: None,
            aliases: Vec::new(),
            link: None,
            rules: FieldRules::default(),
            computed: None,
        }
    }

    /// Whether the field is stored in a column (not computed).
    pub fn is_stored(&self) -> bool {
        self.computed.is_none()
    }

    /// Whether an index can hold the field: a stored one whose values fit a B-tree entry
    /// (not long text, JSON or a multi select).
    pub fn is_indexable(&self) -> bool {
        self.is_stored() && !self.field_type.is_document() && self.field_type != FieldType::LongText
    }
}

/// The field types of the records API. Each has one Postgres column type and one JSON form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    Text,
    LongText,
    /// Integers and decimals, stored as `numeric`: no float loss either way.
    Number,
    Boolean,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// An instant, RFC 3339 in, UTC out.
    Datetime,
    Email,
    Url,
    /// One of the field's options.
    SingleSelect,
    /// A set of the field's options, as a JSON array.
    MultiSelect,
    /// Any JSON value (stored as `jsonb`: key order and duplicate keys are not kept).
    Json,
    Uuid,
    /// The id of a record of another table (or of the same one): see [`Link`].
    Link,
    /// Attachments: uploaded files (`files:signUpload`), as a JSON array of descriptors;
    /// the field's `options` are the media types it accepts (`image/*`), any when empty.
    File,
}

impl FieldType {
    pub const ALL: [FieldType; 14] = [
        FieldType::Text,
        FieldType::LongText,
        FieldType::Number,
        FieldType::Boolean,
        FieldType::Date,
        FieldType::Datetime,
        FieldType::Email,
        FieldType::Url,
        FieldType::SingleSelect,
        FieldType::MultiSelect,
        FieldType::Json,
        FieldType::Uuid,
        FieldType::Link,
        FieldType::File,
    ];

    pub fn sql_type(self) -> &'static str {
        match self {
            FieldType::Text | FieldType::LongText | FieldType::Email | FieldType::Url | FieldType::SingleSelect => {
                "text"
            }
            FieldType::Number => "numeric",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
            FieldType::Datetime => "timestamptz",
            FieldType::MultiSelect | FieldType::Json | FieldType::File => "jsonb",
            FieldType::Uuid | FieldType::Link => "uuid",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::LongText => "long_text",
            FieldType::Number => "number",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
            FieldType::Datetime => "datetime",
            FieldType::Email => "email",
            FieldType::Url => "url",
            FieldType::SingleSelect => "single_select",
            FieldType::MultiSelect => "multi_select",
            FieldType::Json => "json",
            FieldType::Uuid => "uuid",
            FieldType::Link => "link",
            FieldType::File => "file",
        }
    }

    pub fn parse(text: &str) -> Option<FieldType> {
        FieldType::ALL.into_iter().find(|field_type| field_type.as_str() == text)
    }

    /// Whether `contains` and `starts_with` apply as substring tests.
    pub fn is_textual(self) -> bool {
        matches!(self, FieldType::Text | FieldType::LongText | FieldType::Email | FieldType::Url)
    }

    /// Whether values are JSON documents (`jsonb`): no single scalar to compare, order,
    /// convert or make unique.
    pub fn is_document(self) -> bool {
        matches!(self, FieldType::MultiSelect | FieldType::Json | FieldType::File)
    }

    pub fn has_options(self) -> bool {
        matches!(self, FieldType::SingleSelect | FieldType::MultiSelect)
    }
}

impl Catalog {
    /// Resolves a `{tableId}` path segment: a table UUID, its system name, or a former
    /// name still in its grace period.
    pub fn table(&self, reference: &str) -> Option<&Table> {
        match TableId::parse(reference) {
            Some(id) => self.table_by_id(id),
            None => self
                .tables
                .iter()
                .find(|table| table.name == reference)
                .or_else(|| self.tables.iter().find(|table| table.aliases.iter().any(|alias| alias == reference))),
        }
    }

    pub fn table_by_id(&self, id: TableId) -> Option<&Table> {
        self.tables.iter().find(|table| table.id == id)
    }

    /// The link fields that point at `target`, with their tables: the reverse side of
    /// its relations.
    pub fn links_to(&self, target: TableId) -> impl Iterator<Item = (&Table, &Field, &Link)> {
        self.links().filter(move |(_, _, link)| link.table == target)
    }

    /// Every link field of the base, with its table.
    pub fn links(&self) -> impl Iterator<Item = (&Table, &Field, &Link)> {
        self.tables
            .iter()
            .flat_map(|table| table.fields.iter().filter_map(move |field| Some((table, field, field.link.as_ref()?))))
    }
}

/// How deep computed fields may build on computed fields (a lookup of a rollup of a
/// formula is three levels).
pub const MAX_COMPUTED_DEPTH: usize = 4;

impl Computed {
    /// The fields this computes from, each with its table (`own` is the field's table).
    pub fn reads(&self, own: TableId, catalog: &Catalog) -> Vec<(TableId, FieldId)> {
        match self {
            Computed::Formula { formula } => {
                crate::formula::fields(formula).into_iter().map(|field| (own, field)).collect()
            }
            Computed::Lookup { link, field } => {
                let target = catalog
                    .table_by_id(own)
                    .and_then(|table| table.field_by_id(*link))
                    .and_then(|link| link.link.as_ref())
                    .map(|link| link.table);
                let mut reads = vec![(own, *link)];
                reads.extend(target.map(|target| (target, *field)));
                reads
            }
            Computed::Rollup { table, link, field, filter, .. } => {
                let mut reads = vec![(*table, *link)];
                reads.extend(field.map(|field| (*table, field)));
                for condition in filter.iter().flat_map(crate::plan::Expr::conditions) {
                    if let crate::plan::Column::Field(field) = condition.column {
                        reads.push((*table, field));
                    }
                }
                reads
            }
        }
    }

    /// The other tables whose records this reads directly.
    fn tables(&self, own: TableId, catalog: &Catalog) -> Vec<TableId> {
        self.reads(own, catalog).into_iter().map(|(table, _)| table).filter(|table| *table != own).collect()
    }
}

impl Catalog {
    /// The tables whose records decide values of `table`: itself, and through its
    /// computed fields (and theirs) the tables they read.
    pub fn sources(&self, table: TableId) -> Vec<TableId> {
        let mut found = vec![table];
        let mut next = 0;
        while let Some(&current) = found.get(next) {
            next += 1;
            let Some(current) = self.table_by_id(current) else { continue };
            for computed in current.fields.iter().filter_map(|field| field.computed.as_ref()) {
                for source in computed.tables(current.id, self) {
                    if !found.contains(&source) {
                        found.push(source);
                    }
                }
            }
        }
        found
    }

    /// The tables whose answers change when records of `changed` do: those tables, and
    /// every table with a computed field reading them.
    pub fn affected_by(&self, changed: &[TableId]) -> Vec<TableId> {
        let mut affected: Vec<TableId> = changed.to_vec();
        for table in &self.tables {
            if !affected.contains(&table.id) && self.sources(table.id).iter().any(|source| changed.contains(source)) {
                affected.push(table.id);
            }
        }
        affected
    }

    /// The computed fields of the base that read `field` of `table`, as `kind table.field`.
    pub fn computed_users(&self, table: TableId, field: FieldId) -> Vec<String> {
        let mut users = Vec::new();
        for other in &self.tables {
            for user in other.fields.iter().filter(|user| user.id != field || other.id != table) {
                if let Some(computed) = &user.computed
                    && computed.reads(other.id, self).contains(&(table, field))
                {
                    users.push(format!("{} {}.{}", computed.kind(), other.name, user.name));
                }
            }
        }
        users
    }

    /// The catalog with `field` added to `table` (or replacing the field of its id), and
    /// `table` added when it is not in the catalog yet (a table being created).
    pub fn with_field(&self, table: &Table, field: &Field) -> Catalog {
        let mut with = self.clone();
        let mut own = table.clone();
        match own.fields.iter_mut().find(|existing| existing.id == field.id) {
            Some(existing) => *existing = field.clone(),
            None => own.fields.push(field.clone()),
        }
        match with.tables.iter_mut().find(|existing| existing.id == table.id) {
            Some(existing) => *existing = own,
            None => with.tables.push(own),
        }
        with
    }

    /// How many levels of computed fields `field` of `table` builds on (0 for a stored
    /// field), or `None` when they come back to where they started.
    pub fn computed_depth(&self, table: TableId, field: FieldId) -> Option<usize> {
        self.depth(table, field, &mut Vec::new())
    }

    fn depth(&self, table: TableId, field: FieldId, path: &mut Vec<(TableId, FieldId)>) -> Option<usize> {
        if path.contains(&(table, field)) || path.len() > MAX_COMPUTED_DEPTH + 1 {
            return None;
        }
        let Some(computed) =
            self.table_by_id(table).and_then(|t| t.field_by_id(field)).and_then(|f| f.computed.as_ref())
        else {
            return Some(0);
        };
        path.push((table, field));
        let mut deepest = 0;
        for (other, read) in computed.reads(table, self) {
            deepest = deepest.max(self.depth(other, read, path)?);
        }
        path.pop();
        Some(deepest + 1)
    }
}

impl Table {
    /// A table without aliases, rules or policies.
    pub fn new(id: TableId, name: &str, fields: Vec<Field>) -> Table {
        Table {
            id,
            name: name.to_owned(),
            fields,
            aliases: Vec::new(),
            rules: Vec::new(),
            unique: Vec::new(),
            policies: Vec::new(),
            indexes: Vec::new(),
        }
    }

    /// The policy for `subject`, if the table has one.
    pub fn policy(&self, subject: Subject) -> Option<&Policy> {
        self.policies.iter().find(|policy| policy.subject == subject)
    }

    /// A field by name, or by a former name still in its grace period.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields
            .iter()
            .find(|field| field.name == name)
            .or_else(|| self.fields.iter().find(|field| field.aliases.iter().any(|alias| alias == name)))
    }

    pub fn field_by_id(&self, id: FieldId) -> Option<&Field> {
        self.fields.iter().find(|field| field.id == id)
    }

    /// The table's names and former names, sorted: resolves as [`Table::field`] does, in
    /// logarithmic time, for requests that name many fields.
    pub fn index(&self) -> FieldIndex<'_> {
        let mut names: Vec<(&str, bool, usize)> = Vec::new();
        for (position, field) in self.fields.iter().enumerate() {
            names.push((&field.name, false, position));
            names.extend(field.aliases.iter().map(|alias| (alias.as_str(), true, position)));
        }
        // A current name sorts before a former one, so it wins as in `Table::field`.
        names.sort();
        FieldIndex { table: self, names }
    }
}

/// See [`Table::index`].
pub struct FieldIndex<'a> {
    table: &'a Table,
    /// (name, is a former name, position in `table.fields`).
    names: Vec<(&'a str, bool, usize)>,
}

impl<'a> FieldIndex<'a> {
    /// The field a name resolves to and its position among the table's fields.
    pub fn get(&self, name: &str) -> Option<(usize, &'a Field)> {
        let first = self.names.partition_point(|(candidate, _, _)| *candidate < name);
        let (candidate, _, position) = *self.names.get(first)?;
        (candidate == name).then(|| (position, &self.table.fields[position]))
    }
}

/// Names a user may give a table or a field: URL-safe, short, and not a system column.
pub fn is_valid_name(name: &str) -> bool {
    const RESERVED: [&str; 4] = ["id", "created_at", "updated_at", "version"];
    let mut chars = name.chars();
    let starts_well = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    starts_well
        && name.len() <= 63
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !RESERVED.contains(&name)
        // A 32-hex-digit name would read as a table id in paths.
        && crate::ids::parse_uuid(name).is_none()
}

crate::json_schema::string_enum!(FieldType, FieldType::ALL);
crate::json_schema::string_enum!(OnDelete, OnDelete::ALL);

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn catalog() -> Catalog {
        Catalog {
            base_id: BaseId(Uuid::from_u128(1)),
            version: 3,
            tables: vec![Table {
                id: TableId(Uuid::from_u128(2)),
                name: "customers".into(),
                fields: vec![Field {
                    required: true,
                    aliases: vec!["full_name".into()],
                    ..Field::new(FieldId(Uuid::from_u128(3)), "name", FieldType::Text)
                }],
                aliases: vec!["clients".into()],
                rules: Vec::new(),
                unique: Vec::new(),
                policies: Vec::new(),
                indexes: Vec::new(),
            }],
        }
    }

    #[test]
    fn table_by_name_or_uuid() {
        let catalog = catalog();
        assert_eq!(catalog.table("customers").map(|t| t.id), Some(TableId(Uuid::from_u128(2))));
        assert_eq!(catalog.table("00000000-0000-0000-0000-000000000002").map(|t| t.name.as_str()), Some("customers"));
        assert!(catalog.table("orders").is_none());
        assert_eq!(catalog.table("clients").map(|t| t.name.as_str()), Some("customers"), "a former name");
        let table = catalog.table("customers").expect("table");
        assert_eq!(table.field("full_name").map(|f| f.name.as_str()), Some("name"), "a former field name");
        assert!(catalog.table("00000000-0000-0000-0000-000000000009").is_none());
    }

    #[test]
    fn names() {
        assert!(is_valid_name("customers"));
        assert!(is_valid_name("signed_up_at2"));
        for bad in ["", "Customers", "2x", "a-b", "id", "created_at", "a b", "é"] {
            assert!(!is_valid_name(bad), "{bad}");
        }
        assert!(!is_valid_name(&"a".repeat(64)));
        assert!(!is_valid_name("deadbeefdeadbeefdeadbeefdeadbeef"), "reads as an id");
    }

    #[test]
    fn wire_form_round_trips() {
        let catalog = catalog();
        let json = serde_json::to_string(&catalog).expect("json");
        assert!(json.contains(r#""type":"text""#));
        assert_eq!(serde_json::from_str::<Catalog>(&json).expect("parse"), catalog);
    }
}
