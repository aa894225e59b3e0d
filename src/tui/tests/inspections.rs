//! The list of all inspections: opened from home with `i`, read a window at a time, paged, searched with
//! `/`, and Enter opens an inspection the way home does.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use unicode_width::UnicodeWidthStr;

use super::*;
use crate::store::inspections::{Head, Summary};
use crate::store::listing::InspectionPage;
use crate::tui::screens::inspections::{Inspections, PAGE_STEP, WINDOW};

fn summary(n: usize) -> Summary {
    let sites = ["如城街道敬老院", "中国福利彩票第32068001号投注站", "如皋市救助管理站", "长江镇永平敬老院"];
    let checklists = ["养老机构安全检查", "福利彩票投注站督查", "救助管理站值班记录", "养老机构安全检查"];
    let k = n % 4;
    Summary {
        head: Head {
            id: format!("01INSPECTION{n:014}"),
            site_id: format!("site-{k}"),
            snapshot_id: "snap".into(),
            inspectors: vec!["王芳".into(), "李强".into()],
            status: if n.is_multiple_of(5) { Status::Draft } else { Status::Submitted },
            started_at: format!("2026-{:02}-{:02}T09:30:00+08:00", 11 - (n / 28) % 11, 28 - n % 28),
            updated_at: "2026-11-29T09:30:00+08:00".into(),
            submitted_at: None,
            created_by: "王芳".into(),
            site_representative: String::new(),
            resume_at: String::new(),
        },
        site_name: sites[k].into(),
        site_code: format!("YL{k:03}"),
        checklist_title: checklists[k].into(),
        checklist_id: "tui_test".into(),
    }
}

fn loaded(query: &str, offset: usize, count: usize, total: usize) -> Action {
    Action::InspectionsLoaded {
        query: query.into(),
        page: InspectionPage { rows: (offset..offset + count).map(summary).collect(), total, offset },
    }
}

fn list(app: &App) -> &Inspections {
    match &app.screen {
        Screen::Inspections(l) => l,
        other => panic!("not on the list of inspections: {other:?}"),
    }
}

fn load(query: &str, offset: usize) -> Effect {
    Effect::LoadInspections { query: query.into(), offset, limit: WINDOW }
}

fn opened_list(total: usize) -> App {
    let mut app = app();
    assert_eq!(press_char(&mut app, 'i'), vec![load("", 0)]);
    update(&mut app, loaded("", 0, total.min(WINDOW), total));
    app
}

#[test]
fn i_on_home_opens_the_list_and_enter_opens_the_selected_inspection() {
    let mut app = opened_list(3);
    assert_eq!(list(&app).selected, 0);
    press(&mut app, key(KeyCode::Down));
    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![Effect::Open(summary(1).head.id)]);
    assert_eq!(update(&mut app, Action::Opened(Box::new(opened(Status::Submitted, &[])))), vec![]);
    assert!(matches!(app.screen, Screen::Inspect(_)), "the same open path as home");
}

#[test]
fn paging_moves_by_a_page_and_loads_the_window_of_rows_it_lands_on() {
    let mut app = opened_list(14_030);
    assert_eq!(press(&mut app, key(KeyCode::PageDown)), vec![]);
    assert_eq!(list(&app).selected, PAGE_STEP);
    assert_eq!(press(&mut app, key(KeyCode::PageUp)), vec![]);
    assert_eq!(list(&app).selected, 0);
    assert_eq!(press(&mut app, key(KeyCode::End)), vec![load("", 14_000)]);
    assert_eq!(list(&app).selected, 14_029);
    update(&mut app, loaded("", 14_000, 30, 14_030));
    assert_eq!(list(&app).selected_row().map(|r| r.head.id.clone()), Some(summary(14_029).head.id));
    assert_eq!(press(&mut app, key(KeyCode::Down)), vec![], "the last row stays selected");
    assert_eq!(press_char(&mut app, 'g'), vec![load("", 0)]);
    assert_eq!(list(&app).selected, 0);
    update(&mut app, loaded("", 0, WINDOW, 14_030));
    assert_eq!(press_char(&mut app, 'G'), vec![load("", 14_000)]);
}

#[test]
fn slash_searches_as_you_type_enter_keeps_it_and_esc_goes_home() {
    let mut app = opened_list(300);
    assert_eq!(press_char(&mut app, '/'), vec![]);
    assert!(app.editing(), "typing goes to the search");
    assert_eq!(press_char(&mut app, '敬'), vec![load("敬", 0)]);
    assert_eq!(press_char(&mut app, 'q'), vec![load("敬q", 0)], "q types, it does not quit");
    press(&mut app, key(KeyCode::Backspace));
    update(&mut app, loaded("敬q", 0, 0, 0)); // an answer to an older search is ignored
    update(&mut app, loaded("敬", 0, 2, 2));
    assert_eq!(list(&app).page.as_ref().map(|p| p.total), Some(2));
    assert_eq!(press(&mut app, key(KeyCode::Enter)), vec![]);
    assert_eq!(list(&app).query, "敬");
    assert!(!app.editing());
    // Esc while typing restores the search applied.
    press_char(&mut app, '/');
    assert_eq!(press_char(&mut app, '院'), vec![load("敬院", 0)]);
    assert_eq!(press(&mut app, key(KeyCode::Esc)), vec![load("敬", 0)]);
    assert_eq!(list(&app).query, "敬");
    assert_eq!(press(&mut app, key(KeyCode::Esc)), vec![Effect::LoadHome]);
    assert!(matches!(app.screen, Screen::Home(_)));
}

/// The screen as text (wide characters once).
fn screen(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| crate::tui::view::render(app, frame)).unwrap();
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..height {
        let mut skip = 0;
        for x in 0..width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let s = buf[(x, y)].symbol();
            out.push_str(s);
            skip = s.width().saturating_sub(1);
        }
        out.push('\n');
    }
    out
}

#[test]
fn the_list_shows_date_site_status_checklist_and_the_total() {
    let mut app = opened_list(14_030);
    press(&mut app, key(KeyCode::Down));
    let text = screen(&app, 80, 24);
    assert!(text.contains("共 14,030 条"), "{text}");
    insta::assert_snapshot!("inspections_80x24", text);
    insta::assert_snapshot!("inspections_40x12", screen(&app, 40, 12));
}
