//! Typed access to a parsed TOML table that records every problem instead of stopping at the first, so one
//! `ducha check` run reports all of a file's mistakes.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::problem::{Diagnostic, Problem};

/// Collected diagnostics of one file.
#[derive(Default)]
pub struct Sink {
    pub diags: Vec<Diagnostic>,
}

impl Sink {
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
        DeValue::Integer(_) => to_i64(v).map(|i| i as f64),
        DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
        _ => None,
    }
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
                let suggestion = allowed
                    .iter()
                    .map(|a| (strsim::damerau_levenshtein(a, key), *a))
                    .filter(|(d, a)| *d <= 2.max(a.len() / 3))
                    .min()
                    .map(|(_, a)| a.to_string());
                sink.push(k.span(), Problem::UnknownKey { key: key.into(), suggestion });
            }
        }
    }

    fn typed<T>(
        &self,
        key: &str,
        expected: &'static str,
        convert: impl Fn(&DeValue<'i>) -> Option<T>,
        sink: &mut Sink,
    ) -> Option<(T, Range<usize>)> {
        let (_, v) = self.entry(key)?;
        match convert(v.get_ref()) {
            Some(t) => Some((t, v.span())),
            None => {
                let found = type_name(v.get_ref());
                let problem = if found == "an integer" && expected == "an integer" {
                    Problem::OutOfRange {
                        key: key.into(),
                        value: match v.get_ref() {
                            DeValue::Integer(i) => i.as_str().to_string(),
                            _ => String::new(),
                        },
                        min: i64::MIN,
                        max: i64::MAX,
                    }
                } else {
                    Problem::WrongType { key: key.into(), expected, found }
                };
                sink.push(v.span(), problem);
                None
            }
        }
    }

    pub fn str(&self, key: &str, sink: &mut Sink) -> Option<(String, Range<usize>)> {
        self.typed(key, "a string", |v| v.as_str().map(str::to_string), sink)
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
        self.typed(key, "a boolean", DeValue::as_bool, sink).map(|(b, _)| b)
    }

    pub fn number(&self, key: &str, sink: &mut Sink) -> Option<(f64, Range<usize>)> {
        let found = self.typed(key, "a number", to_f64, sink)?;
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
        let (v, span) = self.typed(key, "an integer", to_i64, sink)?;
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
