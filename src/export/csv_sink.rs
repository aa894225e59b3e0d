//! CSV as Excel and WPS on Chinese Windows read it: RFC 4180 quoting, CRLF line ends, UTF-8 with a
//! byte-order mark unless asked not to (without one they show Chinese as garbage), and the OWASP guard
//! against formula injection: a text cell that begins with `=`, `+`, `-`, `@`, a TAB or a CR gets a leading
//! `'` so the spreadsheet shows it as text instead of running it. Plain numbers (`-5`, `+3.5`) are left as
//! they are.

use std::io::Write;

use super::{Cell, ExportError, Result, Sink};

pub struct CsvSink<W: Write> {
    writer: csv::Writer<W>,
}

impl<W: Write> CsvSink<W> {
    /// A CSV writer on `out`, which gets the byte-order mark at once when `bom` is set.
    pub fn new(mut out: W, bom: bool) -> Result<CsvSink<W>> {
        if bom {
            out.write_all(b"\xEF\xBB\xBF").map_err(csv::Error::from)?;
        }
        let writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
        Ok(CsvSink { writer })
    }

    pub fn into_inner(self) -> Result<W> {
        self.writer.into_inner().map_err(|e| ExportError::Csv(csv::Error::from(e.into_error())))
    }
}

/// Whether `text` is a plain number, which the guard leaves alone.
fn plain_number(text: &str) -> bool {
    !text.is_empty() && text.trim() == text && text.parse::<f64>().is_ok_and(f64::is_finite)
}

/// `text` made safe to open in a spreadsheet (see the module comment).
pub fn guard(text: &str) -> std::borrow::Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !plain_number(text) { format!("'{text}").into() } else { text.into() }
}

impl<W: Write> Sink for CsvSink<W> {
    fn header(&mut self, names: &[&str]) -> Result<()> {
        self.writer.write_record(names)?;
        Ok(())
    }

    fn row(&mut self, cells: &[Cell]) -> Result<()> {
        // Borrowed where it can be: a text cell is copied only when the guard changes it.
        use std::borrow::Cow;
        self.writer.write_record(cells.iter().map(|c| -> Cow<'_, [u8]> {
            match c {
                Cell::Text(t) => match guard(t) {
                    Cow::Borrowed(b) => Cow::Borrowed(b.as_bytes()),
                    Cow::Owned(o) => Cow::Owned(o.into_bytes()),
                },
                Cell::Empty => Cow::Borrowed(b""),
                other => Cow::Owned(other.display().into_bytes()),
            }
        }))?;
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        self.writer.flush().map_err(csv::Error::from)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_guard_case_by_case() {
        let cases = [
            ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(1)", "'@SUM(1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("-5", "-5"),
            ("+3.5", "+3.5"),
            ("-", "'-"),
            ("- 5", "'- 5"),
            ("-inf", "'-inf"),
            ("消防通道堵塞", "消防通道堵塞"),
            ("a=b", "a=b"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(guard(input), expected, "{input:?}");
        }
    }

    #[test]
    fn bom_crlf_and_quoting() {
        let mut sink = CsvSink::new(Vec::new(), true).unwrap();
        sink.header(&["问题描述", "n"]).unwrap();
        sink.row(&[Cell::Text("甲,\"乙\"\n丙".into()), Cell::Int(-3)]).unwrap();
        sink.finish().unwrap();
        let bytes = sink.into_inner().unwrap();
        assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
        assert_eq!(
            String::from_utf8(bytes[3..].to_vec()).unwrap(),
            "问题描述,n\r\n\"甲,\"\"乙\"\"\n丙\",-3\r\n"
        );
    }

    #[test]
    fn no_bom_when_asked() {
        let mut sink = CsvSink::new(Vec::new(), false).unwrap();
        sink.header(&["a"]).unwrap();
        sink.finish().unwrap();
        assert_eq!(sink.into_inner().unwrap(), b"a\r\n");
    }
}
