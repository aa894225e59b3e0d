//! Checks that can be made the moment a finding or an answer is saved, not only at submit: a failure
//! needs its problem described, evidence where the item demands it, and a deadline not before the
//! inspection date; an end time may not come before its start. The console runs them on save and
//! [`super::record::submit`] runs the same ones, so the two can never disagree. Also the problem text a
//! number that crosses its threshold starts with.

use chrono::NaiveDate;

use super::sheet::{Finding, Sheet, Slot};
use super::value::Value;
use crate::checklist::{AnswerKind, Item};
use crate::i18n::Lang;

/// A save check that failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rule {
    /// A failure without a problem description.
    NoProblem,
    /// The item demands evidence on failure and none is attached.
    NoEvidence,
    /// The rectification deadline falls before the day of the inspection.
    DeadlineBeforeInspection { deadline: NaiveDate, inspected: NaiveDate },
    /// An end time before its start (`start` is the start item's prompt and value as shown).
    EndBeforeStart { start_prompt: String, start: String },
    /// A start time after its end (`end` is the end item's prompt and value as shown).
    StartAfterEnd { end_prompt: String, end: String },
}

impl Rule {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Rule::NoProblem, Lang::Zh) => "请填写问题描述".into(),
            (Rule::NoProblem, Lang::En) => "the problem description is required".into(),
            (Rule::NoEvidence, Lang::Zh) => {
                "此项不合格须附证据（照片），提交前补充：在“证据”栏按 Enter 选择文件".into()
            }
            (Rule::NoEvidence, Lang::En) => {
                "this failure needs evidence (a photo) before submit: press Enter on the evidence field to pick files"
                    .into()
            }
            (Rule::DeadlineBeforeInspection { deadline, inspected }, Lang::Zh) => {
                format!("整改期限 {deadline} 早于检查日期 {inspected}")
            }
            (Rule::DeadlineBeforeInspection { deadline, inspected }, Lang::En) => {
                format!("the deadline {deadline} is before the inspection date {inspected}")
            }
            (Rule::EndBeforeStart { start_prompt, start }, Lang::Zh) => {
                format!("结束时间早于“{start_prompt}”（{start}）")
            }
            (Rule::EndBeforeStart { start_prompt, start }, Lang::En) => {
                format!("the end is before \"{start_prompt}\" ({start})")
            }
            (Rule::StartAfterEnd { end_prompt, end }, Lang::Zh) => {
                format!("开始时间晚于“{end_prompt}”（{end}）")
            }
            (Rule::StartAfterEnd { end_prompt, end }, Lang::En) => {
                format!("the start is after \"{end_prompt}\" ({end})")
            }
        }
    }
}

/// The day an inspection was started, from its stored timestamp (`2026-11-29T09:30:00+08:00`).
pub fn inspection_date(started_at: &str) -> Option<NaiveDate> {
    started_at.get(..10).and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

/// The checks of a failure's finding: described, with evidence when the item demands it (`evidence` files
/// attached), and a deadline not before `inspected` (when known).
pub fn check_finding(
    item: &Item,
    finding: &Finding,
    evidence: usize,
    inspected: Option<NaiveDate>,
) -> Result<(), Rule> {
    check_problem(&finding.problem)?;
    if item.evidence_on_fail && evidence == 0 {
        return Err(Rule::NoEvidence);
    }
    check_deadline(finding.deadline, inspected)
}

pub fn check_problem(problem: &str) -> Result<(), Rule> {
    if problem.trim().is_empty() { Err(Rule::NoProblem) } else { Ok(()) }
}

pub fn check_deadline(deadline: NaiveDate, inspected: Option<NaiveDate>) -> Result<(), Rule> {
    match inspected {
        Some(inspected) if deadline < inspected => {
            Err(Rule::DeadlineBeforeInspection { deadline, inspected })
        }
        _ => Ok(()),
    }
}

fn is_moment(kind: &AnswerKind) -> bool {
    matches!(kind, AnswerKind::Date | AnswerKind::Time | AnswerKind::DateTime)
}

/// The start and end items that belong together, by id: a duty log's declared shift start and end, and
/// in any section an item `X_end` with an item `X_start` of the same kind (date, time or date-time).
fn pairs(sheet: &Sheet, section: usize) -> Vec<(usize, usize)> {
    let items = &sheet.checklist.sections[section].items;
    let index = |id: &str| items.iter().position(|i| i.id == id);
    let mut out = Vec::new();
    if let Some(log) = &sheet.checklist.log
        && let (Some(s), Some(e)) = (index(&log.shift_start), index(&log.shift_end))
    {
        out.push((s, e));
    }
    for (e, item) in items.iter().enumerate() {
        let Some(stem) = item.id.strip_suffix("_end") else { continue };
        if let Some(s) = index(&format!("{stem}_start"))
            && !out.contains(&(s, e))
        {
            out.push((s, e));
        }
    }
    out.retain(|(s, e)| {
        let (a, b) = (&items[*s].kind, &items[*e].kind);
        is_moment(a) && a == b
    });
    out
}

/// Whether `value`, about to be saved in `slot`, keeps an end at or after its start (the other of the
/// pair as already answered in the same repetition).
pub fn check_order(sheet: &Sheet, slot: Slot, value: &Value, lang: Lang) -> Result<(), Rule> {
    for (s, e) in pairs(sheet, slot.section) {
        let other = |item: usize| {
            let o = Slot { item, ..slot };
            sheet.answer(o).map(|a| (sheet.item(o), a.value.clone()))
        };
        if slot.item == e
            && let Some((start_item, start)) = other(s)
            && later(&start, value)
        {
            return Err(Rule::EndBeforeStart {
                start_prompt: start_item.prompt.clone(),
                start: start.display(start_item, lang),
            });
        }
        if slot.item == s
            && let Some((end_item, end)) = other(e)
            && later(value, &end)
        {
            return Err(Rule::StartAfterEnd {
                end_prompt: end_item.prompt.clone(),
                end: end.display(end_item, lang),
            });
        }
    }
    Ok(())
}

/// `a` is strictly later than `b` (values of one kind only).
fn later(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Date(a), Value::Date(b)) => a > b,
        (Value::Time(a), Value::Time(b)) => a > b,
        (Value::DateTime(a), Value::DateTime(b)) => a > b,
        _ => false,
    }
}

/// The item's prompt as a subject: without an explanation in brackets or a closing question mark.
fn subject(prompt: &str) -> &str {
    let cut = prompt.find(['（', '(']).unwrap_or(prompt.len());
    prompt[..cut].trim().trim_end_matches(['？', '?']).trim()
}

fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { format!("{n}") }
}

/// The problem text a number outside its pass range starts with: "疏散用时 240 秒，超过 180 秒". Always
/// in Chinese, whatever the console's language: it is built from the checklist's (Chinese) prompt and
/// unit, and it is printed on the 整改通知书.
pub fn threshold_problem(item: &Item, value: &Value) -> Option<String> {
    let (AnswerKind::Number(spec), Value::Number(v)) = (&item.kind, value) else { return None };
    let unit = |n: f64| if spec.unit.is_empty() { number(n) } else { format!("{} {}", number(n), spec.unit) };
    let name = subject(&item.prompt);
    if let Some(max) = spec.pass_max.filter(|m| v > m) {
        return Some(format!("{name} {}，超过 {}", unit(*v), unit(max)));
    }
    let min = spec.pass_min.filter(|m| v < m)?;
    Some(format!("{name} {}，不足 {}", unit(*v), unit(min)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::parse_checklist;
    use crate::domain::{Domain, Severity};
    use crate::inspection::{Answer, SiteFacts};

    const CHECKLIST: &str = r#"
id = "t"
version = 1
title = "演练"
domain = "elderly_care"

[[sections]]
id = "drill"
title = "演练记录"
  [[sections.items]]
  id = "drill_start"
  prompt = "演练开始时间"
  kind = "datetime"
  [[sections.items]]
  id = "drill_end"
  prompt = "演练结束时间"
  kind = "datetime"
  [[sections.items]]
  id = "evac"
  prompt = "人员疏散用时（从发出指令到清点完毕）"
  kind = "number"
  unit = "秒"
  pass_max = 180
  evidence_on_fail = true
  [[sections.items]]
  id = "distance"
  prompt = "与学校的距离？"
  kind = "number"
  unit = "米"
  pass_min = 200
"#;

    fn sheet() -> Sheet {
        let checklist = parse_checklist(CHECKLIST).unwrap();
        Sheet::new(
            checklist,
            SiteFacts { floors: None, beds: None, town: "如城街道".into(), kind: Domain::ElderlyCare },
        )
    }

    fn slot(item: usize) -> Slot {
        Slot { section: 0, item, instance: 0 }
    }

    fn at(text: &str) -> Value {
        Value::parse_input(&AnswerKind::DateTime, text).unwrap()
    }

    fn answer(sheet: &mut Sheet, item: usize, value: Value) {
        let id = sheet.item(slot(item)).id.clone();
        let outcome = value.outcome(sheet.item(slot(item)));
        sheet.answers.insert(
            (id, 0),
            Answer { value, outcome, note: String::new(), finding: None, revision: 1, evidence: 0 },
        );
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    #[test]
    fn a_finding_needs_a_problem_evidence_when_demanded_and_a_deadline_from_the_inspection_day() {
        let sheet = sheet();
        let evac = sheet.item(slot(2));
        let finding = |problem: &str, deadline: NaiveDate| Finding {
            problem: problem.into(),
            severity: Severity::Major,
            requirement: String::new(),
            deadline,
            responsible: String::new(),
        };
        let cases = [
            ("  ", 1, day(30), Some(day(29)), Err(Rule::NoProblem)),
            ("超时", 0, day(30), Some(day(29)), Err(Rule::NoEvidence)),
            (
                "超时",
                1,
                day(28),
                Some(day(29)),
                Err(Rule::DeadlineBeforeInspection { deadline: day(28), inspected: day(29) }),
            ),
            ("超时", 1, day(29), Some(day(29)), Ok(())),
            ("超时", 1, day(1), None, Ok(())),
        ];
        for (problem, evidence, deadline, inspected, expected) in cases {
            assert_eq!(
                check_finding(evac, &finding(problem, deadline), evidence, inspected),
                expected,
                "{problem:?} {evidence} {deadline} {inspected:?}"
            );
        }
        let distance = sheet.item(slot(3));
        assert_eq!(
            check_finding(distance, &finding("太近", day(30)), 0, None),
            Ok(()),
            "no evidence demanded"
        );
    }

    #[test]
    fn an_end_before_its_start_is_refused_whichever_is_answered_first() {
        let mut sheet = sheet();
        assert_eq!(check_order(&sheet, slot(1), &at("2026-11-29 09:00"), Lang::Zh), Ok(()), "no start yet");
        answer(&mut sheet, 0, at("2026-11-29 10:00"));
        assert_eq!(
            check_order(&sheet, slot(1), &at("2026-11-29 09:59"), Lang::Zh),
            Err(Rule::EndBeforeStart {
                start_prompt: "演练开始时间".into(),
                start: "2026-11-29 10:00".into()
            })
        );
        assert_eq!(check_order(&sheet, slot(1), &at("2026-11-29 10:00"), Lang::Zh), Ok(()), "equal is fine");
        answer(&mut sheet, 1, at("2026-11-29 10:30"));
        assert!(matches!(
            check_order(&sheet, slot(0), &at("2026-11-29 10:31"), Lang::Zh),
            Err(Rule::StartAfterEnd { .. })
        ));
        assert_eq!(
            Rule::EndBeforeStart {
                start_prompt: "演练开始时间".into(), start: "2026-11-29 10:00".into()
            }
            .message(Lang::Zh),
            "结束时间早于“演练开始时间”（2026-11-29 10:00）"
        );
    }

    #[test]
    fn a_number_outside_its_pass_range_prefills_the_problem_with_the_value_and_the_limit() {
        let sheet = sheet();
        let cases = [
            (2, 240.0, Some("人员疏散用时 240 秒，超过 180 秒")),
            (2, 180.0, None),
            (3, 150.5, Some("与学校的距离 150.5 米，不足 200 米")),
            (3, 200.0, None),
        ];
        for (item, v, expected) in cases {
            assert_eq!(
                threshold_problem(sheet.item(slot(item)), &Value::Number(v)).as_deref(),
                expected,
                "{item} {v}"
            );
        }
        assert_eq!(threshold_problem(sheet.item(slot(0)), &at("2026-11-29 10:00")), None);
    }
}
