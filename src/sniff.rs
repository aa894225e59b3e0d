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
        (false, false) => None,
    }
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
    fn gbk_text_is_recognised() {
        let (gbk, _, _) = encoding_rs::GB18030.encode("title = \"养老机构\"\n");
        assert_eq!(legacy_chinese(&gbk), Some("GB18030"));
        assert_eq!(legacy_chinese(&[0x81, 0x20]), None);
    }
}
