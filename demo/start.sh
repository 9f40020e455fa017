#!/usr/bin/env bash
# npm start: the one-command demo (see README.md, "Try it in one command"). From a fresh clone:
#   1. npm ci when node_modules is missing or older than package-lock.json
#   2. npm run build
#   3. n8n 2.40.7 + Node 24 into the shared cache (.cache/n8n-2.40.7, once; e2e/lib/ensure-n8n.sh)
#   4. node demo/start.js: pack + install the package into demo/.work, start the simulated tenant, the ticket
#      sink and n8n on http://localhost:5678 (N8N_PORT), import credentials and example workflows.
# Ctrl-C stops everything it started. Arguments go to demo/start.js (e.g. `npm start -- --reset`).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[demo] %s\n' "$*"; }

command -v node >/dev/null || { say "Node.js is needed (20 or newer): https://nodejs.org"; exit 1; }
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
	say "Node.js $(node --version) is too old: use Node 20 or newer (n8n itself runs on its own Node 24)"
	exit 1
fi

# npm writes node_modules/.package-lock.json on every install: older than package-lock.json = outdated.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	say "installing the development dependencies (npm ci)"
	npm ci --no-audit --no-fund --loglevel=error
fi

say "building the package (npm run build)"
if ! build_output=$(npm run --silent build 2>&1); then
	printf '%s\n' "$build_output"
	say "the build failed (above)"
	exit 1
fi

say "n8n runtime (the first time this downloads n8n 2.40.7 and Node 24: a few minutes)"
N8N_E2E_CACHE="$(bash e2e/lib/ensure-n8n.sh)"
export N8N_E2E_CACHE

exec node demo/start.js "$@"
