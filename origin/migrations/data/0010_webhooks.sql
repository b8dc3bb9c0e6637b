-- Webhooks: endpoints of a base, fed from its change log.
--
-- An endpoint keeps a position in the change log. A dispatcher reads the changes after it,
-- queues one delivery per change the endpoint takes, and moves the position in the same
-- transaction, so a change that committed is queued exactly once, whatever dies when.
-- Senders claim due deliveries with `FOR UPDATE SKIP LOCKED`; a claim moves
-- `next_attempt_at` past the attempt's timeout, so a delivery whose sender died is
-- claimed again later (at least once). A delivery waits for the earlier deliveries of
-- the same record to the same endpoint (in order per record).
CREATE TABLE nc.webhooks (
    id uuid PRIMARY KEY,
    base_id uuid NOT NULL,
    name text NOT NULL,
    url text NOT NULL,
    -- record.created, record.updated, record.deleted
    events text[] NOT NULL,
    -- The tables it follows (all when NULL).
    tables uuid[],
    -- A condition on the record (`where` form), for an endpoint of one table.
    filter jsonb,
    -- The signing key, base64 (shown once as `whsec_<key>`).
    secret text NOT NULL,
    position text NOT NULL,
    enabled boolean NOT NULL DEFAULT true,
    disabled_reason text,
    -- The first failed attempt since the last success.
    failing_since timestamptz,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_base ON nc.webhooks (base_id, created_at);

CREATE TABLE nc.webhook_deliveries (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    webhook_id uuid NOT NULL REFERENCES nc.webhooks ON DELETE CASCADE,
    -- The change's sequence number: with the base, the message id receivers deduplicate by.
    seq bigint NOT NULL,
    record_id uuid NOT NULL,
    event text NOT NULL,
    payload jsonb NOT NULL,
    state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    -- The attempts before the current series (a redelivery starts a new one).
    series_start integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_status integer,
    last_error text,
    last_latency_ms integer,
    created_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    UNIQUE (webhook_id, seq)
);
CREATE INDEX webhook_deliveries_due ON nc.webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_record ON nc.webhook_deliveries (webhook_id, record_id, seq) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_log ON nc.webhook_deliveries (webhook_id, id DESC);

-- Every attempt, for the delivery log.
CREATE TABLE nc.webhook_attempts (
    delivery_id bigint NOT NULL REFERENCES nc.webhook_deliveries ON DELETE CASCADE,
    attempt integer NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    status integer,
    latency_ms integer NOT NULL,
    error text,
    PRIMARY KEY (delivery_id, attempt)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON nc.webhooks, nc.webhook_deliveries, nc.webhook_attempts TO data_app_rw;
