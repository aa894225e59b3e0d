//! Generators of hostile input for the checklist loader and the site registry import: binary data,
//! UTF-16/32 text, NUL bytes, deep nesting, huge lines, many errors, terminal escapes, too many rows.
//! Each case says what the documented outcome is; `tests/reliability_hostile.rs` runs them through the
//! library and the binary, and `fuzz/` uses the same shapes as seeds.

#![allow(dead_code)]

/// What a case must come to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Refused, with a message containing this text (in English).
    Refused(&'static str),
    /// Loaded or imported.
    Accepted,
}

pub struct Case {
    pub name: &'static str,
    pub bytes: Vec<u8>,
    pub expect: Expect,
}

/// Deterministic pseudo-random bytes (xorshift), so a case is the same on every run.
pub fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        out.extend_from_slice(&seed.to_le_bytes());
    }
    out.truncate(len);
    out
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let units = (bom.then_some(0xfeff_u16)).into_iter().chain(text.encode_utf16());
    for u in units {
        out.extend_from_slice(&if big_endian { u.to_be_bytes() } else { u.to_le_bytes() });
    }
    out
}

fn utf32(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let chars = (bom.then_some(0xfeff_u32)).into_iter().chain(text.chars().map(u32::from));
    for c in chars {
        out.extend_from_slice(&if big_endian { c.to_be_bytes() } else { c.to_le_bytes() });
    }
    out
}

/// A small valid checklist.
pub const CHECKLIST: &str = "id = \"hostile\"\nversion = 1\ntitle = \"测试\"\ndomain = \"elderly_care\"\n\n\
[[sections]]\nid = \"s1\"\ntitle = \"消防\"\n\n  [[sections.items]]\n  id = \"exit_clear\"\n  prompt = \"安全出口是否畅通？\"\n  \
kind = \"check\"\n";

/// Hostile checklists, all below the 1 MiB limit except the one that tests it. `full` gives the sizes of
/// the full form (many-error cases as large as the limits allow); else smaller ones of the same shape.
pub fn checklists(full: bool) -> Vec<Case> {
    let many = if full { 8_000 } else { 1_000 };
    let refused = Expect::Refused;
    let mut cases = vec![
        Case { name: "valid", bytes: CHECKLIST.into(), expect: Expect::Accepted },
        Case { name: "binary", bytes: noise(64 * 1024, 7), expect: refused("") },
        Case { name: "utf16le-bom", bytes: utf16(CHECKLIST, false, true), expect: refused("UTF-16") },
        Case { name: "utf16be", bytes: utf16(CHECKLIST, true, false), expect: refused("UTF-16") },
        Case { name: "utf32le-bom", bytes: utf32(CHECKLIST, false, true), expect: refused("UTF-32") },
        Case { name: "utf32be", bytes: utf32(CHECKLIST, true, false), expect: refused("UTF-32") },
        Case {
            name: "nul", bytes: CHECKLIST.replace("消防", "消\0防").into(), expect: refused("binary")
        },
        Case {
            name: "gb18030",
            bytes: encoding_rs::GB18030.encode(CHECKLIST).0.into_owned(),
            expect: refused("UTF-8"),
        },
        Case {
            name: "deep-arrays",
            bytes: format!("{CHECKLIST}  x = {}1{}\n", "[".repeat(50_000), "]".repeat(50_000)).into(),
            expect: refused(""),
        },
        Case {
            name: "deep-tables",
            bytes: format!("{CHECKLIST}  x = {}1{}\n", "{a=".repeat(20_000), "}".repeat(20_000)).into(),
            expect: refused(""),
        },
        Case {
            name: "huge-line",
            bytes: format!("{CHECKLIST}  guidance = \"{}\"\n", "长".repeat(300_000)).into(),
            expect: Expect::Accepted,
        },
        Case {
            name: "huge-key",
            bytes: format!("{CHECKLIST}  {} = 1\n", "k".repeat(900_000)).into(),
            expect: refused("unknown key"),
        },
        Case {
            name: "many-syntax-errors",
            bytes: "= = =\n".repeat(many * 20).into(),
            expect: refused("and "),
        },
        Case {
            name: "many-unknown-keys",
            bytes: format!(
                "{CHECKLIST}{}",
                (0..many).map(|i| format!("  unknown_{i} = 1\n")).collect::<String>()
            )
            .into(),
            expect: refused("more problem"),
        },
        Case {
            name: "escaped-key",
            bytes: format!("{CHECKLIST}  \"\\u001b[2J\\u001b]0;HACKED\\u0007\" = 1\n").into(),
            expect: refused("unknown key"),
        },
        // A raw control character in a string is a TOML syntax error; the message must not echo it raw.
        Case {
            name: "raw-escape",
            bytes: format!("{CHECKLIST}  note = \"\u{1b}[2J\u{1b}]0;HACKED\u{7}\"\n").into(),
            expect: refused("syntax"),
        },
        Case { name: "empty", bytes: Vec::new(), expect: refused("") },
        Case { name: "too-large", bytes: vec![b'#'; 1024 * 1024 + 1], expect: refused("") },
    ];
    cases.push(Case {
        name: "crlf",
        bytes: CHECKLIST.replace('\n', "\r\n").into(),
        expect: Expect::Accepted,
    });
    cases
}

pub const HEADER: &str = "code,kind,name,town,address,contact,phone,floors,beds,license\n";

/// A valid registry row with a given code number.
pub fn row(i: usize) -> String {
    format!("H{i:07},elderly_care,测试敬老院{i},如城街道,如城街道测试路{i}号,张三,0513-85631306,2,40,\n")
}

/// `n` valid rows under the header.
pub fn registry_rows(n: usize) -> Vec<u8> {
    let mut s = String::with_capacity(n * 90 + HEADER.len());
    s.push_str(HEADER);
    for i in 0..n {
        s.push_str(&row(i));
    }
    s.into_bytes()
}

/// A registry of ASCII-only rows (what a BOM-less UTF-16 sniff can recognise).
fn registry_ascii() -> String {
    format!("{HEADER}A1,elderly_care,Home,Rucheng,,,,,,\nA2,elderly_care,Home2,Rucheng,,,,,,\n")
}

/// Hostile registry files, in memory (`full` as for [`checklists`]).
pub fn registries(full: bool) -> Vec<Case> {
    let many = if full { 20_000 } else { 2_000 };
    let refused = Expect::Refused;
    let valid = String::from_utf8(registry_rows(3)).unwrap_or_default();
    vec![
        Case { name: "valid", bytes: valid.clone().into(), expect: Expect::Accepted },
        Case { name: "binary", bytes: noise(64 * 1024, 11), expect: refused("") },
        Case { name: "utf16le-bom", bytes: utf16(&valid, false, true), expect: refused("UTF-16") },
        // Without a mark, mostly-Chinese UTF-16 has too few NUL bytes for the NUL test; it is recognised by
        // decoding and named all the same.
        Case { name: "utf16be", bytes: utf16(&valid, true, false), expect: refused("UTF-16BE") },
        Case { name: "utf32le-bom", bytes: utf32(&valid, false, true), expect: refused("UTF-32") },
        // Likewise BOM-less UTF-32 of Chinese text (its high bytes are NUL, the others are not).
        Case { name: "utf32be", bytes: utf32(&valid, true, false), expect: refused("UTF-32") },
        Case {
            name: "utf32le-ascii",
            bytes: utf32(&registry_ascii(), false, false),
            expect: refused("UTF-32"),
        },
        Case {
            name: "utf16le-ascii",
            bytes: utf16(&registry_ascii(), false, false),
            expect: refused("UTF-16"),
        },
        Case {
            name: "nul-in-name",
            bytes: valid.replacen("测试敬老院1", "测试\0敬老院", 1).into(),
            expect: refused(""),
        },
        Case {
            name: "escape-in-name",
            bytes: valid.replacen("测试敬老院1", "\u{1b}]0;HACKED\u{7}", 1).into(),
            expect: refused(""),
        },
        Case {
            name: "huge-cell",
            bytes: format!("{HEADER}H1,elderly_care,{},如城街道,,,,,,\n", "名".repeat(1_000_000)).into(),
            expect: refused(""),
        },
        Case {
            name: "huge-line-no-newline",
            bytes: format!("{HEADER}{}", "x".repeat(4 * 1024 * 1024)).into(),
            expect: refused(""),
        },
        Case {
            name: "many-errors",
            bytes: format!("{HEADER}{}", "bad,row\n".repeat(many)).into(),
            expect: refused(""),
        },
        Case {
            name: "unterminated-quote",
            bytes: format!("{HEADER}H1,elderly_care,\"没有结束的引号,如城街道,,,,,,\n{}", row(2)).into(),
            expect: refused("quote"),
        },
        Case {
            name: "extra-fields",
            bytes: format!("{HEADER}H1,elderly_care,名,如城街道,,,,,,,多余\n").into(),
            expect: refused(""),
        },
        Case { name: "empty", bytes: Vec::new(), expect: refused("") },
        Case { name: "header-only", bytes: HEADER.into(), expect: Expect::Accepted },
        Case {
            name: "full-width-code",
            bytes: format!("{HEADER}Ｈ１２３,elderly_care,名,如城街道,,,,,,\n").into(),
            expect: refused(""),
        },
    ]
}
