//! `ducha users add NAME --role ROLE`, `ducha users list`.

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
        UsersCommand::Add { name, role } => {
            let changed = crate::roles::set_role(
                &mut opened.store,
                &settings.user,
                &name,
                role,
                lang.pick("管理用户", "managing users"),
            )
            .map_err(|e| Reported(e.message(lang)))?;
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
                .map(|u| vec![u.name.clone(), u.role.label(lang).to_string(), u.created_at.clone()])
                .collect();
            let headers = match lang {
                Lang::Zh => ["姓名", "角色", "添加时间"],
                Lang::En => ["name", "role", "added"],
            };
            out!("{}", textable::render(&headers, &rows));
            Ok(())
        }
    }
}
