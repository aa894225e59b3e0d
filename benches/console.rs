//! The console's start-up and memory on a big database against an empty one (`cargo bench --bench console`).
//!
//! Starts the release binary in an 80×24 pseudo-terminal, alternating an empty database and the big one
//! (`DUCHA_BENCH_DB`, default `bench/out/big/big.db` from `bench/make-big-db.sh`), and times spawn → the first
//! full home frame (the line 未销号整改 N with its counts, which needs the data). Then it reads the process's
//! peak resident memory (VmHWM) and quits with `q`. Prints the medians and their ratio, as bench/run.sh reads
//! them (`first-frame-ms EMPTY BIG` and `peak-rss-kb EMPTY BIG`).

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// One start: milliseconds to the first full frame, and the peak resident memory in kB.
fn start_once(db: &Path) -> Res<(f64, u64)> {
    let pair =
        native_pty_system().openpty(PtySize { rows: 24, cols: 80, pixel_width: 0, pixel_height: 0 })?;
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_ducha"));
    cmd.args(["--lang", "zh", "--user", "管理员", "--db"]);
    cmd.arg(db);
    cmd.env("TERM", "xterm-256color");
    cmd.env("DUCHA_CONFIG", "/nonexistent/x.toml");
    let started = Instant::now();
    let mut child = pair.slave.spawn_command(cmd)?;
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader()?;
    let mut writer = pair.master.take_writer()?;
    let rows = NonZeroU16::new(24).ok_or("rows")?;
    let cols = NonZeroU16::new(80).ok_or("cols")?;
    let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
    let seen = Arc::new(Mutex::new(None::<Duration>));
    {
        let (parser, seen) = (Arc::clone(&parser), Arc::clone(&seen));
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let Ok(mut p) = parser.lock() else { break };
                p.process(&buf[..n]);
                let text = p.screen().contents();
                if let Ok(mut s) = seen.lock()
                    && s.is_none()
                    && full_home(&text)
                {
                    *s = Some(started.elapsed());
                }
            }
        });
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    let first = loop {
        if let Some(d) = *seen.lock().map_err(|_| "lock")? {
            break d;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            return Err(format!("no home frame within 60 s on {}", db.display()).into());
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    let pid = child.process_id().ok_or("pid")?;
    let rss = peak_rss_kb(pid)?;
    writer.write_all(b"q")?;
    writer.flush()?;
    child.wait()?;
    Ok((first.as_secs_f64() * 1000.0, rss))
}

/// The home screen with its counts drawn (not the 正在读取 placeholder).
fn full_home(text: &str) -> bool {
    text.lines().any(|l| l.find("未销号整改").is_some_and(|i| l[i..].chars().any(|c| c.is_ascii_digit())))
}

fn peak_rss_kb(pid: u32) -> Res<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).ok_or("no VmHWM")?;
    Ok(line.split_whitespace().nth(1).ok_or("VmHWM")?.parse()?)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
}

fn main() -> Res<()> {
    let big = std::env::var_os("DUCHA_BENCH_DB")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("bench/out/big/big.db"));
    if !big.exists() {
        return Err(format!("{} is missing: run bench/make-big-db.sh", big.display()).into());
    }
    let runs: usize = std::env::var("DUCHA_BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(7);
    let dir = tempfile::tempdir()?;
    let empty = dir.path().join("empty.db");
    // The first start creates and seeds the empty database; it is not counted.
    start_once(&empty)?;
    start_once(&big)?;
    let (mut e_ms, mut b_ms, mut e_rss, mut b_rss) = (vec![], vec![], vec![], vec![]);
    for _ in 0..runs {
        let (ms, rss) = start_once(&empty)?;
        e_ms.push(ms);
        e_rss.push(rss as f64);
        let (ms, rss) = start_once(&big)?;
        b_ms.push(ms);
        b_rss.push(rss as f64);
    }
    let (e, b) = (median(e_ms), median(b_ms));
    println!("first-frame-ms {e:.1} {b:.1}");
    let (er, br) = (median(e_rss), median(b_rss));
    println!("peak-rss-kb {er:.0} {br:.0}");
    println!(
        "console start to the first full frame: empty {e:.1} ms, {} {b:.1} ms, ratio {:.2}; peak memory {:.1} MB vs {:.1} MB ({runs} runs each, alternating, medians)",
        big.display(),
        b / e,
        er / 1024.0,
        br / 1024.0
    );
    Ok(())
}
