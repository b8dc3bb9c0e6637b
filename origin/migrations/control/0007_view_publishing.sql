-- A published view serves one pinned version. Editors' changes make new versions (the
-- active, edited one moves); the public URL serves another only once an admin publishes it.
ALTER TABLE views ADD COLUMN published_version integer;
UPDATE views SET published_version = active_version WHERE published;
ALTER TABLE views ADD CONSTRAINT views_published_version CHECK (NOT published OR published_version IS NOT NULL);

-- A view's projection is an explicit list: definitions stored with "every field" ([])
-- list the fields their table has now, so fields added later are not published.
UPDATE view_versions d
SET definition = jsonb_set(
    d.definition, '{fields}',
    coalesce(
        (SELECT jsonb_agg(f.id ORDER BY f.position, f.id) FROM fields f
         WHERE f.table_id = (d.definition ->> 'table')::uuid AND f.deleted_at IS NULL),
        '[]'::jsonb))
WHERE d.definition -> 'fields' = '[]'::jsonb;
