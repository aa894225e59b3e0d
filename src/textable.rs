//! Plain-text tables for command output, aligned by display width so Chinese columns line up.

use unicode_width::UnicodeWidthStr;

fn pad(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// Columns separated by two spaces; the last column is not padded. Cells are user data: their control
/// characters are shown escaped (an escape sequence in a site's name must not act on the terminal, and a
/// line break would break the table).
pub fn render(headers: &[&str], rows: &[Vec<String>]) -> String {
    let rows: Vec<Vec<String>> =
        rows.iter().map(|r| r.iter().map(|c| crate::shown::printable(c)).collect()).collect();
    let rows = rows.as_slice();
    let cols = headers.len();
    let mut widths: Vec<usize> = headers.iter().map(|h| UnicodeWidthStr::width(*h)).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(cols) {
            widths[i] = widths[i].max(UnicodeWidthStr::width(cell.as_str()));
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                out.push_str(cell);
            } else {
                out.push_str(&pad(cell, widths[i]));
                out.push_str("  ");
            }
        }
        out.trim_end().to_string()
    };
    let mut out = line(headers.to_vec());
    out.push('\n');
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn chinese_cells_align_by_display_width() {
        let text = super::render(
            &["编号", "名称", "镇街"],
            &[
                vec!["YL001".into(), "下原镇敬老院".into(), "下原镇".into()],
                vec!["32068001".into(), "投注站".into(), "如城街道".into()],
            ],
        );
        let lines: Vec<&str> = text.lines().collect();
        let col =
            |l: &str, needle: &str| unicode_width::UnicodeWidthStr::width(&l[..l.rfind(needle).unwrap()]);
        assert_eq!(col(lines[1], "下原镇敬老院"), col(lines[2], "投注站"));
        assert_eq!(col(lines[1], "下原镇"), col(lines[2], "如城街道"));
        assert_eq!(col(lines[0], "镇街"), col(lines[2], "如城街道"));
    }
}
