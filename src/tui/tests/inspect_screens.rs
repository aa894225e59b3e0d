//! The inspection screen drawn on ratatui's TestBackend: the overview (with notes and the end cue) at
//! 80×24 and small sizes, the item screen without a severity on items that cannot fail, the mark-pass
//! question, the submit form listing what is open and the problems with their deadlines, its
//! confirmation, the duty log's handover, and English.

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::*;

fn draw(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| crate::tui::view::render(app, frame)).unwrap();
    terminal.backend().to_string()
}

fn give(app: &mut App, id: &str, instance: u32, value: Value, note: &str, problem: Option<&str>) {
    let i = inspect_mut(app);
    let item = i.opened.sheet.checklist.item(id).unwrap().clone();
    let outcome = value.outcome(&item);
    let finding = problem.map(|p| crate::inspection::Finding {
        problem: p.into(),
        severity: item.severity,
        requirement: item.requirement.clone(),
        deadline: now().date() + Duration::days(i64::from(item.deadline_days)),
        responsible: String::new(),
    });
    i.opened.sheet.answers.insert(
        (id.into(), instance),
        Answer { value, outcome, note: note.into(), finding, revision: 1, evidence: 0 },
    );
}

/// A draft with the exit failed (described), the kitchen a gas one with a note, and three repetitions.
fn worked() -> App {
    let mut app = inspecting_with(opened(Status::Draft, &[1, 2, 3]));
    give(&mut app, "exit", 0, Value::Check(Check::Fail), "", Some("安全出口堆放杂物"));
    give(&mut app, "kitchen", 0, Value::Choice("gas".into()), "燃气管道已检测", None);
    give(&mut app, "evac", 0, Value::Number(240.0), "", Some("疏散用时 240 秒，超过 180 秒"));
    app
}

#[test]
fn overview_with_notes_and_the_end_cue_at_80x24() {
    let mut app = worked();
    press_char(&mut app, 'o');
    press(&mut app, key(KeyCode::End));
    let text = draw(&app, 80, 24);
    assert!(text.contains("备注：燃气管道已检测"), "{text}");
    assert!(text.contains("检查表到此结束：按 s 提交"), "{text}");
    insta::assert_snapshot!("inspect_overview_end", text);
}

#[test]
fn the_focused_overview_line_stays_in_view_at_small_sizes() {
    for (w, h) in [(40, 12), (20, 5)] {
        let mut app = worked();
        press_char(&mut app, 'o');
        // Down to the last item of the third repetition.
        press(&mut app, key(KeyCode::End));
        let text = draw(&app, w, h);
        assert!(text.contains("#3"), "{w}×{h}: the focused line of repetition 3 is drawn:\n{text}");
        insta::assert_snapshot!(format!("inspect_overview_{w}x{h}"), text);
        press(&mut app, key(KeyCode::Home));
        let text = draw(&app, w, h);
        assert!(text.contains("1."), "{w}×{h}: back at the first line:\n{text}");
    }
}

#[test]
fn the_submit_form_keeps_its_focused_field_at_20x5_and_a_smaller_terminal_says_so() {
    let mut app = worked();
    press_char(&mut app, 's');
    // It opens on the representative (the inspectors are there); typed into, that field is what shows.
    for c in "张三".chars() {
        press_char(&mut app, c);
    }
    let text = draw(&app, 20, 5);
    assert!(text.contains("被检查单位代表") && text.contains("张三"), "{text}");
    // Tab goes round to the inspectors, which then show.
    press(&mut app, key(KeyCode::Tab));
    let text = draw(&app, 20, 5);
    assert!(text.contains("检查人员签名") && text.contains("王芳、李强"), "{text}");
    insta::assert_snapshot!("inspect_submit_20x5", text);
    let text = draw(&app, 19, 6);
    assert!(text.contains("终端窗口"), "{text}");
}

#[test]
fn a_text_item_has_no_severity_and_a_check_item_has_one() {
    let mut app = worked();
    go_to(&mut app, "remark");
    let text = draw(&app, 80, 24);
    assert!(!text.contains("[一般]") && !text.contains("[较重]") && !text.contains("[重大]"), "{text}");
    assert!(text.contains("选填"), "{text}");
    insta::assert_snapshot!("inspect_item_text_no_severity", text);
    go_to(&mut app, "exit");
    let text = draw(&app, 80, 24);
    assert!(text.contains("[重大]"), "{text}");
}

#[test]
fn the_note_is_shown_on_the_item_screen() {
    let mut app = worked();
    go_to(&mut app, "kitchen");
    let text = draw(&app, 80, 24);
    assert!(text.contains("备注：燃气管道已检测"), "{text}");
}

#[test]
fn the_last_item_says_that_s_submits() {
    let mut app = worked();
    let last = inspect(&app).entries.len() - 1;
    inspect_mut(&mut app).cursor = last;
    let text = draw(&app, 80, 24);
    assert!(text.contains("最后一项：按 s 提交"), "{text}");
    insta::assert_snapshot!("inspect_last_item", text);
}

#[test]
fn the_mark_pass_question_names_the_section_and_the_count() {
    let mut app = worked();
    go_to(&mut app, "remark");
    press_char(&mut app, 'p');
    let text = draw(&app, 80, 24);
    assert!(text.contains("将「基本情况」中尚未作答的 1 个"), "{text}");
    insta::assert_snapshot!("inspect_mark_pass_question", text);
}

#[test]
fn submit_lists_everything_open_by_prompt_and_each_problem_with_its_deadline() {
    let mut app = worked();
    press_char(&mut app, 's');
    let text = draw(&app, 80, 24);
    for part in ["未答：燃气报警器是否完好？", "安全出口堆放杂物（整改期限 2026-12-02）", "被检查单位代表"]
    {
        assert!(text.contains(part), "{part}:\n{text}");
    }
    assert!(!text.contains("gas_alarm"), "prompts, not ids:\n{text}");
    insta::assert_snapshot!("inspect_submit_open_items", text);
}

#[test]
fn the_submit_form_says_how_to_leave_it_in_both_languages() {
    let mut app = worked();
    press_char(&mut app, 's');
    for lang in [Lang::Zh, Lang::En] {
        app.lang = lang;
        for (w, h) in [(80, 24), (40, 12)] {
            let text = draw(&app, w, h);
            let footer = text.lines().last().unwrap_or_default();
            assert!(footer.contains("Esc"), "{lang:?} {w}×{h}: the footer names the way back:\n{text}");
        }
    }
}

#[test]
fn the_submit_confirmation_says_what_submitting_does() {
    let mut app = worked();
    give(&mut app, "gas_alarm", 0, Value::Check(Check::Pass), "", None);
    for instance in [1, 2, 3] {
        give(&mut app, "group_ok", instance, Value::Check(Check::Pass), "", None);
    }
    press_char(&mut app, 's');
    press(&mut app, ctrl('r'));
    press(&mut app, ctrl('s'));
    let text = draw(&app, 80, 24);
    assert!(text.contains("锁定") && text.contains("2 条整改事项") && text.contains("拒签"), "{text}");
    insta::assert_snapshot!("inspect_submit_confirm", text);
    app.lang = Lang::En;
    let text = draw(&app, 80, 24);
    assert!(text.contains("locks this inspection") && text.contains("refused to"), "{text}");
    insta::assert_snapshot!("inspect_submit_confirm_en", text);
}

#[test]
fn the_overview_in_english() {
    let mut app = worked();
    app.lang = Lang::En;
    press_char(&mut app, 'o');
    let text = draw(&app, 80, 24);
    assert!(text.contains("note: "), "{text}");
    insta::assert_snapshot!("inspect_overview_en", text);
}

const DUTY_LOG: &str = r#"
id = "log_test"
version = 1
title = "值班记录"
domain = "rescue_station"
site_kinds = ["rescue_station"]
mode = "log"
min_inspectors = 1
scoring = false

[log]
shift_start = "shift_start"
shift_end = "shift_end"
officers = "officers"
handover = "handover"

[[sections]]
id = "shift"
title = "班次信息"
  [[sections.items]]
  id = "shift_start"
  prompt = "接班时间"
  kind = "datetime"
  [[sections.items]]
  id = "shift_end"
  prompt = "交班时间"
  kind = "datetime"
  [[sections.items]]
  id = "officers"
  prompt = "本班值班人员"
  kind = "text"

[[sections]]
id = "patrol"
title = "夜间巡查"
repeat = true
instance_label = "巡查"
min_instances = 0
max_instances = 9
  [[sections.items]]
  id = "patrol_time"
  prompt = "巡查时间"
  kind = "time"
  [[sections.items]]
  id = "patrol_result"
  prompt = "巡查情况"
  kind = "choice"
  severity = "major"
  options = [{ key = "normal", label = "正常" }, { key = "abnormal", label = "发现异常", fail = true }]

[[sections]]
id = "end"
title = "交接班"
  [[sections.items]]
  id = "handover"
  prompt = "接班人员签字"
  kind = "text"
"#;

fn duty_log() -> App {
    let mut o = opened(Status::Draft, &[]);
    o.sheet = Sheet::new(parse_checklist(DUTY_LOG).unwrap(), o.sheet.site.clone());
    o.sheet.instances.insert("patrol".into(), vec![1]);
    o.snapshot.source = DUTY_LOG.into();
    inspecting_with(o)
}

#[test]
fn a_patrol_round_is_named_and_finishing_it_stays_in_the_rounds() {
    let mut app = duty_log();
    go_to(&mut app, "patrol_result");
    let text = draw(&app, 80, 24);
    assert!(text.contains("夜间巡查 · 第1次巡查"), "{text}");
    let effects = press_char(&mut app, '1');
    save(&mut app, &effects);
    assert_eq!(current_id(&app), "#header", "the round is done: its section's header, where Enter adds one");
    assert!(app.message.as_ref().is_some_and(|m| m.text.contains("第1次巡查已填完")), "{:?}", app.message);
    let effects = press(&mut app, key(KeyCode::Enter));
    assert!(matches!(effects.as_slice(), [Effect::AddInstance { section_id, .. }] if section_id == "patrol"));
}

#[test]
fn the_duty_log_submit_is_a_shift_handover_without_a_representative() {
    let mut app = duty_log();
    for (id, instance, value) in [
        ("shift_start", 0, "2026-11-29 08:00"),
        ("shift_end", 0, "2026-11-29 20:00"),
        ("officers", 0, "王芳"),
        ("patrol_time", 1, "22:00"),
        ("handover", 0, "李强"),
    ] {
        let item = inspect(&app).opened.sheet.checklist.item(id).unwrap().clone();
        give(&mut app, id, instance, Value::parse_input(&item.kind, value).unwrap(), "", None);
    }
    give(&mut app, "patrol_result", 1, Value::Choice("normal".into()), "", None);
    press_char(&mut app, 's');
    let text = draw(&app, 80, 24);
    assert!(text.contains("交接班") && !text.contains("被检查单位代表"), "{text}");
    let footer = text.lines().last().unwrap_or_default();
    assert!(!footer.contains("Ctrl-R") && !footer.contains("Tab"), "no refusal, no second field: {footer}");
    insta::assert_snapshot!("inspect_duty_log_handover", text);
    assert_eq!(press(&mut app, ctrl('s')), vec![], "asks first");
    let text = draw(&app, 80, 24);
    assert!(text.contains("确认交班"), "{text}");
    let effects = press(&mut app, key(KeyCode::Enter));
    assert!(
        matches!(effects.as_slice(), [Effect::Submit { representative, .. }] if representative.is_empty()),
        "{effects:?}"
    );
}

#[test]
fn a_line_being_typed_stays_on_screen_at_20x5() {
    let mut app = inspecting();
    go_to(&mut app, "remark");
    press(&mut app, key(KeyCode::Enter));
    type_text(&mut app, "北门");
    let text = draw(&app, 20, 5);
    assert!(text.contains("北门"), "the typed text is on screen:\n{text}");
    assert!(!text.contains("终端窗口太小"), "{text}");
}
