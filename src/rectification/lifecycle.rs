//! The life of a rectification: 待整改 (open) → 整改中 (in progress) → 待复查 (fix reported) → 已销号
//! (verified), or from 待复查 back to 整改中 by 退回 (rejected). Overdue (逾期) is derived from the deadline
//! and today — never stored — and the deadline day itself is not overdue.

use chrono::NaiveDate;

use crate::i18n::Lang;
use crate::roles::Role;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Open,
    InProgress,
    FixReported,
    Verified,
    /// Withdrawn (撤销): an amendment after submit removed the failure that raised it.
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 5] =
        [Status::Open, Status::InProgress, Status::FixReported, Status::Verified, Status::Withdrawn];

    pub fn key(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::InProgress => "in_progress",
            Status::FixReported => "fix_reported",
            Status::Verified => "verified",
            Status::Withdrawn => "withdrawn",
        }
    }

    pub fn from_key(key: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Accepts the key or the Chinese label.
    pub fn parse_loose(text: &str) -> Option<Status> {
        let t = text.trim();
        Status::ALL.into_iter().find(|s| s.key() == t || s.label(Lang::Zh) == t)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Status::Open => lang.pick("待整改", "open"),
            Status::InProgress => lang.pick("整改中", "in progress"),
            Status::FixReported => lang.pick("待复查", "fix reported"),
            Status::Verified => lang.pick("已销号", "verified"),
            Status::Withdrawn => lang.pick("已撤销", "withdrawn"),
        }
    }

    /// Verified or withdrawn: nothing more happens to it, and it is never overdue.
    pub fn is_closed(self) -> bool {
        matches!(self, Status::Verified | Status::Withdrawn)
    }
}

/// What can be done to a rectification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transition {
    /// The unit has started work (待整改 → 整改中).
    Start,
    /// The unit reports the fix done (待整改/整改中 → 待复查).
    ReportFix,
    /// A supervisor checked on site and closes it (待复查 → 已销号); needs a note.
    Verify,
    /// A supervisor found the fix wanting (待复查 → 整改中, 退回); needs a note.
    Reject,
}

impl Transition {
    pub const ALL: [Transition; 4] =
        [Transition::Start, Transition::ReportFix, Transition::Verify, Transition::Reject];

    pub fn key(self) -> &'static str {
        match self {
            Transition::Start => "start",
            Transition::ReportFix => "report_fix",
            Transition::Verify => "verify",
            Transition::Reject => "reject",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Transition::Start => lang.pick("开始整改", "start"),
            Transition::ReportFix => lang.pick("报告整改完成", "report fix"),
            Transition::Verify => lang.pick("复查销号", "verify"),
            Transition::Reject => lang.pick("退回", "reject"),
        }
    }

    /// The role the transition needs.
    pub fn role(self) -> Role {
        match self {
            Transition::Start | Transition::ReportFix => Role::Inspector,
            Transition::Verify | Transition::Reject => Role::Supervisor,
        }
    }

    pub fn needs_note(self) -> bool {
        matches!(self, Transition::Verify | Transition::Reject)
    }

    /// Whether proof of the fix (photos, a new licence) can be attached: reporting it and verifying it.
    pub fn takes_evidence(self) -> bool {
        matches!(self, Transition::ReportFix | Transition::Verify)
    }

    /// The status after the transition, or `None` when it does not apply to `from`.
    pub fn apply(self, from: Status) -> Option<Status> {
        match (self, from) {
            (Transition::Start, Status::Open) => Some(Status::InProgress),
            (Transition::ReportFix, Status::Open | Status::InProgress) => Some(Status::FixReported),
            (Transition::Verify, Status::FixReported) => Some(Status::Verified),
            (Transition::Reject, Status::FixReported) => Some(Status::InProgress),
            _ => None,
        }
    }
}

/// Whether the transition must be confirmed before it is written: verifying a major-hazard (重大事故隐患)
/// rectification without any fix evidence (`fix_files`: those attached to its earlier events and those
/// being attached now) — the console asks a second time, and `ops` refuses it unconfirmed.
pub fn needs_confirmation(t: Transition, major_hazard: bool, fix_files: usize) -> bool {
    t == Transition::Verify && major_hazard && fix_files == 0
}

/// Extending a deadline needs a supervisor and a reason.
pub const EXTEND_ROLE: Role = Role::Supervisor;

/// Settling a conflict (choosing between two databases' changes) needs a supervisor and a note.
pub const SETTLE_ROLE: Role = Role::Supervisor;

/// What settling is called where a refusal names it.
pub fn settle_label(lang: Lang) -> &'static str {
    lang.pick("裁决冲突", "settling a conflict")
}

/// Days past the deadline on `today`; 0 on or before the deadline day and for closed (verified or
/// withdrawn) rectifications.
pub fn days_overdue(status: Status, deadline: NaiveDate, today: NaiveDate) -> i64 {
    if status.is_closed() { 0 } else { (today - deadline).num_days().max(0) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn transitions_follow_the_lifecycle_and_nothing_else() {
        use Status::*;
        use Transition::*;
        let allowed = [
            (Start, Open, InProgress),
            (ReportFix, Open, FixReported),
            (ReportFix, InProgress, FixReported),
            (Verify, FixReported, Verified),
            (Reject, FixReported, InProgress),
        ];
        for t in Transition::ALL {
            for from in Status::ALL {
                let expected = allowed.iter().find(|(tt, f, _)| *tt == t && *f == from).map(|(_, _, to)| *to);
                assert_eq!(t.apply(from), expected, "{t:?} from {from:?}");
            }
        }
    }

    #[test]
    fn overdue_starts_the_day_after_the_deadline() {
        let deadline = d("2026-12-31");
        let cases = [("2026-12-30", 0), ("2026-12-31", 0), ("2027-01-01", 1), ("2027-03-01", 60)];
        for (today, days) in cases {
            assert_eq!(days_overdue(Status::Open, deadline, d(today)), days, "{today}");
        }
        assert_eq!(days_overdue(Status::Verified, deadline, d("2027-03-01")), 0);
        assert_eq!(days_overdue(Status::Withdrawn, deadline, d("2027-03-01")), 0);
        // Across a leap day.
        assert_eq!(days_overdue(Status::InProgress, d("2028-02-28"), d("2028-03-01")), 2);
    }

    #[test]
    fn only_verifying_a_major_hazard_without_any_fix_evidence_needs_confirmation() {
        for t in Transition::ALL {
            for (major, files) in [(false, 0), (false, 2), (true, 0), (true, 1)] {
                let expected = t == Transition::Verify && major && files == 0;
                assert_eq!(
                    needs_confirmation(t, major, files),
                    expected,
                    "{t:?} major {major} files {files}"
                );
            }
        }
        let takes: Vec<_> = Transition::ALL.into_iter().filter(|t| t.takes_evidence()).collect();
        assert_eq!(takes, vec![Transition::ReportFix, Transition::Verify]);
    }

    #[test]
    fn verifying_and_rejecting_need_a_supervisor_and_a_note() {
        assert_eq!(Transition::Verify.role(), Role::Supervisor);
        assert_eq!(Transition::Reject.role(), Role::Supervisor);
        assert_eq!(Transition::Start.role(), Role::Inspector);
        assert!(Transition::Verify.needs_note() && Transition::Reject.needs_note());
        assert!(!Transition::ReportFix.needs_note());
    }
}
