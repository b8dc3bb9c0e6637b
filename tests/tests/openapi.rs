//! The served OpenAPI documents, checked by an OpenAPI 3.1 validator rather than by eye:
//! `@seriousme/openapi-schema-validator` (pinned in package-lock.json) validates each
//! document against the official 3.1 schema and checks that every `$ref` resolves.

use e2e::{env, get};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::Command;

/// The validator's CLI, installed by `npm ci` (which `cargo xtask test` runs).
fn validator() -> PathBuf {
    // At run time: a test binary shared through `CARGO_TARGET_DIR` may come from another checkout.
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").expect("run through cargo test");
    let path = PathBuf::from(manifest_dir).join("../node_modules/.bin/validate-api");
    assert!(path.exists(), "{} is missing: run `npm ci` in the repository root", path.display());
    path
}

/// Writes `text` to a temporary file and runs the validator on it; fails with its output.
fn assert_valid(name: &str, text: &str) {
    let file = std::env::temp_dir().join(format!("nc-openapi-{}-{name}.json", std::process::id()));
    std::fs::write(&file, text).expect("write the document");
    let output = Command::new(validator()).arg(&file).output().expect("run validate-api");
    let _ = std::fs::remove_file(&file);
    assert!(
        output.status.success(),
        "{name} is not a valid OpenAPI 3.1 document via {}:\n{}{}",
        env().edge_name,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_public_document_validates() {
    let reply = get("/v1/openapi.json", None);
    assert_eq!(reply.status, 200, "{}", reply.text);
    let document = reply.json();
    assert_eq!(document["openapi"], "3.1.0");
    assert_valid("openapi", &reply.text);
}

#[test]
fn the_base_document_validates_and_types_each_table() {
    let reply = get("/v1/meta/openapi.json", Some(env().fixture_str("token_rw")));
    assert_eq!(reply.status, 200, "{}", reply.text);
    let document = reply.json();
    assert_valid("base-openapi", &reply.text);

    let values = &document["components"]["schemas"]["customers_Values"];
    assert_eq!(values["additionalProperties"], false, "{values}");
    assert_eq!(values["required"], json!(["name"]), "{values}");
    let properties = &values["properties"];
    assert_eq!(properties["email"]["format"], "email", "{values}");
    assert_eq!(properties["amount"]["type"], json!(["number", "null"]), "{values}");
    let options: Vec<&Value> =
        properties["status"]["enum"].as_array().expect("status is an enum").iter().filter(|v| !v.is_null()).collect();
    assert_eq!(options, [&json!("active"), &json!("churned"), &json!("trial"), &json!("paused")], "{values}");
    let list = &document["paths"]["/v1/tables/customers/records"]["get"];
    assert_eq!(
        list["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/customers_RecordList",
        "{list}"
    );
}
