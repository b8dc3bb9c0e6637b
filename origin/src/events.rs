//! Event streams (`text/event-stream`) the origin answers and the edges pass through.
//!
//! A stream is held open by its client, so the open streams are counted per base and
//! capped ([`Streams::open`]), each runs for the time its envelope allows and then ends
//! (the client resumes with `Last-Event-ID`), and all of them end when the origin shuts
//! down. Each polls what it follows; the poll is one indexed row read.

use crate::execute::Executor;
use axum::body::Bytes;
use futures_util::Stream;
use shared::ids::BaseId;
use std::collections::HashMap;
use std::convert::Infallible;
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
    pub job: uuid::Uuid,
    /// The revision the client saw last.
    pub after: Option<i64>,
    pub seconds: u32,
    pub permit: Permit,
}

/// One step of a stream: a frame to send, or the end.
enum Step {
    Frame(Vec<u8>),
    End,
}

struct State {
    executor: Arc<Executor>,
    events: Events,
    last: Option<i64>,
    opened: bool,
    done: bool,
    deadline: Instant,
    heartbeat: Instant,
    stopping: tokio::sync::watch::Receiver<bool>,
}

/// The body of a stream: its opening frame, then each new state of the job (`progress`,
/// and `done` for the last), heartbeats while nothing changes, until the job ends, the
/// stream's time is up, or the origin stops.
pub fn body(executor: Arc<Executor>, events: Events) -> impl Stream<Item = Result<Bytes, Infallible>> + Send {
    let now = Instant::now();
    let seconds = events.seconds.clamp(1, MAX_SECONDS);
    let stopping = executor.streams.stopping.subscribe();
    let state = State {
        executor,
        last: events.after,
        events,
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
    if state.done {
        return Step::End;
    }
    loop {
        if *state.stopping.borrow() || Instant::now() >= state.deadline {
            return Step::End;
        }
        let Events { base_id, job, .. } = state.events;
        // One connection per look, given back while the stream waits.
        let Ok(client) = state.executor.client().await else { return Step::End };
        match crate::jobs::job_revision(&client, base_id, job).await {
            Ok(Some((revision, _))) if state.last != Some(revision) => {
                let Ok((job, revision)) = state.executor.job_at(&client, base_id, job).await else {
                    return Step::End;
                };
                let Ok(data) = serde_json::to_vec(&job) else { return Step::End };
                state.last = Some(revision);
                state.done = crate::jobs::finished(&job.state);
                let name = if state.done { "done" } else { "progress" };
                return Step::Frame(shared::events::frame(revision, name, &data));
            }
            Ok(Some(_)) => {}
            // The job was swept, or the data plane is unreachable: the client resumes
            // later and is told which.
            Ok(None) | Err(_) => return Step::End,
        }
        drop(client);
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
        assert!(streams.open.lock().unwrap().is_empty(), "no base is left counted at zero");
    }
}
