#!/usr/bin/env bash
# bench/http/ab.sh: alternating A/B load of one route on several variants of the counter example,
# each on its own server and data directory; prints, per variant, the median req/s, the server's
# CPU per request and the median over rounds of its req/s divided by variant 0's in the same round.
# Rounds alternate between the servers, so a noisy, shared machine slows every variant alike.
#
#   bench/http/ab.sh ROUTE ROUNDS VARIANT...
#   bench/http/ab.sh /counter/a/inc 8 '|' '|--durability os' '-Dsome.flag=1|'
#   BENCH_LUA=bench/http/thousand.lua bench/http/ab.sh / 8 '|' '|--history-days 0'
#
# A VARIANT is 'JVM_OPTIONS|DOBJ_DEV_ARGUMENTS': the part before | goes to DOBJ_JAVA_OPTS, the part
# after it to `dobj dev`. '|' is the build as it is.
#
# Environment:
#   BENCH_DURATION   wrk's -d per round and variant (default 5s)
#   BENCH_WARMUP     a wrk run of that length on each server before the first round (default 12s)
#   BENCH_LUA        a wrk script (-s) for the route, e.g. thousand.lua
#
# Servers listen on 127.0.0.1:19000 and up (metrics on 19100 and up), data under a temporary
# folder removed at the end. The server must be built (./dobj builds it when sources changed).
set -euo pipefail

if [ $# -lt 3 ]; then
  echo "usage: ab.sh ROUTE ROUNDS VARIANT... (VARIANT: 'JVM_OPTIONS|DOBJ_DEV_ARGUMENTS')" >&2
  exit 2
fi
route=$1
rounds=$2
shift 2
root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)
# shellcheck source=common.sh
. "$root/bench/http/common.sh"
bench_check ab.sh "$rounds"
duration=${BENCH_DURATION:-5s}
warmup=${BENCH_WARMUP:-12s}
lua=()
if [ -n "${BENCH_LUA:-}" ]; then
  lua=(-s "$BENCH_LUA")
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/dobj-bench-ab.XXXXXX")
launchers=()
ports=()

cleanup() {
  for p in "${launchers[@]}"; do
    kill -TERM "$p" 2>/dev/null || true
  done
  wait || true
  rm -rf "$work"
}
trap cleanup EXIT

i=0
for variant in "$@"; do
  jvm=${variant%%|*}
  args=''
  if [[ $variant == *"|"* ]]; then
    args=${variant#*|}
  fi
  port=$((19000 + i))
  # shellcheck disable=SC2086 # the variant's arguments are words on purpose
  DOBJ_JAVA_OPTS="$jvm" "$root/dobj" dev "$root/examples/counter" $args --port "$port" \
    --data "$work/data$i" --metrics-port $((19100 + i)) >"$work/server$i.log" 2>&1 &
  launchers+=($!)
  ports+=("$port")
  i=$((i + 1))
done

pids=()
for j in "${!ports[@]}"; do
  port=${ports[$j]}
  for _ in $(seq 1 600); do
    curl -s -o /dev/null "http://127.0.0.1:$port/plain" && break
    sleep 0.2
  done
  pid=$(pgrep -f -- "java.*--port $port" | head -1 || true)
  if [ -z "$pid" ]; then
    echo "ab.sh: the server on port $port did not start; its log:" >&2
    cat "$work/server$j.log" >&2
    exit 1
  fi
  pids+=("$pid")
done
for port in "${ports[@]}"; do
  wrk -t2 -c32 -d"$warmup" "${lua[@]}" "http://127.0.0.1:$port$route" >/dev/null
done

# CPU seconds (user + system) of process $1 so far.
cpu_seconds() {
  awk -v tck="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); print ($12 + $13) / tck }' "/proc/$1/stat"
}

results="$work/results"
: >"$results"
for round in $(seq 1 "$rounds"); do
  for j in "${!ports[@]}"; do
    before=$(cpu_seconds "${pids[$j]}")
    out=$(wrk -t2 -c32 -d"$duration" "${lua[@]}" "http://127.0.0.1:${ports[$j]}$route")
    after=$(cpu_seconds "${pids[$j]}")
    requests=$(awk '/requests in/ { print $1 }' <<<"$out")
    rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
    echo "$round $j $rps $before $after $requests" >>"$results"
  done
done

python3 - "$results" "$@" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
variants = sys.argv[2:]
rps, cpu = {}, {}
for r, j, x, before, after, n in rows:
    rps.setdefault(int(j), {})[int(r)] = float(x)
    cpu.setdefault(int(j), []).append((float(after) - float(before)) * 1e6 / int(n))
for j, v in enumerate(variants):
    ratios = [rps[j][r] / rps[0][r] for r in rps[j]]
    print(f"variant {j} {v!r}: req/s median {statistics.median(rps[j].values()):.0f}, "
          f"server CPU {statistics.median(cpu[j]):.1f} us/request, "
          f"ratio to variant 0 {statistics.median(ratios):.3f}, "
          f"rounds {[round(x) for x in rps[j].values()]}")
PY
