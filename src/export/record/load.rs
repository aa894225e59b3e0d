//! Reading an inspection's record from one snapshot of the database: the sheet as the console loads it
//! ([`crate::inspection::record::open_in`]), so visibility, repetitions, answers and the score are the
//! console's; the evidence with its hashes, the amendments, the rectifications and the bureau's settings.

use std::collections::HashMap;

use rusqlite::Connection;

use super::{
    Amendment, ChecklistRef, Evidence, Form, Group, ItemRow, Officer, RecordData, Score, SectionBlock, Shift,
    require_submitted,
};
use crate::checklist::{Checklist, Mode, Section};
use crate::domain::Domain;
use crate::export::notice::{self, Unit};
use crate::export::page::Letterhead;
use crate::export::{ExportError, Masking, Result};
use crate::i18n::Lang;
use crate::inspection::answering::repetition_name;
use crate::inspection::record::{Opened, open_in};
use crate::inspection::{Outcome, Sheet, SignOff, Slot, SlotState, Value};
use crate::store::notices::{self, Series};
use crate::store::users;

/// How many hex digits of a SHA-256 the record prints.
const SHA_SHOWN: usize = 12;

/// Loads the record of the submitted inspection `id_or_prefix` names, reading with `conn`.
pub fn load(conn: &Connection, id_or_prefix: &str, lang: Lang, masking: Masking) -> Result<RecordData> {
    let head = notice::find(conn, id_or_prefix, lang)?;
    require_submitted(&head, lang)?;
    let opened = open_in(conn, &head.id).map_err(|e| ExportError::Invalid(e.message(lang)))?;
    let Opened { head, site, snapshot, sheet, .. } = opened;
    let mask = |t: &str| masking.apply(t);
    let checklist = &sheet.checklist;
    let evidence = evidence(conn, &head.id, masking)?;
    let log = checklist.log.as_ref().filter(|_| checklist.mode == Mode::Log);
    let handover_section =
        log.and_then(|l| checklist.sections.iter().position(|s| s.items.iter().any(|i| i.id == l.handover)));
    let mut sections = Vec::new();
    let mut handover = None;
    for (si, section) in checklist.sections.iter().enumerate() {
        let block = section_block(&sheet, si, section, &evidence, lang, masking);
        if Some(si) == handover_section {
            handover = Some(block);
        } else {
            sections.push(block);
        }
    }
    let shown = |item_id: &str| -> String {
        sheet
            .checklist
            .item(item_id)
            .and_then(|item| {
                sheet.answers.get(&(item_id.to_string(), 0)).map(|a| a.value.display(item, lang))
            })
            .map(|t| mask(&t))
            .unwrap_or_default()
    };
    let shift = log.map(|l| Shift {
        start: shown(&l.shift_start),
        end: shown(&l.shift_end),
        officers: Some(shown(&l.officers))
            .filter(|o| !o.is_empty())
            .unwrap_or_else(|| mask(&head.inspectors.join("、"))),
        incoming: shown(&l.handover),
        handover,
    });
    let enforcement = checklist.domain == Domain::SocialOrg;
    let inspectors = head
        .inspectors
        .iter()
        .map(|name| {
            let cert = if enforcement { users::cert_of(conn, name)?.filter(|c| !c.is_empty()) } else { None };
            Ok(Officer { name: mask(name), cert })
        })
        .collect::<Result<Vec<_>>>()?;
    let f = &site.fields;
    Ok(RecordData {
        inspection_id: head.id.clone(),
        bureau: Letterhead::load(conn)?,
        number: notices::get_in(conn, Series::Record, &head.id)?.map(|n| n.number),
        form: if shift.is_some() { Form::DutyShift } else { Form::Inspection },
        domain: checklist.domain.label(lang).to_string(),
        unit: Unit {
            name: mask(&f.name),
            code: f.code.clone(),
            address: mask(&f.address),
            town: f.town.clone(),
            contact: mask(&f.contact),
            phone: mask(&f.phone),
        },
        checklist: ChecklistRef {
            title: snapshot.title.clone(),
            version: snapshot.version,
            hash: snapshot.hash.chars().take(SHA_SHOWN).collect(),
        },
        started_at: shown_time(&head.started_at),
        submitted_at: head.submitted_at.as_deref().map(shown_time).unwrap_or_default(),
        inspectors,
        enforcement,
        sections,
        failures: notice::items(conn, &head.id, Some(checklist), lang, masking)?,
        score: score(&sheet),
        amendments: amendments(conn, &head.id, checklist, lang, masking)?,
        sign_off: if shift.is_some() { None } else { SignOff::parse(&mask(&head.site_representative)) },
        shift,
    })
}

/// A stored time as `YYYY-MM-DD HH:MM`.
fn shown_time(stored: &str) -> String {
    stored.get(..16).unwrap_or(stored).replace('T', " ")
}

/// One section as printed: its items once, or once per live repetition (named as the console names it).
fn section_block(
    sheet: &Sheet,
    si: usize,
    section: &Section,
    evidence: &HashMap<(String, u32), Vec<Evidence>>,
    lang: Lang,
    masking: Masking,
) -> SectionBlock {
    let group = |instance: u32, name: Option<String>| Group {
        name,
        rows: (0..section.items.len())
            .map(|item| row(sheet, Slot { section: si, item, instance }, evidence, lang, masking))
            .collect(),
    };
    match &section.repeat {
        Some(repeat) => SectionBlock {
            title: section.title.clone(),
            groups: sheet
                .instances_of(si)
                .iter()
                .map(|&n| group(n, Some(repetition_name(&repeat.label, n, lang))))
                .collect(),
            repeat_label: Some(repeat.label.clone()),
        },
        None => {
            SectionBlock { title: section.title.clone(), groups: vec![group(0, None)], repeat_label: None }
        }
    }
}

fn row(
    sheet: &Sheet,
    slot: Slot,
    evidence: &HashMap<(String, u32), Vec<Evidence>>,
    lang: Lang,
    masking: Masking,
) -> ItemRow {
    let item = sheet.item(slot);
    let state = sheet.state(slot);
    let answer = match state {
        SlotState::Hidden => None,
        _ => sheet.answer(slot),
    };
    let result = match state {
        SlotState::Hidden => lang.pick("未适用（条件不满足）", "skipped (condition not met)"),
        SlotState::Unanswered => lang.pick("未答", "unanswered"),
        SlotState::Answered(o) => o.label(lang),
    };
    ItemRow {
        prompt: item.prompt.clone(),
        answer: answer.map(|a| masking.apply(&a.value.display(item, lang))).unwrap_or_default(),
        result: result.to_string(),
        failed: state == SlotState::Answered(Outcome::Fail),
        note: answer.map(|a| masking.apply(&a.note)).unwrap_or_default(),
        evidence: answer
            .and_then(|_| evidence.get(&(item.id.clone(), slot.instance)))
            .cloned()
            .unwrap_or_default(),
    }
}

/// The score the console shows, with the counts of the shown pass/fail items it is worked out from.
fn score(sheet: &Sheet) -> Option<Score> {
    let percent = sheet.score()?;
    let (mut passed, mut failed, mut not_applicable) = (0, 0, 0);
    for slot in sheet.slots() {
        match sheet.state(slot) {
            SlotState::Answered(Outcome::Pass) => passed += 1,
            SlotState::Answered(Outcome::Fail) => failed += 1,
            SlotState::Answered(Outcome::Na) => not_applicable += 1,
            _ => {}
        }
    }
    Some(Score { percent, passed, failed, not_applicable })
}

/// The evidence files of every revision of each answer, by (item, repetition), oldest first.
fn evidence(
    conn: &Connection,
    inspection_id: &str,
    masking: Masking,
) -> Result<HashMap<(String, u32), Vec<Evidence>>> {
    let mut stmt = conn.prepare(
        "SELECT b.item_id, b.instance, e.original_path, e.stored_name, e.sha256
         FROM evidence e JOIN answers b ON b.id = e.answer_id
         WHERE b.inspection_id = ?1 ORDER BY e.added_at, e.id",
    )?;
    let mut rows = stmt.query([inspection_id])?;
    let mut out: HashMap<(String, u32), Vec<Evidence>> = HashMap::new();
    while let Some(r) = rows.next()? {
        let (item, instance): (String, u32) = (r.get(0)?, r.get(1)?);
        let (original, stored, sha): (String, String, String) = (r.get(2)?, r.get(3)?, r.get(4)?);
        let name = std::path::Path::new(&original)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.is_empty())
            .unwrap_or(stored);
        let file = Evidence { name: masking.apply(&name), sha: sha.chars().take(SHA_SHOWN).collect() };
        let files = out.entry((item, instance)).or_default();
        if !files.contains(&file) {
            files.push(file);
        }
    }
    Ok(out)
}

/// The item's prompt, after its repetition's name in a repeat section (`第2组 · 小组到位`).
fn item_name(checklist: &Checklist, item_id: &str, instance: u32, lang: Lang) -> String {
    let found =
        checklist.sections.iter().find_map(|s| s.items.iter().find(|i| i.id == item_id).map(|i| (s, i)));
    match found {
        Some((section, item)) => match &section.repeat {
            Some(r) => format!("{} · {}", repetition_name(&r.label, instance, lang), item.prompt),
            None => item.prompt.clone(),
        },
        None => item_id.to_string(),
    }
}

/// The changes made after submitting (answers stored with a reason), oldest first.
fn amendments(
    conn: &Connection,
    inspection_id: &str,
    checklist: &Checklist,
    lang: Lang,
    masking: Masking,
) -> Result<Vec<Amendment>> {
    let mut stmt = conn.prepare(
        "SELECT item_id, instance, revision, value, reason, answered_by, answered_at FROM answers
         WHERE inspection_id = ?1 AND reason <> '' ORDER BY answered_at, id",
    )?;
    let mut rows = stmt.query([inspection_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let (item_id, instance, revision): (String, u32, u32) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let value: String = r.get(3)?;
        let answer = checklist
            .item(&item_id)
            .and_then(|item| Value::decode(&item.kind, &value).map(|v| v.display(item, lang)))
            .unwrap_or(value);
        out.push(Amendment {
            item: item_name(checklist, &item_id, instance, lang),
            revision,
            answer: masking.apply(&answer),
            reason: masking.apply(&r.get::<_, String>(4)?),
            by: masking.apply(&r.get::<_, String>(5)?),
            at: shown_time(&r.get::<_, String>(6)?),
        });
    }
    Ok(out)
}
