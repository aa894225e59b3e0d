//! Made-up people: Chinese names, and the bureau's users by role (an admin, supervisors, inspectors, and
//! the rescue stations' duty officers).

use std::collections::HashSet;

use rand::Rng;
use rand::seq::IndexedRandom;

use super::Rng8;

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何",
    "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田",
    "董", "袁", "潘", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢",
    "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "夏", "方", "邹", "孟", "秦", "江", "顾", "毛",
    "钱", "严", "戴", "季", "缪", "冒", "汤", "储",
];

const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
    "秀", "霞", "平", "刚", "桂", "华", "建", "国", "文", "红", "玲", "林", "峰", "辉", "健", "波", "宁",
    "燕", "丹", "萍", "鹏", "俊", "海", "英", "兰", "梅", "琴", "云", "飞", "亮", "宇", "晨", "婷", "雪",
    "欣", "凤", "志", "成", "春", "荣", "新", "晓", "东", "德", "良", "永", "忠", "卫", "民", "斌", "莉",
    "慧", "蓉", "倩", "浩", "翔", "晶", "金", "宏",
];

/// A random full name (surname and one or two given characters); may repeat.
pub fn name(rng: &mut Rng8) -> String {
    let mut n = String::from(*SURNAMES.choose(rng).unwrap_or(&"王"));
    n.push_str(GIVEN.choose(rng).unwrap_or(&"伟"));
    if rng.random_bool(0.7) {
        n.push_str(GIVEN.choose(rng).unwrap_or(&"明"));
    }
    n
}

/// Names that are unique among the users (a user is identified by name).
#[derive(Default)]
pub struct UniqueNames {
    used: HashSet<String>,
}

impl UniqueNames {
    /// Reserves names already taken (the user running the demo).
    pub fn reserve(&mut self, name: &str) {
        self.used.insert(name.to_string());
    }

    pub fn next(&mut self, rng: &mut Rng8) -> String {
        loop {
            let n = name(rng);
            if self.used.insert(n.clone()) {
                return n;
            }
        }
    }
}

/// The users of one county bureau.
#[derive(Clone, Debug, Default)]
pub struct Staff {
    pub supervisors: Vec<String>,
    pub inspectors: Vec<String>,
}

impl Staff {
    /// One inspector, or a pair of different ones when `two`.
    pub fn team(&self, rng: &mut Rng8, two: bool) -> Vec<String> {
        let n = self.inspectors.len();
        if n == 0 {
            return Vec::new();
        }
        let first = rng.random_range(0..n);
        let mut out = vec![self.inspectors[first].clone()];
        if two && n > 1 {
            let second = (first + rng.random_range(1..n)) % n;
            out.push(self.inspectors[second].clone());
        }
        out
    }

    pub fn supervisor(&self, rng: &mut Rng8) -> String {
        self.supervisors.choose(rng).cloned().unwrap_or_default()
    }
}

/// A mobile or landline number in the county's area code.
pub fn phone(rng: &mut Rng8, area: &str) -> String {
    if rng.random_bool(0.6) {
        let second = *[3, 5, 7, 8, 9].choose(rng).unwrap_or(&3);
        format!("1{second}{:09}", rng.random_range(0..1_000_000_000u32))
    } else {
        format!("{area}-8{:07}", rng.random_range(0..10_000_000u32))
    }
}
