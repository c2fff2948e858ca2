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
