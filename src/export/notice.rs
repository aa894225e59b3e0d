//! The printable rectification notice (整改通知书) of one submitted inspection: an HTML page with print CSS
//! for A4 paper, listing every rectification the inspection raised with its basis, severity, requirement
//! and deadline, and signature lines for the inspectors and the unit. The notice number is allocated on the
//! first export and kept (see [`crate::store::notices`]). Loading is a read of one snapshot; rendering is a
//! pure function of the loaded data.

mod bases;
mod html;
mod lookup;

use std::path::Path;

use chrono::NaiveDate;

pub use bases::legal_bases;
pub use html::{escape, render_html};
pub use lookup::{Target, find, inspection_date, resolve};

use super::page::Letterhead;
use super::{ExportError, Masking, Result};
use crate::i18n::Lang;
use crate::store::rectifications::{self, Rectification};
use crate::store::{Store, notices, sites, snapshots};

/// Everything the notice shows, with masking already applied to free text.
#[derive(Clone, Debug, PartialEq)]
pub struct NoticeData {
    pub inspection_id: String,
    /// The bureau's name at the head and its seal line at the foot.
    pub bureau: Letterhead,
    /// `督整〔2026〕第012号`; `None` while no number has been issued (the page leaves it blank).
    pub number: Option<String>,
    pub unit: Unit,
    /// The inspection date (the day it was started).
    pub date: NaiveDate,
    pub inspectors: Vec<String>,
    /// The title of the checklist the inspection followed.
    pub checklist: String,
    /// The documents the checklist's items cite as their basis, each once, in checklist order (see
    /// [`legal_bases`]): what the notice says the inspection was made under.
    pub bases: Vec<String>,
    /// The unit's representative who signed the inspection off, if one was recorded.
    pub representative: String,
    /// Every rectification of the inspection, in checklist order.
    pub items: Vec<NoticeItem>,
}

/// The unit inspected, from the site registry.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Unit {
    pub name: String,
    pub code: String,
    pub address: String,
    pub town: String,
    pub contact: String,
    pub phone: String,
}

/// One failed item: a row of the notice's table.
#[derive(Clone, Debug, PartialEq)]
pub struct NoticeItem {
    /// The checklist item's prompt (with the repetition, e.g. `第2组`, inside a repeat section); the item id
    /// when the stored checklist no longer has it.
    pub item: String,
    pub problem: String,
    /// The legal basis (依据条款).
    pub basis: String,
    /// The stored severity key (minor, major, critical); see [`NoticeItem::severity_label`].
    pub severity_key: String,
    pub major_hazard: bool,
    pub requirement: String,
    /// YYYY-MM-DD, the current deadline (after any extension).
    pub deadline: String,
    pub responsible: String,
    /// The proof-of-fix files attached so far, as `name (sha256 prefix)`: the record prints them, the
    /// notice (issued before any fix) does not.
    pub fix_evidence: Vec<String>,
}

impl NoticeItem {
    /// 一般 / 较重 / 重大, with 重大事故隐患 added for a major accident hazard.
    pub fn severity_label(&self, lang: Lang) -> String {
        super::severity_label(&self.severity_key, self.major_hazard, lang)
    }
}

/// Loads the notice of the inspection `id_or_prefix` names (a full id or a unique prefix of at least six
/// characters), reading with `conn`. Refuses, with a message in `lang`, an unknown id, an ambiguous prefix,
/// a draft and an inspection without rectifications.
pub fn load(
    conn: &rusqlite::Connection,
    id_or_prefix: &str,
    lang: Lang,
    masking: Masking,
) -> Result<NoticeData> {
    let target = resolve(conn, id_or_prefix, lang)?;
    let head = target.head;
    let site = sites::by_id(conn, &head.site_id)?.ok_or_else(|| {
        ExportError::Invalid(match lang {
            Lang::Zh => format!("检查 {} 的被检查单位不在单位名录中", head.id),
            Lang::En => format!("the site of inspection {} is not in the registry", head.id),
        })
    })?;
    let snapshot = snapshots::get(conn, &head.snapshot_id)?;
    let checklist = snapshot.as_ref().and_then(|s| crate::checklist::parse_checklist(&s.source).ok());
    let items = items(conn, &head.id, checklist.as_ref(), lang, masking)?;
    let f = &site.fields;
    Ok(NoticeData {
        bureau: Letterhead::load(conn)?,
        number: notices::get(conn, &head.id)?.map(|n| n.number),
        unit: Unit {
            name: f.name.clone(),
            code: f.code.clone(),
            address: f.address.clone(),
            town: f.town.clone(),
            contact: masking.apply(&f.contact),
            phone: masking.apply(&f.phone),
        },
        date: target.date,
        inspectors: head.inspectors.clone(),
        checklist: snapshot.map(|s| s.title).unwrap_or_default(),
        bases: checklist.as_ref().map_or_else(Vec::new, |c| {
            legal_bases(c.sections.iter().flat_map(|s| s.items.iter().map(|i| i.basis.as_str())))
        }),
        representative: masking.apply(&head.site_representative),
        items,
        inspection_id: head.id,
    })
}

/// Every rectification the inspection raised (not withdrawn), in checklist order, as the notice and the
/// inspection record list them: problem, basis, requirement and current deadline, free text masked.
pub fn items(
    conn: &rusqlite::Connection,
    inspection_id: &str,
    checklist: Option<&crate::checklist::Checklist>,
    lang: Lang,
    masking: Masking,
) -> Result<Vec<NoticeItem>> {
    let mut rects = for_inspection(conn, inspection_id)?;
    let order = |r: &Rectification| item_position(checklist, &r.item_id, r.instance);
    rects.sort_by(|a, b| order(a).cmp(&order(b)).then_with(|| a.item_id.cmp(&b.item_id)));
    rects
        .iter()
        .map(|r| {
            let fix_evidence = crate::store::fix_evidence::for_rectification(conn, &r.id)?
                .iter()
                .map(|f| masking.apply(&f.label()))
                .collect();
            Ok(NoticeItem {
                item: item_label(checklist, &r.item_id, r.instance, lang),
                problem: masking.apply(&r.problem),
                basis: r.basis.clone(),
                severity_key: r.severity.clone(),
                major_hazard: r.major_hazard,
                requirement: masking.apply(&r.requirement),
                deadline: r.deadline.clone(),
                responsible: masking.apply(&r.responsible),
                fix_evidence,
            })
        })
        .collect()
}

fn for_inspection(conn: &rusqlite::Connection, inspection_id: &str) -> Result<Vec<Rectification>> {
    // A withdrawn rectification (its failure amended away) is not the unit's to fix: a reprint leaves it out.
    let sql = format!(
        "SELECT {} FROM rectifications r WHERE r.inspection_id = ?1 AND r.status <> 'withdrawn'",
        rectifications::COLUMNS
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map([inspection_id], rectifications::row_to_rectification)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Where an item comes on the inspection sheet: section, repetition, item within the section (the order in
/// which the inspector met it). Items the checklist does not have come last.
fn item_position(
    checklist: Option<&crate::checklist::Checklist>,
    item_id: &str,
    instance: u32,
) -> (usize, u32, usize) {
    checklist
        .and_then(|c| {
            c.sections
                .iter()
                .enumerate()
                .find_map(|(si, s)| s.items.iter().position(|i| i.id == item_id).map(|ii| (si, instance, ii)))
        })
        .unwrap_or((usize::MAX, instance, usize::MAX))
}

/// The item's prompt, with its repetition inside a repeat section (`第2组`).
fn item_label(
    checklist: Option<&crate::checklist::Checklist>,
    item_id: &str,
    instance: u32,
    lang: Lang,
) -> String {
    let found = checklist.and_then(|c| {
        c.sections.iter().find_map(|s| s.items.iter().find(|i| i.id == item_id).map(|i| (s, i)))
    });
    match found {
        Some((section, item)) => match (&section.repeat, instance) {
            (Some(repeat), n) if n > 0 => match lang {
                Lang::Zh => format!("{}（第{n}{}）", item.prompt, repeat.label),
                Lang::En => format!("{} ({} {n})", item.prompt, repeat.label),
            },
            _ => item.prompt.clone(),
        },
        None => item_id.to_string(),
    }
}

/// Whether `path` ends in `.html` or `.htm` (any case); anything else is refused with a message saying what
/// is accepted.
pub fn check_output(path: &Path, lang: Lang) -> Result<()> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("html" | "htm") => Ok(()),
        _ => Err(ExportError::Invalid(match lang {
            Lang::Zh => format!("输出文件 {} 的扩展名应为 .html 或 .htm", path.display()),
            Lang::En => format!("the output file {} should end in .html or .htm", path.display()),
        })),
    }
}

/// What [`export`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exported {
    pub inspection_id: String,
    pub number: String,
    /// Whether this export issued the number (false: it reused the one issued before).
    pub new_number: bool,
    pub items: usize,
}

/// Writes the notice of `id_or_prefix` to `output` as `user`: checks the file name and the inspection,
/// authorises an unmasked export (audited) when `masking` is [`Masking::Unmasked`], issues the notice
/// number if the inspection has none (which needs a registered user), then writes the page atomically.
pub fn export(
    store: &mut Store,
    user: &str,
    id_or_prefix: &str,
    lang: Lang,
    masking: Masking,
    output: &Path,
) -> Result<Exported> {
    check_output(output, lang)?;
    let target = store.read(|tx| resolve(tx, id_or_prefix, lang))?;
    let id = target.head.id.clone();
    if masking == Masking::Unmasked {
        let out = output.display().to_string();
        super::authorize_unmasked(store, user, lang, "notice", &id, &out).map_err(ExportError::Invalid)?;
    }
    let issued = super::issue_number(store, user, notices::Series::Notice, &id, lang)?;
    let data = store.read(|tx| load(tx, &id, lang, masking))?;
    super::write_text_atomically(output, &render_html(&data, lang))?;
    Ok(Exported {
        inspection_id: id,
        number: issued.notice.number,
        new_number: issued.new,
        items: data.items.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Severity;

    fn sample() -> NoticeData {
        let item = |n: u32, problem: &str, severity: Severity, hazard: bool| NoticeItem {
            item: format!("检查项{n}"),
            problem: problem.into(),
            basis: "《养老机构服务安全基本规范》（GB 38600-2019）第6.2条".into(),
            severity_key: severity.key().into(),
            major_hazard: hazard,
            requirement: "立即清理，保持畅通".into(),
            deadline: format!("2026-12-{:02}", 5 + n),
            responsible: "李院长".into(),
            fix_evidence: Vec::new(),
        };
        NoticeData {
            inspection_id: "01KB0000000000000000000000".into(),
            bureau: Letterhead {
                name: "如皋市民政局".into(), seal_line: "如皋市民政局（盖章）".into()
            },
            number: Some("督整〔2026〕第001号".into()),
            unit: Unit {
                name: "如城敬老院".into(),
                code: "YL001".into(),
                address: "如城街道海阳路1号".into(),
                town: "如城街道".into(),
                contact: "李院长".into(),
                phone: "138****5678".into(),
            },
            date: NaiveDate::from_ymd_opt(2026, 11, 29).unwrap_or_default(),
            inspectors: vec!["王芳".into(), "李强".into()],
            checklist: "养老机构安全检查与消防应急演练".into(),
            bases: vec![
                "《养老机构重大事故隐患判定标准》".into(),
                "《机关、团体、企业、事业单位消防安全管理规定》（公安部令第61号）".into(),
            ],
            representative: "张主任".into(),
            items: vec![
                item(1, "二楼疏散通道堆放杂物", Severity::Critical, true),
                item(2, "灭火器过期 <script>alert(1)</script> & 未检", Severity::Minor, false),
            ],
        }
    }

    #[test]
    fn the_page_in_chinese() {
        insta::assert_snapshot!(render_html(&sample(), Lang::Zh));
    }

    #[test]
    fn the_page_in_english_without_a_number() {
        let data = NoticeData { number: None, representative: String::new(), ..sample() };
        let page = render_html(&data, Lang::En);
        assert!(page.contains("Rectification Notice"), "{page}");
        assert!(page.contains("督整〔      〕第      号"), "{page}");
        assert!(!page.contains("Unit representative"), "{page}");
        assert!(page.contains("critical (major accident hazard)"), "{page}");
    }

    #[test]
    fn text_is_escaped_and_nothing_is_fetched() {
        let page = render_html(&sample(), Lang::Zh);
        assert!(!page.contains("<script>"), "{page}");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; 未检"), "{page}");
        assert!(!page.contains("http"), "{page}");
        assert!(!page.contains("url("), "{page}");
        assert!(page.contains("size: A4"), "{page}");
        assert_eq!(escape("a\"b'c\u{0}\nd"), "a&quot;b&#39;c\nd");
    }

    #[test]
    fn severity_labels_name_a_major_hazard() {
        let mut item = sample().items.remove(0);
        assert_eq!(item.severity_label(Lang::Zh), "重大（重大事故隐患）");
        item.major_hazard = false;
        item.severity_key = "major".into();
        assert_eq!(item.severity_label(Lang::Zh), "较重");
        item.severity_key = "odd".into();
        assert_eq!(item.severity_label(Lang::En), "odd");
    }

    #[test]
    fn only_html_files_are_written() {
        assert!(check_output(Path::new("a/通知.HTML"), Lang::Zh).is_ok());
        assert!(check_output(Path::new("n.htm"), Lang::En).is_ok());
        let err = check_output(Path::new("n.pdf"), Lang::En).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains(".html or .htm"), "{err}");
        assert!(check_output(Path::new("html"), Lang::Zh).is_err());
    }
}
