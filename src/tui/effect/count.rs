//! The board's count (共 N 条) on a thread of its own, with a read connection of its own, so a filter change
//! shows its first page at once: counting a filter that selects hundreds of thousands of rectifications
//! reads each of them (a second at a million), while the page reads only its hundred rows. The console asks
//! for the count with the page and polls for it on its clock; a newer filter interrupts a count still
//! running (`sqlite3_interrupt`), and an answer for an older filter is dropped. A database with no file (in
//! memory) or one a second connection cannot open is counted on the console's own connection, as before.

use std::sync::mpsc;
use std::thread::JoinHandle;

use rusqlite::InterruptHandle;

use super::Executor;
use crate::store::Store;
use crate::store::board::{self, Filter};
use crate::tui::action::Action;

/// What is asked of the counting thread.
struct Request {
    generation: u64,
    filter: Filter,
    today: String,
}

/// What it answers: the request's generation and the count or why there is none.
type Answer = (u64, Result<u64, String>);

/// The counting thread, started at the board's first count that needs it.
pub(super) struct Counter {
    requests: Option<mpsc::Sender<Request>>,
    answers: mpsc::Receiver<Answer>,
    interrupt: InterruptHandle,
    /// The latest request; answers to earlier ones are dropped.
    generation: u64,
    /// A count has been asked for and not yet answered.
    pending: bool,
    thread: Option<JoinHandle<()>>,
}

/// Whether the counting thread runs, could not be started, or has not been needed yet.
#[derive(Default)]
pub(super) enum Side {
    #[default]
    NotYet,
    Running(Counter),
    /// No second connection (an in-memory database, or the file could not be opened again): counts are
    /// made on the console's connection.
    Unavailable,
}

impl Counter {
    fn start(reader: Store) -> Counter {
        let interrupt = reader.conn().get_interrupt_handle();
        let (requests, inbox) = mpsc::channel::<Request>();
        let (outbox, answers) = mpsc::channel::<Answer>();
        let thread = std::thread::spawn(move || {
            while let Ok(mut request) = inbox.recv() {
                // Only the latest of the requests waiting is worth counting.
                while let Ok(newer) = inbox.try_recv() {
                    request = newer;
                }
                let counted =
                    board::count(reader.conn(), &request.filter, &request.today).map_err(|e| e.to_string());
                if outbox.send((request.generation, counted)).is_err() {
                    break;
                }
            }
        });
        Counter {
            requests: Some(requests),
            answers,
            interrupt,
            generation: 0,
            pending: false,
            thread: Some(thread),
        }
    }

    /// Asks for the count of `filter`, interrupting a count still running for an earlier filter. False when
    /// the thread is gone.
    fn ask(&mut self, filter: &Filter, today: &str) -> bool {
        if self.pending {
            self.interrupt.interrupt();
        }
        self.generation += 1;
        let request =
            Request { generation: self.generation, filter: filter.clone(), today: today.to_string() };
        self.pending = self.requests.as_ref().is_some_and(|r| r.send(request).is_ok());
        self.pending
    }

    /// The latest request's answer, when it has come.
    fn answer(&mut self) -> Option<Answer> {
        while let Ok(answer) = self.answers.try_recv() {
            if answer.0 == self.generation {
                self.pending = false;
                return Some(answer);
            }
        }
        None
    }
}

impl Drop for Counter {
    /// Leaving the console stops a count still running and waits for the thread to end.
    fn drop(&mut self) {
        self.interrupt.interrupt();
        self.requests = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Executor {
    /// The count of `filter`: `None` when it is being made on the counting thread (its answer comes with
    /// [`Executor::poll_count`]), else made here.
    pub(super) fn count_aside(&mut self, filter: &Filter, today: &str) -> crate::store::Result<Option<u64>> {
        if matches!(self.counter, Side::NotYet) {
            self.counter = match self.store.path().map(Store::open_read_only) {
                Some(Ok(reader)) => Side::Running(Counter::start(reader)),
                _ => Side::Unavailable,
            };
        }
        if let Side::Running(counter) = &mut self.counter
            && counter.ask(filter, today)
        {
            return Ok(None);
        }
        board::count(self.store.conn(), filter, today).map(Some)
    }

    /// The count asked for last, once the counting thread has it; `Done` while it is still counting.
    pub(super) fn poll_count(&mut self) -> Action {
        let Side::Running(counter) = &mut self.counter else { return Action::Done };
        match counter.answer() {
            Some((_, counted)) => {
                let total =
                    counted.map_err(|e| format!("{}{e}", self.lang.pick("计数出错：", "counting failed: ")));
                Action::BoardCounted { total }
            }
            None if !counter.pending => Action::Done,
            None if counter.thread.as_ref().is_some_and(JoinHandle::is_finished) => {
                counter.pending = false;
                self.fail(self.lang.pick("计数线程意外结束", "the counting thread ended unexpectedly"))
            }
            None => Action::Done,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::tui::effect::Effect;

    /// A database with no file has no second connection: a full first page is counted at once, on the
    /// console's connection, and nothing is left to poll.
    #[test]
    fn a_database_in_memory_is_counted_with_its_page() {
        let mut store = Store::open_in_memory().unwrap();
        crate::app::seed(&mut store, "管理员").unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let options = crate::demo::Options { scale: crate::demo::Scale::Tiny, seed: 5, today };
        crate::demo::generate(&mut store, "管理员", &options, &mut |_| {}).unwrap();
        let filter = Filter::default();
        let expected = board::count(store.conn(), &filter, "2026-11-29").unwrap();
        assert!(expected > 100, "a full first page: {expected}");
        let mut executor = Executor::new(store, vec![], "管理员".into(), crate::i18n::Lang::Zh);
        let effect = Effect::LoadBoard { filter, after: None, today: "2026-11-29".into(), to_end: false };
        match executor.run(effect) {
            Action::BoardPage { rows, more: true, total: Some(total), .. } => {
                assert_eq!((rows.len(), total), (100, expected));
            }
            other => panic!("a full page with its count: {other:?}"),
        }
        assert!(matches!(executor.counter, Side::Unavailable));
        assert!(matches!(executor.run(Effect::PollCount), Action::Done));
    }
}
