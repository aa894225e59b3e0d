#!/usr/bin/env bash
# Builds a province-scale database in minutes by replicating the county demo with fresh ids, in SQL.
#
# Usage: bench/make-big-db.sh [RECTIFICATIONS]      (default 1000000)
#        SPREAD=history bench/make-big-db.sh [RECTIFICATIONS]
#        SPREAD=history SETTLE=1 bench/make-big-db.sh   (copies history.db when it is there, then settles)
#
# 1. Makes the county demo (bench/out/county/county.db, seed 20261129, year ending 2026-11-29) if it is not
#    there yet: `SCALE=county bench/make-province-db.sh` (about half a minute).
# 2. Copies it K times into bench/out/big/big.db, K = ceil(RECTIFICATIONS / the county's rectifications), so
#    every table keeps the demo's proportions (≈ 12 answers, 4.2 events per rectification). Copy 0 is the county
#    itself; copy k gets its own sites (code `YL001-k`, town `如城街道k`) and fresh ids: characters 11–12 of each
#    ULID (the first two random characters) are shifted by k in Crockford base 32 (see fid below), so ids keep
#    their time order and their length, and a collision would fail the PRIMARY KEY. Dates are the county's: every copy is one
#    more county doing the same year of work.
#    SPREAD=history (bench/out/history/history.db) makes the history long instead of wide: copy k is moved
#    k × 364 days back (52 weeks, so every weekday stays a weekday) in every date and time it holds — sites
#    created/updated, inspections started/updated/submitted, repeated sections created, answers answered and
#    their deadline, the date-time answers (`YYYY-MM-DD HH:MM` values: shift start and end, drill, incident
#    times), evidence added, rectifications deadline/created/updated/closed, events at/old/new deadline —
#    each in its stored format ('YYYY-MM-DD', RFC 3339 with its offset kept as written, 'YYYY-MM-DD HH:MM').
#    So a week holds the county's events of one year, and the database is one county's work over K years.
#    `open_by_deadline` is kept by its insert trigger, which sees the moved deadlines. The ULIDs keep the
#    county's time prefix (their time no longer matches the row's dates in copies k ≥ 1): ids are only
#    compared as keys and as the last tie-breaker of an order (list and report sorts, events by time then
#    rowid within one rectification, whose events are all of one copy), never as a time.
#    Each copy's year ends with the county's work in progress (≈ 1,190 rectifications not yet verified), and
#    in the history spread nothing follows it: 70 years of it stay open and overdue. SETTLE=1 (with
#    SPREAD=history, into bench/out/history-settled/history.db) finishes that work in every copy k ≥ 1, as
#    the next year would have: the missing steps (open → in_progress → fix_reported → verified) are added as
#    events a week apart from the later of its last event and the copy's last day (ids `<rectification
#    id>-s1…s3`, the actor of its last state event), and the rectification is verified then. So only the
#    county's own year has open rectifications, as in a real county whose old findings were closed.
# 3. Copies of the audit table are NOT made (113 MB per county, never read by the console's queries): only the
#    county's own entries are there, so `ducha verify` on big.db reports the copies' rows as unaudited only in
#    that it has no entries for them. The evidence rows of the copies point to the county's files (the same
#    bytes), which are linked beside big.db; but a file is looked up in the folder of its inspection's id,
#    which for the copies does not exist, so `ducha verify` reports the copies' evidence files missing.
#
# The rows are inserted by a sqlite3 shell, with the county's triggers. From schema 14 on (the board's FTS5
# table) that needs SQLite 3.43 or later (3.40 fails with "unrecognized option: contentless_delete"):
# bench/sqlite3-shell.sh gives the system's shell when it is new enough, else builds one (Debian 12's is
# 3.40), and every `sqlite3` below is that shell.
#
# Refuses to overwrite an earlier big.db (history.db). Then e.g. `bench/run.sh` uses it.
set -euo pipefail

cd "$(dirname "$0")/.."
SQLITE3=$(bench/sqlite3-shell.sh)
# -bail: stop at the first error. Newer shells start in defensive mode, which refuses `journal_mode = OFF`
# (the distribution's 3.40 did not): -unsafe-testing turns it off.
sqlite3() { "$SQLITE3" -bail -unsafe-testing "$@"; }
want="${1:-1000000}"
spread="${SPREAD:-wide}"
county=bench/out/county/county.db
case "$spread" in
wide) out=bench/out/big db="$out/big.db" ;;
history)
    out=bench/out/history db="$out/history.db"
    if [ "${SETTLE:-0}" = 1 ]; then out=bench/out/history-settled db="$out/history.db"; fi
    ;;
*)
    echo "SPREAD is wide (the default) or history, not $spread" >&2
    exit 1
    ;;
esac

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
start=$(date +%s)
# SETTLE=1 starts from the history database when it is there and of the same size (no RECTIFICATIONS given):
# the same rows, copied with sqlite3's backup (whatever schema the first open has migrated it to).
from=bench/out/history/history.db
if [ "$spread" = history ] && [ "${SETTLE:-0}" = 1 ] && [ $# -eq 0 ] && [ -e "$from" ]; then
    echo "copying $from into $db…" >&2
    sqlite3 "$from" ".backup '$db'"
    ln -s ../county/evidence "$out/evidence"
else
echo "replicating $county ($per rectifications) $copies times into $db…" >&2
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

# fday X / ftime X / fvalue X: date X ('YYYY-MM-DD'), time X (RFC 3339, 'YYYY-MM-DDTHH:MM:SS' then the offset
# as stored) and answer value X (moved only when it is a 'YYYY-MM-DD HH:MM' date-time) in copy c.k: X itself
# in the wide spread, k × 364 days earlier in the history spread. The local time is moved, the offset kept.
# NULL stays NULL.
fday() { if [ "$spread" = history ]; then echo "date($1, '-' || (c.k * 364) || ' days')"; else echo "$1"; fi; }
ftime() {
    if [ "$spread" = history ]; then
        echo "strftime('%Y-%m-%dT%H:%M:%S', substr($1, 1, 19), '-' || (c.k * 364) || ' days') || substr($1, 20)"
    else
        echo "$1"
    fi
}
fvalue() {
    if [ "$spread" = history ]; then
        echo "CASE WHEN length($1) = 16 AND $1 GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]'
              THEN strftime('%Y-%m-%d %H:%M', $1, '-' || (c.k * 364) || ' days') ELSE $1 END"
    else
        echo "$1"
    fi
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
       s.floors, s.beds, s.license, s.sample, $(ftime s.created_at), $(ftime s.updated_at)
FROM src.sites s, copies c;

INSERT INTO inspections (id, site_id, snapshot_id, inspectors, status, started_at, updated_at, submitted_at,
                         created_by, site_representative, resume_at)
SELECT $(fid i.id), i.site_id || '-' || c.k, i.snapshot_id, i.inspectors,
       i.status, $(ftime i.started_at), $(ftime i.updated_at), $(ftime i.submitted_at), i.created_by,
       i.site_representative, i.resume_at
FROM src.inspections i, copies c;

INSERT INTO repeat_instances (inspection_id, section_id, instance, removed, created_at)
SELECT $(fid r.inspection_id), r.section_id, r.instance,
       r.removed, $(ftime r.created_at)
FROM src.repeat_instances r, copies c;

INSERT INTO answers (id, inspection_id, item_id, instance, revision, base, value, outcome, note, reason, problem,
                     severity, requirement, deadline, responsible, answered_by, answered_at)
SELECT $(fid a.id),
       $(fid a.inspection_id),
       a.item_id, a.instance, a.revision,
       CASE WHEN a.base IS NULL THEN NULL ELSE $(fid a.base) END,
       $(fvalue a.value), a.outcome, a.note, a.reason, a.problem, a.severity, a.requirement, $(fday a.deadline),
       a.responsible, a.answered_by, $(ftime a.answered_at)
FROM src.answers a, copies c;

INSERT INTO evidence (id, answer_id, stored_name, original_path, sha256, bytes, added_by, added_at)
SELECT $(fid e.id),
       $(fid e.answer_id),
       e.stored_name, e.original_path, e.sha256, e.bytes, e.added_by, $(ftime e.added_at)
FROM src.evidence e, copies c;

INSERT INTO rectifications (id, inspection_id, answer_id, site_id, item_id, instance, problem, basis, severity,
                            major_hazard, requirement, deadline, responsible, phone, status, created_by,
                            created_at, updated_at, closed_at, conflict)
SELECT $(fid r.id),
       $(fid r.inspection_id),
       CASE WHEN r.answer_id IS NULL THEN NULL ELSE $(fid r.answer_id) END,
       r.site_id || '-' || c.k, r.item_id, r.instance, r.problem, r.basis, r.severity, r.major_hazard,
       r.requirement, $(fday r.deadline), r.responsible, r.phone, r.status, r.created_by, $(ftime r.created_at),
       $(ftime r.updated_at), $(ftime r.closed_at), r.conflict
FROM src.rectifications r, copies c;

INSERT INTO rectification_events (id, rectification_id, kind, parent, merges, from_status, to_status,
                                  old_deadline, new_deadline, note, actor, at)
SELECT $(fid e.id),
       $(fid e.rectification_id),
       e.kind,
       CASE WHEN e.parent IS NULL THEN NULL ELSE $(fid e.parent) END,
       e.merges, e.from_status, e.to_status, $(fday e.old_deadline), $(fday e.new_deadline), e.note, e.actor,
       $(ftime e.at)
FROM src.rectification_events e, copies c;
COMMIT;
SQL

echo "rows in; making the indexes again…" >&2
sqlite3 "$db" "PRAGMA cache_size = -500000; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" \
    ".read $out/create.sql" "ANALYZE;" "PRAGMA journal_mode = WAL;"
rm -f "$out/drop.sql" "$out/create.sql"
fi

if [ "$spread" = history ] && [ "${SETTLE:-0}" = 1 ]; then
    echo "finishing the work in progress of the copies k ≥ 1…" >&2
    # The copies' sites are `<county site id>-k`; the county's ids have no '-'. at(N) is N weeks after t0.
    at() { echo "strftime('%Y-%m-%dT%H:%M:%S', substr(l.t0, 1, 19), '+$(($1 * 7)) days') || substr(l.t0, 20)"; }
    sqlite3 "$db" <<SQL
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -500000;
BEGIN;
CREATE TEMP TABLE leftover (id TEXT PRIMARY KEY, status TEXT, last_state TEXT, actor TEXT, t0 TEXT);
INSERT INTO leftover
SELECT r.id, r.status,
       (SELECT e.id FROM rectification_events e WHERE e.rectification_id = r.id
          AND e.kind IN ('created', 'transition') ORDER BY e.at DESC, e.rowid DESC LIMIT 1) AS last_state,
       (SELECT e.actor FROM rectification_events e WHERE e.rectification_id = r.id
          AND e.kind IN ('created', 'transition') ORDER BY e.at DESC, e.rowid DESC LIMIT 1) AS actor,
       max((SELECT max(e.at) FROM rectification_events e WHERE e.rectification_id = r.id),
           date('2026-11-29', '-' || (CAST(substr(r.site_id, instr(r.site_id, '-') + 1) AS INTEGER) * 364)
                || ' days') || 'T18:00:00+00:00') AS t0
FROM rectifications r
WHERE r.closed_at IS NULL AND r.status NOT IN ('verified', 'withdrawn') AND r.site_id LIKE '%-%';

INSERT INTO rectification_events (id, rectification_id, kind, parent, from_status, to_status, note, actor, at)
SELECT l.id || '-s1', l.id, 'transition', l.last_state, 'open', 'in_progress', '', l.actor, $(at 1)
FROM leftover l WHERE l.status = 'open';
INSERT INTO rectification_events (id, rectification_id, kind, parent, from_status, to_status, note, actor, at)
SELECT l.id || '-s2', l.id, 'transition', CASE l.status WHEN 'open' THEN l.id || '-s1' ELSE l.last_state END,
       'in_progress', 'fix_reported', '已整改到位，申请复查', l.actor, $(at 2)
FROM leftover l WHERE l.status IN ('open', 'in_progress');
INSERT INTO rectification_events (id, rectification_id, kind, parent, from_status, to_status, note, actor, at)
SELECT l.id || '-s3', l.id, 'transition',
       CASE WHEN l.status IN ('open', 'in_progress') THEN l.id || '-s2' ELSE l.last_state END,
       'fix_reported', 'verified', '现场复查，已整改到位，予以销号', l.actor, $(at 3)
FROM leftover l;
UPDATE rectifications SET status = 'verified', closed_at = $(at 3), updated_at = $(at 3)
FROM leftover l WHERE l.id = rectifications.id;
SELECT 'settled ' || count(*) || ' rectifications' FROM leftover;
COMMIT;
ANALYZE;
PRAGMA journal_mode = WAL;
SQL
fi

end=$(date +%s)
elapsed=$((end - start))
printf 'took %d min %02d s (%d s)\n' $((elapsed / 60)) $((elapsed % 60)) "$elapsed"
sqlite3 "$db" "SELECT 'rectifications ' || (SELECT count(*) FROM rectifications)
                || ', events ' || (SELECT count(*) FROM rectification_events)
                || ', inspections ' || (SELECT count(*) FROM inspections)
                || ', answers ' || (SELECT count(*) FROM answers)
                || ', sites ' || (SELECT count(*) FROM sites)"
du -sh "$db"
