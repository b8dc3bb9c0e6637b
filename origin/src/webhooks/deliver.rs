//! Delivering webhooks, losslessly, from the change log.
//!
//! - The **dispatcher** wakes when the data plane notifies a commit (`nc_changes`), and
//!   at least once a second. For each enabled endpoint (locked with `SKIP LOCKED`, so one
//!   origin at a time) it reads the change log after the endpoint's position, queues a
//!   delivery for each change the endpoint takes, and moves the position, in one
//!   transaction. A change that committed is therefore queued once, even if an origin
//!   dies at any point.
//! - **Senders** (`NC_WEBHOOK_WORKERS` per origin) claim due deliveries with `SKIP
//!   LOCKED`; the claim counts the attempt and moves `next_attempt_at` twice its timeout on,
//!   so a delivery whose sender died is claimed again then. A delivery waits while an
//!   earlier delivery of the same record to the same endpoint is pending: in order per
//!   record. Each attempt is recorded; a failure waits `backoff(n)`; the last failure
//!   marks the delivery failed and disables the endpoint (its later changes wait, queued
//!   or in the log, until an admin turns it on).
//! - Connections go only to addresses the deployment allows: names are resolved here and
//!   every address checked before connecting, so a name cannot be pointed at a private
//!   address after the endpoint was checked.

use super::WebhookArgs;
use crate::pools::DataPool;
use crate::store::AdminPlanes;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::connect::dns::Name;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use shared::catalog::Catalog;
use shared::ids::{BaseId, TenantId};
use shared::resource::ChangeEntry;
use shared::webhook::{DeliveryBody, DeliveryData, EventType, Reach};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// Changes one dispatcher transaction reads for an endpoint.
const BATCH: u32 = 500;
/// The longest an idle dispatcher or sender waits before looking again.
const IDLE: Duration = Duration::from_secs(1);
/// Deliveries a sender claims and sends at once (of different records).
const CLAIM: usize = 8;
/// The most of a receiver's error kept in the log.
const MAX_ERROR: usize = 300;

type Connector = hyper_rustls::HttpsConnector<HttpConnector<Resolver>>;

struct Deliverer {
    data: DataPool,
    control: sqlx::PgPool,
    planes: Arc<AdminPlanes>,
    client: Client<Connector, Full<Bytes>>,
    args: WebhookArgs,
    /// Rung when deliveries are queued.
    queued: Notify,
}

/// Starts the dispatcher and the senders, unless this origin sends none.
pub fn start(data: DataPool, data_url: String, planes: Arc<AdminPlanes>, args: &WebhookArgs) -> anyhow::Result<()> {
    if args.webhook_workers == 0 {
        return Ok(());
    }
    let deliverer = Arc::new(Deliverer {
        data,
        control: planes.control.clone(),
        planes,
        client: Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(30))
            .build(connector(args.webhook_private_targets)?),
        args: args.clone(),
        queued: Notify::new(),
    });
    tokio::spawn(deliverer.clone().dispatch_forever(data_url));
    for _ in 0..args.webhook_workers {
        tokio::spawn(deliverer.clone().send_forever());
    }
    Ok(())
}

/// Resolves names to the addresses endpoints may reach, and only those.
#[derive(Clone)]
struct Resolver(Reach);

impl tower_service::Service<Name> for Resolver {
    type Response = std::vec::IntoIter<SocketAddr>;
    type Error = std::io::Error;
    type Future = std::pin::Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, _: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), Self::Error>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, name: Name) -> Self::Future {
        let reach = self.0;
        Box::pin(async move {
            let all: Vec<SocketAddr> = tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> = all.iter().copied().filter(|address| reach.allows(address.ip())).collect();
            match allowed.is_empty() {
                true => Err(std::io::Error::other(format!(
                    "{name} resolves to no address webhooks may reach ({} private or reserved)",
                    all.len()
                ))),
                false => Ok(allowed.into_iter()),
            }
        })
    }
}

fn connector(reach: Reach) -> anyhow::Result<Connector> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let tls = crate::storage::client_tls(roots)?;
    let mut http = HttpConnector::new_with_resolver(Resolver(reach));
    http.set_nodelay(true);
    http.set_connect_timeout(Some(Duration::from_secs(5)));
    http.enforce_http(false);
    Ok(hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1()
        .wrap_connector(http))
}

/// A claimed delivery.
struct Claim {
    id: i64,
    attempt: i32,
    /// Attempts of this series, this one included.
    series: u32,
    webhook: String,
    base: BaseId,
    seq: i64,
    url: String,
    secret: String,
    payload: String,
    /// Whether its endpoint was failing when it was claimed.
    failing: bool,
}

/// What an attempt came to.
struct Outcome {
    status: Option<i32>,
    latency_ms: i32,
    error: Option<String>,
}

impl Deliverer {
    async fn dispatch_forever(self: Arc<Self>, data_url: String) {
        loop {
            let mut listener = crate::notify::listen(&data_url, &["nc_changes"]).await.ok();
            if listener.is_none() {
                tracing::warn!("webhooks: cannot listen for commits; reading the change log every second");
            }
            loop {
                if let Err(error) = self.dispatch_all().await {
                    tracing::warn!(error = %error, "webhooks: dispatch failed; retrying");
                }
                // Without a listener, the change log is read every second while it is tried again.
                let Some(heard) = &mut listener else { break };
                match tokio::time::timeout(IDLE, heard.notifications.recv()).await {
                    // The connection failed: listen again.
                    Ok(None) => break,
                    // One read serves every commit heard meanwhile.
                    Ok(Some(_)) => while heard.notifications.try_recv().is_ok() {},
                    Err(_) => {}
                }
            }
            tokio::time::sleep(IDLE).await;
        }
    }

    async fn dispatch_all(&self) -> Result<(), crate::error::Error> {
        let client = crate::pools::connection(&self.data).await?;
        let rows =
            client.query("SELECT id::text, base_id::text FROM nc.webhooks WHERE enabled ORDER BY base_id", &[]).await?;
        drop(client);
        let mut catalogs: Option<(BaseId, Option<Catalog>)> = None;
        for row in rows {
            let (id, base): (String, String) = (row.try_get(0)?, row.try_get(1)?);
            let Some(base) = BaseId::parse(&base) else { continue };
            if catalogs.as_ref().is_none_or(|(cached, _)| *cached != base) {
                catalogs = Some((base, crate::catalog::live_catalog(&self.control, base).await.ok()));
            }
            let Some((_, Some(catalog))) = &catalogs else { continue };
            while self.dispatch(&id, base, catalog).await? {}
        }
        Ok(())
    }

    /// Queues the next batch of an endpoint's changes; whether more are waiting.
    async fn dispatch(&self, webhook: &str, base: BaseId, catalog: &Catalog) -> Result<bool, crate::error::Error> {
        let client = crate::pools::connection(&self.data).await?;
        client.batch_execute("BEGIN").await?;
        let queued = self.queue(&client, webhook, base, catalog).await;
        let (_, (more, queued)) = crate::pools::settle(client, queued).await?;
        if queued > 0 {
            self.queued.notify_waiters();
        }
        Ok(more)
    }

    /// Inside the dispatcher's transaction: (more waiting, deliveries queued).
    async fn queue(
        &self,
        client: &crate::pools::DataClient,
        webhook: &str,
        base: BaseId,
        catalog: &Catalog,
    ) -> Result<(bool, usize), crate::error::Error> {
        let row = client
            .query_opt(
                "SELECT position, events, coalesce(tables::text[], '{}'), filter::text FROM nc.webhooks \
                 WHERE id = $1::text::uuid AND enabled FOR UPDATE SKIP LOCKED",
                &[&webhook],
            )
            .await?;
        let Some(row) = row else { return Ok((false, 0)) };
        let position = crate::changes::decode(row.try_get(0)?)?;
        let events: Vec<String> = row.try_get(1)?;
        let tables: Vec<String> = row.try_get(2)?;
        let filter: Option<Value> =
            row.try_get::<_, Option<String>>(3)?.and_then(|text| serde_json::from_str(&text).ok());
        let read = crate::changes::read(client, base, None, position, BATCH).await?;
        let mut queued = Vec::new();
        for change in &read.changes {
            if let Some(delivery) = take(catalog, change, &events, &tables, filter.as_ref()) {
                queued.push(delivery);
            }
        }
        if !queued.is_empty() {
            client
                .execute(
                    "INSERT INTO nc.webhook_deliveries (webhook_id, seq, record_id, event, payload) \
                     SELECT $1::text::uuid, (d->>'seq')::bigint, (d->>'record_id')::uuid, d->>'event', d->'payload' \
                     FROM jsonb_array_elements($2::text::jsonb) d ON CONFLICT (webhook_id, seq) DO NOTHING",
                    &[&webhook, &Value::Array(queued.clone()).to_string()],
                )
                .await?;
        }
        client
            .execute(
                "UPDATE nc.webhooks SET position = $2 WHERE id = $1::text::uuid",
                &[&webhook, &crate::changes::encode(&read.next)?],
            )
            .await?;
        Ok((read.next.is_inside(), queued.len()))
    }

    async fn send_forever(self: Arc<Self>) {
        loop {
            // Registered before looking, so that a queueing in between is not missed.
            let queued = self.queued.notified();
            match self.claim().await {
                Ok(claims) if !claims.is_empty() => {
                    let outcomes = futures_util::future::join_all(claims.iter().map(|claim| self.attempt(claim))).await;
                    if let Err(error) = self.record(&claims, &outcomes).await {
                        // The claims run out and the deliveries are sent again.
                        tracing::warn!(error = %error, "webhooks: attempts were not recorded");
                    }
                }
                Ok(_) => {
                    let _ = tokio::time::timeout(IDLE, queued).await;
                }
                Err(error) => {
                    tracing::warn!(error = %error, "webhooks: cannot claim deliveries");
                    tokio::time::sleep(IDLE).await;
                }
            }
        }
    }

    /// Claims up to [`CLAIM`] due deliveries, of different records, oldest due first.
    async fn claim(&self) -> Result<Vec<Claim>, crate::error::Error> {
        let client = crate::pools::connection(&self.data).await?;
        // A claim lasts twice the attempts' timeout: time to send them (at once) and to record.
        let lease = format!("{} milliseconds", (self.args.webhook_timeout * 2).as_millis());
        let rows = client
            .query(
                "UPDATE nc.webhook_deliveries d SET attempts = d.attempts + 1, \
                 next_attempt_at = now() + $1::text::interval \
                 FROM nc.webhooks w \
                 WHERE w.id = d.webhook_id AND d.id IN (\
                   SELECT c.id FROM nc.webhook_deliveries c JOIN nc.webhooks e ON e.id = c.webhook_id AND e.enabled \
                   WHERE c.state = 'pending' AND c.next_attempt_at <= now() AND NOT EXISTS (\
                     SELECT 1 FROM nc.webhook_deliveries p WHERE p.webhook_id = c.webhook_id \
                     AND p.record_id = c.record_id AND p.state = 'pending' AND p.seq < c.seq) \
                   ORDER BY c.next_attempt_at, c.id LIMIT $2 FOR UPDATE OF c SKIP LOCKED) \
                 RETURNING d.id, d.attempts, d.attempts - d.series_start, w.id::text, w.base_id::text, d.seq, \
                 w.url, w.secret, d.payload::text, w.failing_since IS NOT NULL",
                &[&lease, &(CLAIM as i64)],
            )
            .await?;
        let mut claims = rows
            .iter()
            .map(|row| {
                let base: String = row.try_get(4)?;
                Ok(Claim {
                    id: row.try_get(0)?,
                    attempt: row.try_get(1)?,
                    series: row.try_get::<_, i32>(2)?.max(1) as u32,
                    webhook: row.try_get(3)?,
                    base: BaseId::parse(&base).ok_or_else(|| crate::error::bug("a webhook's base id"))?,
                    seq: row.try_get(5)?,
                    url: row.try_get(6)?,
                    secret: row.try_get(7)?,
                    payload: row.try_get(8)?,
                    failing: row.try_get(9)?,
                })
            })
            .collect::<Result<Vec<_>, crate::error::Error>>()?;
        claims.sort_by_key(|claim| claim.id);
        Ok(claims)
    }

    /// One POST of the delivery; never an error, always an outcome.
    async fn attempt(&self, claim: &Claim) -> Outcome {
        let started = Instant::now();
        let result = match self.request(claim) {
            Err(error) => Err(error),
            Ok(request) => {
                let sent = async {
                    let response = self.client.request(request).await.map_err(|error| describe(&error))?;
                    let status = response.status().as_u16();
                    // Read (a little of) the answer, so the connection can serve the next one.
                    let _ = http_body_util::Limited::new(response.into_body(), 64 * 1024).collect().await;
                    Ok::<_, String>(status)
                };
                match tokio::time::timeout(self.args.webhook_timeout, sent).await {
                    Ok(result) => result,
                    Err(_) => Err(format!("no answer within {:?}", self.args.webhook_timeout)),
                }
            }
        };
        let latency_ms = i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX);
        let outcome = match result {
            Ok(status) if (200..300).contains(&status) => {
                Outcome { status: Some(status.into()), latency_ms, error: None }
            }
            Ok(status) => Outcome {
                status: Some(status.into()),
                latency_ms,
                error: Some(format!("the receiver answered {status}")),
            },
            Err(error) => Outcome { status: None, latency_ms, error: Some(truncate(error)) },
        };
        if outcome.error.is_none() {
            crate::schema::failpoint("webhook-after-delivery");
        }
        outcome
    }

    fn request(&self, claim: &Claim) -> Result<hyper::Request<Full<Bytes>>, String> {
        let target = shared::webhook::Target::parse(&claim.url).map_err(|error| error.message)?;
        // Addresses written as such skip the resolver: checked here.
        if let Ok(address) = target.host.parse::<std::net::IpAddr>()
            && !self.args.webhook_private_targets.allows(address)
        {
            return Err(format!("{address} is an address webhooks may not reach"));
        }
        let key = shared::webhook::key_of(&claim.secret).ok_or("the endpoint's secret is unreadable")?;
        let id = shared::webhook::message_id(claim.base, claim.seq);
        let timestamp = crate::clock::now_ms() / 1000;
        let body = claim.payload.as_bytes();
        hyper::Request::post(&claim.url)
            .header("content-type", "application/json")
            .header("user-agent", concat!("nc-lcdbaas-webhooks/", env!("CARGO_PKG_VERSION")))
            .header("webhook-id", &id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", shared::webhook::signature(&key, &id, timestamp, body))
            .header("x-signature", shared::webhook::x_signature(&key, body))
            .body(Full::new(Bytes::copy_from_slice(body)))
            .map_err(|error| error.to_string())
    }

    /// Records the attempts whose claim is still this sender's (`attempts` is the fencing
    /// token), then each endpoint's failing state, and turns off the endpoints whose
    /// delivery failed its last attempt.
    async fn record(&self, claims: &[Claim], outcomes: &[Outcome]) -> Result<(), crate::error::Error> {
        let client = crate::pools::connection(&self.data).await?;
        let last =
            |claim: &Claim, outcome: &Outcome| outcome.error.is_some() && claim.series >= self.args.webhook_attempts;
        let states: Vec<&str> = claims
            .iter()
            .zip(outcomes)
            .map(|(claim, outcome)| match (outcome.error.is_none(), last(claim, outcome)) {
                (true, _) => "delivered",
                (false, true) => "failed",
                (false, false) => "pending",
            })
            .collect();
        let waits: Vec<String> = claims
            .iter()
            .map(|claim| {
                format!(
                    "{} milliseconds",
                    shared::webhook::backoff(claim.series, self.args.webhook_retry_base).as_millis()
                )
            })
            .collect();
        let recorded = client
            .query(
                "WITH o AS (SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::int[], \
                 $6::int[], $7::text[]) AS o(id, attempt, state, wait, status, latency, error)), \
                 d AS (UPDATE nc.webhook_deliveries w SET state = o.state, \
                 next_attempt_at = CASE WHEN o.state = 'pending' THEN now() + o.wait::interval ELSE w.next_attempt_at END, \
                 finished_at = CASE WHEN o.state = 'pending' THEN NULL ELSE now() END \
                 FROM o WHERE w.id = o.id AND w.attempts = o.attempt RETURNING w.id), \
                 a AS (INSERT INTO nc.webhook_attempts (delivery_id, attempt, status, latency_ms, error) \
                 SELECT o.id, o.attempt, o.status, o.latency, o.error FROM o JOIN d ON d.id = o.id) \
                 SELECT id FROM d",
                &[
                    &claims.iter().map(|claim| claim.id).collect::<Vec<_>>(),
                    &claims.iter().map(|claim| claim.attempt).collect::<Vec<_>>(),
                    &states,
                    &waits,
                    &outcomes.iter().map(|outcome| outcome.status).collect::<Vec<_>>(),
                    &outcomes.iter().map(|outcome| outcome.latency_ms).collect::<Vec<_>>(),
                    &outcomes.iter().map(|outcome| outcome.error.clone()).collect::<Vec<_>>(),
                ],
            )
            .await?;
        let recorded: Vec<i64> = recorded.iter().map(|row| row.try_get(0)).collect::<Result<_, _>>()?;
        // Each endpoint's state after its last attempt here.
        let mut endpoints: Vec<(&str, bool, bool)> = Vec::new();
        for (claim, outcome) in claims.iter().zip(outcomes).filter(|(claim, _)| recorded.contains(&claim.id)) {
            crate::metrics::webhook_attempt(outcome.error.is_none());
            let failed = outcome.error.is_some();
            match endpoints.iter_mut().find(|(id, ..)| *id == claim.webhook) {
                Some(entry) => entry.1 = failed,
                None => endpoints.push((&claim.webhook, failed, claim.failing)),
            }
        }
        let changed: Vec<(&str, bool)> = endpoints
            .into_iter()
            .filter(|(_, failed, failing)| failed != failing)
            .map(|(id, failed, _)| (id, failed))
            .collect();
        if !changed.is_empty() {
            client
                .execute(
                    "UPDATE nc.webhooks w SET failing_since = CASE WHEN x.failed THEN coalesce(w.failing_since, now()) END \
                     FROM unnest($1::text[], $2::bool[]) AS x(id, failed) WHERE w.id = x.id::uuid",
                    &[
                        &changed.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
                        &changed.iter().map(|(_, failed)| *failed).collect::<Vec<_>>(),
                    ],
                )
                .await?;
        }
        for (claim, outcome) in claims.iter().zip(outcomes) {
            if recorded.contains(&claim.id) && last(claim, outcome) {
                self.disable(&client, claim, outcome).await?;
            }
        }
        Ok(())
    }

    /// Turns an endpoint off after a delivery failed every attempt, and tells the admins
    /// (the audit log, the console).
    async fn disable(
        &self,
        client: &crate::pools::DataClient,
        claim: &Claim,
        outcome: &Outcome,
    ) -> Result<(), crate::error::Error> {
        let reason = format!(
            "Delivery {} failed all {} attempts (last: {}). Fix the receiver, then turn the endpoint on: it \
             delivers from where it stopped, and the failed delivery can be sent again.",
            claim.id,
            self.args.webhook_attempts,
            outcome.error.as_deref().unwrap_or("no answer")
        );
        let disabled = client
            .execute(
                "UPDATE nc.webhooks SET enabled = false, disabled_reason = $2, updated_at = now() \
                 WHERE id = $1::text::uuid AND enabled",
                &[&claim.webhook, &reason],
            )
            .await?;
        if disabled == 0 {
            return Ok(());
        }
        tracing::warn!(webhook = %claim.webhook, delivery = claim.id, "webhooks: endpoint disabled after failing");
        let tenant: Option<uuid::Uuid> = sqlx::query_scalar("SELECT tenant_id FROM bases WHERE id = $1")
            .bind(claim.base.0)
            .fetch_optional(&self.control)
            .await?;
        if let Some(tenant) = tenant {
            let after = json!({ "reason": reason, "delivery": claim.id });
            let written = self
                .planes
                .audit_event(
                    TenantId(tenant),
                    Some(claim.base),
                    "system",
                    "webhook.disabled",
                    claim.webhook.clone(),
                    after,
                    None,
                )
                .await;
            if let Err(error) = written {
                tracing::error!(error = %format!("{error:#}"), "audit event not written");
            }
        }
        Ok(())
    }
}

/// The delivery a change makes for an endpoint, if it takes it.
fn take(
    catalog: &Catalog,
    change: &ChangeEntry,
    events: &[String],
    tables: &[String],
    filter: Option<&Value>,
) -> Option<Value> {
    let event = EventType::of_change(&change.op)?;
    if !events.iter().any(|name| name == event.as_str()) {
        return None;
    }
    if !tables.is_empty() && !tables.contains(&change.table_id) {
        return None;
    }
    let table = catalog.tables.iter().find(|table| table.id.to_string() == change.table_id);
    let image = change.after.as_ref().or(change.before.as_ref());
    if let (Some(filter), Some(table), Some(image)) = (filter, table, image) {
        // A filter that no longer compiles (its field was dropped) lets every change through.
        if let Ok(expr) = shared::webhook::compile_filter(table, filter)
            && !shared::webhook::matches(table, &expr, image)
        {
            return None;
        }
    }
    let body = DeliveryBody {
        kind: event,
        timestamp: change.at.clone(),
        data: DeliveryData {
            base_id: catalog.base_id.to_string(),
            table_id: change.table_id.clone(),
            table: table.map_or_else(String::new, |table| table.name.clone()),
            id: change.record_id.clone(),
            changed_fields: table.map_or_else(Vec::new, |table| change.changed_fields(table)),
            record: change.after.clone(),
            previous: change.before.clone(),
            actor: change.actor.clone(),
            request_id: change.request_id.clone(),
        },
    };
    Some(json!({ "seq": change.seq, "record_id": change.record_id, "event": event.as_str(), "payload": body }))
}

/// A transport error with its causes, for the delivery log.
fn describe(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn truncate(mut text: String) -> String {
    if text.len() > MAX_ERROR {
        let mut end = MAX_ERROR;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}
