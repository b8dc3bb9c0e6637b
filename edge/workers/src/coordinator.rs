//! The guardrail coordinator: a Durable Object per base (and per client address or
//! signed-in user) holding rate-limit windows, unflushed usage and quota counts in
//! memory ([`edge::guard::Memory`]); single-threaded, so every isolate of the deployment
//! gets exact answers. Usage is flushed to the origin by an alarm every two seconds;
//! an evicted object loses at most that last batch.

use std::cell::{Cell, RefCell};
use std::time::Duration;
use worker::{DurableObject, Env, Request, Response, Result, State, durable_object};

/// The binding name in wrangler.toml.
pub const BINDING: &str = "COORDINATOR";

#[durable_object]
pub struct EdgeCoordinator {
    state: State,
    env: Env,
    memory: RefCell<edge::guard::Memory>,
    alarm_set: Cell<bool>,
}

impl DurableObject for EdgeCoordinator {
    fn new(state: State, env: Env) -> Self {
        EdgeCoordinator { state, env, memory: RefCell::default(), alarm_set: Cell::new(false) }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let admission: edge::guard::Admission = req.json().await?;
        let (verdict, has_usage) = {
            let mut memory = self.memory.borrow_mut();
            (memory.admit(&admission), memory.has_usage())
        };
        if has_usage && !self.alarm_set.get() {
            self.alarm_set.set(true);
            self.state.storage().set_alarm(Duration::from_millis(edge::guard::FLUSH_PERIOD_MS as u64)).await?;
        }
        Response::from_json(&verdict)
    }

    async fn alarm(&self) -> Result<Response> {
        self.alarm_set.set(false);
        let entries = {
            let mut memory = self.memory.borrow_mut();
            memory.prune(worker::Date::now().as_millis() as i64);
            memory.take_usage()
        };
        let config = crate::config(&self.env).map_err(worker::Error::RustError)?;
        let host = crate::WorkersHost { config: &config, env: &self.env, client: None };
        if let Err(entries) = edge::record_usage(&host, &config, "coordinator-flush", entries).await {
            // Kept for the next alarm.
            self.memory.borrow_mut().restore_usage(entries);
            self.alarm_set.set(true);
            self.state.storage().set_alarm(Duration::from_millis(edge::guard::FLUSH_PERIOD_MS as u64)).await?;
        }
        Response::empty()
    }
}
