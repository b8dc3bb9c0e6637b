//! Where a request's time went, reported in `Server-Timing` (as PostgREST does): the edge's
//! stages, then the origin's own (`verify`, `db`, `app`) as it sent them.
//!
//! Stages are marked as they end, on the host's monotonic clock; a stage that runs twice
//! (a catalog fetched again, say) is reported twice. On Workers the clock moves only when
//! the isolate waits for I/O, so there the figures show the waits, not the CPU.

use std::cell::{Cell, RefCell};

/// The stages of one request.
pub struct Timing {
    started_us: u64,
    last_us: Cell<u64>,
    stages: RefCell<Vec<(&'static str, u64)>>,
    origin: RefCell<Option<String>>,
}

impl Timing {
    pub fn start(now_us: u64) -> Timing {
        Timing {
            started_us: now_us,
            last_us: Cell::new(now_us),
            stages: RefCell::default(),
            origin: RefCell::default(),
        }
    }

    /// Ends the stage `name` at `now_us`.
    pub fn mark(&self, name: &'static str, now_us: u64) {
        let elapsed = now_us.saturating_sub(self.last_us.replace(now_us));
        self.stages.borrow_mut().push((name, elapsed));
    }

    /// The origin's own `Server-Timing`, appended after the edge's stages.
    pub fn origin(&self, value: Option<String>) {
        *self.origin.borrow_mut() = value;
    }

    /// `parse;dur=0.012, auth;dur=0.020, …, total;dur=0.480` (milliseconds).
    pub fn header(&self, now_us: u64) -> String {
        use std::fmt::Write;
        let mut header = String::with_capacity(160);
        let ms = |us: u64| us as f64 / 1000.0;
        for (name, us) in self.stages.borrow().iter() {
            let _ = write!(header, "{name};dur={:.3}, ", ms(*us));
        }
        if let Some(origin) = self.origin.borrow().as_deref().filter(|origin| !origin.is_empty()) {
            let _ = write!(header, "{origin}, ");
        }
        let _ = write!(header, "total;dur={:.3}", ms(now_us.saturating_sub(self.started_us)));
        header
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_in_order_then_the_origins_then_the_total() {
        let timing = Timing::start(1_000);
        timing.mark("parse", 1_012);
        timing.mark("auth", 1_050);
        timing.origin(Some("verify;dur=0.010, db;dur=0.200".into()));
        assert_eq!(
            timing.header(1_500),
            "parse;dur=0.012, auth;dur=0.038, verify;dur=0.010, db;dur=0.200, total;dur=0.500"
        );
        assert_eq!(Timing::start(5).header(5), "total;dur=0.000");
    }
}
