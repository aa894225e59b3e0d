//! `ducha users add NAME --role ROLE [--cert NO]`, `ducha users list`.

use clap::Subcommand;

use super::Reported;
use crate::app;
use crate::config::Settings;
use crate::i18n::Lang;
use crate::roles::Role;
use crate::store::users;
use crate::textable;

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Add a user, or change a user's role (admins only) 添加用户或修改角色
    Add {
        /// The user's name, as given with --user 姓名
        name: String,
        /// inspector 检查员, supervisor 科室负责人 or admin 管理员
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Law-enforcement certificate number 执法证号, printed beside the name on enforcement records
        /// (no spaces, at most 32 characters; an empty value removes it)
        #[arg(long, value_name = "NO")]
        cert: Option<String>,
    },
    /// List users and their roles 用户列表
    List,
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::from_key(s.trim())
        .or_else(|| Role::ALL.into_iter().find(|r| r.label(Lang::Zh) == s.trim()))
        .ok_or_else(|| format!("unknown role `{s}`; expected inspector, supervisor or admin"))
}

pub fn run(settings: &Settings, cmd: UsersCommand) -> anyhow::Result<()> {
    let lang = settings.lang;
    let mut opened = match cmd {
        UsersCommand::List => app::open_reading(settings)?,
        UsersCommand::Add { .. } => app::open(settings)?,
    };
    match cmd {
        UsersCommand::Add { name, role, cert } => {
            let action = lang.pick("管理用户", "managing users");
            let changed = crate::roles::set_role(&mut opened.store, &settings.user, &name, role, action)
                .map_err(|e| Reported(e.message(lang)))?;
            if let Some(cert) = cert {
                let set = crate::roles::set_cert(&mut opened.store, &settings.user, &name, &cert, action)
                    .map_err(|e| Reported(e.message(lang)))?;
                let cert = cert.trim();
                match (set, cert.is_empty(), lang) {
                    (false, _, Lang::Zh) => outln!("用户 {} 的执法证号未改动", name.trim()),
                    (false, _, Lang::En) => outln!("the certificate number of {} is unchanged", name.trim()),
                    (true, true, Lang::Zh) => outln!("已删除用户 {} 的执法证号", name.trim()),
                    (true, true, Lang::En) => outln!("removed the certificate number of {}", name.trim()),
                    (true, false, Lang::Zh) => outln!("已设置用户 {} 的执法证号：{cert}", name.trim()),
                    (true, false, Lang::En) => outln!("certificate number of {}: {cert}", name.trim()),
                }
            }
            match (changed, lang) {
                (true, Lang::Zh) => outln!("已设置用户 {}：{}", name.trim(), role.label(lang)),
                (true, Lang::En) => outln!("user {} is now {}", name.trim(), role.key()),
                (false, Lang::Zh) => outln!("用户 {} 已是{}，未改动", name.trim(), role.label(lang)),
                (false, Lang::En) => {
                    outln!("user {} already is {}; nothing changed", name.trim(), role.key())
                }
            }
            Ok(())
        }
        UsersCommand::List => {
            let list = users::list(opened.store.conn())?;
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|u| {
                    vec![u.name.clone(), u.role.label(lang).to_string(), u.cert.clone(), u.created_at.clone()]
                })
                .collect();
            let headers = match lang {
                Lang::Zh => ["姓名", "角色", "执法证号", "添加时间"],
                Lang::En => ["name", "role", "certificate", "added"],
            };
            out!("{}", textable::render(&headers, &rows));
            Ok(())
        }
    }
}
