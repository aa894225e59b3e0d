//! Option numbers typed as digits. With up to 9 options one digit answers at once, as always. With 10 or
//! more, a digit that could start a longer number (`1` of 12 options: 1, 10, 11 or 12) waits: the next digit
//! completes it (`1` `0` is option 10), Enter takes it as typed, and so does a pause of [`WAIT`]. A digit
//! that cannot start a longer number (`2` of 12, or the `0` of `1` `0`) answers at once, so only the
//! ambiguous digits wait. The time comes in with the actions (`Action::Clock`, before each key and every
//! quarter second while idle): the reducer keeps no timer.

use chrono::{NaiveDateTime, TimeDelta};

use super::{Editor, Entry, Inspect, Mode, Pane};
use crate::checklist::AnswerKind;
use crate::i18n::Lang;
use crate::inspection::Value;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::effect::Effect;
use crate::tui::keymap::Cmd;

/// How long a digit that may start a longer number waits for the next one.
pub const WAIT: TimeDelta = TimeDelta::milliseconds(1000);

/// The start of an option number, waiting for another digit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Typed {
    pub number: usize,
    pub at: NaiveDateTime,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Digit {
    Wait(Typed),
    Pick(usize),
    /// No option has this number.
    NoSuch(usize),
}

/// What digit `d` does after `typed`, among `options` options.
pub fn digit(typed: Option<Typed>, d: u8, options: usize, now: NaiveDateTime) -> Digit {
    let number = typed.map_or(0, |t| t.number).saturating_mul(10).saturating_add(usize::from(d));
    if number == 0 || number > options {
        Digit::NoSuch(number)
    } else if number.saturating_mul(10) > options {
        Digit::Pick(number)
    } else {
        Digit::Wait(Typed { number, at: now })
    }
}

/// The line shown while a number waits for its next digit.
pub fn hint(typed: &Typed, lang: Lang) -> String {
    let n = typed.number;
    match lang {
        Lang::Zh => format!("已输入 {n}：再按一位数字，或按 Enter（稍停也可）选第 {n} 项"),
        Lang::En => format!("typed {n}: another digit, or Enter (or a pause) for option {n}"),
    }
}

impl Inspect {
    /// How many options the digits choose among here: a choice item being answered, or the open
    /// multiple-choice editor.
    pub(super) fn digit_options(&self) -> Option<usize> {
        let slot = self.current_slot().filter(|s| self.opened.sheet.visible(*s))?;
        let kind = &self.opened.sheet.item(slot).kind;
        match (&self.mode, kind) {
            (Mode::Browse, AnswerKind::Choice(opts)) if self.pane == Pane::Item => Some(opts.len()),
            (Mode::Edit { editor: Editor::Multi { .. }, .. }, AnswerKind::MultiChoice(opts)) => {
                Some(opts.len())
            }
            _ => None,
        }
    }

    /// Digits, and Enter, Esc and the clock while a number is being typed. `None`: not for this code, the
    /// action goes on as usual (any other command first drops a number being typed).
    pub(super) fn number_keys(&mut self, app: &mut App, action: &Action) -> Option<Vec<Effect>> {
        let options = self.digit_options();
        match (action, options) {
            (Action::Cmd(Cmd::Option(d)), Some(options)) => {
                Some(match digit(self.typed.take(), *d, options, app.now) {
                    Digit::Wait(typed) => {
                        self.typed = Some(typed);
                        vec![]
                    }
                    Digit::Pick(n) => self.pick(app, n),
                    Digit::NoSuch(n) => {
                        app.error(match app.lang {
                            Lang::Zh => format!("没有第 {n} 项（共 {options} 项）"),
                            Lang::En => format!("there is no option {n} ({options} options)"),
                        });
                        vec![]
                    }
                })
            }
            (Action::Clock(now), _) => {
                let typed = self.typed.filter(|t| *now - t.at >= WAIT)?;
                self.typed = None;
                Some(if options.is_some() { self.pick(app, typed.number) } else { vec![] })
            }
            (Action::Cmd(cmd), _) => {
                let typed = self.typed.take()?;
                match cmd {
                    Cmd::Edit | Cmd::Enter if options.is_some() => Some(self.pick(app, typed.number)),
                    // Esc drops the number only.
                    Cmd::Back => Some(vec![]),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Chooses option `n` (from 1): answers a choice item, or toggles it in the multiple-choice editor.
    fn pick(&mut self, app: &mut App, n: usize) -> Vec<Effect> {
        let Some(Entry::Slot(slot)) = self.current() else { return vec![] };
        if let Mode::Edit { editor: Editor::Multi { chosen }, .. } = &mut self.mode {
            if let Some(c) = chosen.get_mut(n.wrapping_sub(1)) {
                *c = !*c;
            }
            return vec![];
        }
        let AnswerKind::Choice(opts) = &self.opened.sheet.item(slot).kind else {
            return vec![];
        };
        let Some(opt) = opts.get(n.wrapping_sub(1)) else {
            return vec![];
        };
        let finding = opt.fail.then(|| self.finding_for(app, slot));
        self.give(slot, Value::Choice(opt.key.clone()), finding, super::AfterSave::Answered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(s, 0).map(|d| d.naive_utc()).unwrap_or_default()
    }

    #[test]
    fn only_a_digit_that_can_start_a_longer_number_waits() {
        for d in 1..=9 {
            assert_eq!(digit(None, d, 9, at(0)), Digit::Pick(usize::from(d)), "9 options: at once");
        }
        let one = Typed { number: 1, at: at(0) };
        assert_eq!(digit(None, 1, 12, at(0)), Digit::Wait(one));
        assert_eq!(digit(Some(one), 0, 12, at(0)), Digit::Pick(10));
        assert_eq!(digit(Some(one), 2, 12, at(0)), Digit::Pick(12));
        assert_eq!(digit(Some(one), 3, 12, at(0)), Digit::NoSuch(13));
        assert_eq!(digit(None, 2, 12, at(0)), Digit::Pick(2), "no option 20 to wait for");
        assert_eq!(digit(None, 0, 12, at(0)), Digit::NoSuch(0));
        assert_eq!(digit(None, 2, 25, at(0)), Digit::Wait(Typed { number: 2, at: at(0) }));
    }
}
