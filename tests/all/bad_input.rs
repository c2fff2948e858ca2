//! Bad input gets one clear line on stderr, a documented exit code, and no
//! panic: wrong file types, empty or cut-off files, and damaged models; the
//! catalogue of issue 12 (usage mistakes, a closed stdout, stub sessions);
//! and `devices` without the sound libraries' noise.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::{self, Rehearse, fixture, model_path};
use crate::fake_mic;
use rehearse::exit::{BAD_INPUT, MODEL, USAGE};
use rehearse::store::{Source, Store};

fn transcribe(dir: &Path, file: &Path) -> common::Run {
    Rehearse::new(dir)
        .with_model()
        .run([Path::new("transcribe"), file])
}

fn write_wav(path: &Path, spec: hound::WavSpec, frames: usize) {
    let mut writer = hound::WavWriter::create(path, spec).unwrap();
    for i in 0..frames * usize::from(spec.channels) {
        writer.write_sample((i % 100) as i16).unwrap();
    }
    writer.finalize().unwrap();
}

fn mono_16k() -> hound::WavSpec {
    hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    }
}

#[test]
fn a_text_file_is_not_a_wav() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("answer.wav");
    fs::write(&file, "this is a transcript, not audio\n").unwrap();
    transcribe(dir.path(), &file).assert_fails(BAD_INPUT.into(), "is not a WAV file");
}

#[test]
fn an_mp3_renamed_to_wav_is_not_a_wav() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("answer.wav");
    fs::write(&file, b"ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x64").unwrap();
    transcribe(dir.path(), &file).assert_fails(BAD_INPUT.into(), "is not a WAV file");
}

#[test]
fn a_zero_length_file_is_empty() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("empty.wav");
    fs::write(&file, b"").unwrap();
    transcribe(dir.path(), &file).assert_fails(BAD_INPUT.into(), "is empty");
}

#[test]
fn a_header_cut_short_is_reported_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cut.wav");
    let bytes = fs::read(fixture("jfk.wav")).unwrap();
    for cut in [12, 20, 30, 40] {
        fs::write(&file, &bytes[..cut]).unwrap();
        transcribe(dir.path(), &file).assert_fails(BAD_INPUT.into(), "header");
    }
}

#[test]
fn a_wav_with_no_samples_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("silent.wav");
    write_wav(&file, mono_16k(), 0);
    transcribe(dir.path(), &file).assert_fails(BAD_INPUT.into(), "holds no audio samples");
}

#[test]
fn an_a_law_wav_is_an_unsupported_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("alaw.wav");
    // A well-formed 8 kHz A-law (format tag 6) header followed by 800 bytes.
    let mut bytes = Vec::new();
    bytes.extend_from_slice(b"RIFF");
    bytes.extend_from_slice(&(36u32 + 800).to_le_bytes());
    bytes.extend_from_slice(b"WAVEfmt ");
    bytes.extend_from_slice(&16u32.to_le_bytes());
    bytes.extend_from_slice(&6u16.to_le_bytes()); // A-law
    bytes.extend_from_slice(&1u16.to_le_bytes());
    bytes.extend_from_slice(&8_000u32.to_le_bytes());
    bytes.extend_from_slice(&8_000u32.to_le_bytes());
    bytes.extend_from_slice(&1u16.to_le_bytes());
    bytes.extend_from_slice(&8u16.to_le_bytes());
    bytes.extend_from_slice(b"data");
    bytes.extend_from_slice(&800u32.to_le_bytes());
    bytes.extend(std::iter::repeat_n(0xd5u8, 800));
    fs::write(&file, bytes).unwrap();
    transcribe(dir.path(), &file).assert_fails(BAD_INPUT.into(), "unsupported encoding");
}

#[test]
fn a_sample_rate_outside_8_to_48_khz_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hires.wav");
    write_wav(
        &file,
        hound::WavSpec {
            sample_rate: 96_000,
            ..mono_16k()
        },
        9_600,
    );
    transcribe(dir.path(), &file).assert_fails(BAD_INPUT.into(), "96000 Hz");
}

#[test]
fn a_missing_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    transcribe(dir.path(), &dir.path().join("nope.wav"))
        .assert_fails(BAD_INPUT.into(), "cannot read");
}

#[test]
fn no_model_says_how_to_get_one() {
    let dir = tempfile::tempdir().unwrap();
    Rehearse::new(dir.path())
        .run([Path::new("transcribe"), &fixture("jfk.wav")])
        .assert_fails(MODEL.into(), "run `rehearse model fetch`");
}

/// `analyse FILE --save` with no model fails before it makes a take: no
/// failed session is left to become `last`.
#[test]
fn no_model_for_analyse_save_leaves_no_take() {
    let dir = tempfile::tempdir().unwrap();
    Rehearse::new(dir.path())
        .run([
            Path::new("analyse"),
            &fixture("jfk.wav"),
            Path::new("--save"),
        ])
        .assert_fails(MODEL.into(), "run `rehearse model fetch`");
    let sessions = dir.path().join("sessions");
    let left: Vec<_> = fs::read_dir(&sessions)
        .map(|entries| entries.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_truncated_model_is_rejected_before_whisper_sees_it() {
    let dir = tempfile::tempdir().unwrap();
    let model = fs::read(model_path()).unwrap();
    let damaged = dir.path().join("ggml-cut.bin");
    // Cut in the hparams, in the vocabulary, mid-tensor, and one byte short.
    for cut in [20, 70_000, model.len() / 2, model.len() - 1] {
        fs::write(&damaged, &model[..cut]).unwrap();
        let run = Rehearse::new(dir.path())
            .env("REHEARSE_MODEL", &damaged)
            .run([Path::new("transcribe"), &fixture("jfk.wav")]);
        run.assert_fails(MODEL.into(), "truncated");
    }
}

#[test]
fn a_file_that_is_not_a_model_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let damaged = dir.path().join("ggml-fake.bin");
    fs::write(&damaged, vec![0x42u8; 4096]).unwrap();
    Rehearse::new(dir.path())
        .run([
            Path::new("transcribe"),
            &fixture("jfk.wav"),
            Path::new("--model"),
            &damaged,
        ])
        .assert_fails(MODEL.into(), "not a whisper.cpp ggml model");
}

#[test]
fn a_model_with_garbage_appended_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let mut model = fs::read(model_path()).unwrap();
    model.extend_from_slice(b"garbage");
    let damaged = dir.path().join("ggml-long.bin");
    fs::write(&damaged, model).unwrap();
    Rehearse::new(dir.path())
        .env("REHEARSE_MODEL", &damaged)
        .run([Path::new("transcribe"), &fixture("jfk.wav")])
        .assert_fails(MODEL.into(), "trailing");
}

/// Exit `code` and one stderr line that contains `needle` and ends with `fix`.
fn assert_one_line(run: &common::Run, code: u8, needle: &str, fix: &str) {
    run.assert_fails(code.into(), needle);
    let line = run.stderr.trim_end();
    assert!(line.ends_with(fix), "`{fix}` does not end: {line}");
}

/// No session folder was left behind (a stub would become `last`).
fn assert_no_sessions(data: &Path) {
    let sessions = data.join("sessions");
    let left: Vec<_> = fs::read_dir(&sessions)
        .map(|dir| dir.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "stub sessions left behind: {left:?}");
}

/// Issue 12's catalogue: each case, its exit code, and the end of its line.
#[test]
fn issue_12_catalogue_of_usage_mistakes() {
    let dir = tempfile::tempdir().unwrap();
    let transcript = dir.path().join("t.json");
    fs::write(&transcript, "{}").unwrap();
    let transcript = transcript.to_str().unwrap();
    let models: Vec<String> = rehearse::model::manifest::entries()
        .iter()
        .map(|entry| entry.name.clone())
        .collect();
    let known_models = format!("not a known model; choose one of {}", models.join(", "));
    let cases: &[(&[&str], u8, &str, &str)] = &[
        (
            &["analyse"],
            USAGE,
            "<FILE|--transcript <FILE>|--session <ID>>",
            "see `rehearse analyse --help`",
        ),
        (
            &["analyse", "--transcript", transcript, "--save"],
            USAGE,
            "a transcript has no audio to keep",
            "run `rehearse analyse FILE.wav --save`",
        ),
        (
            &["analyse", "--session", "last", "--save"],
            USAGE,
            "already kept",
            "drop --save",
        ),
        (
            &["model", "fetch", "huge.en"],
            USAGE,
            "not a known model",
            &known_models,
        ),
        (
            &["practice", "--max-seconds", "0"],
            USAGE,
            "a take lasts 1 to 3600 seconds",
            "e.g. --max-seconds 180",
        ),
        (
            &["practice", "--max-seconds", "-5"],
            USAGE,
            "'-5' for '--max-seconds",
            "e.g. --max-seconds 180",
        ),
        (
            &["practice", "--max-seconds", "NaN"],
            USAGE,
            "not a number of seconds",
            "give one, e.g. --max-seconds 180",
        ),
        (
            &["practice", "--silence-seconds", "-1"],
            USAGE,
            "0 (off) to 3600 seconds",
            "e.g. --silence-seconds 5",
        ),
        (
            &["practice", "--countdown", "1000"],
            USAGE,
            "a countdown is 0 to 60 whole seconds",
            "give one in that range, e.g. --countdown 3",
        ),
        (
            &["sessions", "--jsn"],
            USAGE,
            "a similar argument exists: '--json'",
            "see `rehearse sessions --help`",
        ),
    ];
    for (args, code, needle, fix) in cases {
        let run = Rehearse::new(dir.path()).with_model().run(*args);
        assert_one_line(&run, *code, needle, fix);
        assert_no_sessions(dir.path());
    }
}

/// Issue 12: a WAV cut to 2000 bytes exited 0 with an empty report and advice
/// to run `analyse --session trunc.wav`.
#[test]
fn a_wav_cut_to_2000_bytes_holds_too_little_audio() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("trunc.wav");
    fs::write(&file, &fs::read(fixture("jfk.wav")).unwrap()[..2000]).unwrap();
    for save in [false, true] {
        let mut args = vec![Path::new("analyse"), &file];
        if save {
            args.push(Path::new("--save"));
        }
        let run = Rehearse::new(dir.path()).with_model().run(args);
        assert_one_line(
            &run,
            BAD_INPUT,
            "the file is cut off",
            "export the file again, or record the answer again with `rehearse practice`",
        );
        assert!(run.stdout.is_empty(), "{run:#?}");
        assert!(!run.stderr.contains("--session"), "{run:#?}");
        assert_no_sessions(dir.path());
    }
}

/// A silent recording exited 0 with every content check ticked and a hint to
/// run `analyse --session` on a file that is no session (found from
/// outside). Unsaved, it is bad input; saved, the take is kept and shows
/// that nothing was heard and that no check passed.
#[test]
fn a_silent_wav_is_no_answer() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("silent.wav");
    let mut writer = hound::WavWriter::create(&file, mono_16k()).unwrap();
    for _ in 0..3 * 16_000 {
        writer.write_sample(0i16).unwrap();
    }
    writer.finalize().unwrap();

    let run = Rehearse::new(dir.path())
        .with_model()
        .run([Path::new("analyse"), &file]);
    assert_one_line(
        &run,
        BAD_INPUT,
        "no speech found in",
        "or record the answer again with `rehearse practice`",
    );
    assert!(run.stdout.is_empty(), "{run:#?}");
    assert_no_sessions(dir.path());

    let run = Rehearse::new(dir.path()).with_model().run([
        Path::new("analyse"),
        &file,
        Path::new("--save"),
    ]);
    run.assert_ok();
    assert!(
        run.stdout.contains("(no speech found in the recording)"),
        "{run:#?}"
    );
    let checks = run
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("Checks"))
        .expect("a checks line");
    assert!(
        !checks.contains('✓'),
        "a silent take passed a check: {checks}"
    );
    assert!(!run.stdout.contains("--session"), "{run:#?}");
    assert_eq!(common::names_in(&dir.path().join("sessions")).len(), 1);
}

/// Issue 12: `compare last last` compared a take with itself.
#[test]
fn compare_refuses_the_same_take_twice() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let source = || Source::File {
        original_name: "a.wav".into(),
    };
    store
        .create_session_at(None, source(), 1_700_000_000)
        .unwrap();
    let last = store
        .create_session_at(None, source(), 1_700_000_100)
        .unwrap();
    let prefix = &last.id[..last.id.len() - 2];
    for (a, b) in [
        ("last", "last"),
        (last.id.as_str(), "last"),
        (prefix, &last.id),
    ] {
        let run = Rehearse::new(dir.path()).run(["compare", a, b]);
        assert_one_line(
            &run,
            USAGE,
            "are the same take",
            "with an ID from `rehearse sessions`",
        );
    }
}

/// Issue 12: `rehearse sessions | head -1` panicked on the closed pipe. Every
/// command that prints stops quietly, with exit 0, when stdout's reader has
/// gone (here before the first byte is written).
#[test]
fn a_closed_stdout_ends_every_printing_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    for at in [1_700_000_000, 1_700_000_100] {
        store
            .create_session_at(
                None,
                Source::File {
                    original_name: "a.wav".into(),
                },
                at,
            )
            .unwrap();
    }
    let commands: &[&[&str]] = &[
        &["sessions"],
        &["sessions", "--json"],
        &["prompts"],
        &["model", "list"],
        &["progress"],
        &["stories"],
        &["devices"],
        &["--help"],
    ];
    for args in commands {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = Command::new(env!("CARGO_BIN_EXE_rehearse"))
            .args(*args)
            .env_clear()
            .env("HOME", dir.path().join("home"))
            .env("REHEARSE_DATA_DIR", dir.path())
            .env("REHEARSE_CONFIG_DIR", dir.path().join("config"))
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    }
}

/// Issue 12 §4: `devices` printed a dozen lines of ALSA and JACK noise and the
/// plugins by description. With the fake microphone as the ALSA default it
/// lists the names `--device` takes, marks the default, and says nothing on
/// stderr; what cannot be opened shows only with `--all`.
#[test]
fn devices_lists_names_without_library_noise() {
    let dir = tempfile::tempdir().unwrap();
    let raw = dir.path().join("mic.raw");
    fake_mic::write_raw(&raw, &fake_mic::test_signal());
    fake_mic::install_file_mic(dir.path(), &raw);
    let run = Rehearse::new(dir.path()).run(["devices"]);
    run.assert_ok();
    assert_eq!(run.stderr, "", "{run:#?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines.iter().any(|l| l.starts_with("* default ")),
        "the default is not marked: {run:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("  fakemic ") && l.contains("Fake microphone (raw file)")),
        "the fake microphone is not listed by name: {run:#?}"
    );
    assert!(!run.stdout.contains("cannot be opened,"), "{run:#?}");
    let all = Rehearse::new(dir.path()).run(["devices", "--all"]);
    all.assert_ok();
    assert_eq!(all.stderr, "", "{all:#?}");
    assert!(all.stdout.lines().count() >= lines.len(), "{all:#?}");
}

/// With a PulseAudio server running, `pulse` (which `--device pulse` takes)
/// is listed.
#[test]
fn devices_lists_pulse_when_a_server_runs() {
    let _heavy = common::heavy();
    let dir = tempfile::tempdir().unwrap();
    let server = fake_mic::PulseServer::start(dir.path());
    let mut rehearse = Rehearse::new(dir.path());
    for (key, value) in server.env() {
        rehearse = rehearse.env(&key, value);
    }
    let run = rehearse.run(["devices"]);
    run.assert_ok();
    assert_eq!(run.stderr, "", "{run:#?}");
    assert!(
        run.stdout
            .lines()
            .any(|l| l.get(2..).is_some_and(|name| name.starts_with("pulse "))),
        "pulse is not listed: {run:#?}"
    );
    assert!(run.stdout.lines().any(|l| l.starts_with("* ")), "{run:#?}");
}
