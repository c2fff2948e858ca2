//! RMS level meter over 100 ms windows, with silence tracking.

/// Level reported for digital silence (the log of zero is minus infinity).
pub const MIN_DBFS: f32 = -120.0;

/// Loud audio needed before silence may end a take, so one click doesn't arm auto-stop.
const SPEECH_MIN_MS: u64 = 200;

/// RMS of `samples` in dB relative to full scale (a full-scale square wave is 0 dBFS).
pub fn rms_dbfs(samples: &[f32]) -> f32 {
    if samples.is_empty() {
        return MIN_DBFS;
    }
    let sum_sq: f64 = samples.iter().map(|&s| f64::from(s) * f64::from(s)).sum();
    let rms = (sum_sq / samples.len() as f64).sqrt();
    if rms <= 0.0 {
        return MIN_DBFS;
    }
    ((20.0 * rms.log10()) as f32).max(MIN_DBFS)
}

/// One finished 100 ms window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LevelReading {
    pub elapsed_ms: u64,
    pub rms_dbfs: f32,
    pub silent_for_ms: u64,
    /// Enough loud audio has been heard for silence auto-stop to apply.
    pub speech_heard: bool,
}

/// Splits mono audio into 100 ms windows and tracks how long it has been quiet.
#[derive(Debug, Clone)]
pub struct LevelMeter {
    window_frames: usize,
    window_ms: u64,
    threshold_dbfs: f32,
    buf: Vec<f32>,
    windows_done: u64,
    loud_ms: u64,
    silent_for_ms: u64,
}

impl LevelMeter {
    pub fn new(sample_rate: u32, threshold_dbfs: f32) -> Self {
        let window_frames = (sample_rate as usize / 10).max(1);
        Self {
            window_frames,
            window_ms: 100,
            threshold_dbfs,
            buf: Vec::with_capacity(window_frames),
            windows_done: 0,
            loud_ms: 0,
            silent_for_ms: 0,
        }
    }

    /// Feed mono samples; returns the readings of the windows they completed.
    pub fn push(&mut self, mono: &[f32]) -> Vec<LevelReading> {
        let mut out = Vec::new();
        let mut rest = mono;
        while !rest.is_empty() {
            let take = (self.window_frames - self.buf.len()).min(rest.len());
            self.buf.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            if self.buf.len() == self.window_frames {
                out.push(self.close_window());
            }
        }
        out
    }

    fn close_window(&mut self) -> LevelReading {
        let level = rms_dbfs(&self.buf);
        self.buf.clear();
        self.windows_done += 1;
        if level < self.threshold_dbfs {
            self.silent_for_ms += self.window_ms;
        } else {
            self.silent_for_ms = 0;
            self.loud_ms += self.window_ms;
        }
        LevelReading {
            elapsed_ms: self.windows_done * self.window_ms,
            rms_dbfs: level,
            silent_for_ms: self.silent_for_ms,
            speech_heard: self.loud_ms >= SPEECH_MIN_MS,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(amplitude: f32, frames: usize) -> Vec<f32> {
        (0..frames)
            .map(|i| amplitude * (i as f32 * 2.0 * std::f32::consts::PI * 440.0 / 16000.0).sin())
            .collect()
    }

    #[test]
    fn full_scale_sine_is_minus_3_dbfs() {
        let level = rms_dbfs(&sine(1.0, 16000));
        assert!((level + 3.01).abs() < 0.05, "{level}");
        assert_eq!(rms_dbfs(&[0.0; 100]), MIN_DBFS);
        assert_eq!(rms_dbfs(&[]), MIN_DBFS);
    }

    #[test]
    fn windows_and_silence_tracking() {
        let mut meter = LevelMeter::new(16000, -40.0);
        // 250 ms of silence: two windows, half a window pending.
        let r = meter.push(&vec![0.0; 4000]);
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].elapsed_ms, 200);
        assert_eq!(r[1].silent_for_ms, 200);
        assert!(!r[1].speech_heard);
        // 300 ms of tone at -9 dBFS: loud, resets silence, arms speech.
        let mut tone = vec![0.0; 0];
        tone.extend(sine(0.5, 4800));
        let r = meter.push(&tone);
        assert_eq!(r.len(), 3);
        assert_eq!(r.last().map(|r| r.silent_for_ms), Some(0));
        assert!(r.last().is_some_and(|r| r.speech_heard));
        // One more second of silence.
        let r = meter.push(&vec![0.0; 16000]);
        let last = r.last().copied().expect("windows");
        assert_eq!(last.elapsed_ms, 1500);
        assert!(
            last.silent_for_ms >= 900 && last.silent_for_ms <= 1000,
            "{last:?}"
        );
    }
}
