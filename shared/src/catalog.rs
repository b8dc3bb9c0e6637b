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
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub id: FieldId,
    /// The name used in the API (`values`, `filter[...]`), unique within the table.
    pub name: String,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    #[serde(default)]
    pub required: bool,
}

/// The type of a field, which decides its column type and how values are validated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// UTF-8 text (`text`).
    Text,
    /// An exact decimal (`numeric`): integers and decimals round-trip without loss.
    Number,
    /// `true` or `false` (`boolean`).
    Boolean,
    /// An instant, written as RFC 3339 with an offset (`timestamptz`).
    Datetime,
}

impl FieldType {
    /// The Postgres column type.
    pub fn sql_type(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Number => "numeric",
            FieldType::Boolean => "boolean",
            FieldType::Datetime => "timestamptz",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Number => "number",
            FieldType::Boolean => "boolean",
            FieldType::Datetime => "datetime",
        }
    }
}

impl Catalog {
    /// Resolves a `{tableId}` path segment: a table UUID or its system name.
    pub fn table(&self, reference: &str) -> Option<&Table> {
        match TableId::parse(reference) {
            Some(id) => self.table_by_id(id),
            None => self.tables.iter().find(|table| table.name == reference),
        }
    }

    pub fn table_by_id(&self, id: TableId) -> Option<&Table> {
        self.tables.iter().find(|table| table.id == id)
    }
}

impl Table {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|field| field.name == name)
    }

    pub fn field_by_id(&self, id: FieldId) -> Option<&Field> {
        self.fields.iter().find(|field| field.id == id)
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
}

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
                    id: FieldId(Uuid::from_u128(3)),
                    name: "name".into(),
                    field_type: FieldType::Text,
                    required: true,
                }],
            }],
        }
    }

    #[test]
    fn table_by_name_or_uuid() {
        let catalog = catalog();
        assert_eq!(catalog.table("customers").map(|t| t.id), Some(TableId(Uuid::from_u128(2))));
        assert_eq!(catalog.table("00000000-0000-0000-0000-000000000002").map(|t| t.name.as_str()), Some("customers"));
        assert!(catalog.table("orders").is_none());
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
    }

    #[test]
    fn wire_form_round_trips() {
        let catalog = catalog();
        let json = serde_json::to_string(&catalog).expect("json");
        assert!(json.contains(r#""type":"text""#));
        assert_eq!(serde_json::from_str::<Catalog>(&json).expect("parse"), catalog);
    }
}
