//! `spin:variables@3.0.0`, resolved from `SPIN_VARIABLE_<NAME>` environment variables.
//!
//! This mirrors Spin's own environment-variable provider, so a component gets
//! the same values under `spin up` and under this host. The environment is
//! read once at startup: a process cannot have its environment changed from
//! outside, and a snapshot keeps the per-request lookup to one hash probe.

use std::collections::HashMap;

use wasmtime::component::Accessor;

use crate::bindings::spin::variables::variables::{self, Error};
use crate::spin::{Spin, SpinView};

/// The environment-variable prefix Spin uses for application variables.
pub const ENV_PREFIX: &str = "SPIN_VARIABLE_";

/// Variable values keyed by their lower-case variable name.
#[derive(Debug, Default)]
pub struct Variables {
    values: HashMap<String, String>,
}

impl Variables {
    /// Collects every `SPIN_VARIABLE_*` variable from the process environment.
    ///
    /// Entries that are not valid UTF-8 cannot be WIT strings and are skipped.
    pub fn from_env() -> Self {
        Self::from_pairs(
            std::env::vars_os().filter_map(|(name, value)| Some((name.into_string().ok()?, value.into_string().ok()?))),
        )
    }

    /// Collects variables from `(environment name, value)` pairs.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        let values = pairs
            .into_iter()
            .filter_map(|(name, value)| {
                let name = name.strip_prefix(ENV_PREFIX)?.to_ascii_lowercase();
                is_valid_name(&name).then_some((name, value))
            })
            .collect();
        Self { values }
    }

    /// How many variables are defined, for the startup log.
    pub fn count(&self) -> usize {
        self.values.len()
    }

    /// Resolves `name` the way `spin:variables/variables.get` specifies.
    pub fn get(&self, name: &str) -> Result<String, Error> {
        if !is_valid_name(name) {
            return Err(Error::InvalidName(name.to_owned()));
        }
        self.values.get(name).cloned().ok_or_else(|| Error::Undefined(name.to_owned()))
    }
}

/// Whether `name` matches `^[a-z][a-z0-9_]*$`, Spin's variable-name grammar.
fn is_valid_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|first| first.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

impl<T> variables::HostWithStore<T> for Spin {
    async fn get(accessor: &Accessor<T, Self>, name: String) -> wasmtime::Result<Result<String, Error>> {
        Ok(accessor.with(|mut access| access.get().variables.get(&name)))
    }
}

impl variables::Host for SpinView<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> Variables {
        Variables::from_pairs([
            ("SPIN_VARIABLE_ORIGIN_URL".to_string(), "http://o".to_string()),
            ("SPIN_VARIABLE_Bad-Name".to_string(), "x".to_string()),
            ("PATH".to_string(), "/bin".to_string()),
        ])
    }

    #[test]
    fn resolves_upper_case_environment_names() {
        let vars = vars();
        assert_eq!(vars.count(), 1);
        assert_eq!(vars.get("origin_url").ok(), Some("http://o".to_string()));
    }

    #[test]
    fn reports_missing_and_invalid_names() {
        let vars = vars();
        assert!(matches!(vars.get("nope"), Err(Error::Undefined(name)) if name == "nope"));
        assert!(matches!(vars.get("Origin"), Err(Error::InvalidName(name)) if name == "Origin"));
        assert!(matches!(vars.get(""), Err(Error::InvalidName(name)) if name.is_empty()));
        assert!(matches!(vars.get("1x"), Err(Error::InvalidName(name)) if name == "1x"));
    }
}
