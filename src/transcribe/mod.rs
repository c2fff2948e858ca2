//! The transcribe stage: 16 kHz mono samples in, a [`Transcript`] out.
//!
//! A recording is decoded in windows cut at pauses ([`chunk`]); each window is
//! decoded plainly and, when disfluencies are kept, a second time primed to
//! write hesitations down ([`disfluency`]). Batch files and live takes go
//! through the same [`Transcriber::decode_window`], so what is measured on
//! files holds for practice too.

mod chunk;
mod disfluency;
mod whisper;

pub use chunk::{ChunkPolicy, frame_levels_db, has_speech, next_cut, plan};
pub use disfluency::{DISFLUENT_PROMPT, is_hesitation, merge_hesitations};

use std::path::{Path, PathBuf};

use crate::audio::{self, AudioError};
use crate::model::{self, ModelError};
use crate::transcript::{Segment, TRANSCRIPT_SCHEMA_VERSION, Transcript};
use whisper::WhisperModel;

#[derive(Debug, thiserror::Error)]
pub enum TranscribeError {
    #[error(transparent)]
    Audio(#[from] AudioError),
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(
        "whisper could not load `{path}`: {detail}; fetch a fresh copy with `rehearse model fetch --force`"
    )]
    ModelLoad { path: PathBuf, detail: String },
    #[error("whisper failed while decoding: {0}; try again, or try another model with `--model`")]
    Decode(String),
}

/// How Whisper searches for the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoding {
    Greedy,
    Beam(u8),
}

#[derive(Debug, Clone, PartialEq)]
pub struct TranscribeOptions {
    pub model_path: PathBuf,
    /// Run the primed second pass that keeps "um" and "uh".
    pub keep_disfluencies: bool,
    /// The plain pass's search.
    pub decoding: Decoding,
}

impl Default for TranscribeOptions {
    fn default() -> Self {
        Self {
            model_path: PathBuf::new(),
            keep_disfluencies: true,
            decoding: Decoding::Beam(5),
        }
    }
}

/// How hard to work on a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowMode {
    /// A file: the configured search over a full 30 s encoder window.
    Batch,
    /// A live take, decoded while the user speaks: the configured search,
    /// with the encoder fitted to the window's length so each window is
    /// done well before the next.
    Live,
    /// The last window of a live take, which the user waits for: greedy and
    /// fitted.
    Waiting,
}

/// A loaded model plus the options it decodes with.
pub struct Transcriber {
    model: WhisperModel,
    options: TranscribeOptions,
    model_name: String,
}

impl Transcriber {
    /// Checks the model file, then loads it.
    pub fn load(options: &TranscribeOptions) -> Result<Self, TranscribeError> {
        model::validate(&options.model_path)?;
        Ok(Self {
            model: WhisperModel::load(&options.model_path)?,
            options: options.clone(),
            model_name: options
                .model_path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default(),
        })
    }

    /// Decodes one window that starts `offset_ms` into the recording.
    /// `previous_text` (the text so far) carries context across windows the
    /// way Whisper does inside one long decode.
    pub fn decode_window(
        &self,
        samples: &[f32],
        offset_ms: u64,
        previous_text: &str,
        mode: WindowMode,
    ) -> Result<Vec<Segment>, TranscribeError> {
        let (decoding, fit_encoder) = match mode {
            WindowMode::Batch => (self.options.decoding, false),
            WindowMode::Live => (self.options.decoding, true),
            WindowMode::Waiting => (Decoding::Greedy, true),
        };
        self.decode(samples, offset_ms, previous_text, decoding, fit_encoder)
    }

    fn decode(
        &self,
        samples: &[f32],
        offset_ms: u64,
        previous_text: &str,
        decoding: Decoding,
        fit_encoder: bool,
    ) -> Result<Vec<Segment>, TranscribeError> {
        if !has_speech(samples) {
            return Ok(Vec::new());
        }
        let context = tail_words(previous_text, 40);
        let prompt = (!context.is_empty()).then_some(context.as_str());
        let mut segments = self
            .model
            .decode(samples, offset_ms, prompt, decoding, fit_encoder)?;
        if self.options.keep_disfluencies {
            let primed = self.model.decode(
                samples,
                offset_ms,
                Some(DISFLUENT_PROMPT),
                Decoding::Greedy,
                fit_encoder,
            )?;
            segments = merge_into_segments(segments, &primed);
        }
        Ok(segments)
    }

    /// Transcribes a whole recording (16 kHz mono).
    pub fn transcribe(&self, samples: &[f32]) -> Result<Transcript, TranscribeError> {
        let mut segments: Vec<Segment> = Vec::new();
        for (start, end) in plan(samples, ChunkPolicy::BATCH) {
            let so_far = join_text(&segments);
            let offset_ms = start as u64 * 1000 / 16_000;
            segments.extend(self.decode_window(
                &samples[start..end],
                offset_ms,
                &so_far,
                WindowMode::Batch,
            )?);
        }
        Ok(self.assemble(segments, samples.len() as u64 * 1000 / 16_000))
    }

    /// Builds the transcript from decoded windows.
    pub fn assemble(&self, segments: Vec<Segment>, duration_ms: u64) -> Transcript {
        Transcript {
            schema_version: TRANSCRIPT_SCHEMA_VERSION,
            model: self.model_name.clone(),
            duration_ms,
            text: join_text(&segments),
            segments,
        }
    }
}

/// Reads, converts and transcribes a WAV file.
pub fn transcribe_wav(
    path: &Path,
    options: &TranscribeOptions,
) -> Result<Transcript, TranscribeError> {
    let audio = audio::read_wav(path)?;
    let samples = audio::to_mono_16k(&audio)?;
    let transcriber = Transcriber::load(options)?;
    let mut transcript = transcriber.transcribe(&samples)?;
    // The file's own length, not the resampled one, which can differ by a sample.
    transcript.duration_ms = audio.duration_ms();
    Ok(transcript)
}

/// Slots the primed pass's hesitations into the plain segments' words.
fn merge_into_segments(mut plain: Vec<Segment>, primed: &[Segment]) -> Vec<Segment> {
    let plain_words: Vec<_> = plain.iter().flat_map(|s| s.words.clone()).collect();
    let primed_words: Vec<_> = primed.iter().flat_map(|s| s.words.clone()).collect();
    let merged = merge_hesitations(&plain_words, &primed_words);
    if merged.len() == plain_words.len() || plain.is_empty() {
        return plain;
    }
    // Hand each word back to the segment whose time span it falls in.
    for segment in &mut plain {
        segment.words.clear();
    }
    let last = plain.len() - 1;
    for word in merged {
        let index = plain
            .iter()
            .position(|segment| word.start_ms < segment.end_ms)
            .unwrap_or(last);
        plain[index].words.push(word);
    }
    for segment in &mut plain {
        segment.words.sort_by_key(|w| w.start_ms);
        segment.text = segment
            .words
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
    }
    plain.retain(|segment| !segment.words.is_empty());
    plain
}

fn join_text(segments: &[Segment]) -> String {
    segments
        .iter()
        .map(|s| s.text.trim())
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn tail_words(text: &str, count: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    words[words.len().saturating_sub(count)..].join(" ")
}
