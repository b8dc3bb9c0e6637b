-- Schema evolution without SQL: field defaults, former names kept during a grace
-- period after a rename, schema_ops with the catalog change they commit, and
-- notifications that tell origins a user's access changed.

-- The JSON form of a field's default; the data plane's column default holds the same value.
ALTER TABLE fields ADD COLUMN default_value jsonb;

-- A former name resolves to its table (or field) until `expires_at`; names are checked
-- against live former names, so no two things answer to one name.
CREATE TABLE table_aliases (
    table_id uuid NOT NULL REFERENCES tables (id),
    base_id uuid NOT NULL REFERENCES bases (id),
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (table_id, name)
);
CREATE INDEX table_aliases_base ON table_aliases (base_id, expires_at);

CREATE TABLE field_aliases (
    field_id uuid NOT NULL REFERENCES fields (id),
    table_id uuid NOT NULL REFERENCES tables (id),
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (field_id, name)
);
CREATE INDEX field_aliases_table ON field_aliases (table_id, expires_at);

-- What each schema operation asked for and planned: `payload` holds the request, the
-- DDL steps and the catalog change, so recovery can finish an operation whose DDL
-- committed before its origin died.
ALTER TABLE schema_ops ADD COLUMN request_id text;
ALTER TABLE schema_ops ADD COLUMN dry_run boolean NOT NULL DEFAULT false;
CREATE INDEX schema_ops_pending ON schema_ops (base_id) WHERE status = 'pending';

-- Origins cache who may use which base; any change to a membership or an account
-- clears those entries at once.
CREATE FUNCTION notify_access() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('nc_access', '');
    RETURN NULL;
END $$;
CREATE TRIGGER memberships_notify AFTER INSERT OR UPDATE OR DELETE ON memberships
    FOR EACH STATEMENT EXECUTE FUNCTION notify_access();
CREATE TRIGGER users_notify AFTER UPDATE ON users FOR EACH STATEMENT EXECUTE FUNCTION notify_access();
CREATE TRIGGER bases_access_notify AFTER UPDATE ON bases FOR EACH STATEMENT EXECUTE FUNCTION notify_access();

GRANT SELECT, INSERT, UPDATE, DELETE ON table_aliases, field_aliases TO control_app_rw;
