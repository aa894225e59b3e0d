//! The checks of one value of a registry row, with messages quoting at most a short prefix of it.

use crate::shown::quote;

/// The longest value of one field, in characters: an address or a name is far shorter; a longer one is a
/// pasted document or a broken file.
pub const MAX_FIELD_CHARS: usize = 500;

/// A problem with one value: the message in Chinese and in English.
pub type Bad = (String, String);

/// Checks common to every field: length, and control characters (a NUL cuts the value short on display,
/// an escape sequence acts on the terminal). Tabs and line breaks are kept: Excel writes an address over
/// two lines with Alt+Enter.
pub fn any(text: &str) -> Result<(), Bad> {
    let chars = text.chars().count();
    if chars > MAX_FIELD_CHARS {
        return Err((
            format!("过长（{chars} 个字符，上限 {MAX_FIELD_CHARS}）：`{}`", quote(text)),
            format!("too long ({chars} characters, limit {MAX_FIELD_CHARS}): `{}`", quote(text)),
        ));
    }
    if let Some(c) = text.chars().find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
        let name = if c == '\0' { "NUL".to_string() } else { format!("U+{:04X}", u32::from(c)) };
        return Err((
            format!("含有控制字符 {name}：`{}`", quote(text)),
            format!("contains the control character {name}: `{}`", quote(text)),
        ));
    }
    Ok(())
}

/// What to say about a full-width or other non-ASCII character where only ASCII is allowed.
fn not_ascii(c: char, text: &str) -> Bad {
    let q = quote(text);
    match c {
        '\u{3000}' => {
            (format!("含有全角空格：`{q}`"), format!("contains an ideographic (full-width) space: `{q}`"))
        }
        '\u{FF01}'..='\u{FF5E}' => (
            format!("含有全角字符 `{c}`：请改用半角字母和数字：`{q}`"),
            format!(
                "contains the full-width character `{c}`: use half-width (ASCII) letters and digits: `{q}`"
            ),
        ),
        _ => (format!("含有字符 `{c}`：`{q}`"), format!("contains the character `{c}`: `{q}`")),
    }
}

/// A code: ASCII letters, digits and punctuation, no spaces (it is what an inspector types to find a
/// site, and what a later import matches on). `raw` is the value before trimming: Rust's `trim` would drop
/// an ideographic space silently.
pub fn code(raw: &str) -> Result<(), Bad> {
    let text = raw.trim_matches([' ', '\t']);
    match text.chars().find(|c| !c.is_ascii_graphic()) {
        Some(c) if c.is_ascii() => Err((
            format!("不能含有空格：`{}`", quote(text)),
            format!("must not contain spaces: `{}`", quote(text)),
        )),
        Some(c) => {
            let (zh, en) = not_ascii(c, text);
            Err((format!("编号{zh}"), format!("the code {en}")))
        }
        None => Ok(()),
    }
}

/// A phone number, or several: digits with `+ - ( )`, spaces, an extension (`转`, `ext`), separated by
/// `, ; / 、，；`. At least 3 digits in all (110 is a phone number; 请联系王芳 is not).
pub fn phone(text: &str) -> Result<(), Bad> {
    let cut = text.replace("转", "").replace("ext", "").replace("EXT", "");
    if let Some(c) = cut.chars().find(|c| !(c.is_ascii_digit() || " +-()#,;/、，；".contains(*c))) {
        let (zh, en) = if c.is_ascii() || c == '\u{3000}' || !('\u{FF01}'..='\u{FF5E}').contains(&c) {
            (
                format!("不是电话号码：`{}`（只能含数字、+ - ( ) 和分隔号）", quote(text)),
                format!("not a phone number: `{}` (digits, + - ( ) and separators only)", quote(text)),
            )
        } else {
            not_ascii(c, text)
        };
        return Err((zh, en));
    }
    let digits = cut.chars().filter(char::is_ascii_digit).count();
    if digits < 3 {
        return Err((
            format!("不是电话号码：`{}`（数字太少）", quote(text)),
            format!("not a phone number: `{}` (too few digits)", quote(text)),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_ascii_without_spaces() {
        assert!(code("YL001").is_ok() && code(" 32068001 ").is_ok() && code("51320682-X").is_ok());
        assert!(code("ＹＬ００１").is_err_and(|(_, en)| en.contains("full-width character `Ｙ`")));
        assert!(code("YL001\u{3000}").is_err_and(|(_, en)| en.contains("ideographic")));
        assert!(code("YL 001").is_err_and(|(_, en)| en.contains("spaces")));
        assert!(code("养老1").is_err());
    }

    #[test]
    fn phones_are_digits_and_separators() {
        for ok in
            ["0513-80000001", "13800000002", "+86 (513) 8000 0001", "110", "0513-8000 转 123", "138、139"]
        {
            assert!(phone(ok).is_ok(), "{ok}");
        }
        assert!(phone("请联系王芳").is_err_and(|(_, en)| en.starts_with("not a phone number")));
        assert!(phone("１３８").is_err_and(|(_, en)| en.contains("full-width")));
        assert!(phone("12").is_err());
    }

    #[test]
    fn long_values_and_control_characters_are_refused_with_a_short_quote() {
        let (_, en) = any(&"养".repeat(1_000_000)).err().unwrap_or_default();
        assert!(en.len() < 300, "{en}");
        assert!(any("甲\0院").is_err_and(|(_, en)| en.contains("NUL") && !en.contains('\0')));
        assert!(any("\u{1b}[2J").is_err_and(|(_, en)| en.contains("U+001B") && !en.contains('\u{1b}')));
        assert!(any("测试路1号\r\n2号楼").is_ok());
    }
}
