//! Filtering lists as the inspector types: by substring of name, code or town, or by the pinyin initials
//! of Chinese names (`rcjd` finds 如城街道, `jly` finds 敬老院). Characters with several readings (长:
//! chang/zhang) match any of them.

use pinyin::ToPinyinMulti;

/// The possible initial letters of each character of `text`, lowercase; ASCII letters and digits stand for
/// themselves, other characters (punctuation, spaces) are dropped.
fn initial_sets(text: &str) -> Vec<Vec<char>> {
    text.chars()
        .filter_map(|c| {
            if c.is_ascii_alphanumeric() {
                return Some(vec![c.to_ascii_lowercase()]);
            }
            let multi = c.to_pinyin_multi()?;
            let mut letters: Vec<char> =
                multi.into_iter().filter_map(|p| p.first_letter().chars().next()).collect();
            letters.dedup();
            Some(letters)
        })
        .collect()
}

fn initials_contain(text: &str, query: &[char]) -> bool {
    let sets = initial_sets(text);
    if query.is_empty() {
        return true;
    }
    sets.windows(query.len()).any(|w| w.iter().zip(query).all(|(set, q)| set.contains(q)))
}

/// Whether `query` matches any of `fields`: as a case-insensitive substring, or (for an ASCII query) as
/// consecutive pinyin initials. Whitespace-separated words must all match.
pub fn matches(query: &str, fields: &[&str]) -> bool {
    query.split_whitespace().all(|word| {
        let lower = word.to_lowercase();
        let ascii: Vec<char> = lower.chars().collect();
        fields
            .iter()
            .any(|f| f.to_lowercase().contains(&lower) || (lower.is_ascii() && initials_contain(f, &ascii)))
    })
}

/// The most spellings of one text kept by [`initials_index`]: each character with several initials doubles
/// them, and past this the first reading of the rest is used.
const MAX_SPELLINGS: usize = 16;

/// The pinyin initials of each of `texts`, every spelling of each (长江镇 gives `cjz` and `zjz`), joined by
/// `|`: stored with a site so the registry is searched in the database (`initials LIKE '%jly%'`) instead of
/// converting every name while the inspector types. A query word never contains `|`, so no match spans two
/// spellings. Starts with `|`, so it is never empty (an empty value marks a row to compute).
pub fn initials_index(texts: &[&str]) -> String {
    let mut out = String::new();
    for text in texts {
        let mut spellings: Vec<String> = vec![String::new()];
        for set in initial_sets(text) {
            if spellings.len() * set.len() <= MAX_SPELLINGS {
                spellings =
                    spellings.iter().flat_map(|s| set.iter().map(move |c| format!("{s}{c}"))).collect();
            } else if let Some(c) = set.first() {
                spellings.iter_mut().for_each(|s| s.push(*c));
            }
        }
        for s in spellings {
            out.push('|');
            out.push_str(&s);
        }
    }
    if out.is_empty() {
        out.push('|');
    }
    out
}

/// The words of a query: whitespace-separated, lowercase; a site matches when it matches every word.
pub fn words(query: &str) -> Vec<String> {
    query.split_whitespace().map(str::to_lowercase).collect()
}

/// Up to `n` of `candidates` closest to `text` by edit distance (counted in characters), closest first.
pub fn closest(text: &str, candidates: &[String], n: usize) -> Vec<String> {
    let mut scored: Vec<(usize, &String)> =
        candidates.iter().map(|c| (strsim::damerau_levenshtein(text, c), c)).collect();
    scored.sort();
    scored.into_iter().take(n).map(|(_, c)| c.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::{initials_index, matches};

    #[test]
    fn the_initials_index_holds_every_spelling_of_each_text() {
        assert_eq!(initials_index(&["下原镇敬老院", "下原镇"]), "|xyzjly|xyz");
        let both = initials_index(&["长江镇"]);
        assert!(both.contains("|cjz") && both.contains("|zjz"), "{both}");
        assert_eq!(initials_index(&["YL-001"]), "|yl001");
        assert_eq!(initials_index(&[]), "|");
        // Forty characters of two readings each stay within the cap.
        assert!(initials_index(&[&"长".repeat(40)]).split('|').count() <= 17);
    }

    #[test]
    fn pinyin_initials_substrings_and_codes_all_find_sites() {
        let cases: &[(&str, &[&str], bool)] = &[
            ("rcjd", &["如皋市康乐颐养院", "如城街道"], true),
            ("jly", &["下原镇敬老院", "下原镇"], true),
            ("xyz jly", &["下原镇敬老院", "下原镇"], true),
            ("cjz", &["长江镇永平敬老院"], true),  // 长 read as chang
            ("zjz", &["长江镇永平敬老院"], true),  // 长 read as zhang
            ("jcz", &["长江镇永平敬老院"], false), // initials out of order
            ("敬老", &["下原镇敬老院"], true),
            ("yl00", &["YL001"], true),
            ("3206", &["32068001"], true),
            ("磨头", &["下原镇敬老院", "下原镇"], false),
            ("", &["任何"], true),
        ];
        for (q, fields, expected) in cases {
            assert_eq!(matches(q, fields), *expected, "{q} in {fields:?}");
        }
    }
}
