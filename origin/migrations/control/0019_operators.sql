-- The platform's operators, and tenants they suspend.

-- A user's role on the platform itself, granted only by the operator CLI
-- (`origin admin operator grant`); tenants' roles are memberships.
ALTER TABLE users ADD COLUMN platform_role text CHECK (platform_role IN ('operator'));

-- A suspended tenant's tokens, sessions and published views are refused until it resumes.
ALTER TABLE tenants
    ADD COLUMN suspended_at timestamptz,
    ADD COLUMN suspended_reason text CHECK (length(suspended_reason) <= 500),
    ADD CONSTRAINT tenants_suspension_whole CHECK ((suspended_at IS NULL) = (suspended_reason IS NULL));
CREATE INDEX tenants_suspended ON tenants (suspended_at) WHERE suspended_at IS NOT NULL;
CREATE INDEX tenants_name ON tenants (lower(name));

-- A tenant's suspension, resumption or plan reaches every cache at once: origins drop
-- what they cached (`nc_tenants`), and each of its bases' catalogs and published views
-- is pushed to the edges as changed (`nc_catalog`, `nc_views`), so that no cached
-- answer outlives the change.
CREATE FUNCTION notify_tenant() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('nc_tenants', NEW.id::text);
    PERFORM pg_notify('nc_catalog', b.id::text) FROM bases b WHERE b.tenant_id = NEW.id AND b.deleted_at IS NULL;
    PERFORM pg_notify('nc_views', v.base_id || ':' || v.slug) FROM views v JOIN bases b ON b.id = v.base_id
        WHERE b.tenant_id = NEW.id AND v.published AND v.slug IS NOT NULL AND v.deleted_at IS NULL;
    RETURN NULL;
END $$;
CREATE TRIGGER tenants_notify AFTER UPDATE ON tenants FOR EACH ROW
    WHEN (OLD.suspended_at IS DISTINCT FROM NEW.suspended_at OR OLD.plan IS DISTINCT FROM NEW.plan)
    EXECUTE FUNCTION notify_tenant();
