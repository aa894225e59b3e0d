//! The bureau's settings: its name, the seal line and the formats of document numbers (整改通知书
//! 督整〔2026〕第K7QH-012号, 现场检查记录 督记〔2026〕第K7QH-001号). They are data in the database, changed
//! by admins (`ducha settings set`, the console's settings screen) and taken from the office in a merge,
//! so every laptop prints the same letterhead. This module holds the keys, their defaults and checks, and
//! the one function that changes a setting; both faces call it.

use rusqlite::Connection;

use crate::i18n::Lang;
use crate::roles::{self, Role, RoleError};
use crate::store::{self, Store, StoreError};

/// A setting the bureau can change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    Name,
    Seal,
    NoticeFormat,
    RecordFormat,
}

impl Key {
    pub const ALL: [Key; 4] = [Key::Name, Key::Seal, Key::NoticeFormat, Key::RecordFormat];

    pub fn key(self) -> &'static str {
        match self {
            Key::Name => "bureau.name",
            Key::Seal => "bureau.seal",
            Key::NoticeFormat => "notice.format",
            Key::RecordFormat => "record.format",
        }
    }

    pub fn from_key(key: &str) -> Option<Key> {
        Key::ALL.into_iter().find(|k| k.key() == key.trim())
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Key::Name => lang.pick("局名", "bureau name"),
            Key::Seal => lang.pick("落款印章行", "seal line"),
            Key::NoticeFormat => lang.pick("整改通知书文号格式", "notice number format"),
            Key::RecordFormat => lang.pick("现场检查记录编号格式", "record number format"),
        }
    }

    /// What the value is for, and how to write it.
    pub fn help(self, lang: Lang) -> &'static str {
        match self {
            Key::Name => lang.pick(
                "印在每份文书抬头和落款的机关名称，如 如皋市民政局",
                "the bureau's name at the head and foot of every document, e.g. 如皋市民政局",
            ),
            Key::Seal => lang.pick(
                "落款处局名后的印章提示，如（盖章）",
                "printed after the bureau's name where the seal goes, e.g. （盖章）",
            ),
            Key::NoticeFormat | Key::RecordFormat => lang.pick(
                "须含 {year}（年份）、{device}（本机代码）和 {seq} 或 {seq:03}（序号，补零到 3 位）",
                "must hold {year}, {device} (this laptop's code) and {seq} or {seq:03} (zero-padded to 3)",
            ),
        }
    }

    /// The value in force while the bureau has set none.
    pub fn default_value(self) -> &'static str {
        match self {
            Key::Name => "",
            Key::Seal => "（盖章）",
            Key::NoticeFormat => "督整〔{year}〕第{device}-{seq:03}号",
            Key::RecordFormat => "督记〔{year}〕第{device}-{seq:03}号",
        }
    }

    /// The value as it will be stored (trimmed), or why it cannot be.
    pub fn check(self, value: &str) -> Result<String, Invalid> {
        let value = value.trim();
        let chars = value.chars().count();
        if value.chars().any(char::is_control) {
            return Err(Invalid::Control);
        }
        let max = match self {
            Key::Name => 40,
            Key::Seal => 20,
            Key::NoticeFormat | Key::RecordFormat => 40,
        };
        if chars > max {
            return Err(Invalid::TooLong { max, found: chars });
        }
        match self {
            Key::Name if value.is_empty() => Err(Invalid::Empty),
            Key::NoticeFormat | Key::RecordFormat => NumberFormat::parse(value).map(|_| value.to_string()),
            _ => Ok(value.to_string()),
        }
    }
}

/// Why a value was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    #[error("must not be empty")]
    Empty,
    #[error("must not hold control characters")]
    Control,
    #[error("is {found} characters long; at most {max}")]
    TooLong { max: usize, found: usize },
    #[error("has an unknown placeholder {{{found}}}{}", .suggestion.as_ref().map(|s| format!(" (did you mean {{{s}}}?)")).unwrap_or_default())]
    Placeholder { found: String, suggestion: Option<String> },
    #[error("has a `{{` without its `}}` at character {at}")]
    Unclosed { at: usize },
    #[error("must hold {{{0}}}, or numbers could repeat (numbers restart each year and run per laptop)")]
    Missing(&'static str),
}

impl Invalid {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (Invalid::Empty, _) => "不能为空".into(),
            (Invalid::Control, _) => "不能含控制字符".into(),
            (Invalid::TooLong { max, found }, _) => format!("长 {found} 个字，最多 {max} 个"),
            (Invalid::Placeholder { found, suggestion }, _) => format!(
                "含未知的占位符 {{{found}}}{}",
                suggestion.as_ref().map(|s| format!("（是否想写 {{{s}}}？）")).unwrap_or_default()
            ),
            (Invalid::Unclosed { at }, _) => format!("第 {at} 个字处的 {{ 没有对应的 }}"),
            (Invalid::Missing(p), _) => {
                format!("须含 {{{p}}}，否则编号可能重复（编号每年重排，且各台电脑分别编号）")
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Text(String),
    Year,
    Device,
    /// The sequence number, zero-padded to this width.
    Seq(usize),
}

/// A document number format such as `督整〔{year}〕第{device}-{seq:03}号`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberFormat {
    parts: Vec<Part>,
}

impl NumberFormat {
    pub fn parse(text: &str) -> Result<NumberFormat, Invalid> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = text.chars().enumerate();
        while let Some((at, c)) = chars.next() {
            if c != '{' {
                literal.push(c);
                continue;
            }
            let mut name = String::new();
            let closed = chars.by_ref().any(|(_, c)| {
                if c == '}' {
                    return true;
                }
                name.push(c);
                false
            });
            if !closed {
                return Err(Invalid::Unclosed { at: at + 1 });
            }
            if !literal.is_empty() {
                parts.push(Part::Text(std::mem::take(&mut literal)));
            }
            parts.push(match name.as_str() {
                "year" => Part::Year,
                "device" => Part::Device,
                "seq" => Part::Seq(1),
                _ => match name.strip_prefix("seq:0").and_then(|w| w.parse::<usize>().ok()) {
                    Some(width @ 1..=9) => Part::Seq(width),
                    _ => {
                        let known = ["year", "device", "seq", "seq:03"];
                        let suggestion = crate::checklist::did_you_mean(&name, known);
                        return Err(Invalid::Placeholder { found: name, suggestion });
                    }
                },
            });
        }
        if !literal.is_empty() {
            parts.push(Part::Text(literal));
        }
        for (needed, found) in [
            ("year", parts.contains(&Part::Year)),
            ("device", parts.contains(&Part::Device)),
            ("seq", parts.iter().any(|p| matches!(p, Part::Seq(_)))),
        ] {
            if !found {
                return Err(Invalid::Missing(needed));
            }
        }
        Ok(NumberFormat { parts })
    }

    pub fn render(&self, device_code: &str, year: i32, seq: u32) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.clone(),
                Part::Year => year.to_string(),
                Part::Device => device_code.to_string(),
                Part::Seq(width) => format!("{seq:0width$}"),
            })
            .collect()
    }
}

/// The settings as documents use them, each the stored value or its default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bureau {
    /// Empty while no admin has set it.
    pub name: String,
    pub seal: String,
    pub notice_format: NumberFormat,
    pub record_format: NumberFormat,
}

impl Bureau {
    /// The line a document is signed off with: the bureau's name and the seal hint, e.g. 如皋市民政局（盖章）.
    pub fn seal_line(&self) -> String {
        format!("{}{}", self.name, self.seal)
    }
}

/// The value in force for `key`: the stored one when it passes today's checks, else the default.
pub fn value(conn: &Connection, key: Key) -> store::Result<String> {
    Ok(store::bureau::get(conn, key.key())?
        .and_then(|s| key.check(&s.value).ok())
        .unwrap_or_else(|| key.default_value().to_string()))
}

pub fn load(conn: &Connection) -> store::Result<Bureau> {
    let format = |key: Key| -> store::Result<NumberFormat> {
        let text = value(conn, key)?;
        Ok(NumberFormat::parse(&text)
            .or_else(|_| NumberFormat::parse(key.default_value()))
            .unwrap_or(NumberFormat { parts: Vec::new() }))
    };
    Ok(Bureau {
        name: value(conn, Key::Name)?,
        seal: value(conn, Key::Seal)?,
        notice_format: format(Key::NoticeFormat)?,
        record_format: format(Key::RecordFormat)?,
    })
}

/// Why a setting was not changed.
#[derive(Debug, thiserror::Error)]
pub enum SettingError {
    #[error("unknown setting `{key}`{}; known: bureau.name, bureau.seal, notice.format, record.format", .suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    UnknownKey { key: String, suggestion: Option<String> },
    #[error("{key}: the value {reason}")]
    Invalid { key: &'static str, reason: Invalid },
    #[error(transparent)]
    Role(#[from] RoleError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SettingError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (SettingError::UnknownKey { key, suggestion }, _) => format!(
                "没有设置项「{key}」{}；可用：bureau.name、bureau.seal、notice.format、record.format",
                suggestion.as_ref().map(|s| format!("（是否想写 {s}？）")).unwrap_or_default()
            ),
            (SettingError::Invalid { key, reason }, _) => format!("{key}：{}", reason.message(lang)),
            (SettingError::Role(e), _) => e.message(lang),
            (SettingError::Store(e), _) => format!("保存失败：{e}"),
        }
    }
}

impl From<rusqlite::Error> for SettingError {
    fn from(e: rusqlite::Error) -> Self {
        SettingError::Store(e.into())
    }
}

pub fn parse_key(text: &str) -> Result<Key, SettingError> {
    Key::from_key(text).ok_or_else(|| SettingError::UnknownKey {
        key: crate::shown::clip(text.trim(), 60),
        suggestion: crate::checklist::did_you_mean(text.trim(), Key::ALL.map(Key::key)),
    })
}

/// Sets `key` to `value` (or back to its default with `None`), as `actor`, who must be an admin. Returns
/// whether anything changed; a change is audited in the same transaction.
pub fn set(
    store: &mut Store,
    actor: &str,
    key: Key,
    value: Option<&str>,
    lang: Lang,
) -> Result<bool, SettingError> {
    roles::require(store, actor, Role::Admin, lang.pick("修改局设置", "changing the bureau's settings"))?;
    let value = match value {
        Some(v) => Some(key.check(v).map_err(|reason| SettingError::Invalid { key: key.key(), reason })?),
        None => None,
    };
    Ok(store.write(|tx| store::bureau::set(tx, actor, key.key(), value.as_deref()))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_formats_print_the_numbers_notices_always_had() {
        let f = NumberFormat::parse(Key::NoticeFormat.default_value()).unwrap();
        assert_eq!(f.render("K7QH", 2026, 12), "督整〔2026〕第K7QH-012号");
        assert_eq!(f.render("A0B1", 2027, 1234), "督整〔2027〕第A0B1-1234号");
        let r = NumberFormat::parse(Key::RecordFormat.default_value()).unwrap();
        assert_eq!(r.render("K7QH", 2026, 1), "督记〔2026〕第K7QH-001号");
    }

    #[test]
    fn a_format_may_pad_as_it_likes_but_must_keep_numbers_unique() {
        let f = NumberFormat::parse("如民督〔{year}〕{device}{seq:05}号").unwrap();
        assert_eq!(f.render("K7QH", 2026, 7), "如民督〔2026〕K7QH00007号");
        assert_eq!(NumberFormat::parse("{year}-{device}-{seq}").unwrap().render("X", 2026, 7), "2026-X-7");
        assert_eq!(NumberFormat::parse("督整〔{year}〕第{seq}号"), Err(Invalid::Missing("device")));
        assert_eq!(NumberFormat::parse("督整第{device}-{seq}号"), Err(Invalid::Missing("year")));
        assert_eq!(NumberFormat::parse("{year}{device}"), Err(Invalid::Missing("seq")));
        assert_eq!(
            NumberFormat::parse("{yaer}{device}{seq}"),
            Err(Invalid::Placeholder { found: "yaer".into(), suggestion: Some("year".into()) })
        );
        assert_eq!(NumberFormat::parse("督{year}{device}{seq"), Err(Invalid::Unclosed { at: 16 }));
    }

    #[test]
    fn values_are_checked_and_trimmed() {
        assert_eq!(Key::Name.check("  如皋市民政局 "), Ok("如皋市民政局".into()));
        assert_eq!(Key::Name.check("  "), Err(Invalid::Empty));
        assert_eq!(Key::Name.check("民政\u{1b}[2J局"), Err(Invalid::Control));
        assert_eq!(Key::Seal.check(&"章".repeat(21)), Err(Invalid::TooLong { max: 20, found: 21 }));
        assert_eq!(Key::Seal.check(""), Ok(String::new()), "a bureau may print no seal hint at all");
        let e = Invalid::Missing("device").message(Lang::Zh);
        assert!(e.contains("{device}") && e.contains("重复"), "{e}");
    }

    #[test]
    fn unknown_keys_get_a_close_name() {
        let e = parse_key("bureau.nmae").unwrap_err();
        assert!(e.message(Lang::Zh).contains("是否想写 bureau.name"), "{}", e.message(Lang::Zh));
        assert!(e.to_string().contains("did you mean `bureau.name`"), "{e}");
        let far = parse_key("colour").unwrap_err().to_string();
        assert!(!far.contains("did you mean"), "{far}");
    }
}
