//! The site picker's search, in the database: a page of the sites of one kind matching every word of a
//! query (as a substring of the name, code or town, or as consecutive pinyin initials of the name or town),
//! with the number of matches. Memory is one page, whatever the size of the registry.

use rusqlite::{Connection, params_from_iter, types::Value};

use super::{COLUMNS, SiteFields, row_to_site};
use crate::domain::Domain;
use crate::store::fts::{self, Candidates};
use crate::store::{Result, StoreError};

/// A filter matching at most this many sites (of any kind) reads them from the trigram index and sorts them;
/// one matching more walks the picker's order, where matches come quickly (see `store::fts`).
const TEXT_CAP: usize = 4000;

/// The most words of a query that are matched (a longer query is cut: no one types nine words to find a site).
const MAX_WORDS: usize = 8;

/// How far a filtered search counts its matches: beyond this the count stops and the page says "1,000+",
/// so a filter key costs a page, not a scan of the whole registry.
pub const COUNT_CAP: usize = 1000;

/// One page of matches.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    pub sites: Vec<super::Site>,
    /// How many sites match in all, or, when `capped`, how many were counted before the count stopped.
    pub total: usize,
    /// Whether more than `total` sites match (the count stopped at its cap).
    pub capped: bool,
    /// Where this page starts among the matches.
    pub offset: usize,
}

/// The value of the `initials` column for a site.
pub(super) fn initials_of(f: &SiteFields) -> String {
    crate::search::initials_index(&[&f.name, &f.town])
}

/// `%word%` for LIKE, with `\`, `%` and `_` escaped (the query is the inspector's text, matched literally).
pub(crate) fn like(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 2);
    out.push('%');
    for c in word.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// Sites of `kind` matching every word of `query`, ordered by town and code, `limit` of them from `offset`.
/// Without a filter the count is exact; with one it stops past [`COUNT_CAP`] (or past the page, if deeper).
pub fn find(conn: &Connection, kind: Domain, query: &str, offset: usize, limit: usize) -> Result<Page> {
    find_capped(conn, kind, query, offset, limit, COUNT_CAP, TEXT_CAP)
}

fn find_capped(
    conn: &Connection,
    kind: Domain,
    query: &str,
    offset: usize,
    limit: usize,
    cap: usize,
    text_cap: usize,
) -> Result<Page> {
    let words: Vec<String> = crate::search::words(query).into_iter().take(MAX_WORDS).collect();
    let text = if words.is_empty() {
        None
    } else {
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        Some(fts::candidates(conn, fts::SITES, &refs, text_cap)?)
    };
    // One condition per word; the SQL holds only placeholders, the words are bound.
    let mut cond = String::new();
    let mut values: Vec<Value> = vec![Value::Text(kind.key().to_string())];
    for word in &words {
        let text = values.len() + 1;
        let initials = text + 1;
        cond.push_str(&format!(
            " AND (name LIKE ?{text} ESCAPE '\\' OR code LIKE ?{text} ESCAPE '\\' OR town LIKE ?{text} ESCAPE '\\' \
               OR initials LIKE ?{initials} ESCAPE '\\')"
        ));
        values.push(Value::Text(like(word)));
        // Initials are letters and digits: another word cannot match them.
        let ascii = word.chars().all(|c| c.is_ascii_alphanumeric());
        values.push(if ascii { Value::Text(like(word)) } else { Value::Null });
    }
    let big = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
    let n = values.len();
    match text {
        Some(Candidates::Nothing) => return Ok(Page { sites: Vec::new(), total: 0, capped: false, offset }),
        Some(Candidates::Few(rowids)) => {
            return few(conn, &cond, values, rowids, offset, limit, cap);
        }
        _ => {}
    }
    // The page first: walking `sites_kind_town_code` in order, it stops after `limit` matches.
    let sql = format!(
        "SELECT {COLUMNS} FROM sites WHERE kind = ?1{cond} ORDER BY town, code LIMIT ?{} OFFSET ?{}",
        n + 1,
        n + 2
    );
    let mut page_values = values.clone();
    page_values.push(Value::Integer(big(limit)));
    page_values.push(Value::Integer(big(offset)));
    let mut stmt = conn.prepare(&sql)?;
    let sites = stmt
        .query_map(params_from_iter(page_values.iter()), row_to_site)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let to_usize = |v: i64| usize::try_from(v).map_err(|_| StoreError::Refused("negative count".into()));
    // A short page that is not past the end is the last one: the count is known without counting.
    if sites.len() < limit && (offset == 0 || !sites.is_empty()) {
        let total = offset + sites.len();
        return Ok(Page { sites, total, capped: false, offset });
    }
    if words.is_empty() {
        // Every site of the kind: an exact count over the index, cheap whatever the size.
        let total: i64 = conn.query_row(
            "SELECT count(*) FROM sites WHERE kind = ?1",
            params_from_iter(values.iter()),
            |r| r.get(0),
        )?;
        return Ok(Page { sites, total: to_usize(total)?, capped: false, offset });
    }
    // Count up to one past the cap (or past this page, when it lies deeper), then stop.
    let stop = cap.max(offset.saturating_add(limit));
    let count_sql =
        format!("SELECT count(*) FROM (SELECT 1 FROM sites WHERE kind = ?1{cond} LIMIT ?{})", n + 1);
    values.push(Value::Integer(big(stop.saturating_add(1))));
    let counted = to_usize(conn.query_row(&count_sql, params_from_iter(values.iter()), |r| r.get(0))?)?;
    let capped = counted > stop;
    Ok(Page { sites, total: counted.min(stop), capped, offset })
}

/// The page and the count of a filter with few matches: the index's candidates only, each checked by the
/// same conditions, then ordered. The count is exact; it is reported as the walk would report it (stopped
/// past the cap), so the picker shows the same either way.
fn few(
    conn: &Connection,
    cond: &str,
    mut values: Vec<Value>,
    rowids: String,
    offset: usize,
    limit: usize,
    cap: usize,
) -> Result<Page> {
    let big = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
    let n = values.len();
    let from = |param: usize| {
        format!(
            "{} h CROSS JOIN sites NOT INDEXED ON sites.rowid = h.rid WHERE kind = ?1{cond}",
            fts::listed(&format!("?{param}"))
        )
    };
    let count_sql = format!("SELECT count(*) FROM {}", from(n + 1));
    let sql = format!(
        "SELECT {COLUMNS} FROM {} ORDER BY town, code LIMIT ?{} OFFSET ?{}",
        from(n + 1),
        n + 2,
        n + 3
    );
    values.push(Value::Text(rowids));
    let counted: i64 =
        conn.prepare_cached(&count_sql)?.query_row(params_from_iter(values.iter()), |r| r.get(0))?;
    let counted = usize::try_from(counted).map_err(|_| StoreError::Refused("negative count".into()))?;
    values.push(Value::Integer(big(limit)));
    values.push(Value::Integer(big(offset)));
    let mut stmt = conn.prepare_cached(&sql)?;
    let sites = stmt
        .query_map(params_from_iter(values.iter()), row_to_site)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if sites.len() < limit && (offset == 0 || !sites.is_empty()) {
        let total = offset + sites.len();
        return Ok(Page { sites, total, capped: false, offset });
    }
    let stop = cap.max(offset.saturating_add(limit));
    Ok(Page { sites, total: counted.min(stop), capped: counted > stop, offset })
}

/// Computes the initials of the sites that have none yet (copied in by a merge, renamed, or stored before
/// the column existed). Returns how many were filled.
pub fn fill_initials(conn: &Connection) -> Result<usize> {
    Ok(fill(conn)?)
}

fn fill(conn: &Connection) -> rusqlite::Result<usize> {
    let mut stmt = conn.prepare("SELECT id, name, town FROM sites WHERE initials = ''")?;
    let todo = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut update = conn.prepare("UPDATE sites SET initials = ?2 WHERE id = ?1")?;
    for (id, name, town) in &todo {
        update.execute(rusqlite::params![id, crate::search::initials_index(&[name, town])])?;
    }
    Ok(todo.len())
}

/// The migration's finish: every existing site's initials.
pub fn finish_initials(conn: &Connection) -> rusqlite::Result<()> {
    fill(conn).map(|_| ())
}

/// Whether any site still lacks its initials (cheap: a partial index holds exactly those).
pub fn initials_missing(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM sites WHERE initials = '')", [], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::store::Store;
    use crate::store::sites::{SiteFields, upsert};

    fn site(code: &str, kind: Domain, name: &str, town: &str) -> SiteFields {
        SiteFields {
            code: code.into(),
            kind,
            name: name.into(),
            town: town.into(),
            address: String::new(),
            contact: String::new(),
            phone: String::new(),
            floors: None,
            beds: None,
            license: String::new(),
        }
    }

    fn store() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        store
            .write(|tx| -> Result<()> {
                for f in [
                    site("YL001", Domain::ElderlyCare, "如皋市康乐颐养院", "如城街道"),
                    site("YL002", Domain::ElderlyCare, "如城街道敬老院", "如城街道"),
                    site("YL012", Domain::ElderlyCare, "下原镇敬老院", "下原镇"),
                    site("YL020", Domain::ElderlyCare, "长江镇永平敬老院", "长江镇"),
                    site("YL030", Domain::ElderlyCare, "百分_百%养老院", "磨头镇"),
                    site("CP001", Domain::LotteryOutlet, "下原镇敬老院门口投注站", "下原镇"),
                ] {
                    upsert(tx, "管理员", &f, false)?;
                }
                Ok(())
            })
            .unwrap();
        store
    }

    fn codes(conn: &Connection, query: &str) -> Vec<String> {
        find(conn, Domain::ElderlyCare, query, 0, 50)
            .unwrap()
            .sites
            .into_iter()
            .map(|s| s.fields.code)
            .collect()
    }

    #[test]
    fn the_database_finds_sites_by_substring_code_town_and_pinyin_initials() {
        let store = store();
        let conn = store.conn();
        let cases: &[(&str, &[&str])] = &[
            // Ordered by town (as SQLite orders text: 下 如 磨 长), then code.
            ("", &["YL012", "YL001", "YL002", "YL030", "YL020"]),
            ("jly", &["YL012", "YL002", "YL020"]),
            ("cjz", &["YL020"]),
            ("zjz", &["YL020"]),
            ("jcz", &[]),
            ("rcjd", &["YL001", "YL002"]),
            ("敬老", &["YL012", "YL002", "YL020"]),
            ("yl00", &["YL001", "YL002"]),
            ("xyz jly", &["YL012"]),
            ("_", &["YL030"]),
            ("%", &["YL030"]),
            ("磨头 ylyy", &[]),
        ];
        for (q, expected) in cases {
            assert_eq!(codes(conn, q), *expected, "{q:?}");
        }
    }

    #[test]
    fn pages_come_with_the_total_and_their_offset() {
        let store = store();
        let page = find(store.conn(), Domain::ElderlyCare, "jly", 1, 1).unwrap();
        assert_eq!((page.total, page.capped, page.offset), (3, false, 1));
        assert_eq!(page.sites.iter().map(|s| s.fields.code.as_str()).collect::<Vec<_>>(), ["YL002"]);
        assert!(find(store.conn(), Domain::ElderlyCare, "jly", 3, 10).unwrap().sites.is_empty());
    }

    #[test]
    fn a_filtered_count_is_exact_below_the_cap_and_stops_past_it() {
        let store = store();
        let conn = store.conn();
        // Three elderly-care sites match `jly`: counted exactly at a cap of 3 or more, stopped below.
        for (cap, total, capped) in [(5, 3, false), (3, 3, false), (2, 2, true), (1, 1, true)] {
            let page = find_capped(conn, Domain::ElderlyCare, "jly", 0, 1, cap, TEXT_CAP).unwrap();
            assert_eq!((page.total, page.capped), (total, capped), "cap {cap}");
            assert_eq!(page.sites.len(), 1, "cap {cap}");
        }
        // A page deeper than the cap counts past that page, so the picker can go on scrolling.
        let deep = find_capped(conn, Domain::ElderlyCare, "", 1, 2, 1, TEXT_CAP).unwrap();
        assert_eq!((deep.total, deep.capped), (5, false), "no filter: always exact");
        let deep = find_capped(conn, Domain::ElderlyCare, "jly", 1, 1, 1, TEXT_CAP).unwrap();
        assert_eq!((deep.total, deep.capped), (2, true));
        // A short first page is the whole answer, counted exactly whatever the cap.
        let short = find_capped(conn, Domain::ElderlyCare, "jly", 0, 50, 1, TEXT_CAP).unwrap();
        assert_eq!((short.total, short.capped, short.sites.len()), (3, false, 3));
        // Past the end: nothing, and still the exact count.
        let past = find_capped(conn, Domain::ElderlyCare, "jly", 10, 5, 100, TEXT_CAP).unwrap();
        assert_eq!((past.total, past.capped, past.sites.len()), (3, false, 0));
    }

    #[test]
    fn the_real_cap_counts_a_thousand_exactly_and_stops_after() {
        let mut store = Store::open_in_memory().unwrap();
        let add = |store: &mut Store, from: usize, to: usize| {
            store
                .write(|tx| -> Result<()> {
                    for i in from..to {
                        upsert(
                            tx,
                            "管理员",
                            &site(&format!("Y{i:05}"), Domain::ElderlyCare, "下原镇敬老院", "下原镇"),
                            false,
                        )?;
                    }
                    Ok(())
                })
                .unwrap();
        };
        add(&mut store, 0, COUNT_CAP);
        let page = find(store.conn(), Domain::ElderlyCare, "jly", 0, 100).unwrap();
        assert_eq!((page.total, page.capped, page.sites.len()), (COUNT_CAP, false, 100));
        add(&mut store, COUNT_CAP, COUNT_CAP + 1);
        let page = find(store.conn(), Domain::ElderlyCare, "jly", 0, 100).unwrap();
        assert_eq!((page.total, page.capped), (COUNT_CAP, true));
        let all = find(store.conn(), Domain::ElderlyCare, "", 0, 100).unwrap();
        assert_eq!((all.total, all.capped), (COUNT_CAP + 1, false), "the unfiltered count stays exact");
    }

    #[test]
    fn a_site_renamed_or_copied_in_without_initials_gets_them_back() {
        let mut store = store();
        store
            .write(|tx| -> Result<()> {
                // A merge copies rows column by column, without the initials.
                tx.execute(
                    "INSERT INTO sites (id, code, kind, name, town, created_at, updated_at)
                     VALUES ('YL040', 'YL040', 'elderly_care', '石庄镇敬老院', '石庄镇', 'x', 'x')",
                    [],
                )?;
                tx.execute("UPDATE sites SET name = '如城幸福院' WHERE code = 'YL002'", [])?;
                Ok(())
            })
            .unwrap();
        assert!(initials_missing(store.conn()).unwrap());
        assert_eq!(codes(store.conn(), "szz"), Vec::<String>::new());
        let filled = store.write(|tx| fill_initials(tx)).unwrap();
        assert_eq!(filled, 2);
        assert!(!initials_missing(store.conn()).unwrap());
        assert_eq!(codes(store.conn(), "szz"), ["YL040"]);
        assert_eq!(codes(store.conn(), "rcxfy"), ["YL002"]);
    }

    #[test]
    fn a_short_word_beginning_too_many_trigrams_is_matched_by_like_alone() {
        let mut store = store();
        store
            .write(|tx| -> Result<()> {
                // 300 names: `敬` followed by 300 different characters, so `敬` begins 300 trigrams.
                for (i, c) in ('一'..).take(300).enumerate() {
                    upsert(
                        tx,
                        "管理员",
                        &site(&format!("Z{i:03}"), Domain::ElderlyCare, &format!("敬{c}院"), "丁堰镇"),
                        false,
                    )?;
                }
                Ok(())
            })
            .unwrap();
        let conn = store.conn();
        assert_eq!(fts::candidates(conn, fts::SITES, &["敬"], TEXT_CAP).unwrap(), Candidates::Many(None));
        let page = find(conn, Domain::ElderlyCare, "敬", 0, 400).unwrap();
        assert_eq!((page.total, page.sites.len()), (303, 303));
        // With another word, that word's candidates are read and `敬` is checked on each.
        assert_eq!(codes(conn, "敬 下原"), ["YL012"]);
        // The same pages whether the index proposes candidates or the walk finds them.
        for q in ["jly", "敬老", "yl0", "院", "丁堰"] {
            for offset in [0, 2] {
                let few = find_capped(conn, Domain::ElderlyCare, q, offset, 3, COUNT_CAP, TEXT_CAP).unwrap();
                let walk = find_capped(conn, Domain::ElderlyCare, q, offset, 3, COUNT_CAP, 0).unwrap();
                assert_eq!(few, walk, "{q} from {offset}");
            }
        }
    }
}
