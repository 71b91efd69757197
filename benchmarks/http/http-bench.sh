#!/usr/bin/env bash
# HTTP benchmark of `mailsetup serve` on cached lookups, side by side with nginx serving the same
# config-v1.1.xml bytes as a static file (the practical upper bound for this machine), all on loopback.
#
#   benchmarks/http/http-bench.sh            # builds the jar if needed, writes benchmarks/http/results.md
#   DURATION=30 benchmarks/http/http-bench.sh
#
# Needs: java (21+), wrk and nginx (Debian: apt-get install -y wrk nginx-light). Every process it
# starts is stopped on exit; traffic goes to 127.0.0.1 only and every run is bounded in time.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$ROOT/benchmarks/http/results.md}
DURATION=${DURATION:-15}          # seconds per measured run
ROUNDS=${ROUNDS:-3}               # alternating rounds of nginx / mailsetup XML / mailsetup JSON
WARMUP=${WARMUP:-10}              # seconds of warm-up per server
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
JAR=$ROOT/service/target/mailsetup.jar
# The jar needs Java 21+; prefer JAVA_HOME, then the JDKs CI uses.
if [ -z "${JAVA:-}" ]; then
  for jdk in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64; do
    if [ -n "$jdk" ] && "$jdk/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then JAVA=$jdk/bin/java; break; fi
  done
fi
JAVA=${JAVA:-java}
EMAIL=alice@posteo.de             # a bundled provider entry: answered offline, then from the cache
QUERY="emailaddress=alice%40posteo.de"

if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
  # Debian packages; as root, like the other lab scripts.
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk nginx-light >/dev/null \
    || { echo "missing wrk or nginx, and apt-get install -y wrk nginx-light failed" >&2; exit 1; }
fi
command -v "$JAVA" >/dev/null || { echo "missing: $JAVA (a JDK 21+; set JAVA=/path/to/bin/java)" >&2; exit 1; }
if [ ! -f "$JAR" ]; then
  (cd "$ROOT" && JAVA_HOME=$(dirname "$(dirname "$(command -v "$JAVA")")") mvn -q -B -pl service -am package -DskipTests)
fi

WORK=$(mktemp -d /tmp/mailsetup-bench.XXXXXX)
chmod 755 "$WORK"   # nginx workers run unprivileged and must read the document root
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -f "$WORK/nginx.pid" ]; then kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_http() { # url
  for _ in $(seq 1 150); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "not answering: $1" >&2; return 1
}

# Only providerdb is consulted and nothing is probed: lookups need no network. The resolver is a
# closed loopback port, so core's MX query fails at once instead of waiting.
start_server() { # port, extra args...
  local port=$1; shift
  "$JAVA" -Xms256m -Xmx512m -jar "$JAR" serve --port "$port" --bind 127.0.0.1 --no-verify \
    --dns 127.0.0.1:9 --disable autoconfig,ispdb,mx,srv,autodiscover,pacc,guess "$@" \
    > "$WORK/server-$port.log" 2>&1 &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$port/readyz" || { cat "$WORK/server-$port.log" >&2; return 1; }
}

# "Requests/sec" and the 50/90/99 % latencies (ms) from `wrk --latency` output.
parse() { # file
  awk '
    function ms(v) { if (v ~ /us$/) return substr(v,1,length(v)-2)/1000; if (v ~ /ms$/) return substr(v,1,length(v)-2)+0;
                     if (v ~ /s$/) return substr(v,1,length(v)-1)*1000; return v }
    /Requests\/sec/ { rps=$2 }
    $1=="50%" { p50=ms($2) } $1=="90%" { p90=ms($2) } $1=="99%" { p99=ms($2) }
    /Non-2xx/ { non2xx=$NF }
    /Socket errors/ { errs=$0 }
    END { printf "%s %s %s %s %s\n", rps, p50, p90, p99, (non2xx==""?0:non2xx) }' "$1"
}

run_wrk() { # name, url, duration, connections, [lua script]
  local name=$1 url=$2 dur=$3 conns=$4 script=${5:-}
  local args=(-t"$THREADS" -c"$conns" -d"${dur}s" --timeout 5s --latency)
  [ -n "$script" ] && args+=(-s "$script")
  wrk "${args[@]}" "$url" > "$WORK/$name.txt" 2>&1
  cat "$WORK/$name.txt" >&2
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
MS_PORT=$(free_port)
NGINX_PORT=$(free_port)
RL_PORT=$(free_port)

echo "== starting mailsetup serve (rate limit off) on $MS_PORT" >&2
start_server "$MS_PORT" --no-rate-limit
curl -fsS "http://127.0.0.1:$MS_PORT/mail/config-v1.1.xml?$QUERY" -o "$WORK/config-v1.1.xml"
grep -q '<incomingServer' "$WORK/config-v1.1.xml" || { echo "the lookup found nothing" >&2; cat "$WORK/config-v1.1.xml" >&2; exit 1; }

echo "== starting nginx on $NGINX_PORT with the same bytes" >&2
mkdir -p "$WORK/www/mail" "$WORK/nginx-tmp"
cp "$WORK/config-v1.1.xml" "$WORK/www/mail/config-v1.1.xml"
cat > "$WORK/nginx.conf" <<NGINX
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
daemon on;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx-tmp/body;
  proxy_temp_path $WORK/nginx-tmp/proxy;
  fastcgi_temp_path $WORK/nginx-tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx-tmp/uwsgi;
  scgi_temp_path $WORK/nginx-tmp/scgi;
  types { application/xml xml; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
    add_header Cache-Control no-store;
  }
}
NGINX
nginx -c "$WORK/nginx.conf" -p "$WORK"
wait_http "http://127.0.0.1:$NGINX_PORT/mail/config-v1.1.xml?$QUERY"

NGINX_URL="http://127.0.0.1:$NGINX_PORT/mail/config-v1.1.xml?$QUERY"
MS_URL="http://127.0.0.1:$MS_PORT/mail/config-v1.1.xml?$QUERY"
JSON_URL="http://127.0.0.1:$MS_PORT/v1/lookup?email=alice%40posteo.de"

echo "== warm-up" >&2
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$MS_URL" > /dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$JSON_URL" > /dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$((WARMUP / 2))s" "$NGINX_URL" > /dev/null

# Other work on a shared machine makes single runs noisy: alternate the servers for ROUNDS rounds and
# keep every round; the summary uses each one's best round and the median of the per-round ratios.
ROWS=""
BEST_N=0; BEST_M=0; BEST_J=0
RATIOS=()
for round in $(seq 1 "$ROUNDS"); do
  echo "== max throughput, round $round" >&2
  run_wrk "nginx-$round" "$NGINX_URL" "$DURATION" "$CONNECTIONS"
  run_wrk "mailsetup-$round" "$MS_URL" "$DURATION" "$CONNECTIONS"
  run_wrk "json-$round" "$JSON_URL" "$DURATION" "$CONNECTIONS"
  read -r a_rps a_p50 a_p90 a_p99 a_non <<< "$(parse "$WORK/nginx-$round.txt")"
  read -r b_rps b_p50 b_p90 b_p99 b_non <<< "$(parse "$WORK/mailsetup-$round.txt")"
  read -r c_rps c_p50 c_p90 c_p99 c_non <<< "$(parse "$WORK/json-$round.txt")"
  ROWS+="| $round | nginx, static file | $a_rps | $a_p50 | $a_p90 | $a_p99 | $a_non |"$'\n'
  ROWS+="| $round | mailsetup, autoconfig XML | $b_rps | $b_p50 | $b_p90 | $b_p99 | $b_non |"$'\n'
  ROWS+="| $round | mailsetup, \`/v1/lookup\` JSON | $c_rps | $c_p50 | $c_p90 | $c_p99 | $c_non |"$'\n'
  RATIOS+=("$(awk -v m="$b_rps" -v n="$a_rps" 'BEGIN { printf "%.0f", 100 * m / n }')")
  if awk -v x="$a_rps" -v y="$BEST_N" 'BEGIN { exit !(x > y) }'; then BEST_N=$a_rps; N_P50=$a_p50; N_P90=$a_p90; N_P99=$a_p99; N_NON=$a_non; fi
  if awk -v x="$b_rps" -v y="$BEST_M" 'BEGIN { exit !(x > y) }'; then BEST_M=$b_rps; M_P50=$b_p50; M_P90=$b_p90; M_P99=$b_p99; M_NON=$b_non; fi
  if awk -v x="$c_rps" -v y="$BEST_J" 'BEGIN { exit !(x > y) }'; then BEST_J=$c_rps; J_P50=$c_p50; J_P90=$c_p90; J_P99=$c_p99; J_NON=$c_non; fi
done
N_RPS=$BEST_N; M_RPS=$BEST_M; J_RPS=$BEST_J
MEDIAN_RATIO=$(printf '%s\n' "${RATIOS[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')

# Half load: wrk has no fixed rate, so each connection pauses between requests (Lua delay()) for
# about connections / (rate / 2) seconds; the achieved rate is reported as measured.
HALF_CONNS=64
DELAY_MS=$(awk -v c=$HALF_CONNS -v r="$M_RPS" 'BEGIN { d = c * 1000 / (r / 2); printf "%d", (d < 1 ? 1 : d + 0.5) }')
cat > "$WORK/delay.lua" <<LUA
function delay() return $DELAY_MS end
LUA
echo "== half load (delay ${DELAY_MS} ms per connection)" >&2
run_wrk mailsetup-half "$MS_URL" "$DURATION" "$HALF_CONNS" "$WORK/delay.lua"
run_wrk nginx-half "$NGINX_URL" "$DURATION" "$HALF_CONNS" "$WORK/delay.lua"
read -r H_RPS H_P50 H_P90 H_P99 H_NON <<< "$(parse "$WORK/mailsetup-half.txt")"
read -r NH_RPS NH_P50 NH_P90 NH_P99 NH_NON <<< "$(parse "$WORK/nginx-half.txt")"

# Overload with the default rate limit (60/min, burst 20): everything past the burst must be a 429.
echo "== overload with the rate limit on, port $RL_PORT" >&2
start_server "$RL_PORT"
# Warm the JIT on the refusal path first; it uses up the burst, so the measured run sees the refill only.
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "http://127.0.0.1:$RL_PORT/mail/config-v1.1.xml?$QUERY" > /dev/null
cat > "$WORK/status.lua" <<'LUA'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) codes = {} end
function response(status, headers, body) codes[status] = (codes[status] or 0) + 1 end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local c = t:get("codes")
    for k, v in pairs(c) do total[k] = (total[k] or 0) + v end
  end
  for k, v in pairs(total) do io.write(string.format("status %d: %d\n", k, v)) end
  io.write(string.format("errors: connect %d, read %d, write %d, timeout %d (wrk also counts the %d non-2xx answers as status errors)\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout, summary.errors.status))
end
LUA
run_wrk overload "http://127.0.0.1:$RL_PORT/mail/config-v1.1.xml?$QUERY" 10 "$CONNECTIONS" "$WORK/status.lua"
read -r O_RPS O_P50 O_P90 O_P99 O_NON <<< "$(parse "$WORK/overload.txt")"
O_200=$(awk '/^status 200:/ {print $3}' "$WORK/overload.txt"); O_200=${O_200:-0}
O_429=$(awk '/^status 429:/ {print $3}' "$WORK/overload.txt"); O_429=${O_429:-0}
O_ERR=$(grep '^errors:' "$WORK/overload.txt" | sed 's/^errors: //')
RETRY_AFTER=$(curl -s -o /dev/null -D - "http://127.0.0.1:$RL_PORT/mail/config-v1.1.xml?$QUERY" | tr -d '\r' | awk -F': ' 'tolower($1)=="retry-after" {print $2}')

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
RATIO=$(awk -v m="$M_RPS" -v n="$N_RPS" 'BEGIN { printf "%.0f", 100 * m / n }')
JRATIO=$(awk -v m="$J_RPS" -v n="$N_RPS" 'BEGIN { printf "%.0f", 100 * m / n }')
CPU=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
JV=$( ("$JAVA" -version 2>&1 || true) | head -1)
NV=$( (nginx -v 2>&1 || true) | sed 's/^nginx version: //')
WV=$( (wrk -v 2>&1 || true) | head -1 | awk '{print $1, $2}')

cat > "$OUT" <<MD
# HTTP benchmark: \`mailsetup serve\` vs nginx (static file)

Generated by \`benchmarks/http/http-bench.sh\` on $(date -u +%Y-%m-%d). Machine: $(nproc) cores ($CPU), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo);
$JV; nginx $NV (\`worker_processes auto\`); $WV. Client, servers and load generator share the same
$(nproc) cores over loopback, so absolute numbers are low and comparable only within this run. Load
average before the run: $LOAD_BEFORE; after: $LOAD_AFTER (above $(nproc), other work competed for the cores).

Workload: \`GET /mail/config-v1.1.xml?$QUERY\` — a cached lookup of a bundled provider (discovery ran
once; afterwards core's cache answers and the rendered bytes are reused). nginx serves the very same
bytes from a file. \`wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency\`, after ${WARMUP} s of warm-up.

Best of $ROUNDS alternating rounds (all rounds below):

| run | requests/s | p50 ms | p90 ms | p99 ms | non-2xx |
| --- | ---: | ---: | ---: | ---: | ---: |
| nginx, static file (upper bound) | $N_RPS | $N_P50 | $N_P90 | $N_P99 | $N_NON |
| mailsetup, autoconfig XML | $M_RPS | $M_P50 | $M_P90 | $M_P99 | $M_NON |
| mailsetup, \`/v1/lookup\` JSON | $J_RPS | $J_P50 | $J_P90 | $J_P99 | $J_NON |
| mailsetup at ~half load ($HALF_CONNS conns, ${DELAY_MS} ms pause) | $H_RPS | $H_P50 | $H_P90 | $H_P99 | $H_NON |
| nginx at the same pacing | $NH_RPS | $NH_P50 | $NH_P90 | $NH_P99 | $NH_NON |

**mailsetup reaches ${RATIO}% of nginx's throughput** on the autoconfig XML, best against best
(median of the per-round ratios: ${MEDIAN_RATIO}%; JSON: ${JRATIO}%).
Goal: ≥ 50%, and p99 < 10 ms at half load (measured: ${H_P99} ms at ${H_RPS} requests/s).

Every round:

| round | run | requests/s | p50 ms | p90 ms | p99 ms | non-2xx |
| --- | --- | ---: | ---: | ---: | ---: | ---: |
$ROWS

## Overload with the rate limit on (defaults: 60/min per client, burst 20)

All of wrk's $CONNECTIONS connections come from 127.0.0.1, i.e. one client, for 10 s (after ${WARMUP} s of
warm-up that already used the burst, so the 200s below are the refill of one token a second):

- 200: $O_200, 429: $O_429 (total $(awk -v a="$O_200" -v b="$O_429" 'BEGIN{print a+b}'), $O_RPS requests/s)
- wrk socket errors: $O_ERR
- p50 $O_P50 ms, p99 $O_P99 ms; \`Retry-After\` on a refusal: ${RETRY_AFTER:-?} s

Excess load is refused cheaply with 429 and \`Retry-After\`, not with errors or time-outs.
MD
echo "wrote $OUT" >&2
cat "$OUT"
