#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `ducha check` on hostile or odd input: escape sequences in keys and paths, huge keys, files with
//! hundreds of thousands of errors, odd integers, misspellings, files saved in another encoding.

use std::path::Path;

use assert_cmd::Command;

fn run(lang: &str, file: &Path) -> (i32, Vec<u8>, String) {
    let out = Command::cargo_bin("ducha")
        .unwrap()
        .env("DUCHA_CONFIG", "/nonexistent/ducha-config.toml")
        .env("DUCHA_DB", "/nonexistent/ducha-test.db")
        .env_remove("DUCHA_CHECKLISTS")
        .env_remove("DUCHA_LANG")
        .env("LANG", "C.UTF-8")
        .args(["--lang", lang, "check"])
        .arg(file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let mut all = out.stdout;
    all.extend(&out.stderr);
    (out.status.code().unwrap_or(-1), all, stderr)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let file = dir.join(name);
    std::fs::write(&file, bytes).unwrap();
    file
}

const HEAD: &str = "id = \"fx\"\nversion = 1\ntitle = \"测试\"\ndomain = \"elderly_care\"\n\n[[sections]]\n\
id = \"s1\"\ntitle = \"消防\"\n\n[[sections.items]]\nid = \"exit_clear\"\nprompt = \"畅通？\"\nkind = \"check\"\n";

/// A valid checklist with `extra` appended to its only item.
fn with_item_lines(extra: &str) -> String {
    format!("{HEAD}{extra}\n")
}

#[test]
fn an_escape_sequence_in_a_key_or_a_raw_control_byte_never_reaches_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let keyed = with_item_lines("\"\\u001b[2J\\u001b]0;HACKED\\u0007\" = 1");
    let raw = with_item_lines("note = \"\u{1b}[2J\u{1b}]0;HACKED\u{7}\"");
    for (name, text) in [("keyed.toml", keyed), ("raw\u{1b}[2J.toml", raw)] {
        let file = write(dir.path(), name, text.as_bytes());
        for lang in ["en", "zh"] {
            let (code, all, stderr) = run(lang, &file);
            assert_eq!(code, 1, "{stderr}");
            assert!(!all.contains(&0x1b) && !all.contains(&0x07), "{stderr}");
            assert!(stderr.contains("\\u{1b}"), "{stderr}");
        }
    }
    let (_, _, stderr) = run("en", &dir.path().join("keyed.toml"));
    assert!(stderr.contains("14:1: error: unknown key `\\u{1b}[2J\\u{1b}]0;HACKED\\u{7}`"), "{stderr}");
}

#[test]
fn a_huge_key_gives_a_short_message() {
    let dir = tempfile::tempdir().unwrap();
    let key = "k".repeat(1_000_000);
    let file = write(dir.path(), "huge_key.toml", with_item_lines(&format!("{key} = 1")).as_bytes());
    let (code, _, stderr) = run("en", &file);
    assert_eq!(code, 1, "{}", &stderr[..stderr.len().min(500)]);
    assert!(stderr.len() < 4096, "{} bytes on stderr", stderr.len());
    assert!(stderr.contains(&format!("unknown key `{}…`", "k".repeat(60))), "{stderr}");
}

#[test]
fn hundreds_of_thousands_of_errors_are_counted_and_only_the_first_50_shown() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "errors.toml", "=\n".repeat(300_000).as_bytes());
    for (lang, more) in [("en", "and 899949 more problem(s) not shown"), ("zh", "另有 899949 处错误未显示")]
    {
        let (code, _, stderr) = run(lang, &file);
        assert_eq!(code, 1);
        let shown = stderr.lines().filter(|l| l.contains("errors.toml:")).count();
        assert_eq!(shown, 51, "{}", &stderr[..2000]); // 50 errors and the line counting the rest
        assert!(stderr.contains(more), "{}", &stderr[stderr.len().saturating_sub(500)..]);
        // Three errors a line (two on the first): the 50th is on line 17, and positions stay right.
        assert!(stderr.contains("errors.toml:17:1: "), "{}", &stderr[..2000]);
        assert!(!stderr.contains("errors.toml:18:"), "{}", &stderr[..2000]);
    }
    let (_, _, stderr) = run("en", &file);
    assert!(stderr.contains("1 file(s) failed, 899999 problem(s)"), "{}", &stderr[stderr.len() - 300..]);
}

#[test]
fn odd_integers_name_the_value_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{HEAD}deadline_days = 0x\n\n[[sections.items]]\nid = \"t\"\nprompt = \"温度\"\nkind = \"number\"\n\
         max = 0b\nmin = 99999999999999999999\n\n[[sections.items]]\nid = \"u\"\nprompt = \"x\"\n\
         kind = \"check\"\ndeadline_days = 99999999999999999999\n"
    );
    let file = write(dir.path(), "ints.toml", text.as_bytes());
    let (_, _, en) = run("en", &file);
    assert!(
        en.contains("14:17: error: `deadline_days` = 0x is not a valid integer: no digits after `0x`"),
        "{en}"
    );
    assert!(en.contains("`max` = 0b is not a valid integer: no digits after `0b`"), "{en}");
    assert!(!en.contains("found an integer"), "{en}");
    // A decimal beyond i64 is still a number for `min`, and out of the key's own range for deadline_days.
    assert!(en.contains("`deadline_days` = 99999999999999999999 is out of range (0 to 365)"), "{en}");
    assert_eq!(en.matches(": error: ").count(), 3, "{en}");
    let (_, _, zh) = run("zh", &file);
    assert!(zh.contains("`deadline_days` = 0x 不是有效的整数"), "{zh}");
}

#[test]
fn did_you_mean_only_when_close_and_for_when_items_too() {
    let dir = tempfile::tempdir().unwrap();
    let text = with_item_lines(
        "a = 1\nrequried = true\n\n[[sections.items]]\nid = \"b\"\nprompt = \"p\"\nkind = \"check\"\n\
         when = \"item.exit_claer == fail\"\n\n[[sections.items]]\nid = \"c\"\nprompt = \"p\"\n\
         kind = \"check\"\nwhen = \"item.zzz == fail\"",
    );
    let file = write(dir.path(), "typos.toml", text.as_bytes());
    let (_, _, en) = run("en", &file);
    assert!(en.contains("unknown key `a`\n"), "{en}");
    assert!(en.contains("unknown key `requried` (did you mean `required`?)"), "{en}");
    assert!(
        en.contains("condition refers to unknown item `exit_claer` (did you mean `exit_clear`?)"),
        "{en}"
    );
    assert!(en.contains("condition refers to unknown item `zzz`\n"), "{en}");
    let (_, _, zh) = run("zh", &file);
    assert!(zh.contains("条件引用了不存在的检查项 `exit_claer`（是否应为 `exit_clear`？）"), "{zh}");
}

#[test]
fn a_file_in_another_encoding_is_named_with_how_to_save_it_as_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let text = with_item_lines("");
    let (gbk, _, _) = encoding_rs::GB18030.encode(&text);
    let file = write(dir.path(), "gbk.toml", &gbk);
    let (_, _, en) = run("en", &file);
    assert!(en.contains("3:10: error: not valid UTF-8 text: it looks like GB18030"), "{en}");
    assert!(en.contains("iconv -f GB18030 -t UTF-8"), "{en}");
    let (_, _, zh) = run("zh", &file);
    assert!(zh.contains("看起来是 GB18030"), "{zh}");
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(with_item_lines("").encode_utf16().flat_map(u16::to_le_bytes));
    let file = write(dir.path(), "utf16.toml", &utf16);
    let (_, _, en) = run("en", &file);
    assert!(en.contains("1:1: error: not valid UTF-8 text: it looks like UTF-16LE"), "{en}");
    assert!(!en.contains("binary"), "{en}");
}

#[test]
fn a_mostly_chinese_checklist_in_utf16_or_utf32_without_a_mark_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let text = "title = \"城关镇养老机构消防安全督查检查表（二〇二六年第四季度）\"\n        prompt = \"安全出口、疏散通道是否畅通，有无堵塞、锁闭、占用等情况？\"\n";
    for (name, bytes, enc) in [
        ("le.toml", text.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>(), "UTF-16LE"),
        ("be.toml", text.encode_utf16().flat_map(u16::to_be_bytes).collect(), "UTF-16BE"),
        ("le32.toml", text.chars().flat_map(|c| u32::from(c).to_le_bytes()).collect(), "UTF-32LE"),
    ] {
        let file = write(dir.path(), name, &bytes);
        let (code, _, en) = run("en", &file);
        assert_eq!(code, 1, "{en}");
        assert!(en.contains(&format!("1:1: error: not valid UTF-8 text: it looks like {enc}")), "{en}");
        let (_, _, zh) = run("zh", &file);
        assert!(zh.contains(&format!("看起来是 {enc}")), "{zh}");
    }
}
