//! The on-site inspection record (现场检查记录) of one submitted inspection, failures or not: an A4 HTML page
//! with the bureau and the record number, the unit, the checklist version, the inspectors (with their
//! certificate numbers on enforcement inspections), every item with its answer as the console shows it,
//! repeat sections as numbered groups, the failures, the compliance score, the amendments and the
//! signature lines — or the recorded refusal to sign with a witness line. A duty-log shift prints as a
//! 值班记录 with its handover (交接班) instead. The record number (督记〔2026〕第K7QH-001号) is allocated on the
//! first export and kept (see [`crate::store::notices::Series::Record`]). Loading ([`load`]) reads one
//! snapshot; rendering ([`render_html`]) is a pure function of the loaded data.
//!
//! **Compliance score**: the one the console shows, [`crate::inspection::Sheet::score`]: passed weight over
//! passed + failed weight of the shown pass/fail items (every weight is 1 unless the checklist says
//! otherwise); 不适用, skipped and merely recorded answers are left out; none for a checklist that does not
//! score. The record prints it with the counts it comes from.

mod batch;
mod html;
mod load;

use std::path::Path;

pub use batch::{Batch, BatchFilter, Filed, export_batch, file_name};
pub use html::render_html;
pub use load::load;

use super::notice::{NoticeItem, Unit, check_output};
use super::page::Letterhead;
use super::{ExportError, Masking, Result};
use crate::i18n::Lang;
use crate::inspection::SignOff;
use crate::store::notices::Series;
use crate::store::{Store, inspections::Status};

/// Which document the inspection prints as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// 现场检查记录: a visit to a unit.
    Inspection,
    /// 值班记录: one shift of a duty log, signed off at the handover.
    DutyShift,
}

/// Everything the record shows, with masking already applied to free text.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordData {
    pub inspection_id: String,
    pub bureau: Letterhead,
    /// `督记〔2026〕第K7QH-001号`; `None` while no number has been issued (the page leaves it blank).
    pub number: Option<String>,
    pub form: Form,
    /// The domain's label (养老机构 …).
    pub domain: String,
    pub unit: Unit,
    pub checklist: ChecklistRef,
    /// `YYYY-MM-DD HH:MM`, as stored (the recording laptop's local time).
    pub started_at: String,
    pub submitted_at: String,
    pub inspectors: Vec<Officer>,
    /// Whether certificate numbers are printed (enforcement inspections of social organisations).
    pub enforcement: bool,
    pub sections: Vec<SectionBlock>,
    /// The rectifications the inspection raised, as the notice lists them.
    pub failures: Vec<NoticeItem>,
    pub score: Option<Score>,
    pub amendments: Vec<Amendment>,
    /// How the unit's representative signed off; `None` when nothing was recorded (a duty shift).
    pub sign_off: Option<SignOff>,
    /// The shift and its handover, for a duty log.
    pub shift: Option<Shift>,
}

/// The checklist version answered.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ChecklistRef {
    pub title: String,
    pub version: u32,
    /// The first 12 hex digits of the checklist text's SHA-256.
    pub hash: String,
}

/// An inspector, with the certificate number (执法证号) registered for the name, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Officer {
    pub name: String,
    pub cert: Option<String>,
}

/// One section of the checklist: its items once, or once per repetition in a repeat section.
#[derive(Clone, Debug, PartialEq)]
pub struct SectionBlock {
    pub title: String,
    pub groups: Vec<Group>,
    /// A repeat section without any repetition: says so instead of an empty table.
    pub repeat_label: Option<String>,
}

/// The items of a section, or of one repetition of it (`第1组`, `第2次巡查`).
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub name: Option<String>,
    pub rows: Vec<ItemRow>,
}

/// One item as recorded.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemRow {
    pub prompt: String,
    /// The answer as the console shows it (option labels, units); empty when unanswered or skipped.
    pub answer: String,
    /// 合格 / 不合格 / 不适用 / 已填, 未答, or why it was skipped.
    pub result: String,
    pub failed: bool,
    pub note: String,
    pub evidence: Vec<Evidence>,
}

/// An evidence file: the name it was picked under and the first 12 hex digits of its SHA-256.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    pub name: String,
    pub sha: String,
}

/// The compliance score (see the module comment) and the counts it is worked out from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Score {
    pub percent: f64,
    pub passed: usize,
    pub failed: usize,
    pub not_applicable: usize,
}

/// A change made after submitting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Amendment {
    /// The item's prompt, after its repetition's name in a repeat section.
    pub item: String,
    pub revision: u32,
    /// The answer it was changed to, as shown on screen.
    pub answer: String,
    pub reason: String,
    pub by: String,
    pub at: String,
}

/// A duty-log shift: when, who, and the handover.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Shift {
    pub start: String,
    pub end: String,
    /// The officers on duty (交班人员).
    pub officers: String,
    /// The incoming officers' signature (接班人员); empty when the handover was not signed.
    pub incoming: String,
    /// The handover section (交接班) of the log, printed as the shift's handover rather than with the
    /// other sections.
    pub handover: Option<SectionBlock>,
}

/// What [`export`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exported {
    pub inspection_id: String,
    pub number: String,
    /// Whether this export issued the number (false: it reused the one issued before).
    pub new_number: bool,
    pub form: Form,
    /// Whether the bureau's name is set (the page has a blank line for it otherwise).
    pub bureau_named: bool,
}

/// Refuses, before anything is written or numbered, an inspection that is still a draft.
pub(crate) fn require_submitted(head: &crate::store::inspections::Head, lang: Lang) -> Result<()> {
    if head.status == Status::Submitted {
        return Ok(());
    }
    let id = &head.id;
    Err(ExportError::Invalid(match lang {
        Lang::Zh => format!("检查 {id} 尚未提交（草稿）：提交后才能打印现场检查记录"),
        Lang::En => {
            format!("inspection {id} is a draft, not submitted: its record is printed only after submitting")
        }
    }))
}

/// Writes the record of `id_or_prefix` (a full id or a unique prefix of six or more characters) to
/// `output` as `user`: checks the file name and that the inspection is submitted, authorises an unmasked
/// export (audited) when `masking` is [`Masking::Unmasked`], issues the record number if the inspection has
/// none (which needs a registered user), then writes the page atomically.
pub fn export(
    store: &mut Store,
    user: &str,
    id_or_prefix: &str,
    lang: Lang,
    masking: Masking,
    output: &Path,
) -> Result<Exported> {
    check_output(output, lang)?;
    let head = store.read(|tx| super::notice::find(tx, id_or_prefix, lang))?;
    require_submitted(&head, lang)?;
    let id = head.id;
    if masking == Masking::Unmasked {
        let out = output.display().to_string();
        super::authorize_unmasked(store, user, lang, "record", &id, &out).map_err(ExportError::Invalid)?;
    }
    let issued = super::issue_number(store, user, Series::Record, &id, lang)?;
    let data = store.read(|tx| load(tx, &id, lang, masking))?;
    write_page(&data, lang, output)?;
    Ok(Exported {
        inspection_id: id,
        number: issued.notice.number,
        new_number: issued.new,
        form: data.form,
        bureau_named: !data.bureau.name.is_empty(),
    })
}

/// Renders `data` and writes it to `output` through a temporary file.
fn write_page(data: &RecordData, lang: Lang, output: &Path) -> Result<()> {
    super::write_text_atomically(output, &render_html(data, lang))
}

/// The line a face shows when the bureau's name is unset: the page has a blank line for it, and how to set
/// it.
pub fn unnamed_hint(lang: Lang) -> &'static str {
    lang.pick(
        "提示：尚未设置局名，文书抬头和落款留空。管理员可用 ducha settings set bureau.name 如皋市民政局 设置。",
        "hint: the bureau's name is not set, so the letterhead is left blank. An admin sets it with \
         ducha settings set bureau.name 如皋市民政局",
    )
}

#[cfg(test)]
mod tests;
