//! A tiny transcript builder for unit tests.
//!
//! `"So,@0 we@400 shipped +2500 it."`: words are separated by spaces; `word@ms`
//! pins a start time; `+ms` inserts that much extra silence; other words follow
//! the previous one after a 80 ms gap and last 250 ms.

use crate::transcript::{Segment, Transcript, Word};

const WORD_MS: u64 = 250;
const GAP_MS: u64 = 80;

pub(crate) fn transcript(spec: &str) -> Transcript {
    let mut words = Vec::new();
    let mut next_start: u64 = 0;
    for piece in spec.split_whitespace() {
        if let Some(extra) = piece.strip_prefix('+').and_then(|n| n.parse::<u64>().ok()) {
            next_start += extra;
            continue;
        }
        let (text, start_ms) = match piece.rsplit_once('@') {
            Some((text, at)) if at.parse::<u64>().is_ok() => (text, at.parse().unwrap_or(0)),
            _ => (piece, next_start),
        };
        words.push(Word {
            text: format!(" {text}"),
            start_ms,
            end_ms: start_ms + WORD_MS,
            probability: 0.9,
        });
        next_start = start_ms + WORD_MS + GAP_MS;
    }
    let end_ms = words.last().map_or(0, |w| w.end_ms);
    let text = words
        .iter()
        .map(|w| w.text.trim())
        .collect::<Vec<_>>()
        .join(" ");
    Transcript {
        schema_version: 1,
        model: "test".into(),
        duration_ms: if words.is_empty() { 0 } else { end_ms + 500 },
        text: text.clone(),
        segments: vec![Segment {
            start_ms: 0,
            end_ms,
            text,
            words,
        }],
    }
}

/// Several sentences spoken one after another (each gets the default timing).
pub(crate) fn answer(sentences: &[&str]) -> Transcript {
    transcript(&sentences.join(" "))
}
