-- The board filtered by site, town or domain is read through the matching sites' rectifications: status and
-- severity are in the index, so rows that do not match are skipped without reading them. It replaces the
-- (site_id, status) index, which it covers.
DROP INDEX IF EXISTS rectifications_site;
CREATE INDEX rectifications_site_filter ON rectifications (site_id, status, severity_rank, deadline, id);
