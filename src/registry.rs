//! Reading a site registry CSV: UTF-8 with or without a BOM, or GB18030 (what Chinese Excel saves), with
//! English or Chinese headers. Every bad row is reported with its line and field; the caller imports
//! nothing unless the whole file is clean.

use std::collections::HashMap;

use crate::domain::Domain;
use crate::i18n::Lang;
use crate::store::sites::SiteFields;

/// The sample registry shipped with ducha (made-up sites of a county-level city).
pub const SAMPLE_CSV: &[u8] = include_bytes!("../data/sites.csv");

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
        RowError { line, field: field.map(str::to_string), zh, en }
    }

    /// `FILE:LINE: field `x`: message`, in the UI language.
    pub fn render(&self, file: &str, lang: Lang) -> String {
        let field = match &self.field {
            Some(f) => format!("{} `{f}`: ", lang.pick("字段", "field")),
            None => String::new(),
        };
        let line = lang.pick("第 ", "line ");
        let line_end = lang.pick(" 行", "");
        format!("{file}: {line}{}{line_end}: {field}{}", self.line, lang.pick(&self.zh, &self.en))
    }
}

#[derive(Debug)]
pub struct Parsed {
    pub sites: Vec<SiteFields>,
    pub encoding: &'static str,
}

/// Decodes the bytes of a CSV file: a UTF-8 BOM or valid UTF-8 means UTF-8, anything else is tried as
/// GB18030.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), RowError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(RowError::new(
            1,
            None,
            "文件是 UTF-16 编码：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”".into(),
            "the file is UTF-16: save it from Excel as \"CSV UTF-8 (comma delimited)\"".into(),
        ));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return match std::str::from_utf8(rest) {
            Ok(s) => Ok((s.to_string(), "UTF-8 (BOM)")),
            Err(e) => Err(bad_encoding(rest, e.valid_up_to())),
        };
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.to_string(), "UTF-8")),
        Err(e) => match decode_gb18030(bytes) {
            Ok(s) => Ok((s, "GB18030")),
            // Point at the bad bytes of whichever encoding got further, the likelier one.
            Err(at) => Err(bad_encoding(bytes, e.valid_up_to().max(at))),
        },
    }
}

/// Decodes GB18030, or returns the byte offset of the first malformed sequence.
fn decode_gb18030(bytes: &[u8]) -> Result<String, usize> {
    use encoding_rs::DecoderResult;
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let mut text = String::new();
    let mut read = 0;
    loop {
        let rest = &bytes[read..];
        text.reserve(decoder.max_utf8_buffer_length_without_replacement(rest.len()).unwrap_or(4096));
        let (result, n) = decoder.decode_to_string_without_replacement(rest, &mut text, true);
        read += n;
        match result {
            DecoderResult::InputEmpty => return Ok(text),
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(bad, after) => {
                return Err(read.saturating_sub(usize::from(bad) + usize::from(after)));
            }
        }
    }
}

fn bad_encoding(bytes: &[u8], at: usize) -> RowError {
    let line = bytes[..at.min(bytes.len())].iter().filter(|b| **b == b'\n').count() as u64 + 1;
    RowError::new(
        line,
        None,
        "无法识别的文字编码（既不是 UTF-8 也不是 GB18030）".into(),
        "unrecognised text encoding (neither UTF-8 nor GB18030)".into(),
    )
}

fn header_col(name: &str) -> Option<Col> {
    let n = name.trim();
    COLUMNS.iter().find(|(_, en, zh)| en.eq_ignore_ascii_case(n) || *zh == n).map(|(c, _, _)| *c)
}

fn col_name(c: Col) -> &'static str {
    COLUMNS.iter().find(|(col, _, _)| *col == c).map_or("", |(_, en, _)| en)
}

/// Parses and checks a whole registry file. Either every site, or every error found.
pub fn parse(bytes: &[u8]) -> Result<Parsed, Vec<RowError>> {
    let (text, encoding) = decode(bytes).map_err(|e| vec![e])?;
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| vec![csv_error(&e)])?.clone();
    let mut errors = Vec::new();
    let mut index: HashMap<Col, usize> = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        match header_col(h) {
            Some(c) if index.contains_key(&c) => errors.push(RowError::new(
                1,
                Some(h),
                "列名重复".into(),
                "duplicate column".into(),
            )),
            Some(c) => {
                index.insert(c, i);
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
    for c in REQUIRED {
        if !index.contains_key(&c) {
            errors.push(RowError::new(
                1,
                Some(col_name(c)),
                "缺少必需的列".into(),
                "required column missing".into(),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut sites = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut lines = LineCounter::new(text.as_bytes());
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
        let get = |c: Col| index.get(&c).and_then(|i| record.get(*i)).unwrap_or("").trim().to_string();
        match row(line, &get) {
            Ok(site) => {
                if let Some(first) = seen.get(&site.code) {
                    errors.push(RowError::new(
                        line,
                        Some("code"),
                        format!("编号 {} 与第 {first} 行重复", site.code),
                        format!("code {} already used on line {first}", site.code),
                    ));
                } else {
                    seen.insert(site.code.clone(), line);
                    sites.push(site);
                }
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() { Ok(Parsed { sites, encoding }) } else { Err(errors) }
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
    RowError::new(line, None, format!("CSV 格式错误：{e}"), format!("malformed CSV: {e}"))
}

fn row(line: u64, get: &dyn Fn(Col) -> String) -> Result<SiteFields, Vec<RowError>> {
    let mut errors = Vec::new();
    for c in REQUIRED {
        if get(c).is_empty() {
            errors.push(RowError::new(
                line,
                Some(col_name(c)),
                "不能为空".into(),
                "must not be empty".into(),
            ));
        }
    }
    let kind_text = get(Col::Kind);
    let kind = Domain::parse_loose(&kind_text);
    if kind.is_none() && !kind_text.is_empty() {
        errors.push(RowError::new(
            line,
            Some("kind"),
            format!("未知的类型 `{kind_text}`，可用：养老机构、彩票投注站、救助管理站、社会组织（或 elderly_care 等英文键）"),
            format!(
                "unknown kind `{kind_text}`; expected elderly_care, lottery_outlet, rescue_station, social_org \
                 (or 养老机构, 彩票投注站, 救助管理站, 社会组织)"
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
                errors.push(RowError::new(
                    line,
                    Some(col_name(c)),
                    format!("`{text}` 不是 0 至 {max} 之间的整数"),
                    format!("`{text}` is not a whole number from 0 to {max}"),
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
            phone: get(Col::Phone),
            floors,
            beds,
            license: get(Col::License),
        }),
        _ => Err(errors),
    }
}
