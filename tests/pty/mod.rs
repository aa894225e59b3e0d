//! A pseudo-terminal harness for driving the `ducha` console as a user would: the binary runs in an
//! 80×24 pty, everything it writes is fed into a vt100 parser on a reader thread, and the tests wait for
//! text to appear on the parsed screen (never for fixed times).

#![allow(dead_code)] // each test crate uses part of the harness

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

pub const ROWS: u16 = 24;
pub const COLS: u16 = 80;
/// Generous: a debug build on a busy two-core machine, with other tests running alongside.
pub const TIMEOUT: Duration = Duration::from_secs(10);

pub const ENTER: &str = "\r";
pub const TAB: &str = "\t";
pub const CTRL_S: &str = "\x13";

/// What the console wrote: parsed, and raw (updated together, under one lock).
struct Term {
    parser: vt100::Parser,
    output: Vec<u8>,
}

impl Term {
    /// Whether the output stops at the end of a frame. Everything ratatui writes between two frame ends
    /// is one frame; the pty may hand it over in pieces, and a half-drawn screen must not satisfy a wait.
    /// Every frame ends by hiding the cursor, or by showing it and moving it to where it stands.
    fn settled(&self) -> bool {
        let out = &self.output;
        if out.ends_with(b"\x1b[?25l") {
            return true;
        }
        // `ESC [ ? 25 h ESC [ row ; col H`
        let Some(rest) = out.strip_suffix(b"H") else {
            return false;
        };
        let digits = rest.iter().rev().take_while(|b| b.is_ascii_digit() || **b == b';').count();
        let head = &rest[..rest.len() - digits];
        digits >= 3 && head.ends_with(b"\x1b[?25h\x1b[")
    }
}

/// One running console.
pub struct Console {
    term: Arc<Mutex<Term>>,
    eof: Arc<AtomicBool>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    /// `None` once [`Console::hang_up`] has closed it.
    master: Option<Box<dyn MasterPty + Send>>,
    /// Asks the reader thread to stop after its next read (and so close its side of the pty).
    stop_reading: Arc<AtomicBool>,
    exited: Option<ExitStatus>,
}

impl Console {
    /// Starts `ducha --db DB` in a fresh pty with an isolated environment (no config file, user 王芳,
    /// Chinese), plus `extra` variables.
    pub fn start(db: &Path, extra: &[(&str, &str)]) -> Console {
        Self::start_program(CommandBuilder::new(env!("CARGO_BIN_EXE_ducha")), db, extra)
    }

    /// [`Console::start`], with the console run by a shell that ignores SIGHUP (`trap '' HUP`) and is the
    /// session leader: when the terminal goes away the kernel signals only the leader, so the console
    /// itself gets no SIGHUP (as when a tmux window is closed under `trap '' HUP`).
    pub fn start_under_shell_ignoring_hup(db: &Path, extra: &[(&str, &str)]) -> Console {
        let mut sh = CommandBuilder::new("sh");
        sh.arg("-c");
        // Not the shell's last command, so it is not exec'd in place of the shell.
        sh.arg("trap '' HUP; \"$0\" \"$@\"; exit $?");
        sh.arg(env!("CARGO_BIN_EXE_ducha"));
        Self::start_program(sh, db, extra)
    }

    fn start_program(mut cmd: CommandBuilder, db: &Path, extra: &[(&str, &str)]) -> Console {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize { rows: ROWS, cols: COLS, pixel_width: 0, pixel_height: 0 })
            .expect("open a pty");
        cmd.arg("--db");
        cmd.arg(db);
        if let Some(dir) = db.parent() {
            cmd.cwd(dir);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("DUCHA_CONFIG", "/nonexistent/x.toml");
        cmd.env("DUCHA_USER", "王芳");
        cmd.env("LANG", "zh_CN.UTF-8");
        for var in [
            "DUCHA_DB",
            "DUCHA_LANG",
            "DUCHA_CHECKLISTS",
            "DUCHA_TEST_PANIC",
            "LC_ALL",
            "LC_MESSAGES",
            "NO_COLOR",
        ] {
            cmd.env_remove(var);
        }
        for (k, v) in extra {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn ducha in the pty");
        // Only the child keeps the slave open, so the reader sees end-of-file when it exits.
        drop(pair.slave);
        let master = pair.master;
        let mut reader = master.try_clone_reader().expect("pty reader");
        let writer = master.take_writer().expect("pty writer");
        let term = Arc::new(Mutex::new(Term {
            parser: vt100::Parser::new(NonZeroU16::new(ROWS).unwrap(), NonZeroU16::new(COLS).unwrap(), 0),
            output: Vec::new(),
        }));
        let eof = Arc::new(AtomicBool::new(false));
        let stop_reading = Arc::new(AtomicBool::new(false));
        {
            let (term, eof, stop) = (Arc::clone(&term), Arc::clone(&eof), Arc::clone(&stop_reading));
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                loop {
                    match reader.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            let mut term = term.lock().unwrap();
                            term.parser.process(&buf[..n]);
                            term.output.extend_from_slice(&buf[..n]);
                        }
                    }
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                }
                eof.store(true, Ordering::SeqCst);
            });
        }
        Console { term, eof, writer, child, master: Some(master), stop_reading, exited: None }
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("the child's pid")
    }

    /// Runs `f` on the parsed screen as it is now.
    pub fn with_screen<R>(&self, f: impl FnOnce(&vt100::Screen) -> R) -> R {
        f(self.term.lock().unwrap().parser.screen())
    }

    /// The screen's text, rows separated by newlines.
    pub fn contents(&self) -> String {
        self.with_screen(vt100::Screen::contents)
    }

    /// One row of the screen (0-based).
    pub fn row(&self, n: u16) -> String {
        self.with_screen(|s| s.rows(0, COLS).nth(usize::from(n)).unwrap_or_default())
    }

    /// The footer of key hints: the last row.
    pub fn footer(&self) -> String {
        self.row(ROWS - 1)
    }

    /// Everything the process wrote, as text.
    pub fn output(&self) -> String {
        String::from_utf8_lossy(&self.term.lock().unwrap().output).into_owned()
    }

    /// Types keys (raw bytes: text, `ENTER`, `TAB`, `CTRL_S`, …).
    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write to the pty");
        self.writer.flush().expect("flush the pty");
    }

    /// Waits until `pred` holds for a completely drawn screen; on timeout fails the test showing the
    /// screen.
    pub fn wait_until(&self, what: &str, pred: impl Fn(&vt100::Screen) -> bool) {
        let start = Instant::now();
        loop {
            {
                let term = self.term.lock().unwrap();
                if term.settled() && pred(term.parser.screen()) {
                    return;
                }
            }
            if start.elapsed() > TIMEOUT {
                panic!("timed out after {TIMEOUT:?} waiting for {what}; the screen:\n{}", self.contents());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits until `text` is on the screen and returns the screen's text.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?}"), |s| s.contents().contains(text));
        self.contents()
    }

    /// Waits for the process to exit (failing the test after `timeout`) and for its last output to be
    /// parsed.
    pub fn wait_exit(&mut self, timeout: Duration) -> ExitStatus {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("poll the child") {
                break status;
            }
            if start.elapsed() > timeout {
                panic!("ducha did not exit within {timeout:?}; the screen:\n{}", self.contents());
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        while !self.eof.load(Ordering::SeqCst) && start.elapsed() < timeout + TIMEOUT {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(
            self.eof.load(Ordering::SeqCst),
            "the pty never reached end-of-file after the process exited"
        );
        self.exited = Some(status.clone());
        status
    }

    /// Whether the pty's line discipline has canonical input and echo on (a cooked terminal, as a shell
    /// expects), read through the master side. `None` where portable-pty cannot tell.
    pub fn cooked(&self) -> Option<bool> {
        let termios = self.master.as_ref()?.get_termios()?;
        // Flag names from the bitflags Debug form, e.g. `LocalFlags(ISIG | ICANON | ECHO)`.
        let text = format!("{:?}", termios.local_flags);
        let flags: Vec<&str> = text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).collect();
        Some(flags.contains(&"ICANON") && flags.contains(&"ECHO"))
    }
}

impl Console {
    /// Closes the terminal under the console, as closing its window does: every descriptor of the pty's
    /// master side is closed. `wake` is typed first so the reader thread gets one more read (the
    /// console's answer to it) after which it stops and closes its descriptor; choose a key that redraws
    /// and whose line feed and end-of-file (which portable-pty's writer sends as it closes) do nothing.
    pub fn hang_up(&mut self, wake: &str) {
        self.stop_reading.store(true, Ordering::SeqCst);
        self.send(wake);
        let start = Instant::now();
        while !self.eof.load(Ordering::SeqCst) {
            assert!(start.elapsed() < TIMEOUT, "the reader never took the console's answer to {wake:?}");
            std::thread::sleep(Duration::from_millis(5));
        }
        self.writer = Box::new(std::io::sink());
        self.master = None;
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        // Never leave a console running behind a failed test.
        if self.exited.is_none() && matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The sample registry's lottery outlet the flows below inspect.
pub const OUTLET: &str = "32068002";

impl Console {
    /// Home → `n` → lottery outlets → the outlet `code` → its checklist → the inspectors prefilled (王芳) →
    /// the first item, nothing answered yet.
    pub fn start_outlet_inspection(&mut self, code: &str) {
        self.wait_for("按 n 新建检查");
        self.send("n");
        self.wait_for("选择检查领域");
        self.send("j");
        self.wait_for("> 福利彩票投注站");
        self.send(ENTER);
        self.wait_for("选择被检查单位");
        self.send(code);
        self.wait_for(&format!("> {code}"));
        self.send(ENTER);
        self.wait_for("> 福利彩票投注站督查");
        self.send(ENTER);
        self.wait_for("检查人员：王芳");
        self.send(ENTER);
        self.wait_until("the first item", |s| progress(&s.contents()).is_some_and(|p| p.2 == 0));
    }

    /// On an item that takes a value: Enter opens its editor, a value it accepts is typed (300 for a
    /// number, the first box for a multiple choice, the prefilled date or time as it is, 已核实 for text),
    /// and Ctrl-S saves it.
    pub fn fill_value_editor(&mut self) {
        self.send(ENTER);
        self.wait_until("a value editor", |s| s.contents().contains("Enter 确定"));
        let screen = self.contents();
        if screen.contains("输入数字") {
            self.send("300");
        } else if screen.contains("数字键勾选") {
            self.send("1");
        } else if !(screen.contains("YYYY-MM-DD") || screen.contains("HH:MM")) {
            self.send("已核实");
        }
        self.send(CTRL_S);
    }
}

/// `(answered required, required, answered, shown)` from the progress gauge
/// (`必填 3/27  已答 3/27`), if the item screen is showing.
pub fn progress(screen: &str) -> Option<(usize, usize, usize, usize)> {
    let pair = |tag: &str| -> Option<(usize, usize)> {
        let rest = &screen[screen.find(tag)? + tag.len()..];
        let end = rest.find(|c: char| !(c.is_ascii_digit() || c == '/'))?;
        let (a, b) = rest[..end].split_once('/')?;
        Some((a.parse().ok()?, b.parse().ok()?))
    };
    let (rd, r) = pair("必填 ")?;
    let (a, s) = pair("已答 ")?;
    Some((rd, r, a, s))
}
