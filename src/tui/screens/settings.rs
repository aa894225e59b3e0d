//! The bureau's settings (局设置) in the console, the admin view: the four settings with their values (or
//! 默认 and the default), who changed each and when, and the users with their certificate numbers. An admin
//! edits a value with Enter in a one-line field; Enter saves it through [`crate::bureau::set`] (by the effect
//! executor), Esc cancels; a value the setting's check refuses is explained under the field and not saved.
//! Everyone else sees the same, read-only. Drawing is in `settings_view`.

use crate::bureau::{self, Key};
use crate::roles::{self, Role};
use crate::store::users::User;
use crate::tui::action::Action;
use crate::tui::app::{App, Screen, Step};
use crate::tui::effect::Effect;
use crate::tui::field::Field;
use crate::tui::keymap::{Cmd, Ctx};

use super::home::Home;

/// One setting as the screen shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting {
    pub key: Key,
    /// The value in force (the default while none is set).
    pub value: String,
    /// Who set it and when; `None` while it is at its default.
    pub changed: Option<(String, String)>,
}

/// What the screen reads: the settings, the users, and the console user's role (`None`: not registered),
/// read together so that an edit the role does not allow is refused before anything is typed.
#[derive(Clone, Debug, PartialEq)]
pub struct SettingsData {
    pub settings: Vec<Setting>,
    pub users: Vec<User>,
    pub role: Option<Role>,
}

/// A value being edited.
#[derive(Clone, Debug)]
pub struct Editor {
    pub key: Key,
    pub field: Field,
    /// Why the value typed was refused (the setting's check, or the save), shown under the field.
    pub error: Option<String>,
}

#[derive(Debug, Default)]
pub struct Settings {
    pub data: Option<SettingsData>,
    pub selected: usize,
    pub editor: Option<Editor>,
}

/// What changing a setting is called in a refusal.
pub fn change_label(lang: crate::i18n::Lang) -> &'static str {
    lang.pick("修改局设置", "changing the bureau's settings")
}

impl Settings {
    pub fn open() -> (Settings, Effect) {
        (Settings::default(), Effect::LoadSettings)
    }

    pub fn contexts(&self) -> Vec<Ctx> {
        if self.editor.is_some() { vec![Ctx::Editing] } else { vec![Ctx::Settings, Ctx::Global] }
    }

    /// Whether the console user may change the settings (as last read).
    pub fn admin(&self) -> bool {
        self.data.as_ref().is_some_and(|d| d.role.is_some_and(|r| r.allows(Role::Admin)))
    }

    /// The footer offers editing to admins only.
    pub fn applies(&self, cmd: Cmd) -> bool {
        cmd != Cmd::Enter || self.editor.is_some() || self.admin()
    }

    fn selected_setting(&self) -> Option<&Setting> {
        self.data.as_ref().and_then(|d| d.settings.get(self.selected))
    }

    pub fn update(&mut self, app: &mut App, action: Action) -> Step {
        if self.editor.is_some() {
            return self.update_editing(app, action);
        }
        let count = self.data.as_ref().map_or(0, |d| d.settings.len());
        match action {
            Action::SettingsLoaded(data) => {
                self.selected = self.selected.min(data.settings.len().saturating_sub(1));
                self.data = Some(*data);
            }
            Action::Cmd(Cmd::Down) if count > 0 => self.selected = (self.selected + 1).min(count - 1),
            Action::Cmd(Cmd::Up) => self.selected = self.selected.saturating_sub(1),
            Action::Cmd(Cmd::Enter) => self.start_editing(app),
            Action::Cmd(Cmd::Back) => return (Some(Screen::Home(Home::default())), vec![Effect::LoadHome]),
            _ => {}
        }
        (None, vec![])
    }

    fn start_editing(&mut self, app: &mut App) {
        let Some(data) = &self.data else { return };
        if let Err(e) = roles::check(&app.user, data.role, Role::Admin, change_label(app.lang)) {
            app.error(e.message(app.lang));
            return;
        }
        if let Some(s) = self.selected_setting() {
            self.editor = Some(Editor { key: s.key, field: Field::new(s.value.clone()), error: None });
        }
    }

    fn update_editing(&mut self, app: &mut App, action: Action) -> Step {
        let lang = app.lang;
        let Some(editor) = &mut self.editor else { return (None, vec![]) };
        match action {
            Action::Cmd(Cmd::Enter) => {
                let typed = editor.field.value().to_string();
                // The setting's own check, as `bureau::set` applies it: refused here before any write.
                match editor.key.check(&typed) {
                    Err(invalid) => editor.error = Some(invalid.message(lang)),
                    Ok(_) => {
                        editor.error = None;
                        return (None, vec![Effect::SetSetting { key: editor.key, value: typed }]);
                    }
                }
            }
            Action::Cmd(Cmd::Back) => {
                self.editor = None;
                app.info(lang.pick("已取消，未保存", "cancelled; nothing was saved"));
            }
            Action::Key(ev) => {
                editor.field.key(&ev);
                editor.error = None;
            }
            Action::Paste(text) => {
                editor.field.paste(&text);
                editor.error = None;
            }
            Action::SettingSaved { key, changed, value } => {
                self.editor = None;
                let label = key.label(lang);
                app.info(match (changed, lang) {
                    (true, crate::i18n::Lang::Zh) => format!("已保存{label}：{value}"),
                    (true, crate::i18n::Lang::En) => format!("saved the {label}: {value}"),
                    (false, crate::i18n::Lang::Zh) => format!("{label}未改动"),
                    (false, crate::i18n::Lang::En) => format!("the {label} is unchanged"),
                });
                return (None, vec![Effect::LoadSettings]);
            }
            // A refusal of the save (the role, a read-only database) is shown where the value was typed.
            Action::SettingRefused(message) | Action::Failed(message) => editor.error = Some(message),
            Action::SettingsLoaded(data) => self.data = Some(*data),
            _ => {}
        }
        (None, vec![])
    }
}

/// The value as the list shows it: the value, or 默认 and the default while none is set.
pub fn shown_value(s: &Setting, lang: crate::i18n::Lang) -> String {
    if s.changed.is_some() {
        return s.value.clone();
    }
    let default = s.key.default_value();
    let default = if default.is_empty() { lang.pick("（空）", "(empty)") } else { default };
    format!("{}{default}", lang.pick("默认：", "default: "))
}

/// Reads what the screen shows (for the effect executor).
pub fn load(conn: &rusqlite::Connection, user: &str) -> crate::store::Result<SettingsData> {
    let mut settings = Vec::new();
    for key in Key::ALL {
        let stored = crate::store::bureau::get(conn, key.key())?;
        settings.push(Setting {
            key,
            value: bureau::value(conn, key)?,
            changed: stored.map(|s| (s.changed_by, s.changed_at)),
        });
    }
    Ok(SettingsData {
        settings,
        users: crate::store::users::list(conn)?,
        role: crate::store::users::role_of(conn, user)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn data(role: Option<Role>) -> SettingsData {
        SettingsData {
            settings: Key::ALL
                .iter()
                .map(|k| Setting { key: *k, value: k.default_value().to_string(), changed: None })
                .collect(),
            users: Vec::new(),
            role,
        }
    }

    fn app() -> App {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap().and_hms_opt(9, 30, 0).unwrap();
        App::new(Lang::Zh, "王芳".into(), now, Vec::new())
    }

    fn loaded(role: Option<Role>) -> (App, Settings) {
        let mut app = app();
        let mut s = Settings::default();
        s.update(&mut app, Action::SettingsLoaded(Box::new(data(role))));
        (app, s)
    }

    fn typed(s: &mut Settings, app: &mut App, text: &str) {
        for c in text.chars() {
            s.update(app, Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
        }
    }

    #[test]
    fn an_admin_edits_the_name_and_enter_asks_the_executor_to_save_it() {
        let (mut app, mut s) = loaded(Some(Role::Admin));
        s.update(&mut app, Action::Cmd(Cmd::Enter));
        assert_eq!(s.contexts(), vec![Ctx::Editing], "the field has the keyboard");
        typed(&mut s, &mut app, "如皋市民政局");
        let (_, effects) = s.update(&mut app, Action::Cmd(Cmd::Enter));
        assert_eq!(effects, vec![Effect::SetSetting { key: Key::Name, value: "如皋市民政局".into() }]);
        let saved =
            Action::SettingSaved { key: Key::Name, changed: true, value: "如皋市民政局".into() };
        let (_, effects) = s.update(&mut app, saved);
        assert!(s.editor.is_none());
        assert_eq!(effects, vec![Effect::LoadSettings], "the list is read again, with who changed it");
        assert_eq!(app.message.map(|m| m.text), Some("已保存局名：如皋市民政局".into()));
    }

    #[test]
    fn a_value_the_check_refuses_is_explained_under_the_field_and_not_saved() {
        let (mut app, mut s) = loaded(Some(Role::Admin));
        s.update(&mut app, Action::Cmd(Cmd::Down));
        s.update(&mut app, Action::Cmd(Cmd::Down));
        s.update(&mut app, Action::Cmd(Cmd::Enter));
        let editor = s.editor.as_mut().unwrap();
        assert_eq!(editor.key, Key::NoticeFormat);
        editor.field.set("督整〔{year}〕第{seq}号");
        let (_, effects) = s.update(&mut app, Action::Cmd(Cmd::Enter));
        assert!(effects.is_empty(), "nothing is saved: {effects:?}");
        let error = s.editor.as_ref().and_then(|e| e.error.clone()).unwrap_or_default();
        assert!(error.contains("{device}"), "{error}");
        typed(&mut s, &mut app, "x");
        assert_eq!(s.editor.as_ref().and_then(|e| e.error.clone()), None, "typing clears the complaint");
        // A refusal from the save itself (the role changed meanwhile) lands under the field too.
        s.update(&mut app, Action::SettingRefused("修改局设置需要管理员角色".into()));
        assert!(s.editor.as_ref().and_then(|e| e.error.as_deref()).is_some_and(|e| e.contains("管理员")));
        // So does the executor's refusal on a read-only database; the field stays open with what was typed.
        s.update(&mut app, Action::Failed(crate::tui::effect::read_only_note(Lang::Zh)));
        let editor = s.editor.as_ref().unwrap();
        assert!(editor.error.as_deref().is_some_and(|e| e.starts_with("只读")));
        assert_eq!(editor.field.value(), "督整〔{year}〕第{seq}号x");
    }

    #[test]
    fn esc_cancels_without_saving() {
        let (mut app, mut s) = loaded(Some(Role::Admin));
        s.update(&mut app, Action::Cmd(Cmd::Enter));
        typed(&mut s, &mut app, "某局");
        let (_, effects) = s.update(&mut app, Action::Cmd(Cmd::Back));
        assert!(effects.is_empty() && s.editor.is_none());
        assert_eq!(s.data.as_ref().unwrap().settings[0].value, "", "the shown value is as it was");
    }

    #[test]
    fn a_non_admin_is_refused_before_anything_is_typed() {
        for role in [Some(Role::Inspector), Some(Role::Supervisor), None] {
            let (mut app, mut s) = loaded(role);
            let (_, effects) = s.update(&mut app, Action::Cmd(Cmd::Enter));
            assert!(effects.is_empty() && s.editor.is_none(), "{role:?}");
            let shown = app.message.map(|m| m.text).unwrap_or_default();
            let why = if role.is_some() { "修改局设置需要管理员角色" } else { "未登记" };
            assert!(shown.contains(why), "{role:?}: {shown}");
            assert!(!s.applies(Cmd::Enter), "the footer offers no editing");
        }
    }

    #[test]
    fn values_at_their_default_say_so() {
        let mut s = data(None).settings.remove(0);
        assert_eq!(shown_value(&s, Lang::Zh), "默认：（空）");
        s.changed = Some(("测试员".into(), "2026-11-29T09:30:00+08:00".into()));
        s.value = "如皋市民政局".into();
        assert_eq!(shown_value(&s, Lang::Zh), "如皋市民政局");
        let seal = &data(None).settings[1];
        assert_eq!(shown_value(seal, Lang::En), "default: （盖章）");
    }
}
