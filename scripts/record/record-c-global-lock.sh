#!/bin/bash
# Example c-global-lock: global_lock (4 workers sharing one pthread mutex; every
# 2 s one of them holds it ~400 ms in rebuild_index_holding_lock) for 30 s at -F 99.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
check_env
NAME=c-global-lock
DIR=$(new_profile_dir $NAME)
record_clean $NAME 99 g 'worker-[0-9]+|global_lock' - -- "$BIN/global_lock" 30 "$DIR/global_lock.jsonl" 2 400
perf_script $NAME "$EXAMPLES/$NAME.perf.gz"
summarize "$EXAMPLES/$NAME.perf.gz" rebuild_index_holding_lock rehash_index_pass wait_for_global_lock handle_request \
  compute_request_digest '?update_shared_stats' maybe_rebuild_index
node "$RECORD_DIR/annotations.mjs" --kind $NAME --perf "$EXAMPLES/$NAME.perf.gz" \
  --log "$DIR/global_lock.jsonl" --out "$EXAMPLES/$NAME.annotations.json" | tee -a "$WORK/summary.txt"
