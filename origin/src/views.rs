//! Saved views as management commands run them: definitions checked against the catalog
//! ([`shared::view::define`]) and stored as versions, rollback, publishing with a slug,
//! an auth mode and a cache policy, and view keys. The edge serves a slug from what
//! [`crate::catalog::load_published`] reads.
//!
//! Every change notifies `nc_views` (a trigger), which drops the origins' cached views
//! and, through [`crate::invalidate`], the edges' cached answers at once.

use crate::error::{Error, bug};
use crate::manage::stored;
use anyhow::Context;
use serde_json::Value;
use shared::error::{ApiError, ErrorCode};
use shared::ids::BaseId;
use shared::manage::Publish;
use shared::resource::{
    CreatedViewKey, True, View, ViewDeleted, ViewKeyInfo, ViewKeyList, ViewKeyRevoked, ViewList, ViewSummary,
    ViewVersion,
};
use shared::view::{AuthMode, Definition, MAX_CACHE_SECONDS, ViewSpec};
use sqlx::{PgPool, Row};
use uuid::Uuid;

/// View keys: `nv_<32 hex id>_<64 hex secret>`.
pub const KEY_PREFIX: &str = "nv_";

fn not_found(view: &str) -> ApiError {
    ApiError::new(ErrorCode::NotFound, format!("No view '{view}' in this base.")).with("view", view)
}

/// A view of the base by id or name: its id.
async fn find(control: &PgPool, base: BaseId, view: &str) -> Result<Uuid, Error> {
    let by_id = Uuid::try_parse(view).ok();
    let id: Option<Uuid> = sqlx::query_scalar(
        "SELECT id FROM views WHERE base_id = $1 AND deleted_at IS NULL AND (id = $2 OR ($2 IS NULL AND name = $3))",
    )
    .bind(base.0)
    .bind(by_id)
    .bind(view)
    .fetch_optional(control)
    .await?;
    Ok(id.ok_or_else(|| not_found(view))?)
}

/// Checks a view against the current catalog, off the async threads (its work grows with
/// the definition, which a client sends).
async fn define(control: &PgPool, base: BaseId, spec: &ViewSpec) -> Result<Definition, Error> {
    let catalog = crate::catalog::live_catalog(control, base).await?;
    let spec = spec.clone();
    let definition = tokio::task::spawn_blocking(move || shared::view::define(&catalog, &spec))
        .await
        .context("the view-checking task")??;
    Ok(definition)
}

/// The view as the management API shows it: the version being edited (`active_version`)
/// and the version its public URL serves (`published_version`), which differ while a
/// change waits for an admin to publish it (`pending`); its publishing and versions.
pub async fn describe(control: &PgPool, base: BaseId, view: &str) -> Result<View, Error> {
    let id = find(control, base, view).await?;
    let catalog = crate::catalog::live_catalog(control, base).await?;
    let row = sqlx::query(
        "SELECT v.name, v.active_version, v.published, v.slug, v.auth_mode, v.cache, d.definition, v.created_at::text, \
         v.published_version, p.definition FROM views v \
         JOIN view_versions d ON d.view_id = v.id AND d.version = v.active_version \
         LEFT JOIN view_versions p ON p.view_id = v.id AND p.version = v.published_version WHERE v.id = $1",
    )
    .bind(id)
    .fetch_one(control)
    .await?;
    let versions =
        sqlx::query("SELECT version, actor, created_at::text FROM view_versions WHERE view_id = $1 ORDER BY version")
            .bind(id)
            .fetch_all(control)
            .await?;
    let versions = versions
        .iter()
        .map(|row| ViewVersion { version: row.get(0), actor: row.get(1), created_at: row.get(2) })
        .collect();
    let slug: Option<String> = row.get(3);
    let (active, published): (i32, bool) = (row.get(1), row.get(2));
    let published_version: Option<i32> = row.get::<Option<i32>, _>(8).filter(|_| published);
    // A stored definition as a request names it.
    let by_name = |definition: &Value| -> anyhow::Result<shared::view::ViewSpec> {
        let stored: Definition = serde_json::from_value(definition.clone())
            .with_context(|| format!("view {id}: a stored definition does not read"))?;
        Ok(shared::view::describe(&stored, &catalog))
    };
    let definition: Value = row.get(6);
    let spec = by_name(&definition)?;
    let published_definition = row.get::<Option<Value>, _>(9).filter(|_| published);
    let published_spec = published_definition.as_ref().map(by_name).transpose()?;
    Ok(View {
        id,
        base_id: base,
        name: row.get(0),
        active_version: active,
        published,
        published_version,
        pending: published_version.is_some_and(|version| version != active),
        url: slug.as_ref().map(|slug| format!("/public/views/{slug}/data")),
        slug,
        auth: stored(row.get(4), AuthMode::parse)?,
        cache: row.get(5),
        definition,
        spec,
        published_definition,
        published_spec,
        created_at: row.get(7),
        versions,
    })
}

pub async fn list(control: &PgPool, base: BaseId) -> Result<ViewList, Error> {
    let rows = sqlx::query(
        "SELECT id, name, active_version, published, slug, CASE WHEN published THEN published_version END FROM views \
         WHERE base_id = $1 AND deleted_at IS NULL ORDER BY created_at, id",
    )
    .bind(base.0)
    .fetch_all(control)
    .await?;
    let data = rows
        .iter()
        .map(|row| {
            let (active, published_version): (i32, Option<i32>) = (row.get(2), row.get(5));
            ViewSummary {
                id: row.get(0),
                name: row.get(1),
                active_version: active,
                published: row.get(3),
                published_version,
                pending: published_version.is_some_and(|version| version != active),
                slug: row.get(4),
            }
        })
        .collect();
    Ok(ViewList { data })
}

fn name_taken(name: &str) -> ApiError {
    ApiError::new(ErrorCode::NameTaken, format!("A view named '{name}' exists in this base.")).with("name", name)
}

fn is_unique_violation(error: &sqlx::Error) -> bool {
    error.as_database_error().is_some_and(|db| db.is_unique_violation())
}

/// Creates a view (version 1) from its spec, checked against the current catalog.
pub async fn create(control: &PgPool, base: BaseId, spec: &ViewSpec, actor: &str) -> Result<View, Error> {
    let definition = define(control, base, spec).await?;
    let id = Uuid::new_v4();
    let mut transaction = control.begin().await?;
    // The base's row lock makes concurrent creations count one after the other.
    let tenant: Uuid = sqlx::query_scalar("SELECT tenant_id FROM bases WHERE id = $1 FOR UPDATE")
        .bind(base.0)
        .fetch_one(&mut *transaction)
        .await?;
    let plan = crate::usage::plan(&mut *transaction, shared::ids::TenantId(tenant)).await?;
    let views: i64 = sqlx::query_scalar("SELECT count(*) FROM views WHERE base_id = $1 AND deleted_at IS NULL")
        .bind(base.0)
        .fetch_one(&mut *transaction)
        .await?;
    let next = "Delete a view that is no longer needed, or move to a larger plan.";
    plan.check("views_per_base", plan.views_per_base, views, 1, "views per base", next)?;
    let inserted =
        sqlx::query("INSERT INTO views (id, base_id, table_id, name, active_version) VALUES ($1, $2, $3, $4, 1)")
            .bind(id)
            .bind(base.0)
            .bind(definition.table.0)
            .bind(&definition.name)
            .execute(&mut *transaction)
            .await;
    match inserted {
        Err(error) if is_unique_violation(&error) => return Err(name_taken(&definition.name).into()),
        other => other?,
    };
    insert_version(&mut transaction, id, 1, &definition, actor).await?;
    transaction.commit().await?;
    describe(control, base, &id.to_string()).await
}

async fn insert_version(
    transaction: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    view: Uuid,
    version: i32,
    definition: &Definition,
    actor: &str,
) -> Result<(), Error> {
    let definition = serde_json::to_value(definition).map_err(bug)?;
    sqlx::query("INSERT INTO view_versions (view_id, version, definition, actor) VALUES ($1, $2, $3, $4)")
        .bind(view)
        .bind(version)
        .bind(definition)
        .bind(actor)
        .execute(&mut **transaction)
        .await?;
    Ok(())
}

/// A new version from the spec, made the active (edited) one. A published view goes on
/// serving its published version until an admin publishes another.
pub async fn update(control: &PgPool, base: BaseId, view: &str, spec: &ViewSpec, actor: &str) -> Result<View, Error> {
    let id = find(control, base, view).await?;
    let definition = define(control, base, spec).await?;
    let mut transaction = control.begin().await?;
    // The view's row lock serializes concurrent updates of one view.
    sqlx::query("SELECT 1 FROM views WHERE id = $1 FOR UPDATE").bind(id).execute(&mut *transaction).await?;
    let next: i32 = sqlx::query_scalar("SELECT max(version) + 1 FROM view_versions WHERE view_id = $1")
        .bind(id)
        .fetch_one(&mut *transaction)
        .await?;
    insert_version(&mut transaction, id, next, &definition, actor).await?;
    let updated = sqlx::query("UPDATE views SET active_version = $2, name = $3, table_id = $4 WHERE id = $1")
        .bind(id)
        .bind(next)
        .bind(&definition.name)
        .bind(definition.table.0)
        .execute(&mut *transaction)
        .await;
    match updated {
        Err(error) if is_unique_violation(&error) => return Err(name_taken(&definition.name).into()),
        other => other?,
    };
    transaction.commit().await?;
    describe(control, base, &id.to_string()).await
}

pub async fn rollback(control: &PgPool, base: BaseId, view: &str, version: i64) -> Result<View, Error> {
    let id = find(control, base, view).await?;
    let version = i32::try_from(version).map_err(|_| ApiError::new(ErrorCode::NotFound, "No such version."))?;
    let updated = sqlx::query(
        "UPDATE views v SET active_version = $2, table_id = d.table_id FROM \
         (SELECT (definition ->> 'table')::uuid AS table_id FROM view_versions WHERE view_id = $1 AND version = $2) d \
         WHERE v.id = $1",
    )
    .bind(id)
    .bind(version)
    .execute(control)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(ApiError::new(ErrorCode::NotFound, format!("View '{view}' has no version {version}."))
            .with("version", version)
            .into());
    }
    describe(control, base, &id.to_string()).await
}

/// The view's slug, which answers name so that the edge forwarding a change can drop
/// what it cached for the view at once.
async fn slug_of(control: &PgPool, id: Uuid) -> Result<Option<String>, Error> {
    Ok(sqlx::query_scalar("SELECT slug FROM views WHERE id = $1").bind(id).fetch_one(control).await?)
}

/// Whether the view is published now.
pub async fn is_published(control: &PgPool, base: BaseId, view: &str) -> Result<bool, Error> {
    let id = find(control, base, view).await?;
    Ok(sqlx::query_scalar("SELECT published FROM views WHERE id = $1").bind(id).fetch_one(control).await?)
}

pub async fn delete(control: &PgPool, base: BaseId, view: &str) -> Result<ViewDeleted, Error> {
    let id = find(control, base, view).await?;
    sqlx::query("UPDATE views SET deleted_at = now(), published = false WHERE id = $1")
        .bind(id)
        .execute(control)
        .await?;
    Ok(ViewDeleted { id, base_id: base, slug: slug_of(control, id).await?, deleted: True })
}

pub async fn publish(control: &PgPool, base: BaseId, view: &str, publish: &Publish) -> Result<View, Error> {
    let id = find(control, base, view).await?;
    let cache = publish.cache;
    if [cache.max_age, cache.stale_while_revalidate, cache.stale_if_error].iter().any(|s| *s > MAX_CACHE_SECONDS) {
        return Err(ApiError::new(
            ErrorCode::ValidationError,
            format!("Cache settings are at most {MAX_CACHE_SECONDS} s."),
        )
        .with("field", "cache")
        .into());
    }
    if let Some(slug) = &publish.slug
        && !shared::view::is_valid_slug(slug)
    {
        return Err(ApiError::new(
            ErrorCode::ValidationError,
            "'slug' is 1 to 64 lowercase letters, digits and dashes, not starting or ending with a dash.",
        )
        .with("field", "slug")
        .into());
    }
    // The version to serve: the one asked for, else the one being edited; it must still
    // fit the table as it is now.
    let version: Option<(i32, Value)> = sqlx::query_as(
        "SELECT d.version, d.definition FROM views v JOIN view_versions d ON d.view_id = v.id \
         AND d.version = coalesce($2, v.active_version) WHERE v.id = $1",
    )
    .bind(id)
    .bind(publish.version.map(|version| i32::try_from(version).unwrap_or(i32::MAX)))
    .fetch_optional(control)
    .await?;
    let (version, definition) = version.ok_or_else(|| {
        ApiError::new(ErrorCode::NotFound, format!("View '{view}' has no such version.")).with("field", "version")
    })?;
    if publish.enabled {
        let definition: Definition = serde_json::from_value(definition).map_err(bug)?;
        shared::view::check_current(&definition, &crate::catalog::live_catalog(control, base).await?)
            .map_err(|error| error.with("version", version))?;
    }
    let updated = sqlx::query(
        "UPDATE views SET published = $2, slug = coalesce($3, slug), auth_mode = $4, cache = $5, \
         published_version = CASE WHEN $2 THEN $6 ELSE published_version END WHERE id = $1 RETURNING slug",
    )
    .bind(id)
    .bind(publish.enabled)
    .bind(&publish.slug)
    .bind(publish.auth.as_str())
    .bind(serde_json::to_value(cache).map_err(bug)?)
    .bind(version)
    .fetch_one(control)
    .await;
    let slug: Option<String> = match updated {
        Err(error) if is_unique_violation(&error) => {
            return Err(ApiError::new(ErrorCode::NameTaken, "Another view uses this slug; choose another.")
                .with("field", "slug")
                .into());
        }
        other => other?.get(0),
    };
    if publish.enabled && slug.is_none() {
        sqlx::query("UPDATE views SET published = false WHERE id = $1").bind(id).execute(control).await?;
        return Err(ApiError::new(ErrorCode::ValidationError, "Give the view a 'slug' to publish it under.")
            .with("field", "slug")
            .into());
    }
    describe(control, base, &id.to_string()).await
}

pub async fn keys(control: &PgPool, base: BaseId, view: &str) -> Result<ViewKeyList, Error> {
    let id = find(control, base, view).await?;
    let data = sqlx::query_as(
        "SELECT id, name, created_at::text, revoked_at::text FROM view_keys WHERE view_id = $1 ORDER BY created_at, id",
    )
    .bind(id)
    .fetch_all(control)
    .await?
    .into_iter()
    .map(|(id, name, created_at, revoked_at)| ViewKeyInfo { id, name, created_at, revoked_at })
    .collect();
    Ok(ViewKeyList { data })
}

pub async fn create_key(control: &PgPool, base: BaseId, view: &str, name: &str) -> Result<CreatedViewKey, Error> {
    let id = find(control, base, view).await?;
    let key_id = Uuid::new_v4();
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(bug)?;
    let secret = hex::encode(secret);
    sqlx::query("INSERT INTO view_keys (id, view_id, name, secret_sha256) VALUES ($1, $2, $3, $4)")
        .bind(key_id)
        .bind(id)
        .bind(name)
        .bind(shared::token::sha256(secret.as_bytes()).to_vec())
        .execute(control)
        .await?;
    // Shown once: only its hash is stored.
    Ok(CreatedViewKey {
        id: key_id,
        view_id: id,
        base_id: base,
        slug: slug_of(control, id).await?,
        name: name.to_owned(),
        key: format!("{KEY_PREFIX}{}_{secret}", key_id.simple()),
    })
}

pub async fn revoke_key(control: &PgPool, base: BaseId, view: &str, key: Uuid) -> Result<ViewKeyRevoked, Error> {
    let id = find(control, base, view).await?;
    let revoked =
        sqlx::query("UPDATE view_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND view_id = $2")
            .bind(key)
            .bind(id)
            .execute(control)
            .await?;
    if revoked.rows_affected() == 0 {
        return Err(ApiError::new(ErrorCode::NotFound, "No such key of this view.")
            .with("key", key.to_string())
            .into());
    }
    Ok(ViewKeyRevoked { id: key, base_id: base, slug: slug_of(control, id).await?, revoked: True })
}
