//! Users and their roles.

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

use super::audit::{self, Entry};
use super::{Result, StoreError, now};
use crate::roles::Role;

#[derive(Clone, Debug, PartialEq)]
pub struct User {
    pub name: String,
    pub role: Role,
    pub created_at: String,
    /// The law-enforcement certificate number (执法证号), empty when none.
    pub cert: String,
}

pub fn role_of(conn: &Connection, name: &str) -> Result<Option<Role>> {
    let role: Option<String> =
        conn.query_row("SELECT role FROM users WHERE name = ?1", [name], |r| r.get(0)).optional()?;
    Ok(role.and_then(|r| Role::from_key(&r)))
}

pub fn list(conn: &Connection) -> Result<Vec<User>> {
    let mut stmt =
        conn.prepare("SELECT name, role, created_at, cert FROM users ORDER BY created_at, name")?;
    let rows = stmt
        .query_map([], |r| {
            let role: String = r.get(1)?;
            Ok(User {
                name: r.get(0)?,
                role: Role::from_key(&role).unwrap_or(Role::Inspector),
                created_at: r.get(2)?,
                cert: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// How many users hold the admin role.
pub fn admin_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM users WHERE role = ?1", [Role::Admin.key()], |r| r.get(0))?)
}

/// Adds a user, or changes the role of an existing one; audited either way.
pub fn upsert(conn: &Connection, actor: &str, name: &str, role: Role) -> Result<bool> {
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError::Refused("a user needs a name".into()));
    }
    match role_of(conn, name)? {
        Some(old) if old == role => Ok(false),
        Some(old) => {
            conn.execute("UPDATE users SET role = ?2 WHERE name = ?1", params![name, role.key()])?;
            audit::record(
                conn,
                Entry {
                    actor,
                    action: "user.role",
                    entity: "user",
                    entity_id: name,
                    old: Some(json!({ "role": old.key() })),
                    new: Some(json!({ "role": role.key() })),
                },
            )?;
            Ok(true)
        }
        None => {
            conn.execute(
                "INSERT INTO users (name, role, created_at) VALUES (?1, ?2, ?3)",
                params![name, role.key(), now()],
            )?;
            audit::record(
                conn,
                Entry {
                    actor,
                    action: "user.add",
                    entity: "user",
                    entity_id: name,
                    old: None,
                    new: Some(json!({ "role": role.key() })),
                },
            )?;
            Ok(true)
        }
    }
}

/// The user's certificate number (执法证号); `None` for an unknown user.
pub fn cert_of(conn: &Connection, name: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT cert FROM users WHERE name = ?1", [name], |r| r.get(0)).optional()?)
}

/// Sets a registered user's certificate number (empty: none), audited as `user.cert`. Returns whether it
/// changed. The value is checked by [`crate::roles::set_cert`].
pub fn set_cert(conn: &Connection, actor: &str, name: &str, cert: &str) -> Result<bool> {
    let Some(old) = cert_of(conn, name)? else {
        return Err(StoreError::Refused(format!("no user named {}", crate::shown::quote(name))));
    };
    if old == cert {
        return Ok(false);
    }
    conn.execute("UPDATE users SET cert = ?2 WHERE name = ?1", params![name, cert])?;
    audit::record(
        conn,
        Entry {
            actor,
            action: "user.cert",
            entity: "user",
            entity_id: name,
            old: Some(json!({ "cert": old })),
            new: Some(json!({ "cert": cert })),
        },
    )?;
    Ok(true)
}

/// The first user of a new database is its admin.
pub fn ensure_first_admin(conn: &Connection, name: &str) -> Result<()> {
    let count: i64 = conn.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?;
    if count == 0 {
        upsert(conn, name, name, Role::Admin)?;
    }
    Ok(())
}
