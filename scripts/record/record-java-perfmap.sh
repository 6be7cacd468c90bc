#!/bin/bash
# Fixture java-perfmap: Busy.java (threads busy-hash/busy-sort running
# Busy.spinHash / Busy.sortChunk) for 3 s, -F 49; JIT frames resolve via the
# /tmp/perf-PID.map written by -XX:+DumpPerfMapAtExit.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
check_env
NAME=java-perfmap
DIR=$(new_profile_dir $NAME)
pids() { first_pid "$DIR/busy.jsonl"; }
record_clean $NAME 49 g 'busy-(hash|sort)' pids -- java "${JAVA_PROF_FLAGS[@]}" -cp "$CLASSES" Busy 3 "$DIR/busy.jsonl"
PID=$(pids)
fix_maps $NAME "$PID"
perf_script $NAME "$FIXTURES/$NAME.perf"
perf_reports $NAME "$FIXTURES"
stash_maps $NAME "$PID"
summarize_fixture $NAME Busy.spinHash Busy.sortChunk '?Busy.mixRound' '?Busy.fillChunk'
