#!/usr/bin/env bash
# 1-on-1 call setup and recovery benchmark (docs/benchmarks.md), two Chromium pages on loopback
# inside a private network namespace.   bench/call.sh [calls=24] [cuts=6]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o test-compile
mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
cp="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
exec unshare -n bash -c '
  ip link set lo up
  ip link add pv0 type veth peer name pv1
  ip addr add 127.10.0.1/32 dev pv0
  ip link set pv0 up; ip link set pv1 up
  exec java -cp "$0" dev.parley.bench.call.CallBench "$@"' "$cp" "$@"
