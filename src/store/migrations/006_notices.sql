-- Rectification notices (整改通知书): the number a submitted inspection's notice is issued under. It is
-- allocated on the first export of the notice and reused by every later export, so a reprint carries the
-- same number. Numbers run per year of the inspection date: 督整〔2026〕第012号.
CREATE TABLE notices (
    inspection_id  TEXT PRIMARY KEY NOT NULL REFERENCES inspections (id),
    year           INTEGER NOT NULL,
    seq            INTEGER NOT NULL CHECK (seq >= 1),
    number         TEXT NOT NULL,                   -- the formatted number, as printed
    issued_by      TEXT NOT NULL,
    issued_at      TEXT NOT NULL,
    UNIQUE (year, seq)
);
