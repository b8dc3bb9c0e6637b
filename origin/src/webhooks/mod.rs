//! Webhooks: a base's endpoints (`/api/v1/bases/{id}/webhooks`, admins) and their
//! delivery log, in the data plane beside the change log that feeds them ([`deliver`]).
//!
//! A new endpoint starts at the change log's present: it receives the changes that commit
//! after it was created. Its secret is stored as the key it signs with (the origin must
//! sign every delivery) and shown once.

use crate::error::{Error, bug};
use crate::manage::{Answer, Manager, answer};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use shared::catalog::Catalog;
use shared::error::{ApiError, ErrorCode};
use shared::ids::{BaseId, TenantId};
use shared::webhook::{
    Attempt, CreatedWebhook, Delivery, DeliveryList, DeliveryState, EventType, Reach, SECRET_PREFIX, Target, Webhook,
    WebhookCommand, WebhookDeleted, WebhookList,
};
use std::time::Duration;
use uuid::Uuid;

pub mod deliver;

#[derive(clap::Args, Clone)]
pub struct WebhookArgs {
    /// Senders on this origin, each sending up to 8 deliveries at once (0: this origin
    /// sends none and leaves them to others).
    #[arg(long, env = "NC_WEBHOOK_WORKERS", default_value_t = 4)]
    pub webhook_workers: usize,
    /// How long one attempt may take, connecting included.
    #[arg(long, env = "NC_WEBHOOK_TIMEOUT", default_value = "10s", value_parser = humantime::parse_duration)]
    pub webhook_timeout: Duration,
    /// The wait after a delivery's first failed attempt; each further one waits twice as
    /// long, at most 12 hours.
    #[arg(long, env = "NC_WEBHOOK_RETRY_BASE", default_value = "10s", value_parser = humantime::parse_duration)]
    pub webhook_retry_base: Duration,
    /// Attempts of a delivery (20: about four days); when they all fail, the delivery is
    /// marked failed and its endpoint is disabled.
    #[arg(long, env = "NC_WEBHOOK_ATTEMPTS", default_value_t = 20,
          value_parser = clap::value_parser!(u32).range(1..=100))]
    pub webhook_attempts: u32,
    /// Which addresses endpoints may reach besides public ones: `none`, `loopback` or `any`.
    #[arg(long, env = "NC_WEBHOOK_PRIVATE_TARGETS", default_value = "none", value_parser = parse_reach)]
    pub webhook_private_targets: Reach,
}

fn parse_reach(text: &str) -> Result<Reach, String> {
    match text {
        "none" => Ok(Reach::Public),
        "loopback" => Ok(Reach::Loopback),
        "any" => Ok(Reach::Any),
        _ => Err("none, loopback or any".into()),
    }
}

/// A delivery's columns, from `d`.
macro_rules! delivery_columns {
    () => {
        concat!(
            "SELECT d.id, d.seq, d.event, d.record_id::text, d.state, CASE WHEN d.state = 'pending' THEN ",
            sql_time!("d.next_attempt_at"),
            " END, ",
            sql_time!("d.created_at"),
            ", ",
            sql_time!("d.finished_at"),
            ", d.payload::text, (SELECT base_id::text FROM nc.webhooks w WHERE w.id = d.webhook_id)"
        )
    };
}

const WEBHOOK: &str = concat!(
    "SELECT w.id::text, w.base_id::text, w.name, w.url, w.events, coalesce(w.tables::text[], '{}'), w.filter::text, \
     w.enabled, w.disabled_reason, ",
    sql_time!("w.failing_since"),
    ", (SELECT count(*) FROM nc.webhook_deliveries d WHERE d.webhook_id = w.id AND d.state = 'pending'), ",
    sql_time!("w.created_at"),
    " FROM nc.webhooks w"
);

fn webhook(row: &tokio_postgres::Row) -> Result<Webhook, Error> {
    let events: Vec<String> = row.try_get(4)?;
    let filter: Option<String> = row.try_get(6)?;
    Ok(Webhook {
        id: row.try_get(0)?,
        base_id: row.try_get(1)?,
        name: row.try_get(2)?,
        url: row.try_get(3)?,
        events: events.iter().filter_map(|event| EventType::parse(event)).collect(),
        tables: row.try_get(5)?,
        filter: filter.map(|text| serde_json::from_str(&text)).transpose().map_err(bug)?,
        enabled: row.try_get(7)?,
        disabled_reason: row.try_get(8)?,
        failing_since: row.try_get(9)?,
        pending: row.try_get(10)?,
        created_at: row.try_get(11)?,
    })
}

/// One endpoint of the base.
async fn one(client: &crate::pools::DataClient, base: BaseId, id: Uuid) -> Result<Webhook, Error> {
    let sql = format!("{WEBHOOK} WHERE w.id = $1::text::uuid AND w.base_id = $2::text::uuid");
    let row = client.query_opt(&sql, &[&id.to_string(), &base.to_string()]).await?;
    row.as_ref().map(webhook).transpose()?.ok_or_else(|| no_webhook(id))
}

fn no_webhook(id: Uuid) -> Error {
    ApiError::new(ErrorCode::NotFound, "No webhook endpoint of this base has this id.")
        .with("webhook", id.to_string())
        .into()
}

/// A new signing key: 32 random bytes, base64 as stored.
pub(crate) fn new_secret() -> Result<String, Error> {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(bug)?;
    Ok(STANDARD.encode(key))
}

/// Refuses a URL whose host is, or resolves to, an address the deployment does not let
/// webhooks reach. Deliveries check again where they connect (names may change).
pub async fn check_target(url: &str, reach: Reach) -> Result<(), ApiError> {
    let target = Target::parse(url)?;
    let refuse = |why: String| ApiError::new(ErrorCode::ValidationError, why).with("field", "url");
    let addresses: Vec<std::net::IpAddr> = match target.host.parse() {
        Ok(address) => vec![address],
        Err(_) => tokio::net::lookup_host((target.host.as_str(), target.port))
            .await
            .map_err(|_| refuse(format!("'url': the host '{}' does not resolve; check its name.", target.host)))?
            .map(|address| address.ip())
            .collect(),
    };
    match addresses.iter().find(|address| !reach.allows(**address)) {
        Some(address) => Err(refuse(format!(
            "'url': {} is a private, loopback or reserved address, which this deployment does not let webhooks \
             reach (NC_WEBHOOK_PRIVATE_TARGETS).",
            address
        ))),
        None => Ok(()),
    }
}

/// The tables' ids (none: every table), and the filter checked against the one table it
/// must name.
fn resolve(catalog: &Catalog, tables: &[String], filter: Option<&Value>) -> Result<Vec<String>, Error> {
    let mut ids = Vec::new();
    for reference in tables {
        let table = shared::schema::find_table(catalog, reference)?;
        ids.push(table.id.to_string());
    }
    ids.sort();
    ids.dedup();
    if let Some(filter) = filter {
        let [table] = tables else {
            return Err(ApiError::new(
                ErrorCode::ValidationError,
                "A webhook filter applies to one table: name exactly one in 'tables'.",
            )
            .with("field", "filter")
            .into());
        };
        shared::webhook::compile_filter(shared::schema::find_table(catalog, table)?, filter)?;
    }
    Ok(ids)
}

impl Manager {
    pub(crate) async fn webhooks(
        &self,
        tenant: TenantId,
        base: BaseId,
        hook: &WebhookCommand,
        actor: &str,
    ) -> Result<Answer, Error> {
        let client = crate::pools::connection(self.data_of(base).await?).await?;
        let base_text = base.to_string();
        match hook {
            WebhookCommand::List => {
                let sql = format!("{WEBHOOK} WHERE w.base_id = $1::text::uuid ORDER BY w.created_at, w.id");
                let rows = client.query(&sql, &[&base_text]).await?;
                answer(200, WebhookList { data: rows.iter().map(webhook).collect::<Result<_, _>>()? })
            }
            WebhookCommand::Create { spec } => {
                let count: i64 = client
                    .query_one("SELECT count(*) FROM nc.webhooks WHERE base_id = $1::text::uuid", &[&base_text])
                    .await?
                    .try_get(0)?;
                if count >= shared::webhook::MAX_ENDPOINTS {
                    return Err(ApiError::new(
                        ErrorCode::PlanLimit,
                        format!("The base has {count} webhook endpoints, the most it may have; delete one first."),
                    )
                    .with("limit", "webhooks_per_base")
                    .into());
                }
                let (Some(name), Some(url), Some(events)) = (&spec.name, &spec.url, &spec.events) else {
                    return Err(bug("a new webhook without its name, URL or events"));
                };
                check_target(url, self.webhook_reach).await?;
                let catalog = crate::catalog::live_catalog(&self.control, base).await?;
                let filter = spec.filter.clone().flatten();
                let tables = resolve(&catalog, spec.tables.as_deref().unwrap_or_default(), filter.as_ref())?;
                let (id, secret) = (Uuid::new_v4(), new_secret()?);
                let position = crate::changes::encode(&crate::changes::now(&client).await?)?;
                let events: Vec<&str> = events.iter().map(|event| event.as_str()).collect();
                client
                    .execute(
                        "INSERT INTO nc.webhooks (id, base_id, name, url, events, tables, filter, secret, position, \
                         created_by) VALUES ($1::text::uuid, $2::text::uuid, $3, $4, $5, \
                         nullif($6::text[], '{}')::uuid[], $7::text::jsonb, $8, $9, $10)",
                        &[
                            &id.to_string(),
                            &base_text,
                            name,
                            url,
                            &events,
                            &tables,
                            &filter.as_ref().map(Value::to_string),
                            &secret,
                            &position,
                            &actor,
                        ],
                    )
                    .await?;
                let after = json!({ "name": name, "url": url, "events": events, "tables": tables, "filter": filter });
                self.audit(tenant, Some(base), actor, "webhook.create", id.to_string(), after).await?;
                answer(
                    201,
                    CreatedWebhook {
                        webhook: one(&client, base, id).await?,
                        secret: format!("{SECRET_PREFIX}{secret}"),
                    },
                )
            }
            WebhookCommand::Update { webhook: id, spec } => {
                let current = one(&client, base, *id).await?;
                if let Some(url) = &spec.url {
                    check_target(url, self.webhook_reach).await?;
                }
                let catalog = crate::catalog::live_catalog(&self.control, base).await?;
                let tables = spec.tables.clone().unwrap_or(current.tables);
                let filter = spec.filter.clone().unwrap_or(current.filter);
                let tables = resolve(&catalog, &tables, filter.as_ref())?;
                let events = spec.events.as_ref().map(|events| events.iter().map(|event| event.as_str()).collect());
                let disabled_reason = format!("Turned off by {actor}.");
                client
                    .execute(
                        "UPDATE nc.webhooks SET name = coalesce($2, name), url = coalesce($3, url), \
                         events = coalesce($4, events), tables = nullif($5::text[], '{}')::uuid[], \
                         filter = $6::text::jsonb, enabled = coalesce($7, enabled), \
                         disabled_reason = CASE WHEN $7 IS NULL THEN disabled_reason WHEN $7 THEN NULL ELSE $8 END, \
                         failing_since = CASE WHEN $7 THEN NULL ELSE failing_since END, updated_at = now() \
                         WHERE id = $1::text::uuid",
                        &[
                            &id.to_string(),
                            &spec.name,
                            &spec.url,
                            &events as &Option<Vec<&str>>,
                            &tables,
                            &filter.as_ref().map(Value::to_string),
                            &spec.enabled,
                            &disabled_reason,
                        ],
                    )
                    .await?;
                let after = json!({ "name": spec.name, "url": spec.url, "events": events, "tables": tables,
                                    "filter": filter, "enabled": spec.enabled });
                self.audit(tenant, Some(base), actor, "webhook.update", id.to_string(), after).await?;
                answer(200, one(&client, base, *id).await?)
            }
            WebhookCommand::Delete { webhook: id } => {
                let deleted = client
                    .execute(
                        "DELETE FROM nc.webhooks WHERE id = $1::text::uuid AND base_id = $2::text::uuid",
                        &[&id.to_string(), &base_text],
                    )
                    .await?;
                if deleted == 0 {
                    return Err(no_webhook(*id));
                }
                self.audit(tenant, Some(base), actor, "webhook.delete", id.to_string(), json!({})).await?;
                answer(200, WebhookDeleted { id: id.to_string(), deleted: shared::resource::True })
            }
            WebhookCommand::RotateSecret { webhook: id } => {
                let secret = new_secret()?;
                let rotated = client
                    .execute(
                        "UPDATE nc.webhooks SET secret = $3, updated_at = now() \
                         WHERE id = $1::text::uuid AND base_id = $2::text::uuid",
                        &[&id.to_string(), &base_text, &secret],
                    )
                    .await?;
                if rotated == 0 {
                    return Err(no_webhook(*id));
                }
                self.audit(tenant, Some(base), actor, "webhook.rotate_secret", id.to_string(), json!({})).await?;
                answer(
                    200,
                    CreatedWebhook {
                        webhook: one(&client, base, *id).await?,
                        secret: format!("{SECRET_PREFIX}{secret}"),
                    },
                )
            }
            WebhookCommand::Deliveries { webhook: id, state, before, limit } => {
                one(&client, base, *id).await?;
                let sql = format!(
                    "{DELIVERY} WHERE d.webhook_id = $1::text::uuid AND ($2::text IS NULL OR d.state = $2) \
                     AND d.id < $3 ORDER BY d.id DESC LIMIT $4"
                );
                let limit = i64::from(*limit);
                let rows = client
                    .query(
                        &sql,
                        &[
                            &id.to_string(),
                            &state.map(DeliveryState::as_str),
                            &before.unwrap_or(i64::MAX),
                            &(limit + 1),
                        ],
                    )
                    .await?;
                let mut data = rows.iter().take(limit as usize).map(delivery).collect::<Result<Vec<_>, _>>()?;
                let next_before = (rows.len() as i64 > limit).then(|| data.last().map(|last| last.id)).flatten();
                attempts(&client, &mut data).await?;
                answer(200, DeliveryList { data, next_before })
            }
            WebhookCommand::Redeliver { webhook: id, delivery: delivery_id } => {
                let sql = format!(
                    "WITH again AS (UPDATE nc.webhook_deliveries SET state = 'pending', next_attempt_at = now(), \
                     series_start = attempts, finished_at = NULL WHERE id = $1 AND webhook_id = $2::text::uuid \
                     AND webhook_id IN (SELECT id FROM nc.webhooks WHERE base_id = $3::text::uuid) RETURNING *) \
                     {} FROM again d",
                    delivery_columns!()
                );
                let row = client.query_opt(&sql, &[delivery_id, &id.to_string(), &base_text]).await?;
                let Some(row) = row else {
                    return Err(ApiError::new(ErrorCode::NotFound, "No delivery of this endpoint has this id.")
                        .with("delivery", delivery_id.to_string())
                        .into());
                };
                let mut data = vec![delivery(&row)?];
                attempts(&client, &mut data).await?;
                let after = json!({ "delivery": delivery_id });
                self.audit(tenant, Some(base), actor, "webhook.redeliver", id.to_string(), after).await?;
                answer(200, data.remove(0))
            }
        }
    }
}

const DELIVERY: &str = concat!(delivery_columns!(), " FROM nc.webhook_deliveries d");

fn delivery(row: &tokio_postgres::Row) -> Result<Delivery, Error> {
    let stored = |text: String| crate::manage::stored(&text, EventType::parse);
    let base = BaseId::parse(row.try_get::<_, &str>(9)?).ok_or_else(|| bug("a delivery's base id"))?;
    Ok(Delivery {
        id: row.try_get(0)?,
        message_id: shared::webhook::message_id(base, row.try_get(1)?),
        event: stored(row.try_get(2)?)?,
        record_id: row.try_get(3)?,
        state: crate::manage::stored(row.try_get(4)?, DeliveryState::parse)?,
        next_attempt_at: row.try_get(5)?,
        created_at: row.try_get(6)?,
        finished_at: row.try_get(7)?,
        payload: serde_json::from_str(row.try_get(8)?).map_err(bug)?,
        attempts: Vec::new(),
    })
}

/// Fills in each delivery's attempts, newest first.
async fn attempts(client: &crate::pools::DataClient, deliveries: &mut [Delivery]) -> Result<(), Error> {
    let ids: Vec<i64> = deliveries.iter().map(|delivery| delivery.id).collect();
    let sql = concat!(
        "SELECT delivery_id, attempt, ",
        sql_time!("at"),
        ", status, latency_ms, error FROM nc.webhook_attempts WHERE delivery_id = ANY($1) \
         ORDER BY delivery_id, attempt DESC"
    );
    for row in client.query(sql, &[&ids]).await? {
        let id: i64 = row.try_get(0)?;
        if let Some(delivery) = deliveries.iter_mut().find(|delivery| delivery.id == id) {
            delivery.attempts.push(Attempt {
                attempt: row.try_get(1)?,
                at: row.try_get(2)?,
                status: row.try_get(3)?,
                latency_ms: row.try_get(4)?,
                error: row.try_get(5)?,
            });
        }
    }
    Ok(())
}
