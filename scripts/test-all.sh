#!/usr/bin/env bash
# Everything that proves the package works, from a fresh clone: install, lint, build, unit and
# integration tests (jest against the simulated Microsoft cloud), then the end-to-end suite inside a
# real n8n 2.40.7 (installed into .cache/ on first use).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s\n' "$*"; }

step "install dependencies (npm ci)"
npm ci --no-audit --no-fund

step "lint (n8n community rules)"
npm run lint

step "build"
npm run build

step "unit and integration tests"
npm test -- --ci

step "end-to-end tests in a real n8n"
npm run test:e2e

step "queue mode: n8n main + 2 workers on PostgreSQL and Redis (installs them with apt-get when missing)"
npm run test:e2e:queue

# The version matrix's other n8n versions (newest 1.x and 2.x): opt-in, it roughly doubles the run from a
# cold cache (two more n8n installs of ~12 min each on 2 busy cores, ~14 min of tests per version).
if [ "${TEST_ALL_COMPAT:-}" = 1 ]; then
	step "compatibility subset on the newest n8n 1.x and 2.x (TEST_ALL_COMPAT=1)"
	npm run test:e2e:compat
fi
