//! `ducha export record INSPECTION -o FILE.html` and `ducha export records --from --to -o DIR`: the printable
//! on-site inspection record (现场检查记录, or 值班记录 for a duty-log shift) of one submitted inspection, and a
//! folder of them with an index for a month's filing.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::export::reported;
use crate::app;
use crate::config::Settings;
use crate::domain::Domain;
use crate::export::record::{self, BatchFilter};
use crate::export::{Masking, notice};
use crate::i18n::Lang;

/// Write the on-site inspection record 现场检查记录 of a submitted inspection as an HTML page to print (A4).
///
/// Every submitted inspection has one, failures or not; a duty-log shift prints as a 值班记录 with its
/// handover. The record number (督记〔2026〕第K7QH-001号) is issued on the first export and reused after.
/// Phone and ID-card numbers are masked unless --unmasked is given (supervisors and admins only; audited).
#[derive(Debug, clap::Args)]
pub struct RecordArgs {
    /// The inspection's id, or a unique prefix of at least 6 characters 检查记录编号（或至少 6 位前缀）
    #[arg(value_name = "INSPECTION_ID")]
    pub inspection: String,
    /// Output file, .html or .htm 输出文件
    #[arg(short = 'o', long, value_name = "FILE.html")]
    pub output: PathBuf,
    /// Show phone and ID-card numbers in full 不打码 (supervisors and admins; recorded in the audit log)
    #[arg(long)]
    pub unmasked: bool,
}

/// Write the record of every submitted inspection of a period to a folder, one HTML file each, with an
/// index.html linking them (for a month's filing).
#[derive(Debug, clap::Args)]
pub struct RecordsArgs {
    /// First inspection day 检查日期起 (YYYY-MM-DD)
    #[arg(long, value_parser = super::export::parse_date, value_name = "DATE")]
    pub from: NaiveDate,
    /// Last inspection day 检查日期止 (YYYY-MM-DD)
    #[arg(long, value_parser = super::export::parse_date, value_name = "DATE")]
    pub to: NaiveDate,
    /// Domain 检查领域: elderly_care|lottery_outlet|rescue_station|social_org or 养老机构 …
    #[arg(long, value_parser = super::export::parse_domain, value_name = "DOMAIN")]
    pub domain: Option<Domain>,
    /// Town 镇街, as in the site registry
    #[arg(long, value_name = "TOWN")]
    pub town: Option<String>,
    /// Output folder (created if missing) 输出文件夹
    #[arg(short = 'o', long, value_name = "DIR")]
    pub output: PathBuf,
    /// Show phone and ID-card numbers in full 不打码 (supervisors and admins; recorded in the audit log)
    #[arg(long)]
    pub unmasked: bool,
}

fn masking(unmasked: bool) -> Masking {
    if unmasked { Masking::Unmasked } else { Masking::Masked }
}

pub fn run(settings: &Settings, args: &RecordArgs) -> anyhow::Result<()> {
    let lang = settings.lang;
    // A wrong file name is refused before the database is opened (or created).
    notice::check_output(&args.output, lang).map_err(reported)?;
    let mut opened = app::open(settings)?;
    let done = record::export(
        &mut opened.store,
        &settings.user,
        &args.inspection,
        lang,
        masking(args.unmasked),
        &args.output,
    )
    .map_err(reported)?;
    let file = args.output.display();
    let number = &done.number;
    let doc = match done.form {
        record::Form::Inspection => lang.pick("现场检查记录", "inspection record"),
        record::Form::DutyShift => lang.pick("值班记录", "duty shift record"),
    };
    match lang {
        Lang::Zh => {
            let how = if done.new_number { "新编号" } else { "沿用已有编号" };
            errln!("{doc} {number}（{how}），已写入 {file}");
        }
        Lang::En => {
            let how = if done.new_number { "new number" } else { "number issued before" };
            errln!("{doc} {number} ({how}), written to {file}");
        }
    }
    if !done.bureau_named {
        errln!("{}", record::unnamed_hint(lang));
    }
    Ok(())
}

pub fn run_batch(settings: &Settings, args: &RecordsArgs) -> anyhow::Result<()> {
    let lang = settings.lang;
    let mut opened = app::open(settings)?;
    let filter = BatchFilter {
        from: args.from,
        to: args.to,
        domain: args.domain,
        town: args.town.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(String::from),
    };
    let done = record::export_batch(
        &mut opened.store,
        &settings.user,
        &filter,
        lang,
        masking(args.unmasked),
        &args.output,
    )
    .map_err(reported)?;
    let new = done.files.iter().filter(|f| f.new_number).count();
    let (n, index) = (done.files.len(), done.index.display());
    match lang {
        Lang::Zh => errln!("已写入 {n} 份现场检查记录（{new} 份新编号）及目录 {index}"),
        Lang::En => errln!("wrote {n} inspection records ({new} newly numbered) and the index {index}"),
    }
    if !done.bureau_named {
        errln!("{}", record::unnamed_hint(lang));
    }
    Ok(())
}
