//! Users' roles and what each may do. Inspectors record inspections; supervisors also verify, reject and
//! extend rectifications; admins also manage users, checklists and the site registry.

use crate::i18n::Lang;

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
