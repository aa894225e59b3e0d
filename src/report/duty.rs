//! Duty-log coverage (值班记录覆盖情况): for every duty log (a checklist with `mode = "log"`) and every site it
//! applies to, the shifts in a period, the periods no shift covers, and the shifts without a handover
//! sign-off.
//!
//! Log checklists are found in the stored snapshots, each parsed from its own text, because a shift is read
//! with the item ids of the version it was answered against. A shift covers [start, end). Overlapping and
//! touching shifts merge. A shift with no end recorded covers nothing beyond its start, except the shift in
//! progress: the latest shift at the site that started by now, still a draft and not ended (no end, or an
//! end still to come), which covers its start until now and is not expected to have a handover yet.
//! Drafts count like submitted shifts and are marked. Shift times are local ("YYYY-MM-DD HH:MM").

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDateTime};
use rusqlite::{Connection, params};

use super::ReportError;
use crate::checklist::{LogSpec, Mode, parse_checklist};
use crate::domain::Domain;
use crate::inspection::value::DATETIME_FORMAT;
use crate::store::sites::{self, Filter};
use crate::store::snapshots;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShiftState {
    Submitted,
    Draft,
    /// The site's latest shift that started by now, a draft not ended yet: it covers its start until now.
    InProgress,
}

/// What is wrong with a shift's times.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Issue {
    /// No start recorded: the shift covers nothing.
    NoStart,
    /// No end recorded: the shift counts as covering until its start only.
    NoEnd,
    /// The end is not after the start: the shift covers nothing.
    EndNotAfterStart,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Shift {
    pub inspection_id: String,
    pub state: ShiftState,
    pub start: Option<NaiveDateTime>,
    pub end: Option<NaiveDateTime>,
    pub officers: String,
    /// The incoming officers' sign-off; empty when the handover was not signed.
    pub handover: String,
    /// When the entry was begun, local time.
    pub entered_at: Option<NaiveDateTime>,
}

impl Shift {
    pub fn issue(&self) -> Option<Issue> {
        match (self.start, self.end) {
            (None, _) => Some(Issue::NoStart),
            (Some(_), None) if self.state != ShiftState::InProgress => Some(Issue::NoEnd),
            (Some(s), Some(e)) if e <= s => Some(Issue::EndNotAfterStart),
            _ => None,
        }
    }

    /// The time the shift covers, if any.
    pub fn covers(&self, now: NaiveDateTime) -> Option<(NaiveDateTime, NaiveDateTime)> {
        let start = self.start?;
        let end = match (self.state, self.end) {
            (ShiftState::InProgress, _) => now,
            (_, Some(e)) => e,
            (_, None) => return None,
        };
        (end > start).then_some((start, end))
    }

    /// Whether the shift belongs to [from, to): it covers some of it, or (covering nothing) starts or, with
    /// no start, was entered in it.
    fn in_period(&self, from: NaiveDateTime, to: NaiveDateTime, now: NaiveDateTime) -> bool {
        match (self.covers(now), self.start.or(self.entered_at)) {
            (Some((s, e)), _) => s < to && e > from,
            (None, Some(t)) => from <= t && t < to,
            (None, None) => false,
        }
    }
}

/// A period no shift covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gap {
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
}

impl Gap {
    pub fn minutes(&self) -> i64 {
        (self.to - self.from).num_minutes()
    }
}

/// One duty log at one site.
#[derive(Clone, Debug, PartialEq)]
pub struct LogCoverage {
    pub checklist_id: String,
    /// The title of the latest stored version.
    pub title: String,
    pub site_code: String,
    pub site_name: String,
    /// The shifts of the period, by start (those with no start last).
    pub shifts: Vec<Shift>,
    pub gaps: Vec<Gap>,
}

impl LogCoverage {
    /// Ended shifts (not the one in progress) whose handover was not signed.
    pub fn without_handover(&self) -> impl Iterator<Item = &Shift> {
        self.shifts.iter().filter(|s| s.state != ShiftState::InProgress && s.handover.trim().is_empty())
    }

    pub fn with_issues(&self) -> impl Iterator<Item = (&Shift, Issue)> {
        self.shifts.iter().filter_map(|s| s.issue().map(|i| (s, i)))
    }

    pub fn gap_minutes(&self) -> i64 {
        self.gaps.iter().map(Gap::minutes).sum()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct DutyReport {
    pub from: NaiveDateTime,
    /// The end asked for, but never after now: time still to come is not a gap.
    pub to: NaiveDateTime,
    pub logs: Vec<LogCoverage>,
}

/// A log checklist: every stored version, each with the items its shifts keep their times in.
struct LogChecklist {
    id: String,
    title: String,
    site_kinds: Vec<Domain>,
    versions: Vec<(String, LogSpec)>,
}

fn log_checklists(conn: &Connection) -> Result<Vec<LogChecklist>, ReportError> {
    let mut logs: Vec<LogChecklist> = Vec::new();
    // Ordered by checklist id and version, so the last one seen of an id is its latest version.
    for snap in snapshots::list(conn)? {
        let Ok(c) = parse_checklist(&snap.source) else { continue };
        let (Mode::Log, Some(spec)) = (c.mode, c.log) else { continue };
        match logs.iter_mut().find(|l| l.id == c.id) {
            Some(l) => {
                l.title = c.title;
                l.site_kinds = c.site_kinds;
                l.versions.push((snap.id, spec));
            }
            None => logs.push(LogChecklist {
                id: c.id,
                title: c.title,
                site_kinds: c.site_kinds,
                versions: vec![(snap.id, spec)],
            }),
        }
    }
    Ok(logs)
}

/// The latest revision of a top-level item, '' when unanswered.
const SHIFTS_SQL: &str = "SELECT i.id, s.code, s.name, i.status, i.started_at,
        coalesce((SELECT a.value FROM answers a WHERE a.inspection_id = i.id AND a.item_id = ?2
                  AND a.instance = 0 ORDER BY a.revision DESC, a.id DESC LIMIT 1), ''),
        coalesce((SELECT a.value FROM answers a WHERE a.inspection_id = i.id AND a.item_id = ?3
                  AND a.instance = 0 ORDER BY a.revision DESC, a.id DESC LIMIT 1), ''),
        coalesce((SELECT a.value FROM answers a WHERE a.inspection_id = i.id AND a.item_id = ?4
                  AND a.instance = 0 ORDER BY a.revision DESC, a.id DESC LIMIT 1), ''),
        coalesce((SELECT a.value FROM answers a WHERE a.inspection_id = i.id AND a.item_id = ?5
                  AND a.instance = 0 ORDER BY a.revision DESC, a.id DESC LIMIT 1), '')
     FROM inspections i JOIN sites s ON s.id = i.site_id
     WHERE i.snapshot_id = ?1";

fn parse_time(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text.trim(), DATETIME_FORMAT).ok()
}

type SiteKey = (String, String);

/// Every shift of a log, by (site code, site name).
fn shifts_of(conn: &Connection, log: &LogChecklist) -> Result<BTreeMap<SiteKey, Vec<Shift>>, ReportError> {
    let mut by_site: BTreeMap<SiteKey, Vec<Shift>> = BTreeMap::new();
    let mut stmt = conn.prepare(SHIFTS_SQL)?;
    for (snapshot_id, spec) in &log.versions {
        let rows = stmt
            .query_map(
                params![snapshot_id, spec.shift_start, spec.shift_end, spec.officers, spec.handover],
                |r| {
                    let cols: [String; 9] = [
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                        r.get(8)?,
                    ];
                    Ok(cols)
                },
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for [id, code, name, status, started_at, start, end, officers, handover] in rows {
            let shift = Shift {
                inspection_id: id,
                state: if status == "submitted" { ShiftState::Submitted } else { ShiftState::Draft },
                start: parse_time(&start),
                end: parse_time(&end),
                officers,
                handover,
                entered_at: DateTime::parse_from_rfc3339(&started_at).ok().map(|t| t.naive_local()),
            };
            by_site.entry((code, name)).or_default().push(shift);
        }
    }
    Ok(by_site)
}

/// Marks the shift in progress: the latest shift that started by now, when it is a draft that has not
/// ended (no end, or an end still to come).
fn mark_in_progress(shifts: &mut [Shift], now: NaiveDateTime) {
    let latest = shifts
        .iter_mut()
        .filter(|s| s.start.is_some_and(|t| t <= now))
        .max_by(|a, b| (a.start, &a.inspection_id).cmp(&(b.start, &b.inspection_id)));
    if let Some(s) = latest
        && s.state == ShiftState::Draft
        && s.end.is_none_or(|e| e > now)
    {
        s.state = ShiftState::InProgress;
    }
}

/// The parts of [from, to) that no interval covers; intervals that overlap or touch merge.
pub fn gaps(
    mut covered: Vec<(NaiveDateTime, NaiveDateTime)>,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Vec<Gap> {
    covered.sort();
    let mut out = Vec::new();
    let mut cursor = from;
    for (s, e) in covered {
        if e <= cursor || s >= to {
            continue;
        }
        if s > cursor {
            out.push(Gap { from: cursor, to: s });
        }
        cursor = e;
        if cursor >= to {
            break;
        }
    }
    if cursor < to {
        out.push(Gap { from: cursor, to });
    }
    out
}

/// The coverage of every duty log in [from, to), with `now` as the current local time (`to` is cut back
/// to it).
pub fn duty_report(
    conn: &Connection,
    from: NaiveDateTime,
    to: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<DutyReport, ReportError> {
    let to = to.min(now);
    let mut logs = Vec::new();
    for log in log_checklists(conn)? {
        let mut by_site = shifts_of(conn, &log)?;
        // Every site the log applies to is expected to keep it, shifts or not.
        for kind in &log.site_kinds {
            for site in sites::list(conn, &Filter { kind: Some(*kind), town: None })? {
                by_site.entry((site.fields.code, site.fields.name)).or_default();
            }
        }
        for ((site_code, site_name), mut shifts) in by_site {
            mark_in_progress(&mut shifts, now);
            shifts.retain(|s| s.in_period(from, to, now));
            shifts.sort_by(|a, b| {
                (a.start.is_none(), a.start, a.entered_at, &a.inspection_id).cmp(&(
                    b.start.is_none(),
                    b.start,
                    b.entered_at,
                    &b.inspection_id,
                ))
            });
            let covered = shifts.iter().filter_map(|s| s.covers(now)).collect();
            logs.push(LogCoverage {
                checklist_id: log.id.clone(),
                title: log.title.clone(),
                site_code,
                site_name,
                gaps: if from < to { gaps(covered, from, to) } else { Vec::new() },
                shifts,
            });
        }
    }
    Ok(DutyReport { from, to, logs })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        parse_time(s).unwrap()
    }

    #[test]
    fn overlapping_and_touching_intervals_merge_and_the_rest_are_gaps() {
        let covered = vec![
            (t("2026-11-02 08:00"), t("2026-11-02 20:00")),
            (t("2026-11-01 20:00"), t("2026-11-02 08:00")), // touches the next
            (t("2026-11-02 18:00"), t("2026-11-02 22:00")), // overlaps the previous
            (t("2026-11-03 06:00"), t("2026-11-03 12:00")),
        ];
        let g = gaps(covered, t("2026-11-01 00:00"), t("2026-11-03 10:00"));
        assert_eq!(
            g,
            vec![
                Gap { from: t("2026-11-01 00:00"), to: t("2026-11-01 20:00") },
                Gap { from: t("2026-11-02 22:00"), to: t("2026-11-03 06:00") },
            ]
        );
        assert_eq!(gaps(Vec::new(), t("2026-11-01 00:00"), t("2026-11-01 01:00"))[0].minutes(), 60);
    }
}
