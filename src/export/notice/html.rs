//! The notice as one self-contained HTML page: inline print CSS for A4, fonts from the system only, no
//! network resource of any kind, every text escaped. A pure function of [`NoticeData`].

use std::fmt::Write;

use super::{NoticeData, NoticeItem};
use crate::i18n::Lang;

pub use crate::export::page::escape;

/// The notice's own rules, after the shared page rules ([`crate::export::page::css`]).
const CSS: &str = r#"
.number { text-align: right; }
.to { margin-top: 4mm; font-weight: bold; }
.lead, .closing { text-indent: 2em; }
.unit th { width: 28mm; white-space: nowrap; }
.items { table-layout: fixed; font-size: 10.5pt; line-height: 1.45; }
.items thead { display: table-header-group; }
.items th { text-align: center; vertical-align: middle; }
.items td.n, .items td.date, .items td.severity { text-align: center; }
.items .item { margin-bottom: 1mm; font-size: 9pt; color: #333; }
.items .hazard { font-weight: bold; }
col.c-n { width: 6%; } col.c-problem { width: 24%; } col.c-basis { width: 18%; } col.c-severity { width: 10%; }
col.c-requirement { width: 20%; } col.c-deadline { width: 13%; } col.c-responsible { width: 9%; }
.end { page-break-inside: avoid; break-inside: avoid; }
"#;

/// The page's fixed texts in one language.
struct Texts {
    html_lang: &'static str,
    title: &'static str,
    blank_number: &'static str,
    unit: &'static str,
    code: &'static str,
    town: &'static str,
    address: &'static str,
    contact: &'static str,
    phone: &'static str,
    date: &'static str,
    inspectors: &'static str,
    representative: &'static str,
    columns: [&'static str; 7],
    item: &'static str,
    closing: &'static str,
    hazard: &'static str,
    closing_end: &'static str,
    hereby: &'static str,
    inspector_sign: &'static str,
    unit_sign: &'static str,
    sign_date: &'static str,
    copies: &'static str,
    record: &'static str,
    names_sep: &'static str,
}

const ZH: Texts = Texts {
    html_lang: "zh-CN",
    title: "整改通知书",
    blank_number: "督整〔　　　〕第　　　号",
    unit: "被检查单位",
    code: "单位编号",
    town: "所属镇（街道）",
    address: "地址",
    contact: "联系人",
    phone: "联系电话",
    date: "检查日期",
    inspectors: "检查人员",
    representative: "现场负责人",
    columns: ["序号", "存在问题", "依据条款", "问题等级", "整改要求", "整改期限", "责任人"],
    item: "检查项目：",
    closing: "请你单位对上述问题高度重视，按照整改要求逐项落实整改，在各项整改期限届满前整改到位，并在整改完成后及时将整改情况书面报告我局（附整改前后照片等佐证材料）。整改期间应当采取有效防范措施，确保安全。",
    hazard: "属于重大事故隐患的，应当立即采取措施消除隐患；隐患排除前或者排除过程中无法保证安全的，应当停止使用相关场所、设施、设备。",
    closing_end: "逾期未整改或者整改不到位的，我局将依照有关法律、法规的规定处理。",
    hereby: "特此通知。",
    inspector_sign: "检查人员签名：",
    unit_sign: "被检查单位负责人签收：",
    sign_date: "日期：　　　　年　　月　　日",
    copies: "本通知书一式两份，被检查单位与检查机关各执一份。",
    record: "检查记录编号：",
    names_sep: "、",
};

const EN: Texts = Texts {
    html_lang: "en",
    title: "Rectification Notice",
    blank_number: "督整〔      〕第      号",
    unit: "Unit inspected",
    code: "Code",
    town: "Town",
    address: "Address",
    contact: "Contact",
    phone: "Phone",
    date: "Inspection date",
    inspectors: "Inspectors",
    representative: "Unit representative",
    columns: ["No.", "Problem found", "Basis", "Severity", "Requirement", "Deadline", "Responsible"],
    item: "Item: ",
    closing: "Please take these problems seriously, rectify each of them as required before its deadline, and report the rectification to the bureau in writing as soon as it is done (with photographs taken before and after as evidence). Take effective precautions to keep everyone safe in the meantime. ",
    hazard: "A major accident hazard must be eliminated at once; where safety cannot be ensured before or while it is eliminated, stop using the premises, facilities or equipment concerned. ",
    closing_end: "Problems not rectified by their deadline, or not rectified properly, will be dealt with in accordance with the applicable laws and regulations.",
    hereby: "Notice is hereby given.",
    inspector_sign: "Inspector's signature: ",
    unit_sign: "Received for the unit by (person in charge): ",
    sign_date: "Date: ____________________",
    copies: "This notice is made in duplicate: one copy for the unit inspected, one for the inspecting authority.",
    record: "Inspection record: ",
    names_sep: ", ",
};

fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// The opening paragraph: when, who, under which laws and standards (the checklist items' bases, not the
/// checklist's title, which is no regulation), how many problems.
fn lead(data: &NoticeData, lang: Lang, t: &Texts) -> String {
    let names = data.inspectors.join(t.names_sep);
    let count = data.items.len();
    match lang {
        Lang::Zh => {
            let date = data.date.format("%Y年%-m月%-d日");
            let basis = if data.bases.is_empty() {
                String::new()
            } else {
                format!("依据{}", data.bases.join("、"))
            };
            format!(
                "{date}，我局检查人员{names}{basis}对你单位进行了监督检查，发现存在下列问题（共{count}项）。现将问题及整改要求通知如下："
            )
        }
        Lang::En => {
            let date = data.date.format("%Y-%m-%d");
            let who = if names.is_empty() { String::new() } else { format!(" ({names})") };
            let basis = if data.bases.is_empty() {
                String::new()
            } else {
                format!(" under {}", data.bases.join("; "))
            };
            let problems = if count == 1 { "problem" } else { "problems" };
            format!(
                "On {date}, inspectors of the bureau{who} inspected your unit{basis} and found the following \
                 {count} {problems}. The problems and what is required are as follows:"
            )
        }
    }
}

/// A row of the unit table with one field across the row (the value is escaped here).
fn wide_row(out: &mut String, label: &str, value: &str) {
    let _ = writeln!(out, "<tr><th>{label}</th><td colspan=\"3\">{}</td></tr>", escape(value));
}

/// A row of the unit table with two fields side by side (the values are escaped here).
fn pair_row(out: &mut String, (l1, v1): (&str, &str), (l2, v2): (&str, &str)) {
    let _ =
        writeln!(out, "<tr><th>{l1}</th><td>{}</td><th>{l2}</th><td>{}</td></tr>", escape(v1), escape(v2));
}

fn unit_table(out: &mut String, data: &NoticeData, t: &Texts) {
    let u = &data.unit;
    out.push_str("<table class=\"unit\">\n");
    wide_row(out, t.unit, &u.name);
    pair_row(out, (t.code, &u.code), (t.town, &u.town));
    wide_row(out, t.address, &u.address);
    pair_row(out, (t.contact, &u.contact), (t.phone, &u.phone));
    if !data.representative.is_empty() {
        wide_row(out, t.representative, &data.representative);
    }
    let date = data.date.format("%Y-%m-%d").to_string();
    pair_row(out, (t.date, &date), (t.inspectors, &data.inspectors.join(t.names_sep)));
    out.push_str("</table>\n");
}

fn item_row(out: &mut String, n: usize, item: &NoticeItem, lang: Lang, t: &Texts) {
    let e = escape;
    let hazard = if item.major_hazard { " hazard" } else { "" };
    let _ = writeln!(
        out,
        "<tr><td class=\"n\">{n}</td><td><div class=\"item\">{}{}</div><div class=\"problem\">{}</div></td>\
         <td>{}</td><td class=\"severity{hazard}\">{}</td><td>{}</td><td class=\"date\">{}</td><td>{}</td></tr>",
        t.item,
        e(&item.item),
        e(&item.problem),
        e(&item.basis),
        e(&item.severity_label(lang)),
        e(&item.requirement),
        e(&item.deadline),
        e(&item.responsible)
    );
}

fn items_table(out: &mut String, data: &NoticeData, lang: Lang, t: &Texts) {
    out.push_str("<table class=\"items\">\n<colgroup>");
    for class in ["n", "problem", "basis", "severity", "requirement", "deadline", "responsible"] {
        let _ = write!(out, "<col class=\"c-{class}\">");
    }
    out.push_str("</colgroup>\n<thead><tr>");
    for name in t.columns {
        let _ = write!(out, "<th>{name}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (i, item) in data.items.iter().enumerate() {
        item_row(out, i + 1, item, lang, t);
    }
    out.push_str("</tbody>\n</table>\n");
}

/// The closing paragraphs, the seal, the signature lines and the footnote; kept on one page.
fn ending(out: &mut String, data: &NoticeData, lang: Lang, t: &Texts) {
    let hazard = if data.items.iter().any(|i| i.major_hazard) { t.hazard } else { "" };
    out.push_str("<div class=\"end\">\n");
    let _ = writeln!(out, "<p class=\"closing\">{}{hazard}{}</p>", t.closing, t.closing_end);
    let _ = writeln!(out, "<p class=\"closing\">{}</p>", t.hereby);
    out.push_str(&data.bureau.foot(lang));
    out.push_str("<table class=\"signatures\">\n");
    let line = "<span class=\"line\"></span>";
    for label in [t.inspector_sign, t.inspector_sign, t.unit_sign] {
        let _ = writeln!(out, "<tr><td>{label}{line}</td><td>{}</td></tr>", t.sign_date);
    }
    out.push_str("</table>\n");
    let _ = writeln!(out, "<p class=\"small\">{}</p>", t.copies);
    let _ = writeln!(out, "<p class=\"small\">{}{}</p>", t.record, escape(&data.inspection_id));
    out.push_str("</div>\n");
}

/// The notice as a complete HTML document in `lang`.
pub fn render_html(data: &NoticeData, lang: Lang) -> String {
    let t = texts(lang);
    let number = data.number.as_deref().map(escape);
    let mut out = String::with_capacity(8192 + data.items.len() * 1024);
    let _ =
        writeln!(out, "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">", t.html_lang);
    let _ = writeln!(
        out,
        "<title>{} {} {}</title>",
        t.title,
        number.as_deref().unwrap_or_default(),
        escape(&data.unit.name)
    );
    let _ = writeln!(
        out,
        "<style>{}</style>\n</head>\n<body>\n<main class=\"sheet notice\">",
        crate::export::page::css(CSS)
    );
    out.push_str(&data.bureau.head());
    let _ = writeln!(out, "<h1>{}</h1>", t.title);
    match &number {
        Some(n) => {
            let _ = writeln!(out, "<p class=\"number\">{n}</p>");
        }
        None => {
            let _ = writeln!(out, "<p class=\"number blank\">{}</p>", t.blank_number);
        }
    }
    let _ = writeln!(out, "<p class=\"to\">{}{}</p>", escape(&data.unit.name), lang.pick("：", ":"));
    let _ = writeln!(out, "<p class=\"lead\">{}</p>", escape(&lead(data, lang, t)));
    unit_table(&mut out, data, t);
    items_table(&mut out, data, lang, t);
    ending(&mut out, data, lang, t);
    out.push_str("</main>\n</body>\n</html>\n");
    out
}
