//! Several data clusters: the control plane names each base's cluster, the placement
//! policy puts a plan's new bases on the cluster dedicated to it, and every path of a base
//! (records, schema changes, history and undo, the change feed, jobs, archives) reaches
//! the cluster it lives on, while the bases of other tenants stay on the main one.

use e2e::{OwnBase, call, origin_admin, register};
use serde_json::{Value, json};

/// The schemas of a data cluster that hold a base (`b_<id without dashes>`).
fn has_schema(url: &str, base: &str) -> bool {
    let mut client = postgres::Client::connect(url, postgres::NoTls).expect("connect to a data cluster");
    let schema = format!("b_{}", base.replace('-', ""));
    client
        .query_one("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", &[&schema])
        .expect("query the cluster")
        .get(0)
}

fn placement(base: &str) -> String {
    let control = std::env::var("E2E_DATA_URL").expect("E2E_DATA_URL").replace("/nc_data", "/nc_control");
    let mut client = postgres::Client::connect(&control, postgres::NoTls).expect("connect to the control plane");
    let id: uuid::Uuid = base.parse().expect("a base id");
    client
        .query_one("SELECT cluster FROM bases WHERE id = $1::text::uuid", &[&id.to_string()])
        .expect("the base")
        .get(0)
}

#[test]
fn a_plans_bases_live_on_its_cluster_and_every_path_reaches_them() {
    let main = std::env::var("E2E_DATA_URL").expect("E2E_DATA_URL");
    let second = std::env::var("E2E_SECOND_DATA_URL").expect("E2E_SECOND_DATA_URL: run with `cargo xtask test`");
    let owner = register("clustered");
    let plan = e2e::put_on_plan(&owner, &[]);
    let clusters = origin_admin(&["cluster", "--name", "second", "--open", "--plan", &plan]);
    let listed = clusters["clusters"].as_array().expect("clusters");
    assert!(listed.iter().any(|cluster| cluster["name"] == "second" && cluster["plan"] == plan.as_str()), "{clusters}");

    // The plan's new base goes to its cluster; another tenant's to the main one.
    let (base, token) = e2e::base_with_token(&owner, "placed");
    assert_eq!(placement(&base), "second");
    assert!(has_schema(&second, &base) && !has_schema(&main, &base), "the schema is on the second cluster only");
    let elsewhere = OwnBase::new("unplaced");
    assert_eq!(placement(&elsewhere.base), "main");
    assert!(has_schema(&main, &elsewhere.base) && !has_schema(&second, &elsewhere.base));

    // Schema changes and records.
    let schema = |method: &str, path: &str, body: Value| {
        let reply = e2e::manage(method, &format!("/bases/{base}{path}"), Some(&owner.access), Some(&body));
        assert!(reply.status < 300, "{method} {path}: {}", reply.text);
        reply.json()
    };
    schema(
        "POST",
        "/tables",
        json!({"name": "people", "fields": [{"name": "name", "type": "text"}, {"name": "age", "type": "number"}]}),
    );
    let create = |name: &str, age: i64| {
        let reply = call(
            "POST",
            "/v1/tables/people/records",
            &token,
            &[],
            Some(&json!({"values": {"name": name, "age": age}})),
        );
        assert_eq!(reply.status, 201, "{}", reply.text);
        reply.json()["id"].as_str().expect("id").to_owned()
    };
    let ada = create("Ada", 36);
    create("Grace", 45);
    let page = call("GET", "/v1/tables/people/records?sort=age:desc&filter[age][gte]=40", &token, &[], None).json();
    assert_eq!(page["data"].as_array().map(Vec::len), Some(1), "{page}");
    assert_eq!(page["data"][0]["values"]["name"], "Grace");
    let got = call("GET", &format!("/v1/tables/people/records/{ada}"), &token, &[], None);
    let etag = got.header("etag").expect("an ETag").to_owned();
    let updated = call(
        "PATCH",
        &format!("/v1/tables/people/records/{ada}"),
        &token,
        &[("if-match", &etag)],
        Some(&json!({"values": {"age": 37}})),
    );
    assert_eq!(updated.status, 200, "{}", updated.text);
    schema("POST", "/tables/people/fields", json!({"name": "email", "type": "email"}));
    let mut data = postgres::Client::connect(&second, postgres::NoTls).expect("the second cluster");
    let rows: i64 = data
        .query_one(&format!("SELECT count(*) FROM \"b_{}\".\"_changes\"", base.replace('-', "")), &[])
        .expect("the change log")
        .get(0);
    assert_eq!(rows, 3, "the change log is on the base's cluster");

    // The history, and an undo of the update.
    let history =
        e2e::manage("GET", &format!("/bases/{base}/tables/people/history?record={ada}"), Some(&owner.access), None)
            .json();
    assert_eq!(history["data"][0]["after"]["values"]["age"], 37, "{history}");
    let seq = history["data"][0]["seq"].as_i64().expect("seq");
    let reverted =
        e2e::manage("POST", &format!("/bases/{base}/tables/people/history/{seq}/revert"), Some(&owner.access), None);
    assert_eq!(reverted.status, 200, "{}", reverted.text);

    // The change feed: a poll from a list's position sees the next write.
    let list = call("GET", "/v1/tables/people/records", &token, &[], None).json();
    let position = list["position"].as_str().expect("a position").to_owned();
    let hopper = create("Hopper", 85);
    let polled =
        call("GET", &format!("/v1/tables/people/events:poll?after={position}&wait=5"), &token, &[], None).json();
    let ids: Vec<&str> =
        polled["data"].as_array().expect("events").iter().filter_map(|event| event["id"].as_str()).collect();
    assert!(ids.contains(&hopper.as_str()), "{polled}");

    // Jobs: a CSV import runs on the base's cluster.
    let import =
        call("POST", "/v1/tables/people/import:csv", &token, &[], Some(&json!({"csv": "name,age\nLin,29\nMo,31\n"})));
    assert_eq!(import.status, 202, "{}", import.text);
    let job = e2e::finished_job(&owner, &base, import.json()["id"].as_str().expect("job id"));
    assert_eq!(
        (job["state"].as_str(), job["progress"]["rows_written"].as_i64()),
        (Some("succeeded"), Some(2)),
        "{job}"
    );

    // A clone of it lands on the plan's cluster too, with every record.
    let cloning =
        e2e::manage("POST", &format!("/bases/{base}/clone"), Some(&owner.access), Some(&json!({"name": "copy"})));
    assert_eq!(cloning.status, 202, "{}", cloning.text);
    let cloning = cloning.json();
    let copy = cloning["base"]["id"].as_str().expect("base").to_owned();
    let job = e2e::finished_job(&owner, &copy, cloning["job"]["id"].as_str().expect("job"));
    assert_eq!(job["state"], "succeeded", "{job}");
    assert_eq!(job["result"]["restored"]["records"], 5, "{job}");
    assert_eq!(placement(&copy), "second");

    // Deleting it leaves the main cluster alone.
    let deleted = e2e::manage("DELETE", &format!("/bases/{copy}"), Some(&owner.access), None);
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    let still = call("GET", "/v1/tables/people/records?limit=1", &token, &[], None);
    assert_eq!(still.status, 200, "{}", still.text);
}
