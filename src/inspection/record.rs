//! Recording an inspection: start it, load it back as a [`Sheet`], save answers, submit it (creating one
//! rectification per failure) and amend it afterwards. Each call is one transaction.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};

use super::draft::FindingDraft;
use super::rules::{self, Rule};

use super::sheet::{Answer, Finding, Missing, Sheet, SiteFacts, Slot};
use super::value::{Outcome, Value};
use crate::checklist::{Item, Loaded, parse_checklist};
use crate::domain::Severity;
use crate::i18n::Lang;
use crate::store::inspections::{self, FindingRow, Head, NewAnswer, NewRectification, Seen};
use crate::store::rectifications;
use crate::store::sites::{self, Site};
use crate::store::snapshots::{self, Snapshot};
use crate::store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("this checklist needs at least {need} inspectors, {have} given")]
    TooFewInspectors { need: u8, have: usize },
    #[error("the checklist does not apply to this kind of site")]
    NotApplicable,
    #[error("{} required answers are missing", .0.len())]
    Missing(Vec<Missing>),
    #[error("the failure of item {0} has no problem description")]
    NoProblem(String),
    #[error("the failure of item {0} needs evidence (a photo)")]
    NoEvidence(String),
    #[error("the site representative's name is needed, or a recorded refusal to sign")]
    NoSignOff,
    #[error("no such inspection or site: {0}")]
    NotFound(String),
    #[error("stored checklist {0} cannot be read")]
    BadSnapshot(String),
    #[error(transparent)]
    Role(#[from] crate::roles::RoleError),
    /// A save check of item `0` (see [`rules`]).
    #[error("item {0}: {msg}", msg = .1.message(Lang::En))]
    Rule(String, Rule),
}

impl RecordError {
    /// The save check of `item_id` as a record error (the problem and evidence checks keep their own).
    pub fn of_rule(item_id: &str, rule: Rule) -> RecordError {
        match rule {
            Rule::NoProblem => RecordError::NoProblem(item_id.into()),
            Rule::NoEvidence => RecordError::NoEvidence(item_id.into()),
            other => RecordError::Rule(item_id.into(), other),
        }
    }
}

impl RecordError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (RecordError::TooFewInspectors { need, have }, Lang::Zh) => {
                format!("此检查表至少需要 {need} 名检查人员，现有 {have} 名")
            }
            (RecordError::NotApplicable, Lang::Zh) => "该检查表不适用于此类单位".into(),
            (RecordError::Missing(m), Lang::Zh) => format!("还有 {} 个必填项未完成", m.len()),
            (RecordError::NoProblem(id), Lang::Zh) => format!("检查项 {id} 不合格，但未填写问题描述"),
            (RecordError::NoEvidence(id), Lang::Zh) => format!("检查项 {id} 不合格，必须附上证据（照片）"),
            (RecordError::NoSignOff, Lang::Zh) => "须填写被检查单位代表姓名，或记录拒签".into(),
            (RecordError::NotFound(id), Lang::Zh) => format!("找不到记录：{id}"),
            (RecordError::BadSnapshot(id), Lang::Zh) => format!("无法读取已保存的检查表 {id}"),
            (RecordError::Store(StoreError::Changed { item_id, .. }), Lang::Zh) => {
                format!("检查项 {item_id} 已被另一窗口修改，未保存")
            }
            (RecordError::Store(e), Lang::Zh) => format!("保存失败：{e}"),
            (RecordError::Role(e), lang) => e.message(lang),
            (RecordError::Rule(id, rule), Lang::Zh) => format!("检查项 {id}：{}", rule.message(Lang::Zh)),
            (e, Lang::En) => e.to_string(),
        }
    }
}

impl RecordError {
    /// Whether a compare-and-set found the inspection changed by another process (nothing was written).
    pub fn is_changed(&self) -> bool {
        matches!(self, RecordError::Store(StoreError::Changed { .. }))
    }
}

pub type Result<T> = std::result::Result<T, RecordError>;

/// The [`inspections::stamp`] of every stored answer of an inspection, by (item id, instance): what a
/// console saw, sent back with each save so that a change made meanwhile in another window is refused.
pub type Stamps = std::collections::BTreeMap<(String, u32), String>;

/// An inspection loaded for work: its head row, site, checklist snapshot and the sheet of answers.
#[derive(Clone, Debug)]
pub struct Opened {
    pub head: Head,
    pub site: Site,
    pub snapshot: Snapshot,
    pub sheet: Sheet,
    /// The stamps of the stored answers as they were read.
    pub stamps: Stamps,
    /// The connection's `PRAGMA data_version` when it was read: a different one later means another process
    /// has written since.
    pub data_version: i64,
}

/// Names as entered: trimmed, empty ones dropped, duplicates removed (first kept).
pub fn clean_names(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        if !out.iter().any(|o| o == n) {
            out.push(n.to_string());
        }
    }
    out
}

/// Starts a draft; stores the checklist's snapshot the first time it is used.
pub fn start(
    store: &mut Store,
    actor: &str,
    loaded: &Loaded,
    site: &Site,
    inspectors: &[String],
) -> Result<String> {
    let names = clean_names(inspectors);
    let c = &loaded.checklist;
    if names.len() < usize::from(c.min_inspectors) {
        return Err(RecordError::TooFewInspectors { need: c.min_inspectors, have: names.len() });
    }
    if !c.applies_to(site.fields.kind) {
        return Err(RecordError::NotApplicable);
    }
    crate::roles::require(store, actor, crate::roles::Role::Inspector, "recording an inspection")?;
    store.write(|tx| {
        let snapshot = snapshots::ensure(tx, actor, loaded)?;
        let id = inspections::create(tx, actor, &site.id, &snapshot, &names)?;
        // A shift's officers are named when it starts: that is the answer to the log's officers item.
        let officers = c.log.as_ref().and_then(|l| c.item(&l.officers));
        if let Some(item) = officers.filter(|i| matches!(i.kind, crate::checklist::AnswerKind::Text { .. })) {
            let value = Value::Text(names.join("、"));
            let encoded = value.encode();
            let outcome = value.outcome(item);
            let new = NewAnswer {
                item_id: &item.id,
                instance: 0,
                value: &encoded,
                outcome: outcome.key(),
                note: "",
                finding: None,
            };
            inspections::save_answer(tx, actor, &id, &new)?;
        }
        Ok(id)
    })
}

fn finding_of(row: &FindingRow) -> Option<Finding> {
    Some(Finding {
        problem: row.problem.clone(),
        severity: Severity::from_key(&row.severity)?,
        requirement: row.requirement.clone(),
        deadline: NaiveDate::parse_from_str(&row.deadline, "%Y-%m-%d").ok()?,
        responsible: row.responsible.clone(),
    })
}

pub fn open(store: &Store, id: &str) -> Result<Opened> {
    open_in(store.conn(), id)
}

/// [`open`] with a connection (or a transaction: a printed record reads one snapshot).
pub fn open_in(conn: &rusqlite::Connection, id: &str) -> Result<Opened> {
    let data_version = inspections::data_version(conn)?;
    let mut stamps = Stamps::new();
    let head = inspections::get(conn, id)?.ok_or_else(|| RecordError::NotFound(id.into()))?;
    let site =
        sites::by_id(conn, &head.site_id)?.ok_or_else(|| RecordError::NotFound(head.site_id.clone()))?;
    let snapshot = snapshots::get(conn, &head.snapshot_id)?
        .ok_or_else(|| RecordError::NotFound(head.snapshot_id.clone()))?;
    let checklist =
        parse_checklist(&snapshot.source).map_err(|_| RecordError::BadSnapshot(snapshot.id.clone()))?;
    let mut sheet = Sheet::new(checklist, SiteFacts::from(&site));
    let evidence = evidence_counts(conn, id)?;
    let answer_rows = inspections::answers(conn, id)?;
    for row in &answer_rows {
        stamps.insert((row.item_id.clone(), row.instance), inspections::row_stamp(row));
        let Some(item) = sheet.checklist.item(&row.item_id) else {
            continue;
        };
        let Some(value) = Value::decode(&item.kind, &row.value) else {
            continue;
        };
        let outcome = value.outcome(item);
        sheet.answers.insert(
            (row.item_id.clone(), row.instance),
            Answer {
                value,
                outcome,
                note: row.note.clone(),
                finding: row.finding.as_ref().and_then(finding_of),
                revision: row.revision,
                evidence: evidence.iter().filter(|(a, _)| *a == row.id).map(|(_, n)| *n).sum(),
            },
        );
    }
    for (section, instance) in inspections::instances(conn, id)? {
        sheet.instances.entry(section).or_default().push(instance);
    }
    let latest: HashMap<&str, (&str, u32)> =
        answer_rows.iter().map(|r| (r.id.as_str(), (r.item_id.as_str(), r.instance))).collect();
    for file in crate::store::evidence::files_of_inspection(conn, id)? {
        if let Some((item, instance)) = latest.get(file.answer_id.as_str()) {
            sheet.evidence_files.entry(((*item).to_string(), *instance)).or_default().push(file);
        }
    }
    for d in crate::store::form_drafts::for_inspection(conn, id)? {
        if let Some(draft) = FindingDraft::from_json(&d.fields) {
            sheet.drafts.insert((d.item_id, d.instance), draft);
        }
    }
    Ok(Opened { head, site, snapshot, sheet, stamps, data_version })
}

fn evidence_counts(conn: &rusqlite::Connection, inspection_id: &str) -> Result<Vec<(String, usize)>> {
    let mut stmt = conn
        .prepare(
            "SELECT e.answer_id, count(*) FROM evidence e JOIN answers a ON a.id = e.answer_id
         WHERE a.inspection_id = ?1 GROUP BY e.answer_id",
        )
        .map_err(StoreError::from)?;
    let rows = stmt
        .query_map([inspection_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize)))
        .map_err(StoreError::from)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(StoreError::from)?;
    Ok(rows)
}

/// The finding a failure starts with: the item's severity, requirement and deadline from `today`.
pub fn default_finding(sheet: &Sheet, slot: Slot, today: NaiveDate) -> Finding {
    let item = sheet.item(slot);
    Finding {
        problem: String::new(),
        severity: item.severity,
        requirement: item.requirement.clone(),
        deadline: today + Duration::days(i64::from(item.deadline_days)),
        responsible: String::new(),
    }
}

/// The rectification a failed item raises, from its finding.
pub fn rectification_of<'a>(
    item: &'a Item,
    instance: u32,
    answer_id: &'a str,
    f: &'a FindingRow,
    phone: &'a str,
) -> NewRectification<'a> {
    NewRectification {
        answer_id,
        item_id: &item.id,
        instance,
        problem: &f.problem,
        basis: &item.basis,
        severity: &f.severity,
        major_hazard: item.major_hazard,
        requirement: &f.requirement,
        deadline: &f.deadline,
        responsible: &f.responsible,
        phone,
    }
}

/// A finding as the store keeps it with its answer.
pub fn finding_row(f: &Finding) -> FindingRow {
    FindingRow {
        problem: f.problem.clone(),
        severity: f.severity.key().into(),
        requirement: f.requirement.clone(),
        deadline: f.deadline.format("%Y-%m-%d").to_string(),
        responsible: f.responsible.clone(),
    }
}

/// One answer as given by the inspector.
pub struct Given<'a> {
    pub item: &'a Item,
    pub instance: u32,
    pub value: Value,
    pub note: &'a str,
    /// The rectification details, kept only when the value is a failure.
    pub finding: Option<&'a Finding>,
}

/// Saves one answer of a draft (one transaction) and returns what the sheet now holds for it (with no
/// evidence counted: the caller keeps the count it knows).
pub fn answer(store: &mut Store, actor: &str, inspection_id: &str, given: Given<'_>) -> Result<Answer> {
    save(store, actor, inspection_id, given, None, Seen::Anything)
}

/// [`answer`] as a compare-and-set: `seen` is the stamp of the answer the console showed (`None`: it
/// showed none). When another process has changed the item since, nothing is written and the error
/// [`RecordError::is_changed`].
pub fn answer_seen(
    store: &mut Store,
    actor: &str,
    inspection_id: &str,
    given: Given<'_>,
    seen: Option<&str>,
) -> Result<Answer> {
    let seen = seen.map_or(Seen::Nothing, Seen::Stamp);
    save(store, actor, inspection_id, given, None, seen)
}

/// The stamp of an answer as the sheet holds it after this console saved it: the same as the stored row's
/// (the save wrote exactly this content).
pub fn stamp_of(item_id: &str, instance: u32, answer: &Answer) -> String {
    let encoded = answer.value.encode();
    let row = answer.finding.as_ref().map(finding_row);
    inspections::stamp(&NewAnswer {
        item_id,
        instance,
        value: &encoded,
        outcome: answer.outcome.key(),
        note: &answer.note,
        finding: row.as_ref(),
    })
}

/// Corrects an answer of a submitted inspection: a new revision with a reason (one transaction).
pub fn amend(
    store: &mut Store,
    actor: &str,
    inspection_id: &str,
    given: Given<'_>,
    reason: &str,
) -> Result<Answer> {
    save(store, actor, inspection_id, given, Some(reason), Seen::Anything)
}

/// Answering and amending: the outcome follows from the value, and the finding is kept only for a failure.
fn save(
    store: &mut Store,
    actor: &str,
    inspection_id: &str,
    given: Given<'_>,
    reason: Option<&str>,
    seen: Seen<'_>,
) -> Result<Answer> {
    let Given { item, instance, value, note, finding } = given;
    let outcome = value.outcome(item);
    let finding = finding.filter(|_| outcome == Outcome::Fail);
    let row = finding.map(finding_row);
    let encoded = value.encode();
    let new = NewAnswer {
        item_id: &item.id,
        instance,
        value: &encoded,
        outcome: outcome.key(),
        note,
        finding: row.as_ref(),
    };
    if reason.is_some() && outcome == Outcome::Fail && finding.is_none_or(|f| f.problem.trim().is_empty()) {
        return Err(RecordError::NoProblem(item.id.clone()));
    }
    let revision = store.write(|tx| {
        // A described finding (or an answer that no longer fails) supersedes the failure form's draft; a
        // failure saved with an empty problem keeps it.
        if supersedes_draft(outcome, finding) {
            crate::store::form_drafts::discard(tx, inspection_id, &item.id, instance)?;
        }
        let Some(reason) = reason else {
            inspections::save_answer_seen(tx, actor, inspection_id, &new, seen)?;
            return Ok(1);
        };
        let revision = inspections::amend(tx, actor, inspection_id, &new, reason)?;
        after_amendment(tx, actor, inspection_id, item, instance, row.as_ref(), reason)?;
        Ok::<u32, RecordError>(revision)
    })?;
    Ok(Answer { value, outcome, note: note.into(), finding: finding.cloned(), revision, evidence: 0 })
}

/// Whether an answer saved with this outcome and finding replaces the failure form's draft of it.
pub fn supersedes_draft(outcome: Outcome, finding: Option<&Finding>) -> bool {
    outcome != Outcome::Fail || finding.is_some_and(|f| !f.problem.trim().is_empty())
}

/// What an amendment after submit does to the item's rectification, in the amendment's transaction:
/// removing the failure withdraws it (撤销, with the amendment's reason); making the item fail raises one,
/// as submitting would have. `finding` is the amended answer's finding (`None`: it no longer fails).
pub fn after_amendment(
    tx: &rusqlite::Connection,
    actor: &str,
    inspection_id: &str,
    item: &Item,
    instance: u32,
    finding: Option<&FindingRow>,
    reason: &str,
) -> Result<()> {
    let open = rectifications::for_item(tx, inspection_id, &item.id, instance)?;
    match (finding, open) {
        (None, Some(open)) => {
            rectifications::withdraw(tx, actor, &open, reason)?;
        }
        (Some(f), None) => {
            let head = inspections::get(tx, inspection_id)?
                .ok_or_else(|| RecordError::NotFound(inspection_id.into()))?;
            let phone = sites::by_id(tx, &head.site_id)?.map(|s| s.fields.phone).unwrap_or_default();
            let answer = inspections::latest_answer(tx, inspection_id, &item.id, instance)?
                .ok_or_else(|| RecordError::NotFound(item.id.clone()))?;
            let new_rect = rectification_of(item, instance, &answer.id, f, &phone);
            rectifications::create(tx, actor, inspection_id, &head.site_id, &new_rect, &crate::store::now())?;
        }
        _ => {}
    }
    Ok(())
}

pub fn clear(
    store: &mut Store,
    actor: &str,
    inspection_id: &str,
    item_id: &str,
    instance: u32,
) -> Result<()> {
    store.write(|tx| {
        crate::store::form_drafts::discard(tx, inspection_id, item_id, instance)?;
        Ok(inspections::clear_answer(tx, actor, inspection_id, item_id, instance)?)
    })
}

/// [`clear`] as a compare-and-set (see [`answer_seen`]).
pub fn clear_seen(
    store: &mut Store,
    actor: &str,
    inspection_id: &str,
    item_id: &str,
    instance: u32,
    seen: Option<&str>,
) -> Result<()> {
    let seen = seen.map_or(Seen::Nothing, Seen::Stamp);
    store.write(|tx| Ok(inspections::clear_answer_seen(tx, actor, inspection_id, item_id, instance, seen)?))
}

/// Checks what a submit needs: nothing required missing, every failure described (and with evidence where
/// the item demands it).
pub fn check_submittable(sheet: &Sheet) -> Result<()> {
    let missing = sheet.missing();
    if !missing.is_empty() {
        return Err(RecordError::Missing(missing));
    }
    check_rules(sheet, None)
}

/// The save checks of [`rules`] over every answer of the sheet: each failure's finding (its deadline
/// against `inspected` when given) and the order of start and end times.
pub fn check_rules(sheet: &Sheet, inspected: Option<NaiveDate>) -> Result<()> {
    for slot in sheet.failures() {
        let item = sheet.item(slot);
        let answer = sheet.answer(slot);
        let Some(finding) = answer.and_then(|a| a.finding.as_ref()) else {
            return Err(RecordError::NoProblem(item.id.clone()));
        };
        let evidence = answer.map_or(0, |a| a.evidence);
        rules::check_finding(item, finding, evidence, inspected)
            .map_err(|r| RecordError::of_rule(&item.id, r))?;
    }
    for slot in sheet.slots() {
        let Some(answer) = sheet.answer(slot).filter(|_| sheet.visible(slot)) else { continue };
        match rules::check_order(sheet, slot, &answer.value, Lang::Zh) {
            // The same pair is reported on its end item.
            Ok(()) | Err(Rule::StartAfterEnd { .. }) => {}
            Err(r) => return Err(RecordError::of_rule(&sheet.item(slot).id, r)),
        }
    }
    Ok(())
}

/// Whether the checklist asks the site's representative to sign: an inspection of a unit does, a duty
/// log's shift (signed at the handover by the officers) does not.
pub fn needs_sign_off(sheet: &Sheet) -> bool {
    sheet.checklist.log.is_none()
}

/// Submits: locks the inspection and creates one rectification per failed item, in one transaction.
pub fn submit(
    store: &mut Store,
    actor: &str,
    opened: &Opened,
    inspectors: &[String],
    representative: &str,
) -> Result<Vec<String>> {
    submit_seen(store, actor, opened, inspectors, representative, None)
}

/// [`submit`], refused (nothing written, [`RecordError::is_changed`]) when the stored answers are no
/// longer those the user reviewed (`seen`, the console's stamps): checked inside the submit's transaction.
pub fn submit_seen(
    store: &mut Store,
    actor: &str,
    opened: &Opened,
    inspectors: &[String],
    representative: &str,
    seen: Option<&Stamps>,
) -> Result<Vec<String>> {
    let sheet = &opened.sheet;
    check_submittable(sheet)?;
    check_rules(sheet, rules::inspection_date(&opened.head.started_at))?;
    let names = clean_names(inspectors);
    let need = sheet.checklist.min_inspectors;
    if names.len() < usize::from(need) {
        return Err(RecordError::TooFewInspectors { need, have: names.len() });
    }
    if needs_sign_off(sheet) && super::SignOff::parse(representative).is_none() {
        return Err(RecordError::NoSignOff);
    }
    let id = opened.head.id.clone();
    let phone = opened.site.fields.phone.clone();
    store.write(|tx| {
        if let Some(seen) = seen {
            let now: Stamps = inspections::answers(tx, &id)?
                .iter()
                .map(|r| ((r.item_id.clone(), r.instance), inspections::row_stamp(r)))
                .collect();
            if let Some(((item_id, instance), _)) = now
                .iter()
                .chain(seen.iter())
                .find(|(k, v)| now.get(*k) != Some(*v) || seen.get(*k) != Some(*v))
            {
                let current = inspections::latest_answer(tx, &id, item_id, *instance)?.map(|a| a.value);
                return Err(
                    StoreError::Changed { item_id: item_id.clone(), instance: *instance, current }.into()
                );
            }
        }
        let mut rows = Vec::new();
        for slot in sheet.failures() {
            let item = sheet.item(slot);
            let stored = inspections::latest_answer(tx, &id, &item.id, slot.instance)?
                .ok_or_else(|| RecordError::NotFound(item.id.clone()))?;
            let finding = sheet
                .answer(slot)
                .and_then(|a| a.finding.clone())
                .ok_or_else(|| RecordError::NoProblem(item.id.clone()))?;
            rows.push((slot, stored.id, finding_row(&finding)));
        }
        let rects: Vec<NewRectification<'_>> = rows
            .iter()
            .map(|(slot, answer_id, f)| {
                let item = sheet.item(*slot);
                rectification_of(item, slot.instance, answer_id, f, &phone)
            })
            .collect();
        Ok(inspections::submit(tx, actor, &id, &names, representative.trim(), &rects)?)
    })
}
