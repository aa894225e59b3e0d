//! `ducha demo [--scale county|province] [--seed S]`: fills a new database with a year of demo work.

use std::io::IsTerminal;

use chrono::NaiveDate;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use super::Reported;
use crate::app;
use crate::config::Settings;
use crate::demo::{self, Options, Scale};
use crate::i18n::Lang;

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How much to generate 规模: county (one county's year: ≈ 250 sites, 5,000 inspections) or province
    /// (100 counties: ≈ 25,000 sites, 500,000 inspections)
    #[arg(long, value_enum, default_value = "county")]
    pub scale: Scale,
    /// Random seed 随机种子: the same seed on the same day gives the same data [default: a random seed,
    /// printed]
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// The last day of the simulated year, YYYY-MM-DD [default: today]
    #[arg(long, hide = true, value_parser = parse_date, value_name = "DATE")]
    pub today: Option<NaiveDate>,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date like 2026-11-29"))
}

pub fn run(settings: &Settings, args: &DemoArgs) -> anyhow::Result<()> {
    let lang = settings.lang;
    let today = args.today.unwrap_or_else(|| chrono::Local::now().date_naive());
    // A new database is seeded as the year begins, so its checklists and sample sites predate the work.
    demo::set_setup_clock(today);
    let opened = app::open(settings);
    demo::clear_clock();
    let mut opened = opened?;
    demo::check_empty(opened.store.conn()).map_err(|e| Reported(e.message(lang, &settings.db)))?;
    let seed = args.seed.unwrap_or_else(rand::random);
    if args.seed.is_none() {
        errln!(
            "{}",
            match lang {
                Lang::Zh => format!("随机种子：{seed}（用 --seed {seed} 可再次生成相同的数据）"),
                Lang::En => format!("seed: {seed} (give --seed {seed} to generate the same data again)"),
            }
        );
    }

    let bar = if std::io::stderr().is_terminal() { ProgressBar::new(366) } else { ProgressBar::hidden() };
    let template = match lang {
        Lang::Zh => "{bar:40.cyan/blue} 第 {pos}/{len} 天 {msg} [{elapsed_precise}，剩余 {eta}]",
        Lang::En => "{bar:40.cyan/blue} day {pos}/{len} {msg} [{elapsed_precise}, {eta} left]",
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("█▉▊▋▌▍▎▏ "));
    }
    let opts = Options { scale: args.scale, seed, today };
    let result = demo::generate(&mut opened.store, &settings.user, &opts, &mut |p| {
        bar.set_length(p.days as u64);
        bar.set_position(p.day as u64);
        bar.set_message(match lang {
            Lang::Zh => format!("检查 {} 条，整改 {} 条", p.inspections, p.rectifications),
            Lang::En => format!("{} inspections, {} rectifications", p.inspections, p.rectifications),
        });
    });
    bar.finish_and_clear();
    match result {
        Ok(summary) => {
            println!("{}", summary.line(lang, seed));
            Ok(())
        }
        Err(e) => Err(Reported(e.message(lang, &settings.db)).into()),
    }
}
