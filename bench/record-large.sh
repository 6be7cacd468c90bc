#!/usr/bin/env bash
# Records the benchmark's large real profile: `perf record` of the whole machine
# (-a, all CPUs) while bench/workload/busy.c (4 named threads, deep stacks through
# ~150 distinct C functions, libc and system calls) and bench/workload/jit.mjs (V8 JIT
# code named through /tmp/perf-PID.map) keep both CPUs busy, then `perf script
# --header` of it.
#
# Usage: bench/record-large.sh [SECONDS] [OUT]
#   SECONDS  recording length (default 60: about 4.5 MB of text a second on 2 CPUs)
#   OUT      output text (default bench/data/large.perf)
# Needs root (or perf_event_paranoid ≤ -1), perf, gcc and node. The binary perf.data
# is kept next to OUT as OUT.data.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
seconds="${1:-60}"
out="${2:-$here/data/large.perf}"
data="$out.data"
mkdir -p "$(dirname "$out")" "$here/data"

for tool in perf gcc node; do
  command -v "$tool" >/dev/null || { echo "record-large: $tool is not installed" >&2; exit 1; }
done

echo "record-large: building bench/workload/busy.c (gcc -O1 -fno-omit-frame-pointer -g)"
gcc -O1 -fno-omit-frame-pointer -g -pthread -o "$here/data/busy" "$here/workload/busy.c"

# The JIT workload runs a little longer than the recording so its code is hot
# throughout; its perf map is read by `perf script` and removed afterwards.
echo "record-large: starting the JIT workload (node --perf-basic-prof)"
# (Run from bench/data: --perf-basic-prof also leaves an isolate-*-v8.log in the cwd.)
(cd "$here/data" && exec node --perf-basic-prof --interpreted-frames-native-stack "$here/workload/jit.mjs" "$((seconds + 2))" >/dev/null) &
jit=$!
trap 'kill $jit 2>/dev/null || true; rm -f /tmp/perf-$jit.map /tmp/perf-$jit.map.orig "$here"/data/isolate-*-v8.log' EXIT
sleep 1

echo "record-large: perf record -k CLOCK_MONOTONIC -F 999 -a -g -e cpu-clock for ${seconds}s"
perf record -q -k CLOCK_MONOTONIC -F 999 -a -g -e cpu-clock -o "$data" -- "$here/data/busy" "$seconds" >/dev/null
wait $jit || true

# node appends to its map as code moves; make it unambiguous (newest entry wins) when
# the project's helper is there.
fix="$here/../scripts/record/fix-perf-map.mjs"
if [ -f "$fix" ] && [ -f "/tmp/perf-$jit.map" ]; then node "$fix" --no-backup "/tmp/perf-$jit.map" >/dev/null || true; fi

echo "record-large: perf script --header > $out"
perf script --header -i "$data" > "$out.tmp" 2>/dev/null
mv "$out.tmp" "$out"
echo "record-large: wrote $out ($(stat -c %s "$out") bytes)"
