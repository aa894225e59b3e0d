-- The number of rectifications still open (not verified, not withdrawn) for each deadline, kept by triggers,
-- so the home screen and `ducha status` count the open and overdue ones from a few hundred rows (one per
-- deadline day) instead of the whole table: start-up does not grow with the data. Overdue = open with a
-- deadline before today, summed over the days before today.
CREATE TABLE open_by_deadline (
    deadline  TEXT PRIMARY KEY NOT NULL,
    n         INTEGER NOT NULL CHECK (n >= 1)
) WITHOUT ROWID;

INSERT INTO open_by_deadline (deadline, n)
SELECT deadline, count(*) FROM rectifications
WHERE status NOT IN ('verified', 'withdrawn')
GROUP BY deadline;

CREATE TRIGGER open_by_deadline_insert AFTER INSERT ON rectifications
WHEN new.status NOT IN ('verified', 'withdrawn')
BEGIN
    INSERT INTO open_by_deadline (deadline, n) VALUES (new.deadline, 1)
    ON CONFLICT (deadline) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER open_by_deadline_delete AFTER DELETE ON rectifications
WHEN old.status NOT IN ('verified', 'withdrawn')
BEGIN
    DELETE FROM open_by_deadline WHERE deadline = old.deadline AND n = 1;
    UPDATE open_by_deadline SET n = n - 1 WHERE deadline = old.deadline AND n > 1;
END;

CREATE TRIGGER open_by_deadline_update AFTER UPDATE OF status, deadline ON rectifications
WHEN (old.status NOT IN ('verified', 'withdrawn')) <> (new.status NOT IN ('verified', 'withdrawn'))
  OR (old.deadline <> new.deadline AND new.status NOT IN ('verified', 'withdrawn'))
BEGIN
    -- Out of the old day, if it was open.
    DELETE FROM open_by_deadline
    WHERE deadline = old.deadline AND n = 1 AND old.status NOT IN ('verified', 'withdrawn');
    UPDATE open_by_deadline SET n = n - 1
    WHERE deadline = old.deadline AND n > 1 AND old.status NOT IN ('verified', 'withdrawn');
    -- Into the new day, if it is open.
    INSERT INTO open_by_deadline (deadline, n)
    SELECT new.deadline, 1 WHERE new.status NOT IN ('verified', 'withdrawn')
    ON CONFLICT (deadline) DO UPDATE SET n = n + 1;
END;
