//! Helpers shared by the integration tests: the `ducha` binary run against a temporary database, with the
//! developer's own configuration and environment kept out.
#![allow(dead_code)]

pub mod conflict;
pub mod console;
pub mod inspection;

use std::path::{Path, PathBuf};

/// A `ducha --db DB` command with a fixed, isolated environment: no config file (`DUCHA_CONFIG` names a
/// file that does not exist), user `测试员`, English messages (`LANG=C.UTF-8`) unless `--lang` is given,
/// and none of the developer's `DUCHA_DB`, `DUCHA_LANG` or `DUCHA_CHECKLISTS`.
pub fn ducha(db: &Path) -> assert_cmd::Command {
    assert_cmd::Command::from_std(ducha_process(db))
}

/// Runs `cmd` to its end: (exit code, or -1 when a signal ended it; stdout; stderr), the output as text
/// (invalid UTF-8 replaced).
pub fn run(cmd: &mut assert_cmd::Command) -> (i32, String, String) {
    let out = cmd.output().expect("run ducha");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// [`ducha`] as a plain process, for tests that read its output while it runs (a pipe closed early).
pub fn ducha_process(db: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_ducha"));
    let no_config = db.with_file_name("no-such-ducha-config.toml");
    cmd.arg("--db")
        .arg(db)
        .env("DUCHA_CONFIG", no_config)
        .env("DUCHA_USER", "测试员")
        .env("LANG", "C.UTF-8")
        .env_remove("DUCHA_DB")
        .env_remove("DUCHA_LANG")
        .env_remove("DUCHA_CHECKLISTS")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    cmd
}

/// Runs `cmd`, reads the first line of its output and then closes the pipe, as `| head -1` does; returns
/// the line and how the process ended (with its standard error).
pub fn first_line_then_close(cmd: &mut std::process::Command) -> (String, std::process::Output) {
    use std::io::{BufRead, BufReader};
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start ducha");
    let mut first = String::new();
    let stdout = child.stdout.take().expect("a piped stdout");
    BufReader::new(stdout).read_line(&mut first).expect("read the first line");
    (first, child.wait_with_output().expect("wait for ducha"))
}

/// A fresh temporary directory and the path of a database file inside it that does not exist yet. Keep
/// the directory alive for as long as the path is used.
pub fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("create a temporary directory");
    let db = dir.path().join("ducha.db");
    (dir, db)
}

/// A new database made (and seeded) by the binary itself (`ducha status`), in a new temporary directory.
pub fn new_db() -> (tempfile::TempDir, PathBuf) {
    let (dir, db) = temp_db();
    ducha(&db).arg("status").assert().success();
    (dir, db)
}

/// This database's own device: (id, code).
pub fn own_device(db: &Path) -> (String, String) {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("SELECT id, code FROM device", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
}

/// Output bytes as text; fails on invalid UTF-8.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}
