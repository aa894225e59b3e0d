//! How much a demo database holds: a county bureau's year, a province's (100 counties), or a tiny one for
//! tests.

/// The size of the generated year of work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Scale {
    /// One county: ≈ 250 sites, 5,000 inspections, 165,000 answers, 14,000 rectifications.
    County,
    /// A province of 100 counties: ≈ 25,000 sites, 500,000 inspections, 16 M answers, 1.4 M
    /// rectifications.
    Province,
    /// A few sample sites and two weeks of duty log, for tests.
    #[value(hide = true)]
    Tiny,
}

/// The numbers behind a scale. Kinds are indexed in `Domain::ALL` order (elderly care, lottery outlets,
/// rescue stations, social organisations).
#[derive(Clone, Debug)]
pub struct Params {
    /// Counties generated besides the sample one.
    pub generated_counties: usize,
    /// New sites added to the sample county.
    pub sample_extra: [usize; 4],
    /// Sites of each kind in a generated county.
    pub per_county: [usize; 4],
    /// Only this many sample sites of each kind are inspected (tiny scale).
    pub subset: Option<[usize; 4]>,
    /// Mean inspections per site and year (rescue stations keep a duty log instead).
    pub visits: [f64; 4],
    /// Days of duty log, ending today.
    pub duty_days: i64,
    pub inspectors_per_county: usize,
    pub supervisors_per_county: usize,
    pub officers_per_station: usize,
    /// SQLite page cache during generation, MiB.
    pub cache_mib: i64,
}

impl Scale {
    pub fn params(self) -> Params {
        let county = Params {
            generated_counties: 0,
            sample_extra: [9, 22, 0, 4],
            per_county: [45, 140, 1, 64],
            subset: None,
            visits: [24.0, 18.0, 0.0, 10.0],
            duty_days: 365,
            inspectors_per_county: 10,
            supervisors_per_county: 2,
            officers_per_station: 6,
            cache_mib: 128,
        };
        match self {
            Scale::County => county,
            Scale::Province => Params { generated_counties: 99, cache_mib: 1024, ..county },
            Scale::Tiny => Params {
                sample_extra: [1, 1, 0, 1],
                subset: Some([4, 8, 1, 4]),
                visits: [12.0, 6.0, 0.0, 4.0],
                duty_days: 14,
                inspectors_per_county: 4,
                cache_mib: 16,
                ..county
            },
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Scale::County => "county",
            Scale::Province => "province",
            Scale::Tiny => "tiny",
        }
    }
}
