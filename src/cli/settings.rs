//! `ducha settings list | get KEY | set KEY VALUE | reset KEY`: the bureau's settings (局设置), the same
//! ones the console's settings screen shows. Changing one needs the admin role and is audited.

use clap::Subcommand;

use super::Reported;
use crate::app;
use crate::bureau::{self, Key};
use crate::config::Settings;
use crate::i18n::Lang;
use crate::store::bureau as stored;
use crate::textable;

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Every setting with its value, default and last change 列出局设置
    List,
    /// Print one setting's value (its default when never set) 查看一项设置
    Get {
        /// bureau.name, bureau.seal, notice.format or record.format
        key: String,
    },
    /// Change a setting (admins only, audited) 修改一项设置
    Set {
        /// bureau.name 局名, bureau.seal 印章行, notice.format 通知书文号格式, record.format 记录编号格式
        key: String,
        value: String,
    },
    /// Put a setting back to its default (admins only, audited) 恢复默认值
    Reset { key: String },
}

pub fn run(settings: &Settings, cmd: SettingsCommand) -> anyhow::Result<()> {
    let lang = settings.lang;
    let refused = |e: bureau::SettingError| Reported(e.message(lang));
    match cmd {
        SettingsCommand::List => {
            let opened = app::open_reading(settings)?;
            let conn = opened.store.conn();
            let mut rows = Vec::new();
            for key in Key::ALL {
                let set = stored::get(conn, key.key())?;
                let value = bureau::value(conn, key)?;
                let changed = set.map_or_else(
                    || lang.pick("（默认）", "(default)").to_string(),
                    |s| format!("{} {}", s.changed_by, s.changed_at),
                );
                rows.push(vec![key.key().to_string(), key.label(lang).to_string(), value, changed]);
            }
            let headers = match lang {
                Lang::Zh => ["设置项", "名称", "值", "修改人与时间"],
                Lang::En => ["key", "setting", "value", "changed"],
            };
            out!("{}", textable::render(&headers, &rows));
            if bureau::value(conn, Key::Name)?.is_empty() {
                errln!(
                    "{}",
                    lang.pick(
                        "提示：尚未设置局名，文书抬头将空缺；管理员可用 ducha settings set bureau.name 如皋市民政局 设置",
                        "hint: the bureau's name is not set, so documents carry none; an admin sets it with \
                         `ducha settings set bureau.name NAME`"
                    )
                );
            }
            Ok(())
        }
        SettingsCommand::Get { key } => {
            let key = bureau::parse_key(&key).map_err(refused)?;
            let opened = app::open_reading(settings)?;
            outln!("{}", bureau::value(opened.store.conn(), key)?);
            Ok(())
        }
        SettingsCommand::Set { key, value } => change(settings, &key, Some(&value)),
        SettingsCommand::Reset { key } => change(settings, &key, None),
    }
}

fn change(settings: &Settings, key: &str, value: Option<&str>) -> anyhow::Result<()> {
    let lang = settings.lang;
    let key = bureau::parse_key(key).map_err(|e| Reported(e.message(lang)))?;
    let mut opened = app::open(settings)?;
    let changed = bureau::set(&mut opened.store, &settings.user, key, value, lang)
        .map_err(|e| Reported(e.message(lang)))?;
    let now = bureau::value(opened.store.conn(), key)?;
    match (changed, lang) {
        (true, Lang::Zh) => outln!("已设置 {}（{}）：{now}", key.key(), key.label(lang)),
        (true, Lang::En) => outln!("{} ({}) is now: {now}", key.key(), key.label(lang)),
        (false, Lang::Zh) => outln!("{} 已是：{now}，未改动", key.key()),
        (false, Lang::En) => outln!("{} already is: {now}; nothing changed", key.key()),
    }
    Ok(())
}
