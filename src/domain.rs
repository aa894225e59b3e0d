//! The four inspection domains, which are also the kinds of site in the registry, and finding severities.

use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Domain {
    ElderlyCare,
    LotteryOutlet,
    RescueStation,
    SocialOrg,
}

impl Domain {
    pub const ALL: [Domain; 4] =
        [Domain::ElderlyCare, Domain::LotteryOutlet, Domain::RescueStation, Domain::SocialOrg];

    /// The stable key used in checklists, the database and CSV files.
    pub fn key(self) -> &'static str {
        match self {
            Domain::ElderlyCare => "elderly_care",
            Domain::LotteryOutlet => "lottery_outlet",
            Domain::RescueStation => "rescue_station",
            Domain::SocialOrg => "social_org",
        }
    }

    /// The short Chinese name a registry spreadsheet uses for the kind of site.
    pub fn zh_name(self) -> &'static str {
        match self {
            Domain::ElderlyCare => "养老机构",
            Domain::LotteryOutlet => "彩票投注站",
            Domain::RescueStation => "救助管理站",
            Domain::SocialOrg => "社会组织",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Domain::ElderlyCare => lang.pick("养老机构", "Elderly care"),
            Domain::LotteryOutlet => lang.pick("福利彩票投注站", "Lottery outlet"),
            Domain::RescueStation => lang.pick("救助管理站", "Rescue station"),
            Domain::SocialOrg => lang.pick("社会组织", "Social organisation"),
        }
    }

    pub fn from_key(key: &str) -> Option<Domain> {
        Domain::ALL.into_iter().find(|d| d.key() == key)
    }

    /// Accepts the key, the short Chinese name, or the full Chinese label (福利彩票投注站).
    pub fn parse_loose(text: &str) -> Option<Domain> {
        let t = text.trim();
        Domain::ALL
            .into_iter()
            .find(|d| d.key().eq_ignore_ascii_case(t) || d.zh_name() == t || d.label(Lang::Zh) == t)
    }

    pub fn keys() -> Vec<&'static str> {
        Domain::ALL.iter().map(|d| d.key()).collect()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Minor,
    Major,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Minor, Severity::Major, Severity::Critical];

    pub fn key(self) -> &'static str {
        match self {
            Severity::Minor => "minor",
            Severity::Major => "major",
            Severity::Critical => "critical",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Severity::Minor => lang.pick("一般", "minor"),
            Severity::Major => lang.pick("较重", "major"),
            Severity::Critical => lang.pick("重大", "critical"),
        }
    }

    pub fn from_key(key: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|s| s.key() == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_from_keys_and_chinese_names() {
        assert_eq!(Domain::parse_loose("养老机构"), Some(Domain::ElderlyCare));
        assert_eq!(Domain::parse_loose(" lottery_outlet "), Some(Domain::LotteryOutlet));
        assert_eq!(Domain::parse_loose("福利彩票投注站"), Some(Domain::LotteryOutlet));
        assert_eq!(Domain::parse_loose("救助管理站"), Some(Domain::RescueStation));
        assert_eq!(Domain::parse_loose("社会组织"), Some(Domain::SocialOrg));
        assert_eq!(Domain::parse_loose("养老院"), None);
    }

    #[test]
    fn keys_round_trip() {
        for d in Domain::ALL {
            assert_eq!(Domain::from_key(d.key()), Some(d));
        }
        for s in Severity::ALL {
            assert_eq!(Severity::from_key(s.key()), Some(s));
        }
    }
}
