//! Length, pace and long pauses, all from word timestamps.

use super::config::AnalysisConfig;
use super::text::Token;
use super::types::{PacePoint, Pause};

pub(crate) struct Timing {
    pub answer_s: f64,
    pub words_per_minute: f64,
    pub pace: Vec<PacePoint>,
    pub pauses: Vec<Pause>,
}

pub(crate) fn measure(tokens: &[Token], config: &AnalysisConfig) -> Timing {
    let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else {
        return Timing {
            answer_s: 0.0,
            words_per_minute: 0.0,
            pace: Vec::new(),
            pauses: Vec::new(),
        };
    };
    let start_s = ms_to_s(first.start_ms);
    let end_s = ms_to_s(last.end_ms.max(first.start_ms));
    let answer_s = end_s - start_s;
    let words_per_minute = per_minute(tokens.len(), answer_s);
    Timing {
        answer_s,
        words_per_minute,
        pace: rolling_pace(tokens, start_s, end_s, config),
        pauses: long_pauses(tokens, config.long_pause_s),
    }
}

pub(crate) fn ms_to_s(ms: u64) -> f64 {
    ms as f64 / 1000.0
}

/// `count` events over `seconds`, per minute; 0 when no time passed.
pub(crate) fn per_minute(count: usize, seconds: f64) -> f64 {
    if seconds > 0.0 {
        count as f64 * 60.0 / seconds
    } else {
        0.0
    }
}

/// Words per minute around points every `pace_step_s` from the first word to
/// the last: each point counts the words in a window of `pace_window_s`
/// centred on it, clipped to the speaking span, so the line covers the whole
/// answer (its first and last points from half a window) and silence before
/// the first word dilutes nothing. Answers shorter than one window get one
/// point.
fn rolling_pace(
    tokens: &[Token],
    start_s: f64,
    end_s: f64,
    config: &AnalysisConfig,
) -> Vec<PacePoint> {
    let span = end_s - start_s;
    let width = config.pace_window_s.max(1.0);
    let step = config.pace_step_s.max(0.5);
    if span <= 0.0 {
        return Vec::new();
    }
    if span <= width {
        return vec![PacePoint {
            at_s: round2(start_s + span / 2.0),
            words_per_minute: round1(per_minute(tokens.len(), span)),
        }];
    }
    let steps = (span / step).ceil() as usize;
    (0..=steps)
        .map(|k| (start_s + k as f64 * step).min(end_s))
        .map(|at_s| {
            let from = (at_s - width / 2.0).max(start_s);
            let to = (at_s + width / 2.0).min(end_s);
            let count = tokens
                .iter()
                .filter(|t| {
                    let mid = ms_to_s(t.start_ms + t.end_ms.saturating_sub(t.start_ms) / 2);
                    mid >= from && (mid < to || to >= end_s)
                })
                .count();
            PacePoint {
                at_s: round2(at_s),
                words_per_minute: round1(per_minute(count, to - from)),
            }
        })
        .collect()
}

fn long_pauses(tokens: &[Token], threshold_s: f64) -> Vec<Pause> {
    tokens
        .windows(2)
        .filter_map(|pair| {
            let start_s = ms_to_s(pair[0].end_ms);
            let end_s = ms_to_s(pair[1].start_ms);
            (end_s - start_s >= threshold_s).then_some(Pause {
                start_s: round2(start_s),
                end_s: round2(end_s),
                after_word: pair[0].word,
            })
        })
        .collect()
}

pub(crate) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

pub(crate) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::testutil::transcript;
    use crate::analyse::text::tokens;

    #[test]
    fn speaking_time_and_pace() {
        // 4 words, first starts at 1.0 s, last ends at 4.25 s.
        let t = transcript("We@1000 shipped@2000 it@3000 early.@4000");
        let timing = measure(&tokens(&t), &AnalysisConfig::default());
        assert!((timing.answer_s - 3.25).abs() < 1e-9);
        assert!((timing.words_per_minute - 4.0 * 60.0 / 3.25).abs() < 1e-9);
        assert_eq!(timing.pace.len(), 1);
    }

    #[test]
    fn long_pauses_at_threshold_only() {
        let t = transcript("I@0 waited.@250 +1900 then we@5000 +2000 went.");
        let timing = measure(&tokens(&t), &AnalysisConfig::default());
        // "waited" ends at 0.5 s and "then" starts at 2.48 s: 1.98 s is no pause.
        // "then" ends at 2.73 s, "we" starts at 5.0 s; "went" follows 2.08 s later.
        let starts: Vec<f64> = timing.pauses.iter().map(|p| p.start_s).collect();
        assert_eq!(starts, [2.73, 5.25]);
        assert!((timing.pauses[1].end_s - 7.33).abs() < 1e-9);
    }

    #[test]
    fn rolling_pace_covers_the_answer() {
        // 60 words, one every 500 ms: 30 s of speech at ~120 wpm.
        let spec: Vec<String> = (0..60).map(|i| format!("word@{}", i * 500)).collect();
        let t = transcript(&spec.join(" "));
        let timing = measure(&tokens(&t), &AnalysisConfig::default());
        assert!(timing.pace.len() >= 3, "{:?}", timing.pace);
        for p in &timing.pace {
            assert!((p.words_per_minute - 120.0).abs() < 8.0, "{p:?}");
        }
        // From the first word to the last.
        assert_eq!(timing.pace.first().map(|p| p.at_s), Some(0.0));
        let last_word_end_s = timing.answer_s;
        assert!(
            timing
                .pace
                .last()
                .is_some_and(|p| (p.at_s - last_word_end_s).abs() < 1e-9),
            "{:?}",
            timing.pace
        );
    }

    #[test]
    fn empty_is_zero() {
        let timing = measure(&[], &AnalysisConfig::default());
        assert_eq!(timing.answer_s, 0.0);
        assert_eq!(timing.words_per_minute, 0.0);
        assert!(timing.pace.is_empty() && timing.pauses.is_empty());
    }
}
