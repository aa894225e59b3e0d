//! The legal bases a notice cites: the documents named in the `basis` fields of the checklist's items,
//! each once, in checklist order. A basis field cites articles (`《中华人民共和国消防法》第十六条、第二十八条；
//! 《…》`); the notice names the documents, so the articles and notes in brackets are left to the table.

/// The documents cited by `bases` (the items' basis fields, in order), each once.
pub fn legal_bases<'a>(bases: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut cited: Vec<(String, String)> = Vec::new(); // (key, as printed)
    for field in bases {
        for segment in field.split(['；', ';', '\n']) {
            for (key, shown) in documents(segment.trim()) {
                if !cited.iter().any(|(k, _)| *k == key) {
                    cited.push((key, shown));
                }
            }
        }
    }
    cited.into_iter().map(|(_, shown)| shown).collect()
}

/// The documents one segment of a basis field names: each `《title》` (with a standard's number before it,
/// `GB 50016-2014（2018年版）《建筑设计防火规范》`, and an order's number after it, `（公安部令第61号）`), or, for
/// a segment without a title (`本省福利彩票销售场所管理规定（以本省规定为准）`), the segment without its notes
/// and articles. Each comes with the key it is deduplicated by (the title, or the text).
fn documents(segment: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = segment;
    let mut first = true;
    while let Some(open) = rest.find('《') {
        let Some(len) = rest[open..].find('》') else { break };
        let close = open + len + '》'.len_utf8();
        let title = &rest[open..close];
        let before = rest[..open].trim();
        let prefix = if first && before.starts_with(|c: char| c.is_ascii_uppercase()) {
            before.to_string()
        } else {
            String::new()
        };
        let after = &rest[close..];
        let issuer = after
            .strip_prefix('（')
            .and_then(|a| a.find('）').map(|end| &a[..end]))
            .filter(|inner| inner.ends_with('号'))
            .map(|inner| format!("（{inner}）"))
            .unwrap_or_default();
        found.push((title.to_string(), format!("{prefix}{title}{issuer}")));
        rest = &after[issuer.len()..];
        first = false;
    }
    if found.is_empty() {
        let text = without_notes(segment);
        if !text.is_empty() {
            found.push((text.clone(), text));
        }
    }
    found
}

/// A segment without bracketed notes and from its first article reference (`第…条`) on.
fn without_notes(segment: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in segment.chars() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    let cut = out.find('第').filter(|at| out[*at..].contains('条')).unwrap_or(out.len());
    out[..cut].trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::legal_bases;

    #[test]
    fn each_document_is_cited_once_in_order_without_its_articles() {
        let fields = [
            "《养老机构重大事故隐患判定标准》“日常管理存在严重问题”情形；《中华人民共和国消防法》第十六条、第十七条；\
             《机关、团体、企业、事业单位消防安全管理规定》（公安部令第61号）第四条",
            "《中华人民共和国消防法》第二十八条；GB 50016-2014（2018年版）《建筑设计防火规范》第8.3.4条",
            "GB 50140-2005《建筑灭火器配置设计规范》；GB 50140《建筑灭火器配置设计规范》",
            "本省福利彩票销售场所管理规定（以本省规定为准）",
            "",
            "本省福利彩票销售场所管理规定",
        ];
        assert_eq!(
            legal_bases(fields),
            [
                "《养老机构重大事故隐患判定标准》",
                "《中华人民共和国消防法》",
                "《机关、团体、企业、事业单位消防安全管理规定》（公安部令第61号）",
                "GB 50016-2014（2018年版）《建筑设计防火规范》",
                "GB 50140-2005《建筑灭火器配置设计规范》",
                "本省福利彩票销售场所管理规定",
            ]
        );
    }

    #[test]
    fn two_titles_in_one_segment_are_both_cited() {
        assert_eq!(
            legal_bases(["《彩票管理条例》第十八条及《彩票管理条例实施细则》第三十一条"]),
            ["《彩票管理条例》", "《彩票管理条例实施细则》"]
        );
        assert!(legal_bases(["第十条"]).is_empty(), "an article alone names no document");
    }
}
