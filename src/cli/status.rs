//! `ducha status`: where the database is and what it holds.

use crate::app;
use crate::config::Settings;
use crate::i18n::Lang;
use crate::store::{sites, snapshots};

pub fn run(settings: &Settings) -> anyhow::Result<()> {
    let lang = settings.lang;
    let opened = app::open(settings)?;
    let conn = opened.store.conn();
    let (total, sample) = sites::count(conn)?;
    let snaps = snapshots::list(conn)?;
    let (inspections, open_rects): (i64, i64) = conn.query_row(
        "SELECT (SELECT count(*) FROM inspections),
                (SELECT count(*) FROM rectifications WHERE status <> 'verified')",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let schema = opened.store.schema_version()?;
    match lang {
        Lang::Zh => {
            outln!("数据库：{}（结构版本 {schema}）", settings.db.display());
            outln!("当前用户：{}", settings.user);
            outln!("单位：{total} 个（其中示例 {sample} 个）");
            outln!("检查记录：{inspections} 条；未销号整改：{open_rects} 条");
            outln!("已保存的检查表版本：");
        }
        Lang::En => {
            outln!("database: {} (schema version {schema})", settings.db.display());
            outln!("user: {}", settings.user);
            outln!("sites: {total} ({sample} sample)");
            outln!("inspections: {inspections}; open rectifications: {open_rects}");
            outln!("stored checklist versions:");
        }
    }
    for s in snaps {
        outln!("  {} v{}  {}  {}", s.checklist_id, s.version, s.title, &s.hash[..12.min(s.hash.len())]);
    }
    Ok(())
}
