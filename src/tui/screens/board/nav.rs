//! Moving about the board: a screenful at a time and to either end of the list (reading the rest when End
//! asks for rows not loaded yet), scrolling the detail, and which keys act in the current state — the
//! footer shows only those, and a follow-up the role or the rectification's state does not allow is
//! refused before its note box opens. The rules are the domain's (`rectification::ops::precheck`).

use super::{Board, FollowKind};
use crate::rectification::ops::{FollowAct, precheck};
use crate::rectification::{Status, Transition};
use crate::tui::action::Detail;
use crate::tui::app::App;
use crate::tui::effect::Effect;
use crate::tui::keymap::Cmd;

fn act(kind: FollowKind) -> FollowAct {
    match kind {
        FollowKind::Start => FollowAct::Transition(Transition::Start),
        FollowKind::ReportFix => FollowAct::Transition(Transition::ReportFix),
        FollowKind::Verify => FollowAct::Transition(Transition::Verify),
        FollowKind::Reject => FollowAct::Transition(Transition::Reject),
        FollowKind::Extend => FollowAct::Extend,
        FollowKind::Note => FollowAct::Note,
    }
}

/// Why the follow-up `kind` cannot be given to the detail's rectification by the console's user, or
/// `None` when it can (as far as can be told before anything is typed).
pub(super) fn refusal(app: &App, detail: &Detail, kind: FollowKind) -> Option<String> {
    let Some(status) = Status::from_key(&detail.rect.status) else {
        return Some(app.lang.pick("整改事项状态无法识别", "the rectification's status is not known").into());
    };
    precheck(&app.user, detail.role, status, detail.conflict.is_some(), act(kind), app.lang)
        .err()
        .map(|e| e.message(app.lang))
}

impl Board {
    /// Whether `cmd` acts in the board's current state (for the footer's hints).
    pub fn applies(&self, app: &App, cmd: Cmd) -> bool {
        if self.typing.is_some() || self.export.is_some() || self.settle.is_some() || self.prompt.is_some() {
            return true;
        }
        match (&self.detail, cmd) {
            (Some(d), Cmd::Follow(kind)) => refusal(app, d, kind).is_none(),
            (Some(_), Cmd::Down | Cmd::Up) => {
                let drawn = self.drawn.get();
                drawn.detail_lines > drawn.detail_rows
            }
            (Some(_), _) => true,
            (None, Cmd::Enter | Cmd::Export) => !self.rows.is_empty(),
            (None, _) => true,
        }
    }

    /// PageDown, PageUp, Home and End on the list.
    pub(super) fn move_list(&mut self, app: &App, cmd: Cmd) -> Vec<Effect> {
        let page = self.drawn.get().list_rows.max(1);
        let last = self.rows.len().saturating_sub(1);
        match cmd {
            Cmd::PageDown => {
                self.selected = (self.selected + page).min(last);
                self.next_page(app)
            }
            Cmd::PageUp => {
                self.selected = self.selected.saturating_sub(page);
                vec![]
            }
            Cmd::Top => {
                self.selected = 0;
                vec![]
            }
            Cmd::Bottom => {
                self.selected = last;
                match self.rows.last() {
                    Some(row) if self.more && !self.loading => {
                        self.loading = true;
                        self.to_end = true;
                        vec![Effect::LoadBoard {
                            filter: self.filter(),
                            after: Some(row.cursor()),
                            today: app.today().format("%Y-%m-%d").to_string(),
                            to_end: true,
                        }]
                    }
                    _ => vec![],
                }
            }
            _ => vec![],
        }
    }

    /// Scrolling the detail; it stops where its last line is on screen.
    pub(super) fn scroll_detail(&mut self, cmd: Cmd) {
        let drawn = self.drawn.get();
        let page = drawn.detail_rows.max(1);
        let end = drawn.detail_lines.saturating_sub(drawn.detail_rows);
        let at = self.scroll.min(end);
        self.scroll = match cmd {
            Cmd::Down => (at + 1).min(end),
            Cmd::Up => at.saturating_sub(1),
            Cmd::PageDown => (at + page).min(end),
            Cmd::PageUp => at.saturating_sub(page),
            Cmd::Top => 0,
            // The end at any width: drawn smaller, the newest lines stay in view.
            Cmd::Bottom => usize::MAX,
            _ => self.scroll,
        };
    }
}
