//! Capture through the real cpal/ALSA path with the ALSA `file` plugin as the microphone:
//! sample-exact, but not paced (audio arrives far faster than real time), so takes stop by
//! frame count. Each test runs its recording in a child process with a private ALSA config.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::fake_mic::{self, TempDir};
use rehearse::capture::{
    self, CaptureError, CaptureEvent, CaptureOptions, FormatChoice, StopReason, repair_wav,
};

fn native_16k_mono() -> FormatChoice {
    FormatChoice::Exact {
        sample_rate: fake_mic::RATE_HZ,
        channels: 1,
    }
}

/// Inject the test signal as the ALSA default capture device.
fn setup_file_mic(tag: &str) -> (TempDir, Vec<i16>) {
    let dir = TempDir::new(tag);
    let signal = fake_mic::test_signal();
    let raw = dir.path().join("mic.raw");
    fake_mic::write_raw(&raw, &signal);
    fake_mic::install_file_mic(dir.path(), &raw);
    (dir, signal)
}

fn read_raw(dir: &Path) -> Vec<i16> {
    std::fs::read(dir.join("mic.raw"))
        .expect("read raw")
        .chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]))
        .collect()
}

fn read_i16(path: &Path) -> Vec<i16> {
    let reader = hound::WavReader::open(path).expect("open wav");
    assert_eq!(reader.spec().bits_per_sample, 16);
    reader
        .into_samples::<i16>()
        .collect::<Result<_, _>>()
        .expect("read samples")
}

fn first_mismatch(a: &[i16], b: &[i16]) -> Option<usize> {
    a.iter().zip(b).position(|(x, y)| x != y)
}

#[test]
fn recorded_samples_are_identical_to_injected() {
    const TEST: &str = "recorded_samples_are_identical_to_injected";
    let test = &fake_mic::test_name(module_path!(), TEST);
    if let Some(dir) = fake_mic::child_dir(test) {
        let injected = read_raw(&dir);
        let wav = dir.join("take.wav");
        let options = CaptureOptions {
            format: native_16k_mono(),
            max_frames: Some(injected.len() as u64),
            forward_audio: false,
            ..CaptureOptions::default()
        };
        let started = Instant::now();
        let cap = capture::start(&options, &wav).expect("start capture");
        assert_eq!((cap.sample_rate(), cap.channels()), (16_000, 1));
        let mut levels = 0;
        let reason = loop {
            match cap.events().recv_timeout(Duration::from_secs(30)) {
                Ok(CaptureEvent::Stopped(reason)) => break reason,
                Ok(CaptureEvent::Level { .. }) => levels += 1,
                Ok(CaptureEvent::Audio { .. }) => panic!("audio forwarding was switched off"),
                Err(e) => panic!("no stop within 30 s: {e}"),
            }
        };
        let rec = cap.stop().expect("stop");
        println!(
            "file plugin: {} frames injected ({}), recorded {} frames in {:?} wall clock, {} level events, reason {:?}, xruns {}, dropped {}",
            injected.len(),
            fake_mic::speech_source(),
            rec.frames,
            started.elapsed(),
            levels,
            rec.stop_reason,
            rec.xruns,
            rec.dropped_frames
        );
        assert_eq!(reason, StopReason::MaxDuration);
        assert_eq!(rec.stop_reason, StopReason::MaxDuration);
        assert_eq!(rec.frames, injected.len() as u64);
        assert_eq!(rec.dropped_frames, 0);
        assert_eq!(rec.duration_ms, injected.len() as u64 * 1000 / 16_000);
        assert_eq!(
            levels,
            injected.len() / 1600,
            "one level per 100 ms of audio"
        );
        let recorded = read_i16(&wav);
        assert_eq!(recorded.len(), injected.len());
        assert_eq!(
            first_mismatch(&recorded, &injected),
            None,
            "recording differs from the injected samples"
        );
        println!("file plugin: all {} samples identical", recorded.len());
        return;
    }
    let (dir, _) = setup_file_mic("capture-identical");
    fake_mic::run_child(test, dir.path(), &[]);
}

/// The WAV is valid while the take runs, and after `kill -9` the header is repaired from the
/// file length and everything up to the kill reads back.
#[test]
fn wav_is_readable_mid_take_and_repairable_after_kill() {
    const TEST: &str = "wav_is_readable_mid_take_and_repairable_after_kill";
    let test = &fake_mic::test_name(module_path!(), TEST);
    if let Some(dir) = fake_mic::child_dir(test) {
        let options = CaptureOptions {
            format: native_16k_mono(),
            flush_every_ms: 100,
            forward_audio: false,
            ..CaptureOptions::default()
        };
        let cap = capture::start(&options, &dir.join("take.wav")).expect("start capture");
        // Drain events until the parent kills this process.
        let deadline = Instant::now() + Duration::from_mins(1);
        while Instant::now() < deadline {
            let _ = cap.events().recv_timeout(Duration::from_millis(50));
        }
        panic!("the parent should have killed this child");
    }
    let (dir, injected) = setup_file_mic("capture-kill");
    let wav = dir.path().join("take.wav");
    let mut child = fake_mic::spawn_child(test, dir.path(), &[]);
    let child = &mut child.0;

    // Mid-take: wait until a flush has made at least 2 s of audio visible, and read it.
    let want = 2 * fake_mic::RATE_HZ as usize;
    let deadline = Instant::now() + Duration::from_secs(30);
    let mid_take = loop {
        let readable = hound::WavReader::open(&wav)
            .ok()
            .filter(|r| r.len() as usize >= want)
            .and_then(|r| r.into_samples::<i16>().collect::<Result<Vec<_>, _>>().ok());
        if let Some(samples) = readable {
            break samples;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("recording child exited early: {status}");
        }
        assert!(
            Instant::now() < deadline,
            "no readable WAV with 2 s of audio within 30 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(
        child.try_wait().expect("child status").is_none(),
        "the take should still be running while its WAV is read"
    );
    let n = mid_take.len().min(injected.len());
    assert_eq!(first_mismatch(&mid_take[..n], &injected[..n]), None);
    println!(
        "mid-take read: {} samples, first {n} match the injected signal",
        mid_take.len()
    );

    child.kill().expect("kill -9 the recorder");
    child.wait().expect("reap");
    let header_frames = hound::WavReader::open(&wav).map_or(0, |r| r.len());
    let file_bytes = std::fs::metadata(&wav).expect("wav exists").len();

    let outcome = repair_wav(&wav).expect("repair");
    println!(
        "after kill: header said {header_frames} frames, file {file_bytes} bytes; repaired {outcome:?}"
    );
    assert!(outcome.frames >= u64::from(header_frames));
    assert!(outcome.frames >= mid_take.len() as u64);
    assert!(outcome.frames * 2 + 44 >= file_bytes - 1);
    let repaired = read_i16(&wav);
    assert_eq!(repaired.len() as u64, outcome.frames);
    // Everything seen mid-take is still there, unchanged. (Past that the unpaced fake mic
    // outruns any writer, so later audio may have gaps, which `dropped_frames` would report.)
    assert_eq!(repaired[..mid_take.len()], mid_take[..]);
    // A second repair finds nothing to do.
    assert!(!repair_wav(&wav).expect("repair again").fixed);
}

#[test]
fn devices_are_listed_and_picked_by_name() {
    const TEST: &str = "devices_are_listed_and_picked_by_name";
    let test = &fake_mic::test_name(module_path!(), TEST);
    if let Some(dir) = fake_mic::child_dir(test) {
        let devices = capture::list_input_devices().expect("list devices");
        for d in &devices {
            println!("device: {d:?}");
        }
        let mic = devices
            .iter()
            .find(|d| d.id == "fakemic")
            .expect("fakemic is listed");
        assert_eq!(mic.name, "Fake microphone (raw file)");
        assert!(mic.default_config.is_some());
        assert_eq!(devices.iter().filter(|d| d.is_default).count(), 1);
        assert!(devices[0].is_default && devices[0].default_config.is_some());

        let missing = CaptureOptions {
            device: Some("no such mic".to_string()),
            ..CaptureOptions::default()
        };
        let err = capture::start(&missing, &dir.join("x.wav"))
            .err()
            .expect("unknown device must fail");
        let msg = err.to_string();
        println!("unknown device: {msg}");
        assert!(
            matches!(err, CaptureError::DeviceNotFound { .. }),
            "{err:?}"
        );
        assert!(
            msg.contains("`no such mic`") && msg.contains("fakemic"),
            "{msg}"
        );
        assert!(
            msg.ends_with("pick one listed by `rehearse devices`"),
            "{msg}"
        );
        assert!(!dir.join("x.wav").exists());

        // By name, not default: a short take of the injected signal.
        let injected = read_raw(&dir);
        let by_name = CaptureOptions {
            device: Some("Fake microphone (raw file)".to_string()),
            format: native_16k_mono(),
            max_frames: Some(1600),
            forward_audio: false,
            ..CaptureOptions::default()
        };
        let wav = dir.join("named.wav");
        let cap = capture::start(&by_name, &wav).expect("start by name");
        let stopped = cap
            .events()
            .iter()
            .find(|e| matches!(e, CaptureEvent::Stopped(_)));
        assert_eq!(
            stopped,
            Some(CaptureEvent::Stopped(StopReason::MaxDuration))
        );
        let rec = cap.stop().expect("stop");
        assert_eq!(rec.frames, 1600);
        assert_eq!(read_i16(&wav), injected[..1600].to_vec());
        return;
    }
    let (dir, _) = setup_file_mic("capture-names");
    fake_mic::run_child(test, dir.path(), &[]);
}

#[test]
fn no_microphone_is_a_clear_error() {
    const TEST: &str = "no_microphone_is_a_clear_error";
    let test = &fake_mic::test_name(module_path!(), TEST);
    if let Some(dir) = fake_mic::child_dir(test) {
        // Listing must not fail or panic either; it may be empty.
        let devices = capture::list_input_devices().expect("list devices");
        println!("devices with a broken default: {devices:?}");
        let wav = dir.join("take.wav");
        let err = capture::start(&CaptureOptions::default(), &wav)
            .err()
            .expect("start without a microphone must fail");
        let msg = err.to_string();
        println!("no microphone: {msg}");
        assert!(matches!(err, CaptureError::NoMicrophone { .. }), "{err:?}");
        assert!(msg.starts_with("no microphone found ("), "{msg}");
        assert!(
            msg.ends_with(
                "plug one in, pick one with `rehearse devices`, or analyse a recording with `rehearse analyse FILE.wav`"
            ),
            "{msg}"
        );
        assert!(!wav.exists(), "no empty WAV is left behind");
        return;
    }
    let dir = TempDir::new("capture-nomic");
    fake_mic::install_broken_default(dir.path());
    fake_mic::run_child(test, dir.path(), &[]);
}

/// `stop()` right after `start()` is fine, and a `Capture` dropped without `stop()` still
/// leaves a finalised WAV.
#[test]
fn stop_at_once_and_drop_both_finalise_the_wav() {
    const TEST: &str = "stop_at_once_and_drop_both_finalise_the_wav";
    let test = &fake_mic::test_name(module_path!(), TEST);
    if let Some(dir) = fake_mic::child_dir(test) {
        let injected = read_raw(&dir);
        let options = CaptureOptions {
            format: native_16k_mono(),
            forward_audio: false,
            ..CaptureOptions::default()
        };
        let quick = dir.join("quick.wav");
        let rec = capture::start(&options, &quick)
            .expect("start")
            .stop()
            .expect("immediate stop");
        println!("immediate stop: {rec:?}");
        assert_eq!(rec.stop_reason, StopReason::User);
        assert_eq!(read_i16(&quick).len() as u64, rec.frames);
        assert!(!repair_wav(&quick).expect("check header").fixed);

        let dropped = dir.join("dropped.wav");
        let cap = capture::start(&options, &dropped).expect("start");
        // Unpaced: a few levels arrive almost at once.
        for _ in 0..5 {
            let event = cap.events().recv_timeout(Duration::from_secs(10));
            assert!(event.is_ok(), "no events: {event:?}");
        }
        drop(cap);
        let samples = read_i16(&dropped);
        println!("dropped capture: {} frames finalised", samples.len());
        assert!(samples.len() >= 5 * 1600);
        assert!(
            !repair_wav(&dropped).expect("check header").fixed,
            "header matches the data"
        );
        let n = samples.len().min(injected.len());
        assert_eq!(first_mismatch(&samples[..n], &injected[..n]), None);
        return;
    }
    let (dir, _) = setup_file_mic("capture-drop");
    fake_mic::run_child(test, dir.path(), &[]);
}
