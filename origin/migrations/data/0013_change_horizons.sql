-- The change log is kept for a while (its plan's `change_log_retention_days`), then pruned,
-- but only the changes every reader that must see them has read: the audit log's copier
-- and each webhook endpoint. `horizon` is the newest transaction whose changes were
-- pruned: a position whose snapshot does not see it (its xmin is not past it) may have
-- missed pruned changes, and a stream resuming from it is told to start over (`reset`).
CREATE TABLE nc.change_horizons (
    base_id uuid PRIMARY KEY,
    horizon xid8 NOT NULL
);
GRANT SELECT, INSERT, UPDATE ON nc.change_horizons TO data_app_rw;
