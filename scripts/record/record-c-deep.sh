#!/bin/bash
# Fixture c-deep: deep_walk (0.25 s of prepare_tree_blocks on the main thread
# "deep_walk", then 2 threads walker-0/1 in recursive walk_tree_level ->
# checksum_block for 2.5 s), -F 49 with call graphs.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
check_env
NAME=c-deep
DIR=$(new_profile_dir $NAME)
record_clean $NAME 49 g 'walker-[0-9]+|deep_walk' - -- "$BIN/deep_walk" 2.5 "$DIR/deep_walk.jsonl"
perf_script $NAME "$FIXTURES/$NAME.perf"
perf_reports $NAME "$FIXTURES"
summarize_fixture $NAME walk_tree_level checksum_block walk_forest walker_main prepare_tree_blocks
