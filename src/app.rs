//! Opening the database the way every command needs it: created and seeded on first run (the shipped
//! checklists' snapshots and the sample site registry), migrated with a backup when older.

use anyhow::Context;

use crate::checklist::{LoadReport, load_shipped};
use crate::config::Settings;
use crate::registry;
use crate::store::{Store, sites, snapshots, users};

/// What opening did, for the user to be told.
pub struct Opened {
    pub store: Store,
    pub seeded_sites: usize,
}

pub fn open(settings: &Settings) -> anyhow::Result<Opened> {
    let mut store = Store::open(&settings.db)
        .with_context(|| format!("cannot open the database {}", settings.db.display()))?;
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
