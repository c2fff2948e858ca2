//! Puts each sentence's words on the stretches of sound inside it.
//!
//! Once sentences sit between their silences, Whisper's times inside a
//! sentence can still be half a second out: a filler drawn onto the word
//! after it, a clause shifted across the pause that ends it. Yet the
//! speaker's own short pauses (after "so,", around an "um", at a comma) part
//! the sentence into stretches of sound, and every stretch holds whole words.
//! So the words are dealt out to the stretches, in order, by a small dynamic
//! programme: each stretch's length should fit its words at the sentence's
//! pace, and a pause should fall where Whisper put punctuation or a
//! hesitation. A stretch may hold no word (a breath, a cough, or a sound
//! Whisper wrote nothing for), at a price.

use super::hesitation_sound::SOUND_MS;
use super::retime::{Shape, sentences, shape, spread};
use crate::audio::levels::sound_islands;
use crate::hesitation::is_hesitation;
use crate::transcript::Word;

/// Shortest pause that parts two stretches: longer than the closure of a stop
/// consonant inside a word ("kept", "10%"), as short as a quick comma.
const MIN_PAUSE_MS: u64 = 120;
/// Cost of a pause where Whisper's text runs on (no comma, no hesitation).
const RUN_ON_PAUSE_COST: f64 = 1.0;
/// Cost of a stretch with no word.
const EMPTY_STRETCH_COST: f64 = 1.5;
/// Cost per second of moving a word group's start away from Whisper's.
const MOVE_COST_PER_S: f64 = 1.0;
/// Weight of a stretch's misfit: |ln(actual / expected length)|.
const FIT_COST: f64 = 2.0;
/// What a hesitation inside a group of words is expected to take: its
/// length has nothing to do with its letters ("um" is drawn out as long as
/// the speaker thinks). A stretch holding nothing but hesitations fits any
/// length a hesitation can have.
const HESITATION_MS: f64 = 400.0;
/// Shortest a word group is expected to take, whatever its letters.
const MIN_EXPECTED_MS: f64 = 80.0;
/// Above this many words or stretches a sentence keeps its times (the
/// programme grows with their product).
const MAX_WORDS: usize = 200;
const MAX_STRETCHES: usize = 60;

/// Re-times the words of each sentence onto its stretches of sound.
pub(super) fn align_words_on_sound(words: &mut [Word], audio_16k: &[f32]) {
    let Some((islands, _)) = sound_islands(audio_16k, MIN_PAUSE_MS) else {
        return;
    };
    let shapes: Vec<Shape> = words.iter().map(shape).collect();
    for (from, to) in sentences(&shapes) {
        align_sentence(&mut words[from..to], &shapes[from..to], &islands);
    }
}

fn align_sentence(words: &mut [Word], shapes: &[Shape], islands: &[(u64, u64)]) {
    let Some(first) = words.first() else {
        return;
    };
    let span = (
        first.start_ms,
        words
            .iter()
            .map(|w| w.end_ms)
            .max()
            .unwrap_or(first.start_ms),
    );
    let stretches: Vec<(u64, u64)> = islands
        .iter()
        .map(|&(a, b)| (a.max(span.0), b.min(span.1)))
        .filter(|&(a, b)| b > a)
        .collect();
    let n = words.len();
    let k = stretches.len();
    if k == 0 || n > MAX_WORDS || k > MAX_STRETCHES {
        return;
    }
    // A pause is natural after word i when Whisper marked one there.
    let breaks_after = |i: usize| -> bool {
        let text = words[i].text.trim_end();
        text.ends_with([',', ';', ':', '-', '\u{2014}', '\u{2026}'])
            || text.ends_with("..")
            || is_hesitation(&words[i].text)
            || words.get(i + 1).is_some_and(|w| is_hesitation(&w.text))
    };
    let hesitation: Vec<bool> = words.iter().map(|w| is_hesitation(&w.text)).collect();
    // Running sums over the words: letter weight (hesitations left out) and
    // hesitation count.
    let mut weight_before = vec![0.0; n + 1];
    let mut hesitations_before = vec![0usize; n + 1];
    for i in 0..n {
        let spoken = if hesitation[i] { 0.0 } else { shapes[i].weight };
        weight_before[i + 1] = weight_before[i] + spoken;
        hesitations_before[i + 1] = hesitations_before[i] + usize::from(hesitation[i]);
    }
    let sound_ms: u64 = stretches.iter().map(|(a, b)| b - a).sum();
    let hesitation_ms = hesitations_before[n] as f64 * HESITATION_MS;
    let ms_per_weight =
        (sound_ms as f64 - hesitation_ms).max(sound_ms as f64 / 2.0) / weight_before[n].max(1.0);
    let whisper_starts: Vec<u64> = words.iter().map(|w| w.start_ms).collect();
    let fit = |stretch: (u64, u64), from: usize, to: usize| -> f64 {
        let actual_ms = stretch.1 - stretch.0;
        let moved_s = stretch.0.abs_diff(whisper_starts[from]) as f64 / 1000.0;
        let weight = weight_before[to] - weight_before[from];
        let hesitations = hesitations_before[to] - hesitations_before[from];
        let misfit = if weight == 0.0 && SOUND_MS.contains(&actual_ms) {
            0.0
        } else {
            let expected =
                (weight * ms_per_weight + hesitations as f64 * HESITATION_MS).max(MIN_EXPECTED_MS);
            (actual_ms.max(20) as f64 / expected).ln().abs()
        };
        FIT_COST * misfit + MOVE_COST_PER_S * moved_s
    };

    // best[j][i]: least cost with the first j stretches holding the first i words.
    let mut best = vec![vec![f64::INFINITY; n + 1]; k + 1];
    let mut back = vec![vec![0usize; n + 1]; k + 1];
    best[0][0] = 0.0;
    for j in 1..=k {
        let (earlier, later) = best.split_at_mut(j);
        let previous = &earlier[j - 1];
        for i in 0..=n {
            // Stretch j - 1 holds no word.
            let mut top = previous[i] + EMPTY_STRETCH_COST;
            let mut from_here = i;
            for (p, &before) in previous[..i].iter().enumerate() {
                if before == f64::INFINITY {
                    continue;
                }
                let pause = if p == 0 || breaks_after(p - 1) {
                    0.0
                } else {
                    RUN_ON_PAUSE_COST
                };
                let cost = before + pause + fit(stretches[j - 1], p, i);
                if cost < top {
                    top = cost;
                    from_here = p;
                }
            }
            later[0][i] = top;
            back[j][i] = from_here;
        }
    }
    if best[k][n] == f64::INFINITY {
        return;
    }
    let mut groups = vec![(0usize, 0usize); k];
    let mut i = n;
    for j in (1..=k).rev() {
        groups[j - 1] = (back[j][i], i);
        i = back[j][i];
    }
    for (&(from, to), &(start_ms, end_ms)) in groups.iter().zip(&stretches) {
        if to > from {
            spread(&mut words[from..to], &shapes[from..to], start_ms, end_ms);
        }
    }
    // The sentence keeps the span it was settled on: a breath or a click at
    // its edge is no reason to move where it starts or ends.
    words[0].start_ms = span.0;
    if let Some(last) = words.last_mut() {
        last.end_ms = last.end_ms.max(span.1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcribe::retime::tests::{audio, words};

    #[test]
    fn a_filler_shifted_onto_the_next_clause_goes_back_to_its_own_sound() {
        // "So, um, our app was slow." said as three stretches; Whisper put
        // "um" half a second late, over the start of "our app".
        let sound = audio(3000, &[(100, 400), (700, 1000), (1200, 2600)]);
        let mut w = words("So,@100 um,@1250 our@1500 app@1800 was@2100 slow.@2300");
        w[5].end_ms = 2600;
        align_words_on_sound(&mut w, &sound);
        assert!(w[1].start_ms.abs_diff(700) <= 30, "{w:?}");
        assert!(w[1].end_ms.abs_diff(1000) <= 30, "{w:?}");
        assert!(w[2].start_ms.abs_diff(1200) <= 30, "{w:?}");
        assert!(w[0].end_ms <= w[1].start_ms && w[1].end_ms <= w[2].start_ms);
        assert!(
            w.windows(2).all(|p| p[0].start_ms <= p[1].start_ms),
            "{w:?}"
        );
    }

    #[test]
    fn a_stretch_whisper_wrote_nothing_for_stays_empty() {
        // "We shipped it. [cough] Then we rested." as one sentence pair: the
        // cough between is too short for the words around it to move into.
        let sound = audio(4000, &[(100, 1500), (1800, 1950), (2300, 3800)]);
        let mut w = words("We@100 shipped@500 it,@1000 then@2300 we@2900 rested.@3300");
        w[5].end_ms = 3800;
        let before = w.clone();
        align_words_on_sound(&mut w, &sound);
        assert!(w[3].start_ms >= 2250, "{w:?} from {before:?}");
        assert!(w[2].end_ms <= 1550, "{w:?}");
    }
}
