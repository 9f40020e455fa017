#!/usr/bin/env bash
# bash e2e/lib/apt-install.sh <label> <debian package>...: installs Debian packages the e2e runs need
# (Chromium for the editor test, PostgreSQL and Redis for queue mode) with apt-get, through sudo when not
# root. E2E_SKIP_APT=1 (or the older QUEUE_E2E_SKIP_APT=1) never runs apt-get: the caller's check fails.
set -euo pipefail
label="$1"; shift
log() { printf '[%s] %s\n' "$label" "$*" >&2; }
if [ "${E2E_SKIP_APT:-${QUEUE_E2E_SKIP_APT:-}}" = 1 ]; then
	log "missing: $* (E2E_SKIP_APT=1, so not installing)"
	exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null || { log "installing $* needs root: apt-get install -y $*"; exit 1; }
	SUDO="sudo"
fi
log "installing $* (apt-get)"
$SUDO apt-get update -qq >&2
# policy-rc.d-less containers may try to start packaged services (postgresql, redis); ours run separately
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >&2
