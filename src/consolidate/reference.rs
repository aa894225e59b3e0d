//! Reference data in a merge: users, their roles and certificate numbers, the site registry, the bureau's
//! settings (局名, number formats) and checklist texts.
//!
//! - From the office this database follows (and on the first merge of a new database), they are taken:
//!   sites are added and updated, roles set as the office has them — but only from an office file newer
//!   than any merged before (its audit chain is longer), so an old office file never undoes a newer one.
//! - From anyone else nothing is changed: a role never rises through a merge. A site the incoming file
//!   has and this database lacks is added (the inspections recorded there need it) and listed; any other
//!   difference — a site's fields, a user or role, a second text of one checklist version — is listed as a
//!   reference conflict for an admin to accept or reject.
//!
//! Checklist texts are known by their hash: a missing one is always added, since inspections were answered
//! against it.

use rusqlite::{Connection, params};
use serde_json::json;

use super::Result;
use crate::roles::Role;
use crate::store::{audit, bureau as store_bureau, users};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Authority {
    /// The file comes from this database's office (or sets a new database up).
    Office,
    /// Anyone else: differences are listed, never taken.
    Peer,
}

/// What the reference step did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Done {
    pub sites_added: i64,
    pub sites_updated: i64,
    pub roles_set: i64,
    /// Bureau settings and certificate numbers taken from the office.
    pub settings_set: i64,
    pub snapshots_added: i64,
    pub conflicts_new: i64,
    /// An office file not newer than one merged before: its reference data was left alone.
    pub stale_office: bool,
}

const SITE_JSON: &str = "json_object('code', {p}.code, 'kind', {p}.kind, 'name', {p}.name, 'town', {p}.town,
    'address', {p}.address, 'contact', {p}.contact, 'phone', {p}.phone, 'floors', {p}.floors, 'beds', {p}.beds,
    'license', {p}.license, 'sample', {p}.sample)";

fn site_json(prefix: &str) -> String {
    SITE_JSON.replace("{p}", prefix)
}

const SITE_COLUMNS: &str = "id, code, kind, name, town, address, contact, phone, floors, beds, license, sample, created_at, updated_at";

pub fn apply(conn: &Connection, actor: &str, authority: Authority, from: &str, fresh: bool) -> Result<Done> {
    let mut done = Done::default();
    done.snapshots_added = add_snapshots(conn, actor, from, &mut done.conflicts_new)?;
    let take = authority == Authority::Office && (fresh || office_file_is_newer(conn, from)?);
    done.stale_office = authority == Authority::Office && !take;
    sites(conn, actor, from, authority, take, &mut done)?;
    match authority {
        Authority::Office if take => {
            take_roles(conn, actor, &mut done)?;
            take_settings(conn, actor, from, &mut done)?;
        }
        Authority::Office => {}
        Authority::Peer => {
            list_users(conn, from, &mut done)?;
            list_settings(conn, from, &mut done)?;
        }
    }
    Ok(done)
}

/// Whether the attached office file's own audit chain is longer than the part of it this database holds.
fn office_file_is_newer(conn: &Connection, office: &str) -> Result<bool> {
    let theirs: i64 =
        conn.query_row("SELECT coalesce(max(dseq), 0) FROM f.audit WHERE device = ?1", [office], |r| {
            r.get(0)
        })?;
    let ours: i64 =
        conn.query_row("SELECT coalesce(max(dseq), 0) FROM main.audit WHERE device = ?1", [office], |r| {
            r.get(0)
        })?;
    Ok(theirs > ours)
}

fn add_snapshots(conn: &Connection, actor: &str, from: &str, conflicts: &mut i64) -> Result<i64> {
    // A second text of a version this database already has is kept, and listed.
    let mut stmt = conn.prepare(
        "SELECT f.checklist_id || ' v' || f.version, f.hash, m.hash FROM f.checklist_snapshots f
         JOIN main.checklist_snapshots m ON m.checklist_id = f.checklist_id AND m.version = f.version
         WHERE NOT EXISTS (SELECT 1 FROM main.checklist_snapshots x WHERE x.id = f.id)",
    )?;
    let variants = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (key, theirs, ours) in variants {
        *conflicts += conflict(
            conn,
            "snapshot",
            &key,
            Some(&json!({ "hash": ours })),
            &json!({ "hash": theirs }),
            from,
        )?;
    }
    let added = conn.execute(
        "INSERT OR IGNORE INTO main.checklist_snapshots
             (id, checklist_id, version, hash, title, domain, origin, source, stored_at)
         SELECT id, checklist_id, version, hash, title, domain, origin, source, stored_at FROM f.checklist_snapshots",
        [],
    )? as i64;
    if added > 0 {
        audit::record(
            conn,
            audit::Entry {
                actor,
                action: "merge.checklists",
                entity: "device",
                entity_id: from,
                old: None,
                new: Some(json!({ "snapshots_added": added })),
            },
        )?;
    }
    Ok(added)
}

/// Sites whose fields differ (or that are missing here): (code, theirs JSON, ours JSON or None).
fn differing_sites(conn: &Connection) -> Result<Vec<(String, String, Option<String>)>> {
    let sql = format!(
        "SELECT f.code, {theirs}, CASE WHEN m.id IS NULL THEN NULL ELSE {ours} END
         FROM f.sites f LEFT JOIN main.sites m ON m.id = f.id
         WHERE m.id IS NULL OR {theirs} <> {ours} ORDER BY f.code",
        theirs = site_json("f"),
        ours = site_json("m"),
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Adds the sites the file has and this database lacks (always: the inspections recorded there need
/// them); updates the others to the office's fields when `take`, else lists each difference.
fn sites(
    conn: &Connection,
    actor: &str,
    from: &str,
    authority: Authority,
    take: bool,
    done: &mut Done,
) -> Result<()> {
    for (code, theirs, ours) in differing_sites(conn)? {
        let theirs_v: serde_json::Value = serde_json::from_str(&theirs).unwrap_or_default();
        let ours_v: Option<serde_json::Value> = ours.as_deref().and_then(|o| serde_json::from_str(o).ok());
        if ours_v.is_some() && !take {
            if authority == Authority::Peer {
                done.conflicts_new += conflict(conn, "site", &code, ours_v.as_ref(), &theirs_v, from)?;
            }
            continue;
        }
        let (action, old, mut new) = match &ours_v {
            None => {
                conn.execute(
                    &format!("INSERT INTO main.sites ({SITE_COLUMNS}) SELECT {SITE_COLUMNS} FROM f.sites WHERE id = ?1"),
                    [&code],
                )?;
                done.sites_added += 1;
                if authority == Authority::Peer {
                    done.conflicts_new += conflict(conn, "site", &code, None, &theirs_v, from)?;
                }
                (
                    if authority == Authority::Peer { "merge.site_added" } else { "site.create" },
                    None,
                    theirs_v,
                )
            }
            Some(ours_v) => {
                conn.execute(
                    "UPDATE main.sites SET (kind, name, town, address, contact, phone, floors, beds, license, sample,
                                            updated_at) =
                       (SELECT kind, name, town, address, contact, phone, floors, beds, license, sample, updated_at
                        FROM f.sites WHERE f.sites.id = ?1)
                     WHERE id = ?1",
                    [&code],
                )?;
                done.sites_updated += 1;
                let (before, after) = audit::diff(ours_v, &theirs_v);
                ("site.update", Some(before), after)
            }
        };
        new["from"] = json!(from);
        audit::record(
            conn,
            audit::Entry { actor, action, entity: "site", entity_id: &code, old, new: Some(new) },
        )?;
    }
    Ok(())
}

fn take_roles(conn: &Connection, actor: &str, done: &mut Done) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT f.name, f.role FROM f.users f LEFT JOIN main.users m ON m.name = f.name
         WHERE m.name IS NULL OR m.role <> f.role ORDER BY f.name",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (name, role) in rows {
        let Some(role) = Role::from_key(&role) else { continue };
        if users::upsert(conn, actor, &name, role)? {
            done.roles_set += 1;
        }
    }
    let mut stmt = conn.prepare(
        "SELECT f.name, f.cert FROM f.users f JOIN main.users m ON m.name = f.name
         WHERE m.cert <> f.cert ORDER BY f.name",
    )?;
    let certs = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (name, cert) in certs {
        if users::set_cert(conn, actor, &name, &cert)? {
            done.settings_set += 1;
        }
    }
    Ok(())
}

/// The bureau settings where the file and this database differ: (key, theirs, ours); `None` is a key at its
/// default on that side.
type SettingDiff = (String, Option<String>, Option<String>);

fn differing_settings(conn: &Connection) -> Result<Vec<SettingDiff>> {
    let mut stmt = conn.prepare(
        "SELECT f.key, f.value, m.value FROM f.bureau_settings f LEFT JOIN main.bureau_settings m ON m.key = f.key
         WHERE m.value IS NULL OR m.value <> f.value
         UNION ALL
         SELECT m.key, NULL, m.value FROM main.bureau_settings m
         WHERE NOT EXISTS (SELECT 1 FROM f.bureau_settings f WHERE f.key = m.key)
         ORDER BY 1",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The office's settings are the bureau's: taken as they are, each change audited with the file's device.
fn take_settings(conn: &Connection, actor: &str, from: &str, done: &mut Done) -> Result<()> {
    for (key, theirs, _) in differing_settings(conn)? {
        if store_bureau::set_with(conn, actor, &key, theirs.as_deref(), Some(("from", from)))? {
            done.settings_set += 1;
        }
    }
    Ok(())
}

fn list_settings(conn: &Connection, from: &str, done: &mut Done) -> Result<()> {
    for (key, theirs, ours) in differing_settings(conn)? {
        let ours = json!({ "value": ours });
        done.conflicts_new +=
            conflict(conn, "setting", &key, Some(&ours), &json!({ "value": theirs }), from)?;
    }
    Ok(())
}

fn list_users(conn: &Connection, from: &str, done: &mut Done) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT f.name, f.role, m.role FROM f.users f LEFT JOIN main.users m ON m.name = f.name
         WHERE m.name IS NULL OR m.role <> f.role ORDER BY f.name",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (name, theirs, ours) in rows {
        let ours = ours.map(|r| json!({ "role": r }));
        done.conflicts_new += conflict(conn, "user", &name, ours.as_ref(), &json!({ "role": theirs }), from)?;
    }
    Ok(())
}

/// Lists one reference conflict; 1 when it is new, 0 when the same difference from the same device was
/// listed before (a file merged twice).
fn conflict(
    conn: &Connection,
    entity: &str,
    key: &str,
    ours: Option<&serde_json::Value>,
    theirs: &serde_json::Value,
    from: &str,
) -> Result<i64> {
    let theirs = theirs.to_string();
    let id = crate::checklist::sha256_hex(json!([entity, key, theirs, from]).to_string().as_bytes());
    let added = conn.execute(
        "INSERT INTO main.reference_conflicts (id, entity, key, ours, theirs, device, found_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO NOTHING",
        params![id, entity, key, ours.map(ToString::to_string), theirs, from, audit::utc_now()],
    )?;
    Ok(added as i64)
}
