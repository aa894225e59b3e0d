#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The board tab on TestBackend at 80×24: the urgency-ordered list, filters, paging as the cursor moves,
//! the detail with its history, and follow-ups (with role refusals) through the real executor.

use chrono::{NaiveDate, NaiveDateTime};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use ducha::config::Settings;
use ducha::i18n::Lang;
use ducha::roles::Role;
use ducha::store::inspections::{self, NewAnswer, NewRectification};
use ducha::store::{Store, rectifications, sites, snapshots, users};
use ducha::tui::action::Action;
use ducha::tui::app::{App, Screen};
use ducha::tui::effect::{Effect, Executor};
use ducha::tui::screens::board::Board;
use ducha::tui::{dispatch, keymap, prepare, view};

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 29).unwrap().and_hms_opt(9, 30, 0).unwrap()
}

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
                    let answer = inspections::save_answer(
                        tx,
                        "王芳",
                        &insp,
                        &NewAnswer {
                            item_id: &item,
                            instance: 0,
                            value: "fail",
                            outcome: "fail",
                            note: "",
                            finding: None,
                        },
                    )?;
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

struct Console {
    _dir: tempfile::TempDir,
    app: App,
    executor: Executor,
}

impl Console {
    fn new(count: u32, user: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = database(dir.path(), count);
        let settings =
            Settings { db, checklists: None, lang: Lang::Zh, user: user.into(), config_file: None };
        let (mut app, mut executor) = prepare(&settings).unwrap();
        app.now = now();
        let first = executor.run(Effect::LoadHome);
        dispatch(&mut app, &mut executor, first);
        let mut c = Console { _dir: dir, app, executor };
        c.chars("b");
        c
    }

    fn key(&mut self, ev: KeyEvent) {
        dispatch(&mut self.app, &mut self.executor, Action::Clock(now()));
        let action = match keymap::resolve(&self.app.contexts(), &ev) {
            Some(cmd) => Action::Cmd(cmd),
            None if self.app.editing() => Action::Key(ev),
            None => return,
        };
        dispatch(&mut self.app, &mut self.executor, action);
    }

    fn code(&mut self, code: KeyCode) {
        self.key(KeyEvent::new(code, KeyModifiers::NONE));
    }

    fn chars(&mut self, text: &str) {
        for c in text.chars() {
            self.code(KeyCode::Char(c));
        }
    }

    fn board(&self) -> &Board {
        match &self.app.screen {
            Screen::Board(b) => b,
            other => panic!("not on the board: {other:?}"),
        }
    }

    fn screen(&self) -> String {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal.draw(|frame| view::render(&self.app, frame)).unwrap();
        terminal.backend().to_string()
    }

    fn snapshot(&self, name: &str) {
        let screen = self.screen();
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

    let mut c = Console::new(3, "检查员甲");
    c.code(KeyCode::Enter);
    c.code(KeyCode::Char('e'));
    c.chars("等待施工");
    c.code(KeyCode::Tab);
    for _ in 0..10 {
        c.code(KeyCode::Backspace);
    }
    c.chars("2027-01-15");
    c.code(KeyCode::Enter);
    let message = c.app.message.clone().unwrap();
    assert!(message.error && message.text.contains("延期需要科室负责人角色"), "{message:?}");
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
