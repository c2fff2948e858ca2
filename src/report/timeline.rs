//! Lays the transcript words, fillers and pauses out per analysed sentence.
//! Shared by the terminal `show` view and the HTML report.
//!
//! Everything is joined by word index, never by time: a line is a sentence's
//! word range, a filler marks exactly its words, a pause sits after the word
//! the analysis names. Each word keeps its own transcript
//! time, which is where clicking it seeks.

use std::collections::BTreeMap;

use crate::analyse::{ANALYSIS_SCHEMA_VERSION, Analysis, Label, Section};
use crate::transcript::Transcript;

#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    Word {
        /// Index in `Transcript::words()`.
        index: usize,
        text: String,
        start_s: f64,
        /// A counted (certain) filler.
        filler: bool,
        /// The next word is part of the same filler ("I mean"): a view
        /// marks the two as one.
        filler_goes_on: bool,
        /// A hesitation sound the analysis doubts: shown, not counted.
        possible: bool,
    },
    Pause {
        start_s: f64,
        seconds: f64,
    },
}

/// What a doubtful word is, after each view has said how it marks one.
pub const DOUBTFUL_MEANING: &str =
    "may be a filler (a hesitation sound Whisper was unsure of): it is not counted.";

/// Whether any line shows a doubtful word, which the view must then explain.
pub fn any_doubtful(lines: &[Line]) -> bool {
    lines
        .iter()
        .flat_map(|l| &l.tokens)
        .any(|token| matches!(token, Token::Word { possible: true, .. }))
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub label: Option<Label>,
    pub start_s: f64,
    pub tokens: Vec<Token>,
    /// The section this line opens (its first sentence), if it opens one.
    pub opens: Option<Section>,
}

/// Whether the analysis refers to this transcript's words by index: a
/// current schema, and sentence ranges that tile the word list.
fn indexed(analysis: &Analysis, word_count: usize) -> bool {
    if analysis.schema_version < ANALYSIS_SCHEMA_VERSION || analysis.sentences.is_empty() {
        return false;
    }
    let mut next = 0;
    for sentence in &analysis.sentences {
        if sentence.first_word != next || sentence.end_word <= sentence.first_word {
            return false;
        }
        next = sentence.end_word;
    }
    next == word_count
}

pub fn lines(transcript: Option<&Transcript>, analysis: Option<&Analysis>) -> Vec<Line> {
    let words: Vec<(String, f64)> = transcript.map_or_else(Vec::new, |t| {
        t.words()
            .map(|w| (w.text.trim().to_string(), w.start_ms as f64 / 1000.0))
            .collect()
    });
    let mut lines = match (transcript, analysis) {
        (Some(_), Some(analysis)) if indexed(analysis, words.len()) => {
            sentence_lines(&words, analysis)
        }
        (Some(transcript), _) => segment_lines(transcript, &words),
        (None, Some(analysis)) => text_lines(analysis),
        (None, None) => Vec::new(),
    };
    if let Some(analysis) = analysis {
        mark_sections(&mut lines, &analysis.star.sections);
    }
    lines
}

/// Sections are the runs of equal labels, in order: the n-th change of
/// label opens the n-th section.
fn mark_sections(lines: &mut [Line], sections: &[Section]) {
    let mut sections = sections.iter();
    let mut previous: Option<Label> = None;
    for line in lines.iter_mut().filter(|line| line.label.is_some()) {
        if line.label != previous {
            line.opens = sections
                .next()
                .filter(|s| Some(s.label) == line.label)
                .cloned();
        }
        previous = line.label;
    }
}

/// One line per analysed sentence, fillers and pauses placed by index.
fn sentence_lines(words: &[(String, f64)], analysis: &Analysis) -> Vec<Line> {
    let filler = filler_words(analysis, words.len());
    let mut possible = vec![false; words.len()];
    for item in analysis.fillers.items.iter().filter(|item| !item.certain) {
        for k in item.word_range() {
            if let Some(flag) = possible.get_mut(k) {
                *flag = true;
            }
        }
    }
    // What sits in the gap after a word: its pause, if any.
    let mut after: Vec<Vec<Token>> = vec![Vec::new(); words.len()];
    for pause in &analysis.pauses {
        if let Some(slot) = after.get_mut(pause.after_word) {
            slot.push(Token::Pause {
                start_s: pause.start_s,
                seconds: pause.end_s - pause.start_s,
            });
        }
    }

    let mut after = after.into_iter();
    let mut lines = Vec::with_capacity(analysis.sentences.len());
    for sentence in &analysis.sentences {
        let mut tokens = Vec::new();
        for index in sentence.words() {
            let (text, start_s) = &words[index];
            if !text.is_empty() {
                tokens.push(Token::Word {
                    index,
                    text: text.clone(),
                    start_s: *start_s,
                    filler: filler.contains_key(&index),
                    filler_goes_on: filler.get(&index).copied().unwrap_or(false),
                    possible: possible[index] && !filler.contains_key(&index),
                });
            }
            tokens.extend(after.next().unwrap_or_default());
        }
        lines.push(Line {
            label: Some(sentence.label),
            start_s: sentence.start_s,
            tokens,
            opens: None,
        });
    }
    lines
}

/// Without an analysis that indexes these words: Whisper's segments, unmarked.
fn segment_lines(transcript: &Transcript, words: &[(String, f64)]) -> Vec<Line> {
    let mut index = 0;
    transcript
        .segments
        .iter()
        .map(|segment| {
            let tokens = (index..index + segment.words.len())
                .filter(|&k| !words[k].0.is_empty())
                .map(|k| Token::Word {
                    index: k,
                    text: words[k].0.clone(),
                    start_s: words[k].1,
                    filler: false,
                    filler_goes_on: false,
                    possible: false,
                })
                .collect();
            index += segment.words.len();
            Line {
                label: None,
                start_s: segment.start_ms as f64 / 1000.0,
                tokens,
                opens: None,
            }
        })
        .collect()
}

/// No transcript at all: the sentence texts, each word at its sentence's start.
fn text_lines(analysis: &Analysis) -> Vec<Line> {
    analysis
        .sentences
        .iter()
        .map(|sentence| Line {
            label: Some(sentence.label),
            start_s: sentence.start_s,
            tokens: sentence
                .text
                .split_whitespace()
                .map(|text| Token::Word {
                    index: 0,
                    text: text.to_string(),
                    start_s: sentence.start_s,
                    filler: false,
                    filler_goes_on: false,
                    possible: false,
                })
                .collect(),
            opens: None,
        })
        .collect()
}

/// The transcript indices of the words counted as fillers, each with
/// whether the next word belongs to the same filler ("I mean"); none when the
/// analysis does not index these `word_count` words.
pub fn filler_words(analysis: &Analysis, word_count: usize) -> BTreeMap<usize, bool> {
    if !indexed(analysis, word_count) {
        return BTreeMap::new();
    }
    let mut words = BTreeMap::new();
    for item in analysis.fillers.items.iter().filter(|item| item.certain) {
        let range = item.word_range();
        for index in range.clone() {
            words.insert(index, index + 1 < range.end);
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::{AnalysisConfig, analyse};
    use crate::transcript::{Segment, Word};

    /// Words 300 ms apart, split into segments at `|`.
    fn transcript(spec: &str) -> Transcript {
        let mut at = 0;
        let segments = spec
            .split('|')
            .map(|part| {
                let words: Vec<Word> = part
                    .split_whitespace()
                    .map(|text| {
                        let word = Word {
                            text: format!(" {text}"),
                            start_ms: at,
                            end_ms: at + 250,
                            probability: 0.9,
                        };
                        at += 300;
                        word
                    })
                    .collect();
                Segment {
                    start_ms: words.first().map_or(0, |w| w.start_ms),
                    end_ms: words.last().map_or(0, |w| w.end_ms),
                    text: part.trim().to_string(),
                    words,
                }
            })
            .collect();
        Transcript {
            schema_version: 2,
            model: "test".into(),
            duration_ms: at + 500,
            text: spec.replace('|', " "),
            segments,
        }
    }

    fn marked(lines: &[Line]) -> Vec<(usize, String)> {
        lines
            .iter()
            .flat_map(|line| &line.tokens)
            .filter_map(|token| match token {
                Token::Word {
                    index,
                    text,
                    filler: true,
                    ..
                } => Some((*index, text.clone())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn fillers_are_marked_by_index_not_time() {
        let t = transcript(
            "Um, so I had a coworker who kept skipping reviews. | We had, uh, a talk and it, you know, stopped.",
        );
        let mut a = analyse(&t, &AnalysisConfig::default());
        // Times that disagree with the transcript (as re-timed words did)
        // must not move a mark.
        for item in &mut a.fillers.items {
            item.start_s += 0.31;
        }
        let lines = lines(Some(&t), Some(&a));
        assert_eq!(
            marked(&lines),
            [
                (0, "Um,".to_string()),
                (1, "so".to_string()),
                (12, "uh,".to_string()),
                (17, "you".to_string()),
                (18, "know,".to_string())
            ]
        );
        // "you know," is one filler: its first word's mark goes on.
        let goes_on: Vec<usize> = lines
            .iter()
            .flat_map(|line| &line.tokens)
            .filter_map(|token| match token {
                Token::Word {
                    index,
                    filler_goes_on: true,
                    ..
                } => Some(*index),
                _ => None,
            })
            .collect();
        assert_eq!(goes_on, [17]);
        // Each word keeps its own transcript time.
        let words: Vec<f64> = t.words().map(|w| w.start_ms as f64 / 1000.0).collect();
        for token in lines.iter().flat_map(|l| &l.tokens) {
            if let Token::Word { index, start_s, .. } = token {
                assert_eq!(*start_s, words[*index]);
            }
        }
    }

    #[test]
    fn lines_are_sentences_and_sections_open_on_their_first_line() {
        let t = transcript(
            "Last year our billing service failed every night. | My task was to make the nightly run reliable. \
             I added tracing to every step of the job. | I rewrote the retry logic with backoff.",
        );
        let a = analyse(&t, &AnalysisConfig::default());
        let lines = lines(Some(&t), Some(&a));
        assert_eq!(lines.len(), a.sentences.len());
        for (line, sentence) in lines.iter().zip(&a.sentences) {
            let indices: Vec<usize> = line
                .tokens
                .iter()
                .filter_map(|t| match t {
                    Token::Word { index, .. } => Some(*index),
                    Token::Pause { .. } => None,
                })
                .collect();
            assert_eq!(indices, sentence.words().collect::<Vec<_>>());
            assert_eq!(line.label, Some(sentence.label));
        }
        let opened: Vec<Label> = lines
            .iter()
            .filter_map(|l| l.opens.as_ref().map(|s| s.label))
            .collect();
        let sections: Vec<Label> = a.star.sections.iter().map(|s| s.label).collect();
        assert_eq!(opened, sections);
    }

    #[test]
    fn a_pause_sits_after_its_word() {
        let t = transcript("We shipped it on time. The pager went quiet after that.");
        let mut a = analyse(&t, &AnalysisConfig::default());
        a.pauses.push(crate::analyse::Pause {
            start_s: 99.0,
            end_s: 101.5,
            after_word: 4,
        });
        let lines = lines(Some(&t), Some(&a));
        let tokens: Vec<&Token> = lines.iter().flat_map(|l| &l.tokens).collect();
        let at = tokens
            .iter()
            .position(|t| matches!(t, Token::Pause { .. }))
            .expect("pause shown");
        assert!(matches!(tokens[at - 1], Token::Word { index: 4, .. }));
    }

    #[test]
    fn an_old_analysis_is_not_joined_by_time() {
        let t = transcript("Um, we shipped it. It worked well for everyone.");
        let mut a = analyse(&t, &AnalysisConfig::default());
        a.schema_version = 1;
        let lines = lines(Some(&t), Some(&a));
        assert!(marked(&lines).is_empty());
        assert!(lines.iter().all(|l| l.label.is_none()));
    }
}
