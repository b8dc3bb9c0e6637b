-- Presence: who follows a table (or a published view) now. A row per open event stream
-- that asked for presence, renewed by the stream's heartbeat and removed when it ends;
-- a row whose stream's origin died is swept once it is 45 seconds old. Each change is
-- notified (`nc_presence`, `<base>:<scope>`) so that every origin tells its streams.
CREATE TABLE nc.presence (
    stream_id uuid PRIMARY KEY,
    base_id uuid NOT NULL,
    -- `table:<id>` or `view:<slug>`.
    scope text NOT NULL,
    -- `user:<id>`, `token:<id>` or `visitor` (a published view's caller).
    actor text NOT NULL,
    name text,
    since timestamptz NOT NULL DEFAULT now(),
    seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX presence_scope ON nc.presence (base_id, scope);
CREATE INDEX presence_seen ON nc.presence (seen_at);
GRANT SELECT, INSERT, UPDATE, DELETE ON nc.presence TO data_app_rw;
