//! Contract tests: schemathesis generates requests from the documents this edge serves and
//! checks every answer against them (status, headers, body schema); an undocumented answer
//! fails. It works on an account of its own, on a plan whose limits it cannot reach, so
//! that what it creates or deletes touches nothing the other suites use.

use e2e::{Account, base_with_token, env, get, manage, put_on_plan, register, send};
use serde_json::{Value, json};

/// With the fixed seed, every run sends the same requests.
const SEED: &str = "20261203";

/// The records API: every phase, 20 cases per operation and phase (about 1,700 requests).
const RECORDS_RUN: &[&str] = &[
    "--phases",
    "examples,coverage,fuzzing",
    "--max-examples",
    "20",
    "--include-tag",
    "Records",
    "--include-tag",
    "Meta",
    "--exclude-operation-id-regex",
    STREAMS,
];

/// The management API: a signed-in user may send 600 requests a minute, so the run keeps
/// under that, with fewer cases (about 600 requests).
const MANAGEMENT_RUN: &[&str] = &[
    "--phases",
    "examples,fuzzing",
    "--max-examples",
    "8",
    "--rate-limit",
    "550/m",
    "--exclude-tag",
    "Records",
    "--exclude-tag",
    "Meta",
    "--exclude-operation-id-regex",
    ANONYMOUS_ONLY,
    "--exclude-operation-id-regex",
    STREAMS,
];

/// Event streams run until they end (seconds to minutes), and a long poll waits up to 20
/// seconds for a change: longer than a generated request may wait; the bulk and events
/// suites test them.
const STREAMS: &str = "^(watchJob|watchRecords|watchView|pollRecords)$";

/// Operations that only an anonymous caller makes: every generated sign-in or
/// registration from this address would count against its sign-in throttle, which the
/// other suites share; the accounts suite covers them.
const ANONYMOUS_ONLY: &str = "^(register|login|refresh|logout)$";

/// Checks left out, each for a reason the document cannot change:
/// `positive_data_acceptance` expects every schema-valid request to succeed, but whether
/// one does depends on the data (an id that names no record, a filter on a value of the
/// wrong type for a field reached through `where`); `use_after_free` and
/// `ensure_resource_availability` follow links the document does not declare;
/// `ignored_auth` sends each case again without credentials, which would spend the
/// allowance of requests without credentials that every suite on this address shares
/// (the records and accounts suites check every route's 401 instead).
const EXCLUDED_CHECKS: &str = "positive_data_acceptance,use_after_free,ensure_resource_availability,ignored_auth";

/// Runs schemathesis on `document`; what it found, when it found something.
fn schemathesis(
    label: &str,
    document: &Value,
    account: &Account,
    base: &str,
    headers: &[String],
    run: &[&str],
) -> Option<String> {
    let dir = std::path::PathBuf::from(std::env::var("E2E_LOG_DIR").expect("E2E_LOG_DIR"))
        .join(format!("contract-{}-{label}", env().edge_name.replace(|c: char| !c.is_alphanumeric(), "-")));
    std::fs::create_dir_all(&dir).expect("report directory");
    let schema = dir.join("openapi.json");
    std::fs::write(&schema, serde_json::to_vec_pretty(document).expect("json")).expect("write the document");
    let program = std::env::var("E2E_SCHEMATHESIS").expect("E2E_SCHEMATHESIS: the schemathesis of the test venv");
    let output = std::process::Command::new(program)
        .arg("--no-color")
        .arg("--config-file")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/contract/schemathesis.toml"))
        .arg("run")
        .arg(&schema)
        .args(["--url", &env().edge_url])
        .args(headers.iter().flat_map(|header| ["--header", header.as_str()]))
        .args(["--checks", "all", "--exclude-checks", EXCLUDED_CHECKS])
        .args(["--mode", "all", "--seed", SEED, "--generation-deterministic"])
        .args(["--generation-with-security-parameters", "false", "--suppress-health-check", "all"])
        .arg("--continue-on-failure")
        .args(["--request-timeout", "30", "--report", "junit", "--report-dir"])
        .arg(&dir)
        .args(run)
        // Its own files (a cache of examples) go beside the report, not into the checkout.
        .current_dir(&dir)
        .env("CONTRACT_WORKSPACE_ID", &account.workspace)
        .env("CONTRACT_BASE_ID", base)
        .output()
        .expect("run schemathesis");
    let text = String::from_utf8_lossy(&output.stdout);
    std::fs::write(dir.join("output.txt"), text.as_bytes()).expect("write the output");
    // A run that tested nothing would pass too: every selected operation must be reached.
    let untested = !text.contains("Tested:") || text.contains("Tested: 0");
    (!output.status.success() || untested).then(|| {
        format!(
            "schemathesis on the {label} document through {} (report in {}):\n{text}\n{}",
            env().edge_name,
            dir.display(),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// An account on a plan without practical limits, with a base holding one table of every
/// field type (a few records in it), and a read-write-delete token of that base.
fn contract_account() -> (Account, String, String) {
    let account = register("contract");
    put_on_plan(&account, &["--rate-limit", "1000000/60", "--monthly", "none"]);
    let (base, token) = base_with_token(&account, "contract");
    let colors = json!(["red", "green", "blue"]);
    let fields = json!([
        {"name": "text", "type": "text"},
        {"name": "long_text", "type": "long_text"},
        {"name": "number", "type": "number"},
        {"name": "boolean", "type": "boolean"},
        {"name": "date", "type": "date"},
        {"name": "datetime", "type": "datetime"},
        {"name": "email", "type": "email"},
        {"name": "url", "type": "url"},
        {"name": "single_select", "type": "single_select", "options": colors},
        {"name": "multi_select", "type": "multi_select", "options": colors},
        {"name": "json", "type": "json"},
        {"name": "uuid", "type": "uuid"},
        {"name": "code", "type": "text", "unique": true},
    ]);
    let created = manage(
        "POST",
        &format!("/bases/{base}/tables"),
        Some(&account.access),
        Some(&json!({"name": "specimens", "fields": fields})),
    );
    assert_eq!(created.status, 201, "{}", created.text);
    for n in 0..3 {
        let body =
            json!({"values": {"text": format!("t{n}"), "number": n, "single_select": "red", "code": format!("c{n}")}});
        let record = send(
            "POST",
            &format!("{}/v1/tables/specimens/records", env().edge_url),
            &[("authorization", &format!("Bearer {token}")), ("content-type", "application/json")],
            Some(&serde_json::to_vec(&body).expect("json")),
        );
        assert_eq!(record.status, 201, "{}", record.text);
    }
    (account, base, token)
}

#[test]
fn every_answer_matches_the_documents() {
    let (account, base, token) = contract_account();
    // The records API, typed per table, with the base's token.
    let base_document = get("/v1/meta/openapi.json", Some(&token));
    assert_eq!(base_document.status, 200, "{}", base_document.text);
    // `X-Base-Id` is the base's: another one is a failed credential, which counts against
    // the address's allowance of requests without credentials.
    let headers = [format!("Authorization: Bearer {token}"), format!("X-Base-Id: {base}")];
    let records = schemathesis("base", &base_document.json(), &account, &base, &headers, RECORDS_RUN);
    // The management API with the account's session.
    let generic = get("/v1/openapi.json", None);
    assert_eq!(generic.status, 200, "{}", generic.text);
    let management = schemathesis(
        "management",
        &generic.json(),
        &account,
        &base,
        &[format!("Authorization: Bearer {}", account.access)],
        MANAGEMENT_RUN,
    );
    let found: Vec<String> = [records, management].into_iter().flatten().collect();
    assert!(found.is_empty(), "{}", found.join("\n\n"));
}
