//! Where rehearse keeps things: a data dir (models, downloads, sessions) and
//! a config dir (the settings file, the user's own prompts). XDG locations by default, each
//! overridable by an environment variable, the data dir also by `--data-dir`.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    pub data_dir: PathBuf,
    pub config_dir: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum PathsError {
    #[error(
        "cannot tell where your home directory is; set REHEARSE_DATA_DIR and REHEARSE_CONFIG_DIR, or pass `--data-dir`"
    )]
    NoHome,
}

impl Paths {
    /// `--data-dir`, else `REHEARSE_DATA_DIR`, else the platform's data dir
    /// (`~/.local/share/rehearse` on Linux); `REHEARSE_CONFIG_DIR`, else the
    /// platform's config dir (`~/.config/rehearse`).
    pub fn resolve(data_dir_flag: Option<&Path>) -> Result<Self, PathsError> {
        let from_env = |name: &str| {
            std::env::var_os(name)
                .filter(|value| !value.is_empty())
                .map(PathBuf::from)
        };
        let project = || directories::ProjectDirs::from("", "", "rehearse");
        let data_dir = match data_dir_flag
            .map(Path::to_path_buf)
            .or_else(|| from_env("REHEARSE_DATA_DIR"))
        {
            Some(dir) => dir,
            None => project()
                .ok_or(PathsError::NoHome)?
                .data_dir()
                .to_path_buf(),
        };
        let config_dir = match from_env("REHEARSE_CONFIG_DIR") {
            Some(dir) => dir,
            None => project()
                .ok_or(PathsError::NoHome)?
                .config_dir()
                .to_path_buf(),
        };
        Ok(Self {
            data_dir,
            config_dir,
        })
    }

    pub fn models_dir(&self) -> PathBuf {
        self.data_dir.join("models")
    }

    /// Verified downloads kept so that a second fetch or a re-conversion
    /// needs no network.
    pub fn downloads_dir(&self) -> PathBuf {
        self.data_dir.join("downloads")
    }

    pub fn sessions_dir(&self) -> PathBuf {
        self.data_dir.join("sessions")
    }

    pub fn user_prompts_dir(&self) -> PathBuf {
        self.config_dir.join("prompts")
    }

    /// The settings file (see `crate::settings`).
    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join("config.toml")
    }
}
