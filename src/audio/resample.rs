//! Downmix to mono and resample to 16 kHz with rubato's FFT resampler (the
//! right tool for a fixed-ratio, whole-clip conversion).

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Resampler};

use super::{Audio, AudioError, WHISPER_SAMPLE_RATE};

/// Mono 16 kHz samples for Whisper.
pub fn to_mono_16k(audio: &Audio) -> Result<Vec<f32>, AudioError> {
    let mono = downmix(&audio.samples, audio.channels);
    resample_mono(&mono, audio.sample_rate, WHISPER_SAMPLE_RATE)
}

/// Averages the channels of interleaved audio.
pub fn downmix(samples: &[f32], channels: u16) -> Vec<f32> {
    let channels = usize::from(channels.max(1));
    if channels == 1 {
        return samples.to_vec();
    }
    samples
        .chunks_exact(channels)
        .map(|frame| frame.iter().sum::<f32>() / channels as f32)
        .collect()
}

pub fn resample_mono(mono: &[f32], from_hz: u32, to_hz: u32) -> Result<Vec<f32>, AudioError> {
    if from_hz == to_hz || mono.is_empty() {
        return Ok(mono.to_vec());
    }
    let failed = |detail: String| AudioError::Resample { from_hz, detail };
    let mut resampler =
        Fft::<f32>::new(from_hz as usize, to_hz as usize, 1024, 1, FixedSync::Input)
            .map_err(|err| failed(err.to_string()))?;
    let input =
        InterleavedSlice::new(mono, 1, mono.len()).map_err(|err| failed(err.to_string()))?;
    let output = resampler
        .process_all(&input, mono.len(), None)
        .map_err(|err| failed(err.to_string()))?;
    Ok(output.take_data())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(freq_hz: f32, rate_hz: u32, seconds: f32) -> Vec<f32> {
        let n = (rate_hz as f32 * seconds) as usize;
        (0..n)
            .map(|i| (2.0 * std::f32::consts::PI * freq_hz * i as f32 / rate_hz as f32).sin() * 0.5)
            .collect()
    }

    /// Estimated frequency from zero crossings.
    fn crossing_hz(samples: &[f32], rate_hz: u32) -> f32 {
        let crossings = samples
            .windows(2)
            .filter(|pair| (pair[0] < 0.0) != (pair[1] < 0.0))
            .count();
        crossings as f32 / 2.0 / (samples.len() as f32 / rate_hz as f32)
    }

    #[test]
    fn resampling_keeps_length_and_pitch() {
        for rate in [8_000, 22_050, 44_100, 48_000] {
            let input = sine(440.0, rate, 2.0);
            let output = resample_mono(&input, rate, 16_000).unwrap();
            let expected = (input.len() as f64 * 16_000.0 / rate as f64).round() as i64;
            assert!(
                (output.len() as i64 - expected).abs() <= 2,
                "{rate} Hz: {} samples, expected {expected}",
                output.len()
            );
            let hz = crossing_hz(&output, 16_000);
            assert!((hz - 440.0).abs() < 3.0, "{rate} Hz: pitch became {hz} Hz");
        }
    }

    #[test]
    fn content_above_the_new_nyquist_is_filtered_out() {
        // 10 kHz cannot exist at 16 kHz; an aliasing resampler would fold it to 6 kHz.
        let output = resample_mono(&sine(10_000.0, 48_000, 1.0), 48_000, 16_000).unwrap();
        let rms = (output.iter().map(|s| s * s).sum::<f32>() / output.len() as f32).sqrt();
        assert!(rms < 0.01, "rms {rms}");
    }

    #[test]
    fn downmix_averages_channels() {
        assert_eq!(downmix(&[1.0, 0.0, 0.5, 0.5], 2), vec![0.5, 0.5]);
        assert_eq!(downmix(&[0.25, -0.25], 1), vec![0.25, -0.25]);
    }
}
