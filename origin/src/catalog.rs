//! The origin's view of the control plane: base catalogs, token states, users' access
//! to bases, published views and suspended tenants, cached in memory and invalidated by
//! `LISTEN nc_catalog`, `nc_tokens`, `nc_access`, `nc_views` and `nc_tenants`.
//!
//! While the listener is disconnected, nothing is served from the cache: a missed
//! notification must never let a revoked token, a removed member or an old catalog
//! through. Catalogs are also reloaded after [`CATALOG_MAX_AGE`], so that former names
//! whose grace period ended stop resolving without any notification.

use quick_cache::sync::Cache;
use shared::catalog::{Catalog, Field, FieldType, Table};
use shared::ids::{BaseId, FieldId, TableId, TenantId, TokenId, UserId};
use shared::manage::{Access, Command, Role};
use shared::token::{Scope, TokenRecord};
use shared::usage::RateLimit;
use shared::view::{AuthMode, CachePolicy, Definition, PublishedView};
use sqlx::{PgPool, Row};
use std::hash::Hash;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// A cached catalog older than this is loaded again.
pub const CATALOG_MAX_AGE: Duration = Duration::from_secs(60);

/// Bounds of the caches. Every key here is one a client can choose (a token id, a base,
/// a slug, and "not found" answers among them), so each cache keeps at most so many
/// entries and lets the least valuable go (quick_cache's S3-FIFO); a miss is one
/// control-plane query. Catalogs count one unit per table and field.
pub const CACHED_CATALOG_UNITS: u64 = 500_000;
pub const CACHED_TOKENS: usize = 100_000;
pub const CACHED_ACCESS: usize = 100_000;
pub const CACHED_VIEWS: usize = 20_000;

type Catalogs = Cache<BaseId, (Instant, Arc<Catalog>), CatalogWeight>;

/// A catalog's weight in [`CACHED_CATALOG_UNITS`]: its tables and fields.
#[derive(Clone)]
pub struct CatalogWeight;

impl quick_cache::Weighter<BaseId, (Instant, Arc<Catalog>)> for CatalogWeight {
    fn weight(&self, _: &BaseId, (_, catalog): &(Instant, Arc<Catalog>)) -> u64 {
        let fields: usize = catalog.tables.iter().map(|table| 1 + table.fields.len()).sum();
        u64::try_from(fields).unwrap_or(u64::MAX).max(1)
    }
}

pub struct ControlState {
    pool: PgPool,
    listening: AtomicBool,
    /// Bumped by every invalidation, so a load that raced with one is not cached.
    generation: AtomicU64,
    /// Held shared while a load is cached, exclusively while an invalidation bumps the
    /// generation and drops entries: the check and the insert are one step against it.
    invalidating: RwLock<()>,
    catalogs: Catalogs,
    tokens: Cache<TokenId, Option<Arc<TokenRecord>>>,
    access: Cache<(UserId, BaseId), Option<Access>>,
    views: Cache<String, Option<Arc<PublishedView>>>,
    /// The tenant of each base asked about, when its operators suspended it.
    suspended: Cache<BaseId, Option<TenantId>>,
    /// The data cluster of each base asked about (none: no such base).
    placements: Cache<BaseId, Option<Arc<str>>>,
}

/// The part of a cache [`ControlState`] uses, whatever its weighter.
trait Store<K, V> {
    fn lookup(&self, key: &K) -> Option<V>;
    fn store(&self, key: K, value: V);
}

impl<K: Eq + Hash + Clone, V: Clone, W: quick_cache::Weighter<K, V> + Clone> Store<K, V> for Cache<K, V, W> {
    fn lookup(&self, key: &K) -> Option<V> {
        self.get(key)
    }

    fn store(&self, key: K, value: V) {
        self.insert(key, value);
    }
}

impl ControlState {
    pub fn new(pool: PgPool) -> Arc<ControlState> {
        Arc::new(ControlState {
            pool,
            listening: AtomicBool::new(false),
            generation: AtomicU64::new(0),
            invalidating: RwLock::new(()),
            catalogs: Cache::with_weighter(10_000, CACHED_CATALOG_UNITS, CatalogWeight),
            tokens: Cache::new(CACHED_TOKENS),
            access: Cache::new(CACHED_ACCESS),
            views: Cache::new(CACHED_VIEWS),
            suspended: Cache::new(CACHED_ACCESS),
            placements: Cache::new(CACHED_ACCESS),
        })
    }

    /// The published view with this slug, if any.
    pub async fn view(&self, slug: &str) -> Result<Option<Arc<PublishedView>>, sqlx::Error> {
        if let Some(view) = self.cached(&self.views, &slug.to_owned()) {
            return Ok(view);
        }
        let generation = self.generation.load(Ordering::Acquire);
        let view = load_published(&self.pool, slug).await?.map(Arc::new);
        self.remember(&self.views, generation, slug.to_owned(), view.clone());
        Ok(view)
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// The current catalog of a live base, or `None` if there is no such base.
    pub async fn catalog(&self, base_id: BaseId) -> Result<Option<Arc<Catalog>>, sqlx::Error> {
        if let Some((loaded, catalog)) = self.cached(&self.catalogs, &base_id)
            && loaded.elapsed() < CATALOG_MAX_AGE
        {
            return Ok(Some(catalog));
        }
        let generation = self.generation.load(Ordering::Acquire);
        let catalog = load_catalog(&mut *self.pool.acquire().await?, base_id).await?.map(Arc::new);
        if let Some(catalog) = &catalog {
            self.remember(&self.catalogs, generation, base_id, (Instant::now(), catalog.clone()));
        }
        Ok(catalog)
    }

    /// A user's access to a live base (their role in its workspace), if they have one.
    pub async fn access(&self, user_id: UserId, base_id: BaseId) -> Result<Option<Access>, sqlx::Error> {
        if let Some(access) = self.cached(&self.access, &(user_id, base_id)) {
            return Ok(access);
        }
        let generation = self.generation.load(Ordering::Acquire);
        let row: Option<(String, i32, i32, String)> = sqlx::query_as(
            "SELECT m.role, p.rate_limit_requests, p.rate_limit_window_seconds, u.email FROM bases b \
             JOIN workspaces w ON w.id = b.workspace_id JOIN memberships m ON m.workspace_id = w.id \
             JOIN users u ON u.id = m.user_id JOIN tenants n ON n.id = b.tenant_id JOIN plans p ON p.name = n.plan \
             WHERE b.id = $1 AND m.user_id = $2 AND b.deleted_at IS NULL AND w.deleted_at IS NULL \
             AND u.disabled_at IS NULL",
        )
        .bind(base_id.0)
        .bind(user_id.0)
        .fetch_optional(&self.pool)
        .await?;
        let access = row.and_then(|(role, requests, window, email)| {
            let rate_limit = rate_limit(requests, window);
            Some(Access { user_id, base_id, role: Role::parse(&role)?, rate_limit, email })
        });
        self.remember(&self.access, generation, (user_id, base_id), access.clone());
        Ok(access)
    }

    /// The record of an active (not revoked) token; expiry is checked by the caller.
    pub async fn token(&self, token_id: TokenId) -> Result<Option<Arc<TokenRecord>>, sqlx::Error> {
        if let Some(state) = self.cached(&self.tokens, &token_id) {
            return Ok(state);
        }
        let generation = self.generation.load(Ordering::Acquire);
        let record = load_token(&self.pool, token_id).await?.map(Arc::new);
        self.remember(&self.tokens, generation, token_id, record.clone());
        Ok(record)
    }

    /// The data cluster a base lives on (deleted bases too: their schema is there until
    /// purged); none for a base that never existed.
    pub async fn placement(&self, base_id: BaseId) -> Result<Option<Arc<str>>, sqlx::Error> {
        if let Some(cluster) = self.cached(&self.placements, &base_id) {
            return Ok(cluster);
        }
        let generation = self.generation.load(Ordering::Acquire);
        let cluster: Option<Arc<str>> = placement(&self.pool, base_id).await?.map(Arc::from);
        self.remember(&self.placements, generation, base_id, cluster.clone());
        Ok(cluster)
    }

    /// Refuses a base whose tenant the platform's operators suspended; a base that does not
    /// exist passes (the caller's own lookup answers for it). `fresh` reads the control
    /// plane rather than the cache: for what an edge will cache in turn (catalogs, views,
    /// token records), so that a push racing this origin's notification cannot leave an
    /// edge serving a suspended tenant.
    pub async fn ensure_active(&self, base_id: BaseId, fresh: bool) -> Result<(), crate::error::Error> {
        let cached = if fresh { None } else { self.cached(&self.suspended, &base_id) };
        let suspended = match cached {
            Some(suspended) => suspended,
            None => {
                let generation = self.generation.load(Ordering::Acquire);
                let tenant: Option<Uuid> = sqlx::query_scalar(
                    "SELECT n.id FROM bases b JOIN tenants n ON n.id = b.tenant_id \
                     WHERE b.id = $1 AND n.suspended_at IS NOT NULL",
                )
                .bind(base_id.0)
                .fetch_optional(&self.pool)
                .await?;
                let tenant = tenant.map(TenantId);
                self.remember(&self.suspended, generation, base_id, tenant);
                tenant
            }
        };
        match suspended {
            Some(tenant) => Err(tenant_suspended(tenant).into()),
            None => Ok(()),
        }
    }

    /// Forgets at once what a management command just committed through this origin,
    /// ahead of its notification, so that the next request here (an edge reloading a view
    /// whose key was just revoked, say) never gets the old state. Other origins learn of
    /// it from the notification.
    pub fn committed(&self, command: &Command) {
        match command {
            Command::DeleteBase { .. } => self.clear(),
            Command::Operator(operator) if operator.changes_tenant().is_some() => self.clear(),
            Command::RevokeToken { token, .. } => self.invalidate("nc_tokens", &token.0.to_string()),
            Command::SetMember { .. }
            | Command::RemoveMember { .. }
            | Command::AnswerInvitation { accept: true, .. } => self.invalidate("nc_access", ""),
            _ if command.changes_view() => self.invalidate("nc_views", ""),
            _ => {
                if let Some(base) = command.changes_catalog_of() {
                    self.invalidate("nc_catalog", &base.0.to_string());
                }
            }
        }
    }

    fn cached<K, V>(&self, cache: &impl Store<K, V>, key: &K) -> Option<V> {
        if !self.listening.load(Ordering::Acquire) {
            return None;
        }
        cache.lookup(key)
    }

    /// Caches a value loaded when the generation was `generation`, unless an invalidation came since.
    fn remember<K, V>(&self, cache: &impl Store<K, V>, generation: u64, key: K, value: V) {
        let _shared = self.invalidating.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        if self.listening.load(Ordering::Acquire) && self.generation.load(Ordering::Acquire) == generation {
            cache.store(key, value);
        }
    }

    fn clear(&self) {
        let _exclusive = self.invalidating.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.catalogs.clear();
        self.tokens.clear();
        self.access.clear();
        self.views.clear();
        self.suspended.clear();
        self.placements.clear();
    }

    fn invalidate(&self, channel: &str, payload: &str) {
        // A tenant suspended, resumed or moved to another plan (rate limits): anything of
        // its bases may have changed. Rare enough to forget everything.
        if channel == "nc_tenants" {
            self.clear();
            return;
        }
        let _exclusive = self.invalidating.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        self.generation.fetch_add(1, Ordering::AcqRel);
        if channel == "nc_access" {
            self.access.clear();
            return;
        }
        if channel == "nc_views" {
            self.views.clear();
            return;
        }
        let Ok(id) = Uuid::parse_str(payload) else { return };
        match channel {
            "nc_catalog" => {
                self.catalogs.remove(&BaseId(id));
            }
            "nc_tokens" => {
                self.tokens.remove(&TokenId(id));
            }
            "nc_placement" => {
                self.placements.remove(&BaseId(id));
            }
            _ => {}
        }
    }

    /// Keeps a LISTEN connection open for the life of the process, reconnecting on failure.
    pub async fn listen(self: Arc<Self>, control_url: String) {
        loop {
            if let Err(error) = self.listen_once(&control_url).await {
                tracing::warn!(error = %error, "catalog listener disconnected; serving without cache until it reconnects");
            }
            self.listening.store(false, Ordering::Release);
            self.clear();
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }

    async fn listen_once(&self, control_url: &str) -> anyhow::Result<()> {
        let mut listener = crate::notify::listen(
            control_url,
            &["nc_catalog", "nc_tokens", "nc_access", "nc_views", "nc_tenants", "nc_placement"],
        )
        .await?;
        // Anything cached before this point may have missed a notification.
        self.clear();
        self.listening.store(true, Ordering::Release);
        tracing::info!("catalog listener connected");
        while let Some(notification) = listener.notifications.recv().await {
            self.invalidate(notification.channel(), notification.payload());
        }
        anyhow::bail!("notification stream ended")
    }
}

/// The data cluster a base lives on, read now (deleted bases too: their schema is there
/// until purged); none for a base that never existed.
pub async fn placement(control: &PgPool, base: BaseId) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT cluster FROM bases WHERE id = $1").bind(base.0).fetch_optional(control).await
}

/// [`placement`], or the 404 of a base that never existed.
pub async fn placed(control: &PgPool, base: BaseId) -> Result<String, crate::error::Error> {
    Ok(placement(control, base).await?.ok_or_else(|| no_such_base(base))?)
}

/// The answer about a base that never existed.
pub fn no_such_base(base: BaseId) -> shared::error::ApiError {
    shared::error::ApiError::new(shared::error::ErrorCode::NotFound, "No such base.").with("base", base.to_string())
}

/// The refusal of anything of a suspended tenant.
pub fn tenant_suspended(tenant: TenantId) -> shared::error::ApiError {
    shared::error::ApiError::new(
        shared::error::ErrorCode::TenantSuspended,
        "This organization is suspended by the platform's operators: its bases, tokens and views are unavailable. \
         Its owners should contact support.",
    )
    .with("tenant", tenant.to_string())
}

/// A live base's catalog for a management command: a 404 for a base that is not live, a
/// 503 when the control plane fails.
pub async fn live_catalog(control: &PgPool, base: BaseId) -> Result<Catalog, crate::error::Error> {
    let mut connection = control.acquire().await?;
    let catalog = load_catalog(&mut connection, base).await?.ok_or_else(|| {
        shared::error::ApiError::new(shared::error::ErrorCode::NotFound, "No such base.").with("base", base.to_string())
    })?;
    Ok(catalog)
}

pub async fn load_catalog(
    connection: &mut sqlx::PgConnection,
    base_id: BaseId,
) -> Result<Option<Catalog>, sqlx::Error> {
    let version: Option<i64> =
        sqlx::query_scalar("SELECT catalog_version FROM bases WHERE id = $1 AND deleted_at IS NULL")
            .bind(base_id.0)
            .fetch_optional(&mut *connection)
            .await?;
    let Some(version) = version else { return Ok(None) };
    let tables: Vec<TableRow> = sqlx::query_as(
        "SELECT id, name, rules, uniques, policies, indexes FROM tables WHERE base_id = $1 AND deleted_at IS NULL \
         ORDER BY created_at, id",
    )
    .bind(base_id.0)
    .fetch_all(&mut *connection)
    .await?;
    let fields: Vec<FieldRow> = sqlx::query_as(
        "SELECT f.id, f.table_id, f.name, f.type, f.required, f.is_unique, f.options, f.default_value, f.link, \
         f.rules, f.computed FROM fields f \
         JOIN tables t ON t.id = f.table_id \
         WHERE t.base_id = $1 AND t.deleted_at IS NULL AND f.deleted_at IS NULL ORDER BY f.position, f.id",
    )
    .bind(base_id.0)
    .fetch_all(&mut *connection)
    .await?;
    // Former names in their grace period, oldest first.
    let table_aliases: Vec<(Uuid, String)> = sqlx::query_as(
        "SELECT table_id, name FROM table_aliases WHERE base_id = $1 AND expires_at > now() ORDER BY created_at, name",
    )
    .bind(base_id.0)
    .fetch_all(&mut *connection)
    .await?;
    let field_aliases: Vec<(Uuid, String)> = sqlx::query_as(
        "SELECT a.field_id, a.name FROM field_aliases a JOIN tables t ON t.id = a.table_id \
         WHERE t.base_id = $1 AND a.expires_at > now() ORDER BY a.created_at, a.name",
    )
    .bind(base_id.0)
    .fetch_all(&mut *connection)
    .await?;
    let aliases_of = |aliases: &[(Uuid, String)], id: Uuid| -> Vec<String> {
        aliases.iter().filter(|(owner, _)| *owner == id).map(|(_, name)| name.clone()).collect()
    };
    let tables = tables
        .into_iter()
        .map(|(table_id, name, rules, unique, policies, indexes)| {
            Ok(Table {
                id: TableId(table_id),
                name,
                // A policy that does not read must not read as "no policy": the catalog fails.
                rules: decode(rules)?,
                unique: decode(unique)?,
                policies: decode(policies)?,
                indexes: decode(indexes)?,
                fields: fields
                    .iter()
                    .filter(|field| field.1 == table_id)
                    .filter_map(
                        |(id, _, name, field_type, required, unique, options, default, link, rules, computed)| {
                            Some(Field {
                                id: FieldId(*id),
                                name: name.clone(),
                                field_type: FieldType::parse(field_type)?,
                                required: *required,
                                unique: *unique,
                                options: serde_json::from_value(options.clone()).ok()?,
                                default: default.clone(),
                                aliases: aliases_of(&field_aliases, *id),
                                link: link.clone().map(serde_json::from_value).transpose().ok()?,
                                rules: serde_json::from_value(rules.clone()).ok()?,
                                computed: computed.clone().map(serde_json::from_value).transpose().ok()?,
                            })
                        },
                    )
                    .collect(),
                aliases: aliases_of(&table_aliases, table_id),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Some(Catalog { base_id, version, tables }))
}

fn decode<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, sqlx::Error> {
    serde_json::from_value(value).map_err(|error| sqlx::Error::Decode(Box::new(error)))
}

/// `tables` columns: id, name, rules, unique sets, policies.
type TableRow = (Uuid, String, serde_json::Value, serde_json::Value, serde_json::Value, serde_json::Value);

/// `fields` columns: id, table id, name, type, required, unique, options, default, link, rules.
type FieldRow = (
    Uuid,
    Uuid,
    String,
    String,
    bool,
    bool,
    serde_json::Value,
    Option<serde_json::Value>,
    Option<serde_json::Value>,
    serde_json::Value,
    Option<serde_json::Value>,
);

/// `api_tokens` columns: base id, secret hash, scopes, expiry, effective rate limit.
type TokenRow = (Uuid, Vec<u8>, Vec<String>, Option<chrono::DateTime<chrono::Utc>>, String, i32, i32);

pub async fn load_token(pool: &PgPool, token_id: TokenId) -> Result<Option<TokenRecord>, sqlx::Error> {
    let row: Option<TokenRow> = sqlx::query_as(
        "SELECT t.base_id, t.secret_sha256, t.scopes, t.expires_at, t.name, \
         coalesce(t.rate_limit_requests, p.rate_limit_requests), \
         coalesce(t.rate_limit_window_seconds, p.rate_limit_window_seconds) \
         FROM api_tokens t JOIN bases b ON b.id = t.base_id JOIN tenants n ON n.id = b.tenant_id \
         JOIN plans p ON p.name = n.plan \
         WHERE t.id = $1 AND t.revoked_at IS NULL AND b.deleted_at IS NULL",
    )
    .bind(token_id.0)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(base_id, secret_sha256, scopes, expires_at, name, requests, window)| TokenRecord {
        token_id,
        base_id: BaseId(base_id),
        scopes: scopes.iter().filter_map(|scope| Scope::parse(scope)).collect(),
        secret_sha256: hex::encode(secret_sha256),
        expires_at: expires_at.map(|at| at.timestamp_millis()),
        rate_limit: rate_limit(requests, window),
        name,
    }))
}

/// A rate limit from its columns (which the schema keeps valid).
pub fn rate_limit(requests: i32, window_seconds: i32) -> RateLimit {
    RateLimit {
        requests: u32::try_from(requests).unwrap_or(1),
        window_seconds: u32::try_from(window_seconds).unwrap_or(60),
    }
}

/// The published view with this slug, if any (and its base is live): its published
/// version, whatever version is being edited.
pub async fn load_published(control: &PgPool, slug: &str) -> Result<Option<PublishedView>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT v.id, v.base_id, v.published_version, v.auth_mode, v.cache, d.definition FROM views v \
         JOIN view_versions d ON d.view_id = v.id AND d.version = v.published_version JOIN bases b ON b.id = v.base_id \
         WHERE v.slug = $1 AND v.published AND v.deleted_at IS NULL AND b.deleted_at IS NULL",
    )
    .bind(slug)
    .fetch_optional(control)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let view_id: Uuid = row.get(0);
    let keys: Vec<(Uuid, Vec<u8>)> =
        sqlx::query_as("SELECT id, secret_sha256 FROM view_keys WHERE view_id = $1 AND revoked_at IS NULL")
            .bind(view_id)
            .fetch_all(control)
            .await?;
    let definition: Definition = match serde_json::from_value(row.get(5)) {
        Ok(definition) => definition,
        Err(error) => {
            tracing::error!(%view_id, error = %error, "a stored view definition does not parse");
            return Ok(None);
        }
    };
    // A mode this code does not know is never read as some other mode: the view is not served.
    let auth_name: String = row.get(3);
    let Some(auth) = AuthMode::parse(&auth_name) else {
        tracing::error!(%view_id, auth_mode = auth_name, "a stored view auth mode is unknown; the view is not served");
        return Ok(None);
    };
    Ok(Some(PublishedView {
        view_id,
        base_id: BaseId(row.get(1)),
        slug: slug.to_owned(),
        version: i64::from(row.get::<i32, _>(2)),
        definition,
        auth,
        cache: serde_json::from_value(row.get(4)).unwrap_or(CachePolicy::default()),
        keys: keys.into_iter().map(|(id, hash)| (id, hex::encode(hash))).collect(),
    }))
}
