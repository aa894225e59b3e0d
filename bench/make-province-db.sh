#!/usr/bin/env bash
# Builds the release binary and generates a province-scale demo database for the board benchmark:
# ≈ 25,000 sites, 500,000 inspections, 16 M answers, 1.4 M rectifications (see docs/BENCHMARKS.md for the
# time it takes and the size it needs: plan on ≈ 20 GB of disk for the database and its evidence folder).
#
# Usage: bench/make-province-db.sh [SEED] [TODAY]
#   SEED   the demo's random seed (default 20261129); the same seed and TODAY give the same data
#   TODAY  the last day of the simulated year, YYYY-MM-DD (default: today)
#
# Writes bench/out/province/province.db (bench/out/ is git-ignored) and the evidence/ folder beside it;
# refuses to overwrite an earlier database. Then:
#   DUCHA_BENCH_DB=bench/out/province/province.db cargo bench --bench board
# SCALE=county makes bench/out/county/county.db instead (half a minute), e.g. to try the script.
set -euo pipefail

cd "$(dirname "$0")/.."
seed="${1:-20261129}"
today="${2:-$(date +%F)}"
scale="${SCALE:-province}"
out="bench/out/$scale"
db="$out/$scale.db"

if [ -e "$db" ]; then
    echo "$db already exists: remove $out to generate a new one" >&2
    exit 1
fi
mkdir -p "$out"

cargo build --release --bin ducha

echo "generating $db (seed $seed, year ending $today)…" >&2
start=$(date +%s)
# An empty config file, so the user's own config (database, user) does not apply.
./target/release/ducha --db "$db" --config "$out/none.toml" --user 管理员 \
    demo --scale "$scale" --seed "$seed" --today "$today"
end=$(date +%s)

elapsed=$((end - start))
printf 'took %d min %02d s (%d s)\n' $((elapsed / 60)) $((elapsed % 60)) "$elapsed"
du -sh "$db" "$out/evidence" 2>/dev/null || true
