-- Saved views: structured definitions (never SQL) with versions and an active-version
-- pointer, published as read-only endpoints with a slug, an auth mode and a cache policy.

CREATE TABLE views (
    id uuid PRIMARY KEY,
    base_id uuid NOT NULL REFERENCES bases (id),
    table_id uuid NOT NULL REFERENCES tables (id),
    name text NOT NULL,
    active_version integer NOT NULL,
    published boolean NOT NULL DEFAULT false,
    -- Set when first published; unique across the service, it names the public URL.
    slug text UNIQUE,
    auth_mode text NOT NULL DEFAULT 'public' CHECK (auth_mode IN ('public', 'view_key', 'base_token')),
    cache jsonb NOT NULL DEFAULT '{"max_age": 60}',
    created_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz
);
CREATE UNIQUE INDEX views_base_name ON views (base_id, name) WHERE deleted_at IS NULL;

-- Every update is a new version; rollback moves the pointer back.
CREATE TABLE view_versions (
    view_id uuid NOT NULL REFERENCES views (id),
    version integer NOT NULL,
    definition jsonb NOT NULL,
    actor text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (view_id, version)
);

-- Keys of views published with the `view_key` auth mode; only the SHA-256 of a secret is kept.
CREATE TABLE view_keys (
    id uuid PRIMARY KEY,
    view_id uuid NOT NULL REFERENCES views (id),
    name text NOT NULL,
    secret_sha256 bytea NOT NULL CHECK (length(secret_sha256) = 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);
CREATE INDEX view_keys_view ON view_keys (view_id);

-- Origins cache published views by slug, and tell edges when one changes: any change to
-- a view or its keys notifies `nc_views` with `<base id>:<slug>` (the slug may be empty).
CREATE FUNCTION notify_view() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    target record;
BEGIN
    IF TG_TABLE_NAME = 'views' THEN
        PERFORM pg_notify('nc_views', NEW.base_id || ':' || coalesce(NEW.slug, ''));
        IF TG_OP = 'UPDATE' AND OLD.slug IS DISTINCT FROM NEW.slug THEN
            PERFORM pg_notify('nc_views', OLD.base_id || ':' || coalesce(OLD.slug, ''));
        END IF;
    ELSE
        SELECT base_id, slug INTO target FROM views WHERE id = NEW.view_id;
        PERFORM pg_notify('nc_views', target.base_id || ':' || coalesce(target.slug, ''));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER views_notify AFTER INSERT OR UPDATE ON views FOR EACH ROW EXECUTE FUNCTION notify_view();
CREATE TRIGGER view_keys_notify AFTER INSERT OR UPDATE ON view_keys FOR EACH ROW EXECUTE FUNCTION notify_view();

GRANT SELECT, INSERT, UPDATE ON views, view_versions, view_keys TO control_app_rw;
