//! The words the demo writes: problem descriptions per item (from `problems.txt`), free-text answers, and
//! the notes of rectification follow-ups.

use std::collections::HashMap;
use std::sync::OnceLock;

use rand::Rng;
use rand::seq::IndexedRandom;

use super::Rng8;

const PROBLEMS: &str = include_str!("problems.txt");

/// Item id → its problem phrasings, in file order.
pub fn problems() -> &'static HashMap<String, Vec<String>> {
    static TABLE: OnceLock<HashMap<String, Vec<String>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: HashMap<String, Vec<String>> = HashMap::new();
        let mut current: Option<String> = None;
        for line in PROBLEMS.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(id) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                current = Some(id.to_string());
            } else if let Some(id) = &current {
                table.entry(id.clone()).or_default().push(line.to_string());
            }
        }
        table
    })
}

const CN_FLOORS: [&str; 8] = ["一层", "二层", "三层", "四层", "五层", "六层", "七层", "八层"];
const BUILDINGS: [&str; 5] = ["1号楼", "2号楼", "主楼", "综合楼", "北楼"];

/// A problem description for a failed item at a site of `floors` floors, on a visit in `month`.
pub fn problem(rng: &mut Rng8, item_id: &str, prompt: &str, floors: Option<u32>, month: u32) -> String {
    let template = match problems().get(item_id).and_then(|p| p.choose(rng)) {
        Some(t) => t.clone(),
        // Not expected for the shipped checklists (a test checks); a plain statement of the failure.
        None => format!("检查发现不符合要求：{}", prompt.trim_end_matches(['？', '?'])),
    };
    fill(rng, &template, floors, month)
}

fn fill(rng: &mut Rng8, template: &str, floors: Option<u32>, month: u32) -> String {
    let top = floors.unwrap_or(2).clamp(1, 8) as usize;
    let floor_no = rng.random_range(1..=top);
    let earlier = (month + 10 - rng.random_range(0..5)) % 12 + 1; // one to five months before
    template
        .replace("{floor}", CN_FLOORS[floor_no - 1])
        .replace("{room}", &format!("{floor_no}{:02}室", rng.random_range(1..20)))
        .replace("{building}", BUILDINGS.choose(rng).unwrap_or(&"主楼"))
        .replace("{n}", &rng.random_range(2..7).to_string())
        .replace("{month}", &format!("{earlier}月"))
}

pub fn pick<'a>(rng: &mut Rng8, options: &[&'a str]) -> &'a str {
    options.choose(rng).copied().unwrap_or("")
}

pub fn drill_place(rng: &mut Rng8, floors: Option<u32>) -> String {
    let top = floors.unwrap_or(2).clamp(1, 8) as usize;
    let floor = CN_FLOORS[rng.random_range(0..top)];
    let side = pick(rng, &["东侧居室区", "西侧居室区", "护理区", "活动室", "食堂", "走廊"]);
    format!("{}{floor}{side}", BUILDINGS.choose(rng).unwrap_or(&"主楼"))
}

pub fn drill_problems(rng: &mut Rng8) -> String {
    pick(
        rng,
        &[
            "部分护理员对失能老人转移方法不熟练",
            "疏散引导员到位较慢，楼梯口出现拥堵",
            "报警后通讯联络组未及时清点人数",
            "个别员工不会使用室内消火栓",
            "夜间值班人员少，演练时人手不足",
            "无明显问题",
        ],
    )
    .into()
}

pub fn drill_measures(rng: &mut Rng8) -> String {
    pick(
        rng,
        &[
            "组织护理员专项培训失能老人转移，下月再次演练",
            "调整疏散引导员分工，每层固定一名引导员",
            "修订预案，明确通讯联络组清点人数职责",
            "开展消火栓实操培训",
            "增加夜间演练，检验夜间人员配置",
        ],
    )
    .into()
}

pub fn admission_notes(rng: &mut Rng8, admissions: u32, departures: u32) -> String {
    let mut parts = Vec::new();
    if admissions > 0 {
        let source = pick(rng, &["公安护送", "城管护送", "自行求助", "群众报警后护送", "医院转来"]);
        let who = pick(rng, &["成年男性", "老年男性", "成年女性", "疑似精神障碍人员", "未成年人", "残疾人"]);
        parts.push(format!("入站{admissions}人，{source}，含{who}"));
    }
    if departures > 0 {
        let dest = pick(rng, &["购票返乡", "亲属接回", "自行离站", "送医治疗", "移交福利机构"]);
        parts.push(format!("离站{departures}人，{dest}"));
    }
    parts.join("；")
}

pub fn patrol_details(rng: &mut Rng8) -> String {
    pick(
        rng,
        &[
            "男宿舍区一名受助人员发热，测体温38.5℃，已报告值班领导并送医",
            "女宿舍区两名受助人员发生口角，已劝解分开安置",
            "大门周界一处摄像头无画面，已报修",
            "医疗观察室受助人员情绪不稳，已安排专人看护",
        ],
    )
    .into()
}

pub fn incident_detail(rng: &mut Rng8) -> String {
    pick(
        rng,
        &[
            "受助人员夜间突发腹痛，联系120送市人民医院，已报告值班领导",
            "一名受助人员要求强行离站，劝说无效后签署自行离站声明书，已报告值班领导",
            "两名受助人员因床位发生争执，已调解，未造成伤害",
            "停电约20分钟，启用应急照明，恢复供电后设备正常",
            "受助人员走廊滑倒擦伤，已由医务人员处理",
        ],
    )
    .into()
}

pub fn handover_notes(rng: &mut Rng8) -> String {
    pick(
        rng,
        &[
            "送医人员仍在市人民医院，需继续跟进",
            "明早一名受助人员购票返乡，车次已订",
            "待联系一名受助人员的亲属",
            "无特别事项",
            "监控室一路画面报修，维修人员明天上午到",
        ],
    )
    .into()
}

pub fn progress_note(rng: &mut Rng8) -> String {
    pick(
        rng,
        &[
            "已电话督促单位负责人，单位表示正在整改",
            "单位已采购所需器材，待安装",
            "整改方案已报送，正在组织实施",
            "单位反映资金紧张，已协调镇街帮助解决",
            "现场回访，整改工作已过半",
            "已发整改提醒短信",
        ],
    )
    .into()
}

pub fn report_note(rng: &mut Rng8) -> String {
    pick(rng, &["单位已提交整改报告和照片", "整改完成，附整改前后对比照片", "已整改到位，申请复查", ""])
        .into()
}

pub fn verify_note(rng: &mut Rng8) -> String {
    pick(
        rng,
        &[
            "现场复查，已整改到位，予以销号",
            "查阅整改台账和照片，符合要求",
            "复查合格，同意销号",
            "经现场核实问题已消除",
        ],
    )
    .into()
}

pub fn reject_note(rng: &mut Rng8) -> String {
    pick(
        rng,
        &[
            "现场复查发现整改不彻底，退回继续整改",
            "整改材料不全，缺少整改后照片",
            "问题仍然存在，退回",
            "整改措施未落实到位，请于期限内重新整改",
        ],
    )
    .into()
}

/// Why a deadline is extended; around the Spring Festival (January, February) the builders are away.
pub fn extend_reason(rng: &mut Rng8, month: u32) -> String {
    let reasons = [
        "需采购设备，供货周期较长，申请延期",
        "涉及改造施工，需报审批，同意延期",
        "单位负责人变动，整改方案需重新审议",
        "资金需财政拨付，同意适当延期",
        "春节期间施工队停工，同意延期",
    ];
    let usable = if matches!(month, 1 | 2) { &reasons[..] } else { &reasons[..4] };
    pick(rng, usable).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::{AnswerKind, LoadReport, load_shipped};

    #[test]
    fn every_item_of_the_shipped_checklists_that_can_fail_has_phrasings() {
        let mut report = LoadReport::default();
        load_shipped(&mut report);
        for loaded in &report.loaded {
            for (_, item) in loaded.checklist.items() {
                let can_fail = match &item.kind {
                    AnswerKind::Check => true,
                    AnswerKind::Number(spec) => spec.pass_min.is_some() || spec.pass_max.is_some(),
                    other => other.options().iter().any(|o| o.fail),
                };
                if can_fail {
                    assert!(problems().contains_key(&item.id), "no phrasings for {}", item.id);
                }
            }
        }
    }
}
