//! Random inspection planning (双随机): N sites of a domain drawn at random, each with a pair of inspectors
//! drawn at random, reproducibly from a seed (the same seed, registry and inspector pool give the same plan).

use rand::SeedableRng;
use rand::seq::index::sample;
use rand_chacha::ChaCha8Rng;

use crate::i18n::Lang;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DrawError {
    #[error("only {available} sites of this kind; cannot draw {wanted}")]
    TooFewSites { available: usize, wanted: usize },
    #[error("a pair of inspectors is drawn for each site: the pool needs at least two names, it has {0}")]
    TooFewInspectors(usize),
    #[error("the count must be at least 1")]
    ZeroCount,
}

impl DrawError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (DrawError::TooFewSites { available, wanted }, Lang::Zh) => {
                format!("此类单位只有 {available} 个，无法抽取 {wanted} 个")
            }
            (DrawError::TooFewInspectors(n), Lang::Zh) => {
                format!("每个单位需随机抽取两名检查人员：人员库至少需要两人，现有 {n} 人")
            }
            (DrawError::ZeroCount, Lang::Zh) => "抽取数量至少为 1".into(),
            (e, Lang::En) => e.to_string(),
        }
    }
}

/// One drawn site (an index into the candidates) with its pair of inspectors (indexes into the pool).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Drawn {
    pub site: usize,
    pub pair: [usize; 2],
}

/// Draws `count` of `sites` candidates and a pair from a pool of `inspectors` names for each. Callers pass
/// the candidates in a stable order (by code) so a seed always means the same plan.
pub fn draw(sites: usize, inspectors: usize, count: usize, seed: u64) -> Result<Vec<Drawn>, DrawError> {
    if count == 0 {
        return Err(DrawError::ZeroCount);
    }
    if count > sites {
        return Err(DrawError::TooFewSites { available: sites, wanted: count });
    }
    if inspectors < 2 {
        return Err(DrawError::TooFewInspectors(inspectors));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let chosen = sample(&mut rng, sites, count).into_vec();
    Ok(chosen
        .into_iter()
        .map(|site| {
            let pair = sample(&mut rng, inspectors, 2).into_vec();
            Drawn { site, pair: [pair[0], pair[1]] }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_draws_the_same_plan_and_another_seed_another() {
        let a = draw(60, 5, 6, 20261129).unwrap();
        assert_eq!(a, draw(60, 5, 6, 20261129).unwrap());
        assert_ne!(a, draw(60, 5, 6, 20261130).unwrap());
        let sites: std::collections::HashSet<usize> = a.iter().map(|d| d.site).collect();
        assert_eq!(sites.len(), 6, "distinct sites");
        assert!(a.iter().all(|d| d.site < 60 && d.pair[0] != d.pair[1] && d.pair.iter().all(|p| *p < 5)));
    }

    #[test]
    fn impossible_draws_are_refused() {
        assert_eq!(draw(3, 5, 4, 1), Err(DrawError::TooFewSites { available: 3, wanted: 4 }));
        assert_eq!(draw(30, 1, 4, 1), Err(DrawError::TooFewInspectors(1)));
        assert_eq!(draw(30, 3, 0, 1), Err(DrawError::ZeroCount));
        assert_eq!(draw(4, 2, 4, 7).unwrap().len(), 4, "every site can be drawn");
    }
}
