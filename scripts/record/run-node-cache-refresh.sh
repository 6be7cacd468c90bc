#!/bin/bash
# Driver run under perf for the node-cache-refresh example (not meant to be run
# on its own): starts price-service, waits for its port, runs load-gen against
# it, then waits for the service to exit.
# Usage: run-node-cache-refresh.sh WORKLOADS_DIR OUT_DIR SECONDS RATE CONNECTIONS [REFRESH_EVERY_S FIRST_REFRESH_S]
# Environment: SERVICE_FLAGS (more node flags for the service, e.g. --trace-gc),
# SERVICE_STDOUT (a file for the service's standard output; default inherited).
set -euo pipefail
W="$1"; D="$2"; S="$3"; RATE="$4"; CONN="$5"; EVERY="${6:-10}"; FIRST="${7:-5}"
FLAGS=(--perf-basic-prof --interpreted-frames-native-stack)
read -r -a EXTRA <<< "${SERVICE_FLAGS:-}"
OUTFILE="${SERVICE_STDOUT:-/dev/stdout}"
rm -f "$D/port.txt"
# refresh every EVERY s (default 10), the first one FIRST s (default 5) after start
node "${FLAGS[@]}" "${EXTRA[@]}" "$W/node/price-service.mjs" "$D/port.txt" "$D/price-service.jsonl" "$S" "$EVERY" "$FIRST" > "$OUTFILE" &
SERVICE=$!
for _ in $(seq 200); do [ -s "$D/port.txt" ] && break; sleep 0.05; done
[ -s "$D/port.txt" ] || { echo "price-service did not start" >&2; kill "$SERVICE"; exit 1; }
# the load stops ~2 s before the service exits
node "${FLAGS[@]}" "$W/node/load-gen.mjs" "$D/port.txt" "$D/load-gen.jsonl" "$((S - 2))" "$RATE" "$CONN"
wait "$SERVICE"
