#!/usr/bin/env bash
# Group call benchmark (docs/benchmarks.md): Parley as its own process on loopback, one room of
# synthetic participants each publishing audio + 3-layer simulcast video and subscribing to
# everyone else with tile-size constraints and last-N (dev.parley.bench.sfu.GroupCallBench).
#   bench/group.sh [--participants 10] [--last-n 16] [--speakers 1] [--stage-height 720]
#                  [--tile-height 360] [--seconds 10] [--warmup 4] [--name group]
# Set SKIP_BUILD=1 to reuse target/parley.jar and target/test-classes.
BENCH_CLASS=dev.parley.bench.sfu.GroupCallBench exec "$(dirname "$0")/sfu.sh" "$@"
