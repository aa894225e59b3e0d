//! The board's keys and state without a database: g/G, Home/End and PageDown/PageUp on the list (End asks
//! for the rest), `l` for the severity filter, a town or site typed into a filter waits for the registry's
//! answer, follow-ups the role or the state forbid are refused before their note box, and the footer keeps
//! only the keys that act.

use super::notice::detail;
use super::*;
use crate::places::{Named, Place};
use crate::roles::Role;
use crate::store::board::BoardRow;
use crate::tui::action::Detail;

fn row(n: usize) -> BoardRow {
    BoardRow {
        id: format!("r{n:04}"),
        inspection_id: "i".into(),
        site_name: "中国福利彩票第32068012号投注站".into(),
        site_code: "32068012".into(),
        town: "下原镇".into(),
        kind: "lottery_outlet".into(),
        item_id: "item".into(),
        problem: format!("问题 {n}"),
        severity: "minor".into(),
        severity_rank: 1,
        major_hazard: false,
        deadline: "2026-12-20".into(),
        status: "open".into(),
        responsible: String::new(),
        conflict: false,
        part: 1,
    }
}

fn page(from: usize, n: usize, append: bool, more: bool) -> Action {
    Action::BoardPage {
        rows: (from..from + n).map(row).collect(),
        append,
        more,
        conflicts: (!append).then_some(0),
        total: (!append).then_some(250),
    }
}

fn on_board() -> App {
    let mut app = app();
    press_char(&mut app, 'b');
    update(&mut app, page(0, 100, false, true));
    app
}

fn hints(app: &App) -> Vec<&'static str> {
    keymap::footer_where(&app.contexts(), &app.facts(), app.lang, &|cmd| app.applies(cmd))
        .into_iter()
        .map(|h| h.1)
        .collect()
}

#[test]
fn end_and_capital_g_ask_for_the_rest_and_land_on_the_last_row() {
    let mut app = on_board();
    assert_eq!(board(&app).total, Some(250));
    let effects = press(&mut app, key(KeyCode::End));
    match effects.as_slice() {
        [Effect::LoadBoard { after: Some(c), to_end: true, .. }] => assert_eq!(c.id, "r0099"),
        other => panic!("End reads what remains: {other:?}"),
    }
    assert_eq!(press_char(&mut app, 'G'), vec![], "not twice while it is being read");
    update(&mut app, page(100, 150, true, false));
    assert_eq!(board(&app).selected, 249, "on the last row once it came");
    assert_eq!(board(&app).total, Some(250), "an appended page keeps the count");
    assert_eq!(press_char(&mut app, 'g'), vec![]);
    assert_eq!(board(&app).selected, 0);
    press_char(&mut app, 'G');
    assert_eq!(board(&app).selected, 249, "everything is loaded: G asks for nothing");
    press(&mut app, key(KeyCode::Home));
    assert_eq!(board(&app).selected, 0);
}

#[test]
fn page_down_near_the_end_of_what_is_loaded_reads_the_next_page() {
    let mut app = on_board();
    let mut effects = vec![];
    for _ in 0..100 {
        effects = press(&mut app, key(KeyCode::PageDown));
        if !effects.is_empty() {
            break;
        }
    }
    assert!(
        matches!(effects.as_slice(), [Effect::LoadBoard { to_end: false, after: Some(_), .. }]),
        "{effects:?}"
    );
    let at = board(&app).selected;
    assert!(at >= 90, "{at}");
    press(&mut app, key(KeyCode::PageUp));
    assert!(board(&app).selected < at);
}

#[test]
fn l_cycles_the_severity_filter_and_g_no_longer_does() {
    let mut app = on_board();
    let effects = press_char(&mut app, 'l');
    assert!(matches!(effects.as_slice(), [Effect::LoadBoard { after: None, .. }]));
    assert_eq!(board(&app).severity, Some(Severity::ALL[0]));
    press_char(&mut app, 'g');
    assert_eq!(board(&app).severity, Some(Severity::ALL[0]), "g moves to the top only");
}

#[test]
fn a_typed_town_waits_for_the_registry_and_a_refusal_keeps_the_box() {
    let mut app = on_board();
    press_char(&mut app, 't');
    for c in "城".chars() {
        press_char(&mut app, c);
    }
    let effects = press(&mut app, key(KeyCode::Enter));
    assert_eq!(effects, vec![Effect::ResolvePlace { place: Place::Town, typed: "城".into() }]);
    assert!(board(&app).typing.is_some(), "open until the registry answers");
    let several =
        Named::Several {
            typed: "城".into(), count: 2, matches: vec!["城北街道".into(), "城南街道".into()]
        };
    assert_eq!(update(&mut app, Action::PlaceNamed { place: Place::Town, named: several }), vec![]);
    assert!(app.message.as_ref().is_some_and(|m| m.error && m.text.contains("城北街道、城南街道")));
    assert!(board(&app).typing.is_some(), "the box stays to type more");
    assert_eq!(board(&app).town, "");
    let known = Named::Known("城北街道".into());
    let effects = update(&mut app, Action::PlaceNamed { place: Place::Town, named: known });
    assert!(matches!(effects.as_slice(), [Effect::LoadBoard { after: None, .. }]));
    assert_eq!(board(&app).town, "城北街道");
    assert!(board(&app).typing.is_none());
}

fn on_detail(d: Detail) -> App {
    let mut app = on_board();
    assert_eq!(update(&mut app, Action::BoardDetail(Box::new(d))), vec![]);
    app
}

#[test]
fn follow_ups_are_refused_before_the_note_box_by_state_and_by_role() {
    let mut d = detail("下原镇敬老院");
    d.rect.status = "in_progress".into();
    let mut app = on_detail(d.clone());
    press_char(&mut app, 's');
    assert!(board(&app).prompt.is_none(), "no start on a rectification in progress");
    assert!(app.message.as_ref().is_some_and(|m| m.error && m.text.contains("不能开始整改")));
    assert!(!hints(&app).contains(&"开始整改") && hints(&app).contains(&"报告完成"), "{:?}", hints(&app));
    press_char(&mut app, 'r');
    assert!(board(&app).prompt.is_some(), "reporting the fix is allowed");

    d.rect.status = "fix_reported".into();
    d.role = Some(Role::Inspector);
    let mut app = on_detail(d.clone());
    press_char(&mut app, 'v');
    assert!(board(&app).prompt.is_none(), "an inspector does not verify");
    assert!(app.message.as_ref().is_some_and(|m| m.text.contains("科室负责人")));
    assert!(!hints(&app).contains(&"复查销号"));
    d.role = Some(Role::Supervisor);
    let mut app = on_detail(d.clone());
    assert!(hints(&app).contains(&"复查销号") && hints(&app).contains(&"退回"));
    press_char(&mut app, 'v');
    assert!(board(&app).prompt.is_some());

    d.role = None;
    let mut app = on_detail(d);
    press_char(&mut app, 'n');
    assert!(board(&app).prompt.is_none(), "an unregistered user adds no note");
    assert!(app.message.as_ref().is_some_and(|m| m.text.contains("未登记")));
}

#[test]
fn the_list_footer_offers_detail_and_export_only_with_rows() {
    let mut app = app();
    press_char(&mut app, 'b');
    update(&mut app, page(0, 0, false, false));
    let empty = hints(&app);
    assert!(!empty.contains(&"详情") && !empty.contains(&"导出"), "{empty:?}");
    let app = on_board();
    assert!(hints(&app).contains(&"详情") && hints(&app).contains(&"导出"));
}

fn drawn(app: &App) -> String {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal.draw(|frame| crate::tui::view::render(app, frame)).unwrap();
    terminal.backend().to_string()
}

#[test]
fn the_detail_shows_the_phone_once_and_never_a_blank_responsible_person() {
    let cases: [(&str, &str, Option<&str>); 5] = [
        ("李院长", "13900000000", Some("责任人：李院长  13900000000")),
        ("李院长 13900000000", "13900000000", Some("责任人：李院长 13900000000")),
        ("", "13900000000", Some("联系电话：13900000000")),
        ("李院长", "", Some("责任人：李院长")),
        ("  ", "", None),
    ];
    for (who, phone, line) in cases {
        let mut d = detail("下原镇敬老院");
        d.rect.responsible = who.into();
        d.rect.phone = phone.into();
        let screen = drawn(&on_detail(d));
        // The backend pads wide characters: compare with the padding taken out.
        let text: String = screen.lines().map(|l| l.replace(' ', "")).collect::<Vec<_>>().join("\n");
        match line {
            Some(line) => assert!(text.contains(&line.replace(' ', "")), "{who:?} {phone:?}:\n{screen}"),
            None => assert!(!text.contains("责任人") && !text.contains("联系电话"), "{screen}"),
        }
        if !phone.is_empty() {
            assert_eq!(screen.matches(phone).count(), 1, "the phone once:\n{screen}");
        }
        assert!(screen.contains("安全出口是否畅通？") && !screen.contains("检查项：exit"), "by prompt");
    }
}

/// The text of the screen without the padding the backend gives wide characters.
fn squeezed(app: &App) -> String {
    drawn(app).lines().map(|l| l.replace(' ', "")).collect::<Vec<_>>().join("\n")
}

#[test]
fn a_full_first_page_shows_at_once_and_its_count_follows_from_the_counting_thread() {
    let mut app = app();
    press_char(&mut app, 'b');
    let first = Action::BoardPage {
        rows: (0..100).map(row).collect(),
        append: false,
        more: true,
        conflicts: Some(0),
        total: None,
    };
    update(&mut app, first);
    assert!(board(&app).counting && app.counting());
    assert!(squeezed(&app).contains("共100+条（计数中），第1条"), "{}", drawn(&app));
    // Every tick asks for it while it is on its way, and only then.
    assert_eq!(update(&mut app, Action::Tick), vec![Effect::PollCount]);
    update(&mut app, page(100, 100, true, true));
    assert!(squeezed(&app).contains("共200+条（计数中）"), "the rows read so far:\n{}", drawn(&app));
    update(&mut app, Action::BoardCounted { total: Ok(1_234_567) });
    assert!(!board(&app).counting && !app.counting());
    assert_eq!(board(&app).total, Some(1_234_567));
    assert!(squeezed(&app).contains("共1,234,567条，第1条"), "{}", drawn(&app));
    assert_eq!(update(&mut app, Action::Tick), vec![], "nothing left to ask for");
    update(&mut app, Action::BoardCounted { total: Ok(5) });
    assert_eq!(board(&app).total, Some(1_234_567), "an answer nobody waits for changes nothing");

    // A new filter: the old total goes at once (it was for other rows); a failed count says why.
    update(
        &mut app,
        Action::BoardPage { rows: vec![row(1)], append: false, more: true, conflicts: None, total: None },
    );
    assert_eq!(board(&app).total, None);
    update(&mut app, Action::BoardCounted { total: Err("计数出错：磁盘 I/O 错误".into()) });
    assert!(!board(&app).counting);
    assert_eq!(error_text(&app), Some("计数出错：磁盘 I/O 错误"));
    assert!(squeezed(&app).contains("共1条，第1条"), "{}", drawn(&app));

    // English.
    let mut app = crate::tui::tests::app();
    app.lang = Lang::En;
    press_char(&mut app, 'b');
    update(
        &mut app,
        Action::BoardPage {
            rows: (0..100).map(row).collect(),
            append: false,
            more: true,
            conflicts: Some(0),
            total: None,
        },
    );
    assert!(drawn(&app).contains("100+ (counting), row 1"), "{}", drawn(&app));
}
