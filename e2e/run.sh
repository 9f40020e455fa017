#!/usr/bin/env bash
# npm run test:e2e: this package inside a real n8n 2.40.7 (see e2e/README.md).
#   1. make sure n8n + Node 24 are installed in the cache (.cache/n8n-2.40.7, or $N8N_E2E_CACHE)
#   2. build and `npm pack` the package
#   3. jest (jest.e2e.config.js): each suite installs the tarball into a fresh n8n user folder under
#      e2e/.work/<run>/ and drives n8n's CLI against the simulated Microsoft cloud.
# Extra arguments go to jest (e.g. `npm run test:e2e -- -t device`).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== e2e: %s\n' "$*" >&2; }

step "n8n runtime"
N8N_E2E_CACHE="$(bash e2e/lib/ensure-n8n.sh)"
export N8N_E2E_CACHE

step "build"
npm run build >&2

E2E_RUN_DIR="${E2E_RUN_DIR:-$PWD/e2e/.work/run-$(date -u +%Y%m%dT%H%M%SZ)-$$}"
export E2E_RUN_DIR
mkdir -p "$E2E_RUN_DIR/package"

step "pack"
tarball_name="$(npm pack --silent --pack-destination "$E2E_RUN_DIR/package" | tail -1)"
E2E_PACKAGE_TARBALL="$E2E_RUN_DIR/package/$tarball_name"
export E2E_PACKAGE_TARBALL
echo "packed $E2E_PACKAGE_TARBALL" >&2

step "jest (run folder $E2E_RUN_DIR)"
npx jest -c jest.e2e.config.js --runInBand "$@"
