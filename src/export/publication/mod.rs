//! 抽查结果公示: the public list of a random plan (双随机、一公开) — for each unit drawn, its name and code,
//! the inspection date and the result — with the plan's seed and draw parameters so that anyone can redraw
//! it, as CSV, XLSX or an HTML page to print or post.
//!
//! It carries **no personal data and no internal notes**, by construction: what is loaded here is the only
//! thing the writers can print, and it holds no person's name (inspectors, contacts, representatives, the
//! inspector pool), no phone, no address, no problem text — only counts, severities, the unit's name (masked
//! like any export text, should it hold an ID or phone number) and code, dates and the plan's parameters.
//!
//! The result of a drawn unit ([`Outcome`]), decided from its linked inspection and rectifications
//! (withdrawn rectifications, taken back by an amendment, do not count):
//! - no inspection started: 未检查; a draft (not submitted): 检查中 — neither has a result yet;
//! - submitted without rectifications: 未发现问题;
//! - submitted with N rectifications, none verified (复查通过): 责令整改 N 项;
//! - some but not all verified: 整改中（已整改 K/N 项）; all N verified: 已整改（共 N 项）.

mod html;
mod table;

use std::path::Path;

use chrono::NaiveDate;
use rusqlite::Connection;

pub use html::render_html;
pub use table::{headers, notes, rows};

use super::{ExportError, Masking, Result};
use crate::domain::{Domain, Severity};
use crate::i18n::Lang;
use crate::store::inspections::{self, Status};
use crate::store::{Store, plans};

/// Which plans to publish.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    /// One plan: its full id or a unique prefix of at least six characters.
    Plan(String),
    /// Every plan drawn on the days `from..=to`, of one domain when given.
    Period { from: NaiveDate, to: NaiveDate, domain: Option<Domain> },
}

impl Selection {
    /// The selection as the audit log records it.
    pub fn describe(&self) -> String {
        match self {
            Selection::Plan(id) => format!("plan={id}"),
            Selection::Period { from, to, domain } => {
                let domain = domain.map(|d| format!(" domain={}", d.key())).unwrap_or_default();
                format!("from={from} to={to}{domain}")
            }
        }
    }
}

/// The result of one drawn unit (see the module comment for the rule).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    NotInspected,
    InProgress,
    NoProblems,
    Ordered { items: u32 },
    Rectifying { items: u32, fixed: u32 },
    Rectified { items: u32 },
}

impl Outcome {
    /// The outcome of a submitted inspection with `items` rectifications of which `fixed` are verified.
    pub fn of_submitted(items: u32, fixed: u32) -> Outcome {
        match (items, fixed) {
            (0, _) => Outcome::NoProblems,
            (n, 0) => Outcome::Ordered { items: n },
            (n, k) if k >= n => Outcome::Rectified { items: n },
            (n, k) => Outcome::Rectifying { items: n, fixed: k },
        }
    }

    pub fn label(self, lang: Lang) -> String {
        match (self, lang) {
            (Outcome::NotInspected, _) => lang.pick("未检查", "not inspected").into(),
            (Outcome::InProgress, _) => lang.pick("检查中", "inspection in progress").into(),
            (Outcome::NoProblems, _) => lang.pick("未发现问题", "no problems found").into(),
            (Outcome::Ordered { items }, Lang::Zh) => format!("责令整改 {items} 项"),
            (Outcome::Ordered { items }, Lang::En) => format!("ordered to rectify {items}"),
            (Outcome::Rectifying { items, fixed }, Lang::Zh) => {
                format!("整改中（已整改 {fixed}/{items} 项）")
            }
            (Outcome::Rectifying { items, fixed }, Lang::En) => {
                format!("rectifying ({fixed} of {items} fixed)")
            }
            (Outcome::Rectified { items }, Lang::Zh) => format!("已整改（共 {items} 项）"),
            (Outcome::Rectified { items }, Lang::En) => format!("rectified (all {items})"),
        }
    }

    /// How many rectifications were ordered and how many are verified (`None` without a result).
    pub fn counts(self) -> Option<(u32, u32)> {
        match self {
            Outcome::NotInspected | Outcome::InProgress => None,
            Outcome::NoProblems => Some((0, 0)),
            Outcome::Ordered { items } => Some((items, 0)),
            Outcome::Rectifying { items, fixed } => Some((items, fixed)),
            Outcome::Rectified { items } => Some((items, items)),
        }
    }
}

/// One drawn unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Its place in the draw (1 = drawn first).
    pub position: u32,
    pub unit: String,
    pub code: String,
    /// The day its inspection was started; `None` when none was.
    pub date: Option<NaiveDate>,
    pub outcome: Outcome,
    /// The rectifications ordered, by severity in [`Severity::ALL`] order (一般, 较重, 重大).
    pub by_severity: [u32; 3],
}

/// Whether the plan can be redrawn from today's registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Redraw {
    /// Drawing again with the seed from today's `candidates` gives exactly the stored plan.
    Reproduced { candidates: usize },
    /// The registry has changed since (sites added, removed or recoded): today's `candidates` give another
    /// draw; the registry as it was on the day of the draw gives the plan.
    RegistryChanged { candidates: usize },
}

/// One published plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanPart {
    pub id: String,
    /// The domain key as stored; see [`PlanPart::domain_label`].
    pub domain: String,
    pub drawn_on: Option<NaiveDate>,
    pub seed: String,
    pub count: u32,
    /// How many names the inspector pool held (who they are is not published).
    pub pool: usize,
    pub redraw: Redraw,
    pub entries: Vec<Entry>,
}

impl PlanPart {
    pub fn domain_label(&self, lang: Lang) -> String {
        Domain::from_key(&self.domain).map_or_else(|| self.domain.clone(), |d| d.label(lang).to_string())
    }
}

/// Everything a publication shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Publication {
    /// The bureau's name from the settings; empty while none is set (the page leaves a blank).
    pub bureau: String,
    /// The day it is published.
    pub issued: NaiveDate,
    /// The period asked for, when plans were selected by it.
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub plans: Vec<PlanPart>,
}

impl Publication {
    pub fn units(&self) -> usize {
        self.plans.iter().map(|p| p.entries.len()).sum()
    }
}

fn invalid(lang: Lang, zh: String, en: String) -> ExportError {
    ExportError::Invalid(match lang {
        Lang::Zh => zh,
        Lang::En => en,
    })
}

/// The shortest plan id prefix accepted.
pub const MIN_PREFIX: usize = 6;

/// The plan `given` names: its full id or a unique prefix (any case) of at least [`MIN_PREFIX`]
/// characters. An unknown id is refused with the close ids (a mistyped character or two), else the latest
/// plans.
pub fn find_plan(conn: &Connection, given: &str, lang: Lang) -> Result<plans::Plan> {
    let given = given.trim();
    let all = plans::all(conn)?;
    let upper = given.to_ascii_uppercase();
    let matching: Vec<&plans::Plan> = if given.chars().count() >= MIN_PREFIX {
        all.iter().filter(|p| p.id.starts_with(&upper)).collect()
    } else {
        all.iter().filter(|p| p.id == upper).collect()
    };
    match matching.as_slice() {
        [one] => return Ok((*one).clone()),
        [] => {}
        many => {
            let ids: Vec<&str> = many.iter().take(5).map(|p| p.id.as_str()).collect();
            return Err(invalid(
                lang,
                format!("计划编号前缀 {given} 对应多个抽查计划（{}），请多输入几位", ids.join("、")),
                format!(
                    "the prefix {given} matches several plans ({}); give more characters",
                    ids.join(", ")
                ),
            ));
        }
    }
    let shown = crate::shown::clip(given, 40);
    let close = crate::checklist::did_you_mean(&upper, all.iter().map(|p| p.id.as_str()));
    if let Some(close) = close {
        return Err(invalid(
            lang,
            format!("找不到抽查计划 {shown}（是否想写 {close}？）"),
            format!("there is no plan {shown} (did you mean {close}?)"),
        ));
    }
    let latest: Vec<String> = all
        .iter()
        .take(5)
        .map(|p| format!("{} {} {}", p.id, p.created_at.get(..10).unwrap_or(""), p.domain))
        .collect();
    Err(match (latest.is_empty(), lang) {
        (true, _) => invalid(
            lang,
            format!("找不到抽查计划 {shown}：本数据库还没有抽查计划（用 ducha plan random 抽取）"),
            format!(
                "there is no plan {shown}: this database has no plans yet (draw one with ducha plan random)"
            ),
        ),
        (false, _) => invalid(
            lang,
            format!("找不到抽查计划 {shown}；最近的计划：{}", latest.join("；")),
            format!("there is no plan {shown}; the latest plans: {}", latest.join("; ")),
        ),
    })
}

fn date_of(stamp: &str) -> Option<NaiveDate> {
    stamp.get(..10).and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

/// The result and severity counts of the inspection `id`.
fn outcome(conn: &Connection, id: &str) -> Result<(Option<NaiveDate>, Outcome, [u32; 3])> {
    let Some(head) = inspections::get(conn, id)? else {
        return Ok((None, Outcome::NotInspected, [0; 3]));
    };
    let date = date_of(&head.started_at);
    if head.status != Status::Submitted {
        return Ok((date, Outcome::InProgress, [0; 3]));
    }
    let mut stmt = conn.prepare(
        "SELECT severity, status FROM rectifications WHERE inspection_id = ?1 AND status <> 'withdrawn'",
    )?;
    let rows = stmt
        .query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut by_severity = [0u32; 3];
    let mut fixed = 0;
    for (severity, status) in &rows {
        // An unknown severity (a newer laptop's) is counted as the mildest rather than lost.
        let at = Severity::ALL.iter().position(|s| s.key() == severity).unwrap_or(0);
        by_severity[at] += 1;
        if status == crate::rectification::Status::Verified.key() {
            fixed += 1;
        }
    }
    let items = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    Ok((date, Outcome::of_submitted(items, fixed), by_severity))
}

/// Whether drawing again from today's registry gives `plan`'s sites, in order.
fn redraw(conn: &Connection, plan: &plans::Plan, items: &[plans::Item]) -> Result<Redraw> {
    let Some(domain) = Domain::from_key(&plan.domain) else {
        return Ok(Redraw::RegistryChanged { candidates: 0 });
    };
    let candidates = plans::candidates(conn, domain)?;
    let seed = plan.seed.parse::<u64>().ok();
    let drawn =
        seed.and_then(|seed| crate::plan::draw(candidates.len(), plan.pool, plan.count as usize, seed).ok());
    let same = drawn.is_some_and(|drawn| {
        drawn.len() == items.len()
            && drawn.iter().zip(items).all(|(d, i)| candidates.get(d.site).is_some_and(|s| s.id == i.site_id))
    });
    Ok(if same {
        Redraw::Reproduced { candidates: candidates.len() }
    } else {
        Redraw::RegistryChanged { candidates: candidates.len() }
    })
}

fn part(conn: &Connection, plan: plans::Plan) -> Result<PlanPart> {
    let items = plans::items(conn, &plan.id)?;
    let redraw = redraw(conn, &plan, &items)?;
    let mut entries = Vec::with_capacity(items.len());
    for item in &items {
        let (date, outcome, by_severity) = match &item.inspection_id {
            Some(id) => outcome(conn, id)?,
            None => (None, Outcome::NotInspected, [0; 3]),
        };
        entries.push(Entry {
            position: item.position,
            unit: Masking::Masked.apply(&item.site_name),
            code: item.site_code.clone(),
            date,
            outcome,
            by_severity,
        });
    }
    Ok(PlanPart {
        drawn_on: date_of(&plan.created_at),
        id: plan.id,
        domain: plan.domain,
        seed: plan.seed,
        count: plan.count,
        pool: plan.pool,
        redraw,
        entries,
    })
}

/// Loads the publication of `selection`, reading with `conn` (the caller holds the read transaction).
/// Refuses, in `lang`, an unknown plan, a period ending before it starts and a period without plans.
pub fn load(conn: &Connection, selection: &Selection, lang: Lang, issued: NaiveDate) -> Result<Publication> {
    let (chosen, period) = match selection {
        Selection::Plan(given) => (vec![find_plan(conn, given, lang)?], None),
        Selection::Period { from, to, domain } => {
            if from > to {
                return Err(invalid(
                    lang,
                    format!("--from {from} 晚于 --to {to}"),
                    format!("--from {from} is after --to {to}"),
                ));
            }
            let (f, t) = (from.to_string(), to.to_string());
            let found = plans::drawn_between(conn, &f, &t, domain.map(Domain::key))?;
            if found.is_empty() {
                let what = domain.map(|d| d.label(lang)).unwrap_or_default();
                return Err(invalid(
                    lang,
                    format!("{from} 至 {to} 没有抽取{what}抽查计划，未写出文件"),
                    format!("no {what} plan was drawn from {from} to {to}; nothing was written"),
                ));
            }
            (found, Some((*from, *to)))
        }
    };
    let plans = chosen.into_iter().map(|p| part(conn, p)).collect::<Result<Vec<_>>>()?;
    Ok(Publication { bureau: crate::bureau::value(conn, crate::bureau::Key::Name)?, issued, period, plans })
}

/// The file formats a publication is written in, by the output's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Html,
}

impl Format {
    /// `.csv`, `.xlsx`, `.html` or `.htm` (any case); anything else is refused saying what is accepted.
    pub fn of_path(path: &Path, lang: Lang) -> Result<Format> {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("csv") => Ok(Format::Csv),
            Some("xlsx") => Ok(Format::Xlsx),
            Some("html" | "htm") => Ok(Format::Html),
            _ => Err(invalid(
                lang,
                format!("输出文件 {} 的扩展名应为 .csv、.xlsx 或 .html", path.display()),
                format!("the output file {} should end in .csv, .xlsx or .html", path.display()),
            )),
        }
    }
}

/// What [`export`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exported {
    pub plans: usize,
    pub units: usize,
    /// Whether the bureau's name is set (else the page carries a blank for it).
    pub named: bool,
    /// Why the export could not be recorded in the audit log, if it could not.
    pub unrecorded: Option<String>,
}

/// Writes the publication of `selection` to `output` (format by its extension) from one snapshot of
/// `store`, atomically, and records it in the audit log as `user`. Needs no role: nothing in it is
/// personal (see the module comment), as the masked list exports need none.
pub fn export(
    store: &mut Store,
    user: &str,
    selection: &Selection,
    lang: Lang,
    issued: NaiveDate,
    output: &Path,
    bom: bool,
) -> Result<Exported> {
    let format = Format::of_path(output, lang)?;
    let data = store.read(|tx| load(tx, selection, lang, issued))?;
    super::write_atomically(output, |file| write(&data, format, lang, file, output, bom))?;
    let unrecorded = record(store, user, selection, output, data.units(), lang);
    Ok(Exported { plans: data.plans.len(), units: data.units(), named: !data.bureau.is_empty(), unrecorded })
}

/// Writes `data` as `format` into `file`, which becomes `path` (named in a failure).
pub fn write(
    data: &Publication,
    format: Format,
    lang: Lang,
    file: std::fs::File,
    path: &Path,
    bom: bool,
) -> Result<()> {
    use std::io::Write as _;
    match format {
        Format::Html => {
            let mut out = std::io::BufWriter::new(file);
            let io = |source| ExportError::Io { path: path.display().to_string(), source };
            out.write_all(render_html(data, lang).as_bytes()).map_err(io)?;
            out.flush().map_err(io)
        }
        Format::Csv => {
            let mut sink = super::csv_sink::CsvSink::new(std::io::BufWriter::new(file), bom)?;
            table::write_csv(data, lang, &mut sink)
        }
        Format::Xlsx => {
            let mut sink = super::xlsx_sink::XlsxSink::new(file, lang.pick("抽查结果公示", "Publication"))?;
            table::write_xlsx(data, lang, &mut sink)
        }
    }
}

/// Records the export (`export.write`, what = publication); returns why it could not be, if it could not.
fn record(
    store: &mut Store,
    user: &str,
    selection: &Selection,
    output: &Path,
    rows: usize,
    lang: Lang,
) -> Option<String> {
    let details = serde_json::json!({
        "what": "publication", "filter": selection.describe(), "output": output.display().to_string(),
        "rows": rows, "masked": true,
    });
    super::note_write(store, user, details, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_result_rule_case_by_case() {
        assert_eq!(Outcome::of_submitted(0, 0), Outcome::NoProblems);
        assert_eq!(Outcome::of_submitted(3, 0), Outcome::Ordered { items: 3 });
        assert_eq!(Outcome::of_submitted(3, 1), Outcome::Rectifying { items: 3, fixed: 1 });
        assert_eq!(Outcome::of_submitted(3, 3), Outcome::Rectified { items: 3 });
        assert_eq!(Outcome::of_submitted(2, 0).label(Lang::Zh), "责令整改 2 项");
        assert_eq!(Outcome::of_submitted(3, 1).label(Lang::Zh), "整改中（已整改 1/3 项）");
        assert_eq!(Outcome::of_submitted(3, 3).label(Lang::Zh), "已整改（共 3 项）");
        assert_eq!(Outcome::NotInspected.label(Lang::Zh), "未检查");
        assert_eq!(Outcome::InProgress.counts(), None);
        assert_eq!(Outcome::Rectified { items: 2 }.counts(), Some((2, 2)));
    }

    #[test]
    fn formats_go_by_the_extension() {
        assert_eq!(Format::of_path(Path::new("公示.HTML"), Lang::Zh).ok(), Some(Format::Html));
        assert_eq!(Format::of_path(Path::new("a.csv"), Lang::Zh).ok(), Some(Format::Csv));
        assert_eq!(Format::of_path(Path::new("a.xlsx"), Lang::Zh).ok(), Some(Format::Xlsx));
        let e =
            Format::of_path(Path::new("a.pdf"), Lang::En).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains(".csv, .xlsx or .html"), "{e}");
    }
}
