//! The audio stage: read a WAV file of any common PCM encoding and turn it
//! into what Whisper wants, 16 kHz mono f32.

pub mod levels;
mod resample;
pub mod voicing;
mod wav;

pub use resample::{StreamResampler, downmix, downmix_into, resample_mono, to_mono_16k};
pub use wav::{Audio, read_wav, read_wav_bytes};

use std::path::PathBuf;

/// Whisper's input rate.
pub const WHISPER_SAMPLE_RATE: u32 = 16_000;
/// Rates we accept: telephone quality up to studio.
pub const MIN_SAMPLE_RATE: u32 = 8_000;
pub const MAX_SAMPLE_RATE: u32 = 48_000;

#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    #[error("cannot read `{path}`: {source}; check the path and permissions")]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("`{path}` is empty (0 bytes); record the answer again or pick another file")]
    EmptyFile { path: PathBuf },
    #[error(
        "`{path}` is not a WAV file ({detail}); convert it first, e.g. `ffmpeg -i INPUT -ar 16000 -ac 1 answer.wav`"
    )]
    NotWav { path: PathBuf, detail: String },
    #[error(
        "`{path}` has a truncated or damaged WAV header ({detail}); if it is a take that was cut off, run `rehearse analyse --session ID` to repair it, otherwise export the file again"
    )]
    BadHeader { path: PathBuf, detail: String },
    #[error(
        "`{path}` uses an unsupported encoding ({detail}); convert it to 16-bit PCM, e.g. `ffmpeg -i INPUT -c:a pcm_s16le answer.wav`"
    )]
    Unsupported { path: PathBuf, detail: String },
    #[error(
        "`{path}` has a sample rate of {sample_rate} Hz, outside 8000-48000 Hz; resample it, e.g. `ffmpeg -i INPUT -ar 16000 answer.wav`"
    )]
    SampleRate { path: PathBuf, sample_rate: u32 },
    #[error("`{path}` holds no audio samples; record the answer again or pick another file")]
    NoSamples { path: PathBuf },
    #[error(
        "resampling {from_hz} Hz audio to 16 kHz failed: {detail}; convert the file to 16 kHz with `ffmpeg -i INPUT -ar 16000 answer.wav`"
    )]
    Resample { from_hz: u32, detail: String },
}

/// Encodes 16 kHz mono samples as a 16-bit PCM WAV in memory: the compact
/// take, and the audio the report embeds. The exact inverse of how
/// [`read_wav`] scales 16-bit samples, so a 16-bit take survives the round
/// trip bit for bit.
pub fn wav_bytes_16k_mono(samples: &[f32]) -> Vec<u8> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: WHISPER_SAMPLE_RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut bytes = std::io::Cursor::new(Vec::with_capacity(44 + samples.len() * 2));
    // Writing into memory cannot fail.
    if let Ok(mut writer) = hound::WavWriter::new(&mut bytes, spec) {
        for &sample in samples {
            let _ = writer.write_sample(to_i16(sample));
        }
        let _ = writer.finalize();
    }
    bytes.into_inner()
}

/// Full scale of a 16-bit sample: [`read_wav`] reads a value back as
/// `value / I16_FULL_SCALE`.
const I16_FULL_SCALE: f32 = 32_768.0;

/// How a 16-bit WAV holds a sample.
fn to_i16(sample: f32) -> i16 {
    (sample * I16_FULL_SCALE)
        .round()
        .clamp(f32::from(i16::MIN), f32::from(i16::MAX)) as i16
}

/// Snaps 16 kHz samples to the 16-bit grid of the compact take. Both places
/// that make the samples the analysis sees (a file's [`to_mono_16k`], a live
/// take's [`StreamResampler`]) do this, so a take read back from disk is,
/// bit for bit, the audio that was analysed when it was recorded, and
/// re-analyses to the same words. A 16-bit file is on the grid already.
pub(crate) fn snap_to_16_bit(samples: &mut [f32]) {
    for sample in samples {
        *sample = f32::from(to_i16(*sample)) / I16_FULL_SCALE;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_16_bit_take_survives_the_round_trip_bit_for_bit() {
        let original: Vec<i16> = (0..16_000_i32)
            .map(|n| ((n * 7919) % 65_536 - 32_768) as i16)
            .chain([i16::MIN, i16::MAX, 0, -1, 1])
            .collect();
        let as_read: Vec<f32> = original.iter().map(|&s| f32::from(s) / 32_768.0).collect();
        let bytes = wav_bytes_16k_mono(&as_read);
        let audio = read_wav_bytes(&bytes).unwrap();
        assert_eq!((audio.sample_rate, audio.channels), (16_000, 1));
        let back: Vec<i16> = audio
            .samples
            .iter()
            .map(|&s| (s * 32_768.0) as i16)
            .collect();
        assert_eq!(back, original);
    }

    /// Noise-like float audio at any accepted rate and channel count, as a
    /// microphone gives it: not on the 16-bit grid.
    fn float_audio(sample_rate: u32, channels: u16, seed: u32) -> Audio {
        let mut state = seed.wrapping_mul(2_654_435_761).max(1);
        let samples = (0..sample_rate as usize * usize::from(channels) * 3 / 2)
            .map(|n| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                let noise = (state >> 8) as f32 / (1 << 24) as f32 - 0.5;
                (n as f32 * 0.013).sin() * 0.4 + noise * 0.3
            })
            .collect();
        Audio {
            sample_rate,
            channels,
            samples,
            truncated: false,
        }
    }

    /// What the analysis sees of a take, whether it came from a file or
    /// live, is exactly what the stored compact take reads back as.
    #[test]
    fn the_analysed_samples_are_the_stored_ones_bit_for_bit() {
        for (k, (sample_rate, channels)) in [8_000, 16_000, 22_050, 44_100, 48_000]
            .into_iter()
            .flat_map(|rate| [(rate, 1), (rate, 2)])
            .enumerate()
        {
            let audio = float_audio(sample_rate, channels, k as u32 + 1);
            let analysed = to_mono_16k(&audio).unwrap();
            let stored = read_wav_bytes(&wav_bytes_16k_mono(&analysed)).unwrap();
            assert_eq!(
                stored.samples, analysed,
                "{sample_rate} Hz x{channels}, file"
            );

            let mono = downmix(&audio.samples, audio.channels);
            let mut stream = StreamResampler::new(sample_rate, WHISPER_SAMPLE_RATE).unwrap();
            let mut live = Vec::new();
            for chunk in mono.chunks(997) {
                live.extend(stream.push(chunk).unwrap());
            }
            live.extend(stream.finish().unwrap());
            let stored = read_wav_bytes(&wav_bytes_16k_mono(&live)).unwrap();
            assert_eq!(stored.samples, live, "{sample_rate} Hz x{channels}, live");
        }
    }

    #[test]
    fn out_of_range_float_samples_clip_instead_of_wrapping() {
        let bytes = wav_bytes_16k_mono(&[1.5, -1.5, 1.0, -1.0]);
        let audio = read_wav_bytes(&bytes).unwrap();
        assert_eq!(
            audio.samples,
            [32_767.0 / 32_768.0, -1.0, 32_767.0 / 32_768.0, -1.0]
        );
    }
}
