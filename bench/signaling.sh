#!/usr/bin/env bash
# Signaling load benchmark (docs/benchmarks.md): Parley as its own process on loopback, N clients.
#   bench/signaling.sh [--clients 10000] [--rates 2000,5000,10000,20000] [--seconds 10] [--cluster]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
ulimit -n 65536 2>/dev/null || true
exec java -Xmx2g -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  dev.parley.bench.signaling.SignalingBench "$@"
