//! The `when` mini-language: `REF OP VALUE`, e.g. `site.floors >= 3` or `item.has_kitchen == pass`.
//! Parsing here is purely syntactic; whether the item exists and the value fits it is checked by the
//! validator, which knows the whole checklist.

use super::model::{Condition, Literal, Op, SiteAttr, Subject};

/// A syntax error at a byte range of the condition text.
#[derive(Debug, PartialEq)]
pub struct CondError {
    pub at: std::ops::Range<usize>,
    pub zh: String,
    pub en: String,
}

fn err(at: std::ops::Range<usize>, zh: &str, en: &str) -> CondError {
    CondError { at, zh: zh.into(), en: en.into() }
}

const OPS: [(&str, Op); 6] =
    [("==", Op::Eq), ("!=", Op::Ne), (">=", Op::Ge), ("<=", Op::Le), (">", Op::Gt), ("<", Op::Lt)];

fn is_ref_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
}

fn skip_ws(s: &str, mut i: usize) -> usize {
    while let Some(c) = s[i..].chars().next() {
        if !c.is_whitespace() {
            break;
        }
        i += c.len_utf8();
    }
    i
}

fn take_while(s: &str, i: usize, f: impl Fn(char) -> bool) -> usize {
    s[i..].char_indices().find(|(_, c)| !f(*c)).map_or(s.len(), |(j, _)| i + j)
}

pub fn parse(text: &str) -> Result<Condition, CondError> {
    let start = skip_ws(text, 0);
    let end = take_while(text, start, is_ref_char);
    let reference = &text[start..end];
    let subject = match reference.split_once('.') {
        Some(("site", attr)) => match SiteAttr::ALL.iter().find(|(k, _)| *k == attr) {
            Some((_, a)) => Subject::Site(*a),
            None => {
                return Err(err(
                    start..end.max(start + 1),
                    &format!("未知的单位属性 `{attr}`，可用：floors、beds、town、kind"),
                    &format!("unknown site attribute `{attr}`; expected floors, beds, town or kind"),
                ));
            }
        },
        Some(("item", id)) if !id.is_empty() => Subject::Item(id.to_string()),
        _ => {
            return Err(err(
                start..end.max(start + 1),
                "应以 `site.属性` 或 `item.检查项标识` 开头",
                "expected `site.ATTRIBUTE` or `item.ITEM_ID` first",
            ));
        }
    };

    let op_start = skip_ws(text, end);
    let rest = &text[op_start..];
    let (op, op_len) = if let Some((sym, op)) = OPS.iter().find(|(sym, _)| rest.starts_with(sym)) {
        (*op, sym.len())
    } else if rest.starts_with("has") && rest[3..].starts_with(char::is_whitespace) {
        (Op::Has, 3)
    } else {
        let bad_end = take_while(text, op_start, |c| !c.is_whitespace());
        return Err(err(
            op_start..bad_end.max(op_start + 1),
            "应为比较运算符：== != >= <= > < has",
            "expected an operator: == != >= <= > < has",
        ));
    };

    let v_start = skip_ws(text, op_start + op_len);
    let rest = &text[v_start..];
    let (value, v_end) = if let Some(body) = rest.strip_prefix('"') {
        match body.find('"') {
            Some(close) => (Literal::Word(body[..close].to_string()), v_start + close + 2),
            None => {
                return Err(err(v_start..text.len(), "引号未闭合", "unterminated quoted value"));
            }
        }
    } else {
        let v_end = take_while(text, v_start, |c| !c.is_whitespace());
        if v_end == v_start {
            return Err(err(v_start..v_start + 1, "缺少比较值", "missing value to compare with"));
        }
        let word = &text[v_start..v_end];
        match word.parse::<f64>() {
            Ok(n) if n.is_finite() && word.starts_with(|c: char| c.is_ascii_digit() || c == '-') => {
                (Literal::Number(n), v_end)
            }
            _ => (Literal::Word(word.to_string()), v_end),
        }
    };

    let tail = skip_ws(text, v_end);
    if tail < text.len() {
        return Err(err(
            tail..text.len(),
            "条件只能包含一个比较（不支持 and/or）",
            "a condition holds one comparison only (no and/or)",
        ));
    }
    Ok(Condition { source: text.to_string(), subject, op, value })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_site_and_item_comparisons() {
        let c = parse("site.floors >= 3").unwrap();
        assert_eq!(c.subject, Subject::Site(SiteAttr::Floors));
        assert_eq!(c.op, Op::Ge);
        assert_eq!(c.value, Literal::Number(3.0));
        let c = parse("  item.has_kitchen==pass ").unwrap();
        assert_eq!(c.subject, Subject::Item("has_kitchen".into()));
        assert_eq!(c.value, Literal::Word("pass".into()));
        let c = parse("item.subjects has evacuation").unwrap();
        assert_eq!(c.op, Op::Has);
        let c = parse("site.town == \"如城街道\"").unwrap();
        assert_eq!(c.value, Literal::Word("如城街道".into()));
    }

    #[test]
    fn errors_point_at_the_bad_part() {
        assert_eq!(parse("site.height > 3").unwrap_err().at, 0..11);
        assert_eq!(parse("floors > 3").unwrap_err().at, 0..6);
        assert_eq!(parse("item.a => 3").unwrap_err().at, 7..9);
        assert_eq!(parse("item.a =~ 3").unwrap_err().at, 7..9);
        assert_eq!(parse("item.a == ").unwrap_err().at, 10..11);
        assert_eq!(parse("item.a == 1 and item.b == 2").unwrap_err().at, 12..27);
        assert_eq!(parse("site.town == \"如城").unwrap_err().at, 13..20);
    }
}
