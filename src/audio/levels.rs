//! Frame-by-frame loudness of 16 kHz audio: the one place the level of a
//! stretch of sound is measured for finding silences and voiced gaps.

/// 25 ms frames every 10 ms.
pub const FRAME: usize = 400;
pub const HOP: usize = 160;
pub const HOP_MS: u64 = 10;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub rms: f64,
    /// Zero crossings per sample, 0..=1.
    pub zcr: f64,
}

/// A frame louder than any threshold, to close a trailing quiet run.
pub const LOUD: Frame = Frame {
    rms: f64::INFINITY,
    zcr: 0.0,
};

pub fn frame_stats(audio: &[f32]) -> Vec<Frame> {
    let mut out = Vec::with_capacity(audio.len() / HOP + 1);
    let mut start = 0;
    while start + FRAME <= audio.len() {
        let frame = &audio[start..start + FRAME];
        let energy: f64 = frame.iter().map(|&x| f64::from(x) * f64::from(x)).sum();
        let crossings = frame
            .windows(2)
            .filter(|w| (w[0] >= 0.0) != (w[1] >= 0.0))
            .count();
        out.push(Frame {
            rms: (energy / FRAME as f64).sqrt(),
            zcr: crossings as f64 / FRAME as f64,
        });
        start += HOP;
    }
    out
}

/// The recording's silence floor (10th percentile frame level) and speech
/// level (95th); `None` for a silent recording.
pub fn level_range(frames: &[Frame]) -> Option<(f64, f64)> {
    let mut levels: Vec<f64> = frames.iter().map(|f| f.rms).collect();
    levels.sort_by(f64::total_cmp);
    let floor = percentile(&levels, 0.10);
    let speech = percentile(&levels, 0.95);
    (speech > 0.0).then_some((floor, speech))
}

pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let idx = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

/// Shortest silence that can separate two sentences.
const MIN_SILENCE_MS: u64 = 150;

/// Silent stretches `(start_ms, end_ms)` of the recording, in order.
pub fn silences(audio_16k: &[f32]) -> Vec<(u64, u64)> {
    quiet_runs(audio_16k, MIN_SILENCE_MS)
}

/// Stretches of sound `(start_ms, end_ms)`, in order: what lies between
/// quiet runs of at least `min_gap_ms`. A short gap is enough to part a
/// hesitation from the words around it, where a sentence needs a longer one.
/// With them, the frame level (RMS) below which the recording is quiet, to
/// tell what is loud inside them; `None` for a silent recording.
pub fn sound_islands(audio_16k: &[f32], min_gap_ms: u64) -> Option<(Vec<(u64, u64)>, f64)> {
    let frames = frame_stats(audio_16k);
    let threshold = quiet_threshold(&frames)?;
    let end_ms = (audio_16k.len() / HOP) as u64 * HOP_MS;
    let mut islands = Vec::new();
    let mut from = 0;
    for (start, end) in quiet_runs_in(&frames, threshold, min_gap_ms) {
        if start > from {
            islands.push((from, start));
        }
        from = end;
    }
    if end_ms > from {
        islands.push((from, end_ms));
    }
    Some((islands, threshold))
}

fn quiet_threshold(frames: &[Frame]) -> Option<f64> {
    level_range(frames).map(|(floor, speech)| (floor * 3.2).max(speech * 0.06))
}

/// Quiet stretches of at least `min_ms`, against the recording's own levels.
fn quiet_runs(audio_16k: &[f32], min_ms: u64) -> Vec<(u64, u64)> {
    let frames = frame_stats(audio_16k);
    match quiet_threshold(&frames) {
        Some(threshold) => quiet_runs_in(&frames, threshold, min_ms),
        None => Vec::new(),
    }
}

fn quiet_runs_in(frames: &[Frame], threshold: f64, min_ms: u64) -> Vec<(u64, u64)> {
    let min_frames = (min_ms / HOP_MS) as usize;
    let mut out = Vec::new();
    let mut run_start: Option<usize> = None;
    for (k, frame) in frames
        .iter()
        .enumerate()
        .chain(std::iter::once((frames.len(), &LOUD)))
    {
        let silent = frame.rms < threshold;
        match (silent, run_start) {
            (true, None) => run_start = Some(k),
            (false, Some(start)) => {
                if k - start >= min_frames {
                    // Frames are 25 ms wide: the silence starts where the
                    // first quiet frame ends its overlap with speech.
                    out.push((start as u64 * HOP_MS + 15, k as u64 * HOP_MS));
                }
                run_start = None;
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_silences() {
        // A 150 Hz tone over 200-1000 ms and 1600-2800 ms, faint hiss elsewhere.
        let mut seed: u32 = 7;
        let audio: Vec<f32> = (0..3000 * 16)
            .map(|i| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                let hiss = ((seed >> 16) as f32 / 32768.0 - 1.0) * 0.001;
                let ms = i / 16;
                let on = (200..1000).contains(&ms) || (1600..2800).contains(&ms);
                let t = i as f32 / 16_000.0;
                hiss + if on {
                    0.3 * (2.0 * std::f32::consts::PI * 150.0 * t).sin()
                } else {
                    0.0
                }
            })
            .collect();
        let s = silences(&audio);
        assert_eq!(s.len(), 3, "{s:?}");
        assert!(
            s[1].0.abs_diff(1000) <= 40 && s[1].1.abs_diff(1600) <= 40,
            "{s:?}"
        );
        assert!(silences(&[]).is_empty());
    }
}
