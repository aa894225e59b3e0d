-- The bureau's settings (局名, seal line, document number formats): data, not the config file, so every
-- laptop that merges the office's hand-over prints the same documents. Changed by admins, audited, and
-- taken from the office in a merge like the roles. Keys and their checks live in `crate::bureau`.
CREATE TABLE bureau_settings (
    key         TEXT PRIMARY KEY NOT NULL,
    value       TEXT NOT NULL,
    changed_by  TEXT NOT NULL,
    changed_at  TEXT NOT NULL
) WITHOUT ROWID;

-- An officer's law-enforcement certificate number (执法证号), printed beside the name on records of
-- enforcement inspections. Empty when the user has none.
ALTER TABLE users ADD COLUMN cert TEXT NOT NULL DEFAULT '';

-- On-site inspection record numbers (现场检查记录 督记〔2026〕第K7QH-001号), allocated like the notices'
-- on the record's first export and reprinted unchanged: per issuing device and year.
CREATE TABLE records (
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

-- A difference in the bureau's settings from a peer is listed for an admin like a site's or a role's.
CREATE TABLE reference_conflicts_v12 (
    id          TEXT PRIMARY KEY NOT NULL,
    entity      TEXT NOT NULL CHECK (entity IN ('site', 'user', 'snapshot', 'setting')),
    key         TEXT NOT NULL,                      -- site code, user name, checklist id and version, setting key
    ours        TEXT,                               -- JSON, NULL when this database has no such row
    theirs      TEXT NOT NULL,                      -- JSON
    device      TEXT NOT NULL,                      -- where it came from
    found_at    TEXT NOT NULL,
    decision    TEXT CHECK (decision IS NULL OR decision IN ('accepted', 'rejected')),
    decided_by  TEXT,
    decided_at  TEXT
);
INSERT INTO reference_conflicts_v12 SELECT id, entity, key, ours, theirs, device, found_at, decision, decided_by, decided_at
    FROM reference_conflicts;
DROP TABLE reference_conflicts;
ALTER TABLE reference_conflicts_v12 RENAME TO reference_conflicts;
CREATE INDEX reference_conflicts_open ON reference_conflicts (entity, key) WHERE decision IS NULL;
