#!/usr/bin/env bash
# Replicas sharing Redis: what the second cache level costs and what it saves, all on loopback.
#
#   benchmarks/redis/redis-bench.sh      # builds the jar if needed, writes benchmarks/redis/results.md
#   DURATION=10 ROUNDS=3 REDIS_TIMEOUT=1s benchmarks/redis/redis-bench.sh
#
# 1. Cached throughput (wrk, as benchmarks/http/http-bench.sh): a replica with --redis against one without, same
#    run, alternating; with the rate limit off (the cache only) and on (limits in Redis vs in-process).
# 2. The latency a Redis hit adds: N addresses looked up on replica A, then each once on replica B (a
#    local miss answered by Redis) and again on A (a local hit); sequential requests on one connection.
# 3. N distinct cold addresses, each sent to both replicas at the same time: discoveries actually run,
#    with Redis (target N) and without (2 N).
#
# Needs: java 21+, wrk, redis-server, python3 (Debian: apt-get install -y wrk redis-server). Every
# process it starts is stopped on exit; nothing is saved by Redis.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$ROOT/benchmarks/redis/results.md}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-10}
REDIS_TIMEOUT=${REDIS_TIMEOUT:-250ms}  # --redis-timeout of the replicas
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
N=${N:-1000}
JAR=$ROOT/service/target/mailsetup.jar
if [ -z "${JAVA:-}" ]; then
  for jdk in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64; do
    if [ -n "$jdk" ] && "$jdk/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then JAVA=$jdk/bin/java; break; fi
  done
fi
JAVA=${JAVA:-java}
for tool in wrk redis-server python3 curl; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install -y wrk redis-server python3 curl)" >&2; exit 1; }
done
if [ ! -f "$JAR" ]; then
  (cd "$ROOT" && JAVA_HOME=$(dirname "$(dirname "$(command -v "$JAVA")")") mvn -q -B -pl service -am package -DskipTests)
fi

WORK=$(mktemp -d /tmp/mailsetup-redis-bench.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() {
  for _ in $(seq 1 150); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.2; done
  echo "not answering: $1" >&2; return 1
}

REDIS_PORT=$(free_port)
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no --dir "$WORK" > "$WORK/redis.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null && break; sleep 0.1; done
REDIS=redis://127.0.0.1:$REDIS_PORT/0
export MAILSETUP_REDIS_TIMEOUT=$REDIS_TIMEOUT

# Only the bundled provider database answers and nothing is probed: no network needed, and every
# address of posteo.de is a discovery of its own (results are per address).
start_server() { # port, extra args...
  local port=$1; shift
  "$JAVA" -Xms256m -Xmx512m -jar "$JAR" serve --port "$port" --bind 127.0.0.1 --no-verify \
    --dns 127.0.0.1:9 --disable autoconfig,ispdb,mx,srv,autodiscover,pacc,guess "$@" > "$WORK/server-$port.log" 2>&1 &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$port/readyz" || { cat "$WORK/server-$port.log" >&2; return 1; }
}
metric() { # port, metric line prefix → sum of the matching values (0 when absent)
  curl -fsS "http://127.0.0.1:$1/metrics" | awk -v m="$2" 'index($0, m) == 1 { v += $NF } END { printf "%d\n", v + 0 }'
}
parse() { # wrk output → rps p50 p99 (ms)
  awk 'function ms(v) { if (v ~ /us$/) return substr(v,1,length(v)-2)/1000; if (v ~ /ms$/) return substr(v,1,length(v)-2)+0;
                        if (v ~ /s$/) return substr(v,1,length(v)-1)*1000; return v }
       /Requests\/sec/ { rps=$2 } $1=="50%" { p50=ms($2) } $1=="99%" { p99=ms($2) }
       END { printf "%s %s %s\n", rps, p50, p99 }' "$1"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
LOCAL=$(free_port); SHARED=$(free_port); LOCAL_LIM=$(free_port); SHARED_LIM=$(free_port)
echo "== replicas: in-process $LOCAL, Redis $SHARED, with limits: in-process $LOCAL_LIM, Redis $SHARED_LIM" >&2
start_server "$LOCAL" --no-rate-limit
start_server "$SHARED" --no-rate-limit --redis "$REDIS"
# Limits that never refuse, so every request pays for the limiter and none is turned away.
start_server "$LOCAL_LIM" --rate-limit 999999999/s --rate-burst 999999999 --max-lookups-per-client 100000
start_server "$SHARED_LIM" --rate-limit 999999999/s --rate-burst 999999999 --max-lookups-per-client 100000 --redis "$REDIS"

# ------------------------------------------------------------------ 1. cached throughput
Q="v1/lookup?email=alice%40posteo.de"
for p in $LOCAL $SHARED $LOCAL_LIM $SHARED_LIM; do
  curl -fsS -o /dev/null "http://127.0.0.1:$p/$Q"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "http://127.0.0.1:$p/$Q" > /dev/null
done
ROWS=""
declare -A BEST
for round in $(seq 1 "$ROUNDS"); do
  for name in local shared local-lim shared-lim; do
    case $name in local) p=$LOCAL ;; shared) p=$SHARED ;; local-lim) p=$LOCAL_LIM ;; shared-lim) p=$SHARED_LIM ;; esac
    echo "== round $round: $name" >&2
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s --latency "http://127.0.0.1:$p/$Q" > "$WORK/$name-$round.txt"
    read -r rps p50 p99 <<< "$(parse "$WORK/$name-$round.txt")"
    ROWS+="| $round | $name | $rps | $p50 | $p99 |"$'\n'
    echo "$rps" >> "$WORK/$name.rps"
  done
done
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for name in local shared local-lim shared-lim; do BEST[$name]=$(median "$WORK/$name.rps"); done

# Resident memory of the replicas after full load (for sizing: service/deploy/kubernetes), in MiB.
RSS=$(for pid in "${PIDS[@]:1:4}"; do ps -o rss= -p "$pid"; done | sort -n | tail -1 | awk '{ printf "%d", $1 / 1024 }')

# ------------------------------------------------------------------ 2 and 3: a Python client
cat > "$WORK/client.py" <<'PY'
import http.client, json, sys, threading, time, urllib.parse

def lookup(conn, email):
    t0 = time.perf_counter()
    conn.request("GET", "/v1/lookup?verify=false&email=" + urllib.parse.quote(email))
    r = conn.getresponse(); r.read()
    if r.status != 200:
        raise SystemExit("HTTP %d for %s" % (r.status, email))
    return (time.perf_counter() - t0) * 1000

def pct(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(len(xs) * p / 100))]

mode, a, b, n, tag = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
emails = ["%s%d@posteo.de" % (tag, i) for i in range(n)]
if mode == "latency":
    ca, cb = http.client.HTTPConnection("127.0.0.1", a), http.client.HTTPConnection("127.0.0.1", b)
    cold = [lookup(ca, e) for e in emails]       # A discovers (and stores in Redis)
    redis_hit = [lookup(cb, e) for e in emails]  # B: local miss, Redis hit
    local_hit = [lookup(ca, e) for e in emails]  # A: local hit
    for name, xs in (("cold", cold), ("redis", redis_hit), ("local", local_hit)):
        print(name, "%.2f %.2f" % (pct(xs, 50), pct(xs, 99)))
else:  # both: every address to both replicas at once, 8 addresses in flight
    def worker(part):
        ca, cb = http.client.HTTPConnection("127.0.0.1", a), http.client.HTTPConnection("127.0.0.1", b)
        for e in part:
            t = threading.Thread(target=lookup, args=(cb, e)); t.start()
            lookup(ca, e); t.join()
    threads = [threading.Thread(target=worker, args=(emails[i::8],)) for i in range(8)]
    for t in threads: t.start()
    for t in threads: t.join()
    print("sent", 2 * n)
PY
SHARED_B=$(free_port); LOCAL_B=$(free_port)
start_server "$SHARED_B" --no-rate-limit --redis "$REDIS"
start_server "$LOCAL_B" --no-rate-limit
echo "== Redis-hit latency ($N addresses)" >&2
python3 "$WORK/client.py" latency "$SHARED" "$SHARED_B" "$N" lat > "$WORK/latency.txt"
read -r _ COLD50 COLD99 <<< "$(grep ^cold "$WORK/latency.txt")"
read -r _ RH50 RH99 <<< "$(grep ^redis "$WORK/latency.txt")"
read -r _ LH50 LH99 <<< "$(grep ^local "$WORK/latency.txt")"

echo "== $N cold addresses to both replicas at once" >&2
S0=$(( $(metric "$SHARED" 'mailsetup_redis_cache_total{result="stored"}') + $(metric "$SHARED_B" 'mailsetup_redis_cache_total{result="stored"}') ))
python3 "$WORK/client.py" both "$SHARED" "$SHARED_B" "$N" rr >&2
S1=$(( $(metric "$SHARED" 'mailsetup_redis_cache_total{result="stored"}') + $(metric "$SHARED_B" 'mailsetup_redis_cache_total{result="stored"}') ))
WITH_REDIS=$((S1 - S0))
M0=$(( $(metric "$LOCAL" 'mailsetup_lookup_cache_total{result="miss"}') + $(metric "$LOCAL_B" 'mailsetup_lookup_cache_total{result="miss"}') ))
python3 "$WORK/client.py" both "$LOCAL" "$LOCAL_B" "$N" rr >&2
M1=$(( $(metric "$LOCAL" 'mailsetup_lookup_cache_total{result="miss"}') + $(metric "$LOCAL_B" 'mailsetup_lookup_cache_total{result="miss"}') ))
WITHOUT=$((M1 - M0))
ERRORS=$(( $(metric "$SHARED" 'mailsetup_redis_errors_total') + $(metric "$SHARED_B" 'mailsetup_redis_errors_total') ))
EXPIRED=$(( $(metric "$SHARED" 'mailsetup_redis_cache_total{result="wait-expired"}') + $(metric "$SHARED_B" 'mailsetup_redis_cache_total{result="wait-expired"}') ))
WAITED=$(( $(metric "$SHARED" 'mailsetup_redis_cache_total{result="hit-after-wait"}') + $(metric "$SHARED_B" 'mailsetup_redis_cache_total{result="hit-after-wait"}') ))

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
CPU=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
JV=$( ("$JAVA" -version 2>&1 || true) | head -1)
RV=$(redis-server --version | awk '{print $3}')
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", 100 * a / b }'; }
cat > "$OUT" <<MD
# Replicas sharing Redis

Generated by \`benchmarks/redis/redis-bench.sh\` on $(date -u +%Y-%m-%d). Machine: $(nproc) cores ($CPU); $JV;
Redis $RV (${RV:+no persistence}); client, replicas, Redis and load generator share the cores over loopback.
Load average before: $LOAD_BEFORE; after: $LOAD_AFTER.

## Cached throughput

\`GET /$Q\` (a cached lookup), \`wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s\`, $ROUNDS alternating rounds; medians:

| replica | requests/s | vs in-process |
| --- | ---: | ---: |
| in-process cache, no limits | ${BEST[local]} | 100 % |
| Redis as second level, no limits | ${BEST[shared]} | $(ratio "${BEST[shared]}" "${BEST[local]}") % |
| in-process cache and limits | ${BEST[local-lim]} | $(ratio "${BEST[local-lim]}" "${BEST[local]}") % |
| Redis as second level, limits in Redis | ${BEST[shared-lim]} | $(ratio "${BEST[shared-lim]}" "${BEST[local]}") % |

The largest resident set of the four replicas after these runs (\`-Xmx512m\`): ${RSS} MiB.

Every round (requests/s, p50 ms, p99 ms):

| round | replica | requests/s | p50 | p99 |
| --- | --- | ---: | ---: | ---: |
$ROWS
## What a Redis hit costs

$N addresses, one request at a time on one connection: first on replica A (a discovery from the
bundled database, stored in Redis), then each on replica B (a local miss answered by Redis), then
again on A (a local hit). Milliseconds:

| answer | p50 | p99 |
| --- | ---: | ---: |
| local hit | $LH50 | $LH99 |
| Redis hit | $RH50 | $RH99 |
| discovery (bundled database only) | $COLD50 | $COLD99 |

## Cross-replica: $N cold addresses, each sent to both replicas at once

| replicas | requests | discoveries run |
| --- | ---: | ---: |
| sharing Redis | $((2 * N)) | **$WITH_REDIS** (target $N; $WAITED answers waited for the other replica's lock; $EXPIRED waited in vain; Redis calls that failed or took longer than $REDIS_TIMEOUT in this run: $ERRORS) |
| in-process only | $((2 * N)) | $WITHOUT |
MD
echo "wrote $OUT" >&2
cat "$OUT"
