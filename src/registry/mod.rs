//! Reading a site registry CSV: UTF-8 with or without a BOM, or GB18030 (what Chinese Excel saves), with
//! English or Chinese headers. Every bad row is reported with its line and field (named as in the file's
//! header); the caller imports nothing unless the whole file is clean.
//!
//! Limits: [`MAX_FILE_BYTES`], [`MAX_ROWS`], [`MAX_FIELD_CHARS`]. A file is read twice rather than held as
//! sites: [`check`] validates it keeping only the codes seen, then [`visit`] hands the sites over one by
//! one, so an import's memory is the file's bytes and not a copy of every row.

mod text;
mod values;

use std::collections::HashMap;

pub use text::{MAX_FILE_BYTES, decode, read};
pub use values::MAX_FIELD_CHARS;

use crate::domain::Domain;
use crate::i18n::Lang;
use crate::store::sites::{Columns, SiteFields};

/// The sample registry shipped with ducha (made-up sites of a county-level city).
pub const SAMPLE_CSV: &[u8] = include_bytes!("../../data/sites.csv");

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Col {
    Code,
    Kind,
    Name,
    Town,
    Address,
    Contact,
    Phone,
    Floors,
    Beds,
    License,
}

const COLUMNS: [(Col, &str, &str); 10] = [
    (Col::Code, "code", "编号"),
    (Col::Kind, "kind", "类型"),
    (Col::Name, "name", "名称"),
    (Col::Town, "town", "镇街"),
    (Col::Address, "address", "地址"),
    (Col::Contact, "contact", "联系人"),
    (Col::Phone, "phone", "电话"),
    (Col::Floors, "floors", "楼层"),
    (Col::Beds, "beds", "床位"),
    (Col::License, "license", "证照号"),
];
const REQUIRED: [Col; 4] = [Col::Code, Col::Kind, Col::Name, Col::Town];

/// A problem at a line of the file (1-based), in a field when one is to blame.
#[derive(Clone, Debug, PartialEq)]
pub struct RowError {
    pub line: u64,
    pub field: Option<String>,
    pub zh: String,
    pub en: String,
}

impl RowError {
    fn new(line: u64, field: Option<&str>, zh: String, en: String) -> Self {
        RowError { line, field: field.map(crate::shown::quote), zh, en }
    }

    /// `FILE:LINE: field `x`: message`, in the UI language.
    pub fn render(&self, file: &str, lang: Lang) -> String {
        let field = match &self.field {
            Some(f) => format!("{} `{f}`: ", lang.pick("字段", "field")),
            None => String::new(),
        };
        let line = lang.pick("第 ", "line ");
        let line_end = lang.pick(" 行", "");
        let file = crate::shown::printable(file);
        format!("{file}: {line}{}{line_end}: {field}{}", self.line, lang.pick(&self.zh, &self.en))
    }
}

/// The most data rows a file may have (a province has about 100,000 sites).
pub const MAX_ROWS: usize = 200_000;

/// How many errors are kept to show; the rest are only counted.
pub const MAX_ERRORS_SHOWN: usize = 50;

#[derive(Debug)]
pub struct Parsed {
    pub sites: Vec<SiteFields>,
    pub encoding: &'static str,
}

/// A refused file: the first [`MAX_ERRORS_SHOWN`] errors, and how many there were in all.
#[derive(Debug)]
pub struct Rejected {
    pub errors: Vec<RowError>,
    pub total: usize,
}

impl Rejected {
    fn one(e: RowError) -> Self {
        Rejected { errors: vec![e], total: 1 }
    }
}

/// A clean file's summary.
#[derive(Debug)]
pub struct Checked {
    pub encoding: &'static str,
    pub rows: usize,
    /// Each town of the file, with the line where it first appears.
    pub towns: Vec<(String, u64)>,
    /// The optional columns the file has: an import leaves the others as stored.
    pub columns: Columns,
}

struct Errors {
    kept: Vec<RowError>,
    total: usize,
}

impl Errors {
    fn push(&mut self, e: RowError) {
        self.total += 1;
        if self.kept.len() < MAX_ERRORS_SHOWN {
            self.kept.push(e);
        }
    }
}

fn header_col(name: &str) -> Option<Col> {
    let n = name.trim();
    COLUMNS.iter().find(|(_, en, zh)| en.eq_ignore_ascii_case(n) || *zh == n).map(|(c, _, _)| *c)
}

/// The columns of a file: where each is, and the name the file gives it (for messages).
struct Header {
    index: HashMap<Col, usize>,
    names: HashMap<Col, String>,
    len: usize,
}

impl Header {
    fn columns(&self) -> Columns {
        let has = |c: Col| self.index.contains_key(&c);
        Columns {
            address: has(Col::Address),
            contact: has(Col::Contact),
            phone: has(Col::Phone),
            floors: has(Col::Floors),
            beds: has(Col::Beds),
            license: has(Col::License),
        }
    }

    /// The file's own name of a column; for a missing one, the key or the Chinese name as the other
    /// headers are written.
    fn name(&self, c: Col) -> String {
        if let Some(n) = self.names.get(&c) {
            return n.clone();
        }
        let chinese = self.names.values().any(|n| !n.is_ascii());
        COLUMNS
            .iter()
            .find(|(col, _, _)| *col == c)
            .map_or(String::new(), |(_, en, zh)| if chinese { (*zh).to_string() } else { (*en).to_string() })
    }
}

fn header(headers: &csv::StringRecord) -> Result<Header, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut index: HashMap<Col, usize> = HashMap::new();
    let mut names = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        match header_col(h) {
            Some(c) if index.contains_key(&c) => {
                errors.push(RowError::new(1, Some(h), "列名重复".into(), "duplicate column".into()))
            }
            Some(c) => {
                index.insert(c, i);
                names.insert(c, h.trim().to_string());
            }
            None if h.trim().is_empty() => {}
            None => errors.push(RowError::new(
                1,
                Some(h),
                "未知的列名；可用：code/编号, kind/类型, name/名称, town/镇街, address/地址, contact/联系人, \
                 phone/电话, floors/楼层, beds/床位, license/证照号"
                    .into(),
                "unknown column; expected code/编号, kind/类型, name/名称, town/镇街, address/地址, \
                 contact/联系人, phone/电话, floors/楼层, beds/床位, license/证照号"
                    .into(),
            )),
        }
    }
    let header = Header { index, names, len: headers.len() };
    for c in REQUIRED {
        if !header.index.contains_key(&c) {
            errors.push(RowError::new(
                1,
                Some(&header.name(c)),
                "缺少必需的列".into(),
                "required column missing".into(),
            ));
        }
    }
    if errors.is_empty() { Ok(header) } else { Err(errors) }
}

/// Parses and checks a whole registry file held in memory, returning every site (for the small sample
/// registry; an import uses [`check`] and [`visit`]).
pub fn parse(bytes: &[u8]) -> Result<Parsed, Rejected> {
    let checked = check(bytes)?;
    let mut sites = Vec::with_capacity(checked.rows);
    visit(bytes, &mut |site| {
        sites.push(site);
        Ok(())
    })
    .map_err(|e| Rejected::one(RowError::new(1, None, e.to_string(), e.to_string())))?;
    Ok(Parsed { sites, encoding: checked.encoding })
}

/// Checks a whole registry file: either its summary, or its errors.
pub fn check(bytes: &[u8]) -> Result<Checked, Rejected> {
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut towns: Vec<(String, u64)> = Vec::new();
    let mut errors = Errors { kept: Vec::new(), total: 0 };
    let (encoding, columns) =
        rows(bytes, &mut errors, &mut |line, site, header| match seen.get(&site.code) {
            Some(first) => errors_push_later(line, first, &site.code, header),
            None => {
                if !towns.iter().any(|(t, _)| *t == site.town) {
                    towns.push((site.town.clone(), line));
                }
                seen.insert(site.code, line);
                None
            }
        })?;
    if errors.total > 0 {
        return Err(Rejected { errors: errors.kept, total: errors.total });
    }
    Ok(Checked { encoding, rows: seen.len(), towns, columns })
}

fn errors_push_later(line: u64, first: &u64, code: &str, header: &Header) -> Option<RowError> {
    let code = crate::shown::quote(code);
    Some(RowError::new(
        line,
        Some(&header.name(Col::Code)),
        format!("编号 {code} 与第 {first} 行重复"),
        format!("code {code} already used on line {first}"),
    ))
}

/// Hands every site of a file that [`check`] found clean to `each`, in file order.
pub fn visit(bytes: &[u8], each: &mut dyn FnMut(SiteFields) -> anyhow::Result<()>) -> anyhow::Result<()> {
    let mut errors = Errors { kept: Vec::new(), total: 0 };
    let mut failed = None;
    rows(bytes, &mut errors, &mut |_, site, _| {
        if failed.is_none()
            && let Err(e) = each(site)
        {
            failed = Some(e);
        }
        None
    })
    .map_err(|r| anyhow::anyhow!("the registry file changed while it was imported ({} error(s))", r.total))?;
    match failed {
        Some(e) => Err(e),
        None if errors.total > 0 => anyhow::bail!("the registry file has {} error(s)", errors.total),
        None => Ok(()),
    }
}

/// Reads the rows of a file, recording bad ones in `errors` and giving good ones to `good` (which may
/// report one more error, such as a duplicate code). Returns the encoding, or the errors that stop the
/// reading (encoding, header, size). Also returns the optional columns the header has.
fn rows(
    bytes: &[u8],
    errors: &mut Errors,
    good: &mut dyn FnMut(u64, SiteFields, &Header) -> Option<RowError>,
) -> Result<(&'static str, Columns), Rejected> {
    let (text, encoding) = decode(bytes).map_err(Rejected::one)?;
    if let Some(line) = text::unclosed_quote(&text) {
        return Err(Rejected::one(RowError::new(
            line,
            None,
            "引号未闭合：这一行中以 \" 开始的字段直到文件末尾都没有结束的 \"".into(),
            "unterminated quote: a field opened with \" on this line is never closed".into(),
        )));
    }
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| Rejected::one(csv_error(&e)))?.clone();
    let header = header(&headers).map_err(|errors| Rejected { total: errors.len(), errors })?;
    let mut lines = LineCounter::new(text.as_bytes());
    let mut count = 0usize;
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(csv_error(&e));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| lines.start_of_record(p.byte()));
        if record.iter().all(|f| f.trim().is_empty()) {
            continue; // blank rows, as spreadsheets leave at the end
        }
        count += 1;
        if count > MAX_ROWS {
            errors.push(RowError::new(
                line,
                None,
                format!("行数过多（上限 {MAX_ROWS} 行）：请分成几个文件导入"),
                format!("too many rows (limit {MAX_ROWS}): split the file into several"),
            ));
            break;
        }
        match row(line, &record, &header) {
            Ok(site) => {
                if let Some(e) = good(line, site, &header) {
                    errors.push(e);
                }
            }
            Err(row_errors) => row_errors.into_iter().for_each(|e| errors.push(e)),
        }
    }
    Ok((encoding, header.columns()))
}

/// Line numbers of records. The csv reader's own count is taken before it skips the blank lines and the
/// `\n` of a CRLF ending that precede a record, so it lags behind on files saved by Excel on Windows.
struct LineCounter<'a> {
    bytes: &'a [u8],
    at: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        LineCounter { bytes, at: 0, line: 1 }
    }

    /// The 1-based line on which the record read from byte offset `from` starts (records come in order).
    fn start_of_record(&mut self, from: u64) -> u64 {
        let mut start = usize::try_from(from).map_or(self.bytes.len(), |f| f.min(self.bytes.len()));
        while start < self.bytes.len() && matches!(self.bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > self.at {
            self.line += self.bytes[self.at..start].iter().filter(|b| **b == b'\n').count() as u64;
            self.at = start;
        }
        self.line
    }
}

fn csv_error(e: &csv::Error) -> RowError {
    let line = e.position().map_or(1, |p| p.line());
    let e = crate::shown::quote(&e.to_string());
    RowError::new(line, None, format!("CSV 格式错误：{e}"), format!("malformed CSV: {e}"))
}

fn row(line: u64, record: &csv::StringRecord, header: &Header) -> Result<SiteFields, Vec<RowError>> {
    let mut errors = Vec::new();
    let raw = |c: Col| header.index.get(&c).and_then(|i| record.get(*i)).unwrap_or("");
    let get = |c: Col| raw(c).trim().to_string();
    let at = |c: Col, (zh, en): values::Bad| RowError::new(line, Some(&header.name(c)), zh, en);
    if record.len() > header.len {
        let extra: Vec<&str> = record.iter().skip(header.len).collect();
        if extra.iter().any(|f| !f.trim().is_empty()) {
            let n = header.len;
            let first = crate::shown::quote(extra.iter().find(|f| !f.trim().is_empty()).unwrap_or(&""));
            errors.push(RowError::new(
                line,
                None,
                format!("这一行有 {} 个字段，但表头只有 {n} 列（多出的第一个值：`{first}`）", record.len()),
                format!(
                    "this row has {} fields but the header has {n} columns (first extra value: `{first}`)",
                    record.len()
                ),
            ));
        }
    }
    for (c, _, _) in COLUMNS {
        if let Err(b) = values::any(raw(c)) {
            errors.push(at(c, b));
        }
    }
    if !errors.is_empty() {
        // A value too long or with control characters is not checked further: one message per value.
        return Err(errors);
    }
    for c in REQUIRED {
        if get(c).is_empty() {
            errors.push(at(c, ("不能为空".into(), "must not be empty".into())));
        }
    }
    if let Err(b) = values::code(raw(Col::Code)) {
        errors.push(at(Col::Code, b));
    }
    let phone = get(Col::Phone);
    if !phone.is_empty()
        && let Err(b) = values::phone(&phone)
    {
        errors.push(at(Col::Phone, b));
    }
    let kind_text = get(Col::Kind);
    let kind = Domain::parse_loose(&kind_text);
    if kind.is_none() && !kind_text.is_empty() {
        let k = crate::shown::quote(&kind_text);
        errors.push(at(Col::Kind,
            (
                format!("未知的类型 `{k}`，可用：养老机构、彩票投注站、救助管理站、社会组织（或 elderly_care 等英文键）"),
                format!(
                    "unknown kind `{k}`; expected elderly_care, lottery_outlet, rescue_station, social_org \
                     (or 养老机构, 彩票投注站, 救助管理站, 社会组织)"
                ),
            ),
        ));
    }
    let mut number = |c: Col, max: u32| -> Option<u32> {
        let text = get(c);
        if text.is_empty() {
            return None;
        }
        match text.parse::<u32>() {
            Ok(n) if n <= max => Some(n),
            _ => {
                let t = crate::shown::quote(&text);
                errors.push(at(
                    c,
                    (
                        format!("`{t}` 不是 0 至 {max} 之间的整数"),
                        format!("`{t}` is not a whole number from 0 to {max}"),
                    ),
                ));
                None
            }
        }
    };
    let floors = number(Col::Floors, 200);
    let beds = number(Col::Beds, 100_000);
    match (kind, errors.is_empty()) {
        (Some(kind), true) => Ok(SiteFields {
            code: get(Col::Code),
            kind,
            name: get(Col::Name),
            town: get(Col::Town),
            address: get(Col::Address),
            contact: get(Col::Contact),
            phone,
            floors,
            beds,
            license: get(Col::License),
        }),
        _ => Err(errors),
    }
}
