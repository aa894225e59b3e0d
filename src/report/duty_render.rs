//! The duty-log coverage report as text. A pure function of the report data.

use chrono::NaiveDateTime;

use super::duty::{DutyReport, Issue, LogCoverage, Shift, ShiftState};
use super::render::indent;
use crate::i18n::Lang;
use crate::inspection::value::DATETIME_FORMAT;
use crate::textable;

fn time(t: Option<NaiveDateTime>) -> String {
    t.map(|t| t.format(DATETIME_FORMAT).to_string()).unwrap_or_default()
}

/// "2天3小时5分" / "2 d 3 h 5 min", leaving out zero parts.
pub fn duration(minutes: i64, lang: Lang) -> String {
    let (d, h, m) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    let mut parts = Vec::new();
    for (n, zh, en) in [(d, "天", " d"), (h, "小时", " h"), (m, "分", " min")] {
        if n > 0 {
            parts.push(format!("{n}{}", lang.pick(zh, en)));
        }
    }
    if parts.is_empty() {
        return lang.pick("0分", "0 min").into();
    }
    parts.join(lang.pick("", " "))
}

fn state(s: ShiftState, lang: Lang) -> &'static str {
    match s {
        ShiftState::Submitted => lang.pick("已提交", "submitted"),
        ShiftState::Draft => lang.pick("草稿", "draft"),
        ShiftState::InProgress => lang.pick("草稿（进行中）", "draft (in progress)"),
    }
}

fn issue(i: Issue, lang: Lang) -> &'static str {
    match i {
        Issue::NoStart => lang.pick("未填接班时间，不计覆盖", "no start recorded: covers nothing"),
        Issue::NoEnd => {
            lang.pick("未填交班时间，只计到接班时刻", "no end recorded: counts until its start only")
        }
        Issue::EndNotAfterStart => {
            lang.pick("交班时间不晚于接班时间，不计覆盖", "end not after start: covers nothing")
        }
    }
}

fn shift_headers(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::Zh => ["接班时间", "交班时间", "状态", "值班人员", "交接班签字"],
        Lang::En => ["start", "end", "state", "officers", "handover"],
    }
}

fn shift_row(s: &Shift, lang: Lang) -> Vec<String> {
    let start = if s.start.is_some() {
        time(s.start)
    } else {
        match lang {
            Lang::Zh => format!("（录入于 {}）", time(s.entered_at)),
            Lang::En => format!("(entered {})", time(s.entered_at)),
        }
    };
    vec![start, time(s.end), state(s.state, lang).into(), s.officers.clone(), s.handover.clone()]
}

fn table_or_none(headers: &[&str], rows: &[Vec<String>], lang: Lang) -> String {
    if rows.is_empty() {
        indent(lang.pick("（无）", "(none)"))
    } else {
        indent(&textable::render(headers, rows))
    }
}

fn log_text(l: &LogCoverage, lang: Lang) -> String {
    let drafts = l.shifts.iter().filter(|s| s.state != ShiftState::Submitted).count();
    let mut out = match lang {
        Lang::Zh => format!("{} · {}（{}）\n", l.title, l.site_name, l.site_code),
        Lang::En => format!("{} · {} ({})\n", l.title, l.site_name, l.site_code),
    };
    let summary = match lang {
        Lang::Zh => format!(
            "班次 {} 个（其中草稿 {drafts} 个）；未覆盖 {} 段，共 {}",
            l.shifts.len(),
            l.gaps.len(),
            duration(l.gap_minutes(), lang)
        ),
        Lang::En => format!(
            "{} shift(s) ({drafts} draft); {} uncovered period(s), {} in all",
            l.shifts.len(),
            l.gaps.len(),
            duration(l.gap_minutes(), lang)
        ),
    };
    out.push_str(&indent(&summary));

    out.push_str(&indent(lang.pick("未覆盖时段：", "Periods no shift covers:")));
    let gap_rows: Vec<Vec<String>> = l
        .gaps
        .iter()
        .map(|g| vec![time(Some(g.from)), time(Some(g.to)), duration(g.minutes(), lang)])
        .collect();
    let gap_headers = match lang {
        Lang::Zh => ["起", "止", "时长"],
        Lang::En => ["from", "to", "length"],
    };
    out.push_str(&indent(&table_or_none(&gap_headers, &gap_rows, lang)));

    out.push_str(&indent(lang.pick("未交接班签字的班次：", "Shifts without a handover sign-off:")));
    let rows: Vec<Vec<String>> = l.without_handover().map(|s| shift_row(s, lang)).collect();
    out.push_str(&indent(&table_or_none(&shift_headers(lang), &rows, lang)));

    let issues: Vec<Vec<String>> = l
        .with_issues()
        .map(|(s, i)| {
            let mut row = shift_row(s, lang);
            row.truncate(4);
            row.push(issue(i, lang).into());
            row
        })
        .collect();
    if !issues.is_empty() {
        out.push_str(&indent(lang.pick("时间不完整的班次：", "Shifts with incomplete times:")));
        let mut h = shift_headers(lang).to_vec();
        h[4] = lang.pick("问题", "problem");
        out.push_str(&indent(&table_or_none(&h, &issues, lang)));
    }

    out.push_str(&indent(lang.pick("班次明细：", "Shifts:")));
    let rows: Vec<Vec<String>> = l.shifts.iter().map(|s| shift_row(s, lang)).collect();
    out.push_str(&indent(&table_or_none(&shift_headers(lang), &rows, lang)));
    out
}

/// Plain text: the period, then each log at each site with its gaps, missing handovers and shifts.
pub fn render_text(r: &DutyReport, lang: Lang) -> String {
    let (from, to) = (time(Some(r.from)), time(Some(r.to)));
    let mut out = match lang {
        Lang::Zh => format!("值班记录覆盖情况：{from} 至 {to}\n"),
        Lang::En => format!("Duty-log coverage: {from} to {to}\n"),
    };
    if r.logs.is_empty() {
        out.push_str(lang.pick("没有值班记录类检查表。\n", "No duty-log checklists.\n"));
    }
    for l in &r.logs {
        out.push('\n');
        out.push_str(&log_text(l, lang));
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::i18n::Lang;

    #[test]
    fn durations_leave_out_zero_parts() {
        assert_eq!(super::duration(60 * 26 + 5, Lang::Zh), "1天2小时5分");
        assert_eq!(super::duration(90, Lang::En), "1 h 30 min");
        assert_eq!(super::duration(0, Lang::En), "0 min");
    }
}
