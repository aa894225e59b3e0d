#!/usr/bin/env bash
# The board at province scale: for each kind of free text, the first page's median, p99 and worst over every
# combination of the other filters (128), and the count made after it on the counting thread
# (benches/board.rs, combinations mode). Called by bench/run.sh; alone: bench/board.sh [RUNS].
#   DUCHA_BIG_DB  the 1M database (default bench/out/big/big.db; an older schema is migrated in place first,
#                 without a backup)
#   DUCHA_BENCH_SLOW=1 also lists every combination over 16 ms
set -euo pipefail
cd "$(dirname "$0")/.."
DUCHA_BENCH_DB="${DUCHA_BIG_DB:-bench/out/big/big.db}" DUCHA_BENCH_COMBINATIONS=1 DUCHA_BENCH_RUNS="${1:-1}" \
    cargo bench --quiet --bench board
