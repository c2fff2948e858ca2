//! Whisper's mel filterbank, computed from the formula instead of shipped as data.
//!
//! Whisper uses librosa's `filters.mel(sr=16000, n_fft=400, n_mels=N)` with its defaults: the
//! Slaney mel scale and Slaney area normalisation, fmin 0, fmax = sr / 2. To agree with librosa
//! bit for bit we follow its exact order of operations: every intermediate in f64, the triangle
//! weights rounded to f32, then multiplied (in f64) by the normalisation and rounded to f32 again.

/// Whisper's audio sample rate.
pub const SAMPLE_RATE_HZ: f64 = 16_000.0;
/// Whisper's FFT window length in samples.
pub const N_FFT: usize = 400;
/// Frequency bins per filter: `1 + N_FFT / 2`.
pub const N_FREQ_BINS: usize = 1 + N_FFT / 2;

// Slaney mel scale constants, as in librosa's `hz_to_mel` / `mel_to_hz` with `htk=False`.
const F_SP_HZ_PER_MEL: f64 = 200.0 / 3.0;
const MIN_LOG_HZ: f64 = 1000.0;

fn log_step() -> f64 {
    6.4f64.ln() / 27.0
}

fn min_log_mel() -> f64 {
    MIN_LOG_HZ / F_SP_HZ_PER_MEL
}

/// Hertz to Slaney mel (librosa `hz_to_mel`, `htk=False`).
pub fn hz_to_mel(hz: f64) -> f64 {
    if hz >= MIN_LOG_HZ {
        min_log_mel() + (hz / MIN_LOG_HZ).ln() / log_step()
    } else {
        hz / F_SP_HZ_PER_MEL
    }
}

/// Slaney mel to hertz (librosa `mel_to_hz`, `htk=False`).
pub fn mel_to_hz(mel: f64) -> f64 {
    if mel >= min_log_mel() {
        MIN_LOG_HZ * (log_step() * (mel - min_log_mel())).exp()
    } else {
        F_SP_HZ_PER_MEL * mel
    }
}

/// numpy's `linspace(start, stop, num)` with endpoint: `i * step + start`, last = `stop`.
fn linspace(start: f64, stop: f64, num: usize) -> Vec<f64> {
    if num == 0 {
        return Vec::new();
    }
    if num == 1 {
        return vec![start];
    }
    let step = (stop - start) / (num - 1) as f64;
    let mut out: Vec<f64> = (0..num).map(|i| i as f64 * step + start).collect();
    out[num - 1] = stop;
    out
}

/// numpy's `rfftfreq(n, d=1/sr)`: `k * (1 / (n * d))`.
fn fft_frequencies_hz() -> Vec<f64> {
    let d = 1.0 / SAMPLE_RATE_HZ;
    let val = 1.0 / (N_FFT as f64 * d);
    (0..N_FREQ_BINS).map(|k| k as f64 * val).collect()
}

/// The mel filterbank whisper.cpp stores in its model header: `n_mels` rows of
/// [`N_FREQ_BINS`] (201) weights, row-major.
pub fn whisper_mel_filters(n_mels: usize) -> Vec<f32> {
    let fft_hz = fft_frequencies_hz();
    let max_mel = hz_to_mel(SAMPLE_RATE_HZ / 2.0);
    let mel_hz: Vec<f64> = linspace(hz_to_mel(0.0), max_mel, n_mels + 2)
        .into_iter()
        .map(mel_to_hz)
        .collect();

    let mut weights = vec![0f32; n_mels * N_FREQ_BINS];
    for (i, row) in weights.chunks_exact_mut(N_FREQ_BINS).enumerate() {
        let fdiff_lo = mel_hz[i + 1] - mel_hz[i];
        let fdiff_hi = mel_hz[i + 2] - mel_hz[i + 1];
        // Slaney area normalisation: each triangle scaled to unit area.
        let enorm = 2.0 / (mel_hz[i + 2] - mel_hz[i]);
        for (w, &f) in row.iter_mut().zip(&fft_hz) {
            let lower = -(mel_hz[i] - f) / fdiff_lo;
            let upper = (mel_hz[i + 2] - f) / fdiff_hi;
            // librosa: `np.maximum(0, np.minimum(lower, upper))` stored into an f32 array.
            // numpy's maximum keeps the second operand on a tie, so bin 0 of filter 0 is -0.0.
            let m = lower.min(upper);
            let tri = (if 0.0 > m { 0.0 } else { m }) as f32;
            // ...then `weights *= enorm[:, None]`, computed in f64 and rounded back to f32.
            *w = (f64::from(tri) * enorm) as f32;
        }
    }
    weights
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An independent, all-f64 evaluation of the same filters, written from the definition
    /// (triangles between adjacent mel-spaced centre frequencies, area-normalised).
    fn reference_f64(n_mels: usize) -> Vec<f64> {
        let mel_of = |hz: f64| {
            if hz < 1000.0 {
                3.0 * hz / 200.0
            } else {
                15.0 + 27.0 * (hz / 1000.0).ln() / 6.4f64.ln()
            }
        };
        let hz_of = |mel: f64| {
            if mel < 15.0 {
                200.0 * mel / 3.0
            } else {
                1000.0 * 6.4f64.powf((mel - 15.0) / 27.0)
            }
        };
        let top = mel_of(8000.0);
        let centres: Vec<f64> = (0..n_mels + 2)
            .map(|i| hz_of(top * i as f64 / (n_mels + 1) as f64))
            .collect();
        let mut out = Vec::with_capacity(n_mels * 201);
        for m in 0..n_mels {
            let (lo, mid, hi) = (centres[m], centres[m + 1], centres[m + 2]);
            for k in 0..201 {
                let f = f64::from(k) * 8000.0 / 200.0;
                let tri = if f <= lo || f >= hi {
                    0.0
                } else if f <= mid {
                    (f - lo) / (mid - lo)
                } else {
                    (hi - f) / (hi - mid)
                };
                out.push(tri * 2.0 / (hi - lo));
            }
        }
        out
    }

    #[test]
    fn mel_filters_match_independent_formula() {
        let ours = whisper_mel_filters(80);
        let reference = reference_f64(80);
        assert_eq!(ours.len(), 80 * 201);
        let max_abs_diff = ours
            .iter()
            .zip(&reference)
            .map(|(&a, &b)| (f64::from(a) - b).abs())
            .fold(0.0, f64::max);
        let max_value = ours.iter().copied().fold(0f32, f32::max);
        eprintln!(
            "mel bank: max |ours - f64 reference| = {max_abs_diff:.3e}, max value {max_value}"
        );
        assert!(max_abs_diff < 1e-8, "max abs diff {max_abs_diff}");
        assert!((max_value - 0.02588).abs() < 1e-5, "max value {max_value}");
        let first_nonzero = ours[..201].iter().filter(|&&w| w != 0.0).count();
        assert_eq!(
            first_nonzero, 1,
            "first filter should have exactly one non-zero bin"
        );
        // Every filter has some weight; the bank is non-negative.
        for (i, row) in ours.chunks_exact(201).enumerate() {
            assert!(row.iter().any(|&w| w > 0.0), "filter {i} is empty");
            assert!(
                row.iter().all(|&w| w >= 0.0),
                "filter {i} has a negative weight"
            );
        }
    }

    /// FNV-1a 64 of the little-endian f32 bytes.
    fn fingerprint(bank: &[f32]) -> u64 {
        bank.iter()
            .flat_map(|v| v.to_le_bytes())
            .fold(0xcbf2_9ce4_8422_2325, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
            })
    }

    #[test]
    fn mel_filters_are_bit_identical_to_whispers_shipped_banks() {
        // Fingerprints of `mel_80.npy` and `mel_128.npy` from openai-whisper's
        // `whisper/assets/mel_filters.npz` (release 20250625), the banks Whisper was trained with.
        assert_eq!(fingerprint(&whisper_mel_filters(80)), 0x173a_8442_ad00_0426);
        assert_eq!(
            fingerprint(&whisper_mel_filters(128)),
            0x4319_6325_f8f5_1341
        );
    }

    #[test]
    fn mel_scale_round_trips_and_is_continuous_at_1khz() {
        for hz in [0.0, 40.0, 999.0, 1000.0, 1001.0, 4000.0, 8000.0] {
            let back = mel_to_hz(hz_to_mel(hz));
            assert!((back - hz).abs() < 1e-9, "{hz} -> {back}");
        }
        assert!((hz_to_mel(1000.0) - 15.0).abs() < 1e-12);
        assert!((hz_to_mel(999.999_999) - 15.0).abs() < 1e-6);
    }

    #[test]
    fn linspace_hits_both_ends() {
        let v = linspace(0.0, 3.0, 4);
        assert_eq!(v, vec![0.0, 1.0, 2.0, 3.0]);
        assert!(linspace(0.0, 1.0, 0).is_empty());
    }
}
