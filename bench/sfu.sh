#!/usr/bin/env bash
# SFU forwarding benchmark (docs/benchmarks.md): Parley as its own process on loopback, synthetic
# WebRTC peers (real ICE, DTLS-SRTP) publishing N streams to M subscribers in several rooms.
#   bench/sfu.sh [--rooms 4] [--publishers 2] [--subscribers 4] [--pps 250,500] [--payload 1000]
#                [--seconds 10] [--warmup 3] [--verify-every 1] [--jfr]
# Set SKIP_BUILD=1 to reuse target/parley.jar and target/test-classes.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -B -q -o -DskipTests package
  mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
fi
ulimit -n 65536 2>/dev/null || true
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  "${BENCH_CLASS:-dev.parley.bench.sfu.SfuBench}" "$@"
