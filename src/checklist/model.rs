//! The checklist as the rest of ducha sees it: plain data, validated by the loader.

use crate::domain::{Domain, Severity};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A one-off visit.
    Inspection,
    /// A recurring duty log, one entry per shift.
    Log,
}

impl Mode {
    pub fn key(self) -> &'static str {
        match self {
            Mode::Inspection => "inspection",
            Mode::Log => "log",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Checklist {
    pub id: String,
    pub version: u32,
    pub title: String,
    pub domain: Domain,
    pub site_kinds: Vec<Domain>,
    pub mode: Mode,
    pub description: String,
    pub min_inspectors: u8,
    pub scoring: bool,
    pub log: Option<LogSpec>,
    pub sections: Vec<Section>,
}

/// The items a duty log's shift bookkeeping relies on.
#[derive(Clone, Debug, PartialEq)]
pub struct LogSpec {
    pub shift_start: String,
    pub shift_end: String,
    pub officers: String,
    pub handover: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub description: String,
    pub repeat: Option<Repeat>,
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Repeat {
    pub label: String,
    pub min: u32,
    pub max: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub id: String,
    pub prompt: String,
    pub guidance: String,
    pub basis: String,
    pub kind: AnswerKind,
    pub required: bool,
    pub severity: Severity,
    pub major_hazard: bool,
    pub requirement: String,
    pub deadline_days: u32,
    pub evidence_on_fail: bool,
    pub weight: f64,
    pub when: Option<Condition>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum AnswerKind {
    Check,
    Number(NumberSpec),
    Text { multiline: bool },
    Choice(Vec<ChoiceOption>),
    MultiChoice(Vec<ChoiceOption>),
    Date,
    Time,
    DateTime,
}

impl AnswerKind {
    pub const KEYS: [&'static str; 8] =
        ["check", "number", "text", "choice", "multi_choice", "date", "time", "datetime"];

    pub fn key(&self) -> &'static str {
        match self {
            AnswerKind::Check => "check",
            AnswerKind::Number(_) => "number",
            AnswerKind::Text { .. } => "text",
            AnswerKind::Choice(_) => "choice",
            AnswerKind::MultiChoice(_) => "multi_choice",
            AnswerKind::Date => "date",
            AnswerKind::Time => "time",
            AnswerKind::DateTime => "datetime",
        }
    }

    pub fn options(&self) -> &[ChoiceOption] {
        match self {
            AnswerKind::Choice(o) | AnswerKind::MultiChoice(o) => o,
            _ => &[],
        }
    }
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct NumberSpec {
    pub unit: String,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub pass_min: Option<f64>,
    pub pass_max: Option<f64>,
}

impl NumberSpec {
    /// Whether a value lies in the allowed range (values outside it are refused, not failures).
    pub fn allows(&self, v: f64) -> bool {
        v.is_finite() && self.min.is_none_or(|m| v >= m) && self.max.is_none_or(|m| v <= m)
    }

    /// Whether a value passes; `None` when the item has no pass range (the number is only recorded).
    pub fn passes(&self, v: f64) -> Option<bool> {
        if self.pass_min.is_none() && self.pass_max.is_none() {
            return None;
        }
        Some(self.pass_min.is_none_or(|m| v >= m) && self.pass_max.is_none_or(|m| v <= m))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ChoiceOption {
    pub key: String,
    pub label: String,
    pub fail: bool,
}

/// A `when` condition: one comparison of a site attribute or an earlier answer with a literal.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    pub source: String,
    pub subject: Subject,
    pub op: Op,
    pub value: Literal,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Subject {
    Site(SiteAttr),
    Item(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SiteAttr {
    Floors,
    Beds,
    Town,
    Kind,
}

impl SiteAttr {
    pub const ALL: [(&'static str, SiteAttr); 4] = [
        ("floors", SiteAttr::Floors),
        ("beds", SiteAttr::Beds),
        ("town", SiteAttr::Town),
        ("kind", SiteAttr::Kind),
    ];

    pub fn is_numeric(self) -> bool {
        matches!(self, SiteAttr::Floors | SiteAttr::Beds)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Ge,
    Le,
    Gt,
    Lt,
    Has,
}

impl Op {
    pub fn is_ordering(self) -> bool {
        matches!(self, Op::Ge | Op::Le | Op::Gt | Op::Lt)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Number(f64),
    Word(String),
}

impl Checklist {
    /// All items in document order, with the section each belongs to.
    pub fn items(&self) -> impl Iterator<Item = (&Section, &Item)> {
        self.sections.iter().flat_map(|s| s.items.iter().map(move |i| (s, i)))
    }

    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items().map(|(_, i)| i).find(|i| i.id == id)
    }

    pub fn item_count(&self) -> usize {
        self.sections.iter().map(|s| s.items.len()).sum()
    }

    pub fn applies_to(&self, kind: Domain) -> bool {
        self.site_kinds.contains(&kind)
    }
}
