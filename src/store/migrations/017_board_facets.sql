-- Facets for the board's free text among the open rectifications: its other filters as tokens of a trigram
-- index, so that FTS5 intersects them with the text before any row is read.
--
-- 1. A second trigram index, over the open rectifications only (neither verified nor withdrawn: 77,520 of
--    1,010,648 at province scale). The board's default view and its overdue part show open rows only; there
--    a common text (消防: 31,844 matches among all rows, 912 among the open major ones) made the board walk
--    the urgency order and read row after row that the severity kept out (30-40 ms at 1M). Here the text
--    with the severity, status, domain, town and site takes 1.5 ms, and the few candidates are read and
--    sorted. (The same facets in migration 14's index of every row were tried and dropped: a one-character
--    text is an OR of many trigrams, and its intersection with a facet over a million rows took 20 ms.)
-- 2. The urgency index of every rectification with the status and the site.
--
-- Same form as migration 14's index: contentless, rows keyed by the rectification's rowid, each text value
-- with two U+0001 appended. The facet columns `town`, `severity`, `status` and `kind` each hold one
-- three-character value, so one trigram: `severity` is 'sv' and the severity rank; the others are the first
-- three characters of the site's town, of the status key and of the site's kind key, padded with U+0001
-- (store::fts::facet spells the same). Towns that begin alike share a token. Facets only narrow the
-- candidates: the board still tests every filter on the real row, and a search's words are looked for in
-- the four text columns only.

-- What the index holds for a rectification, spelled once; the triggers read it by rowid or by site. A
-- migration that rebuilds the rectifications or the sites drops this view first and makes it again after.
CREATE VIEW open_text_rows AS
SELECT r.rowid AS rid, r.site_id AS site_id, r.status NOT IN ('verified', 'withdrawn') AS open,
       r.problem || char(1, 1) AS problem, r.item_id || char(1, 1) AS item_id,
       coalesce(s.name, '') || char(1, 1) AS site_name, coalesce(s.code, '') || char(1, 1) AS site_code,
       substr(coalesce(s.town, '') || char(1, 1, 1), 1, 3) AS town, 'sv' || r.severity_rank AS severity,
       substr(r.status || char(1, 1, 1), 1, 3) AS status,
       substr(coalesce(s.kind, '') || char(1, 1, 1), 1, 3) AS kind
FROM rectifications r LEFT JOIN sites s ON s.id = r.site_id;

-- 1. The open rows. A row leaves the index when closed and comes back if reopened (a merge's refold can do
--    that); a change of status, severity, text or site re-indexes it; so does a change to its site (or the
--    site inserted after rectifications that name it, as a merge may do).
CREATE VIRTUAL TABLE open_text USING fts5 (
    problem, item_id, site_name, site_code, town, severity, status, kind,
    content = '', contentless_delete = 1, tokenize = 'trigram'
);
CREATE VIRTUAL TABLE open_text_terms USING fts5vocab (open_text, 'row');

INSERT INTO open_text (rowid, problem, item_id, site_name, site_code, town, severity, status, kind)
SELECT rid, problem, item_id, site_name, site_code, town, severity, status, kind FROM open_text_rows
WHERE open;

CREATE TRIGGER open_text_insert AFTER INSERT ON rectifications
WHEN new.status NOT IN ('verified', 'withdrawn')
BEGIN
    INSERT INTO open_text (rowid, problem, item_id, site_name, site_code, town, severity, status, kind)
    SELECT rid, problem, item_id, site_name, site_code, town, severity, status, kind
    FROM open_text_rows WHERE rid = new.rowid;
END;

CREATE TRIGGER open_text_delete AFTER DELETE ON rectifications
WHEN old.status NOT IN ('verified', 'withdrawn')
BEGIN
    DELETE FROM open_text WHERE rowid = old.rowid;
END;

CREATE TRIGGER open_text_update AFTER UPDATE OF problem, item_id, site_id, status, severity ON rectifications
WHEN new.problem IS NOT old.problem OR new.item_id IS NOT old.item_id OR new.site_id IS NOT old.site_id
  OR new.status IS NOT old.status OR new.severity IS NOT old.severity
BEGIN
    DELETE FROM open_text WHERE rowid = old.rowid AND old.status NOT IN ('verified', 'withdrawn');
    INSERT INTO open_text (rowid, problem, item_id, site_name, site_code, town, severity, status, kind)
    SELECT rid, problem, item_id, site_name, site_code, town, severity, status, kind
    FROM open_text_rows WHERE rid = new.rowid AND open;
END;

CREATE TRIGGER open_text_site_update AFTER UPDATE OF name, code, town, kind ON sites
WHEN new.name IS NOT old.name OR new.code IS NOT old.code OR new.town IS NOT old.town OR new.kind IS NOT old.kind
BEGIN
    DELETE FROM open_text WHERE rowid IN (SELECT rid FROM open_text_rows WHERE site_id = new.id AND open);
    INSERT INTO open_text (rowid, problem, item_id, site_name, site_code, town, severity, status, kind)
    SELECT rid, problem, item_id, site_name, site_code, town, severity, status, kind
    FROM open_text_rows WHERE site_id = new.id AND open;
END;

CREATE TRIGGER open_text_site_insert AFTER INSERT ON sites
BEGIN
    DELETE FROM open_text WHERE rowid IN (SELECT rid FROM open_text_rows WHERE site_id = new.id AND open);
    INSERT INTO open_text (rowid, problem, item_id, site_name, site_code, town, severity, status, kind)
    SELECT rid, problem, item_id, site_name, site_code, town, severity, status, kind
    FROM open_text_rows WHERE site_id = new.id AND open;
END;

-- 2. The urgency order of every rectification holds the status and the site too, as the open rows' index
-- (migration 15) does: a board that shows closed rows walks it past the rows of other domains and statuses
-- without reading them from the table (with a domain, three rows in four were read only to learn their
-- site). The name stays, for the statements that name the index.
DROP INDEX rectifications_urgency;
CREATE INDEX rectifications_urgency ON rectifications (deadline, severity_rank DESC, id, status, site_id);
