//! Connection pools for the three planes; the data plane is one or more clusters, each
//! with its own pool (a base lives on one, named by its control-plane row).
//!
//! The data plane, which serves every record request, uses tokio-postgres through
//! deadpool with a per-connection prepared-statement cache; the control and logs planes,
//! with static queries, use sqlx. Pools connect lazily, so the origin starts (and
//! `/healthz` reports) even while a plane is down.

use crate::config::ServeArgs;
use anyhow::Context;
use deadpool::managed::{self, Metrics, RecycleResult};
use deadpool_postgres::{ClientWrapper, Manager, ManagerConfig, RecyclingMethod};
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Prepared statements kept per data-plane connection, least recently used out first.
/// Plans name fields in the table's order, so equivalent requests share one statement;
/// what clients can still vary (projections, `where` shapes) cannot grow a backend's
/// memory past this.
pub const STATEMENTS_PER_CONNECTION: usize = 256;

pub struct Planes {
    pub control: PgPool,
    pub data: Clusters,
    pub logs: PgPool,
}

/// A data cluster this origin reaches: its pool, and the URL its listeners connect with.
pub struct Cluster {
    pub name: String,
    pub pool: DataPool,
    pub url: String,
}

/// The data clusters this origin reaches, `main` (`NC_DATA_URL`) first.
#[derive(Clone)]
pub struct Clusters(Arc<Vec<Arc<Cluster>>>);

impl Clusters {
    pub fn new(clusters: Vec<Cluster>) -> Clusters {
        Clusters(Arc::new(clusters.into_iter().map(Arc::new).collect()))
    }

    pub fn main(&self) -> &Arc<Cluster> {
        &self.0[0]
    }

    /// The cluster of this name, or the 503 that this origin cannot reach it.
    pub fn get(&self, name: &str) -> Result<&Arc<Cluster>, crate::error::Error> {
        self.0.iter().find(|cluster| cluster.name == name).ok_or_else(|| {
            tracing::error!(cluster = name, "a base lives on a data cluster this origin has no URL for");
            crate::error::Error::Pool(format!(
                "the data cluster '{name}' is not configured on this origin (NC_DATA_CLUSTERS)"
            ))
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = &Arc<Cluster>> {
        self.0.iter()
    }
}

pub type DataPool = managed::Pool<DataManager>;
pub type DataClient = managed::Object<DataManager>;

/// deadpool-postgres's manager, with a bounded statement cache on each connection.
pub struct DataManager {
    inner: Manager,
    statements: NonZeroUsize,
    /// What each new connection runs first (its time zone and statement timeout).
    session: String,
}

/// A data-plane connection and the order its statements were last used in.
pub struct DataConnection {
    client: ClientWrapper,
    statements: Statements,
}

/// The bound on a connection's prepared statements: the order they were last used in, and
/// the cache they are prepared in. A handle, so that a transaction of the connection (which
/// borrows it) keeps the bound too.
#[derive(Clone)]
pub struct Statements {
    recent: Arc<Mutex<lru::LruCache<String, ()>>>,
    cache: Arc<deadpool_postgres::StatementCache>,
}

impl managed::Manager for DataManager {
    type Type = DataConnection;
    type Error = tokio_postgres::Error;

    async fn create(&self) -> Result<DataConnection, tokio_postgres::Error> {
        let client = self.inner.create().await?;
        client.batch_execute(&self.session).await?;
        let statements = Statements {
            recent: Arc::new(Mutex::new(lru::LruCache::new(self.statements))),
            cache: Arc::clone(&client.statement_cache),
        };
        Ok(DataConnection { client, statements })
    }

    async fn recycle(&self, connection: &mut DataConnection, metrics: &Metrics) -> RecycleResult<Self::Error> {
        self.inner.recycle(&mut connection.client, metrics).await
    }

    fn detach(&self, connection: &mut DataConnection) {
        self.inner.detach(&mut connection.client);
    }
}

impl DataConnection {
    /// See [`Statements::use_statement`].
    pub fn use_statement(&self, sql: &str) {
        self.statements.use_statement(sql);
    }

    /// The connection's statement bound, for a transaction of it.
    pub fn statements(&self) -> Statements {
        self.statements.clone()
    }
}

impl Statements {
    /// Records a use of `sql`; when that makes the connection keep more statements than
    /// its bound, the least recently used one is closed (deallocated in its backend).
    /// Call before `prepare_cached` on the connection or one of its transactions.
    pub fn use_statement(&self, sql: &str) {
        let mut recent = self.recent.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if recent.get(sql).is_some() {
            return;
        }
        if let Some((evicted, ())) = recent.push(sql.to_owned(), ()) {
            // Dropping the statement closes it on the server.
            self.cache.remove(&evicted, &[]);
        }
        // The statement about to be prepared counts too.
        let held = self.cache.size() + 1;
        MOST_STATEMENTS.fetch_max(held, std::sync::atomic::Ordering::Relaxed);
    }
}

/// The most statements any data-plane connection of this process has held prepared.
static MOST_STATEMENTS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// See [`MOST_STATEMENTS`]; reported at `/metrics`.
pub fn most_statements() -> usize {
    MOST_STATEMENTS.load(std::sync::atomic::Ordering::Relaxed)
}

impl std::ops::Deref for DataConnection {
    type Target = ClientWrapper;
    fn deref(&self) -> &ClientWrapper {
        &self.client
    }
}

impl std::ops::DerefMut for DataConnection {
    fn deref_mut(&mut self) -> &mut ClientWrapper {
        &mut self.client
    }
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
        let clusters = crate::config::data_clusters(&args.planes.data_url, &args.planes.data_clusters)?
            .into_iter()
            .map(|(name, url)| {
                let pool = data_pool(&url, args.data_pool_size, args.statement_timeout)
                    .with_context(|| format!("configure the pool of the data cluster '{name}'"))?;
                Ok(Cluster { name, pool, url })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Planes {
            control: sqlx_pool(&args.planes.control_url, "control")?,
            data: Clusters::new(clusters),
            logs: sqlx_pool(&args.planes.logs_url, "logs")?,
        })
    }
}

/// Sessions run in UTC so that timestamps render as `…+00:00` and cursor keys are stable.
/// They are set by statements on each new connection, not by startup options, which a
/// PgBouncer in front of the data plane does not pass on.
pub fn data_pool(url: &str, size: usize, statement_timeout: Duration) -> anyhow::Result<DataPool> {
    let mut config: tokio_postgres::Config = url.parse().context("parse the data plane URL")?;
    let session = format!("SET TimeZone = 'UTC'; SET statement_timeout = {}", statement_timeout.as_millis());
    config.application_name("nc-origin");
    config.connect_timeout(Duration::from_secs(5));
    let inner =
        Manager::from_config(config, tokio_postgres::NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
    let statements = NonZeroUsize::new(STATEMENTS_PER_CONNECTION).context("a statement cache holds something")?;
    managed::Pool::builder(DataManager { inner, statements, session })
        .max_size(size)
        .wait_timeout(Some(Duration::from_secs(5)))
        .runtime(deadpool::Runtime::Tokio1)
        .build()
        .context("build the data plane pool")
}

/// A data-plane connection from the pool, or the 503 that none could be had.
pub async fn connection(pool: &DataPool) -> Result<DataClient, crate::error::Error> {
    pool.get().await.map_err(|error| crate::error::Error::Pool(error.to_string()))
}

/// Ends a transaction a caller began with `BEGIN` on `client`: commits when `work`
/// succeeded, rolls back when it failed. A connection whose transaction could not be ended
/// is in an unknown state: it is not given back to the pool.
pub async fn settle<T>(
    client: DataClient,
    work: Result<T, crate::error::Error>,
) -> Result<(DataClient, T), crate::error::Error> {
    let end = if work.is_ok() { "COMMIT" } else { "ROLLBACK" };
    if let Err(error) = client.batch_execute(end).await {
        let _ = managed::Object::take(client);
        return Err(error.into());
    }
    Ok((client, work?))
}

/// A lowered statement's parameters, as tokio-postgres binds them.
pub fn params(sql: &shared::lower::Sql) -> Vec<&(dyn tokio_postgres::types::ToSql + Sync)> {
    sql.params.iter().map(|param| param as &(dyn tokio_postgres::types::ToSql + Sync)).collect()
}
