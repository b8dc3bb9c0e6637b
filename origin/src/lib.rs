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
pub mod usage;
pub mod views;
pub mod webhooks;

use anyhow::Context;
use clap::Parser;
use config::{Cli, Command};

/// Parses the command line and runs the chosen command.
pub fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_logging();
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().context("start the async runtime")?;
    runtime.block_on(async move {
        match cli.command {
            Command::Serve(args) => http::serve(args).await,
            Command::Migrate(urls) => migrations::run_all(&urls).await,
            Command::Admin(command) => admin::run(command).await,
        }
    })
}

/// JSON log lines on stderr; the level comes from `RUST_LOG` (default `info`).
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_current_span(false)
        .with_writer(std::io::stderr)
        .init();
}
