-- Trigram indexes (FTS5) for the two free-text searches, so a rare match is found without reading every
-- row: the board's text filter (a rectification's problem and item id, its site's name and code) and the
-- site picker (a site's name, code, town and pinyin initials). Both are contentless (content=''): they hold
-- only the index, keyed by the rowid of the row they describe, and contentless_delete=1 lets a trigger drop
-- a row's entry by rowid alone, so the index can never disagree with the values it was built from.
--
-- The index only proposes candidates: every query still applies its LIKE conditions to the real rows, so
-- the results are exactly those of the conditions (see store::fts). Each value is indexed with two U+0001
-- characters appended, so that every occurrence of a one- or two-character query starts a trigram of the
-- index (trigrams cannot hold shorter queries; those are answered from the index's list of trigrams).
CREATE VIRTUAL TABLE board_text USING fts5 (
    problem, item_id, site_name, site_code,
    content = '', contentless_delete = 1, tokenize = 'trigram'
);
CREATE VIRTUAL TABLE board_text_terms USING fts5vocab (board_text, 'row');

INSERT INTO board_text (rowid, problem, item_id, site_name, site_code)
SELECT r.rowid, r.problem || char(1, 1), r.item_id || char(1, 1),
       coalesce(s.name, '') || char(1, 1), coalesce(s.code, '') || char(1, 1)
FROM rectifications r LEFT JOIN sites s ON s.id = r.site_id;

CREATE TRIGGER board_text_insert AFTER INSERT ON rectifications
BEGIN
    INSERT INTO board_text (rowid, problem, item_id, site_name, site_code)
    SELECT new.rowid, new.problem || char(1, 1), new.item_id || char(1, 1),
           coalesce(s.name, '') || char(1, 1), coalesce(s.code, '') || char(1, 1)
    FROM (SELECT 1) LEFT JOIN sites s ON s.id = new.site_id;
END;

CREATE TRIGGER board_text_delete AFTER DELETE ON rectifications
BEGIN
    DELETE FROM board_text WHERE rowid = old.rowid;
END;

CREATE TRIGGER board_text_update AFTER UPDATE OF problem, item_id, site_id ON rectifications
WHEN new.problem IS NOT old.problem OR new.item_id IS NOT old.item_id OR new.site_id IS NOT old.site_id
BEGIN
    DELETE FROM board_text WHERE rowid = old.rowid;
    INSERT INTO board_text (rowid, problem, item_id, site_name, site_code)
    SELECT new.rowid, new.problem || char(1, 1), new.item_id || char(1, 1),
           coalesce(s.name, '') || char(1, 1), coalesce(s.code, '') || char(1, 1)
    FROM (SELECT 1) LEFT JOIN sites s ON s.id = new.site_id;
END;

-- A site renamed (or inserted after rectifications that name it, as a merge may do) re-indexes its
-- rectifications, through rectifications_site_filter.
CREATE TRIGGER board_text_site_update AFTER UPDATE OF name, code ON sites
WHEN new.name IS NOT old.name OR new.code IS NOT old.code
BEGIN
    DELETE FROM board_text WHERE rowid IN (SELECT rowid FROM rectifications WHERE site_id = new.id);
    INSERT INTO board_text (rowid, problem, item_id, site_name, site_code)
    SELECT r.rowid, r.problem || char(1, 1), r.item_id || char(1, 1), new.name || char(1, 1),
           new.code || char(1, 1)
    FROM rectifications r WHERE r.site_id = new.id;
END;

CREATE TRIGGER board_text_site_insert AFTER INSERT ON sites
BEGIN
    DELETE FROM board_text WHERE rowid IN (SELECT rowid FROM rectifications WHERE site_id = new.id);
    INSERT INTO board_text (rowid, problem, item_id, site_name, site_code)
    SELECT r.rowid, r.problem || char(1, 1), r.item_id || char(1, 1), new.name || char(1, 1),
           new.code || char(1, 1)
    FROM rectifications r WHERE r.site_id = new.id;
END;

CREATE VIRTUAL TABLE site_text USING fts5 (
    name, code, town, initials,
    content = '', contentless_delete = 1, tokenize = 'trigram'
);
CREATE VIRTUAL TABLE site_text_terms USING fts5vocab (site_text, 'row');

INSERT INTO site_text (rowid, name, code, town, initials)
SELECT rowid, name || char(1, 1), code || char(1, 1), town || char(1, 1), initials || char(1, 1) FROM sites;

CREATE TRIGGER site_text_insert AFTER INSERT ON sites
BEGIN
    INSERT INTO site_text (rowid, name, code, town, initials)
    VALUES (new.rowid, new.name || char(1, 1), new.code || char(1, 1), new.town || char(1, 1),
            new.initials || char(1, 1));
END;

CREATE TRIGGER site_text_delete AFTER DELETE ON sites
BEGIN
    DELETE FROM site_text WHERE rowid = old.rowid;
END;

CREATE TRIGGER site_text_update AFTER UPDATE OF name, code, town, initials ON sites
WHEN new.name IS NOT old.name OR new.code IS NOT old.code OR new.town IS NOT old.town
  OR new.initials IS NOT old.initials
BEGIN
    DELETE FROM site_text WHERE rowid = old.rowid;
    INSERT INTO site_text (rowid, name, code, town, initials)
    VALUES (new.rowid, new.name || char(1, 1), new.code || char(1, 1), new.town || char(1, 1),
            new.initials || char(1, 1));
END;
