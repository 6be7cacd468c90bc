#!/bin/bash
# Build the C and Java workloads into $SUBSECOND_RECORD_WORK (default /tmp/subsecond-record).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
check_env
for prog in deep_walk global_lock; do
  gcc "${CFLAGS_WORKLOAD[@]}" -o "$BIN/$prog" "$WORKLOADS/c/$prog.c"
done
rm -rf "$CLASSES"; mkdir -p "$CLASSES"
javac -d "$CLASSES" "$WORKLOADS/java/Busy.java" "$WORKLOADS/java/RequestChurn.java"
node --check "$WORKLOADS/node/order-pricing.mjs"
node --check "$WORKLOADS/node/price-service.mjs"
node --check "$WORKLOADS/node/load-gen.mjs"
log "built workloads into $BIN and $CLASSES"
