//! Finding the inspection a notice is for: by its full ULID or a unique prefix of at least six characters
//! (case-insensitive), refusing — in the user's language, naming what was given — an unknown id, an
//! ambiguous prefix, a draft and an inspection that raised no rectification.

use chrono::NaiveDate;
use rusqlite::{Connection, params};

use crate::export::{ExportError, Result};
use crate::i18n::Lang;
use crate::store::inspections::{self, Head, Status};

/// The shortest prefix accepted.
pub const MIN_PREFIX: usize = 6;

/// How many matches an ambiguous prefix lists.
const SHOWN: usize = 5;

/// A submitted inspection with rectifications: the one a notice can be issued for.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub head: Head,
    /// The inspection date (the day it was started).
    pub date: NaiveDate,
    pub rectifications: usize,
}

fn invalid(lang: Lang, zh: String, en: String) -> ExportError {
    ExportError::Invalid(match lang {
        Lang::Zh => zh,
        Lang::En => en,
    })
}

/// The ids of inspections starting with `prefix` (already upper-case), at most `limit`, read as an index
/// range: ULIDs are upper-case ASCII, so every id with the prefix lies in `[prefix, prefix + DEL)`.
fn matching(conn: &Connection, prefix: &str, limit: usize) -> Result<Vec<String>> {
    let upper = format!("{prefix}\u{7f}");
    let mut stmt =
        conn.prepare("SELECT id FROM inspections WHERE id >= ?1 AND id < ?2 ORDER BY id LIMIT ?3")?;
    let ids = stmt
        .query_map(params![prefix, upper, i64::try_from(limit).unwrap_or(i64::MAX)], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(ids)
}

/// The inspection `id_or_prefix` names (a full id or a unique prefix of [`MIN_PREFIX`] characters), draft
/// or submitted: what every printed document starts from.
pub fn find(conn: &Connection, id_or_prefix: &str, lang: Lang) -> Result<Head> {
    let given = id_or_prefix.trim();
    if given.chars().count() < MIN_PREFIX {
        return Err(invalid(
            lang,
            format!("检查编号 “{given}” 太短：请给出完整编号或至少 {MIN_PREFIX} 位前缀"),
            format!(
                "the inspection id “{given}” is too short: give the full id or at least {MIN_PREFIX} characters"
            ),
        ));
    }
    let unknown =
        || invalid(lang, format!("找不到检查记录 {given}"), format!("there is no inspection {given}"));
    // Ids are ASCII letters and digits; anything else cannot match (and must not reach the range query).
    if !given.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(unknown());
    }
    let prefix = given.to_ascii_uppercase();
    let ids = matching(conn, &prefix, SHOWN + 1)?;
    let id = match ids.as_slice() {
        [] => return Err(unknown()),
        [one] => one.clone(),
        many => {
            let mut shown: Vec<&str> = many.iter().take(SHOWN).map(String::as_str).collect();
            if many.len() > SHOWN {
                shown.push("…");
            }
            return Err(invalid(
                lang,
                format!("检查编号前缀 {given} 对应多条检查记录（{}），请多输入几位", shown.join("、")),
                format!(
                    "the prefix {given} matches several inspections ({}); give more characters",
                    shown.join(", ")
                ),
            ));
        }
    };
    inspections::get(conn, &id)?.ok_or_else(unknown)
}

/// The day an inspection was made (the day it was started), or a message saying it cannot be read.
pub fn inspection_date(head: &Head, lang: Lang) -> Result<NaiveDate> {
    let id = &head.id;
    head.started_at.get(..10).and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).ok_or_else(|| {
        invalid(
            lang,
            format!("检查 {id} 的检查日期无法识别：{}", head.started_at),
            format!("the date of inspection {id} cannot be read: {}", head.started_at),
        )
    })
}

/// Finds the inspection `id_or_prefix` names and checks that a notice can be issued for it.
pub fn resolve(conn: &Connection, id_or_prefix: &str, lang: Lang) -> Result<Target> {
    let head = find(conn, id_or_prefix, lang)?;
    let id = head.id.clone();
    if head.status != Status::Submitted {
        return Err(invalid(
            lang,
            format!("检查 {id} 尚未提交（草稿）：提交后才能出具整改通知书"),
            format!(
                "inspection {id} is a draft, not submitted: a rectification notice is issued only after submitting"
            ),
        ));
    }
    let rectifications: i64 = conn.query_row(
        "SELECT count(*) FROM rectifications WHERE inspection_id = ?1 AND status <> 'withdrawn'",
        [&id],
        |r| r.get(0),
    )?;
    if rectifications == 0 {
        return Err(invalid(
            lang,
            format!("检查 {id} 没有整改事项（无不合格项），无需出具整改通知书"),
            format!("inspection {id} raised no rectification (nothing failed): there is no notice to issue"),
        ));
    }
    let date = inspection_date(&head, lang)?;
    Ok(Target { head, date, rectifications: usize::try_from(rectifications).unwrap_or(0) })
}
