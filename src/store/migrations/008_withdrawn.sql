-- Withdrawn rectifications (撤销): an amendment after submit that removes a failure withdraws the
-- rectification it had raised, as a 'withdraw' follow-up event with the amendment's reason — visible in
-- the history, the exports and the weekly figures, never a silent delete. A withdrawn rectification is
-- closed (closed_at is set) but not verified. Both tables are rebuilt for their CHECK constraints.
CREATE TABLE rectifications_v8 (
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
                   CHECK (status IN ('open', 'in_progress', 'fix_reported', 'verified', 'withdrawn')),
    created_by     TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    closed_at      TEXT,
    severity_rank  INTEGER
                   GENERATED ALWAYS AS (CASE severity WHEN 'critical' THEN 3 WHEN 'major' THEN 2 ELSE 1 END) VIRTUAL,
    conflict       INTEGER NOT NULL DEFAULT 0 CHECK (conflict IN (0, 1))
);
INSERT INTO rectifications_v8 (id, inspection_id, answer_id, site_id, item_id, instance, problem, basis, severity,
                               major_hazard, requirement, deadline, responsible, phone, status, created_by,
                               created_at, updated_at, closed_at, conflict)
    SELECT id, inspection_id, answer_id, site_id, item_id, instance, problem, basis, severity, major_hazard,
           requirement, deadline, responsible, phone, status, created_by, created_at, updated_at, closed_at, conflict
    FROM rectifications ORDER BY rowid;
DROP TABLE rectifications;
ALTER TABLE rectifications_v8 RENAME TO rectifications;
CREATE INDEX rectifications_status_deadline ON rectifications (status, deadline);
CREATE INDEX rectifications_inspection ON rectifications (inspection_id);
CREATE INDEX rectifications_urgency ON rectifications (deadline, severity_rank DESC, id);
CREATE INDEX rectifications_created ON rectifications (created_at);
CREATE INDEX rectifications_closed ON rectifications (closed_at, deadline, created_at);
CREATE INDEX rectifications_site_filter ON rectifications (site_id, status, severity_rank, deadline, id);
CREATE INDEX rectifications_conflict ON rectifications (id) WHERE conflict = 1;

CREATE TABLE rectification_events_v8 (
    id                TEXT PRIMARY KEY NOT NULL,
    rectification_id  TEXT NOT NULL REFERENCES rectifications (id),
    kind              TEXT NOT NULL
                      CHECK (kind IN ('created', 'transition', 'note', 'extend', 'settle', 'withdraw')),
    parent            TEXT,                         -- the state event this one was based on
    merges            TEXT,                         -- JSON array of event ids, for 'settle'
    from_status       TEXT,
    to_status         TEXT,
    old_deadline      TEXT,
    new_deadline      TEXT,
    note              TEXT NOT NULL DEFAULT '',
    actor             TEXT NOT NULL,
    at                TEXT NOT NULL
);
INSERT INTO rectification_events_v8 (id, rectification_id, kind, parent, merges, from_status, to_status,
                                     old_deadline, new_deadline, note, actor, at)
    SELECT id, rectification_id, kind, parent, merges, from_status, to_status, old_deadline, new_deadline, note,
           actor, at
    FROM rectification_events ORDER BY rowid;
DROP TABLE rectification_events;
ALTER TABLE rectification_events_v8 RENAME TO rectification_events;
CREATE INDEX rectification_events_rect ON rectification_events (rectification_id, at);
CREATE INDEX rectification_events_kind ON rectification_events (kind, to_status, at);
CREATE INDEX rectification_events_parent ON rectification_events (parent);
