//! The command line: global options, subcommands, and the mapping of failures to exit codes
//! (0 ok, 1 the work failed, 2 usage error).

/// `print!` for command output: a reader that stops early (`| head`) ends the output quietly instead of
/// panicking on the broken pipe.
/// Control characters other than line breaks and tabs are shown escaped ([`crate::shown::terminal_safe`]).
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::emit_text(&format!($($arg)*))? };
}

/// `println!`, the same way as [`out!`].
macro_rules! outln {
    ($($arg:tt)*) => { $crate::cli::emit_text(&format!("{}\n", format_args!($($arg)*)))? };
}

/// `eprintln!` for messages that may hold user data (paths, names, values): control characters other
/// than line breaks and tabs are shown escaped.
macro_rules! errln {
    ($($arg:tt)*) => { eprintln!("{}", $crate::shown::terminal_safe(&format!($($arg)*))) };
}

mod check;
mod conflicts;
mod demo;
mod export;
mod export_notice;
mod export_publication;
mod export_record;
mod handover;
mod merge;
mod plan;
mod report;
mod settings;
mod sites;
mod status;
mod users;
mod verify;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::{self, Overrides, Settings};
use crate::i18n::Lang;

#[derive(Debug, Parser)]
#[command(
    name = "ducha",
    version,
    about = "督查 — 民政监督检查控制台 / civil-affairs supervisory inspection console",
    long_about = "督查 ducha：按 TOML 检查表在现场逐项检查（养老机构、福利彩票投注站、救助管理站值班记录、\
社会组织执法检查），记录问题并跟踪整改至复查销号。\n\
ducha: inspect sites item by item against TOML checklists, record findings in SQLite, and follow every \
problem through rectification to verification.\n\n\
不带子命令运行时打开控制台。Without a subcommand, ducha opens the console.\n\
Exit codes: 0 ok, 1 the work failed (invalid input, refused action), 2 usage error."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Database file 数据库文件 [default: the platform data directory, e.g. ~/.local/share/ducha/ducha.db]
    #[arg(long, global = true, env = "DUCHA_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Admins' own checklists (a directory of .toml files), in addition to the shipped ones 自定义检查表目录
    #[arg(long, global = true, env = "DUCHA_CHECKLISTS", value_name = "DIR")]
    pub checklists: Option<PathBuf>,
    /// UI language 界面语言 [default: from LANG: Chinese when it starts with "zh"]
    #[arg(long, global = true, env = "DUCHA_LANG", value_enum)]
    pub lang: Option<Lang>,
    /// Who is working 当前用户 [default: the config file's user, else the OS user]
    #[arg(long, global = true, env = "DUCHA_USER", value_name = "NAME")]
    pub user: Option<String>,
    /// Config file 配置文件 [default: the platform config directory, e.g. ~/.config/ducha/config.toml]
    #[arg(long, global = true, env = "DUCHA_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate checklists 校验检查表 (default: shipped + admin checklists)
    Check(check::CheckArgs),
    /// The site registry 单位名录: import, list, remove the sample sites
    #[command(subcommand)]
    Sites(sites::SitesCommand),
    /// Random inspection planning 双随机抽查计划
    #[command(subcommand)]
    Plan(plan::PlanCommand),
    /// Reports 报表: the weekly rectification report, duty-log coverage
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// Exports 导出: the rectification list and findings as CSV/XLSX, printable rectification notices
    #[command(subcommand)]
    Export(export::ExportCommand),
    /// Users and roles 用户与角色: inspectors record, supervisors verify, admins manage
    #[command(subcommand)]
    Users(users::UsersCommand),
    /// The bureau's settings 局设置: its name, the seal line, document number formats (admins change them)
    #[command(subcommand)]
    Settings(settings::SettingsCommand),
    /// Fill a new database with a year of demo work 生成演示数据 (users, sites, inspections, duty logs,
    /// rectifications), for exploring, training and benchmarks
    Demo(demo::DemoArgs),
    /// Where the database is and what it holds 数据库状态
    Status,
    /// Write a hand-over file (the database and every evidence file) for the office or a laptop 写出交接文件
    Handover(handover::HandoverArgs),
    /// Merge hand-over files from laptops or the office into this database 合并交接文件
    Merge(merge::MergeArgs),
    /// What merges left to decide 合并后待裁决的冲突: reference conflicts, answer conflicts
    #[command(subcommand)]
    Conflicts(conflicts::ConflictsCommand),
    /// Check that the database, its audit chains and evidence files are whole 核验数据库、审计链与证据文件
    /// (read-only; prints the chain heads to write down; exit 1 on any problem)
    Verify,
}

/// A failure that has already been explained to the user (exit code 1, nothing more to print).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Reported(pub String);

pub fn settings(g: &Global) -> Result<Settings, config::ConfigError> {
    config::resolve(&Overrides {
        config: g.config.clone(),
        db: g.db.clone(),
        checklists: g.checklists.clone(),
        lang: g.lang,
        user: g.user.clone(),
    })
}

/// `ducha status`, also shown by bare `ducha` when there is no terminal.
pub fn status_run(settings: &Settings) -> anyhow::Result<()> {
    status::run(settings)
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = settings(&cli.global)?;
    match cli.command {
        Some(Command::Check(args)) => check::run(&settings, &args),
        Some(Command::Sites(cmd)) => sites::run(&settings, cmd),
        Some(Command::Users(cmd)) => users::run(&settings, cmd),
        Some(Command::Settings(cmd)) => settings::run(&settings, cmd),
        Some(Command::Plan(cmd)) => plan::run(&settings, cmd),
        Some(Command::Report(cmd)) => report::run(&settings, cmd),
        Some(Command::Export(cmd)) => export::run(&settings, cmd),
        Some(Command::Demo(args)) => demo::run(&settings, &args),
        Some(Command::Status) => status::run(&settings),
        Some(Command::Handover(args)) => handover::run(&settings, &args),
        Some(Command::Merge(args)) => merge::run(&settings, &args),
        Some(Command::Conflicts(cmd)) => conflicts::run(&settings, cmd),
        Some(Command::Verify) => verify::run(&settings),
        None => crate::tui::run(&settings),
    }
}

/// Writes text for a terminal to stdout, escaping control characters that would act on it.
pub fn emit_text(text: &str) -> anyhow::Result<()> {
    emit(crate::shown::terminal_safe(text).as_bytes())
}

/// Writes command output to stdout as it is (data such as CSV); a closed pipe is the reader's choice, not an error.
pub fn emit(bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// User data made safe to print on a terminal: control characters (escape sequences, line breaks inside a
/// table cell) are shown escaped instead of acting on the terminal.
pub fn printable(s: &str) -> String {
    crate::shown::printable(s)
}
