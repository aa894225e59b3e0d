#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The failure form on a real (temporary) database, driven by keys and effect results through
//! `dispatch` as the event loop does: its draft survives the console going away, the picker lists a
//! folder with EXIF times and attaches several files, and snapshots of the form at 80×24, at 40×12 with
//! the focus low in the form, at 20×5, and below that (终端窗口太小).

use std::path::Path;

mod common;

use chrono::Duration;
use ratatui::crossterm::event::KeyCode;

use common::console::Console;
use ducha::i18n::Lang;
use ducha::tui::action::Action;
use ducha::tui::app::Screen;
use ducha::tui::screens::finding::FindingForm;
use ducha::tui::screens::inspect::Mode;

impl Console {
    /// The clock moving on by `ms` with no key (the event loop's idle tick).
    fn idle(&mut self, ms: i64) {
        self.app.now += Duration::milliseconds(ms);
        self.act(Action::Clock(self.app.now));
    }

    fn form(&self) -> &FindingForm {
        match &self.inspect().mode {
            Mode::Finding(f) => f,
            other => panic!("the failure form is not open: {other:?}"),
        }
    }

    /// n → 养老机构 → 下原镇敬老院 → its checklist → inspectors → the first item, failed (the form opens).
    fn failing(&mut self) {
        self.code(KeyCode::Char('n'));
        self.code(KeyCode::Enter);
        self.chars("xyz");
        let Screen::New(new) = &self.app.screen else { panic!("not on the new-inspection screen") };
        let position = new.filtered().iter().position(|s| s.fields.name == "下原镇敬老院").unwrap();
        for _ in 0..position {
            self.code(KeyCode::Down);
        }
        for _ in 0..3 {
            self.code(KeyCode::Enter);
        }
        self.code(KeyCode::Char('2'));
        let _ = self.form();
    }

    fn tab_to(&mut self, field: usize) {
        for _ in 0..10 {
            if self.form().focus == field {
                return;
            }
            self.code(KeyCode::Tab);
        }
        panic!("no field {field}");
    }

    fn snapshot(&self, name: &str, w: u16, h: u16, tmp: &Path) {
        let screen = self.screen_at(w, h);
        let mut settings = insta::Settings::clone_current();
        settings.add_filter(&regex_escape(&tmp.display().to_string()), "[TMP]");
        // File times are local times of the machine running the test; EXIF times are fixed.
        settings.add_filter(r"\d{4}-\d\d-\d\d \d\d:\d\d 修改", "YYYY-MM-DD hh:mm 修改");
        settings.bind(|| insta::assert_snapshot!(name, screen));
    }
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '/' { c.to_string() } else { format!("\\{c}") })
        .collect()
}

/// A JPEG whose EXIF says it was taken at `when` (`2026:11:28 08:15:00`).
fn jpeg_with_exif(when: &str) -> Vec<u8> {
    let field = exif::Field {
        tag: exif::Tag::DateTimeOriginal,
        ifd_num: exif::In::PRIMARY,
        value: exif::Value::Ascii(vec![when.as_bytes().to_vec()]),
    };
    let mut writer = exif::experimental::Writer::new();
    writer.push_field(&field);
    let mut tiff = std::io::Cursor::new(Vec::new());
    writer.write(&mut tiff, false).unwrap();
    let tiff = tiff.into_inner();
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend_from_slice(&u16::try_from(2 + 6 + tiff.len()).unwrap().to_be_bytes());
    out.extend_from_slice(b"Exif\0\0");
    out.extend_from_slice(&tiff);
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

fn write_at(path: &Path, bytes: &[u8], unix: u64) {
    std::fs::write(path, bytes).unwrap();
    let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(unix);
    std::fs::File::options().write(true).open(path).unwrap().set_modified(at).unwrap();
}

/// A folder as a phone's photos land on a laptop: an EXIF photo, a newer scan, an older photo, and a
/// file the picker leaves out.
fn photo_folder(dir: &Path) -> std::path::PathBuf {
    let folder = dir.join("照片");
    std::fs::create_dir(&folder).unwrap();
    // File times 2026-11-20 12:00 UTC (the photo, taken 11-28 by its EXIF), 11-29 12:00 and 11-20 11:00.
    write_at(&folder.join("整改前-北门.jpg"), &jpeg_with_exif("2026:11:28 08:15:00"), 1_795_176_000);
    write_at(&folder.join("消防检查记录扫描.pdf"), &vec![b'%'; 120_000], 1_795_953_600);
    write_at(&folder.join("IMG_0042.png"), &vec![7u8; 2_400_000], 1_795_176_000 - 3_600);
    std::fs::write(folder.join("说明.exe"), b"MZ").unwrap();
    folder
}

#[test]
fn a_draft_typed_in_the_failure_form_is_back_when_the_console_opens_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ducha.db");
    let mut c = Console::open(&db, "王芳", Lang::Zh);
    c.failing();
    c.chars("北门上锁，钥匙不在值班室");
    c.idle(250);
    c.idle(1_250);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let fields: String = conn.query_row("SELECT fields FROM form_drafts", [], |r| r.get(0)).unwrap();
    assert!(fields.contains("北门上锁，钥匙不在值班室"), "{fields}");
    // The console goes away without Ctrl-S (a crash: nothing more runs).
    drop(c);

    let mut c = Console::open(&db, "王芳", Lang::Zh);
    c.code(KeyCode::Enter); // resume the draft from home
    let form = c.form();
    assert_eq!(form.problem.text(), "北门上锁，钥匙不在值班室", "the form reopens as typed");
    assert_eq!(c.inspect().opened.sheet.item(form.slot).id, "fire_responsible");
    // This item demands a photo: a typed path attaches one, then Ctrl-S saves without a warning.
    let photo = dir.path().join("北门.jpg");
    std::fs::write(&photo, jpeg_with_exif("2026:11:29 09:00:00")).unwrap();
    c.tab_to(5);
    c.chars(&photo.display().to_string());
    c.code(KeyCode::Enter);
    assert_eq!(c.form().files.iter().map(|f| f.name()).collect::<Vec<_>>(), ["北门.jpg"]);
    c.ctrl('s');
    assert!(matches!(c.inspect().mode, Mode::Browse), "saved: {:?}", c.app.message);
    assert!(c.app.message.as_ref().is_none_or(|m| !m.error), "{:?}", c.app.message);
    let drafts: i64 = conn.query_row("SELECT count(*) FROM form_drafts", [], |r| r.get(0)).unwrap();
    assert_eq!(drafts, 0, "the saved finding replaces its draft");
    let problem: String = conn
        .query_row("SELECT problem FROM answers WHERE item_id = 'fire_responsible'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(problem, "北门上锁，钥匙不在值班室");
}

#[test]
fn the_picker_lists_a_folder_newest_first_with_exif_times_and_attaches_several_files() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ducha.db");
    let folder = photo_folder(dir.path());
    let mut c = Console::open(&db, "王芳", Lang::Zh);
    c.failing();
    c.chars("北门上锁");
    c.tab_to(5);
    c.code(KeyCode::Enter);
    c.code(KeyCode::Tab);
    for _ in 0..200 {
        c.code(KeyCode::Backspace);
    }
    c.chars(&folder.display().to_string());
    c.code(KeyCode::Enter);
    let picker = c.form().picker.as_ref().expect("the picker is open");
    let names: Vec<&str> = picker.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["消防检查记录扫描.pdf", "整改前-北门.jpg", "IMG_0042.png"]);
    assert!(picker.files[1].exif, "the photo's time is when it was taken");
    c.snapshot("picker_80x24", 80, 24, dir.path());
    c.code(KeyCode::Char(' '));
    c.code(KeyCode::Char(' '));
    c.code(KeyCode::Enter);
    let form = c.form();
    let attached: Vec<&str> = form.files.iter().map(|f| f.name()).collect();
    assert_eq!(attached, ["消防检查记录扫描.pdf", "整改前-北门.jpg"]);
    assert_eq!(form.evidence_count, 2);
    c.snapshot("failure_form_with_files_80x24", 80, 24, dir.path());

    // The folder is remembered: the next picker opens on it.
    c.code(KeyCode::Enter);
    let picker = c.form().picker.as_ref().unwrap();
    assert_eq!(picker.folder.value(), folder.display().to_string());
}

#[test]
fn the_failure_form_keeps_the_focused_field_on_screen_down_to_20x5() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ducha.db");
    let mut c = Console::open(&db, "王芳", Lang::Zh);
    c.failing();
    c.chars("北门上锁");
    c.tab_to(4);
    c.chars("刘院长");
    let small = c.screen_at(40, 12);
    assert!(small.contains("刘院长"), "the responsible person is on screen at 40×12:\n{small}");
    c.snapshot("failure_form_40x12_responsible", 40, 12, dir.path());
    c.tab_to(0);
    c.snapshot("failure_form_40x12_problem", 40, 12, dir.path());
    c.tab_to(3);
    let tiny = c.screen_at(20, 5);
    assert!(tiny.contains("2026-12"), "the deadline is on screen at 20×5:\n{tiny}");
    c.snapshot("failure_form_20x5_deadline", 20, 5, dir.path());
    for (w, h) in [(19, 5), (20, 4), (8, 2)] {
        let tinier = c.screen_at(w, h);
        assert!(tinier.contains("终端窗口") || tinier.contains("终端"), "{w}×{h}:\n{tinier}");
    }
    c.snapshot("too_small_19x5", 19, 5, dir.path());
}

#[test]
fn the_failure_form_in_english_at_40x12() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ducha.db");
    let mut c = Console::open(&db, "王芳", Lang::En);
    c.failing();
    c.tab_to(1);
    c.snapshot("failure_form_40x12_en_severity", 40, 12, dir.path());
}

#[test]
fn an_end_time_before_its_start_is_refused_when_it_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ducha.db");
    let mut c = Console::open(&db, "王芳", Lang::Zh);
    c.failing();
    c.code(KeyCode::Esc);
    let at = |c: &Console, id: &str| {
        let i = c.inspect();
        i.entries
            .iter()
            .position(|e| matches!(e, ducha::tui::screens::inspect::Entry::Slot(s) if i.opened.sheet.item(*s).id == id))
            .unwrap()
    };
    let source = at(&c, "drill_source");
    let Screen::Inspect(i) = &mut c.app.screen else { panic!() };
    i.cursor = source;
    c.code(KeyCode::Char('1')); // 现场演练: the start and end are asked next
    assert_eq!(c.inspect().cursor, at(&c, "drill_start"));
    c.code(KeyCode::Enter);
    for _ in 0..20 {
        c.code(KeyCode::Backspace);
    }
    c.chars("2026-11-29 10:00");
    c.code(KeyCode::Enter);
    assert_eq!(c.inspect().cursor, at(&c, "drill_end"), "the start is saved");
    c.code(KeyCode::Enter);
    for _ in 0..20 {
        c.code(KeyCode::Backspace);
    }
    c.chars("2026-11-29 09:40");
    c.code(KeyCode::Enter);
    let Mode::Edit { error, .. } = &c.inspect().mode else { panic!("the editor stays open") };
    assert_eq!(error.as_deref(), Some("结束时间早于“演练开始时间”（2026-11-29 10:00）"));
    for _ in 0..20 {
        c.code(KeyCode::Backspace);
    }
    c.chars("2026-11-29 10:40");
    c.code(KeyCode::Enter);
    assert!(matches!(c.inspect().mode, Mode::Browse), "a later end is saved");
}
