//! Command line and environment configuration, with loopback defaults for local use.

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Parser)]
#[command(name = "origin", version, about = "NC LCDBaaS origin: executes signed plans on Postgres")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve /internal/v1/execute and /healthz.
    Serve(ServeArgs),
    /// Apply the migrations of the control, data and logs planes (admin role).
    Migrate(AdminUrls),
    /// Operator commands.
    #[command(subcommand)]
    Admin(AdminCommand),
}

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Create the demo tenant, bases, `customers` tables and tokens, and print a working curl.
    SeedDemo(SeedArgs),
    /// Create a tenant; prints its id.
    CreateTenant {
        #[command(flatten)]
        admin: AdminUrls,
        #[arg(long)]
        name: String,
    },
    /// Create a user who owns a new workspace (in `--tenant`, or in a new tenant of their
    /// own). The password is read from standard input, never from the command line.
    CreateUser {
        #[command(flatten)]
        admin: AdminUrls,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        tenant: Option<uuid::Uuid>,
    },
    /// Create a base (its data-plane schema and catalog row); prints its id.
    CreateBase {
        #[command(flatten)]
        admin: AdminUrls,
        #[arg(long)]
        tenant: uuid::Uuid,
        #[arg(long)]
        name: String,
        /// The workspace whose members may manage the base.
        #[arg(long)]
        workspace: Option<uuid::Uuid>,
    },
    /// Create an API token of a base; prints the token (shown once).
    CreateToken {
        #[command(flatten)]
        admin: AdminUrls,
        #[arg(long)]
        base: uuid::Uuid,
        #[arg(long)]
        name: String,
        /// Comma-separated: read, write, delete.
        #[arg(long, default_value = "read")]
        scopes: String,
        /// RFC 3339 expiry.
        #[arg(long)]
        expires_at: Option<String>,
        /// The token's own rate limit as `<requests>/<window seconds>` (default: its plan's).
        #[arg(long)]
        rate_limit: Option<String>,
    },
    /// Export a base to an archive, as a job of the running origins followed with a
    /// progress bar; `--out` saves the archive. Prints the job's end as JSON.
    ExportBase {
        #[command(flatten)]
        admin: AdminUrls,
        #[command(flatten)]
        storage: crate::storage::StorageArgs,
        /// The operator (an account made one by `origin admin operator`) the job runs as.
        #[arg(long = "as")]
        operator: String,
        #[arg(long)]
        base: uuid::Uuid,
        /// Put the attached files' bytes in the archive too.
        #[arg(long)]
        include_files: bool,
        /// Where to save the archive once the job succeeded.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Restore an archive (a local file, uploaded to the object store first) into a new
    /// base of a workspace, as a job followed with a progress bar. Prints the new base and
    /// the job's end as JSON.
    RestoreBase {
        #[command(flatten)]
        admin: AdminUrls,
        #[command(flatten)]
        storage: crate::storage::StorageArgs,
        #[arg(long = "as")]
        operator: String,
        #[arg(long)]
        workspace: uuid::Uuid,
        /// The new base's name.
        #[arg(long)]
        name: String,
        /// The archive (`.ncbase.gz`) to restore.
        #[arg(long)]
        file: std::path::PathBuf,
    },
    /// Copy a base into a new one (in its workspace, or `--workspace`), as a job followed
    /// with a progress bar. Prints the new base and the job's end as JSON.
    CloneBase {
        #[command(flatten)]
        admin: AdminUrls,
        #[arg(long = "as")]
        operator: String,
        #[arg(long)]
        base: uuid::Uuid,
        #[arg(long)]
        name: String,
        #[arg(long)]
        workspace: Option<uuid::Uuid>,
        /// Leave the attached files' bytes out of the copy.
        #[arg(long)]
        without_files: bool,
    },
    /// Register a data cluster (its URLs go to the origins' NC_DATA_CLUSTERS and
    /// NC_ADMIN_DATA_CLUSTERS), or change whether it takes new bases and which plan it is
    /// dedicated to; prints every cluster with its live bases as JSON.
    Cluster {
        #[command(flatten)]
        admin: AdminUrls,
        #[arg(long)]
        name: String,
        /// Dedicate it to a plan's tenants (`none`: shared by every plan).
        #[arg(long)]
        plan: Option<String>,
        /// Stop placing new bases on it (its bases stay); `--open` places them again.
        #[arg(long, conflicts_with = "open")]
        close: bool,
        #[arg(long)]
        open: bool,
    },
    /// Follow a job with a progress bar on standard error until it ends; prints its final
    /// state as JSON.
    WatchJob {
        #[command(flatten)]
        admin: AdminUrls,
        #[arg(long)]
        job: uuid::Uuid,
    },
    /// Delete a base's files (uploads, exports, error reports) and finished jobs older than
    /// `--older-than`, from the object store and the data plane; prints how many files went.
    SweepFiles {
        #[command(flatten)]
        admin: AdminUrls,
        #[command(flatten)]
        storage: crate::storage::StorageArgs,
        #[arg(long)]
        base: uuid::Uuid,
        #[arg(long, value_parser = humantime::parse_duration)]
        older_than: std::time::Duration,
    },
    /// Prune a base's change log of the changes older than `--older-than` that the audit
    /// log and its webhooks have read (the origins do it every hour by the plan's
    /// retention); prints how many went.
    PruneChanges {
        #[command(flatten)]
        admin: AdminUrls,
        #[arg(long)]
        base: uuid::Uuid,
        #[arg(long, value_parser = humantime::parse_duration)]
        older_than: std::time::Duration,
    },
    /// Keep the audit log now (the origins do it every hour): partitions for this month and
    /// the next two, each tenant's events past its plan's retention removed, partitions no
    /// plan keeps dropped; prints the partitions.
    KeepAudit {
        #[command(flatten)]
        admin: AdminUrls,
    },
    /// Set a base's monthly request quota (`--monthly none` falls back to its plan's).
    SetQuota {
        #[command(flatten)]
        admin: AdminUrls,
        #[arg(long)]
        base: uuid::Uuid,
        #[arg(long)]
        monthly: String,
    },
    /// Create or change a plan. A flag left out keeps the plan's value (a new plan's
    /// comes from `standard`).
    PutPlan {
        #[command(flatten)]
        admin: AdminUrls,
        #[arg(long)]
        name: String,
        #[command(flatten)]
        limits: PlanLimits,
    },
    /// Make an account a platform operator (the console's admin section and
    /// `/api/v1/operator/...`), or with `--revoke` no longer one.
    Operator {
        #[command(flatten)]
        admin: AdminUrls,
        #[arg(long)]
        email: String,
        #[arg(long)]
        revoke: bool,
    },
    /// Put a tenant (given, or the one of `--workspace`) on a plan.
    SetPlan {
        #[command(flatten)]
        admin: AdminUrls,
        #[arg(long)]
        plan: String,
        #[arg(long, required_unless_present = "workspace", conflicts_with = "workspace")]
        tenant: Option<uuid::Uuid>,
        #[arg(long)]
        workspace: Option<uuid::Uuid>,
    },
}

/// What a plan allows; see the `plans` table.
#[derive(Args, Clone)]
pub struct PlanLimits {
    /// Tokens' and users' default rate limit, `<requests>/<window seconds>`; a token's own
    /// limit may only be lower.
    #[arg(long)]
    pub rate_limit: Option<String>,
    /// Requests per base per month, or `none`.
    #[arg(long)]
    pub monthly: Option<String>,
    #[arg(long)]
    pub bases_per_workspace: Option<i32>,
    /// Soft-dropped tables count until purged.
    #[arg(long)]
    pub tables_per_base: Option<i32>,
    /// Soft-dropped fields count until purged.
    #[arg(long)]
    pub fields_per_table: Option<i32>,
    #[arg(long)]
    pub views_per_base: Option<i32>,
    /// The JSON size of a base's catalog.
    #[arg(long)]
    pub catalog_bytes: Option<i32>,
    /// The largest upload, in bytes.
    #[arg(long)]
    pub max_upload_bytes: Option<i64>,
    /// Bytes of files a base may keep in the object store, or `none`.
    #[arg(long)]
    pub max_stored_bytes: Option<String>,
    /// Days the plan's tenants' audit events are kept (7 to 3650).
    #[arg(long, value_parser = clap::value_parser!(i32).range(7..=3650))]
    pub audit_retention_days: Option<i32>,
    /// Days the plan's bases' change logs are kept for history, streams and revert (1 to
    /// 3650), once the audit log and the webhooks have read them.
    #[arg(long, value_parser = clap::value_parser!(i32).range(1..=3650))]
    pub change_log_retention_days: Option<i32>,
}

/// Runtime connections: one least-privilege role per plane.
#[derive(Args, Clone)]
pub struct PlaneUrls {
    /// Control plane (catalog, tokens), as `control_app_rw`.
    #[arg(long, env = "NC_CONTROL_URL", default_value = "postgres://control_app_rw@127.0.0.1:54329/nc_control")]
    pub control_url: String,
    /// Data plane (one schema per base), as `data_app_rw`.
    #[arg(long, env = "NC_DATA_URL", default_value = "postgres://data_app_rw@127.0.0.1:54329/nc_data")]
    pub data_url: String,
    /// Logs plane (audit events), as `logs_app_rw`.
    #[arg(long, env = "NC_LOGS_URL", default_value = "postgres://logs_app_rw@127.0.0.1:54329/nc_logs")]
    pub logs_url: String,
    /// More data clusters, as `name=url` pairs separated by commas, as `data_app_rw` on
    /// each (`NC_DATA_URL` is the cluster named `main`). A base lives on the cluster the
    /// control plane names for it; see `origin admin cluster`.
    #[arg(long, env = "NC_DATA_CLUSTERS", value_delimiter = ',', hide_env_values = true)]
    pub data_clusters: Vec<String>,
}

/// Admin connections, used only for migrations and DDL.
#[derive(Args, Clone)]
pub struct AdminUrls {
    #[arg(long, env = "NC_ADMIN_CONTROL_URL", default_value = "postgres://nc_admin@127.0.0.1:54329/nc_control")]
    pub admin_control_url: String,
    #[arg(long, env = "NC_ADMIN_DATA_URL", default_value = "postgres://nc_admin@127.0.0.1:54329/nc_data")]
    pub admin_data_url: String,
    #[arg(long, env = "NC_ADMIN_LOGS_URL", default_value = "postgres://nc_admin@127.0.0.1:54329/nc_logs")]
    pub admin_logs_url: String,
    /// The admin role on the other data clusters, as `name=url` pairs (see `NC_DATA_CLUSTERS`).
    #[arg(long, env = "NC_ADMIN_DATA_CLUSTERS", value_delimiter = ',', hide_env_values = true)]
    pub admin_data_clusters: Vec<String>,
}

/// The data clusters of a URL for `main` and `name=url` pairs for the others, checked:
/// names as the control plane takes them, each once.
pub fn data_clusters(main: &str, more: &[String]) -> anyhow::Result<Vec<(String, String)>> {
    let mut clusters = vec![("main".to_owned(), main.to_owned())];
    for pair in more.iter().filter(|pair| !pair.trim().is_empty()) {
        let (name, url) = pair.split_once('=').with_context(|| "a data cluster is `name=url`".to_owned())?;
        let name = name.trim();
        anyhow::ensure!(
            shared::manage::is_cluster_name(name),
            "data cluster name '{name}': a lowercase letter, then up to 39 lowercase letters, digits or dashes"
        );
        anyhow::ensure!(
            clusters.iter().all(|(known, _)| known != name),
            "the data cluster '{name}' is given twice (`main` is NC_DATA_URL's)"
        );
        clusters.push((name.to_owned(), url.trim().to_owned()));
    }
    Ok(clusters)
}

#[derive(Args, Clone)]
pub struct ServeArgs {
    #[command(flatten)]
    pub storage: crate::storage::StorageArgs,
    #[command(flatten)]
    pub jobs: crate::jobs::JobArgs,
    #[command(flatten)]
    pub streams: crate::events::StreamArgs,
    #[command(flatten)]
    pub webhooks: crate::webhooks::WebhookArgs,
    /// Address to listen on; keep it private (loopback or an internal network).
    #[arg(long, env = "NC_ORIGIN_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    #[command(flatten)]
    pub planes: PlaneUrls,
    /// The admin role on the data plane, used only to create base schemas (DDL); the
    /// records path never uses it.
    #[arg(long, env = "NC_ADMIN_DATA_URL", default_value = "postgres://nc_admin@127.0.0.1:54329/nc_data")]
    pub admin_data_url: String,
    /// The admin role on the other data clusters, as `name=url` pairs.
    #[arg(long, env = "NC_ADMIN_DATA_CLUSTERS", value_delimiter = ',', hide_env_values = true)]
    pub admin_data_clusters: Vec<String>,
    /// Redis shared by every origin instance (`redis://:password@host:6379/0`): each
    /// envelope's nonce is remembered there, so that one origin refuses an envelope another
    /// accepted. Without it each origin remembers its own (enough for one instance).
    #[arg(long, env = "NC_REDIS_URL", hide_env_values = true)]
    pub redis_url: Option<String>,
    /// Hex HMAC key shared with the edges (at least 32 bytes). During a rotation, two
    /// keys, comma-separated: the first signs (pushes, access tokens, cursors), either
    /// verifies (deploy/README.md).
    #[arg(long, env = "NC_EDGE_SIGNING_KEY", hide_env_values = true)]
    pub edge_signing_key: String,
    /// Connections to the data plane.
    #[arg(long, env = "NC_DATA_POOL_SIZE", default_value_t = 16)]
    pub data_pool_size: usize,
    /// Connections to the control and logs planes, each.
    #[arg(long, env = "NC_CONTROL_POOL_SIZE", default_value_t = 4)]
    pub control_pool_size: u32,
    /// Statement timeout for data-plane queries.
    #[arg(long, env = "NC_STATEMENT_TIMEOUT", default_value = "20s", value_parser = humantime::parse_duration)]
    pub statement_timeout: Duration,
    /// Edges to tell when data, views or schemas change (comma-separated base URLs), so
    /// that their cached view answers are invalidated at once.
    #[arg(long, env = "NC_EDGE_PUSH_URLS", value_delimiter = ',')]
    pub edge_push_urls: Vec<String>,
    /// How long a renamed table or field keeps answering to its former name.
    #[arg(long, env = "NC_RENAME_GRACE", default_value = "7days", value_parser = humantime::parse_duration)]
    pub rename_grace: Duration,
    /// How long a dropped table or field is kept, restorable, before an admin may purge it.
    #[arg(long, env = "NC_DROP_RETENTION", default_value = "7days", value_parser = humantime::parse_duration)]
    pub drop_retention: Duration,
    /// How long a list must take to count as slow: slow lists that an index could serve
    /// become the index builder's suggestions (`GET …/tables/{t}/indexes`).
    #[arg(long, env = "NC_SLOW_LIST", default_value = "100ms", value_parser = humantime::parse_duration)]
    pub slow_list: Duration,
    /// How long in-flight requests may take to finish after SIGTERM.
    #[arg(long, env = "NC_SHUTDOWN_GRACE", default_value = "10s", value_parser = humantime::parse_duration)]
    pub shutdown_grace: Duration,
    /// Failed sign-ins an email gets before each further one must wait twice as long
    /// (1 s, 2 s, … up to 15 minutes).
    #[arg(long, env = "NC_SIGN_IN_FREE_FAILURES_PER_ACCOUNT", default_value_t = 5,
          value_parser = clap::value_parser!(u16).range(1..))]
    pub sign_in_free_failures_per_account: u16,
    /// The same for a client address, which may try many emails (and which people behind
    /// one NAT share).
    #[arg(long, env = "NC_SIGN_IN_FREE_FAILURES_PER_ADDRESS", default_value_t = 20,
          value_parser = clap::value_parser!(u16).range(1..))]
    pub sign_in_free_failures_per_address: u16,
}

#[derive(Args, Clone)]
pub struct SeedArgs {
    #[command(flatten)]
    pub admin: AdminUrls,
    /// Rows in the demo `customers` table.
    #[arg(long, default_value_t = 1000)]
    pub rows: u32,
    /// Where to write the created ids and tokens as JSON (for tests and scripts).
    #[arg(long)]
    pub fixture_out: Option<PathBuf>,
    /// The edge URL the printed curl should use.
    #[arg(long, default_value = "http://127.0.0.1:8787")]
    pub edge_url: String,
}

impl ServeArgs {
    pub fn keys(&self) -> anyhow::Result<shared::keys::Keyring> {
        shared::keys::Keyring::parse(&self.edge_signing_key)
            .map_err(|error| anyhow::anyhow!("NC_EDGE_SIGNING_KEY (hex keys, comma-separated): {error}"))
    }
}
