//! Which rectifications a free-text filter of the board can match, from the trigram indexes (see `fts`):
//! every rectification's (migration 14), and the open ones' with the filter's other conditions as facets
//! (migration 17).

use rusqlite::Connection;

use super::{Filter, closed, severity_rank};
use crate::domain::Severity;
use crate::rectification::Status;
use crate::store::Result;
use crate::store::fts::{self, Candidates};

/// A free-text filter matching at most this many rectifications reads them from the trigram index and
/// sorts them (see `fts`); one matching more walks the urgency order, where matches come quickly unless the
/// other filters exclude most of them. At 4,000 a one-character text of 4,560 matches at 1M walked the whole
/// order with a domain that has none of them (1.2 s); read and sorted, it takes at most 28 ms.
pub(super) const TEXT_CAP: usize = 8000;

/// The most candidates of a text among the open rows (see [`text_candidates`]) that are read and sorted, when
/// other filters narrow them too, and when the text alone does. Read by rowid, a candidate costs about 2 µs
/// at 1M (火 in one domain, 3,572 of them: 15 ms). With more, the board walks the order of the open rows
/// instead, whose index tests every filter but the text before a row is read, and reads rows in that order
/// (about 5 µs each) until a page is full: about 100 × P ÷ N rows for N candidates among the P rows the
/// other filters let through. The two cost the same where N² ≈ 250 P: some 4,400 with the 77,520 open rows
/// of 1M and no other filter, some 2,500 with a domain, town or severity, which let a third of them through.
const OPEN_CAP: usize = 2500;
const OPEN_CAP_ALONE: usize = 4000;

/// The filter's free text, if it has one.
pub(super) fn text_of(f: &Filter) -> Option<&str> {
    f.text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// Which rectifications an index of the board's text holds.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Rows {
    /// The open ones (migration 17), with facets: the candidates of the overdue part, and of every part when
    /// only open statuses are shown.
    Open,
    /// Every one (migration 14).
    All,
}

/// The filter's conditions but the text as facets of the index of open rows (see migration 17); `None` when
/// no open row can match (only closed statuses asked).
fn open_facets(f: &Filter) -> Option<Vec<String>> {
    let mut facets = Vec::new();
    if let Some(rank) = f.severity.as_deref().and_then(Severity::from_key).map(severity_rank) {
        facets.push(fts::facet_expr("severity", &[format!("sv{rank}")]));
    }
    if !f.statuses.is_empty() {
        let open: Vec<&String> = f.statuses.iter().filter(|s| !closed(s)).collect();
        if open.is_empty() {
            return None;
        }
        // Every open status (the board's default) narrows nothing here.
        let every = Status::ALL.iter().filter(|s| !s.is_closed()).all(|s| open.iter().any(|o| *o == s.key()));
        if !every {
            facets.push(fts::facet_expr("status", &open.iter().map(|s| fts::facet(s)).collect::<Vec<_>>()));
        }
    }
    if let Some(kind) = &f.domain {
        facets.push(fts::facet_expr("kind", &[fts::facet(kind)]));
    }
    // Towns that begin alike share a token, and the code "YL001" is a phrase that also ends "XYL001": the
    // row's own test excludes the others.
    if let Some(town) = &f.town {
        facets.push(fts::facet_expr("town", &[fts::facet(town)]));
    }
    if let Some(code) = f.site.as_deref().filter(|c| !c.is_empty()) {
        facets.push(fts::facet_expr("site_code", &[fts::whole(code)]));
    }
    Some(facets)
}

/// What the trigram index of `rows` says about the filter's free text, if it has any; among the open rows,
/// narrowed by the filter's other conditions too: a common text is rare within a severity or a small town
/// (消防: 31,844 rows, 912 of them open and major), and found that way before any row is read. Only
/// conflicts: none, as the few conflicts are read whatever the text.
pub(super) fn text_candidates(
    conn: &Connection,
    f: &Filter,
    rows: Rows,
    cap: usize,
) -> Result<Option<Candidates>> {
    let Some(t) = text_of(f).filter(|_| !f.conflict_only) else { return Ok(None) };
    if rows == Rows::All {
        return Ok(Some(fts::candidates(conn, fts::BOARD, &[t], cap)?));
    }
    let Some(facets) = open_facets(f) else { return Ok(Some(Candidates::Nothing)) };
    let most = if facets.is_empty() { OPEN_CAP_ALONE } else { OPEN_CAP };
    Ok(Some(fts::narrowed(conn, fts::OPEN, &[t], &facets, cap.min(most))?))
}
