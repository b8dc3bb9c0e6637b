//! Newtyped identifiers and the physical Postgres names derived from them.
//!
//! Physical names come from stable ids, never from user-chosen names, so renaming a
//! table or field is a catalog change and never breaks a client or a query plan.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// Parses the hyphenated or simple textual form of a UUID.
            pub fn parse(text: &str) -> Option<Self> {
                parse_uuid(text).map(Self)
            }
        }

        /// A UUID in the document, inline: the id's kind is in the member's name.
        impl schemars::JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }

            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string", "format": "uuid" })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }
    };
}

id_type!(
    /// A tenant: the billing and isolation root.
    TenantId
);
id_type!(
    /// A base: one Postgres schema in the data plane.
    BaseId
);
id_type!(
    /// A no-code table: one Postgres table.
    TableId
);
id_type!(
    /// A field: one Postgres column.
    FieldId
);
id_type!(
    /// An API token (the public part of `nc_<token id>_<secret>`).
    TokenId
);
id_type!(
    /// A record: the `id` column of a row.
    RecordId
);
id_type!(
    /// A person who signs in to manage workspaces, bases and tokens.
    UserId
);
id_type!(
    /// A workspace of a tenant: the unit of membership and roles.
    WorkspaceId
);

/// Parses a UUID, accepting only the 36-character hyphenated and 32-character simple forms.
pub fn parse_uuid(text: &str) -> Option<Uuid> {
    if text.len() != 36 && text.len() != 32 {
        return None;
    }
    Uuid::try_parse(text).ok()
}

impl BaseId {
    /// The data-plane schema holding this base's tables, e.g. `b_0f3a…`.
    pub fn schema_name(&self) -> String {
        format!("b_{}", self.0.simple())
    }
}

impl TableId {
    /// The physical table name, e.g. `t_9c1e…`.
    pub fn table_name(&self) -> String {
        format!("t_{}", self.0.simple())
    }
}

impl FieldId {
    /// The physical column name, e.g. `f_77aa…`.
    pub fn column_name(&self) -> String {
        format!("f_{}", self.0.simple())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn physical_names_come_from_ids() {
        let id = Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
        assert_eq!(BaseId(id).schema_name(), "b_0123456789abcdef0123456789abcdef");
        assert_eq!(TableId(id).table_name(), "t_0123456789abcdef0123456789abcdef");
        assert_eq!(FieldId(id).column_name(), "f_0123456789abcdef0123456789abcdef");
    }

    #[test]
    fn parse_rejects_other_forms() {
        assert!(RecordId::parse("0123456789abcdef0123456789abcdef").is_some());
        assert!(RecordId::parse("01234567-89ab-cdef-0123-456789abcdef").is_some());
        assert!(RecordId::parse("{01234567-89ab-cdef-0123-456789abcdef}").is_none());
        assert!(RecordId::parse("urn:uuid:01234567-89ab-cdef-0123-456789abcdef").is_none());
        assert!(RecordId::parse("customers").is_none());
    }
}
