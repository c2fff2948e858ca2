//! Cutting a recording into windows under Whisper's 30 s, at pauses.
//!
//! Whisper decodes 30 s windows; letting whisper.cpp slide over a long answer
//! loses the initial prompt on later windows (see the README's notes on
//! fillers), and a live take has to be decoded piece by piece anyway. So we
//! cut ourselves, at the quietest stretch we can find, never mid-word.

/// 20 ms analysis frames at 16 kHz.
const FRAME: usize = 320;
const SAMPLE_RATE: usize = 16_000;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChunkPolicy {
    /// Never cut before this much audio has gathered, unless it is the end.
    pub min_ms: u64,
    /// Always cut before this (whisper's window is 30 s).
    pub max_ms: u64,
    /// A quiet stretch at least this long is a good place to cut.
    pub pause_ms: u64,
}

impl ChunkPolicy {
    /// Whole files: long windows give Whisper the most context.
    pub const BATCH: ChunkPolicy = ChunkPolicy {
        min_ms: 18_000,
        max_ms: 28_000,
        pause_ms: 300,
    };
    /// Live takes: short windows so little is left to decode after the stop.
    pub const LIVE: ChunkPolicy = ChunkPolicy {
        min_ms: 6_000,
        max_ms: 20_000,
        pause_ms: 400,
    };
}

/// Where to cut `samples` (16 kHz mono, everything not yet cut), as a sample
/// count, or `None` to wait for more audio. With `is_final` the rest is
/// always taken.
pub fn next_cut(samples: &[f32], policy: ChunkPolicy, is_final: bool) -> Option<usize> {
    let max = ms_to_samples(policy.max_ms);
    if samples.len() <= max {
        if is_final {
            return (!samples.is_empty()).then_some(samples.len());
        }
        if samples.len() < ms_to_samples(policy.min_ms) {
            return None;
        }
    }
    let frames = frame_levels_db(&samples[..samples.len().min(max)]);
    let quiet_db = quiet_threshold_db(&frames);
    let min_frame = ms_to_samples(policy.min_ms) / FRAME;
    let pause_frames = (ms_to_samples(policy.pause_ms) / FRAME).max(1);
    // Do not cut in a pause that may still be the start of a word still being
    // spoken: on live audio the last 300 ms can end a quiet run early.
    let last_usable = if samples.len() > max {
        frames.len()
    } else {
        frames.len().saturating_sub(15)
    };
    let best = quiet_runs(&frames, quiet_db)
        .filter(|run| run.end > min_frame && run.start < last_usable)
        .filter(|run| run.len() >= pause_frames || samples.len() > max)
        .max_by_key(|run| (run.len().min(pause_frames * 3), run.start));
    match best {
        Some(run) => {
            let mid_frame = (run.start.max(min_frame) + run.end.min(last_usable)) / 2;
            Some((mid_frame * FRAME).clamp(1, samples.len()))
        }
        None if samples.len() > max => Some(max),
        None if is_final => Some(samples.len()),
        None => None,
    }
}

/// Splits a whole recording into (start, end) sample ranges.
pub fn plan(samples: &[f32], policy: ChunkPolicy) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut start = 0;
    while start < samples.len() {
        let Some(length) = next_cut(&samples[start..], policy, true) else {
            break;
        };
        ranges.push((start, start + length));
        start += length;
    }
    ranges
}

fn ms_to_samples(ms: u64) -> usize {
    (ms as usize) * SAMPLE_RATE / 1000
}

/// RMS level of each 20 ms frame in dBFS.
pub fn frame_levels_db(samples: &[f32]) -> Vec<f32> {
    samples
        .chunks(FRAME)
        .map(|frame| {
            let mean_square = frame.iter().map(|s| s * s).sum::<f32>() / frame.len() as f32;
            10.0 * (mean_square + 1e-12).log10()
        })
        .collect()
}

/// Whether a window holds any speech at all: at least 100 ms of frames
/// louder than -45 dBFS. Whisper invents text ("Thank you.") for silence, and
/// the stretch between the last words and the stop is often silent.
pub fn has_speech(samples: &[f32]) -> bool {
    frame_levels_db(samples)
        .iter()
        .filter(|&&level| level > -45.0)
        .count()
        >= 5
}

/// A frame is quiet when it is within 12 dB of the recording's noise floor
/// (its 10th percentile level), or below -50 dBFS outright.
fn quiet_threshold_db(frames: &[f32]) -> f32 {
    if frames.is_empty() {
        return -50.0;
    }
    let mut sorted = frames.to_vec();
    sorted.sort_by(f32::total_cmp);
    let floor = sorted[sorted.len() / 10];
    (floor + 12.0).max(-50.0)
}

#[derive(Debug, Clone, Copy)]
struct Run {
    start: usize,
    end: usize,
}

impl Run {
    fn len(&self) -> usize {
        self.end - self.start
    }
}

fn quiet_runs(frames: &[f32], quiet_db: f32) -> impl Iterator<Item = Run> + '_ {
    let mut index = 0;
    std::iter::from_fn(move || {
        while index < frames.len() && frames[index] > quiet_db {
            index += 1;
        }
        if index >= frames.len() {
            return None;
        }
        let start = index;
        while index < frames.len() && frames[index] <= quiet_db {
            index += 1;
        }
        Some(Run { start, end: index })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Alternating "speech" (noise bursts) and silences, lengths in ms.
    fn speech_with_pauses(parts_ms: &[(u64, bool)]) -> Vec<f32> {
        let mut seed = 1u32;
        let mut samples = Vec::new();
        for &(ms, voiced) in parts_ms {
            for _ in 0..ms_to_samples(ms) {
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                let noise = (seed >> 8) as f32 / (1u32 << 24) as f32 - 0.5;
                samples.push(if voiced { noise * 0.5 } else { noise * 0.001 });
            }
        }
        samples
    }

    #[test]
    fn silence_and_clicks_are_not_speech() {
        assert!(!has_speech(&speech_with_pauses(&[(5_000, false)])));
        let mut click = speech_with_pauses(&[(2_000, false)]);
        click[16_000] = 0.9;
        assert!(!has_speech(&click));
        assert!(has_speech(&speech_with_pauses(&[
            (1_000, false),
            (300, true)
        ])));
    }

    #[test]
    fn short_audio_is_one_chunk() {
        let audio = speech_with_pauses(&[(5_000, true)]);
        assert_eq!(plan(&audio, ChunkPolicy::BATCH), vec![(0, audio.len())]);
    }

    #[test]
    fn long_audio_is_cut_inside_pauses_and_under_the_window() {
        let parts: Vec<(u64, bool)> = (0..12)
            .flat_map(|i| [(4_000 + (i % 3) * 700, true), (600, false)])
            .collect();
        let audio = speech_with_pauses(&parts);
        let ranges = plan(&audio, ChunkPolicy::BATCH);
        assert!(ranges.len() >= 2, "{ranges:?}");
        let mut silent_spans = Vec::new();
        let mut at = 0;
        for &(ms, voiced) in &parts {
            let len = ms_to_samples(ms);
            if !voiced {
                silent_spans.push((at, at + len));
            }
            at += len;
        }
        for &(start, end) in &ranges[..ranges.len() - 1] {
            assert!(end - start <= ms_to_samples(28_000));
            assert!(
                silent_spans.iter().any(|&(a, b)| end > a && end < b),
                "cut at {} s is not in a pause",
                end as f32 / 16_000.0
            );
        }
        assert_eq!(ranges.last().unwrap().1, audio.len());
    }

    #[test]
    fn unbroken_speech_is_still_cut_before_thirty_seconds() {
        let audio = speech_with_pauses(&[(65_000, true)]);
        let ranges = plan(&audio, ChunkPolicy::BATCH);
        assert!(ranges.iter().all(|(a, b)| b - a <= ms_to_samples(28_000)));
        assert_eq!(ranges.last().unwrap().1, audio.len());
    }

    #[test]
    fn live_policy_waits_for_enough_audio_then_a_pause() {
        let early = speech_with_pauses(&[(3_000, true), (600, false), (1_000, true)]);
        assert_eq!(next_cut(&early, ChunkPolicy::LIVE, false), None);
        let later = speech_with_pauses(&[(7_000, true), (700, false), (1_000, true)]);
        let cut = next_cut(&later, ChunkPolicy::LIVE, false).expect("a cut in the pause");
        assert!(
            cut > ms_to_samples(7_000) && cut < ms_to_samples(7_700),
            "{cut}"
        );
    }
}
