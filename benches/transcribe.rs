//! Transcribing the long spoken answer (tests/fixtures/long_answer.wav):
//! wall time, real-time factor and peak memory for each decoding set-up,
//! side by side with ratios against the plain greedy baseline.
//!
//! `cargo bench --bench transcribe` (uses the model `rehearse model fetch`
//! installed, or REHEARSE_MODEL). Each set-up runs in its own process so its
//! peak memory is its own.

#[path = "common/peak_memory.rs"]
mod peak_memory;

use peak_memory::peak_memory_kib;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use rehearse::audio::{read_wav, to_mono_16k};
use rehearse::transcribe::{Decoding, TranscribeOptions, Transcriber};

const CHILD: &str = "REHEARSE_BENCH_SETUP";

struct Setup {
    name: &'static str,
    decoding: Decoding,
    keep_disfluencies: bool,
}

const SETUPS: [Setup; 4] = [
    Setup {
        name: "greedy, plain (baseline)",
        decoding: Decoding::Greedy,
        keep_disfluencies: false,
    },
    Setup {
        name: "beam 5, plain",
        decoding: Decoding::Beam(5),
        keep_disfluencies: false,
    },
    Setup {
        name: "greedy, primed",
        decoding: Decoding::Greedy,
        keep_disfluencies: true,
    },
    Setup {
        name: "beam 5, primed (default)",
        decoding: Decoding::Beam(5),
        keep_disfluencies: true,
    },
];

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/long_answer.wav")
}

/// In the child: transcribe once, print `wall_s audio_s peak_kib`.
fn run_setup(index: usize) {
    let setup = &SETUPS[index];
    let model_path =
        rehearse::model::resolve_model(None).expect("run `rehearse model fetch` first");
    let audio = read_wav(&fixture()).expect("the long fixture");
    let samples = to_mono_16k(&audio).unwrap();
    let transcriber = Transcriber::load(&TranscribeOptions {
        model_path,
        keep_disfluencies: setup.keep_disfluencies,
        decoding: setup.decoding,
    })
    .unwrap();
    let started = Instant::now();
    let transcript = transcriber.transcribe(samples).unwrap().transcript;
    let wall_s = started.elapsed().as_secs_f64();
    assert!(!transcript.text.is_empty());
    println!(
        "{wall_s} {} {}",
        audio.duration_ms() as f64 / 1000.0,
        peak_memory_kib("self").unwrap_or(0)
    );
}

fn main() {
    // As the binary does, so that the peak is the user's.
    rehearse::allocator::hand_back_freed_memory();
    if let Ok(index) = std::env::var(CHILD) {
        run_setup(index.parse().unwrap());
        return;
    }
    let me = std::env::current_exe().unwrap();
    let mut baseline_s = None;
    println!(
        "{:<32} {:>8} {:>8} {:>10} {:>12}",
        "set-up", "wall s", "RTF", "vs base", "peak MiB"
    );
    for (index, setup) in SETUPS.iter().enumerate() {
        let output = Command::new(&me)
            .env(CHILD, index.to_string())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let text = String::from_utf8_lossy(&output.stdout);
        let fields: Vec<f64> = text
            .split_whitespace()
            .map(|f| f.parse().unwrap())
            .collect();
        let (wall_s, audio_s, peak_kib) = (fields[0], fields[1], fields[2]);
        let base = *baseline_s.get_or_insert(wall_s);
        println!(
            "{:<32} {:>8.2} {:>8.3} {:>9.2}x {:>12.0}",
            setup.name,
            wall_s,
            wall_s / audio_s,
            wall_s / base,
            peak_kib / 1024.0
        );
    }
}
