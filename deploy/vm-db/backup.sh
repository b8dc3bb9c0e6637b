#!/usr/bin/env bash
# pgBackRest on VM-DB: runs pgbackrest in each plane's container, as postgres (which owns
# the data directory and the repository), on the plane's stanza (pgbackrest/pgbackrest.conf).
#
#   deploy/vm-db/backup.sh init [plane...]    once, right after the first `docker compose up -d`
#   deploy/vm-db/backup.sh full [plane...]    nightly (systemd/nc-pgbackrest-full.timer)
#   deploy/vm-db/backup.sh incr [plane...]    hourly (systemd/nc-pgbackrest-incr.timer)
#   deploy/vm-db/backup.sh check [plane...]   the WAL reaches the repository; what it holds
#
# The planes are nc_control, nc_data and nc_logs; all three when none is named. init
# creates each stanza, checks that the plane's WAL reaches the repository, and takes the
# first full backup, which incremental backups build on; running it again changes nothing
# but takes another full backup. Until it has run, a plane keeps its WAL in pg_wal and logs
# each failed archive_command. Every plane is tried even when one fails; the exit status
# says whether all succeeded.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage="usage: backup.sh <init|full|incr|check> [nc_control|nc_data|nc_logs...]"
action=${1:?$usage}
shift
planes=("$@")
if [ ${#planes[@]} -eq 0 ]; then
    planes=(nc_control nc_data nc_logs)
fi

# The compose service of a plane.
container() {
    case "$1" in
        nc_control) echo control-db ;;
        nc_data) echo data-db ;;
        nc_logs) echo logs-db ;;
        *) echo "backup: no plane $1: $usage" >&2; return 1 ;;
    esac
}
for plane in "${planes[@]}"; do
    container "$plane" > /dev/null
done

# pgbackrest on the plane's stanza, in its container.
pgbackrest() {
    local plane=$1
    shift
    docker compose exec -T -u postgres "$(container "$plane")" pgbackrest --stanza="$plane" "$@"
}

case "$action" in
    init) run() { pgbackrest "$1" stanza-create && pgbackrest "$1" check && pgbackrest "$1" --type=full backup; } ;;
    full | incr) run() { pgbackrest "$1" --type="$action" backup; } ;;
    check) run() { pgbackrest "$1" check && pgbackrest "$1" info; } ;;
    *) echo "$usage" >&2; exit 2 ;;
esac

# compose.yml and .env are here.
cd "$here"
failed=()
for plane in "${planes[@]}"; do
    echo "backup: $action $plane"
    run "$plane" || failed+=("$plane")
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "backup: $action failed for ${failed[*]}" >&2
    exit 1
fi
echo "backup: $action done for ${planes[*]}"
