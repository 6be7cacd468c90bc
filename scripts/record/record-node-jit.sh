#!/bin/bash
# Fixture node-jit: order-pricing.mjs (parseOrder, priceBasket, ...) for 2.5 s
# under node --perf-basic-prof, -F 49; JS frames resolve via /tmp/perf-PID.map.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
check_env
NAME=node-jit
DIR=$(new_profile_dir $NAME)
pids() { first_pid "$DIR/order-pricing.jsonl"; }
record_clean $NAME 49 g 'order-pricing' pids -- node "${NODE_PROF_FLAGS[@]}" "$WORKLOADS/node/order-pricing.mjs" 2.5 "$DIR/order-pricing.jsonl"
PID=$(pids)
fix_maps $NAME "$PID"
perf_script $NAME "$FIXTURES/$NAME.perf"
perf_reports $NAME "$FIXTURES"
stash_maps $NAME "$PID"
summarize_fixture $NAME parseOrder priceBasket runPricingBatch runPricingLoop '?summariseBatch' '?makeOrderLine'
