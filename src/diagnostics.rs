//! Rendering of source-located errors as `path:line:col: error: message`, followed by the source line and a
//! caret placed by annotate-snippets (which measures wide Chinese characters correctly).

use std::ops::Range;

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

use crate::i18n::Lang;

/// 1-based line and column (in characters) of a byte offset. Offsets inside a character or past the end are
/// clamped.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// One located error, ready to print.
pub struct Located<'a> {
    pub path: &'a str,
    pub source: &'a str,
    pub span: Range<usize>,
    pub message: String,
}

impl Located<'_> {
    pub fn header(&self, lang: Lang) -> String {
        let (line, col) = line_col(self.source, self.span.start);
        format!("{}:{}:{}: {}: {}", self.path, line, col, lang.pick("错误", "error"), self.message)
    }

    /// The header line, then the source excerpt with a caret under the span.
    pub fn render(&self, lang: Lang) -> String {
        let mut out = self.header(lang);
        out.push('\n');
        let span = clamp_span(self.source, &self.span);
        let report = &[Level::ERROR.no_name().primary_title("").element(
            Snippet::source(self.source).line_start(1).annotation(AnnotationKind::Primary.span(span)),
        )];
        let excerpt = Renderer::plain().render(report);
        out.push_str(excerpt.trim_end_matches('\n'));
        out
    }
}

/// Keeps a span on character boundaries, inside the source and on one line, so the caret is never misplaced.
fn clamp_span(source: &str, span: &Range<usize>) -> Range<usize> {
    let fix = |mut i: usize| {
        i = i.min(source.len());
        while !source.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = fix(span.start);
    let mut end = fix(span.end.max(span.start));
    if let Some(nl) = source[start..end].find('\n') {
        end = start + nl;
    }
    if end == start {
        // An empty span (for example at the end of a line): mark the character there, or nothing at EOF.
        end = source[start..]
            .chars()
            .next()
            .filter(|c| *c != '\n' && *c != '\r')
            .map_or(start, |c| start + c.len_utf8());
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let src = "a = 1\ntitle = \"养老\" x\n";
        let off = src.find('x').unwrap_or(0);
        assert_eq!(line_col(src, off), (2, 14));
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 10_000), (3, 1));
    }

    #[test]
    fn caret_sits_under_the_chinese_word() {
        let src = "title = \"养老机构\"\nseverty = \"重大\"\n";
        let start = src.find("重大").unwrap_or(0);
        let loc =
            Located {
                path: "x.toml", source: src, span: start..start + "重大".len(), message: "bad".into()
            };
        let text = loc.render(Lang::En);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "x.toml:2:12: error: bad");
        let src_line = lines.iter().find(|l| l.contains("severty")).copied().unwrap_or("");
        let caret_line = lines.iter().find(|l| l.contains('^')).copied().unwrap_or("");
        // Display columns: each Chinese character takes two cells.
        let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
        let word_col = width(&src_line[..src_line.find("重大").unwrap_or(0)]);
        let caret_col = caret_line.find('^').unwrap_or(0);
        assert_eq!(caret_col, word_col);
        assert_eq!(caret_line.matches('^').count(), 4);
    }

    #[test]
    fn spans_out_of_bounds_or_inside_a_character_do_not_panic() {
        let src = "养老";
        #[allow(clippy::reversed_empty_ranges)]
        for span in [0..100, 1..2, 5..1, 6..6] {
            let loc = Located { path: "p", source: src, span, message: String::new() };
            assert!(loc.render(Lang::Zh).starts_with("p:1:"));
        }
    }
}
