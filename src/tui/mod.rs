//! The inspector's console. Data flows one way: key → command (keymap) → reducer (pure, `app::update`) →
//! effects → executor (the only code touching the store) → result actions → reducer → view.

pub mod action;
pub mod app;
pub mod effect;
pub mod field;
pub mod keymap;
pub mod screens;
pub mod scroll;
pub mod view;

use std::collections::{HashMap, VecDeque};
use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyEventKind};
use ratatui::crossterm::execute;

use self::action::Action;
use self::app::{App, ChecklistInfo, update};
use self::effect::{Effect, Executor};
use crate::checklist::{LoadReport, load_paths, load_shipped, reject_conflicts};
use crate::config::Settings;
use crate::store::snapshots;

/// Runs every effect the reducer asks for, feeding each result back in, until nothing is left, waiting
/// for an export started on its thread to end (for tests and scripts that drive the console without
/// its event loop; the loop itself polls the export on its clock ticks and keeps drawing).
pub fn dispatch(app: &mut App, executor: &mut Executor, action: Action) {
    dispatch_drawing(app, executor, action, &mut |_| {});
    while app.exporting.is_some() {
        std::thread::sleep(Duration::from_millis(5));
        let polled = executor.run(Effect::PollExport);
        dispatch_drawing(app, executor, polled, &mut |_| {});
    }
    while app.counting() {
        std::thread::sleep(Duration::from_millis(1));
        let polled = executor.run(Effect::PollCount);
        dispatch_drawing(app, executor, polled, &mut |_| {});
    }
}

/// [`dispatch`], calling `draw` with the state as it is before each slow effect runs, so the screen says
/// what is happening (e.g. "正在导出…") instead of freezing on the previous frame.
pub fn dispatch_drawing(app: &mut App, executor: &mut Executor, action: Action, draw: &mut dyn FnMut(&App)) {
    let mut queue = VecDeque::from([action]);
    while let Some(action) = queue.pop_front() {
        for effect in update(app, action) {
            if effect.is_slow() {
                draw(app);
            }
            queue.push_back(executor.run(effect));
        }
    }
}

/// Loads the console's state and executor from the settings (shipped and admin checklists, the store).
pub fn prepare(settings: &Settings) -> anyhow::Result<(App, Executor)> {
    let opened = crate::app::open_or_read_only(settings)?;
    let mut report = LoadReport::default();
    load_shipped(&mut report);
    if let Some(dir) = &settings.checklists {
        load_paths(&mut report, std::slice::from_ref(dir));
    }
    reject_conflicts(&mut report, &snapshots::known(opened.store.conn())?);
    // One entry per checklist id: its highest version.
    let mut latest: HashMap<String, usize> = HashMap::new();
    for (i, l) in report.loaded.iter().enumerate() {
        let keep = latest
            .get(&l.checklist.id)
            .is_none_or(|j| report.loaded[*j].checklist.version < l.checklist.version);
        if keep {
            latest.insert(l.checklist.id.clone(), i);
        }
    }
    let mut infos: Vec<ChecklistInfo> =
        latest.values().map(|i| ChecklistInfo::from(&report.loaded[*i])).collect();
    infos.sort_by(|a, b| (a.domain, &a.id).cmp(&(b.domain, &b.id)));
    let now = chrono::Local::now().naive_local();
    let mut app = App::new(settings.lang, settings.user.clone(), now, infos);
    app.export_dir = effect::default_export_dir();
    if opened.store.is_read_only() {
        app.read_only = Some(effect::read_only_note(settings.lang));
    }
    let broken = report.failed.len() + report.unreadable.len();
    if broken > 0 {
        app.error(match settings.lang {
            crate::i18n::Lang::Zh => format!("{broken} 个检查表文件有错误，未载入；运行 ducha check 查看"),
            crate::i18n::Lang::En => {
                format!("{broken} checklist file(s) have errors and were not loaded; run ducha check")
            }
        });
    }
    let executor = Executor::new(opened.store, report.loaded, settings.user.clone(), settings.lang);
    Ok((app, executor))
}

/// Restores the terminal when dropped, whatever way the loop ends. Never panics while restoring.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = execute!(std::io::stdout(), DisableBracketedPaste);
        // `try_restore`: `restore` reports a failure with `eprintln!`, which panics when the terminal is gone.
        let _ = ratatui::try_restore();
    }
}

/// Ends the console when it is told to stop or its terminal goes away.
///
/// A terminal can vanish without a SIGHUP reaching the console (`trap '' HUP` in the shell that started
/// it, then the window closed): reads then return end-of-file forever, and crossterm spins inside `poll`
/// without returning, so the event loop never sees anything. A hung-up terminal refuses `tcgetattr`, so
/// this thread asks every fifth of a second whether standard input and output are still terminals.
/// After a stop signal the loop normally ends by itself within a quarter of a second; if it has not two
/// seconds later (it is stuck in that spin), the terminal is restored as far as it can be and the process
/// leaves. Nothing is lost: every answer was committed when it was given.
fn watch_terminal(stop: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            if !terminal_present() {
                stop.store(true, Ordering::Relaxed);
                break;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        std::thread::sleep(Duration::from_secs(2));
        let _ = execute!(std::io::stdout(), DisableBracketedPaste);
        // `try_restore`: `restore` reports a failure with `eprintln!`, which panics when the terminal is gone.
        let _ = ratatui::try_restore();
        std::process::exit(0);
    });
}

/// Whether the console still has its terminal: a hung-up one is no longer a terminal to `isatty`.
fn terminal_present() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// Opens the console on a terminal; without one (a pipe, CI), prints the status instead.
pub fn run(settings: &Settings) -> anyhow::Result<()> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        eprintln!(
            "{}",
            settings.lang.pick(
                "（不是终端，显示状态而非控制台）",
                "(not a terminal: showing the status instead of the console)"
            )
        );
        return crate::cli::status_run(settings);
    }
    let (mut app, mut executor) = prepare(settings)?;
    view::styled::set_no_color(std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()));
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGQUIT,
    ] {
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    watch_terminal(Arc::clone(&stop));
    // ratatui::init installs a panic hook that restores the terminal before the panic message prints.
    let mut terminal = ratatui::init();
    let _restore = Restore;
    let _ = execute!(std::io::stdout(), EnableBracketedPaste);
    let first = executor.run(Effect::LoadHome);
    dispatch(&mut app, &mut executor, first);
    let ended = event_loop(&mut terminal, &mut app, &mut executor, &stop);
    if terminal_present() {
        return ended;
    }
    // A terminal that went away fails the next draw or read: every answer is already committed, so this
    // is a normal end, with no one left to tell. Dropping the terminal would try to show the cursor on it
    // and report the failure with `eprintln!`, which panics on the closed terminal.
    std::mem::forget(terminal);
    Ok(())
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    executor: &mut Executor,
    stop: &AtomicBool,
) -> anyhow::Result<()> {
    let panic_for_test = std::env::var_os("DUCHA_TEST_PANIC").is_some();
    loop {
        terminal.draw(|frame| view::render(app, frame))?;
        if panic_for_test {
            panic!("DUCHA_TEST_PANIC is set: panicking on purpose to test terminal restoration");
        }
        if app.quit || stop.load(Ordering::Relaxed) {
            break;
        }
        // While the board's count is on its way, it is asked for often so it shows as soon as it is made.
        let wait = if app.counting() { Duration::from_millis(20) } else { Duration::from_millis(250) };
        if !event::poll(wait)? {
            dispatch_drawing(app, executor, Action::Clock(chrono::Local::now().naive_local()), &mut |_| {});
            dispatch_drawing(app, executor, Action::Tick, &mut |_| {});
            continue;
        }
        let action = match event::read()? {
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                dispatch_drawing(
                    app,
                    executor,
                    Action::Clock(chrono::Local::now().naive_local()),
                    &mut |_| {},
                );
                dispatch_drawing(app, executor, Action::Tick, &mut |_| {});
                match app.action_for(key) {
                    Some(action) => action,
                    None => continue,
                }
            }
            Event::Paste(text) => Action::Paste(text),
            _ => continue, // resizes redraw on the next pass
        };
        let mut draw = |app: &App| {
            let _ = terminal.draw(|frame| view::render(app, frame));
        };
        dispatch_drawing(app, executor, action, &mut draw);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
