//! `ducha export rectifications|findings|notice`: the rectification list and the findings as CSV or XLSX,
//! and the printable rectification notice.

use std::io::IsTerminal;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Subcommand};

use super::Reported;
use super::export_notice::{self, NoticeArgs};
use super::export_publication::{self, PublicationArgs};
use super::export_record::{self, RecordArgs, RecordsArgs};
use crate::app;
use crate::config::Settings;
use crate::domain::{Domain, Severity};
use crate::export::{self, ExportFilter, Kind, Masking, Options, Output};
use crate::i18n::Lang;
use crate::places::{self, Match, Place};
use crate::rectification::Status;
use crate::store::Store;
use crate::store::board::Filter;

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// The rectification list 整改清单: one row per rectification, most urgent first
    Rectifications(ListArgs),
    /// The findings 检查记录: one row per answer of submitted inspections (latest revision), in checklist
    /// order; rows of a repeat section carry the inspection id and the repetition number
    Findings(FindingsArgs),
    /// A printable rectification notice 整改通知书 for one inspection, as an HTML page (A4)
    Notice(NoticeArgs),
    /// The public list of random inspections 抽查结果公示 (one plan, or the plans of a period) as CSV,
    /// XLSX or HTML, without any personal data
    Publication(PublicationArgs),
    /// The printable on-site inspection record 现场检查记录 (a duty shift: 值班记录) of one submitted
    /// inspection, as an HTML page (A4)
    Record(RecordArgs),
    /// The records of every submitted inspection of a period, one HTML file each plus index.html
    Records(RecordsArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Status 状态: open|in_progress|fix_reported|verified or 待整改|整改中|待复查|已销号; repeat or separate
    /// with commas [default: all]. For findings: answers whose rectification has that status.
    #[arg(long, value_delimiter = ',', value_parser = parse_status, value_name = "STATUS")]
    status: Vec<Status>,
    /// Domain 检查领域: elderly_care|lottery_outlet|rescue_station|social_org or 养老机构 …
    #[arg(long, value_parser = parse_domain, value_name = "DOMAIN")]
    domain: Option<Domain>,
    /// Town 镇街, as in the site registry
    #[arg(long, value_name = "TOWN")]
    town: Option<String>,
    /// Site code 单位编号
    #[arg(long, value_name = "CODE")]
    site: Option<String>,
    /// Severity 隐患等级: minor|major|critical or 一般|较重|重大
    #[arg(long, value_parser = parse_severity, value_name = "SEVERITY")]
    severity: Option<Severity>,
    /// Inspections on or after this day 检查日期起 (YYYY-MM-DD)
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    from: Option<NaiveDate>,
    /// Inspections on or before this day 检查日期止 (YYYY-MM-DD)
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    to: Option<NaiveDate>,
    /// Only overdue rectifications 只导出逾期
    #[arg(long)]
    overdue: bool,
    /// Only rectifications in conflict (changed on two databases, not yet settled) 只导出冲突
    #[arg(long)]
    conflict: bool,
    /// Output file 输出文件: .csv or .xlsx; `-` or none writes CSV to standard output
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// CSV without the UTF-8 byte-order mark (for scripts; Excel needs the mark to read Chinese)
    #[arg(long)]
    no_bom: bool,
    /// Show ID-card and phone numbers in full 不打码 (supervisors and admins; recorded in the audit log)
    #[arg(long)]
    unmasked: bool,
}

#[derive(Debug, Args)]
pub struct FindingsArgs {
    #[command(flatten)]
    list: ListArgs,
    /// Also the answers of inspections not yet submitted (drafts) 包括草稿
    #[arg(long)]
    include_drafts: bool,
}

fn parse_status(s: &str) -> Result<Status, String> {
    Status::parse_loose(s).ok_or_else(|| {
        let keys: Vec<&str> = Status::ALL.iter().map(|s| s.key()).collect();
        let labels: Vec<&str> = Status::ALL.iter().map(|s| s.label(Lang::Zh)).collect();
        format!("状态应为 / expected one of: {} | {}", keys.join(", "), labels.join("、"))
    })
}

/// A refusal the user can act on becomes a plain message (exit 1); anything else keeps its context.
pub(super) fn reported(e: export::ExportError) -> anyhow::Error {
    match e {
        export::ExportError::Invalid(msg) => Reported(msg).into(),
        other => other.into(),
    }
}

pub(super) fn parse_domain(s: &str) -> Result<Domain, String> {
    Domain::parse_loose(s)
        .ok_or_else(|| format!("检查领域应为 / expected one of: {}", Domain::keys().join(", ")))
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    let t = s.trim();
    Severity::ALL.into_iter().find(|v| v.key() == t || v.label(Lang::Zh) == t).ok_or_else(|| {
        "隐患等级应为 / expected one of: minor, major, critical | 一般、较重、重大".to_string()
    })
}

pub(super) fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        format!("日期格式应为 2026-11-30，收到 `{s}` / expected a date such as 2026-11-30, got `{s}`")
    })
}

pub fn run(settings: &Settings, cmd: ExportCommand) -> anyhow::Result<()> {
    match cmd {
        ExportCommand::Rectifications(args) => table(settings, Kind::Rectifications, &args, false),
        ExportCommand::Findings(args) => table(settings, Kind::Findings, &args.list, args.include_drafts),
        ExportCommand::Notice(args) => export_notice::run(settings, &args),
        ExportCommand::Publication(args) => export_publication::run(settings, &args),
        ExportCommand::Record(args) => export_record::run(settings, &args),
        ExportCommand::Records(args) => export_record::run_batch(settings, &args),
    }
}

impl ListArgs {
    fn filter(&self) -> ExportFilter {
        let non_empty =
            |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(String::from);
        ExportFilter {
            board: Filter {
                statuses: self.status.iter().map(|s| s.key().to_string()).collect(),
                domain: self.domain.map(|d| d.key().to_string()),
                town: non_empty(&self.town),
                site: non_empty(&self.site),
                severity: self.severity.map(|s| s.key().to_string()),
                overdue_only: self.overdue,
                conflict_only: self.conflict,
                text: None,
            },
            from: self.from,
            to: self.to,
        }
    }

    fn output(&self) -> Output {
        match &self.output {
            Some(p) if p.as_os_str() != "-" => Output::File(p.clone()),
            _ => Output::Stdout,
        }
    }
}

/// Refuses a town or site code the registry does not know (so a typo is not mistaken for "no rows"),
/// suggesting the closest names.
fn check_known(store: &Store, filter: &ExportFilter, lang: Lang) -> anyhow::Result<()> {
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && from > to
    {
        let msg = match lang {
            Lang::Zh => format!("--from {from} 晚于 --to {to}"),
            Lang::En => format!("--from {from} is after --to {to}"),
        };
        return Err(Reported(msg).into());
    }
    // The rule (exact names here: the CLI takes no part of a name) is the registry's, shared with the board.
    if let Some(town) = &filter.board.town
        && let Some(msg) = places::town(store.conn(), town, Match::Exact)?.refusal(Place::Town, lang)
    {
        return Err(Reported(msg).into());
    }
    if let Some(code) = &filter.board.site
        && let Some(msg) = places::site(store.conn(), code, Match::Exact)?.refusal(Place::Site, lang)
    {
        return Err(Reported(msg).into());
    }
    Ok(())
}

fn table(settings: &Settings, kind: Kind, args: &ListArgs, include_drafts: bool) -> anyhow::Result<()> {
    let lang = settings.lang;
    let filter = args.filter();
    let output = args.output();
    if let Output::File(path) = &output {
        export::Format::of_path(path, lang).map_err(|e| Reported(e.to_string()))?;
    }
    let mut opened = app::open_or_read_only(settings)?;
    check_known(&opened.store, &filter, lang)?;
    let target = match &output {
        Output::Stdout => "-".to_string(),
        Output::File(p) => p.display().to_string(),
    };
    let masking = if args.unmasked {
        export::authorize_unmasked(
            &mut opened.store,
            &settings.user,
            lang,
            kind.key(),
            &filter.describe(),
            &target,
        )
        .map_err(Reported)?;
        Masking::Unmasked
    } else {
        Masking::Masked
    };
    let opts = Options {
        lang,
        today: chrono::Local::now().date_naive(),
        masking,
        bom: !args.no_bom,
        include_drafts,
        actor: settings.user.clone(),
    };
    let bar = progress_bar();
    let mut progress = |done: u64, total: u64| {
        if let Some(bar) = &bar {
            bar.set_length(total);
            bar.set_position(done);
        }
    };
    let summary = export::export(&mut opened.store, kind, &filter, &opts, &output, &mut progress)
        .map_err(|e| Reported(e.to_string()))?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let described = filter.describe();
    let masked = match (masking, lang) {
        (Masking::Masked, _) => "",
        (Masking::Unmasked, Lang::Zh) => "，未打码",
        (Masking::Unmasked, Lang::En) => ", unmasked",
    };
    let line = match lang {
        Lang::Zh => format!(
            "已导出{} {} 行 → {target}（筛选：{}{masked}）",
            kind.label(lang),
            summary.rows,
            if described.is_empty() { "无" } else { &described }
        ),
        Lang::En => format!(
            "exported {} rows of the {} to {target} (filter: {}{masked})",
            summary.rows,
            kind.label(lang),
            if described.is_empty() { "none" } else { &described }
        ),
    };
    errln!("{line}");
    if let Some(why) = &summary.unrecorded {
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

/// A progress bar on standard error when it is a terminal; `None` otherwise (pipes, CI, tests).
fn progress_bar() -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::with_draw_target(Some(0), indicatif::ProgressDrawTarget::stderr());
    // ASCII only: block characters are two columns wide on some Chinese-locale terminals.
    let style = indicatif::ProgressStyle::with_template("[{bar:30}] {pos}/{len} {percent}%")
        .map(|s| s.progress_chars("#>-"))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    Some(bar)
}
