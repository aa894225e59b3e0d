//! Following a rectification up: transitions, deadline extensions, notes and the settling of a conflict,
//! each checked against the lifecycle and the acting user's role, each one transaction.

use chrono::NaiveDate;

use std::path::PathBuf;

use super::lifecycle::{EXTEND_ROLE, SETTLE_ROLE, Status, Transition, needs_confirmation, settle_label};
use crate::i18n::Lang;
use crate::roles::{Role, RoleError, require};
use crate::store::fix_evidence::{self, FixFile};
use crate::store::rectifications::{self, Rectification};
use crate::store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum FollowError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("no rectification {0}")]
    NotFound(String),
    #[error(transparent)]
    Role(#[from] RoleError),
    #[error("cannot {} a rectification that is {}", .transition.key(), .status.key())]
    NotAllowed { status: Status, transition: Transition },
    #[error("{} needs a note", .0.key())]
    NoteRequired(Transition),
    #[error("extending a deadline needs a reason")]
    ReasonRequired,
    #[error("the new deadline {new} must be later than the current one {old}")]
    NotLater { old: String, new: String },
    #[error("a verified or withdrawn rectification is closed")]
    Closed,
    #[error("the note is empty")]
    EmptyNote,
    // Short enough for the console's message line at 80 columns.
    #[error("in conflict (changed on two databases): a supervisor must settle it first")]
    InConflict,
    #[error("the rectification is not in conflict")]
    NotInConflict,
    #[error("{0} is not one of the branches of the conflict (settled or changed meanwhile?)")]
    UnknownBranch(String),
    #[error("settling a conflict needs a note")]
    SettleNoteRequired,
    #[error("files can be attached only when a fix is reported or verified, not to {}", .0.key())]
    NoEvidenceHere(Transition),
    #[error("verifying a major hazard without any fix evidence must be confirmed")]
    MajorHazardUnconfirmed,
}

impl FollowError {
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            FollowError::Store(e) => format!("保存失败：{e}"),
            FollowError::NotFound(id) => format!("找不到整改事项 {id}"),
            FollowError::Role(e) => e.message(lang),
            FollowError::NotAllowed { status, transition } => {
                format!("“{}”的整改事项不能{}", status.label(Lang::Zh), transition.label(Lang::Zh))
            }
            FollowError::NoteRequired(t) => format!("{}需要填写说明", t.label(Lang::Zh)),
            FollowError::ReasonRequired => "延期需要填写理由".into(),
            FollowError::NotLater { old, new } => format!("新期限 {new} 必须晚于原期限 {old}"),
            FollowError::Closed => "已销号或已撤销的整改事项不能再修改".into(),
            FollowError::EmptyNote => "跟进记录不能为空".into(),
            FollowError::InConflict => {
                "此整改事项在两处从同一状态各自作了修改（冲突），须科室负责人先裁决".into()
            }
            FollowError::NotInConflict => "此整改事项没有冲突，无需裁决".into(),
            FollowError::UnknownBranch(_) => {
                "所选分支已不是此冲突的分支（可能已有人裁决），请重新打开".into()
            }
            FollowError::SettleNoteRequired => "裁决冲突需要填写理由".into(),
            FollowError::NoEvidenceHere(t) => {
                format!("只有报告整改完成和复查时可附整改证据，{}不能", t.label(Lang::Zh))
            }
            FollowError::MajorHazardUnconfirmed => "重大事故隐患没有任何整改证据，复查销号须再次确认".into(),
        }
    }
}

pub type Result<T> = std::result::Result<T, FollowError>;

fn extend_label(lang: Lang) -> &'static str {
    lang.pick("延期", "extending a deadline")
}

fn note_label(lang: Lang) -> &'static str {
    lang.pick("添加跟进记录", "adding a note")
}

fn load(conn: &rusqlite::Connection, id: &str) -> Result<(Rectification, Status)> {
    let r = rectifications::get(conn, id)?.ok_or_else(|| FollowError::NotFound(id.into()))?;
    let status = Status::from_key(&r.status).ok_or_else(|| FollowError::NotFound(id.into()))?;
    Ok((r, status))
}

/// Refuses a change while the rectification is in conflict: its status is only the state both branches
/// started from, so a transition or an extension would build on neither.
fn refuse_conflict(conn: &rusqlite::Connection, id: &str) -> Result<()> {
    if rectifications::folded(conn, id)?.conflict { Err(FollowError::InConflict) } else { Ok(()) }
}

/// Applies a transition without files; returns the new status. Verifying a major hazard that has no fix
/// evidence is refused here: that needs [`transition_with`] and a confirmation.
pub fn transition(
    store: &mut Store,
    user: &str,
    id: &str,
    t: Transition,
    note: &str,
    lang: Lang,
) -> Result<Status> {
    transition_with(store, user, id, t, note, &Proof::default(), lang).map(|(status, _)| status)
}

/// The proof given with a transition: files to attach to its event, and whether the user confirmed
/// verifying a major hazard without any (see [`needs_confirmation`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Proof {
    pub files: Vec<PathBuf>,
    pub confirmed_without_evidence: bool,
}

/// Applies a transition with its proof, in one transaction: the event, then each file through the
/// evidence store, audited; a file that cannot be read refuses the whole follow-up. Returns the new
/// status and the files attached.
pub fn transition_with(
    store: &mut Store,
    user: &str,
    id: &str,
    t: Transition,
    note: &str,
    proof: &Proof,
    lang: Lang,
) -> Result<(Status, Vec<FixFile>)> {
    require(store, user, t.role(), t.label(lang))?;
    if t.needs_note() && note.trim().is_empty() {
        return Err(FollowError::NoteRequired(t));
    }
    if !proof.files.is_empty() && !t.takes_evidence() {
        return Err(FollowError::NoEvidenceHere(t));
    }
    let root = store.evidence_root();
    store.write(|tx| {
        let (r, status) = load(tx, id)?;
        refuse_conflict(tx, id)?;
        let to = t.apply(status).ok_or(FollowError::NotAllowed { status, transition: t })?;
        let before = usize::try_from(fix_evidence::count(tx, id)?).unwrap_or(0);
        let unproven = needs_confirmation(t, r.major_hazard, before + proof.files.len());
        if unproven && !proof.confirmed_without_evidence {
            return Err(FollowError::MajorHazardUnconfirmed);
        }
        let event = rectifications::set_status(tx, user, id, status.key(), to.key(), note.trim())?;
        let files = proof
            .files
            .iter()
            .map(|path| fix_evidence::attach(tx, user, id, &event, path, &root))
            .collect::<crate::store::Result<Vec<_>>>()?;
        if unproven {
            crate::store::audit::record(
                tx,
                crate::store::audit::Entry {
                    actor: user,
                    action: "rectification.verify_without_evidence",
                    entity: "rectification",
                    entity_id: id,
                    old: None,
                    new: Some(
                        serde_json::json!({ "event_id": event, "major_hazard": true, "confirmed": true }),
                    ),
                },
            )?;
        }
        Ok((to, files))
    })
}

/// Moves the deadline later, with a reason; the history keeps every earlier deadline.
pub fn extend(
    store: &mut Store,
    user: &str,
    id: &str,
    new: NaiveDate,
    reason: &str,
    lang: Lang,
) -> Result<()> {
    require(store, user, EXTEND_ROLE, extend_label(lang))?;
    if reason.trim().is_empty() {
        return Err(FollowError::ReasonRequired);
    }
    store.write(|tx| {
        let (r, status) = load(tx, id)?;
        refuse_conflict(tx, id)?;
        if status.is_closed() {
            return Err(FollowError::Closed);
        }
        let new = new.format("%Y-%m-%d").to_string();
        if new <= r.deadline {
            return Err(FollowError::NotLater { old: r.deadline, new });
        }
        rectifications::extend(tx, user, id, &r.deadline, &new, reason.trim())?;
        Ok(())
    })
}

/// Adds a follow-up note (any registered user).
pub fn note(store: &mut Store, user: &str, id: &str, note: &str, lang: Lang) -> Result<()> {
    require(store, user, Role::Inspector, note_label(lang))?;
    if note.trim().is_empty() {
        return Err(FollowError::EmptyNote);
    }
    store.write(|tx| {
        load(tx, id)?;
        rectifications::add_note(tx, user, id, note.trim())?;
        Ok(())
    })
}

/// Settles a conflict: the branch ending at `chosen` (one of the heads, see
/// [`super::conflict::Conflict`]) is taken, its status and deadline become the rectification's, and the
/// other branches stay in the history. Returns the status it now has.
pub fn settle(
    store: &mut Store,
    user: &str,
    id: &str,
    chosen: &str,
    note: &str,
    lang: Lang,
) -> Result<Status> {
    require(store, user, SETTLE_ROLE, settle_label(lang))?;
    if note.trim().is_empty() {
        return Err(FollowError::SettleNoteRequired);
    }
    store.write(|tx| {
        load(tx, id)?;
        let f = rectifications::folded(tx, id)?;
        if !f.conflict {
            return Err(FollowError::NotInConflict);
        }
        if !f.heads.iter().any(|h| h == chosen) {
            return Err(FollowError::UnknownBranch(chosen.into()));
        }
        let status = rectifications::settle(tx, user, id, chosen, note.trim())?;
        Status::from_key(&status).ok_or_else(|| FollowError::NotFound(id.into()))
    })
}

/// A follow-up as [`precheck`] names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FollowAct {
    Transition(Transition),
    Extend,
    Note,
}

/// Whether `user` (whose role is `role`; `None`: not registered) may give the follow-up `act` to a
/// rectification now `status`, and in conflict or not — what a console can tell before anything is typed.
/// The operations above check the same rules again on the stored state when the follow-up is written.
pub fn precheck(
    user: &str,
    role: Option<Role>,
    status: Status,
    conflict: bool,
    act: FollowAct,
    lang: Lang,
) -> Result<()> {
    match act {
        FollowAct::Transition(t) => {
            crate::roles::check(user, role, t.role(), t.label(lang))?;
            if conflict {
                return Err(FollowError::InConflict);
            }
            t.apply(status).map(|_| ()).ok_or(FollowError::NotAllowed { status, transition: t })
        }
        FollowAct::Extend => {
            crate::roles::check(user, role, EXTEND_ROLE, extend_label(lang))?;
            if conflict {
                return Err(FollowError::InConflict);
            }
            if status.is_closed() { Err(FollowError::Closed) } else { Ok(()) }
        }
        FollowAct::Note => {
            crate::roles::check(user, role, Role::Inspector, note_label(lang))?;
            Ok(())
        }
    }
}
