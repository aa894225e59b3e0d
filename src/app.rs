//! Opening the database the way every command needs it: created and seeded on first run (the shipped
//! checklists' snapshots and the sample site registry), migrated with a backup when older.

use std::path::Path;

use crate::checklist::{LoadReport, load_shipped};
use crate::cli::Reported;
use crate::config::Settings;
use crate::i18n::Lang;
use crate::registry;
use crate::store::{self, Store, StoreError, sites, snapshots, users};

/// What opening did, for the user to be told.
pub struct Opened {
    pub store: Store,
    pub seeded_sites: usize,
}

/// Opens for writing: creates, seeds and migrates as needed.
pub fn open(settings: &Settings) -> anyhow::Result<Opened> {
    if settings.db.is_file() && !store::writable(&settings.db) {
        return Err(Reported(match settings.lang {
            Lang::Zh => format!(
                "数据库 {} 只读（文件或其所在目录不可写，如光盘、写保护的U盘）：此命令需要写入；\
                 查看类命令（status、导出、报表、verify）仍可使用",
                settings.db.display()
            ),
            Lang::En => format!(
                "the database {} is read-only (the file or its folder cannot be written, e.g. a CD or a \
                 write-protected USB stick): this command writes; reading commands (status, exports, \
                 reports, verify) still work",
                settings.db.display()
            ),
        })
        .into());
    }
    let mut store =
        Store::open(&settings.db).map_err(|e| Reported(explain(settings.lang, &settings.db, &e)))?;
    let lang = settings.lang;
    if let Some(backup) = &store.backup {
        eprintln!(
            "{} {}",
            lang.pick("数据库已升级，升级前的备份：", "database upgraded; backup of the old file:"),
            backup.display()
        );
    }
    let mut seeded_sites = 0;
    // Seeded once: a new file, or one whose first run stopped before the seed was committed (no snapshot
    // is ever deleted, so an empty snapshot table means the seed never happened).
    let unseeded = snapshots::list(store.conn())?.is_empty();
    if store.created || unseeded {
        seeded_sites = seed(&mut store, &settings.user)?;
        eprintln!("{} {}", lang.pick("已创建数据库：", "created the database:"), settings.db.display());
    }
    Ok(Opened { store, seeded_sites })
}

/// Opens for a command that only reads (status, lists, reports): read-only, so it never takes a write
/// lock, never waits on a writer and works on read-only media. A file that does not exist yet, or must be
/// migrated or seeded first, is opened for writing as [`open`] does (refused clearly where it cannot be).
pub fn open_reading(settings: &Settings) -> anyhow::Result<Opened> {
    let db = &settings.db;
    if db.is_file() {
        match Store::open_read_only(db) {
            Ok(store) if !snapshots::list(store.conn())?.is_empty() => {
                return Ok(Opened { store, seeded_sites: 0 });
            }
            Ok(store) if !store::writable(db) => return Ok(Opened { store, seeded_sites: 0 }),
            Ok(_) => {}
            Err(StoreError::NeedsUpgrade { .. }) if store::writable(db) => {}
            Err(e) => return Err(Reported(explain(settings.lang, db, &e)).into()),
        }
    }
    open(settings)
}

/// Opens for the console and exports, which read but also record (answers, the audit entry of an
/// export): for writing where the file and its folder can be written, read-only where they cannot.
/// [`Store::is_read_only`] then says which.
pub fn open_or_read_only(settings: &Settings) -> anyhow::Result<Opened> {
    let db = &settings.db;
    if db.is_file() && !store::writable(db) {
        let store = Store::open_read_only(db).map_err(|e| Reported(explain(settings.lang, db, &e)))?;
        return Ok(Opened { store, seeded_sites: 0 });
    }
    open(settings)
}

/// Why a database could not be opened, naming the file once, in the user's language.
pub fn explain(lang: Lang, path: &Path, e: &StoreError) -> String {
    use rusqlite::ErrorCode;
    let file = path.display();
    let code = match e {
        StoreError::Sqlite(s) => s.sqlite_error_code(),
        _ => None,
    };
    match (e, code, lang) {
        (StoreError::TooNew { found, known, .. }, _, Lang::Zh) => format!(
            "数据库 {file} 由更新版本的督查写入（结构版本 {found}，本程序最高支持 {known}）：请升级督查；文件未改动\n{e}"
        ),
        (StoreError::NeedsUpgrade { found, known, .. }, _, Lang::Zh) => format!(
            "数据库 {file} 的结构版本为 {found}，需升级到 {known}，但文件或其所在目录只读：\
             请把它复制到可写的目录，或在可写的地方打开一次\n{e}"
        ),
        (StoreError::Foreign { .. }, _, Lang::Zh) => format!("{file} 不是督查数据库\n{e}"),
        (
            StoreError::TooNew { .. } | StoreError::NeedsUpgrade { .. } | StoreError::Foreign { .. },
            _,
            Lang::En,
        ) => e.to_string(),
        (_, Some(ErrorCode::NotADatabase), Lang::Zh) => {
            format!(
                "{file} 不是督查数据库：不是 SQLite 文件，或文件已损坏（可用 ducha verify 核验，或从备份恢复）"
            )
        }
        (_, Some(ErrorCode::NotADatabase), Lang::En) => format!(
            "{file} is not a ducha database: not an SQLite file, or a damaged one (ducha verify checks it; \
             restore it from a backup)"
        ),
        (_, Some(ErrorCode::DatabaseCorrupt), Lang::Zh) => {
            format!("数据库 {file} 已损坏（{e}）：请用 ducha verify 核验，并从备份恢复")
        }
        (_, Some(ErrorCode::DatabaseCorrupt), Lang::En) => {
            format!("the database {file} is damaged ({e}): check it with ducha verify and restore a backup")
        }
        (_, Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly | ErrorCode::PermissionDenied), Lang::Zh) => {
            format!("无法打开数据库 {file}：文件或其所在目录不可读写（{}）", sqlite_reason(e))
        }
        (_, Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly | ErrorCode::PermissionDenied), Lang::En) => {
            format!(
                "cannot open the database {file}: the file or its folder cannot be read or written ({})",
                sqlite_reason(e)
            )
        }
        (StoreError::Io { path: at, source }, _, Lang::Zh) => {
            format!("无法打开数据库 {file}：{}：{source}", at.display())
        }
        (StoreError::Io { path: at, source }, _, Lang::En) => {
            format!("cannot open the database {file}: {}: {source}", at.display())
        }
        (_, _, Lang::Zh) => format!("无法打开数据库 {file}：{e}"),
        (_, _, Lang::En) => format!("cannot open the database {file}: {e}"),
    }
}

/// SQLite's own words for a failure, without the "database error:" prefix.
fn sqlite_reason(e: &StoreError) -> String {
    match e {
        StoreError::Sqlite(s) => s.to_string(),
        other => other.to_string(),
    }
}

/// Stores the shipped checklists' snapshots and the sample sites, in one transaction.
pub fn seed(store: &mut Store, actor: &str) -> anyhow::Result<usize> {
    let mut report = LoadReport::default();
    load_shipped(&mut report);
    if let Some(f) = report.failed.first() {
        anyhow::bail!("shipped checklist {} is invalid:\n{}", f.origin, f.render(crate::i18n::Lang::En));
    }
    let sample = registry::parse(registry::SAMPLE_CSV).map_err(|rejected| {
        let text: Vec<String> =
            rejected.errors.iter().map(|e| e.render("data/sites.csv", crate::i18n::Lang::En)).collect();
        anyhow::anyhow!("the shipped sample registry is invalid:\n{}", text.join("\n"))
    })?;
    store.write(|tx| -> anyhow::Result<usize> {
        users::ensure_first_admin(tx, actor)?;
        for loaded in &report.loaded {
            snapshots::ensure(tx, actor, loaded)?;
        }
        for site in &sample.sites {
            sites::upsert(tx, actor, site, true)?;
        }
        Ok(sample.sites.len())
    })
}
