-- Accounts against hostile callers: invitations that make someone a member only once
-- they accept, sign-in failures counted per account and per client address, and what a
-- plan lets a tenant create.

-- An invitation to a workspace, by email: the address need not have an account yet,
-- and nothing tells the inviter whether it has one.
CREATE TABLE invitations (
    id uuid PRIMARY KEY,
    workspace_id uuid NOT NULL REFERENCES workspaces (id),
    -- Lowercased, like users.email.
    email text NOT NULL,
    role text NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'viewer')),
    invited_by uuid NOT NULL REFERENCES users (id),
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined', 'revoked')),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    answered_at timestamptz
);
-- One pending invitation per address and workspace: inviting again renews it.
CREATE UNIQUE INDEX invitations_pending ON invitations (workspace_id, email) WHERE status = 'pending';
CREATE INDEX invitations_email ON invitations (email) WHERE status = 'pending';

-- Sign-in failures per key (`account:<email>`, `address:<ip>`), stored as SHA-256 so
-- the table keeps no address or email of its own. `blocked_until` is the backoff.
CREATE TABLE sign_in_failures (
    key_sha256 bytea PRIMARY KEY CHECK (length(key_sha256) = 32),
    failures integer NOT NULL CHECK (failures >= 0),
    last_failed_at timestamptz NOT NULL,
    blocked_until timestamptz
);
CREATE INDEX sign_in_failures_age ON sign_in_failures (last_failed_at);

-- What a plan lets a tenant create. Soft-dropped tables and fields keep their storage
-- (and their columns count towards Postgres's 1,600 per table), so they count too.
ALTER TABLE plans
    ADD COLUMN max_bases_per_workspace integer NOT NULL DEFAULT 50 CHECK (max_bases_per_workspace > 0),
    ADD COLUMN max_tables_per_base integer NOT NULL DEFAULT 100 CHECK (max_tables_per_base > 0),
    ADD COLUMN max_fields_per_table integer NOT NULL DEFAULT 200
        CHECK (max_fields_per_table BETWEEN 1 AND 1500),
    ADD COLUMN max_views_per_base integer NOT NULL DEFAULT 100 CHECK (max_views_per_base > 0),
    -- The base's catalog as the edges load and cache it (JSON bytes).
    ADD COLUMN max_catalog_bytes integer NOT NULL DEFAULT 1048576 CHECK (max_catalog_bytes >= 4096);

GRANT SELECT, INSERT, UPDATE ON invitations TO control_app_rw;
GRANT SELECT, INSERT, UPDATE, DELETE ON sign_in_failures TO control_app_rw;
