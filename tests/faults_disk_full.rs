#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A full disk: a save that does not fit fails with a clear error and keeps every answer acknowledged
//! before; a photo bigger than the free space is refused with nothing left behind and attaches once space
//! is freed; an export onto a full disk exits 1 naming the file and keeps an earlier file intact. The full
//! disk is a small tmpfs mount (as root); where mounting is not allowed the test says so and is skipped.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{ducha, temp_db};
use ducha::checklist::sha256_hex;
use ducha::inspection::record::{self, Given};
use ducha::inspection::{Check, Value};
use ducha::store::{Store, evidence};

const ITEM: &str = "license_displayed";

/// A small tmpfs mounted on a temporary folder; unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn new(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"));
        let mounted = root
            && Command::new("mount")
                .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
                .arg(dir.path())
                .status()
                .is_ok_and(|s| s.success());
        if !mounted {
            eprintln!("skipped: a small tmpfs cannot be mounted here (needs root and mount rights)");
            return None;
        }
        Some(Tmpfs { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills the mount until a write fails; returns the filler file.
    fn fill(&self) -> PathBuf {
        let filler = self.path().join("filler");
        let mut f = std::fs::File::create(&filler).unwrap();
        let chunk = vec![0x5Au8; 4096];
        while f.write_all(&chunk).and_then(|()| f.sync_all()).is_ok() {}
        filler
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

/// A seeded database with a draft lottery-outlet inspection whose first item passed.
fn draft(db: &Path) -> (Store, String) {
    let (mut store, id) = common::inspection::outlet_draft(db);
    answer(&mut store, &id, "第一次").unwrap();
    (store, id)
}

fn answer(store: &mut Store, id: &str, note: &str) -> Result<(), String> {
    let opened = record::open(store, id).map_err(|e| e.to_string())?;
    let slot = opened.sheet.slots()[0];
    let item = opened.sheet.item(slot).clone();
    assert_eq!(item.id, ITEM);
    let given = Given { item: &item, instance: 0, value: Value::Check(Check::Pass), note, finding: None };
    record::answer(store, "测试员", id, given).map(|_| ()).map_err(|e| e.to_string())
}

fn note_of(store: &Store, id: &str) -> String {
    store
        .conn()
        .query_row("SELECT note FROM answers WHERE inspection_id = ?1 AND item_id = ?2", [id, ITEM], |r| {
            r.get(0)
        })
        .unwrap()
}

fn integrity(store: &Store) -> String {
    store.conn().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap()
}

#[test]
fn answers_saved_before_the_disk_filled_are_all_kept() {
    let Some(fs) = Tmpfs::new("4m") else { return };
    let db = fs.path().join("d.db");
    let (mut store, id) = draft(&db);
    let filler = fs.fill();
    // Free a little, so that some saves still fit and the disk fills between two of them.
    std::fs::OpenOptions::new()
        .write(true)
        .open(&filler)
        .unwrap()
        .set_len(std::fs::metadata(&filler).unwrap().len().saturating_sub(64 * 1024))
        .unwrap();
    let mut acknowledged = String::from("第一次");
    let mut error = None;
    for i in 0..10_000 {
        let note = format!("第{i}次：{}", "消防通道畅通，".repeat(200));
        match answer(&mut store, &id, &note) {
            Ok(()) => acknowledged = note,
            Err(e) => {
                error = Some(e);
                break;
            }
        }
    }
    let error = error.expect("a save fails once the disk is full");
    assert!(error.contains("full"), "the error should say the disk is full: {error}");
    assert!(!error.contains("panicked"), "{error}");
    drop(store);
    std::fs::remove_file(&filler).unwrap();
    let store = Store::open(&db).unwrap();
    assert_eq!(note_of(&store, &id), acknowledged, "the last acknowledged answer was lost");
    assert_eq!(integrity(&store), "ok");
}

#[test]
fn a_photo_bigger_than_the_free_space_is_refused_leaving_nothing_and_attaches_after_freeing_space() {
    let Some(fs) = Tmpfs::new("4m") else { return };
    let db = fs.path().join("d.db");
    let (mut store, id) = draft(&db);
    let elsewhere = tempfile::tempdir().unwrap();
    let photo = elsewhere.path().join("现场照片.jpg");
    let bytes: Vec<u8> = (0..1_000_000usize).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&photo, &bytes).unwrap();
    let folder = store.evidence_root().join(&id);
    let filler = fs.fill();
    let err = store
        .write(|tx| evidence::attach_file(tx, "测试员", &id, ITEM, 0, &photo, &folder))
        .unwrap_err()
        .to_string();
    assert!(err.contains("No space left on device"), "{err}");
    let left: Vec<_> =
        std::fs::read_dir(&folder).map(|d| d.map(|e| e.unwrap().file_name()).collect()).unwrap_or_default();
    assert!(left.is_empty(), "files left in the evidence folder: {left:?}");
    let count =
        |s: &Store| -> i64 { s.conn().query_row("SELECT count(*) FROM evidence", [], |r| r.get(0)).unwrap() };
    assert_eq!(count(&store), 0);
    std::fs::remove_file(&filler).unwrap();
    let file = store.write(|tx| evidence::attach_file(tx, "测试员", &id, ITEM, 0, &photo, &folder)).unwrap();
    assert_eq!(count(&store), 1);
    let stored = std::fs::read(folder.join(&file.stored_name)).unwrap();
    assert_eq!(sha256_hex(&stored), sha256_hex(&bytes));
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 1, "a temporary file was left beside the photo");
    assert_eq!(integrity(&store), "ok");
}

#[test]
fn an_export_onto_a_full_disk_exits_1_naming_the_file_and_keeps_the_earlier_one() {
    let Some(fs) = Tmpfs::new("2m") else { return };
    let (_dir, db) = temp_db();
    drop(draft(&db));
    for name in ["list.csv", "list.xlsx"] {
        let target = fs.path().join(name);
        ducha(&db).args(["export", "rectifications", "-o"]).arg(&target).assert().success();
        let before = std::fs::read(&target).unwrap();
        let filler = fs.fill();
        let out = ducha(&db).args(["export", "rectifications", "-o"]).arg(&target).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(&target.display().to_string()), "{err}");
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(std::fs::read(&target).unwrap(), before, "{name}: the earlier file changed");
        let mut names: Vec<String> = std::fs::read_dir(fs.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["filler".to_string(), name.to_string()], "a partial file was left");
        std::fs::remove_file(&filler).unwrap();
        std::fs::remove_file(&target).unwrap();
    }
}
