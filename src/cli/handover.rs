//! `ducha handover -o FILE [--force]`: one file with the whole database and every evidence file, for the
//! USB stick that goes to the office (or back to a laptop).

use std::path::PathBuf;

use clap::Args;

use super::Reported;
use crate::app;
use crate::config::Settings;
use crate::consolidate::handover;
use crate::i18n::Lang;
use crate::textable;

#[derive(Debug, Args)]
pub struct HandoverArgs {
    /// The hand-over file to write 交接文件 (e.g. /media/usb/王芳-2026-12-01.hand)
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Replace the file if it exists 覆盖已有文件
    #[arg(long)]
    pub force: bool,
}

pub fn run(settings: &Settings, args: &HandoverArgs) -> anyhow::Result<()> {
    let lang = settings.lang;
    let mut opened = app::open(settings)?;
    let written = handover::write(&mut opened.store, &args.output, &settings.user, args.force)
        .map_err(|e| Reported(e.message(lang)))?;
    let d = &written.device;
    match lang {
        Lang::Zh => outln!(
            "已写出交接文件 {}（{} 字节；设备 {} {}）",
            written.path.display(),
            written.file_bytes,
            d.code,
            d.id
        ),
        Lang::En => outln!(
            "wrote the hand-over {} ({} bytes; device {} {})",
            written.path.display(),
            written.file_bytes,
            d.code,
            d.id
        ),
    }
    let rows: Vec<Vec<String>> = written
        .tally
        .lines(lang)
        .into_iter()
        .map(|(label, n)| vec![label.to_string(), n.to_string()])
        .collect();
    out!("{}", textable::render(&[lang.pick("内容", "holds"), lang.pick("条数", "count")], &rows));
    match lang {
        Lang::Zh => outln!(
            "证据文件：{} 个，{} 字节（均已核对 SHA-256）",
            written.evidence_files,
            written.evidence_bytes
        ),
        Lang::En => outln!(
            "evidence files: {}, {} bytes (each checked against its SHA-256)",
            written.evidence_files,
            written.evidence_bytes
        ),
    }
    print_heads(lang, &written.heads)?;
    Ok(())
}

/// The audit chain heads, one line per device, to write down or send by message.
pub fn print_heads(lang: Lang, heads: &[(String, i64, String)]) -> anyhow::Result<()> {
    outln!("{}", lang.pick("审计链末端（可抄录备查）：", "audit chain heads (write them down):"));
    for (device, dseq, hash) in heads {
        outln!("  {} {device} #{dseq} {hash}", crate::store::device::code_of(device));
    }
    Ok(())
}
