#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `ducha check` through the real binary: every invalid fixture reports exactly the problems its
//! `# expect: LINE:COL MESSAGE` comments name, valid ones pass, hostile files are refused quickly.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/checklists")
}

fn ducha(lang: &str) -> Command {
    let mut cmd = Command::cargo_bin("ducha").unwrap();
    cmd.env("DUCHA_CONFIG", "/nonexistent/ducha-config.toml")
        .env("DUCHA_DB", "/nonexistent/ducha-test.db")
        .env_remove("DUCHA_CHECKLISTS")
        .env_remove("DUCHA_LANG")
        .env("LANG", "C.UTF-8")
        .args(["--lang", lang]);
    cmd
}

struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

fn check(lang: &str, paths: &[&Path]) -> Outcome {
    let out = ducha(lang).arg("check").args(paths).output().unwrap();
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn expectations(path: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("# expect: "))
        .map(|e| {
            let (pos, msg) = e.split_once(' ').unwrap();
            (pos.to_string(), msg.to_string())
        })
        .collect()
}

#[test]
fn every_invalid_fixture_reports_exactly_its_expected_problems() {
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(fixtures().join("invalid")).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 18, "fixtures missing: {files:?}");
    for file in files {
        let expected = expectations(&file);
        assert!(!expected.is_empty(), "{} has no # expect lines", file.display());
        let out = check("en", &[&file]);
        assert_eq!(out.code, 1, "{}: {}", file.display(), out.stderr);
        let shown = file.display().to_string();
        let headers: Vec<&str> = out.stderr.lines().filter(|l| l.starts_with(&shown)).collect();
        assert_eq!(
            headers.len(),
            expected.len(),
            "{}: expected {expected:?}, got:\n{}",
            file.display(),
            out.stderr
        );
        for ((pos, msg), header) in expected.iter().zip(&headers) {
            let want = format!("{shown}:{pos}: error: {msg}");
            assert!(header.starts_with(&want), "want `{want}`\n got `{header}`");
        }
    }
}

#[test]
fn the_caret_sits_under_the_bad_key_after_chinese_text() {
    let file = fixtures().join("invalid/too_few_options.toml");
    let out = check("en", &[&file]);
    let lines: Vec<&str> = out.stderr.lines().collect();
    let header = lines.iter().position(|l| l.contains("unknown key `fial`")).unwrap();
    let source_line = lines[header + 2];
    let caret_line = lines[header + 3];
    assert!(source_line.contains("label = \"畅通\", fial"), "{source_line}");
    // Display columns: the two Chinese characters take two cells each.
    let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    let key_col = width(&source_line[..source_line.find("fial").unwrap()]);
    assert_eq!(caret_line.find('^').unwrap(), key_col, "\n{source_line}\n{caret_line}");
    assert_eq!(caret_line.matches('^').count(), 4);
}

#[test]
fn messages_follow_the_ui_language() {
    let file = fixtures().join("invalid/unknown_key.toml");
    let out = check("zh", &[&file]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains(":14:3: 错误: 未知的键 `requried`（是否应为 `required`？）"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("1 个文件未通过校验，共 1 处错误"), "{}", out.stderr);
}

#[test]
fn shipped_checklists_all_pass_with_a_summary_line_each() {
    let out = check("en", &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for (id, domain) in [
        ("elderly_care_safety", "elderly_care"),
        ("lottery_outlet_supervision", "lottery_outlet"),
        ("rescue_station_duty_log", "rescue_station"),
        ("social_org_enforcement", "social_org"),
    ] {
        let line = out.stdout.lines().find(|l| l.contains(id)).unwrap_or_else(|| panic!("{id} missing"));
        assert!(line.starts_with(&format!("ok  {id}  v1  {domain}  ")), "{line}");
    }
    // The checked-in files are the ones embedded in the binary.
    let on_disk = Path::new(env!("CARGO_MANIFEST_DIR")).join("checklists");
    let out = check("en", &[&on_disk]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 4);
}

#[test]
fn the_annotated_example_in_the_format_document_is_valid() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/checklist-format.md"))
        .unwrap();
    let start = doc.find("## A complete annotated example").unwrap();
    let block = &doc[start..];
    let body = &block[block.find("```toml\n").unwrap() + 8..];
    let example = &body[..body.find("```").unwrap()];
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("example.toml");
    std::fs::write(&file, example).unwrap();
    let out = check("en", &[&file]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("example_kitchen  v2  elderly_care  5 items"), "{}", out.stdout);
}

#[test]
fn two_different_files_with_the_same_id_and_version_are_an_error() {
    let out = check("en", &[&fixtures().join("conflict")]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("ok  kitchen_check  v3"), "{}", out.stdout);
    assert!(
        out.stderr.contains("b.toml:2:11: error: checklist `kitchen_check` version 3 differs from"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_same_file_found_twice_is_not_a_conflict() {
    let a = fixtures().join("conflict/a.toml");
    let out = check("en", &[&a, &a]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn admin_checklists_are_checked_beside_the_shipped_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixtures().join("invalid/unknown_kind.toml"), dir.path().join("mine.toml")).unwrap();
    let out = ducha("en").arg("--checklists").arg(dir.path()).arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stdout.lines().count(), 4, "{stdout}");
    assert!(stderr.contains("mine.toml:13:10: error: unknown kind `yes_no`"), "{stderr}");
}

fn refused(name: &str, bytes: &[u8], message: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, bytes).unwrap();
    let out = check("en", &[&file]);
    assert_eq!(out.code, 1, "{name}: {}", out.stderr);
    assert!(out.stderr.contains(message), "{name}: {}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
}

#[test]
fn hostile_files_are_refused_with_an_error_not_a_crash() {
    let huge = format!("title = \"{}\"\n", "养".repeat(400_000));
    refused("huge.toml", huge.as_bytes(), "file too large");
    let nested = format!("a = {}1{}\n", "[".repeat(100_000), "]".repeat(100_000));
    refused("nested.toml", nested.as_bytes(), "recursion");
    let nested_tables = format!("{} = 1\n", vec!["k"; 50_000].join("."));
    refused("dotted.toml", nested_tables.as_bytes(), "error:");
    let mut binary = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    binary.extend(std::iter::repeat_n(0u8, 4096));
    refused("image.toml", &binary, "binary file");
    let (gbk, _, _) = encoding_rs::GB18030.encode("title = \"养老机构\"\n");
    refused("gbk.toml", &gbk, "1:10: error: not valid UTF-8 text");
    refused("empty.toml", b"", "missing required key `id`");
}

#[test]
fn a_missing_file_is_an_error_naming_it() {
    let out = check("en", &[Path::new("/nonexistent/x.toml")]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("/nonexistent/x.toml"), "{}", out.stderr);
}

#[test]
fn usage_errors_exit_with_code_2() {
    let out = ducha("en").args(["check", "--bogus"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = ducha("en").args(["--lang", "fr", "check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
