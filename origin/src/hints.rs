//! Lists that took long, tallied by the field an index could have served them by
//! ([`shared::plan::index_candidate`]): what the index builder suggests
//! (`GET …/tables/{t}/indexes`). Per origin process, since it started; bounded.

use shared::catalog::Table;
use shared::ids::{BaseId, FieldId, TableId};
use shared::plan::Plan;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// Distinct (table, field, direction) tallies kept; past it, new ones are not counted.
const MAX_TALLIES: usize = 10_000;

pub struct SlowLists {
    threshold: Duration,
    tallies: Mutex<HashMap<(BaseId, TableId, FieldId, bool), Tally>>,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct Tally {
    pub lists: u64,
    pub slowest_ms: u64,
}

impl SlowLists {
    pub fn new(threshold: Duration) -> SlowLists {
        SlowLists { threshold, tallies: Mutex::new(HashMap::new()) }
    }

    /// Counts a list plan that took `took`, when that is slow and an index could serve it.
    pub fn note(&self, base: BaseId, table: &Table, plan: &Plan, took: Duration) {
        if took < self.threshold {
            return;
        }
        let Some((field, descending)) = shared::plan::index_candidate(table, plan) else { return };
        let Ok(mut tallies) = self.tallies.lock() else { return };
        let key = (base, table.id, field, descending);
        if tallies.len() >= MAX_TALLIES && !tallies.contains_key(&key) {
            return;
        }
        let tally = tallies.entry(key).or_default();
        tally.lists += 1;
        tally.slowest_ms = tally.slowest_ms.max(u64::try_from(took.as_millis()).unwrap_or(u64::MAX));
    }

    /// The tallies of one table: field, direction, tally; the most frequent first.
    pub fn of(&self, base: BaseId, table: TableId) -> Vec<(FieldId, bool, Tally)> {
        let Ok(tallies) = self.tallies.lock() else { return Vec::new() };
        let mut found: Vec<(FieldId, bool, Tally)> = tallies
            .iter()
            .filter(|((b, t, _, _), _)| *b == base && *t == table)
            .map(|((_, _, field, descending), tally)| (*field, *descending, *tally))
            .collect();
        found.sort_by(|a, b| b.2.lists.cmp(&a.2.lists).then(a.0.cmp(&b.0)));
        found
    }
}
