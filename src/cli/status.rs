//! `ducha status`: where the database is and what it holds.

use rusqlite::Connection;

use crate::app;
use crate::config::Settings;
use crate::i18n::Lang;
use crate::store::{audit, device, rectifications, sites, snapshots};

pub fn run(settings: &Settings) -> anyhow::Result<()> {
    let lang = settings.lang;
    let opened = app::open_reading(settings)?;
    let conn = opened.store.conn();
    let (total, sample) = sites::count(conn)?;
    let snaps = snapshots::list(conn)?;
    let inspections: i64 = conn.query_row("SELECT count(*) FROM inspections", [], |r| r.get(0))?;
    let today = chrono::Local::now().date_naive().format("%Y-%m-%d").to_string();
    let (open_rects, _) = rectifications::open_counts(conn, &today)?;
    let schema = opened.store.schema_version()?;
    let me = device::get(conn)?;
    let heads = audit::heads(conn)?;
    let merges = last_merges(conn)?;
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
    let zh = lang == Lang::Zh;
    match (&me.office, zh) {
        (None, true) => outln!("本机设备：{}（代码 {}），本身即办公室（不跟随其他设备）", me.id, me.code),
        (None, false) => {
            outln!("this device: {} (code {}), its own office (follows no other device)", me.id, me.code)
        }
        (Some(o), true) => {
            outln!("本机设备：{}（代码 {}），跟随办公室设备 {o}（{}）", me.id, me.code, device::code_of(o));
        }
        (Some(o), false) => {
            outln!(
                "this device: {} (code {}), follows the office device {o} ({})",
                me.id,
                me.code,
                device::code_of(o)
            );
        }
    }
    let own = heads.iter().find(|(d, _, _)| *d == me.id).map_or(0, |(_, n, _)| *n);
    if zh {
        outln!("审计链：{} 条（本机 {own} 条记录；逐条核验请用 ducha verify）", heads.len());
    } else {
        outln!("audit chains: {} (this device: {own} entries; ducha verify checks them)", heads.len());
    }
    if merges.is_empty() {
        outln!("{}", lang.pick("最近合并：尚未合并过交接文件", "last merges: no hand-over file merged yet"));
        return Ok(());
    }
    outln!(
        "{}",
        lang.pick("各设备最近一次合并（最久未合并的在前）：", "last merge per device (longest ago first):")
    );
    for m in merges {
        let code = device::code_of(&m.device);
        if zh {
            outln!("  设备 {}（{code}）  {}  合并人 {}  文件 {}", m.device, m.merged_at, m.merged_by, m.file);
        } else {
            outln!("  device {} ({code})  {}  by {}  file {}", m.device, m.merged_at, m.merged_by, m.file);
        }
    }
    Ok(())
}

struct LastMerge {
    device: String,
    merged_at: String,
    merged_by: String,
    file: String,
}

/// The latest merge of each device's hand-overs, the one merged longest ago first: the laptop that has
/// not been merged for a while comes to the top.
fn last_merges(conn: &Connection) -> rusqlite::Result<Vec<LastMerge>> {
    let mut stmt = conn.prepare(
        "SELECT device, merged_at, merged_by, file FROM (
             SELECT device, merged_at, merged_by, file,
                    row_number() OVER (PARTITION BY device ORDER BY merged_at DESC, id DESC) AS n
             FROM merges)
         WHERE n = 1 ORDER BY merged_at, device",
    )?;
    stmt.query_map([], |r| {
        Ok(LastMerge { device: r.get(0)?, merged_at: r.get(1)?, merged_by: r.get(2)?, file: r.get(3)? })
    })?
    .collect()
}
