#!/usr/bin/env bash
# HTTP load test on loopback: a simple GraphQL lookup POSTed to /graphql against /bench/bare, a plain
# ASP.NET Core endpoint in the same app returning the same bytes, measured in the same run with wrk.
# Prints requests/s and latency for each and the ratio graphql/bare. See docs/benchmarks.md.
#
#   bench/http-load.sh                      # wrk -t2 -c32 -d15s against each, after a 5 s warm-up each
#   DURATION=30s CONNECTIONS=64 bench/http-load.sh
#   ROUNDS=3 bench/http-load.sh             # alternate the two 3 times (steadier on a busy machine); median ratio
#
# It builds Release, starts the API on 127.0.0.1:$PORT with a temporary database (seeded from seed/ on
# first start, about 10 s; BENCH_DB=path keeps and reuses one), waits for /readyz, runs wrk (bounded in
# time, loopback only) and stops the server. Installs wrk and curl with apt-get when missing and we are root.
set -euo pipefail
cd "$(dirname "$0")/.."

THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-5s}
ROUNDS=${ROUNDS:-1}
PORT=${PORT:-5099}
QUERY=${QUERY:-'{ organisation(id: "QT1") { id name kind } }'}
BASE="http://127.0.0.1:$PORT"

for tool in wrk curl; do
  if ! command -v "$tool" >/dev/null; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
      echo "== installing $tool (apt-get)"
      apt-get install -y "$tool" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$tool" >/dev/null; }
    else
      echo "$tool not found: install it (Debian/Ubuntu: apt-get install $tool)" >&2
      exit 1
    fi
  fi
done

echo "== build (Release)"
dotnet build -c Release src/OrgGraph.Api -v quiet -nologo | tail -n 3
out="$PWD/src/OrgGraph.Api/bin/Release/net10.0"

work=$(mktemp -d)
db=${BENCH_DB:-$work/orggraph.db}
server=""
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== start the API on $BASE (database $db; log $work/server.log)"
# The content root is the output folder, so the shipped appsettings.json (and its log levels) apply.
# wrk is one client: the per-client rate limit of /graphql (RateLimit) is turned off for the run.
(cd "$out" && exec env Storage__Sqlite__Path="$db" Benchmark__BareEndpoint=true Benchmark__Query="$QUERY" RateLimit__Enabled=false \
  ASPNETCORE_ENVIRONMENT=Production dotnet OrgGraph.Api.dll --urls "$BASE") >"$work/server.log" 2>&1 &
server=$!

for _ in $(seq 1 600); do
  if curl -fs -o /dev/null "$BASE/readyz"; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then cat "$work/server.log" >&2; echo "the API stopped" >&2; exit 1; fi
  sleep 0.5
done
curl -fs -o /dev/null "$BASE/readyz" || { tail -n 20 "$work/server.log" >&2; echo "the API did not become ready" >&2; exit 1; }

# The request body, and a check that both endpoints answer the same bytes and content type.
json_query=$(printf '%s' "$QUERY" | sed 's/\\/\\\\/g; s/"/\\"/g')
body="{\"query\":\"$json_query\"}"
curl -fs -D "$work/graphql.h" -o "$work/graphql.json" -H 'Content-Type: application/json' -d "$body" "$BASE/graphql"
curl -fs -D "$work/bare.h" -o "$work/bare.json" -H 'Content-Type: application/json' -d "$body" "$BASE/bench/bare"
if ! cmp -s "$work/graphql.json" "$work/bare.json"; then
  echo "the answers differ:" >&2; cat "$work/graphql.json" "$work/bare.json" >&2; exit 1
fi
ctype() { grep -i '^content-type:' "$1" | tr -d '\r'; }
[ "$(ctype "$work/graphql.h")" = "$(ctype "$work/bare.h")" ] || { echo "content types differ" >&2; exit 1; }
echo "answer ($(wc -c <"$work/bare.json") bytes, $(ctype "$work/bare.h")): $(cat "$work/bare.json")"

cat >"$work/post.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [==[$body]==]
EOF

# run NAME PATH DURATION: wrk's report to $work/NAME.txt
run() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3" --latency -s "$work/post.lua" "$BASE$2" >"$work/$1.txt"
  if grep -q 'Non-2xx' "$work/$1.txt"; then cat "$work/$1.txt" >&2; echo "$1: errors under load" >&2; exit 1; fi
}
rps() { awk '/^Requests\/sec:/ {print $2}' "$work/$1.txt"; }
latency() { awk '/^ +Latency +[0-9]/ {avg=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {print "avg " avg ", p50 " p50 ", p99 " p99}' "$work/$1.txt"; }

echo "== machine: $(nproc) cores; load average before the run:$(uptime | sed 's/.*load average://')"
echo "== warm-up ($WARMUP each)"
run warm-graphql /graphql "$WARMUP"
run warm-bare /bench/bare "$WARMUP"

echo "== wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, POST $body; $ROUNDS round(s), each /graphql then /bench/bare"
ratios=()
for round in $(seq 1 "$ROUNDS"); do
  run graphql /graphql "$DURATION"
  run bare /bench/bare "$DURATION"
  g=$(rps graphql)
  b=$(rps bare)
  r=$(awk -v g="$g" -v b="$b" 'BEGIN { printf "%.2f", g / b }')
  ratios+=("$r")
  [ "$ROUNDS" -gt 1 ] && echo "-- round $round"
  printf '%-12s %10s req/s  latency %s\n' "/graphql" "$g" "$(latency graphql)"
  printf '%-12s %10s req/s  latency %s\n' "/bench/bare" "$b" "$(latency bare)"
  echo "ratio graphql/bare: $r"
  if [ -n "${VERBOSE:-}" ]; then cat "$work/graphql.txt" "$work/bare.txt"; fi
done
if [ "$ROUNDS" -gt 1 ]; then
  echo "median ratio over $ROUNDS rounds: $(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')"
fi
