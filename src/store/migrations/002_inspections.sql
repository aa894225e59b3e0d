-- Inspections and duty-log shifts, their answers and evidence, rectifications and their follow-ups.
CREATE TABLE inspections (
    id                   TEXT PRIMARY KEY NOT NULL, -- ULID
    site_id              TEXT NOT NULL REFERENCES sites (id),
    snapshot_id          TEXT NOT NULL REFERENCES checklist_snapshots (id),
    inspectors           TEXT NOT NULL,             -- JSON array of names
    status               TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
    started_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    submitted_at         TEXT,
    created_by           TEXT NOT NULL,
    site_representative  TEXT NOT NULL DEFAULT '',
    resume_at            TEXT NOT NULL DEFAULT ''   -- where the draft was left: item id and instance
);
CREATE INDEX inspections_site ON inspections (site_id, started_at);
CREATE INDEX inspections_status ON inspections (status, updated_at);

-- Repetitions of repeat sections (patrol rounds, drill groups), so an empty one is kept too.
CREATE TABLE repeat_instances (
    inspection_id  TEXT NOT NULL REFERENCES inspections (id),
    section_id     TEXT NOT NULL,
    instance       INTEGER NOT NULL CHECK (instance >= 1),
    removed        INTEGER NOT NULL DEFAULT 0 CHECK (removed IN (0, 1)),
    created_at     TEXT NOT NULL,
    PRIMARY KEY (inspection_id, section_id, instance)
);

-- One row per answer revision: drafts update revision 1 in place (audited); an amendment after submit adds
-- the next revision with a reason, and the earlier one stays.
CREATE TABLE answers (
    id                 TEXT PRIMARY KEY NOT NULL,   -- ULID
    inspection_id      TEXT NOT NULL REFERENCES inspections (id),
    item_id            TEXT NOT NULL,
    instance           INTEGER NOT NULL DEFAULT 0,  -- 0 outside repeat sections
    revision           INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
    value              TEXT NOT NULL,
    outcome            TEXT NOT NULL CHECK (outcome IN ('pass', 'fail', 'na', 'recorded', 'skipped')),
    note               TEXT NOT NULL DEFAULT '',
    reason             TEXT NOT NULL DEFAULT '',    -- why an amendment was made
    -- the finding, when the outcome is a failure (becomes a rectification on submit)
    problem            TEXT,
    severity           TEXT CHECK (severity IS NULL OR severity IN ('minor', 'major', 'critical')),
    requirement        TEXT,
    deadline           TEXT,                        -- YYYY-MM-DD
    responsible        TEXT,
    answered_by        TEXT NOT NULL,
    answered_at        TEXT NOT NULL,
    UNIQUE (inspection_id, item_id, instance, revision)
);

CREATE TABLE evidence (
    id             TEXT PRIMARY KEY NOT NULL,       -- ULID
    answer_id      TEXT NOT NULL REFERENCES answers (id),
    stored_name    TEXT NOT NULL,                   -- file name inside the evidence folder
    original_path  TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    bytes          INTEGER NOT NULL,
    added_by       TEXT NOT NULL,
    added_at       TEXT NOT NULL
);
CREATE INDEX evidence_answer ON evidence (answer_id);

CREATE TABLE rectifications (
    id             TEXT PRIMARY KEY NOT NULL,       -- ULID
    inspection_id  TEXT NOT NULL REFERENCES inspections (id),
    answer_id      TEXT REFERENCES answers (id),
    site_id        TEXT NOT NULL REFERENCES sites (id),
    item_id        TEXT NOT NULL,
    instance       INTEGER NOT NULL DEFAULT 0,
    problem        TEXT NOT NULL,
    basis          TEXT NOT NULL DEFAULT '',
    severity       TEXT NOT NULL CHECK (severity IN ('minor', 'major', 'critical')),
    major_hazard   INTEGER NOT NULL DEFAULT 0 CHECK (major_hazard IN (0, 1)),
    requirement    TEXT NOT NULL DEFAULT '',
    deadline       TEXT NOT NULL,                   -- YYYY-MM-DD; overdue is derived, never stored
    responsible    TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT 'open'
                   CHECK (status IN ('open', 'in_progress', 'fix_reported', 'verified')),
    created_by     TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    closed_at      TEXT
);
CREATE INDEX rectifications_status_deadline ON rectifications (status, deadline);
CREATE INDEX rectifications_site ON rectifications (site_id, status);
CREATE INDEX rectifications_inspection ON rectifications (inspection_id);

CREATE TABLE rectification_events (
    id                TEXT PRIMARY KEY NOT NULL,    -- ULID
    rectification_id  TEXT NOT NULL REFERENCES rectifications (id),
    kind              TEXT NOT NULL CHECK (kind IN ('created', 'transition', 'note', 'extend')),
    from_status       TEXT,
    to_status         TEXT,
    old_deadline      TEXT,
    new_deadline      TEXT,
    note              TEXT NOT NULL DEFAULT '',
    actor             TEXT NOT NULL,
    at                TEXT NOT NULL
);
CREATE INDEX rectification_events_rect ON rectification_events (rectification_id, at);
