//! What every printed document (整改通知书, 现场检查记录, 值班记录) shares: HTML escaping, the system fonts, the
//! A4 page rules, and the bureau's letterhead at the head and its seal line at the foot. One self-contained
//! page each: no network resource of any kind.

use std::fmt::Write;

use crate::i18n::Lang;

/// `text` safe to place in HTML text and in quoted attribute values: `& < > " '` become character
/// references, and control characters other than line feed and tab (which HTML forbids) are dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Serif CJK faces found on Windows, macOS and Linux, so the page prints with the system's fonts.
pub const FONTS: &str = r#""SimSun", "宋体", "Songti SC", "STSong", "Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", serif"#;

/// The rules every document starts with: A4 paper, system fonts, a white sheet on a grey screen, bordered
/// tables whose rows do not split across pages, the letterhead, the seal line and signature lines.
/// `.sheet` is the printed area.
const BASE_CSS: &str = r#"
@page { size: A4; margin: 20mm 18mm 18mm 18mm; }
* { box-sizing: border-box; }
html { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
body { margin: 0; font-family: FONTS; font-size: 12pt; line-height: 1.6; color: #000; background: #fff; }
.sheet { max-width: 174mm; margin: 0 auto; }
@media screen {
  body { background: #e8e8e8; }
  .sheet { max-width: 210mm; margin: 8mm auto; padding: 20mm 18mm; background: #fff; box-shadow: 0 0 3mm #999; }
}
h1 { margin: 0 0 2mm; font-size: 22pt; font-weight: bold; text-align: center; letter-spacing: 0.5em; }
html[lang="en"] h1 { letter-spacing: normal; }
p { margin: 0 0 3mm; }
table { width: 100%; border-collapse: collapse; margin: 0 0 5mm; }
th, td { border: 0.75pt solid #000; padding: 1.5mm; vertical-align: top; text-align: left; white-space: pre-wrap; overflow-wrap: anywhere; }
th { font-weight: bold; background: #f2f2f2; }
tr { page-break-inside: avoid; break-inside: avoid; }
.letterhead { margin: 0 0 3mm; text-align: center; font-size: 16pt; font-weight: bold; letter-spacing: 0.2em; }
.letterhead.blank { margin: 0 auto 3mm; width: 70mm; height: 9mm; border-bottom: 0.75pt solid #000; }
.issuer { margin: 6mm 0 4mm auto; width: 70mm; text-align: center; }
.issuer p { margin: 0 0 2mm; }
.issuer .blank { display: inline-block; width: 40mm; border-bottom: 0.75pt solid #000; }
.signatures { margin-top: 4mm; }
.signatures td { border: none; padding: 5mm 0 0; white-space: nowrap; }
.line { display: inline-block; width: 42mm; border-bottom: 0.75pt solid #000; }
.small { font-size: 9pt; color: #333; }
"#;

/// The base rules followed by a document's own.
pub fn css(own: &str) -> String {
    format!("{}{own}", BASE_CSS.replace("FONTS", FONTS))
}

/// The bureau as a document prints it: its name at the head, its seal line at the foot.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Letterhead {
    /// Empty while no admin has set `bureau.name`: the page keeps a blank line for it.
    pub name: String,
    /// [`crate::bureau::Bureau::seal_line`]: the name and the seal hint (`如皋市民政局（盖章）`); the hint alone
    /// while the name is unset.
    pub seal_line: String,
}

impl Letterhead {
    pub fn of(bureau: &crate::bureau::Bureau) -> Self {
        Letterhead { name: bureau.name.clone(), seal_line: bureau.seal_line() }
    }

    /// The bureau's settings in force on `conn`.
    pub fn load(conn: &rusqlite::Connection) -> crate::store::Result<Self> {
        Ok(Letterhead::of(&crate::bureau::load(conn)?))
    }

    /// The bureau's name at the head of the page, or a blank line to write it in by hand.
    pub fn head(&self) -> String {
        if self.name.is_empty() {
            "<div class=\"letterhead blank\"></div>\n".to_string()
        } else {
            format!("<div class=\"letterhead\">{}</div>\n", escape(&self.name))
        }
    }

    /// The seal line at the foot, with a blank before the seal hint while the name is unset, and the date
    /// line under it.
    pub fn foot(&self, lang: Lang) -> String {
        let line = if self.name.is_empty() {
            format!("<span class=\"blank\"></span>{}", escape(&self.seal_line))
        } else {
            escape(&self.seal_line)
        };
        let date = lang.pick("　　　　年　　月　　日", "Date: ____________________");
        let mut out = String::new();
        let _ = writeln!(out, "<div class=\"issuer\"><p>{line}</p><p>{date}</p></div>");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_quotes_and_controls() {
        assert_eq!(escape("a\"b'c\u{0}\nd<&>"), "a&quot;b&#39;c\nd&lt;&amp;&gt;");
    }

    #[test]
    fn the_letterhead_keeps_a_blank_line_while_the_name_is_unset() {
        let set = Letterhead {
            name: "如皋市<民政局>".into(), seal_line: "如皋市<民政局>（盖章）".into()
        };
        assert_eq!(set.head(), "<div class=\"letterhead\">如皋市&lt;民政局&gt;</div>\n");
        assert!(set.foot(Lang::Zh).contains("<p>如皋市&lt;民政局&gt;（盖章）</p>"), "{}", set.foot(Lang::Zh));
        let unset = Letterhead { name: String::new(), seal_line: "（盖章）".into() };
        assert_eq!(unset.head(), "<div class=\"letterhead blank\"></div>\n");
        assert!(unset.foot(Lang::Zh).contains("<span class=\"blank\"></span>（盖章）"));
    }
}
