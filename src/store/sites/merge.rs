//! How a registry row is merged into the stored site: a column the file does not have leaves the stored
//! value alone (a file with only the required columns must not wipe addresses, phones or floors, which
//! drive checklist conditions); a column the file has, even empty, sets the value.

use super::SiteFields;
use crate::i18n::Lang;

/// Which optional columns a registry file has (code, kind, name and town are always there).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Columns {
    pub address: bool,
    pub contact: bool,
    pub phone: bool,
    pub floors: bool,
    pub beds: bool,
    pub license: bool,
}

impl Columns {
    /// Every column: the row replaces the stored site.
    pub const ALL: Columns =
        Columns { address: true, contact: true, phone: true, floors: true, beds: true, license: true };

    /// The optional fields whose column is missing, in column order.
    pub fn missing(self) -> Vec<Field> {
        let has = [self.address, self.contact, self.phone, self.floors, self.beds, self.license];
        let fields =
            [Field::Address, Field::Contact, Field::Phone, Field::Floors, Field::Beds, Field::License];
        fields.into_iter().zip(has).filter(|(_, h)| !h).map(|(f, _)| f).collect()
    }
}

/// A field of a site that an import may change (with the sample flag, which a real file clears).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Kind,
    Name,
    Town,
    Address,
    Contact,
    Phone,
    Floors,
    Beds,
    License,
    Sample,
}

impl Field {
    pub const ALL: [Field; 10] = [
        Field::Kind,
        Field::Name,
        Field::Town,
        Field::Address,
        Field::Contact,
        Field::Phone,
        Field::Floors,
        Field::Beds,
        Field::License,
        Field::Sample,
    ];

    /// The column's name as a registry file's Chinese or English header spells it.
    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Field::Kind => ("类型", "kind"),
            Field::Name => ("名称", "name"),
            Field::Town => ("镇街", "town"),
            Field::Address => ("地址", "address"),
            Field::Contact => ("联系人", "contact"),
            Field::Phone => ("电话", "phone"),
            Field::Floors => ("楼层", "floors"),
            Field::Beds => ("床位", "beds"),
            Field::License => ("证照号", "license"),
            Field::Sample => ("示例标记", "sample flag"),
        };
        lang.pick(zh, en)
    }
}

/// The site as it is after importing `row` over `old` from a file with `columns`.
pub fn merge(old: &SiteFields, row: &SiteFields, columns: Columns) -> SiteFields {
    fn pick<T: Clone>(has: bool, new: &T, old: &T) -> T {
        if has { new.clone() } else { old.clone() }
    }
    SiteFields {
        code: row.code.clone(),
        kind: row.kind,
        name: row.name.clone(),
        town: row.town.clone(),
        address: pick(columns.address, &row.address, &old.address),
        contact: pick(columns.contact, &row.contact, &old.contact),
        phone: pick(columns.phone, &row.phone, &old.phone),
        floors: pick(columns.floors, &row.floors, &old.floors),
        beds: pick(columns.beds, &row.beds, &old.beds),
        license: pick(columns.license, &row.license, &old.license),
    }
}

/// The fields that differ between two versions of a site, in column order (the sample flag last).
pub fn changed(old: &SiteFields, old_sample: bool, new: &SiteFields, new_sample: bool) -> Vec<Field> {
    Field::ALL
        .into_iter()
        .filter(|f| match f {
            Field::Kind => old.kind != new.kind,
            Field::Name => old.name != new.name,
            Field::Town => old.town != new.town,
            Field::Address => old.address != new.address,
            Field::Contact => old.contact != new.contact,
            Field::Phone => old.phone != new.phone,
            Field::Floors => old.floors != new.floors,
            Field::Beds => old.beds != new.beds,
            Field::License => old.license != new.license,
            Field::Sample => old_sample != new_sample,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Domain;

    fn full() -> SiteFields {
        SiteFields {
            code: "T001".into(),
            kind: Domain::ElderlyCare,
            name: "测试颐养院".into(),
            town: "如城街道".into(),
            address: "测试路1号".into(),
            contact: "王芳".into(),
            phone: "0513-80000001".into(),
            floors: Some(3),
            beds: Some(120),
            license: "养老备字-T001".into(),
        }
    }

    fn required_only(name: &str) -> SiteFields {
        SiteFields {
            name: name.into(),
            address: String::new(),
            contact: String::new(),
            phone: String::new(),
            floors: None,
            beds: None,
            license: String::new(),
            ..full()
        }
    }

    const NONE: Columns =
        Columns { address: false, contact: false, phone: false, floors: false, beds: false, license: false };

    #[test]
    fn a_column_missing_from_the_file_keeps_the_stored_value() {
        let merged = merge(&full(), &required_only("测试康养中心"), NONE);
        assert_eq!(merged, SiteFields { name: "测试康养中心".into(), ..full() });
        assert_eq!(changed(&full(), false, &merged, false), [Field::Name]);
    }

    #[test]
    fn a_column_present_and_empty_clears_the_value() {
        let columns = Columns { phone: true, floors: true, ..NONE };
        let merged = merge(&full(), &required_only("测试颐养院"), columns);
        assert_eq!(merged, SiteFields { phone: String::new(), floors: None, ..full() });
        assert_eq!(changed(&full(), false, &merged, false), [Field::Phone, Field::Floors]);
        assert_eq!(
            columns.missing(),
            [Field::Address, Field::Contact, Field::Beds, Field::License],
            "the summary names the columns kept"
        );
    }

    #[test]
    fn a_file_with_every_column_replaces_the_site() {
        let row = required_only("测试颐养院");
        assert_eq!(merge(&full(), &row, Columns::ALL), row);
        assert!(Columns::ALL.missing().is_empty());
    }
}
