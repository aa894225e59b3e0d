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

#[test]
fn a_new_inspection_walks_domain_site_checklist_and_inspectors() {
    let mut app = app();
    assert_eq!(press_char(&mut app, 'n'), vec![]);
    assert_eq!(new_inspection(&app).step, Pick::Domain);
    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![Effect::LoadSites(Domain::ElderlyCare)]);
    assert_eq!(new_inspection(&app).step, Pick::Site);
    assert_eq!(update(&mut app, Action::SitesLoaded(sites())), vec![]);
    assert_eq!(new_inspection(&app).filtered().len(), 4);

    type_text(&mut app, "jly");
    let names: Vec<&str> = new_inspection(&app).filtered().iter().map(|s| s.fields.name.as_str()).collect();
    assert_eq!(names, ["如城街道敬老院", "下原镇敬老院"]);
    press(&mut app, key(KeyCode::Down));
    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![]);
    let n = new_inspection(&app);
    assert_eq!(n.step, Pick::Checklist);
    assert_eq!(n.site.as_ref().map(|s| s.fields.name.as_str()), Some("下原镇敬老院"));
    assert_eq!(n.choices, vec![info("tui_test", 2)]);

    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![]);
    assert_eq!(new_inspection(&app).step, Pick::Inspectors);
    assert_eq!(new_inspection(&app).inspectors.value(), "王芳", "the user is prefilled");

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
