//! Virtual microphones for the capture tests (see the project's fake-mic notes).
//!
//! ALSA reads its configuration once per process and the environment cannot be changed safely
//! inside a multi-threaded test binary, so each test re-runs this test binary as a child
//! process with its own `HOME`, ALSA config and PulseAudio server, and the child does the
//! recording. A private PulseAudio daemon is stopped by PID when its guard drops, even when
//! the test fails.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Set in the child: names the test whose body should run.
const CHILD_VAR: &str = "REHEARSE_FAKE_MIC_CHILD";
/// Set in the child: the test's private directory.
const DIR_VAR: &str = "REHEARSE_FAKE_MIC_DIR";

pub const RATE_HZ: u32 = 16_000;

/// A directory removed when dropped.
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    pub fn new(tag: &str) -> Self {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let path = std::env::temp_dir().join(format!(
            "rehearse-{tag}-{}-{nanos}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path).expect("create temp dir");
        Self { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// The harness's name for the test function `name` of `module` (pass `module_path!()`), which
/// is what the child is run with (`--exact`): the module path without its first part, the
/// crate (this test binary), then the function, e.g.
/// `capture_pulse::device_lost_mid_take_keeps_the_audio` for `all::capture_pulse`. Derived
/// from the module path so that moving a test into another module or binary cannot leave a
/// stale name behind; a wrong function name makes the child run no test, which
/// [`run_child`] reports.
pub fn test_name(module: &str, name: &str) -> String {
    match module.split_once("::") {
        Some((_crate, path)) => format!("{path}::{name}"),
        None => name.to_string(),
    }
}

/// In the child process of `test`, its private directory; `None` in the parent.
pub fn child_dir(test: &str) -> Option<PathBuf> {
    if std::env::var(CHILD_VAR).as_deref() == Ok(test) {
        Some(PathBuf::from(
            std::env::var(DIR_VAR).expect("child without its directory"),
        ))
    } else {
        None
    }
}

/// The environment a child gets: a private HOME and runtime dir, nothing inherited that
/// could point ALSA or PulseAudio at the developer's real sound setup.
fn child_command(test: &str, dir: &Path, extra_env: &[(String, String)]) -> Command {
    let exe = std::env::current_exe().expect("test binary path");
    let mut cmd = Command::new(exe);
    cmd.args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_VAR, test)
        .env(DIR_VAR, dir)
        .env("HOME", dir.join("home"))
        .env("XDG_CONFIG_HOME", dir.join("home/.config"))
        .env("XDG_RUNTIME_DIR", dir.join("run"))
        .env_remove("ALSA_CONFIG_PATH")
        .env_remove("PULSE_SERVER")
        .env_remove("PULSE_SINK")
        .env_remove("PULSE_SOURCE")
        .env_remove("PULSE_RUNTIME_PATH")
        .stdin(Stdio::null());
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    cmd
}

fn prepare_dirs(dir: &Path) {
    std::fs::create_dir_all(dir.join("home/.config")).expect("home dir");
    std::fs::create_dir_all(dir.join("run")).expect("runtime dir");
}

/// Run `test`'s child half and fail (showing its output) if it fails.
pub fn run_child(test: &str, dir: &Path, extra_env: &[(String, String)]) {
    prepare_dirs(dir);
    let out = child_command(test, dir, extra_env)
        .output()
        .expect("spawn child test");
    report(test, &out);
    assert!(
        out.status.success(),
        "child `{test}` failed: {}",
        out.status
    );
    // A renamed or moved test would match nothing and "pass" without running.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("test result: ok. 1 passed"),
        "child `{test}` ran no test"
    );
}

/// A child process killed (SIGKILL) and reaped when dropped, so a failing test never leaves
/// a recorder running.
pub struct ChildGuard(pub Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Start `test`'s child half without waiting (to kill it mid-take). A child that matches no
/// test exits at once, successfully: the caller must treat an early exit as a failure.
pub fn spawn_child(test: &str, dir: &Path, extra_env: &[(String, String)]) -> ChildGuard {
    prepare_dirs(dir);
    let child = child_command(test, dir, extra_env)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn child test");
    ChildGuard(child)
}

fn report(test: &str, out: &Output) {
    eprintln!(
        "--- child `{test}` stdout ---\n{}--- child `{test}` stderr ---\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// ALSA config (fake-mic A): the default capture device reads `raw` (s16le, 16 kHz, mono)
/// through the `file` plugin over `null`. Not paced: audio arrives far faster than real time.
pub fn install_file_mic(dir: &Path, raw: &Path) {
    let conf = format!(
        r#"pcm.fakemic_file {{
    type file
    slave.pcm "null"
    file "/dev/null"
    infile "{}"
    format "raw"
}}
pcm.fakemic {{
    type plug
    slave {{ pcm "fakemic_file"  format S16_LE  rate {RATE_HZ}  channels 1 }}
    hint {{ show on  description "Fake microphone (raw file)" }}
}}
pcm.!default fakemic
"#,
        raw.display()
    );
    write_asoundrc(dir, &conf);
}

/// ALSA config whose default PCM is a sound card that does not exist.
pub fn install_broken_default(dir: &Path) {
    write_asoundrc(
        dir,
        "pcm.!default { type hw card 29 device 0 }\nctl.!default { type hw card 29 }\n",
    );
}

fn write_asoundrc(dir: &Path, conf: &str) {
    std::fs::create_dir_all(dir.join("home")).expect("home dir");
    std::fs::write(dir.join("home/.asoundrc"), conf).expect("write asoundrc");
}

/// A private PulseAudio daemon with a 16 kHz mono null sink `fakesink` whose monitor is the
/// default source (fake-mic B). Paced in real time. Stopped by PID on drop.
pub struct PulseServer {
    pid: u32,
    runtime_dir: PathBuf,
}

impl PulseServer {
    pub fn start(dir: &Path) -> Self {
        prepare_dirs(dir);
        let pa = dir.join("fake.pa");
        std::fs::write(
            &pa,
            format!(
                "load-module module-native-protocol-unix\n\
                 load-module module-null-sink sink_name=fakesink rate={RATE_HZ} channels=1 format=s16le\n\
                 set-default-sink fakesink\n\
                 set-default-source fakesink.monitor\n"
            ),
        )
        .expect("write .pa");
        let runtime_dir = dir.join("run");
        let status = Command::new("pulseaudio")
            .args(["-n", "-F"])
            .arg(&pa)
            .args([
                "--daemonize=yes",
                "--exit-idle-time=-1",
                "--use-pid-file=yes",
            ])
            .env("XDG_RUNTIME_DIR", &runtime_dir)
            .env("HOME", dir.join("home"))
            .env_remove("PULSE_SERVER")
            .stdin(Stdio::null())
            .status()
            .expect(
                "run pulseaudio (apt-get install pulseaudio pulseaudio-utils libasound2-plugins)",
            );
        assert!(status.success(), "pulseaudio failed to start: {status}");
        let pid_file = runtime_dir.join("pulse/pid");
        let socket = runtime_dir.join("pulse/native");
        let deadline = Instant::now() + Duration::from_secs(10);
        let pid = loop {
            let pid = std::fs::read_to_string(&pid_file)
                .ok()
                .and_then(|s| s.trim().parse::<u32>().ok());
            if let Some(pid) = pid
                && socket.exists()
            {
                break pid;
            }
            assert!(Instant::now() < deadline, "pulseaudio did not come up");
            std::thread::sleep(Duration::from_millis(20));
        };
        Self { pid, runtime_dir }
    }

    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// What a child needs to reach this server (through ALSA's pulse plugin or paplay).
    pub fn env(&self) -> Vec<(String, String)> {
        vec![(
            "PULSE_SERVER".to_string(),
            format!("unix:{}", self.runtime_dir.join("pulse/native").display()),
        )]
    }
}

impl Drop for PulseServer {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg(self.pid.to_string())
            .stderr(Stdio::null())
            .status();
        // Wait for it to go so the next test does not share a half-dead server.
        let proc_dir = PathBuf::from(format!("/proc/{}", self.pid));
        let deadline = Instant::now() + Duration::from_secs(5);
        while proc_dir.exists() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Deterministic 16 kHz mono test audio: a chirp, a short gap, then speech
/// (`tests/fixtures/jfk.wav` when present, else a synthetic speech-like signal).
pub fn test_signal() -> Vec<i16> {
    let mut out = Vec::new();
    // 0.5 s chirp from 200 Hz to 2 kHz at -12 dBFS peak (not periodic, so it aligns uniquely).
    out.extend((0..RATE_HZ / 2).map(|i| {
        let t = f64::from(i) / f64::from(RATE_HZ);
        let phase = 2.0 * std::f64::consts::PI * (200.0 * t + 1800.0 * t * t);
        (8192.0 * phase.sin()) as i16
    }));
    out.extend(std::iter::repeat_n(0i16, (RATE_HZ / 4) as usize));
    out.extend(speech());
    out
}

/// The speech part of [`test_signal`] and where it came from.
pub fn speech_source() -> &'static str {
    if jfk_path().exists() {
        "tests/fixtures/jfk.wav"
    } else {
        "synthetic speech-like signal (jfk.wav not present)"
    }
}

fn jfk_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/jfk.wav")
}

fn speech() -> Vec<i16> {
    if let Ok(reader) = hound::WavReader::open(jfk_path()) {
        let spec = reader.spec();
        assert_eq!(
            (spec.sample_rate, spec.channels, spec.bits_per_sample),
            (RATE_HZ, 1, 16),
            "jfk.wav should be 16 kHz mono 16-bit"
        );
        return reader
            .into_samples::<i16>()
            .collect::<Result<_, _>>()
            .expect("read jfk.wav");
    }
    // Syllable-like bursts of a voiced harmonic series with wobbling pitch and noise,
    // separated by short pauses: 6 s.
    let mut seed: u32 = 0x1234_5678;
    let mut noise = move || {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        f64::from(seed >> 8) / f64::from(1u32 << 24) - 0.5
    };
    let n = RATE_HZ as usize * 6;
    let mut phase = 0.0f64;
    (0..n)
        .map(|i| {
            let t = i as f64 / f64::from(RATE_HZ);
            let syllable = (t * 4.0).fract();
            let envelope = if (t as u32) % 3 == 2 && t.fract() > 0.6 {
                0.0
            } else {
                (std::f64::consts::PI * syllable).sin().powi(2)
            };
            let f0 = 120.0 + 30.0 * (2.0 * std::f64::consts::PI * 0.7 * t).sin();
            phase += 2.0 * std::f64::consts::PI * f0 / f64::from(RATE_HZ);
            let voiced: f64 = (1..=8)
                .map(|h| (phase * f64::from(h)).sin() / f64::from(h))
                .sum();
            (envelope * (6000.0 * voiced + 1500.0 * noise())) as i16
        })
        .collect()
}

/// Write headerless s16le.
pub fn write_raw(path: &Path, samples: &[i16]) {
    let bytes: Vec<u8> = samples.iter().flat_map(|s| s.to_le_bytes()).collect();
    std::fs::write(path, bytes).expect("write raw");
}

pub fn write_wav_16k(path: &Path, samples: &[i16]) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: RATE_HZ,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).expect("create wav");
    for &s in samples {
        w.write_sample(s).expect("write wav");
    }
    w.finalize().expect("finalize wav");
}

/// Any WAV as mono f32 (channels averaged) plus its rate.
pub fn read_mono(path: &Path) -> (Vec<f32>, u32) {
    let reader = hound::WavReader::open(path).expect("open wav");
    let spec = reader.spec();
    let ch = usize::from(spec.channels);
    let samples: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader
            .into_samples::<f32>()
            .collect::<Result<_, _>>()
            .expect("read f32"),
        hound::SampleFormat::Int => {
            let scale = 1.0 / (1u64 << (spec.bits_per_sample - 1)) as f32;
            reader
                .into_samples::<i32>()
                .map(|s| s.map(|v| v as f32 * scale))
                .collect::<Result<_, _>>()
                .expect("read int")
        }
    };
    let mono = samples
        .chunks_exact(ch)
        .map(|f| f.iter().sum::<f32>() / ch as f32)
        .collect();
    (mono, spec.sample_rate)
}

/// Best normalised correlation of `source` (16 kHz) inside `recorded` (16 kHz times an
/// integer factor), over constant offsets. Returns (correlation, offset in recorded samples).
pub fn best_alignment(source: &[f32], recorded: &[f32], factor: usize) -> (f64, usize) {
    assert!(factor >= 1);
    let span = source.len() * factor;
    if recorded.len() < span {
        return (0.0, 0);
    }
    let max_offset = recorded.len() - span;
    // Coarse pass on the loudest half second of the source to find candidate offsets.
    let win = (RATE_HZ as usize / 2).min(source.len());
    let start = (0..source.len().saturating_sub(win))
        .step_by(win / 4 + 1)
        .max_by(|&a, &b| energy(&source[a..a + win]).total_cmp(&energy(&source[b..b + win])))
        .unwrap_or(0);
    let excerpt = &source[start..start + win];
    let mut coarse: Vec<(f64, usize)> = (0..=max_offset)
        .map(|off| {
            let at = |i: usize| recorded[off + (start + i) * factor];
            (correlation(excerpt, at, 4), off)
        })
        .collect();
    coarse.sort_by(|a, b| b.0.total_cmp(&a.0));
    coarse
        .iter()
        .take(8)
        .map(|&(_, off)| {
            let at = |i: usize| recorded[off + i * factor];
            (correlation(source, at, 1), off)
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .unwrap_or((0.0, 0))
}

fn energy(x: &[f32]) -> f64 {
    x.iter().map(|&v| f64::from(v) * f64::from(v)).sum()
}

fn correlation(a: &[f32], b: impl Fn(usize) -> f32, step: usize) -> f64 {
    let (mut ab, mut aa, mut bb) = (0.0f64, 0.0f64, 0.0f64);
    for i in (0..a.len()).step_by(step) {
        let x = f64::from(a[i]);
        let y = f64::from(b(i));
        ab += x * y;
        aa += x * x;
        bb += y * y;
    }
    if aa == 0.0 || bb == 0.0 {
        0.0
    } else {
        ab / (aa.sqrt() * bb.sqrt())
    }
}

/// For each 1 s window of `source`, the offset (relative to `offset`) within +-`radius`
/// recorded samples that correlates best, and that correlation. Shows glitches and drift.
pub fn local_offsets(
    source: &[f32],
    recorded: &[f32],
    factor: usize,
    offset: usize,
    radius: usize,
) -> Vec<(i64, f64)> {
    let win = RATE_HZ as usize;
    (0..source.len() / win)
        .map(|w| {
            let part = &source[w * win..(w + 1) * win];
            (0..=2 * radius)
                .filter_map(|d| {
                    let base = (offset + d + w * win * factor).checked_sub(radius)?;
                    if base + win * factor > recorded.len() {
                        return None;
                    }
                    let at = |i: usize| recorded[base + i * factor];
                    Some((d as i64 - radius as i64, correlation(part, at, 1)))
                })
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .unwrap_or((0, 0.0))
        })
        .collect()
}
