#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A new version of a shipped checklist in `--checklists` (DUCHA_CHECKLISTS), through the real binary in a
//! pseudo-terminal: the picker offers it, the new draft is recorded against it (its hash, its items), and a
//! draft started before under version 1 keeps version 1.

mod pty;

use std::path::Path;

use pty::{Console, ENTER, TIMEOUT, progress};
use sha2::{Digest, Sha256};

const SITE_CODE: &str = "32068002";
const CHECKLIST: &str = "lottery_outlet_supervision";
const CHANGED_PROMPT: &str = "第二版：代销证原件是否悬挂并在有效期内";
const REMOVED_ITEM: &str = "site_matches_license";

fn hash(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The shipped checklist as version 2: the first item's prompt changed, the second item removed.
fn version_2(v1: &str) -> String {
    let first = v1.find("prompt = \"").unwrap();
    let end = first + v1[first..].find('\n').unwrap();
    let mut v2 = format!("{}prompt = \"{CHANGED_PROMPT}？\"{}", &v1[..first], &v1[end..]);
    let removed = v2.find(&format!("id = \"{REMOVED_ITEM}\"")).unwrap();
    let start = v2[..removed].rfind("[[sections.items]]").unwrap();
    let next = removed + v2[removed..].find("[[sections.items]]").unwrap();
    v2.replace_range(start..next, "");
    v2.replacen("version = 1", "version = 2", 1)
}

/// Home → n → lottery outlets → the site by its code → the checklist (its version shown) → the first item;
/// returns the screen there.
fn start_inspection(con: &mut Console, version: u32) -> String {
    con.wait_for("按 n 新建检查");
    con.send("n");
    con.wait_for("选择检查领域");
    con.send("j");
    con.wait_for("> 福利彩票投注站");
    con.send(ENTER);
    con.wait_for("选择被检查单位");
    con.send(SITE_CODE);
    con.wait_for(&format!("> {SITE_CODE}"));
    con.send(ENTER);
    con.wait_for(&format!("> 福利彩票投注站督查  v{version}"));
    con.send(ENTER);
    con.wait_for("检查人员：王芳");
    con.send(ENTER);
    con.wait_until("the first item of the new inspection", |s| {
        progress(&s.contents()).is_some_and(|p| p.2 == 0)
    });
    con.wait_for(&format!("福利彩票投注站督查 v{version}"))
}

fn quit(mut con: Console) {
    con.send("q");
    assert!(con.wait_exit(TIMEOUT).success(), "q quits cleanly");
}

#[test]
fn a_new_checklist_version_in_the_checklists_folder_is_the_one_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("checklists/{CHECKLIST}.toml"));
    let v1 = std::fs::read_to_string(shipped).unwrap();
    let first_v1_prompt: String = v1.split("prompt = \"").nth(1).unwrap().chars().take(12).collect();

    // A draft under version 1, before the new version exists.
    let mut con = Console::start(&db, &[]);
    let screen = start_inspection(&mut con, 1);
    assert!(screen.contains(&first_v1_prompt), "{screen}");
    let shown_v1 = progress(&screen).unwrap().3;
    quit(con);

    let folder = dir.path().join("checklists");
    std::fs::create_dir(&folder).unwrap();
    let v2 = version_2(&v1);
    std::fs::write(folder.join(format!("{CHECKLIST}.toml")), &v2).unwrap();
    let mut con = Console::start(&db, &[("DUCHA_CHECKLISTS", folder.to_str().unwrap())]);
    let screen = start_inspection(&mut con, 2);
    assert!(screen.contains(CHANGED_PROMPT), "the changed item shows its new text:\n{screen}");
    assert_eq!(progress(&screen).unwrap().3, shown_v1 - 1, "one item fewer shown:\n{screen}");
    // The second item is the one after the removed one.
    con.send("1");
    con.wait_until("the second item", |s| !s.contents().contains(CHANGED_PROMPT));
    let removed_prompt: String = v1
        .split(&format!("id = \"{REMOVED_ITEM}\""))
        .nth(1)
        .and_then(|rest| rest.split("prompt = \"").nth(1))
        .unwrap()
        .chars()
        .take(12)
        .collect();
    assert!(!con.contents().contains(&removed_prompt), "the removed item is gone:\n{}", con.contents());
    quit(con);

    let conn = rusqlite::Connection::open(&db).unwrap();
    let rows: Vec<(String, u32)> = conn
        .prepare(
            "SELECT i.snapshot_id, s.version FROM inspections i
             JOIN checklist_snapshots s ON s.id = i.snapshot_id ORDER BY i.started_at, i.id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    let (old, new): (Vec<_>, Vec<_>) = rows.iter().partition(|(_, v)| *v == 1);
    assert_eq!(old, [&(hash(&v1), 1)], "the first draft keeps version 1");
    assert_eq!(new, [&(hash(&v2), 2)], "the new draft is stored against version 2's text");
    let answered: Vec<String> = conn
        .prepare("SELECT item_id FROM answers WHERE inspection_id = (SELECT id FROM inspections WHERE snapshot_id = ?1)")
        .unwrap()
        .query_map([hash(&v2)], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(answered, ["license_displayed"], "{answered:?}");

    // The old draft, reopened with version 2 loaded, still shows version 1's text.
    let mut con = Console::start(&db, &[("DUCHA_CHECKLISTS", folder.to_str().unwrap())]);
    con.wait_for("按 n 新建检查");
    drop(conn);
    reopen_v1(&mut con, &first_v1_prompt);
    quit(con);
}

/// Opens the version-1 draft from the home list (both drafts are at the same site: whichever is first,
/// the other is next).
fn reopen_v1(con: &mut Console, v1_prompt: &str) {
    con.send(ENTER);
    con.wait_until("a draft opened", |s| s.contents().contains("福利彩票投注站督查 v"));
    if con.contents().contains("福利彩票投注站督查 v2") {
        con.send("\x1b");
        con.wait_for("按 n 新建检查");
        con.send("j");
        con.send(ENTER);
    }
    let screen = con.wait_for("福利彩票投注站督查 v1");
    assert!(screen.contains(v1_prompt), "{screen}");
}
