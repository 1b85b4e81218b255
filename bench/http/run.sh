#!/usr/bin/env bash
# bench/http/run.sh: HTTP load on the counter example, served by `./dobj dev` on a fresh data
# directory; prints one table (route, req/s, p50, p99).
#
#   bench/http/run.sh                                 10 s per route, durability fsync
#   BENCH_DURATION=3s BENCH_DURABILITY=os bench/http/run.sh
#
# Routes: /plain (HTTP only), /noop/a (one RPC, no storage), /counter/a/inc (key-value write to
# one object), /counter/n<random 0..999>/inc (thousand.lua: writes spread over 1,000 objects),
# /sqlcounter/a/inc (SQL write to one object). Each route runs `wrk -t2 -c32 -d<duration>
# --latency` against the same server, in that order; the counters start from zero.
#
# Environment:
#   BENCH_DURATION     wrk's -d per route (default 10s)
#   BENCH_DURABILITY   fsync or os, passed to dobj dev --durability (default fsync)
#   BENCH_WARMUP       if set (e.g. 5s), a wrk run of that length on each route before its
#                      measured run (default: none)
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
data="$work/data"
log="$work/server.log"
server=''
keep_work=''

# Stops the server with SIGTERM (its shutdown hook closes HTTP, the runtime and storage) and
# waits for it; SIGKILL after 60 s.
stop_server() {
  [ -n "$server" ] || return 0
  if kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server" 2>/dev/null || true
    local waited=0
    while kill -0 "$server" 2>/dev/null && [ "$waited" -lt 600 ]; do
      sleep 0.1
      waited=$((waited + 1))
    done
    if kill -0 "$server" 2>/dev/null; then
      echo "run.sh: the server did not stop within 60 s of SIGTERM; killing it" >&2
      kill -KILL "$server" 2>/dev/null || true
    fi
  fi
  wait "$server" 2>/dev/null || true
  server=''
}

cleanup() {
  stop_server
  if [ -n "$keep_work" ]; then
    echo "run.sh: the server log and wrk output are in $work" >&2
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

# The status code of GET $1 on the server, by bash's /dev/tcp (no curl needed); empty if none.
status_of() {
  local status_line=''
  if exec 3<>"/dev/tcp/127.0.0.1/$port" 2>/dev/null; then
    printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$1" >&3
    IFS= read -r -t 5 status_line <&3 || true
    exec 3<&- 3>&-
  fi
  status_line=${status_line%$'\r'}
  printf '%s\n' "${status_line#HTTP/1.1 }" | cut -d' ' -f1
}

# Start on a port the OS picks (--port 0), then read it from the line the server prints.
"$root/dobj" dev "$root/examples/counter" --port 0 --data "$data" --durability "$durability" \
  >"$log" 2>&1 &
server=$!
port=''
for ((i = 0; i < start_timeout * 10; i++)); do
  if ! kill -0 "$server" 2>/dev/null; then
    wait "$server" 2>/dev/null || true
    server=''
    cat "$log" >&2
    fail "the server exited before serving (its output is above)"
  fi
  port=$(sed -n 's|^dobj dev: serving .* on http://127\.0\.0\.1:\([0-9]*\) .*|\1|p' "$log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || fail "the server did not start within $start_timeout s (log: $log)"
base="http://127.0.0.1:$port"

# Wait until /plain answers, then check that every route answers 200 before loading it.
for ((i = 0; i < 300; i++)); do
  [ "$(status_of /plain)" = 200 ] && break
  sleep 0.1
done
[ "$(status_of /plain)" = 200 ] || fail "$base/plain did not answer 200 within 30 s"
for path in /noop/a /counter/a/get /counter/n0/get /sqlcounter/a/get; do
  status=$(status_of "$path")
  [ "$status" = 200 ] || fail "GET $base$path answered '${status:-nothing}', expected 200"
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

rows=()
warnings=()
echo "run.sh: serving on $base; durability $durability; wrk -t$threads -c$connections" \
  "-d$duration per route${warmup:+ after a $warmup warm-up}" >&2
n=0
for route in "${routes[@]}"; do
  IFS='|' read -r label path script <<<"$route"
  n=$((n + 1))
  args=(-t"$threads" -c"$connections" --latency)
  if [ -n "$script" ]; then
    args+=(-s "$script")
  fi
  if [ -n "$warmup" ]; then
    wrk "${args[@]}" -d"$warmup" "$base$path" >/dev/null
  fi
  echo "run.sh: $label" >&2
  out="$work/wrk-$n.txt"
  wrk "${args[@]}" -d"$duration" "$base$path" >"$out" || fail "wrk failed on $label (see $out)"
  kill -0 "$server" 2>/dev/null || fail "the server died during $label (log: $log)"
  rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")
  p50=$(awk '$1 == "50%" { print $2 }' "$out")
  p99=$(awk '$1 == "99%" { print $2 }' "$out")
  [ -n "$rps" ] && [ -n "$p50" ] && [ -n "$p99" ] || fail "cannot read wrk's output for $label ($out)"
  rows+=("$(printf '%-26s %10s %10s %10s' "$label" "$rps" "$(to_ms "$p50")" "$(to_ms "$p99")")")
  bad=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
  errors=$(sed -n 's/^ *Socket errors: *//p' "$out")
  [ -z "$bad" ] || warnings+=("$label: $bad responses were not 2xx")
  [ -z "$errors" ] || warnings+=("$label: socket errors: $errors")
done

stop_server

echo "# dobj dev examples/counter, durability $durability, wrk -t$threads -c$connections" \
  "-d$duration --latency${warmup:+ (after a $warmup warm-up)}, $(nproc 2>/dev/null || echo '?') CPUs"
printf '%-26s %10s %10s %10s\n' "route" "req/s" "p50 ms" "p99 ms"
printf '%s\n' "${rows[@]}"
if [ "${#warnings[@]}" -gt 0 ]; then
  printf 'warning: %s\n' "${warnings[@]}"
  keep_work=1
fi
