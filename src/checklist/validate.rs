//! Checks that need the whole checklist: `when` conditions (known, earlier items; values that fit the item)
//! and the items a duty log's `[log]` table names.

use std::collections::HashMap;
use std::ops::Range;

use super::condition;
use super::item::ItemDraft;
use super::model::{AnswerKind, Checklist, Condition, Literal, LogSpec, Op, SiteAttr, Subject};
use super::problem::Problem;
use super::reader::{Sink, did_you_mean};
use crate::domain::Domain;

struct Known<'a> {
    position: usize,
    section: usize,
    in_repeat: bool,
    kind: &'a AnswerKind,
}

/// Parses and checks every item's `when`; returns the conditions in item order.
pub fn conditions(drafts: &[ItemDraft], source: &str, sink: &mut Sink) -> Vec<Option<Condition>> {
    let mut known: HashMap<&str, Known<'_>> = HashMap::new();
    for (position, d) in drafts.iter().enumerate() {
        known.entry(d.item.id.as_str()).or_insert(Known {
            position,
            section: d.section,
            in_repeat: d.in_repeat,
            kind: &d.item.kind,
        });
    }
    drafts
        .iter()
        .enumerate()
        .map(|(position, d)| {
            let (text, span) = d.when.as_ref()?;
            let cond = match condition::parse(text) {
                Ok(c) => c,
                Err(e) => {
                    sink.push(
                        inner_span(source, span, text, e.at),
                        Problem::WhenSyntax { zh: e.zh, en: e.en },
                    );
                    return None;
                }
            };
            let problem = match &cond.subject {
                Subject::Site(attr) => check_site(*attr, &cond),
                Subject::Item(id) => match known.get(id.as_str()) {
                    None => Some(Problem::WhenUnknownItem {
                        id: id.clone(),
                        // Only earlier items may be named, so only they are suggested.
                        suggestion: did_you_mean(id, drafts[..position].iter().map(|d| d.item.id.as_str())),
                    }),
                    Some(k) if k.position >= position => Some(Problem::WhenLaterItem { id: id.clone() }),
                    Some(k) if k.in_repeat && k.section != d.section => {
                        Some(Problem::WhenIntoRepeat { id: id.clone() })
                    }
                    Some(k) => check_item(k.kind, &cond),
                },
            };
            match problem {
                Some(p) => {
                    sink.push(span.clone(), p);
                    None
                }
                None => Some(cond),
            }
        })
        .collect()
}

/// Maps a range inside the condition text to the source, when the TOML string is written without escapes.
fn inner_span(source: &str, span: &Range<usize>, text: &str, at: Range<usize>) -> Range<usize> {
    let raw = source.get(span.clone()).unwrap_or("");
    let quoted = raw.len() == text.len() + 2 && raw.get(1..raw.len() - 1) == Some(text);
    if quoted {
        let base = span.start + 1;
        base + at.start.min(text.len())..base + at.end.min(text.len())
    } else {
        span.clone()
    }
}

fn bad(zh: String, en: String) -> Option<Problem> {
    Some(Problem::WhenBadValue { zh, en })
}

fn words(cond: &Condition) -> Option<&str> {
    match &cond.value {
        Literal::Word(w) => Some(w),
        Literal::Number(_) => None,
    }
}

fn needs_number(cond: &Condition) -> Option<Problem> {
    if cond.op == Op::Has {
        return bad("`has` 只能用于多选项".into(), "`has` only applies to multi_choice items".into());
    }
    match cond.value {
        Literal::Number(_) => None,
        Literal::Word(_) => bad("应与数字比较".into(), "must be compared with a number".into()),
    }
}

fn needs_equality(cond: &Condition, what_zh: &str, what_en: &str) -> Option<Problem> {
    if matches!(cond.op, Op::Eq | Op::Ne) {
        None
    } else {
        bad(format!("{what_zh}只能用 == 或 != 比较"), format!("{what_en} can only be compared with == or !="))
    }
}

fn one_of(cond: &Condition, allowed: &[&str]) -> Option<Problem> {
    match words(cond) {
        Some(w) if allowed.contains(&w) => None,
        _ => {
            let v = match &cond.value {
                Literal::Word(w) => w.clone(),
                Literal::Number(n) => n.to_string(),
            };
            let v = crate::shown::quote(&v);
            bad(
                format!("取值 `{v}` 无效，可用：{}", allowed.join("、")),
                format!("value `{v}` is not one of: {}", allowed.join(", ")),
            )
        }
    }
}

fn check_site(attr: SiteAttr, cond: &Condition) -> Option<Problem> {
    match attr {
        SiteAttr::Floors | SiteAttr::Beds => needs_number(cond),
        SiteAttr::Town => needs_equality(cond, "镇街", "site.town"),
        SiteAttr::Kind => {
            needs_equality(cond, "单位类型", "site.kind").or_else(|| one_of(cond, &Domain::keys()))
        }
    }
}

fn check_item(kind: &AnswerKind, cond: &Condition) -> Option<Problem> {
    match kind {
        AnswerKind::Check => needs_equality(cond, "检查项结果", "a check item")
            .or_else(|| one_of(cond, &["pass", "fail", "na"])),
        AnswerKind::Number(_) => needs_number(cond),
        AnswerKind::Choice(opts) => {
            let keys: Vec<&str> = opts.iter().map(|o| o.key.as_str()).collect();
            needs_equality(cond, "单选项", "a choice item").or_else(|| one_of(cond, &keys))
        }
        AnswerKind::MultiChoice(opts) => {
            let keys: Vec<&str> = opts.iter().map(|o| o.key.as_str()).collect();
            if cond.op != Op::Has {
                return bad(
                    "多选项只能用 `has` 判断".into(),
                    "a multi_choice item can only be tested with `has`".into(),
                );
            }
            one_of(cond, &keys)
        }
        AnswerKind::Text { .. } | AnswerKind::Date | AnswerKind::Time | AnswerKind::DateTime => {
            needs_equality(cond, "文本或日期", "a text or date item")
        }
    }
}

/// The `[log]` table must name existing, non-repeated items of the right kind.
pub fn log_items(checklist: &Checklist, spec: &LogSpec, spans: &[Range<usize>], sink: &mut Sink) {
    let wanted = [
        ("shift_start", &spec.shift_start, "datetime"),
        ("shift_end", &spec.shift_end, "datetime"),
        ("officers", &spec.officers, "text"),
        ("handover", &spec.handover, "text"),
    ];
    for ((key, id, expected), span) in wanted.into_iter().zip(spans) {
        if id.is_empty() {
            continue; // reported as a missing key already
        }
        match checklist.items().find(|(_, i)| &i.id == id) {
            None => sink.push(span.clone(), Problem::LogItemUnknown { key: key.into(), id: id.clone() }),
            Some((section, item)) => {
                if item.kind.key() != expected {
                    sink.push(
                        span.clone(),
                        Problem::LogItemKind { key: key.into(), id: id.clone(), expected },
                    );
                } else if section.repeat.is_some() {
                    sink.push(span.clone(), Problem::LogItemInRepeat { id: id.clone() });
                }
            }
        }
    }
}
