-- The platform operators read every tenant's events newest first.
CREATE INDEX audit_events_at ON audit_events (at DESC, id DESC);
