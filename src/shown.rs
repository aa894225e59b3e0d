//! User data made safe and short enough to show in a message or a table: control characters are escaped
//! (so an escape sequence in a file or the database cannot clear the screen or retitle the window), and a
//! value quoted in an error is cut to a short prefix (so a 50 MB cell does not become a 50 MB message).
//!
//! The console needs neither: ratatui drops control characters when it draws, and clips to the screen.

/// How many characters of a bad value an error message quotes.
pub const QUOTE_CHARS: usize = 60;

/// Control characters (escape sequences, NUL, line breaks inside a table cell) shown escaped, as Rust
/// writes them (`\u{1b}`, `\n`), instead of acting on the terminal.
pub fn printable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Whole messages and command output made safe for a terminal: [`printable`]'s rule, except that line
/// breaks and tabs are kept, as a multi-line message or a table of ours needs them. The last line of
/// defence for text that mixes our words with user data; user values in a table cell or quoted in a
/// message go through [`printable`] or [`quote`] first.
pub fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t')) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if c.is_control() && !matches!(c, '\n' | '\t') {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// At most `max` characters of `s`, with `…` when it was cut; control characters escaped.
pub fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", printable(&s[..at])),
        None => printable(s),
    }
}

/// A user value as quoted in an error message: [`clip`] to [`QUOTE_CHARS`].
pub fn quote(s: &str) -> String {
    clip(s, QUOTE_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escapes_are_shown_not_sent() {
        assert_eq!(printable("a\u{1b}[2J\u{7}b"), "a\\u{1b}[2J\\u{7}b");
        assert_eq!(printable("养老\0院"), "养老\\u{0}院");
        assert_eq!(printable("x\ny\tz"), "x\\ny\\tz");
        assert_eq!(printable("\u{9b}31m"), "\\u{9b}31m");
    }

    #[test]
    fn terminal_safe_keeps_line_breaks_and_tabs_only() {
        assert_eq!(terminal_safe("a\n\tb"), "a\n\tb");
        assert_eq!(terminal_safe("a\u{1b}]0;x\u{7}\r\n"), "a\\u{1b}]0;x\\u{7}\\r\n");
    }

    #[test]
    fn long_values_are_cut_on_a_character_boundary() {
        assert_eq!(clip("养老机构", 2), "养老…");
        assert_eq!(clip("养老", 2), "养老");
        assert_eq!(quote(&"x".repeat(1 << 20)).chars().count(), QUOTE_CHARS + 1);
    }

    proptest! {
        #[test]
        fn nothing_printable_is_a_control_character(s in any::<String>(), max in 0usize..100) {
            for shown in [printable(&s), clip(&s, max)] {
                prop_assert!(!shown.chars().any(char::is_control));
            }
            prop_assert!(clip(&s, max).chars().count() <= max.max(1) * 10 + 1);
        }
    }
}
