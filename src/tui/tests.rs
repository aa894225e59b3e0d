//! Reducer tests: keys and effect results go through `app::update`; the effects it asks for and the state
//! it leaves are checked. No terminal and no database: the executor's results are made up here.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::app::{App, ChecklistInfo, Screen, update};
use super::effect::Effect;
use super::keymap;
use super::screens::inspect::{Editor, Entry, Inspect, Mode, Pane};
use super::screens::new_inspection::Pick;
use crate::checklist::{Mode as ChecklistMode, parse_checklist};
use crate::domain::{Domain, Severity};
use crate::i18n::Lang;
use crate::inspection::record::Opened;
use crate::inspection::{Answer, Check, Sheet, SiteFacts, Slot, Value};
use crate::store::inspections::{Head, Status};
use crate::store::sites::{Site, SiteFields};
use crate::store::snapshots::Snapshot;

const CHECKLIST: &str = r#"
id = "tui_test"
version = 1
title = "界面测试检查表"
domain = "elderly_care"
site_kinds = ["elderly_care"]
min_inspectors = 2
scoring = true

[[sections]]
id = "main"
title = "基本情况"
  [[sections.items]]
  id = "exit"
  prompt = "安全出口是否畅通？"
  kind = "check"
  severity = "critical"
  requirement = "立即清除堵塞物"
  deadline_days = 3

  [[sections.items]]
  id = "kitchen"
  prompt = "供餐方式"
  kind = "choice"
  severity = "major"
  requirement = "停止无证经营"
  deadline_days = 10
  options = [
    { key = "gas", label = "自办食堂（燃气）" },
    { key = "none", label = "无食堂" },
    { key = "unlicensed", label = "无证经营", fail = true },
  ]

  [[sections.items]]
  id = "gas_alarm"
  prompt = "燃气报警器是否完好？"
  kind = "check"
  when = "item.kitchen == gas"

  [[sections.items]]
  id = "evac"
  prompt = "疏散用时"
  kind = "number"
  unit = "秒"
  min = 0
  max = 3600
  pass_max = 180
  severity = "major"
  requirement = "重新组织演练"
  deadline_days = 30

  [[sections.items]]
  id = "remark"
  prompt = "备注"
  kind = "text"
  required = false

[[sections]]
id = "groups"
title = "演练分组"
repeat = true
instance_label = "小组"
min_instances = 1
max_instances = 3
  [[sections.items]]
  id = "group_ok"
  prompt = "小组到位"
  kind = "check"

  [[sections.items]]
  id = "group_note"
  prompt = "未到位原因"
  kind = "text"
  when = "item.group_ok == fail"
"#;

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 29)
        .unwrap()
        .and_hms_opt(9, 30, 0)
        .unwrap()
}

fn info(id: &str, min_inspectors: u8) -> ChecklistInfo {
    ChecklistInfo {
        id: id.into(),
        version: 1,
        title: "界面测试检查表".into(),
        domain: Domain::ElderlyCare,
        site_kinds: vec![Domain::ElderlyCare],
        min_inspectors,
        mode: ChecklistMode::Inspection,
        officers_item: None,
    }
}

fn app() -> App {
    App::new(Lang::Zh, "王芳".into(), now(), vec![info("tui_test", 2)])
}

fn site(code: &str, name: &str, town: &str) -> Site {
    Site {
        id: format!("site-{code}"),
        fields: SiteFields {
            code: code.into(),
            kind: Domain::ElderlyCare,
            name: name.into(),
            town: town.into(),
            address: String::new(),
            contact: String::new(),
            phone: String::new(),
            floors: Some(2),
            beds: Some(40),
            license: String::new(),
        },
        sample: true,
    }
}

fn opened(status: Status, instances: &[u32]) -> Opened {
    let checklist = parse_checklist(CHECKLIST).unwrap();
    let site = site("YL012", "下原镇敬老院", "下原镇");
    let mut sheet = Sheet::new(checklist, SiteFacts::from(&site));
    if !instances.is_empty() {
        sheet.instances.insert("groups".into(), instances.to_vec());
    }
    Opened {
        head: Head {
            id: "insp-1".into(),
            site_id: site.id.clone(),
            snapshot_id: "snap-1".into(),
            inspectors: vec!["王芳".into(), "李强".into()],
            status,
            started_at: "2026-11-29T09:00:00+08:00".into(),
            updated_at: "2026-11-29T09:00:00+08:00".into(),
            submitted_at: (status == Status::Submitted).then(|| "2026-11-29T09:20:00+08:00".into()),
            created_by: "王芳".into(),
            site_representative: String::new(),
            resume_at: String::new(),
        },
        site,
        snapshot: Snapshot {
            id: "snap-1".into(),
            checklist_id: "tui_test".into(),
            version: 1,
            hash: "0".into(),
            title: "界面测试检查表".into(),
            domain: "elderly_care".into(),
            origin: "tests".into(),
            source: CHECKLIST.into(),
            stored_at: "2026-11-01T08:00:00+08:00".into(),
        },
        sheet,
    }
}

/// An app on the inspection screen of a fresh draft (one repetition of the repeat section).
fn inspecting() -> App {
    inspecting_with(opened(Status::Draft, &[1]))
}

fn inspecting_with(opened: Opened) -> App {
    let mut app = app();
    let effects = update(&mut app, Action::Opened(Box::new(opened)));
    assert_eq!(effects, vec![], "opening asks for nothing more");
    assert!(
        matches!(app.screen, Screen::Inspect(_)),
        "Opened on Home shows the inspection"
    );
    app
}

fn inspect(app: &App) -> &Inspect {
    match &app.screen {
        Screen::Inspect(i) => i,
        other => panic!("not on the inspection screen: {other:?}"),
    }
}

fn inspect_mut(app: &mut App) -> &mut Inspect {
    match &mut app.screen {
        Screen::Inspect(i) => i,
        other => panic!("not on the inspection screen: {other:?}"),
    }
}

/// The id of the item under the cursor, or `#header` on a repeat section header.
fn current_id(app: &App) -> String {
    let i = inspect(app);
    match i.current() {
        Some(Entry::Slot(s)) => i.opened.sheet.item(s).id.clone(),
        Some(Entry::Group(_)) => "#header".into(),
        None => "-".into(),
    }
}

/// Puts the cursor on an item (instance 0 or 1) or, for `#header`, on the repeat section header.
fn go_to(app: &mut App, id: &str) {
    let i = inspect_mut(app);
    let position = i.entries.iter().position(|e| match e {
        Entry::Slot(s) => i.opened.sheet.item(*s).id == id,
        Entry::Group(_) => id == "#header",
    });
    i.cursor = position.unwrap_or_else(|| panic!("no entry {id}"));
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// A key as the event loop handles it: a binding of the contexts in force, else typed into a focused field.
fn press(app: &mut App, ev: KeyEvent) -> Vec<Effect> {
    match keymap::resolve(&app.contexts(), &ev) {
        Some(cmd) => update(app, Action::Cmd(cmd)),
        None if app.editing() => update(app, Action::Key(ev)),
        None => vec![],
    }
}

fn press_char(app: &mut App, c: char) -> Vec<Effect> {
    press(app, key(KeyCode::Char(c)))
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        assert_eq!(press_char(app, c), vec![], "typing {c:?} asks for nothing");
    }
}

/// What the executor answers for a saved answer or amendment.
fn saved(app: &App, effect: &Effect) -> Action {
    let (slot, value, note, finding, revision) = match effect {
        Effect::Answer {
            slot,
            value,
            note,
            finding,
            ..
        } => (*slot, value, note, finding, 1),
        Effect::Amend {
            slot,
            value,
            note,
            finding,
            ..
        } => (*slot, value, note, finding, 2),
        other => panic!("not an answer: {other:?}"),
    };
    let item = inspect(app).opened.sheet.item(slot);
    let outcome = value.outcome(item);
    Action::Saved {
        slot,
        answer: Answer {
            value: value.clone(),
            outcome,
            note: note.clone(),
            finding: finding
                .clone()
                .filter(|_| outcome == crate::inspection::Outcome::Fail),
            revision,
            evidence: 0,
        },
    }
}

/// Sends the single answer effect back as saved.
fn save(app: &mut App, effects: &[Effect]) {
    assert_eq!(effects.len(), 1, "one effect expected: {effects:?}");
    let action = saved(app, &effects[0]);
    assert_eq!(update(app, action), vec![]);
}

fn answer_value(effect: &Effect) -> (&Value, Option<&crate::inspection::Finding>) {
    match effect {
        Effect::Answer { value, finding, .. } | Effect::Amend { value, finding, .. } => {
            (value, finding.as_ref())
        }
        other => panic!("not an answer: {other:?}"),
    }
}

fn error_text(app: &App) -> Option<&str> {
    app.message.as_ref().filter(|m| m.error).map(|m| m.text.as_str())
}

#[test]
fn opening_a_fresh_draft_stands_on_the_first_item() {
    let app = inspecting();
    assert_eq!(current_id(&app), "exit");
    assert_eq!(
        app.contexts(),
        vec![keymap::Ctx::ItemCheck, keymap::Ctx::Item, keymap::Ctx::Global]
    );
}

#[test]
fn check_keys_ask_for_the_answer_and_only_a_failure_carries_a_finding() {
    let cases = [
        ('1', Check::Pass, false),
        ('2', Check::Fail, true),
        ('3', Check::Na, false),
    ];
    for (c, check, with_finding) in cases {
        let mut app = inspecting();
        let effects = press_char(&mut app, c);
        assert_eq!(effects.len(), 1, "key {c}");
        let Effect::Answer {
            inspection_id,
            slot,
            item,
            value,
            finding,
            ..
        } = &effects[0]
        else {
            panic!("key {c}: {effects:?}");
        };
        assert_eq!(inspection_id, "insp-1", "key {c}");
        assert_eq!(
            *slot,
            Slot {
                section: 0,
                item: 0,
                instance: 0
            },
            "key {c}"
        );
        assert_eq!(item.id, "exit", "key {c}");
        assert_eq!(value, &Value::Check(check), "key {c}");
        assert_eq!(finding.is_some(), with_finding, "key {c}");
        assert!(
            matches!(inspect(&app).mode, Mode::Browse),
            "key {c}: nothing opens before the answer is saved"
        );
        assert_eq!(current_id(&app), "exit", "key {c}: the cursor waits for the save");
    }
}

#[test]
fn a_saved_answer_moves_to_the_next_shown_item() {
    // (item answered, key, where the cursor lands): gas_alarm is shown only for a gas kitchen.
    let cases = [
        ("exit", '1', "kitchen"),
        ("kitchen", '1', "gas_alarm"),
        ("kitchen", '2', "evac"),
        ("gas_alarm", '3', "evac"),
        ("group_ok", '1', "group_ok"), // answering group_ok hides group_note: past the end, stay
    ];
    for (item, c, expected) in cases {
        let mut app = inspecting();
        if item == "gas_alarm" {
            go_to(&mut app, "kitchen");
            let effects = press_char(&mut app, '1');
            save(&mut app, &effects);
        }
        go_to(&mut app, item);
        let effects = press_char(&mut app, c);
        save(&mut app, &effects);
        assert!(matches!(inspect(&app).mode, Mode::Browse), "{item} {c}");
        assert_eq!(current_id(&app), expected, "{item} answered with {c}");
    }
}

#[test]
fn moving_down_and_up_skips_hidden_items() {
    let mut app = inspecting();
    go_to(&mut app, "kitchen");
    press_char(&mut app, 'j');
    assert_eq!(
        current_id(&app),
        "evac",
        "gas_alarm is hidden while the kitchen is unanswered"
    );
    press_char(&mut app, 'k');
    assert_eq!(current_id(&app), "kitchen");
}

#[test]
fn a_failure_is_saved_with_the_item_defaults_and_then_opens_the_form() {
    let mut app = inspecting();
    let effects = press_char(&mut app, '2');
    let (value, finding) = answer_value(&effects[0]);
    assert_eq!(value, &Value::Check(Check::Fail));
    let finding = finding.expect("a failure carries a finding");
    assert_eq!(finding.problem, "");
    assert_eq!(finding.severity, Severity::Critical);
    assert_eq!(finding.requirement, "立即清除堵塞物");
    assert_eq!(finding.deadline, now().date() + Duration::days(3));
    save(&mut app, &effects);
    let Mode::Finding(form) = &inspect(&app).mode else {
        panic!("the failure form opens after the save");
    };
    assert_eq!(form.severity, Severity::Critical);
    assert_eq!(form.requirement.text(), "立即清除堵塞物");
    assert_eq!(form.deadline.value(), "2026-12-02");
    assert_eq!(form.problem.text(), "");
    assert_eq!(current_id(&app), "exit", "the cursor stays on the failed item");
    assert_eq!(app.contexts(), vec![keymap::Ctx::Editing]);
}

#[test]
fn the_failure_form_needs_a_problem_before_it_saves() {
    let mut app = inspecting();
    let effects = press_char(&mut app, '2');
    save(&mut app, &effects);

    let effects = press(&mut app, ctrl('s'));
    assert_eq!(effects, vec![], "no problem described: nothing is saved");
    let Mode::Finding(form) = &inspect(&app).mode else {
        panic!("the form stays open");
    };
    assert_eq!(form.error.as_deref(), Some("请填写问题描述"));

    type_text(&mut app, "北门上锁 q");
    let Mode::Finding(form) = &inspect(&app).mode else {
        panic!("the form stays open");
    };
    assert_eq!(form.error, None, "typing clears the error");
    let effects = press(&mut app, ctrl('s'));
    assert_eq!(effects.len(), 1);
    let (value, finding) = answer_value(&effects[0]);
    assert_eq!(value, &Value::Check(Check::Fail));
    let finding = finding.unwrap();
    assert_eq!(finding.problem, "北门上锁 q");
    assert_eq!(finding.severity, Severity::Critical);
    assert_eq!(finding.deadline, NaiveDate::from_ymd_opt(2026, 12, 2).unwrap());
    save(&mut app, &effects);
    assert!(matches!(inspect(&app).mode, Mode::Browse));
    assert_eq!(current_id(&app), "kitchen", "a described failure moves on");
    assert!(!app.quit, "q was typed into the problem, not taken as quit");
}

#[test]
fn leaving_the_failure_form_without_a_problem_warns() {
    let mut app = inspecting();
    let effects = press_char(&mut app, '2');
    save(&mut app, &effects);
    let effects = press(&mut app, key(KeyCode::Esc));
    assert_eq!(effects, vec![]);
    assert!(matches!(inspect(&app).mode, Mode::Browse));
    assert!(error_text(&app).is_some_and(|t| t.contains("问题描述未填写")));
    assert_eq!(current_id(&app), "exit");
}

#[test]
fn the_severity_of_a_finding_can_be_changed_in_the_form() {
    let mut app = inspecting();
    let effects = press_char(&mut app, '2');
    save(&mut app, &effects);
    type_text(&mut app, "堵塞");
    press(&mut app, key(KeyCode::Tab));
    press(&mut app, key(KeyCode::Right)); // Critical wraps to Minor
    let effects = press(&mut app, ctrl('s'));
    let (_, finding) = answer_value(&effects[0]);
    assert_eq!(finding.unwrap().severity, Severity::Minor);
}

#[test]
fn a_digit_on_a_choice_item_picks_that_option() {
    // (digit, option key chosen, whether a finding is sent, whether the failure form opens after the save)
    let cases = [
        ('1', Some("gas"), false),
        ('2', Some("none"), false),
        ('3', Some("unlicensed"), true),
        ('4', None, false),
        ('9', None, false),
    ];
    for (c, chosen, fails) in cases {
        let mut app = inspecting();
        go_to(&mut app, "kitchen");
        assert_eq!(
            app.contexts(),
            vec![keymap::Ctx::ItemChoice, keymap::Ctx::Item, keymap::Ctx::Global]
        );
        let effects = press_char(&mut app, c);
        let Some(chosen) = chosen else {
            assert_eq!(effects, vec![], "digit {c}: no such option");
            continue;
        };
        let (value, finding) = answer_value(&effects[0]);
        assert_eq!(value, &Value::Choice(chosen.into()), "digit {c}");
        assert_eq!(finding.is_some(), fails, "digit {c}");
        if let Some(f) = finding {
            assert_eq!(f.severity, Severity::Major, "digit {c}");
            assert_eq!(f.deadline, now().date() + Duration::days(10), "digit {c}");
        }
        save(&mut app, &effects);
        assert_eq!(
            matches!(inspect(&app).mode, Mode::Finding(_)),
            fails,
            "digit {c}: the form opens only for a failing option"
        );
    }
}

#[test]
fn number_input_is_checked_before_it_is_saved() {
    // (typed, error shown, outcome: Some(finding expected))
    let cases: [(&str, Option<&str>, Option<bool>); 5] = [
        ("abc", Some("“abc”不是数字"), None),
        ("5000", Some("超出允许范围 0–3600"), None),
        ("-1", Some("超出允许范围 0–3600"), None),
        ("200", None, Some(true)),
        ("90", None, Some(false)),
    ];
    for (typed, error, finding) in cases {
        let mut app = inspecting();
        go_to(&mut app, "evac");
        assert_eq!(
            press(&mut app, key(KeyCode::Enter)),
            vec![],
            "{typed}: Enter opens the editor"
        );
        assert!(app.editing(), "{typed}");
        type_text(&mut app, typed);
        let effects = press(&mut app, key(KeyCode::Enter));
        let Mode::Edit { editor, error: shown } = &inspect(&app).mode else {
            panic!("{typed}: still editing until saved");
        };
        assert_eq!(shown.as_deref(), error, "{typed}");
        let Editor::Line(field) = editor else {
            panic!("{typed}: a line editor");
        };
        assert_eq!(field.value(), typed, "{typed}: the input stays");
        match finding {
            None => assert_eq!(effects, vec![], "{typed}: refused"),
            Some(with_finding) => {
                let (value, f) = answer_value(&effects[0]);
                assert_eq!(value, &Value::Number(typed.parse().unwrap()), "{typed}");
                assert_eq!(f.is_some(), with_finding, "{typed}");
                if let Some(f) = f {
                    assert_eq!(f.requirement, "重新组织演练", "{typed}");
                    assert_eq!(f.deadline, now().date() + Duration::days(30), "{typed}");
                }
                save(&mut app, &effects);
                let mode = &inspect(&app).mode;
                if with_finding {
                    assert!(matches!(mode, Mode::Finding(_)), "{typed}: over pass_max fails");
                } else {
                    assert!(matches!(mode, Mode::Browse), "{typed}");
                    assert_eq!(current_id(&app), "remark", "{typed}");
                }
            }
        }
    }
}

#[test]
fn a_failed_save_keeps_the_typed_input_and_shows_why() {
    let mut app = inspecting();
    go_to(&mut app, "remark");
    press(&mut app, key(KeyCode::Enter));
    type_text(&mut app, "消防通道有杂物");
    let effects = press(&mut app, key(KeyCode::Enter));
    assert!(matches!(effects.as_slice(), [Effect::Answer { .. }]));
    assert_eq!(
        update(&mut app, Action::Failed("保存失败：磁盘已满".into())),
        vec![]
    );
    assert_eq!(error_text(&app), Some("保存失败：磁盘已满"));
    let Mode::Edit {
        editor: Editor::Line(field),
        ..
    } = &inspect(&app).mode
    else {
        panic!("the editor stays open");
    };
    assert_eq!(field.value(), "消防通道有杂物");
    assert_eq!(current_id(&app), "remark");
    let effects = press(&mut app, key(KeyCode::Enter));
    assert_eq!(effects.len(), 1, "the same input can be sent again");
}

#[test]
fn a_failed_save_keeps_the_failure_form_as_typed() {
    let mut app = inspecting();
    let effects = press_char(&mut app, '2');
    save(&mut app, &effects);
    type_text(&mut app, "北门上锁");
    assert_eq!(press(&mut app, ctrl('s')).len(), 1);
    update(&mut app, Action::Failed("保存失败：数据库被锁定".into()));
    let Mode::Finding(form) = &inspect(&app).mode else {
        panic!("the form stays open");
    };
    assert_eq!(form.problem.text(), "北门上锁");
    assert_eq!(error_text(&app), Some("保存失败：数据库被锁定"));
}

#[test]
fn q_is_typed_into_a_focused_field_and_quits_elsewhere() {
    let mut app = inspecting();
    go_to(&mut app, "remark");
    press(&mut app, key(KeyCode::Enter));
    assert_eq!(app.contexts(), vec![keymap::Ctx::Editing]);
    assert_eq!(keymap::resolve(&app.contexts(), &key(KeyCode::Char('q'))), None);
    press_char(&mut app, 'q');
    assert!(!app.quit, "q typed");
    let Mode::Edit {
        editor: Editor::Line(field),
        ..
    } = &inspect(&app).mode
    else {
        panic!("still editing");
    };
    assert_eq!(field.value(), "q");
    // ? is text too while editing, not help.
    press_char(&mut app, '?');
    assert!(!app.help);
    press(&mut app, key(KeyCode::Esc));
    assert!(
        matches!(inspect(&app).mode, Mode::Browse),
        "Esc cancels the editor"
    );
    press_char(&mut app, 'q');
    assert!(app.quit, "q on the item screen quits");
}

#[test]
fn esc_on_the_item_screen_goes_home_and_reloads_it() {
    let mut app = inspecting();
    let effects = press(&mut app, key(KeyCode::Esc));
    assert_eq!(effects, vec![Effect::LoadHome]);
    assert!(matches!(app.screen, Screen::Home(_)));
}

#[test]
fn the_overview_jumps_to_the_chosen_entry() {
    let mut app = inspecting();
    press_char(&mut app, 'o');
    assert_eq!(inspect(&app).pane, Pane::Overview);
    for _ in 0..2 {
        press_char(&mut app, 'j');
    }
    press(&mut app, key(KeyCode::Enter));
    assert_eq!(inspect(&app).pane, Pane::Item);
    assert_eq!(
        current_id(&app),
        "gas_alarm",
        "the overview reaches hidden items too"
    );
    assert_eq!(
        app.contexts(),
        vec![keymap::Ctx::Item, keymap::Ctx::Global],
        "no answer keys on a hidden item"
    );
    assert_eq!(
        press_char(&mut app, '1'),
        vec![],
        "a hidden item cannot be answered"
    );
}

#[test]
fn enter_on_a_hidden_item_of_a_repeat_section_adds_nothing() {
    let mut app = inspecting();
    go_to(&mut app, "group_note");
    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![]);
    assert!(matches!(inspect(&app).mode, Mode::Browse));
}

#[test]
fn a_submitted_inspection_asks_for_a_reason_before_amending() {
    let mut app = inspecting_with(opened(Status::Submitted, &[1]));
    let effects = press_char(&mut app, '1');
    assert_eq!(effects, vec![], "nothing is saved before the reason");
    assert!(matches!(inspect(&app).mode, Mode::Reason { .. }));
    assert_eq!(app.contexts(), vec![keymap::Ctx::Editing]);

    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![], "an empty reason");
    assert_eq!(error_text(&app), Some("修改已提交的检查必须填写理由"));
    type_text(&mut app, "   ");
    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![], "a blank reason");

    type_text(&mut app, "现场复核后更正");
    let effects = press(&mut app, key(KeyCode::Enter));
    let [
        Effect::Amend {
            inspection_id,
            value,
            reason,
            finding,
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}");
    };
    assert_eq!(inspection_id, "insp-1");
    assert_eq!(value, &Value::Check(Check::Pass));
    assert_eq!(reason, "现场复核后更正");
    assert_eq!(finding, &None);
    save(&mut app, &effects);
    assert!(matches!(inspect(&app).mode, Mode::Browse));
    assert_eq!(current_id(&app), "kitchen");
}

#[test]
fn esc_drops_a_pending_amendment() {
    let mut app = inspecting_with(opened(Status::Submitted, &[1]));
    press_char(&mut app, '2');
    assert_eq!(press(&mut app, key(KeyCode::Esc)), vec![]);
    assert!(matches!(inspect(&app).mode, Mode::Browse));
    assert_eq!(current_id(&app), "exit");
}

#[test]
fn a_submitted_inspection_cannot_be_submitted_again_or_grown() {
    let mut app = inspecting_with(opened(Status::Submitted, &[1]));
    assert_eq!(press_char(&mut app, 's'), vec![]);
    assert!(matches!(inspect(&app).mode, Mode::Browse));
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.text.contains("已提交并锁定"))
    );
    go_to(&mut app, "#header");
    assert_eq!(press_char(&mut app, '+'), vec![]);
}

#[test]
fn submitting_with_missing_items_is_refused_in_the_form() {
    let mut app = inspecting();
    assert_eq!(press_char(&mut app, 's'), vec![]);
    let Mode::Submit(form) = &inspect(&app).mode else {
        panic!("s opens the submit form");
    };
    assert_eq!(form.inspectors.value(), "王芳、李强");
    assert_eq!(app.contexts(), vec![keymap::Ctx::Editing]);
    for ev in [ctrl('s'), key(KeyCode::Tab), key(KeyCode::Enter)] {
        let effects = press(&mut app, ev);
        assert_eq!(effects, vec![], "{ev:?}");
    }
    let Mode::Submit(form) = &inspect(&app).mode else {
        panic!("the form stays open");
    };
    assert_eq!(form.error.as_deref(), Some("还有 4 个必填项未完成"));
    press(&mut app, key(KeyCode::Esc));
    assert!(matches!(inspect(&app).mode, Mode::Browse));
}

#[test]
fn a_complete_inspection_is_submitted_with_the_signatures() {
    let mut app = inspecting();
    for (id, c) in [("exit", '1'), ("kitchen", '2'), ("group_ok", '1')] {
        go_to(&mut app, id);
        let effects = press_char(&mut app, c);
        save(&mut app, &effects);
    }
    go_to(&mut app, "evac");
    press(&mut app, key(KeyCode::Enter));
    type_text(&mut app, "95");
    let effects = press(&mut app, key(KeyCode::Enter));
    save(&mut app, &effects);

    press_char(&mut app, 's');
    press(&mut app, key(KeyCode::Tab));
    type_text(&mut app, "刘院长");
    let effects = press(&mut app, key(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::Submit {
            inspection_id: "insp-1".into(),
            inspectors: vec!["王芳".into(), "李强".into()],
            representative: "刘院长".into(),
        }]
    );
    let effects = update(&mut app, Action::Submitted { rectifications: 0 });
    assert_eq!(effects, vec![Effect::LoadHome]);
    assert!(matches!(app.screen, Screen::Home(_)));
    assert!(app.message.as_ref().is_some_and(|m| !m.error));
}

#[test]
fn the_submit_form_wants_enough_inspectors() {
    let mut app = inspecting();
    for (id, c) in [("exit", '1'), ("kitchen", '2'), ("group_ok", '1')] {
        go_to(&mut app, id);
        let effects = press_char(&mut app, c);
        save(&mut app, &effects);
    }
    go_to(&mut app, "evac");
    press(&mut app, key(KeyCode::Enter));
    type_text(&mut app, "95");
    let effects = press(&mut app, key(KeyCode::Enter));
    save(&mut app, &effects);
    press_char(&mut app, 's');
    for _ in 0.."王芳、李强".chars().count() {
        press(&mut app, key(KeyCode::Backspace));
    }
    type_text(&mut app, "王芳");
    assert_eq!(press(&mut app, ctrl('s')), vec![]);
    let Mode::Submit(form) = &inspect(&app).mode else {
        panic!("the form stays open");
    };
    assert_eq!(
        form.error.as_deref(),
        Some("此检查表至少需要 2 名检查人员，现有 1 名")
    );
}

#[test]
fn plus_on_a_repeat_header_adds_a_repetition_and_moves_onto_it() {
    for add in [key(KeyCode::Char('+')), key(KeyCode::Enter)] {
        let mut app = inspecting();
        go_to(&mut app, "#header");
        let effects = press(&mut app, add);
        assert_eq!(
            effects,
            vec![Effect::AddInstance {
                inspection_id: "insp-1".into(),
                section_id: "groups".into(),
            }],
            "{add:?}"
        );
        let effects = update(
            &mut app,
            Action::InstancesChanged {
                section: "groups".into(),
                instances: vec![1, 2],
            },
        );
        assert_eq!(effects, vec![]);
        let i = inspect(&app);
        assert_eq!(
            i.current(),
            Some(Entry::Slot(Slot {
                section: 1,
                item: 0,
                instance: 2
            })),
            "{add:?}"
        );
        assert_eq!(i.entries.len(), 5 + 1 + 2 * 2, "{add:?}");
    }
}

#[test]
fn repetitions_stop_at_the_section_maximum() {
    let mut app = inspecting_with(opened(Status::Draft, &[1, 2, 3]));
    go_to(&mut app, "#header");
    assert_eq!(press_char(&mut app, '+'), vec![]);
    assert_eq!(error_text(&app), Some("已达上限：3"));
}

#[test]
fn removing_a_repetition_asks_for_a_second_press() {
    let mut app = inspecting_with(opened(Status::Draft, &[1, 2]));
    go_to(&mut app, "group_ok");
    assert_eq!(press_char(&mut app, '-'), vec![]);
    assert!(error_text(&app).is_some_and(|t| t.contains("再按一次")));
    assert_eq!(
        press_char(&mut app, '-'),
        vec![Effect::RemoveInstance {
            inspection_id: "insp-1".into(),
            section_id: "groups".into(),
            instance: 1,
        }]
    );
    // Any other key in between cancels the confirmation.
    press_char(&mut app, '-');
    press_char(&mut app, 'k');
    press_char(&mut app, 'j');
    assert_eq!(press_char(&mut app, '-'), vec![]);
}

#[test]
fn help_toggles_and_swallows_other_commands() {
    let mut app = inspecting();
    press_char(&mut app, '?');
    assert!(app.help);
    assert_eq!(
        press_char(&mut app, '1'),
        vec![],
        "answer keys do nothing under help"
    );
    press(&mut app, key(KeyCode::Esc));
    assert!(!app.help);
    assert_eq!(current_id(&app), "exit");
    assert!(matches!(app.screen, Screen::Inspect(_)), "Esc closed help only");
}

fn sites() -> Vec<Site> {
    vec![
        site("YL001", "如皋市康乐颐养院", "如城街道"),
        site("YL002", "如城街道敬老院", "如城街道"),
        site("YL012", "下原镇敬老院", "下原镇"),
        site("YL016", "如皋市夕阳红养老院", "城南街道"),
    ]
}

fn new_inspection(app: &App) -> &super::screens::new_inspection::NewInspection {
    match &app.screen {
        Screen::New(n) => n,
        other => panic!("not on the new-inspection screen: {other:?}"),
    }
}

#[test]
fn a_new_inspection_walks_domain_site_checklist_and_inspectors() {
    let mut app = app();
    assert_eq!(press_char(&mut app, 'n'), vec![]);
    assert_eq!(new_inspection(&app).step, Pick::Domain);
    assert_eq!(
        press(&mut app, key(KeyCode::Enter)),
        vec![Effect::LoadSites(Domain::ElderlyCare)]
    );
    assert_eq!(new_inspection(&app).step, Pick::Site);
    assert_eq!(update(&mut app, Action::SitesLoaded(sites())), vec![]);
    assert_eq!(new_inspection(&app).filtered().len(), 4);

    type_text(&mut app, "jly");
    let names: Vec<&str> = new_inspection(&app)
        .filtered()
        .iter()
        .map(|s| s.fields.name.as_str())
        .collect();
    assert_eq!(names, ["如城街道敬老院", "下原镇敬老院"]);
    press(&mut app, key(KeyCode::Down));
    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![]);
    let n = new_inspection(&app);
    assert_eq!(n.step, Pick::Checklist);
    assert_eq!(
        n.site.as_ref().map(|s| s.fields.name.as_str()),
        Some("下原镇敬老院")
    );
    assert_eq!(n.choices, vec![info("tui_test", 2)]);

    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![]);
    assert_eq!(new_inspection(&app).step, Pick::Inspectors);
    assert_eq!(
        new_inspection(&app).inspectors.value(),
        "王芳",
        "the user is prefilled"
    );

    assert_eq!(
        press(&mut app, key(KeyCode::Enter)),
        vec![],
        "one name is too few"
    );
    assert_eq!(
        new_inspection(&app).error.as_deref(),
        Some("此检查表至少需要 2 名检查人员（现有 1 名），姓名之间用逗号或顿号分隔")
    );
    type_text(&mut app, "，李强");
    assert_eq!(
        press(&mut app, key(KeyCode::Enter)),
        vec![Effect::Start {
            checklist_id: "tui_test".into(),
            site_id: "site-YL012".into(),
            inspectors: vec!["王芳".into(), "李强".into()],
        }]
    );
    assert_eq!(
        update(&mut app, Action::Opened(Box::new(opened(Status::Draft, &[])))),
        vec![]
    );
    assert_eq!(current_id(&app), "exit");
}

#[test]
fn names_are_split_on_chinese_and_ascii_separators() {
    let cases = [
        ("王芳、李强", 2),
        ("王芳，李强", 2),
        ("王芳, 李强", 2),
        ("王芳 李强；张伟", 3),
        ("王芳、王芳", 1),
        (" 、 ", 0),
    ];
    for (text, n) in cases {
        assert_eq!(
            super::screens::new_inspection::split_names(text).len(),
            n,
            "{text:?}"
        );
    }
}

#[test]
fn esc_walks_the_new_inspection_steps_back_to_home() {
    let mut app = app();
    press_char(&mut app, 'n');
    press(&mut app, key(KeyCode::Enter));
    update(&mut app, Action::SitesLoaded(sites()));
    press(&mut app, key(KeyCode::Enter));
    assert_eq!(new_inspection(&app).step, Pick::Checklist);
    for step in [Pick::Site, Pick::Domain] {
        assert_eq!(press(&mut app, key(KeyCode::Esc)), vec![]);
        assert_eq!(new_inspection(&app).step, step);
    }
    assert_eq!(press(&mut app, key(KeyCode::Esc)), vec![Effect::LoadHome]);
    assert!(matches!(app.screen, Screen::Home(_)));
}

#[test]
fn a_site_without_an_applicable_checklist_is_refused() {
    let mut app = App::new(Lang::Zh, "王芳".into(), now(), vec![]);
    press_char(&mut app, 'n');
    press(&mut app, key(KeyCode::Enter));
    update(&mut app, Action::SitesLoaded(sites()));
    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![]);
    let n = new_inspection(&app);
    assert_eq!(n.step, Pick::Site);
    assert_eq!(n.error.as_deref(), Some("没有适用于此类单位的检查表"));
}

#[test]
fn home_opens_the_selected_inspection() {
    use super::action::HomeData;
    use crate::store::inspections::Summary;
    let summary = |id: &str| Summary {
        head: opened(Status::Draft, &[]).head.clone(),
        site_name: "下原镇敬老院".into(),
        site_code: "YL012".into(),
        checklist_title: "界面测试检查表".into(),
        checklist_id: id.into(),
    };
    let mut first = summary("a");
    first.head.id = "insp-a".into();
    let mut second = summary("b");
    second.head.id = "insp-b".into();
    let mut app = app();
    update(
        &mut app,
        Action::HomeLoaded(HomeData {
            drafts: vec![first],
            recent: vec![second],
            open_rectifications: 0,
            overdue_rectifications: 0,
        }),
    );
    press_char(&mut app, 'j');
    press_char(&mut app, 'j'); // stays on the last row
    assert_eq!(
        press(&mut app, key(KeyCode::Enter)),
        vec![Effect::Open("insp-b".into())]
    );
}
