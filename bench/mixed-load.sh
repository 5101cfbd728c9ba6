#!/usr/bin/env bash
# Mixed loopback load test, bounded in time: lookups, lists, search, relationships and path queries
# (bench/mixed-load.lua) POSTed to /graphql of a Release API on 127.0.0.1 with the seeded database. It probes a
# few concurrency levels briefly, takes the one with the highest throughput and no errors, and runs DURATION
# (60 s) at it, sampling the server's resident memory every second. Every answer is checked: a status other than
# 200 or a body with "errors" counts as an error, and any error fails the run. See docs/benchmarks.md,
# "Mixed load for 60 s (wrk)".
#
#   bench/mixed-load.sh                          # probe 4 8 16 32 64 connections for 10 s each, then 60 s at the best
#   CONNECTIONS=16 bench/mixed-load.sh           # skip the probe
#   LEVELS="8 16" PROBE=5s DURATION=30s bench/mixed-load.sh
#   OUT=/tmp/mixed bench/mixed-load.sh           # keep wrk's reports, the RSS samples and the server log there
#
# With dotnet-counters installed (dotnet tool install -g dotnet-counters), it also records the runtime's counters
# during the main run and prints the managed heap after each GC (gen2, LOH) and the GC's committed memory, which
# tell a leak (live objects growing) from the GC sizing its heaps; COUNTERS=0 turns that off.
#
# It builds Release, starts the API with a temporary database (seeded from seed/ on first start, about 10 s;
# BENCH_DB=path keeps and reuses one), waits for /readyz, runs wrk on loopback only (every run bounded by -d),
# and stops the server. The per-client rate limit (RateLimit:Enabled) is turned off for the run: one wrk client
# is the whole load. Installs wrk with apt-get when it is missing and we are root.
set -euo pipefail
cd "$(dirname "$0")/.."

THREADS=${THREADS:-2}
LEVELS=${LEVELS:-"4 8 16 32 64"}
PROBE=${PROBE:-10s}
WARMUP=${WARMUP:-10s}
DURATION=${DURATION:-60s}
CONNECTIONS=${CONNECTIONS:-}
COUNTERS=${COUNTERS:-1}
PORT=${PORT:-5098}
BASE="http://127.0.0.1:$PORT"
SCRIPT="$PWD/bench/mixed-load.lua"

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "== installing wrk (apt-get)"
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
  else
    echo "wrk not found: install it (Debian/Ubuntu: apt-get install wrk)" >&2
    exit 1
  fi
fi

echo "== build (Release)"
dotnet build -c Release src/OrgGraph.Api -v quiet -nologo | tail -n 3
out="$PWD/src/OrgGraph.Api/bin/Release/net10.0"

work=${OUT:-$(mktemp -d)}
mkdir -p "$work"
db=${BENCH_DB:-$work/orggraph.db}
server=""
sampler=""
counters=""
cleanup() {
  if [ -n "$sampler" ]; then kill "$sampler" 2>/dev/null || true; fi
  if [ -n "$counters" ]; then kill "$counters" 2>/dev/null || true; fi
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  if [ -z "${OUT:-}" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT

echo "== start the API on $BASE (database $db; log $work/server.log)"
# The content root is the output folder, so the shipped appsettings.json (and its log levels) apply.
(cd "$out" && exec env Storage__Sqlite__Path="$db" RateLimit__Enabled=false ASPNETCORE_ENVIRONMENT=Production \
  dotnet OrgGraph.Api.dll --urls "$BASE") >"$work/server.log" 2>&1 &
server=$!

for _ in $(seq 1 600); do
  if curl -fs -o /dev/null "$BASE/readyz"; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then cat "$work/server.log" >&2; echo "the API stopped" >&2; exit 1; fi
  sleep 0.5
done
curl -fs -o /dev/null "$BASE/readyz" || { tail -n 20 "$work/server.log" >&2; echo "the API did not become ready" >&2; exit 1; }

rss() { awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$server/status"; }
echo "== ready; server RSS $(rss) MiB; $(nproc) cores; load average:$(uptime | sed 's/.*load average://')"

# run NAME CONNECTIONS DURATION: wrk's report to $work/NAME.txt; fails on any error
run() {
  wrk -t"$THREADS" -c"$2" -d"$3" --timeout 10s -s "$SCRIPT" "$BASE/graphql" >"$work/$1.txt"
  if ! grep -q '^MIX errors non200=0 graphql=0 connect=0 read=0 write=0 timeout=0 status=0$' "$work/$1.txt"; then
    cat "$work/$1.txt" >&2
    echo "$1: errors under load" >&2
    exit 1
  fi
}
field() { awk -v k="$2" '/^MIX/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' "$work/$1.txt"; }
summary() { echo "$(field "$1" rps) req/s, latency p50 $(field "$1" p50) / p90 $(field "$1" p90) / p99 $(field "$1" p99) / max $(field "$1" max) ms"; }

echo "== warm-up: $WARMUP at 8 connections"
run warmup 8 "$WARMUP"
echo "warm-up: $(summary warmup); server RSS $(rss) MiB"

if [ -z "$CONNECTIONS" ]; then
  echo "== probe: $PROBE at each of $LEVELS connections"
  best=0
  for c in $LEVELS; do
    run "probe-$c" "$c" "$PROBE"
    r=$(field "probe-$c" rps)
    echo "  $c connections: $(summary "probe-$c")"
    if awk -v r="$r" -v b="$best" 'BEGIN { exit !(r > b) }'; then best=$r; CONNECTIONS=$c; fi
  done
  echo "highest throughput without errors: $CONNECTIONS connections ($best req/s)"
fi

echo "== main run: wrk -t$THREADS -c$CONNECTIONS -d$DURATION, RSS sampled every second"
(while kill -0 "$server" 2>/dev/null; do echo "$(date +%s.%N) $(rss)"; sleep 1; done) >"$work/rss.txt" &
sampler=$!
dotnet_counters=$(command -v dotnet-counters || echo "$HOME/.dotnet/tools/dotnet-counters")
if [ "$COUNTERS" != 0 ] && [ -x "$dotnet_counters" ]; then
  rm -f "$work/counters.csv"
  "$dotnet_counters" collect -p "$server" --refresh-interval 5 --format csv -o "$work/counters.csv" >"$work/counters.log" 2>&1 &
  counters=$!
fi
run main "$CONNECTIONS" "$DURATION"
kill "$sampler" 2>/dev/null || true
wait "$sampler" 2>/dev/null || true
sampler=""
if [ -n "$counters" ]; then
  kill "$counters" 2>/dev/null || true # SIGTERM: background jobs of a script ignore SIGINT
  wait "$counters" 2>/dev/null || true
  counters=""
fi

grep '^MIX' "$work/main.txt"
# Memory: first and last sample, maximum, mean of the first and last 10 samples, and the least-squares slope.
awk '{ t[NR] = $1; m[NR] = $2 }
  END {
    n = NR; max = 0; for (i = 1; i <= n; i++) if (m[i] > max) max = m[i]
    k = (n < 20) ? int(n / 2) : 10; a = 0; b = 0
    for (i = 1; i <= k; i++) { a += m[i]; b += m[n - k + i] }
    sx = sy = sxy = sxx = 0
    for (i = 1; i <= n; i++) { x = t[i] - t[1]; sx += x; sy += m[i]; sxy += x * m[i]; sxx += x * x }
    slope = (n * sxx - sx * sx) ? (n * sxy - sx * sy) / (n * sxx - sx * sx) * 60 : 0
    printf "RSS MiB: start %.1f, end %.1f, max %.1f; mean of first %d samples %.1f, of last %d %.1f; slope %+.1f MiB/min over %d samples\n",
      m[1], m[n], max, k, a / k, k, b / k, slope, n
    printf "RSS MiB about every 10 s:"; for (i = 1; i <= n; i += 10) printf " %.0f", m[i]; printf "\n"
  }' "$work/rss.txt"
if [ -s "$work/counters.csv" ]; then
  # Every 5 s: the GC's committed memory, and the live managed heap (gen2 + LOH) as the last GC left it, in MiB.
  awk -F, '
    $3 ~ /^dotnet.gc.last_collection.memory.committed_size/ { c[++nc] = $5 / 1048576 }
    $3 ~ /^dotnet.gc.last_collection.heap.size.*=gen2\]/ { g[++ng] = $5 / 1048576 }
    $3 ~ /^dotnet.gc.last_collection.heap.size.*=loh\]/ { l[++nl] = $5 / 1048576 }
    END {
      if (ng == 0) exit
      printf "GC committed MiB every 5 s:"; for (i = 1; i <= nc; i++) printf " %.0f", c[i]; printf "\n"
      printf "gen2 + LOH MiB every 5 s:"; for (i = 1; i <= ng && i <= nl; i++) printf " %.1f", g[i] + l[i]; printf "\n"
    }' "$work/counters.csv"
fi
echo "load average after:$(uptime | sed 's/.*load average://')"
