//! Builds a [`Checklist`] from TOML source, collecting every problem with its place.

use std::collections::HashMap;
use std::ops::Range;

use toml::de::DeTable;

use super::guard;
use super::item::{ItemDraft, parse_item};
use super::model::{Checklist, LogSpec, Mode, Repeat, Section};
use super::problem::{Diagnostic, Problem};
use super::reader::{Obj, Sink};
use super::validate;
use crate::domain::Domain;

pub const MAX_SECTIONS: usize = 100;
pub const MAX_ITEMS: usize = 2000;

const TOP_KEYS: &[&str] = &[
    "format",
    "id",
    "version",
    "title",
    "domain",
    "site_kinds",
    "mode",
    "description",
    "min_inspectors",
    "scoring",
    "log",
    "sections",
];
const SECTION_KEYS: &[&str] =
    &["id", "title", "description", "repeat", "instance_label", "min_instances", "max_instances", "items"];
const LOG_KEYS: &[&str] = &["shift_start", "shift_end", "officers", "handover"];

/// Ids of checklists, sections, items and options: ASCII letters, digits, `_` and `-`, starting with a letter.
pub fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && id.len() <= 64
}

/// Checks an id's form and uniqueness among `seen` (id → line of first use).
pub(super) fn check_id(
    what: &'static str,
    id: &str,
    span: Range<usize>,
    source: &str,
    seen: &mut HashMap<String, usize>,
    sink: &mut Sink,
) {
    if !valid_id(id) {
        sink.push(span, Problem::BadId { id: id.into() });
    } else if let Some(first_line) = seen.get(id) {
        sink.push(span, Problem::DuplicateId { what, id: id.into(), first_line: *first_line });
    } else {
        let line = sink.line_of(source, span.start);
        seen.insert(id.into(), line);
    }
}

/// Parses and validates one checklist. Either a checklist with no problems, or every problem found.
pub fn parse_checklist(source: &str) -> Result<Checklist, Vec<Diagnostic>> {
    if let Some(d) = guard::check_text(source) {
        return Err(vec![d]);
    }
    let (doc, errors) = DeTable::parse_recoverable(source);
    if !errors.is_empty() {
        // A half-parsed document would produce misleading follow-on errors: report the syntax only.
        return Err(errors
            .iter()
            .map(|e| Diagnostic {
                span: e.span().unwrap_or(0..0),
                problem: Problem::Syntax(e.message().to_string()),
            })
            .collect());
    }
    let mut sink = Sink::new(source);
    let root = Obj::new(&doc);
    let checklist = build(root, source, &mut sink);
    if sink.diags.is_empty() {
        Ok(checklist)
    } else {
        sink.diags.sort_by_key(|d| d.span.start);
        Err(sink.diags)
    }
}

fn enum_value<T>(
    obj: Obj<'_, '_>,
    key: &str,
    parse: impl Fn(&str) -> Option<T>,
    allowed: &[&str],
    sink: &mut Sink,
) -> Option<T> {
    let (text, span) = obj.str(key, sink)?;
    let found = parse(&text);
    if found.is_none() {
        sink.push(
            span,
            Problem::UnknownValue {
                key: key.into(),
                value: text,
                allowed: allowed.iter().map(|s| s.to_string()).collect(),
            },
        );
    }
    found
}

fn build(root: Obj<'_, '_>, source: &str, sink: &mut Sink) -> Checklist {
    root.check_keys(TOP_KEYS, sink);
    root.int_in("format", 1, 1, sink);
    let id = match root.req_str("id", sink) {
        Some((id, span)) => {
            if !valid_id(&id) {
                sink.push(span, Problem::BadId { id: id.clone() });
            }
            id
        }
        None => String::new(),
    };
    if !root.has("version") {
        root.missing("version", sink);
    }
    let version = root.int_in("version", 1, i64::from(u32::MAX), sink).unwrap_or(1) as u32;
    let title = root.req_str("title", sink).map(|(t, _)| t).unwrap_or_default();
    if !root.has("domain") {
        root.missing("domain", sink);
    }
    let domains = Domain::keys();
    let domain = enum_value(root, "domain", Domain::from_key, &domains, sink);
    let site_kinds = match root.strs("site_kinds", sink) {
        Some(kinds) => {
            if kinds.is_empty()
                && let Some(span) = root.value_span("site_kinds")
            {
                sink.push(span, Problem::EmptyList { key: "site_kinds".into() });
            }
            kinds
                .into_iter()
                .filter_map(|(k, span)| {
                    let d = Domain::from_key(&k);
                    if d.is_none() {
                        sink.push(
                            span,
                            Problem::UnknownValue {
                                key: "site_kinds".into(),
                                value: k,
                                allowed: domains.iter().map(|s| s.to_string()).collect(),
                            },
                        );
                    }
                    d
                })
                .collect()
        }
        None => domain.into_iter().collect(),
    };
    let mode = enum_value(
        root,
        "mode",
        |m| match m {
            "inspection" => Some(Mode::Inspection),
            "log" => Some(Mode::Log),
            _ => None,
        },
        &["inspection", "log"],
        sink,
    )
    .unwrap_or(Mode::Inspection);
    let description = root.text("description", sink);
    let min_inspectors = root.int_in("min_inspectors", 1, 10, sink).unwrap_or(1) as u8;
    let scoring = root.bool("scoring", sink).unwrap_or(false);

    let (sections, drafts) = build_sections(root, source, sink);
    let log_table = root.table("log", sink);
    let log = match (mode, log_table) {
        (Mode::Log, Some(t)) => Some(build_log(t, sink)),
        (Mode::Log, None) => {
            if !root.has("log") {
                let start = root.start;
                sink.push(start..start, Problem::LogNeedsTable);
            }
            None
        }
        (Mode::Inspection, Some(_)) => {
            if let Some(span) = root.key_span("log") {
                sink.push(span, Problem::LogOnlyInLogMode);
            }
            None
        }
        (Mode::Inspection, None) => None,
    };

    let mut checklist = Checklist {
        id,
        version,
        title,
        domain: domain.unwrap_or(Domain::ElderlyCare),
        site_kinds,
        mode,
        description,
        min_inspectors,
        scoring,
        log: log.as_ref().map(|(spec, _)| spec.clone()),
        sections,
    };
    let conditions = validate::conditions(&drafts, source, sink);
    let items = checklist.sections.iter_mut().flat_map(|s| s.items.iter_mut());
    for (item, when) in items.zip(conditions) {
        item.when = when;
    }
    if let Some((spec, spans)) = &log {
        validate::log_items(&checklist, spec, spans, sink);
    }
    checklist
}

fn build_sections(root: Obj<'_, '_>, source: &str, sink: &mut Sink) -> (Vec<Section>, Vec<ItemDraft>) {
    let mut sections = Vec::new();
    let mut drafts = Vec::new();
    let Some((tables, span)) = root.tables("sections", sink) else {
        if !root.has("sections") {
            root.missing("sections", sink);
        }
        return (sections, drafts);
    };
    if tables.is_empty() {
        sink.push(span.clone(), Problem::EmptyList { key: "sections".into() });
    }
    if tables.len() > MAX_SECTIONS {
        sink.push(span, Problem::TooMany { what: "sections", count: tables.len(), limit: MAX_SECTIONS });
        return (sections, drafts);
    }
    let mut section_ids = HashMap::new();
    let mut item_ids = HashMap::new();
    for (index, t) in tables.into_iter().enumerate() {
        t.check_keys(SECTION_KEYS, sink);
        let id = match t.req_str("id", sink) {
            Some((id, span)) => {
                check_id("section", &id, span, source, &mut section_ids, sink);
                id
            }
            None => String::new(),
        };
        let title = t.req_str("title", sink).map(|(s, _)| s).unwrap_or_default();
        let description = t.text("description", sink);
        let repeat = t.bool("repeat", sink).unwrap_or(false);
        let min = t.int_in("min_instances", 0, 1000, sink);
        let max = t.int_in("max_instances", 1, 1000, sink);
        let label = t.str("instance_label", sink);
        if !repeat {
            for key in ["instance_label", "min_instances", "max_instances"] {
                if let Some(span) = t.key_span(key) {
                    sink.push(span, Problem::KeyNeedsRepeat { key: key.into() });
                }
            }
        }
        if let (Some(lo), Some(hi)) = (min, max)
            && lo > hi
            && let Some(span) = t.value_span("min_instances")
        {
            sink.push(
                span,
                Problem::MinAboveMax { min_key: "min_instances".into(), max_key: "max_instances".into() },
            );
        }
        let mut items = Vec::new();
        match t.tables("items", sink) {
            Some((item_tables, items_span)) => {
                if item_tables.is_empty() {
                    sink.push(items_span, Problem::EmptyList { key: "items".into() });
                }
                for it in item_tables {
                    if drafts.len() >= MAX_ITEMS {
                        sink.push(
                            it.start..it.end,
                            Problem::TooMany { what: "items", count: drafts.len() + 1, limit: MAX_ITEMS },
                        );
                        break;
                    }
                    let draft = parse_item(it, index, repeat, source, &mut item_ids, sink);
                    items.push(draft.item.clone());
                    drafts.push(draft);
                }
            }
            None if !t.has("items") => {
                // A section with no items at all: point at its header.
                let start = t.start;
                sink.push(start..start, Problem::EmptyList { key: "items".into() });
            }
            None => {}
        }
        sections.push(Section {
            id,
            title,
            description,
            repeat: repeat.then(|| Repeat {
                label: label.map(|(l, _)| l).unwrap_or_default(),
                min: min.unwrap_or(0) as u32,
                max: max.unwrap_or(100) as u32,
            }),
            items,
        });
    }
    (sections, drafts)
}

/// The `[log]` table's item ids and the spans of their values.
fn build_log(t: Obj<'_, '_>, sink: &mut Sink) -> (LogSpec, Vec<Range<usize>>) {
    t.check_keys(LOG_KEYS, sink);
    let mut ids = Vec::new();
    let mut spans = Vec::new();
    for key in LOG_KEYS {
        let (id, span) = t.req_str(key, sink).unwrap_or_else(|| (String::new(), t.start..t.start));
        ids.push(id);
        spans.push(span);
    }
    let mut ids = ids.into_iter();
    let mut next = || ids.next().unwrap_or_default();
    let spec = LogSpec { shift_start: next(), shift_end: next(), officers: next(), handover: next() };
    (spec, spans)
}
