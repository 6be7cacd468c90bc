#!/bin/bash
# Example jvm-g1-gc: RequestChurn (4 worker threads, heavy allocation of
# medium-lived objects) under G1 with a 256 MB heap for 40 s at -F 99 (pauses last
# ~15-30 ms: 99 Hz gives them a few samples each); a G1 pause about every 0.3 s,
# placed on the perf clock by -Xlog's "tn" decoration.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
check_env
NAME=jvm-g1-gc
DIR=$(new_profile_dir $NAME)
pids() { first_pid "$DIR/request-churn.jsonl"; }
# dontinline keeps each RequestChurn method a frame of its own (C2 would otherwise
# fold handleRequest and most of its callees into workerLoop); JDK code still inlines.
record_clean $NAME 99 g 'worker-[0-9]+' pids -- java -XX:+UseG1GC -Xms256m -Xmx256m -Xmn160m "${JAVA_PROF_FLAGS[@]}" \
  -XX:CompileCommand=quiet '-XX:CompileCommand=dontinline,RequestChurn::*' \
  "-Xlog:gc*,safepoint:file=$DIR/gc.log:tn,un,tid,tags" \
  -cp "$CLASSES" RequestChurn 40 "$DIR/request-churn.jsonl" 4
PID=$(pids)
fix_maps $NAME "$PID"
perf_script $NAME "$EXAMPLES/$NAME.perf.gz"
stash_maps $NAME "$PID"
summarize "$EXAMPLES/$NAME.perf.gz" RequestChurn.workerLoop RequestChurn.handleRequest RequestChurn.buildRequestPayload RequestChurn.parseLineItems \
  RequestChurn.priceLineItems RequestChurn.renderResponse RequestChurn.storeSession G1ParEvacuateFollowersClosure '?G1ConcurrentMark'
node "$RECORD_DIR/annotations.mjs" --kind $NAME --perf "$EXAMPLES/$NAME.perf.gz" --top 6 \
  --log "$DIR/gc.log" --out "$EXAMPLES/$NAME.annotations.json" | tee -a "$WORK/summary.txt"
