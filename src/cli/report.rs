//! `ducha report weekly|duty`: the weekly rectification report and the duty-log coverage.

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use clap::Subcommand;

use super::Reported;
use crate::app;
use crate::config::Settings;
use crate::i18n::Lang;
use crate::report::{self, Format, IsoWeek};

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Weekly rectification report 整改周报: new, closed, rejected, overdue, due next week, by domain and
    /// town, and the open count of the last 12 weeks.
    ///
    /// Weeks run Monday to Sunday (ISO weeks). Overdue and due figures are taken on the week's Sunday, or
    /// today in the current week.
    Weekly {
        /// ISO week 周次, e.g. 2026-W48 [default: the current week]
        #[arg(long, value_parser = parse_week, value_name = "YYYY-Www")]
        week: Option<IsoWeek>,
        /// Output format 输出格式 (csv: UTF-8 with BOM and CRLF, for Excel/WPS)
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Duty-log coverage 值班记录覆盖情况: periods no shift covers and shifts without a handover sign-off.
    Duty {
        /// Start 起始 (YYYY-MM-DD or "YYYY-MM-DD HH:MM") [default: 7 days before --to]
        #[arg(long, value_parser = parse_from, value_name = "DATE")]
        from: Option<NaiveDateTime>,
        /// End 截止 (YYYY-MM-DD means the end of that day; "YYYY-MM-DD HH:MM") [default: now]
        #[arg(long, value_parser = parse_to, value_name = "DATE")]
        to: Option<NaiveDateTime>,
    },
}

fn parse_week(s: &str) -> Result<IsoWeek, String> {
    s.parse::<IsoWeek>().map_err(|e| e.to_string())
}

fn parse_moment(s: &str, end_of_day: bool) -> Result<NaiveDateTime, String> {
    let t = s.trim();
    for f in ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(t, f) {
            return Ok(dt);
        }
    }
    let date = NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| {
        format!(
            "日期格式应为 2026-11-30 或 \"2026-11-30 08:00\"，收到 `{s}` / expected a date such as 2026-11-30 or \
             \"2026-11-30 08:00\", got `{s}`"
        )
    })?;
    let day = if end_of_day { date.checked_add_days(Days::new(1)).unwrap_or(date) } else { date };
    Ok(day.and_time(NaiveTime::MIN))
}

fn parse_from(s: &str) -> Result<NaiveDateTime, String> {
    parse_moment(s, false)
}

fn parse_to(s: &str) -> Result<NaiveDateTime, String> {
    parse_moment(s, true)
}

pub fn run(settings: &Settings, cmd: ReportCommand) -> anyhow::Result<()> {
    let lang = settings.lang;
    match cmd {
        ReportCommand::Weekly { week, format } => {
            let today = chrono::Local::now().date_naive();
            let week = week.unwrap_or_else(|| IsoWeek::of(today));
            let mut opened = app::open_reading(settings)?;
            let r = opened.store.read(|tx| report::weekly_report(tx, week, today))?;
            match format {
                Format::Text => super::emit_text(&report::render_text(&r, lang)),
                Format::Md => super::emit_text(&report::render_markdown(&r, lang)),
                Format::Csv => super::emit(&report::render_csv(&r, lang)?),
            }
        }
        ReportCommand::Duty { from, to } => {
            let now = chrono::Local::now().naive_local();
            // Minutes are the precision of shift times.
            let now = now.with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(now);
            let to = to.unwrap_or(now).min(now);
            let from = from.unwrap_or_else(|| to - chrono::Duration::days(7));
            if from >= to {
                return Err(Reported(match lang {
                    Lang::Zh => format!("起始时间 {from} 不早于截止时间 {to}（截止时间不晚于当前时间）"),
                    Lang::En => {
                        format!("the start {from} is not before the end {to} (the end is at most now)")
                    }
                })
                .into());
            }
            let mut opened = app::open_reading(settings)?;
            let r = opened.store.read(|tx| report::duty_report(tx, from, to, now))?;
            super::emit_text(&report::render_duty_text(&r, lang))
        }
    }
}
