//! Keys to complete an all-pass checklist of 40 items, from the home screen to the submit effect, through
//! the reducer (issue 12): counted, not timed. Every press of a key counts one; a name typed counts one per
//! character (with a Chinese input method it is more). The executor's answers (sites found, names loaded,
//! the inspection opened, each answer saved) are made up here and cost no key.

use super::*;

/// A checklist of four sections of ten pass/fail checks each.
fn forty_checks() -> String {
    let mut toml = String::from(
        "id = \"tui_test\"\nversion = 1\ntitle = \"四十项检查表\"\ndomain = \"elderly_care\"\n\
         site_kinds = [\"elderly_care\"]\nmin_inspectors = 2\n",
    );
    for s in 1..=4 {
        toml.push_str(&format!("[[sections]]\nid = \"s{s}\"\ntitle = \"第{s}部分\"\n"));
        for i in 1..=10 {
            toml.push_str(&format!(
                "  [[sections.items]]\n  id = \"s{s}_i{i}\"\n  prompt = \"第{s}部分第{i}项是否符合要求？\"\n  kind = \"check\"\n"
            ));
        }
    }
    toml
}

struct Counted {
    app: App,
    keys: usize,
}

impl Counted {
    fn press(&mut self, ev: KeyEvent) -> Vec<Effect> {
        self.keys += 1;
        press(&mut self.app, ev)
    }

    fn char(&mut self, c: char) -> Vec<Effect> {
        self.press(key(KeyCode::Char(c)))
    }

    /// Feeds the executor's answer to every saved answer.
    fn saved(&mut self, effects: &[Effect]) {
        for effect in effects {
            let action = saved(&self.app, effect);
            assert_eq!(update(&mut self.app, action), vec![]);
        }
    }
}

/// Home → n → the domain → the site → the checklist → the inspectors (prefilled with the names last used):
/// the inspection opened on its first item.
fn started() -> Counted {
    let mut c = Counted { app: app(), keys: 0 };
    assert_eq!(c.char('n'), vec![]);
    assert_eq!(c.press(key(KeyCode::Enter)), vec![Effect::LoadSites(Domain::ElderlyCare)]);
    let sites = vec![site("YL012", "下原镇敬老院", "下原镇")];
    let page = crate::store::sites::Page { sites, total: 1, capped: false, offset: 0 };
    update(&mut c.app, Action::SitesFound { query: String::new(), page });
    assert_eq!(c.press(key(KeyCode::Enter)), vec![], "the site");
    assert_eq!(c.press(key(KeyCode::Enter)), vec![Effect::LoadNames], "the checklist");
    let names = vec!["王芳".to_string(), "李强".to_string()];
    update(&mut c.app, Action::NamesLoaded { last: names.clone(), registered: names });
    let effects = c.press(key(KeyCode::Enter));
    assert!(matches!(&effects[..], [Effect::Start { .. }]), "{effects:?}");
    let source = forty_checks();
    let mut opened = opened(Status::Draft, &[]);
    opened.sheet = Sheet::new(parse_checklist(&source).unwrap(), SiteFacts::from(&opened.site));
    opened.snapshot.source = source;
    assert_eq!(update(&mut c.app, Action::Opened(Box::new(opened))), vec![]);
    assert_eq!(current_id(&c.app), "s1_i1");
    c
}

/// `s` (the form opens on the representative, the inspectors being there), the representative's name,
/// Ctrl-S and the confirmation: the submit effect.
fn submit(c: &mut Counted) {
    assert_eq!(c.char('s'), vec![]);
    assert!(
        matches!(&inspect(&c.app).mode, Mode::Submit(f) if f.focus == 1),
        "s opens on the representative"
    );
    for ch in "张三".chars() {
        assert_eq!(c.char(ch), vec![]);
    }
    assert_eq!(c.press(ctrl('s')), vec![], "Ctrl-S asks for the confirmation");
    let effects = c.press(key(KeyCode::Enter));
    assert!(
        matches!(&effects[..], [Effect::Submit { representative, .. }] if representative == "张三"),
        "{effects:?}"
    );
}

fn answered(c: &Counted) -> usize {
    inspect(&c.app).opened.sheet.answers.len()
}

#[test]
fn an_all_pass_forty_item_checklist_takes_one_key_per_item_and_ten_more() {
    let mut c = started();
    let setup = c.keys;
    for _ in 0..40 {
        let effects = c.char('1');
        assert_eq!(effects.len(), 1, "each 1 saves one answer: {effects:?}");
        c.saved(&effects);
    }
    assert_eq!(answered(&c), 40);
    let answering = c.keys - setup;
    submit(&mut c);
    // 5 to start (n, domain, site, checklist, inspectors), 40 answers, 5 to submit (s, 2 characters
    // of the name, Ctrl-S, Enter).
    assert_eq!((setup, answering, c.keys), (5, 40, 50));
}

#[test]
fn with_the_mark_section_pass_key_it_takes_two_keys_a_section_and_eighteen_in_all() {
    let mut c = started();
    for section in 1..=4 {
        // After a section is marked the cursor is already on the next one's first item.
        assert_eq!(current_id(&c.app), format!("s{section}_i1"));
        assert_eq!(c.char('p'), vec![], "p asks first");
        let effects = c.press(key(KeyCode::Enter));
        assert_eq!(effects.len(), 10, "the section's ten checks: {effects:?}");
        c.saved(&effects);
        assert_eq!(answered(&c), section * 10);
    }
    submit(&mut c);
    // 5 to start, p + Enter in each of the 4 sections, 5 to submit.
    assert_eq!(c.keys, 5 + 8 + 5);
}
