//! The site registry: institutions, outlets, the rescue station and social organisations.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;

use super::audit::{self, Entry};
use super::{Result, StoreError, now};
use crate::domain::Domain;

mod find;
mod merge;
pub(crate) use find::like;
pub use find::{COUNT_CAP, Page, fill_initials, find, finish_initials, initials_missing};
pub use merge::{Columns, Field, changed, merge};

/// A site's registry fields, as imported from CSV.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SiteFields {
    pub code: String,
    #[serde(serialize_with = "ser_domain")]
    pub kind: Domain,
    pub name: String,
    pub town: String,
    pub address: String,
    pub contact: String,
    pub phone: String,
    pub floors: Option<u32>,
    pub beds: Option<u32>,
    pub license: String,
}

fn ser_domain<S: serde::Serializer>(d: &Domain, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(d.key())
}

#[derive(Clone, Debug, PartialEq)]
pub struct Site {
    pub id: String,
    pub fields: SiteFields,
    /// A sample site shipped with ducha, not part of the bureau's real registry.
    pub sample: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Upsert {
    Inserted,
    /// The fields that changed, in column order.
    Updated(Vec<Field>),
    Unchanged,
}

const COLUMNS: &str = "id, code, kind, name, town, address, contact, phone, floors, beds, license, sample";

fn row_to_site(r: &Row<'_>) -> rusqlite::Result<Site> {
    let kind: String = r.get(2)?;
    Ok(Site {
        id: r.get(0)?,
        fields: SiteFields {
            code: r.get(1)?,
            kind: Domain::from_key(&kind).ok_or_else(|| {
                rusqlite::Error::FromSqlConversionFailure(
                    2,
                    rusqlite::types::Type::Text,
                    format!("unknown site kind {kind}").into(),
                )
            })?,
            name: r.get(3)?,
            town: r.get(4)?,
            address: r.get(5)?,
            contact: r.get(6)?,
            phone: r.get(7)?,
            floors: r.get(8)?,
            beds: r.get(9)?,
            license: r.get(10)?,
        },
        sample: r.get::<_, i64>(11)? != 0,
    })
}

fn to_json(f: &SiteFields, sample: bool) -> serde_json::Value {
    let mut v = serde_json::to_value(f).unwrap_or(serde_json::Value::Null);
    if let Some(o) = v.as_object_mut() {
        o.insert("sample".into(), sample.into());
    }
    v
}

pub fn by_code(conn: &Connection, code: &str) -> Result<Option<Site>> {
    let sql = format!("SELECT {COLUMNS} FROM sites WHERE code = ?1");
    Ok(conn.query_row(&sql, [code], row_to_site).optional()?)
}

pub fn by_id(conn: &Connection, id: &str) -> Result<Option<Site>> {
    let sql = format!("SELECT {COLUMNS} FROM sites WHERE id = ?1");
    Ok(conn.query_row(&sql, [id], row_to_site).optional()?)
}

/// Inserts a site or updates the one with the same code, with an audit row for any change. A site
/// imported as real (`sample = false`) stops being a sample.
pub fn upsert(conn: &Connection, actor: &str, f: &SiteFields, sample: bool) -> Result<Upsert> {
    upsert_columns(conn, actor, f, Columns::ALL, sample)
}

/// [`upsert`] of a row read from a file with only `columns`: a stored site keeps the values of the
/// columns the file does not have (see [`merge`]).
pub fn upsert_columns(
    conn: &Connection,
    actor: &str,
    row: &SiteFields,
    columns: Columns,
    sample: bool,
) -> Result<Upsert> {
    let at = now();
    match by_code(conn, &row.code)? {
        None => {
            let f = row;
            // The registry code is the id, so the same site has the same id in every database.
            let id = f.code.clone();
            conn.execute(
                "INSERT INTO sites (id, code, kind, name, town, address, contact, phone, floors, beds, license,
                                    sample, created_at, updated_at, initials)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14)",
                params![
                    id,
                    f.code,
                    f.kind.key(),
                    f.name,
                    f.town,
                    f.address,
                    f.contact,
                    f.phone,
                    f.floors,
                    f.beds,
                    f.license,
                    sample,
                    at,
                    find::initials_of(f)
                ],
            )?;
            audit::record(
                conn,
                Entry {
                    actor,
                    action: "site.create",
                    entity: "site",
                    entity_id: &id,
                    old: None,
                    new: Some(to_json(f, sample)),
                },
            )?;
            Ok(Upsert::Inserted)
        }
        Some(old) => {
            let merged = merge(&old.fields, row, columns);
            let f = &merged;
            let sample = sample && old.sample;
            let fields = changed(&old.fields, old.sample, f, sample);
            if fields.is_empty() {
                return Ok(Upsert::Unchanged);
            }
            conn.execute(
                "UPDATE sites SET kind = ?2, name = ?3, town = ?4, address = ?5, contact = ?6, phone = ?7,
                                  floors = ?8, beds = ?9, license = ?10, sample = ?11, updated_at = ?12,
                                  initials = ?13
                 WHERE id = ?1",
                params![
                    old.id,
                    f.kind.key(),
                    f.name,
                    f.town,
                    f.address,
                    f.contact,
                    f.phone,
                    f.floors,
                    f.beds,
                    f.license,
                    sample,
                    at,
                    find::initials_of(f)
                ],
            )?;
            let (before, after) = audit::diff(&to_json(&old.fields, old.sample), &to_json(f, sample));
            audit::record(
                conn,
                Entry {
                    actor,
                    action: "site.update",
                    entity: "site",
                    entity_id: &old.id,
                    old: Some(before),
                    new: Some(after),
                },
            )?;
            Ok(Upsert::Updated(fields))
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub kind: Option<Domain>,
    pub town: Option<String>,
}

pub fn list(conn: &Connection, filter: &Filter) -> Result<Vec<Site>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM sites
         WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR town = ?2)
         ORDER BY kind, town, code"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(params![filter.kind.map(Domain::key), filter.town], row_to_site)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The distinct towns of the registry, in name order.
pub fn towns(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT DISTINCT town FROM sites ORDER BY town")?;
    let rows = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(rows)
}

pub fn count(conn: &Connection) -> Result<(i64, i64)> {
    Ok(conn.query_row("SELECT count(*), coalesce(sum(sample), 0) FROM sites", [], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?)
}

/// Deletes the sample sites that were never inspected. Returns (removed, kept because inspected).
pub fn remove_sample(conn: &Connection, actor: &str) -> Result<(usize, usize)> {
    let sql = format!(
        "SELECT {COLUMNS} FROM sites s WHERE sample = 1
         AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.site_id = s.id)"
    );
    let mut stmt = conn.prepare(&sql)?;
    let doomed = stmt.query_map([], row_to_site)?.collect::<rusqlite::Result<Vec<_>>>()?;
    for site in &doomed {
        conn.execute("DELETE FROM sites WHERE id = ?1", [&site.id])?;
        audit::record(
            conn,
            Entry {
                actor,
                action: "site.remove_sample",
                entity: "site",
                entity_id: &site.id,
                old: Some(to_json(&site.fields, true)),
                new: None,
            },
        )?;
    }
    let kept: i64 = conn.query_row("SELECT count(*) FROM sites WHERE sample = 1", [], |r| r.get(0))?;
    Ok((doomed.len(), usize::try_from(kept).map_err(|_| StoreError::Refused("negative count".into()))?))
}
