//! Home, help and the new-inspection flow.

use super::*;

#[test]
fn esc_on_the_item_screen_goes_home_and_reloads_it() {
    let mut app = inspecting();
    let effects = press(&mut app, key(KeyCode::Esc));
    assert_eq!(effects, vec![Effect::LoadHome]);
    assert!(matches!(app.screen, Screen::Home(_)));
}

#[test]
fn the_submit_form_wants_enough_inspectors() {
    let mut app = complete();
    press_char(&mut app, 's');
    // From the representative round to the inspectors.
    press(&mut app, key(KeyCode::Tab));
    for _ in 0.."王芳、李强".chars().count() {
        press(&mut app, key(KeyCode::Backspace));
    }
    type_text(&mut app, "王芳");
    assert_eq!(press(&mut app, ctrl('s')), vec![]);
    let Mode::Submit(form) = &inspect(&app).mode else {
        panic!("the form stays open");
    };
    assert_eq!(form.error.as_deref(), Some("此检查表至少需要 2 名检查人员，现有 1 名"));
}

#[test]
fn help_toggles_and_swallows_other_commands() {
    let mut app = inspecting();
    press_char(&mut app, '?');
    assert!(app.help);
    assert_eq!(press_char(&mut app, '1'), vec![], "answer keys do nothing under help");
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

fn new_inspection(app: &App) -> &crate::tui::screens::new_inspection::NewInspection {
    match &app.screen {
        Screen::New(n) => n,
        other => panic!("not on the new-inspection screen: {other:?}"),
    }
}

/// The picker's answer to a search: `sites` as the page from `offset` of `total` matches.
use crate::tui::screens::new_inspection::SITE_PAGE;

fn found(query: &str, sites: Vec<Site>, total: usize, offset: usize) -> Action {
    Action::SitesFound {
        query: query.into(),
        page: crate::store::sites::Page { sites, total, capped: false, offset },
    }
}

fn names(last: &[&str], registered: &[&str]) -> Action {
    Action::NamesLoaded {
        last: last.iter().map(|n| n.to_string()).collect(),
        registered: registered.iter().map(|n| n.to_string()).collect(),
    }
}

#[test]
fn a_new_inspection_walks_domain_site_checklist_and_inspectors() {
    let mut app = app();
    assert_eq!(press_char(&mut app, 'n'), vec![]);
    assert_eq!(new_inspection(&app).step, Pick::Domain);
    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![Effect::LoadSites(Domain::ElderlyCare)]);
    assert_eq!(new_inspection(&app).step, Pick::Site);
    assert_eq!(update(&mut app, found("", sites(), 4, 0)), vec![]);
    assert_eq!(new_inspection(&app).filtered().len(), 4);

    // Each key searches the database again (the matching itself is the store's: see store::sites::find).
    let effects: Vec<Effect> = "jly".chars().flat_map(|c| press_char(&mut app, c)).collect();
    assert_eq!(effects.len(), 3, "one search per key: {effects:?}");
    assert_eq!(
        effects.last(),
        Some(&Effect::FindSites { kind: Domain::ElderlyCare, query: "jly".into(), offset: 0 })
    );
    update(&mut app, found("jl", sites(), 4, 0)); // a stale answer is ignored
    update(&mut app, found("jly", vec![sites()[1].clone(), sites()[2].clone()], 2, 0));
    let names_shown: Vec<&str> =
        new_inspection(&app).filtered().iter().map(|s| s.fields.name.as_str()).collect();
    assert_eq!(names_shown, ["如城街道敬老院", "下原镇敬老院"]);
    press(&mut app, key(KeyCode::Down));
    assert_eq!(press(&mut app, key(KeyCode::Down)), vec![], "the last match stays selected");
    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![]);
    let n = new_inspection(&app);
    assert_eq!(n.step, Pick::Checklist);
    assert_eq!(n.site.as_ref().map(|s| s.fields.name.as_str()), Some("下原镇敬老院"));
    assert_eq!(n.choices, vec![info("tui_test", 2)]);

    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![Effect::LoadNames]);
    assert_eq!(new_inspection(&app).step, Pick::Inspectors);
    update(&mut app, names(&[], &["王芳", "李强"]));
    assert_eq!(new_inspection(&app).inspectors.value(), "王芳", "no names used yet: the user, registered");

    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![], "one name is too few");
    assert_eq!(
        new_inspection(&app).error.as_deref(),
        Some("此检查表至少需要 2 名检查人员（现有 1 名），姓名之间用逗号或顿号分隔")
    );
    type_text(&mut app, "，李强");
    assert_eq!(
        press(&mut app, key(KeyCode::Enter)),
        vec![Effect::Start {
            checklist_id: "tui_test".into(),
            hash: "hash-tui_test".into(),
            site_id: "site-YL012".into(),
            inspectors: vec!["王芳".into(), "李强".into()],
            plan: None,
        }]
    );
    assert_eq!(update(&mut app, Action::Opened(Box::new(opened(Status::Draft, &[])))), vec![]);
    assert_eq!(current_id(&app), "exit");
}

/// Home → n → the first domain → the first site → the first checklist: on the inspectors step.
fn at_inspectors(app: &mut App) {
    press_char(app, 'n');
    press(app, key(KeyCode::Enter));
    update(app, found("", sites(), 4, 0));
    press(app, key(KeyCode::Enter));
    press(app, key(KeyCode::Enter));
    assert_eq!(new_inspection(app).step, Pick::Inspectors);
}

#[test]
fn the_inspectors_are_prefilled_with_the_names_last_used_not_the_login() {
    let mut app = App::new(Lang::Zh, "root".into(), now(), vec![info("tui_test", 2)]);
    at_inspectors(&mut app);
    update(&mut app, names(&["王芳", "李强"], &["王芳", "李强", "root"]));
    assert_eq!(new_inspection(&app).inspectors.value(), "王芳、李强");

    let mut app = App::new(Lang::Zh, "root".into(), now(), vec![info("tui_test", 2)]);
    at_inspectors(&mut app);
    update(&mut app, names(&[], &["王芳"]));
    assert_eq!(new_inspection(&app).inspectors.value(), "", "an unregistered login is not a name");

    // Names typed before the users are loaded are kept.
    let mut app = App::new(Lang::Zh, "王芳".into(), now(), vec![info("tui_test", 2)]);
    at_inspectors(&mut app);
    type_text(&mut app, "、张伟");
    update(&mut app, names(&["李强", "赵敏"], &["王芳", "张伟"]));
    assert_eq!(new_inspection(&app).inspectors.value(), "王芳、张伟");
}

#[test]
fn unregistered_names_are_flagged_with_close_names_and_a_second_enter_starts_anyway() {
    let mut app = app();
    at_inspectors(&mut app);
    update(&mut app, names(&["王芳", "李强"], &["王芳", "李强"]));
    for _ in 0.."王芳、李强".chars().count() {
        press(&mut app, key(KeyCode::Backspace));
    }
    type_text(&mut app, "王芳、李墙 张");
    assert_eq!(
        new_inspection(&app).names_warning(Lang::Zh).as_deref(),
        Some("未登记的用户：李墙 张"),
        "a space does not split names"
    );
    press(&mut app, key(KeyCode::Backspace));
    press(&mut app, key(KeyCode::Backspace));
    assert_eq!(
        new_inspection(&app).names_warning(Lang::Zh).as_deref(),
        Some("未登记的用户：李墙（是否为 李强？）")
    );
    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![], "the first Enter warns");
    assert_eq!(
        new_inspection(&app).error.as_deref(),
        Some("未登记的用户：李墙（是否为 李强？）；核对后再按 Enter 仍然开始")
    );
    let effects = press(&mut app, key(KeyCode::Enter));
    assert!(
        matches!(&effects[..], [Effect::Start { inspectors, .. }] if inspectors == &["王芳", "李墙"]),
        "{effects:?}"
    );
}

#[test]
fn moving_past_the_loaded_page_loads_the_next_one() {
    let mut app = app();
    press_char(&mut app, 'n');
    press(&mut app, key(KeyCode::Enter));
    let page: Vec<Site> = (0..SITE_PAGE).map(|i| site(&format!("YL{i:05}"), "养老院", "如城街道")).collect();
    update(&mut app, found("", page, 250, 0));
    for _ in 0..SITE_PAGE - 1 {
        assert_eq!(press(&mut app, key(KeyCode::Down)), vec![]);
    }
    assert_eq!(
        press(&mut app, key(KeyCode::Down)),
        vec![Effect::FindSites { kind: Domain::ElderlyCare, query: String::new(), offset: SITE_PAGE }]
    );
    let next: Vec<Site> = (0..SITE_PAGE).map(|i| site(&format!("YL1{i:04}"), "敬老院", "下原镇")).collect();
    update(&mut app, found("", next, 250, SITE_PAGE));
    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![]);
    assert_eq!(new_inspection(&app).site.as_ref().map(|s| s.fields.code.as_str()), Some("YL10000"));
}

#[test]
fn esc_walks_the_new_inspection_steps_back_to_home() {
    let mut app = app();
    press_char(&mut app, 'n');
    press(&mut app, key(KeyCode::Enter));
    update(&mut app, found("", sites(), 4, 0));
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
    update(&mut app, found("", sites(), 4, 0));
    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![]);
    let n = new_inspection(&app);
    assert_eq!(n.step, Pick::Site);
    assert_eq!(n.error.as_deref(), Some("没有适用于此类单位的检查表"));
}

#[test]
fn home_opens_the_selected_inspection() {
    use crate::store::inspections::Summary;
    use crate::tui::action::HomeData;
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
            planned: vec![],
            open_rectifications: 0,
            overdue_rectifications: 0,
        }),
    );
    press_char(&mut app, 'j');
    press_char(&mut app, 'j'); // stays on the last row
    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![Effect::Open("insp-b".into())]);
}

/// The picker at 80×24, as text (wide characters once).
fn picker_text(app: &App) -> String {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal.draw(|frame| crate::tui::view::render(app, frame)).unwrap();
    let buf = terminal.backend().buffer();
    let rows: Vec<String> = (0..24u16)
        .map(|y| {
            let mut line = String::new();
            let mut skip = 0;
            for x in 0..80u16 {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let s = buf[(x, y)].symbol();
                line.push_str(s);
                skip = unicode_width::UnicodeWidthStr::width(s).saturating_sub(1);
            }
            line
        })
        .collect();
    rows.join("\n")
}

#[test]
fn a_capped_count_shows_a_plus_and_an_exact_one_does_not() {
    let mut app = app();
    press_char(&mut app, 'n');
    press(&mut app, key(KeyCode::Enter));
    let page: Vec<Site> = (0..SITE_PAGE).map(|i| site(&format!("YL{i:05}"), "敬老院", "下原镇")).collect();
    update(&mut app, found("", page.clone(), 50_045, 0));
    assert!(picker_text(&app).contains(" 共 50045 个 "), "{}", picker_text(&app));
    press_char(&mut app, 'j');
    let capped = crate::store::sites::Page { sites: page.clone(), total: 1000, capped: true, offset: 0 };
    update(&mut app, Action::SitesFound { query: "j".into(), page: capped });
    assert!(picker_text(&app).contains(" 1000+/50045 "), "{}", picker_text(&app));
    press_char(&mut app, 'l');
    update(&mut app, found("jl", page, 120, 0));
    assert!(picker_text(&app).contains(" 120/50045 "), "{}", picker_text(&app));
}
