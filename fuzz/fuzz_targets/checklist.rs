//! The checklist loader on arbitrary bytes, as `ducha check` reads a file: text that is not UTF-8 is
//! decoded lossily (the loader refuses it before parsing; here the parser and validator get it too).
//! Every refusal must render (positions inside the text) without panicking.
#![no_main]

use ducha::checklist::{Failed, parse_checklist};
use ducha::i18n::Lang;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    if let Err(diags) = parse_checklist(&text) {
        for d in &diags {
            assert!(d.span.start <= d.span.end && d.span.end <= text.len());
        }
        let failed = Failed { origin: "fuzz.toml".into(), text, diags };
        let shown = failed.render(Lang::Zh);
        assert!(!shown.contains('\u{1b}'));
    }
});
