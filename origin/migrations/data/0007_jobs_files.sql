-- Bulk work and stored objects, in a schema of their own that the runtime role may use
-- (it has no rights on `public`).
CREATE SCHEMA nc;
GRANT USAGE ON SCHEMA nc TO data_app_rw;
--
-- A job is a row: origin workers claim it with `FOR UPDATE SKIP LOCKED` and hold a lease
-- they renew while they work; a job whose lease ran out (its worker died) is claimed
-- again and resumes from `resume`, which each batch updates in the transaction that
-- writes its rows, so a batch is either loaded and counted or neither.
CREATE TABLE nc.jobs (
    id uuid PRIMARY KEY,
    base_id uuid NOT NULL,
    table_id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('import_csv', 'export_csv')),
    state text NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    -- What to do (the source and mapping of an import, the list plan of an export) and
    -- who asked, re-checked when the job runs.
    request jsonb NOT NULL,
    catalog_version bigint NOT NULL,
    actor text NOT NULL,
    request_id text NOT NULL,
    rows_read bigint NOT NULL DEFAULT 0,
    rows_written bigint NOT NULL DEFAULT 0,
    bytes_read bigint NOT NULL DEFAULT 0,
    bytes_total bigint,
    error_count bigint NOT NULL DEFAULT 0,
    resume jsonb,
    result jsonb,
    error jsonb,
    cancel_requested boolean NOT NULL DEFAULT false,
    attempts integer NOT NULL DEFAULT 0,
    lease_until timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    finished_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_open ON nc.jobs (created_at) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_base ON nc.jobs (base_id, created_at DESC);

-- The rows an import rejected, one per problem; `line` is the CSV line the row starts on.
CREATE TABLE nc.job_errors (
    job_id uuid NOT NULL REFERENCES nc.jobs ON DELETE CASCADE,
    line bigint NOT NULL,
    field text NOT NULL,
    code text NOT NULL,
    message text NOT NULL,
    PRIMARY KEY (job_id, line, field)
);

-- Objects in the bucket: uploads announced by `files:signUpload` (pending until a use
-- saw them in the store with the announced size and checksum) and the results of jobs.
CREATE TABLE nc.files (
    id uuid PRIMARY KEY,
    base_id uuid NOT NULL,
    object_key text NOT NULL UNIQUE,
    name text NOT NULL,
    size bigint NOT NULL,
    content_type text NOT NULL,
    sha256 text,
    purpose text NOT NULL CHECK (purpose IN ('import', 'export', 'error_report')),
    state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'committed')),
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    committed_at timestamptz
);
CREATE INDEX files_base ON nc.files (base_id, created_at DESC);

GRANT SELECT, INSERT, UPDATE, DELETE ON nc.jobs, nc.job_errors, nc.files TO data_app_rw;
