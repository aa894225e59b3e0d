//! The board's effects: pages of rectifications, one rectification's detail (with its branches while it
//! is in conflict), and follow-up actions, settling a conflict among them.

use chrono::NaiveDate;

use super::Executor;
use crate::checklist::parse_checklist;
use crate::places::{self, Match, Place};
use crate::rectification::{Transition, conflict, ops};
use crate::store::board::{self, Cursor, Filter};
use crate::store::rectifications::{self, Event};
use crate::store::{evidence, fix_evidence, inspections, sites, snapshots, users};
use crate::tui::action::{Action, Detail};

/// A follow-up the supervisor or inspector gives on the board.
#[derive(Clone, Debug, PartialEq)]
pub enum FollowUp {
    /// A transition with its note and, for reporting or verifying a fix, the files given as proof.
    Transition(Transition, String, ops::Proof),
    Extend(NaiveDate, String),
    Note(String),
    /// Takes the branch ending at `head`, with the supervisor's note.
    Settle {
        head: String,
        note: String,
    },
}

impl Executor {
    pub(super) fn board_page(
        &mut self,
        filter: &Filter,
        after: Option<&Cursor>,
        today: &str,
        to_end: bool,
    ) -> Action {
        const PAGE: usize = 100;
        // End reads what remains in one go, up to a cap that keeps a province's board in memory.
        const TO_END: usize = 20_000;
        let limit = if to_end { TO_END } else { PAGE };
        let first = after.is_none();
        let read = board::page(self.store.conn(), filter, today, after, limit).and_then(|rows| {
            let conflicts = if first { Some(board::conflicts(self.store.conn())?) } else { None };
            // A first page that is not full is everything; a full one is counted on the side (its count
            // comes later as `BoardCounted`).
            let total = match (first, rows.len() < limit) {
                (false, _) => None,
                (true, true) => Some(u64::try_from(rows.len()).unwrap_or(u64::MAX)),
                (true, false) => self.count_aside(filter, today)?,
            };
            Ok((rows, conflicts, total))
        });
        match read {
            Ok((rows, conflicts, total)) => Action::BoardPage {
                more: rows.len() == limit,
                append: after.is_some(),
                rows,
                conflicts,
                total,
            },
            Err(e) => self.fail(e),
        }
    }

    pub(super) fn resolve_place(&self, place: Place, typed: &str) -> Action {
        let conn = self.store.conn();
        let named = match place {
            Place::Town => places::town(conn, typed, Match::Partial),
            Place::Site => places::site(conn, typed, Match::Partial),
        };
        match named {
            Ok(named) => Action::PlaceNamed { place, named },
            Err(e) => self.fail(e),
        }
    }

    pub(super) fn board_detail(&self, id: &str) -> Action {
        match self.detail(id) {
            Ok(Some(d)) => Action::BoardDetail(Box::new(d)),
            Ok(None) => self.fail(id),
            Err(e) => self.fail(e),
        }
    }

    fn detail(&self, id: &str) -> crate::store::Result<Option<Detail>> {
        let conn = self.store.conn();
        let Some(rect) = rectifications::get(conn, id)? else { return Ok(None) };
        let site = sites::by_id(conn, &rect.site_id)?;
        let head = inspections::get(conn, &rect.inspection_id)?;
        // The item's prompt, from the exact checklist text the inspection was answered with.
        let prompt = head
            .as_ref()
            .and_then(|h| snapshots::get(conn, &h.snapshot_id).ok().flatten())
            .and_then(|s| parse_checklist(&s.source).ok())
            .and_then(|c| c.item(&rect.item_id).map(|i| i.prompt.clone()))
            .unwrap_or_default();
        let answer = inspections::latest_answer(conn, &rect.inspection_id, &rect.item_id, rect.instance)?;
        let files = match &answer {
            Some(a) => evidence::for_answer(conn, &a.id)?.into_iter().map(|(name, _)| name).collect(),
            None => Vec::new(),
        };
        let events: Vec<Event> = rectifications::events(conn, id)?;
        let folded = rectifications::folded(conn, id)?;
        let conflict = folded.conflict.then(|| conflict::branches(&events, &folded.heads));
        Ok(Some(Detail {
            site_name: site.as_ref().map(|s| s.fields.name.clone()).unwrap_or_default(),
            site_code: site.as_ref().map(|s| s.fields.code.clone()).unwrap_or_default(),
            town: site.as_ref().map(|s| s.fields.town.clone()).unwrap_or_default(),
            inspected_at: head.map(|h| h.started_at).unwrap_or_default(),
            prompt,
            evidence: files,
            fix_evidence: fix_evidence::for_rectification(conn, id)?,
            events,
            conflict,
            role: users::role_of(conn, &self.user)?,
            rect,
        }))
    }

    pub(super) fn follow_up(&mut self, id: &str, f: FollowUp) -> Action {
        let (user, lang) = (self.user.clone(), self.lang);
        let done = match f {
            FollowUp::Transition(t, note, proof) => {
                ops::transition_with(&mut self.store, &user, id, t, &note, &proof, lang).map(|_| ())
            }
            FollowUp::Extend(date, reason) => ops::extend(&mut self.store, &user, id, date, &reason, lang),
            FollowUp::Note(text) => ops::note(&mut self.store, &user, id, &text, lang),
            FollowUp::Settle { head, note } => {
                ops::settle(&mut self.store, &user, id, &head, &note, lang).map(|_| ())
            }
        };
        match done {
            Ok(()) => self.board_detail(id),
            Err(e) => Action::Failed(e.message(lang)),
        }
    }
}
