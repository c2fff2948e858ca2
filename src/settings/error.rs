//! What can be wrong with the settings. Each message names the file and key
//! (or the variable) and ends with the fix; every one is a usage error
//! (exit code 2).

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error(
        "cannot read `{}`: {source}; check that it is a file you can read, or move it aside to use the defaults",
        path.display()
    )]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "`{}` is not valid TOML: {detail} (line {line}); fix that line, or move the file aside to use the defaults",
        path.display()
    )]
    Syntax {
        path: PathBuf,
        detail: String,
        line: usize,
    },
    #[error(
        "`{}` sets `{key}`, which is not a setting (the settings are {known}); {fix}",
        path.display()
    )]
    UnknownKey {
        path: PathBuf,
        key: String,
        known: String,
        /// Rename it to the closest setting, or remove it.
        fix: String,
    },
    /// `line` is the key and value as the file has them: `countdown = 61`.
    #[error("{line} in `{}`: {why}, e.g. {example}", path.display())]
    FileValue {
        path: PathBuf,
        line: String,
        why: String,
        example: String,
    },
    #[error("{var}={given}: {why}, e.g. {example}")]
    EnvValue {
        var: &'static str,
        given: String,
        why: String,
        example: String,
    },
}
