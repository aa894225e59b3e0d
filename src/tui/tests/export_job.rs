//! The export running on its own thread, as the reducer sees it: a progress line redrawn as it goes, Esc
//! to cancel, other keys waiting, and its end.

use super::*;
use crate::tui::app::export_progress;
use crate::tui::keymap::Cmd;

fn text(app: &App) -> String {
    app.message.as_ref().map(|m| m.text.clone()).unwrap_or_default()
}

#[test]
fn a_running_export_shows_its_progress_and_is_polled_on_each_tick() {
    let mut app = app();
    assert!(update(&mut app, Action::ExportStarted { path: "/tmp/a.xlsx".into() }).is_empty());
    assert_eq!(app.exporting, Some((0, 0)));
    assert_eq!(update(&mut app, Action::Clock(now())), vec![Effect::PollExport]);
    update(&mut app, Action::ExportProgress { done: 3, total: 10 });
    assert_eq!(text(&app), "正在导出 3/10 行…（Esc 取消）");
    assert_eq!(text(&app), export_progress(Lang::Zh, 3, 10));
    // Keys wait while it runs.
    assert!(update(&mut app, Action::Cmd(Cmd::Down)).is_empty());
    assert!(update(&mut app, Action::Paste("x".into())).is_empty());
    assert_eq!(app.exporting, Some((3, 10)));
    update(&mut app, Action::Exported { rows: 10, path: "/tmp/a.xlsx".into(), overwritten: false });
    assert_eq!(app.exporting, None);
    assert_eq!(update(&mut app, Action::Clock(now())), vec![], "nothing left to poll");
}

#[test]
fn esc_cancels_a_running_export_and_the_message_says_nothing_was_written() {
    let mut app = app();
    update(&mut app, Action::ExportStarted { path: "/tmp/a.xlsx".into() });
    assert_eq!(update(&mut app, Action::Cmd(Cmd::Back)), vec![Effect::CancelExport]);
    assert_eq!(text(&app), "正在取消导出…");
    update(&mut app, Action::ExportCancelled);
    assert_eq!(app.exporting, None);
    assert_eq!(text(&app), "已取消导出：未写出文件，原有文件未改动");
}

#[test]
fn ctrl_c_still_quits_while_an_export_runs() {
    let mut app = app();
    update(&mut app, Action::ExportStarted { path: "/tmp/a.xlsx".into() });
    update(&mut app, Action::Cmd(Cmd::ForceQuit));
    assert!(app.quit);
}
