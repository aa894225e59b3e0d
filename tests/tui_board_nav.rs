#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The board through the real executor, as a supervisor moves about it: PageDown/PageUp, Home/End and g/G,
//! the total count, outlets told apart in the site column, town and site filters taking part of a name,
//! follow-ups refused before their note box opens, footers that show only keys that act, the detail
//! scrolled to its newest events, and small terminals (40×12, 20×5) and English at 80×24.

mod common;

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyCode;

use common::console::Console;
use common::inspection::fail_item;
use ducha::i18n::Lang;
use ducha::roles::Role;
use ducha::store::inspections::{self, NewRectification};
use ducha::store::{Store, rectifications, sites, snapshots, users};
use ducha::tui::action::Action;
use ducha::tui::effect::{Effect, Executor};

/// Outlets with the registry's demo names (中国福利彩票第3206xxxx号投注站), one rectification each; the
/// home 下原镇敬老院 with `home` more, the first due last year and followed up `notes` times.
fn database(dir: &std::path::Path, home_count: u32, notes: u32) -> std::path::PathBuf {
    let path = dir.join("ducha.db");
    let mut store = Store::open(&path).unwrap();
    ducha::app::seed(&mut store, "王芳").unwrap();
    let snapshot = snapshots::list(store.conn()).unwrap().remove(0);
    // Real items of the checklist, so the detail has their prompts.
    let checklist = ducha::checklist::parse_checklist(&snapshot.source).unwrap();
    let items: Vec<(String, String)> =
        checklist.items().map(|(_, item)| (item.id.clone(), item.prompt.clone())).collect();
    let mut places: Vec<(sites::Site, u32)> = ["32068012", "32068015", "32068016", "32068023", "32068031"]
        .iter()
        .map(|code| (sites::by_code(store.conn(), code).unwrap().unwrap(), 1))
        .collect();
    places.push((sites::by_code(store.conn(), "YL012").unwrap().unwrap(), home_count));
    store
        .write(|tx| -> ducha::store::Result<()> {
            users::upsert(tx, "王芳", "检查员甲", Role::Inspector)?;
            users::upsert(tx, "王芳", "科长乙", Role::Supervisor)?;
            let mut n = 0i64;
            for (site, count) in &places {
                let insp = inspections::create(tx, "王芳", &site.id, &snapshot.id, &["王芳".into()])?;
                for i in 0..*count {
                    n += 1;
                    let item = items[i as usize % items.len()].0.clone();
                    let answer = fail_item(tx, "王芳", &insp, &item)?;
                    // Distinct deadlines, so the order is fixed: the home's first is last year's.
                    let deadline = if site.fields.code == "YL012" && i == 0 {
                        "2025-12-20".to_string()
                    } else {
                        (NaiveDate::from_ymd_opt(2026, 11, 1).unwrap() + chrono::Duration::days(n * 2))
                            .format("%Y-%m-%d")
                            .to_string()
                    };
                    let problem = format!("未公示开奖结果（{n}）");
                    let r = NewRectification {
                        answer_id: &answer,
                        item_id: &item,
                        instance: 0,
                        problem: &problem,
                        basis: "《彩票管理条例实施细则》第三十一条",
                        severity: ["minor", "major", "critical"][(n % 3) as usize],
                        major_hazard: n % 3 == 2,
                        requirement: "及时公示开奖结果",
                        deadline: &deadline,
                        responsible: "",
                        phone: "13900000000",
                    };
                    let id =
                        rectifications::create(tx, "王芳", &insp, &site.id, &r, "2026-11-10T09:00:00+08:00")?;
                    if site.fields.code == "YL012" && i == 0 {
                        for k in 0..notes {
                            rectifications::add_note(tx, "王芳", &id, &format!("第{}次电话督促", k + 1))?;
                        }
                    }
                }
            }
            // Inspected on a fixed day, so the detail's header does not change with the day the test runs.
            tx.execute("UPDATE inspections SET started_at = '2026-11-10T09:00:00+08:00'", [])?;
            Ok(())
        })
        .unwrap();
    path
}

impl Console {
    /// `user` in `lang` on the board of [`database`] (`home` rectifications at the home, the first followed
    /// up `notes` times), drawn once at 80×24.
    fn new(home: u32, notes: u32, user: &str, lang: Lang) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = database(dir.path(), home, notes);
        let mut c = Console::open(&db, user, lang).holding(dir);
        c.chars("b");
        c.screen_at(80, 24);
        c
    }

    /// Types `text` into the filter opened by `key` (clearing what it held) and presses Enter.
    fn filter(&mut self, key: char, text: &str) {
        self.code(KeyCode::Char(key));
        for _ in 0..20 {
            self.code(KeyCode::Backspace);
        }
        self.chars(text);
        self.code(KeyCode::Enter);
    }

    fn snapshot_at(&self, name: &str, w: u16, h: u16) {
        let screen = self.screen_at(w, h);
        let mut settings = insta::Settings::clone_current();
        // Times written when the test runs (with their year once it is not the console's).
        settings.add_filter(r"(\d{4}-)?\d\d-\d\d \d\d:\d\d", "MM-DD hh:mm");
        // Notes written in the same millisecond have no fixed order: their numbers are not compared.
        settings.add_filter(r"第\d+次", "第N次");
        settings.bind(|| insta::assert_snapshot!(name, screen));
    }
}

fn footer(screen: &str) -> String {
    screen.lines().last().unwrap_or_default().to_string()
}

#[test]
fn outlets_are_told_apart_dates_carry_the_year_and_the_count_is_of_everything_selected() {
    let c = Console::new(3, 0, "科长乙", Lang::Zh);
    assert_eq!(c.board().total, Some(8));
    let screen = c.screen_at(80, 24);
    for code in ["32068012", "32068015", "32068016", "32068023", "32068031"] {
        assert!(screen.contains(&format!("{code}号投注站")), "{code} on screen:\n{screen}");
    }
    assert!(screen.contains("2025-12-20"), "last year's deadline with its year");
    assert!(screen.contains("11-03") && !screen.contains("2026-11-03"), "this year's without");
    assert!(screen.contains("共 8 条，第 1 条"));
    c.snapshot_at("nav_list", 80, 24);
    c.snapshot_at("nav_list_40x12", 40, 12);
    c.snapshot_at("nav_list_20x5", 20, 5);
}

#[test]
fn paging_keys_move_a_screenful_and_end_reads_the_rest() {
    let mut c = Console::new(240, 0, "科长乙", Lang::Zh);
    assert_eq!(c.board().rows.len(), 100, "one page at first");
    assert_eq!(c.board().total, Some(245), "the count is of everything, not the page");
    c.code(KeyCode::PageDown);
    assert_eq!(c.board().selected, 17, "a screenful: the 17 rows an 80×24 table shows");
    c.code(KeyCode::PageDown);
    c.code(KeyCode::PageUp);
    assert_eq!(c.board().selected, 17);
    c.code(KeyCode::End);
    assert_eq!(c.board().rows.len(), 245, "End read everything left");
    assert_eq!(c.board().selected, 244);
    assert!(!c.board().more);
    assert!(c.screen_at(80, 24).contains("共 245 条，第 245 条"));
    c.chars("g");
    assert_eq!(c.board().selected, 0);
    c.chars("G");
    assert_eq!(c.board().selected, 244);
    c.code(KeyCode::Home);
    assert_eq!(c.board().selected, 0);
    // The severity filter moved from g to l.
    c.chars("l");
    assert_eq!(c.board().severity, Some(ducha::domain::Severity::Minor));
    assert_eq!(c.board().total, Some(c.board().rows.len() as u64).filter(|n| *n < 245));
}

#[test]
fn town_and_site_filters_take_part_of_a_name_and_offer_close_names() {
    let mut c = Console::new(3, 0, "科长乙", Lang::Zh);
    c.filter('t', "下原");
    assert_eq!(c.board().town, "下原镇", "the one town with 下原 in its name");
    assert!(c.board().typing.is_none());
    assert_eq!(c.board().total, Some(5), "the home's three and the outlets 32068023 and 32068031");
    c.filter('t', "城");
    let (error, text) = c.message();
    assert!(error && text.contains("可指 3 个镇街") && text.contains("城北街道"), "{text}");
    assert!(c.board().typing.is_some(), "the box stays open to type more");
    assert_eq!(c.board().town, "下原镇", "the filter is unchanged");
    c.code(KeyCode::Esc);
    c.filter('t', "下源镇");
    let (error, text) = c.message();
    assert!(error && text.contains("没有镇街“下源镇”") && text.contains("下原镇"), "{text}");
    c.code(KeyCode::Esc);
    c.filter('t', "");
    assert_eq!(c.board().town, "", "an empty town clears the filter");
    assert_eq!(c.board().total, Some(8));

    c.filter('c', "8015");
    assert_eq!(c.board().site, "32068015", "part of a code");
    assert_eq!(c.board().rows.len(), 1);
    c.filter('c', "下原镇敬老");
    assert_eq!(c.board().site, "YL012", "part of a name");
    assert_eq!(c.board().rows.len(), 3);
    c.filter('c', "3206801");
    let (error, text) = c.message();
    assert!(error && text.contains("个单位") && text.contains("32068012"), "{text}");
    c.code(KeyCode::Esc);
    c.filter('c', "下原真敬老院");
    let (error, text) = c.message();
    assert!(error && text.contains("相近的有") && text.contains("相近的有：下原镇敬老院"), "{text}");
}

#[test]
fn follow_ups_the_state_or_role_forbid_are_refused_before_the_note_box_and_left_out_of_the_footer() {
    let mut c = Console::new(3, 0, "检查员甲", Lang::Zh);
    c.code(KeyCode::Enter);
    let f = footer(&c.screen_at(80, 24));
    assert!(f.contains("s 开始整改") && f.contains("r 报告完成"), "{f}");
    assert!(!f.contains("复查销号") && !f.contains("退回"), "an inspector verifies nothing: {f}");
    c.chars("v");
    let (error, text) = c.message();
    assert!(error && text.contains("复查销号需要科室负责人角色"), "{text}");
    assert!(c.board().prompt.is_none());
    c.chars("s");
    assert!(c.board().prompt.is_some(), "starting is allowed: the note box opens");
    c.code(KeyCode::Enter);
    assert_eq!(c.board().detail.as_ref().unwrap().rect.status, "in_progress");
    let f = footer(&c.screen_at(80, 24));
    assert!(!f.contains("开始整改"), "no start on a rectification in progress: {f}");
    assert!(f.contains("r 报告完成"), "{f}");
    c.chars("s");
    let (error, text) = c.message();
    assert!(error && text.contains("“整改中”的整改事项不能开始整改"), "{text}");
    assert!(c.board().prompt.is_none(), "refused before anything is typed");
}

#[test]
fn the_detail_scrolls_to_its_newest_events_with_the_position_shown() {
    let mut c = Console::new(3, 30, "科长乙", Lang::Zh);
    c.code(KeyCode::Enter);
    let d = c.board().detail.as_ref().unwrap();
    assert_eq!(d.rect.deadline, "2025-12-20", "the one with the long history");
    let first = c.screen_at(80, 24);
    assert!(!first.contains("第30次电话督促"), "the newest is below the screen");
    assert!(first.contains("第 1-19 行"), "the position: {first}");
    assert!(footer(&first).contains("j/k 滚动"));
    let item = &c.board().detail.as_ref().unwrap().rect.item_id;
    assert!(!first.contains(item.as_str()), "the item by its prompt, not its id {item}:\n{first}");
    let prompt = &c.board().detail.as_ref().unwrap().prompt;
    assert!(!prompt.is_empty() && first.contains(&prompt.chars().take(6).collect::<String>()));
    c.code(KeyCode::End);
    let last = c.screen_at(80, 24);
    assert!(last.contains("第30次电话督促"), "End shows the newest event:\n{last}");
    c.snapshot_at("nav_detail_end", 80, 24);
    c.code(KeyCode::Home);
    assert_eq!(c.board().scroll, 0);
    c.code(KeyCode::PageDown);
    assert_eq!(c.board().scroll, 19, "a screenful of lines");
    c.chars("k");
    assert_eq!(c.board().scroll, 18);
    c.chars("G");
    c.snapshot_at("nav_detail_20x5", 20, 5);
    c.snapshot_at("nav_detail_40x12", 40, 12);
    // Scrolled to the end at 80×24, then drawn smaller: the end stays in view.
    for (w, h) in [(40, 12), (20, 5)] {
        let small = c.screen_at(w, h);
        let lines: Vec<&str> = small.lines().collect();
        let at = lines.iter().find(|l| l.contains(" 行")).copied().unwrap_or_default();
        let at = at.split(" Hidden").next().unwrap_or_default();
        // 第 a-b 行，共 n 行: b is n.
        let numbers: Vec<&str> = at.split(|c: char| !c.is_ascii_digit()).filter(|n| !n.is_empty()).collect();
        let (last, total) = (numbers.get(1).copied(), numbers.get(2).copied());
        assert!(last.is_some() && last == total, "{w}×{h} still shows the end:\n{small}");
    }
    let tiny = c.screen_at(12, 4);
    assert!(tiny.contains("终端窗口"), "too small says so:\n{tiny}");
}

#[test]
fn the_detail_shows_the_phone_once_and_no_blank_responsible() {
    let mut c = Console::new(1, 0, "科长乙", Lang::Zh);
    c.code(KeyCode::Enter);
    let screen = c.screen_at(80, 24);
    assert!(!screen.contains("责任人："), "nobody named: no blank 责任人 line\n{screen}");
    assert_eq!(screen.matches("13900000000").count(), 1, "{screen}");
    assert!(screen.contains("联系电话：13900000000"));
}

#[test]
fn in_english_columns_fit_their_longest_labels_and_keep_the_major_hazard_mark() {
    let mut c = Console::new(3, 0, "科长乙", Lang::En);
    let screen = c.screen_at(80, 24);
    for label in ["critical!", "open", "minor", "major"] {
        assert!(screen.contains(label), "{label}:\n{screen}");
    }
    assert!(screen.contains("8 in all, row 1"));
    c.snapshot_at("nav_list_en", 80, 24);
    c.chars("f"); // every status
    c.chars("f"); // 待整改 only
    c.chars("f"); // in progress
    assert!(c.screen_at(80, 24).contains("in progress"), "the filter line names it whole");
    c.chars("ffff"); // round to not closed
    // Every filter at once: the filter line wraps instead of cutting a name off.
    c.chars("dddd"); // social organisations
    c.chars("o");
    c.filter('t', "下原");
    let screen = c.screen_at(80, 24);
    assert!(screen.contains("Social organisation") && screen.contains("overdue only"), "{screen}");
    c.chars("o");
    c.filter('t', "");
    c.chars("d"); // every domain
    c.code(KeyCode::Enter);
    c.snapshot_at("nav_detail_en", 80, 24);
}

#[test]
fn in_a_small_terminal_what_is_typed_stays_in_view() {
    let mut c = Console::new(3, 0, "科长乙", Lang::Zh);
    c.code(KeyCode::Char('t'));
    c.chars("下原");
    let tiny = c.screen_at(20, 5);
    assert!(tiny.contains("下原"), "the town being typed at 20×5:\n{tiny}");
    c.code(KeyCode::Enter);
    c.code(KeyCode::Enter);
    c.chars("e");
    c.chars("施工队未进场");
    for (w, h) in [(40, 12), (20, 5)] {
        let screen = c.screen_at(w, h);
        assert!(screen.contains("施工队未进场"), "the reason at {w}×{h}:\n{screen}");
    }
    c.snapshot_at("nav_extend_20x5", 20, 5);
    c.snapshot_at("nav_extend_40x12", 40, 12);
    c.code(KeyCode::Tab);
    let tiny = c.screen_at(20, 5);
    assert!(tiny.contains("2025-12-20"), "the focused date field at 20×5:\n{tiny}");
}

/// Polls the executor for the board's count, as the event loop does on its clock, until it comes.
fn counted(executor: &mut Executor) -> Result<u64, String> {
    for _ in 0..10_000 {
        match executor.run(Effect::PollCount) {
            Action::BoardCounted { total } => return total,
            Action::Done => std::thread::sleep(std::time::Duration::from_millis(1)),
            other => panic!("polling the count: {other:?}"),
        }
    }
    panic!("no count within 10 s");
}

fn first_page(executor: &mut Executor, filter: &ducha::store::board::Filter) -> (usize, bool, Option<u64>) {
    let effect =
        Effect::LoadBoard { filter: filter.clone(), after: None, today: "2026-11-29".into(), to_end: false };
    match executor.run(effect) {
        Action::BoardPage { rows, more, total, .. } => (rows.len(), more, total),
        other => panic!("a page: {other:?}"),
    }
}

#[test]
fn a_full_first_page_is_counted_on_its_own_thread_and_only_the_latest_filter_is_answered() {
    use ducha::store::board::{self, Filter};
    let mut c = Console::new(240, 0, "科长乙", Lang::Zh);
    let reader = Store::open_read_only(&c.db).unwrap();
    let expect = |f: &Filter| board::count(reader.conn(), f, "2026-11-29").unwrap();

    // Everything (245): the page comes without its count, which follows.
    let all = Filter::default();
    assert_eq!(first_page(&mut c.executor, &all), (100, true, None));
    assert_eq!(counted(&mut c.executor), Ok(245));
    assert!(matches!(c.executor.run(Effect::PollCount), Action::Done), "answered once");

    // Two filters in a row: the answer is the second one's, never the first's.
    let homes = Filter { domain: Some("elderly_care".into()), ..Default::default() };
    assert!(expect(&homes) > 100 && expect(&homes) != 245);
    first_page(&mut c.executor, &all);
    assert_eq!(first_page(&mut c.executor, &homes), (100, true, None));
    assert_eq!(counted(&mut c.executor), Ok(expect(&homes)));
    assert!(
        matches!(c.executor.run(Effect::PollCount), Action::Done),
        "the first filter's count was dropped"
    );

    // A first page that is not full is everything: its count comes with it, nothing is left to poll.
    let site = Filter { site: Some("32068012".into()), ..Default::default() };
    assert_eq!(first_page(&mut c.executor, &site), (1, false, Some(1)));
    assert!(matches!(c.executor.run(Effect::PollCount), Action::Done));

    // Through the reducer and `dispatch` (which waits for the count), as a supervisor filters by severity.
    c.chars("l");
    assert!(!c.app.counting());
    assert_eq!(
        c.board().total,
        Some(board::count(reader.conn(), &c.board().filter(), "2026-11-29").unwrap())
    );
    let screen = c.screen_at(80, 24);
    assert!(!screen.contains("计数中"), "{screen}");
}
