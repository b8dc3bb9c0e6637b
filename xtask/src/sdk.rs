//! `cargo xtask sdk [--check]`: the client SDKs, generated from the API's declaration and
//! its OpenAPI document, and committed.
//!
//! - `sdk/openapi.json`: the generic document, as every edge serves it at `/v1/openapi.json`.
//! - `sdk/typescript/src/schema.ts`: its types, by openapi-typescript (pinned in package.json).
//! - `sdk/typescript/src/operations.ts`: each `operationId`'s method and path, from `shared::api`.
//! - `sdk/python/src/nclcdbaas/_api/`: the typed Python client, by openapi-python-client
//!   (pinned in `sdk/python/requirements-dev.txt`), and `operations.py` like the TypeScript one.
//!
//! With `--check` nothing is written: any difference from the committed files fails, so a
//! change to the API that was not regenerated cannot land.

use crate::tools::command;
use anyhow::{Context, bail};
use std::path::Path;

/// The server URL the committed document names; clients pass their own.
const SERVER: &str = "http://127.0.0.1:8787";

pub fn sdk(root: &Path, args: &[String]) -> anyhow::Result<()> {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => bail!("usage: cargo xtask sdk [--check]"),
    };
    crate::tools::ensure_node(root)?;
    let scratch = root.join(".local/sdk");
    std::fs::create_dir_all(&scratch)?;
    let document = serde_json::to_string_pretty(&openapi::document(SERVER))? + "\n";
    let document_path = scratch.join("openapi.json");
    std::fs::write(&document_path, &document)?;
    let schema_path = scratch.join("schema.ts");
    // A member with a default may be left out of a request: it is not required.
    let generated = command(root.join("node_modules/.bin/openapi-typescript"))
        .arg(&document_path)
        .arg("--default-non-nullable=false")
        .arg("--output")
        .arg(&schema_path)
        .current_dir(root)
        .output()
        .context("run openapi-typescript")?;
    if !generated.status.success() {
        bail!("openapi-typescript failed: {}", String::from_utf8_lossy(&generated.stderr));
    }
    let schema = std::fs::read_to_string(&schema_path)?;
    let mut files = vec![
        ("sdk/openapi.json".to_owned(), document),
        ("sdk/typescript/src/schema.ts".to_owned(), schema),
        ("sdk/typescript/src/operations.ts".to_owned(), operations_ts()),
        ("sdk/python/src/nclcdbaas/operations.py".to_owned(), operations_py()),
    ];
    files.extend(python_client(root, &document_path, &scratch)?);
    let mut stale = Vec::new();
    // A generated file that the generator no longer makes is stale too.
    let committed = walk(&root.join(PYTHON_API))?;
    for gone in committed.iter().filter(|path| !files.iter().any(|(made, _)| root.join(made) == **path)) {
        if check {
            stale.push(gone.display().to_string());
        } else {
            std::fs::remove_file(gone)?;
        }
    }
    for (path, text) in &files {
        let path = root.join(path);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
            continue;
        }
        if check {
            stale.push(path.display().to_string());
        } else {
            std::fs::create_dir_all(path.parent().expect("a file in a directory"))?;
            std::fs::write(&path, text)?;
            println!("xtask: wrote {}", path.display());
        }
    }
    if !stale.is_empty() {
        bail!("the SDKs are not generated from this API; run `cargo xtask sdk` and commit: {}", stale.join(", "));
    }
    Ok(())
}

/// Where the generated Python layer is committed.
const PYTHON_API: &str = "sdk/python/src/nclcdbaas/_api";

/// The files openapi-python-client makes from the document: path in the repository, text.
fn python_client(root: &Path, document: &Path, scratch: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let venv = crate::tools::python_venv(&root.join("sdk/python/requirements-dev.txt"))?;
    let out = scratch.join("python_api");
    let _ = std::fs::remove_dir_all(&out);
    let path = format!("{}:{}", venv.join("bin").display(), std::env::var("PATH").unwrap_or_default());
    let generated = command(venv.join("bin/openapi-python-client"))
        .args(["generate", "--meta", "none", "--config"])
        .arg(root.join("sdk/python/generator.yml"))
        .arg("--path")
        .arg(document)
        .arg("--output-path")
        .arg(&out)
        .env("PATH", path)
        .output()
        .context("run openapi-python-client")?;
    if !generated.status.success() {
        bail!(
            "openapi-python-client failed:\n{}{}",
            String::from_utf8_lossy(&generated.stdout),
            String::from_utf8_lossy(&generated.stderr)
        );
    }
    let mut files = Vec::new();
    for file in walk(&out)? {
        let relative = file.strip_prefix(&out).expect("under the output").display().to_string();
        files.push((format!("{PYTHON_API}/{relative}"), std::fs::read_to_string(&file)?));
    }
    Ok(files)
}

/// Every file under `dir` (none if it does not exist), sorted.
fn walk(dir: &Path) -> anyhow::Result<Vec<std::path::PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&next) else { continue };
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                // Caches of the formatter and of Python are not generated code.
                if path
                    .file_name()
                    .is_some_and(|name| name != "__pycache__" && !name.to_string_lossy().starts_with('.'))
                {
                    pending.push(path);
                }
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

fn operations_py() -> String {
    let mut text = String::from(
        "\"\"\"Generated by `cargo xtask sdk` from the API's declaration (shared::api); do not edit.\"\"\"\n\n\
         # Each operation's method and path template, by its operationId.\n\
         OPERATIONS = {\n",
    );
    for operation in shared::api::OPERATIONS {
        text.push_str(&format!(
            "    \"{}\": (\"{}\", \"{}\"),\n",
            operation.name,
            operation.method.as_str(),
            operation.path
        ));
    }
    text.push_str("}\n");
    text
}

fn operations_ts() -> String {
    let mut text = String::from(
        "// Generated by `cargo xtask sdk` from the API's declaration (shared::api); do not edit.\n\n\
         /** Each operation's method and path template, by its `operationId`. */\n\
         export const OPERATIONS = {\n",
    );
    for operation in shared::api::OPERATIONS {
        text.push_str(&format!(
            "  {}: {{ method: \"{}\", path: \"{}\" }},\n",
            operation.name,
            operation.method.as_str().to_ascii_lowercase(),
            operation.path
        ));
    }
    text.push_str("} as const;\n\nexport type OperationId = keyof typeof OPERATIONS;\n");
    text
}
