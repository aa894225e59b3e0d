//! The publication as a table, for CSV and XLSX: one row per drawn unit, each carrying its plan's id,
//! date, domain, seed and count so that a row stands on its own; and the notes (title, how to redraw, what
//! the results mean), written as rows above the table in CSV and as a second worksheet in XLSX, whose first
//! sheet stays a plain table with a filter.

use super::{Entry, Outcome, PlanPart, Publication, Redraw};
use crate::domain::Severity;
use crate::export::csv_sink::CsvSink;
use crate::export::xlsx_sink::XlsxSink;
use crate::export::{Cell, Result, Sink};
use crate::i18n::Lang;

/// The column names.
pub fn headers(lang: Lang) -> Vec<String> {
    let fixed: [&str; 13] = match lang {
        Lang::Zh => [
            "计划编号",
            "抽取日期",
            "检查领域",
            "随机种子",
            "抽取数量",
            "候选单位数",
            "抽取序号",
            "单位名称",
            "单位编号",
            "检查日期",
            "检查结果",
            "责令整改项数",
            "已整改项数",
        ],
        Lang::En => [
            "plan",
            "drawn on",
            "domain",
            "seed",
            "count",
            "candidates",
            "draw no.",
            "unit",
            "code",
            "inspected on",
            "result",
            "rectifications ordered",
            "rectified",
        ],
    };
    let mut names: Vec<String> = fixed.iter().map(|s| s.to_string()).collect();
    names.extend(Severity::ALL.iter().map(|s| match lang {
        Lang::Zh => format!("{}问题数", s.label(lang)),
        Lang::En => format!("{} problems", s.label(lang)),
    }));
    names
}

fn row(plan: &PlanPart, e: &Entry, lang: Lang) -> Vec<Cell> {
    let date = |d: Option<chrono::NaiveDate>| d.map_or(Cell::Empty, Cell::Date);
    let candidates = match plan.redraw {
        Redraw::Reproduced { candidates } => Cell::Int(i64::try_from(candidates).unwrap_or(i64::MAX)),
        Redraw::RegistryChanged { .. } => Cell::Empty,
    };
    let counts = e.outcome.counts();
    let count = |n: Option<u32>| n.map_or(Cell::Empty, |n| Cell::Int(i64::from(n)));
    let mut cells = vec![
        Cell::Text(plan.id.clone()),
        date(plan.drawn_on),
        Cell::Text(plan.domain_label(lang)),
        // Text: a 64-bit seed has more digits than a spreadsheet number keeps.
        Cell::Text(plan.seed.clone()),
        Cell::Int(i64::from(plan.count)),
        candidates,
        Cell::Int(i64::from(e.position)),
        Cell::Text(e.unit.clone()),
        Cell::Text(e.code.clone()),
        date(e.date),
        Cell::Text(e.outcome.label(lang)),
        count(counts.map(|c| c.0)),
        count(counts.map(|c| c.1)),
    ];
    cells.extend(e.by_severity.iter().map(|n| count(counts.map(|_| *n))));
    cells
}

/// Every data row, plan by plan in draw order.
pub fn rows(data: &Publication, lang: Lang) -> Vec<Vec<Cell>> {
    data.plans.iter().flat_map(|p| p.entries.iter().map(move |e| row(p, e, lang))).collect()
}

/// The title as the table's notes and the page's `<title>` give it (without a name while none is set).
pub fn title(data: &Publication, lang: Lang) -> String {
    match (lang, data.bureau.as_str()) {
        (Lang::Zh, name) => format!("{name}双随机抽查结果公示"),
        (Lang::En, "") => "Results of random inspections".into(),
        (Lang::En, name) => format!("{name}: results of random inspections"),
    }
}

/// What a plan's draw was and whether today's registry reproduces it.
pub fn plan_line(p: &PlanPart, lang: Lang) -> String {
    let drawn = p.drawn_on.map(|d| d.to_string()).unwrap_or_default();
    let domain = p.domain_label(lang);
    match lang {
        Lang::Zh => {
            let redraw = match p.redraw {
                Redraw::Reproduced { candidates } => format!(
                    "从 {candidates} 个候选单位中抽取 {} 个；以今日单位名录和此种子重抽，结果与本计划一致",
                    p.count
                ),
                Redraw::RegistryChanged { candidates } => format!(
                    "抽取 {} 个；单位名录自抽取后已有变动（今日 {candidates} 个候选单位），须以抽取当日的名录重抽",
                    p.count
                ),
            };
            format!(
                "计划 {}：{domain}，{drawn} 抽取，随机种子 {}，{redraw}；每个单位的两名检查人员从 {} 人中随机抽取（姓名不公示）",
                p.id, p.seed, p.pool
            )
        }
        Lang::En => {
            let redraw = match p.redraw {
                Redraw::Reproduced { candidates } => format!(
                    "{} drawn of {candidates} candidates; drawing again with today's registry and this seed gives this plan",
                    p.count
                ),
                Redraw::RegistryChanged { candidates } => format!(
                    "{} drawn; the registry has changed since (today {candidates} candidates): redraw with the registry of the day of the draw",
                    p.count
                ),
            };
            format!(
                "plan {}: {domain}, drawn {drawn}, seed {}, {redraw}; each unit's two inspectors were drawn from a pool of {} (names not published)",
                p.id, p.seed, p.pool
            )
        }
    }
}

/// How anyone can redraw a plan.
pub fn redraw_method(lang: Lang) -> &'static str {
    lang.pick(
        "重抽方法：把该领域的全部登记单位按单位编号升序排列（从 0 起编号），以随机种子初始化 ChaCha8 随机数发生器（rand_chacha 0.9 的 seed_from_u64），用 rand 0.9 的 seq::index::sample 从中不放回抽取所需数量，所得顺序即抽取序号；ducha 中 ducha plan random --domain 领域 --count 数量 --seed 种子 给出同一结果。",
        "How to redraw: list every registered unit of the domain by code, ascending (numbered from 0); seed a ChaCha8 generator with the seed (rand_chacha 0.9, seed_from_u64) and draw the count without replacement with rand 0.9's seq::index::sample; the order drawn is the draw number. In ducha, ducha plan random --domain DOMAIN --count N --seed SEED gives the same.",
    )
}

/// What the results mean.
pub fn result_rule(lang: Lang) -> &'static str {
    lang.pick(
        "结果说明：未检查＝已抽中、尚未检查；检查中＝检查尚未完成提交；未发现问题；责令整改 N 项＝发现 N 个问题，均未复查销号；整改中＝部分已复查销号；已整改＝全部已复查销号。问题数按隐患等级（一般、较重、重大）计；不公示问题详情和任何个人信息。",
        "Results: not inspected = drawn, not inspected yet; in progress = inspection not yet submitted; no problems found; ordered to rectify N = N problems found, none verified fixed yet; rectifying = some verified fixed; rectified = all verified fixed. Problems are counted by severity (minor, major, critical); no problem details and no personal data are published.",
    )
}

/// The notes that go with the table: title, date, period, each plan's draw, how to redraw, the rule.
pub fn notes(data: &Publication, lang: Lang) -> Vec<String> {
    let mut lines = vec![title(data, lang)];
    lines.push(match lang {
        Lang::Zh => format!("公示日期：{}", data.issued),
        Lang::En => format!("published {}", data.issued),
    });
    if let Some((from, to)) = data.period {
        lines.push(match lang {
            Lang::Zh => format!("{from} 至 {to} 抽取的计划"),
            Lang::En => format!("plans drawn from {from} to {to}"),
        });
    }
    lines.extend(data.plans.iter().map(|p| plan_line(p, lang)));
    lines.push(redraw_method(lang).into());
    lines.push(result_rule(lang).into());
    lines
}

/// The CSV: the notes as rows above the table (each in the first cell, padded to the table's width so the
/// file stays rectangular), an empty row, then the header and the rows.
pub fn write_csv<W: std::io::Write>(data: &Publication, lang: Lang, sink: &mut CsvSink<W>) -> Result<()> {
    let headers = headers(lang);
    let pad = |first: Cell| {
        let mut cells = vec![first];
        cells.resize(headers.len(), Cell::Empty);
        cells
    };
    for line in notes(data, lang) {
        sink.row(&pad(Cell::Text(line)))?;
    }
    sink.row(&pad(Cell::Empty))?;
    let names: Vec<&str> = headers.iter().map(String::as_str).collect();
    sink.header(&names)?;
    for cells in rows(data, lang) {
        sink.row(&cells)?;
    }
    sink.finish()
}

/// The XLSX: the table on the first sheet, the notes on a second one.
pub fn write_xlsx(data: &Publication, lang: Lang, sink: &mut XlsxSink) -> Result<()> {
    let headers = headers(lang);
    let names: Vec<&str> = headers.iter().map(String::as_str).collect();
    sink.header(&names)?;
    for cells in rows(data, lang) {
        sink.row(&cells)?;
    }
    sink.add_notes(lang.pick("说明", "Notes"), &notes(data, lang))?;
    sink.finish()
}

/// How many units of `plan` have each kind of result: inspected (submitted), without problems, ordered to
/// rectify, all rectified, not inspected (or in progress).
pub fn tally(plan: &PlanPart) -> [usize; 5] {
    let mut t = [0; 5];
    for e in &plan.entries {
        match e.outcome {
            Outcome::NotInspected | Outcome::InProgress => t[4] += 1,
            Outcome::NoProblems => {
                t[0] += 1;
                t[1] += 1;
            }
            Outcome::Ordered { .. } | Outcome::Rectifying { .. } => {
                t[0] += 1;
                t[2] += 1;
            }
            Outcome::Rectified { .. } => {
                t[0] += 1;
                t[2] += 1;
                t[3] += 1;
            }
        }
    }
    t
}
