-- Records per base on a data plane: for each base schema (b_<base id>), its tables and the
-- exact count of their records. Run it on a restored copy and on the live plane to
-- compare them (deploy/RUNBOOK.md, "Validate integrity"); it reads every table, so run it
-- on the live plane off-peak.
--
--   docker compose exec -T data-db psql -U postgres -d nc_data -X -A -t -F ' ' < postgres/base-counts.sql
SELECT table_schema AS base,
       count(*) AS tables,
       sum((xpath('/row/n/text()',
                  query_to_xml(format('SELECT count(*) AS n FROM %I.%I', table_schema, table_name), false, true, ''))
           )[1]::text::bigint) AS records
FROM information_schema.tables
WHERE table_schema LIKE 'b\_%' AND table_name LIKE 't\_%' AND table_type = 'BASE TABLE'
GROUP BY table_schema
ORDER BY table_schema;
