//! The rectification list (整改清单): one row per rectification, in the board's order (overdue first, then
//! by deadline, then most severe first), with labels instead of codes and the review (复查) and remarks
//! taken from the follow-up history, and the files given as proof of the fix (`name (sha256 prefix)`).

use rusqlite::{Connection, params_from_iter};

use super::{Cell, ExportFilter, Options, Result, Sink, Summary, date_cell};
use crate::domain::Domain;
use crate::i18n::Lang;
use crate::rectification::{Status, days_overdue};
use crate::store::fix_evidence::{FILES_JSON_OF_R, labels_from_json};
use crate::store::rectifications::Event;

/// The columns, Chinese and English, in the order supervisors expect.
pub const COLUMNS: [(&str, &str); 24] = [
    ("序号", "No."),
    ("清单编号", "List no."),
    ("检查领域", "Domain"),
    ("镇街", "Town"),
    ("被检查单位", "Unit inspected"),
    ("单位编号", "Unit code"),
    ("检查日期", "Inspection date"),
    ("检查人员", "Inspectors"),
    ("检查项编号", "Item"),
    ("问题描述", "Problem"),
    ("依据条款", "Basis"),
    ("隐患等级", "Severity"),
    ("整改要求", "Requirement"),
    ("整改期限", "Deadline"),
    ("整改责任人", "Responsible"),
    ("联系电话", "Phone"),
    ("状态", "Status"),
    ("逾期天数", "Days overdue"),
    ("复查日期", "Review date"),
    ("复查人", "Reviewed by"),
    ("复查结论", "Review result"),
    ("销号日期", "Closed on"),
    ("备注", "Remarks"),
    ("整改证据", "Fix evidence"),
];

pub fn headers(lang: Lang) -> Vec<&'static str> {
    COLUMNS.iter().map(|(zh, en)| lang.pick(zh, en)).collect()
}

const FROM: &str = " FROM rectifications r JOIN sites s ON s.id = r.site_id
    JOIN inspections i ON i.id = r.inspection_id WHERE 1 = 1";

/// Every event of the rectification aliased `r`, as a JSON array of the columns the list shows, in the
/// order `store::rectifications::events` reads them (`EVENTS_JSON_OF_R` with only these columns: the id,
/// parent and merges are not shown, and building and parsing them was a tenth of the export).
const HISTORY_JSON_OF_R: &str = "(SELECT json_group_array(json_array(e.kind, e.from_status, e.to_status,
        e.old_deadline, e.new_deadline, e.note, e.actor, e.at)
        ORDER BY e.at, e.kind <> 'created', e.id)
    FROM rectification_events e WHERE e.rectification_id = r.id)";

type HistoryTuple =
    (String, Option<String>, Option<String>, Option<String>, Option<String>, String, String, String);

/// The events read from [`HISTORY_JSON_OF_R`], with what the list does not show left empty.
fn history_from_json(text: &str) -> Result<Vec<Event>> {
    let rows: Vec<HistoryTuple> = serde_json::from_str(text).map_err(|e| {
        crate::store::StoreError::Refused(format!("a rectification's events could not be read: {e}"))
    })?;
    Ok(rows
        .into_iter()
        .map(|(kind, from_status, to_status, old_deadline, new_deadline, note, actor, at)| Event {
            id: String::new(),
            kind,
            parent: None,
            merges: Vec::new(),
            from_status,
            to_status,
            old_deadline,
            new_deadline,
            note,
            actor,
            at,
        })
        .collect())
}

/// A supervisor's review: verified (复查通过) or sent back (退回).
fn is_review(e: &Event) -> bool {
    e.kind == "transition"
        && (e.to_status.as_deref() == Some("verified")
            || (e.from_status.as_deref() == Some("fix_reported")
                && e.to_status.as_deref() == Some("in_progress")))
}

/// The day of an event.
fn day(e: &Event) -> &str {
    e.at.get(..10).unwrap_or(&e.at)
}

/// The event as a line of the remarks, or `None` when it says nothing beyond the status.
fn remark(e: &Event, lang: Lang) -> Option<String> {
    let what = match e.kind.as_str() {
        "extend" => format!(
            "{} {}→{}",
            lang.pick("延期", "extended"),
            e.old_deadline.as_deref().unwrap_or("?"),
            e.new_deadline.as_deref().unwrap_or("?")
        ),
        "note" => lang.pick("备注", "note").to_string(),
        "withdraw" => lang
            .pick("撤销（检查记录修订后不再不合格）", "withdrawn (amended, no longer failing)")
            .to_string(),
        "transition" if e.note.is_empty() => return None,
        "transition" => match e.to_status.as_deref().and_then(Status::from_key) {
            Some(Status::InProgress) if e.from_status.as_deref() == Some("fix_reported") => {
                lang.pick("退回", "rejected").to_string()
            }
            Some(s) => s.label(lang).to_string(),
            None => String::new(),
        },
        _ => return None,
    };
    let note = if e.note.is_empty() { String::new() } else { colon(lang, "", &e.note) };
    Some(format!("{} {} {what}{note}", day(e), e.actor))
}

/// `head：text` (a full-width colon in Chinese).
fn colon(lang: Lang, head: &str, text: &str) -> String {
    format!("{head}{}{text}", lang.pick("：", ": "))
}

/// The inspectors' names from their stored JSON array, joined for reading.
pub fn inspectors(json: &str, lang: Lang) -> String {
    let names: Vec<String> = serde_json::from_str(json).unwrap_or_else(|_| vec![json.to_string()]);
    names.join(lang.pick("、", ", "))
}

/// An item id, with the repetition it belongs to when it is in a repeat section.
pub fn item_label(item: &str, instance: u32, lang: Lang) -> String {
    match (instance, lang) {
        (0, _) => item.to_string(),
        (n, Lang::Zh) => format!("{item}（第{n}组）"),
        (n, Lang::En) => format!("{item} (#{n})"),
    }
}

/// Writes the list for `filter` to `sink`; see the module comment.
pub fn write(
    conn: &Connection,
    filter: &ExportFilter,
    opts: &Options,
    sink: &mut dyn Sink,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Summary> {
    let lang = opts.lang;
    let today = opts.today.format("%Y-%m-%d").to_string();
    let (where_sql, mut args) = filter.where_sql(opts.today);
    let select = format!(
        "SELECT r.id, s.kind, s.town, s.name, s.code, i.started_at, i.inspectors, r.item_id, r.instance,
                r.problem, r.basis, r.severity, r.major_hazard, r.requirement, r.deadline, r.responsible,
                r.phone, r.status, r.closed_at, {HISTORY_JSON_OF_R}, {FILES_JSON_OF_R}"
    );
    let (total, parts) = if where_sql.is_empty() {
        // Every rectification is listed (its site and inspection are foreign keys), so the count is the
        // table's; and the rows are read in two walks of the urgency index, which is in the list's order
        // within each part — the overdue ones, then the rest — instead of sorting every row with its
        // history (which spilled to temporary files at a million rows).
        let total = super::start(conn, " FROM rectifications r", &[], sink, &headers(lang), lang)?;
        let from = " FROM rectifications r INDEXED BY rectifications_urgency
            JOIN sites s ON s.id = r.site_id JOIN inspections i ON i.id = r.inspection_id";
        let order = "ORDER BY r.deadline, r.severity_rank DESC, r.id";
        args.push(today.into());
        let overdue = "r.status NOT IN ('verified', 'withdrawn') AND r.deadline < ?1";
        let rest = "r.status IN ('verified', 'withdrawn') OR r.deadline >= ?1";
        (
            total,
            vec![
                format!("{select}{from} WHERE {overdue} {order}"),
                format!("{select}{from} WHERE {rest} {order}"),
            ],
        )
    } else {
        let total = super::start(conn, &format!("{FROM}{where_sql}"), &args, sink, &headers(lang), lang)?;
        args.push(today.into());
        (total, vec![format!(
            "{select}{FROM}{where_sql}
             ORDER BY CASE WHEN r.status NOT IN ('verified', 'withdrawn') AND r.deadline < ? THEN 0 ELSE 1 END,
                      r.deadline, r.severity_rank DESC, r.id"
        )])
    };
    let mut n: u64 = 0;
    for sql in &parts {
        let mut stmt = conn.prepare(sql)?;
        let mut rows = stmt.query(params_from_iter(args.iter()))?;
        write_rows(&mut rows, &mut n, total, opts, sink, progress)?;
    }
    sink.finish()?;
    Ok(Summary { rows: n, unrecorded: None })
}

/// Writes every row of `rows`, counting them on from `n`.
fn write_rows(
    rows: &mut rusqlite::Rows<'_>,
    n: &mut u64,
    total: u64,
    opts: &Options,
    sink: &mut dyn Sink,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<()> {
    let lang = opts.lang;
    let mask = |t: &str| opts.masking.apply(t);
    while let Some(r) = rows.next()? {
        *n += 1;
        let id: String = r.get(0)?;
        let kind: String = r.get(1)?;
        let status_key: String = r.get(17)?;
        let status = Status::from_key(&status_key);
        let deadline: String = r.get(14)?;
        let overdue = match (status, super::parse_day(&deadline)) {
            (Some(s), Some(d)) => days_overdue(s, d, opts.today),
            _ => 0,
        };
        let history = history_from_json(&r.get::<_, String>(19)?)?;
        let review = history.iter().rposition(is_review);
        let remarks: Vec<String> = history
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != review)
            .filter_map(|(_, e)| remark(e, lang))
            .collect();
        let review = review.map(|i| &history[i]);
        let conclusion = review.map(|e| {
            let verdict = if e.to_status.as_deref() == Some("verified") {
                lang.pick("复查通过", "passed")
            } else {
                lang.pick("退回", "rejected")
            };
            if e.note.is_empty() { verdict.to_string() } else { colon(lang, verdict, &e.note) }
        });
        let closed: Option<String> = r.get(18)?;
        let cells = [
            Cell::Int(*n as i64),
            Cell::Text(id),
            Cell::Text(Domain::from_key(&kind).map_or(kind.clone(), |d| d.label(lang).to_string())),
            Cell::Text(r.get(2)?),
            Cell::Text(r.get(3)?),
            Cell::Text(r.get(4)?),
            date_cell(Some(&r.get::<_, String>(5)?)),
            Cell::Text(inspectors(&r.get::<_, String>(6)?, lang)),
            Cell::Text(item_label(&r.get::<_, String>(7)?, r.get(8)?, lang)),
            Cell::Text(mask(&r.get::<_, String>(9)?)),
            Cell::Text(r.get(10)?),
            Cell::Text(super::severity_label(&r.get::<_, String>(11)?, r.get::<_, i64>(12)? != 0, lang)),
            Cell::Text(mask(&r.get::<_, String>(13)?)),
            date_cell(Some(&deadline)),
            Cell::Text(mask(&r.get::<_, String>(15)?)),
            Cell::Text(mask(&r.get::<_, String>(16)?)),
            Cell::Text(status.map_or(status_key.clone(), |s| s.label(lang).to_string())),
            Cell::Int(overdue),
            date_cell(review.map(|e| e.at.as_str())),
            review.map_or(Cell::Empty, |e| Cell::Text(e.actor.clone())),
            conclusion.map_or(Cell::Empty, |c| Cell::Text(mask(&c))),
            if status == Some(Status::Verified) { date_cell(closed.as_deref()) } else { Cell::Empty },
            Cell::Text(mask(&remarks.join("\n"))),
            Cell::Text(mask(&labels_from_json(&r.get::<_, String>(20)?)?.join(lang.pick("；", "; ")))),
        ];
        sink.row(&cells)?;
        progress(*n, total);
    }
    Ok(())
}
