//! Rules of answering that both faces share: which items can fail at all, which are still open, which a
//! "rest of the section passes" marks, everything that stops a submit, and the representative's sign-off.

use super::sheet::{Missing, Sheet, Slot, SlotState};
use super::value::{Check, Outcome, Value};
use crate::checklist::{AnswerKind, Item};
use crate::i18n::Lang;

/// Whether an answer to the item can ever be a failure: a pass/fail check, a number with a pass range, a
/// choice with a failing option. Texts, dates and plain numbers are only recorded, so a severity means
/// nothing on them.
pub fn can_fail(item: &Item) -> bool {
    match &item.kind {
        AnswerKind::Check => true,
        AnswerKind::Number(spec) => spec.pass_min.is_some() || spec.pass_max.is_some(),
        AnswerKind::Choice(opts) | AnswerKind::MultiChoice(opts) => opts.iter().any(|o| o.fail),
        AnswerKind::Text { .. } | AnswerKind::Date | AnswerKind::Time | AnswerKind::DateTime => false,
    }
}

/// A repetition as an inspector names it: `第1次巡查` for a label that is something done (巡查, 演练),
/// `第1小组` for one that ends in its own measure word (组, 队, 班, 批, 轮), `patrol 1` in English.
pub fn repetition_name(label: &str, instance: u32, lang: Lang) -> String {
    let counts_itself = label.ends_with(['组', '队', '班', '批', '轮', '次']);
    match (lang, label.is_empty()) {
        (Lang::Zh, true) => format!("第{instance}次"),
        (Lang::Zh, false) if counts_itself => format!("第{instance}{label}"),
        (Lang::Zh, false) => format!("第{instance}次{label}"),
        (Lang::En, true) => format!("#{instance}"),
        (Lang::En, false) => format!("{label} {instance}"),
    }
}

/// Something that stops a submit, named so the inspector can find it.
#[derive(Clone, Debug, PartialEq)]
pub enum Blocker {
    /// A required answer, or a repetition, is missing.
    Missing(Missing),
    /// A failure without its problem description.
    NoProblem(Slot),
    /// A failure of an item that demands evidence, with none attached.
    NoEvidence(Slot),
}

impl Blocker {
    /// One line naming what is missing, by prompt or section title (never a raw id).
    pub fn text(&self, sheet: &Sheet, lang: Lang) -> String {
        match self {
            Blocker::Missing(Missing::Item(s)) => {
                format!("{}{}", lang.pick("未答：", "unanswered: "), where_(sheet, *s, lang))
            }
            Blocker::Missing(Missing::Instances { section, have, need }) => {
                let title = &sheet.checklist.sections[*section].title;
                match lang {
                    Lang::Zh => format!("{title}：至少 {need} 条，现有 {have} 条"),
                    Lang::En => format!("{title}: at least {need}, {have} so far"),
                }
            }
            Blocker::NoProblem(s) => {
                format!(
                    "{}{}",
                    lang.pick("不合格未写问题描述：", "failure not described: "),
                    sheet.item(*s).prompt
                )
            }
            Blocker::NoEvidence(s) => {
                format!(
                    "{}{}",
                    lang.pick("不合格缺证据照片：", "failure needs evidence: "),
                    sheet.item(*s).prompt
                )
            }
        }
    }

    /// The slot to go to for it, if it is one item.
    pub fn slot(&self) -> Option<Slot> {
        match self {
            Blocker::Missing(Missing::Item(s)) | Blocker::NoProblem(s) | Blocker::NoEvidence(s) => Some(*s),
            Blocker::Missing(Missing::Instances { .. }) => None,
        }
    }
}

/// An item's prompt, after its repetition's name in a repeat section (`第2小组 · 小组到位`).
fn where_(sheet: &Sheet, slot: Slot, lang: Lang) -> String {
    let prompt = &sheet.item(slot).prompt;
    match &sheet.checklist.sections[slot.section].repeat {
        Some(r) => format!("{} · {prompt}", repetition_name(&r.label, slot.instance, lang)),
        None => prompt.clone(),
    }
}

impl Sheet {
    /// Whether a failure of this slot lacks what a submit needs (its description, or its evidence).
    fn failure_gap(&self, slot: Slot) -> Option<Blocker> {
        if self.state(slot) != SlotState::Answered(Outcome::Fail) {
            return None;
        }
        let answer = self.answer(slot);
        let described = answer.and_then(|a| a.finding.as_ref()).is_some_and(|f| !f.problem.trim().is_empty());
        if !described {
            return Some(Blocker::NoProblem(slot));
        }
        if self.item(slot).evidence_on_fail && answer.is_some_and(|a| a.evidence == 0) {
            return Some(Blocker::NoEvidence(slot));
        }
        None
    }

    /// Everything that stops a submit, in one list: missing answers and repetitions, then failures not
    /// described or without their evidence, in document order.
    pub fn blockers(&self) -> Vec<Blocker> {
        let mut out: Vec<Blocker> = self.missing().into_iter().map(Blocker::Missing).collect();
        out.extend(self.slots().into_iter().filter_map(|s| self.failure_gap(s)));
        out
    }

    /// Whether the slot still needs the inspector: shown and unanswered, or a failure still incomplete.
    pub fn open_slot(&self, slot: Slot) -> bool {
        self.state(slot) == SlotState::Unanswered || self.failure_gap(slot).is_some()
    }

    /// The shown, unanswered pass/fail items of one section's repetition (instance 0 outside repeat
    /// sections): what "the rest of this section passes" marks.
    pub fn passable(&self, section: usize, instance: u32) -> Vec<Slot> {
        let Some(s) = self.checklist.sections.get(section) else { return Vec::new() };
        (0..s.items.len())
            .map(|item| Slot { section, item, instance })
            .filter(|slot| s.items[slot.item].kind == AnswerKind::Check)
            .filter(|slot| self.state(*slot) == SlotState::Unanswered)
            .collect()
    }
}

/// The value "the rest of this section passes" gives each item it marks.
pub fn pass_value() -> Value {
    Value::Check(Check::Pass)
}

/// How the site's representative signed off. Kept in the inspection's `site_representative` text: the
/// name, or, when the representative refused, `拒签` (after the name when one was given, as
/// `张三（拒签）`), which is also what the printed notice shows on the signature line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignOff {
    Signed(String),
    /// Refused to sign; the name of whoever refused, when known.
    Refused(String),
}

/// The word recorded for a refusal to sign.
pub const REFUSED: &str = "拒签";

impl SignOff {
    /// From what the form holds: the name typed and whether the refusal was recorded.
    pub fn from_form(name: &str, refused: bool) -> Option<SignOff> {
        let name = name.trim().to_string();
        match (refused, name.is_empty()) {
            (true, _) => Some(SignOff::Refused(name)),
            (false, true) => None,
            (false, false) => Some(SignOff::Signed(name)),
        }
    }

    /// The text stored with the inspection.
    pub fn stored(&self) -> String {
        match self {
            SignOff::Signed(name) => name.clone(),
            SignOff::Refused(name) if name.is_empty() => REFUSED.to_string(),
            SignOff::Refused(name) => format!("{name}（{REFUSED}）"),
        }
    }

    /// Reads the stored text back (`None` when nothing was recorded).
    pub fn parse(stored: &str) -> Option<SignOff> {
        let s = stored.trim();
        if s.is_empty() {
            return None;
        }
        if s == REFUSED {
            return Some(SignOff::Refused(String::new()));
        }
        if let Some(name) = s.strip_suffix(&format!("（{REFUSED}）")) {
            return Some(SignOff::Refused(name.trim().to_string()));
        }
        Some(SignOff::Signed(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sign_off_is_a_name_or_a_recorded_refusal_and_reads_back_the_same() {
        assert_eq!(SignOff::from_form("  ", false), None, "no name and no refusal: not signed off");
        for (name, refused, stored) in
            [("张店主", false, "张店主"), ("", true, "拒签"), (" 李院长 ", true, "李院长（拒签）")]
        {
            let s = SignOff::from_form(name, refused).unwrap();
            assert_eq!(s.stored(), stored);
            assert_eq!(SignOff::parse(stored), Some(s));
        }
        assert_eq!(SignOff::parse(""), None);
    }

    #[test]
    fn a_repetition_is_named_by_its_label() {
        for (label, lang, name) in [
            ("巡查", Lang::Zh, "第1次巡查"),
            ("小组", Lang::Zh, "第1小组"),
            ("", Lang::Zh, "第1次"),
            ("patrol", Lang::En, "patrol 1"),
        ] {
            assert_eq!(repetition_name(label, 1, lang), name);
        }
    }
}
