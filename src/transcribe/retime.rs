//! Settles word times against the audio, once, before anything downstream
//! reads them. Whisper's word timestamps drift by seconds inside a window (a
//! sentence squeezed into half a second, the next one starting late), which
//! would put fillers, pauses and sections in the wrong place. Sentence ends
//! are where a speaker stops: each sentence boundary Whisper reports is moved
//! to the nearby silence that best fits (long, close, in order), and the
//! words between two boundaries are spread over the new span.

use super::hesitation_sound::place_hesitations_on_their_sound;
use super::phrases::align_words_on_sound;
use crate::audio::levels::silences;
use crate::transcript::{TRANSCRIPT_SCHEMA_VERSION, Transcript, Word, ends_sentence};

/// How far from Whisper's boundary a silence may be.
const SEARCH_MS: u64 = 3500;

/// What re-timing needs to know of a word.
pub(super) struct Shape {
    /// Letters and digits: a rough measure of how long it takes to say.
    pub(super) weight: f64,
    pub(super) ends_sentence: bool,
}

pub(super) fn shape(word: &Word) -> Shape {
    let text = word.text.trim();
    Shape {
        weight: text.chars().filter(|c| c.is_alphanumeric()).count() as f64 + 2.0,
        ends_sentence: ends_sentence(text),
    }
}

/// Settles a transcript's word times on the audio it came from, and its
/// segments' spans on their words; the transcript is then of the current
/// schema (times final).
pub fn settle_transcript_times(transcript: &mut Transcript, audio_16k: &[f32]) {
    rewrite_times(transcript, |words| settle_word_times(words, audio_16k));
}

/// Brings a stored transcript's word times up to the current schema. Version
/// 1 kept Whisper's own times and is settled in full; versions 2 and 3 have
/// their sentences settled and lack the steps inside a sentence: words on
/// their stretches of sound, then hesitations on their own sound.
pub fn update_transcript_times(transcript: &mut Transcript, audio_16k: &[f32]) {
    if transcript.schema_version < 2 {
        settle_transcript_times(transcript, audio_16k);
    } else if transcript.schema_version < TRANSCRIPT_SCHEMA_VERSION {
        rewrite_times(transcript, |words| {
            align_words_on_sound(words, audio_16k);
            place_hesitations_on_their_sound(words, audio_16k);
        });
    }
}

fn rewrite_times(transcript: &mut Transcript, settle: impl FnOnce(&mut [Word])) {
    let mut words: Vec<Word> = transcript.words().cloned().collect();
    settle(&mut words);
    let mut settled = words.into_iter();
    for segment in &mut transcript.segments {
        for word in &mut segment.words {
            if let Some(new) = settled.next() {
                *word = new;
            }
        }
        segment.span_words();
    }
    transcript.schema_version = TRANSCRIPT_SCHEMA_VERSION;
}

/// Moves sentence boundaries onto silences and re-times the words between.
///
/// The boundaries are placed jointly (a small dynamic programme): each must
/// land on its own silence, in order, and the choice is scored by how long the
/// silence is, how far it is from Whisper's boundary, and how well each
/// sentence's new length fits its word count at the answer's average pace.
pub fn settle_word_times(words: &mut [Word], audio_16k: &[f32]) {
    if words.len() < 2 {
        return;
    }
    let gaps = silences(audio_16k);
    keep_words_out_of_silences(words, &gaps);
    align_sentences_on_silences(words, &gaps, audio_16k.len() as u64 / 16);
    // No word may end after the audio does.
    let audio_ms = (!audio_16k.is_empty()).then_some(audio_16k.len() as u64 / 16);
    spread_collapsed_runs(words, audio_ms);
    align_words_on_sound(words, audio_16k);
    place_hesitations_on_their_sound(words, audio_16k);
    if let Some(end_ms) = audio_ms {
        for word in words.iter_mut() {
            word.start_ms = word.start_ms.min(end_ms);
            word.end_ms = word.end_ms.clamp(word.start_ms, end_ms);
        }
    }
}

/// Whisper sometimes stamps a whole run of words with one time (at a window
/// edge, most often). Such a run, and any word that starts before the one
/// before it, is spread over the time between its neighbours, by length.
fn spread_collapsed_runs(words: &mut [Word], audio_ms: Option<u64>) {
    // Starts never go backwards.
    for k in 1..words.len() {
        if words[k].start_ms < words[k - 1].start_ms {
            words[k].start_ms = words[k - 1].start_ms;
            words[k].end_ms = words[k].end_ms.max(words[k].start_ms);
        }
    }
    let mut k = 0;
    while k < words.len() {
        // A run of words sharing one start time.
        let mut end = k + 1;
        while end < words.len() && words[end].start_ms == words[k].start_ms {
            end += 1;
        }
        if end - k >= 2 {
            let from = words[k].start_ms;
            let next_start = words.get(end).map(|w| w.start_ms);
            let run_end = words[k..end].iter().map(|w| w.end_ms).max().unwrap_or(from);
            // Up to the next word, or as long as the words take to say.
            let weights: Vec<Shape> = words[k..end].iter().map(shape).collect();
            let needed = weights.iter().map(|s| s.weight).sum::<f64>() * MS_PER_WEIGHT;
            let to = next_start
                .unwrap_or(run_end.max(from + needed as u64))
                .max(from + (end - k) as u64 * 20)
                .min(audio_ms.unwrap_or(u64::MAX))
                .max(from);
            spread_by_length(&mut words[k..end], &weights, from, to);
        }
        k = end;
    }
}

/// About 160 words a minute for an average word's weight: a stand-in pace
/// where a collapsed run has no following word to end at.
const MS_PER_WEIGHT: f64 = 55.0;

/// A word is sound: where Whisper's word reaches into a silence, it ends
/// where the silence begins, and a word that starts inside a silence starts
/// where the silence ends (when that is before the next word). Whisper's
/// alignment gives each word's start; its end is only the next word's start,
/// which would put every pause inside the word before it.
fn keep_words_out_of_silences(words: &mut [Word], gaps: &[(u64, u64)]) {
    for k in 0..words.len() {
        let next_start = words.get(k + 1).map_or(u64::MAX, |w| w.start_ms);
        let word = &mut words[k];
        if let Some(&(_, gap_end)) = gaps
            .iter()
            .find(|&&(a, b)| a <= word.start_ms && word.start_ms < b)
            && gap_end < next_start
        {
            word.start_ms = gap_end;
            word.end_ms = word.end_ms.max(word.start_ms);
        }
        if let Some(&(gap_start, _)) = gaps
            .iter()
            .find(|&&(a, _)| word.start_ms < a && a < word.end_ms)
        {
            word.end_ms = gap_start;
        }
    }
}

/// Sentences as Whisper punctuated them: (first word, one past last).
pub(super) fn sentences(shapes: &[Shape]) -> Vec<(usize, usize)> {
    let mut sentences = Vec::new();
    let mut from = 0;
    for (i, shape) in shapes.iter().enumerate() {
        if shape.ends_sentence || i + 1 == shapes.len() {
            sentences.push((from, i + 1));
            from = i + 1;
        }
    }
    sentences
}

fn align_sentences_on_silences(words: &mut [Word], gaps: &[(u64, u64)], audio_ms: u64) {
    if gaps.is_empty() {
        // No speech, or no pause at all: nothing to anchor on.
        return;
    }
    let shapes: Vec<Shape> = words.iter().map(shape).collect();
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

    let sentences = sentences(&shapes);
    let first_start = words[0].start_ms;
    let last_end = words[words.len() - 1].end_ms;
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
    let weight =
        |range: (usize, usize)| -> f64 { shapes[range.0..range.1].iter().map(|s| s.weight).sum() };
    let total_weight: f64 = sentences.iter().map(|&r| weight(r)).sum();
    let ms_per_weight = end.saturating_sub(start) as f64 / total_weight.max(1.0);

    let cuts = if sentences.len() == 1 {
        Some(Vec::new())
    } else {
        place_boundaries(
            words,
            &sentences,
            &inner,
            (start, end),
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
        spread(
            &mut words[from..to],
            &shapes[from..to],
            span_start,
            span_end.max(span_start),
        );
    }
}

/// The silence chosen for each boundary, or `None` when there are too few.
fn place_boundaries(
    words: &[Word],
    sentences: &[(usize, usize)],
    gaps: &[(u64, u64)],
    (start, end): (u64, u64),
    ms_per_weight: f64,
    weight: &dyn Fn((usize, usize)) -> f64,
) -> Option<Vec<(u64, u64)>> {
    let m = sentences.len() - 1;
    let n = gaps.len();
    if n < m {
        return None;
    }
    let whisper_at = |b: usize| {
        u64::midpoint(
            words[sentences[b].1 - 1].end_ms,
            words[sentences[b + 1].0].start_ms,
        )
    };
    let fit = |from_ms: u64, to_ms: u64, sentence: usize| -> f64 {
        let expected = (weight(sentences[sentence]) * ms_per_weight).max(200.0);
        let actual = (to_ms.saturating_sub(from_ms) as f64).max(50.0);
        (actual / expected).ln().abs() * 2.0
    };
    let gap_score = |b: usize, g: usize| -> f64 {
        let (a, z) = gaps[g];
        let mid = u64::midpoint(a, z);
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
pub(super) fn spread(words: &mut [Word], shapes: &[Shape], start_ms: u64, end_ms: u64) {
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
    spread_by_length(words, shapes, start_ms, end_ms);
}

/// Spaces words over `[start_ms, end_ms]` in proportion to their length.
fn spread_by_length(words: &mut [Word], shapes: &[Shape], start_ms: u64, end_ms: u64) {
    let new_span = end_ms.saturating_sub(start_ms) as f64;
    let total: f64 = shapes.iter().map(|s| s.weight).sum();
    let mut at = start_ms as f64;
    for (w, shape) in words.iter_mut().zip(shapes) {
        let len = new_span * shape.weight / total;
        w.start_ms = at.round() as u64;
        w.end_ms = (at + len * 0.9).round() as u64;
        at += len;
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Speech-like tone over `spans`, faint noise elsewhere.
    pub(in crate::transcribe) fn audio(total_ms: u64, spans: &[(u64, u64)]) -> Vec<f32> {
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

    /// `"word@start_ms"` items, each 300 ms long.
    pub(in crate::transcribe) fn words(spec: &str) -> Vec<Word> {
        spec.split_whitespace()
            .map(|item| {
                let (text, at) = item.split_once('@').expect("word@ms");
                let start_ms: u64 = at.parse().expect("ms");
                Word {
                    text: text.to_string(),
                    start_ms,
                    end_ms: start_ms + 300,
                    probability: 0.9,
                }
            })
            .collect()
    }

    #[test]
    fn late_sentence_is_pulled_back_to_its_pause() {
        // Speech 0.2-2.0 s and 2.6-5.0 s; Whisper put the second sentence at 3.6 s.
        let a = audio(5500, &[(200, 2000), (2600, 5000)]);
        let mut w = words("We@200 had@700 a@1200 bug.@1600 I@3600 fixed@4000 it.@4500");
        settle_word_times(&mut w, &a);
        assert!(w[4].start_ms.abs_diff(2600) <= 60, "{w:?}");
        assert!(w[3].end_ms.abs_diff(2000) <= 60, "{w:?}");
        assert!(w[0].start_ms.abs_diff(200) <= 60, "{w:?}");
        assert!(w[6].end_ms.abs_diff(5000) <= 60, "{w:?}");
        for pair in w.windows(2) {
            assert!(pair[0].start_ms <= pair[1].start_ms);
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
        let mut w = words(
            "One@200 two@700 three@1200 four.@1700 \
             a@2800 b@3000 c@3200 d@3400 e@3600 f@3800 g@4000 h.@4200 \
             five@5400 six@5900 seven@6400 eight.@6900",
        );
        settle_word_times(&mut w, &a);
        assert!(w[4].start_ms.abs_diff(2800) <= 60, "{w:?}");
        assert!(w[12].start_ms.abs_diff(7400) <= 60, "{w:?}");
        assert!(w[11].end_ms <= 6850, "{w:?}");
    }

    #[test]
    fn words_stamped_with_one_time_are_spread_to_the_next_word() {
        let mut w = words("We@1000 shipped@1000 the@1000 fix.@1000 Then@3000 tests.@3400");
        settle_word_times(&mut w, &[]);
        assert_eq!(w[0].start_ms, 1000);
        for pair in w[..5].windows(2) {
            assert!(pair[0].start_ms < pair[1].start_ms, "{w:?}");
            assert!(pair[0].end_ms <= pair[1].start_ms, "{w:?}");
        }
        assert!(w[3].end_ms <= 3000, "{w:?}");
        // The last run, with nothing after it, still gets room to be said.
        // ...but never past the end of the audio.
        let mut clipped = words("And@5000 that@5000 was@5000 it.@5000");
        settle_word_times(&mut clipped, &vec![0.0; 16 * 5_400]);
        assert!(clipped.iter().all(|w| w.end_ms <= 5_400), "{clipped:?}");
        assert!(clipped[3].start_ms > clipped[0].start_ms, "{clipped:?}");
        let mut tail = words("And@5000 that@5000 was@5000 it.@5000");
        settle_word_times(&mut tail, &[]);
        assert!(
            tail[3].start_ms > 5000 && tail[3].end_ms > tail[3].start_ms,
            "{tail:?}"
        );
    }

    #[test]
    fn silent_or_empty_audio_leaves_times_alone() {
        let mut w = words("We@200 had@700 a@1200 bug.@1600 I@3600 fixed@4000 it.@4500");
        let before = w.clone();
        settle_word_times(&mut w, &[]);
        assert_eq!(w, before);
        settle_word_times(&mut w, &vec![0.0; 16_000 * 6]);
        assert_eq!(w, before);
    }

    #[test]
    fn a_pause_is_not_part_of_the_word_before_or_after_it() {
        // "um" said 1.0-1.4 s, a pause, "then" from 2.2 s. Aligned, "um"
        // runs to the next word's start and "then" begins 100 ms early.
        let gaps = [(0, 1000), (1400, 2200)];
        let mut w = words("um@980 then@2100");
        w[0].end_ms = 2100;
        keep_words_out_of_silences(&mut w, &gaps);
        assert_eq!((w[0].start_ms, w[0].end_ms), (1000, 1400), "{w:?}");
        assert_eq!(w[1].start_ms, 2200, "{w:?}");
        // A word inside a silence that runs past the next word stays put.
        let mut inside = words("a@500 b@700");
        keep_words_out_of_silences(&mut inside, &[(400, 900)]);
        assert_eq!(inside[0].start_ms, 500, "{inside:?}");
    }
}
