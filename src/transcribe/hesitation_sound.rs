//! Puts a hesitation Whisper wrote on its own sound.
//!
//! Whisper often stamps an "uh" or "um" with no length, glued to the next
//! word and up to a second and a half after it was said: the report would
//! mark the next word, and against the truth the filler would be both missed
//! and invented. A hesitation is a stretch of sound of its own, parted from
//! its neighbours by short gaps, and voiced from end to end (a vowel or a
//! hum; Goto, Itou and Hayamizu 1999). So when the stretch of sound just
//! before the next word's stretch is as long as a hesitation and all voice,
//! the hesitation goes there, and any word Whisper had put after that point
//! is moved back to it.
//!
//! Voicing is what tells a hesitation from the last word of the sentence
//! before ("…twice. Um, rather than"): on the tune part of the corpus, moves
//! after a full stop put 3 hesitations right and 8 wrong without the check,
//! 3 right and 2 wrong with it; inside sentences 8 right and 1 wrong without,
//! 8 and 0 with it.

use crate::audio::levels::sound_islands;
use crate::audio::voicing::voiced_share;
use crate::hesitation::is_hesitation;
use crate::transcript::Word;

/// Shortest gap that parts a hesitation from the words around it.
pub(super) const MIN_GAP_MS: u64 = 60;
/// How long a hesitation's own stretch of sound may be.
pub(super) const SOUND_MS: std::ops::RangeInclusive<u64> = 150..=1000;
/// How far before Whisper's stamp the sound may end.
const MAX_SHIFT_MS: u64 = 1500;
/// Share of a stretch's loud frames that must be voiced for a hesitation.
const MIN_VOICED_SHARE: f64 = 0.9;
/// How far after the next word's stamp its stretch of sound may begin.
const NEXT_WORD_REACH_MS: u64 = 300;

/// Moves each lone hesitation onto its sound. Starts stay in order: a word
/// before it that Whisper put later ends up at its start.
pub(super) fn place_hesitations_on_their_sound(words: &mut [Word], audio_16k: &[f32]) {
    let Some((islands, loud_rms)) = sound_islands(audio_16k, MIN_GAP_MS) else {
        return;
    };
    for k in 1..words.len().saturating_sub(1) {
        // A run of hesitations ("um, uh,") has no one stretch to go to.
        if !is_hesitation(&words[k].text)
            || is_hesitation(&words[k - 1].text)
            || is_hesitation(&words[k + 1].text)
        {
            continue;
        }
        let next_start = words[k + 1].start_ms;
        let Some(next_island) = islands
            .iter()
            .position(|&(a, b)| b > next_start && a <= next_start + NEXT_WORD_REACH_MS)
        else {
            continue;
        };
        let Some(&(start, end)) = next_island.checked_sub(1).map(|i| &islands[i]) else {
            continue;
        };
        let stamp = words[k].start_ms;
        let already_there = (start..end).contains(&stamp);
        let before_stamp = start < stamp && end + MAX_SHIFT_MS >= stamp;
        if !SOUND_MS.contains(&(end - start))
            || already_there
            || !before_stamp
            || voiced_share(audio_16k, start, end, loud_rms).unwrap_or(0.0) < MIN_VOICED_SHARE
        {
            continue;
        }
        words[k].start_ms = start;
        words[k].end_ms = end;
        for word in words[..k].iter_mut().rev() {
            if word.end_ms <= start {
                break;
            }
            word.start_ms = word.start_ms.min(start);
            word.end_ms = start;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcribe::retime::tests::{audio, words};
    use crate::transcribe::update_transcript_times;
    use crate::transcript::{Segment, TRANSCRIPT_SCHEMA_VERSION, Transcript};

    /// "We added the key, [uh] and I committed to it": the "uh" said over
    /// 2.2-2.65 s, between short gaps; Whisper stamps it with no length on
    /// the next word, at 2.75 s.
    fn take(before: &str) -> (Vec<f32>, Vec<Word>) {
        let sound = audio(4800, &[(200, 2000), (2200, 2650), (2750, 4500)]);
        let mut w = words(&format!(
            "We@200 added@600 the@1100 {before}@1400 uh,@2750 and@2760 I@3200 committed@3600"
        ));
        w[4].end_ms = w[4].start_ms;
        (sound, w)
    }

    #[test]
    fn a_hesitation_stamped_on_the_next_word_moves_onto_its_sound() {
        let (sound, mut w) = take("key,");
        place_hesitations_on_their_sound(&mut w, &sound);
        assert!(w[4].start_ms.abs_diff(2200) <= 40, "{w:?}");
        assert!(w[4].end_ms.abs_diff(2650) <= 40, "{w:?}");
        assert_eq!(w[5].start_ms, 2760, "the next word stays: {w:?}");
    }

    #[test]
    fn a_word_stamped_over_the_hesitation_moves_back_before_it() {
        let (sound, mut w) = take("key,");
        w[3].start_ms = 2300;
        w[3].end_ms = 2600;
        place_hesitations_on_their_sound(&mut w, &sound);
        assert!(w[4].start_ms.abs_diff(2200) <= 40, "{w:?}");
        assert!(w[3].start_ms <= w[4].start_ms && w[3].end_ms <= w[4].start_ms);
        assert!(
            w.windows(2).all(|p| p[0].start_ms <= p[1].start_ms),
            "{w:?}"
        );
    }

    #[test]
    fn a_stretch_with_a_hiss_in_it_is_a_word_not_a_hesitation() {
        // "…the key. Us…": the stretch before the next word ends in a hissed
        // consonant, so it is the end of the sentence before, not the "uh".
        let (mut sound, mut w) = take("key.");
        let mut seed: u32 = 3;
        for sample in &mut sound[2450 * 16..2650 * 16] {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            *sample = ((seed >> 16) as f32 / 32768.0 - 1.0) * 0.3;
        }
        let before = w.clone();
        place_hesitations_on_their_sound(&mut w, &sound);
        assert_eq!(w, before);
        // All voice, the same stretch after a full stop is the hesitation.
        let (sound, mut w) = take("key.");
        place_hesitations_on_their_sound(&mut w, &sound);
        assert!(w[4].start_ms.abs_diff(2200) <= 40, "{w:?}");
    }

    #[test]
    fn a_hesitation_said_into_the_next_word_stays() {
        // No gap between "uh" and "and": the stretch before is the first
        // clause, far longer than a hesitation.
        let sound = audio(4800, &[(200, 2000), (2200, 4500)]);
        let mut w = words("We@200 added@600 the@1100 key,@1400 uh,@2750 and@2760 I@3200");
        w[4].end_ms = w[4].start_ms;
        let before = w.clone();
        place_hesitations_on_their_sound(&mut w, &sound);
        assert_eq!(w, before);
    }

    /// The same take stored by an older version, times otherwise settled;
    /// the "uh" parted from "and" by 200 ms, a pause a sentence's words are
    /// put on their stretches of sound by.
    fn stored(schema_version: u32) -> (Vec<f32>, Transcript) {
        let sound = audio(4800, &[(200, 2000), (2200, 2650), (2850, 4500)]);
        let mut w =
            words("We@200 added@600 the@1100 key,@1400 uh,@2860 and@2870 I@3200 committed@3600");
        w[4].end_ms = w[4].start_ms;
        let segment = Segment {
            start_ms: w[0].start_ms,
            end_ms: w[w.len() - 1].end_ms,
            text: Segment::words_text(&w),
            words: w,
        };
        let transcript = Transcript {
            schema_version,
            model: "ggml-tiny.en.bin".into(),
            duration_ms: 4800,
            text: segment.text.clone(),
            segments: vec![segment],
        };
        (sound, transcript)
    }

    #[test]
    fn a_take_stored_before_the_steps_inside_a_sentence_gets_them() {
        for version in [2, 3] {
            let (sound, mut transcript) = stored(version);
            update_transcript_times(&mut transcript, &sound);
            assert_eq!(transcript.schema_version, TRANSCRIPT_SCHEMA_VERSION);
            let w = &transcript.segments[0].words;
            assert!(w[4].start_ms.abs_diff(2200) <= 40, "v{version}: {w:?}");
            assert!(w[4].end_ms.abs_diff(2650) <= 40, "v{version}: {w:?}");
            // The words around it stay on their own stretches of sound.
            assert!(w[..4].iter().all(|x| x.end_ms <= 2040), "v{version}: {w:?}");
            assert!(w[5].start_ms.abs_diff(2850) <= 40, "v{version}: {w:?}");
        }
    }

    #[test]
    fn a_current_take_is_left_as_stored() {
        let (sound, mut transcript) = stored(TRANSCRIPT_SCHEMA_VERSION);
        let before = transcript.clone();
        update_transcript_times(&mut transcript, &sound);
        assert_eq!(transcript, before);
    }
}
