//! The weekly rectification report (整改周报) for one ISO week, as plain data.
//!
//! Times are compared by the local date recorded with them (the stored text starts `YYYY-MM-DD`), so a
//! week is the seven local days from its Monday to its Sunday. The figures:
//! - **new** (新发现): rectifications created in the week;
//! - **closed** (销号): transitions to `verified` in the week;
//! - **rejected** (退回): transitions from `fix_reported` back to `in_progress` in the week (each rejection
//!   counts, so one rectification rejected twice counts twice);
//! - **withdrawn** (撤销): rectifications withdrawn in the week because an amendment removed their failure;
//! - **overdue** (逾期) on the report day D — the week's Sunday, or today when the week is the current one:
//!   created on or before D, not verified by the end of D, and the deadline in force on D (a later extension
//!   does not count) before D; days overdue = D − deadline, so the deadline day itself is not overdue;
//! - **due next week** (下周到期): created on or before D, not verified by the end of D, and the deadline in
//!   force on D inside the following ISO week;
//! - **open series** (未销号): for each of the 12 weeks ending with this one, the rectifications created
//!   before the end of the week's last day (D for this week) and not verified before then.
//!
//! "Not verified by T" uses `closed_at`, which the verifying transition sets with the same time as its event.
//! Every figure is also broken down by domain (the inspected site's kind, as the board filters it) and by
//! town. The queries walk the indexes of migration 004 (`created_at`; `closed_at, deadline, created_at`;
//! events by kind, status and time), so a large database is never loaded whole: counts are grouped in SQL,
//! and of the rows only the overdue and due ones are read.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use rusqlite::{Connection, Row, params};

use super::ReportError;
use super::week::IsoWeek;
use crate::domain::{Domain, Severity};
use crate::i18n::Lang;
use crate::rectification::{Status, days_overdue};

/// How many weeks the open series covers.
pub const SERIES_WEEKS: usize = 12;

/// The figures of the report, in the order they are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Figure {
    New,
    Closed,
    Rejected,
    Withdrawn,
    Overdue,
    DueNextWeek,
}

impl Figure {
    pub const ALL: [Figure; 6] = [
        Figure::New,
        Figure::Closed,
        Figure::Rejected,
        Figure::Withdrawn,
        Figure::Overdue,
        Figure::DueNextWeek,
    ];

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Figure::New => lang.pick("新发现", "new"),
            Figure::Closed => lang.pick("销号", "closed"),
            Figure::Rejected => lang.pick("退回", "rejected"),
            Figure::Withdrawn => lang.pick("撤销", "withdrawn"),
            Figure::Overdue => lang.pick("逾期", "overdue"),
            Figure::DueNextWeek => lang.pick("下周到期", "due next week"),
        }
    }
}

/// One count per figure.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    pub new: u64,
    pub closed: u64,
    pub rejected: u64,
    pub withdrawn: u64,
    pub overdue: u64,
    pub due_next_week: u64,
}

impl Figures {
    pub fn get(&self, f: Figure) -> u64 {
        match f {
            Figure::New => self.new,
            Figure::Closed => self.closed,
            Figure::Rejected => self.rejected,
            Figure::Withdrawn => self.withdrawn,
            Figure::Overdue => self.overdue,
            Figure::DueNextWeek => self.due_next_week,
        }
    }

    fn add(&mut self, f: Figure, n: u64) {
        let slot = match f {
            Figure::New => &mut self.new,
            Figure::Closed => &mut self.closed,
            Figure::Rejected => &mut self.rejected,
            Figure::Withdrawn => &mut self.withdrawn,
            Figure::Overdue => &mut self.overdue,
            Figure::DueNextWeek => &mut self.due_next_week,
        };
        *slot += n;
    }
}

/// A rectification listed as overdue or due next week, as it stood on the report day.
#[derive(Clone, Debug, PartialEq)]
pub struct Listed {
    pub id: String,
    pub site_code: String,
    pub site_name: String,
    pub town: String,
    pub domain: Domain,
    pub problem: String,
    pub severity: Severity,
    /// The deadline in force on the report day.
    pub deadline: NaiveDate,
    /// The status on the report day.
    pub status: Status,
    /// On the report day; 0 for the ones due next week.
    pub days_overdue: i64,
}

/// The number of rectifications open at the end of `at`, the last day counted in `week`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenAt {
    pub week: IsoWeek,
    pub at: NaiveDate,
    pub open: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct WeeklyReport {
    pub week: IsoWeek,
    /// The day the overdue and due figures are taken on: the week's Sunday, or today in the current week.
    pub report_day: NaiveDate,
    pub totals: Figures,
    /// All four domains, in [`Domain::ALL`] order.
    pub by_domain: Vec<(Domain, Figures)>,
    /// The towns with any figure, by name.
    pub by_town: Vec<(String, Figures)>,
    /// Most days overdue first.
    pub overdue: Vec<Listed>,
    /// Earliest deadline first.
    pub due_next_week: Vec<Listed>,
    /// [`SERIES_WEEKS`] points, oldest first, ending with this week.
    pub open_series: Vec<OpenAt>,
}

impl WeeklyReport {
    pub fn monday(&self) -> NaiveDate {
        self.week.monday()
    }

    pub fn sunday(&self) -> NaiveDate {
        self.week.sunday()
    }

    /// Whether the report day is before the week's Sunday (the week is still running).
    pub fn partial(&self) -> bool {
        self.report_day < self.week.sunday()
    }
}

/// The day the overdue and due figures are taken on: today inside the current week, else the Sunday.
pub fn report_day(week: IsoWeek, today: NaiveDate) -> NaiveDate {
    if week.contains(today) { today } else { week.sunday() }
}

/// The text every stored time of local day `d` starts with; `t < day(d)` means "before day d".
fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn after(d: NaiveDate) -> NaiveDate {
    d + Days::new(1)
}

#[derive(Default)]
struct Acc {
    totals: Figures,
    domain: BTreeMap<Domain, Figures>,
    town: BTreeMap<String, Figures>,
}

impl Acc {
    fn add(&mut self, domain: Domain, town: &str, f: Figure, n: u64) {
        self.totals.add(f, n);
        self.domain.entry(domain).or_default().add(f, n);
        self.town.entry(town.to_string()).or_default().add(f, n);
    }
}

fn domain_of(kind: &str) -> Result<Domain, ReportError> {
    Domain::from_key(kind).ok_or_else(|| ReportError::Data(format!("site kind `{kind}`")))
}

/// Counts grouped by (site kind, town): the query returns exactly those three columns.
fn grouped(
    conn: &Connection,
    sql: &str,
    args: impl rusqlite::Params,
    f: Figure,
    acc: &mut Acc,
) -> Result<(), ReportError> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt
        .query_map(args, |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (kind, town, n) in rows {
        acc.add(domain_of(&kind)?, &town, f, u64::try_from(n).unwrap_or(0));
    }
    Ok(())
}

const NEW_SQL: &str = "SELECT s.kind, s.town, count(*) FROM rectifications r JOIN sites s ON s.id = r.site_id
     WHERE r.created_at >= ?1 AND r.created_at < ?2 GROUP BY s.kind, s.town";

/// Events of kind ?5 into status ?3 (from ?4, when not NULL) in [?1, ?2), by the events' kind index.
const TRANSITIONS_SQL: &str = "SELECT s.kind, s.town, count(*) FROM rectification_events e
     JOIN rectifications r ON r.id = e.rectification_id JOIN sites s ON s.id = r.site_id
     WHERE e.kind = ?5 AND e.to_status = ?3 AND e.at >= ?1 AND e.at < ?2
       AND (?4 IS NULL OR e.from_status = ?4)
     GROUP BY s.kind, s.town";

/// The rectifications open at the end of the report day (?1 = the day after it: created before ?1, not
/// verified before ?1) whose deadline then was before the report day (?2) or inside next week (?3..=?4).
/// The deadline then is the one the first extension from ?1 on replaced (its `old_deadline`; SQLite's bare
/// column with `min()` takes it from that row), else the current one; the status then is the latest status
/// event before ?1. Candidates come from the `rectifications_closed` index (closed_at, deadline,
/// created_at) — open ones with a deadline up to ?4 — plus the few extended since ?1. `INDEXED BY` keeps
/// SQLite from walking the whole `created_at` index or the events by rectification instead.
const OPEN_ON_DAY_SQL: &str = "WITH ext AS (
       SELECT rectification_id AS id, old_deadline, min(at)
       FROM rectification_events INDEXED BY rectification_events_kind
       WHERE kind = 'extend' AND to_status IS NULL AND at >= ?1 GROUP BY rectification_id),
     cand AS (
       SELECT id FROM rectifications INDEXED BY rectifications_closed
       WHERE closed_at IS NULL AND deadline <= ?4 AND created_at < ?1
       UNION SELECT id FROM rectifications INDEXED BY rectifications_closed
       WHERE closed_at >= ?1 AND deadline <= ?4 AND created_at < ?1
       UNION SELECT id FROM ext)
     SELECT r.id, s.code, s.name, s.town, s.kind, r.problem, r.severity,
            coalesce(x.old_deadline, r.deadline) AS deadline_then,
            coalesce((SELECT e.to_status FROM rectification_events e
                      WHERE e.rectification_id = r.id AND e.kind IN ('created', 'transition') AND e.at < ?1
                      ORDER BY e.at DESC, e.rowid DESC LIMIT 1), r.status)
     FROM cand JOIN rectifications r ON r.id = cand.id JOIN sites s ON s.id = r.site_id
          LEFT JOIN ext x ON x.id = r.id
     WHERE r.created_at < ?1 AND (r.closed_at IS NULL OR r.closed_at >= ?1)
       AND (deadline_then < ?2 OR deadline_then BETWEEN ?3 AND ?4)";

fn row_to_listed(r: &Row<'_>) -> rusqlite::Result<[String; 9]> {
    Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?])
}

fn listed(cols: [String; 9], day: NaiveDate) -> Result<Listed, ReportError> {
    let [id, site_code, site_name, town, kind, problem, severity, deadline, status] = cols;
    let severity =
        Severity::from_key(&severity).ok_or_else(|| ReportError::Data(format!("severity `{severity}`")))?;
    let status = Status::from_key(&status).ok_or_else(|| ReportError::Data(format!("status `{status}`")))?;
    let deadline = NaiveDate::parse_from_str(&deadline, "%Y-%m-%d")
        .map_err(|_| ReportError::Data(format!("deadline `{deadline}` of rectification {id}")))?;
    Ok(Listed {
        domain: domain_of(&kind)?,
        days_overdue: days_overdue(status, deadline, day),
        id,
        site_code,
        site_name,
        town,
        problem,
        severity,
        deadline,
        status,
    })
}

/// The overdue ones and the ones due next week, on report day `d`.
fn open_on_day(
    conn: &Connection,
    d: NaiveDate,
    next: IsoWeek,
) -> Result<(Vec<Listed>, Vec<Listed>), ReportError> {
    let mut stmt = conn.prepare(OPEN_ON_DAY_SQL)?;
    let rows = stmt
        .query_map(params![day(after(d)), day(d), day(next.monday()), day(next.sunday())], row_to_listed)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let (mut overdue, mut due) = (Vec::new(), Vec::new());
    for cols in rows {
        let l = listed(cols, d)?;
        if l.deadline < d {
            overdue.push(l);
        } else {
            due.push(l);
        }
    }
    overdue.sort_by(|a, b| (b.days_overdue, &a.site_code, &a.id).cmp(&(a.days_overdue, &b.site_code, &b.id)));
    due.sort_by(|a, b| (a.deadline, &a.site_code, &a.id).cmp(&(b.deadline, &b.site_code, &b.id)));
    Ok((overdue, due))
}

/// How many rectifications were created (or, with `closed`, verified) on each day from `since` on, read
/// from the `created_at` or `closed_at` index alone.
fn per_day(conn: &Connection, closed: bool, since: NaiveDate) -> Result<BTreeMap<String, i64>, ReportError> {
    let sql = if closed {
        "SELECT substr(closed_at, 1, 10), count(*) FROM rectifications INDEXED BY rectifications_closed
         WHERE closed_at >= ?1 GROUP BY 1"
    } else {
        "SELECT substr(created_at, 1, 10), count(*) FROM rectifications INDEXED BY rectifications_created
         WHERE created_at >= ?1 GROUP BY 1"
    };
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([day(since)], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The open count at the end of each point's day. Open at the end of day D = created before D+1 and not
/// verified before D+1 = (created before D+1) − (verified before D+1), since nothing is verified before it is
/// created; and that is (open now) − (created from D+1 on) + (verified from D+1 on), which reads only the
/// rows created or closed since the oldest point.
fn open_series(conn: &Connection, points: &[(IsoWeek, NaiveDate)]) -> Result<Vec<OpenAt>, ReportError> {
    let Some(oldest) = points.iter().map(|(_, at)| after(*at)).min() else { return Ok(Vec::new()) };
    let open_now: i64 =
        conn.query_row("SELECT count(*) FROM rectifications WHERE closed_at IS NULL", [], |r| r.get(0))?;
    let created = per_day(conn, false, oldest)?;
    let closed = per_day(conn, true, oldest)?;
    let since =
        |m: &BTreeMap<String, i64>, t: &str| -> i64 { m.range(t.to_string()..).map(|(_, n)| n).sum() };
    Ok(points
        .iter()
        .map(|&(week, at)| {
            let t = day(after(at));
            let open = open_now - since(&created, &t) + since(&closed, &t);
            OpenAt { week, at, open: u64::try_from(open).unwrap_or(0) }
        })
        .collect())
}

/// Computes the report for `week`, taking `today` as the current day.
pub fn weekly_report(
    conn: &Connection,
    week: IsoWeek,
    today: NaiveDate,
) -> Result<WeeklyReport, ReportError> {
    let d = report_day(week, today);
    let (start, end) = (day(week.monday()), day(after(week.sunday())));
    let mut acc = Acc::default();
    grouped(conn, NEW_SQL, params![start, end], Figure::New, &mut acc)?;
    let none: Option<&str> = None;
    grouped(
        conn,
        TRANSITIONS_SQL,
        params![start, end, "verified", none, "transition"],
        Figure::Closed,
        &mut acc,
    )?;
    grouped(
        conn,
        TRANSITIONS_SQL,
        params![start, end, "withdrawn", none, "withdraw"],
        Figure::Withdrawn,
        &mut acc,
    )?;
    grouped(
        conn,
        TRANSITIONS_SQL,
        params![start, end, "in_progress", "fix_reported", "transition"],
        Figure::Rejected,
        &mut acc,
    )?;
    let (overdue, due_next_week) = open_on_day(conn, d, week.next())?;
    for l in &overdue {
        acc.add(l.domain, &l.town, Figure::Overdue, 1);
    }
    for l in &due_next_week {
        acc.add(l.domain, &l.town, Figure::DueNextWeek, 1);
    }
    let points: Vec<(IsoWeek, NaiveDate)> =
        week.last_n(SERIES_WEEKS).into_iter().map(|w| (w, if w == week { d } else { w.sunday() })).collect();
    let open_series = open_series(conn, &points)?;

    let by_domain =
        Domain::ALL.iter().map(|d| (*d, acc.domain.get(d).copied().unwrap_or_default())).collect();
    Ok(WeeklyReport {
        week,
        report_day: d,
        totals: acc.totals,
        by_domain,
        by_town: acc.town.into_iter().collect(),
        overdue,
        due_next_week,
        open_series,
    })
}
