//! Capture stage: records the microphone into a WAV file while reporting levels and
//! forwarding mono audio to consumers.
//!
//! Only `device.rs` names `cpal`. The cpal callback copies samples into a bounded channel
//! of recycled buffers; `writer.rs` runs a thread that writes the WAV as it goes (flushing
//! the header regularly so a crash loses at most about a second), meters the level,
//! detects silence and forwards downmixed audio as [`CaptureEvent`]s.

mod device;
mod level;
mod repair;
mod wav_sink;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::Receiver;
use std::thread::JoinHandle;

use serde::{Deserialize, Serialize};

pub use level::{LevelMeter, MIN_DBFS, rms_dbfs};
pub use repair::{RepairOutcome, repair_wav, repair_wav_bytes};

/// How to pick the stream format.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub enum FormatChoice {
    /// Whatever the device reports as its default input config.
    #[default]
    DeviceDefault,
    /// A specific rate and channel count (the sample format is chosen from what the device offers).
    Exact { sample_rate: u32, channels: u16 },
    /// That rate and channel count when the device offers them, else its default.
    Prefer { sample_rate: u32, channels: u16 },
}

impl FormatChoice {
    /// What the analysis uses, 16 kHz mono: nothing to resample, a small
    /// file, and the very samples a file of the same answer would give.
    pub const SPEECH: FormatChoice = FormatChoice::Prefer {
        sample_rate: 16_000,
        channels: 1,
    };
}

/// What to record and when to stop by itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaptureOptions {
    /// Input device name (as listed by [`list_input_devices`]); `None` for the default input.
    pub device: Option<String>,
    pub format: FormatChoice,
    /// Stop after this much audio.
    pub max_seconds: Option<f64>,
    /// Stop by exact frame count (for unpaced test devices); combined with `max_seconds`
    /// the smaller limit wins. Both report [`StopReason::MaxDuration`].
    pub max_frames: Option<u64>,
    /// Stop after this much continuous silence, but only once speech has been heard.
    pub stop_after_silence_s: Option<f64>,
    /// A 100 ms window quieter than this counts as silence.
    pub silence_threshold_dbfs: f32,
    /// How often the WAV header is rewritten so the file stays readable mid-take.
    pub flush_every_ms: u64,
    /// Send [`CaptureEvent::Audio`] chunks. Turn off if nobody drains the audio, or the
    /// event queue grows with the take.
    pub forward_audio: bool,
}

impl Default for CaptureOptions {
    fn default() -> Self {
        Self {
            device: None,
            format: FormatChoice::DeviceDefault,
            max_seconds: None,
            max_frames: None,
            stop_after_silence_s: None,
            silence_threshold_dbfs: -40.0,
            flush_every_ms: 1000,
            forward_audio: true,
        }
    }
}

/// An input device as the host reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputDevice {
    /// Human-readable name; `start` accepts this or `id`.
    pub name: String,
    /// Host-specific identifier (for ALSA the PCM name, e.g. `default`, `hw:1,0`).
    pub id: String,
    pub is_default: bool,
    /// For example "48000 Hz, 2 ch, f32"; `None` when the device cannot be opened.
    pub default_config: Option<String>,
}

/// Why a take ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum StopReason {
    User,
    MaxDuration,
    Silence,
    /// The device failed or vanished mid-take; the audio up to then is kept. The message
    /// names the device and ends with the fix.
    DeviceError(String),
    /// Writing the WAV failed (disk full, ...); the audio that reached the disk is kept.
    /// The message is a [`CaptureError::WriteWav`]'s.
    WriteError(String),
}

/// Something the capture thread wants the caller to know.
#[derive(Debug, Clone, PartialEq)]
pub enum CaptureEvent {
    /// Sent for every 100 ms of audio.
    Level {
        elapsed_ms: u64,
        rms_dbfs: f32,
        /// Time since the last window louder than the silence threshold.
        silent_for_ms: u64,
        /// Speech has been heard: a silence now is a pause, not a dead microphone.
        speech_heard: bool,
    },
    /// Downmixed audio, in arrival order, for streaming consumers.
    Audio { mono: Vec<f32>, sample_rate: u32 },
    /// The capture stopped by itself; call [`Capture::stop`] to collect the [`Recording`].
    Stopped(StopReason),
}

/// A finished take.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recording {
    pub path: PathBuf,
    pub sample_rate: u32,
    pub channels: u16,
    pub frames: u64,
    pub duration_ms: u64,
    pub stop_reason: StopReason,
    /// Device overruns the host reported (audio the device lost).
    pub xruns: u64,
    /// Frames dropped because the writer fell behind (audio this program lost).
    pub dropped_frames: u64,
}

/// Errors of the capture stage. Messages end with what to do about them.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    #[error(
        "no microphone found ({reason}); plug one in, pick one with `rehearse devices`, or analyse a recording with `rehearse analyse FILE.wav`"
    )]
    NoMicrophone { reason: String },
    #[error(
        "no input device named `{name}` (available: {available}); pick one listed by `rehearse devices`"
    )]
    DeviceNotFound { name: String, available: String },
    #[error(
        "input device `{device}` does not support {sample_rate} Hz with {channels} channel(s) (it offers: {offered}); record at the device default format instead"
    )]
    UnsupportedFormat {
        device: String,
        sample_rate: u32,
        channels: u16,
        offered: String,
    },
    #[error(
        "input device `{device}` uses sample format {format}, which cannot be recorded; pick another device with `rehearse devices`"
    )]
    UnsupportedSampleFormat { device: String, format: String },
    #[error(
        "could not open input device `{device}` ({reason}); check that no other program holds it, or pick another with `rehearse devices`"
    )]
    OpenDevice { device: String, reason: String },
    #[error("could not list audio devices ({reason}); check the sound system is running")]
    ListDevices { reason: String },
    #[error(
        "could not write the recording `{}` ({reason}); free some disk space or choose another data directory, then record again",
        path.display()
    )]
    WriteWav { path: PathBuf, reason: String },
    #[error(
        "could not read or repair `{}` ({reason}); check the path, or record the answer again",
        path.display()
    )]
    RepairWav { path: PathBuf, reason: String },
    #[error("`{}` is not a WAV file ({reason}); pass a .wav recording", path.display())]
    NotWav { path: PathBuf, reason: String },
    #[error("the capture thread stopped unexpectedly; record the answer again")]
    WriterPanicked,
}

/// List the host's input devices.
pub fn list_input_devices() -> Result<Vec<InputDevice>, CaptureError> {
    device::list_input_devices()
}

/// How long `stop()` waits for the audio backend to let go of the device.
const CLOSE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// A take in progress. Dropping it without [`Capture::stop`] still finalises the WAV.
pub struct Capture {
    events: Receiver<CaptureEvent>,
    stream: Option<device::InputStream>,
    writer: Option<JoinHandle<Result<Recording, CaptureError>>>,
    shared: Arc<writer::Shared>,
    sample_rate: u32,
    channels: u16,
}

/// Start recording into `wav_path` (created or overwritten).
pub fn start(options: &CaptureOptions, wav_path: &Path) -> Result<Capture, CaptureError> {
    device::start(options, wav_path)
}

impl Capture {
    /// Levels, audio chunks and auto-stop notices.
    pub fn events(&self) -> &Receiver<CaptureEvent> {
        &self.events
    }

    pub fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    pub fn channels(&self) -> u16 {
        self.channels
    }

    /// Stop (if not already stopped by itself), finalise the WAV and describe the take.
    /// Safe to call from any thread at any time; it waits only for the buffered audio
    /// to be written.
    pub fn stop(mut self) -> Result<Recording, CaptureError> {
        self.finish()
    }

    fn finish(&mut self) -> Result<Recording, CaptureError> {
        // Closing the stream ends the callbacks and drops the channel's sender; then the
        // writer drains what is buffered, finalises the file and returns. If the backend
        // hangs, the writer is told to finish anyway.
        if let Some(stream) = self.stream.take() {
            stream.close(CLOSE_TIMEOUT);
        }
        self.shared.request_close();
        match self.writer.take() {
            Some(handle) => handle.join().map_err(|_| CaptureError::WriterPanicked)?,
            None => Err(CaptureError::WriterPanicked),
        }
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        if self.writer.is_some() {
            // Nobody can see the error here; the file is finalised (or repairable) either way.
            let _ = self.finish();
        }
    }
}
