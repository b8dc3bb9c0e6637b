//! Migrations of the three planes, embedded in the binary and applied by the admin role.

use crate::config::AdminUrls;
use anyhow::Context;
use sqlx::migrate::Migrator;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection};

static CONTROL: Migrator = sqlx::migrate!("migrations/control");
static DATA: Migrator = sqlx::migrate!("migrations/data");
static LOGS: Migrator = sqlx::migrate!("migrations/logs");

/// Migrates the control plane, every data cluster, and the logs plane.
pub async fn run_all(urls: &AdminUrls) -> anyhow::Result<()> {
    let mut planes = vec![("control".to_owned(), urls.admin_control_url.clone(), &CONTROL)];
    for (name, url) in crate::config::data_clusters(&urls.admin_data_url, &urls.admin_data_clusters)? {
        planes.push((format!("data ({name})"), url, &DATA));
    }
    planes.push(("logs".to_owned(), urls.admin_logs_url.clone(), &LOGS));
    for (plane, url, migrator) in planes {
        let options: PgConnectOptions = url.parse().with_context(|| format!("parse the {plane} admin URL"))?;
        let mut connection =
            options.connect().await.with_context(|| format!("connect to the {plane} plane as admin"))?;
        migrator.run(&mut connection).await.with_context(|| format!("migrate the {plane} plane"))?;
        connection.close().await.ok();
        tracing::info!(plane, "migrated");
    }
    Ok(())
}
