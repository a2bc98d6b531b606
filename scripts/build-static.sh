#!/bin/sh
# Builds vigil as a statically linked executable (glibc, libstdc++ and libm
# linked in; no dynamic loader), for release archives that must run without
# the build machine's shared libraries. Not the default build: docs/iac.md
# ("Static binary") gives what it costs and what it still needs at run time.
#
#   scripts/build-static.sh [OUTPUT]     (default ./vigil)
#
# netgo and osusergo keep Go's resolver and user lookups in Go; the linker
# still warns that DuckDB's dlopen (extensions downloaded at run time, which
# vigil does not use), getaddrinfo (its HTTP client) and getpwuid (home
# directory) need the same glibc's shared NSS modules when they are called.
# disable_grpc_modules (cloud.google.com/go/storage's documented opt-out)
# leaves out that client's gRPC Direct Path (xDS, Envoy's protos), which only
# Grype's database download client pulls in, and grpcnotrace gRPC's
# /debug/requests tracing; vigil uses neither. Together: 19 MB of executable
# and about 10 MB of every command's peak memory (docs/iac.md, "Start-up").
set -eu
cd "$(dirname "$0")/.."
out=${1:-vigil}
CGO_ENABLED=1 go build -tags netgo,osusergo,disable_grpc_modules,grpcnotrace -ldflags '-extldflags=-static' -o "$out" ./cmd/vigil
file "$out" 2>/dev/null || true
