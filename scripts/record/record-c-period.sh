#!/bin/bash
# Fixture c-period: deep_walk (0.25 s setup + 2 s), a fixed period of 5 ms of
# cpu-clock (-e cpu-clock -c 5000000: 200 samples a second per busy CPU) instead of
# -F, so the header's command line names no rate and a reader must estimate it from
# the samples (src/lib/rate.ts).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
check_env
NAME=c-period
DIR=$(new_profile_dir $NAME)
record_clean $NAME c5000000 g 'walker-[0-9]+|deep_walk' - -- "$BIN/deep_walk" 2 "$DIR/deep_walk.jsonl"
perf_script $NAME "$FIXTURES/$NAME.perf.gz"
