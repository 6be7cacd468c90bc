#!/bin/bash
# Fixtures for the timelines beside the heat map (test/fixtures/timeline/):
#  jvm-latency: RequestChurn in latency mode under G1 (4 workers on an open-loop
#    schedule, a cache refresh every 7 s that stalls requests), 30 s at -F 99, with
#    two GC logs of the same run (decorators time,uptimenanos,timenanos,tags and the
#    JVM's default set plus time: time,uptime,level,tags), the per-second latency CSV
#    and the application log; also copied to examples/ (the report site's timelines).
#  node-trace-gc: price-service with --trace-gc under load-gen, 20 s at -F 49; the
#    --trace-gc output is the service's standard output.
# Usage: sudo scripts/record/record-timelines.sh [jvm|node]   (default both)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
check_env
OUT="$REPO/test/fixtures/timeline"
mkdir -p "$OUT"
what="${1:-all}"

if [ "$what" = all ] || [ "$what" = jvm ]; then
  NAME=jvm-latency
  DIR=$(new_profile_dir $NAME)
  pids() { first_pid "$DIR/request-churn.jsonl"; }
  record_clean $NAME 99 g 'worker-[0-9]+|cache-refresh|latency-log' pids -- java -XX:+UseG1GC -Xms256m -Xmx256m -Xmn160m "${JAVA_PROF_FLAGS[@]}" \
    -XX:CompileCommand=quiet '-XX:CompileCommand=dontinline,RequestChurn::*' \
    -Dchurn.refreshEvery=7 -Dchurn.intervalUs=4000 -Dchurn.latencyCsv="$DIR/latency.csv" -Dchurn.appLog="$DIR/app.log" \
    "-Xlog:gc*:file=$DIR/gc.log:time,uptimenanos,timenanos,tags" \
    "-Xlog:gc*:file=$DIR/gc-time.log:time,uptime,level,tags" \
    -cp "$CLASSES" RequestChurn 30 "$DIR/request-churn.jsonl" 4
  PID=$(pids)
  fix_maps $NAME "$PID"
  perf_script $NAME "$OUT/$NAME.perf.gz"
  stash_maps $NAME "$PID"
  gzip -9 -n < "$DIR/gc.log" > "$OUT/$NAME.gc.log.gz"
  gzip -9 -n < "$DIR/gc-time.log" > "$OUT/$NAME.gc-time.log.gz"
  cp "$DIR/latency.csv" "$OUT/$NAME.metrics.csv"
  cp "$DIR/app.log" "$OUT/$NAME.events.log"
  # the workload's own log of each refresh in CLOCK_MONOTONIC ns: the truth the tests compare with
  grep '"refresh_' "$DIR/request-churn.jsonl" > "$OUT/$NAME.refresh.jsonl"
  # the same capture with its logs as an example: the report site draws them as tracks
  for f in perf.gz gc.log.gz metrics.csv events.log; do cp "$OUT/$NAME.$f" "$EXAMPLES/$NAME.$f"; done
  summarize "$OUT/$NAME.perf.gz" RequestChurn.loadPriceSnapshot RequestChurn.indexPriceSnapshot RequestChurn.handleRequest G1ParEvacuateFollowersClosure
fi

if [ "$what" = all ] || [ "$what" = node ]; then
  NAME=node-trace-gc
  DIR=$(new_profile_dir $NAME)
  pids() { first_pid "$DIR/price-service.jsonl"; first_pid "$DIR/load-gen.jsonl"; }
  export SERVICE_FLAGS=--trace-gc SERVICE_STDOUT="$DIR/trace-gc.log"
  record_clean $NAME 49 g 'price-service|load-gen|bash|sleep' pids -- bash "$RECORD_DIR/run-node-cache-refresh.sh" "$WORKLOADS" "$DIR" 20 600 8 6 3
  PIDS=($(pids))
  fix_maps $NAME "${PIDS[@]}"
  perf_script $NAME "$OUT/$NAME.perf.gz"
  stash_maps $NAME "${PIDS[@]}"
  gzip -9 -n < "$DIR/trace-gc.log" > "$OUT/$NAME.gc.log.gz"
  # the service's own log: its GC entries (PerformanceObserver) in CLOCK_MONOTONIC ns,
  # and the monotonic time of performance.now() = 0 (time_origin_ns)
  grep -E '"event":"(gc|start|clock)"' "$DIR/price-service.jsonl" | gzip -9 -n > "$OUT/$NAME.service.jsonl.gz"
  summarize "$OUT/$NAME.perf.gz" refreshPriceCache '?Scavenge' '?MarkCompact'
fi
ls -la "$OUT" >&2
