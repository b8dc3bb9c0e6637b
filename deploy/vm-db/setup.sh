#!/usr/bin/env bash
# Prepares VM-DB's compose project in this directory (run once, as root, before
# `docker compose up -d`; again after editing .env to rewrite the derived files).
#
#   deploy/vm-db/setup.sh <VM-DB's private address>
#
# Writes .env with a random password for each role and for Redis (kept when .env
# exists), then the files derived from it: pgbouncer/userlist.txt and redis/auth.conf.
# All three are secrets (mode 0600) and stay out of version control.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
env_file="$here/.env"
umask 077

if [ ! -f "$env_file" ]; then
    address=${1:?usage: setup.sh <VM-DB private address>}
    secret() { openssl rand -hex 24; }
    cat > "$env_file" <<ENV
VM_DB_ADDRESS=$address
POSTGRES_SUPERUSER_PASSWORD=$(secret)
NC_ADMIN_PASSWORD=$(secret)
NC_CONTROL_PASSWORD=$(secret)
NC_DATA_PASSWORD=$(secret)
NC_LOGS_PASSWORD=$(secret)
REDIS_PASSWORD=$(secret)
ENV
    echo "setup: wrote $env_file (new passwords)"
fi
set -a
# shellcheck disable=SC1090
. "$env_file"
set +a

# PgBouncer checks clients against these and logs in to the data plane with them.
printf '"%s" "%s"\n' data_app_rw "$NC_DATA_PASSWORD" nc_admin "$NC_ADMIN_PASSWORD" > "$here/pgbouncer/userlist.txt"
printf 'requirepass %s\n' "$REDIS_PASSWORD" > "$here/redis/auth.conf"
# The containers read them as their own users (postgres, redis); the directory keeps
# every other user of VM-DB out.
chmod 0644 "$here/pgbouncer/userlist.txt" "$here/redis/auth.conf"
chmod 0700 "$here"
echo "setup: wrote pgbouncer/userlist.txt and redis/auth.conf from .env"
