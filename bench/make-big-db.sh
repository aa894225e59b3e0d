#!/usr/bin/env bash
# Builds a province-scale database in minutes by replicating the county demo with fresh ids, in SQL.
#
# Usage: bench/make-big-db.sh [RECTIFICATIONS]      (default 1000000)
#
# 1. Makes the county demo (bench/out/county/county.db, seed 20261129, year ending 2026-11-29) if it is not
#    there yet: `SCALE=county bench/make-province-db.sh` (about half a minute).
# 2. Copies it K times into bench/out/big/big.db, K = ceil(RECTIFICATIONS / the county's rectifications), so
#    every table keeps the demo's proportions (≈ 12 answers, 4.2 events per rectification). Copy 0 is the county
#    itself; copy k gets its own sites (code `YL001-k`, town `如城街道k`) and fresh ids: characters 11–12 of each
#    ULID (the first two random characters) are shifted by k in Crockford base 32 (see fid below), so ids keep
#    their time order and their length, and a collision would fail the PRIMARY KEY. Dates are the county's: every copy is one
#    more county doing the same year of work.
# 3. Copies of the audit table are NOT made (113 MB per county, never read by the console's queries): only the
#    county's own entries are there, so `ducha verify` on big.db reports the copies' rows as unaudited only in
#    that it has no entries for them. The evidence rows of the copies point to the county's files (the same
#    bytes), which are linked beside big.db.
#
# Refuses to overwrite an earlier big.db. Then e.g. `bench/run.sh` uses it.
set -euo pipefail

cd "$(dirname "$0")/.."
want="${1:-1000000}"
county=bench/out/county/county.db
out=bench/out/big
db="$out/big.db"

if [ -e "$db" ]; then
    echo "$db already exists: remove $out to build a new one" >&2
    exit 1
fi
if [ ! -e "$county" ]; then
    SCALE=county bench/make-province-db.sh 20261129 2026-11-29
fi
mkdir -p "$out"

per=$(sqlite3 "$county" 'SELECT count(*) FROM rectifications')
copies=$(((want + per - 1) / per))
if [ "$copies" -gt 1024 ]; then
    echo "at most 1024 copies of the county (asked for $copies)" >&2
    exit 1
fi
echo "replicating $county ($per rectifications) $copies times into $db…" >&2
start=$(date +%s)

cp "$county" "$db"
# The evidence files: one folder shared by every copy.
if [ -d bench/out/county/evidence ] && [ ! -e "$out/evidence" ]; then
    ln -s ../county/evidence "$out/evidence"
fi

# Indexes are dropped while the rows go in and made again at the end (the same definitions). DROP INDEX
# cannot take a computed name: let sqlite3 write the statements, then run them.
sqlite3 "$db" "SELECT 'DROP INDEX ' || name || ';' FROM sqlite_master
               WHERE type = 'index' AND sql IS NOT NULL
                 AND tbl_name IN ('sites', 'inspections', 'answers', 'rectifications', 'rectification_events',
                                  'evidence', 'repeat_instances')" > "$out/drop.sql"
sqlite3 "$db" "SELECT sql || ';' FROM sqlite_master
               WHERE type = 'index' AND sql IS NOT NULL
                 AND tbl_name IN ('sites', 'inspections', 'answers', 'rectifications', 'rectification_events',
                                  'evidence', 'repeat_instances')" > "$out/create.sql"
sqlite3 "$db" < "$out/drop.sql"

# fid X: the SQL expression for id X in copy c.k — characters 11-12 of the ULID (the first two random ones),
# read as a number 0-1023 in Crockford base 32, plus k modulo 1024. For k = 1..1023 that is never X itself, and
# two ids of one copy could meet only if they were equal outside those two characters.
A="'0123456789ABCDEFGHJKMNPQRSTVWXYZ'"
fid() {
    local x=$1
    local v="((instr($A, substr($x, 11, 1)) - 1) * 32 + instr($A, substr($x, 12, 1)) - 1 + c.k) % 1024"
    echo "substr($x, 1, 10) || substr($A, ($v) / 32 + 1, 1) || substr($A, ($v) % 32 + 1, 1) || substr($x, 13)"
}

sqlite3 "$db" <<SQL
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA foreign_keys = OFF;
PRAGMA cache_size = -500000;
ATTACH '$county' AS src;
CREATE TEMP TABLE copies (k INTEGER PRIMARY KEY);
WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < $copies - 1)
INSERT INTO copies SELECT k FROM n;

BEGIN;
INSERT INTO sites (id, code, kind, name, town, address, contact, phone, floors, beds, license, sample,
                   created_at, updated_at)
SELECT s.id || '-' || c.k, s.code || '-' || c.k, s.kind, s.name, s.town || c.k, s.address, s.contact, s.phone,
       s.floors, s.beds, s.license, s.sample, s.created_at, s.updated_at
FROM src.sites s, copies c;

INSERT INTO inspections (id, site_id, snapshot_id, inspectors, status, started_at, updated_at, submitted_at,
                         created_by, site_representative, resume_at)
SELECT $(fid i.id), i.site_id || '-' || c.k, i.snapshot_id, i.inspectors,
       i.status, i.started_at, i.updated_at, i.submitted_at, i.created_by, i.site_representative, i.resume_at
FROM src.inspections i, copies c;

INSERT INTO repeat_instances (inspection_id, section_id, instance, removed, created_at)
SELECT $(fid r.inspection_id), r.section_id, r.instance,
       r.removed, r.created_at
FROM src.repeat_instances r, copies c;

INSERT INTO answers (id, inspection_id, item_id, instance, revision, base, value, outcome, note, reason, problem,
                     severity, requirement, deadline, responsible, answered_by, answered_at)
SELECT $(fid a.id),
       $(fid a.inspection_id),
       a.item_id, a.instance, a.revision,
       CASE WHEN a.base IS NULL THEN NULL ELSE $(fid a.base) END,
       a.value, a.outcome, a.note, a.reason, a.problem, a.severity, a.requirement, a.deadline, a.responsible,
       a.answered_by, a.answered_at
FROM src.answers a, copies c;

INSERT INTO evidence (id, answer_id, stored_name, original_path, sha256, bytes, added_by, added_at)
SELECT $(fid e.id),
       $(fid e.answer_id),
       e.stored_name, e.original_path, e.sha256, e.bytes, e.added_by, e.added_at
FROM src.evidence e, copies c;

INSERT INTO rectifications (id, inspection_id, answer_id, site_id, item_id, instance, problem, basis, severity,
                            major_hazard, requirement, deadline, responsible, phone, status, created_by,
                            created_at, updated_at, closed_at, conflict)
SELECT $(fid r.id),
       $(fid r.inspection_id),
       CASE WHEN r.answer_id IS NULL THEN NULL ELSE $(fid r.answer_id) END,
       r.site_id || '-' || c.k, r.item_id, r.instance, r.problem, r.basis, r.severity, r.major_hazard,
       r.requirement, r.deadline, r.responsible, r.phone, r.status, r.created_by, r.created_at, r.updated_at,
       r.closed_at, r.conflict
FROM src.rectifications r, copies c;

INSERT INTO rectification_events (id, rectification_id, kind, parent, merges, from_status, to_status,
                                  old_deadline, new_deadline, note, actor, at)
SELECT $(fid e.id),
       $(fid e.rectification_id),
       e.kind,
       CASE WHEN e.parent IS NULL THEN NULL ELSE $(fid e.parent) END,
       e.merges, e.from_status, e.to_status, e.old_deadline, e.new_deadline, e.note, e.actor, e.at
FROM src.rectification_events e, copies c;
COMMIT;
SQL

echo "rows in; making the indexes again…" >&2
sqlite3 "$db" "PRAGMA cache_size = -500000; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" \
    ".read $out/create.sql" "ANALYZE;" "PRAGMA journal_mode = WAL;"
rm -f "$out/drop.sql" "$out/create.sql"

end=$(date +%s)
elapsed=$((end - start))
printf 'took %d min %02d s (%d s)\n' $((elapsed / 60)) $((elapsed % 60)) "$elapsed"
sqlite3 "$db" "SELECT 'rectifications ' || (SELECT count(*) FROM rectifications)
                || ', events ' || (SELECT count(*) FROM rectification_events)
                || ', inspections ' || (SELECT count(*) FROM inspections)
                || ', answers ' || (SELECT count(*) FROM answers)
                || ', sites ' || (SELECT count(*) FROM sites)"
du -sh "$db"
