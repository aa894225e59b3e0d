-- The pinyin initials of each site's name and town (every spelling, see search::initials_index), so the
-- site picker filters a province's registry in the database, a page at a time. An empty value marks a row
-- whose initials are still to be computed (by the migration's finish, and by sites::fill_initials for rows
-- copied in by a merge or renamed without them).
ALTER TABLE sites ADD COLUMN initials TEXT NOT NULL DEFAULT '';
CREATE INDEX sites_initials_todo ON sites (id) WHERE initials = '';
-- The picker's order within a kind.
CREATE INDEX sites_kind_town_code ON sites (kind, town, code);
CREATE TRIGGER sites_initials_stale AFTER UPDATE OF name, town ON sites
WHEN (NEW.name IS NOT OLD.name OR NEW.town IS NOT OLD.town) AND NEW.initials = OLD.initials
BEGIN UPDATE sites SET initials = '' WHERE id = NEW.id; END;
-- Who started an inspection, newest first: the names a user last worked with.
CREATE INDEX inspections_created_by ON inspections (created_by, started_at);
-- The list of all inspections, newest first.
CREATE INDEX inspections_started ON inspections (started_at, id);
