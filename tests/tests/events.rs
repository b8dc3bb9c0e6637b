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

/// A gauge of the origin's metrics.
fn gauge(name: &str) -> i64 {
    let metrics = e2e::send("GET", &format!("{}/metrics", e2e::env().origin_url), &[], None).text;
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or_else(|| panic!("no {name} in {metrics}"))
}

#[test]
fn streams_of_one_subscription_share_its_reads_and_each_gets_every_concurrent_write_once() {
    let base = notes("events-shared");
    let everything: Vec<EventStream> = (0..8).map(|_| open(&base, "", None)).collect();
    let ranked: Vec<EventStream> = (0..2).map(|_| open(&base, "?filter[rank][gte]=10", None)).collect();
    // Four writers at once: their transactions commit in any order.
    let written: Vec<(String, i64)> = std::thread::scope(|scope| {
        let writers: Vec<_> = (0..4)
            .map(|writer| {
                let base = &base;
                scope.spawn(move || {
                    (0..20)
                        .map(|n| {
                            let rank = writer * 20 + n;
                            (base.created("notes", json!({"title": format!("w{writer}-{n}"), "rank": rank})), rank)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        writers.into_iter().flat_map(|writer| writer.join().expect("a writer")).collect()
    });
    let all: std::collections::BTreeSet<&str> = written.iter().map(|(id, _)| id.as_str()).collect();
    let selected: std::collections::BTreeSet<&str> =
        written.iter().filter(|(_, rank)| *rank >= 10).map(|(id, _)| id.as_str()).collect();
    // Ten streams, two subscriptions (and the other tests' streams, one each at most; a
    // subscription whose streams closed is counted until its hub's next read, within a
    // second).
    let shared = || {
        let (streams, subscriptions) = (gauge("nc_origin_event_streams"), gauge("nc_origin_event_subscriptions"));
        (streams - subscriptions >= 8).then_some(()).ok_or(format!("{streams} streams, {subscriptions} subscriptions"))
    };
    let mut tries = 0;
    while let Err(counts) = shared() {
        tries += 1;
        assert!(tries < 30, "{counts}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let received = |mut stream: EventStream, expected: &std::collections::BTreeSet<&str>| {
        let events = take(&mut stream, expected.len());
        let ids: Vec<String> = events.iter().map(|event| event.json()["id"].as_str().expect("id").to_owned()).collect();
        let unique: std::collections::BTreeSet<&str> = ids.iter().map(String::as_str).collect();
        assert_eq!(unique.len(), ids.len(), "a change came twice");
        assert_eq!(&unique, expected);
        events
    };
    let mut first = Vec::new();
    for (n, stream) in everything.into_iter().enumerate() {
        let events = received(stream, &all);
        if n == 0 {
            first = events;
        }
    }
    for stream in ranked {
        received(stream, &selected);
    }
    // Resumed from the middle, a stream catches up alone, joins the others, and reads each
    // later change once (the same changes; transactions that committed out of their
    // sequence order may come in another order when read together).
    let middle = first[39].id.clone().expect("an id");
    let mut resumed = open(&base, "", Some(&middle));
    let later = base.created("notes", json!({"title": "later", "rank": 1}));
    let events = take(&mut resumed, 41);
    let record = |event: &Event| event.json()["id"].as_str().expect("id").to_owned();
    let ids: std::collections::BTreeSet<String> = events[..40].iter().map(record).collect();
    let expected: std::collections::BTreeSet<String> = first[40..].iter().map(record).collect();
    assert_eq!(ids, expected, "the same changes after the same position");
    assert_eq!(record(&events[40]), later);
}

/// The `position` of a list of the whole table.
fn listed(base: &Base) -> (std::collections::BTreeSet<String>, String) {
    let reply = call("GET", "/v1/tables/notes/records?limit=500", &base.token, &[], None);
    assert_eq!(reply.status, 200, "{}", reply.text);
    let page = reply.json();
    let ids = page["data"].as_array().expect("data").iter().map(|record| record["id"].as_str().expect("id").to_owned());
    (ids.collect(), page["position"].as_str().expect("a position").to_owned())
}

#[test]
fn a_stream_from_a_lists_position_has_no_gap_and_no_duplicate_with_the_page() {
    let base = notes("events-page");
    // An empty page has a position too.
    let (empty, position) = listed(&base);
    assert!(empty.is_empty());
    let first = base.created("notes", json!({"title": "first", "rank": 0}));
    let mut stream = open(&base, "", Some(&position));
    assert_eq!(take(&mut stream, 1)[0].json()["id"], first.as_str());
    drop(stream);
    // A page read while writers commit (once ten of their writes are acknowledged, with
    // a hundred more to come): the stream from its position brings exactly the records
    // the page does not show.
    let acknowledged = std::sync::atomic::AtomicUsize::new(0);
    let (written, (page, position)) = std::thread::scope(|scope| {
        let writers: Vec<_> = (0..3)
            .map(|writer| {
                let (base, acknowledged) = (&base, &acknowledged);
                scope.spawn(move || {
                    (0..40)
                        .map(|n| {
                            let id = base.created("notes", json!({"title": format!("w{writer}-{n}"), "rank": n}));
                            acknowledged.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                            id
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        while acknowledged.load(std::sync::atomic::Ordering::SeqCst) < 10 {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let page = listed(&base);
        let written: Vec<String> = writers.into_iter().flat_map(|writer| writer.join().expect("a writer")).collect();
        (written, page)
    });
    let mut all: std::collections::BTreeSet<String> = written.into_iter().collect();
    all.insert(first);
    assert!(page.len() > 1 && page.len() < all.len(), "the page was read while writes went on: {}", page.len());
    let mut stream = open(&base, "", Some(&position));
    let events = take(&mut stream, all.len() - page.len());
    let streamed: std::collections::BTreeSet<String> =
        events.iter().map(|event| event.json()["id"].as_str().expect("id").to_owned()).collect();
    assert_eq!(streamed.len(), events.len(), "a change came twice");
    assert!(streamed.is_disjoint(&page), "a record the page shows came again");
    assert_eq!(streamed.union(&page).cloned().collect::<std::collections::BTreeSet<_>>(), all, "a record is missing");
    // And nothing else was waiting: the next event is the next write.
    let next = base.created("notes", json!({"title": "next", "rank": 0}));
    assert_eq!(take(&mut stream, 1)[0].json()["id"], next.as_str());
}

/// Publishes a view of the notes (`title` and `rank` of those ranked 10 or more, or of all
/// of them with `filtered` false) to anybody; its slug.
fn published_view(base: &Base, name: &str, filtered: bool) -> String {
    let filters = if filtered { json!([{"field": "rank", "op": "gte", "value": 10}]) } else { json!([]) };
    let spec = json!({
        "name": name, "table": "notes", "fields": ["title", "rank"], "filters": filters, "sort": ["rank:desc"],
        "allowed_filters": [{"field": "title", "ops": ["eq"]}]
    });
    let created = base.schema("POST", "/views", spec);
    assert_eq!(created.status, 201, "{}", created.text);
    let slug = format!("{name}-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let reply = base.schema("PUT", &format!("/views/{name}/publish"), json!({"enabled": true, "slug": slug}));
    assert_eq!(reply.status, 200, "{}", reply.text);
    slug
}

fn view_stream(slug: &str, query: &str, last: Option<&str>) -> EventStream {
    let url = format!("{}/public/views/{slug}/events{query}", e2e::env().edge_url);
    let headers: Vec<(&str, &str)> = last.map(|last| ("last-event-id", last)).into_iter().collect();
    e2e::open_events(&url, &headers).unwrap_or_else(|reply| panic!("{url}: {reply:?}"))
}

#[test]
fn a_published_views_changes_stream_as_the_view_shows_them() {
    let base = notes("events-view");
    let ranked = published_view(&base, "ranked", true);
    let every = published_view(&base, "every", false);
    let mut stream = view_stream(&ranked, "", None);
    let mut all = view_stream(&every, "", None);
    let mut titled = view_stream(&ranked, "?filter[title][eq]=high", None);
    let low = base.created("notes", json!({"title": "low", "rank": 5}));
    let high = base.created("notes", json!({"title": "high", "rank": 20}));
    update(&base, &low, json!({"rank": 12}));
    let reply = call("DELETE", &format!("/v1/tables/notes/records/{high}"), &base.token, &[], None);
    assert_eq!(reply.status, 200, "{}", reply.text);
    let marker = base.created("notes", json!({"title": "marker", "rank": 50}));
    // Only the view's fields; only what its filter selects; a deletion only from the view
    // without a filter of its own.
    let shown = |events: &[Event]| -> Vec<(String, String, Value)> {
        events
            .iter()
            .map(|event| {
                let data = event.json();
                (event.event.clone(), data["id"].as_str().expect("id").to_owned(), data["record"]["values"].clone())
            })
            .collect()
    };
    assert_eq!(
        shown(&take(&mut stream, 3)),
        vec![
            ("record.created".into(), high.clone(), json!({"title": "high", "rank": 20})),
            ("record.updated".into(), low.clone(), json!({"title": "low", "rank": 12})),
            ("record.created".into(), marker.clone(), json!({"title": "marker", "rank": 50})),
        ]
    );
    assert_eq!(
        shown(&take(&mut all, 5)),
        vec![
            ("record.created".into(), low.clone(), json!({"title": "low", "rank": 5})),
            ("record.created".into(), high.clone(), json!({"title": "high", "rank": 20})),
            ("record.updated".into(), low.clone(), json!({"title": "low", "rank": 12})),
            ("record.deleted".into(), high.clone(), Value::Null),
            ("record.created".into(), marker.clone(), json!({"title": "marker", "rank": 50})),
        ]
    );
    assert_eq!(
        shown(&take(&mut titled, 1)),
        vec![("record.created".into(), high, json!({"title": "high", "rank": 20}))]
    );
    // Refusals, in the error model.
    let edge = &e2e::env().edge_url;
    for query in ["limit=5", "cursor=x", "sort=title"] {
        match e2e::open_events(&format!("{edge}/public/views/{ranked}/events?{query}"), &[]) {
            Ok(_) => panic!("{query} opened a stream"),
            Err(reply) => reply.assert_error(400, "INVALID_QUERY"),
        };
    }
    match e2e::open_events(&format!("{edge}/public/views/{ranked}/events?filter[rank][gt]=1"), &[]) {
        Ok(_) => panic!("a filter the view does not allow opened a stream"),
        Err(reply) => reply.assert_error(400, "INVALID_QUERY"),
    };
    match e2e::open_events(&format!("{edge}/public/views/nothing-here/events"), &[]) {
        Ok(_) => panic!("an unknown view opened a stream"),
        Err(reply) => assert_eq!(reply.status, 404, "{}", reply.text),
    };
    // Unpublished, the view's stream ends, and no new one opens.
    let reply = base.schema("PUT", "/views/ranked/publish", json!({"enabled": false}));
    assert_eq!(reply.status, 200, "{}", reply.text);
    base.created("notes", json!({"title": "after", "rank": 60}));
    assert!(stream.next_event().is_none(), "the stream of an unpublished view went on");
}

/// `GET /v1/tables/notes/events:poll{query}`, which must answer 200: (events, position).
fn polled(base: &Base, query: &str) -> (Vec<Value>, String) {
    let reply = call("GET", &format!("/v1/tables/notes/events:poll{query}"), &base.token, &[], None);
    assert_eq!(reply.status, 200, "{}", reply.text);
    let answer = reply.json();
    let events = answer["data"].as_array().expect("data").clone();
    (events, answer["position"].as_str().expect("a position").to_owned())
}

#[test]
fn a_long_poll_answers_the_changes_after_its_position_once_there_are_some() {
    let base = notes("events-poll");
    let (_, start) = listed(&base);
    // Nothing yet: the wait runs out, and the position stays usable.
    let (events, position) = polled(&base, &format!("?after={start}&wait=0"));
    assert!(events.is_empty(), "{events:?}");
    // A poll that waits answers when a change commits.
    let waiting = std::thread::scope(|scope| {
        let waiting = scope.spawn(|| polled(&base, &format!("?after={position}&wait=20&filter[rank][gte]=10")));
        std::thread::sleep(std::time::Duration::from_millis(300));
        base.created("notes", json!({"title": "low", "rank": 1}));
        let high = base.created("notes", json!({"title": "high", "rank": 10}));
        (waiting.join().expect("the poll"), high)
    });
    let ((events, next), high) = waiting;
    let ids: Vec<&str> = events.iter().map(|event| event["id"].as_str().expect("id")).collect();
    assert_eq!(ids, vec![high.as_str()], "only what the filter selects: {events:?}");
    assert_eq!(events[0]["type"], "record.created");
    assert_eq!(events[0]["record"]["values"], json!({"title": "high", "rank": 10}));
    assert!(events[0]["position"].is_string());
    // From the answer's position: the next change only, each change once.
    let later = base.created("notes", json!({"title": "later", "rank": 30}));
    let (events, _) = polled(&base, &format!("?after={next}&wait=5&filter[rank][gte]=10&fields=title"));
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(
        (events[0]["id"].as_str(), &events[0]["record"]["values"]),
        (Some(later.as_str()), &json!({"title": "later"}))
    );
    // From the start: everything, in one answer.
    let (events, _) = polled(&base, &format!("?after={start}"));
    assert_eq!(events.len(), 3, "{events:?}");
    // Refusals.
    let refused = |query: &str| call("GET", &format!("/v1/tables/notes/events:poll{query}"), &base.token, &[], None);
    refused("?after=not-a-position").assert_error(400, "INVALID_QUERY");
    refused("?wait=21").assert_error(400, "INVALID_QUERY");
    refused("?wait=soon").assert_error(400, "INVALID_QUERY");
    refused("?limit=5").assert_error(400, "INVALID_QUERY");
}

/// The table's stream with presence, as the holder of `bearer` (a session or a token).
fn presence_stream(base: &Base, bearer: &str) -> EventStream {
    let url = format!("{}/v1/tables/notes/events?presence=true", e2e::env().edge_url);
    let authorization = format!("Bearer {bearer}");
    let headers = [("authorization", authorization.as_str()), ("x-base-id", base.base.as_str())];
    e2e::open_events(&url, &headers).unwrap_or_else(|reply| panic!("{url}: {reply:?}"))
}

/// Reads the owner's presence stream (opening it again when it ends) until `actor` left.
fn wait_gone(base: &Base, stream: &mut EventStream, actor: &str) {
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_secs(120) {
        match stream.next_event() {
            Some(event) if event.event == "user:leave" && people(&event)[0].0 == actor => return,
            Some(event) if event.event == "presence" && !people(&event).iter().any(|(who, _)| who == actor) => return,
            Some(_) => {}
            None => *stream = presence_stream(base, &base.owner.access),
        }
    }
    panic!("{actor} is still present");
}

/// The actors and names of a `presence` frame, or of a `user:join`/`user:leave` one.
fn people(event: &Event) -> Vec<(String, Value)> {
    assert!(event.id.is_none(), "presence frames leave Last-Event-ID alone: {event:?}");
    let data = event.json();
    let people = match data.get("present") {
        Some(present) => present.as_array().expect("present").clone(),
        None => vec![data],
    };
    people.iter().map(|person| (person["actor"].as_str().expect("actor").to_owned(), person["name"].clone())).collect()
}

#[test]
fn presence_tells_who_follows_a_table_as_people_come_and_go() {
    let base = notes("presence");
    let editor = e2e::register("presence-editor");
    e2e::add_member(&base.owner, &editor, "editor");
    let (owner_actor, editor_actor) = (format!("user:{}", base.owner.id), format!("user:{}", editor.id));
    let mut owner = presence_stream(&base, &base.owner.access);
    let first = take(&mut owner, 1).remove(0);
    assert_eq!(first.event, "presence");
    assert_eq!(people(&first), [(owner_actor.clone(), json!("presence"))]);
    // The editor comes: they see both, and the owner is told.
    let mut theirs = presence_stream(&base, &editor.access);
    let seen = take(&mut theirs, 1).remove(0);
    assert_eq!(seen.event, "presence");
    let actors: Vec<String> = people(&seen).into_iter().map(|(actor, _)| actor).collect();
    assert_eq!(actors, [owner_actor.clone(), editor_actor.clone()], "earliest first");
    let joined = take(&mut owner, 1).remove(0);
    assert_eq!(
        (joined.event.as_str(), people(&joined)),
        ("user:join", vec![(editor_actor.clone(), json!("presence-editor"))])
    );
    // A second stream of the same person changes nothing for the others.
    let again = presence_stream(&base, &editor.access);
    // An API token follows too, by its name. Its own stream (which may be in anyone's hands)
    // is told who is there by id only.
    let mut token = presence_stream(&base, &base.token);
    let with_token = take(&mut token, 1).remove(0);
    assert!(people(&with_token).iter().all(|(_, name)| name.is_null()), "{with_token:?}");
    let token_actor =
        people(&with_token).into_iter().find(|(actor, _)| actor.starts_with("token:")).expect("the token");
    let token_actor = (token_actor.0, json!("all"));
    let joined = take(&mut owner, 1).remove(0);
    assert_eq!((joined.event.as_str(), people(&joined)), ("user:join", vec![token_actor.clone()]));
    // Leaving: the editor is there until their last stream ends. An origin learns that a
    // stream's client went when it next writes to it (a heartbeat, at most 15 s apart), so
    // the owner is told then, or finds them gone when its own stream is opened again.
    drop(theirs);
    drop(again);
    wait_gone(&base, &mut owner, &editor_actor);
    drop(token);
    wait_gone(&base, &mut owner, &token_actor.0);
    // Changes still come with their positions.
    let id = base.created("notes", json!({"title": "still here"}));
    let change = take(&mut owner, 1).remove(0);
    assert_eq!((change.event.as_str(), change.json()["id"].as_str()), ("record.created", Some(id.as_str())));
    assert!(change.id.is_some());
    // A long poll cannot tell presence; a malformed flag is refused.
    for query in ["events:poll?presence=true&wait=0", "events?presence=yes"] {
        let reply = e2e::get(&format!("/v1/tables/notes/{query}"), Some(&base.token));
        reply.assert_error(400, "INVALID_QUERY");
    }
}

#[test]
fn a_position_older_than_the_kept_change_log_is_told_to_start_over() {
    let base = notes("reset");
    let (_, before) = listed(&base);
    for n in 0..3 {
        base.created("notes", json!({"title": format!("old {n}")}));
    }
    // The audit log copies the changes first: the log is pruned only of what it holds.
    let audit = format!("/workspaces/{}/audit?action=record.*", base.owner.workspace);
    e2e::wait_until("the audit log copied the changes", std::time::Duration::from_secs(60), || {
        e2e::manage("GET", &audit, Some(&base.owner.access), None).json()["data"].as_array().map_or(0, Vec::len) >= 3
    });
    let pruned = e2e::origin_admin(&["prune-changes", "--base", &base.base, "--older-than", "0s"]);
    assert_eq!(pruned["pruned"], 3, "{pruned}");
    let (_, after) = listed(&base);
    // From before the pruning: told to start over, at now; changes after it come as usual.
    let mut stream = open(&base, "", Some(&before));
    let first = take(&mut stream, 1).remove(0);
    assert_eq!(first.event, "reset");
    let now = first.id.clone().expect("a reset moves Last-Event-ID");
    assert_eq!(first.json()["position"], now.as_str());
    let id = base.created("notes", json!({"title": "new"}));
    let next = take(&mut stream, 1).remove(0);
    assert_eq!((next.event.as_str(), next.json()["id"].as_str()), ("record.created", Some(id.as_str())));
    // From after it: no reset.
    let mut fresh = open(&base, "", Some(&after));
    let first = take(&mut fresh, 1).remove(0);
    assert_eq!((first.event.as_str(), first.json()["id"].as_str()), ("record.created", Some(id.as_str())));
    // The long poll and the change feed say the same.
    let polled = e2e::get(&format!("/v1/tables/notes/events:poll?after={before}&wait=0"), Some(&base.token));
    assert_eq!(polled.status, 200, "{}", polled.text);
    assert_eq!((polled.json()["reset"].clone(), polled.json()["data"].clone()), (json!(true), json!([])));
    let feed =
        e2e::manage("GET", &format!("/bases/{}/changes?after={before}", base.base), Some(&base.owner.access), None);
    assert_eq!((feed.status, feed.json()["reset"].clone()), (200, json!(true)), "{}", feed.text);
    let feed =
        e2e::manage("GET", &format!("/bases/{}/changes?after={after}", base.base), Some(&base.owner.access), None);
    assert_eq!(feed.json()["reset"], false);
    assert_eq!(feed.json()["data"].as_array().map(Vec::len), Some(1));
}
