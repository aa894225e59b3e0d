//! Checking that a database is whole: SQLite's own integrity check, every device's audit hash chain, and
//! the SHA-256 of every evidence file (answers' and fixes'). Read-only from end to end, so it can be run on
//! a database that is being questioned (or on a hand-over file before it is merged) without changing a
//! byte of it.

use std::ffi::OsStr;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use rusqlite::Connection;
use sha2::{Digest, Sha256};

use crate::i18n::Lang;
use crate::store::audit::{self, Break};
use crate::store::{Result, StoreError, device, evidence, migrate};

/// The first schema version with audit hash chains (migration 7): an older file has nothing to verify.
pub const FIRST_CHAINED_SCHEMA: i64 = 7;

/// Everything one verification found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// What `PRAGMA integrity_check` said when it was not `ok`. The other checks are skipped then: reads of
    /// a damaged file cannot be trusted, and may fail half-way.
    pub integrity: Vec<String>,
    /// How many audit entries there are, over all devices.
    pub entries: i64,
    /// The first break of each device's chain that has one.
    pub breaks: Vec<Break>,
    /// The last entry of every device's chain, to be written down and compared later.
    pub heads: Vec<Head>,
    /// Evidence records checked and the bytes of the files hashed.
    pub evidence_files: u64,
    pub evidence_bytes: u64,
    pub evidence: Vec<EvidenceProblem>,
    /// The triggers that keep the audit table append-only and are gone: not a break by itself (a chain
    /// shows what changed), but nobody removes them by accident.
    pub missing_guards: Vec<String>,
}

/// The triggers that refuse UPDATE and DELETE on the audit table.
pub const AUDIT_GUARDS: [&str; 2] = ["audit_no_update", "audit_no_delete"];

/// The head of one device's chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    pub device: String,
    /// The device's 4-character code (the stored one for this database's device, else derived from the id).
    pub code: String,
    /// Whether it is this database's own device.
    pub own: bool,
    pub dseq: i64,
    pub hash: String,
}

/// An evidence record whose file is not what was recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvidenceProblem {
    pub evidence_id: String,
    /// `None` when the record's answer does not exist.
    pub inspection_id: Option<String>,
    /// Where the file should be.
    pub path: PathBuf,
    pub what: EvidenceFault,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvidenceFault {
    /// The record points at no answer, so there is no inspection folder to look in.
    NoAnswer,
    /// The stored name (or inspection id) is not a plain file name: it would lead outside its folder.
    BadName,
    Missing,
    /// Something other than a regular file (a folder, a device) is at the path.
    NotAFile,
    Unreadable(String),
    Size {
        expected: i64,
        found: u64,
    },
    Hash {
        expected: String,
        found: String,
    },
}

impl Report {
    /// True when nothing is wrong.
    pub fn is_whole(&self) -> bool {
        self.integrity.is_empty()
            && self.breaks.is_empty()
            && self.evidence.is_empty()
            && self.missing_guards.is_empty()
    }

    /// Every problem as one sentence, in the order checked: the file, the chains, the evidence.
    pub fn problems(&self, lang: Lang) -> Vec<String> {
        let damaged = lang.pick(
            "数据库文件已损坏（integrity_check）：",
            "the database file is damaged (integrity_check): ",
        );
        let mut out: Vec<String> = self.integrity.iter().map(|line| format!("{damaged}{line}")).collect();
        out.extend(self.breaks.iter().map(|b| b.message(lang)));
        out.extend(self.evidence.iter().map(|p| p.message(lang)));
        out.extend(self.missing_guards.iter().map(|name| match lang {
            Lang::Zh => format!("审计表的防改触发器 {name} 已被删除或改动：有人改动了数据库结构"),
            Lang::En => format!(
                "the audit table's guard trigger {name} was dropped or changed: someone changed the database's schema"
            ),
        }));
        out
    }
}

impl EvidenceProblem {
    pub fn message(&self, lang: Lang) -> String {
        let path = self.path.display();
        let inspection = self.inspection_id.as_deref().unwrap_or("?");
        let place = match lang {
            Lang::Zh => format!("检查 {inspection} 的证据文件 {path}"),
            Lang::En => format!("evidence file {path} of inspection {inspection}"),
        };
        let id = &self.evidence_id;
        match (&self.what, lang) {
            (EvidenceFault::NoAnswer, Lang::Zh) => {
                format!("证据记录 {id} 没有对应的答案或整改事项：记录被删改")
            }
            (EvidenceFault::NoAnswer, Lang::En) => {
                format!(
                    "evidence record {id} belongs to no answer or rectification: records were removed or changed"
                )
            }
            (EvidenceFault::BadName, Lang::Zh) => {
                format!("证据记录 {id} 的文件名不是普通文件名（{path}）：记录被改动")
            }
            (EvidenceFault::BadName, Lang::En) => {
                format!("evidence record {id} does not name a plain file ({path}): the record was changed")
            }
            (EvidenceFault::Missing, Lang::Zh) => format!("{place}：缺失"),
            (EvidenceFault::Missing, Lang::En) => format!("{place} is missing"),
            (EvidenceFault::NotAFile, Lang::Zh) => format!("{place}：不是普通文件"),
            (EvidenceFault::NotAFile, Lang::En) => format!("{place} is not a regular file"),
            (EvidenceFault::Unreadable(e), Lang::Zh) => format!("{place}：无法读取（{e}）"),
            (EvidenceFault::Unreadable(e), Lang::En) => format!("{place} cannot be read: {e}"),
            (EvidenceFault::Size { expected, found }, Lang::Zh) => {
                format!("{place}：大小不符（记录为 {expected} 字节，实为 {found} 字节）：文件被改动")
            }
            (EvidenceFault::Size { expected, found }, Lang::En) => {
                format!("{place} has {found} bytes, not the {expected} recorded: the file was changed")
            }
            (EvidenceFault::Hash { expected, found }, Lang::Zh) => {
                format!("{place}：内容被改动（SHA-256 记录为 {expected}，实为 {found}）")
            }
            (EvidenceFault::Hash { expected, found }, Lang::En) => {
                format!("{place} was changed (SHA-256 recorded {expected}, found {found})")
            }
        }
    }
}

/// Why a database could not be opened for verification.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("no database at {0}")]
    Missing(PathBuf),
    #[error("{0} is not a ducha database")]
    NotDucha(PathBuf),
    #[error("{path} has schema version {version}, older than the audit chains")]
    Unchained { path: PathBuf, version: i64 },
    #[error("{path} was written by a newer ducha (schema version {found})")]
    TooNew { path: PathBuf, found: i64 },
    #[error("cannot read {path}: {source}")]
    Store { path: PathBuf, source: StoreError },
}

impl OpenError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (OpenError::Missing(p), Lang::Zh) => {
                format!("数据库文件不存在：{}（核验不会新建数据库）", p.display())
            }
            (OpenError::Missing(p), Lang::En) => {
                format!("no database at {} (verify never creates one)", p.display())
            }
            (OpenError::NotDucha(p), Lang::Zh) => format!("{} 不是督查数据库，未作任何改动", p.display()),
            (OpenError::NotDucha(p), Lang::En) => {
                format!("{} is not a ducha database; it was not changed", p.display())
            }
            (OpenError::Unchained { path, version }, Lang::Zh) => format!(
                "{} 的结构版本为 {version}，尚无审计链（自版本 {FIRST_CHAINED_SCHEMA} 起）：请先用 ducha 打开一次以升级（会留下备份），再核验",
                path.display()
            ),
            (OpenError::Unchained { path, version }, Lang::En) => format!(
                "{} has schema version {version}, from before the audit chains (version {FIRST_CHAINED_SCHEMA}): open it with ducha once to upgrade it (a backup is kept), then verify",
                path.display()
            ),
            (OpenError::TooNew { path, found }, Lang::Zh) => format!(
                "{} 由更新版本的督查写入（结构版本 {found}，本程序只认识到 {}）：请升级 ducha",
                path.display(),
                migrate::latest()
            ),
            (OpenError::TooNew { path, found }, Lang::En) => format!(
                "{} was written by a newer ducha (schema version {found}; this ducha knows up to {}): update ducha",
                path.display(),
                migrate::latest()
            ),
            (OpenError::Store { path, source }, Lang::Zh) => {
                format!("无法读取数据库 {}：{source}", path.display())
            }
            (OpenError::Store { path, source }, Lang::En) => {
                format!("cannot read the database {}: {source}", path.display())
            }
        }
    }
}

/// Opens an existing ducha database read-only: never creates the file, never migrates, never writes.
/// (`Store::open` would do all three.)
pub fn open_read_only(path: &Path) -> std::result::Result<Connection, OpenError> {
    if !path.exists() {
        return Err(OpenError::Missing(path.to_path_buf()));
    }
    if !path.is_file() {
        return Err(OpenError::NotDucha(path.to_path_buf()));
    }
    let store_err = |source: StoreError| OpenError::Store { path: path.to_path_buf(), source };
    // Without CREATE, so a file that vanished meanwhile is not made; `query_only` refuses every change to
    // the database itself; read-only (and immutable) on read-only media.
    let conn = crate::store::open_read_only_connection(path).map_err(store_err)?;
    // A writer on another connection holds its lock only briefly; wait rather than fail.
    conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(|e| store_err(e.into()))?;
    let version = match migrate::check(&conn, Some(path)) {
        Ok(v) => v,
        Err(StoreError::Foreign { .. }) => return Err(OpenError::NotDucha(path.to_path_buf())),
        Err(StoreError::TooNew { found, .. }) => {
            return Err(OpenError::TooNew { path: path.to_path_buf(), found });
        }
        Err(StoreError::Sqlite(e)) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
            return Err(OpenError::NotDucha(path.to_path_buf()));
        }
        Err(e) => return Err(store_err(e)),
    };
    // Version 0 is an SQLite file that ducha never migrated: someone else's, or empty.
    if version == 0 {
        return Err(OpenError::NotDucha(path.to_path_buf()));
    }
    if version < FIRST_CHAINED_SCHEMA {
        return Err(OpenError::Unchained { path: path.to_path_buf(), version });
    }
    Ok(conn)
}

/// Verifies the database behind `conn` and the evidence files under `evidence_root`. Problems are in the
/// report; an error means the checks themselves could not run. Run it inside one read transaction when
/// others may write, so the chains and their heads come from one snapshot.
pub fn run(conn: &Connection, evidence_root: &Path) -> Result<Report> {
    let integrity = integrity(conn)?;
    if !integrity.is_empty() {
        return Ok(Report { integrity, ..Report::default() });
    }
    let breaks = audit::verify(conn)?;
    let entries = conn.query_row("SELECT count(*) FROM audit", [], |r| r.get(0))?;
    let heads = heads(conn)?;
    let missing_guards = missing_guards(conn)?;
    let mut report = Report { entries, breaks, heads, missing_guards, ..Report::default() };
    check_evidence(conn, evidence_root, &mut report)?;
    Ok(report)
}

/// Which of [`AUDIT_GUARDS`] are no longer on the audit table (or no longer refuse anything).
pub fn missing_guards(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?1 AND tbl_name = 'audit'
           AND instr(upper(sql), 'RAISE(ABORT') > 0",
    )?;
    let mut missing = Vec::new();
    for name in AUDIT_GUARDS {
        let n: i64 = stmt.query_row([name], |r| r.get(0))?;
        if n == 0 {
            missing.push(name.to_string());
        }
    }
    Ok(missing)
}

/// `PRAGMA integrity_check`: empty when it says `ok`, else what it found.
pub fn integrity(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let lines = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(if lines.len() == 1 && lines[0] == "ok" { Vec::new() } else { lines })
}

/// Every device's chain head, with its code.
pub fn heads(conn: &Connection) -> Result<Vec<Head>> {
    // A database whose device row was removed still has chains worth listing.
    let own = device::get(conn).ok();
    Ok(audit::heads(conn)?
        .into_iter()
        .map(|(device, dseq, hash)| {
            let mine = own.as_ref().filter(|d| d.id == device);
            Head {
                code: mine.map_or_else(|| device::code_of(&device), |d| d.code.clone()),
                own: mine.is_some(),
                device,
                dseq,
                hash,
            }
        })
        .collect())
}

/// Checks every evidence record's file, appending what is wrong to the report.
fn check_evidence(conn: &Connection, root: &Path, report: &mut Report) -> Result<()> {
    let mut stmt = conn.prepare(
        // Answers' evidence and the fixes' (kept the same way, in the rectification's inspection folder).
        "SELECT e.id, a.inspection_id, e.stored_name, e.sha256, e.bytes
         FROM evidence e LEFT JOIN answers a ON a.id = e.answer_id
         UNION ALL
         SELECT x.id, r.inspection_id, x.stored_name, x.sha256, x.bytes
         FROM rectification_evidence x LEFT JOIN rectifications r ON r.id = x.rectification_id
         ORDER BY 2, 3, 1",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let evidence_id: String = r.get(0)?;
        let inspection_id: Option<String> = r.get(1)?;
        let stored_name: String = r.get(2)?;
        let expected_sha: String = r.get(3)?;
        let expected_bytes: i64 = r.get(4)?;
        report.evidence_files += 1;
        let Some(inspection) = inspection_id.clone() else {
            report.evidence.push(EvidenceProblem {
                evidence_id,
                inspection_id,
                path: root.join(&stored_name),
                what: EvidenceFault::NoAnswer,
            });
            continue;
        };
        let path = root.join(evidence::relative_path(&inspection, &stored_name));
        let fault = if !plain_name(&inspection) || !plain_name(&stored_name) {
            Some(EvidenceFault::BadName)
        } else {
            check_file(&path, expected_bytes, &expected_sha, &mut report.evidence_bytes)
        };
        if let Some(what) = fault {
            report.evidence.push(EvidenceProblem { evidence_id, inspection_id, path, what });
        }
    }
    Ok(())
}

/// One path component and nothing else: no `..`, no separator, not absolute.
fn plain_name(name: &str) -> bool {
    let mut parts = Path::new(name).components();
    matches!((parts.next(), parts.next()), (Some(Component::Normal(n)), None) if n == OsStr::new(name))
}

fn check_file(
    path: &Path,
    expected_bytes: i64,
    expected_sha: &str,
    hashed: &mut u64,
) -> Option<EvidenceFault> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Some(EvidenceFault::Missing),
        Err(e) => return Some(EvidenceFault::Unreadable(e.to_string())),
    };
    // Checked before opening: opening a FIFO would block, and a device could be read forever.
    if !meta.is_file() {
        return Some(EvidenceFault::NotAFile);
    }
    if i64::try_from(meta.len()).ok() != Some(expected_bytes) {
        return Some(EvidenceFault::Size { expected: expected_bytes, found: meta.len() });
    }
    match sha256_file(path) {
        Ok((found, bytes)) => {
            *hashed += bytes;
            (!found.eq_ignore_ascii_case(expected_sha))
                .then(|| EvidenceFault::Hash { expected: expected_sha.to_string(), found })
        }
        Err(e) => Some(EvidenceFault::Unreadable(e.to_string())),
    }
}

/// The SHA-256 (hex) and length of a file, read in fixed-size pieces so a large file costs no memory.
pub fn sha256_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                hasher.update(&buf[..n]);
                total += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok((crate::checklist::hex(&hasher.finalize()), total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_single_normal_component_is_a_plain_name() {
        assert!(plain_name("0123abcd-现场照片.jpg"));
        for bad in ["", ".", "..", "../x", "a/b", "/etc/passwd", "a/"] {
            assert!(!plain_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn a_file_is_hashed_in_pieces_to_the_same_digest() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.bin");
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        let (hash, len) = sha256_file(&path).unwrap();
        assert_eq!(len, 200_000);
        assert_eq!(hash, crate::checklist::sha256_hex(&bytes));
    }
}
