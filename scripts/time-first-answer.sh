#!/bin/bash
# Times `npm start` to the first answered chat on a clean clone, twice: the first start (no
# word-vector cache, empty index) and the second. Prints wall time and the CPU time of every
# process of the start (npm, the bundler, the server), which a busy machine does not inflate.
#
#   scripts/time-first-answer.sh [REPO] [--link-modules DIR]
#
# REPO defaults to this checkout. Without --link-modules the clone runs `npm ci`; with it, the
# clone links DIR/node_modules instead (offline, or to leave the registry alone).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
MODULES=""
while [ $# -gt 0 ]; do
  case "$1" in
    --link-modules) MODULES="$2"; shift 2 ;;
    *) REPO="$1"; shift ;;
  esac
done
PORT=${PORT:-3917}
TICK=$(getconf CLK_TCK)
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
git clone -q "$REPO" "$DIR/clone"
cd "$DIR/clone"
if [ -n "$MODULES" ]; then ln -s "$MODULES/node_modules" node_modules; else npm ci --silent; fi
for run in first second; do
  started=$(date +%s.%N)
  PORT=$PORT setsid npm start > "$DIR/$run.log" 2>&1 &
  leader=$!
  until curl -sf -m 60 -X POST "localhost:$PORT/api/chat" -H 'content-type: application/json' \
      -d '{"message":"How did the Russell 2000 do in the first half of 2026?"}' -o /dev/null; do sleep 0.1; done
  ended=$(date +%s.%N)
  ticks=0
  # utime + stime + the waited-for children's, for every process of the start's group.
  for process in $(pgrep -g "$leader"); do
    ticks=$((ticks + $(awk '{print $14 + $15 + $16 + $17}' "/proc/$process/stat" 2>/dev/null || echo 0)))
  done
  printf '%s start: %.1f s wall, %.1f s CPU (load %s)\n' "$run" "$(echo "$ended - $started" | bc)" "$(echo "scale=2; $ticks / $TICK" | bc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
  grep -h "ready in" "$DIR/$run.log" || true
  kill -- -"$leader"
  wait "$leader" 2>/dev/null || true
done
