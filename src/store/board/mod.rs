//! The supervisors' board: rectifications filtered and sorted by urgency — overdue first (most days overdue
//! first), then by deadline, then by severity — one page at a time. Both parts of the order walk the
//! `rectifications_urgency` index (deadline, severity rank, id, then the status and site it tests), or the
//! same order of the open rows alone, so a page never sorts the table: the overdue part is the open rows
//! with a deadline before today; because "days overdue" falls as the deadline rises, the same index order
//! serves it. Rectifications in conflict (see `fold`) are few and read through their own partial index. A
//! free text with few candidates in a trigram index reads and sorts those (see `text`).

use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use super::Result;
use super::fts::{self, Candidates};
use crate::domain::Severity;
use crate::rectification::Status;

mod text;
use text::{Rows, TEXT_CAP, text_candidates};

/// The stored `severity_rank` (see migration 3): 3 critical, 2 major, 1 minor.
fn severity_rank(s: Severity) -> i64 {
    match s {
        Severity::Critical => 3,
        Severity::Major => 2,
        Severity::Minor => 1,
    }
}

/// What the board shows; empty fields do not filter.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    /// Status keys to show; empty shows all.
    pub statuses: Vec<String>,
    pub domain: Option<String>,
    pub town: Option<String>,
    /// A site code.
    pub site: Option<String>,
    pub severity: Option<String>,
    pub overdue_only: bool,
    /// Only rectifications in conflict (changed on two databases from the same state), for a supervisor to
    /// settle.
    pub conflict_only: bool,
    /// Free text, matched in the problem, the site's name and code, and the item id.
    pub text: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BoardRow {
    pub id: String,
    pub inspection_id: String,
    pub site_name: String,
    pub site_code: String,
    pub town: String,
    pub kind: String,
    pub item_id: String,
    pub problem: String,
    pub severity: String,
    pub severity_rank: i64,
    pub major_hazard: bool,
    pub deadline: String,
    pub status: String,
    pub responsible: String,
    /// Changed on two databases from the same state and not yet settled.
    pub conflict: bool,
    /// 0 = overdue part, 1 = the rest.
    pub part: u8,
}

/// Where the next page starts: after this row.
#[derive(Clone, Debug, PartialEq)]
pub struct Cursor {
    pub part: u8,
    pub deadline: String,
    pub severity_rank: i64,
    pub id: String,
}

impl BoardRow {
    pub fn cursor(&self) -> Cursor {
        Cursor {
            part: self.part,
            deadline: self.deadline.clone(),
            severity_rank: self.severity_rank,
            id: self.id.clone(),
        }
    }
}

/// Escapes `%`, `_` and `\\` for a LIKE pattern with `ESCAPE '\\'`.
fn like(text: &str) -> String {
    let escaped: String = text
        .chars()
        .flat_map(|c| if matches!(c, '%' | '_' | '\\') { vec!['\\', c] } else { vec![c] })
        .collect();
    format!("%{escaped}%")
}

const COLUMNS: &str =
    "SELECT r.id, r.inspection_id, s.name, s.code, s.town, s.kind, r.item_id, r.problem, r.severity,
        r.severity_rank, r.major_hazard, r.deadline, r.status, r.responsible, r.conflict";
/// Without a filter on sites: down the urgency index, stopping after one page — never a sort.
const BY_URGENCY: &str =
    " FROM rectifications r INDEXED BY rectifications_urgency JOIN sites s ON s.id = r.site_id WHERE 1 = 1";
/// With a filter on sites: only those sites' rectifications, matched inside the index, then ordered.
const BY_SITE: &str = " FROM sites s JOIN rectifications r INDEXED BY rectifications_site_filter ON r.site_id = s.id WHERE 1 = 1";
/// Free text with few matches: only the index's candidates, then ordered (the filters still apply to each).
/// Each candidate is read by its rowid: `NOT INDEXED` keeps the planner from walking an index of the
/// rectifications once per candidate instead (a deadline range, the conflict index: minutes at 1M).
fn by_text(hits: &str) -> String {
    format!(
        " FROM {hits} h CROSS JOIN rectifications r NOT INDEXED ON r.rowid = h.rid CROSS JOIN sites s ON s.id = r.site_id \
         WHERE 1 = 1"
    )
}
/// Open rows only (the overdue part, or every part when only open statuses are shown): down the partial
/// index of open rows in urgency order (migration 15), which holds the status, severity and site each
/// filter tests, so rows that do not match are skipped inside the index.
const BY_OPEN: &str = " FROM rectifications r INDEXED BY rectifications_open_urgency JOIN sites s ON s.id = r.site_id \
                       WHERE r.status NOT IN ('verified', 'withdrawn')";
/// Only conflicts: the few rows of the partial index, then ordered (whatever other filters are on).
const BY_CONFLICT: &str = " FROM rectifications r INDEXED BY rectifications_conflict JOIN sites s ON s.id = r.site_id WHERE r.conflict = 1";

/// Whether a row is in the overdue part: open and past its deadline (`?` is today), spelled once for the
/// statements of one part and for the one of both.
macro_rules! overdue_row {
    () => {
        "r.status NOT IN ('verified', 'withdrawn') AND r.deadline < ?"
    };
}

/// The overdue part: open rows past their deadline. The rest: everything else.
const OVERDUE: &str = concat!(" AND ", overdue_row!());
const REST: &str = concat!(" AND NOT (", overdue_row!(), ")");
/// The part of a row, as a column named `part`.
const PART: &str = concat!("CASE WHEN ", overdue_row!(), " THEN 0 ELSE 1 END AS part");
const ORDER: &str = " ORDER BY r.deadline, r.severity_rank DESC, r.id LIMIT ?";

/// Which part of the board's order a page walks.
#[derive(Clone, Copy, PartialEq)]
enum Walk {
    /// The open rows (partial index).
    Open,
    /// Every row.
    Urgency,
}

/// The closed statuses, which the open rows' indexes (migrations 15 and 17) leave out.
fn closed(status: &str) -> bool {
    Status::from_key(status).is_some_and(Status::is_closed)
}

/// Whether the filter shows open statuses only (the board's default, 未销号).
fn open_only(f: &Filter) -> bool {
    !f.statuses.is_empty() && f.statuses.iter().all(|s| !closed(s))
}

/// How the conditions on sites are written.
#[derive(Clone, Copy, PartialEq)]
enum Sites {
    /// On the joined site (`s.kind = ?`): for statements driven by the sites.
    Joined,
    /// `r.site_id IN (SELECT id FROM sites WHERE …)`: the matching sites gathered once, each row tested by
    /// its site id before its site is read (the same rows: `r.site_id` is the joined site's id).
    Subquery,
}

/// Appends the filter's conditions on status, domain, town, site, severity, conflict and free text to `sql`
/// (which names the tables `r` for rectifications and `s` for sites), with their values in `args`. Values
/// are always bound; only fixed fragments are added to the statement.
pub fn push_filter(f: &Filter, sql: &mut String, args: &mut Vec<Value>) {
    push_filter_by(f, sql, args, Sites::Joined);
}

fn push_filter_by(f: &Filter, sql: &mut String, args: &mut Vec<Value>, sites: Sites) {
    let mut add = |fragment: &str, values: Vec<Value>| {
        sql.push_str(fragment);
        args.extend(values);
    };
    if !f.statuses.is_empty() {
        let marks = vec!["?"; f.statuses.len()].join(", ");
        add(&format!(" AND r.status IN ({marks})"), f.statuses.iter().map(|s| s.clone().into()).collect());
    }
    let on_sites = [(&f.domain, "kind = ?"), (&f.town, "town = ?"), (&f.site, "code = ?")];
    let on_sites: Vec<(&str, &String)> =
        on_sites.iter().filter_map(|(v, c)| v.as_ref().map(|v| (*c, v))).collect();
    match sites {
        Sites::Joined => {
            for (condition, value) in &on_sites {
                add(&format!(" AND s.{condition}"), vec![(*value).clone().into()]);
            }
        }
        Sites::Subquery if !on_sites.is_empty() => {
            let conditions: Vec<&str> = on_sites.iter().map(|(c, _)| *c).collect();
            add(
                &format!(" AND r.site_id IN (SELECT id FROM sites WHERE {})", conditions.join(" AND ")),
                on_sites.iter().map(|(_, v)| (*v).clone().into()).collect(),
            );
        }
        Sites::Subquery => {}
    }
    if let Some(rank) = f.severity.as_deref().and_then(Severity::from_key).map(severity_rank) {
        add(" AND r.severity_rank = ?", vec![rank.into()]);
    }
    if f.conflict_only {
        add(" AND r.conflict = 1", vec![]);
    }
    if let Some(t) = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = like(t);
        add(
            " AND (r.problem LIKE ? ESCAPE '\\' OR s.name LIKE ? ESCAPE '\\' OR s.code LIKE ? ESCAPE '\\'
                   OR r.item_id LIKE ? ESCAPE '\\')",
            vec![pattern.clone().into(), pattern.clone().into(), pattern.clone().into(), pattern.into()],
        );
    }
}

/// The statement is built from fixed fragments for the filters in use (values are always bound). The
/// plan is chosen here, not left to statistics: only conflicts reads the conflict index; a filter on sites
/// (domain, town, site) reads only those sites' rectifications; otherwise the urgency index is walked in
/// order until a page is full.
#[allow(clippy::too_many_arguments)]
fn part(
    conn: &Connection,
    f: &Filter,
    text: Option<&Candidates>,
    today: &str,
    part: u8,
    after: Option<&Cursor>,
    limit: usize,
    few_sites: bool,
) -> Result<Vec<BoardRow>> {
    let mut args: Vec<Value> = Vec::new();
    // `None`: a statement that reads a chosen set of rows and orders them; else the index walked in order.
    let (from, walk) = match (text, f.conflict_only, few_sites) {
        // The conflicts are fewer than any text's candidates.
        (_, true, _) => (BY_CONFLICT.to_string(), None),
        (Some(Candidates::Few(rowids)), false, _) => {
            args.push(rowids.clone().into());
            (by_text(&fts::listed("?")), None)
        }
        (_, false, true) => (BY_SITE.to_string(), None),
        _ if part == 0 || open_only(f) => (BY_OPEN.to_string(), Some(Walk::Open)),
        _ => (BY_URGENCY.to_string(), Some(Walk::Urgency)),
    };
    let mut sql = format!("{COLUMNS}{from}");
    args.push(today.to_string().into());
    sql.push_str(if part == 0 { OVERDUE } else { REST });
    if walk == Some(Walk::Open) && part == 1 {
        // The open rows that are not overdue: from today on, where the walk of the index starts.
        sql.push_str(" AND r.deadline >= ?");
        args.push(today.to_string().into());
    }
    if walk.is_some() {
        // Walking the order, a row's site is tested before its site is read: the matching sites are
        // gathered once.
        push_filter_by(f, &mut sql, &mut args, Sites::Subquery);
    } else {
        push_filter(f, &mut sql, &mut args);
    }
    let mut add = |fragment: &str, values: Vec<Value>| {
        sql.push_str(fragment);
        args.extend(values);
    };
    if let Some(c) = after {
        add(
            " AND (r.deadline, -r.severity_rank, r.id) > (?, ?, ?)",
            vec![c.deadline.clone().into(), (-c.severity_rank).into(), c.id.clone().into()],
        );
    }
    add(ORDER, vec![(limit as i64).into()]);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(params_from_iter(args), |r| board_row(r, part))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A row of [`COLUMNS`] in the given part.
fn board_row(r: &rusqlite::Row<'_>, part: u8) -> rusqlite::Result<BoardRow> {
    Ok(BoardRow {
        id: r.get(0)?,
        inspection_id: r.get(1)?,
        site_name: r.get(2)?,
        site_code: r.get(3)?,
        town: r.get(4)?,
        kind: r.get(5)?,
        item_id: r.get(6)?,
        problem: r.get(7)?,
        severity: r.get(8)?,
        severity_rank: r.get(9)?,
        major_hazard: r.get::<_, i64>(10)? != 0,
        deadline: r.get(11)?,
        status: r.get(12)?,
        responsible: r.get(13)?,
        conflict: r.get::<_, i64>(14)? != 0,
        part,
    })
}

/// Both parts at once, from the few candidates of a text (`rowids`, see [`fts::listed`]): each candidate is
/// read once, where a statement per part read them all twice.
fn both_parts(
    conn: &Connection,
    f: &Filter,
    rowids: &str,
    today: &str,
    after: Option<&Cursor>,
    limit: usize,
) -> Result<Vec<BoardRow>> {
    let mut args: Vec<Value> = vec![today.to_string().into(), rowids.to_string().into()];
    let mut sql = format!("SELECT * FROM ({COLUMNS}, {PART}{}", by_text(&fts::listed("?")));
    push_filter(f, &mut sql, &mut args);
    sql.push(')');
    if let Some(c) = after {
        sql.push_str(" WHERE (part, deadline, -severity_rank, id) > (?, ?, ?, ?)");
        args.extend([
            i64::from(c.part).into(),
            c.deadline.clone().into(),
            (-c.severity_rank).into(),
            c.id.clone().into(),
        ]);
    }
    sql.push_str(" ORDER BY part, deadline, severity_rank DESC, id LIMIT ?");
    args.push((limit as i64).into());
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(params_from_iter(args), |r| {
            let part: i64 = r.get(15)?;
            board_row(r, u8::from(part != 0))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Up to `limit` rows after `after` (the first page when `None`), in urgency order.
pub fn page(
    conn: &Connection,
    f: &Filter,
    today: &str,
    after: Option<&Cursor>,
    limit: usize,
) -> Result<Vec<BoardRow>> {
    page_capped(conn, f, today, after, limit, TEXT_CAP)
}

fn page_capped(
    conn: &Connection,
    f: &Filter,
    today: &str,
    after: Option<&Cursor>,
    limit: usize,
    cap: usize,
) -> Result<Vec<BoardRow>> {
    // The overdue part holds open rows only: its text is looked up among them.
    let open = text_candidates(conn, f, Rows::Open, cap)?;
    if let (Some(Candidates::Few(rowids)), false, false, true) =
        (&open, f.conflict_only, f.overdue_only, open_only(f))
    {
        return both_parts(conn, f, rowids, today, after, limit);
    }
    let few = few_sites(conn, f)?;
    let mut rows = Vec::new();
    if after.is_none_or(|c| c.part == 0) && open != Some(Candidates::Nothing) {
        rows = part(conn, f, open.as_ref(), today, 0, after, limit, few)?;
    }
    if rows.len() < limit && !f.overdue_only {
        let rest = if open_only(f) { open } else { text_candidates(conn, f, Rows::All, cap)? };
        if rest != Some(Candidates::Nothing) {
            let rest_after = after.filter(|c| c.part == 1);
            rows.extend(part(conn, f, rest.as_ref(), today, 1, rest_after, limit - rows.len(), few)?);
        }
    }
    Ok(rows)
}

/// A filter on sites that selects few of them (one site, or a town's or a domain's sites when they are at
/// most 1/32 of the registry): a page then reads only their rectifications and orders them, instead of
/// walking the order of every rectification and meeting one of theirs now and then (a town of a province:
/// a second at a million). Both counts of sites are read from their indexes.
fn few_sites(conn: &Connection, f: &Filter) -> Result<bool> {
    if f.site.is_some() {
        return Ok(true);
    }
    if f.domain.is_none() && f.town.is_none() {
        return Ok(false);
    }
    let mut sql = "SELECT count(*) FROM sites s WHERE 1 = 1".to_string();
    let mut args = Vec::new();
    push_filter_by(
        &Filter { domain: f.domain.clone(), town: f.town.clone(), ..Default::default() },
        &mut sql,
        &mut args,
        Sites::Joined,
    );
    let matching: i64 = conn.prepare_cached(&sql)?.query_row(params_from_iter(args), |r| r.get(0))?;
    let all: i64 = conn.prepare_cached("SELECT count(*) FROM sites")?.query_row([], |r| r.get(0))?;
    Ok(matching.saturating_mul(32) <= all)
}

/// How many rectifications are in conflict, whatever the board shows, so a supervisor sees there are some
/// to settle.
pub fn conflicts(conn: &Connection) -> Result<u64> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM rectifications INDEXED BY rectifications_conflict WHERE conflict = 1",
        [],
        |r| r.get(0),
    )?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// How many rectifications the filter selects in all (what the board's pages add up to), in one count:
/// without a filter on sites the count reads the rectifications alone (an index on status covers it);
/// with one, only those sites' rows.
/// Free text is counted over the index's candidates when it has any for the text (all of them: the count
/// costs the matches, not the table).
pub fn count(conn: &Connection, f: &Filter, today: &str) -> Result<u64> {
    count_capped(conn, f, today, TEXT_CAP)
}

fn count_capped(conn: &Connection, f: &Filter, today: &str, cap: usize) -> Result<u64> {
    let mut args: Vec<Value> = Vec::new();
    let on_sites = f.domain.is_some() || f.town.is_some() || f.site.is_some() || f.text.is_some();
    // The same choice of plan as a page's: a count left to the planner read the whole table for some
    // combinations (conflicts only with a town, 1.4 s at 1M).
    // Only open rows are counted: their index (and its facets) holds the candidates.
    let (text, index) = if open_only(f) || f.overdue_only {
        (text_candidates(conn, f, Rows::Open, cap)?, fts::OPEN)
    } else {
        (text_candidates(conn, f, Rows::All, cap)?, fts::BOARD)
    };
    let mut sql = match text {
        Some(Candidates::Nothing) => return Ok(0),
        Some(Candidates::Few(rowids)) => {
            args.push(rowids.into());
            format!("SELECT count(*){}", by_text(&fts::listed("?")))
        }
        Some(Candidates::Many(Some(expr))) => {
            args.push(expr.into());
            format!("SELECT count(*){}", by_text(&fts::hits(index, "?")))
        }
        _ if f.conflict_only => format!("SELECT count(*){BY_CONFLICT}"),
        _ if on_sites => format!("SELECT count(*){BY_SITE}"),
        _ => "SELECT count(*) FROM rectifications r WHERE 1 = 1".to_string(),
    };
    if f.overdue_only {
        sql.push_str(OVERDUE);
        args.push(today.to_string().into());
    }
    push_filter(f, &mut sql, &mut args);
    let n: i64 = conn.prepare_cached(&sql)?.query_row(params_from_iter(args), |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::store::Store;

    /// A tiny demo in a temporary folder (its evidence files go beside the database, not into the
    /// working directory); the folder lives as long as the returned guard.
    fn demo() -> (tempfile::TempDir, Store) {
        use crate::demo::{Options, Scale};
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("demo.db")).unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        crate::app::seed(&mut store, "管理员").unwrap();
        crate::demo::generate(
            &mut store,
            "管理员",
            &Options { scale: Scale::Tiny, seed: 5, today },
            &mut |_| {},
        )
        .unwrap();
        (dir, store)
    }

    fn all(conn: &Connection, f: &Filter, cap: usize) -> Vec<String> {
        let mut out = Vec::new();
        let mut cursor = None;
        loop {
            let page = page_capped(conn, f, "2026-11-29", cursor.as_ref(), 30, cap).unwrap();
            let Some(last) = page.last() else { return out };
            cursor = Some(last.cursor());
            out.extend(page.into_iter().map(|r| r.id));
        }
    }

    #[test]
    fn a_town_of_few_sites_reads_its_sites_rows_and_a_big_one_walks_the_order() {
        let (_dir, store) = demo();
        let conn = store.conn();
        let f = |domain: Option<&str>, town: &str| Filter {
            domain: domain.map(str::to_string),
            town: Some(town.into()),
            ..Default::default()
        };
        // The registry's 215 sites: 68 in 如城街道, 8 in 东陈镇, 6 in 江安镇.
        assert!(!few_sites(conn, &f(None, "如城街道")).unwrap());
        assert!(!few_sites(conn, &f(None, "东陈镇")).unwrap());
        assert!(few_sites(conn, &f(None, "江安镇")).unwrap());
        assert!(few_sites(conn, &f(Some("lottery_outlet"), "东陈镇")).unwrap());
        assert!(
            !few_sites(conn, &Filter { domain: Some("elderly_care".into()), ..Default::default() }).unwrap()
        );
        assert!(few_sites(conn, &Filter { site: Some("YL001".into()), ..Default::default() }).unwrap());
    }

    /// The facets of the open rows' index narrow a text's candidates to exactly the open rows that the
    /// filter's other conditions let through (a test on the rows alone would pass with no facets at all).
    #[test]
    fn the_open_index_narrows_a_text_by_the_other_filters_before_any_row_is_read() {
        let (_dir, store) = demo();
        let conn = store.conn();
        let open = || vec!["open".to_string(), "in_progress".into(), "fix_reported".into()];
        let (town, kind): (String, String) = conn
            .query_row(
                "SELECT s.town, s.kind FROM rectifications r JOIN sites s ON s.id = r.site_id
                 WHERE r.status NOT IN ('verified', 'withdrawn') ORDER BY r.id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let rowids = |sql: &str, args: &[&dyn rusqlite::ToSql]| -> Vec<i64> {
            let mut stmt = conn.prepare(sql).unwrap();
            let mut ids: Vec<i64> = stmt.query_map(args, |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect();
            ids.sort_unstable();
            ids
        };
        let candidates = |f: &Filter| -> Vec<i64> {
            match text_candidates(conn, f, Rows::Open, usize::MAX >> 1).unwrap() {
                Some(Candidates::Few(json)) => {
                    let mut ids: Vec<i64> = serde_json::from_str(&json).unwrap();
                    ids.sort_unstable();
                    ids
                }
                Some(Candidates::Nothing) => Vec::new(),
                other => panic!("{f:?}: {other:?}"),
            }
        };
        let with_text =
            "(r.problem LIKE '%院%' OR s.name LIKE '%院%' OR s.code LIKE '%院%' OR r.item_id LIKE '%院%')";
        let base = format!(
            "SELECT r.rowid FROM rectifications r JOIN sites s ON s.id = r.site_id
             WHERE r.status NOT IN ('verified', 'withdrawn') AND {with_text}"
        );
        let all_open = rowids(&base, &[]);
        let text = || Some("院".to_string());
        assert!(all_open.len() > 8, "the text is common among the open rows ({})", all_open.len());
        assert_eq!(candidates(&Filter { statuses: open(), text: text(), ..Default::default() }), all_open);
        let major = rowids(&format!("{base} AND r.severity = 'major'"), &[]);
        let f =
            Filter { statuses: open(), severity: Some("major".into()), text: text(), ..Default::default() };
        assert_eq!(candidates(&f), major);
        assert!(major.len() < all_open.len(), "the severity narrows");
        let in_progress = rowids(&format!("{base} AND r.status = 'in_progress'"), &[]);
        let f = Filter { statuses: vec!["in_progress".into()], text: text(), ..Default::default() };
        assert_eq!(candidates(&f), in_progress);
        let of_kind = rowids(&format!("{base} AND s.kind = ?1"), &[&kind]);
        let f = Filter { domain: Some(kind.clone()), text: text(), ..Default::default() };
        assert_eq!(candidates(&f), of_kind);
        assert!(of_kind.len() < all_open.len(), "the domain narrows");
        // Towns are indexed by their first three characters: the candidates hold the town's rows and perhaps
        // those of towns that begin alike, never fewer.
        let of_town = rowids(&format!("{base} AND s.town = ?1"), &[&town]);
        let alike = rowids(&format!("{base} AND substr(s.town, 1, 3) = substr(?1, 1, 3)"), &[&town]);
        let f = Filter { town: Some(town.clone()), text: text(), ..Default::default() };
        assert_eq!(candidates(&f), alike);
        assert!(of_town.iter().all(|id| alike.contains(id)) && alike.len() < all_open.len());
        let f = Filter { statuses: vec!["verified".into()], text: text(), ..Default::default() };
        assert_eq!(text_candidates(conn, &f, Rows::Open, 100).unwrap(), Some(Candidates::Nothing));
    }

    #[test]
    fn text_with_many_matches_walks_the_order_and_finds_what_the_index_finds() {
        let (_dir, store) = demo();
        let conn = store.conn();
        let mut checked = 0;
        for text in ["院", "消防", "敬老院", "YL0", "通道", "獭"] {
            for base in [Filter::default(), Filter { overdue_only: true, ..Default::default() }] {
                let f = Filter { text: Some(text.into()), ..base };
                let few = all(conn, &f, usize::MAX >> 1);
                // A cap of 1: every text that matches more than one row is read in urgency order instead.
                assert!(matches!(
                    text_candidates(conn, &f, Rows::All, 1).unwrap(),
                    Some(Candidates::Many(_) | Candidates::Nothing)
                ));
                assert_eq!(all(conn, &f, 1), few, "{text}");
                assert_eq!(count_capped(conn, &f, "2026-11-29", 1).unwrap(), few.len() as u64, "{text}");
                checked += usize::from(few.len() > 1);
            }
        }
        assert!(checked >= 6, "most texts match several rows ({checked})");
    }
}
