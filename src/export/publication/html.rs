//! The publication as one self-contained HTML page, as the notice is made: inline print CSS for A4, the
//! system's fonts only, no network resource of any kind, every text escaped (with the notice's
//! [`escape`]). A pure function of [`Publication`].

use std::fmt::Write;

use super::table::{plan_line, redraw_method, result_rule, tally, title};
use super::{Entry, Outcome, PlanPart, Publication, Redraw};
use crate::domain::Severity;
use crate::export::notice::escape;
use crate::i18n::Lang;

/// Sans-serif CJK faces of Windows, macOS and Linux: a public list reads best in a plain face.
const FONTS: &str = r#""Microsoft YaHei", "微软雅黑", "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif"#;

const CSS: &str = r#"
@page { size: A4; margin: 18mm 15mm 16mm 15mm; }
* { box-sizing: border-box; }
html { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
body { margin: 0; font-family: FONTS; font-size: 10.5pt; line-height: 1.5; color: #000; background: #fff; }
.page { max-width: 180mm; margin: 0 auto; }
@media screen {
  body { background: #e8e8e8; }
  .page { max-width: 210mm; margin: 8mm auto; padding: 18mm 15mm; background: #fff; box-shadow: 0 0 3mm #999; }
}
.bureau { margin: 0; text-align: center; font-size: 14pt; font-weight: bold; }
.bureau .blank { display: inline-block; width: 60mm; border-bottom: 0.75pt solid #000; }
h1 { margin: 1mm 0 2mm; text-align: center; font-size: 18pt; letter-spacing: 0.2em; }
html[lang="en"] h1 { letter-spacing: normal; }
h2 { margin: 6mm 0 2mm; font-size: 12pt; border-bottom: 0.75pt solid #000; }
p { margin: 0 0 2mm; }
.issued, .period { text-align: center; }
table { width: 100%; border-collapse: collapse; margin: 0 0 3mm; }
th, td { border: 0.75pt solid #000; padding: 1.2mm 1.5mm; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
th { font-weight: bold; background: #f2f2f2; }
tr { page-break-inside: avoid; break-inside: avoid; }
.params th { width: 30mm; white-space: nowrap; }
.params td.seed { font-family: ui-monospace, "Consolas", "Menlo", monospace; }
.results { table-layout: fixed; }
.results thead { display: table-header-group; }
.results th { text-align: center; vertical-align: middle; }
.results td.n, .results td.date, .results td.count { text-align: center; }
.results td.code { font-family: ui-monospace, "Consolas", "Menlo", monospace; font-size: 9.5pt; }
.results tr.pending td.result { color: #555; font-style: italic; }
col.c-n { width: 6%; } col.c-unit { width: 26%; } col.c-code { width: 13%; } col.c-date { width: 13%; }
col.c-result { width: 18%; } col.c-sev { width: 8%; }
.results th.sev { overflow-wrap: normal; padding-left: 0.5mm; padding-right: 0.5mm; }
html[lang="en"] .results th.sev { font-size: 8.5pt; }
.summary { margin-bottom: 4mm; }
.notes p { font-size: 9pt; color: #222; }
.issuer { margin: 8mm 0 0 auto; width: 70mm; text-align: center; page-break-inside: avoid; break-inside: avoid; }
.issuer p { margin: 0 0 1mm; }
"#;

struct Texts {
    html_lang: &'static str,
    title: &'static str,
    issued: &'static str,
    params: [&'static str; 6],
    columns: [&'static str; 5],
    notes: &'static str,
}

const ZH: Texts = Texts {
    html_lang: "zh-CN",
    title: "双随机抽查结果公示",
    issued: "公示日期：",
    params: ["计划编号", "检查领域", "抽取日期", "抽取数量", "随机种子", "重抽核验"],
    columns: ["序号", "单位名称", "单位编号", "检查日期", "检查结果"],
    notes: "说明",
};

const EN: Texts = Texts {
    html_lang: "en",
    title: "Results of Random Inspections",
    issued: "Published: ",
    params: ["Plan", "Domain", "Drawn on", "Units drawn", "Seed", "Redraw check"],
    columns: ["No.", "Unit", "Code", "Inspected on", "Result"],
    notes: "Notes",
};

fn date_text(d: chrono::NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Zh => d.format("%Y年%-m月%-d日").to_string(),
        Lang::En => d.format("%Y-%m-%d").to_string(),
    }
}

fn params(out: &mut String, p: &PlanPart, lang: Lang, t: &Texts) {
    let drawn = p.drawn_on.map(|d| date_text(d, lang)).unwrap_or_default();
    let count = match (p.redraw, lang) {
        (Redraw::Reproduced { candidates }, Lang::Zh) => format!("{}（候选单位 {candidates} 个）", p.count),
        (Redraw::Reproduced { candidates }, Lang::En) => format!("{} of {candidates} candidates", p.count),
        _ => p.count.to_string(),
    };
    let check = match (p.redraw, lang) {
        (Redraw::Reproduced { .. }, Lang::Zh) => "以今日单位名录和此种子重抽，结果与本计划一致".to_string(),
        (Redraw::Reproduced { .. }, Lang::En) => {
            "drawing again with today's registry and this seed gives this plan".to_string()
        }
        (Redraw::RegistryChanged { candidates }, Lang::Zh) => {
            format!("单位名录自抽取后已有变动（今日候选单位 {candidates} 个），须以抽取当日的名录重抽")
        }
        (Redraw::RegistryChanged { candidates }, Lang::En) => format!(
            "the registry has changed since ({candidates} candidates today): redraw with the registry of the day of the draw"
        ),
    };
    let [l_id, l_domain, l_drawn, l_count, l_seed, l_check] = t.params;
    out.push_str("<table class=\"params\">\n");
    let _ = writeln!(
        out,
        "<tr><th>{l_id}</th><td>{}</td><th>{l_domain}</th><td>{}</td></tr>",
        escape(&p.id),
        escape(&p.domain_label(lang))
    );
    let _ = writeln!(
        out,
        "<tr><th>{l_drawn}</th><td>{}</td><th>{l_count}</th><td>{}</td></tr>",
        escape(&drawn),
        escape(&count)
    );
    let _ =
        writeln!(out, "<tr><th>{l_seed}</th><td class=\"seed\" colspan=\"3\">{}</td></tr>", escape(&p.seed));
    let _ = writeln!(out, "<tr><th>{l_check}</th><td colspan=\"3\">{}</td></tr>", escape(&check));
    out.push_str("</table>\n");
}

fn entry_row(out: &mut String, e: &Entry, lang: Lang) {
    let pending = matches!(e.outcome, Outcome::NotInspected | Outcome::InProgress);
    let date = e.date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    let _ = write!(
        out,
        "<tr{}><td class=\"n\">{}</td><td>{}</td><td class=\"code\">{}</td><td class=\"date\">{}</td>\
         <td class=\"result\">{}</td>",
        if pending { " class=\"pending\"" } else { "" },
        e.position,
        escape(&e.unit),
        escape(&e.code),
        escape(&date),
        escape(&e.outcome.label(lang))
    );
    for n in e.by_severity {
        let shown = if pending { String::new() } else { n.to_string() };
        let _ = write!(out, "<td class=\"count\">{shown}</td>");
    }
    out.push_str("</tr>\n");
}

fn results(out: &mut String, p: &PlanPart, lang: Lang, t: &Texts) {
    out.push_str("<table class=\"results\">\n<colgroup>");
    for class in ["n", "unit", "code", "date", "result", "sev", "sev", "sev"] {
        let _ = write!(out, "<col class=\"c-{class}\">");
    }
    out.push_str("</colgroup>\n<thead><tr>");
    for name in t.columns {
        let _ = write!(out, "<th>{name}</th>");
    }
    for s in Severity::ALL {
        let _ = write!(out, "<th class=\"sev\">{}</th>", s.label(lang));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for e in &p.entries {
        entry_row(out, e, lang);
    }
    out.push_str("</tbody>\n</table>\n");
}

fn summary(p: &PlanPart, lang: Lang) -> String {
    let [inspected, clean, ordered, rectified, pending] = tally(p);
    let drawn = p.entries.len();
    match lang {
        Lang::Zh => format!(
            "共抽取 {drawn} 个单位：已检查 {inspected} 个，其中未发现问题 {clean} 个、责令整改 {ordered} 个（已全部整改 {rectified} 个）；尚未检查或检查未完成 {pending} 个。"
        ),
        Lang::En => format!(
            "{drawn} units drawn: {inspected} inspected, {clean} without problems, {ordered} ordered to rectify ({rectified} fully rectified); {pending} not inspected or not finished."
        ),
    }
}

/// The publication as a complete HTML document in `lang`.
pub fn render_html(data: &Publication, lang: Lang) -> String {
    let t = match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    };
    let mut out = String::with_capacity(8192 + data.units() * 400);
    let _ =
        writeln!(out, "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">", t.html_lang);
    let _ = writeln!(out, "<title>{}</title>", escape(&title(data, lang)));
    let _ = writeln!(
        out,
        "<style>{}</style>\n</head>\n<body>\n<main class=\"page\">",
        CSS.replace("FONTS", FONTS)
    );
    if data.bureau.is_empty() {
        out.push_str("<p class=\"bureau\"><span class=\"blank\"></span></p>\n");
    } else {
        let _ = writeln!(out, "<p class=\"bureau\">{}</p>", escape(&data.bureau));
    }
    let _ = writeln!(out, "<h1>{}</h1>", t.title);
    let _ = writeln!(out, "<p class=\"issued\">{}{}</p>", t.issued, date_text(data.issued, lang));
    if let Some((from, to)) = data.period {
        let period = match lang {
            Lang::Zh => format!("{} 至 {} 抽取的抽查计划", date_text(from, lang), date_text(to, lang)),
            Lang::En => format!("Plans drawn from {from} to {to}"),
        };
        let _ = writeln!(out, "<p class=\"period\">{}</p>", escape(&period));
    }
    for p in &data.plans {
        out.push_str("<section class=\"plan\">\n");
        let heading = match lang {
            Lang::Zh => format!("{}抽查", p.domain_label(lang)),
            Lang::En => format!("{} inspections", p.domain_label(lang)),
        };
        let _ = writeln!(out, "<h2>{}</h2>", escape(&heading));
        params(&mut out, p, lang, t);
        results(&mut out, p, lang, t);
        let _ = writeln!(out, "<p class=\"summary\">{}</p>", escape(&summary(p, lang)));
        out.push_str("</section>\n");
    }
    let _ = writeln!(out, "<section class=\"notes\">\n<h2>{}</h2>", t.notes);
    for p in &data.plans {
        let _ = writeln!(out, "<p>{}</p>", escape(&plan_line(p, lang)));
    }
    let _ = writeln!(
        out,
        "<p>{}</p>\n<p>{}</p>\n</section>",
        escape(redraw_method(lang)),
        escape(result_rule(lang))
    );
    out.push_str("<div class=\"issuer\">");
    if !data.bureau.is_empty() {
        let _ = write!(out, "<p>{}</p>", escape(&data.bureau));
    }
    let _ = writeln!(out, "<p>{}</p></div>", date_text(data.issued, lang));
    out.push_str("</main>\n</body>\n</html>\n");
    out
}
