//! Rendering of source-located errors as `path:line:col: error: message`, followed by the source line and a
//! caret placed by annotate-snippets (which measures wide Chinese characters correctly).
//!
//! Positions come from a [`LineIndex`] built once per file, and only the line of the error (cut around the
//! span when it is long) is given to annotate-snippets, so showing an error costs the length of its line,
//! not of the file: a file with thousands of errors is not checked in quadratic time.

use std::ops::Range;

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

use crate::i18n::Lang;
use crate::shown::printable;

/// How many characters of a long source line are shown on each side of the error.
const CONTEXT_CHARS: usize = 80;

/// The byte offsets where the lines of a source start, for line/column look-ups in O(log lines).
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(source: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(source.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based line and column (in characters) of a byte offset of `source` (the text the index was built
    /// from). Offsets inside a character or past the end are clamped.
    pub fn line_col(&self, source: &str, offset: usize) -> (usize, usize) {
        let offset = floor_boundary(source, offset);
        let line = self.starts.partition_point(|s| *s <= offset).max(1);
        let start = self.starts[line - 1].min(offset);
        (line, source[start..offset].chars().count() + 1)
    }

    /// The byte range of line `line` (1-based) without its line break.
    fn line_range(&self, source: &str, line: usize) -> Range<usize> {
        let start =
            self.starts.get(line.saturating_sub(1)).copied().unwrap_or(source.len()).min(source.len());
        let end = self.starts.get(line).map_or(source.len(), |next| next.saturating_sub(1)).max(start);
        let end = if source[..end].ends_with('\r') { end - 1 } else { end };
        start..end.max(start)
    }
}

fn floor_boundary(source: &str, offset: usize) -> usize {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// 1-based line and column (in characters) of a byte offset. Offsets inside a character or past the end are
/// clamped. For many look-ups in one text, build a [`LineIndex`] once instead.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(source).line_col(source, offset)
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
        self.header_with(&LineIndex::new(self.source), lang)
    }

    /// The header line, using a line index of the source built by the caller.
    pub fn header_with(&self, index: &LineIndex, lang: Lang) -> String {
        let (line, col) = index.line_col(self.source, self.span.start);
        let path = printable(self.path);
        format!("{path}:{line}:{col}: {}: {}", lang.pick("错误", "error"), self.message)
    }

    /// The header line, then the source excerpt with a caret under the span.
    pub fn render(&self, lang: Lang) -> String {
        self.render_with(&LineIndex::new(self.source), lang)
    }

    /// [`Located::render`] with a line index of the source built by the caller.
    pub fn render_with(&self, index: &LineIndex, lang: Lang) -> String {
        let mut out = self.header_with(index, lang);
        out.push('\n');
        let span = clamp_span(self.source, &self.span);
        let (line, _) = index.line_col(self.source, span.start);
        let (text, span) = excerpt(self.source, index.line_range(self.source, line), span);
        let report = &[Level::ERROR
            .no_name()
            .primary_title("")
            .element(Snippet::source(&text).line_start(line).annotation(AnnotationKind::Primary.span(span)))];
        let excerpt = Renderer::plain().render(report);
        out.push_str(excerpt.trim_end_matches('\n'));
        out
    }
}

/// The shown form of one source line and where the span falls in it: control characters escaped (a raw
/// escape sequence in a file must not reach the terminal either), and a long line cut to
/// [`CONTEXT_CHARS`] characters each side of the span's start, marked with `…`.
fn excerpt(source: &str, line: Range<usize>, span: Range<usize>) -> (String, Range<usize>) {
    let text = &source[line.clone()];
    let start = span.start.clamp(line.start, line.end) - line.start;
    let end = span.end.clamp(line.start, line.end) - line.start;
    let from = text[..start].char_indices().rev().nth(CONTEXT_CHARS).map_or(0, |(i, _)| i);
    let to = text[end..].char_indices().nth(CONTEXT_CHARS).map_or(text.len(), |(i, _)| end + i);
    let lead = if from > 0 { "…" } else { "" };
    let shown_start = lead.len() + printable(&text[from..start]).len();
    let shown_span = printable(&text[start..end]).len();
    let shown = format!("{lead}{}{}", printable(&text[from..to]), if to < text.len() { "…" } else { "" });
    (shown, shown_start..shown_start + shown_span)
}

/// Keeps a span on character boundaries, inside the source and on one line, so the caret is never misplaced.
fn clamp_span(source: &str, span: &Range<usize>) -> Range<usize> {
    let start = floor_boundary(source, span.start);
    let mut end = floor_boundary(source, span.end.max(span.start));
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
    fn the_index_agrees_with_a_scan_on_every_offset() {
        let src = "a = 1\r\n养老 = \"x\"\n\nlast";
        let index = LineIndex::new(src);
        for offset in 0..src.len() + 3 {
            let o = floor_boundary(src, offset);
            let before = &src[..o];
            let line = before.matches('\n').count() + 1;
            let col = before[before.rfind('\n').map_or(0, |i| i + 1)..].chars().count() + 1;
            assert_eq!(index.line_col(src, offset), (line, col), "offset {offset}");
        }
    }

    #[test]
    fn a_long_line_is_cut_around_the_span_and_escapes_are_shown_escaped() {
        let src = format!("{}\u{1b}]0;HACKED\u{7} = 1\n", "k".repeat(10_000));
        let at = src.find('\u{1b}').unwrap_or(0);
        let loc = Located { path: "p\u{1b}[2J", source: &src, span: at..at + 1, message: "m".into() };
        let text = loc.render(Lang::En);
        assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'), "{text}");
        assert!(text.starts_with("p\\u{1b}[2J:1:10001: error: m"), "{text}");
        assert!(text.len() < 1000, "{}", text.len());
        let caret = text.lines().find(|l| l.contains('^')).unwrap_or("");
        assert_eq!(caret.matches('^').count(), "\\u{1b}".len());
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
