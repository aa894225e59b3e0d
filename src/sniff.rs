//! Guessing the encoding of a text file that is not UTF-8, to tell the user what they saved and how to
//! save it again: Excel's "Unicode text" is UTF-16, Chinese Windows programs save GBK (GB18030).

/// UTF-32 or UTF-16, from a byte-order mark, or from the NUL bytes that ASCII text has in every other
/// (UTF-16) or three of four (UTF-32) positions when there is no mark.
pub fn wide_unicode(bytes: &[u8]) -> Option<&'static str> {
    // UTF-32 first: its little-endian mark starts with the UTF-16 one.
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) {
        return Some("UTF-32LE");
    }
    if bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Some("UTF-32BE");
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Some("UTF-16LE");
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Some("UTF-16BE");
    }
    let head = &bytes[..bytes.len().min(4096) & !3];
    if head.len() < 8 {
        return None;
    }
    let zero_at = |phase: usize, step: usize| {
        let (zeros, all) =
            head.iter().skip(phase).step_by(step).fold((0, 0), |(z, n), b| (z + usize::from(*b == 0), n + 1));
        zeros * 10 >= all * 9
    };
    match (zero_at(0, 2), zero_at(1, 2)) {
        (true, true) => None, // all NULs: binary, not text
        (false, true) if zero_at(2, 4) && zero_at(3, 4) => Some("UTF-32LE"),
        (true, false) if zero_at(0, 4) && zero_at(1, 4) => Some("UTF-32BE"),
        (false, true) => Some("UTF-16LE"),
        (true, false) => Some("UTF-16BE"),
        (false, false) => wide_by_decoding(bytes.len(), head),
    }
}

/// Mostly Chinese text in UTF-16 or UTF-32 without a mark has few NUL bytes: name it when the head is not
/// UTF-8 but decodes as one of them without an error and is almost all text a checklist or registry holds
/// (ASCII, CJK ideographs and punctuation, full-width forms), with at least one ideograph.
fn wide_by_decoding(len: usize, head: &[u8]) -> Option<&'static str> {
    // Valid UTF-8 (cut mid-character at most) is UTF-8: its bytes paired up can look like ideographs.
    if std::str::from_utf8(head).map_or_else(|e| e.error_len().is_none(), |_| true) {
        return None;
    }
    type Decode = fn(&[u8]) -> Option<Vec<char>>;
    let candidates: [(&'static str, usize, Decode); 4] = [
        ("UTF-32LE", 4, |b| utf32(b, u32::from_le_bytes)),
        ("UTF-32BE", 4, |b| utf32(b, u32::from_be_bytes)),
        ("UTF-16LE", 2, |b| utf16(b, u16::from_le_bytes)),
        ("UTF-16BE", 2, |b| utf16(b, u16::from_be_bytes)),
    ];
    candidates
        .into_iter()
        .find(|(_, unit, decode)| {
            len.is_multiple_of(*unit) && decode(head).is_some_and(|chars| mostly_chinese_text(&chars))
        })
        .map(|(name, _, _)| name)
}

fn utf32(bytes: &[u8], from: fn([u8; 4]) -> u32) -> Option<Vec<char>> {
    bytes.chunks_exact(4).map(|c| char::from_u32(from([c[0], c[1], c[2], c[3]]))).collect()
}

fn utf16(bytes: &[u8], from: fn([u8; 2]) -> u16) -> Option<Vec<char>> {
    let mut units: Vec<u16> = bytes.chunks_exact(2).map(|c| from([c[0], c[1]])).collect();
    // The head may end between the two halves of a surrogate pair.
    if units.last().is_some_and(|u| (0xD800..0xDC00).contains(u)) {
        units.pop();
    }
    char::decode_utf16(units).map(Result::ok).collect()
}

fn mostly_chinese_text(chars: &[char]) -> bool {
    let ideograph = |c: char| matches!(u32::from(c), 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0x20000..=0x3134F);
    let texty = |c: char| {
        ideograph(c)
            || matches!(
                u32::from(c),
                0x09 | 0x0A | 0x0D | 0x20..=0x7E | 0xB7 | 0x2000..=0x27BF | 0x3000..=0x303F | 0xFEFF..=0xFFEF
            )
    };
    let text = chars.iter().filter(|c| texty(**c)).count();
    !chars.is_empty() && text * 10 >= chars.len() * 9 && chars.iter().any(|c| ideograph(*c))
}

/// `Some("GB18030")` when the bytes decode as GB18030 (a superset of GBK) without a single error.
pub fn legacy_chinese(bytes: &[u8]) -> Option<&'static str> {
    let (_, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    (!had_errors).then_some("GB18030")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    #[test]
    fn wide_encodings_are_named_with_or_without_a_mark() {
        let mut marked = vec![0xFF, 0xFE];
        marked.extend(utf16le("code,kind\n"));
        assert_eq!(wide_unicode(&marked), Some("UTF-16LE"));
        assert_eq!(wide_unicode(&utf16le("code,kind,name\n")), Some("UTF-16LE"));
        let be: Vec<u8> = "code,kind,name\n".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(wide_unicode(&be), Some("UTF-16BE"));
        let utf32: Vec<u8> = "code,kind\n".chars().flat_map(|c| (c as u32).to_le_bytes()).collect();
        assert_eq!(wide_unicode(&utf32), Some("UTF-32LE"));
        let mut marked32 = vec![0xFF, 0xFE, 0, 0];
        marked32.extend(&utf32);
        assert_eq!(wide_unicode(&marked32), Some("UTF-32LE"));
        assert_eq!(wide_unicode(b"code,kind,name\n"), None);
        assert_eq!(wide_unicode(&[0; 64]), None);
    }

    #[test]
    fn mostly_chinese_wide_text_without_a_mark_is_named() {
        let text = "序号,名称,类型\n1,城关镇敬老院,养老机构\n2,东关社区，“儿童之家”,儿童福利\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let le32: Vec<u8> = text.chars().flat_map(|c| u32::from(c).to_le_bytes()).collect();
        let be32: Vec<u8> = text.chars().flat_map(|c| u32::from(c).to_be_bytes()).collect();
        assert_eq!(wide_unicode(&le), Some("UTF-16LE"));
        assert_eq!(wide_unicode(&be), Some("UTF-16BE"));
        assert_eq!(wide_unicode(&le32), Some("UTF-32LE"));
        assert_eq!(wide_unicode(&be32), Some("UTF-32BE"));
        // A supplementary ideograph (a surrogate pair) is text too, and a head cut inside one still counts.
        let rare: Vec<u8> = "𠀀名称".repeat(2000).encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(wide_unicode(&rare), Some("UTF-16LE"));
        // An odd length is not UTF-16.
        let mut odd = le.clone();
        odd.push(b'x');
        assert_eq!(wide_unicode(&odd), None);
    }

    #[test]
    fn utf8_gbk_and_binary_are_not_taken_for_wide_text() {
        let text = "序号,名称,类型\n1,城关镇敬老院,养老机构\n2,东关社区儿童之家,儿童福利\n";
        assert_eq!(wide_unicode(text.as_bytes()), None);
        // Cut in the middle of a character, as a 4096-byte head can be.
        let long = text.repeat(100);
        assert_eq!(wide_unicode(&long.as_bytes()[..4097]), None);
        // Even-length ASCII pairs up into ideographs ("co" is U+6F63) but is UTF-8.
        assert_eq!(wide_unicode(b"code,name,kind,town\n"), None);
        let (gbk, _, _) = encoding_rs::GB18030.encode(text);
        let gbk = if gbk.len() % 2 == 0 { gbk.into_owned() } else { [&gbk[..], b"\n"].concat() };
        assert_eq!(wide_unicode(&gbk), None);
        // A lone surrogate is not UTF-16.
        let mut broken: Vec<u8> = "名称类型名称".encode_utf16().flat_map(u16::to_le_bytes).collect();
        broken.splice(2..4, 0xDC00u16.to_le_bytes());
        assert_eq!(wide_unicode(&broken), None);
        let noise: Vec<u8> =
            (0u32..4096).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 | 0x80).collect();
        assert_eq!(wide_unicode(&noise), None);
    }

    #[test]
    fn gbk_text_is_recognised() {
        let (gbk, _, _) = encoding_rs::GB18030.encode("title = \"养老机构\"\n");
        assert_eq!(legacy_chinese(&gbk), Some("GB18030"));
        assert_eq!(legacy_chinese(&[0x81, 0x20]), None);
    }
}
