//! People's names as typed in a list (inspectors, officers on duty, a random plan's pool): how the list is
//! split, and which names are not registered users (with the registered names closest to each). One rule
//! for the console and the command line.
//!
//! Names are split on 、 , ， ; ； and line breaks, never on spaces: a name may hold one (an English name, or
//! 欧阳 娜 as someone typed it), and a space typed between two Chinese names is not taken for a separator.

use crate::i18n::Lang;

/// The separators between names.
pub const SEPARATORS: [char; 7] = ['、', ',', '，', ';', '；', '\n', '\r'];

/// The names of a typed list: split on [`SEPARATORS`], trimmed, empty ones dropped, duplicates removed (the
/// first kept).
pub fn split(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in text.split(SEPARATORS).map(str::trim).filter(|n| !n.is_empty()) {
        if !out.iter().any(|o| o == n) {
            out.push(n.to_string());
        }
    }
    out
}

/// A name that is not a registered user, with the registered names closest to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unregistered {
    pub name: String,
    pub close: Vec<String>,
}

/// How many close names are offered for one unregistered name.
const CLOSE: usize = 3;

/// The names of `names` that are not in `registered`, in order, each with up to three registered names
/// close to it (at most half its length in edits away, and at least one edit for a two-character name).
pub fn unregistered(names: &[String], registered: &[String]) -> Vec<Unregistered> {
    names
        .iter()
        .filter(|n| !registered.contains(n))
        .map(|n| {
            let limit = (n.chars().count() / 2).max(1);
            let close = crate::search::closest(n, registered, registered.len())
                .into_iter()
                .filter(|c| strsim::damerau_levenshtein(n, c) <= limit)
                .take(CLOSE)
                .collect();
            Unregistered { name: n.clone(), close }
        })
        .collect()
}

/// One line saying which names are not registered users: `未登记的用户：王方（是否为 王芳？）、赵六`.
pub fn warning(found: &[Unregistered], lang: Lang) -> Option<String> {
    if found.is_empty() {
        return None;
    }
    let parts: Vec<String> = found
        .iter()
        .map(|u| {
            let name = crate::shown::quote(&u.name);
            if u.close.is_empty() {
                return name;
            }
            let close: Vec<String> = u.close.iter().map(|c| crate::shown::quote(c)).collect();
            match lang {
                Lang::Zh => format!("{name}（是否为 {}？）", close.join("、")),
                Lang::En => format!("{name} (did you mean {}?)", close.join(", ")),
            }
        })
        .collect();
    Some(match lang {
        Lang::Zh => format!("未登记的用户：{}", parts.join("、")),
        Lang::En => format!("not registered users: {}", parts.join("; ")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_split_on_chinese_and_ascii_separators_but_not_on_spaces() {
        let cases: &[(&str, &[&str])] = &[
            ("王芳、李强", &["王芳", "李强"]),
            ("王芳，李强", &["王芳", "李强"]),
            ("王芳, 李强", &["王芳", "李强"]),
            ("王芳；李强;张伟", &["王芳", "李强", "张伟"]),
            ("Li Qiang, 王芳", &["Li Qiang", "王芳"]),
            ("王芳 李强", &["王芳 李强"]),
            ("王芳、王芳", &["王芳"]),
            (" 、 ", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(split(text), *expected, "{text:?}");
        }
    }

    #[test]
    fn unregistered_names_come_with_the_close_registered_ones() {
        let registered: Vec<String> = ["王芳", "李强", "王芳芳", "张伟"].map(String::from).to_vec();
        let names = split("王方、李强、赵六");
        let found = unregistered(&names, &registered);
        assert_eq!(
            found,
            [
                Unregistered { name: "王方".into(), close: vec!["王芳".into()] },
                Unregistered { name: "赵六".into(), close: vec![] },
            ]
        );
        assert_eq!(warning(&found, Lang::Zh).as_deref(), Some("未登记的用户：王方（是否为 王芳？）、赵六"));
        assert_eq!(
            warning(&found, Lang::En).as_deref(),
            Some("not registered users: 王方 (did you mean 王芳?); 赵六")
        );
        assert_eq!(warning(&unregistered(&split("王芳、张伟"), &registered), Lang::Zh), None);
    }
}
