//! Table-driven tests of the sheet: conditions, progress, score and what blocks a submit.

use super::*;
use crate::checklist::parse_checklist;
use crate::domain::Domain;

const CHECKLIST: &str = r#"
id = "t"
version = 1
title = "测试"
domain = "elderly_care"
scoring = true

[[sections]]
id = "main"
title = "主要"
  [[sections.items]]
  id = "exit"
  prompt = "安全出口畅通"
  kind = "check"
  weight = 3
  [[sections.items]]
  id = "stairs"
  prompt = "封闭楼梯间"
  kind = "check"
  when = "site.floors >= 3"
  [[sections.items]]
  id = "kitchen"
  prompt = "食堂类型"
  kind = "choice"
  options = [{ key = "gas", label = "燃气" }, { key = "none", label = "无" }]
  [[sections.items]]
  id = "gas_alarm"
  prompt = "燃气报警"
  kind = "check"
  when = "item.kitchen == gas"
  [[sections.items]]
  id = "alarm_note"
  prompt = "报警器说明"
  kind = "text"
  required = false
  when = "item.gas_alarm == fail"

[[sections]]
id = "patrol"
title = "巡查"
repeat = true
min_instances = 1
  [[sections.items]]
  id = "round_ok"
  prompt = "巡查正常"
  kind = "check"
  [[sections.items]]
  id = "round_detail"
  prompt = "异常情况"
  kind = "text"
  when = "item.round_ok == fail"
"#;

fn sheet(floors: Option<u32>) -> Sheet {
    let checklist = parse_checklist(CHECKLIST).unwrap();
    Sheet::new(
        checklist,
        SiteFacts { floors, beds: None, town: "如城街道".into(), kind: Domain::ElderlyCare },
    )
}

fn answer(sheet: &mut Sheet, id: &str, instance: u32, value: Value) {
    let slot = sheet.slots().into_iter().find(|s| sheet.item(*s).id == id && s.instance == instance).unwrap();
    let outcome = value.outcome(sheet.item(slot));
    sheet.answers.insert(
        (id.into(), instance),
        Answer { value, outcome, note: String::new(), finding: None, revision: 1, evidence: 0 },
    );
}

fn state_of(sheet: &Sheet, id: &str, instance: u32) -> SlotState {
    let slot = sheet.slots().into_iter().find(|s| sheet.item(*s).id == id && s.instance == instance).unwrap();
    sheet.state(slot)
}

#[test]
fn site_conditions_show_items_only_for_tall_buildings() {
    for (floors, expected) in
        [(Some(2), SlotState::Hidden), (Some(3), SlotState::Unanswered), (None, SlotState::Hidden)]
    {
        assert_eq!(state_of(&sheet(floors), "stairs", 0), expected, "floors {floors:?}");
    }
}

#[test]
fn answer_conditions_follow_earlier_answers_and_chain() {
    let mut s = sheet(Some(2));
    assert_eq!(state_of(&s, "gas_alarm", 0), SlotState::Hidden, "unanswered condition is false");
    answer(&mut s, "kitchen", 0, Value::Choice("gas".into()));
    assert_eq!(state_of(&s, "gas_alarm", 0), SlotState::Unanswered);
    answer(&mut s, "gas_alarm", 0, Value::Check(Check::Fail));
    assert_eq!(state_of(&s, "alarm_note", 0), SlotState::Unanswered);
    // Changing the first answer hides the whole chain, even though gas_alarm keeps its stored answer.
    answer(&mut s, "kitchen", 0, Value::Choice("none".into()));
    assert_eq!(state_of(&s, "gas_alarm", 0), SlotState::Hidden);
    assert_eq!(state_of(&s, "alarm_note", 0), SlotState::Hidden);
    assert!(s.failures().is_empty(), "a hidden failure is not a failure");
}

#[test]
fn repeat_instances_each_have_their_own_answers_and_conditions() {
    let mut s = sheet(Some(2));
    s.instances.insert("patrol".into(), vec![1, 2]);
    answer(&mut s, "round_ok", 1, Value::Check(Check::Pass));
    answer(&mut s, "round_ok", 2, Value::Check(Check::Fail));
    assert_eq!(state_of(&s, "round_detail", 1), SlotState::Hidden);
    assert_eq!(state_of(&s, "round_detail", 2), SlotState::Unanswered);
    assert_eq!(s.slots().iter().filter(|sl| sl.section == 1).count(), 4);
}

#[test]
fn missing_lists_required_shown_items_and_too_few_repetitions() {
    let mut s = sheet(Some(5));
    let missing = s.missing();
    assert!(missing.contains(&Missing::Instances { section: 1, have: 0, need: 1 }));
    let ids: Vec<&str> = missing
        .iter()
        .filter_map(|m| match m {
            Missing::Item(slot) => Some(s.item(*slot).id.as_str()),
            Missing::Instances { .. } => None,
        })
        .collect();
    assert_eq!(ids, ["exit", "stairs", "kitchen"]);
    answer(&mut s, "exit", 0, Value::Check(Check::Pass));
    answer(&mut s, "stairs", 0, Value::Check(Check::Na));
    answer(&mut s, "kitchen", 0, Value::Choice("none".into()));
    s.instances.insert("patrol".into(), vec![1]);
    answer(&mut s, "round_ok", 1, Value::Check(Check::Pass));
    assert_eq!(s.missing(), vec![]);
    let p = s.progress();
    assert_eq!((p.answered_required, p.required), (4, 4));
}

#[test]
fn the_score_weighs_passes_against_failures_and_ignores_not_applicable() {
    let mut s = sheet(Some(5));
    assert_eq!(s.score(), None);
    answer(&mut s, "exit", 0, Value::Check(Check::Pass)); // weight 3
    answer(&mut s, "stairs", 0, Value::Check(Check::Fail)); // weight 1
    assert_eq!(s.score(), Some(75.0));
    answer(&mut s, "stairs", 0, Value::Check(Check::Na));
    assert_eq!(s.score(), Some(100.0));
}
