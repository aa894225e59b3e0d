//! Compare-and-set of answers between two consoles on one draft: what a writer saw of an answer (its
//! stamp), and SQLite's `data_version` to notice another connection's commits. Used by
//! [`super::inspections`], which re-exports these.

use rusqlite::Connection;

use super::Result;
use super::inspections::{AnswerRow, NewAnswer, answer_json};

/// What a writer last saw of the answer it replaces: the compare of a compare-and-set, so that a change
/// made meanwhile by another process (a second console on the same draft) is never overwritten unseen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seen<'a> {
    /// No check: the writer owns the draft (the demo, imports, tests).
    Anything,
    /// The writer saw no answer for the item.
    Nothing,
    /// The writer saw the answer with this [`stamp`].
    Stamp(&'a str),
}

/// A fingerprint of an answer's content (value, outcome, note and finding, not who or when), the same for
/// the stored row and for the answer as the saver wrote it, so a console can compute it after its own save.
pub fn stamp(a: &NewAnswer<'_>) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(answer_json(a).to_string().as_bytes());
    digest.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// The stamp of a stored answer.
pub fn row_stamp(a: &AnswerRow) -> String {
    stamp(&NewAnswer {
        item_id: &a.item_id,
        instance: a.instance,
        value: &a.value,
        outcome: &a.outcome,
        note: &a.note,
        finding: a.finding.as_ref(),
    })
}

/// How many times another connection has committed to the database since this one opened (SQLite's
/// `PRAGMA data_version`): cheap, and unchanged by this connection's own writes, so a console polls it to
/// notice another window's changes.
pub fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
}
