#!/bin/sh
# MinIO, a real S3-compatible server, for the tests of the AWS collector's S3
# path (internal/collect/aws, TestCollectMinIO). A test server only: it is
# built from source into the cache, never linked into vigil.
#
#   scripts/minio.sh start   build it into the cache if needed (go install of
#                            $MINIO_VERSION, about 7 minutes on 2 cores the first
#                            time), start it on 127.0.0.1 with
#                            throwaway test credentials and wait until it answers
#   scripts/minio.sh stop    stop the one this script started
#
# The test finds it through VIGIL_MINIO (the URL printed by start, default
# http://127.0.0.1:9099) with the access key vigil-test and the secret
# vigil-test-secret, and skips with a message when VIGIL_MINIO is unset.
# Cache: $VIGIL_CACHE/bin/minio (default ~/.cache/vigil/bin/minio), kept between runs.
set -eu
# The version built: the one `go install github.com/minio/minio@latest` gave
# when this was written (MinIO tags no Go module versions); "latest" works too.
MINIO_VERSION=${MINIO_VERSION:-v0.0.0-20260212201848-7aac2a2c5b7c}
CACHE=${VIGIL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vigil}
BIN=$CACHE/bin/minio
PORT=${VIGIL_MINIO_PORT:-9099}
RUN=$CACHE/minio-$PORT
PIDFILE=$RUN.pid

up() { curl -fsS -o /dev/null "http://127.0.0.1:$PORT/minio/health/live" 2>/dev/null; }

case ${1:-start} in
start)
	if up; then
		echo "minio: something already answers on 127.0.0.1:$PORT" >&2
		echo "VIGIL_MINIO=http://127.0.0.1:$PORT"
		exit 0
	fi
	if [ ! -x "$BIN" ] || [ "$(cat "$BIN.version" 2>/dev/null)" != "$MINIO_VERSION" ]; then
		echo "minio: building github.com/minio/minio@$MINIO_VERSION into $CACHE/bin (minutes, once)" >&2
		mkdir -p "$CACHE/bin"
		GOBIN="$CACHE/bin" GOFLAGS=-buildvcs=false go install "github.com/minio/minio@$MINIO_VERSION" >&2
		echo "$MINIO_VERSION" >"$BIN.version"
	fi
	rm -rf "$RUN.data"
	mkdir -p "$RUN.data"
	MINIO_ROOT_USER=vigil-test MINIO_ROOT_PASSWORD=vigil-test-secret MINIO_BROWSER=off MINIO_UPDATE=off \
		nohup "$BIN" server --quiet --address "127.0.0.1:$PORT" "$RUN.data" >"$RUN.log" 2>&1 &
	echo $! >"$PIDFILE"
	i=0
	until up; do
		i=$((i + 1))
		if [ "$i" -gt 150 ]; then
			echo "minio: not answering on 127.0.0.1:$PORT after 30s; log:" >&2
			cat "$RUN.log" >&2
			exit 1
		fi
		sleep 0.2
	done
	echo "minio: S3 on http://127.0.0.1:$PORT (pid $(cat "$PIDFILE"))" >&2
	echo "VIGIL_MINIO=http://127.0.0.1:$PORT"
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
