#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Proof of a fix on the board through the real executor, drawn on TestBackend: the fix report's note box
//! with a photo chosen, the detail listing the files under the follow-up they belong to (80×24 Chinese,
//! 40×12, English), and the question before a major hazard is verified without any fix evidence.

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use ducha::config::Settings;
use ducha::i18n::Lang;
use ducha::store::inspections::{self, NewAnswer, NewRectification};
use ducha::store::{Store, audit, fix_evidence, rectifications, set_clock, sites, snapshots};
use ducha::tui::action::Action;
use ducha::tui::app::{App, Screen};
use ducha::tui::effect::{Effect, Executor};
use ducha::tui::screens::board::Board;
use ducha::tui::{dispatch, prepare, view};

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 29).unwrap().and_hms_opt(9, 30, 0).unwrap()
}

/// Writes in this thread happen at 2026-11-29 09:30 (+08:00) and `minutes` more, so the history shows
/// fixed times (and follow-ups written later sort after the earlier ones).
fn fixed_clock(minutes: i64) {
    let at = now() + chrono::Duration::minutes(minutes);
    set_clock(Some(FixedOffset::east_opt(8 * 3600).unwrap().from_local_datetime(&at).unwrap()));
}

/// One major-hazard rectification at 下原镇敬老院, raised by 王芳 (the first user, an admin).
fn database(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("ducha.db");
    let mut store = Store::open(&path).unwrap();
    ducha::app::seed(&mut store, "王芳").unwrap();
    let snapshot =
        snapshots::list(store.conn()).unwrap().into_iter().find(|s| s.domain == "elderly_care").unwrap();
    let home = sites::by_code(store.conn(), "YL012").unwrap().unwrap();
    store
        .write(|tx| -> ducha::store::Result<()> {
            let insp = inspections::create(tx, "王芳", &home.id, &snapshot.id, &["王芳".into()])?;
            let answer = fail_item(tx, "王芳", &insp, "exit_unblocked")?;
            let r = NewRectification {
                answer_id: &answer,
                item_id: "exit_unblocked",
                instance: 0,
                problem: "二楼疏散通道堆放杂物",
                basis: "GB 38600-2019 第 5.3 条",
                severity: "critical",
                major_hazard: true,
                requirement: "立即清理，保持畅通",
                deadline: "2026-12-10",
                responsible: "李院长",
                phone: "13900000000",
            };
            rectifications::create(tx, "王芳", &insp, &home.id, &r, "2026-11-10T09:00:00+08:00")?;
            Ok(())
        })
        .unwrap();
    path
}

struct Console {
    dir: tempfile::TempDir,
    app: App,
    executor: Executor,
}

impl Console {
    fn new(lang: Lang) -> Self {
        fixed_clock(0);
        let dir = tempfile::tempdir().unwrap();
        let db = database(dir.path());
        let settings = Settings { db, checklists: None, lang, user: "王芳".into(), config_file: None };
        let (mut app, mut executor) = prepare(&settings).unwrap();
        app.now = now();
        let first = executor.run(Effect::LoadHome);
        dispatch(&mut app, &mut executor, first);
        let mut c = Console { dir, app, executor };
        c.chars("b");
        c.code(KeyCode::Enter);
        assert!(c.board().detail.is_some());
        c
    }

    fn key(&mut self, ev: KeyEvent) {
        dispatch(&mut self.app, &mut self.executor, Action::Clock(now()));
        let Some(action) = self.app.action_for(ev) else { return };
        dispatch(&mut self.app, &mut self.executor, action);
    }

    fn code(&mut self, code: KeyCode) {
        self.key(KeyEvent::new(code, KeyModifiers::NONE));
    }

    fn ctrl(&mut self, c: char) {
        self.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
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

    /// A photo in the test's folder (its bytes fixed, so its SHA-256 prefix is too).
    fn photo(&self, name: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, format!("照片 {name}")).unwrap();
        path.display().to_string()
    }

    /// Reports the fix with the files typed on the evidence line, one by one.
    fn report_fix(&mut self, note: &str, files: &[String]) {
        self.chars("r");
        self.chars(note);
        self.code(KeyCode::Tab);
        for f in files {
            self.chars(f);
            self.code(KeyCode::Enter);
        }
    }

    fn screen_at(&self, w: u16, h: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal.draw(|frame| view::render(&self.app, frame)).unwrap();
        terminal.backend().to_string()
    }

    fn snapshot_at(&self, name: &str, w: u16, h: u16) {
        let screen = self.screen_at(w, h);
        insta::assert_snapshot!(name, screen);
    }
}

#[test]
fn a_fix_reported_with_photos_shows_them_under_its_follow_up() {
    let mut c = Console::new(Lang::Zh);
    let files = [c.photo("安全出口.jpg"), c.photo("新许可证.png")];
    c.report_fix("已清理", &files);
    c.snapshot_at("proof_report_box", 80, 24);
    c.snapshot_at("proof_report_box_40x12", 40, 12);
    c.ctrl('s');
    let detail = c.board().detail.as_ref().unwrap();
    assert_eq!(detail.rect.status, "fix_reported");
    assert_eq!(detail.fix_evidence.len(), 2);
    c.snapshot_at("proof_detail", 80, 24);
    c.code(KeyCode::End);
    c.snapshot_at("proof_detail_40x12_end", 40, 12);

    // Verified with one more photo: no question (the fix report carried evidence), each file on its event.
    fixed_clock(10);
    let more = c.photo("复查.jpg");
    c.chars("v");
    c.chars("现场复查通过");
    c.code(KeyCode::Tab);
    c.chars(&more);
    c.code(KeyCode::Enter);
    c.code(KeyCode::BackTab);
    c.code(KeyCode::Enter);
    let detail = c.board().detail.as_ref().unwrap();
    assert_eq!(detail.rect.status, "verified");
    let verify = &detail.events.last().unwrap().id;
    let on_verify: Vec<&str> =
        detail.fix_evidence.iter().filter(|f| &f.event_id == verify).map(|f| f.name()).collect();
    assert_eq!(on_verify, vec!["复查.jpg"], "the new photo on the verification, the others on the report");
    c.code(KeyCode::End);
    c.snapshot_at("proof_detail_verified", 80, 24);
}

#[test]
fn in_english_the_detail_names_the_fix_evidence() {
    let mut c = Console::new(Lang::En);
    let files = [c.photo("exit.jpg")];
    c.report_fix("cleared", &files);
    c.ctrl('s');
    c.snapshot_at("proof_detail_en", 80, 24);
}

#[test]
fn a_major_hazard_verified_without_fix_evidence_is_asked_about_then_recorded() {
    let mut c = Console::new(Lang::Zh);
    c.report_fix("已清理", &[]);
    c.ctrl('s');
    assert_eq!(c.board().detail.as_ref().unwrap().rect.status, "fix_reported");
    fixed_clock(10);
    c.chars("v");
    c.chars("现场看过");
    c.code(KeyCode::Enter);
    assert!(c.board().prompt.as_ref().unwrap().proof.confirming, "asked");
    c.snapshot_at("proof_confirm", 80, 24);
    c.snapshot_at("proof_confirm_20x5", 20, 5);
    c.code(KeyCode::Esc);
    assert_eq!(c.board().detail.as_ref().unwrap().rect.status, "fix_reported", "Esc writes nothing");
    c.code(KeyCode::Enter);
    c.code(KeyCode::Enter);
    let detail = c.board().detail.as_ref().unwrap();
    assert_eq!(detail.rect.status, "verified");
    let store = Store::open(&c.dir.path().join("ducha.db")).unwrap();
    assert!(fix_evidence::for_rectification(store.conn(), &detail.rect.id).unwrap().is_empty());
    let audited = audit::for_entity(store.conn(), "rectification", &detail.rect.id).unwrap();
    assert!(audited.iter().any(|a| a.action == "rectification.verify_without_evidence"));
}
