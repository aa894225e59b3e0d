//! `ducha merge FILE... [--office]`: merges laptops' (or the office's) hand-over files into this database.
//! Every file is checked before anything is written; a refused one is named, leaves the database as it
//! was, and makes the exit status 1. Merging into a database that does not exist sets it up from the first
//! file: no sample registry, and the file's office as its own.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use super::Reported;
use crate::app;
use crate::config::Settings;
use crate::consolidate::incoming;
use crate::consolidate::merge::{self, Options, Outcome};
use crate::i18n::Lang;
use crate::roles::Role;
use crate::store::Store;
use crate::textable;

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Hand-over files 交接文件 (from `ducha handover`)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// From now on take users, roles, the registry and checklists from the device of the (first) file, as
    /// from this database's office 以该文件的设备为上级（仅管理员）
    #[arg(long)]
    pub office: bool,
}

pub fn run(settings: &Settings, args: &MergeArgs) -> anyhow::Result<()> {
    let lang = settings.lang;
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new(args.files.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
        bar.set_style(style);
    }
    // Checked first, so that a database being set up is not created for a file that is refused.
    let mut checked = Vec::new();
    let mut refused = 0;
    for file in &args.files {
        bar.set_message(format!("{} {}", lang.pick("核对", "checking"), file.display()));
        match incoming::check(file) {
            Ok(i) => checked.push(i),
            Err(e) => {
                bar.suspend(|| errln!("{}", e.message(lang)));
                refused += 1;
            }
        }
    }
    let fresh = !settings.db.exists();
    if fresh && checked.is_empty() {
        bar.finish_and_clear();
        return Err(Reported(
            lang.pick("没有可合并的文件，未创建数据库", "nothing to merge; no database was created").into(),
        )
        .into());
    }
    let mut store = if fresh {
        let store = Store::open(&settings.db)?;
        errln!(
            "{} {}",
            lang.pick("已由交接文件建立数据库：", "set up the database from the hand-over:"),
            settings.db.display()
        );
        store
    } else {
        let opened = app::open(settings)?;
        if args.office {
            crate::roles::require(
                &opened.store,
                &settings.user,
                Role::Admin,
                lang.pick("指定上级", "choosing the office"),
            )
            .map_err(|e| Reported(e.message(lang)))?;
        }
        opened.store
    };
    for (n, file) in checked.iter().enumerate() {
        bar.set_message(format!("{} {}", lang.pick("合并", "merging"), file.path.display()));
        let opts = Options { fresh: fresh && n == 0, follow: args.office && n == 0 && !fresh };
        let name = file.path.display().to_string();
        let mut step = |kind: &'static str| {
            let (verb, colon) = (lang.pick("合并", "merging"), lang.pick("：", ": "));
            bar.set_message(format!("{verb} {name}{colon}{}", kind_label(kind, lang)));
        };
        match merge::merge(&mut store, file, &settings.user, opts, &mut step) {
            Ok(outcome) => bar.suspend(|| print_outcome(lang, file, &outcome))?,
            Err(e) => {
                bar.suspend(|| errln!("{}", e.message(lang)));
                refused += 1;
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    if refused > 0 {
        return Err(Reported(match lang {
            Lang::Zh => format!("{refused} 个文件被拒绝，未合并"),
            Lang::En => format!("{refused} file(s) refused, not merged"),
        })
        .into());
    }
    Ok(())
}

fn kind_label(kind: &str, lang: Lang) -> &'static str {
    match kind {
        "plans" => lang.pick("抽查计划", "plans"),
        "plan items" => lang.pick("计划单位", "plan items"),
        "inspections" => lang.pick("检查", "inspections"),
        "repetitions" => lang.pick("重复组", "repetitions"),
        "answers" => lang.pick("答案", "answers"),
        "evidence" => lang.pick("证据", "evidence"),
        "rectifications" => lang.pick("整改事项", "rectifications"),
        "events" => lang.pick("跟进记录", "follow-up events"),
        "fix evidence" => lang.pick("整改证据", "fix evidence"),
        "notices" => lang.pick("整改通知书", "notices"),
        "records" => lang.pick("现场检查记录", "inspection records"),
        "audit" => lang.pick("审计记录", "audit entries"),
        "compare" => lang.pick("核对共有记录", "comparing shared records"),
        "evidence files" => lang.pick("写入证据文件", "writing evidence files"),
        _ => lang.pick("其他", "other"),
    }
}

fn print_outcome(lang: Lang, file: &incoming::Incoming, o: &Outcome) -> anyhow::Result<()> {
    let d = &file.device;
    match lang {
        Lang::Zh => outln!(
            "已合并 {}（设备 {}，{} 由 {} 写出）",
            file.path.display(),
            d.code,
            file.made_at,
            file.made_by
        ),
        Lang::En => outln!(
            "merged {} (device {}, written {} by {})",
            file.path.display(),
            d.code,
            file.made_at,
            file.made_by
        ),
    }
    let rows: Vec<Vec<String>> = o
        .kinds
        .iter()
        .map(|k| {
            vec![
                kind_label(k.kind, lang).to_string(),
                k.new.to_string(),
                k.unchanged.to_string(),
                k.conflicting.to_string(),
            ]
        })
        .collect();
    let headers = [
        lang.pick("类别", "kind"),
        lang.pick("新增", "new"),
        lang.pick("未变", "unchanged"),
        lang.pick("冲突", "conflicting"),
    ];
    out!("{}", textable::render(&headers, &rows));
    let r = &o.reference;
    let source = match o.authority {
        merge::Authority::Office => lang.pick("来自上级（照单采用）", "from the office (taken)"),
        merge::Authority::Peer => lang.pick(
            "来自下级或同级（只列出差异，不采用）",
            "from a field database (differences listed, not taken)",
        ),
    };
    match lang {
        Lang::Zh => outln!(
            "参考数据{source}：新增单位 {}，更新单位 {}，设定角色 {}，采用局设置与执法证号 {}，新检查表版本 {}，新的参考冲突 {}{}",
            r.sites_added,
            r.sites_updated,
            r.roles_set,
            r.settings_set,
            r.snapshots_added,
            r.conflicts_new,
            if r.stale_office {
                "（该上级文件不比已合并的新，名录与角色未改动）"
            } else {
                ""
            }
        ),
        Lang::En => outln!(
            "reference data {source}: {} sites added, {} updated, {} roles set, {} settings and certificate numbers taken, {} new checklist versions, {} new reference conflicts{}",
            r.sites_added,
            r.sites_updated,
            r.roles_set,
            r.settings_set,
            r.snapshots_added,
            r.conflicts_new,
            if r.stale_office {
                " (this office file is not newer than one merged before: registry and roles left alone)"
            } else {
                ""
            }
        ),
    }
    if o.drafts_left > 0 {
        match lang {
            Lang::Zh => outln!("未合并的草稿：{} 份（仍在该电脑上记录，提交后再交接）", o.drafts_left),
            Lang::En => outln!(
                "drafts not merged: {} (still being recorded on that laptop; hand over again once submitted)",
                o.drafts_left
            ),
        }
    }
    if o.rectification_conflicts > 0 {
        match lang {
            Lang::Zh => outln!("待裁决的整改冲突：{} 条（整改看板按 冲突 筛选）", o.rectification_conflicts),
            Lang::En => outln!(
                "rectifications in conflict, to settle: {} (filter the board by conflict)",
                o.rectification_conflicts
            ),
        }
    }
    super::handover::print_heads(lang, &file.heads)?;
    Ok(())
}
