#!/bin/sh
# PostgreSQL (Debian's postgresql package) for the tests of the history
# store's PostgreSQL engine (internal/history, vigil history, vigil diff).
#
#   scripts/postgres.sh start   install the package if absent, create a throwaway
#                               cluster on 127.0.0.1:$VIGIL_POSTGRES_PORT (55432),
#                               start it, and print its DSN on stdout
#   scripts/postgres.sh stop    stop that cluster and remove it
#   scripts/postgres.sh dsn     print the DSN
#
#   export VIGIL_POSTGRES=$(sh scripts/postgres.sh start)
#
# The tests read VIGIL_POSTGRES and skip the PostgreSQL cases when it is unset
# or nothing answers there. PostgreSQL refuses to run as root: as root the
# cluster belongs to the postgres user (created by the package) and lives in
# /tmp; otherwise under $VIGIL_CACHE/postgres (default ~/.cache/vigil/postgres).
# The cluster trusts local connections: for tests only.
set -eu
PORT=${VIGIL_POSTGRES_PORT:-55432}
DSN="postgres://vigil@127.0.0.1:$PORT/vigil?sslmode=disable"
if [ "$(id -u)" = 0 ]; then
	BASE=${TMPDIR:-/tmp}/vigil-postgres-$PORT
	RUNAS=postgres
else
	BASE=${VIGIL_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/vigil}/postgres/$PORT
	RUNAS=
fi
DATA=$BASE/data
LOG=$BASE/postgres.log

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# as runs a command as the cluster's owner.
as() {
	if [ -z "$RUNAS" ]; then
		"$@"
	elif command -v runuser >/dev/null 2>&1; then
		runuser -u "$RUNAS" -- "$@"
	else
		su "$RUNAS" -s /bin/sh -c '"$0" "$@"' -- "$@"
	fi
}

install() {
	[ -n "$(bindir)" ] && return 0
	echo "postgres: installing Debian's postgresql package" >&2
	SUDO=
	if [ "$(id -u)" != 0 ]; then
		if command -v sudo >/dev/null 2>&1; then
			SUDO=sudo
		else
			echo "postgres: not root and no sudo: cannot install postgresql" >&2
			exit 1
		fi
	fi
	$SUDO apt-get update >&2
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends postgresql >&2
	if [ -z "$(bindir)" ]; then
		echo "postgres: postgresql installed but no /usr/lib/postgresql/*/bin" >&2
		exit 1
	fi
}

case ${1:-start} in
start)
	install
	BIN=$(bindir)
	if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
		echo "postgres: something already answers on 127.0.0.1:$PORT" >&2
		echo "$DSN"
		exit 0
	fi
	if [ -f "$DATA/postmaster.pid" ]; then
		as "$BIN/pg_ctl" -D "$DATA" -m immediate stop >/dev/null 2>&1 || true
	fi
	rm -rf "$BASE"
	mkdir -p "$BASE"
	if [ -n "$RUNAS" ]; then chown "$RUNAS" "$BASE"; fi
	as "$BIN/initdb" -D "$DATA" -U vigil --auth=trust -E UTF8 --no-locale >"$BASE/initdb.log" 2>&1 || {
		echo "postgres: initdb failed:" >&2
		cat "$BASE/initdb.log" >&2
		exit 1
	}
	if ! as "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
		-o "-p $PORT -c listen_addresses=127.0.0.1 -k $BASE -c max_connections=200" start >/dev/null; then
		echo "postgres: did not start; log:" >&2
		cat "$LOG" >&2
		exit 1
	fi
	"$BIN/psql" -q -h 127.0.0.1 -p "$PORT" -U vigil -d postgres -c "CREATE DATABASE vigil" >&2
	echo "postgres: $("$BIN/postgres" --version) on 127.0.0.1:$PORT, data in $DATA" >&2
	echo "$DSN"
	;;
stop)
	BIN=$(bindir)
	if [ -n "$BIN" ] && [ -f "$DATA/postmaster.pid" ]; then
		as "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null || true
	fi
	rm -rf "$BASE"
	;;
dsn)
	echo "$DSN"
	;;
*)
	echo "usage: $0 start|stop|dsn" >&2
	exit 2
	;;
esac
