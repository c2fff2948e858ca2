//! Precedence over every source, and every check reached through the file
//! and the environment. The environment is passed in, never set: setting
//! variables in-process is `unsafe` in edition 2024.

use std::collections::HashMap;
use std::path::Path;

use super::*;

const PATH: &str = "/home/u/.config/rehearse/config.toml";

fn file(text: &str) -> ConfigFile {
    ConfigFile::parse(Path::new(PATH), text).unwrap_or_else(|err| panic!("{err}"))
}

fn no_file() -> ConfigFile {
    ConfigFile::read(Path::new("/nonexistent/rehearse/config.toml")).unwrap()
}

fn resolve(
    flags: &Flags,
    env: &[(&str, &str)],
    file: &ConfigFile,
) -> Result<Settings, SettingsError> {
    let env: HashMap<String, String> = env
        .iter()
        .map(|(name, value)| ((*name).to_string(), (*value).to_string()))
        .collect();
    Settings::resolve(flags, &|name| env.get(name).cloned(), file)
}

/// A value for every setting from the file, another from the environment,
/// and a third as a flag: each differs from the one below it.
const FILE: &str = r#"
max_seconds = 120
silence_seconds = 5
countdown = 3
model = "c.bin"
voice = "festival --tts"
questions = 5
follow_ups = 2
keep_raw = true
"#;

const ENV: [(&str, &str); 8] = [
    ("REHEARSE_MAX_SECONDS", "90"),
    ("REHEARSE_SILENCE_SECONDS", "4"),
    ("REHEARSE_COUNTDOWN", "2"),
    ("REHEARSE_MODEL", "b.bin"),
    ("REHEARSE_TTS", "espeak-ng -s 140"),
    ("REHEARSE_QUESTIONS", "3"),
    ("REHEARSE_FOLLOW_UPS", "0"),
    ("REHEARSE_KEEP_RAW", "no"),
];

fn all_flags() -> Flags {
    Flags {
        max_seconds: Some(60.0),
        silence_seconds: Some(3.0),
        countdown: Some(1),
        model: Some("a.bin".into()),
        voice: Some("say".into()),
        questions: Some(2),
        follow_ups: Some(1),
        keep_raw: Some(true),
    }
}

fn sources(settings: &Settings) -> Vec<Source> {
    settings
        .entries()
        .iter()
        .map(|entry| entry.source)
        .collect()
}

#[test]
fn nothing_set_anywhere_gives_the_defaults() {
    let settings = resolve(&Flags::default(), &[], &no_file()).unwrap();
    assert_eq!(sources(&settings), vec![Source::Default; 8]);
    assert_eq!(settings.max_seconds.value, 180.0);
    assert_eq!(settings.silence_seconds.value, 0.0);
    assert_eq!(settings.countdown.value, None);
    assert_eq!(settings.model.value, None);
    assert_eq!(settings.voice.value, None);
    assert_eq!(settings.questions.value, 4);
    assert_eq!(settings.follow_ups.value, 1);
    assert!(!settings.keep_raw.value);
    assert!(!settings.file.exists);
}

#[test]
fn the_file_overrides_the_defaults() {
    let settings = resolve(&Flags::default(), &[], &file(FILE)).unwrap();
    assert_eq!(sources(&settings), vec![Source::File; 8]);
    assert_eq!(settings.max_seconds.value, 120.0);
    assert_eq!(settings.silence_seconds.value, 5.0);
    assert_eq!(settings.countdown.value, Some(3));
    assert_eq!(settings.model.value.as_deref(), Some("c.bin"));
    assert_eq!(settings.voice.value.as_deref(), Some("festival --tts"));
    assert_eq!(settings.questions.value, 5);
    assert_eq!(settings.follow_ups.value, 2);
    assert!(settings.keep_raw.value);
    assert!(settings.file.exists);
}

#[test]
fn the_environment_overrides_the_file() {
    let settings = resolve(&Flags::default(), &ENV, &file(FILE)).unwrap();
    assert_eq!(sources(&settings), vec![Source::Environment; 8]);
    assert_eq!(settings.max_seconds.value, 90.0);
    assert_eq!(settings.silence_seconds.value, 4.0);
    assert_eq!(settings.countdown.value, Some(2));
    assert_eq!(settings.model.value.as_deref(), Some("b.bin"));
    assert_eq!(settings.voice.value.as_deref(), Some("espeak-ng -s 140"));
    assert_eq!(settings.questions.value, 3);
    assert_eq!(settings.follow_ups.value, 0);
    assert!(!settings.keep_raw.value);
}

#[test]
fn a_flag_overrides_the_environment() {
    let settings = resolve(&all_flags(), &ENV, &file(FILE)).unwrap();
    assert_eq!(sources(&settings), vec![Source::Flag; 8]);
    assert_eq!(settings.max_seconds.value, 60.0);
    assert_eq!(settings.silence_seconds.value, 3.0);
    assert_eq!(settings.countdown.value, Some(1));
    assert_eq!(settings.model.value.as_deref(), Some("a.bin"));
    assert_eq!(settings.voice.value.as_deref(), Some("say"));
    assert_eq!(settings.questions.value, 2);
    assert_eq!(settings.follow_ups.value, 1);
    assert!(settings.keep_raw.value);
}

#[test]
fn each_setting_takes_its_own_source() {
    let flags = Flags {
        max_seconds: Some(60.0),
        ..Flags::default()
    };
    let settings = resolve(
        &flags,
        &[("REHEARSE_COUNTDOWN", "2"), ("REHEARSE_QUESTIONS", "6")],
        &file("countdown = 9\nmodel = \"base.en\"\nmax_seconds = 100\n"),
    )
    .unwrap();
    let shown: Vec<(&str, Option<String>, Source)> = settings
        .entries()
        .into_iter()
        .map(|entry| (entry.key, entry.value, entry.source))
        .collect();
    assert_eq!(
        shown,
        vec![
            ("max_seconds", Some("60".into()), Source::Flag),
            ("silence_seconds", Some("0".into()), Source::Default),
            ("countdown", Some("2".into()), Source::Environment),
            ("model", Some(r#""base.en""#.into()), Source::File),
            ("voice", None, Source::Default),
            ("questions", Some("6".into()), Source::Environment),
            ("follow_ups", Some("1".into()), Source::Default),
            ("keep_raw", Some("false".into()), Source::Default),
        ]
    );
}

#[test]
fn a_blank_variable_is_unset() {
    let settings = resolve(
        &Flags::default(),
        &[
            ("REHEARSE_TTS", "  "),
            ("REHEARSE_MODEL", ""),
            ("REHEARSE_KEEP_RAW", ""),
        ],
        &file("voice = \"say\"\n"),
    )
    .unwrap();
    assert_eq!(settings.voice.source, Source::File);
    assert_eq!(settings.model.source, Source::Default);
    assert_eq!(settings.keep_raw.source, Source::Default);
}

#[test]
fn every_check_is_reached_through_the_file() {
    let cases = [
        (
            "max_seconds = 0",
            "a take lasts 1 to 3600 seconds",
            "max_seconds = 180",
        ),
        (
            "max_seconds = \"ninety\"",
            "not a number of seconds",
            "max_seconds = 180",
        ),
        (
            "max_seconds = nan",
            "not a number of seconds",
            "max_seconds = 180",
        ),
        (
            "silence_seconds = -1",
            "the silence limit is 0 (off) to 3600 seconds",
            "silence_seconds = 5",
        ),
        (
            "countdown = 61",
            "a countdown is 0 to 60 whole seconds",
            "countdown = 3",
        ),
        (
            "countdown = 2.5",
            "a countdown is 0 to 60 whole seconds",
            "countdown = 3",
        ),
        (
            "model = \" \"",
            "the model is empty",
            r#"model = "base.en""#,
        ),
        (
            "voice = \"\"",
            "the voice is empty",
            r#"voice = "espeak-ng -s 140""#,
        ),
        (
            "questions = 11",
            "a mock interview asks 1 to 10 questions",
            "questions = 4",
        ),
        (
            "questions = 0",
            "a mock interview asks 1 to 10 questions",
            "questions = 4",
        ),
        (
            "follow_ups = 3",
            "each answer gets 0 to 2 follow-up questions",
            "follow_ups = 1",
        ),
        ("keep_raw = \"maybe\"", "not on or off", "keep_raw = true"),
    ];
    for (line, why, example) in cases {
        let error = resolve(&Flags::default(), &[], &file(line)).unwrap_err();
        let message = error.to_string();
        assert!(
            matches!(error, SettingsError::FileValue { .. }),
            "{line}: {message}"
        );
        assert!(
            message.starts_with(&format!("{line} in `{PATH}`: {why}")),
            "{line}: {message}"
        );
        assert!(
            message.ends_with(&format!(", e.g. {example}")),
            "{line}: {message}"
        );
    }
}

#[test]
fn a_number_may_be_written_as_text_in_the_file() {
    let settings = resolve(&Flags::default(), &[], &file("countdown = \"3\"\n")).unwrap();
    assert_eq!(settings.countdown.value, Some(3));
}

#[test]
fn every_check_is_reached_through_the_environment() {
    let cases = [
        ("REHEARSE_MAX_SECONDS", "4000", "REHEARSE_MAX_SECONDS=180"),
        (
            "REHEARSE_SILENCE_SECONDS",
            "soon",
            "REHEARSE_SILENCE_SECONDS=5",
        ),
        ("REHEARSE_COUNTDOWN", "61", "REHEARSE_COUNTDOWN=3"),
        ("REHEARSE_QUESTIONS", "11", "REHEARSE_QUESTIONS=4"),
        ("REHEARSE_FOLLOW_UPS", "3", "REHEARSE_FOLLOW_UPS=1"),
        ("REHEARSE_KEEP_RAW", "maybe", "REHEARSE_KEEP_RAW=true"),
    ];
    for (var, value, example) in cases {
        let message = resolve(&Flags::default(), &[(var, value)], &no_file())
            .unwrap_err()
            .to_string();
        assert!(
            message.starts_with(&format!("{var}={value}: ")),
            "{message}"
        );
        assert!(message.ends_with(&format!(", e.g. {example}")), "{message}");
    }
}

#[test]
fn a_bad_value_is_refused_even_where_a_flag_overrides_it() {
    let flags = Flags {
        countdown: Some(3),
        ..Flags::default()
    };
    let error = resolve(&flags, &[], &file("countdown = 61\n")).unwrap_err();
    assert!(matches!(error, SettingsError::FileValue { .. }), "{error}");
    let error = resolve(&flags, &[("REHEARSE_COUNTDOWN", "x")], &no_file()).unwrap_err();
    assert!(matches!(error, SettingsError::EnvValue { .. }), "{error}");
}

#[test]
fn where_a_value_was_set_is_named_for_messages() {
    let settings = resolve(&Flags::default(), &[], &file("voice = \"say -v Alex\"\n")).unwrap();
    let voice = settings.voice().unwrap();
    assert_eq!(voice.command, "say -v Alex");
    assert_eq!(voice.set_by, format!("`voice` in `{PATH}`"));
    let settings = resolve(&Flags::default(), &[("REHEARSE_TTS", "espeak")], &no_file()).unwrap();
    assert_eq!(settings.voice().unwrap().set_by, "REHEARSE_TTS");
    let flags = Flags {
        voice: Some("say".into()),
        ..Flags::default()
    };
    let settings = resolve(&flags, &[], &no_file()).unwrap();
    assert_eq!(settings.voice().unwrap().set_by, "--voice");
    assert!(
        resolve(&Flags::default(), &[], &no_file())
            .unwrap()
            .voice()
            .is_none()
    );
}

#[test]
fn the_json_lists_every_setting_in_order_with_its_source() {
    let settings = resolve(&all_flags(), &[], &no_file()).unwrap();
    let json = serde_json::to_string(&settings).unwrap();
    let keys: Vec<usize> = ALL
        .iter()
        .map(|setting| json.find(&format!("\"{}\":", setting.key)).unwrap())
        .collect();
    assert!(keys.is_sorted(), "{json}");
    assert!(
        json.starts_with(r#"{"max_seconds":{"value":60.0,"source":"flag"}"#),
        "{json}"
    );
}
