//! Presence: who follows a table or a published view now, for the streams that asked
//! (`presence=true`).
//!
//! A stream that asks takes a **seat**: a row of `nc.presence` (data plane), renewed by its
//! heartbeat and removed when it ends; each change notifies `nc_presence`
//! (`<base>:<scope>`). Each origin keeps one **board**: for each scope its streams watch,
//! the people there (one entry per actor, however many streams they hold), read again when
//! a change is notified; the streams send `event: presence` (everyone) when they open,
//! then `user:join` and `user:leave` as people come and go. A seat whose origin died is
//! swept once its row is [`STALE`] old, by whichever origin looks first (every
//! [`SWEEP`]), so nobody stays present for longer than that after a crash.

use crate::pools::DataPool;
use axum::body::Bytes;
use shared::events::{Presence, Present};
use shared::ids::BaseId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

/// How often the board sweeps stale seats and reads every watched scope again.
const SWEEP: Duration = Duration::from_secs(15);
/// A seat not renewed for this long belongs to a stream whose origin died.
const STALE: &str = "45 seconds";

type Scope = (BaseId, String);

/// What a stream asks to be counted as.
pub struct Ask {
    /// `table:<id>` or `view:<slug>`.
    pub scope: String,
    pub actor: String,
    pub name: Option<String>,
    /// Whether the stream is told people's names (members' streams) or only who they are
    /// by id (tokens' and visitors', which may be in anyone's hands).
    pub names: bool,
}

#[derive(Default)]
pub struct Board {
    scopes: Mutex<HashMap<Scope, watch::Sender<Vec<Present>>>>,
}

/// A stream's place among those present, and what it last told its client.
pub struct Seat {
    id: uuid::Uuid,
    names: bool,
    data: DataPool,
    people: watch::Receiver<Vec<Present>>,
    told: Vec<Present>,
}

impl Board {
    /// Listens for presence changes and sweeps stale seats, for as long as the origin runs.
    pub fn listen(self: &Arc<Self>, data: DataPool, data_url: String) {
        let board = Arc::clone(self);
        tokio::spawn(async move {
            loop {
                let mut listener = crate::notify::listen(&data_url, &["nc_presence"]).await.ok();
                let mut sweep = tokio::time::interval(SWEEP);
                loop {
                    tokio::select! {
                        heard = async {
                            match &mut listener {
                                Some(listener) => listener.notifications.recv().await,
                                None => std::future::pending().await,
                            }
                        } => {
                            let Some(notification) = heard else { break };
                            if let Some(scope) = scope_of(notification.payload()) {
                                board.refresh(&data, &scope).await;
                            }
                        }
                        _ = sweep.tick() => {
                            board.sweep(&data).await;
                            if listener.is_none() {
                                break;
                            }
                        }
                    }
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
    }

    /// Removes stale seats (telling everyone), then reads every watched scope again.
    async fn sweep(&self, data: &DataPool) {
        if let Ok(client) = data.get().await {
            let swept = client
                .execute(
                    &format!(
                        "WITH gone AS (DELETE FROM nc.presence WHERE seen_at < now() - interval '{STALE}' \
                         RETURNING base_id, scope) \
                         SELECT pg_notify('nc_presence', base_id::text || ':' || scope) \
                         FROM (SELECT DISTINCT base_id, scope FROM gone) g"
                    ),
                    &[],
                )
                .await;
            if let Err(error) = swept {
                tracing::warn!(error = %error, "presence: stale seats were not swept");
            }
        }
        let watched: Vec<Scope> = {
            let mut scopes = self.scopes.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            scopes.retain(|_, sender| sender.receiver_count() > 0);
            scopes.keys().cloned().collect()
        };
        for scope in watched {
            self.refresh(data, &scope).await;
        }
    }

    /// Reads who is in a scope some stream here watches, and tells its streams if it changed.
    async fn refresh(&self, data: &DataPool, scope: &Scope) {
        let Some(sender) = self.scopes.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(scope).cloned()
        else {
            return;
        };
        match people(data, scope).await {
            Ok(people) => {
                sender.send_if_modified(|current| {
                    let changed = *current != people;
                    *current = people;
                    changed
                });
            }
            Err(error) => tracing::warn!(error = %error, "presence: a scope could not be read"),
        }
    }

    /// Seats a stream: its row, then the scope watched here, read once with it in.
    pub async fn seat(self: &Arc<Self>, data: &DataPool, base: BaseId, ask: Ask) -> Result<Seat, crate::error::Error> {
        let id = uuid::Uuid::new_v4();
        let client = crate::pools::connection(data).await?;
        client
            .execute(
                "WITH seat AS (INSERT INTO nc.presence (stream_id, base_id, scope, actor, name) \
                 VALUES ($1::text::uuid, $2::text::uuid, $3, $4, $5) RETURNING base_id, scope) \
                 SELECT pg_notify('nc_presence', base_id::text || ':' || scope) FROM seat",
                &[&id.to_string(), &base.to_string(), &ask.scope, &ask.actor, &ask.name],
            )
            .await?;
        drop(client);
        let scope = (base, ask.scope.clone());
        let people = {
            let mut scopes = self.scopes.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            scopes.entry(scope.clone()).or_insert_with(|| watch::channel(Vec::new()).0).subscribe()
        };
        self.refresh(data, &scope).await;
        Ok(Seat { id, names: ask.names, data: data.clone(), people, told: Vec::new() })
    }
}

impl Seat {
    /// The `event: presence` frame: everyone there now.
    pub fn opening(&mut self) -> Bytes {
        self.told = self.people.borrow_and_update().clone();
        let present = self.told.iter().map(|person| self.shown(person)).collect();
        let data = serde_json::to_vec(&Presence { present }).unwrap_or_default();
        Bytes::from(shared::events::unnumbered("presence", &data))
    }

    /// Waits for a change of who is there, and tells it as `user:join` and `user:leave`.
    pub async fn changes(&mut self) -> Vec<Bytes> {
        if self.people.changed().await.is_err() {
            return std::future::pending().await;
        }
        let now = self.people.borrow_and_update().clone();
        let mut frames = Vec::new();
        for (event, from, to) in [("user:leave", &self.told, &now), ("user:join", &now, &self.told)] {
            for person in from.iter().filter(|person| !to.iter().any(|other| other.actor == person.actor)) {
                let data = serde_json::to_vec(&self.shown(person)).unwrap_or_default();
                frames.push(Bytes::from(shared::events::unnumbered(event, &data)));
            }
        }
        self.told = now;
        frames
    }

    /// A person as this stream may see them: without a name, unless a member asked.
    fn shown(&self, person: &Present) -> Present {
        Present { name: person.name.clone().filter(|_| self.names), ..person.clone() }
    }

    /// Renews the seat (at each heartbeat of its stream).
    pub async fn renew(&self) {
        if let Ok(client) = self.data.get().await {
            let id = self.id.to_string();
            let renewed =
                client.execute("UPDATE nc.presence SET seen_at = now() WHERE stream_id = $1::text::uuid", &[&id]).await;
            if let Err(error) = renewed {
                tracing::warn!(error = %error, "presence: a seat was not renewed");
            }
        }
    }
}

impl Drop for Seat {
    /// The stream ended: its seat goes, and everyone is told.
    fn drop(&mut self) {
        let (data, id) = (self.data.clone(), self.id);
        tokio::spawn(async move {
            if let Ok(client) = data.get().await {
                let left = client
                    .execute(
                        "WITH gone AS (DELETE FROM nc.presence WHERE stream_id = $1::text::uuid \
                         RETURNING base_id, scope) \
                         SELECT pg_notify('nc_presence', base_id::text || ':' || scope) FROM gone",
                        &[&id.to_string()],
                    )
                    .await;
                if let Err(error) = left {
                    tracing::warn!(error = %error, "presence: a seat is left to the sweep");
                }
            }
        });
    }
}

/// Everyone in a scope, once each, earliest first.
async fn people(data: &DataPool, (base, scope): &Scope) -> Result<Vec<Present>, crate::error::Error> {
    let client = crate::pools::connection(data).await?;
    let rows = client
        .query(
            concat!(
                "SELECT actor, min(name), ",
                sql_time!("min(since)"),
                " FROM nc.presence WHERE base_id = $1::text::uuid AND scope = $2 GROUP BY actor ORDER BY min(since), actor"
            ),
            &[&base.to_string(), scope],
        )
        .await?;
    rows.iter()
        .map(|row| Ok(Present { actor: row.try_get(0)?, name: row.try_get(1)?, since: row.try_get(2)? }))
        .collect()
}

/// The scope of an `nc_presence` payload (`<base>:<scope>`).
fn scope_of(payload: &str) -> Option<Scope> {
    let (base, scope) = payload.split_once(':')?;
    Some((BaseId::parse(base)?, scope.to_owned()))
}
