//! `rehearse practice` end to end through a paced virtual microphone (a
//! private PulseAudio null sink whose monitor is the default input): a spoken
//! answer is played into it in real time and the real binary records,
//! transcribes and analyses it. Also: Ctrl-C mid-take keeps the take, and
//! `kill -9` mid-take leaves a WAV that `analyse --session` recovers.

mod common;
#[path = "support/fake_mic.rs"]
mod fake_mic;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::{Rehearse, fixture, model_path};
use fake_mic::{PulseServer, TempDir};
use rehearse::eval::word_error_rate;
use rehearse::store::Store;

/// Real-time tests one at a time: they share two cores.
static PACED: Mutex<()> = Mutex::new(());

struct Take {
    child: Child,
    stderr_lines: std::sync::mpsc::Receiver<String>,
}

/// Starts `rehearse practice` on the fake microphone and waits until it is recording.
fn start_practice(dir: &Path, server: &PulseServer, extra: &[&str]) -> Take {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rehearse"));
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir.join("home"))
        .env("REHEARSE_DATA_DIR", dir.join("data"))
        .env("REHEARSE_CONFIG_DIR", dir.join("config"))
        .env("REHEARSE_MODEL", model_path())
        .env("NO_COLOR", "1")
        .envs(server.env())
        .args([
            "practice",
            "--prompt",
            "dive-deep-hardest-bug",
            "--countdown",
            "0",
        ])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("run rehearse practice");
    let stderr = child.stderr.take().unwrap();
    let (sender, stderr_lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = sender.send(line);
        }
    });
    let take = Take {
        child,
        stderr_lines,
    };
    take.wait_for_line("recording: answer now", Duration::from_secs(30));
    // An idle PulseAudio null sink hands its first ~2 s to the monitor late:
    // start "speaking" once the stream is flowing, as a person would.
    std::thread::sleep(Duration::from_millis(2500));
    take
}

impl Take {
    fn wait_for_line(&self, needle: &str, limit: Duration) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stderr_lines.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => {}
                Err(_) => panic!("no `{needle}` on stderr within {limit:?}"),
            }
        }
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([name, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

fn play(server: &PulseServer, wav: &Path) -> Child {
    Command::new("paplay")
        .arg("--device=fakesink")
        .arg(wav)
        .envs(server.env())
        .stdin(Stdio::null())
        .spawn()
        .expect("run paplay (apt-get install pulseaudio-utils)")
}

fn only_session(data_dir: &Path) -> PathBuf {
    let sessions: Vec<_> = std::fs::read_dir(data_dir.join("sessions"))
        .expect("a sessions folder")
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    sessions.into_iter().next().unwrap()
}

fn wav_seconds(path: &Path) -> f64 {
    let audio = rehearse::audio::read_wav(path).expect("a readable take");
    audio.duration_ms() as f64 / 1000.0
}

#[test]
fn a_practice_take_on_the_paced_microphone_is_transcribed_and_analysed() {
    let _one = PACED.lock().unwrap_or_else(|e| e.into_inner());
    let dir = TempDir::new("practice-full");
    let server = PulseServer::start(dir.path());
    let take = start_practice(dir.path(), &server, &["--silence-seconds", "2.5"]);
    let mut player = play(&server, &fixture("long_answer.wav"));
    let output = take.child.wait_with_output().unwrap();
    let _ = player.wait();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");

    let store = Store::open(dir.path().join("data")).unwrap();
    let loaded = store.load("last").unwrap();
    let transcript = loaded.transcript.as_ref().expect("a saved transcript");
    let analysis = loaded.analysis.as_ref().expect("a saved analysis");
    let script = std::fs::read_to_string(fixture("long_answer.txt")).unwrap();
    let stats = word_error_rate(&script, &transcript.text);
    let played_s = wav_seconds(&fixture("long_answer.wav"));
    println!(
        "practice take: {:.1} s recorded for {played_s:.1} s played, WER {:.1} % against the script, {} words, STAR action {:.0} %",
        analysis.duration_s,
        stats.wer * 100.0,
        analysis.words,
        analysis.star.shares.action * 100.0
    );
    assert!(
        stats.wer <= 0.15,
        "WER {:.3}: {}",
        stats.wer,
        transcript.text
    );
    // The take runs from the start to the silence stop (2.5 s after the end).
    assert!(analysis.duration_s > played_s && analysis.duration_s < played_s + 8.0);
    assert!(stdout.contains("Follow-up: "), "{stdout}");
    assert!(stdout.contains(&analysis.words.to_string()), "{stdout}");
    assert_eq!(loaded.session.status.name(), "analysed");
}

#[test]
fn ctrl_c_mid_take_stops_and_keeps_the_take() {
    let _one = PACED.lock().unwrap_or_else(|e| e.into_inner());
    let dir = TempDir::new("practice-ctrl-c");
    let server = PulseServer::start(dir.path());
    let take = start_practice(dir.path(), &server, &[]);
    let mut player = play(&server, &fixture("long_answer.wav"));
    std::thread::sleep(Duration::from_secs(8));
    take.signal("-INT");
    let line = take.wait_for_line("recorded", Duration::from_secs(10));
    assert!(line.contains("stopped by you"), "{line}");
    let output = take.child.wait_with_output().unwrap();
    let _ = player.kill();
    let _ = player.wait();
    assert!(output.status.success(), "{output:?}");
    let session = only_session(&dir.path().join("data"));
    let seconds = wav_seconds(&session.join("answer.wav"));
    assert!((7.0..15.0).contains(&seconds), "{seconds} s kept");
    let loaded = rehearse::store::load_dir(&session).unwrap();
    let words = loaded.transcript.expect("transcribed after Ctrl-C").text;
    println!("kept {seconds:.1} s after Ctrl-C: {words}");
    assert!(words.split_whitespace().count() >= 8, "{words}");
}

#[test]
fn kill_9_mid_take_leaves_a_wav_that_analyse_recovers() {
    let _one = PACED.lock().unwrap_or_else(|e| e.into_inner());
    let dir = TempDir::new("practice-kill");
    let server = PulseServer::start(dir.path());
    let mut take = start_practice(dir.path(), &server, &[]);
    let mut player = play(&server, &fixture("long_answer.wav"));
    std::thread::sleep(Duration::from_secs(10));
    take.child.kill().unwrap(); // SIGKILL: no chance to finalise anything
    let _ = take.child.wait();
    let _ = player.kill();
    let _ = player.wait();
    let session = only_session(&dir.path().join("data"));
    let status = std::fs::read_to_string(session.join("session.json")).unwrap();
    assert!(status.contains("\"recorded\""), "{status}");

    // The header was last rewritten at a flush, at most about a second ago.
    let readable_before = wav_seconds(&session.join("answer.wav"));
    assert!(
        readable_before > 5.0,
        "{readable_before} s readable before repair"
    );

    // The next start repairs the take. This one has no microphone (no
    // PulseAudio server for it), which is its own clear error.
    let data = dir.path().join("data");
    let next_start = Rehearse::new(&data)
        .with_model()
        .run(["practice", "--countdown", "0"]);
    assert_eq!(
        next_start.code,
        Some(rehearse::exit::MICROPHONE.into()),
        "{next_start:#?}"
    );
    assert!(
        next_start.stderr.contains("its WAV header is now repaired"),
        "{next_start:#?}"
    );
    assert!(
        next_start.stderr.contains("no microphone found")
            && next_start.stderr.contains("rehearse analyse FILE.wav"),
        "{next_start:#?}"
    );
    assert!(!next_start.stderr.contains("panicked"));
    let recovered = wav_seconds(&session.join("answer.wav"));
    println!("kill -9 after ~10 s: {readable_before:.2} s readable, {recovered:.2} s after repair");
    assert!(recovered > readable_before && recovered < 16.0);

    let run = Rehearse::new(&data)
        .with_model()
        .run(["analyse", "--session", "last"]);
    run.assert_ok();
    let loaded = Store::open(&data).unwrap().load("last").unwrap();
    assert_eq!(loaded.session.status.name(), "analysed");
    let words = loaded.transcript.unwrap().text;
    assert!(words.split_whitespace().count() >= 10, "{words}");
}
