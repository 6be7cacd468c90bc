#!/bin/bash
# Example node-cache-refresh: a node:http price service under steady keep-alive
# load (~800 req/s from a separate load-gen process) that runs a 300-500 ms
# synchronous refreshPriceCache() at startup and every 10 s. 45 s at -F 49.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
check_env
NAME=node-cache-refresh
SECONDS_TOTAL=${NODE_EXAMPLE_SECONDS:-45}
DIR=$(new_profile_dir $NAME)
pids() { first_pid "$DIR/price-service.jsonl"; first_pid "$DIR/load-gen.jsonl"; }
record_clean $NAME 49 g 'price-service|load-gen|bash|sleep' pids -- bash "$RECORD_DIR/run-node-cache-refresh.sh" "$WORKLOADS" "$DIR" "$SECONDS_TOTAL" 800 8
PIDS=($(pids))
fix_maps $NAME "${PIDS[@]}"
perf_script $NAME "$EXAMPLES/$NAME.perf.gz"
stash_maps $NAME "${PIDS[@]}"
# "?name": reported, not required (TurboFan may inline these small helpers into their caller)
summarize "$EXAMPLES/$NAME.perf.gz" refreshPriceCache '?loadCatalogSnapshot' priceAllProducts sortPriceTable comparePriceEntries \
  '?indexPriceTable' handleQuoteRequest '?simulateDemandCurve' '?lookupPrices' '?scoreRecommendations' '?renderQuoteJson' \
  '?sendQuoteRequest' '?Scavenge' '?MarkCompact'
node "$RECORD_DIR/annotations.mjs" --kind $NAME --perf "$EXAMPLES/$NAME.perf.gz" \
  --log "$DIR/price-service.jsonl" --out "$REPO/test/fixtures/annotations/$NAME.log.json" | tee -a "$WORK/summary.txt"
