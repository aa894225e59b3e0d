//! `ducha export publication --plan PLAN_ID -o FILE` or `--from DATE --to DATE [--domain D] -o FILE`: the
//! public list of random inspections (抽查结果公示) as CSV, XLSX or HTML, by the file's extension.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::Reported;
use super::export::reported;
use super::export::{parse_date, parse_domain};
use crate::app;
use crate::config::Settings;
use crate::domain::Domain;
use crate::export::publication::{self, Format, Selection};
use crate::i18n::Lang;

/// Write the results of random inspections 抽查结果公示 for publication: each unit drawn with its code,
/// the inspection date and the result (未检查 / 未发现问题 / 责令整改 N 项 / 整改中 / 已整改), and the
/// plan's seed and draw parameters so that anyone can redraw it.
///
/// It holds no personal data: no names of people, no phones, no ID numbers, no addresses, no problem text
/// beyond the count by severity. Needs no role; it is recorded in the audit log.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("which").required(true).args(["plan", "from"]))]
pub struct PublicationArgs {
    /// The plan's id, or a unique prefix of at least 6 characters 抽查计划编号 (printed by plan random)
    #[arg(long, value_name = "PLAN_ID", conflicts_with_all = ["from", "to", "domain"])]
    pub plan: Option<String>,
    /// Every plan drawn on or after this day 抽取日期起 (YYYY-MM-DD)
    #[arg(long, value_parser = parse_date, value_name = "DATE", requires = "to")]
    pub from: Option<NaiveDate>,
    /// … and on or before this day 抽取日期止 (YYYY-MM-DD)
    #[arg(long, value_parser = parse_date, value_name = "DATE", requires = "from")]
    pub to: Option<NaiveDate>,
    /// Only plans of this domain 检查领域: elderly_care|lottery_outlet|rescue_station|social_org or 养老机构 …
    #[arg(long, value_parser = parse_domain, value_name = "DOMAIN", requires = "from")]
    pub domain: Option<Domain>,
    /// Output file 输出文件: .csv, .xlsx or .html
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: PathBuf,
    /// CSV without the UTF-8 byte-order mark (for scripts; Excel needs the mark to read Chinese)
    #[arg(long)]
    pub no_bom: bool,
}

pub fn run(settings: &Settings, args: &PublicationArgs) -> anyhow::Result<()> {
    let lang = settings.lang;
    // A wrong file name is refused before the database is opened (or created).
    Format::of_path(&args.output, lang).map_err(reported)?;
    let selection = match (&args.plan, args.from, args.to) {
        (Some(plan), _, _) => Selection::Plan(plan.clone()),
        (None, Some(from), Some(to)) => Selection::Period { from, to, domain: args.domain },
        // clap requires --plan or both dates.
        _ => {
            return Err(Reported(
                lang.pick("请给出 --plan 或 --from 与 --to", "give --plan or --from and --to").into(),
            )
            .into());
        }
    };
    let mut opened = app::open_or_read_only(settings)?;
    let today = chrono::Local::now().date_naive();
    let done = publication::export(
        &mut opened.store,
        &settings.user,
        &selection,
        lang,
        today,
        &args.output,
        !args.no_bom,
    )
    .map_err(reported)?;
    let file = args.output.display();
    match lang {
        Lang::Zh => errln!("已导出抽查结果公示：{} 个计划，{} 个单位 → {file}", done.plans, done.units),
        Lang::En => errln!("wrote the publication: {} plan(s), {} unit(s) to {file}", done.plans, done.units),
    }
    if !done.named {
        errln!(
            "{}",
            lang.pick(
                "提示：尚未设置局名，公示抬头留空；管理员可用 ducha settings set bureau.name 如皋市民政局 设置",
                "hint: the bureau's name is not set, so the heading has a blank; an admin sets it with \
                 `ducha settings set bureau.name NAME`"
            )
        );
    }
    if let Some(why) = &done.unrecorded {
        errln!(
            "{}{why}",
            lang.pick(
                "注意：本次导出未能记入审计日志：",
                "note: this export could not be recorded in the audit log: "
            )
        );
    }
    Ok(())
}
