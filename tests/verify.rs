#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `ducha verify` on real databases through the real binary: whole databases (new, demo, migrated from
//! schema 6) verify; an audit row edited, deleted, inserted, copied or swapped is found at the right device
//! and entry; changed and missing evidence files are named by path; verify never creates or changes a
//! file and refuses files that are not ducha's. (`ducha status`: tests/status.rs.)

mod common;

use std::path::Path;

use common::{ducha, new_db, own_device, temp_db, text};
use ducha::checklist::{LoadReport, load_shipped, sha256_hex};
use ducha::store::audit::{self, STORED_COLUMNS, Stored};
use ducha::store::{Store, evidence};
use rusqlite::{Connection, params};

/// A second device whose chain was merged in, so a break can be pinned to the right device.
const OTHER: &str = "01JB2C3D4E5F6G7H8J9KAMRQXB";
const OTHER_ENTRIES: i64 = 10;

/// Runs `ducha verify` (English unless `lang` says otherwise): (exit code, stdout, stderr).
fn verify(db: &Path, lang: &str) -> (i32, String, String) {
    let out = ducha(db).args(["--lang", lang, "verify"]).output().unwrap();
    (out.status.code().unwrap(), text(&out.stdout), text(&out.stderr))
}

fn head(conn: &Connection, device: &str) -> (i64, String) {
    audit::head(conn, device).unwrap()
}

fn entry(conn: &Connection, device: &str, dseq: i64) -> Stored {
    let sql = format!("SELECT {STORED_COLUMNS} FROM audit WHERE device = ?1 AND dseq = ?2");
    conn.query_row(&sql, params![device, dseq], audit::row_to_stored).unwrap()
}

/// The raw file, for tampering as someone with the file and an SQLite shell would: the append-only
/// triggers dropped. [`restore_guards`] puts them back, as a careful forger would.
fn tamper(db: &Path) -> Connection {
    let conn = Connection::open(db).unwrap();
    conn.execute_batch("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;").unwrap();
    conn
}

fn restore_guards(conn: &Connection) {
    conn.execute_batch(
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
         BEGIN SELECT RAISE(ABORT, 'the audit table is append-only'); END;
         CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
         BEGIN SELECT RAISE(ABORT, 'the audit table is append-only'); END;",
    )
    .unwrap();
}

/// Appends a well-formed chain of `n` entries for another device, as a merge would bring it.
fn add_other_chain(db: &Path, n: i64) {
    let conn = Connection::open(db).unwrap();
    let mut prev = String::new();
    for dseq in 1..=n {
        let mut s = Stored {
            id: format!("01JB2C3D4E5F6G7H8J9KA{dseq:05}"),
            device: OTHER.into(),
            dseq,
            prev: prev.clone(),
            hash: String::new(),
            at: format!("2026-11-2{}T08:00:{dseq:02}Z", dseq % 9),
            actor: "王芳".into(),
            action: "site.update".into(),
            entity: "site".into(),
            entity_id: "32068001".into(),
            old: Some(r#"{"phone":""}"#.into()),
            new: Some(format!(r#"{{"phone":"1391234{dseq:04}"}}"#)),
        };
        s.hash = s.content_hash();
        audit::insert(&conn, &s).unwrap();
        prev = s.hash;
    }
}

/// Rewrites entry `dseq` of `device` as given, with its hash left as it was unless `rehash`.
fn rewrite(conn: &Connection, s: &Stored, rehash: bool) {
    let hash = if rehash { s.content_hash() } else { s.hash.clone() };
    conn.execute(
        "UPDATE audit SET id = ?3, prev = ?4, hash = ?5, at = ?6, actor = ?7, action = ?8, entity = ?9,
                          entity_id = ?10, old = ?11, new = ?12
         WHERE device = ?1 AND dseq = ?2",
        params![
            s.device,
            s.dseq,
            s.id,
            s.prev,
            hash,
            s.at,
            s.actor,
            s.action,
            s.entity,
            s.entity_id,
            s.old,
            s.new
        ],
    )
    .unwrap();
}

fn file_bytes(db: &Path) -> Vec<u8> {
    std::fs::read(db).unwrap()
}

#[test]
fn a_new_database_verifies_and_prints_its_chain_head_without_changing_the_file() {
    let (dir, db) = new_db();
    let (id, code) = own_device(&db);
    let (n, hash) = head(&Connection::open(&db).unwrap(), &id);
    assert!(n > 0 && hash.len() == 64, "{n} {hash}");
    let before = file_bytes(&db);

    let (code_en, out, err) = verify(&db, "en");
    assert_eq!(code_en, 0, "{out}\n{err}");
    assert!(out.contains("integrity check: ok"), "{out}");
    assert!(out.contains(&format!("audit chains: 1 chain(s), {n} entries, whole")), "{out}");
    assert!(out.contains(&format!("  device {id} ({code}, this device)  entry {n}  {hash}\n")), "{out}");
    assert!(out.trim_end().ends_with("every evidence file matches its hash"), "{out}");

    let (code_zh, out, err) = verify(&db, "zh");
    assert_eq!(code_zh, 0, "{out}\n{err}");
    assert!(out.contains("完整性检查：通过"), "{out}");
    assert!(out.contains(&format!("  设备 {id}（{code}，本机）  第 {n} 条  {hash}\n")), "{out}");
    assert!(out.contains("核验通过"), "{out}");

    assert_eq!(file_bytes(&db), before, "verify changed the database file");
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into())
        .collect();
    names.sort();
    assert_eq!(names, ["ducha.db"], "verify left files beside the database");
}

#[test]
fn a_demo_database_verifies_with_its_evidence_files() {
    let (_dir, db) = temp_db();
    ducha(&db).args(["demo", "--scale", "tiny", "--seed", "7", "--today", "2026-11-29"]).assert().success();
    let (code, out, err) = verify(&db, "en");
    assert_eq!(code, 0, "{out}\n{err}");
    let line = out.lines().find(|l| l.starts_with("evidence files: ")).unwrap();
    let files: u64 = line["evidence files: ".len()..].split(' ').next().unwrap().parse().unwrap();
    let stored: i64 =
        Connection::open(&db).unwrap().query_row("SELECT count(*) FROM evidence", [], |r| r.get(0)).unwrap();
    let stored = u64::try_from(stored).unwrap();
    assert!(files > 0 && files == stored, "{line} vs {stored} evidence rows");
    assert!(line.ends_with(", whole"), "{line}");
}

/// Builds a schema-6 database by hand: a user, a site, the lottery checklist, a submitted inspection with a
/// failed answer and its photo, a notice and the audit rows of all that, as ducha 6 wrote them.
fn schema_6_database(db: &Path) -> String {
    let store = Store::open_at(db, 6).unwrap();
    assert_eq!(store.schema_version().unwrap(), 6);
    let conn = store.conn();
    let mut report = LoadReport::default();
    load_shipped(&mut report);
    let lottery = report.find("lottery_outlet_supervision").unwrap();
    let c = &lottery.checklist;
    let item = &c.sections[0].items[0].id;
    let inspection = "01HX0000000000000000INSP01";
    let photo = b"\xFF\xD8\xFF old photo bytes";
    let sha = sha256_hex(photo);
    let stored = format!("{}-photo.jpg", &sha[..12]);
    // The snapshot first: the inspection's foreign key needs it.
    conn.execute(
        "INSERT INTO checklist_snapshots (id, checklist_id, version, hash, title, domain, origin, source, stored_at)
         VALUES ('01HX000000000000000000SNAP', ?1, ?2, ?3, ?4, ?5, 'shipped', ?6, '2025-01-02T08:00:00+08:00')",
        params![c.id, c.version, lottery.hash, c.title, c.domain.key(), lottery.text],
    )
    .unwrap();
    conn.execute_batch(&format!(
        "INSERT INTO users VALUES ('管理员', 'admin', '2025-01-02T08:00:00+08:00');
         INSERT INTO sites (id, code, kind, name, town, sample, created_at, updated_at)
           VALUES ('01HX00000000000000000SITE1', '32068001', 'lottery_outlet', '如城投注站', '如城街道', 0,
                   '2025-01-02T08:00:00+08:00', '2025-01-02T08:00:00+08:00');
         INSERT INTO inspections (id, site_id, snapshot_id, inspectors, status, started_at, updated_at,
                                  submitted_at, created_by)
           VALUES ('{inspection}', '01HX00000000000000000SITE1', '01HX000000000000000000SNAP',
                   '[\"管理员\"]', 'submitted', '2025-03-01T09:00:00+08:00', '2025-03-01T10:00:00+08:00',
                   '2025-03-01T10:00:00+08:00', '管理员');
         INSERT INTO answers (id, inspection_id, item_id, value, outcome, problem, severity, answered_by, answered_at)
           VALUES ('01HX0000000000000000ANSW01', '{inspection}', '{item}', '\"fail\"', 'fail', '未悬挂代销证',
                   'minor', '管理员', '2025-03-01T09:10:00+08:00');
         INSERT INTO evidence (id, answer_id, stored_name, original_path, sha256, bytes, added_by, added_at)
           VALUES ('01HX0000000000000000EVID01', '01HX0000000000000000ANSW01', '{stored}', '/tmp/photo.jpg',
                   '{sha}', {len}, '管理员', '2025-03-01T09:11:00+08:00');
         INSERT INTO notices VALUES ('{inspection}', 2025, 1, '督整〔2025〕第001号', '管理员',
                                     '2025-03-02T09:00:00+08:00');",
        len = photo.len()
    ))
    .unwrap();
    for (n, (action, entity, id)) in [
        ("user.add", "user", "管理员"),
        ("site.add", "site", "01HX00000000000000000SITE1"),
        ("inspection.start", "inspection", inspection),
        ("answer.save", "answer", "01HX0000000000000000ANSW01"),
        ("evidence.attach", "answer", "01HX0000000000000000ANSW01"),
        ("inspection.submit", "inspection", inspection),
    ]
    .into_iter()
    .enumerate()
    {
        conn.execute(
            "INSERT INTO audit (id, at, actor, action, entity, entity_id, old, new)
             VALUES (?1, ?2, '管理员', ?3, ?4, ?5, NULL, '{\"v\":1}')",
            params![
                format!("01HX000000000000000AUDIT{n}"),
                format!("2025-03-01T0{n}:00:00Z"),
                action,
                entity,
                id
            ],
        )
        .unwrap();
    }
    let folder = evidence::root_beside(Some(db)).join(inspection);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join(&stored), photo).unwrap();
    inspection.to_string()
}

#[test]
fn a_database_migrated_from_schema_6_verifies_and_its_chain_goes_on() {
    let (_dir, db) = temp_db();
    schema_6_database(&db);
    // A v6 file is not verified (it has no chain) and not upgraded by verify.
    let (code, _, err) = verify(&db, "en");
    assert_eq!(code, 1);
    assert!(err.contains("schema version 6"), "{err}");
    assert_eq!(
        Connection::open(&db).unwrap().query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)).unwrap(),
        6
    );

    ducha(&db).arg("status").assert().success(); // migrates
    let (code, out, err) = verify(&db, "en");
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("audit chains: 1 chain(s), 6 entries, whole"), "{out}");
    assert!(out.contains("evidence files: 1 ("), "{out}");

    ducha(&db).args(["--user", "管理员", "users", "add", "王芳", "--role", "inspector"]).assert().success();
    let (code, out, err) = verify(&db, "en");
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("audit chains: 1 chain(s), 7 entries, whole"), "{out}");
}

/// One way of tampering: what it does to the raw file, then which device and entry verify must name and
/// the words of the break (English).
struct Case {
    name: &'static str,
    device: fn(&str) -> String,
    act: fn(&Connection, &str, i64),
    at: fn(i64) -> i64,
    says: &'static str,
}

fn own(id: &str) -> String {
    id.to_string()
}
fn other(_: &str) -> String {
    OTHER.to_string()
}

#[test]
fn every_kind_of_tampering_is_found_at_its_device_and_entry() {
    let cases = [
        Case {
            name: "edited",
            device: own,
            act: |c, d, _| {
                c.execute(
                    "UPDATE audit SET new = '{\"role\":\"admin\"}' WHERE device = ?1 AND dseq = 5",
                    [d],
                )
                .unwrap();
            },
            at: |_| 5,
            says: "does not match its hash",
        },
        Case {
            name: "deleted",
            device: other,
            act: |c, d, _| {
                c.execute("DELETE FROM audit WHERE device = ?1 AND dseq = 7", [d]).unwrap();
            },
            at: |_| 7,
            says: "is missing (the next one is 8)",
        },
        Case {
            // A forger who shifts the later entries and gives the new one a proper hash and link: the
            // shifted entry after it no longer matches its hash (its number is part of it).
            name: "inserted",
            device: other,
            act: |c, d, _| {
                c.execute("UPDATE audit SET dseq = dseq + 1000 WHERE device = ?1 AND dseq >= 4", [d])
                    .unwrap();
                c.execute("UPDATE audit SET dseq = dseq - 999 WHERE device = ?1 AND dseq >= 1000", [d])
                    .unwrap();
                let mut forged = Stored {
                    id: "01JB2C3D4E5F6G7H8J9KAFORGE".into(),
                    dseq: 4,
                    prev: entry(c, d, 3).hash,
                    new: Some(r#"{"phone":"00000000000"}"#.into()),
                    ..entry(c, d, 3)
                };
                forged.hash = forged.content_hash();
                audit::insert(c, &forged).unwrap();
            },
            at: |_| 5,
            says: "does not match its hash",
        },
        Case {
            // A copy of entry 2 appended with a hash of its own, still pointing where entry 2 pointed.
            name: "copied",
            device: own,
            act: |c, d, last| {
                let mut copy =
                    Stored { id: "01JB2C3D4E5F6G7H8J9KACOPY0".into(), dseq: last + 1, ..entry(c, d, 2) };
                copy.hash = copy.content_hash();
                audit::insert(c, &copy).unwrap();
            },
            at: |last| last + 1,
            says: "does not follow the entry before it",
        },
        Case {
            name: "swapped",
            device: own,
            act: |c, d, _| {
                let (three, four) = (entry(c, d, 3), entry(c, d, 4));
                rewrite(c, &Stored { id: three.id.clone(), ..four.clone() }.with_place(&three), false);
                rewrite(c, &Stored { id: four.id.clone(), ..three }.with_place(&four), false);
            },
            at: |_| 3,
            says: "does not match its hash",
        },
        Case {
            // Swapped with both hashes recomputed: the two agree with themselves, the entry after them does
            // not point at the new entry 4.
            name: "swapped and rehashed",
            device: other,
            act: |c, d, _| {
                let (three, four) = (entry(c, d, 3), entry(c, d, 4));
                let new_three = Stored { id: three.id.clone(), ..four.clone() }.with_place(&three);
                rewrite(c, &new_three, true);
                let new_four = Stored { id: four.id.clone(), prev: new_three.content_hash(), ..three }
                    .with_place_keep_prev(&four);
                rewrite(c, &new_four, true);
            },
            at: |_| 5,
            says: "does not follow the entry before it",
        },
    ];
    for case in &cases {
        let (_dir, db) = new_db();
        add_other_chain(&db, OTHER_ENTRIES);
        let (id, _) = own_device(&db);
        let device = (case.device)(&id);
        let last = head(&Connection::open(&db).unwrap(), &device).0;
        {
            let conn = tamper(&db);
            (case.act)(&conn, &device, last);
            restore_guards(&conn);
        }
        let at = (case.at)(last);
        let (code, out, err) = verify(&db, "en");
        assert_eq!(code, 1, "{}: not found\n{out}", case.name);
        let named = format!("device {device}: audit entry {at} ");
        let problems: Vec<&str> = out.lines().filter(|l| l.starts_with("problem: ")).collect();
        assert_eq!(problems.len(), 1, "{}: {problems:?}", case.name);
        assert!(problems[0].starts_with(&format!("problem: {named}")), "{}: {}", case.name, problems[0]);
        assert!(problems[0].contains(case.says), "{}: {}", case.name, problems[0]);
        assert!(err.starts_with(&format!("verification failed: {named}")), "{}: {err}", case.name);
        assert!(out.contains("audit chains: 2 chain(s)") && out.contains(", broken"), "{}: {out}", case.name);
        let heads: Vec<&str> = out.lines().filter(|l| l.starts_with("  device ")).collect();
        assert_eq!(heads.len(), 2, "{out}");
        for h in heads {
            let marked = h.ends_with("(chain broken: not a head to trust)");
            assert_eq!(marked, h.starts_with(&format!("  device {device} ")), "{}: {h}", case.name);
        }

        let (code, out, _) = verify(&db, "zh");
        assert_eq!(code, 1);
        assert!(out.contains(&format!("问题：设备 {device} 的审计链")), "{}: {out}", case.name);
        assert!(out.contains(&format!("第 {at} 条")), "{}: {out}", case.name);
    }
}

/// Field-wise helpers for the swap cases: the content of one entry put at the place (device, number,
/// link) of another.
trait Place {
    fn with_place(self, at: &Stored) -> Stored;
    fn with_place_keep_prev(self, at: &Stored) -> Stored;
}

impl Place for Stored {
    fn with_place(self, at: &Stored) -> Stored {
        Stored {
            device: at.device.clone(),
            dseq: at.dseq,
            prev: at.prev.clone(),
            hash: at.hash.clone(),
            ..self
        }
    }
    fn with_place_keep_prev(self, at: &Stored) -> Stored {
        Stored { device: at.device.clone(), dseq: at.dseq, hash: at.hash.clone(), ..self }
    }
}

#[test]
fn dropped_guards_are_reported_even_when_no_entry_was_touched() {
    let (_dir, db) = new_db();
    drop(tamper(&db));
    let (code, out, err) = verify(&db, "en");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("audit chains: 1 chain(s)") && out.contains(", whole"), "{out}");
    assert!(out.contains("guard trigger audit_no_update was dropped"), "{out}");
    assert!(out.contains("guard trigger audit_no_delete was dropped"), "{out}");
    assert!(err.contains("2 problem(s)"), "{err}");
}

#[test]
fn a_rewrite_with_every_hash_recomputed_passes_the_chains_but_not_the_head_written_down() {
    let (_dir, db) = new_db();
    let (id, _) = own_device(&db);
    let (_, out, _) = verify(&db, "en");
    let written_down = out.lines().find(|l| l.contains(&format!("device {id} "))).unwrap().to_string();
    {
        let conn = tamper(&db);
        let last = head(&conn, &id).0;
        let mut prev = entry(&conn, &id, 4).hash;
        for n in 5..=last {
            let mut s = entry(&conn, &id, n);
            if n == 5 {
                s.new = Some(r#"{"forged":true}"#.into());
            }
            s.prev = prev;
            s.hash = s.content_hash();
            rewrite(&conn, &s, true);
            prev = s.hash;
        }
        restore_guards(&conn);
    }
    let (code, out, _) = verify(&db, "en");
    assert_eq!(code, 0, "{out}");
    let now = out.lines().find(|l| l.contains(&format!("device {id} "))).unwrap();
    assert_ne!(now, written_down, "the head must change when anything before it was rewritten");
}

#[test]
fn changed_and_missing_evidence_files_are_named_by_inspection_and_path() {
    let (dir, db) = temp_db();
    let (mut store, id, item) = common::inspection::outlet_failed_draft(&db);
    let folder = store.evidence_root().join(&id);
    let mut stored = Vec::new();
    for (name, bytes) in
        [("甲.jpg", &b"first photo"[..]), ("乙.jpg", b"second photo"), ("丙.jpg", b"third photo")]
    {
        let source = dir.path().join(name);
        std::fs::write(&source, bytes).unwrap();
        stored
            .push(store.write(|tx| evidence::attach(tx, "测试员", &id, &item, 0, &source, &folder)).unwrap());
    }
    drop(store);
    let (code, out, _) = verify(&db, "en");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("evidence files: 3 ("), "{out}");

    let path = |n: usize| folder.join(&stored[n]).display().to_string();
    std::fs::write(folder.join(&stored[0]), b"FIRST photo").unwrap(); // same size, other bytes
    std::fs::write(folder.join(&stored[1]), b"second photo, retouched").unwrap();
    std::fs::remove_file(folder.join(&stored[2])).unwrap();
    let (code, out, err) = verify(&db, "en");
    assert_eq!(code, 1, "{out}");
    let of = format!(" of inspection {id} ");
    assert!(out.contains(&format!("evidence file {}{of}was changed (SHA-256 recorded", path(0))), "{out}");
    assert!(
        out.contains(&format!("evidence file {}{of}has 23 bytes, not the 12 recorded", path(1))),
        "{out}"
    );
    assert!(out.contains(&format!("evidence file {}{of}is missing", path(2))), "{out}");
    assert!(out.contains("audit chains: 1 chain(s)") && out.contains("entries, whole"), "{out}");
    assert!(err.contains("3 problem(s)"), "{err}");

    let (code, out, _) = verify(&db, "zh");
    assert_eq!(code, 1);
    assert!(out.contains(&format!("检查 {id} 的证据文件 {}：缺失", path(2))), "{out}");
}

#[test]
fn verify_on_a_missing_path_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("nowhere").join("ducha.db");
    let (code, out, err) = verify(&db, "en");
    assert_eq!(code, 1);
    assert!(out.is_empty(), "{out}");
    assert!(err.contains(&format!("no database at {}", db.display())), "{err}");
    let (code, _, err) = verify(&db, "zh");
    assert_eq!(code, 1);
    assert!(err.contains(&format!("数据库文件不存在：{}", db.display())), "{err}");
    assert!(!dir.path().join("nowhere").exists(), "verify created the folder or the file");
}

#[test]
fn files_that_are_not_ducha_databases_are_refused_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("other.db");
    Connection::open(&plain).unwrap().execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").unwrap();
    let foreign = dir.path().join("foreign.db");
    Connection::open(&foreign)
        .unwrap()
        .execute_batch("PRAGMA application_id = 1234; CREATE TABLE t (x);")
        .unwrap();
    let garbage = dir.path().join("notes.db");
    std::fs::write(&garbage, "这不是数据库 not a database at all, just some text long enough ........")
        .unwrap();
    for file in [&plain, &foreign, &garbage] {
        let before = file_bytes(file);
        let (code, out, err) = verify(file, "en");
        assert_eq!(code, 1, "{}: {out}", file.display());
        assert!(err.contains(&format!("{} is not a ducha database", file.display())), "{err}");
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(file_bytes(file), before, "{} was changed", file.display());
    }
}
