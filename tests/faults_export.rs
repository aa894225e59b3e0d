#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A cancelled export (Esc in the console) leaves no file and an earlier file intact; the console's
//! export, run on its own thread, ends with the file written and the export on record.

#[path = "export/fixture.rs"]
mod fixture;

use std::sync::atomic::{AtomicBool, Ordering};

use ducha::export::{self, ExportError, ExportFilter, Kind, Masking, Options};
use ducha::store::Store;

fn opts() -> Options {
    Options {
        lang: ducha::i18n::Lang::Zh,
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
        masking: Masking::Masked,
        bom: true,
        include_drafts: false,
        actor: "王芳".into(),
    }
}

fn names(dir: &std::path::Path) -> Vec<String> {
    let mut n: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    n.sort();
    n
}

#[test]
fn a_cancelled_export_leaves_no_file_and_an_earlier_one_intact() {
    let f = fixture::build();
    let db = f.db.clone();
    let out = tempfile::tempdir().unwrap();
    let mut store = Store::open_read_only(&db).unwrap();
    let filter = ExportFilter::default();
    for name in ["新.xlsx", "新.csv"] {
        let path = out.path().join(name);
        let cancel = AtomicBool::new(true);
        let err =
            export::write_file(&mut store, Kind::Findings, &filter, &opts(), &path, &mut |_, _| {}, &cancel)
                .unwrap_err();
        assert!(matches!(err, ExportError::Cancelled), "{err:?}");
    }
    assert!(names(out.path()).is_empty(), "no file, no temporary file: {:?}", names(out.path()));

    // Cancelled after some rows: the earlier file is as it was.
    let earlier = out.path().join("检查记录.csv");
    std::fs::write(&earlier, "earlier export\n").unwrap();
    let cancel = AtomicBool::new(false);
    let mut rows_seen = 0;
    let mut progress = |done: u64, _total: u64| {
        rows_seen = done;
        if done >= 1 {
            cancel.store(true, Ordering::Relaxed);
        }
    };
    let err =
        export::write_file(&mut store, Kind::Findings, &filter, &opts(), &earlier, &mut progress, &cancel)
            .unwrap_err();
    assert!(matches!(err, ExportError::Cancelled), "{err:?}");
    assert!(rows_seen >= 1, "it had started writing");
    assert_eq!(std::fs::read_to_string(&earlier).unwrap(), "earlier export\n");
    assert_eq!(names(out.path()), ["检查记录.csv"]);
}

#[test]
fn the_consoles_threaded_export_writes_the_file_and_records_it() {
    use ducha::tui::action::Action;
    use ducha::tui::effect::{Effect, Executor};
    let f = fixture::build();
    let db = f.db.clone();
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("整改清单.xlsx");
    let mut executor = Executor::new(Store::open(&db).unwrap(), vec![], "王芳".into(), ducha::i18n::Lang::Zh);
    let effect = Effect::Export {
        kind: Kind::Rectifications,
        filter: ducha::store::board::Filter::default(),
        path: path.display().to_string(),
        masking: Masking::Masked,
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
    };
    assert!(matches!(executor.run(effect), Action::ExportStarted { .. }));
    let start = std::time::Instant::now();
    let rows = loop {
        match executor.run(Effect::PollExport) {
            Action::ExportProgress { .. } => {}
            Action::Exported { rows, .. } => break rows,
            other => panic!("{other:?}"),
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(60), "hang guard");
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    assert!(rows > 0);
    assert!(path.is_file());
    let recorded: i64 = executor
        .store
        .conn()
        .query_row("SELECT count(*) FROM audit WHERE action = 'export.write'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(recorded, 1, "the export is on record");
    assert!(matches!(executor.run(Effect::PollExport), Action::Done), "nothing running any more");
}
