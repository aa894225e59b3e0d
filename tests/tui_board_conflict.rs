#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A rectification in conflict on the board, through the real executor on TestBackend: the list marks it
//! and filters to it with `C`, the detail shows both branches from the state they started from, the
//! transition keys are refused before anything is typed, and a supervisor settles it with `m` (an
//! inspector is refused up front); snapshots at 80×24 in Chinese and English, and smaller sizes draw
//! without panicking. The CLI exports only conflicts with `--conflict`.

mod common;

use ratatui::crossterm::event::KeyCode;

use common::console::Console;
use ducha::i18n::Lang;
use ducha::store::{audit, rectifications, set_clock};

/// The console as `user`, on the board of [`common::conflict::board_database`]; and the conflict's id.
fn on_board(user: &str, lang: Lang) -> (Console, String) {
    let dir = tempfile::tempdir().unwrap();
    let (db, id) = common::conflict::board_database(dir.path());
    let mut c = Console::open(&db, user, lang).holding(dir);
    c.chars("b");
    (c, id)
}

impl Console {
    fn snapshot(&self, name: &str) {
        let screen = self.screen_at(80, 24);
        insta::assert_snapshot!(name, screen);
    }

    /// Every size from tiny to small: drawing must never panic.
    fn draws_at_small_sizes(&self) {
        for (w, h) in [(40, 12), (30, 8), (20, 5), (10, 3), (1, 1)] {
            let _ = self.screen_at(w, h);
        }
    }

    /// The stored conflict flag of rectification `id`.
    fn conflict_column(&self, id: &str) -> i64 {
        let conn = rusqlite::Connection::open(&self.db).unwrap();
        conn.query_row("SELECT conflict FROM rectifications WHERE id = ?1", [id], |r| r.get(0)).unwrap()
    }
}

#[test]
fn the_list_marks_the_conflict_counts_it_and_filters_to_it() {
    let (mut c, id) = on_board("科长乙", Lang::Zh);
    assert_eq!(c.board().rows.len(), 3);
    assert_eq!(c.board().conflicts, 1);
    assert_eq!(c.board().rows.iter().filter(|r| r.conflict).count(), 1);
    c.snapshot("conflict_list_all");
    c.chars("C");
    let rows = &c.board().rows;
    assert_eq!(rows.len(), 1, "only the conflict");
    assert_eq!((rows[0].id.as_str(), rows[0].status.as_str()), (id.as_str(), "fix_reported"));
    c.snapshot("conflict_list_filtered");
    c.draws_at_small_sizes();
    c.chars("C");
    assert_eq!(c.board().rows.len(), 3, "everything again");
}

#[test]
fn the_detail_shows_both_branches_and_refuses_transitions_before_anything_is_typed() {
    let (mut c, id) = on_board("科长乙", Lang::Zh);
    c.chars("C");
    c.code(KeyCode::Enter);
    let d = c.board().detail.as_ref().expect("the detail");
    let conflict = d.conflict.as_ref().expect("its branches");
    let ends: Vec<Option<&str>> = conflict.branches.iter().map(|b| b.status.as_deref()).collect();
    assert_eq!(ends, vec![Some("verified"), Some("in_progress")]);
    c.snapshot("conflict_detail");
    c.draws_at_small_sizes();
    for key in ['s', 'r', 'v', 'x', 'e'] {
        c.chars(&key.to_string());
        assert!(c.board().prompt.is_none(), "{key}: no note box");
        let (error, text) = c.message();
        assert!(error && text.contains("须科室负责人先裁决"), "{key}: {text}");
    }
    assert_eq!(c.conflict_column(&id), 1);
}

#[test]
fn a_supervisor_settles_the_conflict_and_the_history_says_which_branch_was_taken() {
    let (mut c, id) = on_board("科长乙", Lang::Zh);
    c.chars("C");
    c.code(KeyCode::Enter);
    c.chars("m");
    c.code(KeyCode::Right);
    c.code(KeyCode::Right); // 分支 2: rejected
    c.code(KeyCode::Tab);
    c.chars("以三楼现场为准");
    c.snapshot("conflict_settle_form");
    c.draws_at_small_sizes();
    // In a small terminal the form loses its frame, not what is typed; the detail says where it is.
    let small = c.screen_at(40, 12);
    assert!(small.contains("以三楼现场为准") && small.contains("分支 2"), "{small}");
    let tiny = c.screen_at(20, 5);
    assert!(tiny.contains("三楼现场为准"), "the note being typed at 20×5:\n{tiny}");
    insta::assert_snapshot!("conflict_settle_form_20x5", tiny);
    common::conflict::at("2026-11-29 09:30");
    c.code(KeyCode::Enter);
    set_clock(None);
    assert_eq!(c.message(), (false, "已裁决冲突：采用分支 2".into()));
    let d = c.board().detail.as_ref().expect("back on the detail");
    assert!(d.conflict.is_none());
    assert_eq!(d.rect.status, "in_progress");
    assert!(c.board().rows.is_empty(), "the list reloaded: no conflict left");
    assert_eq!(c.board().conflicts, 0);
    c.snapshot("conflict_settled");

    // What the executor wrote: the settle event joining both heads, the audit row, the column cleared.
    assert_eq!(c.conflict_column(&id), 0);
    let conn = c.executor.store.conn();
    let settle = rectifications::events(conn, &id).unwrap().into_iter().find(|e| e.kind == "settle").unwrap();
    assert_eq!((settle.actor.as_str(), settle.note.as_str()), ("科长乙", "以三楼现场为准"));
    assert_eq!(settle.merges.len(), 1);
    let audited = audit::for_entity(conn, "rectification", &id).unwrap();
    assert!(audited.iter().any(|a| a.action == "rectification.settle" && a.actor == "科长乙"));

    // Work goes on from the chosen branch.
    c.chars("r");
    c.chars("三楼已清");
    c.code(KeyCode::Enter);
    assert_eq!(c.board().detail.as_ref().unwrap().rect.status, "fix_reported");
}

#[test]
fn an_inspector_is_refused_before_the_form_and_nothing_is_written() {
    let (mut c, id) = on_board("检查员甲", Lang::Zh);
    c.chars("C");
    c.code(KeyCode::Enter);
    c.chars("m");
    assert!(c.board().settle.is_none(), "no form");
    let (error, text) = c.message();
    assert!(error && text.contains("裁决冲突需要科室负责人角色"), "{text}");
    assert_eq!(c.conflict_column(&id), 1);
    let audited = audit::for_entity(c.executor.store.conn(), "rectification", &id).unwrap();
    assert!(!audited.iter().any(|a| a.action == "rectification.settle"));
}

#[test]
fn a_settle_refused_by_the_domain_keeps_the_form_as_typed() {
    let (mut c, id) = on_board("科长乙", Lang::Zh);
    c.chars("C");
    c.code(KeyCode::Enter);
    c.chars("m2");
    c.code(KeyCode::Enter); // no note
    let (error, text) = c.message();
    assert!(error && text == "裁决冲突需要填写理由", "{text}");
    let form = c.board().settle.as_ref().expect("the form stays");
    assert_eq!(form.branch, Some(1));
    assert_eq!(c.conflict_column(&id), 1);
}

#[test]
fn in_english_the_branches_and_the_form_fit() {
    let (mut c, _) = on_board("科长乙", Lang::En);
    c.chars("C");
    c.code(KeyCode::Enter);
    c.snapshot("conflict_detail_en");
    c.chars("m1");
    c.snapshot("conflict_settle_form_en");
    c.draws_at_small_sizes();
}

#[test]
fn the_cli_exports_only_conflicts_with_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = common::conflict::board_database(dir.path());
    let out = common::ducha(&db)
        .args(["--lang", "zh", "export", "rectifications", "--conflict", "--no-bom"])
        .assert()
        .success();
    let stdout = out.get_output().stdout.clone();
    let mut reader = csv::Reader::from_reader(stdout.as_slice());
    let problem = reader.headers().unwrap().iter().position(|h| h == "问题描述").unwrap();
    let problems: Vec<String> = reader.records().map(|r| r.unwrap()[problem].to_string()).collect();
    assert_eq!(problems, ["二楼疏散通道堆放杂物"], "only the conflict");
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains("conflict"), "the filter is described: {stderr}");
}
