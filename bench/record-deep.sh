#!/usr/bin/env bash
# Records the benchmark's deep-stack capture: `perf record` of the whole machine (-a,
# all CPUs) while three programs keep both CPUs busy with deep stacks whose paths
# rarely repeat, then `perf script --header` of it:
#   bench/workload/deep.c            C, 25..90 levels of recursion through 96 functions
#   bench/workload/deep-parser.mjs   Node: a recursive-descent parser and evaluator (JIT
#                                    frames named through /tmp/perf-PID.map)
#   bench/workload/DeepVisitor.java  Java: a visitor over trees of 24 node types (JIT
#                                    frames named through the map the JVM writes at exit)
#
# Usage: bench/record-deep.sh [SECONDS] [OUT]
#   SECONDS  recording length (default 55: about 7 MB of text a second on 2 CPUs)
#   OUT      output text (default bench/data/deep.perf)
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
mkdir -p "$(dirname "$out")" "$work"

for tool in perf gcc node javac java; do
  command -v "$tool" >/dev/null || { echo "record-deep: $tool is not installed" >&2; exit 1; }
done

echo "record-deep: building bench/workload/deep.c (gcc -O1 -fno-omit-frame-pointer -g) and DeepVisitor.java"
gcc -O1 -fno-omit-frame-pointer -g -pthread -Wall -o "$work/deep" "$here/workload/deep.c"
rm -rf "$work/classes"
javac -d "$work/classes" "$here/workload/DeepVisitor.java"

# -a records every process on the machine: before the workloads start, give other work
# a chance to die down (up to QUIET_WAIT_S, default 180 s; see scripts/record/lib.sh).
source "$here/../scripts/record/lib.sh"
wait_for_quiet

# The JIT workloads start first and run a little longer than the recording, so their
# code is compiled before it starts and their maps are complete when it ends (the JVM
# writes its map only when it exits). They run in $work: --perf-basic-prof also leaves
# an isolate-*-v8.log in the cwd.
run_for=$((seconds + 5))
echo "record-deep: starting the Node parser (node --perf-basic-prof) and the JVM visitor (-XX:+DumpPerfMapAtExit)"
(cd "$work" && exec node --perf-basic-prof --interpreted-frames-native-stack "$here/workload/deep-parser.mjs" "$run_for" >/dev/null) &
node_pid=$!
(cd "$work" && exec java -XX:+PreserveFramePointer -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit \
  -Xms256m -Xmx256m -cp "$work/classes" DeepVisitor "$run_for" 2 >/dev/null) &
java_pid=$!
cleanup() {
  kill "$node_pid" "$java_pid" 2>/dev/null || true
  # A map left in /tmp would name the frames of a later process that reuses the PID.
  mkdir -p "$maps"
  for pid in "$node_pid" "$java_pid"; do
    [ -f "/tmp/perf-$pid.map" ] && mv "/tmp/perf-$pid.map" "$maps/"
  done
  rm -f "$work"/isolate-*-v8.log
}
trap cleanup EXIT
sleep 3

echo "record-deep: perf record -k CLOCK_MONOTONIC -F 999 -a -g -e cpu-clock for ${seconds}s"
perf record -q -k CLOCK_MONOTONIC -F 999 -a -g -e cpu-clock -o "$data" -- "$work/deep" "$seconds" >/dev/null
echo "record-deep: waiting for the JIT workloads to end and write their maps"
wait "$node_pid" || { echo "record-deep: the Node workload failed" >&2; exit 1; }
wait "$java_pid" || { echo "record-deep: the JVM workload failed" >&2; exit 1; }
for pid in "$node_pid" "$java_pid"; do
  [ -f "/tmp/perf-$pid.map" ] || { echo "record-deep: /tmp/perf-$pid.map is missing: JIT frames would be unnamed" >&2; exit 1; }
done

# node appends to its map as code moves; make it unambiguous (newest entry wins).
node "$here/../scripts/record/fix-perf-map.mjs" --no-backup "/tmp/perf-$node_pid.map"

echo "record-deep: perf script --header > $out"
perf script --header -i "$data" > "$out.tmp" 2>/dev/null
mv "$out.tmp" "$out"
echo "record-deep: wrote $out ($(stat -c %s "$out") bytes)"
