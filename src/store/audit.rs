//! The append-only audit log: who, when (UTC), which device, what, old → new. Written in the same
//! transaction as the change it records; triggers refuse UPDATE and DELETE on the table.
//!
//! Each device keeps a hash chain: its entries are numbered 1, 2, 3… (`dseq`, no gaps) and each holds the
//! SHA-256 of its canonical content, which includes the hash of the device's previous entry. Rewriting,
//! removing, inserting or reordering entries breaks the chain at that entry; [`verify`] finds it, and the
//! chain heads ([`heads`]) written down elsewhere prove later that nothing was appended behind them either.

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Map, Value};

use super::{Result, device, new_id};

/// One change to record. `old` and `new` hold the changed fields only.
pub struct Entry<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

/// A stored audit entry, every column that its hash covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    pub id: String,
    pub device: String,
    pub dseq: i64,
    pub prev: String,
    pub hash: String,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

pub const STORED_COLUMNS: &str =
    "id, device, dseq, prev, hash, at, actor, action, entity, entity_id, old, new";

pub fn row_to_stored(r: &rusqlite::Row<'_>) -> rusqlite::Result<Stored> {
    Ok(Stored {
        id: r.get(0)?,
        device: r.get(1)?,
        dseq: r.get(2)?,
        prev: r.get(3)?,
        hash: r.get(4)?,
        at: r.get(5)?,
        actor: r.get(6)?,
        action: r.get(7)?,
        entity: r.get(8)?,
        entity_id: r.get(9)?,
        old: r.get(10)?,
        new: r.get(11)?,
    })
}

impl Stored {
    /// The SHA-256 (hex) of this entry's canonical content: a JSON array of every field but the hash itself,
    /// in a fixed order, so any implementation can recompute it.
    pub fn content_hash(&self) -> String {
        use sha2::Digest;
        // A tuple serializes as the same JSON array a `json!([...])` would, without building that value.
        let canonical = (
            "ducha-audit-1",
            &self.device,
            self.dseq,
            &self.prev,
            &self.id,
            &self.at,
            &self.actor,
            &self.action,
            &self.entity,
            &self.entity_id,
            &self.old,
            &self.new,
        );
        match serde_json::to_vec(&canonical) {
            Ok(bytes) => crate::checklist::hex(&sha2::Sha256::digest(&bytes)),
            Err(_) => String::new(), // strings and integers always serialize; an empty hash never verifies
        }
    }
}

/// The time an audit entry records: UTC, to the second (the simulated clock when set).
pub fn utc_now() -> String {
    // The same instant as [`super::now`], converted directly rather than formatted, parsed and formatted
    // again (offsets are whole seconds, so cutting to the second before or after converting is the same).
    let utc = super::clock().map_or_else(chrono::Utc::now, |at| at.with_timezone(&chrono::Utc));
    utc.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The last entry of a device's chain: (dseq, hash), or (0, "") when it has none.
pub fn head(conn: &Connection, device: &str) -> Result<(i64, String)> {
    let mut stmt =
        conn.prepare_cached("SELECT dseq, hash FROM audit WHERE device = ?1 ORDER BY dseq DESC LIMIT 1")?;
    Ok(stmt.query_row([device], |r| Ok((r.get(0)?, r.get(1)?))).optional()?.unwrap_or((0, String::new())))
}

/// Appends an entry to this database's device chain. Runs inside the caller's write transaction, so the
/// read of the head and the insert cannot interleave with another process's.
pub fn record(conn: &Connection, e: Entry<'_>) -> Result<()> {
    let device = device::id(conn)?;
    let (dseq, prev) = head(conn, &device)?;
    let mut stored = Stored {
        id: new_id(),
        device,
        dseq: dseq + 1,
        prev,
        hash: String::new(),
        at: utc_now(),
        actor: e.actor.to_string(),
        action: e.action.to_string(),
        entity: e.entity.to_string(),
        entity_id: e.entity_id.to_string(),
        old: e.old.map(|v| v.to_string()),
        new: e.new.map(|v| v.to_string()),
    };
    stored.hash = stored.content_hash();
    insert(conn, &stored)
}

/// Inserts a stored entry as it is (its own chain fields).
pub fn insert(conn: &Connection, s: &Stored) -> Result<()> {
    Ok(insert_into(conn, "audit", None, s)?)
}

/// [`insert`] into `table` (`audit`, or the table migration 7 builds), with the local order `seq` when
/// it is to be kept.
pub(crate) fn insert_into(
    conn: &Connection,
    table: &str,
    seq: Option<i64>,
    s: &Stored,
) -> rusqlite::Result<()> {
    const COLUMNS: &str =
        "(seq, id, device, dseq, prev, hash, at, actor, action, entity, entity_id, old, new)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
    // Every write appends to `audit`: its statement text is built once, not for each entry.
    static AUDIT: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| format!("INSERT INTO audit {COLUMNS}"));
    let other;
    let sql = if table == "audit" {
        AUDIT.as_str()
    } else {
        other = format!("INSERT INTO {table} {COLUMNS}");
        other.as_str()
    };
    let mut stmt = conn.prepare_cached(sql)?;
    stmt.execute(params![
        seq,
        s.id,
        s.device,
        s.dseq,
        s.prev,
        s.hash,
        s.at,
        s.actor,
        s.action,
        s.entity,
        s.entity_id,
        s.old,
        s.new
    ])?;
    Ok(())
}

/// The head of every device's chain: (device, dseq, hash), by device.
pub fn heads(conn: &Connection) -> Result<Vec<(String, i64, String)>> {
    let mut stmt = conn.prepare(
        "SELECT a.device, a.dseq, a.hash FROM (SELECT device, max(dseq) AS last FROM audit GROUP BY device) h
         JOIN audit a ON a.device = h.device AND a.dseq = h.last ORDER BY a.device",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// What is wrong with a chain, at which entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Break {
    pub device: String,
    /// The sequence number where the chain breaks (the number expected, for a gap).
    pub dseq: i64,
    pub what: BreakKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BreakKind {
    /// Entry number `dseq` is missing: the next one found is `found`.
    Gap { found: i64 },
    /// The entry's content does not give its stored hash: it was changed after it was written.
    Content { id: String },
    /// The entry does not point at the hash of the entry before it: entries were removed, inserted or
    /// swapped.
    Link { id: String },
}

impl Break {
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Lang;
        let (d, n) = (&self.device, self.dseq);
        match (&self.what, lang) {
            (BreakKind::Gap { found }, Lang::Zh) => {
                format!("设备 {d} 的审计链缺少第 {n} 条（下一条是第 {found} 条）：有记录被删除")
            }
            (BreakKind::Gap { found }, Lang::En) => {
                format!(
                    "device {d}: audit entry {n} is missing (the next one is {found}): entries were deleted"
                )
            }
            (BreakKind::Content { id }, Lang::Zh) => {
                format!("设备 {d} 的审计链第 {n} 条（{id}）的内容与其哈希不符：写入后被改动")
            }
            (BreakKind::Content { id }, Lang::En) => {
                format!(
                    "device {d}: audit entry {n} ({id}) does not match its hash: it was changed after it was written"
                )
            }
            (BreakKind::Link { id }, Lang::Zh) => {
                format!("设备 {d} 的审计链第 {n} 条（{id}）与前一条不相连：有记录被插入、删除或调换")
            }
            (BreakKind::Link { id }, Lang::En) => {
                format!(
                    "device {d}: audit entry {n} ({id}) does not follow the entry before it: entries were inserted, removed or swapped"
                )
            }
        }
    }
}

/// Recomputes every chain; returns the first break of each device that has one (empty: all whole).
/// Reads the entries in (device, dseq) order through the chain's unique index, one pass, constant memory.
pub fn verify(conn: &Connection) -> Result<Vec<Break>> {
    let sql = format!("SELECT {STORED_COLUMNS} FROM audit ORDER BY device, dseq");
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    let mut breaks = Vec::new();
    let mut current: Option<(String, i64, String, bool)> = None; // device, last dseq, last hash, broken
    while let Some(row) = rows.next()? {
        let s = row_to_stored(row)?;
        let (expected, prev_hash) = match &current {
            Some((d, n, h, broken)) if *d == s.device => {
                if *broken {
                    continue;
                }
                (n + 1, h.clone())
            }
            _ => (1, String::new()),
        };
        let found = if s.dseq != expected {
            Some(BreakKind::Gap { found: s.dseq })
        } else if s.content_hash() != s.hash {
            Some(BreakKind::Content { id: s.id.clone() })
        } else if s.prev != prev_hash {
            Some(BreakKind::Link { id: s.id.clone() })
        } else {
            None
        };
        let broken = found.is_some();
        if let Some(what) = found {
            breaks.push(Break { device: s.device.clone(), dseq: expected, what });
        }
        current = Some((s.device, s.dseq, s.hash, broken));
    }
    Ok(breaks)
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

/// The entries of one entity, in the order they were written. It reads the whole log: since migration 16 no
/// index holds the entity (each write paid for one, and no screen or command reads the log this way).
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

#[cfg(test)]
mod tests {
    use super::Stored;

    #[test]
    fn the_hash_covers_a_json_array_of_the_fields_that_anyone_can_rebuild() {
        let s = Stored {
            id: "01A".into(),
            device: "D".into(),
            dseq: 1,
            prev: String::new(),
            hash: String::new(),
            at: "2026-01-01T00:00:00Z".into(),
            actor: "王芳".into(),
            action: "user.add".into(),
            entity: "user".into(),
            entity_id: "王芳".into(),
            old: None,
            new: Some(r#"{"role":"admin"}"#.into()),
        };
        let text = r#"["ducha-audit-1","D",1,"","01A","2026-01-01T00:00:00Z","王芳","user.add","user","王芳",null,"{\"role\":\"admin\"}"]"#;
        assert_eq!(s.content_hash(), crate::checklist::sha256_hex(text.as_bytes()));
    }
}
