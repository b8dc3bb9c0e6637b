//! Webhooks: what an endpoint is (the management API's bodies, checked at the edge), what
//! a delivery carries and how it is signed, and which changes an endpoint takes.
//!
//! Deliveries follow the Standard Webhooks scheme: `webhook-id` (stable per change, so a
//! receiver drops a repeat), `webhook-timestamp` (seconds) and `webhook-signature`
//! (`v1,` and the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}` under the endpoint's
//! key); `X-Signature: sha256=<hex>` is the HMAC-SHA256 of the body under the same key.

use crate::catalog::{FieldType, Table};
use crate::error::{ApiError, ErrorCode};
use crate::ids::BaseId;
use crate::plan::{Column, Expr};
use crate::query::Op;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use sha2::Sha256;
use std::collections::HashMap;
use std::time::Duration;

/// The longest URL an endpoint may have.
pub const MAX_URL: usize = 2048;
/// The largest filter, in bytes of JSON.
pub const MAX_FILTER_BYTES: usize = 4096;
/// Endpoints per base.
pub const MAX_ENDPOINTS: i64 = 20;
/// The prefix of a signing secret as shown (Standard Webhooks' convention).
pub const SECRET_PREFIX: &str = "whsec_";
/// The longest wait between two attempts of a delivery.
pub const MAX_BACKOFF: Duration = Duration::from_secs(12 * 3600);

/// The events an endpoint may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventType {
    #[serde(rename = "record.created")]
    Created,
    #[serde(rename = "record.updated")]
    Updated,
    #[serde(rename = "record.deleted")]
    Deleted,
}

crate::json_schema::string_enum!(EventType, EventType::ALL);

impl EventType {
    pub const ALL: [EventType; 3] = [EventType::Created, EventType::Updated, EventType::Deleted];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Created => "record.created",
            EventType::Updated => "record.updated",
            EventType::Deleted => "record.deleted",
        }
    }

    pub fn parse(text: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|kind| kind.as_str() == text)
    }

    /// The event of a change-log operation (`insert`, `update`, `delete`).
    pub fn of_change(op: &str) -> Option<EventType> {
        match op {
            "insert" => Some(EventType::Created),
            "update" => Some(EventType::Updated),
            "delete" => Some(EventType::Deleted),
            _ => None,
        }
    }
}

/// A new endpoint.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookRequest {
    #[schemars(length(min = 1, max = crate::manage::MAX_LABEL))]
    pub name: String,
    /// Where deliveries are POSTed: `https://` (or `http://`), without credentials. Private,
    /// loopback and link-local addresses are refused unless the deployment allows them.
    #[schemars(length(min = 1, max = MAX_URL), extend("format" = "uri"))]
    pub url: String,
    /// The events it takes (all three when absent).
    #[serde(default)]
    pub events: Option<Vec<EventType>>,
    /// The tables it follows, by name or id (every table when absent or empty).
    #[serde(default)]
    pub tables: Option<Vec<String>>,
    /// A condition on the record, in the `where` form of the records API (the record after
    /// the change; before it, for a deletion); only for an endpoint of one table, and on
    /// number, date, text, long text, single select, URL and boolean fields with `eq`,
    /// `ne`, `in`, `gt`, `gte`, `lt`, `lte`, `between`, `starts_with` and `is_null`.
    #[serde(default)]
    pub filter: Option<Value>,
}

/// Changes to an endpoint; absent members stay as they are.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookPatch {
    #[serde(default)]
    #[schemars(length(min = 1, max = crate::manage::MAX_LABEL))]
    pub name: Option<String>,
    #[serde(default)]
    #[schemars(length(min = 1, max = MAX_URL), extend("format" = "uri"))]
    pub url: Option<String>,
    #[serde(default)]
    pub events: Option<Vec<EventType>>,
    /// Empty: every table.
    #[serde(default)]
    pub tables: Option<Vec<String>>,
    /// `null` removes the filter.
    #[serde(default, deserialize_with = "present")]
    #[schemars(with = "Option<Value>")]
    pub filter: Option<Option<Value>>,
    /// `true` turns a disabled endpoint on again: it delivers from where it stopped.
    #[serde(default)]
    pub enabled: Option<bool>,
}

/// A member that is present, as `Some` even when it is `null`.
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<Value>>, D::Error> {
    Ok(Some(Option::deserialize(deserializer)?))
}

/// An endpoint as the edge checked it; tables and the filter are resolved against the
/// catalog by the origin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WebhookSpec {
    pub name: Option<String>,
    pub url: Option<String>,
    pub events: Option<Vec<EventType>>,
    pub tables: Option<Vec<String>>,
    /// `Some(None)` removes the filter; absent from the JSON when unchanged.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub filter: Option<Option<Value>>,
    pub enabled: Option<bool>,
}

impl WebhookSpec {
    pub fn create(request: WebhookRequest) -> Result<WebhookSpec, ApiError> {
        let spec = WebhookSpec {
            name: Some(request.name),
            url: Some(request.url),
            events: Some(request.events.unwrap_or_else(|| EventType::ALL.to_vec())),
            tables: request.tables,
            filter: Some(request.filter),
            enabled: None,
        };
        spec.checked()
    }

    pub fn update(patch: WebhookPatch) -> Result<WebhookSpec, ApiError> {
        let WebhookPatch { name, url, events, tables, filter, enabled } = patch;
        let spec = WebhookSpec { name, url, events, tables, filter, enabled };
        if spec == (WebhookSpec { name: None, url: None, events: None, tables: None, filter: None, enabled: None }) {
            return Err(ApiError::new(ErrorCode::InvalidRequest, "The body changes nothing; name a member to change."));
        }
        spec.checked()
    }

    fn checked(mut self) -> Result<WebhookSpec, ApiError> {
        if let Some(name) = &self.name {
            self.name = Some(crate::manage::check_label("name", name)?);
        }
        if let Some(url) = &self.url {
            Target::parse(url)?;
        }
        if let Some(events) = &mut self.events {
            events.sort_by_key(|kind| EventType::ALL.iter().position(|all| all == kind));
            events.dedup();
            if events.is_empty() {
                return Err(invalid("events", "'events' names at least one event."));
            }
        }
        if let Some(tables) = &mut self.tables {
            tables.sort();
            tables.dedup();
            if tables.len() > 100 {
                return Err(invalid("tables", "'tables' names at most 100 tables."));
            }
        }
        if let Some(Some(filter)) = &self.filter
            && filter.to_string().len() > MAX_FILTER_BYTES
        {
            return Err(invalid("filter", format!("'filter' is over {MAX_FILTER_BYTES} bytes; simplify it.")));
        }
        Ok(self)
    }
}

fn invalid(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::ValidationError, message).with("field", field)
}

/// Where an endpoint's URL points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub https: bool,
    /// A name or an address (IPv6 without brackets).
    pub host: String,
    pub port: u16,
}

impl Target {
    /// An absolute `http(s)://host[:port]/path?query` URL without credentials or fragment.
    pub fn parse(url: &str) -> Result<Target, ApiError> {
        let refuse = |why: &str| Err(invalid("url", format!("'url' {why}.")));
        if url.len() > MAX_URL || url.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return refuse(&format!("must be at most {MAX_URL} characters without spaces or control characters"));
        }
        let (https, rest) = match url.split_once("://") {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("https") => (true, rest),
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => (false, rest),
            _ => return refuse("must start with https:// or http://"),
        };
        if url.contains('#') {
            return refuse("may not have a fragment");
        }
        let authority = rest.split(['/', '?']).next().unwrap_or("");
        if authority.contains('@') {
            return refuse("may not hold credentials; the signature authenticates deliveries");
        }
        let (host, port) = match authority.strip_prefix('[') {
            Some(bracketed) => match bracketed.split_once(']') {
                Some((host, "")) => (host, None),
                Some((host, port)) => (host, Some(port.strip_prefix(':').unwrap_or("x"))),
                None => return refuse("has an unclosed '['"),
            },
            None => match authority.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            },
        };
        let port = match port {
            None => {
                if https {
                    443
                } else {
                    80
                }
            }
            Some(port) => match port.parse::<u16>() {
                Ok(port) if port > 0 => port,
                _ => return refuse("has an invalid port"),
            },
        };
        let valid_name = !host.is_empty()
            && host.len() <= 253
            && host.split('.').all(|label| {
                !label.is_empty() && label.len() <= 63 && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if !valid_name && host.parse::<std::net::IpAddr>().is_err() {
            return refuse("has an invalid host");
        }
        Ok(Target { https, host: host.to_ascii_lowercase(), port })
    }
}

/// Which addresses a deployment lets endpoints reach besides public ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    Public,
    /// Public and loopback (tests, a local receiver in development).
    Loopback,
    /// Any address (a deployment whose receivers are on its private network).
    Any,
}

impl Reach {
    pub fn allows(self, address: std::net::IpAddr) -> bool {
        match self {
            Reach::Any => true,
            Reach::Loopback if address.to_canonical().is_loopback() => true,
            _ => is_public(address),
        }
    }
}

/// Whether an address is a public unicast one (not private, loopback, link-local, shared,
/// documentation, benchmarking, multicast, reserved or unspecified).
pub fn is_public(address: std::net::IpAddr) -> bool {
    use std::net::IpAddr;
    match address.to_canonical() {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.is_multicast()
                || a == 0
                || a >= 240
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (b == 18 || b == 19))
                || (a == 192 && b == 0))
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8
                || first == 0x0064 && v6.segments()[1] == 0xff9b)
        }
    }
}

/// How long a delivery waits after its `attempt`-th failed attempt: `base`, doubling, at
/// most [`MAX_BACKOFF`].
pub fn backoff(attempt: u32, base: Duration) -> Duration {
    base.saturating_mul(1 << attempt.saturating_sub(1).min(20)).min(MAX_BACKOFF)
}

/// The id of the message of a change: the same for every attempt and every endpoint.
pub fn message_id(base: BaseId, seq: i64) -> String {
    format!("msg_{}_{seq}", base.0.simple())
}

/// The key of a secret as shown (`whsec_<base64>`).
pub fn key_of(secret: &str) -> Option<Vec<u8>> {
    STANDARD.decode(secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret)).ok()
}

fn mac(key: &[u8]) -> Hmac<Sha256> {
    <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes a key of any length")
}

/// The `webhook-signature` header of a message.
pub fn signature(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = mac(key);
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// The `X-Signature` header of a body.
pub fn x_signature(key: &[u8], body: &[u8]) -> String {
    let mut mac = mac(key);
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// A filter for `table`: a `where` tree of conditions the origin decides exactly from a
/// change's values.
pub fn compile_filter(table: &Table, filter: &Value) -> Result<Expr, ApiError> {
    let tree = crate::query::parse_condition(filter, "filter", false)?;
    let expr = crate::plan::compile_condition(table, &tree).map_err(|error| error.with("field", "filter"))?;
    decidable(table, &expr)?;
    Ok(expr)
}

fn decidable(table: &Table, expr: &Expr) -> Result<(), ApiError> {
    match expr {
        Expr::And(children) | Expr::Or(children) => children.iter().try_for_each(|child| decidable(table, child)),
        Expr::Not(child) => decidable(table, child),
        Expr::Cond(condition) => {
            let field = match condition.column {
                Column::Field(id) => table.field_by_id(id),
                _ => None,
            };
            let exact_type = field.is_some_and(|field| {
                matches!(
                    field.field_type,
                    FieldType::Number
                        | FieldType::Date
                        | FieldType::Text
                        | FieldType::LongText
                        | FieldType::SingleSelect
                        | FieldType::Url
                        | FieldType::Boolean
                )
            });
            let exact_op = !matches!(condition.op, Op::Contains)
                && (condition.op != Op::StartsWith || field.is_some_and(|field| field.field_type.is_textual()));
            match (exact_type, exact_op) {
                (true, true) => Ok(()),
                _ => Err(invalid(
                    "filter",
                    format!(
                        "A webhook filter takes number, date, text, long text, single select, URL and boolean \
                         fields of the table with eq, ne, in, gt, gte, lt, lte, between, starts_with and is_null; \
                         '{}' with '{}' is not one of them.",
                        field.map_or("a field of another table", |field| field.name.as_str()),
                        condition.op.as_str()
                    ),
                )),
            }
        }
    }
}

/// Whether a record image of the change log (`{"id", "values": {name: value}}`) meets a
/// filter. A field the image does not hold (renamed since) leaves the condition
/// undecided, and an undecided filter delivers: a receiver would rather get one change
/// too many than miss one.
pub fn matches(table: &Table, expr: &Expr, image: &Value) -> bool {
    let values: HashMap<crate::ids::FieldId, Option<String>> = table
        .fields
        .iter()
        .filter_map(|field| {
            let value = image["values"].get(&field.name)?;
            Some((field.id, (!value.is_null()).then(|| crate::value::json_text(value))))
        })
        .collect();
    let known = |id| values.get(&id).map(Option::as_deref);
    crate::rules::holds(table, expr, &known).unwrap_or(true)
}

/// What a delivery's body holds in `data`.
#[derive(Serialize, JsonSchema)]
pub struct DeliveryData {
    #[schemars(extend("format" = "uuid"))]
    pub base_id: String,
    #[schemars(extend("format" = "uuid"))]
    pub table_id: String,
    /// The table's name when the change was queued.
    pub table: String,
    /// The record's id.
    #[schemars(extend("format" = "uuid"))]
    pub id: String,
    /// The fields the change set to another value.
    pub changed_fields: Vec<String>,
    /// The record after the change (`{id, values, created_at, updated_at}`); null for a
    /// deletion.
    pub record: Option<Value>,
    /// The record before the change; null for a creation.
    pub previous: Option<Value>,
    /// Who wrote it: `token:<id>` or `user:<id>`.
    pub actor: String,
    pub request_id: String,
}

/// A delivery's body.
#[derive(Serialize, JsonSchema)]
pub struct DeliveryBody {
    #[serde(rename = "type")]
    pub kind: EventType,
    /// When the change was written (RFC 3339).
    pub timestamp: String,
    pub data: DeliveryData,
}

/// What the management API does with a base's webhooks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum WebhookCommand {
    List,
    Create { spec: WebhookSpec },
    Update { webhook: uuid::Uuid, spec: WebhookSpec },
    Delete { webhook: uuid::Uuid },
    RotateSecret { webhook: uuid::Uuid },
    Deliveries { webhook: uuid::Uuid, state: Option<DeliveryState>, before: Option<i64>, limit: u32 },
    Redeliver { webhook: uuid::Uuid, delivery: i64 },
}

/// Where a delivery is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Waiting for its next attempt (or for an earlier delivery of the same record).
    Pending,
    Delivered,
    /// Every attempt failed; it can be sent again by hand.
    Failed,
}

crate::json_schema::string_enum!(DeliveryState, DeliveryState::ALL);

impl DeliveryState {
    pub const ALL: [DeliveryState; 3] = [DeliveryState::Pending, DeliveryState::Delivered, DeliveryState::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<DeliveryState> {
        DeliveryState::ALL.into_iter().find(|state| state.as_str() == text)
    }
}

/// An endpoint, without its secret.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Webhook {
    #[schemars(extend("format" = "uuid"))]
    pub id: String,
    #[schemars(extend("format" = "uuid"))]
    pub base_id: String,
    pub name: String,
    pub url: String,
    pub events: Vec<EventType>,
    /// The ids of the tables it follows; empty: every table.
    pub tables: Vec<String>,
    pub filter: Option<Value>,
    /// Whether it delivers; an endpoint that kept failing is disabled, with the reason.
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    /// Since when every attempt has failed; null after a success.
    pub failing_since: Option<String>,
    /// Deliveries waiting to be sent.
    pub pending: i64,
    pub created_at: String,
}

/// A new endpoint (or one with a new secret), with its secret.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: Webhook,
    /// `whsec_<base64 key>`: shown in this answer only. Verify `webhook-signature` with it
    /// (any Standard Webhooks library), or `X-Signature` (HMAC-SHA256 of the body with the
    /// decoded key).
    pub secret: String,
}

/// A base's endpoints, oldest first.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct WebhookList {
    pub data: Vec<Webhook>,
}

#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct WebhookDeleted {
    #[schemars(extend("format" = "uuid"))]
    pub id: String,
    pub deleted: crate::resource::True,
}

/// One attempt of a delivery.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Attempt {
    pub attempt: i32,
    pub at: String,
    /// The receiver's status; null when none came (refused, timed out, unreachable).
    pub status: Option<i32>,
    pub latency_ms: i32,
    pub error: Option<String>,
}

/// A delivery of one change to one endpoint, with its attempts.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Delivery {
    pub id: i64,
    /// The `webhook-id` header: the same for every attempt.
    pub message_id: String,
    pub event: EventType,
    #[schemars(extend("format" = "uuid"))]
    pub record_id: String,
    pub state: DeliveryState,
    pub next_attempt_at: Option<String>,
    pub created_at: String,
    pub finished_at: Option<String>,
    /// The body sent.
    pub payload: Value,
    /// Newest first.
    pub attempts: Vec<Attempt>,
}

/// An endpoint's deliveries, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct DeliveryList {
    pub data: Vec<Delivery>,
    /// Pass as `before` for the next page; null on the last.
    pub next_before: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let target = Target::parse("https://Hooks.Example.com/in?x=1").expect("valid");
        assert_eq!((target.https, target.host.as_str(), target.port), (true, "hooks.example.com", 443));
        let target = Target::parse("http://[::1]:8080/x").expect("valid");
        assert_eq!((target.host.as_str(), target.port), ("::1", 8080));
        assert_eq!(Target::parse("http://127.0.0.1:9/").expect("valid").port, 9);
        for bad in [
            "ftp://x.com",
            "https://user:pw@x.com/",
            "https://x.com:0/",
            "https://x.com:99999/",
            "https://x .com/",
            "https:///path",
            "https://x.com/#frag",
            "https://[::1/",
            "https://exa_mple.com/",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn reach() {
        let public = |text: &str| is_public(text.parse().expect("address"));
        for private in
            ["10.0.0.1", "127.0.0.1", "169.254.169.254", "192.168.1.1", "100.64.0.1", "0.0.0.0", "::1", "fd00::1"]
        {
            assert!(!public(private), "{private}");
        }
        assert!(!public("::ffff:127.0.0.1"), "a mapped loopback address");
        assert!(public("93.184.216.34") && public("2606:2800:220:1::1"));
        assert!(Reach::Loopback.allows("127.0.0.1".parse().expect("address")));
        assert!(!Reach::Loopback.allows("10.1.2.3".parse().expect("address")));
        assert!(Reach::Any.allows("10.1.2.3".parse().expect("address")));
    }

    #[test]
    fn backoff_doubles_up_to_its_cap() {
        let base = Duration::from_secs(10);
        assert_eq!(backoff(1, base), base);
        assert_eq!(backoff(3, base), Duration::from_secs(40));
        assert_eq!(backoff(40, base), MAX_BACKOFF);
        let total: Duration = (1..20).map(|attempt| backoff(attempt, base)).sum();
        assert!(total > Duration::from_secs(3 * 86_400), "twenty attempts span days: {total:?}");
    }

    #[test]
    fn signatures_follow_standard_webhooks() {
        // The example of the Standard Webhooks specification.
        let key = key_of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("key");
        let body = br#"{"test": 2432232314}"#;
        assert_eq!(
            signature(&key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
        assert!(x_signature(&key, body).starts_with("sha256=") && x_signature(&key, body).len() == 71);
    }

    #[test]
    fn specs() {
        let spec = |body: Value| {
            serde_json::from_value::<WebhookRequest>(body)
                .map_err(|error| error.to_string())
                .and_then(|request| WebhookSpec::create(request).map_err(|error| error.message))
        };
        let created = spec(serde_json::json!({"name": " Orders ", "url": "https://x.com/hook"})).expect("valid");
        assert_eq!(created.events.as_deref(), Some(&EventType::ALL[..]));
        assert_eq!(created.name.as_deref(), Some("Orders"));
        assert!(spec(serde_json::json!({"name": "a", "url": "https://x.com", "events": []})).is_err());
        assert!(spec(serde_json::json!({"name": "a", "url": "https://x.com", "events": ["record.moved"]})).is_err());
        assert!(spec(serde_json::json!({"name": "a", "url": "https://x.com", "secret": "mine"})).is_err());
        let patch = |body: Value| WebhookSpec::update(serde_json::from_value(body).expect("a patch"));
        assert!(patch(serde_json::json!({})).is_err(), "a patch that changes nothing");
        let cleared = patch(serde_json::json!({"filter": null})).expect("valid");
        assert_eq!(cleared.filter, Some(None));
        let sent: WebhookSpec = serde_json::from_value(serde_json::to_value(&cleared).expect("json")).expect("spec");
        assert_eq!(sent, cleared, "a cleared filter survives the envelope");
        let named = patch(serde_json::json!({"name": "x"})).expect("valid");
        let sent: WebhookSpec = serde_json::from_value(serde_json::to_value(&named).expect("json")).expect("spec");
        assert_eq!(sent.filter, None, "an unchanged filter too");
    }
}
