//! `ducha check [PATH...]`: validate checklists and show every problem with its place.

use std::path::PathBuf;

use clap::Args;

use super::Reported;
use crate::checklist::{LoadReport, load_paths, load_shipped, reject_conflicts};
use crate::config::Settings;
use crate::store::{Store, snapshots};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Checklist files or directories 检查表文件或目录 [default: the shipped checklists and --checklists DIR]
    pub paths: Vec<PathBuf>,
}

pub fn run(settings: &Settings, args: &CheckArgs) -> anyhow::Result<()> {
    let lang = settings.lang;
    let mut report = LoadReport::default();
    if args.paths.is_empty() {
        load_shipped(&mut report);
        if let Some(dir) = &settings.checklists {
            load_paths(&mut report, std::slice::from_ref(dir));
        }
    } else {
        load_paths(&mut report, &args.paths);
    }
    // A checklist already used (snapshot stored) must not change under the same version. Only an existing
    // database is consulted: checking never creates one.
    let known = if settings.db.exists() {
        let store = Store::open(&settings.db)?;
        snapshots::known(store.conn())?
    } else {
        Default::default()
    };
    reject_conflicts(&mut report, &known);

    for l in &report.loaded {
        let c = &l.checklist;
        outln!(
            "{}  {}  v{}  {}  {} {}  ({})",
            lang.pick("通过", "ok"),
            c.id,
            c.version,
            c.domain.key(),
            c.item_count(),
            lang.pick("项", "items"),
            l.origin
        );
    }
    for (path, e) in &report.unreadable {
        errln!("{path}: {}: {e}", lang.pick("错误：无法读取", "error: cannot read"));
    }
    let mut problems = 0;
    for f in &report.failed {
        eprint!("{}", f.render(lang));
        problems += f.diags.len();
    }
    if report.loaded.is_empty() && report.failed.is_empty() && report.unreadable.is_empty() {
        return Err(
            Reported(lang.pick("没有找到检查表（*.toml）", "no checklists (*.toml) found").into()).into()
        );
    }
    if report.is_clean() {
        Ok(())
    } else {
        let files = report.failed.len() + report.unreadable.len();
        Err(Reported(match lang {
            crate::i18n::Lang::Zh => format!("{files} 个文件未通过校验，共 {problems} 处错误"),
            crate::i18n::Lang::En => format!("{files} file(s) failed, {problems} problem(s)"),
        })
        .into())
    }
}
