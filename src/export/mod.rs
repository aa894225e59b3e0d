//! Exports for supervisors: the rectification list (整改清单) and the findings (one row per answer) as CSV
//! or XLSX for Excel and WPS, and the printable rectification notice (整改通知书) as HTML. Every export reads
//! one consistent snapshot of the database (one read transaction), so it can run while an inspector is
//! writing. Free of any terminal UI code.

pub mod csv_sink;
pub mod filter;
pub mod findings;
pub mod mask;
pub mod notice;
pub mod page;
pub mod publication;
pub mod record;
pub mod rectification_list;
pub mod xlsx_sink;

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

pub use filter::ExportFilter;
pub use mask::Masking;

use crate::i18n::Lang;
use crate::store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Csv(#[from] csv::Error),
    #[error("XLSX: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    /// Bad input the user can fix (an output name, a filter); the text is already in the user's language.
    #[error("{0}")]
    Invalid(String),
    /// Stopped on request ([`Cancel`]) before it was complete: nothing was written.
    #[error("the export was cancelled")]
    Cancelled,
}

/// A request to stop an export, checked before each row: set from another thread (the console's Esc).
pub type Cancel = std::sync::atomic::AtomicBool;

/// A sink that stops with [`ExportError::Cancelled`] once `cancel` is set.
struct Cancellable<'a> {
    inner: &'a mut dyn Sink,
    cancel: &'a Cancel,
}

impl Cancellable<'_> {
    fn check(&self) -> Result<()> {
        if self.cancel.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(ExportError::Cancelled);
        }
        Ok(())
    }
}

impl Sink for Cancellable<'_> {
    fn header(&mut self, names: &[&str]) -> Result<()> {
        self.check()?;
        self.inner.header(names)
    }
    fn row(&mut self, cells: &[Cell]) -> Result<()> {
        self.check()?;
        self.inner.row(cells)
    }
    fn finish(&mut self) -> Result<()> {
        self.check()?;
        self.inner.finish()
    }
    fn capacity(&self) -> Option<u64> {
        self.inner.capacity()
    }
}

impl From<rusqlite::Error> for ExportError {
    fn from(e: rusqlite::Error) -> Self {
        ExportError::Store(StoreError::from(e))
    }
}

pub type Result<T> = std::result::Result<T, ExportError>;

/// One cell of an exported table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Text, written as text (never a formula, never a number, however it looks).
    Text(String),
    Int(i64),
    Date(NaiveDate),
    Empty,
}

impl Cell {
    /// The cell as CSV shows it (dates as YYYY-MM-DD).
    pub fn display(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            // As `%Y-%m-%d` writes it for the four-digit years stored, without parsing a format per cell.
            Cell::Date(d) if (0..=9999).contains(&d.year()) => {
                format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
            }
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::Empty => String::new(),
        }
    }
}

/// A date cell from a stored date or RFC 3339 time; empty when there is none.
pub fn date_cell(stored: Option<&str>) -> Cell {
    stored.and_then(|s| s.get(..10)).and_then(parse_day).map_or(Cell::Empty, Cell::Date)
}

/// `YYYY-MM-DD` as `NaiveDate::parse_from_str(d, "%Y-%m-%d")` reads it; the common shape (ten characters,
/// digits and two dashes) without parsing the format string for every cell.
pub fn parse_day(d: &str) -> Option<NaiveDate> {
    let b = d.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    if b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && let (Some(y), Some(m), Some(day)) = (digits(0..4), digits(5..7), digits(8..10))
    {
        return i32::try_from(y).ok().and_then(|y| NaiveDate::from_ymd_opt(y, m, day));
    }
    NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()
}

/// Where exported rows go: a CSV or XLSX writer.
pub trait Sink {
    fn header(&mut self, names: &[&str]) -> Result<()>;
    fn row(&mut self, cells: &[Cell]) -> Result<()>;
    /// Completes the file (XLSX is assembled here).
    fn finish(&mut self) -> Result<()>;
    /// The most data rows the format holds, if it has a limit.
    fn capacity(&self) -> Option<u64> {
        None
    }
}

/// 一般 / 较重 / 重大 for a stored severity key (the key itself when unknown), with 重大事故隐患 added for a
/// major accident hazard.
pub fn severity_label(key: &str, major_hazard: bool, lang: Lang) -> String {
    let label = crate::domain::Severity::from_key(key).map_or(key, |s| s.label(lang));
    if major_hazard {
        format!("{label}{}", lang.pick("（重大事故隐患）", " (major accident hazard)"))
    } else {
        label.into()
    }
}

/// Starts a table export: counts the rows `FROM … WHERE …` selects (in the caller's snapshot), refuses
/// more than `sink` holds, and writes the header. Returns the count, for progress.
fn start(
    conn: &rusqlite::Connection,
    from_where: &str,
    args: &[rusqlite::types::Value],
    sink: &mut dyn Sink,
    headers: &[&str],
    lang: Lang,
) -> Result<u64> {
    let sql = format!("SELECT COUNT(*){from_where}");
    let total: i64 = conn.query_row(&sql, rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
    let total = u64::try_from(total).unwrap_or(0);
    check_capacity(sink, total, lang)?;
    sink.header(headers)?;
    Ok(total)
}

/// Refuses at once, before anything is written, an export of more rows than `sink` holds.
fn check_capacity(sink: &dyn Sink, total: u64, lang: Lang) -> Result<()> {
    match sink.capacity() {
        Some(cap) if total > cap => Err(ExportError::Invalid(match lang {
            Lang::Zh => format!("共 {total} 行，超过 XLSX 工作表的上限 {cap} 行：请加筛选条件或导出为 CSV"),
            Lang::En => format!(
                "{total} rows are more than an XLSX worksheet holds ({cap}): narrow the filter or export CSV"
            ),
        })),
        _ => Ok(()),
    }
}

/// The file format, chosen by the output's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// `.csv` or `.xlsx` (any case); anything else is refused with a message saying what is accepted.
    pub fn of_path(path: &Path, lang: Lang) -> Result<Format> {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("csv") => Ok(Format::Csv),
            Some("xlsx") => Ok(Format::Xlsx),
            _ => Err(ExportError::Invalid(match lang {
                Lang::Zh => {
                    format!("输出文件 {} 的扩展名应为 .csv 或 .xlsx（或用 - 输出到标准输出）", path.display())
                }
                Lang::En => format!(
                    "the output file {} should end in .csv or .xlsx (or use - for standard output)",
                    path.display()
                ),
            })),
        }
    }
}

/// What to export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The rectification list (整改清单), one row per rectification.
    Rectifications,
    /// One row per answer of the inspections.
    Findings,
}

impl Kind {
    /// The kind as the audit log records it.
    pub fn key(self) -> &'static str {
        match self {
            Kind::Rectifications => "rectifications",
            Kind::Findings => "findings",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Kind::Rectifications => lang.pick("整改清单", "rectification list"),
            Kind::Findings => lang.pick("检查记录", "findings"),
        }
    }
}

/// How rows are written.
#[derive(Clone, Debug)]
pub struct Options {
    pub lang: Lang,
    /// The day overdue days are counted on.
    pub today: NaiveDate,
    pub masking: Masking,
    /// CSV only: start with a UTF-8 byte-order mark (Excel needs one to read Chinese).
    pub bom: bool,
    /// Findings only: include answers of inspections not yet submitted.
    pub include_drafts: bool,
    /// Who exports, for the audit entry every export leaves.
    pub actor: String,
}

/// What an export wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub rows: u64,
    /// Why the export could not be recorded in the audit log (another process held the database for writing,
    /// or it is read-only); `None` when it was.
    pub unrecorded: Option<String>,
}

/// Writes the rows of `kind` that match `filter` to `sink`, reading with `conn` (the caller holds the read
/// transaction). `progress(done, total)` is called as rows are written.
pub fn write_rows(
    conn: &rusqlite::Connection,
    kind: Kind,
    filter: &ExportFilter,
    opts: &Options,
    sink: &mut dyn Sink,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Summary> {
    match kind {
        Kind::Rectifications => rectification_list::write(conn, filter, opts, sink, progress),
        Kind::Findings => findings::write(conn, filter, opts, sink, progress),
    }
}

/// Where an export goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    /// CSV on standard output.
    Stdout,
    File(PathBuf),
}

/// Exports to `output` from one consistent snapshot of `store`, and records the export in the audit log.
/// A file is written beside its final name and renamed into place only when complete, so a failed export
/// never leaves half a file or spoils an earlier one.
pub fn export(
    store: &mut Store,
    kind: Kind,
    filter: &ExportFilter,
    opts: &Options,
    output: &Output,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Summary> {
    let summary = write_out(store, kind, filter, opts, output, progress, &Cancel::new(false))?;
    Ok(record(store, kind, filter, opts, output, summary))
}

/// The writing half of [`export`], to a file, stopping when `cancel` is set: then the file is left as it
/// was (a cancelled export leaves no new file and an earlier one intact). The console runs it on a thread
/// of its own, with a connection of its own, and records it with [`record`] when it is done.
pub fn write_file(
    store: &mut Store,
    kind: Kind,
    filter: &ExportFilter,
    opts: &Options,
    path: &Path,
    progress: &mut dyn FnMut(u64, u64),
    cancel: &Cancel,
) -> Result<Summary> {
    write_out(store, kind, filter, opts, &Output::File(path.to_path_buf()), progress, cancel)
}

/// Records a written export in the audit log (who, what, which filter, where to, how many rows, masked or
/// not). An export is a read: this never waits on a writer. When the record cannot be written at once (or
/// the database is read-only) the summary says why; it is not a failure of an export that is complete.
pub fn record(
    store: &mut Store,
    kind: Kind,
    filter: &ExportFilter,
    opts: &Options,
    output: &Output,
    mut summary: Summary,
) -> Summary {
    let target = match output {
        Output::Stdout => "-".to_string(),
        Output::File(p) => p.display().to_string(),
    };
    let details = serde_json::json!({
        "what": kind.key(), "filter": filter.describe(), "output": target, "rows": summary.rows,
        "masked": opts.masking == Masking::Masked,
    });
    summary.unrecorded = note_write(store, &opts.actor, details, opts.lang);
    summary
}

/// Records an export that was written (`export.write`, with `details`) in the audit log. An export is a
/// read: it never waits on a writer. When the record cannot be written at once (another writer, a
/// read-only database) the reason is returned, to report, not to fail an export that is already complete.
pub fn note_write(store: &mut Store, actor: &str, details: serde_json::Value, lang: Lang) -> Option<String> {
    if store.is_read_only() {
        return Some(
            lang.pick(
                "数据库只读（所在位置不可写）",
                "the database is read-only (its location cannot be written)",
            )
            .into(),
        );
    }
    let id = crate::store::new_id();
    let recorded = store.write_briefly(|tx| {
        crate::store::audit::record(
            tx,
            crate::store::audit::Entry {
                actor,
                action: "export.write",
                entity: "export",
                entity_id: &id,
                old: None,
                new: Some(details),
            },
        )
    });
    recorded.err().map(|e: StoreError| e.to_string())
}

fn write_out(
    store: &mut Store,
    kind: Kind,
    filter: &ExportFilter,
    opts: &Options,
    output: &Output,
    progress: &mut dyn FnMut(u64, u64),
    cancel: &Cancel,
) -> Result<Summary> {
    match output {
        Output::Stdout => {
            // A reader that stops early (`| head`) ends the export quietly: the rows it took are reported.
            let mut written = 0;
            let mut counted = |done: u64, total: u64| {
                written = done;
                progress(done, total);
            };
            let result = csv_sink::CsvSink::new(std::io::stdout().lock(), opts.bom).and_then(|mut sink| {
                store.read(|tx| write_rows(tx, kind, filter, opts, &mut sink, &mut counted))
            });
            match result {
                Err(ExportError::Csv(e)) if broken_pipe(&e) => {
                    Ok(Summary { rows: written, unrecorded: None })
                }
                other => other,
            }
        }
        Output::File(path) => {
            let format = Format::of_path(path, opts.lang)?;
            write_atomically(path, |file| {
                let mut sink: Box<dyn Sink> = match format {
                    Format::Csv => Box::new(csv_sink::CsvSink::new(std::io::BufWriter::new(file), opts.bom)?),
                    Format::Xlsx => Box::new(xlsx_sink::XlsxSink::new(file, kind.label(opts.lang))?),
                };
                let mut sink = Cancellable { inner: sink.as_mut(), cancel };
                store.read(|tx| write_rows(tx, kind, filter, opts, &mut sink, progress))
            })
        }
    }
}

/// Writes `text` (a printable page) to `path` with [`write_atomically`].
pub fn write_text_atomically(path: &Path, text: &str) -> Result<()> {
    write_atomically(path, |mut file| {
        std::io::Write::write_all(&mut file, text.as_bytes())
            .map_err(|source| ExportError::Io { path: path.display().to_string(), source })
    })
}

/// The number of a printed document of `series` (a notice or a record) for inspection `id`: the one issued
/// before, or a new one, which only a registered user may issue (checked here, before anything is written).
pub fn issue_number(
    store: &mut Store,
    user: &str,
    series: crate::store::notices::Series,
    id: &str,
    lang: Lang,
) -> Result<crate::store::notices::Issued> {
    use crate::store::notices::{self, Series};
    if notices::get_in(store.conn(), series, id)?.is_none() {
        let action = match series {
            Series::Notice => lang.pick("出具整改通知书", "issuing a rectification notice"),
            Series::Record => lang.pick("出具现场检查记录", "issuing an inspection record"),
        };
        crate::roles::require(store, user, crate::roles::Role::Inspector, action)
            .map_err(|e| ExportError::Invalid(e.message(lang)))?;
    }
    Ok(store.write(|tx| notices::issue_now_in(tx, series, user, id))?)
}

/// Writes `path` through a temporary file in the same directory, renamed over `path` when `write`
/// succeeds; on failure the temporary file is removed and `path` is untouched.
pub fn write_atomically<T>(path: &Path, write: impl FnOnce(std::fs::File) -> Result<T>) -> Result<T> {
    let io = |source: std::io::Error| ExportError::Io { path: path.display().to_string(), source };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".ducha-export-").suffix(".part");
    // A file to hand on, readable like any other the user saves (a temporary file is private by default).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let temp = builder.tempfile_in(&dir).map_err(io)?;
    let file = temp.as_file().try_clone().map_err(io)?;
    // A write that fails (a full disk) names the file, as the other failures here do.
    let out = write(file).map_err(|e| match e {
        ExportError::Csv(e) if e.is_io_error() => io(std::io::Error::other(e.to_string())),
        ExportError::Xlsx(rust_xlsxwriter::XlsxError::IoError(source)) => io(source),
        other => other,
    })?;
    temp.as_file().sync_all().map_err(io)?;
    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(out)
}

/// Whether the CSV writer failed because the reader of standard output went away.
fn broken_pipe(e: &csv::Error) -> bool {
    matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
}

/// Allows an unmasked export only to a supervisor or an admin, and records it in the audit log (who, what,
/// which filter, where to) before any data is written. Returns the refusal in the user's language.
pub fn authorize_unmasked(
    store: &mut Store,
    user: &str,
    lang: Lang,
    what: &str,
    filter: &str,
    output: &str,
) -> std::result::Result<(), String> {
    use crate::roles::{self, Role};
    let action = lang.pick("不打码导出", "an unmasked export");
    roles::require(store, user, Role::Supervisor, action).map_err(|e| e.message(lang))?;
    let id = crate::store::new_id();
    store
        .write(|tx| {
            crate::store::audit::record(
                tx,
                crate::store::audit::Entry {
                    actor: user,
                    action: "export.unmasked",
                    entity: "export",
                    entity_id: &id,
                    old: None,
                    new: Some(serde_json::json!({ "what": what, "filter": filter, "output": output })),
                },
            )
        })
        .map_err(|e: StoreError| e.to_string())
}

#[cfg(test)]
mod day_tests {
    use super::*;

    #[test]
    fn a_day_is_read_as_chronos_format_parser_reads_it() {
        let cases = [
            "2026-11-29",
            "2026-02-29",
            "2024-02-29",
            "2026-13-01",
            "2026-00-10",
            "0000-01-01",
            "9999-12-31",
            "2026-1-05",
            "2026-01-5",
            "20260105",
            "2026/01/05",
            "+2026-01-0",
            "２０２６-01-01",
            "",
            "2026-01-01x",
        ];
        for d in cases {
            assert_eq!(parse_day(d), NaiveDate::parse_from_str(d, "%Y-%m-%d").ok(), "{d:?}");
        }
        assert_eq!(
            Cell::Date(NaiveDate::from_ymd_opt(7, 3, 4).unwrap()).display(),
            NaiveDate::from_ymd_opt(7, 3, 4).unwrap().format("%Y-%m-%d").to_string()
        );
    }
}
