#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The hostile corpus (`tests/common/hostile.rs`) through the checklist loader and the registry import,
//! in-process and through the binary: each case is refused or accepted as documented, a refusal says
//! where, output stays bounded (at most the first 50 problems, short echoes of bad values) and never
//! carries a terminal escape. Times are printed as figures, not asserted. The 1M-row registry is in the
//! full form only (`bench/reliability.sh`).

#[path = "common/hostile.rs"]
mod hostile;

use std::path::Path;
use std::time::Instant;

use assert_cmd::Command;
use ducha::checklist::{LoadReport, load_paths};
use ducha::i18n::Lang;
use hostile::{Expect, checklists, registries};

/// More than 50 rendered problems with their source lines, and every echo cut short, fit in this.
const BOUNDED: usize = 64 * 1024;

fn ducha(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("ducha").unwrap();
    cmd.env("DUCHA_CONFIG", "/nonexistent/ducha-config.toml")
        .env("DUCHA_DB", dir.join("h.db"))
        .env("DUCHA_USER", "管理员")
        .env_remove("DUCHA_CHECKLISTS")
        .env_remove("DUCHA_LANG")
        .env("LANG", "C.UTF-8");
    cmd
}

fn no_escapes(what: &str, bytes: &[u8]) {
    assert!(!bytes.contains(&0x1b) && !bytes.contains(&0x07), "{what}: a raw escape reached the output");
}

#[test]
fn hostile_checklists_are_refused_or_loaded_as_documented_with_bounded_output() {
    hostile_checklists(false);
}

#[test]
#[ignore = "the full reliability form: bench/reliability.sh"]
fn hostile_checklists_full_form() {
    hostile_checklists(true);
}

fn hostile_checklists(full: bool) {
    let dir = tempfile::tempdir().unwrap();
    let mut slowest = (0.0, "");
    for case in checklists(full) {
        let file = dir.path().join(format!("{}.toml", case.name));
        std::fs::write(&file, &case.bytes).unwrap();
        let start = Instant::now();
        let mut report = LoadReport::default();
        load_paths(&mut report, std::slice::from_ref(&file));
        let secs = start.elapsed().as_secs_f64();
        if secs > slowest.0 {
            slowest = (secs, case.name);
        }
        match case.expect {
            Expect::Accepted => {
                assert_eq!(report.loaded.len(), 1, "{}: loaded", case.name);
            }
            Expect::Refused(says) => {
                assert_eq!(report.failed.len(), 1, "{}: refused", case.name);
                let failed = &report.failed[0];
                for d in &failed.diags {
                    assert!(
                        d.span.start <= d.span.end && d.span.end <= failed.text.len().max(1),
                        "{}: span",
                        case.name
                    );
                }
                for lang in [Lang::En, Lang::Zh] {
                    let text = failed.render(lang);
                    assert!(text.len() < BOUNDED, "{}: {} bytes of messages", case.name, text.len());
                    assert!(text.contains(":"), "{}: a position is named:\n{text}", case.name);
                    no_escapes(case.name, text.as_bytes());
                }
                let en = failed.render(Lang::En);
                assert!(en.contains(says), "{}: says {says:?}:\n{}", case.name, &en[..en.len().min(2000)]);
            }
        }
        // The same file through `ducha check`.
        let out = ducha(dir.path()).args(["--lang", "en", "check"]).arg(&file).output().unwrap();
        let code = out.status.code();
        assert_eq!(
            code,
            Some(if case.expect == Expect::Accepted { 0 } else { 1 }),
            "{}: exit code",
            case.name
        );
        let all = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
        assert!(all.len() < BOUNDED, "{}: {} bytes printed", case.name, all.len());
        no_escapes(case.name, &all);
    }
    println!(
        "FIGURES hostile_checklists full={full} slowest_load_seconds={:.3} case={}",
        slowest.0, slowest.1
    );
}

#[test]
fn hostile_registry_files_are_refused_or_imported_as_documented_with_bounded_output() {
    hostile_registries(false);
}

#[test]
#[ignore = "the full reliability form: bench/reliability.sh"]
fn hostile_registries_full_form() {
    hostile_registries(true);
}

fn hostile_registries(full: bool) {
    let dir = tempfile::tempdir().unwrap();
    let mut slowest = (0.0, "");
    for case in registries(full) {
        let start = Instant::now();
        let checked = ducha::registry::check(&case.bytes);
        let secs = start.elapsed().as_secs_f64();
        if secs > slowest.0 {
            slowest = (secs, case.name);
        }
        let lines = case.bytes.iter().filter(|b| **b == b'\n').count() as u64 + 1;
        match (&checked, case.expect) {
            (Ok(_), Expect::Accepted) => {}
            (Err(rejected), Expect::Refused(says)) => {
                assert!(rejected.errors.len() <= ducha::registry::MAX_ERRORS_SHOWN, "{}", case.name);
                assert!(
                    rejected.total >= rejected.errors.len() && !rejected.errors.is_empty(),
                    "{}",
                    case.name
                );
                let text: String =
                    rejected.errors.iter().map(|e| e.render("f.csv", Lang::En) + "\n").collect();
                assert!(text.len() < BOUNDED, "{}: {} bytes of messages", case.name, text.len());
                assert!(text.contains(says), "{}: says {says:?}: {text}", case.name);
                no_escapes(case.name, text.as_bytes());
                for e in &rejected.errors {
                    assert!(e.line >= 1 && e.line <= lines, "{}: line {} of {lines}", case.name, e.line);
                }
            }
            (other, expect) => panic!("{}: expected {expect:?}, got {other:?}", case.name),
        }
        // The same file through `ducha sites import`.
        let file = dir.path().join(format!("{}.csv", case.name));
        std::fs::write(&file, &case.bytes).unwrap();
        let out = ducha(dir.path()).args(["--lang", "en", "sites", "import"]).arg(&file).output().unwrap();
        let all = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
        assert_eq!(
            out.status.success(),
            case.expect == Expect::Accepted,
            "{}: {}",
            case.name,
            String::from_utf8_lossy(&all)
        );
        assert!(all.len() < BOUNDED, "{}: {} bytes printed", case.name, all.len());
        no_escapes(case.name, &all);
    }
    println!(
        "FIGURES hostile_registries full={full} slowest_check_seconds={:.3} case={}",
        slowest.0, slowest.1
    );
}

/// Peak memory of a command, from GNU time (`None` where it is not installed).
fn peak_rss_kib(cmd: &std::process::Command) -> Option<u64> {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        return None;
    }
    let mut wrapped = std::process::Command::new(time);
    wrapped.arg("-v").arg(cmd.get_program()).args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => wrapped.env(k, v),
            None => wrapped.env_remove(k),
        };
    }
    let out = wrapped.output().ok()?;
    let err = String::from_utf8_lossy(&out.stderr);
    let line = err.lines().find(|l| l.contains("Maximum resident set size"))?;
    line.rsplit(':').next()?.trim().parse().ok()
}

#[test]
#[ignore = "the full reliability form: bench/reliability.sh"]
fn a_million_row_registry_is_refused_in_bounded_memory_and_time() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("million.csv");
    std::fs::write(&file, hostile::registry_rows(1_000_000)).unwrap();
    let size = std::fs::metadata(&file).unwrap().len();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_ducha"));
    cmd.env("DUCHA_CONFIG", "/nonexistent/x.toml")
        .env("DUCHA_DB", dir.path().join("h.db"))
        .env("DUCHA_USER", "管理员")
        .env("LANG", "C.UTF-8")
        .args(["--lang", "en", "sites", "import"])
        .arg(&file);
    let start = Instant::now();
    let out = cmd.output().unwrap();
    let secs = start.elapsed().as_secs_f64();
    let all = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
    assert!(!out.status.success(), "1M rows are over the documented limits");
    assert!(all.len() < BOUNDED);
    let rss = peak_rss_kib(&cmd);
    // In-process check of the same bytes (the limit on rows, past the limit on file size).
    let bytes = std::fs::read(&file).unwrap();
    let start = Instant::now();
    let checked = ducha::registry::check(&bytes);
    let check_secs = start.elapsed().as_secs_f64();
    assert!(checked.is_err(), "more than {} rows are refused", ducha::registry::MAX_ROWS);
    println!(
        "FIGURES million_rows file_bytes={size} import_seconds={secs:.2} import_peak_rss_kib={} \
         in_process_check_seconds={check_secs:.2} message={:?}",
        rss.map_or("n/a".into(), |r| r.to_string()),
        String::from_utf8_lossy(&all).lines().next().unwrap_or_default()
    );
}
