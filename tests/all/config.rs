//! Settings that stick (issue 11): `rehearse config` shows where each setting
//! comes from (default, file, environment, flag), a bad settings file or
//! variable is one line and exit 2, and the commands use what the file sets.
//! The real binary, in a clean environment with its own config dir.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::common::{self, Rehearse, Run, fixture, model_path};
use rehearse::exit::{MODEL, USAGE};

/// Writes `config.toml` in the config dir [`Rehearse::new`] points at.
fn write_config(data: &Path, text: &str) -> PathBuf {
    let dir = data.join("config");
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.toml");
    fs::write(&path, text).unwrap();
    path
}

fn json_of(run: &Run) -> Value {
    run.assert_ok();
    serde_json::from_str(&run.stdout).unwrap_or_else(|err| panic!("{err}: {}", run.stdout))
}

/// Each setting's value and source, by name (serde_json sorts the keys; the
/// order is the unit tests' business).
fn values_and_sources(json: &Value) -> Vec<(String, Value, String)> {
    json["settings"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(key, shown)| {
            (
                key.clone(),
                shown["value"].clone(),
                shown["source"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// `rows` sorted by name, as [`values_and_sources`] gives them.
fn expected(rows: &[(&str, Value, &str)]) -> Vec<(String, Value, String)> {
    let mut rows: Vec<(String, Value, String)> = rows
        .iter()
        .map(|(key, value, source)| ((*key).to_string(), value.clone(), (*source).to_string()))
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    rows
}

#[test]
fn with_no_file_every_setting_is_its_default() {
    let dir = tempfile::tempdir().unwrap();
    let json = json_of(&Rehearse::new(dir.path()).run(["config", "--json"]));
    assert_eq!(
        json["file"],
        json!({
            "path": dir.path().join("config/config.toml"),
            "exists": false,
        })
    );
    assert_eq!(
        values_and_sources(&json),
        expected(&[
            ("max_seconds", json!(180.0), "default"),
            ("silence_seconds", json!(0.0), "default"),
            ("countdown", Value::Null, "default"),
            ("model", Value::Null, "default"),
            ("voice", Value::Null, "default"),
            ("questions", json!(4), "default"),
            ("follow_ups", json!(1), "default"),
            ("keep_raw", json!(false), "default"),
        ])
    );
}

/// One rule for every setting: flag > environment > file > default.
#[test]
fn a_flag_beats_the_environment_which_beats_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(
        dir.path(),
        r#"# every setting
max_seconds = 120
silence_seconds = 5
countdown = 9
model = "c.bin"
voice = "festival --tts"
questions = 5
follow_ups = 2
keep_raw = true
"#,
    );
    let rehearse = || {
        Rehearse::new(dir.path())
            .env("REHEARSE_COUNTDOWN", "2")
            .env("REHEARSE_MODEL", "b.bin")
            .env("REHEARSE_TTS", "espeak-ng -s 140")
            .env("REHEARSE_FOLLOW_UPS", "0")
            .env("REHEARSE_KEEP_RAW", "0")
            .env("REHEARSE_SILENCE_SECONDS", "")
    };
    let flags = ["--countdown", "3", "--voice", "say", "--keep-raw"];
    let json = json_of(&rehearse().run([&["config", "--json"][..], &flags].concat()));
    assert_eq!(json["file"], json!({ "path": path, "exists": true }));
    assert_eq!(
        values_and_sources(&json),
        expected(&[
            ("max_seconds", json!(120.0), "file"),
            // An empty variable is unset.
            ("silence_seconds", json!(5.0), "file"),
            ("countdown", json!(3), "flag"),
            ("model", json!("b.bin"), "environment"),
            ("voice", json!("say"), "flag"),
            ("questions", json!(5), "file"),
            ("follow_ups", json!(0), "environment"),
            ("keep_raw", json!(true), "flag"),
        ])
    );

    // The same as text: one line each, name, value, (source).
    let run = rehearse().run([&["config"][..], &flags].concat());
    run.assert_ok();
    let lines: Vec<Vec<&str>> = run
        .stdout
        .lines()
        .map(|line| line.split_whitespace().collect())
        .collect();
    assert_eq!(lines[0], ["file", path.to_str().unwrap(), "(exists)"]);
    assert!(
        lines.contains(&vec!["countdown", "3", "(flag)"]),
        "{}",
        run.stdout
    );
    assert!(lines.contains(&vec!["model", "\"b.bin\"", "(environment)"]));
    assert!(lines.contains(&vec!["questions", "5", "(file)"]));
    assert_eq!(lines.len(), 9, "{}", run.stdout);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn every_setting_can_be_given_as_a_flag_to_config() {
    let dir = tempfile::tempdir().unwrap();
    let json = json_of(&Rehearse::new(dir.path()).run([
        "config",
        "--json",
        "--max-seconds",
        "90",
        "--silence-seconds",
        "4",
        "--countdown",
        "0",
        "--model",
        "base.en",
        "--voice",
        "say",
        "--questions",
        "10",
        "--follow-ups",
        "2",
        "--keep-raw",
    ]));
    let sources: Vec<String> = values_and_sources(&json)
        .into_iter()
        .map(|(_, _, source)| source)
        .collect();
    assert_eq!(sources, vec!["flag"; 8]);
    assert_eq!(json["settings"]["countdown"]["value"], json!(0));
}

/// A bad settings file: one line on stderr that names the file (and the
/// key), ends with the fix, and exit code 2, whichever command reads it.
#[test]
fn a_bad_file_is_one_line_and_exit_2() {
    let cases = [
        (
            "countdown = \n",
            "is not valid TOML",
            "(line 1); fix that line, or move the file aside to use the defaults",
        ),
        (
            "countdwn = 3\n",
            "sets `countdwn`, which is not a setting (the settings are max_seconds, silence_seconds, countdown, model, voice, questions, follow_ups, keep_raw)",
            "rename it to `countdown`, or remove it",
        ),
        (
            "countdown = 61\n",
            "countdown = 61 in `",
            "a countdown is 0 to 60 whole seconds; give one in that range, e.g. countdown = 3",
        ),
        (
            "max_seconds = 0\n",
            "max_seconds = 0 in `",
            "e.g. max_seconds = 180",
        ),
        (
            "questions = 11\n",
            "questions = 11 in `",
            "e.g. questions = 4",
        ),
        (
            "follow_ups = 3\n",
            "follow_ups = 3 in `",
            "e.g. follow_ups = 1",
        ),
        (
            "keep_raw = \"sometimes\"\n",
            "keep_raw = \"sometimes\" in `",
            "e.g. keep_raw = true",
        ),
    ];
    let wav = fixture("jfk.wav");
    let wav = wav.to_str().unwrap();
    for (text, needle, fix) in cases {
        let dir = tempfile::tempdir().unwrap();
        let path = write_config(dir.path(), text);
        for args in [
            &["config"][..],
            &["config", "--json"],
            &["practice"],
            &["interview"],
            &["transcribe", wav],
            &["analyse", wav],
            &["model", "list"],
        ] {
            let run = Rehearse::new(dir.path()).run(args);
            run.assert_fails(USAGE.into(), needle);
            let line = run.stderr.trim_end();
            assert!(
                line.contains(&path.display().to_string()),
                "{args:?}: {line}"
            );
            assert!(
                line.ends_with(fix),
                "{args:?}: `{fix}` does not end: {line}"
            );
            assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
        }
    }
}

#[test]
fn an_unreadable_file_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    // A folder where the file should be: unreadable as a file, even by root.
    let path = dir.path().join("config/config.toml");
    fs::create_dir_all(&path).unwrap();
    let run = Rehearse::new(dir.path()).run(["config"]);
    run.assert_fails(USAGE.into(), &format!("cannot read `{}`", path.display()));
    assert!(
        run.stderr
            .trim_end()
            .ends_with("move it aside to use the defaults")
    );
}

#[test]
fn a_bad_variable_is_one_line_and_exit_2() {
    for (var, value, needle, fix) in [
        (
            "REHEARSE_MAX_SECONDS",
            "0",
            "REHEARSE_MAX_SECONDS=0: a take lasts 1 to 3600 seconds",
            "e.g. REHEARSE_MAX_SECONDS=180",
        ),
        (
            "REHEARSE_COUNTDOWN",
            "soon",
            "REHEARSE_COUNTDOWN=soon: a countdown is 0 to 60 whole seconds",
            "e.g. REHEARSE_COUNTDOWN=3",
        ),
        (
            "REHEARSE_KEEP_RAW",
            "maybe",
            "REHEARSE_KEEP_RAW=maybe: not on or off",
            "e.g. REHEARSE_KEEP_RAW=true",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        for args in [&["config"][..], &["practice"]] {
            let run = Rehearse::new(dir.path()).env(var, value).run(args);
            run.assert_fails(USAGE.into(), needle);
            assert!(run.stderr.trim_end().ends_with(fix), "{}", run.stderr);
        }
    }
}

/// `practice` and `interview` check the settings before anything else: a
/// bad value in the file stops them with exit 2 before they load a model or
/// open the microphone, and no take is made.
#[test]
fn live_takes_stop_on_a_bad_file_before_the_microphone() {
    for (text, needle) in [
        ("countdown = 61\n", "countdown = 61 in `"),
        ("questions = 11\n", "questions = 11 in `"),
    ] {
        for command in ["practice", "interview"] {
            let dir = tempfile::tempdir().unwrap();
            let path = write_config(dir.path(), text);
            let run = Rehearse::new(dir.path())
                .with_model()
                .run([command, "--max-seconds", "5"]);
            run.assert_fails(USAGE.into(), &format!("{needle}{}`", path.display()));
            assert!(
                !dir.path().join("sessions").exists(),
                "{command}: a take was started"
            );
        }
    }
}

/// The model the file names is the one `practice`, `interview`,
/// `transcribe`, `analyse` and `model list` look for; the environment still
/// beats the file.
#[test]
fn the_commands_use_the_model_the_file_names() {
    let dir = tempfile::tempdir().unwrap();
    let in_file = dir.path().join("from-the-file.bin");
    let in_env = dir.path().join("from-the-environment.bin");
    write_config(
        dir.path(),
        &format!("model = {}\n", toml_string(in_file.to_str().unwrap())),
    );
    let wav = fixture("jfk.wav");
    let wav = wav.to_str().unwrap();
    for args in [
        &["practice"][..],
        &["interview"],
        &["transcribe", wav],
        &["analyse", wav],
        &["analyse", wav, "--save"],
    ] {
        Rehearse::new(dir.path()).run(args).assert_fails(
            MODEL.into(),
            &format!("no model file at `{}`", in_file.display()),
        );
        Rehearse::new(dir.path())
            .env("REHEARSE_MODEL", &in_env)
            .run(args)
            .assert_fails(
                MODEL.into(),
                &format!("no model file at `{}`", in_env.display()),
            );
    }
    let sessions = dir.path().join("sessions");
    assert!(!sessions.exists() || common::names_in(&sessions).is_empty());

    // `model list` names the file as where the model in use was set.
    fs::write(&in_file, b"a stand-in: model list only looks for the file").unwrap();
    let run = Rehearse::new(dir.path()).run(["model", "list"]);
    run.assert_ok();
    let config = dir.path().join("config/config.toml");
    assert!(
        run.stdout.contains(&format!(
            "in use: {} (from `model` in `{}`)",
            in_file.display(),
            config.display()
        )),
        "{}",
        run.stdout
    );
}

/// `keep_raw` and `model` from the file reach `analyse --save`: the take
/// keeps the file as given beside its 16 kHz copy, transcribed with the
/// model the file names (no REHEARSE_MODEL is set).
#[test]
fn analyse_save_keeps_the_raw_take_when_the_file_says_so() {
    let _heavy = common::heavy();
    let dir = tempfile::tempdir().unwrap();
    write_config(
        dir.path(),
        &format!(
            "model = {}\nkeep_raw = true\n",
            toml_string(model_path().to_str().unwrap())
        ),
    );
    let wav = fixture("jfk.wav");
    Rehearse::new(dir.path())
        .run([Path::new("analyse"), &wav, Path::new("--save")])
        .assert_ok();
    let store = rehearse::store::Store::open(dir.path()).unwrap();
    let take = store.load("last").unwrap();
    assert_eq!(take.session.raw_audio_file.as_deref(), Some("raw.wav"));
    assert_eq!(
        fs::read(take.dir.join("raw.wav")).unwrap(),
        fs::read(&wav).unwrap()
    );
}

/// `text` as a TOML basic string.
fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}
