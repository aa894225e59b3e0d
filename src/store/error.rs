use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(
        "{path} was written by a newer ducha (schema version {found}; this ducha knows up to {known}). \
         Update ducha; the file was not changed"
    )]
    TooNew { path: String, found: i64, known: i64 },
    #[error(
        "{path} has schema version {found} and needs upgrading to {known}, which cannot be done on a \
         read-only file or folder: copy it to a writable folder, or open it once where it can be written"
    )]
    NeedsUpgrade { path: String, found: i64, known: i64 },
    #[error("{path} is not a ducha database (application_id {found:#x})")]
    Foreign { path: String, found: i64 },
    #[error("migration {version} ({name}) failed: {source}")]
    Migration { version: i64, name: &'static str, source: rusqlite::Error },
    #[error("{0}")]
    Refused(String),
    /// A compare-and-set found the answer changed by another process since the writer read it.
    #[error("item {item_id} was changed in another window; nothing was saved")]
    Changed { item_id: String, instance: u32, current: Option<String> },
}

pub type Result<T> = std::result::Result<T, StoreError>;
