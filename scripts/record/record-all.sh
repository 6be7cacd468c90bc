#!/bin/bash
# Rebuild the workloads and re-record every fixture and example profile.
# Usage: sudo scripts/record/record-all.sh [fixtures|examples|all]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
check_env
WHAT="${1:-all}"
: > "$WORK/summary.txt"
"$RECORD_DIR/build-workloads.sh"
if [ "$WHAT" = all ] || [ "$WHAT" = fixtures ]; then
  "$RECORD_DIR/record-c-deep.sh"
  "$RECORD_DIR/record-c-nocallchain.sh"
  "$RECORD_DIR/record-node-jit.sh"
  "$RECORD_DIR/record-java-perfmap.sh"
  "$RECORD_DIR/record-c-period.sh"
fi
if [ "$WHAT" = all ] || [ "$WHAT" = examples ]; then
  "$RECORD_DIR/record-c-global-lock.sh"
  "$RECORD_DIR/record-node-cache-refresh.sh"
  "$RECORD_DIR/record-jvm-g1-gc.sh"
fi
log "done; summary in $WORK/summary.txt"
