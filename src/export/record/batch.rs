//! A month's filing: the record of every submitted inspection in a range of inspection days (optionally of
//! one domain or town) written to a folder, one file each, with an `index.html` linking them.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{load, write_page};
use crate::domain::Domain;
use crate::export::page::{Letterhead, css, escape};
use crate::export::{ExportError, ExportFilter, Masking, Result};
use crate::i18n::Lang;
use crate::places::{self, Match, Place};
use crate::store::Store;
use crate::store::board::Filter;
use crate::store::notices::Series;

/// Which inspections a batch files: inspection days `from..=to`, and optionally a domain (the site's kind)
/// and a town (the registry's exact name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchFilter {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub domain: Option<Domain>,
    pub town: Option<String>,
}

impl BatchFilter {
    fn export_filter(&self) -> ExportFilter {
        ExportFilter {
            board: Filter {
                domain: self.domain.map(|d| d.key().to_string()),
                town: self.town.clone(),
                ..Filter::default()
            },
            from: Some(self.from),
            to: Some(self.to),
        }
    }
}

/// One record written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filed {
    pub inspection_id: String,
    pub number: String,
    pub new_number: bool,
    /// The file's name inside the folder.
    pub file: String,
    pub date: String,
    pub unit: String,
    pub code: String,
}

/// What [`export_batch`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Batch {
    pub files: Vec<Filed>,
    pub index: PathBuf,
    pub bureau_named: bool,
}

/// Keeps letters and digits (any script) and `-`; anything else (path separators, brackets, dots, spaces,
/// control characters) is dropped, so a hostile code or number cannot leave the folder.
fn safe(text: &str, max: usize) -> String {
    text.chars().filter(|c| c.is_alphanumeric() || *c == '-').take(max).collect()
}

/// `2026-11-29_32068001_督记2026第K7QH-001号.html`: the inspection day, the unit's code and the record
/// number, in safe characters only.
pub fn file_name(date: &str, code: &str, number: &str) -> String {
    let parts: Vec<String> =
        [safe(date, 10), safe(code, 40), safe(number, 40)].into_iter().filter(|p| !p.is_empty()).collect();
    format!("{}.html", parts.join("_"))
}

/// Checks the filter (the range's order, the town by the registry's rule shared with the other exports).
fn check(store: &Store, filter: &BatchFilter, lang: Lang) -> Result<()> {
    if filter.from > filter.to {
        return Err(ExportError::Invalid(match lang {
            Lang::Zh => format!("--from {} 晚于 --to {}", filter.from, filter.to),
            Lang::En => format!("--from {} is after --to {}", filter.from, filter.to),
        }));
    }
    if let Some(town) = &filter.town
        && let Some(msg) = places::town(store.conn(), town, Match::Exact)?.refusal(Place::Town, lang)
    {
        return Err(ExportError::Invalid(msg));
    }
    Ok(())
}

/// Writes the record of every submitted inspection `filter` selects into `dir` (created if missing), then
/// `index.html`. Numbers are issued as for one record; an unmasked batch is authorised (and audited) once.
pub fn export_batch(
    store: &mut Store,
    user: &str,
    filter: &BatchFilter,
    lang: Lang,
    masking: Masking,
    dir: &Path,
) -> Result<Batch> {
    check(store, filter, lang)?;
    let io = |source: std::io::Error| ExportError::Io { path: dir.display().to_string(), source };
    std::fs::create_dir_all(dir).map_err(io)?;
    let export_filter = filter.export_filter();
    if masking == Masking::Unmasked {
        let out = dir.display().to_string();
        crate::export::authorize_unmasked(store, user, lang, "records", &export_filter.describe(), &out)
            .map_err(ExportError::Invalid)?;
    }
    let (where_sql, args) = export_filter.where_sql(filter.to);
    let sql = format!(
        "SELECT i.id, substr(i.started_at, 1, 10), s.code, s.name FROM inspections i JOIN sites s ON s.id = i.site_id
         WHERE i.status = 'submitted'{where_sql} ORDER BY i.started_at, i.id"
    );
    let chosen: Vec<(String, String, String, String)> = store.read(|tx| {
        let mut stmt = tx.prepare(&sql)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok::<_, ExportError>(rows)
    })?;
    let mut files = Vec::new();
    for (id, date, code, _) in chosen {
        let issued = crate::export::issue_number(store, user, Series::Record, &id, lang)?;
        let data = store.read(|tx| load(tx, &id, lang, masking))?;
        let file = file_name(&date, &code, &issued.notice.number);
        write_page(&data, lang, &dir.join(&file))?;
        files.push(Filed {
            inspection_id: id,
            number: issued.notice.number,
            new_number: issued.new,
            file,
            date,
            unit: data.unit.name,
            code,
        });
    }
    let bureau = store.read(|tx| Ok::<_, ExportError>(Letterhead::load(tx)?))?;
    let index = dir.join("index.html");
    let page = index_html(&bureau, filter, &files, lang);
    crate::export::write_text_atomically(&index, &page)?;
    Ok(Batch { files, index, bureau_named: !bureau.name.is_empty() })
}

/// The index page: the range, then one row per record with a link to its file.
pub fn index_html(bureau: &Letterhead, filter: &BatchFilter, files: &[Filed], lang: Lang) -> String {
    let title = lang.pick("现场检查记录目录", "Inspection records: index");
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title} {} — {}</title>",
        lang.pick("zh-CN", "en"),
        filter.from,
        filter.to
    );
    let _ = writeln!(
        out,
        "<style>{}</style>\n</head>\n<body>\n<main class=\"sheet index\">",
        css(".index thead { display: table-header-group; } td.n { text-align: center; }")
    );
    out.push_str(&bureau.head());
    let _ = writeln!(out, "<h1>{title}</h1>");
    let mut scope = format!("{} — {}", filter.from, filter.to);
    if let Some(d) = filter.domain {
        let _ = write!(scope, "{}{}", lang.pick("，", ", "), d.label(lang));
    }
    if let Some(t) = &filter.town {
        let _ = write!(scope, "{}{}", lang.pick("，", ", "), escape(t));
    }
    let count = match lang {
        Lang::Zh => format!("共 {} 份", files.len()),
        Lang::En => format!("{} records", files.len()),
    };
    let _ = writeln!(out, "<p>{scope}{}{count}</p>", lang.pick("；", "; "));
    out.push_str("<table>\n<thead><tr>");
    let heads = match lang {
        Lang::Zh => ["序号", "检查日期", "被检查单位", "单位编号", "记录编号"],
        Lang::En => ["No.", "Date", "Unit", "Code", "Record number"],
    };
    for h in heads {
        let _ = write!(out, "<th>{h}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (i, f) in files.iter().enumerate() {
        let _ = writeln!(
            out,
            "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}</td><td><a href=\"{}\">{}</a></td></tr>",
            i + 1,
            escape(&f.date),
            escape(&f.unit),
            escape(&f.code),
            escape(&f.file),
            escape(&f.number)
        );
    }
    out.push_str("</tbody>\n</table>\n</main>\n</body>\n</html>\n");
    out
}
