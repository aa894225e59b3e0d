//! `p` writes the printable record of a submitted inspection, from its overview and from the list of all
//! inspections: the reducer asks for the export (masked, into the export folder) and shows where it went.

use std::path::PathBuf;

use super::*;
use crate::export::Masking;
use crate::store::inspections::{Head, Summary};
use crate::store::listing::InspectionPage;

fn expected(app: &App, name: &str) -> Effect {
    Effect::ExportRecord {
        inspection_id: "insp-1".into(),
        path: app.export_dir.join(name).display().to_string(),
        masking: Masking::Masked,
    }
}

#[test]
fn p_on_the_overview_of_a_submitted_inspection_writes_its_record_and_says_where() {
    let mut app = inspecting_with(opened(Status::Submitted, &[1]));
    app.export_dir = PathBuf::from("/home/wang/文档");
    press_char(&mut app, 'o');
    let effects = press_char(&mut app, 'p');
    assert_eq!(effects, vec![expected(&app, "现场检查记录-下原镇敬老院-2026-11-29.html")]);
    let done = Action::RecordExported {
        number: "督记〔2026〕第K7QH-001号".into(),
        path: "/home/wang/文档/现场检查记录-下原镇敬老院-2026-11-29.html".into(),
        named: true,
    };
    assert_eq!(update(&mut app, done), vec![]);
    let shown = app.message.as_ref().map(|m| m.text.clone()).unwrap_or_default();
    assert_eq!(
        shown,
        "已出具记录 督记〔2026〕第K7QH-001号 → /home/wang/文档/现场检查记录-下原镇敬老院-2026-11-29.html"
    );
    assert!(matches!(app.screen, Screen::Inspect(_)), "the overview stays on screen");
}

#[test]
fn shift_p_asks_for_the_record_unmasked_which_the_export_itself_authorises_and_audits() {
    let mut app = inspecting_with(opened(Status::Submitted, &[1]));
    app.export_dir = PathBuf::from("/home/wang/文档");
    press_char(&mut app, 'o');
    let effects = press_char(&mut app, 'P');
    let Effect::ExportRecord { masking, .. } = &effects[0] else { panic!("{effects:?}") };
    assert_eq!(*masking, Masking::Unmasked);
    // An inspector's unmasked record is refused by the library, in its words.
    update(&mut app, Action::Failed("不打码导出需要科室负责人角色；王芳 是检查员".into()));
    assert!(app_error(&app).contains("科室负责人"));
}

#[test]
fn the_footer_offers_p_only_on_a_submitted_inspection_and_a_draft_is_left_to_the_library_to_refuse() {
    let submitted = inspecting_with(opened(Status::Submitted, &[1]));
    let mut submitted = submitted;
    press_char(&mut submitted, 'o');
    let hints = |app: &App| crate::tui::keymap::footer_for(&app.contexts(), &app.facts(), app.lang);
    assert!(hints(&submitted).iter().any(|h| h.1 == "打印记录"), "{:?}", hints(&submitted));
    let mut draft = inspecting();
    press_char(&mut draft, 'o');
    assert!(!hints(&draft).iter().any(|h| h.1 == "打印记录"), "{:?}", hints(&draft));
    // The key still asks: the library's refusal (a draft has no record yet) is more useful than silence.
    assert!(matches!(press_char(&mut draft, 'p').as_slice(), [Effect::ExportRecord { .. }]));
    update(&mut draft, Action::Failed("检查 insp-1 尚未提交（草稿）：提交后才能打印现场检查记录".into()));
    assert!(app_error(&draft).contains("尚未提交"));
}

fn app_error(app: &App) -> String {
    app.message.as_ref().filter(|m| m.error).map(|m| m.text.clone()).unwrap_or_default()
}

#[test]
fn p_on_the_list_of_inspections_writes_the_selected_ones_record() {
    let mut app = app();
    app.export_dir = PathBuf::from("/tmp/out");
    press_char(&mut app, 'i');
    let row = |id: &str, site: &str| Summary {
        head: Head {
            id: id.into(),
            site_id: "s".into(),
            snapshot_id: "snap".into(),
            inspectors: vec!["王芳".into()],
            status: Status::Submitted,
            started_at: "2026-11-28T09:30:00+08:00".into(),
            updated_at: "2026-11-28T09:30:00+08:00".into(),
            submitted_at: None,
            created_by: "王芳".into(),
            site_representative: String::new(),
            resume_at: String::new(),
        },
        site_name: site.into(),
        site_code: "JZ001".into(),
        checklist_title: "救助管理站值班记录".into(),
        checklist_id: "rescue_station_duty_log".into(),
    };
    let page = InspectionPage {
        rows: vec![row("A1", "如城敬老院"), row("insp-1", "如皋市救助管理站")],
        total: 2,
        offset: 0,
    };
    update(&mut app, Action::InspectionsLoaded { query: String::new(), page });
    press(&mut app, key(KeyCode::Down));
    assert_eq!(press_char(&mut app, 'p'), vec![expected(&app, "值班记录-如皋市救助管理站-2026-11-28.html")]);
}
