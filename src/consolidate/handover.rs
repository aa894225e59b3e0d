//! Writing a hand-over file: one consistent copy of the database (`VACUUM INTO`, which reads one snapshot,
//! so the console may go on recording meanwhile) with every evidence file that snapshot refers to stored in
//! an SQLite Archive table (`sqlar`, which `sqlite3 -A` lists and extracts), each checked against its
//! SHA-256 on the way in. The file is written beside its name and renamed into place when complete.

use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, params};

use super::{ConsolidateError, Result, Tally, io_error};
use crate::store::{Store, audit, device, evidence, fix_evidence};

/// The archive table, as `sqlite3 -A` makes it.
pub const SQLAR_SQL: &str =
    "CREATE TABLE IF NOT EXISTS sqlar (name TEXT PRIMARY KEY, mode INT, mtime INT, sz INT, data BLOB)";

/// The name of an evidence file inside the archive.
pub fn archive_name(relative: &str) -> String {
    format!("evidence/{relative}")
}

/// What a hand-over file holds, as printed when it is written.
#[derive(Clone, Debug, PartialEq)]
pub struct Written {
    pub path: PathBuf,
    pub device: device::Device,
    pub tally: Tally,
    pub evidence_files: u64,
    pub evidence_bytes: u64,
    pub file_bytes: u64,
    pub heads: Vec<(String, i64, String)>,
}

/// Writes the hand-over of `store` to `out`. An existing `out` is refused unless `overwrite`.
pub fn write(store: &mut Store, out: &Path, made_by: &str, overwrite: bool) -> Result<Written> {
    if out.exists() && !overwrite {
        return Err(ConsolidateError::Exists(out.to_path_buf()));
    }
    if let Some(db) = store.path()
        && same_file(db, out)
    {
        return Err(ConsolidateError::IntoItself(out.to_path_buf()));
    }
    let dir = match out.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".ducha-handover-").suffix(".part");
    // A file to hand on, readable like any other the user saves (a temporary file is private by default).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let temp = builder.tempfile_in(&dir).map_err(io_error(&dir))?.into_temp_path();
    // VACUUM INTO accepts an empty file; the snapshot it copies is one read transaction.
    store.conn().execute("VACUUM INTO ?1", [temp.to_string_lossy()])?;
    let root = store.evidence_root();
    let written = {
        let copy = Connection::open(&temp)?;
        let (files, bytes) = archive_evidence(&copy, &root)?;
        copy.execute(
            "CREATE TABLE handover (one INTEGER PRIMARY KEY CHECK (one = 1), made_at TEXT NOT NULL,
                                    made_by TEXT NOT NULL, ducha TEXT NOT NULL)",
            [],
        )?;
        copy.execute(
            "INSERT INTO handover (one, made_at, made_by, ducha) VALUES (1, ?1, ?2, ?3)",
            params![audit::utc_now(), made_by, env!("CARGO_PKG_VERSION")],
        )?;
        let device = device::get(&copy)?;
        let tally = Tally::of(&copy, "main")?;
        let heads = audit::heads(&copy)?;
        // Back to a single file (no -wal beside it) before it is renamed into place.
        copy.pragma_update(None, "journal_mode", "DELETE")?;
        Written {
            path: out.to_path_buf(),
            device,
            tally,
            evidence_files: files,
            evidence_bytes: bytes,
            file_bytes: 0,
            heads,
        }
    };
    std::fs::File::open(&temp).and_then(|f| f.sync_all()).map_err(io_error(&temp))?;
    let file_bytes = std::fs::metadata(&temp).map_err(io_error(&temp))?.len();
    if overwrite {
        temp.persist(out).map_err(|e| io_error(out)(e.error))?;
    } else {
        temp.persist_noclobber(out).map_err(|e| io_error(out)(e.error))?;
    }
    let written = Written { file_bytes, ..written };
    // On record like every export; a hand-over is a read, so it never waits long on a writer for that.
    let heads: serde_json::Map<String, serde_json::Value> =
        written.heads.iter().map(|(d, n, h)| (d.clone(), serde_json::json!([n, h]))).collect();
    let _ = store.write_briefly(|tx| {
        audit::record(
            tx,
            audit::Entry {
                actor: made_by,
                action: "handover.write",
                entity: "device",
                entity_id: &written.device.id,
                old: None,
                new: Some(serde_json::json!({ "file": out.display().to_string(), "bytes": file_bytes, "heads": heads })),
            },
        )
    });
    Ok(written)
}

/// Stores every evidence file the copy refers to in its `sqlar` table, checking each file's SHA-256
/// against the recorded one: a hand-over never carries a photo that is not what was recorded, and never
/// leaves one behind. Returns (files, bytes).
fn archive_evidence(copy: &Connection, root: &Path) -> Result<(u64, u64)> {
    copy.execute(SQLAR_SQL, [])?;
    // Answers' evidence and the fixes' (`fix_evidence::ALL_FILES`).
    let mut stmt = copy.prepare(fix_evidence::ALL_FILES)?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut insert = copy.prepare(
        "INSERT OR REPLACE INTO sqlar (name, mode, mtime, sz, data) VALUES (?1, 33188, ?2, ?3, ?4)",
    )?;
    let (mut files, mut bytes) = (0u64, 0u64);
    for (inspection, stored, sha) in rows {
        let relative = evidence::relative_path(&inspection, &stored);
        let path = root.join(&relative);
        let data = read_checked(&path, &sha)?;
        let mtime = std::fs::metadata(&path)
            .ok()
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_secs() as i64);
        insert.execute(params![archive_name(&relative), mtime, data.len() as i64, data])?;
        files += 1;
        bytes += data.len() as u64;
    }
    Ok((files, bytes))
}

/// Reads a file whole and checks its SHA-256.
fn read_checked(path: &Path, sha: &str) -> Result<Vec<u8>> {
    let mut file =
        std::fs::File::open(path).map_err(|_| ConsolidateError::EvidenceMissing(path.to_path_buf()))?;
    let mut data = Vec::new();
    file.read_to_end(&mut data).map_err(io_error(path))?;
    let found = crate::checklist::sha256_hex(&data);
    if found != sha {
        return Err(ConsolidateError::EvidenceChanged {
            path: path.to_path_buf(),
            expected: sha.to_string(),
            found,
        });
    }
    Ok(data)
}

/// Whether two paths name the same existing file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
