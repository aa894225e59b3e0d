//! The simulated world at the start of the year: users, the site registry (sample sites plus generated
//! ones), each site's stable facts (its kitchen, lifts, distance to the nearest school…), the rescue
//! stations' duty rosters, the checklists' snapshots, and the plan of visits by day.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use rand::Rng;
use rusqlite::Connection;

use super::people::{Staff, UniqueNames};
use super::places::{self, SiteMaker};
use super::scale::Params;
use super::{DemoError, Rng8, at};
use crate::checklist::Loaded;
use crate::domain::Domain;
use crate::roles::Role;
use crate::store::sites::{self, Filter, Site};
use crate::store::{snapshots, users};

/// What stays true of a site all year, so that visits answer consistently.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub kitchen: &'static str,
    pub fire_systems: bool,
    pub special_equipment: bool,
    pub medical: bool,
    pub control_room: bool,
    pub large: bool,
    pub school_distance: f64,
    pub fast_games: bool,
    pub org_type: &'static str,
    pub branches: bool,
    pub major_events: bool,
}

pub struct SiteSim {
    pub site: Site,
    pub county: usize,
    /// How badly the site is run: multiplies failure probabilities (about 0.3 to 3).
    pub quality: f64,
    pub facts: Facts,
    /// Items with a rectification not yet verified: likely to fail again on the next visit.
    pub broken: Vec<String>,
    pub visits_done: u32,
}

/// A rescue station's duty roster: teams of two officers taking 12-hour shifts in turn.
pub struct Station {
    pub site: usize,
    pub officers: Vec<String>,
    pub leaders: Vec<String>,
    /// The officers (indexes into `officers`) of each shift, from the first shift of the log.
    pub teams: Vec<[usize; 2]>,
    pub first_shift: NaiveDateTime,
    pub residents: u32,
}

/// A checklist as used by the demo: the loaded text and its stored snapshot.
pub struct Form {
    pub loaded: Loaded,
    pub snapshot: String,
}

pub struct World {
    pub staff: Vec<Staff>,
    pub sites: Vec<SiteSim>,
    pub stations: Vec<Station>,
    /// Indexed like `Domain::ALL`.
    pub forms: Vec<Form>,
    pub admin: String,
}

fn kind_index(kind: Domain) -> usize {
    Domain::ALL.iter().position(|d| *d == kind).unwrap_or(0)
}

/// Users, sites and snapshots, written at the start of the year by the made-up admin.
pub fn build(
    conn: &Connection,
    rng: &mut Rng8,
    actor: &str,
    params: &Params,
    checklists: &[Loaded],
) -> Result<World, DemoError> {
    let mut forms = Vec::new();
    for kind in Domain::ALL {
        let loaded = checklists
            .iter()
            .find(|l| l.checklist.domain == kind)
            .ok_or_else(|| DemoError::Setup(format!("no shipped checklist for {}", kind.key())))?;
        let snapshot = snapshots::ensure(conn, actor, loaded)?;
        forms.push(Form { loaded: loaded.clone(), snapshot });
    }

    // The sample county's towns and numbering come from the sample registry already stored.
    let existing = sites::list(conn, &Filter::default())?;
    let mut towns: Vec<String> = existing.iter().map(|s| s.fields.town.clone()).collect();
    towns.sort();
    towns.dedup();
    let count_of = |kind| existing.iter().filter(|s| s.fields.kind == kind).count() as u32;
    let mut counties =
        vec![places::sample_county(towns, count_of(Domain::ElderlyCare), count_of(Domain::LotteryOutlet))];
    counties.extend(places::generated_counties(rng, params.generated_counties));

    // People: an admin for the whole database, then each county's supervisors and inspectors, then the
    // duty officers of each rescue station.
    let mut names = UniqueNames::default();
    for u in users::list(conn)? {
        names.reserve(&u.name);
    }
    let admin = names.next(rng);
    users::upsert(conn, actor, &admin, Role::Admin)?;
    let mut staff = Vec::new();
    for _ in &counties {
        let mut s = Staff::default();
        for _ in 0..params.supervisors_per_county {
            let n = names.next(rng);
            users::upsert(conn, &admin, &n, Role::Supervisor)?;
            s.supervisors.push(n);
        }
        for _ in 0..params.inspectors_per_county {
            let n = names.next(rng);
            users::upsert(conn, &admin, &n, Role::Inspector)?;
            s.inspectors.push(n);
        }
        staff.push(s);
    }

    // Sites: the extras of the sample county, then every generated county's registry.
    let mut codes: std::collections::HashSet<String> =
        existing.iter().map(|s| s.fields.code.clone()).collect();
    let mut county_of: HashMap<String, usize> = HashMap::new();
    for (ci, county) in counties.iter().enumerate() {
        let wanted = if ci == 0 { params.sample_extra } else { params.per_county };
        let mut maker = SiteMaker { county, codes: &mut codes, seq: [0; 4] };
        for kind in Domain::ALL {
            for _ in 0..wanted[kind_index(kind)] {
                let f = maker.make(rng, kind);
                sites::upsert(conn, &admin, &f, true)?;
                county_of.insert(f.code, ci);
            }
        }
    }

    let mut all = sites::list(conn, &Filter::default())?;
    if let Some(subset) = params.subset {
        let mut taken = [0usize; 4];
        all.retain(|s| {
            let k = kind_index(s.fields.kind);
            taken[k] += 1;
            taken[k] <= subset[k]
        });
    }
    let mut sims = Vec::with_capacity(all.len());
    for site in all {
        let county = county_of.get(&site.fields.code).copied().unwrap_or(0);
        let quality = (rng.random::<f64>() * 1.2 - 0.6 + rng.random::<f64>() * 1.2 - 0.6).exp();
        let facts = facts(rng, &site);
        sims.push(SiteSim { site, county, quality, facts, broken: Vec::new(), visits_done: 0 });
    }
    Ok(World { staff, sites: sims, stations: Vec::new(), forms, admin })
}

fn facts(rng: &mut Rng8, site: &Site) -> Facts {
    let floors = site.fields.floors.unwrap_or(1);
    let beds = site.fields.beds.unwrap_or(50);
    let code = &site.fields.code;
    Facts {
        kitchen: match rng.random_range(0..100) {
            0..50 => "gas",
            50..78 => "no_gas",
            _ => "none",
        },
        fire_systems: floors >= 3 || beds >= 150 || rng.random_bool(0.2),
        special_equipment: floors >= 3 || rng.random_bool(0.15),
        medical: beds >= 100 && rng.random_bool(0.75),
        control_room: floors >= 4 && beds >= 150,
        large: floors >= 3 && beds >= 150,
        school_distance: if rng.random_bool(0.07) {
            f64::from(rng.random_range(60..200))
        } else {
            f64::from(rng.random_range(210..3000))
        },
        fast_games: rng.random_bool(0.6),
        org_type: match code.get(..2) {
            Some("52") => "private_non_enterprise",
            Some("53") => "foundation",
            _ => "social_group",
        },
        branches: rng.random_bool(0.3),
        major_events: rng.random_bool(0.4),
    }
}

/// The rescue stations' rosters: officers added as inspectors (they fill the log), shifts from 08:00 and
/// 20:00 of the first logged day.
pub fn stations(
    conn: &Connection,
    rng: &mut Rng8,
    world: &mut World,
    params: &Params,
    first_day: NaiveDate,
    last_day: NaiveDate,
) -> Result<(), DemoError> {
    let mut names = UniqueNames::default();
    for u in users::list(conn)? {
        names.reserve(&u.name);
    }
    let shifts = ((last_day - first_day).num_days() as usize + 1) * 2;
    for (si, s) in world.sites.iter().enumerate() {
        if s.site.fields.kind != Domain::RescueStation {
            continue;
        }
        let mut officers = Vec::new();
        for _ in 0..params.officers_per_station.max(2) {
            let n = names.next(rng);
            users::upsert(conn, &world.admin, &n, Role::Inspector)?;
            officers.push(n);
        }
        let leaders: Vec<String> = (0..3).map(|_| super::people::name(rng)).collect();
        let pairs = officers.len() / 2;
        let teams = (0..shifts)
            .map(|k| {
                let t = k % pairs;
                let mut team = [2 * t, 2 * t + 1];
                // Now and then someone swaps a shift with a colleague of another team.
                if rng.random_bool(0.05) {
                    team[1] = (team[1] + 2) % officers.len();
                }
                team
            })
            .collect();
        let beds = s.site.fields.beds.unwrap_or(40);
        world.stations.push(Station {
            site: si,
            officers,
            leaders,
            teams,
            first_shift: at(first_day, 8, 0),
            residents: rng.random_range(3..(beds / 3).max(5)),
        });
    }
    Ok(())
}

/// A visit planned for a day: the site and when the inspectors arrive.
#[derive(Clone, Copy, Debug)]
pub struct Visit {
    pub site: usize,
    pub start: NaiveDateTime,
}

fn working_day(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Visits by day index from `first_day`: each site's yearly visits spread over equal windows, on working
/// days, never on or after `today`.
pub fn plan_visits(
    rng: &mut Rng8,
    world: &World,
    params: &Params,
    first_day: NaiveDate,
    today: NaiveDate,
) -> Vec<Vec<Visit>> {
    let days = (today - first_day).num_days().max(1);
    let mut by_day: Vec<Vec<Visit>> = vec![Vec::new(); days as usize + 1];
    for (si, s) in world.sites.iter().enumerate() {
        let mean = params.visits[kind_index(s.site.fields.kind)];
        if mean <= 0.0 {
            continue;
        }
        let n = (mean * (0.7 + 0.6 * rng.random::<f64>())).round().max(1.0) as i64;
        let window = days as f64 / n as f64;
        for v in 0..n {
            let offset = (v as f64 * window + rng.random::<f64>() * window) as i64;
            let mut day = first_day + Duration::days(offset.min(days - 1));
            while !working_day(day) {
                day -= Duration::days(1);
            }
            if day < first_day || day >= today {
                continue;
            }
            let seconds = rng.random_range(0..450 * 60); // 08:30 to 16:00
            let start = day.and_time(NaiveTime::MIN) + Duration::seconds(510 * 60 + seconds);
            by_day[(day - first_day).num_days() as usize].push(Visit { site: si, start });
        }
    }
    by_day
}
