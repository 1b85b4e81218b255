#!/usr/bin/env bash
# bench/http/ceiling.sh: how close dobj's durable counter comes to the ceiling of this machine.
# Starts two servers and loads them in alternating rounds (wrk -t2 -c32, as run.sh):
#   - GroupCommitCeiling (bench module): Jetty on virtual threads; /plain answers a constant, /inc
#     appends one 4,237-byte record per request and answers after one thread's fdatasync covered
#     it (group commit with nothing else: no SQLite, no object, no batch, no hand-off);
#   - dobj dev examples/counter (durability fsync, metrics on): /plain and /counter/a/inc.
# Prints each route's median req/s, and the medians over rounds of /inc / /plain (the ceiling's
# share), /counter/a/inc / /plain (dobj's share, the issue's target) and dobj's counter / /inc.
#
#   bench/http/ceiling.sh [ROUNDS]        (default 6)
#
# Environment: BENCH_DURATION (wrk -d per round and route, default 10s), BENCH_WARMUP (a wrk run
# of that length per route first, default 5s), DOBJ_SKIP_BUILD=1 (use the jars as built),
# CEILING_SYNCERS (default 1; a list such as "1 2" starts one ceiling per value, each with that
# many overlapping fsync threads, and loads each one's /inc: the first is the one compared).
set -euo pipefail

rounds=${1:-6}
duration=${BENCH_DURATION:-10s}
warmup=${BENCH_WARMUP:-5s}
root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)
# shellcheck source=common.sh
. "$root/bench/http/common.sh"
bench_check ceiling.sh "$rounds"
read -r -a syncers <<<"${CEILING_SYNCERS:-1}"
for k in "${syncers[@]}"; do
  if ! [[ $k =~ ^([1-9]|1[0-6])$ ]]; then
    echo "ceiling.sh: CEILING_SYNCERS must hold numbers from 1 to 16, got '$k'" >&2
    exit 2
  fi
done
[ ${#syncers[@]} -gt 0 ] || syncers=(1)
# shellcheck source=../../.mvn/jdk.sh
. "$root/.mvn/jdk.sh" && dobj_select_jdk || exit 1
if [ "${DOBJ_SKIP_BUILD:-}" != 1 ] || [ ! -f "$root/bench/target/benchmarks.jar" ]; then
  (cd "$root" && ./mvnw -q -B -Dmaven.test.skip=true -Dspotless.check.skip=true package \
    -pl bench,dobj-cli,examples/counter -am)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/dobj-bench-ceiling.XXXXXX")
server_pids=()
cleanup() {
  for p in "${server_pids[@]}"; do
    kill -TERM "$p" 2>/dev/null || true
  done
  wait || true
  rm -rf -- "$work"
}
trap cleanup EXIT

# The ports: free ones the OS picks (port 0), read from each server's log.
for i in "${!syncers[@]}"; do
  "$JAVA_HOME/bin/java" -cp "$root/bench/target/benchmarks.jar" dev.dobj.bench.GroupCommitCeiling \
    "$work/ceiling-$i.log" 0 "${syncers[$i]}" >"$work/ceiling-$i.out" 2>&1 &
  server_pids+=($!)
done
DOBJ_SKIP_BUILD=1 "$root/dobj" dev "$root/examples/counter" --port 0 --data "$work/data" \
  --durability fsync >"$work/dobj.out" 2>&1 &
server_pids+=($!)

wait_port() { # $1: file, $2: sed expression that prints the port
  local port='' i
  for ((i = 0; i < 1200; i++)); do
    port=$(sed -n "$2" "$1")
    [ -n "$port" ] && break
    sleep 0.1
  done
  if [ -z "$port" ]; then
    echo "ceiling.sh: a server did not start; its output:" >&2
    cat "$1" >&2
    exit 1
  fi
  echo "$port"
}
# (its log line, from slf4j-simple on stderr: "[main] INFO ... - GroupCommitCeiling: serving on ...")
ceilings=()
for i in "${!syncers[@]}"; do
  ceilings+=("$(wait_port "$work/ceiling-$i.out" \
    's|.*GroupCommitCeiling: serving on http://127\.0\.0\.1:\([0-9]*\) .*|\1|p')")
done
dobj=$(wait_port "$work/dobj.out" 's|^dobj dev: serving .* on http://127\.0\.0\.1:\([0-9]*\) .*|\1|p')

# Route 0 to 3 as the summary below names them; then the other ceilings' /inc.
routes=("${ceilings[0]}/plain" "${ceilings[0]}/inc" "$dobj/plain" "$dobj/counter/a/inc")
for i in "${!ceilings[@]}"; do
  [ "$i" = 0 ] || routes+=("${ceilings[$i]}/inc")
done
for r in "${routes[@]}"; do
  wrk -t2 -c32 -d"$warmup" "http://127.0.0.1:$r" >/dev/null
done
results="$work/results"
: >"$results"
for round in $(seq 1 "$rounds"); do
  echo "ceiling.sh: round $round of $rounds" >&2
  for j in "${!routes[@]}"; do
    rps=$(wrk -t2 -c32 -d"$duration" "http://127.0.0.1:${routes[$j]}" | awk '/Requests\/sec/ { print $2 }')
    echo "$round $j $rps" >>"$results"
  done
done

python3 - "$results" "$duration" "$("$JAVA_HOME/bin/java" -version 2>&1 | head -1)" \
  "${syncers[@]}" <<'PY'
import statistics, sys
rps = {}
for line in open(sys.argv[1]):
    r, j, x = line.split()
    rps.setdefault(int(j), {})[int(r)] = float(x)
k = sys.argv[4:]
names = [f"ceiling /plain", f"ceiling /inc ({k[0]} syncer)", "dobj /plain", "dobj /counter/a/inc"]
names += [f"ceiling /inc ({n} syncers)" for n in k[1:]]
print(f"# wrk -t2 -c32 -d{sys.argv[2]}, {len(rps[0])} alternating rounds; {sys.argv[3]}")
for j, n in enumerate(names):
    print(f"{n:22} {statistics.median(rps[j].values()):8.0f} req/s   rounds: "
          + " ".join(str(round(x)) for x in rps[j].values()))
def share(a, b):
    return statistics.median(rps[a][r] / rps[b][r] for r in rps[a])
print(f"ceiling /inc / ceiling /plain: {share(1, 0):.0%} (median over rounds)")
print(f"dobj counter / dobj /plain:    {share(3, 2):.0%} (the issue's target: 50%)")
print(f"dobj counter / ceiling /inc:   {share(3, 1):.0%}")
for j in range(4, len(names)):
    print(f"{names[j]} / ceiling /inc ({k[0]} syncer): {share(j, 1):.2f}")
PY
