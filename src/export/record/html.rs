//! The record as one self-contained HTML page: the shared page rules ([`crate::export::page`]), a running
//! head repeated on every printed page (the page is one table whose `thead` the browser repeats), every
//! text escaped. A pure function of [`RecordData`].

use std::fmt::Write;

use super::{Form, Group, ItemRow, Officer, RecordData, SectionBlock};
use crate::export::page::{css, escape};
use crate::i18n::Lang;
use crate::inspection::SignOff;

/// The record's own rules, after the shared page rules.
const CSS: &str = r#"
table.page { margin: 0; border: none; table-layout: fixed; }
.signatures td { white-space: normal; }
.signatures td:last-child { width: 30%; white-space: nowrap; }
.signatures .line { width: 32mm; }
table.page > thead > tr > td, table.page > tbody > tr > td { border: none; padding: 0; white-space: normal; }
table.page > tbody > tr { page-break-inside: auto; break-inside: auto; }
table.page > thead { display: table-header-group; }
.running { display: flex; justify-content: space-between; gap: 4mm; margin: 0 0 3mm; padding-bottom: 1mm; border-bottom: 0.75pt solid #000; font-size: 9pt; color: #333; }
.number { text-align: right; }
h2 { margin: 5mm 0 2mm; font-size: 13pt; }
h3 { margin: 3mm 0 1.5mm; font-size: 12pt; }
h4 { margin: 2mm 0 1mm; font-size: 11pt; font-weight: normal; }
h2, h3, h4 { page-break-after: avoid; break-after: avoid; }
.facts { table-layout: fixed; }
.facts col.c-label { width: 17%; } .facts col.c-value { width: 33%; }
.facts th { white-space: nowrap; }
.items, .failures, .amendments { table-layout: fixed; font-size: 10.5pt; line-height: 1.45; }
.items thead, .failures thead, .amendments thead { display: table-header-group; }
.items th, .failures th, .amendments th { text-align: center; vertical-align: middle; }
td.n, td.result, td.date { text-align: center; }
tr.fail td.result { font-weight: bold; }
.evidence { font-size: 9pt; }
.items col.c-n { width: 6%; } .items col.c-prompt { width: 32%; } .items col.c-answer { width: 18%; }
.items col.c-result { width: 10%; } .items col.c-note { width: 16%; } .items col.c-evidence { width: 18%; }
.failures col.c-n { width: 6%; } .failures col.c-problem { width: 28%; } .failures col.c-basis { width: 22%; }
.failures col.c-severity { width: 10%; } .failures col.c-requirement { width: 22%; } .failures col.c-deadline { width: 12%; }
.amendments col.c-item { width: 30%; } .amendments col.c-answer { width: 18%; } .amendments col.c-reason { width: 28%; }
.amendments col.c-by { width: 10%; } .amendments col.c-at { width: 14%; }
.end { page-break-inside: avoid; break-inside: avoid; }
.refused { font-weight: bold; }
"#;

fn title(form: Form, lang: Lang) -> &'static str {
    match form {
        Form::Inspection => lang.pick("现场检查记录", "On-site Inspection Record"),
        Form::DutyShift => lang.pick("值班记录", "Duty Shift Record"),
    }
}

fn blank_number(lang: Lang) -> &'static str {
    lang.pick("督记〔　　　〕第　　　号", "督记〔      〕第      号")
}

/// The line repeated at the top of every printed page: bureau, document, number, unit.
fn running_head(out: &mut String, data: &RecordData, lang: Lang) {
    let number = data.number.as_deref().map_or_else(|| blank_number(lang).to_string(), escape);
    let _ = writeln!(
        out,
        "<div class=\"running\"><span>{} {}</span><span>{number}</span><span>{}</span></div>",
        escape(&data.bureau.name),
        title(data.form, lang),
        escape(&data.unit.name)
    );
}

/// The certificate number as printed after a name on an enforcement record; `None` on other records.
fn cert(o: &Officer, enforcement: bool, lang: Lang) -> Option<String> {
    match (&o.cert, enforcement) {
        (Some(cert), true) => Some(format!("{}{cert}", lang.pick("执法证号：", "certificate "))),
        (None, true) => Some(lang.pick("执法证号：未登记", "no certificate registered").to_string()),
        (_, false) => None,
    }
}

/// `王芳（执法证号：…）` in the list of inspectors.
fn officer(o: &Officer, enforcement: bool, lang: Lang) -> String {
    match cert(o, enforcement, lang) {
        Some(c) => format!("{}{}{c}{}", o.name, lang.pick("（", " ("), lang.pick("）", ")")),
        None => o.name.clone(),
    }
}

fn wide_row(out: &mut String, label: &str, value: &str) {
    let _ = writeln!(out, "<tr><th>{label}</th><td colspan=\"3\">{}</td></tr>", escape(value));
}

fn pair_row(out: &mut String, (l1, v1): (&str, &str), (l2, v2): (&str, &str)) {
    let _ =
        writeln!(out, "<tr><th>{l1}</th><td>{}</td><th>{l2}</th><td>{}</td></tr>", escape(v1), escape(v2));
}

/// The unit, the checklist, the times and the inspectors (for a shift: the shift and its officers).
fn facts(out: &mut String, data: &RecordData, lang: Lang) {
    let u = &data.unit;
    let p = |zh, en| lang.pick(zh, en);
    let sep = p("、", ", ");
    out.push_str("<table class=\"facts\">\n<colgroup>");
    for class in ["label", "value", "label", "value"] {
        let _ = write!(out, "<col class=\"c-{class}\">");
    }
    out.push_str("</colgroup>\n");
    let unit = match data.form {
        Form::Inspection => p("被检查单位", "Unit inspected"),
        Form::DutyShift => p("值班单位", "Station"),
    };
    wide_row(out, unit, &u.name);
    pair_row(out, (p("单位编号", "Code"), &u.code), (p("所属镇（街道）", "Town"), &u.town));
    wide_row(out, p("地址", "Address"), &u.address);
    pair_row(out, (p("联系人", "Contact"), &u.contact), (p("联系电话", "Phone"), &u.phone));
    let c = &data.checklist;
    let checklist = match lang {
        Lang::Zh => format!("{}（第 {} 版，校验码 {}）", c.title, c.version, c.hash),
        Lang::En => format!("{} (version {}, hash {})", c.title, c.version, c.hash),
    };
    pair_row(out, (p("检查领域", "Domain"), &data.domain), (p("检查表", "Checklist"), &checklist));
    pair_row(
        out,
        (p("开始时间", "Started"), &data.started_at),
        (p("提交时间", "Submitted"), &data.submitted_at),
    );
    match &data.shift {
        Some(shift) => {
            let span = format!("{} — {}", shift.start, shift.end);
            pair_row(out, (p("班次", "Shift"), &span), (p("值班人员", "On duty"), &shift.officers));
        }
        None => {
            let names: Vec<String> =
                data.inspectors.iter().map(|o| officer(o, data.enforcement, lang)).collect();
            wide_row(out, p("检查人员", "Inspectors"), &names.join(sep));
        }
    }
    out.push_str("</table>\n");
}

fn item_row(out: &mut String, n: usize, row: &ItemRow, lang: Lang) {
    let evidence: Vec<String> = row
        .evidence
        .iter()
        .map(|e| {
            format!(
                "{}{}{}{}",
                escape(&e.name),
                lang.pick("（SHA-256 ", " (SHA-256 "),
                e.sha,
                lang.pick("）", ")")
            )
        })
        .collect();
    let class = if row.failed { " class=\"fail\"" } else { "" };
    let _ = writeln!(
        out,
        "<tr{class}><td class=\"n\">{n}</td><td>{}</td><td>{}</td><td class=\"result\">{}</td><td>{}</td>\
         <td class=\"evidence\">{}</td></tr>",
        escape(&row.prompt),
        escape(&row.answer),
        escape(&row.result),
        escape(&row.note),
        evidence.join("<br>")
    );
}

fn group_table(out: &mut String, group: &Group, lang: Lang) {
    if let Some(name) = &group.name {
        let _ = writeln!(out, "<h4>{}</h4>", escape(name));
    }
    out.push_str("<table class=\"items\">\n<colgroup>");
    for class in ["n", "prompt", "answer", "result", "note", "evidence"] {
        let _ = write!(out, "<col class=\"c-{class}\">");
    }
    out.push_str("</colgroup>\n<thead><tr>");
    let heads = match lang {
        Lang::Zh => ["序号", "检查项目", "检查情况", "结果", "备注", "证据（文件及校验码）"],
        Lang::En => ["No.", "Item", "Answer", "Result", "Note", "Evidence (file, hash)"],
    };
    for h in heads {
        let _ = write!(out, "<th>{h}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (i, row) in group.rows.iter().enumerate() {
        item_row(out, i + 1, row, lang);
    }
    out.push_str("</tbody>\n</table>\n");
}

fn section(out: &mut String, n: usize, block: &SectionBlock, lang: Lang) {
    let _ = writeln!(out, "<h3>{n}. {}</h3>", escape(&block.title));
    if block.groups.is_empty() {
        let label = block.repeat_label.as_deref().unwrap_or_default();
        let none = match lang {
            Lang::Zh => format!("（本次无{}记录）", if label.is_empty() { "重复" } else { label }),
            Lang::En => "(none recorded)".to_string(),
        };
        let _ = writeln!(out, "<p>{}</p>", escape(&none));
    }
    for group in &block.groups {
        group_table(out, group, lang);
    }
}

fn failures(out: &mut String, data: &RecordData, lang: Lang) {
    let _ = writeln!(out, "<h2>{}</h2>", lang.pick("发现的问题", "Problems found"));
    if data.failures.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", lang.pick("本次检查未发现问题。", "No problem was found."));
        return;
    }
    out.push_str("<table class=\"failures\">\n<colgroup>");
    for class in ["n", "problem", "basis", "severity", "requirement", "deadline"] {
        let _ = write!(out, "<col class=\"c-{class}\">");
    }
    out.push_str("</colgroup>\n<thead><tr>");
    let heads = match lang {
        Lang::Zh => ["序号", "存在问题", "依据条款", "问题等级", "整改要求", "整改期限"],
        Lang::En => ["No.", "Problem found", "Basis", "Severity", "Requirement", "Deadline"],
    };
    for h in heads {
        let _ = write!(out, "<th>{h}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (i, f) in data.failures.iter().enumerate() {
        let _ = writeln!(
            out,
            "<tr><td class=\"n\">{}</td><td><div class=\"small\">{}</div>{}</td><td>{}</td><td class=\"result\">{}</td>\
             <td>{}</td><td class=\"date\">{}</td></tr>",
            i + 1,
            escape(&f.item),
            escape(&f.problem),
            escape(&f.basis),
            escape(&f.severity_label(lang)),
            escape(&f.requirement),
            escape(&f.deadline)
        );
        if !f.fix_evidence.is_empty() {
            let _ = writeln!(
                out,
                "<tr class=\"fix\"><td></td><td colspan=\"5\"><span class=\"small\">{}</span>{}</td></tr>",
                lang.pick("整改证据：", "Proof of the fix: "),
                escape(&f.fix_evidence.join(lang.pick("；", "; ")))
            );
        }
    }
    out.push_str("</tbody>\n</table>\n");
}

fn score(out: &mut String, data: &RecordData, lang: Lang) {
    let Some(s) = data.score else { return };
    let _ = writeln!(out, "<h2>{}</h2>", lang.pick("合规得分", "Compliance score"));
    let text = match lang {
        Lang::Zh => format!(
            "{:.1} 分（合格 {} 项，不合格 {} 项；不适用 {} 项不计入）。得分 = 合格项 ÷（合格项 + 不合格项）× 100。",
            s.percent, s.passed, s.failed, s.not_applicable
        ),
        Lang::En => format!(
            "{:.1} ({} passed, {} failed; {} not applicable, not counted). Score = passed ÷ (passed + failed) × 100.",
            s.percent, s.passed, s.failed, s.not_applicable
        ),
    };
    let _ = writeln!(out, "<p>{text}</p>");
}

fn amendments(out: &mut String, data: &RecordData, lang: Lang) {
    let _ = writeln!(out, "<h2>{}</h2>", lang.pick("提交后的修改", "Amendments after submitting"));
    if data.amendments.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", lang.pick("提交后未作修改。", "None."));
        return;
    }
    out.push_str("<table class=\"amendments\">\n<colgroup>");
    for class in ["item", "answer", "reason", "by", "at"] {
        let _ = write!(out, "<col class=\"c-{class}\">");
    }
    out.push_str("</colgroup>\n<thead><tr>");
    let heads = match lang {
        Lang::Zh => ["检查项目（修订）", "修改为", "修改原因", "修改人", "修改时间"],
        Lang::En => ["Item (revision)", "Changed to", "Reason", "By", "At"],
    };
    for h in heads {
        let _ = write!(out, "<th>{h}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for a in &data.amendments {
        let _ = writeln!(
            out,
            "<tr><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"date\">{}</td></tr>",
            escape(&a.item),
            match lang {
                Lang::Zh => format!("（修订号 {}）", a.revision),
                Lang::En => format!(" (revision {})", a.revision),
            },
            escape(&a.answer),
            escape(&a.reason),
            escape(&a.by),
            escape(&a.at)
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

const LINE: &str = "<span class=\"line\"></span>";

fn sign_row(out: &mut String, label: &str, after: &str, lang: Lang) {
    let date = lang.pick("日期：　　　　年　　月　　日", "Date: ____________________");
    let _ = writeln!(out, "<tr><td>{label}{LINE}{after}</td><td>{date}</td></tr>");
}

/// The signature lines: each inspector (or officer), then the unit's representative — or the refusal to
/// sign with a witness line; for a shift, the incoming officers.
fn signatures(out: &mut String, data: &RecordData, lang: Lang) {
    out.push_str("<table class=\"signatures\">\n");
    let duty = data.form == Form::DutyShift;
    for o in &data.inspectors {
        let label = if duty {
            lang.pick("交班人员签名：", "Outgoing officer: ")
        } else {
            lang.pick("检查人员签名：", "Inspector: ")
        };
        let named = match cert(o, data.enforcement, lang) {
            Some(c) => format!("{}{}{c}", o.name, lang.pick("，", ", ")),
            None => o.name.clone(),
        };
        let after = format!("{}{}{}", lang.pick("（", " ("), escape(&named), lang.pick("）", ")"));
        sign_row(out, label, &after, lang);
    }
    match (&data.shift, &data.sign_off) {
        (Some(shift), _) => {
            let named = if shift.incoming.is_empty() {
                lang.pick("（未签字交接）", " (handover not signed)").to_string()
            } else {
                format!("{}{}{}", lang.pick("（", " ("), escape(&shift.incoming), lang.pick("）", ")"))
            };
            sign_row(out, lang.pick("接班人员签名：", "Incoming officer: "), &named, lang);
        }
        (None, Some(SignOff::Refused(name))) => {
            let who = if name.is_empty() { String::new() } else { escape(name) };
            let _ = writeln!(
                out,
                "<tr><td colspan=\"2\" class=\"refused\">{}{who}{}</td></tr>",
                lang.pick("被检查单位代表：", "Unit representative: "),
                lang.pick("（拒签）拒绝在本记录上签字", " (拒签) refused to sign this record")
            );
            sign_row(out, lang.pick("见证人签名：", "Witness: "), "", lang);
        }
        (None, Some(SignOff::Signed(name))) => {
            let after = format!("{}{}{}", lang.pick("（", " ("), escape(name), lang.pick("）", ")"));
            sign_row(out, lang.pick("被检查单位代表签名：", "Unit representative: "), &after, lang);
        }
        (None, None) => sign_row(out, lang.pick("被检查单位代表签名：", "Unit representative: "), "", lang),
    }
    out.push_str("</table>\n");
}

/// The record as a complete HTML document in `lang`.
pub fn render_html(data: &RecordData, lang: Lang) -> String {
    let doc = title(data.form, lang);
    let number = data.number.as_deref().map(escape);
    let mut out = String::with_capacity(16384);
    let html_lang = lang.pick("zh-CN", "en");
    let _ = writeln!(out, "<!DOCTYPE html>\n<html lang=\"{html_lang}\">\n<head>\n<meta charset=\"utf-8\">");
    let _ = writeln!(
        out,
        "<title>{doc} {} {}</title>",
        number.as_deref().unwrap_or_default(),
        escape(&data.unit.name)
    );
    let _ = writeln!(out, "<style>{}</style>\n</head>\n<body>\n<main class=\"sheet record\">", css(CSS));
    out.push_str("<table class=\"page\">\n<thead><tr><td>\n");
    running_head(&mut out, data, lang);
    out.push_str("</td></tr></thead>\n<tbody><tr><td>\n");
    out.push_str(&data.bureau.head());
    let _ = writeln!(out, "<h1>{doc}</h1>");
    match &number {
        Some(n) => {
            let _ = writeln!(out, "<p class=\"number\">{n}</p>");
        }
        None => {
            let _ = writeln!(out, "<p class=\"number blank\">{}</p>", blank_number(lang));
        }
    }
    facts(&mut out, data, lang);
    let items = match data.form {
        Form::Inspection => lang.pick("检查情况", "Items"),
        Form::DutyShift => lang.pick("值班情况", "The shift"),
    };
    let _ = writeln!(out, "<h2>{items}</h2>");
    for (i, block) in data.sections.iter().enumerate() {
        section(&mut out, i + 1, block, lang);
    }
    failures(&mut out, data, lang);
    score(&mut out, data, lang);
    amendments(&mut out, data, lang);
    if let Some(handover) = data.shift.as_ref().and_then(|s| s.handover.as_ref()) {
        let _ = writeln!(out, "<h2>{}</h2>", escape(&handover.title));
        for group in &handover.groups {
            group_table(&mut out, group, lang);
        }
    }
    out.push_str("<div class=\"end\">\n");
    signatures(&mut out, data, lang);
    out.push_str(&data.bureau.foot(lang));
    let _ = writeln!(
        out,
        "<p class=\"small\">{}{}</p>",
        lang.pick("检查记录编号：", "Inspection record: "),
        escape(&data.inspection_id)
    );
    out.push_str("</div>\n</td></tr></tbody>\n</table>\n</main>\n</body>\n</html>\n");
    out
}
