//! An inspection in memory: the checklist, the site's facts and the answers so far. Works out which items
//! are shown (`when`), what is still required, the progress and the compliance score. Pure logic.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::value::{Outcome, Value};
use crate::checklist::{Checklist, Condition, Item, Literal, Op, SiteAttr, Subject};
use crate::domain::{Domain, Severity};
use crate::store::sites::Site;

/// The site attributes conditions can test.
#[derive(Clone, Debug, PartialEq)]
pub struct SiteFacts {
    pub floors: Option<u32>,
    pub beds: Option<u32>,
    pub town: String,
    pub kind: Domain,
}

impl From<&Site> for SiteFacts {
    fn from(s: &Site) -> Self {
        SiteFacts {
            floors: s.fields.floors,
            beds: s.fields.beds,
            town: s.fields.town.clone(),
            kind: s.fields.kind,
        }
    }
}

/// The rectification details recorded with a failure; it becomes a rectification on submit.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub problem: String,
    pub severity: Severity,
    pub requirement: String,
    pub deadline: NaiveDate,
    pub responsible: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub value: Value,
    pub outcome: Outcome,
    pub note: String,
    pub finding: Option<Finding>,
    pub revision: u32,
    pub evidence: usize,
}

/// One place to answer: an item in one repetition of its section (instance 0 outside repeat sections).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Slot {
    pub section: usize,
    pub item: usize,
    pub instance: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotState {
    /// Skipped because its `when` is false.
    Hidden,
    Unanswered,
    Answered(Outcome),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub answered_required: usize,
    pub required: usize,
    pub answered: usize,
    pub shown: usize,
}

/// What stops a submit.
#[derive(Clone, Debug, PartialEq)]
pub enum Missing {
    Item(Slot),
    /// A repeat section with fewer repetitions than its `min_instances`.
    Instances {
        section: usize,
        have: usize,
        need: u32,
    },
}

#[derive(Clone, Debug)]
pub struct Sheet {
    pub checklist: Checklist,
    pub site: SiteFacts,
    /// (item id, instance) → answer.
    pub answers: HashMap<(String, u32), Answer>,
    /// Repeat section id → its live repetitions, ascending.
    pub instances: HashMap<String, Vec<u32>>,
    /// (item id, instance) → the failure form as typed but not saved yet (restored when it reopens).
    pub drafts: HashMap<(String, u32), super::draft::FindingDraft>,
    /// (item id, instance) → the evidence files attached to its answer, oldest first.
    pub evidence_files: HashMap<(String, u32), Vec<crate::store::evidence::EvidenceFile>>,
}

fn compare(op: Op, ord: Option<std::cmp::Ordering>) -> bool {
    use std::cmp::Ordering::*;
    matches!(
        (op, ord),
        (Op::Eq, Some(Equal))
            | (Op::Ne, Some(Less | Greater))
            | (Op::Ge, Some(Equal | Greater))
            | (Op::Le, Some(Equal | Less))
            | (Op::Gt, Some(Greater))
            | (Op::Lt, Some(Less))
    )
}

fn literal_text(l: &Literal) -> String {
    match l {
        Literal::Word(w) => w.clone(),
        Literal::Number(n) => n.to_string(),
    }
}

fn compare_number(op: Op, n: Option<f64>, l: &Literal) -> bool {
    match (n, l) {
        (Some(n), Literal::Number(v)) => compare(op, n.partial_cmp(v)),
        _ => false,
    }
}

fn compare_text(op: Op, s: &str, l: &Literal) -> bool {
    compare(op, Some(s.cmp(literal_text(l).as_str())))
}

impl Sheet {
    pub fn new(checklist: Checklist, site: SiteFacts) -> Self {
        Sheet {
            checklist,
            site,
            answers: HashMap::new(),
            instances: HashMap::new(),
            drafts: HashMap::new(),
            evidence_files: HashMap::new(),
        }
    }

    pub fn item(&self, slot: Slot) -> &Item {
        &self.checklist.sections[slot.section].items[slot.item]
    }

    pub fn answer(&self, slot: Slot) -> Option<&Answer> {
        self.answers.get(&(self.item(slot).id.clone(), slot.instance))
    }

    pub fn instances_of(&self, section: usize) -> &[u32] {
        self.instances.get(&self.checklist.sections[section].id).map_or(&[], Vec::as_slice)
    }

    /// Every slot in document order; a repeat section contributes its items once per live repetition.
    pub fn slots(&self) -> Vec<Slot> {
        let mut out = Vec::new();
        for (si, section) in self.checklist.sections.iter().enumerate() {
            let instances: Vec<u32> =
                if section.repeat.is_some() { self.instances_of(si).to_vec() } else { vec![0] };
            for instance in instances {
                for item in 0..section.items.len() {
                    out.push(Slot { section: si, item, instance });
                }
            }
        }
        out
    }

    fn find(&self, id: &str, instance: u32) -> Option<Slot> {
        for (si, s) in self.checklist.sections.iter().enumerate() {
            if let Some(ii) = s.items.iter().position(|i| i.id == id) {
                let instance = if s.repeat.is_some() { instance } else { 0 };
                return Some(Slot { section: si, item: ii, instance });
            }
        }
        None
    }

    fn holds(&self, cond: &Condition, instance: u32, depth: usize) -> bool {
        match &cond.subject {
            Subject::Site(attr) => match attr {
                SiteAttr::Floors => compare_number(cond.op, self.site.floors.map(f64::from), &cond.value),
                SiteAttr::Beds => compare_number(cond.op, self.site.beds.map(f64::from), &cond.value),
                SiteAttr::Town => compare_text(cond.op, &self.site.town, &cond.value),
                SiteAttr::Kind => compare_text(cond.op, self.site.kind.key(), &cond.value),
            },
            Subject::Item(id) => {
                let Some(target) = self.find(id, instance) else {
                    return false;
                };
                // Conditions only look back, so the chain is short; the depth guard is belt and braces.
                if depth > 64 || !self.visible_at(target, depth + 1) {
                    return false;
                }
                let Some(answer) = self.answer(target) else {
                    return false;
                };
                match (&answer.value, cond.op) {
                    (Value::Number(n), op) => compare_number(op, Some(*n), &cond.value),
                    (Value::Multi(keys), Op::Has) => keys.contains(&literal_text(&cond.value)),
                    (Value::Multi(_), _) => false,
                    (v, op) => compare_text(op, &v.encode(), &cond.value),
                }
            }
        }
    }

    fn visible_at(&self, slot: Slot, depth: usize) -> bool {
        match &self.item(slot).when {
            None => true,
            Some(cond) => self.holds(cond, slot.instance, depth),
        }
    }

    /// Whether the item is shown: its `when` holds (or it has none).
    pub fn visible(&self, slot: Slot) -> bool {
        self.visible_at(slot, 0)
    }

    pub fn state(&self, slot: Slot) -> SlotState {
        if !self.visible(slot) {
            SlotState::Hidden
        } else {
            match self.answer(slot) {
                Some(a) => SlotState::Answered(a.outcome),
                None => SlotState::Unanswered,
            }
        }
    }

    pub fn progress(&self) -> Progress {
        let mut p = Progress { answered_required: 0, required: 0, answered: 0, shown: 0 };
        for slot in self.slots() {
            let state = self.state(slot);
            if state == SlotState::Hidden {
                continue;
            }
            p.shown += 1;
            let answered = matches!(state, SlotState::Answered(_));
            p.answered += usize::from(answered);
            if self.item(slot).required {
                p.required += 1;
                p.answered_required += usize::from(answered);
            }
        }
        p
    }

    /// Compliance score, 0–100: passed weight over passed + failed weight of the shown items. `None` when
    /// the checklist does not score, or nothing pass/fail has been answered yet.
    pub fn score(&self) -> Option<f64> {
        if !self.checklist.scoring {
            return None;
        }
        let (mut pass, mut total) = (0.0, 0.0);
        for slot in self.slots() {
            match self.state(slot) {
                SlotState::Answered(Outcome::Pass) => {
                    pass += self.item(slot).weight;
                    total += self.item(slot).weight;
                }
                SlotState::Answered(Outcome::Fail) => total += self.item(slot).weight,
                _ => {}
            }
        }
        (total > 0.0).then(|| pass / total * 100.0)
    }

    /// Everything that stops a submit: unanswered required items that are shown, and repeat sections with
    /// too few repetitions.
    pub fn missing(&self) -> Vec<Missing> {
        let mut out = Vec::new();
        for (si, s) in self.checklist.sections.iter().enumerate() {
            if let Some(r) = &s.repeat {
                let have = self.instances_of(si).len();
                if (have as u64) < u64::from(r.min) {
                    out.push(Missing::Instances { section: si, have, need: r.min });
                }
            }
        }
        for slot in self.slots() {
            if self.item(slot).required && self.state(slot) == SlotState::Unanswered {
                out.push(Missing::Item(slot));
            }
        }
        out
    }

    /// Shown, failed slots, in document order.
    pub fn failures(&self) -> Vec<Slot> {
        self.slots().into_iter().filter(|s| self.state(*s) == SlotState::Answered(Outcome::Fail)).collect()
    }
}
