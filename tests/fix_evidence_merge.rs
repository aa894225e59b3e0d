//! Proof of a fix travelling: a photo attached to a laptop's fix report goes into the laptop's hand-over
//! (`sqlar`), reaches the office with its bytes, is checked by `ducha verify` there, and comes back to the
//! laptop with the office's verification photo; a hand-over that lacks a fix file is refused. Real
//! databases, real hand-over files, the real binary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/laptops.rs"]
mod laptops;

use std::path::Path;

use ducha::checklist::sha256_hex;
use ducha::i18n::Lang;
use ducha::rectification::Transition;
use ducha::rectification::ops::{self, Proof};
use ducha::store::{evidence, fix_evidence};
use laptops::{INSPECTOR, Place, SUPERVISOR, inspect, laptop_from, office};

fn photo(dir: &Path, name: &str, n: usize) -> (std::path::PathBuf, Vec<u8>) {
    let bytes: Vec<u8> = (0..n).map(|i| (i * 13 % 251) as u8).collect();
    let path = dir.join(name);
    std::fs::write(&path, &bytes).unwrap();
    (path, bytes)
}

fn follow(place: &Place, user: &str, id: &str, t: Transition, note: &str, file: &Path) {
    let proof = Proof { files: vec![file.to_path_buf()], confirmed_without_evidence: false };
    ops::transition_with(&mut place.open(), user, id, t, note, &proof, Lang::Zh).unwrap();
}

/// The bytes of the fix file `name` of rectification `id` in `place`'s evidence folder.
fn fix_bytes(place: &Place, inspection: &str, id: &str, name: &str) -> Vec<u8> {
    let store = place.open();
    let files = fix_evidence::for_rectification(store.conn(), id).unwrap();
    let file = files.iter().find(|f| f.name() == name).unwrap_or_else(|| panic!("{name} in {files:?}"));
    std::fs::read(store.evidence_root().join(evidence::relative_path(inspection, &file.stored_name))).unwrap()
}

#[test]
fn fix_evidence_reaches_the_office_with_its_bytes_and_comes_back_with_the_verification() {
    let o = office();
    let laptop = laptop_from(&o.handover("office.hand"));
    let (inspection, rects) = inspect(&laptop, INSPECTOR, "YL003", &["fire_plan"]);
    let id = &rects[0];
    let (exit, exit_bytes) = photo(laptop.dir.path(), "安全出口.jpg", 50_000);
    follow(&laptop, INSPECTOR, id, Transition::ReportFix, "已整改", &exit);

    let hand = laptop.handover("laptop.hand");
    // The photo is in the hand-over's archive, whole.
    let sha = sha256_hex(&exit_bytes);
    let name = format!("evidence/{inspection}/{}-安全出口.jpg", &sha[..12]);
    let archived: Vec<u8> = rusqlite::Connection::open(&hand)
        .unwrap()
        .query_row("SELECT data FROM sqlar WHERE name = ?1", [&name], |r| r.get(0))
        .unwrap();
    assert_eq!(archived, exit_bytes);

    let out = o.merge_ok(&[&hand]);
    assert!(out.contains("fix evidence"), "the merge names the new kind:\n{out}");
    assert_eq!(fix_bytes(&o, &inspection, id, "安全出口.jpg"), exit_bytes, "the office has the bytes");
    common::ducha(&o.db).arg("verify").assert().success();

    // The office verifies with its own photo; the laptop gets both back.
    let (check, check_bytes) = photo(o.dir.path(), "复查.jpg", 7_000);
    follow(&o, SUPERVISOR, id, Transition::Verify, "现场复查通过", &check);
    laptop.merge_ok(&[&o.handover("office2.hand")]);
    assert_eq!(fix_bytes(&laptop, &inspection, id, "复查.jpg"), check_bytes);
    assert_eq!(
        laptop.digests()["rectification_evidence"],
        o.digests()["rectification_evidence"],
        "the same fix evidence in both"
    );
    assert_eq!(o.digests()["rectification_evidence"].1, 2);
    common::ducha(&laptop.db).arg("verify").assert().success();
}

#[test]
fn a_hand_over_without_a_fix_file_it_records_is_refused() {
    let o = office();
    let laptop = laptop_from(&o.handover("office.hand"));
    let (_inspection, rects) = inspect(&laptop, INSPECTOR, "YL003", &["fire_plan"]);
    let (exit, _) = photo(laptop.dir.path(), "出口.jpg", 3_000);
    follow(&laptop, INSPECTOR, &rects[0], Transition::ReportFix, "已整改", &exit);
    let hand = laptop.handover("laptop.hand");
    rusqlite::Connection::open(&hand)
        .unwrap()
        .execute("DELETE FROM sqlar WHERE name LIKE '%出口.jpg'", [])
        .unwrap();
    let (code, out, err) = o.merge(&[&hand]);
    assert_ne!(code, 0, "{out}{err}");
    assert!(format!("{out}{err}").contains("出口.jpg"), "names the missing file:\n{out}\n{err}");
    assert_eq!(o.count("SELECT count(*) FROM rectification_evidence"), 0, "nothing merged");
}
