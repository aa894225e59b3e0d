//! Settings from flags, `DUCHA_*` environment variables and the config file, in that order of precedence.
//! `LANG` only supplies the default language when nothing else sets one.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::Located;
use crate::i18n::Lang;

/// What the config file (`~/.config/ducha/config.toml`) may set.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub db: Option<PathBuf>,
    pub checklists: Option<PathBuf>,
    pub lang: Option<Lang>,
    pub user: Option<String>,
}

/// The values given on the command line or in `DUCHA_*` variables (clap merges the two).
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub db: Option<PathBuf>,
    pub checklists: Option<PathBuf>,
    pub lang: Option<Lang>,
    pub user: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub db: PathBuf,
    pub checklists: Option<PathBuf>,
    pub lang: Lang,
    pub user: String,
    /// The config file read, if one exists.
    pub config_file: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0}")]
    Invalid(String),
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "ducha")
}

pub fn default_config_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

pub fn default_db_path() -> PathBuf {
    project_dirs().map_or_else(|| PathBuf::from("ducha.db"), |d| d.data_dir().join("ducha.db"))
}

fn os_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "inspector".into())
}

/// Reads a config file; a missing file is an empty config.
pub fn read_file(path: &Path, lang: Lang) -> Result<FileConfig, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileConfig::default()),
        Err(source) => {
            return Err(ConfigError::Io { path: path.display().to_string(), source });
        }
    };
    toml::from_str(&text).map_err(|e| {
        let path = path.display().to_string();
        let loc = Located {
            path: &path,
            source: &text,
            span: e.span().unwrap_or(0..0),
            message: e.message().trim().to_string(),
        };
        ConfigError::Invalid(loc.render(lang))
    })
}

pub fn resolve(o: &Overrides) -> Result<Settings, ConfigError> {
    let env_lang = Lang::from_locale(std::env::var("LANG").ok().as_deref());
    let config_path = o.config.clone().or_else(default_config_path);
    let file = match &config_path {
        Some(p) => read_file(p, o.lang.unwrap_or(env_lang))?,
        None => FileConfig::default(),
    };
    let user = o.user.clone().or(file.user).filter(|u| !u.trim().is_empty()).unwrap_or_else(os_user);
    Ok(Settings {
        db: o.db.clone().or(file.db).unwrap_or_else(default_db_path),
        checklists: o.checklists.clone().or(file.checklists),
        lang: o.lang.or(file.lang).unwrap_or(env_lang),
        user: user.trim().to_string(),
        config_file: config_path.filter(|p| p.exists()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_override_the_file_and_the_file_overrides_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("config.toml");
        std::fs::write(&cfg, "db = \"/tmp/from-file.db\"\nlang = \"en\"\nuser = \"王芳\"\n").unwrap();
        let s = resolve(&Overrides { config: Some(cfg.clone()), ..Default::default() }).unwrap();
        assert_eq!(s.db, PathBuf::from("/tmp/from-file.db"));
        assert_eq!(s.lang, Lang::En);
        assert_eq!(s.user, "王芳");
        let s = resolve(&Overrides {
            config: Some(cfg),
            db: Some("/tmp/flag.db".into()),
            lang: Some(Lang::Zh),
            user: Some("李强".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(s.db, PathBuf::from("/tmp/flag.db"));
        assert_eq!(s.lang, Lang::Zh);
        assert_eq!(s.user, "李强");
    }

    #[test]
    fn a_typo_in_the_config_file_is_an_error_with_its_place() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("config.toml");
        std::fs::write(&cfg, "lang = \"en\"\ndatabase = \"x.db\"\n").unwrap();
        let err = resolve(&Overrides { config: Some(cfg), ..Default::default() }).unwrap_err().to_string();
        assert!(err.contains("config.toml:2:1:"), "{err}");
        assert!(err.contains("database"), "{err}");
    }
}
