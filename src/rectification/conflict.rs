//! A rectification in conflict as a supervisor reads it before settling it: the state event every branch
//! started from and, for each head, the events from there to that head (notes written on the branch
//! included), with the status and deadline the branch ends in. Branches are numbered in the order of the
//! fold's heads, so 分支 1 is the same branch on every screen, and a settle event says which it took.

use std::collections::{HashMap, HashSet};

use crate::store::fold::{FoldEvent, ancestors, common_ancestor, state_at};
use crate::store::rectifications::Event;

#[derive(Clone, Debug, PartialEq)]
pub struct Branch {
    /// The head: what a settle names as the branch it takes.
    pub head: String,
    /// The status and deadline at the head: what settling on this branch gives.
    pub status: Option<String>,
    pub deadline: Option<String>,
    /// The events after the start up to the head, in time order.
    pub events: Vec<Event>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    /// The state event every branch started from; `None` only in data with no common ancestor.
    pub base: Option<String>,
    pub branches: Vec<Branch>,
}

impl Conflict {
    /// Whether an event lies on one of the branches (otherwise it is history they share).
    pub fn on_branch(&self, id: &str) -> bool {
        self.branches.iter().any(|b| b.events.iter().any(|e| e.id == id))
    }
}

/// The branches of the conflict between `heads` (the fold's heads, in its order) over all of a
/// rectification's `events` (in time order, as `rectifications::events` gives them).
pub fn branches(events: &[Event], heads: &[String]) -> Conflict {
    // The same walks the store's fold makes: lines back from each head, the event they all start from, and
    // the state each branch ends in.
    let fold: Vec<FoldEvent> = events.iter().map(Event::to_fold).collect();
    let fold_by_id: HashMap<&str, &FoldEvent> = fold.iter().map(|e| (e.id.as_str(), e)).collect();
    let lines: Vec<Vec<&str>> = heads.iter().map(|h| ancestors(&fold_by_id, h)).collect();
    let head_ids: Vec<&str> = heads.iter().map(String::as_str).collect();
    let base = common_ancestor(&fold_by_id, &head_ids);
    let branches = heads
        .iter()
        .zip(&lines)
        .map(|(head, line)| {
            // The state events after the start; then the notes written on one of them.
            let mut ids: HashSet<&str> =
                line.iter().take_while(|id| Some(**id) != base.as_deref()).copied().collect();
            let notes: Vec<&str> = events
                .iter()
                .filter(|e| {
                    !ids.contains(e.id.as_str()) && e.parent.as_deref().is_some_and(|p| ids.contains(p))
                })
                .filter(|e| e.kind == "note")
                .map(|e| e.id.as_str())
                .collect();
            ids.extend(notes);
            let (status, deadline, _) = state_at(&fold_by_id, head);
            Branch {
                head: head.to_string(),
                status,
                deadline,
                events: events.iter().filter(|e| ids.contains(e.id.as_str())).cloned().collect(),
            }
        })
        .collect();
    Conflict { base, branches }
}

/// For a settle event: the number (from 1) of the branch it took, counted as the conflict's branches were.
pub fn chosen_branch(settle: &Event) -> Option<usize> {
    let chosen = settle.parent.as_deref().filter(|_| settle.kind == "settle")?;
    let mut heads: Vec<&str> = settle.merges.iter().map(String::as_str).collect();
    heads.push(chosen);
    heads.sort_unstable();
    heads.iter().position(|h| *h == chosen).map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(id: &str, kind: &str, parent: Option<&str>, to: Option<&str>) -> Event {
        Event {
            id: id.into(),
            kind: kind.into(),
            parent: parent.map(Into::into),
            merges: Vec::new(),
            from_status: None,
            to_status: to.map(Into::into),
            old_deadline: None,
            new_deadline: (kind == "created").then(|| "2026-12-10".into()),
            note: String::new(),
            actor: "王芳".into(),
            at: format!("2026-11-29T10:00:{id}+08:00"),
        }
    }

    fn forked() -> Vec<Event> {
        vec![
            ev("01", "created", None, Some("open")),
            ev("02", "transition", Some("01"), Some("fix_reported")),
            ev("03", "note", Some("02"), None),
            ev("04", "transition", Some("02"), Some("verified")),
            ev("05", "transition", Some("02"), Some("in_progress")),
            ev("06", "note", Some("05"), None),
            ev("07", "transition", Some("05"), Some("fix_reported")),
        ]
    }

    #[test]
    fn each_branch_runs_from_the_common_start_to_its_head_with_its_notes() {
        let c = branches(&forked(), &["04".into(), "07".into()]);
        assert_eq!(c.base.as_deref(), Some("02"));
        let ids: Vec<Vec<&str>> =
            c.branches.iter().map(|b| b.events.iter().map(|e| e.id.as_str()).collect()).collect();
        assert_eq!(ids, vec![vec!["04"], vec!["05", "06", "07"]]);
        let ends: Vec<(Option<&str>, Option<&str>)> =
            c.branches.iter().map(|b| (b.status.as_deref(), b.deadline.as_deref())).collect();
        assert_eq!(
            ends,
            vec![(Some("verified"), Some("2026-12-10")), (Some("fix_reported"), Some("2026-12-10"))]
        );
        assert!(
            c.on_branch("06") && !c.on_branch("03") && !c.on_branch("02"),
            "a note before the fork is shared"
        );
    }

    #[test]
    fn a_settle_event_names_the_branch_it_took_by_the_same_numbers() {
        let mut settle = ev("08", "settle", Some("07"), Some("fix_reported"));
        settle.merges = vec!["04".into()];
        assert_eq!(chosen_branch(&settle), Some(2));
        settle.parent = Some("04".into());
        settle.merges = vec!["07".into()];
        assert_eq!(chosen_branch(&settle), Some(1));
        assert_eq!(chosen_branch(&ev("09", "transition", Some("08"), None)), None);
    }

    #[test]
    fn a_cycle_in_hostile_data_ends() {
        let events =
            vec![ev("01", "transition", Some("02"), Some("open")), ev("02", "transition", Some("01"), None)];
        let c = branches(&events, &["01".into(), "02".into()]);
        assert_eq!(c.branches.len(), 2);
    }
}
