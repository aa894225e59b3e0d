-- The board's urgency order (deadline, then severity, most severe first) served by an index, so a page of
-- rectifications is read without sorting the table; and random inspection plans (双随机).
ALTER TABLE rectifications ADD COLUMN severity_rank INTEGER
    GENERATED ALWAYS AS (CASE severity WHEN 'critical' THEN 3 WHEN 'major' THEN 2 ELSE 1 END) VIRTUAL;
CREATE INDEX rectifications_urgency ON rectifications (deadline, severity_rank DESC, id);
CREATE INDEX sites_town ON sites (town, kind);

CREATE TABLE plans (
    id          TEXT PRIMARY KEY NOT NULL,          -- ULID
    domain      TEXT NOT NULL,
    seed        TEXT NOT NULL,                      -- the seed the draw used, so it can be repeated
    count       INTEGER NOT NULL CHECK (count >= 1),
    inspectors  TEXT NOT NULL,                      -- JSON array: the pool the pairs were drawn from
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE plan_items (
    plan_id        TEXT NOT NULL REFERENCES plans (id),
    position       INTEGER NOT NULL,
    site_id        TEXT NOT NULL REFERENCES sites (id),
    inspectors     TEXT NOT NULL,                   -- JSON array: the pair drawn for this site
    inspection_id  TEXT REFERENCES inspections (id),-- set when the planned inspection is started
    PRIMARY KEY (plan_id, position)
);
CREATE INDEX plan_items_open ON plan_items (inspection_id, plan_id);
