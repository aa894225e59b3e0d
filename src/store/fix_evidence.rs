//! Proof of a fix: files attached to the follow-up event that reported a fix (待复查) or verified it
//! (复查). They go through the evidence store of answers (`evidence`: read and refused the same way,
//! SHA-256, written atomically, an existing copy kept only when its hash matches) into the evidence folder
//! of the rectification's inspection, so hand-overs, merges and `ducha verify` treat them like any other
//! evidence file. Each row belongs to one event; rows are facts and are never changed or removed (a
//! removal would not survive the next merge, which unites facts): a wrong file is answered by the next
//! follow-up. Every attachment is audited.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::json;

use super::audit::{self, Entry};
use super::evidence::{Picked, original_name, read_source, relative_path, store_file, stored_name};
use super::{Result, StoreError, new_id, now};

/// One file attached to a follow-up event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixFile {
    pub id: String,
    pub event_id: String,
    pub rectification_id: String,
    /// The file name inside the inspection's evidence folder (`<sha prefix>-<original name>`).
    pub stored_name: String,
    /// The name the file had where it was picked.
    pub original_name: String,
    pub sha256: String,
    pub bytes: u64,
    pub added_by: String,
    pub added_at: String,
}

/// How many hex digits of the SHA-256 name a file in lists and exports.
pub const SHA_PREFIX: usize = 12;

/// `name (sha256 prefix)`, as the list export and the detail show a file.
pub fn label(name: &str, sha: &str) -> String {
    format!("{name} ({})", sha.get(..SHA_PREFIX).unwrap_or(sha))
}

impl FixFile {
    /// The name the user knows the file by.
    pub fn name(&self) -> &str {
        if self.original_name.is_empty() { &self.stored_name } else { &self.original_name }
    }

    /// `name (sha256 prefix)`.
    pub fn label(&self) -> String {
        label(self.name(), &self.sha256)
    }
}

const COLUMNS: &str =
    "id, event_id, rectification_id, stored_name, original_path, sha256, bytes, added_by, added_at";

fn row_to_file(r: &Row<'_>) -> rusqlite::Result<FixFile> {
    let original: String = r.get(4)?;
    Ok(FixFile {
        id: r.get(0)?,
        event_id: r.get(1)?,
        rectification_id: r.get(2)?,
        stored_name: r.get(3)?,
        original_name: original_name(&original),
        sha256: r.get(5)?,
        bytes: u64::try_from(r.get::<_, i64>(6)?).unwrap_or(0),
        added_by: r.get(7)?,
        added_at: r.get(8)?,
    })
}

/// Copies `source` into the evidence folder of the rectification's inspection under `root` and records it
/// against the event `event_id` of rectification `rectification_id`, audited. The same bytes twice on one
/// event are refused.
pub fn attach(
    conn: &Connection,
    actor: &str,
    rectification_id: &str,
    event_id: &str,
    source: &Path,
    root: &Path,
) -> Result<FixFile> {
    let inspection_id: String = conn
        .query_row("SELECT inspection_id FROM rectifications WHERE id = ?1", [rectification_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::Refused(format!("no rectification {rectification_id}")))?;
    let Picked { bytes, sha, file_name } = read_source(source)?;
    let already: Option<String> = conn
        .query_row(
            "SELECT stored_name FROM rectification_evidence WHERE event_id = ?1 AND sha256 = ?2",
            params![event_id, sha],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(name) = already {
        return Err(StoreError::Refused(format!("{}: already attached as {name}", source.display())));
    }
    let stored = stored_name(&sha, &file_name);
    store_file(&root.join(relative_path(&inspection_id, &stored)), &bytes, &sha)?;
    let file = FixFile {
        id: new_id(),
        event_id: event_id.to_string(),
        rectification_id: rectification_id.to_string(),
        stored_name: stored,
        original_name: file_name,
        sha256: sha,
        bytes: bytes.len() as u64,
        added_by: actor.to_string(),
        added_at: now(),
    };
    let original = source.display().to_string();
    conn.execute(
        &format!(
            "INSERT INTO rectification_evidence ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
        ),
        params![
            file.id,
            file.event_id,
            file.rectification_id,
            file.stored_name,
            original,
            file.sha256,
            bytes.len() as i64,
            file.added_by,
            file.added_at
        ],
    )?;
    audit::record(
        conn,
        Entry {
            actor,
            action: "rectification.evidence.attach",
            entity: "rectification",
            entity_id: rectification_id,
            old: None,
            new: Some(json!({
                "evidence_id": file.id, "event_id": event_id, "file": file.stored_name, "sha256": file.sha256,
                "bytes": file.bytes, "original": original,
            })),
        },
    )?;
    Ok(file)
}

/// Every fix file of a rectification, in the order they were added (files added in the same second by
/// their path: the same order in every database the rows were merged into).
pub fn for_rectification(conn: &Connection, rectification_id: &str) -> Result<Vec<FixFile>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM rectification_evidence WHERE rectification_id = ?1
         ORDER BY added_at, original_path, id"
    ))?;
    let rows = stmt.query_map([rectification_id], row_to_file)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// How many fix files a rectification has.
pub fn count(conn: &Connection, rectification_id: &str) -> Result<i64> {
    let mut stmt =
        conn.prepare_cached("SELECT count(*) FROM rectification_evidence WHERE rectification_id = ?1")?;
    Ok(stmt.query_row([rectification_id], |r| r.get(0))?)
}

/// The SQL expression for the fix files of the rectification aliased `r`, as a JSON array of
/// `[original path, sha256]` in the order of [`for_rectification`] (`[]` when there is none): a query over many
/// rectifications reads them in its own statement, as with
/// [`super::rectifications::EVENTS_JSON_OF_R`], and [`labels_from_json`] names them.
pub const FILES_JSON_OF_R: &str = "(SELECT coalesce(json_group_array(json_array(x.original_path, x.sha256)
        ORDER BY x.added_at, x.original_path, x.id), '[]')
    FROM rectification_evidence x WHERE x.rectification_id = r.id)";

/// `name (sha256 prefix)` of each file read from [`FILES_JSON_OF_R`].
pub fn labels_from_json(text: &str) -> Result<Vec<String>> {
    let rows: Vec<(String, String)> = serde_json::from_str(text)
        .map_err(|e| StoreError::Refused(format!("a rectification's fix evidence could not be read: {e}")))?;
    Ok(rows.into_iter().map(|(path, sha)| label(&original_name(&path), &sha)).collect())
}

/// Every evidence file a database refers to, answers' and fixes', as (inspection id, stored name,
/// SHA-256) under their folder of the evidence root: what a hand-over archives and an incoming file must
/// carry.
pub const ALL_FILES: &str = "SELECT a.inspection_id, e.stored_name, e.sha256 FROM evidence e
       JOIN answers a ON a.id = e.answer_id
     UNION
     SELECT r.inspection_id, x.stored_name, x.sha256 FROM rectification_evidence x
       JOIN rectifications r ON r.id = x.rectification_id
     ORDER BY 1, 2";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_is_the_name_and_twelve_hex_digits() {
        assert_eq!(label("北门.jpg", "0123456789abcdef0123"), "北门.jpg (0123456789ab)");
        assert_eq!(label("x", "abc"), "x (abc)", "a short hash whole, never a panic");
        let json = r#"[["/home/w/照片/北门.jpg","0123456789abcdef"],["许可证.png","fedcba9876543210"]]"#;
        assert_eq!(
            labels_from_json(json).unwrap(),
            vec!["北门.jpg (0123456789ab)".to_string(), "许可证.png (fedcba987654)".into()]
        );
        assert!(labels_from_json("[]").unwrap().is_empty());
        assert!(labels_from_json("not json").is_err());
    }
}
