//! The append-only audit log: who, when, what, old → new. Written in the same transaction as the change
//! it records; triggers refuse UPDATE and DELETE on the table.

use rusqlite::{Connection, params};
use serde_json::{Map, Value};

use super::{Result, new_id, now};

/// One change to record. `old` and `new` hold the changed fields only.
pub struct Entry<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

pub fn record(conn: &Connection, e: Entry<'_>) -> Result<()> {
    conn.execute(
        "INSERT INTO audit (id, at, actor, action, entity, entity_id, old, new)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            new_id(),
            now(),
            e.actor,
            e.action,
            e.entity,
            e.entity_id,
            e.old.map(|v| v.to_string()),
            e.new.map(|v| v.to_string()),
        ],
    )?;
    Ok(())
}

/// The fields that differ between two JSON objects, as (old, new) objects holding only those fields.
pub fn diff(old: &Value, new: &Value) -> (Value, Value) {
    let empty = Map::new();
    let o = old.as_object().unwrap_or(&empty);
    let n = new.as_object().unwrap_or(&empty);
    let mut before = Map::new();
    let mut after = Map::new();
    for (k, v) in n {
        let prev = o.get(k).unwrap_or(&Value::Null);
        if prev != v {
            before.insert(k.clone(), prev.clone());
            after.insert(k.clone(), v.clone());
        }
    }
    (Value::Object(before), Value::Object(after))
}

/// An audit row as read back (for tests and history views).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

pub fn for_entity(conn: &Connection, entity: &str, entity_id: &str) -> Result<Vec<Row>> {
    let mut stmt = conn.prepare(
        "SELECT actor, action, entity, entity_id, old, new FROM audit
         WHERE entity = ?1 AND entity_id = ?2 ORDER BY seq",
    )?;
    let rows = stmt
        .query_map(params![entity, entity_id], |r| {
            Ok(Row {
                actor: r.get(0)?,
                action: r.get(1)?,
                entity: r.get(2)?,
                entity_id: r.get(3)?,
                old: r.get(4)?,
                new: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
