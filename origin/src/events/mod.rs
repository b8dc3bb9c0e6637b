//! Event streams (`text/event-stream`) the origin answers and the edges pass through.
//!
//! A stream is held open by its client, so the open streams are counted per base and
//! capped ([`Streams::open`]), each runs for the time its envelope allows and then ends
//! (the client resumes with `Last-Event-ID`), and all of them end when the origin shuts
//! down. A job's stream looks at the job's row every [`POLL`]; a table's streams are fed
//! by their base's hub, which reads the change log when a commit is notified
//! ([`records`]).

pub mod presence;
mod records;

use crate::changes::Position;
use crate::error::{Error, bug};
use crate::execute::Executor;
use axum::body::Bytes;
use futures_util::Stream;
use shared::error::{ApiError, ErrorCode};
use shared::ids::BaseId;
use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

/// How often a job's stream looks at the job.
const POLL: Duration = Duration::from_millis(250);
/// The longest a stream may run, whatever its envelope says.
const MAX_SECONDS: u32 = 3600;
/// The longest a long poll waits, whatever its envelope says (within the edge's timeout).
const MAX_POLL_SECONDS: u32 = 20;

#[derive(clap::Args, Clone)]
pub struct StreamArgs {
    /// Event streams one base may hold open on this origin at once.
    #[arg(long, env = "NC_MAX_STREAMS_PER_BASE", default_value_t = 1000)]
    pub max_streams_per_base: usize,
}

/// The open streams of this origin, by base.
pub struct Streams {
    open: Mutex<HashMap<BaseId, usize>>,
    per_base: usize,
    stopping: tokio::sync::watch::Sender<bool>,
    pub hubs: Arc<records::Hubs>,
    /// Who follows which table or view, for the streams that asked.
    pub board: Arc<presence::Board>,
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
            hubs: Arc::default(),
            board: Arc::default(),
        })
    }

    /// Whether the origin is stopping, as it changes.
    fn stopping(&self) -> tokio::sync::watch::Receiver<bool> {
        self.stopping.subscribe()
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
/// sends it as [`output`] makes it.
pub struct Events {
    pub base_id: BaseId,
    pub seconds: u32,
    pub permit: Permit,
    pub follow: Follow,
    /// The stream counts its caller in, and tells who else is there.
    pub presence: Option<presence::Ask>,
    /// The client's position was older than the kept change log: the stream starts from
    /// this one (now) and says so first (`event: reset`).
    pub reset: Option<String>,
}

pub enum Follow {
    /// A job's states; `after`: the revision the client saw last.
    Job { job: uuid::Uuid, after: Option<i64> },
    /// A table's changes that a list plan selects, read as its caller may see them, from a
    /// position in the base's change log.
    Records(Box<records::Subscription>, Position),
    /// The same changes, answered at once as JSON when there are some (a long poll).
    Poll(Box<records::Subscription>, Position),
}

/// How the answer to an envelope that follows something goes out.
pub enum Output {
    /// A long poll's answer, once ready: (status, JSON body).
    Json(u16, Vec<u8>),
    /// An event stream.
    Stream(axum::body::Body),
}

/// The answer that follows what `events` describes: a long poll's JSON once there are
/// changes (or its wait ran out), or else an event stream.
pub async fn output(executor: Arc<Executor>, events: Events) -> Output {
    match events.follow {
        Follow::Poll(subscription, position) => {
            // The poll holds its place among the base's streams while it waits.
            let _permit = events.permit;
            let until = Instant::now() + Duration::from_secs(u64::from(events.seconds.min(MAX_POLL_SECONDS)));
            let (status, body) = records::poll(&executor, events.base_id, *subscription, position, until).await;
            Output::Json(status, body)
        }
        follow => Output::Stream(axum::body::Body::from_stream(body(executor, Events { follow, ..events }))),
    }
}

/// What one look at what a stream follows found.
#[derive(Default)]
struct Polled {
    frames: Vec<Bytes>,
    /// Nothing will follow: the stream ends once the frames are sent.
    done: bool,
}

/// One step of a stream: a frame to send, or the end.
enum Step {
    Frame(Bytes),
    End,
}

/// What a stream follows, as it runs.
enum Following {
    Job { job: uuid::Uuid, after: Option<i64> },
    Records(Box<records::Follower>),
}

struct State {
    executor: Arc<Executor>,
    base_id: BaseId,
    following: Following,
    _permit: Permit,
    /// Frames read and not yet sent.
    pending: VecDeque<Bytes>,
    /// What the stream asked to be counted as, until it is seated.
    ask: Option<presence::Ask>,
    seat: Option<presence::Seat>,
    opened: bool,
    done: bool,
    deadline: Instant,
    heartbeat: Instant,
    stopping: tokio::sync::watch::Receiver<bool>,
}

/// The body of a stream: its opening frame, then each change it follows as it is read,
/// heartbeats while nothing changes, until what it follows ends (a job), its time is up,
/// or the origin stops.
fn body(executor: Arc<Executor>, events: Events) -> impl Stream<Item = Result<Bytes, Infallible>> + Send {
    let now = Instant::now();
    let seconds = events.seconds.clamp(1, MAX_SECONDS);
    let stopping = executor.streams.stopping();
    let following = match events.follow {
        Follow::Job { job, after } => Following::Job { job, after },
        Follow::Records(subscription, position) | Follow::Poll(subscription, position) => {
            Following::Records(Box::new(records::Follower::new(&executor, events.base_id, *subscription, position)))
        }
    };
    let reset = events.reset.map(|position| {
        let data = serde_json::json!({ "position": position, "reason": "The position is older than the change log \
            this base keeps: load what you show again, then follow from here." });
        Bytes::from(shared::events::frame(&position, "reset", data.to_string().as_bytes()))
    });
    let state = State {
        executor,
        base_id: events.base_id,
        following,
        _permit: events.permit,
        pending: reset.into_iter().collect(),
        ask: events.presence,
        seat: None,
        opened: false,
        done: false,
        deadline: now + Duration::from_secs(u64::from(seconds)),
        heartbeat: now + Duration::from_secs(shared::events::HEARTBEAT_SECONDS),
        stopping,
    };
    futures_util::stream::unfold(state, |mut state| async move {
        match next(&mut state).await {
            Step::Frame(frame) => Some((Ok(frame), state)),
            Step::End => None,
        }
    })
}

async fn next(state: &mut State) -> Step {
    if !state.opened {
        state.opened = true;
        if let Some(ask) = state.ask.take() {
            // Who is following what is the origins' shared state, not a base's data: it
            // lives on the main cluster whatever cluster the base is on.
            let (board, data) = (&state.executor.streams.board, &state.executor.planes.data.main().pool);
            match board.seat(data, state.base_id, ask).await {
                Ok(mut seat) => {
                    state.pending.push_back(seat.opening());
                    state.seat = Some(seat);
                }
                // The changes are still sent; the client sees no presence frame and may retry.
                Err(error) => tracing::warn!(base = %state.base_id, error = %error, "presence: no seat"),
            }
        }
        return Step::Frame(Bytes::from(shared::events::opening()));
    }
    loop {
        if let Some(frame) = state.pending.pop_front() {
            return Step::Frame(frame);
        }
        if state.done || *state.stopping.borrow() || Instant::now() >= state.deadline {
            return Step::End;
        }
        let base_id = state.base_id;
        let now = Instant::now();
        if now >= state.heartbeat {
            state.heartbeat = now + Duration::from_secs(shared::events::HEARTBEAT_SECONDS);
            if let Some(seat) = &state.seat {
                seat.renew().await;
            }
            return Step::Frame(Bytes::from_static(shared::events::HEARTBEAT));
        }
        // A job's row is looked at every POLL; a table's changes come when its hub reads them.
        let wake = state.deadline.min(state.heartbeat);
        let (following, executor, seat) = (&mut state.following, &state.executor, &mut state.seat);
        let read = tokio::select! {
            frames = async {
                match seat {
                    Some(seat) => seat.changes().await,
                    None => std::future::pending().await,
                }
            } => {
                state.pending.extend(frames);
                continue;
            }
            read = async {
                match following {
                    Following::Job { job, after } => {
                        let read = job_frames(executor, base_id, *job, after).await;
                        if matches!(&read, Ok(polled) if polled.frames.is_empty() && !polled.done) {
                            tokio::time::sleep_until((now + POLL).min(wake)).await;
                        }
                        read
                    }
                    Following::Records(follower) => follower.poll(executor, wake).await,
                }
            } => read,
            _ = state.stopping.changed() => return Step::End,
        };
        // The data plane is unreachable, the job was swept, the caller lost access or the
        // schema changed: the stream ends, and the client resumes where it was (and is
        // told, if it may not).
        let Polled { frames, done } = match read {
            Ok(polled) => polled,
            Err(error) => {
                tracing::info!(base = %base_id, error = %error, "an event stream ended early");
                return Step::End;
            }
        };
        state.done = done;
        state.pending.extend(frames);
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
    let client = executor.client(base_id).await?;
    match crate::jobs::job_revision(&client, base_id, job).await? {
        Some((revision, _)) if *after != Some(revision) => {
            let (job, revision) = executor.job_at(&client, base_id, job).await?;
            let data = serde_json::to_vec(&job).map_err(bug)?;
            *after = Some(revision);
            let done = crate::jobs::finished(&job.state);
            let name = if done { "done" } else { "progress" };
            Ok(Polled { frames: vec![Bytes::from(shared::events::frame(revision, name, &data))], done })
        }
        Some(_) => Ok(Polled::default()),
        None => Err(ApiError::new(ErrorCode::NotFound, "No job of this base has this id.").into()),
    }
}

impl Executor {
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
