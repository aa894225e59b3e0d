//! One `[[sections.items]]` table: its keys, its answer kind and the keys that belong to that kind.

use std::collections::HashMap;
use std::ops::Range;

use super::model::{AnswerKind, ChoiceOption, Item, NumberSpec};
use super::parse::check_id;
use super::problem::Problem;
use super::reader::{Obj, Sink};
use crate::domain::Severity;

const COMMON_KEYS: &[&str] = &[
    "id",
    "prompt",
    "guidance",
    "basis",
    "kind",
    "required",
    "severity",
    "major_hazard",
    "requirement",
    "deadline_days",
    "evidence_on_fail",
    "weight",
    "when",
];
const KIND_KEYS: &[&str] = &["unit", "min", "max", "pass_min", "pass_max", "multiline", "options"];
const OPTION_KEYS: &[&str] = &["key", "label", "fail"];

/// An item with what the cross-item checks need to know about where it sits.
pub struct ItemDraft {
    pub item: Item,
    pub section: usize,
    pub in_repeat: bool,
    /// The raw `when` text and its span, checked once every item is known.
    pub when: Option<(String, Range<usize>)>,
}

fn kind_keys(kind: &str) -> &'static [&'static str] {
    match kind {
        "number" => &["unit", "min", "max", "pass_min", "pass_max"],
        "text" => &["multiline"],
        "choice" | "multi_choice" => &["options"],
        _ => &[],
    }
}

pub fn parse_item(
    t: Obj<'_, '_>,
    section: usize,
    in_repeat: bool,
    source: &str,
    ids: &mut HashMap<String, usize>,
    sink: &mut Sink,
) -> ItemDraft {
    let all_keys: Vec<&str> = COMMON_KEYS.iter().chain(KIND_KEYS).copied().collect();
    t.check_keys(&all_keys, sink);
    let id = match t.req_str("id", sink) {
        Some((id, span)) => {
            check_id("item", &id, span, source, ids, sink);
            id
        }
        None => String::new(),
    };
    let prompt = t.req_str("prompt", sink).map(|(p, _)| p).unwrap_or_default();
    let kind = parse_kind(t, source, sink);

    let severity = match t.str("severity", sink) {
        Some((s, span)) => Severity::from_key(&s).unwrap_or_else(|| {
            sink.push(
                span,
                Problem::UnknownValue {
                    key: "severity".into(),
                    value: s,
                    allowed: Severity::ALL.iter().map(|s| s.key().to_string()).collect(),
                },
            );
            Severity::Minor
        }),
        None => Severity::Minor,
    };
    let major_hazard = t.bool("major_hazard", sink).unwrap_or(false);
    if major_hazard
        && severity != Severity::Critical
        && let Some(span) = t.key_span("major_hazard")
    {
        sink.push(span, Problem::HazardNotCritical);
    }
    let weight = match t.number("weight", sink) {
        Some((w, span)) if w <= 0.0 => {
            sink.push(
                span,
                Problem::OutOfRange { key: "weight".into(), value: w.to_string(), min: 0, max: 1000 },
            );
            1.0
        }
        Some((w, _)) => w,
        None => 1.0,
    };
    let item = Item {
        id,
        prompt,
        guidance: t.text("guidance", sink),
        basis: t.text("basis", sink),
        kind: kind.unwrap_or(AnswerKind::Check),
        required: t.bool("required", sink).unwrap_or(true),
        severity,
        major_hazard,
        requirement: t.text("requirement", sink),
        deadline_days: t.int_in("deadline_days", 0, 365, sink).unwrap_or(30) as u32,
        evidence_on_fail: t.bool("evidence_on_fail", sink).unwrap_or(false),
        weight,
        when: None,
    };
    ItemDraft { item, section, in_repeat, when: t.str("when", sink) }
}

fn parse_kind(t: Obj<'_, '_>, source: &str, sink: &mut Sink) -> Option<AnswerKind> {
    if !t.has("kind") {
        t.missing("kind", sink);
    }
    let (kind, span) = t.str("kind", sink)?;
    if !AnswerKind::KEYS.contains(&kind.as_str()) {
        sink.push(
            span,
            Problem::UnknownValue {
                key: "kind".into(),
                value: kind,
                allowed: AnswerKind::KEYS.iter().map(|s| s.to_string()).collect(),
            },
        );
        return None;
    }
    let own = kind_keys(&kind);
    for key in KIND_KEYS {
        if !own.contains(key)
            && let Some(span) = t.key_span(key)
        {
            sink.push(span, Problem::KeyNotForKind { key: (*key).into(), kind: kind.clone() });
        }
    }
    Some(match kind.as_str() {
        "check" => AnswerKind::Check,
        "number" => AnswerKind::Number(parse_number(t, sink)),
        "text" => AnswerKind::Text { multiline: t.bool("multiline", sink).unwrap_or(false) },
        "choice" => AnswerKind::Choice(parse_options(t, source, sink)),
        "multi_choice" => AnswerKind::MultiChoice(parse_options(t, source, sink)),
        "date" => AnswerKind::Date,
        "time" => AnswerKind::Time,
        _ => AnswerKind::DateTime,
    })
}

fn parse_number(t: Obj<'_, '_>, sink: &mut Sink) -> NumberSpec {
    let min = t.number("min", sink);
    let max = t.number("max", sink);
    let pass_min = t.number("pass_min", sink);
    let pass_max = t.number("pass_max", sink);
    for (lo, hi, lo_key, hi_key) in
        [(&min, &max, "min", "max"), (&pass_min, &pass_max, "pass_min", "pass_max")]
    {
        if let (Some((l, span)), Some((h, _))) = (lo, hi)
            && l > h
        {
            sink.push(span.clone(), Problem::MinAboveMax { min_key: lo_key.into(), max_key: hi_key.into() });
        }
    }
    let spec = NumberSpec {
        unit: t.text("unit", sink),
        min: min.map(|(v, _)| v),
        max: max.map(|(v, _)| v),
        pass_min: pass_min.as_ref().map(|(v, _)| *v),
        pass_max: pass_max.as_ref().map(|(v, _)| *v),
    };
    for bound in [&pass_min, &pass_max] {
        if let Some((v, span)) = bound
            && !spec.allows(*v)
        {
            sink.push(span.clone(), Problem::PassOutsideAllowed);
        }
    }
    spec
}

fn parse_options(t: Obj<'_, '_>, source: &str, sink: &mut Sink) -> Vec<ChoiceOption> {
    let Some((tables, span)) = t.tables("options", sink) else {
        if !t.has("options") {
            t.missing("options", sink);
        }
        return Vec::new();
    };
    if tables.len() < 2 {
        sink.push(span, Problem::TooFewOptions);
    }
    let mut keys = HashMap::new();
    let mut options = Vec::new();
    for o in tables {
        o.check_keys(OPTION_KEYS, sink);
        let key = match o.req_str("key", sink) {
            Some((k, span)) => {
                check_id("option", &k, span, source, &mut keys, sink);
                k
            }
            None => String::new(),
        };
        options.push(ChoiceOption {
            key,
            label: o.req_str("label", sink).map(|(l, _)| l).unwrap_or_default(),
            fail: o.bool("fail", sink).unwrap_or(false),
        });
    }
    options
}
