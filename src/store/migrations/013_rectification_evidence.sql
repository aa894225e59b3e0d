-- Proof of a fix: files (photos of the fixed exit, the new licence) attached when a fix is reported
-- (待复查) or verified (复查). A table of its own rather than a nullable link in `evidence`: an answer's
-- evidence keeps its NOT NULL answer, and every row here belongs to exactly one follow-up event (NOT NULL,
-- so never to an answer and an event at once). The file is kept like an answer's, in the evidence folder
-- of the rectification's inspection (`<inspection id>/<sha prefix>-<name>`), so hand-overs carry it and
-- `ducha verify` checks it the same way. Rows are facts: merged by union, never changed.
CREATE TABLE rectification_evidence (
    id                TEXT PRIMARY KEY NOT NULL,    -- ULID
    event_id          TEXT NOT NULL REFERENCES rectification_events (id),
    rectification_id  TEXT NOT NULL REFERENCES rectifications (id),
    stored_name       TEXT NOT NULL,                -- file name inside the inspection's evidence folder
    original_path     TEXT NOT NULL,
    sha256            TEXT NOT NULL,
    bytes             INTEGER NOT NULL CHECK (bytes >= 0),
    added_by          TEXT NOT NULL,
    added_at          TEXT NOT NULL,
    UNIQUE (event_id, sha256)
);
CREATE INDEX rectification_evidence_rect ON rectification_evidence (rectification_id, added_at);

-- The event must be one of the rectification's own (a CHECK cannot look at another table).
CREATE TRIGGER rectification_evidence_event BEFORE INSERT ON rectification_evidence
WHEN NOT EXISTS (SELECT 1 FROM rectification_events e
                 WHERE e.id = NEW.event_id AND e.rectification_id = NEW.rectification_id)
BEGIN SELECT RAISE(ABORT, 'fix evidence must belong to an event of its rectification'); END;
CREATE TRIGGER rectification_evidence_no_update BEFORE UPDATE ON rectification_evidence
BEGIN SELECT RAISE(ABORT, 'fix evidence is never changed'); END;
