//! The site registry import on arbitrary bytes: `check` (encoding, header, every row), then, for a file it
//! finds clean, `visit` hands over every site. Errors must name a line of the file and render short.
#![no_main]

use ducha::i18n::Lang;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let lines = data.iter().filter(|b| **b == b'\n').count() as u64 + 1;
    match ducha::registry::check(data) {
        Ok(checked) => {
            let mut n = 0;
            let visited = ducha::registry::visit(data, &mut |_| {
                n += 1;
                Ok(())
            });
            assert!(visited.is_ok());
            assert_eq!(n, checked.rows);
        }
        Err(rejected) => {
            for e in &rejected.errors {
                assert!(e.line >= 1 && e.line <= lines);
                assert!(e.render("fuzz.csv", Lang::En).len() < 4096);
            }
        }
    }
});
