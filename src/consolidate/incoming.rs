//! Checking a hand-over file before anything is written to the database that merges it: is it SQLite, is
//! it ducha's, of a schema this ducha knows (an older one is upgraded in a temporary copy, never in place),
//! whole (`integrity_check`), are its audit chains whole, and does every evidence file it carries match its
//! SHA-256. A file that passes is opened read-only for the merge.

use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::handover::archive_name;
use super::{ConsolidateError, Refusal, Result, Tally, io_error};
use crate::store::{audit, device, evidence, migrate};

/// A checked hand-over file, ready to merge.
#[derive(Debug)]
pub struct Incoming {
    /// The file as the user named it.
    pub path: PathBuf,
    /// The file the merge reads: `path` itself, or its upgraded temporary copy.
    pub work: PathBuf,
    /// Keeps the temporary copy for as long as the merge needs it.
    _temp: Option<tempfile::TempDir>,
    pub device: device::Device,
    /// When and by whom the hand-over was written (empty for a database file merged as it is).
    pub made_at: String,
    pub made_by: String,
    pub tally: Tally,
    pub heads: Vec<(String, i64, String)>,
    /// Where its evidence is: in the file (`sqlar`), or in the evidence folder beside a database file.
    pub evidence: EvidenceSource,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvidenceSource {
    Archive,
    Folder(PathBuf),
}

fn refuse(path: &Path, reason: Refusal) -> ConsolidateError {
    ConsolidateError::Refused { file: path.to_path_buf(), reason }
}

fn open_read_only(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    crate::store::stable_plans(&conn)?;
    Ok(conn)
}

/// Checks `path`; refuses it with the reason when it cannot be merged. (The file as a whole is not hashed:
/// its content is named by its audit chain heads, which the merge records, and hashing a county's file
/// would cost as much as checking it.)
pub fn check(path: &Path) -> Result<Incoming> {
    let mut header = [0u8; 16];
    let mut file = std::fs::File::open(path).map_err(io_error(path))?;
    let n = file.read(&mut header).map_err(io_error(path))?;
    if n < 16 || &header != b"SQLite format 3\0" {
        return Err(refuse(path, Refusal::NotSqlite));
    }
    let conn = open_read_only(path).map_err(|_| refuse(path, Refusal::NotSqlite))?;
    let bad = |_| refuse(path, Refusal::NotSqlite);
    let app_id: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(bad)?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(bad)?;
    if app_id != migrate::APPLICATION_ID || version < 1 {
        return Err(refuse(path, Refusal::Foreign));
    }
    if version > migrate::latest() {
        return Err(refuse(path, Refusal::TooNew { found: version, known: migrate::latest() }));
    }
    integrity(&conn, path)?;
    let evidence = if has_table(&conn, "sqlar")? {
        EvidenceSource::Archive
    } else {
        EvidenceSource::Folder(evidence::root_beside(Some(path)))
    };
    let (work, temp) = if version < migrate::latest() {
        drop(conn);
        let (dir, copy) = upgraded_copy(path)?;
        (copy, Some(dir))
    } else {
        drop(conn);
        (path.to_path_buf(), None)
    };
    let conn = open_read_only(&work).map_err(|_| refuse(path, Refusal::NotSqlite))?;
    let device = device::get(&conn).map_err(|_| refuse(path, Refusal::NoDevice))?;
    if let Some(first) = audit::verify(&conn)?.into_iter().next() {
        return Err(refuse(path, Refusal::Chain(first.message(crate::i18n::Lang::En))));
    }
    check_evidence(&conn, path, &evidence)?;
    let (made_at, made_by) = if has_table(&conn, "handover")? {
        conn.query_row("SELECT made_at, made_by FROM handover", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .unwrap_or_default()
    } else {
        (String::new(), String::new())
    };
    let tally = Tally::of(&conn, "main")?;
    let heads = audit::heads(&conn)?;
    Ok(Incoming {
        path: path.to_path_buf(),
        work,
        _temp: temp,
        device,
        made_at,
        made_by,
        tally,
        heads,
        evidence,
    })
}

fn has_table(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1", [name], |r| {
        r.get::<_, i64>(0)
    })
    .map(|n| n > 0)
}

fn integrity(conn: &Connection, path: &Path) -> Result<()> {
    let said: rusqlite::Result<String> = conn.query_row("PRAGMA integrity_check(1)", [], |r| r.get(0));
    match said {
        Ok(s) if s == "ok" => Ok(()),
        Ok(s) => Err(refuse(path, Refusal::Integrity(s))),
        Err(e) => Err(refuse(path, Refusal::Integrity(e.to_string()))),
    }
}

/// Copies an older file into a temporary folder and upgrades the copy to the current schema.
fn upgraded_copy(path: &Path) -> Result<(tempfile::TempDir, PathBuf)> {
    let dir = tempfile::tempdir().map_err(io_error(path))?;
    let copy = dir.path().join("upgraded.db");
    {
        let source = open_read_only(path).map_err(|_| refuse(path, Refusal::NotSqlite))?;
        source.execute("VACUUM INTO ?1", [copy.to_string_lossy()])?;
    }
    let mut conn = Connection::open(&copy)?;
    migrate::migrate_to(&mut conn, None, migrate::latest())?;
    Ok((dir, copy))
}

/// Every evidence row's file is there and has the recorded SHA-256.
fn check_evidence(conn: &Connection, path: &Path, source: &EvidenceSource) -> Result<()> {
    // Answers' evidence and the fixes'.
    let mut stmt = conn.prepare(crate::store::fix_evidence::ALL_FILES)?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (inspection, stored, sha) in rows {
        let relative = evidence::relative_path(&inspection, &stored);
        let data = read_evidence(conn, source, &relative, "sqlar")?;
        match data {
            None => return Err(refuse(path, Refusal::EvidenceMissing(relative))),
            Some(bytes) if crate::checklist::sha256_hex(&bytes) != sha => {
                return Err(refuse(path, Refusal::EvidenceChanged(relative)));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// The bytes of one evidence file of an incoming database (`None` when it is not there). Archive entries
/// are stored uncompressed (size = length of the data); a compressed one is not ducha's and counts as
/// not matching. `archive` is the archive table as `conn` sees it (`sqlar`, or `f.sqlar` when attached).
pub fn read_evidence(
    conn: &Connection,
    source: &EvidenceSource,
    relative: &str,
    archive: &str,
) -> Result<Option<Vec<u8>>> {
    match source {
        EvidenceSource::Archive => {
            let sql = format!("SELECT sz, data FROM {archive} WHERE name = ?1");
            let row: Option<(i64, Vec<u8>)> =
                conn.query_row(&sql, [archive_name(relative)], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
            Ok(row.map(|(sz, data)| if sz == data.len() as i64 { data } else { Vec::new() }))
        }
        EvidenceSource::Folder(root) => match std::fs::read(root.join(relative)) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error(&root.join(relative))(e)),
        },
    }
}
