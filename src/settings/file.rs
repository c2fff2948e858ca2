//! `config.toml`: one `key = value` line per setting. A missing file is no
//! error (every setting then has its default); an unreadable one, bad TOML,
//! or a key that is not a setting is.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::SettingsError;
use super::spec::{ALL, Setting};

/// The settings file as read: where it is, whether it is there, and the
/// values it sets, not yet checked.
#[derive(Debug, Clone, Default)]
pub struct ConfigFile {
    pub path: PathBuf,
    pub exists: bool,
    values: BTreeMap<String, FileValue>,
}

/// A value as the file gives it.
#[derive(Debug, Clone)]
pub struct FileValue {
    /// The value as text, for the setting's check: `61`, `base.en`.
    pub raw: String,
    /// The line as the file has it, for messages: `countdown = 61`.
    pub line: String,
}

/// Where the file is and whether it exists, as `rehearse config` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileStatus {
    pub path: PathBuf,
    pub exists: bool,
}

impl ConfigFile {
    /// Reads the file at `path`; a missing file sets nothing.
    pub fn read(path: &Path) -> Result<Self, SettingsError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(path, &text),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Self {
                path: path.to_path_buf(),
                ..Self::default()
            }),
            Err(source) => Err(SettingsError::Read {
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    /// The file's `text`, as if read from `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Self, SettingsError> {
        let table: toml::Table = toml::from_str(text).map_err(|err| SettingsError::Syntax {
            path: path.to_path_buf(),
            detail: err.message().trim().to_string(),
            line: err
                .span()
                .map_or(1, |span| text[..span.start].matches('\n').count() + 1),
        })?;
        let mut values = BTreeMap::new();
        for (key, value) in table {
            let Some(setting) = ALL.iter().find(|setting| setting.key == key) else {
                return Err(unknown_key(path, &key));
            };
            let line = format!("{key} = {value}");
            let raw = match value {
                toml::Value::String(text) => text,
                toml::Value::Integer(number) => number.to_string(),
                toml::Value::Float(number) => number.to_string(),
                toml::Value::Boolean(on) => on.to_string(),
                toml::Value::Datetime(_) | toml::Value::Array(_) | toml::Value::Table(_) => {
                    return Err(SettingsError::FileValue {
                        path: path.to_path_buf(),
                        line,
                        why: "not a single value; give one".into(),
                        example: setting.in_file(setting.example),
                    });
                }
            };
            values.insert(key, FileValue { raw, line });
        }
        Ok(Self {
            path: path.to_path_buf(),
            exists: true,
            values,
        })
    }

    /// The value the file gives `setting`, if it sets it.
    pub fn get(&self, setting: &Setting) -> Option<&FileValue> {
        self.values.get(setting.key)
    }

    pub fn status(&self) -> FileStatus {
        FileStatus {
            path: self.path.clone(),
            exists: self.exists,
        }
    }
}

fn unknown_key(path: &Path, key: &str) -> SettingsError {
    let known: Vec<&str> = ALL.iter().map(|setting| setting.key).collect();
    let fix = match closest(key, &known) {
        Some(near) => format!("rename it to `{near}`, or remove it"),
        None => "fix its name, or remove it".to_string(),
    };
    SettingsError::UnknownKey {
        path: path.to_path_buf(),
        key: key.to_string(),
        known: known.join(", "),
        fix,
    }
}

/// The known key `given` was most likely meant to be: a few letters off
/// (`countdwn`, `max-seconds`), or the start of one (`silence`).
fn closest<'a>(given: &str, known: &[&'a str]) -> Option<&'a str> {
    let given = given.to_lowercase().replace('-', "_");
    let nearest = known
        .iter()
        .map(|key| (edit_distance(&given, key), *key))
        .min()?;
    if nearest.0 <= 2.max(given.chars().count() / 3) {
        return Some(nearest.1);
    }
    known
        .iter()
        .find(|key| given.len() >= 4 && (key.starts_with(&given) || given.starts_with(**key)))
        .copied()
}

/// Levenshtein distance: the fewest single-character edits from `a` to `b`.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != *cb))
                .min(above + 1)
                .min(row[j] + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ConfigFile, SettingsError> {
        ConfigFile::parse(Path::new("/home/u/.config/rehearse/config.toml"), text)
    }

    #[test]
    fn values_are_kept_as_text_for_their_check() {
        let file = parse(
            "# mine\nmax_seconds = 90\nsilence_seconds = 2.5\nmodel = \"base.en\"\nkeep_raw = true\n",
        )
        .unwrap();
        assert!(file.exists);
        let raw = |setting: &Setting| file.get(setting).map(|value| value.raw.clone());
        assert_eq!(raw(ALL[0]).as_deref(), Some("90"));
        assert_eq!(raw(ALL[1]).as_deref(), Some("2.5"));
        assert_eq!(raw(ALL[3]).as_deref(), Some("base.en"));
        assert_eq!(raw(ALL[7]).as_deref(), Some("true"));
        assert_eq!(raw(ALL[2]), None);
        assert_eq!(
            file.get(ALL[3]).unwrap().line,
            r#"model = "base.en""#,
            "messages quote the line as written"
        );
    }

    #[test]
    fn an_empty_file_sets_nothing() {
        let file = parse("\n# nothing yet\n").unwrap();
        assert!(file.exists);
        assert!(ALL.iter().all(|setting| file.get(setting).is_none()));
    }

    #[test]
    fn a_missing_file_is_not_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = ConfigFile::read(&dir.path().join("config.toml")).unwrap();
        assert!(!file.exists);
        assert!(ALL.iter().all(|setting| file.get(setting).is_none()));
    }

    #[test]
    fn an_unreadable_file_is_an_error_that_names_it() {
        let dir = tempfile::tempdir().unwrap();
        // A folder where the file should be: unreadable as a file, even by root.
        let path = dir.path().join("config.toml");
        std::fs::create_dir(&path).unwrap();
        let message = ConfigFile::read(&path).unwrap_err().to_string();
        assert!(
            message.starts_with(&format!("cannot read `{}`: ", path.display())),
            "{message}"
        );
        assert!(message.ends_with("move it aside to use the defaults"));
    }

    #[test]
    fn bad_toml_names_the_file_and_line() {
        let error = parse("countdown = 3\nmax_seconds = \n").unwrap_err();
        let message = error.to_string();
        assert!(
            matches!(error, SettingsError::Syntax { line: 2, .. }),
            "{message}"
        );
        assert!(
            message.starts_with("`/home/u/.config/rehearse/config.toml` is not valid TOML: "),
            "{message}"
        );
        assert!(!message.contains('\n'), "one line: {message}");
        assert!(
            message
                .ends_with("(line 2); fix that line, or move the file aside to use the defaults")
        );
    }

    #[test]
    fn an_unknown_key_suggests_the_closest() {
        let message = parse("countdwn = 3\n").unwrap_err().to_string();
        assert_eq!(
            message,
            "`/home/u/.config/rehearse/config.toml` sets `countdwn`, which is not a setting (the settings are \
             max_seconds, silence_seconds, countdown, model, voice, questions, follow_ups, keep_raw); \
             rename it to `countdown`, or remove it"
        );
        for (typo, meant) in [
            ("max-seconds", "max_seconds"),
            ("silence", "silence_seconds"),
            ("followups", "follow_ups"),
            ("Voice", "voice"),
            ("keep_raw_audio", "keep_raw"),
        ] {
            let message = parse(&format!("{typo} = 1\n")).unwrap_err().to_string();
            assert!(
                message.ends_with(&format!("rename it to `{meant}`, or remove it")),
                "{typo}: {message}"
            );
        }
        let message = parse("theme = \"dark\"\n").unwrap_err().to_string();
        assert!(message.ends_with("fix its name, or remove it"), "{message}");
    }

    #[test]
    fn a_list_or_table_is_not_a_value() {
        for text in ["countdown = [3]\n", "[countdown]\nseconds = 3\n"] {
            let message = parse(text).unwrap_err().to_string();
            assert!(message.starts_with("countdown = "), "{message}");
            assert!(
                message.ends_with("not a single value; give one, e.g. countdown = 3"),
                "{message}"
            );
        }
    }
}
