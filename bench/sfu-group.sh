#!/usr/bin/env bash
# Group-call SFU benchmark (docs/benchmarks.md, issue 7): rooms of 10 with 3-layer simulcast and one room
# of 100 with last-N 16, synthetic WebRTC peers (real ICE, DTLS-SRTP) against Parley on loopback.
#   bench/sfu-group.sh [--rooms 2] [--room-size 10] [--big-room 100] [--last-n 16] [--layers-kbps 150,500,1500]
#                      [--tile 360] [--big-tile 180] [--payload 1100] [--seconds 15] [--warmup 5]
# Set SKIP_BUILD=1 to reuse target/parley.jar and target/test-classes.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -B -q -o -DskipTests package
  mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
fi
ulimit -n 65536 2>/dev/null || true
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  dev.parley.bench.sfu.GroupBench "$@"
