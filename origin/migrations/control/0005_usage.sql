-- Guardrails: plans with their default rate limit and monthly quota, per-token and
-- per-base overrides, and the daily usage the edges meter.

CREATE TABLE plans (
    name text PRIMARY KEY,
    -- The default rate limit of the plan's tokens and users: requests per sliding window.
    rate_limit_requests integer NOT NULL CHECK (rate_limit_requests > 0),
    rate_limit_window_seconds integer NOT NULL CHECK (rate_limit_window_seconds BETWEEN 1 AND 3600),
    -- Requests per base per calendar month (UTC); NULL is unlimited.
    monthly_requests bigint CHECK (monthly_requests >= 0)
);
INSERT INTO plans (name, rate_limit_requests, rate_limit_window_seconds, monthly_requests)
VALUES ('standard', 600, 60, NULL);

ALTER TABLE tenants ADD COLUMN plan text NOT NULL DEFAULT 'standard' REFERENCES plans (name);

-- A token's own limit, instead of its plan's; both or neither.
ALTER TABLE api_tokens ADD COLUMN rate_limit_requests integer CHECK (rate_limit_requests > 0);
ALTER TABLE api_tokens ADD COLUMN rate_limit_window_seconds integer
    CHECK (rate_limit_window_seconds BETWEEN 1 AND 3600);
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_rate_limit_whole
    CHECK ((rate_limit_requests IS NULL) = (rate_limit_window_seconds IS NULL));

-- A base's own monthly quota, instead of its plan's.
ALTER TABLE bases ADD COLUMN monthly_request_quota bigint CHECK (monthly_request_quota >= 0);

-- Requests served per base, principal (`token:<id>`, `user:<id>`, `public`) and UTC day.
CREATE TABLE usage_daily (
    base_id uuid NOT NULL REFERENCES bases (id),
    day date NOT NULL,
    principal text NOT NULL,
    api_calls bigint NOT NULL CHECK (api_calls >= 0),
    PRIMARY KEY (base_id, day, principal)
);

GRANT SELECT ON plans TO control_app_rw;
GRANT SELECT, INSERT, UPDATE ON usage_daily TO control_app_rw;
