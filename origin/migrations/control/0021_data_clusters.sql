-- Data clusters: where each base's schema lives. The origins hold a pool per cluster
-- (their URLs are configuration, never rows) and route every plan, DDL, change-feed read
-- and job of a base to the cluster its row names. `main` is the data plane of
-- NC_DATA_URL, where every base created so far lives.
CREATE TABLE data_clusters (
    name text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9-]{0,39}$'),
    -- The placement policy places new bases only on accepting clusters.
    accepting boolean NOT NULL DEFAULT true,
    -- A cluster dedicated to a plan takes the new bases of that plan's tenants, and only
    -- theirs; a plan without one places its bases on the least loaded shared cluster.
    plan text REFERENCES plans (name) ON UPDATE CASCADE ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO data_clusters (name) VALUES ('main');
GRANT SELECT ON data_clusters TO control_app_rw;

ALTER TABLE bases ADD COLUMN cluster text NOT NULL DEFAULT 'main' REFERENCES data_clusters (name);
CREATE INDEX bases_cluster ON bases (cluster) WHERE deleted_at IS NULL;

-- A base that moves tells every origin at once: they drop the placement they cached.
CREATE FUNCTION nc_notify_placement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('nc_placement', NEW.id::text);
    RETURN NULL;
END $$;
CREATE TRIGGER bases_placement AFTER UPDATE OF cluster ON bases
    FOR EACH ROW WHEN (OLD.cluster IS DISTINCT FROM NEW.cluster) EXECUTE FUNCTION nc_notify_placement();
