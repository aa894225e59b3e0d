//! A write that meets another program's write lock is kept and retried, in order, never lost.

use super::*;
use crate::tui::app::{busy_note, hold_writes};

fn resume(at: &str) -> Effect {
    Effect::Resume { inspection_id: "i1".into(), at: at.into() }
}

#[test]
fn a_busy_write_is_kept_shown_and_run_again_on_the_next_tick() {
    let mut app = app();
    assert!(update(&mut app, Action::Busy(Box::new(resume("a")))).is_empty(), "nothing runs at once");
    assert_eq!(app.message.as_ref().map(|m| m.text.as_str()), Some(busy_note(Lang::Zh)));
    assert_eq!(update(&mut app, Action::Clock(now())), vec![resume("a")], "the tick runs it again");
    assert!(app.retry.is_empty());
    // Still busy: it comes back and waits again.
    update(&mut app, Action::Busy(Box::new(resume("a"))));
    assert_eq!(app.retry.len(), 1);
    // It went through: the busy message goes.
    assert_eq!(update(&mut app, Action::Clock(now())), vec![resume("a")]);
    update(&mut app, Action::Done);
    assert!(app.message.is_none(), "{:?}", app.message);
}

#[test]
fn writes_asked_for_while_one_waits_queue_behind_it_in_order() {
    let mut app = app();
    update(&mut app, Action::Busy(Box::new(resume("a"))));
    // What a screen's reducer asks for next, as `update` passes it through.
    let effects = hold_writes(&mut app, vec![resume("b"), Effect::LoadHome]);
    assert_eq!(effects, vec![Effect::LoadHome], "reads still run");
    assert_eq!(update(&mut app, Action::Clock(now())), vec![resume("a")]);
    assert_eq!(update(&mut app, Action::Clock(now())), vec![resume("b")]);
    assert!(update(&mut app, Action::Clock(now())).iter().all(|e| !e.writes()));
}
