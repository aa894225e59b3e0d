//! Conflicts on a rectification's detail: follow-ups that would build on neither branch are refused before
//! anything is typed, and a supervisor settles the conflict in a small form — which branch to take and
//! why. The rule (role, note, the branch being one of the heads) is the domain's (`ops::settle`); the form
//! only refuses early what it can already tell.

use ratatui::crossterm::event::KeyEvent;

use super::Board;
use crate::i18n::Lang;
use crate::rectification::FollowError;
use crate::rectification::lifecycle::{SETTLE_ROLE, settle_label};
use crate::roles;
use crate::tui::app::App;
use crate::tui::effect::{Effect, FollowUp};
use crate::tui::field::Field;
use crate::tui::keymap::{Cmd, Ctx};

#[derive(Debug)]
pub struct SettleForm {
    /// The heads of the conflict in branch order (分支 1 first), as the detail showed them.
    pub heads: Vec<String>,
    /// The branch to take (from 0), once one is chosen: nothing is chosen for the supervisor.
    pub branch: Option<usize>,
    pub note: Field,
    /// The focus is on the choice of branch (else on the note).
    pub on_branch: bool,
}

impl SettleForm {
    pub fn contexts(&self) -> Vec<Ctx> {
        let mut contexts = vec![Ctx::Settle, Ctx::Form, Ctx::Save, Ctx::Editing];
        if self.on_branch {
            contexts.insert(0, Ctx::SettleBranch);
        }
        contexts
    }

    pub fn key(&mut self, ev: &KeyEvent) {
        if !self.on_branch {
            self.note.key(ev);
        }
    }

    pub fn paste(&mut self, text: &str) {
        if !self.on_branch {
            self.note.paste(text);
        }
    }

    /// The next (or previous) branch, round the end; the first (or last) when none is chosen yet.
    fn step(&mut self, forward: bool) {
        let n = self.heads.len();
        if n == 0 {
            return;
        }
        self.branch = Some(match (self.branch, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(b), true) => (b + 1) % n,
            (Some(b), false) => (b + n - 1) % n,
        });
    }
}

/// The message after a conflict is settled.
pub fn settled_message(lang: Lang, branch: usize) -> String {
    match lang {
        Lang::Zh => format!("已裁决冲突：采用分支 {branch}"),
        Lang::En => format!("conflict settled: branch {branch} taken"),
    }
}

/// A transition or extension asked for while the rectification is in conflict.
pub(super) fn refuse_follow_up(app: &mut App) {
    app.error(FollowError::InConflict.message(app.lang));
}

impl Board {
    /// `m` on a detail in conflict: the form, unless the user's role already says no.
    pub(super) fn open_settle(&mut self, app: &mut App) {
        let Some(detail) = &self.detail else { return };
        let Some(conflict) = &detail.conflict else { return };
        if let Err(e) = roles::check(&app.user, detail.role, SETTLE_ROLE, settle_label(app.lang)) {
            app.error(e.message(app.lang));
            return;
        }
        self.settle = Some(SettleForm {
            heads: conflict.branches.iter().map(|b| b.head.clone()).collect(),
            branch: None,
            note: Field::default(),
            on_branch: true,
        });
    }

    /// A command while the settle form is open.
    pub(super) fn settle_command(&mut self, app: &mut App, cmd: Cmd) -> Vec<Effect> {
        let (Some(form), Some(detail)) = (&mut self.settle, &self.detail) else { return vec![] };
        match cmd {
            Cmd::Back => self.settle = None,
            Cmd::NextPane | Cmd::PrevPane => form.on_branch = !form.on_branch,
            Cmd::Left => form.step(false),
            Cmd::Right | Cmd::Toggle => form.step(true),
            Cmd::Option(n) if (1..=form.heads.len()).contains(&usize::from(n)) => {
                form.branch = Some(usize::from(n) - 1);
            }
            Cmd::Enter | Cmd::Save => {
                let Some(head) = form.branch.and_then(|b| form.heads.get(b)) else {
                    form.on_branch = true;
                    app.error(app.lang.pick(
                        "请先选择采用哪个分支（左右方向键或数字键）",
                        "choose the branch to take first (Left/Right or a digit)",
                    ));
                    return vec![];
                };
                let follow_up =
                    FollowUp::Settle { head: head.clone(), note: form.note.value().trim().to_string() };
                return vec![Effect::FollowUp { id: detail.rect.id.clone(), follow_up }];
            }
            _ => {}
        }
        vec![]
    }
}
