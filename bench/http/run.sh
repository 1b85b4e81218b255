#!/usr/bin/env bash
# bench/http/run.sh: HTTP load on the counter example, served by `./dobj dev` on a fresh data
# directory; prints one table (route, req/s, p50, p99).
#
#   bench/http/run.sh                                 10 s per route, durability fsync
#   BENCH_DURATION=3s BENCH_DURABILITY=os bench/http/run.sh
#   BENCH_METRICS=both BENCH_REPEATS=5 BENCH_DURATION=5s bench/http/run.sh   metrics on vs off
#
# Routes: /plain (HTTP only), /noop/a (one RPC, no storage), /counter/a/inc (key-value write to
# one object), /counter/n<random 0..999>/inc (thousand.lua: writes spread over 1,000 objects),
# /sqlcounter/a/inc (SQL write to one object). Each route runs `wrk -t2 -c32 -d<duration>
# --latency` against the same server, in that order; the counters start from zero.
#
# Environment:
#   BENCH_DURATION     wrk's -d per route (default 10s)
#   BENCH_DURABILITY   fsync or os, passed to dobj dev --durability (default fsync)
#   BENCH_DEV_ARGS     more options for dobj dev, e.g. '--history-days 0' (default: none)
#   BENCH_WARMUP       if set (e.g. 5s), a wrk run of that length on each route before its
#                      measured run (default: none)
#   BENCH_METRICS      on (default, as dobj dev), off (--no-metrics), or both: two servers, one
#                      with metrics and one without (each on its own data directory), loaded in
#                      turn, route by route, BENCH_REPEATS times (on then off, then off then on,
#                      ...); the table shows the median req/s of each and on/off
#   BENCH_REPEATS      runs per route and server with BENCH_METRICS=both (default 3); with one
#                      server, rounds over all routes (default 1), medians and each route's
#                      median ratio to /plain within a round
#   DOBJ_JAVA_OPTS     extra JVM options for the server (see ./dobj)
#
# Installs wrk with apt-get if it is missing. Needs bash 4+; the server is built by ./dobj when
# its sources changed. The server log and wrk's raw output stay in a temporary folder that is
# removed at the end unless the run fails (its path is printed then).
set -euo pipefail

root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)
here="$root/bench/http"
duration=${BENCH_DURATION:-10s}
durability=${BENCH_DURABILITY:-fsync}
warmup=${BENCH_WARMUP:-}
metrics=${BENCH_METRICS:-on}
repeats=${BENCH_REPEATS:-3}
threads=2
connections=32
start_timeout=600 # seconds; the first start may build dobj with Maven

case $durability in
  fsync | os) ;;
  *)
    echo "run.sh: BENCH_DURABILITY must be fsync or os, got '$durability'" >&2
    exit 2
    ;;
esac
case $metrics in
  on | off | both) ;;
  *)
    echo "run.sh: BENCH_METRICS must be on, off or both, got '$metrics'" >&2
    exit 2
    ;;
esac
if ! [[ $repeats =~ ^[1-9][0-9]*$ ]]; then
  echo "run.sh: BENCH_REPEATS must be a positive integer, got '$repeats'" >&2
  exit 2
fi

if ! command -v wrk >/dev/null 2>&1; then
  echo "run.sh: installing wrk (apt-get)" >&2
  sudo=()
  if [ "$(id -u)" != 0 ]; then
    sudo=(sudo)
  fi
  ${sudo[@]+"${sudo[@]}"} apt-get update -qq
  ${sudo[@]+"${sudo[@]}"} apt-get install -y -qq wrk >/dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/dobj-bench-http.XXXXXX")
declare -A pids=() ports=()
keep_work=''

# Stops server $1 with SIGTERM (its shutdown hook closes HTTP, the runtime and storage) and waits
# for it; SIGKILL after 60 s.
stop_server() {
  local label=$1 pid=${pids[$1]:-}
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    local waited=0
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 600 ]; do
      sleep 0.1
      waited=$((waited + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "run.sh: the $label server did not stop within 60 s of SIGTERM; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
  pids[$label]=''
}

cleanup() {
  local label
  for label in "${!pids[@]}"; do
    stop_server "$label"
  done
  if [ -n "$keep_work" ]; then
    echo "run.sh: the server logs and wrk output are in $work" >&2
  else
    rm -rf -- "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
  keep_work=1
  echo "run.sh: $*" >&2
  exit 1
}

# The status code of GET $2 on port $1, by bash's /dev/tcp (no curl needed); empty if none.
status_of() {
  local status_line=''
  if exec 3<>"/dev/tcp/127.0.0.1/$1" 2>/dev/null; then
    printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&3
    IFS= read -r -t 5 status_line <&3 || true
    exec 3<&- 3>&-
  fi
  status_line=${status_line%$'\r'}
  printf '%s\n' "${status_line#HTTP/1.1 }" | cut -d' ' -f1
}

# Starts server $1 (on: metrics on a free port; off: --no-metrics) on a port the OS picks
# (--port 0) and its own data directory, reads its port from the line it prints, and checks that
# every route answers 200.
start_server() {
  local label=$1 log="$work/server-$1.log" port='' i status path
  local flags=()
  [ "$label" = off ] && flags=(--no-metrics)
  # shellcheck disable=SC2206 # BENCH_DEV_ARGS is a list of options
  flags+=(${BENCH_DEV_ARGS:-})
  "$root/dobj" dev "$root/examples/counter" --port 0 --data "$work/data-$label" \
    --durability "$durability" ${flags[@]+"${flags[@]}"} >"$log" 2>&1 &
  pids[$label]=$!
  for ((i = 0; i < start_timeout * 10; i++)); do
    if ! kill -0 "${pids[$label]}" 2>/dev/null; then
      wait "${pids[$label]}" 2>/dev/null || true
      pids[$label]=''
      cat "$log" >&2
      fail "the $label server exited before serving (its output is above)"
    fi
    port=$(sed -n 's|^dobj dev: serving .* on http://127\.0\.0\.1:\([0-9]*\) .*|\1|p' "$log")
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || fail "the $label server did not start within $start_timeout s (log: $log)"
  ports[$label]=$port
  # Wait until /plain answers, then check that every route answers 200 before loading it.
  for ((i = 0; i < 300; i++)); do
    [ "$(status_of "$port" /plain)" = 200 ] && break
    sleep 0.1
  done
  [ "$(status_of "$port" /plain)" = 200 ] || fail "port $port /plain did not answer 200 within 30 s"
  for path in /noop/a /counter/a/get /counter/n0/get /sqlcounter/a/get; do
    status=$(status_of "$port" "$path")
    [ "$status" = 200 ] || fail "GET :$port$path answered '${status:-nothing}', expected 200"
  done
  if [ "$label" = on ]; then
    local metrics_port
    metrics_port=$(sed -n 's|^dobj dev: serving .*, metrics: http://127\.0\.0\.1:\([0-9]*\)/metrics).*|\1|p' "$log")
    [ -n "$metrics_port" ] || fail "the on server printed no metrics URL (log: $log)"
    [ "$(status_of "$metrics_port" /metrics)" = 200 ] || fail "GET :$metrics_port/metrics did not answer 200"
  fi
}

if [ "$metrics" = both ]; then
  sides=(off on)
else
  sides=("$metrics")
fi
for side in "${sides[@]}"; do
  start_server "$side"
done

# route label | path | wrk script (optional)
routes=(
  "/plain|/plain|"
  "/noop/a|/noop/a|"
  "/counter/a/inc|/counter/a/inc|"
  "/counter/<1 of 1000>/inc|/|$here/thousand.lua"
  "/sqlcounter/a/inc|/sqlcounter/a/inc|"
)

# wrk's latency as milliseconds with two decimals (wrk prints us, ms, s or m).
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : -1
    if (f < 0) { print "?"; exit }
    printf "%.2f", n * f
  }'
}

# wrk -d$3 on route $1 ($2: path|script) against server $4; prints req/s, p50 and p99 (ms).
measure() {
  local label=$1 path=$2 script=$3 side=$4 n=$5 out
  local args=(-t"$threads" -c"$connections" --latency)
  [ -n "$script" ] && args+=(-s "$script")
  local base="http://127.0.0.1:${ports[$side]}"
  if [ -n "$warmup" ]; then
    wrk "${args[@]}" -d"$warmup" "$base$path" >/dev/null
  fi
  out="$work/wrk-$n-$side.txt"
  wrk "${args[@]}" -d"$duration" "$base$path" >"$out" || fail "wrk failed on $label (see $out)"
  kill -0 "${pids[$side]}" 2>/dev/null || fail "the $side server died during $label"
  local rps p50 p99 bad errors
  rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")
  p50=$(awk '$1 == "50%" { print $2 }' "$out")
  p99=$(awk '$1 == "99%" { print $2 }' "$out")
  [ -n "$rps" ] && [ -n "$p50" ] && [ -n "$p99" ] || fail "cannot read wrk's output for $label ($out)"
  bad=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
  errors=$(sed -n 's/^ *Socket errors: *//p' "$out")
  [ -z "$bad" ] || echo "warning: $label ($side): $bad responses were not 2xx" >>"$work/warnings"
  [ -z "$errors" ] || echo "warning: $label ($side): socket errors: $errors" >>"$work/warnings"
  echo "$rps $(to_ms "$p50") $(to_ms "$p99")"
}

# The median of the numbers in $@.
median() {
  printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
    if (NR % 2) print v[(NR + 1) / 2]; else printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

rows=()
echo "run.sh: durability $durability; metrics $metrics; wrk -t$threads -c$connections" \
  "-d$duration per route${warmup:+ after a $warmup warm-up}" >&2

# One server, BENCH_REPEATS > 1: rounds over all routes, so every route meets the same noise; the
# table shows medians and, per route, the median of its ratio to /plain within each round.
single_repeats=${BENCH_REPEATS:-1}
if [ "$metrics" != both ] && [ "$single_repeats" -gt 1 ]; then
  declare -A rps_of p50_of p99_of ratio_of
  for ((r = 1; r <= single_repeats; r++)); do
    n=0
    plain=""
    for route in "${routes[@]}"; do
      IFS='|' read -r label path script <<<"$route"
      n=$((n + 1))
      echo "run.sh: $label, round $r of $single_repeats" >&2
      read -r rps p50 p99 <<<"$(measure "$label" "$path" "$script" "$metrics" "$n-$r")"
      [ -n "$plain" ] || plain=$rps
      rps_of[$n]+="$rps "
      p50_of[$n]+="$p50 "
      p99_of[$n]+="$p99 "
      ratio_of[$n]+="$(awk -v a="$rps" -v b="$plain" 'BEGIN { printf "%.0f", a * 100 / b }') "
    done
  done
  n=0
  for route in "${routes[@]}"; do
    IFS='|' read -r label _ _ <<<"$route"
    n=$((n + 1))
    # shellcheck disable=SC2086 # word splitting of the collected runs is intended
    rows+=("$(printf '%-26s %10s %10s %10s %9s%%   runs: %s' "$label" "$(median ${rps_of[$n]})" \
      "$(printf '%s\n' ${p50_of[$n]} | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')" \
      "$(printf '%s\n' ${p99_of[$n]} | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')" \
      "$(median ${ratio_of[$n]})" "${rps_of[$n]% }")")
  done
  routes=()
fi

n=0
for route in "${routes[@]}"; do
  IFS='|' read -r label path script <<<"$route"
  n=$((n + 1))
  if [ "$metrics" != both ]; then
    echo "run.sh: $label" >&2
    read -r rps p50 p99 <<<"$(measure "$label" "$path" "$script" "$metrics" "$n")"
    rows+=("$(printf '%-26s %10s %10s %10s' "$label" "$rps" "$p50" "$p99")")
    continue
  fi
  on=() off=()
  for ((r = 1; r <= repeats; r++)); do
    if ((r % 2)); then order=(on off); else order=(off on); fi
    for side in "${order[@]}"; do
      echo "run.sh: $label, metrics $side, run $r of $repeats" >&2
      read -r rps _ _ <<<"$(measure "$label" "$path" "$script" "$side" "$n-$r")"
      if [ "$side" = on ]; then on+=("$rps"); else off+=("$rps"); fi
    done
  done
  m_off=$(median "${off[@]}")
  m_on=$(median "${on[@]}")
  ratio=$(awk -v a="$m_on" -v b="$m_off" 'BEGIN { printf "%.1f%%", (a / b - 1) * 100 }')
  rows+=("$(printf '%-26s %12s %12s %8s   off: %s; on: %s' "$label" "$m_off" "$m_on" "$ratio" \
    "${off[*]}" "${on[*]}")")
done

for side in "${sides[@]}"; do
  stop_server "$side"
done

echo "# dobj dev examples/counter, durability $durability${BENCH_DEV_ARGS:+, $BENCH_DEV_ARGS}, wrk -t$threads -c$connections" \
  "-d$duration --latency${warmup:+ (after a $warmup warm-up)}, $(nproc 2>/dev/null || echo '?') CPUs"
if [ "$metrics" = both ]; then
  echo "# metrics off vs on: medians of $repeats runs each, interleaved"
  printf '%-26s %12s %12s %8s   %s\n' "route" "req/s off" "req/s on" "on/off" "runs (req/s)"
elif [ "$single_repeats" -gt 1 ]; then
  echo "# metrics $metrics; medians of $single_repeats rounds over all routes"
  printf '%-26s %10s %10s %10s %10s   %s\n' "route" "req/s" "p50 ms" "p99 ms" "vs /plain" "runs (req/s)"
else
  echo "# metrics $metrics"
  printf '%-26s %10s %10s %10s\n' "route" "req/s" "p50 ms" "p99 ms"
fi
printf '%s\n' "${rows[@]}"
if [ -s "$work/warnings" ]; then
  cat "$work/warnings"
  keep_work=1
fi
