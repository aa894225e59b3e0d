//! A rectification's current state — status, deadline, when it was closed and last touched, and whether it
//! is in conflict — folded from its follow-up events, never copied from whichever database wrote last.
//!
//! The state events (`created`, `transition`, `extend`, `settle`) form a tree through `parent`: each names
//! the state event it was based on. One database writes them in a line. Two databases that changed the
//! same rectification from the same state leave two branches, hence two heads: a conflict. Its state stays
//! that of the event both branches started from, until a supervisor's `settle` event joins the heads (it
//! names one as its parent and the others in `merges`). Notes change nothing but the time last touched.

use std::collections::{HashMap, HashSet};

/// What the fold needs of one event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoldEvent {
    pub id: String,
    pub kind: String,
    pub parent: Option<String>,
    pub merges: Vec<String>,
    pub to_status: Option<String>,
    pub new_deadline: Option<String>,
    pub at: String,
}

impl FoldEvent {
    fn changes_state(&self) -> bool {
        matches!(self.kind.as_str(), "created" | "transition" | "extend" | "settle" | "withdraw")
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Folded {
    pub status: String,
    pub deadline: String,
    pub closed_at: Option<String>,
    pub updated_at: String,
    /// The heads of the state tree, by id: one when there is no conflict.
    pub heads: Vec<String>,
    pub conflict: bool,
}

/// The state at one state event: walking back through parents, the nearest status and the nearest
/// deadline; the closing time is that of the earliest event of the run that has kept the status verified.
/// The statuses that close a rectification (it gets a `closed_at`).
fn closes(status: &str) -> bool {
    matches!(status, "verified" | "withdrawn")
}

type State = (Option<String>, Option<String>, Option<String>);

pub fn state_at(by_id: &HashMap<&str, &FoldEvent>, head: &str) -> State {
    let mut status: Option<String> = None;
    let mut deadline: Option<String> = None;
    let mut closed_at: Option<String> = None;
    // Still walking back through the run of events that keep the status verified.
    let mut closing = false;
    let mut seen = HashSet::new();
    let mut at = Some(head);
    while let Some(id) = at {
        if !seen.insert(id) {
            break; // a cycle can only come from hostile data: stop rather than loop
        }
        let Some(e) = by_id.get(id) else { break };
        if let Some(t) = &e.to_status {
            match &status {
                None => {
                    status = Some(t.clone());
                    closing = closes(t);
                    if closing {
                        closed_at = Some(e.at.clone());
                    }
                }
                Some(s) if closing && s == t => closed_at = Some(e.at.clone()),
                Some(_) => closing = false,
            }
        }
        if deadline.is_none() {
            deadline.clone_from(&e.new_deadline);
        }
        if status.is_some() && deadline.is_some() && !closing {
            break;
        }
        at = e.parent.as_deref();
    }
    (status, deadline, closed_at)
}

/// Folds a rectification's events. `fallback` is the (status, deadline) to use where the events say
/// nothing (a rectification with no events at all, which ducha never writes).
pub fn fold(events: &[FoldEvent], fallback: (&str, &str)) -> Folded {
    let state: Vec<&FoldEvent> = events.iter().filter(|e| e.changes_state()).collect();
    let by_id: HashMap<&str, &FoldEvent> = state.iter().map(|e| (e.id.as_str(), *e)).collect();
    let mut based_on: HashSet<&str> = HashSet::new();
    for e in &state {
        if let Some(p) = e.parent.as_deref() {
            based_on.insert(p);
        }
        for m in &e.merges {
            based_on.insert(m.as_str());
        }
    }
    let mut heads: Vec<&str> =
        state.iter().map(|e| e.id.as_str()).filter(|id| !based_on.contains(id)).collect();
    heads.sort_unstable();
    heads.dedup();
    let updated_at = events.iter().map(|e| e.at.as_str()).max().unwrap_or_default().to_string();
    let conflict = heads.len() > 1;
    let at = if conflict { common_ancestor(&by_id, &heads) } else { heads.first().map(|h| (*h).to_string()) };
    let (status, deadline, closed_at) = match &at {
        Some(id) => state_at(&by_id, id),
        None => (None, None, None),
    };
    let status = status.unwrap_or_else(|| fallback.0.to_string());
    let closed_at = if closes(&status) { closed_at } else { None };
    Folded {
        status,
        deadline: deadline.unwrap_or_else(|| fallback.1.to_string()),
        closed_at,
        updated_at,
        heads: heads.into_iter().map(str::to_string).collect(),
        conflict,
    }
}

/// The ancestors of a state event, itself first, then its parent and so on back to the root.
pub fn ancestors<'a>(by_id: &HashMap<&'a str, &'a FoldEvent>, from: &'a str) -> Vec<&'a str> {
    let mut line = Vec::new();
    let mut seen = HashSet::new();
    let mut at = Some(from);
    while let Some(id) = at {
        if !seen.insert(id) {
            break;
        }
        let Some(e) = by_id.get(id) else { break };
        line.push(e.id.as_str());
        at = e.parent.as_deref();
    }
    line
}

/// The nearest event that every head descends from (the state both branches started from).
pub fn common_ancestor(by_id: &HashMap<&str, &FoldEvent>, heads: &[&str]) -> Option<String> {
    let mut lines = heads.iter().map(|h| ancestors(by_id, h));
    let first = lines.next()?;
    let others: Vec<HashSet<&str>> = lines.map(|l| l.into_iter().collect()).collect();
    first.into_iter().find(|id| others.iter().all(|o| o.contains(id))).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(id: &str, kind: &str, parent: Option<&str>, to: Option<&str>, deadline: Option<&str>) -> FoldEvent {
        FoldEvent {
            id: id.into(),
            kind: kind.into(),
            parent: parent.map(Into::into),
            merges: Vec::new(),
            to_status: to.map(Into::into),
            new_deadline: deadline.map(Into::into),
            at: format!("2026-01-01T00:00:{}Z", id),
        }
    }

    fn line() -> Vec<FoldEvent> {
        vec![
            ev("01", "created", None, Some("open"), Some("2026-02-01")),
            ev("02", "transition", Some("01"), Some("in_progress"), None),
            ev("03", "note", Some("02"), None, None),
            ev("04", "extend", Some("02"), None, Some("2026-03-01")),
            ev("05", "transition", Some("04"), Some("fix_reported"), None),
        ]
    }

    #[test]
    fn a_line_of_events_gives_the_last_status_and_deadline() {
        let f = fold(&line(), ("open", "x"));
        assert_eq!((f.status.as_str(), f.deadline.as_str()), ("fix_reported", "2026-03-01"));
        assert_eq!(f.heads, vec!["05"]);
        assert!(!f.conflict);
        assert_eq!(f.updated_at, "2026-01-01T00:00:05Z");
        assert_eq!(f.closed_at, None);
    }

    #[test]
    fn the_order_of_the_events_does_not_matter() {
        let mut events = line();
        events.reverse();
        assert_eq!(fold(&events, ("open", "x")), fold(&line(), ("open", "x")));
    }

    #[test]
    fn two_changes_from_the_same_state_are_a_conflict_that_keeps_the_state_they_started_from() {
        let mut events = line();
        events.push(ev("06", "transition", Some("05"), Some("verified"), None));
        events.push(ev("07", "transition", Some("05"), Some("in_progress"), None));
        let f = fold(&events, ("open", "x"));
        assert!(f.conflict);
        assert_eq!(f.heads, vec!["06", "07"]);
        assert_eq!(f.status, "fix_reported");
        assert_eq!(f.closed_at, None);
    }

    #[test]
    fn a_settle_event_joins_the_heads_and_gives_the_chosen_state() {
        let mut events = line();
        events.push(ev("06", "transition", Some("05"), Some("verified"), None));
        events.push(ev("07", "transition", Some("05"), Some("in_progress"), None));
        let mut settle = ev("08", "settle", Some("06"), Some("verified"), Some("2026-03-01"));
        settle.merges = vec!["07".into()];
        events.push(settle);
        let f = fold(&events, ("open", "x"));
        assert!(!f.conflict);
        assert_eq!(f.heads, vec!["08"]);
        assert_eq!(f.status, "verified");
        assert_eq!(f.closed_at.as_deref(), Some("2026-01-01T00:00:06Z"), "closed when it was verified");
    }

    #[test]
    fn a_note_on_another_branch_is_no_conflict() {
        let mut events = line();
        events.push(ev("06", "note", Some("04"), None, None));
        let f = fold(&events, ("open", "x"));
        assert!(!f.conflict);
        assert_eq!(f.updated_at, "2026-01-01T00:00:06Z");
    }

    #[test]
    fn a_cycle_in_hostile_data_ends() {
        let events = vec![
            ev("01", "transition", Some("02"), Some("open"), None),
            ev("02", "transition", Some("01"), Some("in_progress"), None),
        ];
        let f = fold(&events, ("open", "2026-01-01"));
        assert_eq!(f.deadline, "2026-01-01");
    }
}
