//! Stored random inspection plans and their items; an item is linked to its inspection once started.

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

use super::audit::{self, Entry};
use super::{Result, StoreError, new_id, now};

pub struct NewPlan<'a> {
    pub domain: &'a str,
    pub seed: u64,
    pub inspectors: &'a [String],
    /// (site id, the pair drawn for it), in draw order.
    pub items: &'a [(String, [String; 2])],
}

pub fn create(conn: &Connection, actor: &str, p: &NewPlan<'_>) -> Result<String> {
    let id = new_id();
    let pool = serde_json::to_string(p.inspectors).unwrap_or_else(|_| "[]".into());
    conn.execute(
        "INSERT INTO plans (id, domain, seed, count, inspectors, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![id, p.domain, p.seed.to_string(), p.items.len() as i64, pool, actor, now()],
    )?;
    for (position, (site_id, pair)) in p.items.iter().enumerate() {
        conn.execute(
            "INSERT INTO plan_items (plan_id, position, site_id, inspectors) VALUES (?1, ?2, ?3, ?4)",
            params![
                id,
                position as i64 + 1,
                site_id,
                serde_json::to_string(pair).unwrap_or_else(|_| "[]".into())
            ],
        )?;
    }
    audit::record(
        conn,
        Entry {
            actor,
            action: "plan.create",
            entity: "plan",
            entity_id: &id,
            old: None,
            new: Some(json!({ "domain": p.domain, "seed": p.seed.to_string(), "count": p.items.len() })),
        },
    )?;
    Ok(id)
}

/// A planned inspection not started yet, as the home screen lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct Planned {
    pub plan_id: String,
    pub position: u32,
    pub site_id: String,
    pub site_name: String,
    pub site_code: String,
    pub town: String,
    pub domain: String,
    pub inspectors: Vec<String>,
    pub planned_at: String,
}

pub fn open_items(conn: &Connection, limit: usize) -> Result<Vec<Planned>> {
    let mut stmt = conn.prepare(
        "SELECT p.id, i.position, s.id, s.name, s.code, s.town, p.domain, i.inspectors, p.created_at
         FROM plan_items i JOIN plans p ON p.id = i.plan_id JOIN sites s ON s.id = i.site_id
         WHERE i.inspection_id IS NULL ORDER BY p.created_at DESC, p.id, i.position LIMIT ?1",
    )?;
    let rows = stmt
        .query_map([limit as i64], |r| {
            let pair: String = r.get(7)?;
            Ok(Planned {
                plan_id: r.get(0)?,
                position: r.get(1)?,
                site_id: r.get(2)?,
                site_name: r.get(3)?,
                site_code: r.get(4)?,
                town: r.get(5)?,
                domain: r.get(6)?,
                inspectors: serde_json::from_str(&pair).unwrap_or_default(),
                planned_at: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Links a planned item to the inspection started for it (once).
pub fn link(conn: &Connection, actor: &str, plan_id: &str, position: u32, inspection_id: &str) -> Result<()> {
    let changed = conn.execute(
        "UPDATE plan_items SET inspection_id = ?3 WHERE plan_id = ?1 AND position = ?2 AND inspection_id IS NULL",
        params![plan_id, position, inspection_id],
    )?;
    if changed == 0 {
        return Err(StoreError::Refused(format!("planned item {plan_id}/{position} was already started")));
    }
    audit::record(
        conn,
        Entry {
            actor,
            action: "plan.start",
            entity: "plan",
            entity_id: plan_id,
            old: None,
            new: Some(json!({ "position": position, "inspection_id": inspection_id })),
        },
    )?;
    Ok(())
}

/// The seed a plan was drawn with.
pub fn seed_of(conn: &Connection, plan_id: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT seed FROM plans WHERE id = ?1", [plan_id], |r| r.get(0)).optional()?)
}

/// The sites a random plan of `domain` is drawn from, in the order the draw indexes them: every site of
/// the kind, by code. The one rule for `plan random` and for checking a published plan can be redrawn.
pub fn candidates(conn: &Connection, domain: crate::domain::Domain) -> Result<Vec<super::sites::Site>> {
    let filter = super::sites::Filter { kind: Some(domain), town: None };
    let mut sites = super::sites::list(conn, &filter)?;
    sites.sort_by(|a, b| a.fields.code.cmp(&b.fields.code));
    Ok(sites)
}

/// A stored plan, as drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub id: String,
    /// The domain key (`elderly_care`, …).
    pub domain: String,
    pub seed: String,
    pub count: u32,
    /// How many names the inspector pool held (the names themselves are personal data).
    pub pool: usize,
    pub created_at: String,
}

const PLAN_COLUMNS: &str = "id, domain, seed, count, inspectors, created_at";

fn row_to_plan(r: &rusqlite::Row<'_>) -> rusqlite::Result<Plan> {
    let pool: String = r.get(4)?;
    Ok(Plan {
        id: r.get(0)?,
        domain: r.get(1)?,
        seed: r.get(2)?,
        count: r.get(3)?,
        pool: serde_json::from_str::<Vec<String>>(&pool).map_or(0, |p| p.len()),
        created_at: r.get(5)?,
    })
}

/// Every plan, newest first.
pub fn all(conn: &Connection) -> Result<Vec<Plan>> {
    let sql = format!("SELECT {PLAN_COLUMNS} FROM plans ORDER BY created_at DESC, id DESC");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], row_to_plan)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The plans drawn on the days `from..=to` (their local creation date), of `domain` when given, oldest
/// first.
pub fn drawn_between(conn: &Connection, from: &str, to: &str, domain: Option<&str>) -> Result<Vec<Plan>> {
    let sql = format!(
        "SELECT {PLAN_COLUMNS} FROM plans WHERE substr(created_at, 1, 10) BETWEEN ?1 AND ?2
         AND (?3 IS NULL OR domain = ?3) ORDER BY created_at, id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows =
        stmt.query_map(params![from, to, domain], row_to_plan)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// One drawn site of a plan, with the inspection started for it (if any).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub position: u32,
    pub site_id: String,
    pub site_name: String,
    pub site_code: String,
    pub inspection_id: Option<String>,
}

/// The items of `plan_id`, in draw order.
pub fn items(conn: &Connection, plan_id: &str) -> Result<Vec<Item>> {
    let mut stmt = conn.prepare(
        "SELECT i.position, s.id, s.name, s.code, i.inspection_id
         FROM plan_items i JOIN sites s ON s.id = i.site_id WHERE i.plan_id = ?1 ORDER BY i.position",
    )?;
    let rows = stmt
        .query_map([plan_id], |r| {
            Ok(Item {
                position: r.get(0)?,
                site_id: r.get(1)?,
                site_name: r.get(2)?,
                site_code: r.get(3)?,
                inspection_id: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
