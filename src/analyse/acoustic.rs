//! Acoustic evidence for fillers Whisper left out of the text: it tends to
//! write the "intended" sentence and drop "um"/"uh", but the sound is still in
//! the gap between two words. A gap of at least `acoustic_gap_ms` holding a run
//! of voiced frames (loud compared with the recording's silence, few zero
//! crossings, so not breath or hiss) is reported as a possible filler.

use super::config::AnalysisConfig;
use super::text::Token;
use crate::audio::levels::{HOP_MS, frame_stats, level_range, percentile};

/// Word timestamps are loose by tens of milliseconds: ignore the gap's edges.
const EDGE_MS: u64 = 60;
/// Voiced speech crosses zero far less often than fricatives or noise.
const MAX_VOICED_ZCR: f64 = 0.25;

/// Possible fillers found in long word gaps: the token before the gap and
/// the start (ms) of the voiced run.
pub(crate) fn possible_fillers(
    tokens: &[Token],
    audio_16k: &[f32],
    config: &AnalysisConfig,
) -> Vec<(usize, u64)> {
    let frames = frame_stats(audio_16k);
    if frames.is_empty() || tokens.len() < 2 {
        return Vec::new();
    }
    let Some((floor, speech)) = level_range(&frames) else {
        return Vec::new();
    };
    let min_run = (config.acoustic_voiced_ms / HOP_MS).max(1) as usize;
    let mut found = Vec::new();
    for (before, pair) in tokens.windows(2).enumerate() {
        let gap_start = pair[0].end_ms + EDGE_MS;
        let gap_end = pair[1].start_ms.saturating_sub(EDGE_MS);
        if pair[1].start_ms.saturating_sub(pair[0].end_ms) < config.acoustic_gap_ms
            || gap_end <= gap_start
        {
            continue;
        }
        let first = (gap_start / HOP_MS) as usize;
        let last = ((gap_end / HOP_MS) as usize).min(frames.len());
        if first >= last {
            continue;
        }
        let gap = &frames[first..last];
        let mut gap_levels: Vec<f64> = gap.iter().map(|f| f.rms).collect();
        gap_levels.sort_by(f64::total_cmp);
        // The gap's own quiet part, unless the filler fills the whole gap.
        let gap_floor = percentile(&gap_levels, 0.10).min(floor.max(1e-6) * 4.0);
        let threshold = (gap_floor.max(floor) * 3.2).max(speech * 0.12);
        let mut run = 0;
        for (k, frame) in gap.iter().enumerate() {
            if frame.rms >= threshold && frame.zcr <= MAX_VOICED_ZCR {
                run += 1;
                if run == min_run {
                    found.push((before, (first + k + 1 - min_run) as u64 * HOP_MS));
                    break;
                }
            } else {
                run = 0;
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::testutil::transcript;
    use crate::analyse::text::tokens;

    /// Silence with faint noise, and a vowel-like tone between `from_ms` and `to_ms`.
    fn audio(total_ms: u64, tones: &[(u64, u64, f32)], noise: f32) -> Vec<f32> {
        let n = (total_ms * 16) as usize;
        let mut seed: u32 = 12345;
        (0..n)
            .map(|i| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                let hiss = ((seed >> 16) as f32 / 32768.0 - 1.0) * noise;
                let ms = i as u64 / 16;
                let t = i as f32 / 16_000.0;
                let tone: f32 = tones
                    .iter()
                    .filter(|(a, b, _)| ms >= *a && ms < *b)
                    .map(|(_, _, amp)| amp * (2.0 * std::f32::consts::PI * 180.0 * t).sin())
                    .sum();
                tone + hiss
            })
            .collect()
    }

    #[test]
    fn voiced_sound_in_a_gap_is_a_possible_filler() {
        // Words at 0-250 and 1500-1750 ms; an "uh" at 600-1000 ms; speech tones under the words.
        let t = transcript("We@0 shipped.@1500");
        let samples = audio(
            2000,
            &[(0, 250, 0.3), (1500, 1750, 0.3), (600, 1000, 0.2)],
            0.002,
        );
        let found = possible_fillers(&tokens(&t), &samples, &AnalysisConfig::default());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 0, "after the first word");
        assert!((590..=700).contains(&found[0].1), "{found:?}");
    }

    #[test]
    fn silent_or_noisy_gap_is_not() {
        let t = transcript("We@0 shipped.@1500");
        let quiet = audio(2000, &[(0, 250, 0.3), (1500, 1750, 0.3)], 0.002);
        assert!(possible_fillers(&tokens(&t), &quiet, &AnalysisConfig::default()).is_empty());
        // Loud broadband hiss (a breath) in the gap: high zero-crossing rate.
        let mut breath = quiet.clone();
        let mut seed: u32 = 99;
        for s in &mut breath[600 * 16..1000 * 16] {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            *s += ((seed >> 16) as f32 / 32768.0 - 1.0) * 0.2;
        }
        assert!(possible_fillers(&tokens(&t), &breath, &AnalysisConfig::default()).is_empty());
    }

    #[test]
    fn short_voiced_blip_and_short_gap_are_not() {
        let t = transcript("We@0 shipped.@1500");
        let blip = audio(
            2000,
            &[(0, 250, 0.3), (1500, 1750, 0.3), (700, 780, 0.2)],
            0.002,
        );
        assert!(possible_fillers(&tokens(&t), &blip, &AnalysisConfig::default()).is_empty());
        let close = transcript("We@0 shipped.@500");
        let tone = audio(1000, &[(0, 750, 0.3)], 0.002);
        assert!(possible_fillers(&tokens(&close), &tone, &AnalysisConfig::default()).is_empty());
        assert!(possible_fillers(&tokens(&close), &[], &AnalysisConfig::default()).is_empty());
    }
}
