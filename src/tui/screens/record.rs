//! The printable record (现场检查记录, 值班记录 for a duty shift) that `p` writes from the overview of a
//! submitted inspection and from the inspection list: the file it goes to (in the export folder, named like
//! the rectification notice's file) and the message once it is written.

use chrono::NaiveDate;

use crate::export::Masking;
use crate::i18n::Lang;
use crate::tui::app::App;
use crate::tui::effect::Effect;
use crate::tui::screens::board::notice::file_safe;

/// `现场检查记录-如城敬老院-2026-11-29.html` (`值班记录-…` for a shift; English `inspection-record-…`,
/// `duty-record-…`): the site name made safe for a file name, and left out (like the date) when unknown.
pub fn file_name(site_name: &str, started_at: &str, duty: bool, lang: Lang) -> String {
    let stem = match duty {
        false => lang.pick("现场检查记录", "inspection-record"),
        true => lang.pick("值班记录", "duty-record"),
    };
    let mut parts = vec![stem.to_string()];
    let site = file_safe(site_name);
    if !site.is_empty() {
        parts.push(site);
    }
    if let Some(date) = started_at.get(..10).and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()) {
        parts.push(date.format("%Y-%m-%d").to_string());
    }
    format!("{}.html", parts.join("-"))
}

/// What `p` asks the executor for: the record of `inspection_id` in the export folder, masked (`P`:
/// unmasked, which the export allows supervisors and admins only, and audits).
pub fn effect(
    app: &App,
    inspection_id: &str,
    site_name: &str,
    started_at: &str,
    duty: bool,
    masking: Masking,
) -> Effect {
    let path = app.export_dir.join(file_name(site_name, started_at, duty, app.lang));
    Effect::ExportRecord {
        inspection_id: inspection_id.to_string(),
        path: path.display().to_string(),
        masking,
    }
}

/// The masking a print command asks for.
pub fn masking_of(cmd: crate::tui::keymap::Cmd) -> Masking {
    if cmd == crate::tui::keymap::Cmd::PrintRecordUnmasked { Masking::Unmasked } else { Masking::Masked }
}

/// The message after a record is written, with the hint to set the bureau's name while it is unset.
pub fn message(lang: Lang, number: &str, path: &str, named: bool) -> String {
    let written = match lang {
        Lang::Zh => format!("已出具记录 {number} → {path}"),
        Lang::En => format!("record {number} written to {path}"),
    };
    if named {
        written
    } else {
        let hint = lang.pick(
            "（未设置局名，抬头留空：ducha settings set bureau.name …）",
            " (bureau name not set, letterhead left blank: ducha settings set bureau.name …)",
        );
        format!("{written}{hint}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_named_by_document_site_and_day() {
        assert_eq!(
            file_name("下原镇/敬老院", "2026-11-29T09:30:00+08:00", false, Lang::Zh),
            "现场检查记录-下原镇_敬老院-2026-11-29.html"
        );
        assert_eq!(file_name("", "bad", true, Lang::En), "duty-record.html");
    }

    #[test]
    fn the_message_says_where_and_hints_at_an_unset_name() {
        assert_eq!(
            message(Lang::Zh, "督记〔2026〕第A-001号", "/d/a.html", true),
            "已出具记录 督记〔2026〕第A-001号 → /d/a.html"
        );
        assert!(message(Lang::En, "N", "/a.html", false).contains("bureau.name"));
    }
}
