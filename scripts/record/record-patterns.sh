#!/bin/bash
# Captures for the pattern detectors (test/fixtures/patterns/): pattern_zoo's two
# modes, each logging its own episodes (CLOCK_MONOTONIC ns, the perf -k
# CLOCK_MONOTONIC clock) beside the capture as NAME.episodes.jsonl:
#   zoo-timers-49    timers, -F 49: a 1 s timer thread, a busy-wait creep, 300 ms
#                    stop-the-world pauses over a light load
#   zoo-blocking-99  blocking, -F 99: 400 ms I/O stalls of every worker and 3 s
#                    batches every 12 s over a heavy load
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
check_env
OUT="$REPO/test/fixtures/patterns"
mkdir -p "$OUT"
gcc "${CFLAGS_WORKLOAD[@]}" -o "$BIN/pattern_zoo" "$WORKLOADS/c/pattern_zoo.c"
record_zoo() {
  local name="$1" mode="$2" freq="$3"
  local dir
  dir=$(new_profile_dir "$name")
  record_clean "$name" "$freq" g 'worker-[0-9]+|ticker|poller|pattern_zoo' - -- "$BIN/pattern_zoo" "$mode" 40 "$dir/episodes.jsonl"
  perf_script "$name" "$OUT/$name.perf.gz"
  cp "$dir/episodes.jsonl" "$OUT/$name.episodes.jsonl"
}
record_zoo zoo-timers-49 timers 49
record_zoo zoo-blocking-99 blocking 99
