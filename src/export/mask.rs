//! Masking personal data in exported text: 18-digit resident ID-card numbers (身份证号) keep their first six
//! and last four characters (`320682********1234`), mobile numbers their first three and last four
//! (`138****5678`), and landlines written with an area code (`0513-87654321`) their area code and last four
//! digits (`0513-****4321`). Only whole runs of digits count, so a longer number (an invoice, a bank account)
//! is not cut into a false match.

/// Whether exports show personal data as it was recorded or masked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Masking {
    #[default]
    Masked,
    Unmasked,
}

impl Masking {
    /// `text` as the export shows it.
    pub fn apply(self, text: &str) -> String {
        match self {
            Masking::Masked => mask_text(text),
            Masking::Unmasked => text.to_string(),
        }
    }
}

/// A run of ASCII digits (an ID card's last character may be `X`) found at `start..end` in the text.
struct Run {
    start: usize,
    end: usize,
}

/// The maximal digit runs of `text`; a trailing `X`/`x` right after exactly 17 digits belongs to the run.
fn runs(text: &str) -> Vec<Run> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i - start == 17 && i < bytes.len() && matches!(bytes[i], b'X' | b'x') {
            i += 1;
        }
        out.push(Run { start, end: i });
    }
    out
}

/// Whether the run at `r` is preceded or followed by a letter or digit, which makes it part of a longer
/// code (a credit code such as `52320682MJ…`, an order number) rather than a number on its own, or by a
/// `*` of a number already masked.
fn glued(text: &str, r: &Run) -> bool {
    let before = text[..r.start].chars().next_back();
    let after = text[r.end..].chars().next();
    [before, after].into_iter().flatten().any(glue)
}

/// A character that joins a digit run to what is next to it: a letter or digit (a longer code), or `*` (a
/// number already masked, so masking twice changes nothing).
fn glue(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '*'
}

fn stars(n: usize) -> String {
    "*".repeat(n)
}

/// `text` with every ID-card and phone number in it masked.
pub fn mask_text(text: &str) -> String {
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return text.to_string();
    }
    let found = runs(text);
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < found.len() {
        let r = &found[i];
        let digits = &text[r.start..r.end];
        let len = r.end - r.start;
        let replacement = if glued(text, r) {
            None
        } else if len == 18 {
            Some((format!("{}{}{}", &digits[..6], stars(8), &digits[14..]), r.end))
        } else if len == 11 && digits.starts_with('1') {
            Some((format!("{}{}{}", &digits[..3], stars(4), &digits[7..]), r.end))
        } else if len == 13 && digits.starts_with("861") {
            // A mobile number written with the country code (+86 or 0086 before it stays as it is).
            Some((format!("{}{}{}", &digits[..5], stars(4), &digits[9..]), r.end))
        } else {
            landline(text, &found, i)
        };
        match replacement {
            Some((masked, end)) => {
                out.push_str(&text[copied..r.start]);
                out.push_str(&masked);
                copied = end;
                // A landline consumed the next run (its local number) too.
                while i < found.len() && found[i].start < end {
                    i += 1;
                }
            }
            None => i += 1,
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// A landline at run `i`: an area code (`0` and 2–3 more digits), `-`, and a local number of 7 or 8
/// digits. Returns the masked text and where the number ends.
fn landline(text: &str, found: &[Run], i: usize) -> Option<(String, usize)> {
    let area = &found[i];
    let local = found.get(i + 1)?;
    let area_digits = &text[area.start..area.end];
    let area_ok = area_digits.starts_with('0') && (3..=4).contains(&area_digits.len());
    let joined = local.start == area.end + 1 && text.as_bytes().get(area.end) == Some(&b'-');
    let local_len = local.end - local.start;
    let before = text[..area.start].chars().next_back();
    let after = text[local.end..].chars().next();
    let free = ![before, after].into_iter().flatten().any(glue);
    if area_ok && joined && (7..=8).contains(&local_len) && free {
        let local_digits = &text[local.start..local.end];
        Some((format!("{area_digits}-{}{}", stars(local_len - 4), &local_digits[local_len - 4..]), local.end))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_ids_and_phones_case_by_case() {
        let cases = [
            ("320682199001011234", "320682********1234"),
            ("32068219900101123X", "320682********123X"),
            ("身份证号320682199001011234，已核对", "身份证号320682********1234，已核对"),
            ("13812345678", "138****5678"),
            ("联系电话：13812345678。", "联系电话：138****5678。"),
            ("0513-87654321", "0513-****4321"),
            ("+8613812345678", "+86138****5678"),
            ("025-1234567", "025-***4567"),
            ("张三 13812345678 / 李四 13987654321", "张三 138****5678 / 李四 139****4321"),
            // Not personal numbers: left as they are.
            ("灭火器 12 具，过期 3 具", "灭火器 12 具，过期 3 具"),
            ("2026-11-29", "2026-11-29"),
            ("12345678901234567890", "12345678901234567890"),
            ("23812345678", "23812345678"),
            ("52320682MJ1234567X", "52320682MJ1234567X"),
            ("No.13812345678A", "No.13812345678A"),
            ("", ""),
            // Masking twice changes nothing, even where a masked tail looks like an area code.
            ("000-10000000000-0000000", "000-100****0000-0000000"),
        ];
        for (input, expected) in cases {
            assert_eq!(mask_text(input), expected, "{input}");
        }
    }

    #[test]
    fn unmasked_leaves_text_alone() {
        assert_eq!(Masking::Unmasked.apply("13812345678"), "13812345678");
        assert_eq!(Masking::Masked.apply("13812345678"), "138****5678");
    }
}
