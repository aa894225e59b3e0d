//! Candidates for a free-text search from the trigram indexes of migration 14 (`board_text` over
//! rectifications, `site_text` over sites). The index only narrows the rows a search reads: the search still
//! applies its own LIKE conditions to each candidate, so its results are exactly those of the conditions,
//! with or without the index (the index may propose more — it folds the case of every letter where LIKE
//! folds only ASCII — but never fewer).
//!
//! A word of three characters or more is a phrase of trigrams. A shorter word has no trigram of its own:
//! every value is indexed with two U+0001 appended, so each occurrence of a one- or two-character word
//! starts some trigram of the index, and the word becomes the OR of the index's trigrams that begin with
//! it (read from the index's term list, a range scan), as long as there are not too many.

use rusqlite::{Connection, params};

use super::Result;

/// A trigram index and its list of terms.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Index {
    table: &'static str,
    terms: &'static str,
    /// The columns a search's words are looked for in, when the index also holds facets (an FTS5 column
    /// filter); `None`: all of them.
    text: Option<&'static str>,
}

pub(crate) const BOARD: Index = Index { table: "board_text", terms: "board_text_terms", text: None };
pub(crate) const SITES: Index = Index { table: "site_text", terms: "site_text_terms", text: None };
/// The board's open rectifications only, with facet columns (migration 17).
pub(crate) const OPEN: Index = Index {
    table: "open_text",
    terms: "open_text_terms",
    text: Some("{problem item_id site_name site_code}"),
};

/// A facet column's value as migration 17 stores it: the first three characters of `key`, padded with
/// U+0001 (`substr(key || char(1, 1, 1), 1, 3)`), so one trigram.
pub(crate) fn facet(key: &str) -> String {
    format!("{key}\u{1}\u{1}\u{1}").chars().take(3).collect()
}

/// A column's value when it is matched whole (a site code in `site_code`), as the migrations store it: with
/// two U+0001 appended, so that it is a phrase of at least one trigram.
pub(crate) fn whole(value: &str) -> String {
    format!("{value}\u{1}\u{1}")
}

/// `column : ("token" OR …)`, the FTS5 expression for the values of one facet column.
pub(crate) fn facet_expr(column: &str, tokens: &[String]) -> String {
    let any: Vec<String> = tokens.iter().map(|t| quoted(t)).collect();
    format!("{column} : ({})", any.join(" OR "))
}

/// What the index says about a search.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Candidates {
    /// No row can match.
    Nothing,
    /// At most the cap of rows can match: these rowids, as a JSON array (read once, then joined on by
    /// every statement of the search through `json_each`, see [`listed`]).
    Few(String),
    /// More than the cap may match. The expression, when there is one, still selects every row that can
    /// match (a superset), for a count that must read them all anyway.
    Many(Option<String>),
}

/// The most trigrams a one- or two-character word is looked up by; a word that begins more is common, and
/// the search reads rows in its own order instead, where matches come quickly.
const MAX_TERMS: usize = 256;

enum Word {
    Expr(String),
    Nothing,
    /// Too common to look up: the other words narrow the search, or none does.
    Unbounded,
}

/// `text` as an FTS5 string: in double quotes, which are doubled inside; nothing else is special there.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The word as the index's terms spell it, when that is known: the trigram tokenizer folds the case of
/// every letter, so only words whose letters are ASCII (lowercased here) or have no case at all (Chinese)
/// can be compared with its terms. Other words are left to LIKE.
fn folded(word: &str) -> Option<String> {
    let caseless = |c: char| c.to_lowercase().eq([c]) && c.to_uppercase().eq([c]);
    word.chars().all(|c| c.is_ascii() || caseless(c)).then(|| word.to_ascii_lowercase())
}

fn word(conn: &Connection, index: Index, word: &str) -> Result<Word> {
    if word.chars().count() >= 3 {
        return Ok(Word::Expr(quoted(word)));
    }
    let Some(low) = folded(word) else { return Ok(Word::Unbounded) };
    // Every term that begins with `low`: from `low` up to `low` followed by the last code point.
    let sql = format!("SELECT term FROM {} WHERE term >= ?1 AND term < ?2 LIMIT ?3", index.terms);
    let mut stmt = conn.prepare_cached(&sql)?;
    let terms = stmt
        .query_map(params![low, format!("{low}\u{10FFFF}"), MAX_TERMS as i64 + 1], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(match terms.len() {
        0 => Word::Nothing,
        n if n > MAX_TERMS => Word::Unbounded,
        _ => Word::Expr(format!("({})", terms.iter().map(|t| quoted(t)).collect::<Vec<_>>().join(" OR "))),
    })
}

/// The candidates for rows matching every one of `words` (each in any indexed column), counted up to `cap`.
pub(crate) fn candidates(conn: &Connection, index: Index, words: &[&str], cap: usize) -> Result<Candidates> {
    narrowed(conn, index, words, &[], cap)
}

/// As [`candidates`], the rows also matching every one of `facets` (expressions of [`facet_expr`]). Facets
/// narrow a text; with no word to look up, the search is left to the caller's order as before.
pub(crate) fn narrowed(
    conn: &Connection,
    index: Index,
    words: &[&str],
    facets: &[String],
    cap: usize,
) -> Result<Candidates> {
    let mut parts = Vec::new();
    for w in words.iter().filter(|w| !w.is_empty()) {
        match word(conn, index, w)? {
            Word::Nothing => return Ok(Candidates::Nothing),
            Word::Unbounded => {}
            Word::Expr(e) => parts.push(e),
        }
    }
    if parts.is_empty() {
        return Ok(Candidates::Many(None));
    }
    let words = parts.join(" AND ");
    let mut expr = match index.text {
        Some(columns) => format!("{columns} : ({words})"),
        None => words,
    };
    for f in facets {
        expr = format!("{expr} AND {f}");
    }
    let sql = format!("SELECT rowid FROM {t} WHERE {t} MATCH ?1 LIMIT ?2", t = index.table);
    let limit = i64::try_from(cap).unwrap_or(i64::MAX).saturating_add(1);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rowids = stmt
        .query_map(params![expr, limit], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(match rowids.len() {
        0 => Candidates::Nothing,
        n if n <= cap => Candidates::Few(serde_json::Value::from(rowids).to_string()),
        _ => Candidates::Many(Some(expr)),
    })
}

/// `(SELECT value AS rid FROM json_each(<placeholder>))`: the rowids of [`Candidates::Few`], to join on.
pub(crate) fn listed(placeholder: &str) -> String {
    format!("(SELECT value AS rid FROM json_each({placeholder}))")
}

/// `(SELECT rowid AS rid FROM <index> WHERE <index> MATCH <placeholder>)`, to join the rows on (`rid`).
pub(crate) fn hits(index: Index, placeholder: &str) -> String {
    format!("(SELECT rowid AS rid FROM {t} WHERE {t} MATCH {placeholder})", t = index.table)
}
