//! `ducha sites import|list|remove-sample`.

use std::path::PathBuf;

use clap::Subcommand;

use super::Reported;
use crate::app;
use crate::config::Settings;
use crate::domain::Domain;
use crate::i18n::Lang;
use crate::registry;
use crate::roles::Role;
use crate::store::sites::{self, Filter, Upsert};
use crate::textable;

#[derive(Debug, Subcommand)]
pub enum SitesCommand {
    /// Import or update sites from a CSV file 导入单位名录 (UTF-8, UTF-8 with BOM or GB18030).
    ///
    /// Columns: code, kind, name, town, and optionally address, contact, phone, floors, beds, license
    /// (or 编号, 类型, 名称, 镇街, 地址, 联系人, 电话, 楼层, 床位, 证照号). `kind` is elderly_care,
    /// lottery_outlet, rescue_station, social_org or 养老机构, 彩票投注站, 救助管理站, 社会组织. Sites are
    /// matched by code: importing again updates them; a column the file does not have leaves the stored
    /// values alone, a column present but empty clears them. A file with any error imports nothing.
    Import {
        /// The CSV file
        file: PathBuf,
    },
    /// List sites 列出单位
    List {
        /// Only this kind (key or Chinese name) 类型
        #[arg(long, value_parser = parse_kind)]
        kind: Option<Domain>,
        /// Only this town 镇街
        #[arg(long)]
        town: Option<String>,
    },
    /// Delete the sample sites that were never inspected 删除未检查过的示例单位
    RemoveSample,
}

fn parse_kind(s: &str) -> Result<Domain, String> {
    Domain::parse_loose(s).ok_or_else(|| {
        format!("unknown kind `{s}`; expected elderly_care, lottery_outlet, rescue_station, social_org (or 养老机构, 彩票投注站, 救助管理站, 社会组织)")
    })
}

pub fn run(settings: &Settings, cmd: SitesCommand) -> anyhow::Result<()> {
    let lang = settings.lang;
    match cmd {
        SitesCommand::Import { file } => import(settings, &file),
        SitesCommand::List { kind, town } => {
            let opened = app::open_reading(settings)?;
            let list = sites::list(opened.store.conn(), &Filter { kind, town })?;
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|s| {
                    let f = &s.fields;
                    let num = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
                    let mark = if s.sample { lang.pick("示例", "sample") } else { "" };
                    vec![
                        f.code.clone(),
                        f.kind.label(lang).to_string(),
                        f.town.clone(),
                        num(f.floors),
                        num(f.beds),
                        mark.to_string(),
                        f.name.clone(),
                    ]
                })
                .collect();
            let headers = match lang {
                Lang::Zh => ["编号", "类型", "镇街", "楼层", "床位", "示例", "名称"],
                Lang::En => ["code", "kind", "town", "floors", "beds", "sample", "name"],
            };
            out!("{}", textable::render(&headers, &rows));
            errln!("{} {}", list.len(), lang.pick("个单位", "site(s)"));
            Ok(())
        }
        SitesCommand::RemoveSample => {
            let mut opened = app::open(settings)?;
            let action = lang.pick("维护单位名录", "changing the site registry");
            crate::roles::require(&opened.store, &settings.user, Role::Admin, action)
                .map_err(|e| Reported(e.message(lang)))?;
            let user = settings.user.clone();
            let (removed, kept) = opened.store.write(|tx| sites::remove_sample(tx, &user))?;
            match lang {
                Lang::Zh => outln!("已删除 {removed} 个示例单位；{kept} 个已有检查记录的示例单位保留。"),
                Lang::En => outln!("removed {removed} sample site(s); kept {kept} that have inspections."),
            }
            Ok(())
        }
    }
}

fn import(settings: &Settings, file: &std::path::Path) -> anyhow::Result<()> {
    let lang = settings.lang;
    let name = super::printable(&file.display().to_string());
    let bytes = registry::read(file).map_err(|e| Reported(format!("{name}: {e}")))?;
    let checked = match registry::check(&bytes) {
        Ok(c) => c,
        Err(rejected) => {
            for e in &rejected.errors {
                errln!("{}", e.render(&name, lang));
            }
            let more = rejected.total - rejected.errors.len();
            if more > 0 {
                errln!(
                    "{}",
                    match lang {
                        Lang::Zh => format!("{name}: 另有 {more} 处错误未显示"),
                        Lang::En => format!("{name}: and {more} more error(s) not shown"),
                    }
                );
            }
            return Err(Reported(match lang {
                Lang::Zh => format!("{} 处错误，未导入任何单位", rejected.total),
                Lang::En => format!("{} error(s); nothing was imported", rejected.total),
            })
            .into());
        }
    };
    let mut opened = app::open(settings)?;
    let action = lang.pick("维护单位名录", "changing the site registry");
    crate::roles::require(&opened.store, &settings.user, Role::Admin, action)
        .map_err(|e| Reported(e.message(lang)))?;
    warn_new_towns(&name, &checked.towns, &sites::towns(opened.store.conn())?, lang);
    let user = settings.user.clone();
    // The file is read a second time here rather than its sites kept from the check: memory stays the size
    // of the file, whatever the number of rows.
    let columns = checked.columns;
    let counts = opened.store.write(|tx| -> anyhow::Result<Counts> {
        let mut counts = Counts::default();
        registry::visit(&bytes, &mut |site| {
            counts.add(sites::upsert_columns(tx, &user, &site, columns, false)?);
            Ok(())
        })?;
        Ok(counts)
    })?;
    let Counts { new, updated, same, .. } = counts;
    match lang {
        Lang::Zh => outln!(
            "已导入 {} 个单位（{}）：新增 {new}，更新 {updated}，未变 {same}",
            checked.rows,
            checked.encoding
        ),
        Lang::En => outln!(
            "imported {} site(s) ({}): {new} new, {updated} updated, {same} unchanged",
            checked.rows,
            checked.encoding
        ),
    }
    for line in counts.details(columns, lang) {
        outln!("{line}");
    }
    Ok(())
}

/// What an import did, with how many sites each field changed in.
#[derive(Default)]
struct Counts {
    new: usize,
    updated: usize,
    same: usize,
    fields: std::collections::BTreeMap<sites::Field, usize>,
}

impl Counts {
    fn add(&mut self, done: Upsert) {
        match done {
            Upsert::Inserted => self.new += 1,
            Upsert::Updated(fields) => {
                self.updated += 1;
                for f in fields {
                    *self.fields.entry(f).or_default() += 1;
                }
            }
            Upsert::Unchanged => self.same += 1,
        }
    }

    /// The lines after the totals: the fields changed (`更新的字段：地址 3、电话 5`), and the columns the file
    /// lacks, whose stored values were kept.
    fn details(&self, columns: sites::Columns, lang: Lang) -> Vec<String> {
        let mut lines = Vec::new();
        if !self.fields.is_empty() {
            let sep = lang.pick("、", ", ");
            let list: Vec<String> =
                self.fields.iter().map(|(f, n)| format!("{} {n}", f.label(lang))).collect();
            lines.push(format!("{}{}", lang.pick("更新的字段：", "fields updated: "), list.join(sep)));
        }
        let missing = columns.missing();
        if !missing.is_empty() && self.new + self.updated + self.same > 0 {
            let sep = lang.pick("、", ", ");
            let list: Vec<&str> = missing.iter().map(|f| f.label(lang)).collect();
            lines.push(match lang {
                Lang::Zh => format!("文件中没有的列保留原值：{}", list.join(sep)),
                Lang::En => format!("columns not in the file kept their stored values: {}", list.join(sep)),
            });
        }
        lines
    }
}

/// A town not yet in the registry is imported, but said on standard error, with the closest known town: a
/// misspelt town would otherwise quietly split a town's sites in two in every report and random draw.
fn warn_new_towns(file: &str, towns: &[(String, u64)], known: &[String], lang: Lang) {
    if known.is_empty() {
        return; // the first registry of a database: every town is new
    }
    for (town, line) in towns.iter().filter(|(t, _)| !known.contains(t)) {
        let close = known
            .iter()
            .map(|k| (strsim::levenshtein(k, town), k))
            .filter(|(d, k)| *d <= 1 || (*d <= 2 && k.chars().count() > 4))
            .min()
            .map(|(_, k)| super::printable(k));
        let town = crate::shown::quote(town);
        let line_of = |zh: bool| if zh { format!("第 {line} 行") } else { format!("line {line}") };
        let msg = match (lang, close) {
            (Lang::Zh, Some(k)) => {
                format!("新的镇街 `{town}`（{}首次出现），是否应为 `{k}`？", line_of(true))
            }
            (Lang::Zh, None) => format!("新的镇街 `{town}`（{}首次出现），名录中原先没有", line_of(true)),
            (Lang::En, Some(k)) => {
                format!("new town `{town}` (first on {}); did you mean `{k}`?", line_of(false))
            }
            (Lang::En, None) => {
                format!("new town `{town}` (first on {}), not yet in the registry", line_of(false))
            }
        };
        errln!("{file}: {}: {msg}", lang.pick("警告", "warning"));
    }
}
