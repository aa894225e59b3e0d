#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Evidence files on a real database: a truncated file left by a failed copy is rewritten when the photo
//! is attached again, `ducha verify` names a truncated file, the same photo is not attached twice, and a
//! wrong file removed from a draft keeps its stored copy and its audit record (refused once submitted).

mod common;

use std::path::{Path, PathBuf};

use common::{ducha, temp_db};
use ducha::checklist::sha256_hex;
use ducha::inspection::record::{self, Given};
use ducha::inspection::{Check, Value};
use ducha::store::{Store, audit, evidence};

const ITEM: &str = "license_displayed";

/// A seeded database with a draft lottery-outlet inspection whose first item failed. Returns the store,
/// the inspection id and its evidence folder.
fn failed_draft(db: &Path) -> (Store, String, PathBuf) {
    let (store, id, item) = common::inspection::outlet_failed_draft(db);
    assert_eq!(item, ITEM);
    let folder = store.evidence_root().join(&id);
    (store, id, folder)
}

fn attach(
    store: &mut Store,
    id: &str,
    source: &Path,
    folder: &Path,
) -> ducha::store::Result<evidence::EvidenceFile> {
    store.write(|tx| evidence::attach_file(tx, "测试员", id, ITEM, 0, source, folder))
}

/// A photo of `n` bytes that differ along the file (a truncated copy cannot pass for it).
fn photo(dir: &Path, name: &str, n: usize) -> (PathBuf, Vec<u8>) {
    let bytes: Vec<u8> = (0..n).map(|i| (i * 7 % 251) as u8).collect();
    let path = dir.join(name);
    std::fs::write(&path, &bytes).unwrap();
    (path, bytes)
}

#[test]
fn a_truncated_copy_left_by_a_failed_attach_is_rewritten_when_the_photo_is_attached_again() {
    let (dir, db) = temp_db();
    let (mut store, id, folder) = failed_draft(&db);
    let (source, bytes) = photo(dir.path(), "门头.jpg", 200_000);
    let sha = sha256_hex(&bytes);
    // What a copy that failed halfway (disk full) would have left under the real name.
    let target = folder.join(format!("{}-门头.jpg", &sha[..12]));
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(&target, &bytes[..70_000]).unwrap();

    let file = attach(&mut store, &id, &source, &folder).unwrap();
    assert_eq!(folder.join(&file.stored_name), target);
    assert_eq!(
        std::fs::read(&target).unwrap(),
        bytes,
        "the truncated leftover is replaced by the whole photo"
    );
    assert_eq!(file.bytes, 200_000);
    let leftovers: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".ducha-evidence-"))
        .collect();
    assert_eq!(leftovers, Vec::<String>::new(), "no temporary file stays behind");
    drop(store);
    let out = ducha(&db).args(["--lang", "en", "verify"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn verify_names_an_evidence_file_cut_short() {
    let (dir, db) = temp_db();
    let (mut store, id, folder) = failed_draft(&db);
    let (source, bytes) = photo(dir.path(), "现场.jpg", 5_000);
    let file = attach(&mut store, &id, &source, &folder).unwrap();
    drop(store);
    let stored = folder.join(&file.stored_name);
    std::fs::write(&stored, &bytes[..1_234]).unwrap();
    let out = ducha(&db).args(["--lang", "en", "verify"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "evidence file {} of inspection {id} has 1234 bytes, not the 5000 recorded",
            stored.display()
        )),
        "{stdout}"
    );
}

#[test]
fn the_same_photo_is_not_attached_twice_to_one_item() {
    let (dir, db) = temp_db();
    let (mut store, id, folder) = failed_draft(&db);
    let (source, _) = photo(dir.path(), "门头.jpg", 1_000);
    attach(&mut store, &id, &source, &folder).unwrap();
    let copy = dir.path().join("门头 副本.jpg");
    std::fs::copy(&source, &copy).unwrap();
    let err = attach(&mut store, &id, &copy, &folder).unwrap_err();
    assert!(err.to_string().contains("already attached"), "{err}");
    let rows: i64 = store.conn().query_row("SELECT count(*) FROM evidence", [], |r| r.get(0)).unwrap();
    assert_eq!(rows, 1);
}

#[test]
fn a_wrong_file_removed_from_a_draft_keeps_its_copy_and_audit_record_but_not_after_submit() {
    let (dir, db) = temp_db();
    let (mut store, id, folder) = failed_draft(&db);
    let (right, _) = photo(dir.path(), "代销证.jpg", 3_000);
    let (wrong, wrong_bytes) = photo(dir.path(), "自拍.jpg", 4_000);
    let kept = attach(&mut store, &id, &right, &folder).unwrap();
    let removed = attach(&mut store, &id, &wrong, &folder).unwrap();

    let gone = store.write(|tx| evidence::detach(tx, "测试员", &id, &removed.id)).unwrap();
    assert_eq!(gone.name(), "自拍.jpg");
    let opened = record::open(&store, &id).unwrap();
    let names: Vec<String> =
        opened.sheet.evidence_files[&(ITEM.to_string(), 0)].iter().map(|f| f.name().to_string()).collect();
    assert_eq!(names, ["代销证.jpg"], "the item lists the files still attached, by name");
    let slot = opened.sheet.slots()[0];
    assert_eq!(opened.sheet.answer(slot).unwrap().evidence, 1);
    assert_eq!(
        std::fs::read(folder.join(&removed.stored_name)).unwrap(),
        wrong_bytes,
        "the stored copy stays"
    );
    let answer = ducha::store::inspections::latest_answer(store.conn(), &id, ITEM, 0).unwrap().unwrap();
    let detach = audit::for_entity(store.conn(), "answer", &answer.id)
        .unwrap()
        .into_iter()
        .find(|r| r.action == "evidence.detach")
        .expect("the removal is audited");
    let old = format!("{:?}", detach);
    assert!(old.contains(&removed.stored_name) && old.contains(&sha256_hex(&wrong_bytes)), "{old}");

    let err = store.write(|tx| evidence::detach(tx, "测试员", &id, &removed.id)).unwrap_err();
    assert!(err.to_string().contains("not attached"), "{err}");

    // Submitted: the evidence stays.
    // Answering may show conditional items: go round until nothing required is missing.
    let slots: Vec<_> = record::open(&store, &id).unwrap().sheet.slots();
    for slot in (0..4).flat_map(|_| slots.iter().copied()) {
        let opened = record::open(&store, &id).unwrap();
        if opened.sheet.answer(slot).is_none() && opened.sheet.visible(slot) {
            let item = opened.sheet.item(slot).clone();
            let value = match &item.kind {
                ducha::checklist::AnswerKind::Check => Value::Check(Check::Pass),
                ducha::checklist::AnswerKind::Choice(o) => {
                    Value::Choice(o.iter().find(|o| !o.fail).unwrap().key.clone())
                }
                kind => {
                    Value::parse_input(kind, "300").or_else(|_| Value::parse_input(kind, "已核实")).unwrap()
                }
            };
            let given = Given { item: &item, instance: slot.instance, value, note: "", finding: None };
            record::answer(&mut store, "测试员", &id, given).unwrap();
        }
    }
    let opened = record::open(&store, &id).unwrap();
    record::submit(&mut store, "测试员", &opened, &["测试员".into()], "王成兵").unwrap();
    let err = store.write(|tx| evidence::detach(tx, "测试员", &id, &kept.id)).unwrap_err();
    assert!(err.to_string().contains("submitted"), "{err}");
}
