//! Following rectifications up over the year: most units start soon and report the fix before the
//! deadline, some are late (often after a deadline extension granted by a supervisor), a few never get
//! round to it (they end the year overdue). Supervisors verify reported fixes on working days, and reject
//! some of them (退回), after which the unit reports again. Each step is checked against the lifecycle as
//! `rectification::ops` does and written with the same store functions.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use rand::Rng;
use rusqlite::Connection;

use super::inspect::Raised;
use super::world::World;
use super::{DemoError, Rng8, texts, tick};
use crate::rectification::{Status, Transition};
use crate::store::rectifications;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Plan {
    Prompt,
    Late,
    Stuck,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Start,
    Report,
    /// A supervisor checks the reported fix: verifies it, or rejects it.
    Review,
    Extend,
    Note,
}

pub struct Rect {
    id: String,
    site: usize,
    item_id: String,
    status: Status,
    deadline: NaiveDate,
    inspector: String,
    plan: Plan,
    rejects: u8,
}

pub type Next = Option<(NaiveDateTime, Step)>;

/// A time in working hours on `day` (moved to Monday when `weekdays` and it falls on a weekend).
fn working(rng: &mut Rng8, mut day: NaiveDate, weekdays: bool) -> NaiveDateTime {
    while weekdays && matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        day += Duration::days(1);
    }
    day.and_time(NaiveTime::MIN) + Duration::minutes(rng.random_range(510..1050))
}

/// Some working time `min..=max` days after `from`, never before it.
fn later(rng: &mut Rng8, from: NaiveDateTime, min: i64, max: i64, weekdays: bool) -> NaiveDateTime {
    let days = rng.random_range(min..=max.max(min));
    let t = working(rng, from.date() + Duration::days(days), weekdays);
    if t > from { t } else { from + Duration::minutes(rng.random_range(30..180)) }
}

/// A rectification just raised, and its first follow-up.
pub fn raise(rng: &mut Rng8, r: &Raised, quality: f64) -> (Rect, Next) {
    let q = quality.clamp(0.3, 3.0);
    let roll = rng.random::<f64>();
    let plan = if roll < 0.015 * q {
        Plan::Stuck
    } else if roll < 0.135 * q {
        Plan::Late
    } else {
        Plan::Prompt
    };
    let rect = Rect {
        id: r.id.clone(),
        site: r.site,
        item_id: r.item_id.clone(),
        status: Status::Open,
        deadline: r.deadline,
        inspector: r.inspector.clone(),
        plan,
        rejects: 0,
    };
    let next = match plan {
        Plan::Stuck if rng.random_bool(0.5) => (later(rng, r.at, 1, 10, false), Step::Start),
        Plan::Stuck => (later(rng, r.at, 7, 20, true), Step::Note),
        Plan::Late => (later(rng, r.at, 1, 7, false), Step::Start),
        Plan::Prompt if rng.random_bool(0.75) => (later(rng, r.at, 0, 3, false), Step::Start),
        Plan::Prompt => report_time(rng, &rect, r.at),
    };
    (rect, Some(next))
}

/// When the unit reports the fix: before the deadline when prompt, weeks after it when late.
fn report_time(rng: &mut Rng8, rect: &Rect, now: NaiveDateTime) -> (NaiveDateTime, Step) {
    let on_time = rect.plan == Plan::Prompt || rng.random_bool(0.3);
    let days_left = (rect.deadline - now.date()).num_days();
    let at = if on_time && days_left > 0 {
        later(rng, now, 0, days_left, false)
    } else if on_time {
        now + Duration::minutes(rng.random_range(60..600))
    } else {
        later(rng, rect.deadline.and_time(NaiveTime::MIN), 1, 35, false)
    };
    (at.max(now + Duration::minutes(30)), Step::Report)
}

fn transition(
    tx: &Connection,
    actor: &str,
    rect: &mut Rect,
    t: Transition,
    note: &str,
) -> Result<bool, DemoError> {
    // As `rectification::ops::transition`: only what the lifecycle allows from the current status.
    let Some(to) = t.apply(rect.status) else { return Ok(false) };
    if t.needs_note() && note.trim().is_empty() {
        return Err(DemoError::Invalid(format!("{} needs a note", t.key())));
    }
    rectifications::set_status(tx, actor, &rect.id, rect.status.key(), to.key(), note.trim())?;
    rect.status = to;
    Ok(true)
}

/// Carries out one follow-up step at `at` and plans the next.
pub fn perform(
    tx: &Connection,
    rng: &mut Rng8,
    world: &mut World,
    rect: &mut Rect,
    step: Step,
    at: NaiveDateTime,
) -> Result<Next, DemoError> {
    if rect.status == Status::Verified {
        return Ok(None);
    }
    tick(at);
    let county = world.sites[rect.site].county;
    let supervisor = world.staff[county].supervisor(rng);
    let inspector = rect.inspector.clone();
    Ok(match step {
        Step::Start => {
            transition(tx, &inspector, rect, Transition::Start, "")?;
            match rect.plan {
                Plan::Stuck => Some((later(rng, at, 10, 40, true), Step::Note)),
                Plan::Prompt if rng.random_bool(0.25) => Some((later(rng, at, 1, 5, false), Step::Note)),
                Plan::Late if rng.random_bool(0.55) => {
                    let day = (rect.deadline - Duration::days(rng.random_range(0..4))).max(at.date());
                    Some((working(rng, day, true).max(at + Duration::hours(1)), Step::Extend))
                }
                _ => Some(report_time(rng, rect, at)),
            }
        }
        Step::Note => {
            let (actor, note) = if rng.random_bool(0.5) {
                (supervisor, texts::progress_note(rng))
            } else {
                (inspector, texts::progress_note(rng))
            };
            rectifications::add_note(tx, &actor, &rect.id, &note)?;
            match rect.plan {
                Plan::Stuck if rng.random_bool(0.6) => Some((later(rng, at, 14, 45, true), Step::Note)),
                Plan::Stuck => None,
                _ => Some(report_time(rng, rect, at)),
            }
        }
        Step::Extend => {
            // As `rectification::ops::extend`: a supervisor, a reason, a later date, not once verified.
            let new = rect.deadline + Duration::days(rng.random_range(7..46));
            let reason = texts::extend_reason(rng, at.month());
            let (old_s, new_s) =
                (rect.deadline.format("%Y-%m-%d").to_string(), new.format("%Y-%m-%d").to_string());
            rectifications::extend(tx, &supervisor, &rect.id, &old_s, &new_s, &reason)?;
            rect.deadline = new;
            Some(report_time(rng, rect, at))
        }
        Step::Report => {
            let note = texts::report_note(rng);
            transition(tx, &inspector, rect, Transition::ReportFix, &note)?;
            Some((later(rng, at, 1, 10, true), Step::Review))
        }
        Step::Review => {
            if rect.rejects < 2 && rng.random_bool(0.13) {
                rect.rejects += 1;
                transition(tx, &supervisor, rect, Transition::Reject, &texts::reject_note(rng))?;
                Some((later(rng, at, 2, 14, false), Step::Report))
            } else {
                transition(tx, &supervisor, rect, Transition::Verify, &texts::verify_note(rng))?;
                world.sites[rect.site].broken.retain(|b| *b != rect.item_id);
                None
            }
        }
    })
}
