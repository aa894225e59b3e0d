#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The inspection record written from the real console in a pseudo-terminal: `p` on the list of all
//! inspections writes the selected one's 现场检查记录 into the home folder, and `p` on the overview of the
//! same (submitted) inspection prints it again under the same number.

#[path = "export/fixture.rs"]
mod fixture;
mod pty;

use pty::{Console, ENTER};

fn records(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect()
}

#[test]
fn p_prints_the_record_from_the_list_and_from_the_overview_under_one_number() {
    let f = fixture::build();
    let home = tempfile::tempdir().unwrap();
    let home_path = home.path().to_str().unwrap();
    let mut con = Console::start(&f.db, &[("HOME", home_path), ("DUCHA_USER", "科长乙")]);
    con.wait_for("整改");
    con.send("i");
    con.wait_for("全部检查");
    con.send("/");
    con.send("康乐");
    con.wait_for("共 1 条");
    con.send(ENTER);
    con.send("p");
    let screen = con.wait_for("已出具记录");
    let number =
        screen.split("已出具记录 ").nth(1).and_then(|rest| rest.split(' ').next()).unwrap().to_string();
    assert!(number.starts_with("督记〔") && number.ends_with("-001号"), "{number}");
    let written = records(home.path());
    assert_eq!(written.len(), 1, "{written:?}");
    let name = written[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("现场检查记录-如皋市康乐颐养院-"), "{name}");
    let page = std::fs::read_to_string(&written[0]).unwrap();
    assert!(page.contains(&number) && page.contains("<h1>现场检查记录</h1>"), "{page}");
    assert!(page.contains("<h4>第1小组</h4>"), "repeat sections are numbered groups");
    assert!(!page.contains("320682199001011234"), "masked by default");

    // The same inspection, opened for reading: its overview offers p, and prints the same number.
    con.send(ENTER);
    con.wait_for("[已提交]");
    con.send("o");
    con.wait_for("打印记录");
    std::fs::remove_file(&written[0]).unwrap();
    con.send("p");
    let again = con.wait_for("已出具记录");
    assert!(again.contains(&number), "{again}");
    assert_eq!(records(home.path()).len(), 1);
    con.send("q");
}
