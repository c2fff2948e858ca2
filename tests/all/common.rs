//! Shared helpers for the CLI and end-to-end tests: run the real binary in a
//! clean environment, find the real model and the fixtures.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// One heavy test at a time: take this guard first thing in every test that
/// runs the real Whisper model, captures or plays audio in real time, starts a
/// PulseAudio server, drives tmux or opens headless Chromium, and hold it to
/// the end.
///
/// The test harness runs the tests of a binary on several threads at once.
/// whisper.cpp keeps a thread per core busy, so two decodes at once on two
/// cores run several times slower than one after the other (the live-practice
/// tests once took 32 min in parallel), and a test paced in real time that
/// shares the cores with a decode, a browser or another real-time test falls
/// behind and fails on timing rather than on a bug. Light tests (pure logic,
/// snapshots, bad input that never loads the model) do not take it and still
/// run in parallel with everything. A panicking test poisons the lock; the
/// next one takes it all the same, as it guards no data.
pub fn heavy() -> std::sync::MutexGuard<'static, ()> {
    static HEAVY: std::sync::Mutex<()> = std::sync::Mutex::new(());
    HEAVY
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The names in folder `dir`, sorted: what a take's folder or the sessions
/// folder holds.
pub fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("read {}: {err}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The names in `dir` that end with `suffix`, without it, sorted: the stems
/// of a corpus folder's answers (`.toml`, `.labels.json`).
pub fn stems_in(dir: &Path, suffix: &str) -> Vec<String> {
    names_in(dir)
        .into_iter()
        .filter_map(|name| name.strip_suffix(suffix).map(str::to_string))
        .collect()
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// `long_answer.wav` as 44.1 kHz stereo 24-bit PCM (left as is, right at half
/// amplitude), made with sox on first use into `target/tmp/fixtures`, so a
/// test meets resampling, down-mixing and a third sample encoding without
/// 18 MB of it in the repository.
pub fn long_answer_44k_stereo() -> PathBuf {
    static MADE: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/tmp/fixtures");
    let wav = dir.join("long_answer_44k_stereo.wav");
    let _one = MADE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !wav.is_file() {
        std::fs::create_dir_all(&dir).unwrap();
        let aside = dir.join(format!("long_answer_44k_stereo.{}.wav", std::process::id()));
        let status = Command::new("sox")
            .arg("-D")
            .arg(fixture("long_answer.wav"))
            .args(["-r", "44100", "-b", "24", "-e", "signed-integer"])
            .arg(&aside)
            .args(["remix", "1", "1v0.5"])
            .status()
            .expect("run sox (`scripts/setup --tests` installs it)");
        assert!(status.success(), "sox failed: {status}");
        std::fs::rename(&aside, &wav).unwrap();
    }
    wav
}

/// The model the project fetched with `rehearse model fetch`. The tests use
/// the real model; without one they fail and say how to get it.
pub fn model_path() -> PathBuf {
    if let Some(path) = std::env::var_os("REHEARSE_MODEL").filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    let paths = rehearse::paths::Paths::resolve(None).expect("a home directory");
    let entry = rehearse::model::manifest::find(rehearse::model::DEFAULT_MODEL).unwrap();
    let path = paths.models_dir().join(entry.file);
    assert!(
        path.is_file(),
        "no Whisper model at `{}`; run `cargo run -- model fetch` before the tests",
        path.display()
    );
    path
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts a failure with `code` and a single-line message containing `needle`.
    pub fn assert_fails(&self, code: i32, needle: &str) {
        assert_eq!(self.code, Some(code), "{self:#?}");
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "expected one line on stderr: {self:#?}");
        assert!(lines[0].starts_with("error: "), "{self:#?}");
        assert!(lines[0].contains(needle), "`{needle}` not in: {}", lines[0]);
        assert!(!self.stderr.contains("panicked"), "{self:#?}");
    }

    pub fn assert_ok(&self) {
        assert_eq!(self.code, Some(0), "{self:#?}");
    }
}

/// The `rehearse` binary with a cleared environment: its own data dir, the
/// real model, no colour.
pub struct Rehearse {
    command: Command,
}

impl Rehearse {
    pub fn new(data_dir: &Path) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_rehearse"));
        command
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", data_dir.join("home"))
            .env("REHEARSE_DATA_DIR", data_dir)
            .env("REHEARSE_CONFIG_DIR", data_dir.join("config"))
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        Self { command }
    }

    /// Points the run at the real model.
    pub fn with_model(mut self) -> Self {
        self.command.env("REHEARSE_MODEL", model_path());
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Self {
        self.command.env(key, value);
        self
    }

    pub fn run<I, S>(mut self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let Output {
            status,
            stdout,
            stderr,
        } = self.command.args(args).output().expect("run rehearse");
        Run {
            code: status.code(),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }
}

/// The labelled corpus answer `stem` (e.g. `05-memory-leak`) as a WAV,
/// synthesised on first use by `tests/corpus/synth.py` (a no-op when up to
/// date), into `REHEARSE_CORPUS_AUDIO` or `target/tmp/corpus`.
pub fn corpus_wav(stem: &str) -> PathBuf {
    static BUILT: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::var_os("REHEARSE_CORPUS_AUDIO")
        .map_or_else(|| root.join("target/tmp/corpus"), PathBuf::from);
    let wav = dir.join(format!("{stem}.wav"));
    let _one = BUILT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let status = Command::new("python3")
        .arg(root.join("tests/corpus/synth.py"))
        .arg("--out")
        .arg(&dir)
        .arg(stem)
        .stdout(Stdio::null())
        .status()
        .expect("run python3 tests/corpus/synth.py");
    assert!(
        status.success() && wav.is_file(),
        "tests/corpus/synth.py could not build {stem}; run scripts/setup --tests"
    );
    wav
}

/// What was said in corpus answer `stem`, fillers included.
pub fn corpus_script(stem: &str) -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/corpus/{stem}.labels.json"));
    let labels: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read labels"))
            .expect("labels JSON");
    labels["script"].as_str().expect("a script").to_string()
}
