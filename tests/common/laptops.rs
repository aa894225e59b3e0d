//! Offices and laptops for the merge tests: real databases (seeded as `ducha` seeds them, or filled by the
//! tiny demo), inspections recorded through the store's API, hand-overs and merges through the real binary.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use ducha::roles::Role;
use ducha::store::inspections::NewRectification;
use ducha::store::{Store, users};

use crate::common::inspection::submit_failed;
use crate::common::{ducha, run};

pub const ADMIN: &str = "管理员";
pub const SUPERVISOR: &str = "科长乙";
pub const INSPECTOR: &str = "检查员甲";

/// A folder holding one database (`ducha.db`) and its evidence folder.
pub struct Place {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl Place {
    pub fn empty() -> Place {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("ducha.db");
        Place { dir, db }
    }

    pub fn open(&self) -> Store {
        Store::open(&self.db).unwrap()
    }

    /// A copy of this database and its evidence: the same device, for comparing merges in other orders.
    pub fn copy(&self) -> Place {
        let to = Place::empty();
        self.open().conn().execute("VACUUM INTO ?1", [to.db.to_string_lossy()]).unwrap();
        copy_dir(&self.dir.path().join("evidence"), &to.dir.path().join("evidence"));
        to
    }

    pub fn handover(&self, name: &str) -> PathBuf {
        let out = self.dir.path().join(name);
        let done =
            ducha(&self.db).args(["--user", ADMIN, "handover", "--force", "-o"]).arg(&out).output().unwrap();
        assert!(done.status.success(), "handover: {}", String::from_utf8_lossy(&done.stderr));
        out
    }

    /// Merges the files through the binary; returns (exit code, stdout, stderr).
    pub fn merge(&self, files: &[&Path]) -> (i32, String, String) {
        run(ducha(&self.db).args(["--user", ADMIN, "merge"]).args(files))
    }

    pub fn merge_ok(&self, files: &[&Path]) -> String {
        let (code, out, err) = self.merge(files);
        assert_eq!(code, 0, "merge failed:\n{out}\n{err}");
        out
    }

    pub fn digests(&self) -> BTreeMap<&'static str, (String, i64)> {
        ducha::consolidate::canonical::digests(self.open().conn()).unwrap()
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.open().conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    pub fn device(&self) -> ducha::store::device::Device {
        ducha::store::device::get(self.open().conn()).unwrap()
    }
}

fn copy_dir(from: &Path, to: &Path) {
    let Ok(entries) = std::fs::read_dir(from) else { return };
    std::fs::create_dir_all(to).unwrap();
    for e in entries {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// An office: the shipped checklists, the sample registry, an admin, a supervisor and two inspectors.
pub fn office() -> Place {
    let place = Place::empty();
    let mut store = place.open();
    ducha::app::seed(&mut store, ADMIN).unwrap();
    store
        .write(|tx| -> ducha::store::Result<()> {
            users::upsert(tx, ADMIN, SUPERVISOR, Role::Supervisor)?;
            users::upsert(tx, ADMIN, INSPECTOR, Role::Inspector)?;
            users::upsert(tx, ADMIN, "检查员丙", Role::Inspector)?;
            Ok(())
        })
        .unwrap();
    place
}

pub fn demo_today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
}

/// A database filled by the tiny demo with `seed` (its own office).
pub fn demo(seed: u64) -> Place {
    use ducha::demo::{self, Options, Scale};
    let place = Place::empty();
    let mut store = place.open();
    demo::set_setup_clock(demo_today());
    ducha::app::seed(&mut store, ADMIN).unwrap();
    demo::clear_clock();
    demo::generate(
        &mut store,
        ADMIN,
        &Options { scale: Scale::Tiny, seed, today: demo_today() },
        &mut |_| {},
    )
    .unwrap();
    place
}

/// A laptop set up from an office hand-over (`ducha --db NEW merge office.hand`).
pub fn laptop_from(office_file: &Path) -> Place {
    let place = Place::empty();
    place.merge_ok(&[office_file]);
    place
}

/// Records and submits an inspection at `site_code` as `user`, failing the listed items of the elderly-care
/// checklist (one rectification each); returns (inspection id, rectification ids).
pub fn inspect(place: &Place, user: &str, site_code: &str, failures: &[&str]) -> (String, Vec<String>) {
    let rects: Vec<NewRectification<'_>> = failures
        .iter()
        .map(|item| NewRectification {
            answer_id: "",
            item_id: item,
            instance: 0,
            problem: "现场发现的问题",
            basis: "GB 38600-2019",
            severity: "major",
            major_hazard: false,
            requirement: "限期整改",
            deadline: "2026-12-31",
            responsible: "负责人",
            phone: "13900000000",
        })
        .collect();
    let team = [user.to_string(), "检查员丙".to_string()];
    place.open().write(|tx| submit_failed(tx, user, site_code, &team, "院长", &rects)).unwrap()
}
