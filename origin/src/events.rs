//! Event streams (`text/event-stream`) the origin answers and the edges pass through.
//!
//! A stream is held open by its client, so the open streams are counted per base and
//! capped ([`Streams::open`]), each runs for the time its envelope allows and then ends
//! (the client resumes with `Last-Event-ID`), and all of them end when the origin shuts
//! down. Each polls what it follows: a job's row, or its table's changes in the base's
//! change log (one indexed read; the records a batch changed are read once more, through
//! the stream's own list plan).

use crate::changes::Position;
use crate::error::{Error, bug};
use crate::execute::{Answer, Executor, Request};
use axum::body::Bytes;
use futures_util::Stream;
use serde_json::value::RawValue;
use shared::catalog::Table;
use shared::envelope::{Envelope, Op, Principal};
use shared::error::{ApiError, ErrorCode};
use shared::ids::BaseId;
use shared::plan::{Column, Condition, Expr, Plan};
use shared::query::Op as QueryOp;
use shared::records::RecordEvent;
use shared::token::Scope;
use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

/// How often a stream looks for a change of what it follows.
const POLL: Duration = Duration::from_millis(250);
/// The longest a stream may run, whatever its envelope says.
const MAX_SECONDS: u32 = 3600;

#[derive(clap::Args, Clone)]
pub struct StreamArgs {
    /// Event streams one base may hold open on this origin at once.
    #[arg(long, env = "NC_MAX_STREAMS_PER_BASE", default_value_t = 100)]
    pub max_streams_per_base: usize,
}

/// The open streams of this origin, by base.
pub struct Streams {
    open: Mutex<HashMap<BaseId, usize>>,
    per_base: usize,
    stopping: tokio::sync::watch::Sender<bool>,
}

/// A stream's place among the open ones, given back when the stream ends.
pub struct Permit {
    streams: Arc<Streams>,
    base: BaseId,
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut open = self.streams.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = open.get_mut(&self.base) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.base);
            }
        }
    }
}

impl Streams {
    pub fn new(args: &StreamArgs) -> Arc<Streams> {
        Arc::new(Streams {
            open: Mutex::default(),
            per_base: args.max_streams_per_base,
            stopping: tokio::sync::watch::channel(false).0,
        })
    }

    /// A place for one more stream of `base`, or `None` when it holds as many as allowed.
    pub fn open(self: &Arc<Self>, base: BaseId) -> Option<Permit> {
        let mut open = self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = open.entry(base).or_default();
        if *count >= self.per_base {
            return None;
        }
        *count += 1;
        Some(Permit { streams: Arc::clone(self), base })
    }

    /// Streams open now, all bases together.
    pub fn count(&self) -> usize {
        self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).values().sum()
    }

    /// Ends every stream (at shutdown): their clients resume on another origin.
    pub fn stop(&self) {
        self.stopping.send_replace(true);
    }
}

/// What a stream follows, as the answer to its envelope describes it; the HTTP layer
/// turns it into the body ([`body`]).
pub struct Events {
    pub base_id: BaseId,
    pub seconds: u32,
    pub permit: Permit,
    pub follow: Follow,
}

pub enum Follow {
    /// A job's states; `after`: the revision the client saw last.
    Job { job: uuid::Uuid, after: Option<i64> },
    /// A table's changes that a list plan selects, read as its caller may see them.
    Records(Box<Watch>),
}

pub struct Watch {
    pub principal: Principal,
    /// The list plan of the request's filters and fields.
    pub plan: Plan,
    pub catalog_version: i64,
    pub request_id: String,
    /// Where in the base's change log the stream is.
    pub position: Position,
}

/// What one look at what a stream follows found.
#[derive(Default)]
struct Polled {
    frames: Vec<Vec<u8>>,
    /// Nothing will follow: the stream ends once the frames are sent.
    done: bool,
    /// More is waiting to be read at once (a full batch of changes, all filtered out).
    again: bool,
}

/// One step of a stream: a frame to send, or the end.
enum Step {
    Frame(Vec<u8>),
    End,
}

/// Changes read at once: as many as a plan's `in` takes, so one read shows them all.
const BATCH: u32 = shared::plan::MAX_IN_VALUES as u32;

struct State {
    executor: Arc<Executor>,
    events: Events,
    /// Frames read and not yet sent.
    pending: VecDeque<Vec<u8>>,
    opened: bool,
    done: bool,
    deadline: Instant,
    heartbeat: Instant,
    stopping: tokio::sync::watch::Receiver<bool>,
}

/// The body of a stream: its opening frame, then each change it follows as it is read,
/// heartbeats while nothing changes, until what it follows ends (a job), its time is up,
/// or the origin stops.
pub fn body(executor: Arc<Executor>, events: Events) -> impl Stream<Item = Result<Bytes, Infallible>> + Send {
    let now = Instant::now();
    let seconds = events.seconds.clamp(1, MAX_SECONDS);
    let stopping = executor.streams.stopping.subscribe();
    let state = State {
        executor,
        events,
        pending: VecDeque::new(),
        opened: false,
        done: false,
        deadline: now + Duration::from_secs(u64::from(seconds)),
        heartbeat: now + Duration::from_secs(shared::events::HEARTBEAT_SECONDS),
        stopping,
    };
    futures_util::stream::unfold(state, |mut state| async move {
        match next(&mut state).await {
            Step::Frame(frame) => Some((Ok(Bytes::from(frame)), state)),
            Step::End => None,
        }
    })
}

async fn next(state: &mut State) -> Step {
    if !state.opened {
        state.opened = true;
        return Step::Frame(shared::events::opening());
    }
    loop {
        if let Some(frame) = state.pending.pop_front() {
            return Step::Frame(frame);
        }
        if state.done || *state.stopping.borrow() || Instant::now() >= state.deadline {
            return Step::End;
        }
        let base_id = state.events.base_id;
        let read = match &mut state.events.follow {
            Follow::Job { job, after } => job_frames(&state.executor, base_id, *job, after).await,
            Follow::Records(watch) => record_frames(&state.executor, base_id, watch).await,
        };
        // The data plane is unreachable, the job was swept, the caller lost access or the
        // schema changed: the stream ends, and the client resumes where it was (and is
        // told, if it may not).
        let Polled { frames, done, again } = match read {
            Ok(polled) => polled,
            Err(error) => {
                tracing::info!(base = %base_id, error = %error, "an event stream ended early");
                return Step::End;
            }
        };
        state.done = done;
        state.pending.extend(frames);
        if !state.pending.is_empty() || state.done || again {
            continue;
        }
        let now = Instant::now();
        if now >= state.heartbeat {
            state.heartbeat = now + Duration::from_secs(shared::events::HEARTBEAT_SECONDS);
            return Step::Frame(shared::events::HEARTBEAT.to_vec());
        }
        let wake = (now + POLL).min(state.deadline).min(state.heartbeat);
        tokio::select! {
            () = tokio::time::sleep_until(wake) => {}
            _ = state.stopping.changed() => {}
        }
    }
}

/// The job's state when it changed since revision `after` (`progress`, or `done` for its
/// last, which ends the stream).
async fn job_frames(
    executor: &Executor,
    base_id: BaseId,
    job: uuid::Uuid,
    after: &mut Option<i64>,
) -> Result<Polled, Error> {
    // One connection per look, given back while the stream waits.
    let client = executor.client().await?;
    match crate::jobs::job_revision(&client, base_id, job).await? {
        Some((revision, _)) if *after != Some(revision) => {
            let (job, revision) = executor.job_at(&client, base_id, job).await?;
            let data = serde_json::to_vec(&job).map_err(bug)?;
            *after = Some(revision);
            let done = crate::jobs::finished(&job.state);
            let name = if done { "done" } else { "progress" };
            Ok(Polled { frames: vec![shared::events::frame(revision, name, &data)], done, again: false })
        }
        Some(_) => Ok(Polled::default()),
        None => Err(ApiError::new(ErrorCode::NotFound, "No job of this base has this id.").into()),
    }
}

/// The changes of the watched table since the stream's position, each as an event whose
/// `id` is the position just after it. A change's record is read through the stream's
/// list plan, restricted to the changed ids, so it shows what the caller may see now and
/// only if the filters select it; a deletion is sent with the id alone, unless a row
/// policy restricts what the caller sees of the table.
async fn record_frames(executor: &Executor, base_id: BaseId, watch: &mut Watch) -> Result<Polled, Error> {
    let Plan::ListRecords { table, filter, fields, sort, include, .. } = &watch.plan else {
        return Err(bug("a watch's plan is not a list"));
    };
    let read = {
        let client = executor.client().await?;
        crate::changes::read(&client, base_id, Some(*table), watch.position.clone(), BATCH).await?
    };
    let again = read.next.is_inside();
    watch.position = read.next.clone();
    if read.changes.is_empty() {
        return Ok(Polled::default());
    }
    // As of now: the caller still has access, and the plan still fits the schema.
    let caller = executor.check_principal(base_id, &watch.principal, Scope::Read).await?;
    let catalog = executor.catalog(base_id).await?;
    if catalog.version != watch.catalog_version {
        // The client resumes, and the edge compiles its plan anew.
        return Err(ApiError::new(ErrorCode::CatalogStale, "The schema changed.").into());
    }
    let shown = catalog
        .table_by_id(*table)
        .ok_or_else(|| Error::from(ApiError::new(ErrorCode::TableNotFound, "The table was dropped.")))?;
    let mut ids: Vec<String> = Vec::new();
    for change in &read.changes {
        if change.op != "delete" && !ids.contains(&change.record_id) {
            ids.push(change.record_id.clone());
        }
    }
    // Each record read: its JSON as the list answered it, and the fields it shows.
    let mut records: HashMap<String, (Box<RawValue>, Vec<String>)> = HashMap::new();
    if !ids.is_empty() {
        let changed = Expr::Cond(Condition { column: Column::Id, op: QueryOp::In, values: ids.clone(), var: None });
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
            principal: &watch.principal,
            caller: &caller,
            request_id: &watch.request_id,
            database: &database,
        };
        let answer = executor.read(request).await?;
        let page: Page = serde_json::from_slice(&answer.body).map_err(bug)?;
        for record in page.data {
            let shown: Shown = serde_json::from_str(record.get()).map_err(bug)?;
            records.insert(shown.id, (record, shown.values.keys().cloned().collect()));
        }
    }
    let rows_restricted = caller.applied(shown).is_some_and(|applied| applied.rows.is_some());
    let mut frames = Vec::new();
    for change in &read.changes {
        let (kind, record, changed_fields) = match change.op.as_str() {
            "delete" if rows_restricted => continue,
            "delete" => ("record.deleted", None, Vec::new()),
            op => match records.get(&change.record_id) {
                None => continue,
                Some((record, names)) => (
                    if op == "insert" { "record.created" } else { "record.updated" },
                    Some(record.clone()),
                    changed_fields(change, shown, names),
                ),
            },
        };
        let id = change.record_id.clone();
        let event = RecordEvent { kind, table: shown.name.clone(), id, changed_fields, record };
        let data = serde_json::to_vec(&event).map_err(bug)?;
        frames.push(shared::events::frame(read.after(change)?, kind, &data));
    }
    Ok(Polled { frames, done: false, again })
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

/// The fields the change set to another value, among those `names` (the record shows), in
/// the table's order.
fn changed_fields(change: &shared::resource::ChangeEntry, table: &Table, names: &[String]) -> Vec<String> {
    let value = |image: &Option<serde_json::Value>, name: &str| {
        image.as_ref().and_then(|image| image["values"].get(name)).cloned()
    };
    table
        .fields
        .iter()
        .filter(|field| names.contains(&field.name))
        .filter(|field| value(&change.before, &field.name) != value(&change.after, &field.name))
        .map(|field| field.name.clone())
        .collect()
}

impl Executor {
    /// Answers `Op::Watch`: checks the caller, the plan and the position now, so that a
    /// refusal is an ordinary answer, and describes the stream.
    pub(crate) async fn watch(&self, envelope: &Envelope, reported: &mut Option<i64>) -> Result<Answer, Error> {
        let Op::Watch { base_id, catalog_version: version, principal, plan, after, seconds } = &envelope.op else {
            return Err(bug("not a watch"));
        };
        let (base_id, version, seconds) = (*base_id, *version, *seconds);
        if matches!(principal, Principal::View { .. }) {
            return Err(ApiError::new(ErrorCode::InsufficientScope, "A view's key cannot follow a table.").into());
        }
        let caller = self.check_principal(base_id, principal, Scope::Read).await?;
        let catalog = self.catalog_at(base_id, version, reported).await?;
        shared::policy::check(plan, &catalog, &caller)?;
        let Plan::ListRecords { table, .. } = plan else { return Err(bug("a watch's plan is not a list")) };
        let client = self.client().await?;
        let position = match after.as_deref() {
            None => crate::changes::now(&client).await?,
            Some(text) => {
                let refused = || {
                    ApiError::new(
                        ErrorCode::InvalidRequest,
                        "'Last-Event-ID' is not the id of an event of this API; send none to start from now.",
                    )
                    .with("header", "Last-Event-ID")
                };
                let position = crate::changes::decode(text).map_err(|_| refused())?;
                // Read once, so that a position Postgres does not take is refused here.
                match crate::changes::read(&client, base_id, Some(*table), position.clone(), 0).await {
                    Err(Error::Api(_)) => return Err(refused().into()),
                    Err(error) => return Err(error),
                    Ok(_) => position,
                }
            }
        };
        let permit = self.stream_permit(base_id)?;
        let watch = Watch {
            principal: principal.clone(),
            plan: plan.clone(),
            catalog_version: version,
            request_id: envelope.request_id.clone(),
            position,
        };
        Ok(Answer::events(Events { base_id, seconds, permit, follow: Follow::Records(Box::new(watch)) }))
    }

    /// A place for one more stream of the base, or the 429 that says there is none.
    pub(crate) fn stream_permit(&self, base_id: BaseId) -> Result<Permit, Error> {
        self.streams.open(base_id).ok_or_else(|| {
            ApiError::new(
                ErrorCode::RateLimited,
                "This base has as many open event streams as this service allows; close one and retry.",
            )
            .into()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_holds_at_most_its_share_of_streams() {
        let streams = Streams::new(&StreamArgs { max_streams_per_base: 2 });
        let (a, b) = (BaseId(uuid::Uuid::from_u128(1)), BaseId(uuid::Uuid::from_u128(2)));
        let first = streams.open(a).expect("a first stream");
        let second = streams.open(a).expect("a second stream");
        assert!(streams.open(a).is_none(), "a third stream of the same base");
        let other = streams.open(b).expect("another base has its own share");
        assert_eq!(streams.count(), 3);
        drop(first);
        let again = streams.open(a).expect("a place was given back");
        drop((second, other, again));
        assert_eq!(streams.count(), 0);
        assert!(streams.open.lock().expect("the lock").is_empty(), "no base is left counted at zero");
    }
}
