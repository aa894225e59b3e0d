//! What an inspector answers for each item on a visit: consistent with the site's facts, failing now and
//! then (more often at badly run sites, and again when an earlier failure is not yet fixed), always a valid
//! value for the item's kind.

use chrono::{Duration, NaiveDateTime};
use rand::Rng;
use rand::seq::IndexedRandom;

use super::Rng8;
use super::texts;
use super::world::SiteSim;
use crate::checklist::{AnswerKind, Item};
use crate::domain::Severity;
use crate::inspection::{Check, Value};

/// The visit being answered.
pub struct Ctx<'a> {
    pub sim: &'a SiteSim,
    pub when: NaiveDateTime,
    /// Multiplies every failure probability (duty-log self-checks fail far less than inspections).
    pub strictness: f64,
}

impl Ctx<'_> {
    /// The probability that the item fails on this visit.
    pub fn p_fail(&self, item: &Item) -> f64 {
        if matches!(item.id.as_str(), "officers_showed_ids" | "notice_delivered") {
            return 0.002;
        }
        if self.sim.broken.contains(&item.id) {
            return 0.6;
        }
        let base = match item.severity {
            Severity::Minor => 0.105,
            Severity::Major => 0.085,
            Severity::Critical => 0.03,
        };
        (base * self.sim.quality * self.strictness).min(0.9)
    }

    fn not_applicable(&self, id: &str) -> bool {
        let f = &self.sim.facts;
        match id {
            "auto_fire_systems" => !f.fire_systems,
            "special_equipment" | "special_equipment_staff" => !f.special_equipment,
            "medical_license" => !f.medical,
            "control_room_duty" => !f.control_room,
            "refuge_room" => !f.large,
            "branch_compliance" => !f.branches,
            "major_events_reported" => !f.major_events,
            "prior_rectification" => self.sim.visits_done == 0,
            _ => false,
        }
    }
}

/// A value for any item from its kind alone: passes or fails a check with probability `p_fail`, picks a
/// failing option or an out-of-range number as a failure, and fills the rest plausibly.
pub fn generic(rng: &mut Rng8, item: &Item, p_fail: f64, when: NaiveDateTime) -> Value {
    let fail = rng.random_bool(p_fail.clamp(0.0, 1.0));
    match &item.kind {
        AnswerKind::Check => Value::Check(if fail { Check::Fail } else { Check::Pass }),
        AnswerKind::Number(spec) => {
            let lo = spec.min.unwrap_or(0.0);
            let hi = spec.max.unwrap_or(lo + 100.0).min(lo + 1000.0);
            let (plo, phi) = (spec.pass_min.unwrap_or(lo), spec.pass_max.unwrap_or(hi));
            let (a, b) = match (fail, spec.pass_min, spec.pass_max) {
                (true, Some(pmin), _) if pmin > lo => (lo, pmin - 1.0),
                (true, _, Some(pmax)) if pmax < hi => (pmax + 1.0, hi),
                _ => (plo, phi),
            };
            Value::Number(if b > a { rng.random_range(a..=b).round() } else { a })
        }
        AnswerKind::Text { .. } => Value::Text("无".into()),
        AnswerKind::Choice(opts) => {
            let failing: Vec<_> = opts.iter().filter(|o| o.fail).collect();
            let passing: Vec<_> = opts.iter().filter(|o| !o.fail).collect();
            let pool = if fail && !failing.is_empty() { failing } else { passing };
            Value::Choice(pool.choose(rng).map(|o| o.key.clone()).unwrap_or_default())
        }
        AnswerKind::MultiChoice(opts) => {
            let mut keys: Vec<String> =
                opts.iter().filter(|o| !o.fail && rng.random_bool(0.6)).map(|o| o.key.clone()).collect();
            if keys.is_empty()
                && let Some(o) = opts.iter().find(|o| !o.fail)
            {
                keys.push(o.key.clone());
            }
            if fail && let Some(o) = opts.iter().find(|o| o.fail) {
                keys.push(o.key.clone());
            }
            Value::Multi(keys)
        }
        AnswerKind::Date => Value::Date(when.date()),
        AnswerKind::Time => Value::Time(when.time()),
        AnswerKind::DateTime => Value::DateTime(when),
    }
}

fn check(rng: &mut Rng8, p_fail: f64, na: bool) -> Value {
    Value::Check(if na {
        Check::Na
    } else if rng.random_bool(p_fail) {
        Check::Fail
    } else {
        Check::Pass
    })
}

fn choice(key: &str) -> Value {
    Value::Choice(key.to_string())
}

/// The answer to an item of an inspection visit; `None` leaves an optional item blank. `earlier` reads a
/// value already given in this inspection (the drill's start, for its end).
pub fn for_visit(
    rng: &mut Rng8,
    ctx: &Ctx<'_>,
    item: &Item,
    instance: u32,
    earlier: &dyn Fn(&str) -> Option<Value>,
) -> Option<Value> {
    let p = ctx.p_fail(item);
    let f = &ctx.sim.facts;
    let floors = ctx.sim.site.fields.floors;
    let beds = ctx.sim.site.fields.beds.unwrap_or(60);
    Some(match item.id.as_str() {
        "kitchen_type" => choice(f.kitchen),
        "drill_source" => {
            if rng.random_bool(p) {
                choice("none")
            } else {
                choice(if rng.random_bool(0.3) { "onsite" } else { "record" })
            }
        }
        "drill_start" => {
            let onsite = matches!(earlier("drill_source"), Some(Value::Choice(k)) if k == "onsite");
            let start = if onsite {
                ctx.when + Duration::minutes(rng.random_range(10..60))
            } else {
                let back = Duration::days(rng.random_range(7..175));
                (ctx.when - back).date().and_time(chrono::NaiveTime::MIN)
                    + Duration::minutes(rng.random_range(540..930))
            };
            Value::DateTime(truncate(start))
        }
        "drill_end" => match earlier("drill_start") {
            Some(Value::DateTime(s)) => Value::DateTime(s + Duration::minutes(rng.random_range(20..90))),
            _ => Value::DateTime(truncate(ctx.when)),
        },
        "drill_place" => Value::Text(texts::drill_place(rng, floors)),
        "drill_commander" => {
            let title = texts::pick(rng, &["院长", "副院长", "安全主管", "后勤主任"]);
            Value::Text(format!("{}（{title}）", super::people::name(rng)))
        }
        "drill_participants" => Value::Number(f64::from(rng.random_range(8..(beds / 2).max(10) + 20))),
        "drill_subjects" => {
            let mut keys = vec!["alarm".to_string()];
            for k in ["first_fire", "evacuation", "headcount", "extinguisher"] {
                if rng.random_bool(if k == "evacuation" { 0.9 } else { 0.6 }) {
                    keys.push(k.into());
                }
            }
            Value::Multi(keys)
        }
        "evac_seconds" => Value::Number(if rng.random_bool(p) {
            f64::from(rng.random_range(181..480))
        } else {
            f64::from(rng.random_range(70..181))
        }),
        "drill_problems" => {
            return rng.random_bool(0.7).then(|| Value::Text(texts::drill_problems(rng)));
        }
        "drill_measures" => {
            return rng.random_bool(0.6).then(|| Value::Text(texts::drill_measures(rng)));
        }
        "group_task" => {
            let keys = ["comm", "firefight", "evacuate", "rescue", "other"];
            choice(keys[(instance as usize).saturating_sub(1).min(keys.len() - 1)])
        }
        "group_leader" => return rng.random_bool(0.8).then(|| Value::Text(super::people::name(rng))),
        "group_members" => Value::Number(f64::from(rng.random_range(2..12))),
        "staff_training" => {
            if rng.random_bool(p) {
                choice("untrained")
            } else {
                choice(if rng.random_bool(0.85) { "trained_certified" } else { "trained_unassessed" })
            }
        }
        "sells_fast_games" => choice(if f.fast_games { "yes" } else { "no" }),
        "school_distance" => Value::Number(f.school_distance),
        "inspection_source" => choice(match rng.random_range(0..100) {
            0..60 => "random",
            60..80 => "special",
            80..95 => "complaint",
            _ => "other",
        }),
        "org_type" => choice(f.org_type),
        id if matches!(item.kind, AnswerKind::Check) => check(rng, p, ctx.not_applicable(id)),
        _ => generic(rng, item, p, truncate(ctx.when)),
    })
}

/// Minutes precision, as answers are typed.
pub fn truncate(t: NaiveDateTime) -> NaiveDateTime {
    t - Duration::seconds(i64::from(chrono::Timelike::second(&t)))
}

/// How many groups a drill record lists (0 when there was no drill).
pub fn drill_groups(rng: &mut Rng8, earlier: &dyn Fn(&str) -> Option<Value>) -> u32 {
    match earlier("drill_source") {
        Some(Value::Choice(k)) if k == "onsite" => rng.random_range(3..6),
        Some(Value::Choice(k)) if k == "record" => rng.random_range(2..5),
        _ => 0,
    }
}
