//! JSON Schemas of the API's types, for the OpenAPI document (`openapi` crate): most types
//! derive [`JsonSchema`]; the closed string enums list their names from their `ALL` arrays
//! here, so the document offers exactly what the code parses.

pub use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

/// Adds a type's schema to the generator's components; the reference to it (or, for a
/// type that is always inlined, the schema itself).
pub type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

pub fn of<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// `JsonSchema` for a unit enum with `ALL` and `as_str`: a named string enum.
macro_rules! string_enum {
    ($type:ty, $all:expr) => {
        $crate::json_schema::string_enum!($type, $all, stringify!($type));
    };
    ($type:ty, $all:expr, $name:expr) => {
        impl $crate::json_schema::JsonSchema for $type {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                $name.into()
            }

            fn json_schema(_: &mut $crate::json_schema::SchemaGenerator) -> $crate::json_schema::Schema {
                let names: Vec<&str> = $all.iter().map(|item| item.as_str()).collect();
                $crate::json_schema::json_schema!({ "type": "string", "enum": names })
            }
        }
    };
}
pub(crate) use string_enum;
