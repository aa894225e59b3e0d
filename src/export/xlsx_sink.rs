//! XLSX for Excel and WPS: a frozen, bold header row with an auto filter, column widths measured for
//! Chinese text (a Chinese character is two columns wide; rust_xlsxwriter's autofit counts it as one),
//! real date cells, text always stored as text (never a formula, so no guard is needed; long codes stay
//! exact), and long or multi-line text wrapped. Rows are streamed to a temporary file (constant memory), so
//! a large export does not grow with its size.

use std::fs::File;

use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook};
use unicode_width::UnicodeWidthChar;

use super::{Cell, ExportError, Result, Sink};

/// The widest a column is made, in Excel's character units; longer text wraps.
const MAX_WIDTH: f64 = 48.0;
/// The most rows a worksheet holds, with the header.
const MAX_ROWS: u32 = 1_048_576;
/// The most characters Excel keeps in a cell.
const MAX_CELL_CHARS: usize = 32_767;

pub struct XlsxSink {
    workbook: Workbook,
    file: Option<File>,
    sheet_name: String,
    /// The next row to write.
    row: u32,
    columns: u16,
    /// The widest text seen in each column, in Excel's character units (see [`display_width`]).
    widths: Vec<f64>,
    header: Format,
    date: Format,
    wrap: Format,
}

impl XlsxSink {
    /// A workbook with one worksheet named `sheet_name`, saved into `file` by `finish`.
    pub fn new(file: File, sheet_name: &str) -> Result<XlsxSink> {
        let mut workbook = Workbook::new();
        workbook.add_worksheet_with_constant_memory()?.set_name(sheet_name)?;
        Ok(XlsxSink {
            workbook,
            file: Some(file),
            sheet_name: sheet_name.to_string(),
            row: 0,
            columns: 0,
            widths: Vec::new(),
            header: Format::new().set_bold().set_align(FormatAlign::Center),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        })
    }

    /// Adds a worksheet `name` after the table's, one line of `lines` per row in a wide wrapped first
    /// column: notes that say what the table means, kept off the table's sheet so its filter covers data
    /// only.
    pub fn add_notes(&mut self, name: &str, lines: &[String]) -> Result<()> {
        let wrap = self.wrap.clone();
        let sheet = self.workbook.add_worksheet();
        sheet.set_name(name)?;
        sheet.set_column_width(0, 100)?;
        for (row, line) in lines.iter().enumerate() {
            let row = u32::try_from(row).unwrap_or(u32::MAX);
            sheet.write_string_with_format(row, 0, fit(line).as_ref(), &wrap)?;
        }
        Ok(())
    }

    fn measure(&mut self, col: usize, text: &str) {
        let width = text.lines().map(display_width).fold(0.0, f64::max);
        if let Some(w) = self.widths.get_mut(col) {
            *w = w.max(width);
        }
    }

    fn next_row(&mut self) -> Result<u32> {
        if self.row >= MAX_ROWS {
            return Err(ExportError::Invalid(format!(
                "XLSX 工作表最多 {} 行，请加筛选条件或导出为 CSV / an XLSX worksheet holds at most {} rows; \
                 narrow the filter or export CSV",
                MAX_ROWS - 1,
                MAX_ROWS - 1
            )));
        }
        let r = self.row;
        self.row += 1;
        Ok(r)
    }
}

/// How wide `text` shows in Excel's units (the width of a digit in the default font): a Chinese or other
/// wide character counts two, a capital letter 1.25 (the 26 capitals of an id would overflow a column
/// sized by count), anything else one.
pub fn display_width(text: &str) -> f64 {
    text.chars()
        .map(|c| match c.width() {
            Some(2) => 2.0,
            _ if c.is_ascii_uppercase() => 1.25,
            Some(w) => w as f64,
            None => 0.0,
        })
        .sum()
}

/// `text` cut to what a cell holds.
fn fit(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().count() <= MAX_CELL_CHARS {
        return text.into();
    }
    let mut cut: String = text.chars().take(MAX_CELL_CHARS - 1).collect();
    cut.push('…');
    cut.into()
}

impl Sink for XlsxSink {
    fn header(&mut self, names: &[&str]) -> Result<()> {
        let row = self.next_row()?;
        self.columns = u16::try_from(names.len()).unwrap_or(u16::MAX);
        self.widths = vec![0.0; names.len()];
        for (col, name) in names.iter().enumerate() {
            self.measure(col, name);
            let sheet = self.workbook.worksheet_from_index(0)?;
            sheet.write_string_with_format(row, col as u16, *name, &self.header)?;
        }
        Ok(())
    }

    fn row(&mut self, cells: &[Cell]) -> Result<()> {
        let row = self.next_row()?;
        for (col, cell) in cells.iter().enumerate() {
            let c = col as u16;
            match cell {
                Cell::Text(t) => {
                    let t = fit(t);
                    self.measure(col, &t);
                    let long = t.contains('\n') || display_width(&t) > MAX_WIDTH;
                    let sheet = self.workbook.worksheet_from_index(0)?;
                    if long {
                        sheet.write_string_with_format(row, c, t.as_ref(), &self.wrap)?;
                    } else {
                        sheet.write_string(row, c, t.as_ref())?;
                    }
                }
                Cell::Int(n) => {
                    self.measure(col, &n.to_string());
                    self.workbook.worksheet_from_index(0)?.write_number(row, c, *n as f64)?;
                }
                Cell::Date(d) => {
                    use chrono::Datelike;
                    self.measure(col, "2026-01-01");
                    let (y, m, day) = (d.year(), d.month(), d.day());
                    let sheet = self.workbook.worksheet_from_index(0)?;
                    match ExcelDateTime::from_ymd(y.clamp(1900, 9999) as u16, m as u8, day as u8) {
                        Ok(date) => sheet.write_datetime_with_format(row, c, &date, &self.date)?,
                        // Before 1900 Excel has no date: the text, so nothing is lost.
                        Err(_) => sheet.write_string(row, c, d.format("%Y-%m-%d").to_string())?,
                    };
                }
                Cell::Empty => {}
            }
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        let last_row = self.row.saturating_sub(1);
        let last_col = self.columns.saturating_sub(1);
        let widths = self.widths.clone();
        let sheet = self.workbook.worksheet_from_index(0)?;
        for (col, w) in widths.iter().enumerate() {
            // Two columns of padding for the filter button.
            sheet.set_column_width(col as u16, (*w + 3.0).clamp(6.0, MAX_WIDTH))?;
        }
        sheet.set_freeze_panes(1, 0)?;
        // Printed lists are wide: A4 landscape, the header row repeated on every page.
        sheet.set_paper_size(9).set_landscape().set_repeat_rows(0, 0)?;
        if self.columns > 0 {
            sheet.autofilter(0, 0, last_row, last_col)?;
        }
        let file = self.file.take().ok_or_else(|| {
            ExportError::Invalid(format!("the worksheet {} was already saved", self.sheet_name))
        })?;
        // Flushed here, not on drop: a drop ignores the error, and a full disk would pass for a saved file.
        let mut out = std::io::BufWriter::new(file);
        self.workbook.save_to_writer(&mut out)?;
        std::io::Write::flush(&mut out).map_err(rust_xlsxwriter::XlsxError::IoError)?;
        Ok(())
    }

    fn capacity(&self) -> Option<u64> {
        Some(u64::from(MAX_ROWS) - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_chinese_double_and_capitals_wider() {
        assert_eq!(display_width("如皋市"), 6.0);
        assert_eq!(display_width("01KH"), 4.5);
        assert_eq!(display_width("a1-"), 3.0);
        assert_eq!(display_width("（第1组）"), 9.0);
        assert_eq!(display_width(""), 0.0);
    }

    #[test]
    fn text_beyond_what_a_cell_holds_is_cut() {
        let long = "患".repeat(MAX_CELL_CHARS + 10);
        let cut = fit(&long);
        assert_eq!(cut.chars().count(), MAX_CELL_CHARS);
        assert!(cut.ends_with('…'));
        assert_eq!(fit("短"), "短");
    }
}
