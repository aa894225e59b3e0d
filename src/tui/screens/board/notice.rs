//! The rectification notice (整改通知书) a rectification's detail prints: which inspection it is for, the
//! file name it is offered under and the message once it is written. The form is the export form's
//! (`export`), with the notice as what it writes.

use chrono::NaiveDate;

use crate::i18n::Lang;
use crate::tui::action::Detail;

/// At most this many characters of the site name go into a file name (names stay well under the 255
/// bytes file systems allow).
const NAME_CHARS: usize = 60;

/// The inspection a notice is for, as the detail view knows it.
#[derive(Clone, Debug, PartialEq)]
pub struct NoticeOf {
    pub inspection_id: String,
    pub site_name: String,
    /// The inspection date, when the detail's start time reads as one.
    pub date: Option<NaiveDate>,
}

impl NoticeOf {
    /// The inspection of the rectification shown.
    pub fn of(detail: &Detail) -> Self {
        NoticeOf {
            inspection_id: detail.rect.inspection_id.clone(),
            site_name: detail.site_name.clone(),
            date: detail.inspected_at.get(..10).and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
        }
    }

    /// `整改通知书-下原镇敬老院-2026-11-29.html` (English: `rectification-notice-….html`); the site name made
    /// safe for a file name, and left out (like the date) when there is none.
    pub fn file_name(&self, lang: Lang) -> String {
        let mut parts = vec![lang.pick("整改通知书", "rectification-notice").to_string()];
        let site = file_safe(&self.site_name);
        if !site.is_empty() {
            parts.push(site);
        }
        if let Some(date) = self.date {
            parts.push(date.format("%Y-%m-%d").to_string());
        }
        format!("{}.html", parts.join("-"))
    }
}

/// `name` as one part of a file name: path separators, characters Windows refuses (`\ : * ? " < > |`) and
/// control characters become `_`; then leading and trailing spaces, dots and `_` are dropped (so `../..`
/// is nothing); at most [`NAME_CHARS`] characters are kept.
pub fn file_safe(name: &str) -> String {
    let replaced: String = name
        .chars()
        .map(|c| if c.is_control() || "/\\:*?\"<>|".contains(c) { '_' } else { c })
        .take(NAME_CHARS)
        .collect();
    replaced.trim_matches(|c: char| c.is_whitespace() || c == '.' || c == '_').to_string()
}

/// Whether a typed path already ends in `.html` or `.htm` (any case).
pub fn is_html(path: &str) -> bool {
    std::path::Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// The message after a notice is written.
pub fn notice_message(lang: Lang, number: &str, items: usize, path: &str) -> String {
    match lang {
        Lang::Zh => format!("已出具整改通知书 {number}（{items} 项）→ {path}"),
        Lang::En if items == 1 => format!("rectification notice {number} (1 item) → {path}"),
        Lang::En => format!("rectification notice {number} ({items} items) → {path}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_names_are_made_safe_for_a_file_name() {
        assert_eq!(file_safe("如城敬老院"), "如城敬老院");
        assert_eq!(file_safe("A/B\\C:D*E?F\"G<H>I|J"), "A_B_C_D_E_F_G_H_I_J");
        assert_eq!(file_safe("../../etc/passwd"), "etc_passwd");
        assert_eq!(file_safe(" .. "), "");
        assert_eq!(file_safe("第一\n第二\t\u{0}"), "第一_第二");
        assert_eq!(file_safe(&"长".repeat(100)).chars().count(), NAME_CHARS);
    }

    #[test]
    fn the_file_name_leaves_out_what_is_unknown() {
        let of = |site: &str, date| NoticeOf { inspection_id: "I".into(), site_name: site.into(), date };
        let day = NaiveDate::from_ymd_opt(2026, 11, 29);
        assert_eq!(of("下原镇/敬老院", day).file_name(Lang::Zh), "整改通知书-下原镇_敬老院-2026-11-29.html");
        assert_eq!(of("", day).file_name(Lang::En), "rectification-notice-2026-11-29.html");
        assert_eq!(of("/..", None).file_name(Lang::Zh), "整改通知书.html");
    }

    #[test]
    fn html_extensions_in_any_case() {
        assert!(is_html("a/通知.HTML") && is_html("n.htm"));
        assert!(!is_html("n.pdf") && !is_html("html"));
    }

    #[test]
    fn the_message_names_number_items_and_file() {
        let zh = notice_message(Lang::Zh, "督整〔2026〕第003号", 4, "/home/u/a.html");
        assert_eq!(zh, "已出具整改通知书 督整〔2026〕第003号（4 项）→ /home/u/a.html");
        assert_eq!(notice_message(Lang::En, "N", 1, "/a.html"), "rectification notice N (1 item) → /a.html");
    }
}
