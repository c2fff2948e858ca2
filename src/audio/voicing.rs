//! How much of a stretch of sound is voiced: the share of its loud frames
//! with a clear pitch period. A hesitation ("uh", "um") is a vowel or a hum,
//! voiced from end to end; a word nearly always holds a consonant that is
//! not ("twice", "hour", "close").

/// 40 ms frames (two periods of a 50 Hz voice), every 10 ms.
const FRAME: usize = 640;
const HOP: usize = 160;
/// Pitch from 70 to 400 Hz, as lags in samples at 16 kHz.
const MIN_LAG: usize = 16_000 / 400;
const MAX_LAG: usize = 16_000 / 70;
/// A frame is voiced when the normalised autocorrelation of its windowed
/// samples peaks at least this high inside the pitch range.
const VOICED_PEAK: f64 = 0.4;

/// Share of the frames in `start_ms..end_ms` louder than `loud_rms` that are
/// voiced; `None` when no frame there is loud.
pub fn voiced_share(audio_16k: &[f32], start_ms: u64, end_ms: u64, loud_rms: f64) -> Option<f64> {
    let from = (start_ms * 16) as usize;
    let to = ((end_ms * 16) as usize).min(audio_16k.len());
    let window: Vec<f64> = (0..FRAME)
        .map(|i| 0.5 - 0.5 * (2.0 * std::f64::consts::PI * i as f64 / (FRAME - 1) as f64).cos())
        .collect();
    let (mut loud, mut voiced) = (0usize, 0usize);
    let mut at = from;
    while at + FRAME <= to {
        let frame = &audio_16k[at..at + FRAME];
        at += HOP;
        let rms = (frame.iter().map(|&x| f64::from(x).powi(2)).sum::<f64>() / FRAME as f64).sqrt();
        if rms < loud_rms {
            continue;
        }
        loud += 1;
        let x: Vec<f64> = frame
            .iter()
            .zip(&window)
            .map(|(&s, w)| f64::from(s) * w)
            .collect();
        let energy: f64 = x.iter().map(|v| v * v).sum();
        let peak = (MIN_LAG..MAX_LAG)
            .map(|lag| {
                x[..FRAME - lag]
                    .iter()
                    .zip(&x[lag..])
                    .map(|(a, b)| a * b)
                    .sum::<f64>()
            })
            .fold(f64::NEG_INFINITY, f64::max);
        if energy > 0.0 && peak / energy >= VOICED_PEAK {
            voiced += 1;
        }
    }
    (loud > 0).then(|| voiced as f64 / loud as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noise(ms: u64) -> Vec<f32> {
        let mut seed: u32 = 11;
        (0..ms * 16)
            .map(|_| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                ((seed >> 16) as f32 / 32768.0 - 1.0) * 0.3
            })
            .collect()
    }

    fn tone(ms: u64, hz: f32) -> Vec<f32> {
        (0..ms * 16)
            .map(|i| 0.3 * (2.0 * std::f32::consts::PI * hz * i as f32 / 16_000.0).sin())
            .collect()
    }

    #[test]
    fn a_hum_is_voiced_and_a_hiss_is_not() {
        assert!(voiced_share(&tone(500, 120.0), 0, 500, 0.01).unwrap() > 0.95);
        assert!(voiced_share(&noise(500), 0, 500, 0.01).unwrap() < 0.1);
        // A hum with a hissed consonant in the middle: "uh" is all voice, "us" is not.
        let mut word = tone(300, 120.0);
        word.extend(noise(200));
        let share = voiced_share(&word, 0, 500, 0.01).unwrap();
        assert!((0.4..0.8).contains(&share), "{share}");
        assert_eq!(voiced_share(&vec![0.0; 8000], 0, 500, 0.01), None);
    }
}
