//! Catching a decode that went wrong the way Whisper goes wrong: looping on a
//! phrase, echoing the text it was given as context, or guessing.
//!
//! The tests are Whisper's own (the reference implementation re-decodes a
//! window whose text compresses too well or whose tokens are too unlikely),
//! plus two that catch loops too short for compression to notice: a repeated
//! word n-gram and a sentence that repeats the one before or the context.

use std::io::Write as _;

/// Whisper's threshold: text that gzip shrinks more than this is repetitive.
pub const MAX_COMPRESSION_RATIO: f32 = 2.4;
/// Whisper's threshold on the mean log-probability of the text tokens.
pub const MIN_MEAN_LOGPROB: f32 = -1.0;
/// A word n-gram of this length...
const NGRAM: usize = 4;
/// ...seen this many times in one window is a loop.
const NGRAM_REPEATS: usize = 3;
/// A run of this many words said twice in a row is a loop ("…not only about
/// the person, not only about the person"); people repeat a word or two
/// when they restart, not a whole clause.
const MIN_REPEATED_RUN_WORDS: usize = 5;
/// Sentences shorter than this may repeat for real ("Yes. Yes.").
const MIN_SENTENCE_WORDS: usize = 3;
/// A sentence this long that repeats the end of the one before is a loop too
/// ("…added a queue, so a message is set aside. So a message is set aside.");
/// a speaker may echo a few closing words for emphasis, not a whole clause.
const MIN_ECHOED_TAIL_WORDS: usize = 6;
/// A sentence that ends in the same words as the one before, this many or
/// more, after a few words of its own, restates it: Whisper going on past
/// its audio ("…passed when someone pressed retry. And that's when someone
/// pressed retry.", heard on an unseen flite answer, where the speaker had
/// gone on to "So, as the engineer on call…").
const MIN_RESTATED_END_WORDS: usize = 4;
/// At most this many words of its own ahead of the restated end: a
/// connective ("and that's", "which is"), not a sentence of its own.
const MAX_RESTATING_LEAD_WORDS: usize = 3;
/// In a window with more words than its sound can hold (see
/// [`MAX_WORDS_PER_VOICED_S`]), a sentence this long or longer that shares
/// nearly all its words, in order, with the one before is that sentence
/// decoded twice, the second time over the next sentence's audio ("I sent
/// each owner a short list, and I did, and I removed the flag's normal
/// vehicle enough to check…" and again with three words changed, heard on an
/// unseen espeak-ng answer). Without the surplus of words it is not a loop:
/// people say sentences built alike ("I moved the nightly job to the batch
/// queue. Then I moved the weekly job to the batch queue.").
const MIN_NEAR_COPY_WORDS: usize = 8;
/// ...and "nearly all" is this share of the shorter of the two.
const MIN_NEAR_COPY_SHARE: f32 = 0.8;
/// How many sentences of the context an echo is looked for in.
const CONTEXT_SENTENCES: usize = 3;

/// What is wrong with a window's text, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Problem {
    /// Fine.
    None,
    /// Whisper was unsure of its tokens: worth another try, not a loop.
    Unsure,
    /// Far fewer words than the speech in the window can hold: Whisper
    /// skipped a sentence (a fitted encoder does this now and then).
    Incomplete,
    /// The text repeats itself or the context: never accept if avoidable.
    Loop,
}

/// Fewer words than this per second of voiced sound means words are missing:
/// measured speech has 2.2 to 3.8, a window that skipped a sentence 1.5,
/// and one that stopped 7 s early, before a whole lesson, 2.1 (2.0 let it
/// through; a wider encoder context wrote it out, 3.9). A false alarm costs
/// more decodes, a miss costs a sentence.
const MIN_WORDS_PER_VOICED_S: f32 = 2.2;
/// More words than this per second of voiced sound means some were not
/// said. On the corpus and the unseen answers every clean window has at
/// most 5.1 (a noisy human recording 4.6, a window that wrote a sentence
/// twice 7.8). On its own it proves nothing (how much of a noisy recording
/// counts as voiced varies), so it only backs the near-copy check.
const MAX_WORDS_PER_VOICED_S: f32 = 6.0;
/// Below this much voiced sound the rate says nothing.
const MIN_VOICED_S: f32 = 2.0;

/// Judges one window's text. `context` is the prompt Whisper was given (the
/// text that came before, primed or not); `voiced_s` how much of the window
/// is voiced.
pub fn assess(text: &str, mean_logprob: f32, context: &str, voiced_s: f32) -> Problem {
    if compression_ratio(text) > MAX_COMPRESSION_RATIO
        || has_repeated_ngram(text)
        || has_run_said_twice(text)
        || repeats_a_sentence(text, context, overfull(text, voiced_s))
    {
        Problem::Loop
    } else if words_per_voiced_s(text, voiced_s).is_some_and(|rate| rate < MIN_WORDS_PER_VOICED_S) {
        Problem::Incomplete
    } else if mean_logprob < MIN_MEAN_LOGPROB {
        Problem::Unsure
    } else {
        Problem::None
    }
}

/// More voiced sound than this in one word's span, or between two words,
/// is speech the decode left out: Whisper's timing pass hands it to the
/// nearest word ("…meant for." stamped over 8 s and a whole sentence).
/// Measured on the corpus answers and retellings (100 recordings, 630
/// decodes, tiny.en f16): every clean window has at most 1.8 s (a long word
/// beside a pause), the two that skipped a sentence 6.5 and 5.5 (both caught
/// by the word rate as well). With q8_0 weights, answer 44's first window
/// left out a 22-word sentence at 6.6 s, where the word rate (2.3 a voiced
/// second) let it through.
const MAX_VOICED_UNDER_ONE_WORD_S: f32 = 3.0;

/// `Problem::Incomplete` when some stretch of the window's speech has no
/// word of its own ([`MAX_VOICED_UNDER_ONE_WORD_S`]), else `Problem::None`.
/// `voiced` is the window's frames ([`super::chunk::voiced_frames`]),
/// `words_ms` each word's span from the window's start.
pub fn speech_left_out(voiced: &[bool], words_ms: &[(u64, u64)]) -> Problem {
    if most_voiced_under_one_word_s(voiced, words_ms) > MAX_VOICED_UNDER_ONE_WORD_S {
        Problem::Incomplete
    } else {
        Problem::None
    }
}

/// The most voiced sound (s) in one word's span or between two words (or
/// before the first, after the last).
fn most_voiced_under_one_word_s(voiced: &[bool], words_ms: &[(u64, u64)]) -> f32 {
    let frame = |ms: u64| ((ms / super::chunk::FRAME_MS) as usize).min(voiced.len());
    let mut cuts: Vec<usize> = words_ms
        .iter()
        .flat_map(|&(start, end)| [frame(start), frame(end)])
        .chain([0, voiced.len()])
        .collect();
    cuts.sort_unstable();
    cuts.windows(2)
        .map(|pair| super::chunk::voiced_seconds(&voiced[pair[0]..pair[1]]))
        .fold(0.0, f32::max)
}

/// Whether `text` holds more words than `voiced_s` of speech can
/// ([`MAX_WORDS_PER_VOICED_S`]): then a near copy of a sentence is a loop.
pub fn overfull(text: &str, voiced_s: f32) -> bool {
    words_per_voiced_s(text, voiced_s).is_some_and(|rate| rate > MAX_WORDS_PER_VOICED_S)
}

/// The window's words per second of voiced sound, when it has enough sound
/// ([`MIN_VOICED_S`]) for the rate to say anything.
fn words_per_voiced_s(text: &str, voiced_s: f32) -> Option<f32> {
    (voiced_s >= MIN_VOICED_S).then(|| text.split_whitespace().count() as f32 / voiced_s)
}

/// Bytes of the text over bytes of its zlib stream, as Whisper computes it.
pub fn compression_ratio(text: &str) -> f32 {
    if text.is_empty() {
        return 0.0;
    }
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing into memory cannot fail.
    let compressed = encoder
        .write_all(text.as_bytes())
        .and_then(|()| encoder.finish())
        .map_or(text.len(), |bytes| bytes.len());
    text.len() as f32 / compressed.max(1) as f32
}

/// Lower-case words without punctuation: what two sentences are compared on.
pub fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|word| {
            word.chars()
                .filter(|c| c.is_alphanumeric() || *c == '\'')
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|word| !word.is_empty())
        .collect()
}

fn has_repeated_ngram(text: &str) -> bool {
    let words = words(text);
    if words.len() < NGRAM * NGRAM_REPEATS {
        return false;
    }
    let mut counts = std::collections::HashMap::new();
    words.windows(NGRAM).any(|gram| {
        let count = counts.entry(gram).or_insert(0usize);
        *count += 1;
        *count >= NGRAM_REPEATS
    })
}

fn has_run_said_twice(text: &str) -> bool {
    run_said_twice(&words(text)).is_some()
}

/// The first run of words said twice in a row, as the range of its first
/// copy (the second carries the punctuation that closes it). `words` are
/// normalised (`words`).
pub fn run_said_twice(words: &[String]) -> Option<std::ops::Range<usize>> {
    (0..words.len()).find_map(|i| {
        (MIN_REPEATED_RUN_WORDS..=(words.len() - i) / 2)
            .find(|&run| words[i..i + run] == words[i + run..i + 2 * run])
            .map(|run| i..i + run)
    })
}

/// How many words at the end of `words` repeat the run just before them, at
/// least [`MIN_REPEATED_RUN_WORDS`] long: the loop a fitted decode makes when
/// it reaches the end of its audio and starts the last sentence over ("…is
/// worth the extra week. We learned that … is worth the extra week."). The
/// longest such run; 0 if there is none. `words` are normalised (`words`).
pub fn repeated_tail(words: &[String]) -> usize {
    let n = words.len();
    (MIN_REPEATED_RUN_WORDS..=n / 2)
        .rev()
        .find(|&run| words[n - 2 * run..n - run] == words[n - run..])
        .unwrap_or(0)
}

/// Sentences as normalised word lists, split at `.`, `!` and `?`.
fn sentences(text: &str) -> Vec<Vec<String>> {
    text.split(['.', '!', '?'])
        .map(words)
        .filter(|sentence| !sentence.is_empty())
        .collect()
}

/// Whether `sentence` (as `words`) says again what `before` said: all of it,
/// a long enough tail of it, its end after a connective, or, in an
/// `overfull` window, nearly all of it with a few words changed.
pub fn echoes(sentence: &[String], before: &[String], overfull: bool) -> bool {
    sentence.len() >= MIN_SENTENCE_WORDS
        && (sentence == before
            || (sentence.len() >= MIN_ECHOED_TAIL_WORDS && before.ends_with(sentence))
            || restates_the_end(sentence, before)
            || (overfull && nearly_copies(sentence, before)))
}

/// Whether the two sentences, both at least [`MIN_NEAR_COPY_WORDS`] long,
/// share [`MIN_NEAR_COPY_SHARE`] of the shorter one's words in order.
fn nearly_copies(sentence: &[String], before: &[String]) -> bool {
    let shorter = sentence.len().min(before.len());
    shorter >= MIN_NEAR_COPY_WORDS
        && common_words_in_order(sentence, before) as f32 >= MIN_NEAR_COPY_SHARE * shorter as f32
}

/// The length of the longest common subsequence of two word lists.
fn common_words_in_order(a: &[String], b: &[String]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for word in a {
        let mut diagonal = 0;
        for (j, other) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if word == other {
                diagonal + 1
            } else {
                above.max(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Whether `sentence` is a few words of its own and then the last
/// [`MIN_RESTATED_END_WORDS`] or more words of `before`.
fn restates_the_end(sentence: &[String], before: &[String]) -> bool {
    let shared = sentence
        .iter()
        .rev()
        .zip(before.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    shared >= MIN_RESTATED_END_WORDS
        && (1..=MAX_RESTATING_LEAD_WORDS).contains(&(sentence.len() - shared))
}

/// A sentence that echoes the one before it, or one of the last sentences of
/// the context (Whisper writing its prompt out again).
fn repeats_a_sentence(text: &str, context: &str, overfull: bool) -> bool {
    let here = sentences(text);
    let before = sentences(context);
    let recent = &before[before.len().saturating_sub(CONTEXT_SENTENCES)..];
    here.iter().enumerate().any(|(i, sentence)| {
        (i > 0 && echoes(sentence, &here[i - 1], overfull))
            || (i == 0 && recent.iter().any(|r| echoes(sentence, r, overfull)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: &str = "I rolled the release back, paged the payments team and wrote the \
                         timeline while they checked their side. Error rates fell within ten minutes.";

    #[test]
    fn ordinary_speech_passes() {
        assert_eq!(assess(PLAIN, -0.3, "", 8.0), Problem::None);
        assert!(
            compression_ratio(PLAIN) < 1.6,
            "{}",
            compression_ratio(PLAIN)
        );
    }

    #[test]
    fn a_sentence_repeated_many_times_is_a_loop() {
        let looped = "We fixed the cache. ".repeat(8);
        assert!(compression_ratio(&looped) > MAX_COMPRESSION_RATIO);
        assert_eq!(assess(&looped, -0.2, "", 8.0), Problem::Loop);
    }

    #[test]
    fn a_sentence_said_twice_in_a_row_is_a_loop() {
        let twice = "Then I wrote the migration script. Then I wrote the migration script. It ran.";
        assert_eq!(assess(twice, -0.2, "", 5.0), Problem::Loop);
        // Short ones repeat in real speech.
        assert_eq!(assess("Yes. Yes. It worked.", -0.2, "", 1.5), Problem::None);
    }

    #[test]
    fn a_sentence_repeating_the_end_of_the_one_before_is_a_loop() {
        // Heard on a corpus answer: the tail came out twice and the
        // words before it were lost.
        let echoed = "On Monday I added a dead letter queue, so a message that fails three \
                      times is set aside automatically. So a message that fails three times is \
                      set aside automatically.";
        assert_eq!(assess(echoed, -0.2, "", 8.0), Problem::Loop);
        // Echoing a few closing words is how people speak.
        let emphatic = "We finally shipped it on a Friday night. On a Friday night.";
        assert_eq!(assess(emphatic, -0.2, "", 4.0), Problem::None);
        // Heard on an unseen flite answer at a window's end: the end of the
        // sentence again after a connective, over the next sentence's audio.
        let restated = "On my last team one deploy in five failed its smoke test and passed \
                        when someone pressed retry. And that's when someone pressed retry.";
        assert_eq!(assess(restated, -0.2, "", 8.0), Problem::Loop);
        // Two sentences ending alike, each with words of its own, are speech.
        let alike = "The first alert fired at night when someone pressed retry. Then I \
                     checked which job had failed when someone pressed retry.";
        assert_eq!(assess(alike, -0.2, "", 8.0), Problem::None);
    }

    #[test]
    fn a_sentence_decoded_twice_with_words_changed_is_a_loop() {
        // Heard on an unseen espeak-ng answer, live and from the file: the
        // second copy was written over the next sentence's audio.
        let twice = "Uh, I sent each owner a short list, and I did, and I removed the flag's \
                     normal vehicle enough to check in the cold parts myself. I sent each owner \
                     a short list, and I did, and I removed the flag's normal vehicle in after \
                     checking the cold parts myself.";
        // 48 words in the 6.4 s of voiced sound that window had.
        assert_eq!(assess(twice, -0.3, "", 6.4), Problem::Loop);
        // In as much sound as it takes to say both, it is speech.
        assert_eq!(assess(twice, -0.3, "", 14.0), Problem::None);
        // The same against the context, when the copy opens the next window.
        let context = "Uh, I sent each owner a short list, and I did, and I removed the flag's \
                       normal vehicle enough to check in the cold parts myself.";
        let next = "I sent each owner a short list, and I did, and I removed the flag's normal \
                    vehicle in after checking the cold parts myself. I also added a lint rule.";
        assert_eq!(assess(next, -0.3, context, 2.0), Problem::Loop);
        assert_eq!(assess(next, -0.3, context, 8.0), Problem::None);
        // Sentences built alike, as people say them, in the sound they take.
        let alike = "I moved the nightly job to the batch queue. Then I moved the weekly job \
                     to the batch queue.";
        assert_eq!(assess(alike, -0.2, "", 5.0), Problem::None);
        assert_eq!(assess(alike, -0.2, "", 2.0), Problem::Loop);
    }

    #[test]
    fn a_window_holds_so_many_words_for_its_sound() {
        // 24 words.
        assert!(!overfull(PLAIN, 8.0));
        assert!(overfull(PLAIN, 3.0));
        // Too little sound to judge by.
        assert!(!overfull(
            "I moved the nightly job to the batch queue.",
            1.0
        ));
    }

    #[test]
    fn a_clause_said_twice_in_a_row_is_a_loop() {
        let twice = "Since then I treat burnout as a signal about the system, not only about \
                     the person, not only about the person.";
        assert_eq!(assess(twice, -0.2, "", 6.0), Problem::Loop);
        // A restart repeats a word or two.
        let restart = "We, we moved the job, I mean I moved the job to the night queue.";
        assert_eq!(assess(restart, -0.2, "", 4.0), Problem::None);
    }

    #[test]
    fn echoing_the_context_is_a_loop() {
        let context = "We had a flaky test suite. I owned the fix.";
        assert_eq!(
            assess(
                "I owned the fix. So I started with the logs.",
                -0.2,
                context,
                3.0
            ),
            Problem::Loop
        );
        assert_eq!(
            assess("So I started with the logs.", -0.2, context, 2.0),
            Problem::None
        );
        // Restating the context's end after a connective is the same loop.
        assert_eq!(
            assess(
                "And that's when I owned the fix. So I started with the logs.",
                -0.2,
                context,
                3.0
            ),
            Problem::Loop
        );
    }

    #[test]
    fn a_phrase_looping_inside_a_sentence_is_a_loop() {
        let text =
            "and then the the service and then the the service and then the the service went down";
        assert_eq!(assess(text, -0.2, "", 6.0), Problem::Loop);
    }

    #[test]
    fn speech_under_one_word_is_left_out() {
        // 10 s of speech, frames of 20 ms, words every 400 ms.
        let voiced = vec![true; 500];
        let words: Vec<(u64, u64)> = (0..25).map(|k| (k * 400, k * 400 + 380)).collect();
        assert_eq!(speech_left_out(&voiced, &words), Problem::None);
        // The last word stretched from 6.5 s to the end: 3.5 s of speech in it.
        let stretched: Vec<(u64, u64)> = words
            .iter()
            .copied()
            .filter(|&(start, _)| start < 6_400)
            .chain([(6_500, 10_000)])
            .collect();
        assert_eq!(speech_left_out(&voiced, &stretched), Problem::Incomplete);
        // The same span over silence is a pause, not a missing sentence.
        let mut paused = voiced.clone();
        paused[330..500].iter_mut().for_each(|v| *v = false);
        assert_eq!(speech_left_out(&paused, &stretched), Problem::None);
        // No words at all for 4 s of speech.
        assert_eq!(speech_left_out(&voiced[..200], &[]), Problem::Incomplete);
    }

    #[test]
    fn unlikely_text_is_unsure() {
        assert_eq!(assess(PLAIN, -1.4, "", 8.0), Problem::Unsure);
        assert!(Problem::Loop > Problem::Incomplete && Problem::Incomplete > Problem::Unsure);
    }

    #[test]
    fn a_window_with_a_sentence_missing_is_incomplete() {
        // 29 words: fine for 10 s of voiced speech, not for 20 s.
        assert_eq!(assess(PLAIN, -0.3, "", 10.0), Problem::None);
        assert_eq!(assess(PLAIN, -0.3, "", 20.0), Problem::Incomplete);
        assert_eq!(assess("Yes.", -0.3, "", 1.0), Problem::None);
        // 28 words for 13.2 s: a window that stopped before its last sentence.
        let stopped = "He wasn't happy, and, oh, he asked me if I was sure, and I said I \
                       was sure about the first part, and not about the second one.";
        assert_eq!(stopped.split_whitespace().count(), 28);
        assert_eq!(assess(stopped, -0.3, "", 13.2), Problem::Incomplete);
    }
}
