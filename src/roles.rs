//! Users' roles and what each may do. Inspectors record inspections; supervisors also verify, reject and
//! extend rectifications; admins also manage users, checklists and the site registry.

use crate::i18n::Lang;
use crate::store::{Store, StoreError, users};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Inspector,
    Supervisor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Inspector, Role::Supervisor, Role::Admin];

    pub fn key(self) -> &'static str {
        match self {
            Role::Inspector => "inspector",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }

    pub fn from_key(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == key)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Role::Inspector => lang.pick("检查员", "inspector"),
            Role::Supervisor => lang.pick("科室负责人", "supervisor"),
            Role::Admin => lang.pick("管理员", "admin"),
        }
    }

    /// Roles are cumulative: a supervisor may do what an inspector may, an admin what a supervisor may.
    pub fn allows(self, needed: Role) -> bool {
        self >= needed
    }
}

/// Why a user may not do something.
#[derive(Debug, thiserror::Error)]
pub enum RoleError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("user {0} is not registered; an admin adds users with `ducha users add NAME --role ROLE`")]
    NotRegistered(String),
    #[error("{action} needs the {} role; {user} is {}", .needs.key(), .has.key())]
    NeedsRole { user: String, has: Role, needs: Role, action: String },
    #[error("{0} is the last admin: without an admin nobody can manage users; make another user admin first")]
    LastAdmin(String),
    #[error(
        "certificate number {0} may not hold spaces or control characters, and has at most 32 characters"
    )]
    BadCert(String),
}

impl RoleError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (RoleError::Store(e), Lang::Zh) => format!("读取用户失败：{e}"),
            (RoleError::NotRegistered(u), Lang::Zh) => {
                format!("用户 {u} 未登记；请管理员用 ducha users add 姓名 --role 角色 添加")
            }
            (RoleError::NeedsRole { user, has, needs, action }, Lang::Zh) => {
                format!("{action}需要{}角色；{user} 是{}", needs.label(Lang::Zh), has.label(Lang::Zh))
            }
            (RoleError::LastAdmin(u), Lang::Zh) => {
                format!("{u} 是最后一名管理员，降级后将无人能管理用户；请先把另一名用户设为管理员")
            }
            (RoleError::BadCert(c), Lang::Zh) => format!("执法证号 {c} 不能含空格或控制字符，最多 32 个字符"),
            (e, Lang::En) => e.to_string(),
        }
    }
}

/// Refuses unless `user` is registered with `needs` or a higher role; `action` names what was attempted.
pub fn require(store: &Store, user: &str, needs: Role, action: &str) -> Result<Role, RoleError> {
    check(user, users::role_of(store.conn(), user)?, needs, action)
}

/// [`require`] on a role already read (`None`: not registered), for a console that refuses an action before
/// anything is typed; the operation itself still calls [`require`].
pub fn check(user: &str, has: Option<Role>, needs: Role, action: &str) -> Result<Role, RoleError> {
    let has = has.ok_or_else(|| RoleError::NotRegistered(user.into()))?;
    if has.allows(needs) {
        Ok(has)
    } else {
        Err(RoleError::NeedsRole { user: user.into(), has, needs, action: action.into() })
    }
}

/// Adds a user or changes a user's role, as `actor` (who must be an admin). Refuses to take the admin role
/// from the last admin, whoever asks (the admin themselves or another one), since nobody could then manage
/// users. The count is read inside the write transaction, so two demotions at once cannot both pass.
pub fn set_role(
    store: &mut Store,
    actor: &str,
    name: &str,
    role: Role,
    action: &str,
) -> Result<bool, RoleError> {
    require(store, actor, Role::Admin, action)?;
    let name = name.trim();
    store.write(|tx| {
        let demoted = role != Role::Admin && users::role_of(tx, name)? == Some(Role::Admin);
        if demoted && users::admin_count(tx)? <= 1 {
            return Err(RoleError::LastAdmin(name.into()));
        }
        Ok(users::upsert(tx, actor, name, role)?)
    })
}

/// The longest certificate number accepted (执法证号 are 10 to 20 characters).
pub const CERT_MAX: usize = 32;

/// Sets a user's law-enforcement certificate number (执法证号, e.g. 苏民执字第0012号 or 32068220230017), as
/// `actor` (an admin): at most [`CERT_MAX`] characters, no spaces or control characters; empty removes it.
pub fn set_cert(
    store: &mut Store,
    actor: &str,
    name: &str,
    cert: &str,
    action: &str,
) -> Result<bool, RoleError> {
    require(store, actor, Role::Admin, action)?;
    let cert = cert.trim();
    if cert.chars().count() > CERT_MAX || cert.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(RoleError::BadCert(crate::shown::quote(cert)));
    }
    let name = name.trim();
    Ok(store.write(|tx| users::set_cert(tx, actor, name, cert))?)
}

#[cfg(test)]
mod tests {
    use super::Role;

    #[test]
    fn roles_are_cumulative() {
        assert!(Role::Admin.allows(Role::Supervisor));
        assert!(Role::Supervisor.allows(Role::Inspector));
        assert!(!Role::Inspector.allows(Role::Supervisor));
        assert!(!Role::Supervisor.allows(Role::Admin));
        for r in Role::ALL {
            assert_eq!(Role::from_key(r.key()), Some(r));
        }
    }
}
