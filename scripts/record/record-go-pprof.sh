#!/usr/bin/env bash
# The Go pprof fixture: runtime/pprof's CPU profile of workloads/go/periodic (Go from
# Debian: apt-get install golang-go), and go tool pprof's own decoding of it, written
# at the same time so that tests check the importer against Go without needing Go.
#
#   scripts/record/record-go-pprof.sh
# writes test/fixtures/formats/go-periodic.pb.gz and go-periodic.pprof-raw.txt.
set -euo pipefail

RECORD_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$RECORD_DIR/../.." && pwd)"
OUT="$REPO/test/fixtures/formats"
WORK="${SUBSECOND_RECORD_WORK:-/tmp/subsecond-record}/go"
command -v go >/dev/null || { echo "go not found (Debian package golang-go)" >&2; exit 1; }
mkdir -p "$WORK" "$OUT"
# Go's build cache and module settings stay in the scratch folder.
export GOCACHE="$WORK/cache" GOPATH="$WORK/gopath" GOFLAGS=-mod=mod GO111MODULE=off
go build -o "$WORK/periodic" "$REPO/workloads/go/periodic/main.go"
"$WORK/periodic" "$OUT/go-periodic.pb.gz"
# -raw prints every sample: its values, then the location ids of its stack and its
# labels; the location ids are listed with their functions after the samples.
go tool pprof -raw "$OUT/go-periodic.pb.gz" > "$OUT/go-periodic.pprof-raw.txt"
go version > "$WORK/go-version.txt"
echo "wrote $OUT/go-periodic.pb.gz ($(stat -c %s "$OUT/go-periodic.pb.gz") bytes) and go-periodic.pprof-raw.txt ($(go version))" >&2
