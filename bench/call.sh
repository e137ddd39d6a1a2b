#!/usr/bin/env bash
# 1-on-1 call setup and recovery benchmark (docs/benchmarks.md), two Chromium pages on loopback
# inside a private network namespace.   bench/call.sh [calls=24] [cuts=6] [runs=host,relay,default-start,cross-check]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o test-compile
mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
cp="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
exec scripts/netns java -cp "$cp" dev.parley.bench.call.CallBench "$@"
