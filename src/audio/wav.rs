//! Reading WAV files with hound, with the failure modes a user actually hits
//! (wrong file type, empty or cut-off files) told apart.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use hound::{SampleFormat, WavReader};

use super::{AudioError, MAX_SAMPLE_RATE, MIN_SAMPLE_RATE};

/// Decoded audio: interleaved samples scaled to -1.0..=1.0.
#[derive(Debug, Clone, PartialEq)]
pub struct Audio {
    pub sample_rate: u32,
    pub channels: u16,
    pub samples: Vec<f32>,
    /// True when the file ended before its header said it would (a take cut
    /// off by a crash); the samples up to the cut are kept.
    pub truncated: bool,
}

impl Audio {
    pub fn frames(&self) -> usize {
        self.samples.len() / usize::from(self.channels.max(1))
    }

    pub fn duration_ms(&self) -> u64 {
        (self.frames() as u64 * 1000) / u64::from(self.sample_rate.max(1))
    }
}

pub fn read_wav(path: &Path) -> Result<Audio, AudioError> {
    let owned = || path.to_path_buf();
    let file = File::open(path).map_err(|source| AudioError::Open {
        path: owned(),
        source,
    })?;
    let length = file
        .metadata()
        .map_err(|source| AudioError::Open {
            path: owned(),
            source,
        })?
        .len();
    decode(path, length, BufReader::new(file))
}

/// [`read_wav`] on a WAV already in memory (the fuzzer's entry point).
pub fn read_wav_bytes(bytes: &[u8]) -> Result<Audio, AudioError> {
    decode(Path::new("<memory>"), bytes.len() as u64, bytes)
}

/// Decodes `length` bytes of WAV from `source`; `path` is only used in errors.
fn decode(path: &Path, length: u64, source: impl Read) -> Result<Audio, AudioError> {
    let owned = || path.to_path_buf();
    if length == 0 {
        return Err(AudioError::EmptyFile { path: owned() });
    }
    let reader = WavReader::new(source).map_err(|err| classify_open_error(path, err))?;
    let spec = reader.spec();
    if !(MIN_SAMPLE_RATE..=MAX_SAMPLE_RATE).contains(&spec.sample_rate) {
        return Err(AudioError::SampleRate {
            path: owned(),
            sample_rate: spec.sample_rate,
        });
    }
    if spec.channels == 0 || spec.channels > 8 {
        return Err(AudioError::Unsupported {
            path: owned(),
            detail: format!("{} channels", spec.channels),
        });
    }
    let (samples, truncated) = match (spec.sample_format, spec.bits_per_sample) {
        (SampleFormat::Float, 32) => collect(reader.into_samples::<f32>(), |s| s),
        (SampleFormat::Int, bits @ 8..=32) => {
            let scale = 1.0 / (1u64 << (bits - 1)) as f32;
            collect(reader.into_samples::<i32>(), |s| s as f32 * scale)
        }
        (format, bits) => {
            return Err(AudioError::Unsupported {
                path: owned(),
                detail: format!("{bits}-bit {format:?}"),
            });
        }
    };
    // A partial last frame from a cut-off file is dropped.
    let mut samples = samples;
    samples.truncate(samples.len() - samples.len() % usize::from(spec.channels));
    if samples.is_empty() {
        return Err(AudioError::NoSamples { path: owned() });
    }
    Ok(Audio {
        sample_rate: spec.sample_rate,
        channels: spec.channels,
        samples,
        truncated,
    })
}

/// Reads samples until the end or the first error; an error part-way is a
/// file cut off mid-write, and what came before it is still good audio.
fn collect<S, I>(samples: I, to_f32: impl Fn(S) -> f32) -> (Vec<f32>, bool)
where
    I: Iterator<Item = hound::Result<S>>,
{
    let mut out = Vec::new();
    for sample in samples {
        match sample {
            Ok(sample) => out.push(to_f32(sample)),
            Err(_) => return (out, true),
        }
    }
    (out, false)
}

fn classify_open_error(path: &Path, err: hound::Error) -> AudioError {
    let path = path.to_path_buf();
    match err {
        hound::Error::FormatError(detail) if detail.contains("RIFF") || detail.contains("WAVE") => {
            AudioError::NotWav {
                path,
                detail: detail.to_string(),
            }
        }
        hound::Error::FormatError(detail) => AudioError::BadHeader {
            path,
            detail: detail.to_string(),
        },
        // The file opened, so a read failing now means the header is cut short.
        hound::Error::IoError(_) => AudioError::BadHeader {
            path,
            detail: "the file ends inside the header".to_string(),
        },
        hound::Error::Unsupported => AudioError::Unsupported {
            path,
            detail: "not integer or 32-bit float PCM".to_string(),
        },
        other => AudioError::Unsupported {
            path,
            detail: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fuzzer's seeds and every input it once failed on decode or fail with an error, the
    /// same from memory as from a file.
    #[test]
    fn fuzz_inputs_decode_or_fail_cleanly() {
        let dir = tempfile::tempdir().expect("temp dir");
        for (path, bytes) in crate::fuzz_inputs::fuzz_inputs("wav_read") {
            let from_memory = read_wav_bytes(&bytes);
            if let Ok(audio) = &from_memory {
                let channels = usize::from(audio.channels);
                assert!(audio.frames() > 0, "{}", path.display());
                assert_eq!(audio.samples.len() % channels, 0, "{}", path.display());
            }
            let on_disk = dir.path().join("input.wav");
            std::fs::write(&on_disk, &bytes).expect("write");
            let from_file = read_wav(&on_disk);
            assert_eq!(
                from_memory.ok(),
                from_file.ok(),
                "{} reads differently from a file",
                path.display()
            );
        }
    }
}
