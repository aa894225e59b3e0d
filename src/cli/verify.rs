//! `ducha verify`: checks that the database, its audit chains and its evidence files are whole, and prints
//! the chain heads for the bureau to write down. Only reads: a missing file is not created, an old one is
//! not migrated.

use super::Reported;
use crate::config::Settings;
use crate::i18n::Lang;
use crate::store::evidence;
use crate::verify::{self, Report};

pub fn run(settings: &Settings) -> anyhow::Result<()> {
    let lang = settings.lang;
    let db = &settings.db;
    let conn = verify::open_read_only(db).map_err(|e| Reported(e.message(lang)))?;
    let root = evidence::root_beside(Some(db));
    // One read transaction: a ducha writing meanwhile cannot make the heads disagree with the chains read.
    let tx = conn.unchecked_transaction()?;
    let report = verify::run(&tx, &root)?;
    tx.finish()?;
    print(&report, lang, &db.display().to_string())?;
    let problems = report.problems(lang);
    match problems.first() {
        None => Ok(()),
        Some(first) => Err(Reported(match lang {
            Lang::Zh => format!("核验未通过：{first}（共 {} 处问题）", problems.len()),
            Lang::En => format!("verification failed: {first} ({} problem(s) in all)", problems.len()),
        })
        .into()),
    }
}

fn print(report: &Report, lang: Lang, db: &str) -> anyhow::Result<()> {
    let zh = lang == Lang::Zh;
    outln!("{}{db}", lang.pick("数据库：", "database: "));
    if !report.integrity.is_empty() {
        outln!(
            "{}",
            lang.pick(
                "完整性检查：未通过；文件已损坏，审计链与证据文件未再核验",
                "integrity check: failed; the file is damaged, so the audit chains and evidence were not checked"
            )
        );
    } else {
        outln!("{}", lang.pick("完整性检查：通过", "integrity check: ok"));
        let state = |whole: bool| match (whole, zh) {
            (true, true) => "完整",
            (true, false) => "whole",
            (false, true) => "有问题",
            (false, false) => "broken",
        };
        let (chains, entries) = (report.heads.len(), report.entries);
        let chain_state = state(report.breaks.is_empty());
        if zh {
            outln!("审计链：{chains} 条链，共 {entries} 条记录，{chain_state}");
        } else {
            outln!("audit chains: {chains} chain(s), {entries} entries, {chain_state}");
        }
        let (files, size) = (report.evidence_files, size(report.evidence_bytes));
        let evidence_state = state(report.evidence.is_empty());
        if zh {
            outln!("证据文件：{files} 个（已核对 {size}），{evidence_state}");
        } else {
            outln!("evidence files: {files} ({size} hashed), {evidence_state}");
        }
    }
    for p in report.problems(lang) {
        outln!("{}{p}", lang.pick("问题：", "problem: "));
    }
    if !report.heads.is_empty() {
        outln!(
            "{}",
            lang.pick(
                "审计链链头（请抄录备查：日后可证明其前的记录未被改动）：",
                "chain heads (write them down: they prove later that nothing before them was changed):"
            )
        );
    }
    for h in &report.heads {
        let own = if h.own { lang.pick("，本机", ", this device") } else { "" };
        // A head behind a break vouches for nothing: it must not be written down as a good one.
        let broken = if report.breaks.iter().any(|b| b.device == h.device) {
            lang.pick("  （链已断裂，不可作为可信链头）", "  (chain broken: not a head to trust)")
        } else {
            ""
        };
        if zh {
            outln!("  设备 {}（{}{own}）  第 {} 条  {}{broken}", h.device, h.code, h.dseq, h.hash);
        } else {
            outln!("  device {} ({}{own})  entry {}  {}{broken}", h.device, h.code, h.dseq, h.hash);
        }
    }
    if report.is_whole() {
        outln!(
            "{}",
            lang.pick(
                "核验通过：数据库完整，审计链无断裂，证据文件与记录的哈希一致",
                "verified: the database is whole, every audit chain holds, every evidence file matches its hash"
            )
        );
    } else {
        let n = report.problems(lang).len();
        if zh {
            outln!("核验未通过：{n} 处问题");
        } else {
            outln!("verification failed: {n} problem(s)");
        }
    }
    Ok(())
}

/// A byte count for people: B, KiB, MiB or GiB with one decimal.
fn size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 { format!("{bytes} B") } else { format!("{value:.1} {}", UNITS[unit]) }
}
