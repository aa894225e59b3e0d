//! Consolidation of many laptops: hand-over files (`ducha handover`) and merging them (`ducha merge`).
//!
//! Facts — submitted inspections, answer revisions, evidence, rectifications and their events, notices,
//! plans and the audit log — are never changed once written, so merging is a union by id: idempotent and
//! independent of order and grouping. Derived state (a rectification's status and deadline) is folded from
//! the events, never copied. Reference data (users and roles, the site registry, checklist texts) follows
//! an authority: a database takes it from its office, and lists a difference from anyone else as a
//! reference conflict for an admin. Free of any terminal UI code.

pub mod canonical;
pub mod decide;
pub mod handover;
pub mod incoming;
pub mod merge;
pub mod reference;

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::i18n::Lang;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ConsolidateError {
    #[error("{0} already exists (give --force to replace it)")]
    Exists(PathBuf),
    #[error("{0} is the database itself")]
    IntoItself(PathBuf),
    #[error("evidence file {0} is missing: run `ducha verify`")]
    EvidenceMissing(PathBuf),
    #[error(
        "evidence file {path} is not the one recorded (SHA-256 {found}, recorded {expected}): run `ducha verify`"
    )]
    EvidenceChanged { path: PathBuf, expected: String, found: String },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("refused {file}: {reason}")]
    Refused { file: PathBuf, reason: Refusal },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

/// Why an incoming hand-over file is refused (before anything is written to the target).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("not an SQLite database (truncated, damaged or another kind of file)")]
    NotSqlite,
    #[error("an SQLite database, but not one of ducha's")]
    Foreign,
    #[error("written by a newer ducha (schema {found}; this one knows up to {known})")]
    TooNew { found: i64, known: i64 },
    #[error("damaged: PRAGMA integrity_check says {0}")]
    Integrity(String),
    #[error("its audit chain is broken: {0}")]
    Chain(String),
    #[error(
        "device {device}'s audit entry {dseq} differs from the one in this database: a copied or rewritten database"
    )]
    Fork { device: String, dseq: i64 },
    #[error("evidence {0} is missing from the file")]
    EvidenceMissing(String),
    #[error("evidence {0} does not match its SHA-256")]
    EvidenceChanged(String),
    #[error("{table} {key} differs from the same record in this database: a rewritten record")]
    Differs { table: String, key: String },
    #[error("it was written by this database itself")]
    OwnFile,
    #[error("it has no device (not a hand-over of ducha 7 or later, and could not be upgraded)")]
    NoDevice,
}

impl Refusal {
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            Refusal::NotSqlite => "不是 SQLite 数据库（文件不完整、已损坏或是其他类型的文件）".into(),
            Refusal::Foreign => "是 SQLite 数据库，但不是督查的数据库".into(),
            Refusal::TooNew { found, known } => {
                format!("由更新版本的督查写出（结构版本 {found}，本程序最高支持 {known}）")
            }
            Refusal::Integrity(what) => format!("文件已损坏：PRAGMA integrity_check 报告 {what}"),
            Refusal::Chain(what) => format!("审计链断裂：{what}"),
            Refusal::Fork { device, dseq } => {
                format!("设备 {device} 的第 {dseq} 条审计记录与本数据库中的不同：数据库被复制或改写过")
            }
            Refusal::EvidenceMissing(name) => format!("文件中缺少证据 {name}"),
            Refusal::EvidenceChanged(name) => format!("证据 {name} 与其 SHA-256 不符"),
            Refusal::Differs { table, key } => {
                format!("{table} {key} 与本数据库中的同一记录不同：记录被改写过")
            }
            Refusal::OwnFile => "这是本数据库自己写出的交接文件".into(),
            Refusal::NoDevice => "没有设备标识（不是督查 7 版及以后的交接文件，且无法升级）".into(),
        }
    }
}

impl ConsolidateError {
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            ConsolidateError::Exists(p) => format!("{} 已存在（加 --force 覆盖）", p.display()),
            ConsolidateError::IntoItself(p) => format!("{} 就是数据库本身", p.display()),
            ConsolidateError::EvidenceMissing(p) => {
                format!("证据文件 {} 不见了：请运行 ducha verify", p.display())
            }
            ConsolidateError::EvidenceChanged { path, .. } => {
                format!("证据文件 {} 与记录的不符（SHA-256 不同）：请运行 ducha verify", path.display())
            }
            ConsolidateError::Io { path, source } => format!("{}：{source}", path.display()),
            ConsolidateError::Refused { file, reason } => {
                format!("已拒绝 {}：{}", file.display(), reason.message(lang))
            }
            ConsolidateError::Store(e) => format!("数据库错误：{e}"),
            ConsolidateError::Sqlite(e) => format!("数据库错误：{e}"),
        }
    }
}

pub type Result<T> = std::result::Result<T, ConsolidateError>;

pub(crate) fn io_error(path: &Path) -> impl Fn(std::io::Error) -> ConsolidateError + '_ {
    move |source| ConsolidateError::Io { path: path.to_path_buf(), source }
}

/// How many records of each kind a database (or an attached schema) holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub sites: i64,
    pub users: i64,
    pub snapshots: i64,
    pub submitted: i64,
    pub drafts: i64,
    pub answers: i64,
    pub evidence: i64,
    pub rectifications: i64,
    pub events: i64,
    pub notices: i64,
    pub records: i64,
    pub plans: i64,
    pub audit: i64,
}

impl Tally {
    /// Counts in `schema` ("main", or the name a file is attached under; a name from this module only).
    pub fn of(conn: &Connection, schema: &str) -> rusqlite::Result<Tally> {
        let count = |table: &str, filter: &str| -> rusqlite::Result<i64> {
            conn.query_row(&format!("SELECT count(*) FROM {schema}.{table} {filter}"), [], |r| r.get(0))
        };
        Ok(Tally {
            sites: count("sites", "")?,
            users: count("users", "")?,
            snapshots: count("checklist_snapshots", "")?,
            submitted: count("inspections", "WHERE status = 'submitted'")?,
            drafts: count("inspections", "WHERE status = 'draft'")?,
            answers: count("answers", "")?,
            evidence: count("evidence", "")?,
            rectifications: count("rectifications", "")?,
            events: count("rectification_events", "")?,
            notices: count("notices", "")?,
            records: count("records", "")?,
            plans: count("plans", "")?,
            audit: count("audit", "")?,
        })
    }

    /// (label, count) pairs for printing, in the user's language.
    pub fn lines(&self, lang: Lang) -> Vec<(&'static str, i64)> {
        vec![
            (lang.pick("单位", "sites"), self.sites),
            (lang.pick("用户", "users"), self.users),
            (lang.pick("检查表版本", "checklist versions"), self.snapshots),
            (lang.pick("已提交检查", "submitted inspections"), self.submitted),
            (lang.pick("草稿", "drafts"), self.drafts),
            (lang.pick("答案（含修订）", "answers (with revisions)"), self.answers),
            (lang.pick("证据", "evidence"), self.evidence),
            (lang.pick("整改事项", "rectifications"), self.rectifications),
            (lang.pick("跟进记录", "follow-up events"), self.events),
            (lang.pick("整改通知书", "notices"), self.notices),
            (lang.pick("现场检查记录", "inspection records"), self.records),
            (lang.pick("抽查计划", "plans"), self.plans),
            (lang.pick("审计记录", "audit entries"), self.audit),
        ]
    }
}
