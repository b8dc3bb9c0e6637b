//! Data-plane DDL for bases and tables, as statements for the admin role to run.
//!
//! Built only from catalog ids and types and quoted by [`crate::lower::quote_ident`];
//! no user-chosen name ever appears in DDL (physical names come from ids).

use crate::catalog::Table;
use crate::ids::{BaseId, FieldId};
use crate::lower::{qualified_table, quote_ident};

/// The least-privilege runtime role of the data plane: CRUD, no DDL.
pub const DATA_RUNTIME_ROLE: &str = "data_app_rw";

/// Creates a base's schema with its change log and idempotency tables.
pub fn create_base(base_id: BaseId) -> Vec<String> {
    let schema = quote_ident(&base_id.schema_name());
    let role = quote_ident(DATA_RUNTIME_ROLE);
    vec![
        format!("CREATE SCHEMA {schema}"),
        format!(
            "CREATE TABLE {schema}.\"_changes\" (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, \
             at timestamptz NOT NULL DEFAULT now(), op text NOT NULL, table_id uuid NOT NULL, record_id uuid NOT NULL, \
             before jsonb, after jsonb, actor text NOT NULL, request_id text NOT NULL)"
        ),
        format!(
            "CREATE TABLE {schema}.\"_idempotency\" (key text PRIMARY KEY, request_hash bytea NOT NULL, \
             status smallint NOT NULL, response bytea NOT NULL, version bigint, expires_at timestamptz NOT NULL)"
        ),
        format!("GRANT USAGE ON SCHEMA {schema} TO {role}"),
        format!("GRANT SELECT, INSERT ON {schema}.\"_changes\" TO {role}"),
        format!("GRANT SELECT, INSERT, UPDATE, DELETE ON {schema}.\"_idempotency\" TO {role}"),
    ]
}

/// Creates the physical table of a no-code table, with its system columns and list index.
pub fn create_table(base_id: BaseId, table: &Table) -> Vec<String> {
    let target = qualified_table(base_id, table.id);
    let mut columns = vec![
        "id uuid PRIMARY KEY DEFAULT gen_random_uuid()".to_owned(),
        "created_at timestamptz NOT NULL DEFAULT now()".to_owned(),
        "updated_at timestamptz NOT NULL DEFAULT now()".to_owned(),
        "version bigint NOT NULL DEFAULT 1".to_owned(),
    ];
    columns.extend(table.fields.iter().map(|field| {
        let not_null = if field.required { " NOT NULL" } else { "" };
        format!("{} {}{not_null}", quote_ident(&field.id.column_name()), field.field_type.sql_type())
    }));
    let index = quote_ident(&format!("{}_created", table.id.table_name()));
    let mut statements = vec![
        format!("CREATE TABLE {target} ({})", columns.join(", ")),
        // The default list order is (created_at, id); this index makes every page a range scan.
        format!("CREATE INDEX {index} ON {target} (created_at, id)"),
        format!("GRANT SELECT, INSERT, UPDATE, DELETE ON {target} TO {}", quote_ident(DATA_RUNTIME_ROLE)),
    ];
    statements.extend(table.fields.iter().filter(|field| field.unique).map(|field| {
        format!(
            "CREATE UNIQUE INDEX {} ON {target} ({})",
            quote_ident(&unique_index_name(field.id)),
            quote_ident(&field.id.column_name())
        )
    }));
    statements
}

/// The unique index of a field; a violation names it, which names the field.
pub fn unique_index_name(field: FieldId) -> String {
    format!("u_{}", field.0.simple())
}

/// The field a unique-index name belongs to.
pub fn field_of_unique_index(name: &str) -> Option<FieldId> {
    name.strip_prefix("u_").and_then(FieldId::parse)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Field, FieldType};
    use crate::ids::{FieldId, TableId};
    use expect_test::expect;
    use uuid::Uuid;

    #[test]
    fn table_ddl() {
        let table = Table {
            id: TableId(Uuid::from_u128(7)),
            name: "customers".into(),
            fields: vec![Field {
                id: FieldId(Uuid::from_u128(10)),
                name: "name".into(),
                field_type: FieldType::Text,
                required: true,
                unique: true,
                options: Vec::new(),
            }],
        };
        expect![[r#"
            CREATE TABLE "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(), version bigint NOT NULL DEFAULT 1, "f_0000000000000000000000000000000a" text NOT NULL)
            CREATE INDEX "t_00000000000000000000000000000007_created" ON "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" (created_at, id)
            GRANT SELECT, INSERT, UPDATE, DELETE ON "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" TO "data_app_rw"
            CREATE UNIQUE INDEX "u_0000000000000000000000000000000a" ON "b_0000000000000000000000000000000b"."t_00000000000000000000000000000007" ("f_0000000000000000000000000000000a")"#]]
        .assert_eq(&create_table(BaseId(Uuid::from_u128(0xb)), &table).join("\n"));
    }
}
