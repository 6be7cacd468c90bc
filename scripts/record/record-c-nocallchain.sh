#!/bin/bash
# Fixture c-nocallchain: deep_walk (0.25 s setup + 1 s), -F 99, WITHOUT -g: perf script then
# prints the sampled frame on the event line itself.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
check_env
NAME=c-nocallchain
DIR=$(new_profile_dir $NAME)
record_clean $NAME 99 nog 'walker-[0-9]+|deep_walk' - -- "$BIN/deep_walk" 1 "$DIR/deep_walk.jsonl"
perf_script $NAME "$FIXTURES/$NAME.perf"
perf_reports $NAME "$FIXTURES"
summarize_fixture $NAME checksum_block
