//! The site picker at 100,000 sites (`cargo bench --bench sites`): what opening the picker and typing a
//! filter cost, measured through the same store calls the console's effect executor makes
//! (`sites::initials_missing` and `sites::find`, a page of 100), and the process's peak memory.
//!
//! Builds (once, cached under `target/bench-sites.db`) a registry of 100,000 sites — a province — with
//! names made of real town names and institution words, so pinyin initials match as they would. A timing,
//! not a test: nothing here asserts a duration.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use ducha::domain::Domain;
use ducha::store::Store;
use ducha::store::sites::{self, SiteFields};

const SITES: usize = 100_000;
const PAGE: usize = 100;

fn build(path: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    let mut store = Store::open(path)?;
    ducha::app::seed(&mut store, "bench")?;
    let towns = [
        "如城街道",
        "城北街道",
        "城南街道",
        "长江镇",
        "下原镇",
        "磨头镇",
        "石庄镇",
        "白蒲镇",
        "搬经镇",
        "江安镇",
        "吴窑镇",
        "林梓镇",
        "丁堰镇",
        "东陈镇",
        "九华镇",
        "郭园镇",
        "柴湾镇",
        "袁桥镇",
        "高明镇",
        "常青镇",
    ];
    let words = ["敬老院", "颐养院", "康养中心", "福利院", "投注站", "志愿者协会", "商会", "救助站"];
    let kinds = [Domain::ElderlyCare, Domain::LotteryOutlet, Domain::SocialOrg, Domain::ElderlyCare];
    store.conn().execute_batch("PRAGMA synchronous = OFF")?;
    store.write(|tx| -> Result<(), ducha::store::StoreError> {
        for i in 0..SITES {
            let town = towns[i % towns.len()];
            let f = SiteFields {
                code: format!("P{i:06}"),
                kind: kinds[i % kinds.len()],
                name: format!("{town}第{}{}", i / 8 % 500 + 1, words[i % words.len()]),
                town: format!("{}市{town}", ["如皋", "海安", "启东", "通州"][i / 20 % 4]),
                address: format!("{town}人民路{}号", i % 900 + 1),
                contact: "王芳".into(),
                phone: "0513-80000000".into(),
                floors: Some(3),
                beds: Some(80),
                license: String::new(),
            };
            sites::upsert(tx, "bench", &f, false)?;
        }
        Ok(())
    })?;
    Ok(())
}

fn time<T>(name: &str, runs: usize, mut f: impl FnMut() -> T) {
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("{name:<48} median {:>8.2} ms   worst {:>8.2} ms", ms(samples[runs / 2]), ms(samples[runs - 1]));
}

/// The process's peak resident memory (Linux), in MiB.
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = match std::env::var_os("DUCHA_BENCH_DB") {
        Some(p) => PathBuf::from(p),
        None => {
            let dir = PathBuf::from(std::env::var_os("CARGO_TARGET_DIR").unwrap_or_else(|| "target".into()));
            let path = dir.join("bench-sites.db");
            if !path.exists() {
                eprintln!("building {} ({SITES} sites, once)…", path.display());
                let started = Instant::now();
                build(&path)?;
                eprintln!("built in {:.1} s", started.elapsed().as_secs_f64());
            }
            path
        }
    };
    let store = Store::open(&path)?;
    let conn = store.conn();
    let (total, _) = sites::count(conn)?;
    println!("{} sites in {}", total, path.display());
    let before = peak_mib();
    time("open the picker (elderly care, first page)", 20, || {
        sites::initials_missing(conn).ok();
        sites::find(conn, Domain::ElderlyCare, "", 0, PAGE)
    });
    for q in ["j", "jly", "敬老", "rcjd jly", "P0500", "第12", "不存在的单位"] {
        let found = sites::find(conn, Domain::ElderlyCare, q, 0, PAGE)?.total;
        time(&format!("filter `{q}` ({found} matches)"), 20, || {
            sites::find(conn, Domain::ElderlyCare, q, 0, PAGE)
        });
    }
    time("a page 40,000 sites deep", 20, || sites::find(conn, Domain::ElderlyCare, "", 40_000, PAGE));
    if let (Some(b), Some(a)) = (before, peak_mib()) {
        println!("peak memory: {b:.1} MiB before the picker, {a:.1} MiB after");
    }
    Ok(())
}
