//! The settings screen's effects: reading the settings and users, and changing a setting through
//! [`crate::bureau::set`], the one rule the command line also uses (admin role, the setting's check, audit).

use super::Executor;
use crate::bureau::{self, Key};
use crate::tui::action::Action;

impl Executor {
    pub(super) fn load_settings(&self) -> Action {
        match crate::tui::screens::settings::load(self.store.conn(), &self.user) {
            Ok(data) => Action::SettingsLoaded(Box::new(data)),
            Err(e) => self.fail(e),
        }
    }

    pub(super) fn set_setting(&mut self, key: Key, value: &str) -> Action {
        match bureau::set(&mut self.store, &self.user, key, Some(value), self.lang) {
            Ok(changed) => match bureau::value(self.store.conn(), key) {
                Ok(value) => Action::SettingSaved { key, changed, value },
                Err(e) => self.fail(e),
            },
            Err(e) => Action::SettingRefused(e.message(self.lang)),
        }
    }
}
