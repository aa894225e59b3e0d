//! Deciding what merges left open: an admin accepts or rejects a reference conflict (a site's fields, a
//! user's role, a second text of a checklist version that came from a database this one does not follow),
//! and a supervisor settles two amendments of one answer by taking one of them. Every decision is audited.

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

use crate::i18n::Lang;
use crate::roles::{self, Role, RoleError};
use crate::store::inspections::{self, FindingRow, NewAnswer};
use crate::store::sites::{self, SiteFields};
use crate::store::{Store, StoreError, audit, users};

#[derive(Debug, thiserror::Error)]
pub enum DecideError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Role(#[from] RoleError),
    #[error("no open conflict {0}")]
    NotFound(String),
    #[error("the incoming value of {0} cannot be read")]
    Unreadable(String),
    #[error("answer {0} is not one of two amendments of the same revision")]
    NoAnswerConflict(String),
    #[error("settling a conflict needs a note")]
    NoteRequired,
}

impl DecideError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (DecideError::Store(e), _) => format!("保存失败：{e}"),
            (DecideError::Role(e), _) => e.message(lang),
            (DecideError::NotFound(id), _) => format!("没有待裁决的冲突 {id}"),
            (DecideError::Unreadable(id), _) => format!("冲突 {id} 的来件内容无法读取"),
            (DecideError::NoAnswerConflict(id), _) => format!("答案 {id} 不是同一修订的两个改动之一"),
            (DecideError::NoteRequired, _) => "裁决冲突需要填写说明".into(),
        }
    }
}

impl From<rusqlite::Error> for DecideError {
    fn from(e: rusqlite::Error) -> Self {
        DecideError::Store(e.into())
    }
}

/// An open reference conflict, as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub id: String,
    pub entity: String,
    pub key: String,
    pub ours: Option<String>,
    pub theirs: String,
    pub device: String,
    pub found_at: String,
}

pub fn open_references(conn: &Connection) -> crate::store::Result<Vec<Reference>> {
    let mut stmt = conn.prepare(
        "SELECT id, entity, key, ours, theirs, device, found_at FROM reference_conflicts
         WHERE decision IS NULL ORDER BY entity, key, found_at, id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Reference {
                id: r.get(0)?,
                entity: r.get(1)?,
                key: r.get(2)?,
                ours: r.get(3)?,
                theirs: r.get(4)?,
                device: r.get(5)?,
                found_at: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The open conflict whose id is `id` or starts with it (at least 6 characters).
fn find(conn: &Connection, id: &str) -> Result<Reference, DecideError> {
    let found = open_references(conn)?;
    let matching: Vec<&Reference> = found.iter().filter(|r| id.len() >= 6 && r.id.starts_with(id)).collect();
    match matching.as_slice() {
        [one] => Ok((*one).clone()),
        _ => Err(DecideError::NotFound(id.to_string())),
    }
}

/// Accepts (takes the incoming value) or rejects (keeps this database's) a reference conflict. Admins only.
pub fn reference(
    store: &mut Store,
    user: &str,
    id: &str,
    accept: bool,
    lang: Lang,
) -> Result<Reference, DecideError> {
    roles::require(store, user, Role::Admin, lang.pick("裁决参考数据冲突", "deciding a reference conflict"))?;
    store.write(|tx| {
        let c = find(tx, id)?;
        if accept {
            take(tx, user, &c)?;
        }
        let decision = if accept { "accepted" } else { "rejected" };
        tx.execute(
            "UPDATE reference_conflicts SET decision = ?2, decided_by = ?3, decided_at = ?4 WHERE id = ?1",
            params![c.id, decision, user, audit::utc_now()],
        )?;
        audit::record(
            tx,
            audit::Entry {
                actor: user,
                action: if accept { "conflict.accept" } else { "conflict.reject" },
                entity: &c.entity,
                entity_id: &c.key,
                old: c.ours.as_deref().and_then(|o| serde_json::from_str(o).ok()),
                new: Some(json!({ "theirs": c.theirs, "from": c.device, "conflict": c.id })),
            },
        )?;
        Ok(c)
    })
}

/// Applies the incoming value of an accepted conflict through the same store functions as an import.
fn take(tx: &Connection, user: &str, c: &Reference) -> Result<(), DecideError> {
    let theirs: serde_json::Value =
        serde_json::from_str(&c.theirs).map_err(|_| DecideError::Unreadable(c.id.clone()))?;
    let text = |k: &str| theirs.get(k).and_then(serde_json::Value::as_str).unwrap_or_default().to_string();
    let number =
        |k: &str| theirs.get(k).and_then(serde_json::Value::as_u64).and_then(|n| u32::try_from(n).ok());
    match c.entity.as_str() {
        "site" => {
            let kind = crate::domain::Domain::from_key(&text("kind"))
                .ok_or_else(|| DecideError::Unreadable(c.id.clone()))?;
            let fields = SiteFields {
                code: text("code"),
                kind,
                name: text("name"),
                town: text("town"),
                address: text("address"),
                contact: text("contact"),
                phone: text("phone"),
                floors: number("floors"),
                beds: number("beds"),
                license: text("license"),
            };
            let sample = theirs.get("sample").and_then(serde_json::Value::as_i64) == Some(1);
            sites::upsert(tx, user, &fields, sample)?;
        }
        "user" => {
            let role = Role::from_key(&text("role")).ok_or_else(|| DecideError::Unreadable(c.id.clone()))?;
            users::upsert(tx, user, &c.key, role)?;
        }
        "setting" => {
            let value = theirs.get("value").and_then(serde_json::Value::as_str);
            crate::store::bureau::set(tx, user, &c.key, value)?;
        }
        // Both texts are stored already (inspections were answered against each): accepting records the
        // decision only.
        _ => {}
    }
    Ok(())
}

/// Two or more amendments of one revision of an answer (made on two databases): (inspection id, item id,
/// instance, revision, the answer ids).
pub type AnswerConflict = (String, String, u32, u32, Vec<String>);

pub fn answer_conflicts(conn: &Connection) -> crate::store::Result<Vec<AnswerConflict>> {
    let mut stmt = conn.prepare(
        "SELECT inspection_id, item_id, instance, revision, group_concat(id, ' ') FROM
           (SELECT a.* FROM answers a WHERE a.revision = (SELECT max(revision) FROM answers b
              WHERE b.inspection_id = a.inspection_id AND b.item_id = a.item_id AND b.instance = a.instance)
            ORDER BY id)
         GROUP BY inspection_id, item_id, instance, revision HAVING count(*) > 1 ORDER BY 1, 2, 3",
    )?;
    let rows = stmt
        .query_map([], |r| {
            let ids: String = r.get(4)?;
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, ids.split(' ').map(str::to_string).collect()))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Settles an answer conflict by taking answer `chosen`: a new revision with its content, amending it,
/// with the supervisor's note as the reason. Returns the new revision number.
pub fn answer(
    store: &mut Store,
    user: &str,
    chosen: &str,
    note: &str,
    lang: Lang,
) -> Result<u32, DecideError> {
    roles::require(store, user, Role::Supervisor, lang.pick("裁决答案冲突", "settling an answer conflict"))?;
    if note.trim().is_empty() {
        return Err(DecideError::NoteRequired);
    }
    store.write(|tx| {
        let row: Option<(String, String, u32, u32)> = tx
            .query_row(
                "SELECT inspection_id, item_id, instance, revision FROM answers WHERE id = ?1",
                [chosen],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((inspection, item, instance, revision)) = row else {
            return Err(DecideError::NoAnswerConflict(chosen.to_string()));
        };
        let open = answer_conflicts(tx)?.into_iter().any(|(i, it, n, r, ids)| {
            i == inspection && it == item && n == instance && r == revision && ids.iter().any(|x| x == chosen)
        });
        if !open {
            return Err(DecideError::NoAnswerConflict(chosen.to_string()));
        }
        let taken = inspections::history(tx, &inspection, &item, instance)?
            .into_iter()
            .find(|a| a.id == chosen)
            .ok_or_else(|| DecideError::NoAnswerConflict(chosen.to_string()))?;
        let finding: Option<FindingRow> = taken.finding.clone();
        let reason = format!("{}{}", lang.pick("裁决冲突：", "settled conflict: "), note.trim());
        let new = NewAnswer {
            item_id: &item,
            instance,
            value: &taken.value,
            outcome: &taken.outcome,
            note: &taken.note,
            finding: finding.as_ref(),
        };
        Ok(inspections::amend_from(tx, user, &inspection, &new, &reason, chosen)?)
    })
}
