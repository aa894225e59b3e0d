-- Fewer pages written by each saved answer (a durable commit writes every page it changed to the WAL, and
-- the fsync of those pages is most of an answer's save time).
--
-- 1. A draft's `updated_at` changes with every answer, and `inspections_status (status, updated_at)` moved
--    its entry each time. The two lists that index served are now two partial indexes, neither of which
--    holds a draft's `updated_at`: submitted inspections by `updated_at` (home's recent list, newest first,
--    and every "submitted" set), and drafts by their start (a laptop holds a few; the list sorts them).
DROP INDEX inspections_status;
CREATE INDEX inspections_submitted ON inspections (updated_at, id) WHERE status = 'submitted';
CREATE INDEX inspections_drafts ON inspections (started_at) WHERE status = 'draft';

-- 2. The audit table loses AUTOINCREMENT, which wrote `sqlite_sequence` on every entry. Its rows are never
--    deleted (a trigger refuses it), so the next `seq` is the same either way: one more than the largest.
--    The table's stored format does not change, so the Rust side (store::migrate::plain_audit_rowid) edits
--    the schema text in place, as SQLite's ALTER TABLE documentation describes for such changes, instead of
--    copying the largest table of a merged database.

-- 3. `audit_entity (entity, entity_id, seq)` is dropped: every write of every kind added an entry to it,
--    and no query of the console or the CLI reads the log by entity (the log is read by device and `dseq`,
--    for the chain and the merge, and in `seq` order). `store::audit::for_entity`, which tests use, scans.
DROP INDEX audit_entity;
