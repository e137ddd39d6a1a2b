#!/usr/bin/env bash
# Parley vs Janus VideoRoom under the same synthetic load, measured alternately (docs/benchmarks.md).
# Needs `apt-get install -y janus`; run inside the private namespace (Janus skips loopback for ICE):
#   scripts/netns bench/sfu-janus.sh [--rooms 2] [--publishers 3] [--subscribers 6] [--pps 200] [--payload 1000]
#                                    [--seconds 12] [--warmup 4] [--rounds 2]
# Set SKIP_BUILD=1 to reuse target/parley.jar and target/test-classes.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -B -q -o -DskipTests package
  mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
fi
ulimit -n 65536 2>/dev/null || true
exec java -Xmx1g -Dsynthetic.bind="${SYNTHETIC_BIND:-127.10.0.1}" -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  dev.parley.bench.sfu.JanusBench "$@"
