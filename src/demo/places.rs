//! Made-up places: the counties of a province (the sample county first), their towns, and new sites of
//! each kind with plausible names, codes, addresses and licences.

use std::collections::HashSet;

use rand::Rng;
use rand::seq::IndexedRandom;

use super::Rng8;
use super::people;
use crate::domain::Domain;
use crate::store::sites::SiteFields;

/// A county-level bureau's area.
#[derive(Clone, Debug)]
pub struct County {
    pub name: String,
    /// The administrative code (320682), used in generated site codes.
    pub code6: String,
    pub area_code: &'static str,
    pub towns: Vec<String>,
    /// Numbers already used by the sample registry, so generated codes continue after them.
    first_elderly: u32,
    first_outlet: u32,
    sample: bool,
}

/// The sample registry's county (如皋市) and its towns.
pub fn sample_county(towns: Vec<String>, elderly: u32, outlets: u32) -> County {
    County {
        name: "如皋市".into(),
        code6: "320682".into(),
        area_code: "0513",
        towns,
        first_elderly: elderly + 1,
        first_outlet: outlets + 1,
        sample: true,
    }
}

/// Cities of the province (area code, code prefix) and their county-level areas.
const CITIES: &[(&str, &str, &[&str])] = &[
    (
        "025",
        "3201",
        &[
            "玄武区",
            "秦淮区",
            "建邺区",
            "鼓楼区",
            "浦口区",
            "栖霞区",
            "雨花台区",
            "江宁区",
            "六合区",
            "溧水区",
            "高淳区",
            "江北新区",
        ],
    ),
    ("0510", "3202", &["锡山区", "惠山区", "滨湖区", "梁溪区", "新吴区", "江阴市", "宜兴市"]),
    (
        "0516",
        "3203",
        &["云龙区", "贾汪区", "泉山区", "铜山区", "丰县", "沛县", "睢宁县", "新沂市", "邳州市", "徐州经开区"],
    ),
    ("0519", "3204", &["天宁区", "钟楼区", "新北区", "武进区", "金坛区", "溧阳市", "常州经开区"]),
    (
        "0512",
        "3205",
        &[
            "虎丘区",
            "吴中区",
            "相城区",
            "姑苏区",
            "吴江区",
            "常熟市",
            "张家港市",
            "昆山市",
            "太仓市",
            "苏州工业园区",
        ],
    ),
    ("0513", "3206", &["崇川区", "通州区", "海门区", "如东县", "启东市", "海安市", "南通开发区"]),
    ("0518", "3207", &["连云区", "海州区", "赣榆区", "东海县", "灌云县", "灌南县"]),
    ("0517", "3208", &["淮安区", "淮阴区", "清江浦区", "洪泽区", "涟水县", "盱眙县", "金湖县"]),
    (
        "0515",
        "3209",
        &[
            "亭湖区",
            "盐都区",
            "大丰区",
            "响水县",
            "滨海县",
            "阜宁县",
            "射阳县",
            "建湖县",
            "东台市",
            "盐城经开区",
        ],
    ),
    ("0514", "3210", &["广陵区", "邗江区", "江都区", "宝应县", "仪征市", "高邮市"]),
    ("0511", "3211", &["京口区", "润州区", "丹徒区", "丹阳市", "扬中市", "句容市"]),
    ("0523", "3212", &["海陵区", "高港区", "姜堰区", "兴化市", "靖江市", "泰兴市"]),
    ("0527", "3213", &["宿城区", "宿豫区", "沭阳县", "泗阳县", "泗洪县"]),
];

const TOWN_FIRST: &[&str] = &[
    "东", "西", "南", "北", "新", "河", "湖", "港", "白", "青", "黄", "石", "双", "三", "大", "小", "马",
    "龙", "凤", "金", "杨", "柳", "花", "桃", "沙", "洋", "高", "长", "平", "安", "兴", "永", "丰", "古",
    "陈", "洪",
];
const TOWN_SECOND: &[&str] = &[
    "桥", "港", "集", "口", "塘", "沟", "圩", "庄", "湾", "洲", "岗", "坝", "营", "店", "林", "山", "泉",
    "河", "墩", "埠", "溪", "浦", "闸", "渡", "城", "陵",
];
const ROADS: &[&str] = &[
    "人民路",
    "建设路",
    "解放路",
    "中山路",
    "长江路",
    "和平路",
    "文化路",
    "健康路",
    "育才路",
    "幸福路",
    "振兴路",
    "富民路",
    "新华路",
    "胜利路",
    "友谊路",
    "通江路",
    "园林路",
    "工农路",
    "民主路",
    "朝阳路",
];

/// `count` generated counties (after the sample one), each with its towns.
pub fn generated_counties(rng: &mut Rng8, count: usize) -> Vec<County> {
    let all: Vec<(&'static str, &str, &str, usize)> = CITIES
        .iter()
        .flat_map(|(area, prefix, names)| names.iter().enumerate().map(move |(j, n)| (*area, *prefix, *n, j)))
        .collect();
    (0..count)
        .map(|i| {
            let (area, prefix, name, j) = all[i % all.len()];
            let round = i / all.len();
            let name = if round == 0 { name.to_string() } else { format!("{name}{}", round + 1) };
            County {
                name,
                code6: format!("{prefix}{:02}", 2 + j + 20 * round),
                area_code: area,
                towns: towns(rng, 14),
                first_elderly: 1,
                first_outlet: 1,
                sample: false,
            }
        })
        .collect()
}

fn towns(rng: &mut Rng8, count: usize) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    while out.len() < count {
        let stem = format!(
            "{}{}",
            TOWN_FIRST.choose(rng).unwrap_or(&"新"),
            TOWN_SECOND.choose(rng).unwrap_or(&"桥")
        );
        if seen.insert(stem.clone()) {
            let suffix = if out.len() < 3 { "街道" } else { "镇" };
            out.push(format!("{stem}{suffix}"));
        }
    }
    out
}

fn address(rng: &mut Rng8, town: &str) -> String {
    if town.ends_with('镇') && rng.random_bool(0.3) {
        let village = format!(
            "{}{}",
            TOWN_FIRST.choose(rng).unwrap_or(&"新"),
            TOWN_SECOND.choose(rng).unwrap_or(&"庄")
        );
        format!("{town}{village}村{}组", rng.random_range(1..13))
    } else {
        format!("{town}{}{}号", ROADS.choose(rng).unwrap_or(&"人民路"), rng.random_range(1..400))
    }
}

/// The check character of a unified social credit code (GB 32100-2015).
pub fn uscc_check(first17: &str) -> Option<char> {
    const CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    let mut sum = 0;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += CHARS.find(c)? as u32 * w;
    }
    let check = (31 - sum % 31) % 31;
    CHARS.chars().nth(check as usize)
}

const ELDERLY_WORDS: &[&str] = &[
    "康乐",
    "福寿",
    "颐和",
    "安康",
    "仁和",
    "夕阳红",
    "松鹤",
    "幸福",
    "久安",
    "惠民",
    "百岁",
    "阳光",
    "爱心",
    "常青",
    "和美",
    "乐龄",
    "康馨",
    "福缘",
];
const ELDERLY_TYPES: &[&str] = &["颐养院", "护理院", "老年公寓", "养老服务中心", "养老院"];
const GROUP_FIELDS: &[&str] = &[
    "象棋",
    "书法家",
    "摄影家",
    "个体劳动者",
    "餐饮行业",
    "建筑业",
    "老年体育",
    "慈善",
    "志愿者",
    "青年创业",
    "电子商务",
    "物流",
    "家政服务",
    "养蜂",
    "花木盆景",
    "钓鱼",
    "太极拳",
    "乒乓球",
    "收藏家",
    "诗词",
    "企业家",
    "农产品经纪人",
    "民宿",
    "广场舞",
    "茶文化",
];
const GROUP_TYPES: &[&str] = &["协会", "商会", "研究会", "促进会", "联合会"];
const PNE_TYPES: &[&str] = &[
    "社会工作服务中心",
    "心理咨询服务中心",
    "康复中心",
    "艺术培训学校",
    "居家养老服务中心",
    "青少年活动中心",
    "职业技能培训学校",
    "残疾人托养中心",
];
const PNE_WORDS: &[&str] =
    &["启明", "阳光", "同心", "春晖", "博爱", "新希望", "蓝天", "童心", "康宁", "慧林"];

/// Generates new sites of `kind` in a county; `codes` holds the codes in use, so none repeats.
pub struct SiteMaker<'a> {
    pub county: &'a County,
    pub codes: &'a mut HashSet<String>,
    pub seq: [u32; 4],
}

impl SiteMaker<'_> {
    pub fn make(&mut self, rng: &mut Rng8, kind: Domain) -> SiteFields {
        let c = self.county;
        let town = c.towns.choose(rng).cloned().unwrap_or_default();
        let k = kind as usize;
        let n = self.seq[k];
        self.seq[k] += 1;
        let contact = people::name(rng);
        let phone = people::phone(rng, c.area_code);
        let mut f = SiteFields {
            code: String::new(),
            kind,
            name: String::new(),
            town: town.clone(),
            address: address(rng, &town),
            contact,
            phone,
            floors: None,
            beds: None,
            license: String::new(),
        };
        match kind {
            Domain::ElderlyCare => {
                let n = c.first_elderly + n;
                f.code = if c.sample { format!("YL{n:03}") } else { format!("YL{}{n:03}", c.code6) };
                let rural = town.ends_with('镇') && rng.random_bool(0.35);
                f.name = if rural {
                    format!("{town}{}敬老院", ["", "中心", "第二"][rng.random_range(0..3)])
                } else {
                    let word = ELDERLY_WORDS.choose(rng).unwrap_or(&"康乐");
                    format!("{}{word}{}", c.name, ELDERLY_TYPES.choose(rng).unwrap_or(&"颐养院"))
                };
                f.floors = Some(if rural { rng.random_range(1..4) } else { rng.random_range(1..7) });
                f.beds = Some(if rural { rng.random_range(40..150) } else { rng.random_range(60..320) });
                f.license = format!("养老备字{}-{}-{:03}", c.code6, rng.random_range(2015..2026), n);
            }
            Domain::LotteryOutlet => {
                let n = c.first_outlet + n;
                f.code = if c.sample { format!("32068{n:03}") } else { format!("{}{n:04}", c.code6) };
                f.name = format!("中国福利彩票第{}号投注站", f.code);
                f.license = format!("苏福彩代字第{}号", f.code);
            }
            Domain::RescueStation => {
                f.code = format!("JZ{}", c.code6);
                f.name = format!("{}救助管理站", c.name);
                f.floors = Some(rng.random_range(2..5));
                f.beds = Some(rng.random_range(30..90));
            }
            Domain::SocialOrg => {
                let roll = rng.random_range(0..100);
                let (prefix, name) = if roll < 60 {
                    let field = GROUP_FIELDS.choose(rng).unwrap_or(&"象棋");
                    ("51", format!("{}{field}{}", c.name, GROUP_TYPES.choose(rng).unwrap_or(&"协会")))
                } else if roll < 95 {
                    let word = PNE_WORDS.choose(rng).unwrap_or(&"阳光");
                    ("52", format!("{}{word}{}", c.name, PNE_TYPES.choose(rng).unwrap_or(&"康复中心")))
                } else {
                    let word = ["教育", "慈善", "助学", "扶老"][rng.random_range(0..4)];
                    ("53", format!("{}{word}基金会", c.name))
                };
                let body: String = (0..9)
                    .map(|_| {
                        let chars = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
                        char::from(chars[rng.random_range(0..chars.len())])
                    })
                    .collect();
                let first17 = format!("{prefix}{}{body}", c.code6);
                f.code = format!("{first17}{}", uscc_check(&first17).unwrap_or('0'));
                f.name = name;
                let office = if c.sample { "苏通皋".to_string() } else { c.name.clone() };
                f.license = format!("{office}民证字第{:04}号", 100 + n);
            }
        }
        // A code seen before (a name collision of random digits) gets a suffix; never an update of another site.
        while !self.codes.insert(f.code.clone()) {
            f.code.push('X');
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use super::uscc_check;

    #[test]
    fn credit_code_check_characters_follow_the_standard() {
        // A published example code: 91350100M000100Y43.
        assert_eq!(uscc_check("91350100M000100Y4"), Some('3'));
    }
}
