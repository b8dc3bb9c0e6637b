#!/usr/bin/env bash
# Runs once, when a plane's volume is first initialised (the postgres image's
# docker-entrypoint-initdb.d): the roles and databases of deploy/postgres/bootstrap.sql,
# then the passwords of the two roles that log in to this plane (NC_PLANE): nc_admin,
# for migrations and DDL, and the plane's runtime role. The other runtime roles exist
# here without a password, so they cannot log in.
set -euo pipefail
case "${NC_PLANE:?}" in
    nc_control) runtime=control_app_rw; password=${NC_CONTROL_PASSWORD:?} ;;
    nc_data) runtime=data_app_rw; password=${NC_DATA_PASSWORD:?} ;;
    nc_logs) runtime=logs_app_rw; password=${NC_LOGS_PASSWORD:?} ;;
    *) echo "NC_PLANE must be nc_control, nc_data or nc_logs, not $NC_PLANE" >&2; exit 1 ;;
esac
psql=(psql -v ON_ERROR_STOP=1 --no-psqlrc -U "${POSTGRES_USER:-postgres}" -d postgres)
"${psql[@]}" -f "${NC_BOOTSTRAP_SQL:-/opt/nc-lcdbaas/bootstrap.sql}"
"${psql[@]}" -v admin_password="${NC_ADMIN_PASSWORD:?}" -v runtime="$runtime" -v password="$password" <<'SQL'
ALTER ROLE nc_admin PASSWORD :'admin_password';
ALTER ROLE :"runtime" PASSWORD :'password';
SQL
