//! `ducha plan random --domain D --count N [--inspectors A,B,C] [--seed S]`, `ducha plan list`.

use clap::Subcommand;

use super::Reported;
use crate::app;
use crate::config::Settings;
use crate::domain::Domain;
use crate::i18n::Lang;
use crate::plan;
use crate::roles::{Role, require};
use crate::store::plans::{self, NewPlan};
use crate::store::users;
use crate::textable;

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Draw sites and inspector pairs at random (双随机); reproducible from the seed, which is printed
    Random {
        /// The domain (key or Chinese name) 检查领域
        #[arg(long, value_parser = parse_domain)]
        domain: Domain,
        /// How many sites to draw 抽取数量
        #[arg(long)]
        count: usize,
        /// The inspector pool: names separated by 、 , ， or ; (not spaces), or the option repeated
        /// [default: every registered inspector] 检查人员库. Names that are not registered users are
        /// warned about, with the close registered names.
        #[arg(long)]
        inspectors: Vec<String>,
        /// The seed; the same seed, registry and pool give the same plan [default: random] 随机种子
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Planned inspections not started yet 未开始的计划检查
    List,
}

fn parse_domain(s: &str) -> Result<Domain, String> {
    Domain::parse_loose(s).ok_or_else(|| {
        format!("unknown domain `{s}`; expected elderly_care, lottery_outlet, rescue_station, social_org (or 养老机构, 彩票投注站, 救助管理站, 社会组织)")
    })
}

pub fn run(settings: &Settings, cmd: PlanCommand) -> anyhow::Result<()> {
    let lang = settings.lang;
    let mut opened = match cmd {
        PlanCommand::List => app::open_reading(settings)?,
        PlanCommand::Random { .. } => app::open(settings)?,
    };
    match cmd {
        PlanCommand::Random { domain, count, inspectors, seed } => {
            let store = &mut opened.store;
            require(
                store,
                &settings.user,
                Role::Supervisor,
                lang.pick("制定抽查计划", "planning inspections"),
            )
            .map_err(|e| Reported(e.message(lang)))?;
            let candidates = plans::candidates(store.conn(), domain)?;
            let registered = users::list(store.conn())?;
            let pool = if inspectors.is_empty() {
                // Supervisors and admins plan and verify; the inspections are drawn among the inspectors.
                let mut names: Vec<String> =
                    registered.iter().filter(|u| u.role == Role::Inspector).map(|u| u.name.clone()).collect();
                names.sort();
                names
            } else {
                let pool = crate::names::split(&inspectors.join("、"));
                let names: Vec<String> = registered.iter().map(|u| u.name.clone()).collect();
                if let Some(w) = crate::names::warning(&crate::names::unregistered(&pool, &names), lang) {
                    errln!("{}: {w}", lang.pick("警告", "warning"));
                }
                pool
            };
            let seed = seed.unwrap_or_else(rand::random);
            let drawn = plan::draw(candidates.len(), pool.len(), count, seed)
                .map_err(|e| Reported(e.message(lang)))?;
            let items: Vec<(String, [String; 2])> = drawn
                .iter()
                .map(|d| (candidates[d.site].id.clone(), [pool[d.pair[0]].clone(), pool[d.pair[1]].clone()]))
                .collect();
            let new = NewPlan { domain: domain.key(), seed, inspectors: &pool, items: &items };
            let user = settings.user.clone();
            let id = store.write(|tx| plans::create(tx, &user, &new))?;
            let rows: Vec<Vec<String>> = drawn
                .iter()
                .enumerate()
                .map(|(i, d)| {
                    let s = &candidates[d.site].fields;
                    let pair = format!("{}、{}", pool[d.pair[0]], pool[d.pair[1]]);
                    vec![(i + 1).to_string(), s.code.clone(), s.town.clone(), pair, s.name.clone()]
                })
                .collect();
            let headers = match lang {
                Lang::Zh => ["序号", "编号", "镇街", "检查人员", "被检查单位"],
                Lang::En => ["no.", "code", "town", "inspectors", "site"],
            };
            out!("{}", textable::render(&headers, &rows));
            match lang {
                Lang::Zh => errln!(
                    "已从 {} 个{}中抽取 {count} 个，随机种子 {seed}（用同一种子可重现本次抽取）；计划编号 {id}",
                    candidates.len(),
                    domain.label(lang)
                ),
                Lang::En => errln!(
                    "drew {count} of {} {} site(s) with seed {seed} (the same seed repeats this draw); plan id {id}",
                    candidates.len(),
                    domain.key()
                ),
            }
            Ok(())
        }
        PlanCommand::List => {
            let items = plans::open_items(opened.store.conn(), 1000)?;
            let rows: Vec<Vec<String>> = items
                .iter()
                .map(|p| {
                    let domain = Domain::from_key(&p.domain).map_or(p.domain.as_str(), |d| d.label(lang));
                    vec![
                        p.planned_at.get(..10).unwrap_or("").to_string(),
                        domain.to_string(),
                        p.site_code.clone(),
                        p.inspectors.join("、"),
                        p.site_name.clone(),
                    ]
                })
                .collect();
            let headers = match lang {
                Lang::Zh => ["计划日期", "领域", "编号", "检查人员", "被检查单位"],
                Lang::En => ["planned", "domain", "code", "inspectors", "site"],
            };
            out!("{}", textable::render(&headers, &rows));
            Ok(())
        }
    }
}
