use super::*;
use crate::prose::{field_types_table, system_columns_text};
use expect_test::expect;
use shared::catalog::{Field, Table};
use shared::ids::BaseId;
use shared::ids::{FieldId, TableId};
use shared::plan::{MAX_BATCH_ITEMS, MAX_SORT_KEYS};
use shared::query::{DEFAULT_LIMIT, MAX_LIMIT};
use uuid::Uuid;

/// Every declared operation as the document names it: path, method, operationId.
fn declared() -> impl Iterator<Item = (&'static str, String, &'static str)> {
    shared::api::OPERATIONS
        .iter()
        .map(|operation| (operation.path, operation.method.as_str().to_ascii_lowercase(), operation.name))
}

fn field(n: u128, name: &str, field_type: FieldType, required: bool, options: &[&str]) -> Field {
    Field {
        required,
        unique: name == "email",
        options: options.iter().map(|option| (*option).to_owned()).collect(),
        // A link points at `customers`.
        link: (field_type == FieldType::Link).then(|| shared::catalog::Link {
            table: TableId(Uuid::from_u128(2)),
            on_delete: Default::default(),
            display: None,
        }),
        ..Field::new(FieldId(Uuid::from_u128(n)), name, field_type)
    }
}

fn catalog() -> Catalog {
    let statuses = ["active", "churned", "trial", "paused"];
    Catalog {
        base_id: BaseId(Uuid::from_u128(1)),
        version: 7,
        tables: vec![
            Table {
                id: TableId(Uuid::from_u128(2)),
                name: "customers".to_owned(),
                fields: vec![
                    field(10, "name", FieldType::Text, true, &[]),
                    field(11, "email", FieldType::Email, false, &[]),
                    field(12, "amount", FieldType::Number, false, &[]),
                    field(13, "status", FieldType::SingleSelect, false, &statuses),
                    field(14, "tier", FieldType::SingleSelect, true, &["gold", "silver"]),
                ],
                aliases: Vec::new(),
                rules: Vec::new(),
                unique: Vec::new(),
                policies: Vec::new(),
                indexes: Vec::new(),
            },
            Table {
                id: TableId(Uuid::from_u128(3)),
                name: "specimens".to_owned(),
                fields: FieldType::ALL
                    .iter()
                    .enumerate()
                    .map(|(i, field_type)| {
                        field(20 + i as u128, field_type.as_str(), *field_type, false, &["red", "green"])
                    })
                    .collect(),
                aliases: Vec::new(),
                rules: Vec::new(),
                unique: Vec::new(),
                policies: Vec::new(),
                indexes: Vec::new(),
            },
            Table {
                id: TableId(Uuid::from_u128(4)),
                name: "notes".to_owned(),
                fields: vec![field(40, "body", FieldType::LongText, false, &[])],
                aliases: Vec::new(),
                rules: Vec::new(),
                unique: Vec::new(),
                policies: Vec::new(),
                indexes: Vec::new(),
            },
        ],
    }
}

/// Follows a local `$ref` (`#/components/...`).
fn resolve<'a>(document: &'a Value, reference: &str) -> Option<&'a Value> {
    document.pointer(reference.strip_prefix('#')?)
}

/// The value itself, or what its `$ref` names.
fn follow<'a>(document: &'a Value, value: &'a Value) -> &'a Value {
    match value["$ref"].as_str() {
        Some(reference) => resolve(document, reference).expect("ref resolves"),
        None => value,
    }
}

fn walk<'a>(value: &'a Value, found: &mut Vec<&'a Value>) {
    found.push(value);
    match value {
        Value::Object(map) => map.values().for_each(|child| walk(child, found)),
        Value::Array(items) => items.iter().for_each(|child| walk(child, found)),
        _ => {}
    }
}

fn operations(document: &Value) -> Vec<(String, String, &Value)> {
    let mut all = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            all.push((path.clone(), method.clone(), operation));
        }
    }
    all
}

/// Checks that hold for both documents: refs resolve, path parameters are declared,
/// operation ids are unique, component names are well-formed.
fn check_structure(document: &Value) {
    let mut nodes = Vec::new();
    walk(document, &mut nodes);
    for node in nodes {
        if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
            assert!(resolve(document, reference).is_some(), "{reference} resolves");
        }
    }
    let mut ids = Vec::new();
    for (path, method, operation) in operations(document) {
        let id = operation["operationId"].as_str().expect("operationId");
        assert!(!ids.contains(&id), "operationId {id} is unique");
        ids.push(id);
        let parameters: Vec<&Value> = operation["parameters"]
            .as_array()
            .expect("parameters")
            .iter()
            .map(|parameter| match parameter["$ref"].as_str() {
                Some(reference) => resolve(document, reference).expect("parameter ref"),
                None => parameter,
            })
            .collect();
        let templated: Vec<&str> =
            path.split('{').skip(1).filter_map(|rest| rest.split_once('}')).map(|(name, _)| name).collect();
        for name in &templated {
            assert!(
                parameters.iter().any(|p| p["in"] == "path" && p["name"] == *name && p["required"] == true),
                "{method} {path} declares {name}"
            );
        }
        for parameter in parameters.iter().filter(|p| p["in"] == "path") {
            assert!(templated.iter().any(|name| parameter["name"] == *name), "{method} {path}: {parameter}");
        }
        let mut seen = Vec::new();
        for parameter in &parameters {
            let key = (parameter["in"].to_string(), parameter["name"].to_string());
            assert!(!seen.contains(&key), "{method} {path} repeats {key:?}");
            seen.push(key);
        }
        for (status, response) in operation["responses"].as_object().expect("responses") {
            let response = follow(document, response);
            assert!(response["headers"]["X-Request-Id"].is_object(), "{method} {path} {status} has X-Request-Id");
        }
    }
    for kind in ["schemas", "parameters", "headers", "securitySchemes"] {
        for name in document["components"][kind].as_object().expect("components").keys() {
            assert!(
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)),
                "component name {name}"
            );
        }
    }
}

#[test]
fn every_path_parameter_is_described() {
    for (path, _, name) in declared() {
        for parameter in template_parameters(path) {
            assert!(path_parameter(parameter).is_some(), "{name}: '{{{parameter}}}' has no description");
        }
    }
}

#[test]
fn every_route_is_documented() {
    let document = document("http://127.0.0.1:8787");
    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(document["servers"][0]["url"], "http://127.0.0.1:8787");
    for (path, method, id) in declared() {
        assert_eq!(document["paths"][path][method.as_str()]["operationId"], id, "{method} {path}");
    }
    assert_eq!(operations(&document).len(), shared::api::OPERATIONS.len(), "no undocumented extras");
    check_structure(&document);
    assert_eq!(document["paths"]["/v1/openapi.json"]["get"]["security"], json!([]));
    assert_eq!(
        document["paths"]["/v1/tables/{tableId}/records"]["delete"]["security"],
        json!([{ "bearer": ["delete"] }, { "session": [] }])
    );
    assert_eq!(document["paths"]["/api/v1/bases/{baseId}/tables"]["post"]["security"], json!([{ "session": [] }]));
    let add_field = &document["paths"]["/api/v1/bases/{baseId}/tables/{table}/fields"]["post"];
    assert!(add_field["description"].as_str().is_some_and(|d| d.contains("`admin` role")), "the role it needs");
}

#[test]
fn every_error_code_is_in_the_enum_and_in_some_response() {
    let document = document("http://x");
    let documented = document["components"]["schemas"]["ErrorCode"]["enum"].as_array().expect("enum").clone();
    assert_eq!(documented.len(), ErrorCode::ALL.len(), "no code twice");
    let mut responses = String::new();
    for (_, _, operation) in operations(&document) {
        for response in operation["responses"].as_object().expect("responses").values() {
            responses.push_str(follow(&document, response)["description"].as_str().unwrap_or_default());
        }
    }
    let protocol = [
        ErrorCode::RouteNotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::InvalidSignature,
        ErrorCode::PlanExpired,
        ErrorCode::PlanReplayed,
    ];
    for code in ErrorCode::ALL {
        assert!(documented.contains(&Value::from(code.as_str())), "{code:?} is in the enum");
        assert!(
            protocol.contains(&code) || responses.contains(&format!("`{}`", code.as_str())),
            "{code:?} is in some operation's responses"
        );
    }
    let error = &document["components"]["schemas"]["Error"]["properties"]["error"];
    assert_eq!(error["required"], json!(["code", "message", "details"]));
    let field_error = &document["components"]["schemas"]["FieldError"]["properties"];
    for key in ["index", "field", "code", "message"] {
        assert!(field_error[key].is_object(), "errors[].{key}");
    }
}

#[test]
fn statuses_headers_and_limits() {
    let document = document("http://x");
    let paths = &document["paths"];
    let get = &paths["/v1/tables/{tableId}/records/{id}"]["get"]["responses"];
    assert!(get["304"].is_object() && get["200"]["headers"]["ETag"].is_object());
    let says = |response: &Value, code: &str| {
        follow(&document, response)["description"].as_str().is_some_and(|text| text.contains(code))
    };
    assert!(says(&get["404"], "RECORD_NOT_FOUND"));
    for method in ["patch", "delete"] {
        let responses = &paths["/v1/tables/{tableId}/records/{id}"][method]["responses"];
        assert!(says(&responses["412"], "PRECONDITION_FAILED"));
    }
    let create = &paths["/v1/tables/{tableId}/records"]["post"]["responses"];
    let conflicts = follow(&document, &create["409"])["description"].as_str().expect("409");
    for code in ["DUPLICATE_RECORD", "UNIQUE_VIOLATION", "IDEMPOTENCY_REPLAYED"] {
        assert!(conflicts.contains(code), "{code}");
    }
    assert!(create["201"]["headers"]["Idempotency-Replayed"].is_object());
    assert!(create["415"].is_object() && create["422"].is_object());
    assert!(follow(&document, &create["429"])["headers"]["Retry-After"].is_object());
    assert_eq!(create["401"]["$ref"], "#/components/responses/Unauthorized", "uniform responses are shared");
    assert_eq!(create["400"]["$ref"], "#/components/responses/createRecord.400");
    let upsert = &paths["/v1/tables/{tableId}/records:batchUpsert"]["post"];
    assert!(says(&upsert["responses"]["413"], "1000 items"));
    assert_eq!(
        upsert["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/BatchUpsertRequest"
    );
    let parameters = &document["components"]["parameters"];
    assert_eq!(parameters["Limit"]["schema"]["maximum"], MAX_LIMIT);
    assert_eq!(parameters["Limit"]["schema"]["default"], DEFAULT_LIMIT);
    assert_eq!(parameters["Filter"]["style"], "deepObject");
    assert_eq!(parameters["Sort"]["schema"]["maxItems"], MAX_SORT_KEYS);
    assert_eq!(
        document["components"]["schemas"]["BatchDeleteRequest"]["properties"]["ids"]["maxItems"],
        MAX_BATCH_ITEMS
    );
    let delete_many: Vec<String> = paths["/v1/tables/{tableId}/records"]["delete"]["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .map(|parameter| parameter.to_string())
        .collect();
    for name in ["Ids", "AllowFilteredDelete", "IdempotencyKey", "Where"] {
        assert!(delete_many.iter().any(|p| p.contains(&format!("/{name}\""))), "{name}");
    }
}

/// The operator and sort rules are read off the compiler; this pins what it says today.
#[test]
fn field_types_follow_the_compiler() {
    expect![[r#"
        | type | JSON value | filter operators | sortable | stored as |
        | --- | --- | --- | --- | --- |
        | `text` | string without NUL characters | `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `in`, `between`, `contains`, `starts_with`, `is_null` | yes | `text` |
        | `long_text` | string without NUL characters (for long, multi-line text) | `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `in`, `between`, `contains`, `starts_with`, `is_null` | yes | `text` |
        | `number` | JSON number of arbitrary precision, stored as `numeric`: never rounded, at most 200 characters and exponent ±1000; parse it as a decimal where precision matters | `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `in`, `between`, `is_null` | yes | `numeric` |
        | `boolean` | `true` or `false` | `eq`, `ne`, `in`, `is_null` | yes | `boolean` |
        | `date` | string `YYYY-MM-DD` | `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `in`, `between`, `is_null` | yes | `date` |
        | `datetime` | RFC 3339 string with an offset, up to microseconds (`2025-01-31T12:00:00Z`); returned in UTC | `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `in`, `between`, `is_null` | yes | `timestamptz` |
        | `email` | string email address, at most 254 characters | `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `in`, `between`, `contains`, `starts_with`, `is_null` | yes | `text` |
        | `url` | string absolute `http` or `https` URL, at most 2,048 characters | `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `in`, `between`, `contains`, `starts_with`, `is_null` | yes | `text` |
        | `single_select` | string, one of the field's options | `eq`, `ne`, `in`, `is_null` | yes | `text` |
        | `multi_select` | array of distinct options of the field; a filter value is one option | `contains`, `is_null` | no | `jsonb` |
        | `json` | any JSON value, stored as `jsonb` (object key order and duplicate keys are not kept) | `is_null` | no | `jsonb` |
        | `uuid` | string UUID; returned in lowercase | `eq`, `ne`, `in`, `is_null` | yes | `uuid` |
        | `link` | string UUID, the id of a record of the linked table (a missing record is a 422 naming the field); `include=<field>` embeds that record under `included` | `eq`, `ne`, `in`, `is_null` | yes | `uuid` |
        | `file` | array of attachments (at most 100). Write each as an upload's `file_id` (`POST /v1/files:signUpload`, then post the file with its form) or `{"id": …, "name": …}` to rename it; an empty array is null. Reads answer `{id, name, size, content_type, url}`, `url` a signed download address valid for 15 minutes. An unknown upload, one of another field, one the field's media types (its `options`) do not accept, or one not in the store with its announced size and checksum is a 422 naming the field | `is_null` | no | `jsonb` |"#]]
    .assert_eq(&field_types_table(&Rules::new()));
    assert_eq!(system_columns_text(&Rules::new()), "`id` (uuid), `created_at` (datetime), `updated_at` (datetime)");
}

#[test]
fn base_document_types_each_table() {
    let catalog = catalog();
    let document = base_document("https://api.example.com", &catalog);
    check_structure(&document);
    let schemas = &document["components"]["schemas"];
    let values = &schemas["customers_Values"];
    assert_eq!(values["additionalProperties"], false);
    assert_eq!(values["required"], json!(["name", "tier"]));
    let properties = &values["properties"];
    assert_eq!(properties["name"]["type"], "string");
    assert_eq!(properties["email"]["type"], json!(["string", "null"]));
    assert_eq!(properties["email"]["format"], "email");
    assert_eq!(properties["amount"]["type"], json!(["number", "null"]));
    assert_eq!(properties["status"]["enum"], json!(["active", "churned", "trial", "paused", null]));
    assert_eq!(properties["tier"]["enum"], json!(["gold", "silver"]));
    assert_eq!(properties["tier"]["type"], "string");
    assert!(schemas["customers_Patch"]["required"].is_null());
    assert_eq!(
        schemas["customers_Record"]["properties"]["values"]["$ref"],
        "#/components/schemas/customers_RecordValues"
    );

    let specimen = &schemas["specimens_Values"]["properties"];
    let expected = [
        ("text", json!({ "type": ["string", "null"] })),
        ("long_text", json!({ "type": ["string", "null"] })),
        ("number", json!({ "type": ["number", "null"] })),
        ("boolean", json!({ "type": ["boolean", "null"] })),
        ("date", json!({ "type": ["string", "null"], "format": "date" })),
        ("datetime", json!({ "type": ["string", "null"], "format": "date-time" })),
        ("email", json!({ "type": ["string", "null"], "format": "email", "maxLength": 254 })),
        ("url", json!({ "type": ["string", "null"], "format": "uri", "maxLength": 2048 })),
        ("single_select", json!({ "type": ["string", "null"], "enum": ["red", "green", null] })),
        (
            "multi_select",
            json!({ "type": ["array", "null"], "items": { "type": "string", "enum": ["red", "green"] }, "uniqueItems": true }),
        ),
        ("json", json!({ "type": ["object", "array", "string", "number", "boolean", "null"] })),
        ("uuid", json!({ "type": ["string", "null"], "format": "uuid" })),
        ("link", json!({ "type": ["string", "null"], "format": "uuid" })),
        (
            "file",
            json!({ "type": ["array", "null"], "maxItems": 100, "items": { "anyOf": [
                { "type": "string", "format": "uuid" },
                { "type": "object", "required": ["id"], "properties": {
                    "id": { "type": "string", "format": "uuid" },
                    "name": { "type": "string", "minLength": 1, "maxLength": 255 },
                    "size": { "type": "integer", "minimum": 1 },
                    "content_type": { "type": "string" },
                    "url": { "type": "string", "format": "uri" }
                } }
            ] } }),
        ),
    ];
    assert_eq!(expected.len(), FieldType::ALL.len());
    for (name, schema) in expected {
        let mut actual = specimen[name].clone();
        actual.as_object_mut().map(|object| object.remove("description"));
        assert_eq!(actual, schema, "{name}");
    }

    let paths = &document["paths"];
    let list = &paths["/v1/tables/customers/records"]["get"];
    assert_eq!(list["operationId"], "customers_listRecords");
    assert_eq!(
        list["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/customers_RecordList"
    );
    assert_eq!(list["responses"]["400"]["$ref"], "#/components/responses/listRecords.400", "typed copies share errors");
    let parameters = &document["components"]["parameters"];
    let filter_ref = json!({ "$ref": "#/components/parameters/customers_Filter" });
    assert!(list["parameters"].as_array().expect("parameters").contains(&filter_ref));
    let filter = parameters["customers_Filter"]["schema"]["properties"].clone();
    assert!(filter["email"]["properties"]["starts_with"].is_object());
    assert!(filter["status"]["properties"]["gt"].is_null(), "selects have no order");
    assert!(filter["created_at"]["properties"]["between"].is_object());
    let create = &paths["/v1/tables/customers/records"]["post"]["requestBody"]["content"]["application/json"];
    assert_eq!(create["schema"]["$ref"], "#/components/schemas/customers_Create");
    assert_eq!(schemas["customers_Create"]["properties"]["values"]["$ref"], "#/components/schemas/customers_Values");
    assert_eq!(parameters["customers_Unique"]["schema"]["enum"], json!(["email"]));
    assert!(parameters["notes_Unique"].is_null(), "no unique field, no `unique` parameter");
    let notes_upsert = paths["/v1/tables/notes/records:batchUpsert"]["post"]["parameters"].to_string();
    assert!(!notes_upsert.contains("Unique"), "{notes_upsert}");
    assert_eq!(parameters["customers_Fields"]["schema"]["items"]["enum"][3], "name");
    for (path, method, _) in declared().filter(|(path, ..)| path.starts_with("/v1/tables/")) {
        let concrete = path.replace("{tableId}", "specimens");
        assert!(paths[concrete.as_str()][method.as_str()].is_object(), "{method} {concrete}");
        assert!(paths[path][method.as_str()].is_object(), "the generic {method} {path} stays");
    }
    assert_eq!(document["info"]["version"], "1+catalog.7");
}

#[test]
fn odd_table_names_fall_back_to_ids() {
    let mut catalog = catalog();
    catalog.tables[0].name = "Kunden-Liste".to_owned();
    let document = base_document("/", &catalog);
    check_structure(&document);
    let id = "00000000-0000-0000-0000-000000000002";
    assert!(document["paths"][format!("/v1/tables/{id}/records").as_str()]["get"].is_object());
    assert!(document["components"]["schemas"]["table_00000000000000000000000000000002_Record"].is_object());
}
