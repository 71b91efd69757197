#!/usr/bin/env bash
# Deadline under load: N cold lookups at once against silent servers and a partly slow DNS, all on loopback
# and in one process; prints how late the answers came after their deadline, the peak RSS and the machine's
# load average for each round, then a one-line summary (promise met or not).
#   benchmarks/load/run.sh [lookups (1000)] [deadline ms (3000)] [rounds (3)]
set -euo pipefail
cd "$(dirname "$0")/../.."
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
mvn -q -B -pl benchmarks/jmh -am package -DskipTests
# The heap limit is part of the promise: the process stays under 512 MB resident. The live data of 1,000
# lookups is about 50 MB; G1 grows the heap to whatever cap it has before collecting the old generation,
# so 256 MB (not 384 MB) keeps the resident size well below 512 MB, and the pause-time goal keeps young
# collections, which stop every answer, short.
"$java" -Xmx256m -XX:MaxGCPauseMillis=20 -cp benchmarks/jmh/target/benchmarks.jar \
    org.mailsetup.benchmarks.DeadlineUnderLoad "$@"
