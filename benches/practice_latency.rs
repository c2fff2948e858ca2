//! Stop-to-report time of `rehearse practice`, which transcribes while the
//! user speaks, side by side with transcribing the same take in one batch
//! after the stop (`rehearse analyse FILE.wav`, what a non-streaming tool
//! would do).
//!
//! A 126 s take (two corpus answers, one after the other: a long answer) is
//! played in real time into a private PulseAudio null sink whose monitor is
//! the default input (see tests/all/fake_mic.rs). Needs pulseaudio,
//! pulseaudio-utils, libasound2-plugins, the corpus engines
//! (`scripts/setup --tests`) and the model.
//! `cargo build --release && cargo bench --bench practice_latency`;
//! `REHEARSE_BENCH_BINARY=path` times another build (an older one, say)
//! side by side with this one; `REHEARSE_BENCH_TAKE=file.wav` plays that
//! answer instead of the long take; `REHEARSE_BENCH_BUSY=1` keeps one core
//! busy all along, as a browser or a video call does on a user's machine.

// The tests' virtual microphone; this bench needs only the PulseAudio server
// and the WAV writer of it.
#[allow(dead_code)]
#[path = "../tests/all/fake_mic.rs"]
mod fake_mic;
#[path = "common/peak_memory.rs"]
mod peak_memory;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use fake_mic::{PulseServer, TempDir};

fn rehearse(binary: &Path, dir: &Path) -> Command {
    assert!(
        binary.is_file(),
        "no {}; build it first: cargo build --release",
        binary.display()
    );
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

/// Two corpus answers back to back with a second between: about two minutes.
fn long_take(dir: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("target/tmp/corpus");
    let status = Command::new("python3")
        .arg(root.join("tests/corpus/synth.py"))
        .arg("--out")
        .arg(&corpus)
        .args(["05", "41"])
        .stdout(Stdio::null())
        .status()
        .expect("python3");
    assert!(status.success(), "tests/corpus/synth.py failed");
    let mut samples: Vec<i16> = Vec::new();
    for stem in ["05-memory-leak", "41-monitoring-nobody-read"] {
        let reader = hound::WavReader::open(corpus.join(format!("{stem}.wav"))).unwrap();
        samples.extend(reader.into_samples::<i16>().map(Result::unwrap));
        samples.extend(std::iter::repeat_n(0, 16_000));
    }
    let path = dir.join("long-take.wav");
    fake_mic::write_wav_16k(&path, &samples);
    path
}

/// Watches a running child's peak resident memory (its `VmHWM`) until the
/// child ends; `join` gives the last value read, in KiB.
fn watch_peak_memory(pid: u32) -> std::thread::JoinHandle<u64> {
    std::thread::spawn(move || {
        let mut peak_kib = 0;
        while let Some(kib) = peak_memory::peak_memory_kib(&pid.to_string()) {
            peak_kib = kib;
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        peak_kib
    })
}

/// A thread that keeps one core busy until it is dropped.
struct BusyCore {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl BusyCore {
    fn start() -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let mut n = 0u64;
            while !flag.load(Ordering::Relaxed) {
                n = std::hint::black_box(n.wrapping_add(1));
            }
        });
        Self {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for BusyCore {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn main() {
    let scratch = TempDir::new("bench-take");
    let answer = std::env::var_os("REHEARSE_BENCH_TAKE")
        .map_or_else(|| long_take(scratch.path()), PathBuf::from);
    let this = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/rehearse");
    let mut binaries = vec![("this", this)];
    if let Some(other) = std::env::var_os("REHEARSE_BENCH_BINARY") {
        binaries.insert(0, ("other", PathBuf::from(other)));
    }
    let rounds: usize = std::env::var("REHEARSE_BENCH_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2);
    let _busy = std::env::var_os("REHEARSE_BENCH_BUSY").map(|_| BusyCore::start());
    println!(
        "{:<6} {:<6} {:>8} {:>24} {:>24} {:>8} {:>18} {:>18}",
        "round",
        "build",
        "take s",
        "practice stop->report s",
        "batch after the stop s",
        "ratio",
        "practice peak MiB",
        "analyse peak MiB"
    );
    for round in 1..=rounds {
        for (build, binary) in &binaries {
            let dir = TempDir::new("bench-latency");
            let server = PulseServer::start(dir.path());
            let practice = rehearse(binary, dir.path())
                .envs(server.env())
                .args([
                    "practice",
                    "--prompt",
                    "dive-deep-hardest-bug",
                    "--countdown",
                    "0",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("run rehearse practice");
            let practice_peak = watch_peak_memory(practice.id());
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
            // The speaker stops and presses Ctrl-C a second later. (A silence
            // rule would end the take in the pause between its two answers.)
            std::thread::sleep(std::time::Duration::from_secs(1));
            let status = Command::new("kill")
                .args(["-INT", &practice.id().to_string()])
                .status()
                .expect("kill");
            assert!(status.success());
            let output = practice.wait_with_output().unwrap();
            let practice_peak_kib = practice_peak.join().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(output.status.success(), "{stderr}");
            let ready = stderr
                .lines()
                .find_map(|line| line.strip_prefix("report ready "))
                .expect("practice prints `report ready N s after the stop (...)`");
            let streaming_s: f64 = ready
                .split_whitespace()
                .next()
                .and_then(|s| s.parse().ok())
                .expect("a number of seconds");
            // How many windows were left to decode at the stop.
            let windows = ready.split_once('(').map_or("", |(_, rest)| rest);
            let take: PathBuf = std::fs::read_dir(dir.path().join("data/sessions"))
                .unwrap()
                .next()
                .unwrap()
                .unwrap()
                .path()
                .join("answer.wav");
            let take_s = rehearse::audio::read_wav(&take).unwrap().duration_ms() as f64 / 1000.0;
            let started = Instant::now();
            let batch = rehearse(binary, dir.path())
                .arg("analyse")
                .arg(&take)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("run rehearse analyse");
            let batch_peak = watch_peak_memory(batch.id());
            let batch = batch.wait_with_output().unwrap();
            let batch_peak_kib = batch_peak.join().unwrap();
            assert!(
                batch.status.success(),
                "{}",
                String::from_utf8_lossy(&batch.stderr)
            );
            let batch_s = started.elapsed().as_secs_f64();
            println!(
                "{round:<6} {build:<6} {take_s:>8.1} {streaming_s:>24.2} {batch_s:>24.2} {:>7.1}x {:>18.1} {:>18.1}  ({windows}",
                batch_s / streaming_s,
                practice_peak_kib as f64 / 1024.0,
                batch_peak_kib as f64 / 1024.0,
            );
        }
    }
}
