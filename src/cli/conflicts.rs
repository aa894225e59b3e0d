//! `ducha conflicts`: what merges left for people to decide — reference conflicts (admins accept or reject
//! them), two amendments of one answer (a supervisor takes one) and rectifications changed on two
//! databases (settled on the board).

use clap::Subcommand;

use super::Reported;
use crate::app;
use crate::config::Settings;
use crate::consolidate::decide;
use crate::i18n::Lang;
use crate::textable;

#[derive(Debug, Subcommand)]
pub enum ConflictsCommand {
    /// List what is open 列出待裁决的冲突
    List,
    /// Take the incoming value of a reference conflict (admins) 采用来件的值
    Accept {
        /// The conflict's id (or its first 6+ characters), from `ducha conflicts list`
        id: String,
    },
    /// Keep this database's value (admins) 保留本库的值
    Reject { id: String },
    /// Settle two amendments of one answer by taking one (supervisors) 裁决答案冲突
    Answer {
        /// The answer revision to take (an id from `ducha conflicts list`)
        id: String,
        /// Why 裁决说明
        #[arg(long)]
        note: String,
    },
}

fn entity_label(entity: &str, lang: Lang) -> &'static str {
    match entity {
        "site" => lang.pick("单位", "site"),
        "user" => lang.pick("用户", "user"),
        "setting" => lang.pick("局设置", "bureau setting"),
        _ => lang.pick("检查表", "checklist"),
    }
}

pub fn run(settings: &Settings, cmd: ConflictsCommand) -> anyhow::Result<()> {
    let lang = settings.lang;
    let mut opened = match cmd {
        ConflictsCommand::List => app::open_reading(settings)?,
        _ => app::open(settings)?,
    };
    let store = &mut opened.store;
    match cmd {
        ConflictsCommand::List => {
            let refs = decide::open_references(store.conn())?;
            outln!(
                "{}",
                lang.pick(
                    "参考数据冲突（管理员裁决：accept 采用来件 / reject 保留本库）：",
                    "reference conflicts (admins: accept takes theirs, reject keeps ours):"
                )
            );
            let rows: Vec<Vec<String>> = refs
                .iter()
                .map(|r| {
                    vec![
                        r.id[..12.min(r.id.len())].to_string(),
                        entity_label(&r.entity, lang).to_string(),
                        super::printable(&r.key),
                        super::printable(&difference(r, lang)),
                        crate::store::device::code_of(&r.device),
                    ]
                })
                .collect();
            let headers = [
                lang.pick("编号", "id"),
                lang.pick("类别", "kind"),
                lang.pick("对象", "key"),
                lang.pick("本库 → 来件", "ours → theirs"),
                lang.pick("来自", "from"),
            ];
            out!("{}", textable::render(&headers, &rows));
            let answers = decide::answer_conflicts(store.conn())?;
            outln!(
                "{} {}",
                lang.pick(
                    "答案冲突（科室负责人用 conflicts answer ID --note 裁决）：",
                    "answer conflicts (supervisors: conflicts answer ID --note):"
                ),
                answers.len()
            );
            for (inspection, item, instance, revision, ids) in &answers {
                outln!(
                    "  {inspection} {} #{instance} r{revision}: {}",
                    super::printable(item),
                    ids.join(" ")
                );
            }
            let rects: i64 = store.conn().query_row(
                "SELECT count(*) FROM rectifications WHERE conflict = 1",
                [],
                |r| r.get(0),
            )?;
            outln!(
                "{} {rects}",
                lang.pick(
                    "整改冲突（在整改看板上裁决）：",
                    "rectification conflicts (settled on the board):"
                )
            );
        }
        ConflictsCommand::Accept { id } => decide_reference(store, settings, &id, true)?,
        ConflictsCommand::Reject { id } => decide_reference(store, settings, &id, false)?,
        ConflictsCommand::Answer { id, note } => {
            let revision = decide::answer(store, &settings.user, &id, &note, lang)
                .map_err(|e| Reported(e.message(lang)))?;
            match lang {
                Lang::Zh => outln!("已裁决：采用答案 {id}，记为第 {revision} 次修订"),
                Lang::En => outln!("settled: took answer {id}, recorded as revision {revision}"),
            }
        }
    }
    Ok(())
}

fn decide_reference(
    store: &mut crate::store::Store,
    settings: &Settings,
    id: &str,
    accept: bool,
) -> anyhow::Result<()> {
    let lang = settings.lang;
    let c =
        decide::reference(store, &settings.user, id, accept, lang).map_err(|e| Reported(e.message(lang)))?;
    let what = entity_label(&c.entity, lang);
    match (lang, accept) {
        (Lang::Zh, true) => outln!("已采用来件：{what} {}", super::printable(&c.key)),
        (Lang::Zh, false) => outln!("已保留本库：{what} {}", super::printable(&c.key)),
        (Lang::En, true) => outln!("accepted theirs: {what} {}", super::printable(&c.key)),
        (Lang::En, false) => outln!("kept ours: {what} {}", super::printable(&c.key)),
    }
    Ok(())
}

/// What differs, field by field: `phone: 0513-81641211 → 0513-80000000`; everything, for a row this
/// database does not have.
fn difference(r: &decide::Reference, lang: Lang) -> String {
    let theirs: serde_json::Value = serde_json::from_str(&r.theirs).unwrap_or_default();
    let show = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "—".into(),
        v => v.to_string(),
    };
    let Some(ours) = r.ours.as_deref().and_then(|o| serde_json::from_str::<serde_json::Value>(o).ok()) else {
        let fields: Vec<String> = theirs
            .as_object()
            .map(|o| o.iter().map(|(k, v)| format!("{k}: {}", show(v))).collect())
            .unwrap_or_default();
        return format!("{} {}", lang.pick("（本库没有）", "(none here)"), fields.join("; "));
    };
    let (before, after) = crate::store::audit::diff(&ours, &theirs);
    let empty = serde_json::Map::new();
    let before = before.as_object().unwrap_or(&empty);
    after
        .as_object()
        .unwrap_or(&empty)
        .iter()
        .map(|(k, v)| {
            format!("{k}: {} → {}", show(before.get(k).unwrap_or(&serde_json::Value::Null)), show(v))
        })
        .collect::<Vec<_>>()
        .join("; ")
}
