//! Submit: the inspectors and the site's representative sign off; what is still missing is listed.

use ratatui::crossterm::event::KeyEvent;

use crate::tui::field::Field;

#[derive(Debug)]
pub struct SubmitForm {
    pub focus: usize,
    pub inspectors: Field,
    pub representative: Field,
    pub error: Option<String>,
}

impl SubmitForm {
    pub fn new(inspectors: &[String]) -> Self {
        SubmitForm {
            focus: 0,
            inspectors: Field::new(inspectors.join("、")),
            representative: Field::default(),
            error: None,
        }
    }

    pub fn focus_next(&mut self) {
        self.focus = (self.focus + 1) % 2;
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
