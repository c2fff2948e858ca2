//! Downmix to mono and resample to 16 kHz with rubato's FFT resampler (the
//! right tool for a fixed-ratio, whole-clip conversion).

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Resampler};

use super::{Audio, AudioError, WHISPER_SAMPLE_RATE, snap_to_16_bit};

/// Mono 16 kHz samples for Whisper, on the compact take's 16-bit grid.
pub fn to_mono_16k(audio: &Audio) -> Result<Vec<f32>, AudioError> {
    let mono = downmix(&audio.samples, audio.channels);
    let mut samples = resample_mono(&mono, audio.sample_rate, WHISPER_SAMPLE_RATE)?;
    snap_to_16_bit(&mut samples);
    Ok(samples)
}

/// Averages the channels of interleaved audio.
pub fn downmix(samples: &[f32], channels: u16) -> Vec<f32> {
    let mut out = Vec::with_capacity(samples.len() / usize::from(channels.max(1)));
    downmix_into(samples, usize::from(channels), |s| *s, &mut out);
    out
}

/// Averages the channels of interleaved samples of any type into `out`
/// (cleared first): the one downmix, so that a live take and the same audio
/// read from a file become the same mono samples.
pub fn downmix_into<T>(
    interleaved: &[T],
    channels: usize,
    to_f32: impl Fn(&T) -> f32,
    out: &mut Vec<f32>,
) {
    out.clear();
    if channels <= 1 {
        out.extend(interleaved.iter().map(&to_f32));
        return;
    }
    out.extend(
        interleaved
            .chunks_exact(channels)
            .map(|frame| frame.iter().map(&to_f32).sum::<f32>() / channels as f32),
    );
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

/// Resamples a live stream chunk by chunk, with the same FFT resampler as
/// whole files, trimming its start-up delay so output sample `n` lines up
/// with input time `n / to_hz`, and snaps its output to the 16-bit grid as
/// [`to_mono_16k`] does.
pub struct StreamResampler {
    inner: Option<Fft<f32>>,
    from_hz: u32,
    pending: Vec<f32>,
    delay_left: usize,
    frames_in: u64,
    frames_out: u64,
    ratio: f64,
}

impl StreamResampler {
    pub fn new(from_hz: u32, to_hz: u32) -> Result<Self, AudioError> {
        let inner = if from_hz == to_hz {
            None
        } else {
            Some(
                Fft::<f32>::new(from_hz as usize, to_hz as usize, 1024, 1, FixedSync::Input)
                    .map_err(|err| AudioError::Resample {
                        from_hz,
                        detail: err.to_string(),
                    })?,
            )
        };
        let delay_left = inner.as_ref().map_or(0, rubato::Resampler::output_delay);
        Ok(Self {
            inner,
            from_hz,
            pending: Vec::new(),
            delay_left,
            frames_in: 0,
            frames_out: 0,
            ratio: f64::from(to_hz) / f64::from(from_hz),
        })
    }

    /// Feeds mono samples; returns whatever output is ready.
    pub fn push(&mut self, mono: &[f32]) -> Result<Vec<f32>, AudioError> {
        self.frames_in += mono.len() as u64;
        let Some(resampler) = self.inner.as_mut() else {
            self.frames_out += mono.len() as u64;
            let mut out = mono.to_vec();
            snap_to_16_bit(&mut out);
            return Ok(out);
        };
        self.pending.extend_from_slice(mono);
        let mut out = Vec::new();
        while self.pending.len() >= resampler.input_frames_next() {
            let needed = resampler.input_frames_next();
            let chunk = run_chunk(resampler, &self.pending[..needed], None, self.from_hz)?;
            self.pending.drain(..needed);
            out.extend(chunk);
        }
        let mut out = self.trim_delay(out);
        snap_to_16_bit(&mut out);
        self.frames_out += out.len() as u64;
        Ok(out)
    }

    /// Flushes the rest: the output then matches the input's duration.
    pub fn finish(&mut self) -> Result<Vec<f32>, AudioError> {
        let expected = (self.frames_in as f64 * self.ratio).round() as u64;
        let mut out = Vec::new();
        if let Some(resampler) = self.inner.as_mut() {
            let mut rest = std::mem::take(&mut self.pending);
            // Zeros push the last real samples through the filter's delay.
            while self.frames_out + (out.len() as u64).saturating_sub(self.delay_left as u64)
                < expected
            {
                let needed = resampler.input_frames_next();
                let valid = rest.len().min(needed);
                rest.resize(needed, 0.0);
                let indexing = rubato::Indexing {
                    input_offset: 0,
                    output_offset: 0,
                    partial_len: Some(valid),
                    active_channels_mask: None,
                };
                out.extend(run_chunk(resampler, &rest, Some(&indexing), self.from_hz)?);
                rest.clear();
            }
        }
        let mut out = self.trim_delay(out);
        out.truncate(expected.saturating_sub(self.frames_out) as usize);
        snap_to_16_bit(&mut out);
        self.frames_out += out.len() as u64;
        Ok(out)
    }

    fn trim_delay(&mut self, mut out: Vec<f32>) -> Vec<f32> {
        let skip = self.delay_left.min(out.len());
        self.delay_left -= skip;
        out.drain(..skip);
        out
    }
}

fn run_chunk(
    resampler: &mut Fft<f32>,
    input: &[f32],
    indexing: Option<&rubato::Indexing>,
    from_hz: u32,
) -> Result<Vec<f32>, AudioError> {
    let failed = |detail: String| AudioError::Resample { from_hz, detail };
    let adapter =
        InterleavedSlice::new(input, 1, input.len()).map_err(|err| failed(err.to_string()))?;
    let output = resampler
        .process(&adapter, indexing)
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
            let expected = (input.len() as f64 * 16_000.0 / f64::from(rate)).round() as i64;
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
    fn streaming_matches_whole_file_resampling() {
        let input = sine(300.0, 48_000, 3.0);
        let whole = resample_mono(&input, 48_000, 16_000).unwrap();
        let mut stream = StreamResampler::new(48_000, 16_000).unwrap();
        let mut streamed = Vec::new();
        // Uneven pieces, as a capture callback delivers them.
        for piece in input.chunks(4_801) {
            streamed.extend(stream.push(piece).unwrap());
        }
        streamed.extend(stream.finish().unwrap());
        assert_eq!(streamed.len(), whole.len());
        let worst = streamed
            .iter()
            .zip(&whole)
            .skip(200)
            .take(whole.len() - 400)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        assert!(worst < 0.01, "largest difference {worst}");
    }

    #[test]
    fn downmix_averages_channels() {
        assert_eq!(downmix(&[1.0, 0.0, 0.5, 0.5], 2), vec![0.5, 0.5]);
        assert_eq!(downmix(&[0.25, -0.25], 1), vec![0.25, -0.25]);
    }
}
