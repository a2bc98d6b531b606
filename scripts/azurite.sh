#!/bin/sh
# Azurite, the Azure Storage emulator (npm package azurite), for the tests of
# the Azure collector's storage data-plane path (internal/collect/azure).
#
#   scripts/azurite.sh start   install it into the cache if needed, start its blob
#                              service on 127.0.0.1 and wait until it answers
#   scripts/azurite.sh stop    stop the one this script started
#
# The test finds it through AZURITE_BLOB_ENDPOINT (default
# http://127.0.0.1:10000/devstoreaccount1) and skips when nothing answers there.
# Cache: $VIGIL_CACHE/azurite (default ~/.cache/vigil/azurite), kept between runs.
set -eu
VERSION=${AZURITE_VERSION:-3.37.0}
CACHE=${VIGIL_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/vigil}/azurite
PORT=${AZURITE_BLOB_PORT:-10000}
PIDFILE=$CACHE/blob-$PORT.pid
BIN=$CACHE/node_modules/.bin/azurite-blob

up() { node -e "require('net').connect($PORT,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))"; }

case ${1:-start} in
start)
	if up; then
		echo "azurite: something already answers on 127.0.0.1:$PORT" >&2
		exit 0
	fi
	mkdir -p "$CACHE"
	if [ ! -x "$BIN" ] || ! grep -q "\"version\": \"$VERSION\"" "$CACHE/node_modules/azurite/package.json" 2>/dev/null; then
		echo "azurite: installing azurite@$VERSION into $CACHE" >&2
		npm install --prefix "$CACHE" --no-audit --no-fund --loglevel=error "azurite@$VERSION" >&2
	fi
	rm -rf "$CACHE/data-$PORT"
	nohup "$BIN" --blobHost 127.0.0.1 --blobPort "$PORT" --location "$CACHE/data-$PORT" --skipApiVersionCheck --silent \
		>"$CACHE/blob-$PORT.log" 2>&1 &
	echo $! >"$PIDFILE"
	i=0
	until up; do
		i=$((i + 1))
		if [ "$i" -gt 100 ]; then
			echo "azurite: not answering on 127.0.0.1:$PORT after 20s; log:" >&2
			cat "$CACHE/blob-$PORT.log" >&2
			exit 1
		fi
		sleep 0.2
	done
	echo "azurite: blob service on http://127.0.0.1:$PORT/devstoreaccount1 (pid $(cat "$PIDFILE"))" >&2
	;;
stop)
	if [ -f "$PIDFILE" ]; then
		kill "$(cat "$PIDFILE")" 2>/dev/null || true
		rm -f "$PIDFILE"
	fi
	;;
*)
	echo "usage: $0 start|stop" >&2
	exit 2
	;;
esac
