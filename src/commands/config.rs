//! `rehearse config`: the settings in effect, each with where it came from,
//! and the settings file's path. Setting flags preview a value.

use std::fmt::Write as _;

use anyhow::Result;

use super::emit;
use crate::cli::ConfigArgs;
use crate::paths::Paths;
use crate::settings::{FileStatus, Settings};

pub fn run(args: &ConfigArgs, paths: &Paths) -> Result<()> {
    let settings = Settings::load(paths, &args.flags())?;
    if args.json {
        let shown = Shown {
            file: &settings.file,
            settings: &settings,
        };
        return emit(format_args!("{}\n", serde_json::to_string_pretty(&shown)?));
    }
    emit(render(&settings))
}

/// `--json`: `{"file": {"path", "exists"}, "settings": {KEY: {"value",
/// "source"}}}`, the settings in the order of the text.
#[derive(serde::Serialize)]
struct Shown<'a> {
    file: &'a FileStatus,
    settings: &'a Settings,
}

/// One line for the file, then one per setting: its key, its value as the
/// file would write it (`none` when unset) and its source in brackets.
fn render(settings: &Settings) -> String {
    let entries = settings.entries();
    let values: Vec<String> = entries
        .iter()
        .map(|entry| entry.value.clone().unwrap_or_else(|| "none".into()))
        .collect();
    let key_width = entries.iter().map(|e| e.key.len()).max().unwrap_or(0);
    let value_width = values.iter().map(|v| v.chars().count()).max().unwrap_or(0);
    let mut text = format!(
        "{:<key_width$}  {} ({})\n",
        "file",
        settings.file.path.display(),
        if settings.file.exists {
            "exists"
        } else {
            "not found"
        }
    );
    for (entry, value) in entries.iter().zip(&values) {
        let _ = writeln!(
            text,
            "{:<key_width$}  {value:<value_width$}  ({})",
            entry.key,
            entry.source.name()
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::settings::{ConfigFile, Flags};

    #[test]
    fn one_line_per_setting_with_its_source() {
        let file = ConfigFile::parse(
            Path::new("/home/u/.config/rehearse/config.toml"),
            "voice = \"espeak-ng -s 140\"\n",
        )
        .unwrap();
        let flags = Flags {
            countdown: Some(3),
            ..Flags::default()
        };
        let env = |name: &str| (name == "REHEARSE_QUESTIONS").then(|| "6".to_string());
        let settings = Settings::resolve(&flags, &env, &file).unwrap();
        assert_eq!(
            render(&settings),
            "\
file             /home/u/.config/rehearse/config.toml (exists)
max_seconds      180                 (default)
silence_seconds  0                   (default)
countdown        3                   (flag)
model            none                (default)
voice            \"espeak-ng -s 140\"  (file)
questions        6                   (environment)
follow_ups       1                   (default)
keep_raw         false               (default)
"
        );
    }
}
