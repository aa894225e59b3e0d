use super::*;
use crate::domain::Severity;

fn row(prompt: &str, answer: &str, result: &str, failed: bool) -> ItemRow {
    ItemRow {
        prompt: prompt.into(),
        answer: answer.into(),
        result: result.into(),
        failed,
        note: String::new(),
        evidence: Vec::new(),
    }
}

fn sample() -> RecordData {
    let mut exit = row("安全出口、疏散通道是否畅通？", "不合格", "不合格", true);
    exit.note = "二楼东侧 <b>堆物</b>".into();
    exit.evidence = vec![Evidence { name: "IMG_0001.jpg".into(), sha: "0123456789ab".into() }];
    RecordData {
        inspection_id: "01KB0000000000000000000000".into(),
        bureau: Letterhead {
            name: "如皋市民政局".into(), seal_line: "如皋市民政局（盖章）".into()
        },
        number: Some("督记〔2026〕第K7QH-001号".into()),
        form: Form::Inspection,
        domain: "养老机构".into(),
        unit: Unit {
            name: "如城敬老院".into(),
            code: "YL001".into(),
            address: "如城街道海阳路1号".into(),
            town: "如城街道".into(),
            contact: "李院长".into(),
            phone: "138****5678".into(),
        },
        checklist: ChecklistRef {
            title: "养老机构安全检查".into(), version: 3, hash: "abcdef012345".into()
        },
        started_at: "2026-11-29 09:30".into(),
        submitted_at: "2026-11-29 11:05".into(),
        inspectors: vec![
            Officer { name: "王芳".into(), cert: None },
            Officer { name: "李强".into(), cert: None },
        ],
        enforcement: false,
        sections: vec![
            SectionBlock {
                title: "消防安全".into(),
                groups: vec![Group {
                    name: None,
                    rows: vec![exit, row("疏散用时", "150 秒", "合格", false)],
                }],
                repeat_label: None,
            },
            SectionBlock {
                title: "应急演练小组".into(),
                groups: vec![
                    Group {
                        name: Some("第1组".into()), rows: vec![row("小组到位", "合格", "合格", false)]
                    },
                    Group {
                        name: Some("第2组".into()),
                        rows: vec![row("小组到位", "不适用", "不适用", false)],
                    },
                ],
                repeat_label: Some("组".into()),
            },
        ],
        failures: vec![NoticeItem {
            item: "安全出口、疏散通道是否畅通？".into(),
            problem: "二楼疏散通道堆放杂物".into(),
            basis: "GB 38600-2019 第6.2条".into(),
            severity_key: Severity::Critical.key().into(),
            major_hazard: true,
            requirement: "立即清理".into(),
            deadline: "2026-12-06".into(),
            responsible: "李院长".into(),
            fix_evidence: vec!["通道清理后.jpg (798a1c2b3d4e)".into()],
        }],
        score: Some(Score { percent: 66.666, passed: 2, failed: 1, not_applicable: 1 }),
        amendments: vec![Amendment {
            item: "第2组 · 小组到位".into(),
            revision: 2,
            answer: "不适用".into(),
            reason: "该组当日未参加演练".into(),
            by: "王芳".into(),
            at: "2026-11-30 08:00".into(),
        }],
        sign_off: Some(SignOff::Refused("张主任".into())),
        shift: None,
    }
}

#[test]
fn a_record_with_repeats_an_amendment_and_a_refusal_to_sign() {
    insta::assert_snapshot!(render_html(&sample(), Lang::Zh));
}

#[test]
fn the_page_is_self_contained_escaped_and_repeats_its_head() {
    let page = render_html(&sample(), Lang::Zh);
    assert!(page.contains("二楼东侧 &lt;b&gt;堆物&lt;/b&gt;"), "{page}");
    assert!(!page.contains("<b>"), "{page}");
    assert!(!page.contains("http") && !page.contains("url("), "{page}");
    assert!(
        page.contains("size: A4") && page.contains("table.page > thead { display: table-header-group; }")
    );
    let head = page.find("<thead><tr><td>").unwrap_or(usize::MAX);
    let running = page.find("<div class=\"running\">").unwrap_or(0);
    assert!(head < running, "the running head is the page table's header");
    assert!(page.contains("见证人签名：") && page.contains("张主任（拒签）"), "{page}");
}

#[test]
fn a_signed_record_has_no_witness_line_and_an_unnumbered_one_a_blank_number() {
    let data = RecordData {
        sign_off: Some(SignOff::Signed("张主任".into())),
        number: None,
        bureau: Letterhead { name: String::new(), seal_line: "（盖章）".into() },
        ..sample()
    };
    let page = render_html(&data, Lang::En);
    assert!(!page.contains("Witness"), "{page}");
    assert!(page.contains("Unit representative: <span class=\"line\"></span> (张主任)"), "{page}");
    assert!(page.contains("督记〔      〕第      号"), "{page}");
    assert!(page.contains("<div class=\"letterhead blank\"></div>"), "{page}");
    assert!(page.contains("<span class=\"blank\"></span>（盖章）"), "{page}");
}

#[test]
fn an_enforcement_record_prints_certificate_numbers_beside_the_names() {
    let data = RecordData {
        enforcement: true,
        inspectors: vec![
            Officer { name: "王芳".into(), cert: Some("苏民执字第0012号".into()) },
            Officer { name: "李强".into(), cert: None },
        ],
        ..sample()
    };
    let page = render_html(&data, Lang::Zh);
    assert!(page.contains("王芳（执法证号：苏民执字第0012号）"), "{page}");
    assert!(page.contains("李强（执法证号：未登记）"), "{page}");
    let plain = render_html(&sample(), Lang::Zh);
    assert!(!plain.contains("执法证号"), "only enforcement records carry certificate numbers");
}

#[test]
fn a_record_without_failures_says_so_and_a_shift_prints_its_handover() {
    let handover = SectionBlock {
        title: "交接班".into(),
        groups: vec![Group { name: None, rows: vec![row("交接事项", "3号床送医", "已填", false)] }],
        repeat_label: None,
    };
    let data = RecordData {
        form: Form::DutyShift,
        failures: Vec::new(),
        score: None,
        sign_off: None,
        shift: Some(Shift {
            start: "2026-11-29 08:00".into(),
            end: "2026-11-29 20:00".into(),
            officers: "王芳、李强".into(),
            incoming: "赵敏".into(),
            handover: Some(handover),
        }),
        ..sample()
    };
    let page = render_html(&data, Lang::Zh);
    assert!(page.contains("<h1>值班记录</h1>") && page.contains("本次检查未发现问题。"), "{page}");
    assert!(page.contains("<h2>交接班</h2>") && page.contains("3号床送医"), "{page}");
    assert!(page.contains("接班人员签名：<span class=\"line\"></span>（赵敏）"), "{page}");
    assert!(page.contains("交班人员签名："), "{page}");
    assert!(!page.contains("被检查单位代表"), "a shift has no unit representative: {page}");
    assert!(!page.contains("合规得分"), "{page}");
}

#[test]
fn batch_file_names_keep_only_safe_characters() {
    assert_eq!(
        file_name("2026-11-29", "32068001", "督记〔2026〕第K7QH-001号"),
        "2026-11-29_32068001_督记2026第K7QH-001号.html"
    );
    assert_eq!(file_name("2026-11-29", "../../etc/x y", "N/1"), "2026-11-29_etcxy_N1.html");
}
