#!/usr/bin/env bash
# Start-up of the mailsetup command line: `java -jar mailsetup.jar` against the launcher script
# (target/mailsetup: AOT cache on JDK 25+, AppCDS on 21-24), measured with hyperfine in one run.
#
#   benchmarks/startup/startup.sh            offline commands: a provider-database lookup (--no-verify,
#                                            other sources off), `db show`, `--version`
#   benchmarks/startup/startup.sh lab        a cold verified lookup in the latency lab (root; the lab must
#                                            be up), and the same lookup in a warm JVM
#
# Environment: RUNS (10), JAVA_HOME (Temurin 25), JAR (service/target/mailsetup.jar), FLAGS (extra
# hyperfine variants: "name=jvm flags;name=jvm flags", e.g. "c1=-XX:TieredStopAtLevel=1").
# Prints a Markdown table of medians (and the user CPU time, steadier than wall time on a shared
# machine); the raw hyperfine JSON goes to build/startup/.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java
JAR=${JAR:-$ROOT/service/target/mailsetup.jar}
LAUNCHER=$(dirname "$JAR")/mailsetup
RUNS=${RUNS:-10}
OUT=$ROOT/build/startup
OFFLINE="--no-verify --disable pacc,autoconfig,ispdb,srv,mx,autodiscover,guess"

command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
[ -s "$JAR" ] && [ -x "$LAUNCHER" ] || (cd "$ROOT" && ./mvnw -q -B -pl service -am package -DskipTests)
mkdir -p "$OUT"
# The launcher's cache lives here for the run, built once before measuring (as a user's first lookup would).
export XDG_CACHE_HOME=$OUT/cache
rm -rf "$XDG_CACHE_HOME"

table() { # JSON file: one Markdown row per command
    python3 - "$1" <<'EOF'
import json, statistics, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("| %s | %.0f ms | %.0f ms | %.0f ms |" % (r["command"], statistics.median(r["times"]) * 1000,
          min(r["times"]) * 1000, r["user"] * 1000))
EOF
}

train() { # ARGS...: the launcher's first run, then wait for the cache it builds in the background
    "$LAUNCHER" "$@" >/dev/null 2>&1 || true
    for _ in $(seq 600); do
        ls "$XDG_CACHE_HOME"/mailsetup/*.lock >/dev/null 2>&1 || break
        sleep 0.2
    done
    ls "$XDG_CACHE_HOME"/mailsetup/ >&2
}

variants() { # NAME ARGS: hyperfine commands for the plain jar, the extra FLAGS and the launcher
    local name=$1; shift
    local cmds=(-n "java -jar: $name" "$JAVA -jar $JAR $*")
    local f
    IFS=';' read -ra extra <<<"${FLAGS:-}"
    for f in "${extra[@]}"; do
        [ -n "$f" ] && cmds+=(-n "java ${f%%=*}: $name" "$JAVA ${f#*=} -jar $JAR $*")
    done
    cmds+=(-n "launcher: $name" "$LAUNCHER $*")
    printf '%s\0' "${cmds[@]}"
}

offline() {
    train lookup alice@gmail.com $OFFLINE
    local args=()
    while IFS= read -r -d '' a; do args+=("$a"); done < <(
        variants "offline lookup" lookup alice@gmail.com $OFFLINE
        variants "db show" db show gmail.com
        variants "--version" --version)
    hyperfine -N -w 2 -r "$RUNS" --export-json "$OUT/offline.json" "${args[@]}" >&2
    echo "| command | median | min | user CPU (mean) |"
    echo "| --- | ---: | ---: | ---: |"
    table "$OUT/offline.json"
}

lab() {
    local lab_dir=$ROOT/build/lab
    [ "$(id -u)" = 0 ] && ip netns list | grep -qw mslab || { echo "the latency lab is not up" >&2; exit 1; }
    local args="lookup alice@srv.lab --dns 10.99.0.2 --allow-network 10.99.0.0/24 --ca-file $lab_dir/certs/ca.crt --ispdb-url https://ispdb.infra.lab/v1.1/"
    train $args
    local cmds=()
    while IFS= read -r -d '' a; do cmds+=("$a"); done < <(variants "cold verified lookup (srv.lab)" $args)
    hyperfine -N -w 1 -r "$RUNS" -i --export-json "$OUT/lab.json" "${cmds[@]}" >&2
    echo "| command | median | min | user CPU (mean) |"
    echo "| --- | ---: | ---: | ---: |"
    table "$OUT/lab.json"
    # The same lookup in a warm JVM: a new MailSetup each time (empty caches, new connections).
    local lab_script=$ROOT/benchmarks/latency-lab/LatencyLab.java
    "$JAVA" -XX:+UseSerialGC -cp "$JAR" "$lab_script" --dns 10.99.0.2 --ca "$lab_dir/certs/ca.crt" \
        --allow 10.99.0.0/24 --ispdb https://ispdb.infra.lab/v1.1/ --timeout 6s --iterations "$RUNS" --warmup 10 \
        --delay-ms 25 --interface mslab0 --out "$OUT/warm" srv >&2
    echo
    echo "warm JVM, same lookup (LatencyLab.java):"
    cat "$OUT/warm.md"
}

case "${1:-offline}" in
    offline) offline ;;
    lab) lab ;;
    *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
