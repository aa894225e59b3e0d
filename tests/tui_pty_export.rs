#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The exports typed into the real console in a pseudo-terminal: `x` on the board writes the rectification
//! list the board shows as XLSX into the home folder, and `p` on a rectification's detail writes the
//! notice of its inspection as HTML.

#[path = "export/fixture.rs"]
mod fixture;
mod pty;

use calamine::{Reader, Xlsx};
use pty::{Console, ENTER};

#[test]
fn the_board_exports_its_list_and_prints_a_notice_from_the_console() {
    let f = fixture::build();
    let home = tempfile::tempdir().unwrap();
    let home_path = home.path().to_str().unwrap();
    // A supervisor, so the notice gets a number; HOME decides where exports go by default.
    let mut con = Console::start(&f.db, &[("HOME", home_path), ("DUCHA_USER", "科长乙")]);
    con.wait_for("整改");
    con.send("b");
    con.wait_for("整改看板");
    con.send("x");
    con.wait_for("导出");
    con.send(ENTER);
    let xlsx = home.path().join(format!("整改清单-{}.xlsx", fixture::today().format("%Y-%m-%d")));
    con.wait_for("已导出 2 行到");
    let mut book: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let range = book.worksheet_range("整改清单").unwrap();
    assert_eq!(range.rows().count(), 3, "the header and the two rectifications not yet closed");

    // The most urgent rectification's detail, then its inspection's notice.
    con.send(ENTER);
    con.wait_for("问题描述");
    con.send("p");
    con.wait_for("整改通知书");
    con.send(ENTER);
    con.wait_for("已出具整改通知书");
    let html: Vec<_> = std::fs::read_dir(home.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    assert_eq!(html.len(), 1, "{html:?}");
    let page = std::fs::read_to_string(&html[0]).unwrap();
    assert!(page.contains("-001号"), "a numbered notice");
    assert!(page.contains("如皋市康乐颐养院"));
    assert!(page.contains("320682********1234"), "masked by default");
    con.send("q");
}
