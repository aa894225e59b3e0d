//! The findings export: one row per answer (its latest revision) of the inspections that match, in the
//! checklist's order within each inspection. Inspections come in the order of their ids, which are ULIDs
//! and so in the order they were started; reading them that way walks the answers' index instead of
//! sorting every answer first. Rows of a repeat section carry the inspection's id and their
//! repetition number, so a spreadsheet can link them back to their inspection. Values are shown as the
//! inspector saw them (option labels, units), read against the exact checklist version answered.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, Row, params_from_iter};

use super::rectification_list::{inspectors, item_label};
use super::{Cell, ExportFilter, Options, Result, Sink, Summary, date_cell};
use crate::checklist::{Checklist, Item, Section, parse_checklist};
use crate::domain::Domain;
use crate::i18n::Lang;
use crate::inspection::value::{Outcome, Value};
use crate::rectification::Status;
use crate::store::snapshots;

pub const COLUMNS: [(&str, &str); 23] = [
    ("序号", "No."),
    ("检查编号", "Inspection id"),
    ("检查状态", "Inspection status"),
    ("检查领域", "Domain"),
    ("镇街", "Town"),
    ("被检查单位", "Unit inspected"),
    ("单位编号", "Unit code"),
    ("检查日期", "Inspection date"),
    ("检查人员", "Inspectors"),
    ("检查表", "Checklist"),
    ("分组", "Section"),
    ("重复序号", "Repeat no."),
    ("检查项编号", "Item"),
    ("检查项", "Question"),
    ("答案", "Answer"),
    ("结果", "Result"),
    ("备注", "Note"),
    ("证据", "Evidence"),
    ("记录人", "Recorded by"),
    ("记录时间", "Recorded at"),
    ("修订", "Revision"),
    ("修订原因", "Reason for revision"),
    ("整改状态", "Rectification status"),
];

pub fn headers(lang: Lang) -> Vec<&'static str> {
    COLUMNS.iter().map(|(zh, en)| lang.pick(zh, en)).collect()
}

/// Every revision of every answer with its inspection and site, and each revision's evidence files (one
/// row per file). Walked in the answers' index order — inspection, item, repetition, revision, id — the
/// last row of each (inspection, item, repetition) is its latest revision (the highest revision, then the
/// highest id), so no subquery per answer is needed to find it. `+i.status` keeps SQLite from reading the
/// inspections through their status index, which would need a sort of every answer afterwards.
const FROM: &str =
    " FROM inspections i JOIN sites s ON s.id = i.site_id JOIN answers a ON a.inspection_id = i.id";
/// The answer's rectification, joined only when the filter tests it.
const JOIN_R: &str = " LEFT JOIN rectifications r
    ON r.inspection_id = a.inspection_id AND r.item_id = a.item_id AND r.instance = a.instance";
const JOIN_EVIDENCE: &str = " LEFT JOIN evidence v ON v.answer_id = a.id";

/// One answer (its latest revision) as read, before it is put in the checklist's order.
struct Answer {
    item_id: String,
    instance: u32,
    /// The id of the revision read last, to tell a new revision (or answer) from another evidence row.
    revision_id: String,
    revision: i64,
    value: String,
    outcome: String,
    note: String,
    reason: String,
    answered_by: String,
    answered_at: String,
    /// The evidence files of every revision: (added at, id, stored name, SHA-256).
    evidence: Vec<(String, String, String, String)>,
    /// The statuses of its rectifications, by rectification id (when read through the join).
    rectifications: Vec<(String, String)>,
}

/// An inspection as every row of it shows it.
struct InspectionHead {
    id: String,
    status: String,
    kind: String,
    town: String,
    site_name: String,
    site_code: String,
    started_at: String,
    inspectors: String,
    snapshot_id: String,
}

/// The statuses of the rectifications of each answer of one inspection: (item, repetition, status).
type Statuses = Vec<(String, u32, String)>;

/// Whether the filter tests the answers' rectifications (status, severity, overdue, conflict, free text).
fn tests_rectifications(filter: &ExportFilter) -> bool {
    let b = &filter.board;
    !b.statuses.is_empty() || b.severity.is_some() || b.overdue_only || b.conflict_only || b.text.is_some()
}

/// Writes the findings for `filter` to `sink`; see the module comment.
pub fn write(
    conn: &Connection,
    filter: &ExportFilter,
    opts: &Options,
    sink: &mut dyn Sink,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Summary> {
    let (mut where_sql, args) = filter.where_sql(opts.today);
    if !opts.include_drafts {
        where_sql.push_str(" AND +i.status = 'submitted'");
    }
    let joined = tests_rectifications(filter);
    let join_r = if joined { JOIN_R } else { "" };
    // An upper bound: every revision is counted, and answers of repetitions removed before submitting are
    // counted here and left out below (which section an item is in is known from the checklist).
    // Without a filter, the bound is the number of answers (a count SQLite reads from the table's b-tree
    // without visiting the rows).
    let from_where = if where_sql.is_empty() || where_sql == " AND +i.status = 'submitted'" {
        " FROM answers".to_string()
    } else {
        format!("{FROM}{join_r} WHERE 1 = 1{where_sql}")
    };
    let count_args = if from_where == " FROM answers" { &[][..] } else { &args[..] };
    let total = super::start(conn, &from_where, count_args, sink, &headers(opts.lang), opts.lang)?;
    let rect_columns = if joined { "r.id, r.status" } else { "NULL, NULL" };
    let sql = format!(
        "SELECT i.id, i.status, s.kind, s.town, s.name, s.code, i.started_at, i.inspectors, i.snapshot_id,
                a.id, a.item_id, a.instance, a.revision, a.value, a.outcome, a.note, a.reason,
                a.answered_by, a.answered_at, v.added_at, v.id, v.stored_name, v.sha256, {rect_columns}
         {FROM}{join_r}{JOIN_EVIDENCE} WHERE 1 = 1{where_sql}
         ORDER BY i.id, a.item_id, a.instance, a.revision, a.id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(params_from_iter(args))?;
    let mut writer =
        Writer { conn, opts, sink, progress, total, written: 0, layouts: HashMap::new(), joined };
    let mut head: Option<InspectionHead> = None;
    let mut batch: Vec<Answer> = Vec::new();
    while let Some(r) = rows.next()? {
        let inspection_id: String = r.get(0)?;
        if head.as_ref().is_none_or(|h| h.id != inspection_id) {
            if let Some(h) = head.take() {
                writer.inspection(&h, std::mem::take(&mut batch))?;
            }
            head = Some(read_head(inspection_id, r)?);
        }
        read_row(r, &mut batch)?;
    }
    if let Some(h) = head {
        writer.inspection(&h, batch)?;
    }
    let written = writer.written;
    sink.finish()?;
    Ok(Summary { rows: written, unrecorded: None })
}

fn read_head(id: String, r: &Row<'_>) -> rusqlite::Result<InspectionHead> {
    Ok(InspectionHead {
        id,
        status: r.get(1)?,
        kind: r.get(2)?,
        town: r.get(3)?,
        site_name: r.get(4)?,
        site_code: r.get(5)?,
        started_at: r.get(6)?,
        inspectors: r.get(7)?,
        snapshot_id: r.get(8)?,
    })
}

/// Adds one row to the inspection's answers: a new answer, a later revision of the last one (which
/// replaces it and keeps the evidence gathered so far), or another evidence file or rectification of it.
fn read_row(r: &Row<'_>, batch: &mut Vec<Answer>) -> rusqlite::Result<()> {
    let revision_id: String = r.get(9)?;
    let item_id: String = r.get(10)?;
    let instance: u32 = r.get(11)?;
    let same_answer = batch.last().is_some_and(|a| a.item_id == item_id && a.instance == instance);
    if !same_answer {
        batch.push(Answer {
            item_id,
            instance,
            revision_id: String::new(),
            revision: 0,
            value: String::new(),
            outcome: String::new(),
            note: String::new(),
            reason: String::new(),
            answered_by: String::new(),
            answered_at: String::new(),
            evidence: Vec::new(),
            rectifications: Vec::new(),
        });
    }
    let Some(a) = batch.last_mut() else { return Ok(()) };
    if a.revision_id != revision_id {
        a.revision = r.get(12)?;
        a.value = r.get(13)?;
        a.outcome = r.get(14)?;
        a.note = r.get(15)?;
        a.reason = r.get(16)?;
        a.answered_by = r.get(17)?;
        a.answered_at = r.get(18)?;
        a.revision_id = revision_id;
    }
    let evidence_id: Option<String> = r.get(20)?;
    if let Some(id) = evidence_id
        && !a.evidence.iter().any(|e| e.1 == id)
    {
        a.evidence.push((r.get(19)?, id, r.get(21)?, r.get(22)?));
    }
    let rect_id: Option<String> = r.get(23)?;
    if let Some(id) = rect_id
        && !a.rectifications.iter().any(|(i, _)| *i == id)
    {
        a.rectifications.push((id, r.get(24)?));
    }
    Ok(())
}

/// A checklist version as the findings need it: every item's place in document order, its section and
/// its definition, found by id without walking the checklist for each answer.
struct Layout {
    checklist: Checklist,
    /// Item id → (position in document order, section index, item index within the section).
    places: HashMap<String, (usize, usize, usize)>,
    /// Whether a section repeats (only then can repetitions have been removed).
    repeats: bool,
    /// `title vN`, as the checklist column shows it.
    name: String,
}

impl Layout {
    fn new(checklist: Checklist) -> Layout {
        let mut places = HashMap::new();
        let mut n = 0;
        for (si, section) in checklist.sections.iter().enumerate() {
            for (ii, item) in section.items.iter().enumerate() {
                places.insert(item.id.clone(), (n, si, ii));
                n += 1;
            }
        }
        let repeats = checklist.sections.iter().any(|s| s.repeat.is_some());
        let name = format!("{} v{}", checklist.title, checklist.version);
        Layout { checklist, places, repeats, name }
    }

    /// The item's position, section and definition.
    fn place(&self, item_id: &str) -> Option<(usize, &Section, &Item)> {
        let &(n, si, ii) = self.places.get(item_id)?;
        let section = self.checklist.sections.get(si)?;
        Some((n, section, section.items.get(ii)?))
    }
}

struct Writer<'a> {
    conn: &'a Connection,
    opts: &'a Options,
    sink: &'a mut dyn Sink,
    progress: &'a mut dyn FnMut(u64, u64),
    total: u64,
    written: u64,
    /// Checklist versions by snapshot id, parsed once (`None` when the stored text no longer parses).
    layouts: HashMap<String, Option<Layout>>,
    /// Whether the rows carry their rectifications (the filter joined them); otherwise they are read per
    /// inspection.
    joined: bool,
}

/// The cells every row of an inspection shares, made once per inspection.
struct HeadCells {
    id: Cell,
    status: Cell,
    domain: Cell,
    town: Cell,
    site_name: Cell,
    site_code: Cell,
    date: Cell,
    inspectors: Cell,
    checklist: Cell,
}

impl Writer<'_> {
    /// Writes one inspection's answers in the checklist's order, leaving out repetitions that were removed.
    fn inspection(&mut self, h: &InspectionHead, mut answers: Vec<Answer>) -> Result<()> {
        if answers.is_empty() {
            return Ok(());
        }
        if !self.layouts.contains_key(&h.snapshot_id) {
            let parsed = snapshots::get(self.conn, &h.snapshot_id)?
                .and_then(|s| parse_checklist(&s.source).ok())
                .map(Layout::new);
            self.layouts.insert(h.snapshot_id.clone(), parsed);
        }
        let layout = self.layouts.get(&h.snapshot_id).and_then(Option::as_ref);
        let place = |id: &str| layout.and_then(|l| l.place(id));
        if layout.is_some_and(|l| l.repeats) {
            let removed = removed_instances(self.conn, &h.id)?;
            if !removed.is_empty() {
                answers.retain(|a| {
                    !place(&a.item_id).is_some_and(|(_, s, _)| removed.contains(&(s.id.clone(), a.instance)))
                });
            }
        }
        // Each answer's place is looked up once, not at every comparison.
        let mut placed: Vec<(usize, Answer)> =
            answers.into_iter().map(|a| (place(&a.item_id).map_or(usize::MAX, |p| p.0), a)).collect();
        placed.sort_by(|(pa, a), (pb, b)| (pa, &a.item_id, a.instance).cmp(&(pb, &b.item_id, b.instance)));
        let statuses = if self.joined { Vec::new() } else { statuses(self.conn, &h.id)? };
        let lang = self.opts.lang;
        let status = match h.status.as_str() {
            "submitted" => lang.pick("已提交", "submitted"),
            _ => lang.pick("草稿", "draft"),
        };
        let head = HeadCells {
            id: Cell::Text(h.id.clone()),
            status: Cell::Text(status.to_string()),
            domain: Cell::Text(
                Domain::from_key(&h.kind).map_or(h.kind.clone(), |d| d.label(lang).to_string()),
            ),
            town: Cell::Text(h.town.clone()),
            site_name: Cell::Text(h.site_name.clone()),
            site_code: Cell::Text(h.site_code.clone()),
            date: date_cell(Some(&h.started_at)),
            inspectors: Cell::Text(inspectors(&h.inspectors, lang)),
            checklist: Cell::Text(layout.map_or_else(String::new, |l| l.name.clone())),
        };
        for (_, a) in &mut placed {
            a.evidence.sort();
            let found = place(&a.item_id).map(|(_, s, i)| (s, i));
            let mut of_answer: Vec<Option<&str>> = if self.joined {
                a.rectifications.iter().map(|(_, s)| Some(s.as_str())).collect()
            } else {
                statuses
                    .iter()
                    .filter(|(item, instance, _)| *item == a.item_id && *instance == a.instance)
                    .map(|(_, _, s)| Some(s.as_str()))
                    .collect()
            };
            if of_answer.is_empty() {
                of_answer.push(None);
            }
            for rect_status in of_answer {
                let cells = self.cells(&head, found, a, rect_status);
                self.written += 1;
                self.sink.row(&cells)?;
                (self.progress)(self.written, self.total);
            }
        }
        Ok(())
    }

    fn cells(
        &self,
        head: &HeadCells,
        found: Option<(&Section, &Item)>,
        a: &Answer,
        rect_status: Option<&str>,
    ) -> Vec<Cell> {
        let lang = self.opts.lang;
        let mask = |t: &str| self.opts.masking.apply(t);
        let (section, item) = (found.map(|f| f.0), found.map(|f| f.1));
        let answer = item
            .and_then(|i| Value::decode(&i.kind, &a.value).map(|v| v.display(i, lang)))
            .unwrap_or_else(|| a.value.clone());
        let outcome = Outcome::from_key(&a.outcome)
            .map_or_else(|| outcome_fallback(&a.outcome, lang), |o| o.label(lang).to_string());
        let evidence: Vec<String> = a
            .evidence
            .iter()
            .map(|(_, _, name, sha)| format!("evidence/{name} (sha256 {})", sha.get(..12).unwrap_or(sha)))
            .collect();
        vec![
            Cell::Int(self.written as i64 + 1),
            head.id.clone(),
            head.status.clone(),
            head.domain.clone(),
            head.town.clone(),
            head.site_name.clone(),
            head.site_code.clone(),
            head.date.clone(),
            head.inspectors.clone(),
            head.checklist.clone(),
            section.map_or(Cell::Empty, |s| Cell::Text(s.title.clone())),
            if a.instance == 0 { Cell::Empty } else { Cell::Int(i64::from(a.instance)) },
            Cell::Text(item_label(&a.item_id, a.instance, lang)),
            item.map_or(Cell::Empty, |i| Cell::Text(i.prompt.clone())),
            Cell::Text(mask(&answer)),
            Cell::Text(outcome),
            Cell::Text(mask(&a.note)),
            Cell::Text(evidence.join("\n")),
            Cell::Text(a.answered_by.clone()),
            Cell::Text(a.answered_at.get(..16).unwrap_or(&a.answered_at).replace('T', " ")),
            Cell::Int(a.revision),
            Cell::Text(mask(&a.reason)),
            rect_status.map_or(Cell::Empty, |k| {
                Cell::Text(Status::from_key(k).map_or(k.to_string(), |s| s.label(lang).to_string()))
            }),
        ]
    }
}

/// The statuses of an inspection's rectifications, by item and repetition.
fn statuses(conn: &Connection, inspection_id: &str) -> Result<Statuses> {
    let mut stmt =
        conn.prepare_cached("SELECT item_id, instance, status FROM rectifications WHERE inspection_id = ?1")?;
    let rows = stmt
        .query_map([inspection_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn outcome_fallback(key: &str, lang: Lang) -> String {
    match key {
        "skipped" => lang.pick("未适用（条件不满足）", "skipped (condition not met)").to_string(),
        other => other.to_string(),
    }
}

/// The (section, repetition) pairs removed from an inspection.
fn removed_instances(conn: &Connection, inspection_id: &str) -> Result<HashSet<(String, u32)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT section_id, instance FROM repeat_instances WHERE inspection_id = ?1 AND removed = 1",
    )?;
    let rows =
        stmt.query_map([inspection_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
