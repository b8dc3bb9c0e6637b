//! Pushes to the edges what changed, so that their cached answers are never served after a
//! write: the data plane notifies `nc_changes` when a transaction writing change-log rows
//! commits (a trigger on every base's `_changes`), the control plane `nc_views` and
//! `nc_catalog` when a view or a schema changes. Each notification becomes, within a few
//! milliseconds, a signed `POST /internal/v1/invalidate` to every edge in
//! `NC_EDGE_PUSH_URLS`, retried twice.
//!
//! A listener that reconnects may have missed notifications, so it invalidates every base
//! with a published view.

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use shared::ids::{BaseId, TableId};
use shared::invalidation::{INVALIDATE_PATH, Invalidation};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// Notifications that arrive this close together are sent in one push.
const BATCH: Duration = Duration::from_millis(5);

pub struct Invalidator {
    edges: Vec<String>,
    /// Pushes are signed with the first key.
    keys: shared::keys::Keyring,
    client: Client<HttpConnector, Full<Bytes>>,
}

/// What a listener heard.
enum Heard {
    Tables(BaseId, Vec<TableId>),
    View(BaseId, String),
    Catalog(BaseId),
    /// The listener (re)connected: anything may have been missed.
    Everything,
}

impl Invalidator {
    pub fn new(edges: Vec<String>, keys: shared::keys::Keyring) -> Arc<Invalidator> {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        connector.set_connect_timeout(Some(Duration::from_secs(1)));
        let client = Client::builder(TokioExecutor::new()).build(connector);
        Arc::new(Invalidator { edges, keys, client })
    }

    /// Listens on both planes and pushes, for the life of the process.
    /// Listens to every data cluster's commits and to the control plane's changes, and
    /// pushes what they invalidate to the edges.
    pub fn start(
        self: Arc<Self>,
        data_urls: Vec<String>,
        control_url: String,
        catalogs: Arc<crate::catalog::ControlState>,
    ) {
        if self.edges.is_empty() {
            return;
        }
        let (sender, receiver) = mpsc::unbounded_channel();
        for data_url in data_urls {
            tokio::spawn(listen(data_url, &["nc_changes"], sender.clone()));
        }
        tokio::spawn(listen(control_url, &["nc_views", "nc_catalog"], sender));
        tokio::spawn(self.pump(receiver, catalogs));
    }

    async fn pump(
        self: Arc<Self>,
        mut receiver: mpsc::UnboundedReceiver<Heard>,
        catalogs: Arc<crate::catalog::ControlState>,
    ) {
        while let Some(first) = receiver.recv().await {
            let mut heard = vec![first];
            tokio::time::sleep(BATCH).await;
            while let Ok(more) = receiver.try_recv() {
                heard.push(more);
            }
            let mut pending: BTreeMap<BaseId, Invalidation> = BTreeMap::new();
            for item in heard {
                match item {
                    Heard::Tables(base, tables) => entry(&mut pending, base).tables.extend(tables),
                    Heard::View(base, slug) => entry(&mut pending, base).views.push(slug),
                    Heard::Catalog(base) => entry(&mut pending, base).catalog = true,
                    Heard::Everything => {
                        for base in bases_with_views(catalogs.pool()).await {
                            entry(&mut pending, base).catalog = true;
                        }
                    }
                }
            }
            for mut invalidation in pending.into_values() {
                // A table whose computed fields read a changed table changes with it.
                if !invalidation.tables.is_empty()
                    && let Ok(Some(catalog)) = catalogs.catalog(invalidation.base_id).await
                {
                    invalidation.tables = catalog.affected_by(&invalidation.tables);
                }
                invalidation.tables.sort();
                invalidation.tables.dedup();
                invalidation.views.sort();
                invalidation.views.dedup();
                let this = Arc::clone(&self);
                tokio::spawn(async move { this.push(invalidation).await });
            }
        }
    }

    async fn push(&self, mut invalidation: Invalidation) {
        invalidation.issued_at = crate::clock::now_ms();
        let Ok(body) = serde_json::to_vec(&invalidation) else { return };
        let signature = self.keys.sign(&body);
        let sends = self.edges.iter().map(|edge| {
            let (body, signature) = (body.clone(), signature.clone());
            async move {
                for attempt in 0..3 {
                    if attempt > 0 {
                        tokio::time::sleep(Duration::from_millis(100 * attempt)).await;
                    }
                    let request = hyper::Request::post(format!("{edge}{INVALIDATE_PATH}"))
                        .header("content-type", "application/json")
                        .header(shared::sign::HEADER, &signature)
                        .body(Full::new(Bytes::from(body.clone())));
                    let Ok(request) = request else { return };
                    let sent = tokio::time::timeout(Duration::from_secs(2), self.client.request(request)).await;
                    if let Ok(Ok(response)) = sent {
                        let ok = response.status().is_success();
                        let _ = response.into_body().collect().await;
                        if ok {
                            return;
                        }
                    }
                }
                tracing::warn!(
                    edge,
                    "an edge did not take an invalidation; its cached answers expire by their max-age"
                );
            }
        });
        futures_util::future::join_all(sends).await;
    }
}

fn entry(pending: &mut BTreeMap<BaseId, Invalidation>, base: BaseId) -> &mut Invalidation {
    pending.entry(base).or_insert_with(|| Invalidation { base_id: base, ..Invalidation::default() })
}

async fn bases_with_views(control: &sqlx::PgPool) -> Vec<BaseId> {
    let bases: Result<Vec<uuid::Uuid>, _> =
        sqlx::query_scalar("SELECT DISTINCT base_id FROM views WHERE published AND deleted_at IS NULL")
            .fetch_all(control)
            .await;
    bases.map(|bases| bases.into_iter().map(BaseId).collect()).unwrap_or_default()
}

/// `b_<base hex>:<table id>,<table id>` (data plane) or `<base id>:<slug>` (views), or a base id.
fn parse(channel: &str, payload: &str) -> Option<Heard> {
    match channel {
        "nc_changes" => {
            let (base, tables) = crate::notify::changed_base(payload)?;
            Some(Heard::Tables(base, tables.split(',').filter_map(TableId::parse).collect()))
        }
        "nc_views" => {
            let (base, slug) = payload.split_once(':')?;
            Some(Heard::View(BaseId::parse(base)?, slug.to_owned()))
        }
        "nc_catalog" => Some(Heard::Catalog(BaseId::parse(payload)?)),
        _ => None,
    }
}

/// Keeps one LISTEN connection open, reconnecting after a failure.
async fn listen(url: String, channels: &'static [&'static str], sender: mpsc::UnboundedSender<Heard>) {
    loop {
        if let Err(error) = listen_once(&url, channels, &sender).await {
            tracing::warn!(error = %error, ?channels, "invalidation listener disconnected; reconnecting");
        }
        if sender.is_closed() {
            return;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

async fn listen_once(url: &str, channels: &[&str], sender: &mpsc::UnboundedSender<Heard>) -> anyhow::Result<()> {
    let mut listener = crate::notify::listen(url, channels).await?;
    let _ = sender.send(Heard::Everything);
    while let Some(notification) = listener.notifications.recv().await {
        if let Some(heard) = parse(notification.channel(), notification.payload()) {
            let _ = sender.send(heard);
        }
    }
    anyhow::bail!("the notification stream ended")
}
