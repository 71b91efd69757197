#!/usr/bin/env bash
# A long hostile-input run: the fuzz test of the service module with more requests and addresses than CI
# sends. Usage: benchmarks/fuzz/fuzz.sh [REQUESTS] [ADDRESSES] [SEED]   (defaults: 100000 10000 9)
# The summary (statuses, stack traces, unmasked addresses, RSS before and after) is printed and kept in
# service/target/fuzz/; the server's and the batch's logs are there too.
set -euo pipefail
cd "$(dirname "$0")/../.."
requests=${1:-100000}
addresses=${2:-10000}
seed=${3:-9}
mvn -B -ntp -q -pl service -am test -Dtest=HostileRequestsFuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dmailsetup.fuzz.requests="$requests" -Dmailsetup.fuzz.addresses="$addresses" -Dmailsetup.fuzz.seed="$seed"
cat service/target/fuzz/summary-serve.txt service/target/fuzz/summary-batch.txt
