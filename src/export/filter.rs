//! Which rows an export holds: the board's filter (status, domain, town, site, severity, overdue, conflict,
//! free text) and a range of inspection dates.

use chrono::NaiveDate;
use rusqlite::types::Value;

use crate::store::board::{Filter, push_filter};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExportFilter {
    /// The filters the board also has. For the findings export, `statuses`, `severity`, `overdue_only` and
    /// `conflict_only` keep only answers whose rectification matches them.
    pub board: Filter,
    /// Inspections on or after this day (检查日期).
    pub from: Option<NaiveDate>,
    /// Inspections on or before this day.
    pub to: Option<NaiveDate>,
}

impl ExportFilter {
    /// The filter as a short text for the summary line and the audit log, e.g. `status=open,in_progress
    /// town=如城街道`; empty when nothing is filtered.
    pub fn describe(&self) -> String {
        let f = &self.board;
        let mut parts = Vec::new();
        if !f.statuses.is_empty() {
            parts.push(format!("status={}", f.statuses.join(",")));
        }
        let named = [
            ("domain", &f.domain),
            ("town", &f.town),
            ("site", &f.site),
            ("severity", &f.severity),
            ("text", &f.text),
        ];
        for (name, value) in named {
            if let Some(v) = value {
                parts.push(format!("{name}={v}"));
            }
        }
        if f.overdue_only {
            parts.push("overdue".into());
        }
        if f.conflict_only {
            parts.push("conflict".into());
        }
        if let Some(d) = self.from {
            parts.push(format!("from={d}"));
        }
        if let Some(d) = self.to {
            parts.push(format!("to={d}"));
        }
        parts.join(" ")
    }

    /// The conditions of the filter, to follow `WHERE 1 = 1` in a statement naming rectifications `r`,
    /// sites `s` and inspections `i`, with their values (always bound). `today` decides what is overdue.
    pub fn where_sql(&self, today: NaiveDate) -> (String, Vec<Value>) {
        let mut sql = String::new();
        let mut args = Vec::new();
        push_filter(&self.board, &mut sql, &mut args);
        if self.board.overdue_only {
            sql.push_str(" AND r.status NOT IN ('verified', 'withdrawn') AND r.deadline < ?");
            args.push(today.format("%Y-%m-%d").to_string().into());
        }
        let (from, to) = self.date_bounds();
        if let Some(from) = from {
            sql.push_str(" AND i.started_at >= ?");
            args.push(from.into());
        }
        if let Some(to) = to {
            sql.push_str(" AND i.started_at < ?");
            args.push(to.into());
        }
        (sql, args)
    }

    /// The first and the day after the last inspection day, as stored times compare: `started_at >= from`
    /// and `started_at < to_next`.
    pub fn date_bounds(&self) -> (Option<String>, Option<String>) {
        let from = self.from.map(|d| d.format("%Y-%m-%d").to_string());
        let to = self.to.and_then(|d| d.succ_opt()).map(|d| d.format("%Y-%m-%d").to_string());
        (from, to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_every_filter_in_use() {
        let f = ExportFilter {
            board: Filter {
                statuses: vec!["open".into(), "in_progress".into()],
                town: Some("如城街道".into()),
                overdue_only: true,
                ..Filter::default()
            },
            from: NaiveDate::from_ymd_opt(2026, 1, 1),
            to: None,
        };
        assert_eq!(f.describe(), "status=open,in_progress town=如城街道 overdue from=2026-01-01");
        assert_eq!(ExportFilter::default().describe(), "");
    }

    #[test]
    fn the_last_day_is_included() {
        let f = ExportFilter { to: NaiveDate::from_ymd_opt(2026, 12, 31), ..ExportFilter::default() };
        assert_eq!(f.date_bounds(), (None, Some("2027-01-01".into())));
    }
}
