#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Proof of a fix on the board through the real executor, drawn on TestBackend: the fix report's note box
//! with a photo chosen, the detail listing the files under the follow-up they belong to (80×24 Chinese,
//! 40×12, English), and the question before a major hazard is verified without any fix evidence.

mod common;

use chrono::{FixedOffset, TimeZone};
use ratatui::crossterm::event::KeyCode;

use common::console::{Console, now};
use common::inspection::fail_item;
use ducha::i18n::Lang;
use ducha::store::inspections::{self, NewRectification};
use ducha::store::{Store, audit, fix_evidence, rectifications, set_clock, sites, snapshots};

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

impl Console {
    /// 王芳 on the board with the detail of the one rectification open, writes at the fixed clock.
    fn new(lang: Lang) -> Self {
        fixed_clock(0);
        let dir = tempfile::tempdir().unwrap();
        let db = database(dir.path());
        let mut c = Console::open(&db, "王芳", lang).holding(dir);
        c.chars("b");
        c.code(KeyCode::Enter);
        assert!(c.board().detail.is_some());
        c
    }

    /// A photo in the test's folder (its bytes fixed, so its SHA-256 prefix is too).
    fn photo(&self, name: &str) -> String {
        let path = self.dir().join(name);
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
    let store = Store::open(&c.db).unwrap();
    assert!(fix_evidence::for_rectification(store.conn(), &detail.rect.id).unwrap().is_empty());
    let audited = audit::for_entity(store.conn(), "rectification", &detail.rect.id).unwrap();
    assert!(audited.iter().any(|a| a.action == "rectification.verify_without_evidence"));
}
