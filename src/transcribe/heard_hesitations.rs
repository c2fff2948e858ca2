//! Finds the "um"s and "uh"s Whisper left out, even primed.
//!
//! A filled pause is a short voiced sound of its own, parted from the words
//! around it by short gaps (Goto, Itou and Hayamizu 1999). Whisper hears it
//! well enough alone; inside a sentence it often writes the sentence the
//! speaker meant and drops it. So each short voiced sound of a window is
//! checked in two steps:
//! 1. after the window's decode, one decoder step asks how likely a
//!    segment starting at that sound opens with a hesitation (cheap: the
//!    window's encoding is reused);
//! 2. a sound likely enough is cut out, set in silence and transcribed on
//!    its own; it is a hesitation when that text is nothing but one.
//!
//! The second step is what makes it precise: on the corpus, step 1 alone at
//! any threshold that finds the missed ones also flags dozens of word onsets.
//! A heard hesitation goes into the transcript once its times are settled,
//! where Whisper wrote none nearby.

use crate::audio::levels::sound_islands;
use crate::audio::voicing::voiced_share;
use crate::hesitation::canonical_filler;
use crate::transcript::{Segment, Transcript, Word};

use super::hesitation_sound::{MIN_GAP_MS, SOUND_MS};
use super::join_text;
use super::retime::shape;

/// Share of a sound's loud frames that must be voiced to ask about it: every
/// labelled "um" and "uh" of the corpus's tune part is at least 0.71.
const MIN_VOICED_SHARE: f64 = 0.7;
/// Step 1's probability above which a sound is transcribed alone. Step 2
/// decides, so a lower bar costs time, not precision: on answers 51–58, 23
/// of 320 sounds are asked about at 0.15 (20 at 0.2), 130 ms each. Every
/// labelled "um" and "uh" of the first 30 tune answers scores at least 0.23;
/// on 51–58 four score under 0.2 (0.01–0.17), and the one at 0.17 that
/// Whisper left out is not heard as one alone either.
pub(super) const MIN_HESITATION_ODDS: f32 = 0.15;
/// What is kept of the sound's surroundings, and the silence set around it.
const EDGE_MS: u64 = 100;
const SILENCE_MS: usize = 300;
/// How many text tokens the clip's transcription may take: a hesitation is
/// one or two ("Uh", "...").
pub(super) const CLIP_TOKENS: u8 = 4;
/// How near (before its start, after its end) a hesitation Whisper wrote
/// makes a heard one the same.
const SAME_BEFORE_MS: u64 = 500;
const SAME_AFTER_MS: u64 = 300;

/// A hesitation heard at a sound Whisper wrote nothing for.
#[derive(Debug, Clone, PartialEq)]
pub struct HeardHesitation {
    pub start_ms: u64,
    pub end_ms: u64,
    /// Canonical spelling: "um", "uh"…
    pub word: &'static str,
    /// Step 1's probability.
    pub odds: f32,
}

/// The short voiced sounds of a window, `(start_ms, end_ms)` from its start.
pub(super) fn sounds_to_ask_about(window_16k: &[f32]) -> Vec<(u64, u64)> {
    let Some((islands, loud_rms)) = sound_islands(window_16k, MIN_GAP_MS) else {
        return Vec::new();
    };
    islands
        .into_iter()
        .filter(|&(a, b)| SOUND_MS.contains(&(b - a)))
        .filter(|&(a, b)| {
            voiced_share(window_16k, a, b, loud_rms).is_some_and(|v| v >= MIN_VOICED_SHARE)
        })
        .collect()
}

/// A sound cut out of its window with a little of its edges, set in silence.
pub(super) struct Clip {
    pub samples_16k: Vec<f32>,
    /// Where the sound ends in the clip.
    pub sound_end_ms: u64,
}

/// The sound with a little of its edges, in silence.
pub(super) fn clip(window_16k: &[f32], (start_ms, end_ms): (u64, u64)) -> Clip {
    let from_ms = start_ms.saturating_sub(EDGE_MS);
    let from = (from_ms * 16) as usize;
    let to = (((end_ms + EDGE_MS) * 16) as usize).min(window_16k.len());
    let silence = SILENCE_MS * 16;
    let mut samples_16k = vec![0.0; silence];
    samples_16k.extend_from_slice(&window_16k[from.min(to)..to]);
    samples_16k.resize(samples_16k.len() + silence, 0.0);
    Clip {
        samples_16k,
        sound_end_ms: SILENCE_MS as u64 + end_ms - from_ms,
    }
}

/// The text of the words said within the clip's sound. Alone in silence,
/// Whisper often goes on past a hesitation with words timed in the silence
/// after it ("um, done, done" for an "um"): those were never said. The first
/// word always counts: in a clip this short its time is often late (on the
/// corpus, three "um"s and "uh"s were timed past their sound's end).
pub(super) fn said_in_sound(segments: &[Segment], clip: &Clip) -> String {
    segments
        .iter()
        .flat_map(|segment| &segment.words)
        .enumerate()
        .filter(|(k, word)| {
            *k == 0 || u64::midpoint(word.start_ms, word.end_ms) <= clip.sound_end_ms
        })
        .map(|(_, word)| word.text.trim())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The hesitation a clip's text is, when it is nothing else ("Uh...",
/// "um, um"); `None` for any word.
pub(super) fn hesitation_in(text: &str) -> Option<&'static str> {
    let mut words = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric));
    let first = words.next()?;
    // Alone in silence, an "uh" often comes back as a bare "u": every one
    // of the 6 clips read so on the corpus and the dev answers was an "uh".
    // In running text a lone "u" is not counted (`canonical_filler`).
    if first
        .trim_matches(|c: char| !c.is_alphanumeric())
        .eq_ignore_ascii_case("u")
    {
        return words.next().is_none().then_some("uh");
    }
    let first = canonical_filler(first)?;
    words
        .all(|w| canonical_filler(w).is_some())
        .then_some(first)
}

/// Puts each heard hesitation into the transcript (times settled) where
/// Whisper wrote none near it, and moves the one Whisper wrote near it onto
/// its sound. Words overlapping its sound give way.
pub(super) fn add_heard_hesitations(transcript: &mut Transcript, heard: &[HeardHesitation]) {
    for hesitation in heard {
        let near = transcript.words().position(|w| {
            canonical_filler(&w.text).is_some()
                && w.end_ms + SAME_BEFORE_MS > hesitation.start_ms
                && w.start_ms < hesitation.end_ms + SAME_AFTER_MS
        });
        match near {
            Some(index) => move_onto_sound(&mut transcript.segments, index, hesitation),
            None => insert(&mut transcript.segments, hesitation),
        }
    }
    reopen_asked_hesitations(&mut transcript.segments);
    capitalise_sentence_openers(&mut transcript.segments);
    for segment in &mut transcript.segments {
        segment.text = Segment::words_text(&segment.words);
        segment.span_words();
    }
    transcript.text = join_text(&transcript.segments);
}

/// Whisper writes an "uh" that opens a sentence as a question closing the
/// one before: "a problem I kept having, huh? Our log agent…" (all 3 of its
/// "huh?"s on the corpus were so). It is put back where it was said, at the
/// head of the next sentence, and the sentence before ends with a full stop:
/// "…kept having. Uh, our log agent…". The sentence it opens is where its
/// time lies, and where `show` and the report mark it.
fn reopen_asked_hesitations(segments: &mut [Segment]) {
    let places: Vec<(usize, usize)> = segments
        .iter()
        .enumerate()
        .flat_map(|(s, seg)| (0..seg.words.len()).map(move |w| (s, w)))
        .collect();
    let mut reopened = Vec::new();
    for (k, &(s, w)) in places.iter().enumerate() {
        let text = segments[s].words[w].text.trim();
        let asked = text.ends_with('?')
            && text
                .trim_matches(|c: char| !c.is_alphanumeric())
                .eq_ignore_ascii_case("huh");
        let Some(&(ns, nw)) = places.get(k + 1) else {
            continue;
        };
        let opens_next = segments[ns].words[nw]
            .text
            .trim_start()
            .starts_with(|c: char| c.is_uppercase());
        if !asked || !opens_next {
            continue;
        }
        segments[s].words[w].text = "Uh,".to_string();
        if let Some(&(ps, pw)) = k.checked_sub(1).and_then(|p| places.get(p)) {
            let before = &mut segments[ps].words[pw].text;
            if !before.trim_end().ends_with(['.', '!', '?']) {
                let kept = before.trim_end_matches([',', ';', ':']).len();
                before.truncate(kept);
                before.push('.');
            }
        }
        lower_sentence_start(&mut segments[ns].words[nw].text);
        reopened.push((s, w, ns));
    }
    // One that ended its segment (and was not all of it) opens the next.
    for (s, w, ns) in reopened {
        if ns != s && w + 1 == segments[s].words.len() && w > 0 {
            let word = segments[s].words.remove(w);
            segments[ns].words.insert(0, word);
        }
    }
}

/// Whisper sometimes starts a window in lower case after a full stop, as if
/// the sentence went on: "…nothing for a month." then "support could never…".
/// The analysis starts a sentence there, so it is written as one. A
/// hesitation that opens a sentence, Whisper's or one put in here, is
/// capitalised after a full stop anywhere ("um," opening a window). A word
/// with a capital already ("iOS"), and the answer's first word, are left as
/// Whisper wrote them.
fn capitalise_sentence_openers(segments: &mut [Segment]) {
    let mut after_stop = true;
    let mut before_any_word = true;
    for segment in segments.iter_mut() {
        for (k, word) in segment.words.iter_mut().enumerate() {
            let text = word.text.trim_start();
            let opens = canonical_filler(text).is_some() || (k == 0 && !before_any_word);
            if after_stop
                && opens
                && text.starts_with(|c: char| c.is_ascii_lowercase())
                && !text.chars().any(char::is_uppercase)
            {
                let lead = word.text.len() - text.len();
                word.text[lead..=lead].make_ascii_uppercase();
            }
            if !word.text.trim().is_empty() {
                after_stop = shape(word).ends_sentence;
                before_any_word = false;
            }
        }
    }
}

/// How far Whisper's stamp of a hesitation may be from the sound it was
/// heard on and be left alone.
const SETTLED_MS: u64 = 150;

/// Whisper's own hesitation, stamped away from the sound it was heard on
/// (at the end of the sentence before, as "human, huh? I rewrote", or 0.4 s
/// early): its time comes from that sound, which was measured, and the words
/// around it give way. Left where it is when a whole word lies between.
fn move_onto_sound(segments: &mut [Segment], index: usize, hesitation: &HeardHesitation) {
    let (a, b) = (hesitation.start_ms, hesitation.end_ms);
    let mut words: Vec<&mut Word> = segments
        .iter_mut()
        .flat_map(|seg| seg.words.iter_mut())
        .collect();
    if words[index].start_ms.abs_diff(a) <= SETTLED_MS {
        return;
    }
    let word_between = index.checked_sub(1).is_some_and(|k| words[k].start_ms >= a)
        || words.get(index + 1).is_some_and(|w| w.end_ms <= b);
    if word_between {
        return;
    }
    for (i, word) in words.iter_mut().enumerate() {
        if i < index {
            word.end_ms = word.end_ms.min(a);
        } else if i > index {
            word.start_ms = word.start_ms.max(b);
            word.end_ms = word.end_ms.max(word.start_ms);
        }
    }
    words[index].start_ms = a;
    words[index].end_ms = b;
}

/// How far from its sound a pause Whisper punctuated may be to take the
/// hesitation; past it, the nearest word boundary does.
const PUNCTUATED_REACH_MS: u64 = 1000;

fn insert(segments: &mut [Segment], hesitation: &HeardHesitation) {
    let (a, b) = (hesitation.start_ms, hesitation.end_ms);
    let words: Vec<&Word> = segments.iter().flat_map(|seg| seg.words.iter()).collect();
    let Some(last) = words.last() else {
        return;
    };
    // Word boundaries: before word i (i = len: after the last). Whisper's
    // words are settled on the sound but may still cover the hesitation's;
    // its punctuation says where the speaker paused.
    // The pause at boundary i runs from the end of the word before to the
    // start of the word after.
    let pause_ms = |i: usize| {
        let after = words.get(i).map_or(last.end_ms, |w| w.start_ms);
        let before = i
            .checked_sub(1)
            .map_or(after, |k| words[k].end_ms.min(after));
        (before, after)
    };
    let distance = |i: usize| {
        let (from, to) = pause_ms(i);
        if to < a {
            a - to
        } else {
            from.saturating_sub(b)
        }
    };
    let punctuated = |i: usize| {
        i == 0
            || words[i - 1]
                .text
                .trim_end()
                .ends_with([',', '.', '?', '!', ';', ':'])
    };
    let nearest = |only_punctuated: bool| {
        (0..=words.len())
            .filter(|&i| !only_punctuated || punctuated(i))
            .min_by_key(|&i| distance(i))
    };
    let Some(index) = nearest(true)
        .filter(|&i| distance(i) <= PUNCTUATED_REACH_MS)
        .or_else(|| nearest(false))
    else {
        return;
    };
    // Capitalised, if it opens the sentence, with Whisper's own openings.
    let opens_sentence = index == 0 || shape(words[index - 1]).ends_sentence;
    let text = format!("{},", hesitation.word);
    // The words before it end by its start, the words after start after its
    // end: starts stay in order.
    for (i, word) in segments
        .iter_mut()
        .flat_map(|seg| seg.words.iter_mut())
        .enumerate()
    {
        if i < index {
            word.start_ms = word.start_ms.min(a);
            word.end_ms = word.end_ms.min(a);
        } else {
            word.start_ms = word.start_ms.max(b);
            word.end_ms = word.end_ms.max(word.start_ms);
        }
    }
    if opens_sentence {
        // "Uh, we looked": the sentence now opens with the hesitation.
        if let Some(next) = segments
            .iter_mut()
            .flat_map(|seg| seg.words.iter_mut())
            .nth(index)
        {
            lower_sentence_start(&mut next.text);
        }
    }
    // Into the segment that holds the word it goes before (or the last).
    let mut before = index;
    for segment in segments.iter_mut() {
        if before <= segment.words.len()
            && (before < segment.words.len() || segment.words.is_empty())
        {
            segment
                .words
                .insert(before, hesitation_word(text, hesitation));
            return;
        }
        before -= segment.words.len();
    }
    if let Some(segment) = segments.last_mut() {
        segment.words.push(hesitation_word(text, hesitation));
    }
}

/// Lower-cases a word that was capitalised only for opening a sentence:
/// not "I" and its contractions, nor a word with capitals inside ("API",
/// "GitHub"). A name that opened the sentence is lower-cased too: rarer
/// after a hesitation than "we", "the" or "it".
fn lower_sentence_start(word: &mut String) {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    let is_i = letters == ['I'] || word.starts_with("I'") || word.starts_with("I\u{2019}");
    let capitalised_only = letters.first().is_some_and(|c| c.is_uppercase())
        && letters[1..].iter().all(|c| c.is_lowercase());
    if capitalised_only && !is_i {
        *word = word.to_lowercase();
    }
}

fn hesitation_word(text: String, hesitation: &HeardHesitation) -> Word {
    Word {
        text,
        start_ms: hesitation.start_ms,
        end_ms: hesitation.end_ms,
        probability: hesitation.odds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcribe::retime::tests::{audio, words};
    use crate::transcript::TRANSCRIPT_SCHEMA_VERSION;

    fn transcript(w: Vec<Word>) -> Transcript {
        let segment = Segment {
            start_ms: w[0].start_ms,
            end_ms: w[w.len() - 1].end_ms,
            text: Segment::words_text(&w),
            words: w,
        };
        Transcript {
            schema_version: TRANSCRIPT_SCHEMA_VERSION,
            model: "ggml-tiny.en.bin".into(),
            duration_ms: 5000,
            text: segment.text.clone(),
            segments: vec![segment],
        }
    }

    fn heard(start_ms: u64, end_ms: u64) -> HeardHesitation {
        HeardHesitation {
            start_ms,
            end_ms,
            word: "uh",
            odds: 0.6,
        }
    }

    #[test]
    fn a_clip_is_a_hesitation_only_when_it_says_nothing_else() {
        assert_eq!(hesitation_in("Uh..."), Some("uh"));
        assert_eq!(hesitation_in(" um, um, um,"), Some("um"));
        assert_eq!(hesitation_in("uh, we moved"), None);
        assert_eq!(hesitation_in("So,"), None);
        assert_eq!(hesitation_in(""), None);
        assert_eq!(hesitation_in("..."), None);
        assert_eq!(hesitation_in("u"), Some("uh"));
        assert_eq!(hesitation_in("U."), Some("uh"));
        assert_eq!(hesitation_in("u turn"), None);
    }

    /// An "um" alone in silence came back as "um, done, done": the words
    /// timed in the silence after the sound are not part of what it says.
    #[test]
    fn words_timed_after_the_sound_were_never_said() {
        let window = vec![0.1; 16 * 2000];
        let clip = clip(&window, (1000, 1370));
        // 300 ms of silence, 100 ms of the sound's edge, then its 370 ms.
        assert_eq!(clip.sound_end_ms, 770);
        assert_eq!(clip.samples_16k.len(), 16 * (300 + 570 + 300));
        // Each word lasts 300 ms: "done," centres at 950, "done" at 1250.
        let hallucinated = transcript(words("um,@350 done,@650 done@950"));
        let said = said_in_sound(&hallucinated.segments, &clip);
        assert_eq!(said, "um,");
        assert_eq!(hesitation_in(&said), Some("um"));
        // A word inside the sound still makes it no hesitation.
        let spoken = transcript(words("um,@200 so@400"));
        assert_eq!(hesitation_in(&said_in_sound(&spoken.segments, &clip)), None);
        // The first word counts even when it is timed late.
        let late = transcript(words("Uh.@700"));
        assert_eq!(said_in_sound(&late.segments, &clip), "Uh.");
    }

    #[test]
    fn short_voiced_sounds_are_asked_about_and_long_ones_are_not() {
        let sound = audio(4000, &[(200, 2000), (2200, 2650), (2750, 3900)]);
        assert_eq!(sounds_to_ask_about(&sound).len(), 1);
        let (a, b) = sounds_to_ask_about(&sound)[0];
        assert!(a.abs_diff(2200) <= 40 && b.abs_diff(2650) <= 40, "{a}-{b}");
        let c = clip(&sound, (a, b));
        assert_eq!(
            c.samples_16k.len(),
            2 * SILENCE_MS * 16 + ((b - a + 2 * EDGE_MS) * 16) as usize
        );
    }

    #[test]
    fn a_heard_hesitation_goes_between_the_sentences_it_was_said_between() {
        let mut w = words("shipped@200 it.@600 We@1500 looked@1800");
        w[1].end_ms = 900;
        let mut t = transcript(w);
        add_heard_hesitations(&mut t, &[heard(1000, 1350)]);
        assert_eq!(t.text, "shipped it. Uh, we looked");
        let w = &t.segments[0].words;
        assert_eq!((w[2].start_ms, w[2].end_ms), (1000, 1350));
        assert!(w.windows(2).all(|p| p[0].start_ms <= p[1].start_ms));
    }

    #[test]
    fn only_a_word_capitalised_for_the_sentence_is_lowered() {
        for (word, lowered) in [
            ("We", "we"),
            ("The", "the"),
            ("I", "I"),
            ("I'd", "I'd"),
            ("API", "API"),
            ("GitHub", "GitHub"),
            ("it", "it"),
        ] {
            let mut text = word.to_string();
            lower_sentence_start(&mut text);
            assert_eq!(text, lowered);
        }
    }

    #[test]
    fn words_over_its_sound_give_way() {
        // Whisper stretched "faster," over the sound of the "uh" after it.
        let mut w = words("faster,@200 the@1600 reviews@1800");
        w[0].end_ms = 1500;
        let mut t = transcript(w);
        add_heard_hesitations(&mut t, &[heard(1000, 1400)]);
        assert_eq!(t.text, "faster, uh, the reviews");
        let w = &t.segments[0].words;
        assert_eq!(w[0].end_ms, 1000);
        assert_eq!(t.segments[0].end_ms, w[3].end_ms);
    }

    #[test]
    fn it_goes_after_the_sentence_whisper_stretched_over_its_sound() {
        // "…things like that. [uh] We looked": the full stop is where the
        // speaker paused, though "that." was settled onto the uh's sound.
        let mut w = words("like@1500 that.@2100 We@3000 looked@3300");
        w[0].end_ms = 2100;
        w[1].end_ms = 2350;
        let mut t = transcript(w);
        add_heard_hesitations(&mut t, &[heard(2030, 2345)]);
        assert_eq!(t.text, "like that. Uh, we looked");
        let w = &t.segments[0].words;
        assert!(w[1].end_ms <= 2030, "{w:?}");
        assert!(
            w.windows(2).all(|p| p[0].start_ms <= p[1].start_ms),
            "{w:?}"
        );
    }

    #[test]
    fn one_whisper_wrote_nearby_is_not_added_again() {
        let mut t = transcript(words("faster,@200 uh,@1100 the@1600"));
        let before = t.clone();
        add_heard_hesitations(&mut t, &[heard(1000, 1400)]);
        assert_eq!(t, before);
    }

    /// "…a human, huh? I rewrote": Whisper wrote the "uh" at the end of the
    /// sentence before, 0.6 s ahead of its sound, and stretched "I" over it.
    #[test]
    fn one_whisper_stamped_away_from_its_sound_moves_onto_it() {
        let mut w = words("a@15200 human,@15400 huh?@15990 I@16600 rewrote@17600");
        w[2].end_ms = 16105;
        w[3].end_ms = 17600;
        let mut t = transcript(w);
        add_heard_hesitations(&mut t, &[heard(16600, 17100)]);
        assert_eq!(t.text, "a human. Uh, I rewrote");
        let w = &t.segments[0].words;
        assert_eq!((w[2].start_ms, w[2].end_ms), (16600, 17100));
        assert_eq!((w[3].start_ms, w[3].end_ms), (17100, 17600));
        assert!(w[1].end_ms <= w[2].start_ms, "{w:?}");
        // A whole word between the stamp and the sound: it stays.
        let mut t = transcript(words("so,@50300 um,@50600 we@50800 then@51900"));
        let before = t.clone();
        add_heard_hesitations(&mut t, &[heard(51000, 51400)]);
        assert_eq!(t, before);
    }

    /// "a problem I kept having, huh? Our log agent": an "uh" that opened
    /// the next sentence, written as a question closing this one.
    #[test]
    fn a_hesitation_written_as_a_question_opens_the_next_sentence() {
        let mut t = transcript(words("kept@0 having,@300 huh?@700 Our@1200 log@1500"));
        let next = Segment {
            start_ms: 0,
            end_ms: 0,
            text: String::new(),
            words: t.segments[0].words.split_off(3),
        };
        t.segments.push(next);
        add_heard_hesitations(&mut t, &[]);
        assert_eq!(t.text, "kept having. Uh, our log");
        assert_eq!(Segment::words_text(&t.segments[1].words), "Uh, our log");
        assert_eq!(t.segments[1].start_ms, 700);
        // After a full stop, and before "I".
        let mut t = transcript(words("be@0 fun.@300 Huh?@700 I@1200 did@1500"));
        add_heard_hesitations(&mut t, &[]);
        assert_eq!(t.text, "be fun. Uh, I did");
        // A question said as one stays.
        let mut t = transcript(words("they@0 said,@300 huh?@700 and@1200 left@1500"));
        add_heard_hesitations(&mut t, &[]);
        assert_eq!(t.text, "they said, huh? and left");
    }

    /// A window Whisper opens in lower case after a full stop starts a
    /// sentence, so it is written as one; inside a window, and after a comma,
    /// the word is left as Whisper wrote it.
    #[test]
    fn a_window_opened_in_lower_case_after_a_full_stop_is_capitalised() {
        let two_windows = |first: &str, second: &str| {
            let mut t = transcript(words(first));
            let next = Segment {
                start_ms: 0,
                end_ms: 0,
                text: String::new(),
                words: words(second),
            };
            t.segments.push(next);
            add_heard_hesitations(&mut t, &[]);
            t
        };
        let t = two_windows(
            "for@0 a@300 month.@600",
            "support@2000 could@2300 never@2600",
        );
        assert_eq!(t.text, "for a month. Support could never");
        assert_eq!(
            Segment::words_text(&t.segments[1].words),
            "Support could never"
        );
        let t = two_windows("we@0 shipped,@300", "support@2000 liked@2300 it.@2600");
        assert_eq!(t.text, "we shipped, support liked it.");
        let t = two_windows("we@0 shipped.@300", "iOS@2000 went@2300 first.@2600");
        assert_eq!(t.text, "we shipped. iOS went first.");
        let mut t = transcript(words("it@0 ran@300 hourly.@600 then@900 it@1200 sped@1500"));
        add_heard_hesitations(&mut t, &[]);
        assert_eq!(t.text, "it ran hourly. then it sped");
    }

    /// A window that opens with Whisper's lower-case "um," after a full stop.
    #[test]
    fn a_hesitation_that_opens_a_sentence_is_capitalised() {
        let mut t = transcript(words(
            "um,@0 we@300 shipped.@600 uh,@1200 then@1500 it,@1800 uh,@2100 broke...@2400 um@3000 again.@3300",
        ));
        add_heard_hesitations(&mut t, &[]);
        assert_eq!(
            t.text,
            "Um, we shipped. Uh, then it, uh, broke... um again."
        );
    }
}
