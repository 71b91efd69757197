#!/usr/bin/env bash
# Deadline under load: N cold lookups at once against silent servers and a partly slow DNS, all on loopback
# and in one process; prints how late the answers came after their deadline, and the peak RSS.
#   benchmarks/load/run.sh [lookups (1000)] [deadline ms (3000)] [rounds (3)]
set -euo pipefail
cd "$(dirname "$0")/../.."
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
mvn -q -B -pl benchmarks/jmh -am package -DskipTests
# The heap limit is part of the promise: the process stays under 512 MB resident.
"$java" -Xmx384m -cp benchmarks/jmh/target/benchmarks.jar org.mailsetup.benchmarks.DeadlineUnderLoad "$@"
