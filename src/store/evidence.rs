//! Evidence files (photos) attached to answers: copied into an evidence folder beside the database, with
//! their SHA-256 recorded, so the record stays whole when the original is moved or deleted.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::json;

use super::audit::{self, Entry};
use super::inspections::latest_answer;
use super::{Result, StoreError, new_id, now};
use crate::checklist::sha256_hex;

/// The evidence folder beside the database file `db` (the current folder's when there is none).
pub fn root_beside(db: Option<&Path>) -> std::path::PathBuf {
    let base = db.and_then(Path::parent).filter(|p| !p.as_os_str().is_empty());
    base.map_or_else(|| std::path::PathBuf::from("."), Path::to_path_buf).join("evidence")
}

/// Where one evidence file is kept, relative to the evidence folder: `<inspection id>/<stored name>`.
pub fn relative_path(inspection_id: &str, stored_name: &str) -> String {
    format!("{inspection_id}/{stored_name}")
}

/// Larger files are refused: evidence is photos and scans, not video.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// One evidence file as the console lists it under an item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvidenceFile {
    pub id: String,
    pub answer_id: String,
    /// The file name inside the inspection's evidence folder (`<sha prefix>-<original name>`).
    pub stored_name: String,
    /// The name the file had where it was picked.
    pub original_name: String,
    pub bytes: u64,
    pub added_at: String,
}

impl EvidenceFile {
    /// The name the inspector knows the file by.
    pub fn name(&self) -> &str {
        if self.original_name.is_empty() { &self.stored_name } else { &self.original_name }
    }
}

/// Copies `source` into `dir` and records it against the answer; returns the stored file name. The same
/// bytes attached twice to one answer are refused.
pub fn attach(
    conn: &Connection,
    actor: &str,
    inspection_id: &str,
    item_id: &str,
    instance: u32,
    source: &Path,
    dir: &Path,
) -> Result<String> {
    attach_file(conn, actor, inspection_id, item_id, instance, source, dir).map(|f| f.stored_name)
}

/// [`attach`], returning the whole record.
pub fn attach_file(
    conn: &Connection,
    actor: &str,
    inspection_id: &str,
    item_id: &str,
    instance: u32,
    source: &Path,
    dir: &Path,
) -> Result<EvidenceFile> {
    let answer = latest_answer(conn, inspection_id, item_id, instance)?
        .ok_or_else(|| StoreError::Refused(format!("item {item_id} has no answer to attach evidence to")))?;
    let Picked { bytes, sha, file_name } = read_source(source)?;
    let already: Option<String> = conn
        .query_row(
            "SELECT stored_name FROM evidence WHERE answer_id = ?1 AND sha256 = ?2",
            params![answer.id, sha],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(name) = already {
        return Err(StoreError::Refused(format!(
            "{}: already attached to this item as {name}",
            source.display()
        )));
    }
    let stored = stored_name(&sha, &file_name);
    store_file(&dir.join(&stored), &bytes, &sha)?;
    let id = new_id();
    let added_at = now();
    conn.execute(
        "INSERT INTO evidence (id, answer_id, stored_name, original_path, sha256, bytes, added_by, added_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            id,
            answer.id,
            stored,
            source.display().to_string(),
            sha,
            bytes.len() as i64,
            actor,
            added_at
        ],
    )?;
    audit::record(
        conn,
        Entry {
            actor,
            action: "evidence.attach",
            entity: "answer",
            entity_id: &answer.id,
            old: None,
            new: Some(
                json!({ "evidence_id": id, "file": stored, "sha256": sha, "original": source.display().to_string() }),
            ),
        },
    )?;
    Ok(EvidenceFile {
        original_name: file_name,
        id,
        answer_id: answer.id,
        stored_name: stored,
        bytes: bytes.len() as u64,
        added_at,
    })
}

/// A file read to be attached: its bytes, their SHA-256 and the name it had.
pub(super) struct Picked {
    pub bytes: Vec<u8>,
    pub sha: String,
    pub file_name: String,
}

/// Reads a file to attach as evidence (to an answer or to a fix), refusing what is not a plain file or is
/// over [`MAX_BYTES`].
pub(super) fn read_source(source: &Path) -> Result<Picked> {
    let io = |e| StoreError::Io { path: source.to_path_buf(), source: e };
    let meta = std::fs::metadata(source).map_err(io)?;
    if !meta.is_file() {
        return Err(StoreError::Refused(format!("{}: not a file", source.display())));
    }
    if meta.len() > MAX_BYTES {
        return Err(StoreError::Refused(format!(
            "{}: {} bytes is over the {} MiB limit for evidence",
            source.display(),
            meta.len(),
            MAX_BYTES / 1024 / 1024
        )));
    }
    let bytes = std::fs::read(source).map_err(io)?;
    let sha = sha256_hex(&bytes);
    let file_name =
        source.file_name().map_or_else(|| "evidence".into(), |n| n.to_string_lossy().into_owned());
    Ok(Picked { bytes, sha, file_name })
}

/// The name a file is stored under in its inspection's evidence folder: `<sha prefix>-<original name>`.
pub(super) fn stored_name(sha: &str, file_name: &str) -> String {
    format!("{}-{}", &sha[..12], file_name)
}

/// Puts an evidence file in place: written beside its name, flushed to disk and renamed, so a crash or a
/// full disk never leaves half a photo under the real name. A file already there is kept only when its
/// bytes have the expected SHA-256 (a truncated copy from an earlier failure is replaced). Returns whether
/// it wrote the file.
pub fn store_file(target: &Path, bytes: &[u8], sha: &str) -> Result<bool> {
    put_file(target, bytes, sha, true)
}

/// [`store_file`] without flushing: for many files at once, flushed together by [`sync_files`] before the
/// transaction that records them commits.
pub fn store_file_unsynced(target: &Path, bytes: &[u8], sha: &str) -> Result<bool> {
    put_file(target, bytes, sha, false)
}

/// Flushes written files (and their folders, for the renames) to disk, several at a time: each flush
/// mostly waits on the disk, so a merge of thousands of photos does not wait for them one by one.
pub fn sync_files(paths: &[std::path::PathBuf]) -> Result<()> {
    let mut dirs: Vec<&Path> = paths.iter().filter_map(|p| p.parent()).collect();
    dirs.sort_unstable();
    dirs.dedup();
    let all: Vec<&Path> = paths.iter().map(std::path::PathBuf::as_path).chain(dirs).collect();
    let chunk = all.len().div_ceil(8).max(1);
    std::thread::scope(|scope| {
        let jobs: Vec<_> = all
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || -> Result<()> {
                    for p in part {
                        std::fs::File::open(p)
                            .and_then(|f| f.sync_all())
                            .map_err(|e| StoreError::Io { path: p.to_path_buf(), source: e })?;
                    }
                    Ok(())
                })
            })
            .collect();
        jobs.into_iter()
            .try_for_each(|j| j.join().unwrap_or_else(|_| Err(StoreError::Refused("a flush failed".into()))))
    })
}

fn put_file(target: &Path, bytes: &[u8], sha: &str, sync: bool) -> Result<bool> {
    fn io(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
        move |source| StoreError::Io { path: path.to_path_buf(), source }
    }
    if let Ok(existing) = std::fs::read(target)
        && sha256_hex(&existing) == sha
    {
        return Ok(false);
    }
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut temp = tempfile::Builder::new().prefix(".ducha-evidence-").tempfile_in(dir).map_err(io(dir))?;
    std::io::Write::write_all(&mut temp, bytes).map_err(io(target))?;
    if sync {
        temp.as_file().sync_all().map_err(io(target))?;
    }
    temp.persist(target).map_err(|e| StoreError::Io { path: target.to_path_buf(), source: e.error })?;
    Ok(true)
}

/// (stored name, sha256) of the evidence of one answer.
pub fn for_answer(conn: &Connection, answer_id: &str) -> Result<Vec<(String, String)>> {
    let mut stmt =
        conn.prepare("SELECT stored_name, sha256 FROM evidence WHERE answer_id = ?1 ORDER BY added_at, id")?;
    let rows =
        stmt.query_map([answer_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(super) fn original_name(path: &str) -> String {
    Path::new(path).file_name().map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

/// The evidence files of every answer of an inspection, in the order they were added.
pub fn files_of_inspection(conn: &Connection, inspection_id: &str) -> Result<Vec<EvidenceFile>> {
    let mut stmt = conn.prepare(
        "SELECT e.id, e.answer_id, e.stored_name, e.original_path, e.bytes, e.added_at
         FROM evidence e JOIN answers a ON a.id = e.answer_id
         WHERE a.inspection_id = ?1 ORDER BY e.added_at, e.id",
    )?;
    let rows = stmt.query_map([inspection_id], row_to_file)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// One evidence record by id.
pub fn file(conn: &Connection, evidence_id: &str) -> Result<Option<EvidenceFile>> {
    Ok(conn
        .query_row(
            "SELECT id, answer_id, stored_name, original_path, bytes, added_at FROM evidence WHERE id = ?1",
            [evidence_id],
            row_to_file,
        )
        .optional()?)
}

/// An evidence row selected as (id, answer_id, stored_name, original_path, bytes, added_at).
fn row_to_file(r: &Row<'_>) -> rusqlite::Result<EvidenceFile> {
    let original: String = r.get(3)?;
    Ok(EvidenceFile {
        id: r.get(0)?,
        answer_id: r.get(1)?,
        stored_name: r.get(2)?,
        original_name: original_name(&original),
        bytes: u64::try_from(r.get::<_, i64>(4)?).unwrap_or(0),
        added_at: r.get(5)?,
    })
}

/// Removes a wrongly attached file from its answer, while the inspection is a draft. The rule: the record
/// leaves the answer, the audit log keeps it whole (`evidence.detach`, with the stored name, SHA-256, size
/// and original path), and the stored file stays in the evidence folder, so history can still show and
/// verify what was attached. A submitted inspection keeps its evidence: changing it is an amendment.
pub fn detach(
    conn: &Connection,
    actor: &str,
    inspection_id: &str,
    evidence_id: &str,
) -> Result<EvidenceFile> {
    let row: Option<(String, String, String, String, i64, String, String)> = conn
        .query_row(
            "SELECT e.answer_id, e.stored_name, e.original_path, e.sha256, e.bytes, e.added_at, i.status
             FROM evidence e JOIN answers a ON a.id = e.answer_id JOIN inspections i ON i.id = a.inspection_id
             WHERE e.id = ?1 AND a.inspection_id = ?2",
            params![evidence_id, inspection_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
        )
        .optional()?;
    let Some((answer_id, stored, original, sha, bytes, added_at, status)) = row else {
        return Err(StoreError::Refused(format!(
            "evidence {evidence_id} is not attached to inspection {inspection_id}"
        )));
    };
    if status != "draft" {
        return Err(StoreError::Refused(format!(
            "inspection {inspection_id} is submitted: its evidence stays (amend the answer instead)"
        )));
    }
    conn.execute("DELETE FROM evidence WHERE id = ?1", [evidence_id])?;
    audit::record(
        conn,
        Entry {
            actor,
            action: "evidence.detach",
            entity: "answer",
            entity_id: &answer_id,
            old: Some(json!({
                "evidence_id": evidence_id, "file": stored, "sha256": sha, "bytes": bytes, "original": original,
                "added_at": added_at,
            })),
            new: None,
        },
    )?;
    Ok(EvidenceFile {
        id: evidence_id.to_string(),
        answer_id,
        stored_name: stored,
        original_name: original_name(&original),
        bytes: u64::try_from(bytes).unwrap_or(0),
        added_at,
    })
}
