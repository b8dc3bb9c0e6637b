#!/usr/bin/env bash
# VM-DB's firewall: only VM-Web reaches the databases, PgBouncer and Redis; SSH only from
# the operators' network; everything else is dropped.
#
#   deploy/vm-db/firewall.sh [--print] <VM-Web address> <operators' CIDR>
#
# The ports are the ones compose.yml publishes (read from it, so the two cannot drift).
# Docker's published ports are forwarded, not delivered to the host, so they are
# filtered in the DOCKER-USER chain, which Docker leaves to the administrator; the host's
# own ports (SSH) in INPUT. With --print the iptables commands are printed, not run.
# Persist the result with `apt install iptables-persistent` (netfilter-persistent save).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
run=run_it
if [ "${1:-}" = "--print" ]; then
    run=print_it
    shift
fi
web=${1:?usage: firewall.sh [--print] <VM-Web address> <operators CIDR>}
operators=${2:?usage: firewall.sh [--print] <VM-Web address> <operators CIDR>}
run_it() { iptables -w "$@"; }
print_it() { echo "iptables $*"; }

ports=$(grep -oE '\}:[0-9]+:[0-9]+"\]' "$here/compose.yml" | cut -d: -f2 | sort -n | uniq)
if [ -z "$ports" ]; then
    echo "firewall: found no published ports in $here/compose.yml" >&2
    exit 1
fi
if [ "$run" = run_it ]; then
    interface=$(ip -o route get "$web" | grep -oE 'dev [^ ]+' | cut -d' ' -f2)
else
    interface=${NC_FIREWALL_INTERFACE:-eth0}
fi

# The host: loopback, answers to its own connections, SSH from the operators.
$run -F INPUT
$run -A INPUT -i lo -j ACCEPT
$run -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
$run -A INPUT -p icmp -j ACCEPT
$run -A INPUT -p tcp -s "$operators" --dport 22 -j ACCEPT
$run -P INPUT DROP

# The containers: from the LAN interface, VM-Web to the published ports only. The
# published port is matched on the connection's original destination (before Docker's DNAT).
$run -F DOCKER-USER
$run -A DOCKER-USER -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN
for port in $ports; do
    $run -A DOCKER-USER -i "$interface" -p tcp -s "$web" -m conntrack --ctorigdstport "$port" --ctdir ORIGINAL -j RETURN
done
$run -A DOCKER-USER -i "$interface" -j DROP
$run -A DOCKER-USER -j RETURN
