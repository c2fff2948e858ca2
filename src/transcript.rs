//! The transcript: what the transcribe stage hands to analysis, and what
//! `rehearse transcribe --json` prints. Plain data, times in milliseconds.

use serde::{Deserialize, Serialize};

/// Bumped whenever a field changes meaning or disappears. Version 2: word
/// times are settled against the audio (version 1 kept Whisper's own).
/// Version 3: a hesitation inside a sentence sits on its own sound.
/// Version 4: the words of a sentence sit on its stretches of sound.
pub const TRANSCRIPT_SCHEMA_VERSION: u32 = 4;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transcript {
    pub schema_version: u32,
    /// File name of the model that produced it, e.g. `ggml-tiny.en.bin`.
    pub model: String,
    /// Length of the audio that was transcribed.
    pub duration_ms: u64,
    /// The whole text, segments joined with single spaces.
    pub text: String,
    pub segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    pub start_ms: u64,
    pub end_ms: u64,
    pub text: String,
    pub words: Vec<Word>,
}

/// One spoken word as Whisper wrote it, punctuation attached
/// (`"Well,"`, `"percent."`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Word {
    pub text: String,
    pub start_ms: u64,
    pub end_ms: u64,
    /// Mean token probability, 0..=1.
    pub probability: f32,
}

/// Titles Whisper writes with a full stop that does not end the sentence
/// ("Mr. Patel"); it also writes a misheard word as one ("…the week after
/// Mr. Appointments…" for "missed appointments"), and a sentence cut there
/// loses its second half to the next section.
const TITLES: &[&str] = &["mr", "mrs", "ms", "dr", "prof", "st", "vs", "e.g", "i.e"];

/// The punctuation after a word's last letter or digit ("." of "done.").
pub fn trailing_punctuation(text: &str) -> String {
    let mut trailing: Vec<char> = text
        .chars()
        .rev()
        .take_while(|c| !c.is_alphanumeric() && *c != '%' && *c != '$')
        .collect();
    trailing.reverse();
    trailing.into_iter().collect()
}

/// Whether a word as Whisper wrote it ends a sentence: a full stop, "!" or
/// "?" after it, but not an ellipsis (the speaker trailing off) nor the full
/// stop of a title.
pub fn ends_sentence(text: &str) -> bool {
    let trailing = trailing_punctuation(text);
    let ellipsis = trailing.contains("..") || trailing.contains('\u{2026}');
    let word = text[..text.len() - trailing.len()]
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    let title = trailing == "." && TITLES.contains(&word.as_str());
    !ellipsis && !title && trailing.chars().any(|c| matches!(c, '.' | '!' | '?'))
}

impl Segment {
    /// The segment's text, made from its words: the words are the truth.
    pub fn words_text(words: &[Word]) -> String {
        words
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Makes the segment span its words, first start to last end.
    pub fn span_words(&mut self) {
        if let (Some(first), Some(last)) = (self.words.first(), self.words.last()) {
            self.start_ms = first.start_ms;
            self.end_ms = last.end_ms.max(first.start_ms);
        }
    }
}

impl Transcript {
    /// All words in time order.
    pub fn words(&self) -> impl Iterator<Item = &Word> {
        self.segments
            .iter()
            .flat_map(|segment| segment.words.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_ends() {
        for text in ["done.", "done!", "why?", "percent.\"", "Mr?", "etc."] {
            assert!(ends_sentence(text), "{text}");
        }
        for text in [
            "done",
            "done,",
            "so...",
            "so\u{2026}",
            "Mr.",
            "Dr.",
            "e.g.",
            "3.5",
        ] {
            assert!(!ends_sentence(text), "{text}");
        }
        assert_eq!(trailing_punctuation("percent.\""), ".\"");
    }
}
