//! `ducha export notice INSPECTION -o FILE.html`: the printable rectification notice (整改通知书) of one
//! submitted inspection.

use std::path::PathBuf;

use super::export::reported;
use crate::app;
use crate::config::Settings;
use crate::export::{Masking, notice};
use crate::i18n::Lang;

/// Write the rectification notice 整改通知书 of a submitted inspection as an HTML page to print (A4).
///
/// The notice number (督整〔2026〕第012号) is issued on the first export and reused by every later one.
/// Phone and ID-card numbers are masked unless --unmasked is given (supervisors and admins only; audited).
#[derive(Debug, clap::Args)]
pub struct NoticeArgs {
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

pub fn run(settings: &Settings, args: &NoticeArgs) -> anyhow::Result<()> {
    let lang = settings.lang;
    // A wrong file name is refused before the database is opened (or created).
    notice::check_output(&args.output, lang).map_err(reported)?;
    let mut opened = app::open(settings)?;
    let masking = if args.unmasked { Masking::Unmasked } else { Masking::Masked };
    let done =
        notice::export(&mut opened.store, &settings.user, &args.inspection, lang, masking, &args.output)
            .map_err(reported)?;
    let file = args.output.display();
    let (n, number) = (done.items, &done.number);
    match lang {
        Lang::Zh => {
            let how = if done.new_number { "新编号" } else { "沿用已有编号" };
            errln!("整改通知书 {number}（{how}）：{n} 项整改事项，已写入 {file}");
        }
        Lang::En => {
            let how = if done.new_number { "new number" } else { "number issued before" };
            let items = if n == 1 { "item" } else { "items" };
            errln!("rectification notice {number} ({how}): {n} {items}, written to {file}");
        }
    }
    if crate::bureau::load(opened.store.conn())?.name.is_empty() {
        errln!("{}", crate::export::record::unnamed_hint(lang));
    }
    Ok(())
}
