//! `rehearse practice` end to end through a paced virtual microphone (a
//! private PulseAudio null sink whose monitor is the default input): a spoken
//! answer is played into it in real time and the real binary records,
//! transcribes and analyses it. Also: Ctrl-C mid-take keeps the take, and
//! `kill -9` mid-take leaves a WAV that `analyse --session` recovers.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{self, Rehearse, corpus_script, corpus_wav, fixture, model_path};
use crate::eval::word_error_rate;
use crate::fake_mic::{self, PulseServer, TempDir};
use rehearse::store::Store;

struct Take {
    child: Child,
    stderr_lines: std::sync::mpsc::Receiver<String>,
    /// Every stderr line `wait_for_line` has read so far, in order.
    seen: std::cell::RefCell<Vec<String>>,
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
        seen: std::cell::RefCell::default(),
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
                Ok(line) => {
                    self.seen.borrow_mut().push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(err) => panic!("no `{needle}` on stderr within {limit:?}: {err}"),
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
fn ctrl_c_mid_take_stops_and_keeps_the_take() {
    let _heavy = common::heavy();
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
    // Kept compact: the capture file is gone once the take is analysed.
    assert!(!session.join("raw.wav").exists());
    let loaded = rehearse::store::load_dir(&session).unwrap();
    let words = loaded.transcript.expect("transcribed after Ctrl-C").text;
    println!("kept {seconds:.1} s after Ctrl-C: {words}");
    assert!(words.split_whitespace().count() >= 8, "{words}");
}

/// Issue 11 §2: `--speak` reads the prompt in the most natural voice
/// installed (Festival's HTS voice here), and the recording starts only
/// after the voice ends: the voice is heard in the room (the sink), never in
/// the take.
#[test]
fn the_prompt_is_read_aloud_before_the_recording_and_not_into_it() {
    let _heavy = common::heavy();
    let dir = TempDir::new("practice-speak");
    let server = PulseServer::start(dir.path());
    // Everything played into the sink, the voice included.
    let heard = dir.path().join("room.wav");
    let mut room = Command::new("parecord")
        .args(["--device=fakesink.monitor", "--file-format=wav"])
        .arg(&heard)
        .envs(server.env())
        .spawn()
        .expect("run parecord (apt-get install pulseaudio-utils)");
    std::thread::sleep(Duration::from_millis(500));
    let take = start_practice(dir.path(), &server, &["--speak", "--max-seconds", "4"]);
    // The most natural voice installed read it, before the recording began.
    let seen = take.seen.take();
    let voice = seen.iter().position(|l| l.starts_with("read aloud by "));
    let recording = seen
        .iter()
        .position(|l| l.contains("recording: answer now"));
    assert!(voice.is_some() && voice < recording, "{seen:#?}");
    assert!(
        seen.contains(&"read aloud by festival (cmu_us_slt_arctic_hts)".to_string()),
        "{seen:#?}"
    );
    let output = take.child.wait_with_output().unwrap();
    let _ = Command::new("kill").arg(room.id().to_string()).status();
    let _ = room.wait();
    assert!(output.status.success(), "{output:?}");

    let room_words = Rehearse::new(&dir.path().join("room"))
        .with_model()
        .run([Path::new("transcribe"), &heard]);
    room_words.assert_ok();
    let said = room_words.stdout.to_lowercase();
    println!("heard in the room: {said}");
    assert!(
        said.contains("bug") && said.contains("root cause"),
        "the prompt was read aloud: {said}"
    );
    let data = dir.path().join("data");
    let loaded = Store::open(&data).unwrap().load("last").unwrap();
    let take_words = loaded.transcript.map(|t| t.text).unwrap_or_default();
    println!("in the take: {take_words:?}");
    assert!(
        !take_words.to_lowercase().contains("bug"),
        "the voice is not in the take: {take_words}"
    );
}

#[test]
fn kill_9_mid_take_leaves_a_wav_that_analyse_recovers() {
    let _heavy = common::heavy();
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

    // The take is the raw capture until it is analysed. Its header was last
    // rewritten at a flush, at most about a second ago.
    let readable_before = wav_seconds(&session.join("raw.wav"));
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
    let recovered = wav_seconds(&session.join("raw.wav"));
    println!("kill -9 after ~10 s: {readable_before:.2} s readable, {recovered:.2} s after repair");
    assert!(recovered > readable_before && recovered < 16.0);

    let run = Rehearse::new(&data)
        .with_model()
        .run(["analyse", "--session", "last"]);
    run.assert_ok();
    let loaded = Store::open(&data).unwrap().load("last").unwrap();
    assert_eq!(loaded.session.status.name(), "analysed");
    // Once analysed, the take is stored compact and the capture is gone.
    assert_eq!(loaded.session.audio_file, "answer.wav");
    assert!(!session.join("raw.wav").exists());
    let compact = wav_seconds(&session.join("answer.wav"));
    assert!(
        (compact - recovered).abs() < 0.01,
        "{compact} vs {recovered}"
    );
    let words = loaded.transcript.unwrap().text;
    assert!(words.split_whitespace().count() >= 10, "{words}");
}

/// Corpus answers played into `practice`: three engines, eight voices. Most go
/// through the sample-exact ALSA file device (faster than real time); the
/// paced ones through PulseAudio in real time, as a microphone would.
const LIVE_SET: [(&str, Mic); 8] = [
    ("05-memory-leak", Mic::File),            // espeak-ng en-us+f2
    ("21-personal-data-in-logs", Mic::File),  // espeak-ng en-gb-x-rp+f3
    ("29-feature-flag-cleanup", Mic::File),   // flite awb
    ("28-slow-build-cache", Mic::File),       // flite rms
    ("34-one-click-rollback", Mic::File),     // festival ked_diphone
    ("36-accessibility-checkout", Mic::File), // festival cmu_us_slt_arctic_hts
    ("27-refund-emails", Mic::Paced),         // flite slt
    ("33-idle-test-clusters", Mic::Paced),    // festival kal_diphone
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Mic {
    File,
    Paced,
}

/// One answer: what `practice` made of it live, and `analyse` of the file.
struct LiveVsFile {
    live: String,
    file: String,
    /// `analyse` of the take's own WAV, where it is not the played file's samples.
    recorded: Option<String>,
    report_after_stop_s: Option<f64>,
}

fn read_i16(path: &Path) -> Vec<i16> {
    hound::WavReader::open(path)
        .expect("open wav")
        .into_samples::<i16>()
        .collect::<Result<_, _>>()
        .expect("16-bit samples")
}

fn transcript_of_last_take(data: &Path) -> String {
    let loaded = Store::open(data).unwrap().load("last").unwrap();
    assert_eq!(loaded.session.status.name(), "analysed");
    loaded.transcript.expect("a saved transcript").text
}

fn analyse_file(data: &Path, wav: &Path) -> String {
    let run = Rehearse::new(data).with_model().run([
        std::ffi::OsStr::new("analyse"),
        wav.as_os_str(),
        std::ffi::OsStr::new("--json"),
    ]);
    run.assert_ok();
    let analysis: serde_json::Value = serde_json::from_str(&run.stdout).expect("analysis JSON");
    analysis["transcript"]
        .as_str()
        .expect("a transcript")
        .to_string()
}

fn stop_to_report_s(stderr: &str) -> Option<f64> {
    let line = stderr.lines().find(|l| l.contains("report ready"))?;
    line.split_whitespace()
        .skip_while(|w| *w != "ready")
        .nth(1)?
        .parse()
        .ok()
}

/// The ALSA file device: the very samples of the file, as fast as they can be read.
fn through_file_mic(stem: &str) -> LiveVsFile {
    let dir = TempDir::new("live-file");
    let data = dir.path().join("data");
    let mut samples = read_i16(&corpus_wav(stem));
    // A second of silence after the answer, as when a speaker stops and
    // presses Enter; the take ends there, before the device runs dry.
    samples.resize(samples.len() + 16_000, 0);
    let played = dir.path().join("played.wav");
    fake_mic::write_wav_16k(&played, &samples);
    let mut raw = samples.clone();
    raw.resize(raw.len() + 32_000, 0);
    let raw_path = dir.path().join("mic.raw");
    fake_mic::write_raw(&raw_path, &raw);
    fake_mic::install_file_mic(&data, &raw_path);
    let seconds = format!("{}", samples.len() as f64 / 16_000.0);
    let run = Rehearse::new(&data).with_model().run([
        "practice",
        "--prompt",
        "dive-deep-hardest-bug",
        "--max-seconds",
        &seconds,
    ]);
    run.assert_ok();
    assert!(run.stdout.contains("Follow-up: "), "{run:#?}");
    LiveVsFile {
        live: transcript_of_last_take(&data),
        file: analyse_file(&data, &played),
        recorded: None,
        report_after_stop_s: stop_to_report_s(&run.stderr),
    }
}

/// PulseAudio: played in real time into the default source, after a second
/// of silence (a speaker does not start on the first sample, and an idle sink
/// drops its first ~130 ms); stopped with Ctrl-C a moment after the answer.
fn through_paced_mic(stem: &str) -> LiveVsFile {
    let dir = TempDir::new("live-paced");
    let server = PulseServer::start(dir.path());
    let mut samples = vec![0; 16_000];
    samples.extend(read_i16(&corpus_wav(stem)));
    let played = dir.path().join("played.wav");
    fake_mic::write_wav_16k(&played, &samples);
    let take = start_practice(dir.path(), &server, &[]);
    let mut player = play(&server, &played);
    let _ = player.wait();
    std::thread::sleep(Duration::from_millis(1500));
    take.signal("-INT");
    let line = take.wait_for_line("recorded", Duration::from_secs(10));
    assert!(line.contains("stopped by you"), "{line}");
    let report = take.wait_for_line("report ready", Duration::from_mins(4));
    let output = take.child.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("Follow-up: "), "{stdout}");
    let data = dir.path().join("data");
    let recorded = only_session(&data).join("answer.wav");
    LiveVsFile {
        live: transcript_of_last_take(&data),
        file: analyse_file(&data, &played),
        recorded: Some(analyse_file(&data, &recorded)),
        report_after_stop_s: stop_to_report_s(&report),
    }
}

/// A sentence of three words or more said twice in a row: a decode that looped.
fn repeated_sentence(text: &str) -> Option<String> {
    let sentences: Vec<String> = text
        .split(['.', '!', '?'])
        .map(|s| {
            s.split_whitespace()
                .map(|w| {
                    w.trim_matches(|c: char| !c.is_alphanumeric())
                        .to_lowercase()
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|s| !s.is_empty())
        .collect();
    sentences
        .windows(2)
        .find(|pair| pair[0] == pair[1] && pair[0].split(' ').count() >= 3)
        .map(|pair| pair[0].clone())
}

/// The file-device answers: the very samples of the file, so the very words.
#[test]
fn live_takes_transcribe_like_the_same_audio_as_a_file() {
    compare_live_with_file(Mic::File);
}

/// The paced answers, in real time.
#[test]
fn paced_live_takes_transcribe_like_the_same_audio_as_a_file() {
    compare_live_with_file(Mic::Paced);
}

fn compare_live_with_file(which: Mic) {
    let _heavy = common::heavy();
    let mut rows = Vec::new();
    for (stem, mic) in LIVE_SET.into_iter().filter(|(_, mic)| *mic == which) {
        let result = match mic {
            Mic::File => through_file_mic(stem),
            Mic::Paced => through_paced_mic(stem),
        };
        let script = corpus_script(stem);
        let live = word_error_rate(&script, &result.live).wer;
        let file = word_error_rate(&script, &result.file).wer;
        let recorded = result
            .recorded
            .as_ref()
            .map(|text| word_error_rate(&script, text).wer);
        println!(
            "{stem:<28} {mic:?}  WER live {:5.1} %  file {:5.1} %  difference {:+5.1} points  recorded take as a file {}  stop to report {}",
            live * 100.0,
            file * 100.0,
            (live - file) * 100.0,
            recorded.map_or("n/a (the file's samples)".to_string(), |r| format!(
                "{:5.1} %",
                r * 100.0
            )),
            match (mic, result.report_after_stop_s) {
                // Unpaced, the whole take arrives at once: all of it is decoded after the stop.
                (Mic::File, _) => "n/a (unpaced)".to_string(),
                (Mic::Paced, Some(s)) => format!("{s:.2} s"),
                (Mic::Paced, None) => "?".to_string(),
            }
        );
        let texts = [
            Some(&result.live),
            Some(&result.file),
            result.recorded.as_ref(),
        ];
        for text in texts.into_iter().flatten() {
            assert!(
                repeated_sentence(text).is_none(),
                "{stem} repeats \"{}\": {text}",
                repeated_sentence(text).unwrap_or_default()
            );
        }
        rows.push((stem, mic, live, file, result));
    }
    for (stem, mic, live, file, result) in &rows {
        // The live path and the file path on the very same samples.
        if let Some(recorded) = &result.recorded {
            assert_eq!(&result.live, recorded, "{stem}: live vs its own WAV");
        }
        let limit = match mic {
            // The same samples: the same words.
            Mic::File => 0.0,
            // The played samples arrive whole, after a silence of a length of
            // their own; PulseAudio could drop some under load.
            Mic::Paced => 0.01,
        };
        assert!(
            (live - file).abs() <= limit + 1e-9,
            "{stem}: live WER {live:.3} vs file {file:.3}\nlive: {}\nfile: {}",
            result.live,
            result.file
        );
    }
}

/// A small deterministic generator for the interrupt moments (seeded from the
/// clock and printed, so a failure can be replayed with REHEARSE_SEED).
struct Moments(u64);

impl Moments {
    fn next_ms(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

/// Ctrl-C at random moments of `practice` (while loading, recording,
/// transcribing after the stop, analysing), once or twice: the process
/// always exits by itself with 130, or 0 when the take was finished, never
/// by a signal, and whatever was recorded is kept.
#[test]
fn ctrl_c_at_any_moment_never_crashes() {
    use std::os::unix::process::ExitStatusExt;

    const TRIES: usize = 30;
    let seed = std::env::var("REHEARSE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        });
    println!("interrupt moments seeded with REHEARSE_SEED={seed}");
    let _heavy = common::heavy();
    let mut moments = Moments(seed);

    let dir = TempDir::new("interrupts");
    let data = dir.path().join("data");
    // A 20 s answer on the unpaced file device: recording is over in a
    // moment, transcribing it takes a few seconds, so the moments below
    // cover every stage.
    let mut samples = read_i16(&corpus_wav("05-memory-leak"));
    samples.truncate(20 * 16_000);
    samples.resize(samples.len() + 32_000, 0);
    let raw = dir.path().join("mic.raw");
    fake_mic::write_raw(&raw, &samples);
    fake_mic::install_file_mic(&data, &raw);

    let mut outcomes = std::collections::BTreeMap::new();
    for attempt in 0..TRIES {
        let sessions_before = Store::open(&data).map_or(0, |s| s.list().sessions.len());
        let child = Command::new(env!("CARGO_BIN_EXE_rehearse"))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", data.join("home"))
            .env("REHEARSE_DATA_DIR", &data)
            .env("REHEARSE_CONFIG_DIR", data.join("config"))
            .env("REHEARSE_MODEL", model_path())
            .env("NO_COLOR", "1")
            .args([
                "practice",
                "--prompt",
                "dive-deep-hardest-bug",
                "--max-seconds",
                "20",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run rehearse practice");
        let first_ms = moments.next_ms(6_000);
        let second_ms = match moments.next_ms(3) {
            0 => None,
            _ => Some(moments.next_ms(1_500)),
        };
        std::thread::sleep(Duration::from_millis(first_ms));
        let interrupt = |child: &Child| {
            let _ = Command::new("kill")
                .args(["-INT", &child.id().to_string()])
                .status();
        };
        interrupt(&child);
        if let Some(after_ms) = second_ms {
            std::thread::sleep(Duration::from_millis(after_ms));
            interrupt(&child);
        }
        let output = child.wait_with_output().expect("wait for practice");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.signal(),
            None,
            "attempt {attempt} (Ctrl-C at {first_ms} ms, second {second_ms:?}) ended by a signal: {stderr}"
        );
        let code = output.status.code().unwrap_or(-1);
        assert!(
            code == 0 || code == 130,
            "attempt {attempt}: exit {code}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        let sessions_after = Store::open(&data).map_or(0, |s| s.list().sessions.len());
        if stderr.contains("recorded ") && !stderr.contains("nothing was kept") {
            assert_eq!(
                sessions_after,
                sessions_before + 1,
                "a take was lost: {stderr}"
            );
        } else {
            assert_eq!(sessions_after, sessions_before, "a stub was left: {stderr}");
        }
        *outcomes.entry(code).or_insert(0) += 1;
    }
    println!("{TRIES} interrupted takes: exit codes {outcomes:?}, none by a signal");
}
