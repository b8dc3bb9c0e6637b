//! Migrations of the three planes, embedded in the binary and applied by the admin role.

use crate::config::AdminUrls;
use anyhow::Context;
use sqlx::migrate::Migrator;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection};

static CONTROL: Migrator = sqlx::migrate!("migrations/control");
static DATA: Migrator = sqlx::migrate!("migrations/data");
static LOGS: Migrator = sqlx::migrate!("migrations/logs");

pub async fn run_all(urls: &AdminUrls) -> anyhow::Result<()> {
    for (plane, url, migrator) in [
        ("control", &urls.admin_control_url, &CONTROL),
        ("data", &urls.admin_data_url, &DATA),
        ("logs", &urls.admin_logs_url, &LOGS),
    ] {
        let options: PgConnectOptions = url.parse().with_context(|| format!("parse the {plane} admin URL"))?;
        let mut connection =
            options.connect().await.with_context(|| format!("connect to the {plane} plane as admin"))?;
        migrator.run(&mut connection).await.with_context(|| format!("migrate the {plane} plane"))?;
        connection.close().await.ok();
        tracing::info!(plane, "migrated");
    }
    Ok(())
}
