#!/bin/sh
# Installs the test oracle of internal/identity/aws (@cloud-copilot/iam-simulate,
# AGPL-3.0, a test oracle only: never committed, linked or shipped) from the npm
# registry into a cache folder, where the differential test finds it:
#   scripts/iam-oracle/install.sh && go test ./internal/identity/aws/ -run Oracle
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=${VIGIL_IAM_ORACLE:-${XDG_CACHE_HOME:-$HOME/.cache}/vigil/iam-oracle}
mkdir -p "$dir"
cp "$here/package.json" "$dir/package.json"
if [ -f "$here/package-lock.json" ]; then
	cp "$here/package-lock.json" "$dir/package-lock.json"
	(cd "$dir" && npm ci --no-audit --no-fund)
else
	(cd "$dir" && npm install --no-audit --no-fund)
fi
echo "iam-oracle installed in $dir"
