-- Consolidation: rows that stand for the same real thing get the same id in every database, so the
-- databases of many laptops merge by a plain union; each database gets a device of its own; the audit log
-- becomes a hash chain per device; follow-up events and amendments point at the state they were based on,
-- so two databases that changed the same thing from the same state are seen as a conflict. Applied with
-- foreign keys off (tables are rebuilt and ids rewritten); `PRAGMA foreign_key_check` runs before commit.
-- The Rust side of this migration (store::migrate::consolidation) fills `device` and the audit chain.

-- This database's device: one row, made when the database is created or migrated to this version.
CREATE TABLE device (
    one         INTEGER PRIMARY KEY CHECK (one = 1),
    id          TEXT NOT NULL UNIQUE,               -- ULID
    code        TEXT NOT NULL,                      -- 4 characters, printed in the numbers it issues
    created_at  TEXT NOT NULL,
    office      TEXT                                -- the device it takes reference data from; NULL: its own office
);

-- Sites are known by their registry code: the code is the id.
UPDATE inspections SET site_id = (SELECT code FROM sites WHERE sites.id = inspections.site_id);
UPDATE rectifications SET site_id = (SELECT code FROM sites WHERE sites.id = rectifications.site_id);
UPDATE plan_items SET site_id = (SELECT code FROM sites WHERE sites.id = plan_items.site_id);
UPDATE sites SET id = code;

-- Checklist snapshots are known by the SHA-256 of their text: the hash is the id. Two texts of one
-- (checklist, version) can meet in a merge; both are kept (inspections were answered against each) and the
-- difference is listed as a reference conflict, so (checklist_id, version) is no longer unique.
CREATE TABLE checklist_snapshots_v7 (
    id            TEXT PRIMARY KEY NOT NULL,        -- = hash
    checklist_id  TEXT NOT NULL,
    version       INTEGER NOT NULL,
    hash          TEXT NOT NULL CHECK (hash = id),
    title         TEXT NOT NULL,
    domain        TEXT NOT NULL,
    origin        TEXT NOT NULL,
    source        TEXT NOT NULL,
    stored_at     TEXT NOT NULL
);
INSERT INTO checklist_snapshots_v7 (id, checklist_id, version, hash, title, domain, origin, source, stored_at)
    SELECT hash, checklist_id, version, hash, title, domain, origin, source, stored_at FROM checklist_snapshots;
UPDATE inspections SET snapshot_id =
    (SELECT hash FROM checklist_snapshots c WHERE c.id = inspections.snapshot_id);
DROP TABLE checklist_snapshots;
ALTER TABLE checklist_snapshots_v7 RENAME TO checklist_snapshots;
CREATE INDEX checklist_snapshots_version ON checklist_snapshots (checklist_id, version);

-- Answers: an amendment names the revision it amends (`base`), so two amendments of one revision made on
-- two laptops are both kept, as a conflict, instead of one overwriting the other.
CREATE TABLE answers_v7 (
    id                 TEXT PRIMARY KEY NOT NULL,
    inspection_id      TEXT NOT NULL REFERENCES inspections (id),
    item_id            TEXT NOT NULL,
    instance           INTEGER NOT NULL DEFAULT 0,
    revision           INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
    base               TEXT,                        -- the answer revision this one amends; NULL for revision 1
    value              TEXT NOT NULL,
    outcome            TEXT NOT NULL CHECK (outcome IN ('pass', 'fail', 'na', 'recorded', 'skipped')),
    note               TEXT NOT NULL DEFAULT '',
    reason             TEXT NOT NULL DEFAULT '',
    problem            TEXT,
    severity           TEXT CHECK (severity IS NULL OR severity IN ('minor', 'major', 'critical')),
    requirement        TEXT,
    deadline           TEXT,
    responsible        TEXT,
    answered_by        TEXT NOT NULL,
    answered_at        TEXT NOT NULL
);
INSERT INTO answers_v7 (id, inspection_id, item_id, instance, revision, base, value, outcome, note, reason,
                        problem, severity, requirement, deadline, responsible, answered_by, answered_at)
    SELECT a.id, a.inspection_id, a.item_id, a.instance, a.revision,
           (SELECT b.id FROM answers b WHERE b.inspection_id = a.inspection_id AND b.item_id = a.item_id
              AND b.instance = a.instance AND b.revision = a.revision - 1),
           a.value, a.outcome, a.note, a.reason, a.problem, a.severity, a.requirement, a.deadline, a.responsible,
           a.answered_by, a.answered_at
    FROM answers a ORDER BY a.rowid;
DROP TABLE answers;
ALTER TABLE answers_v7 RENAME TO answers;
-- The current answer of an item is its highest revision, then (two amendments of one revision merged from two
-- laptops: a conflict) the higher id, so every database shows the same one.
CREATE INDEX answers_item ON answers (inspection_id, item_id, instance, revision, id);

-- Follow-up events: `parent` is the state event (created, transition, extend, settle) this one was based on;
-- a 'settle' event is a supervisor's decision between the branches of a conflict, whose other heads it
-- lists in `merges`. A rectification's status and deadline are folded from its events.
CREATE TABLE rectification_events_v7 (
    id                TEXT PRIMARY KEY NOT NULL,
    rectification_id  TEXT NOT NULL REFERENCES rectifications (id),
    kind              TEXT NOT NULL CHECK (kind IN ('created', 'transition', 'note', 'extend', 'settle')),
    parent            TEXT,
    merges            TEXT,                         -- JSON array of event ids, for 'settle'
    from_status       TEXT,
    to_status         TEXT,
    old_deadline      TEXT,
    new_deadline      TEXT,
    note              TEXT NOT NULL DEFAULT '',
    actor             TEXT NOT NULL,
    at                TEXT NOT NULL
);
INSERT INTO rectification_events_v7 (id, rectification_id, kind, parent, from_status, to_status, old_deadline,
                                     new_deadline, note, actor, at)
    SELECT e.id, e.rectification_id, e.kind,
           CASE WHEN e.kind = 'created' THEN NULL ELSE
             (SELECT p.id FROM rectification_events p
              WHERE p.rectification_id = e.rectification_id AND p.kind IN ('created', 'transition', 'extend')
                AND (p.at < e.at OR (p.at = e.at AND p.rowid < e.rowid))
              ORDER BY p.at DESC, p.rowid DESC LIMIT 1) END,
           e.from_status, e.to_status, e.old_deadline, e.new_deadline, e.note, e.actor, e.at
    FROM rectification_events e ORDER BY e.rowid;
DROP TABLE rectification_events;
ALTER TABLE rectification_events_v7 RENAME TO rectification_events;
CREATE INDEX rectification_events_rect ON rectification_events (rectification_id, at);
CREATE INDEX rectification_events_kind ON rectification_events (kind, to_status, at);
CREATE INDEX rectification_events_parent ON rectification_events (parent);

-- A rectification whose events have more than one head (two databases changed it from the same state)
-- until a supervisor settles it; its status and deadline stay those of the state both started from.
ALTER TABLE rectifications ADD COLUMN conflict INTEGER NOT NULL DEFAULT 0 CHECK (conflict IN (0, 1));
CREATE INDEX rectifications_conflict ON rectifications (id) WHERE conflict = 1;

-- Notice numbers are issued per device and carry its code (督整〔2026〕第K7QH-012号), so numbers issued on
-- two laptops never collide; an inspection may (rarely) have a notice from more than one device.
CREATE TABLE notices_v7 (
    inspection_id  TEXT NOT NULL REFERENCES inspections (id),
    device         TEXT NOT NULL,
    year           INTEGER NOT NULL,
    seq            INTEGER NOT NULL CHECK (seq >= 1),
    number         TEXT NOT NULL,
    issued_by      TEXT NOT NULL,
    issued_at      TEXT NOT NULL,
    PRIMARY KEY (inspection_id, device),
    UNIQUE (device, year, seq)
);
-- (the device column of the existing notices is set by the Rust side once the device exists)
INSERT INTO notices_v7 (inspection_id, device, year, seq, number, issued_by, issued_at)
    SELECT inspection_id, '', year, seq, number, issued_by, issued_at FROM notices;
DROP TABLE notices;
ALTER TABLE notices_v7 RENAME TO notices;

-- The audit log as a hash chain per device: `dseq` runs 1, 2, 3… without gaps on each device, `prev` is
-- the hash of the device's previous entry ('' for the first) and `hash` the SHA-256 of the entry's
-- canonical content (store::audit::canonical). The Rust side moves the old rows in, in their order.
CREATE TABLE audit_v7 (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,   -- this database's order of arrival, not content
    id         TEXT NOT NULL UNIQUE,
    device     TEXT NOT NULL,
    dseq       INTEGER NOT NULL CHECK (dseq >= 1),
    prev       TEXT NOT NULL,
    hash       TEXT NOT NULL,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    old        TEXT,
    new        TEXT,
    UNIQUE (device, dseq)
);

-- Every hand-over file merged into this database: whose device, when, by whom, the audit heads it held.
CREATE TABLE merges (
    id          TEXT PRIMARY KEY NOT NULL,          -- ULID
    device      TEXT NOT NULL,                      -- the device that wrote the hand-over
    file        TEXT NOT NULL,
    made_at     TEXT NOT NULL,                      -- when the hand-over was written
    merged_at   TEXT NOT NULL,
    merged_by   TEXT NOT NULL,
    heads       TEXT NOT NULL,                      -- JSON: {device: [dseq, hash]} of the file
    summary     TEXT NOT NULL                       -- JSON: counts per kind of record
);
CREATE INDEX merges_device ON merges (device, merged_at);

-- Reference data (registry, users and roles, checklist texts) that arrived from a database this one does not
-- follow and differs from its own: kept for an admin to accept or reject. The id is a hash of what differs,
-- so merging the same file again adds nothing.
CREATE TABLE reference_conflicts (
    id          TEXT PRIMARY KEY NOT NULL,
    entity      TEXT NOT NULL CHECK (entity IN ('site', 'user', 'snapshot')),
    key         TEXT NOT NULL,                      -- site code, user name, checklist id and version
    ours        TEXT,                               -- JSON, NULL when this database has no such row
    theirs      TEXT NOT NULL,                      -- JSON
    device      TEXT NOT NULL,                      -- where it came from
    found_at    TEXT NOT NULL,
    decision    TEXT CHECK (decision IS NULL OR decision IN ('accepted', 'rejected')),
    decided_by  TEXT,
    decided_at  TEXT
);
CREATE INDEX reference_conflicts_open ON reference_conflicts (entity, key) WHERE decision IS NULL;
