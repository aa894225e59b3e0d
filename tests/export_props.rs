#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Properties of the export's text handling over arbitrary input: masking never panics, keeps the text's
//! length and changes only digits (to `*`); any cell survives the CSV writer and the csv crate's reader
//! unchanged apart from the formula guard's leading `'`.

use ducha::export::csv_sink::{CsvSink, guard};
use ducha::export::mask::mask_text;
use ducha::export::{Cell, Sink};
use proptest::prelude::*;

/// Text mixing Chinese, digits runs, separators and the characters the guard looks at.
fn texts() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            "[0-9]{1,20}",
            "[0-9]{17}[Xx]",
            "1[3-9][0-9]{9}",
            "0[0-9]{2,3}-[0-9]{7,8}",
            "[=+@\t\r\n,\"' -]",
            "[a-zA-Z]{1,3}",
            "[\u{4e00}-\u{9fa5}]{1,4}",
            any::<char>().prop_map(String::from),
        ],
        0..8,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn masking_keeps_length_and_touches_only_digits(text in texts()) {
        let masked = mask_text(&text);
        prop_assert_eq!(masked.chars().count(), text.chars().count());
        for (a, b) in text.chars().zip(masked.chars()) {
            prop_assert!(a == b || (b == '*' && a.is_ascii_digit()), "{:?} -> {:?}", text, masked);
        }
        // Masking is idempotent: a masked text has nothing left to mask.
        prop_assert_eq!(mask_text(&masked), masked.clone());
    }

    #[test]
    fn any_cell_round_trips_through_csv(cells in proptest::collection::vec(texts(), 1..5)) {
        let mut sink = CsvSink::new(Vec::new(), true).unwrap();
        sink.header(&vec!["h"; cells.len()]).unwrap();
        let row: Vec<Cell> = cells.iter().map(|c| Cell::Text(c.clone())).collect();
        sink.row(&row).unwrap();
        sink.finish().unwrap();
        let bytes = sink.into_inner().unwrap();
        let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(&bytes[3..]);
        let back: Vec<String> = reader.records().next().unwrap().unwrap().iter().map(String::from).collect();
        let expected: Vec<String> = cells.iter().map(|c| guard(c).into_owned()).collect();
        prop_assert_eq!(back, expected);
        for c in &cells {
            let g = guard(c);
            prop_assert!(!g.starts_with(['=', '+', '-', '@', '\t', '\r']) || c.parse::<f64>().is_ok());
        }
    }
}
