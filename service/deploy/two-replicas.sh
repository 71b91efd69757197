#!/usr/bin/env bash
# The deployment example, run for real on loopback: two `mailsetup serve` replicas sharing one Redis,
# behind nginx with nginx-mailsetup.conf. Checks that a lookup answered by one replica is served by the
# other from Redis, that the rate limit holds across both, that nginx routes around a dead replica, and
# that both keep answering without Redis. Exit status 0 when all hold. CI runs it (.ci/run).
#
#   service/deploy/two-replicas.sh         # needs service/target/mailsetup.jar (mvn package), nginx, redis-server
#
# Every process it starts is stopped on exit; traffic stays on 127.0.0.1.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
JAR=$ROOT/service/target/mailsetup.jar
if [ -z "${JAVA:-}" ]; then
  for jdk in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64; do
    if [ -n "$jdk" ] && "$jdk/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then JAVA=$jdk/bin/java; break; fi
  done
fi
JAVA=${JAVA:-java}
for tool in nginx redis-server curl python3; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install -y nginx-light redis-server curl python3)" >&2; exit 1; }
done
[ -f "$JAR" ] || { echo "missing $JAR: run mvn -pl service -am package -DskipTests first" >&2; exit 1; }

WORK=$(mktemp -d /tmp/mailsetup-deploy.XXXXXX)
chmod 755 "$WORK"
declare -A PID
cleanup() {
  local rc=$?
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  for p in "${PID[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PID[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ $rc -ne 0 ]; then
    for f in "$WORK"/*.log; do echo "--- $f" >&2; tail -20 "$f" >&2; done
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "two-replicas: FAILED: $*" >&2; exit 1; }
ok() { echo "two-replicas: ok: $*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { # url
  for _ in $(seq 1 150); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.2; done
  fail "not answering: $1"
}
metric() { # port, metric line prefix → sum (0 when absent)
  curl -fsS "http://127.0.0.1:$1/metrics" | awk -v m="$2" 'index($0, m) == 1 { v += $NF } END { printf "%d\n", v + 0 }'
}

REDIS_PORT=$(free_port); A=$(free_port); B=$(free_port); LB=$(free_port)
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no --dir "$WORK" > "$WORK/redis.log" 2>&1 &
PID[redis]=$!

replica() { # name port
  # As a replica would run in production, but with discovery that needs no network (the bundled
  # provider database only, no probes) and a tight rate limit, to see it hold across both.
  MAILSETUP_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0 MAILSETUP_TRUSTED_PROXIES=127.0.0.1 \
  MAILSETUP_RATE_LIMIT=6/min MAILSETUP_RATE_BURST=6 \
    "$JAVA" -Xmx256m -jar "$JAR" serve --bind 127.0.0.1 --port "$2" --no-verify --dns 127.0.0.1:9 \
      --disable autoconfig,ispdb,mx,srv,autodiscover,pacc,guess > "$WORK/$1.log" 2>&1 &
  PID[$1]=$!
}
replica a "$A"
replica b "$B"

mkdir -p "$WORK/tmp"
sed -e "s/mailsetup-a:8080/127.0.0.1:$A/; s/mailsetup-b:8080/127.0.0.1:$B/; s/listen 80;/listen 127.0.0.1:$LB;/" \
  "$HERE/nginx-mailsetup.conf" > "$WORK/upstream.conf"
cat > "$WORK/nginx.conf" <<NGINX
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 256; }
http {
  access_log $WORK/nginx-access.log;
  client_body_temp_path $WORK/tmp/body;
  proxy_temp_path $WORK/tmp/proxy;
  fastcgi_temp_path $WORK/tmp/fastcgi;
  uwsgi_temp_path $WORK/tmp/uwsgi;
  scgi_temp_path $WORK/tmp/scgi;
  include $WORK/upstream.conf;
}
NGINX
nginx -t -q -c "$WORK/nginx.conf" -p "$WORK" || fail "nginx does not accept nginx-mailsetup.conf"
nginx -c "$WORK/nginx.conf" -p "$WORK"
wait_http "http://127.0.0.1:$A/readyz"
wait_http "http://127.0.0.1:$B/readyz"
wait_http "http://127.0.0.1:$LB/readyz"
for p in $A $B; do
  for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$p/readyz" | grep -q '"redis":"up"' && break; sleep 0.2; done
  curl -fsS "http://127.0.0.1:$p/readyz" | grep -q '"redis":"up"' || fail "replica on $p does not reach Redis"
done
ok "two replicas and nginx on 127.0.0.1:$LB, Redis up on both"

LOOKUP="http://127.0.0.1:$LB/v1/lookup?email=alice%40posteo.de"
# 1. Round robin sends the two requests to different replicas; one discovery between them.
for client in 198.51.100.1 198.51.100.1; do
  curl -fsS -o /dev/null -H "X-Forwarded-For: $client" "$LOOKUP" || fail "lookup through nginx"
done
A_SERVED=$(metric "$A" 'vertx_http_server_requests_total{code="200",method="GET",route="/v1/lookup"}')
B_SERVED=$(metric "$B" 'vertx_http_server_requests_total{code="200",method="GET",route="/v1/lookup"}')
[ "$A_SERVED" -eq 1 ] && [ "$B_SERVED" -eq 1 ] || fail "nginx did not spread the lookups (A $A_SERVED, B $B_SERVED)"
RUNS=$(( $(metric "$A" 'mailsetup_redis_cache_total{result="stored"}') + $(metric "$B" 'mailsetup_redis_cache_total{result="stored"}') ))
[ "$RUNS" -eq 1 ] || fail "expected one discovery for the two replicas, saw $RUNS"
ok "one lookup, answered by each replica, discovered once"

# 2. The rate limit (6 a minute, burst 6) holds for the client across both replicas.
CODES=""
for i in $(seq 1 6); do
  CODES+="$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 203.0.113.9' "$LOOKUP") "
done
[ "$CODES" = "200 200 200 200 200 200 " ] || fail "the first six lookups of a client: $CODES"
LAST=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 203.0.113.9' "$LOOKUP")
[ "$LAST" = 429 ] || fail "the seventh lookup of a client (three on one replica, four on the other) got $LAST, not 429"
ok "rate limit held across the replicas (6 × 200, then 429)"

# 3. A dead replica: nginx retries on the other, clients see no error.
kill "${PID[b]}"; wait "${PID[b]}" 2>/dev/null || true; unset 'PID[b]'
for i in $(seq 1 4); do
  curl -fsS -o /dev/null -H "X-Forwarded-For: 198.51.100.$((10 + i))" "$LOOKUP" || fail "lookup $i after replica B died"
done
ok "replica B killed: every lookup still answered (through A)"

# 4. Redis gone: the remaining replica answers alone, and is still ready.
WARNED=$(grep -c 'does not answer' "$WORK/a.log" || true)
kill "${PID[redis]}"; wait "${PID[redis]}" 2>/dev/null || true; unset 'PID[redis]'
for i in $(seq 1 4); do
  curl -fsS -o /dev/null -H "X-Forwarded-For: 198.51.100.$((20 + i))" \
    "http://127.0.0.1:$LB/v1/lookup?email=u$i%40posteo.de" || fail "lookup $i without Redis"
done
curl -fsS "http://127.0.0.1:$LB/readyz" | grep -q '"status":"ready"' || fail "not ready without Redis"
[ "$(grep -c 'does not answer' "$WORK/a.log")" -eq $((WARNED + 1)) ] || fail "expected one warning about the outage in A's log"
ok "Redis killed: lookups answered, /readyz ready, one warning in the log"
echo "two-replicas: all checks passed" >&2
