//! From the bytes of a registry file to its text: size limit, encoding (UTF-8 with or without a BOM, or
//! GB18030; UTF-16 and UTF-32 named and refused), and the one CSV mistake the csv crate does not report,
//! a quote that is never closed.

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

use super::RowError;

/// The largest registry file read, about 150,000 sites of typical length (a province has about 100,000).
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// Reads a registry file, refusing it before reading it all when it is larger than [`MAX_FILE_BYTES`].
pub fn read(path: &Path) -> Result<Vec<u8>, std::io::Error> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Decodes the bytes of a CSV file: a UTF-8 BOM or valid UTF-8 means UTF-8 (borrowed, not copied),
/// anything else is tried as GB18030.
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, &'static str), RowError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(RowError::new(
            1,
            None,
            format!("文件过大（超过 {} MiB），不予读取：请分成几个文件导入", MAX_FILE_BYTES >> 20),
            format!(
                "file too large (over {} MiB); refused: split it into several files",
                MAX_FILE_BYTES >> 20
            ),
        ));
    }
    if let Some(enc) = crate::sniff::wide_unicode(bytes) {
        return Err(RowError::new(
            1,
            None,
            format!("文件是 {enc} 编码：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”"),
            format!("the file is {enc}: save it from Excel as \"CSV UTF-8 (comma delimited)\""),
        ));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return match std::str::from_utf8(rest) {
            Ok(s) => Ok((Cow::Borrowed(s), "UTF-8 (BOM)")),
            Err(e) => Err(bad_encoding(rest, e.valid_up_to())),
        };
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((Cow::Borrowed(s), "UTF-8")),
        Err(e) => match decode_gb18030(bytes) {
            Ok(s) => Ok((Cow::Owned(s), "GB18030")),
            // Point at the bad bytes of whichever encoding got further, the likelier one.
            Err(at) => Err(bad_encoding(bytes, e.valid_up_to().max(at))),
        },
    }
}

/// Decodes GB18030, or returns the byte offset of the first malformed sequence.
fn decode_gb18030(bytes: &[u8]) -> Result<String, usize> {
    use encoding_rs::DecoderResult;
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let mut text = String::new();
    let mut read = 0;
    loop {
        let rest = &bytes[read..];
        text.reserve(decoder.max_utf8_buffer_length_without_replacement(rest.len()).unwrap_or(4096));
        let (result, n) = decoder.decode_to_string_without_replacement(rest, &mut text, true);
        read += n;
        match result {
            DecoderResult::InputEmpty => return Ok(text),
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(bad, after) => {
                return Err(read.saturating_sub(usize::from(bad) + usize::from(after)));
            }
        }
    }
}

fn bad_encoding(bytes: &[u8], at: usize) -> RowError {
    let line = bytes[..at.min(bytes.len())].iter().filter(|b| **b == b'\n').count() as u64 + 1;
    RowError::new(
        line,
        None,
        "无法识别的文字编码（既不是 UTF-8 也不是 GB18030）".into(),
        "unrecognised text encoding (neither UTF-8 nor GB18030)".into(),
    )
}

/// The line of a quote that opens a field and is never closed. The csv crate reads such a field to the end
/// of the file without complaint, and the row then fails with a misleading "must not be empty".
pub fn unclosed_quote(text: &str) -> Option<u64> {
    let bytes = text.as_bytes();
    let (mut line, mut opened_on) = (1u64, 0u64);
    let (mut quoted, mut field_start) = (false, true);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if quoted {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1; // an escaped quote inside the field
                } else {
                    quoted = false;
                }
            }
        } else if b == b'"' && field_start {
            quoted = true;
            opened_on = line;
        }
        if b == b'\n' {
            line += 1;
        }
        field_start = matches!(b, b',' | b'\n' | b'\r');
        i += 1;
    }
    quoted.then_some(opened_on)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unclosed_quote_is_found_on_the_line_it_opens() {
        assert_eq!(unclosed_quote("a,b\n1,\"x, y\"\n2,\"z\n3,4\n"), Some(3));
        assert_eq!(unclosed_quote("a,b\n1,\"x\"\"y\"\n2,\"multi\nline\"\n"), None);
        // A quote inside an unquoted field is data, as the csv crate reads it.
        assert_eq!(unclosed_quote("a,b\n1,5\"\n"), None);
    }
}
