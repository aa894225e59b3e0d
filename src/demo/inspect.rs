//! One inspection as an inspector records it, through the store functions the console uses: create the
//! draft, save each answer (with a finding when it fails, and a photo where the item demands one), add
//! repeat instances, then check it the way the submit screen does and submit it, which raises one
//! rectification per failure. A recent one may be left as a draft.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use rand::Rng;
use rusqlite::Connection;

use super::answers::{self, Ctx};
use super::world::{Visit, World};
use super::{DemoError, Rng8, texts, tick};
use crate::checklist::Item;
use crate::domain::Domain;
use crate::inspection::record::{self, check_submittable, default_finding, finding_row};
use crate::inspection::{Answer, Outcome, Sheet, SiteFacts, Slot, Value};
use crate::store::inspections::{self, NewAnswer, NewRectification};
use crate::store::{StoreError, evidence};

/// A rectification just raised, for the follow-up simulation.
#[derive(Clone, Debug)]
pub struct Raised {
    pub id: String,
    pub site: usize,
    pub item_id: String,
    pub deadline: NaiveDate,
    pub at: NaiveDateTime,
    pub inspector: String,
}

/// Placeholder photos: one small SVG per item, written once to a scratch folder and attached (copied into
/// the evidence folder beside the database, as the console does) wherever that item fails.
pub struct Photos {
    scratch: PathBuf,
    pub root: PathBuf,
    made: HashMap<String, PathBuf>,
    pub attached: u64,
}

impl Photos {
    pub fn new(scratch: PathBuf, root: PathBuf) -> Self {
        Photos { scratch, root, made: HashMap::new(), attached: 0 }
    }

    fn source(&mut self, item: &Item) -> Result<PathBuf, DemoError> {
        if let Some(p) = self.made.get(&item.id) {
            return Ok(p.clone());
        }
        std::fs::create_dir_all(&self.scratch)
            .map_err(|e| StoreError::Io { path: self.scratch.clone(), source: e })?;
        let path = self.scratch.join(format!("现场照片_{}.svg", item.id));
        let prompt: String = item.prompt.chars().take(28).collect();
        let svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"480\">\
             <rect width=\"640\" height=\"480\" fill=\"#d9d4c7\"/>\
             <text x=\"24\" y=\"220\" font-size=\"22\">演示照片（ducha demo 生成）</text>\
             <text x=\"24\" y=\"260\" font-size=\"16\">{}</text></svg>\n",
            prompt.replace('<', "&lt;").replace('&', "&amp;")
        );
        std::fs::write(&path, svg).map_err(|e| StoreError::Io { path: path.clone(), source: e })?;
        self.made.insert(item.id.clone(), path.clone());
        Ok(path)
    }

    pub fn cleanup(&self) {
        let _ = std::fs::remove_dir_all(&self.scratch);
    }
}

/// Records the answers of one inspection, keeping the sheet in step with what is stored.
pub struct Writer<'a> {
    pub tx: &'a Connection,
    pub actor: String,
    pub id: String,
    pub sheet: Sheet,
    pub t: NaiveDateTime,
    pub floors: Option<u32>,
    pub responsible: String,
    phone: String,
    answer_ids: HashMap<(String, u32), String>,
}

impl<'a> Writer<'a> {
    pub fn start(
        tx: &'a Connection,
        world: &World,
        site: usize,
        team: &[String],
        t: NaiveDateTime,
    ) -> Result<Self, DemoError> {
        let sim = &world.sites[site];
        let form = &world.forms[kind_index(sim.site.fields.kind)];
        tick(t);
        let id = inspections::create(tx, &team[0], &sim.site.id, &form.snapshot, team)?;
        Ok(Writer {
            tx,
            actor: team[0].clone(),
            id,
            sheet: Sheet::new(form.loaded.checklist.clone(), SiteFacts::from(&sim.site)),
            t,
            floors: sim.site.fields.floors,
            responsible: sim.site.fields.contact.clone(),
            phone: sim.site.fields.phone.clone(),
            answer_ids: HashMap::new(),
        })
    }

    /// The value already answered for an item (instance 0 for items outside repeat sections).
    pub fn earlier(&self, id: &str, instance: u32) -> Option<Value> {
        let a = self.sheet.answers.get(&(id.to_string(), instance));
        a.or_else(|| self.sheet.answers.get(&(id.to_string(), 0))).map(|a| a.value.clone())
    }

    pub fn add_instance(&mut self, section: usize) -> Result<u32, DemoError> {
        let sid = self.sheet.checklist.sections[section].id.clone();
        let n = inspections::add_instance(self.tx, &self.actor, &self.id, &sid)?;
        self.sheet.instances.entry(sid).or_default().push(n);
        Ok(n)
    }

    /// Saves one answer at `at`, as the console's answer screen does.
    pub fn put(
        &mut self,
        rng: &mut Rng8,
        photos: &mut Photos,
        slot: Slot,
        value: Value,
        at: NaiveDateTime,
    ) -> Result<(), DemoError> {
        self.t = at;
        tick(at);
        let item = self.sheet.item(slot).clone();
        let outcome = value.outcome(&item);
        let finding = (outcome == Outcome::Fail).then(|| {
            let mut f = default_finding(&self.sheet, slot, at.date());
            f.problem = texts::problem(rng, &item.id, &item.prompt, self.floors, at.month());
            f.responsible = self.responsible.clone();
            f
        });
        let row = finding.as_ref().map(finding_row);
        let encoded = value.encode();
        let new = NewAnswer {
            item_id: &item.id,
            instance: slot.instance,
            value: &encoded,
            outcome: outcome.key(),
            note: "",
            finding: row.as_ref(),
        };
        let answer_id = inspections::save_answer(self.tx, &self.actor, &self.id, &new)?;
        let mut attached = 0;
        if outcome == Outcome::Fail && item.evidence_on_fail {
            tick(at + Duration::seconds(20));
            let source = photos.source(&item)?;
            let dir = photos.root.join(&self.id);
            let (instance, tx, actor, id) = (slot.instance, self.tx, &self.actor, &self.id);
            evidence::attach(tx, actor, id, &item.id, instance, Path::new(&source), &dir)?;
            photos.attached += 1;
            attached = 1;
        }
        self.answer_ids.insert((item.id.clone(), slot.instance), answer_id);
        let answer = Answer { value, outcome, note: String::new(), finding, revision: 1, evidence: attached };
        self.sheet.answers.insert((item.id, slot.instance), answer);
        Ok(())
    }

    /// Leaves the inspection as a draft, to resume at `next`.
    pub fn leave(self, next: Option<(String, u32)>) -> Result<(), DemoError> {
        if let Some((item, instance)) = next {
            inspections::set_resume(self.tx, &self.id, &format!("{item}#{instance}"))?;
        }
        Ok(())
    }

    /// Checks the sheet as the submit screen does and submits at `at`: one rectification per failure.
    pub fn submit(
        self,
        at: NaiveDateTime,
        team: &[String],
        representative: &str,
        site: usize,
    ) -> Result<Vec<Raised>, DemoError> {
        tick(at);
        check_submittable(&self.sheet).map_err(|e| DemoError::Invalid(e.to_string()))?;
        let names = record::clean_names(team);
        let failures = self.sheet.failures();
        let mut rows = Vec::new();
        for slot in &failures {
            let item = self.sheet.item(*slot);
            let key = (item.id.clone(), slot.instance);
            let answer_id = self.answer_ids.get(&key).cloned().unwrap_or_default();
            let finding = self.sheet.answer(*slot).and_then(|a| a.finding.clone());
            let finding = finding.ok_or_else(|| DemoError::Invalid(format!("no finding for {}", item.id)))?;
            rows.push((*slot, answer_id, finding_row(&finding), finding.deadline));
        }
        let phone = self.phone.clone();
        let rects: Vec<NewRectification<'_>> = rows
            .iter()
            .map(|(slot, answer_id, f, _)| {
                record::rectification_of(self.sheet.item(*slot), slot.instance, answer_id, f, &phone)
            })
            .collect();
        let ids = inspections::submit(self.tx, &self.actor, &self.id, &names, representative, &rects)?;
        Ok(ids
            .into_iter()
            .zip(rows)
            .map(|(id, (slot, _, _, deadline))| Raised {
                id,
                site,
                item_id: self.sheet.item(slot).id.clone(),
                deadline,
                at,
                inspector: self.actor.clone(),
            })
            .collect())
    }
}

/// Amends the last raised failure that is a plain pass/fail item to pass, which withdraws its rectification
/// (and takes it out of the follow-up simulation).
fn amend_away(
    tx: &Connection,
    world: &World,
    kind: Domain,
    raised: &mut Vec<Raised>,
    at: NaiveDateTime,
) -> Result<(), DemoError> {
    let checklist = &world.forms[kind_index(kind)].loaded.checklist;
    let Some(pos) = raised.iter().rposition(|r| {
        checklist.item(&r.item_id).is_some_and(|i| matches!(i.kind, crate::checklist::AnswerKind::Check))
    }) else {
        return Ok(());
    };
    let r = raised.remove(pos);
    let Some(item) = checklist.item(&r.item_id) else { return Ok(()) };
    let Some(rect) = crate::store::rectifications::get(tx, &r.id)? else { return Ok(()) };
    tick(at);
    let reason = "复核现场照片后确认符合要求，原判定有误";
    let pass = inspections::NewAnswer {
        item_id: &item.id,
        instance: rect.instance,
        value: "pass",
        outcome: "pass",
        note: "",
        finding: None,
    };
    inspections::amend(tx, &r.inspector, &rect.inspection_id, &pass, reason)?;
    record::after_amendment(tx, &r.inspector, &rect.inspection_id, item, rect.instance, None, reason)
        .map_err(|e| DemoError::Invalid(e.to_string()))?;
    Ok(())
}

pub fn kind_index(kind: Domain) -> usize {
    Domain::ALL.iter().position(|d| *d == kind).unwrap_or(0)
}

/// Carries out a planned visit; a draft stops part-way. Returns the rectifications raised.
pub fn visit(
    tx: &Connection,
    rng: &mut Rng8,
    world: &mut World,
    photos: &mut Photos,
    v: Visit,
    draft: bool,
) -> Result<Vec<Raised>, DemoError> {
    let sim = &world.sites[v.site];
    let kind = sim.site.fields.kind;
    let min = world.forms[kind_index(kind)].loaded.checklist.min_inspectors;
    let two = min >= 2 || rng.random_bool(if kind == Domain::ElderlyCare { 0.5 } else { 0.15 });
    let team = world.staff[sim.county].team(rng, two);
    if team.is_empty() {
        return Ok(Vec::new());
    }
    let mut w = Writer::start(tx, world, v.site, &team, v.start)?;
    let ctx = Ctx { sim, when: v.start, strictness: 1.0 };
    let total = w.sheet.checklist.item_count();
    let stop_after = draft.then(|| rng.random_range(total / 5..total * 4 / 5));
    let mut answered = 0;
    let mut t = v.start;
    let sections = w.sheet.checklist.sections.len();
    for si in 0..sections {
        let section = &w.sheet.checklist.sections[si];
        let instances = match &section.repeat {
            Some(r) => {
                let n = answers::drill_groups(rng, &|id| w.earlier(id, 0)).clamp(r.min, r.max);
                let mut list = Vec::new();
                for _ in 0..n {
                    list.push(w.add_instance(si)?);
                }
                list
            }
            None => vec![0],
        };
        let items = w.sheet.checklist.sections[si].items.len();
        for instance in instances {
            for ii in 0..items {
                let slot = Slot { section: si, item: ii, instance };
                if !w.sheet.visible(slot) {
                    continue;
                }
                if stop_after.is_some_and(|s| answered >= s) {
                    let next = (w.sheet.item(slot).id.clone(), instance);
                    w.leave(Some(next))?;
                    return Ok(Vec::new());
                }
                let item = w.sheet.item(slot).clone();
                let value = answers::for_visit(rng, &ctx, &item, instance, &|id| w.earlier(id, instance));
                let Some(value) = value else { continue };
                t += Duration::seconds(rng.random_range(15..150));
                w.put(rng, photos, slot, value, t)?;
                answered += 1;
            }
        }
    }
    if draft {
        w.leave(None)?;
        return Ok(Vec::new());
    }
    let representative = sim.site.fields.contact.clone();
    let submitted = t + Duration::minutes(rng.random_range(3..15));
    let mut raised = w.submit(submitted, &team, &representative, v.site)?;
    // Now and then a failure is found, back at the office, to have been a mistake: the answer is amended to
    // pass and its rectification withdrawn (撤销), as the console does.
    if raised.len() > 1 && rng.random_bool(0.05) {
        amend_away(tx, world, kind, &mut raised, submitted + Duration::hours(rng.random_range(2..30)))?;
    }
    let sim = &mut world.sites[v.site];
    sim.visits_done += 1;
    for r in &raised {
        if !sim.broken.contains(&r.item_id) {
            sim.broken.push(r.item_id.clone());
        }
    }
    Ok(raised)
}
