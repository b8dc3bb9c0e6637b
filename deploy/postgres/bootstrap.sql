-- Cluster bootstrap, run once by the cluster superuser before any migration.
-- Creates the admin role (migrations and DDL only), the three least-privilege runtime
-- roles, and the three plane databases. Passwords are set by the operator; the local
-- development cluster authenticates loopback connections with `trust` instead.

SELECT 'CREATE ROLE nc_admin LOGIN CREATEROLE'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'nc_admin') \gexec
SELECT format('CREATE ROLE %I LOGIN', role)
FROM unnest(ARRAY['control_app_rw', 'data_app_rw', 'logs_app_rw']) AS role
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = role) \gexec

SELECT format('CREATE DATABASE %I OWNER nc_admin', db)
FROM unnest(ARRAY['nc_control', 'nc_data', 'nc_logs']) AS db
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = db) \gexec

-- Runtime roles connect only to their own plane.
REVOKE CONNECT ON DATABASE nc_control, nc_data, nc_logs FROM PUBLIC;
GRANT CONNECT ON DATABASE nc_control TO control_app_rw;
GRANT CONNECT ON DATABASE nc_data TO data_app_rw;
GRANT CONNECT ON DATABASE nc_logs TO logs_app_rw;
