//! The failure form: problem description (required), severity, rectification requirement, deadline,
//! responsible person, and evidence files to attach.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::domain::Severity;
use crate::i18n::Lang;
use crate::inspection::{Finding, Slot, Value};
use crate::tui::field::{Area, Field};
use crate::tui::keymap::Cmd;
use crate::tui::view::styled;

const PROBLEM: usize = 0;
const SEVERITY: usize = 1;
const REQUIREMENT: usize = 2;
const DEADLINE: usize = 3;
const RESPONSIBLE: usize = 4;
const EVIDENCE: usize = 5;
const FIELDS: usize = 6;

#[derive(Debug)]
pub struct FindingForm {
    pub slot: Slot,
    pub focus: usize,
    pub problem: Area,
    pub severity: Severity,
    pub requirement: Area,
    pub deadline: Field,
    pub responsible: Field,
    pub evidence: Field,
    pub attached: Vec<String>,
    pub evidence_count: usize,
    pub error: Option<String>,
    /// The failing value being amended into a submitted inspection (not stored yet); `None` when the
    /// finding belongs to the stored answer.
    pub value: Option<Value>,
}

impl FindingForm {
    pub fn new(slot: Slot, f: &Finding, evidence_count: usize) -> Self {
        FindingForm {
            slot,
            focus: PROBLEM,
            problem: Area::new(&f.problem),
            severity: f.severity,
            requirement: Area::new(&f.requirement),
            deadline: Field::new(f.deadline.format("%Y-%m-%d").to_string()),
            responsible: Field::new(f.responsible.clone()),
            evidence: Field::default(),
            attached: Vec::new(),
            evidence_count,
            error: None,
            value: None,
        }
    }

    /// The form for a correction of a submitted inspection that makes the item fail.
    pub fn amending(mut self, value: Value) -> Self {
        self.value = Some(value);
        self
    }

    pub fn focus_next(&mut self, step: i32) {
        let n = FIELDS as i32;
        self.focus = usize::try_from((self.focus as i32 + step).rem_euclid(n)).unwrap_or(0);
    }

    pub fn on_evidence(&self) -> bool {
        self.focus == EVIDENCE
    }

    pub fn on_text_area(&self) -> bool {
        matches!(self.focus, PROBLEM | REQUIREMENT)
    }

    pub fn evidence_path(&self) -> Option<String> {
        let p = self.evidence.value().trim();
        (!p.is_empty()).then(|| p.to_string())
    }

    pub fn attached(&mut self, name: &str) {
        self.attached.push(name.to_string());
        self.evidence_count += 1;
        self.evidence = Field::default();
    }

    fn cycle(&mut self, step: i32) {
        let all = Severity::ALL;
        let i = all.iter().position(|s| *s == self.severity).unwrap_or(0) as i32;
        self.severity = all[usize::try_from((i + step).rem_euclid(all.len() as i32)).unwrap_or(0)];
    }

    pub fn command(&mut self, cmd: Cmd) {
        match (cmd, self.focus) {
            (Cmd::Toggle, SEVERITY) => self.cycle(1),
            // Inside a multi-line field the arrows move between its lines; Tab changes field.
            (Cmd::Down, PROBLEM | REQUIREMENT) => self.key(&KeyEvent::from(KeyCode::Down)),
            (Cmd::Up, PROBLEM | REQUIREMENT) => self.key(&KeyEvent::from(KeyCode::Up)),
            (Cmd::Down, _) => self.focus_next(1),
            (Cmd::Up, _) => self.focus_next(-1),
            _ => {}
        }
    }

    pub fn key(&mut self, ev: &KeyEvent) {
        self.error = None;
        match self.focus {
            PROBLEM => self.problem.key(ev),
            REQUIREMENT => self.requirement.key(ev),
            SEVERITY => match ev.code {
                KeyCode::Left => self.cycle(-1),
                KeyCode::Right | KeyCode::Char(' ') => self.cycle(1),
                _ => {}
            },
            DEADLINE => self.deadline.key(ev),
            RESPONSIBLE => self.responsible.key(ev),
            _ => self.evidence.key(ev),
        }
    }

    pub fn paste(&mut self, text: &str) {
        match self.focus {
            PROBLEM => self.problem.paste(text),
            REQUIREMENT => self.requirement.paste(text),
            DEADLINE => self.deadline.paste(text),
            RESPONSIBLE => self.responsible.paste(text),
            EVIDENCE => self.evidence.paste(text),
            _ => {}
        }
    }

    /// The finding as filled in, or what is wrong with it (the form stays open).
    pub fn finding(&self, lang: Lang) -> Result<Finding, String> {
        let problem = self.problem.text().trim().to_string();
        if problem.is_empty() {
            return Err(lang.pick("请填写问题描述", "the problem description is required").into());
        }
        let deadline = NaiveDate::parse_from_str(self.deadline.value().trim(), "%Y-%m-%d").map_err(|_| {
            lang.pick("整改期限格式应为 2026-12-31", "the deadline must look like 2026-12-31").to_string()
        })?;
        Ok(Finding {
            problem,
            severity: self.severity,
            requirement: self.requirement.text().trim().to_string(),
            deadline,
            responsible: self.responsible.value().trim().to_string(),
        })
    }

    pub fn render(
        &self,
        lang: Lang,
        prompt: &str,
        evidence_required: bool,
        frame: &mut Frame<'_>,
        area: Rect,
    ) {
        frame.render_widget(Clear, area);
        let block = Block::bordered().title(lang.pick(" 不合格：记录问题 ", " Failure: record the problem "));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [head, problem, severity, requirement, deadline, responsible, evidence, error] =
            Layout::vertical([
                // The item's prompt: two lines when it is too long for one.
                Constraint::Length(
                    if unicode_width::UnicodeWidthStr::width(prompt) > usize::from(inner.width) {
                        2
                    } else {
                        1
                    },
                ),
                Constraint::Min(2),
                Constraint::Length(1),
                Constraint::Min(2),
                Constraint::Length(1),
                Constraint::Length(1),
                Constraint::Length(1),
                Constraint::Length(1),
            ])
            .areas(inner);
        frame.render_widget(crate::tui::view::wrapped(Span::styled(prompt.to_string(), styled::dim())), head);
        let row = |frame: &mut Frame<'_>, area: Rect, name: &str, focus: bool| -> Rect {
            let [l, f] = Layout::horizontal([Constraint::Length(12), Constraint::Min(1)]).areas(area);
            let style = if focus { styled::key() } else { ratatui::style::Style::default() };
            frame.render_widget(Paragraph::new(Span::styled(name.to_string(), style)), l);
            f
        };
        let f = row(frame, problem, lang.pick("问题描述*", "Problem*"), self.focus == PROBLEM);
        self.problem.render(frame, f, self.focus == PROBLEM);
        let f = row(frame, severity, lang.pick("隐患等级", "Severity"), self.focus == SEVERITY);
        let levels: Vec<Span<'_>> = Severity::ALL
            .iter()
            .flat_map(|s| {
                let text = format!(" {} ", s.label(lang));
                let span = if *s == self.severity {
                    Span::styled(text, styled::selected())
                } else {
                    Span::raw(text)
                };
                [span, Span::raw(" ")]
            })
            .collect();
        frame.render_widget(Paragraph::new(Line::from(levels)), f);
        let f = row(frame, requirement, lang.pick("整改要求", "Requirement"), self.focus == REQUIREMENT);
        self.requirement.render(frame, f, self.focus == REQUIREMENT);
        let f = row(frame, deadline, lang.pick("整改期限", "Deadline"), self.focus == DEADLINE);
        self.deadline.render(frame, f, self.focus == DEADLINE);
        let f = row(frame, responsible, lang.pick("整改责任人", "Responsible"), self.focus == RESPONSIBLE);
        self.responsible.render(frame, f, self.focus == RESPONSIBLE);
        let name = match (evidence_required, lang) {
            (true, Lang::Zh) => format!("证据*({})", self.evidence_count),
            (false, Lang::Zh) => format!("证据({})", self.evidence_count),
            (true, Lang::En) => format!("Evidence*({})", self.evidence_count),
            (false, Lang::En) => format!("Evidence({})", self.evidence_count),
        };
        let f = row(frame, evidence, &name, self.focus == EVIDENCE);
        if self.evidence.value().is_empty() && self.focus != EVIDENCE {
            let hint = lang.pick("照片文件路径，Enter 附加", "photo file path, Enter attaches");
            frame.render_widget(Paragraph::new(Span::styled(hint, styled::dim())), f);
        } else {
            self.evidence.render(frame, f, self.focus == EVIDENCE);
        }
        if let Some(e) = &self.error {
            frame.render_widget(Paragraph::new(Span::styled(e.clone(), styled::warn())), error);
        } else {
            let hint = lang.pick(
                "Tab 下一栏  左/右 改等级  Ctrl-S 保存",
                "Tab next field  Left/Right severity  Ctrl-S save",
            );
            frame.render_widget(Paragraph::new(Span::styled(hint, styled::dim())), error);
        }
    }
}
