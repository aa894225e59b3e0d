//! The rescue station's duty log: one entry per 12-hour shift, filled by the officers on duty as the shift
//! goes (shift details at the start, night patrol rounds, incidents, the compliance self-check before the
//! end, the handover signed by the incoming team) and submitted at the handover. A few shifts are never
//! logged and a few handovers go unsigned, so the duty report has gaps to find; the shift under way when
//! the year ends stays a draft.

use chrono::{Duration, NaiveDateTime, Timelike};
use rand::Rng;
use rusqlite::Connection;

use super::answers::{self, Ctx};
use super::inspect::{Photos, Raised, Writer};
use super::texts;
use super::{DemoError, Rng8};
use crate::checklist::Item;
use crate::inspection::{Check, Slot, Value};

/// What happened in one shift.
struct Shift {
    start: NaiveDateTime,
    end: NaiveDateTime,
    night: bool,
    officers: Vec<String>,
    next: Option<Vec<String>>,
    leader: String,
    residents: u32,
    admissions: u32,
    departures: u32,
    minors: bool,
    hospital: bool,
    police: bool,
    incident: Option<NaiveDateTime>,
    signed: bool,
}

fn check(rng: &mut Rng8, p_fail: f64, na: bool) -> Value {
    Value::Check(if na {
        Check::Na
    } else if rng.random_bool(p_fail.clamp(0.0, 1.0)) {
        Check::Fail
    } else {
        Check::Pass
    })
}

/// When the night patrol's round `instance` (from 1) is due: 22:00, then every two hours.
fn round_at(s: &Shift, instance: u32) -> NaiveDateTime {
    let base = s.start.date().and_time(chrono::NaiveTime::MIN) + Duration::hours(22);
    base + Duration::hours(2 * i64::from(instance.saturating_sub(1)))
}

/// The answer to an item of the shift's log and when it is written; `None` leaves it blank.
fn answer(
    rng: &mut Rng8,
    ctx: &Ctx<'_>,
    s: &Shift,
    item: &Item,
    instance: u32,
) -> Option<(Value, NaiveDateTime)> {
    let early = s.start + Duration::minutes(rng.random_range(3..25));
    let late = s.end - Duration::minutes(rng.random_range(20..70));
    let p = ctx.p_fail(item);
    let round_at = || round_at(s, instance);
    let v = match item.id.as_str() {
        "shift_start" => (Value::DateTime(s.start), early),
        "shift_end" => (Value::DateTime(s.end), early),
        "officers" => (Value::Text(s.officers.join("、")), early),
        "duty_leader" => (Value::Text(s.leader.clone()), early),
        "residents_at_start" => (Value::Number(f64::from(s.residents)), early),
        "admissions" => (Value::Number(f64::from(s.admissions)), late),
        "departures" => (Value::Number(f64::from(s.departures)), late),
        "admission_notes" => {
            if s.admissions + s.departures == 0 {
                return None;
            }
            (Value::Text(texts::admission_notes(rng, s.admissions, s.departures)), late)
        }
        "patrol_time" => {
            let t = round_at() + Duration::minutes(rng.random_range(-10..15));
            (Value::Time(answers::truncate(t).time()), t + Duration::minutes(2))
        }
        "patrol_by" => {
            let who = s.officers[instance as usize % s.officers.len().max(1)].clone();
            (Value::Text(who), round_at() + Duration::minutes(20))
        }
        "patrol_areas" => {
            let mut keys: Vec<String> = vec!["male_dorm".into(), "female_dorm".into(), "gate".into()];
            for k in ["minors", "medical_obs", "cctv_room"] {
                if rng.random_bool(0.5) {
                    keys.push(k.into());
                }
            }
            (Value::Multi(keys), round_at() + Duration::minutes(21))
        }
        "patrol_result" => {
            let bad = rng.random_bool(0.03);
            (
                Value::Choice(if bad { "abnormal" } else { "normal" }.into()),
                round_at() + Duration::minutes(22),
            )
        }
        "patrol_details" => (Value::Text(texts::patrol_details(rng)), round_at() + Duration::minutes(30)),
        "incident" => {
            let key = if s.incident.is_some() { "yes" } else { "no" };
            (Value::Choice(key.into()), s.incident.map_or(late, |t| t + Duration::minutes(30)))
        }
        "incident_time" => {
            let t = s.incident.unwrap_or(s.start);
            (Value::DateTime(answers::truncate(t)), t + Duration::minutes(31))
        }
        "incident_detail" => {
            (Value::Text(texts::incident_detail(rng)), s.incident.unwrap_or(s.start) + Duration::minutes(35))
        }
        "incident_reported" => {
            (check(rng, 0.05, false), s.incident.unwrap_or(s.start) + Duration::minutes(36))
        }
        "entry_safety_check" | "health_check" | "fingerprint_photo" => {
            (check(rng, p, s.admissions == 0), late)
        }
        "departure_procedure" => (check(rng, p, s.departures == 0), late),
        "minors_guardianship" => (check(rng, p, !s.minors), late),
        "medical_referral" => (check(rng, p, !s.hospital), late),
        "police_referral" => (check(rng, p, !s.police), late),
        "outgoing_waited" => (check(rng, if s.signed { 0.005 } else { 0.3 }, false), s.end),
        "handover" => {
            let next = s.next.as_ref().filter(|_| s.signed)?;
            (Value::Text(next.join("、")), s.end + Duration::minutes(1))
        }
        "handover_time" => {
            if !s.signed || s.next.is_none() {
                return None;
            }
            let t = s.end + Duration::minutes(rng.random_range(-5..10));
            (Value::DateTime(answers::truncate(t)), s.end + Duration::minutes(2))
        }
        "handover_notes" => {
            if !rng.random_bool(0.5) {
                return None;
            }
            (Value::Text(texts::handover_notes(rng)), s.end + Duration::minutes(3))
        }
        _ => (answers::generic(rng, item, p, answers::truncate(late)), late),
    };
    Some(v)
}

/// Logs shift `k` of station `station`; stops (leaving a draft) at `cutoff`. Returns the rectifications
/// raised on submit.
pub fn shift(
    tx: &Connection,
    rng: &mut Rng8,
    world: &mut super::world::World,
    photos: &mut Photos,
    station: usize,
    k: usize,
    cutoff: NaiveDateTime,
) -> Result<Vec<Raised>, DemoError> {
    let st = &world.stations[station];
    let start = st.first_shift + Duration::hours(12 * k as i64);
    let names = |team: &[usize; 2]| team.iter().map(|i| st.officers[*i].clone()).collect::<Vec<_>>();
    let night = start.hour() >= 20;
    // Stays are short (normally under ten days): each resident may leave in any shift, mostly by day.
    let admissions = rng.random_range(0..if night { 2 } else { 4 });
    let residents = st.residents;
    let leave = if night { 0.04 } else { 0.16 };
    let departures = (0..residents).filter(|_| rng.random_bool(leave)).count() as u32;
    let s = Shift {
        start,
        end: start + Duration::hours(12),
        night,
        officers: names(&st.teams[k]),
        next: st.teams.get(k + 1).map(names),
        leader: st.leaders[rng.random_range(0..st.leaders.len().max(1))].clone(),
        residents,
        admissions,
        departures,
        minors: admissions > 0 && rng.random_bool(0.12),
        hospital: rng.random_bool(0.04),
        police: rng.random_bool(0.015),
        incident: rng.random_bool(0.04).then(|| start + Duration::minutes(rng.random_range(30..700))),
        signed: !rng.random_bool(0.03),
    };
    world.stations[station].residents = residents + admissions - departures;
    // A shift nobody logged: a gap in coverage.
    if rng.random_bool(0.012) {
        return Ok(Vec::new());
    }
    let site = world.stations[station].site;
    let sim = &world.sites[site];
    let mut w =
        Writer::start(tx, world, site, &s.officers, start + Duration::minutes(rng.random_range(1..10)))?;
    let ctx = Ctx { sim, when: start, strictness: 0.12 };
    // Answers are written when their facts are known (patrol rounds through the night, the self-check
    // before the end), not in the order of the form; those not yet due at the cutoff stay unanswered.
    let mut last = w.t;
    let mut resume = None;
    for si in 0..w.sheet.checklist.sections.len() {
        let instances = if w.sheet.checklist.sections[si].repeat.is_some() {
            let rounds = if s.night { rng.random_range(3..6) } else { 0 };
            let mut list = Vec::new();
            for r in 1..=rounds {
                let at = round_at(&s, r) - Duration::minutes(15);
                if at > cutoff {
                    break;
                }
                super::tick(at);
                list.push(w.add_instance(si)?);
            }
            list
        } else {
            vec![0]
        };
        let items = w.sheet.checklist.sections[si].items.len();
        for instance in instances {
            for ii in 0..items {
                let slot = Slot { section: si, item: ii, instance };
                if !w.sheet.visible(slot) {
                    continue;
                }
                let item = w.sheet.item(slot).clone();
                let Some((value, at)) = answer(rng, &ctx, &s, &item, instance) else { continue };
                if at > cutoff {
                    resume = resume.or(Some((item.id.clone(), instance)));
                    continue;
                }
                last = last.max(at);
                w.put(rng, photos, slot, value, at)?;
            }
        }
    }
    let submit_at = last.max(s.end) + Duration::minutes(rng.random_range(2..15));
    if resume.is_some() || submit_at > cutoff {
        w.leave(resume)?;
        return Ok(Vec::new());
    }
    w.submit(submit_at, &s.officers, "", site)
}
