//! The only file that talks to cpal: finds the device, picks the stream format and runs the
//! input callback, which copies samples into a bounded channel and never blocks.

use std::path::Path;
use std::sync::mpsc::{self, TrySendError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use cpal::{ErrorKind, FromSample, I24, SampleFormat, SizedSample, U24};

use super::wav_sink::{WavSample, WavSink};
use super::writer::{self, Shared, WriterConfig};
use super::{Capture, CaptureError, CaptureOptions, FormatChoice, InputDevice};

/// Chunks of >= 20 ms the writer may fall behind by before audio is held back (and after
/// one more second, dropped): 20+ s of audio.
const QUEUE_CHUNKS: usize = 1024;

/// Keeps the cpal stream alive; dropping it stops the callbacks.
pub struct InputStream {
    stream: cpal::Stream,
}

impl InputStream {
    /// Stop the stream, waiting at most `timeout`. Returns false if the backend hung (seen
    /// with ALSA's pulse plugin when the sound server dies mid-take): its thread is then
    /// left behind rather than hanging the caller.
    pub fn close(self, timeout: Duration) -> bool {
        let (done_tx, done_rx) = mpsc::channel();
        let stream = self.stream;
        let spawned = thread::Builder::new()
            .name("rehearse-capture-close".to_string())
            .spawn(move || {
                drop(stream);
                let _ = done_tx.send(());
            });
        match spawned {
            Ok(_) => done_rx.recv_timeout(timeout).is_ok(),
            Err(_) => false,
        }
    }
}

fn device_name(device: &cpal::Device) -> String {
    device
        .description()
        .map_or_else(|_| "unknown device".to_string(), |d| d.name().to_string())
}

fn device_id(device: &cpal::Device) -> String {
    match device.id() {
        Ok(id) => id.id().to_string(),
        Err(_) => device_name(device),
    }
}

fn describe_config(config: &cpal::SupportedStreamConfig) -> String {
    format!(
        "{} Hz, {} ch, {}",
        config.sample_rate(),
        config.channels(),
        config.sample_format()
    )
}

pub fn list_input_devices() -> Result<Vec<InputDevice>, CaptureError> {
    let host = cpal::default_host();
    let default = host.default_input_device();
    let default_id = default.as_ref().and_then(|d| d.id().ok());
    let describe = |d: &cpal::Device, is_default: bool| InputDevice {
        name: device_name(d),
        id: device_id(d),
        is_default,
        default_config: d.default_input_config().ok().map(|c| describe_config(&c)),
    };
    let mut out: Vec<InputDevice> = host
        .input_devices()
        .map_err(|e| CaptureError::ListDevices {
            reason: e.to_string(),
        })?
        .map(|d| describe(&d, default_id.is_some() && d.id().ok() == default_id))
        .collect();
    // ALSA does not list its `default` PCM among the hints: show it first anyway.
    if let Some(d) = default
        && !out.iter().any(|i| i.is_default)
    {
        out.insert(0, describe(&d, true));
    }
    Ok(out)
}

/// The default input, or the one whose name or id matches `wanted` (case-insensitive).
fn pick_device(host: &cpal::Host, wanted: Option<&str>) -> Result<cpal::Device, CaptureError> {
    // `default` is listed by `rehearse devices` even where ALSA's hints leave it out.
    let Some(wanted) = wanted.filter(|name| !name.eq_ignore_ascii_case("default")) else {
        return host
            .default_input_device()
            .ok_or_else(|| CaptureError::NoMicrophone {
                reason: "the sound system reports no input device".to_string(),
            });
    };
    let devices: Vec<cpal::Device> = host
        .input_devices()
        .map_err(|e| CaptureError::ListDevices {
            reason: e.to_string(),
        })?
        .collect();
    if let Some(found) = devices.iter().find(|d| {
        device_name(d).eq_ignore_ascii_case(wanted) || device_id(d).eq_ignore_ascii_case(wanted)
    }) {
        return Ok(found.clone());
    }
    // The names `rehearse devices` lists.
    let mut names: Vec<String> = devices.iter().map(device_id).collect();
    names.dedup();
    Err(CaptureError::DeviceNotFound {
        name: wanted.to_string(),
        available: if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        },
    })
}

/// A config failure on the default device means there is no usable microphone at all.
fn config_error(is_default: bool, device: &str, err: &cpal::Error) -> CaptureError {
    if is_default {
        CaptureError::NoMicrophone {
            reason: format!("the default input `{device}` cannot be opened: {err}"),
        }
    } else {
        CaptureError::OpenDevice {
            device: device.to_string(),
            reason: err.to_string(),
        }
    }
}

fn choose_config(
    device: &cpal::Device,
    name: &str,
    is_default: bool,
    choice: FormatChoice,
) -> Result<cpal::SupportedStreamConfig, CaptureError> {
    let default = device
        .default_input_config()
        .map_err(|e| config_error(is_default, name, &e))?;
    let (sample_rate, channels, required) = match choice {
        FormatChoice::DeviceDefault => return Ok(default),
        FormatChoice::Exact {
            sample_rate,
            channels,
        } => (sample_rate, channels, true),
        FormatChoice::Prefer {
            sample_rate,
            channels,
        } => (sample_rate, channels, false),
    };
    let ranges: Vec<cpal::SupportedStreamConfigRange> = device
        .supported_input_configs()
        .map_err(|e| config_error(is_default, name, &e))?
        .collect();
    // Prefer 16-bit: what nearly every microphone delivers natively, so nothing is converted
    // on the way in (and it is lossless to store); then the device's own default, then float.
    let rank = |f: SampleFormat| {
        if f == SampleFormat::I16 {
            0
        } else if f == default.sample_format() {
            1
        } else if f == SampleFormat::F32 {
            2
        } else {
            3
        }
    };
    ranges
        .iter()
        .filter(|r| r.channels() == channels && r.contains_rate(sample_rate))
        .filter(|r| wav_type_for(r.sample_format()).is_some())
        .min_by_key(|r| rank(r.sample_format()))
        .and_then(|r| r.try_with_sample_rate(sample_rate))
        .or_else(|| (!required).then_some(default))
        .ok_or_else(|| CaptureError::UnsupportedFormat {
            device: name.to_string(),
            sample_rate,
            channels,
            offered: ranges
                .iter()
                .map(|r| {
                    format!(
                        "{} ch {}-{} Hz {}",
                        r.channels(),
                        r.min_sample_rate(),
                        r.max_sample_rate(),
                        r.sample_format()
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
        })
}

/// The WAV sample type each device format is stored as (lossless except 64-bit ones).
fn wav_type_for(format: SampleFormat) -> Option<&'static str> {
    match format {
        SampleFormat::I8 | SampleFormat::U8 => Some("i8"),
        SampleFormat::I16 | SampleFormat::U16 => Some("i16"),
        SampleFormat::I24
        | SampleFormat::U24
        | SampleFormat::I32
        | SampleFormat::U32
        | SampleFormat::I64
        | SampleFormat::U64 => Some("i32"),
        SampleFormat::F32 | SampleFormat::F64 => Some("f32"),
        _ => None,
    }
}

pub fn start(options: &CaptureOptions, wav_path: &Path) -> Result<Capture, CaptureError> {
    let host = cpal::default_host();
    let device = pick_device(&host, options.device.as_deref())?;
    let name = device_name(&device);
    let is_default = options
        .device
        .as_deref()
        .is_none_or(|d| d.eq_ignore_ascii_case("default"));
    let supported = choose_config(&device, &name, is_default, options.format)?;
    let config = supported.config();
    let period_frames = match *supported.buffer_size() {
        cpal::SupportedBufferSize::Range { min, max } => {
            Some((config.sample_rate / 10).clamp(min, max.max(min)))
        }
        cpal::SupportedBufferSize::Unknown => None,
    };
    let run = Run {
        device: &device,
        name: &name,
        is_default,
        config,
        period_frames,
        options,
        path: wav_path,
    };
    match supported.sample_format() {
        SampleFormat::I8 => run.go::<i8, i8>(),
        SampleFormat::U8 => run.go::<u8, i8>(),
        SampleFormat::I16 => run.go::<i16, i16>(),
        SampleFormat::U16 => run.go::<u16, i16>(),
        SampleFormat::I24 => run.go::<I24, i32>(),
        SampleFormat::U24 => run.go::<U24, i32>(),
        SampleFormat::I32 => run.go::<i32, i32>(),
        SampleFormat::U32 => run.go::<u32, i32>(),
        SampleFormat::I64 => run.go::<i64, i32>(),
        SampleFormat::U64 => run.go::<u64, i32>(),
        SampleFormat::F32 => run.go::<f32, f32>(),
        SampleFormat::F64 => run.go::<f64, f32>(),
        other => Err(CaptureError::UnsupportedSampleFormat {
            device: name.clone(),
            format: other.to_string(),
        }),
    }
}

struct Run<'a> {
    device: &'a cpal::Device,
    name: &'a str,
    is_default: bool,
    /// Device's default buffer size; `period_frames` is what we ask for instead.
    config: cpal::StreamConfig,
    period_frames: Option<u32>,
    options: &'a CaptureOptions,
    path: &'a Path,
}

impl Run<'_> {
    /// Record device samples `T`, stored in the WAV as `W`.
    fn go<T, W>(self) -> Result<Capture, CaptureError>
    where
        T: SizedSample + Send + 'static,
        W: WavSample + FromSample<T>,
    {
        let sample_rate = self.config.sample_rate;
        let channels = self.config.channels;
        let sink = WavSink::<W>::create(self.path, sample_rate, channels)?;
        let cfg = WriterConfig::new(
            self.options,
            self.path,
            self.name.to_string(),
            sample_rate,
            channels,
        );
        let limit_frames = cfg.limit_frames;
        let shared = Arc::new(Shared::default());
        let (chunk_tx, chunk_rx) = mpsc::sync_channel::<Vec<W>>(QUEUE_CHUNKS);
        let (recycle_tx, recycle_rx) = mpsc::sync_channel::<Vec<W>>(QUEUE_CHUNKS);
        let (event_tx, event_rx) = mpsc::channel();
        let writer_shared = Arc::clone(&shared);
        let writer = thread::Builder::new()
            .name("rehearse-capture-writer".to_string())
            .spawn(move || writer::run(sink, chunk_rx, recycle_tx, event_tx, writer_shared, cfg))
            .map_err(|e| CaptureError::OpenDevice {
                device: self.name.to_string(),
                reason: format!("cannot start the writer thread: {e}"),
            })?;

        let frame_len = usize::from(channels.max(1));
        // Callbacks can be a few frames each: batch them to >= 20 ms so the queue holds
        // 20+ s of audio, and hold up to 1 s more while the queue is full before dropping.
        let batch_samples = (sample_rate as usize / 50).max(1) * frame_len;
        let max_pending = (sample_rate as usize).max(1) * frame_len;
        // Shared by the callbacks of each build attempt; only one ever runs, so the
        // callback's `try_lock` never waits.
        let recycle_rx = Arc::new(Mutex::new(recycle_rx));
        let make_on_data = || {
            let cb_shared = Arc::clone(&shared);
            let chunk_tx = chunk_tx.clone();
            let recycle_rx = Arc::clone(&recycle_rx);
            let mut taken_frames: u64 = 0;
            let mut pending: Vec<W> = Vec::with_capacity(batch_samples * 2);
            // Real-time context: no blocking; allocates only until recycled buffers come
            // back from the writer.
            move |data: &[T], _: &cpal::InputCallbackInfo| {
                if cb_shared.is_done() {
                    return;
                }
                let mut n = data.len() - data.len() % frame_len;
                let mut last = false;
                if let Some(limit) = limit_frames {
                    let left = limit.saturating_sub(taken_frames);
                    let left_samples = usize::try_from(left).unwrap_or(usize::MAX) * frame_len;
                    if left_samples <= n {
                        n = left_samples;
                        last = true;
                    }
                }
                pending.extend(data[..n].iter().map(|&s| W::from_sample_(s)));
                taken_frames += (n / frame_len) as u64;
                if pending.is_empty() || (pending.len() < batch_samples && !last) {
                    return;
                }
                match chunk_tx.try_send(std::mem::take(&mut pending)) {
                    Ok(()) => {
                        pending = recycle_rx
                            .try_lock()
                            .ok()
                            .and_then(|rx| rx.try_recv().ok())
                            .unwrap_or_else(|| Vec::with_capacity(batch_samples * 2));
                    }
                    // Keep it and retry on the next callback.
                    Err(TrySendError::Full(full)) if full.len() < max_pending => pending = full,
                    Err(TrySendError::Full(mut full)) => {
                        cb_shared.count_dropped((full.len() / frame_len) as u64);
                        full.clear();
                        pending = full;
                    }
                    Err(TrySendError::Disconnected(mut full)) => {
                        full.clear();
                        pending = full;
                    }
                }
            }
        };
        let make_on_error = || {
            let err_shared = Arc::clone(&shared);
            move |err: cpal::Error| match err.kind() {
                ErrorKind::Xrun => err_shared.count_xrun(),
                _ => err_shared.report_device_error(err.to_string()),
            }
        };
        let build = |config: cpal::StreamConfig| {
            self.device
                .build_input_stream::<T, _, _>(config, make_on_data(), make_on_error(), None)
                .and_then(|s| s.play().map(|()| s))
        };

        // Ask for ~100 ms periods so levels arrive steadily (some backends default to
        // 250+ ms); fall back to the device's choice if it refuses.
        let mut stream = match self.period_frames {
            Some(frames) => build(cpal::StreamConfig {
                buffer_size: cpal::BufferSize::Fixed(frames),
                ..self.config
            }),
            None => build(self.config),
        };
        if stream.is_err() && self.period_frames.is_some() {
            stream = build(self.config);
        }
        // From here only the callbacks hold senders: when the stream goes, the writer ends.
        drop(chunk_tx);
        match stream {
            Ok(stream) => Ok(Capture {
                events: event_rx,
                stream: Some(InputStream { stream }),
                writer: Some(writer),
                shared,
                sample_rate,
                channels,
            }),
            Err(e) => {
                shared.request_close();
                let _ = writer.join();
                let _ = std::fs::remove_file(self.path);
                Err(config_error(self.is_default, self.name, &e))
            }
        }
    }
}
