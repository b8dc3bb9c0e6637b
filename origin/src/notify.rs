//! Postgres notifications (`LISTEN`) as a channel, for the listeners that keep caches and
//! edges up to date.

use futures_util::StreamExt;
use tokio::sync::mpsc;
use tokio_postgres::{AsyncMessage, Notification};

/// The base of an `nc_changes` notification (`b_<base hex>:<table ids>`, as the change
/// log's trigger sends it), and its table ids as sent.
pub fn changed_base(payload: &str) -> Option<(shared::ids::BaseId, &str)> {
    let (schema, tables) = payload.split_once(':')?;
    Some((shared::ids::BaseId::parse(schema.strip_prefix("b_")?)?, tables))
}

/// A connection listening on some channels. Its stream of notifications ends when the
/// connection fails (logged); dropping it closes the connection.
pub struct Listener {
    client: tokio_postgres::Client,
    pump: tokio::task::JoinHandle<()>,
    pub notifications: mpsc::UnboundedReceiver<Notification>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.pump.abort();
    }
}

/// Connects to `url` and listens on `channels` (names from the code, never from input).
pub async fn listen(url: &str, channels: &[&str]) -> anyhow::Result<Listener> {
    let config: tokio_postgres::Config = url.parse()?;
    let (client, mut connection) = config.connect(tokio_postgres::NoTls).await?;
    let (sender, notifications) = mpsc::unbounded_channel();
    let names = channels.join(", ");
    // The connection must be polled for the LISTEN below to complete.
    let pump = tokio::spawn(async move {
        let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(message) = messages.next().await {
            match message {
                Ok(AsyncMessage::Notification(notification)) => {
                    if sender.send(notification).is_err() {
                        break;
                    }
                }
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(error = %error, channels = %names, "notification connection failed");
                    break;
                }
            }
        }
    });
    let listener = Listener { client, pump, notifications };
    let statements: Vec<String> = channels.iter().map(|channel| format!("LISTEN {channel}")).collect();
    listener.client.batch_execute(&statements.join("; ")).await?;
    Ok(listener)
}
