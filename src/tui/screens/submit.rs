//! Submit: the inspectors and the site's representative sign off (or the representative's refusal to sign,
//! 拒签, is recorded); everything still missing is listed; a last confirmation says what submitting does.
//! For a duty log's shift it is the handover (交接班): the officers sign, there is no site representative.

use ratatui::crossterm::event::KeyEvent;

use crate::inspection::SignOff;
use crate::tui::field::Field;
use crate::tui::keymap::Ctx;

#[derive(Debug)]
pub struct SubmitForm {
    pub focus: usize,
    pub inspectors: Field,
    pub representative: Field,
    /// The representative refused to sign (拒签), recorded as such.
    pub refused: bool,
    /// A duty log's shift handover: no site representative.
    pub log: bool,
    /// The last question is on screen: Enter submits, Esc goes back to the form.
    pub confirming: bool,
    pub error: Option<String>,
}

impl SubmitForm {
    /// The form opens on the first field to fill: the representative's name when the inspectors are
    /// already there (they come from the inspection), else the inspectors.
    pub fn new(inspectors: &[String], log: bool) -> Self {
        let named = inspectors.iter().any(|n| !n.trim().is_empty());
        SubmitForm {
            focus: usize::from(named && !log),
            inspectors: Field::new(inspectors.join("、")),
            representative: Field::default(),
            refused: false,
            log,
            confirming: false,
            error: None,
        }
    }

    pub fn contexts(&self) -> Vec<Ctx> {
        if self.confirming {
            vec![Ctx::Confirm, Ctx::Global]
        } else {
            vec![Ctx::Submit, Ctx::Save, Ctx::Editing]
        }
    }

    fn fields(&self) -> usize {
        if self.log { 1 } else { 2 }
    }

    pub fn focus_next(&mut self) {
        self.focus = (self.focus + 1) % self.fields();
    }

    /// Whether the focus is on the last field (Enter there submits).
    pub fn on_last(&self) -> bool {
        self.focus + 1 == self.fields()
    }

    /// Records, or takes back, the representative's refusal to sign.
    pub fn toggle_refused(&mut self) {
        if !self.log {
            self.refused = !self.refused;
            self.error = None;
        }
    }

    /// The sign-off as the form holds it (`None` when neither a name nor a refusal is given).
    pub fn sign_off(&self) -> Option<SignOff> {
        SignOff::from_form(self.representative.value(), self.refused)
    }

    fn field(&mut self) -> &mut Field {
        if self.focus == 0 { &mut self.inspectors } else { &mut self.representative }
    }

    pub fn key(&mut self, ev: &KeyEvent) {
        self.error = None;
        self.field().key(ev);
    }

    pub fn paste(&mut self, text: &str) {
        self.field().paste(text);
    }
}

#[cfg(test)]
mod tests {
    use super::SubmitForm;

    #[test]
    fn the_form_opens_on_the_first_field_to_fill() {
        assert_eq!(SubmitForm::new(&["王芳".into(), "李强".into()], false).focus, 1, "the representative");
        assert_eq!(SubmitForm::new(&[], false).focus, 0, "no inspectors yet");
        assert_eq!(SubmitForm::new(&[" ".into()], false).focus, 0, "a blank name is no inspector");
        assert_eq!(SubmitForm::new(&["王芳".into()], true).focus, 0, "a duty shift has one field");
    }
}
