#!/usr/bin/env bash
# The province-scale figures of docs/BENCHMARKS.md, side by side with what a user would run instead (the
# distribution's `sqlite3` shell on the same file), alternating A B A B, and the table of targets with ratios.
#
# Usage: bench/run.sh [RUNS]            (default 3 runs of each side; the median is reported)
#   DUCHA_BIG_DB     the 1M-rectification database (default bench/out/big/big.db, built by
#                    bench/make-big-db.sh when missing: a few minutes, ≈ 6 GB)
#   DUCHA_COUNTY_DB  the county database it was made from (default bench/out/county/county.db)
#   DUCHA_HISTORY_DB the 1M database whose history is long rather than wide, for the weekly report (default
#                    bench/out/history/history.db, built by `SPREAD=history bench/make-big-db.sh` when
#                    missing: the county's year of work moved back 52 weeks per copy, ≈ 71 years)
#   DUCHA_SETTLED_DB the same with every earlier year's work in progress finished (default
#                    bench/out/history-settled/history.db, `SPREAD=history SETTLE=1 bench/make-big-db.sh`)
#   DUCHA_ONLY=weekly  only the three weekly-report pairs (a few minutes instead of an hour)
#   DUCHA_ONLY=big     everything but the weekly report (which needs the two history databases): the exports,
#                      the answer save, the console's start and memory, the board
# Writes its files under bench/out/run/ (git-ignored). Needs sqlite3 and GNU time (/usr/bin/time).
set -euo pipefail

cd "$(dirname "$0")/.."
runs="${1:-3}"
big="${DUCHA_BIG_DB:-bench/out/big/big.db}"
county="${DUCHA_COUNTY_DB:-bench/out/county/county.db}"
history="${DUCHA_HISTORY_DB:-bench/out/history/history.db}"
[ -e "$big" ] || bench/make-big-db.sh
settled="${DUCHA_SETTLED_DB:-bench/out/history-settled/history.db}"
only="${DUCHA_ONLY:-}"
if [ "$only" != big ]; then
    [ -e "$history" ] || SPREAD=history bench/make-big-db.sh
    [ -e "$settled" ] || SPREAD=history SETTLE=1 bench/make-big-db.sh
fi
out=bench/out/run
mkdir -p "$out"
: >"$out/none.toml"

cargo build --release --bin ducha --quiet
bin="${CARGO_TARGET_DIR:-target}/release/ducha"
ducha() { "$bin" --config "$out/none.toml" --user 管理员 --lang zh "$@"; }
today=$(date +%F)

# timed NAME : runs the shell function NAME once under GNU time (in a child bash, so the function and the
# variables it uses are exported below); appends "wall_s cpu_s maxrss_kb" to $out/NAME.times.
timed() {
    local name="$1"
    /usr/bin/time -f "%e %U %S %M" -o "$out/time" bash -c "$1" >/dev/null 2>"$out/$name.stderr" || {
        cat "$out/$name.stderr" >&2
        exit 1
    }
    read -r wall user sys rss <"$out/time"
    echo "$wall $(echo "$user + $sys" | bc) $rss" >>"$out/$name.times"
}

# median NAME COLUMN : the median of a column (1 wall, 2 cpu, 3 rss) of NAME's runs.
median() {
    cut -d' ' -f"$2" "$out/$1.times" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# pair A B : alternate A and B (shell functions) $runs times.
pair() {
    rm -f "$out/$1.times" "$out/$2.times"
    for _ in $(seq "$runs"); do
        timed "$1"
        timed "$2"
    done
}

ratio() { printf "%.2f" "$(echo "scale=4; $1 / $2" | bc)"; }

# 1. The rectification list (整改清单) as CSV, against the sqlite3 shell's SELECT of the same rows: the same
#    joins, each row's follow-up history aggregated with group_concat in a subquery, the same ORDER BY.
list_ducha() { ducha --db "$big" export rectifications -o "$out/list.csv"; }
list_sqlite() {
    sqlite3 -csv -header "$big" "
SELECT r.id, s.kind, s.town, s.name, s.code, substr(i.started_at, 1, 10), i.inspectors, r.item_id, r.instance,
       r.problem, r.basis, r.severity, r.major_hazard, r.requirement, r.deadline, r.responsible, r.phone,
       r.status, CAST(max(0, julianday('$today') - julianday(r.deadline)) AS INTEGER), r.closed_at,
       (SELECT group_concat(substr(e.at, 1, 10) || ' ' || e.actor || ' ' || e.kind || ' '
                            || coalesce(e.to_status, '') || ' ' || e.note, char(10))
        FROM (SELECT * FROM rectification_events WHERE rectification_id = r.id ORDER BY at) e)
FROM rectifications r JOIN sites s ON s.id = r.site_id JOIN inspections i ON i.id = r.inspection_id
ORDER BY CASE WHEN r.status NOT IN ('verified', 'withdrawn') AND r.deadline < '$today' THEN 0 ELSE 1 END,
         r.deadline, r.severity_rank DESC, r.id" >"$out/list-sqlite.csv"
}

# 2. The findings (检查记录), one row per answer's latest revision, against the equivalent SELECT.
findings_ducha() { ducha --db "$big" export findings -o "$out/findings.csv"; }
findings_sqlite() {
    sqlite3 -csv -header "$big" "
SELECT a.inspection_id, i.status, s.kind, s.town, s.name, s.code, substr(i.started_at, 1, 10), i.inspectors,
       i.snapshot_id, a.item_id, a.instance, a.value, a.outcome, a.note,
       (SELECT group_concat('evidence/' || v.stored_name || ' (sha256 ' || substr(v.sha256, 1, 12) || ')', char(10))
        FROM answers x JOIN evidence v ON v.answer_id = x.id
        WHERE x.inspection_id = a.inspection_id AND x.item_id = a.item_id AND x.instance = a.instance),
       a.answered_by, a.answered_at, a.revision, a.reason, r.status
FROM answers a
JOIN inspections i ON i.id = a.inspection_id
JOIN sites s ON s.id = i.site_id
LEFT JOIN rectifications r ON r.inspection_id = a.inspection_id AND r.item_id = a.item_id AND r.instance = a.instance
WHERE a.id = (SELECT b.id FROM answers b WHERE b.inspection_id = a.inspection_id AND b.item_id = a.item_id
              AND b.instance = a.instance ORDER BY b.revision DESC, b.id DESC LIMIT 1)
  AND i.status = 'submitted'
ORDER BY a.inspection_id, a.item_id, a.instance" >"$out/findings-sqlite.csv"
}

# 5. The weekly report of one week on the 1M databases and on the county they were made from: the wide one
#    (the same week holds 71 counties' events) and the long one (the week holds the county's; the table holds
#    71 years). The target is about the long one: the cost should follow the week, not the table.
week=2026-W47
#    Each timed run makes the report $reports times in a row (DUCHA_WEEKLY_REPEAT, default 10): one report
#    of the county takes about 0.02 s of CPU, twice GNU time's resolution of 0.01 s.
reports="${DUCHA_WEEKLY_REPEAT:-10}"
weekly() { for _ in $(seq "$reports"); do ducha --db "$1" report weekly --week "$week" --format csv; done; }
weekly_big() { weekly "$big"; }
weekly_history() { weekly "$history"; }
weekly_settled() { weekly "$settled"; }
weekly_county() { weekly "$county"; }

export bin out big county history settled today week reports
export -f ducha list_ducha list_sqlite findings_ducha findings_sqlite weekly weekly_big weekly_history weekly_settled weekly_county

echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ { print $2 }') GiB; $(date -u +'%F %H:%M UTC'); runs: $runs; load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "database: $big ($(du -h "$big" | cut -f1), $(sqlite3 "$big" 'SELECT count(*) FROM rectifications') rectifications)" >&2
weekly_dbs=("$big" "$county")
if [ "$only" != big ]; then
    echo "history database: $history ($(du -h "$history" | cut -f1), $(sqlite3 "$history" 'SELECT count(*) FROM rectifications') rectifications)" >&2
    echo "settled history database: $settled ($(du -h "$settled" | cut -f1), $(sqlite3 "$settled" 'SELECT count(*) FROM rectifications WHERE closed_at IS NULL') open)" >&2
    weekly_dbs+=("$history" "$settled")
fi

# One untimed report on each database first: the first open of a database made at an older schema
# migrates it (and leaves a backup beside it), which is not the report's cost.
for db in "${weekly_dbs[@]}"; do ducha --db "$db" report weekly --week "$week" --format csv >/dev/null; done
if [ "$only" != weekly ]; then
    pair list_ducha list_sqlite
    pair findings_ducha findings_sqlite
fi
if [ "$only" != big ]; then
    pair weekly_big weekly_county
    cp "$out/weekly_county.times" "$out/weekly_county_wide.times"
    pair weekly_history weekly_county
    cp "$out/weekly_county.times" "$out/weekly_county_long.times"
    pair weekly_settled weekly_county
fi

# Both the wall-clock and the CPU time (user + sys) are shown: on a shared machine the CPU time is the
# steadier figure.
row() { printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4"; }
both() { echo "$(median "$1" 2) s CPU, $(median "$1" 1) s wall"; }
ratios() { echo "$(ratio "$(median "$1" 2)" "$(median "$2" 2)") CPU, $(ratio "$(median "$1" 1)" "$(median "$2" 1)") wall"; }
weekly_rows() {
    row "weekly report, 1M long history, earlier years settled ÷ county, week $week, $reports reports per run" \
        "$(both weekly_settled)" "$(both weekly_county)" "$(ratios weekly_settled weekly_county) (≤ 2)"
    row "weekly report, 1M long history, 70 years of work in progress left open ÷ county, week $week" \
        "$(both weekly_history)" "$(both weekly_county_long)" "$(ratios weekly_history weekly_county_long) (—)"
    row "weekly report, 1M wide (71 counties, one year) ÷ county, week $week, $reports per run" "$(both weekly_big)" \
        "$(both weekly_county_wide)" "$(ratios weekly_big weekly_county_wide) (—)"
    row "weekly report peak memory: settled / long / wide" "$(($(median weekly_settled 3) / 1024)) MB / \
$(($(median weekly_history 3) / 1024)) MB / $(($(median weekly_big 3) / 1024)) MB" \
        "county $(($(median weekly_county 3) / 1024)) MB" "—"
}
if [ "$only" = weekly ]; then
    echo
    echo "| figure | ducha (median of $runs) | comparison (median of $runs) | ratio (target) |"
    echo "|---|---|---|---|"
    weekly_rows
    exit 0
fi

# In-process figures (benches/): the durable answer save against a bare INSERT + COMMIT, and the console's
# start-up and peak memory on the big database against an empty one. Each prints a line "NAME A B".
DUCHA_BENCH_RUNS="${DUCHA_SAVE_RUNS:-300}" cargo bench --quiet --bench answer_save 2>/dev/null | tee "$out/answer_save.txt" >&2
DUCHA_BENCH_DB="$big" cargo bench --quiet --bench console 2>/dev/null | tee "$out/console.txt" >&2
bench_figure() { awk -v k="$2" '$1 == k { print $'"$3"' }' "$out/$1.txt"; }

echo
echo "| figure | ducha (median of $runs) | comparison (median of $runs) | ratio (target) |"
echo "|---|---|---|---|"
row "整改清单 CSV, 1M rows ÷ sqlite3 -csv" "$(both list_ducha)" "$(both list_sqlite)" "$(ratios list_ducha list_sqlite) (≤ 1.0)"
row "findings CSV ÷ sqlite3 -csv" "$(both findings_ducha)" "$(both findings_sqlite)" "$(ratios findings_ducha findings_sqlite) (≤ 1.0)"
if [ "$only" != big ]; then weekly_rows; fi
row "saving one answer (synchronous=FULL) ÷ bare INSERT + COMMIT" "$(bench_figure answer_save answer-save-us 2) µs" \
    "$(bench_figure answer_save answer-save-us 3) µs" \
    "$(ratio "$(bench_figure answer_save answer-save-us 2)" "$(bench_figure answer_save answer-save-us 3)") (≤ 1.5)"
row "console start to the first full frame, 1M ÷ empty" "$(bench_figure console first-frame-ms 3) ms" \
    "$(bench_figure console first-frame-ms 2) ms" \
    "$(ratio "$(bench_figure console first-frame-ms 3)" "$(bench_figure console first-frame-ms 2)") (≤ 1.2)"
row "console peak memory, 1M (empty)" "$(($(bench_figure console peak-rss-kb 3) / 1024)) MB" \
    "$(($(bench_figure console peak-rss-kb 2) / 1024)) MB" "— (≤ 64 MB, flat)"
row "peak memory: list export / findings export" "$(($(median list_ducha 3) / 1024)) MB / $(($(median findings_ducha 3) / 1024)) MB" \
    "sqlite3 $(($(median list_sqlite 3) / 1024)) MB / $(($(median findings_sqlite 3) / 1024)) MB" "—"
echo "keys to complete an all-pass 40-item checklist: counted by a test, not timed (see docs/BENCHMARKS.md)"

# The board's p99 over every filter combination, for each kind of free text (bench/board.sh).
DUCHA_BIG_DB="$big" bench/board.sh
