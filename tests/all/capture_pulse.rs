//! Capture through the real cpal/ALSA path from a private PulseAudio null sink's monitor:
//! paced in real time, so levels, auto-stop and recording length behave as with a microphone.
//! The test signal is played into the sink with `paplay` once the first level arrives.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common;
use crate::fake_mic::{self, PulseServer, TempDir};
use rehearse::capture::{self, CaptureEvent, CaptureOptions, FormatChoice, StopReason};

const SILENCE_STOP_S: f64 = 1.5;
const PID_VAR: &str = "REHEARSE_TEST_PULSE_PID";

/// The parent half of each test: a private server, and the child that records from it, under
/// the heavy-test guard (they measure real-time behaviour on a 2-core machine).
fn run_with_pulse(test: &str, tag: &str) {
    let _heavy = common::heavy();
    let dir = TempDir::new(tag);
    fake_mic::write_wav_16k(&dir.path().join("source.wav"), &fake_mic::test_signal());
    let server = PulseServer::start(dir.path());
    let mut env = server.env();
    env.push((PID_VAR.to_string(), server.pid().to_string()));
    fake_mic::run_child(test, dir.path(), &env);
    drop(server);
}

fn play(path: &std::path::Path) -> Child {
    Command::new("paplay")
        .arg("--device=fakesink")
        .arg(path)
        .stdin(Stdio::null())
        .spawn()
        .expect("run paplay (apt-get install pulseaudio-utils)")
}

/// Record while the source plays, until silence stops the take; check pacing, levels,
/// auto-stop and that the recording is the source.
fn paced_take(dir: &std::path::Path, format: FormatChoice, label: &str) {
    let source_path = dir.join("source.wav");
    let (source, source_rate) = fake_mic::read_mono(&source_path);
    assert_eq!(source_rate, fake_mic::RATE_HZ);
    let source_ms = source.len() as u64 * 1000 / u64::from(source_rate);
    let wav = dir.join(format!("{label}.wav"));
    let options = CaptureOptions {
        format,
        stop_after_silence_s: Some(SILENCE_STOP_S),
        max_seconds: Some(60.0),
        ..CaptureOptions::default()
    };
    let t0 = Instant::now();
    let cap = capture::start(&options, &wav).expect("start capture");
    let t1 = Instant::now();
    let start_ms = t1.duration_since(t0).as_millis();
    let rate = cap.sample_rate();
    println!(
        "{label}: start() took {start_ms} ms; recording at {rate} Hz, {} ch; source {source_ms} ms ({})",
        cap.channels(),
        fake_mic::speech_source()
    );

    let mut player: Option<(Child, Instant)> = None;
    let mut play_ended: Option<Instant> = None;
    let mut level_times: Vec<Instant> = Vec::new();
    let mut audio_frames: u64 = 0;
    let mut first_level_ms = 0;
    let mut loudest = f32::MIN;
    let reason = loop {
        let event = cap
            .events()
            .recv_timeout(Duration::from_secs(10))
            .expect("an event at least every 10 s");
        if let Some((child, _)) = player.as_mut()
            && play_ended.is_none()
            && child.try_wait().expect("paplay status").is_some()
        {
            play_ended = Some(Instant::now());
        }
        match event {
            CaptureEvent::Level {
                elapsed_ms,
                rms_dbfs,
                ..
            } => {
                level_times.push(Instant::now());
                loudest = loudest.max(rms_dbfs);
                if player.is_none() {
                    first_level_ms = elapsed_ms;
                    player = Some((play(&source_path), Instant::now()));
                }
            }
            CaptureEvent::Audio { mono, sample_rate } => {
                assert_eq!(sample_rate, rate);
                audio_frames += mono.len() as u64;
            }
            CaptureEvent::Stopped(reason) => break reason,
        }
    };
    let stopped_at = Instant::now();
    let ended_before_stop = play_ended.is_some();
    let rec = cap.stop().expect("stop");
    let (mut child, play_started) = player.expect("playback started");
    let status = child.wait().expect("paplay");
    assert!(status.success(), "paplay failed: {status}");
    let play_ended = play_ended.unwrap_or(stopped_at);

    let wall_ms = stopped_at.duration_since(t1).as_millis() as u64;
    let max_gap_ms = level_times
        .windows(2)
        .map(|w| w[1].duration_since(w[0]).as_millis() as u64)
        .max()
        .unwrap_or(u64::MAX);
    let after_play_ms = stopped_at.duration_since(play_ended).as_millis() as u64;
    let (recorded, recorded_rate) = fake_mic::read_mono(&wav);
    let factor = (recorded_rate / source_rate) as usize;
    let (corr, offset) = fake_mic::best_alignment(&source, &recorded, factor);
    let offset_ms = offset as u64 * 1000 / u64::from(recorded_rate);
    let local = fake_mic::local_offsets(&source, &recorded, factor, offset, 50 * factor);
    println!("{label}: per-second (offset shift, correlation): {local:?}");
    let play_started_ms = play_started.duration_since(t1).as_millis() as u64;
    println!(
        "{label}: {} frames = {} ms of audio in {wall_ms} ms wall clock since start() returned; reason {:?}; first level at {first_level_ms} ms; \
         {} level events, max gap {max_gap_ms} ms; loudest {loudest:.1} dBFS; stop {after_play_ms} ms after playback ended; \
         xruns {}, dropped {}",
        rec.frames,
        rec.duration_ms,
        rec.stop_reason,
        level_times.len(),
        rec.xruns,
        rec.dropped_frames
    );
    println!(
        "{label}: correlation with the source {corr:.4} at offset {offset_ms} ms into the recording \
         (paplay launched {play_started_ms} ms after start() returned)"
    );

    assert_eq!(reason, StopReason::Silence);
    assert_eq!(rec.stop_reason, StopReason::Silence);
    assert_eq!(rec.sample_rate, recorded_rate);
    assert_eq!(rec.frames, recorded.len() as u64);
    assert_eq!(
        audio_frames, rec.frames,
        "every frame was forwarded as audio"
    );
    assert_eq!(rec.dropped_frames, 0);
    // Paced: from the first level on, audio accrues at wall-clock speed. (Before it, the
    // idle null sink hands its monitor ~2 s blocks; that start-up lag is the test bed's.)
    let first_level_at = level_times[0];
    let paced_ms = stopped_at.duration_since(first_level_at).as_millis() as u64;
    let audio_after_first_ms = rec.duration_ms - first_level_ms;
    println!(
        "{label}: first level {} ms after start() returned; then {audio_after_first_ms} ms of audio in {paced_ms} ms wall clock",
        first_level_at.duration_since(t1).as_millis()
    );
    assert!(
        first_level_at.duration_since(t1) < Duration::from_secs(4),
        "first level took too long"
    );
    assert!(
        audio_after_first_ms + 400 >= paced_ms && audio_after_first_ms <= paced_ms + 400,
        "{audio_after_first_ms} ms of audio in {paced_ms} ms"
    );
    assert!(
        rec.duration_ms >= source_ms,
        "the whole source was recorded"
    );
    assert!(
        max_gap_ms <= 300,
        "levels should arrive about every 100 ms, max gap {max_gap_ms} ms"
    );
    // Silence auto-stop fires once playback is over (paplay exits about when the sink has
    // played the last sample), within about the configured silence.
    let silence_ms = (SILENCE_STOP_S * 1000.0) as u64;
    assert!(
        ended_before_stop,
        "auto-stop fired while the source was still playing"
    );
    assert!(
        after_play_ms <= silence_ms + 1500,
        "stopped {after_play_ms} ms after playback ended"
    );
    assert!(corr > 0.95, "correlation {corr:.4} too low");
    // After playback's first second (whose start PulseAudio clips), every second lines up
    // at the same offset: no gaps, repeats or drift in the capture path.
    for (second, &(shift, c)) in local.iter().enumerate().skip(1) {
        assert!(
            shift == 0 && c > 0.99,
            "second {second}: shift {shift}, correlation {c:.4}"
        );
    }
}

#[test]
fn pulse_default_format_records_paced_and_stops_on_silence() {
    const TEST: &str = "pulse_default_format_records_paced_and_stops_on_silence";
    let test = &fake_mic::test_name(module_path!(), TEST);
    if let Some(dir) = fake_mic::child_dir(test) {
        paced_take(&dir, FormatChoice::DeviceDefault, "pulse default");
        return;
    }
    run_with_pulse(test, "capture-pulse-default");
}

#[test]
fn pulse_16k_mono_records_paced_and_stops_on_silence() {
    const TEST: &str = "pulse_16k_mono_records_paced_and_stops_on_silence";
    let test = &fake_mic::test_name(module_path!(), TEST);
    if let Some(dir) = fake_mic::child_dir(test) {
        let format = FormatChoice::Exact {
            sample_rate: 16_000,
            channels: 1,
        };
        paced_take(&dir, format, "pulse 16k mono");
        return;
    }
    run_with_pulse(test, "capture-pulse-16k");
}

/// The sound server dies mid-take: the take ends with `DeviceError` and keeps its audio.
#[test]
fn device_lost_mid_take_keeps_the_audio() {
    const TEST: &str = "device_lost_mid_take_keeps_the_audio";
    let test = &fake_mic::test_name(module_path!(), TEST);
    if let Some(dir) = fake_mic::child_dir(test) {
        let pid = std::env::var(PID_VAR).expect("server pid");
        let wav = dir.join("lost.wav");
        let cap = capture::start(&CaptureOptions::default(), &wav).expect("start capture");
        let t0 = Instant::now();
        let mut killed_at: Option<Instant> = None;
        let mut audio_ms_at_kill = 0;
        let reason = loop {
            let event = cap
                .events()
                .recv_timeout(Duration::from_secs(15))
                .expect("the lost device must be reported within 15 s");
            match event {
                CaptureEvent::Level { elapsed_ms, .. }
                    if killed_at.is_none() && elapsed_ms >= 1000 =>
                {
                    let status = Command::new("kill")
                        .args(["-9", &pid])
                        .status()
                        .expect("kill");
                    assert!(status.success());
                    killed_at = Some(Instant::now());
                    audio_ms_at_kill = elapsed_ms;
                }
                CaptureEvent::Stopped(reason) => break reason,
                _ => {}
            }
        };
        let reported_after = killed_at.map(|k| k.elapsed()).unwrap_or_default();
        let rec = cap.stop().expect("stop keeps the audio");
        println!(
            "device lost: {reason:?} reported {reported_after:?} after the kill (killed {:?} after start() returned); kept {} ms (had {audio_ms_at_kill} ms at the kill)",
            killed_at.map(|k| k.duration_since(t0)),
            rec.duration_ms
        );
        let StopReason::DeviceError(msg) = &reason else {
            panic!("expected a device error, got {reason:?}");
        };
        assert!(
            msg.ends_with("check its connection, or pick another with `rehearse devices`"),
            "{msg}"
        );
        assert_eq!(rec.stop_reason, reason);
        assert!(rec.duration_ms >= audio_ms_at_kill);
        let reader = hound::WavReader::open(&wav).expect("the kept WAV is valid");
        assert_eq!(
            u64::from(reader.duration()),
            rec.frames,
            "the header covers all kept audio"
        );
        return;
    }
    run_with_pulse(test, "capture-pulse-lost");
}
