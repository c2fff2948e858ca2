//! Re-times words against the audio. Whisper's word timestamps drift by
//! seconds inside a 30 s window (a sentence squeezed into half a second, the
//! next one starting late), which puts fillers, pauses and sections in the wrong
//! place. Sentence ends are where a speaker stops: each sentence boundary
//! Whisper reports is moved to the nearby silence that best fits (long, close,
//! in order), and the words between two boundaries are spread linearly over
//! the new span.

use super::acoustic::{HOP_MS, frame_stats, level_range};
use super::text::Token;

/// Shortest silence that can separate two sentences.
const MIN_SILENCE_MS: u64 = 150;
/// How far from Whisper's boundary a silence may be.
const SEARCH_MS: u64 = 3500;

/// Silent stretches `(start_ms, end_ms)` of the recording, in order.
pub(crate) fn silences(audio_16k: &[f32]) -> Vec<(u64, u64)> {
    let frames = frame_stats(audio_16k);
    let Some((floor, speech)) = level_range(&frames) else {
        return Vec::new();
    };
    let threshold = (floor * 3.2).max(speech * 0.06);
    let min_frames = (MIN_SILENCE_MS / HOP_MS) as usize;
    let mut out = Vec::new();
    let mut run_start: Option<usize> = None;
    for (k, frame) in frames
        .iter()
        .enumerate()
        .chain(std::iter::once((frames.len(), &super::acoustic::LOUD)))
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

/// Moves sentence boundaries onto silences and re-times the words between.
///
/// The boundaries are placed jointly (a small dynamic programme): each must
/// land on its own silence, in order, and the choice is scored by how long the
/// silence is, how far it is from Whisper's boundary, and how well each
/// sentence's new length fits its word count at the answer's average pace.
pub(crate) fn retime(tokens: &mut [Token], audio_16k: &[f32]) {
    if tokens.len() < 2 {
        return;
    }
    let gaps = silences(audio_16k);
    if gaps.is_empty() {
        // No speech, or no pause at all: nothing to anchor on.
        return;
    }
    let audio_ms = audio_16k.len() as u64 / 16;
    // Speech runs from the end of an opening silence to the start of a closing one.
    let onset = gaps.first().filter(|g| g.0 <= 30).map_or(0, |g| g.1);
    let offset = gaps
        .last()
        .filter(|g| g.1 + 30 >= audio_ms)
        .map_or(audio_ms, |g| g.0);
    if offset <= onset {
        return;
    }
    let inner: Vec<(u64, u64)> = gaps
        .iter()
        .copied()
        .filter(|g| g.0 > onset && g.1 < offset)
        .collect();

    // Sentences as Whisper punctuated them: (first token, one past last).
    let mut sentences: Vec<(usize, usize)> = Vec::new();
    let mut from = 0;
    for (i, token) in tokens.iter().enumerate() {
        if token.ends_sentence || i + 1 == tokens.len() {
            sentences.push((from, i + 1));
            from = i + 1;
        }
    }
    let first_start = tokens[0].start_ms;
    let last_end = tokens[tokens.len() - 1].end_ms;
    let start = if first_start.abs_diff(onset) <= SEARCH_MS {
        onset
    } else {
        first_start
    };
    let end = if last_end.abs_diff(offset) <= SEARCH_MS {
        offset
    } else {
        last_end.max(start)
    };
    let weight = |range: (usize, usize)| -> f64 {
        tokens[range.0..range.1]
            .iter()
            .map(|t| t.norm.chars().count() as f64 + 2.0)
            .sum()
    };
    let total_weight: f64 = sentences.iter().map(|&r| weight(r)).sum();
    let ms_per_weight = end.saturating_sub(start) as f64 / total_weight.max(1.0);

    let boundaries = sentences.len() - 1;
    let cuts = if boundaries == 0 {
        Some(Vec::new())
    } else {
        place_boundaries(
            tokens,
            &sentences,
            &inner,
            start,
            end,
            ms_per_weight,
            &weight,
        )
    };
    let Some(cuts) = cuts else {
        return;
    };

    // Each sentence's new span: from the end of the silence before it to the start of the one after.
    for (k, &(from, to)) in sentences.iter().enumerate() {
        let span_start = if k == 0 { start } else { cuts[k - 1].1 };
        let span_end = if k + 1 == sentences.len() {
            end
        } else {
            cuts[k].0
        };
        spread(&mut tokens[from..to], span_start, span_end.max(span_start));
    }
}

/// The silence chosen for each boundary, or `None` when there are too few.
fn place_boundaries(
    tokens: &[Token],
    sentences: &[(usize, usize)],
    gaps: &[(u64, u64)],
    start: u64,
    end: u64,
    ms_per_weight: f64,
    weight: &dyn Fn((usize, usize)) -> f64,
) -> Option<Vec<(u64, u64)>> {
    let m = sentences.len() - 1;
    let n = gaps.len();
    if n < m {
        return None;
    }
    let whisper_at =
        |b: usize| (tokens[sentences[b].1 - 1].end_ms + tokens[sentences[b + 1].0].start_ms) / 2;
    let fit = |from_ms: u64, to_ms: u64, sentence: usize| -> f64 {
        let expected = (weight(sentences[sentence]) * ms_per_weight).max(200.0);
        let actual = (to_ms.saturating_sub(from_ms) as f64).max(50.0);
        (actual / expected).ln().abs() * 2.0
    };
    let gap_score = |b: usize, g: usize| -> f64 {
        let (a, z) = gaps[g];
        let mid = (a + z) / 2;
        let length_s = (z - a).min(1000) as f64 / 1000.0;
        let distance_s = mid.abs_diff(whisper_at(b)) as f64 / 1000.0;
        if distance_s * 1000.0 > 2.0 * SEARCH_MS as f64 {
            return f64::NEG_INFINITY;
        }
        1.5 * length_s - 0.4 * distance_s
    };
    // best[b][g]: best score with boundary b on gap g; back[b][g]: gap of boundary b - 1.
    let mut best = vec![vec![f64::NEG_INFINITY; n]; m];
    let mut back = vec![vec![0usize; n]; m];
    for g in 0..n {
        best[0][g] = gap_score(0, g) - fit(start, gaps[g].0, 0);
    }
    for b in 1..m {
        for g in b..n {
            let here = gap_score(b, g);
            if here == f64::NEG_INFINITY {
                continue;
            }
            let mut top = f64::NEG_INFINITY;
            for p in (b - 1)..g {
                if best[b - 1][p] == f64::NEG_INFINITY {
                    continue;
                }
                let value = best[b - 1][p] - fit(gaps[p].1, gaps[g].0, b);
                if value > top {
                    top = value;
                    back[b][g] = p;
                }
            }
            best[b][g] = top + here;
        }
    }
    let (mut g, score) = (0..n)
        .map(|g| (g, best[m - 1][g] - fit(gaps[g].1, end, m)))
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    if score == f64::NEG_INFINITY {
        return None;
    }
    let mut chosen = vec![0usize; m];
    for b in (0..m).rev() {
        chosen[b] = g;
        g = back[b][g];
    }
    Some(chosen.into_iter().map(|g| gaps[g]).collect())
}

/// Spreads words over `[start_ms, end_ms]`: keeps Whisper's relative timing
/// when its span is plausible, else spaces words by their length.
fn spread(words: &mut [Token], start_ms: u64, end_ms: u64) {
    let Some(first) = words.first() else {
        return;
    };
    let old_start = first.start_ms;
    let old_end = words
        .iter()
        .map(|w| w.end_ms)
        .max()
        .unwrap_or(old_start)
        .max(old_start);
    let old_span = (old_end - old_start) as f64;
    let new_span = end_ms.saturating_sub(start_ms) as f64;
    let plausible = new_span > 0.0 && old_span / new_span > 0.6 && old_span / new_span < 1.6;
    if plausible {
        for w in words.iter_mut() {
            let map = |ms: u64| {
                start_ms + ((ms - old_start) as f64 / old_span.max(1.0) * new_span).round() as u64
            };
            w.start_ms = map(w.start_ms.max(old_start));
            w.end_ms = map(w.end_ms.max(old_start)).max(w.start_ms);
        }
        return;
    }
    let weights: Vec<f64> = words
        .iter()
        .map(|w| w.norm.chars().count() as f64 + 2.0)
        .collect();
    let total: f64 = weights.iter().sum();
    let mut at = start_ms as f64;
    for (w, weight) in words.iter_mut().zip(weights) {
        let len = new_span * weight / total;
        w.start_ms = at.round() as u64;
        w.end_ms = (at + len * 0.9).round() as u64;
        at += len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::testutil::transcript;
    use crate::analyse::text::tokens;

    /// Speech-like tone over `spans`, faint noise elsewhere.
    fn audio(total_ms: u64, spans: &[(u64, u64)]) -> Vec<f32> {
        let mut seed: u32 = 7;
        (0..total_ms * 16)
            .map(|i| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                let hiss = ((seed >> 16) as f32 / 32768.0 - 1.0) * 0.001;
                let ms = i / 16;
                let t = i as f32 / 16_000.0;
                let on = spans.iter().any(|(a, b)| ms >= *a && ms < *b);
                hiss + if on {
                    0.3 * (2.0 * std::f32::consts::PI * 150.0 * t).sin()
                } else {
                    0.0
                }
            })
            .collect()
    }

    #[test]
    fn finds_silences() {
        let a = audio(3000, &[(200, 1000), (1600, 2800)]);
        let s = silences(&a);
        assert_eq!(s.len(), 3, "{s:?}");
        assert!(
            s[1].0.abs_diff(1000) <= 40 && s[1].1.abs_diff(1600) <= 40,
            "{s:?}"
        );
    }

    #[test]
    fn late_sentence_is_pulled_back_to_its_pause() {
        // Speech 0.2-2.0 s and 2.6-5.0 s; Whisper put the second sentence at 3.6 s.
        let a = audio(5500, &[(200, 2000), (2600, 5000)]);
        let t = transcript("We@200 had@700 a@1200 bug.@1600 I@3600 fixed@4000 it.@4500");
        let mut toks = tokens(&t);
        retime(&mut toks, &a);
        assert!(toks[4].start_ms.abs_diff(2600) <= 60, "{toks:?}");
        assert!(toks[3].end_ms.abs_diff(2000) <= 60, "{toks:?}");
        assert!(toks[0].start_ms.abs_diff(200) <= 60, "{toks:?}");
        assert!(toks[6].end_ms.abs_diff(5000) <= 60, "{toks:?}");
        for w in toks.windows(2) {
            assert!(w[0].start_ms <= w[1].start_ms);
        }
    }

    #[test]
    fn boundaries_are_placed_together_by_length() {
        // Three sentences of 4, 8 and 4 words spoken 0.2-2.2, 2.8-6.8 and 7.4-9.4 s,
        // with a short comma pause inside the long one at 4.6-4.8 s.
        let a = audio(
            10_000,
            &[(200, 2200), (2800, 4600), (4800, 6800), (7400, 9400)],
        );
        // Whisper squeezed the middle sentence and started the last one 2 s early.
        let t = transcript(
            "One@200 two@700 three@1200 four.@1700 \
             a@2800 b@3000 c@3200 d@3400 e@3600 f@3800 g@4000 h.@4200 \
             five@5400 six@5900 seven@6400 eight.@6900",
        );
        let mut toks = tokens(&t);
        retime(&mut toks, &a);
        assert!(toks[4].start_ms.abs_diff(2800) <= 60, "{toks:?}");
        assert!(toks[12].start_ms.abs_diff(7400) <= 60, "{toks:?}");
        assert!(toks[11].end_ms <= 6850, "{toks:?}");
    }

    #[test]
    fn silent_or_empty_audio_leaves_times_alone() {
        let t = transcript("We@200 had@700 a@1200 bug.@1600 I@3600 fixed@4000 it.@4500");
        let mut toks = tokens(&t);
        let before = toks.clone();
        retime(&mut toks, &[]);
        assert_eq!(toks, before);
        retime(&mut toks, &vec![0.0; 16_000 * 6]);
        assert_eq!(toks, before);
    }
}
