-- Users, the site registry, checklist snapshots and the append-only audit log.
CREATE TABLE users (
    name        TEXT PRIMARY KEY NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('inspector', 'supervisor', 'admin')),
    created_at  TEXT NOT NULL
);

CREATE TABLE sites (
    id          TEXT PRIMARY KEY NOT NULL,          -- ULID, unique across laptops
    code        TEXT NOT NULL UNIQUE,               -- the registry code (编号 / 统一社会信用代码)
    kind        TEXT NOT NULL CHECK (kind IN ('elderly_care', 'lottery_outlet', 'rescue_station', 'social_org')),
    name        TEXT NOT NULL,
    town        TEXT NOT NULL,
    address     TEXT NOT NULL DEFAULT '',
    contact     TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    floors      INTEGER CHECK (floors IS NULL OR floors >= 0),
    beds        INTEGER CHECK (beds IS NULL OR beds >= 0),
    license     TEXT NOT NULL DEFAULT '',
    sample      INTEGER NOT NULL DEFAULT 0 CHECK (sample IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX sites_kind_town ON sites (kind, town, name);

-- The exact text of every checklist version ever used, so old inspections render against it.
CREATE TABLE checklist_snapshots (
    id            TEXT PRIMARY KEY NOT NULL,        -- ULID
    checklist_id  TEXT NOT NULL,
    version       INTEGER NOT NULL,
    hash          TEXT NOT NULL,                    -- SHA-256 of the source bytes, hex
    title         TEXT NOT NULL,
    domain        TEXT NOT NULL,
    origin        TEXT NOT NULL,                    -- where it was first read from
    source        TEXT NOT NULL,
    stored_at     TEXT NOT NULL,
    UNIQUE (checklist_id, version)
);

CREATE TABLE audit (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,                -- ULID, so merged logs keep every row once
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    old        TEXT,                                -- JSON of the changed fields before
    new        TEXT                                 -- JSON of the changed fields after
);
CREATE INDEX audit_entity ON audit (entity, entity_id, seq);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit table is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit table is append-only'); END;
