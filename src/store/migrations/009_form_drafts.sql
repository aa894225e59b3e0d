-- Drafts of the failure form (不合格) while it is being typed: saved a second after the inspector stops
-- typing, so a crash or a dead battery does not lose the problem text before Ctrl-S. One row per answer
-- slot; the row goes when the finding is saved or the form is cancelled. Local to this database (never
-- merged: it is work in progress, not a record).
CREATE TABLE form_drafts (
    inspection_id  TEXT NOT NULL,                   -- no foreign key: merges may rebuild inspections
    item_id        TEXT NOT NULL,
    instance       INTEGER NOT NULL DEFAULT 0,
    fields         TEXT NOT NULL,                   -- JSON object of the form's fields as typed
    saved_by       TEXT NOT NULL,
    saved_at       TEXT NOT NULL,
    PRIMARY KEY (inspection_id, item_id, instance)
);

-- Per-user preferences of this console, e.g. the folder the evidence picker lists.
CREATE TABLE user_prefs (
    user        TEXT NOT NULL,
    key         TEXT NOT NULL,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (user, key)
);
