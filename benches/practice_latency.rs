//! Stop-to-report time of `rehearse practice`, which transcribes while the
//! user speaks, side by side with transcribing the same take in one batch
//! after the stop (`rehearse analyse FILE.wav`, what a non-streaming tool
//! would do).
//!
//! The long spoken answer is played in real time into a private PulseAudio
//! null sink whose monitor is the default input (see tests/support). Needs
//! pulseaudio, pulseaudio-utils and libasound2-plugins, and the model.
//! `cargo bench --bench practice_latency`

#[path = "../tests/support/fake_mic.rs"]
mod fake_mic;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use fake_mic::{PulseServer, TempDir};

fn rehearse(dir: &Path) -> Command {
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/rehearse");
    assert!(binary.is_file(), "build it first: cargo build --release");
    let model = rehearse::model::resolve_model(None).expect("run `rehearse model fetch` first");
    let mut command = Command::new(binary);
    command
        .env("REHEARSE_MODEL", model)
        .env("REHEARSE_DATA_DIR", dir.join("data"))
        .env("REHEARSE_CONFIG_DIR", dir.join("config"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    command
}

fn main() {
    let answer = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/long_answer.wav");
    let rounds: usize = std::env::var("REHEARSE_BENCH_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2);
    println!(
        "{:<6} {:>10} {:>22} {:>26} {:>8}",
        "round", "take s", "practice stop->report s", "batch after the stop s", "ratio"
    );
    for round in 1..=rounds {
        let dir = TempDir::new("bench-latency");
        let server = PulseServer::start(dir.path());
        let practice = rehearse(dir.path())
            .envs(server.env())
            .args([
                "practice",
                "--prompt",
                "dive-deep-hardest-bug",
                "--countdown",
                "0",
                "--silence-seconds",
                "1.5",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run rehearse practice");
        // Recording starts within a moment, but an idle PulseAudio null sink
        // hands its first ~2 s to the monitor late: start once it flows.
        std::thread::sleep(std::time::Duration::from_millis(2500));
        let mut player = Command::new("paplay")
            .arg("--device=fakesink")
            .arg(&answer)
            .envs(server.env())
            .spawn()
            .expect("run paplay");
        let _ = player.wait();
        let output = practice.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{stderr}");
        let streaming_s: f64 = stderr
            .lines()
            .find_map(|line| line.strip_prefix("report ready "))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|s| s.parse().ok())
            .expect("practice prints `report ready N s after the stop`");
        let take: PathBuf = std::fs::read_dir(dir.path().join("data/sessions"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path()
            .join("answer.wav");
        let take_s = rehearse::audio::read_wav(&take).unwrap().duration_ms() as f64 / 1000.0;
        let started = Instant::now();
        let batch = rehearse(dir.path())
            .arg("analyse")
            .arg(&take)
            .output()
            .unwrap();
        assert!(
            batch.status.success(),
            "{}",
            String::from_utf8_lossy(&batch.stderr)
        );
        let batch_s = started.elapsed().as_secs_f64();
        println!(
            "{round:<6} {take_s:>10.1} {streaming_s:>22.2} {batch_s:>26.2} {:>7.1}x",
            batch_s / streaming_s
        );
    }
}
