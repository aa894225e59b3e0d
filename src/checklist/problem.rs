//! Everything `ducha check` can report about a checklist file, with the message in both UI languages.

use std::ops::Range;

use crate::i18n::Lang;
use crate::shown::{printable, quote};

/// A problem at a place in a checklist's source.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub span: Range<usize>,
    pub problem: Problem,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// The TOML parser's own message (English only: it comes from the toml crate).
    Syntax(String),
    TooLarge {
        bytes: u64,
        limit: u64,
    },
    Binary,
    /// Not UTF-8; the encoding it seems to be in, when one fits.
    NotUtf8 {
        looks_like: Option<&'static str>,
    },
    TooMany {
        what: &'static str,
        count: usize,
        limit: usize,
    },
    UnknownKey {
        key: String,
        suggestion: Option<String>,
    },
    KeyNotForKind {
        key: String,
        kind: String,
    },
    KeyNeedsRepeat {
        key: String,
    },
    MissingKey {
        key: String,
    },
    WrongType {
        key: String,
        expected: &'static str,
        found: &'static str,
    },
    UnknownValue {
        key: String,
        value: String,
        allowed: Vec<String>,
    },
    /// An integer written as a bare radix prefix, such as `0x`.
    NoDigits {
        key: String,
        value: String,
    },
    OutOfRange {
        key: String,
        value: String,
        min: i64,
        max: i64,
    },
    BadId {
        id: String,
    },
    DuplicateId {
        what: &'static str,
        id: String,
        first_line: usize,
    },
    EmptyList {
        key: String,
    },
    TooFewOptions,
    MinAboveMax {
        min_key: String,
        max_key: String,
    },
    PassOutsideAllowed,
    HazardNotCritical,
    WhenSyntax {
        zh: String,
        en: String,
    },
    WhenUnknownItem {
        id: String,
        suggestion: Option<String>,
    },
    WhenLaterItem {
        id: String,
    },
    WhenIntoRepeat {
        id: String,
    },
    WhenBadValue {
        zh: String,
        en: String,
    },
    LogNeedsTable,
    LogOnlyInLogMode,
    LogItemUnknown {
        key: String,
        id: String,
    },
    LogItemKind {
        key: String,
        id: String,
        expected: &'static str,
    },
    LogItemInRepeat {
        id: String,
    },
    DuplicateChecklist {
        id: String,
        version: u32,
        other: String,
    },
}

impl Problem {
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            Problem::Syntax(m) => {
                let m = printable(m.trim());
                if zh { format!("TOML 语法错误：{m}") } else { format!("TOML syntax error: {m}") }
            }
            Problem::TooLarge { bytes, limit } => {
                if zh {
                    format!("文件过大（{bytes} 字节，上限 {limit} 字节），不予读取")
                } else {
                    format!("file too large ({bytes} bytes, limit {limit}); refused")
                }
            }
            Problem::Binary => lang
                .pick(
                    "这是二进制文件（含 NUL 字节），不是检查表",
                    "binary file (contains NUL bytes), not a checklist",
                )
                .into(),
            Problem::NotUtf8 { looks_like: None } => lang
                .pick(
                    "不是有效的 UTF-8 文本：请用文本编辑器另存为 UTF-8 编码",
                    "not valid UTF-8 text: save it as UTF-8 in a text editor",
                )
                .into(),
            Problem::NotUtf8 { looks_like: Some(enc) } => {
                if zh {
                    format!(
                        "不是有效的 UTF-8 文本：看起来是 {enc} 编码。请在记事本中“另存为”并选择编码 UTF-8，\
                         或运行 `iconv -f {enc} -t UTF-8 原文件 > 新文件`"
                    )
                } else {
                    format!(
                        "not valid UTF-8 text: it looks like {enc}. Save it as UTF-8 (Notepad: Save As, \
                         Encoding UTF-8), or run `iconv -f {enc} -t UTF-8 OLD > NEW`"
                    )
                }
            }
            Problem::TooMany { what, count, limit } => {
                if zh {
                    format!("{}过多（{count} 个，上限 {limit} 个）", what_zh(what))
                } else {
                    format!("too many {what} ({count}, limit {limit})")
                }
            }
            Problem::UnknownKey { key, suggestion } => {
                let key = quote(key);
                let hint = match (suggestion, zh) {
                    (Some(s), true) => format!("（是否应为 `{s}`？）"),
                    (Some(s), false) => format!(" (did you mean `{s}`?)"),
                    (None, _) => String::new(),
                };
                if zh { format!("未知的键 `{key}`{hint}") } else { format!("unknown key `{key}`{hint}") }
            }
            Problem::KeyNotForKind { key, kind } => {
                let (key, kind) = (quote(key), quote(kind));
                if zh {
                    format!("键 `{key}` 不适用于答案类型 `{kind}`")
                } else {
                    format!("key `{key}` does not apply to answer kind `{kind}`")
                }
            }
            Problem::KeyNeedsRepeat { key } => {
                let key = quote(key);
                if zh {
                    format!("键 `{key}` 只能用于 `repeat = true` 的分组")
                } else {
                    format!("key `{key}` is only allowed on a section with `repeat = true`")
                }
            }
            Problem::MissingKey { key } => {
                let key = quote(key);
                if zh { format!("缺少必填键 `{key}`") } else { format!("missing required key `{key}`") }
            }
            Problem::WrongType { key, expected, found } => {
                let key = quote(key);
                if zh {
                    format!("`{key}` 应为{}，实际为{}", type_zh(expected), type_zh(found))
                } else {
                    format!("`{key}` must be {expected}, found {found}")
                }
            }
            Problem::UnknownValue { key, value, allowed } => {
                let (key, value) = (quote(key), quote(value));
                if zh {
                    format!("`{key}` 的取值 `{value}` 无效，可用：{}", allowed.join("、"))
                } else {
                    format!("unknown {key} `{value}`; expected one of: {}", allowed.join(", "))
                }
            }
            Problem::NoDigits { key, value } => {
                let (key, value) = (quote(key), quote(value));
                if zh {
                    format!("`{key}` = {value} 不是有效的整数：`{value}` 之后没有数字")
                } else {
                    format!("`{key}` = {value} is not a valid integer: no digits after `{value}`")
                }
            }
            Problem::OutOfRange { key, value, min, max } => {
                let (key, value) = (quote(key), quote(value));
                if zh {
                    format!("`{key}` 的值 {value} 超出范围（{min} 至 {max}）")
                } else {
                    format!("`{key}` = {value} is out of range ({min} to {max})")
                }
            }
            Problem::BadId { id } => {
                let id = quote(id);
                if zh {
                    format!("标识 `{id}` 无效：只能用 ASCII 字母、数字、`_`、`-`，且以字母开头")
                } else {
                    format!(
                        "invalid id `{id}`: use ASCII letters, digits, `_` and `-`, starting with a letter"
                    )
                }
            }
            Problem::DuplicateId { what, id, first_line } => {
                let id = quote(id);
                if zh {
                    format!("{}标识 `{id}` 重复（第 {first_line} 行已使用）", what_zh(what))
                } else {
                    format!("duplicate {what} id `{id}` (first used on line {first_line})")
                }
            }
            Problem::EmptyList { key } => {
                let key = quote(key);
                if zh { format!("`{key}` 不能为空") } else { format!("`{key}` must not be empty") }
            }
            Problem::TooFewOptions => {
                lang.pick("选择题至少需要两个选项", "a choice needs at least two options").into()
            }
            Problem::MinAboveMax { min_key, max_key } => {
                let (min_key, max_key) = (quote(min_key), quote(max_key));
                if zh {
                    format!("`{min_key}` 大于 `{max_key}`")
                } else {
                    format!("`{min_key}` is greater than `{max_key}`")
                }
            }
            Problem::PassOutsideAllowed => lang
                .pick(
                    "合格范围（pass_min/pass_max）超出了允许范围（min/max）",
                    "the pass range (pass_min/pass_max) lies outside the allowed range (min/max)",
                )
                .into(),
            Problem::HazardNotCritical => lang
                .pick(
                    "重大事故隐患项（major_hazard = true）的 severity 必须为 \"critical\"",
                    "a major-hazard item (major_hazard = true) must have severity = \"critical\"",
                )
                .into(),
            Problem::WhenSyntax { zh: z, en: e } => {
                if zh {
                    format!("条件 `when` 写法错误：{z}")
                } else {
                    format!("invalid `when` condition: {e}")
                }
            }
            Problem::WhenUnknownItem { id, suggestion } => {
                let id = quote(id);
                let hint = match (suggestion, zh) {
                    (Some(s), true) => format!("（是否应为 `{s}`？）"),
                    (Some(s), false) => format!(" (did you mean `{s}`?)"),
                    (None, _) => String::new(),
                };
                if zh {
                    format!("条件引用了不存在的检查项 `{id}`{hint}")
                } else {
                    format!("condition refers to unknown item `{id}`{hint}")
                }
            }
            Problem::WhenLaterItem { id } => {
                let id = quote(id);
                if zh {
                    format!("条件引用的检查项 `{id}` 不在本项之前（只能引用前面的项）")
                } else {
                    format!(
                        "condition refers to item `{id}`, which does not come earlier (only earlier items may be used)"
                    )
                }
            }
            Problem::WhenIntoRepeat { id } => {
                let id = quote(id);
                if zh {
                    format!("条件引用了另一重复分组中的检查项 `{id}`，无法确定是哪一次")
                } else {
                    format!(
                        "condition refers to item `{id}` inside another repeat section, which is ambiguous"
                    )
                }
            }
            Problem::WhenBadValue { zh: z, en: e } => {
                if zh {
                    format!("条件无效：{z}")
                } else {
                    format!("invalid condition: {e}")
                }
            }
            Problem::LogNeedsTable => lang
                .pick(
                    "`mode = \"log\"` 的检查表必须有 `[log]` 表",
                    "a checklist with `mode = \"log\"` needs a `[log]` table",
                )
                .into(),
            Problem::LogOnlyInLogMode => lang
                .pick(
                    "`[log]` 只能用于 `mode = \"log\"` 的检查表",
                    "`[log]` is only allowed when `mode = \"log\"`",
                )
                .into(),
            Problem::LogItemUnknown { key, id } => {
                let (key, id) = (quote(key), quote(id));
                if zh {
                    format!("`log.{key}` 引用了不存在的检查项 `{id}`")
                } else {
                    format!("`log.{key}` names unknown item `{id}`")
                }
            }
            Problem::LogItemKind { key, id, expected } => {
                let (key, id) = (quote(key), quote(id));
                if zh {
                    format!("`log.{key}` 引用的检查项 `{id}` 必须是 `{expected}` 类型")
                } else {
                    format!("`log.{key}` names item `{id}`, which must be of kind `{expected}`")
                }
            }
            Problem::LogItemInRepeat { id } => {
                let id = quote(id);
                if zh {
                    format!("`[log]` 引用的检查项 `{id}` 不能在重复分组中")
                } else {
                    format!("item `{id}` named in `[log]` must not be inside a repeat section")
                }
            }
            Problem::DuplicateChecklist { id, version, other } => {
                let (id, other) = (quote(id), quote(other));
                if zh {
                    format!(
                        "检查表 `{id}` 第 {version} 版与 {other} 内容不同但版本号相同：修改后请递增 version"
                    )
                } else {
                    format!(
                        "checklist `{id}` version {version} differs from {other} with the same version: bump `version` after every change"
                    )
                }
            }
        }
    }
}

fn what_zh(what: &str) -> &str {
    match what {
        "item" | "items" => "检查项",
        "section" | "sections" => "分组",
        "option" | "options" => "选项",
        other => other,
    }
}

fn type_zh(t: &str) -> &str {
    match t {
        "a string" => "字符串",
        "an integer" => "整数",
        "a number" => "数字",
        "a boolean" => "布尔值（true/false）",
        "a table" => "表",
        "an array" => "数组",
        "an array of tables" => "表数组",
        "an array of strings" => "字符串数组",
        "a datetime" => "日期时间",
        "a float" => "小数",
        other => other,
    }
}
