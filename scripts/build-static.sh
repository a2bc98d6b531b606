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
# grpcnotrace leaves out gRPC's /debug/requests tracing, which vigil does not
# use. (disable_grpc_modules, Cloud Storage's opt-out of xDS and Envoy's
# protos, is no longer needed: go-getter, the one importer of Cloud Storage,
# is replaced by third_party/hashicorp-go-getter.)
set -eu
cd "$(dirname "$0")/.."
out=${1:-vigil}
CGO_ENABLED=1 go build -tags netgo,osusergo,grpcnotrace -ldflags '-extldflags=-static' -o "$out" ./cmd/vigil
file "$out" 2>/dev/null || true
