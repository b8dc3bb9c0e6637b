//! The edge core's own cost per request: `edge::handle` end to end on `InMemory`, the
//! host whose I/O answers at once (a map for the key-value store, the in-memory limiter),
//! with an origin that answers each operation from fixed bodies. What is left is the edge's work: routing,
//! authentication, the catalog, compiling, signing, admission and the response. Run with
//! `cargo bench -p edge`; under a profiler, `--profile-time 5 <name>`.

use criterion::{Criterion, criterion_group, criterion_main};
use edge::in_memory::{self, InMemory};
use edge::{BaseId, OriginRequest, OriginResponse};
use shared::catalog::{Catalog, Field, FieldType, Table};
use shared::ids::{FieldId, TableId, TokenId};
use shared::token::{Scope, TokenRecord};
use shared::usage::{QuotaStatus, RateLimit};
use uuid::Uuid;

const TOKEN_ID: u128 = 3;
const SECRET: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const RECORD_ID: &str = "a4a80230-d814-42e7-9164-0b9d504016d4";

fn catalog() -> Catalog {
    let fields = [
        ("name", FieldType::Text),
        ("email", FieldType::Text),
        ("amount", FieldType::Number),
        ("active", FieldType::Boolean),
        ("signed_up_at", FieldType::Datetime),
        ("status", FieldType::Text),
    ];
    Catalog {
        base_id: BaseId(Uuid::from_u128(1)),
        version: 7,
        tables: vec![Table::new(
            TableId(Uuid::from_u128(2)),
            "customers",
            fields
                .iter()
                .enumerate()
                .map(|(i, (name, field_type))| Field::new(FieldId(Uuid::from_u128(10 + i as u128)), name, *field_type))
                .collect(),
        )],
    }
}

/// The origin's answers, from fixed bodies: the token, the catalog, the quota, one record
/// and a list of 100.
fn origin() -> impl Fn(OriginRequest) -> Result<OriginResponse, String> {
    let token = TokenRecord {
        token_id: TokenId(Uuid::from_u128(TOKEN_ID)),
        base_id: BaseId(Uuid::from_u128(1)),
        scopes: vec![Scope::Read, Scope::Write],
        secret_sha256: hex::encode(shared::token::sha256(SECRET.as_bytes())),
        expires_at: None,
        rate_limit: RateLimit { requests: 1_000_000_000, window_seconds: 60 },
        name: "bench".to_owned(),
    };
    let record = format!(
        r#"{{"id":"{RECORD_ID}","values":{{"name":"Initech","email":"contact@initech.com","amount":1250.5,"active":true,"signed_up_at":"2025-10-27T12:01:12+00:00","status":"trial"}},"created_at":"2025-10-27T12:01:12.123456+00:00","updated_at":"2025-10-27T12:01:12.123456+00:00"}}"#
    );
    let list = format!(r#"{{"data":[{}],"next_cursor":null,"has_more":false}}"#, vec![record.as_str(); 100].join(","));
    let (catalog, token) = (serde_json::to_vec(&catalog()).expect("json"), serde_json::to_vec(&token).expect("json"));
    let (record, list) = (record.into_bytes(), list.into_bytes());
    move |request: OriginRequest| {
        // The operation by its tag, without parsing the envelope: this host's own cost
        // should not count as the edge's.
        let has = |needle: &[u8]| request.body.windows(needle.len()).any(|window| window == needle);
        let (body, etag) = if has(br#""op":"get_record""#) {
            (record.clone(), Some("\"1\""))
        } else if has(br#""op":"list_records""#) {
            (list.clone(), None)
        } else if has(br#""kind":"lookup_token""#) {
            (token.clone(), None)
        } else if has(br#""kind":"load_catalog""#) {
            (catalog.clone(), None)
        } else if has(br#""kind":"quota_status""#) {
            let status = QuotaStatus { monthly_limit: None, used: 0, resets_at_ms: i64::MAX };
            (serde_json::to_vec(&status).expect("json"), None)
        } else {
            return Err(format!("not in this benchmark: {}", String::from_utf8_lossy(&request.body)));
        };
        let header = |name: &str| match name {
            "x-catalog-version" => Some("7".to_owned()),
            "etag" => etag.map(str::to_owned),
            _ => None,
        };
        Ok(OriginResponse::new(200, header, body))
    }
}

fn request(uri: &str) -> http::Request<Vec<u8>> {
    let token = format!("nc_{}_{SECRET}", Uuid::from_u128(TOKEN_ID).simple());
    http::Request::get(uri)
        .header("authorization", format!("Bearer {token}"))
        .header("host", "api.example.com")
        .header("user-agent", "wrk")
        .body(Vec::new())
        .expect("request")
}

fn benches(c: &mut Criterion) {
    let config = in_memory::config();
    let host = InMemory::new(origin());
    let run = |uri: &str| {
        let response = futures_executor::block_on(edge::handle(&host, &config, request(uri)));
        assert_eq!(response.status(), 200, "{}", String::from_utf8_lossy(response.body().full().unwrap_or_default()));
        response
    };
    let get = format!("/v1/tables/customers/records/{RECORD_ID}");
    let list = "/v1/tables/customers/records?limit=100&filter[status][eq]=trial";
    // Warm: the token, catalog and quota are cached from here on, as on a busy edge.
    run(&get);
    c.bench_function("edge/get_by_id", |b| b.iter(|| run(&get)));
    c.bench_function("edge/list_100", |b| b.iter(|| run(list)));
    let preflight = || {
        let request = http::Request::builder().method("OPTIONS").uri("/v1/tables/customers/records");
        futures_executor::block_on(edge::handle(&host, &config, request.body(Vec::new()).expect("request")))
    };
    c.bench_function("edge/options", |b| b.iter(preflight));
}

criterion_group!(edge_benches, benches);
criterion_main!(edge_benches);
