-- The control plane: tenants, bases, tables, fields and API tokens.
-- Runs as the admin role; the runtime role control_app_rw gets DML only.

CREATE TABLE tenants (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE bases (
    id uuid PRIMARY KEY,
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    name text NOT NULL,
    -- Bumped by every schema change; edges and origins compare it on every plan.
    catalog_version bigint NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz
);

CREATE TABLE tables (
    id uuid PRIMARY KEY,
    base_id uuid NOT NULL REFERENCES bases (id),
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz
);
CREATE UNIQUE INDEX tables_base_name ON tables (base_id, name) WHERE deleted_at IS NULL;

CREATE TABLE fields (
    id uuid PRIMARY KEY,
    table_id uuid NOT NULL REFERENCES tables (id),
    name text NOT NULL,
    type text NOT NULL CHECK (type IN ('text', 'number', 'boolean', 'datetime')),
    required boolean NOT NULL DEFAULT false,
    position integer NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz
);
CREATE UNIQUE INDEX fields_table_name ON fields (table_id, name) WHERE deleted_at IS NULL;
CREATE INDEX fields_table ON fields (table_id, position);

CREATE TABLE api_tokens (
    id uuid PRIMARY KEY,
    base_id uuid NOT NULL REFERENCES bases (id),
    name text NOT NULL,
    -- Only the SHA-256 of the secret is stored; the secret is shown once at creation.
    secret_sha256 bytea NOT NULL CHECK (length(secret_sha256) = 32),
    scopes text[] NOT NULL CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['read', 'write', 'delete']),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz,
    revoked_at timestamptz
);
CREATE INDEX api_tokens_base ON api_tokens (base_id);

-- Origins cache catalogs and token states; these notifications invalidate them at once.
-- The channel is the trigger's argument; the payload is the changed row's id.
CREATE FUNCTION notify_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(TG_ARGV[0], NEW.id::text);
    RETURN NEW;
END $$;
CREATE TRIGGER bases_notify AFTER UPDATE ON bases FOR EACH ROW EXECUTE FUNCTION notify_id('nc_catalog');
CREATE TRIGGER api_tokens_notify AFTER UPDATE ON api_tokens FOR EACH ROW EXECUTE FUNCTION notify_id('nc_tokens');

GRANT SELECT, INSERT, UPDATE, DELETE ON tenants, bases, tables, fields, api_tokens TO control_app_rw;
