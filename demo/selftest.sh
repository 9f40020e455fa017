#!/usr/bin/env bash
# Tries `npm start` the way a newcomer would, unattended: start it in the background, wait for its summary,
# run demo/check.js against it (REST API: sign-in, example workflows, trigger → ticket), then Ctrl-C it
# (SIGINT to its process group, as a terminal does) and check that nothing it started is left running.
#   bash demo/selftest.sh [--reset]        (exit code 0 = all good)
set -euo pipefail
cd "$(dirname "$0")/.."

out="demo/.work/selftest-npm-start.log"
mkdir -p demo/.work
: > "$out"
say() { printf '[selftest] %s\n' "$*"; }

# Its own session and process group, like a terminal's foreground job.
setsid npm start -- "$@" >"$out" 2>&1 < /dev/null &
leader=$!
say "npm start running as process group $leader (output: $out)"

cleanup() { kill -KILL -- "-$leader" 2>/dev/null || true; }
trap cleanup EXIT

for _ in $(seq 1 600); do
	grep -q 'is running' "$out" && break
	if ! kill -0 "$leader" 2>/dev/null; then cat "$out"; say "npm start exited before it was ready"; exit 1; fi
	sleep 1
done
grep -q 'is running' "$out" || { tail -40 "$out"; say "npm start was not ready within 10 minutes"; exit 1; }
sed -n '/=====/,$p' "$out"

# Everything the demo runs, by process id, to check afterwards: its process group, plus the process groups of
# its children (n8n runs in its own, with the task runner).
table="$(ps -eo pid=,ppid=,pgid=)"
groups="$(echo "$table" | awk -v g="$leader" '$3 == g {print $1}' | while read -r pid; do echo "$table" | awk -v p="$pid" '$2 == p {print $3}'; done | sort -u)"
started_pids="$(echo "$table" | awk -v gs=" $leader $(echo $groups) " 'index(gs, " " $3 " ") {print $1}')"

status=0
node demo/check.js || status=$?

say "Ctrl-C (SIGINT to the process group)"
kill -INT -- "-$leader"
for _ in $(seq 1 60); do
	kill -0 "$leader" 2>/dev/null || break
	sleep 1
done
sleep 1
left=""
for pid in $started_pids; do
	if kill -0 "$pid" 2>/dev/null; then left="$left $pid"; fi
done
tail -6 "$out"
if [ -n "$left" ]; then
	ps -o pid,args -p "$(echo $left | tr " " ",")" || true
	say "processes left running after Ctrl-C:$left"
	status=1
else
	say "no process left after Ctrl-C ($(echo $started_pids | wc -w) were running)"
fi
for port in "${N8N_PORT:-5678}" "${DEMO_SINK_PORT:-5690}" 5691 5692 5693 5694; do
	if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then say "port $port still answers"; status=1; fi
done
[ "$status" = 0 ] && say "PASS" || say "FAIL"
exit "$status"
