# shellcheck shell=bash
# bench/http/common.sh: checks shared by the load scripts (sourced by ab.sh and ceiling.sh).

# Exits 2 unless $2 (the rounds asked of script $1) is a positive integer, or without wrk.
bench_check() {
  bench_check_rounds "$1" "$2"
  bench_require_wrk "$1"
}

# Exits 2 unless $2 (the rounds asked of script $1) is a positive integer.
bench_check_rounds() {
  if ! [[ $2 =~ ^[1-9][0-9]*$ ]]; then
    echo "$1: ROUNDS must be a positive integer, got '$2'" >&2
    exit 2
  fi
}

# Exits 2, naming script $1, when wrk is not installed.
bench_require_wrk() {
  command -v wrk >/dev/null 2>&1 || {
    echo "$1: needs wrk (apt-get install wrk)" >&2
    exit 2
  }
}
