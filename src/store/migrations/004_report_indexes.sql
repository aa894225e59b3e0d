-- Indexes for the weekly report (ducha report weekly), so a week of a large database is read as index
-- ranges, never as a scan of the whole table:
-- rectifications created in a week, and the open series (how many were created since a day);
CREATE INDEX rectifications_created ON rectifications (created_at);
-- the rectifications open at a time (closed_at IS NULL or later) with their deadline, for overdue and due
-- next week, and how many were closed since a day — all without reading the table;
CREATE INDEX rectifications_closed ON rectifications (closed_at, deadline, created_at);
-- follow-up events of a kind in a period: transitions to a status (销号, 退回), extensions (to_status NULL).
CREATE INDEX rectification_events_kind ON rectification_events (kind, to_status, at);
