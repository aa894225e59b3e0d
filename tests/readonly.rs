#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A database on read-only media (a CD, a write-protected USB stick, a read-only mount): the reading
//! commands work, opening it neither needs nor makes `-wal`/`-shm` files, a command that writes is refused
//! with a message naming the file once, and the console opens it for browsing and says why answering is
//! off. As root, permissions do not stop writing, so the file is put on a read-only tmpfs mount; where
//! mounting is not allowed (and as root) the test says so and is skipped. As another user, the file is
//! made 0444 in a 0555 folder.

mod common;
mod pty;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{ducha, temp_db};

/// A folder holding a copy of a ducha database that cannot be written; made writable again when dropped.
struct ReadOnlyPlace {
    dir: tempfile::TempDir,
    db: PathBuf,
    mounted: bool,
}

impl ReadOnlyPlace {
    /// A demo-free database (created by `ducha status`, so seeded and in WAL mode, the case SQLite cannot
    /// open read-only without help) copied to a read-only place; `None` (with a note) where none can be made.
    fn new() -> Option<ReadOnlyPlace> {
        let (_src_dir, src) = temp_db();
        ducha(&src).arg("status").assert().success();
        let journal: String = rusqlite::Connection::open(&src)
            .unwrap()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(journal, "wal");
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("d.db");
        let root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"));
        if root {
            let mount = |args: &[&str]| Command::new("mount").args(args).arg(dir.path()).status();
            if !mount(&["-t", "tmpfs", "-o", "size=16m", "tmpfs"]).is_ok_and(|s| s.success()) {
                eprintln!("skipped: running as root, and no tmpfs can be mounted to make a read-only place");
                return None;
            }
            std::fs::copy(&src, &db).unwrap();
            if !mount(&["-o", "remount,ro"]).is_ok_and(|s| s.success()) {
                let _ = Command::new("umount").arg(dir.path()).status();
                eprintln!("skipped: the tmpfs could not be remounted read-only");
                return None;
            }
            Some(ReadOnlyPlace { dir, db, mounted: true })
        } else {
            use std::os::unix::fs::PermissionsExt;
            std::fs::copy(&src, &db).unwrap();
            std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
            Some(ReadOnlyPlace { dir, db, mounted: false })
        }
    }

    fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for ReadOnlyPlace {
    fn drop(&mut self) {
        if self.mounted {
            let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
        } else {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(self.dir.path(), std::fs::Permissions::from_mode(0o755));
        }
    }
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn reading_commands_work_on_a_read_only_database_and_make_no_files_beside_it() {
    let Some(place) = ReadOnlyPlace::new() else { return };
    let before = place.files();
    assert_eq!(before, ["d.db"]);
    let db = &place.db;
    let status = ducha(db).arg("status").output().unwrap();
    assert!(status.status.success(), "{}", stderr(&status));
    assert!(String::from_utf8_lossy(&status.stdout).contains("schema version"));
    for args in [
        &["sites", "list"][..],
        &["users", "list"],
        &["plan", "list"],
        &["conflicts", "list"],
        &["report", "weekly"],
        &["report", "duty"],
        &["verify"],
    ] {
        let out = ducha(db).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?} on a read-only database: {}", stderr(&out));
    }
    // An export goes elsewhere; it works, and says it could not be put on the record.
    let out_dir = tempfile::tempdir().unwrap();
    let csv = out_dir.path().join("整改清单.csv");
    let out = ducha(db).args(["export", "rectifications", "-o"]).arg(&csv).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(csv.is_file());
    let err = stderr(&out);
    assert!(err.contains("could not be recorded in the audit log: the database is read-only"), "{err}");
    assert_eq!(place.files(), before, "no -wal, -shm or journal file was made");
}

#[test]
fn a_command_that_writes_is_refused_on_a_read_only_database_naming_the_file_once() {
    let Some(place) = ReadOnlyPlace::new() else { return };
    let registry = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sites.csv");
    for lang in ["en", "zh"] {
        let out = ducha(&place.db).args(["--lang", lang, "sites", "import"]).arg(&registry).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        let shown = place.db.display().to_string();
        assert_eq!(err.matches(&shown).count(), 1, "the path once: {err}");
        assert!(err.contains(if lang == "en" { "is read-only" } else { "只读" }), "{err}");
    }
    assert_eq!(place.files(), ["d.db"]);
}

#[test]
fn the_console_browses_a_read_only_database_and_says_why_answering_is_off() {
    let Some(place) = ReadOnlyPlace::new() else { return };
    let mut con = pty::Console::start(&place.db, &[]);
    con.wait_for("只读：数据库所在位置不可写");
    // Starting an inspection is refused with the same words instead of failing.
    con.send("n");
    con.wait_for("选择检查领域");
    for _ in 0..4 {
        con.send(pty::ENTER);
    }
    con.wait_for("不能作答或修改");
    let killed = Command::new("kill").args(["-TERM", &con.pid().to_string()]).status().unwrap();
    assert!(killed.success());
    assert!(con.wait_exit(pty::TIMEOUT).success());
    assert_eq!(place.files(), ["d.db"]);
}

#[test]
fn a_store_opened_read_only_refuses_writes_and_the_console_executor_refuses_edits_with_the_reason() {
    use ducha::tui::effect::{Effect, Executor, read_only_note};
    let (_dir, db) = temp_db();
    ducha(&db).arg("status").assert().success();
    let mut store = ducha::store::Store::open_read_only(&db).unwrap();
    assert!(store.is_read_only());
    let write = store.write(|tx| tx.execute("DELETE FROM sites", []).map_err(ducha::store::StoreError::from));
    assert!(write.is_err(), "a read-only store refuses a write");
    let mut executor = Executor::new(store, vec![], "王芳".into(), ducha::i18n::Lang::Zh);
    let submit = Effect::Submit {
        inspection_id: "x".into(),
        inspectors: vec![],
        representative: String::new(),
        seen: Default::default(),
    };
    let note = read_only_note(ducha::i18n::Lang::Zh);
    assert!(matches!(executor.run(submit), ducha::tui::action::Action::Failed(t) if t == note));
    let resume = Effect::Resume { inspection_id: "x".into(), at: "a".into() };
    assert!(matches!(executor.run(resume), ducha::tui::action::Action::Done), "moving about is not refused");
    assert!(matches!(executor.run(Effect::LoadHome), ducha::tui::action::Action::HomeLoaded(_)));
    drop(executor);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let sites: i64 = conn.query_row("SELECT count(*) FROM sites", [], |r| r.get(0)).unwrap();
    assert!(sites > 0);
}
