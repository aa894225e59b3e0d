//! The weekly report written out: text with headings and aligned tables, Markdown, or one CSV file.
//! Pure functions of the report data.

use super::ReportError;
use super::render::{csv_bytes, indent, markdown_table};
use super::weekly::{Figure, Figures, Listed, WeeklyReport};
use crate::i18n::Lang;
use crate::textable;

/// The widest bar in the open-series trend, in characters.
const BAR: u64 = 30;

/// One titled table of the report.
struct Section {
    title: String,
    headers: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

fn title(r: &WeeklyReport, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("整改周报 {}（{} 至 {}）", r.week, r.monday(), r.sunday()),
        Lang::En => format!("Weekly rectification report {} ({} to {})", r.week, r.monday(), r.sunday()),
    }
}

fn as_of(r: &WeeklyReport, lang: Lang) -> String {
    let running =
        if r.partial() { lang.pick("（本周尚未结束）", " (the week is not over)") } else { "" };
    match lang {
        Lang::Zh => format!("统计日：{}{running}；逾期和下周到期按统计日当天计算。", r.report_day),
        Lang::En => {
            format!("As of {}{running}; overdue and due figures are taken on that day.", r.report_day)
        }
    }
}

fn figure_headers(first: &'static str, lang: Lang) -> Vec<&'static str> {
    let mut h = vec![first];
    h.extend(Figure::ALL.iter().map(|f| f.label(lang)));
    h
}

fn figure_cells(first: String, f: &Figures) -> Vec<String> {
    let mut row = vec![first];
    row.extend(Figure::ALL.iter().map(|x| f.get(*x).to_string()));
    row
}

fn listed_row(l: &Listed, lang: Lang, with_days: bool) -> Vec<String> {
    let mut row = Vec::new();
    if with_days {
        row.push(l.days_overdue.to_string());
    }
    row.extend([
        l.deadline.to_string(),
        l.domain.label(lang).to_string(),
        l.town.clone(),
        l.site_name.clone(),
        l.severity.label(lang).to_string(),
        l.status.label(lang).to_string(),
        l.problem.clone(),
    ]);
    row
}

fn listed_headers(lang: Lang, with_days: bool) -> Vec<&'static str> {
    let mut h = Vec::new();
    if with_days {
        h.push(lang.pick("逾期天数", "days overdue"));
    }
    h.extend(match lang {
        Lang::Zh => ["整改期限", "检查领域", "镇街", "被检查单位", "隐患等级", "状态", "问题描述"],
        Lang::En => ["deadline", "domain", "town", "site", "severity", "status", "problem"],
    });
    h
}

fn sections(r: &WeeklyReport, lang: Lang) -> Vec<Section> {
    let zh = lang == Lang::Zh;
    let next = r.week.next();
    let max = r.open_series.iter().map(|p| p.open).max().unwrap_or(0).max(1);
    vec![
        Section {
            title: lang.pick("一、本周概况", "1. Summary").into(),
            headers: figure_headers(lang.pick("合计", "total"), lang),
            rows: vec![figure_cells(lang.pick("全部", "all").into(), &r.totals)],
        },
        Section {
            title: lang.pick("二、按检查领域", "2. By domain").into(),
            headers: figure_headers(lang.pick("检查领域", "domain"), lang),
            rows: r.by_domain.iter().map(|(d, f)| figure_cells(d.label(lang).into(), f)).collect(),
        },
        Section {
            title: lang.pick("三、按镇街", "3. By town").into(),
            headers: figure_headers(lang.pick("镇街", "town"), lang),
            rows: r.by_town.iter().map(|(t, f)| figure_cells(t.clone(), f)).collect(),
        },
        Section {
            title: if zh {
                format!("四、逾期整改（截至 {}，{} 条）", r.report_day, r.overdue.len())
            } else {
                format!("4. Overdue on {} ({})", r.report_day, r.overdue.len())
            },
            headers: listed_headers(lang, true),
            rows: r.overdue.iter().map(|l| listed_row(l, lang, true)).collect(),
        },
        Section {
            title: if zh {
                format!(
                    "五、下周到期（{} 至 {}，{} 条）",
                    next.monday(),
                    next.sunday(),
                    r.due_next_week.len()
                )
            } else {
                format!(
                    "5. Due next week ({} to {}, {})",
                    next.monday(),
                    next.sunday(),
                    r.due_next_week.len()
                )
            },
            headers: listed_headers(lang, false),
            rows: r.due_next_week.iter().map(|l| listed_row(l, lang, false)).collect(),
        },
        Section {
            title: if zh {
                format!("六、近 {} 周未销号整改数（每周末）", r.open_series.len())
            } else {
                format!("6. Open rectifications at the end of the last {} weeks", r.open_series.len())
            },
            headers: match lang {
                Lang::Zh => vec!["周次", "截至", "未销号", "趋势"],
                Lang::En => vec!["week", "as of", "open", "trend"],
            },
            rows: r
                .open_series
                .iter()
                .map(|p| {
                    let bar = usize::try_from((p.open * BAR).div_ceil(max)).unwrap_or(0);
                    vec![p.week.to_string(), p.at.to_string(), p.open.to_string(), "#".repeat(bar)]
                })
                .collect(),
        },
    ]
}

/// Plain text: a title, then each section as a heading and an aligned table.
pub fn render_text(r: &WeeklyReport, lang: Lang) -> String {
    let mut out = format!("{}\n{}\n", title(r, lang), as_of(r, lang));
    for s in sections(r, lang) {
        out.push('\n');
        out.push_str(&s.title);
        out.push('\n');
        if s.rows.is_empty() {
            out.push_str(&indent(lang.pick("（无）", "(none)")));
        } else {
            out.push_str(&indent(&textable::render(&s.headers, &s.rows)));
        }
    }
    out
}

/// Markdown: the same sections as `##` headings with tables.
pub fn render_markdown(r: &WeeklyReport, lang: Lang) -> String {
    let mut out = format!("# {}\n\n{}\n", title(r, lang), as_of(r, lang));
    for s in sections(r, lang) {
        out.push_str(&format!("\n## {}\n\n", s.title));
        if s.rows.is_empty() {
            out.push_str(lang.pick("（无）\n", "(none)\n"));
        } else {
            out.push_str(&markdown_table(&s.headers, &s.rows));
        }
    }
    out
}

const CSV_COLUMNS: usize = 19;

/// One CSV file for Excel: every row carries its section in the first column; the breakdown rows fill the
/// figure columns, the listed rectifications the columns about them, the open series `open` and `date`.
/// UTF-8 with BOM, CRLF.
pub fn render_csv(r: &WeeklyReport, lang: Lang) -> Result<Vec<u8>, ReportError> {
    let headers: [&str; CSV_COLUMNS] = match lang {
        Lang::Zh => [
            "分区",
            "周次",
            "检查领域",
            "镇街",
            "新发现",
            "销号",
            "退回",
            "撤销",
            "逾期",
            "下周到期",
            "未销号",
            "单位编号",
            "被检查单位",
            "问题描述",
            "隐患等级",
            "状态",
            "整改期限",
            "逾期天数",
            "日期",
        ],
        Lang::En => [
            "section",
            "week",
            "domain",
            "town",
            "new",
            "closed",
            "rejected",
            "withdrawn",
            "overdue",
            "due_next_week",
            "open",
            "site_code",
            "site",
            "problem",
            "severity",
            "status",
            "deadline",
            "days_overdue",
            "date",
        ],
    };
    let week = r.week.to_string();
    let blank = || vec![String::new(); CSV_COLUMNS];
    let figures = |section: &str, domain: &str, town: &str, f: &Figures| {
        let mut row = blank();
        row[0] = section.into();
        row[1] = week.clone();
        row[2] = domain.into();
        row[3] = town.into();
        for (i, fig) in Figure::ALL.iter().enumerate() {
            row[4 + i] = f.get(*fig).to_string();
        }
        row[18] = r.report_day.to_string();
        row
    };
    let listed = |section: &str, l: &Listed, days: bool| {
        let mut row = blank();
        row[0] = section.into();
        row[1] = week.clone();
        row[2] = l.domain.label(lang).into();
        row[3] = l.town.clone();
        row[11] = l.site_code.clone();
        row[12] = l.site_name.clone();
        row[13] = l.problem.clone();
        row[14] = l.severity.label(lang).into();
        row[15] = l.status.label(lang).into();
        row[16] = l.deadline.to_string();
        if days {
            row[17] = l.days_overdue.to_string();
        }
        row[18] = r.report_day.to_string();
        row
    };
    let mut rows = vec![figures(lang.pick("概况", "summary"), "", "", &r.totals)];
    for (d, f) in &r.by_domain {
        rows.push(figures(lang.pick("按检查领域", "by_domain"), d.label(lang), "", f));
    }
    for (t, f) in &r.by_town {
        rows.push(figures(lang.pick("按镇街", "by_town"), "", t, f));
    }
    rows.extend(r.overdue.iter().map(|l| listed(lang.pick("逾期", "overdue"), l, true)));
    rows.extend(r.due_next_week.iter().map(|l| listed(lang.pick("下周到期", "due_next_week"), l, false)));
    for p in &r.open_series {
        let mut row = blank();
        row[0] = lang.pick("未销号趋势", "open_series").into();
        row[1] = p.week.to_string();
        row[10] = p.open.to_string();
        row[18] = p.at.to_string();
        rows.push(row);
    }
    csv_bytes(&headers, &rows)
}
