#!/usr/bin/env bash
# Records the benchmark's deep-stack capture: `perf record` of the whole machine (-a,
# all CPUs) while three programs keep both CPUs busy with deep stacks whose paths
# rarely repeat, then `perf script --header` of it:
#   bench/workload/deep.c            C, 25..90 levels of recursion through 96 functions
#   bench/workload/deep-parser.mjs   Node: a recursive-descent parser and evaluator (JIT
#                                    frames named through /tmp/perf-PID.map)
#   bench/workload/DeepVisitor.java  Java: visitors over trees of 24 node types (JIT
#                                    frames named through the map the JVM writes at exit)
#
# Usage: bench/record-deep.sh [SECONDS] [OUT]
#   SECONDS  recording length (default 55: about 6 MB of text a second on 2 CPUs)
#   OUT      output text (default bench/data/deep.perf)
# Environment (a shared machine: -a records every process on it):
#   QUIET_WAIT_S     before each attempt, wait up to this long for the machine to be idle
#                    (default 180; see scripts/record/lib.sh)
#   MAX_FOREIGN_PCT  record again when more than this share of the samples belongs to
#                    other processes (default 10)
#   RECORD_ATTEMPTS  at most this many recordings; the cleanest is kept (default 3)
# Needs root (or perf_event_paranoid ≤ -1), perf, gcc, node, javac and java. The binary
# perf.data is kept as OUT.data, and the JIT maps `perf script` read are kept in
# OUT.maps/ (copy them back to /tmp to run `perf script` on OUT.data again).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
seconds="${1:-55}"
out="${2:-$here/data/deep.perf}"
data="$out.data"
maps="$out.maps"
work="$here/data/deep-work"
max_foreign="${MAX_FOREIGN_PCT:-10}"
attempts="${RECORD_ATTEMPTS:-3}"
mkdir -p "$(dirname "$out")" "$work"

for tool in perf gcc node javac java; do
  command -v "$tool" >/dev/null || { echo "record-deep: $tool is not installed" >&2; exit 1; }
done
# wait_for_quiet
source "$here/../scripts/record/lib.sh"

echo "record-deep: building bench/workload/deep.c (gcc -O1 -fno-omit-frame-pointer -g) and DeepVisitor.java"
gcc -O1 -fno-omit-frame-pointer -g -pthread -Wall -o "$work/deep" "$here/workload/deep.c"
rm -rf "$work/classes"
javac -d "$work/classes" "$here/workload/DeepVisitor.java"

# The JIT maps of the kept attempt (in /tmp until perf script has read them) and of the
# attempt running now.
kept_pids=()
pids=()
drop_maps() {
  local pid
  for pid in "$@"; do rm -f "/tmp/perf-$pid.map"; done
}
cleanup() {
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null || true
  # After a failure: no map of ours may stay in /tmp (after success they are in $maps).
  drop_maps "${pids[@]}" "${kept_pids[@]}"
  rm -f "$work"/isolate-*-v8.log "$work/comm-pid.txt" "$data.try"
}
trap cleanup EXIT

# One recording into $data.try; sets pids (node, java, the C program) and foreign (the
# percentage of samples from any other process).
record_once() {
  # The JIT workloads start first and run a little longer than the recording, so their
  # code is compiled before it starts and their maps are complete when it ends (the JVM
  # writes its map only when it exits). They run in $work: --perf-basic-prof also leaves
  # an isolate-*-v8.log in the cwd. Each program runs in a session of its own (setsid),
  # as services do: with the kernel's autogroup scheduling, CPU time is shared out per
  # session, so three programs in one session would get one session's share.
  local run_for=$((seconds + 5)) node_pid java_pid deep_pid
  echo "record-deep: starting the Node parser (node --perf-basic-prof) and the JVM visitor (-XX:+DumpPerfMapAtExit)"
  (cd "$work" && exec setsid node --perf-basic-prof --interpreted-frames-native-stack "$here/workload/deep-parser.mjs" "$run_for" >/dev/null) &
  node_pid=$!
  (cd "$work" && exec setsid java -XX:+PreserveFramePointer -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit \
    -Xms256m -Xmx256m -cp "$work/classes" DeepVisitor "$run_for" 2 >/dev/null) &
  java_pid=$!
  pids=("$node_pid" "$java_pid")
  sleep 3
  echo "record-deep: perf record -k CLOCK_MONOTONIC -F 999 -a -g -e cpu-clock for ${seconds}s"
  perf record -q -k CLOCK_MONOTONIC -F 999 -a -g -e cpu-clock -o "$data.try" -- setsid --wait "$work/deep" "$seconds" >/dev/null
  echo "record-deep: waiting for the JIT workloads to end and write their maps"
  wait "$node_pid" || { echo "record-deep: the Node workload failed" >&2; exit 1; }
  wait "$java_pid" || { echo "record-deep: the JVM workload failed" >&2; exit 1; }
  local pid
  for pid in "$node_pid" "$java_pid"; do
    [ -f "/tmp/perf-$pid.map" ] || { echo "record-deep: /tmp/perf-$pid.map is missing: JIT frames would be unnamed" >&2; exit 1; }
  done
  perf script -F comm,pid -i "$data.try" > "$work/comm-pid.txt" 2>/dev/null
  deep_pid=$(awk '$1 == "deep-render" { print $2; exit }' "$work/comm-pid.txt")
  pids+=("${deep_pid:-none}")
  # Ours: the three processes, the idle task and perf itself.
  foreign=$(awk -v ours=" ${pids[*]} " '
    { pid = $NF; comm = $1; n++
      if (index(ours, " " pid " ") == 0 && comm != "swapper" && comm != "perf" && comm != "perf-exec") f++ }
    END { if (n == 0) print 100; else printf "%d\n", 100 * f / n }' "$work/comm-pid.txt")
}

best=101
for ((attempt = 1; attempt <= attempts; attempt++)); do
  wait_for_quiet
  record_once
  echo "record-deep: attempt $attempt of $attempts: ${foreign}% of the samples are from other processes (at most ${max_foreign}% wanted)"
  if [ "$foreign" -lt "$best" ]; then
    mv "$data.try" "$data"
    drop_maps "${kept_pids[@]}"
    kept_pids=("${pids[@]}")
    best=$foreign
  else
    rm -f "$data.try"
    drop_maps "${pids[@]}"
  fi
  pids=()
  [ "$best" -le "$max_foreign" ] && break
done
[ "$best" -le "$max_foreign" ] || echo "record-deep: WARNING: no attempt was clean enough; keeping the cleanest, with ${best}% of its samples from other processes" >&2

# node appends to its map as code moves; make it unambiguous (newest entry wins).
node "$here/../scripts/record/fix-perf-map.mjs" --no-backup "/tmp/perf-${kept_pids[0]}.map"

echo "record-deep: perf script --header > $out"
perf script --header -i "$data" > "$out.tmp" 2>/dev/null
mv "$out.tmp" "$out"
# A map left in /tmp would name the frames of a later process that reuses the PID.
rm -rf "$maps"
mkdir -p "$maps"
for pid in "${kept_pids[@]}"; do
  [ -f "/tmp/perf-$pid.map" ] && mv "/tmp/perf-$pid.map" "$maps/"
done
echo "record-deep: wrote $out ($(stat -c %s "$out") bytes; ${best}% of the samples from other processes)"
