#!/usr/bin/env bash
# npm run test:e2e:queue: this package in n8n's queue mode (see README.md, "Queue mode"):
#   PostgreSQL + Redis (Debian packages, installed when missing) started privately on loopback ports,
#   n8n main (`n8n start`) + two `n8n worker` processes, EXECUTIONS_MODE=queue, one encryption key, each
#   process with its own user folder (the package installed in each, as on separate machines).
#   The jest suite (jest.e2e-queue.config.js, test/e2e/queue/) drives them against the simulated cloud.
# Everything lives in e2e/.work/queue-<time>/ and is stopped on exit. Extra arguments go to jest.
#
#   E2E_SKIP_APT=1   never run apt-get (fail if PostgreSQL or Redis is missing; QUEUE_E2E_SKIP_APT=1 too)
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== e2e queue: %s\n' "$*" >&2; }
log() { printf '[queue] %s\n' "$*" >&2; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

step "PostgreSQL and Redis"
if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ] || ! command -v redis-server >/dev/null; then
	bash e2e/lib/apt-install.sh queue postgresql redis-server
fi
PG_BIN="$(pg_bin)"
log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'), $(redis-server --version | awk '{print $1, $2, $3}')"

step "n8n runtime"
N8N_E2E_CACHE="$(bash e2e/lib/ensure-n8n.sh)"
export N8N_E2E_CACHE

step "build"
npm run build >&2

E2E_RUN_DIR="${E2E_RUN_DIR:-$PWD/e2e/.work/queue-$(date -u +%Y%m%dT%H%M%SZ)-$$}"
export E2E_RUN_DIR
mkdir -p "$E2E_RUN_DIR/package" "$E2E_RUN_DIR/services"
SERVICES="$E2E_RUN_DIR/services"

step "pack"
tarball_name="$(npm pack --silent --pack-destination "$E2E_RUN_DIR/package" | tail -1)"
E2E_PACKAGE_TARBALL="$E2E_RUN_DIR/package/$tarball_name"
export E2E_PACKAGE_TARBALL

free_port() { node -e "require('./e2e/lib/n8n.js').freePort().then((port) => console.log(port))"; }

# PostgreSQL runs as an unprivileged user: as root that is the packages' `postgres` user.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

PGDATA="$SERVICES/pgdata"
PGDATA_OUTSIDE=""
# as root, the postgres user must reach the data folder: a checkout under a folder only root may enter (e.g.
# mktemp -d's 0700) gets a data folder of its own under /tmp instead, removed on exit
if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$SERVICES"; then
	PGDATA_OUTSIDE="$(mktemp -d /tmp/m365d-queue-pg.XXXXXX)"
	chmod 755 "$PGDATA_OUTSIDE"
	PGDATA="$PGDATA_OUTSIDE/pgdata"
fi
REDIS_PIDFILE="$SERVICES/redis.pid"
stop_services() {
	if [ -f "$PGDATA/postmaster.pid" ]; then as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true; fi
	if [ -f "$REDIS_PIDFILE" ]; then kill "$(cat "$REDIS_PIDFILE")" 2>/dev/null || true; fi
	if [ -n "$PGDATA_OUTSIDE" ]; then cp "$PGDATA/postgres.log" "$SERVICES/" 2>/dev/null || true; rm -rf "$PGDATA_OUTSIDE"; fi
}
trap stop_services EXIT

step "start PostgreSQL and Redis on loopback ports"
QUEUE_E2E_PG_PORT="$(free_port)"
if [ "$(id -u)" = 0 ]; then install -d -o postgres -g postgres -m 700 "$PGDATA"; else install -d -m 700 "$PGDATA"; fi
as_pg "$PG_BIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$SERVICES/initdb.log" 2>&1 ||
	{ cat "$SERVICES/initdb.log" >&2; exit 1; }
as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/postgres.log" -w -t 60 \
	-o "-p $QUEUE_E2E_PG_PORT -k $PGDATA -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null ||
	{ cat "$PGDATA/postgres.log" >&2; exit 1; }
"$PG_BIN/psql" -h 127.0.0.1 -p "$QUEUE_E2E_PG_PORT" -U postgres -q -c 'CREATE DATABASE n8n' >/dev/null
log "PostgreSQL on 127.0.0.1:$QUEUE_E2E_PG_PORT (data $PGDATA)"

QUEUE_E2E_REDIS_PORT="$(free_port)"
redis-server --port "$QUEUE_E2E_REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$SERVICES" \
	--daemonize yes --pidfile "$REDIS_PIDFILE" --logfile "$SERVICES/redis.log"
for _ in $(seq 1 50); do
	redis-cli -h 127.0.0.1 -p "$QUEUE_E2E_REDIS_PORT" ping 2>/dev/null | grep -q PONG && break
	sleep 0.1
done
log "Redis on 127.0.0.1:$QUEUE_E2E_REDIS_PORT"
export QUEUE_E2E_PG_PORT QUEUE_E2E_REDIS_PORT

step "jest (run folder $E2E_RUN_DIR)"
npx jest -c jest.e2e-queue.config.js --runInBand "$@"
