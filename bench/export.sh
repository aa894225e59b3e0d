#!/usr/bin/env bash
# Times the exports on a demo database: the rectification list and the findings, as CSV and XLSX, and the
# same exports while another process writes to the database. Prints one line per run: rows, seconds, peak
# memory (max RSS) and file size. Results go in docs/BENCHMARKS.md.
#
# Usage: bench/export.sh [DB]
#   DB  a demo database (default: bench/out/county/county.db, generated with SCALE=county
#       bench/make-province-db.sh when missing). Nothing in the database is changed except by the
#       concurrent-writer run, which adds notes to rectifications of a copy.
set -euo pipefail

cd "$(dirname "$0")/.."
db="${1:-bench/out/county/county.db}"
if [ ! -e "$db" ]; then
    SCALE=county bench/make-province-db.sh 7 2026-11-29
fi
cargo build --release --bin ducha
bin=./target/release/ducha
out="bench/out/export"
mkdir -p "$out"
run() {
    local name="$1"; shift
    local file="$out/$name"
    /usr/bin/time -f "%e %M" -o "$out/time" "$bin" --db "$db" --config "$out/none.toml" --user 管理员 \
        --lang zh "$@" -o "$file" 2>"$out/stderr" || { cat "$out/stderr" >&2; exit 1; }
    read -r secs rss <"$out/time"
    printf '%-28s %-58s %6.2f s %6d MB %8s\n' "$name" "$(tail -1 "$out/stderr")" "$secs" $((rss / 1024)) \
        "$(du -h "$file" | cut -f1)"
}
run rectifications.csv export rectifications
run rectifications.xlsx export rectifications
run findings.csv export findings
run findings.xlsx export findings
run overdue-town.xlsx export rectifications --overdue --town 如城街道

# The same export while another process keeps writing (a note a second, each its own transaction).
copy="$out/concurrent.db"
cp "$db" "$copy"
id=$(sqlite3 "$copy" "SELECT id FROM rectifications WHERE status <> 'verified' LIMIT 1")
python3 - "$copy" "$id" <<'PY' &
import sqlite3, sys, time, uuid
conn = sqlite3.connect(sys.argv[1], timeout=5)
conn.execute("PRAGMA journal_mode=WAL")
end = time.time() + 30
while time.time() < end:
    with conn:
        conn.execute("INSERT INTO rectification_events (id, rectification_id, kind, note, actor, at) "
                     "VALUES (?, ?, 'note', 'bench', 'bench', '2026-11-29T12:00:00+08:00')",
                     (uuid.uuid4().hex, sys.argv[2]))
    time.sleep(0.05)
PY
writer=$!
sleep 1
db="$copy" run concurrent-findings.csv export findings
kill "$writer" 2>/dev/null || true
wait 2>/dev/null || true
