#!/usr/bin/env bash
# The reliability suite's full form: the ignored (full-size) reliability tests in a release build, then the
# reduced ones, each printing a FIGURES line (rounds, acknowledged and lost answers, times, peak memory).
# The figures of a run go in docs/RELIABILITY.md.
#
# Usage: bench/reliability.sh
#   KILL_ROUNDS=1000   kill -9 rounds through the console in a pty
#   FUZZ_SEQUENCES=300 console fuzzing: sequences of 300 random keys with random resizes
#   PROPTEST_CASES=20000 cases per property of the checklist loader and the registry import
#   DUCHA_RELIABILITY_SEED=N  replay a run (the seed is printed)
#   PROFILE=debug      test the debug build instead of a release one (no release build of every test
#                      crate; what docs/RELIABILITY.md reports on the shared machine)
# A failure prints its seed; rerun the one test with that seed to replay it.
set -euo pipefail

cd "$(dirname "$0")/.."
export DUCHA_RELIABILITY_SEED="${DUCHA_RELIABILITY_SEED:-$(date +%s)}"
out="bench/out/reliability"
mkdir -p "$out"
echo "seed $DUCHA_RELIABILITY_SEED; $(nproc) cores; $(date -u +%FT%TZ)"
profile=(--release)
[ "${PROFILE:-release}" = debug ] && profile=()
echo "profile: ${PROFILE:-release}"
tests=(reliability_kill reliability_console_fuzz reliability_hostile reliability_props reliability_two_consoles
    reliability_concurrency reliability_cas)
cargo test "${profile[@]}" --no-run $(printf -- '--test %s ' "${tests[@]}") 2>&1 | tail -1

run() {
    local name="$1" rounds="$2" test="$3"; shift 3
    local start end
    start=$(date +%s.%N)
    if ! DUCHA_RELIABILITY_ROUNDS="$rounds" cargo test "${profile[@]}" --test "$test" -- --nocapture --test-threads=1 \
        "$@" >"$out/$name.log" 2>&1; then
        echo "FAILED: $name (log: $out/$name.log)"
        grep -E "panicked|seed" "$out/$name.log" | head -5
        exit 1
    fi
    end=$(date +%s.%N)
    grep -ho 'FIGURES.*' "$out/$name.log" || true
    printf '%-14s ok in %.0f s\n' "$name" "$(echo "$end - $start" | bc)"
}

run kill9 "${KILL_ROUNDS:-1000}" reliability_kill --ignored --exact kill_9_full_form
run console-fuzz "${FUZZ_SEQUENCES:-300}" reliability_console_fuzz --ignored --exact console_fuzz_full_form
run hostile "" reliability_hostile --ignored
PROPTEST_CASES="${PROPTEST_CASES:-20000}" run props "" reliability_props
run two-consoles "" reliability_two_consoles
run concurrency "" reliability_concurrency
run cas "" reliability_cas
