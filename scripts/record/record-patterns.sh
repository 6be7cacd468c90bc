#!/bin/bash
# Captures for the pattern detectors (test/fixtures/patterns/), each with the episodes
# its workload logged itself (CLOCK_MONOTONIC ns, the perf -k CLOCK_MONOTONIC clock)
# beside it as NAME.episodes.jsonl (episodes.mjs turns a workload's log into it):
#   zoo-timers-49        pattern_zoo timers, -F 49: a 1 s timer thread, a busy-wait
#                        creep, 300 ms stop-the-world pauses over a light load
#   zoo-blocking-99      pattern_zoo blocking, -F 99: 400 ms I/O stalls of every worker
#                        and 3 s batches every 12 s over a heavy load
#   global-lock-99       global_lock, -F 99, 40 s: every 3 s one of 4 workers holds the
#                        global mutex ~400 ms while the others wait for it
#   node-refresh-49      price-service + load-gen, -F 49, 45 s: a synchronous 300-500 ms
#                        cache refresh every 6 s on the service's one JS thread
#   jvm-refresh-99       RequestChurn under G1, -F 99, 40 s: a cache refresh under a
#                        write lock every 7 s, a System.gc() full collection every 7 s
#                        and young pauses, most of them ≥ 100 ms (a large live set)
# Usage: record-patterns.sh [NAME...]   (default: all)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
check_env
OUT="$REPO/test/fixtures/patterns"
mkdir -p "$OUT"
record_zoo() {
  local name="$1" mode="$2" freq="$3"
  local dir
  gcc "${CFLAGS_WORKLOAD[@]}" -o "$BIN/pattern_zoo" "$WORKLOADS/c/pattern_zoo.c"
  dir=$(new_profile_dir "$name")
  record_clean "$name" "$freq" g 'worker-[0-9]+|ticker|poller|pattern_zoo' - -- "$BIN/pattern_zoo" "$mode" 40 "$dir/episodes.jsonl"
  perf_script "$name" "$OUT/$name.perf.gz"
  cp "$dir/episodes.jsonl" "$OUT/$name.episodes.jsonl"
}
record_global_lock() {
  local name=global-lock-99 dir
  gcc "${CFLAGS_WORKLOAD[@]}" -o "$BIN/global_lock" "$WORKLOADS/c/global_lock.c"
  dir=$(new_profile_dir "$name")
  record_clean "$name" 99 g 'worker-[0-9]+|global_lock' - -- "$BIN/global_lock" 40 "$dir/global_lock.jsonl" 3 400
  perf_script "$name" "$OUT/$name.perf.gz"
  node "$RECORD_DIR/episodes.mjs" global-lock "$dir/global_lock.jsonl" > "$OUT/$name.episodes.jsonl"
}
record_node_refresh() {
  local name=node-refresh-49 dir
  dir=$(new_profile_dir "$name")
  pids() { first_pid "$dir/price-service.jsonl"; first_pid "$dir/load-gen.jsonl"; }
  record_clean "$name" 49 g 'price-service|load-gen|bash|sleep' pids -- bash "$RECORD_DIR/run-node-cache-refresh.sh" "$WORKLOADS" "$dir" 45 800 8 6 5
  local p=($(pids))
  fix_maps "$name" "${p[@]}"
  perf_script "$name" "$OUT/$name.perf.gz"
  stash_maps "$name" "${p[@]}"
  node "$RECORD_DIR/episodes.mjs" price-service "$dir/price-service.jsonl" > "$OUT/$name.episodes.jsonl"
}
record_jvm_refresh() {
  local name=jvm-refresh-99 dir
  javac -d "$CLASSES" "$WORKLOADS/java/RequestChurn.java"
  dir=$(new_profile_dir "$name")
  pids() { first_pid "$dir/request-churn.jsonl"; }
  # 4000 sessions (~100 MB live) make young pauses copy a lot and full ones mark a lot:
  # most pauses last 100-350 ms on 2 vCPUs.
  record_clean "$name" 99 g 'worker-[0-9]+|cache-refresh|gc-trigger|latency-log' pids -- java -XX:+UseG1GC -Xms512m -Xmx512m -Xmn160m "${JAVA_PROF_FLAGS[@]}" \
    -XX:CompileCommand=quiet '-XX:CompileCommand=dontinline,RequestChurn::*' \
    -Dchurn.refreshEvery=7 -Dchurn.systemGcEvery=7 -Dchurn.intervalUs=4000 -Dchurn.latencyCsv="$dir/latency.csv" -Dchurn.appLog="$dir/app.log" \
    "-Xlog:gc:file=$dir/gc.log:tn,un,tid,tags" \
    -cp "$CLASSES" RequestChurn 40 "$dir/request-churn.jsonl" 4 4000
  local p; p=$(pids)
  fix_maps "$name" "$p"
  perf_script "$name" "$OUT/$name.perf.gz"
  stash_maps "$name" "$p"
  node "$RECORD_DIR/episodes.mjs" request-churn "$dir/request-churn.jsonl" "$dir/gc.log" > "$OUT/$name.episodes.jsonl"
}
ALL=(zoo-timers-49 zoo-blocking-99 global-lock-99 node-refresh-49 jvm-refresh-99)
for name in "${@:-${ALL[@]}}"; do
  case "$name" in
    zoo-timers-49) record_zoo zoo-timers-49 timers 49 ;;
    zoo-blocking-99) record_zoo zoo-blocking-99 blocking 99 ;;
    global-lock-99) record_global_lock ;;
    node-refresh-49) record_node_refresh ;;
    jvm-refresh-99) record_jvm_refresh ;;
    *) die "unknown capture $name (one of ${ALL[*]})" ;;
  esac
done
