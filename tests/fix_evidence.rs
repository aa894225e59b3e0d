#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Proof of a fix on a real database: files attached when a fix is reported and when it is verified, each
//! on its own event, stored in the inspection's evidence folder and audited; a truncated leftover is
//! rewritten; a file that cannot be read refuses the whole follow-up; files only on those two transitions;
//! verifying a major hazard without any fix evidence needs a confirmation (and is audited as such); and
//! `ducha verify` checks the fix files' bytes.

mod common;

use std::path::{Path, PathBuf};

use common::ducha;
use ducha::checklist::sha256_hex;
use ducha::i18n::Lang;
use ducha::rectification::ops::{self, FollowError, Proof};
use ducha::rectification::{Status, Transition};
use ducha::store::{Store, audit, evidence, fix_evidence, rectifications};

/// A database with one submitted inspection and one open rectification, a major hazard or not.
fn setup(dir: &Path, major_hazard: bool) -> (Store, String, String) {
    common::inspection::one_rectification(&dir.join("r.db"), major_hazard)
}

/// A photo of `n` bytes that differ along the file (a truncated copy cannot pass for it).
fn photo(dir: &Path, name: &str, n: usize) -> (PathBuf, Vec<u8>) {
    let bytes: Vec<u8> = (0..n).map(|i| (i * 7 % 251) as u8).collect();
    let path = dir.join(name);
    std::fs::write(&path, &bytes).unwrap();
    (path, bytes)
}

fn with(files: Vec<PathBuf>) -> Proof {
    Proof { files, confirmed_without_evidence: false }
}

fn event_of(store: &Store, id: &str, to: &str) -> String {
    let events = rectifications::events(store.conn(), id).unwrap();
    events.iter().rev().find(|e| e.to_status.as_deref() == Some(to)).unwrap().id.clone()
}

#[test]
fn files_attached_on_report_fix_and_on_verify_belong_to_their_events_and_are_audited() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, insp, id) = setup(dir.path(), false);
    let (exit, exit_bytes) = photo(dir.path(), "安全出口.jpg", 30_000);
    let (licence, _) = photo(dir.path(), "新许可证.png", 4_000);
    let (_, reported) = ops::transition_with(
        &mut store,
        "检查员甲",
        &id,
        Transition::ReportFix,
        "已清理",
        &with(vec![exit.clone(), licence.clone()]),
        Lang::Zh,
    )
    .unwrap();
    let (corridor, _) = photo(dir.path(), "复查.jpg", 9_000);
    let (status, verified) = ops::transition_with(
        &mut store,
        "科长乙",
        &id,
        Transition::Verify,
        "现场复查通过",
        &with(vec![corridor]),
        Lang::Zh,
    )
    .unwrap();
    assert_eq!(status, Status::Verified);

    let files = fix_evidence::for_rectification(store.conn(), &id).unwrap();
    // (Both follow-ups may fall in one second, where files are in path order: compared as a set.)
    let mut by_event: Vec<(&str, &str)> = files.iter().map(|f| (f.event_id.as_str(), f.name())).collect();
    by_event.sort_unstable();
    let (fix, check) = (event_of(&store, &id, "fix_reported"), event_of(&store, &id, "verified"));
    let mut expected =
        vec![(fix.as_str(), "安全出口.jpg"), (fix.as_str(), "新许可证.png"), (check.as_str(), "复查.jpg")];
    expected.sort_unstable();
    assert_eq!(by_event, expected);
    assert_eq!(reported.len() + verified.len(), 3);
    // In the inspection's evidence folder, whole, under `<sha prefix>-<name>`.
    let sha = sha256_hex(&exit_bytes);
    let stored =
        store.evidence_root().join(evidence::relative_path(&insp, &format!("{}-安全出口.jpg", &sha[..12])));
    assert_eq!(std::fs::read(&stored).unwrap(), exit_bytes);
    let exit_file = files.iter().find(|f| f.name() == "安全出口.jpg").unwrap();
    assert_eq!(exit_file.label(), format!("安全出口.jpg ({})", &sha[..12]));

    let attached: Vec<_> = audit::for_entity(store.conn(), "rectification", &id)
        .unwrap()
        .into_iter()
        .filter(|a| a.action == "rectification.evidence.attach")
        .collect();
    assert_eq!(attached.len(), 3, "every attachment is audited");
    let new: serde_json::Value = serde_json::from_str(attached[0].new.as_ref().unwrap()).unwrap();
    assert_eq!(new["event_id"], fix.as_str());
    assert_eq!(new["sha256"], sha.as_str());
    assert_eq!(attached[2].actor, "科长乙");

    drop(store);
    let out = ducha(&dir.path().join("r.db")).args(["--lang", "en", "verify"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn a_truncated_copy_is_rewritten_and_verify_names_a_fix_file_cut_short() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, insp, id) = setup(dir.path(), false);
    let (source, bytes) = photo(dir.path(), "门.jpg", 200_000);
    let sha = sha256_hex(&bytes);
    // What a copy that failed halfway (disk full) would have left under the real name.
    let target =
        store.evidence_root().join(evidence::relative_path(&insp, &format!("{}-门.jpg", &sha[..12])));
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::write(&target, &bytes[..70_000]).unwrap();
    ops::transition_with(
        &mut store,
        "检查员甲",
        &id,
        Transition::ReportFix,
        "",
        &with(vec![source]),
        Lang::Zh,
    )
    .unwrap();
    assert_eq!(
        std::fs::read(&target).unwrap(),
        bytes,
        "the truncated leftover is replaced by the whole photo"
    );
    drop(store);
    let db = dir.path().join("r.db");
    assert!(ducha(&db).args(["--lang", "en", "verify"]).output().unwrap().status.success());

    std::fs::write(&target, &bytes[..1_234]).unwrap();
    let out = ducha(&db).args(["--lang", "en", "verify"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "evidence file {} of inspection {insp} has 1234 bytes, not the 200000 recorded",
            target.display()
        )),
        "{stdout}"
    );
}

#[test]
fn a_file_that_cannot_be_read_refuses_the_whole_follow_up_and_files_go_only_with_a_fix() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _insp, id) = setup(dir.path(), false);
    let (good, _) = photo(dir.path(), "好.jpg", 500);
    let missing = dir.path().join("不存在.jpg");
    let err = ops::transition_with(
        &mut store,
        "检查员甲",
        &id,
        Transition::ReportFix,
        "",
        &with(vec![good.clone(), missing]),
        Lang::Zh,
    )
    .unwrap_err();
    assert!(matches!(err, FollowError::Store(_)), "{err:?}");
    assert!(err.message(Lang::Zh).contains("不存在.jpg"), "{}", err.message(Lang::Zh));
    assert_eq!(rectifications::get(store.conn(), &id).unwrap().unwrap().status, "open", "nothing written");
    assert!(fix_evidence::for_rectification(store.conn(), &id).unwrap().is_empty());

    // The same bytes twice on one event: refused, and nothing of the follow-up is written either.
    let twice = with(vec![good.clone(), good.clone()]);
    let err = ops::transition_with(&mut store, "检查员甲", &id, Transition::ReportFix, "", &twice, Lang::En)
        .unwrap_err();
    assert!(err.message(Lang::En).contains("already attached"), "{}", err.message(Lang::En));
    assert_eq!(rectifications::get(store.conn(), &id).unwrap().unwrap().status, "open");

    let err =
        ops::transition_with(&mut store, "检查员甲", &id, Transition::Start, "", &with(vec![good]), Lang::En)
            .unwrap_err();
    assert!(matches!(err, FollowError::NoEvidenceHere(Transition::Start)), "{err:?}");
}

#[test]
fn verifying_a_major_hazard_without_any_fix_evidence_needs_a_confirmation_and_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _insp, id) = setup(dir.path(), true);
    ops::transition(&mut store, "检查员甲", &id, Transition::ReportFix, "已清理", Lang::Zh).unwrap();
    let err =
        ops::transition(&mut store, "科长乙", &id, Transition::Verify, "现场复查通过", Lang::Zh).unwrap_err();
    assert!(matches!(err, FollowError::MajorHazardUnconfirmed), "{err:?}");
    assert_eq!(err.message(Lang::Zh), "重大事故隐患没有任何整改证据，复查销号须再次确认");
    assert_eq!(rectifications::get(store.conn(), &id).unwrap().unwrap().status, "fix_reported");

    let confirmed = Proof { files: vec![], confirmed_without_evidence: true };
    ops::transition_with(&mut store, "科长乙", &id, Transition::Verify, "现场复查通过", &confirmed, Lang::Zh)
        .unwrap();
    let actions: Vec<String> = audit::for_entity(store.conn(), "rectification", &id)
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert!(actions.contains(&"rectification.verify_without_evidence".to_string()), "{actions:?}");
}

#[test]
fn a_major_hazard_whose_fix_report_carried_a_photo_is_verified_without_a_question() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _insp, id) = setup(dir.path(), true);
    let (exit, _) = photo(dir.path(), "出口.jpg", 800);
    ops::transition_with(&mut store, "检查员甲", &id, Transition::ReportFix, "", &with(vec![exit]), Lang::Zh)
        .unwrap();
    assert_eq!(
        ops::transition(&mut store, "科长乙", &id, Transition::Verify, "通过", Lang::Zh).unwrap(),
        Status::Verified
    );
    let actions: Vec<String> = audit::for_entity(store.conn(), "rectification", &id)
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert!(!actions.contains(&"rectification.verify_without_evidence".to_string()), "{actions:?}");
}

#[test]
fn the_schema_refuses_a_fix_file_on_another_rectifications_event() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _insp, id) = setup(dir.path(), false);
    let event = event_of(&store, &id, "open");
    let inserted = store.conn().execute(
        "INSERT INTO rectification_evidence (id, event_id, rectification_id, stored_name, original_path, sha256,
             bytes, added_by, added_at) VALUES ('x', ?1, 'not-this-one', 'n', 'n', 's', 1, 'u', 't')",
        [&event],
    );
    assert!(inserted.unwrap_err().to_string().contains("must belong to an event of its rectification"));
}

#[test]
fn the_rectification_list_has_a_column_with_the_fix_files_by_name_and_sha_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _insp, id) = setup(dir.path(), false);
    let (exit, exit_bytes) = photo(dir.path(), "安全出口.jpg", 3_000);
    let (licence, licence_bytes) = photo(dir.path(), "新许可证.png", 2_000);
    ops::transition_with(&mut store, "检查员甲", &id, Transition::ReportFix, "", &with(vec![exit]), Lang::Zh)
        .unwrap();
    ops::transition_with(
        &mut store,
        "科长乙",
        &id,
        Transition::Verify,
        "通过",
        &with(vec![licence]),
        Lang::Zh,
    )
    .unwrap();
    drop(store);
    let out = dir.path().join("清单.csv");
    let db = dir.path().join("r.db");
    ducha(&db)
        .args(["--lang", "zh", "--user", "科长乙", "export", "rectifications", "--status", "verified", "-o"])
        .arg(&out)
        .assert()
        .success();
    let bytes = std::fs::read(&out).unwrap();
    let text = String::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap().to_vec()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert!(lines[0].ends_with(",备注,整改证据"), "{}", lines[0]);
    let (a, b) = (sha256_hex(&exit_bytes), sha256_hex(&licence_bytes));
    let cell = format!("安全出口.jpg ({})；新许可证.png ({})", &a[..12], &b[..12]);
    assert!(lines[1].ends_with(&format!(",{cell}")), "{}", lines[1]);
    assert_eq!(lines.len(), 3, "one row and the final CRLF: {text}");
}
