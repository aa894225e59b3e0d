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

/// The latest revision of every answer, with its inspection, site and rectification (if any).
const FROM: &str = " FROM answers a
    JOIN inspections i ON i.id = a.inspection_id
    JOIN sites s ON s.id = i.site_id
    LEFT JOIN rectifications r
        ON r.inspection_id = a.inspection_id AND r.item_id = a.item_id AND r.instance = a.instance
    WHERE a.id = (SELECT b.id FROM answers b WHERE b.inspection_id = a.inspection_id AND b.item_id = a.item_id
        AND b.instance = a.instance ORDER BY b.revision DESC, b.id DESC LIMIT 1)";

/// One answer as read, before it is put in the checklist's order.
struct Answer {
    inspection_id: String,
    head: InspectionHead,
    snapshot_id: String,
    item_id: String,
    instance: u32,
    revision: i64,
    value: String,
    outcome: String,
    note: String,
    reason: String,
    answered_by: String,
    answered_at: String,
    rect_status: Option<String>,
}

#[derive(Clone)]
struct InspectionHead {
    status: String,
    kind: String,
    town: String,
    site_name: String,
    site_code: String,
    started_at: String,
    inspectors: String,
}

fn read_answer(r: &Row<'_>) -> rusqlite::Result<Answer> {
    Ok(Answer {
        inspection_id: r.get(0)?,
        head: InspectionHead {
            status: r.get(1)?,
            kind: r.get(2)?,
            town: r.get(3)?,
            site_name: r.get(4)?,
            site_code: r.get(5)?,
            started_at: r.get(6)?,
            inspectors: r.get(7)?,
        },
        snapshot_id: r.get(8)?,
        item_id: r.get(9)?,
        instance: r.get(10)?,
        revision: r.get(11)?,
        value: r.get(12)?,
        outcome: r.get(13)?,
        note: r.get(14)?,
        reason: r.get(15)?,
        answered_by: r.get(16)?,
        answered_at: r.get(17)?,
        rect_status: r.get(18)?,
    })
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
        where_sql.push_str(" AND i.status = 'submitted'");
    }
    let from_where = format!("{FROM}{where_sql}");
    // An upper bound: answers of repetitions removed before submitting are counted here and left out below
    // (which section an item is in is known from the checklist, not the database).
    let total = super::start(conn, &from_where, &args, sink, &headers(opts.lang), opts.lang)?;
    let sql = format!(
        "SELECT a.inspection_id, i.status, s.kind, s.town, s.name, s.code, i.started_at, i.inspectors,
                i.snapshot_id, a.item_id, a.instance, a.revision, a.value, a.outcome, a.note, a.reason,
                a.answered_by, a.answered_at, r.status
         {FROM}{where_sql}
         ORDER BY a.inspection_id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(params_from_iter(args))?;
    let mut writer = Writer { conn, opts, sink, progress, total, written: 0, layouts: HashMap::new() };
    let mut batch: Vec<Answer> = Vec::new();
    while let Some(r) = rows.next()? {
        let answer = read_answer(r)?;
        if batch.first().is_some_and(|b| b.inspection_id != answer.inspection_id) {
            writer.inspection(std::mem::take(&mut batch))?;
        }
        batch.push(answer);
    }
    writer.inspection(batch)?;
    let written = writer.written;
    sink.finish()?;
    Ok(Summary { rows: written, unrecorded: None })
}

/// A checklist version as the findings need it: every item's place in document order, its section and
/// its definition, found by id without walking the checklist for each answer.
struct Layout {
    checklist: Checklist,
    /// Item id → (position in document order, section index, item index within the section).
    places: HashMap<String, (usize, usize, usize)>,
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
        Layout { checklist, places }
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
}

impl Writer<'_> {
    /// Writes one inspection's answers in the checklist's order, leaving out repetitions that were removed.
    fn inspection(&mut self, mut answers: Vec<Answer>) -> Result<()> {
        let Some(first) = answers.first() else { return Ok(()) };
        let snapshot_id = first.snapshot_id.clone();
        let inspection_id = first.inspection_id.clone();
        if !self.layouts.contains_key(&snapshot_id) {
            let parsed = snapshots::get(self.conn, &snapshot_id)?
                .and_then(|s| parse_checklist(&s.source).ok())
                .map(Layout::new);
            self.layouts.insert(snapshot_id.clone(), parsed);
        }
        let layout = self.layouts.get(&snapshot_id).and_then(Option::as_ref);
        let place = |id: &str| layout.and_then(|l| l.place(id));
        let removed = removed_instances(self.conn, &inspection_id)?;
        if !removed.is_empty() {
            answers.retain(|a| {
                !place(&a.item_id).is_some_and(|(_, s, _)| removed.contains(&(s.id.clone(), a.instance)))
            });
        }
        answers.sort_by(|a, b| {
            let pa = place(&a.item_id).map_or(usize::MAX, |p| p.0);
            let pb = place(&b.item_id).map_or(usize::MAX, |p| p.0);
            (pa, &a.item_id, a.instance).cmp(&(pb, &b.item_id, b.instance))
        });
        for a in &answers {
            let found = place(&a.item_id).map(|(_, s, i)| (s, i));
            let cells = self.cells(layout.map(|l| &l.checklist), found, a)?;
            self.written += 1;
            self.sink.row(&cells)?;
            (self.progress)(self.written, self.total);
        }
        Ok(())
    }

    fn cells(
        &self,
        checklist: Option<&Checklist>,
        found: Option<(&Section, &Item)>,
        a: &Answer,
    ) -> Result<Vec<Cell>> {
        let lang = self.opts.lang;
        let mask = |t: &str| self.opts.masking.apply(t);
        let h = &a.head;
        let (section, item) = (found.map(|f| f.0), found.map(|f| f.1));
        let answer = item
            .and_then(|i| Value::decode(&i.kind, &a.value).map(|v| v.display(i, lang)))
            .unwrap_or_else(|| a.value.clone());
        let outcome = Outcome::from_key(&a.outcome)
            .map_or_else(|| outcome_fallback(&a.outcome, lang), |o| o.label(lang).to_string());
        let status = match (h.status.as_str(), lang) {
            ("submitted", _) => lang.pick("已提交", "submitted"),
            _ => lang.pick("草稿", "draft"),
        };
        let checklist_name = checklist.map_or_else(String::new, |c| format!("{} v{}", c.title, c.version));
        let evidence = evidence(self.conn, &a.inspection_id, &a.item_id, a.instance)?;
        Ok(vec![
            Cell::Int(self.written as i64 + 1),
            Cell::Text(a.inspection_id.clone()),
            Cell::Text(status.to_string()),
            Cell::Text(Domain::from_key(&h.kind).map_or(h.kind.clone(), |d| d.label(lang).to_string())),
            Cell::Text(h.town.clone()),
            Cell::Text(h.site_name.clone()),
            Cell::Text(h.site_code.clone()),
            date_cell(Some(&h.started_at)),
            Cell::Text(inspectors(&h.inspectors, lang)),
            Cell::Text(checklist_name),
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
            a.rect_status.as_deref().map_or(Cell::Empty, |k| {
                Cell::Text(Status::from_key(k).map_or(k.to_string(), |s| s.label(lang).to_string()))
            }),
        ])
    }
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

/// The evidence files of every revision of an answer, as `name (SHA-256 first 12)`.
fn evidence(conn: &Connection, inspection_id: &str, item_id: &str, instance: u32) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.stored_name, e.sha256 FROM evidence e JOIN answers b ON b.id = e.answer_id
         WHERE b.inspection_id = ?1 AND b.item_id = ?2 AND b.instance = ?3 ORDER BY e.added_at, e.id",
    )?;
    let rows = stmt
        .query_map(rusqlite::params![inspection_id, item_id, instance], |r| {
            let name: String = r.get(0)?;
            let sha: String = r.get(1)?;
            Ok(format!("evidence/{name} (sha256 {})", sha.get(..12).unwrap_or(&sha)))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
