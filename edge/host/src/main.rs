//! `edge-host`: serves the Spin-built edge component over HTTP with wasmtime.

mod app;
mod bindings;
mod cli;
mod keyvalue;
mod kv;
mod logging;
mod metrics;
mod outbound;
mod runtime;
mod server;
mod spin;
mod variables;

use std::process::ExitCode;

use clap::Parser;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let args = cli::Args::parse();
    logging::init();
    match app::run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = format!("{err:#}"), "edge-host failed");
            ExitCode::FAILURE
        }
    }
}
