//! Typed access to a parsed TOML table that records every problem instead of stopping at the first, so one
//! `ducha check` run reports all of a file's mistakes.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::problem::{Diagnostic, Problem};
use crate::diagnostics::LineIndex;

/// Collected diagnostics of one file, and the file's line index (built once: looking lines up by scanning
/// the source for each id would make a large checklist quadratic to check).
pub struct Sink {
    pub diags: Vec<Diagnostic>,
    lines: LineIndex,
}

impl Sink {
    pub fn new(source: &str) -> Self {
        Sink { diags: Vec::new(), lines: LineIndex::new(source) }
    }

    /// The 1-based line of a byte offset of the source the sink was made for.
    pub fn line_of(&self, source: &str, offset: usize) -> usize {
        self.lines.line_col(source, offset).0
    }

    pub fn push(&mut self, span: Range<usize>, problem: Problem) {
        self.diags.push(Diagnostic { span, problem });
    }
}

/// A TOML table with the span it came from.
#[derive(Clone, Copy)]
pub struct Obj<'a, 'i> {
    pub table: &'a DeTable<'i>,
    /// Byte offsets of the table in the source (kept as two numbers so `Obj` is `Copy`).
    pub start: usize,
    pub end: usize,
}

pub fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a datetime",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

fn to_i64(v: &DeValue<'_>) -> Option<i64> {
    match v {
        DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok(),
        _ => None,
    }
}

fn to_f64(v: &DeValue<'_>) -> Option<f64> {
    match v {
        // A decimal integer too large for i64 is still a number.
        DeValue::Integer(i) => match to_i64(v) {
            Some(n) => Some(n as f64),
            None if i.radix() == 10 => i.as_str().replace('_', "").parse::<f64>().ok(),
            None => None,
        },
        DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
        _ => None,
    }
}

/// An integer as written, with its radix prefix (the toml crate keeps the digits apart from it).
fn integer_text(v: &DeValue<'_>) -> Option<(String, bool)> {
    let DeValue::Integer(i) = v else { return None };
    let prefix = match i.radix() {
        2 => "0b",
        8 => "0o",
        16 => "0x",
        _ => "",
    };
    let digits = i.as_str();
    Some((format!("{prefix}{digits}"), digits.trim_start_matches(['+', '-']).replace('_', "").is_empty()))
}

/// Suggests the candidate closest to a misspelt word, only when it is close: at most two edits, and fewer
/// edits than the word has characters left intact (so `a` suggests nothing rather than `id`).
pub fn did_you_mean<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<String> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(c, word), c))
        .filter(|(d, c)| {
            let len = word.chars().count().max(c.chars().count());
            *d <= 2 && *d * 2 < len && *d > 0
        })
        .min()
        .map(|(_, c)| c.to_string())
}

impl<'a, 'i> Obj<'a, 'i> {
    pub fn new(table: &'a Spanned<DeTable<'i>>) -> Self {
        let span = table.span();
        Obj { table: table.get_ref(), start: span.start, end: span.end }
    }

    fn entry(&self, key: &str) -> Option<(Range<usize>, &'a Spanned<DeValue<'i>>)> {
        self.table.iter().find(|(k, _)| k.get_ref().as_ref() == key).map(|(k, v)| (k.span(), v))
    }

    pub fn has(&self, key: &str) -> bool {
        self.entry(key).is_some()
    }

    /// The span of `key` itself, for problems about the key rather than its value.
    pub fn key_span(&self, key: &str) -> Option<Range<usize>> {
        self.entry(key).map(|(s, _)| s)
    }

    pub fn value_span(&self, key: &str) -> Option<Range<usize>> {
        self.entry(key).map(|(_, v)| v.span())
    }

    /// Where to point when a required key is missing: the start of the table.
    pub fn missing(&self, key: &str, sink: &mut Sink) {
        let start = self.start;
        sink.push(start..start, Problem::MissingKey { key: key.into() });
    }

    /// Reports every key outside `allowed`, suggesting the closest allowed one for typos.
    pub fn check_keys(&self, allowed: &[&str], sink: &mut Sink) {
        for (k, _) in self.table.iter() {
            let key = k.get_ref().as_ref();
            if !allowed.contains(&key) {
                // Keys of megabytes are not compared: no key of ours is that long.
                let suggestion =
                    if key.len() > 64 { None } else { did_you_mean(key, allowed.iter().copied()) };
                sink.push(k.span(), Problem::UnknownKey { key: key.into(), suggestion });
            }
        }
    }

    /// The value of `key` converted, or a problem reported: a wrong type, an integer with no digits
    /// (`0x`), or one outside `range` (the caller's own, so the message gives the bounds that apply).
    fn typed<T>(
        &self,
        key: &str,
        expected: &'static str,
        convert: impl Fn(&DeValue<'i>) -> Option<T>,
        range: Option<(i64, i64)>,
        sink: &mut Sink,
    ) -> Option<(T, Range<usize>)> {
        let (_, v) = self.entry(key)?;
        if let Some(t) = convert(v.get_ref()) {
            return Some((t, v.span()));
        }
        let numeric = matches!(expected, "an integer" | "a number");
        let problem = match integer_text(v.get_ref()) {
            Some((text, true)) if numeric => Problem::NoDigits { key: key.into(), value: text },
            Some((value, false)) if numeric => {
                let (min, max) = range.unwrap_or((i64::MIN, i64::MAX));
                Problem::OutOfRange { key: key.into(), value, min, max }
            }
            _ => Problem::WrongType { key: key.into(), expected, found: type_name(v.get_ref()) },
        };
        sink.push(v.span(), problem);
        None
    }

    pub fn str(&self, key: &str, sink: &mut Sink) -> Option<(String, Range<usize>)> {
        self.typed(key, "a string", |v| v.as_str().map(str::to_string), None, sink)
    }

    pub fn req_str(&self, key: &str, sink: &mut Sink) -> Option<(String, Range<usize>)> {
        if !self.has(key) {
            self.missing(key, sink);
            return None;
        }
        self.str(key, sink)
    }

    /// An optional string, empty when absent or mistyped.
    pub fn text(&self, key: &str, sink: &mut Sink) -> String {
        self.str(key, sink).map(|(s, _)| s).unwrap_or_default()
    }

    pub fn bool(&self, key: &str, sink: &mut Sink) -> Option<bool> {
        self.typed(key, "a boolean", DeValue::as_bool, None, sink).map(|(b, _)| b)
    }

    pub fn number(&self, key: &str, sink: &mut Sink) -> Option<(f64, Range<usize>)> {
        let found = self.typed(key, "a number", to_f64, None, sink)?;
        if found.0.is_finite() {
            Some(found)
        } else {
            sink.push(
                found.1.clone(),
                Problem::WrongType { key: key.into(), expected: "a number", found: "a float" },
            );
            None
        }
    }

    /// An integer within `min..=max`; out-of-range values are reported.
    pub fn int_in(&self, key: &str, min: i64, max: i64, sink: &mut Sink) -> Option<i64> {
        let (v, span) = self.typed(key, "an integer", to_i64, Some((min, max)), sink)?;
        if v < min || v > max {
            sink.push(span, Problem::OutOfRange { key: key.into(), value: v.to_string(), min, max });
            return None;
        }
        Some(v)
    }

    pub fn table(&self, key: &str, sink: &mut Sink) -> Option<Obj<'a, 'i>> {
        let (_, v) = self.entry(key)?;
        match v.get_ref() {
            DeValue::Table(t) => Some(Obj { table: t, start: v.span().start, end: v.span().end }),
            other => {
                sink.push(
                    v.span(),
                    Problem::WrongType { key: key.into(), expected: "a table", found: type_name(other) },
                );
                None
            }
        }
    }

    /// An array of tables; a non-table element is reported and skipped.
    pub fn tables(&self, key: &str, sink: &mut Sink) -> Option<(Vec<Obj<'a, 'i>>, Range<usize>)> {
        let (_, v) = self.entry(key)?;
        let DeValue::Array(arr) = v.get_ref() else {
            sink.push(
                v.span(),
                Problem::WrongType {
                    key: key.into(),
                    expected: "an array of tables",
                    found: type_name(v.get_ref()),
                },
            );
            return None;
        };
        let mut out = Vec::new();
        for el in arr.iter() {
            match el.get_ref() {
                DeValue::Table(t) => out.push(Obj { table: t, start: el.span().start, end: el.span().end }),
                other => sink.push(
                    el.span(),
                    Problem::WrongType { key: key.into(), expected: "a table", found: type_name(other) },
                ),
            }
        }
        Some((out, v.span()))
    }

    /// An array of strings; non-string elements are reported and skipped.
    pub fn strs(&self, key: &str, sink: &mut Sink) -> Option<Vec<(String, Range<usize>)>> {
        let (_, v) = self.entry(key)?;
        let DeValue::Array(arr) = v.get_ref() else {
            sink.push(
                v.span(),
                Problem::WrongType {
                    key: key.into(),
                    expected: "an array of strings",
                    found: type_name(v.get_ref()),
                },
            );
            return None;
        };
        let mut out = Vec::new();
        for el in arr.iter() {
            match el.get_ref().as_str() {
                Some(s) => out.push((s.to_string(), el.span())),
                None => sink.push(
                    el.span(),
                    Problem::WrongType {
                        key: key.into(),
                        expected: "a string",
                        found: type_name(el.get_ref()),
                    },
                ),
            }
        }
        Some(out)
    }
}
