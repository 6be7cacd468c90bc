# shellcheck shell=bash
# Shared helpers for the recording scripts. Source it; do not run it.
#
# Environment:
#   SUBSECOND_RECORD_WORK  scratch directory (default /tmp/subsecond-record):
#                          binaries, perf.data files, workload logs, map copies
#   QUIET_WAIT_S           how long to wait for an idle machine before recording (default 180)
#   QUIET_BUSY_PCT         "idle" means total CPU busy below this percentage (default 15)
#   MAX_FOREIGN_PCT        re-record when more than this share of the samples belong
#                          to processes other than the workload and idle (default 5)
#   RECORD_ATTEMPTS        how many times to try for a clean recording (default 4)
set -euo pipefail

RECORD_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$RECORD_DIR/../.." && pwd)"
WORKLOADS="$REPO/workloads"
FIXTURES="$REPO/test/fixtures/perf"
EXAMPLES="$REPO/examples"
WORK="${SUBSECOND_RECORD_WORK:-/tmp/subsecond-record}"
BIN="$WORK/bin"
CLASSES="$WORK/classes"

# Flags every recording uses (see README.md).
CFLAGS_WORKLOAD=(-O1 -fno-omit-frame-pointer -g -pthread -Wall)
NODE_PROF_FLAGS=(--perf-basic-prof --interpreted-frames-native-stack)
JAVA_PROF_FLAGS=(-XX:+PreserveFramePointer -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit)

log() { printf '[record %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

check_env() {
  [ "$(id -u)" = 0 ] || die "run as root (perf record -a needs it here)"
  command -v perf >/dev/null || die "perf not found (Debian package linux-perf)"
  mkdir -p "$WORK" "$BIN" "$CLASSES" "$FIXTURES" "$EXAMPLES"
}

# cpu_busy_pct SECONDS: total CPU busy percentage over an interval, from /proc/stat.
cpu_busy_pct() {
  local a b
  a=($(head -1 /proc/stat)); sleep "${1:-1}"; b=($(head -1 /proc/stat))
  local idle=$(( (b[4] + b[5]) - (a[4] + a[5]) )) total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$(( total + b[i] - a[i] )); done
  [ "$total" -gt 0 ] || { echo 0; return; }
  echo $(( 100 * (total - idle) / total ))
}

# wait_for_quiet: `perf record -a` samples every process on the machine, so wait
# until other work has died down (3 consecutive quiet seconds), up to QUIET_WAIT_S.
wait_for_quiet() {
  local max="${QUIET_WAIT_S:-180}" limit="${QUIET_BUSY_PCT:-15}" waited=0 quiet=0 busy
  while [ "$waited" -lt "$max" ]; do
    busy=$(cpu_busy_pct 1); waited=$((waited + 1))
    if [ "$busy" -lt "$limit" ]; then quiet=$((quiet + 1)); [ "$quiet" -ge 3 ] && return 0
    else quiet=0; fi
  done
  log "WARNING: machine still busy (${busy}% CPU) after ${max}s; recording anyway (other processes will be in the profile)"
}

# perf_record NAME FREQ CALLGRAPH(g|nog) -- CMD...: record system-wide into $WORK/NAME/NAME.data.
# FREQ is a rate in Hz (-F FREQ), or cN for a fixed period of N ns of cpu-clock
# (-e cpu-clock -c N: the command line then names no rate).
perf_record() {
  local name="$1" freq="$2" cg="$3"; shift 3
  [ "$1" = "--" ] && shift
  local dir="$WORK/$name"
  local g=(-g); [ "$cg" = "nog" ] && g=()
  local rate=(-F "$freq"); [[ "$freq" == c* ]] && rate=(-e cpu-clock -c "${freq#c}")
  wait_for_quiet
  log "$name: perf record -k CLOCK_MONOTONIC ${g[*]} -a ${rate[*]} -- $*"
  perf record -k CLOCK_MONOTONIC "${g[@]}" -a "${rate[@]}" -o "$dir/$name.data" -- "$@" \
    > "$dir/perf-record.log" 2>&1 || { cat "$dir/perf-record.log" >&2; die "$name: perf record failed"; }
  grep -h 'perf record:' "$dir/perf-record.log" >&2 || true
}

# foreign_pct NAME COMM_REGEX [PID...]: percentage of samples that belong neither
# to the workload (comm matching COMM_REGEX, or process id among PIDs) nor to the
# idle task or perf itself.
foreign_pct() {
  local name="$1" re="$2"; shift 2
  perf script -F comm,pid -i "$WORK/$name/$name.data" 2>/dev/null \
    | awk -v re="^($re|swapper|perf|perf-exec)\$" -v pids=" $* " '
        { pid = $NF; comm = $0; sub(/[ \t]+[0-9]+[ \t]*$/, "", comm); sub(/^[ \t]+/, "", comm); n++
          if (comm !~ re && index(pids, " " pid " ") == 0) f++ }
        END { if (n == 0) print 100; else printf "%d\n", 100 * f / n }'
}

# record_clean NAME FREQ g|nog COMM_REGEX PIDS_FN -- CMD...: perf_record, retried
# while other processes on the machine make up more than MAX_FOREIGN_PCT of the
# samples. PIDS_FN (or "-") is a function printing the workload's process ids
# once it has run (read from its log). If no attempt is clean enough, the
# cleanest one is kept (its files and JIT maps are put back in place).
record_clean() {
  local name="$1" freq="$2" cg="$3" re="$4" pids_fn="$5"; shift 5
  local attempts="${RECORD_ATTEMPTS:-4}" max="${MAX_FOREIGN_PCT:-5}" i p pct pids="" best=101 best_i=0
  local dir="$WORK/$name"
  rm -rf "$WORK/$name.attempt-"*
  for ((i = 1; i <= attempts; i++)); do
    perf_record "$name" "$freq" "$cg" "$@"
    [ "$pids_fn" != "-" ] && pids=$($pids_fn)
    pct=$(foreign_pct "$name" "$re" $pids)
    if [ "$pct" -le "$max" ]; then
      log "$name: ${pct}% of samples from other processes"
      rm -rf "$WORK/$name.attempt-"*
      return 0
    fi
    log "$name: ${pct}% of samples from other processes (> ${max}%), attempt $i of $attempts"
    # set this attempt aside, JIT maps included
    mkdir -p "$WORK/$name.attempt-$i/maps"
    for p in $pids; do [ -f "/tmp/perf-$p.map" ] && mv "/tmp/perf-$p.map" "$WORK/$name.attempt-$i/maps/"; done
    mv "$dir"/* "$WORK/$name.attempt-$i/" 2>/dev/null || true
    echo "$pct" > "$WORK/$name.attempt-$i/foreign-pct"
    if [ "$pct" -lt "$best" ]; then best=$pct; best_i=$i; fi
  done
  log "WARNING: $name: no clean recording; keeping attempt $best_i with ${best}% of samples from other processes"
  rm -f "$WORK/$name.attempt-$best_i/foreign-pct"
  mv "$WORK/$name.attempt-$best_i/maps/"* /tmp/ 2>/dev/null || true
  rmdir "$WORK/$name.attempt-$best_i/maps"
  mv "$WORK/$name.attempt-$best_i/"* "$dir/"
  rm -rf "$WORK/$name.attempt-"*
}

# first_pid LOGFILE: the "pid" field of the first JSON line of a workload log.
first_pid() {
  node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8").split("\n")[0]).pid)' "$1"
}

# new_profile_dir NAME: fresh $WORK/NAME directory.
new_profile_dir() {
  rm -rf "${WORK:?}/$1"; mkdir -p "$WORK/$1"; echo "$WORK/$1"
}

# fix_maps NAME PID...: deduplicate the JIT maps of PIDs (newest entry wins) so
# perf script resolves JIT frames to the right names.
fix_maps() {
  local name="$1" pid; shift
  for pid in "$@"; do
    [ -f "/tmp/perf-$pid.map" ] || die "$name: /tmp/perf-$pid.map missing (did the process exit cleanly?)"
    node "$RECORD_DIR/fix-perf-map.mjs" "/tmp/perf-$pid.map" >&2
  done
}

# stash_maps NAME PID...: after perf script/report, move the maps into $WORK/NAME
# (a stale /tmp/perf-PID.map would mis-resolve a later process that reuses the PID).
stash_maps() {
  local name="$1" pid; shift
  for pid in "$@"; do
    [ -f "/tmp/perf-$pid.map" ] && mv "/tmp/perf-$pid.map" "$WORK/$name/"
    [ -f "/tmp/perf-$pid.map.orig" ] && mv "/tmp/perf-$pid.map.orig" "$WORK/$name/"
  done
  return 0
}

# perf_script NAME OUT: perf script --header text of $WORK/NAME/NAME.data into OUT
# (gzip -9 if OUT ends in .gz).
perf_script() {
  local name="$1" out="$2" data="$WORK/$1/$1.data"
  if [[ "$out" == *.gz ]]; then
    perf script --header -i "$data" 2> "$WORK/$name/perf-script.log" | gzip -9 -n > "$out"
  else
    perf script --header -i "$data" > "$out" 2> "$WORK/$name/perf-script.log"
  fi
  log "$name: wrote $out ($(du -h "$out" | cut -f1))"
}

# perf_reports NAME DESTDIR: perf's own per-comm sample counts, for parser tests.
perf_reports() {
  local name="$1" dest="$2" data="$WORK/$1/$1.data"
  perf report --stdio --sort comm -i "$data" > "$dest/$name.report-comm.txt" 2> "$WORK/$name/perf-report.log"
  perf report --stdio --sort comm -n -i "$data" > "$dest/$name.report-comm-n.txt" 2>> "$WORK/$name/perf-report.log"
}

# summarize FILE REQUIRED_NAME...: sample counts and per-name counts; fails if a
# required name is in no sample.
summarize() {
  local file="$1"; shift
  node "$RECORD_DIR/summarize-perf.mjs" --require "$file" "$@" | tee -a "$WORK/summary.txt"
}

# summarize_fixture NAME REQUIRED_NAME...: summarize test/fixtures/perf/NAME.perf and
# check its per-comm sample counts against NAME.report-comm-n.txt (perf's own).
summarize_fixture() {
  local name="$1"; shift
  local size; size=$(stat -c %s "$FIXTURES/$name.perf")
  [ "$size" -le 409600 ] || log "WARNING: $name.perf is $size bytes (fixtures should stay under ~400 KB)"
  node "$RECORD_DIR/summarize-perf.mjs" --require --report "$FIXTURES/$name.report-comm-n.txt" \
    "$FIXTURES/$name.perf" "$@" | tee -a "$WORK/summary.txt"
}
