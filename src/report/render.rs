//! Writing helpers shared by the reports: Markdown tables and CSV for Excel.

use super::ReportError;

/// A Markdown table; `|` in cells is escaped and line breaks become spaces.
pub fn markdown_table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace(['\r', '\n'], " ");
    let mut out = String::new();
    out.push_str("| ");
    out.push_str(&headers.iter().map(|h| cell(h)).collect::<Vec<_>>().join(" | "));
    out.push_str(" |\n|");
    out.push_str(&headers.iter().map(|_| "---|").collect::<String>());
    out.push('\n');
    for row in rows {
        out.push_str("| ");
        out.push_str(&row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | "));
        out.push_str(" |\n");
    }
    out
}

/// A CSV file as Excel and WPS on Chinese Windows read it: UTF-8 with a byte-order mark (without one they
/// show Chinese as garbage) and CRLF line ends.
pub fn csv_bytes(headers: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, ReportError> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        w.write_record(headers)?;
        for row in rows {
            w.write_record(row)?;
        }
        w.flush().map_err(csv::Error::from)?;
    }
    Ok(out)
}

/// Indents every line of `text` by two spaces.
pub fn indent(text: &str) -> String {
    text.lines().map(|l| if l.is_empty() { "\n".to_string() } else { format!("  {l}\n") }).collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    #[test]
    fn csv_starts_with_a_bom_and_ends_lines_with_crlf() {
        let bytes = super::csv_bytes(&["镇街", "n"], &[vec!["如城街道".into(), "1".into()]]).unwrap();
        assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
        assert_eq!(String::from_utf8(bytes[3..].to_vec()).unwrap(), "镇街,n\r\n如城街道,1\r\n");
    }

    #[test]
    fn markdown_cells_escape_pipes() {
        let t = super::markdown_table(&["a", "b"], &[vec!["x|y".into(), "z".into()]]);
        assert_eq!(t, "| a | b |\n|---|---|\n| x\\|y | z |\n");
    }
}
