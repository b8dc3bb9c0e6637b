//! The origin: the only component that talks to Postgres.
//!
//! It verifies every envelope the edge signs ([`execute`]), lowers plans to SQL with
//! [`shared::lower`], and runs them on pooled connections to the data plane
//! ([`pools`]). The catalog and token states it checks plans against are cached in
//! memory and invalidated by Postgres notifications ([`catalog`]).
//!
//! Architecture Invariant: the origin executes nothing it has not verified: signature,
//! issued-at window, nonce, token state and catalog version.

/// A timestamp column (or expression) in SQL, as the API shows it: RFC 3339 in UTC, to the
/// millisecond.
macro_rules! sql_time {
    ($column:literal) => {
        concat!("to_char(", $column, " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')")
    };
}

pub mod admin;
pub mod archive;
pub mod audit;
pub mod catalog;
pub mod changes;
pub mod clock;
pub mod config;
pub mod error;
pub mod events;
pub mod execute;
pub mod files;
pub mod hints;
pub mod http;
pub mod invalidate;
pub mod jobs;
pub mod manage;
pub mod metrics;
pub mod migrations;
pub mod nonce;
pub mod notify;
pub mod password;
pub mod pools;
pub mod revert;
pub mod schema;
pub mod storage;
pub mod store;
pub mod throttle;
pub mod trace;
pub mod usage;
pub mod views;
pub mod webhooks;

use anyhow::Context;
use clap::Parser;
use config::{Cli, Command};

/// Parses the command line and runs the chosen command.
pub fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let exporter = init_logging();
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().context("start the async runtime")?;
    if let Some(exporter) = exporter {
        runtime.spawn(exporter.run());
    }
    runtime.block_on(async move {
        match cli.command {
            Command::Serve(args) => http::serve(args).await,
            Command::Migrate(urls) => migrations::run_all(&urls).await,
            Command::Admin(command) => admin::run(command).await,
        }
    })
}

/// JSON log lines on stderr; the level comes from `RUST_LOG` (default `info`). With
/// `NC_OTLP_ENDPOINT`, this crate's spans are also sent to that collector ([`trace`]);
/// the exporter it answers runs once the runtime does.
fn init_logging() -> Option<trace::Exporter> {
    use tracing_subscriber::Layer;
    use tracing_subscriber::filter::FilterExt;
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    // Log lines are events; spans are for traces only, so that without a collector they
    // are disabled and cost a request nothing.
    let events = tracing_subscriber::filter::filter_fn(|metadata| metadata.is_event());
    let logs = tracing_subscriber::fmt::layer()
        .json()
        .with_current_span(false)
        .with_writer(std::io::stderr)
        .with_filter(filter.and(events));
    let endpoint = std::env::var("NC_OTLP_ENDPOINT").ok().filter(|endpoint| !endpoint.is_empty());
    let (spans, exporter) = match endpoint {
        Some(endpoint) => {
            let (layer, exporter) = trace::layer(&endpoint);
            let ours = tracing_subscriber::filter::Targets::new().with_target("origin", tracing::Level::INFO);
            (Some(layer.with_filter(ours)), Some(exporter))
        }
        None => (None, None),
    };
    tracing_subscriber::registry().with(logs).with(spans).init();
    exporter
}
