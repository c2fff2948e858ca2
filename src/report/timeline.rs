//! Lays the transcript words, fillers and pauses out per analysed sentence,
//! in time order. Shared by the terminal `show` view and the HTML report.

use crate::analyse::{Analysis, Label, Section};
use crate::transcript::Transcript;

#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    Word {
        text: String,
        start_s: f64,
        filler: bool,
    },
    /// Voiced energy in a gap that Whisper dropped ("uh?"): not a word.
    PossibleFiller {
        text: String,
        start_s: f64,
    },
    Pause {
        start_s: f64,
        seconds: f64,
    },
}

impl Token {
    pub fn start_s(&self) -> f64 {
        match self {
            Token::Word { start_s, .. }
            | Token::PossibleFiller { start_s, .. }
            | Token::Pause { start_s, .. } => *start_s,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub label: Option<Label>,
    pub start_s: f64,
    pub tokens: Vec<Token>,
}

/// How close (s) a filler item's start must be to a word's start to mark it.
const FILLER_MATCH_S: f64 = 0.15;

pub fn lines(transcript: Option<&Transcript>, analysis: Option<&Analysis>) -> Vec<Line> {
    let mut lines: Vec<Line> = match analysis {
        Some(analysis) if !analysis.sentences.is_empty() => analysis
            .sentences
            .iter()
            .map(|sentence| Line {
                label: Some(sentence.label),
                start_s: sentence.start_s,
                tokens: Vec::new(),
            })
            .collect(),
        _ => match transcript {
            Some(transcript) => transcript
                .segments
                .iter()
                .map(|segment| Line {
                    label: None,
                    start_s: segment.start_ms as f64 / 1000.0,
                    tokens: Vec::new(),
                })
                .collect(),
            None => return Vec::new(),
        },
    };
    lines.sort_by(|a, b| a.start_s.total_cmp(&b.start_s));

    let words: Vec<(String, f64)> = match transcript {
        Some(transcript) => transcript
            .words()
            .map(|word| (word.text.trim().to_string(), word.start_ms as f64 / 1000.0))
            .filter(|(text, _)| !text.is_empty())
            .collect(),
        None => Vec::new(),
    };

    if words.is_empty() {
        // No word timings: fall back to the sentence text, all at its start.
        if let Some(analysis) = analysis {
            for (line, sentence) in lines.iter_mut().zip(sorted_sentences(analysis)) {
                line.tokens = sentence
                    .text
                    .split_whitespace()
                    .map(|text| Token::Word {
                        text: text.to_string(),
                        start_s: sentence.start_s,
                        filler: false,
                    })
                    .collect();
            }
        }
    } else {
        let mut filler = vec![false; words.len()];
        if let Some(analysis) = analysis {
            for item in analysis.fillers.items.iter().filter(|item| item.certain) {
                let closest = words
                    .iter()
                    .enumerate()
                    .map(|(i, (_, start_s))| (i, (start_s - item.start_s).abs()))
                    .min_by(|a, b| a.1.total_cmp(&b.1));
                if let Some((index, distance)) = closest
                    && distance <= FILLER_MATCH_S
                {
                    let span = item.word.split_whitespace().count().max(1);
                    for flag in filler.iter_mut().skip(index).take(span) {
                        *flag = true;
                    }
                }
            }
        }
        for ((text, start_s), filler) in words.into_iter().zip(filler) {
            let index = line_for(&lines, start_s);
            lines[index].tokens.push(Token::Word {
                text,
                start_s,
                filler,
            });
        }
    }

    if lines.is_empty() {
        return lines;
    }
    if let Some(analysis) = analysis {
        let mut extras: Vec<Token> = analysis
            .fillers
            .items
            .iter()
            .filter(|item| !item.certain)
            .map(|item| Token::PossibleFiller {
                text: item.word.clone(),
                start_s: item.start_s,
            })
            .chain(analysis.pauses.iter().map(|pause| Token::Pause {
                start_s: pause.start_s,
                seconds: pause.end_s - pause.start_s,
            }))
            .collect();
        extras.sort_by(|a, b| a.start_s().total_cmp(&b.start_s()));
        for token in extras {
            let index = line_for(&lines, token.start_s());
            let tokens = &mut lines[index].tokens;
            let at = tokens.partition_point(|t| t.start_s() <= token.start_s());
            tokens.insert(at, token);
        }
    }
    lines
}

fn sorted_sentences(analysis: &Analysis) -> Vec<&crate::analyse::Sentence> {
    let mut sentences: Vec<_> = analysis.sentences.iter().collect();
    sentences.sort_by(|a, b| a.start_s.total_cmp(&b.start_s));
    sentences
}

/// The last line starting at or before `at_s` (small tolerance for rounding).
fn line_for(lines: &[Line], at_s: f64) -> usize {
    lines
        .partition_point(|line| line.start_s <= at_s + 0.02)
        .saturating_sub(1)
}

/// The section a transcript line opens: sections are contiguous runs, so it
/// is the one with the line's label that spans the line's start.
pub fn section_opened_by(sections: &[Section], label: Label, start_s: f64) -> Option<&Section> {
    sections.iter().find(|section| {
        section.label == label
            && section.start_s <= start_s + 0.05
            && start_s < section.end_s + 0.05
    })
}
