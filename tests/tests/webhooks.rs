//! Webhooks, end to end: endpoints managed through the edge, deliveries verified by the
//! Standard Webhooks reference library (tests/webhooks/receiver.mjs, on Node), a
//! receiver taken down and up again, an endpoint disabled after failing and turned on
//! again, and delivering origins killed mid-delivery without losing a change.
//!
//! The test stack's origin delivers nothing (`NC_WEBHOOK_WORKERS=0`): each test runs the
//! delivering origins it needs (`E2E_ORIGIN_BIN`), one test at a time, so that it knows
//! which origin sent what and may kill it.

use e2e::{OwnBase, OwnOrigin, call, wait_until};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashSet};
use std::io::BufRead;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One test at a time: a delivering origin sends every base's deliveries.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// An origin that delivers webhooks, to loopback receivers, retrying after 250 ms, 500 ms…
fn delivering_origin(variables: &[(&str, &str)]) -> OwnOrigin {
    let mut all = vec![
        ("NC_WEBHOOK_WORKERS", "4"),
        ("NC_WEBHOOK_PRIVATE_TARGETS", "loopback"),
        ("NC_WEBHOOK_RETRY_BASE", "250ms"),
        ("NC_WEBHOOK_TIMEOUT", "2s"),
    ];
    all.extend_from_slice(variables);
    e2e::spawn_origin(&all)
}

/// The Node receiver, verifying with the endpoint's secret once it has it.
struct Receiver {
    child: std::process::Child,
    port: u16,
}

impl Receiver {
    fn start(port: u16) -> Receiver {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/webhooks/receiver.mjs");
        let mut child = std::process::Command::new("node")
            .arg(script)
            .arg(port.to_string())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start the receiver (node)");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("stdout");
        std::io::BufReader::new(stdout).read_line(&mut line).expect("the receiver's port");
        let port = serde_json::from_str::<Value>(&line).expect("JSON")["port"].as_u64().expect("port") as u16;
        Receiver { child, port }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hook", self.port)
    }

    fn post(&self, path: &str, body: Value) {
        let url = format!("http://127.0.0.1:{}{path}", self.port);
        let reply = e2e::send("POST", &url, &[("content-type", "application/json")], Some(body.to_string().as_bytes()));
        assert_eq!(reply.status, 200, "{}", reply.text);
    }

    fn verify_with(&self, secret: &str) {
        self.post("/secret", json!({ "secret": secret }));
    }

    fn received(&self) -> Value {
        let reply = e2e::send("GET", &format!("http://127.0.0.1:{}/received", self.port), &[], None);
        assert_eq!(reply.status, 200, "{}", reply.text);
        let received = reply.json();
        assert_eq!(received["rejected"], json!([]), "every delivery verifies");
        received
    }

    /// The verified deliveries the receiver answered 2xx, by `webhook-id`, each the
    /// number of times it came.
    fn accepted(&self) -> BTreeMap<String, (usize, Value)> {
        let mut accepted = BTreeMap::new();
        for delivery in self.received()["verified"].as_array().expect("verified") {
            if delivery["answered"].as_u64().is_some_and(|status| (200..300).contains(&status)) {
                let entry = accepted
                    .entry(delivery["id"].as_str().expect("webhook-id").to_owned())
                    .or_insert((0, delivery["payload"].clone()));
                entry.0 += 1;
            }
        }
        accepted
    }

    /// Waits until `count` distinct changes were accepted.
    fn wait_for(&self, count: usize, what: &str) -> BTreeMap<String, (usize, Value)> {
        let started = Instant::now();
        loop {
            let accepted = self.accepted();
            if accepted.len() >= count {
                return accepted;
            }
            assert!(started.elapsed() < Duration::from_secs(30), "{what}: {} of {count} arrived", accepted.len());
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A base with an `items` table (`name`, `qty`).
fn base(label: &str) -> OwnBase {
    let own = OwnBase::new(label);
    let fields = json!([{"name": "name", "type": "text"}, {"name": "qty", "type": "number"}]);
    let table = own.schema("POST", "/tables", json!({"name": "items", "fields": fields}));
    assert_eq!(table.status, 201, "{}", table.text);
    own
}

/// Creates an endpoint; the answer, with its secret.
fn endpoint(own: &OwnBase, body: Value) -> Value {
    let created = own.schema("POST", "/webhooks", body);
    assert_eq!(created.status, 201, "{}", created.text);
    created.json()
}

fn update(own: &OwnBase, id: &str, values: Value) {
    let reply =
        call("PATCH", &format!("/v1/tables/items/records/{id}"), &own.token, &[], Some(&json!({ "values": values })));
    assert_eq!(reply.status, 200, "{}", reply.text);
}

fn deliveries(own: &OwnBase, webhook: &str) -> Vec<Value> {
    let reply = own.schema("GET", &format!("/webhooks/{webhook}/deliveries?limit=100"), Value::Null);
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()["data"].as_array().expect("deliveries").clone()
}

fn webhook_state(own: &OwnBase, webhook: &str) -> Value {
    let list = own.schema("GET", "/webhooks", Value::Null);
    assert_eq!(list.status, 200, "{}", list.text);
    list.json()["data"]
        .as_array()
        .expect("webhooks")
        .iter()
        .find(|hook| hook["id"] == webhook)
        .cloned()
        .expect("the webhook")
}

#[test]
fn endpoints_are_checked_and_their_secret_is_shown_once() {
    let own = base("hooks-manage");
    let refused = |body: Value, field: &str| {
        let reply = own.schema("POST", "/webhooks", body);
        let body = reply.assert_error(422, "VALIDATION_ERROR");
        assert_eq!(body["error"]["details"]["field"], field, "{}", reply.text);
    };
    refused(json!({"name": "x", "url": "http://10.1.2.3/hook"}), "url");
    refused(json!({"name": "x", "url": "http://169.254.169.254/latest/meta-data"}), "url");
    refused(json!({"name": "x", "url": "http://user:pw@127.0.0.1:9/"}), "url");
    refused(json!({"name": "x", "url": "ftp://127.0.0.1/"}), "url");
    refused(json!({"name": "x", "url": "http://127.0.0.1:9/", "events": []}), "events");
    refused(
        json!({"name": "x", "url": "http://127.0.0.1:9/", "filter": {"field": "qty", "op": "gt", "value": 1}}),
        "filter",
    );
    refused(
        json!({"name": "x", "url": "http://127.0.0.1:9/", "tables": ["items"],
               "filter": {"field": "name", "op": "contains", "value": "a"}}),
        "filter",
    );
    let unknown =
        own.schema("POST", "/webhooks", json!({"name": "x", "url": "http://127.0.0.1:9/", "tables": ["nope"]}));
    unknown.assert_error(404, "TABLE_NOT_FOUND");
    let created = endpoint(
        &own,
        json!({"name": "Big orders", "url": "http://127.0.0.1:9/hook", "tables": ["items"], "events": ["record.created"],
               "filter": {"field": "qty", "op": "gte", "value": 10}}),
    );
    let secret = created["secret"].as_str().expect("secret");
    assert!(secret.starts_with("whsec_") && secret.len() > 40, "{secret}");
    let id = created["id"].as_str().expect("id");
    let listed = own.schema("GET", "/webhooks", Value::Null);
    assert!(!listed.text.contains(&secret[6..]), "the list never shows the secret");
    assert_eq!(webhook_state(&own, id)["events"], json!(["record.created"]));
    let rotated = own.schema("POST", &format!("/webhooks/{id}/secret"), Value::Null);
    assert_eq!(rotated.status, 200, "{}", rotated.text);
    assert_ne!(rotated.json()["secret"], created["secret"], "a new secret");
    let patched = own.schema("PATCH", &format!("/webhooks/{id}"), json!({"enabled": false, "filter": null}));
    assert_eq!(patched.status, 200, "{}", patched.text);
    assert_eq!((patched.json()["enabled"].clone(), patched.json()["filter"].clone()), (json!(false), Value::Null));
    assert!(patched.json()["disabled_reason"].as_str().is_some_and(|reason| reason.starts_with("Turned off by user:")));
    own.schema("PATCH", &format!("/webhooks/{id}"), json!({})).assert_error(400, "INVALID_REQUEST");
    let other = OwnBase::new("hooks-other");
    let foreign = other.schema("DELETE", &format!("/webhooks/{id}"), Value::Null);
    foreign.assert_error(404, "NOT_FOUND");
    let deleted = own.schema("DELETE", &format!("/webhooks/{id}"), Value::Null);
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    assert_eq!(own.schema("GET", "/webhooks", Value::Null).json()["data"], json!([]));
}

#[test]
fn deliveries_are_signed_filtered_and_in_order_per_record() {
    let _serial = serial();
    let _origin = delivering_origin(&[]);
    let receiver = Receiver::start(0);
    let own = base("hooks-deliver");
    let all = endpoint(&own, json!({"name": "all", "url": receiver.url()}));
    receiver.verify_with(all["secret"].as_str().expect("secret"));
    // A second endpoint, with a receiver of its own, takes only big new items.
    let big_receiver = Receiver::start(0);
    let filtered = endpoint(
        &own,
        json!({"name": "big", "url": big_receiver.url(), "tables": ["items"],
               "events": ["record.created"], "filter": {"field": "qty", "op": "gte", "value": 100}}),
    );
    big_receiver.verify_with(filtered["secret"].as_str().expect("secret"));
    let first = own.created("items", json!({"name": "first", "qty": 1}));
    let second = own.created("items", json!({"name": "second", "qty": 2}));
    for qty in 3..=12 {
        update(&own, &first, json!({ "qty": qty }));
    }
    let deleted = call("DELETE", &format!("/v1/tables/items/records/{second}"), &own.token, &[], None);
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    let accepted = receiver.wait_for(13, "every change of the base");
    assert_eq!(accepted.len(), 13, "one message per change: {accepted:?}");
    let payloads: Vec<&Value> = accepted.values().map(|(_, payload)| payload).collect();
    let of =
        |id: &str| -> Vec<&Value> { payloads.iter().copied().filter(|payload| payload["data"]["id"] == id).collect() };
    let firsts = of(&first);
    assert_eq!(firsts.len(), 11);
    let created = firsts.iter().find(|payload| payload["type"] == "record.created").expect("the creation");
    assert_eq!(created["data"]["table"], "items");
    assert_eq!(created["data"]["record"]["values"]["name"], "first");
    assert_eq!(created["data"]["previous"], Value::Null);
    let last = firsts.iter().find(|payload| payload["data"]["record"]["values"]["qty"] == 12).expect("the last update");
    assert_eq!(last["type"], "record.updated");
    assert_eq!(last["data"]["changed_fields"], json!(["qty"]));
    assert_eq!(last["data"]["previous"]["values"]["qty"], json!(11));
    assert!(last["data"]["actor"].as_str().is_some_and(|actor| actor.starts_with("token:")), "{last}");
    let seconds = of(&second);
    let kinds: Vec<&str> = seconds.iter().map(|payload| payload["type"].as_str().expect("type")).collect();
    assert!(kinds.contains(&"record.deleted") && kinds.contains(&"record.created"), "{kinds:?}");
    let gone = seconds.iter().find(|payload| payload["type"] == "record.deleted").expect("the deletion");
    assert_eq!(
        (gone["data"]["record"].clone(), gone["data"]["previous"]["values"]["name"].clone()),
        (Value::Null, json!("second"))
    );
    // In order per record: the receiver got the first record's updates as they were made.
    let arrived: Vec<i64> = receiver.received()["verified"]
        .as_array()
        .expect("verified")
        .iter()
        .filter(|delivery| delivery["payload"]["data"]["id"] == first.as_str())
        .filter_map(|delivery| delivery["payload"]["data"]["record"]["values"]["qty"].as_i64())
        .collect();
    let mut sorted = arrived.clone();
    sorted.dedup();
    let expected: Vec<i64> = std::iter::once(1).chain(3..=12).collect();
    assert_eq!(sorted, expected, "in order, each once: {arrived:?}");
    // The log says the same: every delivery delivered at its first attempt.
    let log = deliveries(&own, all["id"].as_str().expect("id"));
    assert_eq!(log.len(), 13);
    for delivery in &log {
        assert_eq!(delivery["state"], "delivered", "{delivery}");
        assert_eq!(delivery["attempts"][0]["status"], 200, "{delivery}");
        assert!(delivery["attempts"][0]["latency_ms"].as_i64().is_some());
        assert!(accepted.contains_key(delivery["message_id"].as_str().expect("message id")), "{delivery}");
    }
    // Only the big new item reaches the filtered endpoint.
    let filtered_id = filtered["id"].as_str().expect("id");
    assert!(deliveries(&own, filtered_id).is_empty());
    own.created("items", json!({"name": "big", "qty": 500}));
    update(&own, &first, json!({ "qty": 1000 }));
    let big = big_receiver.wait_for(1, "the filtered endpoint's delivery");
    let (_, payload) = big.values().next().expect("a delivery");
    assert_eq!(payload["data"]["record"]["values"]["name"], "big");
    receiver.wait_for(15, "the other endpoint's deliveries");
    assert_eq!(big_receiver.accepted().len(), 1, "an update is not a creation");
    assert_eq!(deliveries(&own, filtered_id).len(), 1);
}

#[test]
fn a_receiver_down_and_up_gets_everything_and_one_that_keeps_failing_is_turned_off() {
    let _serial = serial();
    let _origin = delivering_origin(&[("NC_WEBHOOK_ATTEMPTS", "5")]);
    let receiver = Receiver::start(0);
    let port = receiver.port;
    let own = base("hooks-retry");
    let created = endpoint(&own, json!({"name": "flaky", "url": receiver.url()}));
    let (id, secret) = (created["id"].as_str().expect("id"), created["secret"].as_str().expect("secret"));
    receiver.verify_with(secret);
    own.created("items", json!({"name": "before", "qty": 1}));
    receiver.wait_for(1, "the first change");
    drop(receiver);
    let written: Vec<String> =
        (0..5).map(|n| own.created("items", json!({"name": format!("while down {n}")}))).collect();
    wait_until("failed attempts in the log", Duration::from_secs(20), || {
        deliveries(&own, id).iter().any(|delivery| {
            delivery["attempts"]
                .as_array()
                .is_some_and(|attempts| !attempts.is_empty() && attempts[0]["status"].is_null())
        })
    });
    let failing = webhook_state(&own, id);
    assert!(failing["failing_since"].is_string() && failing["enabled"] == true, "{failing}");
    let receiver = Receiver::start(port);
    receiver.verify_with(secret);
    let accepted = receiver.wait_for(5, "the changes made while the receiver was down");
    let names: HashSet<String> = accepted
        .values()
        .filter_map(|(_, payload)| payload["data"]["record"]["values"]["name"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(names, (0..5).map(|n| format!("while down {n}")).collect(), "{accepted:?}");
    assert_eq!(written.len(), 5);
    wait_until("the endpoint recovered", Duration::from_secs(10), || {
        webhook_state(&own, id)["failing_since"].is_null()
    });
    // Now it answers 500 to everything: after five attempts the delivery fails and the
    // endpoint is turned off, telling why.
    receiver.post("/answer", json!({"status": 500}));
    let doomed = own.created("items", json!({"name": "doomed"}));
    wait_until("the endpoint turned off", Duration::from_secs(30), || webhook_state(&own, id)["enabled"] == false);
    let off = webhook_state(&own, id);
    assert!(off["disabled_reason"].as_str().is_some_and(|reason| reason.contains("failed all 5 attempts")), "{off}");
    let failed = deliveries(&own, id)
        .into_iter()
        .find(|delivery| delivery["record_id"] == doomed.as_str())
        .expect("its delivery");
    assert_eq!(failed["state"], "failed");
    assert_eq!(failed["attempts"].as_array().map(Vec::len), Some(5));
    assert_eq!(failed["attempts"][0]["status"], 500);
    // While it is off, changes wait in the log; turned on, it delivers them.
    receiver.post("/answer", json!({"status": 204}));
    let later = own.created("items", json!({"name": "while off"}));
    std::thread::sleep(Duration::from_millis(1500));
    let before_on = receiver.accepted().len();
    let on = own.schema("PATCH", &format!("/webhooks/{id}"), json!({"enabled": true}));
    assert_eq!((on.status, on.json()["disabled_reason"].clone()), (200, Value::Null), "{}", on.text);
    let after_on = receiver.wait_for(before_on + 1, "the change made while the endpoint was off");
    assert!(after_on.values().any(|(_, payload)| payload["data"]["id"] == later.as_str()));
    // The failed one is sent again by hand, with the same message id.
    let again = own.schema("POST", &format!("/webhooks/{id}/deliveries/{}/redeliver", failed["id"]), Value::Null);
    assert_eq!(again.status, 200, "{}", again.text);
    let redelivered = receiver.wait_for(after_on.len() + 1, "the redelivery");
    assert_eq!(redelivered[failed["message_id"].as_str().expect("message id")].1["data"]["id"], doomed.as_str());
    // The admins were told: the audit log has the endpoint's disabling.
    let logs = std::env::var("E2E_DATA_URL").expect("E2E_DATA_URL").replace("/nc_data", "/nc_logs");
    let mut logs = postgres::Client::connect(&logs, postgres::NoTls).expect("the logs plane");
    let disabled: i64 = logs
        .query_one("SELECT count(*) FROM audit_events WHERE action = 'webhook.disabled' AND resource_id = $1", &[&id])
        .expect("audit events")
        .get(0);
    assert_eq!(disabled, 1);
}

#[test]
fn a_killed_origin_loses_no_delivery() {
    let _serial = serial();
    let receiver = Receiver::start(0);
    let own = base("hooks-kill");
    let created = endpoint(&own, json!({"name": "kill", "url": receiver.url()}));
    receiver.verify_with(created["secret"].as_str().expect("secret"));
    // An origin that dies right after a receiver accepted its first delivery, before recording
    // it (earlier tests' endpoints, whose receivers are gone, do not trip it).
    let mut dying = delivering_origin(&[("NC_FAILPOINT", "webhook-after-delivery"), ("NC_WEBHOOK_TIMEOUT", "1s")]);
    let first = own.created("items", json!({"name": "first"}));
    assert!(!dying.wait().success(), "the origin aborted at its failpoint");
    let seen = receiver.wait_for(1, "the delivery made before the crash");
    // Writes go on while no origin delivers, then during deliveries by an origin killed
    // part-way; a third origin finishes.
    let mut written = vec![first];
    written.extend((0..10).map(|n| own.created("items", json!({"name": format!("queued {n}")}))));
    let killed = delivering_origin(&[("NC_WEBHOOK_TIMEOUT", "1s")]);
    receiver.wait_for(3, "deliveries from the second origin");
    written.extend((0..10).map(|n| own.created("items", json!({"name": format!("during {n}")}))));
    drop(killed);
    written.extend((0..10).map(|n| own.created("items", json!({"name": format!("after {n}")}))));
    let _last = delivering_origin(&[("NC_WEBHOOK_TIMEOUT", "1s")]);
    let accepted = receiver.wait_for(written.len(), "every committed change");
    let ids: HashSet<&str> = accepted.values().filter_map(|(_, payload)| payload["data"]["id"].as_str()).collect();
    assert_eq!(ids, written.iter().map(String::as_str).collect::<HashSet<_>>(), "each written record once");
    // The crashed attempt was not recorded, so the same message comes again when its claim
    // runs out: at least once, never under another id.
    let (crashed, _) = seen.iter().next().expect("the first message");
    wait_until("the unrecorded delivery sent again", Duration::from_secs(20), || receiver.accepted()[crashed].0 >= 2);
    assert_eq!(receiver.accepted().len(), accepted.len(), "no other message");
}
