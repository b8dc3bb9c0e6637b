//! A table's changes as events (`GET /v1/tables/{tableId}/events`), read through one hub
//! per base.
//!
//! A base's hub reads the change log once for all its streams, when the data plane
//! notifies a commit (`nc_changes`) or at the latest every second, and evaluates each
//! batch of changes once per distinct subscription (the same caller, list plan and schema
//! version), whatever the number of streams that share it: the records a batch changed are
//! read once more through the subscription's list plan, and the frames go to every stream
//! of the subscription at once. So the work per batch grows with the distinct
//! subscriptions, not with the streams.
//!
//! A stream that starts behind the hub (it resumes from an older event) catches up alone,
//! reading from its position up to the hub's, and joins the hub when it is there; a stream
//! that falls behind the hub (its client reads slowly) leaves it and catches up alone
//! again. Both readings take the same positions, so every change after a position is sent
//! once.

use super::{Events, Follow, Polled};
use crate::changes::{Position, Read};
use crate::error::{Error, bug};
use crate::execute::{Answer, Executor, Request};
use axum::body::Bytes;
use serde_json::value::RawValue;
use shared::envelope::{Envelope, Op, Principal};
use shared::error::{ApiError, ErrorCode};
use shared::ids::BaseId;
use shared::plan::{Column, Condition, Expr, Plan};
use shared::query::Op as QueryOp;
use shared::records::RecordEvent;
use shared::token::Scope;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Notify, broadcast, watch};
use tokio::time::Instant;

/// Changes read at once: as many as a plan's `in` takes, so one read shows them all.
const BATCH: u32 = shared::plan::MAX_IN_VALUES as u32;
/// How often a hub reads the log when no notification woke it (one may be lost while its
/// listener reconnects).
const FALLBACK: Duration = Duration::from_secs(1);
/// Batches a subscription keeps for a stream that has not sent them yet; a stream further
/// behind leaves the hub and catches up alone.
const BACKLOG: usize = 256;

/// What a stream of a table's changes shows: the same for every stream that shares it.
pub struct Subscription {
    pub principal: Principal,
    /// The list plan of the request's filters and fields.
    pub plan: Plan,
    pub catalog_version: i64,
    /// The request that opened the first stream (for logs).
    pub request_id: String,
    /// The caller sees some of the table's rows only (a view's filter), so a deletion,
    /// whose record can no longer be read to tell, is not sent.
    pub some_rows: bool,
}

impl Subscription {
    /// What makes two subscriptions the same: everything that decides what they show.
    fn key(&self) -> String {
        format!("{:?}|{:?}|{}|{}", self.principal, self.plan, self.catalog_version, self.some_rows)
    }
}

/// A stream following a table's changes.
pub struct Follower {
    hub: Arc<Hub>,
    subscription: Arc<Subscription>,
    /// Where in the base's change log the stream is: after the last batch it read.
    position: Position,
    /// The hub's batches, once the stream has joined it.
    joined: Option<broadcast::Receiver<Arc<Batch>>>,
}

/// One batch of changes, as one subscription shows it.
struct Batch {
    frames: Vec<Bytes>,
    /// The position after the batch.
    next: Position,
    /// The subscription ended (the caller lost access, the schema changed): its streams
    /// end, and their clients resume.
    ended: bool,
}

/// The hubs of this origin, by base.
#[derive(Default)]
pub struct Hubs {
    bases: Mutex<HashMap<BaseId, Arc<Hub>>>,
    /// Distinct subscriptions the hubs evaluate, all bases together.
    subscriptions: AtomicUsize,
}

pub struct Hub {
    base_id: BaseId,
    wake: Notify,
    /// Counts the hub's reads, for a stream waiting for the hub to pass its position.
    reads: watch::Sender<u64>,
    state: tokio::sync::Mutex<HubState>,
}

#[derive(Default)]
struct HubState {
    /// Where the hub is; `None` while no stream follows it.
    position: Option<Position>,
    groups: HashMap<String, Group>,
    /// The groups last added to [`Hubs::subscriptions`].
    counted: usize,
}

struct Group {
    subscription: Arc<Subscription>,
    table: String,
    sender: broadcast::Sender<Arc<Batch>>,
}

impl Hubs {
    /// Wakes the hub of a base whose change log has new rows.
    fn wake(&self, base_id: BaseId) {
        if let Some(hub) = self.lock().get(&base_id) {
            hub.wake.notify_one();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<BaseId, Arc<Hub>>> {
        self.bases.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Distinct subscriptions evaluated now.
    pub fn subscriptions(&self) -> usize {
        self.subscriptions.load(Ordering::Relaxed)
    }

    /// Listens for the data plane's commit notifications for the life of the process,
    /// reconnecting after a failure (and then waking every hub: one may have been missed).
    pub fn listen(self: &Arc<Self>, data_url: String) {
        let hubs = Arc::clone(self);
        tokio::spawn(async move {
            loop {
                match crate::notify::listen(&data_url, &["nc_changes"]).await {
                    Ok(mut listener) => {
                        for hub in hubs.lock().values() {
                            hub.wake.notify_one();
                        }
                        while let Some(notification) = listener.notifications.recv().await {
                            if let Some((base_id, _)) = crate::notify::changed_base(notification.payload()) {
                                hubs.wake(base_id);
                            }
                        }
                    }
                    Err(error) => tracing::warn!(error = %error, "the change listener could not connect; retrying"),
                }
                tokio::time::sleep(FALLBACK).await;
            }
        });
    }

    /// The hub of a base, started if none runs.
    fn hub(self: &Arc<Self>, executor: &Arc<Executor>, base_id: BaseId) -> Arc<Hub> {
        let mut bases = self.lock();
        if let Some(hub) = bases.get(&base_id) {
            return Arc::clone(hub);
        }
        let hub = Arc::new(Hub {
            base_id,
            wake: Notify::new(),
            reads: watch::channel(0).0,
            state: tokio::sync::Mutex::default(),
        });
        bases.insert(base_id, Arc::clone(&hub));
        tokio::spawn(Arc::clone(&hub).run(Arc::clone(executor), Arc::clone(self)));
        hub
    }

    /// Ends a hub that no stream follows or is about to; `false` if one is.
    fn retire(&self, hub: &Arc<Hub>) -> bool {
        let mut bases = self.lock();
        // The map's reference and the hub's own task: nobody else holds it, and nobody can
        // take it without this lock.
        if Arc::strong_count(hub) > 2 {
            return false;
        }
        bases.remove(&hub.base_id);
        true
    }
}

impl Hub {
    async fn run(self: Arc<Hub>, executor: Arc<Executor>, hubs: Arc<Hubs>) {
        let mut stopping = executor.streams.stopping();
        loop {
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(FALLBACK) => {}
                _ = stopping.changed() => {}
            }
            let mut state = self.state.lock().await;
            state.groups.retain(|_, group| group.sender.receiver_count() > 0);
            if state.groups.is_empty() {
                state.position = None;
            } else if let Err(error) = self.round(&executor, &mut state).await {
                tracing::warn!(base = %self.base_id, error = %error, "a change hub could not read; retrying");
            }
            let (now, counted) = (state.groups.len(), state.counted);
            hubs.subscriptions.fetch_add(now, Ordering::Relaxed);
            hubs.subscriptions.fetch_sub(counted, Ordering::Relaxed);
            state.counted = now;
            let idle = state.groups.is_empty();
            drop(state);
            self.reads.send_modify(|reads| *reads += 1);
            if (idle || *stopping.borrow()) && hubs.retire(&self) {
                return;
            }
        }
    }

    /// Reads the log from the hub's position to now, batch by batch, and sends each batch
    /// to every subscription as it shows it.
    async fn round(&self, executor: &Executor, state: &mut HubState) -> Result<(), Error> {
        loop {
            let Some(position) = state.position.clone() else { return Ok(()) };
            let read = {
                let client = executor.client(self.base_id).await?;
                crate::changes::read(&client, self.base_id, None, position, BATCH).await?
            };
            let mut ended = Vec::new();
            for (key, group) in &state.groups {
                let batch = match read.changes.iter().any(|change| change.table_id == group.table) {
                    false => Ok(Vec::new()),
                    true => frames(executor, self.base_id, &group.subscription, &read).await,
                };
                let batch = match batch {
                    Ok(frames) => Batch { frames, next: read.next.clone(), ended: false },
                    Err(error) => {
                        tracing::info!(base = %self.base_id, error = %error, "a subscription ended");
                        ended.push(key.clone());
                        Batch { frames: Vec::new(), next: read.next.clone(), ended: true }
                    }
                };
                // No receiver left: the group is dropped on the next round.
                let _ = group.sender.send(Arc::new(batch));
            }
            for key in ended {
                state.groups.remove(&key);
            }
            state.position = Some(read.next.clone());
            if !read.next.is_inside() {
                return Ok(());
            }
        }
    }
}

impl Follower {
    pub fn new(executor: &Arc<Executor>, base_id: BaseId, subscription: Subscription, position: Position) -> Follower {
        let hub = executor.streams.hubs.hub(executor, base_id);
        Follower { hub, subscription: Arc::new(subscription), position, joined: None }
    }

    /// What follows the stream's position, waiting for it until `until`.
    pub async fn poll(&mut self, executor: &Executor, until: Instant) -> Result<Polled, Error> {
        loop {
            if let Some(receiver) = &mut self.joined {
                return match tokio::time::timeout_at(until, receiver.recv()).await {
                    Err(_) => Ok(Polled::default()),
                    // An ended subscription's batch was not shown: the stream stays
                    // before it, so that what resumes from its position reads it.
                    Ok(Ok(batch)) => {
                        if !batch.ended {
                            self.position = batch.next.clone();
                        }
                        Ok(Polled { frames: batch.frames.clone(), done: batch.ended })
                    }
                    // Too far behind, or the hub is gone: on alone, from the last batch read.
                    Ok(Err(_)) => {
                        self.joined = None;
                        continue;
                    }
                };
            }
            if self.position.is_inside() {
                return self.read(executor, self.position.clone()).await;
            }
            let hub = Arc::clone(&self.hub);
            let mut state = hub.state.lock().await;
            let toward = match &state.position {
                None => {
                    state.position = Some(self.position.clone());
                    self.join(&mut state);
                    hub.wake.notify_one();
                    continue;
                }
                Some(hub) if hub.same_as(&self.position) => {
                    self.join(&mut state);
                    continue;
                }
                Some(hub) => self.position.toward(hub),
            };
            let mut reads = hub.reads.subscribe();
            drop(state);
            match toward {
                // Behind the hub: catch up to it alone.
                Some(toward) => return self.read(executor, toward).await,
                // Ahead of it (the stream starts from now, or from a list just read): the
                // hub reads now, and the stream then reads up to it.
                None => {
                    hub.wake.notify_one();
                    if tokio::time::timeout_at(until, reads.changed()).await.is_err() {
                        return Ok(Polled::default());
                    }
                }
            }
        }
    }

    /// Where the stream is, as the API shows a position.
    fn position(&self) -> Result<String, Error> {
        crate::changes::encode(&self.position)
    }

    /// Joins the hub, which is where the stream is.
    fn join(&mut self, state: &mut HubState) {
        let subscription = &self.subscription;
        let key = subscription.key();
        let group = state.groups.entry(key).or_insert_with(|| Group {
            subscription: Arc::clone(subscription),
            table: subscription.plan.table().0.to_string(),
            sender: broadcast::channel(BACKLOG).0,
        });
        self.joined = Some(group.sender.subscribe());
    }

    /// Reads one batch alone, from `from`.
    async fn read(&mut self, executor: &Executor, from: Position) -> Result<Polled, Error> {
        let table = Some(self.subscription.plan.table());
        let read = {
            let client = executor.client(self.hub.base_id).await?;
            crate::changes::read(&client, self.hub.base_id, table, from, BATCH).await?
        };
        let frames = frames(executor, self.hub.base_id, &self.subscription, &read).await?;
        self.position = read.next;
        Ok(Polled { frames, done: false })
    }
}

/// A long poll: the changes after `position` as JSON (`{data: [{position, …event}],
/// position}`) as soon as there are some, or none once `until` has passed or the origin
/// stops; a refusal (the caller lost access, the schema changed) in the error model.
pub async fn poll(
    executor: &Arc<Executor>,
    base_id: BaseId,
    subscription: Subscription,
    position: Position,
    until: Instant,
) -> (u16, Vec<u8>) {
    let request_id = subscription.request_id.clone();
    let mut follower = Follower::new(executor, base_id, subscription, position);
    let mut stopping = executor.streams.stopping();
    let mut frames = Vec::new();
    let read: Result<(), Error> = async {
        while frames.is_empty() && Instant::now() < until && !*stopping.borrow() {
            tokio::select! {
                polled = follower.poll(executor, until) => {
                    let polled = polled?;
                    frames.extend(polled.frames);
                    // The subscription ended: the poll answers from where it is, and the
                    // next one is checked anew.
                    if polled.done {
                        break;
                    }
                }
                _ = stopping.changed() => {}
            }
        }
        Ok(())
    }
    .await;
    let body = read.and_then(|()| {
        let mut body = b"{\"data\":[".to_vec();
        for (index, frame) in frames.iter().enumerate() {
            let (id, data) = shared::events::parts(frame).ok_or_else(|| bug("a frame of another shape"))?;
            if index > 0 {
                body.push(b',');
            }
            // `{"position":…,` then the event's own members.
            body.extend_from_slice(b"{\"position\":");
            body.extend_from_slice(&serde_json::to_vec(id).map_err(bug)?);
            body.push(b',');
            body.extend_from_slice(data.strip_prefix(b"{").ok_or_else(|| bug("an event that is not an object"))?);
        }
        body.extend_from_slice(b"],\"position\":");
        body.extend_from_slice(&serde_json::to_vec(&follower.position()?).map_err(bug)?);
        body.push(b'}');
        Ok(body)
    });
    match body {
        Ok(body) => (200, body),
        Err(error) => {
            let error = error.answer(&request_id, shared::api::OperationId::PollRecords.operation().name);
            (error.status(), error.to_body(&request_id))
        }
    }
}

/// The changes of a read that touch the subscription's table, each as an event whose `id`
/// is the position just after it. A change's record is read through the subscription's
/// list plan, restricted to the changed ids, so it shows what the caller may see now and
/// only if the filters select it; a deletion is sent with the id alone, unless a row
/// policy restricts what the caller sees of the table.
async fn frames(
    executor: &Executor,
    base_id: BaseId,
    subscription: &Subscription,
    read: &Read,
) -> Result<Vec<Bytes>, Error> {
    let Plan::ListRecords { table, filter, fields, sort, include, .. } = &subscription.plan else {
        return Err(bug("a watch's plan is not a list"));
    };
    let table_id = table.0.to_string();
    let changes: Vec<_> = read.changes.iter().filter(|change| change.table_id == table_id).collect();
    if changes.is_empty() {
        return Ok(Vec::new());
    }
    // As of now: the caller still has access (a view is still published as it was), and
    // the plan still fits the schema.
    let caller = executor.check_principal(base_id, &subscription.principal, Scope::Read).await?;
    if let Principal::View { slug, version, .. } = &subscription.principal {
        executor.check_view_plan(base_id, slug, *version, &subscription.plan).await?;
    }
    let catalog = executor.catalog(base_id).await?;
    if catalog.version != subscription.catalog_version {
        // The client resumes, and the edge compiles its plan anew.
        return Err(ApiError::new(ErrorCode::CatalogStale, "The schema changed.").into());
    }
    let shown = catalog
        .table_by_id(*table)
        .ok_or_else(|| Error::from(ApiError::new(ErrorCode::TableNotFound, "The table was dropped.")))?;
    let mut ids: Vec<String> = Vec::new();
    for change in &changes {
        if change.op != "delete" && !ids.contains(&change.record_id) {
            ids.push(change.record_id.clone());
        }
    }
    // Each record read: its JSON as the list answered it, and the fields it shows.
    let mut records: HashMap<String, (Box<RawValue>, Vec<String>)> = HashMap::new();
    if !ids.is_empty() {
        let changed = Expr::Cond(Condition { column: Column::Id, op: QueryOp::In, values: ids, var: None });
        let plan = Plan::ListRecords {
            table: *table,
            filter: Some(match filter {
                Some(filter) => Expr::And(vec![filter.clone(), changed]),
                None => changed,
            }),
            sort: sort.clone(),
            fields: fields.clone(),
            limit: BATCH,
            after: None,
            include: include.clone(),
        };
        shared::policy::check(&plan, &catalog, &caller)?;
        let database = AtomicU64::new(0);
        let request = Request {
            catalog: &catalog,
            plan: &plan,
            principal: &subscription.principal,
            caller: &caller,
            request_id: &subscription.request_id,
            database: &database,
        };
        let answer = executor.read_page(request, false).await?;
        let page: Page = serde_json::from_slice(&answer.body).map_err(bug)?;
        for record in page.data {
            let shown: Shown = serde_json::from_str(record.get()).map_err(bug)?;
            records.insert(shown.id, (record, shown.values.keys().cloned().collect()));
        }
    }
    let rows_restricted = subscription.some_rows || caller.applied(shown).is_some_and(|applied| applied.rows.is_some());
    let mut frames = Vec::new();
    for change in changes {
        let (kind, record, changed_fields) = match change.op.as_str() {
            "delete" if rows_restricted => continue,
            "delete" => ("record.deleted", None, Vec::new()),
            op => match records.get(&change.record_id) {
                None => continue,
                Some((record, names)) => (
                    if op == "insert" { "record.created" } else { "record.updated" },
                    Some(record.clone()),
                    // Among the fields the record shows.
                    change.changed_fields(shown).into_iter().filter(|name| names.contains(name)).collect(),
                ),
            },
        };
        let id = change.record_id.clone();
        let event = RecordEvent { kind, table: shown.name.clone(), id, changed_fields, record };
        let data = serde_json::to_vec(&event).map_err(bug)?;
        frames.push(Bytes::from(shared::events::frame(read.after(change)?, kind, &data)));
    }
    Ok(frames)
}

impl Executor {
    /// Answers `Op::Watch`: checks the caller, the plan and the position now, so that a
    /// refusal is an ordinary answer, and describes the stream.
    pub(crate) async fn watch(&self, envelope: &Envelope, reported: &mut Option<i64>) -> Result<Answer, Error> {
        let Op::Watch { base_id, catalog_version: version, principal, plan, after, seconds, poll, presence } =
            &envelope.op
        else {
            return Err(bug("not a watch"));
        };
        let (base_id, version, seconds) = (*base_id, *version, *seconds);
        let caller = self.check_principal(base_id, principal, Scope::Read).await?;
        let some_rows = match principal {
            Principal::View { slug, version, .. } => !self.check_view_plan(base_id, slug, *version, plan).await?,
            _ => false,
        };
        let catalog = self.catalog_at(base_id, version, reported).await?;
        shared::policy::check(plan, &catalog, &caller)?;
        let Plan::ListRecords { table, .. } = plan else { return Err(bug("a watch's plan is not a list")) };
        let client = self.client(base_id).await?;
        // A position from before the kept change log may have missed pruned changes: the
        // client starts over from now (`reset`), and is told so.
        let (position, reset) = match after.as_deref() {
            None => (crate::changes::now(&client).await?, false),
            Some(text) => {
                let refused = || match poll {
                    true => ApiError::new(
                        ErrorCode::InvalidQuery,
                        "'after' is not a position this API gave; send none to start from now.",
                    )
                    .with("parameter", "after"),
                    false => ApiError::new(
                        ErrorCode::InvalidRequest,
                        "'Last-Event-ID' is not the id of an event of this API; send none to start from now.",
                    )
                    .with("header", "Last-Event-ID"),
                };
                let position = crate::changes::decode(text).map_err(|_| refused())?;
                // Read once, so that a position Postgres does not take is refused here.
                match crate::changes::read(&client, base_id, Some(*table), position.clone(), 0).await {
                    Err(Error::Api(_)) => return Err(refused().into()),
                    Err(error) => return Err(error),
                    Ok(_) => {}
                }
                match crate::changes::behind_horizon(&client, base_id, &position).await? {
                    true => (crate::changes::now(&client).await?, true),
                    false => (position, false),
                }
            }
        };
        let reset = reset.then(|| crate::changes::encode(&position)).transpose()?;
        if let (true, Some(now)) = (poll, &reset) {
            let body = serde_json::json!({ "data": [], "position": now, "reset": true });
            return Ok(Answer::new(200, serde_json::to_vec(&body).map_err(bug)?));
        }
        let permit = self.stream_permit(base_id)?;
        let presence = match presence {
            true => Some(self.presence_ask(principal, *table).await?),
            false => None,
        };
        let subscription = Subscription {
            principal: principal.clone(),
            plan: plan.clone(),
            catalog_version: version,
            request_id: envelope.request_id.clone(),
            some_rows,
        };
        Ok(Answer::events(Events {
            base_id,
            seconds,
            permit,
            follow: match poll {
                true => Follow::Poll(Box::new(subscription), position),
                false => Follow::Records(Box::new(subscription), position),
            },
            presence,
            reset,
        }))
    }
}

impl Executor {
    /// What a stream that asks for presence counts its caller as: a member or a token by
    /// name, a view's caller as a visitor of its own.
    async fn presence_ask(
        &self,
        principal: &Principal,
        table: shared::ids::TableId,
    ) -> Result<super::presence::Ask, Error> {
        let (actor, names_query, id, names) = match principal {
            Principal::User { user_id, .. } => {
                (principal.actor(), "SELECT name FROM users WHERE id = $1", user_id.0, true)
            }
            Principal::Token { token_id, .. } => {
                (principal.actor(), "SELECT name FROM api_tokens WHERE id = $1", token_id.0, false)
            }
            Principal::View { slug, .. } => {
                return Ok(super::presence::Ask {
                    scope: format!("view:{slug}"),
                    actor: format!("visitor:{}", &uuid::Uuid::new_v4().simple().to_string()[..12]),
                    name: None,
                    names: false,
                });
            }
        };
        let name = sqlx::query_scalar(names_query).bind(id).fetch_optional(&self.manager.control).await?;
        Ok(super::presence::Ask { scope: format!("table:{table}"), actor, name, names })
    }
}

/// A page of records, each kept as the list wrote it.
#[derive(serde::Deserialize)]
struct Page {
    data: Vec<Box<RawValue>>,
}

/// What a record shows.
#[derive(serde::Deserialize)]
struct Shown {
    id: String,
    values: serde_json::Map<String, serde_json::Value>,
}
