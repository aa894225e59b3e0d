//! Document numbers: rectification notices (整改通知书文号, table `notices`) and on-site inspection records
//! (现场检查记录编号, table `records`), one [`Series`] each. A submitted inspection's notice gets its number the first
//! time it is exported — the next sequence number of the year it is issued in, on this device (an
//! inspection of December issued in January is numbered in the new year) — and keeps it:
//! every later export prints the same number, on any database the notice has been merged into. Numbers
//! carry the issuing device's code (督整〔2026〕第K7QH-012号), so notices issued on different laptops never
//! share a number. The printed form follows the bureau's format setting (`notice.format`, `record.format`)
//! in force when the number is allocated. Allocation runs inside the caller's `BEGIN IMMEDIATE` transaction, so two
//! exports at once never take the same number, and writes its audit row there too.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::json;

use super::audit::{self, Entry};
use super::{Result, StoreError, now};

/// A notice number as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub inspection_id: String,
    /// The device that issued it.
    pub device: String,
    /// The year the notice was issued in; numbers restart at 1 each year.
    pub year: i32,
    pub seq: u32,
    /// The number as printed, e.g. `督整〔2026〕第012号`.
    pub number: String,
    pub issued_by: String,
    pub issued_at: String,
}

/// What [`issue`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issued {
    pub notice: Notice,
    /// Whether the number was allocated by this call (false: an earlier export had issued it).
    pub new: bool,
}

/// A numbered kind of document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Series {
    /// 整改通知书.
    Notice,
    /// 现场检查记录.
    Record,
}

impl Series {
    /// The table (a fixed name, never user input).
    fn table(self) -> &'static str {
        match self {
            Series::Notice => "notices",
            Series::Record => "records",
        }
    }

    fn action(self) -> &'static str {
        match self {
            Series::Notice => "notice.issue",
            Series::Record => "record.issue",
        }
    }

    fn format(self, conn: &Connection) -> Result<crate::bureau::NumberFormat> {
        let bureau = crate::bureau::load(conn)?;
        Ok(match self {
            Series::Notice => bureau.notice_format,
            Series::Record => bureau.record_format,
        })
    }
}

/// The printed form of a notice number in the default format: `督整〔2026〕第K7QH-012号`, with the issuing
/// device's code and the sequence zero-padded to three digits (a thousandth notice in a year simply has four).
pub fn format_number(device_code: &str, year: i32, seq: u32) -> String {
    crate::bureau::NumberFormat::parse(crate::bureau::Key::NoticeFormat.default_value())
        .map(|f| f.render(device_code, year, seq))
        .unwrap_or_default()
}

const COLUMNS: &str = "inspection_id, device, year, seq, number, issued_by, issued_at";

fn row_to_notice(r: &Row<'_>) -> rusqlite::Result<Notice> {
    Ok(Notice {
        inspection_id: r.get(0)?,
        device: r.get(1)?,
        year: r.get(2)?,
        seq: r.get(3)?,
        number: r.get(4)?,
        issued_by: r.get(5)?,
        issued_at: r.get(6)?,
    })
}

/// The notice issued for an inspection, if any. Should two devices have issued one before their databases
/// were merged, the first issued is the one the unit holds, and it is the one reprinted.
pub fn get(conn: &Connection, inspection_id: &str) -> Result<Option<Notice>> {
    get_in(conn, Series::Notice, inspection_id)
}

/// [`get`] for any series.
pub fn get_in(conn: &Connection, series: Series, inspection_id: &str) -> Result<Option<Notice>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM {} WHERE inspection_id = ?1 ORDER BY issued_at, device LIMIT 1",
        series.table()
    );
    Ok(conn.query_row(&sql, [inspection_id], row_to_notice).optional()?)
}

/// [`issue_in`] in the current year (of the store's clock): documents are numbered by the year they are
/// issued, not by the year of the inspection.
pub fn issue_now_in(conn: &Connection, series: Series, actor: &str, inspection_id: &str) -> Result<Issued> {
    let at = now();
    let year = at
        .get(..4)
        .and_then(|y| y.parse::<i32>().ok())
        .ok_or_else(|| StoreError::Refused(format!("the clock's date cannot be read: {at}")))?;
    issue_in(conn, series, actor, inspection_id, year)
}

/// Returns the inspection's notice number, allocating the next one of `year` (with a `notice.issue` audit
/// row) when it has none yet. Call it inside a write transaction: the read of the highest number and the
/// insert must not interleave with another export's.
pub fn issue(conn: &Connection, actor: &str, inspection_id: &str, year: i32) -> Result<Issued> {
    issue_in(conn, Series::Notice, actor, inspection_id, year)
}

/// [`issue`] for any series.
pub fn issue_in(
    conn: &Connection,
    series: Series,
    actor: &str,
    inspection_id: &str,
    year: i32,
) -> Result<Issued> {
    if let Some(notice) = get_in(conn, series, inspection_id)? {
        return Ok(Issued { notice, new: false });
    }
    let device = super::device::get(conn)?;
    let table = series.table();
    let last: i64 = conn.query_row(
        &format!("SELECT coalesce(max(seq), 0) FROM {table} WHERE device = ?1 AND year = ?2"),
        params![device.id, year],
        |r| r.get(0),
    )?;
    let seq = u32::try_from(last + 1)
        .map_err(|_| StoreError::Refused(format!("no {table} number left for the year {year}")))?;
    let number = series.format(conn)?.render(&device.code, year, seq);
    let at = now();
    conn.execute(
        &format!(
            "INSERT INTO {table} (inspection_id, device, year, seq, number, issued_by, issued_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        ),
        params![inspection_id, device.id, year, seq, number, actor, at],
    )?;
    audit::record(
        conn,
        Entry {
            actor,
            action: series.action(),
            entity: "inspection",
            entity_id: inspection_id,
            old: None,
            new: Some(json!({ "year": year, "seq": seq, "number": number })),
        },
    )?;
    let notice = Notice {
        inspection_id: inspection_id.to_string(),
        device: device.id,
        year,
        seq,
        number,
        issued_by: actor.to_string(),
        issued_at: at,
    };
    Ok(Issued { notice, new: true })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_zero_padded_to_three_digits() {
        assert_eq!(format_number("K7QH", 2026, 12), "督整〔2026〕第K7QH-012号");
        assert_eq!(format_number("K7QH", 2026, 1), "督整〔2026〕第K7QH-001号");
        assert_eq!(format_number("A0B1", 2027, 1234), "督整〔2027〕第A0B1-1234号");
    }
}
