//! The transcribe stage: 16 kHz mono samples in, a [`Transcript`] out.
//!
//! A recording is decoded in windows cut at pauses ([`chunk`]). Files and
//! live takes go through the same [`TakeTranscriber`]: audio is pushed in
//! (a whole file at once, or the microphone as it speaks), windows are cut by
//! the same causal rule and decoded the same way, so a live take comes out
//! as the same audio given as a file does. Each window is decoded once, with
//! the text so far as context and, when disfluencies are kept, a prompt that
//! primes Whisper to write hesitations down ([`disfluency`]); a decode that
//! loops is caught and redone ([`guard`]), and the window's short voiced
//! sounds are checked for the hesitations Whisper still left out
//! ([`heard_hesitations`]). Word times are settled against the audio once,
//! at the end ([`retime`], [`phrases`]), and the heard hesitations put in:
//! the transcript's times are final.

mod chunk;
mod disfluency;
mod guard;
mod heard_hesitations;
mod hesitation_sound;
mod phrases;
mod retime;
mod threads;
mod whisper;

pub use chunk::{ChunkPolicy, Segmenter, frame_levels_db, has_speech, plan};
pub use disfluency::DISFLUENT_PROMPT;
pub use guard::{Problem, assess, compression_ratio};
pub use heard_hesitations::HeardHesitation;
pub use retime::{settle_transcript_times, settle_word_times, update_transcript_times};

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use crate::audio::{self, AudioError};
use crate::model::{self, ModelError};
use crate::transcript::{Segment, TRANSCRIPT_SCHEMA_VERSION, Transcript, Word};
use whisper::{DecodeRequest, Decoded, EncoderContext, WhisperModel};

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
    #[error("transcription was interrupted; run the same command again to finish it")]
    Cancelled,
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
    /// Prime every decode to write "um" and "uh" down.
    pub keep_disfluencies: bool,
    /// How Whisper searches for the text.
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

/// How many words of the text so far are given to Whisper as context.
const CONTEXT_WORDS: usize = 40;
/// The last resort against a loop: a little randomness.
const FALLBACK_TEMPERATURE: f32 = 0.4;

/// A loaded model plus the options it decodes with.
pub struct Transcriber {
    model: WhisperModel,
    options: TranscribeOptions,
    model_name: String,
    cancel: Arc<AtomicBool>,
}

impl Transcriber {
    /// Checks the model file, then loads it.
    pub fn load(options: &TranscribeOptions) -> Result<Self, TranscribeError> {
        let info = model::validate(&options.model_path)?;
        Ok(Self {
            model: WhisperModel::load(&options.model_path, &info.hparams)?,
            options: options.clone(),
            model_name: options
                .model_path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default(),
            cancel: Arc::new(AtomicBool::new(false)),
        })
    }

    /// Set it to stop: the window being decoded finishes (a second at most),
    /// no further one starts, and the work ends with [`TranscribeError::Cancelled`].
    /// Nothing else may end the process while whisper.cpp is running on another
    /// thread: its memory would be freed under it.
    pub fn cancel_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.cancel)
    }

    fn check_cancelled(&self) -> Result<(), TranscribeError> {
        if self.cancel.load(Ordering::SeqCst) {
            Err(TranscribeError::Cancelled)
        } else {
            Ok(())
        }
    }

    /// Decodes one window that starts `offset_ms` into the recording.
    /// `previous_text` (the text so far) carries context across windows the
    /// way Whisper does inside one long decode. When disfluencies are kept,
    /// the window's short voiced sounds are checked for hesitations Whisper
    /// left out ([`heard_hesitations`]).
    pub fn decode_window(
        &self,
        samples: &[f32],
        offset_ms: i64,
        previous_text: &str,
    ) -> Result<WindowWords, TranscribeError> {
        if !has_speech(samples) {
            return Ok(WindowWords::default());
        }
        let keep = self.options.keep_disfluencies;
        let prompt = window_prompt(previous_text, keep);
        let sounds = if keep {
            heard_hesitations::sounds_to_ask_about(samples)
        } else {
            Vec::new()
        };
        let starts_ms: Vec<u64> = sounds.iter().map(|&(start, _)| start).collect();
        let decoded = self.decode_guarded(samples, offset_ms, &prompt, &starts_ms)?;
        let at = |ms: u64| (offset_ms + ms as i64).max(0) as u64;
        let mut heard = Vec::new();
        for (&sound, &odds) in sounds.iter().zip(&decoded.hesitation_odds) {
            // Whisper may have written this one: whether it did is known
            // only once times are settled, so it is checked then.
            log::trace!(
                "sound at {}-{} ms: hesitation odds {odds:.2}",
                at(sound.0),
                at(sound.1)
            );
            if odds < heard_hesitations::MIN_HESITATION_ODDS {
                continue;
            }
            self.check_cancelled()?;
            if let Some(word) = self.hesitation_alone(samples, sound)? {
                heard.push(HeardHesitation {
                    start_ms: at(sound.0),
                    end_ms: at(sound.1),
                    word,
                    odds,
                });
            }
        }
        Ok(WindowWords {
            segments: decoded.segments,
            heard,
        })
    }

    /// Transcribes one short sound of a window on its own, in silence: the
    /// hesitation it is, when it is nothing else.
    fn hesitation_alone(
        &self,
        window: &[f32],
        sound: (u64, u64),
    ) -> Result<Option<&'static str>, TranscribeError> {
        let started = Instant::now();
        let clip = heard_hesitations::clip(window, sound);
        let alone = self.model.decode(
            &clip.samples_16k,
            0,
            &DecodeRequest {
                prompt: Some(DISFLUENT_PROMPT),
                decoding: Decoding::Greedy,
                encoder: EncoderContext::Fitted,
                temperature: 0.0,
                max_text_tokens: Some(heard_hesitations::CLIP_TOKENS),
                probe_ms: &[],
            },
        )?;
        let text = heard_hesitations::said_in_sound(&alone.segments, &clip);
        log::debug!(
            "sound at {} ms alone: {text:?} (all: {:?}) in {} ms",
            sound.0,
            join_text(&alone.segments),
            started.elapsed().as_millis()
        );
        Ok(heard_hesitations::hesitation_in(&text))
    }

    /// The window's decode, redone when it loops or guesses: first with a
    /// wider encoder context, then with the full 30 s (a fitted one is faster
    /// but loops more), then without the prompt (Whisper sometimes writes its
    /// prompt out again), then with some randomness. A loop that only says
    /// the window's last words again is cut off instead of decoded again. The
    /// first clean result wins; if none is clean, the least bad, with
    /// repeated sentences dropped.
    fn decode_guarded(
        &self,
        samples: &[f32],
        offset_ms: i64,
        prompt_text: &str,
        probe_ms: &[u64],
    ) -> Result<Decoded, TranscribeError> {
        let prompt = (!prompt_text.is_empty()).then_some(prompt_text);
        let decoding = self.options.decoding;
        let voiced = chunk::voiced_frames(samples);
        let voiced_s = chunk::voiced_seconds(&voiced);
        let attempts = [
            (prompt, decoding, EncoderContext::Fitted, 0.0),
            (prompt, decoding, EncoderContext::Wide, 0.0),
            (prompt, decoding, EncoderContext::Full, 0.0),
            (None, decoding, EncoderContext::Full, 0.0),
            (
                None,
                Decoding::Greedy,
                EncoderContext::Full,
                FALLBACK_TEMPERATURE,
            ),
        ];
        let mut best: Option<(Problem, Decoded)> = None;
        for (prompt, decoding, encoder, temperature) in attempts {
            self.check_cancelled()?;
            let started = Instant::now();
            let decoded = self.model.decode(
                samples,
                offset_ms,
                &DecodeRequest {
                    prompt,
                    decoding,
                    encoder,
                    temperature,
                    max_text_tokens: None,
                    probe_ms,
                },
            )?;
            let problem = assess(
                &join_text(&decoded.segments),
                decoded.mean_logprob,
                prompt_text,
                voiced_s,
            )
            .max(guard::speech_left_out(
                &voiced,
                &window_spans_ms(&decoded.segments, offset_ms),
            ));
            log::debug!(
                "window at {offset_ms} ms: {problem:?} in {} ms (logprob {:.2}, {} words in {voiced_s:.1} s voiced, encoder {encoder:?}, prompt {})",
                started.elapsed().as_millis(),
                decoded.mean_logprob,
                join_text(&decoded.segments).split_whitespace().count(),
                prompt.is_some()
            );
            if problem == Problem::None {
                return Ok(decoded);
            }
            // A fitted decode that reached the end of its audio and started
            // its last words over (every loop in the corpus): cut off, its
            // first copy is as good as what a wider decode gives, at none of
            // its cost, which a live take whose last window loops pays after
            // the stop.
            if problem == Problem::Loop
                && let Some(segments) = drop_repeated_tail(&decoded.segments)
                && assess(
                    &join_text(&segments),
                    decoded.mean_logprob,
                    prompt_text,
                    voiced_s,
                ) == Problem::None
            {
                log::debug!("window at {offset_ms} ms: the loop at its end cut off");
                return Ok(Decoded {
                    segments,
                    ..decoded
                });
            }
            // Sound no decode writes words for (a loud noise) stays word-less:
            // once a wider decode finds no more words than the one before,
            // the others will not either (every skipped sentence of the
            // corpus came back with the first wider decode).
            let no_more_words = problem == Problem::Incomplete
                && best.as_ref().is_some_and(|(before, kept)| {
                    *before == Problem::Incomplete && word_count(kept) >= word_count(&decoded)
                });
            if best.as_ref().is_none_or(|(worst, _)| problem < *worst) {
                best = Some((problem, decoded));
            }
            if no_more_words {
                log::debug!("window at {offset_ms} ms: no more words found, kept as it is");
                break;
            }
        }
        let (problem, mut decoded) = best.expect("at least one attempt");
        if problem == Problem::Loop {
            let overfull = guard::overfull(&join_text(&decoded.segments), voiced_s);
            decoded.segments =
                drop_repeated_sentences(drop_runs_said_twice(decoded.segments), overfull);
        }
        Ok(decoded)
    }

    /// Transcribes a whole recording (16 kHz mono), exactly as a live take
    /// of the same audio would be. Takes the samples by value: the take
    /// holds the only copy while Whisper runs (8 MB for a 130 s answer).
    pub fn transcribe(&self, samples_16k: Vec<f32>) -> Result<TakeTranscript, TranscribeError> {
        let duration_ms = samples_16k.len() as u64 * 1000 / 16_000;
        let mut take = TakeTranscriber::new(self);
        take.push_owned(samples_16k)?;
        take.finish(duration_ms)
    }

    /// Builds the transcript from decoded windows, settling word times on the
    /// audio they came from.
    fn assemble(
        &self,
        segments: Vec<Segment>,
        heard: &[HeardHesitation],
        samples: &[f32],
        duration_ms: u64,
    ) -> Transcript {
        let mut transcript = Transcript {
            schema_version: TRANSCRIPT_SCHEMA_VERSION,
            model: self.model_name.clone(),
            duration_ms,
            text: join_text(&segments),
            segments,
        };
        settle_transcript_times(&mut transcript, samples);
        heard_hesitations::add_heard_hesitations(&mut transcript, heard);
        transcript
    }
}

/// One window's words, and the hesitations heard where Whisper wrote none.
#[derive(Debug, Default)]
pub struct WindowWords {
    pub segments: Vec<Segment>,
    pub heard: Vec<HeardHesitation>,
}

/// Silence put before every take, as long as the lead-in the segmenter keeps
/// before the first speech. A recording whose speech begins in its first
/// 300 ms (a file cut close) then still gets the same lead-in, and is
/// decoded as the same audio spoken into a microphone after a pause would be.
const LEAD_PAD: usize = chunk::LEAD_IN_MS as usize * 16;

/// One take being transcribed: audio goes in as it comes, each window is
/// decoded as soon as it is cut, and `finish` decodes the rest. Positions
/// count from the start of [`LEAD_PAD`], times from the recording's start.
pub struct TakeTranscriber<'a> {
    transcriber: &'a Transcriber,
    segmenter: Segmenter,
    samples: Vec<f32>,
    decoded_to: usize,
    segments: Vec<Segment>,
    heard: Vec<HeardHesitation>,
    windows: usize,
}

/// A finished take.
pub struct TakeTranscript {
    pub transcript: Transcript,
    /// The whole take at 16 kHz mono.
    pub samples_16k: Vec<f32>,
    /// Windows decoded before `finish` was called, and by it.
    pub windows_before_finish: usize,
    pub windows_at_finish: usize,
}

impl<'a> TakeTranscriber<'a> {
    pub fn new(transcriber: &'a Transcriber) -> Self {
        let samples = vec![0.0; LEAD_PAD];
        let mut segmenter = Segmenter::new(ChunkPolicy::WINDOWS);
        // Silence: no speech, so no cut.
        segmenter.push(&samples);
        Self {
            transcriber,
            segmenter,
            samples,
            decoded_to: 0,
            segments: Vec::new(),
            heard: Vec::new(),
            windows: 0,
        }
    }

    /// Adds 16 kHz mono audio and decodes every window it completes.
    pub fn push(&mut self, samples_16k: &[f32]) -> Result<(), TranscribeError> {
        self.samples.extend_from_slice(samples_16k);
        for cut in self.segmenter.push(samples_16k) {
            self.decode_to(cut)?;
        }
        Ok(())
    }

    /// [`Self::push`] of a whole recording, freeing the caller's copy before
    /// the first window is decoded.
    fn push_owned(&mut self, samples_16k: Vec<f32>) -> Result<(), TranscribeError> {
        self.samples.reserve_exact(samples_16k.len());
        self.samples.extend_from_slice(&samples_16k);
        let cuts = self.segmenter.push(&samples_16k);
        drop(samples_16k);
        for cut in cuts {
            self.decode_to(cut)?;
        }
        Ok(())
    }

    fn decode_to(&mut self, end: usize) -> Result<(), TranscribeError> {
        let end = end.min(self.samples.len());
        if end <= self.decoded_to {
            return Ok(());
        }
        let so_far = join_text(&self.segments);
        let offset_ms = (self.decoded_to as i64 - LEAD_PAD as i64) * 1000 / 16_000;
        let window = self.transcriber.decode_window(
            &self.samples[self.decoded_to..end],
            offset_ms,
            &so_far,
        )?;
        self.segments.extend(window.segments);
        self.heard.extend(window.heard);
        self.decoded_to = end;
        self.windows += 1;
        Ok(())
    }

    /// Decodes what is left and returns the transcript of the whole take.
    pub fn finish(mut self, duration_ms: u64) -> Result<TakeTranscript, TranscribeError> {
        let before = self.windows;
        self.decode_to(self.samples.len())?;
        // In place: a second copy of a long take would raise the peak.
        self.samples.drain(..LEAD_PAD);
        let samples_16k = std::mem::take(&mut self.samples);
        let transcript =
            self.transcriber
                .assemble(self.segments, &self.heard, &samples_16k, duration_ms);
        Ok(TakeTranscript {
            transcript,
            samples_16k,
            windows_before_finish: before,
            windows_at_finish: self.windows - before,
        })
    }
}

/// Reads, converts and transcribes a WAV file.
pub fn transcribe_wav(
    path: &Path,
    options: &TranscribeOptions,
) -> Result<Transcript, TranscribeError> {
    let audio = audio::read_wav(path)?;
    let transcriber = Transcriber::load(options)?;
    transcribe_audio(&transcriber, audio).map(|(transcript, _)| transcript)
}

/// Converts read audio to 16 kHz mono and transcribes it: the transcript,
/// and the samples it was made from (what a take keeps as its audio).
/// Takes the audio by value so that the file's own samples (a 130 s take at
/// 48 kHz stereo float is 50 MB) are freed before Whisper runs.
pub fn transcribe_audio(
    transcriber: &Transcriber,
    audio: audio::Audio,
) -> Result<(Transcript, Vec<f32>), TranscribeError> {
    transcribe_input(transcriber, WhisperInput::from_audio(audio)?)
}

/// Audio as Whisper takes it: 16 kHz mono, with the file's own length (the
/// resampled one can differ by a sample).
pub struct WhisperInput {
    pub samples_16k: Vec<f32>,
    pub duration_ms: u64,
}

impl WhisperInput {
    pub fn from_audio(audio: audio::Audio) -> Result<Self, TranscribeError> {
        let duration_ms = audio.duration_ms();
        let samples_16k = audio::to_mono_16k(&audio)?;
        Ok(Self {
            samples_16k,
            duration_ms,
        })
    }
}

/// [`transcribe_audio`] of audio already converted.
pub fn transcribe_input(
    transcriber: &Transcriber,
    input: WhisperInput,
) -> Result<(Transcript, Vec<f32>), TranscribeError> {
    let TakeTranscript {
        mut transcript,
        samples_16k,
        ..
    } = transcriber.transcribe(input.samples_16k)?;
    transcript.duration_ms = input.duration_ms;
    Ok((transcript, samples_16k))
}

/// Cuts off the copies of the last words that a loop at the window's end
/// added (`guard::repeated_tail`), keeping the first, which Whisper timed on
/// the speech; `None` if the text does not end in such a loop.
fn drop_repeated_tail(segments: &[Segment]) -> Option<Vec<Segment>> {
    let mut kept = segments.to_vec();
    let mut cut = false;
    loop {
        let mut extra =
            guard::repeated_tail(&normalised(kept.iter().flat_map(|segment| &segment.words)));
        if extra == 0 {
            break;
        }
        cut = true;
        while extra > 0 {
            let Some(last) = kept.last_mut() else { break };
            let drop = extra.min(last.words.len());
            last.words.truncate(last.words.len() - drop);
            last.text = Segment::words_text(&last.words);
            if let Some(word) = last.words.last() {
                last.end_ms = word.end_ms;
            }
            extra -= drop;
            if last.words.is_empty() {
                kept.pop();
            }
        }
    }
    cut.then_some(kept)
}

fn word_count(decoded: &Decoded) -> usize {
    decoded
        .segments
        .iter()
        .map(|segment| segment.words.len())
        .sum()
}

/// Each word's span from the window's start (the window starts at
/// `offset_ms` in the recording, before it when the window was padded).
fn window_spans_ms(segments: &[Segment], offset_ms: i64) -> Vec<(u64, u64)> {
    let from_start = |ms: u64| (ms as i64 - offset_ms).max(0) as u64;
    segments
        .iter()
        .flat_map(|segment| &segment.words)
        .map(|word| (from_start(word.start_ms), from_start(word.end_ms)))
        .collect()
}

/// One normalised entry per word (`guard::words`), so that a range of the
/// entries indexes the words alike.
fn normalised<'w>(words: impl IntoIterator<Item = &'w Word>) -> Vec<String> {
    words
        .into_iter()
        .map(|word| guard::words(&word.text).concat())
        .collect()
}

/// Drops the first copy of a run of words said twice in a row inside a
/// segment (`guard::run_said_twice`): what is left of a phrase loop.
fn drop_runs_said_twice(mut segments: Vec<Segment>) -> Vec<Segment> {
    for segment in &mut segments {
        while let Some(copy) = guard::run_said_twice(&normalised(&segment.words)) {
            segment.words.drain(copy);
        }
        segment.text = Segment::words_text(&segment.words);
    }
    segments
}

/// Drops a sentence that echoes the one before it (`guard::echoes`, near
/// copies too in an `overfull` window): what is left of a loop no re-decode
/// got rid of.
fn drop_repeated_sentences(mut segments: Vec<Segment>, overfull: bool) -> Vec<Segment> {
    let mut previous: Vec<String> = Vec::new();
    let mut current = String::new();
    for segment in &mut segments {
        let mut kept = Vec::new();
        let mut pending = Vec::new();
        for word in segment.words.drain(..) {
            current.push(' ');
            current.push_str(&word.text);
            let ends = word.text.trim_end().ends_with(['.', '!', '?']);
            pending.push(word);
            if ends {
                let sentence = guard::words(&current);
                if !guard::echoes(&sentence, &previous, overfull) {
                    kept.append(&mut pending);
                }
                pending.clear();
                previous = sentence;
                current.clear();
            }
        }
        kept.append(&mut pending);
        segment.words = kept;
        segment.text = Segment::words_text(&segment.words);
    }
    segments.retain(|segment| !segment.words.is_empty());
    segments
}

/// What a window is decoded with: the last words of the text so far and,
/// to keep the hesitations, the disfluent prompt ahead of them (why one
/// primed decode and not two: [`disfluency`]).
fn window_prompt(previous_text: &str, keep_disfluencies: bool) -> String {
    let context = tail_words(previous_text, CONTEXT_WORDS);
    if keep_disfluencies {
        format!("{DISFLUENT_PROMPT} {context}")
            .trim_end()
            .to_string()
    } else {
        context
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::Word;

    fn segment(text: &str) -> Segment {
        let words: Vec<Word> = text
            .split_whitespace()
            .enumerate()
            .map(|(k, w)| Word {
                text: w.to_string(),
                start_ms: k as u64 * 300,
                end_ms: k as u64 * 300 + 250,
                probability: 0.9,
            })
            .collect();
        Segment {
            start_ms: 0,
            end_ms: words.last().map_or(0, |w| w.end_ms),
            text: text.to_string(),
            words,
        }
    }

    fn texts(segments: &[Segment]) -> Vec<&str> {
        segments.iter().map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn the_disfluent_prompt_goes_ahead_of_the_last_words() {
        let said = (1..=50)
            .map(|k| format!("w{k}"))
            .collect::<Vec<_>>()
            .join(" ");
        let primed = window_prompt(&said, true);
        assert!(
            primed.starts_with(&format!("{DISFLUENT_PROMPT} w11 ")) && primed.ends_with(" w50"),
            "{primed}"
        );
        assert_eq!(window_prompt("", true), DISFLUENT_PROMPT);
        let plain = window_prompt(&said, false);
        assert!(
            plain.starts_with("w11 ") && plain.ends_with(" w50"),
            "{plain}"
        );
        assert_eq!(window_prompt("", false), "");
    }

    #[test]
    fn a_loop_at_the_windows_end_is_cut_off_after_its_first_copy() {
        // Both shapes seen on the corpus: the last sentence started over in
        // a segment of its own, and a phrase said again inside one.
        let cut = drop_repeated_tail(&[
            segment("Um, we learned that running things side by side is worth the extra week."),
            segment("We learned that running things side by side is worth the extra week."),
        ])
        .expect("a loop");
        assert_eq!(
            texts(&cut),
            ["Um, we learned that running things side by side is worth the extra week."]
        );
        let phrase =
            "Since the team burned out, as a signal about the system, not only about the person,";
        let cut = drop_repeated_tail(&[segment(&format!(
            "{phrase} not only about the person, not only about the person,"
        ))])
        .expect("a loop said three times");
        assert_eq!(texts(&cut), [phrase]);
        assert_eq!(cut[0].words.len(), phrase.split_whitespace().count());
        // A loop elsewhere, a restart and an echo of a few words are no tail loop.
        for text in [
            "I wrote it twice. I wrote it twice. Then it shipped.",
            "We, we moved it on a Friday night, on a Friday night.",
        ] {
            assert!(drop_repeated_tail(&[segment(text)]).is_none(), "{text}");
        }
    }

    #[test]
    fn a_loop_left_by_every_decode_is_cut_out() {
        let sentences = drop_repeated_sentences(
            vec![
                segment(
                    "On Monday I added a dead letter queue, so a message that fails three times is set aside.",
                ),
                segment(
                    "So a message that fails three times is set aside. Alerts tell us about it.",
                ),
            ],
            false,
        );
        assert_eq!(
            texts(&sentences),
            [
                "On Monday I added a dead letter queue, so a message that fails three times is set aside.",
                "Alerts tell us about it."
            ]
        );
        let phrase = drop_runs_said_twice(vec![segment(
            "I treat burnout as a signal about the system, not only about the person, not only about the person.",
        )]);
        assert_eq!(
            texts(&phrase),
            ["I treat burnout as a signal about the system, not only about the person."]
        );
        // Restarts and short echoes stay: they are how people speak.
        let speech = "We, we moved it. Yes. Yes. It ran on a Friday night, on a Friday night.";
        assert_eq!(
            texts(&drop_runs_said_twice(drop_repeated_sentences(
                vec![segment(speech)],
                true
            ))),
            [speech]
        );
        // A near copy goes only where the window held more words than its
        // sound could.
        let near = [
            "I sent each owner a short list, and I removed the flags nobody claimed myself.",
            "I sent each owner a short list, and I removed the flag's nobody claimed myself.",
            "I also added a lint rule.",
        ];
        assert_eq!(
            texts(&drop_repeated_sentences(
                near.iter().map(|text| segment(text)).collect(),
                true
            )),
            [near[0], near[2]]
        );
        assert_eq!(
            texts(&drop_repeated_sentences(
                near.iter().map(|text| segment(text)).collect(),
                false
            )),
            near
        );
    }
}
