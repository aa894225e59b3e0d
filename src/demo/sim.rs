//! The year, day by day: every event (a visit, a duty shift, a rectification follow-up) sits in one queue
//! ordered by its time; each simulated day runs in one transaction, with the simulated clock set to each
//! event's time. Events later than the end of the year are dropped, which leaves the recent work in
//! progress.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use rand::Rng;

use super::follow::{self, Rect, Step};
use super::inspect::{self, Photos, Raised};
use super::world::{Visit, World};
use super::{DemoError, Progress, Rng8, duty};
use crate::store::Store;

enum Task {
    Visit(Visit),
    Shift { station: usize, k: usize },
    Follow { rect: usize, step: Step },
}

struct Event {
    at: NaiveDateTime,
    seq: u64,
    task: Task,
}

impl PartialEq for Event {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}
impl Eq for Event {}
impl PartialOrd for Event {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Event {
    /// Reversed, so the max-heap pops the earliest event (ties: the one queued first).
    fn cmp(&self, other: &Self) -> Ordering {
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

#[derive(Default)]
struct Queue {
    heap: BinaryHeap<Event>,
    seq: u64,
}

impl Queue {
    fn push(&mut self, at: NaiveDateTime, task: Task) {
        self.seq += 1;
        self.heap.push(Event { at, seq: self.seq, task });
    }

    fn pop_before(&mut self, limit: NaiveDateTime) -> Option<Event> {
        if self.heap.peek().is_some_and(|e| e.at < limit) { self.heap.pop() } else { None }
    }
}

/// Everything the day loop carries.
pub struct Sim<'a> {
    pub world: World,
    pub rng: Rng8,
    pub photos: &'a mut Photos,
    pub visits: Vec<Vec<Visit>>,
    pub first_day: NaiveDate,
    pub duty_first: NaiveDate,
    pub today: NaiveDate,
    pub cutoff: NaiveDateTime,
    pub progress: &'a mut dyn FnMut(&Progress),
}

struct State {
    queue: Queue,
    rects: Vec<Rect>,
    inspections: u64,
}

fn raised(s: &mut Sim<'_>, st: &mut State, list: Vec<Raised>) {
    for r in list {
        let quality = s.world.sites[r.site].quality;
        let (rect, next) = follow::raise(&mut s.rng, &r, quality);
        st.rects.push(rect);
        if let Some((at, step)) = next {
            st.queue.push(at, Task::Follow { rect: st.rects.len() - 1, step });
        }
    }
}

fn run_event(tx: &rusqlite::Connection, s: &mut Sim<'_>, st: &mut State, e: Event) -> Result<(), DemoError> {
    match e.task {
        Task::Visit(v) => {
            let recent = (s.today - v.start.date()).num_days() <= 10;
            let draft = recent && s.rng.random_bool(0.15);
            let list = inspect::visit(tx, &mut s.rng, &mut s.world, s.photos, v, draft)?;
            st.inspections += 1;
            raised(s, st, list);
        }
        Task::Shift { station, k } => {
            let list = duty::shift(tx, &mut s.rng, &mut s.world, s.photos, station, k, s.cutoff)?;
            st.inspections += 1;
            raised(s, st, list);
        }
        Task::Follow { rect, step } => {
            let Some(r) = st.rects.get_mut(rect) else { return Ok(()) };
            if let Some((at, step)) = follow::perform(tx, &mut s.rng, &mut s.world, r, step, e.at)? {
                st.queue.push(at, Task::Follow { rect, step });
            }
        }
    }
    Ok(())
}

/// Runs the year; returns the number of inspections and duty-log entries begun.
pub fn run(store: &mut Store, s: &mut Sim<'_>) -> Result<u64, DemoError> {
    let mut st = State { queue: Queue::default(), rects: Vec::new(), inspections: 0 };
    let days = s.visits.len();
    for d in 0..days {
        let day = s.first_day + Duration::days(d as i64);
        for v in std::mem::take(&mut s.visits[d]) {
            st.queue.push(v.start, Task::Visit(v));
        }
        if day >= s.duty_first {
            let base = 2 * (day - s.duty_first).num_days() as usize;
            for station in 0..s.world.stations.len() {
                for k in [base, base + 1] {
                    let start = s.world.stations[station].first_shift + Duration::hours(12 * k as i64);
                    if start < s.cutoff && k < s.world.stations[station].teams.len() {
                        st.queue.push(start, Task::Shift { station, k });
                    }
                }
            }
        }
        let limit = (day + Duration::days(1)).and_time(NaiveTime::MIN).min(s.cutoff);
        store.write(|tx| -> Result<(), DemoError> {
            while let Some(e) = st.queue.pop_before(limit) {
                run_event(tx, s, &mut st, e)?;
            }
            Ok(())
        })?;
        (s.progress)(&Progress {
            day: d + 1,
            days,
            inspections: st.inspections,
            rectifications: st.rects.len() as u64,
        });
    }
    Ok(st.inspections)
}
