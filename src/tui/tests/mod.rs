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

pub(super) const CHECKLIST: &str = r#"
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

pub(super) fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 29).unwrap().and_hms_opt(9, 30, 0).unwrap()
}

pub(super) fn info(id: &str, min_inspectors: u8) -> ChecklistInfo {
    ChecklistInfo {
        id: id.into(),
        version: 1,
        hash: format!("hash-{id}"),
        title: "界面测试检查表".into(),
        domain: Domain::ElderlyCare,
        site_kinds: vec![Domain::ElderlyCare],
        min_inspectors,
        mode: ChecklistMode::Inspection,
        officers_item: None,
    }
}

pub(super) fn app() -> App {
    App::new(Lang::Zh, "王芳".into(), now(), vec![info("tui_test", 2)])
}

pub(super) fn site(code: &str, name: &str, town: &str) -> Site {
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

pub(super) fn opened(status: Status, instances: &[u32]) -> Opened {
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
        stamps: Default::default(),
        data_version: 0,
    }
}

/// An app on the inspection screen of a fresh draft (one repetition of the repeat section).
pub(super) fn inspecting() -> App {
    inspecting_with(opened(Status::Draft, &[1]))
}

pub(super) fn inspecting_with(opened: Opened) -> App {
    let mut app = app();
    let effects = update(&mut app, Action::Opened(Box::new(opened)));
    assert_eq!(effects, vec![], "opening asks for nothing more");
    assert!(matches!(app.screen, Screen::Inspect(_)), "Opened on Home shows the inspection");
    app
}

pub(super) fn inspect(app: &App) -> &Inspect {
    match &app.screen {
        Screen::Inspect(i) => i,
        other => panic!("not on the inspection screen: {other:?}"),
    }
}

pub(super) fn inspect_mut(app: &mut App) -> &mut Inspect {
    match &mut app.screen {
        Screen::Inspect(i) => i,
        other => panic!("not on the inspection screen: {other:?}"),
    }
}

/// The id of the item under the cursor, or `#header` on a repeat section header.
pub(super) fn current_id(app: &App) -> String {
    let i = inspect(app);
    match i.current() {
        Some(Entry::Slot(s)) => i.opened.sheet.item(s).id.clone(),
        Some(Entry::Group(_)) => "#header".into(),
        None => "-".into(),
    }
}

/// Puts the cursor on an item (instance 0 or 1) or, for `#header`, on the repeat section header.
pub(super) fn go_to(app: &mut App, id: &str) {
    let i = inspect_mut(app);
    let position = i.entries.iter().position(|e| match e {
        Entry::Slot(s) => i.opened.sheet.item(*s).id == id,
        Entry::Group(_) => id == "#header",
    });
    i.cursor = position.unwrap_or_else(|| panic!("no entry {id}"));
}

/// The board the app is on.
pub(super) fn board(app: &App) -> &crate::tui::screens::board::Board {
    match &app.screen {
        Screen::Board(b) => b,
        other => panic!("not on the board: {other:?}"),
    }
}

/// The board's open export (or notice) form.
pub(super) fn form(app: &App) -> &crate::tui::screens::board::export::ExportForm {
    board(app).export.as_ref().expect("the export form is open")
}

/// The path typed in the open export form.
pub(super) fn path(app: &App) -> String {
    form(app).path.value().to_string()
}

pub(super) fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

pub(super) fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// A key as the event loop handles it: a binding of the contexts in force, else typed into a focused field.
pub(super) fn press(app: &mut App, ev: KeyEvent) -> Vec<Effect> {
    match app.action_for(ev) {
        Some(action) => update(app, action),
        None => vec![],
    }
}

pub(super) fn press_char(app: &mut App, c: char) -> Vec<Effect> {
    press(app, key(KeyCode::Char(c)))
}

pub(super) fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        assert_eq!(press_char(app, c), vec![], "typing {c:?} asks for nothing");
    }
}

/// What the executor answers for a saved answer or amendment.
pub(super) fn saved(app: &App, effect: &Effect) -> Action {
    let (slot, value, note, finding, revision) = match effect {
        Effect::Answer { slot, value, note, finding, reason, .. } => {
            (*slot, value, note, finding, if reason.is_some() { 2 } else { 1 })
        }
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
            finding: finding.clone().filter(|_| outcome == crate::inspection::Outcome::Fail),
            revision,
            evidence: 0,
        },
    }
}

/// Sends the single answer effect back as saved.
pub(super) fn save(app: &mut App, effects: &[Effect]) {
    assert_eq!(effects.len(), 1, "one effect expected: {effects:?}");
    let action = saved(app, &effects[0]);
    assert_eq!(update(app, action), vec![]);
}

/// A check answered as a pass, first revision, no note, finding or evidence.
pub(super) fn passed() -> Answer {
    Answer {
        value: Value::Check(Check::Pass),
        outcome: crate::inspection::Outcome::Pass,
        note: String::new(),
        finding: None,
        revision: 1,
        evidence: 0,
    }
}

/// Goes to item `id`, presses the answer key `c` and sends the answer back as saved.
pub(super) fn answer(app: &mut App, id: &str, c: char) {
    go_to(app, id);
    let effects = press_char(app, c);
    save(app, &effects);
}

/// An app whose inspection has every required item answered (all passes).
pub(super) fn complete() -> App {
    let mut app = inspecting();
    for (id, c) in [("exit", '1'), ("kitchen", '2'), ("group_ok", '1')] {
        answer(&mut app, id, c);
    }
    go_to(&mut app, "evac");
    press(&mut app, key(KeyCode::Enter));
    type_text(&mut app, "95");
    let effects = press(&mut app, key(KeyCode::Enter));
    save(&mut app, &effects);
    app
}

pub(super) fn answer_value(effect: &Effect) -> (&Value, Option<&crate::inspection::Finding>) {
    match effect {
        Effect::Answer { value, finding, .. } => (value, finding.as_ref()),
        other => panic!("not an answer: {other:?}"),
    }
}

pub(super) fn error_text(app: &App) -> Option<&str> {
    app.message.as_ref().filter(|m| m.error).map(|m| m.text.as_str())
}

mod answering;
mod board;
mod busy;
mod conflict;
mod export;
mod export_job;
mod finding_form;
mod forms;
mod inspect_keys;
mod inspect_screens;
mod inspections;
mod key_count;
mod long_choice;
mod new_inspection;
mod notice;
mod print_record;
mod proof;
mod reload;
mod weekly;
