//! Every key binding in one table. The footer hints and the help overlay are generated from it, so they can
//! never drift from what the keys do. Answer keys are digits: with a Chinese input method switched on,
//! letters start a pinyin composition, but digits still reach the console.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::i18n::Lang;

/// A command a key can give. Data-free so the table is a constant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmd {
    Up,
    Down,
    Enter,
    Back,
    NextPane,
    PrevPane,
    Help,
    Quit,
    ForceQuit,
    NewInspection,
    Pass,
    Fail,
    NotApplicable,
    Option(u8),
    Edit,
    Clear,
    Overview,
    Submit,
    AddInstance,
    RemoveInstance,
    History,
    Save,
    Left,
    Right,
    Toggle,
    DutyLog,
    Board,
    Weekly,
    Search,
    StatusFilter,
    DomainFilter,
    SeverityFilter,
    TownFilter,
    SiteFilter,
    OverdueOnly,
    /// Shows only the rectifications in conflict, or everything again.
    ConflictOnly,
    /// Opens the form that settles a conflict on a rectification's detail.
    Settle,
    /// Opens the board's export form.
    Export,
    /// Opens the rectification notice form on a rectification's detail.
    Notice,
    /// Writes the printable inspection record (现场检查记录) of the submitted inspection on screen or selected.
    PrintRecord,
    /// The record without masking (supervisors and admins; audited by the export).
    PrintRecordUnmasked,
    Follow(FollowKind),
    /// A screenful down or up, to the first or the last line (lists and scrolled views).
    PageDown,
    PageUp,
    Top,
    Bottom,
    /// Jumps to the next item still unanswered or incomplete (a failure not yet described).
    NextOpen,
    /// Marks every unanswered pass/fail item of the current section (repetition) as pass, after a confirmation.
    MarkPass,
    /// Opens the item's note.
    Note,
    /// Says yes to the question on screen.
    Confirm,
    /// Records, or takes back, the site representative's refusal to sign (拒签).
    Refuse,
    /// Opens the list of all inspections.
    Inspections,
    /// Opens the bureau's settings (局设置).
    Settings,
}

/// The follow-ups a key starts on a rectification's detail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FollowKind {
    Start,
    ReportFix,
    Verify,
    Reject,
    Extend,
    Note,
}

/// Where a binding applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ctx {
    /// Everywhere, unless a text field has the keys.
    Global,
    Home,
    /// The list of duty-log shifts.
    DutyLog,
    /// The rectification board's list.
    Board,
    /// One rectification's detail.
    Detail,
    /// One rectification's detail while it is in conflict (before `Detail`).
    Conflict,
    /// The form settling a conflict, whatever field has the focus.
    Settle,
    /// The form settling a conflict, on the choice of branch.
    SettleBranch,
    /// The weekly report.
    Weekly,
    /// The list of all inspections.
    Inspections,
    /// The bureau's settings (局设置), outside its text field.
    Settings,
    /// Lists of the new-inspection steps (domain, site, checklist).
    Pick,
    /// The item screen, for check items.
    ItemCheck,
    /// The item screen, for choice items (digits choose).
    ItemChoice,
    /// The item screen, for choice items of 10 or more options (one or two digits choose).
    ItemLongChoice,
    /// The item screen: Enter on an item that can be answered.
    ItemEdit,
    /// The item screen: moving about, on any stop.
    Item,
    /// The item screen on a repeat section's header.
    Group,
    Overview,
    /// A text field has the keyboard: only keys bound here (and in `Form`/`Save` when those are active)
    /// are taken from it; everything else is typed.
    Editing,
    /// A form of several fields.
    Form,
    /// A multi-line text field: Enter inserts a line break (before `Form`/`Save`/`Editing`).
    TextArea,
    /// The failure form on its severity.
    Severity,
    /// The failure form on its evidence path field.
    EvidencePath,
    /// The failure form on the list of attached evidence files.
    EvidenceFiles,
    /// The evidence picker's file list.
    Picker,
    /// The evidence picker's folder line.
    PickerFolder,
    /// Something Ctrl-S saves (a form, a multi-line text).
    Save,
    /// The board's export form, whatever field has the focus.
    Export,
    /// The board's export form or the notice form on one of its choices (kind, format, masking).
    ExportOption,
    /// The rectification notice form of a rectification's detail, whatever field has the focus.
    Notice,
    /// The help overlay.
    Help,
    /// A yes/no question over the screen (mark a section as passed, submit).
    Confirm,
    /// The submit form (sign-off), whatever field has the focus.
    Submit,
}

#[derive(Clone, Copy, Debug)]
pub enum Key {
    Char(char),
    Code(KeyCode),
    Ctrl(char),
}

pub struct Binding {
    pub ctx: Ctx,
    pub keys: &'static [Key],
    pub cmd: Cmd,
    /// Shown as `key text` in the footer and help.
    pub label: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub footer: bool,
    /// Whether the binding is worth showing in the state at hand (footer and help). The key still
    /// resolves when this says no: a refusal message is more useful than silence.
    pub applies: fn(&Facts) -> bool,
}

/// What the footer and help may ask about the state, beyond the contexts. Screens fill it in
/// (`App::facts`); add a field here when a binding needs a new question answered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// On the first screen (home): `Esc` has nowhere to go back to.
    pub root: bool,
    /// The record on screen is locked (a submitted inspection): submitting again does nothing.
    pub read_only: bool,
    /// The submit form on screen has the site representative's line (not a duty log's handover): it has
    /// two fields and a refusal to record.
    pub representative: bool,
    /// A multi-line text has the keyboard: Enter there starts a new line, it confirms nothing.
    pub multiline: bool,
}

fn always(_: &Facts) -> bool {
    true
}

fn not_root(f: &Facts) -> bool {
    !f.root
}

fn not_read_only(f: &Facts) -> bool {
    !f.read_only
}

fn read_only(f: &Facts) -> bool {
    f.read_only
}

fn representative(f: &Facts) -> bool {
    f.representative
}

fn not_multiline(f: &Facts) -> bool {
    !f.multiline
}

impl Binding {
    /// The same binding, shown only where `applies` holds.
    const fn when(self, applies: fn(&Facts) -> bool) -> Binding {
        Binding { applies, ..self }
    }
}

const fn b(
    ctx: Ctx,
    keys: &'static [Key],
    cmd: Cmd,
    label: &'static str,
    zh: &'static str,
    en: &'static str,
    footer: bool,
) -> Binding {
    Binding { ctx, keys, cmd, label, zh, en, footer, applies: always }
}

use Key::{Char, Code, Ctrl};

// One binding per line: this is a table, read across.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    b(Ctx::ItemCheck, &[Char('1')], Cmd::Pass, "1", "合格", "pass", true),
    b(Ctx::ItemCheck, &[Char('2')], Cmd::Fail, "2", "不合格", "fail", true),
    b(Ctx::ItemCheck, &[Char('3')], Cmd::NotApplicable, "3", "不适用", "n/a", true),
    b(Ctx::ItemChoice, &[Char('1'), Char('2'), Char('3'), Char('4'), Char('5'), Char('6'), Char('7'), Char('8'), Char('9')], Cmd::Option(0), "1-9", "选择", "choose", true),
    b(Ctx::ItemLongChoice, &[Char('0'), Char('1'), Char('2'), Char('3'), Char('4'), Char('5'), Char('6'), Char('7'), Char('8'), Char('9')], Cmd::Option(0), "1-99", "序号（1 0 为第10项）", "number (1 0 is 10)", true),
    b(Ctx::ItemEdit, &[Code(KeyCode::Enter), Char('e')], Cmd::Edit, "Enter", "填写/问题", "answer/finding", true),
    b(Ctx::Item, &[Code(KeyCode::Down), Char('j')], Cmd::Down, "j", "下一项", "next", true),
    b(Ctx::Item, &[Code(KeyCode::Up), Char('k')], Cmd::Up, "k", "上一项", "previous", false),
    b(Ctx::Item, &[Char('x'), Code(KeyCode::Delete)], Cmd::Clear, "x", "清除答案", "clear answer", false),
    b(Ctx::Group, &[Code(KeyCode::Enter), Char('+')], Cmd::AddInstance, "+", "新增一次", "add a repetition", true),
    b(Ctx::Item, &[Char('+')], Cmd::AddInstance, "+", "新增一次", "add a repetition", false),
    b(Ctx::Item, &[Char('-')], Cmd::RemoveInstance, "-", "删除本次", "remove repetition", false),
    b(Ctx::Item, &[Char('h')], Cmd::History, "h", "修改记录", "history", false),
    b(Ctx::Item, &[Char('o')], Cmd::Overview, "o", "总览", "overview", false),
    b(Ctx::Item, &[Char('s')], Cmd::Submit, "s", "提交", "submit", true).when(not_read_only),
    b(Ctx::Item, &[Char('n')], Cmd::NextOpen, "n", "下一未完成", "next open", true),
    b(Ctx::Item, &[Char('p')], Cmd::MarkPass, "p", "本节其余合格", "rest of section pass", false).when(not_read_only),
    b(Ctx::Item, &[Char('m')], Cmd::Note, "m", "备注", "note", false),
    b(Ctx::Overview, &[Code(KeyCode::Down), Char('j')], Cmd::Down, "j", "下移", "down", false),
    b(Ctx::Overview, &[Code(KeyCode::Up), Char('k')], Cmd::Up, "k", "上移", "up", false),
    b(Ctx::Overview, &[Code(KeyCode::PageDown)], Cmd::PageDown, "PgDn", "下一页", "page down", false),
    b(Ctx::Overview, &[Code(KeyCode::PageUp)], Cmd::PageUp, "PgUp", "上一页", "page up", false),
    b(Ctx::Overview, &[Code(KeyCode::Home), Char('g')], Cmd::Top, "Home", "第一项", "first", false),
    b(Ctx::Overview, &[Code(KeyCode::End), Char('G')], Cmd::Bottom, "End", "最后一项", "last", false),
    b(Ctx::Overview, &[Code(KeyCode::Enter)], Cmd::Enter, "Enter", "跳到该项", "go to item", true),
    b(Ctx::Overview, &[Char('n')], Cmd::NextOpen, "n", "下一未完成", "next open", true),
    b(Ctx::Overview, &[Char('s')], Cmd::Submit, "s", "提交", "submit", true).when(not_read_only),
    b(Ctx::Overview, &[Char('p')], Cmd::PrintRecord, "p", "打印记录", "print record", true).when(read_only),
    b(Ctx::Overview, &[Char('P')], Cmd::PrintRecordUnmasked, "P", "打印记录（不打码）", "print record unmasked", false).when(read_only),
    b(Ctx::Confirm, &[Code(KeyCode::Enter), Char('y')], Cmd::Confirm, "Enter", "确认", "confirm", true),
    b(Ctx::Confirm, &[Code(KeyCode::Esc), Char('n')], Cmd::Back, "Esc", "取消", "cancel", true),
    b(Ctx::Submit, &[Code(KeyCode::Tab)], Cmd::NextPane, "Tab", "下一栏", "next field", true).when(representative),
    b(Ctx::Submit, &[Code(KeyCode::BackTab)], Cmd::PrevPane, "Shift-Tab", "上一栏", "previous field", false).when(representative),
    b(Ctx::Submit, &[Ctrl('s')], Cmd::Save, "Ctrl-S", "提交", "submit", true),
    b(Ctx::Submit, &[Ctrl('r')], Cmd::Refuse, "Ctrl-R", "拒签/取消拒签", "refused / signed", true).when(representative),
    b(Ctx::Home, &[Code(KeyCode::Down), Char('j')], Cmd::Down, "j", "下移", "down", false),
    b(Ctx::Home, &[Code(KeyCode::Up), Char('k')], Cmd::Up, "k", "上移", "up", false),
    b(Ctx::Home, &[Code(KeyCode::Enter)], Cmd::Enter, "Enter", "打开", "open", true),
    b(Ctx::Home, &[Char('n')], Cmd::NewInspection, "n", "新建检查", "new inspection", true),
    b(Ctx::Home, &[Char('i')], Cmd::Inspections, "i", "查询", "find", true),
    b(Ctx::Home, &[Char('b')], Cmd::Board, "b", "整改看板", "board", true),
    b(Ctx::Home, &[Char('w')], Cmd::Weekly, "w", "周报", "weekly", true),
    b(Ctx::Home, &[Char('l')], Cmd::DutyLog, "l", "值班记录", "log", true),
    b(Ctx::Home, &[Char('s')], Cmd::Settings, "s", "局设置", "settings", true),
    b(Ctx::Settings, &[Code(KeyCode::Down), Char('j')], Cmd::Down, "j", "下移", "down", false),
    b(Ctx::Settings, &[Code(KeyCode::Up), Char('k')], Cmd::Up, "k", "上移", "up", false),
    b(Ctx::Settings, &[Code(KeyCode::Enter)], Cmd::Enter, "Enter", "修改", "change", true),
    b(Ctx::Inspections, &[Code(KeyCode::Down), Char('j')], Cmd::Down, "j", "下移", "down", false),
    b(Ctx::Inspections, &[Code(KeyCode::Up), Char('k')], Cmd::Up, "k", "上移", "up", false),
    b(Ctx::Inspections, &[Code(KeyCode::PageDown)], Cmd::PageDown, "PgDn", "下一页", "next page", false),
    b(Ctx::Inspections, &[Code(KeyCode::PageUp)], Cmd::PageUp, "PgUp", "上一页", "previous page", false),
    b(Ctx::Inspections, &[Code(KeyCode::Home), Char('g')], Cmd::Top, "Home", "第一条", "first", false),
    b(Ctx::Inspections, &[Code(KeyCode::End), Char('G')], Cmd::Bottom, "End", "最后一条", "last", false),
    b(Ctx::Inspections, &[Code(KeyCode::Enter)], Cmd::Enter, "Enter", "打开", "open", true),
    b(Ctx::Inspections, &[Char('/')], Cmd::Search, "/", "搜索", "search", true),
    b(Ctx::Inspections, &[Char('p')], Cmd::PrintRecord, "p", "打印记录", "print record", true),
    b(Ctx::Inspections, &[Char('P')], Cmd::PrintRecordUnmasked, "P", "打印记录（不打码）", "print record unmasked", false),
    b(Ctx::Weekly, &[Code(KeyCode::Left), Char('h')], Cmd::Left, "h", "上一周", "previous week", true),
    b(Ctx::Weekly, &[Code(KeyCode::Right), Char('l')], Cmd::Right, "l", "下一周", "next week", true),
    b(Ctx::Board, &[Code(KeyCode::Down), Char('j')], Cmd::Down, "j", "下移", "down", false),
    b(Ctx::Board, &[Code(KeyCode::Up), Char('k')], Cmd::Up, "k", "上移", "up", false),
    b(Ctx::Board, &[Code(KeyCode::Enter)], Cmd::Enter, "Enter", "详情", "detail", true),
    b(Ctx::Board, &[Char('/')], Cmd::Search, "/", "搜索", "search", true),
    b(Ctx::Board, &[Char('f')], Cmd::StatusFilter, "f", "状态", "status", true),
    b(Ctx::Board, &[Char('o')], Cmd::OverdueOnly, "o", "只看逾期", "overdue only", true),
    b(Ctx::Board, &[Char('d')], Cmd::DomainFilter, "d", "领域", "domain", false),
    b(Ctx::Board, &[Code(KeyCode::PageDown)], Cmd::PageDown, "PgDn", "下一屏", "page down", false),
    b(Ctx::Board, &[Code(KeyCode::PageUp)], Cmd::PageUp, "PgUp", "上一屏", "page up", false),
    b(Ctx::Board, &[Code(KeyCode::Home), Char('g')], Cmd::Top, "g", "第一条", "first", false),
    b(Ctx::Board, &[Code(KeyCode::End), Char('G')], Cmd::Bottom, "G", "最后一条", "last", false),
    b(Ctx::Board, &[Char('l')], Cmd::SeverityFilter, "l", "等级", "level", false),
    b(Ctx::Board, &[Char('t')], Cmd::TownFilter, "t", "镇街", "town", false),
    b(Ctx::Board, &[Char('c')], Cmd::SiteFilter, "c", "单位编号", "site code", false),
    b(Ctx::Board, &[Char('C')], Cmd::ConflictOnly, "C", "只看冲突", "conflicts only", false),
    b(Ctx::Board, &[Char('x')], Cmd::Export, "x", "导出", "export", true),
    b(Ctx::ExportOption, &[Code(KeyCode::Left), Code(KeyCode::Right), Char(' '), Ctrl('t')], Cmd::Toggle, "Left/Right", "切换", "change", true),
    b(Ctx::Export, &[Code(KeyCode::Enter), Ctrl('s')], Cmd::Save, "Enter", "导出", "export", true),
    b(Ctx::Export, &[Ctrl('t')], Cmd::Toggle, "Ctrl-T", "切换格式", "switch format", false),
    b(Ctx::Conflict, &[Char('m')], Cmd::Settle, "m", "裁决", "settle", true),
    b(Ctx::SettleBranch, &[Code(KeyCode::Left)], Cmd::Left, "Left/Right", "选择分支", "choose a branch", true),
    b(Ctx::SettleBranch, &[Code(KeyCode::Right)], Cmd::Right, "Right", "下一分支", "next branch", false),
    b(Ctx::SettleBranch, &[Char('1'), Char('2'), Char('3'), Char('4'), Char('5'), Char('6'), Char('7'), Char('8'), Char('9')], Cmd::Option(0), "1-9", "选定分支", "pick a branch", false),
    b(Ctx::Settle, &[Code(KeyCode::Enter), Ctrl('s')], Cmd::Save, "Enter", "裁决", "settle", true),
    b(Ctx::Settle, &[Ctrl('t')], Cmd::Toggle, "Ctrl-T", "换分支", "other branch", false),
    b(Ctx::Detail, &[Code(KeyCode::Down), Char('j')], Cmd::Down, "j/k", "滚动", "scroll", true),
    b(Ctx::Detail, &[Code(KeyCode::Up), Char('k')], Cmd::Up, "k", "上滚", "scroll up", false),
    b(Ctx::Detail, &[Code(KeyCode::PageDown)], Cmd::PageDown, "PgDn", "下一屏", "page down", false),
    b(Ctx::Detail, &[Code(KeyCode::PageUp)], Cmd::PageUp, "PgUp", "上一屏", "page up", false),
    b(Ctx::Detail, &[Code(KeyCode::Home), Char('g')], Cmd::Top, "g", "开头", "top", false),
    b(Ctx::Detail, &[Code(KeyCode::End), Char('G')], Cmd::Bottom, "G", "末尾", "bottom", false),
    b(Ctx::Detail, &[Char('s')], Cmd::Follow(FollowKind::Start), "s", "开始整改", "start", true),
    b(Ctx::Detail, &[Char('r')], Cmd::Follow(FollowKind::ReportFix), "r", "报告完成", "report fix", true),
    b(Ctx::Detail, &[Char('v')], Cmd::Follow(FollowKind::Verify), "v", "复查销号", "verify", true),
    b(Ctx::Detail, &[Char('x')], Cmd::Follow(FollowKind::Reject), "x", "退回", "reject", true),
    b(Ctx::Detail, &[Char('e')], Cmd::Follow(FollowKind::Extend), "e", "延期", "extend", false),
    b(Ctx::Detail, &[Char('n')], Cmd::Follow(FollowKind::Note), "n", "跟进记录", "add a note", false),
    b(Ctx::Detail, &[Char('p')], Cmd::Notice, "p", "通知书", "notice", true),
    b(Ctx::Notice, &[Code(KeyCode::Enter), Ctrl('s')], Cmd::Save, "Enter", "出具", "write", true),
    b(Ctx::Notice, &[Ctrl('t')], Cmd::Toggle, "Ctrl-T", "切换打码", "masking", false),
    b(Ctx::DutyLog, &[Code(KeyCode::Down), Char('j')], Cmd::Down, "j", "下移", "down", false),
    b(Ctx::DutyLog, &[Code(KeyCode::Up), Char('k')], Cmd::Up, "k", "上移", "up", false),
    b(Ctx::DutyLog, &[Code(KeyCode::Enter)], Cmd::Enter, "Enter", "查看该班", "open shift", true),
    b(Ctx::DutyLog, &[Char('n')], Cmd::NewInspection, "n", "新班次", "new shift", true),
    b(Ctx::Pick, &[Code(KeyCode::Down), Char('j')], Cmd::Down, "j", "下移", "down", false),
    b(Ctx::Pick, &[Code(KeyCode::Up), Char('k')], Cmd::Up, "k", "上移", "up", false),
    b(Ctx::Pick, &[Code(KeyCode::Enter)], Cmd::Enter, "Enter", "选定", "choose", true),
    b(Ctx::Editing, &[Code(KeyCode::Enter)], Cmd::Enter, "Enter", "确定", "confirm", true).when(not_multiline),
    b(Ctx::Save, &[Ctrl('s')], Cmd::Save, "Ctrl-S", "保存", "save", true),
    b(Ctx::Form, &[Code(KeyCode::Tab)], Cmd::NextPane, "Tab", "下一栏", "next field", true),
    b(Ctx::Form, &[Code(KeyCode::BackTab)], Cmd::PrevPane, "Shift-Tab", "上一栏", "previous field", false),
    b(Ctx::TextArea, &[Code(KeyCode::Enter)], Cmd::Enter, "Enter", "换行", "new line", true),
    b(Ctx::Severity, &[Code(KeyCode::Left)], Cmd::Left, "Left/Right", "改等级", "change severity", true),
    b(Ctx::Severity, &[Code(KeyCode::Right), Char(' ')], Cmd::Right, "Right", "下一等级", "next severity", false),
    b(Ctx::EvidencePath, &[Code(KeyCode::Enter)], Cmd::Enter, "Enter", "选择文件（有路径则附加）", "pick files (or attach the path)", true),
    b(Ctx::EvidenceFiles, &[Code(KeyCode::Delete), Char('x')], Cmd::Clear, "Del", "移除该文件", "remove the file", true),
    b(Ctx::EvidenceFiles, &[Code(KeyCode::Enter)], Cmd::Enter, "Enter", "下一栏", "next field", false),
    b(Ctx::Picker, &[Char(' ')], Cmd::Toggle, "Space", "选中/取消", "mark/unmark", true),
    b(Ctx::Picker, &[Code(KeyCode::Enter)], Cmd::Enter, "Enter", "附加所选", "attach marked", true),
    b(Ctx::Picker, &[Code(KeyCode::Tab)], Cmd::NextPane, "Tab", "换文件夹", "other folder", true),
    b(Ctx::Picker, &[Code(KeyCode::Down), Char('j')], Cmd::Down, "j", "下移", "down", false),
    b(Ctx::Picker, &[Code(KeyCode::Up), Char('k')], Cmd::Up, "k", "上移", "up", false),
    b(Ctx::PickerFolder, &[Code(KeyCode::Enter)], Cmd::Enter, "Enter", "打开文件夹", "open folder", true),
    b(Ctx::PickerFolder, &[Code(KeyCode::Tab)], Cmd::NextPane, "Tab", "文件列表", "file list", true),
    b(Ctx::Editing, &[Code(KeyCode::Down)], Cmd::Down, "Down", "下移", "down", false),
    b(Ctx::Editing, &[Code(KeyCode::Up)], Cmd::Up, "Up", "上移", "up", false),
    b(Ctx::Editing, &[Code(KeyCode::Esc)], Cmd::Back, "Esc", "取消", "cancel", true),
    b(Ctx::Editing, &[Code(KeyCode::F(1))], Cmd::Help, "F1", "帮助", "help", true),
    b(Ctx::Help, &[Code(KeyCode::Esc), Char('?'), Code(KeyCode::F(1))], Cmd::Help, "Esc", "关闭帮助", "close help", true),
    b(Ctx::Global, &[Code(KeyCode::Tab)], Cmd::NextPane, "Tab", "切换窗格", "switch pane", false),
    b(Ctx::Global, &[Code(KeyCode::Esc)], Cmd::Back, "Esc", "返回", "back", true).when(not_root),
    b(Ctx::Global, &[Char('?'), Code(KeyCode::F(1))], Cmd::Help, "?", "帮助", "help", true),
    b(Ctx::Global, &[Char('q')], Cmd::Quit, "q", "退出", "quit", true),
    b(Ctx::Global, &[Ctrl('c')], Cmd::ForceQuit, "Ctrl-C", "退出", "quit", false),
];

fn key_matches(key: &Key, ev: &KeyEvent) -> bool {
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    match key {
        Key::Char(c) => !ctrl && ev.code == KeyCode::Char(*c),
        Key::Code(code) => !ctrl && ev.code == *code,
        Key::Ctrl(c) => ctrl && ev.code == KeyCode::Char(*c),
    }
}

/// The command for a key in the given contexts (searched in order), with digit keys resolved to options.
pub fn resolve(contexts: &[Ctx], ev: &KeyEvent) -> Option<Cmd> {
    for ctx in contexts {
        for binding in BINDINGS.iter().filter(|b| b.ctx == *ctx) {
            if binding.keys.iter().any(|k| key_matches(k, ev)) {
                if let (Cmd::Option(_), KeyCode::Char(c)) = (binding.cmd, ev.code) {
                    return c.to_digit(10).and_then(|d| u8::try_from(d).ok()).map(Cmd::Option);
                }
                return Some(binding.cmd);
            }
        }
    }
    None
}

/// The bindings active in `contexts`, first binding of each command only (as shown to the user), whatever
/// the state.
pub fn active(contexts: &[Ctx]) -> Vec<&'static Binding> {
    active_for(contexts, &Facts::default())
}

/// The bindings active in `contexts` that apply in the state `facts` describes, first binding of each
/// command only.
pub fn active_for(contexts: &[Ctx], facts: &Facts) -> Vec<&'static Binding> {
    let mut out: Vec<&'static Binding> = Vec::new();
    for ctx in contexts {
        for binding in BINDINGS.iter().filter(|b| b.ctx == *ctx && (b.applies)(facts)) {
            if !out.iter().any(|o| o.cmd == binding.cmd || o.label == binding.label) {
                out.push(binding);
            }
        }
    }
    out
}

/// `(key, text, pinned)` for the footer, whatever the state. Pinned hints are always shown, however narrow
/// the terminal: help everywhere, quit on the first screen (elsewhere `Esc` leads back to it).
pub fn footer(contexts: &[Ctx], lang: Lang) -> Vec<(&'static str, &'static str, bool)> {
    footer_for(contexts, &Facts::default(), lang)
}

/// [`footer`] for the state `facts` describes: hints for keys that do nothing there are left out.
pub fn footer_for(contexts: &[Ctx], facts: &Facts, lang: Lang) -> Vec<(&'static str, &'static str, bool)> {
    footer_where(contexts, facts, lang, &|_| true)
}

/// [`footer_for`], also without the hints for commands that `applies` says do nothing in the current state
/// (a screen's own predicate, e.g. no `s 开始整改` on a rectification already in progress). The help overlay
/// still lists every binding of the contexts.
pub fn footer_where(
    contexts: &[Ctx],
    facts: &Facts,
    lang: Lang,
    applies: &dyn Fn(Cmd) -> bool,
) -> Vec<(&'static str, &'static str, bool)> {
    footer_commands(contexts, facts, lang, applies).into_iter().map(|(_, hint)| hint).collect()
}

/// [`footer_where`] with the command of each hint.
pub fn footer_commands(
    contexts: &[Ctx],
    facts: &Facts,
    lang: Lang,
    applies: &dyn Fn(Cmd) -> bool,
) -> Vec<(Cmd, (&'static str, &'static str, bool))> {
    active_for(contexts, facts)
        .into_iter()
        .filter(|b| b.footer && applies(b.cmd))
        .map(|b| {
            let pinned = b.cmd == Cmd::Help || (b.cmd == Cmd::Quit && facts.root);
            (b.cmd, (b.label, lang.pick(b.zh, b.en), pinned))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn the_same_key_means_what_the_innermost_context_says() {
        let item = [Ctx::ItemCheck, Ctx::Item, Ctx::Global];
        assert_eq!(resolve(&item, &key(KeyCode::Char('2'))), Some(Cmd::Fail));
        let choice = [Ctx::ItemChoice, Ctx::Item, Ctx::Global];
        assert_eq!(resolve(&choice, &key(KeyCode::Char('2'))), Some(Cmd::Option(2)));
        assert_eq!(resolve(&[Ctx::Editing], &key(KeyCode::Char('q'))), None, "typing q in a field is text");
        assert_eq!(resolve(&[Ctx::Home, Ctx::Global], &key(KeyCode::Char('q'))), Some(Cmd::Quit));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(resolve(&[Ctx::Global], &ctrl_c), Some(Cmd::ForceQuit));
    }

    #[test]
    fn every_footer_hint_comes_from_a_real_binding() {
        let hints = footer(&[Ctx::ItemCheck, Ctx::Item, Ctx::Global], Lang::Zh);
        assert!(hints.contains(&("1", "合格", false)));
        assert!(hints.contains(&("2", "不合格", false)));
        assert!(hints.contains(&("?", "帮助", true)));
        for (label, _, _) in hints {
            assert!(BINDINGS.iter().any(|b| b.label == label));
        }
    }
}
