//! The analysis stage: a transcript in, an [`Analysis`] out. Pure: no I/O, no
//! audio or model libraries.
//!
//! Word times are final when the transcript arrives (the transcribe stage
//! settles them): nothing here re-times a word, and everything the analysis
//! says about a word carries the word's index in the transcript, so views
//! never join the two by time.
//!
//! Steps: words become tokens that keep their punctuation (`text`);
//! sentences are formed over the whole take (`sentences`); fillers are found
//! in the text (`fillers`);
//! sentences are labelled STAR(L) (`cues`, `star`); content checks
//! (`checks`, `blame`) and timing (`timing`) give the findings (`findings`), from which
//! the advice and every verdict a view shows derive.

mod blame;
mod checks;
mod config;
mod cues;
mod fillers;
mod findings;
mod follow_up_answer;
mod lexicon;
pub mod sentence_model;
mod sentences;
mod star;
mod text;
mod timing;
pub mod types;

#[cfg(test)]
pub(crate) mod testutil;

use std::collections::BTreeMap;

pub use config::{AnalysisConfig, FOLLOW_UP_WINDOW_S};
pub use fillers::canonical_filler;
pub use findings::{Aspect, Check, Finding, MIN_ANSWER_SPEECH_S, action_share_accepted};
pub use follow_up_answer::{FOLLOW_UP_CHECKS, FollowUpAnswer};
pub use star::LabelTuning;
pub use types::*;

use crate::transcript::Transcript;
use timing::{ms_to_s, per_minute, round1, round2};

/// A hesitation sound Whisper was this unsure of, glued to the word before it
/// (no comma, no sentence break), is only a possible filler: the primed decode
/// sometimes writes "mm" for the tail of a word ("told him mm, exactly").
/// Real hesitations this unsure do occur, but after a break ("Um, so ...").
const MIN_SOUND_PROBABILITY: f32 = 0.35;

/// Measures one answer. Never panics: an empty transcript gives zeroes.
pub fn analyse(transcript: &Transcript, config: &AnalysisConfig) -> Analysis {
    analyse_tuned(
        transcript,
        config,
        &LabelTuning::CHOSEN,
        sentence_model::Weights::checked_in(),
    )
}

/// [`analyse`] with other section-labelling numbers and sentence model: for
/// the cross-validation test that chooses them, not for the app.
#[doc(hidden)]
pub fn analyse_tuned(
    transcript: &Transcript,
    config: &AnalysisConfig,
    tuning: &LabelTuning,
    model: &sentence_model::Weights,
) -> Analysis {
    let tokens = text::tokens(transcript);
    let ranges = sentences::split(&tokens);
    let (hits, unsure, skip) = find_fillers(&tokens);

    let timing = timing::measure(&tokens, config);
    let labels = star::label(&tokens, &ranges, &skip, tuning, model);
    let spans = star::spans_ms(&tokens, &ranges);
    let star = star::summarise(&labels, &spans, config);

    let word_item = |h: &fillers::FillerHit, certain: bool| {
        let first = &tokens[h.token];
        let last = &tokens[(h.token + h.len).min(tokens.len()) - 1];
        FillerItem {
            word: h.word.clone(),
            start_s: round2(ms_to_s(first.start_ms)),
            certain,
            word_index: Some(first.word),
            word_count: Some(last.word + 1 - first.word),
        }
    };
    let mut items: Vec<FillerItem> = hits
        .iter()
        .map(|h| word_item(h, true))
        .chain(unsure.iter().map(|h| word_item(h, false)))
        .collect();
    items.sort_by(|a, b| a.start_s.total_cmp(&b.start_s));
    let mut by_word = BTreeMap::new();
    for hit in &hits {
        *by_word.entry(hit.word.clone()).or_insert(0) += 1;
    }
    let fillers = Fillers {
        total: hits.len(),
        per_minute: round1(per_minute(hits.len(), timing.answer_s)),
        share_of_words: if tokens.is_empty() {
            0.0
        } else {
            (hits.len() as f64 / tokens.len() as f64 * 1000.0).round() / 1000.0
        },
        by_word,
        possible: unsure.len(),
        items,
    };

    let checks = checks::run(&checks::Input {
        tokens: &tokens,
        sentences: &ranges,
        labels: &labels,
        skip: &skip,
    });

    let word_ranges = word_ranges(&tokens, &ranges, transcript.words().count());
    let sentences = ranges
        .iter()
        .zip(&labels)
        .zip(word_ranges)
        .map(|((range, label), words)| Sentence {
            text: tokens[range.clone()]
                .iter()
                .map(|t| t.raw.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            start_s: round2(ms_to_s(tokens[range.start].start_ms)),
            end_s: round2(ms_to_s(tokens[range.end - 1].end_ms)),
            label: *label,
            first_word: words.start,
            end_word: words.end,
        })
        .collect();

    let last_word_ms = tokens.last().map_or(0, |t| t.end_ms);
    let duration_s = ms_to_s(transcript.duration_ms.max(last_word_ms));
    let mut analysis = Analysis {
        schema_version: ANALYSIS_SCHEMA_VERSION,
        duration_s: round2(duration_s),
        answer_s: round2(timing.answer_s),
        words: tokens.len(),
        words_per_minute: round1(timing.words_per_minute),
        in_window: (config.window_min_s..=config.window_max_s)
            .contains(&crate::format::whole_seconds(timing.answer_s)),
        window: TimeWindow {
            min_s: config.window_min_s,
            max_s: config.window_max_s,
        },
        pace: timing.pace,
        pauses: timing.pauses,
        fillers,
        star,
        sentences,
        checks,
        findings: Vec::new(),
        feedback: Vec::new(),
        transcript: transcript.text.trim().to_string(),
    };
    analysis.conclude(config);
    analysis
}

/// Fillers of an answer: the counted ones, the possible ones, and which
/// tokens they cover (left out of the STAR cues).
fn find_fillers(
    tokens: &[text::Token],
) -> (Vec<fillers::FillerHit>, Vec<fillers::FillerHit>, Vec<bool>) {
    let (hits, unsure): (Vec<_>, Vec<_>) = fillers::find(tokens, &sentences::clauses(tokens))
        .into_iter()
        .partition(|h| {
            let glued = h.token > 0 && {
                let before = &tokens[h.token - 1];
                !before.comma_after && !before.ends_sentence
            };
            let sound = canonical_filler(&h.word);
            // A hum glued to a word is most often that word's nasal ending
            // ("them M into"); a sound Whisper doubts, glued on, likewise.
            let doubtful =
                sound == Some("mm") || tokens[h.token].probability < MIN_SOUND_PROBABILITY;
            sound.is_none() || !glued || !doubtful
        });
    // "uh uh" or "ah uh" with nothing between is one drawn-out hesitation
    // (and what a two-pass transcript makes of one): count it once, as one
    // filler over both words, so that every view marks both.
    let mut kept: Vec<fillers::FillerHit> = Vec::with_capacity(hits.len());
    let mut repeats = Vec::new();
    for h in hits {
        let doubled = h.token > 0
            && canonical_filler(&h.word).is_some()
            && canonical_filler(&tokens[h.token - 1].norm).is_some()
            && tokens[h.token]
                .start_ms
                .saturating_sub(tokens[h.token - 1].start_ms)
                < 800;
        if !doubled {
            kept.push(h);
        } else if let Some(before) = kept.last_mut().filter(|b| b.token + b.len == h.token) {
            before.len += h.len;
        } else {
            repeats.push(h.token);
        }
    }
    let hits = kept;
    let mut skip = vec![false; tokens.len()];
    for &k in &repeats {
        skip[k] = true;
    }
    for hit in &hits {
        let end = (hit.token + hit.len).min(tokens.len());
        skip[hit.token..end].iter_mut().for_each(|s| *s = true);
    }

    (hits, unsure, skip)
}

/// A sentence's span and the learned model's features of it, as the
/// analysis computes them: what the model's trainer learns from.
pub struct SentenceFeatures {
    pub start_s: f64,
    pub end_s: f64,
    pub features: sentence_model::Features,
}

/// The learned model's inputs for each sentence of a transcript, with these
/// labelling numbers (the rule scores it sees include the position prior).
pub fn sentence_features(transcript: &Transcript, tuning: &LabelTuning) -> Vec<SentenceFeatures> {
    let tokens = text::tokens(transcript);
    let ranges = sentences::split(&tokens);
    let (_, _, skip) = find_fillers(&tokens);
    star::features(&tokens, &ranges, &skip, tuning)
        .into_iter()
        .zip(&ranges)
        .map(|(features, range)| SentenceFeatures {
            start_s: ms_to_s(tokens[range.start].start_ms),
            end_s: ms_to_s(tokens[range.end - 1].end_ms),
            features,
        })
        .collect()
}

/// Transcript word ranges of the sentences: each starts at its first
/// token's word (the first at word 0) and ends where the next begins (the
/// last at the end), so words the analysis drops (markers, bare punctuation)
/// still belong to exactly one sentence.
fn word_ranges(
    tokens: &[text::Token],
    sentences: &[std::ops::Range<usize>],
    word_count: usize,
) -> Vec<std::ops::Range<usize>> {
    let starts: Vec<usize> = sentences
        .iter()
        .enumerate()
        .map(|(k, r)| if k == 0 { 0 } else { tokens[r.start].word })
        .collect();
    (0..starts.len())
        .map(|k| starts[k]..starts.get(k + 1).copied().unwrap_or(word_count))
        .collect()
}

#[cfg(test)]
mod tests;
