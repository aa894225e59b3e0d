#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Proof of a fix typed into the real console in a pseudo-terminal: on the most urgent rectification's
//! detail, `r` opens the fix report, Tab and Enter open the evidence picker on the Pictures folder, Space
//! marks a photo, Enter takes it, Ctrl-S records the report, and the detail names the photo under the
//! report; the database holds it with its bytes.

#[path = "export/fixture.rs"]
mod fixture;
mod pty;

use pty::{CTRL_S, Console, ENTER, TAB};

#[test]
fn a_fix_is_reported_with_a_photo_from_a_folder_and_shown_in_the_detail() {
    let f = fixture::build();
    let home = tempfile::tempdir().unwrap();
    let pictures = home.path().join("Pictures");
    std::fs::create_dir(&pictures).unwrap();
    let bytes = b"\xFF\xD8\xFF photo of the cleared exit".to_vec();
    std::fs::write(pictures.join("出口整改后.jpg"), &bytes).unwrap();
    let home_path = home.path().to_str().unwrap();
    let mut con = Console::start(&f.db, &[("HOME", home_path), ("DUCHA_USER", "检查员甲")]);
    con.wait_for("整改");
    con.send("b");
    con.wait_for("整改看板");
    con.send(ENTER);
    con.wait_for("问题描述");
    con.send("r");
    con.wait_for("报告整改完成");
    con.send("已清理");
    con.send(TAB);
    con.send(ENTER);
    con.wait_for("出口整改后.jpg");
    con.send(" ");
    con.wait_for("已选 1");
    con.send(ENTER);
    con.wait_for("已选 1 个：出口整改后.jpg");
    con.send(CTRL_S);
    con.wait_for("整改证据：出口整改后.jpg");
    con.send("G");
    let sha = ducha::checklist::sha256_hex(&bytes);
    con.wait_for(&format!("附：出口整改后.jpg ({})", &sha[..12]));
    con.send("q");

    let conn = rusqlite::Connection::open(&f.db).unwrap();
    let (stored, recorded): (String, String) = conn
        .query_row("SELECT stored_name, sha256 FROM rectification_evidence", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(recorded, sha);
    let kept = f.dir.path().join("evidence").join(&f.elderly).join(stored);
    assert_eq!(std::fs::read(kept).unwrap(), bytes, "the photo kept in the inspection's evidence folder");
}
