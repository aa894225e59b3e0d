-- The board's open rectifications (neither verified nor withdrawn) in its order of urgency, with what its
-- filters test (status, severity and site) inside the index. The overdue part of the board, and all of it
-- when only open statuses are shown (the default), walk these few rows (84,419 of 1,007,845 at province
-- scale) without reading a row that does not match: the urgency index walked ten closed rows for every
-- open one, and read each from the table to learn its status.
CREATE INDEX rectifications_open_urgency
ON rectifications (deadline, severity_rank DESC, id, status, site_id)
WHERE status NOT IN ('verified', 'withdrawn');
