#!/usr/bin/env bash
# npm run test:e2e: this package inside a real n8n 2.40.7 (see e2e/README.md).
#   1. make sure n8n + Node 24 are installed in the cache (.cache/n8n-2.40.7, or $N8N_E2E_CACHE)
#   2. build and `npm pack` the package
#   3. jest (jest.e2e.config.js): each suite installs the tarball into a fresh n8n user folder under
#      e2e/.work/<run>/ and drives n8n's CLI against the simulated Microsoft cloud.
# Extra arguments go to jest (e.g. `npm run test:e2e -- -t device`).
#   N8N_E2E_VERSION / N8N_E2E_NODE_VERSION  another n8n / Node than the pinned ones (e2e/lib/ensure-n8n.sh)
#   CHROMIUM_PATH                           another Chromium than Debian's (installed with apt-get when missing)
#   E2E_JEST_CONFIG                         another jest config (e2e/run-compat.sh: jest.e2e-compat.config.js)
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== e2e: %s\n' "$*" >&2; }

step "n8n runtime"
N8N_E2E_CACHE="$(bash e2e/lib/ensure-n8n.sh)"
export N8N_E2E_CACHE

step "Chromium (the editor test's browser)"
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
	if [ -n "${CHROMIUM_PATH:-}" ]; then echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2; exit 1; fi
	bash e2e/lib/apt-install.sh e2e chromium
fi
"$CHROMIUM" --version >&2 || true

step "build"
npm run build >&2

# Each run folder is a few hundred MB (n8n user folders with the package and its dependencies): keep the
# newest few (E2E_KEEP_RUNS, default 3, counting this one).
keep=$(( ${E2E_KEEP_RUNS:-3} - 1 ))
if [ -d e2e/.work ] && [ "$keep" -ge 0 ]; then
	{ ls -1dt e2e/.work/run-[0-9]* 2>/dev/null || true; } | tail -n +$(( keep + 1 )) | while read -r old; do rm -rf "$old"; done
fi

E2E_RUN_DIR="${E2E_RUN_DIR:-$PWD/e2e/.work/run-$(date -u +%Y%m%dT%H%M%SZ)-$$}"
export E2E_RUN_DIR
mkdir -p "$E2E_RUN_DIR/package"

step "pack"
tarball_name="$(npm pack --silent --pack-destination "$E2E_RUN_DIR/package" | tail -1)"
E2E_PACKAGE_TARBALL="$E2E_RUN_DIR/package/$tarball_name"
export E2E_PACKAGE_TARBALL
echo "packed $E2E_PACKAGE_TARBALL" >&2

step "jest (run folder $E2E_RUN_DIR)"
npx jest -c "${E2E_JEST_CONFIG:-jest.e2e.config.js}" --runInBand "$@"
