#!/usr/bin/env bash
# The speedscope, Gecko and folded fixtures of test/fixtures/formats/: the recorded
# .cpuprofile, Chrome trace and Go pprof written out by `subsecond export`, since
# py-spy, samply and `perf script report gecko` are not on this machine. Run it after
# recording those three (record-chromium-trace.mjs, record-go-pprof.sh):
#
#   scripts/record/export-format-fixtures.sh
set -euo pipefail

RECORD_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$RECORD_DIR/../.." && pwd)"
OUT="$REPO/test/fixtures/formats"
subsecond() { node "$REPO/bin/subsecond.js" "$@"; }

# --idle keep: every sample goes out, so each file has its source's sample count.
subsecond export "$OUT/node-periodic.cpuprofile" --to speedscope --idle keep --force -o "$OUT/node-periodic.speedscope.json"
subsecond export "$OUT/chromium-periodic.trace.json.gz" --to gecko --idle keep --force -o - | gzip -9 -n > "$OUT/chromium-periodic.gecko.json.gz"
subsecond export "$OUT/go-periodic.pb.gz" --to folded --idle keep --force -o "$OUT/go-periodic-stacks.folded"
ls -l "$OUT"
