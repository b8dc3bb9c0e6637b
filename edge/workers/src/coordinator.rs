//! The coordinator: a Durable Object per base (and per client address or signed-in user)
//! holding rate-limit windows, unflushed usage and quota counts in memory
//! ([`edge::guard::Memory`]), and the base's epochs, which the origin's pushes bump and
//! the view cache keys on; single-threaded, so every isolate of the deployment gets exact
//! answers. Usage is flushed to the origin by an alarm every two seconds; an evicted
//! object loses at most that last batch.
//!
//! Epochs start at the object's creation time in milliseconds and count up from there,
//! so an object created again after an eviction never hands out an epoch a cached answer
//! was computed under.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::time::Duration;
use worker::{DurableObject, Env, Request, Response, Result, State, durable_object};

/// The binding name in wrangler.toml.
pub const BINDING: &str = "COORDINATOR";

/// Requests an isolate served from its leases, to meter (`/usage`, in batches).
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Usage {
    pub meter: edge::guard::Meter,
    pub now_ms: i64,
    pub count: u64,
}

#[durable_object]
pub struct EdgeCoordinator {
    state: State,
    env: Env,
    memory: RefCell<edge::guard::Memory>,
    alarm_set: Cell<bool>,
    epochs: RefCell<HashMap<String, u64>>,
    created_ms: u64,
}

impl DurableObject for EdgeCoordinator {
    fn new(state: State, env: Env) -> Self {
        let created_ms = worker::Date::now().as_millis();
        EdgeCoordinator {
            state,
            env,
            memory: RefCell::default(),
            alarm_set: Cell::new(false),
            epochs: RefCell::default(),
            created_ms,
        }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        match req.path().as_str() {
            "/epochs" => {
                let keys: Vec<String> = req.json().await?;
                let epochs = self.epochs.borrow();
                let values: Vec<u64> =
                    keys.iter().map(|key| epochs.get(key).copied().unwrap_or(self.created_ms)).collect();
                return Response::from_json(&values);
            }
            "/bump" => {
                let keys: Vec<String> = req.json().await?;
                let mut epochs = self.epochs.borrow_mut();
                for key in keys {
                    *epochs.entry(key).or_insert(self.created_ms) += 1;
                }
                return Response::empty();
            }
            _ => {}
        }
        let verdict = if req.path() == "/usage" {
            let batch: Vec<Usage> = req.json().await?;
            let mut memory = self.memory.borrow_mut();
            for usage in batch {
                memory.count_usage(&usage.meter, usage.now_ms, usage.count);
            }
            None
        } else {
            let admission: edge::guard::Admission = req.json().await?;
            Some(self.memory.borrow_mut().admit(&admission))
        };
        if self.memory.borrow().has_usage() && !self.alarm_set.get() {
            self.alarm_set.set(true);
            self.state.storage().set_alarm(Duration::from_millis(edge::guard::FLUSH_PERIOD_MS as u64)).await?;
        }
        match verdict {
            Some(verdict) => Response::from_json(&verdict),
            None => Response::empty(),
        }
    }

    async fn alarm(&self) -> Result<Response> {
        self.alarm_set.set(false);
        let entries = {
            let mut memory = self.memory.borrow_mut();
            memory.prune(worker::Date::now().as_millis() as i64);
            memory.take_usage()
        };
        let config = crate::config(&self.env).map_err(worker::Error::RustError)?;
        let host = crate::WorkersHost { config: &config, env: &self.env, ctx: None, client: None };
        let request_id = edge::RequestId::internal(&host, "coordinator-flush");
        if let Err(entries) = edge::record_usage(&host, &config, &request_id, entries).await {
            // Kept for the next alarm.
            self.memory.borrow_mut().restore_usage(entries);
            self.alarm_set.set(true);
            self.state.storage().set_alarm(Duration::from_millis(edge::guard::FLUSH_PERIOD_MS as u64)).await?;
        }
        Response::empty()
    }
}
