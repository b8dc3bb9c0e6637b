-- Accounts and access: users, workspaces with role memberships, rotating refresh
-- tokens, and the log of schema operations.

CREATE TABLE users (
    id uuid PRIMARY KEY,
    -- Stored lowercased; unique.
    email text NOT NULL UNIQUE,
    name text NOT NULL,
    -- argon2id PHC string; the password itself is never stored or logged.
    password_hash text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    disabled_at timestamptz
);

CREATE TABLE workspaces (
    id uuid PRIMARY KEY,
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz
);

CREATE TABLE memberships (
    workspace_id uuid NOT NULL REFERENCES workspaces (id),
    user_id uuid NOT NULL REFERENCES users (id),
    role text NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'viewer')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

-- Bases created before workspaces existed have none; the admin CLI's bases stay so.
ALTER TABLE bases ADD COLUMN workspace_id uuid REFERENCES workspaces (id);
CREATE INDEX bases_workspace ON bases (workspace_id);

-- One row per refresh token. A refresh uses a token once and issues the next one in the
-- same family; presenting a used token again revokes the family (a stolen token was replayed).
CREATE TABLE refresh_tokens (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id),
    family uuid NOT NULL,
    secret_sha256 bytea NOT NULL CHECK (length(secret_sha256) = 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    revoked_at timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family);

-- Every schema change: what was asked, by whom, and how it ended.
CREATE TABLE schema_ops (
    id uuid PRIMARY KEY,
    base_id uuid NOT NULL REFERENCES bases (id),
    actor text NOT NULL,
    kind text NOT NULL,
    payload jsonb NOT NULL,
    status text NOT NULL CHECK (status IN ('pending', 'applied', 'failed')),
    error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);
CREATE INDEX schema_ops_base ON schema_ops (base_id, created_at);

GRANT SELECT, INSERT, UPDATE, DELETE ON users, workspaces, memberships, refresh_tokens, schema_ops TO control_app_rw;
