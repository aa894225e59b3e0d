//! Answer values: parsing what the inspector typed, encoding for the database, the outcome an answer gives
//! for its item (a number outside the pass range is a failure by itself), and display.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::checklist::{AnswerKind, Item};
use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    Pass,
    Fail,
    Na,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Check(Check),
    Number(f64),
    Text(String),
    Choice(String),
    Multi(Vec<String>),
    Date(NaiveDate),
    Time(NaiveTime),
    DateTime(NaiveDateTime),
}

/// What an answer means for the item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    Pass,
    Fail,
    Na,
    /// A value with no pass/fail meaning (text, dates, numbers without a pass range).
    Recorded,
}

impl Outcome {
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Na => "na",
            Outcome::Recorded => "recorded",
        }
    }

    pub fn from_key(key: &str) -> Option<Outcome> {
        [Outcome::Pass, Outcome::Fail, Outcome::Na, Outcome::Recorded].into_iter().find(|o| o.key() == key)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Outcome::Pass => lang.pick("合格", "pass"),
            Outcome::Fail => lang.pick("不合格", "fail"),
            Outcome::Na => lang.pick("不适用", "n/a"),
            Outcome::Recorded => lang.pick("已填", "recorded"),
        }
    }
}

/// Why typed input is not a valid answer; shown next to the field.
#[derive(Clone, Debug, PartialEq)]
pub struct InputError {
    pub zh: String,
    pub en: String,
}

impl InputError {
    fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        InputError { zh: zh.into(), en: en.into() }
    }

    pub fn text(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

pub const DATE_FORMAT: &str = "%Y-%m-%d";
pub const TIME_FORMAT: &str = "%H:%M";
pub const DATETIME_FORMAT: &str = "%Y-%m-%d %H:%M";

fn fmt_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { format!("{n}") }
}

impl Value {
    /// The text stored in the database.
    pub fn encode(&self) -> String {
        match self {
            Value::Check(c) => match c {
                Check::Pass => "pass".into(),
                Check::Fail => "fail".into(),
                Check::Na => "na".into(),
            },
            Value::Number(n) => fmt_number(*n),
            Value::Text(t) | Value::Choice(t) => t.clone(),
            Value::Multi(keys) => serde_json::to_string(keys).unwrap_or_else(|_| "[]".into()),
            Value::Date(d) => d.format(DATE_FORMAT).to_string(),
            Value::Time(t) => t.format(TIME_FORMAT).to_string(),
            Value::DateTime(t) => t.format(DATETIME_FORMAT).to_string(),
        }
    }

    /// Reads a stored value back for an item of `kind`.
    pub fn decode(kind: &AnswerKind, text: &str) -> Option<Value> {
        Some(match kind {
            AnswerKind::Check => Value::Check(match text {
                "pass" => Check::Pass,
                "fail" => Check::Fail,
                "na" => Check::Na,
                _ => return None,
            }),
            AnswerKind::Number(_) => Value::Number(text.parse().ok()?),
            AnswerKind::Text { .. } => Value::Text(text.into()),
            AnswerKind::Choice(_) => Value::Choice(text.into()),
            AnswerKind::MultiChoice(_) => Value::Multi(serde_json::from_str(text).ok()?),
            AnswerKind::Date => Value::Date(NaiveDate::parse_from_str(text, DATE_FORMAT).ok()?),
            AnswerKind::Time => Value::Time(NaiveTime::parse_from_str(text, TIME_FORMAT).ok()?),
            AnswerKind::DateTime => {
                Value::DateTime(NaiveDateTime::parse_from_str(text, DATETIME_FORMAT).ok()?)
            }
        })
    }

    /// Parses typed input for a number, text, date, time or datetime item.
    pub fn parse_input(kind: &AnswerKind, input: &str) -> Result<Value, InputError> {
        let t = input.trim();
        match kind {
            AnswerKind::Number(spec) => {
                let n: f64 = t.parse().ok().filter(|n: &f64| n.is_finite()).ok_or_else(|| {
                    InputError::new(format!("“{t}”不是数字"), format!("“{t}” is not a number"))
                })?;
                if !spec.allows(n) {
                    let lo = spec.min.map(fmt_number).unwrap_or_else(|| "-∞".into());
                    let hi = spec.max.map(fmt_number).unwrap_or_else(|| "∞".into());
                    return Err(InputError::new(
                        format!("超出允许范围 {lo}–{hi}"),
                        format!("outside the allowed range {lo}–{hi}"),
                    ));
                }
                Ok(Value::Number(n))
            }
            AnswerKind::Text { .. } => {
                if t.is_empty() {
                    Err(InputError::new("内容为空", "empty"))
                } else {
                    Ok(Value::Text(input.trim_end().to_string()))
                }
            }
            AnswerKind::Date => NaiveDate::parse_from_str(t, DATE_FORMAT)
                .map(Value::Date)
                .map_err(|_| InputError::new("日期格式应为 2026-11-29", "date must look like 2026-11-29")),
            AnswerKind::Time => NaiveTime::parse_from_str(t, TIME_FORMAT)
                .map(Value::Time)
                .map_err(|_| InputError::new("时间格式应为 08:30", "time must look like 08:30")),
            AnswerKind::DateTime => {
                NaiveDateTime::parse_from_str(t, DATETIME_FORMAT).map(Value::DateTime).map_err(|_| {
                    InputError::new(
                        "日期时间格式应为 2026-11-29 08:30",
                        "date and time must look like 2026-11-29 08:30",
                    )
                })
            }
            AnswerKind::Check | AnswerKind::Choice(_) | AnswerKind::MultiChoice(_) => {
                Err(InputError::new("此项用按键选择", "this item is answered by choosing"))
            }
        }
    }

    /// The outcome of this value for the item.
    pub fn outcome(&self, item: &Item) -> Outcome {
        match (self, &item.kind) {
            (Value::Check(Check::Pass), _) => Outcome::Pass,
            (Value::Check(Check::Fail), _) => Outcome::Fail,
            (Value::Check(Check::Na), _) => Outcome::Na,
            (Value::Number(n), AnswerKind::Number(spec)) => match spec.passes(*n) {
                Some(true) => Outcome::Pass,
                Some(false) => Outcome::Fail,
                None => Outcome::Recorded,
            },
            (Value::Choice(key), AnswerKind::Choice(opts)) => {
                let has_fail = opts.iter().any(|o| o.fail);
                match opts.iter().find(|o| &o.key == key) {
                    Some(o) if o.fail => Outcome::Fail,
                    Some(_) if has_fail => Outcome::Pass,
                    _ => Outcome::Recorded,
                }
            }
            (Value::Multi(keys), AnswerKind::MultiChoice(opts)) => {
                let failing = |k: &String| opts.iter().any(|o| &o.key == k && o.fail);
                if keys.iter().any(failing) {
                    Outcome::Fail
                } else if opts.iter().any(|o| o.fail) {
                    Outcome::Pass
                } else {
                    Outcome::Recorded
                }
            }
            _ => Outcome::Recorded,
        }
    }

    /// The value as an inspector reads it (option labels, not keys).
    pub fn display(&self, item: &Item, lang: Lang) -> String {
        let label = |key: &str| {
            item.kind.options().iter().find(|o| o.key == key).map_or(key.to_string(), |o| o.label.clone())
        };
        match self {
            Value::Check(Check::Pass) => Outcome::Pass.label(lang).into(),
            Value::Check(Check::Fail) => Outcome::Fail.label(lang).into(),
            Value::Check(Check::Na) => Outcome::Na.label(lang).into(),
            Value::Number(n) => match &item.kind {
                AnswerKind::Number(spec) if !spec.unit.is_empty() => {
                    format!("{} {}", fmt_number(*n), spec.unit)
                }
                _ => fmt_number(*n),
            },
            Value::Choice(k) => label(k),
            Value::Multi(keys) => keys.iter().map(|k| label(k)).collect::<Vec<_>>().join("、"),
            other => other.encode(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::{ChoiceOption, NumberSpec};
    use crate::domain::Severity;

    fn item(kind: AnswerKind) -> Item {
        Item {
            id: "x".into(),
            prompt: "p".into(),
            guidance: String::new(),
            basis: String::new(),
            kind,
            required: true,
            severity: Severity::Minor,
            major_hazard: false,
            requirement: String::new(),
            deadline_days: 30,
            evidence_on_fail: false,
            weight: 1.0,
            when: None,
        }
    }

    fn evac() -> Item {
        item(AnswerKind::Number(NumberSpec {
            unit: "秒".into(),
            min: Some(0.0),
            max: Some(3600.0),
            pass_min: None,
            pass_max: Some(180.0),
        }))
    }

    #[test]
    fn a_number_outside_the_pass_range_is_a_failure_by_itself() {
        let i = evac();
        assert_eq!(Value::Number(180.0).outcome(&i), Outcome::Pass);
        assert_eq!(Value::Number(181.0).outcome(&i), Outcome::Fail);
        assert!(Value::parse_input(&i.kind, "4000").is_err());
        assert!(Value::parse_input(&i.kind, "三分钟").is_err());
        assert_eq!(Value::parse_input(&i.kind, " 95 ").unwrap(), Value::Number(95.0));
        assert_eq!(Value::Number(95.0).display(&i, Lang::Zh), "95 秒");
    }

    #[test]
    fn failing_options_make_choices_fail() {
        let opts = vec![
            ChoiceOption { key: "ok".into(), label: "正常".into(), fail: false },
            ChoiceOption { key: "bad".into(), label: "发现异常".into(), fail: true },
        ];
        let c = item(AnswerKind::Choice(opts.clone()));
        assert_eq!(Value::Choice("bad".into()).outcome(&c), Outcome::Fail);
        assert_eq!(Value::Choice("ok".into()).outcome(&c), Outcome::Pass);
        let m = item(AnswerKind::MultiChoice(opts));
        assert_eq!(Value::Multi(vec!["ok".into(), "bad".into()]).outcome(&m), Outcome::Fail);
        assert_eq!(Value::Multi(vec!["ok".into(), "bad".into()]).display(&m, Lang::Zh), "正常、发现异常");
    }

    #[test]
    fn values_round_trip_through_their_stored_text() {
        let cases = [
            (AnswerKind::Check, Value::Check(Check::Na)),
            (evac().kind, Value::Number(12.5)),
            (AnswerKind::Text { multiline: true }, Value::Text("第一行\n第二行".into())),
            (AnswerKind::MultiChoice(vec![]), Value::Multi(vec!["a".into(), "b".into()])),
            (AnswerKind::Date, Value::parse_input(&AnswerKind::Date, "2026-02-28").unwrap()),
            (AnswerKind::Time, Value::parse_input(&AnswerKind::Time, "23:59").unwrap()),
            (AnswerKind::DateTime, Value::parse_input(&AnswerKind::DateTime, "2026-11-29 08:30").unwrap()),
        ];
        for (kind, v) in cases {
            assert_eq!(Value::decode(&kind, &v.encode()), Some(v));
        }
        assert!(Value::parse_input(&AnswerKind::Date, "2026-02-30").is_err());
        assert!(Value::parse_input(&AnswerKind::Time, "24:10").is_err());
    }
}
