//! The writer thread: drains the callback's chunks into the WAV, meters the level, decides
//! auto-stops and forwards mono audio. Knows nothing about cpal.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::level::LevelMeter;
use super::repair::repair_wav;
use super::wav_sink::{WavSample, WavSink};
use super::{CaptureError, CaptureEvent, CaptureOptions, Recording, StopReason};
use crate::audio::downmix_into;

/// A running stream that delivers nothing for this long is treated as a lost device (a
/// backend can hang instead of reporting an error, e.g. ALSA's pulse plugin when the sound
/// server dies). Batches arrive every 20-250 ms, so this never fires on a healthy device.
const STALL_TIMEOUT: Duration = Duration::from_secs(3);

/// State shared by the audio callback, the error callback, the writer and `Capture`.
#[derive(Debug, Default)]
pub struct Shared {
    /// Set once the take is over: the callback stops sending.
    done: AtomicBool,
    /// Set by `Capture::stop`: the writer drains the queue and returns.
    closing: AtomicBool,
    /// First fatal stream error (device gone, stream invalidated).
    device_error: Mutex<Option<String>>,
    has_device_error: AtomicBool,
    xruns: AtomicU64,
    dropped_frames: AtomicU64,
}

impl Shared {
    pub fn is_done(&self) -> bool {
        self.done.load(Ordering::Relaxed)
    }

    pub fn request_stop(&self) {
        self.done.store(true, Ordering::Relaxed);
    }

    pub fn request_close(&self) {
        self.done.store(true, Ordering::Relaxed);
        self.closing.store(true, Ordering::Release);
    }

    fn is_closing(&self) -> bool {
        self.closing.load(Ordering::Acquire)
    }

    pub fn count_xrun(&self) {
        self.xruns.fetch_add(1, Ordering::Relaxed);
    }

    pub fn count_dropped(&self, frames: u64) {
        self.dropped_frames.fetch_add(frames, Ordering::Relaxed);
    }

    pub fn report_device_error(&self, message: String) {
        if let Ok(mut slot) = self.device_error.lock()
            && slot.is_none()
        {
            *slot = Some(message);
        }
        self.has_device_error.store(true, Ordering::Release);
    }

    fn take_device_error(&self) -> Option<String> {
        if !self.has_device_error.load(Ordering::Acquire) {
            return None;
        }
        let msg = self.device_error.lock().ok().and_then(|mut s| s.take());
        Some(msg.unwrap_or_else(|| "the input device failed".to_string()))
    }
}

/// Everything the writer needs to know about the take.
pub struct WriterConfig {
    pub path: PathBuf,
    pub device: String,
    pub sample_rate: u32,
    pub channels: u16,
    pub limit_frames: Option<u64>,
    pub stop_after_silence_ms: Option<u64>,
    pub silence_threshold_dbfs: f32,
    pub flush_every: Duration,
    pub forward_audio: bool,
}

impl WriterConfig {
    pub fn new(
        options: &CaptureOptions,
        path: &Path,
        device: String,
        sample_rate: u32,
        channels: u16,
    ) -> Self {
        let from_seconds = options
            .max_seconds
            .map(|s| (s.max(0.0) * f64::from(sample_rate)).ceil() as u64);
        let limit_frames = match (from_seconds, options.max_frames) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Self {
            path: path.to_path_buf(),
            device,
            sample_rate,
            channels,
            limit_frames,
            stop_after_silence_ms: options
                .stop_after_silence_s
                .map(|s| (s.max(0.0) * 1000.0).round() as u64),
            silence_threshold_dbfs: options.silence_threshold_dbfs,
            flush_every: Duration::from_millis(options.flush_every_ms.max(10)),
            forward_audio: options.forward_audio,
        }
    }
}

/// Run until the callback's sender is gone (the stream was dropped), then return the take.
pub fn run<S: WavSample>(
    sink: WavSink<S>,
    chunks: Receiver<Vec<S>>,
    recycle: SyncSender<Vec<S>>,
    events: Sender<CaptureEvent>,
    shared: Arc<Shared>,
    cfg: WriterConfig,
) -> Result<Recording, CaptureError> {
    let channels = usize::from(cfg.channels.max(1));
    let mut sink = Some(sink);
    let mut meter = LevelMeter::new(cfg.sample_rate, cfg.silence_threshold_dbfs);
    let mut frames: u64 = 0;
    let mut reason: Option<StopReason> = None;
    let mut write_failed: Option<CaptureError> = None;
    let mut last_flush = Instant::now();
    let mut last_audio = Instant::now();
    let mut mono: Vec<f32> = Vec::new();

    // Ends the take: finalises the file now so it is complete even before `stop()`.
    let end_take = |why: StopReason,
                    sink: &mut Option<WavSink<S>>,
                    reason: &mut Option<StopReason>,
                    write_failed: &mut Option<CaptureError>| {
        shared.request_stop();
        if let Some(s) = sink.take()
            && let Err(e) = s.finalize()
            && write_failed.is_none()
        {
            *write_failed = Some(e);
        }
        if reason.is_none() {
            let _ = events.send(CaptureEvent::Stopped(why.clone()));
            *reason = Some(why);
        }
    };

    loop {
        match chunks.recv_timeout(Duration::from_millis(20)) {
            Ok(chunk) => {
                last_audio = Instant::now();
                if let Some(s) = sink.as_mut() {
                    let mut usable = chunk.len() - chunk.len() % channels;
                    if let Some(limit) = cfg.limit_frames {
                        let left = limit.saturating_sub(frames);
                        usable = usable.min(usize::try_from(left).unwrap_or(usize::MAX) * channels);
                    }
                    let samples = &chunk[..usable];
                    if let Err(e) = s.write(samples) {
                        let msg = e.to_string();
                        write_failed = Some(e);
                        // The sink's buffer cannot be written; drop it and fix the header
                        // from what reached the disk (see below).
                        drop(sink.take());
                        shared.request_stop();
                        let _ =
                            events.send(CaptureEvent::Stopped(StopReason::WriteError(msg.clone())));
                        reason = Some(StopReason::WriteError(msg));
                    } else {
                        frames += (usable / channels) as u64;
                        downmix_into(samples, channels, |s| s.to_f32(), &mut mono);
                        // Audio before the levels it produces, so a consumer that stops at
                        // `Stopped` has seen every recorded frame.
                        if cfg.forward_audio && !mono.is_empty() {
                            let _ = events.send(CaptureEvent::Audio {
                                mono: mono.clone(),
                                sample_rate: cfg.sample_rate,
                            });
                        }
                        for r in meter.push(&mono) {
                            let _ = events.send(CaptureEvent::Level {
                                elapsed_ms: r.elapsed_ms,
                                rms_dbfs: r.rms_dbfs,
                                silent_for_ms: r.silent_for_ms,
                                speech_heard: r.speech_heard,
                            });
                            if let Some(limit_ms) = cfg.stop_after_silence_ms
                                && r.speech_heard
                                && r.silent_for_ms >= limit_ms
                                && reason.is_none()
                            {
                                end_take(
                                    StopReason::Silence,
                                    &mut sink,
                                    &mut reason,
                                    &mut write_failed,
                                );
                            }
                        }
                        if cfg.limit_frames.is_some_and(|l| frames >= l) && reason.is_none() {
                            end_take(
                                StopReason::MaxDuration,
                                &mut sink,
                                &mut reason,
                                &mut write_failed,
                            );
                        }
                    }
                }
                // Hand the buffer back to the callback so it need not allocate.
                let mut chunk = chunk;
                chunk.clear();
                let _ = recycle.try_send(chunk);
            }
            // Nothing queued for 20 ms and the stream is closed (or hung): done.
            Err(RecvTimeoutError::Timeout) if shared.is_closing() => break,
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        let stalled = last_audio.elapsed() >= STALL_TIMEOUT;
        if stalled {
            // Reported once; keeps the loop from re-checking a dead device.
            last_audio = Instant::now();
            if reason.is_none() {
                shared.report_device_error(format!("no audio for {} s", STALL_TIMEOUT.as_secs()));
            }
        }
        if reason.is_none()
            && let Some(msg) = shared.take_device_error()
        {
            let why = StopReason::DeviceError(format!(
                "input device `{}` failed mid-take ({msg}); check its connection, or pick another with `rehearse devices`",
                cfg.device
            ));
            end_take(why, &mut sink, &mut reason, &mut write_failed);
        }
        if last_flush.elapsed() >= cfg.flush_every {
            last_flush = Instant::now();
            if let Some(s) = sink.as_mut()
                && let Err(e) = s.flush()
            {
                let msg = e.to_string();
                write_failed = Some(e);
                drop(sink.take());
                shared.request_stop();
                let _ = events.send(CaptureEvent::Stopped(StopReason::WriteError(msg.clone())));
                reason = Some(StopReason::WriteError(msg));
            }
        }
    }

    if let Some(s) = sink.take()
        && let Err(e) = s.finalize()
        && write_failed.is_none()
    {
        write_failed = Some(e);
    }
    let mut stop_reason = reason.unwrap_or(StopReason::User);
    if let Some(err) = write_failed {
        // Keep what reached the disk: the header may be stale, so rebuild it from the length.
        match repair_wav(&cfg.path) {
            Ok(outcome) => frames = outcome.frames,
            Err(_) => return Err(err),
        }
        if !matches!(stop_reason, StopReason::WriteError(_)) {
            stop_reason = StopReason::WriteError(err.to_string());
        }
    }
    Ok(Recording {
        path: cfg.path,
        sample_rate: cfg.sample_rate,
        channels: cfg.channels,
        frames,
        duration_ms: frames * 1000 / u64::from(cfg.sample_rate.max(1)),
        stop_reason,
        xruns: shared.xruns.load(Ordering::Relaxed),
        dropped_frames: shared.dropped_frames.load(Ordering::Relaxed),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downmix_averages_channels() {
        let mut out = Vec::new();
        downmix_into(&[16384i16, 0, -32768, -32768], 2, |s| s.to_f32(), &mut out);
        assert_eq!(out, vec![0.25, -1.0]);
        downmix_into(&[0.5f32, -0.5], 1, |s| s.to_f32(), &mut out);
        assert_eq!(out, vec![0.5, -0.5]);
    }

    #[test]
    fn limit_is_the_smaller_of_seconds_and_frames() {
        let opts = CaptureOptions {
            max_seconds: Some(1.5),
            max_frames: Some(30_000),
            ..CaptureOptions::default()
        };
        let cfg = WriterConfig::new(&opts, Path::new("x.wav"), "d".into(), 16000, 1);
        assert_eq!(cfg.limit_frames, Some(24_000));
        let opts = CaptureOptions {
            max_frames: Some(100),
            ..CaptureOptions::default()
        };
        let cfg = WriterConfig::new(&opts, Path::new("x.wav"), "d".into(), 16000, 1);
        assert_eq!(cfg.limit_frames, Some(100));
    }
}
