//! Growth of the work a client can ask for: each input at 1×, 2× and 4× its size, so the
//! report shows time growing linearly (2× and 4× the time), never quadratically. Run with
//! `cargo bench -p shared --bench hostile`; BENCHMARKS.md holds the figures.
//!
//! - `body_distinct_keys`: a create whose `values` has distinct keys, up to the edge's
//!   5 MiB body cap (refused: past `MAX_RECORD_KEYS` keys are counted, not kept).
//! - `where_leaves`: a `where` tree of N conditions, up to the parser's byte cap.
//! - `view_definition`: a view with N filters, parameters and allowed filters, up to the
//!   caps of `shared::view` (accepted).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use shared::catalog::{Catalog, Field, FieldType, Table};
use shared::ids::{BaseId, FieldId, TableId};
use shared::plan::{compile_create, compile_list};
use shared::query::parse_records_query;
use shared::view::{ViewSpec, define};
use std::hint::black_box;
use uuid::Uuid;

fn catalog(fields: usize) -> Catalog {
    Catalog {
        base_id: BaseId(Uuid::from_u128(1)),
        version: 1,
        tables: vec![Table {
            id: TableId(Uuid::from_u128(2)),
            name: "things".into(),
            fields: (0..fields)
                .map(|n| Field::new(FieldId(Uuid::from_u128(100 + n as u128)), &format!("f{n}"), FieldType::Number))
                .collect(),
            aliases: Vec::new(),
            rules: Vec::new(),
            unique: Vec::new(),
            policies: Vec::new(),
            indexes: Vec::new(),
        }],
    }
}

/// `{"values":{"k0":1,"k1":1,…}}` of about `bytes` bytes.
fn body_of_distinct_keys(bytes: usize) -> Vec<u8> {
    let mut body = String::from(r#"{"values":{"#);
    let mut n = 0;
    while body.len() + 16 < bytes {
        if n > 0 {
            body.push(',');
        }
        body.push_str(&format!(r#""k{n}":1"#));
        n += 1;
    }
    body.push_str("}}");
    body.into_bytes()
}

/// `where={"or":[…N conditions…]}`, percent-encoded as a client sends it.
fn where_of(leaves: usize) -> String {
    let leaf = "%7B%22field%22%3A%22f0%22%2C%22op%22%3A%22gt%22%2C%22value%22%3A1%7D";
    format!("where=%7B%22or%22%3A%5B{}%5D%7D", vec![leaf; leaves].join("%2C"))
}

/// A view of `n` filters (each on its own parameter) and `2n` allowed filters.
fn view_of(n: usize) -> ViewSpec {
    let fields: Vec<String> = (0..2 * n).map(|i| format!("f{i}")).collect();
    serde_json::from_value(serde_json::json!({
        "name": "v",
        "table": "things",
        "fields": fields,
        "filters": (0..n).map(|i| serde_json::json!({"field": format!("f{i}"), "op": "gt", "value": {"param": format!("p{i}")}})).collect::<Vec<_>>(),
        "params": (0..n).map(|i| serde_json::json!({"name": format!("p{i}"), "type": "number", "when_absent": "no_filter"})).collect::<Vec<_>>(),
        "allowed_filters": fields.iter().map(|field| serde_json::json!({"field": field, "ops": ["eq", "gt", "lt"]})).collect::<Vec<_>>(),
        "allowed_sorts": fields,
    }))
    .expect("a view spec")
}

fn hostile(c: &mut Criterion) {
    let big = catalog(64);
    let table = &big.tables[0];
    let key = shared::keys::Keyring::single(&[7u8; 32]);
    let mut group = c.benchmark_group("hostile/body_distinct_keys");
    for (scale, bytes) in [(1, 5 << 18), (2, 5 << 19), (4, 5 << 20)] {
        let body = body_of_distinct_keys(bytes);
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(format!("{scale}x")), &body, |b, body| {
            b.iter(|| compile_create(table, black_box(body)).expect_err("too many keys"))
        });
    }
    group.finish();
    let mut group = c.benchmark_group("hostile/where_leaves");
    // All under the parser's byte cap, so each is parsed whole (the 2x and 4x trees are then
    // refused at the condition cap).
    for (scale, leaves) in [(1, 50), (2, 100), (4, 200)] {
        let raw = where_of(leaves);
        group.throughput(Throughput::Elements(leaves as u64));
        group.bench_with_input(BenchmarkId::from_parameter(format!("{scale}x")), &raw, |b, raw| {
            b.iter(|| match parse_records_query(black_box(raw)) {
                Ok(query) => compile_list(table, &query, &key).err(),
                Err(error) => panic!("a tree under the byte cap parses: {error}"),
            })
        });
    }
    group.finish();
    let mut group = c.benchmark_group("hostile/view_definition");
    for (scale, n) in [(1, 8), (2, 16), (4, 32)] {
        let spec = view_of(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(format!("{scale}x")), &spec, |b, spec| {
            b.iter(|| define(&big, black_box(spec)).expect("a view at the caps is accepted"))
        });
    }
    group.finish();
}

criterion_group!(benches, hostile);
criterion_main!(benches);
