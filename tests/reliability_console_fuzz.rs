#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Console fuzzing in-process: random key sequences (letters, digits, control keys, F-keys, Esc, Chinese
//! text, pastes, clock jumps) with random resizes between 1×1 and 200×60, through the keymap, the reducer
//! and the real effect executor on a temporary database, each frame drawn on ratatui's `TestBackend`.
//! Nothing may panic. Exports, notices and evidence are not run (they would write files where a random path
//! points); the reducer gets a failure back for them instead, as when a disk is full.
//!
//! Reduced form (CI): 10 sequences of 300 keys. Full form: `DUCHA_RELIABILITY_ROUNDS=300 cargo test
//! --release --test reliability_console_fuzz -- --ignored`. The seed is printed; replay with
//! `DUCHA_RELIABILITY_SEED=<seed>`.

mod reliability;

use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use ducha::config::Settings;
use ducha::i18n::Lang;
use ducha::tui::action::Action;
use ducha::tui::app::{App, update};
use ducha::tui::effect::{Effect, Executor};
use ducha::tui::{keymap, prepare, view};
use rand::Rng;
use rand::seq::IndexedRandom;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const CHINESE: &[&str] = &["敬老院", "如城街道", "消防", "门头标识褪色", "王芳、李强", "）。", "〕", "　"];

fn random_key(rng: &mut impl Rng) -> KeyEvent {
    let plain = |c| KeyEvent::new(c, KeyModifiers::NONE);
    match rng.random_range(0..100) {
        // Moving and answering keep the fuzzer inside the screens instead of bouncing off home.
        0..=14 => plain(KeyCode::Enter),
        15..=34 => plain(KeyCode::Char(char::from(b'0' + rng.random_range(0..10u8)))),
        35..=44 => plain(KeyCode::Char(
            *[b'j', b'k', b'n', b'b', b'w', b'l', b'h', b's'].choose(rng).unwrap() as char,
        )),
        45..=54 => plain(KeyCode::Char(char::from(rng.random_range(b' '..=b'~')))),
        55..=59 => plain(KeyCode::Esc),
        60..=64 => plain(KeyCode::Tab),
        65..=69 => plain(
            *[
                KeyCode::Up,
                KeyCode::Down,
                KeyCode::Left,
                KeyCode::Right,
                KeyCode::PageUp,
                KeyCode::PageDown,
                KeyCode::Home,
                KeyCode::End,
                KeyCode::Backspace,
                KeyCode::Delete,
                KeyCode::BackTab,
                KeyCode::Insert,
            ]
            .choose(rng)
            .unwrap(),
        ),
        70..=74 => plain(KeyCode::F(rng.random_range(1..=12))),
        75..=82 => {
            // Control keys, Ctrl-C (force quit) excluded so that a sequence goes on.
            let c = char::from(rng.random_range(b'a'..=b'z'));
            let c = if c == 'c' { 's' } else { c };
            KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
        }
        83..=86 => {
            KeyEvent::new(KeyCode::Char(char::from(rng.random_range(b'A'..=b'Z'))), KeyModifiers::SHIFT)
        }
        87..=89 => KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT),
        _ => {
            let word = CHINESE.choose(rng).unwrap();
            plain(KeyCode::Char(word.chars().next().unwrap()))
        }
    }
}

/// Runs effects as `ducha::tui::dispatch` does, except those that write files where a path points.
fn dispatch(app: &mut App, executor: &mut Executor, action: Action) {
    let mut queue = VecDeque::from([action]);
    let mut guard = 0;
    while let Some(action) = queue.pop_front() {
        guard += 1;
        assert!(guard < 10_000, "an action chain that never ends");
        for effect in update(app, action) {
            let skipped = matches!(
                effect,
                Effect::Export { .. } | Effect::ExportNotice { .. } | Effect::AttachEvidence { .. }
            );
            queue.push_back(if skipped {
                Action::Failed("fuzz: not written".into())
            } else {
                executor.run(effect)
            });
        }
    }
}

fn start_time() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 29).unwrap().and_hms_opt(9, 30, 0).unwrap()
}

/// One sequence of `keys` keys on a fresh console; panics (with the step) on failure.
fn sequence(rng: &mut impl Rng, keys: usize, lang: Lang, dir: &std::path::Path) {
    let settings =
        Settings { db: dir.join("f.db"), checklists: None, lang, user: "王芳".into(), config_file: None };
    let (mut app, mut executor) = prepare(&settings).unwrap();
    app.export_dir = dir.to_path_buf();
    let mut now = start_time();
    app.now = now;
    let first = executor.run(Effect::LoadHome);
    dispatch(&mut app, &mut executor, first);
    let mut size = (80u16, 24u16);
    let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
    for _ in 0..keys {
        if rng.random_bool(0.1) {
            size = (rng.random_range(1..=200), rng.random_range(1..=60));
            terminal = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
        }
        now += Duration::milliseconds(rng.random_range(0..1500));
        dispatch(&mut app, &mut executor, Action::Clock(now));
        dispatch(&mut app, &mut executor, Action::Tick);
        let action = if rng.random_bool(0.03) {
            Action::Paste(CHINESE.choose(rng).unwrap().repeat(rng.random_range(1..40)))
        } else {
            let key = random_key(rng);
            match keymap::resolve(&app.contexts(), &key) {
                Some(cmd) => Action::Cmd(cmd),
                None if app.editing() => Action::Key(key),
                None => continue,
            }
        };
        dispatch(&mut app, &mut executor, action);
        // `q` quits: the console would end here; start over on home, as a restart would.
        if app.quit {
            app.quit = false;
        }
        terminal.draw(|frame| view::render(&app, frame)).unwrap();
    }
}

fn run(sequences: usize, keys: usize) {
    let seed = reliability::seed();
    eprintln!("reliability_console_fuzz: seed {seed} (replay with DUCHA_RELIABILITY_SEED={seed})");
    let start = std::time::Instant::now();
    // One database for the run: later sequences meet what earlier ones left (drafts, rectifications).
    // On a memory file system where there is one: this fuzzes the reducer and drawing, not durability, and
    // fsyncs would be most of its time.
    let shm = std::path::Path::new("/dev/shm");
    let dir = if shm.is_dir() { tempfile::tempdir_in(shm) } else { tempfile::tempdir() }.unwrap();
    for n in 0..sequences {
        let mut rng = reliability::rng(seed.wrapping_add(n as u64));
        let lang = if n % 3 == 2 { Lang::En } else { Lang::Zh };
        let outcome =
            std::panic::catch_unwind(AssertUnwindSafe(|| sequence(&mut rng, keys, lang, dir.path())));
        if outcome.is_err() {
            panic!(
                "the console panicked: seed {seed}, sequence {n} (its rng seed {})",
                seed.wrapping_add(n as u64)
            );
        }
    }
    println!(
        "FIGURES console_fuzz sequences={sequences} keys={} seconds={:.1} seed={seed}",
        sequences * keys,
        start.elapsed().as_secs_f64()
    );
}

#[test]
fn random_keys_and_sizes_never_panic_the_console() {
    run(reliability::rounds(10), 300);
}

#[test]
#[ignore = "the full reliability form: bench/reliability.sh"]
fn console_fuzz_full_form() {
    run(reliability::rounds(300), 300);
}
