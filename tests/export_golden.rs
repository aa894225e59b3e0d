#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The exports' bytes do not change when their code is made faster: the SHA-256 of each export (the
//! rectification list as CSV and XLSX, the findings as CSV, the weekly report in its three formats) of a
//! tiny demo database is compared with the digest recorded before the export code was optimised (issue 12).
//!
//! The demo is generated with seeded ids (`store::seed_ids`), so the same seed writes the same rows in the
//! same order, ids included. An XLSX file also carries its creation time (docProps/core.xml): its digest
//! is over every other part of the archive, name and bytes, in archive order.
//!
//! When an export changes on purpose, print the new digests with `DUCHA_GOLDEN_PRINT=1 cargo test --test
//! export_golden -- --nocapture`, check the exports by eye, and update the table below.

use std::io::Read;
use std::path::Path;

use chrono::NaiveDate;
use ducha::checklist::sha256_hex;
use ducha::demo::{self, Options as DemoOptions, Scale};
use ducha::export::{self, ExportFilter, Kind, Masking, Options, Output};
use ducha::i18n::Lang;
use ducha::report::{self, IsoWeek};
use ducha::store::{self, Store, board::Filter};

const TODAY: &str = "2026-11-29";
const SEED: u64 = 7;

/// The digests recorded on 2026-12-01 with the export code as it was before issue 12's optimisations; the
/// rectification list's since gained its last column (整改证据, empty in the demo), checked by parsing both
/// files: every other cell of every row is unchanged.
const GOLDEN: &[(&str, &str)] = &[
    ("list.csv", "cfeede98227a47c5df6ef48a38d65d3d226064f81d0c4e86a164181a51862759"),
    ("list-en-unmasked.csv", "16940a2c49b307b9b44540a40b25fec8a6d40a487165ab20134cf46bce005c63"),
    ("list.xlsx", "41684925f25c7164c241644bed7eb552ec68adc4e34934df1f1b99963f264cde"),
    ("list-overdue-town.csv", "9a6b4c15379477e5154787bb35a377ecf2eefd03375a3b42b1b8cb54f66b3357"),
    ("findings.csv", "653e996bd3f388772db6f6e1bbbc623994677973a76418844845a9f9a04409d8"),
    ("findings-en-unmasked-drafts.csv", "68815e308d594a6df058d0201876db3947d937ae39a6635bb956439b9d51d6e8"),
    ("findings.xlsx", "23a626c9f4da861e8cb39c6f67cef1fd454090dd90ac12816469d113fff9cab2"),
    ("findings-town-from.csv", "30e04d42ff20817881ca0fbb8a21cd5cf31db8d2b8de072be5e3e614ce36e443"),
    ("findings-open.csv", "ab7e02b24b8f65eb9e0083bcf146f0d90157af6091679011c207664440e897ae"),
    ("findings-text.csv", "beb75c7e55fdf70cc06278555891a534dfe173ef0f4cc57a4be43d4678674cba"),
    ("list-text.csv", "8e16eb74aa3d51601e6572d9c5573cf7382505c40928b3955392337a122497aa"),
    ("weekly-W47.csv", "e355a30f3a8f68d04a44be9f734e7450fcda8f754f8c1a94550ab352617845f7"),
    ("weekly-W47.md", "b7036afbe152483f7e92c5c1dafae5c185f0962c7b13a417b239fd30a27d574c"),
    ("weekly-W47.txt", "df2da206dfba17cab3fe7c23da476ab731291b2366f5eab1f4a07e1acf338f17"),
    ("weekly-W48-en.txt", "08c90ed8df64c452cf59b4d7f9a91f8b22990ef089c87f504387a0156a15896d"),
];

fn today() -> NaiveDate {
    NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap()
}

/// A tiny demo database, made as `ducha demo --scale tiny --seed 7` makes one, with seeded ids throughout.
fn demo_db(dir: &Path) -> Store {
    // Another stream than the one `demo::generate` seeds from SEED: both start at the setup time.
    store::seed_ids(Some(SEED + 1000));
    demo::set_setup_clock(today());
    let mut store = Store::open(&dir.join("golden.db")).unwrap();
    ducha::app::seed(&mut store, "管理员").unwrap();
    demo::clear_clock();
    store::seed_ids(None);
    let opts = DemoOptions { scale: Scale::Tiny, seed: SEED, today: today() };
    demo::generate(&mut store, "管理员", &opts, &mut |_| {}).unwrap();
    store
}

fn opts(lang: Lang, masking: Masking, include_drafts: bool) -> Options {
    Options { lang, today: today(), masking, bom: true, include_drafts, actor: "管理员".to_string() }
}

fn export_file(store: &mut Store, kind: Kind, filter: &ExportFilter, o: &Options, path: &Path) -> Vec<u8> {
    let summary =
        export::export(store, kind, filter, o, &Output::File(path.to_path_buf()), &mut |_, _| {}).unwrap();
    assert!(summary.rows > 0, "{} wrote no rows", path.display());
    std::fs::read(path).unwrap()
}

/// The digest of an XLSX archive without its creation time: every other entry's name and bytes.
fn xlsx_digest(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut all = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        if name == "docProps/core.xml" {
            continue;
        }
        all.extend_from_slice(name.as_bytes());
        all.push(0);
        entry.read_to_end(&mut all).unwrap();
        all.push(0);
    }
    assert!(all.len() > 10_000, "an XLSX archive with {} bytes of content", all.len());
    sha256_hex(&all)
}

fn digests() -> Vec<(&'static str, String)> {
    let dir = tempfile::tempdir().unwrap();
    let mut store = demo_db(dir.path());
    let out = |name: &str| dir.path().join(name);
    let all = ExportFilter::default();
    let overdue_town = ExportFilter {
        board: Filter { town: Some("如城街道".into()), overdue_only: true, ..Filter::default() },
        ..ExportFilter::default()
    };
    let town_from = ExportFilter {
        board: Filter { town: Some("丁堰镇".into()), ..Filter::default() },
        from: Some(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()),
        ..ExportFilter::default()
    };
    let zh = opts(Lang::Zh, Masking::Masked, false);
    let en = opts(Lang::En, Masking::Unmasked, true);
    let mut d = Vec::new();
    let csv = |store: &mut Store, kind, filter: &ExportFilter, o: &Options, name: &'static str| {
        (name, sha256_hex(&export_file(store, kind, filter, o, &out(name))))
    };
    d.push(csv(&mut store, Kind::Rectifications, &all, &zh, "list.csv"));
    d.push(csv(&mut store, Kind::Rectifications, &all, &en, "list-en-unmasked.csv"));
    let xlsx = export_file(&mut store, Kind::Rectifications, &all, &zh, &out("list.xlsx"));
    d.push(("list.xlsx", xlsx_digest(&xlsx)));
    d.push(csv(&mut store, Kind::Rectifications, &overdue_town, &zh, "list-overdue-town.csv"));
    d.push(csv(&mut store, Kind::Findings, &all, &zh, "findings.csv"));
    d.push(csv(&mut store, Kind::Findings, &all, &en, "findings-en-unmasked-drafts.csv"));
    let xlsx = export_file(&mut store, Kind::Findings, &all, &zh, &out("findings.xlsx"));
    d.push(("findings.xlsx", xlsx_digest(&xlsx)));
    d.push(csv(&mut store, Kind::Findings, &town_from, &zh, "findings-town-from.csv"));
    let open = ExportFilter {
        board: Filter { statuses: vec!["open".into(), "in_progress".into()], ..Filter::default() },
        ..ExportFilter::default()
    };
    d.push(csv(&mut store, Kind::Findings, &open, &zh, "findings-open.csv"));
    let text = ExportFilter {
        board: Filter { text: Some("消防".into()), ..Filter::default() },
        ..ExportFilter::default()
    };
    d.push(csv(&mut store, Kind::Findings, &text, &zh, "findings-text.csv"));
    d.push(csv(&mut store, Kind::Rectifications, &text, &zh, "list-text.csv"));

    let w47 = report::weekly_report(store.conn(), IsoWeek::new(2026, 47).unwrap(), today()).unwrap();
    assert!(w47.totals.get(report::weekly::Figure::New) > 0, "week 47 has new rectifications");
    d.push(("weekly-W47.csv", sha256_hex(&report::render_csv(&w47, Lang::Zh).unwrap())));
    d.push(("weekly-W47.md", sha256_hex(report::render_markdown(&w47, Lang::Zh).as_bytes())));
    d.push(("weekly-W47.txt", sha256_hex(report::render_text(&w47, Lang::Zh).as_bytes())));
    let w48 = report::weekly_report(store.conn(), IsoWeek::new(2026, 48).unwrap(), today()).unwrap();
    d.push(("weekly-W48-en.txt", sha256_hex(report::render_text(&w48, Lang::En).as_bytes())));
    if let Some(keep) = std::env::var_os("DUCHA_GOLDEN_KEEP") {
        for (name, _) in &d {
            let _ = std::fs::copy(out(name), std::path::Path::new(&keep).join(name));
        }
    }
    d
}

#[test]
fn every_export_of_the_seeded_demo_has_the_bytes_recorded_before_the_optimisations() {
    let got = digests();
    if std::env::var_os("DUCHA_GOLDEN_PRINT").is_some() {
        for (name, digest) in &got {
            println!("    (\"{name}\", \"{digest}\"),");
        }
    }
    let names: Vec<&str> = got.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, GOLDEN.iter().map(|(n, _)| *n).collect::<Vec<_>>());
    let differing: Vec<String> = got
        .iter()
        .zip(GOLDEN)
        .filter(|((_, d), (_, want))| d != want)
        .map(|((name, d), (_, want))| format!("{name}: {d}, recorded {want}"))
        .collect();
    assert!(differing.is_empty(), "exports changed:\n{}", differing.join("\n"));
}
