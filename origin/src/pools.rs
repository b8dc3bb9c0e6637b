//! Connection pools for the three planes.
//!
//! The data plane, which serves every record request, uses tokio-postgres through
//! deadpool with a per-connection prepared-statement cache; the control and logs planes,
//! with static queries, use sqlx. Pools connect lazily, so the origin starts (and
//! `/healthz` reports) even while a plane is down.

use crate::config::ServeArgs;
use anyhow::Context;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use std::time::Duration;

pub struct Planes {
    pub control: PgPool,
    pub data: Pool,
    pub logs: PgPool,
}

impl Planes {
    pub fn connect(args: &ServeArgs) -> anyhow::Result<Planes> {
        let sqlx_pool = |url: &str, plane: &str| -> anyhow::Result<PgPool> {
            PgPoolOptions::new()
                .max_connections(args.control_pool_size)
                .acquire_timeout(Duration::from_secs(5))
                .connect_lazy(url)
                .with_context(|| format!("configure the {plane} pool"))
        };
        Ok(Planes {
            control: sqlx_pool(&args.planes.control_url, "control")?,
            data: data_pool(&args.planes.data_url, args.data_pool_size, args.statement_timeout)?,
            logs: sqlx_pool(&args.planes.logs_url, "logs")?,
        })
    }
}

/// Sessions run in UTC so that timestamps render as `…+00:00` and cursor keys are stable.
pub fn data_pool(url: &str, size: usize, statement_timeout: Duration) -> anyhow::Result<Pool> {
    let mut config: tokio_postgres::Config = url.parse().context("parse the data plane URL")?;
    config.options(format!("-c TimeZone=UTC -c statement_timeout={}", statement_timeout.as_millis()));
    config.application_name("nc-origin");
    config.connect_timeout(Duration::from_secs(5));
    let manager =
        Manager::from_config(config, tokio_postgres::NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
    Pool::builder(manager)
        .max_size(size)
        .wait_timeout(Some(Duration::from_secs(5)))
        .runtime(deadpool_postgres::Runtime::Tokio1)
        .build()
        .context("build the data plane pool")
}
