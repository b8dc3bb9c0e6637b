//! A table's changes as server-sent events: what the filters select, as the caller may see
//! it, each change once, resumed after the last event read.

use e2e::{Event, EventStream, OwnBase as Base, call};
use serde_json::{Value, json};

fn notes(label: &str) -> Base {
    let base = Base::new(label);
    let reply = base.schema(
        "POST",
        "/tables",
        json!({"name": "notes", "fields": [{"name": "title", "type": "text"}, {"name": "rank", "type": "number"}]}),
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
    base
}

/// Opens the table's stream with `query`, after `last` when given.
fn open(base: &Base, query: &str, last: Option<&str>) -> EventStream {
    let url = format!("{}/v1/tables/notes/events{query}", e2e::env().edge_url);
    let authorization = format!("Bearer {}", base.token);
    let mut headers = vec![("authorization", authorization.as_str())];
    headers.extend(last.map(|last| ("last-event-id", last)));
    let stream = e2e::open_events(&url, &headers).unwrap_or_else(|reply| panic!("{url}: {reply:?}"));
    assert_eq!(stream.header("content-type"), Some("text/event-stream"));
    stream
}

/// The next `count` events of a stream.
fn take(stream: &mut EventStream, count: usize) -> Vec<Event> {
    let mut events = Vec::new();
    for n in 0..count {
        match stream.next_event() {
            Some(event) => events.push(event),
            None => panic!("the stream ended before event {n}, after: {events:?}"),
        }
    }
    events
}

/// (type, id, changed fields, the record's values) of each event, checking that the event's
/// name is its type.
fn summary(events: &[Event]) -> Vec<(String, String, Value, Value)> {
    events
        .iter()
        .map(|event| {
            let data = event.json();
            assert_eq!(data["type"], event.event.as_str(), "{data}");
            assert_eq!(data["table"], "notes", "{data}");
            let kind = event.event.clone();
            (
                kind,
                data["id"].as_str().expect("id").to_owned(),
                data["changed_fields"].clone(),
                data["record"]["values"].clone(),
            )
        })
        .collect()
}

fn update(base: &Base, id: &str, values: Value) {
    let reply =
        call("PATCH", &format!("/v1/tables/notes/records/{id}"), &base.token, &[], Some(&json!({"values": values})));
    assert_eq!(reply.status, 200, "{}", reply.text);
}

#[test]
fn a_tables_changes_stream_as_events_of_what_the_filters_select_and_resume_after_the_last_one_read() {
    let base = notes("events-table");
    let mut ranked = open(&base, "?filter[rank][gte]=10", None);
    // Each write is read as it happens (the low note's creation is not selected; its
    // update into the selection is).
    let low = base.created("notes", json!({"title": "low", "rank": 5}));
    let high = base.created("notes", json!({"title": "high", "rank": 20}));
    let mut events = take(&mut ranked, 1);
    update(&base, &high, json!({"rank": 30}));
    events.extend(take(&mut ranked, 1));
    update(&base, &low, json!({"rank": 15}));
    events.extend(take(&mut ranked, 1));
    let reply = call("DELETE", &format!("/v1/tables/notes/records/{high}"), &base.token, &[], None);
    assert_eq!(reply.status, 200, "{}", reply.text);
    events.extend(take(&mut ranked, 1));
    drop(ranked);
    assert_eq!(
        summary(&events),
        vec![
            ("record.created".into(), high.clone(), json!(["title", "rank"]), json!({"title": "high", "rank": 20})),
            ("record.updated".into(), high.clone(), json!(["rank"]), json!({"title": "high", "rank": 30})),
            ("record.updated".into(), low.clone(), json!(["rank"]), json!({"title": "low", "rank": 15})),
            ("record.deleted".into(), high.clone(), json!([]), Value::Null),
        ]
    );
    let ids: Vec<&str> = events.iter().map(|event| event.id.as_deref().expect("an id")).collect();
    assert_eq!(ids.iter().collect::<std::collections::HashSet<_>>().len(), ids.len(), "{ids:?}");
    // Resumed after the second event, with fewer fields: the changes after it, once, each
    // record as it is when read, then what is written next.
    let mut resumed = open(&base, "?fields=title", Some(ids[1]));
    let later = base.created("notes", json!({"title": "later", "rank": 1}));
    assert_eq!(
        summary(&take(&mut resumed, 3)),
        vec![
            ("record.updated".into(), low.clone(), json!([]), json!({"title": "low"})),
            ("record.deleted".into(), high.clone(), json!([]), Value::Null),
            ("record.created".into(), later, json!(["title"]), json!({"title": "later"})),
        ]
    );
}

#[test]
fn refusals_come_in_the_error_model_before_any_stream_opens() {
    let base = notes("events-refused");
    let edge = &e2e::env().edge_url;
    let authorization = format!("Bearer {}", base.token);
    let auth = ("authorization", authorization.as_str());
    let refused = |path: &str, headers: &[(&str, &str)]| match e2e::open_events(&format!("{edge}{path}"), headers) {
        Ok(_) => panic!("{path} opened a stream"),
        Err(reply) => reply,
    };
    let url = "/v1/tables/notes/events";
    refused(url, &[]).assert_error(401, "AUTH_REQUIRED");
    refused(url, &[auth, ("last-event-id", "not-a-position")]).assert_error(400, "INVALID_REQUEST");
    refused(url, &[auth, ("last-event-id", "a b")]).assert_error(400, "INVALID_REQUEST");
    for query in ["limit=5", "cursor=x", "sort=title", "include=x"] {
        refused(&format!("{url}?{query}"), &[auth]).assert_error(400, "INVALID_QUERY");
    }
    refused(&format!("{url}?filter[nothing][eq]=1"), &[auth]).assert_error(400, "INVALID_QUERY");
    refused("/v1/tables/nothing/events", &[auth]).assert_error(404, "TABLE_NOT_FOUND");
    // Another base's token does not see this base's table.
    let other = notes("events-other");
    let other_auth = format!("Bearer {}", other.token);
    let mut theirs = e2e::open_events(&format!("{edge}{url}"), &[("authorization", &other_auth)]).expect("a stream");
    base.created("notes", json!({"title": "mine", "rank": 1}));
    let id = other.created("notes", json!({"title": "theirs", "rank": 1}));
    let event = theirs.next_event().expect("their own change");
    assert_eq!(event.json()["id"], id.as_str(), "only the token's own base's changes");
}
