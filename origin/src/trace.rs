//! OpenTelemetry traces: the origin's spans, sent as OTLP/HTTP JSON to
//! `NC_OTLP_ENDPOINT` (a collector's base URL, `http://127.0.0.1:4318`).
//!
//! A `tracing` layer keeps each span of this crate (`origin::…` targets) with its trace
//! and ids: a span takes its trace from its parent span or, at a request's root (the
//! `execute` span), from its `traceparent` field, the W3C context the edge signed into
//! the envelope, so that the request is one trace from the edge's caller to the SQL. A
//! context marked not sampled is followed and not sent. A closed span goes to a bounded
//! queue (a full one drops it and counts the drop); one task sends the queue in batches,
//! and a collector that is down costs a warning a minute, never a request.
//!
//! Span fields become attributes, except `traceparent` and `otel.name` (the span's name,
//! when it differs from the static one: the operation of an `execute`).

use http_body_util::Full;
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use shared::trace::TraceParent;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::mpsc;
use tracing::span::{Attributes, Id, Record};
use tracing::{Subscriber, field::Field};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::LookupSpan;

/// Spans waiting to be sent; more are dropped.
const QUEUE: usize = 8192;
/// The most spans in one export.
const BATCH: usize = 512;
/// How long a batch waits for more spans.
const LINGER: Duration = Duration::from_millis(500);

/// Spans dropped because the queue was full.
pub static DROPPED: AtomicU64 = AtomicU64::new(0);

/// A span of this process, open or closed.
struct SpanData {
    trace_id: [u8; 16],
    span_id: [u8; 8],
    parent_span_id: Option<[u8; 8]>,
    sampled: bool,
    name: String,
    /// The request's root: a server span.
    root: bool,
    start_nanos: u64,
    end_nanos: u64,
    attributes: Vec<(String, Value)>,
    /// A traceparent field, read once at the root.
    traceparent: Option<String>,
}

/// The layer: keeps spans' data, queues closed ones.
pub struct OtlpLayer {
    queue: mpsc::Sender<SpanData>,
}

/// Sends queued spans to the collector.
pub struct Exporter {
    queue: mpsc::Receiver<SpanData>,
    endpoint: String,
}

/// The layer and its exporter for the collector at `endpoint` (run the exporter once a
/// runtime exists).
pub fn layer(endpoint: &str) -> (OtlpLayer, Exporter) {
    let (sender, receiver) = mpsc::channel(QUEUE);
    let endpoint = format!("{}/v1/traces", endpoint.trim_end_matches('/'));
    (OtlpLayer { queue: sender }, Exporter { queue: receiver, endpoint })
}

fn now_nanos() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_nanos() as u64)
}

fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // An id only has to be unlikely to repeat; the time stands in if the source fails.
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = now_nanos().to_le_bytes();
        for (index, byte) in bytes.iter_mut().enumerate() {
            *byte = nanos[index % 8] ^ index as u8;
        }
    }
    bytes[N - 1] |= u8::from(bytes.iter().all(|byte| *byte == 0));
    bytes
}

/// Collects a span's fields.
struct Fields<'a>(&'a mut SpanData);

impl Fields<'_> {
    fn put(&mut self, field: &Field, value: Value) {
        match field.name() {
            "traceparent" => self.0.traceparent = value.as_str().map(str::to_owned),
            "otel.name" => {
                if let Some(name) = value.as_str() {
                    self.0.name = name.to_owned();
                }
            }
            name => self.0.attributes.push((name.to_owned(), value)),
        }
    }
}

impl tracing::field::Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.put(field, Value::from(value));
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.put(field, Value::from(value));
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.put(field, Value::from(value));
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        self.put(field, Value::from(value));
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.put(field, Value::from(value));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.put(field, Value::from(format!("{value:?}")));
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for OtlpLayer {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let mut data = SpanData {
            trace_id: [0; 16],
            span_id: random(),
            parent_span_id: None,
            sampled: true,
            name: attrs.metadata().name().to_owned(),
            root: false,
            start_nanos: now_nanos(),
            end_nanos: 0,
            attributes: Vec::new(),
            traceparent: None,
        };
        attrs.record(&mut Fields(&mut data));
        let parent = span.parent().and_then(|parent| {
            parent.extensions().get::<SpanData>().map(|kept| (kept.trace_id, kept.span_id, kept.sampled))
        });
        match parent {
            Some((trace_id, span_id, sampled)) => {
                (data.trace_id, data.parent_span_id, data.sampled) = (trace_id, Some(span_id), sampled);
            }
            None => {
                data.root = true;
                match data.traceparent.as_deref().and_then(TraceParent::parse) {
                    Some(remote) => {
                        (data.trace_id, data.parent_span_id, data.sampled) =
                            (remote.trace_id, Some(remote.span_id), remote.sampled);
                    }
                    None => data.trace_id = random(),
                }
            }
        }
        span.extensions_mut().insert(data);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id)
            && let Some(data) = span.extensions_mut().get_mut::<SpanData>()
        {
            values.record(&mut Fields(data));
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(&id) else { return };
        let Some(mut data) = span.extensions_mut().remove::<SpanData>() else { return };
        if !data.sampled {
            return;
        }
        data.end_nanos = now_nanos();
        if self.queue.try_send(data).is_err() {
            DROPPED.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl Exporter {
    /// Sends batches for the life of the process.
    pub async fn run(mut self) {
        let mut connector = HttpConnector::new();
        connector.set_connect_timeout(Some(Duration::from_secs(2)));
        let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build(connector);
        let mut warned: Option<std::time::Instant> = None;
        while let Some(first) = self.queue.recv().await {
            let mut batch = vec![first];
            let linger = tokio::time::sleep(LINGER);
            tokio::pin!(linger);
            while batch.len() < BATCH {
                tokio::select! {
                    next = self.queue.recv() => match next {
                        Some(span) => batch.push(span),
                        None => break,
                    },
                    () = &mut linger => break,
                }
            }
            let body = Bytes::from(export_body(&batch).to_string());
            let request =
                hyper::Request::post(&self.endpoint).header("content-type", "application/json").body(Full::new(body));
            let Ok(request) = request else { return };
            let sent = tokio::time::timeout(Duration::from_secs(5), client.request(request)).await;
            let failure = match sent {
                Ok(Ok(response)) if response.status().is_success() => None,
                Ok(Ok(response)) => Some(format!("the collector answered {}", response.status())),
                Ok(Err(error)) => Some(error.to_string()),
                Err(_) => Some("the collector did not answer within 5 s".to_owned()),
            };
            if let Some(failure) = failure
                && warned.is_none_or(|at| at.elapsed() > Duration::from_secs(60))
            {
                warned = Some(std::time::Instant::now());
                tracing::warn!(error = failure, spans = batch.len(), endpoint = self.endpoint, "traces not exported");
            }
        }
    }
}

/// An OTLP/JSON `ExportTraceServiceRequest` of the spans.
fn export_body(spans: &[SpanData]) -> Value {
    let spans: Vec<Value> = spans
        .iter()
        .map(|span| {
            let failed = span.attributes.iter().any(|(name, value)| {
                name == "http.response.status_code" && value.as_u64().is_some_and(|code| code >= 500)
            });
            json!({
                "traceId": hex::encode(span.trace_id),
                "spanId": hex::encode(span.span_id),
                "parentSpanId": span.parent_span_id.map(hex::encode).unwrap_or_default(),
                "name": span.name,
                // SERVER for a request's root, INTERNAL within it.
                "kind": if span.root { 2 } else { 1 },
                "startTimeUnixNano": span.start_nanos.to_string(),
                "endTimeUnixNano": span.end_nanos.to_string(),
                "attributes": span.attributes.iter().map(|(key, value)| attribute(key, value)).collect::<Vec<_>>(),
                "status": { "code": if failed { 2 } else { 0 } },
            })
        })
        .collect();
    json!({
        "resourceSpans": [{
            "resource": { "attributes": [
                attribute("service.name", &Value::from("nc-origin")),
                attribute("service.version", &Value::from(env!("CARGO_PKG_VERSION"))),
            ]},
            "scopeSpans": [{ "scope": { "name": "origin" }, "spans": spans }],
        }]
    })
}

fn attribute(key: &str, value: &Value) -> Value {
    let value = match value {
        Value::Bool(flag) => json!({ "boolValue": flag }),
        Value::Number(number) if number.is_f64() => json!({ "doubleValue": number.as_f64() }),
        // OTLP/JSON writes 64-bit integers as strings.
        Value::Number(number) => json!({ "intValue": number.to_string() }),
        Value::String(text) => json!({ "stringValue": text }),
        other => json!({ "stringValue": other.to_string() }),
    };
    json!({ "key": key, "value": value })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing_subscriber::layer::SubscriberExt;

    #[test]
    fn spans_join_the_envelopes_trace_and_nest() {
        let (layer, mut exporter) = layer("http://127.0.0.1:1");
        let subscriber = tracing_subscriber::registry().with(layer);
        tracing::subscriber::with_default(subscriber, || {
            let root = tracing::info_span!(
                "execute",
                otel.name = "listRecords",
                traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                http.response.status_code = tracing::field::Empty
            );
            root.in_scope(|| {
                let _query = tracing::info_span!("db.query", db.system = "postgresql").entered();
            });
            root.record("http.response.status_code", 200u64);
            drop(root);
            let ignored =
                tracing::info_span!("execute", traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
            drop(ignored);
        });
        let mut spans = Vec::new();
        while let Ok(span) = exporter.queue.try_recv() {
            spans.push(span);
        }
        assert_eq!(spans.len(), 2, "the unsampled request is not sent");
        let (query, root) = (&spans[0], &spans[1]);
        assert_eq!((root.name.as_str(), root.root), ("listRecords", true));
        assert_eq!(hex::encode(root.trace_id), "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(root.parent_span_id.map(hex::encode).as_deref(), Some("00f067aa0ba902b7"));
        assert_eq!(
            (query.name.as_str(), query.trace_id, query.parent_span_id),
            ("db.query", root.trace_id, Some(root.span_id))
        );
        let body = export_body(&spans);
        let exported = &body["resourceSpans"][0]["scopeSpans"][0]["spans"];
        assert_eq!(exported[1]["kind"], 2);
        assert_eq!(
            exported[1]["attributes"][0],
            json!({"key": "http.response.status_code", "value": {"intValue": "200"}})
        );
        assert_eq!(exported[0]["attributes"][0], json!({"key": "db.system", "value": {"stringValue": "postgresql"}}));
        assert!(exported[1]["endTimeUnixNano"].as_str().is_some_and(|end| end.parse::<u64>().is_ok()));
    }
}
