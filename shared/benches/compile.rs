//! Micro-benchmarks of the pure request path: what the edge spends per request before
//! any I/O (parse, validate + compile, sign), and what the origin spends before SQL
//! runs (verify, lower). Run with `cargo bench -p shared`.

use criterion::{Criterion, criterion_group, criterion_main};
use shared::catalog::{Catalog, Field, FieldType, Table};
use shared::envelope::{Envelope, Op, Principal, VERSION};
use shared::ids::{BaseId, FieldId, TableId, TokenId};
use shared::lower::{WriteContext, lower};
use shared::plan::{compile_create, compile_get, compile_list};
use shared::query::parse_records_query;
use shared::token::Scope;
use std::hint::black_box;
use uuid::Uuid;

fn catalog() -> Catalog {
    let fields = [
        ("name", FieldType::Text, true),
        ("email", FieldType::Text, false),
        ("amount", FieldType::Number, false),
        ("active", FieldType::Boolean, false),
        ("signed_up_at", FieldType::Datetime, false),
        ("status", FieldType::Text, false),
    ];
    Catalog {
        base_id: BaseId(Uuid::from_u128(1)),
        version: 7,
        tables: vec![Table {
            id: TableId(Uuid::from_u128(2)),
            name: "customers".into(),
            fields: fields
                .iter()
                .enumerate()
                .map(|(i, (name, field_type, required))| Field {
                    required: *required,
                    ..Field::new(FieldId(Uuid::from_u128(10 + i as u128)), name, *field_type)
                })
                .collect(),
            aliases: Vec::new(),
            rules: Vec::new(),
            unique: Vec::new(),
            policies: Vec::new(),
            indexes: Vec::new(),
        }],
    }
}

const LIST_QUERY: &str = "limit=100&filter%5Bstatus%5D%5Beq%5D=trial&filter[amount][gte]=10.5";
const CREATE_BODY: &[u8] = br#"{"values":{"name":"Initech","email":"contact@initech.com","amount":1250.50,"active":true,"signed_up_at":"2025-10-27T12:01:12Z","status":"active"}}"#;

fn benches(c: &mut Criterion) {
    let catalog = catalog();
    let table = &catalog.tables[0];
    let key = shared::keys::Keyring::single(&[7u8; 32]);
    c.bench_function("query/parse_list", |b| b.iter(|| parse_records_query(black_box(LIST_QUERY))));
    c.bench_function("plan/compile_get", |b| {
        b.iter(|| compile_get(table, black_box("a4a80230-d814-42e7-9164-0b9d504016d4"), None))
    });
    c.bench_function("plan/parse_and_compile_list", |b| {
        b.iter(|| compile_list(table, &parse_records_query(black_box(LIST_QUERY)).expect("parses"), &key))
    });
    c.bench_function("plan/compile_create", |b| b.iter(|| compile_create(table, black_box(CREATE_BODY))));
    let plan = compile_get(table, "a4a80230-d814-42e7-9164-0b9d504016d4", None).expect("compiles");
    let envelope = Envelope {
        v: VERSION,
        request_id: "req_0123456789abcdef01234567".into(),
        issued_at: 1_700_000_000_000,
        nonce: "00112233445566778899aabbccddeeff".into(),
        traceparent: None,
        op: Op::Records {
            base_id: catalog.base_id,
            catalog_version: catalog.version,
            principal: Principal::Token { token_id: TokenId(Uuid::from_u128(3)), scopes: vec![Scope::Read] },
            plan: plan.clone(),
            idempotency_key: None,
        },
    };
    c.bench_function("sign/serialize_and_sign_envelope", |b| {
        b.iter(|| {
            let bytes = serde_json::to_vec(black_box(&envelope)).expect("json");
            key.sign(&bytes)
        })
    });
    let bytes = serde_json::to_vec(&envelope).expect("json");
    let signature = key.sign(&bytes);
    c.bench_function("sign/verify_and_parse_envelope", |b| {
        b.iter(|| {
            assert!(key.verify(black_box(&bytes), &signature));
            serde_json::from_slice::<Envelope>(&bytes).expect("parses")
        })
    });
    let context = WriteContext { actor: "token:3", request_id: "req_1", caller: &shared::policy::Caller::UNRESTRICTED };
    c.bench_function("lower/get_record", |b| b.iter(|| lower(black_box(&plan), &catalog, &context)));
    let list = compile_list(table, &parse_records_query(LIST_QUERY).expect("parses"), &key).expect("compiles");
    c.bench_function("lower/list_records", |b| b.iter(|| lower(black_box(&list), &catalog, &context)));
    let create = compile_create(table, CREATE_BODY).expect("compiles");
    c.bench_function("lower/create_record", |b| b.iter(|| lower(black_box(&create), &catalog, &context)));
    let catalog_json = serde_json::to_vec(&catalog).expect("json");
    c.bench_function("catalog/parse_cached_catalog", |b| {
        b.iter(|| serde_json::from_slice::<Catalog>(black_box(&catalog_json)).expect("parses"))
    });
}

criterion_group!(compile, benches);
criterion_main!(compile);
