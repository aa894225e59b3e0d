#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Property tests of the two loaders of untrusted files: the checklist loader and the registry import
//! never panic, whatever the text; every problem carries a position inside the input; what is shown stays
//! bounded and free of raw terminal escapes.

#[path = "common/hostile.rs"]
mod hostile;

use ducha::checklist::parse_checklist;
use ducha::i18n::Lang;
use proptest::prelude::*;

/// Pieces TOML and checklists are made of, plus hostile ones, so that random text often gets deep
/// into the parser and the validator instead of failing on its first byte.
const TOML_PIECES: &[&str] = &[
    "\n",
    " ",
    "=",
    "\"",
    "'",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    ",",
    ".",
    "#",
    "\\",
    "\\u001b",
    "0x",
    "1e9",
    "-",
    "true",
    "id",
    "version",
    "title",
    "domain",
    "sections",
    "items",
    "kind",
    "check",
    "choice",
    "number",
    "options",
    "key",
    "label",
    "when",
    "item.",
    "==",
    "prompt",
    "severity",
    "critical",
    "repeat",
    "min",
    "max",
    "pass_max",
    "deadline_days",
    "消防",
    "敬老院",
    "）。",
    "\u{1b}",
    "\u{7}",
    "\r",
    "\t",
    "\u{feff}",
    "\u{3000}",
    "９",
    "𠀀",
    "elderly_care",
    "sections.items",
];

const CSV_PIECES: &[&str] = &[
    ",",
    "\n",
    "\r\n",
    "\"",
    "\"\"",
    "YL001",
    "H1",
    "elderly_care",
    "lottery_outlet",
    "敬老院",
    "如城街道",
    "0513-85631306",
    "12",
    "-1",
    "x",
    " ",
    "\u{3000}",
    "１２",
    "\u{1b}[2J",
    "\0",
    "\u{feff}",
    "名称",
    "类型",
];

fn pieces(from: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(from), 0..max).prop_map(|v| v.concat())
}

/// The valid checklist with random text spliced in at a random place.
fn spliced() -> impl Strategy<Value = String> {
    (0..hostile::CHECKLIST.len(), pieces(TOML_PIECES, 12)).prop_map(|(at, insert)| {
        let base = hostile::CHECKLIST;
        let at = (0..=at).rev().find(|i| base.is_char_boundary(*i)).unwrap_or(0);
        format!("{}{insert}{}", &base[..at], &base[at..])
    })
}

fn check_checklist(text: &str) {
    match parse_checklist(text) {
        Ok(_) => {}
        Err(diags) => {
            assert!(!diags.is_empty());
            for d in &diags {
                assert!(
                    d.span.start <= d.span.end && d.span.end <= text.len(),
                    "span {:?} in {} bytes",
                    d.span,
                    text.len()
                );
                for lang in [Lang::En, Lang::Zh] {
                    let m = d.problem.message(lang);
                    assert!(!m.contains('\u{1b}') && m.len() < 4096, "{m:?}");
                }
            }
            let failed = ducha::checklist::Failed { origin: "p.toml".into(), text: text.into(), diags };
            let shown = failed.render(Lang::Zh);
            assert!(!shown.contains('\u{1b}'));
            assert!(shown.contains("p.toml:"), "a position is named: {shown}");
        }
    }
}

fn check_registry(bytes: &[u8]) {
    let lines = bytes.iter().filter(|b| **b == b'\n').count() as u64 + 1;
    if let Err(rejected) = ducha::registry::check(bytes) {
        assert!(!rejected.errors.is_empty() && rejected.errors.len() <= ducha::registry::MAX_ERRORS_SHOWN);
        for e in &rejected.errors {
            assert!(e.line >= 1 && e.line <= lines, "line {} of {lines}", e.line);
            let shown = e.render("r.csv", Lang::Zh);
            assert!(!shown.contains('\u{1b}') && shown.len() < 4096, "{shown:?}");
        }
    }
}

/// 256 cases in CI; `PROPTEST_CASES` for more (the full form uses 20,000).
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn the_checklist_loader_never_panics_on_any_text(text in any::<String>()) {
        check_checklist(&text);
    }

    #[test]
    fn the_checklist_loader_never_panics_on_toml_like_text(text in pieces(TOML_PIECES, 200)) {
        check_checklist(&text);
    }

    #[test]
    fn the_checklist_loader_never_panics_on_a_damaged_checklist(text in spliced()) {
        check_checklist(&text);
    }

    #[test]
    fn the_registry_import_never_panics_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        check_registry(&bytes);
    }

    #[test]
    fn the_registry_import_never_panics_on_csv_like_rows(rows in pieces(CSV_PIECES, 300)) {
        check_registry(format!("{}{rows}", hostile::HEADER).as_bytes());
    }
}
