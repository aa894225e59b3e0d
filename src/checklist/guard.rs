//! Refuses hostile input before the TOML parser sees it: oversized files, binary data, text that is not
//! UTF-8. (Deep nesting is refused by the toml crate's own recursion limit, reported as a syntax error.)

use std::io::Read;
use std::path::Path;

use super::problem::{Diagnostic, Problem};

pub const MAX_BYTES: u64 = 1024 * 1024;

/// Checks text already in memory (for example an embedded checklist).
pub fn check_text(source: &str) -> Option<Diagnostic> {
    if source.len() as u64 > MAX_BYTES {
        return Some(Diagnostic {
            span: 0..0,
            problem: Problem::TooLarge { bytes: source.len() as u64, limit: MAX_BYTES },
        });
    }
    source.find('\0').map(|at| Diagnostic { span: at..at + 1, problem: Problem::Binary })
}

/// Why a file could not be read as checklist text.
pub enum ReadError {
    Io(std::io::Error),
    /// The problem and the part of the file that could be shown (a valid-UTF-8 prefix).
    Refused(Diagnostic, String),
}

/// Reads a checklist file, refusing it early when it is too large, binary or not UTF-8.
pub fn read_source(path: &Path) -> Result<Vec<u8>, ReadError> {
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let mut bytes = Vec::new();
    // Read one byte past the limit so an oversized file is detected without reading all of it.
    file.take(MAX_BYTES + 1).read_to_end(&mut bytes).map_err(ReadError::Io)?;
    if bytes.len() as u64 > MAX_BYTES {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(bytes.len() as u64);
        return Err(ReadError::Refused(
            Diagnostic { span: 0..0, problem: Problem::TooLarge { bytes: size, limit: MAX_BYTES } },
            String::new(),
        ));
    }
    // UTF-16 and UTF-32 text is full of NUL bytes: name the encoding rather than call it binary.
    if let Some(enc) = crate::sniff::wide_unicode(&bytes) {
        return Err(ReadError::Refused(
            Diagnostic { span: 0..0, problem: Problem::NotUtf8 { looks_like: Some(enc) } },
            String::new(),
        ));
    }
    if let Some(at) = bytes.iter().position(|b| *b == 0) {
        let shown = String::from_utf8_lossy(&bytes[..at]).into_owned();
        return Err(ReadError::Refused(
            Diagnostic { span: shown.len()..shown.len(), problem: Problem::Binary },
            shown,
        ));
    }
    if let Err(e) = std::str::from_utf8(&bytes) {
        let valid = e.valid_up_to();
        let shown = String::from_utf8_lossy(&bytes[..valid]).into_owned();
        let looks_like = crate::sniff::legacy_chinese(&bytes);
        return Err(ReadError::Refused(
            Diagnostic { span: valid..valid, problem: Problem::NotUtf8 { looks_like } },
            shown,
        ));
    }
    Ok(bytes)
}
