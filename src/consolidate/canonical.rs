//! The content of a database as a merge sees it, independent of row ids, arrival order and which
//! database merged which: a digest per kind of record over its rows sorted by their own keys. Two databases
//! hold the same facts exactly when their digests are equal; the merge tests compare databases merged in
//! different orders and groupings this way.
//!
//! Left out on purpose: the records of handing over and merging (`merges`, the `handover.*` and `merge.*`
//! audit entries and
//! the reference conflicts it listed, whose wording depends on what it held at the time), its device, local
//! ordering (`audit.seq`), and the fields of reference data (a site's name, a user's role), which follow
//! the office rather than the union; the set of site codes and checklist hashes is included.

use std::collections::BTreeMap;

use rusqlite::Connection;

use super::Result;

const DIGESTS: &[(&str, &str)] = &[
    ("sites", "SELECT id FROM sites ORDER BY id"),
    ("checklist_snapshots", "SELECT id FROM checklist_snapshots ORDER BY id"),
    ("plans", "SELECT id, domain, seed, count, inspectors, created_by, created_at FROM plans ORDER BY id"),
    ("plan_items", "SELECT plan_id, position, site_id, inspectors, inspection_id FROM plan_items ORDER BY plan_id, position"),
    (
        "inspections",
        "SELECT id, site_id, snapshot_id, inspectors, status, started_at, submitted_at, created_by, site_representative
         FROM inspections WHERE status = 'submitted' ORDER BY id",
    ),
    (
        "repeat_instances",
        "SELECT r.inspection_id, section_id, instance, removed FROM repeat_instances r
         JOIN inspections i ON i.id = r.inspection_id AND i.status = 'submitted' ORDER BY 1, 2, 3",
    ),
    (
        "answers",
        "SELECT a.id, inspection_id, item_id, instance, revision, base, value, outcome, note, reason, problem, severity,
                requirement, deadline, responsible, answered_by, answered_at
         FROM answers a JOIN inspections i ON i.id = a.inspection_id AND i.status = 'submitted' ORDER BY a.id",
    ),
    ("evidence", "SELECT id, answer_id, stored_name, sha256, bytes FROM evidence e
         WHERE answer_id IN (SELECT a.id FROM answers a JOIN inspections i ON i.id = a.inspection_id
                             AND i.status = 'submitted') ORDER BY id"),
    (
        "rectifications",
        "SELECT id, inspection_id, answer_id, site_id, item_id, instance, problem, basis, severity, major_hazard,
                requirement, deadline, responsible, phone, status, created_by, created_at, updated_at, closed_at, conflict
         FROM rectifications ORDER BY id",
    ),
    (
        "rectification_events",
        "SELECT id, rectification_id, kind, parent, merges, from_status, to_status, old_deadline, new_deadline, note,
                actor, at FROM rectification_events ORDER BY id",
    ),
    (
        "rectification_evidence",
        "SELECT id, event_id, rectification_id, stored_name, sha256, bytes, added_by, added_at
         FROM rectification_evidence ORDER BY id",
    ),
    ("notices", "SELECT inspection_id, device, year, seq, number FROM notices ORDER BY inspection_id, device"),
    ("records", "SELECT inspection_id, device, year, seq, number FROM records ORDER BY inspection_id, device"),
    (
        "audit",
        "SELECT id, device, dseq, prev, hash FROM audit
         WHERE action NOT LIKE 'merge.%' AND action NOT LIKE 'handover.%' AND action <> 'device.office'
         ORDER BY device, dseq",
    ),
];

/// Digest (SHA-256 hex) and row count of each kind of record.
pub fn digests(conn: &Connection) -> Result<BTreeMap<&'static str, (String, i64)>> {
    use sha2::{Digest, Sha256};
    let mut out = BTreeMap::new();
    for (name, sql) in DIGESTS {
        let mut stmt = conn.prepare(sql)?;
        let width = stmt.column_count();
        let mut rows = stmt.query([])?;
        let mut hasher = Sha256::new();
        let mut count = 0i64;
        while let Some(r) = rows.next()? {
            let mut cells = Vec::with_capacity(width);
            for i in 0..width {
                cells.push(match r.get_ref(i)? {
                    rusqlite::types::ValueRef::Null => serde_json::Value::Null,
                    rusqlite::types::ValueRef::Integer(n) => n.into(),
                    rusqlite::types::ValueRef::Real(x) => x.into(),
                    rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned().into(),
                    rusqlite::types::ValueRef::Blob(b) => crate::checklist::sha256_hex(b).into(),
                });
            }
            hasher.update(serde_json::Value::Array(cells).to_string().as_bytes());
            hasher.update(b"\n");
            count += 1;
        }
        let hex = crate::checklist::hex(&hasher.finalize());
        out.insert(*name, (hex, count));
    }
    Ok(out)
}
