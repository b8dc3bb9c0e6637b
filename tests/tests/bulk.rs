//! Uploads to the real object store and CSV imports and exports as jobs: presigned forms
//! the store itself enforces, imports of clean, dirty and malformed files with their error
//! reports read line by line, upserts, dry runs, encodings, cancellation, an origin that
//! dies in the middle of an import, and exports equal to the API's own pages.

use e2e::{OwnBase as Base, Reply, call, get};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// `people`: a unique required email, a number, a boolean and a multi select.
fn people(label: &str) -> Base {
    let base = Base::new(label);
    let reply = base.schema(
        "POST",
        "/tables",
        json!({"name": "people", "fields": [
            {"name": "email", "type": "email", "required": true, "unique": true},
            {"name": "age", "type": "number"},
            {"name": "active", "type": "boolean"},
            {"name": "tags", "type": "multi_select", "options": ["a", "b"]},
            {"name": "note", "type": "long_text"},
        ]}),
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
    base
}

fn import(base: &Base, body: Value) -> Reply {
    call("POST", "/v1/tables/people/import:csv", &base.token, &[], Some(&body))
}

/// Starts an import that must be accepted; the job once it has finished.
fn imported(base: &Base, body: Value) -> Value {
    let reply = import(base, body);
    assert_eq!(reply.status, 202, "{}", reply.text);
    let job = reply.json();
    assert_eq!(job["kind"], "import_csv", "{job}");
    finished(base, job["id"].as_str().expect("job id"))
}

/// Polls a job until it is no longer queued or running.
fn finished(base: &Base, id: &str) -> Value {
    let started = Instant::now();
    loop {
        let job = base.read(&format!("/v1/jobs/{id}"));
        if !["queued", "running"].contains(&job["state"].as_str().unwrap_or_default()) {
            return job;
        }
        assert!(started.elapsed() < Duration::from_secs(120), "the job did not finish: {job}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn download(url: &str) -> String {
    let reply = e2e::send("GET", url, &[], None);
    assert_eq!(reply.status, 200, "{url}: {}", reply.text);
    reply.text
}

/// Every record of `people`, by email: (age, active, tags, note).
fn by_email(base: &Base) -> std::collections::BTreeMap<String, Value> {
    let page = base.read("/v1/tables/people/records?limit=1000&sort=email");
    page["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|record| (record["values"]["email"].as_str().expect("email").to_owned(), record["values"].clone()))
        .collect()
}

/// The presigned form posted to the store as multipart/form-data, the file last.
fn post_form(form: &Value, content: &[u8], content_type: &str) -> Reply {
    let boundary = "nclcdbaas-test-boundary";
    let mut body = Vec::new();
    for (name, value) in form["fields"].as_object().expect("fields") {
        let value = if name == "Content-Type" { content_type } else { value.as_str().expect("a string") };
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\nContent-Type: \
             {content_type}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let content_type = format!("multipart/form-data; boundary={boundary}");
    e2e::send("POST", form["url"].as_str().expect("url"), &[("content-type", &content_type)], Some(&body))
}

fn sign_upload(base: &Base, body: Value) -> Reply {
    call("POST", "/v1/files:signUpload", &base.token, &[], Some(&body))
}

/// Uploads `content` through a presigned form; the file's id.
fn uploaded(base: &Base, content: &[u8]) -> String {
    upload_as(base, "people.csv", "text/csv", content)
}

/// Uploads `content` named `name` of `content_type`, announcing its checksum; its id.
fn upload_as(base: &Base, name: &str, content_type: &str, content: &[u8]) -> String {
    let sha256 = hex::encode(shared::token::sha256(content));
    let reply =
        sign_upload(base, json!({"name": name, "content_type": content_type, "size": content.len(), "sha256": sha256}));
    assert_eq!(reply.status, 201, "{}", reply.text);
    let form = reply.json();
    let posted = post_form(&form, content, content_type);
    assert!((200..300).contains(&posted.status), "the store refused the upload: {} {}", posted.status, posted.text);
    form["file_id"].as_str().expect("file_id").to_owned()
}

#[test]
fn a_clean_import_loads_every_row_and_reports_its_progress() {
    let base = people("import-clean");
    // A byte-order mark, CRLF line ends, quoted cells with commas, quotes and line breaks,
    // blank lines, a column that names no field, spreadsheet booleans.
    let csv = "\u{feff}email,age,active,tags,note,extra\r\n\
               ann@example.com,31,TRUE,\"a, b\",\"Line one\r\nline \"\"two\"\"\",x\r\n\
               \r\n\
               bob@example.com,,no,,,y\r\n\
               cy@example.com, 7 ,1,b,\"comma, inside\",z";
    let job = imported(&base, json!({"csv": csv}));
    assert_eq!(job["state"], "succeeded", "{job}");
    assert_eq!(job["kind"], "import_csv");
    assert_eq!(job["progress"]["rows_read"], 3, "{job}");
    assert_eq!(job["progress"]["rows_written"], 3, "{job}");
    assert_eq!(job["progress"]["errors"], 0, "{job}");
    assert_eq!(job["progress"]["bytes_read"], csv.len(), "{job}");
    assert_eq!(job["result"]["ignored_columns"], json!(["extra"]), "{job}");
    assert!(job["result"]["errors_url"].is_null(), "{job}");
    // The operator CLI follows the job to its end.
    let watched = e2e::origin_admin(&["watch-job", "--job", job["id"].as_str().expect("id")]);
    assert_eq!(watched["state"], "succeeded", "{watched}");
    assert_eq!(watched["rows_written"], 3, "{watched}");
    let records = by_email(&base);
    assert_eq!(records.len(), 3);
    assert_eq!(
        records["ann@example.com"],
        json!({"email": "ann@example.com", "age": 31, "active": true, "tags": ["a", "b"],
               "note": "Line one\r\nline \"two\""})
    );
    assert_eq!(records["bob@example.com"]["age"], Value::Null);
    assert_eq!(records["bob@example.com"]["active"], false);
    assert_eq!(records["cy@example.com"]["age"], 7);
    // Like any write, the import is in the table's history, by the token that asked.
    let history = base.schema("GET", "/tables/people/history", Value::Null);
    assert_eq!(history.status, 200, "{}", history.text);
    assert_eq!(history.json()["data"].as_array().expect("history").len(), 3, "{}", history.text);
}

#[test]
fn a_dirty_import_loads_the_valid_rows_and_reports_the_others_line_by_line() {
    let base = people("import-dirty");
    base.created("people", json!({"email": "taken@example.com"}));
    let csv = "email,age,active,tags\n\
               ok1@example.com,1,true,a\n\
               not-an-email,2,true,a\n\
               ok2@example.com,ten,maybe,c\n\
               ,3,false,\n\
               taken@example.com,4,true,\n\
               ok3@example.com,5\n\
               ok4@example.com,6,false,\"a,b\"\n";
    let job = imported(&base, json!({"csv": csv}));
    assert_eq!(job["state"], "succeeded", "{job}");
    assert_eq!(job["progress"]["rows_read"], 7, "{job}");
    assert_eq!(job["progress"]["rows_written"], 2, "{job}");
    let report = download(job["result"]["errors_url"].as_str().expect("an error report"));
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(
        lines,
        [
            "line,field,code,message",
            "3,email,VALIDATION_ERROR,\"Field 'email' must be an email address, e.g. ops@example.com.\"",
            "4,active,VALIDATION_ERROR,Field 'active' must be true or false.",
            "4,age,VALIDATION_ERROR,Field 'age' must be a number (JSON number; at most 200 characters and exponent 1000).",
            "4,tags,VALIDATION_ERROR,\"'c' is not an option of field 'tags'; options: a, b.\"",
            "5,email,VALIDATION_ERROR,Field 'email' is required and cannot be empty.",
            "6,email,UNIQUE_VIOLATION,Another record already has this 'email'; the field is unique.",
            "7,,VALIDATION_ERROR,The row has 2 cells; the header has 4.",
        ],
        "{report}"
    );
    assert_eq!(job["progress"]["errors"], 7, "{job}");
    // The job's answer shows the first problems too.
    assert_eq!(job["errors_preview"].as_array().map(Vec::len), Some(7), "{job}");
    assert_eq!(
        job["errors_preview"][0],
        json!({"line": 3, "field": "email", "code": "VALIDATION_ERROR",
               "message": "Field 'email' must be an email address, e.g. ops@example.com."})
    );
    let records = by_email(&base);
    assert_eq!(records.keys().collect::<Vec<_>>(), ["ok1@example.com", "ok4@example.com", "taken@example.com"]);
}

#[test]
fn upserts_by_a_unique_field_and_dry_runs_write_nothing() {
    let base = people("import-upsert");
    let ann = base.created("people", json!({"email": "ann@example.com", "age": 30}));
    let csv = "email,age\nann@example.com,31\nnew@example.com,5\nann@example.com,32\n";
    let dry = imported(&base, json!({"csv": csv, "unique": "email", "dry_run": true}));
    assert_eq!(dry["state"], "succeeded", "{dry}");
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["progress"]["rows_written"], 3, "{dry}");
    assert_eq!(by_email(&base).len(), 1, "a dry run writes nothing");
    let job = imported(&base, json!({"csv": csv, "unique": "email"}));
    assert_eq!(job["state"], "succeeded", "{job}");
    let records = by_email(&base);
    assert_eq!(records.len(), 2);
    // The later row wins; the record kept its id.
    assert_eq!(records["ann@example.com"]["age"], 32);
    assert_eq!(base.read(&format!("/v1/tables/people/records/{ann}"))["values"]["age"], 32);
    // An explicit mapping from the file's own headers.
    let job = imported(
        &base,
        json!({"csv": "Mail;Years\nann@example.com;40\n", "delimiter": ";", "unique": "email",
               "mapping": {"Mail": "email", "Years": "age"}}),
    );
    assert_eq!(job["state"], "succeeded", "{job}");
    assert_eq!(by_email(&base)["ann@example.com"]["age"], 40);
}

#[test]
fn malformed_requests_and_files_fail_clearly_and_write_nothing() {
    let base = people("import-malformed");
    import(&base, json!({})).assert_error(400, "INVALID_REQUEST");
    import(&base, json!({"csv": "a", "unique": "age"})).assert_error(422, "VALIDATION_ERROR");
    import(&base, json!({"csv": "a", "mapping": {"x": "nope"}})).assert_error(422, "VALIDATION_ERROR");
    import(&base, json!({"csv": "a", "encoding": "ebcdic"})).assert_error(422, "VALIDATION_ERROR");
    import(&base, json!({"csv": "a".repeat(1024 * 1024 + 1)})).assert_error(413, "PAYLOAD_TOO_LARGE");
    import(&base, json!({"file": uuid::Uuid::new_v4()})).assert_error(404, "NOT_FOUND");
    for (csv, message) in [
        ("", "empty"),
        ("nothing,here\n1,2\n", "No CSV column names a field"),
        ("email,email\na@example.com,b@example.com\n", "Two CSV columns"),
    ] {
        let job = imported(&base, json!({"csv": csv}));
        assert_eq!(job["state"], "failed", "{job}");
        assert!(job["error"]["message"].as_str().unwrap_or_default().contains(message), "{job}");
    }
    assert!(by_email(&base).is_empty());
    // Text in another encoding, named.
    let latin1 = b"email,note\nz@example.com,caf\xe9\n".to_vec();
    let job = imported(&base, json!({"csv": String::from_utf8_lossy(&latin1)}));
    assert_eq!(job["state"], "succeeded", "{job}");
    let file = uploaded(&base, &latin1);
    let job = imported(&base, json!({"file": file, "encoding": "iso-8859-1", "unique": "email"}));
    assert_eq!(job["state"], "succeeded", "{job}");
    assert_eq!(by_email(&base)["z@example.com"]["note"], "café");
    // The same bytes read as UTF-8: the row is refused, and the report says what to do.
    let job = imported(&base, json!({"file": file, "unique": "email"}));
    assert_eq!(job["progress"]["errors"], 1, "{job}");
    assert!(download(job["result"]["errors_url"].as_str().expect("report")).contains("encoding"));
    // A row longer than the limit is refused, the rows around it load.
    let long = format!("email,note\na@example.com,{}\nb@example.com,short\n", "x".repeat(1024 * 1024 + 10));
    let file = uploaded(&base, long.as_bytes());
    let job = imported(&base, json!({"file": file}));
    assert_eq!(job["state"], "succeeded", "{job}");
    assert_eq!(job["progress"]["rows_written"], 1, "{job}");
    assert!(download(job["result"]["errors_url"].as_str().expect("report")).contains("2,,PAYLOAD_TOO_LARGE"));
}

#[test]
fn uploads_are_bounded_by_the_store_and_checked_when_used() {
    let base = people("uploads");
    let content = b"email\nu@example.com\n";
    sign_upload(&base, json!({"name": "a.csv", "content_type": "text/csv", "size": 0}))
        .assert_error(413, "PAYLOAD_TOO_LARGE");
    sign_upload(&base, json!({"name": "", "content_type": "text/csv", "size": 3}))
        .assert_error(422, "VALIDATION_ERROR");
    sign_upload(&base, json!({"name": "a", "content_type": "csv", "size": 3})).assert_error(422, "VALIDATION_ERROR");
    sign_upload(&base, json!({"name": "a", "content_type": "text/csv", "size": 3, "sha256": "x"}))
        .assert_error(422, "VALIDATION_ERROR");
    let reply = sign_upload(&base, json!({"name": "a.csv", "content_type": "text/csv", "size": content.len()}));
    assert_eq!(reply.status, 201, "{}", reply.text);
    let form = reply.json();
    assert!(form["key"].as_str().unwrap_or_default().contains(&base.base.replace('-', "")), "{form}");
    // The store refuses a file of another size or type than the form allows.
    assert!(post_form(&form, b"email\n", "text/csv").status >= 400, "a smaller file");
    assert!(post_form(&form, content, "image/png").status >= 400, "another type");
    // Never uploaded: the import says so.
    let job = imported(&base, json!({"file": form["file_id"]}));
    assert_eq!(job["state"], "failed", "{job}");
    assert!(job["error"]["message"].as_str().unwrap_or_default().contains("never uploaded"), "{job}");
    // An upload whose bytes are not the announced ones.
    let reply = sign_upload(
        &base,
        json!({"name": "a.csv", "content_type": "text/csv", "size": content.len(), "sha256": "0".repeat(64)}),
    );
    let form = reply.json();
    assert!((200..300).contains(&post_form(&form, content, "text/csv").status));
    let job = imported(&base, json!({"file": form["file_id"]}));
    assert_eq!(job["state"], "failed", "{job}");
    assert!(job["error"]["message"].as_str().unwrap_or_default().contains("SHA-256"), "{job}");
    // Another base's token sees neither the file nor the job.
    let other = people("uploads-other");
    let file = uploaded(&base, content);
    import(&other, json!({"file": file})).assert_error(404, "NOT_FOUND");
    let job = imported(&base, json!({"file": file}));
    assert_eq!(job["state"], "succeeded", "{job}");
    get(&format!("/v1/jobs/{}", job["id"].as_str().expect("id")), Some(&other.token)).assert_error(404, "NOT_FOUND");
    get("/v1/jobs/not-a-uuid", Some(&base.token)).assert_error(404, "NOT_FOUND");
}

/// `rows` people as CSV.
/// Follows a job's event stream at `url` until its `done` event, resuming each stream that
/// ends before with `Last-Event-ID` as `EventSource` would: the events read, and how many
/// streams it took.
fn follow(url: &str, base: &Base) -> (Vec<e2e::Event>, usize) {
    let authorization = format!("Bearer {}", base.token);
    let (mut events, mut streams): (Vec<e2e::Event>, usize) = (Vec::new(), 0);
    let started = Instant::now();
    while events.last().is_none_or(|event| event.event != "done") {
        assert!(started.elapsed() < Duration::from_secs(120), "the job did not finish: {events:?}");
        let last = events.last().and_then(|event| event.id.clone());
        let mut headers = vec![("authorization", authorization.as_str())];
        headers.extend(last.as_deref().map(|last| ("last-event-id", last)));
        let mut stream = e2e::open_events(url, &headers).unwrap_or_else(|reply| panic!("{url}: {reply:?}"));
        streams += 1;
        assert_eq!(stream.header("content-type"), Some("text/event-stream"));
        assert!(stream.header("x-request-id").is_some_and(|id| id.starts_with("req_")));
        while let Some(event) = stream.next_event() {
            events.push(event);
        }
    }
    (events, streams)
}

/// Checks what a job's events must be: one per revision, in order, each the job as it was,
/// `progress` until the last, `done`, which is its final state; that last job.
fn check_events(events: &[e2e::Event], id: &str) -> Value {
    let revisions: Vec<i64> =
        events.iter().map(|event| event.id.as_deref().expect("an id").parse().expect("a number")).collect();
    assert!(revisions.windows(2).all(|pair| pair[0] < pair[1]), "no state twice, none out of order: {revisions:?}");
    let jobs: Vec<Value> = events.iter().map(e2e::Event::json).collect();
    for (event, job) in events.iter().zip(&jobs) {
        assert_eq!(job["id"], id, "{job}");
        let running = ["queued", "running"].contains(&job["state"].as_str().unwrap_or_default());
        assert_eq!(event.event, if running { "progress" } else { "done" }, "{job}");
    }
    let written: Vec<i64> = jobs.iter().map(|job| job["progress"]["rows_written"].as_i64().expect("rows")).collect();
    assert!(written.windows(2).all(|pair| pair[0] <= pair[1]), "progress only grows: {written:?}");
    jobs.last().expect("a last event").clone()
}

#[test]
fn a_jobs_progress_streams_as_server_sent_events_and_resumes_after_the_last_one_read() {
    let base = people("import-events");
    let rows = 20_000;
    let file = uploaded(&base, many(rows).as_bytes());
    let reply = import(&base, json!({"file": file}));
    assert_eq!(reply.status, 202, "{}", reply.text);
    let id = reply.json()["id"].as_str().expect("id").to_owned();
    let url = format!("{}/v1/jobs/{id}/events", e2e::env().edge_url);
    let (events, _) = follow(&url, &base);
    let last = check_events(&events, &id);
    assert_eq!(last["state"], "succeeded", "{last}");
    assert_eq!(last["progress"]["rows_written"], rows, "{last}");
    assert_eq!(last["progress"], base.read(&format!("/v1/jobs/{id}"))["progress"]);
    let authorization = format!("Bearer {}", base.token);
    let auth = ("authorization", authorization.as_str());
    // Once the last state was read there is nothing more: a 204, which stops EventSource.
    let last_id = events.last().and_then(|event| event.id.clone()).expect("an id");
    let Err(over) = e2e::open_events(&url, &[auth, ("last-event-id", &last_id)]) else {
        panic!("a stream after the last state")
    };
    assert_eq!((over.status, over.text.as_str()), (204, ""), "{over:?}");
    // From an earlier position: the current state at once, then the end.
    let mut again = e2e::open_events(&url, &[auth, ("last-event-id", "0")]).expect("a stream");
    let event = again.next_event().expect("the final state");
    assert_eq!((event.event.as_str(), event.id.as_deref()), ("done", Some(last_id.as_str())));
    assert!(again.next_event().is_none(), "the stream ends after `done`");
    // Refusals come in the error model, before any stream opens.
    let refused = |url: &str, headers: &[(&str, &str)]| match e2e::open_events(url, headers) {
        Ok(_) => panic!("{url} opened a stream"),
        Err(reply) => reply,
    };
    refused(&url, &[auth, ("last-event-id", "soon")]).assert_error(400, "INVALID_REQUEST");
    refused(&format!("{url}?since=1"), &[auth]).assert_error(400, "INVALID_QUERY");
    refused(&url, &[]).assert_error(401, "AUTH_REQUIRED");
    let edge = &e2e::env().edge_url;
    let unknown = format!("{edge}/v1/jobs/{}/events", uuid::Uuid::new_v4());
    refused(&unknown, &[auth]).assert_error(404, "NOT_FOUND");
    refused(&format!("{edge}/v1/jobs/not-a-uuid/events"), &[auth]).assert_error(404, "NOT_FOUND");
    let other = people("import-events-other");
    let other_auth = format!("Bearer {}", other.token);
    refused(&url, &[("authorization", &other_auth)]).assert_error(404, "NOT_FOUND");
}

fn many(rows: usize) -> String {
    let mut csv = String::from("email,age,active\n");
    for row in 0..rows {
        csv.push_str(&format!("p{row}@example.com,{row},{}\n", row % 2 == 0));
    }
    csv
}

#[test]
fn a_cancelled_import_keeps_what_it_committed_and_stops() {
    let base = people("import-cancel");
    let file = uploaded(&base, many(60_000).as_bytes());
    let reply = import(&base, json!({"file": file}));
    assert_eq!(reply.status, 202, "{}", reply.text);
    let id = reply.json()["id"].as_str().expect("id").to_owned();
    let cancelled = call("POST", &format!("/v1/jobs/{id}/cancel"), &base.token, &[], None);
    assert_eq!(cancelled.status, 200, "{}", cancelled.text);
    let job = finished(&base, &id);
    assert_eq!(job["state"], "cancelled", "{job}");
    let written = job["progress"]["rows_written"].as_i64().expect("rows_written");
    assert!(written < 60_000, "{job}");
    let total: i64 = e2e::data_plane()
        .query_one(&format!("SELECT count(*) FROM {}", physical_people(&base)), &[])
        .expect("count")
        .get(0);
    assert_eq!(total, written, "the committed batches, and only them");
}

fn physical_people(base: &Base) -> String {
    let table = base.read("/v1/meta/tables/people");
    format!("b_{}.t_{}", base.base.replace('-', ""), table["id"].as_str().expect("table id").replace('-', ""))
}

#[test]
fn an_import_survives_the_death_of_its_origin_without_duplicates() {
    if !e2e::native() {
        return; // The own origin and edge run beside the native host.
    }
    let base = people("import-crash");
    // An edge whose event streams end after a second, to follow the job through its stall.
    let short = e2e::edge_towards(&e2e::env().origin_url, &[("stream_seconds", "1")]);
    let rows = 30_000;
    let file = uploaded(&base, many(rows).as_bytes());
    // An origin that aborts once its import committed two batches, behind an edge of its own.
    let mut origin = e2e::spawn_origin(&[("NC_FAILPOINT", "import-after-second-batch")]);
    let edge = e2e::edge_towards(&origin.url, &[]);
    let reply = e2e::send(
        "POST",
        &format!("{}/v1/tables/people/import:csv", edge.url),
        &[("authorization", &format!("Bearer {}", base.token)), ("content-type", "application/json")],
        Some(json!({"file": file}).to_string().as_bytes()),
    );
    assert_eq!(reply.status, 202, "{}", reply.text);
    let id = reply.json()["id"].as_str().expect("id").to_owned();
    let status = origin.wait();
    assert!(!status.success(), "the origin aborted at the failpoint");
    // The stack's origin takes the job over when its lease ends, and finishes it. Its
    // progress is followed meanwhile through one-second streams, so the client resumes
    // several times and still reads each state once.
    let (events, streams) = follow(&format!("{}/v1/jobs/{id}/events", short.url), &base);
    assert!(streams >= 2, "the job outlived a one-second stream: {events:?}");
    let job = check_events(&events, &id);
    assert_eq!(job["progress"], finished(&base, &id)["progress"], "the last event is the job's final state");
    assert_eq!(job["state"], "succeeded", "{job}");
    assert_eq!(job["progress"]["rows_written"], rows, "{job}");
    assert_eq!(job["progress"]["errors"], 0, "no row was loaded twice: {job}");
    let mut data = e2e::data_plane();
    let total: i64 =
        data.query_one(&format!("SELECT count(*) FROM {}", physical_people(&base)), &[]).expect("count").get(0);
    assert_eq!(total, rows as i64);
    let attempts: i32 =
        data.query_one("SELECT attempts FROM nc.jobs WHERE id = $1::text::uuid", &[&id]).expect("the job's row").get(0);
    assert_eq!(attempts, 2, "a second worker finished it");
    let changes: i64 = data
        .query_one(&format!("SELECT count(*) FROM b_{}.\"_changes\"", base.base.replace('-', "")), &[])
        .expect("changes")
        .get(0);
    assert_eq!(changes, rows as i64, "one change per record, none twice");
}

#[test]
fn an_export_equals_the_api_pages_of_the_same_query() {
    let base = people("export");
    let job = imported(&base, json!({"csv": many(2_500)}));
    assert_eq!(job["state"], "succeeded", "{job}");
    base.created(
        "people",
        json!({"email": "quoted@example.com", "note": "a \"quote\", a comma\nand a line", "tags": ["a"]}),
    );
    let query = "filter[age][lt]=2000&sort=age:desc&fields=email,age,tags,note";
    let reply = get(&format!("/v1/tables/people/export:csv?{query}"), Some(&base.token));
    assert_eq!(reply.status, 202, "{}", reply.text);
    let job = finished(&base, reply.json()["id"].as_str().expect("id"));
    assert_eq!(job["state"], "succeeded", "{job}");
    assert_eq!(job["kind"], "export_csv");
    assert_eq!(job["progress"]["rows_read"], 2000, "{job}");
    let csv = download(job["result"]["download_url"].as_str().expect("download_url"));
    // The API's pages of the same query, rendered the same way.
    let mut expected = String::from("id,email,age,tags,note,created_at,updated_at\r\n");
    let mut cursor: Option<String> = None;
    loop {
        let page_path = match &cursor {
            None => format!("/v1/tables/people/records?{query}&limit=1000"),
            Some(cursor) => format!("/v1/tables/people/records?{query}&limit=1000&cursor={cursor}"),
        };
        let page = base.read(&page_path);
        for record in page["data"].as_array().expect("data") {
            let cell = |value: &Value| match value {
                Value::Null => String::new(),
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            let cells = [
                cell(&record["id"]),
                cell(&record["values"]["email"]),
                cell(&record["values"]["age"]),
                cell(&record["values"]["tags"]),
                cell(&record["values"]["note"]),
                cell(&record["created_at"]),
                cell(&record["updated_at"]),
            ];
            let quoted: Vec<String> = cells
                .iter()
                .map(|cell| match cell.contains([',', '"', '\n', '\r']) {
                    true => format!("\"{}\"", cell.replace('"', "\"\"")),
                    false => cell.clone(),
                })
                .collect();
            expected.push_str(&quoted.join(","));
            expected.push_str("\r\n");
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(csv, expected);
    // Refusals, as for a list.
    get("/v1/tables/people/export:csv?limit=5", Some(&base.token)).assert_error(400, "INVALID_QUERY");
    get("/v1/tables/people/export:csv?sort=nope", Some(&base.token)).assert_error(400, "INVALID_QUERY");
    // The exported file round-trips: imported into a fresh base by its ids, it is the same.
    let copy = people("export-copy");
    let file = uploaded(&copy, csv.as_bytes());
    let job = imported(&copy, json!({"file": file}));
    assert_eq!(job["state"], "succeeded", "{job}");
    assert_eq!(job["result"]["ignored_columns"], json!(["created_at", "updated_at"]), "{job}");
    assert_eq!(job["progress"]["rows_written"], 2000, "{job}");
}

#[test]
fn files_and_jobs_past_their_retention_are_swept_from_the_store() {
    let base = people("sweep");
    let file = uploaded(&base, b"email\nnot-an-email\n");
    let import = imported(&base, json!({"file": file}));
    let report = import["result"]["errors_url"].as_str().expect("an error report").to_owned();
    let reply = get("/v1/tables/people/export:csv", Some(&base.token));
    assert_eq!(reply.status, 202, "{}", reply.text);
    let export = finished(&base, reply.json()["id"].as_str().expect("id"));
    let exported = export["result"]["download_url"].as_str().expect("a download").to_owned();
    download(&report);
    // Another base's files stay.
    let other = people("sweep-other");
    let kept = uploaded(&other, b"email\na@example.com\n");
    let swept = e2e::origin_admin(&["sweep-files", "--base", &base.base, "--older-than", "0s"]);
    assert_eq!(swept["files"], 3, "the upload, the error report and the export: {swept}");
    for url in [&report, &exported] {
        let reply = e2e::send("GET", url, &[], None);
        assert_eq!(reply.status, 404, "{url} is gone: {}", reply.text);
    }
    get(&format!("/v1/jobs/{}", import["id"].as_str().expect("id")), Some(&base.token)).assert_error(404, "NOT_FOUND");
    let job = imported(&other, json!({"file": kept}));
    assert_eq!(job["state"], "succeeded", "{job}");
}

/// `docs`: a title, `images` (image/* and text/plain files) and `contract` (any file).
fn docs(label: &str) -> Base {
    let base = Base::new(label);
    let reply = base.schema(
        "POST",
        "/tables",
        json!({"name": "docs", "fields": [
            {"name": "title", "type": "text"},
            {"name": "images", "type": "file", "options": ["image/*", "text/plain"]},
            {"name": "contract", "type": "file"},
        ]}),
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
    base
}

/// The attachments of a record's file field, each with a `url` that downloads its bytes.
fn attachments(record: &Value, field: &str) -> Vec<Value> {
    let files = record["values"][field].as_array().cloned().unwrap_or_default();
    for file in &files {
        assert!(file["url"].as_str().is_some_and(|url| url.starts_with("http")), "a signed url: {file}");
    }
    files
}

fn count(base: &Base, table: &str) -> usize {
    base.read(&format!("/v1/tables/{table}/records?limit=1000"))["data"].as_array().expect("data").len()
}

#[test]
fn attachments_are_checked_committed_signed_and_swept_with_their_records() {
    let base = docs("attachments");
    let note = upload_as(&base, "Notes ü.txt", "text/plain", b"hello");
    let created = base.create("docs", json!({"title": "a", "images": [note]}));
    assert_eq!(created.status, 201, "{}", created.text);
    let record = created.json();
    let files = attachments(&record, "images");
    assert_eq!(files.len(), 1, "{record}");
    assert_eq!(
        (&files[0]["id"], &files[0]["name"], &files[0]["size"], &files[0]["content_type"]),
        (&json!(note), &json!("Notes ü.txt"), &json!(5), &json!("text/plain")),
        "{record}"
    );
    let reply = e2e::send("GET", files[0]["url"].as_str().expect("url"), &[], None);
    assert_eq!((reply.status, reply.text.as_str()), (200, "hello"));
    let disposition = reply.header("content-disposition").unwrap_or_default().to_owned();
    assert!(disposition.contains("filename*=UTF-8''Notes%20%C3%BC.txt"), "{disposition}");
    let id = record["id"].as_str().expect("id").to_owned();
    // Reads sign them too, one record or a page; a client may send a read value back.
    let read = base.read(&format!("/v1/tables/docs/records/{id}"));
    let again = attachments(&read, "images");
    assert_eq!(download(again[0]["url"].as_str().expect("url")), "hello");
    let page = base.read("/v1/tables/docs/records");
    assert_eq!(attachments(&page["data"][0], "images").len(), 1, "{page}");
    let renamed = json!([{"id": note, "name": "renamed.txt", "size": 5, "url": "ignored"}]);
    let reply = call(
        "PATCH",
        &format!("/v1/tables/docs/records/{id}"),
        &base.token,
        &[],
        Some(&json!({"values": {"images": renamed}})),
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(attachments(&reply.json(), "images")[0]["name"], "renamed.txt");
    // Records another table links from, included with this one, are signed too.
    let reply = base.schema(
        "POST",
        "/tables",
        json!({"name": "scans", "fields": [
            {"name": "doc", "type": "link", "link": {"table": "docs"}}, {"name": "scan", "type": "file"}]}),
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
    let scan = upload_as(&base, "scan.txt", "text/plain", b"scanned");
    base.created("scans", json!({"doc": id, "scan": [scan]}));
    let read = base.read(&format!("/v1/tables/docs/records/{id}?include=scans.doc"));
    let linking = &read["included"]["scans.doc"]["data"][0];
    assert_eq!(download(attachments(linking, "scan")[0]["url"].as_str().expect("url")), "scanned", "{read}");

    // Refused, naming the field, and nothing is written.
    let before = count(&base, "docs");
    let refuse = |values: Value, field: &str, reason: &str| {
        let reply = base.create("docs", values);
        let error = reply.assert_error(422, "VALIDATION_ERROR");
        assert_eq!(
            (&error["error"]["details"]["field"], &error["error"]["details"]["reason"]),
            (&json!(field), &json!(reason)),
            "{error}"
        );
    };
    refuse(json!({"images": [uuid::Uuid::new_v4()]}), "images", "unknown_file");
    let foreign = upload_as(&docs("attachments-other"), "x.txt", "text/plain", b"other base");
    refuse(json!({"images": [foreign]}), "images", "unknown_file");
    let pdf = upload_as(&base, "contract.pdf", "application/pdf", b"%PDF-1.4");
    refuse(json!({"images": [pdf]}), "images", "content_type");
    refuse(json!({"contract": [note]}), "contract", "attached_elsewhere");
    let announced = sign_upload(&base, json!({"name": "never.txt", "content_type": "text/plain", "size": 3})).json();
    refuse(json!({"images": [announced["file_id"]]}), "images", "not_uploaded");
    let reply = sign_upload(
        &base,
        json!({"name": "x.txt", "content_type": "text/plain", "size": 3, "sha256": hex::encode(shared::token::sha256(b"abc"))}),
    );
    let form = reply.json();
    assert!(post_form(&form, b"xyz", "text/plain").status < 300);
    refuse(json!({"images": [form["file_id"]]}), "images", "not_uploaded");
    refuse(json!({"images": "not a list"}), "images", "invalid_type");
    assert_eq!(count(&base, "docs"), before, "no refused write left a record");

    // A file no record holds any more is swept; one a record holds stays.
    let holder = base.created("docs", json!({"title": "b", "contract": [pdf]}));
    let pdf_url = attachments(&base.read(&format!("/v1/tables/docs/records/{holder}")), "contract")[0]["url"]
        .as_str()
        .expect("url")
        .to_owned();
    let note_url = again[0]["url"].as_str().expect("url").to_owned();
    let reply = call(
        "PATCH",
        &format!("/v1/tables/docs/records/{id}"),
        &base.token,
        &[],
        Some(&json!({"values": {"images": []}})),
    );
    assert_eq!((reply.status, &reply.json()["values"]["images"]), (200, &Value::Null), "{}", reply.text);
    let swept = e2e::origin_admin(&["sweep-files", "--base", &base.base, "--older-than", "0s"]);
    assert_eq!(e2e::send("GET", &note_url, &[], None).status, 404, "the detached file is gone: {swept}");
    assert_eq!(download(&pdf_url), "%PDF-1.4", "the held file stays");
    let reply = call("DELETE", &format!("/v1/tables/docs/records/{holder}"), &base.token, &[], None);
    assert_eq!(reply.status, 200, "{}", reply.text);
    e2e::origin_admin(&["sweep-files", "--base", &base.base, "--older-than", "0s"]);
    assert_eq!(e2e::send("GET", &pdf_url, &[], None).status, 404, "the deleted record's file is gone");
    refuse(json!({"contract": [pdf]}), "contract", "unknown_file");
}

#[test]
fn uploads_follow_the_base_settings_and_the_plan_caps_what_it_stores() {
    let base = docs("upload-limits");
    let settings = base.schema("PUT", "/files/settings", json!({"max_upload_bytes": 10, "content_types": ["Image/*"]}));
    assert_eq!(settings.status, 200, "{}", settings.text);
    assert_eq!(settings.json()["content_types"], json!(["image/*"]));
    assert_eq!(settings.json()["max_upload_bytes"], 10);
    sign_upload(&base, json!({"name": "a.png", "content_type": "image/png", "size": 11}))
        .assert_error(413, "PAYLOAD_TOO_LARGE");
    let error = sign_upload(&base, json!({"name": "a.txt", "content_type": "text/plain", "size": 5}))
        .assert_error(422, "VALIDATION_ERROR");
    assert_eq!(error["error"]["details"]["field"], "content_type", "{error}");
    base.schema("PUT", "/files/settings", json!({"content_types": ["plain text"]}))
        .assert_error(422, "VALIDATION_ERROR");
    // The plan caps the bytes a base keeps.
    e2e::put_on_plan(&base.owner, &["--max-stored-bytes", "12"]);
    assert_eq!(base.schema("PUT", "/files/settings", json!({})).status, 200);
    upload_as(&base, "a.png", "image/png", b"0123456789");
    let error = sign_upload(&base, json!({"name": "b.png", "content_type": "image/png", "size": 3}))
        .assert_error(403, "PLAN_LIMIT");
    assert_eq!(error["error"]["details"]["limit"], "max_stored_bytes", "{error}");
    let usage = base.schema("GET", "/usage", Value::Null);
    assert_eq!(usage.status, 200, "{}", usage.text);
    let storage = &usage.json()["storage"];
    assert_eq!(
        (&storage["stored_bytes"], &storage["files"], &storage["max_stored_bytes"]),
        (&json!(10), &json!(1), &json!(12)),
        "{storage}"
    );
}

#[test]
fn the_origin_reaches_a_store_over_https_trusting_only_what_it_is_told() {
    if !e2e::native() {
        return; // The own origins and edge run beside the native host.
    }
    let (Ok(endpoint), Ok(authority)) = (std::env::var("E2E_S3_TLS_ENDPOINT"), std::env::var("E2E_S3_CA_FILE")) else {
        panic!("E2E_S3_TLS_ENDPOINT and E2E_S3_CA_FILE name the store's HTTPS port and its certificate");
    };
    let base = docs("tls");
    // Clients keep the plain address; the origin's own requests go over TLS.
    let public = std::env::var("NC_S3_ENDPOINT").expect("NC_S3_ENDPOINT");
    let attach = |variables: &[(&str, &str)]| {
        let origin = e2e::spawn_origin(variables);
        let edge = e2e::edge_towards(&origin.url, &[]);
        let file = upload_as(&base, "tls.txt", "text/plain", b"over tls");
        let body = json!({"values": {"images": [file]}}).to_string();
        let reply = e2e::send(
            "POST",
            &format!("{}/v1/tables/docs/records", edge.url),
            &[("authorization", &format!("Bearer {}", base.token)), ("content-type", "application/json")],
            Some(body.as_bytes()),
        );
        drop((edge, origin));
        reply
    };
    let trusted =
        attach(&[("NC_S3_ENDPOINT", &endpoint), ("NC_S3_CA_FILE", &authority), ("NC_S3_PUBLIC_ENDPOINT", &public)]);
    assert_eq!(trusted.status, 201, "the upload was checked over TLS: {}", trusted.text);
    let url = trusted.json()["values"]["images"][0]["url"].as_str().expect("url").to_owned();
    assert!(url.starts_with(&public), "{url}");
    assert_eq!(download(&url), "over tls");
    // A certificate no authority it trusts signed is refused: the write fails, writing nothing.
    let untrusted = attach(&[("NC_S3_ENDPOINT", &endpoint), ("NC_S3_PUBLIC_ENDPOINT", &public)]);
    untrusted.assert_error(503, "SERVICE_UNAVAILABLE");
    assert_eq!(count(&base, "docs"), 1);
}

/// A token of `base` for its owner.
fn token_of(owner: &e2e::Account, base: &str) -> String {
    let body = json!({"name": "replay", "scopes": ["read", "write", "delete"]});
    let token = e2e::manage("POST", &format!("/bases/{base}/tokens"), Some(&owner.access), Some(&body));
    assert_eq!(token.status, 201, "{}", token.text);
    token.json()["token"].as_str().expect("token").to_owned()
}

/// A base with links, rules, a unique field, a computed field, an index, a published
/// view, a webhook, an attachment and former names: what an archive must carry.
fn rich_base(label: &str) -> Base {
    let base = Base::new(label);
    let tables = [
        json!({"name": "customers", "fields": [
            {"name": "name", "type": "text", "required": true, "unique": true, "rules": {"max_length": 40}},
            {"name": "tier", "type": "single_select", "options": ["gold", "silver"]},
            {"name": "photo", "type": "file"},
        ]}),
        json!({"name": "orders", "fields": [
            {"name": "customer", "type": "link", "link": {"table": "customers", "display": "name"}},
            {"name": "total", "type": "number"},
            {"name": "placed", "type": "datetime"},
            {"name": "meta", "type": "json"},
        ]}),
    ];
    for table in tables {
        let reply = base.schema("POST", "/tables", table);
        assert_eq!(reply.status, 201, "{}", reply.text);
    }
    let doubled = base.schema(
        "POST",
        "/tables/orders/fields",
        json!({"name": "doubled", "type": "formula", "formula": "total * 2"}),
    );
    assert_eq!(doubled.status, 201, "{}", doubled.text);
    let rules = base.schema(
        "PUT",
        "/tables/orders/rules",
        json!({"rules": [{"name": "positive", "then": {"field": "total", "op": "gte", "value": 0}, "message": "A total is never negative."}]}),
    );
    assert_eq!(rules.status, 200, "{}", rules.text);
    let index = base.schema("POST", "/tables/orders/indexes", json!({"name": "by_total", "fields": ["total:desc"]}));
    assert!(index.status < 300, "{}", index.text);
    let renamed = base.schema("PATCH", "/tables/orders/fields/placed", json!({"name": "placed_at"}));
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    let photo = upload_as(&base, "ada.png", "image/png", b"PNG, not really");
    let mut customers = Vec::new();
    for (index, name) in ["Ada", "Grace", "Edsger", "Barbara"].iter().enumerate() {
        let values = if index == 0 {
            json!({"name": name, "tier": "gold", "photo": [photo]})
        } else {
            json!({"name": name, "tier": "silver"})
        };
        customers.push(base.created("customers", values));
    }
    for index in 0..30 {
        let values = json!({
            "customer": customers[index % customers.len()],
            "total": index * 7 % 50,
            "placed_at": format!("2026-0{}-1{}T10:00:00Z", index % 9 + 1, index % 10),
            "meta": {"n": index, "text": "line\nbreak\ttab \\ backslash"},
        });
        base.created("orders", values);
    }
    let view = base.schema(
        "POST",
        "/views",
        json!({"name": "big", "table": "orders", "fields": ["total", "placed_at"],
            "filters": [{"field": "total", "op": "gte", "value": 20}], "sort": ["total"]}),
    );
    assert_eq!(view.status, 201, "{}", view.text);
    let published =
        base.schema("PUT", "/views/big/publish", json!({"enabled": true, "slug": format!("big-{}", &base.base[..8])}));
    assert_eq!(published.status, 200, "{}", published.text);
    let hook = base.schema(
        "POST",
        "/webhooks",
        json!({"name": "crm", "url": "http://127.0.0.1:9/hook", "events": ["record.created"]}),
    );
    assert!(hook.status < 300, "{}", hook.text);
    base
}

/// The requests a restored base must answer as its source did, by path.
const REPLAYED: &[&str] = &[
    "/v1/tables/customers/records?sort=name",
    "/v1/tables/orders/records?sort=total:desc,placed_at&limit=7",
    "/v1/tables/orders/records?filter[total][gte]=20&fields=total,doubled,customer&include=customer",
    "/v1/tables/orders/records?where=%7B%22or%22%3A%5B%7B%22field%22%3A%22total%22%2C%22op%22%3A%22lt%22%2C%22value%22%3A5%7D%2C%7B%22field%22%3A%22total%22%2C%22op%22%3A%22gt%22%2C%22value%22%3A45%7D%5D%7D&limit=5",
    "/v1/tables/orders/records?filter[placed][eq]=2026-01-10T10:00:00Z",
];

/// An answer with the parts that differ by design between two bases made the same:
/// signed download addresses and encrypted cursors.
fn comparable(mut value: Value) -> Value {
    fn scrub(value: &mut Value) {
        match value {
            Value::Object(members) => {
                members.remove("url");
                members.remove("request_id");
                // Encrypted with a fresh nonce each time: compared by what they page to, below.
                members.remove("next_cursor");
                // A position in the change log, which a copy starts anew.
                members.remove("position");
                for member in members.values_mut() {
                    scrub(member);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(scrub),
            _ => {}
        }
    }
    scrub(&mut value);
    value
}

#[test]
fn a_base_restored_from_its_archive_answers_the_same_requests() {
    let source = rich_base("archive-source");
    let owner = &source.owner;
    // The archive: an export job, with its progress, the snapshot's record count and a download.
    let path = format!("/bases/{}/export", source.base);
    let started = e2e::manage("POST", &path, Some(&owner.access), Some(&json!({"include_files": true})));
    assert_eq!(started.status, 202, "{}", started.text);
    let export = e2e::finished_job(owner, &source.base, started.json()["id"].as_str().expect("id"));
    assert_eq!(export["state"], "succeeded", "{export}");
    assert_eq!(export["kind"], "export_base");
    assert_eq!(export["progress"]["rows_total"], 34, "{export}");
    assert_eq!(export["progress"]["rows_read"], 34, "{export}");
    let url = export["result"]["download_url"].as_str().expect("a download");
    let archive = ureq::get(url).call().expect("download").body_mut().read_to_vec().expect("the archive");
    assert!(archive.starts_with(&[0x1f, 0x8b]), "a gzip stream");

    // Restored into a new base, from that job.
    let body = json!({"name": "restored", "from": {"base": source.base, "job": export["id"]}});
    let restoring = e2e::manage(
        "POST",
        &format!("/workspaces/{}/bases:restore", owner.workspace),
        Some(&owner.access),
        Some(&body),
    );
    assert_eq!(restoring.status, 202, "{}", restoring.text);
    let restoring = restoring.json();
    assert_eq!(restoring["base"]["restoring"], true);
    let restored = restoring["base"]["id"].as_str().expect("base").to_owned();
    let job = e2e::finished_job(owner, &restored, restoring["job"]["id"].as_str().expect("job"));
    assert_eq!(job["state"], "succeeded", "{job}");
    let report = &job["result"]["restored"];
    assert_eq!(report["records"], 34, "{job}");
    assert_eq!(report["tables"], 2);
    assert_eq!(report["files"], 1);
    assert_eq!(report["views_to_publish"], json!(["big"]));
    assert_eq!(report["tokens_not_restored"], 1, "the source's token is listed, not restored");
    assert_eq!(report["webhooks_disabled"], 1);
    assert_eq!(job["progress"]["rows_written"], 34);
    let bases = e2e::manage("GET", &format!("/workspaces/{}/bases", owner.workspace), Some(&owner.access), None).json();
    let listed = bases["data"].as_array().expect("bases").iter().find(|base| base["id"] == restored.as_str()).cloned();
    assert_eq!(listed.expect("listed")["restoring"], Value::Null, "usable once its job succeeded");
    // The downloaded file restores the same way, uploaded.
    let file = upload_as(&source, "source.ncbase.gz", "application/gzip", &archive);
    let body = json!({"name": "from a file", "from": {"base": source.base, "file": file}});
    let again = e2e::manage(
        "POST",
        &format!("/workspaces/{}/bases:restore", owner.workspace),
        Some(&owner.access),
        Some(&body),
    );
    assert_eq!(again.status, 202, "{}", again.text);
    let again = again.json();
    let job_again = e2e::finished_job(
        owner,
        again["base"]["id"].as_str().expect("base"),
        again["job"]["id"].as_str().expect("job"),
    );
    assert_eq!(job_again["result"]["restored"]["records"], 34, "{job_again}");

    // The same requests, the same answers: records, ids, versions (ETags), cursors, former names.
    let token = token_of(owner, &restored);
    for path in REPLAYED {
        let (before, after) = (get(path, Some(&source.token)), get(path, Some(&token)));
        assert_eq!(before.status, 200, "{path}: {}", before.text);
        assert_eq!(after.status, before.status, "{path}: {}", after.text);
        assert_eq!(comparable(after.json()), comparable(before.json()), "{path}");
    }
    // Cursors are bound to their table, so each base pages with its own, to the same records.
    let first = "/v1/tables/orders/records?limit=4&sort=total";
    let next = |token: &str| {
        let page = get(first, Some(token)).json();
        let cursor = page["next_cursor"].as_str().expect("cursor").to_owned();
        comparable(get(&format!("{first}&cursor={cursor}"), Some(token)).json())
    };
    assert_eq!(next(&token), next(&source.token), "the second pages agree");
    let page = source.read(first);
    let one = &page["data"][0];
    let record = format!("/v1/tables/orders/records/{}", one["id"].as_str().expect("id"));
    assert_eq!(get(&record, Some(&token)).header("etag"), get(&record, Some(&source.token)).header("etag"));
    // The attachment came with its bytes.
    let ada = get("/v1/tables/customers/records?filter[name][eq]=Ada", Some(&token)).json();
    let photo = ada["data"][0]["values"]["photo"][0]["url"].as_str().expect("an attachment").to_owned();
    assert_eq!(e2e::send("GET", &photo, &[], None).text, "PNG, not really");
    // Constraints came back: the unique name, the link, the rule.
    call("POST", "/v1/tables/customers/records", &token, &[], Some(&json!({"values": {"name": "Ada"}})))
        .assert_error(409, "UNIQUE_VIOLATION");
    let broken = json!({"values": {"customer": uuid::Uuid::new_v4(), "total": 1}});
    assert!(call("POST", "/v1/tables/orders/records", &token, &[], Some(&broken)).status >= 400);
    call("POST", "/v1/tables/orders/records", &token, &[], Some(&json!({"values": {"total": -1}})))
        .assert_error(422, "VALIDATION_ERROR");
    // The source is untouched, and the copy is independent of it.
    source.created("customers", json!({"name": "Only in the source"}));
    let count = |token: &str| get("/v1/tables/customers/records", Some(token)).json()["data"].as_array().map(Vec::len);
    assert_eq!((count(&source.token), count(&token)), (Some(5), Some(4)));
}

#[test]
fn a_clone_copies_a_base_in_one_step_and_bad_archives_are_refused() {
    let source = rich_base("archive-clone");
    let owner = &source.owner;
    let body = json!({"name": "copy", "include_files": false});
    let cloning = e2e::manage("POST", &format!("/bases/{}/clone", source.base), Some(&owner.access), Some(&body));
    assert_eq!(cloning.status, 202, "{}", cloning.text);
    let cloning = cloning.json();
    let copy = cloning["base"]["id"].as_str().expect("base").to_owned();
    assert_eq!(cloning["base"]["workspace_id"], owner.workspace.as_str());
    // While it fills, the copy takes no schema change.
    let change = e2e::manage(
        "POST",
        &format!("/bases/{copy}/tables"),
        Some(&owner.access),
        Some(&json!({"name": "t", "fields": []})),
    );
    let job = e2e::finished_job(owner, &copy, cloning["job"]["id"].as_str().expect("job"));
    assert!(change.status == 201 || change.status == 503, "{}", change.text);
    assert_eq!(job["state"], "succeeded", "{job}");
    assert_eq!(job["result"]["restored"]["files_omitted"], 1, "{job}");
    let token = token_of(owner, &copy);
    let ada = get("/v1/tables/customers/records?filter[name][eq]=Ada", Some(&token)).json();
    assert_eq!(ada["data"][0]["values"]["photo"], Value::Null, "without its bytes, an attachment is left out");
    let orders =
        |token: &str| comparable(get("/v1/tables/orders/records?sort=total&fields=total,doubled", Some(token)).json());
    assert_eq!(orders(&token), orders(&source.token));

    // Someone else cannot clone it, nor restore its archives.
    let stranger = e2e::register("archive-stranger");
    let refused = e2e::manage(
        "POST",
        &format!("/bases/{}/clone", source.base),
        Some(&stranger.access),
        Some(&json!({"name": "x"})),
    );
    assert!(refused.status == 403 || refused.status == 404, "{}", refused.text);
    let from_other = json!({"name": "x", "from": {"base": source.base, "file": uuid::Uuid::new_v4()}});
    let path = format!("/workspaces/{}/bases:restore", stranger.workspace);
    let refused = e2e::manage("POST", &path, Some(&stranger.access), Some(&from_other));
    assert!(refused.status == 403 || refused.status == 404, "{}", refused.text);
    // Neither or both sources; an unknown job; a file that is no archive; a newer archive.
    let path = format!("/workspaces/{}/bases:restore", owner.workspace);
    let restore =
        |from: Value| e2e::manage("POST", &path, Some(&owner.access), Some(&json!({"name": "r", "from": from})));
    restore(json!({"base": source.base})).assert_error(400, "INVALID_REQUEST");
    restore(json!({"base": source.base, "job": uuid::Uuid::new_v4()})).assert_error(404, "NOT_FOUND");
    let csv = upload_as(&source, "people.csv", "text/csv", b"a,b\n1,2\n");
    let refused = restore(json!({"base": source.base, "file": csv})).assert_error(422, "VALIDATION_ERROR");
    assert!(refused["error"]["message"].as_str().unwrap_or_default().contains("not a base archive"), "{refused}");
    let newer = {
        use std::io::Write;
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let header = json!({"format": shared::archive::FORMAT, "version": shared::archive::VERSION + 1});
        writeln!(gzip, "{header}").expect("gzip");
        gzip.finish().expect("gzip")
    };
    let newer = upload_as(&source, "future.ncbase.gz", "application/gzip", &newer);
    let refused = restore(json!({"base": source.base, "file": newer})).assert_error(422, "VALIDATION_ERROR");
    assert!(refused["error"]["message"].as_str().unwrap_or_default().contains("newer version"), "{refused}");
    // None of the refusals made a base.
    let bases = e2e::manage("GET", &format!("/workspaces/{}/bases", owner.workspace), Some(&owner.access), None).json();
    assert_eq!(bases["data"].as_array().map(Vec::len), Some(2), "{bases}");
}

/// `origin admin <args>` that must fail: its standard error.
fn origin_admin_refused(args: &[&str]) -> String {
    let output = e2e::origin_admin_output(args);
    assert!(!output.status.success(), "origin admin {args:?} succeeded");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn operators_export_restore_and_clone_a_base_from_the_command_line() {
    let source = rich_base("archive-cli");
    let owner = &source.owner;
    let operator = e2e::register("archive-operator");
    e2e::origin_admin(&["operator", "--email", &operator.email]);
    let email = operator.email.as_str();
    let out = std::env::temp_dir().join(format!("cli-{}.ncbase.gz", source.base));
    let out_text = out.to_str().expect("a path");

    // Exported to a file, with the job's progress and end.
    let exported = e2e::origin_admin(&[
        "export-base",
        "--as",
        email,
        "--base",
        &source.base,
        "--include-files",
        "--out",
        out_text,
    ]);
    assert_eq!(exported["job"]["state"], "succeeded", "{exported}");
    assert_eq!(exported["job"]["rows_read"], 34, "{exported}");
    let archive = std::fs::read(&out).expect("the saved archive");
    assert!(archive.starts_with(&[0x1f, 0x8b]), "a gzip stream");

    // Restored from that file into the owner's workspace: the same answers.
    let restored = e2e::origin_admin(&[
        "restore-base",
        "--as",
        email,
        "--workspace",
        &owner.workspace,
        "--name",
        "from the command line",
        "--file",
        out_text,
    ]);
    assert_eq!(restored["job"]["state"], "succeeded", "{restored}");
    assert_eq!(restored["job"]["rows_written"], 34, "{restored}");
    let orders =
        |token: &str| comparable(get("/v1/tables/orders/records?sort=total&fields=total,doubled", Some(token)).json());
    let copy = restored["base_id"].as_str().expect("base");
    assert_eq!(orders(&token_of(owner, copy)), orders(&source.token));
    let photo = |token: &str| get("/v1/tables/customers/records?filter[name][eq]=Ada", Some(token)).json();
    assert_eq!(
        photo(&token_of(owner, copy))["data"][0]["values"]["photo"][0]["size"],
        photo(&source.token)["data"][0]["values"]["photo"][0]["size"]
    );

    // Cloned in one step, without the files' bytes.
    let cloned = e2e::origin_admin(&[
        "clone-base",
        "--as",
        email,
        "--base",
        &source.base,
        "--name",
        "cli copy",
        "--without-files",
    ]);
    assert_eq!(cloned["job"]["state"], "succeeded", "{cloned}");
    let clone = cloned["base_id"].as_str().expect("base");
    assert_eq!(orders(&token_of(owner, clone)), orders(&source.token));
    let bases = e2e::manage("GET", &format!("/workspaces/{}/bases", owner.workspace), Some(&owner.access), None).json();
    assert_eq!(bases["data"].as_array().map(Vec::len), Some(3), "{bases}");
    // The tenant's audit log names the operator, for each of the three.
    let path = format!("/workspaces/{}/audit?actor=user:{}", owner.workspace, operator.id);
    let audit = e2e::manage("GET", &path, Some(&owner.access), None).json();
    let mut actions: Vec<&str> =
        audit["data"].as_array().expect("events").iter().filter_map(|event| event["action"].as_str()).collect();
    actions.sort_unstable();
    assert_eq!(actions, ["base.create", "base.create", "base.export", "base.restore", "base.restore"], "{audit}");

    // Only operators; a file that is no archive makes no base.
    let refused = origin_admin_refused(&["export-base", "--as", &owner.email, "--base", &source.base]);
    assert!(refused.contains("is not an operator"), "{refused}");
    let junk = std::env::temp_dir().join(format!("cli-{}.csv", source.base));
    std::fs::write(&junk, "a,b\n1,2\n").expect("write");
    let refused = origin_admin_refused(&[
        "restore-base",
        "--as",
        email,
        "--workspace",
        &owner.workspace,
        "--name",
        "junk",
        "--file",
        junk.to_str().expect("a path"),
    ]);
    assert!(refused.contains("not a base archive"), "{refused}");
    let bases = e2e::manage("GET", &format!("/workspaces/{}/bases", owner.workspace), Some(&owner.access), None).json();
    assert_eq!(bases["data"].as_array().map(Vec::len), Some(3), "{bases}");
    let _ = std::fs::remove_file(out);
    let _ = std::fs::remove_file(junk);
}
