#!/usr/bin/env bash
# npm run test:e2e:compat: the compatibility subset of the e2e suite (jest.e2e-compat.config.js) on the
# other n8n versions of the matrix (e2e/matrix.json): the newest n8n 1.x and the newest 2.x, resolved from
# the npm registry now (e2e/lib/n8n-versions.js; N8N_E2E_COMPAT_V1 / N8N_E2E_COMPAT_V2 pin them, *_NODE the
# Node binary). Each version gets its own cache folder $N8N_E2E_CACHE_ROOT/n8n-<version> (default: the folder
# holding $N8N_E2E_CACHE if set, else <repo>/.cache) and its own run folder e2e/.work/compat-<version>-<time>.
# When the newest version cannot be installed from the registry (a dependency version it names is missing),
# the next older one is tried (up to 3) and the summary says so. The pinned 2.x runs the full suite in
# npm run test:e2e, not here. Extra arguments go to jest.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== e2e compat: %s\n' "$*" >&2; }

if [ -z "${N8N_E2E_CACHE_ROOT:-}" ]; then
	if [ -n "${N8N_E2E_CACHE:-}" ]; then N8N_E2E_CACHE_ROOT="$(dirname "$N8N_E2E_CACHE")"; else N8N_E2E_CACHE_ROOT="$PWD/.cache"; fi
fi
unset N8N_E2E_CACHE

# compat run folders (a few hundred MB each): keep the newest 4 (two runs of both versions)
{ ls -1dt e2e/.work/compat-* 2>/dev/null || true; } | tail -n +5 | while read -r old; do rm -rf "$old"; done

step "versions (npm registry)"
matrix="$(node e2e/lib/n8n-versions.js)"
pinned="$(node -p "require('./e2e/matrix.json').pinned.n8n")"

results=()
status=0
while IFS=$'\t' read -r name candidates node_version; do
	# the newest version that installs from this registry (ensure-n8n.sh exit 3: it cannot)
	n8n_version=""
	for candidate in ${candidates//,/ }; do
		[ "$candidate" = "$pinned" ] && { n8n_version="$candidate"; break; }
		step "$name: installing n8n $candidate on Node $node_version (cache $N8N_E2E_CACHE_ROOT/n8n-$candidate)"
		rc=0
		N8N_E2E_VERSION="$candidate" N8N_E2E_NODE_VERSION="$node_version" N8N_E2E_CACHE="$N8N_E2E_CACHE_ROOT/n8n-$candidate" \
			bash e2e/lib/ensure-n8n.sh >/dev/null </dev/null || rc=$?
		if [ "$rc" = 0 ]; then n8n_version="$candidate"; break; fi
		if [ "$rc" != 3 ]; then break; fi
		results+=("$name: n8n $candidate cannot be installed from the npm registry (a dependency version is missing), tried the next older one")
	done
	if [ -z "$n8n_version" ]; then
		results+=("$name: no installable n8n among $candidates FAILED")
		status=1
		continue
	fi
	if [ "$n8n_version" = "$pinned" ]; then
		step "$name is n8n $n8n_version, the pinned version: covered by npm run test:e2e, skipped"
		results+=("$name: n8n $n8n_version = pinned, skipped")
		continue
	fi
	step "$name: n8n $n8n_version on Node $node_version"
	started=$(date +%s)
	if N8N_E2E_VERSION="$n8n_version" N8N_E2E_NODE_VERSION="$node_version" \
		N8N_E2E_CACHE="$N8N_E2E_CACHE_ROOT/n8n-$n8n_version" \
		E2E_RUN_DIR="$PWD/e2e/.work/compat-$n8n_version-$(date -u +%Y%m%dT%H%M%SZ)" \
		E2E_JEST_CONFIG=jest.e2e-compat.config.js E2E_KEEP_RUNS=0 \
		bash e2e/run.sh "$@" </dev/null; then
		results+=("$name: n8n $n8n_version on Node $node_version passed ($(( $(date +%s) - started )) s)")
	else
		results+=("$name: n8n $n8n_version on Node $node_version FAILED ($(( $(date +%s) - started )) s)")
		status=1
	fi
done <<< "$matrix"

step "summary"
printf '%s\n' "${results[@]}" >&2
exit "$status"
