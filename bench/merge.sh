#!/usr/bin/env bash
# Times `ducha merge` of a county's year handed over from many laptops against a raw SQLite union of the
# same rows, side by side. The county demo is split into LAPTOPS databases whose facts are disjoint and
# together make the whole county (laptop k keeps the inspections at positions k, k+LAPTOPS, … in id order,
# with their repetitions, answers, evidence, rectifications, follow-up events and notices; every laptop
# keeps the reference data and the plans; each gets a device of its own, and only laptop 0 keeps the
# county's audit chain, whole). Each is handed over (`ducha handover`, its evidence in the file). Then, for
# ROUNDS rounds, alternating A B A B, each into a fresh copy of an office database (`ducha status`: the
# sample registry):
#   A  `ducha merge` of all the files (checks, reference data, union, folding, evidence files written);
#   B  the sqlite3 shell: ATTACH + INSERT OR IGNORE INTO main.T SELECT … FROM f.T for the same tables,
#      columns and rows (submitted inspections only), one transaction per file, nothing else.
# Prints one line per run (rows inserted, wall-clock and CPU seconds, peak memory) and the medians and
# ratios; then the checks and comparison without the union (the same files merged again: nothing new), and
# the sizes of the hand-over files against their databases and evidence. Results go in docs/BENCHMARKS.md.
#
# Usage: bench/merge.sh [COUNTY_DB]
#   COUNTY_DB  a county demo database with its evidence/ folder beside it (default:
#              bench/out/county/county.db, made with `ducha demo --scale county --seed 7 --today 2026-11-29`
#              when missing). Its content is not changed (it is only handed over).
#   LAPTOPS=20 ROUNDS=5  the number of laptops and of rounds; SPLIT=1 splits and hands over again even
#   when the hand-over files of an earlier run are there.
# Everything is written under bench/out/merge/ (git-ignored); the binary is taken from $CARGO_TARGET_DIR
# (default target/). Needs sqlite3 and python3.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
county="${1:-bench/out/county/county.db}"
laptops="${LAPTOPS:-20}"
rounds="${ROUNDS:-5}"
out="bench/out/merge"
target_dir="${CARGO_TARGET_DIR:-target}"
cargo build --release --bin ducha
bin="$target_dir/release/ducha"
# No config file, so the developer's own (database, user) does not apply.
ducha() { "$bin" --config /nonexistent.toml --user 管理员 "$@"; }
mkdir -p "$out"

if [ ! -e "$county" ]; then
    mkdir -p "$(dirname "$county")"
    ducha --db "$county" demo --scale county --seed 7 --today 2026-11-29
fi
county_evidence="$(cd "$(dirname "$county")" && pwd)/evidence"

# The fact tables merged, with the rows of an attached file `f` that are merged and the columns, as in
# src/consolidate/merge.rs (FACTS and the audit).
submitted="(SELECT id FROM f.inspections WHERE status = 'submitted')"
facts=(
    "plans|id, domain, seed, count, inspectors, created_by, created_at|1"
    "plan_items|plan_id, position, site_id, inspectors|1"
    "inspections|id, site_id, snapshot_id, inspectors, status, started_at, updated_at, submitted_at, created_by, site_representative, resume_at|x.status = 'submitted'"
    "repeat_instances|inspection_id, section_id, instance, removed, created_at|x.inspection_id IN $submitted"
    "answers|id, inspection_id, item_id, instance, revision, base, value, outcome, note, reason, problem, severity, requirement, deadline, responsible, answered_by, answered_at|x.inspection_id IN $submitted"
    "evidence|id, answer_id, stored_name, original_path, sha256, bytes, added_by, added_at|x.answer_id IN (SELECT a.id FROM f.answers a WHERE a.inspection_id IN $submitted)"
    "rectifications|id, inspection_id, answer_id, site_id, item_id, instance, problem, basis, severity, major_hazard, requirement, deadline, responsible, phone, status, created_by, created_at, updated_at, closed_at, conflict|x.inspection_id IN $submitted"
    "rectification_events|id, rectification_id, kind, parent, merges, from_status, to_status, old_deadline, new_deadline, note, actor, at|1"
    "notices|inspection_id, device, year, seq, number, issued_by, issued_at|x.inspection_id IN $submitted"
)
audit_columns="id, device, dseq, prev, hash, at, actor, action, entity, entity_id, old, new"

# The merged facts a database holds: its own audit entries (the merges it recorded) are not merged facts.
count_sql="SELECT (SELECT count(*) FROM plans) + (SELECT count(*) FROM plan_items)
  + (SELECT count(*) FROM inspections WHERE status = 'submitted') + (SELECT count(*) FROM repeat_instances
     WHERE inspection_id IN (SELECT id FROM inspections WHERE status = 'submitted'))
  + (SELECT count(*) FROM answers WHERE inspection_id IN (SELECT id FROM inspections WHERE status = 'submitted'))
  + (SELECT count(*) FROM evidence WHERE answer_id IN (SELECT a.id FROM answers a JOIN inspections i
     ON i.id = a.inspection_id WHERE i.status = 'submitted'))
  + (SELECT count(*) FROM rectifications) + (SELECT count(*) FROM rectification_events)
  + (SELECT count(*) FROM notices) + (SELECT count(*) FROM audit WHERE device <> (SELECT id FROM device))"
per_table_sql="SELECT 'plans', count(*) FROM plans UNION ALL SELECT 'plan_items', count(*) FROM plan_items
  UNION ALL SELECT 'linked plan_items', count(*) FROM plan_items WHERE inspection_id IS NOT NULL
  UNION ALL SELECT 'submitted', count(*) FROM inspections WHERE status = 'submitted'
  UNION ALL SELECT 'repeat_instances', count(*) FROM repeat_instances UNION ALL SELECT 'answers', count(*) FROM answers
  UNION ALL SELECT 'evidence', count(*) FROM evidence UNION ALL SELECT 'rectifications', count(*) FROM rectifications
  UNION ALL SELECT 'events', count(*) FROM rectification_events UNION ALL SELECT 'notices', count(*) FROM notices
  UNION ALL SELECT 'audit (merged)', count(*) FROM audit WHERE device <> (SELECT id FROM device)"

hand="$out/hand"
if [ "${SPLIT:-0}" = 1 ] || [ ! -e "$hand/laptop-$(printf %02d $((laptops - 1))).hand" ]; then
    rm -rf "$hand" "$out/laptops" "$out/office"
    mkdir -p "$hand" "$out/office"
    # The office the laptops follow: a new database with the sample registry.
    ducha --db "$out/office/office.db" status >/dev/null
    office_device=$(sqlite3 "$out/office/office.db" "SELECT id FROM device")
    echo "splitting $county into $laptops laptops…" >&2
    for ((k = 0; k < laptops; k++)); do
        kk=$(printf %02d "$k")
        dir="$out/laptops/$kk"
        mkdir -p "$dir"
        ln -s "$county_evidence" "$dir/evidence"
        sqlite3 "$county" "VACUUM INTO '$dir/laptop.db'"
        # A ULID-shaped id whose last four characters are the code.
        device=$(printf '01KBENCH%014dL%03d' 0 "$k")
        if [ "$k" = 0 ]; then keep_audit="SELECT 1 WHERE 0"; else keep_audit="DELETE FROM audit"; fi
        sqlite3 "$dir/laptop.db" <<SQL
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TEMP TABLE gone (id TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT INTO gone SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS pos FROM inspections)
  WHERE pos % $laptops <> $k;
DELETE FROM rectification_events WHERE rectification_id IN
  (SELECT id FROM rectifications WHERE inspection_id IN (SELECT id FROM gone));
DELETE FROM rectifications WHERE inspection_id IN (SELECT id FROM gone);
DELETE FROM evidence WHERE answer_id IN (SELECT id FROM answers WHERE inspection_id IN (SELECT id FROM gone));
DELETE FROM answers WHERE inspection_id IN (SELECT id FROM gone);
DELETE FROM repeat_instances WHERE inspection_id IN (SELECT id FROM gone);
DELETE FROM notices WHERE inspection_id IN (SELECT id FROM gone);
UPDATE plan_items SET inspection_id = NULL WHERE inspection_id IN (SELECT id FROM gone);
DELETE FROM inspections WHERE id IN (SELECT id FROM gone);
UPDATE device SET id = '$device', code = 'L$(printf %03d "$k")', office = '$office_device';
DROP TRIGGER audit_no_update;
DROP TRIGGER audit_no_delete;
$keep_audit;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit table is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit table is append-only'); END;
COMMIT;
VACUUM;
SQL
        bad=$(sqlite3 "$dir/laptop.db" "PRAGMA foreign_key_check" | wc -l)
        [ "$bad" = 0 ] || { echo "laptop $kk: $bad foreign key violations" >&2; exit 1; }
        ducha --db "$dir/laptop.db" handover -o "$hand/laptop-$kk.hand" >"$dir/handover.log"
    done
fi
files=("$hand"/laptop-*.hand)
office="$out/office/office.db"
sqlite3 "$office" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null

# B's script: the same tables, columns and rows, one transaction per file.
raw="$out/raw-union.sql"
{
    for f in "${files[@]}"; do
        echo "ATTACH '$root/$f' AS f;"
        echo "BEGIN;"
        for t in "${facts[@]}"; do
            IFS='|' read -r table cols filter <<<"$t"
            echo "INSERT OR IGNORE INTO main.$table ($cols) SELECT $cols FROM f.$table x WHERE $filter;"
        done
        echo "INSERT OR IGNORE INTO main.audit ($audit_columns) SELECT $audit_columns FROM f.audit ORDER BY device, dseq;"
        echo "COMMIT;"
        echo "DETACH f;"
    done
} >"$raw"

before=$(sqlite3 "$office" "$count_sql")
results="$out/results.txt"
: >"$results"
run() { # method round
    local method="$1" round="$2" dir="$out/run/$1"
    rm -rf "$dir"
    mkdir -p "$dir"
    cp "$office" "$dir/target.db"
    sync
    if [ "$method" = A ]; then
        /usr/bin/time -f "%e %U %S %M" -o "$dir/time" "$bin" --db "$dir/target.db" --config /nonexistent.toml \
            --user 管理员 merge "${files[@]}" >"$dir/stdout" 2>"$dir/stderr" || { cat "$dir/stderr" >&2; exit 1; }
    else
        /usr/bin/time -f "%e %U %S %M" -o "$dir/time" sqlite3 -bail "$dir/target.db" <"$raw" \
            >"$dir/stdout" 2>"$dir/stderr" || { cat "$dir/stderr" >&2; exit 1; }
    fi
    local rows
    rows=$(($(sqlite3 "$dir/target.db" "$count_sql") - before))
    read -r secs user sys rss <"$dir/time"
    echo "$method $round $rows $secs $user $sys $rss" >>"$results"
    sqlite3 "$dir/target.db" "$per_table_sql" >"$dir/tables"
    printf '%s round %d: %9d rows %7.2f s wall %7.2f s CPU %5d MB\n' "$method" "$round" "$rows" "$secs" \
        "$(awk "BEGIN { print $user + $sys }")" $((rss / 1024)) >&2
}
echo "$(nproc) CPUs, $(free -h | awk '/^Mem/ { print $2 }') RAM, sqlite3 $(sqlite3 --version | cut -d' ' -f1);" \
    "$(du -h "$county" | cut -f1) county database, ${#files[@]} hand-over files; load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for ((r = 1; r <= rounds; r++)); do
    run A "$r"
    run B "$r"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
if diff "$out/run/A/tables" "$out/run/B/tables" >"$out/tables.diff"; then
    same="the same rows in each table: $(tr '|\n' '= ' <"$out/run/A/tables")"
else
    same="DIFFERENT rows (see $out/tables.diff)"
fi

# The checks alone: the same files merged again into A's result (nothing new, so the union is idle), and
# the SQLite shell's integrity check and sha256sum of the same files for comparison.
/usr/bin/time -f "%e %U %S %M" -o "$out/time.again" "$bin" --db "$out/run/A/target.db" \
    --config /nonexistent.toml --user 管理员 merge "${files[@]}" >"$out/again.stdout" 2>"$out/again.stderr" \
    || { cat "$out/again.stderr" >&2; exit 1; }
/usr/bin/time -f "%e %U %S %M" -o "$out/time.integrity" \
    sh -c 'for f in "$@"; do sqlite3 "$f" "PRAGMA integrity_check" >/dev/null; done' sh "${files[@]}"
/usr/bin/time -f "%e %U %S %M" -o "$out/time.sha" sha256sum "${files[@]}" >/dev/null

# Sizes: each hand-over file against its database file and the evidence it carries (the files' bytes, and
# `du -sb` of the inspection folders they sit in); and the county's whole hand-over against county.db and
# `du -sb evidence/`.
whole="$out/county.hand"
/usr/bin/time -f "%e %U %S %M" -o "$out/time.county-handover" "$bin" --db "$county" --config /nonexistent.toml \
    --user 管理员 handover -o "$whole" --force >"$out/county-handover.log"
sizes="$out/sizes.txt"
: >"$sizes"
for f in "${files[@]}" "$whole"; do
    name=$(basename "$f" .hand)
    if [ "$f" = "$whole" ]; then
        db="$county"
        folders=$(du -sb "$county_evidence" | cut -f1)
    else
        db="$out/laptops/${name#laptop-}/laptop.db"
        folders=$(sqlite3 "$f" "SELECT DISTINCT substr(name, 10, instr(substr(name, 10), '/') - 1) FROM sqlar" \
            | sed "s|^|$county_evidence/|" | xargs du -sbc | tail -1 | cut -f1)
    fi
    echo "$name $(stat -c %s "$f") $(stat -c %s "$db") $(sqlite3 "$f" "SELECT coalesce(sum(sz), 0), count(*) FROM sqlar" \
        | tr '|' ' ') $folders" >>"$sizes"
done

echo "A and B merged $same"
python3 - "$results" "$sizes" "$out/time.again" "$out/time.integrity" "$out/time.sha" "${#files[@]}" \
    "$out/time.county-handover" <<'PY'
import statistics, sys
runs = [l.split() for l in open(sys.argv[1])]
def med(xs): return statistics.median(xs)
print(f"{'run':<10}{'rows':>10}{'wall s':>9}{'rows/s':>10}{'CPU s':>8}{'rows/CPU s':>12}{'peak MB':>9}")
by = {"A": [], "B": []}
for m, r, rows, secs, user, sys_, rss in runs:
    rows, secs, cpu, rss = int(rows), float(secs), float(user) + float(sys_), int(rss) // 1024
    by[m].append((int(r), rows, secs, cpu, rss))
    print(f"{m + ' ' + r:<10}{rows:>10,}{secs:>9.2f}{rows / secs:>10,.0f}{cpu:>8.2f}{rows / cpu:>12,.0f}{rss:>9}")
for m in "AB":
    xs = by[m]
    print(f"{'median ' + m:<10}{med([x[1] for x in xs]):>10,.0f}{med([x[2] for x in xs]):>9.2f}"
          f"{med([x[1] / x[2] for x in xs]):>10,.0f}{med([x[3] for x in xs]):>8.2f}"
          f"{med([x[1] / x[3] for x in xs]):>12,.0f}{med([x[4] for x in xs]):>9}")
a = med([x[1] / x[2] for x in by["A"]]); b = med([x[1] / x[2] for x in by["B"]])
ac = med([x[1] / x[3] for x in by["A"]]); bc = med([x[1] / x[3] for x in by["B"]])
pairs = [(x[1] / x[2]) / (y[1] / y[2]) for x, y in zip(by["A"], by["B"])]
print(f"ratio A/B of rows per second (medians): {a / b:.2f} wall-clock, {ac / bc:.2f} CPU (target >= 0.5); "
      f"per round: {', '.join(f'{p:.2f}' for p in pairs)}")
def t(path):
    secs, user, sys_, rss = open(path).read().split()
    return float(secs), float(user) + float(sys_), int(rss) // 1024
n = sys.argv[6]
s, c, r = t(sys.argv[3]); print(f"checks: the {n} files merged again (nothing new): {s:.2f} s wall, {c:.2f} s CPU, {r} MB")
s, c, r = t(sys.argv[4]); print(f"        sqlite3 PRAGMA integrity_check of the {n} files: {s:.2f} s wall, {c:.2f} s CPU")
s, c, r = t(sys.argv[5]); print(f"        sha256sum of the {n} files: {s:.2f} s wall, {c:.2f} s CPU")
s, c, r = t(sys.argv[7]); print(f"the county's whole hand-over (ducha handover): {s:.2f} s wall, {c:.2f} s CPU, {r} MB")
print(f"{'file':<12}{'hand-over':>13}{'database':>13}{'evidence':>11}{'files':>6}{'folders':>12}"
      f"{'hand/(db+ev)':>13}{'hand/(db+folders)':>18}")
def row(name, h, d, e, nf, fo):
    print(f"{name:<12}{h:>13,}{d:>13,}{e:>11,}{nf:>6}{fo:>12,}{h / (d + e):>13.3f}{h / (d + fo):>18.3f}")
tot = [0] * 5
for line in open(sys.argv[2]):
    name, *v = line.split(); v = [int(x) for x in v]
    if name.startswith("laptop"):
        tot = [a + b for a, b in zip(tot, v)]
    else:
        row("all laptops", *tot)
    row(name, *v)
PY
