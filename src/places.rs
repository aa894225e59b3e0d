//! Naming a town or a site as a user types it, for every face that filters by them (the CLI exports, the
//! board's filters): the registry's exact name or code, or — where the face accepts it — part of a name or
//! code that only one town or site has. Anything else is refused with the close names, so a typo is not
//! mistaken for "no rows".

use crate::i18n::Lang;
use crate::search;
use crate::store::{Result, sites};

/// How many close names a refusal offers: towns' names are short, sites' long (the message is one line).
const CLOSE_TOWNS: usize = 3;
const CLOSE_SITES: usize = 2;
/// How many of the towns or sites that a part of a name matches a refusal lists.
const LISTED: usize = 3;

/// What was typed, resolved against the registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Named {
    /// The town's name, or the site's code.
    Known(String),
    /// Part of a name or code that several towns or sites have: how many, and the first few (towns by
    /// name, sites by code, so the message fits one line).
    Several { typed: String, count: usize, matches: Vec<String> },
    /// Nothing matches: the closest names by edit distance.
    Unknown { typed: String, close: Vec<String> },
}

/// Whether part of a name or code is enough.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Match {
    Exact,
    /// A substring of the name or code, or its pinyin initials (see [`search::matches`]), that only one
    /// town or site has.
    Partial,
}

/// A candidate: the value a filter takes (a town's name, a site's code) and the name that parts are
/// matched in and distances measured on (close names are offered by name: typing one finds it).
struct Candidate {
    value: String,
    name: String,
}

fn resolve(typed: &str, exact: Option<String>, candidates: &[Candidate], m: Match, close: usize) -> Named {
    if let Some(known) = exact {
        return Named::Known(known);
    }
    if m == Match::Partial {
        let hits: Vec<&Candidate> =
            candidates.iter().filter(|c| search::matches(typed, &[&c.value, &c.name])).collect();
        match hits.as_slice() {
            [one] => return Named::Known(one.value.clone()),
            [] => {}
            many => {
                return Named::Several {
                    typed: typed.into(),
                    count: many.len(),
                    matches: many.iter().take(LISTED).map(|c| c.value.clone()).collect(),
                };
            }
        }
    }
    let names: Vec<String> = candidates.iter().map(|c| c.name.clone()).collect();
    let close = search::closest(typed, &names, close);
    Named::Unknown { typed: typed.into(), close }
}

/// A town of the registry, by its name (or, with [`Match::Partial`], part of it).
pub fn town(conn: &rusqlite::Connection, typed: &str, m: Match) -> Result<Named> {
    let typed = typed.trim();
    let towns = sites::towns(conn)?;
    let exact = towns.iter().find(|t| *t == typed).cloned();
    let candidates: Vec<Candidate> =
        towns.into_iter().map(|t| Candidate { value: t.clone(), name: t }).collect();
    Ok(resolve(typed, exact, &candidates, m, CLOSE_TOWNS))
}

/// A site of the registry, by its code (or, with [`Match::Partial`], part of its code or name); the code
/// is what `Known` holds.
pub fn site(conn: &rusqlite::Connection, typed: &str, m: Match) -> Result<Named> {
    let typed = typed.trim();
    if let Some(s) = sites::by_code(conn, typed)? {
        return Ok(Named::Known(s.fields.code));
    }
    if m == Match::Exact {
        return Ok(Named::Unknown { typed: typed.into(), close: Vec::new() });
    }
    let all = sites::list(conn, &sites::Filter::default())?;
    let candidates: Vec<Candidate> =
        all.into_iter().map(|s| Candidate { value: s.fields.code, name: s.fields.name }).collect();
    Ok(resolve(typed, None, &candidates, m, CLOSE_SITES))
}

impl Named {
    /// `None` for a known town or site; else the refusal to show, naming the close names. `what` is the
    /// thing named: a town or a site.
    pub fn refusal(&self, what: Place, lang: Lang) -> Option<String> {
        let sep = lang.pick("、", ", ");
        match (self, what, lang) {
            (Named::Known(_), _, _) => None,
            (Named::Several { typed, count, matches }, what, Lang::Zh) => {
                let unit = if what == Place::Town { "镇街" } else { "单位" };
                let etc = if *count > matches.len() { "等" } else { "" };
                Some(format!(
                    "“{typed}”可指 {count} 个{unit}（{}{etc}），请再多输入几个字",
                    matches.join(sep)
                ))
            }
            (Named::Several { typed, count, matches }, what, Lang::En) => {
                let (unit, more) = match what {
                    Place::Town => ("towns", "the name"),
                    Place::Site => ("sites", "the name or the code"),
                };
                let etc = if *count > matches.len() { ", …" } else { "" };
                Some(format!(
                    "\"{typed}\" matches {count} {unit} ({}{etc}); type more of {more}",
                    matches.join(sep)
                ))
            }
            (Named::Unknown { typed, close }, Place::Town, Lang::Zh) => {
                Some(format!("单位名录中没有镇街“{typed}”；相近的有：{}", close.join(sep)))
            }
            (Named::Unknown { typed, close }, Place::Town, Lang::En) => {
                Some(format!("no town \"{typed}\" in the site registry; close names: {}", close.join(sep)))
            }
            (Named::Unknown { typed, close }, Place::Site, Lang::Zh) if close.is_empty() => {
                Some(format!("单位名录中没有编号为 {typed} 的单位（ducha sites list 可查看）"))
            }
            (Named::Unknown { typed, close }, Place::Site, Lang::En) if close.is_empty() => {
                Some(format!("no site with the code {typed} in the registry (see ducha sites list)"))
            }
            (Named::Unknown { typed, close }, Place::Site, Lang::Zh) => {
                Some(format!("单位名录中没有“{typed}”；相近的有：{}", close.join(sep)))
            }
            (Named::Unknown { typed, close }, Place::Site, Lang::En) => {
                Some(format!("no site \"{typed}\" in the registry; close names: {}", close.join(sep)))
            }
        }
    }
}

/// What [`Named::refusal`] speaks of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Town,
    Site,
}
