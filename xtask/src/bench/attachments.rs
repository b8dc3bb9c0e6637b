//! `cargo xtask bench attachments`: a page of 100 records with two attachments each, whose
//! download addresses the origin signs on every read, beside the same page of a table that
//! holds the same descriptors in a JSON field (nothing to sign), both through the native
//! edge in the same run: the ratio is what signing and walking the answer cost.

use super::{Load, Row, Scenario, Servers, api_call, psql, sign_in, wrk};
use crate::stack::Stack;
use anyhow::Context;
use std::path::Path;

pub(super) fn attachments(
    stack: &Stack,
    fixture: &serde_json::Value,
    workdir: &Path,
    bearer: &str,
    load: Load,
) -> anyhow::Result<Vec<Row>> {
    let access = sign_in(fixture)?;
    let base = fixture["base_id"].as_str().context("fixture base id")?;
    for (name, field_type) in [("gallery", "file"), ("gallery_plain", "json")] {
        let table = serde_json::json!({"name": name, "fields": [
            {"name": "title", "type": "text"}, {"name": "photos", "type": field_type}]});
        api_call("POST", &format!("/api/v1/bases/{base}/tables"), Some(&access), table)?;
    }
    let catalog = super::base_catalog(stack, base)?;
    let physical = |name: &str| -> anyhow::Result<(String, String, String)> {
        let table = catalog.table(name).context("a bench table")?;
        let column = |field: &str| -> anyhow::Result<String> {
            Ok(shared::lower::quote_ident(&table.field(field).context("a bench field")?.id.column_name()))
        };
        Ok((shared::lower::qualified_table(catalog.base_id, table.id), column("title")?, column("photos")?))
    };
    let ((gallery, title, photos), (plain, plain_title, plain_photos)) =
        (physical("gallery")?, physical("gallery_plain")?);
    println!("xtask: bench attachments: 100 records with 2 attachments each, in a file field and in a JSON field");
    psql(
        stack,
        "nc_admin",
        "nc_data",
        &format!(
            "INSERT INTO {gallery} ({title}, {photos}) SELECT 'Photo ' || n, jsonb_build_array(\
             jsonb_build_object('id', gen_random_uuid()::text, 'name', 'photo-' || n || '-front.jpg', 'size', 182044, \
             'content_type', 'image/jpeg'), jsonb_build_object('id', gen_random_uuid()::text, 'name', 'photo-' || n \
             || '-back.jpg', 'size', 176322, 'content_type', 'image/jpeg')) FROM generate_series(1, 100) n; \
             INSERT INTO {plain} ({plain_title}, {plain_photos}) SELECT {title}, {photos} FROM {gallery}; \
             ANALYZE {gallery}; ANALYZE {plain};"
        ),
    )?;
    let page = |name: &'static str, table: &str| Scenario {
        name,
        method: "GET",
        path: format!("/v1/tables/{table}/records?limit=100"),
        body: None,
        baseline_sql: None,
        refused: false,
        lua: None,
    };
    let servers = Servers::product(stack.edge.pid(), stack);
    let signed =
        wrk(workdir, super::PORTS.edge, &page("list_100_attachments_signed", "gallery"), bearer, load, &servers)?;
    let plain = wrk(
        workdir,
        super::PORTS.edge,
        &page("list_100_attachments_as_json", "gallery_plain"),
        bearer,
        load,
        &servers,
    )?;
    let note = format!("{:.1}% of the JSON field's page", 100.0 * signed.rps / plain.rps);
    Ok(vec![
        Row { note, ..Row::measured("list 100 records, 200 attachments signed, via native".into(), &signed, None) },
        Row::measured("the same descriptors in a JSON field (nothing signed), via native".into(), &plain, None),
    ])
}
