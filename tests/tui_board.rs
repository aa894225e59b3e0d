#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The board tab on TestBackend at 80×24: the urgency-ordered list, filters, paging as the cursor moves,
//! the detail with its history, follow-ups (with role refusals), exports and the rectification notice through
//! the real executor.

mod common;

use chrono::{NaiveDate, TimeZone};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use common::console::{Console, now};
use common::inspection::fail_item;
use ducha::i18n::Lang;
use ducha::roles::Role;
use ducha::store::inspections::{self, NewRectification};
use ducha::store::{Store, rectifications, sites, snapshots, users};
use ducha::tui::action::Action;
use ducha::tui::app::{App, Screen};
use ducha::tui::{dispatch, dispatch_drawing, keymap, view};

/// `count` rectifications at 下原镇敬老院 (deadlines spread around today) and one at an outlet.
fn database(dir: &std::path::Path, count: u32) -> std::path::PathBuf {
    let path = dir.join("ducha.db");
    let mut store = Store::open(&path).unwrap();
    ducha::app::seed(&mut store, "王芳").unwrap();
    let snapshot = snapshots::list(store.conn()).unwrap().remove(0);
    let home = sites::by_code(store.conn(), "YL012").unwrap().unwrap();
    let outlet = sites::by_code(store.conn(), "32068001").unwrap().unwrap();
    store
        .write(|tx| -> ducha::store::Result<()> {
            users::upsert(tx, "王芳", "检查员甲", Role::Inspector)?;
            for (site, n) in [(&home, count), (&outlet, 1)] {
                let insp = inspections::create(tx, "王芳", &site.id, &snapshot.id, &["王芳".into()])?;
                for i in 0..n {
                    let item = format!("item_{i}");
                    let answer = fail_item(tx, "王芳", &insp, &item)?;
                    // The outlet's one rectification is due later than any at the home, so no two rows
                    // tie (a tie is ordered by ids made in the same millisecond: random).
                    let outlet_offset = if site.id == outlet.id { 20 } else { 0 };
                    let deadline = (NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
                        + chrono::Duration::days(i64::from(i) + outlet_offset))
                    .format("%Y-%m-%d")
                    .to_string();
                    let problem = if site.fields.kind == ducha::domain::Domain::LotteryOutlet {
                        "未公示开奖结果".to_string()
                    } else {
                        format!("二楼疏散通道堆放杂物（{}）", i + 1)
                    };
                    let r = NewRectification {
                        answer_id: &answer,
                        item_id: &item,
                        instance: 0,
                        problem: &problem,
                        basis: "GB 38600-2019 第 5.3 条",
                        severity: ["minor", "major", "critical"][(i % 3) as usize],
                        major_hazard: i % 3 == 2,
                        requirement: "立即清理，保持畅通",
                        deadline: &deadline,
                        responsible: "李院长",
                        phone: "13900000000",
                    };
                    rectifications::create(tx, "王芳", &insp, &site.id, &r, "2026-11-10T09:00:00+08:00")?;
                }
            }
            Ok(())
        })
        .unwrap();
    path
}

impl Console {
    /// `user` on a database with `count` rectifications at the home (see [`database`]), on the board.
    fn new(count: u32, user: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = database(dir.path(), count);
        let mut c = Console::open(&db, user, Lang::Zh).holding(dir);
        c.chars("b");
        c
    }

    /// Notice number `seq` of this year (notices are numbered by the year they are issued) as this console's
    /// database prints it (with its device's code).
    fn number(&self, seq: u32) -> String {
        let code: String = rusqlite::Connection::open(&self.db)
            .unwrap()
            .query_row("SELECT code FROM device", [], |r| r.get(0))
            .unwrap();
        ducha::store::notices::format_number(&code, chrono::Datelike::year(&chrono::Local::now()), seq)
    }

    fn snapshot(&self, name: &str) {
        let screen = self.screen_at(80, 24);
        let mut settings = insta::Settings::clone_current();
        // Times written when the test runs: after a space or at the start of a line inside the border.
        settings.add_filter(r"([\s│])\d\d-\d\d \d\d:\d\d", "${1}MM-DD hh:mm");
        settings.bind(|| insta::assert_snapshot!(name, screen));
    }
}

#[test]
fn the_board_lists_the_most_overdue_first_and_filters() {
    let mut c = Console::new(12, "王芳");
    let rows = &c.board().rows;
    assert_eq!(rows.len(), 13);
    assert_eq!(rows[0].deadline, "2026-11-20", "nine days overdue comes first");
    c.snapshot("board_list");
    c.code(KeyCode::Char('o'));
    assert!(c.board().rows.iter().all(|r| r.deadline.as_str() < "2026-11-29"));
    assert_eq!(c.board().rows.len(), 9, "the nine at the home; the outlet's is not yet due");
    c.code(KeyCode::Char('o'));
    c.code(KeyCode::Char('d'));
    c.code(KeyCode::Char('d')); // 养老机构 → 福利彩票投注站
    assert_eq!(c.board().rows.len(), 1);
    assert_eq!(c.board().rows[0].problem, "未公示开奖结果");
    c.code(KeyCode::Char('d'));
    c.code(KeyCode::Char('d'));
    c.code(KeyCode::Char('d')); // back to every domain
    c.code(KeyCode::Char('c'));
    c.chars("32068001");
    c.code(KeyCode::Enter);
    assert_eq!(c.board().rows.len(), 1, "one site's rectifications");
    c.code(KeyCode::Char('c'));
    for _ in 0..8 {
        c.code(KeyCode::Backspace);
    }
    c.code(KeyCode::Enter);
    assert_eq!(c.board().rows.len(), 13, "the site filter cleared");
    c.code(KeyCode::Char('/'));
    c.chars("（3）");
    c.code(KeyCode::Enter);
    assert_eq!(c.board().rows.len(), 1);
    c.snapshot("board_searched");
}

#[test]
fn moving_down_reads_the_next_page_without_loading_everything() {
    let mut c = Console::new(230, "王芳");
    assert_eq!(c.board().rows.len(), 100, "one page at first");
    assert!(c.board().more);
    for _ in 0..95 {
        c.code(KeyCode::Char('j'));
    }
    assert_eq!(c.board().rows.len(), 200, "the next page near the end of the first");
    for _ in 0..120 {
        c.code(KeyCode::Char('j'));
    }
    assert_eq!(c.board().rows.len(), 231);
    assert!(!c.board().more);
    let deadlines: Vec<&str> = c.board().rows.iter().map(|r| r.deadline.as_str()).collect();
    assert!(deadlines.windows(2).all(|w| w[0] <= w[1] || w[1] >= "2026-11-29"), "one order across pages");
}

#[test]
fn the_detail_shows_the_finding_and_follow_ups_are_recorded_or_refused_by_role() {
    let mut c = Console::new(3, "王芳");
    c.code(KeyCode::Enter);
    assert!(c.board().detail.is_some());
    c.snapshot("board_detail");
    // 王芳 (the first user, an admin) reports the fix, then verifies with a note.
    c.code(KeyCode::Char('r'));
    c.chars("已清理");
    c.code(KeyCode::Enter);
    c.code(KeyCode::Char('v'));
    c.code(KeyCode::Enter);
    assert!(c.app.message.as_ref().is_some_and(|m| m.error && m.text.contains("复查销号需要填写说明")));
    c.chars("现场复查通过");
    c.code(KeyCode::Enter);
    let detail = c.board().detail.as_ref().unwrap();
    assert_eq!(detail.rect.status, "verified");
    assert_eq!(detail.events.len(), 3);
    c.snapshot("board_detail_verified");

    // An inspector is refused an extension before the note box opens, and nothing is typed into it.
    let mut c = Console::new(3, "检查员甲");
    c.code(KeyCode::Enter);
    c.code(KeyCode::Char('e'));
    let message = c.app.message.clone().unwrap();
    assert!(message.error && message.text.contains("延期需要科室负责人角色"), "{message:?}");
    assert!(c.board().prompt.is_none(), "no note box for a refused extension");
    c.chars("等待施工");
    c.code(KeyCode::Enter);
    assert!(c.board().prompt.is_none());
    assert_eq!(c.board().detail.as_ref().unwrap().rect.deadline, "2026-11-20", "nothing changed");
}

#[test]
fn the_weekly_report_shows_figures_by_domain_and_twelve_weeks_of_open_counts() {
    let mut c = Console::new(12, "王芳");
    c.code(KeyCode::Esc);
    c.code(KeyCode::Char('w'));
    let Screen::Weekly(w) = &c.app.screen else { panic!("not on the weekly report") };
    let report = w.report.as_ref().unwrap();
    assert_eq!(report.week.to_string(), "2026-W48");
    assert_eq!(report.open_series.len(), 12);
    assert_eq!(report.open_series.last().unwrap().open, 13);
    assert_eq!(report.totals.overdue, 9);
    c.snapshot("weekly");
    c.code(KeyCode::Char('h'));
    let Screen::Weekly(w) = &c.app.screen else { panic!() };
    assert_eq!(w.report.as_ref().unwrap().week.to_string(), "2026-W47");
    c.code(KeyCode::Char('l'));
    c.code(KeyCode::Char('l'));
    let Screen::Weekly(w) = &c.app.screen else { panic!() };
    assert_eq!(w.week.to_string(), "2026-W48", "no week after the current one");
}

/// The data rows of an exported CSV (UTF-8 with a BOM) and the column `name` of each.
fn csv_column(path: &std::path::Path, name: &str) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap();
    let text = std::str::from_utf8(&bytes).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a BOM for Excel");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let at = reader.headers().unwrap().iter().position(|h| h == name).unwrap();
    reader.records().map(|r| r.unwrap()[at].to_string()).collect()
}

/// The number of data rows (under the header) of an exported workbook's sheet.
fn xlsx_rows(path: &std::path::Path, sheet: &str) -> usize {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    book.worksheet_range(sheet).unwrap().height() - 1
}

#[test]
fn the_board_exports_what_its_filters_show_as_xlsx_and_csv() {
    let out = tempfile::tempdir().unwrap();
    let mut c = Console::new(12, "王芳");
    c.app.export_dir = out.path().to_path_buf();
    // Every rectification not closed, as XLSX, with the defaults.
    c.chars("x");
    c.code(KeyCode::Enter);
    let xlsx = out.path().join("整改清单-2026-11-29.xlsx");
    assert_eq!(c.message(), (false, format!("已导出 13 行到 {}", xlsx.display())));
    assert!(c.board().export.is_none(), "the form closes");
    assert_eq!(xlsx_rows(&xlsx, "整改清单"), 13);

    // One town only, as CSV: fewer rows, all from that town, phone numbers masked.
    c.chars("t下原镇");
    c.code(KeyCode::Enter);
    assert_eq!(c.board().rows.len(), 12);
    c.chars("x");
    c.code(KeyCode::Tab);
    c.code(KeyCode::Tab);
    c.code(KeyCode::Right); // XLSX → CSV
    c.code(KeyCode::Enter);
    let csv = out.path().join("整改清单-2026-11-29.csv");
    assert_eq!(c.message(), (false, format!("已导出 12 行到 {}", csv.display())));
    let towns = csv_column(&csv, "镇街");
    assert_eq!(towns.len(), 12);
    assert!(towns.iter().all(|t| t == "下原镇"), "{towns:?}");
    let phones = csv_column(&csv, "联系电话");
    assert!(phones.iter().all(|p| p == "139****0000"), "{phones:?}");

    // The same file again, unmasked (王芳 is an admin): overwritten, recorded in the audit log.
    c.chars("x");
    c.code(KeyCode::Tab);
    c.code(KeyCode::Tab);
    c.code(KeyCode::Right); // XLSX → CSV
    c.code(KeyCode::Tab);
    c.code(KeyCode::Right); // 不打码
    c.code(KeyCode::Enter);
    assert_eq!(c.message(), (false, format!("已导出 12 行到 {}（已覆盖原文件）", csv.display())));
    assert!(csv_column(&csv, "联系电话").iter().all(|p| p == "13900000000"));
    let audited: i64 = c
        .executor
        .store
        .conn()
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'export.unmasked' AND actor = '王芳'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 1);

    // The findings (answers of submitted inspections), still for the one town, to a path typed by hand.
    submit_all(&mut c);
    c.chars("x");
    c.code(KeyCode::Right); // 检查记录
    c.code(KeyCode::Tab);
    for _ in 0..200 {
        c.code(KeyCode::Backspace);
    }
    let typed = out.path().join("子目录");
    std::fs::create_dir(&typed).unwrap();
    c.chars(&format!("{}/记录", typed.display()));
    c.code(KeyCode::Enter);
    let findings = typed.join("记录.xlsx");
    assert_eq!(c.message(), (false, format!("已导出 12 行到 {}", findings.display())));
    assert_eq!(xlsx_rows(&findings, "检查记录"), 12);
}

#[test]
fn an_inspector_is_refused_an_unmasked_export_and_keeps_the_form() {
    let out = tempfile::tempdir().unwrap();
    let mut c = Console::new(3, "检查员甲");
    c.app.export_dir = out.path().to_path_buf();
    c.chars("x");
    c.code(KeyCode::Up); // to the masking choice
    c.code(KeyCode::Right);
    c.code(KeyCode::Enter);
    let (error, text) = c.message();
    assert!(error && text.contains("不打码导出需要科室负责人角色"), "{text}");
    let form = c.board().export.as_ref().expect("the form stays open");
    assert_eq!(form.masking, ducha::export::Masking::Unmasked);
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0, "nothing written");
    // Masked, the inspector may export.
    c.code(KeyCode::Left);
    c.code(KeyCode::Enter);
    assert_eq!(
        c.message(),
        (false, format!("已导出 4 行到 {}", out.path().join("整改清单-2026-11-29.xlsx").display()))
    );
}

#[test]
fn the_screen_says_an_export_is_running_before_it_starts() {
    let out = tempfile::tempdir().unwrap();
    let mut c = Console::new(3, "王芳");
    c.app.export_dir = out.path().to_path_buf();
    c.chars("x");
    let mut frames: Vec<String> = Vec::new();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut draw = |app: &App| {
        terminal.draw(|f| view::render(app, f)).unwrap();
        let buffer = terminal.backend().buffer();
        frames.push(buffer.content().iter().map(|cell| cell.symbol()).collect());
    };
    dispatch_drawing(&mut c.app, &mut c.executor, Action::Cmd(keymap::Cmd::Enter), &mut draw);
    assert_eq!(frames.len(), 1, "one frame, drawn before the export ran");
    assert!(frames[0].replace(' ', "").contains("正在导出，请稍候"), "{}", frames[0]);
    // The export runs on its own thread: the console is back at once with the progress line, and the
    // clock ticks that poll it bring its result.
    assert!(c.message().1.starts_with("正在导出 "), "{:?}", c.message());
    let now = c.app.now;
    dispatch(&mut c.app, &mut c.executor, Action::Clock(now));
    assert!(c.message().1.starts_with("已导出 4 行"), "{:?}", c.message());
}

#[test]
fn a_failed_export_shows_why_and_keeps_what_was_typed() {
    let out = tempfile::tempdir().unwrap();
    let mut c = Console::new(3, "王芳");
    c.app.export_dir = out.path().join("没有这个目录");
    c.chars("x");
    c.code(KeyCode::Enter);
    let (error, text) = c.message();
    assert!(error && text.contains("没有这个目录"), "{text}");
    let form = c.board().export.as_ref().expect("the form stays open");
    assert!(form.path.value().ends_with("没有这个目录/整改清单-2026-11-29.xlsx"));
}

#[test]
fn the_export_form() {
    let mut c = Console::new(12, "王芳");
    c.app.export_dir = std::path::PathBuf::from("/home/wang/文档");
    c.chars("x");
    c.snapshot("board_export");
}

/// Pins this thread's store clock to 2026-11-29 09:30 (+08:00) while alive, so inspections start on a known
/// date (it goes into the notice's file name and number).
struct PinnedClock;

impl PinnedClock {
    fn new() -> Self {
        let at =
            chrono::FixedOffset::east_opt(8 * 3600).unwrap().from_local_datetime(&now()).single().unwrap();
        ducha::store::set_clock(Some(at));
        PinnedClock
    }
}

impl Drop for PinnedClock {
    fn drop(&mut self) {
        ducha::store::set_clock(None);
    }
}

/// Submits every inspection of the console's database (the test data leaves them drafts).
fn submit_all(c: &mut Console) {
    let ids: Vec<String> = {
        let conn = c.executor.store.conn();
        let mut stmt = conn.prepare("SELECT id FROM inspections").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    c.executor
        .store
        .write(|tx| -> ducha::store::Result<()> {
            for id in &ids {
                inspections::submit(tx, "王芳", id, &["王芳".into()], "", &[])?;
            }
            Ok(())
        })
        .unwrap();
}

/// A console on the detail of the most urgent rectification (下原镇敬老院, three in its inspection), the
/// inspections submitted when `submit` is set, exports going to `out`.
fn on_detail(user: &str, submit: bool, out: &std::path::Path) -> Console {
    let mut c = Console::new(3, user);
    if submit {
        submit_all(&mut c);
    }
    c.app.export_dir = out.to_path_buf();
    c.code(KeyCode::Enter);
    assert!(c.board().detail.is_some());
    c
}

const NOTICE: &str = "整改通知书-下原镇敬老院-2026-11-29.html";

#[test]
fn the_detail_writes_its_inspections_rectification_notice() {
    let _clock = PinnedClock::new();
    let out = tempfile::tempdir().unwrap();
    let mut c = on_detail("王芳", true, out.path());
    c.chars("p");
    let form = c.board().export.as_ref().expect("the notice form");
    let file = out.path().join(NOTICE);
    assert_eq!(form.path.value(), file.display().to_string());
    c.code(KeyCode::Enter);
    assert_eq!(c.message(), (false, format!("已出具整改通知书 {}（3 项）→ {}", c.number(1), file.display())));
    assert!(c.board().export.is_none(), "the form closes");
    assert!(c.board().detail.is_some(), "on the detail still");
    let page = std::fs::read_to_string(&file).unwrap();
    assert!(page.contains(&c.number(1)), "{page}");
    for n in 1..=3 {
        assert!(page.contains(&format!("二楼疏散通道堆放杂物（{n}）")), "problem {n} in {page}");
    }
    assert!(!page.contains("未公示开奖结果"), "only this inspection's rectifications");

    // Again, to a file typed by hand without an extension: the number is reused.
    c.chars("p");
    for _ in 0..300 {
        c.code(KeyCode::Backspace);
    }
    let typed = out.path().join("再次");
    c.chars(&typed.display().to_string());
    c.code(KeyCode::Enter);
    let again = out.path().join("再次.html");
    assert_eq!(
        c.message(),
        (false, format!("已出具整改通知书 {}（3 项）→ {}", c.number(1), again.display()))
    );
    assert!(std::fs::read_to_string(&again).unwrap().contains(&c.number(1)));
}

#[test]
fn a_notice_is_refused_for_a_draft_an_unregistered_user_and_an_unmasked_inspector() {
    let _clock = PinnedClock::new();
    let out = tempfile::tempdir().unwrap();
    let written = || std::fs::read_dir(out.path()).unwrap().count();

    // The test data leaves the inspection a draft.
    let mut c = on_detail("王芳", false, out.path());
    c.chars("p");
    c.chars("x");
    c.code(KeyCode::Enter);
    let (error, text) = c.message();
    assert!(error && text.contains("尚未提交（草稿）"), "{text}");
    let form = c.board().export.as_ref().expect("the form stays open");
    assert!(form.path.value().ends_with(".htmlx"), "what was typed stays: {}", form.path.value());
    assert_eq!(written(), 0);

    // Someone not registered may not issue a number.
    let mut c = on_detail("路人", true, out.path());
    c.chars("p");
    c.code(KeyCode::Enter);
    let (error, text) = c.message();
    assert!(error && text.contains("用户 路人 未登记"), "{text}");
    assert!(c.board().export.is_some());
    assert_eq!(written(), 0);

    // An inspector may issue it masked, not unmasked.
    let mut c = on_detail("检查员甲", true, out.path());
    c.chars("p");
    c.code(KeyCode::Tab);
    c.code(KeyCode::Right); // 不打码
    c.code(KeyCode::Enter);
    let (error, text) = c.message();
    assert!(error && text.contains("不打码导出需要科室负责人角色"), "{text}");
    let form = c.board().export.as_ref().expect("the form stays open");
    assert_eq!(form.masking, ducha::export::Masking::Unmasked);
    assert_eq!(written(), 0);
    c.code(KeyCode::Left);
    c.code(KeyCode::Enter);
    let file = out.path().join(NOTICE);
    assert_eq!(c.message(), (false, format!("已出具整改通知书 {}（3 项）→ {}", c.number(1), file.display())));
    assert_eq!(written(), 1);
}

#[test]
fn the_notice_form() {
    let _clock = PinnedClock::new();
    let mut c = on_detail("王芳", true, std::path::Path::new("/home/wang/文档"));
    c.chars("p");
    c.snapshot("board_notice");
}
