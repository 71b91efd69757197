#!/usr/bin/env bash
# Builds the JMH jar and runs the provider-index benchmarks; results go to benchmarks/jmh/results/ (git-ignored).
#   benchmarks/jmh/run.sh                 lookups and warm load time
#   benchmarks/jmh/run.sh ProviderIndex   (any JMH include pattern)
set -euo pipefail
cd "$(dirname "$0")/../.."
pattern="${1:-ProviderIndex}"
mkdir -p benchmarks/jmh/results
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
# The jar needs Java 21+; prefer JAVA_HOME over whatever "java" is first on PATH.
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

mvn -q -B -pl benchmarks/jmh -am package -DskipTests

# Steady state: lookups (average time per call) and the load repeated in a warm JVM.
"$java" -jar benchmarks/jmh/target/benchmarks.jar "$pattern" -f 1 -wi 3 -i 5 \
    -rf json -rff "benchmarks/jmh/results/provider-index-${stamp}.json" | tee "benchmarks/jmh/results/provider-index-${stamp}.txt"

# Cold start: the first load in a fresh JVM (class loading, JIT not warmed), once per fork.
if [[ "$pattern" == ProviderIndex* ]]; then
    "$java" -jar benchmarks/jmh/target/benchmarks.jar 'ProviderIndexBenchmark.loadBundled' -bm ss -f 10 -wi 0 -i 1 \
        -rf json -rff "benchmarks/jmh/results/provider-index-cold-${stamp}.json" | tee "benchmarks/jmh/results/provider-index-cold-${stamp}.txt"
fi
