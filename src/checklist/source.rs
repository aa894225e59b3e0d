//! Where checklists come from — the shipped ones embedded in the binary and admins' files — and their
//! content hashes. Two different texts with the same id and version are an error.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use toml::de::DeTable;

use super::guard::{self, ReadError};
use super::model::Checklist;
use super::parse::parse_checklist;
use super::problem::{Diagnostic, Problem};
use crate::diagnostics::{LineIndex, Located};
use crate::i18n::Lang;

/// The checklists shipped with ducha, embedded so an installed binary works from any directory.
pub const SHIPPED: &[(&str, &str)] = &[
    ("checklists/elderly_care_safety.toml", include_str!("../../checklists/elderly_care_safety.toml")),
    (
        "checklists/lottery_outlet_supervision.toml",
        include_str!("../../checklists/lottery_outlet_supervision.toml"),
    ),
    (
        "checklists/rescue_station_duty_log.toml",
        include_str!("../../checklists/rescue_station_duty_log.toml"),
    ),
    ("checklists/social_org_enforcement.toml", include_str!("../../checklists/social_org_enforcement.toml")),
];

/// A valid checklist with the exact text it was read from.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub checklist: Checklist,
    /// Where it came from, for messages: a path, or `checklists/…` (shipped).
    pub origin: String,
    pub text: String,
    /// SHA-256 of the text's bytes, lowercase hex.
    pub hash: String,
}

/// A file that is not a valid checklist, with what is needed to show its problems.
#[derive(Debug)]
pub struct Failed {
    pub origin: String,
    pub text: String,
    pub diags: Vec<Diagnostic>,
}

/// How many problems of one file `ducha check` shows; the rest are counted. Past a few dozen, more
/// messages do not help fix the file, and 300,000 of them would flood the terminal.
pub const MAX_SHOWN: usize = 50;

impl Failed {
    /// The first [`MAX_SHOWN`] problems, each with its source line, then how many more there are.
    pub fn render(&self, lang: Lang) -> String {
        let index = LineIndex::new(&self.text);
        let mut out = String::new();
        for d in self.diags.iter().take(MAX_SHOWN) {
            let loc = Located {
                path: &self.origin,
                source: &self.text,
                span: d.span.clone(),
                message: d.problem.message(lang),
            };
            out.push_str(&loc.render_with(&index, lang));
            out.push_str("\n\n");
        }
        let more = self.diags.len().saturating_sub(MAX_SHOWN);
        if more > 0 {
            let path = crate::shown::printable(&self.origin);
            out.push_str(&match lang {
                Lang::Zh => format!("{path}: 另有 {more} 处错误未显示（只显示前 {MAX_SHOWN} 处）\n\n"),
                Lang::En => {
                    format!("{path}: and {more} more problem(s) not shown (only the first {MAX_SHOWN})\n\n")
                }
            });
        }
        out
    }
}

#[derive(Debug, Default)]
pub struct LoadReport {
    pub loaded: Vec<Loaded>,
    pub failed: Vec<Failed>,
    /// Files or directories that could not be read at all.
    pub unreadable: Vec<(String, std::io::Error)>,
}

impl LoadReport {
    pub fn is_clean(&self) -> bool {
        self.failed.is_empty() && self.unreadable.is_empty()
    }

    pub fn find(&self, id: &str) -> Option<&Loaded> {
        // The highest version of an id wins.
        self.loaded.iter().filter(|l| l.checklist.id == id).max_by_key(|l| l.checklist.version)
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex of a digest, without a `format!` per byte (audit chains hash every entry).
pub fn hex(digest: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(digest.len() * 2);
    for b in digest {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

fn add_text(report: &mut LoadReport, origin: String, text: String) {
    match parse_checklist(&text) {
        Ok(checklist) => {
            let hash = sha256_hex(text.as_bytes());
            report.loaded.push(Loaded { checklist, origin, text, hash });
        }
        Err(diags) => report.failed.push(Failed { origin, text, diags }),
    }
}

pub fn load_shipped(report: &mut LoadReport) {
    for (name, text) in SHIPPED {
        add_text(report, (*name).to_string(), (*text).to_string());
    }
}

/// Loads files, and the `*.toml` files of directories (sorted by name, not recursive).
pub fn load_paths(report: &mut LoadReport, paths: &[PathBuf]) {
    for path in paths {
        if path.is_dir() {
            match toml_files(path) {
                Ok(files) => files.iter().for_each(|f| load_file(report, f)),
                Err(e) => report.unreadable.push((path.display().to_string(), e)),
            }
        } else {
            load_file(report, path);
        }
    }
}

fn toml_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_file() && path.extension().is_some_and(|e| e == "toml") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn load_file(report: &mut LoadReport, path: &Path) {
    let origin = path.display().to_string();
    match guard::read_source(path) {
        Ok(bytes) => add_text(report, origin, String::from_utf8_lossy(&bytes).into_owned()),
        Err(ReadError::Io(e)) => report.unreadable.push((origin, e)),
        Err(ReadError::Refused(d, shown)) => {
            report.failed.push(Failed { origin, text: shown, diags: vec![d] })
        }
    }
}

/// The span of the `version` value, to point at when two texts share an id and version.
fn version_span(text: &str) -> std::ops::Range<usize> {
    DeTable::parse(text)
        .ok()
        .and_then(|doc| {
            doc.get_ref().iter().find(|(k, _)| k.get_ref().as_ref() == "version").map(|(_, v)| v.span())
        })
        .unwrap_or(0..0)
}

/// Moves checklists whose id and version match an earlier one with different content into `failed`; drops
/// exact copies (the same text found twice). `known` holds hashes already stored (id, version → origin,
/// hash), e.g. the database's snapshots.
pub fn reject_conflicts(report: &mut LoadReport, known: &HashMap<(String, u32), (String, String)>) {
    let mut seen: HashMap<(String, u32), (String, String)> = known.clone();
    let mut kept = Vec::new();
    for l in std::mem::take(&mut report.loaded) {
        let key = (l.checklist.id.clone(), l.checklist.version);
        match seen.get(&key) {
            Some((_, hash)) if *hash == l.hash => {
                if !kept.iter().any(|k: &Loaded| k.hash == l.hash) {
                    kept.push(l);
                }
            }
            Some((other, _)) => {
                let span = version_span(&l.text);
                report.failed.push(Failed {
                    diags: vec![Diagnostic {
                        span,
                        problem: Problem::DuplicateChecklist {
                            id: key.0,
                            version: key.1,
                            other: other.clone(),
                        },
                    }],
                    origin: l.origin,
                    text: l.text,
                });
            }
            None => {
                seen.insert(key, (l.origin.clone(), l.hash.clone()));
                kept.push(l);
            }
        }
    }
    report.loaded = kept;
}
