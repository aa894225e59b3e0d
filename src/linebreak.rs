//! The Chinese line-breaking rule (避头尾, as in GB/T 15834 and the W3C's *Requirements for Chinese Text
//! Layout*): a line does not start with closing punctuation (，。、；：？！）》」』】〕〉”’…% and their ASCII
//! forms), and does not end with opening punctuation (（《「『【〔〈“‘). When a break would fall badly, the
//! last character of the line moves down with the punctuation (推出), since a terminal cannot squeeze a
//! character into a full line. Pure functions, used by the console's text wrapping.

/// Characters that must not begin a line.
pub fn no_line_start(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '）'
            | '》'
            | '」'
            | '』'
            | '】'
            | '〕'
            | '〉'
            | '〗'
            | '〙'
            | '”'
            | '’'
            | '…'
            | '—'
            | '～'
            | '·'
            | '・'
            | '％'
            | '‰'
            | '℃'
            | '々'
            | '〻'
            | '゛'
            | '゜'
            | ','
            | '.'
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
            | ']'
            | '}'
            | '%'
    )
}

/// Characters that must not end a line.
pub fn no_line_end(c: char) -> bool {
    matches!(c, '（' | '《' | '「' | '『' | '【' | '〔' | '〈' | '〖' | '〘' | '“' | '‘' | '(' | '[' | '{')
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/' | ':')
}

/// How many characters at the end of a full line `line` move down to the next line, which would start
/// with `next`, so that neither line breaks the rule: the closing punctuation already at the end of the
/// line and the character before it when `next` must not start a line, then any opening punctuation left
/// at the end. A run of ASCII letters and digits moves whole. 0 when nothing needs to move, or when the
/// whole line would have to (then the break stays where it is: a line is never emptied).
pub fn carry(line: &[char], next: char) -> usize {
    let len = line.len();
    let mut k = 0;
    if no_line_start(next) {
        while k < len && no_line_start(line[len - 1 - k]) {
            k += 1;
        }
        k += 1;
        if k <= len && is_word_char(line[len - k]) {
            while k < len && is_word_char(line[len - 1 - k]) {
                k += 1;
            }
        }
    }
    while k < len && no_line_end(line[len - 1 - k]) {
        k += 1;
    }
    if k >= len { 0 } else { k }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn closing_punctuation_takes_the_last_character_with_it() {
        assert_eq!(carry(&chars("二楼疏散通道堆放杂物"), '。'), 1);
        assert_eq!(carry(&chars("整改（限期"), '）'), 1);
        // A closer already at the end goes along with the character before it: ）。 never starts a line.
        assert_eq!(carry(&chars("见第三条（附件"), '）'), 1);
        assert_eq!(carry(&chars("按规定（第三条）"), '。'), 2);
        assert_eq!(carry(&chars("测试路1号"), '，'), 1);
        assert_eq!(carry(&chars("面积120m"), '，'), 4, "a run of letters and digits moves whole");
    }

    #[test]
    fn opening_punctuation_does_not_end_a_line() {
        assert_eq!(carry(&chars("依据《"), '消'), 1);
        assert_eq!(carry(&chars("问题“（"), '甲'), 2);
        assert_eq!(carry(&chars("一般的文字"), '字'), 0);
    }

    #[test]
    fn a_line_is_never_emptied() {
        assert_eq!(carry(&chars("。"), '，'), 0);
        assert_eq!(carry(&chars("《"), '甲'), 0);
        assert_eq!(carry(&[], '。'), 0);
    }

    #[test]
    fn the_tables_of_characters() {
        for c in "，。、；：？！）》」』】〕〉”’…".chars() {
            assert!(no_line_start(c), "{c}");
        }
        for c in "（《「『【〔〈“‘".chars() {
            assert!(no_line_end(c), "{c}");
        }
        assert!(!no_line_start('甲') && !no_line_end('甲'));
    }
}
