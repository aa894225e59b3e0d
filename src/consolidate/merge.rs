//! Merging a checked hand-over file into this database: reference data by authority (see `reference`),
//! then facts by union, the rectifications they touch folded again, the evidence files written beside the
//! database, and the merge itself remembered — all in one transaction, so a failure leaves nothing half
//! done. Records that must never change once written are compared first: the same id with other content
//! refuses the file before anything is written.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

use super::incoming::{Incoming, read_evidence};
use super::reference;
pub use super::reference::Authority;
use super::{ConsolidateError, Refusal, Result};
use crate::store::{Store, audit, device, evidence, new_id, rectifications};

/// How one kind of record fared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KindCount {
    pub kind: &'static str,
    pub new: i64,
    pub unchanged: i64,
    pub conflicting: i64,
}

/// What merging one file did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub kinds: Vec<KindCount>,
    pub authority: Authority,
    pub reference: reference::Done,
    /// Rectifications in conflict after the merge (new ones and older ones still unsettled).
    pub rectification_conflicts: i64,
    pub drafts_left: i64,
    pub evidence_bytes_written: u64,
}

/// Options of a merge.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Follow this file's device as the office from now on (an admin's choice).
    pub follow: bool,
    /// The database was created by this merge: it adopts the file's office and takes its reference data.
    pub fresh: bool,
}

/// A table of facts: which columns, the key, and which columns may never differ once written.
struct Facts {
    kind: &'static str,
    table: &'static str,
    columns: &'static str,
    key: &'static str,
    fixed: &'static str,
    /// Which rows of the incoming file are merged (SQL over `f.` rows aliased `x`).
    filter: &'static str,
    /// Which of them this database may already hold: rows of inspections both have (`temp.shared`), so a
    /// file of new work is not compared row by row with rows it cannot share.
    shared: &'static str,
}

const SUBMITTED: &str = "(SELECT id FROM f.inspections WHERE status = 'submitted')";

const FACTS: &[Facts] = &[
    Facts {
        kind: "plans",
        table: "plans",
        columns: "id, domain, seed, count, inspectors, created_by, created_at",
        key: "id",
        fixed: "domain, seed, count, inspectors, created_by, created_at",
        filter: "1",
        shared: "1",
    },
    Facts {
        kind: "plan items",
        table: "plan_items",
        // Linked to their inspections afterwards (`link_plans`), once those are here.
        columns: "plan_id, position, site_id, inspectors",
        key: "plan_id, position",
        fixed: "site_id, inspectors",
        filter: "1",
        shared: "1",
    },
    Facts {
        kind: "inspections",
        table: "inspections",
        columns: "id, site_id, snapshot_id, inspectors, status, started_at, updated_at, submitted_at, created_by, \
                  site_representative, resume_at",
        key: "id",
        fixed: "site_id, snapshot_id, inspectors, status, started_at, submitted_at, created_by, site_representative",
        filter: "x.status = 'submitted'",
        shared: "x.id IN temp.shared",
    },
    Facts {
        kind: "repetitions",
        table: "repeat_instances",
        columns: "inspection_id, section_id, instance, removed, created_at",
        key: "inspection_id, section_id, instance",
        fixed: "removed",
        filter: "x.inspection_id IN (SELECT id FROM f.inspections WHERE status = 'submitted')",
        shared: "x.inspection_id IN temp.shared",
    },
    Facts {
        kind: "answers",
        table: "answers",
        columns: "id, inspection_id, item_id, instance, revision, base, value, outcome, note, reason, problem, \
                  severity, requirement, deadline, responsible, answered_by, answered_at",
        key: "id",
        fixed: "inspection_id, item_id, instance, revision, base, value, outcome, note, reason, problem, severity, \
                requirement, deadline, responsible, answered_by, answered_at",
        filter: "x.inspection_id IN (SELECT id FROM f.inspections WHERE status = 'submitted')",
        shared: "x.inspection_id IN temp.shared",
    },
    Facts {
        kind: "evidence",
        table: "evidence",
        columns: "id, answer_id, stored_name, original_path, sha256, bytes, added_by, added_at",
        key: "id",
        fixed: "answer_id, stored_name, sha256, bytes",
        filter: "x.answer_id IN (SELECT a.id FROM f.answers a WHERE a.inspection_id IN \
                 (SELECT id FROM f.inspections WHERE status = 'submitted'))",
        shared: "x.answer_id IN (SELECT id FROM f.answers WHERE inspection_id IN temp.shared)",
    },
    Facts {
        kind: "rectifications",
        table: "rectifications",
        columns: "id, inspection_id, answer_id, site_id, item_id, instance, problem, basis, severity, major_hazard, \
                  requirement, deadline, responsible, phone, status, created_by, created_at, updated_at, closed_at, \
                  conflict",
        key: "id",
        fixed: "inspection_id, answer_id, site_id, item_id, instance, problem, basis, severity, major_hazard, \
                requirement, responsible, phone, created_by, created_at",
        filter: "x.inspection_id IN (SELECT id FROM f.inspections WHERE status = 'submitted')",
        shared: "x.inspection_id IN temp.shared",
    },
    Facts {
        kind: "events",
        table: "rectification_events",
        columns: "id, rectification_id, kind, parent, merges, from_status, to_status, old_deadline, new_deadline, \
                  note, actor, at",
        key: "id",
        fixed: "rectification_id, kind, parent, merges, from_status, to_status, old_deadline, new_deadline, note, \
                actor, at",
        filter: "1",
        shared: "x.rectification_id IN (SELECT id FROM f.rectifications WHERE inspection_id IN temp.shared)",
    },
    Facts {
        kind: "fix evidence",
        table: "rectification_evidence",
        columns: "id, event_id, rectification_id, stored_name, original_path, sha256, bytes, added_by, added_at",
        key: "id",
        fixed: "event_id, rectification_id, stored_name, sha256, bytes",
        filter: "1",
        shared: "x.rectification_id IN (SELECT id FROM f.rectifications WHERE inspection_id IN temp.shared)",
    },
    Facts {
        kind: "notices",
        table: "notices",
        columns: "inspection_id, device, year, seq, number, issued_by, issued_at",
        key: "inspection_id, device",
        fixed: "year, seq, number, issued_by, issued_at",
        filter: "x.inspection_id IN (SELECT id FROM f.inspections WHERE status = 'submitted')",
        shared: "x.inspection_id IN temp.shared",
    },
    Facts {
        kind: "records",
        table: "records",
        columns: "inspection_id, device, year, seq, number, issued_by, issued_at",
        key: "inspection_id, device",
        fixed: "year, seq, number, issued_by, issued_at",
        filter: "x.inspection_id IN (SELECT id FROM f.inspections WHERE status = 'submitted')",
        shared: "x.inspection_id IN temp.shared",
    },
];

fn join_on(key: &str) -> String {
    key.split(", ").map(|k| format!("m.{k} = x.{k}")).collect::<Vec<_>>().join(" AND ")
}

fn json_of(alias: &str, columns: &str) -> String {
    let cols: Vec<String> = columns.split(", ").map(|c| format!("{alias}.{}", c.trim())).collect();
    format!("json_array({})", cols.join(", "))
}

/// Refuses the file when a record it shares with this database has other content, or when a device's
/// audit chain here and in the file part ways (a copied database, or a rewritten one).
fn compare(conn: &Connection, file: &Path) -> Result<()> {
    // Both chains are whole (the file's was verified, this database's is kept by its triggers and checked by
    // `ducha verify`), so they agree on every shared entry exactly when they agree on the last one each
    // device has in both: one comparison per device instead of one per entry.
    let fork: Option<(String, i64)> = conn
        .query_row(
            "WITH shared AS (
               SELECT x.device, min(x.last, m.last) AS n
               FROM (SELECT device, max(dseq) AS last FROM f.audit GROUP BY device) x
               JOIN (SELECT device, max(dseq) AS last FROM main.audit GROUP BY device) m ON m.device = x.device)
             SELECT s.device, s.n FROM shared s
             JOIN f.audit a ON a.device = s.device AND a.dseq = s.n
             JOIN main.audit b ON b.device = s.device AND b.dseq = s.n
             WHERE a.hash <> b.hash ORDER BY s.device LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((device, dseq)) = fork {
        return Err(ConsolidateError::Refused {
            file: file.to_path_buf(),
            reason: Refusal::Fork { device, dseq },
        });
    }
    // The submitted inspections both databases hold: only their rows can be held by both (plans aside).
    conn.execute_batch(
        "DROP TABLE IF EXISTS temp.shared;
         CREATE TEMP TABLE shared (id TEXT PRIMARY KEY) WITHOUT ROWID;
         INSERT INTO temp.shared SELECT x.id FROM f.inspections x JOIN main.inspections m ON m.id = x.id
           WHERE x.status = 'submitted' AND m.status = 'submitted';",
    )?;
    for t in FACTS {
        // Shared rows only: a draft here and there never meet (drafts are not merged).
        let sql = format!(
            "SELECT {key} FROM f.{table} x JOIN main.{table} m ON {on}
             WHERE {filter} AND {shared} AND {theirs} IS NOT {ours} LIMIT 1",
            key = t.key.split(", ").map(|k| format!("x.{k}")).collect::<Vec<_>>().join(" || '/' || "),
            table = t.table,
            on = join_on(t.key),
            filter = t.filter,
            shared = t.shared,
            theirs = json_of("x", t.fixed),
            ours = json_of("m", t.fixed),
        );
        let differs: Option<String> = conn.query_row(&sql, [], |r| r.get(0)).optional()?;
        if let Some(key) = differs {
            return Err(ConsolidateError::Refused {
                file: file.to_path_buf(),
                reason: Refusal::Differs { table: t.table.to_string(), key },
            });
        }
    }
    Ok(())
}

/// SQLite URI of a file opened read-only, so attaching never writes beside the hand-over.
fn read_only_uri(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut uri = String::from("file:");
    for c in text.chars() {
        match c {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            c => uri.push(c),
        }
    }
    uri.push_str("?mode=ro");
    uri
}

/// Merges one checked file. Nothing is written when it is refused.
/// `step` is told each phase as it begins (the kind of record being merged), for a progress display.
pub fn merge(
    store: &mut Store,
    incoming: &Incoming,
    actor: &str,
    opts: Options,
    step: &mut dyn FnMut(&'static str),
) -> Result<Outcome> {
    let here = device::get(store.conn())?;
    if incoming.device.id == here.id {
        return Err(ConsolidateError::Refused { file: incoming.path.clone(), reason: Refusal::OwnFile });
    }
    store.conn().execute("ATTACH DATABASE ?1 AS f", [read_only_uri(&incoming.work)])?;
    step("compare");
    let result = compare(store.conn(), &incoming.path).and_then(|()| {
        let root = store.evidence_root();
        store.write(|tx| apply(tx, incoming, actor, opts, &here, &root, step))
    });
    let _ = store.conn().execute("DROP TABLE IF EXISTS temp.shared", []);
    let detached = store.conn().execute("DETACH DATABASE f", []);
    let outcome = result?;
    detached?;
    Ok(outcome)
}

fn apply(
    tx: &Connection,
    incoming: &Incoming,
    actor: &str,
    opts: Options,
    here: &device::Device,
    root: &Path,
    step: &mut dyn FnMut(&'static str),
) -> Result<Outcome> {
    let from = &incoming.device.id;
    let office_of_file = incoming.device.office.clone().unwrap_or_else(|| from.clone());
    if opts.fresh || opts.follow {
        device::set_office(tx, actor, &office_of_file)?;
    }
    let follows = opts.fresh || opts.follow || here.office.as_deref() == Some(from.as_str());
    let authority = if follows { Authority::Office } else { Authority::Peer };
    let reference = reference::apply(tx, actor, authority, from, opts.fresh)?;

    // Rectifications whose events are new here get folded again below.
    let touched: Vec<String> = {
        let mut stmt = tx.prepare(
            "SELECT DISTINCT x.rectification_id FROM f.rectification_events x
             WHERE NOT EXISTS (SELECT 1 FROM main.rectification_events m WHERE m.id = x.id)",
        )?;
        stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<_>>>()?
    };
    let answer_conflicts: i64 = tx.query_row(
        "SELECT count(*) FROM f.answers x WHERE x.inspection_id IN temp.shared
           AND NOT EXISTS (SELECT 1 FROM main.answers m WHERE m.id = x.id)
           AND EXISTS (SELECT 1 FROM main.answers m WHERE m.inspection_id = x.inspection_id
               AND m.item_id = x.item_id AND m.instance = x.instance AND m.revision = x.revision)",
        [],
        |r| r.get(0),
    )?;
    let new_evidence = new_evidence_files(tx)?;

    let mut kinds = Vec::new();
    for t in FACTS {
        step(t.kind);
        let eligible: i64 =
            tx.query_row(&format!("SELECT count(*) FROM f.{} x WHERE {}", t.table, t.filter), [], |r| {
                r.get(0)
            })?;
        let new = tx.execute(
            &format!(
                "INSERT OR IGNORE INTO main.{table} ({cols}) SELECT {cols} FROM f.{table} x WHERE {filter}",
                table = t.table,
                cols = t.columns,
                filter = t.filter
            ),
            [],
        )? as i64;
        let conflicting = if t.kind == "answers" { answer_conflicts } else { 0 };
        kinds.push(KindCount { kind: t.kind, new, unchanged: eligible - new, conflicting });
    }
    link_plans(tx)?;
    step("audit");
    let audit_new = tx.execute(
        "INSERT OR IGNORE INTO main.audit (id, device, dseq, prev, hash, at, actor, action, entity, entity_id, old, new)
         SELECT id, device, dseq, prev, hash, at, actor, action, entity, entity_id, old, new FROM f.audit",
        [],
    )? as i64;
    kinds.push(KindCount {
        kind: "audit",
        new: audit_new,
        unchanged: incoming.tally.audit - audit_new,
        conflicting: 0,
    });

    let mut now_in_conflict = 0;
    for id in &touched {
        if rectifications::refold(tx, id)?.conflict {
            now_in_conflict += 1;
        }
    }
    if let Some(k) = kinds.iter_mut().find(|k| k.kind == "rectifications") {
        k.conflicting = now_in_conflict;
    }
    let rectification_conflicts: i64 =
        tx.query_row("SELECT count(*) FROM main.rectifications WHERE conflict = 1", [], |r| r.get(0))?;

    step("evidence files");
    let mut evidence_bytes_written = 0;
    let mut written = Vec::new();
    for (relative, sha) in &new_evidence {
        let Some(bytes) = read_evidence(tx, &incoming.evidence, relative, "f.sqlar")? else {
            return Err(ConsolidateError::Refused {
                file: incoming.path.clone(),
                reason: Refusal::EvidenceMissing(relative.clone()),
            });
        };
        let target = root.join(relative);
        if evidence::store_file_unsynced(&target, &bytes, sha)? {
            evidence_bytes_written += bytes.len() as u64;
            written.push(target);
        }
    }
    // On disk before the transaction that records them commits.
    evidence::sync_files(&written)?;

    let outcome = Outcome {
        kinds,
        authority,
        reference,
        rectification_conflicts,
        drafts_left: incoming.tally.drafts,
        evidence_bytes_written,
    };
    remember(tx, incoming, actor, &outcome)?;
    Ok(outcome)
}

/// The evidence files the incoming file brings that this database does not have yet, answers' and fixes':
/// (relative path, SHA-256), read before the rows are inserted.
fn new_evidence_files(tx: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = tx.prepare(&format!(
        "SELECT a.inspection_id, x.stored_name, x.sha256 FROM f.evidence x JOIN f.answers a ON a.id = x.answer_id
         WHERE a.inspection_id IN {SUBMITTED} AND NOT EXISTS (SELECT 1 FROM main.evidence m WHERE m.id = x.id)
         UNION
         SELECT r.inspection_id, x.stored_name, x.sha256 FROM f.rectification_evidence x
           JOIN f.rectifications r ON r.id = x.rectification_id
         WHERE NOT EXISTS (SELECT 1 FROM main.rectification_evidence m WHERE m.id = x.id)"
    ))?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows.into_iter().map(|(i, name, sha)| (evidence::relative_path(&i, &name), sha)).collect())
}

/// A planned item started on either side is linked to its inspection; started on both (two inspectors took
/// the same planned visit), the earlier inspection (lower ULID) is kept, whatever the order of merges.
fn link_plans(tx: &Connection) -> Result<()> {
    tx.execute(
        "UPDATE main.plan_items SET inspection_id =
           (SELECT x.inspection_id FROM f.plan_items x WHERE x.plan_id = plan_items.plan_id AND x.position = plan_items.position)
         WHERE EXISTS (SELECT 1 FROM f.plan_items x JOIN main.inspections i ON i.id = x.inspection_id
                       WHERE x.plan_id = plan_items.plan_id AND x.position = plan_items.position
                         AND (plan_items.inspection_id IS NULL OR x.inspection_id < plan_items.inspection_id))",
        [],
    )?;
    Ok(())
}

/// The merges table row and the audit entry of the merge.
fn remember(tx: &Connection, incoming: &Incoming, actor: &str, outcome: &Outcome) -> Result<()> {
    let heads: serde_json::Map<String, serde_json::Value> =
        incoming.heads.iter().map(|(d, n, h)| (d.clone(), json!([n, h]))).collect();
    let summary: serde_json::Map<String, serde_json::Value> = outcome
        .kinds
        .iter()
        .map(|k| (k.kind.to_string(), json!([k.new, k.unchanged, k.conflicting])))
        .collect();
    let id = new_id();
    let file = incoming.path.display().to_string();
    tx.execute(
        "INSERT INTO merges (id, device, file, made_at, merged_at, merged_by, heads, summary)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            id,
            incoming.device.id,
            file,
            incoming.made_at,
            audit::utc_now(),
            actor,
            serde_json::Value::Object(heads.clone()).to_string(),
            serde_json::Value::Object(summary.clone()).to_string()
        ],
    )?;
    audit::record(
        tx,
        audit::Entry {
            actor,
            action: "merge.file",
            entity: "device",
            entity_id: &incoming.device.id,
            old: None,
            new: Some(json!({
                "file": file, "heads": heads, "summary": summary,
                "authority": if outcome.authority == Authority::Office { "office" } else { "peer" },
            })),
        },
    )?;
    Ok(())
}
